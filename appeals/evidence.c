/* appeals/evidence.c — the content-addressed evidence store (see evidence.h). */
#include "evidence.h"

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../run/run_dir.h"

void
qt_evidence_free (gpointer p)
{
  QtEvidence *e = p;
  g_free (e->sha256);
  g_free (e->name);
  if (e->bytes != NULL)
    g_bytes_unref (e->bytes);
  g_free (e);
}

GPtrArray *
qt_evidence_read (const char *const *paths, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (qt_evidence_free);
  for (; paths != NULL && *paths != NULL; paths++)
    {
      char *data;
      gsize len;
      g_autoptr (GError) local = NULL;
      if (!g_file_test (*paths, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (*paths, &data, &len, &local))
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot read the evidence file%s%s",
                       *paths, local ? ": " : " (not a regular file)", local ? local->message : "");
          return NULL;
        }
      QtEvidence *e = g_new0 (QtEvidence, 1);
      e->name = g_path_get_basename (*paths);
      e->bytes = g_bytes_new_take (data, len);
      e->sha256 = qt_sha256_hex_bytes (e->bytes);
      g_ptr_array_add (list, e);
    }
  return g_steal_pointer (&list);
}

gboolean
qt_evidence_store (const char *run_dir, const GPtrArray *evidence, GError **error)
{
  for (guint i = 0; i < evidence->len; i++)
    {
      const QtEvidence *e = g_ptr_array_index (evidence, i);
      g_autofree char *path = g_build_filename (run_dir, "evidence", e->sha256, NULL);
      /* stored once: the same bytes under the same name */
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
          && !qt_run_write_new_file (path, e->bytes, error))
        return FALSE;
    }
  return TRUE;
}

cJSON *
qt_evidence_json (const GPtrArray *evidence)
{
  cJSON *a = cJSON_CreateArray ();
  for (guint i = 0; i < evidence->len; i++)
    {
      const QtEvidence *e = g_ptr_array_index (evidence, i);
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "sha256", e->sha256);
      cJSON_AddStringToObject (o, "name", e->name);
      cJSON_AddItemToArray (a, o);
    }
  return a;
}
