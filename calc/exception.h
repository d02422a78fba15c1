/* calc/exception.h — rows of exceptions.csv as the calculations collect
 * them (commissions, SPEC §5, §12; rebates, SPEC §11): one place for their
 * list, their order (file, line, code, message) and their memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One row of exceptions.csv (SPEC §5, §12). */
typedef struct {
  const char *file;   /* bare file name, static */
  guint line;
  const char *code;   /* static */
  char *message;      /* owned */
  gsize reason_len;   /* the message's first part, the reason alone (a rep's
                       * statement tells the receipt and amount its own way) */
} QtException;

/* A new array of QtException that frees their messages. (transfer full) */
GArray *qt_exceptions_new (void);

/* Appends a row; takes `message`, whose reason is all of it. */
void qt_exceptions_add (GArray *list, const char *file, guint line, const char *code,
                        char *message);
/* Appends a row whose message is `reason` then `detail`; takes both. */
void qt_exceptions_add_detailed (GArray *list, const char *file, guint line, const char *code,
                                 char *reason, char *detail);

/* Sorts by (file, line, code, message), the order of exceptions.csv. */
void qt_exceptions_sort (GArray *list);

/* Frees the owned members of an exception (a GArray clear func). */
void qt_exception_clear (gpointer exception);

G_END_DECLS
