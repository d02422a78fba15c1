/* cli/cmd_prior_period.c — `quotient prior-period` (SPEC §8.1 rule 9):
 * parse the options, call appeals/prior_period.h, say what was written. */
#include <glib.h>
#include <stdio.h>

#include "../appeals/prior_period.h"
#include "../model/qt_error.h"
#include "../run/pg_read.h"
#include "commands.h"

/* Every option is required; names the first one missing. */
static gboolean
check_given (const char *const *values, const char *const *names, gsize n, GError **error)
{
  for (gsize i = 0; i < n; i++)
    if (values[i] == NULL || values[i][0] == '\0')
      {
        g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--%s is required (see quotient prior-period --help)",
                     names[i]);
        return FALSE;
      }
  return TRUE;
}

int
qt_cmd_prior_period (int argc, char **argv)
{
  g_autofree char *closed = NULL, *data = NULL, *plans = NULL, *period = NULL, *out = NULL;
  g_autofree char *now = NULL, *pg = NULL, *closed_period = NULL, *stored = NULL, *name = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "closed", 0, 0, G_OPTION_ARG_FILENAME, &closed, "The closed run (never changed)", "RUN_DIR" },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "The closed run and the corrected data set are stored in PostgreSQL (then --closed-period, not --closed, --data and --plans)", "CONNINFO" },
    { "closed-period", 0, 0, G_OPTION_ARG_STRING, &closed_period, "With --pg: the closed run's month", "YYYY-MM" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "The corrected data set of the closed month", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_FILENAME, &plans, "Plans directory (one JSON file per plan version)", "DIR" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "The month the corrections are paid in (later than the closed one)", "YYYY-MM" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The adjustments file to create (must not exist)", "FILE" },
    QT_OPTION_NOW (now),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— corrections of a closed month");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Recomputes the closed run's month on corrected data (with the run's applied\n"
    "appeals on top) and writes, for every rep whose payout total changed, one\n"
    "adjustments.csv row to pay in a later month: PPA-<closed month>-<rep>, the\n"
    "rep, --period, the new total minus the closed total, and the reason\n"
    "\"prior-period correction of <closed month>\"; sorted by rep.  Add the rows\n"
    "to that month's adjustments.csv.  The closed run is not touched.\n"
    "Exit 0 done, 2 bad input (FILE exists, unreadable data), 3 refused (the run\n"
    "is not closed, or --period is not later than its month).\n\n"
    "Example:\n"
    "  quotient prior-period --closed runs/2026-04 --data data-corrected \\\n"
    "      --plans plans --period 2026-06 --out ppa-2026-04.csv\n"
    "  quotient prior-period --pg 'dbname=finance' --closed-period 2026-04 \\\n"
    "      --period 2026-06 --out ppa-2026-04.csv");
  g_autoptr (GError) error = NULL;
  const char *const names[] = { "closed", "data", "plans", "period", "out" };
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    goto fail;
  if (pg != NULL && (closed != NULL || data != NULL || plans != NULL || closed_period == NULL))
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "with --pg give --closed-period, --period "
                   "and --out (not --closed, --data or --plans)");
      goto fail;
    }
  /* --pg: the closed run checked out, the data set stored now read out */
  if (pg != NULL)
    {
      place = (QtPlace) { .pg = g_strdup (pg), .period = g_strdup (closed_period),
                          .name = g_strdup_printf ("the stored run of %s", closed_period) };
      g_autoptr (PGconn) conn = qt_pg_connect (pg, &error);
      if (conn == NULL || (stored = qt_pg_materialize (conn, &error)) == NULL
          || !qt_place_open (&place, "prior-period", QT_PG_CHECKOUT_TABLES, NULL, &error))
        goto fail;
      closed = g_strdup (place.run_dir);
      data = g_build_filename (stored, "data", NULL);
      plans = g_build_filename (stored, "plans", NULL);
    }
  if (!check_given ((const char *const[]) { closed, data, plans, period, out }, names,
                    G_N_ELEMENTS (names), &error))
    goto fail;
  if (argc != 1)
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
      goto fail;
    }
  const QtPriorPeriodOptions o = {
    .closed = { .run_dir = closed, .now = now }, .data_dir = data, .plans_dir = plans,
    .period = period, .out = out,
  };
  guint rows = 0;
  gboolean ok = qt_prior_period (&o, &rows, &error);
  name = g_strdup (pg != NULL ? place.name : closed);
  if (!qt_place_close (&place, ok, &error))
    goto fail;
  qt_pg_forget (stored);
  printf ("quotient prior-period: %s: %u correction%s of %s\n", out, rows, rows == 1 ? "" : "s",
          name);
  return 0;
fail:
  qt_place_close (&place, FALSE, &error);
  qt_pg_name_stored (stored, error);
  qt_pg_forget (stored);
  qt_print_error ("quotient prior-period", error);
  return qt_exit_code_for (error);
}
