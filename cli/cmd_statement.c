/* cli/cmd_statement.c — `quotient statement`: one rep's statement of a run,
 * for a terminal (or as JSON), from a run directory or a run stored in
 * PostgreSQL (run/statement_view.h, run/pg_store.h). */
#include <errno.h>
#include <glib.h>
#include <stdio.h>

#include "../model/qt_error.h"
#include "../run/pg_store.h"
#include "../run/statement_view.h"
#include "commands.h"

/* The whole text to stdout; a failed write is an error, not half a
 * statement. */
static gboolean
write_out (GBytes *bytes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  if (fwrite (data, 1, len, stdout) == len && fflush (stdout) == 0)
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "standard output: cannot write: %s", g_strerror (errno));
  return FALSE;
}

int
qt_cmd_statement (int argc, char **argv)
{
  g_autofree char *run = NULL, *rep = NULL, *pg = NULL, *period = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_FILENAME, &run, "The run directory", "RUN_DIR" },
    { "rep", 0, 0, G_OPTION_ARG_STRING, &rep, "The rep (with --pg, a rep's login may leave it out)", "REP" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the JSON statement instead", NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "A run stored in PostgreSQL instead of --run ('': the PG* environment)", "CONNINFO" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "With --pg: the stored run's period", "YYYY-MM" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— print one rep's statement");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Prints the rep's statement as the run wrote it, for a terminal: what is\n"
    "paid first, then what would pay more and how every figure is made, in 80\n"
    "columns.  The file is checked against the SHA-256 the manifest records\n"
    "(exit 1 when it changed: run quotient verify).  Exit 0 done, 1 changed,\n"
    "2 bad usage, no such rep or unreachable server.\n\n"
    "Examples:\n"
    "  quotient statement --run runs/2026-05 --rep R101\n"
    "  quotient statement --pg 'dbname=finance user=li_na' --period 2026-05");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) text = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  else if (error == NULL && (pg == NULL) == (run == NULL))
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                 "give --run RUN_DIR, or --pg and --period (see quotient statement --help)");
  else if (error == NULL && run != NULL && rep == NULL)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "--rep REP is required with --run");
  else if (error == NULL && pg != NULL && period == NULL)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "--pg needs --period YYYY-MM");
  if (error == NULL && run != NULL)
    text = qt_run_statement (run, rep, json, &error);
  else if (error == NULL)
    {
      g_autoptr (PGconn) conn = qt_pg_connect (pg, &error);
      if (conn != NULL)
        text = qt_pg_statement (conn, period, rep, json, &error);
    }
  if (text != NULL && write_out (text, &error))
    return 0;
  qt_print_error ("quotient statement", error);
  return qt_exit_code_for (error);
}
