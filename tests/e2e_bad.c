/* tests/e2e_bad.c — the bad-input corpus (tests/bad/NAME.case): each case
 * edits a private copy of the golden data set and plans, runs quotient
 * and pins the exit code, the first line of stderr (with file:line:column)
 * and that nothing was written.  The format is in tests/bad/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_support.h"

typedef struct {
  char *name, *path;
  QtTestPlace *place;      /* tmp with data/, plans/ and runs/ */
  const char *tmp;
  GHashTable *vars;        /* placeholder → value (borrowed): tmp, data, plans, runs, out */
} Case;

/* The words of a case line: bare words, or "quoted" with C escapes
 * (\n, \t, \\, \", \NNN octal). (transfer full) */
static GPtrArray *
words (const char *line)
{
  GPtrArray *w = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;
  while (*p != '\0')
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      if (*p != '"')
        {
          const char *end = strchr (p, ' ');
          end = end != NULL ? end : p + strlen (p);
          g_ptr_array_add (w, g_strndup (p, (gsize) (end - p)));
          p = end;
          continue;
        }
      const char *q = ++p;
      while (*q != '\0' && *q != '"')
        q += q[0] == '\\' && q[1] != '\0' ? 2 : 1;
      g_autofree char *raw = g_strndup (p, (gsize) (q - p));
      g_ptr_array_add (w, g_strcompress (raw));
      p = *q == '"' ? q + 1 : q;
    }
  return w;
}

/* text with {tmp}, {data}, {plans}, {runs}, {out} filled in. (transfer full) */
static char *
expand (const Case *c, const char *text)
{
  GString *s = g_string_new (NULL);
  for (const char *p = text; *p != '\0';)
    {
      const char *close = *p == '{' ? strchr (p, '}') : NULL;
      g_autofree char *key = close != NULL ? g_strndup (p + 1, (gsize) (close - p - 1)) : NULL;
      const char *value = key != NULL ? g_hash_table_lookup (c->vars, key) : NULL;
      if (value != NULL)
        {
          g_string_append (s, value);
          p = close + 1;
        }
      else
        g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

/* Replaces, in line `n` (1-based) of text, the first `from` by `to`. */
static char *
subst_line (const char *text, guint n, const char *from, const char *to)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  assert_true (n >= 1 && n <= g_strv_length (lines));
  char *at = strstr (lines[n - 1], from);
  if (at == NULL)
    fail_msg ("line %u does not hold '%s'", n, from);
  char *edited = g_strdup_printf ("%.*s%s%s", (int) (at - lines[n - 1]), lines[n - 1], to,
                                  at + strlen (from));
  g_free (lines[n - 1]);
  lines[n - 1] = edited;
  return g_strjoinv ("\n", lines);
}

static char *
insert_line (const char *text, guint n, const char *line)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *s = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i + 1 == n)
        g_string_append_printf (s, "%s\n", line);
      g_string_append (s, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* One `edit:` line: subst, insert, append, write, delete, crlf, symlink,
 * fifo, mkdir; paths are relative to the case's directory. */
static void
apply_edit (const Case *c, GPtrArray *w)
{
  assert_true (w->len >= 2);
  const char *kind = w->pdata[0];
  g_autofree char *path = g_build_filename (c->tmp, (const char *) w->pdata[1], NULL);
  if (strcmp (kind, "delete") == 0)
    {
      assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      qt_test_rmtree (path);
      return;
    }
  if (strcmp (kind, "mkdir") == 0)
    {
      assert_int_equal (g_mkdir_with_parents (path, 0755), 0);
      return;
    }
  if (strcmp (kind, "symlink") == 0 || strcmp (kind, "fifo") == 0)
    {
      (void) g_unlink (path);
      assert_int_equal (kind[0] == 's' ? symlink (w->pdata[2], path) : mkfifo (path, 0600), 0);
      return;
    }
  if (strcmp (kind, "write") == 0)
    {
      g_autofree char *parent = g_path_get_dirname (path);
      assert_int_equal (g_mkdir_with_parents (parent, 0755), 0);
      g_autofree char *text = expand (c, w->pdata[2]);
      qt_test_write (path, text);
      return;
    }
  g_autofree char *text = qt_test_read (path);
  assert_non_null (text);
  g_autofree char *edited = NULL;
  if (strcmp (kind, "subst") == 0)
    edited = subst_line (text, (guint) atoi (w->pdata[2]), w->pdata[3], w->pdata[4]);
  else if (strcmp (kind, "insert") == 0)
    edited = insert_line (text, (guint) atoi (w->pdata[2]), w->pdata[3]);
  else if (strcmp (kind, "append") == 0)
    edited = g_strconcat (text, w->pdata[2], "\n", NULL);
  else if (strcmp (kind, "crlf") == 0)
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      edited = g_strjoinv ("\r\n", lines);
    }
  else
    fail_msg ("%s: unknown edit '%s'", c->name, kind);
  qt_test_write (path, edited);
}

/* Runs the case's command line (after `args:`). */
static int
run_args (const Case *c, GPtrArray *w, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (QT_BINARY));
  for (guint i = 0; i < w->len; i++)
    g_ptr_array_add (argv, expand (c, w->pdata[i]));
  g_ptr_array_add (argv, NULL);
  return qt_test_spawn (out, err, NULL, (const char *const *) argv->pdata);
}

/* Checks what one `KEY: value` line expects of the finished command. */
static void
check (const Case *c, const char *key, const char *want, int rc, const char *out, const char *err)
{
  g_autofree char *first = g_strndup (err, strcspn (err, "\n"));
  if (strcmp (key, "exit") == 0)
    {
      if (rc != atoi (want))
        fail_msg ("%s: exit %d, expected %s (stderr: %s)", c->name, rc, want, err);
    }
  else if (strcmp (key, "stderr") == 0 && strcmp (first, want) != 0)
    fail_msg ("%s: stderr\n  '%s', expected\n  '%s'", c->name, first, want);
  else if (strcmp (key, "stderr-prefix") == 0 && !g_str_has_prefix (first, want))
    fail_msg ("%s: stderr '%s' does not start with '%s'", c->name, first, want);
  else if (strcmp (key, "stderr-suffix") == 0 && !g_str_has_suffix (first, want))
    fail_msg ("%s: stderr '%s' does not end with '%s'", c->name, first, want);
  else if (strcmp (key, "stderr-contains") == 0 && strstr (first, want) == NULL)
    fail_msg ("%s: stderr '%s' does not hold '%s'", c->name, first, want);
  else if (strcmp (key, "stdout-contains") == 0 && strstr (out, want) == NULL)
    fail_msg ("%s: stdout does not hold '%s':\n%s", c->name, want, out);
  else if (strcmp (key, "exists") == 0)
    {
      g_autofree char *path = g_build_filename (c->tmp, want, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        fail_msg ("%s: %s is gone", c->name, want);
    }
  else if (strcmp (key, "absent") == 0)
    {
      g_autofree char *path = g_build_filename (c->tmp, want, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        fail_msg ("%s: %s was written", c->name, want);
    }
}

/* Reads the case, prepares its directory, applies the edits, runs the
 * command, then checks every expectation. */
static void
test_case (void **state)
{
  Case *c = *state;
  g_autofree char *text = qt_test_read (c->path);
  assert_non_null (text);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  int rc = -1;
  g_autofree char *out = NULL, *err = NULL;
  gboolean ran = FALSE, runs_listed = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], ": ");
      if (lines[i][0] == '#' || lines[i][0] == '\0' || colon == NULL)
        continue;
      g_autofree char *key = g_strndup (lines[i], (gsize) (colon - lines[i]));
      g_autoptr (GPtrArray) w = words (colon + 2);
      if (strcmp (key, "prepare") == 0) /* a valid run of 2026-03 at {out} */
        {
          g_autofree char *o = NULL, *e = NULL;
          assert_int_equal (qt_test_run (&o, &e, "run", "--data", g_hash_table_lookup (c->vars, "data"),
                                         "--plans", g_hash_table_lookup (c->vars, "plans"),
                                         "--period", "2026-03", "--out",
                                         g_hash_table_lookup (c->vars, "out"), NULL),
                            0);
        }
      else if (strcmp (key, "edit") == 0)
        apply_edit (c, w);
      else if (strcmp (key, "args") == 0)
        {
          rc = run_args (c, w, &out, &err);
          ran = TRUE;
        }
      else
        {
          assert_true (ran);
          assert_int_equal (w->len, 1);
          g_autofree char *want = expand (c, w->pdata[0]);
          check (c, key, want, rc, out, err);
          runs_listed |= strcmp (key, "exists") == 0;
        }
    }
  assert_true (ran);
  /* A failed run writes nothing: --out absent, no temporary beside it. */
  if (rc != 0 && !runs_listed && strstr (text, "\nargs: run ") != NULL)
    assert_int_equal (qt_test_count_entries (g_hash_table_lookup (c->vars, "runs")), 0);
}

static int
setup (void **state)
{
  Case *c = *state;
  c->place = qt_test_place_new (TRUE);
  c->tmp = c->place->tmp;
  c->vars = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (c->vars, "tmp", c->place->tmp);
  g_hash_table_insert (c->vars, "data", c->place->data);
  g_hash_table_insert (c->vars, "plans", c->place->plans);
  g_hash_table_insert (c->vars, "runs", c->place->runs);
  g_hash_table_insert (c->vars, "out", c->place->out);
  return 0;
}

static int
teardown (void **state)
{
  Case *c = *state;
  g_clear_pointer (&c->vars, g_hash_table_unref);
  g_clear_pointer (&c->place, qt_test_place_free);
  c->tmp = NULL;
  return 0;
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
main (void)
{
  g_autofree char *dir = qt_test_source_path ("tests/bad");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  assert_non_null (d);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, ".case"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - 5));
  g_ptr_array_sort (names, by_name);
  g_autofree Case *cases = g_new0 (Case, names->len + 1);
  g_autofree struct CMUnitTest *tests = g_new0 (struct CMUnitTest, names->len + 1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      cases[i].name = (char *) name;
      cases[i].path = g_strdup_printf ("%s/%s.case", dir, name);
      tests[i] = (struct CMUnitTest) cmocka_unit_test_prestate_setup_teardown (
        test_case, setup, teardown, &cases[i]);
      tests[i].name = name;
    }
  int failed = _cmocka_run_group_tests ("e2e_bad", tests, names->len, NULL, NULL);
  for (guint i = 0; i < names->len; i++)
    g_free (cases[i].path);
  return failed;
}
