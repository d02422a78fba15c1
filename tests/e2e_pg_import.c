/* tests/e2e_pg_import.c — `quotient db import` against a private PostgreSQL
 * (run under tests/pg/with_postgres.sh, never skipped): the golden data set
 * goes in with every row and its file line; importing again replaces it; a
 * malformed row at the end of receipts.csv is refused with the file
 * loader's own `receipts.csv:LINE:COLUMN` message and the database keeps
 * what it had; an import before `db init` names it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <libpq-fe.h>

#include "run/pg_schema.h"
#include "support/test_support.h"

#define GOLDEN QT_SOURCE_DIR "/fixtures/golden"
#define DEMO QT_SOURCE_DIR "/fixtures/demo"

/* The first value of `sql`. (transfer full) */
static char *
scalar (const char *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (db, &error);
  PGresult *r = PQexec (conn, sql);
  if (PQresultStatus (r) != PGRES_TUPLES_OK)
    fail_msg ("%s: %s", sql, PQresultErrorMessage (r));
  char *v = g_strdup (PQgetvalue (r, 0, 0));
  PQclear (r);
  return v;
}

static void
assert_scalar (const char *db, const char *sql, const char *want)
{
  g_autofree char *got = scalar (db, sql);
  if (strcmp (got, want) != 0)
    fail_msg ("%s = %s, expected %s", sql, got, want);
}

static void
test_import_and_replace (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_import", TRUE);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "db", "import", "--pg", db, "--data", GOLDEN "/data",
                                 "--plans", GOLDEN "/plans", NULL), 0);
  assert_non_null (strstr (out, "quotient db import: "));
  /* every data row, with its file line and its cells as written */
  g_autofree char *receipts = qt_test_read (GOLDEN "/data/receipts.csv");
  g_auto (GStrv) lines = g_strsplit (receipts, "\n", -1);
  guint n = 0;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    n++;
  g_autofree char *count = g_strdup_printf ("%u", n);
  assert_scalar (db, "SELECT count(*) FROM qt_receipts", count);
  assert_scalar (db, "SELECT rows FROM qt_data_file WHERE name = 'receipts.csv'", count);
  g_autofree char *sql = g_strdup_printf ("SELECT receipt_id || ',' || order_id || ',' || received_on "
                                          "|| ',' || amount FROM qt_receipts WHERE source_line = 3");
  assert_scalar (db, sql, lines[2]);
  assert_scalar (db, "SELECT count(*) FROM qt_plan_file", "4");
  /* importing the demo replaces it all */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&out, &err, "db", "import", "--pg", db, "--data", DEMO "/data",
                                 "--plans", DEMO "/plans", NULL), 0);
  assert_scalar (db, "SELECT count(*) FROM qt_reps", "41");
  assert_scalar (db, "SELECT count(*) FROM qt_data_file", "10");
}

static void
test_failed_import_changes_nothing (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_import_bad", TRUE);
  assert_int_equal (qt_test_run (NULL, NULL, "db", "import", "--pg", db, "--data", GOLDEN "/data",
                                 "--plans", GOLDEN "/plans", NULL), 0);
  g_autofree char *before = scalar (db, "SELECT string_agg(name || ':' || sha256, ' ' ORDER BY name) "
                                        "FROM qt_data_file");
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *data = g_build_filename (tmp, "data", NULL);
  qt_test_copy_dir (DEMO "/data", data);
  g_autofree char *receipts = g_build_filename (data, "receipts.csv", NULL);
  g_autofree char *text = qt_test_read (receipts);
  g_autofree char *bad = g_strconcat (text, "RX,O2604-0001,2026-06-01,1.5e3\n", NULL);
  qt_test_write (receipts, bad);
  guint line = 0;
  for (const char *p = bad; *p != '\0'; p++)
    line += *p == '\n';
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "db", "import", "--pg", db, "--data", data, "--plans",
                                 DEMO "/plans", NULL), 2);
  g_autofree char *want = g_strdup_printf ("%s:%u:4: ", receipts, line);
  if (!g_str_has_prefix (err, want))
    fail_msg ("stderr '%s' does not start with '%s'", err, want);
  g_autofree char *after = scalar (db, "SELECT string_agg(name || ':' || sha256, ' ' ORDER BY name) "
                                       "FROM qt_data_file");
  assert_string_equal (after, before);
  qt_test_rmtree (tmp);
}

static void
test_import_needs_init (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_import_noinit", FALSE);
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "db", "import", "--pg", db, "--data", GOLDEN "/data",
                                 "--plans", GOLDEN "/plans", NULL), 2);
  assert_non_null (strstr (err, "run quotient db init first"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_import_and_replace),
    cmocka_unit_test (test_failed_import_changes_nothing),
    cmocka_unit_test (test_import_needs_init),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
