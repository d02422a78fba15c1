/* tests/e2e_golden.c — the golden data set (an independent implementation's
 * outputs): payout, scores and credits byte for byte, exceptions on
 * file,line,code (SPEC §12.10: messages are free text). */
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

  const char *exact[] = { "payout.csv", "scores.csv", "credits.csv" };
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_autofree char *rel = g_strdup_printf ("fixtures/golden/expected/%s/%s", period, exact[i]);
      g_autofree char *want_path = qt_test_source_path (rel);
      g_autofree char *got_path = g_build_filename (f->out, exact[i], NULL);
      g_autofree char *want = qt_test_read (want_path);
      g_autofree char *got = qt_test_read (got_path);
      assert_non_null (want);
      assert_non_null (got);
      assert_string_equal (got, want);
    }
  g_autofree char *rel = g_strdup_printf ("fixtures/golden/expected/%s/exceptions.csv", period);
  g_autofree char *want_path = qt_test_source_path (rel);
  g_autofree char *got_path = g_build_filename (f->out, "exceptions.csv", NULL);
  g_autofree char *want = qt_test_read (want_path);
  g_autofree char *got = qt_test_read (got_path);
  assert_non_null (got);
  g_autofree char *want_keys = exception_keys (want);
  g_autofree char *got_keys = exception_keys (got);
  assert_string_equal (got_keys, want_keys);
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

/* One statement per rep, JSON and text, and the worked example's figures. */
static void
test_golden_statements (void **state)
{
  Fixture *f = *state;
  run_period (f, "2026-03");
  g_autofree char *dir = g_build_filename (f->out, "statements", NULL);
  assert_int_equal (qt_test_count_entries (dir), 12);
  g_autofree char *json_path = g_build_filename (dir, "B2.json", NULL);
  g_autofree char *json = qt_test_read (json_path);
  assert_non_null (json);
  assert_non_null (strstr (json, "\"997/3\""));
  assert_non_null (strstr (json, "\"8462.71\""));
  g_autofree char *txt_path = g_build_filename (dir, "B2.txt", NULL);
  g_autofree char *txt = qt_test_read (txt_path);
  assert_non_null (txt);
  assert_non_null (strstr (txt, "Dev Patel"));
  assert_non_null (strstr (txt, "8462.71"));
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
