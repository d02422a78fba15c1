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
