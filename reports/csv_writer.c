/* reports/csv_writer.c — minimal RFC 4180 quoting for output files, and
 * the formula guard of model/csv_cell.h. */
#include "csv_writer.h"

#include <string.h>

#include "../model/csv_cell.h"
#include "../model/text_append.h"

static void
field (GString *out, gboolean first, const char *text, gboolean guard)
{
  if (!first)
    g_string_append_c (out, ',');
  /* SPEC §12.10: quoted only for a comma, a quote or a newline (a lone CR
   * is ordinary text to our reader, so it is written as it is).  One pass
   * finds both the length and whether quoting is needed. */
  gsize n = 0;
  gboolean quote = FALSE;
  for (; text[n] != '\0'; n++)
    quote |= text[n] == ',' || text[n] == '"' || text[n] == '\n';
  if (quote)
    g_string_append_c (out, '"');
  if (guard && n > 0 && qt_csv_cell_needs_guard (text, n))
    g_string_append_c (out, QT_CSV_GUARD);
  if (!quote)
    {
      qt_text_append (out, text, n);
      return;
    }
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
qt_csv_field (GString *out, gboolean first, const char *text)
{
  field (out, first, text, TRUE);
}

void
qt_csv_record (GString *out, const char *const *fields, gsize n)
{
  for (gsize i = 0; i < n; i++)
    field (out, i == 0, fields[i], TRUE);
  g_string_append_c (out, '\n');
}

void
qt_csv_input_record (GString *out, const char *const *fields, gsize n)
{
  for (gsize i = 0; i < n; i++)
    field (out, i == 0, fields[i], FALSE);
  g_string_append_c (out, '\n');
}
