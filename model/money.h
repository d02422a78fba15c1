/* model/money.h — the one money module: every exact number of quotient
 * (amounts, rates, shares, quotas, weights, scores) is parsed, computed,
 * rounded and formatted here and nowhere else.
 *
 * Three forms, each for one job:
 * - QtNum: how the data set stores a parsed decimal (8 bytes; a long value
 *   lives in the data set's QtNumStore);
 * - QtRat: the value the calculation computes with.  Its arithmetic keeps
 *   a fast path inside (128-bit decimals, 64-bit fractions) and falls back
 *   to GMP for anything that does not fit; callers never know which.  The
 *   test switch qt_money_set_fast_path (FALSE) sends every operation
 *   through GMP, so the suite can prove both give the same bytes;
 * - mpq_t: GMP's rational, for plan values and the per-rep results.
 *
 * Rounding is explicit: every call names its QtRoundMode.  Formatting
 * gives SPEC §12.10's exact form (a terminating decimal without trailing
 * zeros, else p/q in lowest terms) or a fixed number of decimals. */
#pragma once

#include <glib.h>
#include <gmp.h>

G_BEGIN_DECLS

/* SPEC §6: payable amounts are rounded half-even to cents. */
#define QT_MONEY_DECIMALS 2
/* SPEC §5: scores.csv (and the statements) show scores to 2 decimals. */
#define QT_SCORE_DECIMALS 2

typedef enum {
  QT_ROUND_HALF_EVEN, /* banker's rounding: SPEC §6 for every payable amount */
} QtRoundMode;

/* ---- QtNum: a data set decimal as stored ------------------------------ */

#define QT_NUM_MAX_SCALE 18
#define QT_NUM_MAX_DIGITS 17 /* |units| < 10^17 < 2^57: fits the 58-bit field */

typedef struct {
  /* small: value = units / 10^scale (no trailing zero digits);
   * big: the 1-based index of the value in the QtNumStore */
  gint64 units : 58;
  guint64 scale : 5;  /* 0 .. QT_NUM_MAX_SCALE */
  guint64 big : 1;    /* 0: small; 1: in the store */
} QtNum;

G_STATIC_ASSERT (sizeof (QtNum) == 8);

/* Owns the long values of one data set. */
typedef struct {
  GArray *values; /* __mpq_struct */
} QtNumStore;

QtNumStore *qt_num_store_new (void);
void qt_num_store_free (QtNumStore *store);
/* The long value behind a big QtNum. (transfer none) */
mpq_srcptr qt_num_store_get (const QtNumStore *store, QtNum n);

static inline gboolean
qt_num_is_small (QtNum n)
{
  return n.big == 0;
}

/* SPEC §2 decimal text `-?[0-9]+(\.[0-9]+)?` as a QtNum: inline when it has
 * at most 17 significant digits and 18 decimals, else kept in `store`.
 * text need not be NUL-terminated.  Fails with QT_ERROR_MALFORMED naming
 * the text (the caller prefixes file, line and column). */
gboolean qt_num_parse (QtNumStore *store, const char *text, gsize len, QtNum *out,
                       GError **error);
/* qt_num_parse without a store (safe on any thread): TRUE for a short
 * decimal, FALSE for anything else (qt_num_parse then decides). */
gboolean qt_num_parse_short (const char *text, gsize len, QtNum *out);

/* The exact value of n (store may be NULL when n is small). */
void qt_num_get (const QtNumStore *store, QtNum n, mpq_ptr out);
/* Sign of n: -1, 0 or 1. */
int qt_num_sgn (const QtNumStore *store, QtNum n);
/* Whether n is exactly 1. */
gboolean qt_num_is_one (const QtNumStore *store, QtNum n);

/* ---- mpq_t ------------------------------------------------------------ */

/* SPEC §2 decimal text straight into `out` (initialised by the caller);
 * errors as qt_num_parse. */
gboolean qt_decimal_parse (mpq_ptr out, const char *text, gsize len, GError **error);

/* v rounded to `decimals` places with `mode` (3170.375 → 3170.38 half-even). */
void qt_round (mpq_ptr out, mpq_srcptr v, unsigned decimals, QtRoundMode mode);

/* SPEC §12.10 exact form (`-4125`, `2.0625`, `10000/3`). (transfer full) */
char *qt_exact_format (mpq_srcptr v);

/* v rounded with `mode` and printed with exactly `decimals` decimals
 * (`1234.50`); a value that rounds to zero has no sign. (transfer full) */
char *qt_fixed_format (mpq_srcptr v, unsigned decimals, QtRoundMode mode);

/* Whether v has at most `decimals` decimals (it prints exactly so). */
gboolean qt_mpq_has_decimals (mpq_srcptr v, unsigned decimals);

/* g_auto (mpq_t) x; mpq_init (x); — cleared when x leaves scope.  Initialise
 * it right after the declaration, before any return. */
static inline void
qt_mpq_autoclear (mpq_t *v)
{
  mpq_clear (*v);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (mpq_t, qt_mpq_autoclear)

/* ---- QtRat: the value the calculation computes with ------------------- */

typedef enum {
  QT_RAT_DEC,   /* units / 10^scale in 128 bits */
  QT_RAT_FRAC,  /* num / den in 64 bits, lowest terms, den > 0 */
  QT_RAT_BIG,   /* a GMP rational on the heap (owned, canonical) */
} QtRatForm;

/* Zero-initialised ({0}) it is 0.  Copy only with qt_rat_set. */
typedef struct {
  union {
    __int128 units;
    struct {
      gint64 num;
      guint64 den;
    } frac;
    mpq_ptr big;
  };
  guint8 form;  /* QtRatForm */
  guint8 scale; /* QT_RAT_DEC: 0 .. 38 */
} QtRat;

/* Frees what x holds; x is then 0. */
void qt_rat_clear (QtRat *x);
void qt_rat_set (QtRat *dst, const QtRat *src);
void qt_rat_set_si (QtRat *x, long v);
void qt_rat_set_num (QtRat *x, const QtNumStore *store, QtNum n);
void qt_rat_set_mpq (QtRat *x, mpq_srcptr v);
void qt_rat_get (const QtRat *x, mpq_ptr out);

/* out = a op b; out may be a or b.  Division by zero is a programming
 * error (out is left 0). */
void qt_rat_add (QtRat *out, const QtRat *a, const QtRat *b);
void qt_rat_sub (QtRat *out, const QtRat *a, const QtRat *b);
void qt_rat_mul (QtRat *out, const QtRat *a, const QtRat *b);
void qt_rat_div (QtRat *out, const QtRat *a, const QtRat *b);
/* *acc += x into a GMP sum (a month's totals). */
void qt_rat_add_to_mpq (mpq_ptr acc, const QtRat *x);

int qt_rat_sgn (const QtRat *x);
int qt_rat_cmp (const QtRat *a, const QtRat *b);

/* A running exact sum (a month's totals): decimals add in 128 bits, any
 * other value (or an overflow) is added by GMP. */
typedef struct {
  QtRat fast;
  mpq_t rest;
} QtSum;

void qt_sum_init (QtSum *sum);
void qt_sum_clear (QtSum *sum);
void qt_sum_add (QtSum *sum, const QtRat *x);
/* out = the sum so far. */
void qt_sum_get (const QtSum *sum, mpq_ptr out);

/* The test switch: FALSE makes every QtRat operation and every formatter
 * take the GMP path.  Set it before computing, never while threads run. */
void qt_money_set_fast_path (gboolean on);
gboolean qt_money_fast_path (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtNumStore, qt_num_store_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QtRat, qt_rat_clear)

/* ---- appending to text ------------------------------------------------ */

/* SPEC §12.10 exact form of v. */
void qt_append_exact (GString *s, mpq_srcptr v);
void qt_append_exact_rat (GString *s, const QtRat *x);
void qt_append_exact_num (GString *s, const QtNumStore *store, QtNum n);
/* v rounded with `mode` to exactly `decimals` decimals. */
void qt_append_fixed (GString *s, mpq_srcptr v, unsigned decimals, QtRoundMode mode);
void qt_append_fixed_rat (GString *s, const QtRat *x, unsigned decimals, QtRoundMode mode);
void qt_append_fixed_num (GString *s, const QtNumStore *store, QtNum n, unsigned decimals,
                          QtRoundMode mode);
/* v × 100 rounded with `mode` to 2 decimals ("109.24"). */
void qt_append_percent (GString *s, mpq_srcptr v, QtRoundMode mode);
/* The exact form when v has at most `decimals` decimals, else "~" and v
 * rounded with `mode` to `decimals` (a short figure for a person). */
void qt_append_brief (GString *s, mpq_srcptr v, unsigned decimals, QtRoundMode mode);
void qt_append_brief_num (GString *s, const QtNumStore *store, QtNum n, unsigned decimals,
                          QtRoundMode mode);
/* An integer in decimal. */
void qt_append_int (GString *s, gint64 v);
void qt_append_uint (GString *s, guint64 v);

G_END_DECLS
