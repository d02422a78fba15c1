/* cli/cmd_export.c — `quotient export`: a run stored in PostgreSQL written
 * out as a run directory (run/pg_store.h), which `quotient verify` accepts
 * anywhere. */
#include <glib.h>
#include <stdio.h>

#include "../model/qt_error.h"
#include "../run/pg_store.h"
#include "commands.h"

int
qt_cmd_export (int argc, char **argv)
{
  g_autofree char *pg = NULL, *period = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "The database: a libpq connection string or URI ('': the PG* environment)", "CONNINFO" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "The stored run's period (YYYY-MM) or quarter (YYYY-Qn)", "PERIOD" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Run directory to create (must not exist)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— write a stored run as a run directory");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Writes the run of --period stored in the database (by quotient run --pg or\n"
    "quotient rebate --pg, with its journal, evidence and revisions) as the run\n"
    "directory --out, byte for byte as it is stored: quotient verify accepts it\n"
    "anywhere.  Exit 0 done, 2 bad usage, no such run or unreachable server.\n\n"
    "Example:\n"
    "  quotient export --pg 'host=127.0.0.1 dbname=finance' --period 2026-05 --out runs/2026-05");
  g_autoptr (GError) error = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  if (error == NULL && (pg == NULL || period == NULL || out == NULL || *out == '\0'))
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                 "--pg, --period and --out are required (see quotient export --help)");
  g_autoptr (PGconn) conn = error == NULL ? qt_pg_connect (pg, &error) : NULL;
  if (conn != NULL && qt_pg_export (conn, period, out, &error))
    {
      printf ("quotient export: the stored run of %s written to %s\n", period, out);
      return 0;
    }
  qt_print_error ("quotient export", error);
  return qt_exit_code_for (error);
}
