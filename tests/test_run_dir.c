/* tests/test_run_dir.c — reports/run_dir: files of every size and
 * alignment arrive byte for byte (large page-aligned ones go through direct
 * I/O where the file system allows it, the rest through the page cache). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sizes_and_alignments),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
