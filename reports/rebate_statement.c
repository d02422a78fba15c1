/* reports/rebate_statement.c — a partner's rebate statement (SPEC §11):
 * statements/<stem>.txt for a person (the rebate first, then how it is
 * computed, the tier ladder, what the next tier needs and pays, what is
 * held back and why, every shipment of the quarter) and
 * statements/<stem>.json with the same figures exact and rounded.  Every
 * figure comes from calc/rebate.h; this file only formats. */
#include "rebate_report.h"

#include "../model/money.h"
#include "statement.h"
#include "statement_internal.h"

/* ---- text ---- */

static void
append_exact (GString *s, mpq_srcptr v)
{
  g_autofree char *t = qt_exact_format (v);
  g_string_append (s, t);
}

static void
append_money (GString *s, mpq_srcptr v)
{
  g_autofree char *t = qt_fixed_format (v, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append (s, t);
}

static const char *
plural (guint n)
{
  return n == 1 ? "" : "s";
}

static void
text_header (GString *s, const QtRebateResult *res, const QtPartnerRebate *p)
{
  const QtPartner *row = &res->ds->partners[p->partner];
  char q[8], a[11], b[11];
  g_string_append_printf (s, "Rebate statement %s (%s to %s)\n", qt_quarter_format (res->quarter, q),
                          qt_date_format (res->first_day, a), qt_date_format (res->last_day, b));
  g_string_append_printf (s, "Partner %s  %s\n", row->partner_id, row->name);
  g_string_append_printf (s, "Plan %s version %" G_GINT64_FORMAT " (%s), currency %s\n\n",
                          p->plan->plan, p->plan->version,
                          p->plan->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive",
                          p->plan->currency);
  g_string_append (s, "Rebate payable  ");
  append_money (s, p->rebate);
  g_string_append_printf (s, " %s\n\n", p->plan->currency);
}

/* How the rebate follows from the qualified volume. */
static void
text_computation (GString *s, const QtPartnerRebate *p)
{
  g_string_append_printf (s, "How it is computed\n  Qualified volume: ");
  append_money (s, p->volume_rounded);
  if (!mpq_equal (p->volume, p->volume_rounded))
    {
      /* the tier is reached by the exact volume, not the printed one */
      g_string_append (s, " (exactly ");
      append_exact (s, p->volume);
      g_string_append_c (s, ')');
    }
  g_string_append_printf (s, " (%u shipment%s)\n", p->n_qualified, plural (p->n_qualified));
  g_string_append_printf (s, "  Tier reached: %u of %u, from ", p->tier + 1, p->n_tiers);
  append_exact (s, p->tiers[p->tier].lower);
  g_string_append (s, " at rate ");
  append_exact (s, p->tiers[p->tier].tier->rate);
  g_string_append (s, "\n  (a volume exactly on a bound is in the higher tier)\n");
  if (p->plan->mode == QT_MODE_RETROACTIVE)
    {
      g_string_append (s, "  Retroactive: the whole volume at the rate of the tier reached\n    ");
      append_exact (s, p->tiers[p->tier].portion);
      g_string_append (s, " x ");
      append_exact (s, p->tiers[p->tier].tier->rate);
      g_string_append (s, " = ");
      append_exact (s, p->rebate_exact);
      g_string_append_c (s, '\n');
    }
  else
    {
      g_string_append (s, "  Marginal: each tier's rate on the part of the volume inside it\n");
      for (guint i = 0; i < p->n_tiers; i++)
        {
          const QtTierLine *t = &p->tiers[i];
          g_string_append_printf (s, "    tier %u: ", i + 1);
          append_exact (s, t->portion);
          g_string_append (s, " x ");
          append_exact (s, t->tier->rate);
          g_string_append (s, " = ");
          append_exact (s, t->amount);
          g_string_append_c (s, '\n');
        }
      g_string_append (s, "    total ");
      append_exact (s, p->rebate_exact);
      g_string_append_c (s, '\n');
    }
  g_string_append (s, "  Rounded half-even to the cent: ");
  append_money (s, p->rebate);
  g_string_append (s, "\n\n");
}

static void
text_ladder (GString *s, const QtPartnerRebate *p)
{
  g_string_append (s, "Tiers\n");
  for (guint i = 0; i < p->n_tiers; i++)
    {
      g_autofree char *from = qt_exact_format (p->tiers[i].lower);
      g_autofree char *rate = qt_exact_format (p->tiers[i].tier->rate);
      if (i == p->tier)
        g_string_append_printf (s, "  %u  from %-14s rate %-8s  <- reached\n", i + 1, from, rate);
      else
        g_string_append_printf (s, "  %u  from %-14s rate %s\n", i + 1, from, rate);
    }
  g_string_append_c (s, '\n');
  if (!p->has_next_tier)
    {
      g_string_append (s, "The top tier is reached.\n\n");
      return;
    }
  g_string_append (s, "To the next tier\n  ");
  append_exact (s, p->next_tier_needed); /* rounded it could say 0.00 */
  g_string_append (s, " more qualified volume (reaching ");
  append_exact (s, p->tiers[p->tier + 1].lower);
  g_string_append (s, ") would make the rebate ");
  append_money (s, p->next_tier_rebate);
  g_string_append (s, ".\n\n");
}

/* The held-back shipments of one kind (fixable or not), by code. */
static void
text_held_part (GString *s, const QtPartnerRebate *p, gboolean fix, const char *title)
{
  guint n = fix ? p->n_fixable : p->n_not_eligible;
  mpq_srcptr total = fix ? p->held_fixable : p->held_not_eligible;
  if (n == 0)
    return;
  g_string_append_printf (s, "%s: %u shipment%s for ", title, n, plural (n));
  append_money (s, total);
  g_string_append (s, fix ? "\n  (they qualify once their invoices and acceptances agree)\n"
                          : "\n  (their product is unknown, or outside the plan's categories)\n");
  for (guint c = 1; c < QT_RECON_COUNT; c++)
    {
      if (p->held_count[c] == 0 || qt_recon_code_fixable (c) != fix)
        continue;
      g_autofree char *amount = qt_fixed_format (p->held[c], QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      g_string_append_printf (s, "  %-30s %5u shipment%s %16s\n", qt_recon_code_name (c),
                              p->held_count[c], p->held_count[c] == 1 ? " " : "s", amount);
    }
  g_string_append_c (s, '\n');
}

static void
text_held (GString *s, const QtPartnerRebate *p)
{
  text_held_part (s, p, TRUE, "Held back");
  text_held_part (s, p, FALSE, "Not eligible");
}

static void
text_shipments (GString *s, const QtRebateResult *res, const QtPartnerRebate *p)
{
  g_string_append (s, "Shipments of the quarter (amount, invoiced; quantity, accepted)\n");
  for (guint i = 0; i < p->n_lines; i++)
    {
      const QtReconLine *l = &res->lines[p->lines[i]];
      const QtShipment *sh = &res->ds->shipments[l->shipment];
      char day[11];
      g_string_append_printf (s, "  %s  %s  %s  ", sh->shipment_id,
                              qt_date_format (sh->shipped_on, day), sh->product_id);
      qt_append_exact_num (s, res->ds->nums, sh->amount);
      g_string_append (s, ", ");
      qt_append_exact (s, l->invoiced);
      g_string_append (s, "; ");
      qt_append_exact_num (s, res->ds->nums, sh->quantity);
      g_string_append (s, ", ");
      qt_append_exact (s, l->accepted);
      g_string_append_printf (s, "  %s\n", l->code == QT_RECON_QUALIFIED ? "qualified"
                                                                       : qt_recon_code_name (l->code));
    }
  if (p->n_lines == 0)
    g_string_append (s, "  none\n");
}

static GString *
statement_text (const QtRebateResult *res, const QtPartnerRebate *p)
{
  GString *s = g_string_new (NULL);
  text_header (s, res, p);
  text_computation (s, p);
  text_ladder (s, p);
  text_held (s, p);
  text_shipments (s, res, p);
  return s;
}

/* ---- JSON ----
 *
 * Two-space indentation, keys in a fixed order, small objects on one line
 * (a shipment is one line: a partner may have a hundred thousand).  Every
 * number is a string: exact (SPEC §12.10), or {"exact", "rounded"} for a
 * payable amount; counts and indexes are integers; tier_reached counts
 * from 0 like the tiers array. */

static void
json_key (GString *s, const char *indent, const char *key)
{
  g_string_append_printf (s, ",\n%s\"%s\": ", indent, key);
}

static void
json_exact (GString *s, const char *key, mpq_srcptr v, gboolean first)
{
  if (!first)
    g_string_append (s, ", ");
  g_autofree char *t = qt_exact_format (v);
  g_string_append_printf (s, "\"%s\": \"%s\"", key, t);
}

/* {"exact": …, "rounded": …} */
static void
json_amount (GString *s, mpq_srcptr exact, mpq_srcptr rounded)
{
  g_autofree char *r = qt_fixed_format (rounded, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append_c (s, '{');
  json_exact (s, "exact", exact, TRUE);
  g_string_append_printf (s, ", \"rounded\": \"%s\"}", r);
}

static void
json_plan (GString *s, const QtPlanVersion *v)
{
  g_string_append (s, "{\"rebate_plan\": ");
  qt_stmt_json_string (s, v->plan);
  g_string_append_printf (s, ", \"version\": %" G_GINT64_FORMAT ", \"file\": ", v->version);
  qt_stmt_json_string (s, v->file_name);
  g_string_append_printf (s, ", \"mode\": \"%s\", \"currency\": ",
                          v->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive");
  qt_stmt_json_string (s, v->currency);
  g_string_append (s, ", \"categories\": ");
  if (!v->has_categories)
    g_string_append (s, "null");
  for (guint i = 0; v->has_categories && v->categories[i] != NULL; i++)
    {
      g_string_append (s, i == 0 ? "[" : ", ");
      qt_stmt_json_string (s, v->categories[i]);
    }
  g_string_append (s, v->has_categories ? "]}" : "}");
}

static void
json_tiers (GString *s, const QtPartnerRebate *p)
{
  g_string_append_c (s, '[');
  for (guint i = 0; i < p->n_tiers; i++)
    {
      const QtTierLine *t = &p->tiers[i];
      g_string_append (s, i == 0 ? "\n    {" : ",\n    {");
      json_exact (s, "from", t->lower, TRUE);
      json_exact (s, "rate", t->tier->rate, FALSE);
      json_exact (s, "portion", t->portion, FALSE);
      json_exact (s, "amount", t->amount, FALSE);
      g_string_append_printf (s, ", \"reached\": %s}", i == p->tier ? "true" : "false");
    }
  g_string_append (s, "\n  ]");
}

static void
json_next (GString *s, const QtPartnerRebate *p)
{
  if (!p->has_next_tier)
    {
      g_string_append (s, "null");
      return;
    }
  g_string_append_c (s, '{');
  json_exact (s, "from", p->tiers[p->tier + 1].lower, TRUE);
  json_exact (s, "rate", p->tiers[p->tier + 1].tier->rate, FALSE);
  json_exact (s, "volume_needed", p->next_tier_needed, FALSE);
  g_string_append (s, ", \"rebate_at_bound\": ");
  json_amount (s, p->next_tier_rebate, p->next_tier_rebate);
  g_string_append_c (s, '}');
}

static void
json_held (GString *s, const QtPartnerRebate *p)
{
  g_string_append_c (s, '[');
  gboolean first = TRUE;
  for (guint c = 1; c < QT_RECON_COUNT; c++)
    {
      if (p->held_count[c] == 0)
        continue;
      g_string_append_printf (s, "%s\n    {\"code\": \"%s\", \"fixable\": %s, \"shipments\": %u, ",
                              first ? "" : ",", qt_recon_code_name (c),
                              qt_recon_code_fixable (c) ? "true" : "false", p->held_count[c]);
      json_exact (s, "amount", p->held[c], TRUE);
      g_string_append_c (s, '}');
      first = FALSE;
    }
  g_string_append (s, first ? "]" : "\n  ]");
}

static void
json_shipments (GString *s, const QtRebateResult *res, const QtPartnerRebate *p)
{
  g_string_append_c (s, '[');
  for (guint i = 0; i < p->n_lines; i++)
    {
      const QtReconLine *l = &res->lines[p->lines[i]];
      const QtShipment *sh = &res->ds->shipments[l->shipment];
      char day[11];
      g_string_append (s, i == 0 ? "\n    {\"shipment_id\": " : ",\n    {\"shipment_id\": ");
      qt_stmt_json_string (s, sh->shipment_id);
      g_string_append (s, ", \"product_id\": ");
      qt_stmt_json_string (s, sh->product_id);
      g_string_append_printf (s, ", \"shipped_on\": \"%s\", \"amount\": \"",
                              qt_date_format (sh->shipped_on, day));
      /* appended in place: a partner may have a hundred thousand lines */
      qt_append_exact_num (s, res->ds->nums, sh->amount);
      g_string_append (s, "\", \"invoiced\": \"");
      qt_append_exact (s, l->invoiced);
      g_string_append (s, "\", \"quantity\": \"");
      qt_append_exact_num (s, res->ds->nums, sh->quantity);
      g_string_append (s, "\", \"accepted\": \"");
      qt_append_exact (s, l->accepted);
      g_string_append_c (s, '"');
      if (l->code == QT_RECON_QUALIFIED)
        g_string_append (s, ", \"status\": \"qualified\", \"code\": null}");
      else
        g_string_append_printf (s, ", \"status\": \"excepted\", \"code\": \"%s\"}",
                                qt_recon_code_name (l->code));
    }
  g_string_append (s, p->n_lines > 0 ? "\n  ]" : "]");
}

static GString *
statement_json (const QtRebateResult *res, const QtPartnerRebate *p)
{
  const QtPartner *row = &res->ds->partners[p->partner];
  char q[8];
  GString *s = g_string_new ("{\n  \"format_version\": 1,\n  \"kind\": \"rebate_statement\"");
  g_string_append_printf (s, ",\n  \"quarter\": \"%s\"", qt_quarter_format (res->quarter, q));
  json_key (s, "  ", "partner");
  g_string_append (s, "{\"id\": ");
  qt_stmt_json_string (s, row->partner_id);
  g_string_append (s, ", \"name\": ");
  qt_stmt_json_string (s, row->name);
  g_string_append_c (s, '}');
  json_key (s, "  ", "plan");
  json_plan (s, p->plan);
  json_key (s, "  ", "rebate");
  json_amount (s, p->rebate_exact, p->rebate);
  json_key (s, "  ", "qualified_volume");
  json_amount (s, p->volume, p->volume_rounded);
  g_string_append_printf (s, ",\n  \"shipments_qualified\": %u,\n  \"shipments_excepted\": %u,\n"
                          "  \"tier_reached\": %u", p->n_qualified, p->n_excepted, p->tier);
  json_key (s, "  ", "tiers");
  json_tiers (s, p);
  json_key (s, "  ", "next_tier");
  json_next (s, p);
  json_key (s, "  ", "held_back");
  json_held (s, p);
  json_key (s, "  ", "shipments");
  json_shipments (s, res, p);
  g_string_append (s, "\n}\n");
  return s;
}

void
qt_report_rebate_statements (const QtRebateResult *res, GPtrArray *out)
{
  for (guint i = 0; i < res->n_partners; i++)
    {
      const QtPartnerRebate *p = &res->partners[i];
      g_autofree char *stem = qt_statement_file_stem (res->ds->partners[p->partner].partner_id);
      g_autofree char *json = g_strconcat ("statements/", stem, ".json", NULL);
      g_autofree char *txt = g_strconcat ("statements/", stem, ".txt", NULL);
      qt_output_add (out, json, statement_json (res, p), -1);
      qt_output_add (out, txt, statement_text (res, p), -1);
    }
}
