/* loaders/table_stream.c — reading and splitting the data set's files ahead
 * of the loader (see table_stream.h). */
#include "table_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../calc/amount.h"
#include "../model/intern.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"

/* ---- a source: the files read and split in place ---- */

/* One table opened: its reader over its bytes. */
typedef struct {
  QtCsvReader *reader;    /* NULL when the file is absent */
  GBytes *bytes;          /* its content (a reference the reader reads) */
} OpenTable;

typedef struct {
  const char *dir;
  const QtTableFile *tables;
  guint n_tables;
  guint next_table;       /* index of the table the next open reads */
  OpenTable cur;          /* the table being split */
} Source;

/* Page-aligned copies of the files: the run directory can then write its
 * input snapshot with direct I/O (reports/run_dir.c), without the page
 * cache's per-page cost.  Reads a regular file into such a buffer, or
 * returns NULL (any failure: the caller then reads it the usual way). */
#define QT_FILE_ALIGN 4096

static GBytes *
read_aligned (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0)
    return NULL;
  char *buf = NULL;
  gsize len = 0;
  gboolean ok = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0
                && posix_memalign ((void **) &buf, QT_FILE_ALIGN, (gsize) st.st_size + 1) == 0;
  while (ok && len < (gsize) st.st_size)
    {
      gssize n = read (fd, buf + len, (gsize) st.st_size - len);
      if (n < 0 && errno == EINTR)
        continue;
      ok = n > 0;
      len += ok ? (gsize) n : 0;
    }
  /* A file that grew while read is left to the usual reader. */
  char extra;
  ok = ok && read (fd, &extra, 1) == 0;
  close (fd);
  if (!ok)
    {
      free (buf);
      return NULL;
    }
  buf[len] = '\0';
  return g_bytes_new_with_free_func (buf, len, free, buf);
}

/* Reads one file whole.  NULL without error for an absent optional file. */
static GBytes *
read_file (const char *path, gboolean optional, GError **error)
{
  GBytes *aligned = read_aligned (path);
  if (aligned != NULL)
    return aligned;
  char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (g_file_get_contents (path, &data, &len, &local))
    return g_bytes_new_take (data, len);
  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      if (!optional)
        g_set_error (error, QT_ERROR, QT_ERROR_IO,
                     "%s:1:1: cannot read file: this required file of the data set is missing", path);
      return NULL;
    }
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot read file: %s", path, local->message);
  return NULL;
}

static void
open_table_clear (OpenTable *t)
{
  g_clear_pointer (&t->reader, qt_csv_reader_free);
  g_clear_pointer (&t->bytes, g_bytes_unref);
}

/* Reads table `i` into *t: its bytes, their SHA-256, its UTF-8 and header
 * checked (see qt_table_stream_open). */
static gboolean
open_table (const Source *src, guint i, OpenTable *t, GBytes **bytes, char **sha256,
            guint *n_lines, int *idx, GError **error)
{
  const QtTableFile *f = &src->tables[i];
  g_autofree char *path = g_build_filename (src->dir, f->file, NULL);
  g_autoptr (GError) local = NULL;
  *bytes = NULL;
  *sha256 = NULL;
  *n_lines = 0;
  t->bytes = read_file (path, f->optional, &local);
  if (t->bytes == NULL)
    {
      if (local == NULL) /* an absent optional file: no records */
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  gsize len;
  const char *data = g_bytes_get_data (t->bytes, &len);
  t->reader = qt_csv_reader_new (path, data ? data : "", len, error);
  if (t->reader == NULL || !qt_csv_reader_read_header (t->reader, f->cols, f->n_cols, idx, error))
    return FALSE;
  *bytes = g_bytes_ref (t->bytes);
  *sha256 = qt_sha256_hex_bytes (t->bytes);
  *n_lines = MIN (qt_csv_count_newlines (data, data + len), G_MAXUINT / 2) + 1;
  return TRUE;
}

static gboolean
source_open (Source *src, GBytes **bytes, char **sha256, guint *n_lines, int *idx,
             GError **error)
{
  g_return_val_if_fail (src->next_table < src->n_tables, FALSE);
  open_table_clear (&src->cur);
  return open_table (src, src->next_table++, &src->cur, bytes, sha256, n_lines, idx, error);
}

static gboolean
source_next (Source *src, QtCsvRecord *rec, GError **error)
{
  return src->cur.reader != NULL && qt_csv_reader_next (src->cur.reader, rec, error);
}

/* ---- messages from the thread to the loader ---- */

/* Records per chunk, and chunks in flight: the thread runs at most this
 * far ahead, a few MB. */
#define CHUNK_RECORDS 1024
#define CHUNKS 48

typedef enum { MSG_OPEN, MSG_RECORDS, MSG_STOP } MsgKind;

typedef struct {
  MsgKind kind;
  /* MSG_OPEN: the result of source_open */
  gboolean ok;
  GBytes *bytes;
  char *sha256;
  guint n_lines;
  int idx[16];
  gsize n_idx;
  /* MSG_RECORDS: n records, then the table's end when `end` */
  guint n;
  gboolean end;
  GError *error;          /* OPEN failure, or why the records ended early */
  guint line[CHUNK_RECORDS];
  guint nfields[CHUNK_RECORDS];
  guint first[CHUNK_RECORDS]; /* index of the record's first field */
  gsize *offs, *lens;     /* per field: offset in text, length */
  guint n_fields, cap_fields;
  QtTypedField *typed;    /* per record, QT_TABLE_MAX_COLS required fields */
  guint8 *typed_ok;       /* whether typed[] holds the field's value */
  char *text;             /* the fields, each followed by a NUL */
  gsize text_len, text_cap;
} Msg;

static Msg stop_msg = { .kind = MSG_STOP };

static Msg *
msg_new (MsgKind kind)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = kind;
  if (kind == MSG_RECORDS)
    {
    }
  return m;
}

static void
msg_free (Msg *m)
{
  if (m == NULL || m == &stop_msg)
    return;
  g_clear_pointer (&m->bytes, g_bytes_unref);
  g_free (m->sha256);
  g_clear_error (&m->error);
  g_free (m->offs);
  g_free (m->lens);
  g_free (m->text);
  g_free (m->typed);
  g_free (m->typed_ok);
  g_free (m);
}

static void
msg_reset (Msg *m)
{
  m->n = 0;
  m->end = FALSE;
  g_clear_error (&m->error);
  m->n_fields = 0;
  m->text_len = 0;
  if (m->typed_ok != NULL)
    memset (m->typed_ok, 0, CHUNK_RECORDS * QT_TABLE_MAX_COLS);
}

/* Parses the record's decimal and date fields ahead of the loader. */
static void
msg_type (Msg *m, const QtCsvRecord *rec, const QtTableFile *t, const int *idx)
{
  if (m->typed == NULL)
    {
      m->typed = g_new (QtTypedField, CHUNK_RECORDS * QT_TABLE_MAX_COLS);
      m->typed_ok = g_new0 (guint8, CHUNK_RECORDS * QT_TABLE_MAX_COLS);
    }
  gsize base = (gsize) m->n * QT_TABLE_MAX_COLS;
  for (guint c = 0; c < t->n_cols; c++)
    {
      const char *f = rec->fields[idx[c]];
      gsize len = rec->lens[idx[c]];
      QtTypedField *out = &m->typed[base + c];
      if (t->kinds[c] == QT_FIELD_DECIMAL)
        m->typed_ok[base + c] = qt_num_parse_short (f, len, &out->num);
      else if (t->kinds[c] == QT_FIELD_DATE)
        m->typed_ok[base + c] = qt_date_parse (f, len, &out->day);
      else if (t->kinds[c] == QT_FIELD_ID && len > 0)
        {
          out->hash = qt_intern_hash (f, len);
          m->typed_ok[base + c] = TRUE;
        }
    }
}

/* Appends one record's fields (with their NULs) to the chunk. */
static void
msg_add (Msg *m, const QtCsvRecord *rec)
{
  gsize need = 0;
  for (guint i = 0; i < rec->nfields; i++)
    need += rec->lens[i] + 1;
  if (m->text_len + need > m->text_cap)
    {
      m->text_cap = MAX (MAX (m->text_cap * 2, 1u << 16), m->text_len + need);
      m->text = g_realloc (m->text, m->text_cap);
    }
  if (m->n_fields + rec->nfields > m->cap_fields)
    {
      m->cap_fields = MAX (MAX (m->cap_fields * 2, 8u * CHUNK_RECORDS), m->n_fields + rec->nfields);
      m->offs = g_renew (gsize, m->offs, m->cap_fields);
      m->lens = g_renew (gsize, m->lens, m->cap_fields);
    }
  m->line[m->n] = rec->line;
  m->nfields[m->n] = rec->nfields;
  m->first[m->n] = m->n_fields;
  for (guint i = 0; i < rec->nfields; i++)
    {
      memcpy (m->text + m->text_len, rec->fields[i], rec->lens[i] + 1);
      m->offs[m->n_fields] = m->text_len;
      m->lens[m->n_fields++] = rec->lens[i];
      m->text_len += rec->lens[i] + 1;
    }
  m->n++;
}

struct QtTableStream {
  Source src;
  GThread *thread;        /* NULL: everything happens in the caller */
  GAsyncQueue *full;      /* Msg*: thread → loader, in order */
  GAsyncQueue *empty;     /* Msg* (MSG_RECORDS) to fill: loader → thread */
  gint stop;              /* atomic: the loader wants no more */
  Msg *cur;               /* chunk being served */
  guint cursor;           /* next record of cur */
  char **ptrs;            /* fields of the record served */
  guint cap_ptrs;
  QtRecordPrefetch prefetch;
  gpointer prefetch_data;
  /* The thread's next table, read while the loader had enough records. */
  Msg *ahead_msg;         /* its MSG_OPEN, or NULL */
  OpenTable ahead;
  const QtTableFile *producing; /* the thread's current table, and its */
  int producing_idx[16];        /* required columns' field indexes */
  gboolean producing_typed;     /* any decimal or date column */
};

void
qt_table_stream_set_prefetch (QtTableStream *s, QtRecordPrefetch hook, gpointer data)
{
  s->prefetch = hook;
  s->prefetch_data = data;
}

/* Record k of a chunk, its field pointers in s->ptrs. */
static void
record_at (QtTableStream *s, const Msg *m, guint k, QtCsvRecord *rec)
{
  guint first = m->first[k], n = m->nfields[k];
  if (n > s->cap_ptrs)
    {
      s->cap_ptrs = MAX (n, 2 * s->cap_ptrs);
      s->ptrs = g_renew (char *, s->ptrs, s->cap_ptrs);
    }
  for (guint i = 0; i < n; i++)
    s->ptrs[i] = m->text + m->offs[first + i];
  rec->line = m->line[k];
  rec->nfields = n;
  rec->fields = s->ptrs;
  rec->lens = m->lens + first;
}

struct QtRecordAhead {
  const QtTypedField *typed;  /* QT_TABLE_MAX_COLS of them */
  const guint8 *ok;
};

const QtTypedField *
qt_record_ahead_typed (const QtRecordAhead *rec, guint col)
{
  return col < QT_TABLE_MAX_COLS && rec->ok[col] ? &rec->typed[col] : NULL;
}

static void
prefetch_chunk (QtTableStream *s, const Msg *m)
{
  if (m->typed_ok == NULL)
    return;
  for (int stage = 0; stage < 2; stage++)
    for (guint k = 0; k < m->n; k++)
      {
        QtRecordAhead rec = { &m->typed[(gsize) k * QT_TABLE_MAX_COLS],
                              &m->typed_ok[(gsize) k * QT_TABLE_MAX_COLS] };
        s->prefetch (s->prefetch_data, &rec, stage);
      }
}

/* Reads the table after the current one, if not done yet: the thread does
 * this while the loader is busy with records already split, so the loader
 * never waits for a whole file to be read, hashed and checked. */
static void
read_ahead (QtTableStream *s)
{
  Source *src = &s->src;
  if (s->ahead_msg != NULL || src->next_table >= src->n_tables)
    return;
  Msg *open = msg_new (MSG_OPEN);
  open->n_idx = src->tables[src->next_table].n_cols;
  open->ok = open_table (src, src->next_table, &s->ahead, &open->bytes, &open->sha256,
                         &open->n_lines, open->idx, &open->error);
  s->ahead_msg = open;
}

/* Fills chunks with the records of one opened table; FALSE when the
 * thread should stop (asked to, or the table ended in an error). */
static gboolean
produce_records (QtTableStream *s)
{
  for (;;)
    {
      Msg *m = g_async_queue_try_pop (s->empty);
      if (m == NULL) /* the loader has enough: read the next file meanwhile */
        {
          read_ahead (s);
          m = g_async_queue_pop (s->empty);
        }
      if (m == &stop_msg || g_atomic_int_get (&s->stop))
        {
          if (m != &stop_msg)
            g_async_queue_push (s->empty, m);
          return FALSE;
        }
      msg_reset (m);
      QtCsvRecord rec;
      while (m->n < CHUNK_RECORDS && !m->end)
        {
          if (source_next (&s->src, &rec, &m->error))
            {
              if (s->producing_typed)
                msg_type (m, &rec, s->producing, s->producing_idx);
              msg_add (m, &rec);
            }
          else
            m->end = TRUE;
        }
      gboolean end = m->end, failed = m->error != NULL;
      g_async_queue_push (s->full, m);
      if (end)
        return !failed;
    }
}

/* The thread: every table in turn, as far as the loader will want it. */
static gpointer
produce (gpointer data)
{
  QtTableStream *s = data;
  while (s->src.next_table < s->src.n_tables && !g_atomic_int_get (&s->stop))
    {
      read_ahead (s);
      Msg *open = g_steal_pointer (&s->ahead_msg);
      open_table_clear (&s->src.cur);
      s->src.cur = s->ahead;
      s->ahead = (OpenTable) { NULL, NULL };
      s->producing = &s->src.tables[s->src.next_table];
      memcpy (s->producing_idx, open->idx, sizeof open->idx);
      s->producing_typed = FALSE;
      for (guint c = 0; c < s->producing->n_cols; c++)
        s->producing_typed |= s->producing->kinds[c] != QT_FIELD_TEXT;
      s->src.next_table++;
      gboolean ok = open->ok;
      g_async_queue_push (s->full, open); /* the loader's now: not touched again */
      if (!ok || !produce_records (s))
        break;
    }
  open_table_clear (&s->src.cur);
  msg_free (g_steal_pointer (&s->ahead_msg));
  open_table_clear (&s->ahead);
  return NULL;
}

QtTableStream *
qt_table_stream_new (const char *dir, const QtTableFile *tables, guint n, gboolean threaded)
{
  QtTableStream *s = g_new0 (QtTableStream, 1);
  s->src = (Source) { .dir = dir, .tables = tables, .n_tables = n };
  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (tables[i].n_cols <= QT_TABLE_MAX_COLS, s);
  if (!threaded)
    return s;
  s->full = g_async_queue_new ();
  s->empty = g_async_queue_new ();
  for (guint i = 0; i < CHUNKS; i++)
    g_async_queue_push (s->empty, msg_new (MSG_RECORDS));
  g_autoptr (GError) error = NULL;
  s->thread = g_thread_try_new ("qt-tables", produce, s, &error);
  return s; /* no thread to be had: the calls below work in place */
}

static void
drain (GAsyncQueue *q)
{
  Msg *m;
  while ((m = g_async_queue_try_pop (q)) != NULL)
    msg_free (m);
  g_async_queue_unref (q);
}

void
qt_table_stream_free (QtTableStream *s)
{
  if (s == NULL)
    return;
  if (s->thread != NULL)
    {
      g_atomic_int_set (&s->stop, 1);
      g_async_queue_push (s->empty, &stop_msg); /* wakes a thread waiting for a chunk */
      g_thread_join (s->thread);
    }
  msg_free (s->cur);
  if (s->full != NULL)
    drain (s->full);
  if (s->empty != NULL)
    drain (s->empty);
  open_table_clear (&s->src.cur);
  g_free (s->ptrs);
  g_free (s);
}

gboolean
qt_table_stream_open (QtTableStream *s, GBytes **bytes, char **sha256, guint *n_lines, int *idx,
                      GError **error)
{
  if (s->thread == NULL)
    return source_open (&s->src, bytes, sha256, n_lines, idx, error);
  if (s->cur != NULL) /* the previous table's last chunk */
    {
      g_async_queue_push (s->empty, s->cur);
      s->cur = NULL;
    }
  Msg *m;
  /* Records of the previous table not asked for (an absent file's empty
   * end) go back unread. */
  while ((m = g_async_queue_pop (s->full))->kind == MSG_RECORDS)
    g_async_queue_push (s->empty, m);
  g_assert (m->kind == MSG_OPEN);
  gboolean ok = m->ok;
  *bytes = g_steal_pointer (&m->bytes);
  *sha256 = g_steal_pointer (&m->sha256);
  *n_lines = m->n_lines;
  memcpy (idx, m->idx, sizeof (int) * m->n_idx);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&m->error));
  msg_free (m);
  return ok;
}

const QtTypedField *
qt_table_stream_typed (const QtTableStream *s, guint col)
{
  if (s == NULL || s->thread == NULL || s->cur == NULL || s->cur->typed_ok == NULL || s->cursor == 0
      || col >= QT_TABLE_MAX_COLS)
    return NULL;
  gsize k = (gsize) (s->cursor - 1) * QT_TABLE_MAX_COLS + col;
  return s->cur->typed_ok[k] ? &s->cur->typed[k] : NULL;
}

gboolean
qt_table_stream_next (QtTableStream *s, QtCsvRecord *rec, GError **error)
{
  if (s->thread == NULL)
    return source_next (&s->src, rec, error);
  while (s->cur == NULL || s->cursor == s->cur->n)
    {
      if (s->cur != NULL && s->cur->end)
        {
          if (s->cur->error != NULL)
            g_propagate_error (error, g_error_copy (s->cur->error));
          return FALSE;
        }
      if (s->cur != NULL)
        g_async_queue_push (s->empty, s->cur);
      s->cur = g_async_queue_pop (s->full);
      g_assert (s->cur->kind == MSG_RECORDS);
      s->cursor = 0;
      if (s->prefetch != NULL)
        prefetch_chunk (s, s->cur);
    }
  record_at (s, s->cur, s->cursor++, rec);
  return TRUE;
}
