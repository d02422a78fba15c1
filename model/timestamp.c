/* model/timestamp.c — ISO 8601 timestamps with an offset (see timestamp.h). */
#include "timestamp.h"

#include <string.h>

/* `n` digits at s as a number, or -1. */
static int
digits (const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return -1;
      v = v * 10 + (s[i] - '0');
    }
  return v;
}

/* The fraction after the seconds ("" or ".F{1,9}") in nanoseconds; the
 * end in *end.  FALSE when malformed. */
static gboolean
parse_fraction (const char *s, gint32 *nanos, const char **end)
{
  *nanos = 0;
  *end = s;
  if (*s != '.')
    return TRUE;
  int n = 0;
  gint32 v = 0;
  for (s++; g_ascii_isdigit (*s); s++, n++)
    if (n < 9)
      v = v * 10 + (*s - '0');
  if (n == 0 || n > 9)
    return FALSE;
  for (int i = n; i < 9; i++)
    v *= 10;
  *nanos = v;
  *end = s;
  return TRUE;
}

/* "Z" or "±HH:MM" (a whole string) in seconds east of UTC. */
static gboolean
parse_offset (const char *s, gint64 *offset)
{
  if (strcmp (s, "Z") == 0)
    {
      *offset = 0;
      return TRUE;
    }
  if ((s[0] != '+' && s[0] != '-') || strlen (s) != 6 || s[3] != ':')
    return FALSE;
  int h = digits (s + 1, 2), m = digits (s + 4, 2);
  if (h < 0 || m < 0 || h > 23 || m > 59)
    return FALSE;
  *offset = (s[0] == '-' ? -1 : 1) * ((gint64) h * 3600 + m * 60);
  return TRUE;
}

gboolean
qt_timestamp_parse (const char *text, QtInstant *out)
{
  if (text == NULL || strlen (text) < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T'
      || text[13] != ':' || text[16] != ':')
    return FALSE;
  int y = digits (text, 4), mo = digits (text + 5, 2), d = digits (text + 8, 2);
  int h = digits (text + 11, 2), mi = digits (text + 14, 2), sec = digits (text + 17, 2);
  if (y < 1 || mo < 1 || d < 1 || h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 59
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) mo, (GDateYear) y))
    return FALSE;
  const char *rest;
  gint64 offset;
  if (!parse_fraction (text + 19, &out->nanos, &rest) || !parse_offset (rest, &offset))
    return FALSE;
  GDate date;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) mo, (GDateYear) y);
  /* Julian day 719163 is 1970-01-01. */
  gint64 days = (gint64) g_date_get_julian (&date) - 719163;
  out->seconds = days * 86400 + (gint64) h * 3600 + mi * 60 + sec - offset;
  return TRUE;
}

int
qt_instant_cmp (const QtInstant *a, const QtInstant *b)
{
  if (a->seconds != b->seconds)
    return a->seconds < b->seconds ? -1 : 1;
  return a->nanos < b->nanos ? -1 : a->nanos > b->nanos;
}

QtInstant
qt_instant_add_hours (QtInstant instant, gint64 hours)
{
  instant.seconds += hours * 3600;
  return instant;
}

char *
qt_timestamp_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}
