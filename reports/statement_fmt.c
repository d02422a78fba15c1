/* reports/statement_fmt.c — date and JSON string appenders for the
 * statements (numbers come from model/money.h). */
#include "statement_internal.h"

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

void
qt_stmt_json_id (GString *s, const char *id)
{
  qt_stmt_putc (s, '"');
  put_escaped (s, id, qt_id_len (id));
  qt_stmt_putc (s, '"');
}
