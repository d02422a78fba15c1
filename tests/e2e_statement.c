/* tests/e2e_statement.c — `quotient statement`: a rep's statement printed
 * byte for byte as the run wrote it (text and JSON, golden 2026-03), and
 * every refusal: no such rep, a statement changed since the run (exit 1,
 * nothing printed), missing options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "support/test_support.h"

static char *
golden_run (const QtTestPlace *f)
{
  char *run = g_build_filename (f->runs, "golden-2026-03", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-03", "--out", run, NULL), 0);
  return run;
}

static void
test_prints_the_statement (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *run = golden_run (f);
  g_autofree char *out = NULL, *json = NULL;
  assert_int_equal (qt_test_run (&out, NULL, "statement", "--run", run, "--rep", "B2", NULL), 0);
  g_autofree char *want = qt_test_read (QT_SOURCE_DIR "/fixtures/golden/expected/2026-03/statements/B2.txt");
  assert_string_equal (out, want);
  assert_int_equal (qt_test_run (&json, NULL, "statement", "--run", run, "--rep", "B2", "--json",
                                 NULL), 0);
  g_autofree char *want_json = qt_test_read (QT_SOURCE_DIR "/fixtures/golden/expected/2026-03/statements/B2.json");
  assert_string_equal (json, want_json);
}

static void
test_refusals (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *run = golden_run (f);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "statement", "--run", run, "--rep", "Z9", NULL), 2);
  g_autofree char *no_rep = g_strdup_printf ("quotient statement: %s: no statement of rep 'Z9' in "
                                             "this run\n", run);
  assert_string_equal (err, no_rep);
  assert_string_equal (out, "");
  /* a statement edited after the run is not shown as the run's */
  g_autofree char *path = g_build_filename (run, "statements", "B2.txt", NULL);
  g_autofree char *text = qt_test_read (path);
  g_autofree char *edited = g_strconcat (text, "  Bonus 1000000.00\n", NULL);
  qt_test_write (path, edited);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&out, &err, "statement", "--run", run, "--rep", "B2", NULL), 1);
  assert_string_equal (out, "");
  assert_non_null (strstr (err, "statements/B2.txt: not the statement the run wrote"));
  assert_non_null (strstr (err, "run quotient verify"));
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "statement", "--run", run, NULL), 2);
  assert_string_equal (err, "quotient statement: --rep REP is required with --run\n");
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "statement", "--rep", "B2", NULL), 2);
  assert_string_equal (err, "quotient statement: give --run RUN_DIR, or --pg and --period (see "
                            "quotient statement --help)\n");
  g_autofree char *help = NULL;
  assert_int_equal (qt_test_run (&help, NULL, "statement", "--help", NULL), 0);
  assert_non_null (strstr (help, "Examples:\n  quotient statement --run runs/2026-05 --rep R101"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_prints_the_statement, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_refusals, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
