/* tests/test_dec.c — calc/dec: 128-bit exact decimals, checked against GMP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calc/amount.h"
#include "calc/dec.h"

/* The exact value of d as text (SPEC §12.10 form). */
static char *
dec_text (QtDec d)
{
  mpq_t v;
  mpq_init (v);
  qt_dec_get (d, v);
  char *s = qt_exact_format (v);
  mpq_clear (v);
  return s;
}

static void
assert_dec (QtDec d, const char *want)
{
  g_autofree char *got = dec_text (d);
  assert_string_equal (got, want);
}

static QtDec
dec (gint64 units, guint scale)
{
  return (QtDec) { units, scale };
}

static void
test_powers_of_ten (void **state)
{
  (void) state;
  mpz_t p, got;
  mpz_inits (p, got, NULL);
  for (guint k = 0; k <= QT_DEC_MAX_SCALE; k++)
    {
      mpz_ui_pow_ui (p, 10, k);
      mpq_t v;
      mpq_init (v);
      qt_dec_get ((QtDec) { qt_dec_pow10[k], 0 }, v);
      assert_true (mpz_cmp (mpq_numref (v), p) == 0);
      mpq_clear (v);
    }
  mpz_clears (p, got, NULL);
}

static void
test_add_sub_mul (void **state)
{
  (void) state;
  QtDec out = { 0 };
  assert_true (qt_dec_add (dec (1234, 2), dec (-5, 3), &out)); /* 12.34 − 0.005 */
  assert_int_equal (out.scale, 3);
  assert_dec (out, "12.335");
  assert_true (qt_dec_sub (dec (1, 0), dec (333333333333333333, 18), &out));
  assert_dec (out, "0.666666666666666667");
  assert_true (qt_dec_mul (dec (-215, 1), dec (401, 2), &out)); /* −21.5 × 4.01 */
  assert_dec (out, "-86.215");
  assert_int_equal (qt_dec_sgn (out), -1);
  assert_int_equal (qt_dec_sgn (qt_dec_zero ()), 0);
}

/* Overflow is reported, never wrapped, and leaves room for GMP. */
static void
test_overflow_is_reported (void **state)
{
  (void) state;
  QtDec big = { qt_dec_pow10[37] * 17, 0 }, out;
  assert_false (qt_dec_add (big, big, &out));
  assert_false (qt_dec_sub ((QtDec) { -big.units, 0 }, big, &out));
  assert_false (qt_dec_mul (big, dec (10, 0), &out));
  /* Rescaling to a common scale can overflow too. */
  assert_false (qt_dec_add (big, dec (1, 2), &out));
  /* Scales beyond 38 digits are refused. */
  assert_false (qt_dec_mul (dec (1, 20), dec (1, 19), &out));
  assert_true (qt_dec_mul (dec (1, 19), dec (1, 19), &out));
  assert_int_equal (out.scale, 38);
  assert_dec (out, "0.00000000000000000000000000000000000001");
}

static void
test_of_num (void **state)
{
  (void) state;
  QtDec out = { 0 };
  assert_true (qt_dec_of_num ((QtNum) { .units = -405, .scale = 1 }, &out));
  assert_dec (out, "-40.5");
  assert_false (qt_dec_of_num ((QtNum) { .big = 1 }, &out));
}

/* Terminating rationals convert exactly; others are refused. */
static void
test_of_mpq (void **state)
{
  (void) state;
  static const char *const yes[] = { "0", "1", "-2.0625", "1.375", "0.000001", "12345678901234567890.125" };
  static const char *const no[] = { "1/3", "-7/12", "1/1024000000000000000000000000000000000000" };
  mpq_t v;
  mpq_init (v);
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      assert_true (qt_decimal_parse (v, yes[i], strlen (yes[i]), NULL));
      QtDec d;
      assert_true (qt_dec_of_mpq (v, &d));
      assert_dec (d, yes[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
    {
      assert_int_equal (mpq_set_str (v, no[i], 10), 0);
      mpq_canonicalize (v);
      QtDec d;
      assert_false (qt_dec_of_mpq (v, &d));
    }
  /* Too many digits for 128 bits. */
  assert_int_equal (mpq_set_str (v, "1000000000000000000000000000000000000000", 10), 0);
  QtDec d;
  assert_false (qt_dec_of_mpq (v, &d));
  mpq_clear (v);
}

static void
test_div_get (void **state)
{
  (void) state;
  mpq_t v;
  mpq_init (v);
  qt_dec_div_get (dec (10000, 0), dec (3, 0), v);
  g_autofree char *a = qt_exact_format (v);
  assert_string_equal (a, "10000/3");
  qt_dec_div_get (dec (-6840, 2), dec (646495, 1), v); /* −68.40 / 64649.5 */
  g_autofree char *b = qt_exact_format (v);
  assert_string_equal (b, "-684/646495");
  qt_dec_div_get (dec (5, 0), dec (-25, 1), v); /* 5 / −2.5 */
  g_autofree char *c = qt_exact_format (v);
  assert_string_equal (c, "-2");
  /* Beyond 64 bits on both sides. */
  qt_dec_div_get ((QtDec) { qt_dec_pow10[30] * 3, 2 }, (QtDec) { qt_dec_pow10[25] * 7, 0 }, v);
  g_autofree char *d = qt_exact_format (v);
  assert_string_equal (d, "3000/7");
  mpq_clear (v);
}

/* Zero, a negative divisor, and sizes past 128 bits (the GMP path). */
static void
test_div_get_edges (void **state)
{
  (void) state;
  mpq_t v;
  mpq_init (v);
  qt_dec_div_get (qt_dec_zero (), dec (-7, 3), v);
  assert_int_equal (mpq_sgn (v), 0);
  assert_int_equal (mpz_cmp_ui (mpq_denref (v), 1), 0);
  QtDec huge = { qt_dec_pow10[38] - 1, 0 };
  qt_dec_div_get (huge, (QtDec) { 3, 20 }, v); /* 10^20 × (10^38 − 1) / 3 */
  g_autofree char *a = qt_exact_format (v);
  assert_string_equal (a, "3333333333333333333333333333333333333300000000000000000000");
  qt_dec_div_get ((QtDec) { -huge.units - 1, 0 }, dec (-2, 0), v); /* the most negative units */
  g_autofree char *b = qt_exact_format (v);
  assert_true (mpq_sgn (v) > 0);
  assert_int_equal (strlen (b), 38);
  mpq_clear (v);
}

/* qt_dec_div_get against GMP's own division on many values. */
static void
test_div_get_matches_gmp (void **state)
{
  (void) state;
  GRand *rand = g_rand_new_with_seed (20261125);
  mpq_t got, x, y, want;
  mpq_inits (got, x, y, want, NULL);
  for (int i = 0; i < 20000; i++)
    {
      gint64 xu = (gint64) g_rand_int (rand) << 31 ^ g_rand_int (rand);
      gint64 yu = (gint64) g_rand_int_range (rand, 1, G_MAXINT32) * (i % 3 == 0 ? -1 : 1);
      QtDec a = { (__int128) xu * (i % 5 == 0 ? qt_dec_pow10[18] : 1), (guint) g_rand_int_range (rand, 0, 19) };
      QtDec b = { (__int128) yu * (__int128) g_rand_int_range (rand, 1, 1000), (guint) g_rand_int_range (rand, 0, 19) };
      qt_dec_div_get (a, b, got);
      qt_dec_get (a, x);
      qt_dec_get (b, y);
      mpq_div (want, x, y);
      assert_true (mpq_equal (got, want));
      /* canonical: lowest terms, positive denominator */
      mpz_t g;
      mpz_init (g);
      mpz_gcd (g, mpq_numref (got), mpq_denref (got));
      assert_int_equal (mpz_cmp_ui (g, 1), 0);
      assert_true (mpz_sgn (mpq_denref (got)) > 0);
      mpz_clear (g);
    }
  mpq_clears (got, x, y, want, NULL);
  g_rand_free (rand);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_powers_of_ten),
    cmocka_unit_test (test_add_sub_mul),
    cmocka_unit_test (test_overflow_is_reported),
    cmocka_unit_test (test_of_num),
    cmocka_unit_test (test_of_mpq),
    cmocka_unit_test (test_div_get),
    cmocka_unit_test (test_div_get_edges),
    cmocka_unit_test (test_div_get_matches_gmp),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
