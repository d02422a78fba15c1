/* model/sha256.h — SHA-256 of bytes as lowercase hex (manifests, snapshots,
 * plan fingerprints).  Backed by libcrypto, whose SHA-NI code hashes several
 * times faster than GChecksum on the inputs of a large month. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) */
char *qt_sha256_hex (const void *data, gsize len);
char *qt_sha256_hex_bytes (GBytes *bytes);

/* SHA-256 of bytes that arrive piece by piece (a file read a block at a
 * time). */
typedef struct QtSha256 QtSha256;
QtSha256 *qt_sha256_new (void);
void qt_sha256_update (QtSha256 *sha, const void *data, gsize len);
/* The digest as lowercase hex; frees `sha`. (transfer full) */
char *qt_sha256_finish_hex (QtSha256 *sha);
void qt_sha256_free (QtSha256 *sha);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtSha256, qt_sha256_free)

G_END_DECLS
