/* calc/amount.c — exact amounts: decimal text to mpq_t, half-even rounding, formatting. */
#include "calc/amount.h"

#include <string.h>

#include "model/qt_error.h"

/* Digits that always fit an unsigned long: 10^19 - 1 < 2^64, 10^9 - 1 < 2^32. */
#define QT_FAST_DIGITS (sizeof (unsigned long) >= 8 ? 19u : 9u)

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gboolean
fail_not_decimal (const char *text, gsize len, GError **error)
{
  /* Name the text itself: the caller prefixes file, line and column. */
  int shown = len > G_MAXINT ? G_MAXINT : (int) len;
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
               "'%.*s' is not a decimal number", shown, text);
  return FALSE;
}

/* Loads the ndigits digits of text[0..len), skipping a '.', into z as one
 * integer.  Short runs go through an unsigned long; long ones through mpz_set_str
 * on a copy of the bare digit string, so no value ever passes through floating point. */
static void
set_digits (mpz_t z, const char *text, gsize len, gsize ndigits)
{
  if (ndigits <= QT_FAST_DIGITS)
    {
      unsigned long acc = 0;
      for (gsize i = 0; i < len; i++)
        if (text[i] != '.')
          acc = acc * 10 + (unsigned long) (text[i] - '0');
      mpz_set_ui (z, acc);
      return;
    }

  g_autofree char *digits = g_malloc (ndigits + 1);
  gsize n = 0;
  for (gsize i = 0; i < len; i++)
    if (text[i] != '.')
      digits[n++] = text[i];
  digits[n] = '\0';
  /* Cannot fail: the string holds only decimal digits. */
  mpz_set_str (z, digits, 10);
}

/* 10^k for k = 0 .. 18. */
static const gint64 pow10_i64[QT_NUM_MAX_SCALE + 1] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
  10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
  1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000,
};

/* Fast path of SPEC §2 decimals for the data set: at most 17 significant
 * digits accumulate in an int64 (|units| < 10^17, so no overflow, and it
 * fits QtNum's 58 bits) and at most 18 decimals; returns
 * FALSE when the text is not a plain short decimal (then the full parser
 * decides: long value or malformed). */
gboolean
qt_num_parse_short (const char *text, gsize len, QtNum *out)
{
  gsize i = 0;
  gboolean negative = len > 0 && text[0] == '-';
  i = negative ? 1 : 0;
  gint64 units = 0;
  guint digits = 0, scale = 0, pending_zeros = 0;
  const gsize int_start = i;
  /* Every digit is counted before it is multiplied in, so units stays
   * below 10^17 and never overflows. */
  for (; i < len && is_digit (text[i]); i++)
    {
      if (units != 0 || text[i] != '0')
        digits++;
      if (digits > QT_NUM_MAX_DIGITS)
        return FALSE;
      units = units * 10 + (text[i] - '0');
    }
  if (i == int_start)
    return FALSE;
  if (i < len && text[i] == '.')
    {
      const gsize frac_start = ++i;
      for (; i < len && is_digit (text[i]); i++)
        {
          /* Trailing zeros are dropped: hold them until a non-zero digit. */
          if (text[i] == '0')
            {
              pending_zeros++;
              continue;
            }
          guint zero_digits = units != 0 ? pending_zeros : 0;
          if (digits + zero_digits + 1 > QT_NUM_MAX_DIGITS
              || scale + pending_zeros + 1 > QT_NUM_MAX_SCALE)
            return FALSE;
          for (; pending_zeros > 0; pending_zeros--, scale++)
            units *= 10;
          units = units * 10 + (text[i] - '0');
          scale++;
          digits += zero_digits + 1;
        }
      if (i == frac_start)
        return FALSE;
    }
  if (i != len)
    return FALSE;
  *out = (QtNum) { .units = negative ? -units : units, .scale = scale, .big = 0 };
  return TRUE;
}

gboolean
qt_num_parse (QtNumStore *store, const char *text, gsize len, QtNum *out, GError **error)
{
  if (qt_num_parse_short (text, len, out))
    return TRUE;
  g_auto (mpq_t) v;
  mpq_init (v);
  if (!qt_decimal_parse (v, text, len, error))
    return FALSE;
  *out = qt_num_store_take (store, v);
  return TRUE;
}

void
qt_num_get (const QtNumStore *store, QtNum n, mpq_t out)
{
  if (!qt_num_is_small (n))
    {
      mpq_set (out, qt_num_store_get (store, n));
      return;
    }
  mpz_set_si (mpq_numref (out), n.units);
  mpz_set_si (mpq_denref (out), pow10_i64[n.scale]);
  mpq_canonicalize (out);
}

int
qt_num_sgn (const QtNumStore *store, QtNum n)
{
  if (!qt_num_is_small (n))
    return mpq_sgn (qt_num_store_get (store, n));
  return (n.units > 0) - (n.units < 0);
}

/* SPEC §2 decimal: -?[0-9]+(\.[0-9]+)? and nothing else. */
gboolean
qt_decimal_parse (mpq_t out, const char *text, gsize len, GError **error)
{
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gsize i = 0;
  gboolean negative = FALSE;
  if (i < len && text[i] == '-')
    {
      negative = TRUE;
      i++;
    }

  const gsize int_start = i;
  while (i < len && is_digit (text[i]))
    i++;
  const gsize int_len = i - int_start;
  if (int_len == 0)
    return fail_not_decimal (text, len, error);

  gsize frac_len = 0;
  if (i < len && text[i] == '.')
    {
      i++;
      const gsize frac_start = i;
      while (i < len && is_digit (text[i]))
        i++;
      frac_len = i - frac_start;
      if (frac_len == 0)
        return fail_not_decimal (text, len, error);
    }
  if (i != len)
    return fail_not_decimal (text, len, error);

  /* Trailing fraction zeros do not change the value; dropping them keeps
   * the denominator (and the later gcd) small for `12.50`-style amounts. */
  gsize body_len = len - int_start;
  while (frac_len > 0 && text[int_start + body_len - 1] == '0')
    {
      frac_len--;
      body_len--;
    }
  if (frac_len == 0 && body_len > int_len)
    body_len = int_len; /* the '.' itself */

  set_digits (mpq_numref (out), text + int_start, body_len, int_len + frac_len);
  if (negative)
    mpz_neg (mpq_numref (out), mpq_numref (out));

  if (frac_len == 0)
    {
      mpz_set_ui (mpq_denref (out), 1);
      return TRUE;
    }
  mpz_ui_pow_ui (mpq_denref (out), 10, frac_len);
  /* The digits may share factors 2 and 5 with 10^k: keep mpq canonical. */
  mpq_canonicalize (out);
  return TRUE;
}

/* Prints z / 10^decimals with exactly `decimals` fraction digits and at
 * least one integer digit; a '-' only when `negative` and z != 0, so a value
 * that is zero after rounding never shows a sign.  z holds the magnitude
 * (its own sign is ignored).  (transfer full) */
static char *
format_scaled (const mpz_t z, unsigned decimals, gboolean negative)
{
  g_autofree char *digits = g_malloc (mpz_sizeinbase (z, 10) + 2);
  mpz_get_str (digits, 10, z);
  const char *mag = digits[0] == '-' ? digits + 1 : digits;
  const gsize ndigits = strlen (mag);

  /* 5 at 2 decimals is "0.05": pad with zeros up to decimals + 1 digits. */
  const gsize width = MAX (ndigits, (gsize) decimals + 1);

  GString *s = g_string_sized_new (width + 3);
  if (negative && mpz_sgn (z) != 0)
    g_string_append_c (s, '-');
  for (gsize k = ndigits; k < width; k++)
    g_string_append_c (s, '0');
  g_string_append_len (s, mag, (gssize) ndigits);
  if (decimals > 0)
    g_string_insert_c (s, (gssize) (s->len - decimals), '.');
  return g_string_free (s, FALSE);
}

/* SPEC §12.10 exact number form. */
char *
qt_exact_format (const mpq_t v)
{
  const mpz_srcptr num = mpq_numref (v);
  const mpz_srcptr den = mpq_denref (v);

  if (mpz_cmp_ui (den, 1) == 0)
    {
      char *s = g_malloc (mpz_sizeinbase (num, 10) + 2);
      return mpz_get_str (s, 10, num);
    }

  /* v (canonical) terminates in base 10 iff den = 2^a 5^b. */
  mpz_t rest, five, scaled;
  mpz_inits (rest, five, scaled, NULL);
  const mp_bitcnt_t twos = mpz_scan1 (den, 0);
  mpz_tdiv_q_2exp (rest, den, twos);
  mpz_set_ui (five, 5);
  const mp_bitcnt_t fives = mpz_remove (rest, rest, five);

  char *out;
  if (mpz_cmp_ui (rest, 1) == 0)
    {
      /* num/den = num * 2^(k-a) * 5^(k-b) / 10^k with k = max(a, b).  As
       * num/den is in lowest terms, that numerator never ends in 0, so
       * there are no trailing zeros to strip. */
      const mp_bitcnt_t k = MAX (twos, fives);
      mpz_ui_pow_ui (five, 5, k - fives);
      mpz_mul (scaled, num, five);
      mpz_mul_2exp (scaled, scaled, k - twos);
      out = format_scaled (scaled, (unsigned) k, mpz_sgn (num) < 0);
    }
  else
    {
      out = g_malloc (mpz_sizeinbase (num, 10) + mpz_sizeinbase (den, 10) + 3);
      mpq_get_str (out, 10, v);
    }
  mpz_clears (rest, five, scaled, NULL);
  return out;
}

/* Puts round(|v| * 10^decimals) with `mode` into `scaled` (a non-negative
 * integer) and returns whether v is negative.  SPEC §6: half-even is built
 * on the magnitude with mpz_tdiv_qr and a remainder comparison, the sign
 * kept apart, so ties go to the even neighbour symmetrically around zero. */
static gboolean
round_scaled (mpz_t scaled, const mpq_t v, unsigned decimals, QtRoundMode mode)
{
  const gboolean negative = mpq_sgn (v) < 0;
  const mpz_srcptr den = mpq_denref (v);

  mpz_t r;
  mpz_init (r);
  mpz_abs (scaled, mpq_numref (v));
  if (decimals > 0)
    {
      mpz_ui_pow_ui (r, 10, decimals);
      mpz_mul (scaled, scaled, r);
    }
  mpz_tdiv_qr (scaled, r, scaled, den);

  switch (mode)
    {
    case QT_ROUND_HALF_EVEN:
      {
        /* Compare the remainder with half the divisor as 2r <=> den. */
        mpz_mul_2exp (r, r, 1);
        const int c = mpz_cmp (r, den);
        if (c > 0 || (c == 0 && mpz_odd_p (scaled)))
          mpz_add_ui (scaled, scaled, 1);
        break;
      }
    default:
      g_assert_not_reached ();
    }
  mpz_clear (r);
  return negative;
}

void
qt_round (mpq_t out, const mpq_t v, unsigned decimals, QtRoundMode mode)
{
  mpz_t scaled;
  mpz_init (scaled);
  /* Read v fully before writing out: they may be the same variable. */
  const gboolean negative = round_scaled (scaled, v, decimals, mode);
  if (negative)
    mpz_neg (scaled, scaled);
  mpz_swap (mpq_numref (out), scaled);
  mpz_ui_pow_ui (mpq_denref (out), 10, decimals);
  mpq_canonicalize (out);
  mpz_clear (scaled);
}

char *
qt_fixed_format (const mpq_t v, unsigned decimals, QtRoundMode mode)
{
  mpz_t scaled;
  mpz_init (scaled);
  const gboolean negative = round_scaled (scaled, v, decimals, mode);
  char *out = format_scaled (scaled, decimals, negative);
  mpz_clear (scaled);
  return out;
}
