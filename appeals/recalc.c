/* appeals/recalc.c — applying upheld appeals as a new revision (see
 * recalc.h). */
#include "recalc.h"

#include <string.h>

#include "../run/revision.h"
#include "../run/run_dir.h"
#include "session.h"

void
qt_appeal_overlay_add (QtOverlay *overlay, const QtAppeal *a, const char *period)
{
  if (g_str_has_prefix (a->item, "activity:"))
    {
      QtOverlayEdit *e = qt_overlay_add_edit (overlay, a->id, QT_TABLE_ACTIVITIES);
      const char *row[] = { a->rep, period, a->item + 9, a->claims[0] };
      e->n_drop = 3;
      for (guint c = 0; c < 3; c++)
        e->drop[c] = g_strdup (row[c]);
      qt_overlay_edit_add_row (e, row, 4);
    }
  else if (g_str_has_prefix (a->item, "split:"))
    {
      QtOverlayEdit *e = qt_overlay_add_edit (overlay, a->id, QT_TABLE_SPLITS);
      e->n_drop = 1;
      e->drop[0] = g_strdup (a->item + 6);
      for (char **c = a->claims; *c != NULL; c++)
        {
          const char *eq = strrchr (*c, '=');
          g_autofree char *rep = g_strndup (*c, (gsize) (eq - *c));
          const char *row[] = { a->item + 6, rep, eq + 1 };
          qt_overlay_edit_add_row (e, row, 3);
        }
    }
  else
    {
      QtOverlayEdit *e = qt_overlay_add_edit (overlay, a->id, QT_TABLE_ADJUSTMENTS);
      const char *row[] = { a->id, a->rep, period, a->claims[0], a->reason };
      qt_overlay_edit_add_row (e, row, 5);
    }
}

QtOverlay *
qt_lifecycle_overlay (const QtLifecycle *lc, const char *period)
{
  QtOverlay *overlay = qt_overlay_new ();
  for (guint i = 0; i < lc->applied->len; i++)
    qt_appeal_overlay_add (overlay, g_ptr_array_index (lc->applied, i), period);
  return overlay;
}

/* The run's journal bytes with the lines added (a torn tail dropped). */
static GBytes *
new_journal (const QtSession *s, GError **error)
{
  g_autoptr (GBytes) old = NULL;
  if (s->journal->intact_bytes > 0)
    old = qt_run_read_file (s->run_dir, QT_JOURNAL_FILE, (gsize) 1 << 30, error);
  if (s->journal->intact_bytes > 0 && old == NULL)
    return NULL;
  GString *text = g_string_new_len (old ? g_bytes_get_data (old, NULL) : "",
                                    (gssize) s->journal->intact_bytes);
  g_string_append (text, s->lines);
  return g_string_free_to_bytes (text);
}

gboolean
qt_recalc (const QtLifecycleOptions *o, guint *applied, guint *revision, char **head,
           GError **error)
{
  *applied = 0;
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  if (s == NULL || !qt_session_require_published (s, "recalc", error))
    return FALSE;
  g_autoptr (QtOverlay) overlay = qt_lifecycle_overlay (s->lc, s->manifest->period);
  g_autoptr (GPtrArray) now = g_ptr_array_new ();
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  for (guint i = 0; i < s->lc->applied->len; i++)
    g_ptr_array_add (all, ((QtAppeal *) g_ptr_array_index (s->lc->applied, i))->id);
  *revision = s->lc->revision + 1;
  for (guint i = 0; i < s->lc->appeals->len; i++)
    {
      QtAppeal *a = g_ptr_array_index (s->lc->appeals, i);
      if (a->state != QT_APPEAL_UPHELD || a->applied_revision != 0)
        continue;
      qt_appeal_overlay_add (overlay, a, s->manifest->period);
      g_ptr_array_add (now, a->id);
      g_ptr_array_add (all, a->id);
      cJSON *data = cJSON_CreateObject ();
      cJSON_AddStringToObject (data, "appeal", a->id);
      cJSON_AddItemToObject (data, "revision", qt_json_integer_new (*revision));
      qt_session_add (s, "applied", data);
    }
  if (now->len == 0)
    return TRUE;
  g_ptr_array_add (now, NULL);
  g_ptr_array_add (all, NULL);
  g_autoptr (GBytes) journal = new_journal (s, error);
  if (journal == NULL)
    return FALSE;
  const QtRevisionOptions ro = {
    .run_dir = o->run_dir, .overlay = overlay, .journal = journal,
    .keep_until_exit = o->keep_until_exit,
    .rev = { *revision, (const char *const *) now->pdata, (const char *const *) all->pdata, NULL },
  };
  if (!qt_revision_execute (&ro, error))
    return FALSE;
  *applied = now->len - 1;
  *head = g_strdup (qt_journal_head (s->journal));
  return TRUE;
}
