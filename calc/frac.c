/* calc/frac.c — see frac.h. */
#include "frac.h"

/* gint64 and guint64 through GMP's long and unsigned long. */
G_STATIC_ASSERT (sizeof (long) == sizeof (gint64));

/* f = a heap copy of v. */
static void
set_big (QtFrac *f, mpq_srcptr v)
{
  f->den = 0;
  f->big = g_new (__mpq_struct, 1);
  mpq_init (f->big);
  mpq_set (f->big, v);
}

void
qt_frac_set_mpq (QtFrac *f, mpq_srcptr v)
{
  /* Canonical already (lowest terms, positive denominator): one limb each
   * and a numerator magnitude below 2^63 is a small fraction as it is. */
  if (mpz_size (mpq_numref (v)) <= 1 && mpz_size (mpq_denref (v)) == 1
      && sizeof (mp_limb_t) == sizeof (guint64))
    {
      const guint64 mag = mpz_getlimbn (mpq_numref (v), 0); /* 0 when v is 0 */
      if (mag <= (guint64) G_MAXINT64)
        {
          f->den = mpz_getlimbn (mpq_denref (v), 0);
          f->num = mpq_sgn (v) < 0 ? -(gint64) mag : (gint64) mag;
          return;
        }
    }
  set_big (f, v);
}

void
qt_frac_set_copy (QtFrac *dst, const QtFrac *src)
{
  if (qt_frac_is_small (src))
    *dst = *src;
  else
    set_big (dst, src->big);
}

void
qt_frac_get (const QtFrac *f, mpq_ptr out)
{
  if (!qt_frac_is_small (f))
    {
      mpq_set (out, f->big);
      return;
    }
  /* Lowest terms already: no canonicalisation needed. */
  mpz_set_si (mpq_numref (out), (long) f->num);
  mpz_set_ui (mpq_denref (out), (unsigned long) f->den);
}

void
qt_frac_clear (QtFrac *f)
{
  if (!qt_frac_is_small (f) && f->big != NULL)
    {
      mpq_clear (f->big);
      g_free (f->big);
    }
  f->den = 0;
  f->big = NULL;
}
