/* reports/run_dir.h — writing a run directory atomically (SPEC §10):
 * everything goes to a temporary sibling directory that is renamed into
 * place only when complete. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes every QtOutputFile of `files` below `out`.  `out` must not exist
 * unless `replace`; with `replace` an existing run directory (one holding
 * manifest.json of the same `period`, e.g. "2026-03") is swapped out
 * atomically and removed; anything else at `out` is refused.  On failure nothing appears at `out` and an existing
 * directory is untouched.  Errors: QT_ERROR_USAGE (exists, not a run,
 * closed run) or QT_ERROR_IO.  `threads` > 1 writes on two threads. */
gboolean qt_run_dir_write (const char *out, GPtrArray *files, gboolean replace,
                           const char *period, guint threads, GError **error);

/* Removes a directory tree (no symlinks followed).  Best effort. */
void qt_rmtree (const char *path);

/* Reads `path` whole. (transfer full) */
GBytes *qt_read_bytes (const char *path, GError **error);

G_END_DECLS
