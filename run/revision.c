/* run/revision.c — a revised run (see revision.h). */
#include "revision.h"

#include <string.h>

#include "../loaders/csv_reader.h"
#include "../model/money.h"
#include "../model/qt_error.h"
#include "../reports/statement.h"
#include "../reports/statement_revision.h"
#include "pipeline.h"
#include "run_dir.h"
#include "table_diff.h"

#define TABLE_MAX ((gsize) 1 << 32)

/* ---- what changed per rep ---- */

static void
add_change (GHashTable *by_rep, QtCellChange *c)
{
  GPtrArray *list = g_hash_table_lookup (by_rep, c->rep_id);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) qt_cell_change_free);
      g_hash_table_insert (by_rep, g_strdup (c->rep_id), list);
    }
  g_ptr_array_add (list, c);
}

static GBytes *
rendered (GPtrArray *tables, const char *name)
{
  for (guint i = 0; i < tables->len; i++)
    {
      QtOutputFile *f = g_ptr_array_index (tables, i);
      if (strcmp (f->name, name) == 0)
        return f->bytes;
    }
  return NULL;
}

typedef struct {
  guint lines;
  mpq_t weighted;
} CreditSum;

static void
credit_sum_free (gpointer p)
{
  CreditSum *c = p;
  mpq_clear (c->weighted);
  g_free (c);
}

/* An exact number of SPEC §12.10 ("12.5", "10000/3"). */
static gboolean
parse_exact (mpq_ptr v, const char *text)
{
  if (strchr (text, '/') == NULL)
    return qt_decimal_parse (v, text, strlen (text), NULL);
  if (mpq_set_str (v, text, 10) != 0 || mpz_sgn (mpq_denref (v)) == 0)
    return FALSE;
  mpq_canonicalize (v);
  return TRUE;
}

/* Per rep: the credits.csv lines and the sum of their weighted_amount. */
static GHashTable *
credit_sums (GBytes *bytes, const char *name, GError **error)
{
  static const char *const cols[] = { "rep_id", "weighted_amount" };
  g_autoptr (GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, credit_sum_free);
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  if (data == NULL)
    return g_steal_pointer (&sums);
  g_autoptr (QtCsvReader) r = qt_csv_reader_new (name, data, len, NULL);
  qt_csv_reader_drop_guards (r);
  int idx[2];
  QtCsvRecord rec;
  if (!qt_csv_reader_read_header (r, cols, 2, idx, error))
    return NULL;
  g_autoptr (GError) local = NULL;
  while (qt_csv_reader_next (r, &rec, &local))
    {
      CreditSum *c = g_hash_table_lookup (sums, rec.fields[idx[0]]);
      if (c == NULL)
        {
          c = g_new0 (CreditSum, 1);
          mpq_init (c->weighted);
          g_hash_table_insert (sums, g_strdup (rec.fields[idx[0]]), c);
        }
      g_auto (mpq_t) w;
      mpq_init (w);
      if (!parse_exact (w, rec.fields[idx[1]]))
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u: weighted_amount '%s' is not "
                       "an exact number", name, rec.line, rec.fields[idx[1]]);
          return NULL;
        }
      mpq_add (c->weighted, c->weighted, w);
      c->lines++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&sums);
}

static char *
credit_text (const CreditSum *c)
{
  if (c == NULL)
    return g_strdup ("");
  g_autofree char *sum = qt_exact_format (c->weighted);
  return g_strdup_printf ("%s (%u line%s)", sum, c->lines, c->lines == 1 ? "" : "s");
}

typedef struct {
  GBytes *bytes;
  const char *name;
  GHashTable *sums;
  GError *error;
} SumsJob;

static gpointer
sums_thread (gpointer data)
{
  SumsJob *job = data;
  job->sums = credit_sums (job->bytes, job->name, &job->error);
  return NULL;
}

/* Reps whose credit lines changed: their count or weighted sum.  The two
 * versions (half a million lines each at M) are summed side by side. */
static gboolean
credit_changes (GBytes *old, GBytes *now, const char *old_name, GHashTable *by_rep, GError **error)
{
  SumsJob job = { old, old_name, NULL, NULL };
  GThread *thread = g_thread_try_new ("qt-credit-sums", sums_thread, &job, NULL);
  if (thread == NULL)
    sums_thread (&job);
  g_autoptr (GError) local = NULL;
  g_autoptr (GHashTable) b = credit_sums (now, "credits.csv", &local);
  if (thread != NULL)
    g_thread_join (thread);
  g_autoptr (GHashTable) a = job.sums;
  if (job.error != NULL || local != NULL)
    {
      g_propagate_error (error, job.error != NULL ? job.error : g_steal_pointer (&local));
      return FALSE;
    }
  g_autoptr (GHashTable) reps = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter it;
  gpointer key;
  for (GHashTable *side = a; side != NULL; side = side == a ? b : NULL)
    for (g_hash_table_iter_init (&it, side); g_hash_table_iter_next (&it, &key, NULL);)
      g_hash_table_add (reps, key);
  for (g_hash_table_iter_init (&it, reps); g_hash_table_iter_next (&it, &key, NULL);)
    {
      const CreditSum *x = g_hash_table_lookup (a, key), *y = g_hash_table_lookup (b, key);
      if (x != NULL && y != NULL && x->lines == y->lines && mpq_equal (x->weighted, y->weighted))
        continue;
      QtCellChange *c = g_new0 (QtCellChange, 1);
      c->rep_id = g_strdup (key);
      c->file = "credits.csv";
      c->column = g_strdup ("weighted_amount (sum)");
      c->old_value = credit_text (x);
      c->new_value = credit_text (y);
      add_change (by_rep, c);
    }
  return TRUE;
}

/* rep_id → GPtrArray of QtCellChange: payout.csv, scores.csv (column order)
 * and credits.csv against the revision before. */
static GHashTable *
changes_by_rep (const char *previous, GPtrArray *tables, GError **error)
{
  g_autoptr (GHashTable) by_rep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  static const char *const files[] = { "payout.csv", "scores.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (GBytes) old = qt_run_read_file (previous, files[i], TABLE_MAX, error);
      g_autofree char *old_name = g_build_filename (previous, files[i], NULL);
      g_autoptr (GPtrArray) list = old ? qt_table_diff_bytes (files[i], old, rendered (tables, files[i]),
                                                              old_name, files[i], error) : NULL;
      if (list == NULL)
        return NULL;
      g_ptr_array_set_free_func (list, NULL);
      for (guint k = 0; k < list->len; k++)
        add_change (by_rep, g_ptr_array_index (list, k));
    }
  g_autoptr (GBytes) old = qt_run_read_file (previous, "credits.csv", TABLE_MAX, error);
  g_autofree char *old_name = g_build_filename (previous, "credits.csv", NULL);
  if (old == NULL || !credit_changes (old, rendered (tables, "credits.csv"), old_name, by_rep, error))
    return NULL;
  return g_steal_pointer (&by_rep);
}

/* ---- statements with their revision section ---- */

typedef struct {
  QtOutputSink sink;           /* the statements are put here... */
  QtOutputSink *target;        /* ...and go on to this one */
  GHashTable *by_file;         /* "statements/<stem>.json|.txt" → GPtrArray of QtCellChange */
  const QtRevisionInfo *rev;
} ReviseSink;

static gboolean
revise_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  ReviseSink *rs = (ReviseSink *) sink;
  GPtrArray *list = g_hash_table_lookup (rs->by_file, file->name);
  if (list == NULL)
    return qt_output_sink_put (rs->target, file->name, bytes, file->rows, file->sha256, error);
  g_autofree QtStatementChange *changes = g_new0 (QtStatementChange, list->len);
  for (guint i = 0; i < list->len; i++)
    {
      const QtCellChange *c = g_ptr_array_index (list, i);
      changes[i] = (QtStatementChange) { c->file, c->column, c->old_value, c->new_value };
    }
  const QtStatementRevision header = { rs->rev->number, rs->rev->appeals };
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GString *text = g_string_new_len (data, (gssize) len);
  if (g_str_has_suffix (file->name, ".json"))
    qt_statement_revision_json (text, &header, changes, list->len);
  else
    qt_statement_revision_text (text, &header, changes, list->len);
  g_autoptr (GBytes) revised = g_string_free_to_bytes (text);
  return qt_output_sink_put (rs->target, file->name, revised, file->rows, NULL, error);
}

/* Rows of one rep's changes in file order: payout.csv, scores.csv, credits.csv. */
static gint
file_rank (const char *file)
{
  return strcmp (file, "payout.csv") == 0 ? 0 : strcmp (file, "scores.csv") == 0 ? 1 : 2;
}

static gint
change_cmp (gconstpointer a, gconstpointer b)
{
  const QtCellChange *x = *(QtCellChange *const *) a, *y = *(QtCellChange *const *) b;
  return file_rank (x->file) - file_rank (y->file);
}

static GHashTable *
by_statement_file (GHashTable *by_rep)
{
  GHashTable *by_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer rep, list;
  for (g_hash_table_iter_init (&it, by_rep); g_hash_table_iter_next (&it, &rep, &list);)
    {
      g_ptr_array_sort (list, change_cmp); /* stable: column order stays within a file */
      g_autofree char *stem = qt_statement_file_stem (rep);
      g_hash_table_insert (by_file, g_strdup_printf ("statements/%s.json", stem), list);
      g_hash_table_insert (by_file, g_strdup_printf ("statements/%s.txt", stem), list);
    }
  return by_file;
}

gboolean
qt_pipeline_emit_revision (QtPipeline *p, QtSinkQueue *queue, const QtRevisionInfo *rev,
                           GError **error)
{
  g_autoptr (GPtrArray) tables = qt_output_list_new ();
  qt_report_tables (p->res, tables);
  qt_pipeline_phase ("tables");
  g_autoptr (GHashTable) by_rep = changes_by_rep (rev->previous, tables, error);
  if (by_rep == NULL)
    return FALSE;
  qt_pipeline_phase ("changes");
  g_autoptr (GHashTable) by_file = by_statement_file (by_rep);
  ReviseSink rs = { .target = &queue->sink, .by_file = by_file, .rev = rev };
  qt_output_sink_init (&rs.sink, revise_put);
  gboolean ok = qt_report_statements_to (p->res, &rs.sink, p->threads, error);
  qt_output_sink_clear (&rs.sink);
  qt_pipeline_phase ("statements");
  if (!ok || !qt_output_sink_put_list (&queue->sink, tables, error)
      || !qt_sink_queue_finish (queue, error))
    return FALSE;
  qt_pipeline_phase ("writing");
  const QtManifestRevision mr = { rev->number, rev->applied };
  g_autoptr (GBytes) manifest = g_string_free_to_bytes (
    qt_manifest_render (QT_RUN_COMMISSION, p->res, queue->sink.files, &mr));
  return qt_output_sink_put (&queue->sink, "manifest.json", manifest, -1, NULL, error);
}

/* ---- the new revision's directory ---- */

/* The run's current outputs (as its manifest lists them) into
 * revisions/<n>/, with earlier revisions and the evidence store. */
static gboolean
keep_history (QtRunDirWriter *w, const char *run_dir, guint previous, GError **error)
{
  g_autoptr (QtManifest) m = qt_manifest_read (run_dir, QT_RUN_COMMISSION, error);
  if (m == NULL || !qt_run_dir_keep (w, "revisions", "revisions", error)
      || !qt_run_dir_keep (w, "evidence", "evidence", error))
    return FALSE;
  g_autofree char *dir = g_strdup_printf ("revisions/%u", previous);
  g_autofree char *to_manifest = g_build_filename (dir, "manifest.json", NULL);
  if (!qt_run_dir_keep (w, "manifest.json", to_manifest, error))
    return FALSE;
  for (guint i = 0; i < m->outputs->len; i++)
    {
      const QtManifestFile *f = g_ptr_array_index (m->outputs, i);
      g_autofree char *to = g_build_filename (dir, f->file, NULL);
      if (!qt_run_dir_keep (w, f->file, to, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
qt_revision_execute (const QtRevisionOptions *o, GError **error)
{
  g_autoptr (QtManifest) m = qt_manifest_read (o->run_dir, QT_RUN_COMMISSION, error);
  QtPeriod period;
  if (m == NULL || !qt_period_parse (m->period, strlen (m->period), &period))
    return FALSE;
  QtRunDirWriter *w = qt_run_dir_begin_revision (o->run_dir, error);
  if (w == NULL)
    return FALSE;
  guint threads = o->threads == 0 ? QT_RUN_DEFAULT_THREADS : MIN (o->threads, QT_RUN_MAX_THREADS);
  g_autofree char *data = g_build_filename (o->run_dir, "inputs", "data", NULL);
  g_autofree char *plans = g_build_filename (o->run_dir, "inputs", "plans", NULL);
  QtRevisionInfo rev = o->rev;
  rev.previous = o->run_dir;
  QtPipeline p = { 0 };
  g_autoptr (QtSinkQueue) queue = qt_sink_queue_new (qt_run_dir_sink (w), threads > 1);
  gboolean ok = keep_history (w, o->run_dir, rev.number - 1, error)
                && qt_run_dir_put_unlisted (w, "journal.jsonl", o->journal, error)
                && qt_pipeline_compute (data, plans, period, threads, o->overlay, &queue->sink, &p, error)
                && qt_pipeline_emit_revision (&p, queue, &rev, error);
  qt_sink_queue_finish (queue, NULL);
  if (o->keep_until_exit)
    qt_pipeline_keep_until_exit (&p);
  else
    qt_pipeline_clear (&p);
  if (!ok)
    {
      qt_run_dir_abort (w);
      return FALSE;
    }
  gboolean committed = qt_run_dir_commit (w, error);
  qt_pipeline_phase ("commit");
  return committed;
}
