/* run/pg_schema.c — schema migrations of the PostgreSQL back end (see
 * pg_schema.h). */
#include "pg_schema.h"

#include <stdlib.h>
#include <string.h>

#include "../model/qt_error.h"

/* Migration N brings the schema from version N - 1 to N.  Never edited
 * once released: a change is a new migration. */
static const char *const migrations[QT_PG_SCHEMA_VERSION] = {
  /* 1: the data set of SPEC §2 and §11, a table per file: each field the
   * text of its CSV cell (the file loader's rules validate it on the way in
   * and out), each row with its line in the file it came from; which
   * files were imported; the plan files as stored. */
  "CREATE TABLE qt_data_file (name text PRIMARY KEY, rows integer NOT NULL, sha256 text NOT "
  "NULL);"
  "CREATE TABLE qt_reps (source_line integer NOT NULL, rep_id text NOT NULL, name text "
  "NOT NULL, team_id text NOT NULL, manager_id text NOT NULL, plan_id text NOT NULL);"
  "CREATE TABLE qt_customers (source_line integer NOT NULL, customer_id text NOT NULL, "
  "name text NOT NULL);"
  "CREATE TABLE qt_products (source_line integer NOT NULL, product_id text NOT NULL, "
  "name text NOT NULL, category text NOT NULL);"
  "CREATE TABLE qt_orders (source_line integer NOT NULL, order_id text NOT NULL, "
  "customer_id text NOT NULL, rep_id text NOT NULL, signed_on text NOT NULL, status text "
  "NOT NULL);"
  "CREATE TABLE qt_order_lines (source_line integer NOT NULL, order_id text NOT NULL, "
  "line_no text NOT NULL, product_id text NOT NULL, quantity text NOT NULL, unit_price text "
  "NOT NULL, unit_cost text NOT NULL);"
  "CREATE TABLE qt_splits (source_line integer NOT NULL, order_id text NOT NULL, rep_id "
  "text NOT NULL, share text NOT NULL);"
  "CREATE TABLE qt_receipts (source_line integer NOT NULL, receipt_id text NOT NULL, "
  "order_id text NOT NULL, received_on text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_activities (source_line integer NOT NULL, rep_id text NOT NULL, "
  "period text NOT NULL, metric text NOT NULL, value text NOT NULL);"
  "CREATE TABLE qt_quotas (source_line integer NOT NULL, rep_id text NOT NULL, period "
  "text NOT NULL, quota text NOT NULL);"
  "CREATE TABLE qt_adjustments (source_line integer NOT NULL, adjustment_id text NOT "
  "NULL, rep_id text NOT NULL, period text NOT NULL, amount text NOT NULL, reason text NOT "
  "NULL);"
  "CREATE TABLE qt_partners (source_line integer NOT NULL, partner_id text NOT NULL, "
  "name text NOT NULL, rebate_plan text NOT NULL);"
  "CREATE TABLE qt_shipments (source_line integer NOT NULL, shipment_id text NOT NULL, "
  "partner_id text NOT NULL, product_id text NOT NULL, shipped_on text NOT NULL, quantity "
  "text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_partner_invoices (source_line integer NOT NULL, invoice_id text NOT "
  "NULL, shipment_id text NOT NULL, invoiced_on text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_acceptances (source_line integer NOT NULL, acceptance_id text NOT "
  "NULL, shipment_id text NOT NULL, accepted_on text NOT NULL, quantity text NOT NULL);"
  "CREATE TABLE qt_plan_file (name text PRIMARY KEY, content bytea NOT NULL, sha256 text "
  "NOT NULL);",
};

/* The server's notices ("relation … already exists, skipping") are not
 * the user's concern: errors come back as results. */
static void
ignore_notice (void *arg, const char *message)
{
  (void) arg, (void) message;
}

/* libpq's message on one line (it continues lines with "\n\t"). */
static char *
one_line (const char *message)
{
  g_auto (GStrv) parts = g_strsplit_set (message, "\n\t", -1);
  g_autofree char *joined = g_strjoinv (" ", parts);
  g_autoptr (GRegex) spaces = g_regex_new ("  +", 0, 0, NULL);
  char *text = g_regex_replace_literal (spaces, joined, -1, 0, " ", 0, NULL);
  return g_strstrip (text);
}

PGconn *
qt_pg_connect (const char *conninfo, GError **error)
{
  PGconn *conn = PQconnectdb (conninfo != NULL ? conninfo : "");
  if (PQstatus (conn) == CONNECTION_OK)
    {
      PQsetNoticeProcessor (conn, ignore_notice, NULL);
      return conn;
    }
  g_autofree char *why = one_line (PQerrorMessage (conn));
  g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "cannot connect to PostgreSQL: %s", why);
  PQfinish (conn);
  return NULL;
}

gboolean
qt_pg_failed (GError **error, const char *what, const char *why)
{
  g_autofree char *line = one_line (why);
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "PostgreSQL: %s failed: %s", what, line);
  return FALSE;
}

gboolean
qt_pg_exec (PGconn *conn, const char *sql, int n, const char *const *values, const int *lengths,
            const int *formats, const char *what, GError **error)
{
  /* without parameters: PQexec, which also runs a migration's several statements */
  PGresult *r = n == 0 ? PQexec (conn, sql)
                       : PQexecParams (conn, sql, n, NULL, values, lengths, formats, 0);
  ExecStatusType st = PQresultStatus (r);
  gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK
                || qt_pg_failed (error, what, PQresultErrorMessage (r));
  PQclear (r);
  return ok;
}

/* qt_pg_exec of a statement without parameters. */
static gboolean
exec (PGconn *conn, const char *sql, const char *what, GError **error)
{
  return qt_pg_exec (conn, sql, 0, NULL, NULL, NULL, what, error);
}

/* The highest version recorded, 0 when none. */
static gboolean
current_version (PGconn *conn, gint *version, GError **error)
{
  PGresult *r = PQexec (conn, "SELECT coalesce(max(version), 0) FROM quotient_schema");
  gboolean ok = PQresultStatus (r) == PGRES_TUPLES_OK && PQntuples (r) == 1;
  if (ok)
    *version = atoi (PQgetvalue (r, 0, 0));
  else
    qt_pg_failed (error, "reading the schema version", PQresultErrorMessage (r));
  PQclear (r);
  return ok;
}

static gboolean
migrate (PGconn *conn, gint *from, gint *to, GError **error)
{
  /* A second init waits here for the first to commit (CREATE TABLE IF NOT
   * EXISTS alone is not safe against a concurrent one); the key is
   * quotient's, 'qtsc' in ASCII. */
  if (!exec (conn, "SELECT pg_advisory_xact_lock (1903457123)", "waiting for other inits", error)
      || !exec (conn, "CREATE TABLE IF NOT EXISTS quotient_schema ("
                      "  version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                "creating quotient_schema", error)
      || !current_version (conn, from, error))
    return FALSE;
  if (*from > QT_PG_SCHEMA_VERSION)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "the database's quotient schema is version %d, newer than this quotient's "
                   "(%d): use a newer quotient", *from, QT_PG_SCHEMA_VERSION);
      return FALSE;
    }
  for (gint v = *from + 1; v <= QT_PG_SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf ("migration %d", v);
      g_autofree char *record = g_strdup_printf ("INSERT INTO quotient_schema (version) VALUES (%d)", v);
      if (!exec (conn, migrations[v - 1], what, error) || !exec (conn, record, what, error))
        return FALSE;
    }
  *to = QT_PG_SCHEMA_VERSION;
  return TRUE;
}

gboolean
qt_pg_schema_check (PGconn *conn, GError **error)
{
  PGresult *r = PQexec (conn, "SELECT coalesce(max(version), 0) FROM quotient_schema");
  gint v = PQresultStatus (r) == PGRES_TUPLES_OK ? atoi (PQgetvalue (r, 0, 0)) : 0;
  PQclear (r);
  if (v == QT_PG_SCHEMA_VERSION)
    return TRUE;
  if (v > QT_PG_SCHEMA_VERSION)
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "the database's quotient schema is version %d, newer than this quotient's "
                 "(%d): use a newer quotient", v, QT_PG_SCHEMA_VERSION);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "the database has no quotient schema of version %d (it has %d): run quotient db "
                 "init first", QT_PG_SCHEMA_VERSION, v);
  return FALSE;
}

gboolean
qt_pg_schema_init (PGconn *conn, gint *from, gint *to, GError **error)
{
  *from = *to = 0;
  if (!exec (conn, "BEGIN", "starting a transaction", error))
    return FALSE;
  if (!migrate (conn, from, to, error))
    {
      exec (conn, "ROLLBACK", "rolling back", NULL);
      return FALSE;
    }
  return exec (conn, "COMMIT", "committing the schema", error);
}
