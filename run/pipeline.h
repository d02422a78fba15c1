/* run/pipeline.h — `quotient run` as a library call: load the data set and
 * plans, snapshot them, compute one period, render every report, write
 * manifest.json and commit the run directory (SPEC §10). */
#pragma once

#include <glib.h>

#include "../reports/output.h"

#include "../model/overlay.h"

G_BEGIN_DECLS

/* Threads when QtRunOptions.threads is 0; the upper bound of any setting. */
#define QT_RUN_DEFAULT_THREADS 2
#define QT_RUN_MAX_THREADS 64

typedef struct {
  const char *data_dir;   /* data set directory (CSV files of SPEC §2) */
  const char *plans_dir;  /* one JSON file per plan version */
  const char *period;     /* "YYYY-MM" (a rebate run: its quarter, "YYYY-Qn") */
  const char *out;        /* the run directory to create (NULL: none, when
                             `store` takes the files) */
  QtOutputSink *store;    /* also hands every file of the run here (the
                             database: run/pg_store.h), or NULL; its owner
                             commits it once the run succeeded */
  gboolean strict;        /* any exception row is fatal (QT_ERROR_STRICT) */
  gboolean replace;       /* atomically replace an existing draft run */
  guint threads;          /* for reading, computing, rendering, writing;
                             0 = QT_RUN_DEFAULT_THREADS; the bytes never
                             depend on it */
  gboolean keep_until_exit; /* a process about to exit: the computed month
                               is not freed (see run/pipeline_internal.h) */
} QtRunOptions;

/* What a committed run holds, for a person. */
typedef struct {
  char period[8];             /* "YYYY-MM" */
  guint reps;
  guint receipts_in_period, receipts_credited;
  char *amount_credited;      /* 2 decimals, half-even */
  guint exceptions;           /* rows of exceptions.csv */
  char *payout_total;         /* 2 decimals, half-even */
} QtRunSummary;

/* Runs one period into options->out: nothing appears there unless every
 * file was written and synced.  Errors: QT_ERROR_USAGE (bad period, --out
 * exists, refused --replace), QT_ERROR_MALFORMED / QT_ERROR_IO (inputs,
 * `file:line:column: message`), QT_ERROR_STRICT (exceptions under
 * `strict`: nothing written).  On success fills *summary (clear with
 * qt_run_summary_clear; may be NULL). */
gboolean qt_run_execute (const QtRunOptions *options, QtRunSummary *summary, GError **error);

void qt_run_summary_clear (QtRunSummary *summary);

/* What a committed rebate run holds, for a person. */
typedef struct {
  char quarter[8];            /* "YYYY-Qn" */
  guint partners, shipments, qualified, exceptions;
  char *amount_qualified;     /* 2 decimals, half-even */
  char *rebate_total;         /* 2 decimals: the sum of the rebates */
} QtRebateSummary;

/* `quotient rebate` (SPEC §11): one quarter's rebates into o->out, with
 * the atomicity, errors and --strict of qt_run_execute; o->period is the
 * quarter ("YYYY-Qn").  (Clear *summary with qt_rebate_summary_clear.) */
gboolean qt_rebate_execute (const QtRunOptions *o, QtRebateSummary *summary, GError **error);
void qt_rebate_summary_clear (QtRebateSummary *summary);

/* Each rep's payout total as payout.csv would show it ("1234.50"), for
 * `period` ("YYYY-MM") computed on data_dir and plans_dir with `overlay`
 * (NULL: none) applied as the tables load; nothing is written.  Returns
 * rep_id → total, both owned by the table; errors are qt_run_execute's.
 * (transfer full) */
GHashTable *qt_run_payout_totals (const char *data_dir, const char *plans_dir, const char *period,
                                  const QtOverlay *overlay, guint threads, GError **error);

G_END_DECLS
