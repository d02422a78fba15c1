/* tests/test_run_dir.c — run/run_dir: files of every size and alignment
 * arrive byte for byte; the commit syncs every file and directory of the
 * run before the rename and the parent directory after it; missing parent
 * directories of the run are made (and made durable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "model/qt_error.h"
#include "run/output_sink.h"
#include "run/run_dir.h"
#include "support/test_support.h"

/* A buffer of `len` bytes at `offset` past a page boundary, filled with a
 * pattern that differs on every page. (transfer full, free with free()) */
static char *
pattern (gsize len, gsize offset, char **start)
{
  char *base = NULL;
  assert_int_equal (posix_memalign ((void **) &base, 4096, len + offset + 1), 0);
  *start = base + offset;
  for (gsize i = 0; i < len; i++)
    (*start)[i] = (char) ('a' + (i / 4096 + i) % 26);
  return base;
}

static void
check_file (const char *dir, const char *name, const char *want, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *got = NULL;
  gsize got_len = 0;
  assert_true (g_file_get_contents (path, &got, &got_len, NULL));
  assert_int_equal (got_len, len);
  assert_true (memcmp (got, want, len) == 0);
}

static void
test_sizes_and_alignments (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmp, "run", NULL);
  g_autoptr (GError) error = NULL;
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error);
  assert_non_null (w);
  QtSinkQueue *q = qt_sink_queue_new (qt_run_dir_sink (w), TRUE);
  QtOutputSink *sink = &q->sink;
  /* aligned and large with an unaligned tail, aligned and a whole number
   * of pages, unaligned and large, and small */
  const gsize lens[] = { (3u << 20) + 1234, 2u << 20, (3u << 20) + 77, 5000 };
  const gsize offsets[] = { 0, 0, 16, 0 };
  char *bases[G_N_ELEMENTS (lens)], *data[G_N_ELEMENTS (lens)];
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      bases[i] = pattern (lens[i], offsets[i], &data[i]);
      g_autoptr (GBytes) bytes = g_bytes_new_static (data[i], lens[i]);
      g_autofree char *name = g_strdup_printf ("inputs/data/f%u.csv", i);
      assert_true (qt_output_sink_put_held (sink, name, bytes, -1, NULL, &error));
    }
  assert_true (qt_sink_queue_finish (q, &error));
  g_autoptr (GBytes) manifest = g_bytes_new_static ("{}", 2);
  assert_true (qt_output_sink_put (sink, "manifest.json", manifest, -1, NULL, &error));
  qt_sink_queue_free (q);
  assert_true (qt_run_dir_commit (w, &error));
  assert_null (error);
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autofree char *name = g_strdup_printf ("inputs/data/f%u.csv", i);
      check_file (out, name, data[i], lens[i]);
      free (bases[i]);
    }
  qt_test_rmtree (tmp);
}

/* An input copy whose bytes can no longer be read (an input file cut
 * short under its mapping: write() fails with EFAULT) names the input
 * file as changed, not the snapshot as unwritable — large (1 MB, aligned)
 * and small; the run is never committed. */
/* ---- durability: a sync function that records what it synced ---- */

typedef struct {
  dev_t dev;
  ino_t ino;
  gboolean is_dir;
  gboolean out_existed;  /* the run was already at `out` (renamed) */
} Synced;

static GArray *synced;        /* Synced, in call order */
static const char *synced_out; /* the run's final path */

static int
recording_sync (int fd)
{
  struct stat st;
  assert_int_equal (fstat (fd, &st), 0);
  Synced s = { st.st_dev, st.st_ino, S_ISDIR (st.st_mode),
               g_file_test (synced_out, G_FILE_TEST_EXISTS) };
  g_array_append_val (synced, s);
  return fsync (fd);
}

/* The position of the inode of `path` among the syncs, or -1. */
static gint
sync_position (const char *path)
{
  struct stat st;
  assert_int_equal (lstat (path, &st), 0);
  for (guint i = 0; i < synced->len; i++)
    {
      const Synced *s = &g_array_index (synced, Synced, i);
      if (s->dev == st.st_dev && s->ino == st.st_ino)
        return (gint) i;
    }
  return -1;
}

/* Every file and directory below `dir` (and `dir`) was synced before the
 * rename, and each directory after everything it holds. */
static void
assert_tree_synced (const char *dir)
{
  gint dir_at = sync_position (dir);
  assert_true (dir_at >= 0);
  assert_false (g_array_index (synced, Synced, dir_at).out_existed);
  assert_true (g_array_index (synced, Synced, dir_at).is_dir);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_tree_synced (child);
      gint at = sync_position (child);
      assert_true (at >= 0 && at < dir_at);
      assert_false (g_array_index (synced, Synced, at).out_existed);
    }
}

static void
put_text (QtOutputSink *sink, const char *name, const char *text)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr (GError) error = NULL;
  assert_true (qt_output_sink_put (sink, name, bytes, -1, NULL, &error));
  assert_null (error);
}

/* The commit: fsync(every file) and fsync(every directory, after what it
 * holds) → renameat2 → fsync(parent), the parent last and after the rename. */
static void
test_commit_syncs_files_then_dirs_then_parent (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmp, "run", NULL);
  synced = g_array_new (FALSE, FALSE, sizeof (Synced));
  synced_out = out;
  qt_run_dir_set_sync_func (recording_sync);
  g_autoptr (GError) error = NULL;
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error);
  assert_non_null (w);
  QtOutputSink *sink = qt_run_dir_sink (w);
  put_text (sink, "inputs/data/reps.csv", "rep_id\n");
  put_text (sink, "inputs/plans/p.json", "{}\n");
  put_text (sink, "statements/a.json", "{}\n");
  put_text (sink, "statements/a.txt", "a\n");
  put_text (sink, "payout.csv", "rep_id\n");
  put_text (sink, "manifest.json", "{}\n");
  assert_int_equal (synced->len, 0); /* nothing synced while writing */
  assert_true (qt_run_dir_commit (w, &error));
  assert_null (error);
  /* 6 files, 5 directories (the run, inputs, inputs/data, inputs/plans,
   * statements), then the parent */
  assert_int_equal (synced->len, 6 + 5 + 1);
  guint files = 0;
  for (guint i = 0; i < synced->len; i++)
    files += !g_array_index (synced, Synced, i).is_dir;
  assert_int_equal (files, 6);
  assert_tree_synced (out);
  gint parent_at = sync_position (tmp);
  assert_int_equal (parent_at, (gint) synced->len - 1);
  assert_true (g_array_index (synced, Synced, parent_at).out_existed);
  assert_true (g_array_index (synced, Synced, parent_at).is_dir);
  qt_run_dir_set_sync_func (NULL);
  g_array_unref (synced);
  qt_test_rmtree (tmp);
}

/* A revision's commit: the files it writes are synced, the files it keeps
 * from the run before (hard links to bytes synced when that run committed)
 * are not synced again, and every directory is, the kept ones' too. */
static void
test_revision_syncs_new_files_only (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmp, "run", NULL);
  g_autoptr (GError) error = NULL;
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error);
  assert_non_null (w);
  put_text (qt_run_dir_sink (w), "payout.csv", "rep_id\n");
  put_text (qt_run_dir_sink (w), "statements/a.txt", "a\n");
  put_text (qt_run_dir_sink (w), "manifest.json", "{}\n");
  assert_true (qt_run_dir_commit (w, &error));
  synced = g_array_new (FALSE, FALSE, sizeof (Synced));
  synced_out = out;
  qt_run_dir_set_sync_func (recording_sync);
  w = qt_run_dir_begin_revision (out, &error);
  assert_non_null (w);
  assert_true (qt_run_dir_keep (w, "payout.csv", "revisions/0/payout.csv", &error));
  assert_true (qt_run_dir_keep (w, "statements/a.txt", "revisions/0/statements/a.txt", &error));
  put_text (qt_run_dir_sink (w), "payout.csv", "rep_id,total\n");
  put_text (qt_run_dir_sink (w), "manifest.json", "{\"revision\":1}\n");
  assert_true (qt_run_dir_commit (w, &error));
  g_autofree char *kept = g_build_filename (out, "revisions", "0", "statements", "a.txt", NULL);
  g_autofree char *kept_text = qt_test_read (kept);
  assert_string_equal (kept_text, "a\n");
  assert_int_equal (sync_position (kept), -1);
  g_autofree char *kept2 = g_build_filename (out, "revisions", "0", "payout.csv", NULL);
  assert_int_equal (sync_position (kept2), -1);
  g_autofree char *fresh = g_build_filename (out, "payout.csv", NULL);
  assert_true (sync_position (fresh) >= 0);
  g_autofree char *kept_dir = g_build_filename (out, "revisions", "0", "statements", NULL);
  assert_true (sync_position (kept_dir) >= 0);
  assert_true (sync_position (out) >= 0);
  qt_run_dir_set_sync_func (NULL);
  g_array_unref (synced);
  qt_test_rmtree (tmp);
}

/* A failing sync fails the commit: nothing at `out`, nothing left beside. */
static int
failing_sync (int fd)
{
  (void) fd;
  errno = EIO;
  return -1;
}

static void
test_sync_failure_commits_nothing (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmp, "run", NULL);
  g_autoptr (GError) error = NULL;
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error);
  assert_non_null (w);
  put_text (qt_run_dir_sink (w), "manifest.json", "{}\n");
  qt_run_dir_set_sync_func (failing_sync);
  assert_false (qt_run_dir_commit (w, &error));
  qt_run_dir_set_sync_func (NULL);
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_IO));
  g_autofree char *want = g_strdup_printf ("%s: cannot sync the finished run to disk: %s", out,
                                           g_strerror (EIO));
  assert_string_equal (error->message, want);
  assert_int_equal (qt_test_count_entries (tmp), 0);
  qt_test_rmtree (tmp);
}

/* mkdir -p: missing parents of `out` are made (0755), each synced into the
 * directory holding it. */
static void
test_makes_missing_parents (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *a = g_build_filename (tmp, "a", NULL);
  g_autofree char *ab = g_build_filename (tmp, "a", "b", NULL);
  g_autofree char *out = g_build_filename (tmp, "a", "b", "run", NULL);
  synced = g_array_new (FALSE, FALSE, sizeof (Synced));
  synced_out = out;
  qt_run_dir_set_sync_func (recording_sync);
  g_autoptr (GError) error = NULL;
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error);
  assert_non_null (w);
  struct stat st;
  assert_int_equal (stat (ab, &st), 0);
  assert_true (S_ISDIR (st.st_mode));
  mode_t mask = umask (0);
  umask (mask);
  assert_int_equal (st.st_mode & 07777, 0755 & ~mask);
  /* tmp synced after `a` was made in it, then `a` after `b` */
  assert_int_equal (synced->len, 2);
  assert_int_equal (sync_position (tmp), 0);
  assert_int_equal (sync_position (a), 1);
  put_text (qt_run_dir_sink (w), "manifest.json", "{}\n");
  assert_true (qt_run_dir_commit (w, &error));
  assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  qt_run_dir_set_sync_func (NULL);
  g_array_unref (synced);
  qt_test_rmtree (tmp);
}

/* A parent that cannot be made (a file stands in its way) is a plain
 * message, without a meaningless :1:1 position; nothing is left behind. */
static void
test_parent_blocked (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *file = g_build_filename (tmp, "f", NULL);
  qt_test_write (file, "x");
  g_autofree char *out = g_build_filename (tmp, "f", "sub", "run", NULL);
  g_autoptr (GError) error = NULL;
  assert_null (qt_run_dir_begin (out, FALSE, QT_RUN_COMMISSION, "2026-03", &error));
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_IO));
  g_autofree char *want = g_strdup_printf ("%s: cannot create its parent directory %s/f: %s",
                                           out, tmp, g_strerror (ENOTDIR));
  assert_string_equal (error->message, want);
  assert_int_equal (qt_test_count_entries (tmp), 1);
  qt_test_rmtree (tmp);
}

/* qt_run_dir_begin with --replace on `out`: refused with `why` in the
 * message, and nothing at `out` touched. */
static void
assert_replace_refused_as (const char *out, const char *period, const char *why, QtErrorCode code)
{
  g_autoptr (GError) error = NULL;
  assert_null (qt_run_dir_begin (out, TRUE, QT_RUN_COMMISSION, period, &error));
  assert_true (g_error_matches (error, QT_ERROR, code));
  if (strstr (error->message, why) == NULL)
    fail_msg ("'%s' does not say '%s'", error->message, why);
}

static void
assert_replace_refused (const char *out, const char *period, const char *why)
{
  assert_replace_refused_as (out, period, why, QT_ERROR_USAGE);
}

/* --replace replaces only a real run directory of the same kind and
 * period that is not closed: not a symlink to a run, not another kind of
 * directory holding a manifest, not a run whose CLOSED marker is a
 * symlink to nothing. */
static void
test_replace_refusals (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *data = NULL, *plans = NULL;
  qt_test_copy_golden (tmp, &data, &plans);
  g_autofree char *run = g_build_filename (tmp, "run", NULL);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "run", "--data", data, "--plans", plans,
                                 "--period", "2026-03", "--out", run, NULL), 0);
  g_autofree char *link = g_build_filename (tmp, "link", NULL);
  assert_int_equal (symlink (run, link), 0);
  assert_replace_refused (link, "2026-03", "not a quotient run directory");
  assert_replace_refused (run, "2026-02", "period 2026-03, not 2026-02");

  g_autofree char *other = g_build_filename (tmp, "thesis", NULL);
  g_autofree char *notes = g_build_filename (other, "reports", "thesis.txt", NULL);
  g_autofree char *manifest = g_build_filename (other, "manifest.json", NULL);
  g_autofree char *reports = g_path_get_dirname (notes);
  assert_int_equal (g_mkdir_with_parents (reports, 0700), 0);
  qt_test_write (notes, "chapter 1");
  qt_test_write (manifest, "{\"kind\":\"rebate_run\",\"period\":\"2026-03\"}");
  assert_replace_refused (other, "2026-03", "--replace refused");
  assert_true (g_file_test (notes, G_FILE_TEST_IS_REGULAR));

  g_autofree char *closed = g_build_filename (run, "CLOSED", NULL);
  assert_int_equal (symlink ("nowhere", closed), 0);
  assert_replace_refused_as (run, "2026-03", "closed", QT_ERROR_REFUSED); /* SPEC §8.1: exit 3 */
  assert_int_equal (unlink (closed), 0);
  g_autofree char *journal = g_build_filename (run, "journal.jsonl", NULL);
  qt_test_write (journal, "{}\n");
  assert_replace_refused_as (run, "2026-03", "published or closed", QT_ERROR_REFUSED);
  g_autofree char *run_manifest = g_build_filename (run, "manifest.json", NULL);
  assert_true (g_file_test (run_manifest, G_FILE_TEST_IS_REGULAR));
  assert_int_equal (qt_test_count_entries (tmp), 5); /* data plans run link thesis */
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sizes_and_alignments),
    cmocka_unit_test (test_commit_syncs_files_then_dirs_then_parent),
    cmocka_unit_test (test_revision_syncs_new_files_only),
    cmocka_unit_test (test_sync_failure_commits_nothing),
    cmocka_unit_test (test_makes_missing_parents),
    cmocka_unit_test (test_parent_blocked),
    cmocka_unit_test (test_replace_refusals),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
