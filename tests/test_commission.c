/* tests/test_commission.c — SPEC §4.5 and §12.6.3 by hand (calc/commission.c):
 * marginal and retroactive tiers, half-open bounds, clawback, cap, no quota.
 *
 * Every expected value below is computed by hand from SPEC.md; the arithmetic
 * is in the comment next to it.  Plans are tiny JSON files loaded with
 * qt_plan_set_load_dir; the rep result is built directly. */
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
#include "calc/commission.h"
#include "calc/result.h"
#include "rules/plan.h"
#include "support/test_support.h"

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
  char *dir;
} Fixture;

static int
setup (void **state)
{
  Fixture *fx = g_new0 (Fixture, 1);
  g_autoptr (GError) error = NULL;
  fx->dir = g_dir_make_tmp ("quotient-test-commission-XXXXXX", &error);
  if (fx->dir == NULL)
    return -1;
  *state = fx;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fx = *state;
  g_autoptr (GDir) d = g_dir_open (fx->dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx);
  return 0;
}

/* Writes one plan file "p.json" (plan p, v1, from 2026-01-01) with the given
 * commission object and loads the directory. (transfer full) */
static QtPlanSet *
load_plan (Fixture *fx, const char *commission)
{
  return qt_test_plan_p (fx->dir, commission, "");
}

#define plan_of qt_test_plan_p_version
#define set_q qt_test_set_q

/* Exact value equals `expected` in the SPEC §12.10 form ("997/3", "-6", "2.5"). */
/* A rep result with only what the commission needs. */
static void
rr_init (QtRepResult *r, const char *w, const char *quota)
{
  memset (r, 0, sizeof *r);
  mpq_inits (r->weighted, r->quota, r->attainment, r->next_tier_needed, r->commission_uncapped,
             r->commission, NULL);
  set_q (r->weighted, w);
  r->has_quota = quota != NULL;
  if (quota != NULL)
    {
      set_q (r->quota, quota);
      mpq_div (r->attainment, r->weighted, r->quota);
    }
}

static void
rr_clear (QtRepResult *r)
{
  for (guint i = 0; i < r->n_tiers; i++)
    mpq_clears (r->tiers[i].lower, r->tiers[i].upper, r->tiers[i].portion, r->tiers[i].amount,
                NULL);
  g_free (r->tiers);
  mpq_clears (r->weighted, r->quota, r->attainment, r->next_tier_needed, r->commission_uncapped,
              r->commission, NULL);
}

/* Commission of W (and quota, NULL for none) under `plan`, exact form. */
static char *
commission_of (const QtPlanVersion *plan, const char *w, const char *quota)
{
  QtRepResult r;
  rr_init (&r, w, quota);
  qt_commission_compute (plan, &r);
  char *out = qt_exact_format (r.commission);
  rr_clear (&r);
  return out;
}

#define assert_commission(plan, w, quota, expected)          \
  do                                                         \
    {                                                        \
      g_autofree char *c_ = commission_of (plan, w, quota);  \
      assert_string_equal (c_, (expected));                  \
    }                                                        \
  while (0)

#define THREE_TIERS                                                          \
  "[{\"from\": \"0\", \"rate\": \"0.03\"}, {\"from\": \"1.0\", \"rate\": \"0.05\"}," \
  " {\"from\": \"1.5\", \"rate\": \"0.07\"}]"

/* ---- marginal ---------------------------------------------------------- */

static void
test_marginal_one_tier (void **state)
{
  g_autoptr (QtPlanSet) set
      = load_plan (*state, "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.03\"}]}");
  const QtPlanVersion *p = plan_of (set);
  /* 0.03 × 1234.5 = 37.035 (one tier: all of W at t_0) */
  assert_commission (p, "1234.5", "1000", "37.035");
  /* far above any bound: still 0.03 × 50000 = 1500 */
  assert_commission (p, "50000", "1000", "1500");
}

static void
test_marginal_three_tiers (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS "}");
  const QtPlanVersion *p = plan_of (set);
  /* quota 1000: amount bounds 0, 1000, 1500.
   * W 500 (inside tier 0 only): 0.03 × 500 = 15 */
  assert_commission (p, "500", "1000", "15");
  /* W 1200 (2 tiers): 0.03 × 1000 + 0.05 × 200 = 30 + 10 = 40 */
  assert_commission (p, "1200", "1000", "40");
  /* W 1700 (3 tiers): 30 + 0.05 × 500 + 0.07 × 200 = 30 + 25 + 14 = 69 */
  assert_commission (p, "1700", "1000", "69");
  /* W 1000.5 just into tier 1: 30 + 0.05 × 0.5 = 30.025 */
  assert_commission (p, "1000.5", "1000", "30.025");

  /* Tier table of W 1700: portions 1000, 500, 200; amounts 30, 25, 14. */
  QtRepResult r;
  rr_init (&r, "1700", "1000");
  qt_commission_compute (p, &r);
  assert_int_equal (r.n_tiers, 3);
  assert_q (r.tiers[0].lower, "0");
  assert_q (r.tiers[0].upper, "1000");
  assert_q (r.tiers[1].lower, "1000");
  assert_q (r.tiers[1].upper, "1500");
  assert_q (r.tiers[2].lower, "1500");
  assert_false (r.tiers[2].has_upper);
  assert_q (r.tiers[0].portion, "1000");
  assert_q (r.tiers[1].portion, "500");
  assert_q (r.tiers[2].portion, "200");
  assert_q (r.tiers[0].amount, "30");
  assert_q (r.tiers[1].amount, "25");
  assert_q (r.tiers[2].amount, "14");
  assert_q (r.commission_uncapped, "69");
  assert_false (r.clawback);
  assert_false (r.capped);
  rr_clear (&r);
}

static void
test_marginal_fraction_and_bounds (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS "}");
  const QtPlanVersion *p = plan_of (set);
  /* quota 3: bounds 0, 3, 4.5.  W 3.5: 0.03 × 3 + 0.05 × 0.5 = 0.09 + 0.025 = 0.115 */
  assert_commission (p, "3.5", "3", "0.115");
  /* quota 1000, W = 1000 exactly on b_1: [0,1000) holds 1000 at 0.03 = 30,
   * [1000,1500) holds 0: commission 30. */
  assert_commission (p, "1000", "1000", "30");
  /* W 1500 exactly on b_2: 30 + 0.05 × 500 = 55, tier 2 portion 0. */
  assert_commission (p, "1500", "1000", "55");
  QtRepResult r;
  rr_init (&r, "1500", "1000");
  qt_commission_compute (p, &r);
  assert_q (r.tiers[1].portion, "500");
  assert_q (r.tiers[2].portion, "0");
  rr_clear (&r);
  /* quota 7, W 10: bounds 0, 7, 10.5 → 0.03 × 7 + 0.05 × 3 = 0.21 + 0.15 = 0.36 */
  assert_commission (p, "10", "7", "0.36");
  /* quota 3, W 5 (A = 5/3 ≥ 1.5): 0.03 × 3 + 0.05 × 1.5 + 0.07 × 0.5
   * = 0.09 + 0.075 + 0.035 = 0.2 */
  assert_commission (p, "5", "3", "0.2");
  /* non-terminating W = 3001/3, quota 1000:
   * 0.03 × 1000 + 0.05 × (3001/3 − 1000) = 30 + 0.05 × 1/3 = 30 + 1/60 = 1801/60 */
  assert_commission (p, "3001/3", "1000", "1801/60");
}

/* ---- retroactive -------------------------------------------------------- */

static void
test_retroactive (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, "{\"mode\": \"retroactive\", \"tiers\": " THREE_TIERS "}");
  const QtPlanVersion *p = plan_of (set);
  /* A = 0.999 → tier 0: 999 × 0.03 = 29.97 */
  assert_commission (p, "999", "1000", "29.97");
  /* A = 1 exactly b_1 → tier 1 (half-open): 1000 × 0.05 = 50 */
  assert_commission (p, "1000", "1000", "50");
  /* A = 1.49999 → tier 1: 1499.99 × 0.05 = 74.9995 */
  assert_commission (p, "1499.99", "1000", "74.9995");
  /* A = 1.5 exactly b_2 → tier 2: 1500 × 0.07 = 105 */
  assert_commission (p, "1500", "1000", "105");
  /* A = 2 → tier 2: 2000 × 0.07 = 140 */
  assert_commission (p, "2000", "1000", "140");
  /* quota 3, W 4.5 → A = 1.5 exactly → 4.5 × 0.07 = 0.315 */
  assert_commission (p, "4.5", "3", "0.315");
  /* quota 3, W 4.4 → A = 22/15 < 1.5 → 4.4 × 0.05 = 0.22 */
  assert_commission (p, "4.4", "3", "0.22");
  /* W = 997/3, quota 1000 → A < 1 → 0.03 × 997/3 = 9.97 */
  assert_commission (p, "997/3", "1000", "9.97");
  /* W = 997/3, quota 300 → A = 997/900 ≥ 1 → 0.05 × 997/3 = 997/60 */
  assert_commission (p, "997/3", "300", "997/60");
}

/* ---- W ≤ 0 ------------------------------------------------------------ */

static void
test_zero_and_clawback (void **state)
{
  Fixture *fx = *state;
  {
    g_autoptr (QtPlanSet) set = load_plan (fx, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS "}");
    const QtPlanVersion *p = plan_of (set);
    /* W = 0 → t_0 × 0 = 0 */
    assert_commission (p, "0", "1000", "0");
    /* W = −200 → clawback t_0 × W = 0.03 × −200 = −6 */
    assert_commission (p, "-200", "1000", "-6");
    /* W = −0.5 → −0.015 */
    assert_commission (p, "-0.5", "1000", "-0.015");
    QtRepResult r;
    rr_init (&r, "-200", "1000");
    qt_commission_compute (p, &r);
    assert_true (r.clawback);
    assert_false (r.capped);
    assert_q (r.commission_uncapped, "-6");
    rr_clear (&r);
    rr_init (&r, "0", "1000");
    qt_commission_compute (p, &r);
    assert_false (r.clawback);
    assert_q (r.commission, "0");
    rr_clear (&r);
  }
  {
    g_autoptr (QtPlanSet) set = load_plan (fx, "{\"mode\": \"retroactive\", \"tiers\": " THREE_TIERS "}");
    const QtPlanVersion *p = plan_of (set);
    /* retroactive too: t_0 × W = 0.03 × −200 = −6 (not t_k of some tier) */
    assert_commission (p, "-200", "1000", "-6");
    assert_commission (p, "0", "1000", "0");
    /* small quota: W −3000 with quota 1 still t_0: −90 */
    assert_commission (p, "-3000", "1", "-90");
  }
}

/* ---- cap ---------------------------------------------------------------- */

static void
test_cap (void **state)
{
  Fixture *fx = *state;
  {
    g_autoptr (QtPlanSet) set
        = load_plan (fx, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS ", \"cap\": \"50\"}");
    const QtPlanVersion *p = plan_of (set);
    /* binding: W 1700 → 69 > 50 → 50 */
    QtRepResult r;
    rr_init (&r, "1700", "1000");
    qt_commission_compute (p, &r);
    assert_q (r.commission_uncapped, "69");
    assert_q (r.commission, "50");
    assert_true (r.capped);
    rr_clear (&r);
    /* not binding: W 1200 → 40 ≤ 50 */
    rr_init (&r, "1200", "1000");
    qt_commission_compute (p, &r);
    assert_q (r.commission, "40");
    assert_false (r.capped);
    rr_clear (&r);
    /* exactly the cap: W 1400 → 30 + 0.05 × 400 = 50 = cap → 50 */
    assert_commission (p, "1400", "1000", "50");
    /* clawback unchanged: W −200 → −6, min(−6, 50) = −6 */
    rr_init (&r, "-200", "1000");
    qt_commission_compute (p, &r);
    assert_q (r.commission, "-6");
    assert_true (r.clawback);
    assert_false (r.capped);
    rr_clear (&r);
  }
  {
    g_autoptr (QtPlanSet) set
        = load_plan (fx, "{\"mode\": \"retroactive\", \"tiers\": " THREE_TIERS ", \"cap\": \"100.5\"}");
    const QtPlanVersion *p = plan_of (set);
    /* W 1500 → 105 > 100.5 → 100.5 */
    assert_commission (p, "1500", "1000", "100.5");
    /* W 1000 → 50 */
    assert_commission (p, "1000", "1000", "50");
    /* W −1000 → −30, cap leaves a clawback unchanged */
    assert_commission (p, "-1000", "1000", "-30");
  }
  {
    /* cap 0: a positive commission becomes 0, a clawback stays. */
    g_autoptr (QtPlanSet) set
        = load_plan (fx, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS ", \"cap\": \"0\"}");
    const QtPlanVersion *p = plan_of (set);
    assert_commission (p, "100", "1000", "0");
    assert_commission (p, "-100", "1000", "-3");
  }
}

/* ---- no quota ---------------------------------------------------------- */

static void
test_no_quota (void **state)
{
  g_autoptr (QtPlanSet) set = load_plan (*state, "{\"mode\": \"marginal\", \"tiers\": " THREE_TIERS "}");
  const QtPlanVersion *p = plan_of (set);
  /* SPEC §12.6.1: no valid quota → commission 0, for any W. */
  assert_commission (p, "5000", NULL, "0");
  assert_commission (p, "-5000", NULL, "0");
  QtRepResult r;
  rr_init (&r, "5000", NULL);
  qt_commission_compute (p, &r);
  assert_q (r.commission_uncapped, "0");
  assert_false (r.clawback);
  assert_false (r.capped);
  rr_clear (&r);

  g_autoptr (QtPlanSet) set2 = load_plan (*state, "{\"mode\": \"retroactive\", \"tiers\": " THREE_TIERS "}");
  assert_commission (plan_of (set2), "5000", NULL, "0");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_marginal_one_tier, setup, teardown),
    cmocka_unit_test_setup_teardown (test_marginal_three_tiers, setup, teardown),
    cmocka_unit_test_setup_teardown (test_marginal_fraction_and_bounds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_retroactive, setup, teardown),
    cmocka_unit_test_setup_teardown (test_zero_and_clawback, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cap, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_quota, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
