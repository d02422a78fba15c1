/* cli/cmd_lifecycle.c — `quotient publish` and `quotient close` (SPEC §8.1):
 * parse the options, call appeals/actions.h, print the journal's new head. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../appeals/actions.h"
#include "../appeals/recalc.h"
#include "../appeals/session.h"
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

/* Parses `ctx` and requires exactly one RUN_DIR, or --pg and --period. */
gboolean
qt_lifecycle_parse (GOptionContext *ctx, int *argc, char ***argv, const char *command,
                    QtPlace *place, GError **error)
{
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  if (place->pg != NULL && (place->period == NULL || *argc != 1))
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "--pg needs --period YYYY-MM and no RUN_DIR "
                 "(see quotient %s --help)", command);
  else if (place->pg == NULL && (place->period != NULL || *argc != 2 || (*argv)[1][0] == '\0'))
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "give exactly one RUN_DIR, or --pg and --period "
                 "(see quotient %s --help)", command);
  if (*error != NULL)
    return FALSE;
  place->run_dir = place->pg == NULL ? (*argv)[1] : NULL;
  place->name = place->pg == NULL ? g_strdup ((*argv)[1])
                                  : g_strdup_printf ("the stored run of %s", place->period);
  return TRUE;
}

/* A rep's login runs only filing, voting and reading, as that rep. */
static gboolean
check_rep (const char *rep, const char *command, char **as, GError **error)
{
  if (as == NULL)
    return qt_refuse (error, "the database login is rep %s's: only finance may %s", rep, command);
  if (*as != NULL && strcmp (*as, rep) != 0)
    return qt_refuse (error, "the database login is rep %s's: it acts as %s only, not as %s", rep,
                      rep, *as);
  g_free (*as);
  *as = g_strdup (rep);
  return TRUE;
}

gboolean
qt_place_open (QtPlace *place, const char *command, QtPgCheckoutScope scope, char **as,
               GError **error)
{
  if (place->pg == NULL)
    return TRUE;
  place->conn = qt_pg_connect (place->pg, error);
  place->stored = place->conn != NULL ? qt_pg_checkout (place->conn, place->period, scope, error) : NULL;
  if (place->stored == NULL)
    return FALSE;
  place->run_dir = qt_pg_run_dir (place->stored);
  const char *rep = qt_pg_run_login_rep (place->stored);
  place->rep_view = rep != NULL;
  return rep == NULL || check_rep (rep, command, as, error);
}

gboolean
qt_place_close (QtPlace *place, gboolean ok, GError **error)
{
  if (place->stored != NULL)
    {
      ok = ok && qt_pg_checkin (place->stored, error);
      /* messages name the stored run, not the private checkout */
      if (error != NULL)
        qt_error_replace (*error, place->run_dir, place->name);
      g_clear_pointer (&place->stored, qt_pg_run_free);
    }
  g_clear_pointer (&place->conn, PQfinish);
  g_clear_pointer (&place->pg, g_free);
  g_clear_pointer (&place->period, g_free);
  g_clear_pointer (&place->name, g_free);
  return ok;
}

int
qt_cmd_publish (int argc, char **argv)
{
  g_autofree char *now = NULL, *payout_at = NULL, *head = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "payout-at", 0, 0, G_OPTION_ARG_STRING, &payout_at, "When the payout is made (the appeal window closes then)", "TIMESTAMP" },
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
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
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "publish", &place, &error)
                && qt_place_open (&place, "publish", QT_PG_CHECKOUT_LIFECYCLE, NULL, &error);
  if (ok && payout_at == NULL)
    ok = qt_fail (&error, QT_ERROR_USAGE, "--payout-at TIMESTAMP is required");
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now };
  ok = qt_place_close (&place, ok && qt_publish (&o, payout_at, &head, &error), &error);
  return qt_lifecycle_done ("quotient publish", ok, head, error);
}

int
qt_cmd_close (int argc, char **argv)
{
  g_autofree char *now = NULL, *head = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
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
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "close", &place, &error)
                && qt_place_open (&place, "close", QT_PG_CHECKOUT_LIFECYCLE, NULL, &error);
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now };
  ok = qt_place_close (&place, ok && qt_close (&o, &head, &error), &error);
  return qt_lifecycle_done ("quotient close", ok, head, error);
}

int
qt_cmd_recalc (int argc, char **argv)
{
  g_autofree char *now = NULL, *head = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
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
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "recalc", &place, &error)
                && qt_place_open (&place, "recalc", QT_PG_CHECKOUT_ALL, NULL, &error);
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now, .keep_until_exit = TRUE };
  guint applied = 0, revision = 0;
  ok = ok && qt_recalc (&o, &applied, &revision, &head, &error);
  g_autofree char *name = g_strdup (place.name);
  ok = qt_place_close (&place, ok, &error);
  if (ok && applied == 0)
    {
      printf ("quotient recalc: %s: no upheld appeal to apply; nothing changed\n", name);
      return 0;
    }
  if (ok)
    printf ("quotient recalc: %s: revision %u, %u appeal%s applied\n", name, revision, applied,
            applied == 1 ? "" : "s");
  return qt_lifecycle_done ("quotient recalc", ok, head, error);
}
