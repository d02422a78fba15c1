/* run/manifest.c — manifest.json (SPEC §5, §7): written from a run's
 * result and files, read back into a QtManifest. */
#include "manifest.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../model/money.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../reports/output.h"
#include "../rules/json_pos.h"
#include "run_dir.h"

/* The one place a kind's name is spelled. */
static const char *const kind_names[] = {
  [QT_RUN_COMMISSION] = "commission_run",
  [QT_RUN_REBATE] = "rebate_run",
};

const char *
qt_run_kind_name (QtRunKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

/* ---- writing ---- */

static void
add_exact (cJSON *obj, const char *key, const mpq_t v)
{
  g_autofree char *txt = qt_exact_format (v);
  cJSON_AddStringToObject (obj, key, txt);
}

static cJSON *
count_amount (guint count, const mpq_t amount)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddItemToObject (o, "count", qt_json_integer_new (count));
  add_exact (o, "amount", amount);
  return o;
}

/* TRUE when the control totals of SPEC §7 balance. */
static gboolean
totals_balance (const QtRunResult *res)
{
  g_auto (mpq_t) sum;
  mpq_init (sum);
  mpq_add (sum, res->amount_credited, res->amount_excepted);
  return res->receipts_in_period == res->receipts_credited + res->receipts_excepted
         && mpq_equal (sum, res->amount_in_period)
         && mpq_equal (res->sum_components, res->sum_totals);
}

static cJSON *
control_totals (const QtRunResult *res)
{
  cJSON *t = cJSON_CreateObject ();
  cJSON_AddItemToObject (t, "receipts_in_period",
                         count_amount (res->receipts_in_period, res->amount_in_period));
  cJSON_AddItemToObject (t, "receipts_credited",
                         count_amount (res->receipts_credited, res->amount_credited));
  cJSON_AddItemToObject (t, "receipts_excepted",
                         count_amount (res->receipts_excepted, res->amount_excepted));
  cJSON_AddItemToObject (t, "credited_slices", qt_json_integer_new (res->slices->len));
  cJSON_AddItemToObject (t, "exception_rows", qt_json_integer_new (res->exceptions->len));
  cJSON_AddItemToObject (t, "payout_rows", qt_json_integer_new (res->n_reps));
  g_autofree char *comp = qt_fixed_format (res->sum_components, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_autofree char *tot = qt_fixed_format (res->sum_totals, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (t, "payout_components_sum", comp);
  cJSON_AddStringToObject (t, "payout_totals_sum", tot);
  cJSON_AddBoolToObject (t, "balanced", totals_balance (res));
  return t;
}

/* SPEC §11: the quarter's shipments = qualified + excepted. */
static cJSON *
rebate_totals (const QtRebateResult *res)
{
  cJSON *t = cJSON_CreateObject ();
  cJSON_AddItemToObject (t, "shipments_in_quarter", count_amount (res->n_shipments, res->amount_shipped));
  cJSON_AddItemToObject (t, "shipments_qualified", count_amount (res->n_qualified, res->amount_qualified));
  cJSON_AddItemToObject (t, "shipments_excepted", count_amount (res->n_excepted, res->amount_excepted));
  cJSON_AddItemToObject (t, "exception_rows", qt_json_integer_new (res->exceptions->len));
  cJSON_AddItemToObject (t, "rebate_rows", qt_json_integer_new (res->n_partners));
  g_autofree char *sum = qt_fixed_format (res->rebate_total, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (t, "rebates_sum", sum);
  g_auto (mpq_t) parts;
  mpq_init (parts);
  mpq_add (parts, res->amount_qualified, res->amount_excepted);
  cJSON_AddBoolToObject (t, "balanced", res->n_shipments == res->n_qualified + res->n_excepted
                                          && mpq_equal (parts, res->amount_shipped));
  return t;
}

static cJSON *
plans_used (const GPtrArray *used)
{
  cJSON *arr = cJSON_CreateArray ();
  for (guint i = 0; i < used->len; i++)
    {
      const QtPlanVersion *v = g_ptr_array_index (used, i);
      cJSON *o = cJSON_CreateObject ();
      g_autofree char *file = g_strconcat ("inputs/plans/", v->file_name, NULL);
      cJSON_AddStringToObject (o, "file", file);
      cJSON_AddStringToObject (o, "plan", v->plan);
      cJSON_AddItemToObject (o, "version", qt_json_integer_new (v->version));
      cJSON_AddStringToObject (o, "sha256", v->sha256);
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

static cJSON *
file_list (GPtrArray *files, gboolean inputs)
{
  cJSON *arr = cJSON_CreateArray ();
  for (guint i = 0; i < files->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (files, i);
      if (g_str_has_prefix (f->name, "inputs/") != inputs)
        continue;
      cJSON *o = cJSON_CreateObject ();
      cJSON_AddStringToObject (o, "file", f->name);
      if (f->rows >= 0)
        cJSON_AddItemToObject (o, "rows", qt_json_integer_new (f->rows));
      cJSON_AddItemToObject (o, "bytes", qt_json_integer_new ((gint64) f->size));
      cJSON_AddStringToObject (o, "sha256", f->sha256);
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

/* manifest.json: what every kind says (its period, plans, files and
 * control totals, which `totals` gives and this consumes). */
static GString *
render (QtRunKind kind, const char *period, const GPtrArray *used, GPtrArray *files,
        const QtManifestRevision *revision, cJSON *totals)
{
  qt_output_sort (files);
  cJSON *m = cJSON_CreateObject ();
  cJSON_AddStringToObject (m, "engine", "quotient");
  cJSON_AddStringToObject (m, "engine_version", QT_VERSION);
  cJSON_AddStringToObject (m, "kind", qt_run_kind_name (kind));
  cJSON_AddStringToObject (m, "period", period);
  if (revision != NULL)
    {
      cJSON_AddItemToObject (m, "revision", qt_json_integer_new (revision->number));
      cJSON *applied = cJSON_AddArrayToObject (m, "appeals_applied");
      for (const char *const *a = revision->applied; *a != NULL; a++)
        cJSON_AddItemToArray (applied, cJSON_CreateString (*a));
    }
  cJSON_AddItemToObject (m, "plans_used", plans_used (used));
  cJSON_AddItemToObject (m, "inputs", file_list (files, TRUE));
  cJSON_AddItemToObject (m, "outputs", file_list (files, FALSE));
  cJSON_AddItemToObject (m, "control_totals", totals);
  char *text = cJSON_Print (m);
  GString *s = g_string_new (text);
  g_string_append_c (s, '\n');
  cJSON_free (text);
  cJSON_Delete (m);
  return s;
}

GString *
qt_manifest_render (QtRunKind kind, const QtRunResult *res, GPtrArray *files,
                    const QtManifestRevision *revision)
{
  char period[8];
  return render (kind, qt_period_format (res->period, period), res->plans_used, files, revision,
                 control_totals (res));
}

GString *
qt_manifest_render_rebate (const QtRebateResult *res, GPtrArray *files)
{
  char quarter[8];
  return render (QT_RUN_REBATE, qt_quarter_format (res->quarter, quarter), res->plans_used, files,
                 NULL, rebate_totals (res));
}

/* ---- reading ---- */

/* Every reading error names the directory and what is wrong with it. */
static gboolean
bad (GError **error, const char *run_dir, const char *why)
{
  g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "%s is not a quotient run directory (%s)", run_dir,
               why);
  return FALSE;
}

/* The whole number >= 0 at member `key` of the value at `path`, read from
 * the manifest's text (rules/json_pos.h). */
static gboolean
count_member (const QtJsonDoc *doc, const char *path, const char *key, guint64 *out)
{
  g_autofree char *at = qt_json_path_member (path, key);
  gint64 v;
  if (!qt_json_doc_integer (doc, at, &v) || v < 0)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static void
manifest_file_free (gpointer p)
{
  QtManifestFile *f = p;
  g_free (f->file);
  g_free (f->sha256);
  g_free (f);
}

/* The file list at member `key` of the root. */
static gboolean
read_files (const QtJsonDoc *doc, const char *key, GPtrArray *out)
{
  const cJSON *list = cJSON_GetObjectItemCaseSensitive (doc->root, key);
  if (!cJSON_IsArray (list))
    return FALSE;
  const cJSON *item;
  guint i = 0;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *path = qt_json_path_index (key, i++);
      const char *file = qt_json_string_member (item, "file");
      const char *sha = qt_json_string_member (item, "sha256");
      guint64 bytes, rows = 0;
      gboolean has_rows = cJSON_GetObjectItemCaseSensitive (item, "rows") != NULL;
      if (file == NULL || sha == NULL || !count_member (doc, path, "bytes", &bytes)
          || (has_rows && !count_member (doc, path, "rows", &rows)) || !qt_run_path_is_inside (file))
        return FALSE;
      QtManifestFile *f = g_new0 (QtManifestFile, 1);
      f->file = g_strdup (file);
      f->sha256 = g_strdup (sha);
      f->bytes = bytes;
      f->rows = has_rows ? (gint64) rows : -1;
      g_ptr_array_add (out, f);
    }
  return TRUE;
}

static gboolean
read_count (const QtJsonDoc *doc, const cJSON *totals, const char *key, QtManifestCount *out)
{
  const cJSON *o = cJSON_GetObjectItemCaseSensitive (totals, key);
  g_autofree char *path = qt_json_path_member ("control_totals", key);
  const char *amount = qt_json_string_member (o, "amount");
  if (amount == NULL || !count_member (doc, path, "count", &out->count))
    return FALSE;
  out->amount = g_strdup (amount);
  return TRUE;
}

static gboolean
read_totals (const QtJsonDoc *doc, QtManifestTotals *out)
{
  const cJSON *t = cJSON_GetObjectItemCaseSensitive (doc->root, "control_totals");
  const char *comp = qt_json_string_member (t, "payout_components_sum");
  const char *tot = qt_json_string_member (t, "payout_totals_sum");
  const cJSON *balanced = cJSON_GetObjectItemCaseSensitive (t, "balanced");
  if (!read_count (doc, t, "receipts_in_period", &out->in_period)
      || !read_count (doc, t, "receipts_credited", &out->credited)
      || !read_count (doc, t, "receipts_excepted", &out->excepted)
      || !count_member (doc, "control_totals", "credited_slices", &out->credited_slices)
      || !count_member (doc, "control_totals", "exception_rows", &out->exception_rows)
      || !count_member (doc, "control_totals", "payout_rows", &out->payout_rows) || comp == NULL
      || tot == NULL
      || !cJSON_IsBool (balanced))
    return FALSE;
  out->components_sum = g_strdup (comp);
  out->totals_sum = g_strdup (tot);
  out->balanced = cJSON_IsTrue (balanced);
  return TRUE;
}

/* Fills `m` from a parsed manifest of `kind`. */
static gboolean
read_root (const char *run_dir, const QtJsonDoc *doc, QtRunKind kind, QtManifest *m, GError **error)
{
  const cJSON *root = doc->root;
  const char *got = qt_json_string_member (root, "kind");
  const char *period = qt_json_string_member (root, "period");
  const char *version = qt_json_string_member (root, "engine_version");
  if (got == NULL)
    return bad (error, run_dir, "manifest.json: no \"kind\"");
  if (strcmp (got, qt_run_kind_name (kind)) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "%s holds a run of kind '%s', not %s (manifest.json)", run_dir, got,
                   qt_run_kind_name (kind));
      return FALSE;
    }
  m->kind = kind;
  if (period == NULL || version == NULL)
    return bad (error, run_dir, "manifest.json: no \"period\" or \"engine_version\"");
  m->period = g_strdup (period);
  m->engine_version = g_strdup (version);
  if (!read_files (doc, "inputs", m->inputs) || !read_files (doc, "outputs", m->outputs))
    return bad (error, run_dir, "manifest.json: a malformed \"inputs\" or \"outputs\" list");
  if (kind == QT_RUN_COMMISSION && !read_totals (doc, &m->totals))
    return bad (error, run_dir, "manifest.json: malformed \"control_totals\"");
  return TRUE;
}

QtManifest *
qt_manifest_parse (const char *run_dir, GBytes *text, QtRunKind kind, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (text, &len);
  g_autoptr (QtJsonDoc) doc = qt_json_doc_parse (data != NULL ? data : "", len, NULL);
  if (doc == NULL || !cJSON_IsObject (doc->root))
    {
      bad (error, run_dir, "no readable manifest.json");
      return NULL;
    }
  g_autoptr (QtManifest) m = g_new0 (QtManifest, 1);
  m->inputs = g_ptr_array_new_with_free_func (manifest_file_free);
  m->outputs = g_ptr_array_new_with_free_func (manifest_file_free);
  gboolean ok = read_root (run_dir, doc, kind, m, error);
  return ok ? g_steal_pointer (&m) : NULL;
}

/* A manifest lists a run's files: even a run of a million reps stays far
 * below this; a larger "manifest.json" is not one. */
#define MANIFEST_MAX_BYTES ((gsize) 256 << 20)

QtManifest *
qt_manifest_read (const char *run_dir, QtRunKind kind, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, "manifest.json", MANIFEST_MAX_BYTES, &local);
  if (bytes == NULL)
    {
      g_autofree char *why = strcmp (local->message, "missing") == 0
                               ? g_strdup ("no readable manifest.json")
                               : g_strdup_printf ("manifest.json: %s", local->message);
      bad (error, run_dir, why);
      return NULL;
    }
  return qt_manifest_parse (run_dir, bytes, kind, error);
}

const char *
qt_manifest_listed_sha256 (const QtManifest *m, const char *file)
{
  GPtrArray *lists[] = { m->outputs, m->inputs };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const QtManifestFile *f = g_ptr_array_index (lists[l], i);
        if (strcmp (f->file, file) == 0)
          return f->sha256;
      }
  return NULL;
}

GBytes *
qt_manifest_read_listed (const char *run_dir, const QtManifest *m, const char *rel,
                         const char *what, gsize max_len, GError **error)
{
  const char *want = qt_manifest_listed_sha256 (m, rel);
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, rel, max_len, error);
  if (bytes == NULL)
    return NULL;
  g_autofree char *got = qt_sha256_hex_bytes (bytes);
  if (want == NULL || strcmp (got, want) != 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH,
                   "%s/%s: not the %s the run wrote (SHA-256 %s, manifest %s); run quotient "
                   "verify %s", run_dir, rel, what, got, want != NULL ? want : "nothing", run_dir);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

QtRunKind
qt_manifest_kind (const char *run_dir)
{
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, "manifest.json", MANIFEST_MAX_BYTES, NULL);
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  g_autoptr (QtJsonDoc) doc = data != NULL ? qt_json_doc_parse (data, len, NULL) : NULL;
  const char *kind = doc != NULL ? qt_json_string_member (doc->root, "kind") : NULL;
  for (guint k = 0; kind != NULL && k < G_N_ELEMENTS (kind_names); k++)
    if (strcmp (kind, kind_names[k]) == 0)
      return (QtRunKind) k;
  return QT_RUN_COMMISSION;
}

static void
count_clear (QtManifestCount *c)
{
  g_free (c->amount);
}

void
qt_manifest_free (QtManifest *m)
{
  if (m == NULL)
    return;
  g_free (m->engine_version);
  g_free (m->period);
  g_clear_pointer (&m->inputs, g_ptr_array_unref);
  g_clear_pointer (&m->outputs, g_ptr_array_unref);
  count_clear (&m->totals.in_period);
  count_clear (&m->totals.credited);
  count_clear (&m->totals.excepted);
  g_free (m->totals.components_sum);
  g_free (m->totals.totals_sum);
  g_free (m);
}
