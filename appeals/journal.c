/* appeals/journal.c — the hash-chained journal (see journal.h). */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "../run/run_dir.h"

/* A journal larger than this is refused rather than read whole. */
#define JOURNAL_MAX ((gsize) 1 << 30)

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void
entry_free (gpointer p)
{
  QtJournalEntry *e = p;
  qt_json_doc_free (e->doc);
  g_free (e);
}

void
qt_journal_free (QtJournal *journal)
{
  if (journal == NULL)
    return;
  g_ptr_array_unref (journal->entries);
  g_free (journal);
}

static QtJournal *
journal_new (void)
{
  QtJournal *j = g_new0 (QtJournal, 1);
  j->entries = g_ptr_array_new_with_free_func (entry_free);
  return j;
}

const char *
qt_journal_head (const QtJournal *journal)
{
  guint n = journal->entries->len;
  return n == 0 ? zeros : ((QtJournalEntry *) g_ptr_array_index (journal->entries, n - 1))->sha256;
}

const QtInstant *
qt_journal_last_instant (const QtJournal *journal)
{
  guint n = journal->entries->len;
  return n == 0 ? NULL : &((QtJournalEntry *) g_ptr_array_index (journal->entries, n - 1))->instant;
}

static gboolean
line_error (GError **error, const char *run_dir, guint line, const char *why)
{
  g_set_error (error, QT_ERROR, QT_ERROR_MISMATCH, "%s/%s:%u: %s", run_dir, QT_JOURNAL_FILE, line,
               why);
  return FALSE;
}

static gboolean
is_sha256 (const char *s)
{
  gsize n = 0;
  for (; s != NULL && g_ascii_isxdigit (s[n]) && !g_ascii_isupper (s[n]); n++)
    ;
  return n == 64 && s[n] == '\0';
}

/* An entry for the text of one line (strict JSON), or NULL.  In a rep's
 * `view`, a line with "redacted" stands for a line of that hash. */
static QtJournalEntry *
entry_parse (const char *text, gsize len, gboolean view)
{
  QtJsonDoc *doc = qt_json_doc_parse (text, len, NULL);
  if (doc == NULL || !cJSON_IsObject (doc->root))
    {
      qt_json_doc_free (doc);
      return NULL;
    }
  QtJournalEntry *e = g_new0 (QtJournalEntry, 1);
  e->doc = doc;
  e->json = doc->root;
  e->at = qt_json_string_member (e->json, "at");
  e->event = qt_json_string_member (e->json, "event");
  const char *redacted = view ? qt_json_string_member (e->json, "redacted") : NULL;
  if (redacted != NULL && is_sha256 (redacted))
    {
      e->redacted = TRUE;
      memcpy (e->sha256, redacted, 65);
      return e;
    }
  g_autofree char *sha = qt_sha256_hex (text, len);
  memcpy (e->sha256, sha, 65);
  return e;
}

/* Line k (1-based) of `len` bytes, checked against the chain so far. */
static gboolean
parse_line (QtJournal *j, const char *run_dir, guint k, const char *text, gsize len,
            gboolean view, GError **error)
{
  g_autofree char *why = NULL;
  QtJournalEntry *e = entry_parse (text, len, view);
  if (e == NULL)
    return line_error (error, run_dir, k, "not a JSON object");
  g_autofree char *want_prev = g_strdup (qt_journal_head (j));
  g_ptr_array_add (j->entries, e);
  gint64 seq;
  const char *prev = qt_json_string_member (e->json, "prev");
  if (!qt_json_doc_integer (e->doc, "seq", &seq) || seq != (gint64) k)
    why = g_strdup_printf ("seq is not %u", k);
  else if (g_strcmp0 (prev, want_prev) != 0)
    why = g_strdup_printf ("prev does not match the SHA-256 of %s",
                           k == 1 ? "nothing (64 zeros)" : "the line before");
  else if (e->at == NULL || !qt_timestamp_parse (e->at, &e->instant))
    why = g_strdup ("at is not a timestamp with an offset");
  else if (e->event == NULL)
    why = g_strdup ("event is missing");
  if (why != NULL)
    return line_error (error, run_dir, k, why);
  e->seq = k;
  return TRUE;
}

static QtJournal *
journal_parse (const char *run_dir, GBytes *bytes, gboolean allow_torn, gboolean view,
               GError **error)
{
  g_autoptr (QtJournal) j = journal_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gsize at = 0;
  for (guint k = 1; at < len; k++)
    {
      const char *nl = memchr (data + at, '\n', len - at);
      if (nl == NULL)
        {
          if (allow_torn)
            {
              j->torn = TRUE;
              break;
            }
          line_error (error, run_dir, k, "incomplete last line (no newline: an append was cut short)");
          return NULL;
        }
      if (!parse_line (j, run_dir, k, data + at, (gsize) (nl - (data + at)), view, error))
        return NULL;
      at = (gsize) (nl - data) + 1;
      j->intact_bytes = at;
    }
  return g_steal_pointer (&j);
}

QtJournal *
qt_journal_parse (const char *run_dir, GBytes *bytes, gboolean allow_torn, GError **error)
{
  return journal_parse (run_dir, bytes, allow_torn, FALSE, error);
}

static QtJournal *
journal_read (const char *run_dir, gboolean allow_torn, gboolean view, GError **error)
{
  g_autofree char *path = g_build_filename (run_dir, QT_JOURNAL_FILE, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return journal_new ();
  g_autoptr (GBytes) bytes = qt_run_read_file (run_dir, QT_JOURNAL_FILE, JOURNAL_MAX, error);
  if (bytes == NULL)
    return NULL;
  return journal_parse (run_dir, bytes, allow_torn, view, error);
}

QtJournal *
qt_journal_read (const char *run_dir, gboolean allow_torn, GError **error)
{
  return journal_read (run_dir, allow_torn, FALSE, error);
}

QtJournal *
qt_journal_read_view (const char *run_dir, GError **error)
{
  return journal_read (run_dir, FALSE, TRUE, error);
}

char *
qt_journal_add (QtJournal *journal, const char *at, const char *event, cJSON *data)
{
  cJSON *o = cJSON_CreateObject ();
  cJSON_AddItemToObject (o, "seq", qt_json_integer_new (journal->entries->len + 1));
  cJSON_AddStringToObject (o, "at", at);
  cJSON_AddStringToObject (o, "event", event);
  cJSON_AddStringToObject (o, "prev", qt_journal_head (journal));
  while (data != NULL && data->child != NULL)
    {
      cJSON *m = cJSON_DetachItemViaPointer (data, data->child);
      cJSON_AddItemToObject (o, m->string, cJSON_Duplicate (m, TRUE));
      cJSON_Delete (m);
    }
  cJSON_Delete (data);
  char *text = cJSON_PrintUnformatted (o);
  cJSON_Delete (o);
  /* Read back as a reader of the file will: the entry is the line. */
  QtJournalEntry *e = entry_parse (text, strlen (text), FALSE);
  g_assert (e != NULL);
  e->seq = journal->entries->len + 1;
  if (!qt_timestamp_parse (at, &e->instant))
    g_critical ("journal entry at a malformed time '%s'", at);
  g_ptr_array_add (journal->entries, e);
  char *line = g_strconcat (text, "\n", NULL);
  cJSON_free (text);
  return line;
}

static gboolean
io_error (GError **error, const char *path, const char *what)
{
  int err = errno;
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot %s: %s", path, what, g_strerror (err));
  return FALSE;
}

gboolean
qt_journal_write (const char *run_dir, const QtJournal *journal, const char *lines,
                  GError **error)
{
  g_autofree char *path = g_build_filename (run_dir, QT_JOURNAL_FILE, NULL);
  gboolean is_new = !g_file_test (path, G_FILE_TEST_EXISTS);
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0)
    return io_error (error, path, "open the journal");
  gboolean ok = (!journal->torn || ftruncate (fd, (off_t) journal->intact_bytes) == 0)
                && lseek (fd, 0, SEEK_END) >= 0 && qt_run_write_all (fd, lines, strlen (lines))
                && fsync (fd) == 0;
  if (!ok)
    io_error (error, path, "append to the journal");
  close (fd);
  if (ok && is_new && !qt_run_sync_dir (run_dir))
    return io_error (error, run_dir, "sync the run directory");
  return ok;
}

