/* model/csv_cell.h — the one rule that keeps quotient's CSV outputs from
 * running as spreadsheet formulas: a text cell that a spreadsheet would
 * read as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) is written with a leading `'`.  Plain numbers (`-4125`, `+2.5`,
 * `-1/3`) are left as they are: a spreadsheet reads them as numbers, never
 * as a call.  A cell that already begins with `'` gets one too, so the
 * guard can always be taken off again: quotient reading its own outputs
 * drops a leading `'` and gets the cell's text back exactly. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QT_CSV_GUARD '\''

/* Whether text[0..len) is written with QT_CSV_GUARD before it. */
gboolean qt_csv_cell_needs_guard (const char *text, gsize len);

G_END_DECLS
