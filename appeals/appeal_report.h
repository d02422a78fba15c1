/* appeals/appeal_report.h — `appeal list` and `appeal show` texts: for a
 * person, or JSON (--json), from the lifecycle replayed. */
#pragma once

#include <glib.h>

#include "lifecycle.h"

G_BEGIN_DECLS

/* Every appeal in id order, one line each (or a JSON array). (transfer full) */
GString *qt_appeal_list_text (const QtLifecycle *lc, gboolean json);

/* The whole history of one appeal: filed (claims, reason, evidence),
 * assigned, each vote, the decision, the revision that applied it.
 * (transfer full) */
GString *qt_appeal_show_text (const QtLifecycle *lc, const QtAppeal *a, gboolean json);

G_END_DECLS
