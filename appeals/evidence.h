/* appeals/evidence.h — an appeal's evidence files, stored once under
 * RUN_DIR/evidence/<sha256> (content-addressed, SPEC §8). */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

/* Reads the files at `paths` (NULL-terminated, may be NULL): a list of
 * evidence with each file's base name, bytes and SHA-256.  A file that
 * cannot be read is QT_ERROR_IO.  (transfer full) */
GPtrArray *qt_evidence_read (const char *const *paths, GError **error);

/* Stores each file not stored yet, durably (written beside, synced, renamed
 * into place, the directory synced). */
gboolean qt_evidence_store (const char *run_dir, const GPtrArray *evidence, GError **error);

/* [{"sha256":…,"name":…}, …] for the journal. (transfer full) */
cJSON *qt_evidence_json (const GPtrArray *evidence);

G_END_DECLS
