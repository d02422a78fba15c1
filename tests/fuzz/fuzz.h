/* tests/fuzz/fuzz.h — the libFuzzer entry point every harness defines.
 * Built with clang -fsanitize=fuzzer (QT_FUZZ=ON) to fuzz, and with
 * replay.c into an ordinary test that runs the kept corpus
 * (tests/fuzz/corpus/NAME/) under the sanitizer build. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "run/run_dir.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Stops the process (a failed property: libFuzzer keeps the input). */
#define FUZZ_ASSERT(cond)                                                   \
  do                                                                        \
    {                                                                       \
      if (!(cond))                                                          \
        {                                                                   \
          fprintf (stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
          abort ();                                                         \
        }                                                                   \
    }                                                                       \
  while (0)

/* Copies the regular files of `from_dir` into `to_dir` (made if missing). */
static inline void
fuzz_copy_dir (const char *from_dir, const char *to_dir)
{
  g_mkdir_with_parents (to_dir, 0700);
  GDir *dir = g_dir_open (from_dir, 0, NULL);
  FUZZ_ASSERT (dir != NULL);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      char *from = g_build_filename (from_dir, name, NULL);
      char *to = g_build_filename (to_dir, name, NULL);
      char *text = NULL;
      gsize len = 0;
      FUZZ_ASSERT (g_file_get_contents (from, &text, &len, NULL));
      FUZZ_ASSERT (g_file_set_contents (to, text, (gssize) len, NULL));
      g_free (text);
      g_free (to);
      g_free (from);
    }
  g_dir_close (dir);
}

/* A whole-run harness's place under a temporary root made once: data/
 * and plans/ fresh copies of a fixture's, the file that the input's first
 * byte picks among `files` (paths relative to the root) replaced by the
 * rest of the input, and `out` the run to make below runs/. */
typedef struct {
  char *root;                 /* kept across inputs */
  char *data, *plans, *out, *runs;
} FuzzPlace;

static inline void
fuzz_place_fill (FuzzPlace *p, const char *tmpl, const char *data_src, const char *plans_src,
                 const char *const *files, size_t n_files, const uint8_t *input, size_t size)
{
  if (p->root == NULL)
    p->root = g_dir_make_tmp (tmpl, NULL);
  FUZZ_ASSERT (p->root != NULL && size > 0);
  p->data = g_build_filename (p->root, "data", NULL);
  p->plans = g_build_filename (p->root, "plans", NULL);
  p->runs = g_build_filename (p->root, "runs", NULL);
  p->out = g_build_filename (p->runs, "out", NULL);
  qt_rmtree (p->data);
  qt_rmtree (p->plans);
  fuzz_copy_dir (data_src, p->data);
  fuzz_copy_dir (plans_src, p->plans);
  char *path = g_build_filename (p->root, files[input[0] % n_files], NULL);
  FUZZ_ASSERT (g_file_set_contents (path, (const char *) input + 1, (gssize) size - 1, NULL));
  g_free (path);
}

/* After the run: a failed one (`ok` FALSE) left nothing at all beside
 * `out`; the runs are removed for the next input. */
static inline void
fuzz_place_done (FuzzPlace *p, gboolean ok)
{
  if (!ok)
    {
      GDir *d = g_dir_open (p->runs, 0, NULL);
      FUZZ_ASSERT (d == NULL || g_dir_read_name (d) == NULL);
      if (d != NULL)
        g_dir_close (d);
    }
  qt_rmtree (p->runs);
  g_clear_pointer (&p->data, g_free);
  g_clear_pointer (&p->plans, g_free);
  g_clear_pointer (&p->out, g_free);
  g_clear_pointer (&p->runs, g_free);
}
