/* model/qt_error.h — the one GError domain of quotient and its codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QT_ERROR (qt_error_quark ())

typedef enum {
  QT_ERROR_MALFORMED, /* bad syntax, missing column, duplicate key, bad plan: exit 2 */
  QT_ERROR_IO,        /* missing file or directory, unreadable or unwritable path: exit 2 */
  QT_ERROR_USAGE,     /* bad command-line use: exit 2 */
  QT_ERROR_STRICT,    /* exceptions under --strict: exit 1 */
  QT_ERROR_MISMATCH,  /* verify found a difference: exit 1 */
  QT_ERROR_REFUSED,   /* refused by a lifecycle rule (SPEC §8.1), nothing changed: exit 3 */
} QtErrorCode;

GQuark qt_error_quark (void);

/* Sets `PATH:1:1: the file changed while quotient was reading it ...`
 * (QT_ERROR_IO) for an input file written to, cut short or replaced
 * during a run (see loaders/file_stamp.h); returns FALSE. */
gboolean qt_error_file_changed (const char *path, GError **error);

/* Every `from` in the error's message replaced by `to` (a private
 * directory's path by what the user knows it as); nothing when `error` is
 * NULL. */
void qt_error_replace (GError *error, const char *from, const char *to);

G_END_DECLS
