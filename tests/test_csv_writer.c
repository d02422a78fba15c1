/* tests/test_csv_writer.c — reports/csv_writer: SPEC §12.10 quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_quoting),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
