/* run/pg_store.h — runs stored in PostgreSQL (SPEC §9): a run directory
 * kept whole, every file by its path with its bytes stored once by
 * SHA-256 (the evidence store among them), the journal a line per row
 * whose hash chain the server checks, and each statement (JSONB) and
 * payout row (a JSONB object) beside them for queries and for row-level
 * security (docs/formats.md, "PostgreSQL").
 *
 * A command on a stored run checks the run out into a private temporary
 * directory, inside one transaction that holds the run's lock, runs the
 * file back end's own code on it, and checks in what changed: the same
 * rules, messages, exit codes and bytes as on a run directory, and
 * nothing stored when anything fails. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "../reports/output.h"
#include "manifest.h"
#include "pg_schema.h"

G_BEGIN_DECLS

/* A run being stored as it is computed: every file the pipeline puts
 * into the sink streams to the server (COPY), and the run appears in the
 * database at qt_pg_store_commit, in one transaction, or not at all. */
typedef struct QtPgStore QtPgStore;

/* Begins storing the run of `period` (YYYY-MM: commissions, YYYY-Qn:
 * rebates).  When the database holds a run of that kind and period
 * already: QT_ERROR_USAGE unless `replace`, and with `replace`
 * QT_ERROR_REFUSED once it was published (its journal is not empty).
 * (transfer full) */
QtPgStore *qt_pg_store_begin (PGconn *conn, const char *period, gboolean replace, GError **error);
/* Where the run's files go; `put` is not thread-safe (a queue's thread
 * calls it).  (transfer none) */
QtOutputSink *qt_pg_store_sink (QtPgStore *store);
/* Stores the files put, the statements and payout rows, and commits;
 * frees `store`. */
gboolean qt_pg_store_commit (QtPgStore *store, GError **error);
/* Rolls back and frees `store`. */
void qt_pg_store_abort (QtPgStore *store);

/* QT_ERROR_USAGE when the database holds a run of `period` already and
 * `replace` is not given; QT_ERROR_REFUSED when it is given but the run
 * is published or closed: the check `run --pg` makes before computing. */
gboolean qt_pg_check_new_run (PGconn *conn, const char *period, gboolean replace,
                              GError **error);

typedef enum {
  QT_PG_CHECKOUT_ALL,       /* every file: recalc, export */
  QT_PG_CHECKOUT_LIFECYCLE, /* the manifest, the snapshot's reps, customers,
                               products, orders and plans: publish, appeal,
                               close */
  QT_PG_CHECKOUT_TABLES,    /* the tables and manifests of every revision:
                               diff, prior-period */
} QtPgCheckoutScope;

typedef struct QtPgRun QtPgRun;

/* Begins a transaction on `conn`, takes the lock of the stored run of
 * `period` (YYYY-MM: a commission run, YYYY-Qn: a rebate run) and writes
 * it into a new private temporary directory.  A login mapped to a rep
 * (qt_rep_login) gets what row-level security lets it read, and its
 * journal as qt_journal_view gives it (read it with
 * qt_journal_read_view).  QT_ERROR_USAGE when no such run is stored.
 * (transfer full) */
QtPgRun *qt_pg_checkout (PGconn *conn, const char *period, QtPgCheckoutScope scope,
                         GError **error);
/* The run directory checked out. (transfer none) */
const char *qt_pg_run_dir (const QtPgRun *run);
/* The rep of the database login, NULL for a finance login. (transfer none) */
const char *qt_pg_run_login_rep (const QtPgRun *run);
/* Stores what changed in the directory (files, evidence, journal lines,
 * statements and payout rows) and commits; FALSE (rolled back) when the
 * server refuses any of it. */
gboolean qt_pg_checkin (QtPgRun *run, GError **error);
/* Rolls back what was not checked in and removes the directory. */
void qt_pg_run_free (QtPgRun *run);

/* Writes the stored run of `period` as the new run directory `out`
 * (atomically and durably, as `quotient run` writes one): `quotient
 * verify` accepts it anywhere. */
gboolean qt_pg_export (PGconn *conn, const char *period, const char *out, GError **error);

/* The text (or JSON) statement of `rep` in the stored commission run of
 * `period`, checked against its SHA-256; `rep` NULL: the rep of the
 * database login.  Row-level security lets a rep's login read its own
 * only.  QT_ERROR_USAGE when there is no such statement to read.
 * (transfer full) */
GBytes *qt_pg_statement (PGconn *conn, const char *period, const char *rep, gboolean json,
                         GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtPgRun, qt_pg_run_free)

G_END_DECLS
