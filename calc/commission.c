/* calc/commission.c — SPEC §4.5 and §12.6.3: marginal and retroactive
 * tiers (calc/tiers.h) on W with bounds attainment × quota, clawback on net
 * refunds, cap. */
#include "commission.h"

#include "../model/money.h"
#include "tiers.h"

void
qt_commission_compute (const QtPlanVersion *plan, QtRepResult *out)
{
  /* without a quota (0) every bound is 0: the table shows no portions */
  out->n_tiers = plan->n_tiers;
  out->tiers = qt_tier_lines_new (plan->tiers, plan->n_tiers, out->quota);
  mpq_set_ui (out->commission_uncapped, 0, 1);
  out->clawback = FALSE;
  out->capped = FALSE;
  out->tier = -1;
  out->has_next_tier = FALSE;
  if (!out->has_quota)
    {
      mpq_set_ui (out->commission, 0, 1);
      return;
    }
  out->tier = (gint) qt_tiers_reached (out->tiers, out->n_tiers, out->weighted,
                                       &out->has_next_tier, out->next_tier_needed);
  if (mpq_sgn (out->weighted) <= 0)
    {
      /* SPEC §4.5: net refunds claw back at the first tier's rate. */
      out->clawback = mpq_sgn (out->weighted) < 0;
      mpq_set (out->tiers[0].portion, out->weighted);
      mpq_mul (out->tiers[0].amount, out->weighted, out->tiers[0].tier->rate);
      mpq_set (out->commission_uncapped, out->tiers[0].amount);
    }
  else if (plan->mode == QT_MODE_MARGINAL)
    qt_tiers_marginal (out->tiers, out->n_tiers, out->weighted, out->commission_uncapped);
  else
    qt_tiers_retroactive (out->tiers, (guint) out->tier, out->weighted, out->commission_uncapped);
  mpq_set (out->commission, out->commission_uncapped);
  if (plan->has_cap && mpq_cmp (out->commission, plan->cap) > 0)
    {
      mpq_set (out->commission, plan->cap);
      out->capped = TRUE;
    }
}
