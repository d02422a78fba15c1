/* model/date.h — calendar days, months (periods) and quarters as small integers.
 *
 * A day is a GDate Julian day number (1 = 0001-01-01), so differences are
 * plain subtraction; the calendar arithmetic is done here (GDate checks
 * every argument on each call, which shows at millions of rows).  A period (calendar month) is year * 12 + (month - 1).
 * A quarter is year * 4 + (q - 1).  No time zone is involved anywhere. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint32 QtDay;
typedef gint32 QtPeriod;
typedef gint32 QtQuarter;

/* Parses exactly `YYYY-MM-DD` naming a real calendar day (SPEC §2, §12.1.5).
 * text need not be NUL-terminated.  Returns FALSE (no error) when invalid. */
gboolean qt_date_parse (const char *text, gsize len, QtDay *out);

/* Parses exactly `YYYY-MM` with month 01–12. Returns FALSE when invalid. */
gboolean qt_period_parse (const char *text, gsize len, QtPeriod *out);

/* Parses exactly `YYYY-Qn` with n 1–4. Returns FALSE when invalid. */
gboolean qt_quarter_parse (const char *text, gsize len, QtQuarter *out);

/* Year, month (1–12) and day (1–31) of a day in 0001-01-01 .. 9999-12-31. */
void qt_day_civil (QtDay day, guint *y, guint *m, guint *d);

QtPeriod qt_period_of_day (QtDay day);
QtDay qt_period_first_day (QtPeriod p);
QtDay qt_period_last_day (QtPeriod p);
QtQuarter qt_quarter_of_period (QtPeriod p);
QtPeriod qt_quarter_first_period (QtQuarter q);
/* TRUE when p is the third month of its quarter (Mar, Jun, Sep, Dec). */
gboolean qt_period_closes_quarter (QtPeriod p);

/* Formatting into a caller buffer of at least 11 bytes; returns buf. */
char *qt_date_format (QtDay day, char buf[static 11]);
char *qt_period_format (QtPeriod p, char buf[static 8]);
char *qt_quarter_format (QtQuarter q, char buf[static 8]);

G_END_DECLS
