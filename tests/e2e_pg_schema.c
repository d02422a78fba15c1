/* tests/e2e_pg_schema.c — `quotient db init` against a private PostgreSQL
 * (tests/CMakeLists.txt runs every e2e_pg_* test under
 * tests/pg/with_postgres.sh, which starts one and sets QT_PG_CONNINFO):
 * the schema is created, a second init changes nothing, two inits at once
 * apply each migration once, a schema newer than the binary is refused,
 * and an unreachable server is a clear exit 2.  Never skipped: without a
 * server the test fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <libpq-fe.h>
#include <sys/wait.h>

#include "run/pg_schema.h"
#include "support/test_support.h"

static void
test_init_twice (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_init_twice", FALSE);
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "db", "init", "--pg", db, NULL), 0);
  g_autofree char *created = g_strdup_printf ("quotient db init: schema created at version %d\n",
                                              QT_PG_SCHEMA_VERSION);
  assert_string_equal (out, created);
  assert_string_equal (err, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&out, &err, "db", "init", "--pg", db, NULL), 0);
  g_autofree char *again = g_strdup_printf ("quotient db init: the schema is at version %d already: "
                                            "nothing to do\n", QT_PG_SCHEMA_VERSION);
  assert_string_equal (out, again);
  g_autofree char *rows = qt_test_pg_scalar (db, "SELECT count(*) FROM quotient_schema");
  assert_int_equal (atoi (rows), QT_PG_SCHEMA_VERSION);
  /* a table per data file, the plan files, which files; runs and their
   * files, blobs, journals, appeals, statements (a table of which and
   * the view qt_statement), payout rows, logins */
  g_autofree char *tables = qt_test_pg_scalar (db, "SELECT count(*) FROM information_schema.tables "
                                                   "WHERE table_name LIKE 'qt\\_%'");
  assert_string_equal (tables, "25");
  /* statements are shown as JSONB by a view over their stored bytes */
  g_autofree char *view = qt_test_pg_scalar (db, "SELECT table_type FROM information_schema.tables "
                                                 "WHERE table_name = 'qt_statement'");
  assert_string_equal (view, "VIEW");
  g_autofree char *type = qt_test_pg_scalar (db, "SELECT data_type FROM information_schema.columns "
                                                 "WHERE table_name = 'qt_statement' AND "
                                                 "column_name = 'statement'");
  assert_string_equal (type, "jsonb");
}

/* A database of version 2 holding a statement (as version 2 stored it:
 * a JSONB row beside its file) migrates to 3: the statement is still
 * there, read from its file's bytes through the view, and blobs are
 * compressed from then on. */
static void
test_migration_2_to_3 (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_migrate", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (db, &error);
  g_assert_no_error (error);
  gint from = -1, to = -1;
  assert_true (qt_pg_schema_init_to (conn, 2, &from, &to, &error));
  assert_int_equal (from, 0);
  assert_int_equal (to, 2);
  qt_test_pg_exec (db, "INSERT INTO qt_run (kind, period) VALUES ('commission_run', '2026-03')");
  qt_test_pg_exec (db, "INSERT INTO qt_blob SELECT encode (sha256 (b), 'hex'), b FROM (SELECT "
                       "convert_to ('{\"rep\": {\"rep_id\": \"A 1\"}, \"total\": \"1.50\"}', "
                       "'UTF8') AS b) x");
  qt_test_pg_exec (db, "INSERT INTO qt_run_file SELECT run_id, 'statements/A%201.json', "
                       "sha256 FROM qt_run, qt_blob");
  qt_test_pg_exec (db, "INSERT INTO qt_statement SELECT run_id, 'A 1', 'A%201', convert_from "
                       "(content, 'UTF8')::jsonb FROM qt_run, qt_blob");
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "db", "init", "--pg", db, NULL), 0);
  g_autofree char *said = g_strdup_printf ("quotient db init: schema migrated from version 2 to "
                                           "%d\n", QT_PG_SCHEMA_VERSION);
  assert_string_equal (out, said);
  g_autofree char *doc = qt_test_pg_scalar (db, "SELECT rep_id || ' ' || stem || ' ' || "
                                                "(statement->>'total') FROM qt_statement");
  assert_string_equal (doc, "A 1 A%201 1.50");
  g_autofree char *compression = qt_test_pg_scalar (db, "SELECT attcompression FROM pg_attribute "
                                                        "WHERE attrelid = 'qt_blob'::regclass AND "
                                                        "attname = 'content'");
  assert_string_equal (compression, "l");
}

/* Two processes at once: the lock makes the second wait and find the
 * schema made. */
static void
test_init_concurrently (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_init_concurrently", FALSE);
  const char *argv[] = { QT_BINARY, "db", "init", "--pg", db, NULL };
  GPid pids[2];
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;
      assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                  NULL, &pids[i], &error));
    }
  for (guint i = 0; i < 2; i++)
    {
      int status = 0;
      assert_int_equal (waitpid (pids[i], &status, 0), pids[i]);
      g_spawn_close_pid (pids[i]);
      assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  g_autofree char *rows = qt_test_pg_scalar (db, "SELECT count(*) FROM quotient_schema");
  assert_int_equal (atoi (rows), QT_PG_SCHEMA_VERSION);
}

static void
test_newer_schema_refused (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_newer", FALSE);
  assert_int_equal (qt_test_run (NULL, NULL, "db", "init", "--pg", db, NULL), 0);
  qt_test_pg_exec (db, "INSERT INTO quotient_schema (version) VALUES (9)");
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_run (&out, &err, "db", "init", "--pg", db, NULL), 2);
  g_autofree char *want = g_strdup_printf ("quotient db init: the database's quotient schema is "
                                           "version 9, newer than this quotient's (%d): use a "
                                           "newer quotient\n", QT_PG_SCHEMA_VERSION);
  assert_string_equal (err, want);
  g_autofree char *rows = qt_test_pg_scalar (db, "SELECT count(*) FROM quotient_schema");
  assert_int_equal (atoi (rows), QT_PG_SCHEMA_VERSION + 1); /* nothing changed */
}

static void
test_server_unreachable (void **state)
{
  (void) state;
  g_autofree char *err = NULL;
  int rc = qt_test_run (NULL, &err, "db", "init", "--pg",
                        "host=127.0.0.1 port=1 user=quotient password=hunter2 dbname=x "
                        "connect_timeout=5", NULL);
  assert_int_equal (rc, 2);
  assert_true (g_str_has_prefix (err, "quotient db init: cannot connect to PostgreSQL: "));
  assert_non_null (strstr (err, "port 1 failed"));
  assert_int_equal (strchr (err, '\n') - err, (int) strlen (err) - 1); /* one line */
  assert_null (strstr (err, "hunter2"));
  /* a server that refuses the login: its reason, never the password */
  g_autofree char *wrong = g_strdup_printf ("%s user=nobody password=hunter2", qt_test_pg_conninfo ());
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "run", "--pg", wrong, "--period", "2026-03", NULL), 2);
  assert_non_null (strstr (err, "role \"nobody\" does not exist"));
  assert_null (strstr (err, "hunter2"));
  /* a connection string libpq cannot read: libpq quotes it, password and
   * all; the reason is kept, what it quotes is not */
  const char *const malformed[][2] = {
    { "postgresql://quotient:hunter2@[::1:55432/x", "matching \"]\" in IPv6 host address in URI: "
                                                   "\"…\"" },
    { "postgresql://quotient:hunter2@[::1]x/y", "unexpected character \"x\" at position 36" },
    { "postgresql://quotient:hunter%zz2@127.0.0.1/x", "invalid percent-encoded token: \"…\"" },
    { "host=127.0.0.1 password hunter2", "missing \"=\" after \"…\" in connection info string" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_clear_pointer (&err, g_free);
      assert_int_equal (qt_test_run (NULL, &err, "db", "init", "--pg", malformed[i][0], NULL), 2);
      assert_true (g_str_has_prefix (err, "quotient db init: cannot connect to PostgreSQL: the "
                                          "connection string is not valid: "));
      if (strstr (err, malformed[i][1]) == NULL)
        fail_msg ("%s: %s", malformed[i][0], err);
      assert_null (strstr (err, "hunter"));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_init_twice),
    cmocka_unit_test (test_init_concurrently),
    cmocka_unit_test (test_migration_2_to_3),
    cmocka_unit_test (test_newer_schema_refused),
    cmocka_unit_test (test_server_unreachable),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
