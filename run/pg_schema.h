/* run/pg_schema.h — the PostgreSQL back end's schema (SPEC §9): versioned
 * migrations compiled into the binary and recorded, one row each, in the
 * table quotient_schema.  `quotient db init` applies the missing ones in
 * one transaction; a database whose schema is newer than the binary is
 * refused. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The newest schema version this binary knows. */
#define QT_PG_SCHEMA_VERSION 6

/* A connection to `conninfo` (a libpq connection string or URI; NULL or ""
 * takes everything from the PG* environment variables).  QT_ERROR_IO with
 * the server's or libpq's reason when it cannot be reached (libpq never
 * puts a password in it).  (transfer full: PQfinish) */
PGconn *qt_pg_connect (const char *conninfo, GError **error);

/* Creates the schema or brings it up to QT_PG_SCHEMA_VERSION, in one
 * transaction under a lock (two concurrent inits apply each migration
 * once).  *from: the version found (0: none), *to: the version now.
 * QT_ERROR_USAGE when the database's schema is newer than this binary;
 * QT_ERROR_IO when a statement fails (nothing is changed then). */
gboolean qt_pg_schema_init (PGconn *conn, gint *from, gint *to, GError **error);

/* The same up to version `target` only (1..QT_PG_SCHEMA_VERSION): the
 * tests make a database of an earlier version to migrate it. */
gboolean qt_pg_schema_init_to (PGconn *conn, gint target, gint *from, gint *to, GError **error);

/* QT_ERROR_USAGE unless the database's schema is this binary's version
 * ("run quotient db init", or a newer schema). */
gboolean qt_pg_schema_check (PGconn *conn, GError **error);

/* The stored data set's tables as an SQL list — "qt_data_file,
 * qt_plan_file, qt_reps, …" — in the one order every command that empties
 * or reads them all takes their locks (so that none waits for another in a
 * circle). (transfer full) */
char *qt_pg_data_set_tables (void);

/* Makes the login role `login` (which must exist) finance's (`rep` NULL:
 * it reads and changes everything) or rep `rep`'s (row-level security: it
 * reads that rep's statements, payout rows and appeals, and files and
 * votes as that rep only). */
gboolean qt_pg_grant (PGconn *conn, const char *login, const char *rep, GError **error);

/* QT_ERROR_IO `PostgreSQL: WHAT failed: WHY` (libpq's or the server's
 * message on one line); FALSE, for a tail call. */
gboolean qt_pg_failed (GError **error, const char *what, const char *why);

/* Runs `sql` with `n` parameters (values, lengths and formats as
 * PQexecParams takes them: never SQL built from data; n = 0 runs `sql` as
 * it is, several statements allowed); FALSE with qt_pg_failed's error. */
gboolean qt_pg_exec (PGconn *conn, const char *sql, int n, const char *const *values,
                     const int *lengths, const int *formats, const char *what, GError **error);

/* As qt_pg_exec, for a query whose rows the caller reads: the result
 * (PQclear it), or NULL with qt_pg_failed's error. */
PGresult *qt_pg_query (PGconn *conn, const char *sql, int n, const char *const *values,
                       const int *lengths, const int *formats, int result_format,
                       const char *what, GError **error);

/* COPY … FROM STDIN: rows appended to `buf` are sent a mebibyte at a time. */
typedef struct {
  PGconn *conn;
  GString *buf;
  const char *what;
} QtPgCopy;

/* Starts `sql` (a COPY … FROM STDIN). */
gboolean qt_pg_copy_begin (QtPgCopy *c, PGconn *conn, const char *sql, const char *what,
                           GError **error);
/* Sends c->buf once it holds a mebibyte or more (`all`: whatever it holds). */
gboolean qt_pg_copy_flush (QtPgCopy *c, gboolean all, GError **error);
/* Sends the rest and ends the COPY (cancels it unless `ok`); the COPY's
 * outcome. */
gboolean qt_pg_copy_end (QtPgCopy *c, gboolean ok, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
