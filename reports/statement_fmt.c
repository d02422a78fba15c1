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

/* Grows s for n more bytes (GLib doubles the buffer). */
void
qt_stmt_reserve (GString *s, gsize n)
{
  gsize len = s->len;
  g_string_set_size (s, len + n); /* grows the buffer geometrically */
  g_string_truncate (s, len);
}

/* n spaces in one memset. */
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

/* "00" .. "99": two digits per step when printing. */
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
 * only when negative and mag != 0 (like calc/amount.c's format_scaled). */
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
      for (; i >= 2; i -= 2, mag /= 100) /* two digits per division */
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
  qt_stmt_put (s, p, (gsize) (end - p));
}

/* An unsigned integer in decimal. */
void
qt_stmt_uint (GString *s, guint64 v)
{
  put_scaled (s, FALSE, v, 0);
}

/* A signed integer in decimal. */
void
qt_stmt_int (GString *s, gint64 v)
{
  put_scaled (s, v < 0, magnitude (v), 0);
}

/* YYYY-MM-DD (as qt_date_format); nothing for a day outside the data
 * model's range, which no loaded date is (qt_date_format logs it). */
void
qt_stmt_day (GString *s, QtDay day)
{
  char buf[11];
  const char *text = qt_date_format (day, buf);
  if (text != NULL)
    qt_stmt_puts (s, text);
}

/* v as sign + magnitude / denominator when both fit one limb (and the
 * magnitude an int64): mpz_size and mpz_getlimbn read GMP's public fields
 * inline, without a call. */
static gboolean
small_frac (mpq_srcptr v, gboolean *negative, guint64 *mag, guint64 *den)
{
  if (mpz_size (mpq_numref (v)) > 1 || mpz_size (mpq_denref (v)) != 1)
    return FALSE;
  *mag = mpz_getlimbn (mpq_numref (v), 0); /* 0 when v is 0 */
  *den = mpz_getlimbn (mpq_denref (v), 0);
  *negative = mpq_sgn (v) < 0;
  return *mag <= (guint64) G_MAXINT64 && sizeof (mp_limb_t) <= sizeof (guint64);
}

/* SPEC §12.10 form of ±mag/den (lowest terms); FALSE when the scaled
 * decimal would not fit 64 bits (the caller then takes the GMP path). */
static gboolean
frac_exact (GString *s, gboolean negative, guint64 mag, guint64 den)
{
  const guint twos = (guint) __builtin_ctzll (den); /* den >= 1 */
  guint64 rest = den >> twos;
  guint fives = 0;
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
  /* den = 2^a 5^b divides 10^k, k = max(a, b), and 10^k / den is
   * 2^(b-a) or 5^(a-b) (no division); lowest terms leave no trailing zero
   * in mag × 10^k / den. */
  const guint k = MAX (twos, fives);
  if (k > 19)
    return FALSE;
  const guint64 factor = twos < fives ? (guint64) 1 << (fives - twos)
                                      : pow10_u64[twos - fives] >> (twos - fives);
  guint64 scaled;
  if (!g_uint64_checked_mul (&scaled, mag, factor))
    return FALSE;
  put_scaled (s, negative, scaled, k);
  return TRUE;
}

/* SPEC §12.10 exact form: integer fast path, else calc/amount.c. */
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

/* Half-even to `decimals` places: integer fast path, else calc/amount.c. */
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

/* The magnitude of a small fraction's numerator. */
static guint64
frac_mag (const QtFrac *f)
{
  return f->num < 0 ? -(guint64) f->num : (guint64) f->num;
}

/* qt_stmt_exact of a fraction: straight from its 64-bit terms when it
 * has them. */
void
qt_stmt_exact_frac (GString *s, const QtFrac *f)
{
  if (qt_frac_is_small (f) && frac_exact (s, f->num < 0, frac_mag (f), f->den))
    return;
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_frac_get (f, v);
  qt_stmt_exact (s, v);
}

/* qt_stmt_fixed of a fraction. */
void
qt_stmt_fixed_frac (GString *s, const QtFrac *f, guint decimals)
{
  if (qt_frac_is_small (f) && frac_fixed (s, f->num < 0, frac_mag (f), f->den, decimals))
    return;
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_frac_get (f, v);
  qt_stmt_fixed (s, v, decimals);
}

/* TRUE when the (canonical) denominator of v divides `unit`. */
static gboolean
den_divides (mpq_srcptr v, unsigned long unit)
{
  return mpz_cmp_ui (mpq_denref (v), unit) <= 0 && unit % mpz_get_ui (mpq_denref (v)) == 0;
}

/* Whether v has at most 2 decimals. */
gboolean
qt_stmt_is_cents (mpq_srcptr v)
{
  return den_divides (v, 100);
}

/* Exact when short, else "~" and 4 rounded decimals. */
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
static QtDec
dec_trim (QtDec d)
{
  while (d.scale > 0 && d.units % 10 == 0)
    {
      d.units /= 10;
      d.scale--;
    }
  return d;
}

/* The exact form of a decimal: on 64-bit integers when it fits them (as
 * every short one does), else through GMP — the same text either way. */
void
qt_stmt_dec (GString *s, QtDec d)
{
  d = dec_trim (d);
  if (d.units >= -G_MAXINT64 && d.units <= G_MAXINT64 && d.scale <= QT_NUM_MAX_SCALE)
    {
      put_scaled (s, d.units < 0, magnitude ((gint64) d.units), d.scale);
      return;
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_dec_get (d, v);
  qt_stmt_exact (s, v);
}

/* The exact form of a data set number (stored long values via GMP). */
void
qt_stmt_num (GString *s, const QtNumStore *nums, QtNum n)
{
  if (!qt_num_is_small (n))
    {
      qt_stmt_exact (s, qt_num_store_get (nums, n));
      return;
    }
  qt_stmt_dec (s, (QtDec) { n.units, n.scale });
}

/* qt_stmt_brief of a data set number, on its integers when short. */
void
qt_stmt_brief_num (GString *s, const QtNumStore *nums, QtNum n)
{
  if (!qt_num_is_small (n))
    {
      qt_stmt_brief (s, qt_num_store_get (nums, n));
      return;
    }
  QtDec d = dec_trim ((QtDec) { n.units, n.scale });
  if (d.scale <= 4)
    {
      qt_stmt_dec (s, d);
      return;
    }
  qt_stmt_putc (s, '~');
  /* a short value: its units fit 64 bits */
  put_scaled (s, d.units < 0, half_even (magnitude ((gint64) d.units), pow10_u64[d.scale - 4]), 4);
}

/* qt_stmt_fixed of a data set number, on its integers when short. */
void
qt_stmt_fixed_num (GString *s, const QtNumStore *nums, QtNum n, guint decimals)
{
  guint64 mag = magnitude (n.units);
  if (qt_num_is_small (n) && n.scale > decimals)
    {
      put_scaled (s, n.units < 0, half_even (mag, pow10_u64[n.scale - decimals]), decimals);
      return;
    }
  if (qt_num_is_small (n) && decimals <= 19
      && g_uint64_checked_mul (&mag, mag, pow10_u64[decimals - n.scale]))
    {
      put_scaled (s, n.units < 0, mag, decimals);
      return;
    }
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (nums, n, v);
  qt_stmt_fixed (s, v, decimals);
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

/* The escaped body of text[0..n): unescaped runs copied whole. */
static void
put_escaped (GString *s, const char *text, gsize n)
{
  const char *run = text;
  const char *end = text + n;
  for (const char *p = text; p < end; p++)
    {
      const guchar c = (guchar) *p;
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      qt_stmt_put (s, run, (gsize) (p - run));
      json_escape (s, c);
      run = p + 1;
    }
  qt_stmt_put (s, run, (gsize) (end - run));
}

/* A JSON string literal. */
void
qt_stmt_json_string (GString *s, const char *text)
{
  qt_stmt_putc (s, '"');
  put_escaped (s, text, strlen (text));
  qt_stmt_putc (s, '"');
}

/* v × 100, half-even to 2 decimals. */
void
qt_stmt_percent (GString *s, mpq_srcptr v)
{
  gboolean negative;
  guint64 mag, den, pct;
  if (small_frac (v, &negative, &mag, &den) && g_uint64_checked_mul (&pct, mag, 100)
      && frac_fixed (s, negative, pct, den, 2))
    return;
  g_auto (mpq_t) scaled;
  mpq_init (scaled);
  mpq_set_ui (scaled, 100, 1);
  mpq_mul (scaled, scaled, v);
  qt_stmt_fixed (s, scaled, 2);
}
