/* reports/manifest.h — SPEC §5, §7: manifest.json, the run's proof:
 * engine version, period, plan versions used, every input and output file
 * with its row count and SHA-256, and the control totals. */
#pragma once

#include <glib.h>

#include "../calc/result.h"

G_BEGIN_DECLS

/* The text of manifest.json.  `files` holds every other file of the run
 * (inputs/ snapshot and outputs) with sizes and hashes; it is sorted here. */
GString *qt_report_manifest (const QtRunResult *res, GPtrArray *files);

/* TRUE when the control totals of SPEC §7 balance. */
gboolean qt_report_totals_balance (const QtRunResult *res);

G_END_DECLS
