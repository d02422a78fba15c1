/* rules/json_pos.h — strict JSON documents: cJSON values plus the line and
 * column of every value by JSON path, with duplicate keys refused.
 *
 * cJSON keeps no positions and silently accepts `{"a": 1, "a": 2}`; plan
 * files need both (SPEC §12.1.10, §12.2.2).  A JSON path is `` for the root,
 * `key` / `parent.key` for members and `parent[3]` for array elements.
 * Errors are QT_ERROR_MALFORMED with the message `LINE:COLUMN: what is
 * wrong` or `LINE:COLUMN: JSON.PATH: what is wrong`; the caller prefixes the
 * file name with g_prefix_error. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint line;   /* 1-based */
  guint column; /* 1-based, counted in UTF-8 code points */
  gsize offset; /* byte offset of the value's first character in doc->text */
} QtJsonPos;

typedef struct {
  cJSON *root;
  char *text;      /* the parsed text (a leading UTF-8 BOM removed), NUL-terminated */
  gsize len;
  GHashTable *pos; /* JSON path (owned) → QtJsonPos (owned) */
} QtJsonDoc;

/* Parses text[0..len) as one JSON value (a leading UTF-8 BOM is skipped).
 * Refused: invalid UTF-8 or a NUL byte, anything cJSON refuses (reported at
 * cJSON's error position), a duplicate object key (at the second key), a
 * number cJSON cannot hold as a finite value (`1e400`).  Positions are
 * recorded for every value whose path is unambiguous: values below a key that
 * is empty or holds `.`, `[`, `]` or NUL have none (such keys are never plan
 * members).  (transfer full) */
QtJsonDoc *qt_json_doc_parse (const char *text, gsize len, GError **error);
void qt_json_doc_free (QtJsonDoc *doc);

/* The position of the value at `path`; 1:1 (offset 0) when none is known. */
QtJsonPos qt_json_doc_pos (const QtJsonDoc *doc, const char *path);

/* Reads the value at `path` as a JSON integer literal `-?[0-9]+` (no
 * fraction, no exponent) that fits a gint64.  FALSE when the value is no
 * such literal. */
gboolean qt_json_doc_integer (const QtJsonDoc *doc, const char *path, gint64 *out);

/* The string of member `key` of `obj`, or NULL when there is none or it
 * is not a string. (transfer none) */
const char *qt_json_string_member (const cJSON *obj, const char *key);

/* A JSON integer value written from its digits (a raw item, printed as
 * is), never through cJSON's binary number.  (transfer full) */
cJSON *qt_json_integer_new (gint64 v);

/* Paths of a member and of an array element of `parent`.  (transfer full) */
char *qt_json_path_member (const char *parent, const char *key);
char *qt_json_path_index (const char *parent, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtJsonDoc, qt_json_doc_free)

G_END_DECLS
