/* tests/support/test_support.c — helpers shared by the test programs. */
#include "test_support.h"

#include "run/pg_schema.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../../loaders/dataset_loader.h"
#include "../../model/money.h"
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
qt_test_spawn (char **out, char **err, const char *const *env, const char *const *argv)
{
  g_auto (GStrv) envp = g_get_environ ();
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
      envp = kv[1] != NULL ? g_environ_setenv (envp, kv[0], kv[1], TRUE)
                           : g_environ_unsetenv (envp, kv[0]);
    }
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
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
  return qt_test_spawn (out, err, env, (const char *const *) argv->pdata);
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

static const char *const dataset_headers[][2] = {
  { "reps.csv", "rep_id,name,team_id,manager_id,plan_id\n" },
  { "customers.csv", "customer_id,name\n" },
  { "products.csv", "product_id,name,category\n" },
  { "orders.csv", "order_id,customer_id,rep_id,signed_on,status\n" },
  { "order_lines.csv", "order_id,line_no,product_id,quantity,unit_price,unit_cost\n" },
  { "splits.csv", "order_id,rep_id,share\n" },
  { "receipts.csv", "receipt_id,order_id,received_on,amount\n" },
  { "activities.csv", "rep_id,period,metric,value\n" },
  { "quotas.csv", "rep_id,period,quota\n" },
  { "adjustments.csv", "adjustment_id,rep_id,period,amount,reason\n" },
};

QtTestPlace *
qt_test_place_new (gboolean golden)
{
  QtTestPlace *p = g_new0 (QtTestPlace, 1);
  p->tmp = qt_test_tmpdir ();
  if (golden)
    qt_test_copy_golden (p->tmp, &p->data, &p->plans);
  p->runs = g_build_filename (p->tmp, "runs", NULL);
  p->out = g_build_filename (p->runs, "run", NULL);
  g_assert_cmpint (g_mkdir (p->runs, 0755), ==, 0);
  return p;
}

void
qt_test_place_free (QtTestPlace *p)
{
  if (p == NULL)
    return;
  qt_test_rmtree (p->tmp);
  g_free (p->tmp);
  g_free (p->data);
  g_free (p->plans);
  g_free (p->runs);
  g_free (p->out);
  g_free (p);
}

QtDataset *
qt_test_dataset (const char *dir, const char *const *rows)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dataset_headers); i++)
    {
      const char *name = dataset_headers[i][0];
      gboolean absent = FALSE;
      GString *text = g_string_new (dataset_headers[i][1]);
      for (guint k = 0; rows != NULL && rows[k] != NULL; k += 2)
        if (strcmp (rows[k], name) == 0)
          {
            if (rows[k + 1] == NULL)
              absent = TRUE;
            else
              g_string_append (text, rows[k + 1]);
          }
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!absent)
        qt_test_write (path, text->str);
      g_string_free (text, TRUE);
    }
  g_autoptr (GError) error = NULL;
  QtDataset *ds = qt_dataset_load_dir (dir, NULL, &error);
  g_assert_no_error (error);
  return ds;
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

/* The line of text[0..len) that starts at `start`, for a message: at most
 * 200 bytes, without its newline.  (transfer full) */
static char *
line_at (const char *text, gsize len, gsize start)
{
  gsize end = start;
  while (end < len && text[end] != '\n' && end - start < 200)
    end++;
  return g_strndup (text + start, end - start);
}

/* Where two byte strings first differ, as "line N: got '…', want '…'".
 * (transfer full) */
static char *
first_difference (const char *got, gsize got_len, const char *want, gsize want_len)
{
  gsize i = 0, line = 1, start = 0;
  while (i < got_len && i < want_len && got[i] == want[i])
    {
      if (got[i] == '\n')
        {
          line++;
          start = i + 1;
        }
      i++;
    }
  if (i == got_len && i == want_len)
    return NULL;
  g_autofree char *g = line_at (got, got_len, start);
  g_autofree char *w = line_at (want, want_len, start);
  return g_strdup_printf ("line %" G_GSIZE_FORMAT " (byte %" G_GSIZE_FORMAT "): got '%s'%s, want '%s'%s",
                          line, i, g, i == got_len ? " (end of file)" : "", w,
                          i == want_len ? " (end of file)" : "");
}

void
qt_test_assert_same_file (const char *got, const char *want)
{
  g_autofree char *g = NULL, *w = NULL;
  gsize g_len = 0, w_len = 0;
  if (!g_file_get_contents (want, &w, &w_len, NULL))
    fail_msg ("cannot read expected file %s", want);
  if (!g_file_get_contents (got, &g, &g_len, NULL))
    fail_msg ("missing output %s (expected %s)", got, want);
  g_autofree char *diff = first_difference (g, g_len, w, w_len);
  if (diff != NULL)
    fail_msg ("%s differs from %s: %s", got, want, diff);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char *
qt_test_listing (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    fail_msg ("cannot open directory %s", dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gboolean is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
      g_ptr_array_add (names, g_strconcat (name, is_dir ? "/" : "", NULL));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

/* The first name of listing `a` that is not in listing `b`, or NULL.
 * (transfer full) */
static char *
first_not_in (const char *a, const char *b)
{
  g_auto (GStrv) in_a = g_strsplit (a, "\n", -1);
  g_auto (GStrv) in_b = g_strsplit (b, "\n", -1);
  for (guint i = 0; in_a[i] != NULL; i++)
    if (in_a[i][0] != '\0' && !g_strv_contains ((const char *const *) in_b, in_a[i]))
      return g_strdup (in_a[i]);
  return NULL;
}

void
qt_test_assert_same_tree (const char *got, const char *want, const char *rel)
{
  g_autofree char *got_dir = g_build_filename (got, rel, NULL);
  g_autofree char *want_dir = g_build_filename (want, rel, NULL);
  g_autofree char *got_names = qt_test_listing (got_dir);
  g_autofree char *want_names = qt_test_listing (want_dir);
  g_autofree char *missing = first_not_in (want_names, got_names);
  g_autofree char *extra = first_not_in (got_names, want_names);
  if (missing != NULL)
    fail_msg ("%s lacks '%s' (expected as in %s)", got_dir, missing, want_dir);
  if (extra != NULL)
    fail_msg ("%s holds '%s', which %s does not", got_dir, extra, want_dir);
  g_auto (GStrv) names = g_strsplit (want_names, "\n", -1);
  for (guint i = 0; names[i] != NULL && names[i][0] != '\0'; i++)
    {
      gsize n = strlen (names[i]);
      if (names[i][n - 1] == '/')
        {
          g_autofree char *sub = g_strndup (names[i], n - 1);
          g_autofree char *child = g_build_filename (rel, sub, NULL);
          qt_test_assert_same_tree (got, want, child);
          continue;
        }
      g_autofree char *got_path = g_build_filename (got_dir, names[i], NULL);
      g_autofree char *want_path = g_build_filename (want_dir, names[i], NULL);
      qt_test_assert_same_file (got_path, want_path);
    }
}

int
qt_test_place_setup_golden (void **state)
{
  *state = qt_test_place_new (TRUE);
  return 0;
}

int
qt_test_place_setup_empty (void **state)
{
  *state = qt_test_place_new (FALSE);
  return 0;
}

int
qt_test_place_teardown (void **state)
{
  qt_test_place_free (*state);
  return 0;
}

const char *
qt_test_pg_conninfo (void)
{
  const char *c = g_getenv ("QT_PG_CONNINFO");
  if (c == NULL)
    g_error ("QT_PG_CONNINFO is not set: run the test under tests/pg/with_postgres.sh (ctest does)");
  return c;
}

char *
qt_test_pg_database (const char *name, gboolean init)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) admin = qt_pg_connect (qt_test_pg_conninfo (), &error);
  g_assert_no_error (error);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  PQclear (PQexec (admin, drop));
  PGresult *r = PQexec (admin, create);
  g_assert_cmpint (PQresultStatus (r), ==, PGRES_COMMAND_OK);
  PQclear (r);
  char *db = g_strdup_printf ("%s dbname=%s", qt_test_pg_conninfo (), name);
  if (init)
    g_assert_cmpint (qt_test_run (NULL, NULL, "db", "init", "--pg", db, NULL), ==, 0);
  return db;
}

char *
qt_test_pg_scalar (const char *conninfo, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (conninfo, &error);
  g_assert_no_error (error);
  g_autoptr (PGresult) r = PQexec (conn, sql);
  if (PQresultStatus (r) != PGRES_TUPLES_OK)
    fail_msg ("%s: %s", sql, PQresultErrorMessage (r));
  return PQntuples (r) == 0 ? g_strdup ("(none)") : g_strdup (PQgetvalue (r, 0, 0));
}

void
qt_test_pg_exec (const char *conninfo, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) conn = qt_pg_connect (conninfo, &error);
  g_assert_no_error (error);
  g_autoptr (PGresult) r = PQexec (conn, sql);
  if (PQresultStatus (r) != PGRES_COMMAND_OK && PQresultStatus (r) != PGRES_TUPLES_OK)
    fail_msg ("%s: %s", sql, PQresultErrorMessage (r));
}
