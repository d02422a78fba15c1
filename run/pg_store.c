/* run/pg_store.c — runs stored in PostgreSQL (see pg_store.h). */
#include "pg_store.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "run_dir.h"
#include "statement_view.h"

/* The journal is a table, not a file of the stored run. */
#define JOURNAL "journal.jsonl"
/* The advisory lock key ('qtsc' + 2) that, with a run's kind and period,
 * serialises the commands on one run and the store that would replace it. */
#define LOCK_RUN 1903457125
/* The advisory lock key ('qtsc' + 3) of qt_blob's garbage: every command
 * storing files holds it shared from before it reads which blobs are
 * stored until it commits, and the collection runs only when it can have
 * it alone, so that no blob a command counts on is deleted under it. */
#define LOCK_BLOBS "1903457126"

static gboolean
exec0 (PGconn *conn, const char *sql, const char *what, GError **error)
{
  return qt_pg_exec (conn, sql, 0, NULL, NULL, NULL, what, error);
}

/* Holds the blob lock shared until the transaction ends. */
static gboolean
hold_blobs (PGconn *conn, GError **error)
{
  return exec0 (conn, "SELECT pg_advisory_xact_lock_shared (" LOCK_BLOBS ")",
                "waiting for the blob store", error);
}

/* The kind of the runs of `period` (a quarter: rebates). */
static QtRunKind
period_run_kind (const char *period)
{
  return strchr (period, 'Q') != NULL ? QT_RUN_REBATE : QT_RUN_COMMISSION;
}

/* Its name in the manifest and in qt_run. */
static const char *
period_kind (const char *period)
{
  return qt_run_kind_name (period_run_kind (period));
}

/* ---- the files of a directory ---- */

typedef struct {
  char *path;     /* '/'-separated, inside the run */
  GBytes *bytes;
  char sha256[65];
} StoreFile;

static void
store_file_free (gpointer p)
{
  StoreFile *f = p;
  g_free (f->path);
  g_bytes_unref (f->bytes);
  g_free (f);
}

static gint
by_path (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(StoreFile *const *) a)->path, (*(StoreFile *const *) b)->path);
}

/* Every regular file under ROOT/rel except the journal, into `files`. */
static gboolean
scan (const char *root, const char *rel, GPtrArray *files, GError **error)
{
  g_autofree char *dir_path = rel[0] != '\0' ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr (GError) local = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &local);
  if (dir == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: %s", dir_path, local->message);
      return FALSE;
    }
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *sub = rel[0] != '\0' ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (root, sub, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!scan (root, sub, files, error))
            return FALSE;
          continue;
        }
      if (strcmp (sub, JOURNAL) == 0)
        continue;
      GBytes *bytes = qt_run_read_file (root, sub, G_MAXSIZE, error);
      if (bytes == NULL)
        return FALSE;
      StoreFile *f = g_new0 (StoreFile, 1);
      f->path = g_steal_pointer (&sub);
      f->bytes = bytes;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autofree char *sha = qt_sha256_hex (data, len);
      memcpy (f->sha256, sha, 65);
      g_ptr_array_add (files, f);
    }
  return TRUE;
}

/* ---- blobs and file rows ---- */

/* `list` as a PostgreSQL text[] literal of plain words (hashes, paths
 * quoted). */
static char *
text_array (GPtrArray *files, gboolean paths)
{
  GString *s = g_string_new ("{");
  for (guint i = 0; i < files->len; i++)
    {
      const StoreFile *f = g_ptr_array_index (files, i);
      const char *v = paths ? f->path : f->sha256;
      g_string_append (s, i > 0 ? ",\"" : "\"");
      for (const char *p = v; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
put_be32 (GString *buf, guint32 v)
{
  const char b[4] = { (char) (v >> 24), (char) (v >> 16), (char) (v >> 8), (char) v };
  g_string_append_len (buf, b, 4);
}

/* One field of a row of COPY's binary format; NULL: SQL NULL. */
static void
put_field (GString *buf, const char *data, gsize len)
{
  put_be32 (buf, data != NULL ? (guint32) len : 0xffffffffu);
  if (data != NULL)
    g_string_append_len (buf, data, (gssize) len);
}

/* The bytes of `bytes`, "" when empty (never NULL: NULL is "not sent"). */
static const char *
bytes_data (GBytes *bytes, gsize *len)
{
  const char *data = g_bytes_get_data (bytes, len);
  return data != NULL ? data : "";
}

/* Files go into a run through the temporary table qt_run_in (path,
 * sha256, content, rep_id), one COPY: its trigger (qt_blob_take) moves
 * each file's bytes into qt_blob as it arrives, keeping a blob stored
 * meanwhile by another transaction (or one this login may not see) as it
 * is; qt_run_file's rows are made from it at the end (files_in_end). */
static gboolean
files_in_begin (QtPgCopy *c, PGconn *conn, GError **error)
{
  if (!exec0 (conn, "CREATE TEMP TABLE qt_run_in (path text, sha256 text, content bytea, rep_id "
                    "text) ON COMMIT DROP; CREATE TRIGGER qt_blob_take BEFORE INSERT ON qt_run_in "
                    "FOR EACH ROW EXECUTE FUNCTION qt_blob_take ()", "storing the run's files",
              error)
      || !qt_pg_copy_begin (c, conn, "COPY qt_run_in FROM STDIN (FORMAT binary)",
                            "storing the run's files", error))
    return FALSE;
  g_string_append_len (c->buf, "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
  return TRUE;
}

/* One file: its path and hash, its bytes unless `data` is NULL (stored
 * already), and the rep whose statement it is (or NULL). */
static gboolean
files_in_put (QtPgCopy *c, const char *path, const char *sha256, const char *data, gsize len,
              const char *rep_id, GError **error)
{
  g_string_append_len (c->buf, "\0\4", 2);
  put_field (c->buf, path, strlen (path));
  put_field (c->buf, sha256, 64);
  put_field (c->buf, data, len);
  put_field (c->buf, rep_id, rep_id != NULL ? strlen (rep_id) : 0);
  return qt_pg_copy_flush (c, FALSE, error);
}

/* Ends the COPY (`ok` FALSE: cancels it) and adds the files' rows to run
 * `run_id`. */
static gboolean
files_in_end (QtPgCopy *c, const char *run_id, gboolean ok, GError **error)
{
  g_string_append_len (c->buf, "\377\377", 2);
  const char *const values[] = { run_id };
  return qt_pg_copy_end (c, ok, error)
         && ok
         && qt_pg_exec (c->conn, "INSERT INTO qt_run_file (run_id, path, sha256) SELECT $1, path, "
                        "sha256 FROM qt_run_in ON CONFLICT DO NOTHING", 1, values, NULL, NULL,
                        "storing the run's files", error);
}

/* `files` into run `run_id` (their rows and, unless stored already, their
 * bytes). */
static gboolean
store_files (PGconn *conn, const char *run_id, GPtrArray *files, GError **error)
{
  g_autofree char *shas = text_array (files, FALSE);
  const char *const values[] = { shas };
  if (!hold_blobs (conn, error))
    return FALSE;
  g_autoptr (PGresult) known = qt_pg_query (conn, "SELECT sha256 FROM qt_blob WHERE sha256 = ANY "
                                            "($1::text[])", 1, values, NULL, NULL, 0,
                                            "storing the run", error);
  if (known == NULL)
    return FALSE;
  g_autoptr (GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 0; i < PQntuples (known); i++)
    g_hash_table_add (stored, PQgetvalue (known, i, 0));
  QtPgCopy c;
  if (!files_in_begin (&c, conn, error))
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < files->len; i++)
    {
      const StoreFile *f = g_ptr_array_index (files, i);
      gsize len;
      const char *data = bytes_data (f->bytes, &len);
      gboolean send = !g_hash_table_contains (stored, f->sha256);
      if (send)
        g_hash_table_add (stored, (gpointer) f->sha256);
      ok = files_in_put (&c, f->path, f->sha256, send ? data : NULL, len, NULL, error);
    }
  return files_in_end (&c, run_id, ok, error);
}

/* ---- statements and payout rows ---- */

/* Which rep's statement each file of a run being stored is (qt_statement
 * shows them as JSONB, parsed from the stored bytes when read). */
static const char statements_from_incoming[] =
  "INSERT INTO qt_statement_file (run_id, rep_id, stem) SELECT $1, rep_id, substr (path, 12, "
  "length (path) - 16) FROM qt_run_in WHERE rep_id IS NOT NULL";

/* The payout rows of a run: the rows of its payout.json, as they are (a
 * rebate run has none), from its stored files. */
static const char payout_from_files[] =
  "INSERT INTO qt_payout (run_id, rep_id, payout) SELECT f.run_id, e->>'rep_id', e FROM "
  "qt_run_file f JOIN qt_blob b ON b.sha256 = f.sha256 CROSS JOIN LATERAL jsonb_array_elements "
  "(convert_from (b.content, 'UTF8')::jsonb->'rows') e WHERE f.run_id = $1 AND f.path = "
  "'payout.json'";

/* The payout rows of a run, derived again from its stored payout.json
 * (once its file rows are stored: an unchanged file is not sent again). */
static gboolean
derive_payout (PGconn *conn, const char *run_id, GError **error)
{
  const char *const values[] = { run_id };
  return qt_pg_exec (conn, "DELETE FROM qt_payout WHERE run_id = $1", 1, values, NULL, NULL,
                     "storing the payout rows", error)
         && qt_pg_exec (conn, payout_from_files, 1, values, NULL, NULL, "storing the payout rows",
                        error);
}

/* ---- storing a new run ---- */

/* The id of the stored run of `period` (NULL: none) and whether it has a
 * journal.  (transfer full) */
static gboolean
find_run (PGconn *conn, const char *period, char **run_id, gboolean *journaled, GError **error)
{
  const char *const values[] = { period_kind (period), period };
  g_autoptr (PGresult) r = qt_pg_query (
    conn, "SELECT run_id, EXISTS (SELECT FROM qt_journal j WHERE j.run_id = r.run_id) FROM "
          "qt_run r WHERE kind = $1 AND period = $2", 2, values, NULL, NULL, 0,
    "finding the run", error);
  if (r == NULL)
    return FALSE;
  *run_id = PQntuples (r) == 1 ? g_strdup (PQgetvalue (r, 0, 0)) : NULL;
  *journaled = PQntuples (r) == 1 && strcmp (PQgetvalue (r, 0, 1), "t") == 0;
  return TRUE;
}

/* The rule of `run --replace` (SPEC §8.1 rule 1) for a stored run. */
static gboolean
may_store (PGconn *conn, const char *period, gboolean replace, char **old, GError **error)
{
  gboolean journaled = FALSE;
  if (!find_run (conn, period, old, &journaled, error))
    return FALSE;
  if (*old != NULL && !replace)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "the database holds a run of %s already: give --replace to replace it while "
                   "it is a draft", period);
      return FALSE;
    }
  if (*old != NULL && journaled)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_REFUSED,
                   "the stored run of %s is published or closed: --replace only replaces a "
                   "draft run", period);
      return FALSE;
    }
  return TRUE;
}

gboolean
qt_pg_check_new_run (PGconn *conn, const char *period, gboolean replace, GError **error)
{
  g_autofree char *old = NULL;
  return qt_pg_schema_check (conn, error) && may_store (conn, period, replace, &old, error);
}

struct QtPgStore {
  QtOutputSink sink;
  PGconn *conn;
  char *run_id;
  QtPgCopy copy;
  gboolean copying;
  GHashTable *known;   /* SHA-256 of the files stored already (the inputs,
                        * the replaced run's) or sent */
  gboolean replacing;  /* a draft of the period was deleted: its blobs may
                        * be garbage now */
};

static void
store_free (QtPgStore *st)
{
  g_free (st->run_id);
  g_clear_pointer (&st->known, g_hash_table_unref);
  qt_output_sink_clear (&st->sink);
  g_free (st);
}

void
qt_pg_store_abort (QtPgStore *st)
{
  if (st == NULL)
    return;
  if (st->copying)
    {
      files_in_end (&st->copy, st->run_id, FALSE, NULL);
      st->copying = FALSE;
    }
  PQclear (PQexec (st->conn, "ROLLBACK"));
  store_free (st);
}

/* Whether `path` is a statement's JSON (not an earlier revision's). */
static gboolean
is_statement_json (const char *path)
{
  return g_str_has_prefix (path, "statements/") && g_str_has_suffix (path, ".json")
         && strchr (path + 11, '/') == NULL;
}

/* The rep_id of a rep's statement JSON (its "rep" object, near the top),
 * NULL for another statement (a partner's).  Only that object is parsed:
 * the server never parses a statement to store it.  (transfer full) */
static char *
statement_rep_id (const char *data, gsize len)
{
  static const char key[] = "\n  \"rep\": ";
  const char *at = g_strstr_len (data, (gssize) MIN (len, 4096), key);
  if (at == NULL)
    return NULL;
  at += sizeof key - 1;
  cJSON *rep = cJSON_ParseWithLengthOpts (at, len - (gsize) (at - data), NULL, FALSE);
  const cJSON *id = cJSON_GetObjectItemCaseSensitive (rep, "rep_id");
  char *rep_id = cJSON_IsString (id) ? g_strdup (id->valuestring) : NULL;
  cJSON_Delete (rep);
  return rep_id;
}

/* One file of the run: its bytes unless stored already (an input, or a
 * file of the replaced run), and the rep of a rep's statement. */
static gboolean
store_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  QtPgStore *st = (QtPgStore *) sink;
  gsize len;
  const char *data = bytes_data (bytes, &len);
  gboolean send = !g_hash_table_contains (st->known, file->sha256);
  if (send)
    g_hash_table_add (st->known, g_strdup (file->sha256));
  g_autofree char *rep_id = is_statement_json (file->name) ? statement_rep_id (data, len) : NULL;
  return files_in_put (&st->copy, file->name, file->sha256, send ? data : NULL, len, rep_id, error);
}

/* Deletes every blob no run holds any more (those of replaced drafts),
 * unless another command is storing files: then nothing now, the next
 * collection takes them. */
static gboolean
collect_garbage (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) r = qt_pg_query (conn, "SELECT pg_try_advisory_xact_lock (" LOCK_BLOBS ")",
                                        0, NULL, NULL, NULL, 0, "collecting unused files", error);
  if (r == NULL)
    return FALSE;
  return strcmp (PQgetvalue (r, 0, 0), "t") != 0
         || exec0 (conn, "DELETE FROM qt_blob b WHERE NOT EXISTS (SELECT FROM qt_run_file f "
                         "WHERE f.sha256 = b.sha256)", "collecting unused files", error);
}

/* The run's row and the COPY its files stream into. */
static gboolean
store_start (QtPgStore *st, const char *period, gboolean replace, GError **error)
{
  g_autofree char *old = NULL;
  const char *const values[] = { period_kind (period), period };
  /* one store of a period at a time: the second sees the first's run */
  g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%d, hashtext ($1 || $2))",
                                           LOCK_RUN);
  if (!qt_pg_exec (st->conn, lock, 2, values, NULL, NULL, "waiting for other runs", error)
      || !may_store (st->conn, period, replace, &old, error) || !hold_blobs (st->conn, error))
    return FALSE;
  /* an input snapshot is stored once, whichever runs read it, and a file
   * the replaced run had already (most statements of a rerun) is not sent
   * again: its blob stays when the run goes */
  const char *const del[] = { old };
  g_autoptr (PGresult) known = qt_pg_query (st->conn, "SELECT DISTINCT sha256 FROM qt_run_file "
                                            "WHERE path LIKE 'inputs/%' OR run_id = $1::bigint",
                                            1, del, NULL, NULL, 0, "storing the run", error);
  if (known == NULL
      || (old != NULL && !qt_pg_exec (st->conn, "DELETE FROM qt_run WHERE run_id = $1", 1, del,
                                      NULL, NULL, "replacing the run", error)))
    return FALSE;
  st->replacing = old != NULL;
  g_autoptr (PGresult) r = qt_pg_query (st->conn, "INSERT INTO qt_run (kind, period) VALUES ($1, "
                                        "$2) RETURNING run_id", 2, values, NULL, NULL, 0,
                                        "storing the run", error);
  if (r == NULL)
    return FALSE;
  st->run_id = g_strdup (PQgetvalue (r, 0, 0));
  for (int i = 0; i < PQntuples (known); i++)
    g_hash_table_add (st->known, g_strdup (PQgetvalue (known, i, 0)));
  st->copying = files_in_begin (&st->copy, st->conn, error);
  return st->copying;
}

QtPgStore *
qt_pg_store_begin (PGconn *conn, const char *period, gboolean replace, GError **error)
{
  if (!qt_pg_schema_check (conn, error) || !exec0 (conn, "BEGIN", "starting a transaction", error))
    return NULL;
  QtPgStore *st = g_new0 (QtPgStore, 1);
  qt_output_sink_init (&st->sink, store_put);
  st->conn = conn;
  st->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!store_start (st, period, replace, error))
    {
      qt_pg_store_abort (st);
      return NULL;
    }
  return st;
}

QtOutputSink *
qt_pg_store_sink (QtPgStore *st)
{
  return &st->sink;
}

/* The rows of the files streamed, then what is derived from them. */
static gboolean
store_finish (QtPgStore *st, GError **error)
{
  st->copying = FALSE;
  const char *const values[] = { st->run_id };
  return files_in_end (&st->copy, st->run_id, TRUE, error)
         && qt_pg_exec (st->conn, statements_from_incoming, 1, values, NULL, NULL,
                        "storing the statements", error)
         && derive_payout (st->conn, st->run_id, error)
         && (!st->replacing || collect_garbage (st->conn, error))
         && exec0 (st->conn, "COMMIT", "committing the run", error);
}

gboolean
qt_pg_store_commit (QtPgStore *st, GError **error)
{
  gboolean ok = store_finish (st, error);
  if (!ok)
    {
      qt_pg_store_abort (st);
      return FALSE;
    }
  store_free (st);
  return TRUE;
}

/* ---- checking a run out and in ---- */

struct QtPgRun {
  PGconn *conn;
  char *run_id;
  char *period;
  char *root;          /* the private temporary directory */
  char *dir;           /* root/run */
  char *login_rep;
  QtPgCheckoutScope scope;
  GHashTable *stored;  /* path → SHA-256 as checked out */
  GString *journal;    /* the journal's lines as checked out */
  guint journal_lines;
  gboolean open;       /* the transaction is open */
};

const char *
qt_pg_run_dir (const QtPgRun *run)
{
  return run->dir;
}

const char *
qt_pg_run_login_rep (const QtPgRun *run)
{
  return run->login_rep;
}

void
qt_pg_run_free (QtPgRun *run)
{
  if (run == NULL)
    return;
  if (run->open)
    PQclear (PQexec (run->conn, "ROLLBACK"));
  qt_run_dir_remove_private (run->root);
  g_free (run->run_id);
  g_free (run->period);
  g_free (run->root);
  g_free (run->dir);
  g_free (run->login_rep);
  g_hash_table_unref (run->stored);
  g_string_free (run->journal, TRUE);
  g_free (run);
}

/* What the scope reads of the run's files, as an SQL condition. */
static const char *
scope_filter (QtPgCheckoutScope scope)
{
  switch (scope)
    {
    case QT_PG_CHECKOUT_LIFECYCLE:
      return "(path IN ('manifest.json', 'inputs/data/reps.csv', 'inputs/data/customers.csv', "
             "'inputs/data/products.csv', 'inputs/data/orders.csv') OR path LIKE 'inputs/plans/%')";
    case QT_PG_CHECKOUT_TABLES:
      return "path ~ '^(revisions/[0-9]+/)?[^/]+$'";
    case QT_PG_CHECKOUT_ALL:
    default:
      return "true";
    }
}

/* Where fetched files go: the checkout's directory, or an export's run
 * directory. */
typedef gboolean (*PutFetched) (QtPgRun *run, gpointer to, const char *path, const char *sha256,
                                GBytes *bytes, GError **error);

/* Each file of the run the scope reads, in path order, to `put`: a row at
 * a time (single-row mode), so that a run's hundreds of megabytes are
 * never in memory at once. */
static gboolean
fetch_files (QtPgRun *run, PutFetched put, gpointer to, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT f.path, f.sha256, b.content FROM qt_run_file f "
                                          "JOIN qt_blob b USING (sha256) WHERE f.run_id = $1 AND "
                                          "%s ORDER BY f.path", scope_filter (run->scope));
  const char *const values[] = { run->run_id };
  if (!PQsendQueryParams (run->conn, sql, 1, NULL, values, NULL, NULL, 1)
      || !PQsetSingleRowMode (run->conn))
    return qt_pg_failed (error, "checking the run out", PQerrorMessage (run->conn));
  gboolean ok = TRUE;
  for (PGresult *r; (r = PQgetResult (run->conn)) != NULL;)
    {
      if (ok && PQresultStatus (r) == PGRES_SINGLE_TUPLE)
        {
          g_autofree char *path = g_strndup (PQgetvalue (r, 0, 0), (gsize) PQgetlength (r, 0, 0));
          g_autofree char *sha = g_strndup (PQgetvalue (r, 0, 1), (gsize) PQgetlength (r, 0, 1));
          g_autoptr (GBytes) bytes = g_bytes_new_with_free_func (PQgetvalue (r, 0, 2),
                                                                 (gsize) PQgetlength (r, 0, 2),
                                                                 (GDestroyNotify) PQclear, r);
          ok = qt_run_path_is_inside (path)
                 ? put (run, to, path, sha, bytes, error)
                 : qt_pg_failed (error, "checking the run out", "a stored path leaves the run");
          continue;
        }
      if (ok && PQresultStatus (r) != PGRES_TUPLES_OK)
        ok = qt_pg_failed (error, "checking the run out", PQresultErrorMessage (r));
      PQclear (r);
    }
  return ok;
}

/* A file checked out: into the private directory, its hash remembered. */
static gboolean
put_checked_out (QtPgRun *run, gpointer to, const char *path, const char *sha256, GBytes *bytes,
                 GError **error)
{
  (void) to;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_hash_table_insert (run->stored, g_strdup (path), g_strdup (sha256));
  return qt_run_dir_put_private (run->dir, path, data != NULL ? data : "", len, error);
}

/* The journal's lines into run->journal. */
static gboolean
read_journal (QtPgRun *run, GError **error)
{
  const char *const values[] = { run->run_id };
  const char *sql = run->login_rep != NULL
                      ? "SELECT line FROM qt_journal_view ($1) ORDER BY seq"
                      : "SELECT line FROM qt_journal WHERE run_id = $1 ORDER BY seq";
  g_autoptr (PGresult) r = qt_pg_query (run->conn, sql, 1, values, NULL, NULL, 0,
                                        "reading the journal", error);
  if (r == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (r); i++)
    g_string_append_printf (run->journal, "%s\n", PQgetvalue (r, i, 0));
  run->journal_lines = (guint) PQntuples (r);
  return TRUE;
}

static gboolean
fetch_journal (QtPgRun *run, GError **error)
{
  return read_journal (run, error)
         && (run->journal_lines == 0
             || qt_run_dir_put_private (run->dir, JOURNAL, run->journal->str, run->journal->len,
                                        error));
}

/* The run's lock, its id (found under the lock: a store that replaced it
 * meanwhile has committed), and who is asking.  The key is the one a store
 * of the same kind and period takes: a --replace waits for a command on
 * the run, and the other way round. */
static gboolean
open_run (QtPgRun *run, GError **error)
{
  gboolean journaled;
  g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%d, hashtext ($1 || $2))",
                                           LOCK_RUN);
  const char *const values[] = { period_kind (run->period), run->period };
  if (!qt_pg_exec (run->conn, lock, 2, values, NULL, NULL, "waiting for the run's lock", error)
      || !find_run (run->conn, run->period, &run->run_id, &journaled, error))
    return FALSE;
  if (run->run_id == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "the database holds no run of %s (quotient run --pg … --period %s stores one)",
                   run->period, run->period);
      return FALSE;
    }
  g_autoptr (PGresult) rep = qt_pg_query (run->conn, "SELECT qt_login_rep ()", 0, NULL, NULL, NULL,
                                          0, "reading who logged in", error);
  if (rep == NULL)
    return FALSE;
  if (!PQgetisnull (rep, 0, 0))
    run->login_rep = g_strdup (PQgetvalue (rep, 0, 0));
  return TRUE;
}

/* The stored run of `period`, opened in a new transaction that holds its
 * lock (nothing fetched yet).  (transfer full) */
static QtPgRun *
run_open (PGconn *conn, const char *period, QtPgCheckoutScope scope, GError **error)
{
  if (!qt_pg_schema_check (conn, error))
    return NULL;
  g_autoptr (QtPgRun) run = g_new0 (QtPgRun, 1);
  run->conn = conn;
  run->period = g_strdup (period);
  run->scope = scope;
  run->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->journal = g_string_new (NULL);
  if (!exec0 (conn, "BEGIN", "starting a transaction", error))
    return NULL;
  run->open = TRUE;
  return open_run (run, error) ? g_steal_pointer (&run) : NULL;
}

QtPgRun *
qt_pg_checkout (PGconn *conn, const char *period, QtPgCheckoutScope scope, GError **error)
{
  g_autoptr (QtPgRun) run = run_open (conn, period, scope, error);
  if (run == NULL)
    return NULL;
  run->root = qt_run_dir_make_private ("quotient-run-XXXXXX", error);
  if (run->root == NULL)
    return NULL;
  run->dir = g_build_filename (run->root, "run", NULL);
  if (!qt_run_dir_put_private (run->root, "run", NULL, 0, error)
      || !fetch_files (run, put_checked_out, NULL, error)
      || !fetch_journal (run, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s: cannot check the run out", run->dir);
      return NULL;
    }
  return g_steal_pointer (&run);
}

/* The journal lines the command added, after the ones checked out (which
 * it must have kept byte for byte). */
static gboolean
store_journal (QtPgRun *run, GError **error)
{
  g_autofree char *path = g_build_filename (run->dir, JOURNAL, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, NULL))
    return run->journal_lines == 0 || qt_pg_failed (error, "storing the journal", "it is gone");
  if (len < run->journal->len || memcmp (text, run->journal->str, run->journal->len) != 0)
    return qt_pg_failed (error, "storing the journal", "its stored lines were changed");
  guint seq = run->journal_lines;
  for (char *line = text + run->journal->len; *line != '\0';)
    {
      char *nl = strchr (line, '\n');
      if (nl == NULL)
        return qt_pg_failed (error, "storing the journal", "a line without its newline");
      *nl = '\0';
      g_autofree char *k = g_strdup_printf ("%u", ++seq);
      const char *const values[] = { run->run_id, k, line };
      if (!qt_pg_exec (run->conn, "INSERT INTO qt_journal (run_id, seq, line) VALUES ($1, $2, $3)",
                       3, values, NULL, NULL, "storing the journal", error))
        return FALSE;
      line = nl + 1;
    }
  return TRUE;
}

/* The files the command added or changed (and, for a whole checkout,
 * removed), stored; statements and payout rows derived again when the
 * outputs changed. */
static gboolean
store_changes (QtPgRun *run, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (store_file_free);
  if (!scan (run->dir, "", files, error))
    return FALSE;
  g_ptr_array_sort (files, by_path);
  g_autoptr (GPtrArray) changed = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean payout = FALSE; /* payout.json changed (qt_statement follows the files) */
  for (guint i = 0; i < files->len; i++)
    {
      StoreFile *f = g_ptr_array_index (files, i);
      const char *was = g_hash_table_lookup (run->stored, f->path);
      g_hash_table_add (seen, f->path);
      if (was != NULL && strcmp (was, f->sha256) == 0)
        continue;
      g_ptr_array_add (changed, f);
      payout = payout || strcmp (f->path, "payout.json") == 0;
    }
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (store_file_free);
  GHashTableIter it;
  gpointer path;
  g_hash_table_iter_init (&it, run->stored);
  while (g_hash_table_iter_next (&it, &path, NULL))
    if (!g_hash_table_contains (seen, path) && run->scope == QT_PG_CHECKOUT_ALL)
      {
        StoreFile *f = g_new0 (StoreFile, 1);
        f->path = g_strdup (path);
        g_ptr_array_add (gone, f);
      }
  for (guint i = 0; i < changed->len; i++)
    if (g_hash_table_contains (run->stored, ((StoreFile *) g_ptr_array_index (changed, i))->path))
      {
        StoreFile *f = g_new0 (StoreFile, 1);
        f->path = g_strdup (((StoreFile *) g_ptr_array_index (changed, i))->path);
        g_ptr_array_add (gone, f);
      }
  g_autofree char *drop = text_array (gone, TRUE);
  const char *const values[] = { run->run_id, drop };
  return (gone->len == 0
          || qt_pg_exec (run->conn, "DELETE FROM qt_run_file WHERE run_id = $1 AND path = ANY "
                         "($2::text[])", 2, values, NULL, NULL, "storing the run's files", error))
         && (changed->len == 0
             || store_files (run->conn, run->run_id, changed, error))
         && (!payout || derive_payout (run->conn, run->run_id, error));
}

gboolean
qt_pg_checkin (QtPgRun *run, GError **error)
{
  gboolean ok = store_changes (run, error) && store_journal (run, error)
                && exec0 (run->conn, "COMMIT", "committing", error);
  if (ok)
    run->open = FALSE;
  return ok;
}

/* ---- export ---- */

/* A file of the run, straight into the run directory being exported. */
static gboolean
put_exported (QtPgRun *run, gpointer to, const char *path, const char *sha256, GBytes *bytes,
              GError **error)
{
  (void) run, (void) sha256;
  return qt_run_dir_put_unlisted (to, path, bytes, error);
}

static gboolean
export_journal (QtPgRun *run, QtRunDirWriter *w, GError **error)
{
  if (!read_journal (run, error))
    return FALSE;
  if (run->journal_lines == 0)
    return TRUE;
  g_autoptr (GBytes) lines = g_bytes_new (run->journal->str, run->journal->len);
  return qt_run_dir_put_unlisted (w, JOURNAL, lines, error);
}

gboolean
qt_pg_export (PGconn *conn, const char *period, const char *out, GError **error)
{
  g_autoptr (QtPgRun) run = run_open (conn, period, QT_PG_CHECKOUT_ALL, error);
  if (run == NULL)
    return FALSE;
  if (run->login_rep != NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_REFUSED,
                   "the database login is rep %s's: only finance may export a whole run",
                   run->login_rep);
      return FALSE;
    }
  QtRunDirWriter *w = qt_run_dir_begin (out, FALSE, period_run_kind (period), period, error);
  if (w == NULL)
    return FALSE;
  if (!fetch_files (run, put_exported, w, error) || !export_journal (run, w, error))
    {
      qt_run_dir_abort (w);
      return FALSE;
    }
  return qt_run_dir_commit (w, error);
}

/* ---- one statement ---- */

/* The rep of the database login, or NULL. (transfer full) */
static char *
login_rep (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) r = qt_pg_query (conn, "SELECT qt_login_rep ()", 0, NULL, NULL, NULL, 0,
                                        "reading who logged in", error);
  return r != NULL && !PQgetisnull (r, 0, 0) ? g_strdup (PQgetvalue (r, 0, 0)) : NULL;
}

GBytes *
qt_pg_statement (PGconn *conn, const char *period, const char *rep, gboolean json, GError **error)
{
  if (!qt_pg_schema_check (conn, error))
    return NULL;
  g_autofree char *own = rep == NULL ? login_rep (conn, error) : NULL;
  if (rep == NULL && own == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                     "--rep REP is required: the database login is not a rep's");
      return NULL;
    }
  g_autofree char *path = qt_run_statement_path (rep != NULL ? rep : own, json);
  const char *const values[] = { period, path };
  g_autoptr (PGresult) r = qt_pg_query (
    conn, "SELECT f.sha256, b.content FROM qt_run r JOIN qt_run_file f USING (run_id) JOIN "
          "qt_blob b USING (sha256) WHERE r.kind = 'commission_run' AND r.period = $1 AND f.path "
          "= $2", 2, values, NULL, NULL, 1, "reading the statement", error);
  if (r == NULL)
    return NULL;
  if (PQntuples (r) != 1)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "the database holds no statement of rep '%s' for %s that this login may read",
                   rep != NULL ? rep : own, period);
      return NULL;
    }
  GBytes *bytes = g_bytes_new (PQgetvalue (r, 0, 1), (gsize) PQgetlength (r, 0, 1));
  g_autofree char *got = qt_sha256_hex_bytes (bytes);
  if (strncmp (got, PQgetvalue (r, 0, 0), 64) != 0)
    {
      g_bytes_unref (bytes);
      g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH,
                   "the stored %s of %s is not the file the run wrote (its SHA-256 changed)",
                   path, period);
      return NULL;
    }
  return bytes;
}
