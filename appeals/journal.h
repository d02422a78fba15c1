/* appeals/journal.h — the hash-chained journal of a run's lifecycle (SPEC
 * §8.1 rule 7): RUN_DIR/journal.jsonl, one JSON object per line, each line
 * naming the SHA-256 of the one before; appended under the run's lock,
 * each append fsynced.
 *
 * A line is `{"seq":K,"at":"…","event":"…","prev":"…",…data}` in that member
 * order, printed by cJSON without spaces; a line is strict JSON (no
 * duplicate member, valid UTF-8: rules/json_pos.h). */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

#include "../model/timestamp.h"
#include "../rules/json_pos.h"
#include "../run/run_dir.h"

G_BEGIN_DECLS

#define QT_JOURNAL_FILE "journal.jsonl"

typedef struct {
  guint64 seq;
  const char *at;        /* as given (in json) */
  QtInstant instant;
  const char *event;     /* (in json) */
  char sha256[65];       /* of the line's bytes without its newline */
  gboolean redacted;     /* a rep's view: the line of another rep's appeal,
                            only its seq, at, event, appeal and hash */
  QtJsonDoc *doc;        /* the line parsed: integers are read from its text */
  const cJSON *json;     /* doc->root, the whole object */
} QtJournalEntry;

typedef struct {
  GPtrArray *entries;    /* QtJournalEntry*, seq 1, 2, … */
  gsize intact_bytes;    /* bytes of the complete lines */
  gboolean torn;         /* the file ends in a line without its newline */
} QtJournal;

/* Reads and checks RUN_DIR/journal.jsonl (absent: an empty journal).  The
 * first line that is not a JSON object with `seq` (its number), `at` (a
 * timestamp), `event` and `prev` (the SHA-256 of the line before, 64 zeros
 * for the first) fails with QT_ERROR_MISMATCH `RUN_DIR/journal.jsonl:K:
 * why` (an edit of line k shows at k + 1, where `prev` stops matching).
 * A last line without its newline (an append that was cut short) is such
 * a failure unless `allow_torn`: then it is left out and `torn` set (the
 * next append cuts it off).  (transfer full) */
QtJournal *qt_journal_read (const char *run_dir, gboolean allow_torn, GError **error);
void qt_journal_free (QtJournal *journal);

/* qt_journal_read of a rep's view of a stored run's journal
 * (run/pg_store.h): a line with a member "redacted" stands for a line of
 * someone else's appeal — its seq, at, event and appeal, its SHA-256 the
 * member's value — so that the chain still links.  The server checks the
 * lines a command appends against the real chain.  (transfer full) */
QtJournal *qt_journal_read_view (const char *run_dir, GError **error);

/* qt_journal_read of the file's bytes (`run_dir` names it in messages). */
QtJournal *qt_journal_parse (const char *run_dir, GBytes *bytes, gboolean allow_torn,
                             GError **error);

/* The SHA-256 of the last line, or 64 zeros when there is none.
 * (transfer none) */
const char *qt_journal_head (const QtJournal *journal);

/* The time of the last entry, or NULL. (transfer none) */
const QtInstant *qt_journal_last_instant (const QtJournal *journal);

/* Adds an entry (`event` at `at`, then the members of `data`, which is
 * consumed; NULL for none) to `journal` in memory and returns its line
 * with the newline.  Nothing is written. (transfer full) */
char *qt_journal_add (QtJournal *journal, const char *at, const char *event, cJSON *data);

/* Appends `lines` (the texts qt_journal_add returned, concatenated) to
 * RUN_DIR/journal.jsonl, cutting off a torn last line first, and fsyncs
 * the file (and the directory when the file is new).  The caller holds
 * the run's lock (qt_run_lock). */
gboolean qt_journal_write (const char *run_dir, const QtJournal *journal, const char *lines,
                           GError **error);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtJournal, qt_journal_free)

G_END_DECLS
