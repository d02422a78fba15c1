/* cli/pipeline.c — loaders → rules → calc → reports for one period. */
#include "pipeline.h"

#include <stdio.h>

#include "../model/sha256.h"
#include "../calc/engine.h"
#include "../loaders/dataset_loader.h"
#include "../model/qt_error.h"
#include "../reports/manifest.h"
#include "../reports/output.h"
#include "../reports/run_dir.h"
#include "../reports/statement.h"

/* The run's own copy of its inputs, so that verify needs nothing else. */
static gboolean
add_snapshot (const QtPipeline *p, GPtrArray *files, GError **error)
{
  for (guint i = 0; i < p->ds->files->len; i++)
    {
      const QtInputFile *f = g_ptr_array_index (p->ds->files, i);
      g_autofree char *name = g_strconcat ("inputs/data/", f->name, NULL);
      gsize len;
      const char *data = g_bytes_get_data (f->bytes, &len);
      qt_output_add (files, name, g_string_new_len (data, (gssize) len), (gint) f->rows);
    }
  guint n;
  const QtPlanVersion *const *versions = qt_plan_set_versions (p->plans, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GBytes) bytes = qt_read_bytes (versions[i]->path, error);
      if (bytes == NULL)
        return FALSE;
      g_autofree char *sha = qt_sha256_hex_bytes (bytes);
      if (g_strcmp0 (sha, versions[i]->sha256) != 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: plan file changed during the run",
                       versions[i]->path);
          return FALSE;
        }
      g_autofree char *name = g_strconcat ("inputs/plans/", versions[i]->file_name, NULL);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      qt_output_add (files, name, g_string_new_len (data, (gssize) len), -1);
    }
  return TRUE;
}

gboolean
qt_pipeline_run (const char *data_dir, const char *plans_dir, QtPeriod period, QtPipeline *out,
                 GError **error)
{
  QtPipeline p = { 0 };
  p.plans = qt_plan_set_load_dir (plans_dir, error);
  if (p.plans == NULL)
    return FALSE;
  p.ds = qt_dataset_load_dir (data_dir, error);
  if (p.ds == NULL)
    {
      qt_pipeline_clear (&p);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  p.res = qt_engine_run (p.ds, p.plans, period, &local);
  if (p.res == NULL)
    {
      /* The engine names the bare file; give it the path the user typed. */
      g_prefix_error (&local, "%s%s", data_dir, g_str_has_suffix (data_dir, "/") ? "" : "/");
      g_propagate_error (error, g_steal_pointer (&local));
      qt_pipeline_clear (&p);
      return FALSE;
    }
  p.files = qt_output_list_new ();
  if (!add_snapshot (&p, p.files, error))
    {
      qt_pipeline_clear (&p);
      return FALSE;
    }
  qt_report_tables (p.res, p.files);
  qt_report_statements (p.res, p.files);
  qt_output_sort (p.files);
  qt_report_manifest (p.res, p.files);
  *out = p;
  return TRUE;
}

void
qt_pipeline_clear (QtPipeline *p)
{
  g_clear_pointer (&p->files, g_ptr_array_unref);
  g_clear_pointer (&p->res, qt_run_result_free);
  g_clear_pointer (&p->ds, qt_dataset_free);
  g_clear_pointer (&p->plans, qt_plan_set_free);
}

int
qt_exit_code_for (const GError *error)
{
  if (error != NULL && error->domain == QT_ERROR
      && (error->code == QT_ERROR_STRICT || error->code == QT_ERROR_MISMATCH))
    return 1;
  return 2;
}

void
qt_print_error (const char *command, const GError *error)
{
  if (error->domain == QT_ERROR
      && (error->code == QT_ERROR_MALFORMED || error->code == QT_ERROR_IO))
    fprintf (stderr, "%s\n", error->message);
  else
    fprintf (stderr, "%s: %s\n", command, error->message);
}
