/* appeals/recalc.h — `quotient recalc` (SPEC §8.1 rule 5) and the overlays
 * of upheld appeals that recalc, verify and prior-period apply. */
#pragma once

#include <glib.h>

#include "../model/overlay.h"
#include "actions.h"
#include "lifecycle.h"

G_BEGIN_DECLS

/* The overlay edit of one appeal on period `period` ("YYYY-MM"): the row
 * of activities.csv, the rows of splits.csv or the adjustments.csv row it
 * stands for. */
void qt_appeal_overlay_add (QtOverlay *overlay, const QtAppeal *a, const char *period);

/* The overlay of every appeal applied so far, in order of application. */
QtOverlay *qt_lifecycle_overlay (const QtLifecycle *lc, const char *period);

/* Applies every upheld appeal not yet applied (id order) as the run's next
 * revision.  *applied: how many (0: nothing to apply, nothing changed);
 * *head: the journal's new head. */
gboolean qt_recalc (const QtLifecycleOptions *o, guint *applied, guint *revision, char **head,
                    GError **error);

G_END_DECLS
