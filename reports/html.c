/* reports/html.c — the shared parts of the HTML site (see html.h): text
 * escaping, the page frame with its inline style, figures read from the
 * statement JSON, and the SVG charts. */
#include "html_internal.h"

#include <stdlib.h>
#include <string.h>

#include "statement.h"

void
qt_html_previous_free (gpointer p)
{
  QtHtmlPrevious *prev = p;
  g_free (prev->period);
  g_hash_table_unref (prev->totals);
  g_free (prev);
}

void
qt_html_text (GString *out, const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p);
      }
}

char *
qt_html_rep_file (const char *rep_id)
{
  g_autofree char *stem = qt_statement_file_stem (rep_id);
  return g_strconcat ("reps/", stem, ".html", NULL);
}

char *
qt_html_manager_file (const char *rep_id)
{
  g_autofree char *stem = qt_statement_file_stem (rep_id);
  return g_strconcat ("managers/", stem, ".html", NULL);
}

/* One style for every page: readable on a phone and on paper. */
static const char style[] =
  "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;"
  "color:#1b1f24;line-height:1.4}"
  "h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.6rem;"
  "border-bottom:1px solid #d0d7de}"
  ".answer{font-size:2rem;font-weight:700;margin:.4rem 0}"
  "table{border-collapse:collapse;margin:.4rem 0}td,th{padding:.15rem .6rem;text-align:left;"
  "vertical-align:top}th{border-bottom:1px solid #8c959f}td.n,th.n{text-align:right;"
  "font-variant-numeric:tabular-nums}tr.total td{border-top:1px solid #8c959f;font-weight:700}"
  ".note{color:#57606a;font-size:.9rem}.refund{color:#a40e26}.more{background:#ddf4ff;"
  "padding:.5rem .8rem;border-radius:.4rem}nav a{margin-right:1rem}svg text{font-size:11px}";

void
qt_html_begin (GString *out, const char *title, const char *home)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>");
  qt_html_text (out, title);
  g_string_append (out, "</title>\n<style>");
  g_string_append (out, style);
  g_string_append (out, "</style>\n</head>\n<body>\n");
  if (home != NULL)
    g_string_append_printf (out, "<nav><a href=\"%s\">Finance summary</a></nav>\n", home);
}

void
qt_html_end (GString *out)
{
  g_string_append (out, "</body>\n</html>\n");
}

const cJSON *
qt_html_at (const cJSON *o, const char *path)
{
  /* segment by segment, without copying: pages look up many members */
  char key[128];
  while (o != NULL && *path != '\0')
    {
      const char *end = strchr (path, '/');
      gsize n = end != NULL ? (gsize) (end - path) : strlen (path);
      if (n >= sizeof key)
        return NULL;
      memcpy (key, path, n);
      key[n] = '\0';
      o = g_ascii_isdigit (key[0]) ? cJSON_GetArrayItem (o, atoi (key))
                                    : cJSON_GetObjectItemCaseSensitive (o, key);
      path += n + (end != NULL);
    }
  return o;
}

const char *
qt_html_str (const cJSON *o, const char *path)
{
  const cJSON *v = qt_html_at (o, path);
  return cJSON_IsString (v) ? v->valuestring : NULL;
}

gboolean
qt_html_exact (mpq_ptr out, const char *text)
{
  if (text == NULL)
    return FALSE;
  if (strchr (text, '/') != NULL)
    {
      if (mpq_set_str (out, text, 10) != 0)
        return FALSE;
      mpq_canonicalize (out);
      return TRUE;
    }
  return qt_decimal_parse (out, text, strlen (text), NULL);
}

void
qt_html_money (GString *out, const char *exact)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  if (qt_html_exact (v, exact))
    qt_append_fixed (out, v, QT_MONEY_DECIMALS, QT_ROUND_HALF_EVEN);
  else
    g_string_append (out, "-");
}

/* x in [0, max] as a whole number of pixels out of `width`, exactly
 * rounded (max ≤ 0: 0). */
gint
qt_html_px (mpq_srcptr x, mpq_srcptr max, gint width)
{
  if (mpq_sgn (max) <= 0 || mpq_sgn (x) <= 0)
    return 0;
  if (mpq_cmp (x, max) >= 0)
    return width;
  g_auto (mpq_t) r;
  mpq_init (r);
  mpq_div (r, x, max);
  g_auto (mpq_t) w;
  mpq_init (w);
  mpq_set_si (w, width, 1);
  mpq_mul (r, r, w);
  qt_round (r, r, 0, QT_ROUND_HALF_EVEN);
  return (gint) mpz_get_si (mpq_numref (r));
}

void
qt_html_brief (GString *out, const char *exact)
{
  g_auto (mpq_t) v;
  mpq_init (v);
  if (qt_html_exact (v, exact))
    qt_append_brief (out, v, 4, QT_ROUND_HALF_EVEN);
  else
    g_string_append (out, "-");
}
