/* reports/statement_run.c — the statements of a run (SPEC §5): rendered on
 * several threads into separate slots, a batch of reps at a time, then
 * handed on in rep_id order, so the bytes never depend on the number of
 * threads and only one batch is ever in memory. */
#include "statement_internal.h"

#include "../model/sha256.h"
#include "output.h"
#include "rep_order.h"

#define QT_STATEMENT_DEFAULT_THREADS 2

/* The work the threads share: each takes the next position of the rep_id
 * order until none is left, and fills that position's two slots only. */
typedef struct {
  const QtStatementIndex *ix;
  const guint *order;      /* the batch's reps, in rep_id order */
  guint n;
  gint next;               /* next position to take (atomic) */
  GString **json, **text;  /* per position */
  char **json_sha, **text_sha; /* their SHA-256, per position */
} Work;

/* Reps per thread per batch: big enough to keep the threads busy, small
 * enough that a batch of statements stays a few MB. */
#define QT_STATEMENT_BATCH_PER_THREAD 128

/* Renders positions until none is left (a GThreadFunc): builds each rep's
 * model from the shared index (calc/statement_model.h) and formats it;
 * writes only the slots of the positions it took. */
static gpointer
render_work (gpointer data)
{
  Work *w = data;
  /* Hashed here, while the bytes are in this core's cache, so the sink's
   * thread only writes them; a statement's JSON and text (and the next
   * rep's) are hashed side by side. */
  g_autoptr (QtSha256Batch) sha = qt_sha256_batch_new ();
  for (;;)
    {
      const gint k = g_atomic_int_add (&w->next, 1);
      if (k < 0 || (guint) k >= w->n)
        return NULL;
      g_autoptr (QtStatementModel) m = qt_statement_model_build (w->ix, w->order[k]);
      w->json[k] = qt_statement_json_of (m);
      w->text[k] = qt_statement_text_of (m);
      qt_sha256_batch_add (sha, w->json[k]->str, w->json[k]->len, &w->json_sha[k]);
      qt_sha256_batch_add (sha, w->text[k]->str, w->text[k]->len, &w->text_sha[k]);
    }
}

/* Runs render_work on n_threads threads, the calling one included. */
static void
render_all (Work *w, guint n_threads)
{
  g_autofree GThread **threads = g_new0 (GThread *, n_threads + 1);
  for (guint i = 1; i < n_threads; i++)
    {
      g_autoptr (GError) error = NULL;
      /* No thread to be had: the others (at least this one) do its share. */
      threads[i] = g_thread_try_new ("qt-statements", render_work, w, &error);
    }
  render_work (w);
  for (guint i = 1; i < n_threads; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
}

/* Hands the rendered batch to the sink in rep_id order (freeing it). */
static gboolean
put_batch (const QtRunResult *res, const Work *w, QtOutputSink *sink, GError **error)
{
  gboolean ok = TRUE;
  for (guint k = 0; k < w->n; k++)
    {
      const QtRep *rep = &res->ds->reps[res->reps[w->order[k]].rep];
      g_autofree char *stem = qt_statement_file_stem (rep->rep_id);
      g_autofree char *json_name = g_strconcat ("statements/", stem, ".json", NULL);
      g_autofree char *text_name = g_strconcat ("statements/", stem, ".txt", NULL);
      g_autoptr (GBytes) json = g_string_free_to_bytes (g_steal_pointer (&w->json[k]));
      g_autoptr (GBytes) text = g_string_free_to_bytes (g_steal_pointer (&w->text[k]));
      g_autofree char *json_sha = g_steal_pointer (&w->json_sha[k]);
      g_autofree char *text_sha = g_steal_pointer (&w->text_sha[k]);
      ok = ok && qt_output_sink_put (sink, json_name, json, -1, json_sha, error)
           && qt_output_sink_put (sink, text_name, text, -1, text_sha, error);
    }
  return ok;
}

gboolean
qt_report_statements_to (const QtRunResult *res, QtOutputSink *sink, guint n_threads,
                         GError **error)
{
  g_return_val_if_fail (res != NULL && sink != NULL && n_threads >= 1, FALSE);
  g_return_val_if_fail (res->n_reps <= G_MAXINT, FALSE);
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (res);
  g_autofree guint *order = qt_rep_order (res);
  guint batch = QT_STATEMENT_BATCH_PER_THREAD * n_threads;
  g_autofree GString **json = g_new0 (GString *, batch + 1);
  g_autofree GString **text = g_new0 (GString *, batch + 1);
  g_autofree char **json_sha = g_new0 (char *, batch + 1);
  g_autofree char **text_sha = g_new0 (char *, batch + 1);
  for (guint first = 0; first < res->n_reps; first += batch)
    {
      Work w = { ix, order + first, MIN (batch, res->n_reps - first), 0, json, text, json_sha,
                 text_sha };
      render_all (&w, MAX (1, MIN (n_threads, w.n)));
      if (!put_batch (res, &w, sink, error))
        return FALSE;
    }
  return TRUE;
}

/* A sink that collects files into a list (keeping their bytes). */
typedef struct {
  QtOutputSink sink;
  GPtrArray *out;
} ListSink;

static gboolean
list_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  (void) error;
  ListSink *ls = (ListSink *) sink;
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (file->name);
  f->bytes = g_bytes_ref (bytes);
  f->size = g_bytes_get_size (bytes);
  f->rows = -1;
  g_ptr_array_add (ls->out, f);
  return TRUE;
}

void
qt_report_statements_threads (const QtRunResult *res, GPtrArray *out, guint n_threads)
{
  ListSink ls = { .out = out };
  qt_output_sink_init (&ls.sink, list_put);
  qt_report_statements_to (res, &ls.sink, n_threads, NULL);
  qt_output_sink_clear (&ls.sink);
}

/* qt_report_statements_threads with the default number of threads. */
void
qt_report_statements (const QtRunResult *res, GPtrArray *out)
{
  qt_report_statements_threads (res, out, QT_STATEMENT_DEFAULT_THREADS);
}
