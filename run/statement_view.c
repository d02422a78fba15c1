/* run/statement_view.c — one rep's statement of a run (see
 * statement_view.h). */
#include "statement_view.h"

#include <string.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
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
  const char *want = qt_manifest_output_sha256 (m, rel);
  if (want == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "%s: no statement of rep '%s' in this run",
                   run_dir, rep);
      return NULL;
    }
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, rel, STATEMENT_MAX, error);
  if (bytes == NULL)
    return NULL;
  g_autofree char *got = qt_sha256_hex_bytes (bytes);
  if (strcmp (got, want) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH,
                   "%s/%s: not the statement the run wrote (SHA-256 %s, manifest %s); run "
                   "quotient verify %s", run_dir, rel, got, want, run_dir);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}
