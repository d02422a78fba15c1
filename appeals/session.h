/* appeals/session.h — one lifecycle command's view of a run: its manifest
 * and period, its journal replayed, the command's time, and (when a rule
 * needs them) the snapshot's reps, orders and plans.  A command that
 * changes the run holds the run's lock from qt_session_open to
 * qt_session_free. */
#pragma once

#include <glib.h>

#include "../model/dataset.h"
#include "../model/qt_error.h"
#include "../rules/plan.h"
#include "../run/manifest.h"
#include "actions.h"
#include "journal.h"
#include "lifecycle.h"

G_BEGIN_DECLS

typedef struct {
  const char *run_dir;
  QtRunLock *lock;          /* NULL for a read-only session */
  QtJournal *journal;
  QtLifecycle *lc;
  QtManifest *manifest;
  QtPeriod period;
  char *now;                /* as given, or the clock */
  QtInstant now_instant;
  char *lines;              /* journal lines added, not yet written */
  gboolean with_orders;     /* set before the load when a rule needs orders */
  /* qt_session_load: */
  QtDataset *ds;            /* the snapshot's reps (and orders), nothing else */
  QtPlanSet *plans;
  GHashTable *reps;         /* rep_id → const QtRep* */
  GHashTable *orders;       /* order_id → const QtOrder*, with_orders only */
} QtSession;

/* Opens RUN_DIR for a command: `--now` malformed, no run there, or a
 * damaged journal are errors (exit 2); with `write`, takes the lock, and a
 * `now` before the journal's last entry is refused (history is not
 * backdated).  (transfer full) */
QtSession *qt_session_open (const QtLifecycleOptions *o, gboolean write, GError **error);
void qt_session_free (QtSession *s);

/* Refused unless the run is published (`what` names the command). */
gboolean qt_session_require_published (const QtSession *s, const char *what, GError **error);

/* Loads the snapshot's plans and reps (and orders with `with_orders`):
 * once, and only the tables the rules read — at M a whole data set takes
 * 0.8 s, its reps a few milliseconds. */
gboolean qt_session_load (QtSession *s, GError **error);

/* A rep of the snapshot, or NULL with an error (exit 2) naming `role`. */
const QtRep *qt_session_rep (QtSession *s, const char *id, const char *role, GError **error);

/* The plan version in force for the period of `rep`. (transfer none) */
const QtPlanVersion *qt_session_plan (const QtSession *s, const QtRep *rep);

/* The SHA-256 of the run's manifest.json now. (transfer full) */
char *qt_session_manifest_sha256 (const QtSession *s, GError **error);

/* Adds an entry to the journal in memory (consumes `data`). */
void qt_session_add (QtSession *s, const char *event, cJSON *data);

/* Writes the entries added, durably; *head the new head. */
gboolean qt_session_commit (QtSession *s, char **head, GError **error);

/* Sets `code` with the message; FALSE, for a tail call. */
gboolean qt_fail (GError **error, QtErrorCode code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
/* Refused by a lifecycle rule (exit 3); bad input or usage (exit 2). */
#define qt_refuse(error, ...) qt_fail (error, QT_ERROR_REFUSED, __VA_ARGS__)
#define qt_bad_input(error, ...) qt_fail (error, QT_ERROR_USAGE, __VA_ARGS__)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtSession, qt_session_free)

G_END_DECLS
