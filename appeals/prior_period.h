/* appeals/prior_period.h — `quotient prior-period` (SPEC §8.1 rule 9):
 * the corrections a closed month owes once its data is corrected, as
 * adjustments.csv rows for a later month. */
#pragma once

#include <glib.h>

#include "actions.h"

G_BEGIN_DECLS

typedef struct {
  QtLifecycleOptions closed;  /* the closed run (never changed) and --now */
  const char *data_dir;       /* the corrected data set */
  const char *plans_dir;
  const char *period;         /* the month the corrections are paid in */
  const char *out;            /* the adjustments file to create */
  guint threads;              /* 0 = the run library's default */
} QtPriorPeriodOptions;

/* Recomputes the closed run's period on o->data_dir and o->plans_dir with
 * the run's applied appeals on top, and writes to o->out one
 * adjustments.csv row per rep whose payout total differs from the closed
 * run's: `PPA-<closed period>-<rep_id>`, the rep, o->period, new − closed
 * total, `prior-period correction of <closed period>`, sorted by rep_id
 * (a rep on one side only counts 0.00 on the other).  *rows: how many.
 * Refused (QT_ERROR_REFUSED) unless the run is closed and o->period later
 * than its period; an existing o->out is QT_ERROR_USAGE. */
gboolean qt_prior_period (const QtPriorPeriodOptions *o, guint *rows, GError **error);

G_END_DECLS
