/* model/sha256.c — SHA-256 through libcrypto's EVP digest. */
#include "sha256.h"

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
