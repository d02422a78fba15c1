/* run/verify.h — `quotient verify` as a library call: recompute a run
 * from its own input snapshot (RUN/inputs/) and compare every file with
 * the recomputed bytes and with the SHA-256 its manifest.json lists. */
#pragma once

#include <glib.h>

#include "manifest.h"
#include "revision.h"

G_BEGIN_DECLS

typedef struct {
  QtRunKind kind;           /* the kind of run expected at RUN_DIR */
  guint threads;            /* 0 = QT_RUN_DEFAULT_THREADS */
  gboolean keep_until_exit; /* as QtRunOptions.keep_until_exit */
  const QtOverlay *overlay; /* a revised run: its appeals' overlays (or NULL) */
  const QtRevisionInfo *revision; /* and its revision (NULL: none) */
} QtVerifyOptions;

typedef struct {
  char *file;    /* path inside the run directory */
  char *reason;  /* the first reason it fails, e.g. "missing" */
} QtVerifyMismatch;

typedef struct {
  char *period;         /* the manifest's period */
  guint files;          /* files checked: those listed, and manifest.json */
  guint history_files;  /* and, of a run with a journal, files checked by
                           hash alone: the manifest as published and as
                           closed, the earlier revisions' files */
  GPtrArray *mismatches; /* QtVerifyMismatch*, one per file, sorted by file */
} QtVerifyReport;

/* Verifies `run_dir`.  TRUE when every file matches.  FALSE with
 * QT_ERROR_MISMATCH ("RUN: N files differ") when some do not, each listed
 * in report->mismatches; FALSE with QT_ERROR_USAGE when `run_dir` is not
 * a run of options->kind (no readable manifest.json of that kind).  Fills
 * *report (clear with qt_verify_report_clear) in every case. */
gboolean qt_verify_run (const char *run_dir, const QtVerifyOptions *options,
                        QtVerifyReport *report, GError **error);

void qt_verify_report_clear (QtVerifyReport *report);

G_END_DECLS
