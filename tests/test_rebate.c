/* tests/test_rebate.c — calc/rebate on fixtures/rebates/hand (SPEC §11),
 * quarter 2026-Q1, every figure worked out by hand:
 *
 *   S01 D1 600: invoices 400 + 200.00, acceptances 6 + 4 of 10  qualified
 *   S02 D1 400: invoices 500 − 100 (a credit note), 5 of 5       qualified
 *   S03 D1  50: no invoice                              missing_invoice
 *   S04 D9  70: D9 is no partner (no documents either)  unknown_partner
 *   S05 D2  80: P9 is no product                        unknown_product
 *   S06 D2  90: P2 is "cons", marg v2 rebates "ortho"   category_excluded
 *   S07 D2 1500: invoiced 1600 (over-invoicing)  invoice_amount_mismatch
 *   S08 D2 500: invoiced, never accepted                 missing_acceptance
 *   S09 D2 700: 3 accepted of 2 (over-acceptance) acceptance_quantity_mismatch
 *   S10 D2 2000: invoiced on 2026-04-02 (after the quarter: counts), 4 of 4
 *                                                                   qualified
 *   S11, S12: shipped 2025-12-31 and 2026-04-01, outside the quarter
 *   S13 D3 1234.50: invoiced 1234.5, 3 of 3                           qualified
 *   I10 → S99, A06 → S98: orphans
 *
 * dist (retroactive) and marg v2 (marginal, in force from 2026-01-01; v1
 * ended 2025-12-31): 0 % from 0, 5 % from 1000, 10 % from 2000.
 *   D1: 600 + 400 = 1000, exactly on the bound: tier 2 (5 %), 50.00;
 *       1000 short of 2000, where it would get 2000 × 10 % = 200
 *   D2: 2000, on the top bound: marginal 0 + 1000 × 5 % + 0 = 50.00
 *   D3: 1234.5 × 5 % = 61.725 → 61.72 (half-even)
 *   D4: no shipment, 0.00; 1000 short of 1000 × 5 % = 50
 * Control: 11 shipments in Q1 for 7224.5; qualified S01 S02 S10 S13 for
 * 4234.5, excepted 7 for 2990; rebates 50 + 50 + 61.72 + 0 = 161.72. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <gmp.h>

#include "calc/rebate.h"
#include "loaders/dataset_loader.h"
#include "model/money.h"
#include "model/qt_error.h"
#include "support/test_support.h"

#define HAND QT_SOURCE_DIR "/fixtures/rebates/hand"

typedef struct {
  QtDataset *ds;
  QtPlanSet *plans;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  const QtLoadOptions o = { .tables = QT_TABLES_REBATE };
  g_autoptr (GError) error = NULL;
  f->ds = qt_dataset_load_dir (HAND "/data", &o, &error);
  f->plans = qt_plan_set_load_dir_kind (HAND "/plans", QT_PLAN_REBATE, &error);
  if (error != NULL)
    fail_msg ("%s", error->message);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_dataset_free (f->ds);
  qt_plan_set_free (f->plans);
  g_free (f);
  return 0;
}

static QtQuarter
quarter (const char *text)
{
  QtQuarter q;
  assert_true (qt_quarter_parse (text, strlen (text), &q));
  return q;
}

static const QtPartnerRebate *
partner (const QtRebateResult *res, const char *id)
{
  for (guint i = 0; i < res->n_partners; i++)
    if (strcmp (res->ds->partners[res->partners[i].partner].partner_id, id) == 0)
      return &res->partners[i];
  fail_msg ("no partner %s", id);
  return NULL;
}

static void
test_codes (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtRebateResult) res = qt_rebate_compute (f->ds, f->plans, quarter ("2026-Q1"), &error);
  assert_non_null (res);
  static const char *const want[][2] = {
    { "S01", "" }, { "S02", "" }, { "S03", "missing_invoice" }, { "S04", "unknown_partner" },
    { "S05", "unknown_product" }, { "S06", "category_excluded" },
    { "S07", "invoice_amount_mismatch" }, { "S08", "missing_acceptance" },
    { "S09", "acceptance_quantity_mismatch" }, { "S10", "" }, { "S13", "" },
  };
  assert_int_equal (res->n_lines, G_N_ELEMENTS (want));
  for (guint k = 0; k < res->n_lines; k++)
    {
      const QtReconLine *l = &res->lines[k];
      assert_string_equal (f->ds->shipments[l->shipment].shipment_id, want[k][0]);
      assert_string_equal (qt_recon_code_name (l->code), want[k][1]);
    }
  assert_q (res->lines[0].invoiced, "600");
  assert_q (res->lines[0].accepted, "10");
  assert_q (res->lines[1].invoiced, "400");
  assert_int_equal (res->lines[1].n_invoices, 2);
  assert_q (res->lines[2].invoiced, "0");
  assert_q (res->lines[6].invoiced, "1600");
  assert_q (res->lines[8].accepted, "3");
  assert_q (res->lines[9].invoiced, "2000");
}

static void
test_exceptions (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtRebateResult) res = qt_rebate_compute (f->ds, f->plans, quarter ("2026-Q1"), &error);
  static const char *const want[][3] = {
    { "acceptances.csv", "7", "orphan_acceptance" },
    { "partner_invoices.csv", "11", "orphan_invoice" },
    { "shipments.csv", "4", "missing_invoice" },
    { "shipments.csv", "5", "unknown_partner" },
    { "shipments.csv", "6", "unknown_product" },
    { "shipments.csv", "7", "category_excluded" },
    { "shipments.csv", "8", "invoice_amount_mismatch" },
    { "shipments.csv", "9", "missing_acceptance" },
    { "shipments.csv", "10", "acceptance_quantity_mismatch" },
  };
  assert_int_equal (res->exceptions->len, G_N_ELEMENTS (want));
  for (guint i = 0; i < res->exceptions->len; i++)
    {
      const QtException *x = &g_array_index (res->exceptions, QtException, i);
      g_autofree char *line = g_strdup_printf ("%u", x->line);
      assert_string_equal (x->file, want[i][0]);
      assert_string_equal (line, want[i][1]);
      assert_string_equal (x->code, want[i][2]);
    }
  const QtException *x = &g_array_index (res->exceptions, QtException, 6);
  assert_string_equal (x->message, "shipment S07: invoices sum to 1600, the shipment's amount is 1500");
}

static void
test_rebates (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtRebateResult) res = qt_rebate_compute (f->ds, f->plans, quarter ("2026-Q1"), &error);
  const QtPartnerRebate *d1 = partner (res, "D1"), *d2 = partner (res, "D2");
  const QtPartnerRebate *d3 = partner (res, "D3"), *d4 = partner (res, "D4");
  assert_q (d1->volume, "1000");
  assert_int_equal (d1->tier, 1);
  assert_q (d1->rebate, "50");
  assert_true (d1->has_next_tier);
  assert_q (d1->next_tier_needed, "1000");
  assert_q (d1->next_tier_rebate, "200");
  assert_q (d1->held[QT_RECON_MISSING_INVOICE], "50");
  assert_int_equal (d1->n_qualified, 2);
  assert_int_equal (d1->n_excepted, 1);
  assert_int_equal (d2->plan->version, 2);
  assert_q (d2->volume, "2000");
  assert_int_equal (d2->tier, 2);
  assert_false (d2->has_next_tier);
  assert_q (d2->rebate, "50");
  assert_q (d2->held[QT_RECON_INVOICE_AMOUNT_MISMATCH], "1500");
  assert_q (d2->held[QT_RECON_CATEGORY_EXCLUDED], "90");
  /* paperwork can still qualify 1500 + 500 + 700; 80 + 90 cannot */
  assert_q (d2->held_fixable, "2700");
  assert_int_equal (d2->n_fixable, 3);
  assert_q (d2->held_not_eligible, "170");
  assert_int_equal (d2->n_not_eligible, 2);
  assert_q (d3->rebate_exact, "61.725");
  assert_q (d3->rebate, "61.72");
  assert_q (d4->volume, "0");
  assert_int_equal (d4->tier, 0);
  assert_q (d4->rebate, "0");
  assert_q (d4->next_tier_needed, "1000");
  assert_q (d4->next_tier_rebate, "50");
  /* sorted by partner_id */
  assert_ptr_equal (d1, &res->partners[0]);
  assert_ptr_equal (d4, &res->partners[3]);
  assert_int_equal (res->n_shipments, 11);
  assert_q (res->amount_shipped, "7224.5");
  assert_int_equal (res->n_qualified, 4);
  assert_q (res->amount_qualified, "4234.5");
  assert_int_equal (res->n_excepted, 7);
  assert_q (res->amount_excepted, "2990");
  assert_q (res->rebate_total, "161.72");
  assert_int_equal (res->plans_used->len, 2);
}

/* SPEC §11 rule 2: no plan in force on the quarter's first day stops the
 * run, naming the partner's row and column. */
static void
test_plan_not_in_force (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtRebateResult) res = qt_rebate_compute (f->ds, f->plans, quarter ("2025-Q4"), &error);
  assert_null (res);
  assert_string_equal (error->message, "partners.csv:2:3: partner 'D1' has rebate plan 'dist', "
                                       "which has no version in force on 2025-10-01");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_codes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exceptions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rebates, setup, teardown),
    cmocka_unit_test_setup_teardown (test_plan_not_in_force, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
