/* tests/support/test_support.h — helpers for cmocka tests: temporary
 * directories, files, and running the quotient binary. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty temporary directory. (transfer full) */
char *qt_test_tmpdir (void);
/* Removes a tree. */
void qt_test_rmtree (const char *path);
/* Copies a directory tree (regular files and directories). */
void qt_test_copy_dir (const char *src, const char *dst);
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

G_END_DECLS
