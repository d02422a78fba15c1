/* tests/support/test_support.c — helpers shared by the test programs. */
#include "test_support.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../../calc/amount.h"
#include "../../run/run_dir.h"

char *
qt_test_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("quotient-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
qt_test_rmtree (const char *path)
{
  qt_rmtree (path);
}

void
qt_test_copy_dir (const char *src, const char *dst)
{
  g_assert_cmpint (g_mkdir_with_parents (dst, 0755), ==, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (src, 0, &error);
  g_assert_no_error (error);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (src, name, NULL);
      g_autofree char *to = g_build_filename (dst, name, NULL);
      if (g_file_test (from, G_FILE_TEST_IS_DIR))
        {
          qt_test_copy_dir (from, to);
          continue;
        }
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (from, &data, &len, NULL));
      g_assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
    }
}

void
qt_test_copy_golden (const char *tmp, char **data, char **plans)
{
  g_autofree char *golden_data = qt_test_source_path ("fixtures/golden/data");
  g_autofree char *golden_plans = qt_test_source_path ("fixtures/golden/plans");
  *data = g_build_filename (tmp, "data", NULL);
  *plans = g_build_filename (tmp, "plans", NULL);
  qt_test_copy_dir (golden_data, *data);
  qt_test_copy_dir (golden_plans, *plans);
}

char *
qt_test_read (const char *path)
{
  char *data = NULL;
  if (!g_file_get_contents (path, &data, NULL, NULL))
    return NULL;
  return data;
}

void
qt_test_write (const char *path, const char *content)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
}

char *
qt_test_source_path (const char *rel)
{
  return g_build_filename (QT_SOURCE_DIR, rel, NULL);
}

int
qt_test_run_env (char **out, char **err, const char *const *env, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) QT_BINARY);
  va_list ap;
  va_start (ap, env);
  const char *arg;
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) envp = g_get_environ ();
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

guint
qt_test_count_entries (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;
  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

QtPlanSet *
qt_test_plan_p (const char *dir, const char *commission, const char *extra)
{
  g_autofree char *text = g_strdup_printf (
      "{\"plan\": \"p\", \"version\": 1, \"effective_from\": \"2026-01-01\",\n"
      " \"currency\": \"CNY\", \"credit\": {\"eligible_status\": [\"paid\"]},\n"
      " \"commission\": %s%s}\n",
      commission, extra);
  g_autofree char *path = g_build_filename (dir, "p.json", NULL);
  qt_test_write (path, text);
  g_autoptr (GError) error = NULL;
  QtPlanSet *set = qt_plan_set_load_dir (dir, &error);
  g_assert_no_error (error);
  return set;
}

const QtPlanVersion *
qt_test_plan_p_version (const QtPlanSet *set)
{
  QtDay d = 0;
  g_assert_true (qt_date_parse ("2026-02-01", 10, &d));
  const QtPlanVersion *v = qt_plan_set_in_force (set, "p", d);
  g_assert_nonnull (v);
  return v;
}

void
qt_test_set_q (mpq_t v, const char *text)
{
  if (strchr (text, '/') != NULL)
    {
      g_assert_cmpint (mpq_set_str (v, text, 10), ==, 0);
      mpq_canonicalize (v);
      return;
    }
  g_assert_true (qt_decimal_parse (v, text, strlen (text), NULL));
}
