/* tests/test_index.c — calc/index directly: lines and splits per order,
 * receipts per month in file order, each order's first positive receipt
 * (SPEC §12.5.3), quotas by rep and period, direct reports, and the
 * new-customer look-back table (SPEC §12.5.1), with one thread and two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calc/index.h"
#include "support/test_support.h"

static const char *const rows[] = {
  "reps.csv", "M,m,t,,p\nA,a,t,M,p\nB,b,t,M,p\nC,c,u,A,p\n",
  "customers.csv", "C1,c\nC2,c\n",
  "products.csv", "P1,p,x\n",
  /* C1's orders by (signed_on, order_id): OX-10 < OX-9 on the same day */
  "orders.csv", "OX-9,C1,A,2026-01-10,paid\nOX-10,C1,A,2026-01-10,draft\n"
                "O3,C1,B,2025-01-10,paid\nO4,C2,B,2026-02-01,paid\n",
  "order_lines.csv", "OX-9,1,P1,1,1,0\nO4,1,P1,1,1,0\nOX-9,2,P1,1,1,0\n",
  "splits.csv", "O4,A,0.5\nO4,B,0.5\n",
  /* OX-9: two positive receipts on one day (R-B before R-C by id) after a
   * refund and a zero; O4 only a refund */
  "receipts.csv", "R-C,OX-9,2026-03-01,5\nR-A,OX-9,2026-02-01,-5\nR-B,OX-9,2026-03-01,7\n"
                  "R-Z,OX-9,2026-01-01,0\nR-D,O4,2026-03-09,-1\n",
  "quotas.csv", "A,2026-03,100\nB,2026-02,5\n",
  NULL,
};

typedef struct {
  char *root;
  QtDataset *ds;
} Fx;

static int
setup (void **state)
{
  Fx *fx = g_new0 (Fx, 1);
  fx->root = qt_test_tmpdir ();
  fx->ds = qt_test_dataset (fx->root, rows);
  *state = fx;
  return 0;
}

static int
teardown (void **state)
{
  Fx *fx = *state;
  qt_dataset_free (fx->ds);
  qt_test_rmtree (fx->root);
  g_free (fx->root);
  g_free (fx);
  return 0;
}

static gint
order (const QtDataset *ds, const char *id)
{
  for (guint o = 0; o < ds->n_orders; o++)
    if (strcmp (ds->orders[o].order_id, id) == 0)
      return (gint) o;
  fail_msg ("no order %s", id);
  return -1;
}

static QtPeriod
period (const char *text)
{
  QtPeriod p;
  assert_true (qt_period_parse (text, strlen (text), &p));
  return p;
}

/* The ids of receipts ds->receipts[list[0..n)], space-separated. */
static char *
receipt_ids (const QtDataset *ds, const guint *list, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", ds->receipts[list[i]].receipt_id);
  return g_string_free (s, FALSE);
}

static void
check (const QtDataset *ds, guint threads)
{
  g_autoptr (QtIndex) ix = qt_index_new (ds, threads);
  const gint ox9 = order (ds, "OX-9"), o4 = order (ds, "O4");

  /* lines and splits of an order, in file order */
  assert_int_equal (ix->line_start[ox9 + 1] - ix->line_start[ox9], 2);
  assert_string_equal (ds->lines[ix->order_lines[ix->line_start[ox9] + 1]].line_no, "2");
  assert_int_equal (ix->split_start[o4 + 1] - ix->split_start[o4], 2);
  assert_int_equal (ix->split_start[ox9 + 1] - ix->split_start[ox9], 0);

  /* receipts by month, in file order inside a month */
  guint n;
  const guint *march = qt_index_receipts_in (ix, period ("2026-03"), &n);
  g_autofree char *m = receipt_ids (ds, march, n);
  assert_string_equal (m, "R-C R-B R-D");
  qt_index_receipts_in (ix, period ("2025-12"), &n);
  assert_int_equal (n, 0);

  /* the earliest positive receipt: by received_on, then receipt_id */
  assert_string_equal (ds->receipts[ix->first_positive[ox9]].receipt_id, "R-B");
  assert_int_equal (ix->first_positive[o4], -1);

  /* quotas */
  const QtQuota *q = qt_index_quota (ix, 1, period ("2026-03"));
  assert_non_null (q);
  assert_string_equal (q->rep_id, "A");
  assert_null (qt_index_quota (ix, 1, period ("2026-02")));

  /* direct reports of M: A and B (C reports to A) */
  assert_int_equal (ix->report_start[1] - ix->report_start[0], 2);
  assert_int_equal (ix->report_start[2] - ix->report_start[1], 1);

  /* new_customer look-back over paid orders of C1: OX-9's nearest earlier
   * eligible order is O3 (OX-10 is a draft); O3 has none */
  qt_index_prepare_eligible (ix, 1u << QT_STATUS_PAID);
  const QtDay *prev = ix->prev_eligible_day[1u << QT_STATUS_PAID];
  assert_int_equal (prev[ox9], ds->orders[order (ds, "O3")].signed_on);
  assert_int_equal (prev[order (ds, "O3")], QT_INDEX_NO_DAY);
  /* with drafts eligible too, OX-10 precedes OX-9 on the same day */
  const QtStatusSet both = (1u << QT_STATUS_PAID) | (1u << QT_STATUS_DRAFT);
  qt_index_prepare_eligible (ix, both);
  assert_int_equal (ix->prev_eligible_day[both][ox9], ds->orders[order (ds, "OX-10")].signed_on);
}

static void
test_one_thread (void **state)
{
  Fx *fx = *state;
  check (fx->ds, 1);
}

static void
test_two_threads (void **state)
{
  Fx *fx = *state;
  check (fx->ds, 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_one_thread, setup, teardown),
    cmocka_unit_test_setup_teardown (test_two_threads, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
