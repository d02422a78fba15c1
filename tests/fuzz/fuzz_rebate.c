/* tests/fuzz/fuzz_rebate.c — a whole rebate run (SPEC §11) over the hand
 * quarter: the first byte of the input chooses one of its five data files
 * or its plan, the rest replaces it; the run either succeeds, with control
 * totals that balance (shipments = qualified + excepted), or fails with an
 * error, never crashes, and leaves nothing behind when it fails. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "run/pipeline.h"
#include "run/run_dir.h"

#define HAND QT_SOURCE_DIR "/fixtures/rebates/hand"

static const char *const files[] = {
  "data/partners.csv", "data/products.csv", "data/shipments.csv", "data/partner_invoices.csv",
  "data/acceptances.csv", "plans/dist-v1.json", "plans/marg-v2.json",
};

static char *root;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  if (root == NULL)
    root = g_dir_make_tmp ("qt-fuzz-rebate-XXXXXX", NULL);
  g_autofree char *dset = g_build_filename (root, "data", NULL);
  g_autofree char *plans = g_build_filename (root, "plans", NULL);
  g_autofree char *out = g_build_filename (root, "runs", "out", NULL);
  qt_rmtree (dset);
  qt_rmtree (plans);
  fuzz_copy_dir (HAND "/data", dset);
  fuzz_copy_dir (HAND "/plans", plans);
  g_autofree char *path = g_build_filename (root, files[data[0] % G_N_ELEMENTS (files)], NULL);
  FUZZ_ASSERT (g_file_set_contents (path, (const char *) data + 1, (gssize) size - 1, NULL));
  QtRunOptions o = { .data_dir = dset, .plans_dir = plans, .period = "2026-Q1", .out = out,
                     .threads = 1 };
  QtRebateSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_rebate_execute (&o, &summary, &error);
  FUZZ_ASSERT (ok == (error == NULL));
  g_autofree char *runs = g_build_filename (root, "runs", NULL);
  if (ok)
    {
      FUZZ_ASSERT (summary.qualified <= summary.shipments);
      g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
      g_autofree char *text = NULL;
      FUZZ_ASSERT (g_file_get_contents (manifest, &text, NULL, NULL));
      FUZZ_ASSERT (strstr (text, "\"balanced\":\ttrue") != NULL);
    }
  else /* nothing at all is left beside --out */
    {
      g_autoptr (GDir) d = g_dir_open (runs, 0, NULL);
      FUZZ_ASSERT (d == NULL || g_dir_read_name (d) == NULL);
    }
  qt_rebate_summary_clear (&summary);
  qt_rmtree (runs);
  return 0;
}
