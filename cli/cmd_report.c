/* cli/cmd_report.c — `quotient report`: the static HTML site of a run
 * (run/report_site.h), with each rep's appeals when the run has a
 * journal. */
#include <glib.h>
#include <stdio.h>

#include "../appeals/session.h"
#include "../model/qt_error.h"
#include "../run/report_site.h"
#include "commands.h"

/* rep_id → "A3 adjustment 150.00: upheld" lines of the run's appeals, or
 * NULL when the run has none.  (transfer full) */
static GHashTable *
appeal_lines (const char *run_dir, GError **error)
{
  const QtLifecycleOptions o = { .run_dir = run_dir };
  g_autoptr (QtSession) s = qt_session_open (&o, FALSE, error);
  if (s == NULL)
    return NULL;
  GHashTable *lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < s->lc->appeals->len; i++)
    {
      const QtAppeal *a = g_ptr_array_index (s->lc->appeals, i);
      GPtrArray *list = g_hash_table_lookup (lines, a->rep);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (lines, g_strdup (a->rep), list);
        }
      g_autofree char *claims = g_strjoinv (" ", a->claims);
      g_ptr_array_add (list, g_strdup_printf ("%s %s %s: %s", a->id, a->item, claims,
                                              qt_appeal_state_name (a)));
    }
  return lines;
}

int
qt_cmd_report (int argc, char **argv)
{
  g_autofree char *run = NULL, *out = NULL;
  g_auto (GStrv) previous = NULL;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_FILENAME, &run, "The run directory", "RUN_DIR" },
    { "previous", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &previous, "An earlier run, for trends and changes (repeat, oldest first)", "RUN_DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The site directory to create (must not exist)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— the run as a static HTML site");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Writes a self-contained HTML site (no network, no script; charts drawn as\n"
    "SVG) for the run: index.html, the finance summary (totals by component, team\n"
    "and plan, control totals, exceptions by code, the largest changes against\n"
    "the last --previous run); reps/<rep>.html, each rep's page (what is paid,\n"
    "what would pay more, the tier ladder, the sprint, the score chart, every\n"
    "credit line, the trend and the appeals); managers/<rep>.html, each team.\n"
    "Every figure is the run's own, checked against its manifest.\n"
    "Exit 0 done, 1 an output changed since the run, 2 bad usage.\n\n"
    "Example:\n"
    "  quotient report --run runs/2026-06 --previous runs/2026-05 --out site/2026-06");
  g_autoptr (GError) error = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  if (error == NULL && (run == NULL || out == NULL || *out == '\0'))
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                 "--run and --out are required (see quotient report --help)");
  g_autoptr (GHashTable) appeals = error == NULL ? appeal_lines (run, &error) : NULL;
  QtReportDone done;
  const QtReportOptions o = { run, (const char *const *) previous, out, appeals, TRUE };
  if (error == NULL && qt_report_site (&o, &done, &error))
    {
      printf ("quotient report: %s: %u rep pages, %u manager pages and index.html\n", out,
              done.reps, done.managers);
      return 0;
    }
  qt_print_error ("quotient report", error);
  return qt_exit_code_for (error);
}
