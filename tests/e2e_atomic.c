/* tests/e2e_atomic.c — how `quotient run` treats --out (SPEC §10, §12.10):
 * never overwrites silently, --replace swaps a draft run whole and refuses
 * anything else, --strict and malformed runs write nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/test_support.h"

typedef QtTestPlace Fixture;


/* Runs the fixture's data set; `flag` and `flag2` are extra options or NULL. */
static int
run (const Fixture *f, const char *period, const char *flag, const char *flag2, char **out,
     char **err)
{
  return qt_test_run (out, err, "run", "--data", f->data, "--plans", f->plans, "--period", period,
                      "--out", f->out, flag, flag2, NULL);
}

static void
run_ok (const Fixture *f, const char *period)
{
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, period, NULL, NULL, &out, &err), 0);
  assert_string_equal (err, "");
}

static gint
cmp_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
append_listing (GString *s, const char *root, const char *rel)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  assert_non_null (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, cmp_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, names->pdata[i], NULL)
                                       : g_strdup (names->pdata[i]);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          g_string_append_printf (s, "%s/\n", child_rel);
          append_listing (s, root, child_rel);
          continue;
        }
      g_autofree char *bytes = NULL;
      gsize len = 0;
      assert_true (g_file_get_contents (child, &bytes, &len, NULL));
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, len);
      g_string_append_printf (s, "%s %s\n", child_rel, sha);
    }
}

/* Every path below `root` with the SHA-256 of each file, sorted: two equal
 * snapshots mean the tree is byte-identical. (transfer full) */
static char *
tree_snapshot (const char *root)
{
  GString *s = g_string_new (NULL);
  append_listing (s, root, NULL);
  return g_string_free (s, FALSE);
}

static char *
out_file (const Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->out, name, NULL);
  return qt_test_read (path);
}

/* The first stderr line must be `quotient run: OUT:1:1: why`. */
static void
assert_out_error (const Fixture *f, const char *err, const char *why)
{
  g_autofree char *want = g_strdup_printf ("quotient run: %s:1:1: %s\n", f->out, why);
  assert_string_equal (err, want);
}

/* SPEC §10: a run never overwrites another silently. */
static void
test_existing_out_refused (void **state)
{
  Fixture *f = *state;
  run_ok (f, "2026-02");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", NULL, NULL, &out, &err), 2);
  assert_out_error (f, err, "output directory already exists (a run never overwrites another; "
                            "use --replace to replace a draft run)");
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* --replace on a draft run: the whole directory is swapped for the new
 * run (a stray file of the old one does not survive), nothing left beside. */
static void
test_replace_draft_run (void **state)
{
  Fixture *f = *state;
  g_autofree char *adjustments = g_build_filename (f->data, "adjustments.csv", NULL);
  g_autofree char *golden_adj = qt_test_read (adjustments);
  /* The first run pays A2 a 999.00 spiff instead of 250.00. */
  qt_test_write (adjustments, "adjustment_id,rep_id,period,amount,reason\n"
                              "ADJ2,A2,2026-03,999.00,demo day spiff\n");
  run_ok (f, "2026-03");
  g_autofree char *stray = g_build_filename (f->out, "notes.txt", NULL);
  qt_test_write (stray, "left by a person\n");
  g_autofree char *old_payout = out_file (f, "payout.csv");
  assert_non_null (strstr (old_payout, ",999.00,"));

  qt_test_write (adjustments, golden_adj);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 0);
  assert_string_equal (err, "");

  g_autofree char *expected_path = qt_test_source_path ("fixtures/golden/expected/2026-03/payout.csv");
  g_autofree char *expected = qt_test_read (expected_path);
  g_autofree char *payout = out_file (f, "payout.csv");
  assert_string_equal (payout, expected);
  assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  assert_int_equal (qt_test_count_entries (f->runs), 1); /* no hidden .run.tmp-* */
}

/* --replace on a missing --out is an ordinary first run. */
static void
test_replace_without_existing_out (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 0);
  g_autofree char *manifest = out_file (f, "manifest.json");
  assert_non_null (manifest);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* --replace only replaces a run: a directory without manifest.json might
 * be anything a person keeps there. */
static void
test_replace_refuses_non_run (void **state)
{
  Fixture *f = *state;
  assert_int_equal (g_mkdir (f->out, 0755), 0);
  g_autofree char *keep = g_build_filename (f->out, "payout-draft.xlsx", NULL);
  qt_test_write (keep, "someone's spreadsheet\n");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 2);
  assert_out_error (f, err, "--replace refused: this is not a quotient run directory");
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* SPEC §10: never a closed one. */
static void
test_replace_refuses_closed_run (void **state)
{
  Fixture *f = *state;
  run_ok (f, "2026-03");
  g_autofree char *closed = g_build_filename (f->out, "CLOSED", NULL);
  qt_test_write (closed, "");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 3);
  assert_out_error (f, err, "--replace refused: the period is closed and can never change");
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* SPEC §12.10: --strict with exception rows exits 1 and leaves no run
 * directory; the golden 2026-02 has one (R206 on draft order O206). */
static void
test_strict_with_exceptions (void **state)
{
  Fixture *f = *state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-02", "--strict", NULL, &out, &err), 1);
  assert_string_equal (err, "quotient run: receipts.csv:18: INELIGIBLE_STATUS: order 'O206' has "
                            "status 'draft', not eligible; receipt 'R206' of 1000.00 is not credited "
                            "to rep 'A2' (--strict: 1 exception row, nothing "
                            "written)\n");
  assert_string_equal (out, "");
  assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
  assert_int_equal (qt_test_count_entries (f->runs), 0);
}

/* --strict with exceptions must not touch a run it was asked to replace. */
static void
test_strict_keeps_replace_target (void **state)
{
  Fixture *f = *state;
  run_ok (f, "2026-03");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--strict", "--replace", &out, &err), 1);
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* Without R206 the 2026-02 data set is clean, so --strict succeeds. */
static void
test_strict_without_exceptions (void **state)
{
  Fixture *f = *state;
  g_autofree char *receipts = g_build_filename (f->data, "receipts.csv", NULL);
  g_autofree char *text = qt_test_read (receipts);
  const char *row = "R206,O206,2026-02-16,1000.00\n";
  char *at = strstr (text, row);
  assert_non_null (at);
  memmove (at, at + strlen (row), strlen (at + strlen (row)) + 1);
  qt_test_write (receipts, text);

  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-02", "--strict", NULL, &out, &err), 0);
  assert_string_equal (err, "");
  assert_non_null (strstr (out, "  receipts credited  5 of 5 (amount 41000.00)\n"));
  assert_non_null (strstr (out, "  exceptions         0 (see exceptions.csv)\n"));
  g_autofree char *exceptions = out_file (f, "exceptions.csv");
  assert_string_equal (exceptions, "file,line,code,message\n");
  /* Removing an excepted receipt changes no payable amount. */
  g_autofree char *expected_path = qt_test_source_path ("fixtures/golden/expected/2026-02/payout.csv");
  g_autofree char *expected = qt_test_read (expected_path);
  g_autofree char *payout = out_file (f, "payout.csv");
  assert_string_equal (payout, expected);
}

/* Malformed input is found before anything is written (SPEC §12.10), so
 * an existing run named by --replace stays exactly as it was. */
static void
test_malformed_keeps_replace_target (void **state)
{
  Fixture *f = *state;
  run_ok (f, "2026-03");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *orders = g_build_filename (f->data, "orders.csv", NULL);
  g_autofree char *text = qt_test_read (orders);
  g_autofree char *broken = g_strconcat (text, "O101,K03,A1,2026-01-05,paid\n", NULL);
  qt_test_write (orders, broken);

  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 2);
  g_autofree char *want = g_strdup_printf ("%s:25:1: duplicate key order_id='O101' (first on line "
                                           "4)\n", orders);
  assert_string_equal (err, want);
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* Shell completion adds a trailing slash: a new run and a replacement must
 * both work with it (regression: the temporary went inside the target). */
static void
test_out_with_trailing_slash (void **state)
{
  Fixture *f = *state;
  g_autofree char *slashed = g_strconcat (f->out, "/", NULL);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  assert_int_equal (qt_test_run (&out, &err, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-03", "--out", slashed, NULL), 0);
  assert_int_equal (qt_test_run (&out2, &err2, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-03", "--out", slashed, "--replace", NULL), 0);
  assert_string_equal (err2, "");
  g_autofree char *payout = out_file (f, "payout.csv");
  g_autofree char *golden_path = qt_test_source_path ("fixtures/golden/expected/2026-03/payout.csv");
  g_autofree char *golden = qt_test_read (golden_path);
  assert_string_equal (payout, golden);
  assert_int_equal (qt_test_count_entries (f->runs), 1); /* no hidden temporary left */
}

/* --replace only replaces a run of the same period: a typo in --out must
 * not wipe another month's run. */
static void
test_replace_refuses_other_period (void **state)
{
  Fixture *f = *state;
  run_ok (f, "2026-02");
  g_autofree char *before = tree_snapshot (f->out);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", "--replace", NULL, &out, &err), 2);
  assert_out_error (f, err, "--replace refused: it holds the run of period 2026-02, not 2026-03");
  g_autofree char *after = tree_snapshot (f->out);
  assert_string_equal (after, before);
}

/* §12.1.6: splits.csv is optional; without it every order is unsplit. */
static void
test_optional_splits_absent (void **state)
{
  Fixture *f = *state;
  g_autofree char *splits = g_build_filename (f->data, "splits.csv", NULL);
  assert_int_equal (g_unlink (splits), 0);
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_run (&out, &err, "run", "--data", f->data, "--plans", f->plans, "--period",
                        "2026-03", "--out", f->out, NULL);
  assert_int_equal (rc, 0);
  assert_string_equal (err, "");
  g_autofree char *manifest = g_build_filename (f->out, "manifest.json", NULL);
  assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  /* O302 was split A1 0.6 / B1 0.4; now A1 owns it whole. */
  g_autofree char *credits_path = g_build_filename (f->out, "credits.csv", NULL);
  g_autofree char *credits = qt_test_read (credits_path);
  assert_non_null (credits);
  assert_non_null (strstr (credits, "\nR302,O302,1,A1,1,10000,"));
  assert_null (strstr (credits, ",O302,1,B1,"));
  /* Only the finished run, no temporary, in the parent. */
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* Any valid --out name works: at 250 bytes the hidden sibling used to
 * exceed the 255-byte limit on names. */
static void
test_out_name_of_250_bytes (void **state)
{
  Fixture *f = *state;
  g_autofree char *name = g_strnfill (250, 'n');
  g_autofree char *out_dir = g_build_filename (f->runs, name, NULL);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-03", "--out", out_dir, NULL),
                    0);
  g_autofree char *manifest = g_build_filename (out_dir, "manifest.json", NULL);
  assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

/* The run directory follows the umask like any directory the user makes
 * (mkdtemp's 0700 would hide the statements from their readers). */
static void
test_run_dir_mode (void **state)
{
  Fixture *f = *state;
  const mode_t saved = umask (027);
  g_autofree char *out = NULL, *err = NULL;
  int rc = run (f, "2026-03", NULL, NULL, &out, &err);
  umask (saved);
  assert_int_equal (rc, 0);
  g_autofree char *stmts = g_build_filename (f->out, "statements", NULL);
  g_autofree char *payout = g_build_filename (f->out, "payout.csv", NULL);
  GStatBuf st;
  assert_int_equal (g_stat (f->out, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0750);
  assert_int_equal (g_stat (stmts, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0750);
  assert_int_equal (g_stat (payout, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0640);
}

/* A rep id of 300 bytes gets a statement under a short file name, and the
 * statement carries the whole id. */
static void
test_long_rep_id (void **state)
{
  Fixture *f = *state;
  g_autofree char *id = g_strnfill (300, 'L');
  g_autofree char *reps = g_build_filename (f->data, "reps.csv", NULL);
  g_autofree char *text = qt_test_read (reps);
  g_autofree char *more = g_strdup_printf ("%s%s,Long Name,T9,,field\n", text, id);
  qt_test_write (reps, more);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run (f, "2026-03", NULL, NULL, &out, &err), 0);
  g_autofree char *dir = g_build_filename (f->out, "statements", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  gboolean found = FALSE;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_prefix (name, "LLLL") && g_str_has_suffix (name, ".json"))
      {
        assert_true (strlen (name) < 130);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *json = qt_test_read (path);
        assert_non_null (strstr (json, id));
        found = TRUE;
      }
  assert_true (found);
}

/* A test on its own copy of the golden data set. */
#define PLACE_TEST(f) \
  cmocka_unit_test_setup_teardown (f, qt_test_place_setup_golden, qt_test_place_teardown)

int
main (void)
{
  const struct CMUnitTest tests[] = {
    PLACE_TEST (test_existing_out_refused),
    PLACE_TEST (test_long_rep_id),
    PLACE_TEST (test_run_dir_mode),
    PLACE_TEST (test_out_name_of_250_bytes),
    PLACE_TEST (test_optional_splits_absent),
    PLACE_TEST (test_replace_draft_run),
    PLACE_TEST (test_replace_without_existing_out),
    PLACE_TEST (test_replace_refuses_non_run),
    PLACE_TEST (test_replace_refuses_closed_run),
    PLACE_TEST (test_strict_with_exceptions),
    PLACE_TEST (test_strict_keeps_replace_target),
    PLACE_TEST (test_strict_without_exceptions),
    PLACE_TEST (test_malformed_keeps_replace_target),
    PLACE_TEST (test_out_with_trailing_slash),
    PLACE_TEST (test_replace_refuses_other_period),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
