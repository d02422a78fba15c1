/* reports/output.h — the files of a run directory and where they go.
 *
 * Every report renders its files and hands each to a QtOutputSink as soon as
 * it is complete: the run directory being written (reports/run_dir.h) or
 * verify's comparison with a directory on disk.  The sink remembers each
 * file's name, row count, size and SHA-256 for the manifest, and drops the
 * bytes, so a large month's statements never sit in memory all at once. */
#pragma once

#include <glib.h>

#include "../calc/result.h"

G_BEGIN_DECLS

typedef struct {
  char *name;      /* path inside the run directory, '/'-separated */
  GBytes *bytes;   /* the content, or NULL once handed to a sink */
  gint rows;       /* data rows of a CSV file, -1 for other files */
  char *sha256;    /* hex SHA-256 when known, else NULL */
  gsize size;      /* bytes */
} QtOutputFile;

/* A list of QtOutputFile*, freed with g_ptr_array_unref. (transfer full) */
GPtrArray *qt_output_list_new (void);
/* Adds a file, taking `content` (a GString's text). */
void qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows);
/* Sorts by name (bytewise), for deterministic manifests. */
void qt_output_sort (GPtrArray *list);

typedef struct QtOutputSink QtOutputSink;

/* Takes one complete file (bytes borrowed for the call). */
typedef gboolean (*QtOutputPutFunc) (QtOutputSink *sink, const char *name, GBytes *bytes,
                                     GError **error);

struct QtOutputSink {
  QtOutputPutFunc put;
  GPtrArray *files;  /* QtOutputFile* of every file put, without bytes */
};

void qt_output_sink_init (QtOutputSink *sink, QtOutputPutFunc put);
void qt_output_sink_clear (QtOutputSink *sink);

/* Hands a file to the sink and records it (`sha256` may be NULL: computed
 * here). */
gboolean qt_output_sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                             const char *sha256, GError **error);

/* Puts every file of `list` (in its order) and empties it. */
gboolean qt_output_sink_put_list (QtOutputSink *sink, GPtrArray *list, GError **error);

/* SPEC §5: payout.csv, scores.csv, credits.csv, exceptions.csv. */
void qt_report_tables (const QtRunResult *res, GPtrArray *out);

G_END_DECLS
