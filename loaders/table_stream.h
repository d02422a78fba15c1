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
#include "../model/dataset_builder.h"
#include "../model/date.h"
#include "../model/intern.h"
#include "../model/money.h"
#include "csv_reader.h"

G_BEGIN_DECLS

/* One file of the data set and the columns the loader needs from it. */
typedef struct {
  const char *file;           /* bare name, in `dir` */
  gboolean optional;          /* may be absent: then it has no records */
  const char *const *cols;    /* required column names (at most QT_TABLE_MAX_COLUMNS) */
  gsize n_cols;
  const QtColumnKind *kinds;  /* of each required column: the thread parses
                               * decimals and dates ahead (the loader still
                               * parses, and reports, what it could not) */
  gboolean hash_ids;          /* the thread hashes the id columns too */
} QtTableFile;

/* A required field of the current record, parsed by the thread (one
 * member, by the column's kind). */
typedef union {
  QtNum num;     /* QT_COLUMN_DECIMAL: a short decimal (qt_num_parse_short) */
  QtDay day;     /* QT_COLUMN_DATE */
  guint32 hash;  /* QT_COLUMN_ID, QT_COLUMN_OPT_ID: qt_intern_hash of the text */
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

/* The required columns of the record last returned by
 * qt_table_stream_next as parsed by the thread: typed[c] holds column c
 * when bit c of *mask is set (not without a thread, not a decimal, date or
 * hashed id, nor text the loader must parse and judge).  NULL with *mask 0
 * when none. */
const QtTypedField *qt_table_stream_typed (const QtTableStream *s, guint *mask);

/* The same for the record `ahead` records after that one, when the thread
 * has it in the same chunk; else NULL with *mask 0. */
const QtTypedField *qt_table_stream_typed_ahead (const QtTableStream *s, guint ahead,
                                                 guint *mask);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtTableStream, qt_table_stream_free)

G_END_DECLS
