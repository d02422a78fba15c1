/* reports/statement.h — per-rep statements (SPEC §5): statements/<stem>.json
 * with every number exact and rounded plus the rule behind it, and
 * statements/<stem>.txt, the same month told for a person.
 *
 * JSON conventions: only strings, integers, booleans and null.  An exact
 * number is a string in SPEC §12.10 form ("10000/3", "2.0625"); an object
 * holding "exact" and "rounded" is a payable amount, "rounded" being the
 * half-even 2-decimal value that payout.csv prints.  Keys come in a fixed
 * order; arrays are sorted (credits by receipt_id, line_no; direct reports and
 * adjustments by id) so that input row order never changes the bytes.  Every
 * figure names its rule as a path into the plan file ("commission.tiers[1]",
 * "credit.multipliers[high_margin]", "bonuses[q_sprint]") with plan and
 * version; tier indexes ("current_tier") are 0-based like those paths. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../calc/result.h"

G_BEGIN_DECLS

/* Adds statements/<stem>.json and statements/<stem>.txt for every rep (SPEC §5). */
void qt_report_statements (const QtRunResult *res, GPtrArray *out);

/* File stem for a rep id: bytes [A-Za-z0-9_-], '.' when not first, and any
 * UTF-8 non-ASCII bytes are kept; every other byte becomes %XX (upper hex);
 * so ids like "../x" or "a/b" can never escape statements/.  Non-ASCII bytes
 * of an id that is not valid UTF-8 are escaped too.  (transfer full) */
char *qt_statement_file_stem (const char *rep_id);

/* Lookups the two renderers (statement_json.c, statement_text.c) share,
 * built once per run rather than per slice. */
typedef struct {
  const QtRunResult *res;
  GHashTable *customers;   /* customer_id (borrowed) → const QtCustomer* (borrowed) */
  GHashTable *products;    /* product_id (borrowed) → const QtProduct* (borrowed) */
  GHashTable *orders;      /* order_id (borrowed) → order index + 1 */
  GHashTable *team_sizes;  /* team_id (borrowed) → number of reps, as a pointer */
  mpq_t *order_net;        /* per order: Σ quantity × unit_price (SPEC §4.2) */
  gint *first_positive;    /* per order: earliest positive receipt (SPEC §12.5.3), -1 if none */
  GPtrArray **rep_slices;  /* per rep: const QtSlice* of res->slices, in its order */
} QtStatementIndex;

/* (transfer full) */
QtStatementIndex *qt_statement_index_new (const QtRunResult *res);
void qt_statement_index_free (QtStatementIndex *ix);

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

/* v × 100 with 2 decimals, half-even, for display ("109.24").  (transfer full) */
char *qt_statement_percent (const mpq_t v);

/* The statement of res->reps[rep] as JSON text (with a final newline) or as
 * text for a person.  (transfer full) */
GString *qt_statement_json (const QtStatementIndex *ix, guint rep);
GString *qt_statement_text (const QtStatementIndex *ix, guint rep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtStatementIndex, qt_statement_index_free)

G_END_DECLS
