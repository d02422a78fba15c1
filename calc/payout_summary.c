/* calc/payout_summary.c — figures of a finance summary (see
 * payout_summary.h). */
#include "payout_summary.h"

#include <string.h>

#include "../model/money.h"

/* Adds the decimal `text` to `sum` (not a decimal: nothing). */
static void
add_cell (mpq_ptr sum, const char *text)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  if (text != NULL && qt_decimal_parse (v, text, strlen (text), NULL))
    mpq_add (sum, sum, v);
}

void
qt_payout_sum (mpq_ptr out, const char *const *cells, guint n)
{
  mpq_set_ui (out, 0, 1);
  for (guint i = 0; i < n; i++)
    add_cell (out, cells[i]);
}

static void
group_free (gpointer p)
{
  QtPayoutGroup *g = p;
  for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
    mpq_clear (g->parts[k]);
  g_free (g->key);
  g_free (g);
}

static gint
group_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(QtPayoutGroup *const *) a)->key, (*(QtPayoutGroup *const *) b)->key);
}

GPtrArray *
qt_payout_groups (const QtPayoutCells *rows, guint n)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func (group_free);
  g_autoptr (GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      const char *key = rows[i].key != NULL ? rows[i].key : "";
      QtPayoutGroup *g = g_hash_table_lookup (by_key, key);
      if (g == NULL)
        {
          g = g_new0 (QtPayoutGroup, 1);
          g->key = g_strdup (key);
          for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
            mpq_init (g->parts[k]);
          g_ptr_array_add (groups, g);
          g_hash_table_insert (by_key, g->key, g);
        }
      for (guint k = 0; k < QT_PAYOUT_PARTS; k++)
        add_cell (g->parts[k], rows[i].parts[k]);
    }
  g_ptr_array_sort (groups, group_cmp);
  return groups;
}

static void
change_clear (gpointer p)
{
  mpq_clear (((QtPayoutChange *) p)->delta);
}

typedef struct {
  const char *const *ids;
  mpq_t *abs;     /* |delta| by row */
} ChangeOrder;

static gint
change_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const ChangeOrder *o = data;
  const QtPayoutChange *x = a, *y = b;
  int c = mpq_cmp (o->abs[y->row], o->abs[x->row]);
  return c != 0 ? c : strcmp (o->ids[x->row], o->ids[y->row]);
}

GArray *
qt_payout_changes (const char *const *ids, const char *const *now, const char *const *was,
                   guint n)
{
  GArray *list = g_array_sized_new (FALSE, TRUE, sizeof (QtPayoutChange), n);
  g_array_set_clear_func (list, change_clear);
  mpq_t *abs = g_new (mpq_t, n + 1);
  g_auto (mpq_t) before;
  mpq_init (before);
  for (guint i = 0; i < n; i++)
    {
      QtPayoutChange c = { .row = i };
      mpq_init (c.delta);
      add_cell (c.delta, now[i]);
      mpq_set_ui (before, 0, 1);
      add_cell (before, was[i]);
      mpq_sub (c.delta, c.delta, before);
      mpq_init (abs[i]);
      mpq_abs (abs[i], c.delta);
      g_array_append_val (list, c);
    }
  ChangeOrder o = { ids, abs };
  g_array_sort_with_data (list, change_cmp, &o);
  for (guint i = 0; i < n; i++)
    mpq_clear (abs[i]);
  g_free (abs);
  return list;
}
