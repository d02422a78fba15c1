/* run/report_site.h — `quotient report`: the static HTML site of a
 * commission run (reports/html.h) written as a new directory, atomically:
 * a page per rep, a page per manager and a finance summary, built from the
 * run's own outputs, each checked against the SHA-256 its manifest
 * records. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *run_dir;
  const char *const *previous; /* earlier run directories for trends, oldest first; may be NULL */
  const char *out;             /* the site directory to create (must not exist) */
  GHashTable *appeals;         /* rep_id → GPtrArray of char* (appeal status lines); may be NULL */
  gboolean keep_until_exit;    /* a process about to exit: the parsed statements are
                                  not freed (as QtRunOptions.keep_until_exit) */
} QtReportOptions;

typedef struct {
  guint reps, managers;
} QtReportDone;

/* Errors: QT_ERROR_USAGE (not a commission run, --out exists),
 * QT_ERROR_MISMATCH (an output is not the file the manifest records),
 * QT_ERROR_IO. */
gboolean qt_report_site (const QtReportOptions *o, QtReportDone *done, GError **error);

G_END_DECLS
