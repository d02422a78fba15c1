/* model/qt_error.c — the quotient GError domain. */
#include "qt_error.h"

G_DEFINE_QUARK (quotient-error-quark, qt_error)

gboolean
qt_error_file_changed (const char *path, GError **error)
{
  g_set_error (error, QT_ERROR, QT_ERROR_IO,
               "%s:1:1: the file changed while quotient was reading it (written to, cut short "
               "or replaced during the run); nothing was written — run again once nothing "
               "writes to the data set",
               path);
  return FALSE;
}
