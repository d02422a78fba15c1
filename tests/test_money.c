/* tests/test_money.c — model/money: decimal parsing, half-even rounding and
 * formatting; QtRat arithmetic and QtSum against GMP; and every fast path
 * against the same call with the fast path switched off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/money.h"
#include "model/qt_error.h"

/* Parses text (which must be valid) into v, failing the test otherwise. */
static void
parse_ok (mpq_t v, const char *text)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_decimal_parse (v, text, strlen (text), &error);
  if (!ok)
    fail_msg ("'%s' rejected: %s", text, error->message);
  assert_null (error);
}

/* Asserts that text parses to exactly num/den. */
static void
assert_parses_to (const char *text, const char *num, const char *den)
{
  mpq_t v, want;
  mpq_inits (v, want, NULL);
  parse_ok (v, text);
  mpz_set_str (mpq_numref (want), num, 10);
  mpz_set_str (mpq_denref (want), den, 10);
  mpq_canonicalize (want);
  if (!mpq_equal (v, want))
    fail_msg ("'%s' parsed wrong", text);
  /* The parsed value must already be canonical (lowest terms, den > 0). */
  mpz_t g;
  mpz_init (g);
  mpz_gcd (g, mpq_numref (v), mpq_denref (v));
  assert_int_equal (mpz_cmp_ui (g, 1), 0);
  assert_true (mpz_sgn (mpq_denref (v)) > 0);
  mpz_clear (g);
  mpq_clears (v, want, NULL);
}

static void
test_parse_valid (void **state)
{
  (void) state;
  assert_parses_to ("0", "0", "1");
  assert_parses_to ("-0", "0", "1");
  assert_parses_to ("-0.000", "0", "1");
  assert_parses_to ("12", "12", "1");
  assert_parses_to ("-4125", "-4125", "1");
  assert_parses_to ("12.5", "25", "2");
  assert_parses_to ("12.50", "25", "2");
  assert_parses_to ("007.10", "71", "10");
  assert_parses_to ("0.6", "3", "5");
  assert_parses_to ("2.0625", "33", "16");
  assert_parses_to ("-0.125", "-1", "8");
  assert_parses_to ("1.0", "1", "1");
  assert_parses_to ("100.00", "100", "1");
  /* 20 and more digits: past the unsigned long fast path. */
  assert_parses_to ("12345678901234567890.5", "24691357802469135781", "2");
  assert_parses_to ("-98765432109876543210987654321", "-98765432109876543210987654321", "1");
  assert_parses_to ("9999999999999999999", "9999999999999999999", "1");
  assert_parses_to ("0.0000000000000000000001", "1", "10000000000000000000000");
}

static void
test_parse_not_nul_terminated (void **state)
{
  (void) state;
  const char buf[] = "12.5,-3";
  mpq_t v;
  mpq_init (v);
  assert_true (qt_decimal_parse (v, buf, 4, NULL));
  assert_int_equal (mpz_get_si (mpq_numref (v)), 25);
  assert_int_equal (mpz_get_si (mpq_denref (v)), 2);
  assert_true (qt_decimal_parse (v, buf + 5, 2, NULL));
  assert_int_equal (mpq_cmp_si (v, -3, 1), 0);
  /* The prefix "12." alone is malformed even though a digit follows in memory. */
  assert_false (qt_decimal_parse (v, buf, 3, NULL));
  mpq_clear (v);
}

static void
test_parse_invalid (void **state)
{
  (void) state;
  static const char *const bad[] = {
    "",         /* empty */
    "-",        /* sign only */
    "+5",       /* no '+' */
    ".5",       /* empty integer part */
    "-.5",
    "5.",       /* empty fraction */
    "-5.",
    ".",
    "1e5",      /* no exponent */
    "1.5E2",
    " 12.5",    /* nothing is trimmed */
    "12.5 ",
    "12 ",
    "1 000",
    "12,5",     /* decimal comma */
    "1,000.00", /* thousands separator */
    "1_000",
    "--5",
    "5-",
    "1.2.3",
    "0x10",
    "abc",
    "NaN",
    "inf",
    "١٢",       /* non-ASCII digits */
  };
  mpq_t v;
  mpq_init (v);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      if (qt_decimal_parse (v, bad[i], strlen (bad[i]), &error))
        fail_msg ("'%s' accepted", bad[i]);
      assert_non_null (error);
      assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_MALFORMED));
      g_autofree char *want = g_strdup_printf ("'%s' is not a decimal number", bad[i]);
      assert_string_equal (error->message, want);
    }
  /* A NULL error is allowed. */
  assert_false (qt_decimal_parse (v, "12,5", 4, NULL));
  mpq_clear (v);
}

static void
test_parse_long_decimals_exact (void **state)
{
  (void) state;
  mpq_t a, b;
  mpq_inits (a, b, NULL);
  parse_ok (a, "0.333333333333333333333");
  parse_ok (b, "0.666666666666666666667");
  mpq_add (a, a, b);
  assert_int_equal (mpq_cmp_ui (a, 1, 1), 0);

  /* 0.1 + 0.2 == 0.3 exactly, unlike binary floating point. */
  parse_ok (a, "0.1");
  parse_ok (b, "0.2");
  mpq_add (a, a, b);
  parse_ok (b, "0.3");
  assert_true (mpq_equal (a, b));
  mpq_clears (a, b, NULL);
}

/* Asserts qt_fixed_format (text, decimals, half-even) == want and that
 * qt_round gives the same value. */
static void
assert_fixed (const char *text, unsigned decimals, const char *want)
{
  mpq_t v, r, w;
  mpq_inits (v, r, w, NULL);
  parse_ok (v, text);
  g_autofree char *got = qt_fixed_format (v, decimals, QT_ROUND_HALF_EVEN);
  if (strcmp (got, want) != 0)
    fail_msg ("%s at %u decimals: got %s, want %s", text, decimals, got, want);

  qt_round (r, v, decimals, QT_ROUND_HALF_EVEN);
  parse_ok (w, want);
  if (!mpq_equal (r, w))
    fail_msg ("qt_round (%s, %u) differs from %s", text, decimals, want);

  /* In place: out may be the input variable. */
  qt_round (v, v, decimals, QT_ROUND_HALF_EVEN);
  assert_true (mpq_equal (v, w));
  mpq_clears (v, r, w, NULL);
}

static void
test_round_half_even_ties (void **state)
{
  (void) state;
  assert_fixed ("3170.375", 2, "3170.38"); /* 7 odd: up */
  assert_fixed ("3170.365", 2, "3170.36"); /* 6 even: stays */
  assert_fixed ("-40.005", 2, "-40.00");
  assert_fixed ("-40.015", 2, "-40.02");
  assert_fixed ("0.125", 2, "0.12");
  assert_fixed ("0.135", 2, "0.14");
  assert_fixed ("-0.125", 2, "-0.12");
  assert_fixed ("-0.135", 2, "-0.14");
  assert_fixed ("10.005", 2, "10.00");
  assert_fixed ("2.5", 0, "2");
  assert_fixed ("3.5", 0, "4");
  assert_fixed ("-2.5", 0, "-2");
  assert_fixed ("-3.5", 0, "-4");
  assert_fixed ("0.5", 0, "0");
  assert_fixed ("-0.5", 0, "0");
  assert_fixed ("1.5", 0, "2");
  assert_fixed ("0.005", 2, "0.00");
  assert_fixed ("0.015", 2, "0.02");
  assert_fixed ("0.0625", 3, "0.062");
  assert_fixed ("0.0635", 3, "0.064");
}

static void
test_round_non_ties (void **state)
{
  (void) state;
  assert_fixed ("1234.5", 2, "1234.50");
  assert_fixed ("1234.5", 0, "1234");     /* tie, 4 even */
  assert_fixed ("0.1251", 2, "0.13");     /* just above the tie */
  assert_fixed ("0.1249", 2, "0.12");
  assert_fixed ("-0.1251", 2, "-0.13");
  assert_fixed ("-0.1349", 2, "-0.13");
  assert_fixed ("2.675", 2, "2.68");      /* a double would say 2.67 */
  assert_fixed ("0.994", 2, "0.99");
  assert_fixed ("0.996", 2, "1.00");
  assert_fixed ("-0.996", 2, "-1.00");
  assert_fixed ("99.999", 2, "100.00");
  assert_fixed ("5", 2, "5.00");
  assert_fixed ("0.05", 2, "0.05");
  assert_fixed ("-0.05", 2, "-0.05");
  assert_fixed ("7", 0, "7");
  assert_fixed ("-7.4", 0, "-7");
  assert_fixed ("0.0001", 4, "0.0001");
  assert_fixed ("123.456", 5, "123.45600");
}

static void
test_fixed_never_negative_zero (void **state)
{
  (void) state;
  assert_fixed ("-0.004", 2, "0.00");
  assert_fixed ("-0.005", 2, "0.00");
  assert_fixed ("-0", 2, "0.00");
  assert_fixed ("0", 2, "0.00");
  assert_fixed ("-0.4", 0, "0");
  assert_fixed ("-0.00001", 4, "0.0000");
}

static void
test_round_rationals (void **state)
{
  (void) state;
  mpq_t v, r;
  mpq_inits (v, r, NULL);

  mpq_set_si (v, 10000, 3); /* 3333.333… */
  g_autofree char *a = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (a, "3333.33");
  qt_round (r, v, 2, QT_ROUND_HALF_EVEN);
  assert_int_equal (mpq_cmp_si (r, 333333, 100), 0);

  mpq_set_si (v, -2, 3); /* -0.666… */
  g_autofree char *b = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (b, "-0.67");

  mpq_set_si (v, 1, 8); /* exactly 0.125: a tie */
  g_autofree char *c = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (c, "0.12");

  mpq_set_si (v, -1, 3000); /* -0.000333… rounds to zero */
  g_autofree char *d = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (d, "0.00");
  qt_round (r, v, 2, QT_ROUND_HALF_EVEN);
  assert_int_equal (mpq_sgn (r), 0);
  assert_int_equal (mpz_cmp_ui (mpq_denref (r), 1), 0); /* canonical zero */

  mpq_clears (v, r, NULL);
}

/* Asserts qt_exact_format (num/den) == want. */
static void
assert_exact (long num, unsigned long den, const char *want)
{
  mpq_t v;
  mpq_init (v);
  mpq_set_si (v, num, den);
  mpq_canonicalize (v);
  g_autofree char *got = qt_exact_format (v);
  if (strcmp (got, want) != 0)
    fail_msg ("%ld/%lu: got %s, want %s", num, den, got, want);
  mpq_clear (v);
}

static void
test_exact_format (void **state)
{
  (void) state;
  assert_exact (10000, 3, "10000/3");
  assert_exact (-1, 3, "-1/3");
  assert_exact (1, 7, "1/7");
  assert_exact (2, 6, "1/3"); /* lowest terms */
  assert_exact (1, 6, "1/6"); /* a factor 2 does not make it terminate */
  assert_exact (7, 30, "7/30");
  assert_exact (33, 16, "2.0625");
  assert_exact (-4125, 1, "-4125");
  assert_exact (0, 1, "0");
  assert_exact (3, 5, "0.6");
  assert_exact (1, 2, "0.5");
  assert_exact (-1, 8, "-0.125");
  assert_exact (1, 1000, "0.001");
  assert_exact (-1, 1024, "-0.0009765625");
  assert_exact (1, 3125, "0.00032");
  assert_exact (25, 2, "12.5");
  assert_exact (1234567, 100, "12345.67");
  assert_exact (40, 1, "40");
  assert_exact (-400, 1, "-400");
}

static void
test_exact_format_round_trip (void **state)
{
  (void) state;
  static const char *const texts[] = {
    "0", "1", "-1", "0.5", "-0.05", "2.0625", "123456.789", "-4125", "1000000",
    "0.000001", "340282366920938463463374607431768211457.25",
  };
  mpq_t v, back;
  mpq_inits (v, back, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      parse_ok (v, texts[i]);
      g_autofree char *s = qt_exact_format (v);
      assert_string_equal (s, texts[i]);
      parse_ok (back, s);
      assert_true (mpq_equal (v, back));
    }
  mpq_clears (v, back, NULL);
}

static void
test_big_values (void **state)
{
  (void) state;
  mpq_t v, w;
  mpq_inits (v, w, NULL);

  /* 2^64 + 0.5 is a tie; 2^64 is even so it stays. */
  parse_ok (v, "18446744073709551616.5");
  g_autofree char *a = qt_fixed_format (v, 0, QT_ROUND_HALF_EVEN);
  assert_string_equal (a, "18446744073709551616");
  /* -(2^64 + 1.5) goes away from zero to the even -(2^64 + 2). */
  parse_ok (v, "-18446744073709551617.5");
  g_autofree char *b = qt_fixed_format (v, 0, QT_ROUND_HALF_EVEN);
  assert_string_equal (b, "-18446744073709551618");

  parse_ok (v, "123456789012345678901234567890.125");
  g_autofree char *c = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (c, "123456789012345678901234567890.12");
  g_autofree char *d = qt_exact_format (v);
  assert_string_equal (d, "123456789012345678901234567890.125");

  /* Big / 3 does not terminate: p/q with both parts beyond 64 bits. */
  parse_ok (w, "3");
  mpq_div (v, v, w);
  g_autofree char *e = qt_exact_format (v);
  assert_string_equal (e, "987654312098765431209876543121/24");
  g_autofree char *f = qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN);
  assert_string_equal (f, "41152263004115226300411522630.04");

  mpq_clears (v, w, NULL);
}

/* QtNum: the compact form holds short values inline, canonically, and long
 * ones in the store; both convert to the same value as qt_decimal_parse. */
static void
test_num_parse (void **state)
{
  (void) state;
  g_autoptr (QtNumStore) store = qt_num_store_new ();
  struct { const char *text; gboolean small; gint64 units; guint scale; } cases[] = {
    { "0", TRUE, 0, 0 },           { "-0", TRUE, 0, 0 },          { "12.50", TRUE, 125, 1 },
    { "-40.005", TRUE, -40005, 3 }, { "0.000", TRUE, 0, 0 },      { "007", TRUE, 7, 0 },
    /* Inline up to 17 significant digits (QtNum's 58-bit units), 18 decimals. */
    { "99999999999999999", TRUE, 99999999999999999, 0 },
    { "-99999999999999999", TRUE, -99999999999999999, 0 },
    { "0.000000000000000001", TRUE, 1, 18 },
    { "999999999999999999", FALSE, 0, 0 },                        /* 18 digits */
    { "-100000000000000000", FALSE, 0, 0 },
    { "1000000000000000000", FALSE, 0, 0 },                       /* 19 digits */
    { "0.333333333333333333333", FALSE, 0, 0 },
    { "-18446744073709551617.5", FALSE, 0, 0 },
    /* Regressions (review): these overflowed int64 before falling back. */
    { "9999999999999999999", FALSE, 0, 0 },
    { "-9223372036854775808", FALSE, 0, 0 },
    { "1.00000000000000000000000001", FALSE, 0, 0 },
    { "0.0000000000000000001", FALSE, 0, 0 },
    { "100000000000000000.5", FALSE, 0, 0 },
    { "9999999999999999.9", TRUE, 99999999999999999, 1 },
    { "99999999999999999.9", FALSE, 0, 0 },
    { "0.10000000000000001", TRUE, 10000000000000001, 17 },
    { "0.100000000000000001", FALSE, 0, 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      QtNum n;
      const char *t = cases[i].text;
      assert_true (qt_num_parse (store, t, strlen (t), &n, NULL));
      assert_int_equal (qt_num_is_small (n), cases[i].small);
      if (cases[i].small)
        {
          assert_int_equal (n.units, cases[i].units);
          assert_int_equal (n.scale, cases[i].scale);
        }
      mpq_t a, b;
      mpq_inits (a, b, NULL);
      qt_num_get (store, n, a);
      parse_ok (b, t);
      assert_true (mpq_equal (a, b));
      assert_int_equal (qt_num_sgn (store, n), mpq_sgn (b));
      mpq_clears (a, b, NULL);
    }
}

static void
test_num_parse_invalid (void **state)
{
  (void) state;
  g_autoptr (QtNumStore) store = qt_num_store_new ();
  const char *bad[] = { "", "-", "1.", ".5", "+1", "1e3", " 1", "1,5", "12345678901234567890x" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      QtNum n;
      g_autoptr (GError) error = NULL;
      assert_false (qt_num_parse (store, bad[i], strlen (bad[i]), &n, &error));
      assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_MALFORMED));
    }
}

/* A random exact value of every shape the engine meets: short and long
 * decimals (past 64 and 128 bits), fractions near the 64-bit edges, zero. */
static void
random_value (GRand *rand, mpq_ptr v)
{
  static const char *const edges[] = {
    "0", "1", "-1", "9223372036854775807", "-9223372036854775807", "9223372036854775808",
    "18446744073709551615/7", "1/18446744073709551615", "1/18446744073709551617",
    "170141183460469231731687303715884105727", "-170141183460469231731687303715884105727",
    "99999999999999999999999999999999999999/100000000000000000000000000000000000000",
    "123456789012345678901234567890123456789012/1000", "10000/3", "-1/3",
  };
  const guint kind = (guint) g_rand_int_range (rand, 0, 4);
  if (kind == 0)
    {
      assert_int_equal (mpq_set_str (v, edges[g_rand_int_range (rand, 0, G_N_ELEMENTS (edges))], 10), 0);
      mpq_canonicalize (v);
      return;
    }
  /* a decimal with up to 40 digits and up to 20 decimals */
  const guint digits = (guint) g_rand_int_range (rand, 1, kind == 1 ? 8 : 41);
  GString *t = g_string_new (g_rand_boolean (rand) ? "-" : "");
  for (guint i = 0; i < digits; i++)
    g_string_append_c (t, (char) ('0' + g_rand_int_range (rand, 0, 10)));
  const guint decimals = (guint) g_rand_int_range (rand, 0, MIN (digits, 21u));
  if (decimals > 0)
    g_string_insert_c (t, (gssize) (t->len - decimals), '.');
  g_autoptr (GError) error = NULL;
  assert_true (qt_decimal_parse (v, t->str, t->len, &error));
  g_string_free (t, TRUE);
  if (kind == 3) /* a quotient of the value by a small odd number */
    {
      mpq_t d;
      mpq_init (d);
      mpq_set_ui (d, (unsigned long) g_rand_int_range (rand, 1, 40) * 2 + 1, 1);
      mpq_div (v, v, d);
      mpq_clear (d);
    }
}

static void
assert_rat_equals (const QtRat *x, mpq_srcptr want, const char *what)
{
  g_auto (mpq_t) got;
  mpq_init (got);
  qt_rat_get (x, got);
  if (!mpq_equal (got, want))
    fail_msg ("%s: QtRat %s, GMP %s", what, mpq_get_str (NULL, 10, got),
              mpq_get_str (NULL, 10, want));
}

/* Every QtRat operation gives GMP's exact result, in every form (decimal,
 * 64-bit fraction, heap) and across every overflow into GMP. */
static void
test_rat_matches_gmp (void **state)
{
  (void) state;
  GRand *rand = g_rand_new_with_seed (11);
  g_auto (mpq_t) a;
  g_auto (mpq_t) b;
  g_auto (mpq_t) want;
  mpq_inits (a, b, want, NULL);
  g_auto (QtRat) x = { 0 };
  g_auto (QtRat) y = { 0 };
  g_auto (QtRat) r = { 0 };
  for (guint trial = 0; trial < 20000; trial++)
    {
      random_value (rand, a);
      random_value (rand, b);
      qt_rat_set_mpq (&x, a);
      qt_rat_set_mpq (&y, b);
      assert_rat_equals (&x, a, "set");
      assert_int_equal (qt_rat_sgn (&x), mpq_sgn (a));
      const int c = mpq_cmp (a, b);
      assert_int_equal (qt_rat_cmp (&x, &y), (c > 0) - (c < 0));
      qt_rat_add (&r, &x, &y);
      mpq_add (want, a, b);
      assert_rat_equals (&r, want, "add");
      qt_rat_sub (&r, &x, &y);
      mpq_sub (want, a, b);
      assert_rat_equals (&r, want, "sub");
      qt_rat_mul (&r, &x, &y);
      mpq_mul (want, a, b);
      assert_rat_equals (&r, want, "mul");
      if (mpq_sgn (b) != 0)
        {
          qt_rat_div (&r, &x, &y);
          mpq_div (want, a, b);
          assert_rat_equals (&r, want, "div");
        }
      /* in place: out is an operand */
      qt_rat_set (&r, &x);
      qt_rat_add (&r, &r, &y);
      mpq_add (want, a, b);
      assert_rat_equals (&r, want, "add in place");
    }
  g_rand_free (rand);
}

/* A sum of many decimals that overflows 128 bits again and again, mixed
 * with fractions, equals GMP's sum. */
static void
test_sum_spills (void **state)
{
  (void) state;
  QtSum sum;
  qt_sum_init (&sum);
  g_auto (mpq_t) want;
  g_auto (mpq_t) got;
  g_auto (mpq_t) v;
  mpq_inits (want, got, v, NULL);
  g_auto (QtRat) x = { 0 };
  GRand *rand = g_rand_new_with_seed (5);
  for (guint i = 0; i < 5000; i++)
    {
      random_value (rand, v);
      qt_rat_set_mpq (&x, v);
      qt_sum_add (&sum, &x);
      mpq_add (want, want, v);
    }
  qt_sum_get (&sum, got);
  assert_true (mpq_equal (got, want));
  qt_sum_clear (&sum);
  g_rand_free (rand);
}

/* The text of every formatter of v, with the fast path on or off. */
static char *
all_forms (mpq_srcptr v, const QtNumStore *store, QtNum n, gboolean fast)
{
  qt_money_set_fast_path (fast);
  g_auto (QtRat) x = { 0 };
  qt_rat_set_mpq (&x, v);
  GString *s = g_string_new (NULL);
  qt_append_exact (s, v);
  g_string_append_c (s, ' ');
  qt_append_exact_rat (s, &x);
  g_string_append_c (s, ' ');
  for (unsigned d = 0; d <= 4; d += 2)
    {
      qt_append_fixed (s, v, d, QT_ROUND_HALF_EVEN);
      g_string_append_c (s, ' ');
      qt_append_fixed_rat (s, &x, d, QT_ROUND_HALF_EVEN);
      g_string_append_c (s, ' ');
    }
  qt_append_percent (s, v, QT_ROUND_HALF_EVEN);
  g_string_append_c (s, ' ');
  qt_append_brief (s, v, 4, QT_ROUND_HALF_EVEN);
  g_string_append_c (s, ' ');
  qt_append_exact_num (s, store, n);
  g_string_append_c (s, ' ');
  qt_append_fixed_num (s, store, n, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append_c (s, ' ');
  qt_append_brief_num (s, store, n, 4, QT_ROUND_HALF_EVEN);
  qt_money_set_fast_path (TRUE);
  return g_string_free (s, FALSE);
}

/* Every formatter prints the same text with its fast path and through GMP
 * alone: denominators 2^a 5^b up to 2^20 5^20 and others, numerators of
 * every size and sign, data set numbers short and long. */
static void
test_fast_formatting_matches_gmp (void **state)
{
  (void) state;
  const guint64 others[] = { 3, 7, 12, 96, 1000003, G_MAXINT64 };
  GRand *rand = g_rand_new_with_seed (7);
  g_auto (mpq_t) v;
  mpq_init (v);
  g_autoptr (QtNumStore) store = qt_num_store_new ();
  for (guint trial = 0; trial < 20000; trial++)
    {
      guint a = (guint) g_rand_int_range (rand, 0, 21), b = (guint) g_rand_int_range (rand, 0, 21);
      mpz_ui_pow_ui (mpq_denref (v), 5, b);
      mpz_mul_2exp (mpq_denref (v), mpq_denref (v), a);
      if (trial % 10 == 9)
        mpz_set_ui (mpq_denref (v), others[trial / 10 % G_N_ELEMENTS (others)]);
      guint64 num = ((guint64) g_rand_int (rand) << 32 | g_rand_int (rand)) >> g_rand_int_range (rand, 0, 64);
      mpz_set_ui (mpq_numref (v), num);
      if (trial % 2)
        mpz_neg (mpq_numref (v), mpq_numref (v));
      if (trial % 7 == 0) /* past 64 bits */
        mpz_mul_2exp (mpq_numref (v), mpq_numref (v), 70);
      mpq_canonicalize (v);
      /* a data set number: the value's 2-decimal rounding as text */
      g_autofree char *text = qt_fixed_format (v, (unsigned) (trial % 21), QT_ROUND_HALF_EVEN);
      QtNum n;
      assert_true (qt_num_parse (store, text, strlen (text), &n, NULL));
      g_autofree char *fast = all_forms (v, store, n, TRUE);
      g_autofree char *slow = all_forms (v, store, n, FALSE);
      if (strcmp (fast, slow) != 0)
        fail_msg ("%s: fast '%s', GMP '%s'", mpq_get_str (NULL, 10, v), fast, slow);
    }
  g_rand_free (rand);
  g_autoptr (GString) ints = g_string_new (NULL);
  qt_append_uint (ints, G_MAXUINT64);
  g_string_append_c (ints, ' ');
  qt_append_int (ints, G_MININT64);
  g_string_append_c (ints, ' ');
  qt_append_int (ints, 0);
  assert_string_equal (ints->str, "18446744073709551615 -9223372036854775808 0");
}

/* With the fast path off every value is held by GMP, and arithmetic still
 * agrees. */
static void
test_gmp_only_switch (void **state)
{
  (void) state;
  qt_money_set_fast_path (FALSE);
  g_auto (QtRat) x = { 0 };
  g_auto (QtRat) y = { 0 };
  qt_rat_set_si (&x, 7);
  qt_rat_set_si (&y, 2);
  qt_rat_div (&x, &x, &y);
  assert_int_equal (x.form, QT_RAT_BIG);
  g_autoptr (GString) s = g_string_new (NULL);
  qt_append_exact_rat (s, &x);
  assert_string_equal (s->str, "3.5");
  qt_money_set_fast_path (TRUE);
  qt_rat_set_si (&x, 7);
  assert_int_equal (x.form, QT_RAT_DEC);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_valid),
    cmocka_unit_test (test_parse_not_nul_terminated),
    cmocka_unit_test (test_parse_invalid),
    cmocka_unit_test (test_parse_long_decimals_exact),
    cmocka_unit_test (test_round_half_even_ties),
    cmocka_unit_test (test_round_non_ties),
    cmocka_unit_test (test_fixed_never_negative_zero),
    cmocka_unit_test (test_round_rationals),
    cmocka_unit_test (test_exact_format),
    cmocka_unit_test (test_exact_format_round_trip),
    cmocka_unit_test (test_big_values),
    cmocka_unit_test (test_num_parse),
    cmocka_unit_test (test_num_parse_invalid),
    cmocka_unit_test (test_rat_matches_gmp),
    cmocka_unit_test (test_sum_spills),
    cmocka_unit_test (test_fast_formatting_matches_gmp),
    cmocka_unit_test (test_gmp_only_switch),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
