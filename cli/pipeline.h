/* cli/pipeline.h — one period's run from a data set directory and a plans
 * directory to the complete in-memory run directory (used by run and verify). */
#pragma once

#include <glib.h>

#include "../calc/result.h"
#include "../model/dataset.h"
#include "../reports/output.h"
#include "../rules/plan.h"

G_BEGIN_DECLS

typedef struct {
  QtDataset *ds;
  QtPlanSet *plans;
  QtRunResult *res;
  guint threads;      /* QT_THREADS / --threads */
} QtPipeline;

/* Loads, validates and computes.  Errors are those of the loaders and the
 * engine (exit 2).  On success fills *out (clear with qt_pipeline_clear).
 * The input snapshot goes to `sink` as the data set loads, each file as
 * soon as it is read (a sink with a thread then writes it during the rest
 * of the load and the calculation). */
gboolean qt_pipeline_compute (const char *data_dir, const char *plans_dir, QtPeriod period,
                              QtOutputSink *sink, QtPipeline *out, GError **error);

/* Renders the rest of the run directory — the tables, the statements and,
 * last, manifest.json — into the sink given to qt_pipeline_compute,
 * finishing its thread, if any, before the manifest. */
gboolean qt_pipeline_emit (QtPipeline *p, QtOutputSink *sink, GError **error);
void qt_pipeline_clear (QtPipeline *p);

/* Takes *p (leaving it empty) and frees it only when the next one is kept:
 * a command about to exit does not free a large month's millions of exact
 * values one by one (a fifth of a second at M) for the system to discard
 * anyway.  The data stays reachable from a static, so it is no leak to
 * LeakSanitizer or valgrind. */
void qt_pipeline_keep_until_exit (QtPipeline *p);

/* Maps an error to the exit code of SPEC §10 (1 for strict/mismatch, else 2). */
int qt_exit_code_for (const GError *error);

/* Prints an error to stderr: input errors as `file:line:column: message`
 * alone (SPEC §7), usage errors prefixed by the command. */
void qt_print_error (const char *command, const GError *error);

/* With QT_TIMING set, prints the time since the previous call, labelled
 * `name`, to stderr; NULL only restarts the clock. */
void qt_pipeline_phase (const char *name);

G_END_DECLS
