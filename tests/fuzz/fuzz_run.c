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
  "data/reps.csv", "data/customers.csv", "data/products.csv", "data/orders.csv",
  "data/order_lines.csv", "data/splits.csv", "data/receipts.csv", "data/activities.csv",
  "data/quotas.csv", "data/adjustments.csv",
};

static FuzzPlace place;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FuzzPlace *p = &place;
  fuzz_place_fill (p, "qt-fuzz-run-XXXXXX", QT_SOURCE_DIR "/fixtures/golden/data",
                   QT_SOURCE_DIR "/fixtures/golden/plans", files, G_N_ELEMENTS (files), data, size);
  QtRunOptions o = { .data_dir = p->data, .plans_dir = p->plans, .period = "2026-03",
                     .out = p->out, .threads = 1 };
  QtRunSummary summary = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_run_execute (&o, &summary, &error);
  FUZZ_ASSERT (ok == (error == NULL));
  qt_run_summary_clear (&summary);
  fuzz_place_done (p, ok);
  return 0;
}
