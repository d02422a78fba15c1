/* cli/cmd_appeal.c — `quotient appeal file|assign|vote|list|show` (SPEC
 * §8.1): parse the options, call appeals/, print. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../appeals/actions.h"
#include "../appeals/appeal_report.h"
#include "../appeals/session.h"
#include "../model/qt_error.h"
#include "commands.h"

static int
appeal_file (int argc, char **argv)
{
  g_autofree char *now = NULL, *as = NULL, *item = NULL, *reason = NULL, *head = NULL, *id = NULL;
  g_auto (GStrv) claims = NULL, evidence = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The appellant (a rep, appealing their own statement)", "REP" },
    { "item", 0, 0, G_OPTION_ARG_STRING, &item, "activity:METRIC, split:ORDER_ID or adjustment", "ITEM" },
    { "claim", 0, 0, G_OPTION_ARG_STRING_ARRAY, &claims, "The claimed correction (repeat for a split: REP=SHARE each)", "CLAIM" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why", "TEXT" },
    { "evidence", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &evidence, "A file to attach (repeatable)", "FILE" },
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — file an appeal");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Files an appeal of the rep --as on their own statement, inside the appeal\n"
    "window of their plan.  Prints the new appeal's id (A1, A2, …) on the first line.\n"
    "Items: activity:METRIC (one claim: the value), split:ORDER_ID (REP=SHARE per rep,\n"
    "summing to 1, the appellant among them), adjustment (one non-zero amount).\n"
    "Exit 0 done, 2 bad input, 3 refused.\n\n"
    "Example:\n"
    "  quotient appeal file runs/2026-05 --as R201 --item activity:nps --claim 72 \\\n"
    "      --reason 'survey of 28 May missing' --evidence survey.pdf");
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "appeal file", &place, &error)
                && qt_place_open (&place, "file appeals", QT_PG_CHECKOUT_LIFECYCLE, &as, &error);
  if (ok && (as == NULL || item == NULL || claims == NULL || reason == NULL))
    ok = qt_fail (&error, QT_ERROR_USAGE, "--as, --item, --claim and --reason are required");
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now,
                                 .journal_view = place.rep_view };
  const QtAppealFiling f = { as, item, (const char *const *) claims, reason,
                             (const char *const *) evidence };
  ok = qt_place_close (&place, ok && qt_appeal_file (&o, &f, &id, &head, &error), &error);
  if (ok)
    printf ("%s\n", id);
  return qt_lifecycle_done ("quotient appeal file", ok, head, error);
}

static int
appeal_assign (int argc, char **argv)
{
  g_autofree char *now = NULL, *appeal = NULL, *head = NULL;
  g_auto (GStrv) reviewers = NULL;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "appeal", 0, 0, G_OPTION_ARG_STRING, &appeal, "The appeal", "ID" },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &reviewers, "A reviewer (repeat: as many as the plan's appeals.reviewers)", "REP" },
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — assign an appeal's reviewers");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Assigns exactly the plan's number of distinct reviewers, none of them the\n"
    "appellant, in the appellant's team or in the appellant's manager chain.\n"
    "An appeal is assigned once.  Exit 0 done, 2 bad input, 3 refused.\n\n"
    "Example:\n"
    "  quotient appeal assign runs/2026-05 --appeal A1 --reviewer R301 --reviewer R402");
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "appeal assign", &place, &error)
                && qt_place_open (&place, "assign reviewers", QT_PG_CHECKOUT_LIFECYCLE, NULL, &error);
  if (ok && (appeal == NULL || reviewers == NULL))
    ok = qt_fail (&error, QT_ERROR_USAGE, "--appeal and --reviewer are required");
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now };
  ok = qt_place_close (&place, ok && qt_appeal_assign (&o, appeal, (const char *const *) reviewers,
                                                       &head, &error), &error);
  return qt_lifecycle_done ("quotient appeal assign", ok, head, error);
}

static int
appeal_vote (int argc, char **argv)
{
  g_autofree char *now = NULL, *appeal = NULL, *as = NULL, *note = NULL, *head = NULL;
  gboolean uphold = FALSE, reject = FALSE;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "appeal", 0, 0, G_OPTION_ARG_STRING, &appeal, "The appeal", "ID" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, "The reviewer voting", "REP" },
    { "uphold", 0, 0, G_OPTION_ARG_NONE, &uphold, "Uphold the appeal", NULL },
    { "reject", 0, 0, G_OPTION_ARG_NONE, &reject, "Reject the appeal", NULL },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "A note for the record", "TEXT" },
    QT_OPTION_NOW (now),
    QT_OPTION_PLACE (place),
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — vote on an appeal");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "One vote from each assigned reviewer.  With the last vote the appeal is\n"
    "decided: upheld when every vote upholds, else rejected.\n"
    "Exit 0 done, 2 bad input, 3 refused.\n\n"
    "Example:\n"
    "  quotient appeal vote runs/2026-05 --appeal A1 --as R301 --uphold --note 'survey checked'");
  g_autoptr (GError) error = NULL;
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, "appeal vote", &place, &error)
                && qt_place_open (&place, "vote", QT_PG_CHECKOUT_LIFECYCLE, &as, &error);
  if (ok && (appeal == NULL || as == NULL || uphold == reject))
    ok = qt_fail (&error, QT_ERROR_USAGE, "--appeal, --as and one of --uphold or --reject are required");
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .now = now,
                                 .journal_view = place.rep_view };
  const char *decided = NULL;
  ok = qt_place_close (&place, ok && qt_appeal_vote (&o, appeal, as, uphold, note, &decided, &head,
                                                     &error), &error);
  if (ok && decided != NULL)
    printf ("%s %s\n", appeal, decided);
  return qt_lifecycle_done ("quotient appeal vote", ok, head, error);
}

/* `list` and `show`: read-only, in every state. */
static int
appeal_read (int argc, char **argv, gboolean show)
{
  g_autofree char *appeal = NULL, *reader = NULL;
  gboolean json = FALSE;
  QtPlace place = { 0 };
  const GOptionEntry entries[] = {
    { "appeal", 0, 0, G_OPTION_ARG_STRING, &appeal, "The appeal (show)", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    QT_OPTION_PLACE (place),
    { NULL }
  };
  const GOptionEntry *used = show ? entries : entries + 1;
  g_autoptr (GOptionContext) ctx = g_option_context_new (show ? "RUN_DIR — one appeal's whole history"
                                                              : "RUN_DIR — every appeal of a run");
  g_option_context_add_main_entries (ctx, used, NULL);
  g_option_context_set_summary (ctx, show
    ? "Prints an appeal's history: filed (claims, reason, evidence hashes), reviewers,\n"
      "votes, decision and the revision that applied it.\n\nExample:\n"
      "  quotient appeal show runs/2026-05 --appeal A1"
    : "Lists the appeals of RUN_DIR in id order with their state.\n\nExample:\n"
      "  quotient appeal list runs/2026-05 --json");
  const char *command = show ? "quotient appeal show" : "quotient appeal list";
  g_autoptr (GError) error = NULL;
  /* a rep's login reads that rep's appeals (reader: the rep) */
  gboolean ok = qt_lifecycle_parse (ctx, &argc, &argv, show ? "appeal show" : "appeal list", &place,
                                    &error)
                && qt_place_open (&place, "read appeals", QT_PG_CHECKOUT_LIFECYCLE, &reader, &error);
  const QtLifecycleOptions o = { .run_dir = place.run_dir, .journal_view = place.rep_view };
  g_autoptr (QtSession) s = ok ? qt_session_open (&o, FALSE, &error) : NULL;
  const QtAppeal *a = NULL;
  if (s != NULL && show && (a = qt_lifecycle_appeal (s->lc, appeal)) == NULL)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "%s: no appeal '%s'", place.run_dir,
                 appeal ? appeal : "(give --appeal ID)");
  g_autoptr (GString) text = error == NULL ? show ? qt_appeal_show_text (s->lc, a, json)
                                                  : qt_appeal_list_text (s->lc, json)
                                           : NULL;
  g_clear_pointer (&s, qt_session_free);
  if (!qt_place_close (&place, error == NULL, &error))
    return qt_lifecycle_done (command, FALSE, NULL, error);
  fputs (text->str, stdout);
  return 0;
}

int
qt_cmd_appeal (int argc, char **argv)
{
  static const char *const usage =
    "Usage: quotient appeal file|assign|vote|list|show RUN_DIR [OPTION…]\n"
    "       quotient appeal file|assign|vote|list|show --pg CONNINFO --period YYYY-MM [OPTION…]\n"
    "Run `quotient appeal SUBCOMMAND --help` for the options of each.\n";
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage, argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  const char *sub = argv[1];
  argv[1] = argv[0];
  if (strcmp (sub, "file") == 0)
    return appeal_file (argc - 1, argv + 1);
  if (strcmp (sub, "assign") == 0)
    return appeal_assign (argc - 1, argv + 1);
  if (strcmp (sub, "vote") == 0)
    return appeal_vote (argc - 1, argv + 1);
  if (strcmp (sub, "list") == 0 || strcmp (sub, "show") == 0)
    return appeal_read (argc - 1, argv + 1, strcmp (sub, "show") == 0);
  fprintf (stderr, "quotient appeal: unknown subcommand '%s'\n%s", sub, usage);
  return 2;
}
