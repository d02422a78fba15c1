/* calc/index.c — lookups over a loaded data set, built once per run. */
#include "index.h"

#include <string.h>

#include "../model/money.h"

/* Groups child rows by parent (a counting sort, stable: file order kept).
 * parent_of[i] < 0 means the child names no parent. */
static void
group_by (const gint *parent_of, guint n_children, guint n_parents, guint **start_out,
          guint **items_out)
{
  guint *start = g_new0 (guint, n_parents + 1);
  for (guint i = 0; i < n_children; i++)
    if (parent_of[i] >= 0)
      start[parent_of[i] + 1]++;
  for (guint p = 0; p < n_parents; p++)
    start[p + 1] += start[p];
  guint *fill = g_memdup2 (start, sizeof (guint) * (n_parents + 1));
  guint *items = g_new (guint, start[n_parents] + 1);
  for (guint i = 0; i < n_children; i++)
    if (parent_of[i] >= 0)
      items[fill[parent_of[i]]++] = i;
  g_free (fill);
  *start_out = start;
  *items_out = items;
}

static void
index_children (QtIndex *ix)
{
  const QtDataset *ds = ix->ds;
  g_autofree gint *parent = g_new (gint, MAX (MAX (ds->n_lines, ds->n_splits), ds->n_reps) + 1);
  for (guint i = 0; i < ds->n_lines; i++)
    parent[i] = ds->lines[i].order_row;
  group_by (parent, ds->n_lines, ds->n_orders, &ix->line_start, &ix->order_lines);
  for (guint i = 0; i < ds->n_splits; i++)
    parent[i] = ds->splits[i].order_row;
  group_by (parent, ds->n_splits, ds->n_orders, &ix->split_start, &ix->order_splits);
  for (guint i = 0; i < ds->n_reps; i++)
    parent[i] = ds->reps[i].manager;
  group_by (parent, ds->n_reps, ds->n_reps, &ix->report_start, &ix->reports);
}

static void
index_first_positive (QtIndex *ix)
{
  const QtDataset *ds = ix->ds;
  ix->first_positive = g_new (gint, ds->n_orders + 1);
  for (guint o = 0; o < ds->n_orders; o++)
    ix->first_positive[o] = -1;
  for (guint i = 0; i < ds->n_receipts; i++)
    {
      const QtReceipt *r = &ds->receipts[i];
      gint o = r->order_row;
      if (o < 0 || qt_num_sgn (ds->nums, r->amount) <= 0)
        continue;
      gint best = ix->first_positive[o];
      if (best < 0 || r->received_on < ds->receipts[best].received_on
          || (r->received_on == ds->receipts[best].received_on
              && strcmp (r->receipt_id, ds->receipts[best].receipt_id) < 0))
        ix->first_positive[o] = (gint) i;
    }
}

/* Inside one customer's group: by signed_on, then order_id (SPEC §12.5.1). */
static gint
customer_order_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtOrder *orders = data;
  const QtOrder *x = &orders[((const QtCustomerOrder *) a)->order];
  const QtOrder *y = &orders[((const QtCustomerOrder *) b)->order];
  if (x->signed_on != y->signed_on)
    return x->signed_on < y->signed_on ? -1 : 1;
  return strcmp (x->order_id, y->order_id);
}

/* A dense number per customer id: its customers.csv row, or for an id
 * that names no customer (an exception row, still a customer for the
 * new-customer rule) a number after those. */
static guint *
customer_keys (const QtDataset *ds, guint *n_keys)
{
  guint *key = g_new (guint, ds->n_orders + 1);
  g_autoptr (GHashTable) unknown = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint next = ds->n_customers;
  for (guint o = 0; o < ds->n_orders; o++)
    {
      const char *id = ds->orders[o].customer_id;
      gint32 row = ds->orders[o].customer_row;
      if (row >= 0)
        key[o] = (guint) row;
      else
        {
          gpointer k = g_hash_table_lookup (unknown, id);
          if (k == NULL)
            {
              k = GUINT_TO_POINTER (++next);
              g_hash_table_insert (unknown, (gpointer) id, k);
            }
          key[o] = GPOINTER_TO_UINT (k) - 1;
        }
    }
  *n_keys = next;
  return key;
}

/* A counting sort of the orders by customer key (stable: file order
 * kept), each order's signed_on and status copied beside it: the orders
 * are read in order, and only the writes are scattered — one 12-byte
 * entry per order (three arrays written at three random places cost L
 * 3.4 × M's time here). */
static void
scatter_by_customer (QtIndex *ix, const guint *key, guint n_keys)
{
  const QtOrder *orders = ix->ds->orders;
  const guint n = ix->ds->n_orders;
  guint *start = g_new0 (guint, n_keys + 1);
  for (guint o = 0; o < n; o++)
    start[key[o] + 1]++;
  for (guint c = 0; c < n_keys; c++)
    start[c + 1] += start[c];
  g_autofree guint *fill = g_memdup2 (start, sizeof (guint) * (n_keys + 1));
  ix->by_customer = g_new (QtCustomerOrder, n + 1);
  for (guint o = 0; o < n; o++)
    {
      const guint at = fill[key[o]]++;
      ix->by_customer[at] = (QtCustomerOrder) { o, orders[o].signed_on, (guint8) orders[o].status };
    }
  ix->cust_start = start;
  ix->n_cust_groups = n_keys;
}

/* Whether positions from .. to of by_customer are in (signed_on,
 * order_id) order (order ids are only read for equal days). */
static gboolean
group_sorted (const QtIndex *ix, guint from, guint to)
{
  const QtOrder *orders = ix->ds->orders;
  for (guint i = from + 1; i < to; i++)
    if (ix->by_customer[i - 1].day > ix->by_customer[i].day
        || (ix->by_customer[i - 1].day == ix->by_customer[i].day
            && strcmp (orders[ix->by_customer[i - 1].order].order_id,
                       orders[ix->by_customer[i].order].order_id) > 0))
      return FALSE;
  return TRUE;
}

/* Groups the orders by customer, then orders each group by (signed_on,
 * order_id) — usually already so in the file, then nothing is sorted at
 * all. */
static void
index_customers (QtIndex *ix)
{
  const QtDataset *ds = ix->ds;
  guint n_keys;
  g_autofree guint *key = customer_keys (ds, &n_keys);
  scatter_by_customer (ix, key, n_keys);
  for (guint c = 0; c < n_keys; c++)
    {
      const guint from = ix->cust_start[c], to = ix->cust_start[c + 1];
      if (group_sorted (ix, from, to))
        continue;
      g_qsort_with_data (ix->by_customer + from, (gint) (to - from), sizeof (QtCustomerOrder),
                         customer_order_cmp, (gpointer) ds->orders);
    }
}

/* A counting sort of the receipts by month: linear, and stable. */
static void
index_receipt_months (QtIndex *ix)
{
  const QtDataset *ds = ix->ds;
  guint n = ds->n_receipts;
  g_autofree QtPeriod *month = g_new (QtPeriod, n + 1);
  QtPeriod lo = G_MAXINT32, hi = G_MININT32;
  /* Receipts mostly follow the calendar: the previous receipt's month is
   * tried first (a day-to-month conversion costs divisions). */
  QtDay first = 1, last = 0;
  QtPeriod cur = 0;
  for (guint i = 0; i < n; i++)
    {
      const QtDay day = ds->receipts[i].received_on;
      if (day < first || day > last)
        {
          cur = qt_period_of_day (day);
          first = qt_period_first_day (cur);
          last = qt_period_last_day (cur);
        }
      month[i] = cur;
      lo = MIN (lo, month[i]);
      hi = MAX (hi, month[i]);
    }
  ix->first_period = n ? lo : 0;
  ix->n_periods = n ? (guint) (hi - lo + 1) : 0;
  ix->period_start = g_new0 (guint, ix->n_periods + 2);
  for (guint i = 0; i < n; i++)
    ix->period_start[month[i] - lo + 1]++;
  for (guint p = 0; p < ix->n_periods; p++)
    ix->period_start[p + 1] += ix->period_start[p];
  g_autofree guint *fill = g_memdup2 (ix->period_start, sizeof (guint) * (ix->n_periods + 1));
  ix->receipts_by_period = g_new (guint, n + 1);
  for (guint i = 0; i < n; i++)
    ix->receipts_by_period[fill[month[i] - lo]++] = i;
}

static gpointer
quota_key (guint rep, QtPeriod period)
{
  /* Periods are < 120000 (year 9999); a rep index fits above them. */
  return GSIZE_TO_POINTER (((gsize) rep << 20 | (gsize) period) + 1);
}

static gpointer
index_customers_job (gpointer ix)
{
  index_customers (ix);
  index_first_positive (ix);
  return NULL;
}

QtIndex *
qt_index_new (const QtDataset *ds, guint threads)
{
  QtIndex *ix = g_new0 (QtIndex, 1);
  ix->ds = ds;
  ix->quota_by_key = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < ds->n_quotas; i++)
    {
      gint rep = qt_index_rep (ix, ds->quotas[i].rep_id);
      if (rep >= 0)
        g_hash_table_insert (ix->quota_by_key, quota_key ((guint) rep, ds->quotas[i].period),
                             GUINT_TO_POINTER (i + 1));
    }
  /* The customer groups and the first positive receipts on a second
   * thread (~40 ms at M, as long as the rest): they share nothing with the
   * rest but the read-only data set. */
  GThread *helper = threads > 1 ? g_thread_try_new ("qt-index", index_customers_job, ix, NULL) : NULL;
  if (helper == NULL)
    index_customers_job (ix);
  index_children (ix);
  index_receipt_months (ix);
  if (helper != NULL)
    g_thread_join (helper);
  return ix;
}

void
qt_index_free (QtIndex *ix)
{
  if (ix == NULL)
    return;
  g_hash_table_unref (ix->quota_by_key);
  g_free (ix->line_start);
  g_free (ix->order_lines);
  g_free (ix->split_start);
  g_free (ix->order_splits);
  g_free (ix->first_positive);
  for (guint k = 0; k < G_N_ELEMENTS (ix->prev_eligible_day); k++)
    g_free (ix->prev_eligible_day[k]);
  g_free (ix->by_customer);
  g_free (ix->cust_start);
  g_free (ix->receipts_by_period);
  g_free (ix->period_start);
  g_free (ix->report_start);
  g_free (ix->reports);
  g_free (ix);
}

void
qt_index_prepare_eligible (QtIndex *ix, QtStatusSet set)
{
  g_return_if_fail (set < G_N_ELEMENTS (ix->prev_eligible_day));
  if (ix->prev_eligible_day[set] != NULL)
    return;
  QtDay *prev = g_new (QtDay, ix->ds->n_orders + 1);
  /* Group by group, each order with its day and status beside it: only the
   * writes are scattered. */
  for (guint c = 0; c < ix->n_cust_groups; c++)
    {
      QtDay last = QT_INDEX_NO_DAY;
      for (guint i = ix->cust_start[c]; i < ix->cust_start[c + 1]; i++)
        {
          const QtCustomerOrder *co = &ix->by_customer[i];
          prev[co->order] = last;
          if (set & (1u << co->status))
            last = co->day;
        }
    }
  ix->prev_eligible_day[set] = prev;
}

const QtQuota *
qt_index_quota (const QtIndex *ix, guint rep, QtPeriod period)
{
  guint row = GPOINTER_TO_UINT (g_hash_table_lookup (ix->quota_by_key, quota_key (rep, period)));
  return row ? &ix->ds->quotas[row - 1] : NULL;
}

const guint *
qt_index_receipts_in (const QtIndex *ix, QtPeriod period, guint *n)
{
  if (period < ix->first_period || period >= ix->first_period + (QtPeriod) ix->n_periods)
    {
      *n = 0;
      return ix->receipts_by_period;
    }
  guint k = (guint) (period - ix->first_period);
  *n = ix->period_start[k + 1] - ix->period_start[k];
  return ix->receipts_by_period + ix->period_start[k];
}
