/* tests/test_statement.c — reports/statement: safe file stems, and the JSON
 * and text statements rendered from the golden data set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "calc/engine.h"
#include "loaders/dataset_loader.h"
#include "model/date.h"
#include "reports/output.h"
#include "reports/statement.h"
#include "reports/statement_internal.h"
#include "model/money.h"
#include "rules/plan.h"
#include "support/test_support.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

/* ---- file stems --------------------------------------------------------- */

static void
assert_stem (const char *id, const char *want)
{
  g_autofree char *got = qt_statement_file_stem (id);
  assert_string_equal (got, want);
}

static void
test_stem_plain (void **state)
{
  (void) state;
  assert_stem ("B2", "B2");
  assert_stem ("rep_01-x", "rep_01-x");
  assert_stem ("a.b", "a.b");
  assert_stem ("陈静", "陈静");
  assert_stem ("Zoë.2", "Zoë.2");
}

static void
test_stem_escapes (void **state)
{
  (void) state;
  assert_stem ("../x", "%2E.%2Fx");
  assert_stem ("a/b", "a%2Fb");
  assert_stem ("..", "%2E.");
  assert_stem (".", "%2E");
  assert_stem (".hidden", "%2Ehidden");
  assert_stem ("a\\b", "a%5Cb");
  assert_stem ("a b", "a%20b");
  assert_stem ("100%", "100%25"); /* '%' itself is escaped: stems stay unique */
  assert_stem ("x:y*?\"<>|", "x%3Ay%2A%3F%22%3C%3E%7C");
  assert_stem ("tab\there", "tab%09here");
  /* Non-ASCII bytes are kept only from valid UTF-8. */
  assert_stem ("a\xff", "a%FF");
}

/* Distinct ids give distinct stems, none of which can leave statements/. */
static void
test_stem_injective (void **state)
{
  (void) state;
  const char *ids[] = { "a/b", "a%2Fb", "a.b", "a%2Eb", ".a", "%2Ea", "..", "%2E.", "a b", "a%20b",
                        "A", "a", "陈", "%E9%99%88" };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      char *stem = qt_statement_file_stem (ids[i]);
      assert_null (strchr (stem, '/'));
      assert_true (stem[0] != '.');
      assert_false (g_hash_table_contains (seen, stem));
      g_hash_table_add (seen, stem);
    }
}

/* Long ids (over 120 bytes of stem) keep a short, unique stem: an 80-byte
 * prefix, '~' and a hash of the whole id; ids sharing the prefix differ. */
static void
test_stem_long_ids (void **state)
{
  (void) state;
  g_autofree char *a = g_strnfill (300, 'R');
  g_autofree char *b = g_strconcat (a, "x", NULL);
  g_autofree char *slashes = g_strnfill (100, '/'); /* 300 bytes once escaped */
  g_autofree char *chinese = g_strjoinv ("", (char *[]) { "陈", "陈", "陈", "陈", "陈", "陈", "陈", "陈",
                                                          "陈", "陈", "陈", "陈", "陈", "陈", "陈", "陈",
                                                          "陈", "陈", "陈", "陈", "陈", "陈", "陈", "陈",
                                                          "陈", "陈", "陈", "陈", "陈", "陈", "陈", "陈",
                                                          "陈", "陈", "陈", "陈", "陈", "陈", "陈", "陈",
                                                          "陈", NULL });
  const char *ids[] = { a, b, slashes, chinese };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      char *stem = qt_statement_file_stem (ids[i]);
      const char *tilde = strchr (stem, '~');
      assert_non_null (tilde);
      assert_true (tilde - stem <= 80);
      assert_int_equal (strlen (tilde + 1), 32);
      assert_true (g_utf8_validate (stem, -1, NULL)); /* no character cut in two */
      assert_false (g_hash_table_contains (seen, stem));
      g_hash_table_add (seen, stem);
    }
  /* 120 bytes of stem is still the plain form */
  g_autofree char *edge = g_strnfill (120, 'E');
  assert_stem (edge, edge);
  g_autofree char *stem = qt_statement_file_stem (a);
  assert_true (g_str_has_prefix (stem, "RRRRRRRRRR"));
}

/* ---- golden data -------------------------------------------------------- */

typedef struct {
  QtDataset *ds;
  QtPlanSet *plans;
  QtRunResult *res;
  GPtrArray *out;   /* QtOutputFile* */
} Golden;

/* The data set in `data` (plans from the golden set), run for a period
 * with its statements rendered. */
static Golden *
data_run (const char *data, const char *period_text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *plans = qt_test_source_path ("fixtures/golden/plans");
  Golden *g = g_new0 (Golden, 1);
  g->ds = qt_dataset_load_dir (data, NULL, &error);
  if (g->ds == NULL)
    fail_msg ("data: %s", error->message);
  g->plans = qt_plan_set_load_dir (plans, &error);
  if (g->plans == NULL)
    fail_msg ("plans: %s", error->message);
  QtPeriod period;
  assert_true (qt_period_parse (period_text, strlen (period_text), &period));
  g->res = qt_engine_run (g->ds, g->plans, period, NULL, &error);
  if (g->res == NULL)
    fail_msg ("engine: %s", error->message);
  g->out = qt_output_list_new ();
  qt_report_statements (g->res, g->out);
  return g;
}

static Golden *
golden_run (const char *period_text)
{
  g_autofree char *data = qt_test_source_path ("fixtures/golden/data");
  return data_run (data, period_text);
}

static int
setup_march (void **state)
{
  *state = golden_run ("2026-03");
  return 0;
}

static int
setup_february (void **state)
{
  *state = golden_run ("2026-02");
  return 0;
}

static int
teardown_golden (void **state)
{
  Golden *g = *state;
  g_ptr_array_unref (g->out);
  qt_run_result_free (g->res);
  qt_plan_set_free (g->plans);
  qt_dataset_free (g->ds);
  g_free (g);
  return 0;
}

/* The text of output `name`, NUL-terminated. (transfer full) */
static char *
output_text (const Golden *g, const char *name)
{
  for (guint i = 0; i < g->out->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (g->out, i);
      if (strcmp (f->name, name) == 0)
        {
          gsize len;
          const char *data = g_bytes_get_data (f->bytes, &len);
          return g_strndup (data, len);
        }
    }
  fail_msg ("no output %s", name);
  return NULL;
}

static cJSON *
statement (const Golden *g, const char *rep_id)
{
  g_autofree char *name = g_strdup_printf ("statements/%s.json", rep_id);
  g_autofree char *text = output_text (g, name);
  cJSON *doc = cJSON_Parse (text);
  assert_non_null (doc);
  return doc;
}

/* The string at a '/'-separated path of object keys and array indexes. */
static const char *
str_at (const cJSON *doc, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  const cJSON *v = doc;
  for (guint i = 0; parts[i] && v; i++)
    v = g_ascii_isdigit (parts[i][0]) ? cJSON_GetArrayItem (v, (int) g_ascii_strtoll (parts[i], NULL, 10))
                                      : cJSON_GetObjectItemCaseSensitive (v, parts[i]);
  if (!cJSON_IsString (v))
    fail_msg ("%s is not a string", path);
  return v->valuestring;
}

static const cJSON *
item_at (const cJSON *doc, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  const cJSON *v = doc;
  for (guint i = 0; parts[i] && v; i++)
    v = g_ascii_isdigit (parts[i][0]) ? cJSON_GetArrayItem (v, (int) g_ascii_strtoll (parts[i], NULL, 10))
                                      : cJSON_GetObjectItemCaseSensitive (v, parts[i]);
  if (v == NULL)
    fail_msg ("%s is missing", path);
  return v;
}

static void
test_files (void **state)
{
  const Golden *g = *state;
  assert_int_equal (g->out->len, 12); /* 6 reps × (json + txt) */
  const char *reps[] = { "A1", "A2", "B1", "B2", "M1", "M2" };
  for (guint i = 0; i < G_N_ELEMENTS (reps); i++)
    {
      g_autofree char *json = g_strdup_printf ("statements/%s.json", reps[i]);
      g_autofree char *txt = g_strdup_printf ("statements/%s.txt", reps[i]);
      g_free (output_text (g, json));
      g_free (output_text (g, txt));
    }
}

/* Worked example of fixtures/golden/README.md: Dev Patel, 2026-03. */
static void
test_b2_numbers (void **state)
{
  const Golden *g = *state;
  g_autoptr (cJSON) doc = statement (g, "B2");
  assert_string_equal (str_at (doc, "rep/name"), "Dev Patel");
  assert_string_equal (str_at (doc, "rep/manager_id"), "M2");
  assert_string_equal (str_at (doc, "plan/id"), "field");
  assert_int_equal (item_at (doc, "plan/version")->valueint, 2);
  assert_string_equal (str_at (doc, "plan/file"), "field-v2.json");
  assert_int_equal (strlen (str_at (doc, "plan/sha256")), 64);
  assert_string_equal (str_at (doc, "period"), "2026-03");
  assert_string_equal (str_at (doc, "currency"), "CNY");

  assert_int_equal (cJSON_GetArraySize (item_at (doc, "credits")), 5);
  assert_string_equal (str_at (doc, "credits/0/receipt_id"), "R106b");
  /* What repeats across credits is stated once, keyed by the credit's ids. */
  assert_string_equal (str_at (doc, "credits/0/customer_id"), "K15");
  assert_string_equal (str_at (doc, "customers/K15/name"), "Onyx Mining");
  assert_string_equal (str_at (doc, "credits/0/order_id"), "O106");
  assert_string_equal (str_at (doc, "orders/O106/order_status"), "cancelled");
  assert_string_equal (str_at (doc, "receipts/R106b/receipt_amount"), "-2000");
  assert_string_equal (str_at (doc, "credits/0/product_id"), "HW");
  assert_string_equal (str_at (doc, "products/HW/name"), "Edge appliance");
  assert_string_equal (str_at (doc, "credits/0/line_net"), "2000");
  assert_string_equal (str_at (doc, "credits/0/weight"), "2.0625");
  assert_string_equal (str_at (doc, "credits/0/weighted_amount"), "-4125");
  assert_int_equal (cJSON_GetArraySize (item_at (doc, "credits/0/multipliers")), 3);
  assert_string_equal (str_at (doc, "credits/0/multipliers/1"), "high_margin");
  assert_string_equal (str_at (doc, "multiplier_rules/high_margin/rule"), "credit.multipliers[high_margin]");
  assert_string_equal (str_at (doc, "multiplier_rules/high_margin/factor"), "1.25");
  assert_string_equal (str_at (doc, "multiplier_rules/high_margin/min_margin_rate"), "0.4");
  assert_int_equal (item_at (doc, "multiplier_rules/fast_collection/max_days")->valueint, 45);
  assert_string_equal (str_at (doc, "credits/0/basis/margin_rate"), "0.5");
  /* The refund is timed by the order's first positive receipt. */
  assert_string_equal (str_at (doc, "credits/0/basis/timed_by_receipt"), "R106a");
  assert_int_equal (item_at (doc, "credits/0/basis/days_after_signing")->valueint, 2);
  assert_string_equal (str_at (doc, "credits/1/basis/timed_by_receipt"), "R306");
  assert_null (cJSON_GetObjectItemCaseSensitive (item_at (doc, "credits/1/basis"), "margin_rate"));
  assert_string_equal (str_at (doc, "credits/2/amount"), "2000/3");
  assert_string_equal (str_at (doc, "credits/2/order_net"), "3000");

  assert_string_equal (str_at (doc, "credit/weighted"), "39325/3");
  assert_string_equal (str_at (doc, "credit/attainment"), "1573/1440");
  assert_string_equal (str_at (doc, "credit/attainment_percent/exact"), "7865/72");
  assert_string_equal (str_at (doc, "credit/attainment_percent/rounded"), "109.24");
  assert_string_equal (str_at (doc, "commission/tiers/1/upper"), "14400");
  assert_string_equal (str_at (doc, "commission/tiers/1/portion"), "10525/3");
  assert_true (cJSON_IsNull (item_at (doc, "commission/tiers/2/to")));
  /* tiers count from 1, as the text statement numbers them */
  assert_int_equal (item_at (doc, "commission/tier_reached")->valueint, 2);
  assert_int_equal (item_at (doc, "commission/tiers/1/tier")->valueint, 2);
  assert_int_equal (item_at (doc, "commission/next_tier/tier")->valueint, 3);
  assert_string_equal (str_at (doc, "commission/next_tier/weighted_needed"), "3875/3");
  assert_string_equal (str_at (doc, "commission/exact"), "997/3");
  assert_string_equal (str_at (doc, "commission/rounded"), "332.33");
  assert_false (cJSON_IsTrue (item_at (doc, "commission/capped")));

  assert_true (cJSON_IsTrue (item_at (doc, "sprint/closes_quarter")));
  assert_string_equal (str_at (doc, "sprint/quota_total"), "36000");
  assert_true (cJSON_IsTrue (item_at (doc, "sprint/bonuses/0/paid")));
  assert_string_equal (str_at (doc, "score/total/rounded"), "105.68");
  assert_string_equal (str_at (doc, "score/process/rounded"), "97.00");
  /* process and result exact on the same scale as their rounded figure */
  assert_string_equal (str_at (doc, "score/process/exact"), "97");
  assert_int_equal (item_at (doc, "score/team_rank")->valueint, 2);
  assert_int_equal (item_at (doc, "score/team_size")->valueint, 3);
  assert_string_equal (str_at (doc, "score/bonuses/0/exact"), "3170.375");
  assert_string_equal (str_at (doc, "adjustments/0/exact"), "-40.005");

  assert_string_equal (str_at (doc, "payable/commission/rounded"), "332.33");
  assert_string_equal (str_at (doc, "payable/sprint_bonus/rounded"), "5000.00");
  assert_string_equal (str_at (doc, "payable/score_bonus/rounded"), "3170.38");
  assert_string_equal (str_at (doc, "payable/adjustments/rounded"), "-40.00");
  assert_string_equal (str_at (doc, "payable/total/rounded"), "8462.71");
}

/* Nadia Okafor: no quota, override on exact commissions. */
static void
test_m2_override (void **state)
{
  const Golden *g = *state;
  g_autoptr (cJSON) doc = statement (g, "M2");
  assert_true (cJSON_IsNull (item_at (doc, "rep/manager_id")) == FALSE);
  assert_true (cJSON_IsTrue (item_at (doc, "credit/no_quota")));
  assert_true (cJSON_IsString (item_at (doc, "credit/explanation")));
  assert_true (cJSON_IsNull (item_at (doc, "credit/quota")));
  assert_true (cJSON_IsNull (item_at (doc, "commission/tiers/0/lower")));
  assert_true (cJSON_IsNull (item_at (doc, "commission/next_tier")));
  assert_string_equal (str_at (doc, "override/base/0/rep_id"), "B1");
  assert_string_equal (str_at (doc, "override/base/0/commission"), "630");
  assert_string_equal (str_at (doc, "override/base/1/commission"), "997/3");
  assert_string_equal (str_at (doc, "override/base_total"), "2887/3");
  assert_string_equal (str_at (doc, "override/exact"), "2887/60");
  assert_string_equal (str_at (doc, "override/rounded"), "48.12");
  assert_string_equal (str_at (doc, "sprint/bonuses/0/rounded"), "1000.00");
  assert_false (cJSON_IsTrue (item_at (doc, "score/has_score")));
  assert_string_equal (str_at (doc, "payable/total/rounded"), "1048.12");

  g_autoptr (cJSON) top = statement (g, "M1");
  assert_true (cJSON_IsNull (item_at (top, "rep/manager_id")));
}

/* B1: two adjustments of 0.125 are rounded one by one. */
static void
test_b1_adjustments (void **state)
{
  const Golden *g = *state;
  g_autoptr (cJSON) doc = statement (g, "B1");
  assert_string_equal (str_at (doc, "adjustments/0/adjustment_id"), "ADJ4");
  assert_string_equal (str_at (doc, "adjustments/0/rounded"), "0.12");
  assert_string_equal (str_at (doc, "adjustments/1/rounded"), "0.12");
  assert_string_equal (str_at (doc, "payable/adjustments/exact"), "0.25");
  assert_string_equal (str_at (doc, "payable/adjustments/rounded"), "0.24");
  assert_string_equal (str_at (doc, "commission/mode"), "retroactive");
}

/* Only integers among the JSON numbers, nowhere a float: checked on the
 * printed form, so the test needs no double either. */
static void
assert_no_floats (const cJSON *v)
{
  for (const cJSON *c = v->child; c != NULL; c = c->next)
    {
      if (cJSON_IsNumber (c))
        {
          char *txt = cJSON_PrintUnformatted (c);
          g_autoptr (GRegex) re = g_regex_new ("^-?[0-9]+$", 0, 0, NULL);
          if (!g_regex_match (re, txt, 0, NULL))
            fail_msg ("non-integer number %s at '%s'", txt, c->string ? c->string : "?");
          cJSON_free (txt);
        }
      assert_no_floats (c);
    }
}

/* Every statement's payable block equals the expected payout.csv row. */
static void
assert_matches_payout (const Golden *g, const char *period)
{
  g_autofree char *rel = g_strdup_printf ("fixtures/golden/expected/%s/payout.csv", period);
  g_autofree char *path = qt_test_source_path (rel);
  g_autofree char *csv = qt_test_read (path);
  assert_non_null (csv);
  g_auto (GStrv) rows = g_strsplit (csv, "\n", -1);
  const char *cols[] = { "commission", "override", "sprint_bonus", "score_bonus", "adjustments", "total" };
  guint checked = 0;
  for (guint i = 1; rows[i] && rows[i][0]; i++)
    {
      g_auto (GStrv) f = g_strsplit (rows[i], ",", -1);
      g_autoptr (cJSON) doc = statement (g, f[0]);
      assert_no_floats (doc);
      assert_string_equal (str_at (doc, "currency"), f[2]);
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        {
          g_autofree char *p = g_strdup_printf ("payable/%s/rounded", cols[c]);
          assert_string_equal (str_at (doc, p), f[3 + c]);
        }
      checked++;
    }
  assert_int_equal (checked, 6);
}

static void
test_payout_march (void **state)
{
  assert_matches_payout (*state, "2026-03");
}

static void
test_february (void **state)
{
  const Golden *g = *state;
  assert_matches_payout (g, "2026-02");
  g_autoptr (cJSON) doc = statement (g, "B2");
  assert_int_equal (item_at (doc, "plan/version")->valueint, 1);
  assert_false (cJSON_IsTrue (item_at (doc, "sprint/closes_quarter")));
  assert_int_equal (cJSON_GetArraySize (item_at (doc, "sprint/months")), 0);
  assert_true (cJSON_IsNull (item_at (doc, "sprint/attainment")));
  g_autofree char *text = output_text (g, "statements/B2.txt");
  assert_non_null (strstr (text, "2026-02 does not close the quarter: sprint bonuses are decided in 2026-03."));
}

/* Display columns of a line (wide characters count two). */
static glong
columns (const char *line)
{
  glong w = 0;
  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      w += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

/* The text statement: the answer first (what is paid, footing, then what
 * would pay more), plain words, no line wider than 80 columns, no trailing
 * blanks, valid UTF-8, exact fractions only in the appendix. */
static void
test_b2_text (void **state)
{
  const Golden *g = *state;
  g_autofree char *text = output_text (g, "statements/B2.txt");
  assert_true (g_utf8_validate (text, -1, NULL));
  assert_true (g_str_has_prefix (text, "Commission statement 2026-03: Dev Patel (B2)\n\n"
                                       "You are paid 8462.71 CNY\n"
                                       "  Commission     332.33\n"
                                       "  Override         0.00\n"
                                       "  Sprint bonus  5000.00\n"
                                       "  Score bonus   3170.38\n"
                                       "  Adjustments    -40.00\n"
                                       "  ---------------------\n"
                                       "  Total         8462.71\n"));
  const char *want[] = { "To earn more\n  1291.67 more weighted credit reaches tier 3, whose rate "
                         "is 0.06.\n  Your score rises most with attainment: at its cap it adds "
                         "17.12 points.\n",
                         "  Attainment        109.24%\n", "R106b",
                         "Edge appliance; new customer, high margin, fast collection",
                         "equipment recovery (half cent)",
                         "Exact values (rounded above)\n", "Bonus score_bonus\n    3170.375\n" };
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    if (strstr (text, want[i]) == NULL)
      fail_msg ("missing '%s' in:\n%s", want[i], text);
  const char *gone[] = { "Credit C", "Weighted credit W", "  exact ", "(exact", "new_customer",
                         "W from" };
  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    if (strstr (text, gone[i]) != NULL)
      fail_msg ("'%s' still in:\n%s", gone[i], text);
  /* an exact fraction appears only in the appendix */
  const char *appendix = strstr (text, "Exact values");
  g_autofree char *before = g_strndup (text, (gsize) (appendix - text));
  assert_null (strstr (before, "1573/1440"));
  assert_null (strstr (before, "3170.375"));
  assert_null (strchr (text, '\t'));
}

/* A receipt of the rep's order that was not credited is told in the
 * rep's own statement (text and JSON), not only in exceptions.csv; a
 * receipt of an unknown order concerns nobody. */
static void
test_excepted_receipts (void **state)
{
  const Golden *g = *state;
  g_autofree char *text = output_text (g, "statements/A2.txt");
  assert_non_null (strstr (text, "Receipts not credited\n  R311 of order O311 (2026-03-09, -200.00) "
                                 "was not credited: refund on order\n    'O311' without a "
                                 "positive receipt.\n"));
  g_autoptr (cJSON) doc = statement (g, "A2");
  assert_int_equal (cJSON_GetArraySize (item_at (doc, "excepted_receipts")), 1);
  assert_string_equal (str_at (doc, "excepted_receipts/0/code"), "REFUND_WITHOUT_PAYMENT");
  assert_string_equal (str_at (doc, "excepted_receipts/0/amount"), "-200");
  const char *others[] = { "A1", "B1", "B2", "M1", "M2" };
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr (cJSON) other = statement (g, others[i]);
      assert_int_equal (cJSON_GetArraySize (item_at (other, "excepted_receipts")), 0);
    }
}

/* Mid-quarter (February): the quarter so far month by month, the whole
 * quarter's quota, and what the rest of the quarter must bring for the
 * sprint bonus (min_attainment × 36000 − 29172). */
static void
test_quarter_to_date (void **state)
{
  const Golden *g = *state;
  g_autoptr (cJSON) doc = statement (g, "B2");
  assert_int_equal (cJSON_GetArraySize (item_at (doc, "sprint/to_date/months")), 2);
  assert_string_equal (str_at (doc, "sprint/to_date/months/0/weighted"), "20592");
  assert_string_equal (str_at (doc, "sprint/to_date/weighted"), "29172");
  assert_string_equal (str_at (doc, "sprint/to_date/quota"), "24000");
  assert_string_equal (str_at (doc, "sprint/to_date/quarter_quota"), "36000");
  assert_string_equal (str_at (doc, "earn_more/sprint_ahead/weighted_needed"), "6828");
  assert_true (cJSON_IsNull (item_at (doc, "sprint/weighted_total")));
  g_autofree char *text = output_text (g, "statements/B2.txt");
  assert_non_null (strstr (text, "  6828.00 more weighted credit by the end of 2026-03 earns the "
                                 "sprint bonus\n    q_sprint (5000.00).\n"));
  assert_non_null (strstr (text, "  To date         29172.00  24000.00\n"));
}

/* Every text statement of golden, both months: 80 columns at most, no
 * trailing blanks. */
static void
test_text_width (void **state)
{
  const Golden *g = *state;
  const char *reps[] = { "A1", "A2", "B1", "B2", "M1", "M2" };
  for (guint r = 0; r < G_N_ELEMENTS (reps); r++)
    {
      g_autofree char *name = g_strdup_printf ("statements/%s.txt", reps[r]);
      g_autofree char *text = output_text (g, name);
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          gsize n = strlen (lines[i]);
          if (columns (lines[i]) > 80)
            fail_msg ("%s line %u is %ld columns: %s", name, i + 1, columns (lines[i]), lines[i]);
          assert_false (n > 0 && lines[i][n - 1] == ' ');
        }
    }
}

/* Same result, same bytes. */
static void
test_deterministic (void **state)
{
  const Golden *g = *state;
  g_autoptr (GPtrArray) again = qt_output_list_new ();
  qt_report_statements (g->res, again);
  assert_int_equal (again->len, g->out->len);
  for (guint i = 0; i < again->len; i++)
    {
      const QtOutputFile *a = g_ptr_array_index (g->out, i), *b = g_ptr_array_index (again, i);
      assert_string_equal (a->name, b->name);
      assert_true (g_bytes_equal (a->bytes, b->bytes));
    }
}

/* The keys of a lookup object, in document order. (transfer container) */
static GPtrArray *
keys_of (const cJSON *obj)
{
  GPtrArray *keys = g_ptr_array_new ();
  for (const cJSON *c = obj->child; c != NULL; c = c->next)
    g_ptr_array_add (keys, c->string);
  return keys;
}

/* Every lookup holds exactly the ids its credits name, sorted bytewise. */
static void
assert_lookup_matches (const cJSON *doc, const char *table, const char *credit_key)
{
  g_autoptr (GPtrArray) keys = keys_of (item_at (doc, table));
  g_autoptr (GHashTable) named = g_hash_table_new (g_str_hash, g_str_equal);
  const cJSON *credit;
  cJSON_ArrayForEach (credit, item_at (doc, "credits"))
    g_hash_table_add (named, cJSON_GetObjectItemCaseSensitive (credit, credit_key)->valuestring);
  assert_int_equal (keys->len, g_hash_table_size (named));
  for (guint i = 0; i < keys->len; i++)
    {
      assert_true (g_hash_table_contains (named, g_ptr_array_index (keys, i)));
      if (i > 0)
        assert_true (strcmp (g_ptr_array_index (keys, i - 1), g_ptr_array_index (keys, i)) < 0);
    }
}

/* Layout of format_version 4: two-space indentation, no tabs, one credit
 * per line (each line a JSON object of the 16 members on its own), lookups
 * complete. */
static void
test_json_layout (void **state)
{
  const Golden *g = *state;
  const char *reps[] = { "A1", "A2", "B1", "B2", "M1", "M2" };
  for (guint r = 0; r < G_N_ELEMENTS (reps); r++)
    {
      g_autofree char *name = g_strdup_printf ("statements/%s.json", reps[r]);
      g_autofree char *text = output_text (g, name);
      g_autoptr (cJSON) doc = statement (g, reps[r]);
      assert_null (strchr (text, '\t'));
      assert_int_equal (item_at (doc, "format_version")->valueint, 4);
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      guint i = 0;
      while (lines[i] && !g_str_has_prefix (lines[i], "  \"credits\": ["))
        i++;
      assert_non_null (lines[i]);
      guint n = 0;
      for (i++; lines[i] && g_str_has_prefix (lines[i], "    {"); i++, n++)
        {
          g_autofree char *one = g_strdup (lines[i] + 4);
          gsize len = strlen (one);
          if (one[len - 1] == ',')
            one[len - 1] = '\0';
          g_autoptr (cJSON) credit = cJSON_Parse (one);
          assert_non_null (credit);
          assert_int_equal (cJSON_GetArraySize (credit), 16);
          assert_true (cJSON_IsString (cJSON_GetObjectItemCaseSensitive (credit, "receipt_id")));
        }
      assert_int_equal (n, cJSON_GetArraySize (item_at (doc, "credits")));
      assert_lookup_matches (doc, "receipts", "receipt_id");
      assert_lookup_matches (doc, "orders", "order_id");
      assert_lookup_matches (doc, "customers", "customer_id");
      assert_lookup_matches (doc, "products", "product_id");
    }
}

/* The statements rendered on 1, 2 and 3 threads: same files, same bytes. */
static void
test_threads_same_bytes (void **state)
{
  const Golden *g = *state;
  for (guint threads = 1; threads <= 3; threads++)
    {
      g_autoptr (GPtrArray) again = qt_output_list_new ();
      qt_report_statements_threads (g->res, again, threads);
      assert_int_equal (again->len, g->out->len);
      for (guint i = 0; i < again->len; i++)
        {
          const QtOutputFile *a = g_ptr_array_index (g->out, i), *b = g_ptr_array_index (again, i);
          assert_string_equal (a->name, b->name);
          assert_true (g_bytes_equal (a->bytes, b->bytes));
        }
    }
}

/* The order line `line_no` of `order_id` in the data set. */
static QtOrderLine *
order_line (Golden *g, const char *order_id, const char *line_no)
{
  for (guint i = 0; i < g->ds->n_lines; i++)
    if (strcmp (g->ds->lines[i].order_id, order_id) == 0 && strcmp (g->ds->lines[i].line_no, line_no) == 0)
      return &g->ds->lines[i];
  fail_msg ("no line %s/%s", order_id, line_no);
  return NULL;
}

/* Regression: a line net or order net past 64 bits leaves the integer fast
 * paths for GMP and still prints exactly (B2's order O307, line 1 given the
 * largest quantity a QtNum holds inline, 17 digits; only the printed nets
 * are looked at). */
static void
test_long_nets (void **state)
{
  Golden *g = *state;
  QtOrderLine *ln = order_line (g, "O307", "1");
  const QtNum saved = ln->quantity;
  ln->quantity = (QtNum) { .units = 99999999999999999, .scale = 0, .big = 0 };
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (g->res);
  g_autoptr (GString) text = qt_statement_json (ix, 5); /* B2, sixth in reps.csv */
  ln->quantity = saved;
  g_autoptr (cJSON) doc = cJSON_Parse (text->str);
  assert_non_null (doc);
  assert_string_equal (str_at (doc, "rep/rep_id"), "B2");
  assert_string_equal (str_at (doc, "credits/2/line_net"), "99999999999999999000");
  assert_string_equal (str_at (doc, "credits/2/order_net"), "100000000000000001000");
  assert_string_equal (str_at (doc, "credits/3/line_net"), "1000");
  assert_string_equal (str_at (doc, "credits/3/order_net"), "100000000000000001000");
}

/* Screen column just after `needle` in `line`: CJK characters take two. */
static glong
char_col_after (const char *line, const char *needle)
{
  const char *p = strstr (line, needle);
  assert_non_null (p);
  glong col = 0;
  for (const char *q = line; q < p + strlen (needle); q = g_utf8_next_char (q))
    col += g_unichar_iswide (g_utf8_get_char (q)) ? 2 : 1;
  return col;
}

static const char *
line_with (char **lines, const char *prefix)
{
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return lines[i];
  fail_msg ("no line starts with '%s'", prefix);
  return NULL;
}

/* Control characters from data never reach a terminal raw: an ANSI escape,
 * a CR and a newline in a name, and a C1 control, print as \xNN. */
static void
test_text_escapes_controls (void **state)
{
  Golden *g = *state;
  const char *saved = g->ds->reps[4].name; /* B1 */
  g->ds->reps[4].name = "Ann\x1b[31mRed\r\nX\xc2\x9b";
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (g->res);
  g_autoptr (GString) own = qt_statement_text (ix, 4);   /* B1's own statement */
  g_autoptr (GString) team = qt_statement_text (ix, 3);  /* M2 lists B1 */
  g->ds->reps[4].name = saved;
  const GString *texts[] = { own, team };
  for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
    {
      const char *t = texts[k]->str;
      assert_null (strchr (t, '\x1b'));
      assert_null (strchr (t, '\r'));
      assert_null (strstr (t, "\xc2\x9b"));
      assert_non_null (strstr (t, "Ann\\x1b[31mRed\\x0d\\x0aX\\xc2\\x9b"));
    }
  assert_true (g_str_has_prefix (own->str, "Commission statement 2026-03: Ann\\x1b[31mRed"));
}

/* Chinese names take two screen columns per character; columns still line up. */
static void
test_utf8_alignment (void **state)
{
  Golden *g = *state;
  const char *saved = g->ds->reps[4].name; /* B1 in reps.csv */
  assert_string_equal (g->ds->reps[4].rep_id, "B1");
  g->ds->reps[4].name = "陈静";
  g_autoptr (QtStatementIndex) ix = qt_statement_index_new (g->res);
  g_autoptr (GString) text = qt_statement_text (ix, 3); /* M2 */
  g->ds->reps[4].name = saved;
  g_auto (GStrv) lines = g_strsplit (text->str, "\n", -1);
  const char *b1 = line_with (lines, "  B1  ");
  const char *b2 = line_with (lines, "  B2  ");
  assert_non_null (strstr (b1, "陈静"));
  assert_int_equal (char_col_after (b1, "630.00"), char_col_after (b2, "332.33"));
}

/* Replaces field `col` of every data row of dir/file by map (field). */
static void
rewrite_column (const char *dir, const char *file, guint col, char *(*map) (const char *))
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = qt_test_read (path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      if (i > 0)
        {
          g_assert (col < g_strv_length (fields));
          char *mapped = map (fields[col]);
          g_free (fields[col]);
          fields[col] = mapped;
        }
      g_autofree char *line = g_strjoinv (",", fields);
      g_string_append_printf (out, "%s\n", line);
    }
  qt_test_write (path, out->str);
  g_string_free (out, TRUE);
}

/* Ids sharing their first 8 bytes (the sort compares those as one
 * number) or shorter than 8, one a prefix of another's head. */
static char *
long_customer (const char *id)
{
  return g_strdup_printf (g_str_has_suffix (id, "1") ? "CUSTOMER%s" : "CUSTOMERS-%s", id);
}

static char *
long_product (const char *id)
{
  return g_strdup (strcmp (id, "HW") == 0 ? "PROD" : strcmp (id, "SW") == 0 ? "PRODUCTS" : "PRODUCTS-SV");
}

static char *
long_order (const char *id)
{
  return g_strdup_printf ("ORDER-NUMBER-%s", id);
}

/* Each statement's orders, customers and products are listed in strcmp
 * order of their ids, also when ids share their first 8 bytes. */
static void
test_long_ids_sorted (void **state)
{
  (void) state;
  g_autofree char *tmp = qt_test_tmpdir ();
  g_autofree char *data = NULL, *plans = NULL;
  qt_test_copy_golden (tmp, &data, &plans);
  rewrite_column (data, "customers.csv", 0, long_customer);
  rewrite_column (data, "orders.csv", 1, long_customer);
  rewrite_column (data, "products.csv", 0, long_product);
  rewrite_column (data, "order_lines.csv", 2, long_product);
  rewrite_column (data, "orders.csv", 0, long_order);
  rewrite_column (data, "order_lines.csv", 0, long_order);
  rewrite_column (data, "receipts.csv", 1, long_order);
  Golden *g = data_run (data, "2026-03");
  guint maps_checked = 0;
  for (guint i = 0; i < g->out->len; i++)
    {
      const QtOutputFile *f = g_ptr_array_index (g->out, i);
      if (!g_str_has_suffix (f->name, ".json"))
        continue;
      gsize len;
      const char *bytes = g_bytes_get_data (f->bytes, &len);
      g_autofree char *text = g_strndup (bytes, len);
      g_autoptr (cJSON) doc = cJSON_Parse (text);
      assert_non_null (doc);
      static const char *const maps[] = { "orders", "customers", "products" };
      for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
        {
          const cJSON *map = cJSON_GetObjectItemCaseSensitive (doc, maps[m]);
          assert_true (cJSON_IsObject (map));
          const char *prev = NULL;
          for (const cJSON *e = map->child; e != NULL; e = e->next)
            {
              if (prev != NULL && strcmp (prev, e->string) >= 0)
                fail_msg ("%s: %s '%s' listed after '%s'", f->name, maps[m], e->string, prev);
              prev = e->string;
            }
          maps_checked += map->child != NULL && map->child->next != NULL;
        }
    }
  assert_true (maps_checked >= 3); /* some statements list several of each */
  teardown_golden ((void **) &g);
  qt_test_rmtree (tmp);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_stem_plain),
    cmocka_unit_test (test_stem_escapes),
    cmocka_unit_test (test_stem_injective),
    cmocka_unit_test (test_stem_long_ids),
    cmocka_unit_test_setup_teardown (test_files, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_b2_numbers, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_m2_override, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_b1_adjustments, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_payout_march, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_february, setup_february, teardown_golden),
    cmocka_unit_test_setup_teardown (test_text_width, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_text_width, setup_february, teardown_golden),
    cmocka_unit_test_setup_teardown (test_b2_text, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_excepted_receipts, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_quarter_to_date, setup_february, teardown_golden),
    cmocka_unit_test_setup_teardown (test_deterministic, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_json_layout, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_threads_same_bytes, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_long_nets, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_text_escapes_controls, setup_march, teardown_golden),
    cmocka_unit_test_setup_teardown (test_utf8_alignment, setup_march, teardown_golden),
    cmocka_unit_test (test_long_ids_sorted),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
