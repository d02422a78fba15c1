/* reports/run_dir.h — writing a run directory atomically (SPEC §10):
 * everything goes to a temporary sibling directory that is renamed into
 * place only when complete. */
#pragma once

#include <glib.h>

#include "output.h"

G_BEGIN_DECLS

typedef struct QtRunDirWriter QtRunDirWriter;

/* Starts a run directory at `out`: files go to a hidden temporary sibling
 * (through qt_run_dir_sink) and appear at `out` only at qt_run_dir_commit.
 * `out` must not exist unless `replace`; with `replace` an existing run
 * directory (one holding manifest.json of the same `period`, e.g.
 * "2026-03", and no CLOSED marker) is swapped out atomically at the commit
 * and removed; anything else at `out` is refused.  Errors: QT_ERROR_USAGE
 * (exists, not a run, closed run, other period) or QT_ERROR_IO.
 * (transfer full) */
QtRunDirWriter *qt_run_dir_begin (const char *out, gboolean replace, const char *period,
                                  GError **error);
/* Where the files go. (transfer none) */
QtOutputSink *qt_run_dir_sink (QtRunDirWriter *w);
/* Renames the finished run into place and frees `w`; on failure removes
 * the temporary (an existing run is untouched) and frees `w`. */
gboolean qt_run_dir_commit (QtRunDirWriter *w, GError **error);
/* Removes the temporary directory and frees `w`. */
void qt_run_dir_abort (QtRunDirWriter *w);

/* Removes a directory tree (no symlinks followed).  Best effort. */
void qt_rmtree (const char *path);

/* Reads `path` whole. (transfer full) */
GBytes *qt_read_bytes (const char *path, GError **error);

G_END_DECLS
