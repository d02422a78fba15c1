/* model/num.h — the compact exact number of the data set.
 *
 * Every decimal of SPEC §2 is exactly units / 10^scale.  A value with at most
 * 17 significant digits and 18 decimals is held inline (8 bytes, no
 * allocation: the rows of a million-order month stay small); a longer one (a
 * share like 0.333333333333333333333) lives as an mpq_t in the data set's
 * QtNumStore and the QtNum holds its index.  Parsing and conversion to mpq_t
 * are in calc/amount.h, beside every other number operation. */
#pragma once

#include <glib.h>
#include <gmp.h>

G_BEGIN_DECLS

#define QT_NUM_MAX_SCALE 18
#define QT_NUM_MAX_DIGITS 17 /* |units| < 10^17 < 2^57: fits the 58-bit field */

typedef struct {
  /* small: value = units / 10^scale (canonical: no trailing zero digits);
   * big: the 1-based index of the value in the QtNumStore */
  gint64 units : 58;
  guint64 scale : 5;  /* 0 .. QT_NUM_MAX_SCALE */
  guint64 big : 1;    /* 0: small; 1: in the store */
} QtNum;

G_STATIC_ASSERT (sizeof (QtNum) == 8);

/* Owns the long values of one data set. */
typedef struct {
  GArray *values; /* __mpq_struct */
} QtNumStore;

QtNumStore *qt_num_store_new (void);
void qt_num_store_free (QtNumStore *store);
/* Moves `v` into the store (v is left zero, still initialised) and returns
 * the QtNum naming it. */
QtNum qt_num_store_take (QtNumStore *store, mpq_t v);
/* The long value behind a big QtNum. (transfer none) */
mpq_srcptr qt_num_store_get (const QtNumStore *store, QtNum n);

static inline gboolean
qt_num_is_small (QtNum n)
{
  return n.big == 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtNumStore, qt_num_store_free)

G_END_DECLS
