/* reports/statement_internal.h — shared by reports/statement_*.c only: the
 * index the renderings read, the facts both renderings show, and appenders
 * writing exact and rounded numbers, integers, dates and JSON strings
 * straight into a GString.  Small values take integer fast paths (no GMP
 * call, no allocation); anything larger goes through calc/amount.h, so the
 * text is always the same.  No static buffers: renderers run on several
 * threads at once. */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <string.h>

#include "../model/money.h"
#include "../calc/result.h"
#include "../model/date.h"
#include "statement.h"

G_BEGIN_DECLS

/* ---- the index -------------------------------------------------------- */

/* One order that a slice of the run names. */
typedef struct {
  QtRat net;            /* SPEC §4.2 order net, Σ quantity × unit_price */
  gint first_positive;  /* SPEC §12.5.3 earliest positive receipt, -1 when none; only
                         * looked up for orders with a refund timed by it */
} QtStatementOrder;

struct QtStatementIndex {
  const QtRunResult *res;
  guint *team_size;              /* per data set rep: reps in its team */
  guint *slice_start;            /* per data set rep r: its slices are
                                  * slices[slice_start[r] .. slice_start[r + 1]) */
  const QtSlice **slices;        /* res->slices grouped by rep, each group in res->slices order */
  guint *order_slot;             /* per order row: 0 when no slice names it, else 1 + index
                                  * into orders */
  QtStatementOrder *orders;
  guint n_orders;
};

/* One credited slice with everything it names resolved (gathered in one
 * tight pass, so that the memory reads of many slices overlap). */
typedef struct {
  const QtSlice *sl;
  const QtReceipt *rc;
  const QtOrderLine *ln;
  const QtOrder *ord;
  const QtStatementOrder *order;  /* the order's index entry (net, first positive) */
  const QtCustomer *customer;     /* NULL when the customer id names no row */
  const QtProduct *product;       /* NULL when the product id names no row */
} QtStatementCredit;

/* The credits of data set rep `rep`, in res->slices order (sorted by
 * receipt_id, line_no).  (transfer full: g_free) */
QtStatementCredit *qt_statement_credits (const QtStatementIndex *ix, guint rep, guint *n);

/* The statement of res->reps[rep] as JSON or text, from its credits
 * gathered by qt_statement_credits (one gathering serves both).
 * (transfer full) */
GString *qt_statement_json_of (const QtStatementIndex *ix, guint rep,
                               const QtStatementCredit *credits, guint n_credits);
GString *qt_statement_text_of (const QtStatementIndex *ix, guint rep,
                               const QtStatementCredit *credits, guint n_credits);

/* Multiplier ids by QtMultKind (SPEC §5 order). */
extern const char *const qt_statement_mult_ids[QT_MULT_COUNT];

/* Row of the order a receipt pays. */
guint qt_statement_order_row (const QtReceipt *rc);

/* The index entry of an order some slice names. (transfer none) */
const QtStatementOrder *qt_statement_order (const QtStatementIndex *ix, guint order_row);

/* The receipt that times fast_collection for sl: a refund is timed by its
 * order's first positive receipt (SPEC §12.5.3), any other receipt by
 * itself. (transfer none) */
const QtReceipt *qt_statement_timed_by (const QtStatementIndex *ix, const QtSlice *sl);

/* For display, sorted by id so that row order never shows: r's direct
 * reports (indexes into res->reps, by rep_id) and r's adjustments
 * (positions k into r->adjustments / r->adjustments_rounded, by
 * adjustment_id).  (transfer full) */
guint *qt_statement_reports_sorted (const QtRunResult *res, const QtRepResult *r);
guint *qt_statement_adjustments_sorted (const QtRunResult *res, const QtRepResult *r);

/* SPEC §12.6.3: index of the tier W reaches (half-open intervals), or -1
 * without a quota. */
gint qt_statement_current_tier (const QtRepResult *r);

/* Weighted credit still needed to reach the next tier's lower bound, into
 * `needed`, and that tier's index; FALSE in the top tier or without quota. */
gboolean qt_statement_next_tier (const QtRepResult *r, mpq_t needed, guint *tier);

/* One sentence each on why the commission is what it is (no quota,
 * clawback, cap, tier mode) and, for a NO_QUOTA rep only (else NULL), what
 * the missing quota means.  (transfer full) */
char *qt_statement_commission_note (const QtStatementIndex *ix, const QtRepResult *r);
char *qt_statement_no_quota_note (const QtStatementIndex *ix, const QtRepResult *r);

/* Σ exact of r's bonuses of one kind, and of its adjustments. */
void qt_statement_bonus_sum (const QtRepResult *r, QtBonusKind kind, mpq_t out);
void qt_statement_adjustment_sum (const QtStatementIndex *ix, const QtRepResult *r, mpq_t out);

/* ---- appenders -------------------------------------------------------- */

/* Grows s so that n more bytes (and the NUL) fit. */
void qt_stmt_reserve (GString *s, gsize n);

/* Copies n bytes; short runs (most ids and numbers) as two overlapping
 * fixed-size moves instead of a call to memcpy. */
static inline void
qt_stmt_copy (char *d, const char *p, gsize n)
{
  if (n > 16)
    memcpy (d, p, n);
  else if (n >= 8)
    {
      memcpy (d, p, 8);
      memcpy (d + n - 8, p + n - 8, 8);
    }
  else if (n >= 4)
    {
      memcpy (d, p, 4);
      memcpy (d + n - 4, p + n - 4, 4);
    }
  else if (n > 0)
    {
      d[0] = p[0];
      d[n / 2] = p[n / 2];
      d[n - 1] = p[n - 1];
    }
}

/* Appends n bytes of p (no overlap with s). */
static inline void
qt_stmt_put (GString *s, const char *p, gsize n)
{
  if (G_UNLIKELY (s->len + n >= s->allocated_len))
    qt_stmt_reserve (s, n);
  qt_stmt_copy (s->str + s->len, p, n);
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
/* YYYY-MM-DD. */
void qt_stmt_day (GString *s, QtDay day);

/* The exact line net quantity × unit_price (SPEC §4.2). */
void qt_stmt_line_net (GString *s, const QtNumStore *nums, const QtOrderLine *ln);
/* The exact margin rate (unit_price − unit_cost) / unit_price of a line
 * whose unit_price is not 0 (SPEC §4.3 high_margin). */
void qt_stmt_margin_rate (GString *s, const QtNumStore *nums, const QtOrderLine *ln);
/* The exact order net of an index entry. */
void qt_stmt_order_net (GString *s, const QtStatementOrder *o);

/* A JSON string literal (RFC 8259 escapes: quote, backslash, controls). */
void qt_stmt_json_string (GString *s, const char *text);

G_END_DECLS
