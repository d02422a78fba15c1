/* model/timestamp.h — ISO 8601 timestamps with an offset (SPEC §2), e.g.
 * `2026-04-10T10:00:00+08:00`: the lifecycle's --now and --payout-at. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds. */
typedef struct {
  gint64 seconds;
  gint32 nanos;
} QtInstant;

/* Parses `YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM)` (a `t` or a space for the
 * `T` is refused, as is a missing offset): FALSE when `text` is not such a
 * timestamp or names no real date and time. */
gboolean qt_timestamp_parse (const char *text, QtInstant *out);

/* -1, 0 or 1 as a is before, at or after b. */
int qt_instant_cmp (const QtInstant *a, const QtInstant *b);

/* `instant` + hours (may be negative). */
QtInstant qt_instant_add_hours (QtInstant instant, gint64 hours);

/* The clock now as `YYYY-MM-DDTHH:MM:SSZ` (UTC), for a command given no
 * --now. (transfer full) */
char *qt_timestamp_now (void);

G_END_DECLS
