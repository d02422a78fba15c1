/* tests/e2e_rebate.c — `quotient rebate` (SPEC §11) on fixtures/rebates/hand,
 * quarter 2026-Q1: rebates.csv, reconciliation.csv and exceptions.csv byte
 * for byte against fixtures/rebates/hand/expected/2026-Q1/ (worked out by
 * hand: tests/test_rebate.c has the arithmetic) and every partner
 * statement (this engine's own, reviewed by hand: their figures are those
 * of the arithmetic; a change to them must be deliberate), the summary, verify of
 * the run, and the bad input: a malformed quarter, no plan in force, a
 * shipment amount of 0, --strict — each with its exit code and message and
 * nothing written at --out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "support/test_support.h"

#define HAND QT_SOURCE_DIR "/fixtures/rebates/hand"
#define MEDICAL QT_SOURCE_DIR "/fixtures/rebates/medical"


static void
test_hand_quarter (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_run (&out, &err, "rebate", "--data", HAND "/data", "--plans", HAND "/plans",
                        "--quarter", "2026-Q1", "--out", f->out, NULL);
  if (rc != 0)
    fail_msg ("exit %d: %s", rc, err);
  assert_non_null (strstr (out, "  shipments          4 qualified of 11 (amount 4234.50)\n"));
  assert_non_null (strstr (out, "  rebate total       161.72\n"));
  static const char *const files[] = { "rebates.csv", "reconciliation.csv", "exceptions.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *got = g_build_filename (f->out, files[i], NULL);
      g_autofree char *want = g_build_filename (HAND, "expected", "2026-Q1", files[i], NULL);
      qt_test_assert_same_file (got, want);
    }
  g_autofree char *statements = g_build_filename (f->out, "statements", NULL);
  qt_test_assert_same_tree (statements, HAND "/expected/2026-Q1/statements", "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&out, &err, "verify", f->out, NULL), 0);
  assert_non_null (strstr (out, "period 2026-Q1, 20 files match"));
  /* an edited output is found */
  g_autofree char *rebates = g_build_filename (f->out, "rebates.csv", NULL);
  g_autofree char *text = qt_test_read (rebates);
  text[strlen (text) - 2] = '1';
  qt_test_write (rebates, text);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&out, &err, "verify", f->out, NULL), 1);
  assert_non_null (strstr (out, "MISMATCH rebates.csv"));
}

/* fixtures/rebates/medical (30 partners, 20,000 shipments over two
 * quarters, every code, partners on, just under and just over tier bounds,
 * a plan version change at the quarter boundary): both quarters against
 * the outputs its generator computes on its own (Python's decimal), byte
 * for byte; verify of each run. */
static void
test_medical_quarters (void **state)
{
  QtTestPlace *f = *state;
  static const char *const quarters[] = { "2026-Q1", "2026-Q2" };
  static const char *const files[] = { "rebates.csv", "reconciliation.csv", "exceptions.csv" };
  for (guint q = 0; q < G_N_ELEMENTS (quarters); q++)
    {
      g_autofree char *out = g_build_filename (f->runs, quarters[q], NULL);
      g_autofree char *err = NULL;
      int rc = qt_test_run (NULL, &err, "rebate", "--data", MEDICAL "/data", "--plans",
                            MEDICAL "/plans", "--quarter", quarters[q], "--out", out, NULL);
      if (rc != 0)
        fail_msg ("%s: exit %d: %s", quarters[q], rc, err);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *got = g_build_filename (out, files[i], NULL);
          g_autofree char *want = g_build_filename (MEDICAL, "expected", quarters[q], files[i], NULL);
          qt_test_assert_same_file (got, want);
        }
      g_clear_pointer (&err, g_free);
      assert_int_equal (qt_test_run (NULL, &err, "verify", out, NULL), 0);
    }
}

/* rebate ARGS... must exit `want` with `say` on stderr and leave nothing
 * at --out. */
static void
refused (QtTestPlace *f, int want, const char *say, const char *data, const char *quarter,
         const char *extra)
{
  g_autofree char *err = NULL;
  int rc = extra != NULL
             ? qt_test_run (NULL, &err, "rebate", "--data", data, "--plans", HAND "/plans",
                            "--quarter", quarter, "--out", f->out, extra, NULL)
             : qt_test_run (NULL, &err, "rebate", "--data", data, "--plans", HAND "/plans",
                            "--quarter", quarter, "--out", f->out, NULL);
  if (rc != want || strstr (err, say) == NULL)
    fail_msg ("exit %d, stderr '%s' (wanted %d and '%s')", rc, err, want, say);
  assert_int_equal (qt_test_count_entries (f->runs), 0);
}

static void
test_bad_input (void **state)
{
  QtTestPlace *f = *state;
  refused (f, 2, "quotient rebate: --quarter '2026-5' is not a quarter YYYY-Qn", HAND "/data",
           "2026-5", NULL);
  refused (f, 2, "partners.csv:2:3: partner 'D1' has rebate plan 'dist', which has no version "
           "in force on 2025-10-01", HAND "/data", "2025-Q4", NULL);
  refused (f, 1, "acceptances.csv:7: orphan_acceptance: acceptance A06 names shipment 'S98', "
           "which is not in shipments.csv (--strict: 9 exception rows, nothing written)",
           HAND "/data", "2026-Q1", "--strict");
  g_autofree char *data = g_build_filename (f->tmp, "data", NULL);
  qt_test_copy_dir (HAND "/data", data);
  g_autofree char *shipments = g_build_filename (data, "shipments.csv", NULL);
  g_autofree char *text = qt_test_read (shipments);
  g_autofree char *bad = g_strconcat (text, "S14,D1,P1,2026-01-01,1,0.00\n", NULL);
  qt_test_write (shipments, bad);
  g_autofree char *say = g_strdup_printf ("%s:15:6: amount must be greater than 0", shipments);
  refused (f, 2, say, data, "2026-Q1", NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_hand_quarter, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_medical_quarters, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_bad_input, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
