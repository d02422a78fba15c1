/* reports/rebate_tables.c — rebates.csv and reconciliation.csv (SPEC §11
 * rules 5 and 6; §12.10 CSV). */
#include "rebate_report.h"

#include "../model/money.h"
#include "csv_writer.h"

/* partner_id,name,currency,qualified_volume,tier_rate,rebate: volume and
 * rebate with 2 decimals (rounded by calc), tier_rate exact. */
static void
rebates_csv (const QtRebateResult *res, GPtrArray *out)
{
  GString *s = g_string_new ("partner_id,name,currency,qualified_volume,tier_rate,rebate\n");
  for (guint i = 0; i < res->n_partners; i++)
    {
      const QtPartnerRebate *p = &res->partners[i];
      const QtPartner *row = &res->ds->partners[p->partner];
      g_autofree char *volume = qt_fixed_format (p->volume_rounded, QT_MONEY_DECIMALS,
                                                 QT_ROUND_HALF_EVEN);
      g_autofree char *rate = qt_exact_format (p->tiers[p->tier].tier->rate);
      g_autofree char *rebate = qt_fixed_format (p->rebate, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      const char *fields[] = { row->partner_id, row->name, p->plan->currency, volume, rate, rebate };
      qt_csv_record (s, fields, G_N_ELEMENTS (fields));
    }
  qt_output_add (out, "rebates.csv", s, (gint) res->n_partners);
}

/* shipment_id,partner_id,shipped_on,amount,invoiced,quantity,accepted,
 * status,code: every number exact (§12.10). */
static void
reconciliation_csv (const QtRebateResult *res, GPtrArray *out)
{
  GString *s = g_string_new ("shipment_id,partner_id,shipped_on,amount,invoiced,quantity,"
                             "accepted,status,code\n");
  const QtDataset *ds = res->ds;
  for (guint k = 0; k < res->n_lines; k++)
    {
      const QtReconLine *l = &res->lines[k];
      const QtShipment *sh = &ds->shipments[l->shipment];
      char day[11];
      g_autofree char *amount = NULL, *quantity = NULL;
      {
        g_auto (mpq_t) v;
        mpq_init (v);
        qt_num_get (ds->nums, sh->amount, v);
        amount = qt_exact_format (v);
        qt_num_get (ds->nums, sh->quantity, v);
        quantity = qt_exact_format (v);
      }
      g_autofree char *invoiced = qt_exact_format (l->invoiced);
      g_autofree char *accepted = qt_exact_format (l->accepted);
      const char *fields[] = { sh->shipment_id, sh->partner_id, qt_date_format (sh->shipped_on, day),
                               amount, invoiced, quantity, accepted,
                               l->code == QT_RECON_QUALIFIED ? "qualified" : "excepted",
                               qt_recon_code_name (l->code) };
      qt_csv_record (s, fields, G_N_ELEMENTS (fields));
    }
  qt_output_add (out, "reconciliation.csv", s, (gint) res->n_lines);
}

void
qt_report_rebate_tables (const QtRebateResult *res, GPtrArray *out)
{
  rebates_csv (res, out);
  reconciliation_csv (res, out);
  qt_report_exceptions (res->exceptions, out);
}
