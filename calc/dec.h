/* calc/dec.h — exact decimals held in 128-bit integers: units / 10^scale.
 *
 * The credit loop's fast path.  The data set's amounts, quantities, prices
 * and shares are decimals, and so are their sums and products; in 128 bits
 * (38 digits) nearly all of them fit, and then no GMP call is needed.
 * Every operation checks for overflow and reports it (FALSE, leaving its
 * result unspecified) instead of wrapping: the caller then takes the exact
 * GMP path for that value.  Only
 * a quotient (by an order net, say) leaves the decimals; qt_dec_div_get
 * gives it exactly as a rational. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/num.h"
#include "frac.h"

G_BEGIN_DECLS

/* 10^38 < 2^127: every power of ten up to here fits the units. */
#define QT_DEC_MAX_SCALE 38

typedef struct {
  __int128 units;
  guint scale;      /* 0 .. QT_DEC_MAX_SCALE; trailing zeros allowed */
} QtDec;

extern const __int128 qt_dec_pow10[QT_DEC_MAX_SCALE + 1];

static inline QtDec
qt_dec_zero (void)
{
  return (QtDec) { 0, 0 };
}

/* A data set number; FALSE for a long (stored) value. */
static inline gboolean
qt_dec_of_num (QtNum n, QtDec *out)
{
  if (!qt_num_is_small (n))
    return FALSE;
  *out = (QtDec) { n.units, n.scale };
  return TRUE;
}

/* d's units at a scale >= d.scale; FALSE on overflow. */
static inline gboolean
qt_dec_units_at (QtDec d, guint scale, __int128 *out)
{
  if (scale > QT_DEC_MAX_SCALE)
    return FALSE;
  return !__builtin_mul_overflow (d.units, qt_dec_pow10[scale - d.scale], out);
}

/* The units of a and b at their larger scale; FALSE on overflow. */
static inline gboolean
qt_dec_align (QtDec a, QtDec b, __int128 *x, __int128 *y, guint *scale)
{
  *scale = MAX (a.scale, b.scale);
  return qt_dec_units_at (a, *scale, x) && qt_dec_units_at (b, *scale, y);
}

/* a + b at the larger scale; FALSE on overflow. */
static inline gboolean
qt_dec_add (QtDec a, QtDec b, QtDec *out)
{
  __int128 x, y;
  return qt_dec_align (a, b, &x, &y, &out->scale) && !__builtin_add_overflow (x, y, &out->units);
}

/* a − b; FALSE on overflow. */
static inline gboolean
qt_dec_sub (QtDec a, QtDec b, QtDec *out)
{
  __int128 x, y;
  return qt_dec_align (a, b, &x, &y, &out->scale) && !__builtin_sub_overflow (x, y, &out->units);
}

/* a × b; FALSE on overflow. */
static inline gboolean
qt_dec_mul (QtDec a, QtDec b, QtDec *out)
{
  if (a.scale + b.scale > QT_DEC_MAX_SCALE || __builtin_mul_overflow (a.units, b.units, &out->units))
    return FALSE;
  out->scale = a.scale + b.scale;
  return TRUE;
}

static inline int
qt_dec_sgn (QtDec d)
{
  return (d.units > 0) - (d.units < 0);
}

/* v as a decimal when its denominator divides 10^38 and the units fit;
 * else FALSE. */
gboolean qt_dec_of_mpq (mpq_srcptr v, QtDec *out);

/* The exact value of d. */
void qt_dec_get (QtDec d, mpq_t out);

/* The greatest common divisor (binary GCD; gcd (0, b) = b). */
guint64 qt_gcd_u64 (guint64 a, guint64 b);

/* a / b exactly (b must not be zero). */
void qt_dec_div_get (QtDec a, QtDec b, mpq_t out);
/* The same into a fraction (out holds nothing before): no GMP call while
 * the quotient's terms fit 64 bits. */
void qt_dec_div_frac (QtDec a, QtDec b, QtFrac *out);

G_END_DECLS
