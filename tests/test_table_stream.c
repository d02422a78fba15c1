/* tests/test_table_stream.c — loaders/table_stream and file_stamp: a file
 * read in several blocks gives its records, bytes and SHA-256, with and
 * without the thread; a file written to or cut short while it is read is
 * an error; a data set's stamps tell a changed file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loaders/dataset_loader.h"
#include "loaders/file_stamp.h"
#include "loaders/table_stream.h"
#include "model/qt_error.h"
#include "support/test_support.h"

#include <glib/gstdio.h>

static const char *const cols[] = { "id", "amount" };
static const QtColumnKind kinds[] = { QT_COLUMN_ID, QT_COLUMN_DECIMAL };
static const QtTableFile table = { "t.csv", FALSE, cols, 2, kinds, TRUE };

typedef struct {
  char *dir, *path;
  char *text;     /* what t.csv holds */
  gsize len;
} Fixture;

/* t.csv of `rows` data rows: a header, then "K<i>,<i>.<i % 100>". */
static char *
csv_text (guint rows)
{
  GString *s = g_string_new ("id,amount\n");
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (s, "K%u,%u.%02u\n", i, i, i % 100);
  return g_string_free (s, FALSE);
}

static Fixture *
fixture_new (guint rows)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->dir = qt_test_tmpdir ();
  f->path = g_build_filename (f->dir, "t.csv", NULL);
  f->text = csv_text (rows);
  f->len = strlen (f->text);
  qt_test_write (f->path, f->text);
  return f;
}

static void
fixture_free (Fixture *f)
{
  qt_test_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->text);
  g_free (f);
}

/* Opens t.csv on a stream (threaded or not) and checks its header. */
static QtTableStream *
open_stream (const Fixture *f, gboolean threaded)
{
  QtTableStream *s = qt_table_stream_new (f->dir, &table, 1, threaded);
  gboolean present = FALSE;
  guint lines = 0;
  int idx[2] = { -1, -1 };
  g_autoptr (GError) error = NULL;
  assert_true (qt_table_stream_open (s, &present, &lines, idx, &error));
  assert_null (error);
  assert_true (present);
  assert_int_equal (idx[0], 0);
  assert_int_equal (idx[1], 1);
  return s;
}

/* Reads every record; returns their count, or -1 with *error set. */
static gint
read_all (QtTableStream *s, GError **error)
{
  QtCsvRecord rec;
  gint n = 0;
  while (qt_table_stream_next (s, &rec, error))
    n++;
  return *error != NULL ? -1 : n;
}

/* A file larger than a block (read and hashed in several): the records,
 * bytes and SHA-256 are the file's, threaded or not, and so is the
 * stamp. */
static void
test_file_read_whole (void **state)
{
  (void) state;
  Fixture *f = fixture_new (100000); /* ~1.3 MB */
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) f->text,
                                                      f->len);
  QtFileStamp stamp;
  assert_true (qt_file_stamp_of_path (f->path, &stamp));
  for (int threaded = 0; threaded <= 1; threaded++)
    {
      g_autoptr (QtTableStream) s = open_stream (f, threaded);
      g_autoptr (GError) error = NULL;
      assert_int_equal (read_all (s, &error), 100000);
      QtInputFile file = { 0 };
      qt_table_stream_finish (s, &file);
      gsize len = 0;
      const char *bytes = g_bytes_get_data (file.bytes, &len);
      assert_int_equal (len, f->len);
      assert_memory_equal (bytes, f->text, len);
      assert_string_equal (file.sha256, sha);
      assert_true (file.stamped);
      assert_true (qt_file_stamp_equal (&file.stamp, &stamp));
      g_bytes_unref (file.bytes);
      g_free (file.sha256);
    }
  fixture_free (f);
}

/* With the thread, each record comes with its id hashed (qt_intern_hash)
 * and its decimal parsed, and the record 3 on can be seen ahead (within
 * its chunk, never past the last record); without a thread there is
 * nothing typed. */
static void
test_typed_fields (void **state)
{
  (void) state;
  Fixture *f = fixture_new (10);
  for (int threaded = 0; threaded <= 1; threaded++)
    {
      g_autoptr (QtTableStream) s = open_stream (f, threaded);
      g_autoptr (GError) error = NULL;
      QtCsvRecord rec;
      for (guint i = 0; i < 10; i++)
        {
          assert_true (qt_table_stream_next (s, &rec, &error));
          guint mask = 7, ahead_mask = 7;
          const QtTypedField *t = qt_table_stream_typed (s, &mask);
          const QtTypedField *a = qt_table_stream_typed_ahead (s, 3, &ahead_mask);
          if (!threaded)
            {
              assert_null (t);
              assert_int_equal (mask, 0);
              assert_null (a);
              continue;
            }
          assert_non_null (t);
          assert_int_equal (mask, 3);
          g_autofree char *id = g_strdup_printf ("K%u", i);
          assert_int_equal (t[0].hash, qt_intern_hash (id, strlen (id)));
          g_autofree char *amount = g_strdup_printf ("%u.%02u", i, i % 100);
          QtNum want;
          assert_true (qt_num_parse_short (amount, strlen (amount), &want));
          assert_int_equal (t[1].num.units, want.units);
          assert_int_equal (t[1].num.scale, want.scale);
          if (i + 3 >= 10)
            {
              assert_null (a);
              assert_int_equal (ahead_mask, 0);
              continue;
            }
          g_autofree char *next = g_strdup_printf ("K%u", i + 3);
          assert_int_equal (ahead_mask, 3);
          assert_int_equal (a[0].hash, qt_intern_hash (next, strlen (next)));
        }
      assert_false (qt_table_stream_next (s, &rec, &error));
      assert_null (error);
    }
  fixture_free (f);
}

/* A file that ends exactly at the end of a page: its last record is
 * whole and nothing after it is parsed. */
static void
test_file_page_sized (void **state)
{
  (void) state;
  Fixture *f = fixture_new (0);
  /* The 10-byte header, one 14-byte row, 1,020 rows of 8 bytes and a last
   * one of 8: 8,192 bytes. */
  GString *s = g_string_new (f->text);
  g_string_append (s, "K0,1234567.00\n");
  for (guint i = 0; i < 1020; i++)
    g_string_append (s, "K1,1.00\n");
  g_string_append (s, "K9,9.99\n");
  assert_int_equal (s->len, 8192);
  qt_test_write (f->path, s->str);
  g_autoptr (QtTableStream) stream = open_stream (f, FALSE);
  QtCsvRecord rec;
  g_autoptr (GError) error = NULL;
  guint n = 0;
  while (qt_table_stream_next (stream, &rec, &error))
    {
      n++;
      const char *want = n == 1 ? "1234567.00" : n == 1022 ? "9.99" : "1.00";
      assert_int_equal (rec.nfields, 2);
      assert_string_equal (rec.fields[1], want);
    }
  assert_null (error);
  assert_int_equal (n, 1022);
  assert_string_equal (rec.fields[0], "K9");
  g_string_free (s, TRUE);
  fixture_free (f);
}

/* The error both checks give, for the fixture's file. */
static void
assert_changed_error (const Fixture *f, const GError *error)
{
  assert_non_null (error);
  assert_int_equal (error->code, QT_ERROR_IO);
  g_autofree char *want = g_strdup_printf (
      "%s:1:1: the file changed while quotient was reading it (written to, cut short or "
      "replaced during the run); nothing was written — run again once nothing writes to the "
      "data set",
      f->path);
  assert_string_equal (error->message, want);
}

/* Rows appended after the file was opened: the records read are the
 * version opened, and its end is an error, not a silent mix. */
static void
test_file_written_while_read (void **state)
{
  (void) state;
  Fixture *f = fixture_new (100000);
  g_autoptr (QtTableStream) s = open_stream (f, FALSE);
  int fd = open (f->path, O_WRONLY | O_APPEND);
  assert_true (fd >= 0);
  assert_int_equal (write (fd, "K-new,1.00\n", 11), 11);
  close (fd);
  g_autoptr (GError) error = NULL;
  assert_int_equal (read_all (s, &error), -1);
  assert_changed_error (f, error);
  fixture_free (f);
}

/* The file cut short after it was opened, past the first block already
 * read: its end is an error, not a silently shorter table. */
static void
test_file_cut_short_while_read (void **state)
{
  (void) state;
  Fixture *f = fixture_new (100000); /* ~1.3 MB: the first 512 KB are read at open */
  g_autoptr (QtTableStream) s = open_stream (f, FALSE);
  assert_int_equal (truncate (f->path, 600 << 10), 0);
  g_autoptr (GError) error = NULL;
  assert_int_equal (read_all (s, &error), -1);
  assert_changed_error (f, error);
  fixture_free (f);
}

/* The table last opened tells whether its file changed since (the
 * loader then reports a failure in its records as the change). */
static void
test_stream_knows_file_changed (void **state)
{
  (void) state;
  Fixture *f = fixture_new (10);
  for (int threaded = 0; threaded <= 1; threaded++)
    {
      g_autoptr (QtTableStream) s = open_stream (f, threaded);
      assert_false (qt_table_stream_changed (s, f->path));
      struct timespec times[2] = { { .tv_sec = 86400 * (threaded + 1) }, { .tv_sec = 86400 * (threaded + 1) } };
      assert_int_equal (utimensat (AT_FDCWD, f->path, times, 0), 0);
      assert_true (qt_table_stream_changed (s, f->path));
    }
  fixture_free (f);
}

/* The room a table's rows are given comes from the lines of its first
 * block scaled to the file: it must cover a file whose later lines run a
 * little shorter (here the second half's a byte shorter: 4 % more rows
 * than the first block suggests), so that the rows are never copied into a bigger array at the
 * end — and stay within twice the rows. */
static void
test_row_hint_has_room (void **state)
{
  (void) state;
  enum { ROWS = 200000 };
  GString *text = g_string_new ("id,amount\n");
  for (guint i = 0; i < ROWS; i++)
    g_string_append_printf (text, i < ROWS / 2 ? "K%07u,10.00\n" : "K%07u,1.00\n", i);
  Fixture f = { .dir = qt_test_tmpdir () };
  f.path = g_build_filename (f.dir, "t.csv", NULL);
  qt_test_write (f.path, text->str);
  g_autoptr (QtTableStream) s = qt_table_stream_new (f.dir, &table, 1, FALSE);
  gboolean present = FALSE;
  guint lines = 0;
  int idx[2];
  g_autoptr (GError) error = NULL;
  assert_true (qt_table_stream_open (s, &present, &lines, idx, &error));
  assert_true (present);
  assert_true (lines >= ROWS);
  assert_true (lines <= 2 * ROWS);
  assert_int_equal (read_all (s, &error), ROWS);
  qt_test_rmtree (f.dir);
  g_free (f.dir);
  g_free (f.path);
  g_string_free (text, TRUE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_file_read_whole),
    cmocka_unit_test (test_file_page_sized),
    cmocka_unit_test (test_typed_fields),
    cmocka_unit_test (test_file_written_while_read),
    cmocka_unit_test (test_file_cut_short_while_read),
    cmocka_unit_test (test_stream_knows_file_changed),
    cmocka_unit_test (test_row_hint_has_room),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
