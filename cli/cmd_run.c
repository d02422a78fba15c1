/* cli/cmd_run.c — `quotient run` and `quotient rebate` (SPEC §10, §11):
 * the same options but the month (--period) or quarter (--quarter), run
 * through the run library (run/pipeline.h), and a summary. */
#include <glib.h>
#include <stdio.h>

#include "../model/qt_error.h"
#include "../run/pg_read.h"
#include "../run/pg_store.h"
#include "../run/pipeline.h"
#include "../run/run_dir.h"
#include "commands.h"

typedef struct {
  char *data, *plans, *period, *out;
  char *pg;        /* --pg: the data set and plans stored in PostgreSQL */
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
  g_free (a->pg);
}

/* What tells `run` and `rebate` apart on the command line. */
typedef struct {
  const char *command;     /* "run" */
  const char *when;        /* "period" */
  const char *when_help, *when_arg;
  const char *purpose, *summary;
} RunCommand;

static gboolean
parse_args (const RunCommand *cmd, int argc, char **argv, RunArgs *a, GError **error)
{
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &a->data, "Data set directory (CSV files)", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_FILENAME, &a->plans, "Plans directory (one JSON file per plan version)", "DIR" },
    { cmd->when, 0, 0, G_OPTION_ARG_STRING, &a->period, cmd->when_help, cmd->when_arg },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a->out, "Run directory to create (must not exist; missing parent directories are created; optional with --pg)", "DIR" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &a->strict, "Treat any exception row as fatal (exit 1, nothing written)", NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &a->replace, "Atomically replace an existing draft run directory (with --pg: the stored draft run)", NULL },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &a->threads, "Threads for reading, computing, rendering and writing (default 2; 1 = one thread; the output bytes never depend on it)", "N" },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &a->pg, "Read the data set and plans from PostgreSQL (quotient db import) instead of --data and --plans, and store the run there ('' : the PG* environment)", "CONNINFO" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (cmd->purpose);
  g_option_context_set_summary (ctx, cmd->summary);
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
  if (a->pg != NULL && (a->data != NULL || a->plans != NULL))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--pg reads the data set and plans from the database: leave out --data and --plans");
      return FALSE;
    }
  if (a->pg != NULL)
    {
      /* filled in by run_command_main once the database is read */
      a->data = g_strdup ("-");
      a->plans = g_strdup ("-");
    }
  if (!a->data || !a->plans || !a->period || (!a->out && !a->pg))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--data, --plans, --%s and --out (or --pg and --%s) are required (see quotient %s --help)",
                   cmd->when, cmd->when, cmd->command);
      return FALSE;
    }
  if (!*a->data || !*a->plans || !*a->period || (a->out != NULL && !*a->out))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "--data, --plans, --%s and --out must not be empty", cmd->when);
      return FALSE;
    }
  return TRUE;
}

static void
print_summary (const QtRunSummary *s, const char *out)
{
  if (s->receipts_in_period == 0)
    fprintf (stderr, "quotient run: warning: %s has no receipt at all: is --period right? "
             "(--strict refuses such a run)\n", s->period);
  printf ("quotient: period %s\n", s->period);
  printf ("  reps               %u\n", s->reps);
  printf ("  receipts credited  %u of %u (amount %s)\n", s->receipts_credited,
          s->receipts_in_period, s->amount_credited);
  printf ("  exceptions         %u (see exceptions.csv)\n", s->exceptions);
  printf ("  payout total       %s\n", s->payout_total);
  if (out != NULL)
    printf ("  run directory      %s (statements in %s/statements/)\n", out, out);
  else
    printf ("  stored             in the database (quotient export writes it out)\n");
}

static const RunCommand run_command = {
  "run", "period", "Period to compute, a calendar month", "YYYY-MM",
  "— compute one period's commissions",
  "Loads the data set and plan versions, computes period YYYY-MM exactly and\n"
  "writes payout.csv, scores.csv, credits.csv, exceptions.csv, statements/,\n"
  "an input snapshot and manifest.json into --out.\n\n"
  "Example:\n"
  "  quotient run --data fixtures/demo/data --plans fixtures/demo/plans \\\n"
  "               --period 2026-06 --out runs/2026-06",
};

static const RunCommand rebate_command = {
  "rebate", "quarter", "Quarter to compute", "YYYY-Qn",
  "— compute one quarter's distributor rebates",
  "Reconciles every shipment of the quarter against the distributors' invoices\n"
  "and the customers' acceptances, and pays each partner the rebate of its plan\n"
  "on the qualified volume.  Reads partners.csv, products.csv, shipments.csv,\n"
  "partner_invoices.csv and acceptances.csv, and the rebate plans (files with a\n"
  "rebate_plan member) of --plans; writes rebates.csv, reconciliation.csv,\n"
  "exceptions.csv, a statement per partner (statements/), an input snapshot\n"
  "and manifest.json into --out.\n\n"
  "Example:\n"
  "  quotient rebate --data fixtures/rebates/hand/data \\\n"
  "                  --plans fixtures/rebates/hand/plans --quarter 2026-Q1 --out runs/rebates-2026-Q1",
};

/* --pg: the stored data set and plans as directories (*root, removed by
 * the caller), which a->data and a->plans then name.  Refused before any
 * work when the period's stored run may not be replaced or --out exists. */
static gboolean
read_database (PGconn *conn, RunArgs *a, char **root, GError **error)
{
  if (!qt_pg_check_new_run (conn, a->period, a->replace, error)
      || (a->out != NULL && !qt_run_check_new_file (a->out, error))
      || (*root = qt_pg_materialize (conn, error)) == NULL)
    return FALSE;
  g_free (a->data);
  g_free (a->plans);
  a->data = g_build_filename (*root, "data", NULL);
  a->plans = g_build_filename (*root, "plans", NULL);
  return TRUE;
}

/* --pg: the run computed straight into the database (and --out, when
 * given), committed there last; a run directory the user asked for is
 * removed again when that fails, so that the two never disagree. */
static gboolean
execute_stored (PGconn *conn, const RunArgs *a, QtRunOptions *o,
                gboolean (*execute) (const QtRunOptions *o, gpointer summary, GError **error),
                gpointer summary, GError **error)
{
  QtPgStore *store = qt_pg_store_begin (conn, a->period, a->replace, error);
  if (store == NULL)
    return FALSE;
  o->store = qt_pg_store_sink (store);
  if (!execute (o, summary, error))
    {
      qt_pg_store_abort (store);
      return FALSE;
    }
  if (qt_pg_store_commit (store, error))
    return TRUE;
  if (a->out != NULL)
    qt_rmtree (a->out);
  return FALSE;
}

/* Parses, runs `execute` and prints the summary; the exit code. */
static int
run_command_main (const RunCommand *cmd, int argc, char **argv,
                  gboolean (*execute) (const QtRunOptions *o, gpointer summary, GError **error),
                  gpointer summary, void (*print) (gconstpointer summary, const char *out))
{
  RunArgs a = { 0 };
  g_autoptr (GError) error = NULL;
  int rc = 0;
  g_autofree char *stored = NULL; /* the database's data set, as directories */
  g_autoptr (PGconn) conn = NULL;
  gboolean ok = parse_args (cmd, argc, argv, &a, &error);
  if (ok && a.pg != NULL)
    ok = (conn = qt_pg_connect (a.pg, &error)) != NULL && read_database (conn, &a, &stored, &error);
  if (!ok)
    rc = qt_exit_code_for (error);
  else
    {
      /* with --pg, --replace is about the stored run; --out must be new */
      QtRunOptions o = {
        .data_dir = a.data, .plans_dir = a.plans, .period = a.period, .out = a.out,
        .strict = a.strict, .replace = a.replace && conn == NULL, .threads = a.n_threads,
        .keep_until_exit = TRUE,
      };
      if (conn != NULL ? execute_stored (conn, &a, &o, execute, summary, &error)
                       : execute (&o, summary, &error))
        print (summary, a.out);
      else
        rc = qt_exit_code_for (error);
    }
  qt_pg_name_stored (stored, error);
  qt_pg_forget (stored);
  if (error != NULL)
    {
      g_autofree char *name = g_strconcat ("quotient ", cmd->command, NULL);
      qt_print_error (name, error);
    }
  run_args_clear (&a);
  return rc;
}

static gboolean
execute_run (const QtRunOptions *o, gpointer summary, GError **error)
{
  return qt_run_execute (o, summary, error);
}

static void
print_run (gconstpointer summary, const char *out)
{
  print_summary (summary, out);
}

int
qt_cmd_run (int argc, char **argv)
{
  QtRunSummary summary = { 0 };
  int rc = run_command_main (&run_command, argc, argv, execute_run, &summary, print_run);
  qt_run_summary_clear (&summary);
  return rc;
}

static gboolean
execute_rebate (const QtRunOptions *o, gpointer summary, GError **error)
{
  return qt_rebate_execute (o, summary, error);
}

static void
print_rebate (gconstpointer summary, const char *out)
{
  const QtRebateSummary *s = summary;
  printf ("quotient: rebates %s\n", s->quarter);
  printf ("  partners           %u\n", s->partners);
  printf ("  shipments          %u qualified of %u (amount %s)\n", s->qualified, s->shipments,
          s->amount_qualified);
  printf ("  exceptions         %u (see exceptions.csv)\n", s->exceptions);
  printf ("  rebate total       %s\n", s->rebate_total);
  printf ("  run directory      %s\n", out != NULL ? out : "stored in the database");
}

int
qt_cmd_rebate (int argc, char **argv)
{
  QtRebateSummary summary = { 0 };
  int rc = run_command_main (&rebate_command, argc, argv, execute_rebate, &summary, print_rebate);
  qt_rebate_summary_clear (&summary);
  return rc;
}
