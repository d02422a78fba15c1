/* model/sha256.h — SHA-256 of bytes as lowercase hex (manifests, snapshots,
 * plan fingerprints).  Backed by libcrypto, whose SHA-NI code hashes several
 * times faster than GChecksum on the inputs of a large month. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) */
char *qt_sha256_hex (const void *data, gsize len);
char *qt_sha256_hex_bytes (GBytes *bytes);

G_END_DECLS
