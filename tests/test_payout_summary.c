/* tests/test_payout_summary.c — calc/payout_summary.c: the finance
 * summary's figures, exact from 2-decimal cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calc/payout_summary.h"
#include "model/money.h"
#include "support/test_support.h"

/* Groups come out by key, bytewise, each summing its rows exactly. */
static void
test_groups (void **state)
{
  (void) state;
  const QtPayoutCells rows[] = {
    { "T2", { "0.10", "0.00", "0.00", "0.00", "0.00", "0.10" } },
    { "T1", { "1234.50", "1.00", "0.00", "12.35", "-0.02", "1247.83" } },
    { "T2", { "0.20", "0.00", "0.00", "0.00", "0.00", "0.20" } },
    { "T1", { "0.50", "x", "0.00", "0.00", "0.00", "0.50" } },
  };
  g_autoptr (GPtrArray) groups = qt_payout_groups (rows, G_N_ELEMENTS (rows));
  assert_int_equal (groups->len, 2);
  const QtPayoutGroup *t1 = g_ptr_array_index (groups, 0), *t2 = g_ptr_array_index (groups, 1);
  assert_string_equal (t1->key, "T1");
  assert_string_equal (t2->key, "T2");
  assert_q (t1->parts[0], "1235");
  assert_q (t1->parts[1], "1"); /* a cell that is not a decimal counts 0 */
  assert_q (t1->parts[4], "-0.02");
  assert_q (t2->parts[5], "0.3"); /* 0.10 + 0.20 exactly */
}

/* Largest |change| first, ties by id; an absent earlier total is 0. */
static void
test_changes (void **state)
{
  (void) state;
  const char *ids[] = { "R3", "R1", "R2", "R4" };
  const char *now[] = { "100.00", "50.00", "10.00", "0.00" };
  const char *was[] = { "150.00", NULL, "60.00", "0.00" };
  g_autoptr (GArray) list = qt_payout_changes (ids, now, was, 4);
  assert_int_equal (list->len, 4);
  const guint order[] = { 1, 2, 0, 3 }; /* R1 +50, R2 −50, R3 −50, R4 0 */
  for (guint i = 0; i < 4; i++)
    assert_int_equal (g_array_index (list, QtPayoutChange, i).row, order[i]);
  assert_q (g_array_index (list, QtPayoutChange, 0).delta, "50");
  assert_q (g_array_index (list, QtPayoutChange, 2).delta, "-50");
}

static void
test_sum (void **state)
{
  (void) state;
  const char *cells[] = { "-200.00", "0.01", "not money", "1e3" };
  g_auto (mpq_t) sum;
  mpq_init (sum);
  qt_payout_sum (sum, cells, G_N_ELEMENTS (cells));
  assert_q (sum, "-199.99");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_groups),
    cmocka_unit_test (test_changes),
    cmocka_unit_test (test_sum),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
