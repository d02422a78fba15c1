/* calc/amount.h — exact amounts: decimal parsing, rounding, formatting.
 *
 * Every amount, rate, share, quota and score in quotient is an exact GMP
 * rational (mpq_t, always canonical).  This module is the only place that
 * turns text into such a value and back, and the only place that rounds.
 * Every rounding call names its mode. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/num.h"

G_BEGIN_DECLS

typedef enum {
  QT_ROUND_HALF_EVEN, /* banker's rounding: SPEC §6 for every payable amount */
} QtRoundMode;

/* Parses SPEC §2 decimal syntax `-?[0-9]+(\.[0-9]+)?` (no exponent, no '+',
 * no spaces, no thousands separators) straight into `out` (initialised by the
 * caller).  text need not be NUL-terminated.  On failure returns FALSE and
 * sets a QT_ERROR_MALFORMED error whose message names the bad text (no
 * file/line prefix: the caller adds it with g_prefix_error). */
gboolean qt_decimal_parse (mpq_t out, const char *text, gsize len, GError **error);

/* The same syntax into the compact QtNum: inline when it has at most 17
 * significant digits and 18 decimals, else stored in `store`. */
/* qt_num_parse without a store (safe on any thread): TRUE with the same
 * value for a short decimal, FALSE for anything else (a long value or
 * malformed text: then qt_num_parse decides). */
gboolean qt_num_parse_short (const char *text, gsize len, QtNum *out);

gboolean qt_num_parse (QtNumStore *store, const char *text, gsize len, QtNum *out,
                       GError **error);

/* The exact value of n (store may be NULL when n is small). */
void qt_num_get (const QtNumStore *store, QtNum n, mpq_t out);

/* Sign of n: -1, 0 or 1. */
int qt_num_sgn (const QtNumStore *store, QtNum n);

/* SPEC §12.10 exact form: a plain decimal when v terminates in base 10
 * (`-4125`, `2.0625`, `0.6`, no trailing zeros, no exponent, `0` for zero),
 * else `p/q` in lowest terms (`10000/3`, `-1/3`).  (transfer full) */
char *qt_exact_format (const mpq_t v);

/* Rounds v to `decimals` places with `mode`; `out` receives the rounded
 * value as a rational (e.g. 3170.38 for 3170.375 half-even). */
void qt_round (mpq_t out, const mpq_t v, unsigned decimals, QtRoundMode mode);

/* Rounds v to `decimals` places with `mode` and prints exactly that many
 * decimals (`1234.50`, `-40.00`); a value that rounds to zero prints without
 * sign (`-0.00` never appears).  (transfer full) */
char *qt_fixed_format (const mpq_t v, unsigned decimals, QtRoundMode mode);

/* g_auto (mpq_t) x; mpq_init (x); — cleared when x leaves scope.  Initialise
 * it right after the declaration, before any return. */
static inline void
qt_mpq_autoclear (mpq_t *v)
{
  mpq_clear (*v);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (mpq_t, qt_mpq_autoclear)

G_END_DECLS
