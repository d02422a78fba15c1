/* calc/result.h — everything one period's calculation produces: the
 * credited slices, the exception rows, and per rep every number of the
 * statement, exact and rounded.  Reports only read this. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/dataset.h"
#include "../rules/plan.h"
#include "../model/money.h"
#include "exception.h"
#include "tiers.h"

G_BEGIN_DECLS


/* One credited slice of a receipt (SPEC §4.2–4.3): one row of credits.csv. */
typedef struct {
  guint receipt, line, rep;          /* indexes into the data set */
  guint mult_mask;                   /* bit (1 << QtMultKind) per applied multiplier */
  const QtPlanVersion *plan;         /* receiving rep's version for the month */
  QtNum share;                       /* the split share (1 for an unsplit order) */
  mpq_srcptr weight;                 /* plan->weight_by_mask[mult_mask] */
  QtRat amount, weighted;            /* exact */
} QtSlice;


/* One score item (SPEC §4.8). */
typedef struct {
  const QtScoreItem *item;
  gboolean is_process;
  gboolean missing;     /* no activity row: value 0 */
  gboolean capped;      /* the cap bound the ratio */
  mpq_t value, ratio, score, contribution;
} QtScoreLine;

/* One bonus of the plan (SPEC §4.7, §4.8, §12.2.5). */
typedef struct {
  const QtBonus *bonus;
  gboolean paid;
  mpq_t exact, rounded;
} QtBonusLine;

typedef struct {
  QtPeriod period;
  gboolean has_quota;
  mpq_t w, quota;       /* quota 0 when none or ≤ 0 */
} QtSprintMonth;

typedef struct {
  guint rep;                        /* index into the data set */
  const QtPlanVersion *plan;        /* version in force for P */

  guint n_slices;
  mpq_t credit, weighted;           /* C_r and W_r */
  gboolean has_quota;
  mpq_t quota, attainment;          /* attainment 0 without quota */
  gboolean no_quota;                /* credits but no valid quota: NO_QUOTA */

  QtTierLine *tiers; guint n_tiers;
  gint tier;                        /* SPEC §12.6.3: the tier W reaches (half-open
                                     * bounds), -1 without quota */
  gboolean has_next_tier;           /* a tier above `tier` exists (and a quota) */
  mpq_t next_tier_needed;           /* tiers[tier + 1].lower − W, when has_next_tier */
  gboolean clawback, capped;
  mpq_t commission_uncapped, commission;  /* exact; commission is capped */

  guint *reports; guint n_reports;  /* direct reports (override base) */
  mpq_t override_base, override_amount;

  gboolean quarter_end;             /* P closes its quarter */
  /* The quarter's months up to P (all three at its end): W and quota of
   * each; sprint_w and sprint_quota sum them (quarter to date). */
  guint n_months;
  QtSprintMonth months[3];
  /* Mid-quarter: the quota of all three months (the later ones as
   * quotas.csv has them), when every month has a valid one. */
  gboolean has_quarter_quota;
  mpq_t quarter_quota;
  mpq_t sprint_w, sprint_quota;
  gboolean has_sprint_attainment;   /* quarter_end and sprint_quota > 0 */
  mpq_t sprint_attainment;          /* sprint_w / sprint_quota (SPEC §4.7) */

  QtScoreLine *score_lines; guint n_score_lines;
  mpq_t process, result, total;     /* weighted sums (fractions), total ×100 */
  mpq_t process_score, result_score; /* process and result ×100, as scores.csv shows them */
  guint team_rank, team_size;       /* team_size: reps in the rep's team */

  QtBonusLine *bonuses; guint n_bonuses;  /* every bonus of the plan */
  guint *adjustments; guint n_adjustments; /* rows of P, in file order */
  mpq_t *adjustments_rounded;

  /* SPEC §6: the exact components beside commission and override_amount:
   * Σ exact of the bonuses of each kind and of the adjustments, and their
   * exact total. */
  mpq_t sprint_bonus, score_bonus, adjustments_sum, total_exact;
  /* SPEC §6: each component rounded half-even; total = their sum. */
  mpq_t r_commission, r_override, r_sprint, r_score, r_adjustments, r_total;
} QtRepResult;

typedef struct {
  QtPeriod period;
  const QtDataset *ds;
  const QtPlanSet *plans;

  QtRepResult *reps; guint n_reps;  /* in reps.csv order */
  GArray *slices;                   /* QtSlice, sorted (receipt_id, line_no, rep_id) */
  GArray *exceptions;               /* QtException, sorted (file, line, code, message) */
  GPtrArray *plans_used;            /* const QtPlanVersion*, sorted (plan, version) */
  /* SPEC §12.5.3: per order row, its earliest positive receipt (by
   * received_on, then receipt_id), -1 when none: the calc index's table,
   * kept for the statements' fast_collection basis. */
  gint *first_positive;

  /* SPEC §7 control totals. */
  guint receipts_in_period, receipts_credited, receipts_excepted;
  mpq_t amount_in_period, amount_credited, amount_excepted;
  mpq_t sum_components, sum_totals;
} QtRunResult;

void qt_run_result_free (QtRunResult *res);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtRunResult, qt_run_result_free)

G_END_DECLS
