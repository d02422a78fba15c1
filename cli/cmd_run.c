/* cli/cmd_run.c — `quotient run`: one period, written atomically (SPEC §10). */
#include <glib.h>
#include <stdio.h>

#include "../model/money.h"
#include "../loaders/dataset_loader.h"
#include "../model/qt_error.h"
#include "../reports/run_dir.h"
#include "../reports/statement.h"
#include "commands.h"
#include "pipeline.h"

typedef struct {
  char *data, *plans, *period, *out;
  gboolean strict, replace;
  gint threads;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
  g_free (o->data);
  g_free (o->plans);
  g_free (o->period);
  g_free (o->out);
}

static gboolean
parse_options (int argc, char **argv, RunOptions *o, GError **error)
{
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &o->data, "Data set directory (CSV files of SPEC §2)", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_FILENAME, &o->plans, "Plans directory (one JSON file per plan version)", "DIR" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &o->period, "Period to compute, a calendar month", "YYYY-MM" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &o->out, "Run directory to create (must not exist)", "DIR" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &o->strict, "Treat any exception row as fatal (exit 1, nothing written)", NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &o->replace, "Atomically replace an existing draft run directory", NULL },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o->threads, "Threads for reading, computing, rendering and writing (default 2; 1 = one thread; the output bytes never depend on it)", "N" },
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
  if (o->threads == 0 || o->threads < -1 || o->threads > 64)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--threads must be between 1 and 64");
      return FALSE;
    }
  if (o->threads > 0) /* -1: not given */
    {
      /* One setting for every stage that uses threads (read by them). */
      char n[8];
      g_snprintf (n, sizeof n, "%d", o->threads);
      g_setenv ("QT_THREADS", n, TRUE);
    }
  if (!o->data || !o->plans || !o->period || !o->out)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--data, --plans, --period and --out are required (see quotient run --help)");
      return FALSE;
    }
  return TRUE;
}

static void
print_summary (const QtPipeline *p, const char *out)
{
  const QtRunResult *res = p->res;
  g_autofree char *credited = qt_fixed_format (res->amount_credited, 2, QT_ROUND_HALF_EVEN);
  g_autofree char *total = qt_fixed_format (res->sum_totals, 2, QT_ROUND_HALF_EVEN);
  char period[8];
  printf ("quotient: period %s\n", qt_period_format (res->period, period));
  printf ("  reps               %u\n", res->n_reps);
  printf ("  receipts credited  %u of %u (amount %s)\n", res->receipts_credited,
          res->receipts_in_period, credited);
  printf ("  exceptions         %u (see exceptions.csv)\n", res->exceptions->len);
  printf ("  payout total       %s\n", total);
  printf ("  run directory      %s (statements in %s/statements/)\n", out, out);
}

/* Under --strict any exception row is fatal (SPEC §7). */
static gboolean
check_strict (const QtPipeline *p, GError **error)
{
  guint n = p->res->exceptions->len;
  if (n == 0)
    return TRUE;
  const QtException *first = &g_array_index (p->res->exceptions, QtException, 0);
  g_set_error (error, QT_ERROR, QT_ERROR_STRICT,
               "%s:%u: %s: %s (--strict: %u exception row%s, nothing written)", first->file,
               first->line, first->code, first->message, n, n == 1 ? "" : "s");
  return FALSE;
}

/* Computes the run straight into its (temporary) run directory and moves
 * it into place; nothing appears at --out unless everything was written.
 * With threads to spare, a thread of the sink writes the input snapshot
 * while the engine computes, and each statement while the next renders. */
static gboolean
run_into_dir (QtPipeline *p, const RunOptions *o, QtPeriod period, GError **error)
{
  QtRunDirWriter *w = qt_run_dir_begin (o->out, o->replace, o->period, error);
  if (w == NULL)
    return FALSE;
  QtOutputSink *sink = qt_run_dir_sink (w);
  if (qt_statement_threads () > 1)
    qt_output_sink_start (sink);
  if (!qt_pipeline_compute (o->data, o->plans, period, sink, p, error)
      || (o->strict && !check_strict (p, error)) || !qt_pipeline_emit (p, sink, error)
      || !qt_dataset_inputs_unchanged (o->data, p->ds, error))
    {
      qt_run_dir_abort (w);
      return FALSE;
    }
  gboolean ok = qt_run_dir_commit (w, error);
  qt_pipeline_phase ("commit");
  return ok;
}

int
qt_cmd_run (int argc, char **argv)
{
  RunOptions o = { .threads = -1 };
  g_autoptr (GError) error = NULL;
  QtPeriod period;
  QtPipeline p = { 0 };
  int rc = 0;
  if (!parse_options (argc, argv, &o, &error))
    rc = 2;
  else if (!qt_period_parse (o.period, strlen (o.period), &period))
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "--period '%s' is not a month YYYY-MM", o.period);
      rc = 2;
    }
  else if (!run_into_dir (&p, &o, period, &error))
    rc = qt_exit_code_for (error);
  else
    print_summary (&p, o.out);
  if (error != NULL)
    qt_print_error ("quotient run", error);
  qt_pipeline_keep_until_exit (&p);
  run_options_clear (&o);
  return rc;
}
