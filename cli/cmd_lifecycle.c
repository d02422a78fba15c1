/* cli/cmd_lifecycle.c — `quotient publish` and `quotient close` (SPEC §8.1):
 * parse the options, call appeals/actions.h, print the journal's new head. */
#include <glib.h>
#include <stdio.h>

#include "../appeals/actions.h"
#include "../appeals/recalc.h"
#include "../model/qt_error.h"
#include "commands.h"

/* The exit code of a lifecycle command, printing the head or the error. */
int
qt_lifecycle_done (const char *command, gboolean ok, const char *head, const GError *error)
{
  /* what stdout says first, whether it is a terminal or a pipe */
  fflush (stdout);
  if (ok)
    {
      fprintf (stderr, "journal head %s\n", head);
      return 0;
    }
  qt_print_error (command, error);
  return qt_exit_code_for (error);
}

/* Parses `ctx` and requires exactly one RUN_DIR; FALSE with `error` set. */
gboolean
qt_lifecycle_parse (GOptionContext *ctx, int *argc, char ***argv, const char *command,
                    GError **error)
{
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  if (*argc != 2 || (*argv)[1][0] == '\0')
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "give exactly one RUN_DIR (see quotient %s --help)",
                   command);
      return FALSE;
    }
  return TRUE;
}

int
qt_cmd_publish (int argc, char **argv)
{
  g_autofree char *now = NULL, *payout_at = NULL, *head = NULL;
  const GOptionEntry entries[] = {
    { "payout-at", 0, 0, G_OPTION_ARG_STRING, &payout_at, "When the payout is made (the appeal window closes then)", "TIMESTAMP" },
    QT_OPTION_NOW (now),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — publish a draft run");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Publishes RUN_DIR: its statements become visible and the payout time is set;\n"
    "the appeal window of each rep's plan ends at it.  Needs a draft run and a\n"
    "payout time later than now.  TIMESTAMP is ISO 8601 with an offset.\n"
    "Exit 0 done, 2 bad input, 3 refused (not a draft, payout not in the future).\n\n"
    "Example:\n"
    "  quotient publish runs/2026-05 --payout-at 2026-06-10T09:00:00+08:00");
  g_autoptr (GError) error = NULL;
  if (!qt_lifecycle_parse (ctx, &argc, &argv, "publish", &error))
    return qt_lifecycle_done ("quotient publish", FALSE, NULL, error);
  if (payout_at == NULL)
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "--payout-at TIMESTAMP is required");
      return qt_lifecycle_done ("quotient publish", FALSE, NULL, error);
    }
  const QtLifecycleOptions o = { .run_dir = argv[1], .now = now };
  gboolean ok = qt_publish (&o, payout_at, &head, &error);
  return qt_lifecycle_done ("quotient publish", ok, head, error);
}

int
qt_cmd_close (int argc, char **argv)
{
  g_autofree char *now = NULL, *head = NULL;
  const GOptionEntry entries[] = {
    QT_OPTION_NOW (now),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — close a published run");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Closes RUN_DIR: after this no lifecycle command changes it, and verify still\n"
    "recomputes it anywhere.  Refused while an appeal is undecided or an upheld\n"
    "appeal is not applied (run quotient recalc first).\n"
    "Exit 0 done, 2 bad input, 3 refused.\n\n"
    "Example:\n"
    "  quotient close runs/2026-05");
  g_autoptr (GError) error = NULL;
  if (!qt_lifecycle_parse (ctx, &argc, &argv, "close", &error))
    return qt_lifecycle_done ("quotient close", FALSE, NULL, error);
  const QtLifecycleOptions o = { .run_dir = argv[1], .now = now };
  gboolean ok = qt_close (&o, &head, &error);
  return qt_lifecycle_done ("quotient close", ok, head, error);
}

int
qt_cmd_recalc (int argc, char **argv)
{
  g_autofree char *now = NULL, *head = NULL;
  const GOptionEntry entries[] = {
    QT_OPTION_NOW (now),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — apply upheld appeals");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Applies every upheld appeal not yet applied, in id order, as an edit of the\n"
    "input snapshot (which itself never changes) and makes the result the run's\n"
    "next revision: payout.csv, scores.csv and credits.csv as a fresh run on the\n"
    "edited data; the revision before stays in revisions/N/; each changed rep's\n"
    "statement names the appeals and the old and new values.  Nothing to apply:\n"
    "exit 0, nothing changed.  Exit 2 bad input, 3 refused (not published).\n\n"
    "Example:\n"
    "  quotient recalc runs/2026-05");
  g_autoptr (GError) error = NULL;
  if (!qt_lifecycle_parse (ctx, &argc, &argv, "recalc", &error))
    return qt_lifecycle_done ("quotient recalc", FALSE, NULL, error);
  const QtLifecycleOptions o = { .run_dir = argv[1], .now = now, .keep_until_exit = TRUE };
  guint applied = 0, revision = 0;
  gboolean ok = qt_recalc (&o, &applied, &revision, &head, &error);
  if (ok && applied == 0)
    {
      printf ("quotient recalc: %s: no upheld appeal to apply; nothing changed\n", argv[1]);
      return 0;
    }
  if (ok)
    printf ("quotient recalc: %s: revision %u, %u appeal%s applied\n", argv[1], revision, applied,
            applied == 1 ? "" : "s");
  return qt_lifecycle_done ("quotient recalc", ok, head, error);
}
