/* calc/payout_summary.h — the figures of a finance summary, computed from
 * a run's payout rows as payout.csv prints them (2-decimal cells): sums by
 * group, each rep's change against an earlier run, and a sum of amounts.
 * Exact (GMP); reports/ only lays them out. */
#pragma once

#include <glib.h>
#include <gmp.h>

G_BEGIN_DECLS

/* payout.csv's amount columns: commission, override, sprint_bonus,
 * score_bonus, adjustments, total. */
#define QT_PAYOUT_PARTS 6

/* One payout row as a group sees it: its group's key and its amount cells. */
typedef struct {
  const char *key;
  const char *parts[QT_PAYOUT_PARTS];
} QtPayoutCells;

typedef struct {
  char *key;
  mpq_t parts[QT_PAYOUT_PARTS];
} QtPayoutGroup;

/* The rows' sums by key, keys in bytewise order.  A cell that is not a
 * decimal counts 0.  (transfer full: QtPayoutGroup*) */
GPtrArray *qt_payout_groups (const QtPayoutCells *rows, guint n);

typedef struct {
  guint row;      /* index into the rows given */
  mpq_t delta;    /* now − was (was absent: 0) */
} QtPayoutChange;

/* Each row's change from `was[i]` (NULL: absent) to `now[i]`, largest
 * |change| first, then by `ids` bytewise.  (transfer full: QtPayoutChange,
 * cleared by the array) */
GArray *qt_payout_changes (const char *const *ids, const char *const *now,
                           const char *const *was, guint n);

/* Σ of decimal cells (a cell that is not one counts 0). */
void qt_payout_sum (mpq_ptr out, const char *const *cells, guint n);

G_END_DECLS
