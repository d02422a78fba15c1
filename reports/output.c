/* reports/output.c — output files and the sink interface. */
#include "output.h"

#include <string.h>

#include "../model/sha256.h"

static void
output_file_free (gpointer p)
{
  QtOutputFile *f = p;
  g_free (f->name);
  if (f->bytes != NULL)
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
  f->size = content->len;
  f->bytes = g_string_free_to_bytes (content);
  f->rows = rows;
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

void
qt_output_sink_init (QtOutputSink *sink, QtOutputPutFunc put)
{
  sink->put = put;
  sink->files = qt_output_list_new ();
  sink->put_threadsafe = FALSE;
  g_mutex_init (&sink->files_lock);
}

void
qt_output_sink_clear (QtOutputSink *sink)
{
  if (sink->files == NULL)
    return;
  g_clear_pointer (&sink->files, g_ptr_array_unref);
  g_mutex_clear (&sink->files_lock);
}

static gboolean
sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows, const char *sha256,
          gboolean held, GError **error)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->rows = rows;
  f->size = g_bytes_get_size (bytes);
  f->sha256 = sha256 != NULL ? g_strdup (sha256) : qt_sha256_hex_bytes (bytes);
  f->held = held;
  g_mutex_lock (&sink->files_lock);
  g_ptr_array_add (sink->files, f);
  g_mutex_unlock (&sink->files_lock);
  return sink->put (sink, f, bytes, error);
}

gboolean
qt_output_sink_put (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                    const char *sha256, GError **error)
{
  return sink_put (sink, name, bytes, rows, sha256, FALSE, error);
}

gboolean
qt_output_sink_put_held (QtOutputSink *sink, const char *name, GBytes *bytes, gint rows,
                         const char *sha256, GError **error)
{
  return sink_put (sink, name, bytes, rows, sha256, TRUE, error);
}

gboolean
qt_output_sink_put_list (QtOutputSink *sink, GPtrArray *list, GError **error)
{
  for (guint i = 0; i < list->len; i++)
    {
      QtOutputFile *f = g_ptr_array_index (list, i);
      if (!qt_output_sink_put_held (sink, f->name, f->bytes, f->rows, f->sha256, error))
        return FALSE;
    }
  g_ptr_array_set_size (list, 0);
  return TRUE;
}
