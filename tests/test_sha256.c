/* tests/test_sha256.c — model/sha256: the one-shot, piecewise and batched
 * digests agree with each other and with GLib's (an independent SHA-256)
 * for every length a block boundary could trip, and a batch gives each
 * buffer its own digest whatever order the lanes finish in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/sha256.h"

/* n pseudo-random bytes (deterministic). */
static guint8 *
bytes_of (gsize n, guint32 seed)
{
  guint8 *b = g_malloc (n + 1);
  guint32 x = seed * 2654435761u + 1;
  for (gsize i = 0; i < n; i++)
    {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      b[i] = (guint8) x;
    }
  return b;
}

static char *
glib_sha (const guint8 *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* The known digest of "abc" (FIPS 180-2), one-shot and batched. */
static void
test_known_answer (void **state)
{
  (void) state;
  static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  g_autofree char *one = qt_sha256_hex ("abc", 3);
  assert_string_equal (one, abc);
  char *batched = NULL;
  g_autoptr (QtSha256Batch) batch = qt_sha256_batch_new ();
  qt_sha256_batch_add (batch, "abc", 3, &batched);
  qt_sha256_batch_finish (batch);
  assert_string_equal (batched, abc);
  g_free (batched);
}

/* Lengths around the 64-byte block and the 56-byte padding limit, empty
 * included, and around the longest message the lanes take (65,534 bytes;
 * longer ones are hashed apart): the one-shot, piecewise and batched
 * digests are GLib's. */
static void
test_lengths (void **state)
{
  (void) state;
  static const gsize lens[] = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 4095, 4096,
                                65534, 65535, 65537 };
  enum { N = G_N_ELEMENTS (lens) };
  guint8 *data[N];
  char *batched[N];
  g_autoptr (QtSha256Batch) batch = qt_sha256_batch_new ();
  for (guint i = 0; i < N; i++)
    {
      data[i] = bytes_of (lens[i], i);
      qt_sha256_batch_add (batch, data[i], lens[i], &batched[i]);
    }
  qt_sha256_batch_finish (batch);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *want = glib_sha (data[i], lens[i]);
      g_autofree char *one = qt_sha256_hex (data[i], lens[i]);
      QtSha256 *piece = qt_sha256_new ();
      for (gsize at = 0; at < lens[i]; at += 7)
        qt_sha256_update (piece, data[i] + at, MIN (7, lens[i] - at));
      g_autofree char *pieces = qt_sha256_finish_hex (piece);
      assert_string_equal (one, want);
      assert_string_equal (pieces, want);
      assert_string_equal (batched[i], want);
      g_free (batched[i]);
      g_free (data[i]);
    }
}

/* Many buffers of mixed sizes (more than the lanes hold, so some finish
 * while others are queued), the batch reused after a finish, and freed
 * with buffers still queued: every digest is its own buffer's. */
static void
test_many_buffers (void **state)
{
  (void) state;
  enum { N = 300 };
  guint8 *data[N];
  gsize len[N];
  char *batched[N];
  QtSha256Batch *batch = qt_sha256_batch_new ();
  for (guint i = 0; i < N; i++)
    {
      len[i] = (i * 7919u) % 70000u; /* a few over the lanes' limit */
      data[i] = bytes_of (len[i], 1000 + i);
      qt_sha256_batch_add (batch, data[i], len[i], &batched[i]);
      if (i == N / 2)
        qt_sha256_batch_finish (batch);
    }
  qt_sha256_batch_free (batch); /* finishes what is queued */
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *want = glib_sha (data[i], len[i]);
      assert_string_equal (batched[i], want);
      g_free (batched[i]);
      g_free (data[i]);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_known_answer),
    cmocka_unit_test (test_lengths),
    cmocka_unit_test (test_many_buffers),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
