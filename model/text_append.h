/* model/text_append.h — appending bytes to a GString without going through
 * g_string_insert_len (what GLib 2.74's g_string_append_len calls: an
 * overlap check and a memmove per call), for the renderers that append
 * millions of short pieces. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Appends p[0..n) (p must not point into s). */
static inline void
qt_text_append (GString *s, const char *p, gsize n)
{
  if (G_UNLIKELY (s->len + n >= s->allocated_len))
    {
      const gsize len = s->len;
      g_string_set_size (s, len + n); /* grows the buffer geometrically */
      g_string_truncate (s, len);
    }
  memcpy (s->str + s->len, p, n);
  s->len += n;
  s->str[s->len] = '\0';
}

G_END_DECLS
