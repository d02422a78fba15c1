/* cli/commands.h — one function per subcommand; each returns the exit code. */
#pragma once

#include <glib.h>

int qt_cmd_run (int argc, char **argv);
int qt_cmd_rebate (int argc, char **argv);
int qt_cmd_db (int argc, char **argv);
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

/* Lifecycle commands (cli/cmd_lifecycle.c): one RUN_DIR argument after the
 * options; the exit code, with the journal's new head on stderr or the
 * error. */
gboolean qt_lifecycle_parse (GOptionContext *ctx, int *argc, char ***argv, const char *command,
                             GError **error);
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
