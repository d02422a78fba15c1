/* appeals/session.c — a lifecycle command's view of a run (see session.h). */
#include "session.h"

#include <string.h>

#include "../loaders/dataset_loader.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../run/run_dir.h"

gboolean
qt_fail (GError **error, QtErrorCode code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, QT_ERROR, code, msg);
  return FALSE;
}

void
qt_session_free (QtSession *s)
{
  if (s == NULL)
    return;
  qt_run_unlock (s->lock);
  qt_journal_free (s->journal);
  qt_lifecycle_free (s->lc);
  qt_manifest_free (s->manifest);
  g_free (s->now);
  g_free (s->lines);
  g_clear_pointer (&s->reps, g_hash_table_unref);
  g_clear_pointer (&s->orders, g_hash_table_unref);
  qt_dataset_free (s->ds);
  qt_plan_set_free (s->plans);
  g_free (s);
}

/* An appeal whose last vote is in the journal without the `decided` line
 * that was written with it (a crash kept the one and tore the other, and
 * the torn tail was cut): the decision the votes give is added now, at
 * the last vote's time, and goes out with this command's lines. */
static void
complete_decisions (QtSession *s)
{
  for (guint i = 0; i < s->lc->appeals->len; i++)
    {
      QtAppeal *a = g_ptr_array_index (s->lc->appeals, i);
      if (a->state != QT_APPEAL_ASSIGNED || a->votes->len == 0
          || a->votes->len != a->reviewers->len)
        continue;
      const QtVote *last = g_ptr_array_index (a->votes, a->votes->len - 1);
      gboolean upheld = qt_appeal_all_uphold (a, TRUE);
      cJSON *d = cJSON_CreateObject ();
      cJSON_AddStringToObject (d, "appeal", a->id);
      cJSON_AddStringToObject (d, "decision", upheld ? "upheld" : "rejected");
      g_autofree char *line = qt_journal_add (s->journal, last->at, "decided", d);
      char *all = g_strconcat (s->lines != NULL ? s->lines : "", line, NULL);
      g_free (s->lines);
      s->lines = all;
      a->state = upheld ? QT_APPEAL_UPHELD : QT_APPEAL_REJECTED;
      a->decided_at = g_strdup (last->at);
    }
}

QtSession *
qt_session_open (const QtLifecycleOptions *o, gboolean write, GError **error)
{
  g_autoptr (QtSession) s = g_new0 (QtSession, 1);
  s->run_dir = o->run_dir;
  s->now = o->now != NULL ? g_strdup (o->now) : qt_timestamp_now ();
  if (!qt_timestamp_parse (s->now, &s->now_instant))
    {
      qt_bad_input (error, "--now '%s' is not a timestamp like 2026-04-10T10:00:00+08:00", s->now);
      return NULL;
    }
  s->manifest = qt_manifest_read (o->run_dir, QT_RUN_COMMISSION, error);
  if (s->manifest == NULL
      || !qt_period_parse (s->manifest->period, strlen (s->manifest->period), &s->period))
    return NULL;
  if (write && (s->lock = qt_run_lock (o->run_dir, error)) == NULL)
    return NULL;
  s->journal = o->journal_view ? qt_journal_read_view (o->run_dir, error)
                                : qt_journal_read (o->run_dir, write, error);
  if (s->journal == NULL || (s->lc = qt_lifecycle_replay (o->run_dir, s->journal, error)) == NULL)
    {
      if (error != NULL && *error != NULL)
        (*error)->code = QT_ERROR_IO; /* a damaged journal: exit 2, run verify */
      return NULL;
    }
  const QtInstant *last = qt_journal_last_instant (s->journal);
  if (write && last != NULL && qt_instant_cmp (&s->now_instant, last) < 0)
    {
      const QtJournalEntry *e = g_ptr_array_index (s->journal->entries, s->journal->entries->len - 1);
      qt_refuse (error, "%s: --now %s is earlier than the journal's last entry (%s at %s): history "
                 "is not backdated", o->run_dir, s->now, e->event, e->at);
      return NULL;
    }
  if (write)
    complete_decisions (s);
  return g_steal_pointer (&s);
}

gboolean
qt_session_require_published (const QtSession *s, const char *what, GError **error)
{
  if (s->lc->state == QT_STATE_PUBLISHED)
    return TRUE;
  return qt_refuse (error, "%s: %s refused: the run is %s, not published", s->run_dir, what,
                    qt_run_state_name (s->lc->state));
}

gboolean
qt_session_load (QtSession *s, GError **error)
{
  if (s->ds != NULL)
    return TRUE;
  g_autofree char *data = g_build_filename (s->run_dir, "inputs", "data", NULL);
  g_autofree char *plans = g_build_filename (s->run_dir, "inputs", "plans", NULL);
  const QtLoadOptions load = {
    .threads = 2,
    .tables = s->with_orders ? QT_TABLE_BIT (QT_TABLE_REPS) | QT_TABLE_BIT (QT_TABLE_CUSTOMERS)
                                 | QT_TABLE_BIT (QT_TABLE_PRODUCTS) | QT_TABLE_BIT (QT_TABLE_ORDERS)
                             : QT_TABLE_BIT (QT_TABLE_REPS),
  };
  s->plans = qt_plan_set_load_dir (plans, error);
  if (s->plans == NULL || (s->ds = qt_dataset_load_dir (data, &load, error)) == NULL)
    return FALSE;
  s->reps = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < s->ds->n_reps; i++)
    g_hash_table_insert (s->reps, (gpointer) s->ds->reps[i].rep_id, &s->ds->reps[i]);
  if (!s->with_orders)
    return TRUE;
  s->orders = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < s->ds->n_orders; i++)
    g_hash_table_insert (s->orders, (gpointer) s->ds->orders[i].order_id, &s->ds->orders[i]);
  return TRUE;
}

const QtRep *
qt_session_rep (QtSession *s, const char *id, const char *role, GError **error)
{
  if (!qt_session_load (s, error))
    return NULL;
  const QtRep *rep = g_hash_table_lookup (s->reps, id);
  if (rep == NULL)
    qt_bad_input (error, "%s: %s '%s' is not a rep of this run (reps.csv)", s->run_dir, role, id);
  return rep;
}

const QtPlanVersion *
qt_session_plan (const QtSession *s, const QtRep *rep)
{
  return qt_plan_set_in_force (s->plans, rep->plan_id, qt_period_first_day (s->period));
}

char *
qt_session_manifest_sha256 (const QtSession *s, GError **error)
{
  g_autoptr (GBytes) manifest = qt_run_read_file (s->run_dir, "manifest.json", (gsize) 1 << 30, error);
  return manifest != NULL ? qt_sha256_hex_bytes (manifest) : NULL;
}

void
qt_session_add (QtSession *s, const char *event, cJSON *data)
{
  /* (complete_decisions adds its lines at another time the same way) */
  g_autofree char *line = qt_journal_add (s->journal, s->now, event, data);
  char *all = g_strconcat (s->lines != NULL ? s->lines : "", line, NULL);
  g_free (s->lines);
  s->lines = all;
}

gboolean
qt_session_commit (QtSession *s, char **head, GError **error)
{
  g_return_val_if_fail (s->lock != NULL && s->lines != NULL, FALSE);
  if (!qt_journal_write (s->run_dir, s->journal, s->lines, error))
    return FALSE;
  if (head != NULL)
    *head = g_strdup (qt_journal_head (s->journal));
  return TRUE;
}
