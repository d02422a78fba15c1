/* reports/statement_internal.h — shared by reports/statement_*.c only:
 * the two renderings of a statement model (calc/statement_model.h), the
 * sentences both state, and appenders writing text, dates and JSON strings
 * straight into a GString (numbers: model/money.h).  No static buffers:
 * renderers run on several threads at once. */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <string.h>

#include "../calc/result.h"
#include "../calc/statement_model.h"
#include "../model/date.h"
#include "../model/money.h"
#include "../model/text_append.h"
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
  qt_text_append (s, p, n);
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
/* YYYY-MM-DD. */
void qt_stmt_day (GString *s, QtDay day);

/* A JSON string literal (RFC 8259 escapes: quote, backslash, controls). */
void qt_stmt_json_string (GString *s, const char *text);
/* qt_stmt_json_string of an id of the data set (interned, or laid out as
 * one: its length is stored). */
void qt_stmt_json_id (GString *s, const char *id);

G_END_DECLS
