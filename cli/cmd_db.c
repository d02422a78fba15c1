/* cli/cmd_db.c — `quotient db init --pg CONNINFO` (SPEC §9): creates or
 * migrates the PostgreSQL back end's schema (run/pg_schema.h). */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../run/pg_import.h"
#include "../run/pg_schema.h"
#include "commands.h"

static const char usage[] =
  "Usage: quotient db init --pg CONNINFO\n"
  "       quotient db import --pg CONNINFO --data DIR --plans DIR\n"
  "       quotient db grant --pg CONNINFO --login ROLE (--rep REP | --finance)\n\n"
  "  init    create the PostgreSQL back end's schema, or bring it up to this\n"
  "          quotient's version (running it again changes nothing)\n"
  "  import  replace the stored data set with DIR and its plans, in one\n"
  "          transaction (a bad file changes nothing)\n"
  "  grant   let a database login act as finance, or as one rep (who then sees\n"
  "          only that rep's statements, payout rows and appeals)\n";

static int
db_init (int argc, char **argv)
{
  g_autofree char *pg = NULL;
  const GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "The database: a libpq connection string or URI (empty: the PG* environment variables)", "CONNINFO" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— create or migrate the schema");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Creates the schema quotient keeps its data sets, runs and appeals in, or\n"
    "applies the migrations this quotient has and the database lacks, in one\n"
    "transaction; a database whose schema is newer than this quotient is\n"
    "refused.  Exit 0 done, 2 bad usage, unreachable server or newer schema.\n\n"
    "Example:\n"
    "  quotient db init --pg 'host=127.0.0.1 dbname=finance user=quotient'");
  g_autoptr (GError) error = NULL;
  gint from = 0, to = 0;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  if (error == NULL && pg == NULL)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "--pg CONNINFO is required (see quotient db init --help)");
  g_autoptr (PGconn) conn = error == NULL ? qt_pg_connect (pg, &error) : NULL;
  if (conn != NULL && qt_pg_schema_init (conn, &from, &to, &error))
    {
      if (from == to)
        printf ("quotient db init: the schema is at version %d already: nothing to do\n", to);
      else if (from == 0)
        printf ("quotient db init: schema created at version %d\n", to);
      else
        printf ("quotient db init: schema migrated from version %d to %d\n", from, to);
      return 0;
    }
  qt_print_error ("quotient db init", error);
  return qt_exit_code_for (error);
}

static int
db_import (int argc, char **argv)
{
  g_autofree char *pg = NULL, *data = NULL, *plans = NULL;
  const GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "The database: a libpq connection string or URI (empty: the PG* environment variables)", "CONNINFO" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "Data set directory (CSV files)", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_FILENAME, &plans, "Plans directory (one JSON file per plan version)", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— replace the stored data set");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Reads DIR and the plans exactly as quotient run (or rebate) does — a bad\n"
    "file is refused with the same file:line:column message — then replaces the\n"
    "data set stored in the database with them in one transaction, bulk-loaded\n"
    "with COPY; every row keeps its line in its file.  Exit 0 done, 2 bad input,\n"
    "unreachable server or a schema to init first; on failure the database keeps\n"
    "what it had.\n\n"
    "Example:\n"
    "  quotient db import --pg 'dbname=finance' --data fixtures/demo/data \\\n"
    "      --plans fixtures/demo/plans");
  g_autoptr (GError) error = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  if (error == NULL && (pg == NULL || data == NULL || plans == NULL))
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                 "--pg, --data and --plans are required (see quotient db import --help)");
  g_autoptr (PGconn) conn = error == NULL ? qt_pg_connect (pg, &error) : NULL;
  QtPgImport done;
  if (conn != NULL && qt_pg_import (conn, data, plans, &done, &error))
    {
      printf ("quotient db import: %u files (%" G_GUINT64_FORMAT " rows) and %u plan files "
              "imported\n", done.files, done.rows, done.plans);
      return 0;
    }
  qt_print_error ("quotient db import", error);
  return qt_exit_code_for (error);
}

static int
db_grant (int argc, char **argv)
{
  g_autofree char *pg = NULL, *login = NULL, *rep = NULL;
  gboolean finance = FALSE;
  const GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_STRING, &pg, "The database: a libpq connection string or URI (empty: the PG* environment variables)", "CONNINFO" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, "An existing login role", "ROLE" },
    { "rep", 0, 0, G_OPTION_ARG_STRING, &rep, "The rep the login is (group role quotient_rep)", "REP" },
    { "finance", 0, 0, G_OPTION_ARG_NONE, &finance, "The login is finance's (group role quotient_finance)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— let a login act as finance or as a rep");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
    "Grants a login role the group role quotient_finance (everything) or\n"
    "quotient_rep and maps it to one rep: row-level security then lets it read\n"
    "only that rep's statements, payout rows and appeals, and file appeals and\n"
    "vote only as that rep, whatever --as says.  Needs a login allowed to grant\n"
    "roles.  Exit 0 done, 2 bad usage or refused by the server.\n\n"
    "Example:\n"
    "  quotient db grant --pg 'dbname=finance' --login li_na --rep R101");
  g_autoptr (GError) error = NULL;
  if (g_option_context_parse (ctx, &argc, &argv, &error) && argc > 1)
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE, "unexpected argument '%s'", argv[1]);
  if (error == NULL && (pg == NULL || login == NULL || (rep == NULL) == !finance))
    g_set_error (&error, QT_ERROR, QT_ERROR_USAGE,
                 "--pg, --login and one of --rep or --finance are required (see quotient db grant --help)");
  g_autoptr (PGconn) conn = error == NULL ? qt_pg_connect (pg, &error) : NULL;
  if (conn != NULL && qt_pg_grant (conn, login, rep, &error))
    {
      printf ("quotient db grant: %s acts as %s\n", login, rep != NULL ? rep : "finance");
      return 0;
    }
  qt_print_error ("quotient db grant", error);
  return qt_exit_code_for (error);
}

int
qt_cmd_db (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage, argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "init") == 0)
    return db_init (argc - 1, argv + 1);
  if (strcmp (argv[1], "import") == 0)
    return db_import (argc - 1, argv + 1);
  if (strcmp (argv[1], "grant") == 0)
    return db_grant (argc - 1, argv + 1);
  fprintf (stderr, "quotient db: unknown subcommand '%s'\n\n%s", argv[1], usage);
  return 2;
}
