/* run/output_sink.c — a queue of rendered files, handed to a target sink
 * by a thread of its own, bounded by the bytes waiting. */
#include "output_sink.h"

/* Bytes of rendered files that may wait for the thread before the caller
 * blocks: enough to keep the thread busy, small beside a month's output. */
#define QT_SINK_WAITING_MAX (32u << 20)

typedef struct {
  const QtOutputFile *file;  /* in the queue's sink.files */
  GBytes *bytes;             /* owned */
  gsize counted;             /* bytes counted towards `waiting` */
} Job;

/* Each side signals the other only when it sleeps: a wake-up is a system
 * call, and a month puts some 20,000 files. */
typedef struct QtSinkThread {
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
} QtSinkThread;

/* Hands one file taken off the queue to the target (or drops it when an
 * earlier one failed) and counts it done. */
static void
job_run (QtSinkQueue *q, Job *job, gboolean failed)
{
  QtSinkThread *t = q->thread;
  GError *error = NULL;
  if (!failed)
    q->target->put (q->target, job->file, job->bytes, &error);
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
queue_thread_main (gpointer data)
{
  QtSinkQueue *q = data;
  QtSinkThread *t = q->thread;
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
      job_run (q, job, failed);
    }
}

static void
thread_free (QtSinkThread *t)
{
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->work);
  g_cond_clear (&t->room);
  g_free (t);
}

/* Queues one recorded file for the thread; FALSE (with a copy of the
 * error) once an earlier one failed.  Two threads may put at once. */
static gboolean
enqueue (QtSinkQueue *q, const QtOutputFile *f, GBytes *bytes, GError **error)
{
  QtSinkThread *t = q->thread;
  gsize counted = f->held ? 0 : f->size;
  g_mutex_lock (&t->lock);
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
queue_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  QtSinkQueue *q = (QtSinkQueue *) sink;
  if (q->thread != NULL)
    return enqueue (q, file, bytes, error);
  return q->target->put (q->target, file, bytes, error);
}

QtSinkQueue *
qt_sink_queue_new (QtOutputSink *target, gboolean threaded)
{
  QtSinkQueue *q = g_new0 (QtSinkQueue, 1);
  qt_output_sink_init (&q->sink, queue_put);
  q->sink.put_threadsafe = TRUE;
  q->target = target;
  if (!threaded)
    return q;
  QtSinkThread *t = g_new0 (QtSinkThread, 1);
  g_mutex_init (&t->lock);
  g_cond_init (&t->work);
  g_cond_init (&t->room);
  g_queue_init (&t->jobs);
  q->thread = t;
  g_autoptr (GError) error = NULL;
  t->thread = g_thread_try_new ("qt-sink", queue_thread_main, q, &error);
  if (t->thread == NULL) /* no thread to be had: files are handed on at once */
    {
      q->thread = NULL;
      thread_free (t);
    }
  return q;
}

gboolean
qt_sink_queue_is_threaded (const QtSinkQueue *q)
{
  return q->thread != NULL;
}

/* Hands on the oldest queued file on the caller's thread; FALSE when none
 * was queued (or one failed). */
static gboolean
deliver_one (QtSinkQueue *q)
{
  QtSinkThread *t = q->thread;
  g_mutex_lock (&t->lock);
  Job *job = t->error == NULL ? g_queue_pop_head (&t->jobs) : NULL;
  g_mutex_unlock (&t->lock);
  if (job == NULL)
    return FALSE;
  job_run (q, job, FALSE);
  return TRUE;
}

gboolean
qt_sink_queue_finish (QtSinkQueue *q, GError **error)
{
  QtSinkThread *t = q->thread;
  if (t == NULL)
    return TRUE;
  g_mutex_lock (&t->lock);
  t->closing = TRUE;
  g_cond_signal (&t->work);
  g_mutex_unlock (&t->lock);
  /* The files still queued are handed on by both threads: at the end of a
   * run the last statements otherwise waited for the queue's thread alone
   * while the other core idled. */
  while (q->target->put_threadsafe && deliver_one (q))
    ;
  g_thread_join (t->thread);
  q->thread = NULL;
  gboolean ok = t->error == NULL;
  if (!ok)
    g_propagate_error (error, t->error);
  thread_free (t);
  return ok;
}

void
qt_sink_queue_free (QtSinkQueue *q)
{
  if (q == NULL)
    return;
  qt_sink_queue_finish (q, NULL);
  qt_output_sink_clear (&q->sink);
  g_free (q);
}

static gboolean
tee_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  QtSinkTee *tee = (QtSinkTee *) sink;
  return tee->first->put (tee->first, file, bytes, error)
         && tee->second->put (tee->second, file, bytes, error);
}

void
qt_sink_tee_init (QtSinkTee *tee, QtOutputSink *first, QtOutputSink *second)
{
  qt_output_sink_init (&tee->sink, tee_put);
  tee->sink.put_threadsafe = first->put_threadsafe && second->put_threadsafe;
  tee->first = first;
  tee->second = second;
}

void
qt_sink_tee_clear (QtSinkTee *tee)
{
  qt_output_sink_clear (&tee->sink);
}
