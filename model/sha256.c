/* model/sha256.c — SHA-256 through libcrypto's EVP digest, and of many
 * buffers at once through libIPSec_MB's multi-buffer manager. */
#include "sha256.h"

#ifdef QT_HAVE_IPSEC_MB
/* The library's pre-0.53 names (SHA1, …) clash with libcrypto's. */
#define NO_COMPAT_IMB_API_053
#include <intel-ipsec-mb.h>
#endif
#include <openssl/evp.h>
#include <string.h>

static void
hex_into (char *out, const unsigned char *md, unsigned int md_len)
{
  static const char hex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < md_len; i++)
    {
      out[2 * i] = hex[md[i] >> 4];
      out[2 * i + 1] = hex[md[i] & 15];
    }
  out[md_len * 2] = '\0';
}

static char *
hex_of (const unsigned char *md, unsigned int md_len)
{
  char *out = g_malloc (md_len * 2 + 1);
  hex_into (out, md, md_len);
  return out;
}

char *
qt_sha256_hex (const void *data, gsize len)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  /* EVP_Digest only fails on allocation failure inside libcrypto. */
  if (!EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL))
    g_error ("libcrypto SHA-256 failed");
  return hex_of (md, md_len);
}

struct QtSha256 {
  EVP_MD_CTX *ctx;
};

QtSha256 *
qt_sha256_new (void)
{
  QtSha256 *sha = g_new0 (QtSha256, 1);
  sha->ctx = EVP_MD_CTX_new ();
  if (sha->ctx == NULL || !EVP_DigestInit_ex (sha->ctx, EVP_sha256 (), NULL))
    g_error ("libcrypto SHA-256 failed");
  return sha;
}

void
qt_sha256_update (QtSha256 *sha, const void *data, gsize len)
{
  if (len > 0 && !EVP_DigestUpdate (sha->ctx, data, len))
    g_error ("libcrypto SHA-256 failed");
}

char *
qt_sha256_finish_hex (QtSha256 *sha)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (!EVP_DigestFinal_ex (sha->ctx, md, &md_len))
    g_error ("libcrypto SHA-256 failed");
  qt_sha256_free (sha);
  return hex_of (md, md_len);
}

void
qt_sha256_free (QtSha256 *sha)
{
  if (sha == NULL)
    return;
  EVP_MD_CTX_free (sha->ctx);
  g_free (sha);
}

char *
qt_sha256_hex_bytes (GBytes *bytes)
{
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);
  return qt_sha256_hex (data ? data : "", len);
}

/* ---- many buffers at once ------------------------------------------------ */

#ifdef QT_HAVE_IPSEC_MB

#define DIGEST_LEN 32
#define HEX_LEN (2 * DIGEST_LEN)

struct QtSha256Batch {
  IMB_MGR *mgr;
};

QtSha256Batch *
qt_sha256_batch_new (void)
{
  QtSha256Batch *batch = g_new0 (QtSha256Batch, 1);
  batch->mgr = alloc_mb_mgr (0);
  if (batch->mgr == NULL)
    g_error ("libIPSec_MB: out of memory");
  /* The best code this CPU runs: SHA extensions where it has them.  A CPU
   * the library has no code for (before SSE4.2) leaves the manager
   * without functions: then libcrypto hashes each buffer at once. */
  IMB_ARCH arch = IMB_ARCH_NONE;
  init_mb_mgr_auto (batch->mgr, &arch);
  if (arch == IMB_ARCH_NONE || imb_get_errno (batch->mgr) != 0)
    g_clear_pointer (&batch->mgr, free_mb_mgr);
  return batch;
}

/* A finished job: its digest, written into the tail of the caller's hex
 * buffer, becomes the hex text.  A job the library refused (none that we
 * give it; this is defence) is hashed by libcrypto. */
static void
job_done (const IMB_JOB *job)
{
  char *hex = job->user_data;
  unsigned char md[DIGEST_LEN];
  if (job->status == IMB_STATUS_COMPLETED)
    memcpy (md, job->auth_tag_output, DIGEST_LEN);
  else if (!EVP_Digest (job->src, job->msg_len_to_hash_in_bytes, md, NULL, EVP_sha256 (), NULL))
    g_error ("libcrypto SHA-256 failed");
  hex_into (hex, md, DIGEST_LEN);
}

/* The longest message the library's SHA-256 lanes take (they count
 * bytes in 16 bits); longer ones are hashed by libcrypto at once. */
#define LANE_MAX_LEN 65534

void
qt_sha256_batch_add (QtSha256Batch *batch, const void *data, gsize len, char **hex_out)
{
  if (len > LANE_MAX_LEN || batch->mgr == NULL)
    {
      *hex_out = qt_sha256_hex (data, len);
      return;
    }
  /* The digest lands in the hex buffer's second half until it is spelt. */
  char *hex = g_malloc (HEX_LEN + 1);
  *hex_out = hex;
  IMB_JOB *job = IMB_GET_NEXT_JOB (batch->mgr);
  memset (job, 0, sizeof *job);
  job->cipher_mode = IMB_CIPHER_NULL;
  job->cipher_direction = IMB_DIR_ENCRYPT;
  job->chain_order = IMB_ORDER_HASH_CIPHER;
  job->hash_alg = IMB_AUTH_SHA_256;
  job->src = data;
  job->msg_len_to_hash_in_bytes = len;
  job->auth_tag_output = (guint8 *) hex + DIGEST_LEN;
  job->auth_tag_output_len_in_bytes = DIGEST_LEN;
  job->user_data = hex;
  for (job = IMB_SUBMIT_JOB (batch->mgr); job != NULL; job = IMB_GET_COMPLETED_JOB (batch->mgr))
    job_done (job);
}

void
qt_sha256_batch_finish (QtSha256Batch *batch)
{
  IMB_JOB *job;
  while (batch->mgr != NULL && (job = IMB_FLUSH_JOB (batch->mgr)) != NULL)
    job_done (job);
}

void
qt_sha256_batch_free (QtSha256Batch *batch)
{
  if (batch == NULL)
    return;
  qt_sha256_batch_finish (batch);
  g_clear_pointer (&batch->mgr, free_mb_mgr);
  g_free (batch);
}

#else /* no libIPSec_MB: one buffer at a time, at once */

struct QtSha256Batch {
  int unused;
};

QtSha256Batch *
qt_sha256_batch_new (void)
{
  return g_new0 (QtSha256Batch, 1);
}

void
qt_sha256_batch_add (QtSha256Batch *batch, const void *data, gsize len, char **hex_out)
{
  (void) batch;
  *hex_out = qt_sha256_hex (data, len);
}

void
qt_sha256_batch_finish (QtSha256Batch *batch)
{
  (void) batch;
}

void
qt_sha256_batch_free (QtSha256Batch *batch)
{
  g_free (batch);
}

#endif
