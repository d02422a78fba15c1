/* reports/rebate_statement.c — a partner's rebate statement (SPEC §11):
 * statements/<stem>.txt for a person (the rebate first, then how it is
 * computed, the tier ladder, what the next tier needs and pays, what is
 * held back and why, every shipment of the quarter) and
 * statements/<stem>.json with the same figures exact and rounded.  Every
 * figure comes from calc/rebate.h; this file only formats. */
#include "rebate_report.h"

#include <cjson/cJSON.h>

#include "../model/money.h"
#include "../rules/json_pos.h"
#include "statement.h"

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
  append_money (s, p->next_tier_needed);
  g_string_append (s, " more qualified volume (reaching ");
  append_exact (s, p->tiers[p->tier + 1].lower);
  g_string_append (s, ") would make the rebate ");
  append_money (s, p->next_tier_rebate);
  g_string_append (s, ".\n\n");
}

static void
text_held (GString *s, const QtPartnerRebate *p)
{
  if (p->n_excepted == 0)
    return;
  g_auto (mpq_t) total;
  mpq_init (total);
  for (guint c = 1; c < QT_RECON_COUNT; c++)
    mpq_add (total, total, p->held[c]);
  g_string_append_printf (s, "Held back: %u shipment%s for ", p->n_excepted, plural (p->n_excepted));
  append_money (s, total);
  g_string_append (s, "\n  (they qualify once their invoices and acceptances agree)\n");
  for (guint c = 1; c < QT_RECON_COUNT; c++)
    {
      if (p->held_count[c] == 0)
        continue;
      g_autofree char *amount = qt_fixed_format (p->held[c], QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      g_string_append_printf (s, "  %-30s %5u shipment%s %16s\n", qt_recon_code_name (c),
                              p->held_count[c], p->held_count[c] == 1 ? " " : "s", amount);
    }
  g_string_append_c (s, '\n');
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
      g_auto (mpq_t) v;
      mpq_init (v);
      qt_num_get (res->ds->nums, sh->amount, v);
      g_autofree char *amount = qt_exact_format (v);
      qt_num_get (res->ds->nums, sh->quantity, v);
      g_autofree char *quantity = qt_exact_format (v);
      g_autofree char *invoiced = qt_exact_format (l->invoiced);
      g_autofree char *accepted = qt_exact_format (l->accepted);
      g_string_append_printf (s, "  %s  %s  %s  %s, %s; %s, %s  %s\n", sh->shipment_id,
                              qt_date_format (sh->shipped_on, day), sh->product_id, amount,
                              invoiced, quantity, accepted,
                              l->code == QT_RECON_QUALIFIED ? "qualified" : qt_recon_code_name (l->code));
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

/* ---- JSON ---- */

static void
add_exact (cJSON *o, const char *key, mpq_srcptr v)
{
  g_autofree char *t = qt_exact_format (v);
  cJSON_AddStringToObject (o, key, t);
}

/* {"exact": …, "rounded": …} */
static void
add_amount (cJSON *o, const char *key, mpq_srcptr exact, mpq_srcptr rounded)
{
  cJSON *a = cJSON_AddObjectToObject (o, key);
  add_exact (a, "exact", exact);
  g_autofree char *r = qt_fixed_format (rounded, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (a, "rounded", r);
}

static cJSON *
json_plan (const QtPlanVersion *v)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "rebate_plan", v->plan);
  cJSON_AddItemToObject (o, "version", qt_json_integer_new (v->version));
  cJSON_AddStringToObject (o, "file", v->file_name);
  cJSON_AddStringToObject (o, "mode", v->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive");
  cJSON_AddStringToObject (o, "currency", v->currency);
  if (v->has_categories)
    cJSON_AddItemToObject (o, "categories",
                           cJSON_CreateStringArray ((const char *const *) v->categories,
                                                    (int) g_strv_length (v->categories)));
  else
    cJSON_AddNullToObject (o, "categories");
  return o;
}

static cJSON *
json_tiers (const QtPartnerRebate *p)
{
  cJSON *arr = cJSON_CreateArray ();
  for (guint i = 0; i < p->n_tiers; i++)
    {
      cJSON *t = cJSON_CreateObject ();
      add_exact (t, "from", p->tiers[i].lower);
      add_exact (t, "rate", p->tiers[i].tier->rate);
      add_exact (t, "portion", p->tiers[i].portion);
      add_exact (t, "amount", p->tiers[i].amount);
      cJSON_AddBoolToObject (t, "reached", i == p->tier);
      cJSON_AddItemToArray (arr, t);
    }
  return arr;
}

static cJSON *
json_shipments (const QtRebateResult *res, const QtPartnerRebate *p)
{
  cJSON *arr = cJSON_CreateArray ();
  g_auto (mpq_t) v;
  mpq_init (v);
  for (guint i = 0; i < p->n_lines; i++)
    {
      const QtReconLine *l = &res->lines[p->lines[i]];
      const QtShipment *sh = &res->ds->shipments[l->shipment];
      char day[11];
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "shipment_id", sh->shipment_id);
      cJSON_AddStringToObject (o, "product_id", sh->product_id);
      cJSON_AddStringToObject (o, "shipped_on", qt_date_format (sh->shipped_on, day));
      qt_num_get (res->ds->nums, sh->amount, v);
      add_exact (o, "amount", v);
      add_exact (o, "invoiced", l->invoiced);
      qt_num_get (res->ds->nums, sh->quantity, v);
      add_exact (o, "quantity", v);
      add_exact (o, "accepted", l->accepted);
      cJSON_AddStringToObject (o, "status", l->code == QT_RECON_QUALIFIED ? "qualified" : "excepted");
      if (l->code == QT_RECON_QUALIFIED)
        cJSON_AddNullToObject (o, "code");
      else
        cJSON_AddStringToObject (o, "code", qt_recon_code_name (l->code));
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

static cJSON *
json_next (const QtPartnerRebate *p)
{
  if (!p->has_next_tier)
    return cJSON_CreateNull ();
  cJSON *o = cJSON_CreateObject ();
  add_exact (o, "from", p->tiers[p->tier + 1].lower);
  add_exact (o, "rate", p->tiers[p->tier + 1].tier->rate);
  add_exact (o, "volume_needed", p->next_tier_needed);
  add_amount (o, "rebate_at_bound", p->next_tier_rebate, p->next_tier_rebate);
  return o;
}

static cJSON *
json_held (const QtPartnerRebate *p)
{
  cJSON *arr = cJSON_CreateArray ();
  for (guint c = 1; c < QT_RECON_COUNT; c++)
    {
      if (p->held_count[c] == 0)
        continue;
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "code", qt_recon_code_name (c));
      cJSON_AddItemToObject (o, "shipments", qt_json_integer_new (p->held_count[c]));
      add_exact (o, "amount", p->held[c]);
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

static GString *
statement_json (const QtRebateResult *res, const QtPartnerRebate *p)
{
  const QtPartner *row = &res->ds->partners[p->partner];
  char q[8];
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddItemToObject (o, "format_version", qt_json_integer_new (1));
  cJSON_AddStringToObject (o, "kind", "rebate_statement");
  cJSON_AddStringToObject (o, "quarter", qt_quarter_format (res->quarter, q));
  cJSON *partner = cJSON_AddObjectToObject (o, "partner");
  cJSON_AddStringToObject (partner, "id", row->partner_id);
  cJSON_AddStringToObject (partner, "name", row->name);
  cJSON_AddItemToObject (o, "plan", json_plan (p->plan));
  add_amount (o, "rebate", p->rebate_exact, p->rebate);
  add_amount (o, "qualified_volume", p->volume, p->volume_rounded);
  cJSON_AddItemToObject (o, "shipments_qualified", qt_json_integer_new (p->n_qualified));
  cJSON_AddItemToObject (o, "shipments_excepted", qt_json_integer_new (p->n_excepted));
  cJSON_AddItemToObject (o, "tier_reached", qt_json_integer_new (p->tier));
  cJSON_AddItemToObject (o, "tiers", json_tiers (p));
  cJSON_AddItemToObject (o, "next_tier", json_next (p));
  cJSON_AddItemToObject (o, "held_back", json_held (p));
  cJSON_AddItemToObject (o, "shipments", json_shipments (res, p));
  char *text = cJSON_Print (o);
  GString *s = g_string_new (text);
  g_string_append_c (s, '\n');
  cJSON_free (text);
  cJSON_Delete (o);
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
