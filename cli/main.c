/* cli/main.c — `quotient COMMAND ...`: dispatch to the subcommands. */
#include <glib.h>
#include <locale.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../run/run_dir.h"
#include "commands.h"

typedef struct {
  const char *name;
  int (*fn) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "run", qt_cmd_run, "compute one period and write its run directory" },
  { "rebate", qt_cmd_rebate, "compute one quarter's distributor rebates (three-source reconciliation)" },
  { "verify", qt_cmd_verify, "recompute a run directory from its snapshot and compare every hash" },
  { "publish", qt_cmd_publish, "publish a draft run: statements visible, payout time and appeal window set" },
  { "appeal", qt_cmd_appeal, "file, assign, vote on, list and show appeals of a published run" },
  { "recalc", qt_cmd_recalc, "apply upheld appeals: a new revision of a published run" },
  { "close", qt_cmd_close, "close a published run: no further change" },
  { "report", qt_cmd_report, "write a run as a static HTML site: rep and manager pages, a finance summary" },
  { "statement", qt_cmd_statement, "print one rep's statement for a terminal (or its JSON)" },
  { "diff", qt_cmd_diff, "compare the payout and scores of two runs cell by cell" },
  { "prior-period", qt_cmd_prior_period, "adjustments correcting a closed period, from corrected data" },
  { "export", qt_cmd_export, "write a run stored in PostgreSQL as a run directory" },
  { "db", qt_cmd_db, "the PostgreSQL back end: create or migrate its schema, import a data set" },
};

int
qt_exit_code_for (const GError *error)
{
  if (error != NULL && error->domain == QT_ERROR
      && (error->code == QT_ERROR_STRICT || error->code == QT_ERROR_MISMATCH))
    return 1;
  if (error != NULL && error->domain == QT_ERROR && error->code == QT_ERROR_REFUSED)
    return 3;
  return 2;
}

char *
qt_printable (const char *text)
{
  GString *s = g_string_new (NULL);
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p == '\\')
      g_string_append (s, "\\\\");
    else if (*p == '\n')
      g_string_append (s, "\\n");
    else if (*p < 0x20 || *p == 0x7f)
      g_string_append_printf (s, "\\x%02x", *p);
    else
      g_string_append_c (s, (char) *p);
  return g_string_free (s, FALSE);
}

void
qt_print_error (const char *command, const GError *error)
{
  if (error->domain == QT_ERROR
      && (error->code == QT_ERROR_MALFORMED || error->code == QT_ERROR_IO))
    fprintf (stderr, "%s\n", error->message);
  else
    fprintf (stderr, "%s: %s\n", command, error->message);
}

static void
usage (FILE *to)
{
  fprintf (to, "Usage: quotient COMMAND [OPTION…]\n\n"
               "quotient " QT_VERSION " — deterministic commission and incentive engine.\n\n"
               "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (to, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fprintf (to, "\nRun `quotient COMMAND --help` for the options of a command.\n"
               "Exit codes: 0 success, 1 verification mismatch or exceptions under --strict,\n"
               "2 bad input or usage, 3 refused by a lifecycle rule (nothing changed).\n");
}

/* Freed memory stays in the process for the next allocation instead of
 * going back to the kernel: a run allocates and frees hundreds of MB in
 * turn (a table's row links, an input file's bytes), and every page the
 * kernel hands out again is a page fault and a page cleared — at M, 25,000
 * fewer faults and ~5 % less CPU (docs/architecture.md, decision 26). */
static void
keep_freed_memory (void)
{
  mallopt (M_MMAP_MAX, 0);
  mallopt (M_TRIM_THRESHOLD, G_MAXINT);
}

static sigset_t stop_signals;

/* Waits for SIGINT, SIGTERM or SIGHUP; removes the temporary directory of
 * an unfinished run, then lets the signal end the process as it would
 * have. */
static gpointer
stop_signal_thread (gpointer data)
{
  (void) data;
  int sig = 0;
  if (sigwait (&stop_signals, &sig) != 0)
    return NULL;
  qt_run_dir_remove_pending ();
  signal (sig, SIG_DFL);
  pthread_sigmask (SIG_UNBLOCK, &stop_signals, NULL);
  raise (sig);
  return NULL;
}

/* Signals end a run without leaving its hidden temporary directory; a
 * file-size limit (ulimit -f) is an error like a full disk, not a silent
 * death (SIGXFSZ ignored: write then fails with EFBIG).  Set up before any
 * other thread exists, so that every thread leaves the stop signals to
 * the one that waits for them. */
static void
handle_signals (void)
{
  signal (SIGXFSZ, SIG_IGN);
  sigemptyset (&stop_signals);
  sigaddset (&stop_signals, SIGINT);
  sigaddset (&stop_signals, SIGTERM);
  sigaddset (&stop_signals, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &stop_signals, NULL);
  g_thread_unref (g_thread_new ("qt-signals", stop_signal_thread, NULL));
}

int
main (int argc, char **argv)
{
  keep_freed_memory ();
  handle_signals ();
  /* Outputs never depend on the locale: numbers are formatted by hand.  The
   * C.UTF-8 locale keeps messages byte-stable while letting --help print
   * UTF-8 (plain "C" would turn every non-ASCII character into '?'). */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    setlocale (LC_ALL, "C");
  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("quotient %s\n", QT_VERSION);
      return 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strconcat ("quotient ", commands[i].name, NULL);
        g_set_prgname (prgname);
        return commands[i].fn (argc - 1, argv + 1);
      }
  fprintf (stderr, "quotient: unknown command '%s'\n\n", argv[1]);
  usage (stderr);
  return 2;
}
