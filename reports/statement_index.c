/* reports/statement_index.c — SPEC §5 statements: the safe file stem, the
 * index both renderings read (built only from what the run's slices
 * need), and the facts both renderings state. */
#include "statement_internal.h"

#include <string.h>

#include "../model/money.h"

const char *const qt_statement_mult_ids[QT_MULT_COUNT] = { "new_customer", "high_margin",
                                                           "fast_collection" };

/* ---- file stem ---------------------------------------------------------- */

/* Whether a stem keeps byte c as it is. */
static gboolean
stem_keeps (guchar c, gboolean first, gboolean utf8)
{
  if (g_ascii_isalnum (c) || c == '_' || c == '-')
    return TRUE;
  if (c == '.')
    return !first; /* a leading '.' would make "." / ".." / hidden files */
  return c >= 0x80 && utf8;
}

/* The safe file stem of a rep id (see statement.h). */
char *
qt_statement_file_stem (const char *rep_id)
{
  g_return_val_if_fail (rep_id != NULL, NULL);
  /* Only valid UTF-8 is kept raw, so a stem is always a valid file name text. */
  const gboolean utf8 = g_utf8_validate (rep_id, -1, NULL);
  GString *s = g_string_new (NULL);
  for (const guchar *p = (const guchar *) rep_id; *p; p++)
    {
      if (stem_keeps (*p, p == (const guchar *) rep_id, utf8))
        g_string_append_c (s, (char) *p);
      else
        g_string_append_printf (s, "%%%02X", (guint) *p);
    }
  return g_string_free (s, FALSE);
}

/* ---- the index ---------------------------------------------------------- */

/* res->slices grouped by rep (a stable counting sort keeps their order). */
static void
index_slices (QtStatementIndex *ix)
{
  const QtRunResult *res = ix->res;
  const guint n = res->slices != NULL ? res->slices->len : 0;
  ix->slice_start = g_new0 (guint, res->ds->n_reps + 2);
  for (guint k = 0; k < n; k++)
    ix->slice_start[g_array_index (res->slices, QtSlice, k).rep + 1]++;
  for (guint r = 0; r < res->ds->n_reps; r++)
    ix->slice_start[r + 1] += ix->slice_start[r];
  g_autofree guint *fill = g_memdup2 (ix->slice_start, sizeof (guint) * (res->ds->n_reps + 1));
  ix->slices = g_new (const QtSlice *, n + 1);
  for (guint k = 0; k < n; k++)
    {
      const QtSlice *sl = &g_array_index (res->slices, QtSlice, k);
      ix->slices[fill[sl->rep]++] = sl;
    }
}

/* Row of the order a receipt pays. */
guint
qt_statement_order_row (const QtReceipt *rc)
{
  return (guint) rc->order_row; /* a credited receipt has an order */
}

/* Whether sl is a refund whose fast_collection timing uses its order's
 * first positive receipt. */
static gboolean
timed_by_first_positive (const QtDataset *ds, const QtSlice *sl)
{
  return (sl->mult_mask & (1u << QT_MULT_FAST_COLLECTION))
         && qt_num_sgn (ds->nums, ds->receipts[sl->receipt].amount) < 0;
}

/* One slot per order that some slice names, numbered in slice order;
 * `needy` receives the ids of the orders (each once) whose first positive
 * receipt a refund needs. */
static void
index_order_slots (QtStatementIndex *ix, GPtrArray *needy)
{
  const QtDataset *ds = ix->res->ds;
  const guint n = ix->res->slices != NULL ? ix->res->slices->len : 0;
  g_autofree gboolean *marked = g_new0 (gboolean, n + 1); /* per slot */
  ix->order_slot = g_new0 (guint, ds->n_orders + 1);
  for (guint k = 0; k < n; k++)
    {
      const QtSlice *sl = &g_array_index (ix->res->slices, QtSlice, k);
      const QtReceipt *rc = &ds->receipts[sl->receipt];
      const guint o = qt_statement_order_row (rc);
      if (ix->order_slot[o] == 0)
        ix->order_slot[o] = ++ix->n_orders;
      if (timed_by_first_positive (ds, sl) && !marked[ix->order_slot[o] - 1])
        {
          marked[ix->order_slot[o] - 1] = TRUE;
          g_ptr_array_add (needy, (gpointer) rc->order_id);
        }
    }
  ix->orders = g_new0 (QtStatementOrder, ix->n_orders + 1);
  for (guint k = 0; k < ix->n_orders; k++)
    ix->orders[k].first_positive = -1;
}

/* Slot + 1 of the order an id names, 0 when no slice names it. */
static guint
slot_of (const QtStatementIndex *ix, const char *order_id)
{
  const gint o = qt_id_row (order_id, QT_ID_ORDER);
  return o >= 0 ? ix->order_slot[o] : 0;
}

/* SPEC §4.2: the order nets of the slotted orders, in one pass over the
 * lines (the id → row read is skipped while consecutive lines name one
 * order). */
static void
index_order_nets (QtStatementIndex *ix)
{
  const QtDataset *ds = ix->res->ds;
  const char *last = NULL;
  guint slot = 0;
  QtRat q = { 0 }, p = { 0 };
  for (guint i = 0; i < ds->n_lines; i++)
    {
      const QtOrderLine *ln = &ds->lines[i];
      if (ln->order_id != last)
        slot = slot_of (ix, last = ln->order_id);
      if (slot == 0)
        continue;
      qt_rat_set_num (&q, ds->nums, ln->quantity);
      qt_rat_set_num (&p, ds->nums, ln->unit_price);
      qt_rat_mul (&q, &q, &p);
      qt_rat_add (&ix->orders[slot - 1].net, &ix->orders[slot - 1].net, &q);
    }
  qt_rat_clear (&q);
  qt_rat_clear (&p);
}

/* An open-addressing set of interned ids (pointers; NULL is empty). */
typedef struct {
  const char **slot;
  guint mask;
} IdSet;

/* Home slot of an id pointer (Fibonacci hashing of its address). */
static guint
id_home (const IdSet *set, const char *id)
{
  return (guint) (((guint64) (guintptr) id * 0x9E3779B97F4A7C15ull) >> 40) & set->mask;
}

/* Adds an id to the set. */
static void
id_set_add (IdSet *set, const char *id)
{
  guint i = id_home (set, id);
  while (set->slot[i] != NULL && set->slot[i] != id)
    i = (i + 1) & set->mask;
  set->slot[i] = id;
}

/* Whether the set holds the id. */
static gboolean
id_set_has (const IdSet *set, const char *id)
{
  for (guint i = id_home (set, id); set->slot[i] != NULL; i = (i + 1) & set->mask)
    if (set->slot[i] == id)
      return TRUE;
  return FALSE;
}

/* Whether receipt i beats the current best (received_on, then receipt_id). */
static gboolean
earlier_receipt (const QtDataset *ds, guint i, gint best)
{
  const QtReceipt *rc = &ds->receipts[i];
  return best < 0 || rc->received_on < ds->receipts[best].received_on
         || (rc->received_on == ds->receipts[best].received_on
             && strcmp (rc->receipt_id, ds->receipts[best].receipt_id) < 0);
}

/* SPEC §12.5.3: earliest positive receipt of the orders in `needy`: one
 * pass over the receipts (none when no refund needs it) that tests the
 * order id's address against a small set, so no other receipt costs a
 * memory read. */
static void
index_first_positive (QtStatementIndex *ix, const GPtrArray *needy)
{
  const QtDataset *ds = ix->res->ds;
  if (needy->len == 0)
    return;
  guint size = 16;
  while (size < 2 * needy->len)
    size *= 2;
  g_autofree const char **slots = g_new0 (const char *, size);
  IdSet set = { slots, size - 1 };
  for (guint k = 0; k < needy->len; k++)
    id_set_add (&set, g_ptr_array_index (needy, k));
  for (guint i = 0; i < ds->n_receipts; i++)
    {
      const QtReceipt *rc = &ds->receipts[i];
      if (!id_set_has (&set, rc->order_id) || qt_num_sgn (ds->nums, rc->amount) <= 0)
        continue;
      gint *best = &ix->orders[slot_of (ix, rc->order_id) - 1].first_positive;
      if (earlier_receipt (ds, i, *best))
        *best = (gint) i;
    }
}

/* Team sizes per rep (a team id is not a keyed id, so count by hash). */
static void
index_teams (QtStatementIndex *ix)
{
  const QtDataset *ds = ix->res->ds;
  /* keys: team ids (borrowed from the data set); values: counts */
  g_autoptr (GHashTable) sizes = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ds->n_reps; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, ds->reps[i].team_id));
      g_hash_table_insert (sizes, (gpointer) ds->reps[i].team_id, GUINT_TO_POINTER (n + 1));
    }
  ix->team_size = g_new0 (guint, ds->n_reps + 1);
  for (guint i = 0; i < ds->n_reps; i++)
    ix->team_size[i] = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, ds->reps[i].team_id));
}

/* Builds the index from what the run's slices name. */
QtStatementIndex *
qt_statement_index_new (const QtRunResult *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  QtStatementIndex *ix = g_new0 (QtStatementIndex, 1);
  ix->res = res;
  g_autoptr (GPtrArray) needy = g_ptr_array_new (); /* order ids, borrowed */
  index_slices (ix);
  index_order_slots (ix, needy);
  index_order_nets (ix);
  index_first_positive (ix, needy);
  index_teams (ix);
  return ix;
}

/* Frees the index and the long order nets it owns. */
void
qt_statement_index_free (QtStatementIndex *ix)
{
  if (ix == NULL)
    return;
  for (guint k = 0; k < ix->n_orders; k++)
    qt_rat_clear (&ix->orders[k].net);
  g_free (ix->orders);
  g_free (ix->order_slot);
  g_free (ix->slices);
  g_free (ix->slice_start);
  g_free (ix->team_size);
  g_free (ix);
}

/* The slices of data set rep `rep`, in res->slices order. */
static const QtSlice *const *
rep_slices (const QtStatementIndex *ix, guint rep, guint *n)
{
  *n = ix->slice_start[rep + 1] - ix->slice_start[rep];
  return ix->slices + ix->slice_start[rep];
}

/* Hints that *p will be read soon (a no-op where the compiler has no hint). */
static inline void
prefetch (const void *p)
{
#if defined(__GNUC__)
  __builtin_prefetch (p);
#else
  (void) p;
#endif
}

/* Gathers a rep's credits in three tight passes. */
QtStatementCredit *
qt_statement_credits (const QtStatementIndex *ix, guint rep, guint *n)
{
  const QtDataset *ds = ix->res->ds;
  const QtSlice *const *slices = rep_slices (ix, rep, n);
  QtStatementCredit *c = g_new (QtStatementCredit, *n + 1);
  /* Stage by stage, each loop's reads independent of one another. */
  for (guint k = 0; k < *n; k++)
    {
      /* A rep's slices are spread over the month's list: each a few
       * ahead, both of its cache lines. */
      if (k + 8 < *n)
        {
          prefetch (slices[k + 8]);
          prefetch ((const char *) slices[k + 8] + sizeof (QtSlice) - 1);
        }
      c[k].sl = slices[k];
      c[k].rc = &ds->receipts[slices[k]->receipt];
      c[k].ln = &ds->lines[slices[k]->line];
      prefetch (c[k].rc);
      prefetch (c[k].ln);
    }
  for (guint k = 0; k < *n; k++)
    {
      const guint o = qt_statement_order_row (c[k].rc);
      const gint pr = qt_id_row (c[k].ln->product_id, QT_ID_PRODUCT);
      c[k].ord = &ds->orders[o];
      c[k].product = pr >= 0 ? &ds->products[pr] : NULL;
      prefetch (c[k].ord);
      prefetch (&ix->order_slot[o]);
      prefetch (c[k].ln->line_no);
      prefetch (c[k].rc->receipt_id);
    }
  for (guint k = 0; k < *n; k++)
    {
      c[k].order = qt_statement_order (ix, qt_statement_order_row (c[k].rc));
      prefetch (c[k].order);
      qt_id_prefetch_rows (c[k].ord->customer_id);
      qt_id_prefetch_rows (c[k].ord->order_id); /* the JSON's orders look it up */
      prefetch (c[k].ord->order_id);
    }
  for (guint k = 0; k < *n; k++)
    {
      const gint cu = qt_id_row (c[k].ord->customer_id, QT_ID_CUSTOMER);
      c[k].customer = cu >= 0 ? &ds->customers[cu] : NULL;
      if (c[k].customer != NULL)
        prefetch (c[k].customer->name);
      if (c[k].product != NULL)
        prefetch (c[k].product->name);
    }
  return c;
}

/* The index entry of an order some slice names. */
const QtStatementOrder *
qt_statement_order (const QtStatementIndex *ix, guint order_row)
{
  return &ix->orders[ix->order_slot[order_row] - 1];
}

/* The receipt that times fast_collection for sl. */
const QtReceipt *
qt_statement_timed_by (const QtStatementIndex *ix, const QtSlice *sl)
{
  const QtDataset *ds = ix->res->ds;
  const QtReceipt *rc = &ds->receipts[sl->receipt];
  if (!timed_by_first_positive (ds, sl))
    return rc;
  const gint first = qt_statement_order (ix, qt_statement_order_row (rc))->first_positive;
  return first >= 0 ? &ds->receipts[first] : rc;
}

/* ---- facts both renderings state ---------------------------------------- */

/* rep_id order of two positions into res->reps. */
static gint
report_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const QtRunResult *res = data;
  return strcmp (res->ds->reps[res->reps[*(const guint *) a].rep].rep_id,
                 res->ds->reps[res->reps[*(const guint *) b].rep].rep_id);
}

/* r's direct reports by rep_id. */
guint *
qt_statement_reports_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_reports + 1);
  if (r->n_reports > 0)
    memcpy (order, r->reports, sizeof (guint) * r->n_reports);
  g_qsort_with_data (order, (gint) r->n_reports, sizeof (guint), report_cmp, (gpointer) res);
  return order;
}

typedef struct {
  const QtRunResult *res;
  const QtRepResult *r;
} AdjCtx;

/* adjustment_id order of two positions into r->adjustments. */
static gint
adjustment_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const AdjCtx *c = data;
  const QtAdjustment *x = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) a]];
  const QtAdjustment *y = &c->res->ds->adjustments[c->r->adjustments[*(const guint *) b]];
  return strcmp (x->adjustment_id, y->adjustment_id);
}

/* r's adjustments by adjustment_id. */
guint *
qt_statement_adjustments_sorted (const QtRunResult *res, const QtRepResult *r)
{
  guint *order = g_new (guint, r->n_adjustments + 1);
  for (guint k = 0; k < r->n_adjustments; k++)
    order[k] = k;
  AdjCtx c = { res, r };
  g_qsort_with_data (order, (gint) r->n_adjustments, sizeof (guint), adjustment_cmp, &c);
  return order;
}

/* The tier W reaches, -1 without quota. */
gint
qt_statement_current_tier (const QtRepResult *r)
{
  if (!r->has_quota)
    return -1;
  gint k = 0;
  for (guint i = 0; i < r->n_tiers; i++)
    if (mpq_cmp (r->weighted, r->tiers[i].lower) >= 0)
      k = (gint) i;
  return k;
}

/* What W still needs to reach the next tier. */
gboolean
qt_statement_next_tier (const QtRepResult *r, mpq_t needed, guint *tier)
{
  gint k = qt_statement_current_tier (r);
  if (k < 0 || (guint) k + 1 >= r->n_tiers)
    return FALSE;
  *tier = (guint) k + 1;
  mpq_sub (needed, r->tiers[k + 1].lower, r->weighted);
  return TRUE;
}

/* The NO_QUOTA sentence, or NULL. */
char *
qt_statement_no_quota_note (const QtStatementIndex *ix, const QtRepResult *r)
{
  if (!r->no_quota)
    return NULL;
  char period[8];
  /* No input line number here: it would change with the row order of
   * reps.csv (SPEC §1.2); exceptions.csv carries it. */
  return g_strdup_printf ("%u credited slice%s in %s but no valid quota for the month: commission 0, "
                          "attainment counted as 0 (NO_QUOTA in exceptions.csv); override, "
                          "bonuses and adjustments still apply",
                          r->n_slices, r->n_slices == 1 ? "" : "s",
                          qt_period_format (ix->res->period, period));
}

/* The tier sentence of a rep with a quota and W != 0 (cap included). */
static char *
tiers_note (const QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  const char *how = v->mode == QT_MODE_MARGINAL
                      ? "Marginal tiers: each tier's rate applies to the part of W inside it"
                      : "Retroactive tiers: the rate of the tier W reaches applies to all of W";
  if (!v->has_cap)
    return g_strdup_printf ("%s; the plan has no cap.", how);
  g_autofree char *cap = qt_fixed_format (v->cap, 2, QT_ROUND_HALF_EVEN);
  if (r->capped)
    {
      g_autofree char *unc = qt_fixed_format (r->commission_uncapped, 2, QT_ROUND_HALF_EVEN);
      return g_strdup_printf ("%s; capped at %s (uncapped %s).", how, cap, unc);
    }
  return g_strdup_printf ("%s; the cap %s is not reached.", how, cap);
}

/* Why the commission is what it is, in one sentence. */
char *
qt_statement_commission_note (const QtStatementIndex *ix, const QtRepResult *r)
{
  char period[8];
  qt_period_format (ix->res->period, period);
  if (r->no_quota)
    return g_strdup_printf ("No commission: credits in %s but no valid quota.", period);
  if (!r->has_quota)
    return g_strdup_printf ("No commission: no credits and no valid quota in %s.", period);
  if (r->clawback)
    {
      g_autofree char *rate0 = qt_exact_format (r->tiers[0].tier->rate);
      return g_strdup_printf ("Clawback: net refunds make W negative, so the commission is W x the "
                              "first tier's rate %s.", rate0);
    }
  if (mpq_sgn (r->weighted) == 0)
    return g_strdup ("No commission: the weighted credit W is 0.");
  return tiers_note (r);
}

/* Σ exact of r's bonuses of one kind. */
void
qt_statement_bonus_sum (const QtRepResult *r, QtBonusKind kind, mpq_t out)
{
  mpq_set_ui (out, 0, 1);
  for (guint i = 0; i < r->n_bonuses; i++)
    if (r->bonuses[i].bonus->kind == kind)
      mpq_add (out, out, r->bonuses[i].exact);
}

/* Σ exact of r's adjustments. */
void
qt_statement_adjustment_sum (const QtStatementIndex *ix, const QtRepResult *r, mpq_t out)
{
  const QtDataset *ds = ix->res->ds;
  g_auto (mpq_t) amount;
  mpq_init (amount);
  mpq_set_ui (out, 0, 1);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      qt_num_get (ds->nums, ds->adjustments[r->adjustments[k]].amount, amount);
      mpq_add (out, out, amount);
    }
}
