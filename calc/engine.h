/* calc/engine.h — one period's whole calculation (SPEC §4, §7, §12):
 * data set + plan versions + period in, QtRunResult out.  No I/O, no clock. */
#pragma once

#include <glib.h>

#include "../model/dataset.h"
#include "../rules/plan.h"
#include "result.h"

G_BEGIN_DECLS

typedef struct {
  guint threads;  /* up to this many threads (the caller decides; the core
                   * reads no environment); the result is the same for any */
} QtEngineOptions;

/* Computes period P (`options` NULL: one thread).  Fails
 * (QT_ERROR_MALFORMED, exit 2) when a rep's plan_id names no plan or no
 * version is in force on P's first day (SPEC §12.2.3):
 * `reps.csv:LINE:COLUMN: ...`.  The result borrows `ds` and `plans`, which
 * must outlive it.  (transfer full) */
QtRunResult *qt_engine_run (const QtDataset *ds, const QtPlanSet *plans, QtPeriod period,
                            const QtEngineOptions *options, GError **error);

G_END_DECLS
