/* tests/test_money_paths.c — the engine and every report give the same
 * bytes with the money module's fast path and through GMP alone
 * (qt_money_set_fast_path), on the golden and demo data sets and on a
 * data set whose values do not fit the fast path (long decimals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calc/engine.h"
#include "loaders/dataset_loader.h"
#include "model/money.h"
#include "reports/output.h"
#include "reports/statement.h"
#include "support/test_support.h"

/* Every file a run renders (tables and statements), sorted by name. */
static GPtrArray *
render (const QtDataset *ds, const QtPlanSet *plans, QtPeriod period, gboolean fast)
{
  qt_money_set_fast_path (fast);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtRunResult) res = qt_engine_run (ds, plans, period, NULL, &error);
  assert_non_null (res);
  GPtrArray *files = qt_output_list_new ();
  qt_report_tables (res, files);
  qt_report_statements_threads (res, files, 1);
  qt_output_sort (files);
  qt_money_set_fast_path (TRUE);
  return files;
}

static void
assert_same_bytes (GPtrArray *a, GPtrArray *b)
{
  assert_int_equal (a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const QtOutputFile *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);
      assert_string_equal (x->name, y->name);
      if (!g_bytes_equal (x->bytes, y->bytes))
        fail_msg ("%s differs between the fast path and GMP", x->name);
    }
}

static void
check_periods (const char *data, const char *plans_dir, const char *const *periods)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (data, NULL, &error);
  assert_non_null (ds);
  g_autoptr (QtPlanSet) plans = qt_plan_set_load_dir (plans_dir, &error);
  assert_non_null (plans);
  for (guint i = 0; periods[i] != NULL; i++)
    {
      QtPeriod period;
      assert_true (qt_period_parse (periods[i], strlen (periods[i]), &period));
      g_autoptr (GPtrArray) fast = render (ds, plans, period, TRUE);
      g_autoptr (GPtrArray) slow = render (ds, plans, period, FALSE);
      assert_true (fast->len > 8);
      assert_same_bytes (fast, slow);
    }
}

static void
test_golden (void **state)
{
  (void) state;
  g_autofree char *data = qt_test_source_path ("fixtures/golden/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/golden/plans");
  const char *const periods[] = { "2026-01", "2026-02", "2026-03", NULL };
  check_periods (data, plans, periods);
}

static void
test_demo (void **state)
{
  (void) state;
  g_autofree char *data = qt_test_source_path ("fixtures/demo/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/demo/plans");
  const char *const periods[] = { "2026-04", "2026-05", "2026-06", NULL };
  check_periods (data, plans, periods);
}

/* Appends `suffix` to field `col` of every data row of dir/file: amounts
 * and prices then carry 20 more digits, past every 64- and 128-bit path. */
static void
lengthen_column (const char *dir, const char *file, guint col, const char *suffix)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = qt_test_read (path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      g_assert (col < g_strv_length (fields));
      if (i > 0 && strchr (fields[col], '.') != NULL)
        {
          char *longer = g_strconcat (fields[col], suffix, NULL);
          g_free (fields[col]);
          fields[col] = longer;
        }
      g_autofree char *line = g_strjoinv (",", fields);
      g_string_append_printf (out, "%s\n", line);
    }
  qt_test_write (path, out->str);
}

static void
test_long_values (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *data = NULL, *plans = NULL;
  qt_test_copy_golden (tmp, &data, &plans);
  lengthen_column (data, "receipts.csv", 3, "00000000000000000001");
  lengthen_column (data, "order_lines.csv", 4, "0000000000000000000000007");
  const char *const periods[] = { "2026-02", "2026-03", NULL };
  check_periods (data, plans, periods);
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_golden),
    cmocka_unit_test (test_demo),
    cmocka_unit_test (test_long_values),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
