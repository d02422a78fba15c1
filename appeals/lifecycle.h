/* appeals/lifecycle.h — a run's lifecycle state (SPEC §8, §8.1), replayed
 * from its journal: draft → published → closed, and every appeal with its
 * history. */
#pragma once

#include <glib.h>

#include "evidence.h"
#include "journal.h"

G_BEGIN_DECLS

typedef enum {
  QT_STATE_DRAFT,
  QT_STATE_PUBLISHED,
  QT_STATE_CLOSED,
} QtRunState;

typedef enum {
  QT_APPEAL_FILED,
  QT_APPEAL_ASSIGNED,
  QT_APPEAL_UPHELD,
  QT_APPEAL_REJECTED,
} QtAppealState;

typedef struct {
  char *reviewer;
  gboolean uphold;
  char *note;       /* NULL: none */
  char *at;
  guint64 seq;
} QtVote;

typedef struct {
  guint number;             /* 1 for "A1" */
  gboolean redacted;        /* another rep's, in a rep's view: only its id
                               (rep, item and reason empty); no command
                               finds it by id */
  char *id;                 /* "A1" */
  char *rep;                /* the appellant */
  char *item;               /* "activity:METRIC", "split:ORDER_ID" or "adjustment" */
  char **claims;            /* NULL-terminated */
  char *reason;
  GPtrArray *evidence;      /* QtEvidence* */
  char *filed_at;
  guint64 filed_seq;
  GPtrArray *reviewers;     /* char*, as assigned */
  char *assigned_at;
  GPtrArray *votes;         /* QtVote*, in arrival order */
  QtAppealState state;
  char *decided_at;
  guint applied_revision;   /* 0: not applied */
  char *applied_at;
} QtAppeal;

typedef struct {
  QtRunState state;
  char *payout_at;          /* as published */
  QtInstant payout;
  char *published_manifest; /* SHA-256 of manifest.json as published */
  char *closed_manifest;    /* … and as closed (NULL until closed) */
  GPtrArray *appeals;       /* QtAppeal*, appeals->pdata[i] is "A<i+1>" */
  GPtrArray *applied;       /* QtAppeal* (borrowed), in order of application */
  guint revision;           /* the current revision: 0 until a recalc applies */
} QtLifecycle;

/* Replays a journal.  An entry that contradicts the ones before (a vote on
 * an unknown appeal, a second `published`, …) fails with QT_ERROR_MISMATCH
 * `RUN_DIR/journal.jsonl:K: why`.  (transfer full) */
QtLifecycle *qt_lifecycle_replay (const char *run_dir, const QtJournal *journal, GError **error);
void qt_lifecycle_free (QtLifecycle *lc);

/* The appeal "A<n>" named by `id`, or NULL (also for a redacted one).
 * (transfer none) */
QtAppeal *qt_lifecycle_appeal (const QtLifecycle *lc, const char *id);

/* Whether `rep` is an assigned reviewer of `a`; whether `rep` has voted. */
gboolean qt_appeal_is_reviewer (const QtAppeal *a, const char *rep);
gboolean qt_appeal_has_voted (const QtAppeal *a, const char *rep);
/* Whether every vote so far upholds `a`, and `uphold` (the next vote) too. */
gboolean qt_appeal_all_uphold (const QtAppeal *a, gboolean uphold);

const char *qt_run_state_name (QtRunState state);
const char *qt_appeal_state_name (const QtAppeal *appeal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtLifecycle, qt_lifecycle_free)

G_END_DECLS
