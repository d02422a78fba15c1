/* appeals/actions.c — publish, appeal file|assign|vote, close (SPEC §8.1
 * rules 1–4 and 6). */
#include "actions.h"

#include <string.h>

#include "../model/money.h"
#include "../model/qt_error.h"
#include "evidence.h"
#include "session.h"

gboolean
qt_publish (const QtLifecycleOptions *o, const char *payout_at, char **head, GError **error)
{
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  QtInstant payout;
  if (s == NULL)
    return FALSE;
  if (!qt_timestamp_parse (payout_at, &payout))
    return qt_bad_input (error, "--payout-at '%s' is not a timestamp like 2026-04-10T10:00:00+08:00",
                         payout_at);
  if (s->lc->state != QT_STATE_DRAFT)
    return qt_refuse (error, "%s: publish refused: the run is %s already", o->run_dir,
                      qt_run_state_name (s->lc->state));
  if (qt_instant_cmp (&payout, &s->now_instant) <= 0)
    return qt_refuse (error, "%s: publish refused: --payout-at %s is not later than now (%s)",
                      o->run_dir, payout_at, s->now);
  g_autofree char *sha = qt_session_manifest_sha256 (s, error);
  if (sha == NULL)
    return FALSE;
  cJSON *data = cJSON_CreateObject ();
  cJSON_AddStringToObject (data, "payout_at", payout_at);
  cJSON_AddStringToObject (data, "manifest_sha256", sha);
  qt_session_add (s, "published", data);
  return qt_session_commit (s, head, error);
}

/* ---- appeal file ---- */

/* A decimal of SPEC §2 (`-?[0-9]+(\.[0-9]+)?`) into v. */
static gboolean
claim_decimal (const char *text, mpq_ptr v, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (qt_decimal_parse (v, text, strlen (text), &local))
    return TRUE;
  return qt_bad_input (error, "--claim '%s' is not a decimal like 12.50 (%s)", text, local->message);
}

static gboolean
is_score_metric (const QtPlanVersion *v, const char *metric)
{
  for (guint i = 0; v->has_score && i < v->n_process; i++)
    if (g_strcmp0 (v->process[i].metric, metric) == 0)
      return TRUE;
  for (guint i = 0; v->has_score && i < v->n_result; i++)
    if (!v->result[i].is_attainment && g_strcmp0 (v->result[i].metric, metric) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
check_activity (QtSession *s, const QtPlanVersion *v, const char *metric,
                const QtAppealFiling *f, GError **error)
{
  g_auto (mpq_t) value;
  mpq_init (value);
  if (!is_score_metric (v, metric))
    return qt_bad_input (error, "%s: item 'activity:%s': %s is not a metric of the score lists of "
                         "plan %s version %" G_GINT64_FORMAT, s->run_dir, metric, metric, v->plan,
                         v->version);
  if (g_strv_length ((char **) f->claims) != 1)
    return qt_bad_input (error, "item 'activity:%s' takes exactly one --claim (the metric's value)",
                         metric);
  return claim_decimal (f->claims[0], value, error);
}

/* One `REP=SHARE` claim (split at the last '='). */
static gboolean
split_claim (QtSession *s, const char *claim, GHashTable *seen, mpq_ptr sum, GError **error)
{
  const char *eq = strrchr (claim, '=');
  if (eq == NULL || eq == claim)
    return qt_bad_input (error, "--claim '%s' is not REP=SHARE", claim);
  g_autofree char *rep = g_strndup (claim, (gsize) (eq - claim));
  g_auto (mpq_t) share;
  mpq_init (share);
  if (qt_session_rep (s, rep, "--claim", error) == NULL || !claim_decimal (eq + 1, share, error))
    return FALSE;
  if (mpq_sgn (share) <= 0)
    return qt_bad_input (error, "--claim '%s': a share must be greater than 0", claim);
  if (!g_hash_table_add (seen, g_steal_pointer (&rep)))
    return qt_bad_input (error, "--claim '%s': that rep is claimed twice", claim);
  mpq_add (sum, sum, share);
  return TRUE;
}

static gboolean
check_split (QtSession *s, const char *order, const QtAppealFiling *f, GError **error)
{
  if (g_hash_table_lookup (s->orders, order) == NULL)
    return qt_bad_input (error, "%s: item 'split:%s': no such order in orders.csv", s->run_dir, order);
  if (f->claims[0] == NULL)
    return qt_bad_input (error, "item 'split:%s' needs one --claim REP=SHARE per rep", order);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (mpq_t) sum;
  mpq_init (sum);
  for (const char *const *c = f->claims; *c != NULL; c++)
    if (!split_claim (s, *c, seen, sum, error))
      return FALSE;
  if (mpq_cmp_ui (sum, 1, 1) != 0)
    {
      g_autofree char *text = qt_exact_format (sum);
      return qt_bad_input (error, "item 'split:%s': the claimed shares sum to %s, not exactly 1",
                           order, text);
    }
  if (!g_hash_table_contains (seen, f->as))
    return qt_bad_input (error, "item 'split:%s': the appellant %s must be among the claimed reps",
                         order, f->as);
  return TRUE;
}

static gboolean
check_adjustment (const QtAppealFiling *f, GError **error)
{
  g_auto (mpq_t) amount;
  mpq_init (amount);
  if (g_strv_length ((char **) f->claims) != 1)
    return qt_bad_input (error, "item 'adjustment' takes exactly one --claim (the amount)");
  if (!claim_decimal (f->claims[0], amount, error))
    return FALSE;
  if (mpq_sgn (amount) == 0)
    return qt_bad_input (error, "item 'adjustment': the amount must not be zero");
  return TRUE;
}

/* The item and its claims (rule 3), for the appellant's plan version. */
static gboolean
check_item (QtSession *s, const QtPlanVersion *v, const QtAppealFiling *f, GError **error)
{
  if (g_str_has_prefix (f->item, "activity:") && f->item[9] != '\0')
    return check_activity (s, v, f->item + 9, f, error);
  if (g_str_has_prefix (f->item, "split:") && f->item[6] != '\0')
    return check_split (s, f->item + 6, f, error);
  if (strcmp (f->item, "adjustment") == 0)
    return check_adjustment (f, error);
  return qt_bad_input (error, "--item '%s' is not activity:METRIC, split:ORDER_ID or adjustment",
                       f->item);
}

/* Rule 2: the appellant's plan has an appeals section and now is inside
 * [payout_at − window_hours, payout_at). */
static gboolean
check_window (const QtSession *s, const QtPlanVersion *v, const char *as, GError **error)
{
  if (!v->has_appeals)
    return qt_refuse (error, "%s: appeal refused: plan %s version %" G_GINT64_FORMAT " of %s has "
                      "no appeals section", s->run_dir, v->plan, v->version, as);
  QtInstant opens = qt_instant_add_hours (s->lc->payout, -v->window_hours);
  if (qt_instant_cmp (&s->now_instant, &opens) < 0 || qt_instant_cmp (&s->now_instant, &s->lc->payout) >= 0)
    return qt_refuse (error, "%s: appeal refused: now (%s) is outside the appeal window, the %"
                      G_GINT64_FORMAT " hours before the payout at %s", s->run_dir, s->now,
                      v->window_hours, s->lc->payout_at);
  return TRUE;
}

static gboolean
check_no_pending (const QtSession *s, const QtAppealFiling *f, GError **error)
{
  for (guint i = 0; i < s->lc->appeals->len; i++)
    {
      const QtAppeal *a = g_ptr_array_index (s->lc->appeals, i);
      if (strcmp (a->rep, f->as) == 0 && strcmp (a->item, f->item) == 0
          && (a->state == QT_APPEAL_FILED || a->state == QT_APPEAL_ASSIGNED))
        return qt_refuse (error, "%s: appeal refused: %s's appeal %s on %s is still undecided",
                          s->run_dir, f->as, a->id, f->item);
    }
  return TRUE;
}

static cJSON *
strings_json (const char *const *v)
{
  cJSON *a = cJSON_CreateArray ();
  for (; v != NULL && *v != NULL; v++)
    cJSON_AddItemToArray (a, cJSON_CreateString (*v));
  return a;
}

gboolean
qt_appeal_file (const QtLifecycleOptions *o, const QtAppealFiling *f, char **id, char **head,
                GError **error)
{
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  if (s == NULL || !qt_session_require_published (s, "appeal file", error))
    return FALSE;
  s->with_orders = g_str_has_prefix (f->item, "split:");
  const QtRep *rep = qt_session_rep (s, f->as, "--as", error);
  if (rep == NULL)
    return FALSE;
  const QtPlanVersion *v = qt_session_plan (s, rep);
  if (v == NULL)
    return qt_refuse (error, "%s: appeal refused: plan %s has no version in force", o->run_dir,
                      rep->plan_id);
  g_autoptr (GPtrArray) evidence = NULL;
  if (!check_item (s, v, f, error) || !check_window (s, v, f->as, error)
      || !check_no_pending (s, f, error)
      || (evidence = qt_evidence_read (f->evidence, error)) == NULL)
    return FALSE;
  if (!qt_evidence_store (o->run_dir, evidence, error))
    return FALSE;
  *id = g_strdup_printf ("A%u", s->lc->appeals->len + 1);
  cJSON *data = cJSON_CreateObject ();
  cJSON_AddStringToObject (data, "appeal", *id);
  cJSON_AddStringToObject (data, "rep", f->as);
  cJSON_AddStringToObject (data, "item", f->item);
  cJSON_AddItemToObject (data, "claims", strings_json (f->claims));
  cJSON_AddStringToObject (data, "reason", f->reason);
  cJSON_AddItemToObject (data, "evidence", qt_evidence_json (evidence));
  qt_session_add (s, "filed", data);
  if (qt_session_commit (s, head, error))
    return TRUE;
  g_clear_pointer (id, g_free);
  return FALSE;
}

/* ---- appeal assign ---- */

/* Rule 4: not the appellant, not of the appellant's team, not a manager in
 * the appellant's chain. */
static gboolean
check_reviewer (const QtSession *s, const QtAppeal *a, const QtRep *appellant, const QtRep *r,
                GError **error)
{
  if (strcmp (r->rep_id, a->rep) == 0)
    return qt_refuse (error, "%s: assign refused: %s is the appellant of %s", s->run_dir, r->rep_id,
                      a->id);
  if (strcmp (r->team_id, appellant->team_id) == 0)
    return qt_refuse (error, "%s: assign refused: %s is in %s's team %s", s->run_dir, r->rep_id,
                      a->rep, r->team_id);
  for (gint m = appellant->manager; m >= 0; m = s->ds->reps[m].manager)
    if (&s->ds->reps[m] == r)
      return qt_refuse (error, "%s: assign refused: %s is a manager of %s", s->run_dir, r->rep_id,
                        a->rep);
  return TRUE;
}

gboolean
qt_appeal_assign (const QtLifecycleOptions *o, const char *appeal, const char *const *reviewers,
                  char **head, GError **error)
{
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  if (s == NULL || !qt_session_require_published (s, "appeal assign", error))
    return FALSE;
  QtAppeal *a = qt_lifecycle_appeal (s->lc, appeal);
  if (a == NULL)
    return qt_bad_input (error, "%s: no appeal '%s'", o->run_dir, appeal);
  const QtRep *appellant = qt_session_rep (s, a->rep, "appellant", error);
  if (appellant == NULL)
    return FALSE;
  for (const char *const *r = reviewers; *r != NULL; r++)
    if (qt_session_rep (s, *r, "--reviewer", error) == NULL)
      return FALSE;
  if (a->state != QT_APPEAL_FILED)
    return qt_refuse (error, "%s: assign refused: %s is assigned already", o->run_dir, a->id);
  const QtPlanVersion *v = qt_session_plan (s, appellant);
  guint n = g_strv_length ((char **) reviewers);
  if (v == NULL || !v->has_appeals || (gint64) n != v->reviewers)
    return qt_refuse (error, "%s: assign refused: %s needs exactly %" G_GINT64_FORMAT
                      " reviewers, %u given", o->run_dir, a->id, v != NULL ? v->reviewers : 0, n);
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < i; j++)
        if (strcmp (reviewers[i], reviewers[j]) == 0)
          return qt_refuse (error, "%s: assign refused: %s is named twice (reviewers must be "
                            "distinct)", o->run_dir, reviewers[i]);
      if (!check_reviewer (s, a, appellant, g_hash_table_lookup (s->reps, reviewers[i]), error))
        return FALSE;
    }
  cJSON *data = cJSON_CreateObject ();
  cJSON_AddStringToObject (data, "appeal", a->id);
  cJSON_AddItemToObject (data, "reviewers", strings_json (reviewers));
  qt_session_add (s, "assigned", data);
  return qt_session_commit (s, head, error);
}

/* ---- appeal vote ---- */

gboolean
qt_appeal_vote (const QtLifecycleOptions *o, const char *appeal, const char *as, gboolean uphold,
                const char *note, const char **decided, char **head, GError **error)
{
  *decided = NULL;
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  if (s == NULL || !qt_session_require_published (s, "appeal vote", error))
    return FALSE;
  QtAppeal *a = qt_lifecycle_appeal (s->lc, appeal);
  if (a == NULL)
    return qt_bad_input (error, "%s: no appeal '%s'", o->run_dir, appeal);
  if (qt_session_rep (s, as, "--as", error) == NULL)
    return FALSE;
  if (a->state != QT_APPEAL_ASSIGNED && a->state != QT_APPEAL_FILED)
    return qt_refuse (error, "%s: vote refused: %s is decided already", o->run_dir, a->id);
  if (!qt_appeal_is_reviewer (a, as))
    return qt_refuse (error, "%s: vote refused: %s is not an assigned reviewer of %s", o->run_dir,
                      as, a->id);
  if (qt_appeal_has_voted (a, as))
    return qt_refuse (error, "%s: vote refused: %s has voted on %s already", o->run_dir, as, a->id);
  cJSON *data = cJSON_CreateObject ();
  cJSON_AddStringToObject (data, "appeal", a->id);
  cJSON_AddStringToObject (data, "reviewer", as);
  cJSON_AddStringToObject (data, "vote", uphold ? "uphold" : "reject");
  if (note != NULL)
    cJSON_AddStringToObject (data, "note", note);
  qt_session_add (s, "voted", data);
  if (a->votes->len + 1 == a->reviewers->len)
    {
      *decided = qt_appeal_all_uphold (a, uphold) ? "upheld" : "rejected";
      cJSON *d = cJSON_CreateObject ();
      cJSON_AddStringToObject (d, "appeal", a->id);
      cJSON_AddStringToObject (d, "decision", *decided);
      qt_session_add (s, "decided", d);
    }
  return qt_session_commit (s, head, error);
}

/* ---- close ---- */

gboolean
qt_close (const QtLifecycleOptions *o, char **head, GError **error)
{
  g_autoptr (QtSession) s = qt_session_open (o, TRUE, error);
  if (s == NULL || !qt_session_require_published (s, "close", error))
    return FALSE;
  for (guint i = 0; i < s->lc->appeals->len; i++)
    {
      const QtAppeal *a = g_ptr_array_index (s->lc->appeals, i);
      if (a->state == QT_APPEAL_FILED || a->state == QT_APPEAL_ASSIGNED)
        return qt_refuse (error, "%s: close refused: appeal %s is undecided", o->run_dir, a->id);
      if (a->state == QT_APPEAL_UPHELD && a->applied_revision == 0)
        return qt_refuse (error, "%s: close refused: appeal %s is upheld but not applied (run "
                          "quotient recalc first)", o->run_dir, a->id);
    }
  g_autofree char *sha = qt_session_manifest_sha256 (s, error);
  if (sha == NULL)
    return FALSE;
  cJSON *data = cJSON_CreateObject ();
  cJSON_AddStringToObject (data, "manifest_sha256", sha);
  qt_session_add (s, "closed", data);
  return qt_session_commit (s, head, error);
}
