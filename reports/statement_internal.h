/* reports/statement_fmt.h — the appenders both statement renderers use:
 * exact and rounded numbers, integers, dates and JSON strings written
 * straight into a GString.  Small values take integer fast paths (no GMP
 * call, no allocation); anything larger goes through calc/amount.h, so the
 * text is always the same.  No static buffers: renderers run on several
 * threads at once.  Internal to reports/statement_*.c. */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <string.h>

#include "../model/date.h"
#include "../model/num.h"

G_BEGIN_DECLS

/* A short decimal held in integers: units / 10^scale, scale <= 18. */
typedef struct {
  gint64 units;
  guint scale;
} QtStmtDec;

/* Grows s so that n more bytes (and the NUL) fit. */
void qt_stmt_reserve (GString *s, gsize n);

/* Appends n bytes of p (no overlap with s). */
static inline void
qt_stmt_put (GString *s, const char *p, gsize n)
{
  if (G_UNLIKELY (s->len + n >= s->allocated_len))
    qt_stmt_reserve (s, n);
  memcpy (s->str + s->len, p, n);
  s->len += n;
  s->str[s->len] = '\0';
}

/* Appends a NUL-terminated string. */
static inline void
qt_stmt_puts (GString *s, const char *p)
{
  qt_stmt_put (s, p, strlen (p));
}

/* Appends one byte. */
static inline void
qt_stmt_putc (GString *s, char c)
{
  if (G_UNLIKELY (s->len + 1 >= s->allocated_len))
    qt_stmt_reserve (s, 1);
  s->str[s->len++] = c;
  s->str[s->len] = '\0';
}

/* n spaces. */
void qt_stmt_spaces (GString *s, gsize n);
/* A signed / unsigned integer in decimal. */
void qt_stmt_int (GString *s, gint64 v);
void qt_stmt_uint (GString *s, guint64 v);
/* YYYY-MM-DD. */
void qt_stmt_day (GString *s, QtDay day);

/* SPEC §12.10 exact form of v, exactly as qt_exact_format prints it. */
void qt_stmt_exact (GString *s, mpq_srcptr v);
/* The exact form of a data set number. */
void qt_stmt_num (GString *s, const QtNumStore *nums, QtNum n);
/* The exact form of a short decimal (trailing zeros dropped). */
void qt_stmt_dec (GString *s, QtStmtDec d);
/* v rounded half-even to `decimals` places, exactly as qt_fixed_format. */
void qt_stmt_fixed (GString *s, mpq_srcptr v, guint decimals);
/* The exact form when v terminates within 4 decimals, else "~" and v
 * rounded half-even to 4 decimals (for the text statement). */
void qt_stmt_brief (GString *s, mpq_srcptr v);
void qt_stmt_brief_num (GString *s, const QtNumStore *nums, QtNum n);
/* TRUE when the 2-decimal display of v is v itself. */
gboolean qt_stmt_is_cents (mpq_srcptr v);

/* n as a short decimal; FALSE for a long (stored) value. */
gboolean qt_stmt_dec_of_num (QtNum n, QtStmtDec *out);
/* a × b and a + b; FALSE when the result does not fit a short decimal. */
gboolean qt_stmt_dec_mul (QtStmtDec a, QtStmtDec b, QtStmtDec *out);
gboolean qt_stmt_dec_add (QtStmtDec a, QtStmtDec b, QtStmtDec *out);
/* The exact value of d into out (initialised). */
void qt_stmt_dec_get (QtStmtDec d, mpq_t out);

/* A JSON string literal (RFC 8259 escapes: quote, backslash, controls). */
void qt_stmt_json_string (GString *s, const char *text);

G_END_DECLS
