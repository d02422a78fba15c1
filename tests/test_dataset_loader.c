/* tests/test_dataset_loader.c — loaders/dataset_loader: tables, interning,
 * keys (also past the chain limit), managers, optional files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/money.h"
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
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
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
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
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
  /* Each order knows its customer's row (H1 names K01, the first). */
  assert_int_equal (ds->orders[0].customer_row, 0);
  for (guint o = 0; o < ds->n_orders; o++)
    assert_int_equal (ds->orders[o].customer_row,
                      qt_id_row (ds->orders[o].customer_id, QT_ID_CUSTOMER));
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

/* An order naming no customer of customers.csv keeps row -1 (the
 * calculation reports it), as does one naming a rep's id. */
static void
test_order_unknown_customer (void **state)
{
  Fixture *f = *state;
  append (f, "orders.csv", "O901,K99,A1,2026-03-01,paid\nO902,A1,A1,2026-03-02,paid\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
  assert_null (error);
  assert_int_equal (ds->orders[ds->n_orders - 2].customer_row, -1);
  assert_int_equal (ds->orders[ds->n_orders - 1].customer_row, -1);
  assert_int_equal (ds->orders[ds->n_orders - 3].customer_row,
                    qt_id_row (ds->orders[ds->n_orders - 3].customer_id, QT_ID_CUSTOMER));
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
  g_autoptr (QtDataset) ok = qt_dataset_load_dir (f->data, NULL, &error);
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

/* receipts.csv's own key, in ascending order or not: a repeat is reported
 * at its second line, naming the first; unique ids load in file order. */
static void
test_receipt_key (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->data, "receipts.csv", NULL);
  const char *head = "receipt_id,order_id,received_on,amount\n";
  /* ascending throughout: loads, in file order */
  g_autofree char *up = g_strconcat (head, "A1,O101,2026-01-20,1.00\nA2,O101,2026-01-21,2.00\n"
                                           "B1,O102,2026-01-22,3.00\n", NULL);
  qt_test_write (path, up);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
  assert_null (error);
  assert_int_equal (ds->n_receipts, 3);
  assert_string_equal (ds->receipts[2].receipt_id, "B1");
  assert_int_equal (ds->receipts[2].order_row, qt_id_row (ds->receipts[2].order_id, QT_ID_ORDER));
  /* a repeat right after an ascending run */
  g_autofree char *again = g_strconcat (head, "A1,O101,2026-01-20,1.00\nA2,O101,2026-01-21,2.00\n"
                                              "A2,O102,2026-01-22,3.00\n", NULL);
  qt_test_write (path, again);
  g_autofree char *a = load_error (f);
  assert_string_equal (a, "receipts.csv:4:1: duplicate key receipt_id='A2' (first on line 3)");
  /* out of order, then a repeat of an id read while they still ascended */
  g_autofree char *late = g_strconcat (head, "A1,O101,2026-01-20,1.00\nA3,O101,2026-01-21,2.00\n"
                                             "A2,O102,2026-01-22,3.00\nA1,O102,2026-01-23,4.00\n", NULL);
  qt_test_write (path, late);
  g_autofree char *b = load_error (f);
  assert_string_equal (b, "receipts.csv:5:1: duplicate key receipt_id='A1' (first on line 2)");
  /* out of order and unique: loads, the ids unchanged and in file order */
  g_autofree char *mixed = g_strconcat (head, "A3,O101,2026-01-20,1.00\nA1,O101,2026-01-21,2.00\n"
                                              "A2,O102,2026-01-22,3.00\n", NULL);
  qt_test_write (path, mixed);
  g_autoptr (GError) error2 = NULL;
  g_autoptr (QtDataset) ds2 = qt_dataset_load_dir (f->data, NULL, &error2);
  assert_null (error2);
  assert_string_equal (ds2->receipts[0].receipt_id, "A3");
  assert_string_equal (ds2->receipts[1].receipt_id, "A1");
  assert_int_equal (qt_id_row (ds2->receipts[0].receipt_id, QT_ID_RECEIPT), 0);
  assert_int_equal (qt_id_row (ds2->receipts[2].receipt_id, QT_ID_RECEIPT), 2);
  /* an empty id is malformed */
  g_autofree char *empty = g_strconcat (head, "A1,O101,2026-01-20,1.00\n,O101,2026-01-21,2.00\n", NULL);
  qt_test_write (path, empty);
  g_autofree char *c = load_error (f);
  assert_string_equal (c, "receipts.csv:3:1: receipt_id must not be empty");
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
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
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
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, NULL, &error);
  assert_null (error);
  assert_int_equal (ds->n_splits, 0);
  assert_int_equal (ds->n_adjustments, 0);
  assert_int_equal (ds->files->len, 8);
  /* The same with the reading thread (an absent file between two present). */
  g_autoptr (QtDataset) two = qt_dataset_load_dir (f->data, &(QtLoadOptions) { .threads = 2 }, &error);
  assert_null (error);
  assert_int_equal (two->n_splits, 0);
  assert_int_equal (two->n_receipts, ds->n_receipts);
  assert_int_equal (two->n_adjustments, 0);
  assert_int_equal (two->files->len, 8);
}

/* The error of loading with `threads`, or NULL. (transfer full) */
static char *
load_message (Fixture *f, guint threads)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (f->data, &(QtLoadOptions) { .threads = threads }, &error);
  assert_true ((ds == NULL) == (error != NULL));
  return error ? g_strdup (error->message) : NULL;
}

/* Enough order lines for several chunks of the reading thread. */
static void
append_many_lines (Fixture *f, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "O101,%u,SW,%u.5,1.00,0.50\n", 100 + i, i % 7);
  append (f, "order_lines.csv", s->str);
  g_string_free (s, TRUE);
}

/* Rows read with the reading thread are the rows read without it. */
static void
test_threaded_load_same_rows (void **state)
{
  Fixture *f = *state;
  append_many_lines (f, 20000);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) one = qt_dataset_load_dir (f->data, &(QtLoadOptions) { .threads = 1 }, &error);
  g_autoptr (QtDataset) two = qt_dataset_load_dir (f->data, &(QtLoadOptions) { .threads = 2 }, &error);
  assert_null (error);
  assert_int_equal (one->n_lines, 28 + 20000);
  assert_int_equal (two->n_lines, one->n_lines);
  for (guint i = 0; i < one->n_lines; i++)
    {
      assert_int_equal (two->lines[i].line, one->lines[i].line);
      assert_string_equal (two->lines[i].line_no, one->lines[i].line_no);
      assert_string_equal (two->lines[i].order_id, one->lines[i].order_id);
      assert_true (two->lines[i].quantity.units == one->lines[i].quantity.units);
      assert_int_equal (two->lines[i].quantity.scale, one->lines[i].quantity.scale);
    }
  assert_int_equal (two->files->len, one->files->len);
  for (guint i = 0; i < one->files->len; i++)
    {
      const QtInputFile *a = one->files->pdata[i], *b = two->files->pdata[i];
      assert_string_equal (b->name, a->name);
      assert_string_equal (b->sha256, a->sha256);
      assert_int_equal (b->rows, a->rows);
    }
}

/* Every kind of failure, at the start, in a later chunk and in a later
 * file, is the same message with and without the reading thread; repeated,
 * so that the sanitizers see the thread stopped at many points. */
static void
test_threaded_load_same_errors (void **state)
{
  Fixture *f = *state;
  append_many_lines (f, 9000);
  g_autofree char *lines = g_build_filename (f->data, "order_lines.csv", NULL);
  g_autofree char *good = qt_test_read (lines);
  const char *tails[] = {
    "O101,99999,SW,1e3,1.00,0.50\n",        /* a bad decimal, chunk 3 */
    "O101,99999,SW,1,1.00\n",               /* a short record */
    "O101,\"99999,SW,1,1.00,0.50\n",        /* an unterminated quote */
    "O101,150,SW,1,1.00,0.50\n",            /* a duplicate key */
  };
  for (guint t = 0; t < G_N_ELEMENTS (tails); t++)
    {
      g_autofree char *text = g_strconcat (good, tails[t], NULL);
      qt_test_write (lines, text);
      g_autofree char *want = load_message (f, 1);
      assert_non_null (want);
      for (int k = 0; k < 10; k++)
        {
          g_autofree char *got = load_message (f, 2);
          assert_string_equal (got, want);
        }
    }
  /* A later required file missing; then a bad header of the first file. */
  qt_test_write (lines, good);
  g_autofree char *quotas = g_build_filename (f->data, "quotas.csv", NULL);
  assert_int_equal (g_unlink (quotas), 0);
  g_autofree char *missing = load_message (f, 1);
  g_autofree char *missing2 = load_message (f, 2);
  assert_true (g_str_has_suffix (missing, "quotas.csv:1:1: cannot read file: this required file of the data set is missing"));
  assert_string_equal (missing2, missing);
  g_autofree char *reps = g_build_filename (f->data, "reps.csv", NULL);
  qt_test_write (reps, "rep_id,name\nR1,Ann\n");
  g_autofree char *header = load_message (f, 1);
  g_autofree char *header2 = load_message (f, 2);
  assert_non_null (header);
  assert_string_equal (header2, header);
}

/* tables: some tables alone, the other files not even read (a broken
 * order_lines.csv is no error when only reps … orders load). */
static void
test_first_tables_only (void **state)
{
  Fixture *f = *state;
  append (f, "order_lines.csv", "\"broken\n");
  g_autoptr (GError) error = NULL;
  const QtLoadOptions reps = { .threads = 2, .tables = QT_TABLE_BIT (QT_TABLE_REPS) };
  g_autoptr (QtDataset) a = qt_dataset_load_dir (f->data, &reps, &error);
  assert_non_null (a);
  assert_int_equal (a->n_reps, 6);
  assert_int_equal (a->n_orders, 0);
  const QtLoadOptions orders = {
    .threads = 1, .tables = QT_TABLE_BIT (QT_TABLE_REPS) | QT_TABLE_BIT (QT_TABLE_CUSTOMERS)
                            | QT_TABLE_BIT (QT_TABLE_PRODUCTS) | QT_TABLE_BIT (QT_TABLE_ORDERS),
  };
  g_autoptr (QtDataset) b = qt_dataset_load_dir (f->data, &orders, &error);
  assert_non_null (b);
  assert_int_equal (b->n_reps, 6);
  assert_true (b->n_orders > 0);
  assert_int_equal (b->n_receipts, 0);
  g_autofree char *msg = load_error (f);
  assert_true (g_str_has_prefix (msg, "order_lines.csv:"));
}

/* ---- SPEC §11: a rebate run's tables ---- */

static const char *const rebate_files[][2] = {
  { "partners.csv", "partner_id,name,rebate_plan\nD1,Dist One,dist\nD2,\"Two, Ltd\",dist\n" },
  { "products.csv", "product_id,name,category\nP1,Plate,orthopedic\nP2,Gauze,consumables\n" },
  { "shipments.csv", "shipment_id,partner_id,product_id,shipped_on,quantity,amount\n"
                     "S1,D1,P1,2026-01-15,10,1000.00\nS2,D9,P2,2026-02-01,5,50\n" },
  { "partner_invoices.csv", "invoice_id,shipment_id,invoiced_on,amount\n"
                            "I1,S1,2026-01-20,600\nI2,S1,2026-01-25,400\nI3,S7,2026-01-25,-10\n" },
  { "acceptances.csv", "acceptance_id,shipment_id,accepted_on,quantity\nA1,S1,2026-01-30,10\n" },
};

/* A rebate data set in a new directory of f->tmp. (transfer full) */
static char *
rebate_dir (Fixture *f)
{
  char *dir = g_build_filename (f->tmp, "rebate", NULL);
  g_mkdir (dir, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (rebate_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, rebate_files[i][0], NULL);
      qt_test_write (path, rebate_files[i][1]);
    }
  return dir;
}

static void
test_rebate_tables (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = rebate_dir (f);
  const QtLoadOptions o = { .threads = 2, .tables = QT_TABLES_REBATE };
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (dir, &o, &error);
  assert_null (error);
  assert_int_equal (ds->n_partners, 2);
  assert_string_equal (ds->partners[1].name, "Two, Ltd");
  assert_int_equal (ds->n_reps, 0);
  assert_int_equal (ds->n_shipments, 2);
  assert_int_equal (ds->shipments[0].partner_row, 0);
  assert_int_equal (ds->shipments[0].product_row, 0);
  assert_int_equal (ds->shipments[1].partner_row, -1); /* D9: unknown_partner */
  assert_int_equal (ds->n_invoices, 3);
  assert_int_equal (ds->invoices[1].shipment_row, 0);
  assert_int_equal (ds->invoices[2].shipment_row, -1);  /* S7: an orphan */
  assert_int_equal (qt_num_sgn (ds->nums, ds->invoices[2].amount), -1);
  assert_int_equal (ds->acceptances[0].shipment_row, 0);
  assert_string_equal (ds->source[QT_TABLE_SHIPMENTS], "shipments.csv");
  assert_int_equal (ds->files->len, 5);
}

/* The rebate load's own errors: values, keys, a missing file. */
static void
test_rebate_errors (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = rebate_dir (f);
  g_autofree char *partners = g_build_filename (dir, "partners.csv", NULL);
  const QtLoadOptions o = { .tables = QT_TABLES_REBATE };
  const char *const cases[][3] = {
    { "shipments.csv", "S3,D1,P1,2026-01-15,0,10\n", "shipments.csv:4:5: quantity must be greater than 0" },
    { "shipments.csv", "S3,D1,P1,2026-01-15,1,-10\n", "shipments.csv:4:6: amount must be greater than 0" },
    { "shipments.csv", "S1,D1,P1,2026-01-15,1,10\n", "shipments.csv:4:1: " },
    { "partners.csv", "D1,again,dist\n", "partners.csv:4:1: " },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i][0], NULL);
      g_autofree char *old = qt_test_read (path);
      g_autofree char *more = g_strconcat (old, cases[i][1], NULL);
      qt_test_write (path, more);
      g_autoptr (GError) error = NULL;
      g_autoptr (QtDataset) ds = qt_dataset_load_dir (dir, &o, &error);
      assert_null (ds);
      g_autofree char *want = g_build_filename (dir, cases[i][2], NULL);
      if (!g_str_has_prefix (error->message, want))
        fail_msg ("case %u: %s", i, error->message);
      qt_test_write (path, old);
    }
  g_unlink (partners);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_load_dir (dir, &o, &error);
  assert_null (ds);
  assert_non_null (strstr (error->message, "partners.csv:1:1: "));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_golden_tables, setup, teardown),
    cmocka_unit_test_setup_teardown (test_first_tables_only, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rebate_tables, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rebate_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_order_unknown_customer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_line_key_past_chain_limit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_line_key_early_duplicate, setup, teardown),
    cmocka_unit_test_setup_teardown (test_receipt_key, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manager_cycle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_manager_cycle_reported_on_cycle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deep_manager_chain, setup, teardown),
    cmocka_unit_test_setup_teardown (test_optional_files_absent, setup, teardown),
    cmocka_unit_test_setup_teardown (test_threaded_load_same_rows, setup, teardown),
    cmocka_unit_test_setup_teardown (test_threaded_load_same_errors, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
