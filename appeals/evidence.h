/* appeals/evidence.h — an appeal's evidence files, stored once under
 * RUN_DIR/evidence/<sha256> (content-addressed, SPEC §8). */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

/* One evidence file of an appeal: its SHA-256 and base name, and (when read
 * for filing, not replayed from the journal) its bytes. */
typedef struct {
  char *sha256;
  char *name;
  GBytes *bytes;    /* NULL once in the journal */
} QtEvidence;

/* Frees a QtEvidence (a GPtrArray free func). */
void qt_evidence_free (gpointer evidence);

/* Reads the files at `paths` (NULL-terminated, may be NULL): a list of
 * QtEvidence with bytes.  A file that cannot be read is QT_ERROR_IO.
 * (transfer full) */
GPtrArray *qt_evidence_read (const char *const *paths, GError **error);

/* Stores each file not stored yet under RUN_DIR/evidence/<sha256>,
 * durably (qt_run_write_new_file). */
gboolean qt_evidence_store (const char *run_dir, const GPtrArray *evidence, GError **error);

/* [{"sha256":…,"name":…}, …] for the journal. (transfer full) */
cJSON *qt_evidence_json (const GPtrArray *evidence);

G_END_DECLS
