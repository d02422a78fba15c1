/* tests/test_plan.c — plan loading, validation messages and version lookup (rules/plan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gmp.h>
#include <string.h>

#include "model/money.h"
#include "model/qt_error.h"
#include "rules/plan.h"

/* A plan file with one member per line: 2 plan, 3 version (value at column
 * 14), 4 effective_from (column 21), 5 currency, 6 credit (column 13),
 * 7 commission (column 17).  `extra` continues line 7; starting it with
 * ",\n  " adds members from line 8 on, their keys at column 3. */
#define PLAN(version, from, credit, commission, extra) \
  "{\n"                                                \
  "  \"plan\": \"p\",\n"                               \
  "  \"version\": " version ",\n"                      \
  "  \"effective_from\": " from ",\n"                  \
  "  \"currency\": \"CNY\",\n"                         \
  "  \"credit\": " credit ",\n"                        \
  "  \"commission\": " commission extra "\n"           \
  "}\n"

#define FROM_OK "\"2026-01-01\""
#define CREDIT_OK "{\"eligible_status\": [\"paid\"]}"
#define TIER0 "{\"from\": \"0\", \"rate\": \"0.03\"}"
#define COMM_OK "{\"mode\": \"marginal\", \"tiers\": [" TIER0 "]}"
#define PLAN_OK(extra) PLAN ("1", FROM_OK, CREDIT_OK, COMM_OK, extra)

/* credit with multiplier items from line 7, column 5. */
#define MULTS(items) \
  "{\"eligible_status\": [\"paid\"], \"multipliers\": [\n    " items "\n  ]}"
/* commission with tier items from line 8, column 5; `tail` follows `]` on
 * the next line (column 4). */
#define TIERS(mode, tiers, tail) \
  "{\"mode\": " mode ", \"tiers\": [\n    " tiers "\n  ]" tail "}"
/* score on line 8 (column 12); process items on line 9 from column 17,
 * result items on line 10 from column 16. */
#define SCORE(pw, rw, process, result)                                             \
  ",\n  \"score\": {\"process_weight\": " pw ", \"result_weight\": " rw ",\n" \
  "    \"process\": [" process "],\n"                                          \
  "    \"result\": [" result "]}"
#define SCORE_OK                                                         \
  SCORE ("\"0.4\"", "\"0.6\"",                                           \
         "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"1\"}", \
         "{\"measure\": \"attainment\", \"weight\": \"1\", \"cap\": \"1.5\"}")
/* bonuses with items from line 9, column 5 (when nothing precedes them). */
#define BONUSES(items) ",\n  \"bonuses\": [\n    " items "\n  ]"

/* ---- helpers ----------------------------------------------------------- */

static int
setup_tmp (void **state)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("quotient-test-plan-XXXXXX", &error);
  if (dir == NULL)
    return -1;
  *state = dir;
  return 0;
}

/* Test directories are flat, apart from empty subdirectories. */
static int
teardown_tmp (void **state)
{
  g_autofree char *dir = *state;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  return g_rmdir (dir) == 0 ? 0 : -1;
}

static void
write_file_len (const char *dir, const char *name, const char *text, gssize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  assert_true (g_file_set_contents (path, text, len, &error));
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  write_file_len (dir, name, text, -1);
}

/* Loading dir fails with exactly `DIR/NAME:SUFFIX`, QT_ERROR_MALFORMED. */
static void
assert_malformed (const char *dir, const char *name, const char *suffix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = qt_plan_set_load_dir (dir, &error);
  assert_null (set);
  assert_non_null (error);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *expected = g_strdup_printf ("%s:%s", path, suffix);
  assert_string_equal (error->message, expected);
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_MALFORMED));
}

/* Writes `text` as the only plan file a.json and expects `a.json:SUFFIX`. */
static void
check_one (void **state, const char *text, const char *suffix)
{
  write_file (*state, "a.json", text);
  assert_malformed (*state, "a.json", suffix);
}

static QtPlanSet *
load_ok (const char *dir)
{
  g_autoptr(GError) error = NULL;
  QtPlanSet *set = qt_plan_set_load_dir (dir, &error);
  if (error != NULL)
    fail_msg ("unexpected error: %s", error->message);
  assert_non_null (set);
  return set;
}

/* v equals the rational written as "p/q" or "n". */
static void
assert_q (const mpq_t v, const char *expected)
{
  mpq_t e;
  mpq_init (e);
  assert_int_equal (mpq_set_str (e, expected, 10), 0);
  mpq_canonicalize (e);
  const int equal = mpq_equal (v, e);
  if (!equal)
    gmp_printf ("value %Qd, expected %Qd\n", v, e);
  mpq_clear (e);
  assert_true (equal);
}

static QtDay
day (const char *text)
{
  QtDay d = 0;
  assert_true (qt_date_parse (text, strlen (text), &d));
  return d;
}

/* The golden plans, found next to this source file (tests/ → fixtures/). */
static char *
golden_plans_dir (void)
{
  g_autofree char *tests = g_path_get_dirname (__FILE__);
  g_autofree char *root = g_path_get_dirname (tests);
  return g_build_filename (root, "fixtures", "golden", "plans", NULL);
}

static const QtPlanVersion *
version_at (const QtPlanSet *set, guint i)
{
  guint n = 0;
  const QtPlanVersion *const *all = qt_plan_set_versions (set, &n);
  assert_true (i < n);
  return all[i];
}

/* ---- the golden plans -------------------------------------------------- */

static void
test_golden_versions_sorted (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);
  guint n = 0;
  const QtPlanVersion *const *all = qt_plan_set_versions (set, &n);
  assert_int_equal (n, 4);
  assert_string_equal (all[0]->plan, "field");
  assert_int_equal (all[0]->version, 1);
  assert_string_equal (all[1]->plan, "field");
  assert_int_equal (all[1]->version, 2);
  assert_string_equal (all[2]->plan, "inside");
  assert_string_equal (all[3]->plan, "lead");
  assert_string_equal (all[1]->file_name, "field-v2.json");
}

static void
test_golden_field_v1 (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);
  const QtPlanVersion *v = version_at (set, 0);

  assert_int_equal (v->effective_from, day ("2025-01-01"));
  assert_true (v->has_effective_to);
  assert_int_equal (v->effective_to, day ("2026-02-28"));
  assert_string_equal (v->currency, "CNY");
  assert_int_equal (v->eligible_status, (1u << QT_STATUS_SIGNED) | (1u << QT_STATUS_PAID)
                                          | (1u << QT_STATUS_COMPLETED)
                                          | (1u << QT_STATUS_CANCELLED));

  const QtMultiplier *m = v->mult;
  assert_true (m[QT_MULT_NEW_CUSTOMER].present);
  assert_q (m[QT_MULT_NEW_CUSTOMER].factor, "13/10");
  assert_int_equal (m[QT_MULT_NEW_CUSTOMER].lookback_days, 365);
  assert_q (m[QT_MULT_HIGH_MARGIN].factor, "6/5");
  assert_q (m[QT_MULT_HIGH_MARGIN].min_margin_rate, "7/20");
  assert_q (m[QT_MULT_FAST_COLLECTION].factor, "11/10");
  assert_int_equal (m[QT_MULT_FAST_COLLECTION].max_days, 60);

  assert_int_equal (v->mode, QT_MODE_MARGINAL);
  assert_int_equal (v->n_tiers, 3);
  assert_q (v->tiers[0].from, "0");
  assert_q (v->tiers[0].rate, "3/100");
  assert_q (v->tiers[1].from, "1");
  assert_q (v->tiers[1].rate, "1/20");
  assert_q (v->tiers[2].from, "3/2");
  assert_q (v->tiers[2].rate, "7/100");
  assert_true (v->has_cap);
  assert_q (v->cap, "2000");
  assert_false (v->has_override);
}

static void
test_golden_field_v1_score_bonus_appeals (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);
  const QtPlanVersion *v = version_at (set, 0);

  assert_true (v->has_score);
  assert_q (v->process_weight, "2/5");
  assert_q (v->result_weight, "3/5");
  assert_int_equal (v->n_process, 3);
  assert_string_equal (v->process[0].metric, "quality_visits");
  assert_q (v->process[0].target, "40");
  assert_q (v->process[0].weight, "1/2");
  assert_q (v->process[1].target, "4/5");
  assert_true (v->process[2].has_cap);
  assert_q (v->process[2].cap, "3/2");
  assert_int_equal (v->n_result, 2);
  assert_true (v->result[0].is_attainment);
  assert_null (v->result[0].metric);
  assert_false (v->result[0].has_target);
  assert_q (v->result[0].weight, "7/10");
  assert_string_equal (v->result[1].metric, "nps");

  assert_int_equal (v->n_bonuses, 2);
  assert_string_equal (v->bonuses[0].id, "q_sprint");
  assert_int_equal (v->bonuses[0].kind, QT_BONUS_QUARTERLY_SPRINT);
  assert_q (v->bonuses[0].min_attainment, "1");
  assert_q (v->bonuses[0].amount, "5000");
  assert_int_equal (v->bonuses[1].kind, QT_BONUS_SCORE);
  assert_q (v->bonuses[1].target_amount, "3000");
  assert_true (v->bonuses[1].has_min_score);
  assert_q (v->bonuses[1].min_score, "60");

  assert_true (v->has_appeals);
  assert_int_equal (v->window_hours, 72);
  assert_int_equal (v->reviewers, 2);
}

static void
test_golden_other_plans (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);

  const QtPlanVersion *v2 = version_at (set, 1);
  assert_false (v2->has_effective_to);
  assert_q (v2->mult[QT_MULT_NEW_CUSTOMER].factor, "3/2");
  assert_q (v2->mult[QT_MULT_HIGH_MARGIN].factor, "5/4");
  assert_q (v2->mult[QT_MULT_HIGH_MARGIN].min_margin_rate, "2/5");
  assert_int_equal (v2->mult[QT_MULT_FAST_COLLECTION].max_days, 45);
  assert_q (v2->tiers[1].from, "4/5");
  assert_q (v2->tiers[2].rate, "3/50");
  assert_q (v2->cap, "1500");

  const QtPlanVersion *inside = version_at (set, 2);
  assert_int_equal (inside->mode, QT_MODE_RETROACTIVE);
  assert_false (inside->mult[QT_MULT_NEW_CUSTOMER].present);
  assert_false (inside->mult[QT_MULT_HIGH_MARGIN].present);
  assert_q (inside->mult[QT_MULT_FAST_COLLECTION].factor, "21/20");
  assert_int_equal (inside->mult[QT_MULT_FAST_COLLECTION].max_days, 30);
  assert_false (inside->has_cap);
  assert_false (inside->has_appeals);
  assert_q (inside->process[0].weight, "1");

  const QtPlanVersion *lead = version_at (set, 3);
  assert_true (lead->has_override);
  assert_q (lead->override_rate, "1/20");
  assert_false (lead->has_score);
  assert_int_equal (lead->n_tiers, 2);
  assert_int_equal (lead->n_bonuses, 1);
  assert_q (lead->bonuses[0].min_attainment, "9/10");
  assert_q (lead->bonuses[0].amount, "1000");
}

/* SPEC §3: field v1 ends 2026-02-28, v2 starts 2026-03-01. */
static void
test_golden_in_force (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);

  const QtPlanVersion *feb = qt_plan_set_in_force (set, "field", day ("2026-02-28"));
  const QtPlanVersion *mar = qt_plan_set_in_force (set, "field", day ("2026-03-01"));
  assert_non_null (feb);
  assert_int_equal (feb->version, 1);
  assert_non_null (mar);
  assert_int_equal (mar->version, 2);
  assert_int_equal (qt_plan_set_in_force (set, "field", day ("2099-12-31"))->version, 2);
  assert_null (qt_plan_set_in_force (set, "field", day ("2024-12-31")));
  assert_string_equal (qt_plan_set_in_force (set, "lead", day ("2026-03-01"))->plan, "lead");
  assert_null (qt_plan_set_in_force (set, "nobody", day ("2026-03-01")));
  assert_true (qt_plan_set_has_plan (set, "inside"));
  assert_false (qt_plan_set_has_plan (set, "nobody"));
}

static void
test_golden_sha256 (void **state)
{
  (void) state;
  g_autofree char *dir = golden_plans_dir ();
  g_autoptr(QtPlanSet) set = load_ok (dir);
  const QtPlanVersion *v = version_at (set, 1);

  g_autofree char *path = g_build_filename (dir, "field-v2.json", NULL);
  assert_string_equal (v->path, path);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) bytes, (gssize) len);
  assert_string_equal (v->sha256, g_checksum_get_string (sum));
  assert_int_equal (strlen (v->sha256), 64);
  assert_int_equal (strspn (v->sha256, "0123456789abcdef"), 64);
}

/* ---- valid plans in a temporary directory ------------------------------ */

static void
test_minimal_plan (void **state)
{
  write_file (*state, "a.json", PLAN_OK (",\n  \"effective_to\": null"));
  g_autoptr(QtPlanSet) set = load_ok (*state);
  const QtPlanVersion *v = version_at (set, 0);
  assert_string_equal (v->plan, "p");
  assert_int_equal (v->version, 1);
  assert_false (v->has_effective_to);
  assert_int_equal (v->eligible_status, 1u << QT_STATUS_PAID);
  for (int k = 0; k < QT_MULT_COUNT; k++)
    assert_false (v->mult[k].present);
  assert_int_equal (v->n_tiers, 1);
  assert_q (v->tiers[0].rate, "3/100");
  assert_false (v->has_cap || v->has_override || v->has_score || v->has_appeals);
  assert_int_equal (v->n_bonuses, 0);
}

/* Unknown members are ignored, even with keys that look like paths. */
static void
test_unknown_members_ignored (void **state)
{
  write_file (*state, "a.json",
              PLAN_OK (",\n  \"notes\": {\"a.b\": [1, 2e300, {\"\": null}], \"x\": true}"));
  write_file (*state, "readme.txt", "not a plan");
  write_file (*state, "b.json.bak", "{");
  g_autofree char *sub = g_build_filename (*state, "sub.json", NULL);
  assert_int_equal (g_mkdir (sub, 0700), 0);
  g_autoptr(QtPlanSet) set = load_ok (*state);
  guint n = 0;
  qt_plan_set_versions (set, &n);
  assert_int_equal (n, 1);
}

/* Adjacent versions with a gap: lookups at each inclusive bound. */
static void
test_in_force_bounds (void **state)
{
  write_file (*state, "v1.json",
              PLAN ("1", "\"2026-01-01\"", CREDIT_OK, COMM_OK,
                    ",\n  \"effective_to\": \"2026-01-31\""));
  write_file (*state, "v2.json",
              PLAN ("2", "\"2026-02-01\"", CREDIT_OK, COMM_OK,
                    ",\n  \"effective_to\": \"2026-03-31\""));
  write_file (*state, "v3.json", PLAN ("3", "\"2026-06-01\"", CREDIT_OK, COMM_OK, ""));
  g_autoptr(QtPlanSet) set = load_ok (*state);

  assert_null (qt_plan_set_in_force (set, "p", day ("2025-12-31")));
  assert_int_equal (qt_plan_set_in_force (set, "p", day ("2026-01-01"))->version, 1);
  assert_int_equal (qt_plan_set_in_force (set, "p", day ("2026-01-31"))->version, 1);
  assert_int_equal (qt_plan_set_in_force (set, "p", day ("2026-02-01"))->version, 2);
  assert_int_equal (qt_plan_set_in_force (set, "p", day ("2026-03-31"))->version, 2);
  assert_null (qt_plan_set_in_force (set, "p", day ("2026-04-01")));
  assert_null (qt_plan_set_in_force (set, "p", day ("2026-05-31")));
  assert_int_equal (qt_plan_set_in_force (set, "p", day ("2026-06-01"))->version, 3);
}

/* SPEC §11: a rebate plan is validated by its own rules and left out of a
 * commission set. */
static void
test_rebate_plan_skipped (void **state)
{
  write_file (*state, "a.json", PLAN_OK (""));
  write_file (*state, "r.json", "{\"rebate_plan\": \"distributor\", \"version\": 1, "
              "\"effective_from\": \"2026-01-01\", \"currency\": \"CNY\", \"mode\": \"marginal\", "
              "\"tiers\": [{\"from\": \"0\", \"rate\": \"0\"}]}");
  g_autoptr(QtPlanSet) set = load_ok (*state);
  guint n = 0;
  qt_plan_set_versions (set, &n);
  assert_int_equal (n, 1);
  assert_false (qt_plan_set_has_plan (set, "distributor"));
}

static void
test_empty_directory (void **state)
{
  g_autoptr(QtPlanSet) set = load_ok (*state);
  guint n = 99;
  qt_plan_set_versions (set, &n);
  assert_int_equal (n, 0);
  assert_null (qt_plan_set_in_force (set, "p", day ("2026-01-01")));
}

static void
test_missing_directory (void **state)
{
  g_autofree char *dir = g_build_filename (*state, "nope", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = qt_plan_set_load_dir (dir, &error);
  assert_null (set);
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_IO));
  g_autofree char *prefix = g_strdup_printf ("%s:1:1: ", dir);
  assert_true (g_str_has_prefix (error->message, prefix));
}

/* ---- malformed: JSON level --------------------------------------------- */

static void
test_broken_json_missing_comma (void **state)
{
  check_one (state, "{\n  \"plan\": \"p\"\n  \"version\": 1\n}\n", "3:3: invalid JSON");
}

static void
test_broken_json_truncated (void **state)
{
  check_one (state, "{\n  \"plan\": \"p\",\n", "3:1: invalid JSON");
}

static void
test_broken_json_nan (void **state)
{
  check_one (state, PLAN ("NaN", FROM_OK, CREDIT_OK, COMM_OK, ""), "3:14: invalid JSON");
}

static void
test_broken_json_leading_zero (void **state)
{
  check_one (state, PLAN ("01", FROM_OK, CREDIT_OK, COMM_OK, ""),
             "3:14: version: invalid JSON number");
}

static void
test_invalid_utf8 (void **state)
{
  check_one (state, "{\n  \"plan\": \"p\xff\"\n}\n", "2:13: invalid UTF-8 or NUL byte");
}

static void
test_nul_byte (void **state)
{
  static const char text[] = "{\"plan\": \"p\"}\0{}";
  write_file_len (*state, "a.json", text, sizeof text - 1);
  assert_malformed (*state, "a.json", "1:14: invalid UTF-8 or NUL byte");
}

/* Columns count code points: "ü" is two bytes but one column. */
static void
test_column_counts_code_points (void **state)
{
  check_one (state, "{\n  \"plan\": \"\xc3\xbc\", \"version\": 0\n}\n",
             "2:27: version: must be at least 1");
}

/* A BOM is skipped and takes no column. */
static void
test_bom_takes_no_column (void **state)
{
  check_one (state, "\xEF\xBB\xBF{\"plan\": 1}", "1:10: plan: expected a JSON string");
}

static void
test_duplicate_key_top (void **state)
{
  check_one (state, PLAN_OK (",\n  \"currency\": \"EUR\""), "8:3: currency: duplicate key");
}

static void
test_duplicate_key_nested (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK,
                   "{\"mode\": \"marginal\", \"tiers\": [{\"from\": \"0\", \"rate\": \"0.03\", "
                   "\"from\": \"1\"}]}",
                   ""),
             "7:78: commission.tiers[0].from: duplicate key");
}

static void
test_duplicate_key_in_rebate_plan (void **state)
{
  write_file (*state, "a.json", PLAN_OK (""));
  write_file (*state, "r.json", "{\"rebate_plan\": \"d\",\n \"version\": 1, \"version\": 2}");
  assert_malformed (*state, "r.json", "2:16: version: duplicate key");
}

static void
test_number_out_of_range (void **state)
{
  check_one (state, PLAN_OK (",\n  \"notes\": 1e400"), "8:12: notes: number out of range");
}

/* cJSON decodes escapes in keys: "pl\u0061n" is a second "plan". */
static void
test_duplicate_key_escaped (void **state)
{
  check_one (state, "{\"plan\": \"p\", \"pl\\u0061n\": \"q\"}", "1:15: plan: duplicate key");
}

/* An escape counts each of its characters; a raw code point counts once. */
static void
test_column_after_escapes (void **state)
{
  check_one (state,
             "{\"plan\": \"a\\\"\xc3\xbc\xf0\x9f\x98\x80\\ud83d\\ude00\", \"version\": 0}",
             "1:42: version: must be at least 1");
}

static void
test_control_character_in_string (void **state)
{
  check_one (state, "{\"plan\": \"a\tb\"}", "1:12: invalid JSON: control character in a string");
}

static void
test_crlf_lines (void **state)
{
  check_one (state, "{\r\n  \"plan\": 1\r\n}\r\n", "2:11: plan: expected a JSON string");
}

/* ---- malformed: top level ---------------------------------------------- */

static void
test_not_an_object (void **state)
{
  check_one (state, "[1, 2]\n", "1:1: a plan must be a JSON object");
}

static void
test_missing_plan (void **state)
{
  check_one (state, "{\n  \"version\": 1\n}\n", "1:1: plan: missing member");
}

static void
test_missing_commission (void **state)
{
  check_one (state,
             "{\n  \"plan\": \"p\",\n  \"version\": 1,\n  \"effective_from\": \"2026-01-01\",\n"
             "  \"currency\": \"CNY\",\n  \"credit\": " CREDIT_OK "\n}\n",
             "1:1: commission: missing member");
}

static void
test_currency_not_string (void **state)
{
  check_one (state,
             "{\n  \"plan\": \"p\",\n  \"version\": 1,\n  \"effective_from\": \"2026-01-01\",\n"
             "  \"currency\": 156\n}\n",
             "5:15: currency: expected a JSON string");
}

static void
test_version_zero (void **state)
{
  check_one (state, PLAN ("0", FROM_OK, CREDIT_OK, COMM_OK, ""),
             "3:14: version: must be at least 1");
}

static void
test_version_fraction (void **state)
{
  check_one (state, PLAN ("1.5", FROM_OK, CREDIT_OK, COMM_OK, ""),
             "3:14: version: expected a JSON integer");
}

static void
test_version_string (void **state)
{
  check_one (state, PLAN ("\"1\"", FROM_OK, CREDIT_OK, COMM_OK, ""),
             "3:14: version: expected a JSON integer");
}

static void
test_effective_from_not_first_day (void **state)
{
  check_one (state, PLAN ("1", "\"2026-01-02\"", CREDIT_OK, COMM_OK, ""),
             "4:21: effective_from: must be the first day of a month");
}

static void
test_effective_from_not_a_date (void **state)
{
  check_one (state, PLAN ("1", "\"2026-02-30\"", CREDIT_OK, COMM_OK, ""),
             "4:21: effective_from: '2026-02-30' is not a date (YYYY-MM-DD)");
}

static void
test_effective_to_not_last_day (void **state)
{
  check_one (state, PLAN_OK (",\n  \"effective_to\": \"2026-06-29\""),
             "8:19: effective_to: must be the last day of a month");
}

static void
test_effective_to_before_from (void **state)
{
  check_one (state, PLAN_OK (",\n  \"effective_to\": \"2025-12-31\""),
             "8:19: effective_to: must not be before effective_from");
}

/* ---- malformed: credit ------------------------------------------------- */

static void
test_eligible_status_missing (void **state)
{
  check_one (state, PLAN ("1", FROM_OK, "{}", COMM_OK, ""),
             "6:13: credit.eligible_status: missing member");
}

static void
test_unknown_status (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, "{\"eligible_status\": [\"paid\", \"shipped\"]}", COMM_OK, ""),
             "6:42: credit.eligible_status[1]: unknown status 'shipped'");
}

static void
test_unknown_multiplier (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, MULTS ("{\"id\": \"bogus\", \"factor\": \"1.2\"}"), COMM_OK, ""),
             "7:12: credit.multipliers[0].id: unknown multiplier id 'bogus'");
}

static void
test_multiplier_twice (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"high_margin\", \"factor\": \"1.2\", "
                          "\"min_margin_rate\": \"0.3\"},\n"
                          "    {\"id\": \"high_margin\", \"factor\": \"1.1\", "
                          "\"min_margin_rate\": \"0.3\"}"),
                   COMM_OK, ""),
             "8:12: credit.multipliers[1].id: multiplier 'high_margin' appears twice");
}

static void
test_multiplier_missing_factor (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, MULTS ("{\"id\": \"new_customer\", \"lookback_days\": 30}"),
                   COMM_OK, ""),
             "7:5: credit.multipliers[0].factor: missing member");
}

static void
test_lookback_negative (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"new_customer\", \"factor\": \"1.3\", \"lookback_days\": -1}"),
                   COMM_OK, ""),
             "7:62: credit.multipliers[0].lookback_days: must be at least 0");
}

static void
test_lookback_fraction (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"new_customer\", \"factor\": \"1.3\", \"lookback_days\": 30.0}"),
                   COMM_OK, ""),
             "7:62: credit.multipliers[0].lookback_days: expected a JSON integer");
}

static void
test_high_margin_missing_rate (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, MULTS ("{\"id\": \"high_margin\", \"factor\": \"1.2\"}"), COMM_OK, ""),
             "7:5: credit.multipliers[0].min_margin_rate: missing member");
}

static void
test_max_days_huge (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 1e400}"),
                   COMM_OK, ""),
             "7:60: credit.multipliers[0].max_days: number out of range");
}

static void
test_max_days_exponent (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 1e2}"),
                   COMM_OK, ""),
             "7:60: credit.multipliers[0].max_days: expected a JSON integer");
}

/* SPEC §3: numbers are JSON strings, never JSON floats. */
static void
test_factor_json_float (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"high_margin\", \"factor\": 1.2, \"min_margin_rate\": \"0.3\"}"),
                   COMM_OK, ""),
             "7:37: credit.multipliers[0].factor: expected a decimal in a JSON string");
}

/* ---- malformed: commission and override -------------------------------- */

static void
test_missing_mode (void **state)
{
  check_one (state, PLAN ("1", FROM_OK, CREDIT_OK, "{\"tiers\": [" TIER0 "]}", ""),
             "7:17: commission.mode: missing member");
}

static void
test_unknown_mode (void **state)
{
  check_one (state, PLAN ("1", FROM_OK, CREDIT_OK, TIERS ("\"flat\"", TIER0, ""), ""),
             "7:26: commission.mode: unknown commission mode 'flat'");
}

static void
test_empty_tiers (void **state)
{
  check_one (state, PLAN ("1", FROM_OK, CREDIT_OK, "{\"mode\": \"marginal\", \"tiers\": []}", ""),
             "7:47: commission.tiers: tiers must not be empty");
}

static void
test_first_tier_not_zero (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK,
                   TIERS ("\"marginal\"", "{\"from\": \"0.5\", \"rate\": \"0.03\"}", ""), ""),
             "8:14: commission.tiers[0].from: the first tier must start at 0");
}

static void
test_tiers_not_increasing (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK,
                   TIERS ("\"marginal\"",
                          TIER0 ",\n    {\"from\": \"1.0\", \"rate\": \"0.05\"},\n"
                                "    {\"from\": \"1\", \"rate\": \"0.07\"}",
                          ""),
                   ""),
             "10:14: commission.tiers[2].from: tiers must strictly increase");
}

static void
test_tier_missing_rate (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK, TIERS ("\"marginal\"", "{\"from\": \"0\"}", ""), ""),
             "8:5: commission.tiers[0].rate: missing member");
}

static void
test_cap_json_float (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK, TIERS ("\"marginal\"", TIER0, ", \"cap\": 200000.5"), ""),
             "9:13: commission.cap: expected a decimal in a JSON string");
}

/* The message after the path is amount.c's own, naming the bad text. */
static void
test_cap_not_a_decimal (void **state)
{
  mpq_t q;
  mpq_init (q);
  g_autoptr(GError) parse_error = NULL;
  assert_false (qt_decimal_parse (q, "1,5", 3, &parse_error));
  mpq_clear (q);
  g_autofree char *suffix = g_strdup_printf ("9:13: commission.cap: %s", parse_error->message);
  assert_non_null (strstr (suffix, "1,5"));

  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK, TIERS ("\"marginal\"", TIER0, ", \"cap\": \"1,5\""), ""),
             suffix);
}

/* Values the contract allows but no plan means are refused at their path
 * (docs/limits.md): a negative rate, cap or amount, a factor <= 0, a
 * weight outside 0..1. */
static void
test_negative_tier_rate (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK,
                   TIERS ("\"marginal\"", "{\"from\": \"0\", \"rate\": \"-0.03\"}", ""), ""),
             "8:27: commission.tiers[0].rate: must not be negative");
}

static void
test_factor_not_positive (void **state)
{
  check_one (state,
             PLAN ("1", FROM_OK,
                   MULTS ("{\"id\": \"fast_collection\", \"factor\": \"0\", \"max_days\": 30}"),
                   COMM_OK, ""),
             "7:41: credit.multipliers[0].factor: must be greater than 0");
}

static void
test_negative_override_and_cap (void **state)
{
  check_one (state, PLAN_OK (",\n  \"override\": {\"rate\": \"-0.05\"}"),
             "8:24: override.rate: must not be negative");
  check_one (state,
             PLAN ("1", FROM_OK, CREDIT_OK, TIERS ("\"marginal\"", TIER0, ", \"cap\": \"-1\""), ""),
             "9:13: commission.cap: must not be negative");
}

static void
test_weight_outside_unit (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"1.5\"", "\"-0.5\"",
                             "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"1\"}",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "8:31: score.process_weight: must be between 0 and 1");
}

static void
test_negative_bonus_amount (void **state)
{
  check_one (state,
             PLAN_OK (BONUSES ("{\"id\": \"q\", \"kind\": \"quarterly_sprint\", "
                               "\"min_attainment\": \"1\", \"amount\": \"-5000\"}")),
             "9:78: bonuses[0].amount: must not be negative");
}

static void
test_override_without_rate (void **state)
{
  check_one (state, PLAN_OK (",\n  \"override\": {}"), "8:15: override.rate: missing member");
}

/* ---- malformed: score -------------------------------------------------- */

static void
test_part_weights_not_one (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.5\"",
                             "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"1\"}",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "8:12: score: process_weight + result_weight must equal 1");
}

static void
test_list_weights_not_one (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"",
                             "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"0.5\"}, "
                             "{\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"0.4\"}",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "9:16: score.process: weights must sum to 1");
}

static void
test_empty_score_list (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"", "",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "9:16: score.process: must not be empty (its weights sum to 1)");
}

static void
test_unknown_measure (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"",
                             "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"1\"}",
                             "{\"measure\": \"revenue\", \"weight\": \"1\"}")),
             "10:28: score.result[0].measure: unknown measure 'revenue'");
}

static void
test_target_zero (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"",
                             "{\"metric\": \"visits\", \"target\": \"0\", \"weight\": \"1\"}",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "9:48: score.process[0].target: target must be greater than 0");
}

static void
test_attainment_target_negative (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"",
                             "{\"metric\": \"visits\", \"target\": \"40\", \"weight\": \"1\"}",
                             "{\"measure\": \"attainment\", \"target\": \"-1\", \"weight\": \"1\"}")),
             "10:52: score.result[0].target: target must be greater than 0");
}

static void
test_metric_without_target (void **state)
{
  check_one (state,
             PLAN_OK (SCORE ("\"0.4\"", "\"0.6\"", "{\"metric\": \"visits\", \"weight\": \"1\"}",
                             "{\"measure\": \"attainment\", \"weight\": \"1\"}")),
             "9:17: score.process[0].target: missing member");
}

/* ---- malformed: bonuses and appeals ------------------------------------ */

static void
test_unknown_bonus_kind (void **state)
{
  check_one (state, PLAN_OK (BONUSES ("{\"id\": \"b\", \"kind\": \"lottery\"}")),
             "9:25: bonuses[0].kind: unknown bonus kind 'lottery'");
}

static void
test_score_bonus_without_score (void **state)
{
  check_one (state,
             PLAN_OK (BONUSES ("{\"id\": \"b\", \"kind\": \"score\", \"target_amount\": \"3000\"}")),
             "9:25: bonuses[0].kind: a score bonus needs a score section");
}

static void
test_score_bonus_with_score (void **state)
{
  write_file (*state, "a.json",
              PLAN_OK (SCORE_OK BONUSES ("{\"id\": \"b\", \"kind\": \"score\", "
                                         "\"target_amount\": \"3000\"}")));
  g_autoptr(QtPlanSet) set = load_ok (*state);
  const QtPlanVersion *v = version_at (set, 0);
  assert_int_equal (v->n_bonuses, 1);
  assert_false (v->bonuses[0].has_min_score);
  assert_q (v->bonuses[0].target_amount, "3000");
  assert_true (v->result[0].is_attainment);
  assert_q (v->result[0].cap, "3/2");
}

static void
test_sprint_missing_amount (void **state)
{
  check_one (state,
             PLAN_OK (BONUSES ("{\"id\": \"b\", \"kind\": \"quarterly_sprint\", "
                               "\"min_attainment\": \"1\"}")),
             "9:5: bonuses[0].amount: missing member");
}

static void
test_bonus_missing_id (void **state)
{
  check_one (state, PLAN_OK (BONUSES ("{\"kind\": \"quarterly_sprint\"}")),
             "9:5: bonuses[0].id: missing member");
}

static void
test_appeals_no_reviewers (void **state)
{
  check_one (state, PLAN_OK (",\n  \"appeals\": {\"window_hours\": 72, \"reviewers\": 0}"),
             "8:48: appeals.reviewers: must be at least 1");
}

static void
test_appeals_negative_window (void **state)
{
  check_one (state, PLAN_OK (",\n  \"appeals\": {\"window_hours\": -1, \"reviewers\": 2}"),
             "8:31: appeals.window_hours: must be at least 0");
}

/* ---- malformed: across files ------------------------------------------- */

static void
test_same_version_twice (void **state)
{
  write_file (*state, "a.json", PLAN_OK (",\n  \"effective_to\": \"2026-01-31\""));
  write_file (*state, "b.json", PLAN ("1", "\"2026-02-01\"", CREDIT_OK, COMM_OK, ""));
  assert_malformed (*state, "b.json", "3:14: version: plan 'p' version 1 is also defined in a.json");
}

static void
test_overlap_open_ended (void **state)
{
  write_file (*state, "a.json", PLAN_OK (""));
  write_file (*state, "b.json", PLAN ("2", "\"2026-03-01\"", CREDIT_OK, COMM_OK, ""));
  assert_malformed (*state, "b.json", "4:21: effective_from: overlaps plan 'p' version 1 (a.json)");
}

/* The later version by effective_from is blamed, whatever the file names. */
static void
test_overlap_closed_range (void **state)
{
  write_file (*state, "a.json", PLAN ("2", "\"2026-06-01\"", CREDIT_OK, COMM_OK, ""));
  write_file (*state, "b.json", PLAN_OK (",\n  \"effective_to\": \"2026-06-30\""));
  assert_malformed (*state, "a.json", "4:21: effective_from: overlaps plan 'p' version 1 (b.json)");
}

/* Files are read in name order: the first bad file reported is the first by name. */
static void
test_first_bad_file_by_name (void **state)
{
  write_file (*state, "b.json", PLAN ("0", FROM_OK, CREDIT_OK, COMM_OK, ""));
  write_file (*state, "a.json", PLAN ("1", "\"2026-01-05\"", CREDIT_OK, COMM_OK, ""));
  assert_malformed (*state, "a.json", "4:21: effective_from: must be the first day of a month");
}

/* SPEC §4.3, §5: the multiplier ids, and a mask's ids joined by '+' in
 * QtMultKind order (credits.csv's multipliers column). */
static void
test_mult_names (void **state)
{
  (void) state;
  assert_string_equal (qt_mult_id (QT_MULT_NEW_CUSTOMER), "new_customer");
  assert_string_equal (qt_mult_id (QT_MULT_HIGH_MARGIN), "high_margin");
  assert_string_equal (qt_mult_id (QT_MULT_FAST_COLLECTION), "fast_collection");
  assert_string_equal (qt_mult_mask_name (0), "");
  assert_string_equal (qt_mult_mask_name (1u << QT_MULT_HIGH_MARGIN), "high_margin");
  assert_string_equal (qt_mult_mask_name (1u << QT_MULT_NEW_CUSTOMER | 1u << QT_MULT_FAST_COLLECTION),
                       "new_customer+fast_collection");
  assert_string_equal (qt_mult_mask_name ((1u << QT_MULT_COUNT) - 1),
                       "new_customer+high_margin+fast_collection");
  /* every mask: its ids in order, each once */
  for (guint mask = 0; mask < 1u << QT_MULT_COUNT; mask++)
    {
      g_autoptr (GString) want = g_string_new (NULL);
      for (int k = 0; k < QT_MULT_COUNT; k++)
        if (mask & (1u << k))
          g_string_append_printf (want, "%s%s", want->len > 0 ? "+" : "", qt_mult_id (k));
      assert_string_equal (qt_mult_mask_name (mask), want->str);
    }
}

/* ---- SPEC §11 rebate plans (QT_PLAN_REBATE) ---- */

#define REBATE_OK(extra) \
  "{\"rebate_plan\": \"distributor-2026\", \"version\": 1,\n" \
  " \"effective_from\": \"2026-01-01\", \"currency\": \"CNY\",\n" \
  " \"mode\": \"retroactive\",\n" \
  " \"tiers\": [{\"from\": \"0\", \"rate\": \"0\"}, {\"from\": \"5000000\", \"rate\": \"0.038\"},\n" \
  "           {\"from\": \"8000000\", \"rate\": \"0.045\"}]" extra "}"

static QtPlanSet *
load_rebate (const char *dir, GError **error)
{
  return qt_plan_set_load_dir_kind (dir, QT_PLAN_REBATE, error);
}

/* Loading the rebate plans of dir fails with exactly `DIR/a.json:SUFFIX`. */
static void
check_rebate (void **state, const char *text, const char *suffix)
{
  write_file (*state, "a.json", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = load_rebate (*state, &error);
  assert_null (set);
  g_autofree char *path = g_build_filename (*state, "a.json", NULL);
  g_autofree char *expected = g_strdup_printf ("%s:%s", path, suffix);
  assert_string_equal (error->message, expected);
}

/* The example of SPEC §11 loads; the commission plan beside it is
 * validated and left out. */
static void
test_rebate_plan_example (void **state)
{
  write_file (*state, "r.json", REBATE_OK (", \"categories\": [\"orthopedic\", \"consumables\"]"));
  write_file (*state, "p.json", PLAN_OK (""));
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = load_rebate (*state, &error);
  assert_null (error);
  guint n = 0;
  const QtPlanVersion *v = qt_plan_set_versions (set, &n)[0];
  assert_int_equal (n, 1);
  assert_int_equal (v->kind, QT_PLAN_REBATE);
  assert_string_equal (v->plan, "distributor-2026");
  assert_string_equal (v->currency, "CNY");
  assert_int_equal (v->mode, QT_MODE_RETROACTIVE);
  assert_int_equal (v->n_tiers, 3);
  assert_q (v->tiers[1].from, "5000000");
  assert_q (v->tiers[2].rate, "9/200");
  assert_true (v->has_categories);
  assert_string_equal (v->categories[1], "consumables");
  assert_null (v->categories[2]);
  assert_ptr_equal (qt_plan_set_in_force (set, "distributor-2026", day ("2026-04-01")), v);
}

static void
test_rebate_plan_all_categories_marginal (void **state)
{
  g_auto (GStrv) parts = g_strsplit (REBATE_OK (""), "retroactive", 2);
  g_autofree char *text = g_strjoinv ("marginal", parts);
  write_file (*state, "r.json", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = load_rebate (*state, &error);
  assert_null (error);
  guint n = 0;
  const QtPlanVersion *v = qt_plan_set_versions (set, &n)[0];
  assert_int_equal (v->mode, QT_MODE_MARGINAL);
  assert_false (v->has_categories);
}

static void
test_rebate_plan_errors (void **state)
{
  check_rebate (state, "{\"rebate_plan\": 7}", "1:17: rebate_plan: expected a JSON string");
  check_rebate (state, "{\"rebate_plan\": \"d\", \"version\": 1, \"effective_from\": \"2026-01-01\","
                " \"currency\": \"CNY\", \"mode\": \"flat\", \"tiers\": []}",
                "1:95: mode: unknown rebate mode 'flat'");
  check_rebate (state, "{\"rebate_plan\": \"d\", \"version\": 1, \"effective_from\": \"2026-01-01\","
                " \"currency\": \"CNY\", \"mode\": \"marginal\", \"tiers\": []}",
                "1:116: tiers: tiers must not be empty");
  check_rebate (state, "{\"rebate_plan\": \"d\", \"version\": 1, \"effective_from\": \"2026-01-01\","
                " \"currency\": \"CNY\", \"mode\": \"marginal\", \"tiers\": [{\"from\": \"1\", \"rate\": \"0\"}]}",
                "1:126: tiers[0].from: the first tier must start at 0");
  check_rebate (state, REBATE_OK (", \"categories\": []"), "5:65: categories: must not be empty (leave it out for every category)");
  check_rebate (state, REBATE_OK (", \"categories\": [\"a\", 3]"), "5:71: categories[1]: expected a JSON string");
}

/* SPEC §12.2.1: every file is validated, whatever kind the run wants: a
 * broken rebate plan stops a commission run and a broken commission plan a
 * rebate run; `categories: null` is absent. */
static void
test_every_plan_validated (void **state)
{
  write_file (*state, "a.json", PLAN_OK (""));
  write_file (*state, "r.json", REBATE_OK (", \"categories\": null"));
  g_autoptr(QtPlanSet) ok = load_ok (*state);
  guint n = 0;
  assert_int_equal (qt_plan_set_versions (ok, &n)[0]->kind, QT_PLAN_COMMISSION);
  assert_int_equal (n, 1);
  write_file (*state, "r.json", "{\"rebate_plan\": \"d\", \"version\": 1}");
  assert_malformed (*state, "r.json", "1:1: effective_from: missing member");
  write_file (*state, "r.json", REBATE_OK (""));
  write_file (*state, "a.json", "{\"plan\": \"p\", \"version\": 0}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QtPlanSet) set = load_rebate (*state, &error);
  assert_null (set);
  assert_non_null (strstr (error->message, "a.json:1:"));
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown (f, setup_tmp, teardown_tmp)

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_mult_names),
    cmocka_unit_test (test_golden_versions_sorted),
    cmocka_unit_test (test_golden_field_v1),
    cmocka_unit_test (test_golden_field_v1_score_bonus_appeals),
    cmocka_unit_test (test_golden_other_plans),
    cmocka_unit_test (test_golden_in_force),
    cmocka_unit_test (test_golden_sha256),
    TMP_TEST (test_minimal_plan),
    TMP_TEST (test_unknown_members_ignored),
    TMP_TEST (test_in_force_bounds),
    TMP_TEST (test_rebate_plan_skipped),
    TMP_TEST (test_rebate_plan_example),
    TMP_TEST (test_rebate_plan_all_categories_marginal),
    TMP_TEST (test_rebate_plan_errors),
    TMP_TEST (test_every_plan_validated),
    TMP_TEST (test_empty_directory),
    TMP_TEST (test_missing_directory),
    TMP_TEST (test_broken_json_missing_comma),
    TMP_TEST (test_broken_json_truncated),
    TMP_TEST (test_broken_json_nan),
    TMP_TEST (test_broken_json_leading_zero),
    TMP_TEST (test_invalid_utf8),
    TMP_TEST (test_nul_byte),
    TMP_TEST (test_column_counts_code_points),
    TMP_TEST (test_bom_takes_no_column),
    TMP_TEST (test_duplicate_key_top),
    TMP_TEST (test_duplicate_key_nested),
    TMP_TEST (test_duplicate_key_in_rebate_plan),
    TMP_TEST (test_number_out_of_range),
    TMP_TEST (test_duplicate_key_escaped),
    TMP_TEST (test_column_after_escapes),
    TMP_TEST (test_control_character_in_string),
    TMP_TEST (test_crlf_lines),
    TMP_TEST (test_not_an_object),
    TMP_TEST (test_missing_plan),
    TMP_TEST (test_missing_commission),
    TMP_TEST (test_currency_not_string),
    TMP_TEST (test_version_zero),
    TMP_TEST (test_version_fraction),
    TMP_TEST (test_version_string),
    TMP_TEST (test_effective_from_not_first_day),
    TMP_TEST (test_effective_from_not_a_date),
    TMP_TEST (test_effective_to_not_last_day),
    TMP_TEST (test_effective_to_before_from),
    TMP_TEST (test_eligible_status_missing),
    TMP_TEST (test_unknown_status),
    TMP_TEST (test_unknown_multiplier),
    TMP_TEST (test_multiplier_twice),
    TMP_TEST (test_multiplier_missing_factor),
    TMP_TEST (test_lookback_negative),
    TMP_TEST (test_lookback_fraction),
    TMP_TEST (test_high_margin_missing_rate),
    TMP_TEST (test_max_days_huge),
    TMP_TEST (test_max_days_exponent),
    TMP_TEST (test_factor_json_float),
    TMP_TEST (test_missing_mode),
    TMP_TEST (test_unknown_mode),
    TMP_TEST (test_empty_tiers),
    TMP_TEST (test_first_tier_not_zero),
    TMP_TEST (test_tiers_not_increasing),
    TMP_TEST (test_tier_missing_rate),
    TMP_TEST (test_cap_json_float),
    TMP_TEST (test_cap_not_a_decimal),
    TMP_TEST (test_override_without_rate),
    TMP_TEST (test_negative_tier_rate),
    TMP_TEST (test_factor_not_positive),
    TMP_TEST (test_negative_override_and_cap),
    TMP_TEST (test_weight_outside_unit),
    TMP_TEST (test_negative_bonus_amount),
    TMP_TEST (test_part_weights_not_one),
    TMP_TEST (test_list_weights_not_one),
    TMP_TEST (test_empty_score_list),
    TMP_TEST (test_unknown_measure),
    TMP_TEST (test_target_zero),
    TMP_TEST (test_attainment_target_negative),
    TMP_TEST (test_metric_without_target),
    TMP_TEST (test_unknown_bonus_kind),
    TMP_TEST (test_score_bonus_without_score),
    TMP_TEST (test_score_bonus_with_score),
    TMP_TEST (test_sprint_missing_amount),
    TMP_TEST (test_bonus_missing_id),
    TMP_TEST (test_appeals_no_reviewers),
    TMP_TEST (test_appeals_negative_window),
    TMP_TEST (test_same_version_twice),
    TMP_TEST (test_overlap_open_ended),
    TMP_TEST (test_overlap_closed_range),
    TMP_TEST (test_first_bad_file_by_name),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
