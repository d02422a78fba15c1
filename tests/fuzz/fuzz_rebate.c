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

static FuzzPlace place;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FuzzPlace *p = &place;
  fuzz_place_fill (p, "qt-fuzz-rebate-XXXXXX", HAND "/data", HAND "/plans", files,
                   G_N_ELEMENTS (files), data, size);
  QtRunOptions o = { .data_dir = p->data, .plans_dir = p->plans, .period = "2026-Q1",
                     .out = p->out, .threads = 1 };
  QtRebateSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_rebate_execute (&o, &summary, &error);
  FUZZ_ASSERT (ok == (error == NULL));
  if (ok)
    {
      FUZZ_ASSERT (summary.qualified <= summary.shipments);
      g_autofree char *manifest = g_build_filename (p->out, "manifest.json", NULL);
      g_autofree char *text = NULL;
      FUZZ_ASSERT (g_file_get_contents (manifest, &text, NULL, NULL));
      FUZZ_ASSERT (strstr (text, "\"balanced\":\ttrue") != NULL);
    }
  qt_rebate_summary_clear (&summary);
  fuzz_place_done (p, ok);
  return 0;
}
