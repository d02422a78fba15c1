/* model/num.c — storage of the data set's long exact numbers. */
#include "num.h"

QtNumStore *
qt_num_store_new (void)
{
  QtNumStore *store = g_new0 (QtNumStore, 1);
  store->values = g_array_new (FALSE, FALSE, sizeof (__mpq_struct));
  return store;
}

void
qt_num_store_free (QtNumStore *store)
{
  if (store == NULL)
    return;
  for (guint i = 0; i < store->values->len; i++)
    mpq_clear (&g_array_index (store->values, __mpq_struct, i));
  g_array_unref (store->values);
  g_free (store);
}

QtNum
qt_num_store_take (QtNumStore *store, mpq_t v)
{
  __mpq_struct slot;
  mpq_init (&slot);
  mpq_swap (&slot, v);
  g_array_append_val (store->values, slot);
  return (QtNum) { .units = store->values->len, .scale = 0, .big = 1 };
}

mpq_srcptr
qt_num_store_get (const QtNumStore *store, QtNum n)
{
  g_return_val_if_fail (n.big && n.units > 0 && n.units <= store->values->len, NULL);
  return &g_array_index (store->values, __mpq_struct, n.units - 1);
}
