/* tests/e2e_diff.c — `quotient diff RUN_A RUN_B [--csv]` (SPEC §8.1 rule 8)
 * on two runs of the demo data set for 2026-05: the published data, and a
 * copy with one activity value changed (R104's nps 26 → 80), one name
 * changed (R108, quoted: comma and quotes), one Chinese name changed
 * (R101: two columns a character in the person's table) and one rep added (R1000, HQ;
 * bytewise between R100 and R101).  Both outputs are compared byte for
 * byte with tests/expected/diff_demo_2026-05.{csv,txt}, checked by hand
 * when committed: R104's result score +20 (nps) and total +13 (result
 * weight 0.65), its score bonus paid (2593.39 = the change of the payout
 * total), R103 and R104 swapping ranks 8 and 9 in EAST, R1000's cells all
 * new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "support/test_support.h"

typedef struct {
  char *tmp;
  char *a;     /* the demo data, 2026-05 */
  char *b;     /* the edited copy, 2026-05 */
  char *again; /* the demo data again, a second run */
} Fixture;

/* Replaces the one occurrence of `from` in the file by `to`. */
static void
edit_file (const char *path, const char *from, const char *to)
{
  g_autofree char *text = qt_test_read (path);
  assert_non_null (text);
  char *at = strstr (text, from);
  if (at == NULL)
    fail_msg ("%s does not hold '%s'", path, from);
  *at = '\0';
  g_autofree char *edited = g_strconcat (text, to, at + strlen (from), NULL);
  qt_test_write (path, edited);
}

static void
run_demo (const char *data, const char *out)
{
  g_autofree char *plans = qt_test_source_path ("fixtures/demo/plans");
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  int rc = qt_test_run (&stdout_text, &stderr_text, "run", "--data", data, "--plans", plans,
                        "--period", "2026-05", "--out", out, NULL);
  if (rc != 0)
    fail_msg ("quotient run exited %d: %s", rc, stderr_text);
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->tmp = qt_test_tmpdir ();
  g_autofree char *demo = qt_test_source_path ("fixtures/demo/data");
  g_autofree char *data = g_build_filename (f->tmp, "data", NULL);
  qt_test_copy_dir (demo, data);
  g_autofree char *activities = g_build_filename (data, "activities.csv", NULL);
  edit_file (activities, "\nR104,2026-05,nps,26\n", "\nR104,2026-05,nps,80\n");
  g_autofree char *reps = g_build_filename (data, "reps.csv", NULL);
  edit_file (reps, "\nR108,\"O'Brien, Siobhán\",", "\nR108,\"O'Brien-Walsh, Siobhán \"\"Shiv\"\"\",");
  edit_file (reps, "\nR409,", "\nR1000,Ewa Nowak,HQ,R000,inside\nR409,");
  edit_file (reps, "\nR101,李娜,", "\nR101,李娜娜,");

  f->a = g_build_filename (f->tmp, "a", NULL);
  f->b = g_build_filename (f->tmp, "b", NULL);
  f->again = g_build_filename (f->tmp, "again", NULL);
  run_demo (demo, f->a);
  run_demo (data, f->b);
  run_demo (demo, f->again);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->a);
  g_free (f->b);
  g_free (f->again);
  g_free (f);
  return 0;
}

/* Asserts that stdout_text holds exactly the bytes of tests/expected/`name`. */
static void
assert_expected (const Fixture *f, const char *stdout_text, const char *name)
{
  g_autofree char *got = g_build_filename (f->tmp, name, NULL);
  qt_test_write (got, stdout_text);
  g_autofree char *rel = g_build_filename ("tests", "expected", name, NULL);
  g_autofree char *want = qt_test_source_path (rel);
  qt_test_assert_same_file (got, want);
}

static void
test_csv_output (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, f->b, "--csv", NULL), 1);
  assert_string_equal (err, "");
  assert_expected (f, out, "diff_demo_2026-05.csv");
}

static void
test_person_output (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, f->b, NULL), 1);
  assert_string_equal (err, "");
  assert_expected (f, out, "diff_demo_2026-05.txt");
}

/* Swapped runs: old and new swap, R1000 is now the rep missing on the
 * new side, and the order is the same. */
static void
test_swapped (void **state)
{
  Fixture *f = *state;
  g_autofree char *fwd = NULL, *back = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&fwd, NULL, "diff", f->a, f->b, "--csv", NULL), 1);
  assert_int_equal (qt_test_run (&back, &err, "diff", f->b, f->a, "--csv", NULL), 1);
  assert_string_equal (err, "");
  g_auto (GStrv) lf = g_strsplit (fwd, "\n", -1);
  g_auto (GStrv) lb = g_strsplit (back, "\n", -1);
  assert_int_equal (g_strv_length (lf), g_strv_length (lb));
  assert_string_equal (lb[1], "R1000,payout.csv,name,Ewa Nowak,");
  assert_string_equal (lb[16], "R104,payout.csv,score_bonus,2593.39,0.00");
}

/* Two runs of the same data: nothing differs, exit 0. */
static void
test_identical_runs (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, f->again, NULL), 0);
  assert_string_equal (out, "no differences\n");
  assert_string_equal (err, "");
  g_autofree char *csv = NULL;
  assert_int_equal (qt_test_run (&csv, NULL, "diff", "--csv", f->a, f->again, NULL), 0);
  assert_string_equal (csv, "rep_id,file,column,old,new\n");
}

static void
test_missing_run (void **state)
{
  Fixture *f = *state;
  g_autofree char *gone = g_build_filename (f->tmp, "no-such-run", NULL);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, gone, "--csv", NULL), 2);
  assert_string_equal (out, "");
  g_autofree char *want = g_strdup_printf ("%s:1:1: run directory not found\n", gone);
  assert_string_equal (err, want);
}

/* A directory without payout.csv, and one whose payout.csv is broken:
 * exit 2 with the file, line and column, nothing on stdout. */
static void
test_unreadable_tables (void **state)
{
  Fixture *f = *state;
  g_autofree char *empty = g_build_filename (f->tmp, "empty", NULL);
  assert_int_equal (g_mkdir (empty, 0755), 0);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", empty, f->a, NULL), 2);
  assert_string_equal (out, "");
  g_autofree char *want = g_strdup_printf ("%s/payout.csv:1:1: cannot read: missing\n", empty);
  assert_string_equal (err, want);

  g_autofree char *broken = g_build_filename (f->tmp, "broken", NULL);
  qt_test_copy_dir (f->a, broken);
  g_autofree char *scores = g_build_filename (broken, "scores.csv", NULL);
  edit_file (scores, "\nR104,EAST,", "\nR104,\"EAST,");
  g_free (out);
  g_free (err);
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, broken, NULL), 2);
  assert_string_equal (out, "");
  g_autofree char *want2 = g_strdup_printf ("%s/scores.csv:7:2: unterminated quoted field\n", broken);
  assert_string_equal (err, want2);
  qt_test_rmtree (broken);
}

static void
test_usage (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "diff", f->a, NULL), 2);
  assert_string_equal (err, "quotient diff: give exactly two run directories, RUN_A RUN_B "
                            "(see quotient diff --help)\n");
  g_autofree char *help = NULL;
  assert_int_equal (qt_test_run (&help, NULL, "diff", "--help", NULL), 0);
  assert_non_null (strstr (help, "quotient diff [OPTION…] RUN_A RUN_B"));
  assert_non_null (strstr (help, "--csv"));
  assert_non_null (strstr (help, "Examples:\n  quotient diff "));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_csv_output),
    cmocka_unit_test (test_person_output),
    cmocka_unit_test (test_swapped),
    cmocka_unit_test (test_identical_runs),
    cmocka_unit_test (test_missing_run),
    cmocka_unit_test (test_unreadable_tables),
    cmocka_unit_test (test_usage),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
