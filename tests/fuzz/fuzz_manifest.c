/* tests/fuzz/fuzz_manifest.c — verify's manifest reader: never crashes;
 * what it accepts names only files inside the run. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "run/manifest.h"
#include "run/run_dir.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (QtManifest) m = qt_manifest_parse ("run", bytes, QT_RUN_COMMISSION, &error);
  FUZZ_ASSERT ((m == NULL) == (error != NULL));
  for (guint l = 0; m != NULL && l < 2; l++)
    {
      GPtrArray *files = l == 0 ? m->inputs : m->outputs;
      for (guint i = 0; i < files->len; i++)
        FUZZ_ASSERT (qt_run_path_is_inside (((QtManifestFile *) files->pdata[i])->file));
    }
  return 0;
}
