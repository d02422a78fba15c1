/* tests/e2e_report.c — `quotient report`:
 *   - the site of golden 2026-03 (with 2026-02 before it) byte for byte
 *     against fixtures/golden/expected/site-2026-03 (read once by hand);
 *   - a hostile rep name renders as text, never as markup;
 *   - refusals: an existing --out, an output changed since the run,
 *     missing options — nothing written;
 *   - the pages opened in headless Chromium: a rep page's rendered total,
 *     a credit line and the tier gap, one bar per tier and per score item,
 *     and the hostile name as text in the rendered DOM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "support/test_support.h"

#define HOSTILE "<script>alert(1)</script> O'Brien & Sons"

/* Runs 2026-02 and 2026-03 of the place's data set into runs/. */
static void
two_runs (const QtTestPlace *f, char **feb, char **mar)
{
  *feb = g_build_filename (f->runs, "2026-02", NULL);
  *mar = g_build_filename (f->runs, "2026-03", NULL);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-02", "--out", *feb, NULL), 0);
  assert_int_equal (qt_test_run (NULL, NULL, "run", "--data", f->data, "--plans", f->plans,
                                 "--period", "2026-03", "--out", *mar, NULL), 0);
}

static char *
site (const QtTestPlace *f, const char *feb, const char *mar)
{
  char *out = g_build_filename (f->tmp, "site", NULL);
  g_autofree char *said = NULL;
  assert_int_equal (qt_test_run (&said, NULL, "report", "--run", mar, "--previous", feb, "--out",
                                 out, NULL), 0);
  g_autofree char *want = g_strdup_printf ("quotient report: %s: 6 rep pages, 2 manager pages "
                                           "and index.html\n", out);
  assert_string_equal (said, want);
  return out;
}

static void
test_golden_site (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *feb = NULL, *mar = NULL;
  two_runs (f, &feb, &mar);
  g_autofree char *out = site (f, feb, mar);
  qt_test_assert_same_tree (out, QT_SOURCE_DIR "/fixtures/golden/expected/site-2026-03", ".");
}

/* B2 renamed to markup, with an apostrophe and an ampersand. */
static void
hostile_name (const QtTestPlace *f)
{
  g_autofree char *reps = g_build_filename (f->data, "reps.csv", NULL);
  g_autofree char *text = qt_test_read (reps);
  g_auto (GStrv) parts = g_strsplit (text, "B2,Dev Patel,", 2);
  g_autofree char *hostile = g_strjoinv ("B2," HOSTILE ",", parts);
  qt_test_write (reps, hostile);
}

static void
test_hostile_name_is_text (void **state)
{
  QtTestPlace *f = *state;
  hostile_name (f);
  g_autofree char *feb = NULL, *mar = NULL;
  two_runs (f, &feb, &mar);
  g_autofree char *out = site (f, feb, mar);
  const char *pages[] = { "reps/B2.html", "index.html", "managers/M2.html" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = g_build_filename (out, pages[i], NULL);
      g_autofree char *html = qt_test_read (path);
      assert_non_null (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; Sons"));
      assert_null (strstr (html, "<script"));
    }
}

/* A name a spreadsheet would run as a formula: guarded in every CSV
 * output, as it is in payout.json, and the guard never shows on a page
 * (quotient reads its own CSV outputs back without it). */
static void
test_formula_name_is_guarded (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *reps = g_build_filename (f->data, "reps.csv", NULL);
  g_autofree char *text = qt_test_read (reps);
  g_auto (GStrv) parts = g_strsplit (text, "B2,Dev Patel,", 2);
  g_autofree char *renamed = g_strjoinv ("B2,@SUM(1+1)*cmd,", parts);
  qt_test_write (reps, renamed);
  g_autofree char *feb = NULL, *mar = NULL;
  two_runs (f, &feb, &mar);
  g_autofree char *payout_path = g_build_filename (mar, "payout.csv", NULL);
  g_autofree char *payout = qt_test_read (payout_path);
  assert_non_null (strstr (payout, "\nB2,'@SUM(1+1)*cmd,CNY,"));
  /* numbers are never guarded: B2's refund R106b is negative in credits.csv */
  g_autofree char *credits_path = g_build_filename (mar, "credits.csv", NULL);
  g_autofree char *credits = qt_test_read (credits_path);
  assert_non_null (strstr (credits, "\nR106b,O106,1,B2,1,-2000,"));
  assert_null (strstr (credits, "'-"));
  g_autofree char *json_path = g_build_filename (mar, "payout.json", NULL);
  g_autofree char *json = qt_test_read (json_path);
  assert_non_null (strstr (json, "\"@SUM(1+1)*cmd\""));
  g_autofree char *out = site (f, feb, mar);
  g_autofree char *page = g_build_filename (out, "index.html", NULL);
  g_autofree char *html = qt_test_read (page);
  assert_non_null (strstr (html, "@SUM(1+1)*cmd"));
  assert_null (strstr (html, "'@SUM"));
  assert_null (strstr (html, "&#39;@SUM"));
}

static void
test_refusals (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *feb = NULL, *mar = NULL;
  two_runs (f, &feb, &mar);
  g_autofree char *out = g_build_filename (f->tmp, "site", NULL);
  g_autofree char *err = NULL;
  /* an existing --out is never written over */
  assert_int_equal (g_mkdir (out, 0755), 0);
  assert_int_equal (qt_test_run (NULL, &err, "report", "--run", mar, "--out", out, NULL), 2);
  assert_non_null (strstr (err, "the file already exists"));
  assert_int_equal (qt_test_count_entries (out), 0);
  assert_int_equal (g_rmdir (out), 0);
  /* an output changed since the run: exit 1, no site */
  g_autofree char *st = g_build_filename (mar, "statements", "A1.json", NULL);
  g_autofree char *text = qt_test_read (st);
  g_autofree char *edited = g_strconcat (text, " ", NULL);
  qt_test_write (st, edited);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "report", "--run", mar, "--out", out, NULL), 1);
  assert_non_null (strstr (err, "statements/A1.json: not the file the run wrote"));
  assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "report", "--run", mar, NULL), 2);
  assert_string_equal (err, "quotient report: --run and --out are required (see quotient report "
                            "--help)\n");
}

/* The DOM Chromium builds from `page`. (transfer full) */
static char *
rendered (const char *page)
{
  g_autofree char *url = g_strconcat ("file://", page, NULL);
  const char *argv[] = { "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                         "--dump-dom", url, NULL };
  char *dom = NULL;
  int rc = qt_test_spawn (&dom, NULL, NULL, argv);
  if (rc != 0)
    fail_msg ("chromium exited %d on %s", rc, page);
  return dom;
}

static guint
count (const char *text, const char *what)
{
  guint n = 0;
  for (const char *p = text; (p = strstr (p, what)) != NULL; p += strlen (what))
    n++;
  return n;
}

static void
test_in_a_browser (void **state)
{
  QtTestPlace *f = *state;
  hostile_name (f);
  g_autofree char *feb = NULL, *mar = NULL;
  two_runs (f, &feb, &mar);
  g_autofree char *out = site (f, feb, mar);
  g_autofree char *page = g_build_filename (out, "reps", "B2.html", NULL);
  g_autofree char *dom = rendered (page);
  assert_non_null (strstr (dom, "You are paid 8462.71 CNY"));
  assert_non_null (strstr (dom, "1291.67 more weighted credit reaches tier 3"));
  assert_non_null (strstr (dom, "<td>R306</td><td>O306</td><td>Nimbus Air</td>"));
  assert_int_equal (count (dom, "class=\"tier\""), 3);  /* field v2: three tiers */
  assert_int_equal (count (dom, "class=\"bar\""), 5);   /* five score items */
  /* the name is text in the rendered document: no script element */
  assert_non_null (strstr (dom, "&lt;script&gt;alert(1)&lt;/script&gt; O'Brien &amp; Sons"));
  assert_null (strstr (dom, "<script"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_golden_site, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_hostile_name_is_text, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_formula_name_is_guarded, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_refusals, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
    cmocka_unit_test_setup_teardown (test_in_a_browser, qt_test_place_setup_golden,
                                     qt_test_place_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
