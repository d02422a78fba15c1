/* reports/statement_text.c — statements/<stem>.txt: the JSON statement's
 * story told for a person, in plain UTF-8 aligned with spaces. */
#include "statement.h"

#include <string.h>

#include "../calc/amount.h"
#include "rep_order.h"

/* ---- aligned tables ----------------------------------------------------- */

/* Width of a cell on a monospace screen: UTF-8 characters counted one by
 * one (like g_utf8_strlen), except that East Asian wide characters such as
 * those of 陈静 take two columns and combining marks none; counting them as
 * one would push every later column of a Chinese name's row out of line. */
static glong
display_width (const char *text)
{
  glong w = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      w += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

/* Columns padded to their widest cell (display_width). */
typedef struct {
  guint n_cols;
  const char *align;  /* one 'l' or 'r' per column */
  GPtrArray *rows;    /* char** of n_cols owned strings; NULL draws a rule */
} Table;

static Table *
table_new (const char *align)
{
  Table *t = g_new0 (Table, 1);
  t->n_cols = (guint) strlen (align);
  t->align = align;
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return t;
}

static void
table_free (Table *t)
{
  g_ptr_array_unref (t->rows);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Adds a row of n_cols cells (copied; NULL is an empty cell). */
static void
table_add (Table *t, const char *const *cells)
{
  char **row = g_new0 (char *, t->n_cols + 1);
  for (guint c = 0; c < t->n_cols; c++)
    row[c] = g_strdup (cells[c] ? cells[c] : "");
  g_ptr_array_add (t->rows, row);
}

static void
table_rule (Table *t)
{
  g_ptr_array_add (t->rows, NULL);
}

static void
append_spaces (GString *s, glong n)
{
  for (glong i = 0; i < n; i++)
    g_string_append_c (s, ' ');
}

static void
render_row (const Table *t, char **row, const glong *widths, GString *out)
{
  gsize start = out->len;
  g_string_append (out, "  ");
  for (guint c = 0; c < t->n_cols; c++)
    {
      glong pad = widths[c] - display_width (row[c]);
      if (c > 0)
        g_string_append (out, "  ");
      if (t->align[c] == 'r')
        append_spaces (out, pad);
      g_string_append (out, row[c]);
      if (t->align[c] != 'r')
        append_spaces (out, pad);
    }
  /* No trailing blanks: empty last cells and left padding leave none. */
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static void
table_render (const Table *t, GString *out)
{
  g_autofree glong *widths = g_new0 (glong, t->n_cols + 1);
  for (guint i = 0; i < t->rows->len; i++)
    {
      char **row = g_ptr_array_index (t->rows, i);
      for (guint c = 0; row != NULL && c < t->n_cols; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }
  glong total = 0;
  for (guint c = 0; c < t->n_cols; c++)
    total += widths[c] + (c > 0 ? 2 : 0);
  for (guint i = 0; i < t->rows->len; i++)
    {
      char **row = g_ptr_array_index (t->rows, i);
      if (row != NULL)
        {
          render_row (t, row, widths, out);
          continue;
        }
      g_string_append (out, "  ");
      for (glong k = 0; k < total; k++)
        g_string_append_c (out, '-');
      g_string_append_c (out, '\n');
    }
}

/* ---- one statement ------------------------------------------------------ */

typedef struct {
  const QtStatementIndex *ix;
  const QtRunResult *res;
  const QtRepResult *r;
  GString *out;
  GPtrArray *pool;  /* strings owned until the statement is rendered */
} Doc;

/* Keeps `s` alive for the rendering and returns it. */
static const char *
own (Doc *d, char *s)
{
  g_ptr_array_add (d->pool, s);
  return s;
}

/* Money for display: 2 decimals, half-even. */
static const char *
money (Doc *d, const mpq_t v)
{
  return own (d, qt_fixed_format (v, 2, QT_ROUND_HALF_EVEN));
}

static const char *
exact (Doc *d, const mpq_t v)
{
  return own (d, qt_exact_format (v));
}

/* The exact value when it is short (terminates within 4 decimals), else
 * "~" and the value rounded half-even to 4 decimals. */
static const char *
brief (Doc *d, const mpq_t v)
{
  char *txt = qt_exact_format (v);
  const char *dot = strchr (txt, '.');
  if (strchr (txt, '/') == NULL && (dot == NULL || strlen (dot + 1) <= 4))
    return own (d, txt);
  g_free (txt);
  g_autofree char *rounded = qt_fixed_format (v, 4, QT_ROUND_HALF_EVEN);
  return own (d, g_strconcat ("~", rounded, NULL));
}

/* "exact X" when the 2-decimal display hides part of v, else "". */
static const char *
exact_note (Doc *d, const mpq_t v)
{
  g_auto (mpq_t) shown;
  mpq_init (shown);
  qt_round (shown, v, 2, QT_ROUND_HALF_EVEN);
  if (mpq_equal (shown, v))
    return "";
  g_autofree char *txt = qt_exact_format (v);
  return own (d, g_strconcat ("exact ", txt, NULL));
}

static const char *
percent (Doc *d, const mpq_t v)
{
  g_autofree char *pct = qt_statement_percent (v);
  return own (d, g_strconcat (pct, "%", NULL));
}

static void
title (Doc *d, const char *text)
{
  g_string_append_printf (d->out, "\n%s\n", text);
}

static void
line (Doc *d, const char *text)
{
  g_string_append_printf (d->out, "  %s\n", text);
}

static const char *
rep_label (Doc *d, const QtRep *rep)
{
  return own (d, g_strdup_printf ("%s (%s)", rep->name, rep->rep_id));
}

static void
header (Doc *d)
{
  const QtDataset *ds = d->res->ds;
  const QtRep *rep = &ds->reps[d->r->rep];
  const QtPlanVersion *v = d->r->plan;
  char period[8];
  qt_period_format (d->res->period, period);
  g_string_append_printf (d->out, "Commission statement %s: %s (%s)\n", period, rep->name,
                          rep->rep_id);
  g_autoptr (Table) t = table_new ("ll");
  guint team = GPOINTER_TO_UINT (g_hash_table_lookup (d->ix->team_sizes, rep->team_id));
  table_add (t, (const char *[]) { "Rep", rep_label (d, rep) });
  table_add (t, (const char *[]) { "Team", own (d, g_strdup_printf ("%s (%u rep%s)", rep->team_id, team,
                                                                    team == 1 ? "" : "s")) });
  table_add (t, (const char *[]) { "Manager", rep->manager >= 0 ? rep_label (d, &ds->reps[rep->manager])
                                                                 : "none" });
  table_add (t, (const char *[]) { "Plan", own (d, g_strdup_printf ("%s version %" G_GINT64_FORMAT
                                                                    " (%s)", v->plan, v->version,
                                                                    v->file_name)) });
  table_add (t, (const char *[]) { "Plan SHA-256", v->sha256 });
  table_add (t, (const char *[]) { "Period", period });
  table_add (t, (const char *[]) { "Currency", v->currency });
  table_render (t, d->out);
}

/* ---- credits ------------------------------------------------------------ */

static void
credit_row (Doc *d, Table *t, const QtSlice *sl)
{
  const QtDataset *ds = d->res->ds;
  const QtReceipt *rc = &ds->receipts[sl->receipt];
  const QtOrderLine *ln = &ds->lines[sl->line];
  guint o = GPOINTER_TO_UINT (g_hash_table_lookup (d->ix->orders, rc->order_id)) - 1;
  const QtCustomer *cu = g_hash_table_lookup (d->ix->customers, ds->orders[o].customer_id);
  const QtProduct *pr = g_hash_table_lookup (d->ix->products, ln->product_id);
  char day[11];
  const char *mults = own (d, qt_report_multipliers (sl->mult_mask));
  g_auto (mpq_t) share;
  mpq_init (share);
  qt_num_get (ds->nums, sl->share, share);
  table_add (t, (const char *[]) {
                  rc->receipt_id, qt_date_format (rc->received_on, day), rc->order_id, ln->line_no,
                  cu ? cu->name : ds->orders[o].customer_id, pr ? pr->name : ln->product_id,
                  brief (d, share), money (d, sl->amount), *mults ? mults : "-",
                  brief (d, sl->weight), money (d, sl->weighted) });
}

static void
credits (Doc *d)
{
  const QtRepResult *r = d->r;
  const GPtrArray *slices = d->ix->rep_slices[r->rep];
  char period[8];
  title (d, "Credits");
  if (slices->len == 0)
    {
      line (d, own (d, g_strdup_printf ("No credited receipts in %s.",
                                        qt_period_format (d->res->period, period))));
      return;
    }
  g_autoptr (Table) t = table_new ("llllllrrlrr");
  table_add (t, (const char *[]) { "receipt", "received", "order", "line", "customer", "product",
                                   "share", "amount", "multipliers", "weight", "weighted" });
  table_rule (t);
  for (guint k = 0; k < slices->len; k++)
    credit_row (d, t, g_ptr_array_index (slices, k));
  table_rule (t);
  table_add (t, (const char *[]) { "Total", NULL, NULL, NULL, NULL, NULL, NULL,
                                   money (d, r->credit), NULL, NULL, money (d, r->weighted) });
  table_render (t, d->out);
  line (d, "amount = receipt x line net / order net x share; weighted = amount x weight.");
  line (d, "Amounts show to the cent (~ = rounded for display); exact values are in the JSON statement.");
}

static void
totals (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Credit and attainment");
  g_autoptr (Table) t = table_new ("lrl");
  table_add (t, (const char *[]) { "Credit C", money (d, r->credit), exact_note (d, r->credit) });
  table_add (t, (const char *[]) { "Weighted credit W", money (d, r->weighted),
                                   exact_note (d, r->weighted) });
  table_add (t, (const char *[]) { "Quota", r->has_quota ? money (d, r->quota) : "none",
                                   r->has_quota ? exact_note (d, r->quota) : "" });
  table_add (t, (const char *[]) { "Attainment W / quota", percent (d, r->attainment),
                                   own (d, g_strconcat ("exact ", exact (d, r->attainment), NULL)) });
  table_render (t, d->out);
  g_autofree char *note = qt_statement_no_quota_note (d->ix, r);
  if (note != NULL)
    line (d, own (d, g_strconcat ("No quota: ", note, ".", NULL)));
}

/* ---- commission --------------------------------------------------------- */

static void
tier_row (Doc *d, Table *t, guint i, gint current)
{
  const QtRepResult *r = d->r;
  const QtTierLine *tl = &r->tiers[i];
  const char *range = tl->has_upper
                        ? own (d, g_strdup_printf ("%s to %s", exact (d, tl->tier->from),
                                                   exact (d, r->tiers[i + 1].tier->from)))
                        : own (d, g_strdup_printf ("%s and up", exact (d, tl->tier->from)));
  table_add (t, (const char *[]) {
                  own (d, g_strdup_printf ("%s %u", (gint) i == current ? ">" : " ", i + 1)), range,
                  exact (d, tl->tier->rate), r->has_quota ? money (d, tl->lower) : "-",
                  r->has_quota && tl->has_upper ? money (d, tl->upper) : "-", money (d, tl->portion),
                  money (d, tl->amount) });
}

static void
next_tier (Doc *d)
{
  const QtRepResult *r = d->r;
  g_auto (mpq_t) needed;
  mpq_init (needed);
  guint k;
  if (qt_statement_next_tier (r, needed, &k))
    line (d, own (d, g_strdup_printf ("Next tier: %s more weighted credit reaches tier %u "
                                      "(attainment %s, rate %s).",
                                      money (d, needed), k + 1, exact (d, r->tiers[k].tier->from),
                                      exact (d, r->tiers[k].tier->rate))));
  else if (r->has_quota)
    line (d, "You are in the top tier.");
}

static void
commission (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  title (d, own (d, g_strdup_printf ("Commission (%s tiers; rule commission of %s v%" G_GINT64_FORMAT ")",
                                     v->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive",
                                     v->plan, v->version)));
  gint current = qt_statement_current_tier (r);
  g_autoptr (Table) t = table_new ("llrrrrr");
  table_add (t, (const char *[]) { "tier", "attainment", "rate", "W from", "W to", "portion",
                                   "amount" });
  table_rule (t);
  for (guint i = 0; i < r->n_tiers; i++)
    tier_row (d, t, i, current);
  table_rule (t);
  table_add (t, (const char *[]) { "Commission", NULL, NULL, NULL, NULL, NULL,
                                   money (d, r->commission) });
  table_render (t, d->out);
  if (current >= 0)
    line (d, "> marks the tier your attainment reaches.");
  line (d, own (d, qt_statement_commission_note (d->ix, r)));
  if (*exact_note (d, r->commission) != '\0')
    line (d, own (d, g_strdup_printf ("Exact commission %s, rounded half-even to %s.",
                                      exact (d, r->commission), money (d, r->commission))));
  next_tier (d);
}

/* ---- override ----------------------------------------------------------- */

static void
override (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  title (d, "Manager override");
  if (!v->has_override)
    {
      line (d, own (d, g_strdup_printf ("Plan %s v%" G_GINT64_FORMAT " has no override: 0.00.",
                                        v->plan, v->version)));
      return;
    }
  if (r->n_reports == 0)
    {
      line (d, "No direct reports: 0.00.");
      return;
    }
  g_autoptr (Table) t = table_new ("llrl");
  table_add (t, (const char *[]) { "rep", "name", "commission", "" });
  table_rule (t);
  g_autofree guint *order = qt_statement_reports_sorted (d->res, r);
  for (guint k = 0; k < r->n_reports; k++)
    {
      const QtRepResult *dr = &d->res->reps[order[k]];
      const QtRep *rep = &d->res->ds->reps[dr->rep];
      table_add (t, (const char *[]) { rep->rep_id, rep->name, money (d, dr->commission),
                                       exact_note (d, dr->commission) });
    }
  table_rule (t);
  table_add (t, (const char *[]) { "Base", NULL, money (d, r->override_base),
                                   exact_note (d, r->override_base) });
  table_add (t, (const char *[]) { "Override", own (d, g_strdup_printf ("%s x base", exact (d, v->override_rate))),
                                   money (d, r->r_override), exact_note (d, r->override_amount) });
  table_render (t, d->out);
  line (d, own (d, g_strdup_printf ("Rule override.rate of %s v%" G_GINT64_FORMAT
                                    "; the base is the direct reports' exact capped commissions.",
                                    v->plan, v->version)));
}

/* ---- sprint ------------------------------------------------------------- */

static void
sprint (Doc *d)
{
  const QtRepResult *r = d->r;
  char buf[8];
  QtQuarter q = qt_quarter_of_period (d->res->period);
  title (d, own (d, g_strdup_printf ("Quarterly sprint %s", qt_quarter_format (q, buf))));
  if (!r->quarter_end)
    {
      char last[8];
      line (d, own (d, g_strdup_printf ("%s does not close the quarter: sprint bonuses are decided in %s.",
                                        qt_period_format (d->res->period, buf),
                                        qt_period_format (qt_quarter_first_period (q) + 2, last))));
      return;
    }
  g_autoptr (Table) t = table_new ("lrr");
  table_add (t, (const char *[]) { "month", "W", "quota" });
  table_rule (t);
  for (int m = 0; m < 3; m++)
    table_add (t, (const char *[]) { own (d, g_strdup (qt_period_format (r->months[m].period, buf))),
                                     money (d, r->months[m].w),
                                     r->months[m].has_quota ? money (d, r->months[m].quota) : "none" });
  table_rule (t);
  table_add (t, (const char *[]) { "Quarter", money (d, r->sprint_w), money (d, r->sprint_quota) });
  table_render (t, d->out);
  if (mpq_sgn (r->sprint_quota) <= 0)
    {
      line (d, "No quota in the quarter: no sprint bonus.");
      return;
    }
  g_auto (mpq_t) att;
  mpq_init (att);
  mpq_div (att, r->sprint_w, r->sprint_quota);
  line (d, own (d, g_strdup_printf ("Quarter attainment %s (exact %s).", percent (d, att), exact (d, att))));
}

/* ---- score -------------------------------------------------------------- */

static void
score_row (Doc *d, Table *t, const QtScoreLine *l)
{
  const QtScoreItem *it = l->item;
  const char *value = l->missing ? "0 (missing)" : brief (d, l->value);
  const char *score = l->capped ? own (d, g_strconcat (brief (d, l->score), " capped", NULL))
                                : brief (d, l->score);
  table_add (t, (const char *[]) {
                  l->is_process ? "process" : "result", it->is_attainment ? "attainment" : it->metric,
                  value, it->has_target ? exact (d, it->target) : "-", brief (d, l->ratio),
                  it->has_cap ? exact (d, it->cap) : "-", score, exact (d, it->weight),
                  brief (d, l->contribution) });
}

static const char *
rank_text (Doc *d)
{
  const QtRep *rep = &d->res->ds->reps[d->r->rep];
  guint team = GPOINTER_TO_UINT (g_hash_table_lookup (d->ix->team_sizes, rep->team_id));
  return own (d, g_strdup_printf ("%u of %u in team %s", d->r->team_rank, team, rep->team_id));
}

static void
score (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  title (d, "Score");
  if (!v->has_score)
    {
      line (d, "The plan has no score section: scores 0.00, no score bonus.");
      line (d, own (d, g_strconcat ("Team rank ", rank_text (d), ".", NULL)));
      return;
    }
  g_autoptr (Table) t = table_new ("llrrrrrrr");
  table_add (t, (const char *[]) { "list", "item", "value", "target", "ratio", "cap", "score",
                                   "weight", "contribution" });
  table_rule (t);
  for (guint i = 0; i < r->n_score_lines; i++)
    score_row (d, t, &r->score_lines[i]);
  table_render (t, d->out);
  line (d, "score = min(value / target, cap); contribution = score x weight; ~ = rounded for display.");
  g_auto (mpq_t) pct;
  mpq_init (pct);
  g_autoptr (Table) s = table_new ("lrl");
  mpq_set_ui (pct, 100, 1);
  mpq_mul (pct, pct, r->process);
  table_add (s, (const char *[]) { "Process score", money (d, pct), "100 x sum of process contributions" });
  mpq_set_ui (pct, 100, 1);
  mpq_mul (pct, pct, r->result);
  table_add (s, (const char *[]) { "Result score", money (d, pct), "100 x sum of result contributions" });
  table_add (s, (const char *[]) { "Total score", money (d, r->total),
                                   own (d, g_strdup_printf ("100 x (%s x process + %s x result)",
                                                            exact (d, v->process_weight),
                                                            exact (d, v->result_weight))) });
  table_render (s, d->out);
  line (d, own (d, g_strconcat ("Team rank ", rank_text (d),
                                " (by exact total score, ties by rep id).", NULL)));
}

/* ---- bonuses, adjustments, payable -------------------------------------- */

/* Why a bonus is paid or not, in words. */
static const char *
bonus_test (Doc *d, const QtBonusLine *b)
{
  const QtRepResult *r = d->r;
  const QtBonus *bo = b->bonus;
  if (bo->kind == QT_BONUS_SCORE)
    {
      if (!r->plan->has_score)
        return "no score section";
      const char *formula = own (d, g_strdup_printf ("%s x score / 100", exact (d, bo->target_amount)));
      if (!bo->has_min_score)
        return formula;
      return own (d, g_strdup_printf ("score %s %s %s; %s", money (d, r->total), b->paid ? ">=" : "<",
                                      exact (d, bo->min_score), formula));
    }
  if (!r->quarter_end)
    return "paid in a quarter's last month";
  if (mpq_sgn (r->sprint_quota) <= 0)
    return "no quota in the quarter";
  g_auto (mpq_t) att;
  mpq_init (att);
  mpq_div (att, r->sprint_w, r->sprint_quota);
  return own (d, g_strdup_printf ("quarter attainment %s %s %s; pays %s", percent (d, att),
                                  b->paid ? ">=" : "<", percent (d, bo->min_attainment),
                                  money (d, bo->amount)));
}

static void
bonuses (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Bonuses");
  if (r->n_bonuses == 0)
    {
      line (d, "The plan has no bonuses.");
      return;
    }
  g_autoptr (Table) t = table_new ("lllrl");
  table_add (t, (const char *[]) { "bonus", "kind", "test", "amount", "" });
  table_rule (t);
  for (guint i = 0; i < r->n_bonuses; i++)
    {
      const QtBonusLine *b = &r->bonuses[i];
      table_add (t, (const char *[]) {
                      b->bonus->id, b->bonus->kind == QT_BONUS_SCORE ? "score" : "quarterly sprint",
                      bonus_test (d, b), money (d, b->rounded), exact_note (d, b->exact) });
    }
  table_render (t, d->out);
}

static void
adjustments (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Adjustments");
  if (r->n_adjustments == 0)
    {
      line (d, "None.");
      return;
    }
  g_autoptr (Table) t = table_new ("llrl");
  g_autofree guint *order = qt_statement_adjustments_sorted (d->res, r);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      const QtAdjustment *a = &d->res->ds->adjustments[r->adjustments[order[k]]];
      g_auto (mpq_t) amount;
      mpq_init (amount);
      qt_num_get (d->res->ds->nums, a->amount, amount);
      table_add (t, (const char *[]) { a->adjustment_id, a->reason,
                                       money (d, r->adjustments_rounded[order[k]]),
                                       exact_note (d, amount) });
    }
  table_render (t, d->out);
}

/* SPEC §6: each line rounded half-even; the total is their sum, to the cent. */
static void
payable (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, own (d, g_strdup_printf ("Payable (%s)", r->plan->currency)));
  g_autoptr (Table) t = table_new ("lr");
  table_add (t, (const char *[]) { "Commission", money (d, r->r_commission) });
  table_add (t, (const char *[]) { "Override", money (d, r->r_override) });
  table_add (t, (const char *[]) { "Sprint bonus", money (d, r->r_sprint) });
  table_add (t, (const char *[]) { "Score bonus", money (d, r->r_score) });
  table_add (t, (const char *[]) { "Adjustments", money (d, r->r_adjustments) });
  table_rule (t);
  table_add (t, (const char *[]) { "Total", money (d, r->r_total) });
  table_render (t, d->out);
  line (d, "Each line is rounded half-even to the cent; the total is the sum of the lines.");
}

GString *
qt_statement_text (const QtStatementIndex *ix, guint rep)
{
  g_return_val_if_fail (ix != NULL && rep < ix->res->n_reps, NULL);
  g_autoptr (GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  Doc d = { ix, ix->res, &ix->res->reps[rep], g_string_new (NULL), pool };
  header (&d);
  credits (&d);
  totals (&d);
  commission (&d);
  override (&d);
  sprint (&d);
  score (&d);
  bonuses (&d);
  adjustments (&d);
  payable (&d);
  return d.out;
}
