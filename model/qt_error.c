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

void
qt_error_replace (GError *error, const char *from, const char *to)
{
  if (error == NULL)
    return;
  GString *message = g_string_new (error->message);
  g_string_replace (message, from, to, 0);
  g_free (error->message);
  error->message = g_string_free (message, FALSE);
}
