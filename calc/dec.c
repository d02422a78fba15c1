/* calc/dec.c — exact 128-bit decimals (see dec.h): the parts that meet GMP. */
#include "dec.h"

/* Written out in integers (no floating constant is exact that far). */
#define E18 ((__int128) 1000000000000000000LL)
const __int128 qt_dec_pow10[QT_DEC_MAX_SCALE + 1] = {
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

/* z = v, exactly. */
static void
mpz_set_i128 (mpz_t z, __int128 v)
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

void
qt_dec_get (QtDec d, mpq_t out)
{
  mpz_set_i128 (mpq_numref (out), d.units);
  mpz_set_i128 (mpq_denref (out), qt_dec_pow10[d.scale]);
  mpq_canonicalize (out);
}

guint64
qt_gcd_u64 (guint64 a, guint64 b)
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
    return qt_gcd_u64 ((guint64) a, (guint64) b);
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

/* a / b through GMP (any size). */
static void
div_get_mpz (QtDec a, QtDec b, mpq_t out)
{
  mpz_ptr num = mpq_numref (out), den = mpq_denref (out);
  mpz_set_i128 (num, a.units);
  mpz_set_i128 (den, b.units);
  mpz_t p;
  mpz_init (p);
  mpz_ui_pow_ui (p, 10, a.scale > b.scale ? a.scale - b.scale : b.scale - a.scale);
  mpz_mul (a.scale > b.scale ? den : num, a.scale > b.scale ? den : num, p);
  mpz_clear (p);
  if (mpz_sgn (den) < 0)
    {
      mpz_neg (den, den);
      mpz_neg (num, num);
    }
  mpq_canonicalize (out);
}

/* a / b as num / den in lowest terms with den > 0, when that fits 128
 * bits; FALSE when it does not (the caller then takes GMP). */
static gboolean
div_reduced (QtDec a, QtDec b, __int128 *num_out, unsigned __int128 *den_out)
{
  /* (a.units / 10^a.scale) / (b.units / 10^b.scale), the power of ten on
   * one side only. */
  __int128 num = a.units, den = b.units;
  gboolean fits = a.scale >= b.scale
                    ? !__builtin_mul_overflow (den, qt_dec_pow10[a.scale - b.scale], &den)
                    : !__builtin_mul_overflow (num, qt_dec_pow10[b.scale - a.scale], &num);
  /* Negating needs both away from the most negative value. */
  const __int128 min = (__int128) ((unsigned __int128) 1 << 127);
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
qt_dec_div_get (QtDec a, QtDec b, mpq_t out)
{
  g_return_if_fail (b.units != 0);
  __int128 num;
  unsigned __int128 den;
  if (!div_reduced (a, b, &num, &den))
    {
      div_get_mpz (a, b, out);
      return;
    }
  /* Lowest terms with a positive denominator: canonical as it is. */
  mpz_set_i128 (mpq_numref (out), num);
  mpz_set_i128 (mpq_denref (out), (__int128) den);
}

void
qt_dec_div_frac (QtDec a, QtDec b, QtFrac *out)
{
  qt_frac_set_small (out, 0, 1); /* a valid value even after the check below */
  g_return_if_fail (b.units != 0);
  __int128 num;
  unsigned __int128 den;
  const gboolean reduced = div_reduced (a, b, &num, &den);
  if (reduced && num >= -(__int128) G_MAXINT64 && num <= (__int128) G_MAXINT64
      && den <= G_MAXUINT64)
    {
      qt_frac_set_small (out, (gint64) num, (guint64) den);
      return;
    }
  mpq_t v;
  mpq_init (v);
  if (reduced)
    {
      mpz_set_i128 (mpq_numref (v), num);
      mpz_set_i128 (mpq_denref (v), (__int128) den);
    }
  else
    div_get_mpz (a, b, v);
  qt_frac_set_mpq (out, v);
  mpq_clear (v);
}

gboolean
qt_dec_of_mpq (mpq_srcptr v, QtDec *out)
{
  mpz_t d, five, units;
  mpz_inits (d, five, units, NULL);
  mpz_set (d, mpq_denref (v));
  mpz_set_ui (five, 5);
  /* den = 2^twos × 5^fives exactly, or v does not terminate */
  mp_bitcnt_t twos = mpz_scan1 (d, 0);
  mpz_tdiv_q_2exp (d, d, twos);
  mp_bitcnt_t fives = mpz_remove (d, d, five);
  guint scale = (guint) MAX (twos, fives);
  gboolean ok = mpz_cmp_ui (d, 1) == 0 && scale <= QT_DEC_MAX_SCALE;
  if (ok)
    {
      /* units = num × 10^scale / den = num × 2^(scale − twos) × 5^(scale − fives) */
      mpz_ui_pow_ui (units, 5, scale - fives);
      mpz_mul (units, units, mpq_numref (v));
      mpz_mul_2exp (units, units, scale - twos);
      ok = mpz_sizeinbase (units, 2) <= 126;
    }
  if (ok)
    {
      guint64 limbs[2] = { 0, 0 };
      size_t count = 0;
      mpz_export (limbs, &count, -1, sizeof (guint64), 0, 0, units);
      __int128 mag = (__int128) (((unsigned __int128) limbs[1] << 64) | limbs[0]);
      *out = (QtDec) { mpz_sgn (units) < 0 ? -mag : mag, scale };
    }
  mpz_clears (d, five, units, NULL);
  return ok;
}
