/* calc/tiers.c — a tier ladder (see tiers.h). */
#include "tiers.h"

#include "../model/money.h"

QtTierLine *
qt_tier_lines_new (const QtTier *tiers, guint n, mpq_srcptr scale)
{
  QtTierLine *lines = g_new0 (QtTierLine, n);
  for (guint i = 0; i < n; i++)
    {
      QtTierLine *t = &lines[i];
      t->tier = &tiers[i];
      t->has_upper = i + 1 < n;
      mpq_inits (t->lower, t->upper, t->portion, t->amount, NULL);
      mpq_mul (t->lower, tiers[i].from, scale);
      if (t->has_upper)
        mpq_mul (t->upper, tiers[i + 1].from, scale);
    }
  return lines;
}

void
qt_tier_lines_free (QtTierLine *lines, guint n)
{
  for (guint i = 0; lines != NULL && i < n; i++)
    mpq_clears (lines[i].lower, lines[i].upper, lines[i].portion, lines[i].amount, NULL);
  g_free (lines);
}

guint
qt_tiers_reached (const QtTierLine *lines, guint n, mpq_srcptr value, gboolean *has_next,
                  mpq_ptr needed)
{
  guint reached = 0;
  for (guint i = 0; i < n; i++)
    if (mpq_cmp (value, lines[i].lower) >= 0)
      reached = i;
  *has_next = reached + 1 < n;
  if (*has_next && needed != NULL)
    mpq_sub (needed, lines[reached + 1].lower, value);
  return reached;
}

void
qt_tiers_marginal (QtTierLine *lines, guint n, mpq_srcptr value, mpq_ptr total)
{
  g_auto (mpq_t) top;
  mpq_init (top);
  for (guint i = 0; i < n; i++)
    {
      QtTierLine *t = &lines[i];
      mpq_set (top, value);
      if (t->has_upper && mpq_cmp (top, t->upper) > 0)
        mpq_set (top, t->upper);
      mpq_sub (t->portion, top, t->lower);
      if (mpq_sgn (t->portion) < 0)
        mpq_set_ui (t->portion, 0, 1);
      mpq_mul (t->amount, t->portion, t->tier->rate);
      mpq_add (total, total, t->amount);
    }
}

void
qt_tiers_retroactive (QtTierLine *lines, guint reached, mpq_srcptr value, mpq_ptr total)
{
  QtTierLine *t = &lines[reached];
  mpq_set (t->portion, value);
  mpq_mul (t->amount, t->portion, t->tier->rate);
  mpq_add (total, total, t->amount);
}
