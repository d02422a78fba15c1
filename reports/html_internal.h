/* reports/html_internal.h — what the HTML pages share (reports/html.c). */
#pragma once

#include <gmp.h>

#include "../model/money.h"
#include "html.h"

G_BEGIN_DECLS

/* The page frame: the document head with its inline style, a link home
 * (relative, NULL for the home page itself), and the end. */
void qt_html_begin (GString *out, const char *title, const char *home);
void qt_html_end (GString *out);

/* A member of a statement by a '/'-separated path of keys and array
 * indexes; the string there, or NULL. */
const cJSON *qt_html_at (const cJSON *o, const char *path);
const char *qt_html_str (const cJSON *o, const char *path);

/* A statement's exact number ("10000/3", "2.0625") into out. */
gboolean qt_html_exact (mpq_ptr out, const char *text);
/* An exact number shown to the cent, "-" when absent. */
void qt_html_money (GString *out, const char *exact);
/* An exact number as the text statement shows a ratio: whole when it
 * terminates within 4 decimals, else "~" and 4 decimals. */
void qt_html_brief (GString *out, const char *exact);
/* x of max as whole pixels of `width`, exactly rounded. */
gint qt_html_px (mpq_srcptr x, mpq_srcptr max, gint width);

G_END_DECLS
