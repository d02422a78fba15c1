/* reports/statement_revision.h — the revision section of a revised
 * statement (SPEC §8.1 rule 5): the revision's number, the appeals it
 * applied, and each of the rep's figures that changed with its old and new
 * value.  Appended to the statement of every rep whose payout, score or
 * credit lines changed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *file;        /* "payout.csv", "scores.csv" or "credits.csv" */
  const char *column;
  const char *old_value;
  const char *new_value;
} QtStatementChange;

typedef struct {
  guint number;                  /* the revision, >= 1 */
  const char *const *appeals;    /* the appeals it applied, in id order */
} QtStatementRevision;

/* Adds `"revision": {...}` as the last member of a statement's JSON text
 * (which ends in "}\n"). */
void qt_statement_revision_json (GString *json, const QtStatementRevision *rev,
                                 const QtStatementChange *changes, guint n);

/* Appends the revision section to a statement's text. */
void qt_statement_revision_text (GString *text, const QtStatementRevision *rev,
                                 const QtStatementChange *changes, guint n);

G_END_DECLS
