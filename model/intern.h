/* model/intern.h — interned ids: each distinct id string is stored once,
 * so equal ids are the same pointer, and carries the row index of the
 * entity it names in each table (-1 when none). */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef enum {
  QT_ID_REP,
  QT_ID_CUSTOMER,
  QT_ID_PRODUCT,
  QT_ID_ORDER,
  QT_ID_RECEIPT,
  QT_ID_ADJUSTMENT,
  QT_ID_LINES,      /* an order id: last order_lines.csv row naming it (a chain) */
  QT_ID_SPLITS,     /* an order id: last splits.csv row naming it (a chain) */
  QT_ID_KIND_COUNT,
  /* SPEC §11's ids share the slots of commission tables a rebate run never
   * loads (the data-set builder refuses to load both): no id pays for
   * kinds its data set cannot have. */
  QT_ID_PARTNER = QT_ID_REP,
  QT_ID_SHIPMENT = QT_ID_ORDER,
  QT_ID_INVOICE = QT_ID_RECEIPT,
  QT_ID_ACCEPTANCE = QT_ID_ADJUSTMENT,
} QtIdKind;

typedef struct QtInterner QtInterner;

QtInterner *qt_interner_new (void);
void qt_interner_free (QtInterner *in);

/* The interned copy of s[0..len) (NUL-terminated, lives as long as the
 * interner). (transfer none) */
const char *qt_intern (QtInterner *in, const char *s, gsize len);

/* Makes room for `more` new ids at once (one rehash instead of several
 * while a large table is read). */
void qt_interner_reserve (QtInterner *in, gsize more);

/* Frees the hash table once every id is in: the ids themselves stay, but
 * nothing may be interned after this.  A large data set's table is tens of
 * MB that the rest of the run can then use. */
void qt_interner_seal (QtInterner *in);

/* Whether qt_interner_seal was called. */
gboolean qt_interner_sealed (const QtInterner *in);

/* The hash qt_intern uses for s[0..len) (safe on any thread). */
guint32 qt_intern_hash (const char *s, gsize len);

/* qt_intern with h = qt_intern_hash (s, len) computed already (by
 * another thread, say). */
const char *qt_intern_hashed (QtInterner *in, const char *s, gsize len, guint32 h);

/* Asks the memory for what a lookup of hash h will read: its slot
 * (stage 0), or the id the slot refers to (stage 1, once the slot is in
 * cache), so that lookups asked for ahead overlap their waits. */
void qt_intern_prefetch (const QtInterner *in, guint32 h, int stage);

/* Copies free text (names, reasons) into the interner's arena without
 * interning it. (transfer none) */
const char *qt_interner_copy (QtInterner *in, const char *s, gsize len);

/* The length of an interned id (stored before its text). */
static inline gsize
qt_id_len (const char *id)
{
  return ((const guint32 *) (const void *) id)[-1];
}

/* Whether the interned id is the text s[0..len): lengths first, then the
 * bytes 8 at a time, inline (the loader asks this for most id fields of a
 * data set, nearly always of short ids; see bench/PROFILE.md). */
static inline gboolean
qt_id_equals (const char *id, const char *s, gsize len)
{
  if (qt_id_len (id) != len)
    return FALSE;
  for (; len >= 8; id += 8, s += 8, len -= 8)
    {
      guint64 x, y;
      memcpy (&x, id, 8);
      memcpy (&y, s, 8);
      if (x != y)
        return FALSE;
    }
  for (; len > 0; id++, s++, len--)
    if (*id != *s)
      return FALSE;
  return TRUE;
}

/* Row index of the entity of `kind` named by the interned id, or -1.
 * `id` must come from qt_intern. */
static inline gint32
qt_id_row (const char *id, QtIdKind kind)
{
  return ((const gint32 *) (const void *) id)[(int) kind - QT_ID_KIND_COUNT - 1];
}

/* Records that the interned id names row `row` of table `kind`. */
static inline void
qt_id_set_row (const char *id, QtIdKind kind, gint32 row)
{
  ((gint32 *) (void *) id)[(int) kind - QT_ID_KIND_COUNT - 1] = row;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtInterner, qt_interner_free)

G_END_DECLS
