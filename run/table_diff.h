/* run/table_diff.h — the cells of payout.csv and scores.csv that differ
 * between two runs (`quotient diff`, SPEC §8.1 rule 8), and between two
 * versions of one table (a recalc's previous and new revision).
 *
 * Rows are matched by rep_id; every other column is compared as exact
 * bytes (no number is parsed: "1.50" and "1.5" differ, as a file does).
 * A rep on one side only has empty cells on the other, so each of its
 * non-empty cells is a change.  Changes are sorted by rep_id (bytewise:
 * "R10" before "R2"), then file (payout.csv first), then the table's
 * column order. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest payout.csv or scores.csv read from a run directory: one
 * row per rep, far beyond any real run (a million reps is ~100 MB). */
#define QT_TABLE_DIFF_MAX_BYTES ((gsize) 256 * 1024 * 1024)

/* One cell that differs. */
typedef struct {
  char *rep_id;
  const char *file;   /* the table, e.g. "payout.csv" (interned: never freed) */
  char *column;       /* a column name of the header, never "rep_id" */
  char *old_value;    /* the first version's cell; "" when the rep is not there */
  char *new_value;    /* the second version's cell; "" when the rep is not there */
} QtCellChange;

void qt_cell_change_free (QtCellChange *change);

/* The cells that differ between two versions `a` (old) and `b` (new) of
 * the table `file` ("payout.csv" or "scores.csv"; any other name is a
 * table with at least a rep_id column).  NULL for `a` or `b` means the
 * table is absent: no reps on that side.  `a_name` and `b_name` name the
 * versions in error messages (a path, e.g. "runs/2026-05/payout.csv").
 *
 * Each version must be a strict RFC 4180 table (loaders/csv_reader.h)
 * whose header holds every column of `file` (SPEC §5), with one row per
 * non-empty rep_id; the two headers must be identical (same columns in
 * the same order).  Errors are QT_ERROR_MALFORMED as `NAME:LINE:COLUMN:
 * message` (COLUMN the 1-based field).
 *
 * Returns a new array of QtCellChange* (it frees them: g_ptr_array_unref),
 * empty when nothing differs, sorted by rep_id then column order; NULL
 * with `error` set on malformed input.  The bytes are only borrowed.
 * (transfer full) */
GPtrArray *qt_table_diff_bytes (const char *file, GBytes *a, GBytes *b,
                                const char *a_name, const char *b_name, GError **error);

/* The cells of payout.csv and scores.csv that differ between the run
 * directories `run_a` (old) and `run_b` (new), in one array sorted by
 * rep_id, then file (payout.csv first), then column order.  Each table
 * is read as qt_run_read_file does (a regular file inside the run, no
 * symbolic link, at most QT_TABLE_DIFF_MAX_BYTES).  Errors: QT_ERROR_IO
 * (`RUN:1:1: run directory not found`, `RUN/payout.csv:1:1: cannot read:
 * missing`, ...) or QT_ERROR_MALFORMED as for qt_table_diff_bytes.
 * (transfer full) */
GPtrArray *qt_run_diff (const char *run_a, const char *run_b, GError **error);

/* `changes` as CSV (SPEC §12.10 quoting, `\n` line ends): the header
 * `rep_id,file,column,old,new`, then one record per change in the
 * array's order.  (transfer full) */
GString *qt_cell_changes_csv (const GPtrArray *changes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtCellChange, qt_cell_change_free)

G_END_DECLS
