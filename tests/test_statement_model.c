/* tests/test_statement_model.c — calc/statement_model: what a statement
 * shows, on a tiny hand-made data set run for 2026-02 with the real
 * loaders and engine.  Every expected value is worked out by hand in the
 * comment beside it (SPEC §4, §6, §12).
 *
 * Plan p: marginal tiers 0 / 1.0 / 1.5 at 0.03 / 0.05 / 0.07, cap 50,
 * override 0.1, high_margin ×1.2 from a margin rate of 0.5,
 * fast_collection ×1.1 within 30 days.  Reps (quota 1000 unless said):
 *   A  W 1000, exactly on tier 1's lower bound; adjustments 10.005, −0.015
 *   B  W 1200
 *   C  W 2000, in the top tier and capped
 *   D  credits, no quota (NO_QUOTA)
 *   E  neither credits nor quota
 *   F  a refund of −60 on an order first paid 10 days after signing
 *   M  manager of A and B */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "model/money.h"
#include "calc/engine.h"
#include "calc/statement_model.h"
#include "loaders/dataset_loader.h"
#include "rules/plan.h"
#include "support/test_support.h"

typedef struct {
  char *tmp;
  QtDataset *ds;
  QtPlanSet *plans;
  QtRunResult *res;
  QtStatementIndex *ix;
} Fx;

static const struct {
  const char *name, *text;
} files[] = {
  { "reps.csv", "rep_id,name,team_id,manager_id,plan_id\n"
                "A,Ann,T1,M,p\nB,Bob,T1,M,p\nC,Cat,T2,,p\nD,Dan,T2,,p\nE,Eve,T2,,p\n"
                "F,Fay,T3,,p\nM,Max,T3,,p\n" },
  { "customers.csv", "customer_id,name\nC1,Acme\n" },
  { "products.csv", "product_id,name,category\nP1,Widget,w\n" },
  { "orders.csv", "order_id,customer_id,rep_id,signed_on,status\n"
                  "OA,C1,A,2025-12-01,paid\nOB,C1,B,2025-12-01,paid\nOC,C1,C,2025-12-01,paid\n"
                  "OD,C1,D,2025-12-01,paid\nOF,C1,F,2026-01-10,paid\n" },
  /* margin rates: OA..OD 0.1 / 0.2; OF line 1 (300 − 100) / 300 = 2/3, line 2 priced 0 */
  { "order_lines.csv", "order_id,line_no,product_id,quantity,unit_price,unit_cost\n"
                       "OA,1,P1,10,100,90\nOB,1,P1,12,100,90\nOC,1,P1,20,100,90\n"
                       "OD,1,P1,1,500,400\nOF,1,P1,2,300,100\nOF,2,P1,1,0,0\n" },
  /* RF1 and RF2 share a day: the first positive receipt is RF1 (receipt_id) */
  { "receipts.csv", "receipt_id,order_id,received_on,amount\n"
                    "RA,OA,2026-02-10,1000\nRB,OB,2026-02-10,1200\nRC,OC,2026-02-10,2000\n"
                    "RD,OD,2026-02-10,500\nRF2,OF,2026-01-20,300\nRF1,OF,2026-01-20,300\n"
                    "RF9,OF,2026-02-15,-60\n" },
  { "activities.csv", "rep_id,period,metric,value\n" },
  { "quotas.csv", "rep_id,period,quota\n"
                  "A,2026-02,1000\nB,2026-02,1000\nC,2026-02,1000\nF,2026-02,1000\n"
                  "M,2026-02,1000\n" },
  { "adjustments.csv", "adjustment_id,rep_id,period,amount,reason\n"
                       "J2,A,2026-02,10.005,fix\nJ1,A,2026-02,-0.015,fix\n" },
};

static const char plan_json[] =
  "{\"plan\": \"p\", \"version\": 1, \"effective_from\": \"2026-01-01\", \"currency\": \"CNY\",\n"
  " \"credit\": {\"eligible_status\": [\"paid\"], \"multipliers\": [\n"
  "   {\"id\": \"high_margin\", \"factor\": \"1.2\", \"min_margin_rate\": \"0.5\"},\n"
  "   {\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 30}]},\n"
  " \"commission\": {\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.03\"},\n"
  "   {\"from\": \"1.0\", \"rate\": \"0.05\"}, {\"from\": \"1.5\", \"rate\": \"0.07\"}],\n"
  "   \"cap\": \"50\"},\n"
  " \"override\": {\"rate\": \"0.1\"}}\n";

static int
setup (void **state)
{
  Fx *fx = g_new0 (Fx, 1);
  g_autoptr (GError) error = NULL;
  fx->tmp = qt_test_tmpdir ();
  g_autofree char *data = g_build_filename (fx->tmp, "data", NULL);
  g_autofree char *plans = g_build_filename (fx->tmp, "plans", NULL);
  if (g_mkdir (data, 0700) != 0 || g_mkdir (plans, 0700) != 0)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (data, files[i].name, NULL);
      qt_test_write (path, files[i].text);
    }
  g_autofree char *plan_path = g_build_filename (plans, "p.json", NULL);
  qt_test_write (plan_path, plan_json);
  fx->ds = qt_dataset_load_dir (data, NULL, &error);
  if (fx->ds == NULL)
    fail_msg ("data: %s", error->message);
  fx->plans = qt_plan_set_load_dir (plans, &error);
  if (fx->plans == NULL)
    fail_msg ("plans: %s", error->message);
  QtPeriod period;
  assert_true (qt_period_parse ("2026-02", 7, &period));
  fx->res = qt_engine_run (fx->ds, fx->plans, period, NULL, &error);
  if (fx->res == NULL)
    fail_msg ("engine: %s", error->message);
  fx->ix = qt_statement_index_new (fx->res);
  *state = fx;
  return 0;
}

static int
teardown (void **state)
{
  Fx *fx = *state;
  qt_statement_index_free (fx->ix);
  qt_run_result_free (fx->res);
  qt_plan_set_free (fx->plans);
  qt_dataset_free (fx->ds);
  qt_test_rmtree (fx->tmp);
  g_free (fx->tmp);
  g_free (fx);
  return 0;
}

/* The model of the rep with that id. (transfer full) */
static QtStatementModel *
model_of (Fx *fx, const char *rep_id)
{
  for (guint i = 0; i < fx->res->n_reps; i++)
    if (strcmp (fx->ds->reps[fx->res->reps[i].rep].rep_id, rep_id) == 0)
      {
        QtStatementModel *m = qt_statement_model_build (fx->ix, i);
        assert_non_null (m);
        assert_string_equal (m->rep->rep_id, rep_id);
        return m;
      }
  fail_msg ("no rep %s", rep_id);
  return NULL;
}

#define assert_frac(f, expected)           \
  do                                       \
    {                                      \
      g_auto (mpq_t) v_;                   \
      mpq_init (v_);                       \
      qt_rat_get ((f), v_);               \
      assert_q (v_, (expected));           \
    }                                      \
  while (0)

/* SPEC §12.6.3: W = 1000 = 1.0 × quota is in tier 1 (half-open), not 0;
 * the next tier starts at 1.5 × 1000 = 1500: 500 more. */
static void
test_tier_on_bound (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "A");
  assert_q (m->r->weighted, "1000");
  assert_int_equal (m->r->tier, 1);
  assert_true (m->r->has_next_tier);
  assert_q (m->r->next_tier_needed, "500");
  assert_q (m->r->tiers[1].portion, "0"); /* marginal: nothing above the bound */
  assert_int_equal (m->commission_case, QT_COMMISSION_TIERS);
}

/* W = 1200: tier 1, 1500 − 1200 = 300 still needed; commission
 * 0.03 × 1000 + 0.05 × 200 = 40. */
static void
test_next_tier_amount (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "B");
  assert_int_equal (m->r->tier, 1);
  assert_true (m->r->has_next_tier);
  assert_q (m->r->next_tier_needed, "300");
  assert_q (m->payable[QT_PAYABLE_COMMISSION].exact, "40");
}

/* W = 2000: the top tier, no next one; 30 + 25 + 35 = 90 capped at 50. */
static void
test_top_tier_capped (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "C");
  assert_int_equal (m->r->tier, 2);
  assert_false (m->r->has_next_tier);
  assert_true (m->r->capped);
  assert_q (m->r->commission_uncapped, "90");
  assert_q (m->payable[QT_PAYABLE_COMMISSION].exact, "50");
  assert_int_equal (m->commission_case, QT_COMMISSION_TIERS);
}

/* No valid quota: no tier reached, none next, commission 0; with credits
 * it is the NO_QUOTA case, without them the plain one. */
static void
test_no_quota (void **state)
{
  g_autoptr (QtStatementModel) d = model_of (*state, "D");
  assert_int_equal (d->r->tier, -1);
  assert_false (d->r->has_next_tier);
  assert_int_equal (d->n_credits, 1);
  assert_int_equal (d->commission_case, QT_COMMISSION_NO_QUOTA_CREDITS);
  assert_q (d->payable[QT_PAYABLE_COMMISSION].rounded, "0");
  g_autoptr (QtStatementModel) e = model_of (*state, "E");
  assert_int_equal (e->r->tier, -1);
  assert_int_equal (e->n_credits, 0);
  assert_int_equal (e->commission_case, QT_COMMISSION_NO_QUOTA);
}

/* SPEC §12.5.3: the refund RF9 (2026-02-15) is timed by OF's first
 * positive receipt, RF1 (2026-01-20, before RF2 by id): 10 days after
 * signing, so fast_collection applies.  Line 1: −60 × 600 / 600 = −60,
 * weight 1.2 × 1.1 = 1.32, weighted −79.2: W < 0 is a clawback. */
static void
test_refund_timed_by_first_positive (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "F");
  assert_int_equal (m->n_credits, 2);
  for (guint k = 0; k < m->n_credits; k++)
    {
      const QtStatementCredit *c = &m->credits[k];
      assert_string_equal (c->receipt->receipt_id, "RF9");
      assert_string_equal (c->timed_by->receipt_id, "RF1");
      assert_int_equal (c->days_after_signing, 10);
      assert_true (c->slice->mult_mask & (1u << QT_MULT_FAST_COLLECTION));
    }
  assert_q (m->r->weighted, "-79.2");
  assert_int_equal (m->commission_case, QT_COMMISSION_CLAWBACK);
  assert_int_equal (m->r->tier, 0);
}

/* SPEC §4.2, §4.3: line and order nets; the margin rate (300 − 100) / 300
 * = 2/3 (high_margin applied), none for the line priced 0. */
static void
test_nets_and_margin_rate (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "F");
  const QtStatementCredit *l1 = &m->credits[0], *l2 = &m->credits[1];
  assert_string_equal (l1->line->line_no, "1");
  assert_string_equal (l2->line->line_no, "2");
  assert_frac (&l1->line_net, "600");
  assert_frac (&l2->line_net, "0");
  assert_frac (l1->order_net, "600");
  assert_ptr_equal (l1->order_net, l2->order_net); /* one per order */
  assert_true (l1->has_margin_rate);
  assert_frac (&l1->margin_rate, "2/3");
  assert_true (l1->slice->mult_mask & (1u << QT_MULT_HIGH_MARGIN));
  assert_false (l2->has_margin_rate);
  assert_false (l2->slice->mult_mask & (1u << QT_MULT_HIGH_MARGIN));
  assert_non_null (l1->customer);
  assert_string_equal (l1->customer->name, "Acme");
  assert_non_null (l1->product);
  assert_string_equal (l1->product->name, "Widget");
  /* the basis is kept only where high_margin applied: not for A's line,
   * whose margin (0.1) is below the plan's 0.5 */
  g_autoptr (QtStatementModel) a = model_of (*state, "A");
  assert_false (a->credits[0].slice->mult_mask & (1u << QT_MULT_HIGH_MARGIN));
  assert_false (a->credits[0].has_margin_rate);
}

/* SPEC §6: each component rounded half-even, the total their sum.  A:
 * commission 30, adjustments 10.005 → 10.00 and −0.015 → −0.02: exact
 * total 39.99, rounded 30 + 9.98 = 39.98 (not round (39.99)). */
static void
test_total_is_sum_of_rounded (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "A");
  g_auto (mpq_t) sum;
  g_auto (mpq_t) exact;
  mpq_inits (sum, exact, NULL);
  for (int k = 0; k < QT_PAYABLE_TOTAL; k++)
    {
      mpq_add (sum, sum, m->payable[k].rounded);
      mpq_add (exact, exact, m->payable[k].exact);
    }
  assert_true (mpq_equal (sum, m->payable[QT_PAYABLE_TOTAL].rounded));
  assert_true (mpq_equal (exact, m->payable[QT_PAYABLE_TOTAL].exact));
  assert_q (m->payable[QT_PAYABLE_ADJUSTMENTS].exact, "9.99");
  assert_q (m->payable[QT_PAYABLE_ADJUSTMENTS].rounded, "9.98");
  assert_q (m->payable[QT_PAYABLE_TOTAL].exact, "39.99");
  assert_q (m->payable[QT_PAYABLE_TOTAL].rounded, "39.98");
  /* adjustments by id: J1 (row 1) before J2 (row 0) */
  assert_int_equal (m->r->n_adjustments, 2);
  assert_string_equal (m->res->ds->adjustments[m->r->adjustments[m->adjustments[0]]].adjustment_id,
                       "J1");
}

/* SPEC §4.6: M's override base is A's and B's exact commissions, 30 + 40;
 * the direct reports come by rep_id; team T3 has F and M. */
static void
test_override_and_team (void **state)
{
  g_autoptr (QtStatementModel) m = model_of (*state, "M");
  assert_q (m->r->override_base, "70");
  assert_q (m->payable[QT_PAYABLE_OVERRIDE].exact, "7");
  assert_int_equal (m->r->n_reports, 2);
  assert_string_equal (m->res->ds->reps[m->res->reps[m->reports[0]].rep].rep_id, "A");
  assert_string_equal (m->res->ds->reps[m->res->reps[m->reports[1]].rep].rep_id, "B");
  assert_int_equal (m->r->team_size, 2);
  g_autoptr (QtStatementModel) a = model_of (*state, "A");
  assert_non_null (a->manager);
  assert_string_equal (a->manager->rep_id, "M");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_tier_on_bound),
    cmocka_unit_test (test_next_tier_amount),
    cmocka_unit_test (test_top_tier_capped),
    cmocka_unit_test (test_no_quota),
    cmocka_unit_test (test_refund_timed_by_first_positive),
    cmocka_unit_test (test_nets_and_margin_rate),
    cmocka_unit_test (test_total_is_sum_of_rounded),
    cmocka_unit_test (test_override_and_team),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
