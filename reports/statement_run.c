/* reports/statement_run.c — the statements of a run (SPEC §5): rendered on
 * several threads into separate slots, then added to the run's files in
 * rep_id order, so the bytes never depend on the number of threads. */
#include "statement_internal.h"

#include "output.h"
#include "rep_order.h"

#define QT_STATEMENT_MAX_THREADS 64
#define QT_STATEMENT_DEFAULT_THREADS 2

/* The work the threads share: each takes the next position of the rep_id
 * order until none is left, and fills that position's two slots only. */
typedef struct {
  const QtStatementIndex *ix;
  const guint *order;
  guint n;
  gint next;               /* next position to take (atomic) */
  GString **json, **text;  /* per position */
} Work;

/* Rendering threads from QT_THREADS (see statement.h). */
guint
qt_statement_threads (void)
{
  /* QT_THREADS: how many threads render statements (1 = the calling
   * thread only); the default suits the 2-core machines we run on. */
  const char *env = g_getenv ("QT_THREADS");
  guint64 n;
  if (env == NULL
      || !g_ascii_string_to_unsigned (env, 10, 1, QT_STATEMENT_MAX_THREADS, &n, NULL))
    return QT_STATEMENT_DEFAULT_THREADS;
  return (guint) n;
}

/* Renders positions until none is left (a GThreadFunc); reads only the
 * index and the result, writes only the slots of the positions it took. */
static gpointer
render_work (gpointer data)
{
  Work *w = data;
  for (;;)
    {
      const gint k = g_atomic_int_add (&w->next, 1);
      if (k < 0 || (guint) k >= w->n)
        return NULL;
      const guint rep = w->order[k];
      guint n;
      g_autofree QtStatementCredit *credits = qt_statement_credits (w->ix, w->ix->res->reps[rep].rep, &n);
      w->json[k] = qt_statement_json_of (w->ix, rep, credits, n);
      w->text[k] = qt_statement_text_of (w->ix, rep, credits, n);
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

/* Adds the rendered statement files in rep_id order (taking the strings). */
static void
add_files (const QtRunResult *res, const guint *order, GString **json, GString **text, GPtrArray *out)
{
  for (guint k = 0; k < res->n_reps; k++)
    {
      const QtRep *rep = &res->ds->reps[res->reps[order[k]].rep];
      g_autofree char *stem = qt_statement_file_stem (rep->rep_id);
      g_autofree char *json_name = g_strconcat ("statements/", stem, ".json", NULL);
      g_autofree char *text_name = g_strconcat ("statements/", stem, ".txt", NULL);
      qt_output_add (out, json_name, json[k], -1);
      qt_output_add (out, text_name, text[k], -1);
    }
}

/* Index, render on n_threads, add in rep_id order. */
void
qt_report_statements_threads (const QtRunResult *res, GPtrArray *out, guint n_threads)
{
  g_return_if_fail (res != NULL && out != NULL && n_threads >= 1);
  g_return_if_fail (res->n_reps <= G_MAXINT);
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (res);
  g_autofree guint *order = qt_rep_order (res);
  g_autofree GString **json = g_new0 (GString *, res->n_reps + 1);
  g_autofree GString **text = g_new0 (GString *, res->n_reps + 1);
  Work w = { ix, order, res->n_reps, 0, json, text };
  render_all (&w, MAX (1, MIN (n_threads, res->n_reps)));
  add_files (res, order, json, text, out);
}

/* qt_report_statements_threads with qt_statement_threads(). */
void
qt_report_statements (const QtRunResult *res, GPtrArray *out)
{
  qt_report_statements_threads (res, out, qt_statement_threads ());
}
