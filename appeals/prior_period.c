/* appeals/prior_period.c — corrections of a closed month (see
 * prior_period.h). */
#include "prior_period.h"

#include <stdlib.h>
#include <string.h>

#include "../loaders/csv_reader.h"
#include "../model/money.h"
#include "../model/sha256.h"
#include "../reports/csv_writer.h"
#include "../run/pipeline.h"
#include "../run/run_dir.h"
#include "../run/table_diff.h"
#include "recalc.h"
#include "session.h"

/* Bad input unless RUN/rel hashes to `want` (the manifest's or the
 * journal's): the corrections are only as good as the totals they start
 * from. */
static gboolean
check_sealed (const char *run_dir, const char *rel, GBytes *bytes, const char *want,
              GError **error)
{
  g_autofree char *got = qt_sha256_hex_bytes (bytes);
  if (want != NULL && strcmp (got, want) == 0)
    return TRUE;
  return qt_fail (error, QT_ERROR_MALFORMED, "%s/%s:1:1: not the file the closed run recorded "
                  "(SHA-256 %s, recorded %s); run quotient verify %s", run_dir, rel, got,
                  want != NULL ? want : "nothing", run_dir);
}

/* The closed run's payout.csv as rep_id → total, once it and manifest.json
 * are the files the run recorded at its close.  (transfer full) */
static GHashTable *
closed_totals (const QtSession *s, GError **error)
{
  const char *run_dir = s->run_dir;
  g_autoptr (GBytes) manifest = qt_run_read_file (run_dir, "manifest.json", (gsize) 1 << 30, error);
  g_autoptr (GBytes) bytes = manifest != NULL ? qt_run_read_file (run_dir, "payout.csv",
                                                                  QT_TABLE_DIFF_MAX_BYTES, error)
                                              : NULL;
  if (bytes == NULL
      || !check_sealed (run_dir, "manifest.json", manifest, s->lc->closed_manifest, error)
      || !check_sealed (run_dir, "payout.csv", bytes, qt_manifest_listed_sha256 (s->manifest, "payout.csv"),
                        error))
    return NULL;
  g_autofree char *name = g_build_filename (run_dir, "payout.csv", NULL);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr (QtCsvReader) reader = qt_csv_reader_new (name, data, len, NULL);
  qt_csv_reader_drop_guards (reader);
  const char *const columns[] = { "rep_id", "total" };
  int idx[G_N_ELEMENTS (columns)];
  if (!qt_csv_reader_read_header (reader, columns, G_N_ELEMENTS (columns), idx, error))
    return NULL;
  g_autoptr (GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  QtCsvRecord rec;
  g_autoptr (GError) local = NULL;
  while (qt_csv_reader_next (reader, &rec, &local))
    g_hash_table_insert (totals, g_strdup (rec.fields[idx[0]]), g_strdup (rec.fields[idx[1]]));
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&totals);
}

/* Parses a payout total (absent: 0) of `side` for messages. */
static gboolean
parse_total (mpq_ptr out, const char *text, const char *rep, const char *side, GError **error)
{
  if (text == NULL)
    {
      mpq_set_ui (out, 0, 1);
      return TRUE;
    }
  g_autoptr (GError) local = NULL;
  if (qt_decimal_parse (out, text, strlen (text), &local))
    return TRUE;
  return qt_fail (error, QT_ERROR_MALFORMED, "%s payout total of %s: %s", side, rep,
                  local->message);
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every rep of either side, sorted bytewise. (transfer container) */
static GPtrArray *
all_reps (GHashTable *a, GHashTable *b)
{
  GPtrArray *reps = g_ptr_array_new ();
  GHashTable *sides[] = { a, b };
  for (guint s = 0; s < 2; s++)
    {
      GHashTableIter it;
      gpointer key;
      g_hash_table_iter_init (&it, sides[s]);
      while (g_hash_table_iter_next (&it, &key, NULL))
        if (s == 0 || !g_hash_table_contains (a, key))
          g_ptr_array_add (reps, key);
    }
  g_ptr_array_sort (reps, cmp_str);
  return reps;
}

/* The adjustments.csv text of the differences; *rows: its data rows. */
static GString *
corrections_csv (const char *closed_period, const char *period, GHashTable *closed,
                 GHashTable *fresh, guint *rows, GError **error)
{
  g_autoptr (GString) csv = g_string_new ("adjustment_id,rep_id,period,amount,reason\n");
  g_autoptr (GPtrArray) reps = all_reps (closed, fresh);
  g_autofree char *reason = g_strdup_printf ("prior-period correction of %s", closed_period);
  g_auto (mpq_t) old_total, new_total;
  mpq_inits (old_total, new_total, NULL);
  *rows = 0;
  for (guint i = 0; i < reps->len; i++)
    {
      const char *rep = g_ptr_array_index (reps, i);
      if (!parse_total (old_total, g_hash_table_lookup (closed, rep), rep, "the closed run's", error)
          || !parse_total (new_total, g_hash_table_lookup (fresh, rep), rep, "the recomputed", error))
        return NULL;
      if (mpq_equal (old_total, new_total))
        continue;
      mpq_sub (new_total, new_total, old_total);
      g_autofree char *id = g_strdup_printf ("PPA-%s-%s", closed_period, rep);
      g_autofree char *amount = qt_fixed_format (new_total, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      const char *fields[] = { id, rep, period, amount, reason };
      qt_csv_input_record (csv, fields, G_N_ELEMENTS (fields));
      (*rows)++;
    }
  return g_steal_pointer (&csv);
}

/* Refused unless the run is closed and `period` is a later month. */
static gboolean
check_closed_before (const QtSession *s, const char *period, GError **error)
{
  QtPeriod later;
  if (!qt_period_parse (period, strlen (period), &later))
    return qt_bad_input (error, "--period '%s' is not a month YYYY-MM", period);
  if (s->lc->state != QT_STATE_CLOSED)
    return qt_refuse (error, "%s: prior-period refused: the run is %s, not closed (corrections "
                      "of a month that is still open go through appeals and recalc)",
                      s->run_dir, qt_run_state_name (s->lc->state));
  if (later <= s->period)
    return qt_refuse (error, "%s: prior-period refused: --period %s is not later than the closed "
                      "period %s", s->run_dir, period, s->manifest->period);
  return TRUE;
}

/* The real path of `path`'s nearest existing ancestor (itself included),
 * with a trailing '/'. (transfer full) */
static char *
existing_real_dir (const char *path)
{
  g_autofree char *p = g_canonicalize_filename (path, NULL);
  for (;;)
    {
      char *real = realpath (p, NULL);
      if (real != NULL)
        {
          g_autofree char *with = g_strconcat (real, "/", NULL);
          free (real);
          return g_steal_pointer (&with);
        }
      char *up = g_path_get_dirname (p);
      if (strcmp (up, p) == 0)
        {
          g_free (up);
          return g_strdup ("/");
        }
      g_free (p);
      p = up;
    }
}

/* FILE must be a new file outside the closed run (which is never touched). */
static gboolean
check_out (const char *out, const char *run_dir, GError **error)
{
  if (out[0] == '\0' || g_str_has_suffix (out, "/"))
    return qt_bad_input (error, "--out '%s' must name a file", out);
  if (!qt_run_check_new_file (out, error))
    return FALSE;
  g_autofree char *parent = g_path_get_dirname (out);
  g_autofree char *where = existing_real_dir (parent);
  g_autofree char *run = existing_real_dir (run_dir);
  if (g_str_has_prefix (where, run))
    return qt_bad_input (error, "--out %s is inside the closed run %s, which is never changed; "
                         "write it elsewhere", out, run_dir);
  return TRUE;
}

gboolean
qt_prior_period (const QtPriorPeriodOptions *o, guint *rows, GError **error)
{
  *rows = 0;
  if (!check_out (o->out, o->closed.run_dir, error))
    return FALSE;
  g_autoptr (QtSession) s = qt_session_open (&o->closed, FALSE, error);
  if (s == NULL || !check_closed_before (s, o->period, error))
    return FALSE;
  g_autoptr (GHashTable) closed = closed_totals (s, error);
  if (closed == NULL)
    return FALSE;
  g_autoptr (QtOverlay) overlay = qt_lifecycle_overlay (s->lc, s->manifest->period);
  g_autoptr (GHashTable) fresh = qt_run_payout_totals (o->data_dir, o->plans_dir,
                                                       s->manifest->period, overlay, o->threads,
                                                       error);
  if (fresh == NULL)
    return FALSE;
  GString *csv = corrections_csv (s->manifest->period, o->period, closed, fresh, rows, error);
  if (csv == NULL)
    return FALSE;
  g_autoptr (GBytes) bytes = g_string_free_to_bytes (csv);
  return qt_run_write_new_file (o->out, bytes, error);
}
