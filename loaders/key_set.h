/* loaders/key_set.h — a set of composite keys (up to three interned ids or
 * small integers) remembering the row of each key's first occurrence. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct QtKeySet QtKeySet;

QtKeySet *qt_key_set_new (void);
void qt_key_set_free (QtKeySet *set);

/* Inserts (a, b, c) for `row`: TRUE when new; FALSE when present, with the
 * row of its first occurrence in *first. */
gboolean qt_key_set_insert (QtKeySet *set, guintptr a, guintptr b, guintptr c, guint row,
                            guint *first);

G_END_DECLS
