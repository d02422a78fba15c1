/* tests/test_date.c — strict day/period/quarter parsing, conversions and formatting of model/date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/date.h"

static QtDay
day_of (const char *text)
{
  QtDay d = 0;
  if (!qt_date_parse (text, strlen (text), &d))
    fail_msg ("'%s' rejected", text);
  return d;
}

static QtPeriod
period_of (const char *text)
{
  QtPeriod p = 0;
  if (!qt_period_parse (text, strlen (text), &p))
    fail_msg ("'%s' rejected", text);
  return p;
}

static QtQuarter
quarter_of (const char *text)
{
  QtQuarter q = 0;
  if (!qt_quarter_parse (text, strlen (text), &q))
    fail_msg ("'%s' rejected", text);
  return q;
}

static void
test_date_valid (void **state)
{
  (void) state;
  assert_int_equal (day_of ("0001-01-01"), 1); /* GDate Julian day 1 */
  assert_int_equal (day_of ("0001-01-02"), 2);
  assert_int_equal (day_of ("0001-12-31"), 365);
  assert_int_equal (day_of ("0002-01-01"), 366);
  assert_int_equal (day_of ("9999-12-31"), 3652059);
  assert_int_equal (day_of ("1970-01-01"), 719163);
  assert_int_equal (day_of ("2024-02-29") + 1, day_of ("2024-03-01")); /* leap */
  assert_int_equal (day_of ("2000-02-29") + 1, day_of ("2000-03-01")); /* 400-year leap */
  assert_int_equal (day_of ("2026-02-28") + 1, day_of ("2026-03-01"));
  assert_int_equal (day_of ("2026-04-30") + 1, day_of ("2026-05-01"));
}

static void
test_date_invalid (void **state)
{
  (void) state;
  static const char *const bad[] = {
    "",
    "2026-02-29",  /* not a leap year */
    "1900-02-29",  /* century, not a leap year */
    "2026-02-30",
    "2026-04-31",
    "2026-01-32",
    "2026-00-10",
    "2026-13-01",
    "2026-01-00",
    "0000-01-01",  /* years 0001–9999 */
    "2026-3-01",   /* exact lengths only */
    "2026-03-1",
    "26-03-01",
    "02026-03-01",
    " 2026-01-01",
    "2026-01-01 ",
    "2026-01-01T00:00:00",
    "2026/01/01",
    "2026_01_01",
    "20260101",
    "2026-01-0a",
    "+026-01-01",
    "-026-01-01",
    "2026-+1-01",
    "2026-01--1",
    "01-01-2026",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      QtDay d = -7;
      if (qt_date_parse (bad[i], strlen (bad[i]), &d))
        fail_msg ("'%s' accepted", bad[i]);
      assert_int_equal (d, -7); /* out untouched on failure */
    }
}

static void
test_date_not_nul_terminated (void **state)
{
  (void) state;
  const char buf[] = "2026-03-015,2026-03";
  QtDay d;
  assert_true (qt_date_parse (buf, 10, &d));
  assert_int_equal (d, day_of ("2026-03-01"));
  assert_false (qt_date_parse (buf, 11, &d));
  QtPeriod p;
  assert_true (qt_period_parse (buf + 12, 7, &p));
  assert_int_equal (p, 2026 * 12 + 2);
  assert_true (qt_period_parse (buf, 7, &p)); /* prefix "2026-03" */
  assert_false (qt_period_parse (buf, 8, &p));
}

static void
test_day_differences (void **state)
{
  (void) state;
  assert_int_equal (day_of ("2026-03-31") - day_of ("2026-03-01"), 30);
  assert_int_equal (day_of ("2026-12-31") - day_of ("2026-01-01"), 364);
  assert_int_equal (day_of ("2024-12-31") - day_of ("2024-01-01"), 365);
  assert_int_equal (day_of ("2027-01-01") - day_of ("2026-01-01"), 365);
  assert_int_equal (day_of ("2025-01-01") - day_of ("2024-01-01"), 366);
  assert_int_equal (day_of ("2026-04-10") - day_of ("2026-01-10"), 90);
  assert_int_equal (day_of ("2026-01-01") - day_of ("2026-03-01"), -59);
  assert_int_equal (day_of ("2001-01-01") - day_of ("1901-01-01"), 36525); /* 1904…2000: 25 leap days */
  assert_int_equal (day_of ("2000-01-01") - day_of ("1900-01-01"), 36524); /* 1900 not leap */
  assert_int_equal (day_of ("2400-01-01") - day_of ("2000-01-01"), 146097);
}

static void
test_period_parse (void **state)
{
  (void) state;
  assert_int_equal (period_of ("2026-01"), 2026 * 12);
  assert_int_equal (period_of ("2026-03"), 2026 * 12 + 2);
  assert_int_equal (period_of ("2026-12"), 2026 * 12 + 11);
  assert_int_equal (period_of ("0001-01"), 12);
  assert_int_equal (period_of ("9999-12"), 9999 * 12 + 11);
  assert_int_equal (period_of ("2027-01") - period_of ("2026-12"), 1);

  static const char *const bad[] = {
    "", "2026-00", "2026-13", "2026-1", "2026-001", "0000-01", "2026/03",
    " 2026-03", "2026-03 ", "2026-03-01", "2026-Q1", "202603", "2026-+3", "2026--3",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      QtPeriod p = -7;
      if (qt_period_parse (bad[i], strlen (bad[i]), &p))
        fail_msg ("'%s' accepted", bad[i]);
      assert_int_equal (p, -7);
    }
}

static void
test_quarter_parse (void **state)
{
  (void) state;
  assert_int_equal (quarter_of ("2026-Q1"), 2026 * 4);
  assert_int_equal (quarter_of ("2026-Q4"), 2026 * 4 + 3);
  assert_int_equal (quarter_of ("0001-Q1"), 4);
  assert_int_equal (quarter_of ("9999-Q4"), 9999 * 4 + 3);
  assert_int_equal (quarter_of ("2027-Q1") - quarter_of ("2026-Q4"), 1);

  static const char *const bad[] = {
    "", "2026-Q0", "2026-Q5", "2026-q1", "2026Q1", "2026-Q01", "2026-Q", "0000-Q1",
    " 2026-Q1", "2026-Q1 ", "2026-01", "2026-Qa", "2026-1Q",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      QtQuarter q = -7;
      if (qt_quarter_parse (bad[i], strlen (bad[i]), &q))
        fail_msg ("'%s' accepted", bad[i]);
      assert_int_equal (q, -7);
    }
}

static void
test_period_days (void **state)
{
  (void) state;
  assert_int_equal (qt_period_first_day (period_of ("2026-02")), day_of ("2026-02-01"));
  assert_int_equal (qt_period_last_day (period_of ("2026-02")), day_of ("2026-02-28"));
  assert_int_equal (qt_period_last_day (period_of ("2024-02")), day_of ("2024-02-29"));
  assert_int_equal (qt_period_last_day (period_of ("1900-02")), day_of ("1900-02-28"));
  assert_int_equal (qt_period_last_day (period_of ("2000-02")), day_of ("2000-02-29"));
  assert_int_equal (qt_period_last_day (period_of ("2026-04")), day_of ("2026-04-30"));
  assert_int_equal (qt_period_last_day (period_of ("2026-12")), day_of ("2026-12-31"));
  assert_int_equal (qt_period_first_day (period_of ("0001-01")), 1);
  assert_int_equal (qt_period_last_day (period_of ("9999-12")), 3652059);

  assert_int_equal (qt_period_of_day (day_of ("2026-03-01")), period_of ("2026-03"));
  assert_int_equal (qt_period_of_day (day_of ("2026-03-31")), period_of ("2026-03"));
  assert_int_equal (qt_period_of_day (day_of ("2026-04-01")), period_of ("2026-04"));
  assert_int_equal (qt_period_of_day (day_of ("2025-12-31")), period_of ("2025-12"));
  assert_int_equal (qt_period_of_day (day_of ("2024-02-29")), period_of ("2024-02"));

  /* Every day of a period maps back to it, and only those days do. */
  for (QtPeriod p = period_of ("2023-11"); p <= period_of ("2024-03"); p++)
    {
      assert_int_equal (qt_period_of_day (qt_period_first_day (p) - 1), p - 1);
      for (QtDay d = qt_period_first_day (p); d <= qt_period_last_day (p); d++)
        assert_int_equal (qt_period_of_day (d), p);
      assert_int_equal (qt_period_of_day (qt_period_last_day (p) + 1), p + 1);
    }
}

static void
test_quarters_of_periods (void **state)
{
  (void) state;
  assert_int_equal (qt_quarter_of_period (period_of ("2026-01")), quarter_of ("2026-Q1"));
  assert_int_equal (qt_quarter_of_period (period_of ("2026-03")), quarter_of ("2026-Q1"));
  assert_int_equal (qt_quarter_of_period (period_of ("2026-04")), quarter_of ("2026-Q2"));
  assert_int_equal (qt_quarter_of_period (period_of ("2026-09")), quarter_of ("2026-Q3"));
  assert_int_equal (qt_quarter_of_period (period_of ("2026-10")), quarter_of ("2026-Q4"));
  assert_int_equal (qt_quarter_of_period (period_of ("2026-12")), quarter_of ("2026-Q4"));
  assert_int_equal (qt_quarter_of_period (period_of ("2027-01")), quarter_of ("2027-Q1"));

  assert_int_equal (qt_quarter_first_period (quarter_of ("2026-Q1")), period_of ("2026-01"));
  assert_int_equal (qt_quarter_first_period (quarter_of ("2026-Q2")), period_of ("2026-04"));
  assert_int_equal (qt_quarter_first_period (quarter_of ("2026-Q3")), period_of ("2026-07"));
  assert_int_equal (qt_quarter_first_period (quarter_of ("2026-Q4")), period_of ("2026-10"));

  assert_false (qt_period_closes_quarter (period_of ("2026-01")));
  assert_false (qt_period_closes_quarter (period_of ("2026-02")));
  assert_true (qt_period_closes_quarter (period_of ("2026-03")));
  assert_false (qt_period_closes_quarter (period_of ("2026-04")));
  assert_true (qt_period_closes_quarter (period_of ("2026-06")));
  assert_true (qt_period_closes_quarter (period_of ("2026-09")));
  assert_false (qt_period_closes_quarter (period_of ("2026-11")));
  assert_true (qt_period_closes_quarter (period_of ("2026-12")));

  /* The closing month is the first period of the quarter plus two. */
  for (QtQuarter q = quarter_of ("2025-Q1"); q <= quarter_of ("2027-Q4"); q++)
    {
      const QtPeriod first = qt_quarter_first_period (q);
      for (QtPeriod p = first; p < first + 3; p++)
        {
          assert_int_equal (qt_quarter_of_period (p), q);
          assert_int_equal (qt_period_closes_quarter (p), p == first + 2);
        }
    }
}

static void
test_format (void **state)
{
  (void) state;
  char buf[11];
  assert_string_equal (qt_date_format (day_of ("2026-03-01"), buf), "2026-03-01");
  assert_string_equal (qt_date_format (1, buf), "0001-01-01");
  assert_string_equal (qt_date_format (3652059, buf), "9999-12-31");
  assert_string_equal (qt_date_format (day_of ("2024-02-28") + 1, buf), "2024-02-29");
  assert_string_equal (qt_date_format (day_of ("2026-02-28") + 1, buf), "2026-03-01");
  assert_string_equal (qt_date_format (day_of ("2026-12-31") + 1, buf), "2027-01-01");

  char pbuf[8];
  assert_string_equal (qt_period_format (2026 * 12 + 2, pbuf), "2026-03");
  assert_string_equal (qt_period_format (2026 * 12 + 11, pbuf), "2026-12");
  assert_string_equal (qt_period_format (period_of ("2026-12") + 1, pbuf), "2027-01");
  assert_string_equal (qt_period_format (12, pbuf), "0001-01");

  char qbuf[8];
  assert_string_equal (qt_quarter_format (2026 * 4, qbuf), "2026-Q1");
  assert_string_equal (qt_quarter_format (2026 * 4 + 3, qbuf), "2026-Q4");
  assert_string_equal (qt_quarter_format (quarter_of ("2026-Q4") + 1, qbuf), "2027-Q1");
  assert_string_equal (qt_quarter_format (4, qbuf), "0001-Q1");
}

static void
test_format_round_trip (void **state)
{
  (void) state;
  char buf[11];
  /* Every day of 1899–2101 (two non-leap centuries and 2000) round-trips. */
  for (QtDay d = day_of ("1899-01-01"); d <= day_of ("2101-12-31"); d++)
    {
      QtDay back = 0;
      qt_date_format (d, buf);
      assert_int_equal (strlen (buf), 10);
      assert_true (qt_date_parse (buf, 10, &back));
      assert_int_equal (back, d);
    }

  char pbuf[8];
  for (QtPeriod p = period_of ("0001-01"); p <= period_of ("9999-12"); p += 97)
    {
      QtPeriod back = 0;
      assert_true (qt_period_parse (qt_period_format (p, pbuf), 7, &back));
      assert_int_equal (back, p);
    }

  char qbuf[8];
  for (QtQuarter q = quarter_of ("0001-Q1"); q <= quarter_of ("9999-Q4"); q += 13)
    {
      QtQuarter back = 0;
      assert_true (qt_quarter_parse (qt_quarter_format (q, qbuf), 7, &back));
      assert_int_equal (back, q);
    }
}

/* Every day of years 1–9999 parses to GDate's Julian day number, and the
 * day after each month's last (and day 00) is rejected: the arithmetic
 * of qt_date_parse against GLib's calendar. */
static void
test_every_day_matches_gdate (void **state)
{
  (void) state;
  for (unsigned y = 1; y <= 9999; y++)
    for (unsigned m = 1; m <= 12; m++)
      {
        unsigned last = g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y);
        for (unsigned d = 0; d <= last + 1; d++)
          {
            char text[16];
            g_snprintf (text, sizeof text, "%04u-%02u-%02u", y, m, d);
            QtDay day = 0;
            gboolean ok = qt_date_parse (text, 10, &day);
            if (d == 0 || d > last)
              {
                if (ok)
                  fail_msg ("%s parsed", text);
                continue;
              }
            GDate date;
            g_date_clear (&date, 1);
            g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
            if (!ok || day != (QtDay) g_date_get_julian (&date))
              fail_msg ("%s: %d, GDate %u", text, day, g_date_get_julian (&date));
            /* and back: civil date, text, month, the month's bounds */
            guint cy, cm, cd;
            qt_day_civil (day, &cy, &cm, &cd);
            char back[11];
            QtPeriod p = (QtPeriod) (y * 12 + m - 1);
            if (cy != y || cm != m || cd != d || strcmp (qt_date_format (day, back), text) != 0
                || qt_period_of_day (day) != p
                || qt_period_first_day (p) != day - (QtDay) d + 1
                || qt_period_last_day (p) != day - (QtDay) d + (QtDay) last)
              fail_msg ("%s: civil %u-%u-%u, formatted %s", text, cy, cm, cd, back);
          }
      }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_date_valid),
    cmocka_unit_test (test_date_invalid),
    cmocka_unit_test (test_date_not_nul_terminated),
    cmocka_unit_test (test_day_differences),
    cmocka_unit_test (test_period_parse),
    cmocka_unit_test (test_quarter_parse),
    cmocka_unit_test (test_period_days),
    cmocka_unit_test (test_quarters_of_periods),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_format_round_trip),
    cmocka_unit_test (test_every_day_matches_gdate),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
