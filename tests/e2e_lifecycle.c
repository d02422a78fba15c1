/* tests/e2e_lifecycle.c — a month closed end to end on fixtures/demo (SPEC
 * §8.1): run, publish, an upheld activity appeal, an upheld split appeal, an
 * upheld adjustment appeal and a rejected one, recalc — whose payout.csv,
 * scores.csv and credits.csv must equal a fresh run on the data edited the
 * same way — diff --csv against the month as first run, refusals that
 * change nothing, close, a prior-period file whose rows are the
 * difference of two runs' totals, verify of the moved directory and a
 * journal edit found by verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "support/test_support.h"

/* The place: data/ a copy of fixtures/demo/data to edit by hand, out the run. */
typedef QtTestPlace Fixture;

#define PLANS QT_SOURCE_DIR "/fixtures/demo/plans"
#define PUBLISHED "2026-06-05T09:00:00+08:00"
#define PAYOUT "2026-06-10T09:00:00+08:00"

static int
setup (void **state)
{
  Fixture *f = qt_test_place_new (FALSE);
  f->data = g_build_filename (f->tmp, "edited", NULL);
  qt_test_copy_dir (QT_SOURCE_DIR "/fixtures/demo/data", f->data);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  qt_test_place_free (*state);
  return 0;
}

/* A refusal (exit 3) that leaves the journal's bytes as they were:
 * assert_refused (f, "what stderr says", ARG..., NULL). */
#define assert_refused(f, say, ...) \
  assert_refused_argv (f, say, (const char *const[]) { QT_BINARY, __VA_ARGS__ })

static void
assert_refused_argv (Fixture *f, const char *say, const char *const *argv)
{
  g_autofree char *journal = g_build_filename (f->out, "journal.jsonl", NULL);
  g_autofree char *before = qt_test_read (journal);
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_spawn (&out, &err, NULL, argv);
  if (rc != 3 || strstr (err, say) == NULL)
    fail_msg ("exit %d, stderr '%s' (wanted 3 and '%s')", rc, err, say);
  g_autofree char *after = qt_test_read (journal);
  assert_string_equal (after, before);
}

static void
ok (int rc, const char *err)
{
  if (rc != 0)
    fail_msg ("exit %d: %s", rc, err);
}

/* `call` (which sets err) must exit 0; err read only after it ran. */
#define OK(call) do { int rc_ = (call); ok (rc_, err); } while (0)

static void
file_appeal (Fixture *f, const char *want_id, const char *as, const char *item, const char *c1,
             const char *c2)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc = c2 ? qt_test_run (&out, &err, "appeal", "file", f->out, "--as", as, "--item", item, "--claim", c1,
                   "--claim", c2, "--reason", "test", "--now", "2026-06-08T09:00:00+08:00", NULL)
              : qt_test_run (&out, &err, "appeal", "file", f->out, "--as", as, "--item", item, "--claim", c1,
                   "--reason", "test", "--now", "2026-06-08T09:00:00+08:00", NULL);
  ok (rc, err);
  g_autofree char *want = g_strconcat (want_id, "\n", NULL);
  assert_string_equal (out, want);
}

static void
decide (Fixture *f, const char *id, const char *r1, const char *r2, const char *vote)
{
  g_autofree char *err = NULL;
  OK (qt_test_run (NULL, &err, "appeal", "assign", f->out, "--appeal", id, "--reviewer", r1, "--reviewer", r2,
         "--now", "2026-06-08T11:00:00+08:00", NULL));
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "appeal", "vote", f->out, "--appeal", id, "--as", r1, "--uphold", "--now",
         "2026-06-08T11:00:00+08:00", NULL));
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "appeal", "vote", f->out, "--appeal", id, "--as", r2, vote, "--now",
         "2026-06-08T11:00:00+08:00", NULL));
}

/* The same edits made to a copy of the data set by hand. */
static void
edit_data (Fixture *f)
{
  g_autofree char *acts = g_build_filename (f->data, "activities.csv", NULL);
  g_autofree char *text = qt_test_read (acts);
  g_autoptr (GRegex) re = g_regex_new ("^R201,2026-05,nps,[^\n]*$", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *edited = g_regex_replace_literal (re, text, -1, 0, "R201,2026-05,nps,72", 0, NULL);
  assert_string_not_equal (edited, text);
  qt_test_write (acts, edited);
  g_autofree char *adj = g_build_filename (f->data, "adjustments.csv", NULL);
  g_autofree char *a = qt_test_read (adj);
  g_autofree char *a2 = g_strconcat (a, "A3,R203,2026-05,150.00,test\n", NULL);
  qt_test_write (adj, a2);
  g_autofree char *splits = g_build_filename (f->data, "splits.csv", NULL);
  g_autofree char *sp = qt_test_read (splits);
  g_autofree char *sp2 = g_strconcat (sp, "O2604-0349,R201,0.6\nO2604-0349,R205,0.4\n", NULL);
  qt_test_write (splits, sp2);
}

/* Replaces the line of `file` in `dir` that matches `pattern` (a regex
 * over one line with its newline) by `by`; appends `add`. */
static void
edit_file (const char *dir, const char *file, const char *pattern, const char *by, const char *add)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = qt_test_read (path);
  g_autoptr (GRegex) re = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *edited = g_regex_replace_literal (re, text, -1, 0, by, 0, NULL);
  assert_string_not_equal (edited, text);
  g_autofree char *more = g_strconcat (edited, add, NULL);
  qt_test_write (path, more);
}

/* A correction found after the close: R102's adjustment was booked twice,
 * R201 is owed a late one, R105's nps was 80. */
static void
correct_data (const char *dir)
{
  edit_file (dir, "adjustments.csv", "^ADJ-2605-01,R102,[^\n]*\n", "",
             "LATE-1,R201,2026-05,99.99,late\n");
  edit_file (dir, "activities.csv", "^R105,2026-05,nps,71$", "R105,2026-05,nps,80", "");
}

/* Field `k` from the end of each data row of RUN/payout.csv (the last
 * seven columns hold no comma), by rep_id (the first field: no comma in
 * the demo's ids).  (transfer full) */
static GHashTable *
payout_column (const char *run, guint k)
{
  g_autofree char *path = g_build_filename (run, "payout.csv", NULL);
  g_autofree char *text = qt_test_read (path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *col = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      guint n = g_strv_length (f);
      g_hash_table_insert (col, g_strdup (f[0]), g_strdup (f[n - k]));
    }
  return col;
}

/* "-1234.50" → -123450 */
static gint64
cents (const char *text)
{
  g_autofree char *digits = g_strdup (text);
  char *dot = strchr (digits, '.');
  assert_non_null (dot);
  memmove (dot, dot + 1, strlen (dot));
  return g_ascii_strtoll (digits, NULL, 10);
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The rows prior-period must write: fresh total − closed total, by rep. */
static char *
expected_corrections (const char *closed, const char *fresh)
{
  g_autoptr (GHashTable) old = payout_column (closed, 1), now = payout_column (fresh, 1);
  assert_int_equal (g_hash_table_size (old), g_hash_table_size (now));
  g_autoptr (GPtrArray) reps = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, old);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (reps, key);
  g_ptr_array_sort (reps, cmp_str);
  GString *csv = g_string_new ("adjustment_id,rep_id,period,amount,reason\n");
  for (guint i = 0; i < reps->len; i++)
    {
      const char *rep = g_ptr_array_index (reps, i);
      gint64 d = cents (g_hash_table_lookup (now, rep)) - cents (g_hash_table_lookup (old, rep));
      if (d != 0)
        g_string_append_printf (csv, "PPA-2026-05-%s,%s,2026-07,%s%" G_GINT64_FORMAT ".%02d,"
                                "prior-period correction of 2026-05\n", rep, rep, d < 0 ? "-" : "",
                                ABS (d) / 100, (int) (ABS (d) % 100));
    }
  return g_string_free (csv, FALSE);
}

static void
test_month (void **state)
{
  Fixture *f = *state;
  g_autofree char *err = NULL, *out = NULL;
  OK (qt_test_run (NULL, &err, "run", "--data", QT_SOURCE_DIR "/fixtures/demo/data", "--plans", PLANS,
         "--period", "2026-05", "--out", f->out, NULL));
  g_clear_pointer (&err, g_free);
  g_autofree char *first = g_build_filename (f->tmp, "first", NULL);
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "run", "--data", QT_SOURCE_DIR "/fixtures/demo/data", "--plans", PLANS,
         "--period", "2026-05", "--out", first, NULL));
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "publish", f->out, "--payout-at", PAYOUT, "--now", PUBLISHED, NULL));
  assert_refused (f, "publish refused", "publish", f->out, "--payout-at", PAYOUT, "--now",
                  "2026-06-06T09:00:00+08:00", NULL);
  assert_refused (f, "outside the appeal window", "appeal", "file", f->out, "--as", "R201",
                  "--item", "activity:nps", "--claim", "72", "--reason", "early", "--now",
                  "2026-06-06T09:00:00+08:00", NULL);
  file_appeal (f, "A1", "R201", "activity:nps", "72", NULL);
  file_appeal (f, "A2", "R202", "adjustment", "99", NULL);
  file_appeal (f, "A3", "R203", "adjustment", "150.00", NULL);
  file_appeal (f, "A4", "R201", "split:O2604-0349", "R201=0.6", "R205=0.4");
  assert_refused (f, "still undecided", "appeal", "file", f->out, "--as", "R201", "--item",
                  "activity:nps", "--claim", "70", "--reason", "again", "--now",
                  "2026-06-08T09:30:00+08:00", NULL);
  assert_refused (f, "manager of", "appeal", "assign", f->out, "--appeal", "A1", "--reviewer",
                  "R000", "--reviewer", "R301", "--now", "2026-06-08T09:30:00+08:00", NULL);
  assert_refused (f, "in R201's team", "appeal", "assign", f->out, "--appeal", "A1", "--reviewer",
                  "R202", "--reviewer", "R301", "--now", "2026-06-08T09:30:00+08:00", NULL);
  assert_refused (f, "exactly 2 reviewers", "appeal", "assign", f->out, "--appeal", "A1",
                  "--reviewer", "R301", "--now", "2026-06-08T09:30:00+08:00", NULL);
  decide (f, "A1", "R301", "R402", "--uphold");
  decide (f, "A2", "R301", "R402", "--reject");
  decide (f, "A3", "R301", "R402", "--uphold");
  decide (f, "A4", "R301", "R402", "--uphold");
  assert_refused (f, "decided already", "appeal", "vote", f->out, "--appeal", "A1", "--as", "R301",
                  "--reject", "--now", "2026-06-08T12:00:00+08:00", NULL);
  assert_refused (f, "not applied", "close", f->out, "--now", "2026-06-08T12:00:00+08:00", NULL);
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (&out, &err, "recalc", f->out, "--now", "2026-06-08T13:00:00+08:00", NULL));
  assert_non_null (strstr (out, "revision 1, 3 appeals applied"));

  /* Byte for byte a fresh run on the data edited the same way. */
  edit_data (f);
  g_autofree char *fresh = g_build_filename (f->tmp, "fresh", NULL);
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "run", "--data", f->data, "--plans", PLANS, "--period", "2026-05", "--out",
         fresh, NULL));
  static const char *const tables[] = { "payout.csv", "scores.csv", "credits.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *got = g_build_filename (f->out, tables[i], NULL);
      g_autofree char *want = g_build_filename (fresh, tables[i], NULL);
      qt_test_assert_same_file (got, want);
    }
  /* diff --csv: R203's adjustments grew by the 150.00 of A3. */
  g_autofree char *diff = NULL;
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (&diff, &err, "diff", first, f->out, "--csv", NULL), 1);
  assert_true (g_str_has_prefix (diff, "rep_id,file,column,old,new\n"));
  g_autoptr (GHashTable) adjustments = payout_column (first, 2);
  const char *was = g_hash_table_lookup (adjustments, "R203");
  gint64 now_cents = cents (was) + 15000;
  g_autofree char *row = g_strdup_printf ("\nR203,payout.csv,adjustments,%s,%" G_GINT64_FORMAT
                                          ".%02d\n", was, now_cents / 100, (int) (now_cents % 100));
  assert_non_null (strstr (diff, row));
  assert_null (strstr (diff, "\nR105,"));

  g_autofree char *stmt = g_build_filename (f->out, "statements", "R201.json", NULL);
  g_autofree char *json = qt_test_read (stmt);
  assert_non_null (strstr (json, "\"revision\": {\"number\":1,\"appeals\":[\"A1\",\"A3\",\"A4\"]"));

  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "close", f->out, "--now", "2026-06-09T09:00:00+08:00", NULL));
  assert_refused (f, "the run is closed", "recalc", f->out, "--now", "2026-06-09T10:00:00+08:00",
                  NULL);

  /* prior-period: the snapshot corrected, the appeals on top; against a
   * fresh run on the edited data corrected the same way. */
  g_autofree char *corrected = g_build_filename (f->tmp, "corrected", NULL);
  qt_test_copy_dir (QT_SOURCE_DIR "/fixtures/demo/data", corrected);
  correct_data (corrected);
  correct_data (f->data);
  g_autofree char *fresh2 = g_build_filename (f->tmp, "fresh2", NULL);
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "run", "--data", f->data, "--plans", PLANS, "--period", "2026-05",
         "--out", fresh2, NULL));
  g_autofree char *ppa = g_build_filename (f->tmp, "ppa.csv", NULL);
  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "prior-period", "--closed", f->out, "--data", corrected, "--plans",
         PLANS, "--period", "2026-07", "--out", ppa, NULL));
  g_autofree char *got = qt_test_read (ppa);
  g_autofree char *want = expected_corrections (f->out, fresh2);
  assert_string_equal (got, want);
  assert_non_null (strstr (got, "PPA-2026-05-R105,R105,2026-07,"));
  assert_non_null (strstr (got, "PPA-2026-05-R102,R102,2026-07,-1200.00,"));

  g_autofree char *moved = g_build_filename (f->tmp, "moved", NULL);
  assert_int_equal (g_rename (f->out, moved), 0);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  OK (qt_test_run (&out, &err, "verify", moved, NULL));

  /* An edit of line 2 shows at line 3, where prev stops matching. */
  g_autofree char *journal = g_build_filename (moved, "journal.jsonl", NULL);
  g_autofree char *lines = qt_test_read (journal);
  g_autofree char *edited = g_strdup (lines);
  char *reason = strstr (edited, "\"reason\":\"test\"");
  assert_non_null (reason);
  reason[10] = 'b';
  qt_test_write (journal, edited);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "verify", moved, NULL), 1);
  assert_non_null (strstr (err, "journal.jsonl:3: prev does not match"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_month, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
