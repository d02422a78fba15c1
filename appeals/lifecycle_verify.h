/* appeals/lifecycle_verify.h — `quotient verify` of a run with a lifecycle
 * (SPEC §8.1 rules 6, 7): the journal's chain (and, given, its head), then
 * the current revision recomputed from the snapshot plus the overlays of
 * the appeals applied. */
#pragma once

#include <glib.h>

#include "../run/verify.h"

G_BEGIN_DECLS

/* As qt_verify_run; a broken journal, or one that does not end with
 * `head` (NULL: not checked), is QT_ERROR_MISMATCH naming its first bad
 * line, before anything is recomputed. */
gboolean qt_lifecycle_verify (const char *run_dir, const char *head, QtVerifyOptions *options,
                              QtVerifyReport *report, GError **error);

G_END_DECLS
