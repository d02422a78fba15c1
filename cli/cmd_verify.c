/* cli/cmd_verify.c — `quotient verify RUN_DIR`: recompute a run from its own
 * snapshot and compare every file and every hash of its manifest. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/sha256.h"
#include "../model/qt_error.h"
#include "../reports/output.h"
#include "../reports/run_dir.h"
#include "../reports/statement.h"
#include "commands.h"
#include "pipeline.h"

typedef struct {
  char *period;
  GPtrArray *names;   /* file names listed by the manifest */
  GPtrArray *hashes;  /* their SHA-256 */
} Manifest;

static void
manifest_clear (Manifest *m)
{
  g_free (m->period);
  g_clear_pointer (&m->names, g_ptr_array_unref);
  g_clear_pointer (&m->hashes, g_ptr_array_unref);
}

static gboolean
read_file_list (const cJSON *list, Manifest *m)
{
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      const cJSON *file = cJSON_GetObjectItemCaseSensitive (item, "file");
      const cJSON *sha = cJSON_GetObjectItemCaseSensitive (item, "sha256");
      if (!cJSON_IsString (file) || !cJSON_IsString (sha))
        return FALSE;
      g_ptr_array_add (m->names, g_strdup (file->valuestring));
      g_ptr_array_add (m->hashes, g_strdup (sha->valuestring));
    }
  return TRUE;
}

/* Reads RUN/manifest.json; anything unexpected means "not a run" (exit 2). */
static gboolean
read_manifest (const char *run, Manifest *m, GError **error)
{
  g_autofree char *path = g_build_filename (run, "manifest.json", NULL);
  g_autoptr (GBytes) bytes = qt_read_bytes (path, NULL);
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  cJSON *root = data ? cJSON_ParseWithLength (data, len) : NULL;
  const cJSON *period = cJSON_GetObjectItemCaseSensitive (root, "period");
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive (root, "kind");
  m->names = g_ptr_array_new_with_free_func (g_free);
  m->hashes = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = cJSON_IsString (period) && cJSON_IsString (kind)
                && strcmp (kind->valuestring, "commission_run") == 0
                && read_file_list (cJSON_GetObjectItemCaseSensitive (root, "inputs"), m)
                && read_file_list (cJSON_GetObjectItemCaseSensitive (root, "outputs"), m);
  if (ok)
    m->period = g_strdup (period->valuestring);
  cJSON_Delete (root);
  if (!ok)
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "%s is not a quotient run directory (no readable manifest.json)", run);
  return ok;
}

/* Records the first reason a file fails; one line per file in the report. */
static void
mismatch (GHashTable *bad, const char *name, const char *why)
{
  if (!g_hash_table_contains (bad, name))
    g_hash_table_insert (bad, g_strdup (name), g_strdup (why));
}

/* Files whose bytes on disk no longer match the manifest's SHA-256, among
 * those the recomputation did not already check. */
static void
check_hashes (const char *run, const Manifest *m, GHashTable *checked, GHashTable *bad)
{
  for (guint i = 0; i < m->names->len; i++)
    {
      if (g_hash_table_contains (checked, g_ptr_array_index (m->names, i)))
        continue;
      g_autofree char *path = g_build_filename (run, g_ptr_array_index (m->names, i), NULL);
      g_autoptr (GBytes) bytes = qt_read_bytes (path, NULL);
      g_autofree char *sha = bytes ? qt_sha256_hex_bytes (bytes) : NULL;
      if (g_strcmp0 (sha, g_ptr_array_index (m->hashes, i)) != 0)
        mismatch (bad, g_ptr_array_index (m->names, i),
                  bytes ? "SHA-256 differs from the manifest" : "missing");
    }
}

/* A sink comparing each recomputed file with the one on disk (one at a
 * time: the recomputed statements are never all in memory) and, in the same
 * read, the disk file's hash with the manifest's: each file is read once
 * and hashed at most once. */
typedef struct {
  QtOutputSink sink;
  const char *run;
  GHashTable *manifest;  /* name → SHA-256 listed by the manifest (borrowed) */
  GHashTable *checked;   /* names compared here (borrowed from the sink) */
  GHashTable *bad;
  char *buf;             /* COMPARE_BLOCK bytes, reused for every file */
} CompareSink;

/* Read and compared a block at a time into one buffer: no allocation and
 * no fresh pages per file. */
#define COMPARE_BLOCK (1u << 20)

/* Whether the file at fd holds exactly bytes[0..len).  FALSE on any
 * difference or read error. */
static gboolean
file_equals (CompareSink *cs, int fd, const char *bytes, gsize len)
{
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size != len)
    return FALSE;
  gsize done = 0;
  for (;;)
    {
      gssize n = read (fd, cs->buf, COMPARE_BLOCK);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || (gsize) n > len - done || memcmp (cs->buf, bytes + done, (gsize) n) != 0)
        return FALSE;
      if (n == 0)
        return done == len;
      done += (gsize) n;
    }
}

static gboolean
compare_put (QtOutputSink *sink, const QtOutputFile *put, GBytes *bytes, GError **error)
{
  (void) error;
  CompareSink *cs = (CompareSink *) sink;
  const char *name = put->name;
  g_hash_table_add (cs->checked, put->name);
  const char *listed = g_hash_table_lookup (cs->manifest, name);
  /* An input file was just read from this very path, and hashed as read:
   * its hash is all there is to compare. */
  if (g_str_has_prefix (name, "inputs/"))
    {
      if (listed != NULL && g_strcmp0 (put->sha256, listed) != 0)
        mismatch (cs->bad, name, "SHA-256 differs from the manifest");
      return TRUE;
    }
  g_autofree char *path = g_build_filename (cs->run, name, NULL);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      mismatch (cs->bad, name, "missing");
      return TRUE;
    }
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean same = file_equals (cs, fd, data ? data : "", len);
  close (fd);
  /* Equal bytes have the recomputed hash; otherwise hash what is on disk. */
  g_autoptr (GBytes) disk = same ? NULL : qt_read_bytes (path, NULL);
  if (!same && disk == NULL)
    {
      mismatch (cs->bad, name, "missing");
      return TRUE;
    }
  g_autofree char *disk_sha = same ? NULL : qt_sha256_hex_bytes (disk);
  if (listed != NULL && g_strcmp0 (same ? put->sha256 : disk_sha, listed) != 0)
    mismatch (cs->bad, name, "SHA-256 differs from the manifest");
  else if (!same)
    mismatch (cs->bad, name, "recomputed bytes differ");
  return TRUE;
}

/* Files in the run directory that the run does not produce (CLOSED, the
 * lifecycle marker, is allowed). */
static void
check_extra (const char *run, const char *rel, GHashTable *known, GHashTable *bad)
{
  g_autofree char *path = rel ? g_build_filename (run, rel, NULL) : g_strdup (run);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (run, child, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_DIR) && !g_file_test (full, G_FILE_TEST_IS_SYMLINK))
        check_extra (run, child, known, bad);
      else if (!g_hash_table_contains (known, child) && g_strcmp0 (child, "CLOSED") != 0)
        mismatch (bad, child, "unexpected file, not produced by the run");
    }
}

static GHashTable *
known_names (GPtrArray *files)
{
  GHashTable *known = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < files->len; i++)
    g_hash_table_add (known, ((QtOutputFile *) g_ptr_array_index (files, i))->name);
  return known;
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Prints one MISMATCH line per file, sorted by name; returns the count. */
static guint
report (GHashTable *bad)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, bad);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, str_cmp);
  for (guint i = 0; i < names->len; i++)
    printf ("MISMATCH %s: %s\n", (char *) names->pdata[i],
            (char *) g_hash_table_lookup (bad, names->pdata[i]));
  return names->len;
}

/* Recomputes the run into the comparing sink; when this returns, the
 * sink's thread has finished (compare_put itself never fails). */
static gboolean
compute_and_compare (const char *data, const char *plans, QtPeriod period, QtOutputSink *sink,
                     QtPipeline *p, GError **error)
{
  gboolean ok = qt_pipeline_compute (data, plans, period, sink, p, error)
                && qt_pipeline_emit (p, sink, error);
  qt_output_sink_finish (sink, NULL);
  return ok;
}

static int
verify (const char *run, GError **error)
{
  Manifest m = { 0 };
  if (!read_manifest (run, &m, error))
    {
      manifest_clear (&m);
      return 2;
    }
  g_autoptr (GHashTable) bad = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < m.names->len; i++)
    g_hash_table_insert (listed, m.names->pdata[i], m.hashes->pdata[i]);
  g_autoptr (GHashTable) checked = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *data = g_build_filename (run, "inputs", "data", NULL);
  g_autofree char *plans = g_build_filename (run, "inputs", "plans", NULL);
  QtPeriod period = 0;
  QtPipeline p = { 0 };
  g_autoptr (GError) local = NULL;
  g_autofree char *buf = g_malloc (COMPARE_BLOCK);
  CompareSink cs = { .run = run, .manifest = listed, .checked = checked, .bad = bad, .buf = buf };
  qt_output_sink_init (&cs.sink, compare_put);
  /* The sink's thread reads and compares the files already recomputed
   * while the next ones are. */
  if (qt_statement_threads () > 1)
    qt_output_sink_start (&cs.sink);
  if (!qt_period_parse (m.period, strlen (m.period), &period))
    mismatch (bad, "manifest.json", "bad period");
  else if (!compute_and_compare (data, plans, period, &cs.sink, &p, &local))
    {
      g_autofree char *why = g_strdup_printf ("the snapshot no longer computes: %s", local->message);
      mismatch (bad, "inputs", why);
    }
  else
    {
      g_autoptr (GHashTable) known = known_names (cs.sink.files);
      check_extra (run, NULL, known, bad);
    }
  check_hashes (run, &m, checked, bad);
  qt_pipeline_keep_until_exit (&p);
  g_hash_table_remove_all (checked);
  qt_output_sink_clear (&cs.sink);
  guint n = report (bad);
  if (n == 0)
    printf ("quotient verify: %s: period %s, %u files match their manifest hashes and recompute "
            "byte for byte\n", run, m.period, m.names->len + 1);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s: %u file%s differ%s", run, n,
                 n == 1 ? "" : "s", n == 1 ? "s" : "");
  manifest_clear (&m);
  return n == 0 ? 0 : 1;
}

int
qt_cmd_verify (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — recompute a run and compare every hash");
  g_option_context_set_summary (ctx,
    "Recomputes RUN_DIR from its own input snapshot (inputs/) and compares every\n"
    "output and input file with manifest.json and with the recomputed bytes.\n"
    "Exit 0 when all match, 1 with the list of differing files, 2 when RUN_DIR\n"
    "is not a run directory.\n\n"
    "Example:\n"
    "  quotient verify runs/2026-06");
  g_autoptr (GError) error = NULL;
  int rc;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    rc = 2;
  else if (argc != 2)
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "give exactly one RUN_DIR (see quotient verify --help)");
      rc = 2;
    }
  else
    rc = verify (argv[1], &error);
  if (error != NULL)
    qt_print_error ("quotient verify", error);
  return rc;
}
