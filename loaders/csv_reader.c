/* loaders/csv_reader.c — strict RFC 4180 record reader (SPEC §12.1). */
#include "csv_reader.h"

#include <stdarg.h>
#include <string.h>

#include "model/csv_cell.h"
#include "model/qt_error.h"

struct QtCsvReader
{
  char *name;
  const char *data; /* borrowed (the supplier's buffer when streaming) */
  gsize len;        /* data[0..len) is checked UTF-8 and may be parsed */
  gsize pos;        /* next unread byte */
  guint line;       /* physical line of data[pos] */
  gsize eol;        /* offset of the first LF at or after pos (or len) */
  gboolean eol_known;

  /* Where the bytes come from: data[0..avail) so far, all of it at eof.
   * `len` grows to the last line end supplied (to avail at eof), or stops
   * at the first invalid byte (`bad`). */
  QtCsvMore more;   /* NULL: one buffer given whole */
  gpointer more_data;
  gsize avail;
  gboolean eof;
  gboolean started; /* the BOM has been looked for */
  gsize start;      /* first byte after the BOM */
  gsize bad;        /* offset of the first invalid byte, when bad_known */
  gboolean bad_known;
  gboolean hit_limit; /* the record being parsed needed data[len] */
  gboolean drop_guards; /* fields lose a leading QT_CSV_GUARD */

  /* Unescaped text of the current record: every field NUL-terminated, one
   * after the other.  Reused for every record, grown by doubling. */
  char *buf;
  gsize buf_len;
  gsize buf_cap;

  /* Per-field arrays of the current record, reused and grown by doubling.
   * Offsets into buf are kept because buf may move while a record grows. */
  gsize *offs;
  gsize *lens;
  char **ptrs;
  guint n_fields;
  guint fields_cap;

  guint expected_fields; /* header's field count; 0 until the header is read */
  gboolean header_read;
  GError *failure;       /* first error, repeated on later calls (owned) */
};

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* Sets a QT_ERROR_MALFORMED error `NAME:LINE:COLUMN: message`. */
G_GNUC_PRINTF (5, 6) static void
set_malformed (GError **error, const char *name, guint line, guint column,
               const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: %s",
               name, line, column, msg);
}

/* Finds the physical line where the record holding data[target] starts and
 * the 1-based field that holds it.  Lenient on syntax on purpose: it only
 * has to place a bad byte, the strict parser judges the syntax later. */
static void
locate_offset (const char *data, gsize start, gsize target,
               guint *line_out, guint *field_out)
{
  guint line = 1;
  guint rec_line = 1;
  guint field = 1;
  gboolean in_quotes = FALSE;
  gboolean field_start = TRUE;

  for (gsize i = start; i < target; i++)
    {
      char c = data[i];

      if (in_quotes)
        {
          if (c == '"' && data[i + 1] == '"')
            i++; /* data[target] is not a quote, so i + 1 <= target */
          else if (c == '"')
            in_quotes = FALSE;
          else if (c == '\n')
            line++;
          continue;
        }
      if (c == '"' && field_start)
        in_quotes = TRUE;
      else if (c == ',')
        field++;
      else if (c == '\n')
        {
          line++;
          rec_line = line;
          field = 1;
        }
      field_start = (c == ',' || c == '\n');
    }
  *line_out = rec_line;
  *field_out = field;
}

/* Whether the 8 bytes of w are all ASCII and none is NUL. */
static inline gboolean
plain_ascii (guint64 w)
{
  const guint64 high = 0x8080808080808080u, ones = 0x0101010101010101u;
  return ((w | ((w - ones) & ~w)) & high) == 0;
}

/* The offset of the first byte of data[from..to) that is not UTF-8 (or is
 * NUL), or `to`.  ASCII runs are skipped a word at a time; a line holding
 * other characters is left to g_utf8_validate_len (a character never
 * spans a line end). */
static gsize
utf8_valid_up_to (const char *data, gsize from, gsize to)
{
  gsize i = from;
  while (i < to)
    {
      guint64 w;
      while (i + 8 <= to && (memcpy (&w, data + i, 8), plain_ascii (w)))
        i += 8;
      while (i < to && (guchar) data[i] < 0x80 && data[i] != '\0')
        i++;
      if (i == to)
        break;
      const char *nl = memchr (data + i, '\n', to - i);
      gsize stop = nl != NULL ? (gsize) (nl - data) : to;
      const char *end = NULL;
      if (!g_utf8_validate_len (data + i, stop - i, &end))
        return (gsize) (end - data);
      i = stop;
    }
  return to;
}

/* Sets the error for the invalid byte at reader->bad. */
static void
set_bad_byte (QtCsvReader *reader, GError **error)
{
  guint line, field;
  locate_offset (reader->data, reader->start, reader->bad, &line, &field);
  if (reader->data[reader->bad] == '\0')
    set_malformed (error, reader->name, line, field, "NUL byte in the text");
  else
    set_malformed (error, reader->name, line, field,
                   "invalid UTF-8 text (the file must be saved as UTF-8)");
}

/* Makes more of the data parseable: asks the supplier for more (all of it
 * when `all`), skips a leading BOM, and checks the new bytes' UTF-8 up to
 * the last line end (or the end of the data).  Fails at a bad byte that
 * the parser has reached, or when the supplier fails. */
static gboolean
extend (QtCsvReader *reader, gboolean all, GError **error)
{
  if (reader->bad_known)
    {
      set_bad_byte (reader, error);
      return FALSE;
    }
  gsize limit = reader->len;
  for (;;)
    {
      /* No line end in data[len .. avail) (else the last pass would have
       * stopped): only the bytes that arrive now are looked at, so a long
       * line costs linear time. */
      gsize seen = MAX (reader->avail, reader->len);
      if (!reader->eof
          && !reader->more (reader->more_data, all, &reader->data, &reader->avail, &reader->eof,
                            error))
        return FALSE;
      if (!reader->started && reader->avail < 3 && !reader->eof)
        continue; /* not enough to tell a BOM yet */
      if (reader->eof)
        limit = reader->avail;
      else
        {
          limit = reader->avail;
          while (limit > seen && reader->data[limit - 1] != '\n')
            limit--; /* back to the last line end */
          if (limit == seen)
            limit = reader->len;
        }
      if (limit > reader->len || reader->eof)
        break;
    }
  if (!reader->started)
    {
      reader->started = TRUE;
      if (reader->avail >= 3 && memcmp (reader->data, utf8_bom, 3) == 0)
        reader->start = reader->pos = reader->len = 3; /* SPEC §12.1.1: a BOM is skipped */
      limit = MAX (limit, reader->len);
    }
  gsize valid = utf8_valid_up_to (reader->data, reader->len, limit);
  if (valid < limit)
    {
      reader->bad = valid;
      reader->bad_known = TRUE;
    }
  reader->len = valid;
  reader->eol_known = FALSE;
  return TRUE;
}

/* The supplier of a reader over one whole buffer: it has everything. */
static gboolean
whole_buffer (gpointer data, gboolean all, const char **bytes, gsize *avail, gboolean *eof,
              GError **error)
{
  (void) data, (void) all, (void) bytes, (void) avail, (void) error;
  *eof = TRUE;
  return TRUE;
}

static QtCsvReader *
reader_new (const char *name, QtCsvMore more, gpointer more_data)
{
  QtCsvReader *reader = g_new0 (QtCsvReader, 1);
  reader->name = g_strdup (name);
  reader->more = more;
  reader->more_data = more_data;
  reader->line = 1;
  return reader;
}

QtCsvReader *
qt_csv_reader_new (const char *name, const char *data, gsize len,
                   GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  QtCsvReader *reader = reader_new (name, whole_buffer, NULL);
  reader->data = data != NULL ? data : "";
  reader->avail = len;
  return reader;
}

QtCsvReader *
qt_csv_reader_new_stream (const char *name, QtCsvMore more, gpointer more_data)
{
  g_return_val_if_fail (name != NULL && more != NULL, NULL);
  QtCsvReader *reader = reader_new (name, more, more_data);
  reader->data = "";
  return reader;
}

void
qt_csv_reader_free (QtCsvReader *reader)
{
  if (reader == NULL)
    return;
  g_free (reader->name);
  g_free (reader->buf);
  g_free (reader->offs);
  g_free (reader->lens);
  g_free (reader->ptrs);
  g_clear_error (&reader->failure);
  g_free (reader);
}

void
qt_csv_reader_drop_guards (QtCsvReader *reader)
{
  reader->drop_guards = TRUE;
}

const char *
qt_csv_reader_get_name (QtCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);
  return reader->name;
}

/* Makes room for `extra` more bytes in the text buffer. */
static void
buf_reserve (QtCsvReader *reader, gsize extra)
{
  gsize need = reader->buf_len + extra;
  if (need <= reader->buf_cap)
    return;
  gsize cap = MAX (reader->buf_cap * 2, 256);
  while (cap < need)
    cap *= 2;
  reader->buf = g_realloc (reader->buf, cap);
  reader->buf_cap = cap;
}

static void
buf_append (QtCsvReader *reader, const char *text, gsize n)
{
  buf_reserve (reader, n);
  if (n > 0)
    memcpy (reader->buf + reader->buf_len, text, n);
  reader->buf_len += n;
}

/* Doubles the per-field arrays (rarely: they are reused). */
G_GNUC_NO_INLINE static void
fields_grow (QtCsvReader *reader)
{
  guint cap = MAX (reader->fields_cap * 2, 16);
  reader->offs = g_renew (gsize, reader->offs, cap);
  reader->lens = g_renew (gsize, reader->lens, cap);
  reader->ptrs = g_renew (char *, reader->ptrs, cap);
  reader->fields_cap = cap;
}

/* Starts a new field at the current end of the text buffer. */
static inline void
field_begin (QtCsvReader *reader)
{
  if (reader->n_fields == reader->fields_cap)
    fields_grow (reader);
  reader->offs[reader->n_fields] = reader->buf_len;
}

/* Closes the field opened by field_begin() with its terminating NUL. */
static void
field_end (QtCsvReader *reader)
{
  guint i = reader->n_fields;
  reader->lens[i] = reader->buf_len - reader->offs[i];
  buf_append (reader, "", 1);
  reader->n_fields++;
}

guint
qt_csv_count_newlines (const char *from, const char *to)
{
  guint n = 0;
  while (from < to)
    {
      const char *nl = memchr (from, '\n', (gsize) (to - from));
      if (nl == NULL)
        break;
      n++;
      from = nl + 1;
    }
  return n;
}

/* Where a field stopped: a comma (more fields follow) or the end of the
 * record (line end or end of data). */
typedef enum { FIELD_COMMA, FIELD_LAST } FieldStop;

/* Returns the first LF at or after reader->pos, or NULL.  Cached so that a
 * wide line is scanned once, not once per field. */
static const char *
find_eol (QtCsvReader *reader)
{
  if (!reader->eol_known || reader->eol < reader->pos)
    {
      gsize rest = reader->len - reader->pos;
      const char *p = reader->data + reader->pos;
      const char *nl = rest > 0 ? memchr (p, '\n', rest) : NULL;
      reader->eol = nl != NULL ? (gsize) (nl - reader->data) : reader->len;
      reader->eol_known = TRUE;
    }
  return reader->eol < reader->len ? reader->data + reader->eol : NULL;
}

/* Parses an unquoted field at reader->pos: the fast path, a memchr for the
 * comma up to the (cached) line end; quotes in here are literal. */
static FieldStop
parse_unquoted (QtCsvReader *reader)
{
  const char *p = reader->data + reader->pos;
  const char *end = reader->data + reader->len;
  const char *eol = find_eol (reader);
  const char *stop = eol != NULL ? eol : end;
  const char *comma = stop > p ? memchr (p, ',', (gsize) (stop - p)) : NULL;

  if (comma != NULL)
    {
      buf_append (reader, p, (gsize) (comma - p));
      reader->pos = (gsize) (comma + 1 - reader->data);
      return FIELD_COMMA;
    }

  const char *text_end = stop;
  if (eol == NULL)
    reader->hit_limit = TRUE; /* the record may go on past len */
  if (eol != NULL && text_end > p && text_end[-1] == '\r')
    text_end--; /* CRLF ends the record; a lone CR is text */
  buf_append (reader, p, (gsize) (text_end - p));
  if (eol != NULL)
    {
      reader->line++;
      stop++;
    }
  reader->pos = (gsize) (stop - reader->data);
  return FIELD_LAST;
}

/* Parses a quoted field whose opening quote is at reader->pos.  `column` and
 * `rec_line` place errors. */
static gboolean
parse_quoted (QtCsvReader *reader, guint rec_line, guint column,
              FieldStop *stop, GError **error)
{
  const char *p = reader->data + reader->pos + 1;
  const char *end = reader->data + reader->len;

  for (;;)
    {
      const char *q = p < end ? memchr (p, '"', (gsize) (end - p)) : NULL;
      if (q == NULL)
        {
          reader->hit_limit = TRUE;
          set_malformed (error, reader->name, rec_line, column,
                         "unterminated quoted field");
          return FALSE;
        }
      buf_append (reader, p, (gsize) (q - p));
      reader->line += qt_csv_count_newlines (p, q);
      p = q + 1;
      if (p < end && *p == '"')
        {
          buf_append (reader, "\"", 1); /* "" is one literal quote */
          p++;
          continue;
        }
      break;
    }

  /* SPEC §12.1.1: the closing quote must be followed by a comma, a line
   * end or the end of the data. */
  reader->hit_limit |= p == end || (*p == '\r' && p + 1 == end);
  if (p == end)
    *stop = FIELD_LAST;
  else if (*p == ',')
    {
      *stop = FIELD_COMMA;
      p++;
    }
  else if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
    {
      *stop = FIELD_LAST;
      p += *p == '\n' ? 1 : 2;
      reader->line++;
    }
  else
    {
      set_malformed (error, reader->name, rec_line, column,
                     "quote inside a quoted field must be doubled");
      return FALSE;
    }
  reader->pos = (gsize) (p - reader->data);
  return TRUE;
}

/* Skips blank lines (nothing at all on them, SPEC §12.1.2). */
static void
skip_blank_lines (QtCsvReader *reader)
{
  const char *d = reader->data;
  for (;;)
    {
      gsize left = reader->len - reader->pos;
      if (left >= 1 && d[reader->pos] == '\n')
        reader->pos += 1;
      else if (left >= 2 && d[reader->pos] == '\r' && d[reader->pos + 1] == '\n')
        reader->pos += 2;
      else
        return;
      reader->line++;
    }
}

/* The byte positions in the 8 bytes of w that equal c, one high bit each
 * (exact: no false positives from borrows). */
static inline guint64
bytes_equal (guint64 w, guchar c)
{
  const guint64 low7 = 0x7F7F7F7F7F7F7F7Fu;
  guint64 x = w ^ (0x0101010101010101u * c);
  return ~(((x & low7) + low7) | x | low7);
}

/* The fast path for a record on one line without any quote (nearly every
 * record): the line is copied once and its commas found a word at a time.
 * FALSE (nothing consumed) when the general parser must judge it. */
static gboolean
parse_plain_line (QtCsvReader *reader)
{
  const char *p = reader->data + reader->pos;
  const char *eol = find_eol (reader);
  if (eol == NULL)
    return FALSE;
  gsize n = (gsize) (eol - p);
  if (memchr (p, '"', n) != NULL)
    return FALSE;
  gsize text = n > 0 && p[n - 1] == '\r' ? n - 1 : n; /* CRLF ends it; a CR is text elsewhere */
  buf_reserve (reader, text + 8);
  char *b = reader->buf;
  memcpy (b, p, text);
  memset (b + text, 0, 8);
  gsize field = 0;
  for (gsize i = 0; i < text; i += 8)
    {
      guint64 w;
      memcpy (&w, b + i, 8);
      for (guint64 m = bytes_equal (w, ','); m != 0; m &= m - 1)
        {
          gsize at = i + (gsize) (__builtin_ctzll (m) >> 3);
          field_begin (reader);
          reader->offs[reader->n_fields] = field;
          reader->lens[reader->n_fields++] = at - field;
          b[at] = '\0';
          field = at + 1;
        }
    }
  field_begin (reader);
  reader->offs[reader->n_fields] = field;
  reader->lens[reader->n_fields++] = text - field;
  reader->buf_len = text + 1;
  reader->pos += n + 1;
  reader->line++;
  return TRUE;
}

/* Parses one record of data[pos..len) into the reader's buffers; FALSE at
 * the end of that data (error unset) or on malformed input.  Sets
 * hit_limit when the outcome might change with data past len. */
static gboolean
parse_record_once (QtCsvReader *reader, guint *rec_line, GError **error)
{
  skip_blank_lines (reader);
  if (reader->pos >= reader->len)
    {
      reader->hit_limit = TRUE;
      return FALSE;
    }

  *rec_line = reader->line;
  reader->buf_len = 0;
  reader->n_fields = 0;
  if (parse_plain_line (reader))
    return TRUE;

  FieldStop stop;
  do
    {
      field_begin (reader);
      if (reader->pos < reader->len && reader->data[reader->pos] == '"')
        {
          if (!parse_quoted (reader, *rec_line, reader->n_fields + 1, &stop, error))
            return FALSE;
        }
      else
        stop = parse_unquoted (reader);
      field_end (reader);
    }
  while (stop == FIELD_COMMA);
  return TRUE;
}

/* Every byte supplied, and all of it valid: len is the end of the data. */
static gboolean
at_true_end (const QtCsvReader *reader)
{
  return reader->started && reader->eof && reader->len == reader->avail && !reader->bad_known;
}

/* Parses the next record; when its outcome depended on bytes not yet
 * parseable, makes more parseable and parses it again from its start
 * (after an error: all the rest at once, errors being rare).  So records
 * and errors come in file order, whatever the supplier's block size. */
static gboolean
parse_record (QtCsvReader *reader, guint *rec_line, GError **error)
{
  for (;;)
    {
      gsize pos = reader->pos;
      guint line = reader->line;
      GError *local = NULL;
      reader->hit_limit = FALSE;
      gboolean ok = reader->started && parse_record_once (reader, rec_line, &local);
      if (reader->started && (!reader->hit_limit || at_true_end (reader)))
        {
          if (local != NULL)
            g_propagate_error (error, local);
          return ok;
        }
      gboolean failed = local != NULL;
      g_clear_error (&local);
      reader->pos = pos;
      reader->line = line;
      if (!extend (reader, failed, error))
        return FALSE;
    }
}

/* Remembers `local` as the reader's failure and hands it to the caller;
 * returns FALSE for a tail call. */
static gboolean
fail (QtCsvReader *reader, GError *local, GError **error)
{
  if (reader->failure == NULL)
    reader->failure = g_error_copy (local);
  g_propagate_error (error, local);
  return FALSE;
}

/* Takes the formula guard off each of the record's n fields, moving the
 * fields down so that they still lie one after the other. */
static void
drop_guards (QtCsvReader *reader, guint n)
{
  char *to = reader->buf;
  for (guint i = 0; i < n; i++)
    {
      const char *from = reader->ptrs[i];
      if (reader->lens[i] > 0 && from[0] == QT_CSV_GUARD)
        {
          from++;
          reader->lens[i]--;
        }
      memmove (to, from, reader->lens[i] + 1);
      reader->ptrs[i] = to;
      to += reader->lens[i] + 1;
    }
}

gboolean
qt_csv_reader_next (QtCsvReader *reader, QtCsvRecord *rec, GError **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (rec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* After an error the position is meaningless: keep reporting it. */
  if (reader->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->failure));
      return FALSE;
    }

  GError *local = NULL;
  guint line = 0;
  if (!parse_record (reader, &line, &local))
    return local != NULL ? fail (reader, local, error) : FALSE;

  guint n = reader->n_fields;
  if (reader->expected_fields != 0 && n != reader->expected_fields)
    {
      /* The column is the first field where record and header disagree. */
      set_malformed (&local, reader->name, line,
                     MIN (n, reader->expected_fields) + 1,
                     "expected %u fields, found %u", reader->expected_fields, n);
      return fail (reader, local, error);
    }

  for (guint i = 0; i < n; i++)
    reader->ptrs[i] = reader->buf + reader->offs[i];
  if (reader->drop_guards)
    drop_guards (reader, n);
  rec->line = line;
  rec->nfields = n;
  rec->fields = reader->ptrs;
  rec->lens = reader->lens;
  return TRUE;
}

/* Fails on a header name that appears twice, at its second occurrence. */
static gboolean
check_unique_names (QtCsvReader *reader, const QtCsvRecord *header,
                    GHashTable *index, GError **error)
{
  for (guint i = 0; i < header->nfields; i++)
    {
      if (g_hash_table_contains (index, header->fields[i]))
        {
          set_malformed (error, reader->name, header->line, i + 1,
                         "column '%s' appears twice in the header",
                         header->fields[i]);
          return FALSE;
        }
      g_hash_table_insert (index, header->fields[i], GUINT_TO_POINTER (i));
    }
  return TRUE;
}

gboolean
qt_csv_reader_read_header (QtCsvReader *reader,
                           const char *const *required, gsize n_required,
                           int *idx,
                           GError **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (!reader->header_read, FALSE);
  g_return_val_if_fail (required != NULL || n_required == 0, FALSE);
  g_return_val_if_fail (idx != NULL || n_required == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  GError *local = NULL;
  QtCsvRecord header;
  reader->header_read = TRUE;
  if (!qt_csv_reader_next (reader, &header, &local))
    {
      if (local == NULL)
        set_malformed (&local, reader->name, 1, 1, "missing header");
      return fail (reader, local, error);
    }

  /* Keys point into the record buffer, which stays put until the next
   * read; the table lives only in this function.  Values are indexes. */
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  if (!check_unique_names (reader, &header, index, &local))
    return fail (reader, local, error);

  for (gsize r = 0; r < n_required; r++)
    {
      gpointer value;
      if (!g_hash_table_lookup_extended (index, required[r], NULL, &value))
        {
          /* SPEC §12.1.10: a missing column is reported at 1:1. */
          set_malformed (&local, reader->name, 1, 1, "missing column '%s'",
                         required[r]);
          return fail (reader, local, error);
        }
      idx[r] = (int) GPOINTER_TO_UINT (value);
    }

  reader->expected_fields = header.nfields;
  return TRUE;
}
