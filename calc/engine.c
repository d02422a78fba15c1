/* calc/engine.c — SPEC §4: orchestrates one period: credit, commission,
 * override, sprint, score, bonuses, adjustments, rounding, exceptions. */
#include "engine.h"

#include <string.h>

#include "../model/qt_error.h"
#include "../model/money.h"
#include "commission.h"
#include "credit.h"
#include "exception.h"
#include "index.h"
#include "score.h"

typedef struct {
  const QtDataset *ds;
  const QtPlanSet *plans;
  const QtIndex *ix;
  QtRunResult *res;
} Engine;

/* SPEC §12.2.3: every rep's plan exists and has a version in force. */
static gboolean
check_plans (const QtDataset *ds, const QtPlanSet *plans, QtPeriod period, GError **error)
{
  char buf[11];
  for (guint i = 0; i < ds->n_reps; i++)
    {
      const QtRep *r = &ds->reps[i];
      if (!qt_plan_set_has_plan (plans, r->plan_id))
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
                       "%s:%u:%u: rep '%s' has plan '%s', which is not in the plans directory",
                       ds->source[QT_TABLE_REPS], r->line, ds->reps_plan_column, r->rep_id,
                       r->plan_id);
          return FALSE;
        }
      if (qt_plan_set_in_force (plans, r->plan_id, qt_period_first_day (period)) == NULL)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
                       "%s:%u:%u: rep '%s' has plan '%s', which has no version in force on %s",
                       ds->source[QT_TABLE_REPS], r->line, ds->reps_plan_column, r->rep_id,
                       r->plan_id,
                       qt_date_format (qt_period_first_day (period), buf));
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_exception (Engine *e, const char *file, guint line, const char *code, char *message)
{
  qt_exceptions_add (e->res->exceptions, file, line, code, message);
}

/* SPEC §12.9: rows naming an unknown customer, product or order (every
 * run) and period rows naming an unknown rep or a bad quota (SPEC §12.6.2). */
static void
row_exceptions (Engine *e)
{
  const QtDataset *ds = e->ds;
  const QtIndex *ix = e->ix;
  QtPeriod p = e->res->period;
  for (guint i = 0; i < ds->n_orders; i++)
    if (qt_id_row (ds->orders[i].customer_id, QT_ID_CUSTOMER) < 0)
      add_exception (e, ds->source[QT_TABLE_ORDERS], ds->orders[i].line, "UNKNOWN_CUSTOMER",
                     g_strdup_printf ("order '%s' names unknown customer '%s'",
                                      ds->orders[i].order_id, ds->orders[i].customer_id));
  for (guint i = 0; i < ds->n_lines; i++)
    {
      const QtOrderLine *l = &ds->lines[i];
      if (l->order_row < 0)
        add_exception (e, ds->source[QT_TABLE_ORDER_LINES], l->line, "UNKNOWN_ORDER",
                       g_strdup_printf ("line '%s' names unknown order '%s'", l->line_no, l->order_id));
      if (qt_id_row (l->product_id, QT_ID_PRODUCT) < 0)
        add_exception (e, ds->source[QT_TABLE_ORDER_LINES], l->line, "UNKNOWN_PRODUCT",
                       g_strdup_printf ("line '%s' of order '%s' names unknown product '%s'",
                                        l->line_no, l->order_id, l->product_id));
    }
  for (guint i = 0; i < ds->n_splits; i++)
    if (ds->splits[i].order_row < 0)
      add_exception (e, ds->source[QT_TABLE_SPLITS], ds->splits[i].line, "UNKNOWN_ORDER",
                     g_strdup_printf ("split names unknown order '%s'", ds->splits[i].order_id));
  for (guint i = 0; i < ds->n_activities; i++)
    if (ds->activities[i].period == p && qt_index_rep (ix, ds->activities[i].rep_id) < 0)
      add_exception (e, ds->source[QT_TABLE_ACTIVITIES], ds->activities[i].line, "UNKNOWN_REP",
                     g_strdup_printf ("activity for unknown rep '%s'", ds->activities[i].rep_id));
  for (guint i = 0; i < ds->n_quotas; i++)
    {
      const QtQuota *q = &ds->quotas[i];
      if (q->period != p)
        continue;
      if (qt_index_rep (ix, q->rep_id) < 0)
        add_exception (e, ds->source[QT_TABLE_QUOTAS], q->line, "UNKNOWN_REP",
                       g_strdup_printf ("quota for unknown rep '%s'", q->rep_id));
      else if (qt_num_sgn (ds->nums, q->quota) <= 0)
        {
          g_auto (mpq_t) v;
          mpq_init (v);
          qt_num_get (ds->nums, q->quota, v);
          g_autofree char *txt = qt_exact_format (v);
          add_exception (e, ds->source[QT_TABLE_QUOTAS], q->line, "BAD_QUOTA",
                         g_strdup_printf ("quota %s of rep '%s' is not positive; the month has no quota",
                                          txt, q->rep_id));
        }
    }
  for (guint i = 0; i < ds->n_adjustments; i++)
    if (ds->adjustments[i].period == p && qt_index_rep (ix, ds->adjustments[i].rep_id) < 0)
      {
        g_auto (mpq_t) v;
        mpq_init (v);
        qt_num_get (ds->nums, ds->adjustments[i].amount, v);
        g_autofree char *amount = qt_exact_format (v);
        add_exception (e, ds->source[QT_TABLE_ADJUSTMENTS], ds->adjustments[i].line, "UNKNOWN_REP",
                       g_strdup_printf ("adjustment '%s' of %s for unknown rep '%s' is not paid",
                                        ds->adjustments[i].adjustment_id, amount,
                                        ds->adjustments[i].rep_id));
      }
}

/* A valid quota is a row of (rep, period) with quota > 0 (SPEC §12.6.2). */
static gboolean
valid_quota (const QtIndex *ix, guint rep, QtPeriod period, mpq_t out)
{
  const QtQuota *q = qt_index_quota (ix, rep, period);
  if (q == NULL || qt_num_sgn (ix->ds->nums, q->quota) <= 0)
    {
      mpq_set_ui (out, 0, 1);
      return FALSE;
    }
  qt_num_get (ix->ds->nums, q->quota, out);
  return TRUE;
}

/* Every mpq_t member of a QtRepResult (but the sprint months'). */
#define REP_VALUES(r)                                                                        \
  (r)->credit, (r)->weighted, (r)->quota, (r)->attainment, (r)->next_tier_needed,          \
    (r)->commission_uncapped, (r)->commission, (r)->override_base, (r)->override_amount,   \
    (r)->sprint_w, (r)->sprint_quota, (r)->sprint_attainment, (r)->quarter_quota,          \
    (r)->process, (r)->result,                                                             \
    (r)->total, (r)->process_score, (r)->result_score, (r)->sprint_bonus, (r)->score_bonus, \
    (r)->adjustments_sum, (r)->total_exact, (r)->r_commission, (r)->r_override,            \
    (r)->r_sprint, (r)->r_score, (r)->r_adjustments, (r)->r_total

static void
rep_result_init (QtRepResult *r)
{
  mpq_inits (REP_VALUES (r), NULL);
  for (int m = 0; m < 3; m++)
    mpq_inits (r->months[m].w, r->months[m].quota, NULL);
}

/* SPEC §4.4: C, W, quota, attainment; NO_QUOTA for credits without quota. */
static void
credit_and_quota (Engine *e, const QtMonthCredit *mc, QtRepResult *r)
{
  mpq_set (r->credit, mc->credit[r->rep]);
  mpq_set (r->weighted, mc->weighted[r->rep]);
  r->n_slices = mc->n_slices[r->rep];
  r->has_quota = valid_quota (e->ix, r->rep, e->res->period, r->quota);
  if (r->has_quota)
    mpq_div (r->attainment, r->weighted, r->quota);
  r->no_quota = r->n_slices > 0 && !r->has_quota;
  if (r->no_quota)
    {
      char buf[8];
      const QtRep *rep = &e->ds->reps[r->rep];
      g_autofree char *credit = qt_fixed_format (r->weighted, 2, QT_ROUND_HALF_EVEN);
      add_exception (e, e->ds->source[QT_TABLE_REPS], rep->line, "NO_QUOTA",
                     g_strdup_printf ("rep '%s' has credits but no quota for %s; "
                                      "no commission is paid on weighted credit %s from %u receipt slice%s",
                                      rep->rep_id, qt_period_format (e->res->period, buf), credit,
                                      r->n_slices, r->n_slices == 1 ? "" : "s"));
    }
}

/* SPEC §4.6, §12.6.4: rate × Σ exact capped commission of direct reports. */
static void
override (Engine *e, QtRepResult *r)
{
  const QtIndex *ix = e->ix;
  r->n_reports = ix->report_start[r->rep + 1] - ix->report_start[r->rep];
  r->reports = g_memdup2 (ix->reports + ix->report_start[r->rep], sizeof (guint) * (r->n_reports + 1));
  for (guint k = 0; k < r->n_reports; k++)
    mpq_add (r->override_base, r->override_base, e->res->reps[r->reports[k]].commission);
  if (r->plan->has_override)
    mpq_mul (r->override_amount, r->override_base, r->plan->override_rate);
}

/* SPEC §4.7, §12.7: the quarter's W and quota, month by month up to P
 * (months[0 .. n_before) the quarter's months before P, months[2] P).
 * Mid-quarter they are the quarter to date, for the statements only: the
 * sprint bonus is decided at the quarter's end. */
static void
sprint_months (Engine *e, QtMonthCredit *const *months, guint n_before, QtRepResult *r)
{
  r->n_months = n_before + 1;
  for (guint m = 0; m < r->n_months; m++)
    {
      const QtMonthCredit *mc = m < n_before ? months[m] : months[2];
      QtSprintMonth *sm = &r->months[m];
      sm->period = mc->period;
      mpq_set (sm->w, mc->weighted[r->rep]);
      sm->has_quota = valid_quota (e->ix, r->rep, sm->period, sm->quota);
      mpq_add (r->sprint_w, r->sprint_w, sm->w);
      mpq_add (r->sprint_quota, r->sprint_quota, sm->quota);
    }
  if (r->quarter_end)
    return;
  /* the whole quarter's quota, when every month of it has one */
  g_auto (mpq_t) q;
  mpq_init (q);
  const QtPeriod first = r->months[0].period;
  r->has_quarter_quota = TRUE;
  for (QtPeriod p = first; p < first + 3 && r->has_quarter_quota; p++)
    {
      r->has_quarter_quota = valid_quota (e->ix, r->rep, p, q);
      mpq_add (r->quarter_quota, r->quarter_quota, q);
    }
}

/* SPEC §4.7, §12.7: the quarter's attainment, when P closes the quarter
 * and its quota is positive. */
static void
sprint_attainment (QtRepResult *r)
{
  r->has_sprint_attainment = r->quarter_end && mpq_sgn (r->sprint_quota) > 0;
  if (r->has_sprint_attainment)
    mpq_div (r->sprint_attainment, r->sprint_w, r->sprint_quota);
}

/* Each bonus computed and rounded on its own (SPEC §12.2.5); the exact
 * and rounded sums of each kind. */
static void
bonuses (QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  r->n_bonuses = v->n_bonuses;
  r->bonuses = g_new0 (QtBonusLine, v->n_bonuses + 1);
  g_auto (mpq_t) ratio;
  mpq_init (ratio);
  sprint_attainment (r);
  for (guint i = 0; i < v->n_bonuses; i++)
    {
      QtBonusLine *b = &r->bonuses[i];
      b->bonus = &v->bonuses[i];
      mpq_inits (b->exact, b->rounded, NULL);
      if (b->bonus->kind == QT_BONUS_QUARTERLY_SPRINT)
        {
          b->paid = r->has_sprint_attainment
                    && mpq_cmp (r->sprint_attainment, b->bonus->min_attainment) >= 0;
          if (b->paid)
            mpq_set (b->exact, b->bonus->amount);
        }
      else
        {
          /* Without min_score the threshold is 0: a bonus never deducts pay. */
          b->paid = v->has_score
                    && (b->bonus->has_min_score ? mpq_cmp (r->total, b->bonus->min_score) >= 0
                                                : mpq_sgn (r->total) >= 0);
          if (b->paid)
            {
              mpq_mul (b->exact, b->bonus->target_amount, r->total);
              mpq_set_ui (ratio, 100, 1);
              mpq_div (b->exact, b->exact, ratio);
            }
        }
      qt_round (b->rounded, b->exact, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      const gboolean sprint = b->bonus->kind == QT_BONUS_QUARTERLY_SPRINT;
      mpq_ptr exact = sprint ? r->sprint_bonus : r->score_bonus;
      mpq_ptr column = sprint ? r->r_sprint : r->r_score;
      mpq_add (exact, exact, b->exact);
      mpq_add (column, column, b->rounded);
    }
}

/* SPEC §4.9, §12.10: adjustments of P, each rounded on its own; their
 * exact and rounded sums. */
static void
adjustments (Engine *e, QtRepResult *r, GArray *rows)
{
  r->n_adjustments = rows->len;
  /* Copy exactly len rows: the GArray holds no element past len. */
  r->adjustments = g_new0 (guint, rows->len + 1);
  if (rows->len > 0)
    memcpy (r->adjustments, rows->data, sizeof (guint) * rows->len);
  r->adjustments_rounded = g_new (mpq_t, rows->len + 1);
  for (guint k = 0; k < rows->len; k++)
    {
      mpq_init (r->adjustments_rounded[k]);
      qt_num_get (e->ds->nums, e->ds->adjustments[r->adjustments[k]].amount,
                  r->adjustments_rounded[k]);
      mpq_add (r->adjustments_sum, r->adjustments_sum, r->adjustments_rounded[k]);
      qt_round (r->adjustments_rounded[k], r->adjustments_rounded[k], QT_MONEY_DECIMALS,
                QT_ROUND_HALF_EVEN);
      mpq_add (r->r_adjustments, r->r_adjustments, r->adjustments_rounded[k]);
    }
}

/* SPEC §6: components rounded half-even, total = their sum; the exact
 * total is the sum of the exact components. */
static void
round_components (QtRunResult *res, QtRepResult *r)
{
  mpq_add (r->total_exact, r->commission, r->override_amount);
  mpq_add (r->total_exact, r->total_exact, r->sprint_bonus);
  mpq_add (r->total_exact, r->total_exact, r->score_bonus);
  mpq_add (r->total_exact, r->total_exact, r->adjustments_sum);
  qt_round (r->r_commission, r->commission, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  qt_round (r->r_override, r->override_amount, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  mpq_add (r->r_total, r->r_commission, r->r_override);
  mpq_add (r->r_total, r->r_total, r->r_sprint);
  mpq_add (r->r_total, r->r_total, r->r_score);
  mpq_add (r->r_total, r->r_total, r->r_adjustments);
  mpq_add (res->sum_totals, res->sum_totals, r->r_total);
  mpq_ptr parts[] = { r->r_commission, r->r_override, r->r_sprint, r->r_score, r->r_adjustments };
  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    mpq_add (res->sum_components, res->sum_components, parts[k]);
}

static gint
rank_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtRunResult *res = data;
  const QtRepResult *x = &res->reps[*(const guint *) a], *y = &res->reps[*(const guint *) b];
  const QtRep *rx = &res->ds->reps[x->rep], *ry = &res->ds->reps[y->rep];
  int c = strcmp (rx->team_id, ry->team_id);
  if (c != 0)
    return c;
  c = mpq_cmp (y->total, x->total); /* exact total, descending */
  if (c != 0)
    return c;
  return strcmp (rx->rep_id, ry->rep_id);
}

/* Whether data set reps a and b are in one team. */
static gboolean
same_team (const QtRunResult *res, guint a, guint b)
{
  return strcmp (res->ds->reps[a].team_id, res->ds->reps[b].team_id) == 0;
}

/* The team_size of the n reps of one team. */
static void
set_team_size (QtRunResult *res, const guint *team, guint n)
{
  for (guint k = 0; k < n; k++)
    res->reps[team[k]].team_size = n;
}

/* SPEC §4.8: team rank by exact total descending, ties by rep_id; and
 * each team's size. */
static void
rank_teams (QtRunResult *res)
{
  g_autofree guint *order = g_new (guint, res->n_reps + 1);
  for (guint i = 0; i < res->n_reps; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) res->n_reps, sizeof (guint), rank_cmp, res);
  guint first = 0; /* where the current team starts in `order` */
  for (guint i = 0; i < res->n_reps; i++)
    {
      if (i > 0 && !same_team (res, order[i - 1], order[i]))
        {
          set_team_size (res, order + first, i - first);
          first = i;
        }
      res->reps[order[i]].team_rank = i - first + 1;
    }
  set_team_size (res, order + first, res->n_reps - first);
}

/* Two slices of one receipt: by line_no, then rep_id (bytewise). */
static gint
slice_in_receipt_cmp (const QtDataset *ds, const QtSlice *x, const QtSlice *y)
{
  int c = strcmp (ds->lines[x->line].line_no, ds->lines[y->line].line_no);
  return c != 0 ? c : strcmp (ds->reps[x->rep].rep_id, ds->reps[y->rep].rep_id);
}

static gint
slice_cmp (gconstpointer a, gconstpointer b, gpointer ds)
{
  return slice_in_receipt_cmp (ds, a, b);
}

/* Up to this many slices a receipt's are put in order by insertion; more
 * (an order of many lines) by a merge sort, so nothing grows quadratically.
 * (line_no, rep_id) is unique within a receipt: either gives one order. */
#define SHORT_RUN 16

/* The slices of one receipt: a run of the month's list. */
typedef struct {
  const char *receipt_id;
  guint receipt;      /* its row */
  guint start, len;
} SliceRun;

static gint
run_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (((const SliceRun *) a)->receipt_id, ((const SliceRun *) b)->receipt_id);
}

/* Sorts the runs by receipt_id.  Receipts are most often listed in id
 * order, so the runs are first put in file order (a linear pass) and
 * checked; only when that is not id order are the ids compared to sort. */
static void
order_runs (const QtDataset *ds, GArray *runs)
{
  if (runs->len == 0)
    return;
  g_autofree guint *run_of = g_new (guint, ds->n_receipts + 1);
  memset (run_of, 0xff, sizeof (guint) * (ds->n_receipts + 1));
  for (guint r = 0; r < runs->len; r++)
    run_of[g_array_index (runs, SliceRun, r).receipt] = r;
  g_autoptr (GArray) by_row = g_array_sized_new (FALSE, FALSE, sizeof (SliceRun), runs->len);
  gboolean sorted = TRUE;
  for (guint i = 0; i < ds->n_receipts; i++)
    if (run_of[i] != G_MAXUINT)
      {
        const SliceRun *run = &g_array_index (runs, SliceRun, run_of[i]);
        if (by_row->len > 0 && sorted)
          sorted = strcmp (g_array_index (by_row, SliceRun, by_row->len - 1).receipt_id,
                           run->receipt_id) < 0;
        g_array_append_val (by_row, *run);
      }
  memcpy (runs->data, by_row->data, sizeof (SliceRun) * runs->len);
  if (!sorted)
    g_array_sort (runs, run_cmp);
}

/* Puts the slices in credits.csv order (SPEC §5): by receipt_id, line_no,
 * rep_id.  A month's slices come a receipt at a time (each receipt is
 * credited whole by one thread, and the threads' lists are appended whole:
 * qt_month_credit_merge), so only the receipts (ids are unique) are
 * sorted, then each receipt's few slices. */
static GArray *
sort_slices (const QtDataset *ds, GArray *in)
{
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (SliceRun));
  const QtSlice *sl = (const QtSlice *) (const void *) in->data;
  for (guint i = 0; i < in->len; i++)
    if (i == 0 || sl[i].receipt != sl[i - 1].receipt)
      {
        SliceRun run = { ds->receipts[sl[i].receipt].receipt_id, sl[i].receipt, i, 0 };
        g_array_append_val (runs, run);
      }
  for (guint r = 0; r < runs->len; r++)
    {
      SliceRun *run = &g_array_index (runs, SliceRun, r);
      run->len = (r + 1 < runs->len ? g_array_index (runs, SliceRun, r + 1).start : in->len) - run->start;
    }
  order_runs (ds, runs);
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (QtSlice), in->len);
  g_array_set_clear_func (out, qt_slice_clear);
  for (guint r = 0; r < runs->len; r++)
    {
      const SliceRun *run = &g_array_index (runs, SliceRun, r);
      guint first = out->len;
      g_array_append_vals (out, sl + run->start, run->len);
      QtSlice *o = &g_array_index (out, QtSlice, first);
      if (run->len > SHORT_RUN) /* an order with many lines */
        {
          g_qsort_with_data (o, (gint) run->len, sizeof (QtSlice), slice_cmp, (gpointer) ds);
          continue;
        }
      /* Insertion sort: a receipt has a handful of slices. */
      for (guint i = 1; i < run->len; i++)
        for (guint j = i; j > 0 && slice_in_receipt_cmp (ds, &o[j - 1], &o[j]) > 0; j--)
          {
            QtSlice t = o[j];
            o[j] = o[j - 1];
            o[j - 1] = t;
          }
    }
  g_array_set_clear_func (in, NULL); /* the values now belong to `out` */
  g_array_unref (in);
  return out;
}

/* The plan versions any rep used for P or for a month of P's sprint. */
static void
collect_plans (Engine *e, QtMonthCredit *const *months, guint n_months)
{
  GPtrArray *used = e->res->plans_used;
  for (guint m = 0; m < n_months; m++)
    for (guint i = 0; i < e->ds->n_reps; i++)
      {
        const QtPlanVersion *v = qt_credit_rep_plan (e->ix, e->plans, i, months[m]->period);
        if (v != NULL && !g_ptr_array_find (used, v, NULL))
          g_ptr_array_add (used, (gpointer) v);
      }
  g_ptr_array_sort (used, qt_plan_version_cmp);
}

/* Rows of `period` per rep: activities (const QtActivity*) and adjustments (guint). */
static void
group_period_rows (Engine *e, GPtrArray **acts, GArray **adjs)
{
  const QtDataset *ds = e->ds;
  for (guint i = 0; i < ds->n_reps; i++)
    {
      acts[i] = g_ptr_array_new ();
      adjs[i] = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  for (guint i = 0; i < ds->n_activities; i++)
    {
      gint rep = qt_index_rep (e->ix, ds->activities[i].rep_id);
      if (rep >= 0 && ds->activities[i].period == e->res->period)
        g_ptr_array_add (acts[rep], &ds->activities[i]);
    }
  for (guint i = 0; i < ds->n_adjustments; i++)
    {
      gint rep = qt_index_rep (e->ix, ds->adjustments[i].rep_id);
      if (rep >= 0 && ds->adjustments[i].period == e->res->period)
        g_array_append_val (adjs[rep], i);
    }
}

static QtRunResult *
result_new (const QtDataset *ds, const QtPlanSet *plans, QtPeriod period)
{
  QtRunResult *res = g_new0 (QtRunResult, 1);
  res->period = period;
  res->ds = ds;
  res->plans = plans;
  res->n_reps = ds->n_reps;
  res->reps = g_new0 (QtRepResult, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    {
      res->reps[i].rep = i;
      rep_result_init (&res->reps[i]);
    }
  res->exceptions = qt_exceptions_new ();
  res->plans_used = g_ptr_array_new ();
  mpq_inits (res->amount_in_period, res->amount_credited, res->amount_excepted,
             res->sum_components, res->sum_totals, NULL);
  return res;
}

/* Sorting P's slices into credits.csv order, on a thread of its own while
 * the per-rep figures are computed (they read only the month's sums). */
typedef struct {
  const QtDataset *ds;
  GArray *slices;   /* in: the month's; out: sorted */
} SliceSort;

static gpointer
sort_job (gpointer data)
{
  SliceSort *job = data;
  job->slices = sort_slices (job->ds, job->slices);
  return NULL;
}

/* Moves the month's counts, sums and receipt exceptions into the result. */
static void
take_credit (QtRunResult *res, QtMonthCredit *mc)
{
  g_array_append_vals (res->exceptions, mc->exceptions->data, mc->exceptions->len);
  g_array_set_clear_func (mc->exceptions, NULL); /* messages now owned by res */
  res->receipts_in_period = mc->receipts_in_period;
  res->receipts_credited = mc->receipts_credited;
  res->receipts_excepted = mc->receipts_excepted;
  mpq_set (res->amount_in_period, mc->amount_in_period);
  mpq_set (res->amount_credited, mc->amount_credited);
  mpq_set (res->amount_excepted, mc->amount_excepted);
}

static void
per_rep (Engine *e, QtMonthCredit *const *months, guint n_before, gboolean quarter_end)
{
  QtRunResult *res = e->res;
  g_autofree GPtrArray **acts = g_new0 (GPtrArray *, res->n_reps + 1);
  g_autofree GArray **adjs = g_new0 (GArray *, res->n_reps + 1);
  group_period_rows (e, acts, adjs);
  for (guint i = 0; i < res->n_reps; i++)
    {
      QtRepResult *r = &res->reps[i];
      r->plan = qt_credit_rep_plan (e->ix, e->plans, i, res->period);
      credit_and_quota (e, months[2], r);
      qt_commission_compute (r->plan, r);
      r->quarter_end = quarter_end;
      sprint_months (e, months, n_before, r);
      qt_score_compute (r->plan, e->ds->nums, (const QtActivity *const *) acts[i]->pdata,
                        acts[i]->len, r);
      bonuses (r);
      adjustments (e, r, adjs[i]);
    }
  for (guint i = 0; i < res->n_reps; i++)
    {
      override (e, &res->reps[i]);
      round_components (res, &res->reps[i]);
      g_ptr_array_unref (acts[i]);
      g_array_unref (adjs[i]);
    }
  rank_teams (res);
}

/* The second thread's share: the quarter's months before P (the sprint,
 * SPEC §12.7, and the quarter to date), then whatever of P is left. */
typedef struct {
  const QtIndex *ix;
  const QtPlanSet *plans;
  QtPeriod first;          /* the quarter's first month */
  guint n_before;          /* the quarter's months before P (0, 1 or 2) */
  QtMonthCredit **out;     /* out[0 .. n_before): the earlier months */
  QtMonthWork *p;          /* P, shared with the main thread once `ready` */
  QtMonthCredit *p_part;   /* the part of P this thread credited */
  GMutex lock;
  GCond cond;
  gboolean ready;
} HelperJob;

static gpointer
helper_job (gpointer data)
{
  HelperJob *job = data;
  for (guint m = 0; m < job->n_before; m++)
    job->out[m] = qt_credit_month (job->ix, job->plans, job->first + (QtPeriod) m, FALSE);
  g_mutex_lock (&job->lock);
  while (!job->ready)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  job->p_part = qt_month_work_run (job->p);
  return NULL;
}

/* Hands P's work to the helper. */
static void
helper_give_p (HelperJob *job, QtMonthWork *p)
{
  g_mutex_lock (&job->lock);
  job->p = p;
  job->ready = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

/* Credits P (in full) and the quarter's months before it (W only).  With a second thread, it credits the earlier months (starting
 * while this one lists P's receipts) and then joins the main thread on P,
 * both taking chunks of P's receipts: the months share nothing but
 * read-only data, and every sum is exact, so the result cannot differ
 * (P's slices are sorted afterwards). */
static void
credit_months (const QtIndex *ix, const QtPlanSet *plans, QtPeriod period, guint threads,
               QtMonthCredit **months)
{
  const QtPeriod first = qt_quarter_first_period (qt_quarter_of_period (period));
  HelperJob job = { .ix = ix, .plans = plans, .first = first, .n_before = (guint) (period - first),
                    .out = months };
  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);
  GThread *helper = threads > 1 ? g_thread_try_new ("qt-sprint", helper_job, &job, NULL) : NULL;
  QtMonthWork *p = qt_month_work_new (ix, plans, period, TRUE);
  helper_give_p (&job, p);
  if (helper == NULL)
    helper_job (&job);
  months[2] = qt_month_work_run (p);
  if (helper != NULL)
    g_thread_join (helper);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);
  qt_month_credit_merge (months[2], job.p_part);
  qt_month_work_free (p);
}

QtRunResult *
qt_engine_run (const QtDataset *ds, const QtPlanSet *plans, QtPeriod period,
               const QtEngineOptions *options, GError **error)
{
  const guint threads = options != NULL ? MAX (options->threads, 1u) : 1;
  if (!check_plans (ds, plans, period, error))
    return NULL;
  g_autoptr (QtIndex) ix = qt_index_new (ds, threads);
  guint n_versions;
  const QtPlanVersion *const *versions = qt_plan_set_versions (plans, &n_versions);
  for (guint i = 0; i < n_versions; i++)
    qt_index_prepare_eligible (ix, versions[i]->eligible_status);
  g_autoptr (QtRunResult) res = result_new (ds, plans, period);
  Engine e = { ds, plans, ix, res };

  /* months[2] is P itself; months[0..1] the quarter's earlier months. */
  gboolean quarter_end = qt_period_closes_quarter (period);
  QtMonthCredit *months[3] = { NULL, NULL, NULL };
  credit_months (ix, plans, period, threads, months);
  SliceSort sort = { ds, g_steal_pointer (&months[2]->slices) };
  GThread *sorter = threads > 1 ? g_thread_try_new ("qt-sort", sort_job, &sort, NULL) : NULL;
  if (sorter == NULL)
    sort_job (&sort);
  take_credit (res, months[2]);
  row_exceptions (&e);
  const guint n_before = (guint) (period - qt_quarter_first_period (qt_quarter_of_period (period)));
  per_rep (&e, months, n_before, quarter_end);
  if (quarter_end)
    collect_plans (&e, months, 3);
  else
    collect_plans (&e, months + 2, 1);
  qt_exceptions_sort (res->exceptions);
  if (sorter != NULL)
    g_thread_join (sorter);
  res->slices = sort.slices;
  res->first_positive = g_steal_pointer (&ix->first_positive);
  for (int m = 0; m < 3; m++)
    qt_month_credit_free (months[m]);
  return g_steal_pointer (&res);
}

static void
rep_result_clear (QtRepResult *r)
{
  mpq_clears (REP_VALUES (r), NULL);
  for (int m = 0; m < 3; m++)
    mpq_clears (r->months[m].w, r->months[m].quota, NULL);
  for (guint i = 0; i < r->n_score_lines; i++)
    mpq_clears (r->score_lines[i].value, r->score_lines[i].ratio, r->score_lines[i].score,
                r->score_lines[i].contribution, NULL);
  for (guint i = 0; i < r->n_bonuses; i++)
    mpq_clears (r->bonuses[i].exact, r->bonuses[i].rounded, NULL);
  for (guint i = 0; i < r->n_adjustments; i++)
    mpq_clear (r->adjustments_rounded[i]);
  qt_tier_lines_free (r->tiers, r->n_tiers);
  g_free (r->score_lines);
  g_free (r->bonuses);
  g_free (r->reports);
  g_free (r->adjustments);
  g_free (r->adjustments_rounded);
}

void
qt_run_result_free (QtRunResult *res)
{
  if (res == NULL)
    return;
  for (guint i = 0; i < res->n_reps; i++)
    rep_result_clear (&res->reps[i]);
  g_free (res->reps);
  if (res->slices)
    g_array_unref (res->slices);
  g_array_unref (res->exceptions);
  g_ptr_array_unref (res->plans_used);
  g_free (res->first_positive);
  mpq_clears (res->amount_in_period, res->amount_credited, res->amount_excepted,
              res->sum_components, res->sum_totals, NULL);
  g_free (res);
}
