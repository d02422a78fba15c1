/* run/pg_import.c — `quotient db import` (see pg_import.h). */
#include "pg_import.h"

#include <string.h>

#include "../loaders/csv_reader.h"
#include "../loaders/dataset_loader.h"
#include "../model/dataset_builder.h"
#include "../model/money.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../rules/plan.h"

/* ---- validation: the file back end's own loaders ---- */

static gboolean
has_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* DIR and PLANS exactly as `quotient run` or `quotient rebate` would read
 * them: the same refusals and `file:line:column` messages. */
static gboolean
validate (const char *data_dir, const char *plans_dir, GError **error)
{
  g_autoptr (QtPlanSet) plans = qt_plan_set_load_dir (plans_dir, error);
  if (plans == NULL)
    return FALSE;
  gboolean commission = has_file (data_dir, "reps.csv") || !has_file (data_dir, "partners.csv");
  const guint kinds[] = { commission ? QT_TABLES_COMMISSION : 0,
                          has_file (data_dir, "partners.csv") ? QT_TABLES_REBATE : 0 };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      if (kinds[k] == 0)
        continue;
      const QtLoadOptions o = { .threads = 2, .tables = kinds[k] };
      g_autoptr (QtDataset) ds = qt_dataset_load_dir (data_dir, &o, error);
      if (ds == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The validation, on a thread of its own while the COPYs run. */
typedef struct {
  const char *data_dir;
  const char *plans_dir;
  gint failed;    /* atomic: the COPYs stop at the next file */
  GError *error;
} Validation;

static gpointer
validate_thread (gpointer data)
{
  Validation *v = data;
  if (!validate (v->data_dir, v->plans_dir, &v->error))
    g_atomic_int_set (&v->failed, 1);
  return NULL;
}

/* ---- COPY of one file ---- */

/* Appends `s` as a field of COPY's text format: runs of plain bytes at
 * once (most fields have no byte to escape). */
static void
copy_field (GString *out, const char *s)
{
  for (;;)
    {
      gsize plain = strcspn (s, "\\\n\r\t");
      g_string_append_len (out, s, (gssize) plain);
      s += plain;
      switch (*s)
        {
        case '\0': return;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default: g_string_append (out, "\\t"); break;
        }
      s++;
    }
}

/* COPY qt_<table> (source_line, columns…) from the file's records. */
static gboolean
copy_records (PGconn *conn, const QtTableDesc *d, QtCsvReader *reader, const int *idx,
              guint *rows, GError **error)
{
  GString *sql = g_string_new (NULL);
  g_string_printf (sql, "COPY qt_%s (source_line", d->name);
  for (guint c = 0; c < d->n_columns; c++)
    g_string_append_printf (sql, ", %s", d->columns[c]);
  g_string_append (sql, ") FROM STDIN");
  QtPgCopy c;
  gboolean ok = qt_pg_copy_begin (&c, conn, sql->str, "COPY", error);
  g_string_free (sql, TRUE);
  if (!ok)
    return FALSE;
  QtCsvRecord rec;
  *rows = 0;
  while (ok && qt_csv_reader_next (reader, &rec, NULL))
    {
      qt_append_uint (c.buf, rec.line);
      for (guint k = 0; k < d->n_columns; k++)
        {
          g_string_append_c (c.buf, '\t');
          copy_field (c.buf, rec.fields[idx[k]]);
        }
      g_string_append_c (c.buf, '\n');
      (*rows)++;
      ok = qt_pg_copy_flush (&c, FALSE, error);
    }
  return qt_pg_copy_end (&c, ok, error);
}

/* One data file into its table (absent: the table stays empty). */
static gboolean
import_file (PGconn *conn, const char *data_dir, QtTable table, GError **error)
{
  const QtTableDesc *d = qt_table_desc (table);
  g_autofree char *name = g_strconcat (d->name, ".csv", NULL);
  g_autofree char *path = g_build_filename (data_dir, name, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &text, &len, NULL))
    {
      qt_error_file_changed (path, error);
      return FALSE;
    }
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new (path, text, len, NULL);
  int idx[QT_TABLE_MAX_COLUMNS];
  guint rows = 0;
  g_autofree char *what = g_strdup_printf ("importing %s", name);
  if (!qt_csv_reader_read_header (reader, d->columns, d->n_columns, idx, error)
      || !copy_records (conn, d, reader, idx, &rows, error))
    return FALSE;
  g_autofree char *sha = qt_sha256_hex (text, len);
  g_autofree char *count = g_strdup_printf ("%u", rows);
  const char *const values[] = { name, count, sha };
  return qt_pg_exec (conn, "INSERT INTO qt_data_file (name, rows, sha256) VALUES ($1, $2, $3)", 3,
                  values, NULL, NULL, what, error);
}

/* Every plan file of PLANS (the regular *.json files), as stored. */
static gboolean
import_plans (PGconn *conn, const char *plans_dir, guint *n, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (plans_dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  *n = names->len;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (plans_dir, name, NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!g_file_get_contents (path, &bytes, &len, NULL))
        {
      qt_error_file_changed (path, error);
      return FALSE;
    }
      g_autofree char *sha = qt_sha256_hex (bytes, len);
      const char *const values[] = { name, bytes, sha };
      const int lengths[] = { 0, (int) len, 0 };
      const int formats[] = { 0, 1, 0 }; /* the content as bytes */
      if (!qt_pg_exec (conn, "INSERT INTO qt_plan_file (name, content, sha256) VALUES ($1, $2, $3)",
                    3, values, lengths, formats, "importing the plans", error))
        return FALSE;
    }
  return TRUE;
}

/* The whole replacement, inside the caller's transaction; FALSE without
 * an error once the validation failed. */
static gboolean
replace_data_set (PGconn *conn, const char *data_dir, const char *plans_dir, Validation *v,
                  QtPgImport *done, GError **error)
{
  g_autofree char *tables = qt_pg_data_set_tables ();
  g_autofree char *truncate = g_strconcat ("TRUNCATE ", tables, NULL);
  gboolean ok = qt_pg_exec (conn, truncate, 0, NULL, NULL, NULL, "emptying the data set", error);
  for (guint t = 0; ok && t < QT_TABLE_COUNT; t++)
    ok = !g_atomic_int_get (&v->failed) && import_file (conn, data_dir, (QtTable) t, error);
  return ok && import_plans (conn, plans_dir, &done->plans, error);
}

/* The files and rows now stored. */
static void
count_imported (PGconn *conn, QtPgImport *done)
{
  PGresult *r = PQexec (conn, "SELECT count(*), coalesce(sum(rows), 0) FROM qt_data_file");
  if (PQresultStatus (r) == PGRES_TUPLES_OK)
    {
      done->files = (guint) g_ascii_strtoull (PQgetvalue (r, 0, 0), NULL, 10);
      done->rows = g_ascii_strtoull (PQgetvalue (r, 0, 1), NULL, 10);
    }
  PQclear (r);
}

gboolean
qt_pg_import (PGconn *conn, const char *data_dir, const char *plans_dir, QtPgImport *done,
              GError **error)
{
  *done = (QtPgImport) { 0 };
  Validation v = { data_dir, plans_dir, 0, NULL };
  GThread *thread = g_thread_new ("qt-validate", validate_thread, &v);
  g_autoptr (GError) copy_error = NULL;
  gboolean copied = qt_pg_schema_check (conn, &copy_error)
                    && qt_pg_exec (conn, "BEGIN", 0, NULL, NULL, NULL, "starting a transaction",
                                   &copy_error)
                    && replace_data_set (conn, data_dir, plans_dir, &v, done, &copy_error);
  g_thread_join (thread);
  /* a bad file is the message, whatever the database said meanwhile */
  if (v.error != NULL || !copied)
    {
      PQclear (PQexec (conn, "ROLLBACK"));
      if (v.error == NULL && copy_error == NULL) /* every failure says why; should one not */
        qt_pg_failed (&copy_error, "importing", "stopped without a reason");
      g_propagate_error (error, v.error != NULL ? v.error : g_steal_pointer (&copy_error));
      return FALSE;
    }
  count_imported (conn, done);
  return qt_pg_exec (conn, "COMMIT", 0, NULL, NULL, NULL, "committing the import", error);
}
