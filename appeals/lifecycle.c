/* appeals/lifecycle.c — the lifecycle replayed from the journal (see
 * lifecycle.h). */
#include "lifecycle.h"

#include <stdlib.h>
#include <string.h>

#include "../model/qt_error.h"

static void
vote_free (gpointer p)
{
  QtVote *v = p;
  g_free (v->reviewer);
  g_free (v->note);
  g_free (v->at);
  g_free (v);
}

static void
appeal_free (gpointer p)
{
  QtAppeal *a = p;
  g_free (a->id);
  g_free (a->rep);
  g_free (a->item);
  g_strfreev (a->claims);
  g_free (a->reason);
  g_ptr_array_unref (a->evidence);
  g_free (a->filed_at);
  g_ptr_array_unref (a->reviewers);
  g_free (a->assigned_at);
  g_ptr_array_unref (a->votes);
  g_free (a->decided_at);
  g_free (a->applied_at);
  g_free (a);
}

void
qt_lifecycle_free (QtLifecycle *lc)
{
  if (lc == NULL)
    return;
  g_free (lc->payout_at);
  g_free (lc->published_manifest);
  g_free (lc->closed_manifest);
  g_ptr_array_unref (lc->applied);
  g_ptr_array_unref (lc->appeals);
  g_free (lc);
}

QtAppeal *
qt_lifecycle_appeal (const QtLifecycle *lc, const char *id)
{
  if (id == NULL || id[0] != 'A' || !g_ascii_isdigit (id[1]) || id[1] == '0')
    return NULL;
  char *end;
  guint64 n = g_ascii_strtoull (id + 1, &end, 10);
  if (*end != '\0' || n == 0 || n > lc->appeals->len)
    return NULL;
  QtAppeal *a = g_ptr_array_index (lc->appeals, n - 1);
  return a->redacted ? NULL : a;
}

const char *
qt_run_state_name (QtRunState state)
{
  static const char *const names[] = { "draft", "published", "closed" };
  return names[state];
}

const char *
qt_appeal_state_name (const QtAppeal *appeal)
{
  static const char *const names[] = { "filed", "assigned", "upheld", "rejected" };
  if (appeal->applied_revision > 0)
    return "applied";
  return names[appeal->state];
}

/* The strings of array member `name`, or NULL when it is not an array of
 * strings. (transfer full) */
static char **
strv (const cJSON *o, const char *name)
{
  const cJSON *a = cJSON_GetObjectItemCaseSensitive (o, name);
  if (!cJSON_IsArray (a))
    return NULL;
  GPtrArray *v = g_ptr_array_new ();
  const cJSON *m;
  cJSON_ArrayForEach (m, a)
    {
      if (!cJSON_IsString (m))
        {
          g_ptr_array_free (v, TRUE);
          return NULL;
        }
      g_ptr_array_add (v, g_strdup (m->valuestring));
    }
  g_ptr_array_add (v, NULL);
  return (char **) g_ptr_array_free (v, FALSE);
}

typedef struct {
  const char *run_dir;
  QtLifecycle *lc;
  const QtJournalEntry *e;
} Replay;

static gboolean
bad (const Replay *r, GError **error, const char *why)
{
  g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s/%s:%" G_GUINT64_FORMAT ": %s", r->run_dir,
               QT_JOURNAL_FILE, r->e->seq, why);
  return FALSE;
}

static gboolean
on_published (Replay *r, GError **error)
{
  const char *payout = qt_json_string_member (r->e->json, "payout_at");
  const char *manifest = qt_json_string_member (r->e->json, "manifest_sha256");
  if (r->lc->state != QT_STATE_DRAFT)
    return bad (r, error, "published twice");
  if (payout == NULL || manifest == NULL || !qt_timestamp_parse (payout, &r->lc->payout))
    return bad (r, error, "published without payout_at and manifest_sha256");
  r->lc->state = QT_STATE_PUBLISHED;
  r->lc->payout_at = g_strdup (payout);
  r->lc->published_manifest = g_strdup (manifest);
  return TRUE;
}

static GPtrArray *
evidence_list (const cJSON *o)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (qt_evidence_free);
  const cJSON *m;
  cJSON_ArrayForEach (m, cJSON_GetObjectItemCaseSensitive (o, "evidence"))
    {
      QtEvidence *ev = g_new0 (QtEvidence, 1);
      ev->sha256 = g_strdup (qt_json_string_member (m, "sha256"));
      ev->name = g_strdup (qt_json_string_member (m, "name"));
      g_ptr_array_add (list, ev);
    }
  return list;
}

/* The next appeal, filed by the current line: its number, id and the
 * line's time and seq, no reviewers or votes yet; takes the strings,
 * claims and evidence.  (transfer none) */
static QtAppeal *
add_appeal (Replay *r, char *id, char *rep, char *item, char **claims, char *reason,
            GPtrArray *evidence)
{
  QtAppeal *a = g_new0 (QtAppeal, 1);
  a->number = r->lc->appeals->len + 1;
  a->id = id;
  a->rep = rep;
  a->item = item;
  a->claims = claims;
  a->reason = reason;
  a->evidence = evidence;
  a->filed_at = g_strdup (r->e->at);
  a->filed_seq = r->e->seq;
  a->reviewers = g_ptr_array_new_with_free_func (g_free);
  a->votes = g_ptr_array_new_with_free_func (vote_free);
  g_ptr_array_add (r->lc->appeals, a);
  return a;
}

/* A redacted line of a rep's view: an appeal of someone else is filed
 * (it takes its number); nothing else of it is known. */
static gboolean
on_redacted (Replay *r)
{
  if (strcmp (r->e->event, "filed") != 0)
    return TRUE;
  QtAppeal *a = add_appeal (r, g_strdup_printf ("A%u", r->lc->appeals->len + 1), g_strdup (""),
                            g_strdup (""), g_new0 (char *, 1), g_strdup (""),
                            g_ptr_array_new_with_free_func (qt_evidence_free));
  a->redacted = TRUE;
  return TRUE;
}

/* Whether `claims` are what `item` takes (appeals/actions.c checks them
 * fully when the appeal is filed; a line written by hand is held to their
 * shape here, since recalc turns them into rows): one value for an
 * activity or an adjustment, one REP=SHARE or more for a split. */
static gboolean
claims_fit (const char *item, char *const *claims)
{
  guint n = g_strv_length ((char **) claims);
  if ((g_str_has_prefix (item, "activity:") && item[9] != '\0')
      || strcmp (item, "adjustment") == 0)
    return n == 1;
  if (!g_str_has_prefix (item, "split:") || item[6] == '\0' || n == 0)
    return FALSE;
  for (char *const *c = claims; *c != NULL; c++)
    {
      const char *eq = strrchr (*c, '=');
      if (eq == NULL || eq == *c || eq[1] == '\0')
        return FALSE;
    }
  return TRUE;
}

static gboolean
on_filed (Replay *r, GError **error)
{
  const cJSON *o = r->e->json;
  g_autofree char *want = g_strdup_printf ("A%u", r->lc->appeals->len + 1);
  const char *id = qt_json_string_member (o, "appeal");
  const char *rep = qt_json_string_member (o, "rep");
  const char *item = qt_json_string_member (o, "item");
  const char *reason = qt_json_string_member (o, "reason");
  char **claims = strv (o, "claims");
  if (r->lc->state != QT_STATE_PUBLISHED || g_strcmp0 (id, want) != 0 || rep == NULL
      || item == NULL || reason == NULL || claims == NULL)
    {
      g_strfreev (claims);
      return bad (r, error, "filed out of turn or without appeal, rep, item, claims and reason");
    }
  if (!claims_fit (item, claims))
    {
      g_strfreev (claims);
      return bad (r, error, "filed with claims its item does not take");
    }
  add_appeal (r, g_strdup (id), g_strdup (rep), g_strdup (item), claims, g_strdup (reason),
              evidence_list (o));
  return TRUE;
}

gboolean
qt_appeal_is_reviewer (const QtAppeal *a, const char *rep)
{
  for (guint i = 0; i < a->reviewers->len; i++)
    if (strcmp (g_ptr_array_index (a->reviewers, i), rep) == 0)
      return TRUE;
  return FALSE;
}

gboolean
qt_appeal_has_voted (const QtAppeal *a, const char *rep)
{
  for (guint i = 0; i < a->votes->len; i++)
    if (strcmp (((QtVote *) g_ptr_array_index (a->votes, i))->reviewer, rep) == 0)
      return TRUE;
  return FALSE;
}

gboolean
qt_appeal_all_uphold (const QtAppeal *a, gboolean uphold)
{
  for (guint i = 0; i < a->votes->len; i++)
    uphold = uphold && ((QtVote *) g_ptr_array_index (a->votes, i))->uphold;
  return uphold;
}

/* The appeal an entry names, in a published run. */
static QtAppeal *
named_appeal (Replay *r, GError **error)
{
  QtAppeal *a = qt_lifecycle_appeal (r->lc, qt_json_string_member (r->e->json, "appeal"));
  if (r->lc->state != QT_STATE_PUBLISHED || a == NULL)
    bad (r, error, "names no appeal of a published run");
  return a;
}

static gboolean
on_assigned (Replay *r, GError **error)
{
  QtAppeal *a = named_appeal (r, error);
  g_auto (GStrv) reviewers = strv (r->e->json, "reviewers");
  if (a == NULL)
    return FALSE;
  if (a->state != QT_APPEAL_FILED || reviewers == NULL)
    return bad (r, error, "assigned twice or without reviewers");
  for (char **p = reviewers; *p != NULL; p++)
    g_ptr_array_add (a->reviewers, g_strdup (*p));
  a->state = QT_APPEAL_ASSIGNED;
  a->assigned_at = g_strdup (r->e->at);
  return TRUE;
}

static gboolean
on_voted (Replay *r, GError **error)
{
  QtAppeal *a = named_appeal (r, error);
  const char *reviewer = qt_json_string_member (r->e->json, "reviewer");
  const char *vote = qt_json_string_member (r->e->json, "vote");
  if (a == NULL)
    return FALSE;
  if (a->state != QT_APPEAL_ASSIGNED || reviewer == NULL
      || (g_strcmp0 (vote, "uphold") != 0 && g_strcmp0 (vote, "reject") != 0))
    return bad (r, error, "a vote out of turn or without reviewer and vote");
  if (!qt_appeal_is_reviewer (a, reviewer))
    return bad (r, error, "a vote by someone not assigned");
  if (qt_appeal_has_voted (a, reviewer))
    return bad (r, error, "a second vote by the same reviewer");
  QtVote *v = g_new0 (QtVote, 1);
  v->reviewer = g_strdup (reviewer);
  v->uphold = strcmp (vote, "uphold") == 0;
  v->note = g_strdup (qt_json_string_member (r->e->json, "note"));
  v->at = g_strdup (r->e->at);
  v->seq = r->e->seq;
  g_ptr_array_add (a->votes, v);
  return TRUE;
}

static gboolean
on_decided (Replay *r, GError **error)
{
  QtAppeal *a = named_appeal (r, error);
  const char *decision = qt_json_string_member (r->e->json, "decision");
  if (a == NULL)
    return FALSE;
  gboolean upheld = g_strcmp0 (decision, "upheld") == 0;
  if (a->state != QT_APPEAL_ASSIGNED || (!upheld && g_strcmp0 (decision, "rejected") != 0))
    return bad (r, error, "decided out of turn or without a decision");
  if (a->votes->len != a->reviewers->len || qt_appeal_all_uphold (a, TRUE) != upheld)
    return bad (r, error, "a decision that is not what the votes say");
  a->state = upheld ? QT_APPEAL_UPHELD : QT_APPEAL_REJECTED;
  a->decided_at = g_strdup (r->e->at);
  return TRUE;
}

static gboolean
on_applied (Replay *r, GError **error)
{
  QtAppeal *a = named_appeal (r, error);
  gint64 rev;
  if (a == NULL)
    return FALSE;
  if (a->state != QT_APPEAL_UPHELD || a->applied_revision != 0
      || !qt_json_doc_integer (r->e->doc, "revision", &rev) || rev < 1
      || rev < r->lc->revision || rev > (gint64) r->lc->revision + 1)
    return bad (r, error, "applied out of turn or without its revision");
  a->applied_revision = (guint) rev;
  a->applied_at = g_strdup (r->e->at);
  r->lc->revision = a->applied_revision;
  g_ptr_array_add (r->lc->applied, a);
  return TRUE;
}

static gboolean
on_closed (Replay *r, GError **error)
{
  const char *manifest = qt_json_string_member (r->e->json, "manifest_sha256");
  if (r->lc->state != QT_STATE_PUBLISHED)
    return bad (r, error, "closed while not published");
  if (manifest == NULL)
    return bad (r, error, "closed without manifest_sha256");
  r->lc->state = QT_STATE_CLOSED;
  r->lc->closed_manifest = g_strdup (manifest);
  return TRUE;
}

QtLifecycle *
qt_lifecycle_replay (const char *run_dir, const QtJournal *journal, GError **error)
{
  static const struct {
    const char *event;
    gboolean (*apply) (Replay *r, GError **error);
  } events[] = {
    { "published", on_published }, { "filed", on_filed }, { "assigned", on_assigned },
    { "voted", on_voted }, { "decided", on_decided }, { "applied", on_applied },
    { "closed", on_closed },
  };
  g_autoptr (QtLifecycle) lc = g_new0 (QtLifecycle, 1);
  lc->appeals = g_ptr_array_new_with_free_func (appeal_free);
  lc->applied = g_ptr_array_new ();
  Replay r = { run_dir, lc, NULL };
  for (guint i = 0; i < journal->entries->len; i++)
    {
      r.e = g_ptr_array_index (journal->entries, i);
      gsize k = 0;
      while (k < G_N_ELEMENTS (events) && strcmp (events[k].event, r.e->event) != 0)
        k++;
      if (k == G_N_ELEMENTS (events))
        {
          bad (&r, error, "unknown event");
          return NULL;
        }
      if (r.e->redacted ? !on_redacted (&r) : !events[k].apply (&r, error))
        return NULL;
    }
  return g_steal_pointer (&lc);
}
