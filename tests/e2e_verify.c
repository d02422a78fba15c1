/* tests/e2e_verify.c — `quotient verify RUN_DIR` (SPEC §8, §10): a run
 * directory is self-contained, so a moved run whose data set is gone still
 * verifies; any changed, missing or recomputed-different file exits 1 and is
 * named; something that is not a run exits 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_support.h"

typedef struct {
  char *tmp;
  char *run; /* golden 2026-03, moved away from where it was written */
} Fixture;

/* Runs golden 2026-03 on a private copy of the data, moves the run
 * directory elsewhere and deletes the copy: verify may use only the run. */
static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->tmp = qt_test_tmpdir ();
  g_autofree char *data = NULL, *plans = NULL;
  qt_test_copy_golden (f->tmp, &data, &plans);
  g_autofree char *written = g_build_filename (f->tmp, "written", NULL);

  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_run (&out, &err, "run", "--data", data, "--plans", plans, "--period", "2026-03",
                        "--out", written, NULL);
  assert_int_equal (rc, 0);

  g_autofree char *archive = g_build_filename (f->tmp, "archive", NULL);
  assert_int_equal (g_mkdir (archive, 0755), 0);
  f->run = g_build_filename (archive, "2026-03", NULL);
  assert_int_equal (g_rename (written, f->run), 0);
  qt_test_rmtree (data);
  qt_test_rmtree (plans);
  assert_false (g_file_test (data, G_FILE_TEST_EXISTS));
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->run);
  g_free (f);
  return 0;
}

static int
verify (const Fixture *f, char **out, char **err)
{
  return qt_test_run (out, err, "verify", f->run, NULL);
}

/* Flips the lowest bit of the byte in the middle of a run file. */
static void
flip_byte (const Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->run, name, NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  assert_true (len > 0);
  bytes[len / 2] ^= 0x01;
  assert_true (g_file_set_contents (path, bytes, (gssize) len, NULL));
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  guint n = 0;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      n += g_file_test (path, G_FILE_TEST_IS_DIR) ? count_files (path) : 1;
    }
  return n;
}

/* Asserts a mismatch report: exit 1, every stdout line a `MISMATCH NAME: `
 * line for one of `names` (NULL-terminated), each name listed at least once,
 * and the stderr summary. */
static void
assert_mismatch (const Fixture *f, const char *const *names)
{
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  g_autofree char *err_prefix = g_strdup_printf ("quotient verify: %s: ", f->run);
  assert_true (g_str_has_prefix (err, err_prefix));
  assert_true (g_str_has_suffix (err, " differ\n") || g_str_has_suffix (err, " differs\n"));

  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  guint n_lines = g_strv_length (lines);
  assert_true (n_lines >= 2);
  assert_string_equal (lines[n_lines - 1], ""); /* output ends with a newline */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal); /* keys: names, borrowed */
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      gboolean known = FALSE;
      for (guint k = 0; names[k] != NULL && !known; k++)
        {
          g_autofree char *prefix = g_strdup_printf ("MISMATCH %s: ", names[k]);
          if (g_str_has_prefix (lines[i], prefix))
            {
              known = TRUE;
              g_hash_table_add (seen, (gpointer) names[k]);
            }
        }
      if (!known)
        fail_msg ("unexpected verify line '%s'", lines[i]);
    }
  for (guint k = 0; names[k] != NULL; k++)
    if (!g_hash_table_contains (seen, names[k]))
      fail_msg ("verify did not name %s:\n%s", names[k], out);
}

/* SPEC §8: the run directory is self-contained. */
static void
test_moved_run_verifies (void **state)
{
  Fixture *f = *state;
  guint n_files = count_files (f->run);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 0);
  assert_string_equal (err, "");
  /* Every file of the run is covered: the manifest lists all the others. */
  g_autofree char *want = g_strdup_printf ("quotient verify: %s: period 2026-03, %u files match "
                                           "their manifest hashes and recompute byte for byte\n",
                                           f->run, n_files);
  assert_string_equal (out, want);
  /* Verifying writes nothing into the run. */
  assert_int_equal (count_files (f->run), n_files);
}

static void
test_payout_byte_flipped (void **state)
{
  Fixture *f = *state;
  flip_byte (f, "payout.csv");
  const char *names[] = { "payout.csv", NULL };
  assert_mismatch (f, names);
}

static void
test_statement_byte_flipped (void **state)
{
  Fixture *f = *state;
  flip_byte (f, "statements/B2.json");
  const char *names[] = { "statements/B2.json", NULL };
  assert_mismatch (f, names);
}

/* A changed input is caught twice: its own hash, and the outputs it
 * recomputes to (R301 10000.00 → 19000.00 changes A1's credits). */
static void
test_input_receipt_changed (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "inputs", "data", "receipts.csv", NULL);
  g_autofree char *text = qt_test_read (path);
  char *row = strstr (text, "\nR301,O301,2026-03-10,10000.00\n");
  assert_non_null (row);
  row[strlen ("\nR301,O301,2026-03-10,1")] = '9';
  qt_test_write (path, text);
  const char *names[] = { "inputs/data/receipts.csv", "credits.csv", "manifest.json",
                          "payout.csv", "scores.csv", "statements/A1.json", "statements/A1.txt",
                          "statements/M1.json", "statements/M1.txt", NULL };
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  assert_non_null (strstr (out, "MISMATCH inputs/data/receipts.csv: "));
  assert_non_null (strstr (out, "MISMATCH credits.csv: "));
  /* Nothing outside what R301 can reach is named. */
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      gboolean known = FALSE;
      for (guint k = 0; names[k] != NULL && !known; k++)
        {
          g_autofree char *prefix = g_strdup_printf ("MISMATCH %s: ", names[k]);
          known = g_str_has_prefix (lines[i], prefix);
        }
      if (!known)
        fail_msg ("unexpected verify line '%s'", lines[i]);
    }
}

/* The plan snapshot is covered too: even a whitespace change is named. */
static void
test_input_plan_changed (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "inputs", "plans", "lead.json", NULL);
  g_autofree char *text = qt_test_read (path);
  assert_non_null (text);
  g_autofree char *edited = g_strconcat (text, "\n", NULL);
  qt_test_write (path, edited);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  assert_non_null (strstr (out, "MISMATCH inputs/plans/lead.json: "));
}

static void
test_output_deleted (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "scores.csv", NULL);
  assert_int_equal (g_unlink (path), 0);
  const char *names[] = { "scores.csv", NULL };
  assert_mismatch (f, names);
}

/* A file the run never produced is reported too (an auditor must see it). */
static void
test_extra_file (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "statements", "EXTRA.json", NULL);
  qt_test_write (path, "{}\n");
  const char *names[] = { "statements/EXTRA.json", NULL };
  assert_mismatch (f, names);
}

/* One report line per file, and the count says files (regression: a file
 * failing both checks was listed and counted twice). */
static void
test_one_line_per_file (void **state)
{
  Fixture *f = *state;
  flip_byte (f, "payout.csv");
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  assert_string_equal (out, "MISMATCH payout.csv: SHA-256 differs from the manifest\n");
  g_autofree char *want = g_strdup_printf ("quotient verify: %s: 1 file differs\n", f->run);
  assert_string_equal (err, want);
}

/* A run another version of quotient wrote: its files may differ in form
 * (a message, a statement's layout), and the summary says which version to
 * verify it with. */
static void
test_other_engine_version (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "manifest.json", NULL);
  g_autofree char *text = qt_test_read (path);
  g_autofree char *mine = g_strdup_printf ("\"engine_version\":\t\"%s\"", QT_VERSION);
  g_auto (GStrv) parts = g_strsplit (text, mine, 2);
  assert_non_null (parts[1]);
  g_autofree char *older = g_strjoinv ("\"engine_version\":\t\"0.0.9\"", parts);
  qt_test_write (path, older);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  assert_string_equal (out, "MISMATCH manifest.json: recomputed bytes differ\n");
  g_autofree char *want = g_strdup_printf ("quotient verify: %s: 1 file differs (the run was "
                                           "written by quotient 0.0.9, this is quotient %s, whose "
                                           "outputs may differ in form: verify it with quotient "
                                           "0.0.9)\n", f->run, QT_VERSION);
  assert_string_equal (err, want);
}

static void
assert_not_a_run (const Fixture *f)
{
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 2);
  assert_string_equal (out, "");
  g_autofree char *want = g_strdup_printf ("quotient verify: %s is not a quotient run directory "
                                           "(no readable manifest.json)\n", f->run);
  assert_string_equal (err, want);
}

static void
test_no_manifest (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "manifest.json", NULL);
  assert_int_equal (g_unlink (path), 0);
  assert_not_a_run (f);
}

static void
test_manifest_not_json (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "manifest.json", NULL);
  qt_test_write (path, "this is not JSON\n");
  assert_not_a_run (f);
}

/* Replaces run file `name` by a symbolic link to `target`. */
static void
link_in (const Fixture *f, const char *name, const char *target)
{
  g_autofree char *path = g_build_filename (f->run, name, NULL);
  assert_int_equal (g_unlink (path), 0);
  assert_int_equal (symlink (target, path), 0);
}

/* The exact report line verify gives for `name`. */
static void
assert_line (const Fixture *f, const char *line)
{
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  if (strstr (out, line) == NULL)
    fail_msg ("'%s' not in:\n%s", line, out);
}

/* Only regular files inside the run are read: an output linked to
 * /dev/zero (read until memory ran out), an input linked to /dev/zero (a
 * GLib abort), an output linked to an identical copy outside the run (it
 * passed) and a FIFO (it hung) are each a mismatch, found at once. */
static void
test_links_and_fifos (void **state)
{
  Fixture *f = *state;
  g_autofree char *outside = g_build_filename (f->tmp, "scores-copy.csv", NULL);
  g_autofree char *scores = g_build_filename (f->run, "scores.csv", NULL);
  g_autofree char *text = qt_test_read (scores);
  qt_test_write (outside, text);
  link_in (f, "payout.csv", "/dev/zero");
  link_in (f, "scores.csv", outside);
  link_in (f, "inputs/data/receipts.csv", "/dev/zero");
  g_autofree char *stmt = g_build_filename (f->run, "statements", "B1.txt", NULL);
  assert_int_equal (g_unlink (stmt), 0);
  assert_int_equal (mkfifo (stmt, 0600), 0);
  assert_line (f, "MISMATCH payout.csv: a symbolic link, not a file of the run\n");
  assert_line (f, "MISMATCH scores.csv: a symbolic link, not a file of the run\n");
  assert_line (f, "MISMATCH inputs/data/receipts.csv: a symbolic link, not a file of the run\n");
  assert_line (f, "MISMATCH statements/B1.txt: not a regular file\n");
}

/* A FIFO or a link as manifest.json: not a run (exit 2), without hanging. */
static void
test_manifest_fifo_or_link (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "manifest.json", NULL);
  assert_int_equal (g_unlink (path), 0);
  assert_int_equal (mkfifo (path, 0600), 0);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 2);
  assert_non_null (strstr (err, "(manifest.json: not a regular file)"));
  assert_int_equal (g_unlink (path), 0);
  assert_int_equal (symlink ("/dev/zero", path), 0);
  g_free (err);
  g_free (out);
  assert_int_equal (verify (f, &out, &err), 2);
  assert_non_null (strstr (err, "(manifest.json: a symbolic link, not a file of the run)"));
}

/* A file name holding a newline is printed escaped: it cannot forge a
 * report line. */
static void
test_name_with_newline (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "x\nquotient verify: all match", NULL);
  qt_test_write (path, "");
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 1);
  assert_string_equal (out, "MISMATCH x\\nquotient verify: all match: unexpected file, not "
                            "produced by the run\n");
}

/* A manifest naming files outside the run is not a manifest (nothing
 * outside is read). */
static void
test_manifest_path_outside (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->run, "manifest.json", NULL);
  g_autofree char *text = qt_test_read (path);
  const char *entry = "\"payout.csv\"";
  char *at = strstr (text, entry);
  assert_non_null (at);
  g_autofree char *edited = g_strdup_printf ("%.*s\"../../../../etc/hostname\"%s",
                                             (int) (at - text), text, at + strlen (entry));
  qt_test_write (path, edited);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (verify (f, &out, &err), 2);
  assert_non_null (strstr (err, "malformed \"inputs\" or \"outputs\" list"));
}

static void
test_usage (void **state)
{
  (void) state;
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "verify", NULL), 2);
  assert_string_equal (err, "quotient verify: give exactly one RUN_DIR (see quotient verify --help)\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_moved_run_verifies, setup, teardown),
    cmocka_unit_test_setup_teardown (test_payout_byte_flipped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_statement_byte_flipped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_input_receipt_changed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_input_plan_changed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_output_deleted, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_manifest, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manifest_not_json, setup, teardown),
    cmocka_unit_test_setup_teardown (test_usage, setup, teardown),
    cmocka_unit_test_setup_teardown (test_extra_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_engine_version, setup, teardown),
    cmocka_unit_test_setup_teardown (test_one_line_per_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_links_and_fifos, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manifest_fifo_or_link, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manifest_path_outside, setup, teardown),
    cmocka_unit_test_setup_teardown (test_name_with_newline, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
