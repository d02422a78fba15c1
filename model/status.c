/* model/status.c — order status names. */
#include "status.h"

#include <string.h>

static const char *const status_names[QT_STATUS_COUNT] = {
  "draft", "in_approval", "signed", "paid", "completed", "cancelled",
};

gboolean
qt_status_parse (const char *text, QtStatus *out)
{
  for (int i = 0; i < QT_STATUS_COUNT; i++)
    if (strcmp (text, status_names[i]) == 0)
      {
        *out = (QtStatus) i;
        return TRUE;
      }
  return FALSE;
}

const char *
qt_status_name (QtStatus status)
{
  g_return_val_if_fail (status < QT_STATUS_COUNT, "?");
  return status_names[status];
}
