/* model/overlay.h — correction overlays (SPEC §8.1 rule 5): edits of a data
 * set made by upheld appeals, applied while the data set loads, so that the
 * input snapshot itself is never edited.
 *
 * An edit acts on one table exactly as an edit of its file would: it drops
 * the file's rows whose leading columns equal `drop` (and the rows added by
 * earlier edits that match), then adds `rows`.  Edits apply in their order
 * in the overlay. */
#pragma once

#include <glib.h>

#include "dataset.h"

G_BEGIN_DECLS

typedef struct {
  char *appeal;      /* the appeal that made it, e.g. "A3" (for messages) */
  QtTable table;     /* QT_TABLE_ACTIVITIES, QT_TABLE_SPLITS or QT_TABLE_ADJUSTMENTS */
  guint n_drop;      /* 0: drops nothing */
  char *drop[3];     /* the values of the table's first n_drop columns */
  GPtrArray *rows;   /* char** of the table's n_columns texts each, in
                        qt_table_desc column order (g_strfreev'd) */
} QtOverlayEdit;

typedef struct {
  GPtrArray *edits;  /* QtOverlayEdit*, in order of application */
} QtOverlay;

QtOverlay *qt_overlay_new (void);
void qt_overlay_free (QtOverlay *overlay);

/* A new edit of `table` by `appeal`, appended (owned by the overlay).
 * (transfer none) */
QtOverlayEdit *qt_overlay_add_edit (QtOverlay *overlay, const char *appeal, QtTable table);

/* Adds one row (n texts in the table's column order, copied) to `edit`. */
void qt_overlay_edit_add_row (QtOverlayEdit *edit, const char *const *texts, guint n);

/* Whether a row whose leading columns are `values` (value[c] of length
 * len[c] for each column c < n) is dropped by some edit of `table` from
 * index `from` on: file rows pass from = 0; a row added by edit i passes
 * i + 1. */
gboolean qt_overlay_drops (const QtOverlay *overlay, QtTable table, guint from,
                           const char *const *values, const gsize *lens, guint n);

/* Whether any edit touches `table`. */
gboolean qt_overlay_touches (const QtOverlay *overlay, QtTable table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtOverlay, qt_overlay_free)

G_END_DECLS
