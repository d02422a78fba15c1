/* run/pg_read.h — the data set stored in PostgreSQL (run/pg_import.h) as a
 * data set directory again, so that `quotient run --pg` (and `rebate
 * --pg`) is the file back end's own pipeline, with the same loaders,
 * refusals and bytes: every table's rows in their file order, each at the
 * line it was imported from (blank lines, which a CSV reader skips while
 * counting them, fill the gaps), and the plan files as stored. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "pg_schema.h"

G_BEGIN_DECLS

/* Writes ROOT/data/ and ROOT/plans/ in a new private temporary directory
 * ROOT (read in one snapshot of the database) and returns ROOT; remove it
 * with qt_pg_forget.  QT_ERROR_USAGE when the schema is not this binary's,
 * QT_ERROR_IO when reading fails.  (transfer full) */
char *qt_pg_materialize (PGconn *conn, GError **error);
void qt_pg_forget (const char *root);

/* A failure of the command that read ROOT, its files named as the data
 * set's own ("order_lines.csv:3:4: …", as exception rows name them: the
 * file a row was imported from and its source_line) instead of by the
 * temporary directory, which is gone once the command ends.  Nothing when
 * either is NULL. */
void qt_pg_name_stored (const char *root, GError *error);

G_END_DECLS
