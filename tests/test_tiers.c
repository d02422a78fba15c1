/* tests/test_tiers.c — calc/tiers: the ladder of SPEC §11's example (0 at
 * 0, 3.8 % from 5,000,000, 4.5 % from 8,000,000) with volumes as bounds
 * (scale 1), and with bounds scaled by a quota (SPEC §4.5).  Expected
 * values by hand, the arithmetic beside each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <glib.h>
#include <gmp.h>

#include "calc/tiers.h"
#include "model/money.h"
#include "support/test_support.h"

typedef struct {
  QtTier tiers[3];
  mpq_t one;
} Ladder;

static int
setup (void **state)
{
  Ladder *l = g_new0 (Ladder, 1);
  const char *from[] = { "0", "5000000", "8000000" }, *rate[] = { "0", "0.038", "0.045" };
  for (guint i = 0; i < 3; i++)
    {
      mpq_inits (l->tiers[i].from, l->tiers[i].rate, NULL);
      qt_test_set_q (l->tiers[i].from, from[i]);
      qt_test_set_q (l->tiers[i].rate, rate[i]);
    }
  mpq_init (l->one);
  mpq_set_ui (l->one, 1, 1);
  *state = l;
  return 0;
}

static int
teardown (void **state)
{
  Ladder *l = *state;
  for (guint i = 0; i < 3; i++)
    mpq_clears (l->tiers[i].from, l->tiers[i].rate, NULL);
  mpq_clear (l->one);
  g_free (l);
  return 0;
}

/* The tier `volume` reaches, what it needs for the next ("" for none), and
 * the retroactive and marginal amounts. */
static void
check (Ladder *l, const char *volume, guint tier, const char *needed, const char *retro,
       const char *marg)
{
  g_auto (mpq_t) v, need, r, m;
  mpq_inits (v, need, r, m, NULL);
  qt_test_set_q (v, volume);
  QtTierLine *lines = qt_tier_lines_new (l->tiers, 3, l->one);
  gboolean has_next = FALSE;
  assert_int_equal (qt_tiers_reached (lines, 3, v, &has_next, need), tier);
  assert_int_equal (has_next, needed[0] != '\0');
  if (has_next)
    assert_q (need, needed);
  qt_tiers_retroactive (lines, tier, v, r);
  assert_q (r, retro);
  qt_tier_lines_free (lines, 3);
  lines = qt_tier_lines_new (l->tiers, 3, l->one);
  qt_tiers_marginal (lines, 3, v, m);
  assert_q (m, marg);
  qt_tier_lines_free (lines, 3);
}

static void
test_volume_bounds (void **state)
{
  Ladder *l = *state;
  check (l, "0", 0, "5000000", "0", "0");
  /* just under the bound: tier 0, 0.01 short */
  check (l, "4999999.99", 0, "0.01", "0", "0");
  /* exactly on it: the higher tier (half-open) — 5,000,000 × 0.038 */
  check (l, "5000000", 1, "3000000", "190000", "0");
  /* 5,000,000.01: retro 190,000.00038; marginal 0.01 × 0.038 */
  check (l, "5000000.01", 1, "2999999.99", "190000.00038", "0.00038");
  /* 8,000,000: retro × 0.045 = 360,000; marginal 3,000,000 × 0.038 = 114,000 */
  check (l, "8000000", 2, "", "360000", "114000");
  /* 10,000,000: retro 450,000; marginal 114,000 + 2,000,000 × 0.045 = 204,000 */
  check (l, "10000000", 2, "", "450000", "204000");
}

/* Bounds scaled (attainment × quota): quota 1,000 puts the bounds at
 * 5,000,000,000 and 8,000,000,000. */
static void
test_scaled_bounds (void **state)
{
  Ladder *l = *state;
  g_auto (mpq_t) quota, v, total;
  mpq_inits (quota, v, total, NULL);
  mpq_set_ui (quota, 1000, 1);
  mpq_set_ui (v, 5000000, 1);
  QtTierLine *lines = qt_tier_lines_new (l->tiers, 3, quota);
  assert_q (lines[1].lower, "5000000000");
  assert_q (lines[1].upper, "8000000000");
  assert_false (lines[2].has_upper);
  gboolean has_next = FALSE;
  assert_int_equal (qt_tiers_reached (lines, 3, v, &has_next, NULL), 0);
  assert_true (has_next);
  qt_tiers_marginal (lines, 3, v, total);
  assert_q (lines[0].portion, "5000000");
  assert_q (total, "0");
  qt_tier_lines_free (lines, 3);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_volume_bounds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_scaled_bounds, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
