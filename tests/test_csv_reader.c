/* tests/test_csv_reader.c — the strict CSV rules of SPEC §12.1, record by record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "loaders/csv_reader.h"
#include "model/qt_error.h"

/* Renders one field as `[text]`, LF and CR spelled \n and \r so that the
 * expected strings stay readable; also checks lens[] against the text. */
static void
append_field (GString *out, const char *field, gsize len)
{
  assert_int_equal (strlen (field), len);
  g_string_append_c (out, '[');
  for (gsize i = 0; i < len; i++)
    {
      if (field[i] == '\n')
        g_string_append (out, "\\n");
      else if (field[i] == '\r')
        g_string_append (out, "\\r");
      else
        g_string_append_c (out, field[i]);
    }
  g_string_append_c (out, ']');
}

/* Reads the header (when with_header) and every record into `out`. */
static gboolean
render_all (QtCsvReader *reader, gboolean with_header,
            const char *const *required, gsize n_required,
            GString *out, GError **error)
{
  if (with_header)
    {
      int idx[16];
      assert_true (n_required <= G_N_ELEMENTS (idx));
      if (!qt_csv_reader_read_header (reader, required, n_required, idx, error))
        return FALSE;
      g_string_append (out, "idx:");
      for (gsize i = 0; i < n_required; i++)
        g_string_append_printf (out, " %d", idx[i]);
      g_string_append_c (out, '\n');
    }

  QtCsvRecord rec;
  while (qt_csv_reader_next (reader, &rec, error))
    {
      g_string_append_printf (out, "%u: ", rec.line);
      assert_true (rec.nfields >= 1);
      for (guint i = 0; i < rec.nfields; i++)
        {
          /* The fields lie one after the other (csv_reader.h). */
          if (i > 0)
            assert_ptr_equal (rec.fields[i], rec.fields[i - 1] + rec.lens[i - 1] + 1);
          append_field (out, rec.fields[i], rec.lens[i]);
        }
      g_string_append_c (out, '\n');
    }
  return *error == NULL;
}

/* Renders what a reader gives (see run_csv). */
static char *
render_reader (QtCsvReader *reader, gboolean with_header,
               const char *const *required, gsize n_required)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  if (render_all (reader, with_header, required, n_required, out, &error))
    return g_string_free (g_steal_pointer (&out), FALSE);

  assert_non_null (error);
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_MALFORMED));
  g_string_append_printf (out, "ERROR: %s", error->message);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A streaming reader's supplier: `block` more bytes of `text` per call, in
 * a buffer that moves every time (so a stale pointer shows under ASan). */
typedef struct {
  const char *text;
  gsize len, given, block;
  char *buf;
  guint calls;
} Blocks;

static gboolean
next_block (gpointer data, gboolean all, const char **bytes, gsize *avail, gboolean *eof,
            GError **error)
{
  (void) error;
  Blocks *b = data;
  assert_true (b->given < b->len || b->len == 0);
  b->given = all ? b->len : MIN (b->len, b->given + b->block);
  g_free (b->buf);
  b->buf = g_malloc (MAX (b->given, 1));
  memcpy (b->buf, b->text, b->given);
  b->calls++;
  *bytes = b->buf;
  *avail = b->given;
  *eof = b->given == b->len;
  return TRUE;
}

/* Reads text[0..len) as "orders.csv" and renders the outcome:
 *   `idx: 2 0` for the header mapping (when with_header),
 *   `LINE: [f1][f2]` per record,
 *   `ERROR: message` for the first error (which must be QT_ERROR_MALFORMED).
 * The text is copied into an exactly-sized block without a final NUL, so
 * ASan flags any read past len.  Every text is also read by streaming
 * readers fed 1, 2, 3, 5 and 64 bytes at a time, which must give exactly
 * the same outcome.  (transfer full) */
static char *
run_csv (const char *text, gsize len, gboolean with_header,
         const char *const *required, gsize n_required)
{
  g_autofree char *data = len > 0 ? g_malloc (len) : NULL;
  if (len > 0)
    memcpy (data, text, len);

  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("orders.csv", data, len, &error);
  assert_non_null (reader);
  char *whole = render_reader (reader, with_header, required, n_required);

  static const gsize blocks[] = { 1, 2, 3, 5, 64 };
  for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      Blocks b = { .text = text, .len = len, .block = blocks[i] };
      g_autoptr (QtCsvReader) stream = qt_csv_reader_new_stream ("orders.csv", next_block, &b);
      g_autofree char *streamed = render_reader (stream, with_header, required, n_required);
      assert_string_equal (streamed, whole);
      g_free (b.buf);
    }
  return whole;
}

/* Literal text (may hold NUL bytes), no header: every record as read. */
#define CSV(lit) run_csv ((lit), sizeof (lit) - 1, FALSE, NULL, 0)
/* Literal text with a header and the array `req` of required columns. */
#define CSV_H(lit, req) run_csv ((lit), sizeof (lit) - 1, TRUE, (req), G_N_ELEMENTS (req))

static const char *const req_id_name[] = { "id", "name" };
static const char *const req_name_id[] = { "name", "id" };
static const char *const req_id[] = { "id" };

/* ---- records and values ---- */

static void
test_plain_records (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("id,name\n1,Alice\n2,Bob\n");
  assert_string_equal (got, "1: [id][name]\n2: [1][Alice]\n3: [2][Bob]\n");
}

static void
test_header_maps_columns_in_any_order (void **state)
{
  (void) state;
  g_autofree char *a = CSV_H ("id,name\n1,Alice\n", req_name_id);
  assert_string_equal (a, "idx: 1 0\n2: [1][Alice]\n");

  /* Unknown columns are ignored (SPEC §2) but still counted per record. */
  static const char *const req[] = { "amount", "receipt_id" };
  g_autofree char *b = CSV_H ("note,receipt_id,x,amount\nhi,R1,,12.50\n", req);
  assert_string_equal (b, "idx: 3 1\n2: [hi][R1][][12.50]\n");
}

static void
test_header_only (void **state)
{
  (void) state;
  g_autofree char *got = CSV_H ("id,name\n", req_id_name);
  assert_string_equal (got, "idx: 0 1\n");
}

static void
test_header_without_required_columns (void **state)
{
  (void) state;
  g_autofree char *data = g_strdup ("a,b\n1,2\n3\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("x.csv", data, strlen (data), &error);
  assert_non_null (reader);
  assert_true (qt_csv_reader_read_header (reader, NULL, 0, NULL, &error));
  assert_null (error);

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.nfields, 2);
  assert_string_equal (rec.fields[1], "2");
  /* The header's field count is still enforced. */
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_non_null (error);
  assert_string_equal (error->message, "x.csv:3:2: expected 2 fields, found 1");
}

static void
test_no_header_means_no_field_count (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a\nb,c\nd,e,f\n");
  assert_string_equal (got, "1: [a]\n2: [b][c]\n3: [d][e][f]\n");
}

static void
test_multibyte_utf8 (void **state)
{
  (void) state;
  g_autofree char *data = g_strdup ("名前,Zürich\n€5,\"ß,ü\"\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("u.csv", data, strlen (data), &error);
  assert_non_null (reader);

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_string_equal (rec.fields[0], "名前");
  assert_int_equal (rec.lens[0], 6);
  assert_string_equal (rec.fields[1], "Zürich");
  assert_int_equal (rec.lens[1], 7);
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_string_equal (rec.fields[0], "€5");
  assert_int_equal (rec.lens[0], 4);
  assert_string_equal (rec.fields[1], "ß,ü");
  assert_int_equal (rec.lens[1], 5);
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_null (error);
}

static void
test_nothing_is_trimmed (void **state)
{
  (void) state;
  /* SPEC §12.1.4: spaces and tabs stay part of the value. */
  g_autofree char *got = CSV (" 12.5 ,\tR1, \"x\" \n");
  assert_string_equal (got, "1: [ 12.5 ][\tR1][ \"x\" ]\n");
}

/* ---- quoting ---- */

static void
test_quoted_fields_with_commas (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("\"a,b\",c,\"d\"\n\"Smith, J.\",\",\",\",,\"\n");
  assert_string_equal (got, "1: [a,b][c][d]\n2: [Smith, J.][,][,,]\n");
}

static void
test_doubled_quotes (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\",\"a\"\"\"\n");
  assert_string_equal (got, "1: [say \"hi\"][\"][\"\"][a\"]\n");
}

static void
test_empty_quoted_field (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("\"\",x,\"\"\n\"\"\n");
  assert_string_equal (got, "1: [][x][]\n2: []\n");
}

static void
test_quote_inside_unquoted_field_is_literal (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a\"b,c\"\n5\" screen,x\"y\"z,\"\"\"q\"\n");
  assert_string_equal (got, "1: [a\"b][c\"]\n2: [5\" screen][x\"y\"z][\"q]\n");
}

static void
test_quote_after_space_is_literal (void **state)
{
  (void) state;
  /* Only a quote at the very start opens a quoted field. */
  g_autofree char *got = CSV ("a, \"b,c\"\n");
  assert_string_equal (got, "1: [a][ \"b][c\"]\n");
}

static void
test_newlines_inside_quotes_count_as_lines (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("h1,h2\n"
                              "\"line1\nline2\",b\n"
                              "c,d\n"
                              "\"x\n\ny\",\"z\n\"\n"
                              "e,f\n");
  assert_string_equal (got, "1: [h1][h2]\n"
                            "2: [line1\\nline2][b]\n"
                            "4: [c][d]\n"
                            "5: [x\\n\\ny][z\\n]\n"
                            "9: [e][f]\n");
}

static void
test_crlf_inside_quotes_is_kept (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("\"x\r\ny\",z\r\nw,v\r\n");
  assert_string_equal (got, "1: [x\\r\\ny][z]\n3: [w][v]\n");
}

static void
test_lone_cr_inside_quotes_is_not_a_line (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("\"a\rb\",c\nd\n");
  assert_string_equal (got, "1: [a\\rb][c]\n2: [d]\n");
}

static void
test_line_numbers_with_header_after_multiline (void **state)
{
  (void) state;
  g_autofree char *got = CSV_H ("id,name\n1,\"two\nlines\"\n\n2,\"x\"\n", req_id_name);
  assert_string_equal (got, "idx: 0 1\n2: [1][two\\nlines]\n5: [2][x]\n");
}

/* ---- line ends ---- */

static void
test_crlf (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a,b\r\nc,d\r\n\"e\",\"f\"\r\n");
  assert_string_equal (got, "1: [a][b]\n2: [c][d]\n3: [e][f]\n");
}

static void
test_mixed_lf_crlf (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a,b\nc,d\r\ne,f\n\"g\",h\r\ni,\"j\"\n");
  assert_string_equal (got, "1: [a][b]\n2: [c][d]\n3: [e][f]\n4: [g][h]\n5: [i][j]\n");
}

static void
test_lone_cr_is_text (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a\rb,c\r\nx\r\r\n\r\r\ny,z\r");
  assert_string_equal (got, "1: [a\\rb][c]\n2: [x\\r]\n3: [\\r]\n4: [y][z\\r]\n");
}

static void
test_no_trailing_newline (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("a,b\nc,d");
  assert_string_equal (a, "1: [a][b]\n2: [c][d]\n");
  g_autofree char *b = CSV ("a,\"b\nc\"");
  assert_string_equal (b, "1: [a][b\\nc]\n");
  g_autofree char *c = CSV ("a,b\nc,");
  assert_string_equal (c, "1: [a][b]\n2: [c][]\n");
  g_autofree char *d = CSV ("a\n\"\"");
  assert_string_equal (d, "1: [a]\n2: []\n");
  g_autofree char *e = CSV_H ("id,name\n1,x", req_id_name);
  assert_string_equal (e, "idx: 0 1\n2: [1][x]\n");
}

/* ---- BOM ---- */

static void
test_bom_is_skipped (void **state)
{
  (void) state;
  g_autofree char *a = CSV_H ("\xEF\xBB\xBFid,name\n1,A\n", req_id_name);
  assert_string_equal (a, "idx: 0 1\n2: [1][A]\n");
  g_autofree char *b = CSV ("\xEF\xBB\xBF\"q\",x\r\n");
  assert_string_equal (b, "1: [q][x]\n");
}

static void
test_bom_then_blank_lines (void **state)
{
  (void) state;
  g_autofree char *got = CSV_H ("\xEF\xBB\xBF\n\r\nid\n1\n", req_id);
  assert_string_equal (got, "idx: 0\n4: [1]\n");
}

static void
test_bom_elsewhere_is_text (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("a\n\xEF\xBB\xBF" "b\n");
  assert_string_equal (a, "1: [a]\n2: [\xEF\xBB\xBF" "b]\n");
  /* Only one BOM is skipped: the second one is part of the name. */
  g_autofree char *b = CSV_H ("\xEF\xBB\xBF\xEF\xBB\xBFid\n", req_id);
  assert_string_equal (b, "ERROR: orders.csv:1:1: missing column 'id'");
}

/* ---- blank and whitespace-only lines ---- */

static void
test_blank_lines_skipped_everywhere (void **state)
{
  (void) state;
  g_autofree char *got = CSV_H ("\n\r\n\nid,v\n\n1,a\r\n\r\n\n2,b\n\n\n", req_id);
  assert_string_equal (got, "idx: 0\n6: [1][a]\n9: [2][b]\n");
}

static void
test_whitespace_only_line_is_a_record (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("a\n \n\t\r\n\"\"\nb\n");
  assert_string_equal (a, "1: [a]\n2: [ ]\n3: [\t]\n4: []\n5: [b]\n");
  g_autofree char *b = CSV_H ("id,name\n1,x\n \n2,y\n", req_id_name);
  assert_string_equal (b, "idx: 0 1\n2: [1][x]\nERROR: orders.csv:3:2: expected 2 fields, found 1");
}

/* ---- empty fields ---- */

static void
test_empty_fields (void **state)
{
  (void) state;
  g_autofree char *a = CSV (",,\n,\r\n\"\",\"\"\na,,b,\n");
  assert_string_equal (a, "1: [][][]\n2: [][]\n3: [][]\n4: [a][][b][]\n");
  static const char *const req[] = { "a", "b" };
  g_autofree char *b = CSV_H ("a,,b\n1,,3\n,,\n", req);
  assert_string_equal (b, "idx: 0 2\n2: [1][][3]\n3: [][][]\n");
}

/* ---- malformed syntax ---- */

static void
test_text_after_closing_quote (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("id,name\n1,\"a\"b\n");
  assert_string_equal (a, "1: [id][name]\n"
                          "ERROR: orders.csv:2:2: quote inside a quoted field must be doubled");
  g_autofree char *b = CSV ("\"a\" ,x\n");
  assert_string_equal (b, "ERROR: orders.csv:1:1: quote inside a quoted field must be doubled");
  g_autofree char *c = CSV ("x,\"a\"\"\"b\"\n");
  assert_string_equal (c, "ERROR: orders.csv:1:2: quote inside a quoted field must be doubled");
  /* A lone CR after the closing quote is text, not a line end. */
  g_autofree char *d = CSV ("x\n\"a\"\r");
  assert_string_equal (d, "1: [x]\n"
                          "ERROR: orders.csv:2:1: quote inside a quoted field must be doubled");
  g_autofree char *e = CSV ("\"a\"\rb,c\n");
  assert_string_equal (e, "ERROR: orders.csv:1:1: quote inside a quoted field must be doubled");
}

static void
test_text_after_quote_reports_record_start_line (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("a,b\n\"x\ny\",1\n\"bad\"x,2\n");
  assert_string_equal (a, "1: [a][b]\n2: [x\\ny][1]\n"
                          "ERROR: orders.csv:4:1: quote inside a quoted field must be doubled");
  g_autofree char *b = CSV ("\"x\ny\",\"a\"b\n");
  assert_string_equal (b, "ERROR: orders.csv:1:2: quote inside a quoted field must be doubled");
}

static void
test_unterminated_quote (void **state)
{
  (void) state;
  g_autofree char *a = CSV ("id,name\n1,\"Alice\n2,Bob\n");
  assert_string_equal (a, "1: [id][name]\nERROR: orders.csv:2:2: unterminated quoted field");
  g_autofree char *b = CSV ("\"");
  assert_string_equal (b, "ERROR: orders.csv:1:1: unterminated quoted field");
  /* `""` inside is a literal quote, so this never closes. */
  g_autofree char *c = CSV ("x\n\n\"a\"\"");
  assert_string_equal (c, "1: [x]\nERROR: orders.csv:3:1: unterminated quoted field");
  g_autofree char *d = CSV_H ("a,b,c\n\n\n1,2,\"3\r\n", req_id);
  assert_string_equal (d, "ERROR: orders.csv:1:1: missing column 'id'");
  static const char *const req[] = { "c" };
  g_autofree char *e = CSV_H ("a,b,c\n\n\n1,2,\"3\r\n", req);
  assert_string_equal (e, "idx: 2\nERROR: orders.csv:4:3: unterminated quoted field");
}

/* ---- invalid UTF-8 (reported at the record holding it, in file order) ---- */

static void
test_invalid_utf8_in_field (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("id,name\n1,Ab\xFF" "c\n");
  assert_string_equal (got, "1: [id][name]\nERROR: orders.csv:2:2: invalid UTF-8 text (the file must be saved as UTF-8)");
}

static void
test_invalid_utf8_in_header (void **state)
{
  (void) state;
  g_autofree char *got = CSV_H ("id,n\xC3me\n", req_id);
  assert_string_equal (got, "ERROR: orders.csv:1:2: invalid UTF-8 text (the file must be saved as UTF-8)");
}

static void
test_invalid_utf8_position_skips_quoted_commas (void **state)
{
  (void) state;
  /* Commas and doubled quotes inside quotes do not start a new field. */
  g_autofree char *a = CSV ("\"a,b\",c\xFF\n");
  assert_string_equal (a, "ERROR: orders.csv:1:2: invalid UTF-8 text (the file must be saved as UTF-8)");
  g_autofree char *b = CSV ("\"a\"\",b\",x,\xFF\n");
  assert_string_equal (b, "ERROR: orders.csv:1:3: invalid UTF-8 text (the file must be saved as UTF-8)");
}

static void
test_invalid_utf8_line_is_record_start (void **state)
{
  (void) state;
  /* Blank lines count; a bad byte in a multi-line field is reported at the
   * line where its record starts (SPEC §12.1.10). */
  g_autofree char *got = CSV ("a,b\n\n\"x\ny\",\"p\nq\xE9\"\n");
  assert_string_equal (got, "1: [a][b]\nERROR: orders.csv:3:2: invalid UTF-8 text (the file must be saved as UTF-8)");
  g_autofree char *crlf = CSV ("a\r\n\r\nb\r\nc,d,\xC0\r\n");
  assert_string_equal (crlf, "1: [a]\n3: [b]\nERROR: orders.csv:4:3: invalid UTF-8 text (the file must be saved as UTF-8)");
}

static void
test_invalid_utf8_kinds (void **state)
{
  (void) state;
  static const char *const expected =
    "ERROR: orders.csv:1:1: invalid UTF-8 text (the file must be saved as UTF-8)";
  g_autofree char *overlong = CSV ("\xC0\x80");
  assert_string_equal (overlong, expected);
  g_autofree char *surrogate = CSV ("\xED\xA0\x80");
  assert_string_equal (surrogate, expected);
  g_autofree char *continuation = CSV ("\x80" "abc");
  assert_string_equal (continuation, expected);
  g_autofree char *latin1 = CSV ("M\xFCnchen");
  assert_string_equal (latin1, expected);
  g_autofree char *partial_bom = CSV ("\xEF\xBB" "id\n");
  assert_string_equal (partial_bom, expected);
  g_autofree char *after_bom = CSV ("\xEF\xBB\xBF\xFF");
  assert_string_equal (after_bom, expected);
  g_autofree char *truncated = CSV ("x\nabc\xE2\x82");
  assert_string_equal (truncated, "1: [x]\nERROR: orders.csv:2:1: invalid UTF-8 text (the file must be saved as UTF-8)");
}

static void
test_nul_byte (void **state)
{
  (void) state;
  g_autofree char *got = CSV ("a,b\nc,\0d\n");
  assert_string_equal (got, "1: [a][b]\nERROR: orders.csv:2:2: NUL byte in the text");
}

/* Errors come in file order: a syntax error before a bad byte is reported,
 * unless the bad byte lies in what the broken record spans. */
static void
test_errors_in_file_order (void **state)
{
  (void) state;
  g_autofree char *quote_first = CSV ("a,b\n\"x\"y,1\nc,\xFF\n");
  assert_string_equal (quote_first, "1: [a][b]\nERROR: orders.csv:2:1: quote inside a quoted field must be doubled");
  g_autofree char *count_first = CSV_H ("id,name\n1\n2,\xFF\n", req_id);
  assert_string_equal (count_first, "idx: 0\nERROR: orders.csv:2:2: expected 2 fields, found 1");
  /* An unterminated quote runs to the end, over the bad byte. */
  g_autofree char *spans = CSV ("a,\"b\nc\xFF\n");
  assert_string_equal (spans, "ERROR: orders.csv:1:2: invalid UTF-8 text (the file must be saved as UTF-8)");
  /* A header that lacks a column is reported before a bad byte below it. */
  g_autofree char *header_first = CSV_H ("name\n\xFF\n", req_id);
  assert_string_equal (header_first, "ERROR: orders.csv:1:1: missing column 'id'");
}

/* ---- field counts ---- */

static void
test_too_many_fields (void **state)
{
  (void) state;
  static const char *const req[] = { "a", "e" };
  g_autofree char *got = CSV_H ("a,b,c,d,e\n1,2,3,4,5\n\n\n\"x\ny\",2,3,4,5\n\n\n1,2,3,4,5,6\n", req);
  assert_string_equal (got, "idx: 0 4\n2: [1][2][3][4][5]\n5: [x\\ny][2][3][4][5]\n"
                            "ERROR: orders.csv:9:6: expected 5 fields, found 6");
}

static void
test_too_few_fields (void **state)
{
  (void) state;
  static const char *const req[] = { "a" };
  g_autofree char *got = CSV_H ("a,b,c,d,e\n1,2,3\n", req);
  assert_string_equal (got, "idx: 0\nERROR: orders.csv:2:4: expected 5 fields, found 3");
  g_autofree char *trailing = CSV_H ("a,b\n1,2,\n", req);
  assert_string_equal (trailing, "idx: 0\nERROR: orders.csv:2:3: expected 2 fields, found 3");
}

static void
test_quoted_comma_does_not_count (void **state)
{
  (void) state;
  static const char *const req[] = { "b" };
  g_autofree char *got = CSV_H ("a,b\n\"1,5\",\"2,\"\"x\"\",3\"\n", req);
  assert_string_equal (got, "idx: 1\n2: [1,5][2,\"x\",3]\n");
}

/* ---- header problems ---- */

static void
test_duplicate_header_column (void **state)
{
  (void) state;
  g_autofree char *a = CSV_H ("\n\nid,name,id\n", req_id);
  assert_string_equal (a, "ERROR: orders.csv:3:3: column 'id' appears twice in the header");
  /* A repeated column nobody asked for is malformed too. */
  g_autofree char *b = CSV_H ("id,x,y,x\n", req_id);
  assert_string_equal (b, "ERROR: orders.csv:1:4: column 'x' appears twice in the header");
  g_autofree char *c = CSV_H ("id,,\n", req_id);
  assert_string_equal (c, "ERROR: orders.csv:1:3: column '' appears twice in the header");
  /* Names match exactly: case and spaces make a different name. */
  static const char *const req[] = { "id", "ID", " id" };
  g_autofree char *d = CSV_H ("ID, id,id\n", req);
  assert_string_equal (d, "idx: 2 0 1\n");
}

static void
test_missing_column (void **state)
{
  (void) state;
  static const char *const req[] = { "id", "amount" };
  g_autofree char *a = CSV_H ("id,name\n1,x\n", req);
  assert_string_equal (a, "ERROR: orders.csv:1:1: missing column 'amount'");
  /* Always 1:1, even when the header sits on a later line. */
  g_autofree char *b = CSV_H ("\n\nname,amount\n", req);
  assert_string_equal (b, "ERROR: orders.csv:1:1: missing column 'id'");
  g_autofree char *c = CSV_H ("ID,Name\n", req_id_name);
  assert_string_equal (c, "ERROR: orders.csv:1:1: missing column 'id'");
  g_autofree char *d = CSV_H ("id ,name\n", req_id_name);
  assert_string_equal (d, "ERROR: orders.csv:1:1: missing column 'id'");
}

static void
test_empty_file (void **state)
{
  (void) state;
  static const char *const expected = "ERROR: orders.csv:1:1: missing header";
  g_autofree char *a = CSV_H ("", req_id);
  assert_string_equal (a, expected);
  g_autofree char *b = CSV_H ("\n\r\n\n", req_id);
  assert_string_equal (b, expected);
  g_autofree char *c = CSV_H ("\xEF\xBB\xBF", req_id);
  assert_string_equal (c, expected);
  g_autofree char *d = CSV_H ("\xEF\xBB\xBF\r\n\n", req_id);
  assert_string_equal (d, expected);
  /* Without a header an empty file is simply no records. */
  g_autofree char *e = CSV ("");
  assert_string_equal (e, "");
}

/* ---- reader behaviour ---- */

static void
test_error_is_sticky (void **state)
{
  (void) state;
  /* The bad field is the second: a reader that resumed would report 2:1. */
  const char *data = "a,b\n1,\"x\"y\n1,2\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("s.csv", data, strlen (data), &error);
  assert_non_null (reader);
  assert_string_equal (qt_csv_reader_get_name (reader), "s.csv");

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_string_equal (error->message, "s.csv:2:2: quote inside a quoted field must be doubled");
  g_clear_error (&error);
  /* The reader does not resume after a malformed record. */
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_non_null (error);
  assert_string_equal (error->message, "s.csv:2:2: quote inside a quoted field must be doubled");
}

static void
test_missing_header_is_sticky (void **state)
{
  (void) state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("e.csv", "\n", 1, &error);
  assert_non_null (reader);
  int idx[1] = { -1 };
  assert_false (qt_csv_reader_read_header (reader, req_id, 1, idx, &error));
  assert_string_equal (error->message, "e.csv:1:1: missing header");
  assert_int_equal (idx[0], -1);
  g_clear_error (&error);

  QtCsvRecord rec;
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_non_null (error);
  assert_string_equal (error->message, "e.csv:1:1: missing header");
}

static void
test_reads_only_len_bytes (void **state)
{
  (void) state;
  /* The buffer is a slice: bytes past len must not be looked at. */
  const char *data = "a,b\nc,\"d\"\"\nignored";
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("l.csv", data, 6, &error);
  assert_non_null (reader);

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.line, 1);
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.line, 2);
  assert_int_equal (rec.nfields, 2);
  assert_string_equal (rec.fields[0], "c");
  assert_string_equal (rec.fields[1], "");
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_null (error);
}

static void
test_long_field (void **state)
{
  (void) state;
  const gsize n = 300000;
  g_autoptr (GString) text = g_string_new ("short,");
  g_string_append_c (text, '"');
  for (gsize i = 0; i < n; i++)
    g_string_append (text, i % 1000 == 0 ? "\"\"" : "x");
  g_string_append (text, "\"\nend,");
  g_string_append_c (text, 'z');

  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("big.csv", text->str, text->len, &error);
  assert_non_null (reader);

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.nfields, 2);
  assert_string_equal (rec.fields[0], "short");
  assert_int_equal (rec.lens[1], n);
  assert_int_equal (strlen (rec.fields[1]), n);
  assert_int_equal (rec.fields[1][0], '"');
  assert_int_equal (rec.fields[1][1], 'x');
  assert_int_equal (rec.fields[1][1000], '"');
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.line, 2);
  assert_string_equal (rec.fields[0], "end");
  assert_string_equal (rec.fields[1], "z");
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_null (error);
}

static void
test_wide_header (void **state)
{
  (void) state;
  const guint ncols = 3000;
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < ncols; i++)
    g_string_append_printf (text, "%sc%u", i > 0 ? "," : "", i);
  g_string_append_c (text, '\n');
  /* Every other value quoted: both paths, one wide line. */
  for (guint i = 0; i < ncols; i++)
    g_string_append_printf (text, i % 2 ? "%s%u" : "%s\"%u\"", i > 0 ? "," : "", i);
  g_string_append (text, "\r\n");

  static const char *const req[] = { "c2999", "c0", "c777" };
  int idx[3];
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("wide.csv", text->str, text->len, &error);
  assert_non_null (reader);
  assert_true (qt_csv_reader_read_header (reader, req, 3, idx, &error));
  assert_int_equal (idx[0], 2999);
  assert_int_equal (idx[1], 0);
  assert_int_equal (idx[2], 777);

  QtCsvRecord rec;
  assert_true (qt_csv_reader_next (reader, &rec, &error));
  assert_int_equal (rec.nfields, ncols);
  for (guint i = 0; i < ncols; i++)
    {
      char want[16];
      g_snprintf (want, sizeof want, "%u", i);
      assert_string_equal (rec.fields[i], want);
      assert_int_equal (rec.lens[i], strlen (want));
    }
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_null (error);
}

static void
test_many_records (void **state)
{
  (void) state;
  const guint nrec = 20000;
  g_autoptr (GString) text = g_string_new ("id,amount,note\n");
  for (guint i = 0; i < nrec; i++)
    {
      if (i % 3 == 0)
        g_string_append_printf (text, "R%u,%u.%02u,\"n\n%u\"\r\n", i, i, i % 100, i);
      else
        g_string_append_printf (text, "R%u,%u.%02u,\n", i, i, i % 100);
    }

  static const char *const req[] = { "amount", "id" };
  int idx[2];
  g_autoptr (GError) error = NULL;
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("many.csv", text->str, text->len, &error);
  assert_non_null (reader);
  assert_true (qt_csv_reader_read_header (reader, req, 2, idx, &error));

  QtCsvRecord rec;
  guint line = 2;
  for (guint i = 0; i < nrec; i++)
    {
      assert_true (qt_csv_reader_next (reader, &rec, &error));
      char want[32];
      assert_int_equal (rec.line, line);
      g_snprintf (want, sizeof want, "R%u", i);
      assert_string_equal (rec.fields[idx[1]], want);
      g_snprintf (want, sizeof want, "%u.%02u", i, i % 100);
      assert_string_equal (rec.fields[idx[0]], want);
      if (i % 3 == 0)
        {
          g_snprintf (want, sizeof want, "n\n%u", i);
          assert_string_equal (rec.fields[2], want);
        }
      else
        assert_int_equal (rec.lens[2], 0);
      line += i % 3 == 0 ? 2 : 1;
    }
  assert_false (qt_csv_reader_next (reader, &rec, &error));
  assert_null (error);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_plain_records),
    cmocka_unit_test (test_header_maps_columns_in_any_order),
    cmocka_unit_test (test_header_only),
    cmocka_unit_test (test_header_without_required_columns),
    cmocka_unit_test (test_no_header_means_no_field_count),
    cmocka_unit_test (test_multibyte_utf8),
    cmocka_unit_test (test_nothing_is_trimmed),
    cmocka_unit_test (test_quoted_fields_with_commas),
    cmocka_unit_test (test_doubled_quotes),
    cmocka_unit_test (test_empty_quoted_field),
    cmocka_unit_test (test_quote_inside_unquoted_field_is_literal),
    cmocka_unit_test (test_quote_after_space_is_literal),
    cmocka_unit_test (test_newlines_inside_quotes_count_as_lines),
    cmocka_unit_test (test_crlf_inside_quotes_is_kept),
    cmocka_unit_test (test_lone_cr_inside_quotes_is_not_a_line),
    cmocka_unit_test (test_line_numbers_with_header_after_multiline),
    cmocka_unit_test (test_crlf),
    cmocka_unit_test (test_mixed_lf_crlf),
    cmocka_unit_test (test_lone_cr_is_text),
    cmocka_unit_test (test_no_trailing_newline),
    cmocka_unit_test (test_bom_is_skipped),
    cmocka_unit_test (test_bom_then_blank_lines),
    cmocka_unit_test (test_bom_elsewhere_is_text),
    cmocka_unit_test (test_blank_lines_skipped_everywhere),
    cmocka_unit_test (test_whitespace_only_line_is_a_record),
    cmocka_unit_test (test_empty_fields),
    cmocka_unit_test (test_text_after_closing_quote),
    cmocka_unit_test (test_text_after_quote_reports_record_start_line),
    cmocka_unit_test (test_unterminated_quote),
    cmocka_unit_test (test_invalid_utf8_in_field),
    cmocka_unit_test (test_invalid_utf8_in_header),
    cmocka_unit_test (test_invalid_utf8_position_skips_quoted_commas),
    cmocka_unit_test (test_invalid_utf8_line_is_record_start),
    cmocka_unit_test (test_invalid_utf8_kinds),
    cmocka_unit_test (test_nul_byte),
    cmocka_unit_test (test_errors_in_file_order),
    cmocka_unit_test (test_too_many_fields),
    cmocka_unit_test (test_too_few_fields),
    cmocka_unit_test (test_quoted_comma_does_not_count),
    cmocka_unit_test (test_duplicate_header_column),
    cmocka_unit_test (test_missing_column),
    cmocka_unit_test (test_empty_file),
    cmocka_unit_test (test_error_is_sticky),
    cmocka_unit_test (test_missing_header_is_sticky),
    cmocka_unit_test (test_reads_only_len_bytes),
    cmocka_unit_test (test_long_field),
    cmocka_unit_test (test_wide_header),
    cmocka_unit_test (test_many_records),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
