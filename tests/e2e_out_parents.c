/* tests/e2e_out_parents.c — `quotient run --out runs/x` on a fresh clone,
 * where runs/ does not exist: the missing parents of --out are made
 * (mkdir -p, mode 0755), the run verifies, and a parent that cannot be
 * made is a plain message (exit 2, nothing written). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_support.h"

static int
run_golden (const char *out_dir, char **out, char **err)
{
  g_autofree char *data = qt_test_source_path ("fixtures/golden/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/golden/plans");
  return qt_test_run (out, err, "run", "--data", data, "--plans", plans, "--period", "2026-03",
                      "--out", out_dir, NULL);
}

static void
assert_dir_0755 (const char *path)
{
  struct stat st;
  assert_int_equal (stat (path, &st), 0);
  assert_true (S_ISDIR (st.st_mode));
  mode_t mask = umask (0);
  umask (mask);
  assert_int_equal (st.st_mode & 07777, 0755 & ~mask);
}

/* The README's own example, relative to the working directory: runs/ and
 * runs/2026/ are made, the run lands in them and verifies (exit 0). */
static void
test_missing_parents_made (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *cwd = g_get_current_dir ();
  assert_int_equal (g_chdir (tmp), 0);
  g_autofree char *out = NULL, *err = NULL;
  int rc = run_golden ("runs/2026/golden-2026-03", &out, &err);
  assert_int_equal (g_chdir (cwd), 0);
  assert_int_equal (rc, 0);
  assert_string_equal (err, "");
  assert_non_null (strstr (out, "run directory      runs/2026/golden-2026-03"));
  g_autofree char *runs = g_build_filename (tmp, "runs", NULL);
  g_autofree char *year = g_build_filename (tmp, "runs", "2026", NULL);
  g_autofree char *run = g_build_filename (year, "golden-2026-03", NULL);
  assert_dir_0755 (runs);
  assert_dir_0755 (year);
  assert_int_equal (qt_test_count_entries (year), 1); /* no temporary left beside */
  g_autofree char *manifest = g_build_filename (run, "manifest.json", NULL);
  assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));

  g_autofree char *vout = NULL, *verr = NULL;
  assert_int_equal (qt_test_run (&vout, &verr, "verify", run, NULL), 0);
  assert_string_equal (verr, "");
  g_autofree char *head = g_strdup_printf ("quotient verify: %s: period 2026-03, ", run);
  assert_true (g_str_has_prefix (vout, head));
  assert_true (g_str_has_suffix (vout, " files match their manifest hashes and recompute byte for byte\n"));
  qt_test_rmtree (tmp);
}

/* A file where a parent directory should be: exit 2, a message naming the
 * directory without a :1:1 position, nothing written. */
static void
test_parent_blocked (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *file = g_build_filename (tmp, "runs", NULL);
  qt_test_write (file, "not a directory\n");
  g_autofree char *target = g_build_filename (tmp, "runs", "2026", "x", NULL);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (run_golden (target, &out, &err), 2);
  assert_string_equal (out, "");
  g_autofree char *want = g_strdup_printf ("%s: cannot create its parent directory %s/runs: %s\n",
                                           target, tmp, g_strerror (ENOTDIR));
  assert_string_equal (err, want);
  assert_int_equal (qt_test_count_entries (tmp), 1);
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_missing_parents_made),
    cmocka_unit_test (test_parent_blocked),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
