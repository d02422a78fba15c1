/* reports/run_dir.c — atomic run directories: build in a temporary sibling,
 * then renameat2 into place (RENAME_NOREPLACE, or RENAME_EXCHANGE with
 * --replace), so readers never see a half-written run. */
#include "run_dir.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../model/qt_error.h"
#include "output.h"

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

GBytes *
qt_read_bytes (const char *path, GError **error)
{
  char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: %s", path, local->message);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

/* Writes one new file in full (no fsync: the run only becomes visible by
 * the final rename, and a crash before it leaves only the hidden temporary). */
static gboolean
write_file (const char *path, GBytes *bytes, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean ok = fd >= 0;
  while (ok && len > 0)
    {
      gssize n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      ok = n > 0;
      data += ok ? n : 0;
      len -= ok ? (gsize) n : 0;
    }
  int err = errno;
  if (fd >= 0 && close (fd) != 0 && ok)
    {
      ok = FALSE;
      err = errno;
    }
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot write: %s", path, g_strerror (err));
  return ok;
}

/* Creates every directory the files need, once. */
static gboolean
make_dirs (const char *root, GPtrArray *files, GError **error)
{
  g_autoptr (GHashTable) made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < files->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (root, f->name, NULL);
      char *dir = g_path_get_dirname (path);
      if (!g_hash_table_add (made, dir))
        continue;
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot create directory: %s", dir,
                       g_strerror (errno));
          return FALSE;
        }
    }
  return TRUE;
}

/* Every `step`-th file from `first`: one share of the writing. */
typedef struct {
  const char *root;
  GPtrArray *files;
  guint first, step;
  GError *error;
} WriteShare;

static gpointer
write_share (gpointer data)
{
  WriteShare *w = data;
  for (guint i = w->first; i < w->files->len && w->error == NULL; i += w->step)
    {
      const QtOutputFile *f = g_ptr_array_index (w->files, i);
      g_autofree char *path = g_build_filename (w->root, f->name, NULL);
      write_file (path, f->bytes, &w->error);
    }
  return NULL;
}

/* Writes the files, on two threads when allowed: creating thousands of
 * statement files is kernel work that the second core shares.  What lands on
 * disk does not depend on the order. */
static gboolean
write_all (const char *root, GPtrArray *files, guint threads, GError **error)
{
  if (!make_dirs (root, files, error))
    return FALSE;
  guint step = threads > 1 ? 2 : 1;
  WriteShare shares[2] = { { root, files, 0, step, NULL }, { root, files, 1, step, NULL } };
  GThread *helper = step > 1 ? g_thread_new ("qt-write", write_share, &shares[1]) : NULL;
  write_share (&shares[0]);
  if (helper != NULL)
    g_thread_join (helper);
  for (int k = 0; k < 2; k++)
    if (shares[k].error != NULL)
      {
        g_propagate_error (error, shares[k].error);
        g_clear_error (&shares[1 - k].error);
        return FALSE;
      }
  return TRUE;
}

/* The "period" of a run's manifest.json, or NULL. (transfer full) */
static char *
manifest_period (const char *manifest)
{
  g_autoptr (GBytes) bytes = qt_read_bytes (manifest, NULL);
  if (bytes == NULL)
    return NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  cJSON *root = cJSON_ParseWithLength (data, len);
  const cJSON *period = cJSON_GetObjectItemCaseSensitive (root, "period");
  char *out = cJSON_IsString (period) ? g_strdup (period->valuestring) : NULL;
  cJSON_Delete (root);
  return out;
}

/* A directory we may replace: a run (manifest.json) of the same period
 * that is not closed. */
static gboolean
check_replaceable (const char *out, const char *period, GError **error)
{
  g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
  g_autofree char *closed = g_build_filename (out, "CLOSED", NULL);
  if (!g_file_test (out, G_FILE_TEST_IS_DIR) || !g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: --replace refused: this is not a quotient run directory", out);
      return FALSE;
    }
  if (g_file_test (closed, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: --replace refused: the period is closed and can never change", out);
      return FALSE;
    }
  g_autofree char *existing = manifest_period (manifest);
  if (g_strcmp0 (existing, period) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: --replace refused: it holds the run of period %s, not %s", out,
                   existing ? existing : "(unknown)", period);
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

gboolean
qt_run_dir_write (const char *out_arg, GPtrArray *files, gboolean replace, const char *period,
                  guint threads, GError **error)
{
  g_autofree char *out = strip_trailing_slashes (out_arg);
  gboolean exists = g_file_test (out, G_FILE_TEST_EXISTS) || g_file_test (out, G_FILE_TEST_IS_SYMLINK);
  if (exists && !replace)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s:1:1: output directory already exists (a run never overwrites another; "
                   "use --replace to replace a draft run)", out);
      return FALSE;
    }
  if (exists && !check_replaceable (out, period, error))
    return FALSE;

  g_autofree char *parent = g_path_get_dirname (out);
  g_autofree char *base = g_path_get_basename (out);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.tmp-XXXXXX", parent, base);
  if (g_mkdtemp (tmpl) == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot create a directory beside it: %s",
                   out, g_strerror (errno));
      return FALSE;
    }
  if (!write_all (tmpl, files, threads, error))
    {
      qt_rmtree (tmpl);
      return FALSE;
    }
  unsigned flags = exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  if (renameat2 (AT_FDCWD, tmpl, AT_FDCWD, out, flags) != 0)
    {
      int err = errno;
      qt_rmtree (tmpl);
      g_set_error (error, QT_ERROR, err == EEXIST ? QT_ERROR_USAGE : QT_ERROR_IO,
                   "%s:1:1: cannot move the finished run into place: %s", out, g_strerror (err));
      return FALSE;
    }
  if (exists) /* tmpl now holds the replaced run */
    qt_rmtree (tmpl);
  return TRUE;
}
