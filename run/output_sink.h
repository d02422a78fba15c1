/* run/output_sink.h — a sink that hands its files on from a thread of its
 * own, so that a run writes (or verify compares) one file while the next
 * renders.
 *
 * The queue is itself a QtOutputSink (reports/output.h): the reports put
 * their files into it, it records them (queue->sink.files, for the
 * manifest) and hands each, in the order put, to its target sink — the run
 * directory being written or verify's comparison. */
#pragma once

#include <glib.h>

#include "../reports/output.h"

G_BEGIN_DECLS

typedef struct QtSinkQueue QtSinkQueue;

/* A sink handing each file to two others in turn (a run directory and
 * the database); thread-safe when both are. */
typedef struct {
  QtOutputSink sink;      /* first */
  QtOutputSink *first, *second;
} QtSinkTee;

void qt_sink_tee_init (QtSinkTee *tee, QtOutputSink *first, QtOutputSink *second);
void qt_sink_tee_clear (QtSinkTee *tee);

struct QtSinkQueue {
  QtOutputSink sink;      /* first: where the files are put */
  QtOutputSink *target;   /* where they go (borrowed) */
  struct QtSinkThread *thread; /* while started */
};

/* A queue in front of `target` (borrowed; it must outlive the queue).
 * With `threaded`, files are handed to the target by a thread of the
 * queue's own (falling back to the caller's thread when none can be had);
 * otherwise at once, on the caller's thread.  (transfer full) */
QtSinkQueue *qt_sink_queue_new (QtOutputSink *target, gboolean threaded);

/* Whether a thread hands the files on (a caller with a spare thread of its
 * own may then put from it too). */
gboolean qt_sink_queue_is_threaded (const QtSinkQueue *q);

/* Waits until every file put so far has reached the target and ends the
 * thread; FALSE with the first error of the target.  Files put afterwards
 * go to the target at once.  When the target's `put` is thread-safe, the
 * files still queued are handed on by the caller's thread too. */
gboolean qt_sink_queue_finish (QtSinkQueue *q, GError **error);

/* Finishes (dropping any error) and frees the queue and its record. */
void qt_sink_queue_free (QtSinkQueue *q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtSinkQueue, qt_sink_queue_free)

G_END_DECLS
