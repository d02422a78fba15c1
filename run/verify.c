/* run/verify.c — recompute a run from its own snapshot and compare every
 * file and every hash of its manifest. */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../reports/output.h"
#include "pipeline.h"
#include "pipeline_internal.h"
#include "run_dir.h"

/* Records the first reason a file fails; one line per file in the report. */
static void
mismatch (GHashTable *bad, const char *name, const char *why)
{
  if (!g_hash_table_contains (bad, name))
    g_hash_table_insert (bad, g_strdup (name), g_strdup (why));
}

/* Files whose bytes on disk no longer match the manifest's SHA-256, among
 * those the recomputation did not already check; each is read only as far
 * as the size the manifest gives it. */
static void
check_hashes (const char *run, const GPtrArray *files, GHashTable *checked, GHashTable *bad)
{
  for (guint i = 0; i < files->len; i++)
    {
      const QtManifestFile *f = g_ptr_array_index (files, i);
      if (g_hash_table_contains (checked, f->file))
        continue;
      g_autoptr (GError) why = NULL;
      g_autoptr (GBytes) bytes = qt_run_read_file (run, f->file, f->bytes, &why);
      g_autofree char *sha = bytes ? qt_sha256_hex_bytes (bytes) : NULL;
      if (bytes == NULL)
        mismatch (bad, f->file, why->message);
      else if (g_strcmp0 (sha, f->sha256) != 0)
        mismatch (bad, f->file, "SHA-256 differs from the manifest");
    }
}

/* A sink comparing each recomputed file with the one on disk (one at a
 * time: the recomputed statements are never all in memory) and, in the same
 * read, the disk file's hash with the manifest's: each file is read once
 * and hashed at most once. */
typedef struct {
  QtOutputSink sink;     /* the target of a queue (run/output_sink.h) */
  const char *run;
  GHashTable *manifest;  /* name → QtManifestFile listed by the manifest (borrowed) */
  GHashTable *checked;   /* names compared here (borrowed from the queue) */
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
  const QtManifestFile *entry = g_hash_table_lookup (cs->manifest, name);
  const char *listed = entry != NULL ? entry->sha256 : NULL;
  /* An input file was just read from this very path, and hashed as read:
   * its hash is all there is to compare. */
  if (g_str_has_prefix (name, "inputs/"))
    {
      if (listed != NULL && g_strcmp0 (put->sha256, listed) != 0)
        mismatch (cs->bad, name, "SHA-256 differs from the manifest");
      return TRUE;
    }
  g_autoptr (GError) why = NULL;
  int fd = qt_run_open_file (cs->run, name, &why);
  if (fd < 0)
    {
      mismatch (cs->bad, name, why->message);
      return TRUE;
    }
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  gboolean same = file_equals (cs, fd, data ? data : "", len);
  close (fd);
  /* Equal bytes have the recomputed hash; otherwise hash what is on disk
   * (read no further than the manifest's size for it). */
  gsize bound = entry != NULL ? MAX (entry->bytes, len) : len;
  g_autoptr (GBytes) disk = same ? NULL : qt_run_read_file (cs->run, name, bound, &why);
  if (!same && disk == NULL)
    {
      mismatch (cs->bad, name, why->message);
      return TRUE;
    }
  g_autofree char *disk_sha = same ? NULL : qt_sha256_hex_bytes (disk);
  if (listed != NULL && g_strcmp0 (same ? put->sha256 : disk_sha, listed) != 0)
    mismatch (cs->bad, name, "SHA-256 differs from the manifest");
  else if (!same)
    mismatch (cs->bad, name, "recomputed bytes differ");
  return TRUE;
}

/* The files of a run's lifecycle, beside what a run produces: the journal,
 * the evidence store, earlier revisions and the CLOSED marker. */
static gboolean
lifecycle_file (const char *rel)
{
  return strcmp (rel, "CLOSED") == 0 || strcmp (rel, "journal.jsonl") == 0
         || g_str_has_prefix (rel, "evidence/") || g_str_has_prefix (rel, "revisions/");
}

/* Walks the run directory without following links.  Every entry that is
 * neither a directory nor a regular file (a symbolic link, a FIFO, a
 * device: verify never reads through one) is a mismatch, and so is, when
 * `known` is given, every regular file the run does not produce (CLOSED,
 * the lifecycle marker, is allowed).  Returns whether an entry of the
 * first kind is in the input snapshot, which then cannot be recomputed. */
static gboolean
walk_run (const char *run, const char *rel, GHashTable *known, GHashTable *bad)
{
  g_autofree char *path = rel ? g_build_filename (run, rel, NULL) : g_strdup (run);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  gboolean in_inputs = FALSE;
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (run, child, NULL);
      GStatBuf st;
      if (g_lstat (full, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        in_inputs |= walk_run (run, child, known, bad);
      else if (!S_ISREG (st.st_mode))
        {
          mismatch (bad, child, S_ISLNK (st.st_mode) ? "a symbolic link, not a file of the run"
                                                     : "not a regular file");
          in_inputs |= g_str_has_prefix (child, "inputs/");
        }
      else if (known != NULL && !g_hash_table_contains (known, child) && !lifecycle_file (child))
        mismatch (bad, child, "unexpected file, not produced by the run");
    }
  return in_inputs;
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
mismatch_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(QtVerifyMismatch *const *) a)->file, (*(QtVerifyMismatch *const *) b)->file);
}

static void
mismatch_free (gpointer p)
{
  QtVerifyMismatch *m = p;
  g_free (m->file);
  g_free (m->reason);
  g_free (m);
}

/* The report's list: one entry per file, sorted by name (takes `bad`'s
 * strings). */
static GPtrArray *
sorted_mismatches (GHashTable *bad)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (mismatch_free);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, bad);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      QtVerifyMismatch *m = g_new (QtVerifyMismatch, 1);
      m->file = key;
      m->reason = value;
      g_hash_table_iter_steal (&it);
      g_ptr_array_add (list, m);
    }
  g_ptr_array_sort (list, mismatch_cmp);
  return list;
}

/* Recomputes the run into the comparing sink through a queue; when this
 * returns, the queue's thread has finished (compare_put never fails). */
static gboolean
compute_and_compare (const char *run, QtPeriod period, guint threads, QtSinkQueue *queue,
                     const QtVerifyOptions *o, QtPipeline *p, GError **error)
{
  g_autofree char *data = g_build_filename (run, "inputs", "data", NULL);
  g_autofree char *plans = g_build_filename (run, "inputs", "plans", NULL);
  gboolean ok = qt_pipeline_compute_kind (o->kind, data, plans, period, threads, o->overlay,
                                          &queue->sink, p, error)
                && (o->revision != NULL ? qt_pipeline_emit_revision (p, queue, o->revision, error)
                                        : qt_pipeline_emit (p, queue, o->kind, error));
  qt_sink_queue_finish (queue, NULL);
  return ok;
}

/* Recomputes `run` and records every difference in `bad`. */
static void
compare_run (const char *run, const QtManifest *m, const QtVerifyOptions *o, GHashTable *bad)
{
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  const GPtrArray *lists[] = { m->inputs, m->outputs };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const QtManifestFile *f = g_ptr_array_index (lists[l], i);
        g_hash_table_insert (listed, f->file, (gpointer) f);
      }
  g_autoptr (GHashTable) checked = g_hash_table_new (g_str_hash, g_str_equal);
  guint threads = o->threads == 0 ? QT_RUN_DEFAULT_THREADS : MIN (o->threads, QT_RUN_MAX_THREADS);
  QtPeriod period = 0;
  QtPipeline p = { 0 };
  g_autoptr (GError) local = NULL;
  g_autofree char *buf = g_malloc (COMPARE_BLOCK);
  CompareSink cs = { .run = run, .manifest = listed, .checked = checked, .bad = bad, .buf = buf };
  qt_output_sink_init (&cs.sink, compare_put);
  /* The queue's thread reads and compares the files already recomputed
   * while the next ones are. */
  QtSinkQueue *queue = qt_sink_queue_new (&cs.sink, threads > 1);
  if (!qt_pipeline_parse_when (o->kind, m->period, &period))
    mismatch (bad, "manifest.json", "bad period");
  else if (walk_run (run, NULL, NULL, bad))
    mismatch (bad, "inputs", "the snapshot holds a link or special file: not recomputed");
  else if (!compute_and_compare (run, period, threads, queue, o, &p, &local))
    {
      g_autofree char *why = g_strdup_printf ("the snapshot no longer computes: %s", local->message);
      mismatch (bad, "inputs", why);
    }
  else
    {
      g_autoptr (GHashTable) known = known_names (queue->sink.files);
      walk_run (run, NULL, known, bad);
    }
  check_hashes (run, m->inputs, checked, bad);
  check_hashes (run, m->outputs, checked, bad);
  if (o->keep_until_exit)
    qt_pipeline_keep_until_exit (&p);
  else
    qt_pipeline_clear (&p);
  g_hash_table_remove_all (checked); /* its keys belong to the queue's records */
  qt_sink_queue_free (queue);
  qt_output_sink_clear (&cs.sink);
}

gboolean
qt_verify_run (const char *run, const QtVerifyOptions *o, QtVerifyReport *report,
               GError **error)
{
  *report = (QtVerifyReport) { 0 };
  g_autoptr (QtManifest) m = qt_manifest_read (run, o->kind, error);
  if (m == NULL)
    {
      report->mismatches = g_ptr_array_new_with_free_func (mismatch_free);
      return FALSE;
    }
  g_autoptr (GHashTable) bad = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  compare_run (run, m, o, bad);
  report->period = g_strdup (m->period);
  report->files = m->inputs->len + m->outputs->len + 1;
  report->mismatches = sorted_mismatches (bad);
  guint n = report->mismatches->len;
  if (n > 0 && strcmp (m->engine_version, QT_VERSION) != 0)
    g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH,
                 "%s: %u file%s differ%s (the run was written by quotient %s, this is quotient "
                 "%s, whose outputs may differ in form: verify it with quotient %s)", run, n,
                 n == 1 ? "" : "s", n == 1 ? "s" : "", m->engine_version, QT_VERSION,
                 m->engine_version);
  else if (n > 0)
    g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s: %u file%s differ%s", run, n,
                 n == 1 ? "" : "s", n == 1 ? "s" : "");
  return n == 0;
}

void
qt_verify_report_clear (QtVerifyReport *report)
{
  g_clear_pointer (&report->period, g_free);
  g_clear_pointer (&report->mismatches, g_ptr_array_unref);
}
