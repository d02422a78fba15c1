/* tests/support/test_support.h — helpers for cmocka tests: temporary
 * directories, files, and running the quotient binary. */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "../../model/dataset.h"
#include "../../model/money.h"
#include "../../rules/plan.h"

G_BEGIN_DECLS

/* A new empty temporary directory. (transfer full) */
char *qt_test_tmpdir (void);
/* Removes a tree. */
void qt_test_rmtree (const char *path);
/* Copies a directory tree (regular files and directories). */
void qt_test_copy_dir (const char *src, const char *dst);
/* Copies fixtures/golden/data and fixtures/golden/plans into `tmp`/data
 * and `tmp`/plans; *data and *plans receive those paths (transfer full). */
void qt_test_copy_golden (const char *tmp, char **data, char **plans);
/* A private place to run quotient: `tmp` (a new temporary directory)
 * holding data/ and plans/ (copies of fixtures/golden unless `golden` is
 * FALSE: then NULL) and an empty runs/, with `out` = runs/run. */
typedef struct {
  char *tmp, *data, *plans, *runs, *out;
} QtTestPlace;

QtTestPlace *qt_test_place_new (gboolean golden);
/* Removes the directory and frees the place. */
void qt_test_place_free (QtTestPlace *p);
/* The private PostgreSQL's connection string (QT_PG_CONNINFO, set by
 * tests/pg/with_postgres.sh; fails the test when unset: never skipped). */
const char *qt_test_pg_conninfo (void);
/* A new, empty database `name` on it (dropped first if there), with the
 * schema when `init` (quotient db init); its connection string.
 * (transfer full) */
char *qt_test_pg_database (const char *name, gboolean init);
/* The first column of the first row `sql` gives on `conninfo` ("(none)"
 * for no row); fails the test on an error.  (transfer full) */
char *qt_test_pg_scalar (const char *conninfo, const char *sql);
/* Runs `sql` on `conninfo`; fails the test on an error. */
void qt_test_pg_exec (const char *conninfo, const char *sql);

/* cmocka setup and teardown of a place: golden data (..._golden) or none. */
int qt_test_place_setup_golden (void **state);
int qt_test_place_setup_empty (void **state);
int qt_test_place_teardown (void **state);

/* Reads a whole file, NULL when missing. (transfer full) */
char *qt_test_read (const char *path);
/* Writes a whole file (aborts the test on failure). */
void qt_test_write (const char *path, const char *content);
/* A path below the source tree, e.g. "fixtures/golden/data". (transfer full) */
char *qt_test_source_path (const char *rel);

/* Runs argv (NULL-terminated; argv[0] is looked up in PATH unless it holds
 * a '/') with changes to the test's environment (NULL-terminated, may be
 * NULL): "K=V" sets K, a bare "K" removes it.  Returns the exit code and
 * fills *out / *err (transfer full). */
int qt_test_spawn (char **out, char **err, const char *const *env, const char *const *argv);
/* qt_test_spawn of the quotient binary with the given arguments
 * (NULL-terminated). */
int qt_test_run_env (char **out, char **err, const char *const *env, ...) G_GNUC_NULL_TERMINATED;
#define qt_test_run(out, err, ...) qt_test_run_env (out, err, NULL, __VA_ARGS__)

/* Number of entries in a directory (0 when missing). */
guint qt_test_count_entries (const char *dir);

/* Writes `dir`/p.json holding plan "p" version 1 from 2026-01-01 with
 * eligible status "paid", the commission section `commission` (a JSON
 * object) and `extra` members appended (e.g. ", \"score\": {...}"; may be
 * ""), and loads the directory (aborts on an error). (transfer full) */
QtPlanSet *qt_test_plan_p (const char *dir, const char *commission, const char *extra);
/* Plan "p" in force on 2026-02-01. (transfer none) */
const QtPlanVersion *qt_test_plan_p_version (const QtPlanSet *set);
/* Writes a data set into `dir` (created when missing): every file of
 * SPEC §2 with its header line, then for each pair of `rows` (file name,
 * data rows without the header; a NULL-terminated list of pairs) those
 * rows; loads it with the CSV loader (aborts on an error).  A file named in
 * `rows` with NULL rows is left out (splits.csv, adjustments.csv).
 * (transfer full) */
QtDataset *qt_test_dataset (const char *dir, const char *const *rows);

/* Asserts that the exact value v prints (SPEC §12.10 form) as `expected`,
 * naming the expression when it does not (cmocka must be included first). */
#define assert_q(v, expected)                                    \
  do                                                             \
    {                                                            \
      g_autofree char *got_ = qt_exact_format (v);               \
      if (strcmp (got_, (expected)) != 0)                        \
        fail_msg ("%s = %s, expected %s", #v, got_, (expected)); \
    }                                                            \
  while (0)

/* Sets v from a decimal ("-12.5") or an exact fraction ("3001/3"). */
void qt_test_set_q (mpq_t v, const char *text);

/* The names in a directory, sorted bytewise, joined by '\n', a
 * directory's name followed by '/' ("a.csv\nstatements/"); fails the test
 * when the directory cannot be read.  (transfer full) */
char *qt_test_listing (const char *dir);
/* Fails the test unless the file `got` holds exactly the bytes of the file
 * `want`; the message names both files and the first line that differs. */
void qt_test_assert_same_file (const char *got, const char *want);
/* Fails the test unless the directory `got`/`rel` holds the same names as
 * `want`/`rel` (no file missing, none extra), recursively, and every file
 * is byte-identical (qt_test_assert_same_file).  `rel` may be ".". */
void qt_test_assert_same_tree (const char *got, const char *want, const char *rel);

G_END_DECLS
