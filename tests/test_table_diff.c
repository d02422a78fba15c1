/* tests/test_table_diff.c — run/table_diff: the cells of payout.csv and
 * scores.csv that differ between two versions (SPEC §8.1 rule 8): rows
 * matched by rep_id, cells compared as bytes, a rep on one side only
 * with empty cells on the other, sorted by rep_id (bytewise), file and
 * column order; malformed tables and differing headers refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "model/qt_error.h"
#include "run/table_diff.h"
#include "support/test_support.h"

#define P_HEAD "rep_id,name,currency,commission,override,sprint_bonus,score_bonus,adjustments,total\n"
#define S_HEAD "rep_id,team_id,process_score,result_score,total_score,team_rank\n"

static GBytes *
bytes_or_null (const char *text)
{
  return text != NULL ? g_bytes_new_static (text, strlen (text)) : NULL;
}

/* The changes between two versions of `file` as qt_cell_changes_csv
 * prints them (header included); fails the test on an error. */
static char *
diff_csv (const char *file, const char *a, const char *b)
{
  g_autoptr (GBytes) ba = bytes_or_null (a);
  g_autoptr (GBytes) bb = bytes_or_null (b);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = qt_table_diff_bytes (file, ba, bb, "a.csv", "b.csv", &error);
  if (changes == NULL)
    fail_msg ("unexpected error: %s", error->message);
  GString *csv = qt_cell_changes_csv (changes);
  return g_string_free (csv, FALSE);
}

/* Asserts that comparing a with b fails with `code` and `message`. */
static void
assert_diff_error (const char *file, const char *a, const char *b, int code, const char *message)
{
  g_autoptr (GBytes) ba = bytes_or_null (a);
  g_autoptr (GBytes) bb = bytes_or_null (b);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = qt_table_diff_bytes (file, ba, bb, "a.csv", "b.csv", &error);
  assert_null (changes);
  assert_non_null (error);
  assert_true (g_error_matches (error, QT_ERROR, code));
  assert_string_equal (error->message, message);
}

#define P_R1 "R1,Alice Chen,EUR,100.00,0.00,0.00,0.00,0.00,100.00\n"
#define P_R2 "R2,Bob Li,EUR,50.00,5.00,0.00,0.00,0.00,55.00\n"

static void
test_equal_tables (void **state)
{
  (void) state;
  g_autofree char *same = diff_csv ("payout.csv", P_HEAD P_R1 P_R2, P_HEAD P_R1 P_R2);
  assert_string_equal (same, "rep_id,file,column,old,new\n");
  /* Rows are matched by rep_id, not by position. */
  g_autofree char *moved = diff_csv ("payout.csv", P_HEAD P_R1 P_R2, P_HEAD P_R2 P_R1);
  assert_string_equal (moved, "rep_id,file,column,old,new\n");
  /* Both absent, or both empty: nothing to compare. */
  g_autofree char *none = diff_csv ("scores.csv", NULL, NULL);
  assert_string_equal (none, "rep_id,file,column,old,new\n");
  g_autofree char *empty = diff_csv ("scores.csv", S_HEAD, S_HEAD);
  assert_string_equal (empty, "rep_id,file,column,old,new\n");
}

/* Cells are bytes: "100.0" is not "100.00", a space is a difference. */
static void
test_one_changed_cell (void **state)
{
  (void) state;
  g_autofree char *got = diff_csv ("payout.csv", P_HEAD P_R1 P_R2,
                                   P_HEAD P_R1 "R2,Bob Li,EUR,50.00,5.00,0.00,0.00,0.00,55.0\n");
  assert_string_equal (got, "rep_id,file,column,old,new\n"
                            "R2,payout.csv,total,55.00,55.0\n");
  g_autofree char *blank = diff_csv ("scores.csv", S_HEAD "R1,EAST,1.00,2.00,3.00,1\n",
                                     S_HEAD "R1,EAST ,1.00,2.00,3.00,\n");
  assert_string_equal (blank, "rep_id,file,column,old,new\n"
                              "R1,scores.csv,team_id,EAST,EAST \n"
                              "R1,scores.csv,team_rank,1,\n");
}

/* A rep on one side only: each non-empty cell of the other side is a
 * change (here R3's empty name is not). */
static void
test_rep_only_in_a (void **state)
{
  (void) state;
  g_autofree char *got = diff_csv ("payout.csv", P_HEAD P_R1 "R3,,EUR,1.00,0.00,0.00,0.00,0.00,1.00\n",
                                   P_HEAD P_R1);
  assert_string_equal (got, "rep_id,file,column,old,new\n"
                            "R3,payout.csv,currency,EUR,\n"
                            "R3,payout.csv,commission,1.00,\n"
                            "R3,payout.csv,override,0.00,\n"
                            "R3,payout.csv,sprint_bonus,0.00,\n"
                            "R3,payout.csv,score_bonus,0.00,\n"
                            "R3,payout.csv,adjustments,0.00,\n"
                            "R3,payout.csv,total,1.00,\n");
}

static void
test_rep_only_in_b (void **state)
{
  (void) state;
  const char *want = "rep_id,file,column,old,new\n"
                     "R0,scores.csv,team_id,,WEST\n"
                     "R0,scores.csv,process_score,,0.00\n"
                     "R0,scores.csv,result_score,,0.00\n"
                     "R0,scores.csv,total_score,,0.00\n"
                     "R0,scores.csv,team_rank,,2\n";
  g_autofree char *got = diff_csv ("scores.csv", S_HEAD "R1,EAST,1.00,2.00,3.00,1\n",
                                   S_HEAD "R0,WEST,0.00,0.00,0.00,2\nR1,EAST,1.00,2.00,3.00,1\n");
  assert_string_equal (got, want);
  /* An absent table is one without reps. */
  g_autofree char *absent = diff_csv ("scores.csv", NULL, S_HEAD "R0,WEST,0.00,0.00,0.00,2\n");
  assert_string_equal (absent, want);
}

/* rep_id bytewise ("R10" < "R2" < "r1", UTF-8 after ASCII), then the
 * header's column order (not the alphabet), whatever the row order. */
static void
test_sorted_by_rep_then_column (void **state)
{
  (void) state;
  g_autofree char *got = diff_csv ("scores.csv",
                                   S_HEAD "r1,A,1,1,1,1\nR2,A,1,1,1,1\nÉ1,A,1,1,1,1\nR10,A,1,1,1,1\n",
                                   S_HEAD "R10,A,1,1,2,1\nÉ1,B,1,1,1,1\nR2,A,1,2,1,2\nr1,A,3,1,1,1\n");
  assert_string_equal (got, "rep_id,file,column,old,new\n"
                            "R10,scores.csv,total_score,1,2\n"
                            "R2,scores.csv,result_score,1,2\n"
                            "R2,scores.csv,team_rank,1,2\n"
                            "r1,scores.csv,process_score,1,3\n"
                            "É1,scores.csv,team_id,A,B\n");
}

/* Column order is the header's: extra columns too, rep_id anywhere. */
static void
test_header_order_and_extra_columns (void **state)
{
  (void) state;
  const char *head = "team_id,total_score,rep_id,process_score,result_score,team_rank,note\n";
  g_autofree char *a = g_strconcat (head, "A,9,R1,1,1,1,x\n", NULL);
  g_autofree char *b = g_strconcat (head, "B,9,R1,1,1,1,y\n", NULL);
  g_autofree char *got = diff_csv ("scores.csv", a, b);
  assert_string_equal (got, "rep_id,file,column,old,new\n"
                            "R1,scores.csv,team_id,A,B\n"
                            "R1,scores.csv,note,x,y\n");
}

/* Names with commas, quotes, newlines and non-ASCII text come back quoted
 * as SPEC §12.10 writes them. */
static void
test_quoted_names (void **state)
{
  (void) state;
  g_autofree char *got = diff_csv (
    "payout.csv", P_HEAD "R108,\"O'Brien, Siobhán\",EUR,1,0,0,0,0,1\n",
    P_HEAD "R108,\"Carlos \"\"Charlie\"\" Mendes\",EUR,1,0,0,0,0,1\n"
           "R,X,\"two\nlines\",0,0,0,0,0,0\n");
  assert_string_equal (got, "rep_id,file,column,old,new\n"
                            "R,payout.csv,name,,X\n"
                            "R,payout.csv,currency,,\"two\nlines\"\n"
                            "R,payout.csv,commission,,0\n"
                            "R,payout.csv,override,,0\n"
                            "R,payout.csv,sprint_bonus,,0\n"
                            "R,payout.csv,score_bonus,,0\n"
                            "R,payout.csv,adjustments,,0\n"
                            "R,payout.csv,total,,0\n"
                            "R108,payout.csv,name,\"O'Brien, Siobhán\",\"Carlos \"\"Charlie\"\" Mendes\"\n");
}

/* The change records themselves, for callers that do not print CSV. */
static void
test_change_fields (void **state)
{
  (void) state;
  g_autoptr (GBytes) a = bytes_or_null (P_HEAD P_R1);
  g_autoptr (GBytes) b = bytes_or_null (P_HEAD "R1,Alice Chen,EUR,100.00,0.00,0.00,0.00,-2.00,98.00\n");
  g_autoptr (GPtrArray) changes = qt_table_diff_bytes ("payout.csv", a, b, "a", "b", NULL);
  assert_non_null (changes);
  assert_int_equal (changes->len, 2);
  const QtCellChange *c = g_ptr_array_index (changes, 0);
  assert_string_equal (c->rep_id, "R1");
  assert_string_equal (c->file, "payout.csv");
  assert_string_equal (c->column, "adjustments");
  assert_string_equal (c->old_value, "0.00");
  assert_string_equal (c->new_value, "-2.00");
}

static void
test_header_mismatch (void **state)
{
  (void) state;
  const char *swapped = "rep_id,team_id,result_score,process_score,total_score,team_rank\n";
  assert_diff_error ("scores.csv", S_HEAD, swapped, QT_ERROR_MALFORMED,
                     "b.csv:1:3: column 'result_score' where a.csv has 'process_score' "
                     "(the headers must be the same)");
  const char *extra = "rep_id,team_id,process_score,result_score,total_score,team_rank,note\n";
  assert_diff_error ("scores.csv", S_HEAD, extra, QT_ERROR_MALFORMED,
                     "b.csv:1:7: column 'note' is not in the header of a.csv");
  assert_diff_error ("scores.csv", extra, S_HEAD, QT_ERROR_MALFORMED,
                     "b.csv:1:7: the header ends before column 'note' of a.csv");
}

static void
test_malformed (void **state)
{
  (void) state;
  assert_diff_error ("payout.csv", P_HEAD "R1,\"Alice,EUR,1,0,0,0,0,1\n", P_HEAD, QT_ERROR_MALFORMED,
                     "a.csv:2:2: unterminated quoted field");
  assert_diff_error ("payout.csv", P_HEAD, P_HEAD "R1,Alice,EUR,1\n", QT_ERROR_MALFORMED,
                     "b.csv:2:5: expected 9 fields, found 4");
  assert_diff_error ("scores.csv", "rep_id,team_id\nR1,A\n", NULL, QT_ERROR_MALFORMED,
                     "a.csv:1:1: missing column 'process_score'");
  assert_diff_error ("scores.csv", "", S_HEAD, QT_ERROR_MALFORMED, "a.csv:1:1: missing header");
  assert_diff_error ("scores.csv", S_HEAD, S_HEAD "R1,A,1,1,1,1\nR2,A,1,1,1,1\nR1,A,1,1,1,2\nR2,B,1,1,1,1\n",
                     QT_ERROR_MALFORMED, "b.csv:4:1: rep_id 'R1' appears twice (first on line 2)");
  assert_diff_error ("scores.csv", S_HEAD ",A,1,1,1,1\n", S_HEAD, QT_ERROR_MALFORMED,
                     "a.csv:2:1: empty rep_id");
}

/* Writes RUN/payout.csv and RUN/scores.csv (NULL: left out). */
static char *
make_run (const char *tmp, const char *name, const char *payout, const char *scores)
{
  char *run = g_build_filename (tmp, name, NULL);
  assert_int_equal (g_mkdir_with_parents (run, 0755), 0);
  if (payout != NULL)
    {
      g_autofree char *path = g_build_filename (run, "payout.csv", NULL);
      qt_test_write (path, payout);
    }
  if (scores != NULL)
    {
      g_autofree char *path = g_build_filename (run, "scores.csv", NULL);
      qt_test_write (path, scores);
    }
  return run;
}

/* Both tables in one list: rep_id first, then payout.csv before
 * scores.csv, then column order. */
static void
test_run_diff_order (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *a = make_run (tmp, "a", P_HEAD P_R1 P_R2 "R10,Cy,EUR,1,0,0,0,0,1\n",
                                 S_HEAD "R1,A,1,1,1,1\nR10,A,1,1,1,1\nR2,A,1,1,1,1\n");
  g_autofree char *b = make_run (tmp, "b", P_HEAD "R1,Alice Chen,EUR,100.00,0.00,0.00,0.00,0.00,99.00\n" P_R2
                                 "R10,Cy,USD,1,0,0,0,0,1\n",
                                 S_HEAD "R1,A,1,1,1,2\nR10,B,1,1,1,1\nR2,A,7,1,1,1\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = qt_run_diff (a, b, &error);
  assert_null (error);
  g_autoptr (GString) csv = qt_cell_changes_csv (changes);
  assert_string_equal (csv->str, "rep_id,file,column,old,new\n"
                                 "R1,payout.csv,total,100.00,99.00\n"
                                 "R1,scores.csv,team_rank,1,2\n"
                                 "R10,payout.csv,currency,EUR,USD\n"
                                 "R10,scores.csv,team_id,A,B\n"
                                 "R2,scores.csv,process_score,1,7\n");
  g_autoptr (GPtrArray) none = qt_run_diff (a, a, &error);
  assert_non_null (none);
  assert_int_equal (none->len, 0);
  qt_test_rmtree (tmp);
}

static void
assert_run_error (const char *a, const char *b, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = qt_run_diff (a, b, &error);
  assert_null (changes);
  assert_true (g_error_matches (error, QT_ERROR, code));
  assert_string_equal (error->message, message);
}

static void
test_run_diff_errors (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *a = make_run (tmp, "a", P_HEAD, S_HEAD);
  g_autofree char *no_scores = make_run (tmp, "no-scores", P_HEAD, NULL);
  g_autofree char *gone = g_build_filename (tmp, "gone", NULL);
  g_autofree char *m1 = g_strdup_printf ("%s:1:1: run directory not found", gone);
  assert_run_error (a, gone, QT_ERROR_IO, m1);
  g_autofree char *m2 = g_strdup_printf ("%s/scores.csv:1:1: cannot read: missing", no_scores);
  assert_run_error (no_scores, a, QT_ERROR_IO, m2);
  /* A table that is a symbolic link is not a file of the run. */
  g_autofree char *linked = make_run (tmp, "linked", NULL, S_HEAD);
  g_autofree char *target = g_build_filename (a, "payout.csv", NULL);
  g_autofree char *link = g_build_filename (linked, "payout.csv", NULL);
  assert_int_equal (symlink (target, link), 0);
  g_autofree char *m3 = g_strdup_printf ("%s:1:1: cannot read: a symbolic link, not a file of the run", link);
  assert_run_error (a, linked, QT_ERROR_IO, m3);
  /* Malformed tables name their path. */
  g_autofree char *bad = make_run (tmp, "bad", P_HEAD "R1\n", S_HEAD);
  g_autofree char *m4 = g_strdup_printf ("%s/payout.csv:2:2: expected 9 fields, found 1", bad);
  assert_run_error (a, bad, QT_ERROR_MALFORMED, m4);
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_equal_tables),
    cmocka_unit_test (test_one_changed_cell),
    cmocka_unit_test (test_rep_only_in_a),
    cmocka_unit_test (test_rep_only_in_b),
    cmocka_unit_test (test_sorted_by_rep_then_column),
    cmocka_unit_test (test_header_order_and_extra_columns),
    cmocka_unit_test (test_quoted_names),
    cmocka_unit_test (test_change_fields),
    cmocka_unit_test (test_header_mismatch),
    cmocka_unit_test (test_malformed),
    cmocka_unit_test (test_run_diff_order),
    cmocka_unit_test (test_run_diff_errors),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
