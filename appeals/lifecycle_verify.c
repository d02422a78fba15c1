/* appeals/lifecycle_verify.c — verify of a run with a lifecycle (see
 * lifecycle_verify.h). */
#include "lifecycle_verify.h"

#include <string.h>

#include "../model/qt_error.h"
#include "lifecycle.h"
#include "recalc.h"

gboolean
qt_lifecycle_verify (const char *run_dir, const char *head, QtVerifyOptions *options,
                     QtVerifyReport *report, GError **error)
{
  *report = (QtVerifyReport) { 0 };
  g_autoptr (QtJournal) journal = qt_journal_read (run_dir, FALSE, error);
  g_autoptr (QtLifecycle) lc = journal ? qt_lifecycle_replay (run_dir, journal, error) : NULL;
  if (lc != NULL && head != NULL && strcmp (qt_journal_head (journal), head) != 0)
    g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s/%s:%u: the journal does not end with the "
                 "head %s (its last line hashes to %s)", run_dir, QT_JOURNAL_FILE,
                 journal->entries->len, head, qt_journal_head (journal));
  if (lc == NULL || (error != NULL && *error != NULL))
    {
      report->mismatches = g_ptr_array_new ();
      return FALSE;
    }
  if (lc->revision == 0)
    return qt_verify_run (run_dir, options, report, error);
  g_autoptr (QtManifest) m = qt_manifest_read (run_dir, QT_RUN_COMMISSION, error);
  if (m == NULL)
    {
      report->mismatches = g_ptr_array_new ();
      return FALSE;
    }
  g_autoptr (QtOverlay) overlay = qt_lifecycle_overlay (lc, m->period);
  g_autoptr (GPtrArray) now = g_ptr_array_new ();
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  for (guint i = 0; i < lc->applied->len; i++)
    {
      const QtAppeal *a = g_ptr_array_index (lc->applied, i);
      g_ptr_array_add (all, a->id);
      if (a->applied_revision == lc->revision)
        g_ptr_array_add (now, a->id);
    }
  g_ptr_array_add (now, NULL);
  g_ptr_array_add (all, NULL);
  g_autofree char *rev_dir = g_strdup_printf ("revisions/%u", lc->revision - 1);
  g_autofree char *previous = g_build_filename (run_dir, rev_dir, NULL);
  const QtRevisionInfo rev = { lc->revision, (const char *const *) now->pdata,
                               (const char *const *) all->pdata, previous };
  options->overlay = overlay;
  options->revision = &rev;
  gboolean ok = qt_verify_run (run_dir, options, report, error);
  options->overlay = NULL;
  options->revision = NULL;
  return ok;
}
