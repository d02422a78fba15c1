/* run/revision.h — a revised run (SPEC §8.1 rule 5): the current revision
 * of a published run recomputed with its overlays, each changed rep's
 * statement naming the revision's appeals and the figures that changed
 * against the revision before. */
#pragma once

#include <glib.h>

#include "../model/overlay.h"
#include "manifest.h"
#include "pipeline_internal.h"

G_BEGIN_DECLS

typedef struct {
  guint number;                /* >= 1 */
  const char *const *appeals;  /* applied by this revision, id order */
  const char *const *applied;  /* every appeal applied so far, in order */
  const char *previous;        /* directory holding the revision before's
                                  payout.csv, scores.csv and credits.csv */
} QtRevisionInfo;

/* qt_pipeline_emit for a revision: the tables, then the statements (those
 * of reps whose payout, scores or credit lines changed against
 * rev->previous carry the revision section), then manifest.json naming the
 * revision and the appeals applied. */
gboolean qt_pipeline_emit_revision (QtPipeline *p, QtSinkQueue *queue, const QtRevisionInfo *rev,
                                    GError **error);

typedef struct {
  const char *run_dir;         /* a published run; the caller holds its lock */
  const QtOverlay *overlay;    /* every upheld appeal applied, in order */
  QtRevisionInfo rev;          /* rev.previous is set here (the run's current outputs) */
  GBytes *journal;             /* the journal with this revision's `applied` entries */
  guint threads;               /* 0 = QT_RUN_DEFAULT_THREADS */
  gboolean keep_until_exit;    /* as QtRunOptions.keep_until_exit */
} QtRevisionOptions;

/* Writes revision rev.number of the run: the current outputs move to
 * revisions/<number - 1>/, earlier revisions and the evidence store stay,
 * the journal is replaced by `journal`, and the recomputed outputs take
 * their place — in one atomic, durable swap of the whole directory. */
gboolean qt_revision_execute (const QtRevisionOptions *o, GError **error);

G_END_DECLS
