/* reports/output.c — output files and sinks. */
#include "output.h"

#include <string.h>

#include "../model/sha256.h"

static void
output_file_free (gpointer p)
{
  QtOutputFile *f = p;
  g_free (f->name);
  if (f->bytes != NULL)
    g_bytes_unref (f->bytes);
  g_free (f->sha256);
  g_free (f->source);
  g_free (f);
}

GPtrArray *
qt_output_list_new (void)
{
  return g_ptr_array_new_with_free_func (output_file_free);
}

void
qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->size = content->len;
  f->bytes = g_string_free_to_bytes (content);
  f->rows = rows;
  g_ptr_array_add (list, f);
}

static gint
name_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(QtOutputFile *const *) a)->name, (*(QtOutputFile *const *) b)->name);
}

void
qt_output_sort (GPtrArray *list)
{
  g_ptr_array_sort (list, name_cmp);
}

void
qt_output_sink_init (QtOutputSink *sink, QtOutputPutFunc put)
{
  sink->put = put;
  sink->files = qt_output_list_new ();
  sink->thread = NULL;
  sink->put_threadsafe = FALSE;
}

void
qt_output_sink_clear (QtOutputSink *sink)
{
  qt_output_sink_finish (sink, NULL);
  g_clear_pointer (&sink->files, g_ptr_array_unref);
}

/* Hashes the file if needed and hands it on. */
static gboolean
deliver (QtOutputSink *sink, QtOutputFile *f, GBytes *bytes, GError **error)
{
  if (f->sha256 == NULL)
    f->sha256 = qt_sha256_hex_bytes (bytes);
  return sink->put (sink, f, bytes, error);
}

/* ---- the sink's thread: a queue of files bounded by their bytes ---- */

/* Bytes of rendered files that may wait for the thread before the caller
 * blocks: enough to keep the thread busy, small beside a month's output. */
#define QT_SINK_WAITING_MAX (32u << 20)

typedef struct {
  QtOutputFile *file;  /* in sink->files */
  GBytes *bytes;       /* owned */
  gsize counted;       /* bytes counted towards `waiting` */
} Job;

/* Each side signals the other only when it sleeps: a wake-up is a system
 * call, and a month puts some 20,000 files. */
struct QtSinkThread {
  GThread *thread;
  GMutex lock;
  GCond work;        /* a job was queued, or closing was set */
  GCond room;        /* a job was done (its bytes no longer wait), or one failed */
  guint thread_sleeps;   /* the thread waits on `work` */
  guint callers_sleep;   /* callers waiting on `room` */
  GQueue jobs;       /* Job*, oldest first */
  gsize waiting;     /* counted bytes of the queued jobs */
  gboolean closing;  /* no more jobs will come */
  GError *error;     /* the first failure; later jobs are dropped */
};

/* Writes one file taken off the queue (or drops it when an earlier one
 * failed) and counts it done. */
static void
job_run (QtOutputSink *sink, Job *job, gboolean failed)
{
  QtSinkThread *t = sink->thread;
  GError *error = NULL;
  if (!failed)
    deliver (sink, job->file, job->bytes, &error);
  g_bytes_unref (job->bytes);
  g_mutex_lock (&t->lock);
  t->waiting -= job->counted;
  if (error != NULL && t->error == NULL)
    t->error = error;
  else
    g_clear_error (&error);
  /* Callers wait for half the room at once, not for each file. */
  if (t->callers_sleep > 0 && (t->waiting <= QT_SINK_WAITING_MAX / 2 || t->error != NULL))
    g_cond_broadcast (&t->room);
  g_mutex_unlock (&t->lock);
  g_free (job);
}

static gpointer
sink_thread_main (gpointer data)
{
  QtOutputSink *sink = data;
  QtSinkThread *t = sink->thread;
  for (;;)
    {
      g_mutex_lock (&t->lock);
      while (g_queue_is_empty (&t->jobs) && !t->closing)
        {
          t->thread_sleeps++;
          g_cond_wait (&t->work, &t->lock);
          t->thread_sleeps--;
        }
      Job *job = g_queue_pop_head (&t->jobs);
      gboolean failed = t->error != NULL;
      g_mutex_unlock (&t->lock);
      if (job == NULL)
        return NULL;
      job_run (sink, job, failed);
    }
}

void
qt_output_sink_start (QtOutputSink *sink)
{
  g_return_if_fail (sink->thread == NULL);
  QtSinkThread *t = g_new0 (QtSinkThread, 1);
  g_mutex_init (&t->lock);
  g_cond_init (&t->work);
  g_cond_init (&t->room);
  g_queue_init (&t->jobs);
  sink->thread = t;
  g_autoptr (GError) error = NULL;
  t->thread = g_thread_try_new ("qt-sink", sink_thread_main, sink, &error);
  if (t->thread == NULL) /* no thread to be had: files are handed on at once */
    {
      sink->thread = NULL;
      g_mutex_clear (&t->lock);
      g_cond_clear (&t->work);
      g_cond_clear (&t->room);
      g_free (t);
    }
}

/* Hands on the oldest queued file on the caller's thread (a sink whose
 * `put` may run on two threads at once); FALSE when none was queued. */
static gboolean
deliver_one (QtOutputSink *sink)
{
  QtSinkThread *t = sink->thread;
  g_mutex_lock (&t->lock);
  Job *job = t->error == NULL ? g_queue_pop_head (&t->jobs) : NULL;
  g_mutex_unlock (&t->lock);
  if (job == NULL)
    return FALSE;
  job_run (sink, job, FALSE);
  return TRUE;
}

gboolean
qt_output_sink_finish (QtOutputSink *sink, GError **error)
{
  QtSinkThread *t = sink->thread;
  if (t == NULL)
    return TRUE;
  g_mutex_lock (&t->lock);
  t->closing = TRUE;
  g_cond_signal (&t->work);
  g_mutex_unlock (&t->lock);
  /* The files still queued are written by both threads: at the end of a
   * run the last statements otherwise waited for the sink's thread alone
   * while the other core idled. */
  while (sink->put_threadsafe && deliver_one (sink))
    ;
  g_thread_join (t->thread);
  sink->thread = NULL;
  gboolean ok = t->error == NULL;
  if (!ok)
    g_propagate_error (error, t->error);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->work);
  g_cond_clear (&t->room);
  g_free (t);
  return ok;
}

/* Records one file in sink->files and queues it for the thread; FALSE
 * (with a copy of the error) once an earlier one failed.  Under the lock:
 * two threads may put files at once (the statements and the tables). */
static gboolean
enqueue (QtOutputSink *sink, QtOutputFile *f, GBytes *bytes, gsize counted, GError **error)
{
  QtSinkThread *t = sink->thread;
  g_mutex_lock (&t->lock);
  g_ptr_array_add (sink->files, f);
  while (t->error == NULL && t->waiting > 0 && t->waiting + counted > QT_SINK_WAITING_MAX)
    {
      t->callers_sleep++;
      g_cond_wait (&t->room, &t->lock);
      t->callers_sleep--;
    }
  gboolean ok = t->error == NULL;
  if (ok)
    {
      Job *job = g_new (Job, 1);
      *job = (Job) { f, g_bytes_ref (bytes), counted };
      g_queue_push_tail (&t->jobs, job);
      t->waiting += counted;
      if (t->thread_sleeps > 0)
        g_cond_signal (&t->work);
    }
  else
    g_propagate_error (error, g_error_copy (t->error));
  g_mutex_unlock (&t->lock);
  return ok;
}

static gboolean
sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows, const char *sha256,
          gboolean held, const char *source, GError **error)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->source = g_strdup (source);
  f->rows = rows;
  f->size = g_bytes_get_size (bytes);
  f->sha256 = g_strdup (sha256);
  if (sink->thread != NULL)
    return enqueue (sink, f, bytes, held ? 0 : f->size, error);
  g_ptr_array_add (sink->files, f);
  return deliver (sink, f, bytes, error);
}

gboolean
qt_output_sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                    const char *sha256, GError **error)
{
  return sink_put (sink, name, bytes, rows, sha256, FALSE, NULL, error);
}

gboolean
qt_output_sink_put_held (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                         const char *sha256, GError **error)
{
  return sink_put (sink, name, bytes, rows, sha256, TRUE, NULL, error);
}

gboolean
qt_output_sink_put_input (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                          const char *sha256, const char *source, GError **error)
{
  return sink_put (sink, name, bytes, rows, sha256, TRUE, source, error);
}

gboolean
qt_output_sink_put_list (QtOutputSink *sink, GPtrArray *list, GError **error)
{
  for (guint i = 0; i < list->len; i++)
    {
      QtOutputFile *f = g_ptr_array_index (list, i);
      if (!qt_output_sink_put_held (sink, f->name, f->bytes, f->rows, f->sha256, error))
        return FALSE;
    }
  g_ptr_array_set_size (list, 0);
  return TRUE;
}
