/* rules/plan.c — loads, validates and indexes commission plan versions (SPEC §3, §12.2). */
#include "rules/plan.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "../model/money.h"
#include "model/qt_error.h"
#include "model/sha256.h"
#include "rules/json_pos.h"

/* A loaded version plus what the checks across files point at once its
 * JSON document is gone. */
typedef struct {
  QtPlanVersion pub;
  QtJsonPos version_pos;
  QtJsonPos from_pos;
} PlanEntry;

struct QtPlanSet {
  GPtrArray *entries;            /* PlanEntry *, owned, in load order */
  GHashTable *by_plan;           /* plan name (borrowed from an entry) → GPtrArray of
                                    PlanEntry * (borrowed), sorted by effective_from */
  const QtPlanVersion **sorted;  /* borrowed, sorted by (plan, version) */
};

/* Where a value of the file being parsed sits. */
typedef struct {
  const char *file; /* plan file path as opened */
  const QtJsonDoc *doc;
} Ctx;

/* SPEC §4.3: the multiplier ids, each spelled once here. */
#define ID_NC "new_customer"
#define ID_HM "high_margin"
#define ID_FC "fast_collection"

static const char *const mult_ids[QT_MULT_COUNT] = { ID_NC, ID_HM, ID_FC };

/* The applied ids of every mask joined by '+' (bit k = QtMultKind k). */
static const char *const mask_names[1 << QT_MULT_COUNT] = {
  "", ID_NC, ID_HM, ID_NC "+" ID_HM,
  ID_FC, ID_NC "+" ID_FC, ID_HM "+" ID_FC, ID_NC "+" ID_HM "+" ID_FC,
};
G_STATIC_ASSERT (QT_MULT_NEW_CUSTOMER == 0 && QT_MULT_HIGH_MARGIN == 1
                 && QT_MULT_FAST_COLLECTION == 2 && QT_MULT_COUNT == 3);

const char *
qt_mult_id (QtMultKind kind)
{
  g_return_val_if_fail (kind < QT_MULT_COUNT, "");
  return mult_ids[kind];
}

const char *
qt_mult_mask_name (guint mask)
{
  g_return_val_if_fail (mask < G_N_ELEMENTS (mask_names), "");
  return mask_names[mask];
}

/* ---- versions: allocation ---------------------------------------------- */

static PlanEntry *
entry_new (void)
{
  PlanEntry *e = g_new0 (PlanEntry, 1);
  QtPlanVersion *v = &e->pub;
  for (int k = 0; k < QT_MULT_COUNT; k++)
    mpq_inits (v->mult[k].factor, v->mult[k].min_margin_rate, NULL);
  for (int m = 0; m < 1 << QT_MULT_COUNT; m++)
    mpq_init (v->weight_by_mask[m]);
  mpq_inits (v->cap, v->override_rate, v->process_weight, v->result_weight, NULL);
  return e;
}

static void
score_items_free (QtScoreItem *items, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (items[i].metric);
      mpq_clears (items[i].target, items[i].weight, items[i].cap, NULL);
    }
  g_free (items);
}

static void
entry_free (PlanEntry *e)
{
  if (e == NULL)
    return;
  QtPlanVersion *v = &e->pub;
  g_free (v->path);
  g_free (v->file_name);
  g_free (v->sha256);
  g_free (v->plan);
  g_free (v->currency);
  for (int k = 0; k < QT_MULT_COUNT; k++)
    mpq_clears (v->mult[k].factor, v->mult[k].min_margin_rate, NULL);
  for (int m = 0; m < 1 << QT_MULT_COUNT; m++)
    mpq_clear (v->weight_by_mask[m]);
  if (v->bytes != NULL)
    g_bytes_unref (v->bytes);
  for (guint i = 0; i < v->n_tiers; i++)
    mpq_clears (v->tiers[i].from, v->tiers[i].rate, NULL);
  g_free (v->tiers);
  mpq_clears (v->cap, v->override_rate, v->process_weight, v->result_weight, NULL);
  score_items_free (v->process, v->n_process);
  score_items_free (v->result, v->n_result);
  for (guint i = 0; i < v->n_bonuses; i++)
    {
      QtBonus *b = &v->bonuses[i];
      g_free (b->id);
      mpq_clears (b->min_attainment, b->amount, b->target_amount, b->min_score, NULL);
    }
  g_free (v->bonuses);
  g_strfreev (v->categories);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlanEntry, entry_free)

/* Arrays come back with every rational initialised, so entry_free can
 * clear them whatever point validation stopped at. */
static QtTier *
tiers_new (guint n)
{
  QtTier *t = g_new0 (QtTier, n);
  for (guint i = 0; i < n; i++)
    mpq_inits (t[i].from, t[i].rate, NULL);
  return t;
}

static QtScoreItem *
score_items_new (guint n)
{
  QtScoreItem *items = g_new0 (QtScoreItem, n);
  for (guint i = 0; i < n; i++)
    mpq_inits (items[i].target, items[i].weight, items[i].cap, NULL);
  return items;
}

static QtBonus *
bonuses_new (guint n)
{
  QtBonus *b = g_new0 (QtBonus, n);
  for (guint i = 0; i < n; i++)
    mpq_inits (b[i].min_attainment, b[i].amount, b[i].target_amount, b[i].min_score, NULL);
  return b;
}

/* ---- errors ------------------------------------------------------------ */

/* `FILE:LINE:COLUMN: ` plus `JSON.PATH: ` unless path is the root. */
static char *
location (const char *file, QtJsonPos pos, const char *path)
{
  if (*path == '\0')
    return g_strdup_printf ("%s:%u:%u: ", file, pos.line, pos.column);
  return g_strdup_printf ("%s:%u:%u: %s: ", file, pos.line, pos.column, path);
}

/* Fails with the message at the position of the value at `at` (the
 * enclosing object's path for a missing member) naming `path`. */
G_GNUC_PRINTF (5, 6) static gboolean
fail (const Ctx *c, const char *at, const char *path, GError **error, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_autofree char *where = location (c->file, qt_json_doc_pos (c->doc, at), path);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s%s", where, what);
  return FALSE;
}

/* Adds the file, position and path of `path` to an error of another module. */
static gboolean
prefix_at (const Ctx *c, const char *path, GError **error)
{
  g_autofree char *where = location (c->file, qt_json_doc_pos (c->doc, path), path);
  g_prefix_error (error, "%s", where);
  return FALSE;
}

/* ---- typed members ----------------------------------------------------- */

typedef cJSON_bool (*JsonIs) (const cJSON *item);

static gboolean
expect_type (const Ctx *c, const cJSON *item, const char *path, JsonIs is,
             const char *what, GError **error)
{
  if (is (item))
    return TRUE;
  return fail (c, path, path, error, "expected %s", what);
}

/* Member `key` of `obj` (found at obj_path) checked with `is`; *out is NULL
 * when the member is absent and not required. */
static gboolean
get_typed (const Ctx *c, const cJSON *obj, const char *obj_path, const char *key,
           gboolean required, JsonIs is, const char *what, const cJSON **out,
           GError **error)
{
  g_autofree char *path = qt_json_path_member (obj_path, key);
  *out = cJSON_GetObjectItemCaseSensitive (obj, key);
  if (*out == NULL)
    return !required || fail (c, obj_path, path, error, "missing member");
  return expect_type (c, *out, path, is, what, error);
}

/* A required non-empty string member; (transfer none). */
static gboolean
get_string (const Ctx *c, const cJSON *obj, const char *obj_path, const char *key,
            const char **out, GError **error)
{
  const cJSON *item;
  if (!get_typed (c, obj, obj_path, key, TRUE, cJSON_IsString, "a JSON string", &item, error))
    return FALSE;
  *out = item->valuestring;
  if (**out != '\0')
    return TRUE;
  g_autofree char *path = qt_json_path_member (obj_path, key);
  return fail (c, path, path, error, "must not be empty");
}

/* SPEC §3: plan numbers are decimals in JSON strings, never JSON numbers. */
static gboolean
get_decimal (const Ctx *c, const cJSON *obj, const char *obj_path, const char *key,
             gboolean required, mpq_t out, gboolean *present, GError **error)
{
  const cJSON *item;
  if (!get_typed (c, obj, obj_path, key, required, cJSON_IsString,
                  "a decimal in a JSON string", &item, error))
    return FALSE;
  if (present != NULL)
    *present = item != NULL;
  if (item == NULL)
    return TRUE;
  if (qt_decimal_parse (out, item->valuestring, strlen (item->valuestring), error))
    return TRUE;
  g_autofree char *path = qt_json_path_member (obj_path, key);
  return prefix_at (c, path, error);
}

typedef enum {
  RANGE_NOT_NEGATIVE, /* >= 0: rates, caps, amounts */
  RANGE_POSITIVE,     /* > 0: multiplier factors */
  RANGE_UNIT,         /* 0 .. 1: weights */
} Range;

/* A decimal the contract allows but no plan means (a negative rate, cap,
 * amount or factor, a weight outside 0..1) is refused at its path, so a
 * typo cannot pay a clawback or a negative bonus (docs/limits.md). */
static gboolean
get_decimal_in (const Ctx *c, const cJSON *obj, const char *obj_path, const char *key,
                gboolean required, mpq_t out, gboolean *present, Range range, GError **error)
{
  gboolean here = FALSE;
  if (!get_decimal (c, obj, obj_path, key, required, out, &here, error))
    return FALSE;
  if (present != NULL)
    *present = here;
  if (!here)
    return TRUE;
  g_autofree char *path = qt_json_path_member (obj_path, key);
  if (range == RANGE_POSITIVE && mpq_sgn (out) <= 0)
    return fail (c, path, path, error, "must be greater than 0");
  if (mpq_sgn (out) < 0)
    return fail (c, path, path, error, range == RANGE_UNIT ? "must be between 0 and 1"
                                                           : "must not be negative");
  if (range == RANGE_UNIT && mpq_cmp_ui (out, 1, 1) > 0)
    return fail (c, path, path, error, "must be between 0 and 1");
  return TRUE;
}

/* A required JSON integer literal >= min (read from the text, never through floating point). */
static gboolean
get_integer (const Ctx *c, const cJSON *obj, const char *obj_path, const char *key,
             gint64 min, gint64 *out, GError **error)
{
  const cJSON *item;
  if (!get_typed (c, obj, obj_path, key, TRUE, cJSON_IsNumber, "a JSON integer", &item, error))
    return FALSE;
  g_autofree char *path = qt_json_path_member (obj_path, key);
  if (!qt_json_doc_integer (c->doc, path, out))
    return fail (c, path, path, error, "expected a JSON integer");
  if (*out < min)
    return fail (c, path, path, error, "must be at least %" G_GINT64_FORMAT, min);
  return TRUE;
}

static gboolean
parse_date (const Ctx *c, const cJSON *item, const char *path, QtDay *out, GError **error)
{
  if (!expect_type (c, item, path, cJSON_IsString, "a date in a JSON string", error))
    return FALSE;
  if (qt_date_parse (item->valuestring, strlen (item->valuestring), out))
    return TRUE;
  return fail (c, path, path, error, "'%s' is not a date (YYYY-MM-DD)", item->valuestring);
}

/* ---- sections ---------------------------------------------------------- */

/* SPEC §3 versioning: whole months, effective_to null = open-ended. */
static gboolean
parse_effective (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *from = cJSON_GetObjectItemCaseSensitive (root, "effective_from");
  if (from == NULL)
    return fail (c, "", "effective_from", error, "missing member");
  if (!parse_date (c, from, "effective_from", &v->effective_from, error))
    return FALSE;
  if (qt_period_first_day (qt_period_of_day (v->effective_from)) != v->effective_from)
    return fail (c, "effective_from", "effective_from", error,
                 "must be the first day of a month");

  const cJSON *to = cJSON_GetObjectItemCaseSensitive (root, "effective_to");
  if (to == NULL || cJSON_IsNull (to))
    return TRUE;
  if (!parse_date (c, to, "effective_to", &v->effective_to, error))
    return FALSE;
  if (qt_period_last_day (qt_period_of_day (v->effective_to)) != v->effective_to)
    return fail (c, "effective_to", "effective_to", error, "must be the last day of a month");
  if (v->effective_to < v->effective_from)
    return fail (c, "effective_to", "effective_to", error, "must not be before effective_from");
  v->has_effective_to = TRUE;
  return TRUE;
}

/* The plan's name is member `name_key` ("plan", or "rebate_plan"). */
static gboolean
parse_header (const Ctx *c, const cJSON *root, const char *name_key, QtPlanVersion *v,
              GError **error)
{
  const char *plan, *currency;
  if (!get_string (c, root, "", name_key, &plan, error)
      || !get_integer (c, root, "", "version", 1, &v->version, error)
      || !parse_effective (c, root, v, error)
      || !get_string (c, root, "", "currency", &currency, error))
    return FALSE;
  v->plan = g_strdup (plan);
  v->currency = g_strdup (currency);
  return TRUE;
}

/* A repeated status is harmless: the result is a set. */
static gboolean
parse_statuses (const Ctx *c, const cJSON *list, const char *path, QtStatusSet *set,
                GError **error)
{
  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *item_path = qt_json_path_index (path, i++);
      QtStatus status;
      if (!expect_type (c, item, item_path, cJSON_IsString, "a JSON string", error))
        return FALSE;
      if (!qt_status_parse (item->valuestring, &status))
        return fail (c, item_path, item_path, error, "unknown status '%s'", item->valuestring);
      *set |= 1u << status;
    }
  return TRUE;
}

static int
mult_kind (const char *id)
{
  for (int k = 0; k < QT_MULT_COUNT; k++)
    if (strcmp (id, mult_ids[k]) == 0)
      return k;
  return -1;
}

/* SPEC §4.3: each multiplier id at most once, with the parameter its rule needs. */
static gboolean
parse_multiplier (const Ctx *c, const cJSON *obj, const char *path, QtPlanVersion *v,
                  GError **error)
{
  const char *id;
  if (!expect_type (c, obj, path, cJSON_IsObject, "a JSON object", error)
      || !get_string (c, obj, path, "id", &id, error))
    return FALSE;
  g_autofree char *id_path = qt_json_path_member (path, "id");
  const int kind = mult_kind (id);
  if (kind < 0)
    return fail (c, id_path, id_path, error, "unknown multiplier id '%s'", id);
  QtMultiplier *m = &v->mult[kind];
  if (m->present)
    return fail (c, id_path, id_path, error, "multiplier '%s' appears twice", id);
  m->present = TRUE;

  if (!get_decimal_in (c, obj, path, "factor", TRUE, m->factor, NULL, RANGE_POSITIVE, error))
    return FALSE;
  switch ((QtMultKind) kind)
    {
    case QT_MULT_NEW_CUSTOMER:
      return get_integer (c, obj, path, "lookback_days", 0, &m->lookback_days, error);
    case QT_MULT_HIGH_MARGIN:
      return get_decimal (c, obj, path, "min_margin_rate", TRUE, m->min_margin_rate, NULL, error);
    case QT_MULT_FAST_COLLECTION:
      return get_integer (c, obj, path, "max_days", 0, &m->max_days, error);
    case QT_MULT_COUNT:
      break;
    }
  g_assert_not_reached ();
}

static gboolean
parse_credit (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *credit, *statuses, *mults;
  if (!get_typed (c, root, "", "credit", TRUE, cJSON_IsObject, "a JSON object", &credit, error)
      || !get_typed (c, credit, "credit", "eligible_status", TRUE, cJSON_IsArray,
                     "a JSON array", &statuses, error)
      || !parse_statuses (c, statuses, "credit.eligible_status", &v->eligible_status, error)
      || !get_typed (c, credit, "credit", "multipliers", FALSE, cJSON_IsArray,
                     "a JSON array", &mults, error))
    return FALSE;

  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, mults)
    {
      g_autofree char *path = qt_json_path_index ("credit.multipliers", i++);
      if (!parse_multiplier (c, item, path, v, error))
        return FALSE;
    }
  return TRUE;
}

/* SPEC §3: tiers start at 0 and strictly increase. */
static gboolean
parse_tier (const Ctx *c, const cJSON *obj, const char *path, QtTier *tier,
            const QtTier *prev, GError **error)
{
  if (!expect_type (c, obj, path, cJSON_IsObject, "a JSON object", error)
      || !get_decimal (c, obj, path, "from", TRUE, tier->from, NULL, error))
    return FALSE;
  g_autofree char *from_path = qt_json_path_member (path, "from");
  if (prev == NULL && mpq_sgn (tier->from) != 0)
    return fail (c, from_path, from_path, error, "the first tier must start at 0");
  if (prev != NULL && mpq_cmp (tier->from, prev->from) <= 0)
    return fail (c, from_path, from_path, error, "tiers must strictly increase");
  return get_decimal_in (c, obj, path, "rate", TRUE, tier->rate, NULL, RANGE_NOT_NEGATIVE, error);
}

/* The tiers at `at` ("commission.tiers", or a rebate plan's "tiers"). */
static gboolean
parse_tiers (const Ctx *c, const cJSON *list, const char *at, QtPlanVersion *v, GError **error)
{
  const int n = cJSON_GetArraySize (list);
  if (n == 0)
    return fail (c, at, at, error, "tiers must not be empty");
  v->tiers = tiers_new ((guint) n);
  v->n_tiers = (guint) n;

  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *path = qt_json_path_index (at, i);
      if (!parse_tier (c, item, path, &v->tiers[i], i > 0 ? &v->tiers[i - 1] : NULL, error))
        return FALSE;
      i++;
    }
  return TRUE;
}

/* `mode` and `tiers` of the object at `path` ("commission", or the root
 * of a rebate plan). */
static gboolean
parse_ladder (const Ctx *c, const cJSON *obj, const char *path, QtPlanVersion *v, GError **error)
{
  const cJSON *tiers;
  const char *mode;
  g_autofree char *mode_path = qt_json_path_member (path, "mode");
  g_autofree char *tiers_path = qt_json_path_member (path, "tiers");
  if (!get_string (c, obj, path, "mode", &mode, error))
    return FALSE;
  if (strcmp (mode, "marginal") == 0)
    v->mode = QT_MODE_MARGINAL;
  else if (strcmp (mode, "retroactive") == 0)
    v->mode = QT_MODE_RETROACTIVE;
  else
    return fail (c, mode_path, mode_path, error, "unknown %s mode '%s'",
                 v->kind == QT_PLAN_REBATE ? "rebate" : "commission", mode);
  return get_typed (c, obj, path, "tiers", TRUE, cJSON_IsArray, "a JSON array", &tiers, error)
         && parse_tiers (c, tiers, tiers_path, v, error);
}

static gboolean
parse_commission (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *comm;
  return get_typed (c, root, "", "commission", TRUE, cJSON_IsObject, "a JSON object", &comm,
                    error)
         && parse_ladder (c, comm, "commission", v, error)
         && get_decimal_in (c, comm, "commission", "cap", FALSE, v->cap, &v->has_cap,
                            RANGE_NOT_NEGATIVE, error);
}

static gboolean
parse_override (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *ov;
  if (!get_typed (c, root, "", "override", FALSE, cJSON_IsObject, "a JSON object", &ov, error))
    return FALSE;
  v->has_override = ov != NULL;
  return ov == NULL
         || get_decimal_in (c, ov, "override", "rate", TRUE, v->override_rate, NULL,
                            RANGE_NOT_NEGATIVE, error);
}

/* SPEC §12.2.4: an item is a metric with a target, or `measure: attainment`
 * (metric ignored, target optional); cap optional. */
static gboolean
parse_score_item (const Ctx *c, const cJSON *obj, const char *path, QtScoreItem *item,
                  GError **error)
{
  if (!expect_type (c, obj, path, cJSON_IsObject, "a JSON object", error))
    return FALSE;
  if (cJSON_GetObjectItemCaseSensitive (obj, "measure") != NULL)
    {
      const char *measure;
      if (!get_string (c, obj, path, "measure", &measure, error))
        return FALSE;
      g_autofree char *measure_path = qt_json_path_member (path, "measure");
      if (strcmp (measure, "attainment") != 0)
        return fail (c, measure_path, measure_path, error, "unknown measure '%s'", measure);
      item->is_attainment = TRUE;
    }
  else
    {
      const char *metric;
      if (!get_string (c, obj, path, "metric", &metric, error))
        return FALSE;
      item->metric = g_strdup (metric);
    }

  if (!get_decimal (c, obj, path, "target", !item->is_attainment, item->target,
                    &item->has_target, error))
    return FALSE;
  g_autofree char *target_path = qt_json_path_member (path, "target");
  if (item->has_target && mpq_sgn (item->target) <= 0)
    return fail (c, target_path, target_path, error, "target must be greater than 0");
  return get_decimal_in (c, obj, path, "weight", TRUE, item->weight, NULL, RANGE_UNIT, error)
         && get_decimal_in (c, obj, path, "cap", FALSE, item->cap, &item->has_cap,
                            RANGE_NOT_NEGATIVE, error);
}

/* TRUE when the weights add up to exactly 1. */
static gboolean
weights_sum_to_one (const QtScoreItem *items, guint n)
{
  mpq_t sum;
  mpq_init (sum);
  for (guint i = 0; i < n; i++)
    mpq_add (sum, sum, items[i].weight);
  const gboolean one = mpq_cmp_ui (sum, 1, 1) == 0;
  mpq_clear (sum);
  return one;
}

/* An empty list cannot have weights summing to 1, so it is refused too. */
static gboolean
parse_score_list (const Ctx *c, const cJSON *score, const char *key, QtScoreItem **items,
                  guint *n_items, GError **error)
{
  g_autofree char *path = qt_json_path_member ("score", key);
  const cJSON *list;
  if (!get_typed (c, score, "score", key, TRUE, cJSON_IsArray, "a JSON array", &list, error))
    return FALSE;
  const int n = cJSON_GetArraySize (list);
  if (n == 0)
    return fail (c, path, path, error, "must not be empty (its weights sum to 1)");
  *items = score_items_new ((guint) n);
  *n_items = (guint) n;

  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *item_path = qt_json_path_index (path, i);
      if (!parse_score_item (c, item, item_path, &(*items)[i], error))
        return FALSE;
      i++;
    }
  if (!weights_sum_to_one (*items, *n_items))
    return fail (c, path, path, error, "weights must sum to 1");
  return TRUE;
}

/* SPEC §3: process_weight + result_weight = 1, each list's weights sum to 1. */
static gboolean
parse_score (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *score;
  if (!get_typed (c, root, "", "score", FALSE, cJSON_IsObject, "a JSON object", &score, error))
    return FALSE;
  v->has_score = score != NULL;
  if (score == NULL)
    return TRUE;
  if (!get_decimal_in (c, score, "score", "process_weight", TRUE, v->process_weight, NULL,
                       RANGE_UNIT, error)
      || !get_decimal_in (c, score, "score", "result_weight", TRUE, v->result_weight, NULL,
                          RANGE_UNIT, error))
    return FALSE;

  mpq_t sum;
  mpq_init (sum);
  mpq_add (sum, v->process_weight, v->result_weight);
  const gboolean one = mpq_cmp_ui (sum, 1, 1) == 0;
  mpq_clear (sum);
  if (!one)
    return fail (c, "score", "score", error, "process_weight + result_weight must equal 1");

  return parse_score_list (c, score, "process", &v->process, &v->n_process, error)
         && parse_score_list (c, score, "result", &v->result, &v->n_result, error);
}

static gboolean
parse_bonus (const Ctx *c, const cJSON *obj, const char *path, gboolean has_score,
             QtBonus *b, GError **error)
{
  const char *id, *kind;
  if (!expect_type (c, obj, path, cJSON_IsObject, "a JSON object", error)
      || !get_string (c, obj, path, "id", &id, error)
      || !get_string (c, obj, path, "kind", &kind, error))
    return FALSE;
  b->id = g_strdup (id);
  g_autofree char *kind_path = qt_json_path_member (path, "kind");

  if (strcmp (kind, "quarterly_sprint") == 0)
    {
      b->kind = QT_BONUS_QUARTERLY_SPRINT;
      return get_decimal (c, obj, path, "min_attainment", TRUE, b->min_attainment, NULL, error)
             && get_decimal_in (c, obj, path, "amount", TRUE, b->amount, NULL, RANGE_NOT_NEGATIVE,
                                error);
    }
  if (strcmp (kind, "score") == 0)
    {
      b->kind = QT_BONUS_SCORE;
      if (!has_score)
        return fail (c, kind_path, kind_path, error, "a score bonus needs a score section");
      return get_decimal_in (c, obj, path, "target_amount", TRUE, b->target_amount, NULL,
                             RANGE_NOT_NEGATIVE, error)
             && get_decimal (c, obj, path, "min_score", FALSE, b->min_score,
                             &b->has_min_score, error);
    }
  return fail (c, kind_path, kind_path, error, "unknown bonus kind '%s'", kind);
}

/* SPEC §12.2.5: several bonuses of one kind are allowed. */
static gboolean
parse_bonuses (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *list;
  if (!get_typed (c, root, "", "bonuses", FALSE, cJSON_IsArray, "a JSON array", &list, error))
    return FALSE;
  if (list == NULL)
    return TRUE;
  const int n = cJSON_GetArraySize (list);
  v->bonuses = bonuses_new ((guint) n);
  v->n_bonuses = (guint) n;

  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *path = qt_json_path_index ("bonuses", i);
      if (!parse_bonus (c, item, path, v->has_score, &v->bonuses[i], error))
        return FALSE;
      i++;
    }
  return TRUE;
}

static gboolean
parse_appeals (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *ap;
  if (!get_typed (c, root, "", "appeals", FALSE, cJSON_IsObject, "a JSON object", &ap, error))
    return FALSE;
  v->has_appeals = ap != NULL;
  return ap == NULL
         || (get_integer (c, ap, "appeals", "window_hours", 0, &v->window_hours, error)
             && get_integer (c, ap, "appeals", "reviewers", 1, &v->reviewers, error));
}

/* Members are checked in the order SPEC §3 lists them, so the first problem
 * reported does not depend on member order in the file. */
/* SPEC §11: `categories`, when present, a non-empty array of non-empty
 * strings (a repeat is harmless). */
static gboolean
parse_categories (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  const cJSON *list = cJSON_GetObjectItemCaseSensitive (root, "categories");
  if (cJSON_IsNull (list)) /* null, as for effective_to: absent */
    return TRUE;
  if (!get_typed (c, root, "", "categories", FALSE, cJSON_IsArray, "a JSON array", &list, error))
    return FALSE;
  v->has_categories = list != NULL;
  if (list == NULL)
    return TRUE;
  const int n = cJSON_GetArraySize (list);
  if (n == 0)
    return fail (c, "categories", "categories", error,
                 "must not be empty (leave it out for every category)");
  v->categories = g_new0 (char *, (gsize) n + 1);
  guint i = 0;
  const cJSON *item;
  cJSON_ArrayForEach (item, list)
    {
      g_autofree char *path = qt_json_path_index ("categories", i);
      if (!expect_type (c, item, path, cJSON_IsString, "a JSON string", error))
        return FALSE;
      if (item->valuestring[0] == '\0')
        return fail (c, path, path, error, "must not be empty");
      v->categories[i++] = g_strdup (item->valuestring);
    }
  return TRUE;
}

static gboolean
parse_rebate_version (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  return parse_header (c, root, "rebate_plan", v, error)
         && parse_ladder (c, root, "", v, error)
         && parse_categories (c, root, v, error);
}

static gboolean
parse_version (const Ctx *c, const cJSON *root, QtPlanVersion *v, GError **error)
{
  return parse_header (c, root, "plan", v, error)
         && parse_credit (c, root, v, error)
         && parse_commission (c, root, v, error)
         && parse_override (c, root, v, error)
         && parse_score (c, root, v, error)
         && parse_bonuses (c, root, v, error)
         && parse_appeals (c, root, v, error);
}

/* ---- files ------------------------------------------------------------- */

/* Every weight a slice can get: the product of the applied factors. */
static void
compute_weights (QtPlanVersion *v)
{
  for (int m = 0; m < 1 << QT_MULT_COUNT; m++)
    {
      mpq_set_ui (v->weight_by_mask[m], 1, 1);
      for (int k = 0; k < QT_MULT_COUNT; k++)
        if ((m & (1 << k)) && v->mult[k].present)
          mpq_mul (v->weight_by_mask[m], v->weight_by_mask[m], v->mult[k].factor);
    }
}

/* Reads and validates one plan file of either kind (e->pub.kind). */
static gboolean
load_file (const char *path, const char *name, PlanEntry **out, GError **error)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_autoptr(GError) io_error = NULL;
  if (!g_file_get_contents (path, &bytes, &len, &io_error))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: %s", path, io_error->message);
      return FALSE;
    }
  g_autoptr(QtJsonDoc) doc = qt_json_doc_parse (bytes, len, error);
  if (doc == NULL)
    {
      g_prefix_error (error, "%s:", path);
      return FALSE;
    }
  const Ctx c = { .file = path, .doc = doc };
  if (!cJSON_IsObject (doc->root))
    return fail (&c, "", "", error, "a plan must be a JSON object");

  /* SPEC §11: rebate plans share the directory; every file is validated
   * by its own kind's rules (§12.2.1), whichever kind the run wants. */
  *out = NULL;
  const QtPlanKind kind = cJSON_GetObjectItemCaseSensitive (doc->root, "rebate_plan") != NULL
                              ? QT_PLAN_REBATE : QT_PLAN_COMMISSION;

  g_autoptr(PlanEntry) e = entry_new ();
  e->pub.kind = kind;
  if (!(kind == QT_PLAN_REBATE ? parse_rebate_version (&c, doc->root, &e->pub, error)
                               : parse_version (&c, doc->root, &e->pub, error)))
    return FALSE;
  e->pub.path = g_strdup (path);
  e->pub.file_name = g_strdup (name);
  /* SPEC §3: the recorded hash is of the bytes as stored, BOM included. */
  e->pub.sha256 = qt_sha256_hex (bytes, len);
  e->pub.bytes = g_bytes_new (bytes, len);
  compute_weights (&e->pub);
  e->version_pos = qt_json_doc_pos (doc, "version");
  e->from_pos = qt_json_doc_pos (doc, "effective_from");
  *out = g_steal_pointer (&e);
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The regular `*.json` files of dir (symlinks followed), sorted bytewise
 * so that the first error reported never depends on the file system. */
static GPtrArray *
list_plan_files (const char *dir, GError **error)
{
  g_autoptr(GError) io_error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &io_error);
  if (d == NULL)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot read plans directory: %s",
                   dir, io_error->message);
      return NULL;
    }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!g_utf8_validate (name, -1, NULL))
        {
          /* Its name would go into the manifest and statements. */
          g_autofree char *shown = g_utf8_make_valid (path, -1);
          g_set_error (error, QT_ERROR, QT_ERROR_IO,
                       "%s:1:1: a plan file name must be UTF-8 (rename the file)", shown);
          return NULL;
        }
      GStatBuf st;
      if (g_stat (path, &st) != 0 && errno == ENOENT && g_lstat (path, &st) == 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_IO,
                       "%s:1:1: cannot read plan: it is a symbolic link to a file that does not exist",
                       path);
          return NULL;
        }
      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

/* ---- the set ----------------------------------------------------------- */

G_GNUC_PRINTF (5, 6) static gboolean
fail_entry (const PlanEntry *e, QtJsonPos pos, const char *path, GError **error,
            const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_autofree char *where = location (e->pub.path, pos, path);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s%s", where, what);
  return FALSE;
}

static QtPlanSet *
plan_set_new (void)
{
  QtPlanSet *set = g_new0 (QtPlanSet, 1);
  set->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  set->by_plan = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) g_ptr_array_unref);
  return set;
}

/* Takes `owned`; refuses a second file with the same plan and version
 * (reported at this, the later, file). */
static gboolean
add_entry (QtPlanSet *set, PlanEntry *owned, GError **error)
{
  g_autoptr(PlanEntry) e = owned;
  GPtrArray *same = g_hash_table_lookup (set->by_plan, e->pub.plan);
  for (guint i = 0; same != NULL && i < same->len; i++)
    {
      const PlanEntry *other = same->pdata[i];
      if (other->pub.version == e->pub.version)
        return fail_entry (e, e->version_pos, "version", error,
                           "plan '%s' version %" G_GINT64_FORMAT " is also defined in %s",
                           e->pub.plan, e->pub.version, other->pub.file_name);
    }
  if (same == NULL)
    {
      same = g_ptr_array_new ();
      g_hash_table_insert (set->by_plan, e->pub.plan, same);
    }
  g_ptr_array_add (same, e);
  g_ptr_array_add (set->entries, g_steal_pointer (&e));
  return TRUE;
}

/* By effective_from; on a tie the later file name counts as the later version. */
static gint
compare_from (gconstpointer a, gconstpointer b)
{
  const PlanEntry *x = *(const PlanEntry *const *) a;
  const PlanEntry *y = *(const PlanEntry *const *) b;
  if (x->pub.effective_from != y->pub.effective_from)
    return x->pub.effective_from < y->pub.effective_from ? -1 : 1;
  return strcmp (x->pub.file_name, y->pub.file_name);
}

/* SPEC §3, §12.2.2: versions of one plan must not overlap.  Sorted by start,
 * only neighbours can overlap first; the later one is reported.  Plans are
 * visited in name order so the report is deterministic. */
static gboolean
check_overlaps (QtPlanSet *set, GError **error)
{
  guint n = 0;
  g_autofree gpointer *plans = g_hash_table_get_keys_as_array (set->by_plan, &n);
  qsort (plans, n, sizeof *plans, compare_names);
  for (guint p = 0; p < n; p++)
    {
      GPtrArray *versions = g_hash_table_lookup (set->by_plan, plans[p]);
      g_ptr_array_sort (versions, compare_from);
      for (guint i = 1; i < versions->len; i++)
        {
          const PlanEntry *prev = versions->pdata[i - 1];
          const PlanEntry *cur = versions->pdata[i];
          if (prev->pub.has_effective_to && prev->pub.effective_to < cur->pub.effective_from)
            continue;
          return fail_entry (cur, cur->from_pos, "effective_from", error,
                             "overlaps plan '%s' version %" G_GINT64_FORMAT " (%s)",
                             cur->pub.plan, prev->pub.version, prev->pub.file_name);
        }
    }
  return TRUE;
}

gint
qt_plan_version_cmp (gconstpointer a, gconstpointer b)
{
  const QtPlanVersion *x = *(const QtPlanVersion *const *) a;
  const QtPlanVersion *y = *(const QtPlanVersion *const *) b;
  const int by_plan = strcmp (x->plan, y->plan);
  if (by_plan != 0)
    return by_plan;
  return x->version < y->version ? -1 : x->version > y->version;
}

QtPlanSet *
qt_plan_set_load_dir (const char *dir, GError **error)
{
  return qt_plan_set_load_dir_kind (dir, QT_PLAN_COMMISSION, error);
}

QtPlanSet *
qt_plan_set_load_dir_kind (const char *dir, QtPlanKind kind, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(GPtrArray) names = list_plan_files (dir, error);
  if (names == NULL)
    return NULL;
  g_autoptr(QtPlanSet) set = plan_set_new ();
  /* the other kind's versions, checked across files too, then dropped */
  g_autoptr(QtPlanSet) other = plan_set_new ();
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, name, NULL);
      PlanEntry *e = NULL;
      if (!load_file (path, name, &e, error))
        return NULL;
      if (!add_entry (e->pub.kind == kind ? set : other, e, error))
        return NULL;
    }
  if (!check_overlaps (set, error) || !check_overlaps (other, error))
    return NULL;

  set->sorted = g_new (const QtPlanVersion *, set->entries->len + 1);
  for (guint i = 0; i < set->entries->len; i++)
    set->sorted[i] = &((const PlanEntry *) set->entries->pdata[i])->pub;
  qsort (set->sorted, set->entries->len, sizeof *set->sorted, qt_plan_version_cmp);
  return g_steal_pointer (&set);
}

void
qt_plan_set_free (QtPlanSet *set)
{
  if (set == NULL)
    return;
  /* by_plan borrows its keys and entries from `entries`: drop it first. */
  g_clear_pointer (&set->by_plan, g_hash_table_unref);
  g_clear_pointer (&set->entries, g_ptr_array_unref);
  g_free (set->sorted);
  g_free (set);
}

gboolean
qt_plan_set_has_plan (const QtPlanSet *set, const char *plan)
{
  g_return_val_if_fail (set != NULL && plan != NULL, FALSE);
  return g_hash_table_contains (set->by_plan, plan);
}

const QtPlanVersion *
qt_plan_set_in_force (const QtPlanSet *set, const char *plan, QtDay day)
{
  g_return_val_if_fail (set != NULL && plan != NULL, NULL);

  GPtrArray *versions = g_hash_table_lookup (set->by_plan, plan);
  if (versions == NULL)
    return NULL;
  /* Versions do not overlap, so only the last one starting on or before
   * `day` can hold it: binary search for the first starting after it. */
  guint lo = 0, hi = versions->len;
  while (lo < hi)
    {
      const guint mid = lo + (hi - lo) / 2;
      const PlanEntry *e = versions->pdata[mid];
      if (e->pub.effective_from <= day)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  const QtPlanVersion *v = &((const PlanEntry *) versions->pdata[lo - 1])->pub;
  return !v->has_effective_to || day <= v->effective_to ? v : NULL;
}

const QtPlanVersion *const *
qt_plan_set_versions (const QtPlanSet *set, guint *n)
{
  g_return_val_if_fail (set != NULL && n != NULL, NULL);
  *n = set->entries->len;
  return set->sorted;
}
