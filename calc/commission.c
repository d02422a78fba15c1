/* calc/commission.c — SPEC §4.5 and §12.6.3: marginal and retroactive
 * tiers, clawback on net refunds, cap. */
#include "commission.h"

#include "../model/money.h"

static void
init_table (const QtPlanVersion *plan, QtRepResult *out)
{
  out->n_tiers = plan->n_tiers;
  out->tiers = g_new0 (QtTierLine, plan->n_tiers);
  for (guint i = 0; i < plan->n_tiers; i++)
    {
      QtTierLine *t = &out->tiers[i];
      t->tier = &plan->tiers[i];
      t->has_upper = i + 1 < plan->n_tiers;
      mpq_inits (t->lower, t->upper, t->portion, t->amount, NULL);
      if (!out->has_quota)
        continue;
      mpq_mul (t->lower, plan->tiers[i].from, out->quota);
      if (t->has_upper)
        mpq_mul (t->upper, plan->tiers[i + 1].from, out->quota);
    }
}

/* Σ_i t_i × (part of W inside [b_i·q, b_{i+1}·q)). */
static void
marginal (QtRepResult *out)
{
  g_auto (mpq_t) top;
  mpq_init (top);
  for (guint i = 0; i < out->n_tiers; i++)
    {
      QtTierLine *t = &out->tiers[i];
      mpq_set (top, out->weighted);
      if (t->has_upper && mpq_cmp (top, t->upper) > 0)
        mpq_set (top, t->upper);
      mpq_sub (t->portion, top, t->lower);
      if (mpq_sgn (t->portion) < 0)
        mpq_set_ui (t->portion, 0, 1);
      mpq_mul (t->amount, t->portion, t->tier->rate);
      mpq_add (out->commission_uncapped, out->commission_uncapped, t->amount);
    }
}

/* SPEC §12.6.3: the tier holding W (half-open intervals: exactly on a
 * bound is the higher tier; W below 0 is in the first), and what W still
 * needs to reach the next one.  Needs a quota. */
static void
tier_reached (QtRepResult *out)
{
  out->tier = 0;
  for (guint i = 0; i < out->n_tiers; i++)
    if (mpq_cmp (out->weighted, out->tiers[i].lower) >= 0)
      out->tier = (gint) i;
  out->has_next_tier = (guint) out->tier + 1 < out->n_tiers;
  if (out->has_next_tier)
    mpq_sub (out->next_tier_needed, out->tiers[out->tier + 1].lower, out->weighted);
}

/* W × t_k for the tier k holding the attainment. */
static void
retroactive (QtRepResult *out)
{
  QtTierLine *t = &out->tiers[out->tier];
  mpq_set (t->portion, out->weighted);
  mpq_mul (t->amount, t->portion, t->tier->rate);
  mpq_set (out->commission_uncapped, t->amount);
}

void
qt_commission_compute (const QtPlanVersion *plan, QtRepResult *out)
{
  init_table (plan, out);
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
  tier_reached (out);
  if (mpq_sgn (out->weighted) <= 0)
    {
      /* SPEC §4.5: net refunds claw back at the first tier's rate. */
      out->clawback = mpq_sgn (out->weighted) < 0;
      mpq_set (out->tiers[0].portion, out->weighted);
      mpq_mul (out->tiers[0].amount, out->weighted, out->tiers[0].tier->rate);
      mpq_set (out->commission_uncapped, out->tiers[0].amount);
    }
  else if (plan->mode == QT_MODE_MARGINAL)
    marginal (out);
  else
    retroactive (out);
  mpq_set (out->commission, out->commission_uncapped);
  if (plan->has_cap && mpq_cmp (out->commission, plan->cap) > 0)
    {
      mpq_set (out->commission, plan->cap);
      out->capped = TRUE;
    }
}
