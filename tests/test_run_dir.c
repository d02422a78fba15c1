/* tests/test_run_dir.c — reports/run_dir: files of every size and
 * alignment arrive byte for byte (large page-aligned ones go through direct
 * I/O where the file system allows it, the rest through the page cache). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "model/qt_error.h"
#include "reports/run_dir.h"
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
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, "2026-03", &error);
  assert_non_null (w);
  QtOutputSink *sink = qt_run_dir_sink (w);
  qt_output_sink_start (sink);
  /* aligned and large (direct I/O, with an unaligned tail), aligned and a
   * whole number of pages, unaligned and large, and small */
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
  assert_true (qt_output_sink_finish (sink, &error));
  g_autoptr (GBytes) manifest = g_bytes_new_static ("{}", 2);
  assert_true (qt_output_sink_put (sink, "manifest.json", manifest, -1, NULL, &error));
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
 * file as changed, not the snapshot as unwritable — by direct I/O (1 MB,
 * aligned) and through the page cache (small); the run is never committed. */
static void
test_input_cut_short (void **state)
{
  (void) state;
  const gsize lens[] = { 1u << 20, 100 };
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autofree char *tmp = qt_test_tmpdir ();
      g_autofree char *out = g_build_filename (tmp, "run", NULL);
      g_autoptr (GError) error = NULL;
      QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, "2026-03", &error);
      assert_non_null (w);
      /* Pages that were mapped and are gone, as a truncated file's are. */
      char *gone = mmap (NULL, lens[i], PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      assert_true (gone != MAP_FAILED);
      assert_int_equal (munmap (gone, lens[i]), 0);
      g_autoptr (GBytes) bytes = g_bytes_new_static (gone, lens[i]);
      assert_false (qt_output_sink_put_input (qt_run_dir_sink (w), "inputs/data/orders.csv", bytes,
                                              -1, "x", "/data/orders.csv", &error));
      assert_non_null (error);
      assert_int_equal (error->code, QT_ERROR_IO);
      assert_string_equal (error->message,
                           "/data/orders.csv:1:1: the file changed while quotient was reading it "
                           "(written to, cut short or replaced during the run); nothing was "
                           "written — run again once nothing writes to the data set");
      qt_run_dir_abort (w);
      assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      assert_int_equal (qt_test_count_entries (tmp), 0);
      qt_test_rmtree (tmp);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sizes_and_alignments),
    cmocka_unit_test (test_input_cut_short),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
