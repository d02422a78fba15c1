/* appeals/appeal_report.c — `appeal list` and `appeal show` (see
 * appeal_report.h). */
#include "appeal_report.h"

#include <cjson/cJSON.h>

#include "../rules/json_pos.h"

static cJSON *
strv_json (char **v, guint n)
{
  cJSON *a = cJSON_CreateArray ();
  for (guint i = 0; i < n; i++)
    cJSON_AddItemToArray (a, cJSON_CreateString (v[i]));
  return a;
}

static void
add_or_null (cJSON *o, const char *key, const char *value)
{
  if (value != NULL)
    cJSON_AddStringToObject (o, key, value);
  else
    cJSON_AddNullToObject (o, key);
}

static cJSON *
summary_json (const QtAppeal *a)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddStringToObject (o, "appeal", a->id);
  cJSON_AddStringToObject (o, "rep", a->rep);
  cJSON_AddStringToObject (o, "item", a->item);
  cJSON_AddItemToObject (o, "claims", strv_json (a->claims, g_strv_length (a->claims)));
  cJSON_AddStringToObject (o, "state", qt_appeal_state_name (a));
  cJSON_AddStringToObject (o, "filed_at", a->filed_at);
  return o;
}

static GString *
json_text (cJSON *o)
{
  char *text = cJSON_Print (o);
  GString *s = g_string_new (text);
  g_string_append_c (s, '\n');
  cJSON_free (text);
  cJSON_Delete (o);
  return s;
}

GString *
qt_appeal_list_text (const QtLifecycle *lc, gboolean json)
{
  /* a rep's view lists that rep's appeals alone */
  guint shown = 0;
  for (guint i = 0; i < lc->appeals->len; i++)
    shown += !((const QtAppeal *) g_ptr_array_index (lc->appeals, i))->redacted;
  if (json)
    {
      cJSON *a = cJSON_CreateArray ();
      for (guint i = 0; i < lc->appeals->len; i++)
        if (!((const QtAppeal *) g_ptr_array_index (lc->appeals, i))->redacted)
          cJSON_AddItemToArray (a, summary_json (g_ptr_array_index (lc->appeals, i)));
      return json_text (a);
    }
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "run %s, revision %u; %u appeal%s\n", qt_run_state_name (lc->state),
                          lc->revision, shown, shown == 1 ? "" : "s");
  for (guint i = 0; i < lc->appeals->len; i++)
    {
      const QtAppeal *a = g_ptr_array_index (lc->appeals, i);
      if (a->redacted)
        continue;
      g_autofree char *claims = g_strjoinv (" ", a->claims);
      g_string_append_printf (s, "%-5s %-9s %-10s %-24s %s  (filed %s)\n", a->id,
                              qt_appeal_state_name (a), a->rep, a->item, claims, a->filed_at);
    }
  return s;
}

static cJSON *
history_json (const QtAppeal *a)
{
  cJSON *o = summary_json (a);
  cJSON_AddStringToObject (o, "reason", a->reason);
  cJSON *ev = cJSON_AddArrayToObject (o, "evidence");
  for (guint i = 0; i < a->evidence->len; i++)
    {
      const QtEvidence *e = g_ptr_array_index (a->evidence, i);
      cJSON *x = cJSON_CreateObject ();
      cJSON_AddStringToObject (x, "sha256", e->sha256);
      cJSON_AddStringToObject (x, "name", e->name);
      cJSON_AddItemToArray (ev, x);
    }
  cJSON_AddItemToObject (o, "reviewers", strv_json ((char **) a->reviewers->pdata, a->reviewers->len));
  add_or_null (o, "assigned_at", a->assigned_at);
  cJSON *votes = cJSON_AddArrayToObject (o, "votes");
  for (guint i = 0; i < a->votes->len; i++)
    {
      const QtVote *v = g_ptr_array_index (a->votes, i);
      cJSON *x = cJSON_CreateObject ();
      cJSON_AddStringToObject (x, "reviewer", v->reviewer);
      cJSON_AddStringToObject (x, "vote", v->uphold ? "uphold" : "reject");
      add_or_null (x, "note", v->note);
      cJSON_AddStringToObject (x, "at", v->at);
      cJSON_AddItemToArray (votes, x);
    }
  add_or_null (o, "decision", a->state == QT_APPEAL_UPHELD ? "upheld"
                              : a->state == QT_APPEAL_REJECTED ? "rejected" : NULL);
  add_or_null (o, "decided_at", a->decided_at);
  if (a->applied_revision > 0)
    cJSON_AddItemToObject (o, "applied_in_revision", qt_json_integer_new (a->applied_revision));
  else
    cJSON_AddNullToObject (o, "applied_in_revision");
  add_or_null (o, "applied_at", a->applied_at);
  return o;
}

GString *
qt_appeal_show_text (const QtLifecycle *lc, const QtAppeal *a, gboolean json)
{
  (void) lc;
  if (json)
    return json_text (history_json (a));
  GString *s = g_string_new (NULL);
  g_autofree char *claims = g_strjoinv (", ", a->claims);
  g_string_append_printf (s, "appeal %s by %s on %s: %s\n", a->id, a->rep, a->item,
                          qt_appeal_state_name (a));
  g_string_append_printf (s, "  %s  filed: claims %s; reason: %s\n", a->filed_at, claims, a->reason);
  for (guint i = 0; i < a->evidence->len; i++)
    {
      const QtEvidence *e = g_ptr_array_index (a->evidence, i);
      g_string_append_printf (s, "      evidence %s  evidence/%s\n", e->name, e->sha256);
    }
  if (a->assigned_at != NULL)
    {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < a->reviewers->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (a->reviewers, i));
      g_string_append_printf (s, "  %s  assigned to %s\n", a->assigned_at, names->str);
      g_string_free (names, TRUE);
    }
  for (guint i = 0; i < a->votes->len; i++)
    {
      const QtVote *v = g_ptr_array_index (a->votes, i);
      g_string_append_printf (s, "  %s  %s voted %s%s%s\n", v->at, v->reviewer,
                              v->uphold ? "uphold" : "reject", v->note ? ": " : "",
                              v->note ? v->note : "");
    }
  if (a->decided_at != NULL)
    g_string_append_printf (s, "  %s  decided: %s\n", a->decided_at,
                            a->state == QT_APPEAL_UPHELD ? "upheld" : "rejected");
  if (a->applied_revision > 0)
    g_string_append_printf (s, "  %s  applied in revision %u\n", a->applied_at, a->applied_revision);
  return s;
}
