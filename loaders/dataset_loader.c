/* loaders/dataset_loader.c — CSV data set directory → QtDataset: reads the
 * records of each file and converts their fields; the builder
 * (model/dataset_builder.h) does the rest. */
#include "dataset_loader.h"

#include <string.h>

#include "../model/dataset_builder.h"
#include "../model/money.h"
#include "../model/overlay.h"
#include "../model/qt_error.h"
#include "csv_reader.h"
#include "file_stamp.h"
#include "table_stream.h"

/* The table being read. */
typedef struct {
  QtDatasetBuilder *b;
  QtTableStream *stream;     /* the records' source */
  const QtTableDesc *desc;
  const char *path;          /* of its file, for messages */
  int idx[QT_TABLE_MAX_COLUMNS]; /* field index of each required column */
  const QtTypedField *typed; /* the record's columns parsed by the reading thread */
  guint typed_mask;          /* bit c: typed[c] holds column c */
  const QtOverlay *overlay;  /* edits applied as the tables load, or NULL */
} Loader;

/* Column `col` of the record as parsed by the reading thread, or NULL. */
static inline const QtTypedField *
typed_field (const Loader *ld, guint col)
{
  return ld->typed_mask >> col & 1 ? &ld->typed[col] : NULL;
}

static gboolean
field_error (const Loader *ld, const QtCsvRecord *rec, guint col, GError **error,
             const char *fmt, ...) G_GNUC_PRINTF (5, 6);

/* `PATH:LINE:COLUMN: message` at required column `col` of the record. */
static gboolean
field_error (const Loader *ld, const QtCsvRecord *rec, guint col, GError **error,
             const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%d: %s", ld->path, rec->line,
               ld->idx[col] + 1, msg);
  return FALSE;
}

static gboolean
load_decimal (Loader *ld, const QtCsvRecord *rec, guint col, const char *s, gsize len,
              GError **error)
{
  const QtTypedField *typed = typed_field (ld, col);
  QtNum v;
  g_autoptr (GError) local = NULL;
  if (typed != NULL) /* parsed by the reading thread */
    v = typed->num;
  else if (!qt_num_parse (qt_dataset_builder_nums (ld->b), s, len, &v, &local))
    return field_error (ld, rec, col, error, "%s: %s", ld->desc->columns[col], local->message);
  qt_dataset_builder_set_num (ld->b, col, v);
  return TRUE;
}

static gboolean
load_date (Loader *ld, const QtCsvRecord *rec, guint col, const char *s, gsize len,
           GError **error)
{
  const QtTypedField *typed = typed_field (ld, col);
  QtDay v;
  if (typed != NULL) /* parsed by the reading thread */
    v = typed->day;
  else if (!qt_date_parse (s, len, &v))
    return field_error (ld, rec, col, error, "%s: '%s' is not a calendar date YYYY-MM-DD",
                        ld->desc->columns[col], s);
  qt_dataset_builder_set_day (ld->b, col, v);
  return TRUE;
}

static gboolean
load_id (Loader *ld, guint col, const char *s, gsize len, GError **error)
{
  const QtTypedField *typed = typed_field (ld, col);
  if (typed != NULL) /* hashed by the reading thread */
    return qt_dataset_builder_set_id_hashed (ld->b, col, s, len, typed->hash, error);
  return qt_dataset_builder_set_id (ld->b, col, s, len, error);
}

/* Required column `col` of the record, converted to its kind and handed
 * to the builder. */
static gboolean
load_field (Loader *ld, const QtCsvRecord *rec, guint col, GError **error)
{
  const char *s = rec->fields[ld->idx[col]];
  gsize len = rec->lens[ld->idx[col]];
  QtPeriod period;
  QtStatus status;
  switch (ld->desc->kinds[col])
    {
    case QT_COLUMN_ID:
    case QT_COLUMN_OPT_ID:
      return load_id (ld, col, s, len, error);
    case QT_COLUMN_TEXT:
      qt_dataset_builder_set_text (ld->b, col, s, len);
      return TRUE;
    case QT_COLUMN_DECIMAL:
      return load_decimal (ld, rec, col, s, len, error);
    case QT_COLUMN_DATE:
      return load_date (ld, rec, col, s, len, error);
    case QT_COLUMN_PERIOD:
      if (!qt_period_parse (s, len, &period))
        return field_error (ld, rec, col, error, "%s: '%s' is not a month YYYY-MM",
                            ld->desc->columns[col], s);
      qt_dataset_builder_set_period (ld->b, col, period);
      return TRUE;
    case QT_COLUMN_STATUS:
      if (!qt_status_parse (s, &status))
        return field_error (ld, rec, col, error,
                            "status '%s' is not one of draft, in_approval, signed, paid, "
                            "completed, cancelled", s);
      qt_dataset_builder_set_status (ld->b, col, status);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* The ids of the record 16 records on have their slots asked for, and
 * those of the record 8 on the ids the slots name (in cache by then): the
 * lookups of a table spread over tens of MB then overlap instead of each
 * waiting on memory in turn. */
static void
prefetch_ids (const Loader *ld)
{
  for (int stage = 0; stage < 2; stage++)
    {
      guint mask;
      const QtTypedField *t = qt_table_stream_typed_ahead (ld->stream, stage ? 8 : 16, &mask);
      for (guint c = 0; c < ld->desc->n_columns; c++)
        if (mask >> c & 1 && ld->desc->kinds[c] == QT_COLUMN_ID)
          qt_dataset_builder_prefetch_id (ld->b, t[c].hash, stage);
    }
}

/* One record: its fields in column order (the first bad one is reported),
 * then its key. */
static gboolean
load_record (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  prefetch_ids (ld);
  ld->typed = qt_table_stream_typed (ld->stream, &ld->typed_mask);
  qt_dataset_builder_new_row (ld->b, rec->line);
  for (guint c = 0; c < ld->desc->n_columns; c++)
    if (!load_field (ld, rec, c, error))
      return FALSE;
  return qt_dataset_builder_end_row (ld->b, error);
}

/* Whether an overlay edit drops the record (SPEC §8.1 rule 5). */
static gboolean
overlay_drops (const Loader *ld, QtTable table, const QtCsvRecord *rec)
{
  const char *values[3];
  gsize lens[3];
  guint n = MIN (ld->desc->n_columns, G_N_ELEMENTS (values));
  for (guint c = 0; c < n; c++)
    {
      values[c] = rec->fields[ld->idx[c]];
      lens[c] = rec->lens[ld->idx[c]];
    }
  return qt_overlay_drops (ld->overlay, table, 0, values, lens, n);
}

/* One row an overlay edit adds, converted as a record of the file would
 * be (at line `line`, after the file's last). */
static gboolean
load_overlay_row (Loader *ld, char **row, guint line, GError **error)
{
  guint n = 0;
  for (guint c = 0; c < ld->desc->n_columns; c++)
    n = MAX (n, (guint) ld->idx[c] + 1);
  g_autofree char **fields = g_new0 (char *, n);
  g_autofree gsize *lens = g_new0 (gsize, n);
  for (guint c = 0; c < n; c++)
    fields[c] = (char *) "";
  for (guint c = 0; c < ld->desc->n_columns; c++)
    {
      fields[ld->idx[c]] = row[c];
      lens[ld->idx[c]] = strlen (row[c]);
    }
  const QtCsvRecord rec = { line, n, fields, lens };
  ld->typed = NULL;
  ld->typed_mask = 0;
  qt_dataset_builder_new_row (ld->b, line);
  for (guint c = 0; c < ld->desc->n_columns; c++)
    if (!load_field (ld, &rec, c, error))
      return FALSE;
  return qt_dataset_builder_end_row (ld->b, error);
}

/* The rows the overlay's edits add to `table` (each unless a later edit
 * drops it), numbered on from `last_line`. */
static gboolean
load_overlay_rows (Loader *ld, QtTable table, guint last_line, GError **error)
{
  const GPtrArray *edits = ld->overlay != NULL ? ld->overlay->edits : NULL;
  for (guint i = 0; edits != NULL && i < edits->len; i++)
    {
      const QtOverlayEdit *e = g_ptr_array_index (edits, i);
      for (guint r = 0; e->table == table && r < e->rows->len; r++)
        {
          char **row = g_ptr_array_index (e->rows, r);
          gsize lens[3];
          guint n = MIN (ld->desc->n_columns, G_N_ELEMENTS (lens));
          for (guint c = 0; c < n; c++)
            lens[c] = strlen (row[c]);
          if (qt_overlay_drops (ld->overlay, table, i + 1, (const char *const *) row, lens, n))
            continue;
          if (!load_overlay_row (ld, row, ++last_line, error))
            {
              g_prefix_error (error, "appeal %s: ", e->appeal);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* An optional table whose file is absent but to which the overlay adds
 * rows: the table as if its file held the header alone. */
static gboolean
load_overlay_only (Loader *ld, QtTable table, const char *file, const char *path,
                   GError **error)
{
  ld->desc = qt_table_desc (table);
  ld->path = path;
  guint columns[QT_TABLE_MAX_COLUMNS];
  for (guint c = 0; c < ld->desc->n_columns; c++)
    {
      ld->idx[c] = (int) c;
      columns[c] = c + 1;
    }
  qt_dataset_builder_begin_table (ld->b, table, file, path, columns, 0);
  return load_overlay_rows (ld, table, 1, error);
}

/* The next table of the stream, `table`, from file `file` of `dir`. */
static gboolean
load_table (Loader *ld, const char *dir, QtTable table, const char *file, QtFileLoaded loaded,
            gpointer loaded_data, GError **error)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  gboolean present;
  guint hint;
  if (!qt_table_stream_open (ld->stream, &present, &hint, ld->idx, error))
    return FALSE;
  if (!present) /* an absent optional file */
    return !qt_overlay_touches (ld->overlay, table)
           || load_overlay_only (ld, table, file, path, error);
  ld->desc = qt_table_desc (table);
  ld->path = path;
  guint columns[QT_TABLE_MAX_COLUMNS];
  for (guint c = 0; c < ld->desc->n_columns; c++)
    columns[c] = (guint) ld->idx[c] + 1;
  qt_dataset_builder_begin_table (ld->b, table, file, path, columns, hint);

  g_autoptr (GError) local = NULL;
  QtCsvRecord rec;
  guint rows = 0, last_line = 1;
  gboolean ok = TRUE;
  const gboolean edited = qt_overlay_touches (ld->overlay, table);
  while (ok && qt_table_stream_next (ld->stream, &rec, &local))
    {
      if (!edited || !overlay_drops (ld, table, &rec))
        ok = load_record (ld, &rec, error);
      last_line = rec.line;
      rows++;
    }
  if (ok && local == NULL && edited)
    ok = load_overlay_rows (ld, table, last_line, error);
  if (ok && local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      ok = FALSE;
    }
  /* Bytes read while the file was being changed prove nothing about the
   * file: say that it changed, not what happened to be read. */
  if (!ok && qt_table_stream_changed (ld->stream, path))
    {
      g_clear_error (error);
      qt_error_file_changed (path, error);
    }
  if (!ok)
    return FALSE;
  QtInputFile *f = g_new0 (QtInputFile, 1);
  qt_table_stream_finish (ld->stream, f);
  f->name = g_strdup (file);
  f->rows = rows;
  qt_dataset_builder_add_file (ld->b, f);
  if (loaded != NULL)
    loaded (f, loaded_data);
  return TRUE;
}

/* Whether the reading thread should hash the table's ids.  Not those of
 * order_lines.csv and splits.csv: most of their ids repeat the previous
 * row's (an order's lines) or are few (products, line numbers), which the
 * builder finds without hashing or in cache, and on order_lines.csv,
 * three decimals a row, the thread is the slower of the two. */
static gboolean
hash_ids_ahead (QtTable table)
{
  return table != QT_TABLE_ORDER_LINES && table != QT_TABLE_SPLITS;
}

QtDataset *
qt_dataset_load_dir (const char *dir, const QtLoadOptions *options, GError **error)
{
  const QtLoadOptions defaults = { .threads = 1 };
  if (options == NULL)
    options = &defaults;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: data set directory not found", dir);
      return NULL;
    }
  /* Every table of SPEC §2 and §11 is the file NAME.csv. */
  const guint wanted = options->tables != 0 ? options->tables : QT_TABLES_COMMISSION;
  /* the two kinds' ids share interner slots (model/intern.h) */
  const guint rebate_only = QT_TABLES_REBATE & ~QT_TABLE_BIT (QT_TABLE_PRODUCTS);
  const guint commission_only = QT_TABLES_COMMISSION & ~QT_TABLE_BIT (QT_TABLE_PRODUCTS);
  g_return_val_if_fail (!((wanted & rebate_only) && (wanted & commission_only)), NULL);
  char *names[QT_TABLE_COUNT] = { NULL };
  QtTable which[QT_TABLE_COUNT];
  QtTableFile files[QT_TABLE_COUNT];
  guint n = 0;
  for (guint t = 0; t < QT_TABLE_COUNT; t++)
    {
      if (!(wanted & QT_TABLE_BIT (t)))
        continue;
      const QtTableDesc *d = qt_table_desc ((QtTable) t);
      names[n] = g_strconcat (d->name, ".csv", NULL);
      which[n] = (QtTable) t;
      files[n] = (QtTableFile) { names[n], d->optional, d->columns, d->n_columns, d->kinds,
                                 hash_ids_ahead ((QtTable) t) };
      n++;
    }
  g_autoptr (QtDatasetBuilder) b = qt_dataset_builder_new ();
  QtDataset *ds = NULL;
  {
    g_autoptr (QtTableStream) stream = qt_table_stream_new (dir, files, n, options->threads > 1);
    Loader ld = { .b = b, .stream = stream, .overlay = options->overlay };
    guint i = 0;
    while (i < n
           && load_table (&ld, dir, which[i], names[i], options->loaded, options->loaded_data, error))
      i++;
    if (i == n)
      ds = qt_dataset_builder_finish (b, error);
  }
  for (guint i = 0; i < n; i++)
    g_free (names[i]);
  return ds;
}
