/* tests/test_tables.c — reports/tables.c: the bytes of payout.csv,
 * scores.csv, credits.csv and exceptions.csv for a small result built in
 * memory (no loader, no engine): rows by rep_id / as given, figures only
 * formatted (rounded values printed as they are, exact values in SPEC
 * §12.10 form), CSV quoting (SPEC §12.10). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/money.h"
#include "calc/result.h"
#include "reports/output.h"
#include "support/test_support.h"

#define set_q qt_test_set_q

/* A month of two reps (listed out of rep_id order), one receipt paying two
 * lines credited to one rep each, and one exception. */
typedef struct {
  QtRep reps[2];
  QtReceipt receipts[1];
  QtOrderLine lines[2];
  QtDataset ds;
  QtPlanVersion plan;
  QtRepResult rep_results[2];
  QtRunResult res;
  mpq_t weights[2];
} Mem;

/* Every mpq_t of a rep result that the tables read. */
#define REP_FIGURES(r)                                                                     \
  (r)->r_commission, (r)->r_override, (r)->r_sprint, (r)->r_score, (r)->r_adjustments,     \
    (r)->r_total, (r)->process_score, (r)->result_score, (r)->total

static void
rep_figures (QtRepResult *r, const char *const *values)
{
  mpq_inits (REP_FIGURES (r), NULL);
  mpq_ptr figures[] = { REP_FIGURES (r) };
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    set_q (figures[i], values[i]);
}

static void
add_slice (Mem *m, guint line, guint rep, guint mask, QtNum share, gint64 num, guint64 den,
           guint weight)
{
  QtSlice sl = { .receipt = 0, .line = line, .rep = rep, .mult_mask = mask, .plan = &m->plan,
                 .share = share, .weight = m->weights[weight] };
  g_auto (mpq_t) w;
  mpq_init (w);
  mpq_set_si (w, num, den);
  mpq_canonicalize (w);
  qt_rat_set_mpq (&sl.amount, w);
  mpq_mul (w, w, m->weights[weight]);
  qt_rat_set_mpq (&sl.weighted, w);
  g_array_append_val (m->res.slices, sl);
}

static int
setup (void **state)
{
  Mem *m = g_new0 (Mem, 1);
  m->reps[0] = (QtRep) { .rep_id = "R2", .name = "Zed, Jr.", .team_id = "T1", .manager = -1 };
  m->reps[1] = (QtRep) { .rep_id = "R1", .name = "Ann \"A\"", .team_id = "T1", .manager = -1 };
  m->receipts[0] = (QtReceipt) { .receipt_id = "RC1", .order_id = "O1", .order_row = 0 };
  m->lines[0] = (QtOrderLine) { .order_id = "O1", .line_no = "1", .order_row = 0 };
  m->lines[1] = (QtOrderLine) { .order_id = "O1", .line_no = "2", .order_row = 0 };
  m->ds = (QtDataset) { .reps = m->reps, .n_reps = 2, .receipts = m->receipts, .n_receipts = 1,
                        .lines = m->lines, .n_lines = 2 };
  m->plan.currency = "CNY";
  static const char *const r2[] = { "50",  "0.5", "0",   "0",    "-0.02",
                                    "50.48", "2/3", "100", "250/3" };
  static const char *const r1[] = { "1234.5", "0", "1000", "12.35", "0", "2246.85", "0", "0", "0" };
  rep_figures (&m->rep_results[0], r2);
  rep_figures (&m->rep_results[1], r1);
  for (guint i = 0; i < 2; i++)
    {
      m->rep_results[i].rep = i;
      m->rep_results[i].plan = &m->plan;
      m->rep_results[i].team_rank = 2 - i;
    }
  m->res = (QtRunResult) { .ds = &m->ds, .reps = m->rep_results, .n_reps = 2 };
  m->res.slices = g_array_new (FALSE, FALSE, sizeof (QtSlice));
  m->res.exceptions = g_array_new (FALSE, FALSE, sizeof (QtException));
  g_assert_true (qt_period_parse ("2026-02", 7, &m->res.period));
  mpq_inits (m->weights[0], m->weights[1], NULL);
  set_q (m->weights[0], "1.32");
  set_q (m->weights[1], "1");
  /* R1 on line 1: 100/3 × 1.32 = 44, high_margin and fast_collection;
   * R2 on line 2: 12.5 at share 0.5, no multiplier. */
  add_slice (m, 0, 1, 1u << QT_MULT_HIGH_MARGIN | 1u << QT_MULT_FAST_COLLECTION,
             (QtNum) { .units = 1, .scale = 0 }, 100, 3, 0);
  add_slice (m, 1, 0, 0, (QtNum) { .units = 5, .scale = 1 }, 25, 2, 1);
  QtException e = { "receipts.csv", 7, "UNKNOWN_ORDER",
                    g_strdup ("receipt 'R9' names order \"O9\", unknown"), 0 };
  g_array_append_val (m->res.exceptions, e);
  *state = m;
  return 0;
}

static int
teardown (void **state)
{
  Mem *m = *state;
  for (guint i = 0; i < 2; i++)
    mpq_clears (REP_FIGURES (&m->rep_results[i]), NULL);
  for (guint k = 0; k < m->res.slices->len; k++)
    {
      QtSlice *sl = &g_array_index (m->res.slices, QtSlice, k);
      qt_rat_clear (&sl->amount);
      qt_rat_clear (&sl->weighted);
    }
  g_array_unref (m->res.slices);
  g_free (g_array_index (m->res.exceptions, QtException, 0).message);
  g_array_unref (m->res.exceptions);
  mpq_clears (m->weights[0], m->weights[1], NULL);
  g_free (m);
  return 0;
}

/* The file `name` of the tables rendered from m's result, with its rows. */
static void
assert_table (Mem *m, const char *name, const char *expected, gint rows)
{
  g_autoptr (GPtrArray) out = qt_output_list_new ();
  qt_report_tables (&m->res, out);
  for (guint i = 0; i < out->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (out, i);
      if (strcmp (f->name, name) != 0)
        continue;
      gsize size;
      const char *bytes = g_bytes_get_data (f->bytes, &size);
      g_autofree char *text = g_strndup (bytes, size);
      assert_string_equal (text, expected);
      assert_int_equal (f->rows, rows);
      return;
    }
  fail_msg ("no %s among the tables", name);
}

/* SPEC §5, §6: by rep_id; the rounded components as calc rounded them. */
static void
test_payout (void **state)
{
  assert_table (*state, "payout.csv",
                "rep_id,name,currency,commission,override,sprint_bonus,score_bonus,adjustments,total\n"
                "R1,\"Ann \"\"A\"\"\",CNY,1234.50,0.00,1000.00,12.35,0.00,2246.85\n"
                "R2,\"Zed, Jr.\",CNY,50.00,0.50,0.00,0.00,-0.02,50.48\n",
                2);
}

/* payout.json: payout.csv's rows and cells, as JSON strings (quotes and
 * commas in names escaped as JSON, not as CSV). */
static void
test_payout_json (void **state)
{
  assert_table (*state, "payout.json",
                "{\n  \"payout\": \"quotient payout\",\n  \"format_version\": 1,\n"
                "  \"period\": \"2026-02\",\n  \"rows\": [\n"
                "    {\"rep_id\":\"R1\",\"name\":\"Ann \\\"A\\\"\",\"currency\":\"CNY\","
                "\"commission\":\"1234.50\",\"override\":\"0.00\",\"sprint_bonus\":\"1000.00\","
                "\"score_bonus\":\"12.35\",\"adjustments\":\"0.00\",\"total\":\"2246.85\"},\n"
                "    {\"rep_id\":\"R2\",\"name\":\"Zed, Jr.\",\"currency\":\"CNY\","
                "\"commission\":\"50.00\",\"override\":\"0.50\",\"sprint_bonus\":\"0.00\","
                "\"score_bonus\":\"0.00\",\"adjustments\":\"-0.02\",\"total\":\"50.48\"}\n"
                "  ]\n}\n",
                -1);
}

/* SPEC §5, §12.8: the scores calc scaled, to 2 decimals; team ranks. */
static void
test_scores (void **state)
{
  assert_table (*state, "scores.csv",
                "rep_id,team_id,process_score,result_score,total_score,team_rank\n"
                "R1,T1,0.00,0.00,0.00,1\n"
                "R2,T1,0.67,100.00,83.33,2\n",
                2);
}

/* SPEC §5, §12.10: one row per slice in the result's order, exact values,
 * the applied multipliers joined by '+'. */
static void
test_credits (void **state)
{
  assert_table (*state, "credits.csv",
                "receipt_id,order_id,line_no,rep_id,share,amount,multipliers,weight,weighted_amount\n"
                "RC1,O1,1,R1,1,100/3,high_margin+fast_collection,1.32,44\n"
                "RC1,O1,2,R2,0.5,12.5,,1,12.5\n",
                2);
}

/* SPEC §5: the exception rows as given, quoted where needed. */
static void
test_exceptions (void **state)
{
  assert_table (*state, "exceptions.csv",
                "file,line,code,message\n"
                "receipts.csv,7,UNKNOWN_ORDER,\"receipt 'R9' names order \"\"O9\"\", unknown\"\n",
                1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_payout, setup, teardown),
    cmocka_unit_test_setup_teardown (test_payout_json, setup, teardown),
    cmocka_unit_test_setup_teardown (test_scores, setup, teardown),
    cmocka_unit_test_setup_teardown (test_credits, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exceptions, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
