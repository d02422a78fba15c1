/* tests/support/test_support.h — helpers for cmocka tests: temporary
 * directories, files, and running the quotient binary. */
#pragma once

#include <glib.h>
#include <gmp.h>

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
/* Reads a whole file, NULL when missing. (transfer full) */
char *qt_test_read (const char *path);
/* Writes a whole file (aborts the test on failure). */
void qt_test_write (const char *path, const char *content);
/* A path below the source tree, e.g. "fixtures/golden/data". (transfer full) */
char *qt_test_source_path (const char *rel);

/* Runs the quotient binary with the given arguments (NULL-terminated) and
 * extra environment assignments (NULL-terminated "K=V", may be NULL);
 * returns the exit code and fills *out / *err (transfer full). */
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
/* Sets v from a decimal ("-12.5") or an exact fraction ("3001/3"). */
void qt_test_set_q (mpq_t v, const char *text);

G_END_DECLS
