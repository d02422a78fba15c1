/* calc/score.h — SPEC §4.8, §12.8: process/result score items and total. */
#pragma once

#include <glib.h>

#include "../model/dataset.h"
#include "../rules/plan.h"
#include "result.h"

G_BEGIN_DECLS

/* Fills out->score_lines, process, result, total, process_score and
 * result_score from the rep's activity rows of P (`acts`, any order) and
 * out->attainment.  A plan without a score section gives no lines and
 * totals of 0. */
void qt_score_compute (const QtPlanVersion *plan, const QtNumStore *nums,
                       const QtActivity *const *acts, guint n_acts, QtRepResult *out);

G_END_DECLS
