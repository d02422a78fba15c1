/* loaders/key_set.c — open addressing over (a, b, c) triples.  Interned
 * ids are unique pointers, so equal keys are equal triples. */
#include "key_set.h"

typedef struct {
  guintptr a, b, c;
  guint row;
  gboolean used;
} Slot;

struct QtKeySet {
  Slot *slots;
  gsize mask;
  gsize count;
};

QtKeySet *
qt_key_set_new (void)
{
  QtKeySet *set = g_new0 (QtKeySet, 1);
  set->mask = 1023;
  set->slots = g_new0 (Slot, set->mask + 1);
  return set;
}

void
qt_key_set_free (QtKeySet *set)
{
  if (set == NULL)
    return;
  g_free (set->slots);
  g_free (set);
}

static gsize
hash3 (guintptr a, guintptr b, guintptr c)
{
  guint64 h = (guint64) a * 0x9E3779B97F4A7C15ull;
  h ^= (guint64) b * 0xC2B2AE3D27D4EB4Full + (h >> 29);
  h ^= (guint64) c * 0x165667B19E3779F9ull + (h >> 31);
  return (gsize) (h ^ (h >> 32));
}

static void
grow (QtKeySet *set)
{
  Slot *old = set->slots;
  gsize old_cap = set->mask + 1;
  set->mask = old_cap * 2 - 1;
  set->slots = g_new0 (Slot, set->mask + 1);
  for (gsize i = 0; i < old_cap; i++)
    {
      if (!old[i].used)
        continue;
      gsize j = hash3 (old[i].a, old[i].b, old[i].c) & set->mask;
      while (set->slots[j].used)
        j = (j + 1) & set->mask;
      set->slots[j] = old[i];
    }
  g_free (old);
}

gboolean
qt_key_set_insert (QtKeySet *set, guintptr a, guintptr b, guintptr c, guint row, guint *first)
{
  gsize j = hash3 (a, b, c) & set->mask;
  for (; set->slots[j].used; j = (j + 1) & set->mask)
    {
      Slot *s = &set->slots[j];
      if (s->a == a && s->b == b && s->c == c)
        {
          *first = s->row;
          return FALSE;
        }
    }
  set->slots[j] = (Slot) { a, b, c, row, TRUE };
  if (++set->count * 2 > set->mask + 1)
    grow (set);
  return TRUE;
}
