/* calc/statement_model.h — everything a rep's statement shows (SPEC §5),
 * computed here so that reports/ only formats it.
 *
 * A model is one rep's statement: its credited slices, each with the
 * facts behind it (line and order nets, margin rate, the receipt that
 * timed fast_collection), the rep's figures (QtRepResult: C, W, quota,
 * attainment, the tier table, the tier reached and the next one, the
 * sprint quarter, score items, override base, bonuses, adjustments and
 * every payable exact and rounded), why the commission is what it is,
 * and the display orders (direct reports, adjustments by id).
 *
 * Models are built from a per-run index (what the run's slices need:
 * slices grouped by rep, order nets, the calc index's first positive
 * receipts).  The index is read-only once built, so any number of
 * threads may build models from one index at once. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/dataset.h"
#include "../model/money.h"
#include "result.h"

G_BEGIN_DECLS

/* One credited slice as the statements show it. */
typedef struct {
  const QtSlice *slice;        /* share, amount, mult_mask, weight, weighted */
  const QtReceipt *receipt;
  const QtOrderLine *line;
  const QtOrder *order;
  const QtCustomer *customer;  /* NULL when the order's customer id names no row */
  const QtProduct *product;    /* NULL when the line's product id names no row */
  QtRat line_net;             /* SPEC §4.2: quantity × unit_price */
  const QtRat *order_net;     /* SPEC §4.2: Σ of the order's line nets (held by the index) */
  gboolean has_margin_rate;    /* high_margin applied (so unit_price > 0) */
  QtRat margin_rate;          /* SPEC §4.3: (unit_price − unit_cost) / unit_price */
  const QtReceipt *timed_by;   /* SPEC §12.5.3: the receipt whose received_on times
                                * fast_collection: for a refund its order's first
                                * positive receipt, else the receipt itself */
  gint64 days_after_signing;   /* timed_by's received_on − the order's signed_on */
} QtStatementCredit;

/* A receipt of the period not credited (an exceptions.csv row of
 * receipts.csv) on an order the rep owns or is in the split of: what the
 * rep's statement tells in plain words instead of a file reps never see. */
typedef struct {
  const QtReceipt *receipt;
  const QtException *exception;
} QtExceptedReceipt;

/* Why the commission is what it is (SPEC §4.5, §12.6). */
typedef enum {
  QT_COMMISSION_NO_QUOTA_CREDITS, /* credits but no valid quota (NO_QUOTA): 0 */
  QT_COMMISSION_NO_QUOTA,         /* neither credits nor a valid quota: 0 */
  QT_COMMISSION_CLAWBACK,         /* W < 0: W × the first tier's rate */
  QT_COMMISSION_ZERO_W,           /* W = 0 */
  QT_COMMISSION_TIERS,            /* W > 0: the plan's tier mode, then its cap */
} QtCommissionCase;

/* The payable components in payout.csv order, then their total (SPEC §6). */
typedef enum {
  QT_PAYABLE_COMMISSION,
  QT_PAYABLE_OVERRIDE,
  QT_PAYABLE_SPRINT_BONUS,
  QT_PAYABLE_SCORE_BONUS,
  QT_PAYABLE_ADJUSTMENTS,
  QT_PAYABLE_TOTAL,
  QT_PAYABLE_COUNT
} QtPayableKind;

/* A payable amount: exact, and rounded half-even to QT_MONEY_DECIMALS
 * (the total: the sum of the rounded components).  Both point into the
 * rep's QtRepResult. */
typedef struct {
  mpq_srcptr exact, rounded;
} QtPayable;

/* One rep's statement. */
typedef struct {
  const QtRunResult *res;
  const QtRepResult *r;             /* res->reps[index]: the rep's figures */
  guint index;                      /* position in res->reps */
  const QtRep *rep;                 /* the rep's data set row */
  const QtRep *manager;             /* NULL when none */
  QtStatementCredit *credits;       /* sorted by (receipt_id, line_no) */
  guint n_credits;
  guint *reports;                   /* direct reports, positions in res->reps, by rep_id */
  guint *adjustments;               /* positions into r->adjustments and
                                     * r->adjustments_rounded, by adjustment_id */
  QtCommissionCase commission_case;
  QtPayable payable[QT_PAYABLE_COUNT];
  /* What it takes to earn more.  The quarterly sprint bonus of lowest
   * threshold the quarter does not reach, -1 when none, and the weighted
   * credit it lacks for it: min_attainment × the quarter's quota − the
   * quarter's W.  At the quarter's end (with a quarter quota) that is what
   * the quarter missed; before it (with every month's quota known) what the
   * rest of the quarter must bring. */
  gint sprint_bonus;                /* index into r->bonuses */
  mpq_t sprint_needed;
  /* The score item whose rise to its cap would add most to the total
   * score, -1 when no capped item is below its cap (or the plan has no
   * score), and those points of total score. */
  gint lever;                       /* index into r->score_lines */
  mpq_t lever_points;
  /* The period's receipts not credited that concern the rep, by
   * receipt_id (points into the index). */
  const QtExceptedReceipt *excepted;
  guint n_excepted;
} QtStatementModel;

typedef struct QtStatementIndex QtStatementIndex;

/* The index of a run's statements; `res` must outlive it.  (transfer full) */
QtStatementIndex *qt_statement_index_new (const QtRunResult *res);
void qt_statement_index_free (QtStatementIndex *ix);
/* The run the index was built for.  (transfer none) */
const QtRunResult *qt_statement_index_result (const QtStatementIndex *ix);

/* The statement of res->reps[rep].  (transfer full) */
QtStatementModel *qt_statement_model_build (const QtStatementIndex *ix, guint rep);
void qt_statement_model_free (QtStatementModel *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtStatementIndex, qt_statement_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtStatementModel, qt_statement_model_free)

G_END_DECLS
