/* tests/fuzz/fuzz_journal.c — the journal reader and the lifecycle replay
 * on any bytes: never crash; a journal accepted has entries seq 1…n, each
 * line's SHA-256 the next line's prev, and its head the last line's hash;
 * replay either rebuilds a state or names the line that contradicts. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appeals/journal.h"
#include "appeals/lifecycle.h"
#include "fuzz.h"

/* The accepted journal's own properties. */
static void
check_chain (const QtJournal *j)
{
  const char *prev = "0000000000000000000000000000000000000000000000000000000000000000";
  for (guint i = 0; i < j->entries->len; i++)
    {
      const QtJournalEntry *e = g_ptr_array_index (j->entries, i);
      FUZZ_ASSERT (e->seq == i + 1);
      const cJSON *p = cJSON_GetObjectItemCaseSensitive (e->json, "prev");
      FUZZ_ASSERT (cJSON_IsString (p) && strcmp (p->valuestring, prev) == 0);
      prev = e->sha256;
    }
  FUZZ_ASSERT (strcmp (qt_journal_head (j), prev) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  for (int torn = 0; torn < 2; torn++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (QtJournal) j = qt_journal_parse ("run", bytes, torn, &error);
      FUZZ_ASSERT ((j == NULL) == (error != NULL));
      if (j == NULL)
        {
          FUZZ_ASSERT (g_str_has_prefix (error->message, "run/journal.jsonl:"));
          continue;
        }
      FUZZ_ASSERT (j->intact_bytes <= size && (j->torn || j->intact_bytes == size));
      check_chain (j);
      g_autoptr (GError) replay_error = NULL;
      g_autoptr (QtLifecycle) lc = qt_lifecycle_replay ("run", j, &replay_error);
      FUZZ_ASSERT ((lc == NULL) == (replay_error != NULL));
      FUZZ_ASSERT (lc == NULL || lc->revision <= lc->applied->len);
    }
  return 0;
}
