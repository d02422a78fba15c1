/* run/report_site.c — the HTML site of a run (see report_site.h). */
#include "report_site.h"

#include <string.h>

#include "../loaders/csv_reader.h"
#include "../model/qt_error.h"
#include "../reports/html.h"
#include "manifest.h"
#include "run_dir.h"

#define OUTPUT_MAX ((gsize) 1 << 30)

/* RUN/rel, checked against the SHA-256 the manifest lists. */
static GBytes *
read_output (const char *run_dir, const QtManifest *m, const char *rel, GError **error)
{
  return qt_manifest_read_listed (run_dir, m, rel, "file", OUTPUT_MAX, error);
}

static cJSON *
read_json (const char *run_dir, const QtManifest *m, const char *rel, GError **error)
{
  g_autoptr (GBytes) bytes = read_output (run_dir, m, rel, error);
  if (bytes == NULL)
    return NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  cJSON *doc = cJSON_ParseWithLength (data, len);
  if (doc == NULL)
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s/%s: not JSON", run_dir, rel);
  return doc;
}

static gint
by_rep_id (gconstpointer a, gconstpointer b)
{
  const cJSON *x = *(const cJSON *const *) a, *y = *(const cJSON *const *) b;
  return strcmp (cJSON_GetObjectItem (cJSON_GetObjectItem (x, "rep"), "rep_id")->valuestring,
                 cJSON_GetObjectItem (cJSON_GetObjectItem (y, "rep"), "rep_id")->valuestring);
}

/* Statements parsed by one of two threads: files[i] for i ≡ part (mod 2). */
typedef struct {
  const char *run_dir;
  const QtManifest *m;
  GPtrArray *files;   /* const char* */
  cJSON **docs;
  guint part;
  GError *error;
} ParseJob;

static gpointer
parse_part (gpointer data)
{
  ParseJob *job = data;
  for (guint i = job->part; i < job->files->len && job->error == NULL; i += 2)
    job->docs[i] = read_json (job->run_dir, job->m, g_ptr_array_index (job->files, i), &job->error);
  return NULL;
}

/* Every statement of the run (statements/<stem>.json), by rep_id, parsed
 * on two threads (a large month's statements are hundreds of MB). */
static GPtrArray *
read_statements (const char *run_dir, const QtManifest *m, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new ();
  for (guint i = 0; i < m->outputs->len; i++)
    {
      const QtManifestFile *f = g_ptr_array_index (m->outputs, i);
      if (g_str_has_prefix (f->file, "statements/") && g_str_has_suffix (f->file, ".json")
          && strchr (f->file + 11, '/') == NULL)
        g_ptr_array_add (files, f->file);
    }
  g_autofree cJSON **docs = g_new0 (cJSON *, files->len + 1);
  ParseJob jobs[2] = { { run_dir, m, files, docs, 0, NULL }, { run_dir, m, files, docs, 1, NULL } };
  GThread *second = g_thread_try_new ("report-parse", parse_part, &jobs[1], NULL);
  parse_part (&jobs[0]);
  if (second != NULL)
    g_thread_join (second);
  else
    parse_part (&jobs[1]);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);
  for (guint i = 0; i < files->len; i++)
    if (docs[i] != NULL)
      g_ptr_array_add (list, docs[i]);
  GError *failed = jobs[0].error != NULL ? jobs[0].error : jobs[1].error;
  if (failed != NULL)
    {
      g_propagate_error (error, g_error_copy (failed));
      g_clear_error (&jobs[0].error);
      g_clear_error (&jobs[1].error);
      return NULL;
    }
  g_ptr_array_sort (list, by_rep_id);
  return g_steal_pointer (&list);
}

/* The rows of a CSV output: each a NULL-terminated array of its cells
 * (header left out).  (transfer full) */
static GPtrArray *
read_rows (const char *run_dir, const QtManifest *m, const char *rel, GError **error)
{
  g_autoptr (GBytes) bytes = read_output (run_dir, m, rel, error);
  if (bytes == NULL)
    return NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new (rel, data, len, NULL);
  qt_csv_reader_drop_guards (reader);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  QtCsvRecord rec;
  for (gboolean header = TRUE; qt_csv_reader_next (reader, &rec, NULL); header = FALSE)
    if (!header)
      {
        char **cells = g_new0 (char *, rec.nfields + 1);
        for (guint k = 0; k < rec.nfields; k++)
          cells[k] = g_strdup (rec.fields[k]);
        g_ptr_array_add (rows, cells);
      }
  return rows;
}

/* An earlier run's totals by rep. */
static QtHtmlPrevious *
read_previous (const char *run_dir, GError **error)
{
  g_autoptr (QtManifest) m = qt_manifest_read (run_dir, QT_RUN_COMMISSION, error);
  g_autoptr (GPtrArray) rows = m != NULL ? read_rows (run_dir, m, "payout.csv", error) : NULL;
  if (rows == NULL)
    return NULL;
  QtHtmlPrevious *p = g_new0 (QtHtmlPrevious, 1);
  p->period = g_strdup (m->period);
  p->totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);
      if (g_strv_length (cells) >= 9)
        g_hash_table_insert (p->totals, g_strdup (cells[0]), g_strdup (cells[8]));
    }
  return p;
}

/* Each exception row of receipts.csv gets the receipt it holds back — its
 * id and amount from the run's snapshot at that line — as two more cells
 * (empty for the rows of other files). */
static gboolean
held_back (const char *run_dir, const QtManifest *m, GPtrArray *exceptions, GError **error)
{
  /* only the lines the rows name are kept */
  g_autoptr (GHashTable) by_line = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_strfreev);
  for (guint i = 0; i < exceptions->len; i++)
    {
      char **row = g_ptr_array_index (exceptions, i);
      if (g_strcmp0 (row[0], "receipts.csv") == 0 && row[1] != NULL)
        g_hash_table_insert (by_line, g_strdup (row[1]), NULL);
    }
  if (g_hash_table_size (by_line) > 0)
    {
      g_autoptr (GBytes) bytes = read_output (run_dir, m, "inputs/data/receipts.csv", error);
      if (bytes == NULL)
        return FALSE;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autoptr (QtCsvReader) reader = qt_csv_reader_new ("receipts.csv", data, len, NULL);
      const char *const columns[] = { "receipt_id", "amount" };
      int idx[2];
      QtCsvRecord rec;
      if (qt_csv_reader_read_header (reader, columns, 2, idx, NULL))
        while (qt_csv_reader_next (reader, &rec, NULL))
          {
            char line[16];
            g_snprintf (line, sizeof line, "%u", rec.line);
            if (!g_hash_table_contains (by_line, line))
              continue;
            char **cells = g_new0 (char *, 3);
            cells[0] = g_strdup (rec.fields[idx[0]]);
            cells[1] = g_strdup (rec.fields[idx[1]]);
            g_hash_table_insert (by_line, g_strdup (line), cells);
          }
    }
  for (guint i = 0; i < exceptions->len; i++)
    {
      char **row = g_ptr_array_index (exceptions, i);
      char **receipt = g_strcmp0 (row[0], "receipts.csv") == 0 && row[1] != NULL
                         ? g_hash_table_lookup (by_line, row[1]) : NULL;
      guint n = g_strv_length (row);
      char **longer = g_renew (char *, row, n + 3);
      longer[n] = g_strdup (receipt != NULL ? receipt[0] : "");
      longer[n + 1] = g_strdup (receipt != NULL ? receipt[1] : "");
      longer[n + 2] = NULL;
      g_ptr_array_index (exceptions, i) = longer;
    }
  return TRUE;
}

static gboolean
put_page (QtRunDirWriter *w, const char *name, GString *page, GError **error)
{
  g_autoptr (GBytes) bytes = g_string_free_to_bytes (page);
  return qt_run_dir_put_unlisted (w, name, bytes, error);
}

/* The rep (and manager) pages of statements[i], i ≡ part (mod 2). */
typedef struct {
  QtRunDirWriter *w;
  const QtHtmlSite *site;
  guint part, reps, managers;
  GError *error;
} PageJob;

static gpointer
pages_part (gpointer data)
{
  PageJob *job = data;
  const QtHtmlSite *site = job->site;
  for (guint i = job->part; i < site->statements->len && job->error == NULL; i += 2)
    {
      const cJSON *st = g_ptr_array_index (site->statements, i);
      const char *id = cJSON_GetObjectItem (cJSON_GetObjectItem (st, "rep"), "rep_id")->valuestring;
      g_autofree char *file = qt_html_rep_file (id);
      if (!put_page (job->w, file, qt_html_rep_page (site, st), &job->error))
        break;
      job->reps++;
      if (!g_hash_table_contains (site->teams, id))
        continue;
      g_autofree char *mfile = qt_html_manager_file (id);
      if (!put_page (job->w, mfile, qt_html_manager_page (site, st), &job->error))
        break;
      job->managers++;
    }
  return NULL;
}

/* Every page into `w` (whose sink takes files from two threads at once). */
static gboolean
write_pages (QtRunDirWriter *w, const QtHtmlSite *site, QtReportDone *done, GError **error)
{
  if (!put_page (w, "index.html", qt_html_summary (site), error))
    return FALSE;
  PageJob jobs[2] = { { w, site, 0, 0, 0, NULL }, { w, site, 1, 0, 0, NULL } };
  GThread *second = g_thread_try_new ("report-pages", pages_part, &jobs[1], NULL);
  pages_part (&jobs[0]);
  if (second != NULL)
    g_thread_join (second);
  else
    pages_part (&jobs[1]);
  done->reps = jobs[0].reps + jobs[1].reps;
  done->managers = jobs[0].managers + jobs[1].managers;
  GError *failed = jobs[0].error != NULL ? jobs[0].error : jobs[1].error;
  if (failed != NULL)
    g_propagate_error (error, g_error_copy (failed));
  g_clear_error (&jobs[0].error);
  g_clear_error (&jobs[1].error);
  return failed == NULL;
}

static gboolean
build (const QtReportOptions *o, const QtManifest *m, QtHtmlSite *site, GPtrArray *previous,
       GError **error)
{
  for (guint i = 0; o->previous != NULL && o->previous[i] != NULL; i++)
    {
      QtHtmlPrevious *p = read_previous (o->previous[i], error);
      if (p == NULL)
        return FALSE;
      g_ptr_array_add (previous, p);
    }
  site->period = m->period;
  site->components_sum = m->totals.components_sum;
  site->totals_sum = m->totals.totals_sum;
  site->previous = previous;
  site->appeals = o->appeals;
  if ((site->statements = read_statements (o->run_dir, m, error)) == NULL
      || (site->payout = read_json (o->run_dir, m, "payout.json", error)) == NULL
      || (site->exceptions = read_rows (o->run_dir, m, "exceptions.csv", error)) == NULL
      || !held_back (o->run_dir, m, site->exceptions, error))
    return FALSE;
  /* each manager's direct reports, in rep_id order */
  site->teams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < site->statements->len; i++)
    {
      cJSON *st = g_ptr_array_index (site->statements, i);
      const cJSON *mid = cJSON_GetObjectItem (cJSON_GetObjectItem (st, "rep"), "manager_id");
      if (!cJSON_IsString (mid))
        continue;
      GPtrArray *team = g_hash_table_lookup (site->teams, mid->valuestring);
      if (team == NULL)
        g_hash_table_insert (site->teams, mid->valuestring, team = g_ptr_array_new ());
      g_ptr_array_add (team, st);
    }
  return TRUE;
}

gboolean
qt_report_site (const QtReportOptions *o, QtReportDone *done, GError **error)
{
  *done = (QtReportDone) { 0 };
  g_autoptr (QtManifest) m = qt_manifest_read (o->run_dir, QT_RUN_COMMISSION, error);
  if (m == NULL || !qt_run_check_new_file (o->out, error))
    return FALSE;
  QtHtmlSite site = { 0 };
  g_autoptr (GPtrArray) previous = g_ptr_array_new_with_free_func (qt_html_previous_free);
  gboolean ok = build (o, m, &site, previous, error);
  QtRunDirWriter *w = ok ? qt_run_dir_begin (o->out, FALSE, QT_RUN_COMMISSION, m->period, error) : NULL;
  if (w != NULL && write_pages (w, &site, done, error))
    ok = qt_run_dir_commit (w, error);
  else
    {
      qt_run_dir_abort (w);
      ok = FALSE;
    }
  g_clear_pointer (&site.teams, g_hash_table_unref);
  /* a month's statements are millions of small nodes: freeing them costs
   * a tenth of the report, for nothing in a process that ends */
  static GPtrArray *kept;
  if (o->keep_until_exit)
    {
      g_clear_pointer (&kept, g_ptr_array_unref);
      kept = g_steal_pointer (&site.statements);
    }
  g_clear_pointer (&site.statements, g_ptr_array_unref);
  cJSON_Delete ((cJSON *) site.payout);
  g_clear_pointer (&site.exceptions, g_ptr_array_unref);
  return ok;
}
