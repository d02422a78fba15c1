/* reports/statement_fmt.c — number, date and JSON string appenders for the
 * statements: integer fast paths, calc/amount.h for everything else. */
#include "statement_internal.h"

#include "../calc/amount.h"

/* 10^k for k = 0 .. 19 (10^19 < 2^64). */
static const guint64 pow10_u64[20] = {
  1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
  1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
  100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
  1000000000000000000ull, 10000000000000000000ull,
};

void
qt_stmt_reserve (GString *s, gsize n)
{
  gsize len = s->len;
  g_string_set_size (s, len + n); /* grows the buffer geometrically */
  g_string_truncate (s, len);
}

void
qt_stmt_spaces (GString *s, gsize n)
{
  if (s->len + n >= s->allocated_len)
    qt_stmt_reserve (s, n);
  memset (s->str + s->len, ' ', n);
  s->len += n;
  s->str[s->len] = '\0';
}

/* |v| of a signed integer, without overflow for G_MININT64. */
static guint64
magnitude (gint64 v)
{
  return v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;
}

/* mag / 10^k with exactly k decimals and at least one integer digit; '-'
 * only when negative and mag != 0 (like calc/amount.c's format_scaled). */
static void
put_scaled (GString *s, gboolean negative, guint64 mag, guint k)
{
  char buf[48];
  char *end = buf + sizeof buf;
  char *p = end;
  const gboolean zero = mag == 0;
  do
    {
      *--p = (char) ('0' + mag % 10);
      mag /= 10;
    }
  while (mag != 0);
  while ((guint) (end - p) < k + 1)
    *--p = '0';
  if (negative && !zero)
    qt_stmt_putc (s, '-');
  const gsize int_len = (gsize) (end - p) - k;
  qt_stmt_put (s, p, int_len);
  if (k == 0)
    return;
  qt_stmt_putc (s, '.');
  qt_stmt_put (s, p + int_len, k);
}

void
qt_stmt_uint (GString *s, guint64 v)
{
  put_scaled (s, FALSE, v, 0);
}

void
qt_stmt_int (GString *s, gint64 v)
{
  put_scaled (s, v < 0, magnitude (v), 0);
}

void
qt_stmt_day (GString *s, QtDay day)
{
  char buf[11];
  qt_stmt_puts (s, qt_date_format (day, buf));
}

/* v as sign + magnitude / denominator when both fit 64 bits. */
static gboolean
small_frac (mpq_srcptr v, gboolean *negative, guint64 *mag, guint64 *den)
{
  if (!mpz_fits_slong_p (mpq_numref (v)) || !mpz_fits_ulong_p (mpq_denref (v)))
    return FALSE;
  const gint64 num = mpz_get_si (mpq_numref (v));
  *negative = num < 0;
  *mag = magnitude (num);
  *den = mpz_get_ui (mpq_denref (v));
  return TRUE;
}

/* SPEC §12.10 form of ±mag/den (lowest terms); FALSE when the scaled
 * decimal would not fit 64 bits (the caller then takes the GMP path). */
static gboolean
frac_exact (GString *s, gboolean negative, guint64 mag, guint64 den)
{
  guint64 rest = den;
  guint twos = 0, fives = 0;
  while ((rest & 1) == 0)
    rest >>= 1, twos++;
  while (rest % 5 == 0)
    rest /= 5, fives++;
  if (rest != 1)
    {
      if (negative)
        qt_stmt_putc (s, '-');
      qt_stmt_uint (s, mag);
      qt_stmt_putc (s, '/');
      qt_stmt_uint (s, den);
      return TRUE;
    }
  /* den = 2^a 5^b divides 10^k, k = max(a, b); lowest terms leave no
   * trailing zero in mag × 10^k / den. */
  const guint k = MAX (twos, fives);
  guint64 scaled;
  if (k > 19 || !g_uint64_checked_mul (&scaled, mag, pow10_u64[k] / den))
    return FALSE;
  put_scaled (s, negative, scaled, k);
  return TRUE;
}

void
qt_stmt_exact (GString *s, mpq_srcptr v)
{
  gboolean negative;
  guint64 mag, den;
  if (small_frac (v, &negative, &mag, &den) && frac_exact (s, negative, mag, den))
    return;
  g_autofree char *txt = qt_exact_format (v);
  qt_stmt_puts (s, txt);
}

/* SPEC §6: m / den rounded half-even (on the magnitude; the caller keeps
 * the sign apart). */
static guint64
half_even (guint64 m, guint64 den)
{
  guint64 q = m / den;
  const guint64 r = m % den;
  const guint64 other = den - r; /* compare r with den / 2 as r <=> den - r */
  if (r > other || (r == other && (q & 1)))
    q++; /* den >= 2 here, so q < 2^63 */
  return q;
}

/* ±mag/den rounded half-even to `decimals` places; FALSE on 64-bit overflow. */
static gboolean
frac_fixed (GString *s, gboolean negative, guint64 mag, guint64 den, guint decimals)
{
  guint64 m;
  if (decimals > 19 || !g_uint64_checked_mul (&m, mag, pow10_u64[decimals]))
    return FALSE;
  put_scaled (s, negative, half_even (m, den), decimals);
  return TRUE;
}

void
qt_stmt_fixed (GString *s, mpq_srcptr v, guint decimals)
{
  gboolean negative;
  guint64 mag, den;
  if (small_frac (v, &negative, &mag, &den) && frac_fixed (s, negative, mag, den, decimals))
    return;
  g_autofree char *txt = qt_fixed_format (v, decimals, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, txt);
}

/* TRUE when the (canonical) denominator of v divides `unit`. */
static gboolean
den_divides (mpq_srcptr v, unsigned long unit)
{
  return mpz_cmp_ui (mpq_denref (v), unit) <= 0 && unit % mpz_get_ui (mpq_denref (v)) == 0;
}

gboolean
qt_stmt_is_cents (mpq_srcptr v)
{
  return den_divides (v, 100);
}

void
qt_stmt_brief (GString *s, mpq_srcptr v)
{
  if (den_divides (v, 10000))
    {
      qt_stmt_exact (s, v);
      return;
    }
  qt_stmt_putc (s, '~');
  qt_stmt_fixed (s, v, 4);
}

/* d with its trailing fraction zeros dropped. */
static QtStmtDec
dec_trim (QtStmtDec d)
{
  while (d.scale > 0 && d.units % 10 == 0)
    {
      d.units /= 10;
      d.scale--;
    }
  return d;
}

void
qt_stmt_dec (GString *s, QtStmtDec d)
{
  d = dec_trim (d);
  put_scaled (s, d.units < 0, magnitude (d.units), d.scale);
}

void
qt_stmt_num (GString *s, const QtNumStore *nums, QtNum n)
{
  if (!qt_num_is_small (n))
    {
      qt_stmt_exact (s, qt_num_store_get (nums, n));
      return;
    }
  qt_stmt_dec (s, (QtStmtDec) { n.units, n.scale });
}

void
qt_stmt_brief_num (GString *s, const QtNumStore *nums, QtNum n)
{
  if (!qt_num_is_small (n))
    {
      qt_stmt_brief (s, qt_num_store_get (nums, n));
      return;
    }
  QtStmtDec d = dec_trim ((QtStmtDec) { n.units, n.scale });
  if (d.scale <= 4)
    {
      qt_stmt_dec (s, d);
      return;
    }
  qt_stmt_putc (s, '~');
  put_scaled (s, d.units < 0, half_even (magnitude (d.units), pow10_u64[d.scale - 4]), 4);
}

gboolean
qt_stmt_dec_of_num (QtNum n, QtStmtDec *out)
{
  if (!qt_num_is_small (n))
    return FALSE;
  *out = (QtStmtDec) { n.units, n.scale };
  return TRUE;
}

/* ±mag as an int64, FALSE when it does not fit. */
static gboolean
signed_of (gboolean negative, guint64 mag, gint64 *out)
{
  if (mag > (guint64) G_MAXINT64)
    return FALSE;
  *out = negative ? -(gint64) mag : (gint64) mag;
  return TRUE;
}

gboolean
qt_stmt_dec_mul (QtStmtDec a, QtStmtDec b, QtStmtDec *out)
{
  guint64 mag;
  if (a.scale + b.scale > QT_NUM_MAX_SCALE
      || !g_uint64_checked_mul (&mag, magnitude (a.units), magnitude (b.units)))
    return FALSE;
  out->scale = a.scale + b.scale;
  return signed_of ((a.units < 0) != (b.units < 0), mag, &out->units);
}

/* d at a larger scale (same value); FALSE on overflow. */
static gboolean
dec_rescale (QtStmtDec d, guint scale, gint64 *units)
{
  guint64 mag;
  if (!g_uint64_checked_mul (&mag, magnitude (d.units), pow10_u64[scale - d.scale]))
    return FALSE;
  return signed_of (d.units < 0, mag, units);
}

gboolean
qt_stmt_dec_add (QtStmtDec a, QtStmtDec b, QtStmtDec *out)
{
  const guint scale = MAX (a.scale, b.scale);
  gint64 x, y;
  if (!dec_rescale (a, scale, &x) || !dec_rescale (b, scale, &y))
    return FALSE;
  if ((y > 0 && x > G_MAXINT64 - y) || (y < 0 && x < G_MININT64 - y))
    return FALSE;
  *out = (QtStmtDec) { x + y, scale };
  return TRUE;
}

void
qt_stmt_dec_get (QtStmtDec d, mpq_t out)
{
  mpz_set_si (mpq_numref (out), d.units); /* long is 64-bit, as in calc/amount.c */
  mpz_set_ui (mpq_denref (out), pow10_u64[d.scale]);
  mpq_canonicalize (out);
}

/* The escape of one byte that may not appear raw in a JSON string. */
static void
json_escape (GString *s, guchar c)
{
  static const char hex[] = "0123456789abcdef";
  char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
  const char *named = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
  if (named != NULL)
    qt_stmt_put (s, named, 2);
  else
    qt_stmt_put (s, esc, sizeof esc);
}

void
qt_stmt_json_string (GString *s, const char *text)
{
  qt_stmt_putc (s, '"');
  const char *run = text;
  const char *p = text;
  for (; *p; p++)
    {
      const guchar c = (guchar) *p;
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      qt_stmt_put (s, run, (gsize) (p - run));
      json_escape (s, c);
      run = p + 1;
    }
  qt_stmt_put (s, run, (gsize) (p - run));
  qt_stmt_putc (s, '"');
}
