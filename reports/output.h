/* reports/output.h — the files of a run directory, built in memory first
 * so that a run is written (and verified) as a whole. */
#pragma once

#include <glib.h>

#include "../calc/result.h"

G_BEGIN_DECLS

typedef struct {
  char *name;      /* path inside the run directory, '/'-separated */
  GBytes *bytes;
  gint rows;       /* data rows of a CSV file, -1 for other files */
  char *sha256;    /* hex SHA-256 when already known (inputs), else NULL */
} QtOutputFile;

/* A list of QtOutputFile*, freed with g_ptr_array_unref. (transfer full) */
GPtrArray *qt_output_list_new (void);
/* Adds a file, taking `content` (a GString's text). */
void qt_output_add (GPtrArray *list, const char *name, GString *content, gint rows);
/* Adds a file sharing `bytes` (a new reference is taken; no copy) whose
 * SHA-256 may already be known (`sha256`, or NULL). */
void qt_output_add_bytes (GPtrArray *list, const char *name, GBytes *bytes, gint rows,
                          const char *sha256);
/* Sorts by name (bytewise), for deterministic manifests. */
void qt_output_sort (GPtrArray *list);

/* SPEC §5: payout.csv, scores.csv, credits.csv, exceptions.csv. */
void qt_report_tables (const QtRunResult *res, GPtrArray *out);

G_END_DECLS
