/* tests/fuzz/replay.c — runs a harness over every file of the corpus
 * directories given (a regression test for each input fuzzing kept or
 * found a crash with). */
#include <glib.h>
#include <stdio.h>

#include "fuzz.h"

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
      if (dir == NULL)
        {
          fprintf (stderr, "replay: cannot open corpus %s\n", argv[i]);
          return 1;
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint k = 0; k < names->len; k++)
        {
          g_autofree char *path = g_build_filename (argv[i], names->pdata[k], NULL);
          g_autofree char *data = NULL;
          gsize len = 0;
          if (!g_file_get_contents (path, &data, &len, NULL))
            continue;
          LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
          n++;
        }
    }
  printf ("replay: %u inputs, no failure\n", n);
  return n > 0 ? 0 : 1;
}
