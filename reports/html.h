/* reports/html.h — the static HTML site of a run (`quotient report`): a
 * page per rep, a page per manager and a finance summary, self-contained
 * (inline CSS, SVG charts drawn here, no script, nothing fetched).
 *
 * Every figure comes from the run's outputs as written — the statements
 * (JSON, format 4), payout.json, exceptions.csv, the manifest's control
 * totals — so a page can never disagree with them; this module only lays
 * them out.  Every text from data is escaped. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

/* A run before this one, for trends and the largest changes. */
typedef struct {
  char *period;          /* "YYYY-MM" */
  GHashTable *totals;    /* rep_id → payout total as payout.csv shows it */
} QtHtmlPrevious;

void qt_html_previous_free (gpointer previous);

typedef struct {
  const char *period;
  GPtrArray *statements;    /* cJSON* (statement JSON), by rep_id */
  const cJSON *payout;      /* payout.json */
  GPtrArray *exceptions;    /* char** {file, line, code, message, receipt_id, amount} of
                               exceptions.csv, the last two the receipt a row of
                               receipts.csv holds back ("" for other rows) */
  const char *components_sum, *totals_sum; /* the manifest's control totals */
  GPtrArray *previous;      /* QtHtmlPrevious*, oldest first */
  GHashTable *appeals;      /* rep_id → GPtrArray of char* ("A3 adjustment: upheld") */
  GHashTable *teams;        /* manager_id → GPtrArray of the direct reports' statements */
} QtHtmlSite;

/* Appends `text` with & < > " ' escaped. */
void qt_html_text (GString *out, const char *text);

/* The pages, each a whole HTML document: (transfer full) */
GString *qt_html_rep_page (const QtHtmlSite *site, const cJSON *statement);
GString *qt_html_manager_page (const QtHtmlSite *site, const cJSON *statement);
GString *qt_html_summary (const QtHtmlSite *site);

/* A page's file name inside the site for a rep id: "reps/<stem>.html" or
 * "managers/<stem>.html" (the statement file stem).  (transfer full) */
char *qt_html_rep_file (const char *rep_id);
char *qt_html_manager_file (const char *rep_id);

G_END_DECLS
