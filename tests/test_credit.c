/* tests/test_credit.c — calc/credit directly: one month's receipts
 * allocated to lines and reps (SPEC §4.2), weighted (§4.3), summed per rep
 * (§4.4) and excepted whole (§12.4), with the money module's fast path and
 * through GMP alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calc/credit.h"
#include "calc/index.h"
#include "model/money.h"
#include "support/test_support.h"

typedef struct {
  char *root;
  QtDataset *ds;
  QtPlanSet *plans;
  QtIndex *ix;
  QtMonthCredit *mc;
} Fx;

/* Plan "p": every multiplier when `multipliers`, eligible status paid. */
static QtPlanSet *
plans_in (const char *dir, gboolean multipliers)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_autofree char *path = g_build_filename (dir, "p.json", NULL);
  qt_test_write (path,
                 multipliers
                   ? "{\"plan\": \"p\", \"version\": 1, \"effective_from\": \"2026-01-01\",\n"
                     " \"currency\": \"CNY\", \"credit\": {\"eligible_status\": [\"paid\"],\n"
                     "  \"multipliers\": [\n"
                     "   {\"id\": \"new_customer\", \"factor\": \"1.3\", \"lookback_days\": 365},\n"
                     "   {\"id\": \"high_margin\", \"factor\": \"1.5\", \"min_margin_rate\": \"0.35\"},\n"
                     "   {\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 30}]},\n"
                     " \"commission\": {\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.1\"}]}}\n"
                   : "{\"plan\": \"p\", \"version\": 1, \"effective_from\": \"2026-01-01\",\n"
                     " \"currency\": \"CNY\", \"credit\": {\"eligible_status\": [\"paid\"]},\n"
                     " \"commission\": {\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.1\"}]}}\n");
  g_autoptr (GError) error = NULL;
  QtPlanSet *set = qt_plan_set_load_dir (dir, &error);
  g_assert_no_error (error);
  return set;
}

/* Loads `rows` (see qt_test_dataset) and credits 2026-03 in detail. */
static void
credit (Fx *fx, const char *const *rows, gboolean multipliers)
{
  fx->root = qt_test_tmpdir ();
  g_autofree char *data = g_build_filename (fx->root, "data", NULL);
  g_autofree char *plans = g_build_filename (fx->root, "plans", NULL);
  fx->ds = qt_test_dataset (data, rows);
  fx->plans = plans_in (plans, multipliers);
  fx->ix = qt_index_new (fx->ds, 1);
  guint n;
  const QtPlanVersion *const *v = qt_plan_set_versions (fx->plans, &n);
  for (guint i = 0; i < n; i++)
    qt_index_prepare_eligible (fx->ix, v[i]->eligible_status);
  QtPeriod p;
  assert_true (qt_period_parse ("2026-03", 7, &p));
  fx->mc = qt_credit_month (fx->ix, fx->plans, p, TRUE);
  assert_non_null (fx->mc);
}

static int
setup (void **state)
{
  *state = g_new0 (Fx, 1);
  return 0;
}

static int
teardown (void **state)
{
  Fx *fx = *state;
  qt_month_credit_free (fx->mc);
  qt_index_free (fx->ix);
  qt_plan_set_free (fx->plans);
  qt_dataset_free (fx->ds);
  if (fx->root != NULL)
    qt_test_rmtree (fx->root);
  g_free (fx->root);
  g_free (fx);
  qt_money_set_fast_path (TRUE);
  return 0;
}

static guint
rep_of (const Fx *fx, const char *id)
{
  for (guint r = 0; r < fx->ds->n_reps; r++)
    if (strcmp (fx->ds->reps[r].rep_id, id) == 0)
      return r;
  fail_msg ("no rep %s", id);
  return 0;
}

static void
assert_mpq (mpq_srcptr v, const char *want)
{
  g_autofree char *got = qt_exact_format (v);
  assert_string_equal (got, want);
}

static gint
by_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* "receipt line rep amount weighted mask" of every slice, sorted. */
static char *
slices_text (const Fx *fx)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fx->mc->slices->len; i++)
    {
      const QtSlice *s = &g_array_index (fx->mc->slices, QtSlice, i);
      GString *t = g_string_new (NULL);
      g_string_append_printf (t, "%s %s %s ", fx->ds->receipts[s->receipt].receipt_id,
                              fx->ds->lines[s->line].line_no, fx->ds->reps[s->rep].rep_id);
      qt_append_exact_rat (t, &s->amount);
      g_string_append_c (t, ' ');
      qt_append_exact_rat (t, &s->weighted);
      g_string_append_printf (t, " %u", s->mult_mask);
      g_ptr_array_add (rows, g_string_free (t, FALSE));
    }
  g_ptr_array_sort (rows, by_text);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv ("\n", (char **) rows->pdata);
}

static const char *const split_rows[] = {
  "reps.csv", "A,a,t,,p\nB,b,t,,p\n",
  "customers.csv", "C1,c\n",
  "products.csv", "P1,p,x\n",
  "orders.csv", "O1,C1,A,2025-01-01,paid\n",
  "order_lines.csv", "O1,1,P1,1,100,90\nO1,2,P1,2,100,90\nO1,3,P1,1,300,290\n",
  "splits.csv", "O1,A,0.5\nO1,B,0.5\n",
  "receipts.csv", "R1,O1,2026-03-05,300\nR0,O1,2026-02-01,10\n",
  NULL,
};

/* a × line_net / N × share: 300 × {100, 200, 300} / 600 × 0.5 per rep;
 * C = a × share; receipts of other months are not credited. */
static void
test_split_allocation (void **state)
{
  Fx *fx = *state;
  credit (fx, split_rows, FALSE);
  g_autofree char *text = slices_text (fx);
  assert_string_equal (text, "R1 1 A 25 25 0\nR1 1 B 25 25 0\nR1 2 A 50 50 0\n"
                             "R1 2 B 50 50 0\nR1 3 A 75 75 0\nR1 3 B 75 75 0");
  assert_mpq (fx->mc->credit[rep_of (fx, "A")], "150");
  assert_mpq (fx->mc->weighted[rep_of (fx, "B")], "150");
  assert_int_equal (fx->mc->n_slices[rep_of (fx, "A")], 3);
  assert_int_equal (fx->mc->receipts_in_period, 1);
  assert_int_equal (fx->mc->receipts_credited, 1);
  assert_mpq (fx->mc->amount_in_period, "300");
}

/* Slices that do not terminate stay exact, and still sum to the receipt. */
static void
test_thirds (void **state)
{
  Fx *fx = *state;
  const char *const rows[] = {
    "reps.csv", "A,a,t,,p\n",
    "customers.csv", "C1,c\n",
    "products.csv", "P1,p,x\n",
    "orders.csv", "O1,C1,A,2025-01-01,paid\n",
    "order_lines.csv", "O1,1,P1,1,1,0\nO1,2,P1,1,1,0\nO1,3,P1,1,1,0\n",
    "receipts.csv", "R1,O1,2026-03-05,100\n",
    NULL,
  };
  credit (fx, rows, FALSE);
  g_autofree char *text = slices_text (fx);
  assert_string_equal (text, "R1 1 A 100/3 100/3 0\nR1 2 A 100/3 100/3 0\nR1 3 A 100/3 100/3 0");
  assert_mpq (fx->mc->credit[0], "100");
}

/* SPEC §4.3: a high-margin line is weighted by its factor, the others not;
 * W = part × (w × (N − S_hm) + w_hm × S_hm) / N.  The order is new business
 * (no earlier order) and collected after 64 days (not fast). */
static void
test_mixed_high_margin (void **state)
{
  Fx *fx = *state;
  const char *const rows[] = {
    "reps.csv", "A,a,t,,p\n",
    "customers.csv", "C1,c\n",
    "products.csv", "P1,p,x\n",
    "orders.csv", "O1,C1,A,2026-01-01,paid\n",
    "order_lines.csv", "O1,1,P1,1,100,50\nO1,2,P1,2,100,90\n",
    "receipts.csv", "R1,O1,2026-03-06,90\n",
    NULL,
  };
  credit (fx, rows, TRUE);
  g_autofree char *text = slices_text (fx);
  /* line 1: 30 × 1.3 × 1.5 = 58.5 (mask new_customer + high_margin);
   * line 2: 60 × 1.3 = 78 */
  assert_string_equal (text, "R1 1 A 30 58.5 3\nR1 2 A 60 78 1");
  assert_mpq (fx->mc->weighted[0], "136.5");
  assert_mpq (fx->mc->credit[0], "90");
}

/* SPEC §12.4: each receipt is excepted whole with the first code that
 * applies; the control totals balance. */
static void
test_exceptions_and_totals (void **state)
{
  Fx *fx = *state;
  const char *const rows[] = {
    "reps.csv", "A,a,t,,p\n",
    "customers.csv", "C1,c\n",
    "products.csv", "P1,p,x\n",
    "orders.csv", "O1,C1,A,2025-01-01,paid\nO2,C1,A,2025-01-01,draft\nO3,C1,A,2025-01-01,paid\n"
                  "O4,C1,Z,2025-01-01,paid\n",
    "order_lines.csv", "O1,1,P1,1,10,0\nO2,1,P1,1,10,0\nO3,1,P1,1,-5,0\nO4,1,P1,1,10,0\n",
    "receipts.csv", "R1,NOPE,2026-03-01,1\nR2,O2,2026-03-01,2\nR3,O3,2026-03-01,4\n"
                    "R4,O1,2026-03-01,-8\nR5,O4,2026-03-01,16\nR6,O1,2026-03-02,32\n",
    NULL,
  };
  credit (fx, rows, FALSE);
  GString *codes = g_string_new (NULL);
  for (guint i = 0; i < fx->mc->exceptions->len; i++)
    {
      const QtException *e = &g_array_index (fx->mc->exceptions, QtException, i);
      g_string_append_printf (codes, "%s:%u:%s ", e->file, e->line, e->code);
    }
  g_autofree char *got = g_string_free (codes, FALSE);
  assert_non_null (strstr (got, "receipts.csv:2:UNKNOWN_ORDER "));
  assert_non_null (strstr (got, "receipts.csv:3:INELIGIBLE_STATUS "));
  assert_non_null (strstr (got, "receipts.csv:4:NET_NOT_POSITIVE "));
  assert_non_null (strstr (got, "receipts.csv:6:UNKNOWN_REP "));
  /* R4 refunds O1, whose first positive receipt R6 is dated after it */
  assert_null (strstr (got, "receipts.csv:5:"));
  assert_int_equal (fx->mc->receipts_in_period, 6);
  assert_int_equal (fx->mc->receipts_credited, 2);
  assert_int_equal (fx->mc->receipts_excepted, 4);
  assert_mpq (fx->mc->amount_in_period, "47");
  assert_mpq (fx->mc->amount_credited, "24");
  assert_mpq (fx->mc->amount_excepted, "23");
}

/* The same month through GMP alone gives the same slices and sums. */
static void
test_gmp_path_same (void **state)
{
  Fx *fx = *state;
  credit (fx, split_rows, TRUE);
  g_autofree char *fast = slices_text (fx);
  g_auto (mpq_t) w;
  mpq_init (w);
  mpq_set (w, fx->mc->weighted[0]);
  qt_month_credit_free (fx->mc);
  qt_money_set_fast_path (FALSE);
  QtPeriod p;
  assert_true (qt_period_parse ("2026-03", 7, &p));
  fx->mc = qt_credit_month (fx->ix, fx->plans, p, TRUE);
  g_autofree char *slow = slices_text (fx);
  assert_string_equal (fast, slow);
  assert_true (mpq_equal (w, fx->mc->weighted[0]));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_split_allocation, setup, teardown),
    cmocka_unit_test_setup_teardown (test_thirds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_mixed_high_margin, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exceptions_and_totals, setup, teardown),
    cmocka_unit_test_setup_teardown (test_gmp_path_same, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
