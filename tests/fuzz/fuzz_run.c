/* tests/fuzz/fuzz_run.c — a whole run over a tiny data set: the first
 * byte of the input chooses a file of the golden data set, the rest
 * replaces it; the run either succeeds or fails with an error, never
 * crashes, and leaves nothing behind when it fails. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "run/pipeline.h"
#include "run/run_dir.h"

static const char *const files[] = {
  "reps.csv", "customers.csv", "products.csv", "orders.csv", "order_lines.csv",
  "splits.csv", "receipts.csv", "activities.csv", "quotas.csv", "adjustments.csv",
};

static char *root;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  if (root == NULL)
    root = g_dir_make_tmp ("qt-fuzz-run-XXXXXX", NULL);
  g_autofree char *dset = g_build_filename (root, "data", NULL);
  g_autofree char *plans = g_build_filename (root, "plans", NULL);
  g_autofree char *out = g_build_filename (root, "runs", "out", NULL);
  qt_rmtree (dset);
  qt_rmtree (plans);
  fuzz_copy_dir (QT_SOURCE_DIR "/fixtures/golden/data", dset);
  fuzz_copy_dir (QT_SOURCE_DIR "/fixtures/golden/plans", plans);
  g_autofree char *path = g_build_filename (dset, files[data[0] % G_N_ELEMENTS (files)], NULL);
  FUZZ_ASSERT (g_file_set_contents (path, (const char *) data + 1, (gssize) size - 1, NULL));
  QtRunOptions o = { .data_dir = dset, .plans_dir = plans, .period = "2026-03", .out = out,
                     .threads = 1 };
  QtRunSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_run_execute (&o, &summary, &error);
  FUZZ_ASSERT (ok == (error == NULL));
  g_autofree char *runs = g_build_filename (root, "runs", NULL);
  if (!ok) /* nothing at all is left beside --out */
    {
      g_autoptr (GDir) d = g_dir_open (runs, 0, NULL);
      FUZZ_ASSERT (d == NULL || g_dir_read_name (d) == NULL);
    }
  qt_run_summary_clear (&summary);
  qt_rmtree (runs);
  return 0;
}
