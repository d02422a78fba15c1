/* reports/html_summary.c — the finance summary and the managers' pages of
 * the HTML site (see html.h). */
#include "html_internal.h"

#include <string.h>

static gint
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static const char *const components[] = { "commission", "override", "sprint_bonus", "score_bonus",
                                          "adjustments", "total" };

/* Adds the 2-decimal cell `text` to `sum`. */
static void
add_money (mpq_ptr sum, const char *text)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  if (qt_html_exact (v, text))
    mpq_add (sum, sum, v);
}

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

/* Totals of payout.json's columns: for everyone, then by a key of the
 * statements (team or plan). */
static void
totals_by (GString *out, const QtHtmlSite *site, const char *title, const char *key)
{
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *sums = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) by_rep = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < site->statements->len; i++)
    {
      const cJSON *st = g_ptr_array_index (site->statements, i);
      g_hash_table_insert (by_rep, (gpointer) qt_html_str (st, "rep/rep_id"), (gpointer) st);
    }
  const cJSON *row;
  cJSON_ArrayForEach (row, qt_html_at (site->payout, "rows"))
    {
      const cJSON *st = g_hash_table_lookup (by_rep, qt_html_str (row, "rep_id"));
      g_autofree char *group = key == NULL ? g_strdup ("All reps")
                               : g_strcmp0 (key, "plan") == 0
                                 ? g_strdup_printf ("%s v%d", qt_html_str (st, "plan/id"),
                                                    qt_html_at (st, "plan/version")->valueint)
                                 : g_strdup (qt_html_str (st, key));
      mpq_t *sum = g_hash_table_lookup (groups, group);
      if (sum == NULL)
        {
          sum = g_new (mpq_t, G_N_ELEMENTS (components));
          for (guint k = 0; k < G_N_ELEMENTS (components); k++)
            mpq_init (sum[k]);
          g_ptr_array_add (sums, sum);
          g_ptr_array_add (order, g_strdup (group));
          g_hash_table_insert (groups, g_strdup (group), sum);
        }
      for (guint k = 0; k < G_N_ELEMENTS (components); k++)
        add_money (sum[k], qt_html_str (row, components[k]));
    }
  g_ptr_array_sort (order, str_ptr_cmp);
  g_string_append_printf (out, "<h2>%s</h2>\n<table><tr><th></th>", title);
  for (guint k = 0; k < G_N_ELEMENTS (components); k++)
    g_string_append_printf (out, "<th class=\"n\">%s</th>", components[k]);
  g_string_append (out, "</tr>\n");
  for (guint g = 0; g < order->len; g++)
    {
      mpq_t *sum = g_hash_table_lookup (groups, g_ptr_array_index (order, g));
      g_string_append (out, "<tr><td>");
      qt_html_text (out, g_ptr_array_index (order, g));
      g_string_append (out, "</td>");
      for (guint k = 0; k < G_N_ELEMENTS (components); k++)
        money_cell (out, sum[k]);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
  for (guint g = 0; g < sums->len; g++)
    for (guint k = 0; k < G_N_ELEMENTS (components); k++)
      mpq_clear (((mpq_t *) g_ptr_array_index (sums, g))[k]);
  g_ptr_array_unref (sums);
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
      g_auto (mpq_t) held;
      mpq_init (held);
      guint n = 0, receipts = 0;
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
          if (row[4] != NULL && row[4][0] != '\0')
            {
              receipts++;
              add_money (held, row[5]);
              g_string_append (items, " — receipt ");
              qt_html_text (items, row[4]);
              g_string_append (items, ", ");
              qt_html_money (items, row[5]);
            }
          g_string_append (items, " — ");
          qt_html_text (items, row[3]);
          g_string_append (items, "</li>\n");
        }
      g_string_append (out, "<h3>");
      qt_html_text (out, code);
      g_string_append_printf (out, " (%u row%s", n, n == 1 ? "" : "s");
      if (receipts > 0)
        {
          g_string_append_printf (out, "; %u receipt%s holding back ", receipts,
                                  receipts == 1 ? "" : "s");
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
  typedef struct { const char *rep, *name, *was, *now; mpq_t delta; } Change;
  g_autoptr (GArray) list = g_array_new (FALSE, TRUE, sizeof (Change));
  const cJSON *row;
  cJSON_ArrayForEach (row, qt_html_at (site->payout, "rows"))
    {
      Change c;
      c.rep = qt_html_str (row, "rep_id");
      c.name = qt_html_str (row, "name");
      c.now = qt_html_str (row, "total");
      c.was = g_hash_table_lookup (prev->totals, c.rep);
      mpq_init (c.delta);
      add_money (c.delta, c.now);
      g_auto (mpq_t) was;
      mpq_init (was);
      add_money (was, c.was != NULL ? c.was : "0");
      mpq_sub (c.delta, c.delta, was);
      g_array_append_val (list, c);
    }
  /* largest |change| first, then rep_id: a fixed order */
  for (guint i = 1; i < list->len; i++)
    for (guint j = i; j > 0; j--)
      {
        Change *a = &g_array_index (list, Change, j - 1), *b = &g_array_index (list, Change, j);
        g_auto (mpq_t) x, y;
        mpq_inits (x, y, NULL);
        mpq_abs (x, a->delta);
        mpq_abs (y, b->delta);
        int cmp = mpq_cmp (y, x);
        if (cmp < 0 || (cmp == 0 && strcmp (a->rep, b->rep) <= 0))
          break;
        Change t = *a;
        *a = *b;
        *b = t;
      }
  g_string_append (out, "<h2>Largest changes against ");
  qt_html_text (out, prev->period);
  g_string_append (out, "</h2>\n<table><tr><th>rep</th><th class=\"n\">before</th>"
                        "<th class=\"n\">now</th><th class=\"n\">change</th></tr>\n");
  for (guint i = 0; i < list->len && i < 10; i++)
    {
      Change *c = &g_array_index (list, Change, i);
      g_string_append (out, "<tr><td>");
      rep_link (out, c->rep, c->name);
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, c->was != NULL ? c->was : "-");
      g_string_append (out, "</td><td class=\"n\">");
      qt_html_text (out, c->now);
      g_string_append (out, "</td>");
      money_cell (out, c->delta);
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table>\n");
  for (guint i = 0; i < list->len; i++)
    mpq_clear (g_array_index (list, Change, i).delta);
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
  g_string_append (out, "</table>\n<h2>Override</h2>\n<table id=\"override\"><tr><th>direct "
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
