/* tests/e2e_signals.c — a run stopped from outside leaves nothing behind:
 * SIGTERM, SIGINT or SIGHUP in the middle of a run remove its hidden
 * temporary directory before the process dies of the signal, and a file
 * size limit (ulimit -f) is an error like a full disk (exit 2, a message,
 * nothing written) instead of a silent death by SIGXFSZ; a SIGKILL at any
 * point of a --replace leaves a whole run at --out, and the next run
 * removes the temporary it left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/test_support.h"

typedef QtTestPlace Fixture;

/* A synthetic data set big enough that a run takes a while (bench/gen.c). */
static int
setup (void **state)
{
  Fixture *f = qt_test_place_new (FALSE);
  g_autofree char *set = g_build_filename (f->tmp, "set", NULL);
  const char *const argv[] = { QT_BENCH_GEN, "--reps", "300", "--orders", "60000", "--out", set,
                               "-q", NULL };
  g_autofree char *out = NULL, *err = NULL;
  assert_int_equal (qt_test_spawn (&out, &err, NULL, argv), 0);
  f->data = g_build_filename (set, "data", NULL);
  f->plans = g_build_filename (set, "plans", NULL);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  qt_test_place_free (*state);
  return 0;
}

/* Starts `quotient run` on the fixture with stdout and stderr to
 * /dev/null; `limit` > 0 sets RLIMIT_FSIZE in the child. */
static pid_t
start_run (const Fixture *f, rlim_t limit)
{
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      if (limit > 0)
        {
          struct rlimit rl = { limit, limit };
          setrlimit (RLIMIT_FSIZE, &rl);
        }
      if (freopen ("/dev/null", "w", stdout) == NULL)
        _exit (127);
      char *const argv[] = { (char *) QT_BINARY, (char *) "run", (char *) "--data", f->data,
                             (char *) "--plans", f->plans, (char *) "--period",
                             (char *) "2026-06", (char *) "--out", f->out, NULL };
      execv (QT_BINARY, argv);
      _exit (127);
    }
  return pid;
}

static void
sleep_ms (guint ms)
{
  struct timespec t = { ms / 1000, (long) (ms % 1000) * 1000000L };
  nanosleep (&t, NULL);
}

/* Sends `sig` to runs after growing delays until one is stopped by it in
 * the middle; every stopped run leaves `runs/` empty, every finished one
 * leaves only the run. */
static void
check_signal (const Fixture *f, int sig)
{
  gboolean stopped = FALSE;
  for (guint delay = 5; delay < 5000 && !stopped; delay = delay * 3 / 2)
    {
      pid_t pid = start_run (f, 0);
      sleep_ms (delay);
      kill (pid, sig);
      int status = 0;
      assert_int_equal (waitpid (pid, &status, 0), pid);
      if (WIFSIGNALED (status))
        {
          assert_int_equal (WTERMSIG (status), sig);
          if (qt_test_count_entries (f->runs) != 0)
            fail_msg ("after %u ms: left in runs/: %s", delay, qt_test_listing (f->runs));
          stopped = TRUE;
        }
      else
        {
          assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
          assert_int_equal (qt_test_count_entries (f->runs), 1);
          qt_test_rmtree (f->out);
        }
    }
  assert_true (stopped);
}

static void
test_sigterm (void **state)
{
  check_signal (*state, SIGTERM);
}

static void
test_sigint (void **state)
{
  check_signal (*state, SIGINT);
}

static void
test_sighup (void **state)
{
  check_signal (*state, SIGHUP);
}

/* `quotient run --replace` (exit code; stdout and stderr dropped). */
static int
run_replace (const Fixture *f)
{
  g_autofree char *out = NULL, *err = NULL;
  return qt_test_run (&out, &err, "run", "--data", f->data, "--plans", f->plans, "--period",
                      "2026-06", "--out", f->out, "--replace", NULL);
}

/* Whether runs/ holds exactly the run (no temporary beside it). */
static gboolean
only_the_run (const Fixture *f)
{
  return qt_test_count_entries (f->runs) == 1 && g_file_test (f->out, G_FILE_TEST_IS_DIR);
}

/* Starts `quotient run` (with --replace when `replace`) and SIGKILLs it
 * after `delay` ms; returns whether the signal killed it. */
static gboolean
kill_run_after (const Fixture *f, gboolean replace, guint delay)
{
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      if (freopen ("/dev/null", "w", stdout) == NULL)
        _exit (127);
      char *const argv[] = { (char *) QT_BINARY, (char *) "run", (char *) "--data", f->data,
                             (char *) "--plans", f->plans, (char *) "--period",
                             (char *) "2026-06", (char *) "--out", f->out,
                             replace ? (char *) "--replace" : NULL, NULL };
      execv (QT_BINARY, argv);
      _exit (127);
    }
  sleep_ms (delay);
  kill (pid, SIGKILL);
  int status = 0;
  assert_int_equal (waitpid (pid, &status, 0), pid);
  return WIFSIGNALED (status);
}

/* SIGKILL at many points of a first run: --out is either absent or a whole
 * run (never partial), and the next run removes what a killed one left. */
static void
test_sigkill_during_run (void **state)
{
  Fixture *f = *state;
  guint killed = 0;
  for (guint delay = 5; delay < 3000; delay = delay * 3 / 2 + 1)
    {
      killed += kill_run_after (f, FALSE, delay);
      if (g_file_test (f->out, G_FILE_TEST_EXISTS))
        {
          g_autofree char *vout = NULL, *verr = NULL;
          assert_int_equal (qt_test_run (&vout, &verr, "verify", f->out, NULL), 0);
          qt_test_rmtree (f->out);
        }
    }
  assert_true (killed > 3);
  assert_int_equal (run_replace (f), 0); /* cleans up after the killed ones */
  assert_true (only_the_run (f));
}

/* SIGKILL at many points of a --replace: the run at --out is always whole
 * (it verifies), no partial run is ever visible, and the next run removes
 * the temporary the killed one left. */
static void
test_sigkill_during_replace (void **state)
{
  Fixture *f = *state;
  assert_int_equal (run_replace (f), 0);
  guint killed = 0;
  for (guint delay = 5; delay < 3000; delay = delay * 3 / 2 + 1)
    {
      killed += kill_run_after (f, TRUE, delay);
      g_autofree char *vout = NULL, *verr = NULL;
      assert_int_equal (qt_test_run (&vout, &verr, "verify", f->out, NULL), 0);
    }
  assert_true (killed > 3);
  assert_int_equal (run_replace (f), 0); /* cleans up after the killed ones */
  assert_true (only_the_run (f));
}

/* ulimit -f: exit 2 with "cannot write: File too large", nothing left. */
static void
test_file_size_limit (void **state)
{
  Fixture *f = *state;
  g_autofree char *errfile = g_build_filename (f->tmp, "stderr", NULL);
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      if (freopen (errfile, "w", stderr) == NULL)
        _exit (127);
      struct rlimit rl = { 64 * 1024, 64 * 1024 };
      setrlimit (RLIMIT_FSIZE, &rl);
      char *const argv[] = { (char *) QT_BINARY, (char *) "run", (char *) "--data", f->data,
                             (char *) "--plans", f->plans, (char *) "--period",
                             (char *) "2026-06", (char *) "--out", f->out, NULL };
      execv (QT_BINARY, argv);
      _exit (127);
    }
  int status = 0;
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status));
  assert_int_equal (WEXITSTATUS (status), 2);
  g_autofree char *err = qt_test_read (errfile);
  assert_non_null (strstr (err, ": cannot write: File too large (nothing was written)"));
  assert_true (g_str_has_prefix (err, f->out));
  assert_int_equal (qt_test_count_entries (f->runs), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_sigterm, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sigint, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sighup, setup, teardown),
    cmocka_unit_test_setup_teardown (test_file_size_limit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sigkill_during_run, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sigkill_during_replace, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
