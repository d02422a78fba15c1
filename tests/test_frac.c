/* tests/test_frac.c — calc/frac: a fraction held in 64 bits when it fits
 * and in GMP when it does not gives back the same rational; the decimal
 * quotient into a fraction equals the one into an mpq_t on both sides of
 * every 64-bit edge; and the statements print a fraction exactly as they
 * print the same mpq_t. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "calc/amount.h"
#include "calc/dec.h"
#include "calc/frac.h"
#include "reports/statement_internal.h"

/* f's value as an mpq_t equals text (an mpq_set_str form, "p/q"). */
static void
assert_frac_is (const QtFrac *f, const char *text)
{
  mpq_t want, got;
  mpq_inits (want, got, NULL);
  assert_int_equal (mpq_set_str (want, text, 10), 0);
  mpq_canonicalize (want);
  qt_frac_get (f, got);
  if (!mpq_equal (want, got))
    {
      char *g = mpq_get_str (NULL, 10, got);
      fail_msg ("fraction %s, expected %s", g, text);
    }
  mpq_clears (want, got, NULL);
}

/* Values on both sides of the 64-bit edges: the small form where it
 * fits, GMP beyond, the same value either way; a copy owns its own. */
static void
test_set_get (void **state)
{
  (void) state;
  static const struct {
    const char *value;
    gboolean small;
  } cases[] = {
    { "0", TRUE },
    { "7", TRUE },
    { "-347621463/12530780", TRUE },
    { "9223372036854775807/3", TRUE },          /* 2^63 − 1 */
    { "-9223372036854775807/3", TRUE },
    { "9223372036854775808/3", FALSE },         /* 2^63 */
    { "-9223372036854775808/3", FALSE },
    { "1/18446744073709551615", TRUE },         /* 2^64 − 1 */
    { "1/18446744073709551617", FALSE },        /* 2^64 + 1 */
    { "123456789012345678901234567890/7", FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      mpq_t v;
      mpq_init (v);
      assert_int_equal (mpq_set_str (v, cases[i].value, 10), 0);
      mpq_canonicalize (v);
      QtFrac f = { 0 }, copy = { 0 };
      qt_frac_set_mpq (&f, v);
      mpq_clear (v);
      assert_int_equal (qt_frac_is_small (&f), cases[i].small);
      assert_frac_is (&f, cases[i].value);
      qt_frac_set_copy (&copy, &f);
      qt_frac_clear (&f);
      assert_frac_is (&copy, cases[i].value); /* outlives the original */
      qt_frac_clear (&copy);
      assert_false (qt_frac_is_small (&copy));
      qt_frac_clear (&copy); /* twice is harmless */
    }
}

/* qt_dec_div_frac (a, b) = qt_dec_div_get (a, b) for quotients small,
 * reduced to small, and beyond 64 and 128 bits. */
static void
test_dec_div_frac (void **state)
{
  (void) state;
  const __int128 big = (__int128) G_MAXINT64 * 1000;
  static const gint64 smalls[] = { 1, -1, 3, 7, 10, 100, 125, -2916, 1058400, G_MAXINT64 };
  const QtDec pairs[][2] = {
    { { 1234, 2 }, { 3, 0 } },
    { { -5, 3 }, { 7, 1 } },
    { { 1058400, 2 }, { 1058400, 2 } },
    { { big, 0 }, { 3, 0 } },                   /* numerator past 64 bits */
    { { 1, 0 }, { big + 1, 0 } },               /* denominator past 64 bits */
    { { big * 2, 4 }, { 1, 30 } },              /* past 128 bits: GMP */
    { { -big, 10 }, { big - 7, 2 } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (pairs) + G_N_ELEMENTS (smalls) * G_N_ELEMENTS (smalls); i++)
    {
      QtDec a, b;
      if (i < G_N_ELEMENTS (pairs))
        a = pairs[i][0], b = pairs[i][1];
      else
        {
          guint j = i - G_N_ELEMENTS (pairs);
          a = (QtDec) { smalls[j / G_N_ELEMENTS (smalls)], j % 5 };
          b = (QtDec) { smalls[j % G_N_ELEMENTS (smalls)], j % 3 };
        }
      mpq_t want, got;
      mpq_inits (want, got, NULL);
      qt_dec_div_get (a, b, want);
      QtFrac f = { 0 };
      qt_dec_div_frac (a, b, &f);
      qt_frac_get (&f, got);
      assert_true (mpq_equal (want, got));
      qt_frac_clear (&f);
      mpq_clears (want, got, NULL);
    }
}

/* The statements' exact and cent forms of a fraction are those of the
 * same mpq_t, small, past 64 bits, and where the 64-bit fast path gives
 * up (a terminating value whose scaled digits do not fit). */
static void
test_statement_forms (void **state)
{
  (void) state;
  static const char *const values[] = {
    "0", "-5", "7728/1", "1587.6", "-347621463/12530780", "20460.9375", "1/3", "-2/3",
    "1/1048576", "1/9765625", "9223372036854775807/1024", "5/2", "-5/2", "7/2", "1/200", "-1/200",
    "3/200", "123456789012345678901234567890/7",
  };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      mpq_t v;
      mpq_init (v);
      if (strchr (values[i], '.') != NULL)
        {
          const char *dot = strchr (values[i], '.');
          g_autofree char *digits = g_strdup_printf ("%.*s%s/1%0*d", (int) (dot - values[i]),
                                                     values[i], dot + 1, (int) strlen (dot + 1), 0);
          assert_int_equal (mpq_set_str (v, digits, 10), 0);
        }
      else
        assert_int_equal (mpq_set_str (v, values[i], 10), 0);
      mpq_canonicalize (v);
      QtFrac f = { 0 };
      qt_frac_set_mpq (&f, v);
      GString *a = g_string_new (NULL), *b = g_string_new (NULL);
      qt_stmt_exact (a, v);
      qt_stmt_exact_frac (b, &f);
      assert_string_equal (b->str, a->str);
      for (guint decimals = 0; decimals <= 4; decimals += 2)
        {
          g_string_truncate (a, 0);
          g_string_truncate (b, 0);
          qt_stmt_fixed (a, v, decimals);
          qt_stmt_fixed_frac (b, &f, decimals);
          assert_string_equal (b->str, a->str);
        }
      g_string_free (a, TRUE);
      g_string_free (b, TRUE);
      qt_frac_clear (&f);
      mpq_clear (v);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_set_get),
    cmocka_unit_test (test_dec_div_frac),
    cmocka_unit_test (test_statement_forms),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
