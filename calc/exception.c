/* calc/exception.c — exception rows (see exception.h). */
#include "exception.h"

#include <string.h>

void
qt_exception_clear (gpointer p)
{
  QtException *e = p;
  g_free (e->message);
}

GArray *
qt_exceptions_new (void)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (QtException));
  g_array_set_clear_func (list, qt_exception_clear);
  return list;
}

void
qt_exceptions_add (GArray *list, const char *file, guint line, const char *code, char *message)
{
  QtException x = { file, line, code, message, strlen (message) };
  g_array_append_val (list, x);
}

void
qt_exceptions_add_detailed (GArray *list, const char *file, guint line, const char *code,
                            char *reason, char *detail)
{
  QtException x = { file, line, code, g_strconcat (reason, detail, NULL), strlen (reason) };
  g_free (reason);
  g_free (detail);
  g_array_append_val (list, x);
}

static gint
exception_cmp (gconstpointer a, gconstpointer b)
{
  const QtException *x = a, *y = b;
  int c = strcmp (x->file, y->file);
  if (c != 0)
    return c;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  c = strcmp (x->code, y->code);
  return c != 0 ? c : strcmp (x->message, y->message);
}

void
qt_exceptions_sort (GArray *list)
{
  g_array_sort (list, exception_cmp);
}
