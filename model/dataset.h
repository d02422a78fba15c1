/* model/dataset.h — the in-memory data set of SPEC §2, independent of where
 * it came from (CSV files today, PostgreSQL later).
 *
 * Every table keeps its rows in input order with the physical line of each
 * row in its source (exceptions point there, SPEC §12.1.10: the table's
 * `source` and the row's line).  Ids are
 * interned in the data set's QtInterner (equal ids are the same pointer, and
 * qt_id_row() gives the row an id names in each key table: the builder,
 * model/dataset_builder.h, interns every id and sets those rows, then seals
 * the interner: nothing is interned after loading); free text is copied into the same
 * arena; numbers are exact compact decimals (QtNum, long ones in `nums`). */
#pragma once

#include <glib.h>
#include <gmp.h>

#include "date.h"
#include "intern.h"
#include "money.h"
#include "status.h"

G_BEGIN_DECLS

typedef struct {
  const char *rep_id, *name, *team_id;
  const char *manager_id; /* NULL: no manager */
  const char *plan_id;
  guint line;
  gint manager;           /* index of the manager in reps[], -1 for none */
} QtRep;

typedef struct {
  const char *customer_id, *name;
  guint line;
} QtCustomer;

typedef struct {
  const char *product_id, *name, *category;
  guint line;
} QtProduct;

/* customer_row: the row of customers that customer_id names, or -1 —
 * qt_id_row (customer_id, QT_ID_CUSTOMER), kept by the builder so that
 * grouping a million orders by customer reads them in order instead of a
 * million ids at random. */
typedef struct {
  const char *order_id, *customer_id, *rep_id;
  QtDay signed_on;
  QtStatus status;
  guint line;
  gint32 customer_row;
} QtOrder;

/* order_row in the three tables below: the row of orders that order_id
 * names, or -1 — qt_id_row (order_id, QT_ID_ORDER), kept by the builder so
 * that the calculation does not look it up again at random. */
typedef struct {
  const char *order_id, *line_no, *product_id;
  QtNum quantity, unit_price, unit_cost;
  guint line;
  gint32 order_row;
} QtOrderLine;

typedef struct {
  const char *order_id, *rep_id;
  QtNum share;
  guint line;
  gint32 order_row;
} QtSplit;

typedef struct {
  const char *receipt_id, *order_id;
  QtDay received_on;
  gint32 order_row;
  QtNum amount;
  guint line;
} QtReceipt;

typedef struct {
  const char *rep_id, *metric;
  QtPeriod period;
  QtNum value;
  guint line;
} QtActivity;

typedef struct {
  const char *rep_id;
  QtPeriod period;
  QtNum quota;
  guint line;
} QtQuota;

typedef struct {
  const char *adjustment_id, *rep_id, *reason;
  QtPeriod period;
  QtNum amount;
  guint line;
} QtAdjustment;

/* SPEC §11, distributor rebates.  partner_row and product_row: the rows
 * partner_id and product_id name, or -1 (unknown_partner,
 * unknown_product); shipment_row: the row of shipments shipment_id names,
 * or -1 (an orphan invoice or acceptance). */
typedef struct {
  const char *partner_id, *name, *rebate_plan;
  guint line;
} QtPartner;

typedef struct {
  const char *shipment_id, *partner_id, *product_id;
  QtDay shipped_on;
  QtNum quantity, amount;   /* both > 0 */
  guint line;
  gint32 partner_row, product_row;
} QtShipment;

typedef struct {
  const char *invoice_id, *shipment_id;
  QtDay invoiced_on;
  QtNum amount;             /* negative: a credit note */
  guint line;
  gint32 shipment_row;
} QtPartnerInvoice;

typedef struct {
  const char *acceptance_id, *shipment_id;
  QtDay accepted_on;
  QtNum quantity;
  guint line;
  gint32 shipment_row;
} QtAcceptance;

/* Which version of a file was read: its device and inode, size, and
 * modification and status-change times (ns).  Any write, truncation or
 * replacement of the file changes one of them. */
typedef struct {
  guint64 dev, ino, size;
  gint64 mtime_ns, ctime_ns;
} QtFileStamp;

/* One input file as read: its bare name, bytes (for the run's snapshot and
 * manifest; NULL once handed on, see QtFileLoaded), data-row count,
 * SHA-256, and the stamp of the version read (when `stamped`: an absent
 * optional file has none). */
typedef struct {
  char *name;
  GBytes *bytes;
  guint rows;
  char *sha256;
  QtFileStamp stamp;
  gboolean stamped;
} QtInputFile;

/* The tables of SPEC §2, in the order they are built (a table's rows may
 * name ids of the tables before it). */
typedef enum {
  QT_TABLE_REPS,
  QT_TABLE_CUSTOMERS,
  QT_TABLE_PRODUCTS,
  QT_TABLE_ORDERS,
  QT_TABLE_ORDER_LINES,
  QT_TABLE_SPLITS,
  QT_TABLE_RECEIPTS,
  QT_TABLE_ACTIVITIES,
  QT_TABLE_QUOTAS,
  QT_TABLE_ADJUSTMENTS,
  QT_TABLE_PARTNERS,          /* SPEC §11: a rebate run's tables */
  QT_TABLE_SHIPMENTS,
  QT_TABLE_PARTNER_INVOICES,
  QT_TABLE_ACCEPTANCES,
  QT_TABLE_COUNT
} QtTable;

/* Sets of tables, as bits (1 << QtTable): what a kind of run loads. */
#define QT_TABLE_BIT(t) (1u << (t))
#define QT_TABLES_COMMISSION ((guint) (QT_TABLE_BIT (QT_TABLE_ADJUSTMENTS + 1) - 1))
#define QT_TABLES_REBATE \
  (QT_TABLE_BIT (QT_TABLE_PRODUCTS) | QT_TABLE_BIT (QT_TABLE_PARTNERS) \
   | QT_TABLE_BIT (QT_TABLE_SHIPMENTS) | QT_TABLE_BIT (QT_TABLE_PARTNER_INVOICES) \
   | QT_TABLE_BIT (QT_TABLE_ACCEPTANCES))

typedef struct {
  QtRep *reps;               guint n_reps;
  QtCustomer *customers;     guint n_customers;
  QtProduct *products;       guint n_products;
  QtOrder *orders;           guint n_orders;
  QtOrderLine *lines;        guint n_lines;
  QtSplit *splits;           guint n_splits;
  QtReceipt *receipts;       guint n_receipts;
  QtActivity *activities;    guint n_activities;
  QtQuota *quotas;           guint n_quotas;
  QtAdjustment *adjustments; guint n_adjustments;
  QtPartner *partners;       guint n_partners;
  QtShipment *shipments;     guint n_shipments;
  QtPartnerInvoice *invoices; guint n_invoices;
  QtAcceptance *acceptances; guint n_acceptances;

  /* Where each table came from, as exceptions and messages name it with a
   * row's line: "orders.csv" for the CSV loader (NULL for a table no
   * loader gave, which has no rows). */
  const char *source[QT_TABLE_COUNT];
  guint reps_plan_column;    /* 1-based field number of reps plan_id, for messages */
  guint partners_plan_column; /* and of partners rebate_plan */
  GPtrArray *files;          /* QtInputFile*, sorted by name */
  QtInterner *ids;           /* owns every const char* above */
  QtNumStore *nums;          /* owns the long QtNum values */
} QtDataset;

/* An empty data set; tables are filled by a loader. (transfer full) */
QtDataset *qt_dataset_new (void);
void qt_dataset_free (QtDataset *ds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QtDataset, qt_dataset_free)

G_END_DECLS
