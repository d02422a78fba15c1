/* rules/plan.h — commission plan versions (SPEC §3, §12.2): loading,
 * validation and choosing the version in force.
 *
 * All numbers are exact rationals parsed from JSON strings; integers
 * (version, lookback_days, max_days, window_hours, reviewers) are JSON
 * integers.  Validation errors are QT_ERROR_MALFORMED with the message
 * `PATH:LINE:COLUMN: JSON.PATH: what is wrong`, e.g.
 * `plans/field-v2.json:18:17: commission.tiers[1].from: tiers must strictly increase`. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../model/date.h"
#include "../model/status.h"

G_BEGIN_DECLS

typedef enum {
  QT_MULT_NEW_CUSTOMER,
  QT_MULT_HIGH_MARGIN,
  QT_MULT_FAST_COLLECTION,
  QT_MULT_COUNT /* also the order in which applied ids are listed (SPEC §5) */
} QtMultKind;

/* The multiplier's id as plan files and outputs spell it ("high_margin").
 * (transfer none: a constant) */
const char *qt_mult_id (QtMultKind kind);
/* The ids of the multipliers in `mask` (bit 1 << QtMultKind each), in
 * QtMultKind order joined by '+' ("new_customer+fast_collection"); "" for
 * none.  (transfer none: a constant) */
const char *qt_mult_mask_name (guint mask);

typedef struct {
  gboolean present;
  mpq_t factor;
  gint64 lookback_days;   /* new_customer */
  mpq_t min_margin_rate;  /* high_margin */
  gint64 max_days;        /* fast_collection */
} QtMultiplier;

typedef struct {
  mpq_t from; /* lower bound as attainment (commission) */
  mpq_t rate;
} QtTier;

typedef enum {
  QT_MODE_MARGINAL,
  QT_MODE_RETROACTIVE,
} QtCommissionMode;

typedef struct {
  char *metric;            /* NULL for measure: attainment */
  gboolean is_attainment;  /* "measure": "attainment" */
  gboolean has_target;     /* always TRUE for a metric item */
  mpq_t target;            /* > 0 */
  mpq_t weight;
  gboolean has_cap;
  mpq_t cap;
} QtScoreItem;

typedef enum {
  QT_BONUS_QUARTERLY_SPRINT,
  QT_BONUS_SCORE,
} QtBonusKind;

typedef struct {
  char *id;
  QtBonusKind kind;
  mpq_t min_attainment;    /* quarterly_sprint */
  mpq_t amount;            /* quarterly_sprint */
  mpq_t target_amount;     /* score */
  gboolean has_min_score;  /* score: absent = no threshold */
  mpq_t min_score;         /* score */
} QtBonus;

/* SPEC §3 and §11: a plans directory holds commission plans and
 * distributor rebate plans (a file with a `rebate_plan` member); a plan
 * set holds the versions of one kind. */
typedef enum {
  QT_PLAN_COMMISSION,
  QT_PLAN_REBATE,
} QtPlanKind;

typedef struct {
  QtPlanKind kind;
  char *path;        /* path as opened */
  char *file_name;   /* bare file name, e.g. "field-v2.json" */
  char *sha256;      /* hex SHA-256 of the file bytes */
  GBytes *bytes;     /* the file as read (for the run's snapshot) */

  char *plan;        /* `plan`, or `rebate_plan` of a rebate plan */
  gint64 version;
  QtDay effective_from;
  gboolean has_effective_to;
  QtDay effective_to;
  char *currency;

  QtStatusSet eligible_status;
  QtMultiplier mult[QT_MULT_COUNT];
  /* weight_by_mask[m] = product of the factors whose bit (1 << QtMultKind)
   * is set in m (1 for none): every slice weight is one of these. */
  mpq_t weight_by_mask[1 << QT_MULT_COUNT];

  QtCommissionMode mode;  /* a rebate plan's `mode` too */
  QtTier *tiers;     /* n_tiers >= 1, tiers[0].from == 0, strictly increasing
                        (a rebate plan's: volumes) */
  guint n_tiers;
  gboolean has_cap;
  mpq_t cap;

  gboolean has_override;
  mpq_t override_rate;

  gboolean has_score;
  mpq_t process_weight, result_weight;
  QtScoreItem *process; guint n_process;
  QtScoreItem *result;  guint n_result;

  QtBonus *bonuses; guint n_bonuses;

  gboolean has_appeals;
  gint64 window_hours, reviewers;

  /* a rebate plan's `categories` (absent: every category) */
  gboolean has_categories;
  char **categories;  /* NULL-terminated */
} QtPlanVersion;

typedef struct QtPlanSet QtPlanSet;

/* Loads and validates every regular `*.json` file of `dir` (SPEC §12.2.1).
 * Files holding a `rebate_plan` member are rebate plans (SPEC §11) and are
 * not commission plans.  Checks across files: two files with one plan and
 * version; overlapping versions of one plan (reported at the later file).
 * A missing directory is `DIR:1:1: ...` (QT_ERROR_IO).  (transfer full) */
QtPlanSet *qt_plan_set_load_dir (const char *dir, GError **error);

/* The same for the plans of `kind`: QT_PLAN_REBATE loads and validates the
 * rebate plans (SPEC §11: `rebate_plan`, `version`, `effective_from`,
 * `currency`, `mode` retroactive or marginal, `tiers` on volumes,
 * optional `categories`) and skips the commission plans. */
QtPlanSet *qt_plan_set_load_dir_kind (const char *dir, QtPlanKind kind, GError **error);
void qt_plan_set_free (QtPlanSet *set);

/* TRUE when some version of `plan` exists. */
gboolean qt_plan_set_has_plan (const QtPlanSet *set, const char *plan);

/* The version of `plan` whose [effective_from, effective_to] holds `day`,
 * or NULL.  (transfer none) */
const QtPlanVersion *qt_plan_set_in_force (const QtPlanSet *set, const char *plan, QtDay day);

/* Orders pointers to QtPlanVersion* (a GCompareFunc over array elements)
 * by (plan bytewise, version). */
gint qt_plan_version_cmp (gconstpointer a, gconstpointer b);

/* All the set's versions, sorted by (plan, version). (transfer none) */
const QtPlanVersion *const *qt_plan_set_versions (const QtPlanSet *set, guint *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtPlanSet, qt_plan_set_free)

G_END_DECLS
