/* run/manifest.h — manifest.json, a run's proof (SPEC §5, §7): engine
 * version, the run's kind, period, plan versions used, every input and
 * output file with its row count, size and SHA-256, and the control totals.
 * Written last into a run directory; read back by verify and by --replace.
 *
 * A run directory says what kind of run it is ("kind"); this module alone
 * knows the names of the kinds, so a reader asking for one kind refuses a
 * manifest of another. */
#pragma once

#include <glib.h>

#include "../calc/rebate.h"
#include "../calc/result.h"

G_BEGIN_DECLS

typedef enum {
  QT_RUN_COMMISSION,  /* `quotient run`: one period's commissions */
  QT_RUN_REBATE,      /* `quotient rebate`: one quarter's distributor rebates */
} QtRunKind;

/* The manifest's name of a kind ("commission_run"). (transfer none) */
const char *qt_run_kind_name (QtRunKind kind);

/* The text of manifest.json for a run of `kind`.  `files` holds every
 * other file of the run (inputs/ snapshot and outputs) with sizes and
 * hashes; it is sorted here. (transfer full) */
/* A revised run's manifest also names its revision and every appeal applied. */
typedef struct {
  guint number;                  /* >= 1 */
  const char *const *applied;    /* in order of application */
} QtManifestRevision;

GString *qt_manifest_render (QtRunKind kind, const QtRunResult *res, GPtrArray *files,
                             const QtManifestRevision *revision);

/* The manifest of a rebate run: its quarter ("period": "2026-Q1"), plans,
 * files and control totals (the quarter's shipments = qualified +
 * excepted, by count and amount; rows; the rebates' sum). */
GString *qt_manifest_render_rebate (const QtRebateResult *res, GPtrArray *files);

typedef struct {
  char *file;     /* path inside the run directory */
  char *sha256;   /* hex */
  gint64 rows;    /* -1 when not listed (not a CSV file) */
  guint64 bytes;
} QtManifestFile;

typedef struct {
  guint64 count;
  char *amount;   /* exact, SPEC §12.10 form */
} QtManifestCount;

/* "control_totals" (SPEC §7) of a commission run (a rebate run's are not
 * read back). */
typedef struct {
  QtManifestCount in_period, credited, excepted;
  guint64 credited_slices, exception_rows, payout_rows;
  char *components_sum, *totals_sum;  /* 2 decimals */
  gboolean balanced;
} QtManifestTotals;

typedef struct {
  QtRunKind kind;
  char *engine_version;
  char *period;        /* as written, "YYYY-MM" */
  GPtrArray *inputs;   /* QtManifestFile*, in the manifest's order */
  GPtrArray *outputs;  /* QtManifestFile* */
  QtManifestTotals totals;
} QtManifest;

/* The SHA-256 the manifest lists for `file` (an output, or an input of
 * the snapshot), NULL when it lists none. (transfer none) */
const char *qt_manifest_listed_sha256 (const QtManifest *m, const char *file);

/* RUN_DIR/rel read whole (at most max_len bytes), when it is the file the
 * manifest lists: else QT_ERROR_MISMATCH `RUN_DIR/rel: not the WHAT the run
 * wrote (SHA-256 …, manifest …); run quotient verify RUN_DIR`.  What reads
 * a run's outputs to show them (a statement, a report) shows only these.
 * (transfer full) */
GBytes *qt_manifest_read_listed (const char *run_dir, const QtManifest *m, const char *rel,
                                 const char *what, gsize max_len, GError **error);

/* Parses the text of the manifest.json of `run_dir` (named in messages), that
 * must be of `kind`.  Errors (QT_ERROR_USAGE: the directory is then not a
 * run of that kind): not JSON, a member missing or of the wrong type, a
 * manifest of another kind.  (transfer full) */
QtManifest *qt_manifest_parse (const char *run_dir, GBytes *text, QtRunKind kind, GError **error);

/* The kind RUN_DIR/manifest.json names; QT_RUN_COMMISSION when it cannot
 * be told (qt_manifest_read of that kind then says what is wrong). */
QtRunKind qt_manifest_kind (const char *run_dir);

/* qt_manifest_parse of RUN_DIR/manifest.json; a missing or unreadable file
 * is QT_ERROR_USAGE too.  (transfer full) */
QtManifest *qt_manifest_read (const char *run_dir, QtRunKind kind, GError **error);

void qt_manifest_free (QtManifest *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtManifest, qt_manifest_free)

G_END_DECLS
