/* cli/cmd_verify.c — `quotient verify RUN_DIR`: recompute a run from its own
 * snapshot and compare every file and every hash of its manifest. */
#include <cjson/cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../reports/output.h"
#include "../reports/run_dir.h"
#include "commands.h"
#include "pipeline.h"

typedef struct {
  char *period;
  GPtrArray *names;   /* file names listed by the manifest */
  GPtrArray *hashes;  /* their SHA-256 */
} Manifest;

static void
manifest_clear (Manifest *m)
{
  g_free (m->period);
  g_clear_pointer (&m->names, g_ptr_array_unref);
  g_clear_pointer (&m->hashes, g_ptr_array_unref);
}

static gboolean
read_file_list (const cJSON *list, Manifest *m)
{
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      const cJSON *file = cJSON_GetObjectItemCaseSensitive (item, "file");
      const cJSON *sha = cJSON_GetObjectItemCaseSensitive (item, "sha256");
      if (!cJSON_IsString (file) || !cJSON_IsString (sha))
        return FALSE;
      g_ptr_array_add (m->names, g_strdup (file->valuestring));
      g_ptr_array_add (m->hashes, g_strdup (sha->valuestring));
    }
  return TRUE;
}

/* Reads RUN/manifest.json; anything unexpected means "not a run" (exit 2). */
static gboolean
read_manifest (const char *run, Manifest *m, GError **error)
{
  g_autofree char *path = g_build_filename (run, "manifest.json", NULL);
  g_autoptr (GBytes) bytes = qt_read_bytes (path, NULL);
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  cJSON *root = data ? cJSON_ParseWithLength (data, len) : NULL;
  const cJSON *period = cJSON_GetObjectItemCaseSensitive (root, "period");
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive (root, "kind");
  m->names = g_ptr_array_new_with_free_func (g_free);
  m->hashes = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = cJSON_IsString (period) && cJSON_IsString (kind)
                && strcmp (kind->valuestring, "commission_run") == 0
                && read_file_list (cJSON_GetObjectItemCaseSensitive (root, "inputs"), m)
                && read_file_list (cJSON_GetObjectItemCaseSensitive (root, "outputs"), m);
  if (ok)
    m->period = g_strdup (period->valuestring);
  cJSON_Delete (root);
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "%s is not a quotient run directory (no readable manifest.json)", run);
  return ok;
}

/* Files whose bytes on disk no longer match the manifest's SHA-256. */
static void
check_hashes (const char *run, const Manifest *m, GPtrArray *bad)
{
  for (guint i = 0; i < m->names->len; i++)
    {
      g_autofree char *path = g_build_filename (run, g_ptr_array_index (m->names, i), NULL);
      g_autoptr (GBytes) bytes = qt_read_bytes (path, NULL);
      g_autofree char *sha = bytes ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes) : NULL;
      if (g_strcmp0 (sha, g_ptr_array_index (m->hashes, i)) != 0)
        g_ptr_array_add (bad, g_strdup_printf ("%s: %s", (char *) g_ptr_array_index (m->names, i),
                                               bytes ? "SHA-256 differs from the manifest" : "missing"));
    }
}

/* Files whose recomputed bytes differ from those on disk. */
static void
check_recomputed (const char *run, GPtrArray *files, GPtrArray *bad)
{
  for (guint i = 0; i < files->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (run, f->name, NULL);
      g_autoptr (GBytes) bytes = qt_read_bytes (path, NULL);
      if (bytes == NULL || !g_bytes_equal (bytes, f->bytes))
        g_ptr_array_add (bad, g_strdup_printf ("%s: %s", f->name,
                                               bytes ? "recomputed bytes differ" : "missing"));
    }
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
verify (const char *run, GError **error)
{
  Manifest m = { 0 };
  if (!read_manifest (run, &m, error))
    {
      manifest_clear (&m);
      return 2;
    }
  g_autoptr (GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  check_hashes (run, &m, bad);
  g_autofree char *data = g_build_filename (run, "inputs", "data", NULL);
  g_autofree char *plans = g_build_filename (run, "inputs", "plans", NULL);
  QtPeriod period = 0;
  QtPipeline p = { 0 };
  g_autoptr (GError) local = NULL;
  if (!qt_period_parse (m.period, strlen (m.period), &period))
    g_ptr_array_add (bad, g_strdup_printf ("manifest.json: bad period '%s'", m.period));
  else if (!qt_pipeline_run (data, plans, period, &p, &local))
    g_ptr_array_add (bad, g_strdup_printf ("the snapshot no longer computes: %s", local->message));
  else
    check_recomputed (run, p.files, bad);
  qt_pipeline_clear (&p);
  g_ptr_array_sort (bad, str_cmp);
  for (guint i = 0; i < bad->len; i++)
    printf ("MISMATCH %s\n", (char *) g_ptr_array_index (bad, i));
  if (bad->len == 0)
    printf ("quotient verify: %s: period %s, %u files match their manifest hashes and recompute "
            "byte for byte\n", run, m.period, m.names->len + 1);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s: %u file%s differ", run, bad->len,
                 bad->len == 1 ? "" : "s");
  manifest_clear (&m);
  return bad->len == 0 ? 0 : 1;
}

int
qt_cmd_verify (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — recompute a run and compare every hash");
  g_option_context_set_summary (ctx,
    "Recomputes RUN_DIR from its own input snapshot (inputs/) and compares every\n"
    "output and input file with manifest.json and with the recomputed bytes.\n"
    "Exit 0 when all match, 1 with the list of differing files, 2 when RUN_DIR\n"
    "is not a run directory.\n\n"
    "Example:\n"
    "  quotient verify runs/2026-06");
  g_autoptr (GError) error = NULL;
  int rc;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    rc = 2;
  else if (argc != 2)
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "give exactly one RUN_DIR (see quotient verify --help)");
      rc = 2;
    }
  else
    rc = verify (argv[1], &error);
  if (error != NULL)
    qt_print_error ("quotient verify", error);
  return rc;
}
