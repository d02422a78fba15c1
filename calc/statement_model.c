/* calc/statement_model.c — the statements' model (SPEC §5): a per-run
 * index of what the run's slices need, and per rep the credits with their
 * nets, margin rates and fast_collection basis, the commission case, the
 * payables and the display orders. */
#include "statement_model.h"

#include <string.h>

#include "../model/money.h"
#include "credit.h"

struct QtStatementIndex {
  const QtRunResult *res;
  guint *slice_start;     /* per data set rep r: its slices are
                           * slices[slice_start[r] .. slice_start[r + 1]) */
  const QtSlice **slices; /* res->slices grouped by rep, each group in res->slices order */
  guint *order_slot;      /* per order row: 0 when no slice names it, else 1 + index
                           * into order_nets */
  QtRat *order_nets;      /* SPEC §4.2 net of each order a slice names */
  guint n_orders;
  guint *excepted_start;  /* per data set rep r: its excepted receipts are
                           * excepted[excepted_start[r] .. excepted_start[r + 1]) */
  QtExceptedReceipt *excepted;
};

/* ---- the index ---------------------------------------------------------- */

/* res->slices grouped by rep (a stable counting sort keeps their order). */
static void
index_slices (QtStatementIndex *ix)
{
  const QtRunResult *res = ix->res;
  const guint n = res->slices != NULL ? res->slices->len : 0;
  ix->slice_start = g_new0 (guint, res->ds->n_reps + 2);
  for (guint k = 0; k < n; k++)
    ix->slice_start[g_array_index (res->slices, QtSlice, k).rep + 1]++;
  for (guint r = 0; r < res->ds->n_reps; r++)
    ix->slice_start[r + 1] += ix->slice_start[r];
  g_autofree guint *fill = g_memdup2 (ix->slice_start, sizeof (guint) * (res->ds->n_reps + 1));
  ix->slices = g_new (const QtSlice *, n + 1);
  for (guint k = 0; k < n; k++)
    {
      const QtSlice *sl = &g_array_index (res->slices, QtSlice, k);
      ix->slices[fill[sl->rep]++] = sl;
    }
}

/* Row of the order a credited receipt pays (a credited receipt has one). */
static guint
order_row (const QtDataset *ds, const QtSlice *sl)
{
  return (guint) ds->receipts[sl->receipt].order_row;
}

/* One slot per order that some slice names, numbered in slice order. */
static void
index_order_slots (QtStatementIndex *ix)
{
  const QtDataset *ds = ix->res->ds;
  const guint n = ix->res->slices != NULL ? ix->res->slices->len : 0;
  ix->order_slot = g_new0 (guint, ds->n_orders + 1);
  for (guint k = 0; k < n; k++)
    {
      const guint o = order_row (ds, &g_array_index (ix->res->slices, QtSlice, k));
      if (ix->order_slot[o] == 0)
        ix->order_slot[o] = ++ix->n_orders;
    }
  ix->order_nets = g_new0 (QtRat, ix->n_orders + 1);
}

/* Slot + 1 of the order a line belongs to, 0 when no slice names it. */
static guint
line_slot (const QtStatementIndex *ix, const QtOrderLine *ln)
{
  return ln->order_row >= 0 ? ix->order_slot[ln->order_row] : 0;
}

/* SPEC §4.2: the net of every slotted order, in one pass over the lines. */
static void
index_order_nets (QtStatementIndex *ix)
{
  const QtDataset *ds = ix->res->ds;
  g_auto (QtRat) net = { 0 };
  for (guint i = 0; i < ds->n_lines; i++)
    {
      const guint slot = line_slot (ix, &ds->lines[i]);
      if (slot == 0)
        continue;
      qt_credit_line_net (ds, &ds->lines[i], &net);
      qt_rat_add (&ix->order_nets[slot - 1], &ix->order_nets[slot - 1], &net);
    }
}

static gint
excepted_cmp (gconstpointer a, gconstpointer b)
{
  const QtExceptedReceipt *x = a, *y = b;
  return strcmp (x->receipt->receipt_id, y->receipt->receipt_id);
}

/* The reps an order concerns: its owner and everyone in its split rows;
 * adds one entry of `e` per rep (a rep once) to by_rep. */
static void
excepted_for_order (const QtDataset *ds, GHashTable *splits_of, gint o, const QtExceptedReceipt *e,
                    GArray **by_rep)
{
  gint seen[64];
  guint n_seen = 0;
  gint owner = o >= 0 ? qt_id_row (ds->orders[o].rep_id, QT_ID_REP) : -1;
  GArray *rows = o >= 0 ? g_hash_table_lookup (splits_of, GINT_TO_POINTER (o + 1)) : NULL;
  for (guint k = 0; k <= (rows != NULL ? rows->len : 0); k++)
    {
      gint rep = k == 0 ? owner
                        : qt_id_row (ds->splits[g_array_index (rows, guint, k - 1)].rep_id, QT_ID_REP);
      gboolean dup = rep < 0;
      for (guint i = 0; i < n_seen && !dup; i++)
        dup = seen[i] == rep;
      if (dup)
        continue;
      if (n_seen < G_N_ELEMENTS (seen))
        seen[n_seen++] = rep;
      g_array_append_val (by_rep[rep], *e);
    }
}

/* Each rep's excepted receipts of the period (SPEC §12.4: a receipt is
 * credited whole or excepted whole, in receipts.csv at its line). */
static void
index_excepted (QtStatementIndex *ix)
{
  const QtRunResult *res = ix->res;
  const QtDataset *ds = res->ds;
  g_autoptr (GHashTable) by_line = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < res->exceptions->len; i++)
    {
      const QtException *e = &g_array_index (res->exceptions, QtException, i);
      if (strcmp (e->file, "receipts.csv") == 0)
        g_hash_table_insert (by_line, GUINT_TO_POINTER (e->line), (gpointer) e);
    }
  GArray **by_rep = g_new0 (GArray *, ds->n_reps + 1);
  for (guint r = 0; r < ds->n_reps; r++)
    by_rep[r] = g_array_new (FALSE, FALSE, sizeof (QtExceptedReceipt));
  g_autoptr (GHashTable) splits_of = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                             (GDestroyNotify) g_array_unref);
  if (g_hash_table_size (by_line) > 0)
    for (guint k = 0; k < ds->n_splits; k++)
      {
        gint o = qt_id_row (ds->splits[k].order_id, QT_ID_ORDER);
        GArray *rows = o >= 0 ? g_hash_table_lookup (splits_of, GINT_TO_POINTER (o + 1)) : NULL;
        if (o >= 0 && rows == NULL)
          g_hash_table_insert (splits_of, GINT_TO_POINTER (o + 1),
                               rows = g_array_new (FALSE, FALSE, sizeof (guint)));
        if (rows != NULL)
          g_array_append_val (rows, k);
      }
  for (guint k = 0; k < ds->n_receipts && g_hash_table_size (by_line) > 0; k++)
    {
      const QtException *e = g_hash_table_lookup (by_line, GUINT_TO_POINTER (ds->receipts[k].line));
      if (e == NULL)
        continue;
      const QtExceptedReceipt x = { &ds->receipts[k], e };
      excepted_for_order (ds, splits_of, ds->receipts[k].order_row, &x, by_rep);
    }
  ix->excepted_start = g_new0 (guint, ds->n_reps + 2);
  guint total = 0;
  for (guint r = 0; r < ds->n_reps; r++)
    total += by_rep[r]->len;
  ix->excepted = g_new0 (QtExceptedReceipt, total + 1);
  for (guint r = 0, at = 0; r < ds->n_reps; r++)
    {
      g_array_sort (by_rep[r], excepted_cmp);
      ix->excepted_start[r] = at;
      if (by_rep[r]->len > 0)
        memcpy (&ix->excepted[at], by_rep[r]->data, sizeof (QtExceptedReceipt) * by_rep[r]->len);
      at += by_rep[r]->len;
      ix->excepted_start[r + 1] = at;
      g_array_unref (by_rep[r]);
    }
  g_free (by_rep);
}

QtStatementIndex *
qt_statement_index_new (const QtRunResult *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  QtStatementIndex *ix = g_new0 (QtStatementIndex, 1);
  ix->res = res;
  index_slices (ix);
  index_order_slots (ix);
  index_order_nets (ix);
  index_excepted (ix);
  return ix;
}

void
qt_statement_index_free (QtStatementIndex *ix)
{
  if (ix == NULL)
    return;
  for (guint k = 0; k < ix->n_orders; k++)
    qt_rat_clear (&ix->order_nets[k]);
  g_free (ix->order_nets);
  g_free (ix->order_slot);
  g_free (ix->slices);
  g_free (ix->slice_start);
  g_free (ix->excepted_start);
  g_free (ix->excepted);
  g_free (ix);
}

const QtRunResult *
qt_statement_index_result (const QtStatementIndex *ix)
{
  return ix->res;
}

/* ---- one credit --------------------------------------------------------- */

/* SPEC §12.5.3: the receipt that timed fast_collection (a credited
 * refund always has a first positive receipt). */
static void
credit_timing (const QtRunResult *res, QtStatementCredit *c)
{
  const QtDataset *ds = res->ds;
  const gint t = qt_credit_timing_receipt (ds, res->first_positive, c->slice->receipt);
  c->timed_by = t >= 0 ? &ds->receipts[t] : c->receipt;
  c->days_after_signing = (gint64) c->timed_by->received_on - c->order->signed_on;
}

/* Everything a statement shows about one slice. */
static void
credit_fill (const QtStatementIndex *ix, const QtSlice *sl, QtStatementCredit *c)
{
  const QtDataset *ds = ix->res->ds;
  c->slice = sl;
  c->receipt = &ds->receipts[sl->receipt];
  c->line = &ds->lines[sl->line];
  c->order = &ds->orders[c->receipt->order_row];
  c->customer = c->order->customer_row >= 0 ? &ds->customers[c->order->customer_row] : NULL;
  const gint product = qt_id_row (c->line->product_id, QT_ID_PRODUCT);
  c->product = product >= 0 ? &ds->products[product] : NULL;
  c->order_net = &ix->order_nets[ix->order_slot[c->receipt->order_row] - 1];
  qt_credit_line_net (ds, c->line, &c->line_net);
  /* the basis of high_margin, shown where that multiplier applied */
  c->has_margin_rate = (sl->mult_mask & (1u << QT_MULT_HIGH_MARGIN))
                       && qt_credit_margin_rate (ds, c->line, &c->margin_rate);
  credit_timing (ix->res, c);
}

/* ---- one rep ------------------------------------------------------------ */

/* rep_id order of two positions into res->reps. */
static gint
report_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtRunResult *res = data;
  return strcmp (res->ds->reps[res->reps[*(const guint *) a].rep].rep_id,
                 res->ds->reps[res->reps[*(const guint *) b].rep].rep_id);
}

/* r's direct reports by rep_id. */
static guint *
reports_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_reports + 1);
  if (r->n_reports > 0)
    memcpy (order, r->reports, sizeof (guint) * r->n_reports);
  g_qsort_with_data (order, (gint) r->n_reports, sizeof (guint), report_cmp, (gpointer) res);
  return order;
}

typedef struct {
  const QtRunResult *res;
  const QtRepResult *r;
} AdjCtx;

/* adjustment_id order of two positions into r->adjustments. */
static gint
adjustment_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const AdjCtx *c = data;
  const QtAdjustment *x = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) a]];
  const QtAdjustment *y = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) b]];
  return strcmp (x->adjustment_id, y->adjustment_id);
}

/* r's adjustments by adjustment_id. */
static guint *
adjustments_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_adjustments + 1);
  for (guint k = 0; k < r->n_adjustments; k++)
    order[k] = k;
  AdjCtx c = { res, r };
  g_qsort_with_data (order, (gint) r->n_adjustments, sizeof (guint), adjustment_cmp, &c);
  return order;
}

/* SPEC §4.5, §12.6: which rule made the commission. */
static QtCommissionCase
commission_case (const QtRepResult *r)
{
  if (r->no_quota)
    return QT_COMMISSION_NO_QUOTA_CREDITS;
  if (!r->has_quota)
    return QT_COMMISSION_NO_QUOTA;
  if (r->clawback)
    return QT_COMMISSION_CLAWBACK;
  if (mpq_sgn (r->weighted) == 0)
    return QT_COMMISSION_ZERO_W;
  return QT_COMMISSION_TIERS;
}

/* SPEC §6: the payable amounts, exact and rounded. */
static void
payables (const QtRepResult *r, QtPayable *p)
{
  p[QT_PAYABLE_COMMISSION] = (QtPayable) { r->commission, r->r_commission };
  p[QT_PAYABLE_OVERRIDE] = (QtPayable) { r->override_amount, r->r_override };
  p[QT_PAYABLE_SPRINT_BONUS] = (QtPayable) { r->sprint_bonus, r->r_sprint };
  p[QT_PAYABLE_SCORE_BONUS] = (QtPayable) { r->score_bonus, r->r_score };
  p[QT_PAYABLE_ADJUSTMENTS] = (QtPayable) { r->adjustments_sum, r->r_adjustments };
  p[QT_PAYABLE_TOTAL] = (QtPayable) { r->total_exact, r->r_total };
}

/* SPEC §4.7: the sprint bonus of lowest threshold the quarter's W does not
 * reach against the whole quarter's quota, and by how much.  At the
 * quarter's end those are the unpaid bonuses (W / quota < min_attainment
 * exactly when the gap is positive). */
static void
sprint_gap (const QtRepResult *r, QtStatementModel *m)
{
  m->sprint_bonus = -1;
  if (r->quarter_end ? !r->has_sprint_attainment : !r->has_quarter_quota)
    return;
  mpq_srcptr quota = r->quarter_end ? r->sprint_quota : r->quarter_quota;
  g_auto (mpq_t) need;
  mpq_init (need);
  for (guint i = 0; i < r->n_bonuses; i++)
    {
      const QtBonusLine *b = &r->bonuses[i];
      if (b->bonus->kind != QT_BONUS_QUARTERLY_SPRINT)
        continue;
      mpq_mul (need, b->bonus->min_attainment, quota);
      mpq_sub (need, need, r->sprint_w);
      if (mpq_sgn (need) <= 0
          || (m->sprint_bonus >= 0
              && mpq_cmp (b->bonus->min_attainment,
                          r->bonuses[m->sprint_bonus].bonus->min_attainment) >= 0))
        continue;
      m->sprint_bonus = (gint) i;
      mpq_set (m->sprint_needed, need);
    }
}

/* SPEC §4.8: an item's rise from its score to its cap adds (cap − score)
 * × weight × its list's weight × 100 to the total score. */
static void
score_lever (const QtRepResult *r, QtStatementModel *m)
{
  const QtPlanVersion *v = r->plan;
  g_auto (mpq_t) gain;
  mpq_init (gain);
  m->lever = -1;
  for (guint i = 0; v->has_score && i < r->n_score_lines; i++)
    {
      const QtScoreLine *l = &r->score_lines[i];
      if (!l->item->has_cap || mpq_cmp (l->score, l->item->cap) >= 0)
        continue;
      mpq_sub (gain, l->item->cap, l->score);
      mpq_mul (gain, gain, l->item->weight);
      mpq_mul (gain, gain, l->is_process ? v->process_weight : v->result_weight);
      if (m->lever < 0 || mpq_cmp (gain, m->lever_points) > 0)
        {
          m->lever = (gint) i;
          mpq_set (m->lever_points, gain);
        }
    }
  if (m->lever >= 0)
    {
      g_auto (mpq_t) hundred;
      mpq_init (hundred);
      mpq_set_ui (hundred, 100, 1);
      mpq_mul (m->lever_points, m->lever_points, hundred);
    }
}

QtStatementModel *
qt_statement_model_build (const QtStatementIndex *ix, guint rep)
{
  g_return_val_if_fail (ix != NULL && rep < ix->res->n_reps, NULL);
  const QtRunResult *res = ix->res;
  const QtRepResult *r = &res->reps[rep];
  QtStatementModel *m = g_new0 (QtStatementModel, 1);
  m->res = res;
  m->r = r;
  m->index = rep;
  m->rep = &res->ds->reps[r->rep];
  m->manager = m->rep->manager >= 0 ? &res->ds->reps[m->rep->manager] : NULL;
  m->n_credits = ix->slice_start[r->rep + 1] - ix->slice_start[r->rep];
  m->credits = g_new0 (QtStatementCredit, m->n_credits + 1);
  for (guint k = 0; k < m->n_credits; k++)
    credit_fill (ix, ix->slices[ix->slice_start[r->rep] + k], &m->credits[k]);
  m->reports = reports_sorted (res, r);
  m->adjustments = adjustments_sorted (res, r);
  m->commission_case = commission_case (r);
  payables (r, m->payable);
  mpq_init (m->sprint_needed);
  mpq_init (m->lever_points);
  sprint_gap (r, m);
  score_lever (r, m);
  m->excepted = &ix->excepted[ix->excepted_start[r->rep]];
  m->n_excepted = ix->excepted_start[r->rep + 1] - ix->excepted_start[r->rep];
  return m;
}

void
qt_statement_model_free (QtStatementModel *m)
{
  if (m == NULL)
    return;
  for (guint k = 0; k < m->n_credits; k++)
    {
      qt_rat_clear (&m->credits[k].line_net);
      qt_rat_clear (&m->credits[k].margin_rate);
    }
  g_free (m->credits);
  g_free (m->reports);
  g_free (m->adjustments);
  mpq_clear (m->sprint_needed);
  mpq_clear (m->lever_points);
  g_free (m);
}
