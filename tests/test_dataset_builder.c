/* tests/test_dataset_builder.c — model/dataset_builder fed directly, as a
 * loader would: keys (one column, composite, past the chain limit), empty
 * ids, managers, links, sources and sealing, and messages at the column
 * numbers and source names the loader gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/money.h"
#include "model/dataset_builder.h"
#include "model/qt_error.h"

/* Columns 1..n of the source in the description's order. */
static const guint plain[QT_TABLE_MAX_COLUMNS] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static void
begin (QtDatasetBuilder *b, QtTable t, const char *source)
{
  qt_dataset_builder_begin_table (b, t, source, NULL, plain, 0);
}

/* One row of the current table, `table`, from its fields' text (in the
 * description's column order), converted as a loader would. */
static gboolean
add (QtDatasetBuilder *b, QtTable table, guint line, const char *const *fields, GError **error)
{
  const QtTableDesc *d = qt_table_desc (table);
  qt_dataset_builder_new_row (b, line);
  for (guint c = 0; c < d->n_columns; c++)
    {
      const char *s = fields[c];
      gsize len = strlen (s);
      QtNum num;
      QtDay day;
      QtPeriod period;
      QtStatus status;
      switch (d->kinds[c])
        {
        case QT_COLUMN_ID:
        case QT_COLUMN_OPT_ID:
          if (!qt_dataset_builder_set_id (b, c, s, len, error))
            return FALSE;
          break;
        case QT_COLUMN_TEXT:
          qt_dataset_builder_set_text (b, c, s, len);
          break;
        case QT_COLUMN_DECIMAL:
          assert_true (qt_num_parse (qt_dataset_builder_nums (b), s, len, &num, NULL));
          qt_dataset_builder_set_num (b, c, num);
          break;
        case QT_COLUMN_DATE:
          assert_true (qt_date_parse (s, len, &day));
          qt_dataset_builder_set_day (b, c, day);
          break;
        case QT_COLUMN_PERIOD:
          assert_true (qt_period_parse (s, len, &period));
          qt_dataset_builder_set_period (b, c, period);
          break;
        case QT_COLUMN_STATUS:
          assert_true (qt_status_parse (s, &status));
          qt_dataset_builder_set_status (b, c, status);
          break;
        default:
          fail ();
        }
    }
  return qt_dataset_builder_end_row (b, error);
}

#define ROW(...) ((const char *const[]) { __VA_ARGS__ })

static void
add_ok (QtDatasetBuilder *b, QtTable table, guint line, const char *const *fields)
{
  g_autoptr (GError) error = NULL;
  assert_true (add (b, table, line, fields, &error));
  assert_null (error);
}

/* add() failing with `message`. */
static void
add_fails (QtDatasetBuilder *b, QtTable table, guint line, const char *const *fields,
           const char *message)
{
  g_autoptr (GError) error = NULL;
  assert_false (add (b, table, line, fields, &error));
  assert_non_null (error);
  assert_int_equal (error->code, QT_ERROR_MALFORMED);
  assert_string_equal (error->message, message);
}

/* finish() failing with `message`. */
static void
finish_fails (QtDatasetBuilder *b, const char *message)
{
  g_autoptr (GError) error = NULL;
  assert_null (qt_dataset_builder_finish (b, &error));
  assert_non_null (error);
  assert_int_equal (error->code, QT_ERROR_MALFORMED);
  assert_string_equal (error->message, message);
}

static void
add_reps (QtDatasetBuilder *b)
{
  begin (b, QT_TABLE_REPS, "reps.csv");
  add_ok (b, QT_TABLE_REPS, 2, ROW ("M1", "Mia", "T", "", "lead"));
  add_ok (b, QT_TABLE_REPS, 3, ROW ("A1", "Ann", "T", "M1", "field"));
}

/* One customers row whose id is given hashed already. */
static gboolean
add_hashed_customer (QtDatasetBuilder *b, guint line, const char *id, const char *name,
                     GError **error)
{
  const guint32 h = qt_intern_hash (id, strlen (id));
  qt_dataset_builder_prefetch_id (b, h, 0);
  qt_dataset_builder_prefetch_id (b, h, 1);
  qt_dataset_builder_new_row (b, line);
  if (!qt_dataset_builder_set_id_hashed (b, 0, id, strlen (id), h, error))
    return FALSE;
  qt_dataset_builder_set_text (b, 1, name, strlen (name));
  return qt_dataset_builder_end_row (b, error);
}

/* Ids given with their hash (and asked for ahead) are the ids set_id
 * gives: a key is checked across both. */
static void
test_hashed_ids (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  add_reps (b);
  begin (b, QT_TABLE_CUSTOMERS, "customers.csv");
  g_autoptr (GError) error = NULL;
  assert_true (add_hashed_customer (b, 2, "K1", "Kim", &error));
  add_ok (b, QT_TABLE_CUSTOMERS, 3, ROW ("K2", "Kai"));
  assert_false (add_hashed_customer (b, 4, "K2", "Kai again", &error));
  assert_string_equal (error->message,
                       "customers.csv:4:1: duplicate key customer_id='K2' (first on line 3)");
}

/* A repeated one-column key, at its second occurrence, naming the first
 * line; the message uses `where` and the loader's column number. */
static void
test_duplicate_id_key (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  const guint cols[] = { 3, 1 };
  qt_dataset_builder_begin_table (b, QT_TABLE_CUSTOMERS, "customers.csv", "dir/customers.csv",
                                  cols, 4);
  add_ok (b, QT_TABLE_CUSTOMERS, 2, ROW ("K1", "Kim"));
  add_ok (b, QT_TABLE_CUSTOMERS, 3, ROW ("K2", "Kai"));
  add_fails (b, QT_TABLE_CUSTOMERS, 5, ROW ("K1", "Kim again"),
             "dir/customers.csv:5:3: duplicate key customer_id='K1' (first on line 2)");
}

/* order_lines (order_id, line_no): the same line_no under another order is
 * fine; under the same order it is a repeat. */
static void
test_duplicate_line_key (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  begin (b, QT_TABLE_ORDER_LINES, "order_lines.csv");
  add_ok (b, QT_TABLE_ORDER_LINES, 2, ROW ("O1", "1", "P", "1", "2.00", "1.00"));
  add_ok (b, QT_TABLE_ORDER_LINES, 3, ROW ("O1", "2", "P", "1", "2.00", "1.00"));
  add_ok (b, QT_TABLE_ORDER_LINES, 4, ROW ("O2", "1", "P", "1", "2.00", "1.00"));
  add_fails (b, QT_TABLE_ORDER_LINES, 5, ROW ("O1", "2", "Q", "3", "4.00", "1.00"),
             "order_lines.csv:5:1: duplicate key order_id='O1', line_no='2' (first on line 3)");
}

/* Past 32 lines of one order the keys are checked in a hash table: a
 * repeat of an early line and of a late one are both found. */
static void
test_duplicate_line_key_long_order (void **state)
{
  (void) state;
  for (guint repeat = 5; repeat <= 45; repeat += 40)
    {
      g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
      begin (b, QT_TABLE_ORDER_LINES, "order_lines.csv");
      for (guint i = 1; i <= 50; i++)
        {
          g_autofree char *no = g_strdup_printf ("%u", i);
          add_ok (b, QT_TABLE_ORDER_LINES, i + 1, ROW ("O1", no, "P", "1", "1", "1"));
        }
      g_autofree char *no = g_strdup_printf ("%u", repeat);
      g_autofree char *want = g_strdup_printf (
          "order_lines.csv:52:1: duplicate key order_id='O1', line_no='%u' (first on line %u)",
          repeat, repeat + 1);
      add_fails (b, QT_TABLE_ORDER_LINES, 52, ROW ("O1", no, "P", "1", "1", "1"), want);
    }
}

/* activities (rep_id, period, metric): any one part different is another
 * key; all three the same is a repeat, the period printed as read. */
static void
test_duplicate_activity_key (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  begin (b, QT_TABLE_ACTIVITIES, "activities.csv");
  add_ok (b, QT_TABLE_ACTIVITIES, 2, ROW ("R1", "2026-03", "visits", "4"));
  add_ok (b, QT_TABLE_ACTIVITIES, 3, ROW ("R2", "2026-03", "visits", "4"));
  add_ok (b, QT_TABLE_ACTIVITIES, 4, ROW ("R1", "2026-04", "visits", "4"));
  add_ok (b, QT_TABLE_ACTIVITIES, 5, ROW ("R1", "2026-03", "calls", "4"));
  add_fails (b, QT_TABLE_ACTIVITIES, 6, ROW ("R1", "2026-03", "visits", "9"),
             "activities.csv:6:1: duplicate key rep_id='R1', period='2026-03', metric='visits' "
             "(first on line 2)");
}

/* An empty id is malformed at its column; an empty manager_id is none. */
static void
test_empty_ids (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  begin (b, QT_TABLE_REPS, "reps.csv");
  add_ok (b, QT_TABLE_REPS, 2, ROW ("M1", "", "T", "", "lead"));
  add_fails (b, QT_TABLE_REPS, 3, ROW ("A1", "Ann", "", "M1", "field"),
             "reps.csv:3:3: team_id must not be empty");
}

static void
test_unknown_manager (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  const guint cols[] = { 1, 2, 3, 7, 5 };
  qt_dataset_builder_begin_table (b, QT_TABLE_REPS, "reps.csv", "d/reps.csv", cols, 0);
  add_ok (b, QT_TABLE_REPS, 2, ROW ("M1", "Mia", "T", "", "lead"));
  add_ok (b, QT_TABLE_REPS, 3, ROW ("A1", "Ann", "T", "M9", "field"));
  finish_fails (b, "d/reps.csv:3:7: manager_id 'M9' of rep 'A1' names no rep");
}

/* A cycle (B → C → D → B, with A leading into it) is reported at its rep
 * with the smallest line. */
static void
test_manager_cycle (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  begin (b, QT_TABLE_REPS, "reps.csv");
  add_ok (b, QT_TABLE_REPS, 2, ROW ("A", "Ann", "T", "B", "field"));
  add_ok (b, QT_TABLE_REPS, 3, ROW ("D", "Dee", "T", "B", "field"));
  add_ok (b, QT_TABLE_REPS, 4, ROW ("C", "Cy", "T", "D", "field"));
  add_ok (b, QT_TABLE_REPS, 5, ROW ("B", "Bob", "T", "C", "field"));
  finish_fails (b, "reps.csv:3:4: rep 'D' is their own (indirect) manager: manager cycle");
}

/* Each row knows the rows its ids name in the tables before it, or -1;
 * the tables keep their sources; the interner is sealed. */
static void
test_links_sources_sealing (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  add_reps (b);
  begin (b, QT_TABLE_CUSTOMERS, "customers.csv");
  add_ok (b, QT_TABLE_CUSTOMERS, 2, ROW ("K1", "Kim"));
  add_ok (b, QT_TABLE_CUSTOMERS, 3, ROW ("K2", "Kai"));
  begin (b, QT_TABLE_ORDERS, "orders.csv");
  add_ok (b, QT_TABLE_ORDERS, 2, ROW ("O1", "K2", "A1", "2026-03-01", "paid"));
  add_ok (b, QT_TABLE_ORDERS, 3, ROW ("O2", "K9", "A1", "2026-03-02", "signed"));
  begin (b, QT_TABLE_ORDER_LINES, "order_lines.csv");
  add_ok (b, QT_TABLE_ORDER_LINES, 2, ROW ("O2", "1", "P", "1", "2.00", "1.00"));
  add_ok (b, QT_TABLE_ORDER_LINES, 3, ROW ("O1", "1", "P", "1", "2.00", "1.00"));
  add_ok (b, QT_TABLE_ORDER_LINES, 4, ROW ("O7", "1", "P", "1", "2.00", "1.00"));
  begin (b, QT_TABLE_RECEIPTS, "receipts.csv");
  add_ok (b, QT_TABLE_RECEIPTS, 2, ROW ("RC1", "O2", "2026-03-05", "10.00"));
  QtInputFile *f = g_new0 (QtInputFile, 1);
  f->name = g_strdup ("x.csv");
  qt_dataset_builder_add_file (b, f);
  f = g_new0 (QtInputFile, 1);
  f->name = g_strdup ("a.csv");
  qt_dataset_builder_add_file (b, f);

  g_autoptr (GError) error = NULL;
  g_autoptr (QtDataset) ds = qt_dataset_builder_finish (b, &error);
  assert_null (error);
  assert_non_null (ds);
  assert_int_equal (ds->n_reps, 2);
  assert_int_equal (ds->reps[0].manager, -1);
  assert_null (ds->reps[0].manager_id);
  assert_int_equal (ds->reps[1].manager, 0);
  assert_int_equal (ds->reps_plan_column, 5);
  assert_int_equal (ds->orders[0].customer_row, 1);
  assert_int_equal (ds->orders[1].customer_row, -1);
  assert_int_equal (ds->orders[1].status, QT_STATUS_SIGNED);
  assert_int_equal (ds->lines[0].order_row, 1);
  assert_int_equal (ds->lines[1].order_row, 0);
  assert_int_equal (ds->lines[2].order_row, -1);
  assert_int_equal (ds->lines[2].line, 4);
  assert_int_equal (ds->receipts[0].order_row, 1);
  assert_int_equal (qt_id_row (ds->receipts[0].receipt_id, QT_ID_RECEIPT), 0);
  /* ids are interned: one pointer per id, across tables */
  assert_ptr_equal (ds->orders[1].order_id, ds->lines[0].order_id);
  assert_ptr_equal (ds->reps[0].rep_id, ds->reps[1].manager_id);
  assert_string_equal (ds->customers[1].name, "Kai");
  assert_string_equal (ds->source[QT_TABLE_ORDERS], "orders.csv");
  assert_string_equal (ds->source[QT_TABLE_RECEIPTS], "receipts.csv");
  assert_null (ds->source[QT_TABLE_SPLITS]); /* never given: no rows */
  assert_int_equal (ds->n_splits, 0);
  assert_int_equal (ds->files->len, 2);
  assert_string_equal (((QtInputFile *) ds->files->pdata[0])->name, "a.csv");
  assert_true (qt_interner_sealed (ds->ids));
}

/* A rep who is their own manager is the shortest cycle. */
static void
test_own_manager (void **state)
{
  (void) state;
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  begin (b, QT_TABLE_REPS, "reps.csv");
  add_ok (b, QT_TABLE_REPS, 2, ROW ("A", "Ann", "T", "A", "field"));
  finish_fails (b, "reps.csv:2:4: rep 'A' is their own (indirect) manager: manager cycle");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_duplicate_id_key),
    cmocka_unit_test (test_hashed_ids),
    cmocka_unit_test (test_duplicate_line_key),
    cmocka_unit_test (test_duplicate_line_key_long_order),
    cmocka_unit_test (test_duplicate_activity_key),
    cmocka_unit_test (test_empty_ids),
    cmocka_unit_test (test_unknown_manager),
    cmocka_unit_test (test_manager_cycle),
    cmocka_unit_test (test_links_sources_sealing),
    cmocka_unit_test (test_own_manager),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
