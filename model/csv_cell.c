/* model/csv_cell.c — see csv_cell.h. */
#include "csv_cell.h"

/* `[-+]?[0-9]+([./][0-9]+)?`: how every number of a CSV output looks. */
static gboolean
is_plain_number (const char *text, gsize len)
{
  gsize i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  gsize digits = 0;
  for (; i < len && g_ascii_isdigit (text[i]); i++)
    digits++;
  if (digits == 0)
    return FALSE;
  if (i < len && (text[i] == '.' || text[i] == '/'))
    {
      gsize after = ++i;
      for (; i < len && g_ascii_isdigit (text[i]); i++)
        ;
      if (i == after)
        return FALSE;
    }
  return i == len;
}

gboolean
qt_csv_cell_needs_guard (const char *text, gsize len)
{
  if (len == 0)
    return FALSE;
  switch (text[0])
    {
    case '=':
    case '@':
    case '\t':
    case '\r':
    case QT_CSV_GUARD:
      return TRUE;
    case '+':
    case '-':
      return !is_plain_number (text, len);
    default:
      return FALSE;
    }
}
