/* calc/credit.h — SPEC §4.1–4.4, §12.3–12.5: which receipts of a month are
 * credited, their allocation to lines and reps, multipliers and weights. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../rules/plan.h"
#include "index.h"
#include "result.h"

G_BEGIN_DECLS

/* The credit of one month. */
typedef struct {
  QtPeriod period;
  guint n_reps;
  mpq_t *credit, *weighted;   /* C_r, W_r per rep index */
  guint *n_slices;            /* credited slices per rep */
  GArray *slices;             /* QtSlice (NULL unless detailed), unsorted */
  GArray *exceptions;         /* QtException of blocked receipts (NULL unless detailed) */
  guint receipts_in_period, receipts_credited, receipts_excepted;
  mpq_t amount_in_period, amount_credited, amount_excepted;
} QtMonthCredit;

/* Both need the index's eligible-day table of every plan version's
 * eligible statuses (qt_index_prepare_eligible, as the engine does);
 * without them they return NULL (a programming error, logged).
 *
 * Computes the credit of `period`.  With `detailed`, keeps every slice and
 * one exception per blocked receipt.  A receipt whose owner has no plan
 * version in force that month is treated as ineligible (that can only
 * happen for the earlier months of a sprint quarter; see docs).
 * (transfer full) */
QtMonthCredit *qt_credit_month (const QtIndex *ix, const QtPlanSet *plans, QtPeriod period,
                                gboolean detailed);
void qt_month_credit_free (QtMonthCredit *mc);

/* One month's credit shared by several threads: each qt_month_work_run
 * takes chunks of the month's receipts until none is left and returns the
 * credit of the chunks it took; qt_month_credit_merge adds them up (exact
 * sums: the same result however the chunks fell). */
typedef struct QtMonthWork QtMonthWork;
QtMonthWork *qt_month_work_new (const QtIndex *ix, const QtPlanSet *plans, QtPeriod period,
                                gboolean detailed);
QtMonthCredit *qt_month_work_run (QtMonthWork *w);
void qt_month_work_free (QtMonthWork *w);
/* Adds `from` into `into` (moving its slices and exceptions) and frees it. */
void qt_month_credit_merge (QtMonthCredit *into, QtMonthCredit *from);

/* Frees the owned members of a slice (a GArray clear func). */
void qt_slice_clear (gpointer slice);

/* SPEC §4.2: a line's net, quantity × unit_price, into *out. */
void qt_credit_line_net (const QtDataset *ds, const QtOrderLine *ln, QtRat *out);

/* SPEC §4.3 high_margin basis: (unit_price − unit_cost) / unit_price into
 * *out; FALSE (out untouched) when unit_price is 0. */
gboolean qt_credit_margin_rate (const QtDataset *ds, const QtOrderLine *ln, QtRat *out);

/* SPEC §12.5.3: the receipt whose date times fast_collection for receipt
 * `receipt`: a refund is timed by its order's first positive receipt
 * (`first_positive` per order row, -1 for none: then -1), any other
 * receipt by itself. */
gint qt_credit_timing_receipt (const QtDataset *ds, const gint *first_positive, guint receipt);

/* The plan version in force on the first day of `period` for the plan of
 * rep `rep`, or NULL. (transfer none) */
const QtPlanVersion *qt_credit_rep_plan (const QtIndex *ix, const QtPlanSet *plans, guint rep,
                                         QtPeriod period);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtMonthCredit, qt_month_credit_free)

G_END_DECLS
