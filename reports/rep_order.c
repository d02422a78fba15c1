/* reports/rep_order.c — rep ordering for outputs. */
#include "rep_order.h"

#include <string.h>

static gint
rep_id_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtRunResult *res = data;
  return strcmp (res->ds->reps[res->reps[*(const guint *) a].rep].rep_id,
                 res->ds->reps[res->reps[*(const guint *) b].rep].rep_id);
}

guint *
qt_rep_order (const QtRunResult *res)
{
  guint *order = g_new (guint, res->n_reps + 1);
  for (guint i = 0; i < res->n_reps; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) res->n_reps, sizeof (guint), rep_id_cmp, (gpointer) res);
  return order;
}
