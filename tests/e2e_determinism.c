/* tests/e2e_determinism.c — SPEC §1.2: the same inputs give the same bytes
 * whatever the input row order, locale or time zone. */
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

static char *
run_demo (Fixture *f, const char *data, const char *name, const char *const *env)
{
  g_autofree char *plans = qt_test_source_path ("fixtures/demo/plans");
  char *out = g_build_filename (f->tmp, name, NULL);
  g_autofree char *so = NULL, *se = NULL;
  int rc = qt_test_run_env (&so, &se, env, "run", "--data", data, "--plans", plans, "--period",
                            "2026-06", "--out", out, NULL);
  assert_int_equal (rc, 0);
  return out;
}

static void
assert_same_file (const char *a_dir, const char *b_dir, const char *name)
{
  g_autofree char *a_path = g_build_filename (a_dir, name, NULL);
  g_autofree char *b_path = g_build_filename (b_dir, name, NULL);
  g_autofree char *a = qt_test_read (a_path);
  g_autofree char *b = qt_test_read (b_path);
  assert_non_null (a);
  assert_non_null (b);
  assert_string_equal (a, b);
}

/* Every file below `rel` of run a is byte-identical in run b. */
static void
assert_same_tree (const char *a, const char *b, const char *rel)
{
  g_autofree char *dir_path = g_build_filename (a, rel, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  assert_non_null (dir);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (rel, name, NULL);
      g_autofree char *full = g_build_filename (a, child, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        assert_same_tree (a, b, child);
      else
        assert_same_file (a, b, child);
      n++;
    }
  g_autofree char *other = g_build_filename (b, rel, NULL);
  assert_int_equal (qt_test_count_entries (other), n);
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
  g_autofree char *a = run_demo (f, data, "a", NULL);
  g_autofree char *b = run_demo (f, shuffled, "b", NULL);
  assert_same_file (a, b, "payout.csv");
  assert_same_file (a, b, "scores.csv");
  assert_same_file (a, b, "credits.csv");
  assert_same_tree (a, b, "statements");
  g_autofree char *ea = exceptions_without_lines (a);
  g_autofree char *eb = exceptions_without_lines (b);
  assert_string_equal (ea, eb);
}

/* Two runs, and runs under other locales and time zones: every byte of the
 * run directory (manifest and snapshot included) is the same. */
static void
test_env_independent (void **state)
{
  Fixture *f = *state;
  g_autofree char *data = qt_test_source_path ("fixtures/demo/data");
  const char *env_tz[] = { "TZ=Pacific/Kiritimati", NULL };
  const char *env_locale[] = { "LC_ALL=de_DE.UTF-8", "LANG=zh_CN.UTF-8", "TZ=America/Adak", NULL };
  g_autofree char *a = run_demo (f, data, "a", NULL);
  g_autofree char *b = run_demo (f, data, "b", NULL);
  g_autofree char *c = run_demo (f, data, "c", env_tz);
  g_autofree char *d = run_demo (f, data, "d", env_locale);
  assert_same_tree (a, b, ".");
  assert_same_tree (a, c, ".");
  assert_same_tree (a, d, ".");
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
  assert_same_tree (one, two, ".");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_shuffled_rows, setup, teardown),
    cmocka_unit_test_setup_teardown (test_env_independent, setup, teardown),
    cmocka_unit_test_setup_teardown (test_threads_independent, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
