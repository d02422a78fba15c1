/* tests/e2e_pg_lifecycle.c — the lifecycle of SPEC §8.1 on runs stored in
 * PostgreSQL (run under tests/pg/with_postgres.sh, never skipped):
 *   - the demo's May taken through publish, appeals (refusals included),
 *     recalc and close on a run directory and on the database gives the
 *     same exit codes and messages, and the stored run exported is the
 *     run directory byte for byte (journal and evidence included), which
 *     verify accepts; the stored statements and payout rows follow the
 *     revision;
 *   - two reps' logins: each reads only its own statement, payout row and
 *     appeals, files and votes only as itself (also by hand-written SQL),
 *     and may not publish or export;
 *   - a check-in the server refuses leaves the stored run as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <libpq-fe.h>

#include "model/sha256.h"
#include "run/pg_schema.h"
#include "support/test_support.h"

#define EVIDENCE QT_SOURCE_DIR "/fixtures/evidence/R201-nps-survey-2026-05.csv"
#define DEMO QT_SOURCE_DIR "/fixtures/demo"

/* The steps, "@" standing for the place (RUN_DIR, or --pg and --period). */
static const char *const steps[][18] = {
  { "publish", "@", "--payout-at", "2026-06-10T09:00:00+08:00", "--now", "2026-06-05T09:00:00+08:00" },
  { "appeal", "file", "@", "--as", "R201", "--item", "activity:nps", "--claim", "90", "--reason",
    "May survey closed at nps 90, not 81", "--evidence", EVIDENCE, "--now", "2026-06-08T09:00:00+08:00" },
  { "appeal", "file", "@", "--as", "R205", "--item", "split:O2604-0349", "--claim", "R201=0.6",
    "--claim", "R205=0.4", "--reason", "demo together", "--now", "2026-06-08T09:05:00+08:00" },
  { "appeal", "file", "@", "--as", "R203", "--item", "adjustment", "--claim", "150.00", "--reason",
    "travel", "--now", "2026-06-08T09:10:00+08:00" },
  { "appeal", "file", "@", "--as", "R203", "--item", "adjustment", "--claim", "1", "--reason",
    "again", "--now", "2026-06-08T09:11:00+08:00" },
  { "appeal", "assign", "@", "--appeal", "A1", "--reviewer", "R201", "--reviewer", "R301", "--now",
    "2026-06-08T10:00:00+08:00" },
  { "appeal", "assign", "@", "--appeal", "A1", "--reviewer", "R301", "--reviewer", "R402", "--now",
    "2026-06-08T10:00:00+08:00" },
  { "appeal", "assign", "@", "--appeal", "A2", "--reviewer", "R301", "--reviewer", "R402", "--now",
    "2026-06-08T10:00:00+08:00" },
  { "appeal", "assign", "@", "--appeal", "A3", "--reviewer", "R301", "--reviewer", "R402", "--now",
    "2026-06-08T10:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A1", "--as", "R301", "--uphold", "--note", "matches",
    "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A1", "--as", "R402", "--uphold", "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A2", "--as", "R301", "--uphold", "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A2", "--as", "R402", "--uphold", "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A3", "--as", "R301", "--uphold", "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A3", "--as", "R402", "--reject", "--now", "2026-06-08T11:00:00+08:00" },
  { "appeal", "vote", "@", "--appeal", "A3", "--as", "R402", "--uphold", "--now", "2026-06-08T11:05:00+08:00" },
  { "close", "@", "--now", "2026-06-08T12:00:00+08:00" },
  { "appeal", "list", "@" },
  { "appeal", "show", "@", "--appeal", "A1", "--json" },
  { "recalc", "@", "--now", "2026-06-08T13:00:00+08:00" },
  { "recalc", "@", "--now", "2026-06-08T13:30:00+08:00" },
  { "close", "@", "--now", "2026-06-08T14:00:00+08:00" },
  { "publish", "@", "--payout-at", "2026-07-10T09:00:00+08:00", "--now", "2026-06-09T09:00:00+08:00" },
  { "appeal", "list", "@", "--json" },
};

/* Runs a step at `place` (NULL-terminated words put where "@" is);
 * appends "exit N", stdout and stderr to `log` with `name` (how messages
 * name the place) written as RUN. */
static int
step (const char *const *s, const char *const *place, const char *name, GString *log)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) QT_BINARY);
  for (guint i = 0; i < 18 && s[i] != NULL; i++)
    if (strcmp (s[i], "@") == 0)
      for (guint k = 0; place[k] != NULL; k++)
        g_ptr_array_add (argv, (gpointer) place[k]);
    else
      g_ptr_array_add (argv, (gpointer) s[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_spawn (&out, &err, NULL, (const char *const *) argv->pdata);
  g_autofree char *text = g_strdup_printf ("%s %s\nexit %d\n%s%s", s[0], s[1], rc, out, err);
  g_auto (GStrv) parts = g_strsplit (text, name, -1);
  g_autofree char *named = g_strjoinv ("RUN", parts);
  g_string_append (log, named);
  return rc;
}

static void
import_demo (const char *db)
{
  assert_int_equal (qt_test_run (NULL, NULL, "db", "import", "--pg", db, "--data", DEMO "/data",
                                 "--plans", DEMO "/plans", NULL), 0);
}

/* diff of the revisions and prior-period on corrected data (a receipt of
 * May halved), from the database as from the files. */
static void
assert_diff_and_prior_period (const char *db, const QtTestPlace *f, const char *files)
{
  g_autofree char *rev0 = g_build_filename (files, "revisions", "0", NULL);
  g_autofree char *from_files = NULL, *from_db = NULL;
  assert_int_equal (qt_test_run (&from_files, NULL, "diff", rev0, files, "--csv", NULL), 1);
  assert_int_equal (qt_test_run (&from_db, NULL, "diff", "--pg", db, "2026-05/revisions/0",
                                 "2026-05", "--csv", NULL), 1);
  assert_string_equal (from_db, from_files);
  g_autofree char *data = g_build_filename (f->tmp, "corrected", NULL);
  qt_test_copy_dir (DEMO "/data", data);
  g_autofree char *receipts = g_build_filename (data, "receipts.csv", NULL);
  g_autofree char *text = qt_test_read (receipts);
  g_auto (GStrv) parts = g_strsplit (text, "RC2605-0122,O2604-0349,2026-05-08,45312.00", 2);
  g_autofree char *corrected = g_strjoinv ("RC2605-0122,O2604-0349,2026-05-08,22656.00", parts);
  qt_test_write (receipts, corrected);
  assert_int_equal (qt_test_run (NULL, NULL, "db", "import", "--pg", db, "--data", data, "--plans",
                                 DEMO "/plans", NULL), 0);
  g_autofree char *ppa_files = g_build_filename (f->tmp, "ppa-files.csv", NULL);
  g_autofree char *ppa_db = g_build_filename (f->tmp, "ppa-db.csv", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "prior-period", "--closed", files, "--data", data,
                                 "--plans", DEMO "/plans", "--period", "2026-06", "--out",
                                 ppa_files, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "prior-period", "--pg", db, "--closed-period",
                                 "2026-05", "--period", "2026-06", "--out", ppa_db, NULL), 0);
  qt_test_assert_same_file (ppa_db, ppa_files);
  g_autofree char *rows = qt_test_read (ppa_db);
  assert_non_null (strstr (rows, "\nPPA-2026-05-R201,R201,2026-06,-"));
}

static void
test_lifecycle_parity (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *db = qt_test_pg_database ("qt_lifecycle", TRUE);
  import_demo (db);
  g_autofree char *files = g_build_filename (f->runs, "files", NULL);
  g_autofree char *exported = g_build_filename (f->runs, "exported", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", DEMO "/data", "--plans",
                                 DEMO "/plans", "--period", "2026-05", "--out", files, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-05", NULL), 0);
  const char *const on_files[] = { files, NULL };
  const char *const on_db[] = { "--pg", db, "--period", "2026-05", NULL };
  g_autoptr (GString) a = g_string_new (NULL);
  g_autoptr (GString) b = g_string_new (NULL);
  const int want[] = { 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 3, 0 };
  G_STATIC_ASSERT (G_N_ELEMENTS (want) == G_N_ELEMENTS (steps));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      assert_int_equal (step (steps[i], on_files, files, a), want[i]);
      assert_int_equal (step (steps[i], on_db, "the stored run of 2026-05", b), want[i]);
    }
  assert_string_equal (b->str, a->str);
  assert_non_null (strstr (a->str, "revision 1, 2 appeals applied"));
  /* the stored run is the run directory, byte for byte */
  assert_int_equal (qt_test_run (NULL, NULL, "export", "--pg", db, "--period", "2026-05", "--out",
                                 exported, NULL), 0);
  qt_test_assert_same_tree (exported, files, ".");
  assert_int_equal (qt_test_run (NULL, NULL, "verify", exported, NULL), 0);
  /* the rows for queries follow the current revision */
  g_autofree char *total = qt_test_pg_scalar (db, "SELECT payout->>'total' FROM qt_payout WHERE "
                                                  "rep_id = 'R201'");
  assert_string_equal (total, "59825.17");
  g_autofree char *revised = qt_test_pg_scalar (db, "SELECT statement->'revision'->>'number' "
                                                    "FROM qt_statement WHERE rep_id = 'R201'");
  assert_string_equal (revised, "1");
  g_autofree char *lines = qt_test_pg_scalar (db, "SELECT count(*) FROM qt_journal");
  assert_string_equal (lines, "19");
  assert_diff_and_prior_period (db, f, files);
}

/* A login for `rep`, through `quotient db grant`; its conninfo. */
static char *
rep_login (const char *db, const char *login, const char *rep)
{
  g_autofree char *create = g_strdup_printf ("CREATE ROLE %s LOGIN", login);
  qt_test_pg_exec (db, create);
  g_autofree char *out = NULL;
  assert_int_equal (qt_test_run (&out, NULL, "db", "grant", "--pg", db, "--login", login, "--rep",
                                 rep, NULL), 0);
  g_autofree char *said = g_strdup_printf ("quotient db grant: %s acts as %s\n", login, rep);
  assert_string_equal (out, said);
  return g_strdup_printf ("%s user=%s", db, login);
}

static int
file_as (const char *conninfo, const char *as, const char *claim, const char *now, char **out,
         char **err)
{
  const char *argv[] = { QT_BINARY, "appeal", "file", "--pg", conninfo, "--period", "2026-06",
                         "--item", "adjustment", "--claim", claim, "--reason", "mine", "--now",
                         now, as != NULL ? "--as" : NULL, as, NULL };
  return qt_test_spawn (out, err, NULL, argv);
}

/* A journal line (`event` and `members`) after the last line `view` shows
 * (a rep's view: a hidden line's hash is its "redacted" member): what a
 * rep could send by hand. */
static char *
forged_line_at (const char *view_conninfo, const char *at, const char *event,
                const char *members)
{
  g_autofree char *last = qt_test_pg_scalar (view_conninfo, "SELECT line FROM qt_journal_view "
                                                            "((SELECT run_id FROM qt_run WHERE "
                                                            "period = '2026-06')) ORDER BY seq "
                                                            "DESC LIMIT 1");
  g_autofree char *seq = qt_test_pg_scalar (view_conninfo, "SELECT count(*) + 1 FROM "
                                                           "qt_journal_view ((SELECT run_id FROM "
                                                           "qt_run WHERE period = '2026-06'))");
  const char *mark = strstr (last, "\"redacted\" : \"");
  g_autofree char *prev = mark != NULL ? g_strndup (mark + 14, 64) : qt_sha256_hex (last, strlen (last));
  return g_strdup_printf ("INSERT INTO qt_journal (run_id, seq, line) SELECT run_id, %s, "
                          "'{\"seq\":%s,\"at\":\"%s\",\"event\":\"%s\",\"prev\":\"%s\",%s}' "
                          "FROM qt_run WHERE period = '2026-06'", seq, seq, at, event, prev,
                          members);
}

static char *
forged_line (const char *view_conninfo, const char *event, const char *members)
{
  return forged_line_at (view_conninfo, "2026-07-08T09:30:00+08:00", event, members);
}


/* `sql` as the login of `conninfo` fails with a message holding `why`. */
static void
assert_refused (const char *conninfo, const char *sql, const char *why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (conninfo, &error);
  g_assert_no_error (error);
  g_autoptr (PGresult) r = PQexec (conn, sql);
  assert_int_equal (PQresultStatus (r), PGRES_FATAL_ERROR);
  if (strstr (PQresultErrorMessage (r), why) == NULL)
    fail_msg ("%s: %s", sql, PQresultErrorMessage (r));
}

/* Lines the client's replay would refuse, forged by the rep's login of
 * `conninfo` (rep R201, whose appeal A1 on adjustment is undecided): each
 * refused by the server, so that no line can stop the run's commands for
 * good. */
static void
assert_malformed_refused (const char *conninfo)
{
  const char *const lines[][3] = {
    { "yesterday", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":\"split:O1\","
      "\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "at is not a timestamp with an offset" },
    { "2026-02-30T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "at is not a timestamp with an offset" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":\"R201=1\",\"reason\":\"x\",\"evidence\":[]",
      "filed out of turn or without appeal, rep, item, claims and reason" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A7\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "filed out of turn or without appeal, rep, item, claims and reason" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"adjustment\",\"claims\":[\"5\"],\"reason\":\"x\",\"evidence\":[]",
      "R201 has an undecided appeal on adjustment already" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"rep\":\"R201\","
      "\"item\":\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "not a JSON object with seq, prev and event, each once" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201\"],\"reason\":\"x\",\"evidence\":[]",
      "filed with claims its item does not take" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[],\"x\":1e400",
      "a member the filed line does not have" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[{\"sha256\":"
      "\"0000000000000000000000000000000000000000000000000000000000000000\",\"name\":\"a\","
      "\"name\":\"b\"}]", "evidence is not a list of files by sha256 and name" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[],"
      "\"redacted\":\"0000000000000000000000000000000000000000000000000000000000000000\"",
      "a line break or a redacted member" },
    { "2026-07-08T09:30:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]\n",
      "a line break or a redacted member" },
    { "2026-07-08T08:00:00+08:00", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "at is earlier than the line before it" },
    { "2099-01-01T00:00:00Z", "\"appeal\":\"A3\",\"rep\":\"R201\",\"item\":"
      "\"split:O1\",\"claims\":[\"R201=1\"],\"reason\":\"x\",\"evidence\":[]",
      "at is later than now" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *sql = forged_line_at (conninfo, lines[i][0], "filed", lines[i][1]);
      assert_refused (conninfo, sql, lines[i][2]);
    }
}

static void
test_two_reps (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_two_reps", TRUE);
  import_demo (db);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-06", NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "publish", "--pg", db, "--period", "2026-06",
                                 "--payout-at", "2026-07-10T09:00:00+08:00", "--now",
                                 "2026-07-05T09:00:00+08:00", NULL), 0);
  g_autofree char *a = rep_login (db, "rep_a", "R201");
  g_autofree char *b = rep_login (db, "rep_b", "R203");
  g_autofree char *out = NULL, *err = NULL;
  /* each files as itself: --as may be left out */
  assert_int_equal (file_as (a, NULL, "10", "2026-07-08T09:00:00+08:00", &out, &err), 0);
  assert_string_equal (out, "A1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  assert_int_equal (file_as (b, "R203", "20", "2026-07-08T09:01:00+08:00", &out, &err), 0);
  assert_string_equal (out, "A2\n");
  /* and not as the other: refused, nothing written */
  g_autofree char *before = qt_test_pg_scalar (db, "SELECT string_agg (sha256, ',' ORDER BY seq) "
                                                   "FROM qt_journal");
  g_clear_pointer (&err, g_free);
  assert_int_equal (file_as (a, "R203", "30", "2026-07-08T09:02:00+08:00", NULL, &err), 3);
  assert_string_equal (err, "quotient appeal file: the database login is rep R201's: it acts as "
                            "R201 only, not as R203\n");
  g_autofree char *after = qt_test_pg_scalar (db, "SELECT string_agg (sha256, ',' ORDER BY seq) "
                                                  "FROM qt_journal");
  assert_string_equal (after, before);
  /* nor by hand: the policy refuses a well-chained line for someone else,
   * the server a vote by someone not assigned, and evidence under
   * another file's hash */
  g_autofree char *forged = forged_line (a, "filed", "\"appeal\":\"A3\",\"rep\":\"R203\","
                                         "\"item\":\"split:O1\",\"claims\":[\"R203=1\"],"
                                         "\"reason\":\"x\",\"evidence\":[]");
  assert_refused (a, forged, "row-level security");
  assert_malformed_refused (a);
  g_autofree char *vote = forged_line (a, "voted", "\"appeal\":\"A1\",\"reviewer\":\"R201\","
                                       "\"vote\":\"uphold\"");
  assert_refused (a, vote, "a vote by someone not assigned");
  assert_refused (a, "INSERT INTO qt_run_file (run_id, path, sha256) SELECT run_id, "
                     "'evidence/0000', (SELECT sha256 FROM qt_blob LIMIT 1) FROM qt_run",
                  "row-level security");
  /* each reads its own rows only */
  g_autofree char *pa = qt_test_pg_scalar (a, "SELECT string_agg (rep_id, ',') FROM qt_payout");
  g_autofree char *pb = qt_test_pg_scalar (b, "SELECT string_agg (rep_id, ',') FROM qt_payout");
  g_autofree char *sa = qt_test_pg_scalar (a, "SELECT string_agg (rep_id, ',') FROM qt_statement");
  /* the view parses the statement from bytes the rep's login may read */
  g_autofree char *sj = qt_test_pg_scalar (a, "SELECT string_agg (statement->'rep'->>'rep_id', "
                                              "',') FROM qt_statement");
  g_autofree char *aa = qt_test_pg_scalar (a, "SELECT string_agg (appeal || '=' || rep_id, ',') "
                                              "FROM qt_appeal");
  g_autofree char *ab = qt_test_pg_scalar (b, "SELECT string_agg (appeal || '=' || rep_id, ',') "
                                              "FROM qt_appeal");
  g_autofree char *fa = qt_test_pg_scalar (a, "SELECT count(*) FROM qt_run_file WHERE path IN "
                                              "('payout.csv', 'statements/R203.json', "
                                              "'inputs/data/activities.csv')");
  g_autofree char *fo = qt_test_pg_scalar (a, "SELECT count(*) FROM qt_run_file WHERE path = "
                                              "'statements/R201.json'");
  assert_string_equal (pa, "R201");
  assert_string_equal (sj, "R201");
  assert_string_equal (pb, "R203");
  assert_string_equal (sa, "R201");
  assert_string_equal (aa, "A1=R201");
  assert_string_equal (ab, "A2=R203");
  assert_string_equal (fa, "0");
  assert_string_equal (fo, "1");
  /* a rep's login prints its own statement (the run's bytes), not another's */
  g_clear_pointer (&out, g_free);
  assert_int_equal (qt_test_run (&out, NULL, "statement", "--pg", a, "--period", "2026-06", NULL), 0);
  assert_true (g_str_has_prefix (out, "Commission statement 2026-06: 赵丽 (R201)\n\nYou are paid "));
  g_autofree char *stored = qt_test_pg_scalar (db, "SELECT convert_from (b.content, 'UTF8') FROM "
                                                   "qt_run_file f JOIN qt_blob b USING (sha256) "
                                                   "WHERE f.path = 'statements/R201.txt'");
  assert_string_equal (out, stored);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "statement", "--pg", a, "--period", "2026-06", "--rep",
                                 "R203", NULL), 2);
  assert_string_equal (err, "quotient statement: the database holds no statement of rep 'R203' for "
                            "2026-06 that this login may read\n");
  /* the command shows a rep its own appeals, and not another's */
  g_clear_pointer (&out, g_free);
  assert_int_equal (qt_test_run (&out, NULL, "appeal", "list", "--pg", a, "--period", "2026-06",
                                 NULL), 0);
  assert_non_null (strstr (out, "1 appeal\nA1 "));
  assert_null (strstr (out, "R203"));
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "show", "--pg", a, "--period", "2026-06",
                                 "--appeal", "A2", NULL), 2);
  /* finance's commands are finance's */
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "close", "--pg", b, "--period", "2026-06", NULL), 3);
  assert_string_equal (err, "quotient close: the database login is rep R203's: only finance may close\n");
  assert_int_equal (qt_test_run (NULL, NULL, "export", "--pg", b, "--period", "2026-06", "--out",
                                 "/nonexistent/x", NULL), 3);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "run", "--pg", b, "--period", "2026-05", NULL), 3);
  assert_string_equal (err, "quotient run: the database login is rep R203's: only finance may read "
                            "the stored data set\n");
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "prior-period", "--pg", b, "--closed-period",
                                 "2026-06", "--period", "2026-07", "--out", "/nonexistent/x", NULL),
                    3);
  assert_string_equal (err, "quotient prior-period: the database login is rep R203's: only finance "
                            "may read the stored data set\n");
  /* a reviewer votes as itself on the appeal it reviews */
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "assign", "--pg", db, "--period", "2026-06",
                                 "--appeal", "A2", "--reviewer", "R301", "--reviewer", "R402",
                                 "--now", "2026-07-08T10:00:00+08:00", NULL), 0);
  g_autofree char *c = rep_login (db, "rep_c", "R301");
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "vote", "--pg", c, "--period", "2026-06",
                                 "--appeal", "A2", "--as", "R402", "--uphold", "--now",
                                 "2026-07-08T11:00:00+08:00", NULL), 3);
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "vote", "--pg", c, "--period", "2026-06",
                                 "--appeal", "A2", "--uphold", "--now", "2026-07-08T11:00:00+08:00",
                                 NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "vote", "--pg", c, "--period", "2026-06",
                                 "--appeal", "A1", "--uphold", "--now", "2026-07-08T11:00:00+08:00",
                                 NULL), 2);
  g_autofree char *voter = qt_test_pg_scalar (db, "SELECT actor FROM qt_journal WHERE event = "
                                                  "'voted'");
  assert_string_equal (voter, "R301");
  /* the last vote decides; after it, neither a second decision nor a vote */
  g_autofree char *d = rep_login (db, "rep_d", "R402");
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "vote", "--pg", d, "--period", "2026-06",
                                 "--appeal", "A2", "--uphold", "--now", "2026-07-08T12:00:00+08:00",
                                 NULL), 0);
  g_autofree char *again = forged_line_at (c, "2026-07-08T13:00:00+08:00", "decided",
                                           "\"appeal\":\"A2\",\"decision\":\"rejected\"");
  assert_refused (c, again, "decided out of turn or without a decision");
  g_autofree char *late = forged_line_at (c, "2026-07-08T13:00:00+08:00", "voted",
                                          "\"appeal\":\"A2\",\"reviewer\":\"R301\","
                                          "\"vote\":\"reject\"");
  assert_refused (c, late, "a second vote");
  /* and the run's commands still read its journal */
  assert_int_equal (qt_test_run (NULL, NULL, "appeal", "list", "--pg", db, "--period", "2026-06",
                                 NULL), 0);
}

/* A login is what its last grant made it, and no more: finance made a
 * rep reads that rep's rows only; finance reads quotient's tables, not
 * the company's own in the same schema; a login in quotient_rep mapped to
 * no rep of this database (roles are the cluster's) reads none of its
 * runs' files. */
static void
test_grants_are_what_they_say (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_grants", FALSE);
  qt_test_pg_exec (db, "CREATE TABLE hr_salaries (name text, salary integer); INSERT INTO "
                       "hr_salaries VALUES ('someone', 1)");
  assert_int_equal (qt_test_run (NULL, NULL, "db", "init", "--pg", db, NULL), 0);
  import_demo (db);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-06", NULL), 0);
  qt_test_pg_exec (db, "CREATE ROLE q_fin LOGIN; CREATE ROLE q_fin_rep LOGIN; CREATE ROLE "
                       "q_unmapped LOGIN IN ROLE quotient_rep");
  const char *const finance[] = { "q_fin", "q_fin_rep" };
  for (guint i = 0; i < G_N_ELEMENTS (finance); i++)
    assert_int_equal (qt_test_run (NULL, NULL, "db", "grant", "--pg", db, "--login", finance[i],
                                   "--finance", NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "db", "grant", "--pg", db, "--login", "q_fin_rep",
                                 "--rep", "R201", NULL), 0);
  g_autofree char *fin = g_strdup_printf ("%s user=q_fin", db);
  g_autofree char *fin_rep = g_strdup_printf ("%s user=q_fin_rep", db);
  g_autofree char *unmapped = g_strdup_printf ("%s user=q_unmapped", db);
  g_autofree char *all = qt_test_pg_scalar (fin, "SELECT count(*) FROM qt_payout");
  g_autofree char *own = qt_test_pg_scalar (fin_rep, "SELECT string_agg (rep_id, ',') FROM "
                                                     "qt_payout");
  g_autofree char *files = qt_test_pg_scalar (unmapped, "SELECT count(*) FROM qt_run_file");
  assert_string_equal (all, "41");
  assert_string_equal (own, "R201");
  assert_string_equal (files, "0");
  assert_refused (fin, "SELECT * FROM hr_salaries", "permission denied");
  assert_refused (fin_rep, "SELECT * FROM qt_orders", "permission denied");
}

/* The server refuses the check-in (a trigger stands for any failure): the
 * command fails with the server's message and nothing is stored. */
static void
test_refused_check_in (void **state)
{
  (void) state;
  g_autofree char *db = qt_test_pg_database ("qt_refused", TRUE);
  import_demo (db);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--pg", db, "--period", "2026-06", NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "publish", "--pg", db, "--period", "2026-06",
                                 "--payout-at", "2026-07-10T09:00:00+08:00", "--now",
                                 "2026-07-05T09:00:00+08:00", NULL), 0);
  qt_test_pg_exec (db, "CREATE FUNCTION no_evidence () RETURNS trigger LANGUAGE plpgsql AS $$ "
                       "BEGIN RAISE EXCEPTION 'evidence refused'; END $$; CREATE TRIGGER "
                       "no_evidence BEFORE INSERT ON qt_run_file FOR EACH ROW EXECUTE FUNCTION "
                       "no_evidence ()");
  g_autofree char *before = qt_test_pg_scalar (db, "SELECT (SELECT count(*) FROM qt_journal) || "
                                                   "'/' || (SELECT count(*) FROM qt_blob) || '/' "
                                                   "|| (SELECT count(*) FROM qt_run_file)");
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "appeal", "file", "--pg", db, "--period", "2026-06",
                                 "--as", "R201", "--item", "adjustment", "--claim", "5",
                                 "--reason", "x", "--evidence", EVIDENCE, "--now",
                                 "2026-07-08T09:00:00+08:00", NULL), 2);
  assert_non_null (strstr (err, "PostgreSQL: storing the run's files failed: ERROR: evidence refused"));
  g_autofree char *after = qt_test_pg_scalar (db, "SELECT (SELECT count(*) FROM qt_journal) || "
                                                  "'/' || (SELECT count(*) FROM qt_blob) || '/' "
                                                  "|| (SELECT count(*) FROM qt_run_file)");
  assert_string_equal (after, before);
  /* and a run that is not stored, or a database without the schema */
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "publish", "--pg", db, "--period", "2026-04",
                                 "--payout-at", "2026-07-10T09:00:00+08:00", NULL), 2);
  assert_string_equal (err, "quotient publish: the database holds no run of 2026-04 (quotient run "
                            "--pg … --period 2026-04 stores one)\n");
  g_autofree char *bare = qt_test_pg_database ("qt_bare", FALSE);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "appeal", "list", "--pg", bare, "--period", "2026-06",
                                 NULL), 2);
  g_autofree char *want = g_strdup_printf ("quotient appeal list: the database has no quotient "
                                           "schema of version %d (it has 0): run quotient db init "
                                           "first\n", QT_PG_SCHEMA_VERSION);
  assert_string_equal (err, want);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_lifecycle_parity, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
    cmocka_unit_test (test_two_reps),
    cmocka_unit_test (test_grants_are_what_they_say),
    cmocka_unit_test (test_refused_check_in),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
