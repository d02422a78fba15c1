/* model/dataset_builder.h — builds a QtDataset from typed rows, whatever
 * the source (CSV files today, PostgreSQL later).
 *
 * A loader reads its source and converts each field to its column's kind
 * (decimal, date, period, status; ids and text stay text); the builder does
 * the rest: interns ids and copies text, checks keys (SPEC §12.1.7, a repeat
 * reported at its second occurrence naming the first), that ids are not
 * empty, that every manager_id names a rep and that managers form no cycle
 * (SPEC §12.1.8), links rows to the rows their ids name (order_row,
 * customer_row, QtRep.manager, qt_id_row) and seals the interner.
 *
 * Columns are addressed by their index in the table's description
 * (qt_table_desc): the loader maps its source's columns to those names and
 * tells the builder where each one is, for messages.  Errors are
 * QT_ERROR_MALFORMED with `WHERE:LINE:COLUMN: message`, WHERE as the
 * loader gave it for the table.
 *
 * Usage, per table: begin_table, then per row new_row, a set_* call for
 * every column (an unset column is zero: NULL text), end_row; then finish.
 * Tables come in QtTable order (a row is linked to the rows of the tables
 * before it that its ids name), each at most once; one left out (an absent
 * optional file) has no rows. */
#pragma once

#include <glib.h>

#include "dataset.h"

G_BEGIN_DECLS

/* What a column holds, and which set_* call gives it. */
typedef enum {
  QT_COLUMN_ID,      /* set_id: a non-empty id (interned) */
  QT_COLUMN_OPT_ID,  /* set_id: an id, or empty for none (manager_id) */
  QT_COLUMN_TEXT,    /* set_text: free text, may be empty */
  QT_COLUMN_DECIMAL, /* set_num */
  QT_COLUMN_DATE,    /* set_day */
  QT_COLUMN_PERIOD,  /* set_period */
  QT_COLUMN_STATUS,  /* set_status */
} QtColumnKind;

#define QT_TABLE_MAX_COLUMNS 8

/* One table of SPEC §2: its name (the CSV loader reads NAME.csv), whether
 * it may be absent (SPEC §12.1.6) and its required columns. */
typedef struct {
  const char *name;
  gboolean optional;
  guint n_columns;
  const char *const *columns;  /* names, in the order the builder indexes them */
  const QtColumnKind *kinds;   /* of each column */
} QtTableDesc;

/* The description of `table`. (transfer none) */
const QtTableDesc *qt_table_desc (QtTable table);

typedef struct QtDatasetBuilder QtDatasetBuilder;

/* A builder of an empty data set. (transfer full) */
QtDatasetBuilder *qt_dataset_builder_new (void);

/* Frees the builder and the data set it holds, if not finished. */
void qt_dataset_builder_free (QtDatasetBuilder *b);

/* The store the loader parses long decimals into (qt_num_parse): the data
 * set's own. (transfer none) */
QtNumStore *qt_dataset_builder_nums (QtDatasetBuilder *b);

/* Starts `table` (ending the one before, which comes earlier in QtTable).  `source` is how exceptions name
 * it (ds->source, e.g. "orders.csv"), `where` how messages do (e.g. the
 * file's path; NULL: `source`); columns[i] is the 1-based column number of
 * the description's column i in the source, for messages.  `rows_hint`
 * sizes the table (0: unknown). */
void qt_dataset_builder_begin_table (QtDatasetBuilder *b, QtTable table, const char *source,
                                     const char *where, const guint *columns, guint rows_hint);

/* Starts a row of the current table, at `line` of its source. */
void qt_dataset_builder_new_row (QtDatasetBuilder *b, guint line);

/* Column `col` of the current row, by kind (see QtColumnKind).  An empty
 * QT_COLUMN_ID fails with `COLUMN must not be empty`. */
gboolean qt_dataset_builder_set_id (QtDatasetBuilder *b, guint col, const char *s, gsize len,
                                    GError **error);
/* qt_dataset_builder_set_id with hash = qt_intern_hash (s, len) computed
 * already (by another thread, say). */
gboolean qt_dataset_builder_set_id_hashed (QtDatasetBuilder *b, guint col, const char *s,
                                           gsize len, guint32 hash, GError **error);
/* Asks the memory ahead for an id of hash `hash` that a later row will
 * set (qt_intern_prefetch's stages). */
void qt_dataset_builder_prefetch_id (QtDatasetBuilder *b, guint32 hash, int stage);

void qt_dataset_builder_set_text (QtDatasetBuilder *b, guint col, const char *s, gsize len);
void qt_dataset_builder_set_num (QtDatasetBuilder *b, guint col, QtNum v);
void qt_dataset_builder_set_day (QtDatasetBuilder *b, guint col, QtDay v);
void qt_dataset_builder_set_period (QtDatasetBuilder *b, guint col, QtPeriod v);
void qt_dataset_builder_set_status (QtDatasetBuilder *b, guint col, QtStatus v);

/* Ends the current row: checks its key, `duplicate key NAME='value', ...
 * (first on line N)` at the key's first column. */
gboolean qt_dataset_builder_end_row (QtDatasetBuilder *b, GError **error);

/* Records one input file as read, for the run's snapshot and manifest
 * (a loader of files gives one per file present). (transfer full) */
void qt_dataset_builder_add_file (QtDatasetBuilder *b, QtInputFile *file);

/* Ends the last table, links the rows, checks the managers and seals the
 * interner; files are sorted by name.  The builder is then spent (only
 * free it).  (transfer full) */
QtDataset *qt_dataset_builder_finish (QtDatasetBuilder *b, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtDatasetBuilder, qt_dataset_builder_free)

G_END_DECLS
