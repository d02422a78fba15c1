/* tests/e2e_malformed.c — `quotient run` on malformed input (SPEC §7, §10,
 * §12.1, §12.2): exit 2, a `PATH:LINE:COLUMN: message` first line on stderr,
 * and nothing at all at --out, not even a hidden temporary beside it.
 *
 * Table-driven: each case copies the golden data set and plans, applies up
 * to three edits, runs the binary and compares the first stderr line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_support.h"

typedef enum {
  EDIT_NONE,   /* end of the edit list */
  EDIT_SUBST,  /* in line `line`, replace the first `from` with `to` */
  EDIT_INSERT, /* insert `to` as line `line` (the old line moves down) */
  EDIT_APPEND, /* append the line `to` */
  EDIT_WRITE,  /* write the file with content `to` */
  EDIT_DELETE, /* remove the file or directory */
  EDIT_CRLF,   /* end every line with CR LF */
  EDIT_SYMLINK, /* replace the file by a symbolic link to `to` */
  EDIT_FIFO,   /* replace the file by a named pipe */
} EditKind;

typedef struct {
  EditKind kind;
  const char *file; /* relative to the case directory: "data/orders.csv" */
  guint line;
  const char *from, *to;
} Edit;

typedef enum {
  MATCH_EXACT,  /* line == CASE_DIR "/" where message */
  MATCH_PHRASE, /* line starts with CASE_DIR "/" where and contains message */
  MATCH_SUFFIX, /* line ends with where message (the PATH prefix is not pinned) */
  MATCH_USAGE,  /* line == message (usage errors name no file) */
} Match;

typedef enum {
  ARGS_NORMAL,
  ARGS_BAD_PERIOD,  /* --period 2026-13 */
  ARGS_NO_PERIOD,   /* --period left out */
  ARGS_UNKNOWN_OPT, /* an extra --bogus */
} Args;

typedef struct {
  const char *name;
  Edit edits[3];
  Args args;
  Match match;
  const char *where;   /* "data/orders.csv:3:5: " */
  const char *message; /* the rest of the first stderr line */
} Case;

#define SUBST(file, line, from, to) { EDIT_SUBST, file, line, from, to }
#define INSERT(file, line, text) { EDIT_INSERT, file, line, NULL, text }
#define APPEND(file, text) { EDIT_APPEND, file, 0, NULL, text }
#define WRITE(file, text) { EDIT_WRITE, file, 0, NULL, text }
#define DELETE(file) { EDIT_DELETE, file, 0, NULL, NULL }
#define CRLF(file) { EDIT_CRLF, file, 0, NULL, NULL }
#define SYMLINK(file, target) { EDIT_SYMLINK, file, 0, NULL, target }
#define FIFO(file) { EDIT_FIFO, file, 0, NULL, NULL }

#define RECEIPTS "data/receipts.csv"
#define ORDERS "data/orders.csv"
#define REPS "data/reps.csv"
#define FIELD_V2 "plans/field-v2.json"
#define LEAD "plans/lead.json"

/* Golden line numbers used below: receipts.csv:4 is R101 (amount 10000.00,
 * received 2026-01-20); orders.csv:3 is H2 (completed) and the file has 24
 * lines; reps.csv:2 M1, :3 A1, :6 B1, :7 B2; field-v2.json:4 effective_from,
 * :19 the third tier, :21 cap, :27 the first process item. */
static const Case cases[] = {
  /* Only regular files are read; absent means no directory entry at all. */
  { "optional_file_dangling_symlink", { SYMLINK ("data/splits.csv", "nowhere.csv") }, ARGS_NORMAL,
    MATCH_EXACT, "data/splits.csv:1:1: ",
    "cannot read file: it is a symbolic link to a file that does not exist" },
  { "required_file_dangling_symlink", { SYMLINK (RECEIPTS, "nowhere.csv") }, ARGS_NORMAL,
    MATCH_EXACT, RECEIPTS ":1:1: ",
    "cannot read file: it is a symbolic link to a file that does not exist" },
  { "data_file_is_a_device", { SYMLINK (RECEIPTS, "/dev/zero") }, ARGS_NORMAL, MATCH_EXACT,
    RECEIPTS ":1:1: ", "cannot read file: it is not a regular file (a directory, device or pipe)" },
  { "data_file_is_a_fifo", { FIFO (ORDERS) }, ARGS_NORMAL, MATCH_EXACT, ORDERS ":1:1: ",
    "cannot read file: it is not a regular file (a directory, device or pipe)" },
  /* A plan string with an escaped NUL would be cut short by the C string
   * cJSON gives (SPEC §12.2: refused with its JSON path). */
  { "plan_string_with_nul", { SUBST (FIELD_V2, 5, "\"CNY\"", "\"C\\u0000NY\"") }, ARGS_NORMAL,
    MATCH_EXACT, FIELD_V2 ":5:15: ",
    "currency: a string must not hold \\u0000 (the text would be cut short there)" },
  { "plan_name_not_utf8", { WRITE ("plans/bad\xff.json", "{}") }, ARGS_NORMAL, MATCH_EXACT,
    "plans/bad\xef\xbf\xbd.json:1:1: ", "a plan file name must be UTF-8 (rename the file)" },
  { "plan_dangling_symlink", { SYMLINK ("plans/gone.json", "nowhere.json") }, ARGS_NORMAL,
    MATCH_EXACT, "plans/gone.json:1:1: ",
    "cannot read plan: it is a symbolic link to a file that does not exist" },
  { "optional_file_is_a_directory", { DELETE ("data/adjustments.csv"), WRITE ("data/adjustments.csv/x", "") },
    ARGS_NORMAL, MATCH_EXACT, "data/adjustments.csv:1:1: ",
    "cannot read file: it is not a regular file (a directory, device or pipe)" },
  /* SPEC §2 value syntax: decimal is -?[0-9]+(\.[0-9]+)? and nothing else. */
  { "decimal_thousands_separator", { SUBST (RECEIPTS, 4, "10000.00", "\"1,000.00\"") }, ARGS_NORMAL,
    MATCH_EXACT, RECEIPTS ":4:4: ", "amount: '1,000.00' is not a decimal number" },
  { "decimal_plus_sign", { SUBST (RECEIPTS, 4, "10000.00", "+5") }, ARGS_NORMAL, MATCH_EXACT,
    RECEIPTS ":4:4: ", "amount: '+5' is not a decimal number" },
  { "decimal_exponent", { SUBST (RECEIPTS, 4, "10000.00", "1e3") }, ARGS_NORMAL, MATCH_EXACT,
    RECEIPTS ":4:4: ", "amount: '1e3' is not a decimal number" },
  /* §12.1.4: nothing is trimmed. */
  { "decimal_leading_space", { SUBST (RECEIPTS, 4, "10000.00", " 12.5") }, ARGS_NORMAL, MATCH_EXACT,
    RECEIPTS ":4:4: ", "amount: ' 12.5' is not a decimal number" },
  /* §12.1.5: a real calendar day. */
  { "date_february_30", { SUBST (RECEIPTS, 4, "2026-01-20", "2026-02-30") }, ARGS_NORMAL, MATCH_EXACT,
    RECEIPTS ":4:3: ", "received_on: '2026-02-30' is not a calendar date YYYY-MM-DD" },
  { "period_month_13", { SUBST ("data/quotas.csv", 3, "2026-02", "2026-13") }, ARGS_NORMAL,
    MATCH_EXACT, "data/quotas.csv:3:2: ", "period: '2026-13' is not a month YYYY-MM" },
  { "status_unknown", { SUBST (ORDERS, 3, "completed", "done") }, ARGS_NORMAL, MATCH_EXACT,
    ORDERS ":3:5: ",
    "status 'done' is not one of draft, in_approval, signed, paid, completed, cancelled" },
  { "id_empty", { SUBST (RECEIPTS, 4, "R101,", ",") }, ARGS_NORMAL, MATCH_EXACT, RECEIPTS ":4:1: ",
    "receipt_id must not be empty" },
  /* §12.1.7: keys; a repeat is reported at the second occurrence. */
  { "duplicate_order_id", { APPEND (ORDERS, "O101,K03,A1,2026-01-05,paid") }, ARGS_NORMAL,
    MATCH_EXACT, ORDERS ":25:1: ", "duplicate key order_id='O101' (first on line 4)" },
  { "duplicate_order_line", { APPEND ("data/order_lines.csv", "O101,2,SW,1,2000.00,400.00") },
    ARGS_NORMAL, MATCH_EXACT, "data/order_lines.csv:30:1: ",
    "duplicate key order_id='O101', line_no='2' (first on line 5)" },
  { "duplicate_split", { APPEND ("data/splits.csv", "O302,A1,0.6") }, ARGS_NORMAL, MATCH_EXACT,
    "data/splits.csv:4:1: ",
    "duplicate key order_id='O302', rep_id='A1' (first on line 2)" },
  /* §12.1.3: field count and header. */
  { "field_count_extra", { SUBST (ORDERS, 3, "completed", "completed,extra") }, ARGS_NORMAL,
    MATCH_EXACT, ORDERS ":3:6: ", "expected 5 fields, found 6" },
  { "header_column_twice", { SUBST (ORDERS, 1, ",status", ",status,status") }, ARGS_NORMAL,
    MATCH_EXACT, ORDERS ":1:6: ", "column 'status' appears twice in the header" },
  /* §12.1.2: a whitespace-only line is a record, not a blank line. */
  { "whitespace_only_line", { INSERT (ORDERS, 3, "  ") }, ARGS_NORMAL, MATCH_EXACT,
    ORDERS ":3:2: ", "expected 5 fields, found 1" },
  /* §12.1.1: strict RFC 4180 quoting and UTF-8. */
  { "quote_then_text", { SUBST (ORDERS, 3, "H2,", "\"H2\"x,") }, ARGS_NORMAL, MATCH_EXACT,
    ORDERS ":3:1: ", "quote inside a quoted field must be doubled" },
  { "quote_unterminated", { APPEND (ORDERS, "\"O999,K01,A1,2026-01-01,paid") }, ARGS_NORMAL,
    MATCH_EXACT, ORDERS ":25:1: ", "unterminated quoted field" },
  { "utf8_invalid_byte", { SUBST ("data/customers.csv", 3, "Birch", "B\xff" "rch") }, ARGS_NORMAL,
    MATCH_EXACT, "data/customers.csv:3:2: ", "invalid UTF-8 text (the file must be saved as UTF-8)" },
  /* §12.1.10: lines are physical lines — blank lines, quoted newlines and
   * CRLF endings must not shift them. */
  { "line_counts_blank_lines_before_header",
    { INSERT (ORDERS, 1, ""), INSERT (ORDERS, 1, ""), SUBST (ORDERS, 5, "completed", "done") },
    ARGS_NORMAL, MATCH_EXACT, ORDERS ":5:5: ",
    "status 'done' is not one of draft, in_approval, signed, paid, completed, cancelled" },
  { "line_counts_quoted_newline",
    { SUBST ("data/customers.csv", 3, "Birch Labs", "\"Birch\nLabs\"\nK02,Again") }, ARGS_NORMAL,
    MATCH_EXACT, "data/customers.csv:5:1: ",
    "duplicate key customer_id='K02' (first on line 3)" },
  { "line_counts_crlf", { SUBST (ORDERS, 4, "paid", "nope"), CRLF (ORDERS) }, ARGS_NORMAL,
    MATCH_EXACT, ORDERS ":4:5: ",
    "status 'nope' is not one of draft, in_approval, signed, paid, completed, cancelled" },
  /* §12.1.10: a missing column, header, file or directory is :1:1. */
  { "column_missing", { SUBST (ORDERS, 1, ",status", ",state") }, ARGS_NORMAL, MATCH_EXACT,
    ORDERS ":1:1: ", "missing column 'status'" },
  { "column_missing_in_optional_file", { SUBST ("data/splits.csv", 1, "share", "portion") },
    ARGS_NORMAL, MATCH_EXACT, "data/splits.csv:1:1: ", "missing column 'share'" },
  { "header_missing", { WRITE ("data/products.csv", "") }, ARGS_NORMAL, MATCH_EXACT,
    "data/products.csv:1:1: ", "missing header" },
  { "file_missing", { DELETE (ORDERS) }, ARGS_NORMAL, MATCH_PHRASE, ORDERS ":1:1: ",
    "cannot read file" },
  { "data_directory_missing", { DELETE ("data") }, ARGS_NORMAL, MATCH_EXACT, "data:1:1: ",
    "data set directory not found" },
  { "plans_directory_missing", { DELETE ("plans") }, ARGS_NORMAL, MATCH_PHRASE, "plans:1:1: ",
    "cannot read plans directory" },
  /* §12.1.8: the manager hierarchy. */
  { "manager_names_no_rep", { SUBST (REPS, 3, ",M1,", ",M9,") }, ARGS_NORMAL, MATCH_EXACT,
    REPS ":3:4: ", "manager_id 'M9' of rep 'A1' names no rep" },
  { "manager_cycle", { SUBST (REPS, 2, ",T1,,", ",T1,A1,") }, ARGS_NORMAL, MATCH_EXACT,
    REPS ":2:4: ", "rep 'M1' is their own (indirect) manager: manager cycle" },
  /* §12.2.3: checked for every rep.  These two messages currently start with
   * a bare "reps.csv", not the path given (reported to the lead), so only
   * the part after the path is pinned. */
  { "plan_id_names_no_plan", { SUBST (REPS, 7, "M2,field", "M2,nosuch") }, ARGS_NORMAL,
    MATCH_SUFFIX, "reps.csv:7:5: ",
    "rep 'B2' has plan 'nosuch', which is not in the plans directory" },
  { "plan_without_version_in_force",
    { SUBST ("plans/inside.json", 4, "2025-01-01", "2026-04-01") }, ARGS_NORMAL, MATCH_SUFFIX,
    "reps.csv:6:5: ", "rep 'B1' has plan 'inside', which has no version in force on 2026-03-01" },
  /* §3 and §12.2: plan files. */
  { "json_broken", { SUBST (LEAD, 5, "\"CNY\",", "\"CNY\"") }, ARGS_NORMAL, MATCH_EXACT,
    LEAD ":6:3: ", "invalid JSON" },
  { "json_nan", { SUBST (FIELD_V2, 21, "\"1500\"", "NaN") }, ARGS_NORMAL, MATCH_EXACT,
    FIELD_V2 ":21:12: ", "invalid JSON" },
  { "json_duplicate_key",
    { SUBST (LEAD, 5, "\"currency\": \"CNY\",", "\"currency\": \"CNY\", \"currency\": \"EUR\",") },
    ARGS_NORMAL, MATCH_EXACT, LEAD ":5:22: ", "currency: duplicate key" },
  { "json_float_instead_of_string", { SUBST (FIELD_V2, 21, "\"1500\"", "1500.0") }, ARGS_NORMAL,
    MATCH_EXACT, FIELD_V2 ":21:12: ", "commission.cap: expected a decimal in a JSON string" },
  { "json_member_missing", { SUBST (LEAD, 5, "\"currency\": \"CNY\",", "") }, ARGS_NORMAL,
    MATCH_EXACT, LEAD ":1:1: ", "currency: missing member" },
  { "plan_version_zero", { SUBST (FIELD_V2, 3, "2,", "0,") }, ARGS_NORMAL, MATCH_EXACT,
    FIELD_V2 ":3:14: ", "version: must be at least 1" },
  { "tiers_not_increasing", { SUBST (FIELD_V2, 19, "\"1.2\"", "\"0.8\"") }, ARGS_NORMAL,
    MATCH_EXACT, FIELD_V2 ":19:16: ", "commission.tiers[2].from: tiers must strictly increase" },
  { "score_weights_not_one", { SUBST (FIELD_V2, 27, "\"weight\": \"0.5\"", "\"weight\": \"0.6\"") },
    ARGS_NORMAL, MATCH_EXACT, FIELD_V2 ":26:16: ", "score.process: weights must sum to 1" },
  { "plan_versions_overlap", { SUBST (FIELD_V2, 4, "2026-03-01", "2026-02-01") }, ARGS_NORMAL,
    MATCH_EXACT, FIELD_V2 ":4:21: ", "effective_from: overlaps plan 'field' version 1 (field-v1.json)" },
  /* §12.2.1: every .json file is validated, also one no rep uses. */
  { "extra_plan_file_invalid", { WRITE ("plans/extra.json", "{\"plan\": \"extra\", \"version\": 1}\n") },
    ARGS_NORMAL, MATCH_EXACT, "plans/extra.json:1:1: ", "effective_from: missing member" },
  /* §10: usage. */
  { "option_period_malformed", { { EDIT_NONE } }, ARGS_BAD_PERIOD, MATCH_USAGE, NULL,
    "quotient run: --period '2026-13' is not a month YYYY-MM" },
  { "option_required_missing", { { EDIT_NONE } }, ARGS_NO_PERIOD, MATCH_USAGE, NULL,
    "quotient run: --data, --plans, --period and --out are required (see quotient run --help)" },
  { "option_unknown", { { EDIT_NONE } }, ARGS_UNKNOWN_OPT, MATCH_USAGE, NULL,
    "quotient run: Unknown option --bogus" },
};

typedef struct {
  const Case *c;
  char *tmp;    /* holds data/, plans/ and runs/ */
  char *data, *plans;
  char *runs;   /* parent of --out: must stay empty */
  char *out;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->c = *state; /* the case, passed as the test's initial state */
  f->tmp = qt_test_tmpdir ();
  qt_test_copy_golden (f->tmp, &f->data, &f->plans);
  f->runs = g_build_filename (f->tmp, "runs", NULL);
  f->out = g_build_filename (f->runs, "run", NULL);
  assert_int_equal (g_mkdir (f->runs, 0755), 0);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  qt_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->data);
  g_free (f->plans);
  g_free (f->runs);
  g_free (f->out);
  g_free (f);
  return 0;
}

/* Replaces the first `from` of line `line` (1-based) by `to`; the fixture
 * must still hold `from` there, or the case would silently test nothing. */
static char *
subst_line (const char *text, guint line, const char *from, const char *to)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  assert_true (line >= 1 && line <= g_strv_length (lines));
  char *at = strstr (lines[line - 1], from);
  assert_non_null (at);
  g_autofree char *head = g_strndup (lines[line - 1], (gsize) (at - lines[line - 1]));
  char *edited = g_strconcat (head, to, at + strlen (from), NULL);
  g_free (lines[line - 1]);
  lines[line - 1] = edited;
  return g_strjoinv ("\n", lines);
}

static char *
insert_line (const char *text, guint line, const char *to)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  assert_true (line >= 1 && line <= g_strv_length (lines));
  GString *s = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i == line - 1)
        g_string_append_printf (s, "%s\n", to);
      g_string_append (s, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static void
apply_edit (const Fixture *f, const Edit *e)
{
  g_autofree char *path = g_build_filename (f->tmp, e->file, NULL);
  if (e->kind == EDIT_DELETE)
    {
      assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      qt_test_rmtree (path);
      return;
    }
  if (e->kind == EDIT_WRITE)
    {
      g_autofree char *parent = g_path_get_dirname (path);
      assert_int_equal (g_mkdir_with_parents (parent, 0700), 0);
      qt_test_write (path, e->to);
      return;
    }
  if (e->kind == EDIT_SYMLINK || e->kind == EDIT_FIFO)
    {
      (void) g_unlink (path);
      assert_int_equal (e->kind == EDIT_SYMLINK ? symlink (e->to, path) : mkfifo (path, 0600), 0);
      return;
    }
  g_autofree char *text = qt_test_read (path);
  assert_non_null (text);
  g_autofree char *edited = NULL;
  if (e->kind == EDIT_SUBST)
    edited = subst_line (text, e->line, e->from, e->to);
  else if (e->kind == EDIT_INSERT)
    edited = insert_line (text, e->line, e->to);
  else if (e->kind == EDIT_APPEND)
    edited = g_strconcat (text, e->to, "\n", NULL);
  else /* EDIT_CRLF */
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      edited = g_strjoinv ("\r\n", lines);
    }
  qt_test_write (path, edited);
}

static int
run_case (const Fixture *f, char **out, char **err)
{
  switch (f->c->args)
    {
    case ARGS_BAD_PERIOD:
      return qt_test_run (out, err, "run", "--data", f->data, "--plans", f->plans, "--period",
                          "2026-13", "--out", f->out, NULL);
    case ARGS_NO_PERIOD:
      return qt_test_run (out, err, "run", "--data", f->data, "--plans", f->plans, "--out", f->out,
                          NULL);
    case ARGS_UNKNOWN_OPT:
      return qt_test_run (out, err, "run", "--data", f->data, "--plans", f->plans, "--period",
                          "2026-03", "--out", f->out, "--bogus", NULL);
    case ARGS_NORMAL:
    default:
      return qt_test_run (out, err, "run", "--data", f->data, "--plans", f->plans, "--period",
                          "2026-03", "--out", f->out, NULL);
    }
}

static void
check_first_line (const Fixture *f, const char *line)
{
  const Case *c = f->c;
  if (c->match == MATCH_USAGE)
    {
      assert_string_equal (line, c->message);
      return;
    }
  g_autofree char *prefix = g_strconcat (f->tmp, "/", c->where, NULL);
  g_autofree char *whole = g_strconcat (prefix, c->message, NULL);
  g_autofree char *tail = g_strconcat (c->where, c->message, NULL);
  if (c->match == MATCH_EXACT)
    assert_string_equal (line, whole);
  else if (c->match == MATCH_SUFFIX)
    {
      if (!g_str_has_suffix (line, tail))
        fail_msg ("stderr '%s' does not end with '%s'", line, tail);
    }
  else /* MATCH_PHRASE */
    {
      if (!g_str_has_prefix (line, prefix) || strstr (line, c->message) == NULL)
        fail_msg ("stderr '%s' is not '%s…%s…'", line, prefix, c->message);
    }
}

/* One malformed input: exit 2, the located message, nothing written. */
static void
test_malformed (void **state)
{
  Fixture *f = *state;
  for (guint i = 0; i < G_N_ELEMENTS (f->c->edits) && f->c->edits[i].kind != EDIT_NONE; i++)
    apply_edit (f, &f->c->edits[i]);

  g_autofree char *out = NULL, *err = NULL;
  int rc = run_case (f, &out, &err);
  assert_int_equal (rc, 2);
  assert_string_equal (out, ""); /* no summary for a run that did not happen */
  assert_true (g_str_has_suffix (err, "\n"));
  g_autofree char *first = g_strndup (err, strcspn (err, "\n"));
  check_first_line (f, first);

  /* SPEC §12.10: on exit 2 nothing at all appears at --out, and the hidden
   * temporary the atomic write would use must not be left beside it. */
  assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
  assert_int_equal (qt_test_count_entries (f->runs), 0);
}

/* §12.1.6: splits.csv is optional; without it every order is unsplit. */
static void
test_optional_splits_absent (void **state)
{
  Fixture *f = *state;
  g_autofree char *splits = g_build_filename (f->data, "splits.csv", NULL);
  assert_int_equal (g_unlink (splits), 0);
  g_autofree char *out = NULL, *err = NULL;
  int rc = qt_test_run (&out, &err, "run", "--data", f->data, "--plans", f->plans, "--period",
                        "2026-03", "--out", f->out, NULL);
  assert_int_equal (rc, 0);
  assert_string_equal (err, "");
  g_autofree char *manifest = g_build_filename (f->out, "manifest.json", NULL);
  assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  /* O302 was split A1 0.6 / B1 0.4; now A1 owns it whole. */
  g_autofree char *credits_path = g_build_filename (f->out, "credits.csv", NULL);
  g_autofree char *credits = qt_test_read (credits_path);
  assert_non_null (credits);
  assert_non_null (strstr (credits, "\nR302,O302,1,A1,1,10000,"));
  assert_null (strstr (credits, ",O302,1,B1,"));
  /* Only the finished run, no temporary, in the parent. */
  assert_int_equal (qt_test_count_entries (f->runs), 1);
}

int
main (void)
{
  struct CMUnitTest tests[G_N_ELEMENTS (cases) + 1];
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      struct CMUnitTest t = cmocka_unit_test_prestate_setup_teardown (test_malformed, setup, teardown,
                                                                      (void *) &cases[i]);
      t.name = cases[i].name;
      tests[i] = t;
    }
  tests[G_N_ELEMENTS (cases)] = (struct CMUnitTest) cmocka_unit_test_prestate_setup_teardown (
    test_optional_splits_absent, setup, teardown, NULL);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
