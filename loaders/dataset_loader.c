/* loaders/dataset_loader.c — CSV data set directory → QtDataset. */
#include "dataset_loader.h"

#include <string.h>

#include "../model/sha256.h"
#include "../model/money.h"
#include "../model/qt_error.h"
#include "csv_reader.h"
#include "file_stamp.h"
#include "key_set.h"
#include "table_stream.h"

typedef struct Loader Loader;
typedef gboolean (*RowParser) (Loader *ld, const QtCsvRecord *rec, GError **error);

/* One table of SPEC §2: its file, whether it may be absent, its required
 * columns (in this order in `idx`), and how one row is parsed. */
typedef struct {
  QtTableFile f;      /* file, optional, cols, n_cols */
  RowParser parse;
  gsize elem_size;
  gboolean defines_ids; /* each row interns an id of its own (its key): room is made at once */
  int prefetch[3];      /* required columns whose ids are prefetched, or -1 */
} TableSpec;

struct Loader {
  QtDataset *ds;
  const char *path;   /* path of the file being read, for messages */
  const TableSpec *spec;
  int idx[8];         /* field index of each required column */
  /* The table being read, row by row (plain arrays grown together: GArray
   * divides by the element size on every append, a measurable cost at
   * millions of rows). */
  char *rows;         /* n_rows rows of spec->elem_size bytes */
  guint *lines;       /* source line of each row */
  gint32 *chain;      /* per row: previous row of the same parent, or -1 */
  guint *chain_len;   /* per row: length of its parent's chain up to it */
  guint n_rows, cap_rows;
  QtKeySet *keys;     /* composite keys of that table → row */
  const char *last_id[8]; /* per column: the id interned for the previous row */
  /* receipts.csv: TRUE while its receipt_ids come in ascending order (each
   * then only copied, see get_receipt_id); the previous one. */
  gboolean ids_ascending;
  const char *prev_receipt_id;
  int manager_col;    /* 1-based field number of reps.csv manager_id */
  QtFileLoaded loaded;
  gpointer loaded_data;
  QtTableStream *stream; /* the records' source */
};

/* ---- field helpers: each fails with PATH:LINE:COL: message ---- */

static gboolean
field_error (Loader *ld, const QtCsvRecord *rec, int col, GError **error,
             const char *fmt, ...) G_GNUC_PRINTF (5, 6);

static gboolean
field_error (Loader *ld, const QtCsvRecord *rec, int col, GError **error,
             const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%d: %s",
               ld->path, rec->line, ld->idx[col] + 1, msg);
  return FALSE;
}

static const char *
raw (Loader *ld, const QtCsvRecord *rec, int col, gsize *len)
{
  int i = ld->idx[col];
  if (len != NULL)
    *len = rec->lens[i];
  return rec->fields[i];
}

static gboolean
get_id (Loader *ld, const QtCsvRecord *rec, int col, const char **out, GError **error)
{
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  if (len == 0)
    return field_error (ld, rec, col, error, "%s must not be empty", ld->spec->f.cols[col]);
  /* Rows often repeat the previous row's id (the lines of one order):
   * reuse it without hashing. */
  const char *last = ld->last_id[col];
  if (last != NULL && qt_id_equals (last, s, len))
    {
      *out = last;
      return TRUE;
    }
  const QtTypedField *typed = qt_table_stream_typed (ld->stream, (guint) col);
  *out = ld->last_id[col] = typed != NULL ? qt_intern_hashed (ld->ds->ids, s, len, typed->hash)
                                          : qt_intern (ld->ds->ids, s, len);
  return TRUE;
}

/* An order id of order_lines.csv, splits.csv or receipts.csv, and the row
 * of orders.csv it names (-1 for none).  The first two usually list orders
 * in the order of orders.csv (`in_order`), so after the previous row's
 * order the next one is tried (a neighbour in memory) before the hash
 * table, which a million orders spread over memory much larger than the
 * cache. */
static gboolean
get_order_id (Loader *ld, const QtCsvRecord *rec, int col, gboolean in_order, const char **out,
              gint32 *row, GError **error)
{
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  const char *last = ld->last_id[col];
  /* The previous row's order, or else the next one. */
  if (in_order && len > 0 && last != NULL)
    {
      gint32 last_row = qt_id_row (last, QT_ID_ORDER);
      if (qt_id_equals (last, s, len))
        {
          *out = last;
          *row = last_row;
          return TRUE;
        }
      const char *next = last_row >= 0 && (guint) last_row + 1 < ld->ds->n_orders
                           ? ld->ds->orders[last_row + 1].order_id : NULL;
      if (next != NULL && qt_id_equals (next, s, len))
        {
          *out = ld->last_id[col] = next;
          *row = last_row + 1;
          return TRUE;
        }
    }
  if (!get_id (ld, rec, col, out, error))
    return FALSE;
  *row = qt_id_row (*out, QT_ID_ORDER);
  return TRUE;
}

static const char *
get_text (Loader *ld, const QtCsvRecord *rec, int col)
{
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  return qt_interner_copy (ld->ds->ids, s, len);
}

static gboolean
get_decimal (Loader *ld, const QtCsvRecord *rec, int col, QtNum *out, GError **error)
{
  const QtTypedField *typed = qt_table_stream_typed (ld->stream, (guint) col);
  if (typed != NULL) /* parsed by the reading thread */
    {
      *out = typed->num;
      return TRUE;
    }
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  g_autoptr (GError) local = NULL;
  if (qt_num_parse (ld->ds->nums, s, len, out, &local))
    return TRUE;
  return field_error (ld, rec, col, error, "%s: %s", ld->spec->f.cols[col], local->message);
}

static gboolean
get_date (Loader *ld, const QtCsvRecord *rec, int col, QtDay *out, GError **error)
{
  const QtTypedField *typed = qt_table_stream_typed (ld->stream, (guint) col);
  if (typed != NULL) /* parsed by the reading thread */
    {
      *out = typed->day;
      return TRUE;
    }
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  if (qt_date_parse (s, len, out))
    return TRUE;
  return field_error (ld, rec, col, error, "%s: '%s' is not a calendar date YYYY-MM-DD",
                      ld->spec->f.cols[col], s);
}

static gboolean
get_period (Loader *ld, const QtCsvRecord *rec, int col, QtPeriod *out, GError **error)
{
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  if (qt_period_parse (s, len, out))
    return TRUE;
  return field_error (ld, rec, col, error, "%s: '%s' is not a month YYYY-MM",
                      ld->spec->f.cols[col], s);
}

/* SPEC §12.1.7: a repeated key is malformed at its second occurrence. */
static gboolean
duplicate (Loader *ld, const QtCsvRecord *rec, const int *cols, int n, guint first_row,
           GError **error)
{
  GString *names = g_string_new (NULL);
  for (int i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s='%s'", i ? ", " : "", ld->spec->f.cols[cols[i]],
                            raw (ld, rec, cols[i], NULL));
  g_autofree char *what = g_string_free (names, FALSE);
  return field_error (ld, rec, cols[0], error, "duplicate key %s (first on line %u)", what,
                      ld->lines[first_row]);
}

/* A one-column key: the interned id remembers the row that defines it. */
static gboolean
check_id_key (Loader *ld, const QtCsvRecord *rec, int col, const char *id, QtIdKind kind,
              GError **error)
{
  gint32 first = qt_id_row (id, kind);
  if (first >= 0)
    return duplicate (ld, rec, (const int[]) { col }, 1, (guint) first, error);
  qt_id_set_row (id, kind, (gint32) ld->n_rows - 1);
  return TRUE;
}

/* A composite key of interned ids and small integers. */
static gboolean
check_tuple_key (Loader *ld, const QtCsvRecord *rec, const int *cols, int n, guintptr a,
                 guintptr b, guintptr c, GError **error)
{
  guint first;
  if (qt_key_set_insert (ld->keys, a, b, c, ld->n_rows - 1, &first))
    return TRUE;
  return duplicate (ld, rec, cols, n, first, error);
}

/* Beyond this many rows per parent, a chain is no longer walked: the keys
 * go to the table's key set instead, so no input can make this quadratic. */
#define CHAIN_WALK_MAX 32

/* Puts every row of the parent's chain into the key set. */
static void
migrate_chain (Loader *ld, gint32 row, gsize child_offset)
{
  for (; row >= 0; row = ld->chain[row])
    {
      const char *const *child = (const void *) (ld->rows + (gsize) row * ld->spec->elem_size
                                                 + child_offset);
      const char *const *parent = (const void *) (ld->rows + (gsize) row * ld->spec->elem_size);
      guint unused;
      qt_key_set_insert (ld->keys, (guintptr) *parent, (guintptr) *child, 0, (guint) row, &unused);
    }
}

/* A key (parent id, child id) — order_lines (order_id, line_no), splits
 * (order_id, rep_id) — checked by walking the short chain of rows of the
 * same parent, whose ids were just touched and are in cache.  The parent
 * id must be the row's first member. */
static gboolean
check_chain_key (Loader *ld, const QtCsvRecord *rec, const int *cols, const char *parent,
                 const char *child, QtIdKind chain, gsize child_offset, GError **error)
{
  gint32 row = (gint32) ld->n_rows - 1;
  gint32 prev = qt_id_row (parent, chain);
  guint len = prev < 0 ? 1 : ld->chain_len[prev] + 1;
  ld->chain[row] = prev;
  ld->chain_len[row] = len;
  qt_id_set_row (parent, chain, row);
  if (len > CHAIN_WALK_MAX)
    {
      if (len == CHAIN_WALK_MAX + 1)
        migrate_chain (ld, prev, child_offset);
      return check_tuple_key (ld, rec, cols, 2, (guintptr) parent, (guintptr) child, 0, error);
    }
  for (gint32 r = prev; r >= 0; r = ld->chain[r])
    {
      const char *const *other = (const void *) (ld->rows + (gsize) r * ld->spec->elem_size
                                                 + child_offset);
      if (*other == child)
        return duplicate (ld, rec, cols, 2, (guint) r, error);
    }
  return TRUE;
}

/* Room for `cap` rows (and their lines and chain links). */
static void
rows_reserve (Loader *ld, guint cap)
{
  ld->rows = g_realloc_n (ld->rows, cap, ld->spec->elem_size);
  ld->lines = g_renew (guint, ld->lines, cap);
  ld->chain = g_renew (gint32, ld->chain, cap);
  ld->chain_len = g_renew (guint, ld->chain_len, cap);
  ld->cap_rows = cap;
}

static gpointer
new_row (Loader *ld, const QtCsvRecord *rec)
{
  if (ld->n_rows == ld->cap_rows)
    rows_reserve (ld, MAX (16u, ld->cap_rows * 2));
  guint k = ld->n_rows++;
  ld->lines[k] = rec->line;
  char *row = ld->rows + (gsize) k * ld->spec->elem_size;
  memset (row, 0, ld->spec->elem_size);
  return row;
}

/* ---- one parser per table ---- */

static const char *const rep_cols[] = { "rep_id", "name", "team_id", "manager_id", "plan_id" };
static gboolean
parse_rep (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtRep *r = new_row (ld, rec);
  r->line = rec->line;
  r->manager = -1;
  r->name = get_text (ld, rec, 1);
  gsize mlen;
  raw (ld, rec, 3, &mlen);
  r->manager_id = mlen ? qt_intern (ld->ds->ids, raw (ld, rec, 3, NULL), mlen) : NULL;
  return get_id (ld, rec, 0, &r->rep_id, error) && get_id (ld, rec, 2, &r->team_id, error)
         && get_id (ld, rec, 4, &r->plan_id, error)
         && check_id_key (ld, rec, 0, r->rep_id, QT_ID_REP, error);
}

static const char *const customer_cols[] = { "customer_id", "name" };
static gboolean
parse_customer (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtCustomer *c = new_row (ld, rec);
  c->line = rec->line;
  c->name = get_text (ld, rec, 1);
  return get_id (ld, rec, 0, &c->customer_id, error)
         && check_id_key (ld, rec, 0, c->customer_id, QT_ID_CUSTOMER, error);
}

static const char *const product_cols[] = { "product_id", "name", "category" };
static gboolean
parse_product (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtProduct *p = new_row (ld, rec);
  p->line = rec->line;
  p->name = get_text (ld, rec, 1);
  p->category = get_text (ld, rec, 2);
  return get_id (ld, rec, 0, &p->product_id, error)
         && check_id_key (ld, rec, 0, p->product_id, QT_ID_PRODUCT, error);
}

static const char *const order_cols[] = { "order_id", "customer_id", "rep_id", "signed_on", "status" };
static gboolean
parse_order (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtOrder *o = new_row (ld, rec);
  o->line = rec->line;
  if (!get_id (ld, rec, 0, &o->order_id, error) || !get_id (ld, rec, 1, &o->customer_id, error)
      || !get_id (ld, rec, 2, &o->rep_id, error) || !get_date (ld, rec, 3, &o->signed_on, error))
    return FALSE;
  const char *status = raw (ld, rec, 4, NULL);
  if (!qt_status_parse (status, &o->status))
    return field_error (ld, rec, 4, error,
                        "status '%s' is not one of draft, in_approval, signed, paid, completed, cancelled",
                        status);
  o->customer_row = qt_id_row (o->customer_id, QT_ID_CUSTOMER);
  return check_id_key (ld, rec, 0, o->order_id, QT_ID_ORDER, error);
}

static const char *const line_cols[] = { "order_id", "line_no", "product_id", "quantity", "unit_price", "unit_cost" };
static gboolean
parse_line (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtOrderLine *l = new_row (ld, rec);
  l->line = rec->line;
  return get_order_id (ld, rec, 0, TRUE, &l->order_id, &l->order_row, error)
         && get_id (ld, rec, 1, &l->line_no, error)
         && get_id (ld, rec, 2, &l->product_id, error) && get_decimal (ld, rec, 3, &l->quantity, error)
         && get_decimal (ld, rec, 4, &l->unit_price, error) && get_decimal (ld, rec, 5, &l->unit_cost, error)
         && check_chain_key (ld, rec, (const int[]) { 0, 1 }, l->order_id, l->line_no,
                             QT_ID_LINES, G_STRUCT_OFFSET (QtOrderLine, line_no), error);
}

static const char *const split_cols[] = { "order_id", "rep_id", "share" };
static gboolean
parse_split (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtSplit *s = new_row (ld, rec);
  s->line = rec->line;
  return get_order_id (ld, rec, 0, TRUE, &s->order_id, &s->order_row, error)
         && get_id (ld, rec, 1, &s->rep_id, error)
         && get_decimal (ld, rec, 2, &s->share, error)
         && check_chain_key (ld, rec, (const int[]) { 0, 1 }, s->order_id, s->rep_id,
                             QT_ID_SPLITS, G_STRUCT_OFFSET (QtSplit, rep_id), error);
}

/* A receipt_id.  No other table names receipts, so the id is only a key
 * to check and text to print: while the file lists receipt_ids in
 * ascending bytewise order — as exports usually do — no two can be equal,
 * and each is only copied, without a million entries in the id table.
 * The first id out of order puts those read so far into the interner, and
 * from there on every id is interned and checked like any other key. */
static gboolean
get_receipt_id (Loader *ld, const QtCsvRecord *rec, int col, QtReceipt *r, GError **error)
{
  gsize len;
  const char *s = raw (ld, rec, col, &len);
  if (ld->ids_ascending && len > 0
      && (ld->prev_receipt_id == NULL || strcmp (ld->prev_receipt_id, s) < 0))
    {
      r->receipt_id = ld->prev_receipt_id = qt_interner_copy (ld->ds->ids, s, len);
      return TRUE;
    }
  if (ld->ids_ascending) /* the rows before this one, unique: into the table */
    {
      ld->ids_ascending = FALSE;
      for (guint k = 0; k + 1 < ld->n_rows; k++)
        {
          QtReceipt *prev = (QtReceipt *) (void *) (ld->rows + (gsize) k * sizeof (QtReceipt));
          prev->receipt_id = qt_intern (ld->ds->ids, prev->receipt_id, strlen (prev->receipt_id));
          qt_id_set_row (prev->receipt_id, QT_ID_RECEIPT, (gint32) k);
        }
    }
  return get_id (ld, rec, col, &r->receipt_id, error);
}

static const char *const receipt_cols[] = { "receipt_id", "order_id", "received_on", "amount" };
static gboolean
parse_receipt (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtReceipt *r = new_row (ld, rec);
  r->line = rec->line;
  return get_receipt_id (ld, rec, 0, r, error)
         && get_order_id (ld, rec, 1, FALSE, &r->order_id, &r->order_row, error)
         && get_date (ld, rec, 2, &r->received_on, error) && get_decimal (ld, rec, 3, &r->amount, error)
         && (ld->ids_ascending || check_id_key (ld, rec, 0, r->receipt_id, QT_ID_RECEIPT, error));
}

static const char *const activity_cols[] = { "rep_id", "period", "metric", "value" };
static gboolean
parse_activity (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtActivity *a = new_row (ld, rec);
  a->line = rec->line;
  return get_id (ld, rec, 0, &a->rep_id, error) && get_period (ld, rec, 1, &a->period, error)
         && get_id (ld, rec, 2, &a->metric, error) && get_decimal (ld, rec, 3, &a->value, error)
         && check_tuple_key (ld, rec, (const int[]) { 0, 1, 2 }, 3, (guintptr) a->rep_id,
                             (guintptr) a->period, (guintptr) a->metric, error);
}

static const char *const quota_cols[] = { "rep_id", "period", "quota" };
static gboolean
parse_quota (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtQuota *q = new_row (ld, rec);
  q->line = rec->line;
  return get_id (ld, rec, 0, &q->rep_id, error) && get_period (ld, rec, 1, &q->period, error)
         && get_decimal (ld, rec, 2, &q->quota, error)
         && check_tuple_key (ld, rec, (const int[]) { 0, 1 }, 2, (guintptr) q->rep_id,
                             (guintptr) q->period, 0, error);
}

static const char *const adjustment_cols[] = { "adjustment_id", "rep_id", "period", "amount", "reason" };
static gboolean
parse_adjustment (Loader *ld, const QtCsvRecord *rec, GError **error)
{
  QtAdjustment *a = new_row (ld, rec);
  a->line = rec->line;
  a->reason = get_text (ld, rec, 4);
  return get_id (ld, rec, 0, &a->adjustment_id, error) && get_id (ld, rec, 1, &a->rep_id, error)
         && get_period (ld, rec, 2, &a->period, error) && get_decimal (ld, rec, 3, &a->amount, error)
         && check_id_key (ld, rec, 0, a->adjustment_id, QT_ID_ADJUSTMENT, error);
}

#define SPEC(file, opt, cols, parser, type, ids, pf0, pf1, pf2, ...) \
  { { file, opt, cols, G_N_ELEMENTS (cols), { __VA_ARGS__ } }, parser, sizeof (type), ids, \
    { pf0, pf1, pf2 } }
/* Field kinds of the required columns, in their order (see QtFieldKind). */
#define TXT QT_FIELD_TEXT
#define DEC QT_FIELD_DECIMAL
#define DAY QT_FIELD_DATE
#define ID QT_FIELD_ID

enum { T_REPS, T_CUSTOMERS, T_PRODUCTS, T_ORDERS, T_LINES, T_SPLITS, T_RECEIPTS,
       T_ACTIVITIES, T_QUOTAS, T_ADJUSTMENTS, T_COUNT };

static const TableSpec tables[T_COUNT] = {
  [T_REPS] = SPEC ("reps.csv", FALSE, rep_cols, parse_rep, QtRep, TRUE, -1, -1, -1, ID, TXT, ID, TXT, ID),
  [T_CUSTOMERS] = SPEC ("customers.csv", FALSE, customer_cols, parse_customer, QtCustomer, TRUE, 0, -1, -1, ID),
  [T_PRODUCTS] = SPEC ("products.csv", FALSE, product_cols, parse_product, QtProduct, TRUE, -1, -1, -1, ID),
  [T_ORDERS] = SPEC ("orders.csv", FALSE, order_cols, parse_order, QtOrder, TRUE, 0, 1, 2, ID, ID, ID, DAY),
  /* (The order_id of lines and splits is not hashed ahead: get_order_id
   * finds it beside the previous row's order without hashing.) */
  [T_LINES] = SPEC ("order_lines.csv", FALSE, line_cols, parse_line, QtOrderLine, FALSE, -1, -1, -1, TXT, ID, ID, DEC, DEC, DEC),
  [T_SPLITS] = SPEC ("splits.csv", TRUE, split_cols, parse_split, QtSplit, FALSE, -1, -1, -1, TXT, ID, DEC),
  [T_RECEIPTS] = SPEC ("receipts.csv", FALSE, receipt_cols, parse_receipt, QtReceipt, FALSE, 1, -1, -1, ID, ID, DAY, DEC),
  [T_ACTIVITIES] = SPEC ("activities.csv", FALSE, activity_cols, parse_activity, QtActivity, FALSE, -1, -1, -1, ID, TXT, ID, DEC),
  [T_QUOTAS] = SPEC ("quotas.csv", FALSE, quota_cols, parse_quota, QtQuota, FALSE, -1, -1, -1, ID, TXT, DEC),
  [T_ADJUSTMENTS] = SPEC ("adjustments.csv", TRUE, adjustment_cols, parse_adjustment, QtAdjustment, TRUE, -1, -1, -1, ID, ID, TXT, DEC),
};

/* The random lookups of a table (its new keys, the orders and customers
 * it names) wait on memory; asked for a few records ahead, they overlap
 * instead (a QtRecordPrefetch). */
static void
prefetch_ids (gpointer data, const QtRecordAhead *rec, int stage)
{
  const Loader *ld = data;
  for (guint c = 0; c < G_N_ELEMENTS (ld->spec->prefetch) && ld->spec->prefetch[c] >= 0; c++)
    {
      const QtTypedField *typed = qt_record_ahead_typed (rec, (guint) ld->spec->prefetch[c]);
      if (typed != NULL)
        qt_intern_prefetch (ld->ds->ids, typed->hash, stage == 1);
    }
}

static gboolean
load_table (Loader *ld, QtTableStream *stream, const char *dir, const TableSpec *spec,
            gpointer *out, guint *n, GError **error)
{
  g_autofree char *path = g_build_filename (dir, spec->f.file, NULL);
  g_autoptr (GError) local = NULL;
  *out = NULL;
  *n = 0;
  guint hint;
  gboolean present;
  if (!qt_table_stream_open (stream, &present, &hint, ld->idx, error))
    return FALSE;
  if (!present) /* an absent optional file */
    return TRUE;
  ld->path = path;
  ld->spec = spec;
  /* Room for every row at once: no array is copied while it grows, and
   * the ids a table defines cost one rehash at most. */
  if (spec->defines_ids)
    qt_interner_reserve (ld->ds->ids, hint);
  ld->n_rows = ld->cap_rows = 0;
  rows_reserve (ld, MAX (hint, 16u));
  ld->keys = qt_key_set_new ();
  memset (ld->last_id, 0, sizeof ld->last_id);
  ld->ids_ascending = TRUE;
  ld->prev_receipt_id = NULL;
  if (spec->parse == parse_rep)
    {
      ld->manager_col = ld->idx[3] + 1;
      ld->ds->reps_plan_column = (guint) ld->idx[4] + 1;
    }
  gboolean prefetch = spec->prefetch[0] >= 0;
  qt_table_stream_set_prefetch (stream, prefetch ? prefetch_ids : NULL, ld);
  QtCsvRecord rec;
  gboolean ok = TRUE;
  while (ok && qt_table_stream_next (stream, &rec, &local))
    ok = spec->parse (ld, &rec, error);
  if (ok && local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      ok = FALSE;
    }
  /* Bytes read while the file was being changed prove nothing about the
   * file: say that it changed, not what happened to be read. */
  if (!ok && qt_table_stream_changed (stream, path))
    {
      g_clear_error (error);
      qt_error_file_changed (path, error);
    }
  QtInputFile *file = g_new0 (QtInputFile, 1);
  if (ok)
    qt_table_stream_finish (stream, file);
  g_clear_pointer (&ld->keys, qt_key_set_free);
  g_clear_pointer (&ld->lines, g_free);
  g_clear_pointer (&ld->chain, g_free);
  g_clear_pointer (&ld->chain_len, g_free);
  *n = ld->n_rows;
  *out = g_steal_pointer (&ld->rows);

  file->name = g_strdup (spec->f.file);
  file->rows = *n;
  g_ptr_array_add (ld->ds->files, file);
  if (ok && ld->loaded != NULL)
    ld->loaded (file, ld->loaded_data);
  return ok;
}

/* SPEC §12.1.8: no manager cycle.  Each rep's chain is walked once
 * (reps already known to end at the top are not walked again), so this is
 * linear; a cycle is reported at its rep with the smallest line, which is
 * on the cycle itself. */
static gboolean
check_manager_cycles (const QtDataset *ds, const char *path, int col, GError **error)
{
  enum { UNSEEN, ON_PATH, DONE };
  g_autofree guint8 *state = g_new0 (guint8, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    {
      gint m = (gint) i;
      while (m >= 0 && state[m] == UNSEEN)
        {
          state[m] = ON_PATH;
          m = ds->reps[m].manager;
        }
      if (m >= 0 && state[m] == ON_PATH)
        {
          guint worst = (guint) m;
          for (gint k = ds->reps[m].manager; k != m; k = ds->reps[k].manager)
            if (ds->reps[k].line < ds->reps[worst].line)
              worst = (guint) k;
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
                       "%s:%u:%d: rep '%s' is their own (indirect) manager: manager cycle", path,
                       ds->reps[worst].line, col, ds->reps[worst].rep_id);
          return FALSE;
        }
      for (m = (gint) i; m >= 0 && state[m] == ON_PATH; m = ds->reps[m].manager)
        state[m] = DONE;
    }
  return TRUE;
}

/* SPEC §12.1.8: every manager_id names a rep, and no manager cycle. */
static gboolean
link_managers (QtDataset *ds, const char *dir, int col, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "reps.csv", NULL);
  for (guint i = 0; i < ds->n_reps; i++)
    {
      QtRep *r = &ds->reps[i];
      if (r->manager_id == NULL)
        continue;
      gint32 m = qt_id_row (r->manager_id, QT_ID_REP);
      if (m < 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
                       "%s:%u:%d: manager_id '%s' of rep '%s' names no rep", path, r->line, col,
                       r->manager_id, r->rep_id);
          return FALSE;
        }
      r->manager = m;
    }
  return check_manager_cycles (ds, path, col, error);
}

static gint
file_cmp (gconstpointer a, gconstpointer b)
{
  const QtInputFile *fa = *(QtInputFile *const *) a, *fb = *(QtInputFile *const *) b;
  return strcmp (fa->name, fb->name);
}

QtDataset *
qt_dataset_load_dir (const char *dir, GError **error)
{
  return qt_dataset_load_dir_threads (dir, 1, error);
}

QtDataset *
qt_dataset_load_dir_threads (const char *dir, guint threads, GError **error)
{
  return qt_dataset_load_dir_full (dir, threads, NULL, NULL, error);
}

QtDataset *
qt_dataset_load_dir_full (const char *dir, guint threads, QtFileLoaded loaded,
                          gpointer loaded_data, GError **error)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: data set directory not found", dir);
      return NULL;
    }
  g_autoptr (QtDataset) ds = qt_dataset_new ();
  Loader ld = { .ds = ds, .loaded = loaded, .loaded_data = loaded_data };
  gpointer out[T_COUNT];
  guint n[T_COUNT];
  QtTableFile files[T_COUNT];
  for (int t = 0; t < T_COUNT; t++)
    files[t] = tables[t].f;
  g_autoptr (QtTableStream) stream = qt_table_stream_new (dir, files, T_COUNT, threads > 1);
  ld.stream = stream;
  for (int t = 0; t < T_COUNT; t++)
    {
      gboolean ok = load_table (&ld, stream, dir, &tables[t], &out[t], &n[t], error);
      /* Hand the rows over at once so that a failure frees them. */
      switch (t)
        {
        case T_REPS: ds->reps = out[t]; ds->n_reps = n[t]; break;
        case T_CUSTOMERS: ds->customers = out[t]; ds->n_customers = n[t]; break;
        case T_PRODUCTS: ds->products = out[t]; ds->n_products = n[t]; break;
        case T_ORDERS: ds->orders = out[t]; ds->n_orders = n[t]; break;
        case T_LINES: ds->lines = out[t]; ds->n_lines = n[t]; break;
        case T_SPLITS: ds->splits = out[t]; ds->n_splits = n[t]; break;
        case T_RECEIPTS: ds->receipts = out[t]; ds->n_receipts = n[t]; break;
        case T_ACTIVITIES: ds->activities = out[t]; ds->n_activities = n[t]; break;
        case T_QUOTAS: ds->quotas = out[t]; ds->n_quotas = n[t]; break;
        case T_ADJUSTMENTS: ds->adjustments = out[t]; ds->n_adjustments = n[t]; break;
        default: g_assert_not_reached ();
        }
      if (!ok)
        return NULL;
    }
  if (!link_managers (ds, dir, ld.manager_col, error))
    return NULL;
  qt_interner_seal (ds->ids);
  g_ptr_array_sort (ds->files, file_cmp);
  return g_steal_pointer (&ds);
}

gboolean
qt_dataset_inputs_unchanged (const char *dir, const QtDataset *ds, GError **error)
{
  for (guint i = 0; i < ds->files->len; i++)
    {
      const QtInputFile *f = g_ptr_array_index (ds->files, i);
      g_autofree char *path = g_build_filename (dir, f->name, NULL);
      if (f->stamped && !qt_file_stamp_still (path, &f->stamp))
        return qt_error_file_changed (path, error);
    }
  return TRUE;
}
