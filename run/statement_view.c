/* run/statement_view.c — one rep's statement of a run (see
 * statement_view.h). */
#include "statement_view.h"

#include "../model/qt_error.h"
#include "../reports/statement.h"
#include "manifest.h"
#include "run_dir.h"

/* A statement larger than this is refused rather than read whole. */
#define STATEMENT_MAX ((gsize) 1 << 30)

char *
qt_run_statement_path (const char *rep, gboolean json)
{
  g_autofree char *stem = qt_statement_file_stem (rep);
  return g_strconcat ("statements/", stem, json ? ".json" : ".txt", NULL);
}

GBytes *
qt_run_statement (const char *run_dir, const char *rep, gboolean json, GError **error)
{
  g_autoptr (QtManifest) m = qt_manifest_read (run_dir, QT_RUN_COMMISSION, error);
  if (m == NULL)
    return NULL;
  g_autofree char *rel = qt_run_statement_path (rep, json);
  if (qt_manifest_listed_sha256 (m, rel) == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "%s: no statement of rep '%s' in this run",
                   run_dir, rep);
      return NULL;
    }
  return qt_manifest_read_listed (run_dir, m, rel, "statement", STATEMENT_MAX, error);
}
