/* reports/output.h — the files of a run directory and the interface they
 * are handed to.
 *
 * Every report renders its files and hands each to a QtOutputSink as soon as
 * it is complete.  This header is only the interface: what a sink does with
 * a file (write it into a run directory, compare it with one on disk, queue
 * it for a thread) is the run library's (run/output_sink.h, run/run_dir.h,
 * run/verify.h).  The sink remembers each file's name, row count, size and
 * SHA-256 for the manifest, and drops the bytes, so a large month's
 * statements never sit in memory all at once. */
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
  gboolean held;   /* its bytes stay in memory anyway (the input snapshot, a
                      rendered list): a queue does not count them as waiting */
} QtOutputFile;

/* A list of QtOutputFile*, freed with g_ptr_array_unref. (transfer full) */
GPtrArray *qt_output_list_new (void);
/* Adds a file, taking `content` (a GString's text). */
void qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows);
/* Sorts by name (bytewise), for deterministic manifests. */
void qt_output_sort (GPtrArray *list);

typedef struct QtOutputSink QtOutputSink;

/* Takes one complete file: `file` is its record in sink->files (name, rows,
 * size, SHA-256, held), `bytes` its content, borrowed for the call. */
typedef gboolean (*QtOutputPutFunc) (QtOutputSink *sink, const QtOutputFile *file,
                                     GBytes *bytes, GError **error);

struct QtOutputSink {
  QtOutputPutFunc put;
  GPtrArray *files;        /* QtOutputFile* of every file put, without bytes */
  gboolean put_threadsafe; /* `put` may run on two threads at once */
  GMutex files_lock;       /* two threads may put files at once (the
                              statements and the tables) */
};

void qt_output_sink_init (QtOutputSink *sink, QtOutputPutFunc put);
/* Frees the list of files put. */
void qt_output_sink_clear (QtOutputSink *sink);

/* Records a file in sink->files (computing its SHA-256 here when `sha256`
 * is NULL) and hands it to `put`; FALSE with the error of `put`. */
gboolean qt_output_sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                             const char *sha256, GError **error);

/* As qt_output_sink_put, for bytes that stay in memory anyway (the input
 * snapshot): a queue never counts them as waiting. */
gboolean qt_output_sink_put_held (QtOutputSink *sink, const char *name, GBytes *bytes,
                                  gint rows, const char *sha256, GError **error);

/* Puts every file of `list` (in its order) and empties it.  The list is
 * rendered already, so its bytes count as held. */
gboolean qt_output_sink_put_list (QtOutputSink *sink, GPtrArray *list, GError **error);

/* SPEC §5: payout.csv, scores.csv, credits.csv, exceptions.csv. */
void qt_report_tables (const QtRunResult *res, GPtrArray *out);

/* exceptions.csv of `exceptions` (QtException, sorted), for every kind of
 * run. */
void qt_report_exceptions (const GArray *exceptions, GPtrArray *out);

G_END_DECLS
