/* tests/e2e_golden.c — the golden data set, periods 2026-02 and 2026-03,
 * against fixtures/golden/expected/<period>/:
 * - payout.csv, scores.csv and credits.csv byte for byte, and the file,
 *   line and code of every exceptions.csv row: an independent
 *   implementation's outputs, the contract (its messages are free text:
 *   this engine's whole exceptions.csv is exceptions.quotient.csv);
 * - every statement (statements/<stem>.json and .txt) and manifest.json byte for
 *   byte (and so exceptions.csv too, whose SHA-256 the manifest records):
 *   this engine's own outputs, reviewed by hand when they were committed, so
 *   that any change to them is deliberate (fixtures/golden/expected/README.md
 *   says how to regenerate them).  manifest.json holds the engine version:
 *   a new version number means new expected manifests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "support/test_support.h"

typedef struct {
  char *tmp;
  char *out;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->tmp = qt_test_tmpdir ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->out);
  g_free (f);
  return 0;
}

/* The first three columns of every line of an exceptions.csv. (transfer full) */
static char *
exception_keys (const char *csv)
{
  GString *s = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], ",", 4);
      if (cols[0] == NULL || cols[1] == NULL || cols[2] == NULL)
        continue;
      g_string_append_printf (s, "%s,%s,%s\n", cols[0], cols[1], cols[2]);
    }
  return g_string_free (s, FALSE);
}

/* fixtures/golden/expected/<period> in the source tree. (transfer full) */
static char *
expected_dir (const char *period)
{
  g_autofree char *rel = g_build_filename ("fixtures/golden/expected", period, NULL);
  return qt_test_source_path (rel);
}

/* The run's file `name` holds exactly the bytes of the expected one. */
static void
assert_expected_file (const Fixture *f, const char *period, const char *name)
{
  g_autofree char *dir = expected_dir (period);
  g_autofree char *want = g_build_filename (dir, name, NULL);
  g_autofree char *got = g_build_filename (f->out, name, NULL);
  qt_test_assert_same_file (got, want);
}

/* Runs `period` on the golden data set and compares the run directory with
 * the expected files (see the top of this file). */
static void
run_period (Fixture *f, const char *period)
{
  g_autofree char *data = qt_test_source_path ("fixtures/golden/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/golden/plans");
  f->out = g_build_filename (f->tmp, period, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_run (&out, &err, "run", "--data", data, "--plans", plans, "--period", period,
                        "--out", f->out, NULL);
  assert_int_equal (rc, 0);
  assert_string_equal (err, "");
  assert_non_null (strstr (out, "payout total"));

  const char *exact[] = { "payout.csv", "payout.json", "scores.csv", "credits.csv" };
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    assert_expected_file (f, period, exact[i]);

  g_autofree char *rel = g_strdup_printf ("fixtures/golden/expected/%s/exceptions.csv", period);
  g_autofree char *want_path = qt_test_source_path (rel);
  g_autofree char *got_path = g_build_filename (f->out, "exceptions.csv", NULL);
  g_autofree char *want = qt_test_read (want_path);
  g_autofree char *got = qt_test_read (got_path);
  assert_non_null (want);
  assert_non_null (got);
  g_autofree char *want_keys = exception_keys (want);
  g_autofree char *got_keys = exception_keys (got);
  assert_string_equal (got_keys, want_keys);

  /* The messages are this engine's own words: its whole file is kept beside. */
  g_autofree char *expected = expected_dir (period);
  g_autofree char *ours = g_build_filename (expected, "exceptions.quotient.csv", NULL);
  qt_test_assert_same_file (got_path, ours);
  qt_test_assert_same_tree (f->out, expected, "statements");
  assert_expected_file (f, period, "manifest.json");

  /* Nothing else in the run, and the snapshot is the data set and plans. */
  g_autofree char *names = qt_test_listing (f->out);
  assert_string_equal (names, "credits.csv\nexceptions.csv\ninputs/\nmanifest.json\npayout.csv\n"
                              "payout.json\nscores.csv\nstatements/");
  g_autofree char *snap_data = g_build_filename (f->out, "inputs", "data", NULL);
  g_autofree char *snap_plans = g_build_filename (f->out, "inputs", "plans", NULL);
  qt_test_assert_same_tree (snap_data, data, ".");
  qt_test_assert_same_tree (snap_plans, plans, ".");
}

static void
test_golden_2026_02 (void **state)
{
  run_period (*state, "2026-02");
}

static void
test_golden_2026_03 (void **state)
{
  run_period (*state, "2026-03");
}

/* A run verifies against its own snapshot straight away. */
static void
test_golden_verifies (void **state)
{
  Fixture *f = *state;
  run_period (f, "2026-03");
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "verify", f->out, NULL), 0);
  assert_non_null (strstr (out, "recompute byte for byte"));
}

/* Figures of fixtures/golden/README.md's worked examples, read from the
 * statements (so a regenerated expected file cannot silently change them). */
static void
assert_statement_has (const Fixture *f, const char *name, const char *const *texts)
{
  g_autofree char *path = g_build_filename (f->out, "statements", name, NULL);
  g_autofree char *text = qt_test_read (path);
  assert_non_null (text);
  for (guint i = 0; texts[i] != NULL; i++)
    if (strstr (text, texts[i]) == NULL)
      fail_msg ("%s does not hold %s", path, texts[i]);
}

static void
test_golden_statements (void **state)
{
  Fixture *f = *state;
  run_period (f, "2026-03");
  g_autofree char *dir = g_build_filename (f->out, "statements", NULL);
  assert_int_equal (qt_test_count_entries (dir), 12);
  /* B2: W = 39325/3, commission 997/3, score bonus 3170.375, ADJ3 -40.005. */
  assert_statement_has (f, "B2.json",
                        (const char *const[]) { "\"weighted\": \"39325/3\"", "\"997/3\"",
                                                "\"exact\":\"3170.375\",\"rounded\":\"3170.38\"",
                                                "\"exact\":\"-40.005\",\"rounded\":\"-40.00\"",
                                                "\"rounded\":\"8462.71\"", NULL });
  assert_statement_has (f, "B2.txt",
                        (const char *const[]) { "Dev Patel", "Total         8462.71", NULL });
  /* M2: override 0.05 x 2887/3; sprint 8400 / 8000 without a March quota. */
  assert_statement_has (f, "M2.json",
                        (const char *const[]) { "\"base_total\": \"2887/3\"",
                                                "\"exact\": \"2887/60\"", "\"rounded\": \"48.12\"",
                                                "\"attainment\": \"1.05\"", "\"no_quota\": true",
                                                "\"rounded\":\"1048.12\"", NULL });
  /* B1: two adjustments of 0.125 pay 0.12 + 0.12. */
  assert_statement_has (f, "B1.json",
                        (const char *const[]) { "\"adjustments\": {\"exact\":\"0.25\",\"rounded\":\"0.24\"}",
                                                "\"rounded\":\"630.00\"", NULL });
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_golden_2026_02, setup, teardown),
    cmocka_unit_test_setup_teardown (test_golden_2026_03, setup, teardown),
    cmocka_unit_test_setup_teardown (test_golden_verifies, setup, teardown),
    cmocka_unit_test_setup_teardown (test_golden_statements, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
