/* tests/test_engine.c — one period's whole calculation (calc/engine.c,
 * calc/credit.c, calc/index.c) on tiny hand-made data sets: SPEC §4, §7, §12.
 *
 * Each test writes CSV files and plan JSON files into a temporary directory,
 * loads them with the real loaders and runs qt_engine_run.  Every expected
 * value is computed by hand from SPEC.md; the arithmetic is in the comment
 * next to it.  Where the code is expected to disagree with the SPEC, the
 * test keeps the SPEC value and says so ("SPEC value"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gmp.h>
#include <string.h>

#include "model/money.h"
#include "calc/engine.h"
#include "calc/result.h"
#include "loaders/dataset_loader.h"
#include "model/dataset.h"
#include "rules/plan.h"
#include "support/test_support.h"

/* ---- fixture ----------------------------------------------------------- */

#define H_REPS "rep_id,name,team_id,manager_id,plan_id\n"
#define H_CUSTOMERS "customer_id,name\n"
#define H_PRODUCTS "product_id,name,category\n"
#define H_ORDERS "order_id,customer_id,rep_id,signed_on,status\n"
#define H_LINES "order_id,line_no,product_id,quantity,unit_price,unit_cost\n"
#define H_SPLITS "order_id,rep_id,share\n"
#define H_RECEIPTS "receipt_id,order_id,received_on,amount\n"
#define H_ACTIVITIES "rep_id,period,metric,value\n"
#define H_QUOTAS "rep_id,period,quota\n"
#define H_ADJUSTMENTS "adjustment_id,rep_id,period,amount,reason\n"

typedef struct {
  char *root, *data, *plans;
  QtDataset *ds;
  QtPlanSet *ps;
  QtRunResult *res;
} Fx;

static void
write_in (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, text, -1, &error))
    fail_msg ("%s: %s", path, error->message);
}

/* A data file (SPEC §2). */
static void
data (Fx *fx, const char *name, const char *text)
{
  write_in (fx->data, name, text);
}

static int
setup (void **state)
{
  Fx *fx = g_new0 (Fx, 1);
  g_autoptr (GError) error = NULL;
  fx->root = g_dir_make_tmp ("quotient-test-engine-XXXXXX", &error);
  if (fx->root == NULL)
    return -1;
  fx->data = g_build_filename (fx->root, "data", NULL);
  fx->plans = g_build_filename (fx->root, "plans", NULL);
  if (g_mkdir (fx->data, 0700) != 0 || g_mkdir (fx->plans, 0700) != 0)
    return -1;
  /* Required files, header only; customers C1..C6 and product P1 exist. */
  data (fx, "reps.csv", H_REPS);
  data (fx, "customers.csv", H_CUSTOMERS "C1,c1\nC2,c2\nC3,c3\nC4,c4\nC5,c5\nC6,c6\n");
  data (fx, "products.csv", H_PRODUCTS "P1,p1,cat\n");
  data (fx, "orders.csv", H_ORDERS);
  data (fx, "order_lines.csv", H_LINES);
  data (fx, "receipts.csv", H_RECEIPTS);
  data (fx, "activities.csv", H_ACTIVITIES);
  data (fx, "quotas.csv", H_QUOTAS);
  *state = fx;
  return 0;
}

static void
rm_flat (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
teardown (void **state)
{
  Fx *fx = *state;
  qt_run_result_free (fx->res);
  if (fx->ds)
    qt_dataset_free (fx->ds);
  if (fx->ps)
    qt_plan_set_free (fx->ps);
  rm_flat (fx->data);
  rm_flat (fx->plans);
  g_rmdir (fx->root);
  g_free (fx->root);
  g_free (fx->data);
  g_free (fx->plans);
  g_free (fx);
  return 0;
}

/* Plan file NAME: plan PLAN, VERSION, FROM, TO (NULL = open-ended),
 * eligible statuses (JSON list body), multipliers (JSON list body),
 * commission object (NULL = marginal, one tier at 0.1, no cap) and
 * further members (", \"override\": ..." or ""). */
static void
plan (Fx *fx, const char *name, const char *plan_id, int version, const char *from,
      const char *to, const char *eligible, const char *mults, const char *commission,
      const char *extra)
{
  g_autofree char *to_member = to ? g_strdup_printf (", \"effective_to\": \"%s\"", to) : g_strdup ("");
  g_autofree char *text = g_strdup_printf (
      "{\"plan\": \"%s\", \"version\": %d, \"effective_from\": \"%s\"%s,\n"
      " \"currency\": \"CNY\",\n"
      " \"credit\": {\"eligible_status\": [%s], \"multipliers\": [%s]},\n"
      " \"commission\": %s%s}\n",
      plan_id, version, from, to_member, eligible, mults,
      commission ? commission
                 : "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.1\"}]}",
      extra);
  write_in (fx->plans, name, text);
}

static void check_control_totals (const QtRunResult *res);

/* Runs period `p` (loading the data set and plans on first use). */
static QtRunResult *
run (Fx *fx, const char *p)
{
  g_autoptr (GError) error = NULL;
  if (fx->ds == NULL)
    {
      fx->ds = qt_dataset_load_dir (fx->data, NULL, &error);
      if (error != NULL)
        fail_msg ("data: %s", error->message);
      fx->ps = qt_plan_set_load_dir (fx->plans, &error);
      if (error != NULL)
        fail_msg ("plans: %s", error->message);
    }
  QtPeriod period = 0;
  assert_true (qt_period_parse (p, strlen (p), &period));
  qt_run_result_free (fx->res);
  fx->res = qt_engine_run (fx->ds, fx->ps, period, NULL, &error);
  if (error != NULL)
    fail_msg ("run: %s", error->message);
  assert_non_null (fx->res);
  check_control_totals (fx->res);
  return fx->res;
}

/* ---- assertions -------------------------------------------------------- */

/* The share of a slice as exact text. (transfer full) */
static char *
share_text (const QtRunResult *res, const QtSlice *s)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (res->ds->nums, s->share, v);
  return qt_exact_format (v);
}

#define assert_share(res, s, expected)                          \
  do                                                            \
    {                                                           \
      g_autofree char *got_ = share_text (res, s);              \
      if (strcmp (got_, (expected)) != 0)                       \
        fail_msg ("share = %s, expected %s", got_, (expected)); \
    }                                                           \
  while (0)

static QtRepResult *
rep (const QtRunResult *res, const char *rep_id)
{
  for (guint i = 0; i < res->n_reps; i++)
    if (strcmp (res->ds->reps[res->reps[i].rep].rep_id, rep_id) == 0)
      return &res->reps[i];
  fail_msg ("no rep %s", rep_id);
  return NULL;
}

static const QtSlice *
slice (const QtRunResult *res, const char *receipt_id, const char *line_no, const char *rep_id)
{
  const QtDataset *ds = res->ds;
  for (guint i = 0; i < res->slices->len; i++)
    {
      const QtSlice *s = &g_array_index (res->slices, QtSlice, i);
      if (strcmp (ds->receipts[s->receipt].receipt_id, receipt_id) == 0
          && strcmp (ds->lines[s->line].line_no, line_no) == 0
          && strcmp (ds->reps[s->rep].rep_id, rep_id) == 0)
        return s;
    }
  fail_msg ("no slice %s/%s/%s", receipt_id, line_no, rep_id);
  return NULL;
}

/* "new_customer+high_margin", "" (SPEC §5 order). */
static char *
mult_ids (guint mask)
{
  static const char *const names[] = { "new_customer", "high_margin", "fast_collection" };
  GString *s = g_string_new ("");
  for (int k = 0; k < QT_MULT_COUNT; k++)
    if (mask & (1u << k))
      g_string_append_printf (s, "%s%s", s->len ? "+" : "", names[k]);
  return g_string_free (s, FALSE);
}

/* The exact text of a slice's value. */
static char *
frac_text (const QtRat *f)
{
  mpq_t v;
  mpq_init (v);
  qt_rat_get (f, v);
  char *txt = qt_exact_format (v);
  mpq_clear (v);
  return txt;
}

/* sum += f. */
static void
add_frac (mpq_ptr sum, const QtRat *f)
{
  mpq_t v;
  mpq_init (v);
  qt_rat_get (f, v);
  mpq_add (sum, sum, v);
  mpq_clear (v);
}

/* Slice (receipt, line, rep) has amount, multipliers, weight, weighted. */
static void
assert_slice (const QtRunResult *res, const char *receipt_id, const char *line_no,
              const char *rep_id, const char *amount, const char *mults, const char *weight,
              const char *weighted)
{
  const QtSlice *s = slice (res, receipt_id, line_no, rep_id);
  g_autofree char *m = mult_ids (s->mult_mask);
  if (strcmp (m, mults) != 0)
    fail_msg ("slice %s/%s/%s multipliers '%s', expected '%s'", receipt_id, line_no, rep_id, m,
              mults);
  g_autofree char *a = frac_text (&s->amount);
  g_autofree char *w = qt_exact_format (s->weight);
  g_autofree char *ww = frac_text (&s->weighted);
  if (strcmp (a, amount) != 0 || strcmp (w, weight) != 0 || strcmp (ww, weighted) != 0)
    fail_msg ("slice %s/%s/%s = %s × %s = %s, expected %s × %s = %s", receipt_id, line_no, rep_id,
              a, w, ww, amount, weight, weighted);
}

/* "file:line:code\n" per exception, in result order. */
static char *
exceptions_of (const QtRunResult *res)
{
  GString *s = g_string_new ("");
  for (guint i = 0; i < res->exceptions->len; i++)
    {
      const QtException *x = &g_array_index (res->exceptions, QtException, i);
      g_string_append_printf (s, "%s:%u:%s\n", x->file, x->line, x->code);
    }
  return g_string_free (s, FALSE);
}

#define assert_exceptions(res, expected)                  \
  do                                                      \
    {                                                     \
      g_autofree char *got_ = exceptions_of (res);        \
      if (strcmp (got_, (expected)) != 0)                 \
        fail_msg ("exceptions:\n%s\nexpected:\n%s", got_, (expected)); \
    }                                                     \
  while (0)

static const QtException *
exception_at (const QtRunResult *res, const char *file, guint line)
{
  for (guint i = 0; i < res->exceptions->len; i++)
    {
      const QtException *x = &g_array_index (res->exceptions, QtException, i);
      if (strcmp (x->file, file) == 0 && x->line == line)
        return x;
    }
  fail_msg ("no exception at %s:%u", file, line);
  return NULL;
}

/* SPEC §7: receipts in P = credited + excepted (count and amount); the
 * slices of P add up to the credited amount; Σ totals = Σ components. */
static void
check_control_totals (const QtRunResult *res)
{
  assert_int_equal (res->receipts_in_period, res->receipts_credited + res->receipts_excepted);
  mpq_t sum;
  mpq_init (sum);
  mpq_add (sum, res->amount_credited, res->amount_excepted);
  assert_true (mpq_equal (sum, res->amount_in_period));
  mpq_set_ui (sum, 0, 1);
  for (guint i = 0; i < res->slices->len; i++)
    add_frac (sum, &g_array_index (res->slices, QtSlice, i).amount);
  assert_true (mpq_equal (sum, res->amount_credited));
  assert_true (mpq_equal (res->sum_components, res->sum_totals));
  /* Each rep's C and W (summed per receipt by the engine) are the sums of
   * its slices' amounts and weighted amounts, one by one. */
  mpq_t *credit = g_new (mpq_t, res->ds->n_reps + 1), *weighted = g_new (mpq_t, res->ds->n_reps + 1);
  g_autofree guint *count = g_new0 (guint, res->ds->n_reps + 1);
  for (guint r = 0; r < res->ds->n_reps; r++)
    mpq_inits (credit[r], weighted[r], NULL);
  for (guint i = 0; i < res->slices->len; i++)
    {
      const QtSlice *sl = &g_array_index (res->slices, QtSlice, i);
      add_frac (credit[sl->rep], &sl->amount);
      add_frac (weighted[sl->rep], &sl->weighted);
      count[sl->rep]++;
    }
  for (guint i = 0; i < res->n_reps; i++)
    {
      const QtRepResult *r = &res->reps[i];
      assert_true (mpq_equal (r->credit, credit[r->rep]));
      assert_true (mpq_equal (r->weighted, weighted[r->rep]));
      assert_int_equal (r->n_slices, count[r->rep]);
    }
  for (guint r = 0; r < res->ds->n_reps; r++)
    mpq_clears (credit[r], weighted[r], NULL);
  g_free (credit);
  g_free (weighted);
  /* exceptions sorted by (file, line numeric, code, message) */
  for (guint i = 1; i < res->exceptions->len; i++)
    {
      const QtException *a = &g_array_index (res->exceptions, QtException, i - 1);
      const QtException *b = &g_array_index (res->exceptions, QtException, i);
      int c = strcmp (a->file, b->file);
      if (c == 0)
        c = (a->line > b->line) - (a->line < b->line);
      if (c == 0)
        c = strcmp (a->code, b->code);
      if (c == 0)
        c = strcmp (a->message, b->message);
      assert_true (c <= 0);
    }
  mpq_clear (sum);
}

#define PAID "\"paid\""
#define DEFAULT_FROM "2025-01-01"

/* ---- §4.2 allocation ---------------------------------------------------- */

static void
test_allocation_three_equal_lines (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,p\n");
  data (fx, "orders.csv", H_ORDERS "O1,C1,R1,2026-01-10,paid\nO2,C1,R1,2026-01-11,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,1,1,0\nO1,2,P1,1,1,0\nO1,3,P1,1,1,0\n"
        "O2,1,P1,1,1,0\nO2,2,P1,1,2,0\nO2,3,P1,1,4,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "X1,O1,2026-02-05,100\nX2,O1,2026-02-06,1\nX3,O2,2026-02-07,10\n");
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");

  /* O1: N = 3 equal lines of 1.  X1: 100 × 1/3 = 100/3 per line. */
  assert_slice (res, "X1", "1", "R1", "100/3", "", "1", "100/3");
  assert_slice (res, "X1", "2", "R1", "100/3", "", "1", "100/3");
  assert_slice (res, "X1", "3", "R1", "100/3", "", "1", "100/3");
  /* X2: 1 × 1/3 = 1/3 */
  assert_slice (res, "X2", "2", "R1", "1/3", "", "1", "1/3");
  /* O2: N = 1 + 2 + 4 = 7.  X3 10: 10/7, 20/7, 40/7 */
  assert_slice (res, "X3", "1", "R1", "10/7", "", "1", "10/7");
  assert_slice (res, "X3", "2", "R1", "20/7", "", "1", "20/7");
  assert_slice (res, "X3", "3", "R1", "40/7", "", "1", "40/7");
  assert_int_equal (res->slices->len, 9);
  /* unsplit order: share 1 */
  assert_share (res, slice (res, "X1", "1", "R1"), "1");
  /* sorted by (receipt_id, line_no, rep_id) */
  const QtSlice *first = &g_array_index (res->slices, QtSlice, 0);
  const QtSlice *last = &g_array_index (res->slices, QtSlice, 8);
  assert_string_equal (res->ds->receipts[first->receipt].receipt_id, "X1");
  assert_string_equal (res->ds->lines[first->line].line_no, "1");
  assert_string_equal (res->ds->receipts[last->receipt].receipt_id, "X3");
  assert_string_equal (res->ds->lines[last->line].line_no, "3");

  QtRepResult *r = rep (res, "R1");
  /* C = W = 100 + 1 + 10 = 111; A = 111/1000; commission 0.1 × 111 = 11.1 */
  assert_int_equal (r->n_slices, 9);
  assert_q (r->credit, "111");
  assert_q (r->weighted, "111");
  assert_q (r->attainment, "0.111");
  assert_q (r->commission, "11.1");
  assert_q (r->r_commission, "11.1");
  assert_q (r->r_total, "11.1");
  assert_exceptions (res, "");
  assert_int_equal (res->receipts_in_period, 3);
  assert_int_equal (res->receipts_credited, 3);
  assert_q (res->amount_in_period, "111");
}

static void
test_split_long_shares (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,p\nR2,Bob,T1,,p\n");
  data (fx, "orders.csv", H_ORDERS "O1,C1,R1,2026-01-10,paid\n");
  data (fx, "order_lines.csv", H_LINES "O1,1,P1,1,300,0\n");
  data (fx, "splits.csv", H_SPLITS "O1,R1,0.333333333333333333333\nO1,R2,0.666666666666666666667\n");
  data (fx, "receipts.csv", H_RECEIPTS "X1,O1,2026-02-05,300\nX2,O1,2026-02-06,1\n");
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\nR2,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");

  /* SPEC §12.1.9: the shares sum to exactly 1, no SPLIT_SUM. */
  assert_exceptions (res, "");
  /* X1: 300 × 0.333333333333333333333 = 99.9999999999999999999
   *     300 × 0.666666666666666666667 = 200.0000000000000000001 */
  assert_slice (res, "X1", "1", "R1", "99.9999999999999999999", "", "1", "99.9999999999999999999");
  assert_slice (res, "X1", "1", "R2", "200.0000000000000000001", "", "1", "200.0000000000000000001");
  assert_share (res, slice (res, "X1", "1", "R1"), "0.333333333333333333333");
  assert_share (res, slice (res, "X1", "1", "R2"), "0.666666666666666666667");
  /* X2: 1 × share */
  assert_slice (res, "X2", "1", "R1", "0.333333333333333333333", "", "1", "0.333333333333333333333");
  assert_slice (res, "X2", "1", "R2", "0.666666666666666666667", "", "1", "0.666666666666666666667");
  /* W_R1 = 99.9999999999999999999 + 0.333333333333333333333 = 100.333333333333333333233
   * commission 0.1 × W = 10.0333333333333333333233 → 10.03
   * W_R2 = 200.0000000000000000001 + 0.666666666666666666667 = 200.666666666666666666767
   * commission 20.0666666666666666666767 → 20.07 */
  assert_q (rep (res, "R1")->weighted, "100.333333333333333333233");
  assert_q (rep (res, "R1")->commission, "10.0333333333333333333233");
  assert_q (rep (res, "R1")->r_commission, "10.03");
  assert_q (rep (res, "R2")->weighted, "200.666666666666666666767");
  assert_q (rep (res, "R2")->r_commission, "20.07");
  /* 301 in, 301 credited */
  assert_q (res->amount_credited, "301");
}

/* ---- §4.3 / §12.5 multipliers ------------------------------------------- */

static void
test_new_customer_window (void **state)
{
  Fx *fx = *state;
  /* plan a: eligible signed, paid, cancelled; new_customer 1.5, 10 days.
   * plan b: eligible paid only;             new_customer 2,   10 days. */
  plan (fx, "a.json", "a", 1, DEFAULT_FROM, NULL, "\"signed\", \"paid\", \"cancelled\"",
        "{\"id\": \"new_customer\", \"factor\": \"1.5\", \"lookback_days\": 10}", NULL, "");
  plan (fx, "b.json", "b", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"new_customer\", \"factor\": \"2\", \"lookback_days\": 10}", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,a\nR2,Bob,T1,,b\n");
  data (fx, "orders.csv", H_ORDERS
        "OA,C1,R1,2026-01-01,paid\n"
        "OB,C1,R1,2026-01-11,paid\n"
        "OC,C2,R1,2026-01-01,paid\n"
        "OD,C2,R1,2026-01-12,paid\n"
        "OX-9,C3,R1,2026-01-05,paid\n"
        "OX-10,C3,R1,2026-01-05,paid\n"
        "OE,C4,R1,2026-01-01,draft\n"
        "OF,C4,R1,2026-01-05,paid\n"
        "OH,C5,R1,2026-01-02,cancelled\n"
        "OG,C5,R1,2026-01-05,cancelled\n"
        "OI,C6,NOBODY,2026-01-03,paid\n"
        "OJ,C6,R1,2026-01-05,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "OA,1,P1,1,100,100\nOB,1,P1,1,100,100\nOC,1,P1,1,100,100\nOD,1,P1,1,100,100\n"
        "OX-9,1,P1,1,100,100\nOX-10,1,P1,1,100,100\nOE,1,P1,1,100,100\nOF,1,P1,1,100,100\n"
        "OH,1,P1,1,100,100\nOG,1,P1,1,100,100\nOJ,1,P1,1,100,100\n");
  data (fx, "splits.csv", H_SPLITS "OG,R1,0.5\nOG,R2,0.5\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "RA,OA,2026-02-02,100\nRB,OB,2026-02-02,100\nRC,OC,2026-02-02,100\n"
        "RD,OD,2026-02-02,100\nRX9,OX-9,2026-02-02,100\nRX10,OX-10,2026-02-02,100\n"
        "RF,OF,2026-02-02,100\nRG,OG,2026-02-02,200\nRJ,OJ,2026-02-02,100\n");
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\nR2,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "");

  /* OA: no earlier order of C1 → new: 100 × 1.5 = 150 */
  assert_slice (res, "RA", "1", "R1", "100", "new_customer", "1.5", "150");
  /* OB signed 01-11; OA signed 01-01 = exactly 10 days earlier ≥ 01-11 − 10
   * → inside the inclusive window → returning: 100 */
  assert_slice (res, "RB", "1", "R1", "100", "", "1", "100");
  /* OC: OD is later, does not count → new */
  assert_slice (res, "RC", "1", "R1", "100", "new_customer", "1.5", "150");
  /* OD signed 01-12; OC 01-01 < 01-02 → outside the window → new */
  assert_slice (res, "RD", "1", "R1", "100", "new_customer", "1.5", "150");
  /* tie on 01-05: 'OX-10' < 'OX-9' bytewise, so OX-10 precedes OX-9:
   * OX-9 is returning, OX-10 is new */
  assert_slice (res, "RX9", "1", "R1", "100", "", "1", "100");
  assert_slice (res, "RX10", "1", "R1", "100", "new_customer", "1.5", "150");
  /* OF: the earlier OE is draft, not eligible → does not count → new */
  assert_slice (res, "RF", "1", "R1", "100", "new_customer", "1.5", "150");
  /* OG (cancelled, split 0.5/0.5), earlier OH cancelled (3 days before):
   *  R1 (plan a, cancelled eligible): OH counts → returning: 100
   *  R2 (plan b, paid only): OH does not count → new: 100 × 2 = 200;
   *  OG's own status (cancelled, not in b) does not matter (§12.5.1, §12.3) */
  assert_slice (res, "RG", "1", "R1", "100", "", "1", "100");
  assert_slice (res, "RG", "1", "R2", "100", "new_customer", "2", "200");
  /* OJ: OI (paid, unknown rep, no lines) still counts → returning */
  assert_slice (res, "RJ", "1", "R1", "100", "", "1", "100");

  /* C_R1 = 8 × 100 + 100 = 900; W_R1 = 150×5 + 100×4 = 1150
   * C_R2 = 100; W_R2 = 200 */
  assert_q (rep (res, "R1")->credit, "900");
  assert_q (rep (res, "R1")->weighted, "1150");
  assert_q (rep (res, "R2")->credit, "100");
  assert_q (rep (res, "R2")->weighted, "200");
}

static void
test_high_margin (void **state)
{
  Fx *fx = *state;
  plan (fx, "h.json", "h", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"high_margin\", \"factor\": \"1.2\", \"min_margin_rate\": \"0.35\"}", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,h\n");
  data (fx, "orders.csv", H_ORDERS "O1,C1,R1,2026-01-10,paid\nO2,C1,R1,2026-01-10,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,2,100,65\n"      /* (100−65)/100 = 0.35 ≥ 0.35 → high margin; net 200 */
        "O1,2,P1,1,100,65.01\n"   /* 0.3499 < 0.35; net 100 */
        "O1,3,P1,1,0,-10\n"       /* price 0 ≤ 0 → not high margin; net 0 */
        "O1,4,P1,-1,-50,-100\n"   /* price −50 ≤ 0 → not high margin; net 50 */
        "O2,1,P1,1,3,1.95\n");    /* (3−1.95)/3 = 1.05/3 = 0.35 → high margin */
  data (fx, "receipts.csv", H_RECEIPTS "X1,O1,2026-02-05,700\nX2,O2,2026-02-05,30\n");
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "");
  /* O1: N = 200 + 100 + 0 + 50 = 350; X1 = 700
   * line 1: 700 × 200/350 = 400, × 1.2 = 480 */
  assert_slice (res, "X1", "1", "R1", "400", "high_margin", "1.2", "480");
  /* line 2: 700 × 100/350 = 200 */
  assert_slice (res, "X1", "2", "R1", "200", "", "1", "200");
  /* line 3: 700 × 0/350 = 0 */
  assert_slice (res, "X1", "3", "R1", "0", "", "1", "0");
  /* line 4: 700 × 50/350 = 100, not high margin */
  assert_slice (res, "X1", "4", "R1", "100", "", "1", "100");
  /* O2: 30 × 1.2 = 36 */
  assert_slice (res, "X2", "1", "R1", "30", "high_margin", "1.2", "36");
  /* W = 480 + 200 + 0 + 100 + 36 = 816; C = 730 */
  assert_q (rep (res, "R1")->weighted, "816");
  assert_q (rep (res, "R1")->credit, "730");
}

/* high_margin is decided in integers for small values and through GMP for
 * long ones; both must agree with the rule (regression guard for the
 * 128-bit path). */
static void
test_high_margin_integer_and_long_paths (void **state)
{
  Fx *fx = *state;
  plan (fx, "h.json", "h", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"high_margin\", \"factor\": \"2\", \"min_margin_rate\": \"0.35\"}", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,h\n");
  data (fx, "orders.csv", H_ORDERS "O3,C1,R1,2026-01-10,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O3,1,P1,1,10,-5\n"                      /* (10+5)/10 = 1.5 → high */
        "O3,2,P1,1,1000,0.0000000000000000001\n" /* long cost (GMP path) → high */
        "O3,3,P1,1,1000,650.0000000000000000001\n" /* long: just below 0.35 → not */
        "O3,4,P1,1,999999999999999999,649999999999999999.35\n"); /* 0.35 exactly → high */
  data (fx, "receipts.csv", H_RECEIPTS "X3,O3,2026-02-05,10\n");
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "");
  assert_int_equal ((slice (res, "X3", "1", "R1")->mult_mask >> QT_MULT_HIGH_MARGIN) & 1, TRUE);
  assert_int_equal ((slice (res, "X3", "2", "R1")->mult_mask >> QT_MULT_HIGH_MARGIN) & 1, TRUE);
  assert_int_equal ((slice (res, "X3", "3", "R1")->mult_mask >> QT_MULT_HIGH_MARGIN) & 1, FALSE);
  assert_int_equal ((slice (res, "X3", "4", "R1")->mult_mask >> QT_MULT_HIGH_MARGIN) & 1, TRUE);
}

static void
test_all_multipliers_and_slice_order (void **state)
{
  Fx *fx = *state;
  plan (fx, "m.json", "m", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 60},"
        "{\"id\": \"high_margin\", \"factor\": \"1.2\", \"min_margin_rate\": \"0.35\"},"
        "{\"id\": \"new_customer\", \"factor\": \"1.3\", \"lookback_days\": 0}",
        NULL, "");
  data (fx, "reps.csv", H_REPS "RB,b,T1,,m\nRA,a,T1,,m\n");
  data (fx, "orders.csv", H_ORDERS
        "O1,C1,RA,2026-01-10,paid\n"
        "Q-0,C2,RA,2026-01-09,paid\nQ-2,C2,RA,2026-01-10,paid\nQ-1,C2,RA,2026-01-10,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,9,P1,1,100,50\n"     /* margin 0.5 → high margin */
        "O1,10,P1,1,100,90\n"    /* margin 0.1 */
        "Q-0,1,P1,1,100,100\nQ-1,1,P1,1,100,100\nQ-2,1,P1,1,100,100\n");
  data (fx, "splits.csv", H_SPLITS "O1,RB,0.5\nO1,RA,0.5\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "Y2,Q-1,2026-02-01,100\nY1,Q-2,2026-02-01,100\nX1,O1,2026-02-01,200\n");
  data (fx, "quotas.csv", H_QUOTAS "RA,2026-02,1000\nRB,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "");
  /* X1 (22 days ≤ 60, first order of C1): N = 200; each line 100, each rep 50.
   * line 9: 1.3 × 1.2 × 1.1 = 1.716 → 50 × 1.716 = 85.8
   * line 10: 1.3 × 1.1 = 1.43 → 71.5; ids in the order new_customer,
   * high_margin, fast_collection whatever the plan's order */
  assert_slice (res, "X1", "9", "RA", "50", "new_customer+high_margin+fast_collection", "1.716", "85.8");
  assert_slice (res, "X1", "9", "RB", "50", "new_customer+high_margin+fast_collection", "1.716", "85.8");
  assert_slice (res, "X1", "10", "RA", "50", "new_customer+fast_collection", "1.43", "71.5");
  /* lookback 0: Q-0 (a day earlier) is outside; Q-1 < Q-2 on the same day:
   * Q-2 returning (1.1 → 110), Q-1 new (1.43 → 143) */
  assert_slice (res, "Y1", "1", "RA", "100", "fast_collection", "1.1", "110");
  assert_slice (res, "Y2", "1", "RA", "100", "new_customer+fast_collection", "1.43", "143");
  /* credits.csv order (receipt_id, line_no, rep_id) bytewise: X1/10/RA,
   * X1/10/RB, X1/9/RA, X1/9/RB, Y1/1/RA, Y2/1/RA */
  static const char *const order[][3] = { { "X1", "10", "RA" }, { "X1", "10", "RB" },
                                          { "X1", "9", "RA" },  { "X1", "9", "RB" },
                                          { "Y1", "1", "RA" },  { "Y2", "1", "RA" } };
  assert_int_equal (res->slices->len, 6);
  for (guint i = 0; i < 6; i++)
    {
      const QtSlice *s = &g_array_index (res->slices, QtSlice, i);
      assert_string_equal (res->ds->receipts[s->receipt].receipt_id, order[i][0]);
      assert_string_equal (res->ds->lines[s->line].line_no, order[i][1]);
      assert_string_equal (res->ds->reps[s->rep].rep_id, order[i][2]);
    }
  /* W_RA = 85.8 + 71.5 + 110 + 143 = 410.3; W_RB = 85.8 + 71.5 = 157.3 */
  assert_q (rep (res, "RA")->weighted, "410.3");
  assert_q (rep (res, "RB")->weighted, "157.3");
}

static void
test_fast_collection_prepayment (void **state)
{
  Fx *fx = *state;
  plan (fx, "f.json", "f", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 30}", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,f\n");
  data (fx, "orders.csv", H_ORDERS
        "O1,C1,R1,2026-02-20,paid\nO2,C1,R1,2026-01-15,paid\nO3,C1,R1,2026-01-14,paid\n"
        "O4,C1,R1,2026-01-01,paid\nO5,C1,R1,2026-01-02,paid\nO6,C1,R1,2026-12-31,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,1,100,0\nO2,1,P1,1,100,0\nO3,1,P1,1,100,0\nO4,1,P1,1,100,0\n"
        "O5,1,P1,1,100,0\nO6,1,P1,1,100,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "X1,O1,2026-02-10,100\n"  /* −10 days (prepayment) ≤ 30 → 110 */
        "X2,O2,2026-02-14,100\n"  /* 30 days ≤ 30 (inclusive) → 110 */
        "X3,O3,2026-02-14,100\n"  /* 31 days → 100 */
        "X4,O4,2026-02-01,0\n"    /* zero: own date, 31 days → 0, weight 1 */
        "X5,O5,2026-02-01,0\n"    /* zero: own date, 30 days → 0, weight 1.1 */
        "X6,O6,2026-02-01,10\n"); /* −333 days → 11 */
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  /* a zero receipt is not a refund: no REFUND_WITHOUT_PAYMENT */
  assert_exceptions (res, "");
  assert_slice (res, "X1", "1", "R1", "100", "fast_collection", "1.1", "110");
  assert_slice (res, "X2", "1", "R1", "100", "fast_collection", "1.1", "110");
  assert_slice (res, "X3", "1", "R1", "100", "", "1", "100");
  assert_slice (res, "X4", "1", "R1", "0", "", "1", "0");
  assert_slice (res, "X5", "1", "R1", "0", "fast_collection", "1.1", "0");
  assert_slice (res, "X6", "1", "R1", "10", "fast_collection", "1.1", "11");
  /* W = 110 + 110 + 100 + 0 + 0 + 11 = 331; C = 310 */
  assert_q (rep (res, "R1")->weighted, "331");
  assert_q (rep (res, "R1")->credit, "310");
}

static void
test_refunds (void **state)
{
  Fx *fx = *state;
  plan (fx, "f.json", "f", 1, DEFAULT_FROM, NULL, PAID,
        "{\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 30}", NULL, "");
  plan (fx, "n.json", "n", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,f\nR2,Bob,T1,,n\n");
  data (fx, "orders.csv", H_ORDERS
        "O1,C1,R1,2026-01-01,paid\nO2,C1,R1,2026-02-01,paid\nO3,C1,R1,2026-01-01,paid\n"
        "O5,C1,R2,2026-01-01,paid\nO6,C1,R2,2026-01-01,paid\nO7,C1,R2,2026-01-01,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,1,100,0\nO2,1,P1,1,100,0\nO3,1,P1,1,100,0\nO5,1,P1,1,100,0\n"
        "O6,1,P1,1,100,0\nO7,1,P1,1,100,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "P-B,O1,2026-01-20,100\n"   /* line 2 */
        "P-A,O1,2026-01-20,50\n"    /* line 3: ties P-B on date, P-A < P-B */
        "N1,O1,2026-02-10,-30\n"    /* line 4 */
        "Q1,O2,2026-04-15,100\n"    /* line 5: after P */
        "N2,O2,2026-02-03,-20\n"    /* line 6 */
        "A9,O3,2026-02-20,100\n"    /* line 7 */
        "B1,O3,2026-01-25,100\n"    /* line 8 */
        "C1,O3,2026-02-21,-10\n"    /* line 9 */
        "N5,O5,2026-02-05,-10\n"    /* line 10: no positive receipt */
        "Z0,O6,2026-01-05,0\n"      /* line 11: zero is not positive */
        "N6,O6,2026-02-05,-5\n"     /* line 12 */
        "P7,O7,2026-03-01,100\n"    /* line 13: positive, after P */
        "N7,O7,2026-02-05,-5\n");   /* line 14 */
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\nR2,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");

  /* N1: earliest positive of O1 is P-A/P-B on 01-20: 19 days ≤ 30
   * → fast: −30 × 1.1 = −33 (its own date, 40 days, would not be) */
  assert_slice (res, "N1", "1", "R1", "-30", "fast_collection", "1.1", "-33");
  /* N2: O2's only positive receipt Q1 is after P (04-15): 73 days → not
   * fast: −20 (its own date, 2 days, would be) */
  assert_slice (res, "N2", "1", "R1", "-20", "", "1", "-20");
  /* A9: 50 days → 100 */
  assert_slice (res, "A9", "1", "R1", "100", "", "1", "100");
  /* C1: earliest positive of O3 by received_on is B1 (01-25, 24 days),
   * not A9 (smaller id but later): fast → −10 × 1.1 = −11 */
  assert_slice (res, "C1", "1", "R1", "-10", "fast_collection", "1.1", "-11");
  /* N7: O7 has a positive receipt (after P): credited −5 (plan n has no
   * multipliers) */
  assert_slice (res, "N7", "1", "R2", "-5", "", "1", "-5");

  /* REFUND_WITHOUT_PAYMENT on plan n (no fast_collection at all): N5 (no
   * receipt at all), N6 (only a zero receipt, which is not positive). */
  assert_exceptions (res, "receipts.csv:10:REFUND_WITHOUT_PAYMENT\n"
                          "receipts.csv:12:REFUND_WITHOUT_PAYMENT\n");
  /* W_R1 = −33 − 20 + 100 − 11 = 36; C_R1 = −30 − 20 + 100 − 10 = 40 */
  assert_q (rep (res, "R1")->weighted, "36");
  assert_q (rep (res, "R1")->credit, "40");
  /* W_R2 = −5 → clawback 0.1 × −5 = −0.5 */
  assert_q (rep (res, "R2")->weighted, "-5");
  assert_q (rep (res, "R2")->commission, "-0.5");
  assert_true (rep (res, "R2")->clawback);
  /* in P: N1 N2 A9 C1 N5 N6 N7 = 7 receipts, −30 −20 +100 −10 −10 −5 −5 = 20;
   * credited 5 (−30 −20 +100 −10 −5 = 35), excepted 2 (−15) */
  assert_int_equal (res->receipts_in_period, 7);
  assert_int_equal (res->receipts_credited, 5);
  assert_int_equal (res->receipts_excepted, 2);
  assert_q (res->amount_in_period, "20");
  assert_q (res->amount_credited, "35");
  assert_q (res->amount_excepted, "-15");
}

/* ---- §12.4 receipt exceptions and their order ----------------------------- */

static void
test_receipt_exception_precedence (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,p\nR2,Bob,T1,,p\n");
  data (fx, "orders.csv", H_ORDERS
        "O-UR,C1,GHOST,2026-01-10,draft\n"  /* unknown owner, bad split, draft, no lines */
        "O-SR,C1,R1,2026-01-10,paid\n"      /* split names GHOST2, sum 0.7 */
        "O-SS,C1,R1,2026-01-10,draft\n"     /* split sum 0.9, draft, no lines */
        "O-IS,C1,R1,2026-01-10,draft\n"     /* draft, no lines */
        "O-NL,C1,R1,2026-01-10,paid\n"      /* no lines */
        "O-NN,C1,R1,2026-01-10,paid\n"      /* net −5 */
        "O-NZ,C1,R1,2026-01-10,paid\n"      /* net 10 − 10 = 0 */
        "O-RW,C1,R1,2026-01-10,paid\n"      /* refund, no payment */
        "O-OK,C1,R1,2026-01-10,paid\n"
        "O-UR2,C1,GHOST,2026-01-10,paid\n"); /* only a January receipt */
  data (fx, "order_lines.csv", H_LINES
        "O-SR,1,P1,1,100,0\nO-NN,1,P1,1,-5,0\nO-NZ,1,P1,1,10,0\nO-NZ,2,P1,-1,10,0\n"
        "O-RW,1,P1,1,100,0\nO-OK,1,P1,1,100,0\nO-UR2,1,P1,1,100,0\n");
  data (fx, "splits.csv", H_SPLITS
        "O-UR,R1,0.5\nO-SR,R1,0.5\nO-SR,GHOST2,0.2\nO-SS,R1,0.5\nO-SS,R2,0.4\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "X1,NOPE,2026-02-01,10\n"    /* 2 */
        "X2,O-UR,2026-02-01,20\n"    /* 3 */
        "X3,O-SR,2026-02-01,30\n"    /* 4 */
        "X4,O-SS,2026-02-01,40\n"    /* 5 */
        "X5,O-IS,2026-02-01,50\n"    /* 6 */
        "X6,O-NL,2026-02-01,60\n"    /* 7 */
        "X7,O-NN,2026-02-01,-7\n"    /* 8 */
        "X8,O-NZ,2026-02-01,80\n"    /* 9 */
        "X9,O-RW,2026-02-01,-10\n"   /* 10 */
        "X10,O-OK,2026-02-01,100\n"  /* 11 */
        "X11,O-IS,2026-02-28,11\n"   /* 12 */
        "J1,O-UR,2026-01-15,20\n"    /* 13 */
        "J2,O-UR2,2026-01-15,20\n"); /* 14 */
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  /* First code that applies, in the order UNKNOWN_ORDER, UNKNOWN_REP (owner,
   * then split reps), SPLIT_SUM, INELIGIBLE_STATUS, NET_NOT_POSITIVE,
   * REFUND_WITHOUT_PAYMENT; once per blocked receipt of P (O-IS twice);
   * O-UR2 blocks no receipt of P: not listed. */
  assert_exceptions (res,
                     "receipts.csv:2:UNKNOWN_ORDER\n"
                     "receipts.csv:3:UNKNOWN_REP\n"
                     "receipts.csv:4:UNKNOWN_REP\n"
                     "receipts.csv:5:SPLIT_SUM\n"
                     "receipts.csv:6:INELIGIBLE_STATUS\n"
                     "receipts.csv:7:NET_NOT_POSITIVE\n"
                     "receipts.csv:8:NET_NOT_POSITIVE\n"
                     "receipts.csv:9:NET_NOT_POSITIVE\n"
                     "receipts.csv:10:REFUND_WITHOUT_PAYMENT\n"
                     "receipts.csv:12:INELIGIBLE_STATUS\n");
  /* X2: the owner is the unknown rep; X3: the owner is known, the split
   * rep GHOST2 is not. */
  assert_non_null (strstr (exception_at (res, "receipts.csv", 3)->message, "GHOST"));
  assert_non_null (strstr (exception_at (res, "receipts.csv", 4)->message, "GHOST2"));
  /* Each message names what the receipt holds back: the receipt, its
   * amount and the reps it would have paid (the split's, sorted), and
   * its reason alone is the message's first part. */
  const QtException *x = exception_at (res, "receipts.csv", 4);
  assert_string_equal (x->message, "split of order 'O-SR' names unknown rep 'GHOST2'; receipt 'X3' "
                                   "of 30.00 is not credited to reps 'GHOST2', 'R1'");
  assert_int_equal (x->reason_len, strlen ("split of order 'O-SR' names unknown rep 'GHOST2'"));
  assert_string_equal (exception_at (res, "receipts.csv", 2)->message,
                       "order 'NOPE' does not exist; receipt 'X1' of 10.00 is not credited");
  assert_string_equal (exception_at (res, "receipts.csv", 8)->message,
                       "order 'O-NN' has net -5, not positive; receipt 'X7' of -7.00 is not "
                       "credited to rep 'R1'");
  /* control totals: 11 receipts in P, 10+20+30+40+50+60−7+80−10+100+11 = 384;
   * credited X10: 1, 100; excepted 10, 284 */
  assert_int_equal (res->receipts_in_period, 11);
  assert_int_equal (res->receipts_credited, 1);
  assert_int_equal (res->receipts_excepted, 10);
  assert_q (res->amount_in_period, "384");
  assert_q (res->amount_credited, "100");
  assert_q (res->amount_excepted, "284");
  assert_q (rep (res, "R1")->weighted, "100");
  assert_int_equal (res->slices->len, 1);

  /* January: J1 (owner GHOST) and J2 (owner GHOST) only. */
  res = run (fx, "2026-01");
  assert_exceptions (res, "receipts.csv:13:UNKNOWN_REP\nreceipts.csv:14:UNKNOWN_REP\n");
  assert_int_equal (res->receipts_in_period, 2);
  assert_q (res->amount_excepted, "40");
}

/* ---- §12.3 plan of the receiving rep ------------------------------------ */

static void
test_plan_of_receiving_rep (void **state)
{
  Fx *fx = *state;
  /* a v1 (to 2026-01-31): paid, no multipliers; a v2 (from 2026-02-01):
   * paid, high_margin 1.2 at 0.2.  b: signed only, high_margin 1.5 at 0.3,
   * fast_collection 2 within 100 days. */
  plan (fx, "a1.json", "a", 1, DEFAULT_FROM, "2026-01-31", PAID, "", NULL, "");
  plan (fx, "a2.json", "a", 2, "2026-02-01", NULL, PAID,
        "{\"id\": \"high_margin\", \"factor\": \"1.2\", \"min_margin_rate\": \"0.2\"}", NULL, "");
  plan (fx, "b.json", "b", 1, DEFAULT_FROM, NULL, "\"signed\"",
        "{\"id\": \"high_margin\", \"factor\": \"1.5\", \"min_margin_rate\": \"0.3\"},"
        "{\"id\": \"fast_collection\", \"factor\": \"2\", \"max_days\": 100}",
        NULL, "");
  data (fx, "reps.csv", H_REPS "R1,Ann,T1,,a\nR2,Bob,T1,,b\n");
  data (fx, "orders.csv", H_ORDERS "O1,C1,R1,2026-01-15,paid\nO2,C1,R2,2026-01-15,paid\n");
  /* margin (100 − 75)/100 = 0.25 */
  data (fx, "order_lines.csv", H_LINES "O1,1,P1,1,100,75\nO2,1,P1,1,100,75\n");
  data (fx, "splits.csv", H_SPLITS "O1,R1,0.5\nO1,R2,0.5\nO2,R1,0.5\nO2,R2,0.5\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "X1,O1,2026-02-10,200\n"   /* line 2 */
        "X2,O2,2026-02-11,50\n"    /* line 3 */
        "X0,O1,2026-01-20,100\n"); /* line 4 */
  data (fx, "quotas.csv", H_QUOTAS
        "R1,2026-01,1000\nR2,2026-01,1000\nR1,2026-02,1000\nR2,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  /* X1: eligibility by the owner R1 (plan a v2: paid) → credited, although
   * R2's plan b would not accept `paid`.
   * R1: 100 under a v2 (the receipt's month, not the signing month, when
   *     a v1 had no multiplier): 0.25 ≥ 0.2 → 100 × 1.2 = 120
   * R2: 100 under b: 0.25 < 0.3 no; 26 days ≤ 100 → 100 × 2 = 200 */
  assert_slice (res, "X1", "1", "R1", "100", "high_margin", "1.2", "120");
  assert_slice (res, "X1", "1", "R2", "100", "fast_collection", "2", "200");
  assert_int_equal (slice (res, "X1", "1", "R1")->plan->version, 2);
  assert_string_equal (slice (res, "X1", "1", "R2")->plan->plan, "b");
  /* X2: owner R2 (plan b: signed only) → INELIGIBLE_STATUS, although R1's
   * plan accepts `paid`. */
  assert_exceptions (res, "receipts.csv:3:INELIGIBLE_STATUS\n");
  assert_q (rep (res, "R1")->weighted, "120");
  assert_q (rep (res, "R2")->weighted, "200");

  /* January: R1 under a v1 (no multipliers): 50; R2 under b: 5 days → ×2 = 100 */
  res = run (fx, "2026-01");
  assert_slice (res, "X0", "1", "R1", "50", "", "1", "50");
  assert_slice (res, "X0", "1", "R2", "50", "fast_collection", "2", "100");
  assert_int_equal (slice (res, "X0", "1", "R1")->plan->version, 1);
  assert_exceptions (res, "");
}

/* ---- §12.6 quota ---------------------------------------------------------- */

static void
test_no_quota_bad_quota (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS
        "R1,a,T1,,p\n"   /* 2 */
        "R2,b,T1,,p\n"   /* 3 */
        "R3,c,T1,,p\n"   /* 4 */
        "R4,d,T1,,p\n"   /* 5 */
        "R5,e,T1,,p\n"); /* 6 */
  data (fx, "orders.csv", H_ORDERS
        "O1,C1,R1,2026-01-01,paid\nO2,C1,R2,2026-01-01,paid\n"
        "O4,C1,R4,2026-01-01,paid\nO5,C1,R5,2026-01-01,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,1,100,0\nO2,1,P1,1,100,0\nO4,1,P1,1,100,0\nO5,1,P1,1,100,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "A1,O1,2026-01-10,100\n"
        "A2,O1,2026-02-10,-100\n"   /* R1: −100 in Feb */
        "A3,O2,2026-02-10,50\n"     /* R2: 50 */
        "A4,O5,2026-02-10,10\n"
        "A5,O5,2026-02-11,-10\n"    /* R5: 10 − 10 = 0 */
        "A6,O4,2026-01-10,70\n");   /* R4: January only */
  data (fx, "quotas.csv", H_QUOTAS
        "R2,2026-02,0\n"      /* 2: BAD_QUOTA in Feb */
        "R3,2026-02,-5\n"     /* 3: BAD_QUOTA in Feb */
        "R4,2026-01,0\n"      /* 4: BAD_QUOTA in Jan only */
        "R4,2026-02,100\n");  /* 5 */
  data (fx, "adjustments.csv", H_ADJUSTMENTS "J1,R1,2026-02,5,manual\n");
  QtRunResult *res = run (fx, "2026-02");
  /* NO_QUOTA at the rep's reps.csv line for R1 (credits −100 ≤ 0), R2 (its
   * quota 0 is no quota), R5 (credits sum to 0); not R3 (no credits) nor
   * R4 (valid quota). */
  assert_exceptions (res,
                     "quotas.csv:2:BAD_QUOTA\n"
                     "quotas.csv:3:BAD_QUOTA\n"
                     "reps.csv:2:NO_QUOTA\n"
                     "reps.csv:3:NO_QUOTA\n"
                     "reps.csv:6:NO_QUOTA\n");
  QtRepResult *r1 = rep (res, "R1");
  assert_true (r1->no_quota);
  assert_false (r1->has_quota);
  assert_q (r1->weighted, "-100");
  /* no commission (not even the clawback), attainment 0; adjustments still paid */
  assert_q (r1->commission, "0");
  assert_q (r1->attainment, "0");
  assert_q (r1->r_adjustments, "5");
  assert_q (r1->r_total, "5");
  assert_true (rep (res, "R2")->no_quota);
  assert_q (rep (res, "R2")->commission, "0");
  assert_true (rep (res, "R5")->no_quota);
  assert_int_equal (rep (res, "R5")->n_slices, 2);
  assert_false (rep (res, "R3")->no_quota);
  assert_false (rep (res, "R4")->no_quota);
  assert_true (rep (res, "R4")->has_quota);

  /* January: R4's quota 0 → BAD_QUOTA, and R4 (70) and R1 (100) have
   * credits without quota. */
  res = run (fx, "2026-01");
  assert_exceptions (res,
                     "quotas.csv:4:BAD_QUOTA\n"
                     "reps.csv:2:NO_QUOTA\n"
                     "reps.csv:5:NO_QUOTA\n");
}

/* ---- §4.6 / §12.6.4 override ----------------------------------------------- */

static void
test_override (void **state)
{
  Fx *fx = *state;
  /* p: one tier 0.1, cap 50, override 0.5.  q: one tier 0.1, no override. */
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "",
        "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.1\"}], \"cap\": \"50\"}",
        ", \"override\": {\"rate\": \"0.5\"}");
  plan (fx, "q.json", "q", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS
        "TOP,t,T0,,p\n"   /* 2 */
        "M,m,T1,TOP,p\n"  /* 3 */
        "A,a,T1,M,p\n"    /* 4 */
        "B,b,T1,M,p\n"    /* 5 */
        "C,c,T1,M,p\n"    /* 6 */
        "D,d,T1,M,p\n"    /* 7 */
        "N,n,T2,TOP,q\n"  /* 8 */
        "G,g,T2,N,p\n");  /* 9 */
  data (fx, "orders.csv", H_ORDERS
        "OA,C1,A,2026-01-01,paid\nOB,C1,B,2026-01-01,paid\nOC,C1,C,2026-01-01,paid\n"
        "OD,C1,D,2026-01-01,paid\nOG,C1,G,2026-01-01,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "OA,1,P1,1,100,0\nOB,1,P1,1,100,0\nOC,1,P1,1,100,0\nOD,1,P1,1,100,0\nOG,1,P1,1,100,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "RA,OA,2026-02-05,1.25\nRB,OB,2026-02-05,1000\nRC0,OC,2026-01-05,10\n"
        "RC,OC,2026-02-05,-3.35\nRD,OD,2026-02-05,100\nRG,OG,2026-02-05,10\n");
  data (fx, "quotas.csv", H_QUOTAS
        "A,2026-02,1000\nB,2026-02,1000\nC,2026-02,1000\nG,2026-02,1000\n");
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "reps.csv:7:NO_QUOTA\n");
  /* A: 0.1 × 1.25 = 0.125 → 0.12 (half-even) */
  assert_q (rep (res, "A")->commission, "0.125");
  assert_q (rep (res, "A")->r_commission, "0.12");
  /* B: 0.1 × 1000 = 100 → cap 50 */
  assert_q (rep (res, "B")->commission, "50");
  /* C: clawback 0.1 × −3.35 = −0.335 → −0.34 (half-even on the magnitude) */
  assert_q (rep (res, "C")->commission, "-0.335");
  assert_q (rep (res, "C")->r_commission, "-0.34");
  /* D: no quota → 0 */
  assert_q (rep (res, "D")->commission, "0");
  /* M (no quota, no credits): base = 0.125 + 50 − 0.335 + 0 = 49.79 (exact,
   * not 0.12 + 50 − 0.34 = 49.78); override 0.5 × 49.79 = 24.895 → 24.90 */
  QtRepResult *m = rep (res, "M");
  assert_int_equal (m->n_reports, 4);
  assert_q (m->override_base, "49.79");
  assert_q (m->override_amount, "24.895");
  assert_q (m->r_override, "24.9");
  assert_q (m->r_commission, "0");
  assert_q (m->r_total, "24.9");
  assert_false (m->no_quota);
  /* TOP: one level only: base = M's commission 0 + N's 0 = 0 */
  assert_q (rep (res, "TOP")->override_base, "0");
  assert_q (rep (res, "TOP")->r_override, "0");
  /* N (plan q, no override section): base 0.1 × 10 = 1, override 0 */
  assert_q (rep (res, "N")->override_base, "1");
  assert_q (rep (res, "N")->override_amount, "0");
  /* Σ totals = 0.12 + 50 − 0.34 + 0 + 1 + 24.9 + 0 + 0 = 75.68 */
  assert_q (res->sum_totals, "75.68");
}

/* ---- §4.7 / §12.7 quarterly sprint ---------------------------------------- */

static void
test_sprint (void **state)
{
  Fx *fx = *state;
  /* s v1 (January): paid, no multipliers, sprint 5 → 99 (never used: the
   * bonus terms come from P's version).
   * s v2 (from February): paid, high_margin ×2 at 0; sprints: q1 1.0 → 1000,
   * q2 and q3 1.0 → 0.125 each (rounded on their own), q4 1.01 → 7.
   * late (from February): paid; sprint 1 → 700. */
  plan (fx, "s1.json", "s", 1, "2026-01-01", "2026-01-31", PAID, "", NULL,
        ", \"bonuses\": [{\"id\": \"q\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"5\","
        " \"amount\": \"99\"}]");
  plan (fx, "s2.json", "s", 2, "2026-02-01", NULL, PAID,
        "{\"id\": \"high_margin\", \"factor\": \"2\", \"min_margin_rate\": \"0\"}", NULL,
        ", \"bonuses\": ["
        "{\"id\": \"q1\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1.0\", \"amount\": \"1000\"},"
        "{\"id\": \"q2\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1.0\", \"amount\": \"0.125\"},"
        "{\"id\": \"q3\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1\", \"amount\": \"0.125\"},"
        "{\"id\": \"q4\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1.01\", \"amount\": \"7\"}]");
  plan (fx, "late.json", "late", 1, "2026-02-01", NULL, PAID, "", NULL,
        ", \"bonuses\": [{\"id\": \"ql\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1\","
        " \"amount\": \"700\"}]");
  data (fx, "reps.csv", H_REPS "R1,a,T1,,s\nR2,b,T1,,s\nR3,c,T1,,s\nR4,d,T1,,late\n");
  data (fx, "orders.csv", H_ORDERS
        "O1,C1,R1,2026-01-01,paid\nO2,C1,R1,2026-01-01,draft\nO3,C1,R2,2026-01-01,paid\n"
        "O4,C1,R4,2026-01-01,paid\nO5,C1,R3,2026-01-01,paid\nO6,C1,R1,2026-01-01,paid\n"
        "O7,C1,R2,2026-01-01,paid\n");
  data (fx, "order_lines.csv", H_LINES
        "O1,1,P1,1,100,0\nO2,1,P1,1,100,0\nO3,1,P1,1,100,0\nO4,1,P1,1,100,0\n"
        "O5,1,P1,1,100,0\nO6,1,P1,1,100,0\nO7,1,P1,1,100,0\n");
  data (fx, "splits.csv", H_SPLITS "O7,R2,0.5\nO7,R4,0.5\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "J1,O1,2026-01-10,100\n"   /* 2: R1 Jan, v1: 100 */
        "J2,O2,2026-01-11,500\n"   /* 3: draft → excepted in January, left out */
        "F1,O1,2026-02-10,50\n"    /* 4: R1 Feb, v2 ×2: 100 */
        "F2,O6,2026-02-11,-30\n"   /* 5: refund without payment → excepted in Feb */
        "M1,O1,2026-03-10,25\n"    /* 6: R1 Mar, ×2: 50 */
        "K1,O3,2026-01-12,100\n"   /* 7: R2 Jan: 100 */
        "L1,O5,2026-01-13,40\n"    /* 8: R3 Jan: 40 */
        "Z1,O4,2026-01-14,100\n"   /* 9: owner R4 has no version in Jan → not credited */
        "Z2,O4,2026-02-14,100\n"   /* 10: R4 Feb: 100 */
        "Z3,O4,2026-03-14,100\n"   /* 11: R4 Mar: 100 */
        "J3,O7,2026-01-20,200\n"); /* 12: R2 100 (Jan); R4's half: no version → dropped */
  data (fx, "quotas.csv", H_QUOTAS
        "R1,2026-01,100\n"   /* 2 */
        "R1,2026-03,150\n"   /* 3 (no Feb quota for R1) */
        "R2,2026-01,100\n"   /* 4 */
        "R2,2026-02,-5\n"    /* 5: bad → adds 0 */
        "R4,2026-02,100\n"   /* 6 */
        "R4,2026-03,100\n"); /* 7 */
  QtRunResult *res = run (fx, "2026-03");
  /* March: M1 and Z3 credited; the January and February exceptions (J2, F2,
   * R2's bad February quota, R1's February NO_QUOTA) are not March's. */
  assert_exceptions (res, "");
  assert_int_equal (res->receipts_in_period, 2);

  /* R1: W = 100 (Jan, v1) + 100 (Feb, 50 × 2) + 50 (Mar, 25 × 2) = 250;
   * quota = 100 + 0 (none) + 150 = 250; 250/250 = 1 ≥ 1.0 → q1 1000,
   * q2 0.125 → 0.12, q3 0.125 → 0.12, q4 (1.01) no: 1000.24 (not 1000.25) */
  QtRepResult *r1 = rep (res, "R1");
  assert_true (r1->quarter_end);
  assert_q (r1->months[0].w, "100");
  assert_q (r1->months[1].w, "100");
  assert_q (r1->months[2].w, "50");
  assert_false (r1->months[1].has_quota);
  assert_q (r1->sprint_w, "250");
  assert_q (r1->sprint_quota, "250");
  assert_int_equal (r1->n_bonuses, 4);
  assert_true (r1->bonuses[0].paid);
  assert_q (r1->bonuses[1].rounded, "0.12");
  assert_q (r1->bonuses[2].rounded, "0.12");
  assert_false (r1->bonuses[3].paid);
  assert_q (r1->r_sprint, "1000.24");
  /* commission: 0.1 × 50 = 5; total 1005.24 */
  assert_q (r1->r_commission, "5");
  assert_q (r1->r_total, "1005.24");

  /* R2: W = 100 + 100 (J3 half) = 200 in Jan, 0, 0; quota 100 + 0 (−5) + 0
   * = 100; 2 ≥ 1.01 → all four: 1000 + 0.12 + 0.12 + 7 = 1007.24, without a
   * quota in P. */
  QtRepResult *r2 = rep (res, "R2");
  assert_q (r2->months[0].w, "200");
  assert_q (r2->sprint_quota, "100");
  assert_q (r2->r_sprint, "1007.24");
  assert_false (r2->no_quota);
  /* R3: W 40, Σ quota = 0 → no bonus */
  QtRepResult *r3 = rep (res, "R3");
  assert_q (r3->sprint_w, "40");
  assert_q (r3->sprint_quota, "0");
  assert_false (r3->bonuses[0].paid);
  assert_q (r3->r_sprint, "0");
  /* R4: January adds 0 (no version): 0 + 100 + 100 = 200; quota 0 + 100 +
   * 100 = 200 → 1 ≥ 1 → 700 */
  QtRepResult *r4 = rep (res, "R4");
  assert_q (r4->months[0].w, "0");
  assert_q (r4->sprint_w, "200");
  assert_q (r4->sprint_quota, "200");
  assert_q (r4->r_sprint, "700");

  /* February is not a quarter end: no sprint bonus. */
  res = run (fx, "2026-02");
  r1 = rep (res, "R1");
  assert_false (r1->quarter_end);
  assert_false (r1->bonuses[0].paid);
  assert_q (r1->r_sprint, "0");
  assert_q (rep (res, "R4")->r_sprint, "0");
  assert_exceptions (res,
                     "quotas.csv:5:BAD_QUOTA\n"
                     "receipts.csv:5:REFUND_WITHOUT_PAYMENT\n"
                     "reps.csv:2:NO_QUOTA\n");

  /* June closes Q2 (April, May, June: no data, Σ quota 0 → no bonus);
   * April does not. */
  res = run (fx, "2026-06");
  r1 = rep (res, "R1");
  assert_true (r1->quarter_end);
  char buf[8];
  assert_string_equal (qt_period_format (r1->months[0].period, buf), "2026-04");
  assert_string_equal (qt_period_format (r1->months[2].period, buf), "2026-06");
  assert_q (r1->sprint_w, "0");
  assert_q (r1->r_sprint, "0");
  res = run (fx, "2026-04");
  assert_false (rep (res, "R1")->quarter_end);
}

/* ---- §4.8 / §12.8 score bonus, §4.9 adjustments, ranks ------------------- */

#define SCORE_PLAN                                                                           \
  ", \"score\": {\"process_weight\": \"0.4\", \"result_weight\": \"0.6\",\n"                 \
  "  \"process\": [{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"0.5\", \"cap\": \"1.2\"},\n" \
  "               {\"metric\": \"demos\", \"target\": \"0.8\", \"weight\": \"0.5\"}],\n"    \
  "  \"result\": [{\"measure\": \"attainment\", \"weight\": \"0.7\", \"cap\": \"1.5\"},\n"  \
  "              {\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"0.3\", \"cap\": \"1.2\"}]},\n" \
  " \"bonuses\": [\n"                                                                        \
  "  {\"id\": \"sb1\", \"kind\": \"score\", \"target_amount\": \"3000\", \"min_score\": \"60\"},\n" \
  "  {\"id\": \"sb2\", \"kind\": \"score\", \"target_amount\": \"0.075\", \"min_score\": \"60\"},\n" \
  "  {\"id\": \"sb3\", \"kind\": \"score\", \"target_amount\": \"0.075\", \"min_score\": \"60\"}]"

static void
test_score_bonus_adjustments_ranks (void **state)
{
  Fx *fx = *state;
  plan (fx, "sc.json", "sc", 1, DEFAULT_FROM, NULL, PAID, "",
        "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.01\"}]}", SCORE_PLAN);
  plan (fx, "ns.json", "ns", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS
        "S9,a,T1,,sc\nS2,b,T1,,sc\nS10,c,T1,,sc\nS4,d,T2,,sc\nS5,e,T2,,ns\nS6,f,T2,,sc\n");
  data (fx, "orders.csv", H_ORDERS
        "O9,C1,S9,2026-01-01,paid\nO2,C1,S2,2026-01-01,paid\nO10,C1,S10,2026-01-01,paid\n");
  data (fx, "order_lines.csv", H_LINES "O9,1,P1,1,600,0\nO2,1,P1,1,600,0\nO10,1,P1,1,600,0\n");
  data (fx, "receipts.csv", H_RECEIPTS
        "X9,O9,2026-02-05,600\nX2,O2,2026-02-05,600\nX10,O10,2026-02-05,600\n");
  data (fx, "quotas.csv", H_QUOTAS "S9,2026-02,1000\nS2,2026-02,1000\nS10,2026-02,1000\n");
  data (fx, "activities.csv", H_ACTIVITIES
        "S9,2026-02,visits,24\nS9,2026-02,demos,0.48\nS9,2026-02,nps,36\n"
        "S10,2026-02,visits,24\nS10,2026-02,demos,0.48\nS10,2026-02,nps,36\n"
        "S2,2026-02,visits,24\nS2,2026-02,demos,0.48\nS2,2026-02,nps,35.99\n"
        "S6,2026-02,visits,40\nS6,2026-02,demos,0.8\n"
        "S9,2026-01,nps,60\n");
  data (fx, "adjustments.csv", H_ADJUSTMENTS
        "J1,S9,2026-02,0.125,a\n"    /* 2 */
        "J2,S9,2026-02,0.125,b\n"    /* 3 */
        "J3,S10,2026-02,10.005,c\n"  /* 4 */
        "J4,S10,2026-02,10.005,d\n"  /* 5 */
        "J5,GHOST,2026-02,1,e\n"     /* 6: UNKNOWN_REP */
        "J6,S9,2026-01,100,f\n"      /* 7: other period */
        "J7,S2,2026-02,-0.125,g\n"); /* 8 */
  QtRunResult *res = run (fx, "2026-02");
  assert_exceptions (res, "adjustments.csv:6:UNKNOWN_REP\n");

  /* S9, S10: A = 600/1000 = 0.6; visits 24/40 = 0.6; demos 0.48/0.8 = 0.6;
   * nps 36/60 = 0.6.  process = 0.5×0.6 + 0.5×0.6 = 0.6; result = 0.7×0.6 +
   * 0.3×0.6 = 0.6; total = 100 × (0.4×0.6 + 0.6×0.6) = 60 = min_score → paid:
   * sb1 3000 × 60/100 = 1800; sb2, sb3 0.075 × 0.6 = 0.045 → 0.04 each
   * (half-even, rounded on its own): r_score = 1800.08 */
  QtRepResult *s9 = rep (res, "S9");
  assert_q (s9->total, "60");
  assert_true (s9->bonuses[0].paid);
  assert_q (s9->bonuses[0].exact, "1800");
  assert_q (s9->bonuses[1].exact, "0.045");
  assert_q (s9->bonuses[1].rounded, "0.04");
  assert_q (s9->r_score, "1800.08");
  /* adjustments 0.125 → 0.12, twice: 0.24 (not 0.25) */
  assert_int_equal (s9->n_adjustments, 2);
  assert_q (s9->r_adjustments, "0.24");
  /* commission 0.01 × 600 = 6; total 6 + 1800.08 + 0.24 = 1806.32 */
  assert_q (s9->r_commission, "6");
  assert_q (s9->r_total, "1806.32");
  /* S10: 10.005 → 10.00 twice = 20; total 6 + 1800.08 + 20 = 1826.08 */
  QtRepResult *s10 = rep (res, "S10");
  assert_q (s10->r_adjustments, "20");
  assert_q (s10->r_total, "1826.08");
  /* S2: nps 35.99/60; result = 0.42 + 0.3 × 35.99/60 = 0.42 + 0.17995 = 0.59995;
   * total = 100 × (0.24 + 0.6 × 0.59995) = 100 × 0.59997 = 59.997 < 60 → no
   * bonus.  Adjustment −0.125 → −0.12; total 6 − 0.12 = 5.88 */
  QtRepResult *s2 = rep (res, "S2");
  assert_q (s2->total, "59.997");
  assert_false (s2->bonuses[0].paid);
  assert_q (s2->r_score, "0");
  assert_q (s2->r_adjustments, "-0.12");
  assert_q (s2->r_total, "5.88");
  /* S6: process 1, result 0 (no quota, no nps) → 40 */
  assert_q (rep (res, "S6")->total, "40");
  assert_q (rep (res, "S6")->r_score, "0");
  /* S5 (plan without score): 0, no bonus lines */
  assert_q (rep (res, "S5")->total, "0");
  assert_int_equal (rep (res, "S5")->n_score_lines, 0);
  /* ranks: T1 S10 (60) 1, S9 (60; 'S10' < 'S9') 2, S2 (59.997) 3;
   *        T2 S6 (40) 1, S4 (0) 2, S5 (0) 3 */
  assert_int_equal (s10->team_rank, 1);
  assert_int_equal (s9->team_rank, 2);
  assert_int_equal (s2->team_rank, 3);
  assert_int_equal (rep (res, "S6")->team_rank, 1);
  assert_int_equal (rep (res, "S4")->team_rank, 2);
  assert_int_equal (rep (res, "S5")->team_rank, 3);
}

/* Regression (review): a score bonus without min_score never deducts pay —
 * its threshold is 0 (docs/architecture.md #11).  NPS −120 / 60 = −2:
 * result = 1 × −2; total = 100 × (0 + 1 × −2) = −200 → not paid.  NPS 30:
 * total = 100 × 0.5 = 50 → 100 × 50 / 100 = 50. */
static void
test_score_bonus_without_min_score (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL,
        ", \"score\": {\"process_weight\": \"0\", \"result_weight\": \"1\",\n"
        "  \"process\": [{\"metric\": \"visits\", \"target\": \"1\", \"weight\": \"1\"}],\n"
        "  \"result\": [{\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"1\"}]},\n"
        " \"bonuses\": [{\"id\": \"sb\", \"kind\": \"score\", \"target_amount\": \"100\"}]");
  data (fx, "reps.csv", H_REPS "R1,a,T1,,p\nR2,b,T1,,p\n");
  data (fx, "activities.csv", H_ACTIVITIES "R1,2026-02,nps,-120\nR2,2026-02,nps,30\n");
  QtRunResult *res = run (fx, "2026-02");
  QtRepResult *r1 = rep (res, "R1");
  assert_q (r1->total, "-200");
  assert_false (r1->bonuses[0].paid);
  assert_q (r1->r_score, "0");
  QtRepResult *r2 = rep (res, "R2");
  assert_q (r2->total, "50");
  assert_true (r2->bonuses[0].paid);
  assert_q (r2->r_score, "50");
}

/* Four adjustments of one rep: each rounded on its own (SPEC §12.10),
 * 0.125 → 0.12 four times = 0.48 (0.5 when summed first); −0.005 → −0.00
 * (0 even) = 0. */
static void
test_four_adjustments (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,a,T1,,p\n");
  data (fx, "adjustments.csv", H_ADJUSTMENTS
        "J1,R1,2026-02,0.125,a\nJ2,R1,2026-02,0.125,b\nJ3,R1,2026-02,0.125,c\n"
        "J4,R1,2026-02,0.125,d\nJ5,R1,2026-02,-0.005,e\n");
  QtRunResult *res = run (fx, "2026-02");
  QtRepResult *r = rep (res, "R1");
  assert_int_equal (r->n_adjustments, 5);
  assert_q (r->adjustments_rounded[0], "0.12");
  assert_q (r->adjustments_rounded[4], "0");
  assert_q (r->r_adjustments, "0.48");
  assert_q (r->r_total, "0.48");
  /* exactly four: the adjustments array copy must stay inside its source */
  data (fx, "adjustments.csv", H_ADJUSTMENTS
        "J1,R1,2026-02,0.125,a\nJ2,R1,2026-02,0.125,b\nJ3,R1,2026-02,0.125,c\n"
        "J4,R1,2026-02,0.125,d\n");
  qt_run_result_free (g_steal_pointer (&fx->res));
  qt_dataset_free (g_steal_pointer (&fx->ds));
  qt_plan_set_free (g_steal_pointer (&fx->ps));
  res = run (fx, "2026-02");
  assert_q (rep (res, "R1")->r_adjustments, "0.48");
}

/* ---- §12.9 other exception rows and the order of exceptions.csv --------- */

static void
test_row_exceptions (void **state)
{
  Fx *fx = *state;
  plan (fx, "p.json", "p", 1, DEFAULT_FROM, NULL, PAID, "", NULL, "");
  data (fx, "reps.csv", H_REPS "R1,a,T1,,p\n");
  data (fx, "orders.csv", H_ORDERS
        "O1,CX,R1,2026-01-01,paid\n"   /* 2: unknown customer */
        "O2,C1,R1,2026-01-01,paid\n"); /* 3 */
  data (fx, "order_lines.csv", H_LINES
        "O2,1,P1,1,100,0\n"     /* 2 */
        "OZ,1,PZ,1,1,0\n"       /* 3: unknown order and product */
        "O2,2,PY,1,100,0\n"     /* 4: unknown product */
        "O1,1,P1,1,100,0\n");   /* 5 */
  data (fx, "splits.csv", H_SPLITS "OZ2,R1,1\n");
  data (fx, "activities.csv", H_ACTIVITIES
        "R1,2026-02,m1,1\n"      /* 2 */
        "R1,2026-02,m2,1\n"      /* 3 */
        "R1,2026-02,m3,1\n"      /* 4 */
        "R1,2026-02,m4,1\n"      /* 5 */
        "R1,2026-02,m5,1\n"      /* 6 */
        "R1,2026-02,m6,1\n"      /* 7 */
        "R1,2026-02,m7,1\n"      /* 8 */
        "GHOST,2026-02,m,1\n"    /* 9 */
        "R1,2026-02,m8,1\n"      /* 10 */
        "R1,2026-02,m9,1\n"      /* 11 */
        "GHOST2,2026-02,m,1\n"   /* 12 */
        "GHOST,2026-01,m,1\n");  /* 13 */
  data (fx, "quotas.csv", H_QUOTAS "R1,2026-02,1000\nGHOST,2026-02,10\nGHOST,2026-01,10\n");
  data (fx, "adjustments.csv", H_ADJUSTMENTS "A1,GHOST,2026-02,5,x\nA2,GHOST,2026-01,5,x\n");
  data (fx, "receipts.csv", H_RECEIPTS "X1,O1,2026-02-05,100\nX2,O2,2026-02-06,200\n");
  QtRunResult *res = run (fx, "2026-02");
  /* sorted by file, then line as a number (9 before 12), then code */
  assert_exceptions (res,
                     "activities.csv:9:UNKNOWN_REP\n"
                     "activities.csv:12:UNKNOWN_REP\n"
                     "adjustments.csv:2:UNKNOWN_REP\n"
                     "order_lines.csv:3:UNKNOWN_ORDER\n"
                     "order_lines.csv:3:UNKNOWN_PRODUCT\n"
                     "order_lines.csv:4:UNKNOWN_PRODUCT\n"
                     "orders.csv:2:UNKNOWN_CUSTOMER\n"
                     "quotas.csv:3:UNKNOWN_REP\n"
                     "splits.csv:2:UNKNOWN_ORDER\n");
  /* None of these changes an amount: X1 100 (O1, unknown customer), X2 200
   * over O2's lines 100/100 (line 2 has an unknown product). */
  assert_slice (res, "X1", "1", "R1", "100", "", "1", "100");
  assert_slice (res, "X2", "1", "R1", "100", "", "1", "100");
  assert_slice (res, "X2", "2", "R1", "100", "", "1", "100");
  assert_q (rep (res, "R1")->weighted, "300");

  /* January: the every-run rows again, and January's own UNKNOWN_REP rows. */
  res = run (fx, "2026-01");
  assert_exceptions (res,
                     "activities.csv:13:UNKNOWN_REP\n"
                     "adjustments.csv:3:UNKNOWN_REP\n"
                     "order_lines.csv:3:UNKNOWN_ORDER\n"
                     "order_lines.csv:3:UNKNOWN_PRODUCT\n"
                     "order_lines.csv:4:UNKNOWN_PRODUCT\n"
                     "orders.csv:2:UNKNOWN_CUSTOMER\n"
                     "quotas.csv:4:UNKNOWN_REP\n"
                     "splits.csv:2:UNKNOWN_ORDER\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_allocation_three_equal_lines, setup, teardown),
    cmocka_unit_test_setup_teardown (test_split_long_shares, setup, teardown),
    cmocka_unit_test_setup_teardown (test_new_customer_window, setup, teardown),
    cmocka_unit_test_setup_teardown (test_high_margin, setup, teardown),
    cmocka_unit_test_setup_teardown (test_high_margin_integer_and_long_paths, setup, teardown),
    cmocka_unit_test_setup_teardown (test_all_multipliers_and_slice_order, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fast_collection_prepayment, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refunds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_receipt_exception_precedence, setup, teardown),
    cmocka_unit_test_setup_teardown (test_plan_of_receiving_rep, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_quota_bad_quota, setup, teardown),
    cmocka_unit_test_setup_teardown (test_override, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sprint, setup, teardown),
    cmocka_unit_test_setup_teardown (test_score_bonus_adjustments_ranks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_score_bonus_without_min_score, setup, teardown),
    cmocka_unit_test_setup_teardown (test_four_adjustments, setup, teardown),
    cmocka_unit_test_setup_teardown (test_row_exceptions, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
