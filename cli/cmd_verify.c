/* cli/cmd_verify.c — `quotient verify RUN_DIR`: parses the arguments,
 * verifies through the run library (run/verify.h) and prints the result. */
#include <glib.h>
#include <stdio.h>

#include "../model/qt_error.h"
#include "../appeals/lifecycle_verify.h"
#include "commands.h"

/* One MISMATCH line per file (the report is sorted), or the summary. */
static void
print_report (const char *run, const QtVerifyReport *r)
{
  for (guint i = 0; i < r->mismatches->len; i++)
    {
      const QtVerifyMismatch *m = g_ptr_array_index (r->mismatches, i);
      g_autofree char *name = qt_printable (m->file);
      printf ("MISMATCH %s: %s\n", name, m->reason);
    }
  if (r->period == NULL || r->mismatches->len > 0)
    return;
  printf ("quotient verify: %s: period %s, %u files match their manifest hashes and recompute "
          "byte for byte", run, r->period, r->files);
  if (r->history_files > 0)
    printf ("; %u file%s of its history match%s the hashes the journal and earlier revisions "
            "name", r->history_files, r->history_files == 1 ? "" : "s",
            r->history_files == 1 ? "es" : "");
  printf ("\n");
}

int
qt_cmd_verify (int argc, char **argv)
{
  g_autofree char *head = NULL;
  const GOptionEntry entries[] = {
    { "head", 0, 0, G_OPTION_ARG_STRING, &head, "Also check that the journal ends with this line (its SHA-256, as printed by the last lifecycle command)", "HASH" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_DIR — recompute a run and compare every hash");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Recomputes RUN_DIR from its own input snapshot (inputs/) and compares every\n"
    "output and input file with manifest.json and with the recomputed bytes.\n"
    "A published or closed run's journal is checked first (its hash chain, and\n"
    "with --head its last line), then the current revision is recomputed with\n"
    "the appeals applied.\n"
    "Exit 0 when all match, 1 with the list of differing files or the first bad\n"
    "journal line, 2 when RUN_DIR is not a run directory.\n\n"
    "Example:\n"
    "  quotient verify runs/2026-06");
  g_autoptr (GError) error = NULL;
  int rc = 0;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    rc = 2;
  else if (argc != 2)
    {
      g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "give exactly one RUN_DIR (see quotient verify --help)");
      rc = 2;
    }
  else
    {
      QtVerifyOptions o = { .kind = qt_manifest_kind (argv[1]), .keep_until_exit = TRUE };
      QtVerifyReport report = { 0 };
      if (o.kind == QT_RUN_REBATE && head != NULL)
        {
          g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                       "--head: %s is a rebate run, which has no journal", argv[1]);
          qt_print_error ("quotient verify", error);
          return 2;
        }
      /* a rebate run has no lifecycle */
      gboolean ok = o.kind == QT_RUN_REBATE ? qt_verify_run (argv[1], &o, &report, &error)
                                            : qt_lifecycle_verify (argv[1], head, &o, &report, &error);
      if (!ok)
        rc = qt_exit_code_for (error);
      print_report (argv[1], &report);
      qt_verify_report_clear (&report);
    }
  if (error != NULL)
    qt_print_error ("quotient verify", error);
  return rc;
}
