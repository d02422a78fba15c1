/* reports/statement_revision.c — the revision section of a revised
 * statement (see statement_revision.h). */
#include "statement_revision.h"

#include <string.h>

#include "statement_internal.h"

void
qt_statement_revision_json (GString *json, const QtStatementRevision *rev,
                            const QtStatementChange *changes, guint n)
{
  g_return_if_fail (g_str_has_suffix (json->str, "}\n"));
  g_string_truncate (json, json->len - 2);
  while (json->len > 0 && json->str[json->len - 1] == '\n')
    g_string_truncate (json, json->len - 1);
  g_string_append_printf (json, ",\n  \"revision\": {\"number\":%u,\"appeals\":[", rev->number);
  for (guint i = 0; rev->appeals[i] != NULL; i++)
    {
      g_string_append (json, i ? "," : "");
      qt_stmt_json_string (json, rev->appeals[i]);
    }
  g_string_append (json, "],\"changes\":[");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (json, i ? ",\n    {\"file\":" : "\n    {\"file\":");
      qt_stmt_json_string (json, changes[i].file);
      g_string_append (json, ",\"column\":");
      qt_stmt_json_string (json, changes[i].column);
      g_string_append (json, ",\"old\":");
      qt_stmt_json_string (json, changes[i].old_value);
      g_string_append (json, ",\"new\":");
      qt_stmt_json_string (json, changes[i].new_value);
      g_string_append_c (json, '}');
    }
  g_string_append (json, n ? "\n  ]}\n}\n" : "]}\n}\n");
}

/* A value as the text statement shows it: "(none)" for a rep not there. */
static const char *
shown (const char *value)
{
  return value[0] != '\0' ? value : "(none)";
}

void
qt_statement_revision_text (GString *text, const QtStatementRevision *rev,
                            const QtStatementChange *changes, guint n)
{
  g_autofree char *appeals = g_strjoinv (", ", (char **) rev->appeals);
  g_string_append_printf (text, "\nRevision %u — after appeal%s %s\n", rev->number,
                          rev->appeals[0] != NULL && rev->appeals[1] != NULL ? "s" : "", appeals);
  /* old values right-aligned, so the arrows line up (they are ASCII) */
  int width = 0;
  for (guint i = 0; i < n; i++)
    width = MAX (width, (int) strlen (shown (changes[i].old_value)));
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "  %-12s %-24s %*s → %s\n", changes[i].file, changes[i].column,
                            width, shown (changes[i].old_value), shown (changes[i].new_value));
}
