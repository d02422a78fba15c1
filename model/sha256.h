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

/* SHA-256 of many whole buffers (a batch of statements), computed several
 * at a time: a round of the CPU's SHA extensions waits on the one before,
 * so two interleaved messages hash nearly twice as fast as one
 * (libIPSec_MB's multi-buffer manager; buffers over 64 KB, which it does
 * not take, go through libcrypto one at a time).  Each buffer must stay
 * unchanged until qt_sha256_batch_finish. */
typedef struct QtSha256Batch QtSha256Batch;
QtSha256Batch *qt_sha256_batch_new (void);
/* Queues data[0..len); *hex_out receives the digest as lowercase hex
 * (transfer full) — set now, filled in by the time the batch finishes. */
void qt_sha256_batch_add (QtSha256Batch *batch, const void *data, gsize len, char **hex_out);
/* Completes every queued digest; the batch can take more afterwards. */
void qt_sha256_batch_finish (QtSha256Batch *batch);
/* Finishes what is queued, then frees. */
void qt_sha256_batch_free (QtSha256Batch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtSha256Batch, qt_sha256_batch_free)

G_END_DECLS
