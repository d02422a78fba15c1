/* reports/manifest.c — manifest.json (SPEC §5, §7). */
#include "manifest.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../model/money.h"
#include "output.h"

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
  cJSON_AddNumberToObject (o, "count", count);
  add_exact (o, "amount", amount);
  return o;
}

gboolean
qt_report_totals_balance (const QtRunResult *res)
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
  cJSON_AddNumberToObject (t, "credited_slices", res->slices->len);
  cJSON_AddNumberToObject (t, "exception_rows", res->exceptions->len);
  cJSON_AddNumberToObject (t, "payout_rows", res->n_reps);
  g_autofree char *comp = qt_fixed_format (res->sum_components, 2, QT_ROUND_HALF_EVEN);
  g_autofree char *tot = qt_fixed_format (res->sum_totals, 2, QT_ROUND_HALF_EVEN);
  cJSON_AddStringToObject (t, "payout_components_sum", comp);
  cJSON_AddStringToObject (t, "payout_totals_sum", tot);
  cJSON_AddBoolToObject (t, "balanced", qt_report_totals_balance (res));
  return t;
}

static cJSON *
plans_used (const QtRunResult *res)
{
  cJSON *arr = cJSON_CreateArray ();
  for (guint i = 0; i < res->plans_used->len; i++)
    {
      const QtPlanVersion *v = g_ptr_array_index (res->plans_used, i);
      cJSON *o = cJSON_CreateObject ();
      g_autofree char *file = g_strconcat ("inputs/plans/", v->file_name, NULL);
      cJSON_AddStringToObject (o, "file", file);
      cJSON_AddStringToObject (o, "plan", v->plan);
      cJSON_AddNumberToObject (o, "version", v->version);
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
        cJSON_AddNumberToObject (o, "rows", f->rows);
      cJSON_AddNumberToObject (o, "bytes", f->size);
      cJSON_AddStringToObject (o, "sha256", f->sha256);
      cJSON_AddItemToArray (arr, o);
    }
  return arr;
}

GString *
qt_report_manifest (const QtRunResult *res, GPtrArray *files)
{
  qt_output_sort (files);
  cJSON *m = cJSON_CreateObject ();
  char period[8];
  cJSON_AddStringToObject (m, "engine", "quotient");
  cJSON_AddStringToObject (m, "engine_version", QT_VERSION);
  cJSON_AddStringToObject (m, "kind", "commission_run");
  cJSON_AddStringToObject (m, "period", qt_period_format (res->period, period));
  cJSON_AddItemToObject (m, "plans_used", plans_used (res));
  cJSON_AddItemToObject (m, "inputs", file_list (files, TRUE));
  cJSON_AddItemToObject (m, "outputs", file_list (files, FALSE));
  cJSON_AddItemToObject (m, "control_totals", control_totals (res));
  char *text = cJSON_Print (m);
  GString *s = g_string_new (text);
  g_string_append_c (s, '\n');
  cJSON_free (text);
  cJSON_Delete (m);
  return s;
}
