/* run/run_dir.h — writing a run directory atomically and durably (SPEC §10).
 *
 * Everything goes to a hidden temporary sibling directory that is renamed
 * into place only when complete.  The commit is durable in the ostree way:
 * every file and every directory of the run is fsynced before the rename,
 * and the parent directory after it, so after a crash `out` either holds
 * the complete run or does not exist (a hidden .NAME.tmp-* may be left). */
#pragma once

#include <glib.h>

#include "../reports/output.h"
#include "manifest.h"

G_BEGIN_DECLS

typedef struct QtRunDirWriter QtRunDirWriter;

/* Starts a run directory of `kind` at `out`: files go to a hidden
 * temporary sibling (through qt_run_dir_sink) and appear at `out` only at
 * qt_run_dir_commit.  Missing parent directories of `out` are created (mode
 * 0755, each made durable).  `out` must not exist unless `replace`; with
 * `replace` an existing run directory (one whose manifest.json is of the
 * same kind and `period`, e.g. "2026-03", and no CLOSED marker) is swapped
 * out atomically at the commit and removed; anything else at `out` is
 * refused.  Errors: QT_ERROR_USAGE (exists, not a run, closed run, other
 * period) or QT_ERROR_IO.  (transfer full) */
QtRunDirWriter *qt_run_dir_begin (const char *out, gboolean replace, QtRunKind kind,
                                  const char *period, GError **error);
/* Starts the next revision of the existing run directory `run_dir` (SPEC
 * §8.1 rule 5): like qt_run_dir_begin with `replace`, but the caller (who
 * holds the run's lock and has checked its lifecycle) vouches that it may
 * be replaced.  (transfer full) */
QtRunDirWriter *qt_run_dir_begin_revision (const char *run_dir, GError **error);

/* Keeps `from_rel` of the run being replaced (a file, or a directory's
 * files, recursively) as `to_rel` of the new one, hard-linked: earlier
 * revisions, the evidence store.  Nothing there: nothing kept. */
gboolean qt_run_dir_keep (QtRunDirWriter *w, const char *from_rel, const char *to_rel,
                          GError **error);

/* Writes a file that the manifest does not list (the journal). */
gboolean qt_run_dir_put_unlisted (QtRunDirWriter *w, const char *name, GBytes *bytes,
                                  GError **error);

/* Where the files go: each is written in full as it is put (through the
 * page cache); `put` may run on two threads at once. (transfer none) */
QtOutputSink *qt_run_dir_sink (QtRunDirWriter *w);
/* Syncs every file and directory of the finished run, renames it into
 * place, syncs the parent directory and frees `w`; on failure removes the
 * temporary (an existing run is untouched) and frees `w`. */
gboolean qt_run_dir_commit (QtRunDirWriter *w, GError **error);
/* Removes the temporary directory and frees `w`. */
void qt_run_dir_abort (QtRunDirWriter *w);

/* The function that makes a file or directory durable: fsync(2) unless
 * replaced.  For tests, which count and check the calls; NULL restores
 * fsync.  Not thread-safe: set it before a run begins. */
typedef int (*QtSyncFunc) (int fd);
void qt_run_dir_set_sync_func (QtSyncFunc fn);

/* Removes the temporary directories of every run begun and neither
 * committed nor aborted, and lets no run begin or commit afterwards: the
 * last act of a process stopped by a signal (cli/main.c). */
void qt_run_dir_remove_pending (void);

/* A new private directory (mode 0700) in the temporary directory, named
 * after `tmpl` ("quotient-pg-XXXXXX"), which a signal's clean-up removes
 * as it removes a pending run: what quotient copies out of the database (a
 * data set, a checked-out run) never stays behind.  Remove it with
 * qt_run_dir_remove_private.  (transfer full) */
char *qt_run_dir_make_private (const char *tmpl, GError **error);
void qt_run_dir_remove_private (const char *path);

/* Writes ROOT/REL (a directory made with qt_run_dir_make_private), its
 * parents made as needed; `data` NULL: makes the directory REL.  Never
 * after a signal's clean-up has begun, which would find the directory not
 * empty and leave it.  QT_ERROR_IO `PATH: cannot write: …`. */
gboolean qt_run_dir_put_private (const char *root, const char *rel, const char *data, gsize len,
                                 GError **error);

/* Opens the directory `path` and makes it durable (its entries: files
 * created or renamed in it) with the sync function; FALSE with errno. */
gboolean qt_run_sync_dir (const char *path);

/* Writes data[0..len) at the file's current offset, whatever write(2)
 * takes at a time; FALSE with errno. */
gboolean qt_run_write_all (int fd, const char *data, gsize len);

/* Writes `bytes` as the new file `path` (missing parent directories are
 * made): all of it, durably, or nothing — a hidden temporary beside it,
 * linked to `path` once synced.  An existing `path` is never replaced:
 * QT_ERROR_USAGE `PATH:1:1: the file already exists ...`; QT_ERROR_IO
 * when it cannot be written. */
gboolean qt_run_write_new_file (const char *path, GBytes *bytes, GError **error);

/* That error unless nothing (not even a dangling link) is at `path`: a
 * caller may check before long work. */
gboolean qt_run_check_new_file (const char *path, GError **error);

/* The run's lock: flock(2) on the run directory itself, so that every
 * command changing a run waits for the one before, and a reader (verify)
 * sees no command half done; taken again when the directory was replaced
 * (a recalc swaps it whole) while waiting.  Errors: QT_ERROR_IO. */
typedef struct QtRunLock QtRunLock;
QtRunLock *qt_run_lock (const char *run_dir, GError **error);
/* Shared: readers together, no writer meanwhile. */
QtRunLock *qt_run_lock_shared (const char *run_dir, GError **error);
void qt_run_unlock (QtRunLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtRunLock, qt_run_unlock)

/* Removes a directory tree (no symlinks followed).  Best effort. */
void qt_rmtree (const char *path);

/* Whether `rel` names a place inside a run directory: a relative,
 * '/'-separated path without empty, "." or ".." components. */
gboolean qt_run_path_is_inside (const char *rel);

/* Opens RUN/rel for reading: only a regular file reached through real
 * directories of RUN, with no symbolic link on the way and without
 * leaving RUN; a FIFO or device is refused without blocking.  Returns the
 * descriptor, or -1 with a QT_ERROR_IO error whose message is the reason
 * in words ("missing", "a symbolic link, not a file of the run", ...). */
int qt_run_open_file (const char *run, const char *rel, GError **error);

/* Reads RUN/rel whole, opened as qt_run_open_file, when it holds at most
 * `max_len` bytes (more is an error, found without reading them all).
 * (transfer full) */
GBytes *qt_run_read_file (const char *run, const char *rel, gsize max_len, GError **error);

G_END_DECLS
