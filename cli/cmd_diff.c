/* cli/cmd_diff.c — `quotient diff RUN_A RUN_B [--csv]`: the cells of
 * payout.csv and scores.csv that differ between two runs (SPEC §8.1 rule
 * 8), through the run library (run/table_diff.h), as CSV or as a table
 * for a person.  Exit 0 when nothing differs, 1 when something does. */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../run/table_diff.h"
#include "commands.h"

/* A cell as one printable line: control bytes and backslashes escaped
 * (\n, \xNN, \\), so a name holding a newline cannot break the table;
 * an empty cell (a rep not in that run, or a blank value) is shown as
 * "(empty)".  (transfer full) */
static char *
printable_cell (const char *text)
{
  if (text[0] == '\0')
    return g_strdup ("(empty)");
  return qt_printable (text);
}

/* Columns a terminal gives the text (valid UTF-8, no control
 * characters): wide characters take two, combining marks none. */
static gsize
display_width (const char *text)
{
  gsize w = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      w += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

/* Appends `text` padded with spaces to `width` display columns. */
static void
append_padded (GString *out, const char *text, gsize width)
{
  g_string_append (out, text);
  for (gsize w = display_width (text); w < width; w++)
    g_string_append_c (out, ' ');
}

enum { REP, FILE_, COLUMN, OLD, NEW, N_CELLS };

/* One line of the table: the first four cells padded, two spaces apart,
 * an arrow before the new value. */
static void
append_line (GString *out, char *const *cells, const gsize *widths)
{
  for (int k = REP; k < NEW; k++)
    {
      append_padded (out, cells[k], widths[k]);
      g_string_append (out, k == OLD ? " → " : "  ");
    }
  g_string_append (out, cells[NEW]);
  g_string_append_c (out, '\n');
}

/* The changes as an aligned table, then how many cells and reps differ. */
static GString *
person_text (const GPtrArray *changes)
{
  if (changes->len == 0)
    return g_string_new ("no differences\n");
  char *head[N_CELLS + 1] = { "rep_id", "file", "column", "old", "new", NULL };
  gsize widths[N_CELLS] = { 0 };
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (lines, g_strdupv (head));
  guint reps = 0;
  for (guint i = 0; i < changes->len; i++)
    {
      const QtCellChange *c = g_ptr_array_index (changes, i);
      const QtCellChange *prev = i > 0 ? g_ptr_array_index (changes, i - 1) : NULL;
      reps += prev == NULL || g_strcmp0 (prev->rep_id, c->rep_id) != 0;
      char **cells = g_new0 (char *, N_CELLS + 1);
      cells[REP] = printable_cell (c->rep_id);
      cells[FILE_] = g_strdup (c->file);
      cells[COLUMN] = printable_cell (c->column);
      cells[OLD] = printable_cell (c->old_value);
      cells[NEW] = printable_cell (c->new_value);
      g_ptr_array_add (lines, cells);
    }
  for (guint i = 0; i < lines->len; i++)
    for (int k = REP; k < N_CELLS; k++)
      widths[k] = MAX (widths[k], display_width (((char **) g_ptr_array_index (lines, i))[k]));
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    append_line (out, g_ptr_array_index (lines, i), widths);
  g_string_append_printf (out, "%u %s differ, %u %s\n", changes->len,
                          changes->len == 1 ? "cell" : "cells", reps, reps == 1 ? "rep" : "reps");
  g_ptr_array_unref (lines);
  return out;
}

/* Writes the whole text to stdout; a failed write (a full disk, a closed
 * pipe) is an error, not a silent half report. */
static gboolean
write_stdout (const GString *text, GError **error)
{
  if (fwrite (text->str, 1, text->len, stdout) == text->len && fflush (stdout) == 0)
    return TRUE;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "standard output: cannot write: %s", g_strerror (errno));
  return FALSE;
}

/* --pg: RUN_A and RUN_B name stored runs, PERIOD or PERIOD/revisions/K;
 * each period is checked out once (`places`), and *a and *b are the
 * directories.  (transfer full: *a, *b) */
static gboolean
open_stored (const char *pg, char **argv, QtPlace *places, char **a, char **b, GError **error)
{
  char **dirs[] = { a, b };
  for (guint i = 0; i < 2; i++)
    {
      const char *slash = strchr (argv[i + 1], '/');
      g_autofree char *period = slash != NULL ? g_strndup (argv[i + 1], (gsize) (slash - argv[i + 1]))
                                              : g_strdup (argv[i + 1]);
      QtPlace *p = &places[i];
      if (i == 1 && g_strcmp0 (places[0].period, period) == 0)
        p = &places[0]; /* one checkout: a second would wait for the first's lock */
      else
        {
          p->pg = g_strdup (pg);
          p->period = g_strdup (period);
          p->name = g_strdup_printf ("the stored run of %s", period);
          if (!qt_place_open (p, "diff", QT_PG_CHECKOUT_TABLES, NULL, error))
            return FALSE;
        }
      *dirs[i] = slash != NULL ? g_build_filename (p->run_dir, slash + 1, NULL) : g_strdup (p->run_dir);
    }
  return TRUE;
}

int
qt_cmd_diff (int argc, char **argv)
{
  gboolean csv = FALSE;
  g_autofree char *pg = NULL, *a = NULL, *b = NULL;
  QtPlace places[2] = { { 0 }, { 0 } };
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV: rep_id,file,column,old,new", NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "RUN_A and RUN_B are runs stored in PostgreSQL: PERIOD, or PERIOD/revisions/K", "CONNINFO" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN_A RUN_B — compare the payout and scores of two runs");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Compares payout.csv and scores.csv of two run directories cell by cell,\n"
    "matching rows by rep_id: one line per cell that differs (old = RUN_A,\n"
    "new = RUN_B; a rep in one run only has empty cells in the other), sorted\n"
    "by rep_id, then file (payout.csv first), then column.  Exit 0 when nothing\n"
    "differs, 1 when something does, 2 when a run cannot be read.\n\n"
    "Examples:\n"
    "  quotient diff runs/2026-05 runs/2026-05-corrected --csv\n"
    "  quotient diff --pg 'dbname=finance' 2026-05/revisions/0 2026-05");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc != 3)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "give exactly two run directories, RUN_A RUN_B "
                 "(see quotient diff --help)");
  if (error == NULL && pg == NULL)
    changes = qt_run_diff (argv[1], argv[2], &error);
  else if (error == NULL && open_stored (pg, argv, places, &a, &b, &error))
    changes = qt_run_diff (a, b, &error);
  for (guint i = 0; i < 2; i++)
    qt_place_close (&places[i], error == NULL, &error);
  if (changes != NULL)
    {
      g_autoptr (GString) text = csv ? qt_cell_changes_csv (changes) : person_text (changes);
      write_stdout (text, &error);
    }
  /* Differences are the answer, not an error: 1 as diff(1) says it. */
  int rc = error != NULL ? qt_exit_code_for (error) : changes->len == 0 ? 0 : 1;
  if (error != NULL)
    qt_print_error ("quotient diff", error);
  return rc;
}
