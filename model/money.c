/* model/money.c — see money.h.  Each operation tries its integer fast path
 * first and takes GMP for anything that does not fit; both give the same
 * exact value, and the fast path can be switched off for tests. */
#include "money.h"

#include <string.h>

#include "qt_error.h"
#include "text_append.h"

/* gint64 and guint64 travel through GMP's long and unsigned long. */
G_STATIC_ASSERT (sizeof (long) == sizeof (gint64));
G_STATIC_ASSERT (sizeof (mp_limb_t) == sizeof (guint64));

#define MAX_DEC_SCALE 38 /* 10^38 < 2^127 */

/* 10^k for k = 0 .. 38, written out in integers. */
#define E18 ((__int128) 1000000000000000000LL)
static const __int128 pow10_tab[MAX_DEC_SCALE + 1] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
  10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL,
  1000000000000000LL, 10000000000000000LL, 100000000000000000LL, E18,
  E18 * 10, E18 * 100, E18 * 1000, E18 * 10000, E18 * 100000, E18 * 1000000,
  E18 * 10000000, E18 * 100000000, E18 * 1000000000, E18 * 10000000000LL,
  E18 * 100000000000LL, E18 * 1000000000000LL, E18 * 10000000000000LL,
  E18 * 100000000000000LL, E18 * 1000000000000000LL, E18 * 10000000000000000LL,
  E18 * 100000000000000000LL, E18 * E18, E18 * E18 * 10, E18 * E18 * 100,
};
#undef E18

/* 10^k as an unsigned 64-bit integer, k <= 19. */
static inline guint64
pow10_u64 (guint k)
{
  return (guint64) (unsigned __int128) pow10_tab[k];
}

static gboolean fast_path = TRUE;

void
qt_money_set_fast_path (gboolean on)
{
  fast_path = on;
}

gboolean
qt_money_fast_path (void)
{
  return fast_path;
}

/* ---- small integer helpers -------------------------------------------- */

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static inline guint64
magnitude (gint64 v)
{
  return v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
}

/* z = v, exactly. */
static void
mpz_set_i128 (mpz_ptr z, __int128 v)
{
  if (v >= G_MINLONG && v <= G_MAXLONG)
    {
      mpz_set_si (z, (long) v);
      return;
    }
  unsigned __int128 mag = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;
  const guint64 limbs[2] = { (guint64) mag, (guint64) (mag >> 64) };
  mpz_import (z, 2, -1, sizeof (guint64), 0, 0, limbs);
  if (v < 0)
    mpz_neg (z, z);
}

/* z as a 128-bit integer when |z| < 2^126 (room for one more doubling). */
static gboolean
mpz_get_i128 (mpz_srcptr z, __int128 *out)
{
  if (mpz_sizeinbase (z, 2) > 126)
    return FALSE;
  guint64 limbs[2] = { 0, 0 };
  size_t count = 0;
  mpz_export (limbs, &count, -1, sizeof (guint64), 0, 0, z);
  __int128 mag = (__int128) (((unsigned __int128) limbs[1] << 64) | limbs[0]);
  *out = mpz_sgn (z) < 0 ? -mag : mag;
  return TRUE;
}

static guint64
gcd_u64 (guint64 a, guint64 b)
{
  if (a == 0 || b == 0)
    return a | b;
  int shift = __builtin_ctzll (a | b);
  a >>= __builtin_ctzll (a);
  do
    {
      b >>= __builtin_ctzll (b);
      if (a > b)
        {
          guint64 t = a;
          a = b;
          b = t;
        }
      b -= a;
    }
  while (b != 0);
  return a << shift;
}

static int
ctz_u128 (unsigned __int128 v)
{
  guint64 lo = (guint64) v;
  return lo != 0 ? __builtin_ctzll (lo) : 64 + __builtin_ctzll ((guint64) (v >> 64));
}

/* Binary GCD; 64-bit when both fit. */
static unsigned __int128
gcd_u128 (unsigned __int128 a, unsigned __int128 b)
{
  if ((a >> 64) == 0 && (b >> 64) == 0)
    return gcd_u64 ((guint64) a, (guint64) b);
  if (a == 0 || b == 0)
    return a | b;
  int shift = ctz_u128 (a | b);
  a >>= ctz_u128 (a);
  do
    {
      b >>= ctz_u128 (b);
      if (a > b)
        {
          unsigned __int128 t = a;
          a = b;
          b = t;
        }
      b -= a;
    }
  while (b != 0);
  return a << shift;
}

/* ---- QtNum ------------------------------------------------------------ */

QtNumStore *
qt_num_store_new (void)
{
  QtNumStore *store = g_new0 (QtNumStore, 1);
  store->values = g_array_new (FALSE, FALSE, sizeof (__mpq_struct));
  return store;
}

void
qt_num_store_free (QtNumStore *store)
{
  if (store == NULL)
    return;
  for (guint i = 0; i < store->values->len; i++)
    mpq_clear (&g_array_index (store->values, __mpq_struct, i));
  g_array_unref (store->values);
  g_free (store);
}

/* Moves v into the store (v is left 0) and returns the QtNum naming it. */
static QtNum
num_store_take (QtNumStore *store, mpq_ptr v)
{
  __mpq_struct slot;
  mpq_init (&slot);
  mpq_swap (&slot, v);
  g_array_append_val (store->values, slot);
  return (QtNum) { .units = store->values->len, .scale = 0, .big = 1 };
}

mpq_srcptr
qt_num_store_get (const QtNumStore *store, QtNum n)
{
  g_return_val_if_fail (n.big && n.units > 0 && n.units <= store->values->len, NULL);
  return &g_array_index (store->values, __mpq_struct, n.units - 1);
}

/* At most 17 significant digits accumulate in an int64 (|units| < 10^17,
 * so no overflow, and it fits QtNum's 58 bits) with at most 18 decimals. */
gboolean
qt_num_parse_short (const char *text, gsize len, QtNum *out)
{
  gboolean negative = len > 0 && text[0] == '-';
  gsize i = negative ? 1 : 0;
  gint64 units = 0;
  guint digits = 0, scale = 0, pending_zeros = 0;
  const gsize int_start = i;
  /* Every digit is counted before it is multiplied in. */
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
  *out = num_store_take (store, v);
  return TRUE;
}

void
qt_num_get (const QtNumStore *store, QtNum n, mpq_ptr out)
{
  if (!qt_num_is_small (n))
    {
      mpq_set (out, qt_num_store_get (store, n));
      return;
    }
  mpz_set_si (mpq_numref (out), n.units);
  mpz_set_ui (mpq_denref (out), pow10_u64 (n.scale));
  mpq_canonicalize (out);
}

int
qt_num_sgn (const QtNumStore *store, QtNum n)
{
  if (!qt_num_is_small (n))
    return mpq_sgn (qt_num_store_get (store, n));
  return (n.units > 0) - (n.units < 0);
}

gboolean
qt_num_is_one (const QtNumStore *store, QtNum n)
{
  if (!qt_num_is_small (n))
    return mpq_cmp_ui (qt_num_store_get (store, n), 1, 1) == 0;
  return n.units == 1 && n.scale == 0; /* small values have no trailing zeros */
}

/* ---- mpq_t: parsing --------------------------------------------------- */

static gboolean
fail_not_decimal (const char *text, gsize len, GError **error)
{
  /* Name the text itself: the caller prefixes file, line and column. */
  int shown = len > G_MAXINT ? G_MAXINT : (int) len;
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "'%.*s' is not a decimal number", shown,
               text);
  return FALSE;
}

/* The ndigits digits of text[0..len), skipping a '.', into z as one integer
 * (never through floating point). */
static void
set_digits (mpz_ptr z, const char *text, gsize len, gsize ndigits)
{
  if (ndigits <= 19) /* 10^19 - 1 < 2^64 */
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
  mpz_set_str (z, digits, 10); /* cannot fail: only decimal digits */
}

gboolean
qt_decimal_parse (mpq_ptr out, const char *text, gsize len, GError **error)
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
      const gsize frac_start = ++i;
      while (i < len && is_digit (text[i]))
        i++;
      frac_len = i - frac_start;
      if (frac_len == 0)
        return fail_not_decimal (text, len, error);
    }
  if (i != len)
    return fail_not_decimal (text, len, error);

  /* Trailing fraction zeros do not change the value; dropping them keeps
   * the denominator small for `12.50`-style amounts. */
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
  mpq_canonicalize (out); /* the digits may share factors 2 and 5 with 10^k */
  return TRUE;
}

/* ---- rounding --------------------------------------------------------- */

/* m / den rounded with `mode` (on the magnitude; the caller keeps the sign
 * apart, so ties go to the even neighbour symmetrically around zero). */
static guint64
round_u64 (guint64 m, guint64 den, QtRoundMode mode)
{
  g_assert (mode == QT_ROUND_HALF_EVEN);
  guint64 q = m / den;
  const guint64 r = m % den;
  const guint64 other = den - r; /* compare r with den / 2 as r <=> den - r */
  if (r > other || (r == other && (q & 1)))
    q++;
  return q;
}

/* Puts round(|v| × 10^decimals) with `mode` into `scaled` and returns
 * whether v is negative.  SPEC §6 half-even: mpz_tdiv_qr and a remainder
 * comparison on the magnitude, the sign kept apart. */
static gboolean
round_scaled (mpz_ptr scaled, mpq_srcptr v, unsigned decimals, QtRoundMode mode)
{
  g_assert (mode == QT_ROUND_HALF_EVEN);
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
  mpz_mul_2exp (r, r, 1); /* the remainder against half the divisor: 2r <=> den */
  const int c = mpz_cmp (r, den);
  if (c > 0 || (c == 0 && mpz_odd_p (scaled)))
    mpz_add_ui (scaled, scaled, 1);
  mpz_clear (r);
  return negative;
}

void
qt_round (mpq_ptr out, mpq_srcptr v, unsigned decimals, QtRoundMode mode)
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

gboolean
qt_mpq_has_decimals (mpq_srcptr v, unsigned decimals)
{
  g_return_val_if_fail (decimals <= 19, FALSE);
  const guint64 unit = pow10_u64 (decimals);
  return mpz_cmp_ui (mpq_denref (v), unit) <= 0 && unit % mpz_get_ui (mpq_denref (v)) == 0;
}

/* ---- writing digits --------------------------------------------------- */

/* "00" .. "99": two digits per step. */
static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* The decimal digits of v, written backwards ending at `end`; returns the
 * first digit. */
static char *
digits_backwards (char *end, guint64 v)
{
  char *p = end;
  while (v >= 100)
    {
      const guint pair = (guint) (v % 100) * 2;
      v /= 100;
      *--p = digit_pairs[pair + 1];
      *--p = digit_pairs[pair];
    }
  if (v >= 10)
    {
      *--p = digit_pairs[v * 2 + 1];
      *--p = digit_pairs[v * 2];
    }
  else
    *--p = (char) ('0' + v);
  return p;
}

/* mag / 10^k with exactly k decimals and at least one integer digit; '-'
 * only when negative and mag != 0 (a zero never shows a sign). */
static void
put_scaled (GString *s, gboolean negative, guint64 mag, guint k)
{
  char buf[48];
  char *end = buf + sizeof buf;
  char *p = end;
  const gboolean zero = mag == 0;
  if (k > 0)
    {
      guint i = k;
      for (; i >= 2; i -= 2, mag /= 100)
        {
          const guint pair = (guint) (mag % 100) * 2;
          *--p = digit_pairs[pair + 1];
          *--p = digit_pairs[pair];
        }
      if (i == 1)
        {
          *--p = (char) ('0' + mag % 10);
          mag /= 10;
        }
      *--p = '.';
    }
  p = digits_backwards (p, mag);
  if (negative && !zero)
    *--p = '-';
  qt_text_append (s, p, (gsize) (end - p));
}

void
qt_append_uint (GString *s, guint64 v)
{
  put_scaled (s, FALSE, v, 0);
}

void
qt_append_int (GString *s, gint64 v)
{
  put_scaled (s, v < 0, magnitude (v), 0);
}

/* The magnitude z / 10^decimals with exactly `decimals` fraction digits and
 * at least one integer digit (the GMP path of put_scaled). */
static void
put_scaled_mpz (GString *s, mpz_srcptr z, unsigned decimals, gboolean negative)
{
  g_autofree char *digits = mpz_get_str (NULL, 10, z);
  const char *mag = digits[0] == '-' ? digits + 1 : digits;
  const gsize ndigits = strlen (mag);
  if (negative && mpz_sgn (z) != 0)
    g_string_append_c (s, '-');
  for (gsize k = ndigits; k < (gsize) decimals + 1; k++) /* 5 at 2 decimals is 0.05 */
    g_string_append_c (s, '0');
  g_string_append_len (s, mag, (gssize) ndigits);
  if (decimals > 0)
    g_string_insert_c (s, (gssize) (s->len - decimals), '.');
}

/* ---- exact and fixed forms -------------------------------------------- */

/* SPEC §12.10 exact form through GMP. */
static void
exact_gmp (GString *s, mpq_srcptr v)
{
  const mpz_srcptr num = mpq_numref (v), den = mpq_denref (v);
  if (mpz_cmp_ui (den, 1) == 0)
    {
      g_autofree char *t = mpz_get_str (NULL, 10, num);
      g_string_append (s, t);
      return;
    }
  /* v (canonical) terminates in base 10 iff den = 2^a 5^b. */
  mpz_t rest, five, scaled;
  mpz_inits (rest, five, scaled, NULL);
  const mp_bitcnt_t twos = mpz_scan1 (den, 0);
  mpz_tdiv_q_2exp (rest, den, twos);
  mpz_set_ui (five, 5);
  const mp_bitcnt_t fives = mpz_remove (rest, rest, five);
  if (mpz_cmp_ui (rest, 1) == 0)
    {
      /* num/den = num × 2^(k−a) × 5^(k−b) / 10^k, k = max(a, b); lowest
       * terms leave no trailing zero to strip. */
      const mp_bitcnt_t k = MAX (twos, fives);
      mpz_ui_pow_ui (five, 5, k - fives);
      mpz_mul (scaled, num, five);
      mpz_mul_2exp (scaled, scaled, k - twos);
      mpz_abs (scaled, scaled);
      put_scaled_mpz (s, scaled, (unsigned) k, mpz_sgn (num) < 0);
    }
  else
    {
      g_autofree char *t = mpq_get_str (NULL, 10, v);
      g_string_append (s, t);
    }
  mpz_clears (rest, five, scaled, NULL);
}

/* ±mag/den (lowest terms) in the exact form; FALSE when the scaled decimal
 * would not fit 64 bits (the caller then takes GMP). */
static gboolean
exact_u64 (GString *s, gboolean negative, guint64 mag, guint64 den)
{
  const guint twos = (guint) __builtin_ctzll (den); /* den >= 1 */
  guint64 rest = den >> twos;
  guint fives = 0;
  while (rest % 5 == 0)
    rest /= 5, fives++;
  if (rest != 1)
    {
      if (negative)
        g_string_append_c (s, '-');
      qt_append_uint (s, mag);
      g_string_append_c (s, '/');
      qt_append_uint (s, den);
      return TRUE;
    }
  /* den = 2^a 5^b divides 10^k, k = max(a, b); 10^k / den is 2^(b−a) or
   * 5^(a−b). */
  const guint k = MAX (twos, fives);
  if (k > 19)
    return FALSE;
  const guint64 factor = twos < fives ? (guint64) 1 << (fives - twos)
                                      : pow10_u64 (twos - fives) >> (twos - fives);
  guint64 scaled;
  if (!g_uint64_checked_mul (&scaled, mag, factor))
    return FALSE;
  put_scaled (s, negative, scaled, k);
  return TRUE;
}

/* ±mag/den rounded with `mode` to `decimals`; FALSE on 64-bit overflow. */
static gboolean
fixed_u64 (GString *s, gboolean negative, guint64 mag, guint64 den, guint decimals,
           QtRoundMode mode)
{
  guint64 m;
  if (decimals > 19 || !g_uint64_checked_mul (&m, mag, pow10_u64 (decimals)))
    return FALSE;
  put_scaled (s, negative, round_u64 (m, den, mode), decimals);
  return TRUE;
}

/* v as sign, magnitude and denominator when both fit one limb. */
static gboolean
small_mpq (mpq_srcptr v, gboolean *negative, guint64 *mag, guint64 *den)
{
  if (!fast_path || mpz_size (mpq_numref (v)) > 1 || mpz_size (mpq_denref (v)) != 1)
    return FALSE;
  *mag = mpz_getlimbn (mpq_numref (v), 0); /* 0 when v is 0 */
  *den = mpz_getlimbn (mpq_denref (v), 0);
  *negative = mpq_sgn (v) < 0;
  return *mag <= (guint64) G_MAXINT64;
}

void
qt_append_exact (GString *s, mpq_srcptr v)
{
  gboolean negative;
  guint64 mag, den;
  if (small_mpq (v, &negative, &mag, &den) && exact_u64 (s, negative, mag, den))
    return;
  exact_gmp (s, v);
}

void
qt_append_fixed (GString *s, mpq_srcptr v, unsigned decimals, QtRoundMode mode)
{
  gboolean negative;
  guint64 mag, den;
  if (small_mpq (v, &negative, &mag, &den) && fixed_u64 (s, negative, mag, den, decimals, mode))
    return;
  mpz_t scaled;
  mpz_init (scaled);
  const gboolean neg = round_scaled (scaled, v, decimals, mode);
  put_scaled_mpz (s, scaled, decimals, neg);
  mpz_clear (scaled);
}

char *
qt_exact_format (mpq_srcptr v)
{
  GString *s = g_string_sized_new (24);
  qt_append_exact (s, v);
  return g_string_free (s, FALSE);
}

char *
qt_fixed_format (mpq_srcptr v, unsigned decimals, QtRoundMode mode)
{
  GString *s = g_string_sized_new (24);
  qt_append_fixed (s, v, decimals, mode);
  return g_string_free (s, FALSE);
}

void
qt_append_percent (GString *s, mpq_srcptr v, QtRoundMode mode)
{
  gboolean negative;
  guint64 mag, den, pct;
  if (small_mpq (v, &negative, &mag, &den) && g_uint64_checked_mul (&pct, mag, 100)
      && fixed_u64 (s, negative, pct, den, 2, mode))
    return;
  g_auto (mpq_t) scaled;
  mpq_init (scaled);
  mpq_set_ui (scaled, 100, 1);
  mpq_mul (scaled, scaled, v);
  qt_append_fixed (s, scaled, 2, mode);
}

void
qt_append_brief (GString *s, mpq_srcptr v, unsigned decimals, QtRoundMode mode)
{
  if (qt_mpq_has_decimals (v, decimals))
    {
      qt_append_exact (s, v);
      return;
    }
  g_string_append_c (s, '~');
  qt_append_fixed (s, v, decimals, mode);
}

/* A 128-bit decimal with its trailing fraction zeros dropped. */
static void
dec_trim (__int128 *units, guint *scale)
{
  while (*scale > 0 && *units % 10 == 0)
    {
      *units /= 10;
      (*scale)--;
    }
}

/* The exact form of units / 10^scale. */
static void
exact_dec (GString *s, __int128 units, guint scale)
{
  dec_trim (&units, &scale);
  if (fast_path && units >= -G_MAXINT64 && units <= G_MAXINT64 && scale <= 19)
    {
      put_scaled (s, units < 0, magnitude ((gint64) units), scale);
      return;
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  mpz_set_i128 (mpq_numref (v), units);
  mpz_set_i128 (mpq_denref (v), pow10_tab[scale]);
  mpq_canonicalize (v);
  exact_gmp (s, v);
}

/* units / 10^scale rounded to `decimals`; FALSE when it does not fit 64 bits. */
static gboolean
fixed_dec (GString *s, __int128 units, guint scale, guint decimals, QtRoundMode mode)
{
  if (!fast_path || units < -G_MAXINT64 || units > G_MAXINT64 || decimals > 19 || scale > 19)
    return FALSE;
  guint64 mag = magnitude ((gint64) units);
  if (scale > decimals)
    {
      put_scaled (s, units < 0, round_u64 (mag, pow10_u64 (scale - decimals), mode), decimals);
      return TRUE;
    }
  if (!g_uint64_checked_mul (&mag, mag, pow10_u64 (decimals - scale)))
    return FALSE;
  put_scaled (s, units < 0, mag, decimals);
  return TRUE;
}

void
qt_append_exact_num (GString *s, const QtNumStore *store, QtNum n)
{
  if (qt_num_is_small (n))
    exact_dec (s, n.units, n.scale);
  else
    qt_append_exact (s, qt_num_store_get (store, n));
}

void
qt_append_fixed_num (GString *s, const QtNumStore *store, QtNum n, unsigned decimals,
                     QtRoundMode mode)
{
  if (qt_num_is_small (n) && fixed_dec (s, n.units, n.scale, decimals, mode))
    return;
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (store, n, v);
  qt_append_fixed (s, v, decimals, mode);
}

void
qt_append_brief_num (GString *s, const QtNumStore *store, QtNum n, unsigned decimals,
                     QtRoundMode mode)
{
  if (qt_num_is_small (n) && fast_path)
    {
      __int128 units = n.units;
      guint scale = n.scale; /* small values carry no trailing zeros */
      if (scale <= decimals)
        {
          exact_dec (s, units, scale);
          return;
        }
      g_string_append_c (s, '~');
      if (fixed_dec (s, units, scale, decimals, mode))
        return;
      g_string_truncate (s, s->len - 1);
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (store, n, v);
  qt_append_brief (s, v, decimals, mode);
}

/* ---- QtRat ------------------------------------------------------------ */

static void
free_big (QtRat *x)
{
  if (x->form == QT_RAT_BIG && x->big != NULL)
    {
      mpq_clear (x->big);
      g_free (x->big);
    }
}

void
qt_rat_clear (QtRat *x)
{
  free_big (x);
  memset (x, 0, sizeof *x);
}

static void
set_dec (QtRat *x, __int128 units, guint scale)
{
  free_big (x);
  x->units = units;
  x->form = QT_RAT_DEC;
  x->scale = (guint8) scale;
}

static void
set_frac (QtRat *x, gint64 num, guint64 den)
{
  free_big (x);
  x->frac.num = num;
  x->frac.den = den;
  x->form = QT_RAT_FRAC;
  x->scale = 0;
}

/* x's heap rational (made when x holds another form). */
static mpq_ptr
big_of (QtRat *x)
{
  if (x->form != QT_RAT_BIG)
    {
      x->big = g_new (__mpq_struct, 1);
      mpq_init (x->big);
      x->form = QT_RAT_BIG;
      x->scale = 0;
    }
  return x->big;
}

/* x = v, in the smallest form that holds it cheaply (an integer, or a
 * fraction of one-limb terms); v is left with any value. */
static void
take_mpq (QtRat *x, mpq_ptr v)
{
  if (fast_path && mpz_size (mpq_denref (v)) == 1 && mpz_size (mpq_numref (v)) <= 1)
    {
      const guint64 mag = mpz_getlimbn (mpq_numref (v), 0);
      const guint64 den = mpz_getlimbn (mpq_denref (v), 0);
      if (mag <= (guint64) G_MAXINT64)
        {
          gint64 num = mpq_sgn (v) < 0 ? -(gint64) mag : (gint64) mag;
          if (den == 1)
            set_dec (x, num, 0);
          else
            set_frac (x, num, den);
          return;
        }
    }
  mpq_swap (big_of (x), v);
}

void
qt_rat_get (const QtRat *x, mpq_ptr out)
{
  switch (x->form)
    {
    case QT_RAT_DEC:
      mpz_set_i128 (mpq_numref (out), x->units);
      mpz_set_i128 (mpq_denref (out), pow10_tab[x->scale]);
      mpq_canonicalize (out);
      break;
    case QT_RAT_FRAC: /* lowest terms already */
      mpz_set_si (mpq_numref (out), (long) x->frac.num);
      mpz_set_ui (mpq_denref (out), (unsigned long) x->frac.den);
      break;
    default:
      mpq_set (out, x->big);
    }
}

void
qt_rat_set (QtRat *dst, const QtRat *src)
{
  if (dst == src)
    return;
  if (src->form == QT_RAT_BIG)
    mpq_set (big_of (dst), src->big);
  else
    {
      free_big (dst);
      memcpy (dst, src, sizeof *dst);
    }
}

void
qt_rat_set_si (QtRat *x, long v)
{
  if (fast_path)
    set_dec (x, v, 0);
  else
    mpq_set_si (big_of (x), v, 1);
}

void
qt_rat_set_num (QtRat *x, const QtNumStore *store, QtNum n)
{
  if (fast_path && qt_num_is_small (n))
    set_dec (x, n.units, n.scale);
  else
    qt_num_get (store, n, big_of (x));
}

/* v as units / 10^scale when it terminates within 38 decimals and fits. */
static gboolean
dec_of_mpq (mpq_srcptr v, __int128 *units_out, guint *scale_out)
{
  mpz_t d, five, units;
  mpz_inits (d, five, units, NULL);
  mpz_set (d, mpq_denref (v));
  mpz_set_ui (five, 5);
  mp_bitcnt_t twos = mpz_scan1 (d, 0);
  mpz_tdiv_q_2exp (d, d, twos);
  mp_bitcnt_t fives = mpz_remove (d, d, five);
  guint scale = (guint) MAX (twos, fives);
  gboolean ok = mpz_cmp_ui (d, 1) == 0 && scale <= MAX_DEC_SCALE;
  if (ok)
    {
      /* units = num × 10^scale / den = num × 2^(scale − twos) × 5^(scale − fives) */
      mpz_ui_pow_ui (units, 5, scale - fives);
      mpz_mul (units, units, mpq_numref (v));
      mpz_mul_2exp (units, units, scale - twos);
      ok = mpz_get_i128 (units, units_out);
    }
  *scale_out = scale;
  mpz_clears (d, five, units, NULL);
  return ok;
}

void
qt_rat_set_mpq (QtRat *x, mpq_srcptr v)
{
  __int128 units;
  guint scale;
  if (fast_path && dec_of_mpq (v, &units, &scale))
    {
      set_dec (x, units, scale);
      return;
    }
  g_auto (mpq_t) copy;
  mpq_init (copy);
  mpq_set (copy, v);
  take_mpq (x, copy);
}

/* Both decimals at their larger scale; FALSE on overflow. */
static gboolean
align (const QtRat *a, const QtRat *b, __int128 *x, __int128 *y, guint *scale)
{
  *scale = MAX (a->scale, b->scale);
  return !__builtin_mul_overflow (a->units, pow10_tab[*scale - a->scale], x)
         && !__builtin_mul_overflow (b->units, pow10_tab[*scale - b->scale], y);
}

static gboolean
both_dec (const QtRat *a, const QtRat *b)
{
  return fast_path && a->form == QT_RAT_DEC && b->form == QT_RAT_DEC;
}

typedef void (*MpqOp) (mpq_ptr, mpq_srcptr, mpq_srcptr);

/* out = op (a, b) through GMP.  A sum kept in place (out == a, already on
 * the heap) stays there: a month's sums do not move back and forth. */
static void
gmp_op (QtRat *out, const QtRat *a, const QtRat *b, MpqOp op)
{
  mpq_t y;
  mpq_init (y);
  qt_rat_get (b, y);
  if (out == a && a->form == QT_RAT_BIG && op != mpq_div)
    {
      op (out->big, out->big, y);
      mpq_clear (y);
      return;
    }
  mpq_t x;
  mpq_init (x);
  qt_rat_get (a, x);
  op (x, x, y);
  take_mpq (out, x);
  mpq_clears (x, y, NULL);
}

void
qt_rat_add (QtRat *out, const QtRat *a, const QtRat *b)
{
  __int128 x, y, sum;
  guint scale;
  if (both_dec (a, b) && align (a, b, &x, &y, &scale) && !__builtin_add_overflow (x, y, &sum))
    set_dec (out, sum, scale);
  else
    gmp_op (out, a, b, mpq_add);
}

void
qt_rat_sub (QtRat *out, const QtRat *a, const QtRat *b)
{
  __int128 x, y, diff;
  guint scale;
  if (both_dec (a, b) && align (a, b, &x, &y, &scale) && !__builtin_sub_overflow (x, y, &diff))
    set_dec (out, diff, scale);
  else
    gmp_op (out, a, b, mpq_sub);
}

void
qt_rat_mul (QtRat *out, const QtRat *a, const QtRat *b)
{
  __int128 p;
  if (both_dec (a, b) && a->scale + b->scale <= MAX_DEC_SCALE
      && !__builtin_mul_overflow (a->units, b->units, &p))
    set_dec (out, p, a->scale + b->scale);
  else
    gmp_op (out, a, b, mpq_mul);
}

/* a / b of two decimals as num / den in lowest terms, den > 0, when that
 * fits 128 bits. */
static gboolean
div_reduced (const QtRat *a, const QtRat *b, __int128 *num_out, unsigned __int128 *den_out)
{
  __int128 num = a->units, den = b->units;
  gboolean fits = a->scale >= b->scale
                    ? !__builtin_mul_overflow (den, pow10_tab[a->scale - b->scale], &den)
                    : !__builtin_mul_overflow (num, pow10_tab[b->scale - a->scale], &num);
  const __int128 min = (__int128) ((unsigned __int128) 1 << 127); /* cannot be negated */
  if (!fits || num == min || den == min)
    return FALSE;
  if (den < 0)
    {
      den = -den;
      num = -num;
    }
  unsigned __int128 g = gcd_u128 (num < 0 ? (unsigned __int128) -num : (unsigned __int128) num,
                                  (unsigned __int128) den);
  if (g > 1)
    {
      num /= (__int128) g;
      den /= (__int128) g;
    }
  *num_out = num;
  *den_out = (unsigned __int128) den;
  return TRUE;
}

void
qt_rat_div (QtRat *out, const QtRat *a, const QtRat *b)
{
  if (qt_rat_sgn (b) == 0)
    {
      qt_rat_clear (out);
      g_return_if_reached ();
    }
  __int128 num;
  unsigned __int128 den;
  if (both_dec (a, b) && div_reduced (a, b, &num, &den))
    {
      if (num >= -(__int128) G_MAXINT64 && num <= (__int128) G_MAXINT64 && den <= G_MAXUINT64)
        {
          if (den == 1)
            set_dec (out, num, 0);
          else
            set_frac (out, (gint64) num, (guint64) den);
          return;
        }
      mpq_t v; /* lowest terms with a positive denominator: canonical */
      mpq_init (v);
      mpz_set_i128 (mpq_numref (v), num);
      mpz_set_i128 (mpq_denref (v), (__int128) den);
      take_mpq (out, v);
      mpq_clear (v);
      return;
    }
  gmp_op (out, a, b, mpq_div);
}

void
qt_rat_add_to_mpq (mpq_ptr acc, const QtRat *x)
{
  if (x->form == QT_RAT_BIG)
    {
      mpq_add (acc, acc, x->big);
      return;
    }
  mpq_t v;
  mpq_init (v);
  qt_rat_get (x, v);
  mpq_add (acc, acc, v);
  mpq_clear (v);
}

int
qt_rat_sgn (const QtRat *x)
{
  switch (x->form)
    {
    case QT_RAT_DEC:
      return (x->units > 0) - (x->units < 0);
    case QT_RAT_FRAC:
      return (x->frac.num > 0) - (x->frac.num < 0);
    default:
      return mpq_sgn (x->big);
    }
}

int
qt_rat_cmp (const QtRat *a, const QtRat *b)
{
  __int128 x, y;
  guint scale;
  if (both_dec (a, b) && align (a, b, &x, &y, &scale))
    return (x > y) - (x < y);
  mpq_t p, q;
  mpq_inits (p, q, NULL);
  qt_rat_get (a, p);
  qt_rat_get (b, q);
  const int c = mpq_cmp (p, q);
  mpq_clears (p, q, NULL);
  return (c > 0) - (c < 0);
}

void
qt_sum_init (QtSum *sum)
{
  memset (&sum->fast, 0, sizeof sum->fast);
  mpq_init (sum->rest);
}

void
qt_sum_clear (QtSum *sum)
{
  qt_rat_clear (&sum->fast);
  mpq_clear (sum->rest);
}

void
qt_sum_add (QtSum *sum, const QtRat *x)
{
  __int128 a, b, total;
  guint scale;
  if (both_dec (&sum->fast, x))
    {
      if (align (&sum->fast, x, &a, &b, &scale) && !__builtin_add_overflow (a, b, &total))
        {
          set_dec (&sum->fast, total, scale);
          return;
        }
      /* overflow: what was summed so far goes to GMP, x starts again */
      qt_rat_add_to_mpq (sum->rest, &sum->fast);
      set_dec (&sum->fast, x->units, x->scale);
      return;
    }
  qt_rat_add_to_mpq (sum->rest, x);
}

void
qt_sum_get (const QtSum *sum, mpq_ptr out)
{
  qt_rat_get (&sum->fast, out);
  mpq_add (out, out, sum->rest);
}

void
qt_append_exact_rat (GString *s, const QtRat *x)
{
  switch (x->form)
    {
    case QT_RAT_DEC:
      exact_dec (s, x->units, x->scale);
      return;
    case QT_RAT_FRAC:
      if (fast_path && exact_u64 (s, x->frac.num < 0, magnitude (x->frac.num), x->frac.den))
        return;
      break;
    default:
      qt_append_exact (s, x->big);
      return;
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_rat_get (x, v);
  exact_gmp (s, v);
}

void
qt_append_fixed_rat (GString *s, const QtRat *x, unsigned decimals, QtRoundMode mode)
{
  if (x->form == QT_RAT_DEC && fixed_dec (s, x->units, x->scale, decimals, mode))
    return;
  if (x->form == QT_RAT_FRAC && fast_path
      && fixed_u64 (s, x->frac.num < 0, magnitude (x->frac.num), x->frac.den, decimals, mode))
    return;
  if (x->form == QT_RAT_BIG)
    {
      qt_append_fixed (s, x->big, decimals, mode);
      return;
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_rat_get (x, v);
  qt_append_fixed (s, v, decimals, mode);
}
