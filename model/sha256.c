/* model/sha256.c — SHA-256 through libcrypto's one-shot EVP digest. */
#include "sha256.h"

#include <openssl/evp.h>

char *
qt_sha256_hex (const void *data, gsize len)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  /* EVP_Digest only fails on allocation failure inside libcrypto. */
  if (!EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL))
    g_error ("libcrypto SHA-256 failed");
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (md_len * 2 + 1);
  for (unsigned int i = 0; i < md_len; i++)
    {
      out[2 * i] = hex[md[i] >> 4];
      out[2 * i + 1] = hex[md[i] & 15];
    }
  out[md_len * 2] = '\0';
  return out;
}

char *
qt_sha256_hex_bytes (GBytes *bytes)
{
  gsize len = 0;
  const void *data = g_bytes_get_data (bytes, &len);
  return qt_sha256_hex (data ? data : "", len);
}
