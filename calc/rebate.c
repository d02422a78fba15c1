/* calc/rebate.c — SPEC §11: reconciliation and rebates of one quarter (see
 * rebate.h). */
#include "rebate.h"

#include <string.h>

#include "../model/money.h"
#include "../model/qt_error.h"
#include "exception.h"

static const char *const code_names[QT_RECON_COUNT] = {
  "", "unknown_partner", "unknown_product", "category_excluded", "missing_invoice",
  "invoice_amount_mismatch", "missing_acceptance", "acceptance_quantity_mismatch",
};

const char *
qt_recon_code_name (QtReconCode code)
{
  g_return_val_if_fail (code < QT_RECON_COUNT, "");
  return code_names[code];
}

gboolean
qt_recon_code_fixable (QtReconCode code)
{
  return code >= QT_RECON_MISSING_INVOICE;
}

typedef struct {
  const QtDataset *ds;
  QtRebateResult *res;
  gint32 *line_of;     /* per shipment row: its reconciliation line, or -1 */
  guint *position;     /* per partner row: its place in res->partners */
} Rebate;

/* ---- partners and their plans ---- */

static gint
id_order (gconstpointer a, gconstpointer b, gpointer ids)
{
  const char *const *id = ids;
  return strcmp (id[*(const guint *) a], id[*(const guint *) b]);
}

/* Indexes 0..n) ordered by ids[i] bytewise (ids are unique keys: a total
 * order). (transfer full) */
static guint *
sorted_by_id (const char **ids, guint n)
{
  guint *order = g_new (guint, MAX (n, 1u));
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof *order, id_order, ids);
  return order;
}

/* SPEC §11 rule 2: every partner's plan version in force on the first day. */
static gboolean
partner_plans (Rebate *r, GError **error)
{
  const QtDataset *ds = r->ds;
  char buf[11];
  for (guint i = 0; i < r->res->n_partners; i++)
    {
      QtPartnerRebate *p = &r->res->partners[i];
      const QtPartner *row = &ds->partners[p->partner];
      g_autofree char *why = NULL;
      if (!qt_plan_set_has_plan (r->res->plans, row->rebate_plan))
        why = g_strdup ("which is not in the plans directory");
      else if ((p->plan = qt_plan_set_in_force (r->res->plans, row->rebate_plan,
                                                r->res->first_day)) == NULL)
        why = g_strdup_printf ("which has no version in force on %s",
                               qt_date_format (r->res->first_day, buf));
      if (why == NULL)
        continue;
      g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: partner '%s' has rebate plan "
                   "'%s', %s", ds->source[QT_TABLE_PARTNERS], row->line, ds->partners_plan_column,
                   row->partner_id, row->rebate_plan, why);
      return FALSE;
    }
  return TRUE;
}

static void
collect_plans_used (QtRebateResult *res)
{
  for (guint i = 0; i < res->n_partners; i++)
    {
      const QtPlanVersion *v = res->partners[i].plan;
      guint k = 0;
      while (k < res->plans_used->len && g_ptr_array_index (res->plans_used, k) != v)
        k++;
      if (k == res->plans_used->len)
        g_ptr_array_add (res->plans_used, (gpointer) v);
    }
  g_ptr_array_sort (res->plans_used, qt_plan_version_cmp);
}

static void
partners_init (Rebate *r)
{
  const QtDataset *ds = r->ds;
  QtRebateResult *res = r->res;
  g_autofree const char **ids = g_new (const char *, MAX (ds->n_partners, 1u));
  for (guint i = 0; i < ds->n_partners; i++)
    ids[i] = ds->partners[i].partner_id;
  g_autofree guint *order = sorted_by_id (ids, ds->n_partners);
  res->n_partners = ds->n_partners;
  res->partners = g_new0 (QtPartnerRebate, MAX (ds->n_partners, 1u));
  r->position = g_new (guint, MAX (ds->n_partners, 1u));
  for (guint k = 0; k < ds->n_partners; k++)
    {
      QtPartnerRebate *p = &res->partners[k];
      p->partner = order[k];
      r->position[order[k]] = k;
      mpq_inits (p->volume, p->volume_rounded, p->next_tier_needed, p->next_tier_rebate,
                 p->rebate_exact, p->rebate, p->held_fixable, p->held_not_eligible, NULL);
      for (guint c = 0; c < QT_RECON_COUNT; c++)
        mpq_init (p->held[c]);
    }
}

/* ---- the quarter's shipments, invoices and acceptances ---- */

static void
lines_init (Rebate *r)
{
  const QtDataset *ds = r->ds;
  QtRebateResult *res = r->res;
  g_autofree const char **ids = g_new (const char *, MAX (ds->n_shipments, 1u));
  guint n = 0;
  r->line_of = g_new (gint32, MAX (ds->n_shipments, 1u));
  g_autofree guint *rows = g_new (guint, MAX (ds->n_shipments, 1u));
  for (guint i = 0; i < ds->n_shipments; i++)
    {
      QtDay d = ds->shipments[i].shipped_on;
      r->line_of[i] = -1;
      if (d < res->first_day || d > res->last_day)
        continue;
      rows[n] = i;
      ids[n++] = ds->shipments[i].shipment_id;
    }
  g_autofree guint *order = sorted_by_id (ids, n);
  res->n_lines = n;
  res->lines = g_new0 (QtReconLine, MAX (n, 1u));
  for (guint k = 0; k < n; k++)
    {
      QtReconLine *l = &res->lines[k];
      l->shipment = rows[order[k]];
      r->line_of[l->shipment] = (gint32) k;
      mpq_inits (l->invoiced, l->accepted, NULL);
    }
}

/* SPEC §11 rule 3: every invoice and acceptance counts, whatever its date;
 * one naming no shipment is an orphan, listed in every run. */
static void
add_documents (Rebate *r)
{
  const QtDataset *ds = r->ds;
  g_auto (mpq_t) v;
  mpq_init (v);
  for (guint i = 0; i < ds->n_invoices; i++)
    {
      const QtPartnerInvoice *inv = &ds->invoices[i];
      if (inv->shipment_row < 0)
        {
          qt_exceptions_add (r->res->exceptions, ds->source[QT_TABLE_PARTNER_INVOICES], inv->line,
                             "orphan_invoice",
                             g_strdup_printf ("invoice %s names shipment '%s', which is not in %s",
                                              inv->invoice_id, inv->shipment_id,
                                              ds->source[QT_TABLE_SHIPMENTS]));
          continue;
        }
      gint32 k = r->line_of[inv->shipment_row];
      if (k < 0)
        continue;
      qt_num_get (ds->nums, inv->amount, v);
      mpq_add (r->res->lines[k].invoiced, r->res->lines[k].invoiced, v);
      r->res->lines[k].n_invoices++;
    }
  for (guint i = 0; i < ds->n_acceptances; i++)
    {
      const QtAcceptance *acc = &ds->acceptances[i];
      if (acc->shipment_row < 0)
        {
          qt_exceptions_add (r->res->exceptions, ds->source[QT_TABLE_ACCEPTANCES], acc->line,
                             "orphan_acceptance",
                             g_strdup_printf ("acceptance %s names shipment '%s', which is not in %s",
                                              acc->acceptance_id, acc->shipment_id,
                                              ds->source[QT_TABLE_SHIPMENTS]));
          continue;
        }
      gint32 k = r->line_of[acc->shipment_row];
      if (k < 0)
        continue;
      qt_num_get (ds->nums, acc->quantity, v);
      mpq_add (r->res->lines[k].accepted, r->res->lines[k].accepted, v);
      r->res->lines[k].n_acceptances++;
    }
}

/* ---- the codes ---- */

static gboolean
category_rebated (const QtPlanVersion *plan, const char *category)
{
  if (!plan->has_categories)
    return TRUE;
  for (char **c = plan->categories; *c != NULL; c++)
    if (strcmp (*c, category) == 0)
      return TRUE;
  return FALSE;
}

/* SPEC §11 rule 4: the first code that applies, with its message
 * (*message NULL when the shipment qualifies). */
static QtReconCode
reconcile (const Rebate *r, const QtReconLine *l, mpq_srcptr amount, mpq_srcptr quantity,
           char **message)
{
  const QtDataset *ds = r->ds;
  const QtShipment *s = &ds->shipments[l->shipment];
  *message = NULL;
  if (s->partner_row < 0)
    {
      *message = g_strdup_printf ("shipment %s names partner '%s', which is not in %s",
                                  s->shipment_id, s->partner_id, ds->source[QT_TABLE_PARTNERS]);
      return QT_RECON_UNKNOWN_PARTNER;
    }
  if (s->product_row < 0)
    {
      *message = g_strdup_printf ("shipment %s names product '%s', which is not in %s",
                                  s->shipment_id, s->product_id, ds->source[QT_TABLE_PRODUCTS]);
      return QT_RECON_UNKNOWN_PRODUCT;
    }
  const QtPlanVersion *plan = r->res->partners[r->position[s->partner_row]].plan;
  const QtProduct *product = &ds->products[s->product_row];
  if (!category_rebated (plan, product->category))
    {
      *message = g_strdup_printf ("shipment %s: product '%s' is in category '%s', which rebate "
                                  "plan '%s' version %" G_GINT64_FORMAT " does not cover",
                                  s->shipment_id, s->product_id, product->category, plan->plan,
                                  plan->version);
      return QT_RECON_CATEGORY_EXCLUDED;
    }
  if (l->n_invoices == 0)
    {
      *message = g_strdup_printf ("shipment %s has no invoice", s->shipment_id);
      return QT_RECON_MISSING_INVOICE;
    }
  if (!mpq_equal (l->invoiced, amount))
    {
      g_autofree char *a = qt_exact_format (l->invoiced), *b = qt_exact_format (amount);
      *message = g_strdup_printf ("shipment %s: invoices sum to %s, the shipment's amount is %s",
                                  s->shipment_id, a, b);
      return QT_RECON_INVOICE_AMOUNT_MISMATCH;
    }
  if (l->n_acceptances == 0)
    {
      *message = g_strdup_printf ("shipment %s has no acceptance", s->shipment_id);
      return QT_RECON_MISSING_ACCEPTANCE;
    }
  if (!mpq_equal (l->accepted, quantity))
    {
      g_autofree char *a = qt_exact_format (l->accepted), *b = qt_exact_format (quantity);
      *message = g_strdup_printf ("shipment %s: acceptances sum to %s, the shipment's quantity "
                                  "is %s", s->shipment_id, a, b);
      return QT_RECON_ACCEPTANCE_QUANTITY_MISMATCH;
    }
  return QT_RECON_QUALIFIED;
}

/* Every line's code; qualified volume and held-back amounts per partner;
 * the control totals. */
static void
reconcile_all (Rebate *r)
{
  const QtDataset *ds = r->ds;
  QtRebateResult *res = r->res;
  g_auto (mpq_t) amount, quantity;
  mpq_inits (amount, quantity, NULL);
  for (guint k = 0; k < res->n_lines; k++)
    {
      QtReconLine *l = &res->lines[k];
      const QtShipment *s = &ds->shipments[l->shipment];
      qt_num_get (ds->nums, s->amount, amount);
      qt_num_get (ds->nums, s->quantity, quantity);
      char *message;
      l->code = reconcile (r, l, amount, quantity, &message);
      QtPartnerRebate *p = s->partner_row >= 0 ? &res->partners[r->position[s->partner_row]] : NULL;
      res->n_shipments++;
      mpq_add (res->amount_shipped, res->amount_shipped, amount);
      if (l->code == QT_RECON_QUALIFIED)
        {
          res->n_qualified++;
          mpq_add (res->amount_qualified, res->amount_qualified, amount);
          p->n_qualified++;
          mpq_add (p->volume, p->volume, amount);
          continue;
        }
      res->n_excepted++;
      mpq_add (res->amount_excepted, res->amount_excepted, amount);
      if (p != NULL)
        {
          p->n_excepted++;
          p->held_count[l->code]++;
          mpq_add (p->held[l->code], p->held[l->code], amount);
          gboolean fix = qt_recon_code_fixable (l->code);
          *(fix ? &p->n_fixable : &p->n_not_eligible) += 1;
          mpq_ptr sum = fix ? p->held_fixable : p->held_not_eligible;
          mpq_add (sum, sum, amount);
        }
      qt_exceptions_add (res->exceptions, ds->source[QT_TABLE_SHIPMENTS], s->line,
                         code_names[l->code], message);
    }
}

/* Each partner's lines, in shipment_id order (the lines' order). */
static void
lines_by_partner (Rebate *r)
{
  QtRebateResult *res = r->res;
  for (guint i = 0; i < res->n_partners; i++)
    res->partners[i].lines = g_new (guint, MAX (res->partners[i].n_qualified
                                                + res->partners[i].n_excepted, 1u));
  for (guint k = 0; k < res->n_lines; k++)
    {
      gint32 row = r->ds->shipments[res->lines[k].shipment].partner_row;
      if (row < 0)
        continue;
      QtPartnerRebate *p = &res->partners[r->position[row]];
      p->lines[p->n_lines++] = k;
    }
}

/* ---- the rebates ---- */

/* The rebate of `value` on the partner's ladder (lines: its bounds). */
static void
ladder_rebate (const QtPlanVersion *plan, QtTierLine *lines, mpq_srcptr value, guint reached,
               mpq_ptr out)
{
  mpq_set_ui (out, 0, 1);
  if (plan->mode == QT_MODE_MARGINAL)
    qt_tiers_marginal (lines, plan->n_tiers, value, out);
  else
    qt_tiers_retroactive (lines, reached, value, out);
}

static void
partner_rebate (QtPartnerRebate *p, mpq_srcptr one)
{
  const QtPlanVersion *plan = p->plan;
  p->n_tiers = plan->n_tiers;
  p->tiers = qt_tier_lines_new (plan->tiers, plan->n_tiers, one);
  p->tier = qt_tiers_reached (p->tiers, p->n_tiers, p->volume, &p->has_next_tier,
                              p->next_tier_needed);
  ladder_rebate (plan, p->tiers, p->volume, p->tier, p->rebate_exact);
  qt_round (p->rebate, p->rebate_exact, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  qt_round (p->volume_rounded, p->volume, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  if (!p->has_next_tier)
    return;
  /* what the partner would get with exactly the next bound qualified */
  QtTierLine *at_bound = qt_tier_lines_new (plan->tiers, plan->n_tiers, one);
  ladder_rebate (plan, at_bound, p->tiers[p->tier + 1].lower, p->tier + 1, p->next_tier_rebate);
  qt_tier_lines_free (at_bound, plan->n_tiers);
}

QtRebateResult *
qt_rebate_compute (const QtDataset *ds, const QtPlanSet *plans, QtQuarter q, GError **error)
{
  g_autoptr (QtRebateResult) res = g_new0 (QtRebateResult, 1);
  res->quarter = q;
  res->ds = ds;
  res->plans = plans;
  QtPeriod first = qt_quarter_first_period (q);
  res->first_day = qt_period_first_day (first);
  res->last_day = qt_period_last_day (first + 2);
  res->exceptions = qt_exceptions_new ();
  res->plans_used = g_ptr_array_new ();
  mpq_inits (res->amount_shipped, res->amount_qualified, res->amount_excepted, res->rebate_total,
             NULL);
  Rebate r = { .ds = ds, .res = res };
  partners_init (&r);
  gboolean ok = partner_plans (&r, error);
  if (ok)
    {
      collect_plans_used (res);
      lines_init (&r);
      add_documents (&r);
      reconcile_all (&r);
      lines_by_partner (&r);
      g_auto (mpq_t) one;
      mpq_init (one);
      mpq_set_ui (one, 1, 1);
      for (guint i = 0; i < res->n_partners; i++)
        {
          partner_rebate (&res->partners[i], one);
          mpq_add (res->rebate_total, res->rebate_total, res->partners[i].rebate);
        }
      qt_exceptions_sort (res->exceptions);
    }
  g_free (r.line_of);
  g_free (r.position);
  return ok ? g_steal_pointer (&res) : NULL;
}

void
qt_rebate_result_free (QtRebateResult *res)
{
  if (res == NULL)
    return;
  for (guint k = 0; k < res->n_lines; k++)
    mpq_clears (res->lines[k].invoiced, res->lines[k].accepted, NULL);
  g_free (res->lines);
  for (guint i = 0; res->partners != NULL && i < res->n_partners; i++)
    {
      QtPartnerRebate *p = &res->partners[i];
      mpq_clears (p->volume, p->volume_rounded, p->next_tier_needed, p->next_tier_rebate,
                  p->rebate_exact, p->rebate, p->held_fixable, p->held_not_eligible, NULL);
      for (guint c = 0; c < QT_RECON_COUNT; c++)
        mpq_clear (p->held[c]);
      qt_tier_lines_free (p->tiers, p->n_tiers);
      g_free (p->lines);
    }
  g_free (res->partners);
  g_clear_pointer (&res->exceptions, g_array_unref);
  g_clear_pointer (&res->plans_used, g_ptr_array_unref);
  mpq_clears (res->amount_shipped, res->amount_qualified, res->amount_excepted, res->rebate_total,
              NULL);
  g_free (res);
}
