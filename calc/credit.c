/* calc/credit.c — SPEC §4.1–4.4 and §12.3–12.5: receipts → credited slices. */
#include "credit.h"

#include <stdlib.h>
#include <string.h>

#include "../model/money.h"
#include "exception.h"

/* A plan version's values that every slice uses, as QtRat: the weight of
 * every multiplier mask and the high_margin threshold. */
typedef struct {
  const QtPlanVersion *plan;
  QtRat w[1 << QT_MULT_COUNT];
  QtRat min_margin_rate;
} PlanWeights;

/* Per-month context: the plan version of each rep for the month, its
 * sums, and values reused for every receipt (no allocation per slice). */
typedef struct {
  const QtIndex *ix;
  const QtDataset *ds;
  const QtPlanVersion **rep_plan;
  const PlanWeights **rep_weights; /* per rep: its plan's values, NULL without a plan */
  PlanWeights *weights;            /* one per plan version in force */
  guint n_weights;
  QtMonthCredit *mc;
  QtSum *credit, *weighted;        /* C_r, W_r per rep */
  QtSum in_period, credited, excepted;
  /* The current receipt: its amount a, its order's net N and line nets. */
  QtRat amount, net;
  QtRat *nets;
  gboolean *high_margin;  /* per line of the current order, for the current rep's plan */
  guint nets_cap;
  QtRat one, share, part, s_hm, t1, t2, price, cost; /* scratch */
} Month;

void
qt_slice_clear (gpointer p)
{
  QtSlice *s = p;
  qt_rat_clear (&s->amount);
  qt_rat_clear (&s->weighted);
}

const QtPlanVersion *
qt_credit_rep_plan (const QtIndex *ix, const QtPlanSet *plans, guint rep, QtPeriod period)
{
  return qt_plan_set_in_force (plans, ix->ds->reps[rep].plan_id, qt_period_first_day (period));
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Appends the reps an order's receipt would have been credited to (its
 * split's reps, else its owner, as the data names them), sorted so that
 * the row order of splits.csv does not show. */
static void
append_receipt_reps (GString *s, const Month *m, gint o)
{
  const QtIndex *ix = m->ix;
  guint first = ix->split_start[o], end = ix->split_start[o + 1];
  guint n = first < end ? end - first : 1;
  g_autofree const char **reps = g_new (const char *, n);
  for (guint k = 0; k < n; k++)
    reps[k] = first < end ? m->ds->splits[ix->order_splits[first + k]].rep_id : m->ds->orders[o].rep_id;
  qsort (reps, n, sizeof *reps, str_cmp);
  g_string_append (s, n == 1 ? " to rep " : " to reps ");
  for (guint k = 0; k < n; k++)
    g_string_append_printf (s, "%s'%s'", k == 0 ? "" : ", ", reps[k]);
}

/* An excepted receipt's row: the reason, then what it holds back (the
 * receipt, its amount and the reps it would have paid), so that finance
 * can act on exceptions.csv alone. */
static void
add_exception (Month *m, const QtReceipt *r, gint o, const char *code, char *reason)
{
  if (m->mc->exceptions == NULL)
    {
      g_free (reason);
      return;
    }
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "; receipt '%s' of ", r->receipt_id);
  g_auto (mpq_t) amount;
  mpq_init (amount);
  qt_num_get (m->ds->nums, r->amount, amount);
  if (qt_mpq_has_decimals (amount, 2))
    qt_append_fixed (s, amount, 2, QT_ROUND_HALF_EVEN);
  else
    qt_append_exact (s, amount);
  g_string_append (s, " is not credited");
  if (o >= 0)
    append_receipt_reps (s, m, o);
  qt_exceptions_add_detailed (m->mc->exceptions, m->ds->source[QT_TABLE_RECEIPTS], r->line, code,
                              reason, g_string_free (s, FALSE));
}

/* The exact form of x, for a message. (transfer full) */
static char *
rat_text (const QtRat *x)
{
  GString *s = g_string_new (NULL);
  qt_append_exact_rat (s, x);
  return g_string_free (s, FALSE);
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
  QtRat *sum = &m->t1;
  qt_rat_set_si (sum, 0);
  for (guint k = ix->split_start[o]; k < ix->split_start[o + 1]; k++)
    {
      const QtSplit *s = &ds->splits[ix->order_splits[k]];
      if (qt_index_rep (ix, s->rep_id) < 0)
        {
          *message = g_strdup_printf ("split of order '%s' names unknown rep '%s'",
                                      ord->order_id, s->rep_id);
          return "UNKNOWN_REP";
        }
      qt_rat_set_num (&m->t2, ds->nums, s->share);
      qt_rat_add (sum, sum, &m->t2);
    }
  if (ix->split_start[o] < ix->split_start[o + 1] && qt_rat_cmp (sum, &m->one) != 0)
    {
      g_autofree char *txt = rat_text (sum);
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

void
qt_credit_line_net (const QtDataset *ds, const QtOrderLine *ln, QtRat *out)
{
  g_auto (QtRat) price = { 0 };
  qt_rat_set_num (out, ds->nums, ln->quantity);
  qt_rat_set_num (&price, ds->nums, ln->unit_price);
  qt_rat_mul (out, out, &price);
}

gboolean
qt_credit_margin_rate (const QtDataset *ds, const QtOrderLine *ln, QtRat *out)
{
  g_auto (QtRat) price = { 0 };
  qt_rat_set_num (&price, ds->nums, ln->unit_price);
  if (qt_rat_sgn (&price) == 0)
    return FALSE;
  qt_rat_set_num (out, ds->nums, ln->unit_cost);
  qt_rat_sub (out, &price, out);
  qt_rat_div (out, out, &price);
  return TRUE;
}

gint
qt_credit_timing_receipt (const QtDataset *ds, const gint *first_positive, guint receipt)
{
  const QtReceipt *r = &ds->receipts[receipt];
  if (qt_num_sgn (ds->nums, r->amount) >= 0) /* a zero amount times itself too */
    return (gint) receipt;
  return first_positive[r->order_row];
}

/* Order net N = Σ line nets (SPEC §4.2);
 * keeps each line net in m->nets for the allocation. */
static void
order_net (Month *m, gint o)
{
  guint first = m->ix->line_start[o], n = m->ix->line_start[o + 1] - first;
  if (n > m->nets_cap)
    {
      guint cap = MAX (n, 2 * m->nets_cap);
      m->nets = g_renew (QtRat, m->nets, cap);
      memset (m->nets + m->nets_cap, 0, (cap - m->nets_cap) * sizeof (QtRat));
      m->high_margin = g_renew (gboolean, m->high_margin, cap);
      m->nets_cap = cap;
    }
  qt_rat_set_si (&m->net, 0);
  for (guint k = 0; k < n; k++)
    {
      qt_credit_line_net (m->ds, &m->ds->lines[m->ix->order_lines[first + k]], &m->nets[k]);
      qt_rat_add (&m->net, &m->net, &m->nets[k]);
    }
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

/* SPEC §4.3, §12.5.2: (price − cost) / price ≥ min rate with price > 0,
 * i.e. price − cost ≥ min rate × price (quantity plays no part). */
static gboolean
is_high_margin (Month *m, const QtOrderLine *l, const QtRat *min_rate)
{
  qt_rat_set_num (&m->price, m->ds->nums, l->unit_price);
  if (qt_rat_sgn (&m->price) <= 0)
    return FALSE;
  qt_rat_set_num (&m->cost, m->ds->nums, l->unit_cost);
  qt_rat_sub (&m->cost, &m->price, &m->cost);
  qt_rat_mul (&m->price, min_rate, &m->price);
  return qt_rat_cmp (&m->cost, &m->price) >= 0;
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
 * §12.3): slice_k = a × share × line_net_k / N for every line k, weighted
 * by the rep's multipliers.  The rep's sums need no slice: Σ_k slice_k =
 * a × share (the line nets sum to N), and the weighted sum only tells the
 * high-margin lines' nets from the others'.  Each sum is exact, so this
 * is the same number as adding the slices one by one, for a fraction of
 * the work; the slices themselves are made only for the detail list. */
typedef struct {
  guint receipt, order;
  QtDay collected_on;
  ReceiptMasks cache;
} Allocation;

/* Whether a line has a high margin under v (SPEC §12.5.2). */
static gboolean
line_high_margin (Month *m, const QtPlanVersion *v, const PlanWeights *pw, guint line)
{
  return v->mult[QT_MULT_HIGH_MARGIN].present
         && is_high_margin (m, &m->ds->lines[line], &pw->min_margin_rate);
}

/* Appends the rep's slice of every line to the detail list; m->part holds
 * a × share, m->high_margin the lines' high_margin test (weighted_part). */
static void
detail_slices (Month *m, const Allocation *al, guint rep, const QtPlanVersion *v, guint mask,
               QtNum share)
{
  const QtIndex *ix = m->ix;
  const PlanWeights *pw = m->rep_weights[rep];
  guint first = ix->line_start[al->order];
  for (guint k = first; k < ix->line_start[al->order + 1]; k++)
    {
      guint li = ix->order_lines[k];
      QtSlice s = { .receipt = al->receipt, .line = li, .rep = rep, .plan = v, .share = share };
      s.mult_mask = mask | (m->high_margin[k - first] ? 1u << QT_MULT_HIGH_MARGIN : 0);
      s.weight = v->weight_by_mask[s.mult_mask];
      qt_rat_mul (&m->t1, &m->nets[k - first], &m->part); /* a × share × line_net */
      qt_rat_div (&s.amount, &m->t1, &m->net);
      if (s.mult_mask == 0) /* weight 1 */
        qt_rat_set (&s.weighted, &s.amount);
      else
        {
          qt_rat_mul (&m->t1, &m->t1, &pw->w[s.mult_mask]);
          qt_rat_div (&s.weighted, &m->t1, &m->net);
        }
      g_array_append_val (m->mc->slices, s);
    }
}

/* The weighted credit of m->part = a × share under the rep's multipliers
 * into m->t2: part × (w × (N − S_hm) + w_hm × S_hm) / N, S_hm being the
 * high-margin lines' nets; notes in m->high_margin which lines are (the
 * rep's slices, made next, read it). */
static void
weighted_part (Month *m, const Allocation *al, const QtPlanVersion *v, const PlanWeights *pw,
               guint mask)
{
  const QtIndex *ix = m->ix;
  const guint hm_bit = 1u << QT_MULT_HIGH_MARGIN;
  guint first = ix->line_start[al->order], n_lines = ix->line_start[al->order + 1] - first;
  gboolean any_hm = FALSE;
  qt_rat_set_si (&m->s_hm, 0);
  for (guint k = 0; k < n_lines; k++)
    if ((m->high_margin[k] = line_high_margin (m, v, pw, ix->order_lines[first + k])))
      {
        qt_rat_add (&m->s_hm, &m->s_hm, &m->nets[k]);
        any_hm = TRUE;
      }
  if (!any_hm || qt_rat_cmp (&m->s_hm, &m->net) == 0)
    {
      qt_rat_mul (&m->t2, &m->part, &pw->w[any_hm ? mask | hm_bit : mask]);
      return;
    }
  qt_rat_sub (&m->t1, &m->net, &m->s_hm);
  qt_rat_mul (&m->t1, &m->t1, &pw->w[mask]);
  qt_rat_mul (&m->t2, &m->s_hm, &pw->w[mask | hm_bit]);
  qt_rat_add (&m->t1, &m->t1, &m->t2);
  qt_rat_mul (&m->t1, &m->t1, &m->part);
  qt_rat_div (&m->t2, &m->t1, &m->net);
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
  qt_rat_set_num (&m->share, m->ds->nums, share);
  qt_rat_mul (&m->part, &m->amount, &m->share);
  qt_sum_add (&m->credit[rep], &m->part);
  weighted_part (m, al, v, m->rep_weights[rep], mask);
  qt_sum_add (&m->weighted[rep], &m->t2);
  mc->n_slices[rep] += ix->line_start[al->order + 1] - ix->line_start[al->order];
  if (mc->slices != NULL)
    detail_slices (m, al, rep, v, mask, share);
}

/* SPEC §4.2: the receipt's amount a to every line and rep of order o. */
static void
allocate (Month *m, guint r_idx, guint o, QtDay collected_on)
{
  const QtIndex *ix = m->ix;
  const QtDataset *ds = m->ds;
  Allocation al = { .receipt = r_idx, .order = o, .collected_on = collected_on,
                    .cache = { .n = 0 } };
  if (ix->split_start[o] == ix->split_start[o + 1]) /* unsplit: the owner, share 1 */
    {
      const QtNum one = { .units = 1, .scale = 0, .big = 0 };
      credit_rep (m, &al, (guint) qt_index_rep (ix, ds->orders[o].rep_id), one);
      return;
    }
  for (guint p = ix->split_start[o]; p < ix->split_start[o + 1]; p++)
    {
      const QtSplit *sp = &ds->splits[ix->order_splits[p]];
      credit_rep (m, &al, (guint) qt_index_rep (ix, sp->rep_id), sp->share);
    }
}

/* SPEC §12.4 NET_NOT_POSITIVE and REFUND_WITHOUT_PAYMENT for a receipt
 * that passed classify; also sets the day that times fast_collection. */
static const char *
check_amounts (Month *m, guint receipt, gint o, QtDay *collected_on, char **message)
{
  const QtReceipt *r = &m->ds->receipts[receipt];
  order_net (m, o);
  if (m->ix->line_start[o] == m->ix->line_start[o + 1])
    {
      *message = g_strdup_printf ("order '%s' has no lines", r->order_id);
      return "NET_NOT_POSITIVE";
    }
  if (qt_rat_sgn (&m->net) <= 0)
    {
      g_autofree char *txt = rat_text (&m->net);
      *message = g_strdup_printf ("order '%s' has net %s, not positive", r->order_id, txt);
      return "NET_NOT_POSITIVE";
    }
  const gint timing = qt_credit_timing_receipt (m->ds, m->ix->first_positive, receipt);
  if (timing < 0)
    {
      *message = g_strdup_printf ("refund on order '%s' without a positive receipt", r->order_id);
      return "REFUND_WITHOUT_PAYMENT";
    }
  *collected_on = m->ds->receipts[timing].received_on;
  return NULL;
}

/* One receipt of the month: credited whole or excepted whole (SPEC §12.4). */
static void
credit_receipt (Month *m, guint r_idx)
{
  const QtReceipt *r = &m->ds->receipts[r_idx];
  QtMonthCredit *mc = m->mc;
  gint o = r->order_row;
  qt_rat_set_num (&m->amount, m->ds->nums, r->amount);
  qt_sum_add (&m->in_period, &m->amount);
  mc->receipts_in_period++;
  char *message = NULL;
  QtDay collected_on = r->received_on;
  const char *code = classify (m, r, o, &message);
  if (code == NULL)
    code = check_amounts (m, r_idx, o, &collected_on, &message);
  if (code != NULL)
    {
      mc->receipts_excepted++;
      qt_sum_add (&m->excepted, &m->amount);
      add_exception (m, r, o, code, message);
      return;
    }
  mc->receipts_credited++;
  qt_sum_add (&m->credited, &m->amount);
  allocate (m, r_idx, (guint) o, collected_on);
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

/* Receipts per share of a month's work: small enough to balance two
 * threads, large enough to keep each share's rows together. */
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
      mc->exceptions = qt_exceptions_new ();
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
  for (guint k = from; k < to; k++)
    credit_receipt (m, w->receipts[k].receipt);
}

/* The values of each rep's plan version that the slices use. */
static void
month_weights (Month *m, guint n_reps)
{
  m->weights = g_new0 (PlanWeights, n_reps + 1);
  m->rep_weights = g_new0 (const PlanWeights *, n_reps + 1);
  for (guint r = 0; r < n_reps; r++)
    {
      const QtPlanVersion *v = m->rep_plan[r];
      if (v == NULL)
        continue;
      guint i = 0;
      while (i < m->n_weights && m->weights[i].plan != v)
        i++;
      PlanWeights *pw = &m->weights[i];
      if (i == m->n_weights) /* first seen */
        {
          m->n_weights++;
          pw->plan = v;
          for (guint k = 0; k < G_N_ELEMENTS (pw->w); k++)
            qt_rat_set_mpq (&pw->w[k], v->weight_by_mask[k]);
          qt_rat_set_mpq (&pw->min_margin_rate, v->mult[QT_MULT_HIGH_MARGIN].min_margin_rate);
        }
      m->rep_weights[r] = pw;
    }
}

static void
month_init (Month *m, const QtMonthWork *w, const QtPlanVersion **rep_plan, QtMonthCredit *mc)
{
  const guint n_reps = w->ix->ds->n_reps;
  *m = (Month) { .ix = w->ix, .ds = w->ix->ds, .rep_plan = rep_plan, .mc = mc };
  month_weights (m, n_reps);
  m->credit = g_new (QtSum, n_reps + 1);
  m->weighted = g_new (QtSum, n_reps + 1);
  for (guint i = 0; i < n_reps; i++)
    {
      qt_sum_init (&m->credit[i]);
      qt_sum_init (&m->weighted[i]);
    }
  qt_sum_init (&m->in_period);
  qt_sum_init (&m->credited);
  qt_sum_init (&m->excepted);
  qt_rat_set_si (&m->one, 1);
}

/* Moves the month's sums into mc and frees the context. */
static void
month_finish (Month *m)
{
  QtMonthCredit *mc = m->mc;
  for (guint i = 0; i < mc->n_reps; i++)
    {
      qt_sum_get (&m->credit[i], mc->credit[i]);
      qt_sum_get (&m->weighted[i], mc->weighted[i]);
      qt_sum_clear (&m->credit[i]);
      qt_sum_clear (&m->weighted[i]);
    }
  qt_sum_get (&m->in_period, mc->amount_in_period);
  qt_sum_get (&m->credited, mc->amount_credited);
  qt_sum_get (&m->excepted, mc->amount_excepted);
  qt_sum_clear (&m->in_period);
  qt_sum_clear (&m->credited);
  qt_sum_clear (&m->excepted);
  for (guint i = 0; i < m->n_weights; i++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (m->weights[i].w); k++)
        qt_rat_clear (&m->weights[i].w[k]);
      qt_rat_clear (&m->weights[i].min_margin_rate);
    }
  for (guint i = 0; i < m->nets_cap; i++)
    qt_rat_clear (&m->nets[i]);
  QtRat *scratch[] = { &m->amount, &m->net, &m->one, &m->share, &m->part, &m->s_hm,
                       &m->t1, &m->t2, &m->price, &m->cost };
  for (guint i = 0; i < G_N_ELEMENTS (scratch); i++)
    qt_rat_clear (scratch[i]);
  g_free (m->nets);
  g_free (m->high_margin);
  g_free (m->credit);
  g_free (m->weighted);
  g_free (m->weights);
  g_free (m->rep_weights);
}

QtMonthCredit *
qt_month_work_run (QtMonthWork *w)
{
  const QtDataset *ds = w->ix->ds;
  QtMonthCredit *mc = month_credit_new (w);
  g_autofree const QtPlanVersion **rep_plan = g_new0 (const QtPlanVersion *, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    rep_plan[i] = qt_credit_rep_plan (w->ix, w->plans, i, w->period);
  Month m;
  month_init (&m, w, rep_plan, mc);
  for (;;)
    {
      gint c = g_atomic_int_add (&w->next_chunk, 1);
      guint from = (guint) c * WORK_CHUNK;
      if (c < 0 || from >= w->n)
        break;
      credit_range (&m, w, from, MIN (w->n, from + WORK_CHUNK));
    }
  month_finish (&m);
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
