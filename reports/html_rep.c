/* reports/html_rep.c — a rep's page of the HTML site (see html.h): the
 * answer first (what is paid, what would pay more), then the tier ladder,
 * the sprint, the score chart, every credit line, the trend and the
 * appeals. */
#include "html_internal.h"

#include <string.h>

/* Money of the statement's payable `key`, as payout.csv shows it. */
static const char *
payable (const cJSON *st, const char *key)
{
  g_autofree char *path = g_strconcat ("payable/", key, "/rounded", NULL);
  const char *v = qt_html_str (st, path);
  return v != NULL ? v : "0.00";
}

static void
heading (GString *out, const cJSON *st)
{
  g_string_append (out, "<h1>");
  qt_html_text (out, qt_html_str (st, "rep/name"));
  g_string_append (out, " (");
  qt_html_text (out, qt_html_str (st, "rep/rep_id"));
  g_string_append (out, ")</h1>\n<p class=\"note\">Commission statement ");
  qt_html_text (out, qt_html_str (st, "period"));
  g_string_append (out, " · team ");
  qt_html_text (out, qt_html_str (st, "rep/team_id"));
  g_string_append (out, " · plan ");
  qt_html_text (out, qt_html_str (st, "plan/id"));
  const cJSON *version = qt_html_at (st, "plan/version");
  g_string_append_printf (out, " version %d</p>\n", cJSON_IsNumber (version) ? version->valueint : 0);
}

/* The answer: the total, then its components. */
static void
answer (GString *out, const cJSON *st)
{
  static const char *const keys[] = { "commission", "override", "sprint_bonus", "score_bonus",
                                      "adjustments" };
  static const char *const labels[] = { "Commission", "Override", "Sprint bonus", "Score bonus",
                                        "Adjustments" };
  g_string_append (out, "<p class=\"answer\" id=\"total\">You are paid ");
  qt_html_text (out, payable (st, "total"));
  g_string_append_c (out, ' ');
  qt_html_text (out, qt_html_str (st, "payable/currency"));
  g_string_append (out, "</p>\n<table id=\"payable\">\n");
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_string_append_printf (out, "<tr><td>%s</td><td class=\"n\">", labels[k]);
      qt_html_text (out, payable (st, keys[k]));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "<tr class=\"total\"><td>Total</td><td class=\"n\">");
  qt_html_text (out, payable (st, "total"));
  g_string_append (out, "</td></tr>\n</table>\n");
}

/* "To earn more", from the statement's next tier, cap and earn_more. */
static void
earn_more (GString *out, const cJSON *st)
{
  g_autoptr (GString) body = g_string_new (NULL);
  const cJSON *next = qt_html_at (st, "commission/next_tier");
  if (cJSON_IsTrue (qt_html_at (st, "commission/capped")))
    {
      g_string_append (body, "<p>Your commission is capped at ");
      qt_html_money (body, qt_html_str (st, "commission/cap"));
      g_string_append (body, ": more credit this month does not raise it.</p>\n");
    }
  else if (cJSON_IsObject (next))
    {
      g_string_append (body, "<p id=\"tier-gap\">");
      qt_html_money (body, qt_html_str (next, "weighted_needed"));
      g_string_append_printf (body, " more weighted credit reaches tier %d, whose rate is ",
                              qt_html_at (next, "tier")->valueint);
      qt_html_text (body, qt_html_str (next, "rate"));
      g_string_append (body, ".</p>\n");
    }
  const cJSON *missed = qt_html_at (st, "earn_more/sprint_missed");
  const cJSON *ahead = qt_html_at (st, "earn_more/sprint_ahead");
  const cJSON *sprint = cJSON_IsObject (missed) ? missed : ahead;
  if (cJSON_IsObject (sprint))
    {
      g_string_append (body, sprint == missed ? "<p>The quarter needed " : "<p>");
      qt_html_money (body, qt_html_str (sprint, "weighted_needed"));
      g_string_append (body, sprint == missed ? " more weighted credit for the sprint bonus "
                                              : " more weighted credit by the quarter's end earns "
                                                "the sprint bonus ");
      qt_html_text (body, qt_html_str (sprint, "bonus"));
      g_string_append (body, " (");
      qt_html_money (body, qt_html_str (sprint, "amount"));
      g_string_append (body, ").</p>\n");
    }
  const cJSON *lever = qt_html_at (st, "earn_more/score_lever");
  if (cJSON_IsObject (lever))
    {
      g_string_append (body, "<p>Your score rises most with ");
      qt_html_text (body, qt_html_str (lever, "item"));
      g_string_append (body, ": at its cap it adds ");
      qt_html_money (body, qt_html_str (lever, "points"));
      g_string_append (body, " points.</p>\n");
    }
  if (body->len > 0)
    g_string_append_printf (out, "<div class=\"more\"><h2>To earn more</h2>\n%s</div>\n", body->str);
}

/* The tier ladder: a bar per tier along weighted credit, the rep's
 * weighted credit marked on it. */
static void
ladder (GString *out, const cJSON *st)
{
  const cJSON *tiers = qt_html_at (st, "commission/tiers");
  const int n = cJSON_GetArraySize (tiers);
  g_auto (mpq_t) w, top, lower, upper, scale;
  mpq_inits (w, top, lower, upper, scale, NULL);
  g_string_append (out, "<h2>Tier ladder</h2>\n");
  if (!qt_html_exact (w, qt_html_str (st, "credit/weighted")) || n == 0
      || !qt_html_exact (top, qt_html_str (cJSON_GetArrayItem (tiers, n - 1), "lower")))
    {
      g_string_append (out, "<p>No quota for the month: no tier ladder.</p>\n");
      return;
    }
  /* the scale: a quarter past the top tier's start, or past W */
  mpq_set (scale, mpq_cmp (w, top) > 0 ? w : top);
  mpq_set_ui (lower, 5, 4);
  mpq_mul (scale, scale, lower);
  const gint width = 600, height = 46;
  g_string_append_printf (out, "<svg id=\"ladder\" width=\"%d\" height=\"%d\" role=\"img\" "
                          "aria-label=\"tier ladder\">\n", width, height);
  const cJSON *tier;
  int i = 0;
  cJSON_ArrayForEach (tier, tiers)
    {
      qt_html_exact (lower, qt_html_str (tier, "lower"));
      gboolean open = !qt_html_exact (upper, qt_html_str (tier, "upper"));
      gint x0 = qt_html_px (lower, scale, width), x1 = open ? width : qt_html_px (upper, scale, width);
      g_string_append_printf (out, "<rect class=\"tier\" x=\"%d\" y=\"14\" width=\"%d\" height=\"18\" "
                              "fill=\"%s\" stroke=\"#fff\"/><text x=\"%d\" y=\"11\">tier %d · ",
                              x0, MAX (x1 - x0, 1), i % 2 ? "#b6e3ff" : "#80ccff", x0 + 2, i + 1);
      qt_html_text (out, qt_html_str (tier, "rate"));
      g_string_append (out, "</text>\n");
      i++;
    }
  gint xw = qt_html_px (w, scale, width);
  g_string_append_printf (out, "<line class=\"you\" x1=\"%d\" y1=\"12\" x2=\"%d\" y2=\"36\" "
                          "stroke=\"#a40e26\" stroke-width=\"3\"/><text x=\"%d\" y=\"45\">you: ",
                          xw, xw, MIN (xw, width - 120));
  qt_html_money (out, qt_html_str (st, "credit/weighted"));
  g_string_append (out, "</text>\n</svg>\n<p class=\"note\">Weighted credit ");
  qt_html_money (out, qt_html_str (st, "credit/weighted"));
  g_string_append (out, ", attainment ");
  qt_html_text (out, qt_html_str (st, "credit/attainment_percent/rounded"));
  g_string_append (out, "%.</p>\n");
}

static void
sprint (GString *out, const cJSON *st)
{
  g_string_append (out, "<h2>Quarterly sprint ");
  qt_html_text (out, qt_html_str (st, "sprint/quarter"));
  g_string_append (out, "</h2>\n");
  const gboolean to_date = !cJSON_IsTrue (qt_html_at (st, "sprint/closes_quarter"));
  if (to_date)
    g_string_append (out, "<p>Sprint bonuses are decided in the quarter's last month; the "
                          "quarter so far:</p>\n");
  g_string_append (out, "<table id=\"sprint\"><tr><th>month</th><th class=\"n\">weighted credit</th>"
                        "<th class=\"n\">quota</th></tr>\n");
  const cJSON *m;
  cJSON_ArrayForEach (m, qt_html_at (st, to_date ? "sprint/to_date/months" : "sprint/months"))
    {
      g_string_append (out, "<tr><td>");
      qt_html_text (out, qt_html_str (m, "period"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_money (out, qt_html_str (m, "weighted"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_money (out, qt_html_str (m, "quota"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, to_date ? "<tr class=\"total\"><td>To date</td><td class=\"n\">"
                                : "<tr class=\"total\"><td>Quarter</td><td class=\"n\">");
  qt_html_money (out, qt_html_str (st, to_date ? "sprint/to_date/weighted" : "sprint/weighted_total"));
  g_string_append (out, "</td><td class=\"n\">");
  qt_html_money (out, qt_html_str (st, to_date ? "sprint/to_date/quota" : "sprint/quota_total"));
  g_string_append (out, "</td></tr>\n</table>\n");
}

/* The score chart: a bar per item, its score against its cap. */
static void
score (GString *out, const cJSON *st)
{
  const cJSON *items = qt_html_at (st, "score/items");
  g_string_append (out, "<h2>Score</h2>\n");
  if (!cJSON_IsTrue (qt_html_at (st, "score/has_score")))
    {
      g_string_append (out, "<p>The plan has no score.</p>\n");
      return;
    }
  g_auto (mpq_t) v, cap, max;
  mpq_inits (v, cap, max, NULL);
  const cJSON *it;
  cJSON_ArrayForEach (it, items)
    {
      if (qt_html_exact (v, qt_html_str (it, "cap")) && mpq_cmp (v, max) > 0)
        mpq_set (max, v);
      if (qt_html_exact (v, qt_html_str (it, "score")) && mpq_cmp (v, max) > 0)
        mpq_set (max, v);
    }
  const gint n = cJSON_GetArraySize (items), left = 170, width = 360;
  g_string_append_printf (out, "<svg id=\"score-chart\" width=\"%d\" height=\"%d\" role=\"img\" "
                          "aria-label=\"score items\">\n", left + width + 90, 22 * n + 4);
  int row = 0;
  cJSON_ArrayForEach (it, items)
    {
      const char *name = qt_html_str (it, "metric") != NULL ? qt_html_str (it, "metric")
                                                            : qt_html_str (it, "measure");
      qt_html_exact (v, qt_html_str (it, "score"));
      const gint y = 22 * row + 4, bar = qt_html_px (v, max, width);
      g_string_append_printf (out, "<text x=\"0\" y=\"%d\">", y + 12);
      qt_html_text (out, name);
      g_string_append_printf (out, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
                              "height=\"14\" fill=\"%s\"/>", left, y, MAX (bar, 1),
                              cJSON_IsTrue (qt_html_at (it, "capped")) ? "#2da44e" : "#54aeff");
      if (qt_html_exact (cap, qt_html_str (it, "cap")))
        {
          const gint xc = left + qt_html_px (cap, max, width);
          g_string_append_printf (out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                                  "stroke=\"#1b1f24\" stroke-dasharray=\"2,2\"/>", xc, y - 1, xc, y + 15);
        }
      g_string_append_printf (out, "<text x=\"%d\" y=\"%d\">", left + width + 6, y + 12);
      qt_html_brief (out, qt_html_str (it, "score"));
      g_string_append (out, " × ");
      qt_html_brief (out, qt_html_str (it, "weight"));
      g_string_append (out, "</text>\n");
      row++;
    }
  g_string_append (out, "</svg>\n<p class=\"note\">Each bar is value / target, at most the cap "
                        "(dashed); green bars are capped.</p>\n<p>Total score ");
  qt_html_text (out, qt_html_str (st, "score/total/rounded"));
  const cJSON *rank = qt_html_at (st, "score/team_rank"), *size = qt_html_at (st, "score/team_size");
  g_string_append_printf (out, " · team rank %d of %d</p>\n", rank->valueint, size->valueint);
}

/* The multipliers of a credit in words, each with its factor. */
static void
multipliers (GString *out, const cJSON *st, const cJSON *credit)
{
  const cJSON *m;
  gboolean first = TRUE;
  cJSON_ArrayForEach (m, qt_html_at (credit, "multipliers"))
    {
      g_string_append (out, first ? "" : ", ");
      first = FALSE;
      for (const char *p = m->valuestring; *p != '\0'; p++)
        g_string_append_c (out, *p == '_' ? ' ' : *p);
      g_string_append (out, " ×");
      qt_html_text (out, qt_html_str (cJSON_GetObjectItemCaseSensitive (
                                        qt_html_at (st, "multiplier_rules"), m->valuestring),
                                      "factor"));
    }
}

static void
credits (GString *out, const cJSON *st)
{
  g_string_append (out, "<h2>Credits</h2>\n");
  const cJSON *list = qt_html_at (st, "credits");
  if (cJSON_GetArraySize (list) == 0)
    {
      g_string_append (out, "<p>No credited receipts this month.</p>\n");
      return;
    }
  g_string_append (out, "<table id=\"credits\"><tr><th>receipt</th><th>order</th><th>customer</th>"
                        "<th>product</th><th class=\"n\">share</th><th>multipliers</th>"
                        "<th class=\"n\">amount</th><th class=\"n\">weighted</th></tr>\n");
  const cJSON *c;
  g_auto (mpq_t) amount;
  mpq_init (amount);
  cJSON_ArrayForEach (c, list)
    {
      const gboolean refund = qt_html_exact (amount, qt_html_str (c, "amount")) && mpq_sgn (amount) < 0;
      /* ids are data: looked up as keys, never as paths */
      const char *customer = qt_html_str (cJSON_GetObjectItemCaseSensitive (
        qt_html_at (st, "customers"), qt_html_str (c, "customer_id")), "name");
      const char *product = qt_html_str (cJSON_GetObjectItemCaseSensitive (
        qt_html_at (st, "products"), qt_html_str (c, "product_id")), "name");
      g_string_append_printf (out, "<tr class=\"credit%s\"><td>", refund ? " refund" : "");
      qt_html_text (out, qt_html_str (c, "receipt_id"));
      g_string_append (out, refund ? " (refund)</td><td>" : "</td><td>");
      qt_html_text (out, qt_html_str (c, "order_id"));
      g_string_append (out, "</td><td>");
      qt_html_text (out, customer != NULL ? customer : qt_html_str (c, "customer_id"));
      g_string_append (out, "</td><td>");
      qt_html_text (out, product != NULL ? product : qt_html_str (c, "product_id"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_brief (out, qt_html_str (c, "share"));
      g_string_append (out, "</td><td>");
      multipliers (out, st, c);
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_money (out, qt_html_str (c, "amount"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_money (out, qt_html_str (c, "weighted_amount"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "<tr class=\"total\"><td colspan=\"6\">Total</td><td class=\"n\">");
  qt_html_money (out, qt_html_str (st, "credit/credit"));
  g_string_append (out, "</td><td class=\"n\">");
  qt_html_money (out, qt_html_str (st, "credit/weighted"));
  g_string_append (out, "</td></tr>\n</table>\n<p class=\"note\">Multipliers are plan ");
  qt_html_text (out, qt_html_str (st, "plan/id"));
  g_string_append_printf (out, " version %d's.</p>\n", qt_html_at (st, "plan/version")->valueint);
  const char *why = qt_html_str (st, "credit/explanation");
  if (why != NULL)
    {
      g_string_append (out, "<p>");
      qt_html_text (out, why);
      g_string_append (out, "</p>\n");
    }
}

/* The period's receipts on the rep's orders that were not credited. */
static void
excepted (GString *out, const cJSON *st)
{
  const cJSON *list = qt_html_at (st, "excepted_receipts");
  if (cJSON_GetArraySize (list) == 0)
    return;
  g_string_append (out, "<h2>Receipts not credited</h2>\n<ul id=\"excepted\">\n");
  const cJSON *x;
  cJSON_ArrayForEach (x, list)
    {
      g_string_append (out, "<li>");
      qt_html_text (out, qt_html_str (x, "receipt_id"));
      g_string_append (out, " of order ");
      qt_html_text (out, qt_html_str (x, "order_id"));
      g_string_append (out, " (");
      qt_html_text (out, qt_html_str (x, "received_on"));
      g_string_append (out, ", ");
      qt_html_money (out, qt_html_str (x, "amount"));
      g_string_append (out, ") was not credited: ");
      qt_html_text (out, qt_html_str (x, "message"));
      g_string_append (out, ".</li>\n");
    }
  g_string_append (out, "</ul>\n<p class=\"note\">Nobody is paid on these until the data is "
                        "corrected: ask finance.</p>\n");
}

/* The rep's total in earlier runs and now. */
static void
trend (GString *out, const QtHtmlSite *site, const cJSON *st)
{
  if (site->previous == NULL || site->previous->len == 0)
    return;
  const char *rep = qt_html_str (st, "rep/rep_id");
  g_string_append (out, "<h2>Trend</h2>\n<table id=\"trend\"><tr><th>period</th>"
                        "<th class=\"n\">total</th></tr>\n");
  for (guint i = 0; i < site->previous->len; i++)
    {
      const QtHtmlPrevious *p = g_ptr_array_index (site->previous, i);
      const char *total = g_hash_table_lookup (p->totals, rep);
      g_string_append (out, "<tr><td>");
      qt_html_text (out, p->period);
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, total != NULL ? total : "-");
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "<tr class=\"total\"><td>");
  qt_html_text (out, qt_html_str (st, "period"));
  g_string_append (out, "</td><td class=\"n\">");
  qt_html_text (out, payable (st, "total"));
  g_string_append (out, "</td></tr>\n</table>\n");
}

static void
appeals (GString *out, const QtHtmlSite *site, const cJSON *st)
{
  GPtrArray *lines = site->appeals != NULL ? g_hash_table_lookup (site->appeals,
                                                                  qt_html_str (st, "rep/rep_id"))
                                           : NULL;
  if (lines == NULL)
    return;
  g_string_append (out, "<h2>Your appeals</h2>\n<ul>\n");
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (out, "<li>");
      qt_html_text (out, g_ptr_array_index (lines, i));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
}

GString *
qt_html_rep_page (const QtHtmlSite *site, const cJSON *st)
{
  GString *out = g_string_sized_new (16384);
  g_autofree char *title = g_strdup_printf ("%s — %s", qt_html_str (st, "rep/name"), site->period);
  qt_html_begin (out, title, "../index.html");
  heading (out, st);
  answer (out, st);
  earn_more (out, st);
  ladder (out, st);
  sprint (out, st);
  score (out, st);
  credits (out, st);
  excepted (out, st);
  trend (out, site, st);
  appeals (out, site, st);
  qt_html_end (out);
  return out;
}
