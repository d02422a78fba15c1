/* model/status.h — the six order statuses of SPEC §2 and status sets. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  QT_STATUS_DRAFT,
  QT_STATUS_IN_APPROVAL,
  QT_STATUS_SIGNED,
  QT_STATUS_PAID,
  QT_STATUS_COMPLETED,
  QT_STATUS_CANCELLED,
  QT_STATUS_COUNT
} QtStatus;

/* A set of statuses: bit (1u << status). */
typedef guint QtStatusSet;

/* Parses one of the six names exactly; FALSE when it is none of them. */
gboolean qt_status_parse (const char *text, QtStatus *out);
const char *qt_status_name (QtStatus status);

G_END_DECLS
