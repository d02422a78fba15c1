/* tests/e2e_determinism.c — SPEC §1.2: the same inputs give the same bytes
 * whatever the input row order, thread count, locale or time zone.
 *
 * The locale runs use de_DE.UTF-8 (a decimal comma, and a collation that
 * sorts "a" before "B" where C sorts "B" first), which .ci/deps.sh
 * generates.  Before comparing, the test proves that the locale and the
 * time zones really take effect in a child process; when they do not, it
 * fails and says why (set QT_TEST_ALLOW_MISSING_LOCALE=1 to skip instead):
 * a missing locale would otherwise fall back to C silently and the
 * comparison would prove nothing.  Today cli/main.c sets C.UTF-8 whatever
 * the environment says, and no output goes through printf's %f, strcoll or
 * the clock; these runs catch a change that would make a byte depend on
 * the environment all the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "support/test_support.h"

typedef struct {
  char *tmp;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->tmp = qt_test_tmpdir ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f);
  return 0;
}

#define OTHER_LOCALE "de_DE.UTF-8"

/* Runs the demo data set (period 2026-06) into tmp/`name` with the
 * environment changes `env`; returns the run directory and, in *summary,
 * what the run printed with that directory replaced by OUT. */
static char *
run_demo (Fixture *f, const char *data, const char *name, const char *const *env,
          char **summary)
{
  g_autofree char *plans = qt_test_source_path ("fixtures/demo/plans");
  char *out = g_build_filename (f->tmp, name, NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = qt_test_run_env (&so, &se, env, "run", "--data", data, "--plans", plans, "--period",
                            "2026-06", "--out", out, NULL);
  assert_int_equal (rc, 0);
  assert_string_equal (se, "");
  if (summary != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (so, out, -1);
      *summary = g_strjoinv ("OUT", parts);
    }
  return out;
}

/* stdout of `argv` run with the environment changes `env` (exit 0). */
static char *
child_output (const char *const *env, const char *const *argv)
{
  char *so = NULL;
  g_autofree char *se = NULL;
  int rc = qt_test_spawn (&so, &se, env, argv);
  if (rc != 0)
    fail_msg ("%s exited %d: %s", argv[0], rc, se);
  return so;
}

/* Fails (or skips, when QT_TEST_ALLOW_MISSING_LOCALE is set) with `why`. */
static void
environment_missing (const char *why)
{
  if (g_getenv ("QT_TEST_ALLOW_MISSING_LOCALE") != NULL)
    {
      print_message ("skipped: %s\n", why);
      skip ();
    }
  fail_msg ("%s — run `sh .ci/deps.sh` as root (it installs tzdata and generates " OTHER_LOCALE
            "), or set QT_TEST_ALLOW_MISSING_LOCALE=1 to skip the locale tests", why);
}

/* The other locale and both time zones take effect in a child process:
 * its decimal separator is a comma, its collation differs from C's and the
 * time zones are not UTC. */
static void
require_environment (void)
{
  const char *de[] = { "LC_ALL=" OTHER_LOCALE, NULL };
  const char *c[] = { "LC_ALL=C", NULL };
  const char *printf_argv[] = { "printf", "%.1f", "1.5", NULL };
  const char *sort_argv[] = { "sh", "-c", "printf 'B\\na\\n' | sort", NULL };
  g_autofree char *number = child_output (de, printf_argv);
  if (strcmp (number, "1,5") != 0)
    {
      g_autofree char *why = g_strdup_printf ("locale " OTHER_LOCALE " is not installed: "
                                              "printf %%.1f 1.5 under it printed '%s', not '1,5'",
                                              number);
      environment_missing (why);
    }
  g_autofree char *sorted_de = child_output (de, sort_argv);
  g_autofree char *sorted_c = child_output (c, sort_argv);
  assert_string_equal (sorted_de, "a\nB\n");
  assert_string_equal (sorted_c, "B\na\n");

  const char *zones[][2] = { { "TZ=Pacific/Kiritimati", "+1400" }, { "TZ=America/Adak", "-1000" } };
  for (gsize i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      const char *env[] = { zones[i][0], NULL };
      /* 2026-01-01T00:00:00Z: Kiritimati was UTC-10:40 in 1970. */
      const char *date_argv[] = { "date", "-d", "@1767225600", "+%z", NULL };
      g_autofree char *offset = child_output (env, date_argv);
      if (strcmp (g_strchomp (offset), zones[i][1]) != 0)
        {
          g_autofree char *why = g_strdup_printf ("time zone %s is not installed: its offset at "
                                                  "2026-01-01 is '%s', not %s",
                                                  zones[i][0] + 3, offset, zones[i][1]);
          environment_missing (why);
        }
    }
}

/* The checks above on their own, so that a missing locale shows as its
 * own failure. */
static void
test_environment_active (void **state)
{
  (void) state;
  require_environment ();
}

/* Run b's file `name` is byte-identical to run a's. */
static void
assert_same_file (const char *a_dir, const char *b_dir, const char *name)
{
  g_autofree char *a = g_build_filename (a_dir, name, NULL);
  g_autofree char *b = g_build_filename (b_dir, name, NULL);
  qt_test_assert_same_file (b, a);
}

/* Rewrites a CSV file with its data rows in a seeded random order. */
static void
shuffle_csv (const char *path, GRand *rand)
{
  g_autofree char *text = qt_test_read (path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  for (guint i = 1; i < n; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, lines[i]);
  for (guint i = rows->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      gpointer t = rows->pdata[i - 1];
      rows->pdata[i - 1] = rows->pdata[j];
      rows->pdata[j] = t;
    }
  GString *s = g_string_new (lines[0]);
  g_string_append_c (s, '\n');
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (s, "%s\n", (char *) rows->pdata[i]);
  qt_test_write (path, s->str);
  g_string_free (s, TRUE);
}

static gint
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* exceptions.csv without its line column, sorted: row order moves lines. */
static char *
exceptions_without_lines (const char *run)
{
  g_autofree char *path = g_build_filename (run, "exceptions.csv", NULL);
  g_autofree char *text = qt_test_read (path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], ",", 3);
      if (g_strv_length (cols) == 3)
        g_ptr_array_add (keys, g_strdup_printf ("%s,%s", cols[0], cols[2]));
    }
  g_ptr_array_sort (keys, str_ptr_cmp);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < keys->len; i++)
    g_string_append_printf (s, "%s\n", (char *) g_ptr_array_index (keys, i));
  return g_string_free (s, FALSE);
}

static void
test_shuffled_rows (void **state)
{
  Fixture *f = *state;
  g_autofree char *data = qt_test_source_path ("fixtures/demo/data");
  g_autofree char *shuffled = g_build_filename (f->tmp, "shuffled", NULL);
  qt_test_copy_dir (data, shuffled);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261125);
  const char *files[] = { "reps.csv", "customers.csv", "products.csv", "orders.csv",
                          "order_lines.csv", "splits.csv", "receipts.csv", "activities.csv",
                          "quotas.csv", "adjustments.csv" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (shuffled, files[i], NULL);
      shuffle_csv (path, rand);
    }
  g_autofree char *a = run_demo (f, data, "a", NULL, NULL);
  g_autofree char *b = run_demo (f, shuffled, "b", NULL, NULL);
  assert_same_file (a, b, "payout.csv");
  assert_same_file (a, b, "scores.csv");
  assert_same_file (a, b, "credits.csv");
  qt_test_assert_same_tree (b, a, "statements");
  g_autofree char *ea = exceptions_without_lines (a);
  g_autofree char *eb = exceptions_without_lines (b);
  assert_string_equal (ea, eb);
}

/* Two runs in the C locale and UTC, and runs under another locale and
 * other time zones: every byte of the run directory (manifest and snapshot
 * included) and of the printed summary is the same. */
static void
test_env_independent (void **state)
{
  Fixture *f = *state;
  require_environment ();
  g_autofree char *data = qt_test_source_path ("fixtures/demo/data");
  const char *env_c[] = { "LC_ALL=C", "LANG=C", "TZ=UTC", NULL };
  const char *env_de[] = { "LC_ALL=" OTHER_LOCALE, "TZ=Pacific/Kiritimati", NULL };
  /* No LC_ALL: each category from its own variable, then LANG. */
  const char *env_lang[] = { "LC_ALL", "LANG=" OTHER_LOCALE, "LC_NUMERIC=" OTHER_LOCALE,
                             "LC_COLLATE=" OTHER_LOCALE, "LC_TIME=" OTHER_LOCALE,
                             "TZ=America/Adak", NULL };
  g_autofree char *sa = NULL, *sb = NULL, *sc = NULL, *sd = NULL;
  g_autofree char *a = run_demo (f, data, "a", env_c, &sa);
  g_autofree char *b = run_demo (f, data, "b", env_c, &sb);
  g_autofree char *c = run_demo (f, data, "c", env_de, &sc);
  g_autofree char *d = run_demo (f, data, "d", env_lang, &sd);
  qt_test_assert_same_tree (b, a, ".");
  qt_test_assert_same_tree (c, a, ".");
  qt_test_assert_same_tree (d, a, ".");
  assert_non_null (strstr (sa, "payout total"));
  assert_string_equal (sb, sa);
  assert_string_equal (sc, sa);
  assert_string_equal (sd, sa);
}

/* One thread or two (rendering, sprint months, writing): the same bytes. */
static void
test_threads_independent (void **state)
{
  Fixture *f = *state;
  g_autofree char *data = qt_test_source_path ("fixtures/demo/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/demo/plans");
  g_autofree char *one = g_build_filename (f->tmp, "one", NULL);
  g_autofree char *two = g_build_filename (f->tmp, "two", NULL);
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL;
  assert_int_equal (qt_test_run (&o1, &e1, "run", "--data", data, "--plans", plans, "--period",
                                 "2026-06", "--out", one, "--threads", "1", NULL), 0);
  assert_int_equal (qt_test_run (&o2, &e2, "run", "--data", data, "--plans", plans, "--period",
                                 "2026-06", "--out", two, "--threads", "2", NULL), 0);
  qt_test_assert_same_tree (two, one, ".");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_shuffled_rows, setup, teardown),
    cmocka_unit_test (test_environment_active),
    cmocka_unit_test_setup_teardown (test_env_independent, setup, teardown),
    cmocka_unit_test_setup_teardown (test_threads_independent, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
