/* tests/test_intern.c — model/intern: one pointer per distinct id, stable
 * through growth, row indexes per kind, and the inline id comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../model/intern.h"

/* Equal text gives the same pointer; different text (also a prefix, or
 * text with a NUL inside) a different one. */
static void
test_same_pointer (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  const char *a = qt_intern (in, "R0001", 5);
  assert_ptr_equal (a, qt_intern (in, "R0001xyz", 5));
  assert_ptr_not_equal (a, qt_intern (in, "R000", 4));
  assert_ptr_not_equal (a, qt_intern (in, "R00011", 6));
  const char *nul = qt_intern (in, "a\0b", 3);
  assert_ptr_not_equal (nul, qt_intern (in, "a", 1));
  assert_int_equal (qt_id_len (nul), 3);
  assert_string_equal (a, "R0001");
  assert_int_equal (qt_id_len (a), 5);
  assert_ptr_equal (qt_intern (in, "", 0), qt_intern (in, "", 0));
}

/* 200,000 ids: the table grows many times; every id keeps its pointer,
 * text and length, and a hashed lookup finds the same one. */
static void
test_growth_keeps_pointers (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  enum { N = 200000 };
  const char **ptr = g_new (const char *, N);
  char buf[32];
  for (guint i = 0; i < N; i++)
    {
      gsize len = (gsize) g_snprintf (buf, sizeof buf, "O%07u-%u", i, i % 7);
      ptr[i] = qt_intern (in, buf, len);
    }
  for (guint i = 0; i < N; i++)
    {
      gsize len = (gsize) g_snprintf (buf, sizeof buf, "O%07u-%u", i, i % 7);
      assert_ptr_equal (ptr[i], qt_intern_hashed (in, buf, len, qt_intern_hash (buf, len)));
      assert_int_equal (qt_id_len (ptr[i]), len);
      assert_memory_equal (ptr[i], buf, len + 1);
    }
  g_free (ptr);
}

/* Each kind's row is its own; a new id names no row of any kind. */
static void
test_rows_per_kind (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  const char *id = qt_intern (in, "X1", 2);
  for (int k = 0; k < QT_ID_KIND_COUNT; k++)
    assert_int_equal (qt_id_row (id, (QtIdKind) k), -1);
  qt_id_set_row (id, QT_ID_REP, 7);
  qt_id_set_row (id, QT_ID_CUSTOMER, 70000);
  assert_int_equal (qt_id_row (qt_intern (in, "X1", 2), QT_ID_REP), 7);
  assert_int_equal (qt_id_row (id, QT_ID_CUSTOMER), 70000);
  assert_int_equal (qt_id_row (id, QT_ID_ORDER), -1);
  assert_int_equal (qt_id_len (id), 2); /* the rows sit before the length */
}

/* qt_id_equals against every length around the 8-byte words, with the
 * text differing at each position in turn, and at none. */
static void
test_id_equals (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  const char text[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (gsize len = 0; len <= 33; len++)
    {
      const char *id = qt_intern (in, text, len);
      char other[40];
      memcpy (other, text, sizeof text);
      assert_true (qt_id_equals (id, other, len));
      if (len > 0)
        assert_false (qt_id_equals (id, other, len - 1));
      assert_false (qt_id_equals (id, other, len + 1));
      for (gsize at = 0; at < len; at++)
        {
          other[at] = 'a';
          assert_false (qt_id_equals (id, other, len));
          other[at] = text[at];
        }
    }
}

/* Sealing frees the table only: every id keeps its pointer, text, length
 * and rows, and free text copied before stays. */
static void
test_seal_keeps_ids (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  enum { N = 5000 };
  const char **ptr = g_new (const char *, N);
  char buf[32];
  for (guint i = 0; i < N; i++)
    {
      gsize len = (gsize) g_snprintf (buf, sizeof buf, "C%06u", i);
      ptr[i] = qt_intern (in, buf, len);
      qt_id_set_row (ptr[i], QT_ID_CUSTOMER, (gint32) i);
    }
  const char *name = qt_interner_copy (in, "Acme", 4);
  qt_interner_seal (in);
  for (guint i = 0; i < N; i++)
    {
      gsize len = (gsize) g_snprintf (buf, sizeof buf, "C%06u", i);
      assert_int_equal (qt_id_len (ptr[i]), len);
      assert_memory_equal (ptr[i], buf, len + 1);
      assert_int_equal (qt_id_row (ptr[i], QT_ID_CUSTOMER), i);
      assert_int_equal (qt_id_row (ptr[i], QT_ID_ORDER), -1);
    }
  assert_string_equal (name, "Acme");
  g_free (ptr);
}

/* Free text is copied, not interned: equal text, different pointers. */
static void
test_copy (void **state)
{
  (void) state;
  g_autoptr (QtInterner) in = qt_interner_new ();
  const char *a = qt_interner_copy (in, "Okafor, Elena", 13);
  const char *b = qt_interner_copy (in, "Okafor, Elena", 13);
  assert_ptr_not_equal (a, b);
  assert_string_equal (a, b);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_same_pointer),
    cmocka_unit_test (test_growth_keeps_pointers),
    cmocka_unit_test (test_rows_per_kind),
    cmocka_unit_test (test_id_equals),
    cmocka_unit_test (test_copy),
    cmocka_unit_test (test_seal_keeps_ids),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
