/* reports/statement_json.c — statements/<stem>.json, written straight into
 * one GString by a small streaming writer (layout: reports/statement.h). */
#include "statement_internal.h"

#include <string.h>

#include "../model/money.h"

/* ---- streaming writer --------------------------------------------------- */

#define JW_MAX_DEPTH 8

/* Where the writer is: per open container, whether it has no member yet
 * and whether it is written on one line (`flat`, inherited by children).
 * Depth 0 is the document itself. */
typedef struct {
  GString *s;
  guint depth;
  gboolean first[JW_MAX_DEPTH];
  gboolean flat[JW_MAX_DEPTH];
} JsonW;

/* Starts a member: comma, line break and indent unless flat. */
static void
jw_sep (JsonW *w)
{
  const guint d = w->depth;
  if (!w->first[d])
    qt_stmt_putc (w->s, ',');
  w->first[d] = FALSE;
  if (!w->flat[d] && d > 0)
    {
      qt_stmt_putc (w->s, '\n');
      qt_stmt_spaces (w->s, 2 * d);
    }
}

/* Starts a member named by a key of ours (a literal that needs no
 * escaping); NULL for an array element or the document. */
static void
jw_key (JsonW *w, const char *key)
{
  jw_sep (w);
  if (key == NULL)
    return;
  qt_stmt_putc (w->s, '"');
  qt_stmt_puts (w->s, key);
  qt_stmt_put (w->s, "\": ", w->flat[w->depth] ? 2 : 3);
}

/* Opens an object ('{') or array ('[') after its key; a flat one stays on
 * one line. */
static void
jw_open_here (JsonW *w, char bracket, gboolean flat)
{
  qt_stmt_putc (w->s, bracket);
  g_assert (w->depth + 1 < JW_MAX_DEPTH); /* the layout is fixed: a bug if deeper */
  w->depth++;
  w->first[w->depth] = TRUE;
  w->flat[w->depth] = flat || w->flat[w->depth - 1];
}

/* Opens a container under one of our keys (NULL: an element). */
static void
jw_open (JsonW *w, const char *key, char bracket, gboolean flat)
{
  jw_key (w, key);
  jw_open_here (w, bracket, flat);
}

/* Closes the innermost container with '}' or ']'. */
static void
jw_close (JsonW *w, char bracket)
{
  const gboolean newline = !w->flat[w->depth] && !w->first[w->depth];
  w->depth--;
  if (newline)
    {
      qt_stmt_putc (w->s, '\n');
      qt_stmt_spaces (w->s, 2 * w->depth);
    }
  qt_stmt_putc (w->s, bracket);
}

/* A string member. */
static void
jw_str (JsonW *w, const char *key, const char *value)
{
  jw_key (w, key);
  qt_stmt_json_string (w->s, value);
}

/* A null member. */
static void
jw_null (JsonW *w, const char *key)
{
  jw_key (w, key);
  qt_stmt_put (w->s, "null", 4);
}

/* A string member, null when value is NULL. */
static void
jw_str_or_null (JsonW *w, const char *key, const char *value)
{
  if (value != NULL)
    jw_str (w, key, value);
  else
    jw_null (w, key);
}

/* A boolean member. */
static void
jw_bool (JsonW *w, const char *key, gboolean value)
{
  jw_key (w, key);
  qt_stmt_puts (w->s, value ? "true" : "false");
}

/* Integers as text written by hand: no floating point ever carries a number. */
static void
jw_int (JsonW *w, const char *key, gint64 value)
{
  jw_key (w, key);
  qt_append_int (w->s, value);
}

/* A member whose value is given as JSON text. */
/* An exact number member (SPEC §12.10 string). */
static void
jw_exact (JsonW *w, const char *key, mpq_srcptr v)
{
  jw_key (w, key);
  qt_stmt_putc (w->s, '"');
  qt_append_exact (w->s, v);
  qt_stmt_putc (w->s, '"');
}

/* An exact number member, null when not `has`. */
static void
jw_exact_or_null (JsonW *w, const char *key, gboolean has, mpq_srcptr v)
{
  if (has)
    jw_exact (w, key, v);
  else
    jw_null (w, key);
}

/* A figure shown to the cent (QT_MONEY_DECIMALS). */
static void
jw_fixed (JsonW *w, const char *key, mpq_srcptr v)
{
  jw_key (w, key);
  qt_stmt_putc (w->s, '"');
  qt_append_fixed (w->s, v, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  qt_stmt_putc (w->s, '"');
}

/* A YYYY-MM-DD member. */
static void
jw_day (JsonW *w, const char *key, QtDay day)
{
  jw_key (w, key);
  qt_stmt_putc (w->s, '"');
  qt_stmt_day (w->s, day);
  qt_stmt_putc (w->s, '"');
}

/* SPEC §6: a payable amount's members, exact and rounded half-even (as
 * calc rounded it). */
static void
jw_payable (JsonW *w, mpq_srcptr exact, mpq_srcptr rounded)
{
  jw_exact (w, "exact", exact);
  jw_fixed (w, "rounded", rounded);
}

/* A figure shown rounded (a percentage, a score) as its own one-line
 * object: {"exact", "rounded"}, rounded half-even to 2 decimals. */
static void
jw_rounded_object (JsonW *w, const char *key, mpq_srcptr exact)
{
  jw_open (w, key, '{', TRUE);
  jw_exact (w, "exact", exact);
  jw_fixed (w, "rounded", exact);
  jw_close (w, '}');
}

/* A payable amount as its own one-line object. */
static void
jw_payable_object (JsonW *w, const char *key, mpq_srcptr exact, mpq_srcptr rounded)
{
  jw_open (w, key, '{', TRUE);
  jw_payable (w, exact, rounded);
  jw_close (w, '}');
}

/* SPEC §1.3: every number names its rule (a JSON path of the plan file)
 * and the plan version. */
static void
jw_rule (JsonW *w, const char *rule, const QtPlanVersion *v)
{
  jw_str (w, "rule", rule);
  jw_str (w, "plan", v->plan);
  jw_int (w, "version", v->version);
}

/* ---- fixed one-line objects -------------------------------------------- */

/* A credit line and a lookup entry have a fixed set of keys, so they are
 * written as literal fragments between the values, without the writer's
 * per-member bookkeeping (jw_sep starts them on their own line). */

/* Appends a string literal (its length known at compile time). */
#define PUT_LITERAL(s, text) qt_stmt_put ((s), (text), sizeof (text) - 1)

/* "key":"<exact number>" given as the literal fragment `,"key":"`. */
static void
put_exact_member (GString *s, const char *key_fragment, gsize len, mpq_srcptr v)
{
  qt_stmt_put (s, key_fragment, len);
  qt_append_exact (s, v);
  qt_stmt_putc (s, '"');
}

/* Like put_exact_member, for a data set number. */
static void
put_num_member (GString *s, const char *key_fragment, gsize len, const QtNumStore *nums, QtNum n)
{
  qt_stmt_put (s, key_fragment, len);
  qt_append_exact_num (s, nums, n);
  qt_stmt_putc (s, '"');
}

/* Like put_exact_member, for a fraction of the model. */
static void
put_frac_member (GString *s, const char *key_fragment, gsize len, const QtRat *f)
{
  qt_stmt_put (s, key_fragment, len);
  qt_append_exact_rat (s, f);
  qt_stmt_putc (s, '"');
}

#define EXACT_MEMBER(s, fragment, v) put_exact_member ((s), (fragment), sizeof (fragment) - 1, (v))
#define FRAC_MEMBER(s, fragment, f) put_frac_member ((s), (fragment), sizeof (fragment) - 1, (f))
#define NUM_MEMBER(s, fragment, nums, n) \
  put_num_member ((s), (fragment), sizeof (fragment) - 1, (nums), (n))

/* ---- header ------------------------------------------------------------- */

/* Who the statement is for. */
static void
rep_json (JsonW *w, const QtStatementModel *m)
{
  jw_open (w, "rep", '{', TRUE);
  jw_str (w, "rep_id", m->rep->rep_id);
  jw_str (w, "name", m->rep->name);
  jw_str (w, "team_id", m->rep->team_id);
  jw_str_or_null (w, "manager_id", m->rep->manager_id);
  jw_str_or_null (w, "manager_name", m->manager != NULL ? m->manager->name : NULL);
  jw_close (w, '}');
}

/* The plan version the rep is on for the period. */
static void
plan_json (JsonW *w, const QtPlanVersion *v)
{
  jw_open (w, "plan", '{', TRUE);
  jw_str (w, "id", v->plan);
  jw_int (w, "version", v->version);
  jw_str (w, "file", v->file_name);
  jw_str (w, "sha256", v->sha256);
  jw_day (w, "effective_from", v->effective_from);
  if (v->has_effective_to)
    jw_day (w, "effective_to", v->effective_to);
  else
    jw_null (w, "effective_to");
  jw_close (w, '}');
}

/* SPEC §4.3, §12.5: each multiplier of the plan once, with its threshold;
 * credits name the ones applied and their own basis values.  Every slice of
 * a rep carries the rep's version for the month (calc/credit.c), r->plan. */
static void
multiplier_rules_json (JsonW *w, const QtPlanVersion *v)
{
  jw_open (w, "multiplier_rules", '{', FALSE);
  for (int k = 0; k < QT_MULT_COUNT; k++)
    {
      const QtMultiplier *m = &v->mult[k];
      if (!m->present)
        continue;
      char rule[64];
      g_snprintf (rule, sizeof rule, "credit.multipliers[%s]", qt_mult_id (k));
      jw_open (w, qt_mult_id (k), '{', TRUE);
      jw_exact (w, "factor", m->factor);
      jw_rule (w, rule, v);
      if (k == QT_MULT_NEW_CUSTOMER)
        jw_int (w, "lookback_days", m->lookback_days);
      else if (k == QT_MULT_HIGH_MARGIN)
        jw_exact (w, "min_margin_rate", m->min_margin_rate);
      else
        jw_int (w, "max_days", m->max_days);
      jw_close (w, '}');
    }
  jw_close (w, '}');
}

/* ---- lookups the credits name ------------------------------------------- */

/* Text order of two ids (const char *). */
static gint
id_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* ids[0..n) with runs of one id made one (the credits of a receipt name
 * one order and customer); returns the new count. */
static guint
drop_repeats (const char **ids, guint n)
{
  guint out = 0;
  for (guint k = 0; k < n; k++)
    if (out == 0 || ids[out - 1] != ids[k])
      ids[out++] = ids[k];
  return out;
}

/* ids[0..n) sorted by text with duplicates dropped; returns the new count.
 * Ids are interned: equal ids are one pointer.  Repeats next to each other
 * go before the sort, which then has fewer to compare. */
static guint
sort_unique (const char **ids, guint n)
{
  n = drop_repeats (ids, n);
  qsort (ids, n, sizeof (const char *), id_cmp);
  return drop_repeats (ids, n);
}

/* Starts a lookup entry: `"<id>": {` on its own indented line. */
static void
entry_open (JsonW *w, const char *id)
{
  jw_sep (w);
  qt_stmt_json_id (w->s, id);
  PUT_LITERAL (w->s, ": {");
}

/* `"<text>"` or null. */
static void
put_string_or_null (GString *s, const char *text)
{
  if (text != NULL)
    qt_stmt_json_string (s, text);
  else
    PUT_LITERAL (s, "null");
}

/* Receipts: the credits are sorted by receipt_id already. */
static void
receipts_json (JsonW *w, const QtStatementModel *m)
{
  GString *s = w->s;
  jw_open (w, "receipts", '{', FALSE);
  for (guint k = 0; k < m->n_credits; k++)
    {
      const QtReceipt *rc = m->credits[k].receipt;
      if (k > 0 && rc == m->credits[k - 1].receipt)
        continue;
      entry_open (w, rc->receipt_id);
      PUT_LITERAL (s, "\"received_on\":\"");
      qt_stmt_day (s, rc->received_on);
      NUM_MEMBER (s, "\",\"receipt_amount\":\"", m->res->ds->nums, rc->amount);
      qt_stmt_putc (s, '}');
    }
  jw_close (w, '}');
}

/* Orders: each once, sorted by order_id. */
static void
orders_json (JsonW *w, const QtStatementModel *m, const char **ids)
{
  GString *s = w->s;
  for (guint k = 0; k < m->n_credits; k++)
    ids[k] = m->credits[k].order->order_id;
  const guint n = sort_unique (ids, m->n_credits);
  jw_open (w, "orders", '{', FALSE);
  for (guint k = 0; k < n; k++)
    {
      const QtOrder *ord = &m->res->ds->orders[qt_id_row (ids[k], QT_ID_ORDER)];
      entry_open (w, ord->order_id);
      PUT_LITERAL (s, "\"signed_on\":\"");
      qt_stmt_day (s, ord->signed_on);
      PUT_LITERAL (s, "\",\"order_status\":");
      qt_stmt_json_string (s, qt_status_name (ord->status));
      qt_stmt_putc (s, '}');
    }
  jw_close (w, '}');
}

/* Customers: each once, sorted by customer_id. */
static void
customers_json (JsonW *w, const QtStatementModel *m, const char **ids)
{
  for (guint k = 0; k < m->n_credits; k++)
    ids[k] = m->credits[k].order->customer_id;
  const guint n = sort_unique (ids, m->n_credits);
  jw_open (w, "customers", '{', FALSE);
  for (guint k = 0; k < n; k++)
    {
      const gint row = qt_id_row (ids[k], QT_ID_CUSTOMER);
      entry_open (w, ids[k]);
      PUT_LITERAL (w->s, "\"name\":");
      put_string_or_null (w->s, row >= 0 ? m->res->ds->customers[row].name : NULL);
      qt_stmt_putc (w->s, '}');
    }
  jw_close (w, '}');
}

/* Products: each once, sorted by product_id. */
static void
products_json (JsonW *w, const QtStatementModel *m, const char **ids)
{
  for (guint k = 0; k < m->n_credits; k++)
    ids[k] = m->credits[k].line->product_id;
  const guint n = sort_unique (ids, m->n_credits);
  jw_open (w, "products", '{', FALSE);
  for (guint k = 0; k < n; k++)
    {
      const gint row = qt_id_row (ids[k], QT_ID_PRODUCT);
      const QtProduct *pr = row >= 0 ? &m->res->ds->products[row] : NULL;
      entry_open (w, ids[k]);
      PUT_LITERAL (w->s, "\"name\":");
      put_string_or_null (w->s, pr ? pr->name : NULL);
      PUT_LITERAL (w->s, ",\"category\":");
      put_string_or_null (w->s, pr ? pr->category : NULL);
      qt_stmt_putc (w->s, '}');
    }
  jw_close (w, '}');
}

/* ---- credits ------------------------------------------------------------ */

/* The ids a credit names, then its line's facts. */
static void
slice_source (GString *s, const QtNumStore *nums, const QtStatementCredit *cr)
{
  PUT_LITERAL (s, "{\"receipt_id\":");
  qt_stmt_json_id (s, cr->receipt->receipt_id);
  PUT_LITERAL (s, ",\"order_id\":");
  qt_stmt_json_id (s, cr->order->order_id);
  PUT_LITERAL (s, ",\"customer_id\":");
  qt_stmt_json_id (s, cr->order->customer_id);
  PUT_LITERAL (s, ",\"product_id\":");
  qt_stmt_json_id (s, cr->line->product_id);
  PUT_LITERAL (s, ",\"line_no\":");
  qt_stmt_json_id (s, cr->line->line_no);
  NUM_MEMBER (s, ",\"quantity\":\"", nums, cr->line->quantity);
  NUM_MEMBER (s, ",\"unit_price\":\"", nums, cr->line->unit_price);
  NUM_MEMBER (s, ",\"unit_cost\":\"", nums, cr->line->unit_cost);
  FRAC_MEMBER (s, ",\"line_net\":\"", &cr->line_net);
  FRAC_MEMBER (s, ",\"order_net\":\"", cr->order_net);
}

/* [applied ids] and the basis: {its facts} when any applied, else null. */
static void
slice_multipliers (GString *s, const QtStatementCredit *cr)
{
  const guint mask = cr->slice->mult_mask;
  PUT_LITERAL (s, ",\"multipliers\":[");
  for (int k = 0, n = 0; k < QT_MULT_COUNT; k++)
    if (mask & (1u << k))
      {
        if (n++ > 0)
          qt_stmt_putc (s, ',');
        qt_stmt_json_string (s, qt_mult_id (k));
      }
  qt_stmt_putc (s, ']');
  if ((mask & (1u << QT_MULT_HIGH_MARGIN | 1u << QT_MULT_FAST_COLLECTION)) == 0)
    {
      PUT_LITERAL (s, ",\"basis\":null");
      return;
    }
  PUT_LITERAL (s, ",\"basis\":{");
  if (mask & (1u << QT_MULT_HIGH_MARGIN))
    {
      /* applied only to a line priced above 0 (SPEC §12.5.2) */
      PUT_LITERAL (s, "\"margin_rate\":");
      if (cr->has_margin_rate)
        FRAC_MEMBER (s, "\"", &cr->margin_rate);
      else
        PUT_LITERAL (s, "null");
      if (mask & (1u << QT_MULT_FAST_COLLECTION))
        qt_stmt_putc (s, ',');
    }
  if (mask & (1u << QT_MULT_FAST_COLLECTION))
    {
      PUT_LITERAL (s, "\"timed_by_receipt\":");
      qt_stmt_json_id (s, cr->timed_by->receipt_id);
      PUT_LITERAL (s, ",\"days_after_signing\":");
      qt_append_int (s, cr->days_after_signing);
    }
  qt_stmt_putc (s, '}');
}

/* SPEC §4.2–4.3: slice = receipt × line_net / order_net × share, × weight;
 * one credit, an object on a line of its own (its members always in this
 * order). */
static void
slice_json (JsonW *w, const QtNumStore *nums, const QtStatementCredit *cr)
{
  GString *s = w->s;
  const QtSlice *sl = cr->slice;
  jw_sep (w);
  slice_source (s, nums, cr);
  NUM_MEMBER (s, ",\"share\":\"", nums, sl->share);
  FRAC_MEMBER (s, ",\"amount\":\"", &sl->amount);
  slice_multipliers (s, cr);
  EXACT_MEMBER (s, ",\"weight\":\"", sl->weight);
  FRAC_MEMBER (s, ",\"weighted_amount\":\"", &sl->weighted);
  qt_stmt_putc (s, '}');
}

/* The lookups, then one line per credit. */
static void
credits_json (JsonW *w, const QtStatementModel *m)
{
  g_autofree const char **ids = g_new (const char *, m->n_credits + 1);
  receipts_json (w, m);
  orders_json (w, m, ids);
  customers_json (w, m, ids);
  products_json (w, m, ids);
  jw_open (w, "credits", '[', FALSE);
  for (guint k = 0; k < m->n_credits; k++)
    slice_json (w, m->res->ds->nums, &m->credits[k]);
  jw_close (w, ']');
}

/* ---- credit and commission ---------------------------------------------- */

/* SPEC §4.4: C, W, quota, attainment. */
static void
credit_json (JsonW *w, const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  jw_open (w, "credit", '{', FALSE);
  jw_exact (w, "credit", r->credit);
  jw_exact (w, "weighted", r->weighted);
  jw_int (w, "slices", r->n_slices);
  jw_exact_or_null (w, "quota", r->has_quota, r->quota);
  jw_exact (w, "attainment", r->attainment);
  g_auto (mpq_t) percent;
  mpq_init (percent);
  mpq_set_ui (percent, 100, 1);
  mpq_mul (percent, percent, r->attainment);
  jw_rounded_object (w, "attainment_percent", percent);
  jw_bool (w, "no_quota", r->no_quota);
  g_autofree char *note = qt_statement_no_quota_note (m);
  jw_str_or_null (w, "explanation", note);
  jw_close (w, '}');
}

/* One commission tier, with its amount bounds. */
static void
tier_json (JsonW *w, const QtRepResult *r, guint i)
{
  const QtTierLine *t = &r->tiers[i];
  char rule[48];
  g_snprintf (rule, sizeof rule, "commission.tiers[%u]", i);
  jw_open (w, NULL, '{', TRUE);
  jw_int (w, "tier", i + 1);
  jw_str (w, "rule", rule);
  jw_exact (w, "from", t->tier->from);
  jw_exact_or_null (w, "to", t->has_upper, t->has_upper ? r->tiers[i + 1].tier->from : NULL);
  jw_exact (w, "rate", t->tier->rate);
  jw_exact_or_null (w, "lower", r->has_quota, t->lower);
  jw_exact_or_null (w, "upper", r->has_quota && t->has_upper, t->upper);
  jw_exact (w, "portion", t->portion);
  jw_exact (w, "amount", t->amount);
  jw_close (w, '}');
}

/* "What it takes to reach the next tier" (SPEC: sales reps' view). */
static void
next_tier_json (JsonW *w, const QtRepResult *r)
{
  if (!r->has_next_tier)
    {
      jw_null (w, "next_tier");
      return;
    }
  const guint k = (guint) r->tier + 1;
  char rule[48];
  g_snprintf (rule, sizeof rule, "commission.tiers[%u]", k);
  jw_open (w, "next_tier", '{', TRUE);
  jw_int (w, "tier", k + 1);
  jw_str (w, "rule", rule);
  jw_exact (w, "from", r->tiers[k].tier->from);
  jw_exact (w, "rate", r->tiers[k].tier->rate);
  jw_exact (w, "lower", r->tiers[k].lower);
  jw_exact (w, "weighted_needed", r->next_tier_needed);
  jw_close (w, '}');
}

/* SPEC §4.5, §12.6.3. */
static void
commission_json (JsonW *w, const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  const QtPlanVersion *v = r->plan;
  jw_open (w, "commission", '{', FALSE);
  jw_rule (w, "commission", v);
  jw_str (w, "mode", v->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive");
  jw_open (w, "tiers", '[', FALSE);
  for (guint i = 0; i < r->n_tiers; i++)
    tier_json (w, r, i);
  jw_close (w, ']');
  if (r->tier >= 0)
    jw_int (w, "tier_reached", r->tier + 1);
  else
    jw_null (w, "tier_reached");
  next_tier_json (w, r);
  jw_bool (w, "clawback", r->clawback);
  jw_exact_or_null (w, "cap", v->has_cap, v->cap);
  jw_bool (w, "capped", r->capped);
  jw_exact (w, "uncapped", r->commission_uncapped);
  jw_payable (w, r->commission, r->r_commission);
  g_autofree char *note = qt_statement_commission_note (m);
  jw_str (w, "explanation", note);
  jw_close (w, '}');
}

/* SPEC §4.6, §12.6.4: base = exact capped commissions of direct reports. */
static void
override_json (JsonW *w, const QtStatementModel *m)
{
  const QtRunResult *res = m->res;
  const QtRepResult *r = m->r;
  jw_open (w, "override", '{', FALSE);
  jw_rule (w, "override.rate", r->plan);
  jw_exact_or_null (w, "rate", r->plan->has_override, r->plan->override_rate);
  jw_open (w, "base", '[', FALSE);
  for (guint k = 0; k < r->n_reports; k++)
    {
      const QtRepResult *d = &res->reps[m->reports[k]];
      jw_open (w, NULL, '{', TRUE);
      jw_str (w, "rep_id", res->ds->reps[d->rep].rep_id);
      jw_str (w, "name", res->ds->reps[d->rep].name);
      jw_exact (w, "commission", d->commission);
      jw_close (w, '}');
    }
  jw_close (w, ']');
  jw_exact (w, "base_total", r->override_base);
  jw_payable (w, r->override_amount, r->r_override);
  jw_close (w, '}');
}

/* ---- sprint and score --------------------------------------------------- */

/* A quarterly sprint bonus and whether it is paid. */
static void
sprint_bonus_json (JsonW *w, const QtRepResult *r, const QtBonusLine *b)
{
  g_autofree char *rule = g_strdup_printf ("bonuses[%s]", b->bonus->id);
  jw_open (w, NULL, '{', TRUE);
  jw_str (w, "id", b->bonus->id);
  jw_rule (w, rule, r->plan);
  jw_exact (w, "min_attainment", b->bonus->min_attainment);
  jw_exact (w, "amount", b->bonus->amount);
  jw_bool (w, "paid", b->paid);
  jw_payable (w, b->exact, b->rounded);
  jw_close (w, '}');
}

/* "months": the quarter's first n months, each with its weighted credit
 * and quota. */
static void
months_json (JsonW *w, const QtRepResult *r, guint n)
{
  char buf[8];
  jw_open (w, "months", '[', FALSE);
  for (guint m = 0; m < n; m++)
    {
      jw_open (w, NULL, '{', TRUE);
      jw_str (w, "period", qt_period_format (r->months[m].period, buf));
      jw_exact (w, "weighted", r->months[m].w);
      jw_exact_or_null (w, "quota", r->months[m].has_quota, r->months[m].quota);
      jw_close (w, '}');
    }
  jw_close (w, ']');
}

/* The three months of a closing quarter (none before its end). */
static void
sprint_months_json (JsonW *w, const QtRepResult *r)
{
  months_json (w, r, r->quarter_end ? 3 : 0);
}

/* Mid-quarter: the quarter's months so far, their sums, and the whole
 * quarter's quota when known; null at the quarter's end (months above). */
static void
sprint_to_date_json (JsonW *w, const QtRepResult *r)
{
  if (r->quarter_end)
    {
      jw_null (w, "to_date");
      return;
    }
  jw_open (w, "to_date", '{', FALSE);
  months_json (w, r, r->n_months);
  jw_exact (w, "weighted", r->sprint_w);
  jw_exact (w, "quota", r->sprint_quota);
  jw_exact_or_null (w, "quarter_quota", r->has_quarter_quota, r->quarter_quota);
  jw_close (w, '}');
}

/* SPEC §4.7, §12.7. */
static void
sprint_json (JsonW *w, const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  char buf[8];
  jw_open (w, "sprint", '{', FALSE);
  jw_str (w, "quarter", qt_quarter_format (qt_quarter_of_period (m->res->period), buf));
  jw_bool (w, "closes_quarter", r->quarter_end);
  sprint_months_json (w, r);
  jw_exact_or_null (w, "weighted_total", r->quarter_end, r->sprint_w);
  jw_exact_or_null (w, "quota_total", r->quarter_end, r->sprint_quota);
  jw_exact_or_null (w, "attainment", r->has_sprint_attainment, r->sprint_attainment);
  jw_open (w, "bonuses", '[', FALSE);
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == QT_BONUS_QUARTERLY_SPRINT)
      sprint_bonus_json (w, r, &r->bonuses[i]);
  jw_close (w, ']');
  sprint_to_date_json (w, r);
  jw_close (w, '}');
}

/* A score figure on the score scale (100 × the sum of contributions for
 * process and result), exact and rounded. */
static void
score_figure (JsonW *w, const char *key, mpq_srcptr shown)
{
  jw_rounded_object (w, key, shown);
}

/* One score item: value, target, ratio, cap, contribution. */
static void
score_item_json (JsonW *w, const QtRepResult *r, guint i)
{
  const QtScoreLine *l = &r->score_lines[i];
  const QtScoreItem *it = l->item;
  const guint pos = l->is_process ? i : i - r->plan->n_process;
  char rule[48];
  g_snprintf (rule, sizeof rule, "score.%s[%u]", l->is_process ? "process" : "result", pos);
  jw_open (w, NULL, '{', TRUE);
  jw_str (w, "rule", rule);
  jw_str (w, "list", l->is_process ? "process" : "result");
  jw_str_or_null (w, "metric", it->is_attainment ? NULL : it->metric);
  jw_str_or_null (w, "measure", it->is_attainment ? "attainment" : NULL);
  jw_exact (w, "value", l->value);
  jw_exact_or_null (w, "target", it->has_target, it->target);
  jw_exact (w, "ratio", l->ratio);
  jw_exact_or_null (w, "cap", it->has_cap, it->cap);
  jw_bool (w, "capped", l->capped);
  jw_exact (w, "score", l->score);
  jw_exact (w, "weight", it->weight);
  jw_exact (w, "contribution", l->contribution);
  jw_bool (w, "missing", l->missing);
  jw_close (w, '}');
}

/* A score bonus and whether it is paid. */
static void
score_bonus_json (JsonW *w, const QtRepResult *r, const QtBonusLine *b)
{
  g_autofree char *rule = g_strdup_printf ("bonuses[%s]", b->bonus->id);
  jw_open (w, NULL, '{', TRUE);
  jw_str (w, "id", b->bonus->id);
  jw_rule (w, rule, r->plan);
  jw_exact (w, "target_amount", b->bonus->target_amount);
  jw_exact_or_null (w, "min_score", b->bonus->has_min_score, b->bonus->min_score);
  jw_bool (w, "paid", b->paid);
  jw_payable (w, b->exact, b->rounded);
  jw_close (w, '}');
}

/* The plan's score weights and items. */
static void
score_items_json (JsonW *w, const QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  jw_exact_or_null (w, "process_weight", v->has_score, v->process_weight);
  jw_exact_or_null (w, "result_weight", v->has_score, v->result_weight);
  jw_open (w, "items", '[', FALSE);
  for (guint i = 0; i < r->n_score_lines; i++)
    score_item_json (w, r, i);
  jw_close (w, ']');
}

/* SPEC §4.8, §12.8. */
static void
score_json (JsonW *w, const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  const QtPlanVersion *v = r->plan;
  jw_open (w, "score", '{', FALSE);
  jw_rule (w, "score", v);
  jw_bool (w, "has_score", v->has_score);
  jw_str_or_null (w, "explanation",
                  v->has_score ? NULL
                               : "the plan has no score section: all scores are 0, the rep is "
                                 "ranked with total 0 and earns no score bonus");
  score_items_json (w, r);
  score_figure (w, "process", r->process_score);
  score_figure (w, "result", r->result_score);
  score_figure (w, "total", r->total);
  jw_int (w, "team_rank", r->team_rank);
  jw_int (w, "team_size", r->team_size);
  jw_open (w, "bonuses", '[', FALSE);
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == QT_BONUS_SCORE)
      score_bonus_json (w, r, &r->bonuses[i]);
  jw_close (w, ']');
  jw_close (w, '}');
}

/* ---- adjustments and payable -------------------------------------------- */

/* SPEC §4.9: each adjustment rounded on its own (§12.10). */
static void
adjustments_json (JsonW *w, const QtStatementModel *m)
{
  const QtDataset *ds = m->res->ds;
  const QtRepResult *r = m->r;
  g_auto (mpq_t) amount;
  mpq_init (amount);
  jw_open (w, "adjustments", '[', FALSE);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      const QtAdjustment *a = &ds->adjustments[r->adjustments[m->adjustments[k]]];
      qt_num_get (ds->nums, a->amount, amount);
      jw_open (w, NULL, '{', TRUE);
      jw_str (w, "adjustment_id", a->adjustment_id);
      jw_str (w, "reason", a->reason);
      jw_payable (w, amount, r->adjustments_rounded[m->adjustments[k]]);
      jw_close (w, '}');
    }
  jw_close (w, ']');
}

/* SPEC §6: the rounded column equals payout.csv; the total is the sum of
 * the rounded components, its exact the sum of the exact ones. */
static void
payable_json (JsonW *w, const QtStatementModel *m)
{
  static const char *const keys[QT_PAYABLE_COUNT] = {
    [QT_PAYABLE_COMMISSION] = "commission",     [QT_PAYABLE_OVERRIDE] = "override",
    [QT_PAYABLE_SPRINT_BONUS] = "sprint_bonus", [QT_PAYABLE_SCORE_BONUS] = "score_bonus",
    [QT_PAYABLE_ADJUSTMENTS] = "adjustments",   [QT_PAYABLE_TOTAL] = "total",
  };
  jw_open (w, "payable", '{', FALSE);
  jw_str (w, "currency", m->r->plan->currency);
  for (int k = 0; k < QT_PAYABLE_COUNT; k++)
    jw_payable_object (w, keys[k], m->payable[k].exact, m->payable[k].rounded);
  jw_close (w, '}');
}

/* What would pay more (calc/statement_model.h): the sprint bonus the
 * quarter missed and the weighted credit it lacked; the score item worth
 * most at its cap and the points it would add. */
static void
earn_more_json (JsonW *w, const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  jw_open (w, "earn_more", '{', FALSE);
  /* one figure, named for what it means then: missed at the quarter's
   * end, still ahead before it */
  const char *const keys[2] = { "sprint_missed", "sprint_ahead" };
  for (int k = 0; k < 2; k++)
    {
      const gboolean mine = m->sprint_bonus >= 0 && r->quarter_end == (k == 0);
      if (!mine)
        {
          jw_null (w, keys[k]);
          continue;
        }
      const QtBonusLine *b = &r->bonuses[m->sprint_bonus];
      jw_open (w, keys[k], '{', TRUE);
      jw_str (w, "bonus", b->bonus->id);
      jw_exact (w, "amount", b->bonus->amount);
      jw_exact (w, "weighted_needed", m->sprint_needed);
      jw_close (w, '}');
    }
  if (m->lever >= 0)
    {
      const QtScoreLine *l = &r->score_lines[m->lever];
      const guint pos = l->is_process ? (guint) m->lever : (guint) m->lever - r->plan->n_process;
      char rule[48];
      g_snprintf (rule, sizeof rule, "score.%s[%u]", l->is_process ? "process" : "result", pos);
      jw_open (w, "score_lever", '{', TRUE);
      jw_str (w, "rule", rule);
      jw_str (w, "item", l->item->is_attainment ? "attainment" : l->item->metric);
      jw_exact (w, "points", m->lever_points);
      jw_close (w, '}');
    }
  else
    jw_null (w, "score_lever");
  jw_close (w, '}');
}

/* The period's receipts not credited on the rep's orders, and why. */
static void
excepted_json (JsonW *w, const QtStatementModel *m)
{
  const QtDataset *ds = m->res->ds;
  g_auto (mpq_t) amount;
  mpq_init (amount);
  jw_open (w, "excepted_receipts", '[', FALSE);
  for (guint k = 0; k < m->n_excepted; k++)
    {
      const QtExceptedReceipt *x = &m->excepted[k];
      qt_num_get (ds->nums, x->receipt->amount, amount);
      jw_open (w, NULL, '{', TRUE);
      jw_str (w, "receipt_id", x->receipt->receipt_id);
      jw_str (w, "order_id", x->receipt->order_id);
      jw_day (w, "received_on", x->receipt->received_on);
      jw_exact (w, "amount", amount);
      jw_str (w, "code", x->exception->code);
      g_autofree char *reason = g_strndup (x->exception->message, x->exception->reason_len);
      jw_str (w, "message", reason);
      jw_close (w, '}');
    }
  jw_close (w, ']');
}

/* The JSON statement of res->reps[rep]. */
GString *
qt_statement_json (const QtStatementIndex *ix, guint rep)
{
  g_return_val_if_fail (ix != NULL && rep < qt_statement_index_result (ix)->n_reps, NULL);
  g_autoptr (QtStatementModel) m = qt_statement_model_build (ix, rep);
  return qt_statement_json_of (m);
}

/* The JSON statement of a model. */
GString *
qt_statement_json_of (const QtStatementModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  char period[8];
  JsonW w = { .s = g_string_sized_new (4096 + 640 * (gsize) m->n_credits), .first = { TRUE } };
  jw_open (&w, NULL, '{', FALSE);
  jw_str (&w, "statement", "quotient commission statement");
  jw_int (&w, "format_version", 4);
  rep_json (&w, m);
  plan_json (&w, m->r->plan);
  jw_str (&w, "period", qt_period_format (m->res->period, period));
  jw_str (&w, "currency", m->r->plan->currency);
  multiplier_rules_json (&w, m->r->plan);
  credits_json (&w, m);
  credit_json (&w, m);
  commission_json (&w, m);
  override_json (&w, m);
  sprint_json (&w, m);
  score_json (&w, m);
  adjustments_json (&w, m);
  payable_json (&w, m);
  earn_more_json (&w, m);
  excepted_json (&w, m);
  jw_close (&w, '}');
  qt_stmt_putc (w.s, '\n');
  return w.s;
}
