/* reports/statement_internal.h — shared by reports/statement_*.c only:
 * the two renderings of a statement model (calc/statement_model.h), the
 * sentences both state, and appenders writing exact and rounded numbers,
 * integers, dates and JSON strings straight into a GString.  Small values
 * take integer fast paths (no GMP call, no allocation); anything larger
 * goes through calc/amount.h, so the text is always the same.  No static
 * buffers: renderers run on several threads at once. */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <string.h>

#include "../calc/dec.h"
#include "../calc/result.h"
#include "../calc/statement_model.h"
#include "../model/date.h"
#include "../model/num.h"
#include "statement.h"

G_BEGIN_DECLS

/* ---- renderings --------------------------------------------------------- */

/* The statement of a model as JSON text (with a final newline) or as text
 * for a person.  (transfer full) */
GString *qt_statement_json_of (const QtStatementModel *m);
GString *qt_statement_text_of (const QtStatementModel *m);

/* One sentence each on why the commission is what it is (the model's
 * commission case) and, for a NO_QUOTA rep only (else NULL), what the
 * missing quota means.  (transfer full) */
char *qt_statement_commission_note (const QtStatementModel *m);
char *qt_statement_no_quota_note (const QtStatementModel *m);

/* ---- appenders -------------------------------------------------------- */

/* Grows s so that n more bytes (and the NUL) fit. */
void qt_stmt_reserve (GString *s, gsize n);

/* Appends n bytes of p. */
static inline void
qt_stmt_put (GString *s, const char *p, gsize n)
{
  g_string_append_len (s, p, (gssize) n);
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
  g_string_append_c (s, c);
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
/* The exact form of a decimal (calc/dec.h). */
void qt_stmt_dec (GString *s, QtDec d);
/* v rounded half-even to `decimals` places, exactly as qt_fixed_format. */
void qt_stmt_fixed (GString *s, mpq_srcptr v, guint decimals);
/* qt_stmt_exact and qt_stmt_fixed of a slice's value (calc/frac.h). */
void qt_stmt_exact_frac (GString *s, const QtFrac *f);
void qt_stmt_fixed_frac (GString *s, const QtFrac *f, guint decimals);
/* A data set number rounded half-even to `decimals` places. */
void qt_stmt_fixed_num (GString *s, const QtNumStore *nums, QtNum n, guint decimals);
/* The exact form when v terminates within 4 decimals, else "~" and v
 * rounded half-even to 4 decimals (for the text statement). */
void qt_stmt_brief (GString *s, mpq_srcptr v);
void qt_stmt_brief_num (GString *s, const QtNumStore *nums, QtNum n);
/* TRUE when the 2-decimal display of v is v itself. */
gboolean qt_stmt_is_cents (mpq_srcptr v);


/* v × 100 rounded half-even to 2 decimals ("109.24"). */
void qt_stmt_percent (GString *s, mpq_srcptr v);
/* A JSON string literal (RFC 8259 escapes: quote, backslash, controls). */
void qt_stmt_json_string (GString *s, const char *text);

G_END_DECLS
