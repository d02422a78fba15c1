/* reports/html_summary.c — the finance summary and the managers' pages of
 * the HTML site (see html.h). */
#include "html_internal.h"

#include "../calc/payout_summary.h"

#include <string.h>

static gint
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static const char *const components[] = { "commission", "override", "sprint_bonus", "score_bonus",
                                          "adjustments", "total" };

static void
money_cell (GString *out, mpq_srcptr v)
{
  g_string_append (out, "<td class=\"n\">");
  qt_append_fixed (out, v, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append (out, "</td>");
}

/* A link to a rep's page, from the site's root. */
static void
rep_link (GString *out, const char *rep_id, const char *name)
{
  g_autofree char *file = qt_html_rep_file (rep_id);
  g_string_append (out, "<a href=\"");
  qt_html_text (out, file);
  g_string_append (out, "\">");
  qt_html_text (out, name);
  g_string_append (out, " (");
  qt_html_text (out, rep_id);
  g_string_append (out, ")</a>");
}

/* Totals of payout.json's columns (calc/payout_summary.h): for everyone,
 * then by a key of the statements (team or plan). */
static void
totals_by (GString *out, const QtHtmlSite *site, const char *title, const char *key)
{
  g_autoptr (GHashTable) by_rep = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < site->statements->len; i++)
    {
      const cJSON *st = g_ptr_array_index (site->statements, i);
      g_hash_table_insert (by_rep, (gpointer) qt_html_str (st, "rep/rep_id"), (gpointer) st);
    }
  const cJSON *rows = qt_html_at (site->payout, "rows");
  const guint n = (guint) cJSON_GetArraySize (rows);
  g_autofree QtPayoutCells *cells = g_new0 (QtPayoutCells, n + 1);
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  const cJSON *row;
  guint i = 0;
  cJSON_ArrayForEach (row, rows)
    {
      const cJSON *st = g_hash_table_lookup (by_rep, qt_html_str (row, "rep_id"));
      char *group = key == NULL ? g_strdup ("All reps")
                    : g_strcmp0 (key, "plan") == 0
                      ? g_strdup_printf ("%s v%d", qt_html_str (st, "plan/id"),
                                         qt_html_at (st, "plan/version")->valueint)
                      : g_strdup (qt_html_str (st, key));
      g_ptr_array_add (keys, group);
      cells[i].key = group;
      for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
        cells[i].parts[k] = qt_html_str (row, components[k]);
      i++;
    }
  g_autoptr (GPtrArray) groups = qt_payout_groups (cells, n);
  g_string_append_printf (out, "<h2>%s</h2>\n<table><tr><th></th>", title);
  for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
    g_string_append_printf (out, "<th class=\"n\">%s</th>", components[k]);
  g_string_append (out, "</tr>\n");
  for (guint g = 0; g < groups->len; g++)
    {
      const QtPayoutGroup *sum = g_ptr_array_index (groups, g);
      g_string_append (out, "<tr><td>");
      qt_html_text (out, sum->key);
      g_string_append (out, "</td>");
      for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
        money_cell (out, sum->parts[k]);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
}

/* Exception rows grouped by code, each with its rows. */
static void
exceptions (GString *out, const QtHtmlSite *site)
{
  g_string_append_printf (out, "<h2>Exceptions (%u)</h2>\n", site->exceptions->len);
  if (site->exceptions->len == 0)
    {
      g_string_append (out, "<p>None.</p>\n");
      return;
    }
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < site->exceptions->len; i++)
    {
      const char *code = ((char **) g_ptr_array_index (site->exceptions, i))[2];
      gboolean seen = FALSE;
      for (guint c = 0; c < codes->len && !seen; c++)
        seen = strcmp (g_ptr_array_index (codes, c), code) == 0;
      if (!seen)
        g_ptr_array_add (codes, g_strdup (code));
    }
  g_ptr_array_sort (codes, str_ptr_cmp);
  for (guint c = 0; c < codes->len; c++)
    {
      const char *code = g_ptr_array_index (codes, c);
      g_autoptr (GString) items = g_string_new (NULL);
      g_autoptr (GPtrArray) amounts = g_ptr_array_new ();
      guint n = 0;
      for (guint i = 0; i < site->exceptions->len; i++)
        {
          char **row = g_ptr_array_index (site->exceptions, i);
          if (strcmp (row[2], code) != 0)
            continue;
          n++;
          g_string_append (items, "<li>");
          qt_html_text (items, row[0]);
          g_string_append_c (items, ':');
          qt_html_text (items, row[1]);
          /* The message names the receipt, its amount and its reps. */
          if (row[4] != NULL && row[4][0] != '\0')
            g_ptr_array_add (amounts, row[5]);
          g_string_append (items, " — ");
          qt_html_text (items, row[3]);
          g_string_append (items, "</li>\n");
        }
      g_string_append (out, "<h3>");
      qt_html_text (out, code);
      g_string_append_printf (out, " (%u row%s", n, n == 1 ? "" : "s");
      if (amounts->len > 0)
        {
          g_auto (mpq_t) held;
          mpq_init (held);
          qt_payout_sum (held, (const char *const *) amounts->pdata, amounts->len);
          g_string_append_printf (out, "; %u receipt%s holding back ", amounts->len,
                                  amounts->len == 1 ? "" : "s");
          qt_append_fixed (out, held, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
        }
      g_string_append_printf (out, ")</h3>\n<ul>\n%s</ul>\n", items->str);
    }
}

/* The largest changes of a rep's total against the latest earlier run. */
static void
changes (GString *out, const QtHtmlSite *site)
{
  if (site->previous == NULL || site->previous->len == 0)
    return;
  const QtHtmlPrevious *prev = g_ptr_array_index (site->previous, site->previous->len - 1);
  const cJSON *rows = qt_html_at (site->payout, "rows");
  const guint n = (guint) cJSON_GetArraySize (rows);
  g_autofree const char **ids = g_new0 (const char *, n + 1);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree const char **now = g_new0 (const char *, n + 1);
  g_autofree const char **was = g_new0 (const char *, n + 1);
  const cJSON *row;
  guint i = 0;
  cJSON_ArrayForEach (row, rows)
    {
      ids[i] = qt_html_str (row, "rep_id");
      names[i] = qt_html_str (row, "name");
      now[i] = qt_html_str (row, "total");
      was[i] = g_hash_table_lookup (prev->totals, ids[i]);
      i++;
    }
  g_autoptr (GArray) list = qt_payout_changes (ids, now, was, n);
  g_string_append (out, "<h2>Largest changes against ");
  qt_html_text (out, prev->period);
  g_string_append (out, "</h2>\n<table><tr><th>rep</th><th class=\"n\">before</th>"
                        "<th class=\"n\">now</th><th class=\"n\">change</th></tr>\n");
  for (guint k = 0; k < list->len && k < 10; k++)
    {
      const QtPayoutChange *c = &g_array_index (list, QtPayoutChange, k);
      g_string_append (out, "<tr><td>");
      rep_link (out, ids[c->row], names[c->row]);
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, was[c->row] != NULL ? was[c->row] : "-");
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, now[c->row]);
      g_string_append (out, "</td>");
      money_cell (out, c->delta);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
}

GString *
qt_html_summary (const QtHtmlSite *site)
{
  GString *out = g_string_sized_new (65536);
  g_autofree char *title = g_strdup_printf ("Commission run %s — finance summary", site->period);
  qt_html_begin (out, title, NULL);
  g_string_append (out, "<h1>");
  qt_html_text (out, title);
  g_string_append (out, "</h1>\n");
  totals_by (out, site, "Payable by component", NULL);
  g_string_append (out, "<p class=\"note\">Control totals of the manifest: components ");
  qt_html_text (out, site->components_sum);
  g_string_append (out, ", totals ");
  qt_html_text (out, site->totals_sum);
  g_string_append (out, ".</p>\n");
  totals_by (out, site, "By team", "rep/team_id");
  totals_by (out, site, "By plan", "plan");
  exceptions (out, site);
  changes (out, site);
  g_string_append (out, "<h2>Reps</h2>\n<ul>\n");
  for (guint i = 0; i < site->statements->len; i++)
    {
      const cJSON *st = g_ptr_array_index (site->statements, i);
      g_string_append (out, "<li>");
      rep_link (out, qt_html_str (st, "rep/rep_id"), qt_html_str (st, "rep/name"));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
  qt_html_end (out);
  return out;
}

static gint
by_team_rank (gconstpointer a, gconstpointer b)
{
  const cJSON *x = *(const cJSON *const *) a, *y = *(const cJSON *const *) b;
  const int rx = qt_html_at (x, "score/team_rank")->valueint;
  const int ry = qt_html_at (y, "score/team_rank")->valueint;
  if (rx != ry)
    return rx < ry ? -1 : 1;
  return strcmp (qt_html_str (x, "rep/rep_id"), qt_html_str (y, "rep/rep_id"));
}

/* The row of the team's payable total. */
static void
team_total (GString *out, const GPtrArray *team)
{
  const guint n = team != NULL ? team->len : 0;
  g_autofree const char **cells = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    cells[i] = qt_html_str (g_ptr_array_index (team, i), "payable/total/rounded");
  g_auto (mpq_t) sum;
  mpq_init (sum);
  qt_payout_sum (sum, cells, n);
  g_string_append (out, "<tr class=\"total\"><td>Team</td><td class=\"n\">");
  qt_append_fixed (out, sum, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append (out, "</td><td></td><td></td><td></td><td></td></tr>\n");
}

/* The team's total scores as bars, best rank first. */
static void
rank_chart (GString *out, const GPtrArray *team)
{
  g_autoptr (GPtrArray) ranked = g_ptr_array_copy ((GPtrArray *) team, NULL, NULL);
  g_ptr_array_sort (ranked, by_team_rank);
  g_auto (mpq_t) v, max;
  mpq_inits (v, max, NULL);
  for (guint i = 0; i < ranked->len; i++)
    if (qt_html_exact (v, qt_html_str (g_ptr_array_index (ranked, i), "score/total/exact"))
        && mpq_cmp (v, max) > 0)
      mpq_set (max, v);
  const gint left = 200, width = 320;
  g_string_append_printf (out, "<h2>Scores by team rank</h2>\n<svg id=\"rank-chart\" width=\"%d\" "
                          "height=\"%u\" role=\"img\" aria-label=\"scores by team rank\">\n",
                          left + width + 70, 22 * ranked->len + 4);
  for (guint i = 0; i < ranked->len; i++)
    {
      const cJSON *st = g_ptr_array_index (ranked, i);
      const guint y = 22 * i + 4;
      if (!qt_html_exact (v, qt_html_str (st, "score/total/exact")))
        mpq_set_ui (v, 0, 1);
      g_string_append_printf (out, "<text x=\"0\" y=\"%u\">%d. ", y + 12,
                              qt_html_at (st, "score/team_rank")->valueint);
      qt_html_text (out, qt_html_str (st, "rep/name"));
      g_string_append_printf (out, "</text><rect class=\"bar\" x=\"%d\" y=\"%u\" width=\"%d\" "
                              "height=\"14\" fill=\"#54aeff\"/><text x=\"%d\" y=\"%u\">",
                              left, y, MAX (qt_html_px (v, max, width), 1), left + width + 6, y + 12);
      qt_html_text (out, qt_html_str (st, "score/total/rounded"));
      g_string_append (out, "</text>\n");
    }
  g_string_append (out, "</svg>\n");
}

GString *
qt_html_manager_page (const QtHtmlSite *site, const cJSON *mst)
{
  const char *id = qt_html_str (mst, "rep/rep_id");
  GString *out = g_string_sized_new (16384);
  g_autofree char *title = g_strdup_printf ("Team of %s — %s", qt_html_str (mst, "rep/name"),
                                            site->period);
  qt_html_begin (out, title, "../index.html");
  g_string_append (out, "<h1>");
  qt_html_text (out, title);
  g_string_append (out, "</h1>\n<table id=\"team\"><tr><th>rep</th><th class=\"n\">total</th>"
                        "<th class=\"n\">attainment</th><th class=\"n\">score</th>"
                        "<th class=\"n\">team rank</th><th>near</th></tr>\n");
  GPtrArray *team = g_hash_table_lookup (site->teams, id);
  for (guint i = 0; team != NULL && i < team->len; i++)
    {
      const cJSON *st = g_ptr_array_index (team, i);
      g_string_append (out, "<tr><td>");
      g_string_append (out, "<a href=\"../");
      g_autofree char *file = qt_html_rep_file (qt_html_str (st, "rep/rep_id"));
      qt_html_text (out, file);
      g_string_append (out, "\">");
      qt_html_text (out, qt_html_str (st, "rep/name"));
      g_string_append (out, "</a></td><td class=\"n\">");
      qt_html_text (out, qt_html_str (st, "payable/total/rounded"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, qt_html_str (st, "credit/attainment_percent/rounded"));
      g_string_append (out, "%</td><td class=\"n\">");
      qt_html_text (out, qt_html_str (st, "score/total/rounded"));
      g_string_append_printf (out, "</td><td class=\"n\">%d</td><td>",
                              qt_html_at (st, "score/team_rank")->valueint);
      const cJSON *next = qt_html_at (st, "commission/next_tier");
      if (cJSON_IsObject (next))
        {
          qt_html_money (out, qt_html_str (next, "weighted_needed"));
          g_string_append_printf (out, " to tier %d", qt_html_at (next, "tier")->valueint);
        }
      const cJSON *sprint = qt_html_at (st, "earn_more/sprint_missed");
      if (!cJSON_IsObject (sprint))
        sprint = qt_html_at (st, "earn_more/sprint_ahead");
      if (cJSON_IsObject (sprint))
        {
          g_string_append (out, cJSON_IsObject (next) ? "; " : "");
          qt_html_money (out, qt_html_str (sprint, "weighted_needed"));
          g_string_append (out, " to the sprint bonus");
        }
      g_string_append (out, "</td></tr>\n");
    }
  team_total (out, team);
  g_string_append (out, "</table>\n");
  if (team != NULL && team->len > 0)
    rank_chart (out, team);
  g_string_append (out, "<h2>Override</h2>\n<table id=\"override\"><tr><th>direct "
                        "report</th><th class=\"n\">commission</th></tr>\n");
  const cJSON *b;
  cJSON_ArrayForEach (b, qt_html_at (mst, "override/base"))
    {
      g_string_append (out, "<tr><td>");
      qt_html_text (out, qt_html_str (b, "name"));
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_money (out, qt_html_str (b, "commission"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "<tr class=\"total\"><td>Base</td><td class=\"n\">");
  qt_html_money (out, qt_html_str (mst, "override/base_total"));
  g_string_append (out, "</td></tr>\n<tr><td>Override at ");
  qt_html_text (out, qt_html_str (mst, "override/rate") ? qt_html_str (mst, "override/rate") : "no rate");
  g_string_append (out, "</td><td class=\"n\">");
  qt_html_text (out, qt_html_str (mst, "override/rounded"));
  g_string_append (out, "</td></tr>\n</table>\n");
  qt_html_end (out);
  return out;
}
