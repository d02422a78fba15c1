/* loaders/table_stream.h — the records of a data set's CSV files, in
 * order, read ahead on a thread of their own.
 *
 * The thread reads each file a block at a time, hashes it (SHA-256),
 * checks its UTF-8 and splits it into records, a chunk of records at a
 * time, while the loader turns the records already split into rows.  The loader sees
 * exactly what it would see reading the files itself, errors included, at
 * the same record: the stream only moves the work to the other core.
 * Without a thread (threads = 1) the same calls do the work in place. */
#pragma once

#include <glib.h>

#include "../model/dataset.h"
#include "../model/date.h"
#include "../model/money.h"
#include "csv_reader.h"

G_BEGIN_DECLS

/* What a required column holds: the thread parses decimals and dates and
 * hashes ids ahead too (the loader still parses, and reports, what it
 * could not). */
typedef enum { QT_FIELD_TEXT, QT_FIELD_DECIMAL, QT_FIELD_DATE, QT_FIELD_ID } QtFieldKind;

#define QT_TABLE_MAX_COLS 8

/* One file of the data set and the columns the loader needs from it. */
typedef struct {
  const char *file;           /* bare name, in `dir` */
  gboolean optional;          /* may be absent: then it has no records */
  const char *const *cols;    /* required column names (at most QT_TABLE_MAX_COLS) */
  gsize n_cols;
  QtFieldKind kinds[QT_TABLE_MAX_COLS]; /* of each required column */
} QtTableFile;

/* A required field of the current record, parsed by the thread (one
 * member, by the column's kind). */
typedef union {
  QtNum num;     /* QT_FIELD_DECIMAL: a short decimal (qt_num_parse_short) */
  QtDay day;     /* QT_FIELD_DATE */
  guint32 hash;  /* QT_FIELD_ID: qt_intern_hash of a non-empty id */
} QtTypedField;

typedef struct QtTableStream QtTableStream;

/* Starts streaming tables[0..n) of `dir` (tables is borrowed and must
 * outlive the stream). (transfer full) */
QtTableStream *qt_table_stream_new (const char *dir, const QtTableFile *tables, guint n,
                                    gboolean threaded);

/* Stops the thread (if any) wherever it is, and frees everything. */
void qt_table_stream_free (QtTableStream *s);

/* Moves to the next table (the first on the first call) and reads its
 * header.  On success sets *present (FALSE for an absent optional file,
 * which has no records), *n_lines to an estimate of its lines (for sizing
 * only: from the part read so far) and idx[i] to the field index of
 * cols[i].  Fails as the reader would: a missing or unreadable file, a bad
 * header — `PATH:LINE:COL: ...`. */
gboolean qt_table_stream_open (QtTableStream *s, gboolean *present, guint *n_lines, int *idx,
                               GError **error);

/* After qt_table_stream_next returned FALSE without an error: sets
 * file->bytes to the whole file's content (transfer full; left NULL for an
 * absent file), file->sha256 to its hex SHA-256 (transfer full) and
 * file->stamp to the version read (file->stamped: a regular file). */
void qt_table_stream_finish (QtTableStream *s, QtInputFile *file);

/* The next record of the current table, valid until the next call: TRUE
 * with a record, FALSE at the table's end (error unset) or on malformed
 * input (error set, as qt_csv_reader_next). */
gboolean qt_table_stream_next (QtTableStream *s, QtCsvRecord *rec, GError **error);

/* Whether the file of the table last opened, at `path`, is no longer the
 * version opened (see file_stamp.h): a failure in its records is then
 * reported as the file having changed, not as the bytes that happened to
 * be read. */
gboolean qt_table_stream_changed (const QtTableStream *s, const char *path);

/* Required column `col` of the record last returned by
 * qt_table_stream_next, as parsed by the thread; NULL when it did not (no
 * thread, a text column, or text the loader must parse and judge). */
const QtTypedField *qt_table_stream_typed (const QtTableStream *s, guint col);

/* Called for every record a few records before qt_table_stream_next
 * returns it, with stage 0 (16 records ahead), then again with stage 1
 * (8 ahead, when what stage 0 asked for has arrived): a chance to
 * prefetch what the records will look up (threaded only).
 * typed(col) is what qt_table_stream_typed would give for that record. */
typedef struct QtRecordAhead QtRecordAhead;
typedef void (*QtRecordPrefetch) (gpointer data, const QtRecordAhead *rec, int stage);

/* Required column `col` of a record given to a QtRecordPrefetch, as
 * parsed by the thread, or NULL. */
const QtTypedField *qt_record_ahead_typed (const QtRecordAhead *rec, guint col);

/* Sets the prefetch hook for the records from now on (NULL: none). */
void qt_table_stream_set_prefetch (QtTableStream *s, QtRecordPrefetch hook, gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtTableStream, qt_table_stream_free)

G_END_DECLS
