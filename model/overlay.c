/* model/overlay.c — correction overlays (see overlay.h). */
#include "overlay.h"

#include <string.h>

static void
edit_free (gpointer p)
{
  QtOverlayEdit *e = p;
  g_free (e->appeal);
  for (guint c = 0; c < G_N_ELEMENTS (e->drop); c++)
    g_free (e->drop[c]);
  g_ptr_array_unref (e->rows);
  g_free (e);
}

QtOverlay *
qt_overlay_new (void)
{
  QtOverlay *o = g_new0 (QtOverlay, 1);
  o->edits = g_ptr_array_new_with_free_func (edit_free);
  return o;
}

void
qt_overlay_free (QtOverlay *overlay)
{
  if (overlay == NULL)
    return;
  g_ptr_array_unref (overlay->edits);
  g_free (overlay);
}

QtOverlayEdit *
qt_overlay_add_edit (QtOverlay *overlay, const char *appeal, QtTable table)
{
  QtOverlayEdit *e = g_new0 (QtOverlayEdit, 1);
  e->appeal = g_strdup (appeal);
  e->table = table;
  e->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (overlay->edits, e);
  return e;
}

void
qt_overlay_edit_add_row (QtOverlayEdit *edit, const char *const *texts, guint n)
{
  char **row = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    row[c] = g_strdup (texts[c]);
  g_ptr_array_add (edit->rows, row);
}

static gboolean
edit_drops (const QtOverlayEdit *e, const char *const *values, const gsize *lens, guint n)
{
  if (e->n_drop == 0 || e->n_drop > n)
    return FALSE;
  for (guint c = 0; c < e->n_drop; c++)
    if (strlen (e->drop[c]) != lens[c] || memcmp (e->drop[c], values[c], lens[c]) != 0)
      return FALSE;
  return TRUE;
}

gboolean
qt_overlay_drops (const QtOverlay *overlay, QtTable table, guint from,
                  const char *const *values, const gsize *lens, guint n)
{
  if (overlay == NULL)
    return FALSE;
  for (guint i = from; i < overlay->edits->len; i++)
    {
      const QtOverlayEdit *e = g_ptr_array_index (overlay->edits, i);
      if (e->table == table && edit_drops (e, values, lens, n))
        return TRUE;
    }
  return FALSE;
}

gboolean
qt_overlay_touches (const QtOverlay *overlay, QtTable table)
{
  for (guint i = 0; overlay != NULL && i < overlay->edits->len; i++)
    if (((const QtOverlayEdit *) g_ptr_array_index (overlay->edits, i))->table == table)
      return TRUE;
  return FALSE;
}
