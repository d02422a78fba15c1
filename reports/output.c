/* reports/output.c — in-memory output files. */
#include "output.h"

#include <string.h>

static void
output_file_free (gpointer p)
{
  QtOutputFile *f = p;
  g_free (f->name);
  g_bytes_unref (f->bytes);
  g_free (f->sha256);
  g_free (f);
}

GPtrArray *
qt_output_list_new (void)
{
  return g_ptr_array_new_with_free_func (output_file_free);
}

void
qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->bytes = g_string_free_to_bytes (content);
  f->rows = rows;
  g_ptr_array_add (list, f);
}

void
qt_output_add_bytes (GPtrArray *list, const char *name, GBytes *bytes, gint rows,
                     const char *sha256)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->bytes = g_bytes_ref (bytes);
  f->rows = rows;
  f->sha256 = g_strdup (sha256);
  g_ptr_array_add (list, f);
}

static gint
name_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(QtOutputFile *const *) a)->name, (*(QtOutputFile *const *) b)->name);
}

void
qt_output_sort (GPtrArray *list)
{
  g_ptr_array_sort (list, name_cmp);
}
