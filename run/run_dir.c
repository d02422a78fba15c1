/* run/run_dir.c — atomic, durable run directories: build in a temporary
 * sibling, fsync every file and directory, renameat2 into place
 * (RENAME_NOREPLACE, or RENAME_EXCHANGE with --replace), fsync the parent;
 * readers never see a half-written run, and a crash never leaves one. */
#include "run_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/qt_error.h"

static QtSyncFunc sync_func = fsync;

void
qt_run_dir_set_sync_func (QtSyncFunc fn)
{
  sync_func = fn != NULL ? fn : fsync;
}

void
qt_rmtree (const char *path)
{
  GStatBuf st;
  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          qt_rmtree (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

gboolean
qt_run_path_is_inside (const char *rel)
{
  if (rel == NULL || rel[0] == '\0' || rel[0] == '/')
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (rel, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

static int
open_failed (GError **error, const char *why)
{
  g_set_error_literal (error, QT_ERROR, QT_ERROR_IO, why);
  return -1;
}

/* Why openat with O_NOFOLLOW failed, in words. */
static int
open_errno (GError **error, int err)
{
  if (err == ENOENT || err == ENOTDIR)
    return open_failed (error, "missing");
  if (err == ELOOP)
    return open_failed (error, "a symbolic link, not a file of the run");
  return open_failed (error, g_strerror (err));
}

int
qt_run_open_file (const char *run, const char *rel, GError **error)
{
  if (!qt_run_path_is_inside (rel))
    return open_failed (error, "a path outside the run directory");
  int dir = open (run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return open_errno (error, errno);
  g_auto (GStrv) parts = g_strsplit (rel, "/", -1);
  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      int sub = openat (dir, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int err = errno;
      close (dir);
      if (sub < 0)
        return open_errno (error, err);
      dir = sub;
    }
  /* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
  int fd = openat (dir, parts[g_strv_length (parts) - 1],
                   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  int err = errno;
  close (dir);
  if (fd < 0)
    return open_errno (error, err);
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return open_failed (error, "not a regular file");
    }
  return fd;
}

GBytes *
qt_run_read_file (const char *run, const char *rel, gsize max_len, GError **error)
{
  int fd = qt_run_open_file (run, rel, error);
  if (fd < 0)
    return NULL;
  GByteArray *buf = g_byte_array_new ();
  guint8 block[65536];
  for (;;)
    {
      gssize n = read (fd, block, sizeof block);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || buf->len + (gsize) n > max_len)
        {
          if (n < 0)
            g_set_error_literal (error, QT_ERROR, QT_ERROR_IO, g_strerror (errno));
          else
            g_set_error (error, QT_ERROR, QT_ERROR_IO, "larger than expected (%" G_GSIZE_FORMAT
                         " bytes at most)", max_len);
          close (fd);
          g_byte_array_unref (buf);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (buf, block, (guint) n);
    }
  close (fd);
  return g_byte_array_free_to_bytes (buf);
}

/* ---- durability ---- */

gboolean
qt_run_sync_dir (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  gboolean ok = sync_func (fd) == 0;
  int err = errno;
  close (fd);
  errno = err;
  return ok;
}

/* Syncs every file and directory below the directory open as `dir`, the
 * directory itself last (its entries then name synced inodes), except the
 * files whose inode is in `kept` (may be NULL): hard links to the run
 * before's files, whose bytes quotient made durable when it committed that
 * run — only their new entries need their directory's sync.  FALSE with
 * errno.  Takes `dir`. */
static gboolean
sync_tree (int dir, GHashTable *kept)
{
  DIR *d = fdopendir (dir);
  if (d == NULL)
    {
      close (dir);
      return FALSE;
    }
  gboolean ok = TRUE;
  struct dirent *e;
  while (ok && (e = readdir (d)) != NULL)
    {
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      gboolean is_dir = e->d_type == DT_DIR;
      struct stat st;
      /* file systems that do not tell the type in the entry */
      if (e->d_type == DT_UNKNOWN && fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        is_dir = S_ISDIR (st.st_mode);
      gint64 ino = (gint64) e->d_ino;
      if (!is_dir && kept != NULL && g_hash_table_contains (kept, &ino))
        continue;
      int fd = openat (dirfd (d), e->d_name,
                       O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));
      if (fd < 0)
        ok = FALSE;
      else if (is_dir)
        ok = sync_tree (fd, kept);
      else
        {
          ok = sync_func (fd) == 0;
          int err = errno;
          close (fd);
          errno = err;
        }
    }
  ok = ok && sync_func (dirfd (d)) == 0;
  int err = errno;
  closedir (d);
  errno = err;
  return ok;
}

/* `path` exists already: bad usage (nothing is ever overwritten). */
static gboolean
fail_exists (const char *path, GError **error)
{
  g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
               "%s:1:1: the file already exists (quotient never overwrites one; choose a new name)",
               path);
  return FALSE;
}

/* Creates the missing directories of `path` (mkdir -p, mode 0755), each
 * made durable by syncing the directory that now holds it; FALSE with
 * errno and the directory that could not be made in *failed. */
static gboolean
make_parents (const char *path, char **failed)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_autofree char *up = g_path_get_dirname (path);
  if (strcmp (up, path) != 0 && !make_parents (up, failed))
    return FALSE;
  gboolean ok = mkdir (path, 0755) == 0 && qt_run_sync_dir (up);
  if (!ok && errno == EEXIST)
    errno = ENOTDIR; /* not a directory, or it would have been found */
  if (!ok)
    *failed = g_strdup (path);
  return ok;
}

/* ---- the run's lock ---- */

struct QtRunLock {
  int fd;
};

static QtRunLock *
lock_run (const char *run_dir, int how, GError **error)
{
  for (;;)
    {
      int fd = open (run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot open the run directory: %s",
                       run_dir, g_strerror (errno));
          return NULL;
        }
      int rc;
      do
        rc = flock (fd, how);
      while (rc != 0 && errno == EINTR);
      struct stat held, now;
      if (rc != 0 || fstat (fd, &held) != 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot lock the run directory: %s",
                       run_dir, g_strerror (errno));
          close (fd);
          return NULL;
        }
      /* Still the directory at that path (not swapped out meanwhile)? */
      if (stat (run_dir, &now) == 0 && now.st_dev == held.st_dev && now.st_ino == held.st_ino)
        {
          QtRunLock *lock = g_new (QtRunLock, 1);
          lock->fd = fd;
          return lock;
        }
      close (fd);
    }
}

QtRunLock *
qt_run_lock (const char *run_dir, GError **error)
{
  return lock_run (run_dir, LOCK_EX, error);
}

QtRunLock *
qt_run_lock_shared (const char *run_dir, GError **error)
{
  return lock_run (run_dir, LOCK_SH, error);
}

void
qt_run_unlock (QtRunLock *lock)
{
  if (lock == NULL)
    return;
  close (lock->fd); /* releases the flock */
  g_free (lock);
}

/* ---- writing ---- */

gboolean
qt_run_write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Writes one new file, `name` in the directory open as `dir`, in full;
 * `path` names it in messages.  Its write-back starts at once, so that the
 * sync at the commit mostly finds it done. */
static gboolean
write_file (int dir, const char *name, const char *path, GBytes *bytes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  int fd = openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  gboolean ok = fd >= 0 && qt_run_write_all (fd, data, len);
  int err = errno;
  if (ok && len > 0)
    sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* a hint: errors show at the sync */
  if (fd >= 0 && close (fd) != 0 && ok)
    {
      ok = FALSE;
      err = errno;
    }
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write: %s (nothing was written)",
                 path, g_strerror (err));
  return ok;
}

/* Whether the CLOSED marker is there: any directory entry counts, a
 * symlink to nothing included. */
static gboolean
is_closed (const char *closed)
{
  GStatBuf st;
  return g_lstat (closed, &st) == 0 || errno != ENOENT;
}

/* Refused (QT_ERROR_REFUSED) unless the run at `out` is a draft: no
 * CLOSED marker, no lifecycle journal (SPEC §8.1 rule 1: a published run
 * changes only by its own lifecycle commands). */
static gboolean
check_draft (const char *out, GError **error)
{
  g_autofree char *closed = g_build_filename (out, "CLOSED", NULL);
  if (is_closed (closed))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_REFUSED,
                   "%s:1:1: --replace refused: the period is closed and can never change", out);
      return FALSE;
    }
  g_autofree char *journal = g_build_filename (out, "journal.jsonl", NULL);
  if (is_closed (journal))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_REFUSED,
                   "%s:1:1: --replace refused: the run is published or closed (it has a journal); "
                   "published runs change only by quotient recalc", out);
      return FALSE;
    }
  return TRUE;
}

/* A directory we may replace: a run of `kind` and `period` (its
 * manifest.json) that is a draft. */
static gboolean
check_replaceable (const char *out, QtRunKind kind, const char *period, GError **error)
{
  g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
  GStatBuf st;
  /* lstat: a symlink to a run is not a run (the swap would replace the link
   * and delete the tree it points into). */
  if (g_lstat (out, &st) != 0 || !S_ISDIR (st.st_mode) || g_lstat (manifest, &st) != 0
      || !S_ISREG (st.st_mode))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: --replace refused: this is not a quotient run directory", out);
      return FALSE;
    }
  if (!check_draft (out, error))
    return FALSE;
  g_autoptr (GError) local = NULL;
  g_autoptr (QtManifest) existing = qt_manifest_read (out, kind, &local);
  if (existing == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "%s:1:1: --replace refused: %s", out,
                   local->message);
      return FALSE;
    }
  if (strcmp (existing->period, period) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: --replace refused: it holds the run of period %s, not %s", out,
                   existing->period, period);
      return FALSE;
    }
  return TRUE;
}

/* "runs/x/" → "runs/x": dirname and rename work on the directory itself. */
static char *
strip_trailing_slashes (const char *path)
{
  char *p = g_strdup (path);
  gsize n = strlen (p);
  while (n > 1 && p[n - 1] == '/')
    p[--n] = '\0';
  return p;
}

/* Temporary directories of runs begun and not yet committed or aborted,
 * for qt_run_dir_remove_pending (a signal's last act). */
static GRWLock pending_lock; /* writers of files share it; the list's changes own it */
static GPtrArray *pending; /* char*, owned */

/* mkdtemp under the lock, so that a signal's clean-up either finds the
 * new directory or runs before it is made. */
static char *
make_pending_tmp (char *tmpl)
{
  g_rw_lock_writer_lock (&pending_lock);
  char *made = g_mkdtemp (tmpl);
  if (made != NULL)
    {
      /* mkdtemp makes 0700; a run directory is as readable as any other
       * directory the user makes (mode 0777 less the umask). */
      const mode_t mask = umask (0);
      umask (mask);
      (void) chmod (made, 0777 & ~mask);
      if (pending == NULL)
        pending = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (pending, g_strdup (made));
    }
  g_rw_lock_writer_unlock (&pending_lock);
  return made;
}

/* Call with pending_lock held for writing. */
static void
pending_forget (const char *tmp)
{
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    if (strcmp (g_ptr_array_index (pending, i), tmp) == 0)
      {
        g_ptr_array_remove_index_fast (pending, i);
        return;
      }
}

void
qt_run_dir_remove_pending (void)
{
  g_rw_lock_writer_lock (&pending_lock);
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    qt_rmtree (g_ptr_array_index (pending, i));
  if (pending != NULL)
    g_ptr_array_set_size (pending, 0);
  /* held on purpose: the process is about to die, no run may begin or
   * commit any more */
}

char *
qt_run_dir_make_private (const char *tmpl, GError **error)
{
  char *path = g_build_filename (g_get_tmp_dir (), tmpl, NULL);
  g_rw_lock_writer_lock (&pending_lock);
  gboolean made = g_mkdtemp (path) != NULL;
  int err = errno;
  if (made)
    {
      if (pending == NULL)
        pending = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (pending, g_strdup (path));
    }
  g_rw_lock_writer_unlock (&pending_lock);
  if (made)
    return path;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot make a temporary directory: %s", path,
               g_strerror (err));
  g_free (path);
  return NULL;
}

void
qt_run_dir_remove_private (const char *path)
{
  if (path == NULL)
    return;
  g_rw_lock_writer_lock (&pending_lock);
  pending_forget (path);
  qt_rmtree (path);
  g_rw_lock_writer_unlock (&pending_lock);
}

gboolean
qt_run_dir_put_private (const char *root, const char *rel, const char *data, gsize len,
                        GError **error)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  /* shared with the other writers; a signal's clean-up takes it alone */
  g_rw_lock_reader_lock (&pending_lock);
  gboolean ok = data == NULL ? g_mkdir_with_parents (path, 0700) == 0
                             : g_mkdir_with_parents (parent, 0700) == 0
                                   && g_file_set_contents (path, data, (gssize) len, NULL);
  int err = errno;
  g_rw_lock_reader_unlock (&pending_lock);
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write: %s", path, g_strerror (err));
  return ok;
}

/* mkstemp under the lock, as make_pending_tmp, for a single new file. */
static int
make_pending_tmp_file (char *tmpl)
{
  g_rw_lock_writer_lock (&pending_lock);
  const mode_t mask = umask (0);
  umask (mask);
  int fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666 & ~mask);
  if (fd >= 0)
    {
      if (pending == NULL)
        pending = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (pending, g_strdup (tmpl));
    }
  g_rw_lock_writer_unlock (&pending_lock);
  return fd;
}

/* Removes the temporary file `tmp` and forgets it. */
static void
drop_pending_tmp_file (const char *tmp)
{
  g_rw_lock_writer_lock (&pending_lock);
  g_unlink (tmp);
  pending_forget (tmp);
  g_rw_lock_writer_unlock (&pending_lock);
}

/* Fills the temporary file open as `fd` and makes it durable; closes fd. */
static gboolean
fill_tmp_file (int fd, GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean ok = qt_run_write_all (fd, data, len) && sync_func (fd) == 0;
  int err = errno;
  close (fd);
  errno = err;
  return ok;
}

gboolean
qt_run_check_new_file (const char *path, GError **error)
{
  GStatBuf st;
  return g_lstat (path, &st) != 0 || fail_exists (path, error);
}

gboolean
qt_run_write_new_file (const char *path, GBytes *bytes, GError **error)
{
  if (!qt_run_check_new_file (path, error))
    return FALSE;
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *failed = NULL;
  if (!make_parents (parent, &failed))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot create its parent directory %s: %s",
                   path, failed, g_strerror (errno));
      return FALSE;
    }
  g_autofree char *tmp = g_strdup_printf ("%s/.%.200s.tmp-XXXXXX", parent, base);
  int fd = make_pending_tmp_file (tmp);
  if (fd < 0 || !fill_tmp_file (fd, bytes))
    {
      int err = errno;
      if (fd >= 0)
        drop_pending_tmp_file (tmp);
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write: %s", path, g_strerror (err));
      return FALSE;
    }
  /* link(2), not rename(2): a file that appeared meanwhile is never replaced. */
  gboolean linked = link (tmp, path) == 0;
  int err = errno;
  drop_pending_tmp_file (tmp);
  if (!linked && err == EEXIST)
    return fail_exists (path, error);
  if (!linked || !qt_run_sync_dir (parent))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write: %s", path,
                   g_strerror (linked ? errno : err));
      if (linked)
        g_unlink (path);
      return FALSE;
    }
  return TRUE;
}

struct QtRunDirWriter {
  QtOutputSink sink;   /* first: the writer is its own sink */
  char *out;           /* the target, trailing slashes stripped */
  char *tmp;           /* the hidden temporary sibling being filled */
  gboolean exists;     /* --replace of an existing run, or a revision */
  gboolean replace;    /* --replace: the run must still be a draft at the commit */
  GHashTable *dirs;    /* directories made so far → their descriptor + 1 */
  GMutex dirs_lock;    /* `put` runs on two threads at the end of a run */
  int lock_fd;         /* the temporary, flock()ed while this run lives */
  char *kept_dir;      /* the directory the last kept file went to */
  GHashTable *kept;    /* inodes (gint64) of the files kept by hard link */
};

static gboolean put_file (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes,
                          GError **error);

/* Writes one file below the temporary directory.  Under the lock of the
 * pending runs: a signal's clean-up then never races a write that would
 * add a file to the tree it removes (writes share the lock: they only
 * wait for a signal's clean-up, never for each other). */
static gboolean
writer_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  g_rw_lock_reader_lock (&pending_lock);
  gboolean ok = put_file (sink, file, bytes, error);
  g_rw_lock_reader_unlock (&pending_lock);
  return ok;
}

/* Writes one file below the temporary directory, making its directory. */
static gboolean
put_file (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  QtRunDirWriter *w = (QtRunDirWriter *) sink;
  g_autofree char *path = g_build_filename (w->tmp, file->name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  /* Each directory made and opened once: a file is then created by its
   * name alone, not by a path walked again for each of 10,000 statements. */
  g_mutex_lock (&w->dirs_lock);
  int fd = GPOINTER_TO_INT (g_hash_table_lookup (w->dirs, dir)) - 1;
  if (fd < 0)
    {
      if (g_mkdir_with_parents (dir, 0755) != 0
          || (fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot create directory: %s", dir,
                       g_strerror (errno));
          g_mutex_unlock (&w->dirs_lock);
          return FALSE;
        }
      g_hash_table_insert (w->dirs, g_strdup (dir), GINT_TO_POINTER (fd + 1));
    }
  g_mutex_unlock (&w->dirs_lock);
  g_autofree char *name = g_path_get_basename (path);
  /* Messages name the file where the run was to appear: the temporary
   * sibling is removed when the run fails. */
  g_autofree char *shown = g_build_filename (w->out, file->name, NULL);
  return write_file (fd, name, shown, bytes, error);
}

static void
writer_free (QtRunDirWriter *w)
{
  qt_output_sink_clear (&w->sink);
  GHashTableIter it;
  gpointer fd;
  g_hash_table_iter_init (&it, w->dirs);
  while (g_hash_table_iter_next (&it, NULL, &fd))
    close (GPOINTER_TO_INT (fd) - 1);
  g_hash_table_unref (w->dirs);
  g_mutex_clear (&w->dirs_lock);
  if (w->lock_fd >= 0)
    close (w->lock_fd);
  g_free (w->out);
  g_free (w->tmp);
  g_free (w->kept_dir);
  g_clear_pointer (&w->kept, g_hash_table_unref);
  g_free (w);
}

/* Holds an exclusive flock on directory `path` (the descriptor it returns
 * keeps it), or -1 when another process holds it or it cannot be opened. */
static int
lock_dir (const char *path)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      fd = -1;
    }
  return fd;
}

/* Removes the temporaries of earlier runs to `base` in `parent` that
 * were killed (SIGKILL, a power cut): a live run holds a lock on its
 * temporary, so a temporary nobody locks is stale. */
static void
remove_stale (const char *parent, const char *base)
{
  g_autofree char *prefix = g_strdup_printf (".%.200s.tmp-", base);
  g_autoptr (GDir) dir = g_dir_open (parent, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      g_autofree char *path = g_build_filename (parent, name, NULL);
      int fd = lock_dir (path);
      if (fd < 0)
        continue; /* a run in progress */
      qt_rmtree (path);
      close (fd);
    }
}

/* A writer filling a new temporary sibling of `out` (whose parent exists);
 * `exists`: it replaces the directory at `out` at the commit. */
static QtRunDirWriter *
writer_new (const char *out, gboolean exists, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (out);
  g_autofree char *base = g_path_get_basename (out);
  /* ".NAME.tmp-XXXXXX": NAME cut to 200 bytes so that any valid name (up
   * to 255 bytes) leaves a valid name for its temporary sibling. */
  remove_stale (parent, base);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%.200s.tmp-XXXXXX", parent, base);
  if (make_pending_tmp (tmpl) == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot create a directory beside it: %s",
                   out, g_strerror (errno));
      return NULL;
    }
  QtRunDirWriter *w = g_new0 (QtRunDirWriter, 1);
  qt_output_sink_init (&w->sink, writer_put);
  w->out = g_strdup (out);
  w->tmp = g_steal_pointer (&tmpl);
  w->lock_fd = lock_dir (w->tmp);
  w->exists = exists;
  w->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&w->dirs_lock);
  w->sink.put_threadsafe = TRUE;
  return w;
}

QtRunDirWriter *
qt_run_dir_begin (const char *out_arg, gboolean replace, QtRunKind kind, const char *period,
                  GError **error)
{
  g_autofree char *out = strip_trailing_slashes (out_arg);
  gboolean exists = g_file_test (out, G_FILE_TEST_EXISTS) || g_file_test (out, G_FILE_TEST_IS_SYMLINK);
  if (exists && !replace)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: output directory already exists (a run never overwrites another; "
                   "use --replace to replace a draft run)", out);
      return NULL;
    }
  if (exists && !check_replaceable (out, kind, period, error))
    return NULL;
  g_autofree char *parent = g_path_get_dirname (out);
  g_autofree char *failed = NULL;
  if (!make_parents (parent, &failed))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot create its parent directory %s: %s",
                   out, failed, g_strerror (errno));
      return NULL;
    }
  QtRunDirWriter *w = writer_new (out, exists, error);
  if (w != NULL)
    w->replace = exists;
  return w;
}

QtRunDirWriter *
qt_run_dir_begin_revision (const char *run_dir, GError **error)
{
  GStatBuf st;
  if (g_lstat (run_dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "%s:1:1: not a run directory", run_dir);
      return NULL;
    }
  g_autofree char *out = strip_trailing_slashes (run_dir);
  return writer_new (out, TRUE, error);
}

gboolean
qt_run_dir_put_unlisted (QtRunDirWriter *w, const char *name, GBytes *bytes, GError **error)
{
  const QtOutputFile file = { .name = (char *) name, .rows = -1 };
  return writer_put (&w->sink, &file, bytes, error);
}

/* Hard-links regular file `from` (a path) to `rel` in the temporary. */
static gboolean
link_file (QtRunDirWriter *w, const char *from, const char *rel, GError **error)
{
  g_autofree char *to = g_build_filename (w->tmp, rel, NULL);
  g_autofree char *dir = g_path_get_dirname (to);
  /* a revision keeps thousands of statements in one directory: made once */
  gboolean made = g_strcmp0 (dir, w->kept_dir) == 0;
  if (!made && g_mkdir_with_parents (dir, 0755) == 0)
    {
      g_free (w->kept_dir);
      w->kept_dir = g_strdup (dir);
      made = TRUE;
    }
  GStatBuf st;
  if (!made || link (from, to) != 0 || g_lstat (to, &st) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot keep it in the new revision: %s",
                   from, g_strerror (errno));
      return FALSE;
    }
  if (w->kept == NULL)
    w->kept = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 *ino = g_new (gint64, 1);
  *ino = (gint64) st.st_ino;
  g_hash_table_add (w->kept, ino);
  return TRUE;
}

gboolean
qt_run_dir_keep (QtRunDirWriter *w, const char *from_rel, const char *to_rel, GError **error)
{
  g_autofree char *from = g_build_filename (w->out, from_rel, NULL);
  GStatBuf st;
  if (g_lstat (from, &st) != 0 && errno == ENOENT)
    return TRUE; /* nothing to keep */
  if (g_lstat (from, &st) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot keep it in the new revision: %s",
                   from, g_strerror (errno));
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    return link_file (w, from, to_rel, error);
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: not a file or directory of the run", from);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  g_autoptr (GDir) dir = g_dir_open (from, 0, &local);
  if (dir == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot keep it in the new revision: %s",
                   from, local->message);
      return FALSE;
    }
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *f = g_build_filename (from_rel, name, NULL);
      g_autofree char *t = g_build_filename (to_rel, name, NULL);
      if (!qt_run_dir_keep (w, f, t, error))
        return FALSE;
    }
  return TRUE;
}

QtOutputSink *
qt_run_dir_sink (QtRunDirWriter *w)
{
  return &w->sink;
}

void
qt_run_dir_abort (QtRunDirWriter *w)
{
  if (w == NULL)
    return;
  g_rw_lock_writer_lock (&pending_lock);
  qt_rmtree (w->tmp);
  pending_forget (w->tmp);
  g_rw_lock_writer_unlock (&pending_lock);
  writer_free (w);
}

/* Syncs the whole temporary tree (files, then their directories). */
static gboolean
sync_run (QtRunDirWriter *w, GError **error)
{
  int fd = open (w->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 && sync_tree (fd, w->kept))
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot sync the finished run to disk: %s",
               w->out, g_strerror (errno));
  return FALSE;
}

gboolean
qt_run_dir_commit (QtRunDirWriter *w, GError **error)
{
  /* The run being replaced may have been published or closed while this
   * one rendered: checked again under the run's lock, held through the
   * swap, so that no lifecycle command runs in between. */
  g_autoptr (QtRunLock) lock = w->replace ? qt_run_lock (w->out, error) : NULL;
  if (w->replace && (lock == NULL || !check_draft (w->out, error)))
    {
      qt_run_dir_abort (w);
      return FALSE;
    }
  if (!sync_run (w, error))
    {
      qt_run_dir_abort (w);
      return FALSE;
    }
  unsigned flags = w->exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  /* Under the lock: a signal's clean-up either comes first (the rename then
   * fails) or finds the run in place. */
  g_rw_lock_writer_lock (&pending_lock);
  gboolean renamed = renameat2 (AT_FDCWD, w->tmp, AT_FDCWD, w->out, flags) == 0;
  int rename_err = errno;
  if (renamed && !w->exists)
    pending_forget (w->tmp);
  g_rw_lock_writer_unlock (&pending_lock);
  if (!renamed)
    {
      int err = rename_err;
      g_set_error (error, QT_ERROR, err == EEXIST ? QT_ERROR_USAGE : QT_ERROR_IO,
                   "%s:1:1: cannot move the finished run into place: %s", w->out, g_strerror (err));
      qt_run_dir_abort (w);
      return FALSE;
    }
  /* The rename itself is durable once the directory holding it is. */
  g_autofree char *parent = g_path_get_dirname (w->out);
  gboolean ok = qt_run_sync_dir (parent);
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_IO,
                 "%s: the run is in place but its directory %s cannot be synced to disk: %s",
                 w->out, parent, g_strerror (errno));
  if (w->exists) /* tmp now holds the replaced run */
    {
      g_rw_lock_writer_lock (&pending_lock);
      qt_rmtree (w->tmp);
      pending_forget (w->tmp);
      g_rw_lock_writer_unlock (&pending_lock);
    }
  writer_free (w);
  return ok;
}
