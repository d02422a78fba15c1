/* run/pg_import.h — `quotient db import` (SPEC §9): a data set directory and
 * its plans replace the data set stored in PostgreSQL, in one transaction,
 * bulk-loaded with COPY.  The files are also read exactly as `quotient run`
 * (or `quotient rebate`) reads them, on a thread of their own while the
 * COPYs run, and nothing is committed unless they pass: a bad file is
 * refused with the same `file:line:column` message and the database keeps
 * its bytes.  Each row keeps its line in its file
 * (qt_<table>.source_line). */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "pg_schema.h"

G_BEGIN_DECLS

typedef struct {
  guint files;    /* data files imported */
  guint64 rows;   /* their data rows */
  guint plans;    /* plan files */
} QtPgImport;

/* Imports DIR and PLANS through `conn` (whose schema must be this binary's
 * version: QT_ERROR_USAGE otherwise, naming `quotient db init`). */
gboolean qt_pg_import (PGconn *conn, const char *data_dir, const char *plans_dir,
                       QtPgImport *done, GError **error);

G_END_DECLS
