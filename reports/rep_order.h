/* reports/rep_order.h — helpers shared by the report writers. */
#pragma once

#include <glib.h>

#include "../calc/result.h"

G_BEGIN_DECLS

/* Indexes of res->reps sorted by rep_id bytewise. (transfer full) */
guint *qt_rep_order (const QtRunResult *res);

G_END_DECLS
