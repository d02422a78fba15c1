/* calc/commission.h — SPEC §4.5, §12.6.3: tiered commission on W. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../rules/plan.h"
#include "result.h"

G_BEGIN_DECLS

/* Fills the rep's tier table (out->tiers, n_tiers), the tier reached and
 * the next one (tier, has_next_tier, next_tier_needed), clawback, capped,
 * commission_uncapped and commission from out->weighted, out->has_quota and
 * out->quota with the rules of `plan` (next_tier_needed must be
 * initialised).  Without a quota the commission is 0
 * (SPEC §12.6.1) and the table shows no portions. */
void qt_commission_compute (const QtPlanVersion *plan, QtRepResult *out);

G_END_DECLS
