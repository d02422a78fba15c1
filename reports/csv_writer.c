/* reports/csv_writer.c — minimal RFC 4180 quoting for output files. */
#include "csv_writer.h"

#include <string.h>

#include "../model/text_append.h"

void
qt_csv_field (GString *out, gboolean first, const char *text)
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
  if (!quote)
    {
      qt_text_append (out, text, n);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
qt_csv_record (GString *out, const char *const *fields, gsize n)
{
  for (gsize i = 0; i < n; i++)
    qt_csv_field (out, i == 0, fields[i]);
  g_string_append_c (out, '\n');
}
