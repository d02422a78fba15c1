/* model/dataset.c — lifetime of the in-memory data set. */
#include "dataset.h"

static void
input_file_free (gpointer p)
{
  QtInputFile *f = p;
  g_free (f->name);
  g_bytes_unref (f->bytes);
  g_free (f->sha256);
  g_free (f);
}

QtDataset *
qt_dataset_new (void)
{
  QtDataset *ds = g_new0 (QtDataset, 1);
  ds->files = g_ptr_array_new_with_free_func (input_file_free);
  ds->strings = g_string_chunk_new (1 << 16);
  return ds;
}

const char *
qt_dataset_intern (QtDataset *ds, const char *s)
{
  return g_string_chunk_insert_const (ds->strings, s);
}

void
qt_dataset_free (QtDataset *ds)
{
  if (ds == NULL)
    return;
  for (guint i = 0; i < ds->n_lines; i++)
    mpq_clears (ds->lines[i].quantity, ds->lines[i].unit_price, ds->lines[i].unit_cost, NULL);
  for (guint i = 0; i < ds->n_splits; i++)
    mpq_clear (ds->splits[i].share);
  for (guint i = 0; i < ds->n_receipts; i++)
    mpq_clear (ds->receipts[i].amount);
  for (guint i = 0; i < ds->n_activities; i++)
    mpq_clear (ds->activities[i].value);
  for (guint i = 0; i < ds->n_quotas; i++)
    mpq_clear (ds->quotas[i].quota);
  for (guint i = 0; i < ds->n_adjustments; i++)
    mpq_clear (ds->adjustments[i].amount);
  g_free (ds->reps);
  g_free (ds->customers);
  g_free (ds->products);
  g_free (ds->orders);
  g_free (ds->lines);
  g_free (ds->splits);
  g_free (ds->receipts);
  g_free (ds->activities);
  g_free (ds->quotas);
  g_free (ds->adjustments);
  g_ptr_array_unref (ds->files);
  g_string_chunk_free (ds->strings);
  g_free (ds);
}
