/* reports/csv_writer.h — SPEC §12.10 CSV output: `\n` line ends, UTF-8,
 * a field quoted only when it holds a comma, quote or newline; a text cell
 * a spreadsheet would run as a formula guarded (model/csv_cell.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends one field (with a leading comma unless it is the first of its
 * record) to `out`. */
void qt_csv_field (GString *out, gboolean first, const char *text);

/* Appends a whole record of `n` fields and the line end. */
void qt_csv_record (GString *out, const char *const *fields, gsize n);

/* The same for a file quotient reads back as input (the adjustments that
 * prior-period writes): cells as they are, no formula guard, since
 * quotient's loaders take every cell literally. */
void qt_csv_input_record (GString *out, const char *const *fields, gsize n);

G_END_DECLS
