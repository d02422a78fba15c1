/* reports/statement_fmt.c — date and JSON string appenders for the
 * statements (numbers come from model/money.h). */
#include "statement_internal.h"

#include "../model/money.h"

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

/* n as `width` decimal digits (zero-padded). */
static char *
put_digits (char *w, guint n, guint width)
{
  for (guint k = width; k > 0; k--)
    {
      w[k - 1] = (char) ('0' + n % 10);
      n /= 10;
    }
  return w + width;
}

/* YYYY-MM-DD without GDate (same text as qt_date_format). */
void
qt_stmt_day (GString *s, QtDay day)
{
  if (day < 1 || day > 3652059) /* outside 0001-01-01 .. 9999-12-31: the model's own check */
    {
      char buf[11];
      qt_stmt_puts (s, qt_date_format (day, buf));
      return;
    }
  guint y, m, d;
  qt_day_civil (day, &y, &m, &d);
  char buf[10];
  char *w = put_digits (buf, y, 4);
  *w++ = '-';
  w = put_digits (w, m, 2);
  *w++ = '-';
  put_digits (w, d, 2);
  qt_stmt_put (s, buf, sizeof buf);
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

/* Whether any of the 8 bytes in x is '"', '\\' or below 0x20 (exact
 * for the word as a whole: the classic has-zero-byte test). */
static gboolean
word_needs_escape (guint64 x)
{
  const guint64 ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const guint64 quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
  const guint64 hit = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)
                      | ((x - ones * 0x20) & ~x);
  return (hit & highs) != 0;
}

/* Whether text[0..n) has a byte a JSON string may not hold raw. */
static gboolean
needs_escape (const char *text, gsize n)
{
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    {
      guint64 x;
      memcpy (&x, text + i, 8);
      if (word_needs_escape (x))
        return TRUE;
    }
  for (; i < n; i++)
    if ((guchar) text[i] < 0x20 || text[i] == '"' || text[i] == '\\')
      return TRUE;
  return FALSE;
}

/* The escaped body of text[0..n), byte by byte. */
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

/* A JSON string literal; the common unescaped case is one copy. */
void
qt_stmt_json_string (GString *s, const char *text)
{
  const gsize n = strlen (text);
  qt_stmt_putc (s, '"');
  if (needs_escape (text, n))
    put_escaped (s, text, n);
  else
    qt_stmt_put (s, text, n);
  qt_stmt_putc (s, '"');
}

/* quantity × unit_price, exact. */
void
qt_stmt_line_net (GString *s, const QtNumStore *nums, const QtOrderLine *ln)
{
  QtRat q = { 0 }, p = { 0 };
  qt_rat_set_num (&q, nums, ln->quantity);
  qt_rat_set_num (&p, nums, ln->unit_price);
  qt_rat_mul (&q, &q, &p);
  qt_append_exact_rat (s, &q);
  qt_rat_clear (&q);
  qt_rat_clear (&p);
}

/* (unit_price − unit_cost) / unit_price, exact (unit_price > 0). */
void
qt_stmt_margin_rate (GString *s, const QtNumStore *nums, const QtOrderLine *ln)
{
  QtRat price = { 0 }, rate = { 0 };
  qt_rat_set_num (&price, nums, ln->unit_price);
  qt_rat_set_num (&rate, nums, ln->unit_cost);
  qt_rat_sub (&rate, &price, &rate);
  qt_rat_div (&rate, &rate, &price);
  qt_append_exact_rat (s, &rate);
  qt_rat_clear (&price);
  qt_rat_clear (&rate);
}

/* An index entry's order net, exact. */
void
qt_stmt_order_net (GString *s, const QtStatementOrder *o)
{
  qt_append_exact_rat (s, &o->net);
}
