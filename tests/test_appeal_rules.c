/* tests/test_appeal_rules.c — appeals/: every refusal of SPEC §8.1 (exit
 * 3) and the bad input of the lifecycle commands (exit 2), each leaving
 * the journal's bytes as they were; the window's bounds; prior-period's
 * refusals and rows.
 *
 * The month is fixtures/demo's 2026-05 (reps: R000 heads the leads R100,
 * R200, R300, R400, each managing the team EAST, NORTH, SOUTH, WEST), with
 * plan `lead` stripped of its appeals section.  Published at PUBLISHED
 * with the payout at PAYOUT: the 72-hour window is [WINDOW_OPENS, PAYOUT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "appeals/actions.h"
#include "appeals/journal.h"
#include "appeals/lifecycle.h"
#include "appeals/lifecycle_verify.h"
#include "appeals/prior_period.h"
#include "appeals/recalc.h"
#include "model/qt_error.h"
#include "run/pipeline.h"
#include "support/test_support.h"

#define DEMO QT_SOURCE_DIR "/fixtures/demo"
#define PUBLISHED "2026-06-05T09:00:00+08:00"
#define WINDOW_OPENS "2026-06-07T09:00:00+08:00"
#define IN_WINDOW "2026-06-08T09:00:00+08:00"
#define PAYOUT "2026-06-10T09:00:00+08:00"
#define LAST_SECOND "2026-06-10T08:59:59+08:00"
#define AFTER "2026-06-11T09:00:00+08:00"

typedef struct {
  QtTestPlace *place;
  char *journal_path;
  char *journal;      /* the journal's bytes after the last success (NULL: none) */
  char *id;           /* the id of the last appeal filed */
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->place = qt_test_place_new (FALSE);
  f->place->plans = g_build_filename (f->place->tmp, "plans", NULL);
  qt_test_copy_dir (DEMO "/plans", f->place->plans);
  g_autofree char *lead = g_build_filename (f->place->plans, "lead-v1.json", NULL);
  g_autofree char *text = qt_test_read (lead);
  g_autoptr (GRegex) re = g_regex_new (",\\s*\"appeals\":[^}]*}", 0, 0, NULL);
  g_autofree char *stripped = g_regex_replace_literal (re, text, -1, 0, "", 0, NULL);
  assert_string_not_equal (stripped, text);
  qt_test_write (lead, stripped);
  const QtRunOptions o = { .data_dir = DEMO "/data", .plans_dir = f->place->plans,
                           .period = "2026-05", .out = f->place->out };
  g_autoptr (GError) error = NULL;
  assert_true (qt_run_execute (&o, NULL, &error));
  f->journal_path = g_build_filename (f->place->out, "journal.jsonl", NULL);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_place_free (f->place);
  g_free (f->journal_path);
  g_free (f->journal);
  g_free (f->id);
  g_free (f);
  return 0;
}

/* ---- the actions, each returning its error (NULL: done) ---- */

static QtLifecycleOptions
at (Fixture *f, const char *now)
{
  return (QtLifecycleOptions) { .run_dir = f->place->out, .now = now };
}

static GError *
publish (Fixture *f, const char *now, const char *payout)
{
  GError *error = NULL;
  g_autofree char *head = NULL;
  const QtLifecycleOptions o = at (f, now);
  qt_publish (&o, payout, &head, &error);
  return error;
}

/* file (f, now, as, item, claim..., NULL): the id in f->id. */
static GError *
file (Fixture *f, const char *now, const char *as, const char *item, ...)
{
  g_autoptr (GPtrArray) claims = g_ptr_array_new ();
  va_list ap;
  va_start (ap, item);
  for (const char *c; (c = va_arg (ap, const char *)) != NULL;)
    g_ptr_array_add (claims, (gpointer) c);
  va_end (ap);
  g_ptr_array_add (claims, NULL);
  const QtAppealFiling filing = { as, item, (const char *const *) claims->pdata, "test", NULL };
  GError *error = NULL;
  g_autofree char *head = NULL;
  g_clear_pointer (&f->id, g_free);
  const QtLifecycleOptions o = at (f, now);
  qt_appeal_file (&o, &filing, &f->id, &head, &error);
  return error;
}

/* assign (f, now, id, reviewer..., NULL) */
static GError *
assign (Fixture *f, const char *now, const char *id, ...)
{
  g_autoptr (GPtrArray) reviewers = g_ptr_array_new ();
  va_list ap;
  va_start (ap, id);
  for (const char *r; (r = va_arg (ap, const char *)) != NULL;)
    g_ptr_array_add (reviewers, (gpointer) r);
  va_end (ap);
  g_ptr_array_add (reviewers, NULL);
  GError *error = NULL;
  g_autofree char *head = NULL;
  const QtLifecycleOptions o = at (f, now);
  qt_appeal_assign (&o, id, (const char *const *) reviewers->pdata, &head, &error);
  return error;
}

static GError *
vote (Fixture *f, const char *now, const char *id, const char *as, gboolean uphold)
{
  GError *error = NULL;
  g_autofree char *head = NULL;
  const char *decided = NULL;
  const QtLifecycleOptions o = at (f, now);
  qt_appeal_vote (&o, id, as, uphold, NULL, &decided, &head, &error);
  return error;
}

static GError *
recalc (Fixture *f, const char *now)
{
  GError *error = NULL;
  g_autofree char *head = NULL;
  guint applied = 0, revision = 0;
  const QtLifecycleOptions o = at (f, now);
  qt_recalc (&o, &applied, &revision, &head, &error);
  return error;
}

static GError *
close_run (Fixture *f, const char *now)
{
  GError *error = NULL;
  g_autofree char *head = NULL;
  const QtLifecycleOptions o = at (f, now);
  qt_close (&o, &head, &error);
  return error;
}

static GError *
prior_period (Fixture *f, const char *data, const char *period, const char *out)
{
  GError *error = NULL;
  guint rows = 0;
  const QtPriorPeriodOptions o = { at (f, AFTER), data, f->place->plans, period, out, 1 };
  qt_prior_period (&o, &rows, &error);
  return error;
}

/* ---- what must come of them ---- */

/* Done: the journal grew; it is the new reference. */
static void
done (Fixture *f, GError *error)
{
  if (error != NULL)
    fail_msg ("expected success, got: %s", error->message);
  g_autofree char *now = qt_test_read (f->journal_path);
  assert_non_null (now);
  assert_true (f->journal == NULL || (strlen (now) > strlen (f->journal)
                                      && g_str_has_prefix (now, f->journal)));
  g_free (f->journal);
  f->journal = g_steal_pointer (&now);
}

/* Failed with `code` and a message holding `say`; the journal's bytes (or
 * its absence) as they were. */
static void
failed (Fixture *f, GError *error, QtErrorCode code, const char *say)
{
  if (error == NULL)
    fail_msg ("expected the error '%s', the action was done", say);
  if (error->code != (int) code || strstr (error->message, say) == NULL)
    fail_msg ("expected code %d and '%s', got %d: %s", code, say, error->code, error->message);
  g_error_free (error);
  g_autofree char *now = qt_test_read (f->journal_path);
  assert_true (g_strcmp0 (now, f->journal) == 0);
}

#define refused(f, error, say) failed (f, error, QT_ERROR_REFUSED, say)
#define bad_input(f, error, say) failed (f, error, QT_ERROR_USAGE, say)

static void
publish_and_file (Fixture *f)
{
  done (f, publish (f, PUBLISHED, PAYOUT));
  done (f, file (f, IN_WINDOW, "R201", "activity:nps", "72", NULL));
  assert_string_equal (f->id, "A1");
}

/* ---- the rules ---- */

static void
test_draft_refuses_all_but_publish (void **state)
{
  Fixture *f = *state;
  refused (f, file (f, IN_WINDOW, "R201", "adjustment", "10", NULL), "not published");
  refused (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL), "not published");
  refused (f, vote (f, IN_WINDOW, "A1", "R301", TRUE), "not published");
  refused (f, recalc (f, IN_WINDOW), "not published");
  refused (f, close_run (f, IN_WINDOW), "not published");
  refused (f, publish (f, PUBLISHED, PUBLISHED), "is not later than now");
  refused (f, publish (f, PAYOUT, PUBLISHED), "is not later than now");
  bad_input (f, publish (f, PUBLISHED, "2026-06-10 09:00"), "is not a timestamp");
  bad_input (f, publish (f, "yesterday", PAYOUT), "is not a timestamp");
  done (f, publish (f, PUBLISHED, PAYOUT));
  refused (f, publish (f, PUBLISHED, PAYOUT), "publish refused: the run is published already");
}

static void
test_window_bounds (void **state)
{
  Fixture *f = *state;
  done (f, publish (f, PUBLISHED, PAYOUT));
  refused (f, file (f, "2026-06-07T08:59:59+08:00", "R201", "adjustment", "10", NULL),
           "outside the appeal window");
  /* the same instant in another offset: still one second early */
  refused (f, file (f, "2026-06-07T00:59:59Z", "R201", "adjustment", "10", NULL),
           "outside the appeal window");
  done (f, file (f, WINDOW_OPENS, "R201", "adjustment", "10", NULL));
  done (f, file (f, LAST_SECOND, "R202", "adjustment", "10", NULL));
  refused (f, file (f, PAYOUT, "R203", "adjustment", "10", NULL), "outside the appeal window");
  refused (f, file (f, AFTER, "R203", "adjustment", "10", NULL), "outside the appeal window");
  /* history is not backdated: LAST_SECOND is in the journal */
  refused (f, file (f, IN_WINDOW, "R203", "adjustment", "10", NULL), "is not backdated");
  assert_null (f->id); /* a refused filing gives no id */
}

static void
test_filing_rules (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  refused (f, file (f, IN_WINDOW, "R100", "adjustment", "10", NULL), "no appeals section");
  refused (f, file (f, IN_WINDOW, "R201", "activity:nps", "70", NULL), "A1 on activity:nps is still undecided");
  /* another item of the same rep is no conflict */
  done (f, file (f, IN_WINDOW, "R201", "adjustment", "10", NULL));
  assert_string_equal (f->id, "A2");
  done (f, file (f, IN_WINDOW, "R202", "split:O2604-0349", "R202=0.25", "R201=0.75", NULL));
  assert_string_equal (f->id, "A3");
}

static void
test_filing_bad_input (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  bad_input (f, file (f, IN_WINDOW, "R999", "adjustment", "10", NULL), "'R999' is not a rep");
  bad_input (f, file (f, IN_WINDOW, "R201", "bonus", "10", NULL), "is not activity:METRIC");
  bad_input (f, file (f, IN_WINDOW, "R201", "activity:nope", "1", NULL), "nope is not a metric");
  bad_input (f, file (f, IN_WINDOW, "R201", "activity:nps", "1", "2", NULL), "exactly one --claim");
  bad_input (f, file (f, IN_WINDOW, "R201", "adjustment", "0.00", NULL), "must not be zero");
  bad_input (f, file (f, IN_WINDOW, "R201", "adjustment", "1e3", NULL), "is not a decimal");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:NO-SUCH", "R201=1", NULL), "no such order");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R201=0.5", "R202=0.4", NULL),
             "sum to 0.9, not exactly 1");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R202=1", NULL),
             "the appellant R201 must be among");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R201=0.5", "R201=0.5", NULL),
             "claimed twice");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R201=1", "R202=0", NULL),
             "greater than 0");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R201", NULL), "is not REP=SHARE");
  bad_input (f, file (f, IN_WINDOW, "R201", "split:O2604-0349", "R201=0.5", "R999=0.5", NULL),
             "'R999' is not a rep");
}

static void
test_assign_rules (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  const char *t = IN_WINDOW;
  refused (f, assign (f, t, "A1", "R201", "R301", NULL), "R201 is the appellant of A1");
  refused (f, assign (f, t, "A1", "R301", "R202", NULL), "R202 is in R201's team NORTH");
  refused (f, assign (f, t, "A1", "R200", "R301", NULL), "R200 is in R201's team");
  refused (f, assign (f, t, "A1", "R301", "R000", NULL), "R000 is a manager of R201");
  refused (f, assign (f, t, "A1", "R301", NULL), "needs exactly 2 reviewers, 1 given");
  refused (f, assign (f, t, "A1", "R301", "R401", "R101", NULL), "needs exactly 2 reviewers, 3 given");
  refused (f, assign (f, t, "A1", "R301", "R301", NULL), "named twice");
  bad_input (f, assign (f, t, "A1", "R301", "R999", NULL), "'R999' is not a rep");
  bad_input (f, assign (f, t, "A9", "R301", "R401", NULL), "no appeal 'A9'");
  bad_input (f, assign (f, t, "a1", "R301", "R401", NULL), "no appeal 'a1'");
  done (f, assign (f, t, "A1", "R301", "R401", NULL));
  refused (f, assign (f, t, "A1", "R302", "R402", NULL), "A1 is assigned already");
}

/* A manager's manager counts too: R100's appeal may not go to R000, who
 * is in another team (HQ). */
static void
test_assign_manager_chain (void **state)
{
  Fixture *f = *state;
  done (f, publish (f, PUBLISHED, PAYOUT));
  done (f, file (f, IN_WINDOW, "R101", "adjustment", "10", NULL));
  refused (f, assign (f, IN_WINDOW, "A1", "R301", "R100", NULL), "R100 is in R101's team EAST");
  refused (f, assign (f, IN_WINDOW, "A1", "R000", "R301", NULL), "R000 is a manager of R101");
  done (f, assign (f, IN_WINDOW, "A1", "R200", "R301", NULL));
}

static void
test_vote_rules (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  const char *t = IN_WINDOW;
  refused (f, vote (f, t, "A1", "R301", TRUE), "R301 is not an assigned reviewer of A1");
  done (f, assign (f, t, "A1", "R301", "R401", NULL));
  refused (f, vote (f, t, "A1", "R302", TRUE), "R302 is not an assigned reviewer of A1");
  refused (f, vote (f, t, "A1", "R201", TRUE), "R201 is not an assigned reviewer of A1");
  bad_input (f, vote (f, t, "A1", "R999", TRUE), "'R999' is not a rep");
  bad_input (f, vote (f, t, "A2", "R301", TRUE), "no appeal 'A2'");
  done (f, vote (f, t, "A1", "R301", TRUE));
  refused (f, vote (f, t, "A1", "R301", FALSE), "R301 has voted on A1 already");
  done (f, vote (f, t, "A1", "R401", FALSE));
  refused (f, vote (f, t, "A1", "R401", TRUE), "A1 is decided already");
  /* rejected: nothing to apply, and close is allowed */
  done (f, close_run (f, t));
}

static void
test_close_rules (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  const char *t = IN_WINDOW;
  refused (f, close_run (f, t), "appeal A1 is undecided");
  done (f, assign (f, t, "A1", "R301", "R401", NULL));
  refused (f, close_run (f, t), "appeal A1 is undecided");
  done (f, vote (f, t, "A1", "R301", TRUE));
  refused (f, close_run (f, t), "appeal A1 is undecided");
  done (f, vote (f, t, "A1", "R401", TRUE));
  refused (f, close_run (f, t), "A1 is upheld but not applied");
  done (f, recalc (f, t));
  done (f, close_run (f, t));
  /* after close every lifecycle command is refused */
  refused (f, publish (f, t, PAYOUT), "publish refused: the run is closed already");
  refused (f, file (f, t, "R202", "adjustment", "10", NULL), "the run is closed, not published");
  refused (f, assign (f, t, "A1", "R302", "R402", NULL), "the run is closed, not published");
  refused (f, vote (f, t, "A1", "R301", TRUE), "the run is closed, not published");
  refused (f, recalc (f, t), "the run is closed, not published");
  refused (f, close_run (f, t), "the run is closed, not published");
}

/* recalc with nothing to apply changes nothing (and is no error). */
static void
test_recalc_nothing (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  g_autofree char *listing = qt_test_listing (f->place->out);
  assert_null (recalc (f, IN_WINDOW));
  g_autofree char *after = qt_test_listing (f->place->out);
  assert_string_equal (after, listing);
  g_autofree char *journal = qt_test_read (f->journal_path);
  assert_string_equal (journal, f->journal);
}

/* ---- prior-period ---- */

/* The demo data with one adjustment more for R201 and one less for R102:
 * their totals move by +99.99 and −1200.00. */
static char *
corrected_data (Fixture *f)
{
  char *data = g_build_filename (f->place->tmp, "corrected", NULL);
  qt_test_copy_dir (DEMO "/data", data);
  g_autofree char *adj = g_build_filename (data, "adjustments.csv", NULL);
  g_autofree char *text = qt_test_read (adj);
  g_autoptr (GRegex) re = g_regex_new ("^ADJ-2605-01,R102,[^\n]*\n", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *less = g_regex_replace_literal (re, text, -1, 0, "", 0, NULL);
  assert_string_not_equal (less, text);
  g_autofree char *more = g_strconcat (less, "LATE-1,R201,2026-05,99.99,late\n", NULL);
  qt_test_write (adj, more);
  return data;
}

static void
test_prior_period (void **state)
{
  Fixture *f = *state;
  g_autofree char *data = corrected_data (f);
  g_autofree char *out = g_build_filename (f->place->tmp, "ppa", "2026-05.csv", NULL);
  refused (f, prior_period (f, data, "2026-06", out), "the run is draft, not closed");
  publish_and_file (f);
  refused (f, prior_period (f, data, "2026-06", out), "the run is published, not closed");
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  done (f, vote (f, IN_WINDOW, "A1", "R301", FALSE));
  done (f, vote (f, IN_WINDOW, "A1", "R401", FALSE));
  done (f, close_run (f, IN_WINDOW));
  refused (f, prior_period (f, data, "2026-05", out), "--period 2026-05 is not later than");
  refused (f, prior_period (f, data, "2025-12", out), "--period 2025-12 is not later than");
  bad_input (f, prior_period (f, data, "2026-13", out), "is not a month");
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_autofree char *listing = qt_test_listing (f->place->out);
  assert_null (prior_period (f, data, "2026-06", out));
  g_autofree char *rows = qt_test_read (out);
  assert_string_equal (rows, "adjustment_id,rep_id,period,amount,reason\n"
                             "PPA-2026-05-R102,R102,2026-06,-1200.00,prior-period correction of 2026-05\n"
                             "PPA-2026-05-R201,R201,2026-06,99.99,prior-period correction of 2026-05\n");
  bad_input (f, prior_period (f, data, "2026-06", out), "the file already exists");
  g_autofree char *kept = qt_test_read (out);
  assert_string_equal (kept, rows);
  /* the closed run is not touched */
  g_autofree char *after = qt_test_listing (f->place->out);
  assert_string_equal (after, listing);
  /* nor trusted blindly: a payout.csv edited after the close is refused */
  g_autofree char *payout = g_build_filename (f->place->out, "payout.csv", NULL);
  g_autofree char *text = qt_test_read (payout);
  g_autofree char *edited = g_strconcat (text, "R999,Nobody,CNY,0.00,0.00,0.00,0.00,0.00,0.00\n", NULL);
  qt_test_write (payout, edited);
  g_autofree char *out2 = g_build_filename (f->place->tmp, "ppa", "again.csv", NULL);
  failed (f, prior_period (f, data, "2026-06", out2), QT_ERROR_MALFORMED,
          "payout.csv:1:1: not the file the closed run recorded");
  assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));
}

/* The uncorrected data gives no rows: a header alone. */
static void
test_prior_period_no_change (void **state)
{
  Fixture *f = *state;
  done (f, publish (f, PUBLISHED, PAYOUT));
  done (f, close_run (f, IN_WINDOW));
  g_autofree char *out = g_build_filename (f->place->tmp, "none.csv", NULL);
  assert_null (prior_period (f, DEMO "/data", "2026-07", out));
  g_autofree char *rows = qt_test_read (out);
  assert_string_equal (rows, "adjustment_id,rep_id,period,amount,reason\n");
  g_autofree char *missing = g_build_filename (f->place->tmp, "missing", NULL);
  g_autofree char *out2 = g_build_filename (f->place->tmp, "none2.csv", NULL);
  GError *error = prior_period (f, missing, "2026-07", out2);
  assert_non_null (error);
  assert_int_not_equal (error->code, QT_ERROR_REFUSED);
  g_error_free (error);
  assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));
}

/* A line forged with a valid chain still has to follow the rules: replay
 * names it (verify then exits 1). */
static void
forge (Fixture *f, const char *event, cJSON *data, const char *say)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (QtJournal) j = qt_journal_read (f->place->out, FALSE, &error);
  assert_non_null (j);
  g_autofree char *line = qt_journal_add (j, IN_WINDOW, event, data);
  assert_true (qt_journal_write (f->place->out, j, line, &error));
  g_autoptr (QtJournal) again = qt_journal_read (f->place->out, FALSE, &error);
  assert_non_null (again);
  g_autoptr (QtLifecycle) lc = qt_lifecycle_replay (f->place->out, again, &error);
  assert_null (lc);
  g_autofree char *want = g_strdup_printf ("journal.jsonl:%u: %s", again->entries->len, say);
  if (strstr (error->message, want) == NULL)
    fail_msg ("wanted '%s', got: %s", want, error->message);
}

static cJSON *
vote_json (const char *reviewer, const char *vote)
{
  cJSON *d = cJSON_CreateObject ();
  cJSON_AddStringToObject (d, "appeal", "A1");
  cJSON_AddStringToObject (d, "reviewer", reviewer);
  cJSON_AddStringToObject (d, "vote", vote);
  return d;
}

static void
test_replay_refuses_forged_vote (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  forge (f, "voted", vote_json ("R302", "uphold"), "a vote by someone not assigned");
}

static void
test_replay_refuses_second_vote (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  done (f, vote (f, IN_WINDOW, "A1", "R301", TRUE));
  forge (f, "voted", vote_json ("R301", "uphold"), "a second vote by the same reviewer");
}

static void
test_replay_refuses_wrong_decision (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  done (f, vote (f, IN_WINDOW, "A1", "R301", TRUE));
  cJSON *d = cJSON_CreateObject ();
  cJSON_AddStringToObject (d, "appeal", "A1");
  cJSON_AddStringToObject (d, "decision", "upheld");
  forge (f, "decided", d, "a decision that is not what the votes say");
}

/* A filed line whose claims its item cannot take (written by hand: the
 * command refuses them) is refused by the replay, whatever reads the
 * journal next; recalc once crashed on them. */
static void
test_replay_refuses_unfit_claims (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  const char *const cases[][2] = {
    { "split:O2604-0349", "R202" },   /* a split claim is REP=SHARE */
    { "adjustment", NULL },           /* an adjustment claims its amount */
    { "bogus", "10" },                /* no such kind of item */
  };
  g_autofree char *journal = qt_test_read (f->journal_path);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      qt_test_write (f->journal_path, journal); /* each forged after A1 alone */
      cJSON *d = cJSON_CreateObject ();
      cJSON_AddStringToObject (d, "appeal", "A2");
      cJSON_AddStringToObject (d, "rep", "R202");
      cJSON_AddStringToObject (d, "item", cases[i][0]);
      cJSON *claims = cJSON_AddArrayToObject (d, "claims");
      if (cases[i][1] != NULL)
        cJSON_AddItemToArray (claims, cJSON_CreateString (cases[i][1]));
      cJSON_AddStringToObject (d, "reason", "by hand");
      cJSON_AddArrayToObject (d, "evidence");
      forge (f, "filed", d, "filed with claims its item does not take");
    }
}

/* verify of a revised, closed run; the mismatches it reports (none: NULL). */
static char *
verify_mismatches (Fixture *f, guint *history)
{
  QtVerifyOptions o = { .kind = QT_RUN_COMMISSION, .threads = 1 };
  QtVerifyReport report;
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_lifecycle_verify (f->place->out, NULL, &o, &report, &error);
  assert_true (ok == (report.mismatches->len == 0));
  *history = report.history_files;
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < report.mismatches->len; i++)
    {
      const QtVerifyMismatch *m = g_ptr_array_index (report.mismatches, i);
      g_string_append_printf (s, "%s\n", m->file);
    }
  qt_verify_report_clear (&report);
  return ok ? (g_string_free (s, TRUE), NULL) : g_string_free (s, FALSE);
}

/* Earlier revisions and the manifests the journal names are checked too. */
static void
test_verify_history (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  done (f, vote (f, IN_WINDOW, "A1", "R301", TRUE));
  done (f, vote (f, IN_WINDOW, "A1", "R401", TRUE));
  done (f, recalc (f, IN_WINDOW));
  done (f, close_run (f, IN_WINDOW));
  guint history = 0;
  assert_null (verify_mismatches (f, &history));
  assert_int_equal (history, 2 + 1 + 41 * 2 + 5); /* two manifests; revision 0's manifest,
                                                     statements and tables */
  g_autofree char *stmt = g_build_filename (f->place->out, "revisions", "0", "statements",
                                            "R105.txt", NULL);
  g_autofree char *text = qt_test_read (stmt);
  g_autofree char *edited = g_strconcat (text, " ", NULL);
  qt_test_write (stmt, edited);
  g_autofree char *got = verify_mismatches (f, &history);
  assert_string_equal (got, "revisions/0/statements/R105.txt\n");
  qt_test_write (stmt, text);
  g_autofree char *manifest = g_build_filename (f->place->out, "revisions", "0", "manifest.json", NULL);
  g_autofree char *m = qt_test_read (manifest);
  g_autofree char *m2 = g_strconcat (m, "\n", NULL);
  qt_test_write (manifest, m2);
  g_autofree char *got2 = verify_mismatches (f, &history);
  assert_string_equal (got2, "revisions/0/manifest.json\n");
}

/* A command killed mid-append leaves a line without its newline: verify
 * names it, the entries before stay intact, and the next command that
 * appends cuts it off first. */
static void
test_torn_tail (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  g_autofree char *torn = g_strconcat (f->journal, "{\"seq\":3,\"at\":\"2026-06-08T09:", NULL);
  qt_test_write (f->journal_path, torn);
  QtVerifyOptions o = { .kind = QT_RUN_COMMISSION, .threads = 1 };
  QtVerifyReport report;
  g_autoptr (GError) error = NULL;
  assert_false (qt_lifecycle_verify (f->place->out, NULL, &o, &report, &error));
  qt_verify_report_clear (&report);
  assert_non_null (strstr (error->message, "journal.jsonl:3: incomplete last line"));
  /* read-only commands see the intact entries */
  g_autoptr (QtJournal) j = qt_journal_read (f->place->out, TRUE, NULL);
  assert_int_equal (j->entries->len, 2);
  assert_true (j->torn);
  done (f, file (f, IN_WINDOW, "R202", "adjustment", "10", NULL));
  assert_string_equal (f->id, "A2");
  g_autoptr (GError) error2 = NULL;
  assert_true (qt_lifecycle_verify (f->place->out, NULL, &o, &report, &error2));
  qt_verify_report_clear (&report);
}

/* A crash that kept the last vote but tore the `decided` line written
 * with it: the next command adds the decision the votes give (at the last
 * vote's time) before its own line, and the month can close. */
static void
test_decision_completed_after_a_crash (void **state)
{
  Fixture *f = *state;
  publish_and_file (f);
  done (f, assign (f, IN_WINDOW, "A1", "R301", "R401", NULL));
  done (f, vote (f, IN_WINDOW, "A1", "R301", TRUE));
  done (f, vote (f, IN_WINDOW, "A1", "R401", FALSE));
  char *last = g_strrstr (f->journal, "\n{");
  assert_non_null (strstr (last, "\"event\":\"decided\""));
  last[1] = '\0';
  qt_test_write (f->journal_path, f->journal);
  done (f, close_run (f, AFTER));
  assert_non_null (strstr (f->journal, "\"at\":\"" IN_WINDOW "\",\"event\":\"decided\""));
  assert_non_null (strstr (f->journal, "\"decision\":\"rejected\""));
  assert_non_null (strstr (f->journal, "\"event\":\"closed\""));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_draft_refuses_all_but_publish, setup, teardown),
    cmocka_unit_test_setup_teardown (test_window_bounds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_filing_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_filing_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown (test_assign_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_assign_manager_chain, setup, teardown),
    cmocka_unit_test_setup_teardown (test_vote_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_close_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_recalc_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_prior_period, setup, teardown),
    cmocka_unit_test_setup_teardown (test_verify_history, setup, teardown),
    cmocka_unit_test_setup_teardown (test_torn_tail, setup, teardown),
    cmocka_unit_test_setup_teardown (test_decision_completed_after_a_crash, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replay_refuses_forged_vote, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replay_refuses_second_vote, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replay_refuses_wrong_decision, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replay_refuses_unfit_claims, setup, teardown),
    cmocka_unit_test_setup_teardown (test_prior_period_no_change, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
