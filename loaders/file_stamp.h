/* loaders/file_stamp.h — telling whether an input file changed while a run
 * used it.
 *
 * Input files are read a block at a time (loaders/table_stream.c): a file
 * written to meanwhile may give a mix of two versions, so each file's
 * stamp is taken when it is opened and compared once it has been read. */
#pragma once

#include <glib.h>
#include <sys/stat.h>

#include "../model/dataset.h"

G_BEGIN_DECLS

/* The stamp of the file `st` describes. */
void qt_file_stamp_of_stat (const struct stat *st, QtFileStamp *stamp);

/* The stamp of the open file `fd`; FALSE (errno set) when fstat fails. */
gboolean qt_file_stamp_of_fd (int fd, QtFileStamp *stamp);

/* The stamp of the file at `path` (following symlinks, as open does);
 * FALSE (errno set) when stat fails. */
gboolean qt_file_stamp_of_path (const char *path, QtFileStamp *stamp);

gboolean qt_file_stamp_equal (const QtFileStamp *a, const QtFileStamp *b);

/* Whether the file at `path` is still the version stamped `then` (FALSE
 * when it is gone). */
gboolean qt_file_stamp_still (const char *path, const QtFileStamp *then);

G_END_DECLS
