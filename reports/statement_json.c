/* reports/statement_json.c — SPEC §5 statements: the entry point, the safe
 * file stem, the lookups both renderings share, and statements/<stem>.json. */
#include "statement.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../calc/amount.h"
#include "output.h"
#include "rep_order.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

/* ---- file stem ---------------------------------------------------------- */

static gboolean
stem_keeps (guchar c, gboolean first, gboolean utf8)
{
  if (g_ascii_isalnum (c) || c == '_' || c == '-')
    return TRUE;
  if (c == '.')
    return !first; /* a leading '.' would make "." / ".." / hidden files */
  return c >= 0x80 && utf8;
}

char *
qt_statement_file_stem (const char *rep_id)
{
  g_return_val_if_fail (rep_id != NULL, NULL);
  /* Only valid UTF-8 is kept raw, so a stem is always a valid file name text. */
  const gboolean utf8 = g_utf8_validate (rep_id, -1, NULL);
  GString *s = g_string_new (NULL);
  for (const guchar *p = (const guchar *) rep_id; *p; p++)
    {
      if (stem_keeps (*p, p == (const guchar *) rep_id, utf8))
        g_string_append_c (s, (char) *p);
      else
        g_string_append_printf (s, "%%%02X", (guint) *p);
    }
  return g_string_free (s, FALSE);
}

/* ---- shared lookups ----------------------------------------------------- */

static void
index_orders (QtStatementIndex *ix, const QtDataset *ds)
{
  ix->orders = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint o = 0; o < ds->n_orders; o++)
    g_hash_table_insert (ix->orders, (gpointer) ds->orders[o].order_id, GUINT_TO_POINTER (o + 1));

  /* SPEC §4.2: order net, shown beside each slice to explain its share. */
  ix->order_net = g_new (mpq_t, ds->n_orders + 1);
  for (guint o = 0; o < ds->n_orders; o++)
    mpq_init (ix->order_net[o]);
  g_auto (mpq_t) net;
  g_auto (mpq_t) price;
  mpq_inits (net, price, NULL);
  for (guint i = 0; i < ds->n_lines; i++)
    {
      guint o = GPOINTER_TO_UINT (g_hash_table_lookup (ix->orders, ds->lines[i].order_id));
      if (o == 0)
        continue;
      qt_num_get (ds->nums, ds->lines[i].quantity, net);
      qt_num_get (ds->nums, ds->lines[i].unit_price, price);
      mpq_mul (net, net, price);
      mpq_add (ix->order_net[o - 1], ix->order_net[o - 1], net);
    }

  /* SPEC §12.5.3: a refund's fast_collection test uses the order's earliest
   * positive receipt (received_on, then receipt_id). */
  ix->first_positive = g_new (gint, ds->n_orders + 1);
  for (guint o = 0; o < ds->n_orders; o++)
    ix->first_positive[o] = -1;
  for (guint i = 0; i < ds->n_receipts; i++)
    {
      const QtReceipt *rc = &ds->receipts[i];
      guint o = GPOINTER_TO_UINT (g_hash_table_lookup (ix->orders, rc->order_id));
      if (o == 0 || qt_num_sgn (ds->nums, rc->amount) <= 0)
        continue;
      gint best = ix->first_positive[o - 1];
      if (best < 0 || rc->received_on < ds->receipts[best].received_on
          || (rc->received_on == ds->receipts[best].received_on
              && strcmp (rc->receipt_id, ds->receipts[best].receipt_id) < 0))
        ix->first_positive[o - 1] = (gint) i;
    }
}

static void
index_names (QtStatementIndex *ix, const QtDataset *ds)
{
  ix->customers = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ds->n_customers; i++)
    g_hash_table_insert (ix->customers, (gpointer) ds->customers[i].customer_id,
                         (gpointer) &ds->customers[i]);
  ix->products = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ds->n_products; i++)
    g_hash_table_insert (ix->products, (gpointer) ds->products[i].product_id,
                         (gpointer) &ds->products[i]);
  ix->team_sizes = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ds->n_reps; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ix->team_sizes, ds->reps[i].team_id));
      g_hash_table_insert (ix->team_sizes, (gpointer) ds->reps[i].team_id, GUINT_TO_POINTER (n + 1));
    }
}

QtStatementIndex *
qt_statement_index_new (const QtRunResult *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  const QtDataset *ds = res->ds;
  QtStatementIndex *ix = g_new0 (QtStatementIndex, 1);
  ix->res = res;
  index_orders (ix, ds);
  index_names (ix, ds);
  /* res->slices is sorted (receipt_id, line_no, rep_id): filtering keeps it. */
  ix->rep_slices = g_new0 (GPtrArray *, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    ix->rep_slices[i] = g_ptr_array_new ();
  for (guint k = 0; res->slices != NULL && k < res->slices->len; k++)
    {
      const QtSlice *sl = &g_array_index (res->slices, QtSlice, k);
      g_ptr_array_add (ix->rep_slices[sl->rep], (gpointer) sl);
    }
  return ix;
}

void
qt_statement_index_free (QtStatementIndex *ix)
{
  if (ix == NULL)
    return;
  const QtDataset *ds = ix->res->ds;
  for (guint o = 0; o < ds->n_orders; o++)
    mpq_clear (ix->order_net[o]);
  for (guint i = 0; i < ds->n_reps; i++)
    g_ptr_array_unref (ix->rep_slices[i]);
  g_free (ix->order_net);
  g_free (ix->first_positive);
  g_free (ix->rep_slices);
  g_hash_table_unref (ix->orders);
  g_hash_table_unref (ix->customers);
  g_hash_table_unref (ix->products);
  g_hash_table_unref (ix->team_sizes);
  g_free (ix);
}

static gint
report_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtRunResult *res = data;
  return strcmp (res->ds->reps[res->reps[*(const guint *) a].rep].rep_id,
                 res->ds->reps[res->reps[*(const guint *) b].rep].rep_id);
}

guint *
qt_statement_reports_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_reports + 1);
  if (r->n_reports > 0)
    memcpy (order, r->reports, sizeof (guint) * r->n_reports);
  g_qsort_with_data (order, (gint) r->n_reports, sizeof (guint), report_cmp, (gpointer) res);
  return order;
}

typedef struct {
  const QtRunResult *res;
  const QtRepResult *r;
} AdjCtx;

static gint
adjustment_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const AdjCtx *c = data;
  const QtAdjustment *x = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) a]];
  const QtAdjustment *y = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) b]];
  return strcmp (x->adjustment_id, y->adjustment_id);
}

/* Positions k into r->adjustments (and r->adjustments_rounded). */
guint *
qt_statement_adjustments_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_adjustments + 1);
  for (guint k = 0; k < r->n_adjustments; k++)
    order[k] = k;
  AdjCtx c = { res, r };
  g_qsort_with_data (order, (gint) r->n_adjustments, sizeof (guint), adjustment_cmp, &c);
  return order;
}

gint
qt_statement_current_tier (const QtRepResult *r)
{
  if (!r->has_quota)
    return -1;
  gint k = 0;
  for (guint i = 0; i < r->n_tiers; i++)
    if (mpq_cmp (r->weighted, r->tiers[i].lower) >= 0)
      k = (gint) i;
  return k;
}

gboolean
qt_statement_next_tier (const QtRepResult *r, mpq_t needed, guint *tier)
{
  gint k = qt_statement_current_tier (r);
  if (k < 0 || (guint) k + 1 >= r->n_tiers)
    return FALSE;
  *tier = (guint) k + 1;
  mpq_sub (needed, r->tiers[k + 1].lower, r->weighted);
  return TRUE;
}

char *
qt_statement_percent (const mpq_t v)
{
  g_auto (mpq_t) pct;
  mpq_init (pct);
  mpq_set_ui (pct, 100, 1);
  mpq_mul (pct, pct, v);
  return qt_fixed_format (pct, 2, QT_ROUND_HALF_EVEN);
}

static const char *
mode_name (QtCommissionMode mode)
{
  return mode == QT_MODE_MARGINAL ? "marginal" : "retroactive";
}

char *
qt_statement_no_quota_note (const QtStatementIndex *ix, const QtRepResult *r)
{
  if (!r->no_quota)
    return NULL;
  char period[8];
  /* No input line number here: it would change with the row order of
   * reps.csv (SPEC §1.2); exceptions.csv carries it. */
  return g_strdup_printf ("%u credited slice%s in %s but no valid quota for the month: commission 0, "
                          "attainment counted as 0 (NO_QUOTA in exceptions.csv); override, "
                          "bonuses and adjustments still apply",
                          r->n_slices, r->n_slices == 1 ? "" : "s",
                          qt_period_format (ix->res->period, period));
}

char *
qt_statement_commission_note (const QtStatementIndex *ix, const QtRepResult *r)
{
  char period[8];
  qt_period_format (ix->res->period, period);
  if (r->no_quota)
    return g_strdup_printf ("No commission: credits in %s but no valid quota.", period);
  if (!r->has_quota)
    return g_strdup_printf ("No commission: no credits and no valid quota in %s.", period);
  g_autofree char *rate0 = qt_exact_format (r->tiers[0].tier->rate);
  if (r->clawback)
    return g_strdup_printf ("Clawback: net refunds make W negative, so the commission is W x the "
                            "first tier's rate %s.", rate0);
  if (mpq_sgn (r->weighted) == 0)
    return g_strdup ("No commission: the weighted credit W is 0.");
  const QtPlanVersion *v = r->plan;
  const char *how = v->mode == QT_MODE_MARGINAL
                      ? "Marginal tiers: each tier's rate applies to the part of W inside it"
                      : "Retroactive tiers: the rate of the tier W reaches applies to all of W";
  if (!v->has_cap)
    return g_strdup_printf ("%s; the plan has no cap.", how);
  g_autofree char *cap = qt_fixed_format (v->cap, 2, QT_ROUND_HALF_EVEN);
  if (r->capped)
    {
      g_autofree char *unc = qt_fixed_format (r->commission_uncapped, 2, QT_ROUND_HALF_EVEN);
      return g_strdup_printf ("%s; capped at %s (uncapped %s).", how, cap, unc);
    }
  return g_strdup_printf ("%s; the cap %s is not reached.", how, cap);
}

/* ---- JSON helpers ------------------------------------------------------- */

static void
add_exact (cJSON *o, const char *key, const mpq_t v)
{
  g_autofree char *txt = qt_exact_format (v);
  cJSON_AddStringToObject (o, key, txt);
}

static void
add_num (cJSON *o, const char *key, const QtNumStore *nums, QtNum n)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  qt_num_get (nums, n, v);
  add_exact (o, key, v);
}

static void
add_exact_or_null (cJSON *o, const char *key, gboolean has, const mpq_t v)
{
  if (has)
    add_exact (o, key, v);
  else
    cJSON_AddNullToObject (o, key);
}

/* Integers go in as raw text: no double ever carries a number (and cJSON
 * would print a double through printf). */
static void
add_int (cJSON *o, const char *key, gint64 v)
{
  char buf[24];
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
  cJSON_AddRawToObject (o, key, buf);
}

static void
add_str_or_null (cJSON *o, const char *key, const char *s)
{
  if (s != NULL)
    cJSON_AddStringToObject (o, key, s);
  else
    cJSON_AddNullToObject (o, key);
}

/* SPEC §6: a payable amount, exact and rounded half-even to the cent. */
static void
add_payable (cJSON *o, const mpq_t exact, const mpq_t rounded)
{
  add_exact (o, "exact", exact);
  g_autofree char *txt = qt_fixed_format (rounded, 2, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (o, "rounded", txt);
}

static cJSON *
payable_object (const mpq_t exact, const mpq_t rounded)
{
  cJSON *o = cJSON_CreateObject ();
  add_payable (o, exact, rounded);
  return o;
}

/* SPEC §1.3: every number names its rule (a JSON path of the plan file)
 * and the plan version. */
static void
add_rule (cJSON *o, const char *rule, const QtPlanVersion *v)
{
  cJSON_AddStringToObject (o, "rule", rule);
  cJSON_AddStringToObject (o, "plan", v->plan);
  add_int (o, "version", v->version);
}

static void
add_day (cJSON *o, const char *key, QtDay day)
{
  char buf[11];
  cJSON_AddStringToObject (o, key, qt_date_format (day, buf));
}

/* ---- sections ----------------------------------------------------------- */

static cJSON *
rep_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  const QtDataset *ds = ix->res->ds;
  const QtRep *rep = &ds->reps[r->rep];
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "rep_id", rep->rep_id);
  cJSON_AddStringToObject (o, "name", rep->name);
  cJSON_AddStringToObject (o, "team_id", rep->team_id);
  add_str_or_null (o, "manager_id", rep->manager_id);
  add_str_or_null (o, "manager_name", rep->manager >= 0 ? ds->reps[rep->manager].name : NULL);
  return o;
}

static cJSON *
plan_json (const QtPlanVersion *v)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "id", v->plan);
  add_int (o, "version", v->version);
  cJSON_AddStringToObject (o, "file", v->file_name);
  cJSON_AddStringToObject (o, "sha256", v->sha256);
  add_day (o, "effective_from", v->effective_from);
  if (v->has_effective_to)
    add_day (o, "effective_to", v->effective_to);
  else
    cJSON_AddNullToObject (o, "effective_to");
  return o;
}

static const char *const mult_names[QT_MULT_COUNT] = { "new_customer", "high_margin",
                                                       "fast_collection" };

/* The facts behind an applied multiplier (SPEC §4.3, §12.5). */
static cJSON *
mult_basis (const QtStatementIndex *ix, const QtSlice *sl, QtMultKind k)
{
  const QtDataset *ds = ix->res->ds;
  const QtMultiplier *m = &sl->plan->mult[k];
  const QtReceipt *rc = &ds->receipts[sl->receipt];
  const QtOrderLine *ln = &ds->lines[sl->line];
  guint o = GPOINTER_TO_UINT (g_hash_table_lookup (ix->orders, rc->order_id)) - 1;
  const QtOrder *ord = &ds->orders[o];
  cJSON *b = cJSON_CreateObject ();
  if (k == QT_MULT_NEW_CUSTOMER)
    {
      add_int (b, "lookback_days", m->lookback_days);
      add_day (b, "window_from", ord->signed_on - (QtDay) m->lookback_days);
    }
  else if (k == QT_MULT_HIGH_MARGIN)
    {
      g_auto (mpq_t) rate;
      g_auto (mpq_t) price;
      mpq_inits (rate, price, NULL);
      qt_num_get (ds->nums, ln->unit_price, price);
      qt_num_get (ds->nums, ln->unit_cost, rate);
      mpq_sub (rate, price, rate);
      mpq_div (rate, rate, price); /* applied ⇒ unit_price > 0 */
      add_exact (b, "margin_rate", rate);
      add_exact (b, "min_margin_rate", m->min_margin_rate);
    }
  else
    {
      /* A refund is timed by the order's first positive receipt. */
      const QtReceipt *by = rc;
      if (qt_num_sgn (ds->nums, rc->amount) < 0 && ix->first_positive[o] >= 0)
        by = &ds->receipts[ix->first_positive[o]];
      cJSON_AddStringToObject (b, "timed_by_receipt", by->receipt_id);
      add_day (b, "received_on", by->received_on);
      add_int (b, "days_after_signing", by->received_on - ord->signed_on);
      add_int (b, "max_days", m->max_days);
    }
  return b;
}

static cJSON *
multipliers_json (const QtStatementIndex *ix, const QtSlice *sl)
{
  cJSON *arr = cJSON_CreateArray ();
  for (int k = 0; k < QT_MULT_COUNT; k++)
    {
      if (!(sl->mult_mask & (1u << k)))
        continue;
      cJSON *m = cJSON_CreateObject ();
      g_autofree char *rule = g_strdup_printf ("credit.multipliers[%s]", mult_names[k]);
      cJSON_AddStringToObject (m, "id", mult_names[k]);
      add_exact (m, "factor", sl->plan->mult[k].factor);
      add_rule (m, rule, sl->plan);
      cJSON_AddItemToObject (m, "basis", mult_basis (ix, sl, (QtMultKind) k));
      cJSON_AddItemToArray (arr, m);
    }
  return arr;
}

/* The order, customer and product a slice comes from. */
static void
slice_source (const QtStatementIndex *ix, const QtSlice *sl, cJSON *c)
{
  const QtDataset *ds = ix->res->ds;
  const QtOrderLine *ln = &ds->lines[sl->line];
  guint o = GPOINTER_TO_UINT (g_hash_table_lookup (ix->orders, ds->receipts[sl->receipt].order_id)) - 1;
  const QtOrder *ord = &ds->orders[o];
  const QtCustomer *cu = g_hash_table_lookup (ix->customers, ord->customer_id);
  const QtProduct *pr = g_hash_table_lookup (ix->products, ln->product_id);
  cJSON_AddStringToObject (c, "order_id", ord->order_id);
  add_day (c, "signed_on", ord->signed_on);
  cJSON_AddStringToObject (c, "order_status", qt_status_name (ord->status));
  cJSON_AddStringToObject (c, "customer_id", ord->customer_id);
  add_str_or_null (c, "customer_name", cu ? cu->name : NULL);
  cJSON_AddStringToObject (c, "product_id", ln->product_id);
  add_str_or_null (c, "product_name", pr ? pr->name : NULL);
  add_str_or_null (c, "product_category", pr ? pr->category : NULL);
  cJSON_AddStringToObject (c, "line_no", ln->line_no);
  const QtNumStore *nums = ix->res->ds->nums;
  add_num (c, "quantity", nums, ln->quantity);
  add_num (c, "unit_price", nums, ln->unit_price);
  add_num (c, "unit_cost", nums, ln->unit_cost);
  g_auto (mpq_t) net;
  g_auto (mpq_t) price;
  mpq_inits (net, price, NULL);
  qt_num_get (nums, ln->quantity, net);
  qt_num_get (nums, ln->unit_price, price);
  mpq_mul (net, net, price);
  add_exact (c, "line_net", net);
  add_exact (c, "order_net", ix->order_net[o]);
}

/* SPEC §4.2–4.3: slice = receipt × line_net / order_net × share, × weight. */
static cJSON *
slice_json (const QtStatementIndex *ix, const QtSlice *sl)
{
  const QtReceipt *rc = &ix->res->ds->receipts[sl->receipt];
  cJSON *c = cJSON_CreateObject ();
  cJSON_AddStringToObject (c, "receipt_id", rc->receipt_id);
  add_day (c, "received_on", rc->received_on);
  add_num (c, "receipt_amount", ix->res->ds->nums, rc->amount);
  slice_source (ix, sl, c);
  add_num (c, "share", ix->res->ds->nums, sl->share);
  add_exact (c, "amount", sl->amount);
  cJSON_AddItemToObject (c, "multipliers", multipliers_json (ix, sl));
  add_exact (c, "weight", sl->weight);
  add_exact (c, "weighted_amount", sl->weighted);
  return c;
}

static cJSON *
credits_json (const QtStatementIndex *ix, guint ds_rep)
{
  cJSON *arr = cJSON_CreateArray ();
  const GPtrArray *slices = ix->rep_slices[ds_rep];
  for (guint k = 0; k < slices->len; k++)
    cJSON_AddItemToArray (arr, slice_json (ix, g_ptr_array_index (slices, k)));
  return arr;
}

/* SPEC §4.4: C, W, quota, attainment. */
static cJSON *
credit_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  cJSON *o = cJSON_CreateObject ();
  add_exact (o, "credit", r->credit);
  add_exact (o, "weighted", r->weighted);
  add_int (o, "slices", r->n_slices);
  add_exact_or_null (o, "quota", r->has_quota, r->quota);
  add_exact (o, "attainment", r->attainment);
  g_autofree char *pct = qt_statement_percent (r->attainment);
  cJSON_AddStringToObject (o, "attainment_percent", pct);
  cJSON_AddBoolToObject (o, "no_quota", r->no_quota);
  g_autofree char *note = qt_statement_no_quota_note (ix, r);
  add_str_or_null (o, "explanation", note);
  return o;
}

static cJSON *
tier_json (const QtRepResult *r, guint i)
{
  const QtTierLine *t = &r->tiers[i];
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *rule = g_strdup_printf ("commission.tiers[%u]", i);
  cJSON_AddStringToObject (o, "rule", rule);
  add_exact (o, "from", t->tier->from);
  if (t->has_upper)
    add_exact (o, "to", r->tiers[i + 1].tier->from);
  else
    cJSON_AddNullToObject (o, "to");
  add_exact (o, "rate", t->tier->rate);
  add_exact_or_null (o, "lower", r->has_quota, t->lower);
  add_exact_or_null (o, "upper", r->has_quota && t->has_upper, t->upper);
  add_exact (o, "portion", t->portion);
  add_exact (o, "amount", t->amount);
  return o;
}

/* "What it takes to reach the next tier" (SPEC: sales reps' view). */
static cJSON *
next_tier_json (const QtRepResult *r)
{
  g_auto (mpq_t) needed;
  mpq_init (needed);
  guint k;
  if (!qt_statement_next_tier (r, needed, &k))
    return cJSON_CreateNull ();
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *rule = g_strdup_printf ("commission.tiers[%u]", k);
  cJSON_AddStringToObject (o, "rule", rule);
  add_exact (o, "from", r->tiers[k].tier->from);
  add_exact (o, "rate", r->tiers[k].tier->rate);
  add_exact (o, "lower", r->tiers[k].lower);
  add_exact (o, "weighted_needed", needed);
  return o;
}

/* SPEC §4.5, §12.6.3. */
static cJSON *
commission_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  cJSON *o = cJSON_CreateObject ();
  add_rule (o, "commission", v);
  cJSON_AddStringToObject (o, "mode", mode_name (v->mode));
  cJSON *tiers = cJSON_AddArrayToObject (o, "tiers");
  for (guint i = 0; i < r->n_tiers; i++)
    cJSON_AddItemToArray (tiers, tier_json (r, i));
  gint cur = qt_statement_current_tier (r);
  if (cur >= 0)
    add_int (o, "current_tier", cur);
  else
    cJSON_AddNullToObject (o, "current_tier");
  cJSON_AddItemToObject (o, "next_tier", next_tier_json (r));
  cJSON_AddBoolToObject (o, "clawback", r->clawback);
  add_exact_or_null (o, "cap", v->has_cap, v->cap);
  cJSON_AddBoolToObject (o, "capped", r->capped);
  add_exact (o, "uncapped", r->commission_uncapped);
  add_payable (o, r->commission, r->r_commission);
  g_autofree char *note = qt_statement_commission_note (ix, r);
  cJSON_AddStringToObject (o, "explanation", note);
  return o;
}

/* SPEC §4.6, §12.6.4: base = exact capped commissions of direct reports. */
static cJSON *
override_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  const QtRunResult *res = ix->res;
  cJSON *o = cJSON_CreateObject ();
  add_rule (o, "override.rate", r->plan);
  add_exact_or_null (o, "rate", r->plan->has_override, r->plan->override_rate);
  cJSON *base = cJSON_AddArrayToObject (o, "base");
  g_autofree guint *order = qt_statement_reports_sorted (res, r);
  for (guint k = 0; k < r->n_reports; k++)
    {
      const QtRepResult *d = &res->reps[order[k]];
      cJSON *b = cJSON_CreateObject ();
      cJSON_AddStringToObject (b, "rep_id", res->ds->reps[d->rep].rep_id);
      cJSON_AddStringToObject (b, "name", res->ds->reps[d->rep].name);
      add_exact (b, "commission", d->commission);
      cJSON_AddItemToArray (base, b);
    }
  add_exact (o, "base_total", r->override_base);
  add_payable (o, r->override_amount, r->r_override);
  return o;
}

static cJSON *
sprint_bonus_json (const QtRepResult *r, const QtBonusLine *b)
{
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *rule = g_strdup_printf ("bonuses[%s]", b->bonus->id);
  cJSON_AddStringToObject (o, "id", b->bonus->id);
  add_rule (o, rule, r->plan);
  add_exact (o, "min_attainment", b->bonus->min_attainment);
  add_exact (o, "amount", b->bonus->amount);
  cJSON_AddBoolToObject (o, "paid", b->paid);
  add_payable (o, b->exact, b->rounded);
  return o;
}

/* SPEC §4.7, §12.7. */
static cJSON *
sprint_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  char buf[8];
  cJSON *o = cJSON_CreateObject ();
  QtQuarter q = qt_quarter_of_period (ix->res->period);
  cJSON_AddStringToObject (o, "quarter", qt_quarter_format (q, buf));
  cJSON_AddBoolToObject (o, "closes_quarter", r->quarter_end);
  cJSON *months = cJSON_AddArrayToObject (o, "months");
  for (int m = 0; r->quarter_end && m < 3; m++)
    {
      cJSON *mo = cJSON_CreateObject ();
      cJSON_AddStringToObject (mo, "period", qt_period_format (r->months[m].period, buf));
      add_exact (mo, "weighted", r->months[m].w);
      add_exact_or_null (mo, "quota", r->months[m].has_quota, r->months[m].quota);
      cJSON_AddItemToArray (months, mo);
    }
  add_exact_or_null (o, "weighted_total", r->quarter_end, r->sprint_w);
  add_exact_or_null (o, "quota_total", r->quarter_end, r->sprint_quota);
  g_auto (mpq_t) att;
  mpq_init (att);
  gboolean has_att = r->quarter_end && mpq_sgn (r->sprint_quota) > 0;
  if (has_att)
    mpq_div (att, r->sprint_w, r->sprint_quota);
  add_exact_or_null (o, "attainment", has_att, att);
  cJSON *bonuses = cJSON_AddArrayToObject (o, "bonuses");
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == QT_BONUS_QUARTERLY_SPRINT)
      cJSON_AddItemToArray (bonuses, sprint_bonus_json (r, &r->bonuses[i]));
  return o;
}

/* A score figure: exact, and its 2-decimal display (× scale). */
static cJSON *
score_figure (const mpq_t exact, unsigned long scale)
{
  cJSON *o = cJSON_CreateObject ();
  g_auto (mpq_t) shown;
  mpq_init (shown);
  mpq_set_ui (shown, scale, 1);
  mpq_mul (shown, shown, exact);
  add_exact (o, "exact", exact);
  g_autofree char *txt = qt_fixed_format (shown, 2, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (o, "display", txt);
  return o;
}

static cJSON *
score_item_json (const QtRepResult *r, guint i)
{
  const QtScoreLine *l = &r->score_lines[i];
  const QtScoreItem *it = l->item;
  guint pos = l->is_process ? i : i - r->plan->n_process;
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *rule = g_strdup_printf ("score.%s[%u]", l->is_process ? "process" : "result", pos);
  cJSON_AddStringToObject (o, "rule", rule);
  cJSON_AddStringToObject (o, "list", l->is_process ? "process" : "result");
  add_str_or_null (o, "metric", it->is_attainment ? NULL : it->metric);
  add_str_or_null (o, "measure", it->is_attainment ? "attainment" : NULL);
  add_exact (o, "value", l->value);
  add_exact_or_null (o, "target", it->has_target, it->target);
  add_exact (o, "ratio", l->ratio);
  add_exact_or_null (o, "cap", it->has_cap, it->cap);
  cJSON_AddBoolToObject (o, "capped", l->capped);
  add_exact (o, "score", l->score);
  add_exact (o, "weight", it->weight);
  add_exact (o, "contribution", l->contribution);
  cJSON_AddBoolToObject (o, "missing", l->missing);
  return o;
}

static cJSON *
score_bonus_json (const QtRepResult *r, const QtBonusLine *b)
{
  cJSON *o = cJSON_CreateObject ();
  g_autofree char *rule = g_strdup_printf ("bonuses[%s]", b->bonus->id);
  cJSON_AddStringToObject (o, "id", b->bonus->id);
  add_rule (o, rule, r->plan);
  add_exact (o, "target_amount", b->bonus->target_amount);
  add_exact_or_null (o, "min_score", b->bonus->has_min_score, b->bonus->min_score);
  cJSON_AddBoolToObject (o, "paid", b->paid);
  add_payable (o, b->exact, b->rounded);
  return o;
}

/* SPEC §4.8, §12.8. */
static cJSON *
score_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  const QtRep *rep = &ix->res->ds->reps[r->rep];
  cJSON *o = cJSON_CreateObject ();
  add_rule (o, "score", v);
  cJSON_AddBoolToObject (o, "has_score", v->has_score);
  add_str_or_null (o, "explanation",
                   v->has_score ? NULL
                                : "the plan has no score section: all scores are 0, the rep is "
                                  "ranked with total 0 and earns no score bonus");
  add_exact_or_null (o, "process_weight", v->has_score, v->process_weight);
  add_exact_or_null (o, "result_weight", v->has_score, v->result_weight);
  cJSON *items = cJSON_AddArrayToObject (o, "items");
  for (guint i = 0; i < r->n_score_lines; i++)
    cJSON_AddItemToArray (items, score_item_json (r, i));
  cJSON_AddItemToObject (o, "process", score_figure (r->process, 100));
  cJSON_AddItemToObject (o, "result", score_figure (r->result, 100));
  cJSON_AddItemToObject (o, "total", score_figure (r->total, 1));
  add_int (o, "team_rank", r->team_rank);
  add_int (o, "team_size", GPOINTER_TO_UINT (g_hash_table_lookup (ix->team_sizes, rep->team_id)));
  cJSON *bonuses = cJSON_AddArrayToObject (o, "bonuses");
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == QT_BONUS_SCORE)
      cJSON_AddItemToArray (bonuses, score_bonus_json (r, &r->bonuses[i]));
  return o;
}

/* SPEC §4.9: each adjustment rounded on its own (§12.10). */
static cJSON *
adjustments_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  cJSON *arr = cJSON_CreateArray ();
  g_autofree guint *order = qt_statement_adjustments_sorted (ix->res, r);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      const QtAdjustment *a = &ix->res->ds->adjustments[r->adjustments[order[k]]];
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "adjustment_id", a->adjustment_id);
      cJSON_AddStringToObject (o, "reason", a->reason);
      g_auto (mpq_t) amount;
      mpq_init (amount);
      qt_num_get (ix->res->ds->nums, a->amount, amount);
      add_payable (o, amount, r->adjustments_rounded[order[k]]);
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

/* Σ exact of the bonuses of one kind. */
static void
bonus_exact_sum (const QtRepResult *r, QtBonusKind kind, mpq_t out)
{
  mpq_set_ui (out, 0, 1);
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == kind)
      mpq_add (out, out, r->bonuses[i].exact);
}

/* SPEC §6: the rounded column equals payout.csv; the total is the sum of
 * the rounded components, its exact the sum of the exact ones. */
static cJSON *
payable_json (const QtStatementIndex *ix, const QtRepResult *r)
{
  g_auto (mpq_t) sprint;
  g_auto (mpq_t) score;
  g_auto (mpq_t) adj;
  g_auto (mpq_t) total;
  mpq_inits (sprint, score, adj, total, NULL);
  bonus_exact_sum (r, QT_BONUS_QUARTERLY_SPRINT, sprint);
  bonus_exact_sum (r, QT_BONUS_SCORE, score);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      qt_num_get (ix->res->ds->nums, ix->res->ds->adjustments[r->adjustments[k]].amount, total);
      mpq_add (adj, adj, total);
    }
  mpq_add (total, r->commission, r->override_amount);
  mpq_add (total, total, sprint);
  mpq_add (total, total, score);
  mpq_add (total, total, adj);

  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "currency", r->plan->currency);
  cJSON_AddItemToObject (o, "commission", payable_object (r->commission, r->r_commission));
  cJSON_AddItemToObject (o, "override", payable_object (r->override_amount, r->r_override));
  cJSON_AddItemToObject (o, "sprint_bonus", payable_object (sprint, r->r_sprint));
  cJSON_AddItemToObject (o, "score_bonus", payable_object (score, r->r_score));
  cJSON_AddItemToObject (o, "adjustments", payable_object (adj, r->r_adjustments));
  cJSON_AddItemToObject (o, "total", payable_object (total, r->r_total));
  return o;
}

GString *
qt_statement_json (const QtStatementIndex *ix, guint rep)
{
  g_return_val_if_fail (ix != NULL && rep < ix->res->n_reps, NULL);
  const QtRepResult *r = &ix->res->reps[rep];
  char period[8];
  g_autoptr (cJSON) o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "statement", "quotient commission statement");
  add_int (o, "format_version", 1);
  cJSON_AddItemToObject (o, "rep", rep_json (ix, r));
  cJSON_AddItemToObject (o, "plan", plan_json (r->plan));
  cJSON_AddStringToObject (o, "period", qt_period_format (ix->res->period, period));
  cJSON_AddStringToObject (o, "currency", r->plan->currency);
  cJSON_AddItemToObject (o, "credits", credits_json (ix, r->rep));
  cJSON_AddItemToObject (o, "credit", credit_json (ix, r));
  cJSON_AddItemToObject (o, "commission", commission_json (ix, r));
  cJSON_AddItemToObject (o, "override", override_json (ix, r));
  cJSON_AddItemToObject (o, "sprint", sprint_json (ix, r));
  cJSON_AddItemToObject (o, "score", score_json (ix, r));
  cJSON_AddItemToObject (o, "adjustments", adjustments_json (ix, r));
  cJSON_AddItemToObject (o, "payable", payable_json (ix, r));
  char *text = cJSON_Print (o);
  GString *s = g_string_new (text);
  g_string_append_c (s, '\n');
  cJSON_free (text);
  return s;
}

/* ---- entry point -------------------------------------------------------- */

void
qt_report_statements (const QtRunResult *res, GPtrArray *out)
{
  g_return_if_fail (res != NULL && out != NULL);
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (res);
  g_autofree guint *order = qt_rep_order (res);
  for (guint k = 0; k < res->n_reps; k++)
    {
      const QtRep *rep = &res->ds->reps[res->reps[order[k]].rep];
      g_autofree char *stem = qt_statement_file_stem (rep->rep_id);
      g_autofree char *json_name = g_strdup_printf ("statements/%s.json", stem);
      g_autofree char *text_name = g_strdup_printf ("statements/%s.txt", stem);
      qt_output_add (out, json_name, qt_statement_json (ix, order[k]), -1);
      qt_output_add (out, text_name, qt_statement_text (ix, order[k]), -1);
    }
}
