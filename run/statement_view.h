/* run/statement_view.h — one rep's statement of a run, as the run wrote it
 * (`quotient statement`): the file the manifest lists, checked against the
 * SHA-256 it records, so that a statement changed since is never shown as
 * the run's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* statements/<stem>.txt (or .json) of `rep` in the commission run RUN_DIR.
 * Errors: QT_ERROR_USAGE (not a commission run, or no statement of that
 * rep), QT_ERROR_MISMATCH (the file is not the one the manifest records:
 * run quotient verify), QT_ERROR_IO.  (transfer full) */
GBytes *qt_run_statement (const char *run_dir, const char *rep, gboolean json, GError **error);

/* statements/<stem>.txt or .json of `rep`, the path inside a run.
 * (transfer full) */
char *qt_run_statement_path (const char *rep, gboolean json);

G_END_DECLS
