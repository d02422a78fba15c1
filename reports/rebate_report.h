/* reports/rebate_report.h — the files of a rebate run (SPEC §11):
 * rebates.csv, reconciliation.csv and exceptions.csv, formatted from a
 * QtRebateResult (calc/rebate.h computes every figure). */
#pragma once

#include <glib.h>

#include "../calc/rebate.h"
#include "output.h"

G_BEGIN_DECLS

/* Adds rebates.csv (a row per partner, by partner_id), reconciliation.csv
 * (a row per shipment of the quarter, by shipment_id) and exceptions.csv
 * to `out`. */
void qt_report_rebate_tables (const QtRebateResult *res, GPtrArray *out);

/* Adds statements/<stem>.txt and .json for every partner (stems as
 * qt_statement_file_stem makes them from the partner_id). */
void qt_report_rebate_statements (const QtRebateResult *res, GPtrArray *out);

G_END_DECLS
