/* tests/fuzz/fuzz_csv.c — the CSV reader: never crashes, and reading the
 * input a block of 1, 7 or 4096 bytes at a time gives exactly the records
 * and error of reading it whole. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "loaders/csv_reader.h"

typedef struct {
  const char *data;
  gsize len, given, block;
} Blocks;

static gboolean
more (gpointer p, gboolean all, const char **data, gsize *avail, gboolean *eof, GError **error)
{
  (void) error;
  Blocks *b = p;
  b->given = all ? b->len : MIN (b->len, b->given + b->block);
  *data = b->data;
  *avail = b->given;
  *eof = b->given == b->len;
  return TRUE;
}

/* Every record and the final error as text. */
static GString *
read_all (QtCsvReader *r)
{
  GString *out = g_string_new (NULL);
  static const char *const cols[] = { "a", "b" };
  int idx[2];
  g_autoptr (GError) error = NULL;
  if (qt_csv_reader_read_header (r, cols, 2, idx, &error))
    {
      QtCsvRecord rec;
      while (qt_csv_reader_next (r, &rec, &error))
        {
          g_string_append_printf (out, "%u:", rec.line);
          for (guint i = 0; i < rec.nfields; i++)
            {
              g_string_append_len (out, rec.fields[i], (gssize) rec.lens[i]);
              g_string_append_c (out, '|');
            }
          g_string_append_c (out, '\n');
        }
    }
  g_string_append (out, error != NULL ? error->message : "end");
  return out;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (QtCsvReader) whole = qt_csv_reader_new ("f.csv", (const char *) data, size, NULL);
  g_autoptr (GString) want = read_all (whole);
  static const gsize blocks[] = { 1, 7, 4096 };
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      Blocks b = { (const char *) data, size, 0, blocks[i] };
      g_autoptr (QtCsvReader) stream = qt_csv_reader_new_stream ("f.csv", more, &b);
      g_autoptr (GString) got = read_all (stream);
      FUZZ_ASSERT (g_string_equal (want, got));
    }
  return 0;
}
