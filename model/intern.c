/* model/intern.c — an arena of id strings with an open-addressing hash
 * table over them.  Each interned id is laid out as
 *   gint32 rows[QT_ID_KIND_COUNT] | guint32 length | bytes | NUL
 * so that qt_id_row() reads the row indexes just before the text. */
#include "intern.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK (1u << 20)

/* One slot, 8 bytes (a million-order month's table stays 32 MB): where
 * the id is in the arena and its full hash, so the id's text is only read
 * for a likely match. */
typedef struct {
  guint32 ref;        /* 0 = empty; else 1 + (block << 17 | offset / 8) */
  guint32 hash;
} Slot;

#define HEADER (sizeof (gint32) * QT_ID_KIND_COUNT + sizeof (guint32))
#define OFFSET_BITS 17   /* 8-byte units in a block of ARENA_BLOCK bytes */
#define MAX_BLOCKS (1u << (32 - OFFSET_BITS))

struct QtInterner {
  GPtrArray *blocks;  /* owned arena blocks */
  char *cur;          /* free space in the last block */
  gsize left;
  Slot *slots;        /* open-addressing hash table of interned ids */
  gsize mask;         /* capacity - 1 (a power of two) */
  gsize count;
};

QtInterner *
qt_interner_new (void)
{
  QtInterner *in = g_new0 (QtInterner, 1);
  in->blocks = g_ptr_array_new_with_free_func (g_free);
  in->mask = 1023;
  in->slots = g_new0 (Slot, in->mask + 1);
  return in;
}

void
qt_interner_free (QtInterner *in)
{
  if (in == NULL)
    return;
  g_ptr_array_unref (in->blocks);
  g_free (in->slots);
  g_free (in);
}

/* The text of the id a slot refers to. */
static inline const char *
slot_id (const QtInterner *in, guint32 ref)
{
  ref--;
  return (const char *) in->blocks->pdata[ref >> OFFSET_BITS]
         + ((gsize) (ref & ((1u << OFFSET_BITS) - 1)) << 3) + HEADER;
}

/* 8-byte aligned space from the arena. */
static char *
arena_alloc (QtInterner *in, gsize n)
{
  n = (n + 7) & ~(gsize) 7;
  if (n > in->left)
    {
      gsize size = MAX (n, ARENA_BLOCK);
      in->cur = g_malloc (size);
      in->left = size;
      g_ptr_array_add (in->blocks, in->cur);
    }
  char *p = in->cur;
  in->cur += n;
  in->left -= n;
  return p;
}

const char *
qt_interner_copy (QtInterner *in, const char *s, gsize len)
{
  char *p = arena_alloc (in, len + 1);
  memcpy (p, s, len);
  p[len] = '\0';
  return p;
}

/* Eight bytes at a time, each word multiplied in, then a murmur3-style
 * finaliser: the table indexes by the low bits, and ids that differ only
 * in their last digits must still spread.  The length is mixed in, so
 * "a" and "a\0" differ. */
guint32
qt_intern_hash (const char *s, gsize len)
{
  guint64 h = 0x9E3779B97F4A7C15u ^ len;
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, s + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
  if (i < len)
    {
      guint64 w = 0;
      memcpy (&w, s + i, len - i);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53u;
  h ^= h >> 33;
  return (guint32) h;
}

/* At most 7 slots in 10 used: linear probes stay short, and the table of a
 * million-order month stays within a few tens of MB. */
static gboolean
too_full (gsize count, gsize capacity)
{
  return count * 10 > capacity * 7;
}

/* A zeroed slot table; a large one on transparent huge pages (fewer TLB
 * misses for lookups spread over tens of MB). */
static Slot *
slots_new (gsize capacity)
{
  gsize size = capacity * sizeof (Slot);
  if (size < ((gsize) 4 << 20))
    return g_new0 (Slot, capacity);
  void *p = NULL;
  if (posix_memalign (&p, (gsize) 2 << 20, size) != 0)
    g_error ("quotient: out of memory (%" G_GSIZE_FORMAT " bytes of id table)", size);
#ifdef MADV_HUGEPAGE
  (void) madvise (p, size, MADV_HUGEPAGE);
#endif
  memset (p, 0, size);
  return p;
}

static void
rehash (QtInterner *in, gsize capacity)
{
  gsize old_cap = in->mask + 1;
  Slot *old = in->slots;
  in->mask = capacity - 1;
  in->slots = slots_new (capacity);
  for (gsize i = 0; i < old_cap; i++)
    {
      if (old[i].ref == 0)
        continue;
      gsize j = old[i].hash & in->mask;
      while (in->slots[j].ref != 0)
        j = (j + 1) & in->mask;
      in->slots[j] = old[i];
    }
  g_free (old);
}

void
qt_interner_reserve (QtInterner *in, gsize more)
{
  g_assert (in->slots != NULL); /* not sealed */
  gsize capacity = in->mask + 1;
  while (too_full (in->count + more, capacity))
    capacity *= 2;
  if (capacity != in->mask + 1)
    rehash (in, capacity);
}

void
qt_interner_seal (QtInterner *in)
{
  g_clear_pointer (&in->slots, g_free);
  in->mask = 0;
}

gboolean
qt_interner_sealed (const QtInterner *in)
{
  return in->slots == NULL;
}

void
qt_intern_prefetch (const QtInterner *in, guint32 h, int stage)
{
  const Slot *slot = &in->slots[h & in->mask];
  if (stage == 0)
    __builtin_prefetch (slot);
  else if (slot->ref != 0 && slot->hash == h)
    __builtin_prefetch (slot_id (in, slot->ref) - HEADER);
}

const char *
qt_intern (QtInterner *in, const char *s, gsize len)
{
  return qt_intern_hashed (in, s, len, qt_intern_hash (s, len));
}

const char *
qt_intern_hashed (QtInterner *in, const char *s, gsize len, guint32 h)
{
  g_assert (in->slots != NULL); /* not sealed */
  gsize j = h & in->mask;
  for (const Slot *slot; (slot = &in->slots[j])->ref != 0; j = (j + 1) & in->mask)
    if (slot->hash == h)
      {
        const char *p = slot_id (in, slot->ref);
        if (qt_id_equals (p, s, len))
          return p;
      }
  if (len > G_MAXUINT32 - HEADER - 8)
    g_error ("quotient: an id of %" G_GSIZE_FORMAT " bytes is too long to intern", len);
  char *block = arena_alloc (in, HEADER + len + 1);
  guint b = in->blocks->len - 1;
  gsize off = (gsize) (block - (char *) in->blocks->pdata[b]);
  if (b >= MAX_BLOCKS)
    g_error ("quotient: more than %u MB of distinct ids", MAX_BLOCKS);
  gint32 *rows = (gint32 *) (void *) block;
  for (int k = 0; k < QT_ID_KIND_COUNT; k++)
    rows[k] = -1;
  char *p = block + HEADER;
  ((guint32 *) (void *) p)[-1] = (guint32) len;
  memcpy (p, s, len);
  p[len] = '\0';
  in->slots[j] = (Slot) { 1 + ((guint32) b << OFFSET_BITS | (guint32) (off >> 3)), h };
  if (too_full (++in->count, in->mask + 1))
    rehash (in, (in->mask + 1) * 2);
  return p;
}
