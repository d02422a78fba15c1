/* tests/e2e_concurrency.c — twenty `quotient appeal file` processes started
 * at once on one published run (SPEC §8.1 rule 7): the run's lock
 * serialises them, so every one succeeds, their ids are A1…A20 (each
 * once), the journal holds 21 lines with seq 1…21, and verify finds the
 * chain intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/test_support.h"

#define DEMO QT_SOURCE_DIR "/fixtures/demo"
#define N_PROCS 20


/* Starts `appeal file` for rep `rep` with its stdout into `out_path`. */
static GPid
start_filing (const char *run, const char *rep, const char *out_path)
{
  const char *argv[] = { QT_BINARY, "appeal", "file", run, "--as", rep, "--item", "adjustment",
                         "--claim", "10", "--reason", "concurrent", "--now",
                         "2026-06-08T09:00:00+08:00", NULL };
  int fd = g_open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true (fd >= 0);
  GPid pid = 0;
  g_autoptr (GError) error = NULL;
  assert_true (g_spawn_async_with_fds (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                       NULL, NULL, &pid, -1, fd, -1, &error));
  close (fd);
  return pid;
}

static void
test_twenty_filings (void **state)
{
  QtTestPlace *f = *state;
  g_autofree char *err = NULL;
  assert_int_equal (qt_test_run (NULL, &err, "run", "--data", DEMO "/data", "--plans", DEMO "/plans",
                                 "--period", "2026-05", "--out", f->out, NULL), 0);
  g_clear_pointer (&err, g_free);
  assert_int_equal (qt_test_run (NULL, &err, "publish", f->out, "--payout-at",
                                 "2026-06-10T09:00:00+08:00", "--now", "2026-06-05T09:00:00+08:00",
                                 NULL), 0);
  GPid pids[N_PROCS];
  char *outs[N_PROCS];
  for (guint i = 0; i < N_PROCS; i++)
    {
      /* R101..R109, R201..R209, R301, R302: field and inside reps */
      g_autofree char *rep = g_strdup_printf ("R%u%02u", 1 + i / 9, 1 + i % 9);
      outs[i] = g_strdup_printf ("%s/out-%u", f->tmp, i);
      pids[i] = start_filing (f->out, rep, outs[i]);
    }
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < N_PROCS; i++)
    {
      int status = 0;
      assert_int_equal (waitpid (pids[i], &status, 0), pids[i]);
      g_spawn_close_pid (pids[i]);
      assert_true (WIFEXITED (status));
      assert_int_equal (WEXITSTATUS (status), 0);
      g_autofree char *out = qt_test_read (outs[i]);
      g_strchomp (out);
      assert_true (g_hash_table_add (ids, g_steal_pointer (&out)));
      g_free (outs[i]);
    }
  for (guint i = 1; i <= N_PROCS; i++)
    {
      g_autofree char *id = g_strdup_printf ("A%u", i);
      assert_true (g_hash_table_contains (ids, id));
    }
  g_autofree char *journal_path = g_build_filename (f->out, "journal.jsonl", NULL);
  g_autofree char *journal = qt_test_read (journal_path);
  g_auto (GStrv) lines = g_strsplit (journal, "\n", -1);
  assert_int_equal (g_strv_length (lines), N_PROCS + 2); /* published, 20 filed, "" */
  for (guint i = 0; i <= N_PROCS; i++)
    {
      g_autofree char *seq = g_strdup_printf ("\"seq\":%u,", i + 1);
      assert_non_null (strstr (lines[i], seq));
    }
  g_clear_pointer (&err, g_free);
  g_autofree char *out = NULL;
  assert_int_equal (qt_test_run (&out, &err, "verify", f->out, NULL), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_twenty_filings, qt_test_place_setup_empty,
                                     qt_test_place_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
