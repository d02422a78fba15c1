/* reports/statement_text.c — statements/<stem>.txt: the JSON statement's
 * story told for a person, in plain UTF-8 aligned with spaces, built into
 * one GString (cells go to one reused arena, never to their own string). */
#include "statement_internal.h"

#include <stdarg.h>
#include <string.h>

#include "../model/money.h"

/* ---- aligned tables ----------------------------------------------------- */

#define TXT_MAX_COLS 12
/* A statement reads in 80 columns. */
#define TXT_COLUMNS 80

/* Width of text[0..n) on a monospace screen: UTF-8 characters counted one
 * by one, except that East Asian wide characters such as those of 陈静 take
 * two columns and combining marks none; counting them as one would push
 * every later column of a Chinese name's row out of line.  -1 when the text
 * holds a control character (escape it first). */
static glong
display_width (const char *text, gsize n)
{
  gsize i = 0;
  for (; i < n && (guchar) text[i] < 0x80; i++)
    if ((guchar) text[i] < 0x20 || text[i] == 0x7f)
      return -1;
  glong w = (glong) i; /* ASCII: one column a byte */
  for (const char *p = text + i; p < text + n; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return -1;
      w += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

/* Whether byte c (at p, in valid text) may not reach a terminal raw: C0
 * controls and DEL (ESC starts ANSI sequences, CR overwrites a line) and
 * the C1 controls U+0080..U+009F (0xC2 0x80..0x9F in UTF-8). */
static gboolean
is_control (const guchar *p)
{
  return p[0] < 0x20 || p[0] == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
}

/* Escapes, in s from byte `from` on, every control character a name or id
 * may bring (as \xNN; newlines too unless keep_newlines), so data cannot
 * move the cursor, color the screen or forge a line. */
static void
escape_controls (GString *s, gsize from, gboolean keep_newlines)
{
  gsize i = from;
  while (i < s->len && !(is_control ((const guchar *) s->str + i)
                         && !(keep_newlines && s->str[i] == '\n')))
    i++;
  if (i == s->len)
    return;
  g_autofree char *tail = g_strndup (s->str + i, s->len - i);
  g_string_truncate (s, i);
  for (const guchar *p = (const guchar *) tail; *p != '\0'; p++)
    if (keep_newlines && *p == '\n')
      g_string_append_c (s, '\n');
    else if (is_control (p))
      {
        g_string_append_printf (s, "\\x%02x", p[0]);
        if (p[0] == 0xc2)
          g_string_append_printf (s, "\\x%02x", *++p);
      }
    else
      g_string_append_c (s, (char) *p);
}

/* A set of columns padded to their widest cell. */
typedef struct {
  guint n_cols;
  const char *align; /* one 'l' or 'r' per column */
  glong width[TXT_MAX_COLS];
} Layout;

/* One cell: its text in the arena and its display width. */
typedef struct {
  guint off, len;
  glong width;
} Cell;

/* One row: its layout (-1 draws a rule) and its first cell. */
typedef struct {
  gint layout;
  guint first;
} Row;

/* Rows of up to three layouts (a rule spans the widest); cell text lives
 * in one arena.  Reset and reused by every table of a statement. */
typedef struct {
  GString *arena;
  GArray *cells; /* Cell */
  GArray *rows;  /* Row */
  Layout layouts[3];
  guint n_layouts;
} Table;

/* Empties t for a table of one layout (align1 NULL), two (align2 NULL)
 * or three. */
static void
table_reset (Table *t, const char *align0, const char *align1, const char *align2)
{
  g_string_truncate (t->arena, 0);
  g_array_set_size (t->cells, 0);
  g_array_set_size (t->rows, 0);
  const char *aligns[3] = { align0, align1, align2 };
  t->n_layouts = align1 == NULL ? 1 : align2 == NULL ? 2 : 3;
  for (guint k = 0; k < t->n_layouts; k++)
    {
      t->layouts[k] = (Layout) { .n_cols = (guint) strlen (aligns[k]), .align = aligns[k] };
      g_assert (t->layouts[k].n_cols <= TXT_MAX_COLS);
    }
}

/* Starts a row of layout k; its cells follow. */
static void
row (Table *t, gint k)
{
  Row r = { k, t->cells->len };
  g_array_append_val (t->rows, r);
}

/* A row that draws a rule. */
static void
rule (Table *t)
{
  row (t, -1);
}

/* The arena, to append the next cell's text to. */
static GString *
cell_open (Table *t)
{
  return t->arena;
}

/* Ends the cell whose text was appended since the previous cell; `ascii`
 * when the caller knows it is (numbers, dates): one column a byte. */
static void
cell_end (Table *t, gboolean ascii)
{
  const Cell *prev = t->cells->len > 0 ? &g_array_index (t->cells, Cell, t->cells->len - 1) : NULL;
  Cell c = { .off = prev ? prev->off + prev->len : 0 };
  c.len = (guint) t->arena->len - c.off;
  c.width = ascii ? (glong) c.len : display_width (t->arena->str + c.off, c.len);
  if (c.width < 0) /* data brought a control character */
    {
      escape_controls (t->arena, c.off, FALSE);
      c.len = (guint) t->arena->len - c.off;
      c.width = display_width (t->arena->str + c.off, c.len);
    }
  const Row *r = &g_array_index (t->rows, Row, t->rows->len - 1);
  g_assert (r->layout >= 0); /* cells follow row (), never rule () */
  const guint col = t->cells->len - r->first;
  Layout *l = &t->layouts[r->layout];
  if (col < l->n_cols)
    l->width[col] = MAX (l->width[col], c.width);
  g_array_append_val (t->cells, c);
}

/* Ends a cell of any text. */
static void
cell_close (Table *t)
{
  cell_end (t, FALSE);
}

/* Ends a cell of ASCII text. */
static void
cell_close_ascii (Table *t)
{
  cell_end (t, TRUE);
}

/* A cell of plain text; NULL is an empty cell. */
static void
cell (Table *t, const char *text)
{
  if (text != NULL)
    qt_stmt_puts (cell_open (t), text);
  cell_close (t);
}

/* A row of layout k holding n plain text cells (NULL: empty). */
static void
text_row (Table *t, gint k, guint n, const char *const *texts)
{
  row (t, k);
  for (guint c = 0; c < n; c++)
    cell (t, texts[c]);
}

#define TEXT_ROW(t, k, ...)                                                            \
  text_row ((t), (k), G_N_ELEMENTS (((const char *const[]) { __VA_ARGS__ })),          \
            (const char *const[]) { __VA_ARGS__ })

/* A cell from a format. */
static void G_GNUC_PRINTF (2, 3)
cell_printf (Table *t, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (cell_open (t), format, ap);
  va_end (ap);
  cell_close (t);
}

/* An amount shown to the cent (QT_MONEY_DECIMALS). */
static void
cell_money (Table *t, mpq_srcptr v)
{
  qt_append_fixed (cell_open (t), v, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
}

/* A slice's value to the cent. */
static void
cell_money_frac (Table *t, const QtRat *f)
{
  qt_append_fixed_rat (cell_open (t), f, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
}

/* A score shown to QT_SCORE_DECIMALS. */
static void
cell_score (Table *t, mpq_srcptr v)
{
  qt_append_fixed (cell_open (t), v, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
}

/* An exact number cell. */
static void
cell_exact (Table *t, mpq_srcptr v)
{
  qt_append_exact (cell_open (t), v);
  cell_close_ascii (t);
}

/* The exact value when it is short (terminates within 4 decimals), else
 * "~" and the value rounded half-even to 4 decimals. */
static void
cell_brief (Table *t, mpq_srcptr v)
{
  qt_append_brief (cell_open (t), v, 4, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
}

/* A "109.24%" cell. */
static void
cell_percent (Table *t, mpq_srcptr v)
{
  qt_append_percent (cell_open (t), v, QT_ROUND_HALF_EVEN);
  qt_stmt_putc (t->arena, '%');
  cell_close_ascii (t);
}

/* One row of n cells: "  " + cells joined by two spaces, padded to the
 * layout's widths, without trailing blanks. */
static void
render_row (const Table *t, const Layout *l, const Cell *cells, guint n, GString *out)
{
  const gsize start = out->len;
  qt_stmt_put (out, "  ", 2);
  for (guint c = 0; c < l->n_cols; c++)
    {
      const Cell *x = c < n ? &cells[c] : NULL;
      const glong pad = l->width[c] - (x ? x->width : 0);
      if (c > 0)
        qt_stmt_put (out, "  ", 2);
      if (l->align[c] == 'r')
        qt_stmt_spaces (out, (gsize) pad);
      if (x != NULL)
        qt_stmt_put (out, t->arena->str + x->off, x->len);
      if (l->align[c] != 'r' && c + 1 < l->n_cols)
        qt_stmt_spaces (out, (gsize) pad);
    }
  while (out->len > start && out->str[out->len - 1] == ' ')
    out->len--; /* an empty last cell leaves blanks */
  out->str[out->len] = '\0';
  qt_stmt_putc (out, '\n');
}

/* Width of a rule: the widest layout. */
static glong
rule_width (const Table *t)
{
  glong widest = 0;
  for (guint k = 0; k < t->n_layouts; k++)
    {
      if (t->n_layouts > 1 && t->layouts[k].n_cols == 1)
        continue; /* a line of free text under the columns */
      glong total = 0;
      for (guint c = 0; c < t->layouts[k].n_cols; c++)
        total += t->layouts[k].width[c] + (c > 0 ? 2 : 0);
      widest = MAX (widest, total);
    }
  return widest;
}

/* Appends the table to out, padded to its widths. */
static void
table_render (const Table *t, GString *out)
{
  const glong rule_len = rule_width (t);
  const Cell *cells = (const Cell *) (void *) t->cells->data;
  for (guint i = 0; i < t->rows->len; i++)
    {
      const Row *r = &g_array_index (t->rows, Row, i);
      const guint end = i + 1 < t->rows->len ? g_array_index (t->rows, Row, i + 1).first
                                             : t->cells->len;
      if (r->layout >= 0)
        {
          render_row (t, &t->layouts[r->layout], cells + r->first, end - r->first, out);
          continue;
        }
      qt_stmt_put (out, "  ", 2);
      for (glong k = 0; k < rule_len; k++)
        qt_stmt_putc (out, '-');
      qt_stmt_putc (out, '\n');
    }
}

/* ---- one statement ------------------------------------------------------ */

typedef struct {
  const QtStatementModel *m;
  const QtRunResult *res;       /* m->res */
  const QtRepResult *r;         /* m->r */
  GString *out;
  Table t;  /* reused by every table of the statement */
  gsize line_start; /* where the line opened by line_open begins in out */
  GString *exact;   /* the appendix: "label\0value\0" pairs of exact values
                       the cents hide */
} Doc;

/* Keeps `label` and the exact value of v for the appendix when the cents
 * (or the percentage) shown hide part of it. */
static void
note_exact (Doc *d, const char *label, mpq_srcptr v, guint decimals)
{
  if (qt_mpq_has_decimals (v, decimals))
    return;
  g_string_append (d->exact, label);
  g_string_append_c (d->exact, '\0');
  qt_append_exact (d->exact, v);
  g_string_append_c (d->exact, '\0');
}

/* Starts a table of the statement (see table_reset). */
static Table *
table (Doc *d, const char *align0, const char *align1)
{
  table_reset (&d->t, align0, align1, NULL);
  return &d->t;
}

/* A table of three layouts. */
static Table *
table3 (Doc *d, const char *align0, const char *align1, const char *align2)
{
  table_reset (&d->t, align0, align1, align2);
  return &d->t;
}

/* A section title after a blank line. */
static void
title (Doc *d, const char *text)
{
  qt_stmt_putc (d->out, '\n');
  qt_stmt_puts (d->out, text);
  qt_stmt_putc (d->out, '\n');
}

/* Breaks the indented line out[start..] at spaces into lines of at most
 * TXT_COLUMNS display columns, each indented as the first ("  "), and the
 * lines after it two more; a word longer than a line stays whole. */
static void
wrap (GString *out, gsize start)
{
  if (display_width (out->str + start, out->len - start) <= TXT_COLUMNS)
    return;
  g_autofree char *text = g_strndup (out->str + start + 2, out->len - start - 2);
  g_string_truncate (out, start);
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  glong used = 0;
  for (guint i = 0; words[i] != NULL; i++)
    {
      const glong w = display_width (words[i], strlen (words[i]));
      if (used > 0 && used + 1 + w > TXT_COLUMNS)
        {
          qt_stmt_puts (out, "\n    ");
          used = 4;
        }
      else if (used > 0)
        {
          qt_stmt_putc (out, ' ');
          used++;
        }
      else
        {
          qt_stmt_puts (out, "  ");
          used = 2;
        }
      qt_stmt_puts (out, words[i]);
      used += w;
    }
}

/* An indented line of text: open it, append, close it. */
static GString *
line_open (Doc *d)
{
  d->line_start = d->out->len;
  qt_stmt_put (d->out, "  ", 2);
  return d->out;
}

/* Ends a line opened with line_open; what data put in it (a plan name, a
 * team id) cannot bring control characters. */
static void
line_close (Doc *d)
{
  escape_controls (d->out, d->line_start, FALSE);
  wrap (d->out, d->line_start);
  qt_stmt_putc (d->out, '\n');
}

/* An indented line of text. */
static void
line (Doc *d, const char *text)
{
  qt_stmt_puts (line_open (d), text);
  line_close (d);
}

/* An indented line from a format. */
static void G_GNUC_PRINTF (2, 3)
line_printf (Doc *d, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (line_open (d), format, ap);
  va_end (ap);
  line_close (d);
}

/* "name (id)" of a rep. */
static void
cell_rep (Table *t, const QtRep *rep)
{
  cell_printf (t, "%s (%s)", rep->name, rep->rep_id);
}

/* The statement's first line. */
static void
heading (Doc *d)
{
  const QtRep *rep = d->m->rep;
  char period[8];
  qt_period_format (d->res->period, period);
  const gsize start = d->out->len;
  g_string_append_printf (d->out, "Commission statement %s: %s (%s)", period, rep->name,
                          rep->rep_id);
  escape_controls (d->out, start, FALSE); /* a newline in a name stays on this line */
  g_string_append_c (d->out, '\n');
}

/* Rep, team, manager, plan, period and currency. */
static void
header (Doc *d)
{
  const QtRep *rep = d->m->rep;
  const QtPlanVersion *v = d->r->plan;
  const guint team = d->r->team_size;
  char period[8];
  qt_period_format (d->res->period, period);
  title (d, "Rep and plan");
  Table *t = table (d, "ll", NULL);
  row (t, 0);
  cell (t, "Rep");
  cell_rep (t, rep);
  row (t, 0);
  cell (t, "Team");
  cell_printf (t, "%s (%u rep%s)", rep->team_id, team, team == 1 ? "" : "s");
  row (t, 0);
  cell (t, "Manager");
  if (d->m->manager != NULL)
    cell_rep (t, d->m->manager);
  else
    cell (t, "none");
  row (t, 0);
  cell (t, "Plan");
  cell_printf (t, "%s version %" G_GINT64_FORMAT " (%s)", v->plan, v->version, v->file_name);
  row (t, 0);
  cell (t, "Plan SHA-256");
  cell (t, v->sha256);
  row (t, 0);
  cell (t, "Period");
  cell (t, period);
  row (t, 0);
  cell (t, "Currency");
  cell (t, v->currency);
  table_render (t, d->out);
}

/* ---- credits ------------------------------------------------------------ */

/* The receipt a group of credit rows comes from (layout 0), its customer
 * under it (layout 2). */
static void
receipt_row (Doc *d, Table *t, const QtStatementCredit *cr)
{
  row (t, 0);
  cell (t, cr->receipt->receipt_id);
  qt_stmt_day (cell_open (t), cr->receipt->received_on);
  cell_close_ascii (t);
  cell (t, cr->receipt->order_id);
  qt_append_fixed_num (cell_open (t), d->res->ds->nums, cr->receipt->amount, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
  row (t, 2);
  qt_stmt_puts (cell_open (t), "     ");
  qt_stmt_puts (t->arena, cr->customer ? cr->customer->name : cr->order->customer_id);
  cell_close (t);
}

/* The multipliers of `mask` in words ("new customer, fast collection";
 * SPEC §5 order). */
static void
append_multipliers (GString *s, guint mask)
{
  for (const char *p = qt_mult_mask_name (mask); *p != '\0'; p++)
    if (*p == '+')
      qt_stmt_puts (s, ", ");
    else
      qt_stmt_putc (s, *p == '_' ? ' ' : *p);
}

/* The line's product and the multipliers applied to the slice, under it
 * (layout 2): on one line when they fit in the statement's width, else
 * the multipliers on a line of their own. */
static void
product_row (Table *t, const QtStatementCredit *cr)
{
  static const char indent[] = "       ";
  const guint mask = cr->slice->mult_mask;
  const char *product = cr->product ? cr->product->name : cr->line->product_id;
  g_autoptr (GString) mults = g_string_new (NULL);
  if (mask != 0)
    append_multipliers (mults, mask);
  const glong width = 2 + (glong) strlen (indent) + display_width (product, strlen (product))
                      + 2 + (glong) mults->len;
  row (t, 2);
  GString *s = cell_open (t);
  qt_stmt_puts (s, indent);
  qt_stmt_puts (s, product);
  if (mask != 0 && width <= TXT_COLUMNS)
    {
      qt_stmt_puts (s, "; ");
      qt_stmt_puts (s, mults->str);
    }
  cell_close (t);
  if (mask == 0 || width <= TXT_COLUMNS)
    return;
  row (t, 2);
  qt_stmt_puts (cell_open (t), indent);
  qt_stmt_puts (t->arena, mults->str);
  cell_close_ascii (t);
}

/* One credited slice (layout 1), then its multipliers. */
static void
credit_row (Doc *d, Table *t, const QtStatementCredit *cr)
{
  const QtSlice *sl = cr->slice;
  row (t, 1);
  cell (t, NULL);
  cell (t, cr->line->line_no);
  qt_append_brief_num (cell_open (t), d->res->ds->nums, sl->share, 4, QT_ROUND_HALF_EVEN);
  cell_close_ascii (t);
  cell_money_frac (t, &sl->amount);
  cell_brief (t, sl->weight);
  cell_money_frac (t, &sl->weighted);
  product_row (t, cr);
}

/* Column heads of both layouts, then a rule. */
static void
credit_heads (Table *t)
{
  TEXT_ROW (t, 0, "receipt", "received", "order", "receipt amount");
  TEXT_ROW (t, 2, "     customer");
  TEXT_ROW (t, 1, NULL, "line", "share", "amount", "weight", "weighted");
  TEXT_ROW (t, 2, "       product; multipliers");
  rule (t);
}

/* SPEC §4.2–4.3: every credited slice, grouped under its receipt. */
static void
credits_section (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtStatementCredit *cr = d->m->credits;
  const guint n = d->m->n_credits;
  title (d, "Credits");
  if (n == 0)
    {
      char period[8];
      line_printf (d, "No credited receipts in %s.", qt_period_format (d->res->period, period));
      return;
    }
  /* Rows grouped under their receipt: the slices are sorted by receipt_id. */
  Table *t = table3 (d, "lllr", "llrrrr", "l");
  credit_heads (t);
  for (guint k = 0; k < n; k++)
    {
      if (k == 0 || cr[k].receipt != cr[k - 1].receipt)
        receipt_row (d, t, &cr[k]);
      credit_row (d, t, &cr[k]);
    }
  rule (t);
  row (t, 1);
  cell (t, NULL);
  cell (t, "Total");
  cell (t, NULL);
  cell_money (t, r->credit);
  cell (t, NULL);
  cell_money (t, r->weighted);
  table_render (t, d->out);
  line (d, "amount = receipt x line net / order net x share; weighted = amount x weight, "
           "the weight being the product of the multipliers named under the line.");
  line (d, "Amounts show to the cent (~ = rounded); exact values are in the JSON statement.");
}

/* The period's receipts on the rep's orders that were not credited, in
 * plain words, and whom to ask. */
static void
excepted (Doc *d)
{
  const QtStatementModel *m = d->m;
  if (m->n_excepted == 0)
    return;
  title (d, "Receipts not credited");
  for (guint k = 0; k < m->n_excepted; k++)
    {
      const QtExceptedReceipt *x = &m->excepted[k];
      GString *s = line_open (d);
      g_string_append_printf (s, "%s of order %s (", x->receipt->receipt_id, x->receipt->order_id);
      qt_stmt_day (s, x->receipt->received_on);
      qt_stmt_puts (s, ", ");
      qt_append_fixed_num (s, d->res->ds->nums, x->receipt->amount, QT_MONEY_DECIMALS,
                           QT_ROUND_HALF_EVEN);
      g_string_append_printf (s, ") was not credited: %.*s.", (int) x->exception->reason_len,
                              x->exception->message);
      line_close (d);
    }
  line (d, "Nobody is paid on these until the data is corrected: ask finance, who see them "
           "in exceptions.csv.");
}

/* SPEC §4.4: C, W, quota and attainment. */
static void
totals (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Credit and attainment");
  Table *t = table (d, "lr", NULL);
  row (t, 0);
  cell (t, "Credit");
  cell_money (t, r->credit);
  note_exact (d, "Credit", r->credit, QT_MONEY_DECIMALS);
  row (t, 0);
  cell (t, "Weighted credit");
  cell_money (t, r->weighted);
  note_exact (d, "Weighted credit", r->weighted, QT_MONEY_DECIMALS);
  row (t, 0);
  cell (t, "Quota");
  if (r->has_quota)
    {
      cell_money (t, r->quota);
      note_exact (d, "Quota", r->quota, QT_MONEY_DECIMALS);
    }
  else
    cell (t, "none");
  row (t, 0);
  cell (t, "Attainment");
  cell_percent (t, r->attainment);
  note_exact (d, "Attainment (weighted credit / quota)", r->attainment, QT_MONEY_DECIMALS + 2);
  table_render (t, d->out);
  line (d, "Attainment = weighted credit / quota.");
  g_autofree char *note = qt_statement_no_quota_note (d->m);
  if (note != NULL)
    line_printf (d, "No quota: %s.", note);
}

/* ---- commission --------------------------------------------------------- */

/* One commission tier; ">" marks the tier W reaches. */
static void
tier_row (Table *t, const QtRepResult *r, guint i, gint current)
{
  const QtTierLine *tl = &r->tiers[i];
  row (t, 0);
  cell_printf (t, "%s %u", (gint) i == current ? ">" : " ", i + 1);
  GString *range = cell_open (t);
  qt_append_exact (range, tl->tier->from);
  if (tl->has_upper)
    {
      qt_stmt_puts (range, " to ");
      qt_append_exact (range, r->tiers[i + 1].tier->from);
    }
  else
    qt_stmt_puts (range, " and up");
  cell_close (t);
  cell_exact (t, tl->tier->rate);
  if (r->has_quota)
    cell_money (t, tl->lower);
  else
    cell (t, "-");
  if (r->has_quota && tl->has_upper)
    cell_money (t, tl->upper);
  else
    cell (t, "-");
  cell_money (t, tl->portion);
  cell_money (t, tl->amount);
}

/* What it takes to reach the next tier, or why more credit pays no more. */
static void
next_tier (Doc *d)
{
  const QtRepResult *r = d->r;
  if (r->capped)
    {
      GString *s = line_open (d);
      qt_stmt_puts (s, "Your commission is capped at ");
      qt_append_fixed (s, r->plan->cap, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, ": more credit this month does not raise it.");
      line_close (d);
      return;
    }
  if (!r->has_next_tier)
    {
      if (r->has_quota && r->tier >= 0)
        line (d, "You are in the top tier: each more unit of weighted credit pays its rate.");
      return;
    }
  const guint k = (guint) r->tier + 1;
  GString *s = line_open (d);
  qt_append_fixed (s, r->next_tier_needed, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  g_string_append_printf (s, " more weighted credit reaches tier %u, whose rate is ", k + 1);
  qt_append_exact (s, r->tiers[k].tier->rate);
  qt_stmt_puts (s, ".");
  line_close (d);
}

/* The sprint bonus the quarter missed (at its end) or can still earn
 * (before), and the weighted credit that stands between. */
static void
sprint_gap (Doc *d)
{
  const QtStatementModel *m = d->m;
  if (m->sprint_bonus < 0)
    return;
  const QtBonusLine *b = &d->r->bonuses[m->sprint_bonus];
  char last[8];
  GString *s = line_open (d);
  if (d->r->quarter_end)
    qt_stmt_puts (s, "The quarter needed ");
  qt_append_fixed (s, m->sprint_needed, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  if (d->r->quarter_end)
    qt_stmt_puts (s, " more weighted credit for the sprint bonus ");
  else
    {
      qt_stmt_puts (s, " more weighted credit by the end of ");
      qt_stmt_puts (s, qt_period_format (qt_quarter_first_period (
                                           qt_quarter_of_period (d->res->period)) + 2, last));
      qt_stmt_puts (s, " earns the sprint bonus ");
    }
  qt_stmt_puts (s, b->bonus->id);
  qt_stmt_puts (s, " (");
  qt_append_fixed (s, b->bonus->amount, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, ").");
  line_close (d);
}

/* The score item worth most if raised to its cap. */
static void
score_lever (Doc *d)
{
  const QtStatementModel *m = d->m;
  if (m->lever < 0)
    return;
  const QtScoreLine *l = &d->r->score_lines[m->lever];
  GString *s = line_open (d);
  qt_stmt_puts (s, "Your score rises most with ");
  qt_stmt_puts (s, l->item->is_attainment ? "attainment" : l->item->metric);
  qt_stmt_puts (s, ": at its cap it adds ");
  qt_append_fixed (s, m->lever_points, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, " points.");
  line_close (d);
}

/* "To earn more": the next tier, the sprint, the score. */
static void
earn_more (Doc *d)
{
  const gsize before = d->out->len;
  title (d, "To earn more");
  const gsize body = d->out->len;
  next_tier (d);
  sprint_gap (d);
  score_lever (d);
  if (d->out->len == body)
    g_string_truncate (d->out, before); /* nothing to say */
}

/* SPEC §4.5: the tier table and why the commission is what it is. */
static void
commission (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  g_autofree char *head = g_strdup_printf ("Commission (%s tiers of plan %s, version %" G_GINT64_FORMAT ")",
                                           v->mode == QT_MODE_MARGINAL ? "marginal" : "retroactive",
                                           v->plan, v->version);
  title (d, head);
  const gint current = r->tier;
  Table *t = table (d, "llrrrrr", NULL);
  TEXT_ROW (t, 0, "tier", "attainment", "rate", "from", "to", "portion", "amount");
  rule (t);
  for (guint i = 0; i < r->n_tiers; i++)
    tier_row (t, r, i, current);
  rule (t);
  row (t, 0);
  cell (t, "Commission");
  for (int k = 0; k < 5; k++)
    cell (t, NULL);
  cell_money (t, r->commission);
  table_render (t, d->out);
  if (current >= 0)
    line (d, "> marks the tier your attainment reaches; from and to are weighted credit.");
  g_autofree char *note = qt_statement_commission_note (d->m);
  line (d, note);
  note_exact (d, "Commission", r->commission, QT_MONEY_DECIMALS);
}

/* ---- override ----------------------------------------------------------- */

/* The direct reports' commissions, their sum and the override on it. */
static void
override_table (Doc *d)
{
  const QtRepResult *r = d->r;
  Table *t = table (d, "llr", NULL);
  TEXT_ROW (t, 0, "rep", "name", "commission");
  rule (t);
  for (guint k = 0; k < r->n_reports; k++)
    {
      const QtRepResult *dr = &d->res->reps[d->m->reports[k]];
      const QtRep *rep = &d->res->ds->reps[dr->rep];
      row (t, 0);
      cell (t, rep->rep_id);
      cell (t, rep->name);
      cell_money (t, dr->commission);
      g_autofree char *label = g_strdup_printf ("Commission of %s", rep->rep_id);
      note_exact (d, label, dr->commission, QT_MONEY_DECIMALS);
    }
  rule (t);
  row (t, 0);
  cell (t, "Base");
  cell (t, NULL);
  cell_money (t, r->override_base);
  note_exact (d, "Override base", r->override_base, QT_MONEY_DECIMALS);
  row (t, 0);
  cell (t, "Override");
  qt_append_exact (cell_open (t), r->plan->override_rate);
  qt_stmt_puts (t->arena, " x base");
  cell_close (t);
  cell_money (t, r->r_override);
  note_exact (d, "Override", r->override_amount, QT_MONEY_DECIMALS);
  table_render (t, d->out);
}

/* SPEC §4.6: the manager override, or why there is none. */
static void
override (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  title (d, "Manager override");
  if (!v->has_override)
    {
      line_printf (d, "Plan %s, version %" G_GINT64_FORMAT ", has no override: 0.00.", v->plan,
                   v->version);
      return;
    }
  if (r->n_reports == 0)
    {
      line (d, "No direct reports: 0.00.");
      return;
    }
  override_table (d);
  line_printf (d, "The base is the direct reports' capped commissions (plan %s, version %"
               G_GINT64_FORMAT ").", v->plan, v->version);
}

/* ---- sprint ------------------------------------------------------------- */

/* "Quarter attainment P% (exact X)." or why there is none. */
static void
sprint_attainment (Doc *d)
{
  const QtRepResult *r = d->r;
  if (!r->has_sprint_attainment)
    {
      line (d, "No quota in the quarter: no sprint bonus.");
      return;
    }
  GString *s = line_open (d);
  qt_stmt_puts (s, "Quarter attainment ");
  qt_append_percent (s, r->sprint_attainment, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, "%.");
  line_close (d);
  note_exact (d, "Quarter attainment", r->sprint_attainment, QT_MONEY_DECIMALS + 2);
}

/* The quarter's first n months (weighted credit and quota of each) and
 * their sum, headed `head` and totalled as `total`. */
static void
quarter_months (Doc *d, guint n, const char *head, const char *total)
{
  const QtRepResult *r = d->r;
  char buf[8];
  Table *t = table (d, "lrr", NULL);
  TEXT_ROW (t, 0, head, "weighted credit", "quota");
  rule (t);
  for (guint m = 0; m < n; m++)
    {
      row (t, 0);
      cell (t, qt_period_format (r->months[m].period, buf));
      cell_money (t, r->months[m].w);
      if (r->months[m].has_quota)
        cell_money (t, r->months[m].quota);
      else
        cell (t, "none");
    }
  rule (t);
  row (t, 0);
  cell (t, total);
  cell_money (t, r->sprint_w);
  cell_money (t, r->sprint_quota);
  table_render (t, d->out);
}

/* Mid-quarter: the quarter so far, month by month. */
static void
sprint_to_date (Doc *d)
{
  const QtRepResult *r = d->r;
  quarter_months (d, r->n_months, "so far", "To date");
  if (r->has_quarter_quota)
    {
      GString *s = line_open (d);
      qt_stmt_puts (s, "The whole quarter's quota is ");
      qt_append_fixed (s, r->quarter_quota, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, ".");
      line_close (d);
    }
}

/* SPEC §4.7: the quarter's months and attainment. */
static void
sprint (Doc *d)
{
  const QtRepResult *r = d->r;
  char buf[8], last[8];
  const QtQuarter q = qt_quarter_of_period (d->res->period);
  g_autofree char *head = g_strdup_printf ("Quarterly sprint %s", qt_quarter_format (q, buf));
  title (d, head);
  if (!r->quarter_end)
    {
      line_printf (d, "%s does not close the quarter: sprint bonuses are decided in %s.",
                   qt_period_format (d->res->period, buf),
                   qt_period_format (qt_quarter_first_period (q) + 2, last));
      sprint_to_date (d);
      return;
    }
  quarter_months (d, 3, "month", "Quarter");
  sprint_attainment (d);
}

/* ---- score -------------------------------------------------------------- */

/* One score item. */
static void
score_row (Table *t, const QtScoreLine *l)
{
  const QtScoreItem *it = l->item;
  row (t, 0);
  cell (t, it->is_attainment ? "attainment" : it->metric);
  if (l->missing)
    cell (t, "0 (missing)");
  else
    cell_brief (t, l->value);
  if (it->has_target)
    cell_exact (t, it->target);
  else
    cell (t, "-");
  if (it->has_cap)
    cell_exact (t, it->cap);
  else
    cell (t, "-");
  qt_append_brief (cell_open (t), l->score, 4, QT_ROUND_HALF_EVEN);
  if (l->capped)
    qt_stmt_puts (t->arena, " capped");
  cell_close (t);
  cell_exact (t, it->weight);
  cell_brief (t, l->contribution);
}

/* "R of N in team T". */
static void
rank_text (Doc *d, GString *s)
{
  g_string_append_printf (s, "%u of %u in team %s", d->r->team_rank, d->r->team_size,
                          d->m->rep->team_id);
}

/* Process, result and total score with how each is made. */
static void
score_totals (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtPlanVersion *v = r->plan;
  Table *t = table (d, "lrl", NULL);
  row (t, 0);
  cell (t, "Process score");
  cell_score (t, r->process_score);
  cell (t, "100 x sum of process contributions");
  row (t, 0);
  cell (t, "Result score");
  cell_score (t, r->result_score);
  cell (t, "100 x sum of result contributions");
  row (t, 0);
  cell (t, "Total score");
  cell_score (t, r->total);
  GString *s = cell_open (t);
  qt_stmt_puts (s, "100 x (");
  qt_append_exact (s, v->process_weight);
  qt_stmt_puts (s, " x process + ");
  qt_append_exact (s, v->result_weight);
  qt_stmt_puts (s, " x result)");
  cell_close (t);
  table_render (t, d->out);
}

/* SPEC §4.8: score items, totals and team rank. */
static void
score (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Score");
  if (!r->plan->has_score)
    {
      line (d, "The plan has no score section: scores 0.00, no score bonus.");
      qt_stmt_puts (line_open (d), "Team rank ");
      rank_text (d, d->out);
      qt_stmt_putc (d->out, '.');
      line_close (d);
      return;
    }
  /* the items of each list under a row naming it (layout 1) */
  Table *t = table (d, "lrrrrrr", "l");
  TEXT_ROW (t, 0, "item", "value", "target", "cap", "score", "weight", "contribution");
  rule (t);
  for (guint i = 0; i < r->n_score_lines; i++)
    {
      const QtScoreLine *l = &r->score_lines[i];
      if (i == 0 || l->is_process != r->score_lines[i - 1].is_process)
        TEXT_ROW (t, 1, l->is_process ? "Process" : "Result");
      score_row (t, l);
    }
  table_render (t, d->out);
  line (d, "score = value / target, at most the cap; contribution = score x weight;");
  line (d, "~ marks a value rounded for display.");
  score_totals (d);
  qt_stmt_puts (line_open (d), "Team rank ");
  rank_text (d, d->out);
  qt_stmt_puts (d->out, " (by exact total score, ties by rep id).");
  line_close (d);
}

/* ---- bonuses, adjustments, payable -------------------------------------- */

/* Why a score bonus is paid or not, in words. */
static void
score_bonus_test (Doc *d, const QtBonusLine *b, GString *s)
{
  const QtBonus *bo = b->bonus;
  if (!d->r->plan->has_score)
    {
      qt_stmt_puts (s, "no score section");
      return;
    }
  if (bo->has_min_score)
    {
      qt_stmt_puts (s, "score ");
      qt_append_fixed (s, d->r->total, QT_SCORE_DECIMALS, QT_ROUND_HALF_EVEN);
      qt_stmt_puts (s, b->paid ? " >= " : " < ");
      qt_append_exact (s, bo->min_score);
      qt_stmt_puts (s, "; ");
    }
  qt_append_exact (s, bo->target_amount);
  qt_stmt_puts (s, " x score / 100");
}

/* Why a sprint bonus is paid or not, in words. */
static void
sprint_bonus_test (Doc *d, const QtBonusLine *b, GString *s)
{
  const QtRepResult *r = d->r;
  if (!r->quarter_end)
    {
      qt_stmt_puts (s, "paid in a quarter's last month");
      return;
    }
  if (!r->has_sprint_attainment)
    {
      qt_stmt_puts (s, "no quota in the quarter");
      return;
    }
  qt_stmt_puts (s, "quarter attainment ");
  qt_append_percent (s, r->sprint_attainment, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, b->paid ? "% >= " : "% < ");
  qt_append_percent (s, b->bonus->min_attainment, QT_ROUND_HALF_EVEN);
  qt_stmt_puts (s, "%; pays ");
  qt_append_fixed (s, b->bonus->amount, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
}

/* Every bonus of the plan with its test and amount. */
static void
bonuses (Doc *d)
{
  const QtRepResult *r = d->r;
  title (d, "Bonuses");
  if (r->n_bonuses == 0)
    {
      line (d, "The plan has no bonuses.");
      return;
    }
  /* a line per bonus, then its test in words (layout 1) */
  Table *t = table (d, "llr", "l");
  for (guint i = 0; i < r->n_bonuses; i++)
    {
      const QtBonusLine *b = &r->bonuses[i];
      const gboolean is_score = b->bonus->kind == QT_BONUS_SCORE;
      row (t, 0);
      cell (t, b->bonus->id);
      cell (t, is_score ? "score bonus" : "quarterly sprint bonus");
      cell_money (t, b->rounded);
      row (t, 1);
      GString *test = cell_open (t);
      qt_stmt_puts (test, "  ");
      if (is_score)
        score_bonus_test (d, b, test);
      else
        sprint_bonus_test (d, b, test);
      cell_close (t);
      g_autofree char *label = g_strdup_printf ("Bonus %s", b->bonus->id);
      note_exact (d, label, b->exact, QT_MONEY_DECIMALS);
    }
  table_render (t, d->out);
}

/* SPEC §4.9: each adjustment, rounded on its own. */
static void
adjustments (Doc *d)
{
  const QtRepResult *r = d->r;
  const QtDataset *ds = d->res->ds;
  title (d, "Adjustments");
  if (r->n_adjustments == 0)
    {
      line (d, "None.");
      return;
    }
  Table *t = table (d, "llr", NULL);
  const guint *order = d->m->adjustments;
  g_auto (mpq_t) amount;
  mpq_init (amount);
  for (guint k = 0; k < r->n_adjustments; k++)
    {
      const QtAdjustment *a = &ds->adjustments[r->adjustments[order[k]]];
      qt_num_get (ds->nums, a->amount, amount);
      row (t, 0);
      cell (t, a->adjustment_id);
      cell (t, a->reason);
      cell_money (t, r->adjustments_rounded[order[k]]);
      g_autofree char *label = g_strdup_printf ("Adjustment %s", a->adjustment_id);
      note_exact (d, label, amount, QT_MONEY_DECIMALS);
    }
  table_render (t, d->out);
}

/* SPEC §6: each line rounded half-even; the total is their sum, to the cent. */
static void
payable (Doc *d)
{
  static const char *const labels[QT_PAYABLE_COUNT] = {
    [QT_PAYABLE_COMMISSION] = "Commission",     [QT_PAYABLE_OVERRIDE] = "Override",
    [QT_PAYABLE_SPRINT_BONUS] = "Sprint bonus", [QT_PAYABLE_SCORE_BONUS] = "Score bonus",
    [QT_PAYABLE_ADJUSTMENTS] = "Adjustments",   [QT_PAYABLE_TOTAL] = "Total",
  };
  GString *head = g_string_new ("You are paid ");
  qt_append_fixed (head, d->m->payable[QT_PAYABLE_TOTAL].rounded, QT_MONEY_DECIMALS,
                   QT_ROUND_HALF_EVEN);
  g_string_append_printf (head, " %s", d->r->plan->currency);
  title (d, head->str);
  g_string_free (head, TRUE);
  Table *t = table (d, "lr", NULL);
  for (int k = 0; k < QT_PAYABLE_COUNT; k++)
    {
      if (k == QT_PAYABLE_TOTAL)
        rule (t);
      row (t, 0);
      cell (t, labels[k]);
      cell_money (t, d->m->payable[k].rounded);
    }
  table_render (t, d->out);
  line (d, "Each line is rounded half-even to the cent; the total is the sum of the lines.");
}

/* The exact values the cents hide, each on a line of its own (long
 * fractions wrapped at 76 columns). */
static void
appendix (Doc *d)
{
  if (d->exact->len == 0)
    return;
  title (d, "Exact values (rounded above)");
  for (const char *p = d->exact->str; p < d->exact->str + d->exact->len;)
    {
      const char *label = p;
      const char *value = label + strlen (label) + 1;
      p = value + strlen (value) + 1;
      line (d, label);
      for (gsize at = 0, n = strlen (value); at < n; at += 76)
        {
          GString *s = line_open (d);
          qt_stmt_puts (s, "  ");
          qt_stmt_put (s, value + at, MIN (76, n - at));
          line_close (d);
        }
    }
}

/* The text statement of res->reps[rep]. */
GString *
qt_statement_text (const QtStatementIndex *ix, guint rep)
{
  g_return_val_if_fail (ix != NULL && rep < qt_statement_index_result (ix)->n_reps, NULL);
  g_autoptr (QtStatementModel) m = qt_statement_model_build (ix, rep);
  return qt_statement_text_of (m);
}

/* The text statement of a model. */
GString *
qt_statement_text_of (const QtStatementModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  const guint n_credits = m->n_credits;
  /* Sized so that the credits table fits without growing. */
  g_autoptr (GString) arena = g_string_sized_new (1024 + 96 * (gsize) n_credits);
  g_autoptr (GArray) cells = g_array_sized_new (FALSE, FALSE, sizeof (Cell), 64 + 9 * n_credits);
  g_autoptr (GArray) rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), 16 + 2 * n_credits);
  g_autoptr (GString) exact = g_string_new (NULL);
  Doc d = { m, m->res, m->r, g_string_sized_new (6144 + 200 * (gsize) n_credits),
            { .arena = arena, .cells = cells, .rows = rows }, 0, exact };
  /* the answer first: what is paid, and what would pay more */
  heading (&d);
  payable (&d);
  earn_more (&d);
  header (&d);
  credits_section (&d);
  excepted (&d);
  totals (&d);
  commission (&d);
  override (&d);
  sprint (&d);
  score (&d);
  bonuses (&d);
  adjustments (&d);
  appendix (&d);
  return d.out;
}
