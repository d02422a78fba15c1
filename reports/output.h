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
  char *source;    /* the input file it is a copy of (for messages), or NULL */
} QtOutputFile;

/* A list of QtOutputFile*, freed with g_ptr_array_unref. (transfer full) */
GPtrArray *qt_output_list_new (void);
/* Adds a file, taking `content` (a GString's text). */
void qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows);
/* Sorts by name (bytewise), for deterministic manifests. */
void qt_output_sort (GPtrArray *list);

typedef struct QtOutputSink QtOutputSink;

/* Takes one complete file: `file` is its record in sink->files (name, rows,
 * size, SHA-256), `bytes` its content, borrowed for the call. */
typedef gboolean (*QtOutputPutFunc) (QtOutputSink *sink, const QtOutputFile *file,
                                     GBytes *bytes, GError **error);

typedef struct QtSinkThread QtSinkThread;

struct QtOutputSink {
  QtOutputPutFunc put;
  GPtrArray *files;      /* QtOutputFile* of every file put, without bytes */
  QtSinkThread *thread;  /* set between qt_output_sink_start and _finish */
  gboolean put_threadsafe; /* `put` may run on two threads at once: then
                              qt_output_sink_finish writes queued files on
                              the caller's thread too */
};

void qt_output_sink_init (QtOutputSink *sink, QtOutputPutFunc put);
/* Finishes the thread, if any (its error is dropped), and frees the list. */
void qt_output_sink_clear (QtOutputSink *sink);

/* From now on files are hashed and handed to `put` by a thread of the
 * sink's own, one at a time and in the order they were put, while the
 * caller renders the next ones.  Files are recorded in sink->files at once
 * (in the order they were put: with a thread, two threads may put files
 * at the same time); their SHA-256 is known after qt_output_sink_finish. */
void qt_output_sink_start (QtOutputSink *sink);

/* Waits until every file put so far has been handed on and ends the
 * thread; FALSE with the first error of `put`.  Without a thread, TRUE. */
gboolean qt_output_sink_finish (QtOutputSink *sink, GError **error);

/* Hands a file to the sink and records it (`sha256` may be NULL: computed
 * here, or on the sink's thread).  With a thread, FALSE once a file put
 * earlier has failed (with that error), else TRUE at once; the caller
 * blocks only while the files waiting hold more than a few MB. */
gboolean qt_output_sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                             const char *sha256, GError **error);

/* As qt_output_sink_put, for bytes that stay in memory anyway (the input
 * snapshot): they never count towards what the caller may have waiting. */
gboolean qt_output_sink_put_held (QtOutputSink *sink, const char *name, GBytes *bytes,
                                  gint rows, const char *sha256, GError **error);

/* As qt_output_sink_put_held, for the copy of the input file at `source`
 * (named in the message when its bytes can no longer be read: an input
 * cut short under its mapping). */
gboolean qt_output_sink_put_input (QtOutputSink *sink, const char *name, GBytes *bytes,
                                   gint rows, const char *sha256, const char *source,
                                   GError **error);

/* Puts every file of `list` (in its order) and empties it.  The list is
 * rendered already, so its bytes do not count towards what the caller may
 * have waiting (as qt_output_sink_put_held). */
gboolean qt_output_sink_put_list (QtOutputSink *sink, GPtrArray *list, GError **error);

/* SPEC §5: payout.csv, scores.csv, credits.csv, exceptions.csv. */
void qt_report_tables (const QtRunResult *res, GPtrArray *out);

G_END_DECLS
