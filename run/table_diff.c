/* run/table_diff.c — cell-by-cell comparison of two versions of a
 * one-row-per-rep table: both are read whole, their rows sorted by rep_id
 * and walked side by side. */
#include "table_diff.h"

#include <string.h>

#include "../loaders/csv_reader.h"
#include "../model/qt_error.h"
#include "../reports/csv_writer.h"
#include "run_dir.h"

/* The tables a run is compared by, in output order, with the columns each
 * must have (SPEC §5); rep_id first, where the key is looked up. */
static const char *const payout_columns[] = {
  "rep_id", "name", "currency", "commission", "override",
  "sprint_bonus", "score_bonus", "adjustments", "total",
};
static const char *const scores_columns[] = {
  "rep_id", "team_id", "process_score", "result_score", "total_score", "team_rank",
};
static const char *const key_only[] = { "rep_id" };

void
qt_cell_change_free (QtCellChange *change)
{
  if (change == NULL)
    return;
  g_free (change->rep_id);
  g_free (change->column);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

/* One data record, copied out of the reader: the pointers and the text in
 * one allocation (g_free). */
typedef struct {
  guint line;
  char *fields[];
} Row;

/* One version of a table: its header (the column order) and its rows
 * sorted by rep_id.  An absent table has no columns and no rows. */
typedef struct {
  const char *name;
  guint header_line;
  char **columns;  /* NULL-terminated; NULL when absent */
  guint key;       /* the index of rep_id */
  GPtrArray *rows; /* Row*, sorted by rep_id */
} Table;

static void
table_clear (Table *t)
{
  g_strfreev (t->columns);
  if (t->rows != NULL)
    g_ptr_array_unref (t->rows);
}

/* The reader's fields lie one after the other in one buffer, so the
 * record is one copy. */
static Row *
row_copy (const QtCsvRecord *rec)
{
  const char *first = rec->fields[0];
  const char *last = rec->fields[rec->nfields - 1];
  gsize text = (gsize) (last - first) + rec->lens[rec->nfields - 1] + 1;
  gsize ptrs = rec->nfields * sizeof (char *);
  Row *row = g_malloc (sizeof (Row) + ptrs + text);
  char *copy = (char *) row + sizeof (Row) + ptrs;
  memcpy (copy, first, text);
  row->line = rec->line;
  for (guint i = 0; i < rec->nfields; i++)
    row->fields[i] = copy + (rec->fields[i] - first);
  return row;
}

/* The columns `file` must have; any other table needs only its key. */
static const char *const *
required_columns (const char *file, gsize *n)
{
  if (strcmp (file, "payout.csv") == 0)
    {
      *n = G_N_ELEMENTS (payout_columns);
      return payout_columns;
    }
  if (strcmp (file, "scores.csv") == 0)
    {
      *n = G_N_ELEMENTS (scores_columns);
      return scores_columns;
    }
  *n = G_N_ELEMENTS (key_only);
  return key_only;
}

/* The header's names in order.  read_header only maps the names it is
 * asked for, so the header is read a second time, by a reader of its own
 * (it parsed once already, so this cannot fail). */
static char **
header_names (const char *name, const char *data, gsize len, guint *line)
{
  g_autoptr (QtCsvReader) r = qt_csv_reader_new (name, data, len, NULL);
  QtCsvRecord rec;
  if (!qt_csv_reader_next (r, &rec, NULL))
    return g_new0 (char *, 1);
  char **names = g_new0 (char *, rec.nfields + 1);
  for (guint i = 0; i < rec.nfields; i++)
    names[i] = g_strdup (rec.fields[i]);
  *line = rec.line;
  return names;
}

static gint
row_order (gconstpointer a, gconstpointer b, gpointer key)
{
  const Row *ra = *(const Row *const *) a;
  const Row *rb = *(const Row *const *) b;
  guint k = GPOINTER_TO_UINT (key);
  int c = strcmp (ra->fields[k], rb->fields[k]);
  return c != 0 ? c : (ra->line > rb->line) - (ra->line < rb->line);
}

/* Sorts the rows by rep_id and refuses a rep_id that appears twice: a
 * rep's cells must be one row to be compared.  The repeat reported is the
 * first in file order (the lowest line of a second occurrence). */
static gboolean
sort_rows (Table *t, GError **error)
{
  g_ptr_array_sort_with_data (t->rows, row_order, GUINT_TO_POINTER (t->key));
  const Row *first = NULL, *repeat = NULL;
  guint start = 0; /* where the current run of equal rep_ids begins */
  for (guint i = 1; i < t->rows->len; i++)
    {
      const Row *row = g_ptr_array_index (t->rows, i);
      const Row *prev = g_ptr_array_index (t->rows, i - 1);
      if (strcmp (prev->fields[t->key], row->fields[t->key]) != 0)
        start = i;
      else if (repeat == NULL || row->line < repeat->line)
        {
          first = g_ptr_array_index (t->rows, start);
          repeat = row;
        }
    }
  if (repeat == NULL)
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: rep_id '%s' appears twice (first on line %u)",
               t->name, repeat->line, t->key + 1, repeat->fields[t->key], first->line);
  return FALSE;
}

/* Reads every data row of `r`, whose header is read. */
static gboolean
read_rows (QtCsvReader *r, Table *t, GError **error)
{
  QtCsvRecord rec;
  GError *local = NULL;
  while (qt_csv_reader_next (r, &rec, &local))
    {
      if (rec.lens[t->key] == 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: empty rep_id", t->name,
                       rec.line, t->key + 1);
          return FALSE;
        }
      g_ptr_array_add (t->rows, row_copy (&rec));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return sort_rows (t, error);
}

/* Parses one version of the table `file` into *t (cleared by the caller
 * in every case). */
static gboolean
table_load (Table *t, const char *file, GBytes *bytes, const char *name, GError **error)
{
  t->name = name;
  t->rows = g_ptr_array_new_with_free_func (g_free);
  if (bytes == NULL)
    return TRUE;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  if (data == NULL)
    data = "";
  gsize n_required = 0;
  const char *const *required = required_columns (file, &n_required);
  int idx[G_N_ELEMENTS (payout_columns)];
  g_autoptr (QtCsvReader) r = qt_csv_reader_new (name, data, len, NULL);
  qt_csv_reader_drop_guards (r);
  if (!qt_csv_reader_read_header (r, required, n_required, idx, error))
    return FALSE;
  t->key = (guint) idx[0];
  t->columns = header_names (name, data, len, &t->header_line);
  return read_rows (r, t, error);
}

/* Column order is the header's, so both versions must have the same one;
 * the first column where b's header departs from a's is the error's. */
static gboolean
same_header (const Table *a, const Table *b, GError **error)
{
  if (a->columns == NULL || b->columns == NULL)
    return TRUE;
  guint i = 0;
  while (a->columns[i] != NULL && b->columns[i] != NULL && strcmp (a->columns[i], b->columns[i]) == 0)
    i++;
  if (a->columns[i] == NULL && b->columns[i] == NULL)
    return TRUE;
  if (b->columns[i] == NULL)
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: the header ends before column '%s' of %s",
                 b->name, b->header_line, i + 1, a->columns[i], a->name);
  else if (a->columns[i] == NULL)
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: column '%s' is not in the header of %s",
                 b->name, b->header_line, i + 1, b->columns[i], a->name);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: column '%s' where %s has '%s' (the "
                 "headers must be the same)", b->name, b->header_line, i + 1, b->columns[i], a->name,
                 a->columns[i]);
  return FALSE;
}

static void
add_change (GPtrArray *out, const char *rep_id, const char *file, const char *column,
            const char *old_value, const char *new_value)
{
  QtCellChange *c = g_new (QtCellChange, 1);
  c->rep_id = g_strdup (rep_id);
  c->file = file;
  c->column = g_strdup (column);
  c->old_value = g_strdup (old_value);
  c->new_value = g_strdup (new_value);
  g_ptr_array_add (out, c);
}

/* The changes of one rep; `ra` or `rb` is NULL when the rep is on one side
 * only (its cells there are empty). */
static void
diff_rep (GPtrArray *out, const char *file, const char *const *columns, guint key,
          const Row *ra, const Row *rb)
{
  const char *rep_id = (ra != NULL ? ra : rb)->fields[key];
  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (i == key)
        continue;
      const char *old_value = ra != NULL ? ra->fields[i] : "";
      const char *new_value = rb != NULL ? rb->fields[i] : "";
      if (strcmp (old_value, new_value) != 0)
        add_change (out, rep_id, file, columns[i], old_value, new_value);
    }
}

/* Walks both sorted row lists side by side: each rep once, in rep_id
 * order. */
static GPtrArray *
diff_tables (const char *file, const Table *a, const Table *b)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) qt_cell_change_free);
  const Table *h = a->columns != NULL ? a : b;
  guint i = 0, j = 0;
  while (i < a->rows->len || j < b->rows->len)
    {
      const Row *ra = i < a->rows->len ? g_ptr_array_index (a->rows, i) : NULL;
      const Row *rb = j < b->rows->len ? g_ptr_array_index (b->rows, j) : NULL;
      int c = ra == NULL ? 1 : rb == NULL ? -1 : strcmp (ra->fields[a->key], rb->fields[b->key]);
      diff_rep (out, file, (const char *const *) h->columns, h->key, c <= 0 ? ra : NULL,
                c >= 0 ? rb : NULL);
      i += c <= 0;
      j += c >= 0;
    }
  return out;
}

GPtrArray *
qt_table_diff_bytes (const char *file, GBytes *a, GBytes *b, const char *a_name,
                     const char *b_name, GError **error)
{
  g_return_val_if_fail (file != NULL && a_name != NULL && b_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  Table ta = { 0 }, tb = { 0 };
  GPtrArray *out = NULL;
  if (table_load (&ta, file, a, a_name, error) && table_load (&tb, file, b, b_name, error)
      && same_header (&ta, &tb, error))
    out = diff_tables (g_intern_string (file), &ta, &tb);
  table_clear (&ta);
  table_clear (&tb);
  return out;
}

/* RUN/file, read whole; a reason from the run directory reader becomes a
 * `PATH:1:1:` error. */
static GBytes *
read_table (const char *run, const char *file, GError **error)
{
  g_autoptr (GError) why = NULL;
  GBytes *bytes = qt_run_read_file (run, file, QT_TABLE_DIFF_MAX_BYTES, &why);
  if (bytes == NULL)
    {
      g_autofree char *path = g_build_filename (run, file, NULL);
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot read: %s", path, why->message);
    }
  return bytes;
}

static GPtrArray *
diff_run_table (const char *run_a, const char *run_b, const char *file, GError **error)
{
  g_autoptr (GBytes) a = read_table (run_a, file, error);
  if (a == NULL)
    return NULL;
  g_autoptr (GBytes) b = read_table (run_b, file, error);
  if (b == NULL)
    return NULL;
  g_autofree char *a_name = g_build_filename (run_a, file, NULL);
  g_autofree char *b_name = g_build_filename (run_b, file, NULL);
  return qt_table_diff_bytes (file, a, b, a_name, b_name, error);
}

static gboolean
check_run_dir (const char *run, GError **error)
{
  if (g_file_test (run, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: run directory not found", run);
  return FALSE;
}

/* Both lists are sorted by rep_id then column; merged by rep_id, a rep's
 * payout cells before its scores cells.  Takes the changes of both. */
static GPtrArray *
merge_by_rep (GPtrArray *payout, GPtrArray *scores)
{
  GPtrArray *out = g_ptr_array_new_full (payout->len + scores->len,
                                         (GDestroyNotify) qt_cell_change_free);
  gsize np = 0, ns = 0;
  gpointer *p = g_ptr_array_steal (payout, &np);
  gpointer *s = g_ptr_array_steal (scores, &ns);
  gsize i = 0, j = 0;
  while (i < np || j < ns)
    {
      gboolean take_p = j == ns || (i < np && strcmp (((QtCellChange *) p[i])->rep_id,
                                                      ((QtCellChange *) s[j])->rep_id) <= 0);
      g_ptr_array_add (out, take_p ? p[i++] : s[j++]);
    }
  g_free (p);
  g_free (s);
  return out;
}

GPtrArray *
qt_run_diff (const char *run_a, const char *run_b, GError **error)
{
  g_return_val_if_fail (run_a != NULL && run_b != NULL, NULL);
  if (!check_run_dir (run_a, error) || !check_run_dir (run_b, error))
    return NULL;
  g_autoptr (GPtrArray) payout = diff_run_table (run_a, run_b, "payout.csv", error);
  if (payout == NULL)
    return NULL;
  g_autoptr (GPtrArray) scores = diff_run_table (run_a, run_b, "scores.csv", error);
  if (scores == NULL)
    return NULL;
  return merge_by_rep (payout, scores);
}

GString *
qt_cell_changes_csv (const GPtrArray *changes)
{
  GString *out = g_string_new ("rep_id,file,column,old,new\n");
  for (guint i = 0; i < changes->len; i++)
    {
      const QtCellChange *c = g_ptr_array_index (changes, i);
      const char *fields[] = { c->rep_id, c->file, c->column, c->old_value, c->new_value };
      qt_csv_record (out, fields, G_N_ELEMENTS (fields));
    }
  return out;
}
