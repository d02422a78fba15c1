/* calc/credit.c — SPEC §4.1–4.4 and §12.3–12.5: receipts → credited slices. */
#include "credit.h"

#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "dec.h"

/* A plan version's weights as decimals (calc/dec.h), when they are: w[m]
 * for every multiplier mask m, and dw[m] = w[m | high_margin] − w[m]. */
typedef struct {
  const QtPlanVersion *plan;
  gboolean ok;
  QtDec w[1 << QT_MULT_COUNT], dw[1 << QT_MULT_COUNT];
} PlanWeights;

/* Per-month context: the plan version of each rep for the month, and
 * scratch values reused for every receipt (no allocation per slice).
 *
 * Two paths compute the same exact numbers.  The fast one holds the
 * receipt's amount, its order's line nets and the month's sums as 128-bit
 * decimals; a rep's weighted credit from a receipt whose order mixes
 * high-margin and other lines is the only quotient, added as a rational.
 * A sum that would overflow spills into its mpq_t and starts again; a
 * receipt with a value that does not fit takes the GMP path whole.  Sums
 * are exact either way, so the result does not depend on the path. */
typedef struct {
  const QtIndex *ix;
  const QtDataset *ds;
  const QtPlanVersion **rep_plan;
  const PlanWeights **rep_weights; /* per rep: its plan's weights, NULL when not decimals */
  PlanWeights *weights;            /* one per plan version in force */
  QtMonthCredit *mc;
  mpq_t t1, t2, t3, amount;   /* scratch of classify, order_net; the amount a */
  mpq_t hm_a, hm_b;           /* scratch of is_high_margin only */
  mpq_t share, part, f, s_hm, wsum; /* credit_rep's and detail_slices' values */
  mpq_t s_amount, s_weighted; /* a slice's values on the GMP path */
  GArray *nets;       /* __mpq_struct: line nets of the current order, reused */
  /* The current receipt: `fast` when amount_d, net_d and nets_d hold its
   * values; amount_q and net_q once m->amount and the mpq nets do. */
  gboolean fast, amount_q, net_q;
  QtDec amount_d, net_d;
  QtDec *nets_d;
  guint nets_d_cap;
  /* The month's sums in decimals, added to mc's mpq_t at the end. */
  QtDec *credit_d, *weighted_d;
  QtDec in_period_d, credited_d, excepted_d;
  mpq_t spill;
} Month;

static const QtNum num_one = { .units = 1, .scale = 0, .big = 0 };

void
qt_slice_clear (gpointer p)
{
  QtSlice *s = p;
  qt_frac_clear (&s->amount);
  qt_frac_clear (&s->weighted);
}

void
qt_exception_clear (gpointer p)
{
  QtException *e = p;
  g_free (e->message);
}

const QtPlanVersion *
qt_credit_rep_plan (const QtIndex *ix, const QtPlanSet *plans, guint rep, QtPeriod period)
{
  return qt_plan_set_in_force (plans, ix->ds->reps[rep].plan_id, qt_period_first_day (period));
}

static void
add_exception (Month *m, const QtReceipt *r, const char *code, char *message)
{
  if (m->mc->exceptions == NULL)
    {
      g_free (message);
      return;
    }
  QtException e = { m->ds->source[QT_TABLE_RECEIPTS], r->line, code, message };
  g_array_append_val (m->mc->exceptions, e);
}

/* SPEC §12.4 order of checks; returns NULL when the receipt is credited,
 * else the code (and *message). */
static const char *
classify (Month *m, const QtReceipt *r, gint o, char **message)
{
  const QtIndex *ix = m->ix;
  const QtDataset *ds = m->ds;
  if (o < 0)
    {
      *message = g_strdup_printf ("order '%s' does not exist", r->order_id);
      return "UNKNOWN_ORDER";
    }
  const QtOrder *ord = &ds->orders[o];
  gint owner = qt_index_rep (ix, ord->rep_id);
  if (owner < 0)
    {
      *message = g_strdup_printf ("order '%s' names unknown rep '%s'", ord->order_id, ord->rep_id);
      return "UNKNOWN_REP";
    }
  mpq_ptr sum = m->t1;
  mpq_set_ui (sum, 0, 1);
  for (guint k = ix->split_start[o]; k < ix->split_start[o + 1]; k++)
    {
      const QtSplit *s = &ds->splits[ix->order_splits[k]];
      if (qt_index_rep (ix, s->rep_id) < 0)
        {
          *message = g_strdup_printf ("split of order '%s' names unknown rep '%s'",
                                      ord->order_id, s->rep_id);
          return "UNKNOWN_REP";
        }
      qt_num_get (ds->nums, s->share, m->t2);
      mpq_add (sum, sum, m->t2);
    }
  if (ix->split_start[o] < ix->split_start[o + 1] && mpq_cmp_si (sum, 1, 1) != 0)
    {
      g_autofree char *txt = qt_exact_format (sum);
      *message = g_strdup_printf ("split shares of order '%s' sum to %s, not 1", ord->order_id, txt);
      return "SPLIT_SUM";
    }
  const QtPlanVersion *v = m->rep_plan[owner];
  if (v == NULL || !(v->eligible_status & (1u << ord->status)))
    {
      *message = g_strdup_printf ("order '%s' has status '%s', not eligible", ord->order_id,
                                  qt_status_name (ord->status));
      return "INELIGIBLE_STATUS";
    }
  return NULL;
}

/* line net = quantity × unit_price (SPEC §4.2). */
static void
line_net (Month *m, const QtOrderLine *l, mpq_t out)
{
  qt_num_get (m->ds->nums, l->quantity, out);
  qt_num_get (m->ds->nums, l->unit_price, m->t3);
  mpq_mul (out, out, m->t3);
}

/* The k-th line net of the current order (kept by order_net). */
static mpq_ptr
net_of (Month *m, guint k)
{
  return &g_array_index (m->nets, __mpq_struct, k);
}

/* Order net N = Σ line nets (SPEC §4.2); keeps each line net for
 * allocate(). */
static void
order_net (Month *m, gint o, mpq_t net)
{
  guint first = m->ix->line_start[o], n = m->ix->line_start[o + 1] - first;
  while (m->nets->len < n)
    {
      __mpq_struct fresh;
      mpq_init (&fresh);
      g_array_append_val (m->nets, fresh);
    }
  mpq_set_ui (net, 0, 1);
  for (guint k = 0; k < n; k++)
    {
      line_net (m, &m->ds->lines[m->ix->order_lines[first + k]], net_of (m, k));
      mpq_add (net, net, net_of (m, k));
    }
}

/* The order's line nets and net N in decimals; FALSE when one does not
 * fit (then the GMP path computes them). */
static gboolean
order_net_dec (Month *m, gint o)
{
  guint first = m->ix->line_start[o], n = m->ix->line_start[o + 1] - first;
  if (n > m->nets_d_cap)
    {
      m->nets_d_cap = MAX (n, 2 * m->nets_d_cap);
      m->nets_d = g_renew (QtDec, m->nets_d, m->nets_d_cap);
    }
  QtDec net = qt_dec_zero ();
  for (guint k = 0; k < n; k++)
    {
      const QtOrderLine *l = &m->ds->lines[m->ix->order_lines[first + k]];
      QtDec q, p;
      if (!qt_dec_of_num (l->quantity, &q) || !qt_dec_of_num (l->unit_price, &p)
          || !qt_dec_mul (q, p, &m->nets_d[k]) || !qt_dec_add (net, m->nets_d[k], &net))
        return FALSE;
    }
  m->net_d = net;
  return TRUE;
}

/* *acc += x in decimals; on overflow *acc goes into `exact` first. */
static void
sum_dec (Month *m, QtDec *acc, mpq_ptr exact, QtDec x)
{
  QtDec sum;
  if (qt_dec_add (*acc, x, &sum))
    {
      *acc = sum;
      return;
    }
  qt_dec_get (*acc, m->spill);
  mpq_add (exact, exact, m->spill);
  *acc = x;
}

/* Adds the receipt's amount a to a month total. */
static void
sum_amount (Month *m, QtDec *acc, mpq_ptr exact)
{
  if (m->fast)
    sum_dec (m, acc, exact, m->amount_d);
  else
    mpq_add (exact, exact, m->amount);
}

/* Moves a decimal sum into its mpq_t. */
static void
fold_dec (Month *m, QtDec *acc, mpq_ptr exact)
{
  if (acc->units == 0)
    return;
  qt_dec_get (*acc, m->spill);
  mpq_add (exact, exact, m->spill);
  *acc = qt_dec_zero ();
}

/* SPEC §4.3, §12.5.1: no other eligible order of the customer inside the
 * look-back window before this one (by signed_on, then order_id).  The
 * nearest earlier eligible order decides: if it is outside the window, all
 * earlier ones are. */
static gboolean
is_new_customer (const QtIndex *ix, guint o, gint64 lookback, QtStatusSet eligible)
{
  gint64 from = (gint64) ix->ds->orders[o].signed_on - lookback;
  const QtDay *prev = ix->prev_eligible_day[eligible]; /* prepared: qt_month_work_new */
  return prev[o] == QT_INDEX_NO_DAY || prev[o] < from;
}

/* Whether the index has the eligible-day table of every plan version's
 * eligible statuses (is_new_customer reads nothing else). */
static gboolean
eligible_days_prepared (const QtIndex *ix, const QtPlanSet *plans)
{
  guint n;
  const QtPlanVersion *const *versions = qt_plan_set_versions (plans, &n);
  for (guint i = 0; i < n; i++)
    if (ix->prev_eligible_day[versions[i]->eligible_status] == NULL)
      return FALSE;
  return TRUE;
}

/* SPEC §4.3, §12.5.2: (price − cost) / price ≥ min rate, price > 0,
 * i.e. price − cost ≥ min rate × price. */
/* 10^k for k = 0 .. 18 as 128-bit integers. */
static __int128
pow10_i128 (guint k)
{
  __int128 p = 1;
  while (k-- > 0)
    p *= 10;
  return p;
}

/* The high_margin test in integers when everything is small: with price
 * P/10^a, cost C/10^b and rate r/d, price − cost ≥ rate × price ⇔
 * (P·10^(s−a) − C·10^(s−b)) · d ≥ r · P·10^(s−a), s = max(a, b).  Sets
 * *result and returns TRUE, or FALSE (no overflow risked) to use GMP. */
static gboolean
high_margin_small (const QtOrderLine *l, const mpq_t min_rate, gboolean *result)
{
  if (!qt_num_is_small (l->unit_price) || !qt_num_is_small (l->unit_cost)
      || !mpz_fits_slong_p (mpq_numref (min_rate)) || !mpz_fits_slong_p (mpq_denref (min_rate)))
    return FALSE;
  guint s = MAX (l->unit_price.scale, l->unit_cost.scale);
  /* |units| < 10^17 and each scale step × 10 ≤ 10^18: both below 10^35. */
  __int128 price = (__int128) l->unit_price.units * pow10_i128 (s - l->unit_price.scale);
  __int128 cost = (__int128) l->unit_cost.units * pow10_i128 (s - l->unit_cost.scale);
  __int128 lhs, rhs;
  if (__builtin_mul_overflow (price - cost, (__int128) mpz_get_si (mpq_denref (min_rate)), &lhs)
      || __builtin_mul_overflow (price, (__int128) mpz_get_si (mpq_numref (min_rate)), &rhs))
    return FALSE;
  *result = lhs >= rhs;
  return TRUE;
}

static gboolean
is_high_margin (Month *m, const QtOrderLine *l, const mpq_t min_rate)
{
  if (qt_num_sgn (m->ds->nums, l->unit_price) <= 0)
    return FALSE;
  gboolean fast;
  if (high_margin_small (l, min_rate, &fast))
    return fast;
  qt_num_get (m->ds->nums, l->unit_price, m->hm_a);
  qt_num_get (m->ds->nums, l->unit_cost, m->hm_b);
  mpq_sub (m->hm_b, m->hm_a, m->hm_b);
  mpq_mul (m->hm_a, min_rate, m->hm_a);
  return mpq_cmp (m->hm_b, m->hm_a) >= 0;
}

/* The multipliers that depend on the receipt and the plan version only
 * (new_customer, fast_collection), remembered for the receipt's plans:
 * every line and every split rep on the same plan shares them. */
typedef struct {
  const QtPlanVersion *plan[4];
  guint mask[4];
  guint n;
} ReceiptMasks;

static guint
receipt_mask (Month *m, ReceiptMasks *cache, const QtPlanVersion *v, guint o,
              QtDay collected_on)
{
  for (guint i = 0; i < cache->n; i++)
    if (cache->plan[i] == v)
      return cache->mask[i];
  guint mask = 0;
  const QtMultiplier *nc = &v->mult[QT_MULT_NEW_CUSTOMER];
  if (nc->present && is_new_customer (m->ix, o, nc->lookback_days, v->eligible_status))
    mask |= 1u << QT_MULT_NEW_CUSTOMER;
  const QtMultiplier *fc = &v->mult[QT_MULT_FAST_COLLECTION];
  if (fc->present && (gint64) collected_on - m->ds->orders[o].signed_on <= fc->max_days)
    mask |= 1u << QT_MULT_FAST_COLLECTION;
  if (cache->n < G_N_ELEMENTS (cache->plan))
    {
      cache->plan[cache->n] = v;
      cache->mask[cache->n++] = mask;
    }
  return mask;
}

/* The slices of one receiving rep for one receipt (SPEC §4.2–4.3,
 * §12.3): slice_k = a × line_net_k / N × share for every line k, weighted
 * by the rep's multipliers.  The rep's sums need no slice: Σ_k slice_k =
 * a × share (the line nets sum to N), and the weighted sum only tells the
 * high-margin lines' nets from the others'.  Each sum is exact, so this
 * is the same number as adding the slices one by one, for a fraction of
 * the work; the slices themselves are made only for the detail list. */
typedef struct {
  guint receipt, order;
  mpq_ptr net;              /* N (once net_q; the line nets are net_of (m, k)) */
  QtDay collected_on;
  ReceiptMasks cache;
} Allocation;

/* Makes the receipt's GMP values ready: its amount, its order's net in
 * al and its line nets (net_of); the fast path may not have needed them. */
static void order_net (Month *m, gint o, mpq_t net);
static void
need_mpq (Month *m, Allocation *al)
{
  if (!m->amount_q)
    {
      qt_num_get (m->ds->nums, m->ds->receipts[al->receipt].amount, m->amount);
      m->amount_q = TRUE;
    }
  if (!m->net_q)
    {
      order_net (m, (gint) al->order, al->net);
      m->net_q = TRUE;
    }
}

/* Whether line k of the order has a high margin under v (SPEC §12.5.2). */
static gboolean
line_high_margin (Month *m, const QtPlanVersion *v, guint line)
{
  const QtMultiplier *hm = &v->mult[QT_MULT_HIGH_MARGIN];
  return hm->present && is_high_margin (m, &m->ds->lines[line], hm->min_margin_rate);
}

static mpq_srcptr share_mpq (Month *m, QtNum share);

/* Appends rep's slice of every line to the detail list: slice_k =
 * a × share × line_net_k / N, weighted by the line's multipliers.  In
 * decimals the numerator is exact and only the quotient by N is a
 * rational (calc/dec.h); a slice whose values do not fit takes GMP. */
static void
detail_slices (Month *m, Allocation *al, guint rep, const QtPlanVersion *v, guint mask,
               QtNum share)
{
  const QtIndex *ix = m->ix;
  const PlanWeights *pw = m->fast ? m->rep_weights[rep] : NULL;
  QtDec share_d, part;
  gboolean fast = pw != NULL && qt_dec_of_num (share, &share_d)
                  && qt_dec_mul (m->amount_d, share_d, &part);
  gboolean have_f = FALSE;
  mpq_srcptr share_q = NULL;
  guint first = ix->line_start[al->order];
  for (guint k = first; k < ix->line_start[al->order + 1]; k++)
    {
      guint li = ix->order_lines[k];
      QtSlice s = { .receipt = al->receipt, .line = li, .rep = rep, .plan = v, .share = share };
      s.mult_mask = mask | (line_high_margin (m, v, li) ? 1u << QT_MULT_HIGH_MARGIN : 0);
      s.weight = v->weight_by_mask[s.mult_mask];
      QtDec x, y;
      if (fast && qt_dec_mul (m->nets_d[k - first], part, &x))
        {
          qt_dec_div_frac (x, m->net_d, &s.amount);
          if (s.mult_mask == 0) /* weight 1 */
            qt_frac_set_copy (&s.weighted, &s.amount);
          else if (qt_dec_mul (x, pw->w[s.mult_mask], &y))
            qt_dec_div_frac (y, m->net_d, &s.weighted);
          else
            {
              qt_frac_get (&s.amount, m->s_amount);
              mpq_mul (m->s_weighted, m->s_amount, s.weight);
              qt_frac_set_mpq (&s.weighted, m->s_weighted);
            }
          g_array_append_val (m->mc->slices, s);
          continue;
        }
      if (!have_f)
        {
          need_mpq (m, al);
          share_q = share_mpq (m, share);
          mpq_div (m->f, m->amount, al->net); /* a / N, once per rep */
          have_f = TRUE;
        }
      mpq_mul (m->s_amount, net_of (m, k - first), m->f);
      if (share_q != NULL)
        mpq_mul (m->s_amount, m->s_amount, share_q);
      qt_frac_set_mpq (&s.amount, m->s_amount);
      if (s.mult_mask == 0)
        qt_frac_set_copy (&s.weighted, &s.amount);
      else
        {
          mpq_mul (m->s_weighted, m->s_amount, s.weight);
          qt_frac_set_mpq (&s.weighted, m->s_weighted);
        }
      g_array_append_val (m->mc->slices, s);
    }
}

/* The rep's share as a rational, or NULL for share 1. */
static mpq_srcptr
share_mpq (Month *m, QtNum share)
{
  if (share.big == 0 && share.units == 1 && share.scale == 0)
    return NULL;
  qt_num_get (m->ds->nums, share, m->share);
  return m->share;
}

/* credit_rep's sums on the fast path: FALSE, with nothing added, when a
 * value does not fit. */
static gboolean
credit_rep_dec (Month *m, const Allocation *al, guint rep, const QtPlanVersion *v, guint mask,
                QtNum share)
{
  const PlanWeights *pw = m->rep_weights[rep];
  QtDec share_d, part, wpart, extra = qt_dec_zero ();
  if (pw == NULL || !qt_dec_of_num (share, &share_d) || !qt_dec_mul (m->amount_d, share_d, &part))
    return FALSE;
  const guint hm_bit = 1u << QT_MULT_HIGH_MARGIN;
  QtDec s_hm = qt_dec_zero ();
  guint first = m->ix->line_start[al->order], n_lines = m->ix->line_start[al->order + 1] - first;
  for (guint k = 0; k < n_lines && v->mult[QT_MULT_HIGH_MARGIN].present; k++)
    if (line_high_margin (m, v, m->ix->order_lines[first + k])
        && !qt_dec_add (s_hm, m->nets_d[k], &s_hm))
      return FALSE;
  /* weighted: part × w + part × (w_hm − w) × S_hm / N */
  QtDec diff;
  gboolean all_hm = s_hm.units != 0 && qt_dec_sub (m->net_d, s_hm, &diff) && diff.units == 0;
  if (!qt_dec_mul (part, pw->w[all_hm ? mask | hm_bit : mask], &wpart))
    return FALSE;
  if (!all_hm && s_hm.units != 0
      && (!qt_dec_mul (part, pw->dw[mask], &extra) || !qt_dec_mul (extra, s_hm, &extra)))
    return FALSE;
  QtMonthCredit *mc = m->mc;
  sum_dec (m, &m->credit_d[rep], mc->credit[rep], part);
  sum_dec (m, &m->weighted_d[rep], mc->weighted[rep], wpart);
  if (extra.units != 0)
    {
      qt_dec_div_get (extra, m->net_d, m->spill);
      mpq_add (mc->weighted[rep], mc->weighted[rep], m->spill);
    }
  return TRUE;
}

/* credit_rep's sums on the GMP path. */
static void
credit_rep_mpq (Month *m, Allocation *al, guint rep, const QtPlanVersion *v, guint mask,
                mpq_srcptr share_q)
{
  const QtIndex *ix = m->ix;
  QtMonthCredit *mc = m->mc;
  guint first = ix->line_start[al->order], n_lines = ix->line_start[al->order + 1] - first;
  /* part = a × share: the rep's credit from this receipt */
  mpq_ptr part = m->part;
  if (share_q != NULL)
    mpq_mul (part, m->amount, share_q);
  else
    mpq_set (part, m->amount);
  mpq_add (mc->credit[rep], mc->credit[rep], part);
  /* weighted: part × (w_hm × S_hm + w × (N − S_hm)) / N */
  mpq_srcptr w = v->weight_by_mask[mask];
  mpq_srcptr w_hm = v->weight_by_mask[mask | 1u << QT_MULT_HIGH_MARGIN];
  mpq_ptr s_hm = m->s_hm;
  mpq_set_ui (s_hm, 0, 1);
  gboolean any_hm = FALSE;
  for (guint k = 0; k < n_lines && v->mult[QT_MULT_HIGH_MARGIN].present; k++)
    if (line_high_margin (m, v, ix->order_lines[first + k]))
      {
        mpq_add (s_hm, s_hm, net_of (m, k));
        any_hm = TRUE;
      }
  mpq_ptr wsum = m->wsum;
  if (!any_hm)
    mpq_mul (wsum, part, w);
  else
    {
      mpq_sub (wsum, al->net, s_hm);        /* N − S_hm */
      mpq_mul (wsum, wsum, w);
      mpq_mul (s_hm, s_hm, w_hm);
      mpq_add (wsum, wsum, s_hm);
      mpq_div (wsum, wsum, al->net);
      mpq_mul (wsum, wsum, part);
    }
  mpq_add (mc->weighted[rep], mc->weighted[rep], wsum);
}

/* Credits one receiving rep with its slices of the receipt. */
static void
credit_rep (Month *m, Allocation *al, guint rep, QtNum share)
{
  const QtPlanVersion *v = m->rep_plan[rep];
  if (v == NULL) /* SPEC §12.3: no version in force, not credited */
    return;
  const QtIndex *ix = m->ix;
  QtMonthCredit *mc = m->mc;
  guint mask = receipt_mask (m, &al->cache, v, al->order, al->collected_on);
  if (!m->fast || !credit_rep_dec (m, al, rep, v, mask, share))
    {
      need_mpq (m, al);
      credit_rep_mpq (m, al, rep, v, mask, share_mpq (m, share));
    }
  mc->n_slices[rep] += ix->line_start[al->order + 1] - ix->line_start[al->order];
  if (mc->slices != NULL)
    detail_slices (m, al, rep, v, mask, share);
}

/* SPEC §4.2: the receipt's amount a to every line and rep (its order's
 * values in m: decimals when m->fast, else in `net` and m->nets). */
static void
allocate (Month *m, guint r_idx, guint o, mpq_ptr net, QtDay collected_on)
{
  const QtIndex *ix = m->ix;
  const QtDataset *ds = m->ds;
  Allocation al = { .receipt = r_idx, .order = o, .net = net,
                    .collected_on = collected_on, .cache = { .n = 0 } };
  if (ix->split_start[o] == ix->split_start[o + 1]) /* unsplit: the owner, share 1 */
    {
      credit_rep (m, &al, (guint) qt_index_rep (ix, ds->orders[o].rep_id), num_one);
      return;
    }
  for (guint p = ix->split_start[o]; p < ix->split_start[o + 1]; p++)
    {
      const QtSplit *sp = &ds->splits[ix->order_splits[p]];
      credit_rep (m, &al, (guint) qt_index_rep (ix, sp->rep_id), sp->share);
    }
}

/* The order's net, for the check and message of NET_NOT_POSITIVE: its
 * sign, computing the values the receipt's path needs. */
static int
order_net_sign (Month *m, gint o, mpq_ptr net)
{
  if (m->fast && order_net_dec (m, o))
    return qt_dec_sgn (m->net_d);
  if (m->fast) /* the amount fits, the net does not: the GMP path */
    {
      m->fast = FALSE;
      qt_dec_get (m->amount_d, m->amount);
      m->amount_q = TRUE;
    }
  order_net (m, o, net);
  m->net_q = TRUE;
  return mpq_sgn (net);
}

/* One receipt of the month: credited whole or excepted whole (SPEC §12.4). */
static void
credit_receipt (Month *m, guint r_idx)
{
  const QtReceipt *r = &m->ds->receipts[r_idx];
  QtMonthCredit *mc = m->mc;
  gint o = r->order_row;
  char *message = NULL;
  const char *code = classify (m, r, o, &message);
  g_auto (mpq_t) net;
  mpq_init (net);
  m->fast = qt_dec_of_num (r->amount, &m->amount_d);
  m->amount_q = m->net_q = FALSE;
  if (!m->fast)
    {
      qt_num_get (m->ds->nums, r->amount, m->amount);
      m->amount_q = TRUE;
    }
  QtDay collected_on = r->received_on;
  if (code == NULL)
    {
      gboolean no_lines = m->ix->line_start[o] == m->ix->line_start[o + 1];
      if (order_net_sign (m, o, net) <= 0 || no_lines)
        {
          if (m->fast)
            qt_dec_get (m->net_d, net);
          g_autofree char *txt = qt_exact_format (net);
          message = no_lines ? g_strdup_printf ("order '%s' has no lines", r->order_id)
                             : g_strdup_printf ("order '%s' has net %s, not positive", r->order_id, txt);
          code = "NET_NOT_POSITIVE";
        }
      else if ((m->fast ? qt_dec_sgn (m->amount_d) : mpq_sgn (m->amount)) < 0)
        {
          gint first = m->ix->first_positive[o];
          if (first < 0)
            {
              message = g_strdup_printf ("refund on order '%s' without a positive receipt", r->order_id);
              code = "REFUND_WITHOUT_PAYMENT";
            }
          else /* SPEC §12.5.3: a refund is dated by the first payment */
            collected_on = m->ds->receipts[first].received_on;
        }
    }
  if (code != NULL)
    {
      mc->receipts_excepted++;
      sum_amount (m, &m->excepted_d, mc->amount_excepted);
      add_exception (m, r, code, message);
      return;
    }
  mc->receipts_credited++;
  sum_amount (m, &m->credited_d, mc->amount_credited);
  allocate (m, r_idx, (guint) o, net, collected_on);
}

typedef struct {
  gint order;
  guint receipt;
} ByOrder;

static gint
by_order_cmp (gconstpointer a, gconstpointer b)
{
  const ByOrder *x = a, *y = b;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return (x->receipt > y->receipt) - (x->receipt < y->receipt);
}

/* The month's receipts in the order of their orders' rows: orders and
 * their lines are then visited front to back instead of at random, which
 * is what the credit loop waits on at a large month.  Nothing computed
 * depends on this order (sums are exact; every output is sorted). */
static ByOrder *
receipts_by_order (const QtIndex *ix, QtPeriod period, guint *n)
{
  const guint *in_month = qt_index_receipts_in (ix, period, n);
  ByOrder *keyed = g_new (ByOrder, *n + 1);
  for (guint k = 0; k < *n; k++)
    keyed[k] = (ByOrder) { ix->ds->receipts[in_month[k]].order_row, in_month[k] };
  qsort (keyed, *n, sizeof (ByOrder), by_order_cmp);
  return keyed;
}

/* At most this many slices: every line of the receipts' orders for each
 * of their reps. */
static guint
slice_bound (const QtIndex *ix, const ByOrder *receipts, guint n)
{
  guint64 bound = 0;
  for (guint k = 0; k < n; k++)
    {
      gint o = receipts[k].order;
      if (o < 0)
        continue;
      guint splits = ix->split_start[o + 1] - ix->split_start[o];
      bound += (guint64) (ix->line_start[o + 1] - ix->line_start[o]) * MAX (splits, 1u);
    }
  return (guint) MIN (bound, (guint64) G_MAXUINT / 2);
}

/* How many receipts ahead the loop asks for the rows it will read. */
#define PREFETCH_AHEAD 8

/* Asks for the rows credit_receipt will read for this receipt: still far
 * apart in memory at a large month, even in order-row order. */
static void
prefetch_receipt (const Month *m, const ByOrder *b)
{
  const QtIndex *ix = m->ix;
  __builtin_prefetch (&m->ds->receipts[b->receipt]);
  if (b->order < 0)
    return;
  __builtin_prefetch (&m->ds->orders[b->order]);
  __builtin_prefetch (&ix->line_start[b->order]);
  __builtin_prefetch (&ix->split_start[b->order]);
}

/* The second step, nearer: the order's first line and split rows, whose
 * positions the first step brought in, and the row indexes of its id. */
static void
prefetch_lines (const Month *m, const ByOrder *b)
{
  const QtIndex *ix = m->ix;
  if (b->order < 0)
    return;
  qt_id_prefetch_rows (m->ds->orders[b->order].order_id);
  guint first = ix->line_start[b->order];
  if (first < ix->line_start[b->order + 1])
    __builtin_prefetch (&m->ds->lines[ix->order_lines[first]]);
  first = ix->split_start[b->order];
  if (first < ix->split_start[b->order + 1])
    __builtin_prefetch (&m->ds->splits[ix->order_splits[first]]);
}

/* Receipts per share of a month's work: small enough to balance two
 * threads, large enough to keep the prefetching loop streaming. */
#define WORK_CHUNK 2048

struct QtMonthWork {
  const QtIndex *ix;
  const QtPlanSet *plans;
  QtPeriod period;
  gboolean detailed;
  ByOrder *receipts;    /* the month's receipts in their orders' row order */
  guint n;
  guint slice_bound;
  gint next_chunk;      /* atomic */
};

QtMonthWork *
qt_month_work_new (const QtIndex *ix, const QtPlanSet *plans, QtPeriod period, gboolean detailed)
{
  g_return_val_if_fail (eligible_days_prepared (ix, plans), NULL);
  QtMonthWork *w = g_new0 (QtMonthWork, 1);
  *w = (QtMonthWork) { ix, plans, period, detailed, NULL, 0, 0, 0 };
  w->receipts = receipts_by_order (ix, period, &w->n);
  if (detailed)
    w->slice_bound = slice_bound (ix, w->receipts, w->n);
  return w;
}

void
qt_month_work_free (QtMonthWork *w)
{
  if (w == NULL)
    return;
  g_free (w->receipts);
  g_free (w);
}

static QtMonthCredit *
month_credit_new (const QtMonthWork *w)
{
  const QtDataset *ds = w->ix->ds;
  QtMonthCredit *mc = g_new0 (QtMonthCredit, 1);
  mc->period = w->period;
  mc->n_reps = ds->n_reps;
  mc->credit = g_new (mpq_t, ds->n_reps + 1);
  mc->weighted = g_new (mpq_t, ds->n_reps + 1);
  mc->n_slices = g_new0 (guint, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    mpq_inits (mc->credit[i], mc->weighted[i], NULL);
  mpq_inits (mc->amount_in_period, mc->amount_credited, mc->amount_excepted, NULL);
  if (w->detailed)
    {
      mc->exceptions = g_array_new (FALSE, FALSE, sizeof (QtException));
      g_array_set_clear_func (mc->exceptions, qt_exception_clear);
      /* room for every slice at once: never copied while growing */
      mc->slices = g_array_sized_new (FALSE, FALSE, sizeof (QtSlice), w->slice_bound);
      g_array_set_clear_func (mc->slices, qt_slice_clear);
    }
  return mc;
}

/* Credits w->receipts[from .. to) into m->mc. */
static void
credit_range (Month *m, const QtMonthWork *w, guint from, guint to)
{
  QtMonthCredit *mc = m->mc;
  for (guint k = from; k < to; k++)
    {
      mc->receipts_in_period++;
      if (k + PREFETCH_AHEAD < to)
        prefetch_receipt (m, &w->receipts[k + PREFETCH_AHEAD]);
      if (k + PREFETCH_AHEAD / 2 < to)
        prefetch_lines (m, &w->receipts[k + PREFETCH_AHEAD / 2]);
      credit_receipt (m, w->receipts[k].receipt);
      sum_amount (m, &m->in_period_d, mc->amount_in_period);
    }
}

/* The weights of each rep's plan version as decimals. */
static void
month_weights (Month *m, guint n_reps)
{
  m->weights = g_new0 (PlanWeights, n_reps + 1);
  m->rep_weights = g_new0 (const PlanWeights *, n_reps + 1);
  guint n = 0;
  const guint hm_bit = 1u << QT_MULT_HIGH_MARGIN;
  for (guint r = 0; r < n_reps; r++)
    {
      const QtPlanVersion *v = m->rep_plan[r];
      if (v == NULL)
        continue;
      guint i = 0;
      while (i < n && m->weights[i].plan != v)
        i++;
      PlanWeights *pw = &m->weights[i];
      if (i == n) /* first seen */
        {
          n++;
          pw->plan = v;
          pw->ok = TRUE;
          for (guint k = 0; k < G_N_ELEMENTS (pw->w); k++)
            pw->ok = pw->ok && qt_dec_of_mpq (v->weight_by_mask[k], &pw->w[k]);
          for (guint k = 0; k < G_N_ELEMENTS (pw->w) && pw->ok; k++)
            pw->ok = (k & hm_bit) != 0 || qt_dec_sub (pw->w[k | hm_bit], pw->w[k], &pw->dw[k]);
        }
      m->rep_weights[r] = pw->ok ? pw : NULL;
    }
}

QtMonthCredit *
qt_month_work_run (QtMonthWork *w)
{
  const QtDataset *ds = w->ix->ds;
  QtMonthCredit *mc = month_credit_new (w);
  g_autofree const QtPlanVersion **rep_plan = g_new0 (const QtPlanVersion *, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    rep_plan[i] = qt_credit_rep_plan (w->ix, w->plans, i, w->period);
  Month m = { .ix = w->ix, .ds = ds, .rep_plan = rep_plan, .mc = mc };
  mpq_inits (m.t1, m.t2, m.t3, m.amount, m.hm_a, m.hm_b, m.share, m.part, m.f, m.s_hm, m.wsum,
             m.spill, m.s_amount, m.s_weighted, NULL);
  m.nets = g_array_new (FALSE, FALSE, sizeof (__mpq_struct));
  month_weights (&m, ds->n_reps);
  m.credit_d = g_new0 (QtDec, ds->n_reps + 1);
  m.weighted_d = g_new0 (QtDec, ds->n_reps + 1);
  for (;;)
    {
      gint c = g_atomic_int_add (&w->next_chunk, 1);
      guint from = (guint) c * WORK_CHUNK;
      if (c < 0 || from >= w->n)
        break;
      credit_range (&m, w, from, MIN (w->n, from + WORK_CHUNK));
    }
  for (guint i = 0; i < ds->n_reps; i++)
    {
      fold_dec (&m, &m.credit_d[i], mc->credit[i]);
      fold_dec (&m, &m.weighted_d[i], mc->weighted[i]);
    }
  fold_dec (&m, &m.in_period_d, mc->amount_in_period);
  fold_dec (&m, &m.credited_d, mc->amount_credited);
  fold_dec (&m, &m.excepted_d, mc->amount_excepted);
  mpq_clears (m.t1, m.t2, m.t3, m.amount, m.hm_a, m.hm_b, m.share, m.part, m.f, m.s_hm, m.wsum,
              m.spill, m.s_amount, m.s_weighted, NULL);
  for (guint i = 0; i < m.nets->len; i++)
    mpq_clear (net_of (&m, i));
  g_array_unref (m.nets);
  g_free (m.credit_d);
  g_free (m.weighted_d);
  g_free (m.nets_d);
  g_free (m.weights);
  g_free (m.rep_weights);
  return mc;
}

void
qt_month_credit_merge (QtMonthCredit *into, QtMonthCredit *from)
{
  g_return_if_fail (into->n_reps == from->n_reps && into->period == from->period);
  for (guint i = 0; i < into->n_reps; i++)
    {
      mpq_add (into->credit[i], into->credit[i], from->credit[i]);
      mpq_add (into->weighted[i], into->weighted[i], from->weighted[i]);
      into->n_slices[i] += from->n_slices[i];
    }
  into->receipts_in_period += from->receipts_in_period;
  into->receipts_credited += from->receipts_credited;
  into->receipts_excepted += from->receipts_excepted;
  mpq_add (into->amount_in_period, into->amount_in_period, from->amount_in_period);
  mpq_add (into->amount_credited, into->amount_credited, from->amount_credited);
  mpq_add (into->amount_excepted, into->amount_excepted, from->amount_excepted);
  /* The values move: `from` gives up its slices and messages. */
  if (into->slices != NULL && from->slices != NULL)
    {
      g_array_append_vals (into->slices, from->slices->data, from->slices->len);
      g_array_set_clear_func (from->slices, NULL);
    }
  if (into->exceptions != NULL && from->exceptions != NULL)
    {
      g_array_append_vals (into->exceptions, from->exceptions->data, from->exceptions->len);
      g_array_set_clear_func (from->exceptions, NULL);
    }
  qt_month_credit_free (from);
}

QtMonthCredit *
qt_credit_month (const QtIndex *ix, const QtPlanSet *plans, QtPeriod period, gboolean detailed)
{
  QtMonthWork *w = qt_month_work_new (ix, plans, period, detailed);
  if (w == NULL)
    return NULL;
  QtMonthCredit *mc = qt_month_work_run (w);
  qt_month_work_free (w);
  return mc;
}

void
qt_month_credit_free (QtMonthCredit *mc)
{
  if (mc == NULL)
    return;
  for (guint i = 0; i < mc->n_reps; i++)
    mpq_clears (mc->credit[i], mc->weighted[i], NULL);
  mpq_clears (mc->amount_in_period, mc->amount_credited, mc->amount_excepted, NULL);
  g_free (mc->credit);
  g_free (mc->weighted);
  g_free (mc->n_slices);
  if (mc->slices)
    g_array_unref (mc->slices);
  if (mc->exceptions)
    g_array_unref (mc->exceptions);
  g_free (mc);
}
