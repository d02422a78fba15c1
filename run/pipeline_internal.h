/* run/pipeline_internal.h — the steps of a run shared by run/pipeline.c
 * and run/verify.c (not for callers of the run library). */
#pragma once

#include <glib.h>

#include "../calc/rebate.h"
#include "../calc/result.h"
#include "../model/dataset.h"
#include "../model/overlay.h"
#include "../rules/plan.h"
#include "manifest.h"
#include "output_sink.h"

G_BEGIN_DECLS

typedef struct {
  QtRunKind kind;
  QtDataset *ds;
  QtPlanSet *plans;
  QtRunResult *res;       /* QT_RUN_COMMISSION */
  QtRebateResult *rebate; /* QT_RUN_REBATE */
  guint threads;      /* >= 1 */
} QtPipeline;

/* What a run of `kind` computes: a month ("YYYY-MM", a commission run) or
 * a quarter ("YYYY-Qn", a rebate run), as *when; FALSE when `text` is not
 * one. */
gboolean qt_pipeline_parse_when (QtRunKind kind, const char *text, gint32 *when);

/* Loads, validates and computes on `threads` threads.  Errors are those of
 * the loaders and the engine.  On success fills *out (clear with
 * qt_pipeline_clear).  `overlay` (or NULL) edits the tables as they load
 * (model/overlay.h).  The input snapshot goes to `sink` as the data set
 * loads, each file as soon as it is read (a queue with a thread then
 * writes it during the rest of the load and the calculation). */
gboolean qt_pipeline_compute (const char *data_dir, const char *plans_dir, QtPeriod period,
                              guint threads, const QtOverlay *overlay, QtOutputSink *sink,
                              QtPipeline *out, GError **error);

/* The same for a run of any kind: `when` as qt_pipeline_parse_when gives
 * it; the plans and tables of that kind. */
gboolean qt_pipeline_compute_kind (QtRunKind kind, const char *data_dir, const char *plans_dir,
                                   gint32 when, guint threads, const QtOverlay *overlay,
                                   QtOutputSink *sink, QtPipeline *out, GError **error);

/* Renders the rest of the run directory — the tables, the statements and,
 * last, manifest.json of `kind` — into `queue`, finishing the queue's
 * thread, if any, before the manifest. */
gboolean qt_pipeline_emit (QtPipeline *p, QtSinkQueue *queue, QtRunKind kind, GError **error);
void qt_pipeline_clear (QtPipeline *p);

/* Takes *p (leaving it empty) and frees it only when the next one is kept:
 * a command about to exit does not free a large month's millions of exact
 * values one by one (a fifth of a second at M) for the system to discard
 * anyway.  The data stays reachable from a static, so it is no leak to
 * LeakSanitizer or valgrind. */
void qt_pipeline_keep_until_exit (QtPipeline *p);

/* With QT_TIMING set, prints the time since the previous call, labelled
 * `name`, to stderr; NULL only restarts the clock. */
void qt_pipeline_phase (const char *name);

G_END_DECLS
