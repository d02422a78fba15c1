/* tests/test_score.c — SPEC §4.8, §12.2.4 and §12.8 by hand (calc/score.c):
 * item = min(value / target, cap), missing activity 0, no clamping of
 * negative values, attainment measure, plans without score, the total.
 *
 * Every expected value is computed by hand from SPEC.md (arithmetic in the
 * comments). */
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
#include "calc/result.h"
#include "calc/score.h"
#include "rules/plan.h"
#include "support/test_support.h"

/* ---- helpers ----------------------------------------------------------- */

static int
setup (void **state)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("quotient-test-score-XXXXXX", &error);
  if (dir == NULL)
    return -1;
  *state = dir;
  return 0;
}

static int
teardown (void **state)
{
  g_autofree char *dir = *state;
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  return 0;
}

/* Plan p v1 with `sections` appended after commission (e.g. ", \"score\": {...}"). */
static QtPlanSet *
load_plan (const char *dir, const char *sections)
{
  return qt_test_plan_p (dir, "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.03\"}]}",
                         sections);
}

#define plan_of qt_test_plan_p_version
#define set_q qt_test_set_q

/* Up to 8 activity rows "metric=value". */
typedef struct {
  QtActivity rows[8];
  const QtActivity *ptrs[8];
  guint n;
  QtNumStore *nums;  /* long values, if any */
} Acts;

static void
acts_init (Acts *a, const char *const *pairs)
{
  memset (a, 0, sizeof *a);
  a->nums = qt_num_store_new ();
  for (; pairs != NULL && pairs[a->n] != NULL; a->n++)
    {
      g_auto (GStrv) kv = g_strsplit (pairs[a->n], "=", 2);
      QtActivity *row = &a->rows[a->n];
      row->rep_id = "R1";
      row->metric = g_intern_string (kv[0]);
      assert_true (qt_num_parse (a->nums, kv[1], strlen (kv[1]), &row->value, NULL));
      a->ptrs[a->n] = row;
    }
}

static void
acts_clear (Acts *a)
{
  qt_num_store_free (a->nums);
}

static void
rr_init (QtRepResult *r, const char *attainment)
{
  memset (r, 0, sizeof *r);
  mpq_inits (r->attainment, r->process, r->result, r->total, r->process_score, r->result_score,
             NULL);
  set_q (r->attainment, attainment);
}

static void
rr_clear (QtRepResult *r)
{
  for (guint i = 0; i < r->n_score_lines; i++)
    mpq_clears (r->score_lines[i].value, r->score_lines[i].ratio, r->score_lines[i].score,
                r->score_lines[i].contribution, NULL);
  g_free (r->score_lines);
  mpq_clears (r->attainment, r->process, r->result, r->total, r->process_score, r->result_score,
              NULL);
}

/* pw 0.4 / rw 0.6; process: visits (target 40, w 0.5, cap 1.2), demos
 * (target 0.8, w 0.3, no cap), cases (target 2, w 0.2, cap 1.5);
 * result: attainment (w 0.7, cap 1.5), nps (target 60, w 0.3, cap 1.2). */
#define SCORE_SECTION                                                                       \
  ", \"score\": {\"process_weight\": \"0.4\", \"result_weight\": \"0.6\",\n"                \
  "  \"process\": [\n"                                                                      \
  "    {\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"0.5\", \"cap\": \"1.2\"},\n" \
  "    {\"metric\": \"demos\", \"target\": \"0.8\", \"weight\": \"0.3\"},\n"                \
  "    {\"metric\": \"cases\", \"target\": \"2\", \"weight\": \"0.2\", \"cap\": \"1.5\"}],\n" \
  "  \"result\": [\n"                                                                       \
  "    {\"measure\": \"attainment\", \"weight\": \"0.7\", \"cap\": \"1.5\"},\n"             \
  "    {\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"0.3\", \"cap\": \"1.2\"}]}"

/* ---- tests ------------------------------------------------------------- */

static void
test_caps_missing_negative (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, SCORE_SECTION);
  const QtPlanVersion *p = plan_of (set);
  /* visits 60 → 60/40 = 1.5 → capped 1.2
   * demos 1.2 → 1.2/0.8 = 1.5, no cap → 1.5
   * cases missing → 0
   * attainment 2 → capped 1.5
   * nps −12 → −12/60 = −0.2 (not clamped)
   * process = 0.5×1.2 + 0.3×1.5 + 0.2×0 = 0.6 + 0.45 = 1.05
   * result  = 0.7×1.5 + 0.3×(−0.2) = 1.05 − 0.06 = 0.99
   * total   = 100 × (0.4×1.05 + 0.6×0.99) = 100 × (0.42 + 0.594) = 101.4 */
  const char *pairs[] = { "visits=60", "demos=1.2", "nps=-12", "unused_metric=1000", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "2");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  assert_int_equal (r.n_score_lines, 5);
  /* visits */
  assert_true (r.score_lines[0].is_process);
  assert_q (r.score_lines[0].value, "60");
  assert_q (r.score_lines[0].ratio, "1.5");
  assert_q (r.score_lines[0].score, "1.2");
  assert_true (r.score_lines[0].capped);
  assert_false (r.score_lines[0].missing);
  assert_q (r.score_lines[0].contribution, "0.6");
  /* demos: no cap */
  assert_q (r.score_lines[1].score, "1.5");
  assert_false (r.score_lines[1].capped);
  assert_q (r.score_lines[1].contribution, "0.45");
  /* cases: missing → 0 */
  assert_true (r.score_lines[2].missing);
  assert_q (r.score_lines[2].value, "0");
  assert_q (r.score_lines[2].score, "0");
  /* attainment: capped */
  assert_false (r.score_lines[3].is_process);
  assert_q (r.score_lines[3].score, "1.5");
  assert_true (r.score_lines[3].capped);
  assert_q (r.score_lines[3].contribution, "1.05");
  /* nps negative */
  assert_q (r.score_lines[4].score, "-0.2");
  assert_false (r.score_lines[4].capped);
  assert_q (r.score_lines[4].contribution, "-0.06");
  assert_q (r.process, "1.05");
  assert_q (r.result, "0.99");
  assert_q (r.total, "101.4");
  rr_clear (&r);
  acts_clear (&a);
}

static void
test_negative_attainment_and_small_values (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, SCORE_SECTION);
  const QtPlanVersion *p = plan_of (set);
  /* attainment −0.5 → max(−0.5, 0) = 0
   * visits 10 → 0.25; demos 0.2 → 0.25; cases 1 → 0.5; nps 30 → 0.5
   * process = 0.5×0.25 + 0.3×0.25 + 0.2×0.5 = 0.125 + 0.075 + 0.1 = 0.3
   * result  = 0.7×0 + 0.3×0.5 = 0.15
   * total   = 100 × (0.4×0.3 + 0.6×0.15) = 100 × (0.12 + 0.09) = 21 */
  const char *pairs[] = { "nps=30", "cases=1", "demos=0.2", "visits=10", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "-0.5");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  assert_q (r.score_lines[3].value, "0");
  assert_q (r.score_lines[3].score, "0");
  assert_q (r.process, "0.3");
  assert_q (r.result, "0.15");
  assert_q (r.total, "21");
  rr_clear (&r);
  acts_clear (&a);
}

static void
test_nothing_at_all (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, SCORE_SECTION);
  const QtPlanVersion *p = plan_of (set);
  /* no activity rows, attainment 0 (no quota): every item 0, total 0 */
  QtRepResult r;
  rr_init (&r, "0");
  qt_score_compute (p, NULL, NULL, 0, &r);
  assert_int_equal (r.n_score_lines, 5);
  for (guint i = 0; i < 5; i++)
    assert_q (r.score_lines[i].score, "0");
  assert_true (r.score_lines[0].missing);
  assert_q (r.total, "0");
  rr_clear (&r);
}

static void
test_attainment_with_target_and_fractions (void **state)
{
  /* pw 0.5 / rw 0.5; process: visits target 3 weight 1 (no cap);
   * result: attainment with target 0.8 (its `metric` member is ignored),
   * weight 1, no cap. */
  g_autoptr (QtPlanSet) set = load_plan (
      *state,
      ", \"score\": {\"process_weight\": \"0.5\", \"result_weight\": \"0.5\",\n"
      "  \"process\": [{\"metric\": \"visits\", \"target\": \"3\", \"weight\": \"1\"}],\n"
      "  \"result\": [{\"measure\": \"attainment\", \"metric\": \"visits\", \"target\": \"0.8\","
      " \"weight\": \"1\"}]}");
  const QtPlanVersion *p = plan_of (set);
  /* visits 1 → 1/3; attainment 1 → 1/0.8 = 1.25 (no cap)
   * total = 100 × (0.5 × 1/3 + 0.5 × 1.25) = 100 × (1/6 + 5/8) = 100 × 19/24 = 475/6 */
  const char *pairs[] = { "visits=1", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "1");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  assert_q (r.score_lines[0].score, "1/3");
  assert_q (r.score_lines[1].value, "1");
  assert_q (r.score_lines[1].score, "1.25");
  assert_q (r.process, "1/3");
  assert_q (r.result, "1.25");
  assert_q (r.total, "475/6");
  rr_clear (&r);

  /* attainment 2/3 (e.g. W 2000 / quota 3000) → (2/3) / 0.8 = 5/6;
   * visits 4 → 4/3.  total = 100 × (0.5 × 4/3 + 0.5 × 5/6) = 100 × (2/3 + 5/12)
   * = 100 × 13/12 = 325/3 */
  const char *pairs2[] = { "visits=4", NULL };
  Acts b;
  acts_init (&b, pairs2);
  rr_init (&r, "2/3");
  qt_score_compute (p, b.nums, b.ptrs, b.n, &r);
  assert_q (r.score_lines[1].score, "5/6");
  assert_q (r.total, "325/3");
  rr_clear (&r);

  /* negative attainment with a target: max(−1, 0) / 0.8 = 0 */
  rr_init (&r, "-1");
  qt_score_compute (p, b.nums, b.ptrs, b.n, &r);
  assert_q (r.score_lines[1].score, "0");
  /* total = 100 × 0.5 × 4/3 = 200/3 */
  assert_q (r.total, "200/3");
  rr_clear (&r);
  acts_clear (&a);
  acts_clear (&b);
}

static void
test_attainment_without_target (void **state)
{
  /* attainment without target and without cap: item = A itself. */
  g_autoptr (QtPlanSet) set = load_plan (
      *state,
      ", \"score\": {\"process_weight\": \"0.25\", \"result_weight\": \"0.75\",\n"
      "  \"process\": [{\"metric\": \"visits\", \"target\": \"10\", \"weight\": \"1\", \"cap\": \"2\"}],\n"
      "  \"result\": [{\"measure\": \"attainment\", \"weight\": \"1\"}]}");
  const QtPlanVersion *p = plan_of (set);
  /* A = 3.7 (no cap) → 3.7; visits 25 → 2.5 → capped 2
   * total = 100 × (0.25 × 2 + 0.75 × 3.7) = 100 × (0.5 + 2.775) = 327.5 */
  const char *pairs[] = { "visits=25", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "3.7");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  assert_q (r.score_lines[1].score, "3.7");
  assert_false (r.score_lines[1].capped);
  assert_q (r.score_lines[0].score, "2");
  assert_q (r.total, "327.5");
  rr_clear (&r);
  /* value exactly the cap: visits 20 → 2 = cap → 2 (not "capped" since
   * min(2, 2) = 2 either way); A 0 → 0.  total = 100 × 0.25 × 2 = 50 */
  const char *pairs2[] = { "visits=20", NULL };
  Acts b;
  acts_init (&b, pairs2);
  rr_init (&r, "0");
  qt_score_compute (p, b.nums, b.ptrs, b.n, &r);
  assert_q (r.score_lines[0].score, "2");
  assert_q (r.total, "50");
  rr_clear (&r);
  acts_clear (&a);
  acts_clear (&b);
}

static void
test_no_score_section (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, "");
  const QtPlanVersion *p = plan_of (set);
  assert_false (p->has_score);
  /* SPEC §12.8: no score section → 0 in all three, no items. */
  const char *pairs[] = { "visits=60", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "1.5");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  assert_int_equal (r.n_score_lines, 0);
  assert_q (r.process, "0");
  assert_q (r.result, "0");
  assert_q (r.total, "0");
  rr_clear (&r);
  acts_clear (&a);
}

static void
test_total_formula_weights (void **state)
{
  /* total = 100 × (pw × process + rw × result), with pw 0.3, rw 0.7 and
   * lists of one item each: process item 0.9 (visits 9 / 10), result item
   * 0.2 (nps 12 / 60).  100 × (0.3 × 0.9 + 0.7 × 0.2) = 100 × (0.27 + 0.14) = 41 */
  g_autoptr (QtPlanSet) set = load_plan (
      *state,
      ", \"score\": {\"process_weight\": \"0.3\", \"result_weight\": \"0.7\",\n"
      "  \"process\": [{\"metric\": \"visits\", \"target\": \"10\", \"weight\": \"1\"}],\n"
      "  \"result\": [{\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"1\"}]}");
  const QtPlanVersion *p = plan_of (set);
  const char *pairs[] = { "visits=9", "nps=12", NULL };
  Acts a;
  acts_init (&a, pairs);
  QtRepResult r;
  rr_init (&r, "5");
  qt_score_compute (p, a.nums, a.ptrs, a.n, &r);
  /* process and result are the weighted sums (fractions, not × 100) */
  assert_q (r.process, "0.9");
  assert_q (r.result, "0.2");
  assert_q (r.total, "41");
  rr_clear (&r);
  acts_clear (&a);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_caps_missing_negative, setup, teardown),
    cmocka_unit_test_setup_teardown (test_negative_attainment_and_small_values, setup, teardown),
    cmocka_unit_test_setup_teardown (test_nothing_at_all, setup, teardown),
    cmocka_unit_test_setup_teardown (test_attainment_with_target_and_fractions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_attainment_without_target, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_score_section, setup, teardown),
    cmocka_unit_test_setup_teardown (test_total_formula_weights, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
