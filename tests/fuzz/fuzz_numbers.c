/* tests/fuzz/fuzz_numbers.c — decimal, date and period parsers: never
 * crash; the compact and the GMP decimal parsers agree; a parsed value
 * printed exactly parses back to itself; every formatter prints the same
 * with the fast path and through GMP alone; a parsed date or period
 * prints back as its text. */
#include <glib.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/date.h"
#include "model/money.h"

static char *
forms (mpq_srcptr v)
{
  GString *s = g_string_new (NULL);
  g_auto (QtRat) x = { 0 };
  qt_rat_set_mpq (&x, v);
  qt_append_exact (s, v);
  qt_append_exact_rat (s, &x);
  qt_append_fixed (s, v, 2, QT_ROUND_HALF_EVEN);
  qt_append_fixed_rat (s, &x, 4, QT_ROUND_HALF_EVEN);
  qt_append_percent (s, v, QT_ROUND_HALF_EVEN);
  qt_append_brief (s, v, 4, QT_ROUND_HALF_EVEN);
  return g_string_free (s, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  g_auto (mpq_t) v;
  mpq_init (v);
  g_autoptr (QtNumStore) store = qt_num_store_new ();
  QtNum n;
  const gboolean q_ok = qt_decimal_parse (v, text, size, NULL);
  const gboolean n_ok = qt_num_parse (store, text, size, &n, NULL);
  FUZZ_ASSERT (q_ok == n_ok);
  if (q_ok)
    {
      g_auto (mpq_t) w;
      mpq_init (w);
      qt_num_get (store, n, w);
      FUZZ_ASSERT (mpq_equal (v, w));
      g_autofree char *exact = qt_exact_format (v);
      g_auto (mpq_t) back;
      mpq_init (back);
      FUZZ_ASSERT (qt_decimal_parse (back, exact, strlen (exact), NULL));
      FUZZ_ASSERT (mpq_equal (v, back));
      g_autofree char *fast = forms (v);
      qt_money_set_fast_path (FALSE);
      g_autofree char *slow = forms (v);
      qt_money_set_fast_path (TRUE);
      FUZZ_ASSERT (strcmp (fast, slow) == 0);
    }
  QtDay day;
  if (qt_date_parse (text, size, &day))
    {
      char buf[11];
      FUZZ_ASSERT (size == 10 && memcmp (qt_date_format (day, buf), text, 10) == 0);
    }
  QtPeriod p;
  if (qt_period_parse (text, size, &p))
    {
      char buf[8];
      FUZZ_ASSERT (size == 7 && memcmp (qt_period_format (p, buf), text, 7) == 0);
    }
  return 0;
}
