/* reports/statement_notes.c — SPEC §5 statements: the safe file stem,
 * and the sentences both renderings state (in words only: every fact in
 * them comes from the statement model). */
#include "statement_internal.h"

#include "../model/sha256.h"

#include <string.h>

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
/* A stem longer than STEM_MAX bytes (an id of ~100 bytes and more, or
 * fewer needing escapes) becomes its first STEM_PREFIX bytes, '~' and 32
 * hex digits of the id's SHA-256: "R1.json" stays, and any valid id gives
 * a file name far below the 255 bytes file systems take. */
#define STEM_MAX 120
#define STEM_PREFIX 80

char *
qt_statement_file_stem (const char *rep_id)
{
  g_return_val_if_fail (rep_id != NULL, NULL);
  /* Only valid UTF-8 is kept raw, so a stem is always a valid file name text. */
  const gboolean utf8 = g_utf8_validate (rep_id, -1, NULL);
  GString *s = g_string_new (NULL);
  gsize cut = 0; /* the stem's length after the last whole id byte within STEM_PREFIX */
  for (const guchar *p = (const guchar *) rep_id; *p; p++)
    {
      if (stem_keeps (*p, p == (const guchar *) rep_id, utf8))
        g_string_append_c (s, (char) *p);
      else
        g_string_append_printf (s, "%%%02X", (guint) *p);
      /* a UTF-8 character is kept whole: cut only before a lead byte */
      if (s->len <= STEM_PREFIX && (p[1] & 0xC0) != 0x80)
        cut = s->len;
    }
  if (s->len <= STEM_MAX)
    return g_string_free (s, FALSE);
  /* A long id: a bounded prefix and a hash of the whole id.  '~' is never
   * kept raw above, so no short id's stem can take this form. */
  g_autofree char *sha = qt_sha256_hex (rep_id, strlen (rep_id));
  g_string_truncate (s, cut);
  g_string_append_printf (s, "~%.32s", sha);
  return g_string_free (s, FALSE);
}

/* ---- sentences both renderings state ------------------------------------ */

/* The NO_QUOTA sentence, or NULL. */
char *
qt_statement_no_quota_note (const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  if (!r->no_quota)
    return NULL;
  char period[8];
  /* No input line number here: it would change with the row order of
   * reps.csv (SPEC §1.2); exceptions.csv carries it. */
  return g_strdup_printf ("%u credited slice%s in %s but no valid quota for the month: commission 0, "
                          "attainment counted as 0 (NO_QUOTA in exceptions.csv); override, "
                          "bonuses and adjustments still apply",
                          r->n_slices, r->n_slices == 1 ? "" : "s",
                          qt_period_format (m->res->period, period));
}

/* The tier sentence of a rep with a quota and W > 0 (cap included). */
static char *
tiers_note (const QtRepResult *r)
{
  const QtPlanVersion *v = r->plan;
  GString *s = g_string_new (
      v->mode == QT_MODE_MARGINAL
        ? "Marginal tiers: each tier's rate applies to the part of the weighted credit "
          "inside it"
        : "Retroactive tiers: the rate of the tier the weighted credit reaches applies to "
          "all of it");
  if (!v->has_cap)
    qt_stmt_puts (s, "; the plan has no cap.");
  else if (r->capped)
    {
      qt_stmt_puts (s, "; capped at ");
      qt_append_fixed (s, v->cap, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, " (uncapped ");
      qt_append_fixed (s, r->commission_uncapped, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, ").");
    }
  else
    {
      qt_stmt_puts (s, "; the cap ");
      qt_append_fixed (s, v->cap, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, " is not reached.");
    }
  return g_string_free (s, FALSE);
}

/* Why the commission is what it is, in one sentence. */
char *
qt_statement_commission_note (const QtStatementModel *m)
{
  const QtRepResult *r = m->r;
  char period[8];
  qt_period_format (m->res->period, period);
  switch (m->commission_case)
    {
    case QT_COMMISSION_NO_QUOTA_CREDITS:
      return g_strdup_printf ("No commission: credits in %s but no valid quota.", period);
    case QT_COMMISSION_NO_QUOTA:
      return g_strdup_printf ("No commission: no credits and no valid quota in %s.", period);
    case QT_COMMISSION_CLAWBACK:
      {
        GString *s = g_string_new ("Clawback: net refunds make the weighted credit negative, so the commission "
                                   "is the weighted credit x the first tier's rate ");
        qt_append_exact (s, r->tiers[0].tier->rate);
        qt_stmt_putc (s, '.');
        return g_string_free (s, FALSE);
      }
    case QT_COMMISSION_ZERO_W:
      return g_strdup ("No commission: the weighted credit is 0.");
    case QT_COMMISSION_TIERS:
    default:
      return tiers_note (r);
    }
}
