/* tests/e2e_lifecycle.c — a month closed end to end on fixtures/demo (SPEC
 * §8.1): run, publish, an upheld activity appeal, an upheld split appeal, an
 * upheld adjustment appeal and a rejected one, recalc — whose payout.csv,
 * scores.csv and credits.csv must equal a fresh run on the data edited the
 * same way — refusals that change nothing, close, verify of the moved
 * directory and a journal edit found by verify. */
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

static void
test_month (void **state)
{
  Fixture *f = *state;
  g_autofree char *err = NULL, *out = NULL;
  OK (qt_test_run (NULL, &err, "run", "--data", QT_SOURCE_DIR "/fixtures/demo/data", "--plans", PLANS,
         "--period", "2026-05", "--out", f->out, NULL));
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
  g_autofree char *stmt = g_build_filename (f->out, "statements", "R201.json", NULL);
  g_autofree char *json = qt_test_read (stmt);
  assert_non_null (strstr (json, "\"revision\": {\"number\":1,\"appeals\":[\"A1\",\"A3\",\"A4\"]"));

  g_clear_pointer (&err, g_free);
  OK (qt_test_run (NULL, &err, "close", f->out, "--now", "2026-06-09T09:00:00+08:00", NULL));
  assert_refused (f, "the run is closed", "recalc", f->out, "--now", "2026-06-09T10:00:00+08:00",
                  NULL);
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
