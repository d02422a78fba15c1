/* calc/tiers.h — a tier ladder, shared by commissions (SPEC §4.5, §12.6.3:
 * bounds are attainment × quota) and distributor rebates (SPEC §11: bounds
 * are volumes): the tier a value reaches, with half-open bounds (exactly on
 * a bound is the higher tier; below the first bound is the first tier),
 * what it still needs for the next tier, and the amount, marginal (each
 * tier's rate on the part of the value inside it) or retroactive (the
 * whole value at the rate of the tier reached). */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../rules/plan.h"

G_BEGIN_DECLS

/* One tier of a ladder, as computed for one value. */
typedef struct {
  const QtTier *tier;
  gboolean has_upper;
  mpq_t lower, upper;   /* the bounds: from × scale (upper: the next tier's) */
  mpq_t portion;        /* the part of the value counted in this tier */
  mpq_t amount;         /* rate × portion */
} QtTierLine;

/* n lines for tiers[0..n) with bounds from × scale (the portions and
 * amounts 0).  Clear with qt_tier_lines_free.  (transfer full) */
QtTierLine *qt_tier_lines_new (const QtTier *tiers, guint n, mpq_srcptr scale);
void qt_tier_lines_free (QtTierLine *lines, guint n);

/* The index of the tier `value` reaches; with a next tier, *needed (may be
 * NULL) = its lower bound − value and TRUE. */
guint qt_tiers_reached (const QtTierLine *lines, guint n, mpq_srcptr value, gboolean *has_next,
                        mpq_ptr needed);

/* Fills the portions and amounts for `value` (≥ 0) and adds their sum to
 * *total: marginal, or retroactive in tier `reached`. */
void qt_tiers_marginal (QtTierLine *lines, guint n, mpq_srcptr value, mpq_ptr total);
void qt_tiers_retroactive (QtTierLine *lines, guint reached, mpq_srcptr value, mpq_ptr total);

G_END_DECLS
