/* run/pipeline.c — loaders → rules → calc → reports → manifest → commit
 * for one period. */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

#include "../model/money.h"
#include "../calc/engine.h"
#include "../loaders/dataset_loader.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../reports/output.h"
#include "../reports/rebate_report.h"
#include "../reports/statement.h"
#include "pipeline_internal.h"
#include "run_dir.h"

/* QT_TIMING=1 prints how long each phase took to stderr (for bench/ and
 * profiling; never part of any output file). */
void
qt_pipeline_phase (const char *name)
{
  static gint64 last;
  static int enabled = -1;
  if (enabled < 0)
    enabled = g_getenv ("QT_TIMING") != NULL;
  gint64 now = g_get_monotonic_time ();
  if (enabled && name != NULL)
    fprintf (stderr, "timing: %-12s %6" G_GINT64_FORMAT " ms\n", name, (now - last) / 1000);
  last = now;
}

/* The run's own copy of one input file (its bytes shared with the sink,
 * hash known from loading). */
static gboolean
put_input (QtOutputSink *sink, const QtInputFile *f, GError **error)
{
  g_autofree char *name = g_strconcat ("inputs/data/", f->name, NULL);
  return qt_output_sink_put_held (sink, name, f->bytes, (gint) f->rows, f->sha256, error);
}

/* The run's own copy of its plan versions, so that verify needs nothing
 * else. */
static gboolean
put_plans (const QtPipeline *p, QtOutputSink *sink, GError **error)
{
  guint n;
  const QtPlanVersion *const *versions = qt_plan_set_versions (p->plans, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strconcat ("inputs/plans/", versions[i]->file_name, NULL);
      if (!qt_output_sink_put_held (sink, name, versions[i]->bytes, -1, versions[i]->sha256, error))
        return FALSE;
    }
  return TRUE;
}

/* Each data file goes to the sink as soon as it is loaded (a QtFileLoaded):
 * a sink with a thread writes it while the next files load. */
typedef struct {
  QtOutputSink *sink;
  GError *error;   /* the first failure */
} EarlyInputs;

static void
put_loaded (QtInputFile *file, gpointer data)
{
  EarlyInputs *early = data;
  if (early->error == NULL)
    put_input (early->sink, file, &early->error);
  /* The sink keeps its own reference until the file is written: the
   * memory is then free for the rest of the run (185 MB at M). */
  g_clear_pointer (&file->bytes, g_bytes_unref);
}

gboolean
qt_pipeline_parse_when (QtRunKind kind, const char *text, gint32 *when)
{
  return kind == QT_RUN_REBATE ? qt_quarter_parse (text, strlen (text), when)
                               : qt_period_parse (text, strlen (text), when);
}

/* The engine of the run's kind on the loaded data set. */
static gboolean
calculate (QtPipeline *p, const char *data_dir, gint32 when, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (p->kind == QT_RUN_REBATE)
    p->rebate = qt_rebate_compute (p->ds, p->plans, when, &local);
  else
    {
      const QtEngineOptions engine = { .threads = p->threads };
      p->res = qt_engine_run (p->ds, p->plans, when, &engine, &local);
    }
  if (local == NULL)
    return TRUE;
  /* The engines name the bare file; give it the path the user typed. */
  g_prefix_error (&local, "%s%s", data_dir, g_str_has_suffix (data_dir, "/") ? "" : "/");
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
qt_pipeline_compute_kind (QtRunKind kind, const char *data_dir, const char *plans_dir,
                          gint32 when, guint threads, const QtOverlay *overlay,
                          QtOutputSink *sink, QtPipeline *out, GError **error)
{
  g_return_val_if_fail (sink != NULL && threads >= 1, FALSE);
  QtPipeline p = { .kind = kind, .threads = threads };
  qt_pipeline_phase (NULL);
  p.plans = qt_plan_set_load_dir_kind (plans_dir, kind == QT_RUN_REBATE ? QT_PLAN_REBATE
                                                                        : QT_PLAN_COMMISSION,
                                       error);
  if (p.plans == NULL)
    return FALSE;
  qt_pipeline_phase ("plans");
  EarlyInputs early = { sink, NULL };
  const QtLoadOptions load = { .threads = p.threads, .loaded = put_loaded, .loaded_data = &early,
                               .overlay = overlay,
                               .tables = kind == QT_RUN_REBATE ? QT_TABLES_REBATE
                                                               : QT_TABLES_COMMISSION };
  p.ds = qt_dataset_load_dir (data_dir, &load, error);
  qt_pipeline_phase ("load data");
  if (p.ds == NULL)
    {
      g_clear_error (&early.error); /* the load's own error comes first */
      qt_pipeline_clear (&p);
      return FALSE;
    }
  if (early.error != NULL || !put_plans (&p, sink, error) || !calculate (&p, data_dir, when, error))
    {
      if (early.error != NULL)
        g_propagate_error (error, early.error);
      qt_pipeline_clear (&p);
      return FALSE;
    }
  qt_pipeline_phase ("calculate");
  *out = p;
  return TRUE;
}

gboolean
qt_pipeline_compute (const char *data_dir, const char *plans_dir, QtPeriod period,
                     guint threads, const QtOverlay *overlay, QtOutputSink *sink, QtPipeline *out,
                     GError **error)
{
  return qt_pipeline_compute_kind (QT_RUN_COMMISSION, data_dir, plans_dir, period, threads,
                                   overlay, sink, out, error);
}

typedef struct {
  const QtRunResult *res;
  GPtrArray *list;     /* the rendered tables, until put */
  QtOutputSink *sink;  /* non-NULL: put them from the tables' thread */
  gboolean ok;
  GError *error;       /* of that put */
} TablesJob;

static gpointer
render_tables (gpointer data)
{
  TablesJob *job = data;
  qt_report_tables (job->res, job->list);
  /* Hashed on this thread too: the sink's thread then only writes. */
  for (guint i = 0; i < job->list->len; i++)
    {
      QtOutputFile *f = g_ptr_array_index (job->list, i);
      if (f->sha256 == NULL)
        f->sha256 = qt_sha256_hex_bytes (f->bytes);
    }
  /* Queued at once, between the statements: put after the last statement,
   * credits.csv (31 MB at M) was written while nothing else ran (on ext4
   * ~0.07 s at the end of the run). */
  if (job->sink != NULL)
    job->ok = qt_output_sink_put_list (job->sink, job->list, &job->error);
  return NULL;
}

/* A rebate run's files: its tables, then manifest.json. */
static gboolean
emit_rebate (QtPipeline *p, QtSinkQueue *queue, GError **error)
{
  QtOutputSink *sink = &queue->sink;
  g_autoptr (GPtrArray) tables = qt_output_list_new ();
  qt_report_rebate_tables (p->rebate, tables);
  qt_pipeline_phase ("tables");
  qt_report_rebate_statements (p->rebate, tables);
  qt_pipeline_phase ("statements");
  if (!qt_output_sink_put_list (sink, tables, error) || !qt_sink_queue_finish (queue, error))
    return FALSE;
  qt_pipeline_phase ("writing");
  g_autoptr (GBytes) manifest = g_string_free_to_bytes (qt_manifest_render_rebate (p->rebate,
                                                                                  sink->files));
  return qt_output_sink_put (sink, "manifest.json", manifest, -1, NULL, error);
}

gboolean
qt_pipeline_emit (QtPipeline *p, QtSinkQueue *queue, QtRunKind kind, GError **error)
{
  if (kind == QT_RUN_REBATE)
    return emit_rebate (p, queue, error);
  QtOutputSink *sink = &queue->sink;
  /* The four tables render on a thread of their own while the statements
   * render; both only read the result, and files may reach the sink in
   * any order (the manifest sorts them). */
  TablesJob job = { p->res, qt_output_list_new (), qt_sink_queue_is_threaded (queue) ? sink : NULL,
                    TRUE, NULL };
  GThread *tables = p->threads > 1 ? g_thread_try_new ("qt-report", render_tables, &job, NULL) : NULL;
  if (tables == NULL)
    render_tables (&job);
  gboolean ok = qt_report_statements_to (p->res, sink, p->threads, error);
  if (tables != NULL)
    g_thread_join (tables);
  if (ok && !job.ok)
    g_propagate_error (error, g_steal_pointer (&job.error));
  g_clear_error (&job.error);
  ok = ok && job.ok && qt_output_sink_put_list (sink, job.list, error);
  g_ptr_array_unref (job.list);
  if (!ok)
    return FALSE;
  qt_pipeline_phase ("tables+statements");
  if (!qt_sink_queue_finish (queue, error))
    return FALSE;
  qt_pipeline_phase ("writing");
  g_autoptr (GBytes) manifest = g_string_free_to_bytes (qt_manifest_render (kind, p->res, sink->files, NULL));
  ok = qt_output_sink_put (sink, "manifest.json", manifest, -1, NULL, error);
  qt_pipeline_phase ("manifest");
  return ok;
}

void
qt_pipeline_clear (QtPipeline *p)
{
  g_clear_pointer (&p->res, qt_run_result_free);
  g_clear_pointer (&p->rebate, qt_rebate_result_free);
  g_clear_pointer (&p->ds, qt_dataset_free);
  g_clear_pointer (&p->plans, qt_plan_set_free);
}

void
qt_pipeline_keep_until_exit (QtPipeline *p)
{
  static QtPipeline kept;
  qt_pipeline_clear (&kept);
  kept = *p;
  *p = (QtPipeline) { 0 };
}

/* Under `strict` any exception row is fatal (SPEC §7), and so is a month
 * without a single receipt (a mistyped --period computes nothing). */
static gboolean
check_strict (const QtPipeline *p, GError **error)
{
  const GArray *exceptions = p->kind == QT_RUN_REBATE ? p->rebate->exceptions : p->res->exceptions;
  guint n = exceptions->len;
  if (p->kind == QT_RUN_COMMISSION && p->res->receipts_in_period == 0)
    {
      char period[8];
      g_set_error (error, QT_ERROR, QT_ERROR_STRICT,
                   "--strict: %s has no receipt at all (is --period right?); nothing written",
                   qt_period_format (p->res->period, period));
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  const QtException *first = &g_array_index (exceptions, QtException, 0);
  g_set_error (error, QT_ERROR, QT_ERROR_STRICT,
               "%s:%u: %s: %s (--strict: %u exception row%s, nothing written)", first->file,
               first->line, first->code, first->message, n, n == 1 ? "" : "s");
  return FALSE;
}

static void
summarize (const QtRunResult *res, QtRunSummary *s)
{
  qt_period_format (res->period, s->period);
  s->reps = res->n_reps;
  s->receipts_in_period = res->receipts_in_period;
  s->receipts_credited = res->receipts_credited;
  s->amount_credited = qt_fixed_format (res->amount_credited, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  s->exceptions = res->exceptions->len;
  s->payout_total = qt_fixed_format (res->sum_totals, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
}

/* Computes the run straight into its (temporary) run directory through a
 * queue and commits it; nothing appears at `out` unless everything was
 * written.  With threads to spare, the queue's thread writes the input
 * snapshot while the engine computes, and each statement while the next
 * renders. */
static gboolean
run_into_dir (QtRunKind kind, const QtRunOptions *o, gint32 when, guint threads, QtPipeline *p,
              GError **error)
{
  QtRunDirWriter *w = NULL;
  if (o->out != NULL && (w = qt_run_dir_begin (o->out, o->replace, kind, o->period, error)) == NULL)
    return FALSE;
  QtSinkTee tee = { 0 };
  QtOutputSink *target = w != NULL ? qt_run_dir_sink (w) : o->store;
  if (w != NULL && o->store != NULL)
    {
      qt_sink_tee_init (&tee, target, o->store);
      target = &tee.sink;
    }
  g_autoptr (QtSinkQueue) queue = qt_sink_queue_new (target, threads > 1);
  gboolean ok = qt_pipeline_compute_kind (kind, o->data_dir, o->plans_dir, when, threads, NULL,
                                          &queue->sink, p, error)
                && (!o->strict || check_strict (p, error)) && qt_pipeline_emit (p, queue, kind, error);
  if (!ok)
    {
      qt_sink_queue_finish (queue, NULL); /* nothing may still be writing */
      qt_run_dir_abort (w);
    }
  else
    ok = w == NULL || qt_run_dir_commit (w, error);
  qt_sink_tee_clear (&tee);
  qt_pipeline_phase ("commit");
  return ok;
}

/* --period, which must be a month (--quarter, a quarter, for rebates). */
static gboolean
parse_when (QtRunKind kind, const char *text, gint32 *when, GError **error)
{
  if (qt_pipeline_parse_when (kind, text, when))
    return TRUE;
  if (kind == QT_RUN_REBATE)
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--quarter '%s' is not a quarter YYYY-Qn", text);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--period '%s' is not a month YYYY-MM", text);
  return FALSE;
}

/* A run of `kind` into o->out; *p holds what was computed (release it
 * with release). */
static gboolean
execute (QtRunKind kind, const QtRunOptions *o, QtPipeline *p, GError **error)
{
  g_return_val_if_fail (o != NULL && o->data_dir != NULL && o->plans_dir != NULL
                        && o->period != NULL && (o->out != NULL || o->store != NULL), FALSE);
  gint32 when;
  if (!parse_when (kind, o->period, &when, error))
    return FALSE;
  guint threads = o->threads == 0 ? QT_RUN_DEFAULT_THREADS : MIN (o->threads, QT_RUN_MAX_THREADS);
  return run_into_dir (kind, o, when, threads, p, error);
}

static void
release (const QtRunOptions *o, QtPipeline *p)
{
  if (o->keep_until_exit)
    qt_pipeline_keep_until_exit (p);
  else
    qt_pipeline_clear (p);
}

gboolean
qt_run_execute (const QtRunOptions *o, QtRunSummary *summary, GError **error)
{
  QtPipeline p = { 0 };
  gboolean ok = execute (QT_RUN_COMMISSION, o, &p, error);
  if (ok && summary != NULL)
    summarize (p.res, summary);
  release (o, &p);
  return ok;
}

void
qt_run_summary_clear (QtRunSummary *s)
{
  g_clear_pointer (&s->amount_credited, g_free);
  g_clear_pointer (&s->payout_total, g_free);
}

/* A sink that keeps nothing: a computation that writes no run. */
static gboolean
discard_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  (void) sink, (void) file, (void) bytes, (void) error;
  return TRUE;
}

GHashTable *
qt_run_payout_totals (const char *data_dir, const char *plans_dir, const char *period_text,
                      const QtOverlay *overlay, guint threads, GError **error)
{
  QtPeriod period;
  if (!parse_when (QT_RUN_COMMISSION, period_text, &period, error))
    return NULL;
  QtOutputSink discard;
  qt_output_sink_init (&discard, discard_put);
  QtPipeline p = { 0 };
  threads = threads == 0 ? QT_RUN_DEFAULT_THREADS : MIN (threads, QT_RUN_MAX_THREADS);
  gboolean ok = qt_pipeline_compute (data_dir, plans_dir, period, threads, overlay, &discard, &p,
                                     error);
  qt_output_sink_clear (&discard);
  if (!ok)
    return NULL;
  GHashTable *totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < p.res->n_reps; i++)
    {
      const QtRepResult *r = &p.res->reps[i];
      g_hash_table_insert (totals, g_strdup (p.ds->reps[r->rep].rep_id),
                           qt_fixed_format (r->r_total, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN));
    }
  qt_pipeline_clear (&p);
  return totals;
}

gboolean
qt_rebate_execute (const QtRunOptions *o, QtRebateSummary *summary, GError **error)
{
  QtPipeline p = { 0 };
  gboolean ok = execute (QT_RUN_REBATE, o, &p, error);
  if (ok && summary != NULL)
    {
      const QtRebateResult *r = p.rebate;
      qt_quarter_format (r->quarter, summary->quarter);
      summary->partners = r->n_partners;
      summary->shipments = r->n_shipments;
      summary->qualified = r->n_qualified;
      summary->amount_qualified = qt_fixed_format (r->amount_qualified, QT_MONEY_DECIMALS,
                                                   QT_ROUND_HALF_EVEN);
      summary->exceptions = r->exceptions->len;
      summary->rebate_total = qt_fixed_format (r->rebate_total, QT_MONEY_DECIMALS,
                                               QT_ROUND_HALF_EVEN);
    }
  release (o, &p);
  return ok;
}

void
qt_rebate_summary_clear (QtRebateSummary *s)
{
  g_clear_pointer (&s->amount_qualified, g_free);
  g_clear_pointer (&s->rebate_total, g_free);
}
