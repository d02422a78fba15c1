/* loaders/csv_reader.h — strict RFC 4180 reader over an in-memory buffer.
 *
 * SPEC §12.1: LF and CRLF end a record; a leading UTF-8 BOM is skipped; any
 * invalid UTF-8 is malformed; a blank line (nothing at all on it) is skipped
 * anywhere; a quote may open a field only at its start and a quoted field
 * ends at a quote followed by a comma, a line end or the end of the file;
 * a quote inside an unquoted field is literal; nothing is trimmed.
 *
 * Errors are QT_ERROR_MALFORMED with the message
 * `NAME:LINE:COLUMN: what is wrong`, where LINE is the physical line where
 * the record starts and COLUMN the 1-based field number. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct QtCsvReader QtCsvReader;

/* One record.  fields[i] is NUL-terminated (the unescaped text) and lens[i]
 * its length in bytes; both stay valid until the next call on the reader.
 * The fields lie one after the other in one buffer (fields[i + 1] =
 * fields[i] + lens[i] + 1), and a record has at least one field. */
typedef struct {
  guint line;     /* physical line where the record starts (1-based) */
  guint nfields;
  char **fields;
  gsize *lens;
} QtCsvRecord;

/* Creates a reader over data[0..len) (the buffer is borrowed and must
 * outlive the reader).  `name` is used in error messages (a path or bare
 * file name).  Invalid UTF-8 (or a NUL byte) is malformed: it is reported
 * when the reader reaches the record that holds it, at that record's line
 * and field, so records and errors come in file order.  Never fails now;
 * `error` is kept for callers.  (transfer full) */
QtCsvReader *qt_csv_reader_new (const char *name, const char *data, gsize len,
                                GError **error);

/* Supplies a streaming reader: makes more of the data available (at least
 * one more byte, or all the rest when `all`), setting *data to the buffer
 * (which may move), *avail to the bytes in it and *eof once that is all of
 * them.  FALSE with error set when the bytes cannot be had. */
typedef gboolean (*QtCsvMore) (gpointer more_data, gboolean all, const char **data,
                               gsize *avail, gboolean *eof, GError **error);

/* A reader over data that arrives a block at a time from `more`: the same
 * records and errors as qt_csv_reader_new over all of it at once, whatever
 * the blocks.  A record is parsed once the bytes it needs are there, so a
 * caller can work on the first records while the rest is still being
 * read.  (transfer full) */
QtCsvReader *qt_csv_reader_new_stream (const char *name, QtCsvMore more, gpointer more_data);

void qt_csv_reader_free (QtCsvReader *reader);

/* Reads the next record into *rec.  Returns TRUE with a record, FALSE at the
 * end of data (error unset) or on malformed input (error set). */
gboolean qt_csv_reader_next (QtCsvReader *reader, QtCsvRecord *rec, GError **error);

/* Reads the header record and maps the required column names to their
 * indexes: idx[i] receives the index of required[i].  Fails with
 * `NAME:1:1: missing column 'x'` (or `missing header` for an empty file) and
 * on a column name that appears twice (at that field).  Also remembers the
 * header's field count: every later record must have exactly that many
 * fields (else `NAME:LINE:COL: expected N fields, found M`).
 * Columns not named in `required` are ignored (SPEC §2). */
gboolean qt_csv_reader_read_header (QtCsvReader *reader,
                                    const char *const *required, gsize n_required,
                                    int *idx,
                                    GError **error);

/* The LFs in from[0..to - from): line numbers of later records, and (plus
 * one) a bound on a buffer's records. */
guint qt_csv_count_newlines (const char *from, const char *to);

/* The name given at creation. (transfer none) */
const char *qt_csv_reader_get_name (QtCsvReader *reader);

/* The data is one of quotient's own CSV outputs: every field from the
 * next record on loses its formula guard (model/csv_cell.h), so that the
 * reader gives the cell's text as the engine had it. */
void qt_csv_reader_drop_guards (QtCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtCsvReader, qt_csv_reader_free)

G_END_DECLS
