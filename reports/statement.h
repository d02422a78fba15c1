/* reports/statement.h — per-rep statements (SPEC §5): statements/<stem>.json
 * with every number exact and rounded plus the rule behind it, and
 * statements/<stem>.txt, the same month told for a person.
 *
 * JSON (format_version 4, docs/statement.schema.json): only strings,
 * integers, booleans and null.  One number form: every value is a string in
 * SPEC §12.10 exact form ("10000/3", "2.0625"); a figure paid or shown
 * rounded carries "exact" and "rounded" (half-even, 2 decimals: what
 * payout.csv, scores.csv or the text shows).  Keys come in a fixed order;
 * arrays and lookup objects are sorted (credits by receipt_id, line_no;
 * receipts, orders, customers and products by id; direct reports and
 * adjustments by id) so that input row order never changes the bytes.
 * Every figure names its rule as a path into the plan file
 * ("commission.tiers[1]", "credit.multipliers[high_margin]",
 * "bonuses[q_sprint]") with plan and version; tier numbers ("tier",
 * "tier_reached") count from 1 as the text does.
 *
 * Layout: two-space indentation; small objects (rep, plan, a payable
 * amount, a tier, a lookup entry, a credit) on one line without blanks.
 * What repeats across credits is stated once: "multiplier_rules",
 * "receipts", "orders", "customers" and "products" (the last four holding
 * exactly the entries the credits name); each credit is an object of its
 * 16 members on its own line. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../calc/result.h"
#include "../calc/statement_model.h"
#include "output.h"

G_BEGIN_DECLS

/* Adds statements/<stem>.json and statements/<stem>.txt for every rep, in
 * rep_id order (SPEC §5), rendered on 2 threads. */
void qt_report_statements (const QtRunResult *res, GPtrArray *out);

/* The same on `n_threads` (>= 1) threads: the bytes never depend on it. */
void qt_report_statements_threads (const QtRunResult *res, GPtrArray *out, guint n_threads);

/* Renders the statements a batch at a time and hands each file to `sink`
 * in rep_id order; stops at the first error of the sink. */
gboolean qt_report_statements_to (const QtRunResult *res, QtOutputSink *sink, guint n_threads,
                                  GError **error);

/* File stem for a rep id: bytes [A-Za-z0-9_-], '.' when not first, and any
 * UTF-8 non-ASCII bytes are kept; every other byte becomes %XX (upper hex);
 * so ids like "../x" or "a/b" can never escape statements/.  Non-ASCII bytes
 * of an id that is not valid UTF-8 are escaped too.  A stem that would be
 * longer than 120 bytes is cut to at most 80 (never inside a character)
 * and ends in '~' and 32 hex digits of the id's SHA-256, so every valid id
 * has a short, unique file name; the statement itself carries the whole
 * id.  (transfer full) */
char *qt_statement_file_stem (const char *rep_id);

/* The statement of res->reps[rep] as JSON text (with a final newline) or as
 * text for a person, from the run's statement index (calc/statement_model.h:
 * reports only format the model it builds).  (transfer full) */
GString *qt_statement_json (const QtStatementIndex *ix, guint rep);
GString *qt_statement_text (const QtStatementIndex *ix, guint rep);

G_END_DECLS
