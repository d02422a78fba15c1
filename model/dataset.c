/* model/dataset.c — lifetime of the in-memory data set. */
#include "dataset.h"

static void
input_file_free (gpointer p)
{
  QtInputFile *f = p;
  g_free (f->name);
  g_clear_pointer (&f->bytes, g_bytes_unref);
  g_free (f->sha256);
  g_free (f);
}

QtDataset *
qt_dataset_new (void)
{
  QtDataset *ds = g_new0 (QtDataset, 1);
  ds->files = g_ptr_array_new_with_free_func (input_file_free);
  ds->ids = qt_interner_new ();
  ds->nums = qt_num_store_new ();
  return ds;
}

void
qt_dataset_free (QtDataset *ds)
{
  if (ds == NULL)
    return;
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
  g_free (ds->partners);
  g_free (ds->shipments);
  g_free (ds->invoices);
  g_free (ds->acceptances);
  g_ptr_array_unref (ds->files);
  qt_interner_free (ds->ids);
  qt_num_store_free (ds->nums);
  g_free (ds);
}
