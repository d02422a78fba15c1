/* model/dataset_builder.c — typed rows → QtDataset: ids, keys, links,
 * managers (see dataset_builder.h). */
#include "dataset_builder.h"

#include <string.h>

#include "qt_error.h"

/* ---- the tables: columns for loaders, row layout for the builder ---- */

#define ID QT_COLUMN_ID
#define OPT_ID QT_COLUMN_OPT_ID
#define TXT QT_COLUMN_TEXT
#define DEC QT_COLUMN_DECIMAL
#define DAY QT_COLUMN_DATE
#define PER QT_COLUMN_PERIOD
#define STA QT_COLUMN_STATUS

/* How a table's key (SPEC §12.1.7, always its first n_key columns) is
 * checked: a one-column key by its interned id's row (qt_id_row); a
 * (parent id, child id) key by walking the short chain of earlier rows of
 * the same parent; any other by a hash table of the key's values. */
typedef enum { KEY_ID, KEY_CHAIN, KEY_TUPLE } KeyKind;

typedef struct {
  QtTableDesc desc;
  gsize size;                        /* of a row */
  gsize line_at;                     /* offset of the row's guint line */
  gsize at[QT_TABLE_MAX_COLUMNS];    /* offset of each column in the row */
  KeyKind key;
  guint n_key;
  QtIdKind id_kind;                  /* KEY_ID: the id's kind; KEY_CHAIN: the chain's */
} Layout;

#define COLS(...) G_N_ELEMENTS (((const char *const[]) { __VA_ARGS__ })), \
  (const char *const[]) { __VA_ARGS__ }
#define KINDS(...) (const QtColumnKind[]) { __VA_ARGS__ }
#define AT(type, ...) sizeof (type), G_STRUCT_OFFSET (type, line), { __VA_ARGS__ }
#define OF(type, member) G_STRUCT_OFFSET (type, member)

static const Layout layouts[QT_TABLE_COUNT] = {
  [QT_TABLE_REPS] = {
    { "reps", FALSE, COLS ("rep_id", "name", "team_id", "manager_id", "plan_id"),
      KINDS (ID, TXT, ID, OPT_ID, ID) },
    AT (QtRep, OF (QtRep, rep_id), OF (QtRep, name), OF (QtRep, team_id), OF (QtRep, manager_id),
        OF (QtRep, plan_id)),
    KEY_ID, 1, QT_ID_REP },
  [QT_TABLE_CUSTOMERS] = {
    { "customers", FALSE, COLS ("customer_id", "name"), KINDS (ID, TXT) },
    AT (QtCustomer, OF (QtCustomer, customer_id), OF (QtCustomer, name)),
    KEY_ID, 1, QT_ID_CUSTOMER },
  [QT_TABLE_PRODUCTS] = {
    { "products", FALSE, COLS ("product_id", "name", "category"), KINDS (ID, TXT, TXT) },
    AT (QtProduct, OF (QtProduct, product_id), OF (QtProduct, name), OF (QtProduct, category)),
    KEY_ID, 1, QT_ID_PRODUCT },
  [QT_TABLE_ORDERS] = {
    { "orders", FALSE, COLS ("order_id", "customer_id", "rep_id", "signed_on", "status"),
      KINDS (ID, ID, ID, DAY, STA) },
    AT (QtOrder, OF (QtOrder, order_id), OF (QtOrder, customer_id), OF (QtOrder, rep_id),
        OF (QtOrder, signed_on), OF (QtOrder, status)),
    KEY_ID, 1, QT_ID_ORDER },
  [QT_TABLE_ORDER_LINES] = {
    { "order_lines", FALSE,
      COLS ("order_id", "line_no", "product_id", "quantity", "unit_price", "unit_cost"),
      KINDS (ID, ID, ID, DEC, DEC, DEC) },
    AT (QtOrderLine, OF (QtOrderLine, order_id), OF (QtOrderLine, line_no),
        OF (QtOrderLine, product_id), OF (QtOrderLine, quantity), OF (QtOrderLine, unit_price),
        OF (QtOrderLine, unit_cost)),
    KEY_CHAIN, 2, QT_ID_LINES },
  [QT_TABLE_SPLITS] = {
    { "splits", TRUE, COLS ("order_id", "rep_id", "share"), KINDS (ID, ID, DEC) },
    AT (QtSplit, OF (QtSplit, order_id), OF (QtSplit, rep_id), OF (QtSplit, share)),
    KEY_CHAIN, 2, QT_ID_SPLITS },
  [QT_TABLE_RECEIPTS] = {
    { "receipts", FALSE, COLS ("receipt_id", "order_id", "received_on", "amount"),
      KINDS (ID, ID, DAY, DEC) },
    AT (QtReceipt, OF (QtReceipt, receipt_id), OF (QtReceipt, order_id),
        OF (QtReceipt, received_on), OF (QtReceipt, amount)),
    KEY_ID, 1, QT_ID_RECEIPT },
  [QT_TABLE_ACTIVITIES] = {
    { "activities", FALSE, COLS ("rep_id", "period", "metric", "value"),
      KINDS (ID, PER, ID, DEC) },
    AT (QtActivity, OF (QtActivity, rep_id), OF (QtActivity, period), OF (QtActivity, metric),
        OF (QtActivity, value)),
    KEY_TUPLE, 3, 0 },
  [QT_TABLE_QUOTAS] = {
    { "quotas", FALSE, COLS ("rep_id", "period", "quota"), KINDS (ID, PER, DEC) },
    AT (QtQuota, OF (QtQuota, rep_id), OF (QtQuota, period), OF (QtQuota, quota)),
    KEY_TUPLE, 2, 0 },
  [QT_TABLE_ADJUSTMENTS] = {
    { "adjustments", TRUE, COLS ("adjustment_id", "rep_id", "period", "amount", "reason"),
      KINDS (ID, ID, PER, DEC, TXT) },
    AT (QtAdjustment, OF (QtAdjustment, adjustment_id), OF (QtAdjustment, rep_id),
        OF (QtAdjustment, period), OF (QtAdjustment, amount), OF (QtAdjustment, reason)),
    KEY_ID, 1, QT_ID_ADJUSTMENT },
  [QT_TABLE_PARTNERS] = {
    { "partners", FALSE, COLS ("partner_id", "name", "rebate_plan"), KINDS (ID, TXT, ID) },
    AT (QtPartner, OF (QtPartner, partner_id), OF (QtPartner, name), OF (QtPartner, rebate_plan)),
    KEY_ID, 1, QT_ID_PARTNER },
  [QT_TABLE_SHIPMENTS] = {
    { "shipments", FALSE,
      COLS ("shipment_id", "partner_id", "product_id", "shipped_on", "quantity", "amount"),
      KINDS (ID, ID, ID, DAY, DEC, DEC) },
    AT (QtShipment, OF (QtShipment, shipment_id), OF (QtShipment, partner_id),
        OF (QtShipment, product_id), OF (QtShipment, shipped_on), OF (QtShipment, quantity),
        OF (QtShipment, amount)),
    KEY_ID, 1, QT_ID_SHIPMENT },
  [QT_TABLE_PARTNER_INVOICES] = {
    { "partner_invoices", FALSE, COLS ("invoice_id", "shipment_id", "invoiced_on", "amount"),
      KINDS (ID, ID, DAY, DEC) },
    AT (QtPartnerInvoice, OF (QtPartnerInvoice, invoice_id), OF (QtPartnerInvoice, shipment_id),
        OF (QtPartnerInvoice, invoiced_on), OF (QtPartnerInvoice, amount)),
    KEY_ID, 1, QT_ID_INVOICE },
  [QT_TABLE_ACCEPTANCES] = {
    { "acceptances", FALSE, COLS ("acceptance_id", "shipment_id", "accepted_on", "quantity"),
      KINDS (ID, ID, DAY, DEC) },
    AT (QtAcceptance, OF (QtAcceptance, acceptance_id), OF (QtAcceptance, shipment_id),
        OF (QtAcceptance, accepted_on), OF (QtAcceptance, quantity)),
    KEY_ID, 1, QT_ID_ACCEPTANCE },
};

const QtTableDesc *
qt_table_desc (QtTable table)
{
  g_return_val_if_fail (table < QT_TABLE_COUNT, NULL);
  return &layouts[table].desc;
}

/* ---- the builder ---- */

/* A composite key: up to three interned ids (equal ids are one pointer) or
 * periods. */
typedef struct {
  guintptr w[3];
} Key;

struct QtDatasetBuilder {
  QtDataset *ds;
  gint table;                 /* the current table, or -1 */
  const Layout *lay;
  char *where;                /* the current table's name in messages */
  guint columns[QT_TABLE_MAX_COLUMNS]; /* 1-based column numbers in its source */
  char *rows;                 /* n_rows rows of lay->size bytes */
  char *row;                  /* the current (last) row */
  guint n_rows, cap_rows;
  gint32 *chain;              /* KEY_CHAIN, per row: previous row of the same parent, or -1 */
  guint *chain_len;           /* and the length of that parent's chain up to the row */
  GHashTable *keys;           /* Key* → its first row (KEY_TUPLE, long chains) */
  const char *last_id[QT_TABLE_MAX_COLUMNS]; /* per column: the previous row's id */
  char *reps_where;           /* reps, for the manager checks */
  guint manager_column;
};

QtDatasetBuilder *
qt_dataset_builder_new (void)
{
  QtDatasetBuilder *b = g_new0 (QtDatasetBuilder, 1);
  b->ds = qt_dataset_new ();
  b->table = -1;
  return b;
}

static void
clear_table (QtDatasetBuilder *b)
{
  g_clear_pointer (&b->rows, g_free);
  b->row = NULL;
  g_clear_pointer (&b->chain, g_free);
  g_clear_pointer (&b->chain_len, g_free);
  g_clear_pointer (&b->keys, g_hash_table_unref);
  g_clear_pointer (&b->where, g_free);
  b->n_rows = b->cap_rows = 0;
}

void
qt_dataset_builder_free (QtDatasetBuilder *b)
{
  if (b == NULL)
    return;
  clear_table (b);
  qt_dataset_free (b->ds);
  g_free (b->reps_where);
  g_free (b);
}

QtNumStore *
qt_dataset_builder_nums (QtDatasetBuilder *b)
{
  return b->ds->nums;
}

/* Hands the current table's rows to the data set. */
static void
end_table (QtDatasetBuilder *b)
{
  if (b->table < 0 || b->table >= QT_TABLE_COUNT)
    return;
  QtDataset *ds = b->ds;
  gpointer rows = g_steal_pointer (&b->rows);
  guint n = b->n_rows;
  switch ((QtTable) b->table)
    {
    case QT_TABLE_REPS: ds->reps = rows; ds->n_reps = n; break;
    case QT_TABLE_CUSTOMERS: ds->customers = rows; ds->n_customers = n; break;
    case QT_TABLE_PRODUCTS: ds->products = rows; ds->n_products = n; break;
    case QT_TABLE_ORDERS: ds->orders = rows; ds->n_orders = n; break;
    case QT_TABLE_ORDER_LINES: ds->lines = rows; ds->n_lines = n; break;
    case QT_TABLE_SPLITS: ds->splits = rows; ds->n_splits = n; break;
    case QT_TABLE_RECEIPTS: ds->receipts = rows; ds->n_receipts = n; break;
    case QT_TABLE_ACTIVITIES: ds->activities = rows; ds->n_activities = n; break;
    case QT_TABLE_QUOTAS: ds->quotas = rows; ds->n_quotas = n; break;
    case QT_TABLE_ADJUSTMENTS: ds->adjustments = rows; ds->n_adjustments = n; break;
    case QT_TABLE_PARTNERS: ds->partners = rows; ds->n_partners = n; break;
    case QT_TABLE_SHIPMENTS: ds->shipments = rows; ds->n_shipments = n; break;
    case QT_TABLE_PARTNER_INVOICES: ds->invoices = rows; ds->n_invoices = n; break;
    case QT_TABLE_ACCEPTANCES: ds->acceptances = rows; ds->n_acceptances = n; break;
    default: g_assert_not_reached ();
    }
  clear_table (b);
}

/* Room for `cap` rows (and their chain links). */
static void
rows_reserve (QtDatasetBuilder *b, guint cap)
{
  b->rows = g_realloc_n (b->rows, cap, b->lay->size);
  if (b->lay->key == KEY_CHAIN)
    {
      b->chain = g_renew (gint32, b->chain, cap);
      b->chain_len = g_renew (guint, b->chain_len, cap);
    }
  b->cap_rows = cap;
}

static guint
key_hash (gconstpointer p)
{
  const Key *k = p;
  guint64 h = (guint64) k->w[0] * 0x9E3779B97F4A7C15u;
  h ^= (guint64) k->w[1] * 0xC2B2AE3D27D4EB4Fu + (h >> 29);
  h ^= (guint64) k->w[2] * 0x165667B19E3779F9u + (h >> 31);
  return (guint) (h ^ (h >> 32));
}

static gboolean
key_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (Key)) == 0;
}

void
qt_dataset_builder_begin_table (QtDatasetBuilder *b, QtTable table, const char *source,
                                const char *where, const guint *columns, guint rows_hint)
{
  g_return_if_fail (table < QT_TABLE_COUNT && (gint) table > b->table);
  /* the rebate tables' ids use the slots of these (model/intern.h) */
  g_return_if_fail (table < QT_TABLE_PARTNERS
                    || (b->ds->source[QT_TABLE_REPS] == NULL && b->ds->source[QT_TABLE_ORDERS] == NULL
                        && b->ds->source[QT_TABLE_RECEIPTS] == NULL
                        && b->ds->source[QT_TABLE_ADJUSTMENTS] == NULL));
  end_table (b);
  const Layout *lay = &layouts[table];
  b->table = (gint) table;
  b->lay = lay;
  b->where = g_strdup (where != NULL ? where : source);
  memcpy (b->columns, columns, sizeof (guint) * lay->desc.n_columns);
  memset (b->last_id, 0, sizeof b->last_id);
  b->ds->source[table] = qt_interner_copy (b->ds->ids, source, strlen (source));
  /* Room for every row at once: no array is copied while it grows, and
   * the ids a table defines cost one rehash at most. */
  rows_reserve (b, MAX (rows_hint, 16u));
  if (lay->key == KEY_ID)
    qt_interner_reserve (b->ds->ids, rows_hint);
  b->keys = g_hash_table_new_full (key_hash, key_equal, g_free, NULL);
  if (table == QT_TABLE_PARTNERS)
    b->ds->partners_plan_column = columns[2];
  if (table == QT_TABLE_REPS)
    {
      g_free (b->reps_where);
      b->reps_where = g_strdup (b->where);
      b->manager_column = columns[3];
      b->ds->reps_plan_column = columns[4];
    }
}

static char *
row_at (const QtDatasetBuilder *b, guint row)
{
  return b->rows + (gsize) row * b->lay->size;
}

static guint
line_of (const QtDatasetBuilder *b, guint row)
{
  guint line;
  memcpy (&line, row_at (b, row) + b->lay->line_at, sizeof line);
  return line;
}

/* Column `col` of the current (last) row. */
static gpointer
cell (QtDatasetBuilder *b, guint col, QtColumnKind kind)
{
  g_assert (b->n_rows > 0 && col < b->lay->desc.n_columns);
  g_assert (b->lay->desc.kinds[col] == kind
            || (kind == QT_COLUMN_ID && b->lay->desc.kinds[col] == QT_COLUMN_OPT_ID));
  return b->row + b->lay->at[col];
}

void
qt_dataset_builder_new_row (QtDatasetBuilder *b, guint line)
{
  g_return_if_fail (b->table >= 0);
  if (b->n_rows == b->cap_rows)
    rows_reserve (b, b->cap_rows * 2);
  char *row = b->row = row_at (b, b->n_rows++);
  memset (row, 0, b->lay->size);
  memcpy (row + b->lay->line_at, &line, sizeof line);
  if (b->table == QT_TABLE_REPS)
    ((QtRep *) (void *) row)->manager = -1;
}

static gboolean
row_error (QtDatasetBuilder *b, guint col, GError **error, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

/* `WHERE:LINE:COLUMN: message` at column `col` of the current row. */
static gboolean
row_error (QtDatasetBuilder *b, guint col, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%s:%u:%u: %s", b->where,
               line_of (b, b->n_rows - 1), b->columns[col], msg);
  return FALSE;
}

/* Column `col` := the interned id s[0..len); `hash` is its
 * qt_intern_hash, or NULL when not computed yet. */
static gboolean
set_id (QtDatasetBuilder *b, guint col, const char *s, gsize len, const guint32 *hash,
        GError **error)
{
  const char **out = cell (b, col, QT_COLUMN_ID);
  if (len == 0)
    {
      if (b->lay->desc.kinds[col] == QT_COLUMN_OPT_ID)
        return TRUE; /* none */
      return row_error (b, col, error, "%s must not be empty", b->lay->desc.columns[col]);
    }
  /* Rows often repeat the previous row's id (the lines of one order):
   * reuse it without hashing. */
  const char *last = b->last_id[col];
  if (last == NULL || !qt_id_equals (last, s, len))
    last = b->last_id[col] = hash != NULL ? qt_intern_hashed (b->ds->ids, s, len, *hash)
                                          : qt_intern (b->ds->ids, s, len);
  *out = last;
  return TRUE;
}

gboolean
qt_dataset_builder_set_id (QtDatasetBuilder *b, guint col, const char *s, gsize len,
                           GError **error)
{
  return set_id (b, col, s, len, NULL, error);
}

gboolean
qt_dataset_builder_set_id_hashed (QtDatasetBuilder *b, guint col, const char *s, gsize len,
                                  guint32 hash, GError **error)
{
  return set_id (b, col, s, len, &hash, error);
}

void
qt_dataset_builder_prefetch_id (QtDatasetBuilder *b, guint32 hash, int stage)
{
  qt_intern_prefetch (b->ds->ids, hash, stage);
}

void
qt_dataset_builder_set_text (QtDatasetBuilder *b, guint col, const char *s, gsize len)
{
  const char **out = cell (b, col, QT_COLUMN_TEXT);
  *out = qt_interner_copy (b->ds->ids, s, len);
}

void
qt_dataset_builder_set_num (QtDatasetBuilder *b, guint col, QtNum v)
{
  memcpy (cell (b, col, QT_COLUMN_DECIMAL), &v, sizeof v);
}

void
qt_dataset_builder_set_day (QtDatasetBuilder *b, guint col, QtDay v)
{
  memcpy (cell (b, col, QT_COLUMN_DATE), &v, sizeof v);
}

void
qt_dataset_builder_set_period (QtDatasetBuilder *b, guint col, QtPeriod v)
{
  memcpy (cell (b, col, QT_COLUMN_PERIOD), &v, sizeof v);
}

void
qt_dataset_builder_set_status (QtDatasetBuilder *b, guint col, QtStatus v)
{
  memcpy (cell (b, col, QT_COLUMN_STATUS), &v, sizeof v);
}

/* ---- keys ---- */

/* Key column `col` of `row` as a word (an id's pointer, or a period). */
static guintptr
key_word (const QtDatasetBuilder *b, guint row, guint col)
{
  const char *p = row_at (b, row) + b->lay->at[col];
  if (b->lay->desc.kinds[col] == QT_COLUMN_PERIOD)
    {
      QtPeriod v;
      memcpy (&v, p, sizeof v);
      return (guintptr) (guint32) v;
    }
  const char *id;
  memcpy (&id, p, sizeof id);
  return (guintptr) id;
}

static Key
key_of (const QtDatasetBuilder *b, guint row)
{
  Key k = { { 0, 0, 0 } };
  for (guint c = 0; c < b->lay->n_key; c++)
    k.w[c] = key_word (b, row, c);
  return k;
}

/* SPEC §12.1.7: a repeated key is malformed at its second occurrence. */
static gboolean
duplicate (QtDatasetBuilder *b, guint first_row, GError **error)
{
  GString *names = g_string_new (NULL);
  guint row = b->n_rows - 1;
  for (guint c = 0; c < b->lay->n_key; c++)
    {
      char buf[8];
      guintptr w = key_word (b, row, c);
      const char *text = b->lay->desc.kinds[c] == QT_COLUMN_PERIOD
                           ? qt_period_format ((QtPeriod) (guint32) w, buf)
                           : (const char *) w;
      g_string_append_printf (names, "%s%s='%s'", c ? ", " : "", b->lay->desc.columns[c], text);
    }
  g_autofree char *what = g_string_free (names, FALSE);
  return row_error (b, 0, error, "duplicate key %s (first on line %u)", what,
                    line_of (b, first_row));
}

/* The current row's key into the hash table: FALSE with the row of its
 * first occurrence in *first when it is there already. */
static gboolean
key_insert (QtDatasetBuilder *b, guint row, guint *first)
{
  Key k = key_of (b, row);
  gpointer found;
  if (g_hash_table_lookup_extended (b->keys, &k, NULL, &found))
    {
      *first = GPOINTER_TO_UINT (found);
      return FALSE;
    }
  g_hash_table_insert (b->keys, g_memdup2 (&k, sizeof k), GUINT_TO_POINTER (row));
  return TRUE;
}

/* A one-column key: the interned id remembers the row that defines it. */
static gboolean
check_id_key (QtDatasetBuilder *b, GError **error)
{
  const char *id = (const char *) key_word (b, b->n_rows - 1, 0);
  gint32 first = qt_id_row (id, b->lay->id_kind);
  if (first >= 0)
    return duplicate (b, (guint) first, error);
  qt_id_set_row (id, b->lay->id_kind, (gint32) b->n_rows - 1);
  return TRUE;
}

/* Beyond this many rows per parent, a chain is no longer walked: the keys
 * go to the hash table instead, so no input can make this quadratic. */
#define CHAIN_WALK_MAX 32

/* A key (parent id, child id) — order_lines (order_id, line_no), splits
 * (order_id, rep_id) — checked by walking the short chain of earlier rows
 * of the same parent (the interned parent id knows the last one), whose
 * ids were just touched and are in cache. */
static gboolean
check_chain_key (QtDatasetBuilder *b, GError **error)
{
  guint row = b->n_rows - 1;
  const char *parent = (const char *) key_word (b, row, 0);
  guintptr child = key_word (b, row, 1);
  gint32 prev = qt_id_row (parent, b->lay->id_kind);
  guint len = prev < 0 ? 1 : b->chain_len[prev] + 1;
  b->chain[row] = prev;
  b->chain_len[row] = len;
  qt_id_set_row (parent, b->lay->id_kind, (gint32) row);
  guint first;
  if (len > CHAIN_WALK_MAX)
    {
      if (len == CHAIN_WALK_MAX + 1) /* the chain so far into the table */
        for (gint32 r = prev; r >= 0; r = b->chain[r])
          key_insert (b, (guint) r, &first);
      return key_insert (b, row, &first) || duplicate (b, first, error);
    }
  for (gint32 r = prev; r >= 0; r = b->chain[r])
    if (key_word (b, (guint) r, 1) == child)
      return duplicate (b, (guint) r, error);
  return TRUE;
}

/* The current row's links to the rows of earlier tables its ids name. */
static void
link_row (QtDatasetBuilder *b)
{
  char *row = row_at (b, b->n_rows - 1);
  switch ((QtTable) b->table)
    {
    case QT_TABLE_ORDERS:
      {
        QtOrder *o = (QtOrder *) (void *) row;
        o->customer_row = qt_id_row (o->customer_id, QT_ID_CUSTOMER);
        break;
      }
    case QT_TABLE_ORDER_LINES:
      {
        QtOrderLine *l = (QtOrderLine *) (void *) row;
        l->order_row = qt_id_row (l->order_id, QT_ID_ORDER);
        break;
      }
    case QT_TABLE_SPLITS:
      {
        QtSplit *s = (QtSplit *) (void *) row;
        s->order_row = qt_id_row (s->order_id, QT_ID_ORDER);
        break;
      }
    case QT_TABLE_RECEIPTS:
      {
        QtReceipt *r = (QtReceipt *) (void *) row;
        r->order_row = qt_id_row (r->order_id, QT_ID_ORDER);
        break;
      }
    case QT_TABLE_SHIPMENTS:
      {
        QtShipment *s = (QtShipment *) (void *) row;
        s->partner_row = qt_id_row (s->partner_id, QT_ID_PARTNER);
        s->product_row = qt_id_row (s->product_id, QT_ID_PRODUCT);
        break;
      }
    case QT_TABLE_PARTNER_INVOICES:
      {
        QtPartnerInvoice *i = (QtPartnerInvoice *) (void *) row;
        i->shipment_row = qt_id_row (i->shipment_id, QT_ID_SHIPMENT);
        break;
      }
    case QT_TABLE_ACCEPTANCES:
      {
        QtAcceptance *a = (QtAcceptance *) (void *) row;
        a->shipment_row = qt_id_row (a->shipment_id, QT_ID_SHIPMENT);
        break;
      }
    default:
      break;
    }
}

/* SPEC §11 rule 1: a shipment's quantity and amount are > 0. */
static gboolean
check_values (QtDatasetBuilder *b, GError **error)
{
  if (b->table != QT_TABLE_SHIPMENTS)
    return TRUE;
  const QtShipment *s = (const QtShipment *) (const void *) row_at (b, b->n_rows - 1);
  if (qt_num_sgn (b->ds->nums, s->quantity) <= 0)
    return row_error (b, 4, error, "quantity must be greater than 0");
  if (qt_num_sgn (b->ds->nums, s->amount) <= 0)
    return row_error (b, 5, error, "amount must be greater than 0");
  return TRUE;
}

gboolean
qt_dataset_builder_end_row (QtDatasetBuilder *b, GError **error)
{
  g_return_val_if_fail (b->table >= 0 && b->n_rows > 0, FALSE);
  if (!check_values (b, error))
    return FALSE;
  link_row (b);
  guint first;
  switch (b->lay->key)
    {
    case KEY_ID:
      return check_id_key (b, error);
    case KEY_CHAIN:
      return check_chain_key (b, error);
    case KEY_TUPLE:
      return key_insert (b, b->n_rows - 1, &first) || duplicate (b, first, error);
    default:
      g_assert_not_reached ();
    }
}

void
qt_dataset_builder_add_file (QtDatasetBuilder *b, QtInputFile *file)
{
  g_ptr_array_add (b->ds->files, file);
}

/* ---- managers ---- */

/* SPEC §12.1.8: no manager cycle.  Each rep's chain is walked once
 * (reps already known to end at the top are not walked again), so this is
 * linear; a cycle is reported at its rep with the smallest line, which is
 * on the cycle itself. */
static gboolean
check_manager_cycles (const QtDatasetBuilder *b, GError **error)
{
  const QtDataset *ds = b->ds;
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
                       "%s:%u:%u: rep '%s' is their own (indirect) manager: manager cycle",
                       b->reps_where, ds->reps[worst].line, b->manager_column,
                       ds->reps[worst].rep_id);
          return FALSE;
        }
      for (m = (gint) i; m >= 0 && state[m] == ON_PATH; m = ds->reps[m].manager)
        state[m] = DONE;
    }
  return TRUE;
}

/* SPEC §12.1.8: every manager_id names a rep, and no manager cycle. */
static gboolean
link_managers (QtDatasetBuilder *b, GError **error)
{
  QtDataset *ds = b->ds;
  for (guint i = 0; i < ds->n_reps; i++)
    {
      QtRep *r = &ds->reps[i];
      if (r->manager_id == NULL)
        continue;
      gint32 m = qt_id_row (r->manager_id, QT_ID_REP);
      if (m < 0)
        {
          g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED,
                       "%s:%u:%u: manager_id '%s' of rep '%s' names no rep", b->reps_where,
                       r->line, b->manager_column, r->manager_id, r->rep_id);
          return FALSE;
        }
      r->manager = m;
    }
  return check_manager_cycles (b, error);
}

static gint
file_cmp (gconstpointer a, gconstpointer b)
{
  const QtInputFile *fa = *(QtInputFile *const *) a, *fb = *(QtInputFile *const *) b;
  return strcmp (fa->name, fb->name);
}

QtDataset *
qt_dataset_builder_finish (QtDatasetBuilder *b, GError **error)
{
  g_return_val_if_fail (b->ds != NULL, NULL);
  end_table (b);
  b->table = QT_TABLE_COUNT;
  if (!link_managers (b, error))
    return NULL;
  qt_interner_seal (b->ds->ids);
  g_ptr_array_sort (b->ds->files, file_cmp);
  return g_steal_pointer (&b->ds);
}
