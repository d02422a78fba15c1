/* run/pg_read.c — the stored data set as a data set directory (see
 * pg_read.h). */
#include "pg_read.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "../model/dataset_builder.h"
#include "../model/qt_error.h"
#include "../reports/csv_writer.h"
#include "run_dir.h"

/* Appends one row of COPY's CSV output (source_line, then the fields, as
 * the server quotes them) as a CSV record at its source line: blank lines
 * (which the reader skips, counting them) fill the gap, so every row comes
 * back at the line it was imported from. */
static void
append_row (GString *csv, const char *row, gsize len, guint *at)
{
  const char *comma = memchr (row, ',', len);
  guint source = (guint) g_ascii_strtoull (row, NULL, 10);
  for (; *at < source; (*at)++)
    g_string_append_c (csv, '\n');
  gsize skip = comma != NULL ? (gsize) (comma - row) + 1 : len;
  g_string_append_len (csv, row + skip, (gssize) (len - skip));
  /* the row ends in its newline; a quoted field holding line ends took
   * physical lines of its own */
  for (const char *p = row + skip; p < row + len; p++)
    *at += *p == '\n';
}

/* qt_<table> as NAME.csv text: the header, then every row at its line. */
static GString *
table_csv (PGconn *conn, const QtTableDesc *d, GError **error)
{
  GString *sql = g_string_new ("COPY (SELECT source_line");
  for (guint c = 0; c < d->n_columns; c++)
    g_string_append_printf (sql, ", %s", d->columns[c]);
  g_string_append_printf (sql, " FROM qt_%s ORDER BY source_line) TO STDOUT WITH (FORMAT csv, "
                          "NULL '\\N')",
                          d->name);
  PGresult *r = PQexec (conn, sql->str);
  g_string_free (sql, TRUE);
  gboolean started = PQresultStatus (r) == PGRES_COPY_OUT;
  if (!started)
    qt_pg_failed (error, "reading the data set", PQresultErrorMessage (r));
  PQclear (r);
  if (!started)
    return NULL;
  g_autoptr (GString) csv = g_string_new (NULL);
  qt_csv_record (csv, d->columns, d->n_columns);
  guint at = 2;
  char *buf = NULL;
  int len;
  while ((len = PQgetCopyData (conn, &buf, 0)) > 0)
    {
      append_row (csv, buf, (gsize) len, &at);
      PQfreemem (buf);
    }
  gboolean ok = len == -1;
  if (!ok)
    qt_pg_failed (error, "reading the data set", PQerrorMessage (conn));
  while ((r = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (r) != PGRES_COMMAND_OK)
        ok = qt_pg_failed (error, "reading the data set", PQresultErrorMessage (r));
      PQclear (r);
    }
  return ok ? g_steal_pointer (&csv) : NULL;
}

/* The names of one column of a query (no parameters). (transfer full) */
static GPtrArray *
names_of (PGconn *conn, const char *sql, GError **error)
{
  PGresult *r = PQexec (conn, sql);
  if (PQresultStatus (r) != PGRES_TUPLES_OK)
    {
      qt_pg_failed (error, "reading the data set", PQresultErrorMessage (r));
      PQclear (r);
      return NULL;
    }
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (r); i++)
    g_ptr_array_add (names, g_strdup (PQgetvalue (r, i, 0)));
  PQclear (r);
  return names;
}

static gboolean
write_file (const char *dir, const char *name, const char *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  if (g_file_set_contents (path, data, (gssize) len, NULL))
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write: %s", path, g_strerror (errno));
  return FALSE;
}

static gboolean
write_data (PGconn *conn, const char *dir, GError **error)
{
  g_autoptr (GPtrArray) files = names_of (conn, "SELECT name FROM qt_data_file ORDER BY name",
                                           error);
  if (files == NULL)
    return FALSE;
  for (guint t = 0; t < QT_TABLE_COUNT; t++)
    {
      const QtTableDesc *d = qt_table_desc ((QtTable) t);
      g_autofree char *name = g_strconcat (d->name, ".csv", NULL);
      gboolean stored = FALSE;
      for (guint i = 0; i < files->len && !stored; i++)
        stored = strcmp (g_ptr_array_index (files, i), name) == 0;
      if (!stored)
        continue;
      g_autoptr (GString) csv = table_csv (conn, d, error);
      if (csv == NULL || !write_file (dir, name, csv->str, csv->len, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_plans (PGconn *conn, const char *dir, GError **error)
{
  PGresult *r = PQexecParams (conn, "SELECT name, content FROM qt_plan_file ORDER BY name", 0,
                              NULL, NULL, NULL, NULL, 1 /* binary: the bytes as stored */);
  gboolean ok = PQresultStatus (r) == PGRES_TUPLES_OK;
  if (!ok)
    qt_pg_failed (error, "reading the plans", PQresultErrorMessage (r));
  for (int i = 0; ok && i < PQntuples (r); i++)
    {
      g_autofree char *name = g_strndup (PQgetvalue (r, i, 0), (gsize) PQgetlength (r, i, 0));
      /* names were plan files' base names when imported: nothing else */
      if (strchr (name, '/') != NULL || name[0] == '.' || name[0] == '\0')
        ok = qt_pg_failed (error, "reading the plans", "a stored plan name is not a file name");
      else
        ok = write_file (dir, name, PQgetvalue (r, i, 1), (gsize) PQgetlength (r, i, 1), error);
    }
  PQclear (r);
  return ok;
}

char *
qt_pg_materialize (PGconn *conn, GError **error)
{
  if (!qt_pg_schema_check (conn, error))
    return NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *root = g_dir_make_tmp ("quotient-pg-XXXXXX", &local);
  if (root == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "cannot make a temporary directory: %s",
                   local->message);
      return NULL;
    }
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *plans = g_build_filename (root, "plans", NULL);
  /* one snapshot of both, even while an import commits */
  PGresult *begin = PQexec (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  gboolean ok = PQresultStatus (begin) == PGRES_COMMAND_OK
                || qt_pg_failed (error, "starting a transaction", PQresultErrorMessage (begin));
  PQclear (begin);
  ok = ok && g_mkdir (data, 0700) == 0 && g_mkdir (plans, 0700) == 0
       && write_data (conn, data, error) && write_plans (conn, plans, error);
  PQclear (PQexec (conn, "COMMIT"));
  if (!ok)
    {
      qt_pg_forget (root);
      if (error != NULL && *error == NULL)
        g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot write the data set", root);
      return NULL;
    }
  return g_steal_pointer (&root);
}

void
qt_pg_forget (const char *root)
{
  if (root != NULL)
    qt_rmtree (root);
}
