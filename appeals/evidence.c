/* appeals/evidence.c — the content-addressed evidence store (see evidence.h). */
#include "evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../run/run_dir.h"

typedef struct {
  char *name;
  GBytes *bytes;
  char *sha256;
} Evidence;

static void
evidence_free (gpointer p)
{
  Evidence *e = p;
  g_free (e->name);
  g_bytes_unref (e->bytes);
  g_free (e->sha256);
  g_free (e);
}

GPtrArray *
qt_evidence_read (const char *const *paths, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (evidence_free);
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
      Evidence *e = g_new0 (Evidence, 1);
      e->name = g_path_get_basename (*paths);
      e->bytes = g_bytes_new_take (data, len);
      e->sha256 = qt_sha256_hex_bytes (e->bytes);
      g_ptr_array_add (list, e);
    }
  return g_steal_pointer (&list);
}

static gboolean
store_one (const char *dir, const Evidence *e, GError **error)
{
  g_autofree char *path = g_build_filename (dir, e->sha256, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE; /* stored once: same bytes, same name */
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autoptr (GError) local = NULL;
  gsize len;
  const char *data = g_bytes_get_data (e->bytes, &len);
  if (!g_file_set_contents_full (tmp, data ? data : "", (gssize) len,
                                 G_FILE_SET_CONTENTS_DURABLE, 0644, &local)
      || g_rename (tmp, path) != 0 || !qt_run_sync_dir (dir))
    {
      g_unlink (tmp);
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot store the evidence: %s", path,
                   local ? local->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
qt_evidence_store (const char *run_dir, const GPtrArray *evidence, GError **error)
{
  if (evidence->len == 0)
    return TRUE;
  g_autofree char *dir = g_build_filename (run_dir, "evidence", NULL);
  gboolean made = !g_file_test (dir, G_FILE_TEST_IS_DIR);
  if (made && (g_mkdir (dir, 0755) != 0 || !qt_run_sync_dir (run_dir)))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot create the evidence store: %s",
                   dir, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < evidence->len; i++)
    if (!store_one (dir, g_ptr_array_index (evidence, i), error))
      return FALSE;
  return TRUE;
}

cJSON *
qt_evidence_json (const GPtrArray *evidence)
{
  cJSON *a = cJSON_CreateArray ();
  for (guint i = 0; i < evidence->len; i++)
    {
      const Evidence *e = g_ptr_array_index (evidence, i);
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "sha256", e->sha256);
      cJSON_AddStringToObject (o, "name", e->name);
      cJSON_AddItemToArray (a, o);
    }
  return a;
}
