/* appeals/actions.h — the lifecycle commands of SPEC §8.1 that change a
 * run (publish, appeal file|assign|vote, close) as library calls.
 *
 * Each takes the run's lock, reads and replays the journal, checks every
 * rule and only then appends: a refusal (QT_ERROR_REFUSED, exit 3) or an
 * error (exit 2) leaves the journal, the evidence store and every output
 * as they were.  On success *head is the journal's new head (the SHA-256
 * of its last line). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *run_dir;
  const char *now;        /* --now, ISO 8601 with offset; NULL: the clock */
  gboolean keep_until_exit; /* recalc in a process about to exit (as
                               QtRunOptions.keep_until_exit) */
  gboolean journal_view;  /* the journal is a rep's view of a stored run's
                             (qt_journal_read_view) */
} QtLifecycleOptions;

gboolean qt_publish (const QtLifecycleOptions *o, const char *payout_at, char **head,
                     GError **error);

typedef struct {
  const char *as;          /* the appellant */
  const char *item;        /* activity:METRIC, split:ORDER_ID or adjustment */
  const char *const *claims;
  const char *reason;
  const char *const *evidence; /* paths of files to store, may be NULL */
} QtAppealFiling;

/* Files an appeal; *id is its id ("A3"). */
gboolean qt_appeal_file (const QtLifecycleOptions *o, const QtAppealFiling *f, char **id,
                         char **head, GError **error);

gboolean qt_appeal_assign (const QtLifecycleOptions *o, const char *appeal,
                           const char *const *reviewers, char **head, GError **error);

/* A vote; *decided is set to "upheld" or "rejected" when it was the last. */
gboolean qt_appeal_vote (const QtLifecycleOptions *o, const char *appeal, const char *as,
                         gboolean uphold, const char *note, const char **decided, char **head,
                         GError **error);

gboolean qt_close (const QtLifecycleOptions *o, char **head, GError **error);

G_END_DECLS
