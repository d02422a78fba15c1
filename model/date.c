/* model/date.c — strict parsing and formatting of days, periods and quarters. */
#include "model/date.h"

#define QT_PERIOD_MIN (1 * 12)           /* 0001-01 */
#define QT_PERIOD_MAX (9999 * 12 + 11)   /* 9999-12 */
#define QT_QUARTER_MIN (1 * 4)           /* 0001-Q1 */
#define QT_QUARTER_MAX (9999 * 4 + 3)    /* 9999-Q4 */
#define QT_DAY_MIN 1                     /* 0001-01-01 */
#define QT_DAY_MAX 3652059               /* 9999-12-31 */

/* Reads exactly n ASCII digits; FALSE on anything else (no sign, no space). */
static gboolean
read_digits (const char *p, unsigned n, unsigned *out)
{
  unsigned v = 0;
  for (unsigned i = 0; i < n; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        return FALSE;
      v = v * 10 + (unsigned) (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Writes v as exactly n digits, zero-padded (v < 10^n by construction). */
static char *
put_digits (char *p, unsigned v, unsigned n)
{
  for (unsigned i = n; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + v % 10);
      v /= 10;
    }
  return p + n;
}

/* Reads `YYYY-MM` at text (the caller checked the length) with year
 * 0001–9999 and month 01–12. */
static gboolean
read_year_month (const char *text, unsigned *year, unsigned *month)
{
  return read_digits (text, 4, year) && *year >= 1
         && text[4] == '-'
         && read_digits (text + 5, 2, month) && *month >= 1 && *month <= 12;
}

static gboolean
is_leap (unsigned y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days of the proleptic Gregorian calendar before the first of month m of
 * year y, so that day 1 is 0001-01-01 (GDate's Julian day numbers; this
 * is the arithmetic GDate does, without its per-call validation). */
static guint32
days_before (unsigned y, unsigned m)
{
  static const unsigned short before_month[12] = { 0, 31, 59, 90, 120, 151,
                                                   181, 212, 243, 273, 304, 334 };
  unsigned py = y - 1;
  return py * 365u + py / 4 - py / 100 + py / 400 + before_month[m - 1]
         + (m > 2 && is_leap (y) ? 1u : 0u);
}

static unsigned
days_in_month (unsigned y, unsigned m)
{
  static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  return days[m - 1] + (m == 2 && is_leap (y) ? 1u : 0u);
}

/* SPEC §2, §12.1.5: exactly `YYYY-MM-DD`, a real calendar day. */
gboolean
qt_date_parse (const char *text, gsize len, QtDay *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  unsigned y, m, d;
  if (text == NULL || len != 10
      || !read_year_month (text, &y, &m)
      || text[7] != '-'
      || !read_digits (text + 8, 2, &d))
    return FALSE;
  /* Rejects day 00 and days past the month's end, leap years included. */
  if (d < 1 || d > days_in_month (y, m))
    return FALSE;
  *out = (QtDay) (days_before (y, m) + d);
  return TRUE;
}

gboolean
qt_period_parse (const char *text, gsize len, QtPeriod *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  unsigned y, m;
  if (text == NULL || len != 7 || !read_year_month (text, &y, &m))
    return FALSE;
  *out = (QtPeriod) (y * 12 + (m - 1));
  return TRUE;
}

gboolean
qt_quarter_parse (const char *text, gsize len, QtQuarter *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  unsigned y, q;
  if (text == NULL || len != 7
      || !read_digits (text, 4, &y) || y < 1
      || text[4] != '-' || text[5] != 'Q'
      || !read_digits (text + 6, 1, &q) || q < 1 || q > 4)
    return FALSE;
  *out = (QtQuarter) (y * 4 + (q - 1));
  return TRUE;
}

/* Proleptic Gregorian year, month and day of a day, by H. Hinnant's
 * civil_from_days: z counts days from 0000-03-01, so leap days end each
 * 400/100/4-year cycle (the inverse of days_before; checked against GDate
 * on every day of years 1–9999 in tests/test_date.c). */
void
qt_day_civil (QtDay day, guint *y, guint *m, guint *d)
{
  const guint z = (guint) day + 305;
  const guint era = z / 146097;
  const guint doe = z - era * 146097;
  const guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const guint mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

QtPeriod
qt_period_of_day (QtDay day)
{
  g_return_val_if_fail (day >= QT_DAY_MIN && day <= QT_DAY_MAX, 0);

  guint y, m, d;
  qt_day_civil (day, &y, &m, &d);
  return (QtPeriod) (y * 12 + (m - 1));
}

QtDay
qt_period_first_day (QtPeriod p)
{
  g_return_val_if_fail (p >= QT_PERIOD_MIN && p <= QT_PERIOD_MAX, 0);
  return (QtDay) days_before ((unsigned) (p / 12), (unsigned) (p % 12 + 1)) + 1;
}

QtDay
qt_period_last_day (QtPeriod p)
{
  g_return_val_if_fail (p >= QT_PERIOD_MIN && p <= QT_PERIOD_MAX, 0);
  return qt_period_first_day (p)
         + (QtDay) days_in_month ((unsigned) (p / 12), (unsigned) (p % 12 + 1)) - 1;
}

/* p = 12y + m0 with m0 in 0..11, so p / 3 = 4y + m0 / 3: the quarter. */
QtQuarter
qt_quarter_of_period (QtPeriod p)
{
  g_return_val_if_fail (p >= QT_PERIOD_MIN && p <= QT_PERIOD_MAX, 0);
  return p / 3;
}

QtPeriod
qt_quarter_first_period (QtQuarter q)
{
  g_return_val_if_fail (q >= QT_QUARTER_MIN && q <= QT_QUARTER_MAX, 0);
  return q * 3;
}

gboolean
qt_period_closes_quarter (QtPeriod p)
{
  g_return_val_if_fail (p >= QT_PERIOD_MIN && p <= QT_PERIOD_MAX, FALSE);
  return p % 3 == 2;
}

char *
qt_date_format (QtDay day, char buf[static 11])
{
  g_return_val_if_fail (day >= QT_DAY_MIN && day <= QT_DAY_MAX, NULL);

  guint y, m, d;
  qt_day_civil (day, &y, &m, &d);
  char *w = put_digits (buf, y, 4);
  *w++ = '-';
  w = put_digits (w, m, 2);
  *w++ = '-';
  w = put_digits (w, d, 2);
  *w = '\0';
  return buf;
}

char *
qt_period_format (QtPeriod p, char buf[static 8])
{
  g_return_val_if_fail (p >= QT_PERIOD_MIN && p <= QT_PERIOD_MAX, NULL);

  char *w = put_digits (buf, (unsigned) (p / 12), 4);
  *w++ = '-';
  w = put_digits (w, (unsigned) (p % 12 + 1), 2);
  *w = '\0';
  return buf;
}

char *
qt_quarter_format (QtQuarter q, char buf[static 8])
{
  g_return_val_if_fail (q >= QT_QUARTER_MIN && q <= QT_QUARTER_MAX, NULL);

  char *w = put_digits (buf, (unsigned) (q / 4), 4);
  *w++ = '-';
  *w++ = 'Q';
  w = put_digits (w, (unsigned) (q % 4 + 1), 1);
  *w = '\0';
  return buf;
}
