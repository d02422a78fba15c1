/* tests/fuzz/fuzz.h — the libFuzzer entry point every harness defines.
 * Built with clang -fsanitize=fuzzer (QT_FUZZ=ON) to fuzz, and with
 * replay.c into an ordinary test that runs the kept corpus
 * (tests/fuzz/corpus/NAME/) under the sanitizer build. */
#pragma once

#include <stddef.h>
#include <stdint.h>

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
