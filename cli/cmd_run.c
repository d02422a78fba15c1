/* cli/cmd_run.c — `quotient run`: parses the options, runs the period
 * through the run library (run/pipeline.h) and prints the summary. */
#include <glib.h>
#include <stdio.h>

#include "../model/qt_error.h"
#include "../run/pipeline.h"
#include "commands.h"

typedef struct {
  char *data, *plans, *period, *out;
  gboolean strict, replace;
  char *threads;   /* as given, NULL when left out */
  guint n_threads; /* parsed: 1 .. QT_RUN_MAX_THREADS, 0 = the default */
} RunArgs;

static void
run_args_clear (RunArgs *a)
{
  g_free (a->data);
  g_free (a->plans);
  g_free (a->period);
  g_free (a->out);
  g_free (a->threads);
}

static gboolean
parse_args (int argc, char **argv, RunArgs *a, GError **error)
{
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &a->data, "Data set directory (CSV files of SPEC §2)", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_FILENAME, &a->plans, "Plans directory (one JSON file per plan version)", "DIR" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &a->period, "Period to compute, a calendar month", "YYYY-MM" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->out, "Run directory to create (must not exist; missing parent directories are created)", "DIR" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &a->strict, "Treat any exception row as fatal (exit 1, nothing written)", NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &a->replace, "Atomically replace an existing draft run directory", NULL },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &a->threads, "Threads for reading, computing, rendering and writing (default 2; 1 = one thread; the output bytes never depend on it)", "N" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— compute one period's commissions");
  g_option_context_set_summary (ctx,
    "Loads the data set and plan versions, computes period YYYY-MM exactly and\n"
    "writes payout.csv, scores.csv, credits.csv, exceptions.csv, statements/,\n"
    "an input snapshot and manifest.json into --out.\n\n"
    "Example:\n"
    "  quotient run --data fixtures/demo/data --plans fixtures/demo/plans \\\n"
    "               --period 2026-06 --out runs/2026-06");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (argc > 1)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
      return FALSE;
    }
  guint64 n = 0;
  if (a->threads != NULL
      && !g_ascii_string_to_unsigned (a->threads, 10, 1, QT_RUN_MAX_THREADS, &n, NULL))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--threads must be between 1 and %d",
                   QT_RUN_MAX_THREADS);
      return FALSE;
    }
  a->n_threads = (guint) n;
  if (!a->data || !a->plans || !a->period || !a->out)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--data, --plans, --period and --out are required (see quotient run --help)");
      return FALSE;
    }
  if (!*a->data || !*a->plans || !*a->period || !*a->out)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--data, --plans, --period and --out must not be empty");
      return FALSE;
    }
  return TRUE;
}

static void
print_summary (const QtRunSummary *s, const char *out)
{
  printf ("quotient: period %s\n", s->period);
  printf ("  reps               %u\n", s->reps);
  printf ("  receipts credited  %u of %u (amount %s)\n", s->receipts_credited,
          s->receipts_in_period, s->amount_credited);
  printf ("  exceptions         %u (see exceptions.csv)\n", s->exceptions);
  printf ("  payout total       %s\n", s->payout_total);
  printf ("  run directory      %s (statements in %s/statements/)\n", out, out);
}

int
qt_cmd_run (int argc, char **argv)
{
  RunArgs a = { 0 };
  g_autoptr (GError) error = NULL;
  QtRunSummary summary = { 0 };
  int rc = 0;
  if (!parse_args (argc, argv, &a, &error))
    rc = 2;
  else
    {
      QtRunOptions o = {
        .data_dir = a.data, .plans_dir = a.plans, .period = a.period, .out = a.out,
        .strict = a.strict, .replace = a.replace, .threads = a.n_threads,
        .keep_until_exit = TRUE,
      };
      if (qt_run_execute (&o, &summary, &error))
        print_summary (&summary, a.out);
      else
        rc = qt_exit_code_for (error);
    }
  if (error != NULL)
    qt_print_error ("quotient run", error);
  qt_run_summary_clear (&summary);
  run_args_clear (&a);
  return rc;
}
