/* tests/test_dataset_loader.c — loaders/dataset_loader: tables, interning,
 * keys (also past the chain limit), managers, optional files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "calc/amount.h"
#include "loaders/dataset_loader.h"
#include "model/qt_error.h"
#include "support/test_support.h"

#include <glib/gstdio.h>

typedef struct {
  char *tmp, *data;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->tmp = qt_test_tmpdir ();
  g_autofree char *plans = NULL;
  qt_test_copy_golden (f->tmp, &f->data, &plans);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->data);
  g_free (f);
  return 0;
}

static void
append (Fixture *f, const char *file, const char *text)
{
  g_autofree char *path = g_build_filename (f->data, file, NULL);
  g_autofree char *old = qt_test_read (path);
  g_autofree char *new_text = g_strconcat (old, text, NULL);
  qt_test_write (path, new_text);
}

/* The load error message with the data directory prefix removed. */
static char *
load_error (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, &error);
  assert_null (ds);
  assert_non_null (error);
  g_autofree char *prefix = g_strconcat (f->data, "/", NULL);
  assert_true (g_str_has_prefix (error->message, prefix));
  return g_strdup (error->message + strlen (prefix));
}

static void
test_golden_tables (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, &error);
  assert_null (error);
  assert_int_equal (ds->n_reps, 6);
  assert_int_equal (ds->n_orders, 23);
  assert_int_equal (ds->n_lines, 28);
  assert_int_equal (ds->n_receipts, 27);
  assert_int_equal (ds->n_splits, 2);
  assert_int_equal (ds->n_adjustments, 5);
  /* Interned: equal ids are one pointer, and know their rows. */
  assert_ptr_equal (ds->orders[0].order_id, ds->lines[0].order_id);
  assert_int_equal (qt_id_row (ds->reps[3].rep_id, QT_ID_REP), 3);
  assert_int_equal (qt_id_row (ds->receipts[0].order_id, QT_ID_ORDER), 0);
  assert_int_equal (ds->reps[1].manager, 0);  /* A1 → M1 */
  assert_int_equal (ds->reps[0].manager, -1);
  /* ADJ3 -40.005, exactly. */
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (ds->nums, ds->adjustments[2].amount, v);
  g_autofree char *txt = qt_exact_format (v);
  assert_string_equal (txt, "-40.005");
  assert_int_equal (ds->files->len, 10);
  const QtInputFile *first = g_ptr_array_index (ds->files, 0);
  assert_string_equal (first->name, "activities.csv");
  assert_int_equal (first->rows, 26);
}

/* Line keys are checked through a per-order chain up to 32 lines and a key
 * set beyond: a duplicate is found in both regions, at its second line. */
static void
test_line_key_past_chain_limit (void **state)
{
  Fixture *f = *state;
  GString *s = g_string_new (NULL);
  for (int i = 10; i <= 60; i++)
    g_string_append_printf (s, "O101,%d,SW,1,1.00,0.50\n", i);
  append (f, "order_lines.csv", s->str);
  g_string_free (s, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ok = qt_dataset_load_dir (f->data, &error);
  assert_null (error);
  assert_int_equal (ok->n_lines, 28 + 51);

  append (f, "order_lines.csv", "O101,45,SW,1,1.00,0.50\n");
  g_autofree char *late = load_error (f);
  assert_string_equal (late, "order_lines.csv:81:1: duplicate key order_id='O101', line_no='45' "
                             "(first on line 65)");
}

static void
test_line_key_early_duplicate (void **state)
{
  Fixture *f = *state;
  append (f, "order_lines.csv", "O307,2,SV,1,1.00,0.50\n");
  g_autofree char *msg = load_error (f);
  assert_string_equal (msg, "order_lines.csv:30:1: duplicate key order_id='O307', line_no='2' "
                            "(first on line 25)");
}

static void
test_manager_cycle (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->data, "reps.csv", NULL);
  qt_test_write (path, "rep_id,name,team_id,manager_id,plan_id\n"
                       "A,Ann,T,B,field\nB,Bob,T,A,field\n");
  g_autofree char *msg = load_error (f);
  assert_string_equal (msg, "reps.csv:2:4: rep 'A' is their own (indirect) manager: manager cycle");
}

/* Regression (review): a rep whose chain only leads into a cycle is not
 * blamed; the cycle's rep with the smallest line is. */
static void
test_manager_cycle_reported_on_cycle (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->data, "reps.csv", NULL);
  qt_test_write (path, "rep_id,name,team_id,manager_id,plan_id\n"
                       "M,Boss,T,,field\nA,Alice,T,B,field\nB,Bob,T,C,field\nC,Cy,T,B,field\n");
  g_autofree char *msg = load_error (f);
  assert_string_equal (msg, "reps.csv:4:4: rep 'B' is their own (indirect) manager: manager cycle");
}

/* A 50,000-deep chain loads (the cycle check is linear). */
static void
test_deep_manager_chain (void **state)
{
  Fixture *f = *state;
  GString *s = g_string_new ("rep_id,name,team_id,manager_id,plan_id\nR0,Top,T,,field\n");
  for (int i = 1; i < 50000; i++)
    g_string_append_printf (s, "R%d,Rep,T,R%d,field\n", i, i - 1);
  g_autofree char *path = g_build_filename (f->data, "reps.csv", NULL);
  qt_test_write (path, s->str);
  g_string_free (s, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, &error);
  assert_null (error);
  assert_int_equal (ds->n_reps, 50000);
  assert_int_equal (ds->reps[49999].manager, 49998);
}

static void
test_optional_files_absent (void **state)
{
  Fixture *f = *state;
  g_autofree char *splits = g_build_filename (f->data, "splits.csv", NULL);
  g_autofree char *adjs = g_build_filename (f->data, "adjustments.csv", NULL);
  assert_int_equal (g_unlink (splits), 0);
  assert_int_equal (g_unlink (adjs), 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, &error);
  assert_null (error);
  assert_int_equal (ds->n_splits, 0);
  assert_int_equal (ds->n_adjustments, 0);
  assert_int_equal (ds->files->len, 8);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_golden_tables, setup, teardown),
    cmocka_unit_test_setup_teardown (test_line_key_past_chain_limit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_line_key_early_duplicate, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manager_cycle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manager_cycle_reported_on_cycle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deep_manager_chain, setup, teardown),
    cmocka_unit_test_setup_teardown (test_optional_files_absent, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
