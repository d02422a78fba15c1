/* tests/test_csv_writer.c — reports/csv_writer: SPEC §12.10 quoting, the
 * formula guard (model/csv_cell.h) and its removal by the reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "loaders/csv_reader.h"
#include "model/csv_cell.h"
#include "reports/csv_writer.h"

static void
assert_record (const char *const *fields, gsize n, const char *expected)
{
  GString *s = g_string_new (NULL);
  qt_csv_record (s, fields, n);
  assert_string_equal (s->str, expected);
  g_string_free (s, TRUE);
}

/* Quoted only for a comma, a quote or a newline; quotes doubled. */
static void
test_quoting (void **state)
{
  (void) state;
  const char *plain[] = { "A1", "Alice Chen", "", "10000/3" };
  assert_record (plain, 4, "A1,Alice Chen,,10000/3\n");
  const char *comma[] = { "O'Brien, Siobhán", "x" };
  assert_record (comma, 2, "\"O'Brien, Siobhán\",x\n");
  const char *quote[] = { "order 'O1' has status \"draft\"" };
  assert_record (quote, 1, "\"order 'O1' has status \"\"draft\"\"\"\n");
  const char *newline[] = { "two\nlines", "crlf\r\nend" };
  assert_record (newline, 2, "\"two\nlines\",\"crlf\r\nend\"\n");
  /* A lone CR is ordinary text (docs/architecture.md #15). */
  const char *cr[] = { "a\rb" };
  assert_record (cr, 1, "a\rb\n");
  const char *spaces[] = { " 12.5 ", "王伟" };
  assert_record (spaces, 2, " 12.5 ,王伟\n");
}

/* A text cell a spreadsheet would run gets a leading ', also inside
 * quotes; numbers, the empty cell and ordinary text are left alone. */
static void
test_formula_guard (void **state)
{
  (void) state;
  const char *formulas[] = { "=HYPERLINK(\"http://x\")", "+1+2", "-A1", "@SUM(A1)", "\tx", "\ry" };
  assert_record (formulas, 6, "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+2,'-A1,'@SUM(A1),'\tx,'\ry\n");
  const char *comma[] = { "=1,2", "-" , "+" };
  assert_record (comma, 3, "\"'=1,2\",'-,'+\n");
  /* a leading ' is doubled, so that a reader can always drop one */
  const char *quote[] = { "'quoted", "it's" };
  assert_record (quote, 2, "''quoted,it's\n");
  const char *numbers[] = { "-4125", "+2.5", "-1/3", "-0.00", "", "Ann-Marie", "a=b" };
  assert_record (numbers, 7, "-4125,+2.5,-1/3,-0.00,,Ann-Marie,a=b\n");
  /* not numbers: the guard is kept for what only looks like one */
  const char *almost[] = { "-1.", "-.5", "-1/", "-1e3", "--1" };
  assert_record (almost, 5, "'-1.,'-.5,'-1/,'-1e3,'--1\n");
  assert_true (qt_csv_cell_needs_guard ("=", 1));
  assert_false (qt_csv_cell_needs_guard ("", 0));
  /* an input file quotient reads back keeps its cells literal */
  GString *s = g_string_new (NULL);
  const char *input[] = { "PPA-1", "=R1", "2026-07", "-10.00", "prior, period" };
  qt_csv_input_record (s, input, 5);
  assert_string_equal (s->str, "PPA-1,=R1,2026-07,-10.00,\"prior, period\"\n");
  g_string_free (s, TRUE);
}

/* Written, then read with the guards dropped: every cell comes back as it
 * was; read without, the guard shows. */
static void
test_guard_round_trip (void **state)
{
  (void) state;
  const char *cells[] = { "=1+2", "'x", "''y", "-A", "-12.5", "@", "plain", "\tt", "'=z" };
  const gsize n = G_N_ELEMENTS (cells);
  GString *s = g_string_new (NULL);
  qt_csv_record (s, cells, n);
  for (int drop = 0; drop < 2; drop++)
    {
      QtCsvReader *r = qt_csv_reader_new ("t.csv", s->str, s->len, NULL);
      if (drop)
        qt_csv_reader_drop_guards (r);
      QtCsvRecord rec;
      assert_true (qt_csv_reader_next (r, &rec, NULL));
      assert_int_equal (rec.nfields, n);
      for (gsize i = 0; i < n; i++)
        {
          assert_int_equal (rec.lens[i], strlen (rec.fields[i]));
          if (drop)
            assert_string_equal (rec.fields[i], cells[i]);
          else if (qt_csv_cell_needs_guard (cells[i], strlen (cells[i])))
            assert_true (rec.fields[i][0] == '\'' && strcmp (rec.fields[i] + 1, cells[i]) == 0);
          if (i + 1 < n)
            assert_ptr_equal (rec.fields[i + 1], rec.fields[i] + rec.lens[i] + 1);
        }
      qt_csv_reader_free (r);
    }
  g_string_free (s, TRUE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_quoting),
    cmocka_unit_test (test_formula_guard),
    cmocka_unit_test (test_guard_round_trip),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
