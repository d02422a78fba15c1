/* calc/rebate.h — SPEC §11: one quarter's distributor rebates.  Every
 * shipment shipped in the quarter is reconciled against its invoices and
 * acceptances (all of them, whatever their dates) and either qualifies or
 * gets the first exception code that applies; each partner's qualified
 * volume goes through its rebate plan's tier ladder (calc/tiers.h).  No
 * I/O: the data set and plans come in, figures go out. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/dataset.h"
#include "../rules/plan.h"
#include "exception.h"
#include "tiers.h"

G_BEGIN_DECLS

/* SPEC §11 rule 4, in the order they are checked. */
typedef enum {
  QT_RECON_QUALIFIED,
  QT_RECON_UNKNOWN_PARTNER,
  QT_RECON_UNKNOWN_PRODUCT,
  QT_RECON_CATEGORY_EXCLUDED,
  QT_RECON_MISSING_INVOICE,
  QT_RECON_INVOICE_AMOUNT_MISMATCH,
  QT_RECON_MISSING_ACCEPTANCE,
  QT_RECON_ACCEPTANCE_QUANTITY_MISMATCH,
  QT_RECON_COUNT
} QtReconCode;

/* "unknown_partner", …; "" for QT_RECON_QUALIFIED. (transfer none) */
const char *qt_recon_code_name (QtReconCode code);

/* Whether paperwork can still qualify a shipment excepted with `code`
 * (invoices and acceptances), or not (an unknown product, a category the
 * plan does not cover). */
gboolean qt_recon_code_fixable (QtReconCode code);

/* One shipment of the quarter: a row of reconciliation.csv. */
typedef struct {
  guint shipment;          /* index into ds->shipments */
  QtReconCode code;
  guint n_invoices, n_acceptances;
  mpq_t invoiced, accepted; /* exact sums, 0 when none */
} QtReconLine;

/* One partner of partners.csv: a row of rebates.csv and a statement. */
typedef struct {
  guint partner;           /* index into ds->partners */
  const QtPlanVersion *plan; /* in force on the quarter's first day */
  guint n_qualified, n_excepted;
  mpq_t volume;            /* qualified, exact */
  mpq_t volume_rounded;    /* 2 decimals, half-even */
  QtTierLine *tiers; guint n_tiers;
  guint tier;              /* reached (half-open bounds) */
  gboolean has_next_tier;
  mpq_t next_tier_needed;  /* the next tier's bound − volume */
  mpq_t next_tier_rebate;  /* the rebate at exactly that bound */
  mpq_t rebate_exact, rebate; /* rebate: 2 decimals, half-even */
  mpq_t held[QT_RECON_COUNT]; /* the partner's excepted amount, by code */
  guint held_count[QT_RECON_COUNT]; /* and shipments */
  mpq_t held_fixable, held_not_eligible; /* the two sums (qt_recon_code_fixable) */
  guint n_fixable, n_not_eligible;
  guint *lines; guint n_lines; /* its reconciliation lines (indexes), by shipment_id */
} QtPartnerRebate;

typedef struct {
  QtQuarter quarter;
  QtDay first_day, last_day;
  const QtDataset *ds;
  const QtPlanSet *plans;
  QtReconLine *lines; guint n_lines;  /* sorted by shipment_id, bytewise */
  QtPartnerRebate *partners; guint n_partners; /* sorted by partner_id, bytewise */
  GArray *exceptions;       /* QtException, sorted (file, line, code, message) */
  GPtrArray *plans_used;    /* const QtPlanVersion*, sorted (plan, version) */
  /* control totals: the quarter's shipments = qualified + excepted */
  guint n_shipments, n_qualified, n_excepted;
  mpq_t amount_shipped, amount_qualified, amount_excepted;
  mpq_t rebate_total;       /* Σ rounded rebates */
} QtRebateResult;

/* Computes quarter `q`.  A partner whose rebate_plan names no rebate plan,
 * or none in force on the quarter's first day, fails with
 * QT_ERROR_MALFORMED `partners.csv:LINE:COLUMN: …`.  (transfer full) */
QtRebateResult *qt_rebate_compute (const QtDataset *ds, const QtPlanSet *plans, QtQuarter q,
                                   GError **error);
void qt_rebate_result_free (QtRebateResult *res);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtRebateResult, qt_rebate_result_free)

G_END_DECLS
