/* loaders/file_stamp.c — file versions by stat (see file_stamp.h). */
#include "file_stamp.h"

void
qt_file_stamp_of_stat (const struct stat *st, QtFileStamp *stamp)
{
  *stamp = (QtFileStamp) {
    .dev = (guint64) st->st_dev,
    .ino = (guint64) st->st_ino,
    .size = (guint64) st->st_size,
    .mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec,
    .ctime_ns = (gint64) st->st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_ctim.tv_nsec,
  };
}

gboolean
qt_file_stamp_of_fd (int fd, QtFileStamp *stamp)
{
  struct stat st;
  if (fstat (fd, &st) != 0)
    return FALSE;
  qt_file_stamp_of_stat (&st, stamp);
  return TRUE;
}

gboolean
qt_file_stamp_of_path (const char *path, QtFileStamp *stamp)
{
  struct stat st;
  if (stat (path, &st) != 0)
    return FALSE;
  qt_file_stamp_of_stat (&st, stamp);
  return TRUE;
}

gboolean
qt_file_stamp_equal (const QtFileStamp *a, const QtFileStamp *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size
         && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

gboolean
qt_file_stamp_still (const char *path, const QtFileStamp *then)
{
  QtFileStamp now;
  return qt_file_stamp_of_path (path, &now) && qt_file_stamp_equal (&now, then);
}
