/* appeals/lifecycle_verify.c — verify of a run with a lifecycle (see
 * lifecycle_verify.h). */
#include "lifecycle_verify.h"

#include <string.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../run/run_dir.h"
#include "lifecycle.h"
#include "recalc.h"

/* The largest file of a run read whole here (a statement, a table). */
#define FILE_MAX ((gsize) 1 << 30)

/* Records `file` (once: a file the recomputation found already keeps its
 * first reason). */
static void
add_mismatch (QtVerifyReport *report, const char *file, char *reason)
{
  for (guint i = 0; i < report->mismatches->len; i++)
    if (strcmp (((QtVerifyMismatch *) g_ptr_array_index (report->mismatches, i))->file, file) == 0)
      {
        g_free (reason);
        return;
      }
  QtVerifyMismatch *m = g_new (QtVerifyMismatch, 1);
  m->file = g_strdup (file);
  m->reason = reason;
  g_ptr_array_add (report->mismatches, m);
}

/* Records RUN/rel as a mismatch unless its SHA-256 is `want`; `whose`
 * names where `want` comes from. */
static void
check_hash (const char *run_dir, const char *rel, const char *want, const char *whose,
            QtVerifyReport *report)
{
  report->history_files++;
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, rel, FILE_MAX, &local);
  if (bytes == NULL)
    {
      add_mismatch (report, rel, g_strdup (local->message));
      return;
    }
  g_autofree char *got = qt_sha256_hex_bytes (bytes);
  if (strcmp (got, want) != 0)
    add_mismatch (report, rel, g_strdup_printf ("SHA-256 %s, not %s as %s says", got, want, whose));
}

/* The files of revisions/K/ against revisions/K/manifest.json. */
static void
check_revision (const char *run_dir, guint k, QtVerifyReport *report)
{
  g_autofree char *rel = g_strdup_printf ("revisions/%u", k);
  g_autofree char *dir = g_build_filename (run_dir, rel, NULL);
  g_autofree char *whose = g_strdup_printf ("%s/manifest.json", rel);
  g_autoptr (GError) local = NULL;
  g_autoptr (QtManifest) m = qt_manifest_read (dir, QT_RUN_COMMISSION, &local);
  report->history_files++;
  if (m == NULL)
    {
      add_mismatch (report, whose, g_strdup (local->message));
      return;
    }
  for (guint i = 0; i < m->outputs->len; i++)
    {
      const QtManifestFile *f = g_ptr_array_index (m->outputs, i);
      g_autofree char *file = g_strdup_printf ("%s/%s", rel, f->file);
      check_hash (run_dir, file, f->sha256, whose, report);
    }
}

static int
mismatch_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(QtVerifyMismatch *const *) a)->file, (*(QtVerifyMismatch *const *) b)->file);
}

/* What the journal fixes beyond the current revision: the manifest as
 * published and as closed (their hashes are in its lines) and every
 * earlier revision's files (their manifests' hashes).  Adds to `report`
 * and sets `error` when the recomputation found nothing. */
static gboolean
check_history (const char *run_dir, const QtLifecycle *lc, gboolean ok, QtVerifyReport *report,
               GError **error)
{
  guint before = report->mismatches->len;
  if (lc->state != QT_STATE_DRAFT)
    check_hash (run_dir, lc->revision > 0 ? "revisions/0/manifest.json" : "manifest.json",
                lc->published_manifest, "the journal's published line", report);
  if (lc->closed_manifest != NULL)
    check_hash (run_dir, "manifest.json", lc->closed_manifest, "the journal's closed line", report);
  for (guint k = 0; k < lc->revision; k++)
    check_revision (run_dir, k, report);
  guint n = report->mismatches->len;
  if (n == before)
    return ok;
  g_ptr_array_sort (report->mismatches, mismatch_cmp);
  if (error != NULL && *error != NULL && (*error)->code != QT_ERROR_MISMATCH)
    return FALSE; /* not a run: that error stands */
  g_clear_error (error);
  g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s: %u file%s differ%s", run_dir, n,
               n == 1 ? "" : "s", n == 1 ? "s" : "");
  return FALSE;
}

gboolean
qt_lifecycle_verify (const char *run_dir, const char *head, QtVerifyOptions *options,
                     QtVerifyReport *report, GError **error)
{
  *report = (QtVerifyReport) { 0 };
  /* No lifecycle command may change the run while it is read (a recalc
   * swaps the whole directory); none there (not a directory): verify says so. */
  g_autoptr (QtRunLock) lock = qt_run_lock_shared (run_dir, NULL);
  (void) lock; /* held until return */
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
    return check_history (run_dir, lc, qt_verify_run (run_dir, options, report, error), report,
                          error);
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
  return check_history (run_dir, lc, ok, report, error);
}
