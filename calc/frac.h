/* calc/frac.h — an exact rational held in 16 bytes: a 64-bit fraction in
 * lowest terms when it fits (nearly every credited slice's amount), else
 * a GMP rational on the heap.
 *
 * A month's slices carry two exact values each; as mpq_t they cost four
 * heap blocks per slice (1.8 million at the benchmark's M), 64 bytes of
 * structure, and two pointer chases each time a report prints one.  The
 * value is the same either way: qt_frac_get gives the mpq_t back. */
#pragma once

#include <glib.h>
#include <gmp.h>

G_BEGIN_DECLS

typedef struct {
  guint64 den;        /* > 0: the value is num / den, lowest terms; 0: *big */
  union {
    gint64 num;
    mpq_ptr big;      /* owned (canonical) */
  };
} QtFrac;

/* Whether f is held as a 64-bit fraction. */
static inline gboolean
qt_frac_is_small (const QtFrac *f)
{
  return f->den != 0;
}

/* f = v (f holds nothing before: a fresh or cleared QtFrac). */
void qt_frac_set_mpq (QtFrac *f, mpq_srcptr v);
/* f = num / den, given in lowest terms with den > 0. */
static inline void
qt_frac_set_small (QtFrac *f, gint64 num, guint64 den)
{
  f->den = den;
  f->num = num;
}
/* dst = src, a copy of its own (dst holds nothing before). */
void qt_frac_set_copy (QtFrac *dst, const QtFrac *src);
/* out = f. */
void qt_frac_get (const QtFrac *f, mpq_ptr out);
/* Frees what f holds; f is then 0. */
void qt_frac_clear (QtFrac *f);

G_END_DECLS
