/* calc/index.h — lookups over a loaded data set, built once per run.
 *
 * Ids are interned by the data set and know the row they name
 * (qt_id_row), so finding a rep or an order is a memory read. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/dataset.h"

G_BEGIN_DECLS

/* An order in its customer's group (QtIndex.by_customer). */
typedef struct {
  guint order;
  QtDay day;        /* its signed_on */
  guint8 status;
} QtCustomerOrder;

typedef struct {
  const QtDataset *ds;
  GHashTable *quota_by_key;    /* (rep index, period) packed → quota row + 1 */

  /* Lines and splits of each order: order_lines[line_start[o] .. line_start[o+1]) */
  guint *line_start, *order_lines;
  guint *split_start, *order_splits;
  /* Earliest positive receipt of each order (received_on, then receipt_id), -1 if none. */
  gint *first_positive;
  /* new_customer: orders grouped by customer, each group sorted by
   * (signed_on, order_id): customer c's orders are by_customer[cust_start[c]
   * .. cust_start[c + 1]), c < n_cust_groups, each with its signed_on and
   * status beside it (one place to write per order when grouping, one
   * stream to read when preparing the eligible days). */
  QtCustomerOrder *by_customer;
  guint *cust_start, n_cust_groups;
  /* prev_eligible_day[set][o]: signed_on of the nearest earlier order (by
   * signed_on, order_id) of o's customer whose status is in `set`, or
   * QT_INDEX_NO_DAY; built by qt_index_prepare_eligible for the sets the
   * plans use.  By order, so the credit loop (orders in row order) reads
   * it front to back. */
  QtDay *prev_eligible_day[1 << QT_STATUS_COUNT];
  /* Receipts grouped by the month of received_on (file order inside a
   * month): month p holds receipts_by_period[period_start[p - first_period]
   * .. period_start[p - first_period + 1]). */
  guint *receipts_by_period;
  guint *period_start;
  QtPeriod first_period;
  guint n_periods;
  /* Direct reports of each rep, reports[report_start[r] .. report_start[r+1]) */
  guint *report_start, *reports;
} QtIndex;

/* Builds the index, the independent parts on a second thread when
 * threads > 1 (the same index either way). (transfer full) */
QtIndex *qt_index_new (const QtDataset *ds, guint threads);
void qt_index_free (QtIndex *ix);

/* Index of the rep / order with that (interned) id, or -1. */
static inline gint
qt_index_rep (const QtIndex *ix, const char *rep_id)
{
  (void) ix;
  return qt_id_row (rep_id, QT_ID_REP);
}

static inline gint
qt_index_order (const QtIndex *ix, const char *order_id)
{
  (void) ix;
  return qt_id_row (order_id, QT_ID_ORDER);
}
/* Quota row of (rep, period), or NULL. */
const QtQuota *qt_index_quota (const QtIndex *ix, guint rep, QtPeriod period);
/* No earlier eligible order (below every real day). */
#define QT_INDEX_NO_DAY G_MININT32

/* Builds prev_eligible_day for `set` (once; not thread-safe: call before
 * sharing the index between threads). */
void qt_index_prepare_eligible (QtIndex *ix, QtStatusSet set);

/* Receipts whose received_on falls in `period`: *n indexes into ds->receipts,
 * in receipts.csv order. (transfer none) */
const guint *qt_index_receipts_in (const QtIndex *ix, QtPeriod period, guint *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtIndex, qt_index_free)

G_END_DECLS
