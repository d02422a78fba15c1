/* tests/e2e_pg_run.c — parity of the two back ends (SPEC §9: byte-identical
 * outputs for the same data set), against a private PostgreSQL (run under
 * tests/pg/with_postgres.sh, never skipped): fixtures/golden and
 * fixtures/demo imported, every period run from the database and from the
 * files — payout.csv, scores.csv, credits.csv, exceptions.csv (its lines
 * those of the files) and every statement identical, and the database's run
 * verifies; the rebate quarter too; a failed import leaves a following
 * run's bytes as they were; and a run storing a file whose bytes another
 * transaction is storing at the same moment waits for it, and succeeds
 * whether it commits or rolls back; a run during an import reads the
 * data set the import commits; a run stopped by a signal leaves no copy
 * of the data set behind; rows edited by hand into a place no
 * file has, or to a bad value, are refused naming the table or the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "run/pg_schema.h"
#include "support/test_support.h"

static void
import (const char *db, const char *data, const char *plans)
{
  g_autofree char *err = NULL;
  int rc = qt_test_run (NULL, &err, "db", "import", "--pg", db, "--data", data, "--plans", plans,
                        NULL);
  if (rc != 0)
    fail_msg ("import exit %d: %s", rc, err);
}

/* `command` (run or rebate) of `when` from the files and from `db`, into
 * `runs`; every output but the manifest (whose input hashes name
 * different snapshot files) byte for byte. */
static void
assert_parity (const char *db, const char *set, const char *command, const char *flag,
               const char *when, const char *runs)
{
  g_autofree char *data = g_build_filename (QT_SOURCE_DIR, "fixtures", set, "data", NULL);
  g_autofree char *plans = g_build_filename (QT_SOURCE_DIR, "fixtures", set, "plans", NULL);
  g_autofree char *base = g_path_get_basename (set);
  g_autofree char *files = g_strdup_printf ("%s/%s-%s-files", runs, base, when);
  g_autofree char *stored = g_strdup_printf ("%s/%s-%s-db", runs, base, when);
  g_autofree char *err = NULL;
  int rc = qt_test_run (NULL, &err, command, "--data", data, "--plans", plans, flag, when, "--out",
                        files, NULL);
  if (rc != 0)
    fail_msg ("%s from files: exit %d: %s", when, rc, err);
  g_clear_pointer (&err, g_free);
  rc = qt_test_run (NULL, &err, command, "--pg", db, flag, when, "--out", stored, NULL);
  if (rc != 0)
    fail_msg ("%s from the database: exit %d: %s", when, rc, err);
  GDir *dir = g_dir_open (files, 0, NULL);
  assert_non_null (dir);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      if (!g_str_has_suffix (name, ".csv"))
        continue;
      g_autofree char *a = g_build_filename (files, name, NULL);
      g_autofree char *b = g_build_filename (stored, name, NULL);
      qt_test_assert_same_file (b, a);
    }
  g_dir_close (dir);
  qt_test_assert_same_tree (stored, files, "statements");
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "verify", stored, NULL), 0);
}

static void
test_parity (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_parity", TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  /* an update moves a row to the end of its table: the read finds the
   * rows out of line order and reads them again sorted */
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (db, &error);
  g_assert_no_error (error);
  g_autoptr (PGresult) moved = PQexec (conn, "UPDATE qt_receipts SET amount = amount WHERE "
                                             "source_line = 2");
  assert_string_equal (PQcmdTuples (moved), "1");
  assert_parity (db, "golden", "run", "--period", "2026-02", f->runs);
  assert_parity (db, "golden", "run", "--period", "2026-03", f->runs);
  /* every month the demo has quotas for (a database of its own: golden's
   * runs hold 2026-02 and 2026-03) */
  g_autofree char *demo = qt_test_pg_database ("qt_parity_demo", TRUE);
  import (demo, QT_SOURCE_DIR "/fixtures/demo/data", QT_SOURCE_DIR "/fixtures/demo/plans");
  const char *const months[] = { "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06" };
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    assert_parity (demo, "demo", "run", "--period", months[i], f->runs);
  import (db, QT_SOURCE_DIR "/fixtures/rebates/hand/data",
          QT_SOURCE_DIR "/fixtures/rebates/hand/plans");
  assert_parity (db, "rebates/hand", "rebate", "--quarter", "2026-Q1", f->runs);
}

/* A new database `name` holding fixtures/golden and its run of `period`,
 * also written to *before (RUNS/before); the database's conninfo. */
static char *
golden_with_run (const char *name, const char *runs, const char *period, char **before)
{
  char *db = qt_test_pg_database (name, TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  *before = g_build_filename (runs, "before", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", period, "--out",
                                 *before, NULL), 0);
  return db;
}

/* A failed import (a malformed row at the end of receipts.csv) exits 2 and
 * a following run gives the bytes of the one before. */
static void
test_failed_import_keeps_the_run (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *before = NULL;
  g_autofree char *db = golden_with_run ("qt_keep", f->runs, "2026-03", &before);
  g_autofree char *after = g_build_filename (f->runs, "after", NULL);
  g_autofree char *data = g_build_filename (f->tmp, "bad", NULL);
  qt_test_copy_dir (QT_SOURCE_DIR "/fixtures/golden/data", data);
  g_autofree char *receipts = g_build_filename (data, "receipts.csv", NULL);
  g_autofree char *text = qt_test_read (receipts);
  g_autofree char *bad = g_strconcat (text, "RZ,O101,2026-03-05,12.5.0\n", NULL);
  qt_test_write (receipts, bad);
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "db", "import", "--pg", db, "--data", data, "--plans",
                                 QT_SOURCE_DIR "/fixtures/golden/plans", NULL), 2);
  assert_non_null (strstr (err, "receipts.csv:"));
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03", "--replace",
                                 "--out", after, NULL), 0);
  qt_test_assert_same_tree (after, before, ".");
  /* the rerun sent none of its files (the replaced run had them all), and
   * still has every payout row and statement of the run directory */
  g_autofree char *payout = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_payout");
  g_autofree char *statements = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_statement");
  g_autofree char *total = qt_test_pg_scalar (db, "SELECT payout->>'total' FROM qt_payout WHERE "
                                                  "rep_id = 'B2'");
  assert_string_equal (payout, "6");
  assert_string_equal (statements, "6");
  assert_string_equal (total, "8462.71");
}

/* `sql` on its own connection, which stays open (the caller ends it). */
static PGconn *
open_transaction (const char *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  PGconn *conn = qt_pg_connect (db, &error);
  g_assert_no_error (error);
  g_autoptr (PGresult) r = PQexec (conn, sql);
  if (PQresultStatus (r) != PGRES_COMMAND_OK && PQresultStatus (r) != PGRES_TUPLES_OK)
    fail_msg ("%s: %s", sql, PQresultErrorMessage (r));
  return conn;
}

/* Whether a backend of `db` waits for a lock, polled for up to 30 s. */
static gboolean
someone_waits (const char *db)
{
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *n = qt_test_pg_scalar (db, "SELECT count(*) FROM pg_stat_activity WHERE "
                                                  "wait_event_type = 'Lock' AND datname = "
                                                  "current_database ()");
      if (strcmp (n, "0") != 0)
        return TRUE;
      g_usleep (100000);
    }
  return FALSE;
}

/* A run of 2026-03 whose orders.csv snapshot (the bytes `orders`, as a
 * run writes them) another transaction is inserting into qt_blob: the run
 * waits for it, then stores its files and exits 0, whether the other
 * transaction ends with `end` COMMIT or ROLLBACK. */
/* `argv` (a quotient command) started while the transaction open on
 * `other` holds what it needs: once it waits, the transaction ends with
 * `end`; the command's exit code. */
static int
run_behind (const char *db, PGconn *other, const char *end, const char *const *argv)
{
  GPid pid;
  g_autoptr (GError) error = NULL;
  assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                              &pid, &error));
  assert_true (someone_waits (db));
  g_autoptr (PGresult) ended = PQexec (other, end);
  assert_int_equal (PQresultStatus (ended), PGRES_COMMAND_OK);
  int status = 0;
  assert_int_equal (waitpid (pid, &status, 0), pid);
  g_spawn_close_pid (pid);
  assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
assert_run_waits_for (const char *db, const char *orders, const char *end)
{
  g_autofree char *insert = g_strdup_printf ("BEGIN; INSERT INTO qt_blob SELECT encode (sha256 "
                                             "(b), 'hex'), b FROM (SELECT decode ('%s', 'base64') "
                                             "AS b) x", orders);
  g_autoptr (PGconn) other = open_transaction (db, insert);
  const char *argv[] = { QT_BINARY, "run", "--pg", db, "--period", "2026-03", NULL };
  assert_int_equal (run_behind (db, other, end, argv), 0);
  g_autofree char *kept = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_run_file f JOIN qt_blob "
                                                 "b USING (sha256) WHERE f.path = "
                                                 "'inputs/data/orders.csv' AND b.sha256 = encode "
                                                 "(sha256 (b.content), 'hex')");
  assert_string_equal (kept, "1");
}

static void
test_run_waits_for_a_blob_being_stored (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_blob_race", TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  g_autofree char *first = g_build_filename (f->runs, "first", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03", "--out",
                                 first, NULL), 0);
  g_autofree char *path = g_build_filename (first, "inputs", "data", "orders.csv", NULL);
  g_autofree char *text = qt_test_read (path);
  g_autofree char *orders = g_base64_encode ((const guchar *) text, strlen (text));
  const char *const ends[] = { "COMMIT", "ROLLBACK" };
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      qt_test_pg_exec (db, "TRUNCATE qt_run, qt_blob CASCADE");
      assert_run_waits_for (db, orders, ends[i]);
    }
}

/* A run that starts while an import is replacing the data set waits for
 * it and reads the data set it committed, whole (its snapshot taken once
 * the tables are its to read: TRUNCATE is not MVCC-safe, and a snapshot
 * from before the import saw every table the import emptied as empty). */
static void
test_run_during_an_import (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *before = NULL;
  g_autofree char *db = golden_with_run ("qt_import_race", f->runs, "2026-02", &before);
  g_autofree char *after = g_build_filename (f->runs, "after", NULL);
  /* what an import does: the tables emptied and filled in one transaction */
  g_autoptr (PGconn) other = open_transaction (db, "BEGIN; CREATE TEMP TABLE f AS SELECT * FROM "
                                                   "qt_data_file; CREATE TEMP TABLE r AS SELECT * "
                                                   "FROM qt_receipts; TRUNCATE qt_data_file, "
                                                   "qt_receipts; INSERT INTO qt_receipts SELECT * "
                                                   "FROM r; INSERT INTO qt_data_file SELECT * FROM f");
  const char *argv[] = { QT_BINARY, "run", "--pg", db, "--period", "2026-02", "--replace",
                         "--out", after, NULL };
  assert_int_equal (run_behind (db, other, "COMMIT", argv), 0);
  qt_test_assert_same_tree (after, before, ".");
}

/* The blobs of `db` no stored run holds. */
static int
orphans (const char *db)
{
  g_autofree char *n = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_blob b WHERE NOT EXISTS "
                                              "(SELECT FROM qt_run_file f WHERE f.sha256 = "
                                              "b.sha256)");
  return atoi (n);
}

/* A draft replaced by a run of other data: the blobs only the replaced
 * run held are gone with it (nothing in qt_blob that no run holds), and
 * those both hold are kept; but not while another command is storing
 * files. */
static void
test_replace_drops_orphan_blobs (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_orphans", TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-02", NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03", NULL), 0);
  import (db, QT_SOURCE_DIR "/fixtures/demo/data", QT_SOURCE_DIR "/fixtures/demo/plans");
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03",
                                 "--replace", NULL), 0);
  assert_int_equal (orphans (db), 0);
  /* golden's snapshot stays: the run of 2026-02 holds it */
  g_autofree char *kept = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_run r JOIN qt_run_file "
                                                 "f USING (run_id) JOIN qt_blob b USING (sha256) "
                                                 "WHERE r.period = '2026-02'");
  g_autofree char *files = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_run r JOIN qt_run_file "
                                                  "f USING (run_id) WHERE r.period = '2026-02'");
  assert_string_equal (kept, files);
  /* while another command stores files (it holds the blob lock shared:
   * blobs it counts as stored must stay), a rerun collects nothing and
   * still succeeds; the next rerun with nothing else storing collects
   * what is left */
  g_autoptr (PGconn) other = open_transaction (db, "BEGIN; SELECT pg_advisory_xact_lock_shared "
                                                   "(1903457126)");
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03",
                                 "--replace", NULL), 0);
  assert_true (orphans (db) > 0);
  g_autoptr (PGresult) ended = PQexec (other, "COMMIT");
  assert_int_equal (PQresultStatus (ended), PGRES_COMMAND_OK);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03",
                                 "--replace", NULL), 0);
  assert_int_equal (orphans (db), 0);
  g_autofree char *out = g_build_filename (f->runs, "2026-02", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "export", "--pg", db, "--period", "2026-02", "--out",
                                 out, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "verify", out, NULL), 0);
}

/* A run of `db` after the change `sql` (finance editing the stored rows
 * with SQL) exits 2 with `message`, writes no --out and stores no run;
 * `undo` puts the rows back. */
static void
assert_edit_refused (const char *db, const char *runs, const char *sql, const char *undo,
                     const char *message)
{
  qt_test_pg_exec (db, sql);
  g_autofree char *out = g_build_filename (runs, "edited", NULL);
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "run", "--pg", db, "--period", "2026-02", "--out",
                                 out, NULL), 2);
  assert_string_equal (err, message);
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_autofree char *runs_stored = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_run");
  assert_string_equal (runs_stored, "0");
  qt_test_pg_exec (db, undo);
}

/* Stored rows edited by hand: a bad value is named as the file it was
 * imported from and its line (as for the file back end, never by the
 * temporary directory the run reads); a line two rows share, or a line
 * no file has, is refused with the table's name; a database without a
 * data set says so; and once put back (imported again) the run succeeds. */
static void
test_edited_rows_name_their_lines (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_edited", TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  assert_edit_refused (db, f->runs,
                       "UPDATE qt_order_lines SET quantity = 'abc' WHERE source_line = 3",
                       "UPDATE qt_order_lines SET quantity = '1' WHERE source_line = 3",
                       "order_lines.csv:3:4: quantity: 'abc' is not a decimal number\n");
  assert_edit_refused (db, f->runs,
                       "INSERT INTO qt_orders SELECT * FROM qt_orders WHERE source_line = 2",
                       "DELETE FROM qt_orders WHERE ctid = (SELECT max (ctid) FROM qt_orders)",
                       "qt_orders: two rows at line 2 (source_line): give each row a line of its "
                       "own (a row whose fields hold line breaks takes a line more for each)\n");
  assert_edit_refused (db, f->runs, "UPDATE qt_receipts SET source_line = -4 WHERE source_line = 2",
                       "UPDATE qt_receipts SET source_line = 2 WHERE source_line = -4",
                       "qt_receipts: a row has source_line -4: a row's line is 2 or more (line 1 "
                       "of a data file is its header)\n");
  assert_edit_refused (db, f->runs, "CREATE TABLE saved AS SELECT * FROM qt_data_file; TRUNCATE "
                       "qt_data_file, qt_reps, qt_customers, qt_products, qt_orders, "
                       "qt_order_lines, qt_splits, qt_receipts, qt_activities, qt_quotas, "
                       "qt_adjustments", "INSERT INTO qt_data_file SELECT * FROM saved",
                       "quotient run: the database holds no data set: store one with quotient db "
                       "import first\n");
  assert_edit_refused (db, f->runs, "UPDATE qt_plan_file SET content = convert_to ('{', 'UTF8') "
                       "WHERE name = 'field-v1.json'",
                       "SELECT 1", "field-v1.json:1:2: invalid JSON\n");
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", QT_SOURCE_DIR "/fixtures/golden/plans");
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-02", NULL), 0);
}

/* A table whose file the import did not have (adjustments.csv is
 * optional) but which finance filled with SQL is read like the others: the
 * run pays what the file back end pays with that row in the file. */
static void
test_rows_added_to_a_table_not_imported (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_added", TRUE);
  g_autofree char *data = g_build_filename (f->tmp, "data", NULL);
  qt_test_copy_dir (QT_SOURCE_DIR "/fixtures/golden/data", data);
  g_autofree char *adjustments = g_build_filename (data, "adjustments.csv", NULL);
  assert_int_equal (g_remove (adjustments), 0);
  import (db, data, QT_SOURCE_DIR "/fixtures/golden/plans");
  qt_test_pg_exec (db, "INSERT INTO qt_adjustments VALUES (2, 'ADJ9', 'A2', '2026-03', '777.00', "
                       "'forgotten bonus')");
  qt_test_write (adjustments, "adjustment_id,rep_id,period,amount,reason\n"
                              "ADJ9,A2,2026-03,777.00,forgotten bonus\n");
  g_autofree char *files = g_build_filename (f->runs, "files", NULL);
  g_autofree char *stored = g_build_filename (f->runs, "stored", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", data, "--plans",
                                 QT_SOURCE_DIR "/fixtures/golden/plans", "--period", "2026-03",
                                 "--out", files, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-03", "--out",
                                 stored, NULL), 0);
  g_autofree char *want = g_build_filename (files, "payout.csv", NULL);
  g_autofree char *got = g_build_filename (stored, "payout.csv", NULL);
  g_autofree char *text = qt_test_read (got);
  assert_non_null (strstr (text, "3663.00")); /* A2: 2886.00 and the 777.00 added */
  qt_test_assert_same_file (got, want);
}

/* A run stopped by Ctrl-C (SIGINT) while it works on its copy of the
 * database's data set dies of the signal and leaves no copy behind in the
 * temporary directory (the orders of a whole company). */
static void
test_signal_leaves_no_copy (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *set = g_build_filename (f->tmp, "set", NULL);
  const char *const gen[] = { QT_BENCH_GEN, "--reps", "300", "--orders", "60000", "--out", set,
                              "-q", NULL };
  assert_int_equal (qt_test_spawn (NULL, NULL, NULL, gen), 0);
  g_autofree char *db = qt_test_pg_database ("qt_signal", TRUE);
  g_autofree char *data = g_build_filename (set, "data", NULL);
  g_autofree char *plans = g_build_filename (set, "plans", NULL);
  import (db, data, plans);
  g_autofree char *tmp = g_build_filename (f->tmp, "tmpdir", NULL);
  assert_int_equal (g_mkdir (tmp, 0700), 0);
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "TMPDIR", tmp, TRUE);
  const char *argv[] = { QT_BINARY, "run", "--pg", db, "--period", "2026-06", NULL };
  GPid pid;
  g_autoptr (GError) error = NULL;
  assert_true (g_spawn_async (NULL, (char **) argv, envp,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                              &pid, &error));
  /* once its copy is there (polled for up to 30 s) */
  for (guint i = 0; i < 30000 && qt_test_count_entries (tmp) == 0; i++)
    g_usleep (1000);
  assert_int_equal (qt_test_count_entries (tmp), 1);
  kill (pid, SIGINT);
  int status = 0;
  assert_int_equal (waitpid (pid, &status, 0), pid);
  g_spawn_close_pid (pid);
  assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGINT);
  if (qt_test_count_entries (tmp) != 0)
    fail_msg ("left in TMPDIR: %s", qt_test_listing (tmp));
}

/* A plan file whose name starts with a dot is a plan file like any other
 * (the loader reads every *.json): imported, and read back, by run --pg. */
static void
test_hidden_plan_file (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *plans = g_build_filename (f->tmp, "plans", NULL);
  qt_test_copy_dir (QT_SOURCE_DIR "/fixtures/golden/plans", plans);
  g_autofree char *from = g_build_filename (plans, "field-v1.json", NULL);
  g_autofree char *to = g_build_filename (plans, ".field-v1.json", NULL);
  assert_int_equal (g_rename (from, to), 0);
  g_autofree char *db = qt_test_pg_database ("qt_hidden_plan", TRUE);
  import (db, QT_SOURCE_DIR "/fixtures/golden/data", plans);
  g_autofree char *files = g_build_filename (f->runs, "files", NULL);
  g_autofree char *stored = g_build_filename (f->runs, "stored", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", QT_SOURCE_DIR "/fixtures/golden/data",
                                 "--plans", plans, "--period", "2026-02", "--out", files, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-02", "--out",
                                 stored, NULL), 0);
  g_autofree char *want = g_build_filename (files, "payout.csv", NULL);
  g_autofree char *got = g_build_filename (stored, "payout.csv", NULL);
  qt_test_assert_same_file (got, want);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_parity, qt_test_place_setup_empty, qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_failed_import_keeps_the_run, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_run_waits_for_a_blob_being_stored,
                                     qt_test_place_setup_empty, qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_replace_drops_orphan_blobs, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_run_during_an_import, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_rows_added_to_a_table_not_imported,
                                     qt_test_place_setup_empty, qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_signal_leaves_no_copy, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_hidden_plan_file, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_edited_rows_name_their_lines,
                                     qt_test_place_setup_empty, qt_test_place_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
