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

/* A row's source_line as COPY's CSV output begins it: 2 or more (line 1
 * of a data file is its header), else 0. */
static guint
row_line (const char *row)
{
  gint64 line = g_ascii_strtoll (row, NULL, 10);
  return line >= 2 && line <= G_MAXINT32 ? (guint) line : 0;
}

/* Appends one row of COPY's CSV output (source_line, then the fields, as
 * the server quotes them) as a CSV record at its source line: blank lines
 * (which the reader skips, counting them) fill the gap, so every row comes
 * back at the line it was imported from.  `at` is the line reached, never
 * after `source`. */
static void
append_row (GString *csv, const char *row, gsize len, guint source, guint *at)
{
  const char *comma = memchr (row, ',', len);
  for (; *at < source; (*at)++)
    g_string_append_c (csv, '\n');
  gsize skip = comma != NULL ? (gsize) (comma - row) + 1 : len;
  g_string_append_len (csv, row + skip, (gssize) (len - skip));
  /* the row ends in its newline; a quoted field holding line ends took
   * physical lines of its own */
  for (const char *p = row + skip; p < row + len; p++)
    *at += *p == '\n';
}

/* Rows a hand-made change to a table (SQL, not an import) placed where no
 * file could have them: refused, since exception rows and messages name
 * each row by its line. */
static void
bad_line (GError **bad, const QtTableDesc *d, const char *row, gsize len, gboolean taken)
{
  if (*bad != NULL)
    return;
  const char *comma = memchr (row, ',', len);
  int digits = (int) (comma != NULL ? (gsize) (comma - row) : len);
  if (taken)
    g_set_error (bad, QT_ERROR, QT_ERROR_MALFORMED,
                 "qt_%s: two rows at line %.*s (source_line): give each row a line of its own "
                 "(a row whose fields hold line breaks takes a line more for each)",
                 d->name, digits, row);
  else
    g_set_error (bad, QT_ERROR, QT_ERROR_MALFORMED,
                 "qt_%s: a row has source_line %.*s: a row's line is 2 or more (line 1 of a "
                 "data file is its header)", d->name, digits, row);
}

/* qt_<table> as NAME.csv text: the header, then every row at its line;
 * *in_order FALSE (and NULL returned) when, read without `sort`, the rows
 * did not come in line order. */
static GString *
read_table (PGconn *conn, const QtTableDesc *d, gboolean sort, gboolean *in_order,
            GError **error)
{
  /* the table itself when unsorted: COPY then runs no query (a fifth
   * faster) */
  GString *sql = g_string_new (NULL);
  g_string_append_printf (sql, sort ? "COPY (SELECT source_line" : "COPY qt_%s (source_line",
                          d->name);
  for (guint c = 0; c < d->n_columns; c++)
    g_string_append_printf (sql, ", %s", d->columns[c]);
  if (sort)
    g_string_append_printf (sql, " FROM qt_%s ORDER BY source_line", d->name);
  g_string_append (sql, ") TO STDOUT WITH (FORMAT csv, NULL '\\N')");
  *in_order = TRUE;
  PGresult *r = PQexec (conn, sql->str);
  g_string_free (sql, TRUE);
  gboolean started = PQresultStatus (r) == PGRES_COPY_OUT;
  if (!started)
    qt_pg_failed (error, "reading the data set", PQresultErrorMessage (r));
  PQclear (r);
  if (!started)
    return NULL;
  g_autoptr (GString) csv = g_string_new (NULL);
  qt_csv_input_record (csv, d->columns, d->n_columns);
  guint at = 2;
  char *buf = NULL;
  int len;
  g_autoptr (GError) bad = NULL;
  while ((len = PQgetCopyData (conn, &buf, 0)) > 0)
    {
      guint line = row_line (buf);
      if (line == 0 || (sort && line < at))
        bad_line (&bad, d, buf, (gsize) len, line != 0);
      *in_order = *in_order && line >= at;
      if (*in_order && bad == NULL)
        append_row (csv, buf, (gsize) len, line, &at);
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
  if (ok && bad != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&bad));
      return NULL;
    }
  return ok && *in_order ? g_steal_pointer (&csv) : NULL;
}

/* A table in line order.  An import COPYs each file into an empty table
 * in line order, and the read transaction turns synchronised scans off, so
 * a plain scan returns the rows in that order without a sort (a third of
 * the read); should they come otherwise, the table is read again sorted. */
static GString *
table_csv (PGconn *conn, const QtTableDesc *d, GError **error)
{
  gboolean in_order;
  g_autoptr (GError) local = NULL;
  GString *csv = read_table (conn, d, FALSE, &in_order, &local);
  if (csv != NULL)
    return csv;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* sorted, rows out of order share a line: refused with the line */
  return read_table (conn, d, TRUE, &in_order, error);
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

/* The data set's files: those imported, and the tables whose files were
 * not but which hold rows (added with SQL, an optional file's table): a
 * row is never left out. */
static char *
stored_files_sql (void)
{
  GString *sql = g_string_new ("SELECT name FROM qt_data_file");
  for (guint t = 0; t < QT_TABLE_COUNT; t++)
    {
      const char *name = qt_table_desc ((QtTable) t)->name;
      g_string_append_printf (sql, " UNION SELECT '%s.csv' WHERE EXISTS (SELECT FROM qt_%s)", name,
                              name);
    }
  g_string_append (sql, " ORDER BY name");
  return g_string_free (sql, FALSE);
}


/* A second connection like `conn` (the same server, database and login),
 * or NULL. */
static PGconn *
connect_like (PGconn *conn)
{
  PQconninfoOption *opts = PQconninfo (conn);
  GPtrArray *keys = g_ptr_array_new (), *values = g_ptr_array_new ();
  for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
    if (o->val != NULL)
      {
        g_ptr_array_add (keys, o->keyword);
        g_ptr_array_add (values, o->val);
      }
  g_ptr_array_add (keys, NULL);
  g_ptr_array_add (values, NULL);
  PGconn *other = PQconnectdbParams ((const char *const *) keys->pdata,
                                     (const char *const *) values->pdata, 0);
  g_ptr_array_free (keys, TRUE);
  g_ptr_array_free (values, TRUE);
  PQconninfoFree (opts);
  if (PQstatus (other) == CONNECTION_OK)
    return other;
  PQfinish (other);
  return NULL;
}

/* The data files one connection writes: those of `tables` that were
 * imported. */
typedef struct {
  PGconn *conn;
  const char *dir;
  GPtrArray *files;   /* names stored in qt_data_file */
  gboolean largest;   /* order_lines alone (TRUE) or every other table */
  GError *error;
} DataJob;

static gboolean
write_tables (DataJob *job)
{
  for (guint t = 0; t < QT_TABLE_COUNT; t++)
    {
      if ((t == QT_TABLE_ORDER_LINES) != job->largest)
        continue;
      const QtTableDesc *d = qt_table_desc ((QtTable) t);
      g_autofree char *name = g_strconcat (d->name, ".csv", NULL);
      gboolean stored = FALSE;
      for (guint i = 0; i < job->files->len && !stored; i++)
        stored = strcmp (g_ptr_array_index (job->files, i), name) == 0;
      if (!stored)
        continue;
      g_autoptr (GString) csv = table_csv (job->conn, d, &job->error);
      if (csv == NULL
          || !qt_run_dir_put_private (job->dir, name, csv->str, csv->len, &job->error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
write_tables_thread (gpointer data)
{
  DataJob *job = data;
  if (!write_tables (job) && job->error == NULL)
    qt_pg_failed (&job->error, "reading the data set", "a table could not be read");
  return NULL;
}

/* A second connection reading the same snapshot as `conn` (whose
 * transaction is open), or NULL when none can be had. */
static PGconn *
share_snapshot (PGconn *conn)
{
  PGresult *r = PQexec (conn, "SELECT pg_export_snapshot ()");
  g_autofree char *id = PQresultStatus (r) == PGRES_TUPLES_OK ? g_strdup (PQgetvalue (r, 0, 0)) : NULL;
  PQclear (r);
  PGconn *other = id != NULL ? connect_like (conn) : NULL;
  if (other == NULL)
    return NULL;
  /* SET TRANSACTION SNAPSHOT takes no parameter: the server's own id, quoted */
  char *literal = PQescapeLiteral (other, id, strlen (id));
  g_autofree char *set = literal != NULL ? g_strdup_printf ("SET TRANSACTION SNAPSHOT %s", literal)
                                         : NULL;
  PQfreemem (literal);
  if (set == NULL
      || !qt_pg_exec (other, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL, NULL,
                      "starting a transaction", NULL)
      || !qt_pg_exec (other, set, 0, NULL, NULL, NULL, "sharing the snapshot", NULL)
      || !qt_pg_exec (other, "SET LOCAL synchronize_seqscans = off", 0, NULL, NULL, NULL,
                      "starting a transaction", NULL))
    g_clear_pointer (&other, PQfinish);
  return other;
}

/* Every imported table as NAME.csv in `dir`: order_lines (the largest) on
 * a second connection sharing the snapshot while this one reads the rest. */
static gboolean
write_data (PGconn *conn, const char *dir, GError **error)
{
  g_autofree char *sql = stored_files_sql ();
  g_autoptr (GPtrArray) files = names_of (conn, sql, error);
  if (files == NULL)
    return FALSE;
  if (files->len == 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "the database holds no data set: store one "
                   "with quotient db import first");
      return FALSE;
    }
  PGconn *other = share_snapshot (conn);
  DataJob lines = { other != NULL ? other : conn, dir, files, TRUE, NULL };
  DataJob rest = { conn, dir, files, FALSE, NULL };
  GThread *thread = other != NULL ? g_thread_try_new ("pg-read", write_tables_thread, &lines, NULL)
                                  : NULL;
  if (thread == NULL)
    write_tables_thread (&lines);
  write_tables_thread (&rest);
  if (thread != NULL)
    g_thread_join (thread);
  if (other != NULL)
    PQfinish (other);
  GError *first = lines.error != NULL ? lines.error : rest.error;
  if (first != NULL)
    g_propagate_error (error, g_error_copy (first));
  g_clear_error (&lines.error);
  g_clear_error (&rest.error);
  return first == NULL;
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
      /* names were plan files' base names when imported (".q3.json" is
       * one): nothing else */
      if (strchr (name, '/') != NULL || strcmp (name, ".") == 0 || strcmp (name, "..") == 0
          || name[0] == '\0')
        ok = qt_pg_failed (error, "reading the plans", "a stored plan name is not a file name");
      else
        ok = qt_run_dir_put_private (dir, name, PQgetvalue (r, i, 1),
                                     (gsize) PQgetlength (r, i, 1), error);
    }
  PQclear (r);
  return ok;
}

/* A rep's login may not read the data set (the server would refuse it
 * table by table): refused up front, as the lifecycle refuses finance's
 * commands to a rep. */
static gboolean
finance_only (PGconn *conn, GError **error)
{
  PGresult *r = PQexec (conn, "SELECT qt_login_rep ()");
  gboolean ok = PQresultStatus (r) == PGRES_TUPLES_OK
                || qt_pg_failed (error, "reading the login's role", PQresultErrorMessage (r));
  if (ok && !PQgetisnull (r, 0, 0))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_REFUSED, "the database login is rep %s's: only "
                   "finance may read the stored data set", PQgetvalue (r, 0, 0));
      ok = FALSE;
    }
  PQclear (r);
  return ok;
}

char *
qt_pg_materialize (PGconn *conn, GError **error)
{
  if (!qt_pg_schema_check (conn, error) || !finance_only (conn, error))
    return NULL;
  g_autofree char *root = qt_run_dir_make_private ("quotient-pg-XXXXXX", error);
  if (root == NULL)
    return NULL;
  g_autofree char *data = g_build_filename (root, "data", NULL);
  g_autofree char *plans = g_build_filename (root, "plans", NULL);
  /* One snapshot of both, taken once the tables are locked: an import
   * committing meanwhile is waited for and read whole.  (TRUNCATE is not
   * MVCC-safe: a snapshot from before it, the first statement's when it
   * reads a table, sees every table the import emptied as empty.) */
  g_autofree char *tables = qt_pg_data_set_tables ();
  g_autofree char *begin = g_strconcat ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET "
                                        "LOCAL synchronize_seqscans = off; LOCK TABLE ", tables,
                                        " IN ACCESS SHARE MODE", NULL);
  gboolean ok = qt_pg_exec (conn, begin, 0, NULL, NULL, NULL, "starting a transaction", error);
  ok = ok && qt_run_dir_put_private (root, "data", NULL, 0, error)
       && qt_run_dir_put_private (root, "plans", NULL, 0, error) && write_data (conn, data, error)
       && write_plans (conn, plans, error);
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
  qt_run_dir_remove_private (root);
}

void
qt_pg_name_stored (const char *root, GError *error)
{
  if (root == NULL)
    return;
  const char *const dirs[] = { "data", "plans" };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *prefix = g_strconcat (root, G_DIR_SEPARATOR_S, dirs[i], G_DIR_SEPARATOR_S,
                                             NULL);
      qt_error_replace (error, prefix, "");
    }
}
