/* loaders/table_stream.c — reading and splitting the data set's files ahead
 * of the loader (see table_stream.h). */
#include "table_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/money.h"
#include "../model/qt_error.h"
#include "../model/sha256.h"
#include "file_stamp.h"

/* ---- a source: the files read and split in place ---- */

/* One table opened.  The file is read with read() into one buffer (sized
 * to the file, kept for the input snapshot: the snapshot is the bytes that
 * were hashed and parsed), a block at a time as its reader asks for bytes,
 * and the reader splits records as soon as their bytes are there: the
 * loader starts on a file's first records while the rest is still being
 * read, and each block is hashed, checked and split while it is in cache.
 * Its stamp, taken at open, is checked again once the whole file is read
 * (see file_stamp.h): a file written to meanwhile may have given a mix of
 * versions. */
typedef struct {
  QtCsvReader *reader;    /* NULL when the file is absent */
  char *path;
  int fd;                 /* -1 once the whole file is read */
  char *buf;              /* page-aligned, cap bytes */
  gsize cap, avail;       /* avail < cap: room for a final NUL */
  gsize size;             /* the file's size when opened (for sizing) */
  QtSha256 *sha;          /* of buf[0..avail) */
  QtFileStamp stamp;      /* when opened */
  gboolean regular;       /* a regular file: the stamp tells its versions apart */
} OpenTable;

typedef struct {
  const char *dir;
  const QtTableFile *tables;
  guint n_tables;
  guint next_table;       /* index of the table the next open reads */
  OpenTable cur;          /* the table being split */
} Source;

/* Page-aligned buffers: the run directory can then write the input
 * snapshot with direct I/O (reports/run_dir.c), without the page cache's
 * per-page cost. */
#define QT_FILE_ALIGN 4096
/* Bytes read at a time: a block is hashed, checked and split while it is
 * still in the core's cache. */
#define READ_BLOCK (512u << 10)

static char *
aligned_alloc_or_die (gsize size)
{
  void *p = NULL;
  if (posix_memalign (&p, QT_FILE_ALIGN, size) != 0)
    g_error ("quotient: out of memory reading a %" G_GSIZE_FORMAT "-byte file", size);
  return p;
}

static void
open_table_clear (OpenTable *t)
{
  g_clear_pointer (&t->reader, qt_csv_reader_free);
  if (t->path != NULL && t->fd >= 0)
    close (t->fd);
  g_clear_pointer (&t->path, g_free);
  t->fd = -1;
  free (t->buf);
  t->buf = NULL;
  t->cap = t->avail = t->size = 0;
  g_clear_pointer (&t->sha, qt_sha256_free);
}

static gboolean
read_failed (const OpenTable *t, int err, GError **error)
{
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot read file: %s", t->path,
               g_strerror (err));
  return FALSE;
}

/* Reads up to `want` bytes into the buffer at avail (hashing them): the
 * count, 0 at the end of the file, or -1 with errno. */
static gssize
read_more (OpenTable *t, char *into, gsize want)
{
  gssize n;
  do
    n = read (t->fd, into, want);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    qt_sha256_update (t->sha, into, (gsize) n);
  return n;
}

/* The whole file read: it must still be the version opened. */
static gboolean
table_read_whole (OpenTable *t, GError **error)
{
  QtFileStamp now;
  if (!qt_file_stamp_of_fd (t->fd, &now))
    return read_failed (t, errno, error);
  close (t->fd);
  t->fd = -1;
  return !t->regular || qt_file_stamp_equal (&now, &t->stamp)
         || qt_error_file_changed (t->path, error);
}

/* The reader's supplier (a QtCsvMore): one more block, or all the rest. */
static gboolean
table_more (gpointer data, gboolean all, const char **bytes, gsize *avail, gboolean *eof,
            GError **error)
{
  OpenTable *t = data;
  gsize got = 0;
  while (t->fd >= 0 && (all || got < READ_BLOCK))
    {
      gssize n;
      if (t->avail + 1 < t->cap)
        {
          gsize want = t->cap - 1 - t->avail;
          n = read_more (t, t->buf + t->avail, all ? want : MIN (want, READ_BLOCK - got));
        }
      else /* the buffer holds the file's size: at its end, unless it grew */
        {
          char extra;
          n = read_more (t, &extra, 1);
          if (n > 0)
            {
              gsize cap = MAX (2 * t->cap, (gsize) READ_BLOCK);
              char *buf = aligned_alloc_or_die (cap);
              memcpy (buf, t->buf, t->avail);
              free (t->buf);
              t->buf = buf;
              t->cap = cap;
              t->buf[t->avail] = extra;
            }
        }
      if (n < 0)
        return read_failed (t, errno, error);
      if (n == 0)
        {
          if (!table_read_whole (t, error))
            return FALSE;
          break;
        }
      t->avail += (gsize) n;
      got += (gsize) n;
    }
  t->buf[t->avail] = '\0';
  *bytes = t->buf;
  *avail = t->avail;
  *eof = t->fd < 0;
  return TRUE;
}

/* The lines of data[0..len) that end with LF and are not blank (nothing,
 * or only a CR, before the LF). */
static guint64
count_filled_lines (const char *data, gsize len)
{
  guint64 n = 0;
  const char *p = data, *end = data + len, *nl;
  while (p < end && (nl = memchr (p, '\n', (gsize) (end - p))) != NULL)
    {
      n += nl > p && !(nl == p + 1 && *p == '\r');
      p = nl + 1;
    }
  return n;
}

/* Opens table `i` into *t and reads its header (see qt_table_stream_open):
 * `present` is FALSE for an absent optional file. */
static gboolean
open_table (const Source *src, guint i, OpenTable *t, gboolean *present, guint *n_lines,
            int *idx, GError **error)
{
  const QtTableFile *f = &src->tables[i];
  *present = FALSE;
  *n_lines = 0;
  t->fd = -1;
  t->path = g_build_filename (src->dir, f->file, NULL);
  /* O_NONBLOCK: a FIFO must not block the open; only regular files are read. */
  t->fd = open (t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (t->fd < 0 && errno == ENOENT && lstat (t->path, &st) == 0)
    {
      /* Absent means no directory entry: a link to nothing is an error. */
      g_set_error (error, QT_ERROR, QT_ERROR_IO,
                   "%s:1:1: cannot read file: it is a symbolic link to a file that does not exist",
                   t->path);
      return FALSE;
    }
  if (t->fd < 0 && errno == ENOENT)
    {
      if (f->optional) /* an absent optional file: no records */
        return TRUE;
      g_set_error (error, QT_ERROR, QT_ERROR_IO,
                   "%s:1:1: cannot read file: this required file of the data set is missing", t->path);
      return FALSE;
    }
  if (t->fd < 0)
    return read_failed (t, errno, error);
  if (fstat (t->fd, &st) != 0)
    return read_failed (t, errno, error);
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO,
                   "%s:1:1: cannot read file: it is not a regular file (a directory, device or pipe)",
                   t->path);
      return FALSE;
    }
  qt_file_stamp_of_stat (&st, &t->stamp);
  t->regular = S_ISREG (st.st_mode);
  t->size = t->regular ? (gsize) st.st_size : 0;
  t->cap = t->size + 1;
  t->buf = aligned_alloc_or_die (t->cap);
  t->sha = qt_sha256_new ();
  *present = TRUE;
  t->reader = qt_csv_reader_new_stream (t->path, table_more, t);
  if (!qt_csv_reader_read_header (t->reader, f->cols, f->n_cols, idx, error))
    return FALSE;
  /* Rows to make room for: the lines with something on them read so far,
   * scaled to the file with an eighth to spare (blank lines are skipped,
   * and a file that starts with many must not ask for room for millions),
   * and never more than a record of two bytes each could fill.  Without
   * the spare, a file whose later lines run a little shorter (orders.csv
   * and receipts.csv of the benchmark's M hold 1.5 % and 0.04 % more rows
   * than their first block suggests) had its rows copied into an array
   * twice the size at its last rows; room reserved and never used is
   * never touched. */
  guint64 lines = count_filled_lines (t->buf, t->avail) + 1;
  if (t->fd >= 0 && t->avail > 0 && t->size > t->avail)
    lines = lines * t->size / t->avail * 9 / 8 + 16;
  *n_lines = (guint) MIN (MIN (lines, t->size / 2 + 16), G_MAXUINT / 2);
  return TRUE;
}

/* The whole file of a table read to its end, into `end`: its bytes (the
 * buffer handed over), their SHA-256 and the file's stamp. */
static void
table_finish (OpenTable *t, QtInputFile *end)
{
  if (t->buf == NULL || t->fd >= 0)
    return;
  end->bytes = g_bytes_new_with_free_func (t->buf, t->avail, free, t->buf);
  t->buf = NULL;
  end->sha256 = qt_sha256_finish_hex (g_steal_pointer (&t->sha));
  end->stamp = t->stamp;
  end->stamped = t->regular;
}

static gboolean
source_open (Source *src, gboolean *present, guint *n_lines, int *idx, GError **error)
{
  g_return_val_if_fail (src->next_table < src->n_tables, FALSE);
  open_table_clear (&src->cur);
  return open_table (src, src->next_table++, &src->cur, present, n_lines, idx, error);
}

#define RECORD_TEXT_MAX (1u << 31)

/* A record of 2 GB or more is refused, with or without the thread (whose
 * chunks hold 32-bit offsets): malformed — no data set of SPEC §2 comes
 * near. */
static gboolean
record_too_large (const QtCsvRecord *rec, const char *path, GError **error)
{
  gsize total = 0;
  for (guint i = 0; i < rec->nfields; i++)
    total += rec->lens[i] + 1;
  if (total < RECORD_TEXT_MAX)
    return FALSE;
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:1: a record of more than 2 GB",
               path, rec->line);
  return TRUE;
}

static gboolean
source_next (Source *src, QtCsvRecord *rec, GError **error)
{
  return src->cur.reader != NULL && qt_csv_reader_next (src->cur.reader, rec, error)
         && !record_too_large (rec, src->cur.path, error);
}

/* ---- messages from the thread to the loader ---- */

/* Records per chunk, and chunks in flight: the thread runs at most this
 * far ahead (~150 KB a chunk).  Far enough to bank the time it has to spare
 * while the loader is the slower of the two (orders.csv: an id defined and
 * two looked up per row) and spend it where it is the slower one
 * (order_lines.csv: three decimals per row) — at M, 512 chunks make the load
 * ~0.05 s shorter than 48 for ~70 MB more memory. */
#define CHUNK_RECORDS 1024
#define CHUNKS 512
/* That many only while the file being read and the next one hold
 * CHUNKS × CHUNK_FILE_BYTES (96 MB) or more: smaller ones gain nothing from
 * running as far ahead, and every chunk first used costs fresh memory
 * (with 512 for every file, S's load was 25 % slower).  One chunk in
 * flight per CHUNK_FILE_BYTES of the two, at least CHUNKS_MIN.  The next
 * file counts because that is where the time banked goes: sized by
 * orders.csv alone, the thread waited with ~40 % of its core idle while
 * the loader worked through orders.csv (M's load −0.03 s with the two). */
#define CHUNKS_MIN 48
#define CHUNK_FILE_BYTES ((gsize) 192 << 10)

typedef enum { MSG_OPEN, MSG_RECORDS, MSG_STOP } MsgKind;

typedef struct {
  MsgKind kind;
  /* MSG_OPEN: the result of source_open */
  gboolean ok;
  gboolean present;
  guint n_lines;
  int idx[16];
  gsize n_idx;
  QtFileStamp stamp;      /* of the file opened, when `regular` */
  gboolean regular;
  /* MSG_RECORDS: n records, then the table's end when `end`, with the
   * file's bytes, SHA-256 and stamp when it ended well */
  guint n;
  gboolean end;
  QtInputFile file;
  GError *error;          /* OPEN failure, or why the records ended early */
  guint line[CHUNK_RECORDS];
  guint nfields[CHUNK_RECORDS];
  guint first[CHUNK_RECORDS]; /* index of the record's first field */
  /* Kept small: the loader reads it on the other core, a cache line at a
   * time, so every byte here is memory traffic between the two. */
  guint32 *offs, *lens;   /* per field: offset in text, length */
  guint n_fields, cap_fields;
  guint stride;           /* required fields per record (the table's columns) */
  QtTypedField *typed;    /* per record, `stride` required fields */
  guint8 *typed_ok;       /* per record: bit c set when typed[] holds field c */
  char *text;             /* the fields, each followed by a NUL */
  gsize text_len, text_cap;
} Msg;

static Msg stop_msg = { .kind = MSG_STOP };

static Msg *
msg_new (MsgKind kind)
{
  Msg *m = g_new0 (Msg, 1);
  m->kind = kind;
  return m;
}

static void
msg_free (Msg *m)
{
  if (m == NULL || m == &stop_msg)
    return;
  g_clear_pointer (&m->file.bytes, g_bytes_unref);
  g_free (m->file.sha256);
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
  g_clear_pointer (&m->file.bytes, g_bytes_unref);
  g_clear_pointer (&m->file.sha256, g_free);
  m->file = (QtInputFile) { 0 };
  g_clear_error (&m->error);
  m->n_fields = 0;
  m->text_len = 0;
  if (m->typed_ok != NULL)
    memset (m->typed_ok, 0, CHUNK_RECORDS);
}

/* Whether the thread parses or hashes column c of t ahead. */
static gboolean
typed_ahead (const QtTableFile *t, guint c)
{
  return t->kinds[c] == QT_COLUMN_DECIMAL || t->kinds[c] == QT_COLUMN_DATE
         || (t->hash_ids && (t->kinds[c] == QT_COLUMN_ID || t->kinds[c] == QT_COLUMN_OPT_ID));
}

/* Parses the record's decimal and date fields and hashes its ids ahead of
 * the loader. */
static void
msg_type (Msg *m, const QtCsvRecord *rec, const QtTableFile *t, const int *idx)
{
  if (m->typed == NULL)
    {
      m->typed = g_new (QtTypedField, CHUNK_RECORDS * QT_TABLE_MAX_COLUMNS);
      m->typed_ok = g_new0 (guint8, CHUNK_RECORDS);
    }
  G_STATIC_ASSERT (QT_TABLE_MAX_COLUMNS <= 8); /* one bit each in typed_ok */
  gsize base = (gsize) m->n * m->stride;
  guint ok = 0;
  for (guint c = 0; c < t->n_cols; c++)
    {
      const char *f = rec->fields[idx[c]];
      gsize len = rec->lens[idx[c]];
      QtTypedField *out = &m->typed[base + c];
      gboolean parsed = FALSE;
      if (t->kinds[c] == QT_COLUMN_DECIMAL)
        parsed = qt_num_parse_short (f, len, &out->num);
      else if (t->kinds[c] == QT_COLUMN_DATE)
        parsed = qt_date_parse (f, len, &out->day);
      else if (typed_ahead (t, c))
        {
          out->hash = qt_intern_hash (f, len);
          parsed = TRUE;
        }
      ok |= (guint) parsed << c;
    }
  m->typed_ok[m->n] = (guint8) ok;
}

/* A chunk takes no more records once its text reaches this: with wide
 * records, the chunks in flight (CHUNKS of them) still hold a bounded
 * amount of text, and a chunk's text stays below 256 KB + one record
 * (< 2 GB, see RECORD_TEXT_MAX), which its 32-bit offsets can address. */
#define CHUNK_TEXT_MAX (256u << 10)

/* Appends one record's fields (with their NULs) to the chunk.  The reader
 * keeps a record's fields one after the other, so they are copied at once. */
static void
msg_add (Msg *m, const QtCsvRecord *rec)
{
  guint nf = rec->nfields;
  const char *text = rec->fields[0];
  gsize need = (gsize) (rec->fields[nf - 1] - text) + rec->lens[nf - 1] + 1;
  if (m->text_len + need > m->text_cap)
    {
      m->text_cap = MAX (MAX (m->text_cap * 2, 1u << 16), m->text_len + need);
      m->text = g_realloc (m->text, m->text_cap);
    }
  if (m->n_fields + nf > m->cap_fields)
    {
      m->cap_fields = MAX (MAX (m->cap_fields * 2, 8u * CHUNK_RECORDS), m->n_fields + nf);
      m->offs = g_renew (guint32, m->offs, m->cap_fields);
      m->lens = g_renew (guint32, m->lens, m->cap_fields);
    }
  m->line[m->n] = rec->line;
  m->nfields[m->n] = nf;
  m->first[m->n] = m->n_fields;
  memcpy (m->text + m->text_len, text, need);
  for (guint i = 0; i < nf; i++)
    {
      m->offs[m->n_fields] = (guint32) (m->text_len + (gsize) (rec->fields[i] - text));
      m->lens[m->n_fields++] = (guint32) rec->lens[i];
    }
  m->text_len += need;
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
  gsize *lens;            /* and their lengths */
  guint cap_ptrs;
  QtFileStamp opened;           /* the loader's current table's stamp at open, */
  gboolean opened_regular;      /* when it is a regular file */
  const QtTableFile *producing; /* the thread's current table, and its */
  int producing_idx[16];        /* required columns' field indexes */
  gboolean producing_typed;     /* any column typed ahead */
  GPtrArray *held;              /* Msg*: chunks the thread keeps out of use */
};

/* Record k of a chunk, its field pointers in s->ptrs. */
static void
record_at (QtTableStream *s, const Msg *m, guint k, QtCsvRecord *rec)
{
  guint first = m->first[k], n = m->nfields[k];
  if (n > s->cap_ptrs)
    {
      s->cap_ptrs = MAX (n, 2 * s->cap_ptrs);
      s->ptrs = g_renew (char *, s->ptrs, s->cap_ptrs);
      s->lens = g_renew (gsize, s->lens, s->cap_ptrs);
    }
  for (guint i = 0; i < n; i++)
    {
      s->ptrs[i] = m->text + m->offs[first + i];
      s->lens[i] = m->lens[first + i];
    }
  rec->line = m->line[k];
  rec->nfields = n;
  rec->fields = s->ptrs;
  rec->lens = s->lens;
}

/* Fills chunks with the records of one opened table; FALSE when the
 * thread should stop (asked to, or the table ended in an error).  The
 * table's last chunk carries its bytes and SHA-256. */
static gboolean
produce_records (QtTableStream *s)
{
  for (;;)
    {
      Msg *m = g_async_queue_pop (s->empty);
      if (m == &stop_msg || g_atomic_int_get (&s->stop))
        {
          if (m != &stop_msg)
            g_async_queue_push (s->empty, m);
          return FALSE;
        }
      msg_reset (m);
      m->stride = s->producing->n_cols;
      QtCsvRecord rec;
      while (m->n < CHUNK_RECORDS && !m->end && m->text_len < CHUNK_TEXT_MAX)
        {
          if (!source_next (&s->src, &rec, &m->error))
            m->end = TRUE;
          else
            {
              if (s->producing_typed)
                msg_type (m, &rec, s->producing, s->producing_idx);
              msg_add (m, &rec);
            }
        }
      gboolean end = m->end, failed = m->error != NULL;
      if (end && !failed)
        table_finish (&s->src.cur, &m->file);
      g_async_queue_push (s->full, m);
      if (end)
        return !failed;
    }
}

/* Keeps all but size / CHUNK_FILE_BYTES chunks (CHUNKS_MIN .. CHUNKS) out
 * of use while a file of `size` bytes is read, taking them as the loader
 * returns them (it holds at most one while it waits for records, so this
 * never waits on it); FALSE when the loader asked to stop meanwhile. */
static gboolean
limit_chunks (QtTableStream *s, gsize size)
{
  const guint in_use = (guint) CLAMP (size / CHUNK_FILE_BYTES, CHUNKS_MIN, CHUNKS);
  while (s->held->len > CHUNKS - in_use)
    g_async_queue_push (s->empty, g_ptr_array_steal_index_fast (s->held, s->held->len - 1));
  while (s->held->len < CHUNKS - in_use)
    {
      Msg *m = g_async_queue_pop (s->empty);
      if (m == &stop_msg || g_atomic_int_get (&s->stop))
        {
          if (m != &stop_msg)
            g_async_queue_push (s->empty, m);
          return FALSE;
        }
      g_ptr_array_add (s->held, m);
    }
  return TRUE;
}

/* The size of the table after the one being read (0: none, or not a
 * regular file). */
static gsize
next_size (const Source *src)
{
  if (src->next_table >= src->n_tables)
    return 0;
  g_autofree char *path = g_build_filename (src->dir, src->tables[src->next_table].file, NULL);
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode) ? (gsize) st.st_size : 0;
}

/* The thread: every table in turn, as far as the loader will want it. */
static gpointer
produce (gpointer data)
{
  QtTableStream *s = data;
  while (s->src.next_table < s->src.n_tables && !g_atomic_int_get (&s->stop))
    {
      Msg *open = msg_new (MSG_OPEN);
      s->producing = &s->src.tables[s->src.next_table];
      open->n_idx = s->producing->n_cols;
      open->ok = source_open (&s->src, &open->present, &open->n_lines, open->idx, &open->error);
      open->stamp = s->src.cur.stamp;
      open->regular = s->src.cur.regular;
      memcpy (s->producing_idx, open->idx, sizeof open->idx);
      s->producing_typed = FALSE;
      for (guint c = 0; c < s->producing->n_cols; c++)
        s->producing_typed |= typed_ahead (s->producing, c);
      gboolean ok = open->ok;
      g_async_queue_push (s->full, open); /* the loader's now: not touched again */
      if (!ok || !limit_chunks (s, s->src.cur.size + next_size (&s->src)) || !produce_records (s))
        break;
    }
  open_table_clear (&s->src.cur);
  /* The chunks held back go where the stream frees them. */
  while (s->held->len > 0)
    g_async_queue_push (s->empty, g_ptr_array_steal_index_fast (s->held, s->held->len - 1));
  return NULL;
}

QtTableStream *
qt_table_stream_new (const char *dir, const QtTableFile *tables, guint n, gboolean threaded)
{
  QtTableStream *s = g_new0 (QtTableStream, 1);
  s->src = (Source) { .dir = dir, .tables = tables, .n_tables = n, .cur = { .fd = -1 } };
  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (tables[i].n_cols <= QT_TABLE_MAX_COLUMNS, s);
  if (!threaded)
    return s;
  s->full = g_async_queue_new ();
  s->empty = g_async_queue_new ();
  s->held = g_ptr_array_new ();
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
  if (s->held != NULL)
    g_ptr_array_unref (s->held); /* empty: the thread gave its chunks back */
  g_free (s->ptrs);
  g_free (s->lens);
  g_free (s);
}

gboolean
qt_table_stream_open (QtTableStream *s, gboolean *present, guint *n_lines, int *idx,
                      GError **error)
{
  if (s->thread == NULL)
    {
      gboolean ok = source_open (&s->src, present, n_lines, idx, error);
      s->opened = s->src.cur.stamp;
      s->opened_regular = ok && *present && s->src.cur.regular;
      return ok;
    }
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
  *present = m->present;
  *n_lines = m->n_lines;
  memcpy (idx, m->idx, sizeof (int) * m->n_idx);
  s->opened = m->stamp;
  s->opened_regular = ok && m->present && m->regular;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&m->error));
  msg_free (m);
  return ok;
}

void
qt_table_stream_finish (QtTableStream *s, QtInputFile *file)
{
  if (s->thread == NULL)
    {
      table_finish (&s->src.cur, file);
      return;
    }
  g_return_if_fail (s->cur != NULL && s->cur->end && s->cur->error == NULL);
  QtInputFile *end = &s->cur->file;
  file->bytes = g_steal_pointer (&end->bytes);
  file->sha256 = g_steal_pointer (&end->sha256);
  file->stamp = end->stamp;
  file->stamped = end->stamped;
}

const QtTypedField *
qt_table_stream_typed_ahead (const QtTableStream *s, guint ahead, guint *mask)
{
  *mask = 0;
  if (s->thread == NULL || s->cur == NULL || s->cur->typed_ok == NULL || s->cursor == 0
      || s->cursor - 1 + ahead >= s->cur->n)
    return NULL;
  const guint k = s->cursor - 1 + ahead;
  *mask = s->cur->typed_ok[k];
  return &s->cur->typed[(gsize) k * s->cur->stride];
}

const QtTypedField *
qt_table_stream_typed (const QtTableStream *s, guint *mask)
{
  return qt_table_stream_typed_ahead (s, 0, mask);
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
    }
  record_at (s, s->cur, s->cursor++, rec);
  return TRUE;
}

gboolean
qt_table_stream_changed (const QtTableStream *s, const char *path)
{
  return s->opened_regular && !qt_file_stamp_still (path, &s->opened);
}
