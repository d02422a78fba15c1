/* cli/commands.h — one function per subcommand; each returns the exit code. */
#pragma once

#include <glib.h>

#include "../run/pg_store.h"

int qt_cmd_run (int argc, char **argv);
int qt_cmd_rebate (int argc, char **argv);
int qt_cmd_db (int argc, char **argv);
int qt_cmd_export (int argc, char **argv);
int qt_cmd_statement (int argc, char **argv);
int qt_cmd_report (int argc, char **argv);
int qt_cmd_verify (int argc, char **argv);
int qt_cmd_publish (int argc, char **argv);
int qt_cmd_appeal (int argc, char **argv);
int qt_cmd_recalc (int argc, char **argv);
int qt_cmd_close (int argc, char **argv);
int qt_cmd_diff (int argc, char **argv);
int qt_cmd_prior_period (int argc, char **argv);

/* The --now option of every lifecycle command (SPEC §8.1). */
#define QT_OPTION_NOW(var) \
  { "now", 0, 0, G_OPTION_ARG_STRING, &(var), "The time of this command (default: the clock)", \
    "TIMESTAMP" }

/* Where a lifecycle command works (cli/cmd_lifecycle.c): the run
 * directory RUN_DIR, or the run of --period stored in the database of --pg
 * (checked out and in: run/pg_store.h). */
typedef struct {
  char *pg, *period;       /* the options */
  const char *run_dir;     /* RUN_DIR, or the checkout's directory */
  PGconn *conn;
  QtPgRun *stored;
  gboolean rep_view;       /* a rep's login: QtLifecycleOptions.journal_view */
  char *name;              /* for messages: RUN_DIR, or "the stored run of P" */
} QtPlace;

#define QT_OPTION_PLACE(place) \
  { "pg", 0, 0, G_OPTION_ARG_STRING, &(place).pg, "Work on a run stored in PostgreSQL instead of RUN_DIR ('': the PG* environment)", "CONNINFO" }, \
  { "period", 0, 0, G_OPTION_ARG_STRING, &(place).period, "With --pg: the stored run's period", "YYYY-MM" }

/* Lifecycle commands: one RUN_DIR argument after the options, or --pg and
 * --period; FALSE with `error` set. */
gboolean qt_lifecycle_parse (GOptionContext *ctx, int *argc, char ***argv, const char *command,
                             QtPlace *place, GError **error);

/* Opens the place for a command (`scope`: what it reads of a stored run).
 * A database login mapped to a rep may run only the commands whose `as` is
 * not NULL: *as is then that rep (a different --as is refused, exit 3). */
gboolean qt_place_open (QtPlace *place, const char *command, QtPgCheckoutScope scope,
                        char **as, GError **error);
/* Ends a command: a stored run checks in what the command changed when
 * `ok`; a message naming the checkout names the stored run instead.
 * Returns `ok` and the check-in's outcome. */
gboolean qt_place_close (QtPlace *place, gboolean ok, GError **error);
int qt_lifecycle_done (const char *command, gboolean ok, const char *head, const GError *error);

/* The one map from an error to the exit code of SPEC §10: 1 for exceptions
 * under --strict and verification mismatches, 3 for QT_ERROR_REFUSED (a
 * lifecycle rule), else 2. */
int qt_exit_code_for (const GError *error);

/* Text (a file name, a cell) as one printable line: control bytes and
 * backslashes escaped (\n, \xNN, \\), so that data cannot forge a line of
 * the report. (transfer full) */
char *qt_printable (const char *text);

/* Prints an error to stderr: input errors as `file:line:column: message`
 * alone (SPEC §7), usage errors prefixed by the command. */
void qt_print_error (const char *command, const GError *error);
