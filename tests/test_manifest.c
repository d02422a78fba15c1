/* tests/test_manifest.c — run/manifest: a manifest written from a run reads
 * back the same (kind, period, files, control totals); a manifest of
 * another kind is refused; malformed manifests are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "model/money.h"
#include "calc/engine.h"
#include "loaders/dataset_loader.h"
#include "model/qt_error.h"
#include "reports/output.h"
#include "run/manifest.h"
#include "support/test_support.h"

/* ---- writing and reading back a real run ---- */

typedef struct {
  QtDataset *ds;
  QtPlanSet *plans;
  QtRunResult *res;
} Run;

static Run *
golden_run (const char *period_text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = qt_test_source_path ("fixtures/golden/data");
  g_autofree char *plans = qt_test_source_path ("fixtures/golden/plans");
  Run *r = g_new0 (Run, 1);
  r->ds = qt_dataset_load_dir (data, NULL, &error);
  assert_non_null (r->ds);
  r->plans = qt_plan_set_load_dir (plans, &error);
  assert_non_null (r->plans);
  QtPeriod period;
  assert_true (qt_period_parse (period_text, strlen (period_text), &period));
  r->res = qt_engine_run (r->ds, r->plans, period, NULL, &error);
  assert_non_null (r->res);
  return r;
}

static void
run_free (Run *r)
{
  qt_run_result_free (r->res);
  qt_plan_set_free (r->plans);
  qt_dataset_free (r->ds);
  g_free (r);
}

/* A file record as a sink leaves it: no bytes, a hash. */
static void
add_file (GPtrArray *files, const char *name, gint rows, gsize size, const char *sha)
{
  QtOutputFile *f = g_new0 (QtOutputFile, 1);
  f->name = g_strdup (name);
  f->rows = rows;
  f->size = size;
  f->sha256 = g_strdup (sha);
  g_ptr_array_add (files, f);
}

static void
assert_file (const GPtrArray *list, guint i, const char *name, gint64 rows, guint64 bytes,
             const char *sha)
{
  const QtManifestFile *f = g_ptr_array_index (list, i);
  assert_string_equal (f->file, name);
  assert_int_equal (f->rows, rows);
  assert_int_equal (f->bytes, bytes);
  assert_string_equal (f->sha256, sha);
}

static void
assert_count (const QtManifestCount *c, guint count, const mpq_t amount)
{
  g_autofree char *want = qt_exact_format (amount);
  assert_int_equal (c->count, count);
  assert_string_equal (c->amount, want);
}

static void
test_round_trip (void **state)
{
  (void) state;
  Run *r = golden_run ("2026-03");
  g_autoptr (GPtrArray) files = qt_output_list_new ();
  /* out of order on purpose: the manifest sorts them */
  add_file (files, "statements/r1.json", -1, 120, "cc");
  add_file (files, "payout.csv", 3, 200, "bb");
  add_file (files, "inputs/data/reps.csv", 3, 90, "aa");
  add_file (files, "inputs/plans/p.json", -1, 500, "dd");
  g_autoptr (GString) text = qt_manifest_render (QT_RUN_COMMISSION, r->res, files, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (text->str, text->len);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtManifest) m = qt_manifest_parse ("RUN", bytes, QT_RUN_COMMISSION, &error);
  assert_null (error);
  assert_non_null (m);
  assert_int_equal (m->kind, QT_RUN_COMMISSION);
  assert_string_equal (m->period, "2026-03");
  assert_string_equal (m->engine_version, QT_VERSION);
  assert_int_equal (m->inputs->len, 2);
  assert_file (m->inputs, 0, "inputs/data/reps.csv", 3, 90, "aa");
  assert_file (m->inputs, 1, "inputs/plans/p.json", -1, 500, "dd");
  assert_int_equal (m->outputs->len, 2);
  assert_file (m->outputs, 0, "payout.csv", 3, 200, "bb");
  assert_file (m->outputs, 1, "statements/r1.json", -1, 120, "cc");
  const QtRunResult *res = r->res;
  assert_count (&m->totals.in_period, res->receipts_in_period, res->amount_in_period);
  assert_count (&m->totals.credited, res->receipts_credited, res->amount_credited);
  assert_count (&m->totals.excepted, res->receipts_excepted, res->amount_excepted);
  assert_int_equal (m->totals.credited_slices, res->slices->len);
  assert_int_equal (m->totals.exception_rows, res->exceptions->len);
  assert_true (m->totals.exception_rows > 0); /* the golden month has exceptions */
  assert_int_equal (m->totals.payout_rows, res->n_reps);
  g_autofree char *total = qt_fixed_format (res->sum_totals, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  assert_string_equal (m->totals.totals_sum, total);
  assert_string_equal (m->totals.components_sum, total);
  assert_true (m->totals.balanced);
  /* The kind's name is written as the manifest's "kind". */
  g_autofree char *kind = g_strdup_printf ("\"kind\":\t\"%s\"", qt_run_kind_name (QT_RUN_COMMISSION));
  assert_non_null (strstr (text->str, kind));
  run_free (r);
}

/* ---- reading hand-made manifests ---- */

#define VALID                                                                                   \
  "{\"engine\":\"quotient\",\"engine_version\":\"0.1.0\",\"kind\":\"commission_run\","          \
  "\"period\":\"2026-03\",\"plans_used\":[],"                                                   \
  "\"inputs\":[{\"file\":\"inputs/data/reps.csv\",\"rows\":2,\"bytes\":30,\"sha256\":\"aa\"}]," \
  "\"outputs\":[{\"file\":\"payout.csv\",\"rows\":2,\"bytes\":40,\"sha256\":\"bb\"},"          \
  "{\"file\":\"statements/a.json\",\"bytes\":3,\"sha256\":\"cc\"}],"                           \
  "\"control_totals\":{\"receipts_in_period\":{\"count\":3,\"amount\":\"10\"},"                 \
  "\"receipts_credited\":{\"count\":2,\"amount\":\"7.5\"},"                                     \
  "\"receipts_excepted\":{\"count\":1,\"amount\":\"5/2\"},\"credited_slices\":4,"               \
  "\"exception_rows\":1,\"payout_rows\":2,\"payout_components_sum\":\"1.00\","                  \
  "\"payout_totals_sum\":\"1.00\",\"balanced\":true}}"

/* VALID with its first `from` replaced by `to`. (transfer full) */
static GBytes *
variant (const char *from, const char *to)
{
  const char *at = strstr (VALID, from);
  assert_non_null (at);
  GString *s = g_string_new_len (VALID, at - VALID);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free_to_bytes (s);
}

static void
test_read_hand_made (void **state)
{
  (void) state;
  g_autoptr (GBytes) bytes = g_bytes_new_static (VALID, strlen (VALID));
  g_autoptr (GError) error = NULL;
  g_autoptr (QtManifest) m = qt_manifest_parse ("RUN", bytes, QT_RUN_COMMISSION, &error);
  assert_non_null (m);
  assert_string_equal (m->period, "2026-03");
  assert_file (m->inputs, 0, "inputs/data/reps.csv", 2, 30, "aa");
  assert_file (m->outputs, 1, "statements/a.json", -1, 3, "cc");
  assert_int_equal (m->totals.excepted.count, 1);
  assert_string_equal (m->totals.excepted.amount, "5/2");
  assert_int_equal (m->totals.credited_slices, 4);
  assert_true (m->totals.balanced);
}

/* A run of another kind is not taken for this one. */
static void
test_other_kind_refused (void **state)
{
  (void) state;
  g_autoptr (GBytes) bytes = variant ("\"commission_run\"", "\"rebate_run\"");
  g_autoptr (GError) error = NULL;
  assert_null (qt_manifest_parse ("runs/q1", bytes, QT_RUN_COMMISSION, &error));
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_USAGE));
  assert_string_equal (error->message,
                       "runs/q1 holds a run of kind 'rebate_run', not commission_run (manifest.json)");
}

static void
test_malformed (void **state)
{
  (void) state;
  const struct { const char *from, *to, *why; } cases[] = {
    { VALID, "this is not JSON", "no readable manifest.json" },
    { VALID, "[1, 2]", "no readable manifest.json" },
    { VALID, "", "no readable manifest.json" },
    { "{\"file\":\"payout.csv\",\"rows\":2,", "{\"file\":\"payout.csv\",\"rows\":2", "no readable manifest.json" },
    { "\"kind\":\"commission_run\",", "", "manifest.json: no \"kind\"" },
    { "\"kind\":\"commission_run\"", "\"kind\":7", "manifest.json: no \"kind\"" },
    { "\"period\":\"2026-03\",", "", "manifest.json: no \"period\" or \"engine_version\"" },
    { "\"inputs\":[{\"file\":\"inputs/data/reps.csv\",\"rows\":2,\"bytes\":30,\"sha256\":\"aa\"}]",
      "\"inputs\":{\"file\":\"x\"}", "manifest.json: a malformed \"inputs\" or \"outputs\" list" },
    { "\"sha256\":\"bb\"", "\"sha\":\"bb\"", "manifest.json: a malformed \"inputs\" or \"outputs\" list" },
    { "\"bytes\":30", "\"bytes\":-30", "manifest.json: a malformed \"inputs\" or \"outputs\" list" },
    { "\"rows\":2,\"bytes\":30", "\"rows\":2.5,\"bytes\":30", "manifest.json: a malformed \"inputs\" or \"outputs\" list" },
    { "\"bytes\":3,", "\"bytes\":\"3\",", "manifest.json: a malformed \"inputs\" or \"outputs\" list" },
    { "\"balanced\":true", "\"balanced\":\"yes\"", "manifest.json: malformed \"control_totals\"" },
    { "{\"count\":2,\"amount\":\"7.5\"}", "{\"count\":2}", "manifest.json: malformed \"control_totals\"" },
    { "\"payout_rows\":2,", "", "manifest.json: malformed \"control_totals\"" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = variant (cases[i].from, cases[i].to);
      g_autoptr (GError) error = NULL;
      QtManifest *m = qt_manifest_parse ("RUN", bytes, QT_RUN_COMMISSION, &error);
      if (m != NULL)
        fail_msg ("case %u was accepted", i);
      assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_USAGE));
      g_autofree char *want = g_strdup_printf ("RUN is not a quotient run directory (%s)",
                                               cases[i].why);
      assert_string_equal (error->message, want);
    }
}

/* qt_manifest_read: RUN/manifest.json from disk; missing is "not a run". */
static void
test_read_from_disk (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autoptr (GError) error = NULL;
  assert_null (qt_manifest_read (tmp, QT_RUN_COMMISSION, &error));
  g_autofree char *want = g_strdup_printf ("%s is not a quotient run directory "
                                           "(no readable manifest.json)", tmp);
  assert_string_equal (error->message, want);
  g_autofree char *path = g_build_filename (tmp, "manifest.json", NULL);
  qt_test_write (path, VALID);
  g_autoptr (QtManifest) m = qt_manifest_read (tmp, QT_RUN_COMMISSION, NULL);
  assert_non_null (m);
  assert_string_equal (m->period, "2026-03");
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_read_hand_made),
    cmocka_unit_test (test_other_kind_refused),
    cmocka_unit_test (test_malformed),
    cmocka_unit_test (test_read_from_disk),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
