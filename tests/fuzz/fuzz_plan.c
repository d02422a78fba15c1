/* tests/fuzz/fuzz_plan.c — the plan loader and validator on one plan
 * file: never crashes, and a refusal always names the file. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rules/plan.h"

static char *dir;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (dir == NULL)
    dir = g_dir_make_tmp ("qt-fuzz-plan-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.json", NULL);
  FUZZ_ASSERT (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (QtPlanSet) set = qt_plan_set_load_dir (dir, &error);
  FUZZ_ASSERT ((set == NULL) == (error != NULL));
  if (error != NULL)
    FUZZ_ASSERT (g_str_has_prefix (error->message, path));
  return 0;
}
