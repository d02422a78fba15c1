/* reports/tables.c — SPEC §5 and §12.10: payout.csv, scores.csv,
 * credits.csv and exceptions.csv, rows sorted as the spec says. */
#include "output.h"

#include <string.h>

#include "../model/money.h"
#include "csv_writer.h"
#include "statement_internal.h"
#include "rep_order.h"

/* A rep's payout row, one cell per column of payout.csv: the rep, then
 * the rounded components and total as calc rounded them. */
typedef struct {
  char *amounts[6];      /* owned */
  const char *cells[9];
} PayoutRow;

static void
payout_row (const QtRunResult *res, const QtRepResult *r, PayoutRow *row)
{
  mpq_srcptr parts[] = { r->r_commission, r->r_override, r->r_sprint, r->r_score,
                         r->r_adjustments, r->r_total };
  const QtRep *rep = &res->ds->reps[r->rep];
  row->cells[0] = rep->rep_id;
  row->cells[1] = rep->name;
  row->cells[2] = r->plan->currency;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    row->cells[3 + i] = row->amounts[i] = qt_fixed_format (parts[i], QT_MONEY_DECIMALS,
                                                           QT_ROUND_HALF_EVEN);
}

static void
payout_row_clear (PayoutRow *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (row->amounts); i++)
    g_free (row->amounts[i]);
}

static const char *const payout_columns[] = { "rep_id", "name", "currency", "commission",
                                              "override", "sprint_bonus", "score_bonus",
                                              "adjustments", "total" };
G_STATIC_ASSERT (G_N_ELEMENTS (payout_columns) == G_N_ELEMENTS (((PayoutRow *) NULL)->cells));

static void
payout_csv (const QtRunResult *res, const guint *order, GPtrArray *out)
{
  GString *s = g_string_new (NULL);
  qt_csv_record (s, payout_columns, G_N_ELEMENTS (payout_columns));
  for (guint k = 0; k < res->n_reps; k++)
    {
      PayoutRow row;
      payout_row (res, &res->reps[order[k]], &row);
      qt_csv_record (s, row.cells, G_N_ELEMENTS (row.cells));
      payout_row_clear (&row);
    }
  qt_output_add (out, "payout.csv", s, (gint) res->n_reps);
}

/* payout.json: the rows of payout.csv, in its order, as objects for
 * payroll systems (every cell a JSON string exactly as the CSV holds it,
 * amounts with 2 decimals), one row per line. */
static void
payout_json (const QtRunResult *res, const guint *order, GPtrArray *out)
{
  char period[8];
  GString *s = g_string_new ("{\n  \"payout\": \"quotient payout\",\n  \"format_version\": 1,\n"
                             "  \"period\": \"");
  g_string_append (s, qt_period_format (res->period, period));
  g_string_append (s, "\",\n  \"rows\": [");
  for (guint k = 0; k < res->n_reps; k++)
    {
      PayoutRow row;
      payout_row (res, &res->reps[order[k]], &row);
      g_string_append (s, k > 0 ? ",\n    {" : "\n    {");
      for (guint c = 0; c < G_N_ELEMENTS (row.cells); c++)
        {
          g_string_append_printf (s, "%s\"%s\":", c > 0 ? "," : "", payout_columns[c]);
          qt_stmt_json_string (s, row.cells[c]);
        }
      g_string_append_c (s, '}');
      payout_row_clear (&row);
    }
  g_string_append (s, res->n_reps > 0 ? "\n  ]\n}\n" : "]\n}\n");
  qt_output_add (out, "payout.json", s, -1);
}

/* SPEC §5, §12.8: process and result as weighted sums × 100, all three
 * shown to QT_SCORE_DECIMALS. */
static void
scores_csv (const QtRunResult *res, const guint *order, GPtrArray *out)
{
  GString *s = g_string_new ("rep_id,team_id,process_score,result_score,total_score,team_rank\n");
  for (guint k = 0; k < res->n_reps; k++)
    {
      const QtRepResult *r = &res->reps[order[k]];
      const QtRep *rep = &res->ds->reps[r->rep];
      g_autofree char *process
        = qt_fixed_format (r->process_score, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
      g_autofree char *result
        = qt_fixed_format (r->result_score, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
      g_autofree char *total
        = qt_fixed_format (r->total, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
      g_autofree char *rank = g_strdup_printf ("%u", r->team_rank);
      const char *fields[] = { rep->rep_id, rep->team_id, process, result, total, rank };
      qt_csv_record (s, fields, G_N_ELEMENTS (fields));
    }
  qt_output_add (out, "scores.csv", s, (gint) res->n_reps);
}

/* credits.csv: ids through the CSV writer, exact numbers written straight
 * into the buffer (they never need quoting) with the statements' integer
 * fast path — 450,000 rows at a large month. */
static void
credits_csv (const QtRunResult *res, GPtrArray *out)
{
  GString *s = g_string_sized_new (64 + 96 * (gsize) res->slices->len);
  g_string_append (s, "receipt_id,order_id,line_no,rep_id,share,amount,multipliers,"
                      "weight,weighted_amount\n");
  const QtDataset *ds = res->ds;
  for (guint k = 0; k < res->slices->len; k++)
    {
      const QtSlice *sl = &g_array_index (res->slices, QtSlice, k);
      const QtReceipt *rc = &ds->receipts[sl->receipt];
      qt_csv_field (s, TRUE, rc->receipt_id);
      qt_csv_field (s, FALSE, rc->order_id);
      qt_csv_field (s, FALSE, ds->lines[sl->line].line_no);
      qt_csv_field (s, FALSE, ds->reps[sl->rep].rep_id);
      g_string_append_c (s, ',');
      qt_append_exact_num (s, ds->nums, sl->share);
      g_string_append_c (s, ',');
      qt_append_exact_rat (s, &sl->amount);
      qt_csv_field (s, FALSE, qt_mult_mask_name (sl->mult_mask));
      g_string_append_c (s, ',');
      qt_append_exact (s, sl->weight);
      g_string_append_c (s, ',');
      qt_append_exact_rat (s, &sl->weighted);
      g_string_append_c (s, '\n');
    }
  qt_output_add (out, "credits.csv", s, (gint) res->slices->len);
}

void
qt_report_exceptions (const GArray *exceptions, GPtrArray *out)
{
  GString *s = g_string_new ("file,line,code,message\n");
  for (guint k = 0; k < exceptions->len; k++)
    {
      const QtException *e = &g_array_index (exceptions, QtException, k);
      char line[16];
      g_snprintf (line, sizeof line, "%u", e->line);
      const char *fields[] = { e->file, line, e->code, e->message };
      qt_csv_record (s, fields, G_N_ELEMENTS (fields));
    }
  qt_output_add (out, "exceptions.csv", s, (gint) exceptions->len);
}

void
qt_report_tables (const QtRunResult *res, GPtrArray *out)
{
  g_autofree guint *order = qt_rep_order (res);
  payout_csv (res, order, out);
  payout_json (res, order, out);
  scores_csv (res, order, out);
  credits_csv (res, out);
  qt_report_exceptions (res->exceptions, out);
}
