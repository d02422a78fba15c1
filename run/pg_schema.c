/* run/pg_schema.c — schema migrations of the PostgreSQL back end (see
 * pg_schema.h). */
#include "pg_schema.h"

#include <stdlib.h>
#include <string.h>

#include "../model/dataset_builder.h"
#include "../model/qt_error.h"

/* Migration N brings the schema from version N - 1 to N.  Never edited
 * once released: a change is a new migration. */
static const char *const migrations[QT_PG_SCHEMA_VERSION] = {
  /* 1: the data set of SPEC §2 and §11, a table per file: each field the
   * text of its CSV cell (the file loader's rules validate it on the way in
   * and out), each row with its line in the file it came from; which
   * files were imported; the plan files as stored. */
  "CREATE TABLE qt_data_file (name text PRIMARY KEY, rows integer NOT NULL, sha256 text NOT "
  "NULL);"
  "CREATE TABLE qt_reps (source_line integer NOT NULL, rep_id text NOT NULL, name text "
  "NOT NULL, team_id text NOT NULL, manager_id text NOT NULL, plan_id text NOT NULL);"
  "CREATE TABLE qt_customers (source_line integer NOT NULL, customer_id text NOT NULL, "
  "name text NOT NULL);"
  "CREATE TABLE qt_products (source_line integer NOT NULL, product_id text NOT NULL, "
  "name text NOT NULL, category text NOT NULL);"
  "CREATE TABLE qt_orders (source_line integer NOT NULL, order_id text NOT NULL, "
  "customer_id text NOT NULL, rep_id text NOT NULL, signed_on text NOT NULL, status text "
  "NOT NULL);"
  "CREATE TABLE qt_order_lines (source_line integer NOT NULL, order_id text NOT NULL, "
  "line_no text NOT NULL, product_id text NOT NULL, quantity text NOT NULL, unit_price text "
  "NOT NULL, unit_cost text NOT NULL);"
  "CREATE TABLE qt_splits (source_line integer NOT NULL, order_id text NOT NULL, rep_id "
  "text NOT NULL, share text NOT NULL);"
  "CREATE TABLE qt_receipts (source_line integer NOT NULL, receipt_id text NOT NULL, "
  "order_id text NOT NULL, received_on text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_activities (source_line integer NOT NULL, rep_id text NOT NULL, "
  "period text NOT NULL, metric text NOT NULL, value text NOT NULL);"
  "CREATE TABLE qt_quotas (source_line integer NOT NULL, rep_id text NOT NULL, period "
  "text NOT NULL, quota text NOT NULL);"
  "CREATE TABLE qt_adjustments (source_line integer NOT NULL, adjustment_id text NOT "
  "NULL, rep_id text NOT NULL, period text NOT NULL, amount text NOT NULL, reason text NOT "
  "NULL);"
  "CREATE TABLE qt_partners (source_line integer NOT NULL, partner_id text NOT NULL, "
  "name text NOT NULL, rebate_plan text NOT NULL);"
  "CREATE TABLE qt_shipments (source_line integer NOT NULL, shipment_id text NOT NULL, "
  "partner_id text NOT NULL, product_id text NOT NULL, shipped_on text NOT NULL, quantity "
  "text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_partner_invoices (source_line integer NOT NULL, invoice_id text NOT "
  "NULL, shipment_id text NOT NULL, invoiced_on text NOT NULL, amount text NOT NULL);"
  "CREATE TABLE qt_acceptances (source_line integer NOT NULL, acceptance_id text NOT "
  "NULL, shipment_id text NOT NULL, accepted_on text NOT NULL, quantity text NOT NULL);"
  "CREATE TABLE qt_plan_file (name text PRIMARY KEY, content bytea NOT NULL, sha256 text "
  "NOT NULL);",
  /* 2: runs, their journals and who may read what (SPEC §9).  A run is
   * stored as its directory: every file by path (qt_run_file) with its
   * bytes stored once by SHA-256 (qt_blob, also the evidence store), the
   * journal a line per row (qt_journal) whose chain the server checks on
   * every insert; each statement as JSONB and each payout row as a JSONB
   * object, for queries and for row-level security.  Group roles
   * quotient_finance (everything) and quotient_rep (a login mapped to a
   * rep in qt_rep_login: that rep's statement, payout row and appeals, and
   * appeals filed or voted only as that rep). */
  "DO $$ BEGIN"
  "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotient_finance') THEN"
  "    CREATE ROLE quotient_finance NOLOGIN; END IF;"
  "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotient_rep') THEN"
  "    CREATE ROLE quotient_rep NOLOGIN; END IF;"
  "END $$;"
  "CREATE TABLE qt_blob (sha256 text PRIMARY KEY, content bytea NOT NULL);"
  /* stored as given: a run's snapshot is mostly digits, and compressing
   * hundreds of megabytes costs more than it saves */
  "ALTER TABLE qt_blob ALTER COLUMN content SET STORAGE EXTERNAL;"
  "CREATE TABLE qt_run (run_id bigserial PRIMARY KEY, kind text NOT NULL, period text NOT "
  "NULL, UNIQUE (kind, period));"
  "CREATE TABLE qt_run_file (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "path text NOT NULL, sha256 text NOT NULL REFERENCES qt_blob, PRIMARY KEY (run_id, path));"
  "CREATE INDEX qt_run_file_sha256 ON qt_run_file (sha256);"
  "CREATE TABLE qt_journal (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "seq bigint NOT NULL, line text NOT NULL, sha256 text NOT NULL DEFAULT '', at text NOT NULL "
  "DEFAULT '', event text NOT NULL DEFAULT '', appeal text, actor text, PRIMARY KEY (run_id, "
  "seq));"
  "CREATE TABLE qt_appeal (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "appeal text NOT NULL, rep_id text NOT NULL, reviewers text[] NOT NULL DEFAULT '{}', "
  "PRIMARY KEY (run_id, appeal));"
  "CREATE TABLE qt_statement (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "rep_id text NOT NULL, stem text NOT NULL, statement jsonb NOT NULL, PRIMARY KEY (run_id, "
  "rep_id));"
  "ALTER TABLE qt_statement ALTER COLUMN statement SET STORAGE EXTERNAL;"
  "CREATE TABLE qt_payout (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "rep_id text NOT NULL, payout jsonb NOT NULL, PRIMARY KEY (run_id, rep_id));"
  "CREATE TABLE qt_rep_login (login name PRIMARY KEY, rep_id text NOT NULL);"
  /* the rep of the database login (not of SET ROLE), NULL for others */
  "CREATE FUNCTION qt_login_rep () RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
  "SET search_path FROM CURRENT AS "
  "$$ SELECT rep_id FROM qt_rep_login WHERE login = session_user $$;"
  /* Every journal line follows the run's last one (seq and prev), whoever
   * inserts it and whatever they may read; its hash, time, event, appeal
   * and actor are taken from the line itself; an appeal's appellant and
   * reviewers are kept in qt_appeal for the policies. */
  "CREATE FUNCTION qt_journal_check () RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
  "SET search_path FROM CURRENT AS $$"
  "DECLARE doc jsonb := NEW.line::jsonb; last_seq bigint; last_sha text;"
  "BEGIN"
  "  SELECT seq, sha256 INTO last_seq, last_sha FROM qt_journal WHERE run_id = NEW.run_id"
  "    ORDER BY seq DESC LIMIT 1;"
  "  IF NEW.seq IS DISTINCT FROM coalesce (last_seq, 0) + 1"
  "     OR (doc->>'seq') IS DISTINCT FROM NEW.seq::text"
  "     OR (doc->>'prev') IS DISTINCT FROM coalesce (last_sha, repeat ('0', 64)) THEN"
  "    RAISE EXCEPTION 'journal line % of run % does not follow line % (another command "
  "changed the run meanwhile: run it again)', NEW.seq, NEW.run_id, coalesce (last_seq, 0);"
  "  END IF;"
  "  NEW.sha256 := encode (sha256 (convert_to (NEW.line, 'UTF8')), 'hex');"
  "  NEW.at := doc->>'at'; NEW.event := doc->>'event'; NEW.appeal := doc->>'appeal';"
  "  NEW.actor := CASE NEW.event WHEN 'filed' THEN doc->>'rep' WHEN 'voted' THEN "
  "doc->>'reviewer' END;"
  /* the transitions a line can never make, whoever sends it (the client
   * checks every rule of SPEC §8.1; this keeps a hand-made line from
   * damaging a run's journal for good) */
  "  IF NEW.event IN ('filed', 'assigned', 'voted', 'decided', 'applied') AND (NOT EXISTS "
  "(SELECT FROM qt_journal j WHERE j.run_id = NEW.run_id AND j.event = 'published') OR EXISTS "
  "(SELECT FROM qt_journal j WHERE j.run_id = NEW.run_id AND j.event = 'closed')) THEN"
  "    RAISE EXCEPTION 'journal line %: % while the run is not published', NEW.seq, NEW.event;"
  "  END IF;"
  "  IF NEW.event = 'voted' AND (NOT EXISTS (SELECT FROM qt_appeal a WHERE a.run_id = "
  "NEW.run_id AND a.appeal = NEW.appeal AND NEW.actor = ANY (a.reviewers)) OR EXISTS (SELECT "
  "FROM qt_journal j WHERE j.run_id = NEW.run_id AND j.appeal = NEW.appeal AND j.event = "
  "'voted' AND j.actor = NEW.actor)) THEN"
  "    RAISE EXCEPTION 'journal line %: a vote by someone not assigned to % or a second vote',"
  " NEW.seq, NEW.appeal;"
  "  END IF;"
  "  IF NEW.event = 'decided' AND (SELECT count(*) FROM qt_journal j WHERE j.run_id = "
  "NEW.run_id AND j.appeal = NEW.appeal AND j.event = 'voted') IS DISTINCT FROM (SELECT "
  "cardinality (a.reviewers) FROM qt_appeal a WHERE a.run_id = NEW.run_id AND a.appeal = "
  "NEW.appeal) THEN"
  "    RAISE EXCEPTION 'journal line %: % decided before every vote', NEW.seq, NEW.appeal;"
  "  END IF;"
  "  IF NEW.event = 'filed' THEN"
  "    INSERT INTO qt_appeal (run_id, appeal, rep_id) VALUES (NEW.run_id, NEW.appeal, NEW.actor);"
  "  ELSIF NEW.event = 'assigned' THEN"
  "    UPDATE qt_appeal SET reviewers = ARRAY (SELECT jsonb_array_elements_text "
  "(doc->'reviewers')) WHERE run_id = NEW.run_id AND appeal = NEW.appeal;"
  "  END IF;"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER qt_journal_check BEFORE INSERT ON qt_journal FOR EACH ROW EXECUTE "
  "FUNCTION qt_journal_check ();"
  "CREATE FUNCTION qt_journal_frozen () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN RAISE EXCEPTION 'the journal is append-only'; END $$;"
  "CREATE TRIGGER qt_journal_frozen BEFORE UPDATE ON qt_journal FOR EACH ROW EXECUTE "
  "FUNCTION qt_journal_frozen ();"
  /* A rep's view of a run's journal: the lines of the rep's own appeals
   * (as appellant or reviewer) and of the run's state whole; of every
   * other line only what the chain needs — its seq, time, event, appeal id
   * and hash (member "redacted") — never whose it is, what or why. */
  "CREATE FUNCTION qt_journal_view (run bigint) RETURNS TABLE (seq bigint, line text) "
  "LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "  SELECT j.seq, CASE WHEN j.appeal IS NULL OR a.rep_id = qt_login_rep ()"
  "      OR qt_login_rep () = ANY (a.reviewers) THEN j.line"
  "    ELSE json_build_object ('seq', j.seq, 'at', j.at, 'event', j.event, 'prev',"
  "      coalesce (lag (j.sha256) OVER (ORDER BY j.seq), repeat ('0', 64)), 'appeal', j.appeal,"
  "      'redacted', j.sha256)::text END"
  "  FROM qt_journal j LEFT JOIN qt_appeal a ON a.run_id = j.run_id AND a.appeal = j.appeal"
  "  WHERE j.run_id = run AND qt_login_rep () IS NOT NULL ORDER BY j.seq $$;"
  /* `quotient db grant`: a login becomes finance's (rep NULL) or a rep's;
   * role names go through format's %I, never into SQL as text */
  "CREATE FUNCTION qt_grant (login name, rep text) RETURNS void LANGUAGE plpgsql "
  "SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  IF rep IS NULL THEN"
  "    DELETE FROM qt_rep_login WHERE qt_rep_login.login = qt_grant.login;"
  "    EXECUTE format ('GRANT quotient_finance TO %I', login);"
  "  ELSE"
  "    INSERT INTO qt_rep_login VALUES (login, rep) ON CONFLICT ON CONSTRAINT "
  "qt_rep_login_pkey DO UPDATE SET rep_id = EXCLUDED.rep_id;"
  "    EXECUTE format ('GRANT quotient_rep TO %I', login);"
  "  END IF;"
  "END $$;"
  "REVOKE ALL ON FUNCTION qt_journal_view (bigint) FROM PUBLIC;"
  "GRANT EXECUTE ON FUNCTION qt_journal_view (bigint) TO quotient_rep;"
  "DO $$ BEGIN"
  "  EXECUTE format ('GRANT ALL ON ALL TABLES IN SCHEMA %I TO quotient_finance', current_schema ());"
  "  EXECUTE format ('GRANT ALL ON ALL SEQUENCES IN SCHEMA %I TO quotient_finance', current_schema ());"
  "  EXECUTE format ('GRANT USAGE ON SCHEMA %I TO quotient_finance, quotient_rep', current_schema ());"
  "END $$;"
  "GRANT SELECT ON quotient_schema TO quotient_finance, quotient_rep;"
  "GRANT SELECT ON qt_run, qt_run_file, qt_blob, qt_journal, qt_appeal, qt_statement, "
  "qt_payout TO quotient_rep;"
  "GRANT INSERT ON qt_blob, qt_run_file, qt_journal TO quotient_rep;"
  "ALTER TABLE qt_run_file ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE qt_blob ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE qt_journal ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE qt_appeal ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE qt_statement ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE qt_payout ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY finance ON qt_run_file TO quotient_finance USING (true);"
  "CREATE POLICY finance ON qt_blob TO quotient_finance USING (true);"
  "CREATE POLICY finance ON qt_journal TO quotient_finance USING (true);"
  "CREATE POLICY finance ON qt_appeal TO quotient_finance USING (true);"
  "CREATE POLICY finance ON qt_statement TO quotient_finance USING (true);"
  "CREATE POLICY finance ON qt_payout TO quotient_finance USING (true);"
  "CREATE POLICY own ON qt_statement FOR SELECT TO quotient_rep USING (rep_id = qt_login_rep ());"
  "CREATE POLICY own ON qt_payout FOR SELECT TO quotient_rep USING (rep_id = qt_login_rep ());"
  "CREATE POLICY own ON qt_appeal FOR SELECT TO quotient_rep USING (rep_id = qt_login_rep () "
  "OR qt_login_rep () = ANY (reviewers));"
  "CREATE POLICY own ON qt_journal FOR SELECT TO quotient_rep USING (appeal IS NULL OR EXISTS "
  "(SELECT FROM qt_appeal a WHERE a.run_id = qt_journal.run_id AND a.appeal = "
  "qt_journal.appeal));"
  /* a rep files as themselves, votes as themselves, and the last vote
   * (theirs) decides */
  "CREATE POLICY act ON qt_journal FOR INSERT TO quotient_rep WITH CHECK ("
  "(event IN ('filed', 'voted') AND actor = qt_login_rep ()) OR (event = 'decided' AND EXISTS "
  "(SELECT FROM qt_appeal a WHERE a.run_id = qt_journal.run_id AND a.appeal = "
  "qt_journal.appeal AND qt_login_rep () = ANY (a.reviewers))));"
  /* what filing and voting read: the run's manifest, the snapshot's reps,
   * customers, orders and plans, and the rep's own statement */
  "CREATE POLICY own ON qt_run_file FOR SELECT TO quotient_rep USING (path IN "
  "('manifest.json', 'inputs/data/reps.csv', 'inputs/data/customers.csv', "
  "'inputs/data/products.csv', 'inputs/data/orders.csv') OR path LIKE 'inputs/plans/%' OR EXISTS (SELECT FROM "
  "qt_statement s WHERE s.run_id = qt_run_file.run_id AND path IN ('statements/' || s.stem || "
  "'.json', 'statements/' || s.stem || '.txt')));"
  /* evidence: under its own hash, into a published run not closed */
  "CREATE POLICY evidence ON qt_run_file FOR INSERT TO quotient_rep WITH CHECK (path = "
  "'evidence/' || sha256 AND EXISTS (SELECT FROM qt_journal j WHERE j.run_id = "
  "qt_run_file.run_id AND j.event = 'published') AND NOT EXISTS (SELECT FROM qt_journal j "
  "WHERE j.run_id = qt_run_file.run_id AND j.event = 'closed'));"
  "CREATE POLICY own ON qt_blob FOR SELECT TO quotient_rep USING (EXISTS (SELECT FROM "
  "qt_run_file f WHERE f.sha256 = qt_blob.sha256));"
  "CREATE POLICY evidence ON qt_blob FOR INSERT TO quotient_rep WITH CHECK (sha256 = encode "
  "(sha256 (content), 'hex'));",
  /* 3: a statement is stored once, as the bytes of its file (qt_blob, what
   * export and an auditor get back); qt_statement shows each as JSONB,
   * parsed from those bytes when it is read, so that storing a run parses
   * no statement (at 5,000 reps, 270 MB of JSON).  qt_statement_file says
   * which rep's statement each run has; a revision follows its file. */
  "CREATE TABLE qt_statement_file (run_id bigint NOT NULL REFERENCES qt_run ON DELETE CASCADE, "
  "rep_id text NOT NULL, stem text NOT NULL, PRIMARY KEY (run_id, rep_id));"
  "INSERT INTO qt_statement_file SELECT run_id, rep_id, stem FROM qt_statement;"
  "DROP POLICY own ON qt_run_file;"
  "DROP TABLE qt_statement;"
  "CREATE VIEW qt_statement WITH (security_invoker = true) AS SELECT s.run_id, s.rep_id, "
  "s.stem, convert_from (b.content, 'UTF8')::jsonb AS statement FROM qt_statement_file s JOIN "
  "qt_run_file f ON f.run_id = s.run_id AND f.path = 'statements/' || s.stem || '.json' JOIN "
  "qt_blob b ON b.sha256 = f.sha256;"
  "ALTER TABLE qt_statement_file ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY finance ON qt_statement_file TO quotient_finance USING (true);"
  "CREATE POLICY own ON qt_statement_file FOR SELECT TO quotient_rep USING (rep_id = "
  "qt_login_rep ());"
  "CREATE POLICY own ON qt_run_file FOR SELECT TO quotient_rep USING (path IN "
  "('manifest.json', 'inputs/data/reps.csv', 'inputs/data/customers.csv', "
  "'inputs/data/products.csv', 'inputs/data/orders.csv') OR path LIKE 'inputs/plans/%' OR EXISTS (SELECT FROM "
  "qt_statement_file s WHERE s.run_id = qt_run_file.run_id AND path IN ('statements/' || s.stem || "
  "'.json', 'statements/' || s.stem || '.txt')));"
  "GRANT ALL ON qt_statement_file, qt_statement TO quotient_finance;"
  "GRANT SELECT ON qt_statement_file, qt_statement TO quotient_rep;"
  /* Blobs compressed with LZ4 where the server has it (Debian's has): a
   * run's files shrink 2.7 times at M, and storing it is no slower, since
   * they are compressed while the run streams in and the copy into
   * qt_blob then moves a third of the bytes.  Without LZ4 both stay as
   * they were (pglz, the default, is too slow to pay). */
  "DO $$ BEGIN"
  "  ALTER TABLE qt_blob ALTER COLUMN content SET STORAGE EXTENDED;"
  "  ALTER TABLE qt_blob ALTER COLUMN content SET COMPRESSION lz4;"
  "EXCEPTION WHEN feature_not_supported THEN NULL;"
  "END $$;",
  /* 4: a run's files go into qt_blob while they stream in: COPY refuses a
   * table with row-level security, so they are copied into a temporary
   * table whose trigger moves each file's bytes into qt_blob (as the
   * login inserting, its policies checked) and keeps only its path and
   * hash.  The bytes are written once, while the run computes, instead of
   * twice and the second time after it. */
  "CREATE FUNCTION qt_blob_take () RETURNS trigger LANGUAGE plpgsql "
  "SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  IF NEW.content IS NOT NULL THEN"
  "    INSERT INTO qt_blob (sha256, content) VALUES (NEW.sha256, NEW.content) ON CONFLICT DO "
  "NOTHING;"
  "    NEW.content := NULL;"
  "  END IF;"
  "  RETURN NEW;"
  "END $$;",
  /* 5: qt_blob_take's INSERT runs on one generic plan.  Left to choose,
   * PostgreSQL planned it again for every file, copying the file's bytes
   * into the plan as a constant: at 5,000 reps, 0.7-1 s of the server's
   * CPU in a first run of the month. */
  "ALTER FUNCTION qt_blob_take () SET plan_cache_mode = force_generic_plan;",
  /* 6: what a login may do, closed where a probe found it open.  A rep's
   * login could insert a journal line the client's replay refuses (an `at`
   * that is no timestamp, a second decision, claims that are not a list)
   * and so stop every later command on the run for good: each line is now
   * checked as the replay reads it (appeals/journal.c, lifecycle.c), and a
   * rep files one undecided appeal per item as the client allows.  A login
   * made a rep after finance (or finance after a rep) kept the other
   * role.  Version 2 granted finance every table of the schema, the
   * company's own included: only quotient's now.  A login in
   * quotient_rep but mapped to no rep of this database read the run's
   * shared files: a mapping is needed. */
  "CREATE FUNCTION qt_is_timestamp (t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$"
  "DECLARE m text[] := regexp_match (t, '^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):"
  "([0-9]{2}):([0-9]{2})([.][0-9]{1,9})?(Z|[+-]([0-9]{2}):([0-9]{2}))$');"
  "BEGIN"
  "  IF m IS NULL OR m[1]::int < 1 OR m[4]::int > 23 OR m[5]::int > 59 OR m[6]::int > 59"
  "     OR coalesce (m[9]::int, 0) > 23 OR coalesce (m[10]::int, 0) > 59 THEN"
  "    RETURN false;"
  "  END IF;"
  "  PERFORM make_date (m[1]::int, m[2]::int, m[3]::int);"
  "  RETURN true;"
  "EXCEPTION WHEN others THEN RETURN false;"
  "END $$;"
  "CREATE FUNCTION qt_journal_well_formed () RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
  "SET search_path FROM CURRENT AS $$"
  "DECLARE doc jsonb := NEW.line::jsonb; raw json := NEW.line::json;"
  "  assigned boolean; decided boolean;"
  "BEGIN"
  "  IF jsonb_typeof (doc) IS DISTINCT FROM 'object' OR (SELECT count(*) FROM json_object_keys "
  "(raw)) <> (SELECT count(*) FROM jsonb_object_keys (doc))"
  "     OR (raw->'seq')::text !~ '^[0-9]+$' OR jsonb_typeof (doc->'prev') IS DISTINCT FROM 'string'"
  "     OR jsonb_typeof (doc->'event') IS DISTINCT FROM 'string' THEN"
  "    RAISE EXCEPTION 'journal line %: not a JSON object with seq, prev and event, each once', "
  "NEW.seq;"
  "  END IF;"
  "  IF jsonb_typeof (doc->'at') IS DISTINCT FROM 'string' OR NOT qt_is_timestamp (doc->>'at') THEN"
  "    RAISE EXCEPTION 'journal line %: at is not a timestamp with an offset', NEW.seq;"
  "  END IF;"
  /* one line of JSON the client reads as the server does: no line break
   * (the journal is lines), no "redacted" (a rep's view marks hidden
   * lines with it), and for the lines a rep may write only the members
   * the commands write, so no number, nesting or repeated key the two
   * parsers could read differently */
  "  IF strpos (NEW.line, E'\\n') > 0 OR strpos (NEW.line, E'\\r') > 0 OR doc ? 'redacted' THEN"
  "    RAISE EXCEPTION 'journal line %: a line break or a redacted member', NEW.seq;"
  "  END IF;"
  "  IF NEW.event IN ('filed', 'voted', 'decided') AND (EXISTS (SELECT FROM jsonb_object_keys "
  "(doc) k WHERE k <> ALL (CASE NEW.event WHEN 'filed' THEN ARRAY['seq', 'at', 'event', 'prev', "
  "'appeal', 'rep', 'item', 'claims', 'reason', 'evidence'] WHEN 'voted' THEN ARRAY['seq', 'at', "
  "'event', 'prev', 'appeal', 'reviewer', 'vote', 'note'] ELSE ARRAY['seq', 'at', 'event', "
  "'prev', 'appeal', 'decision'] END)) OR jsonb_typeof (coalesce (doc->'note', '\"\"')) <> "
  "'string') THEN"
  "    RAISE EXCEPTION 'journal line %: a member the % line does not have', NEW.seq, NEW.event;"
  "  END IF;"
  "  IF NEW.event = 'filed' AND (jsonb_typeof (doc->'evidence') IS DISTINCT FROM 'array' OR EXISTS "
  "(SELECT FROM json_array_elements (raw->'evidence') e WHERE json_typeof (e) <> 'object' OR "
  "(CASE WHEN json_typeof (e) = 'object' THEN (SELECT count(*) FROM json_object_keys (e)) END) "
  "<> 2 OR (e->>'sha256') !~ '^[0-9a-f]{64}$' OR json_typeof (e->'name') IS DISTINCT FROM "
  "'string')) THEN"
  "    RAISE EXCEPTION 'journal line %: evidence is not a list of files by sha256 and name', "
  "NEW.seq;"
  "  END IF;"
  /* history is not backdated (the commands refuse an earlier --now) */
  "  IF (doc->>'at')::timestamptz < (SELECT (j.line::jsonb->>'at')::timestamptz FROM qt_journal "
  "j WHERE j.run_id = NEW.run_id ORDER BY j.seq DESC LIMIT 1) THEN"
  "    RAISE EXCEPTION 'journal line %: at is earlier than the line before it', NEW.seq;"
  "  END IF;"
  /* a rep's line is not dated ahead of the server's clock: a date far
   * ahead would stop every later command, which may not backdate */
  "  IF qt_login_rep () IS NOT NULL AND (doc->>'at')::timestamptz > now () + interval '1 day' THEN"
  "    RAISE EXCEPTION 'journal line %: at is later than now', NEW.seq;"
  "  END IF;"
  "  assigned := EXISTS (SELECT FROM qt_journal j WHERE j.run_id = NEW.run_id AND j.appeal = "
  "NEW.appeal AND j.event = 'assigned');"
  "  decided := EXISTS (SELECT FROM qt_journal j WHERE j.run_id = NEW.run_id AND j.appeal = "
  "NEW.appeal AND j.event = 'decided');"
  "  IF NEW.event = 'filed' AND (NEW.appeal IS DISTINCT FROM 'A' || (SELECT count(*) + 1 FROM "
  "qt_journal j WHERE j.run_id = NEW.run_id AND j.event = 'filed')"
  "     OR jsonb_typeof (doc->'rep') IS DISTINCT FROM 'string'"
  "     OR jsonb_typeof (doc->'item') IS DISTINCT FROM 'string'"
  "     OR jsonb_typeof (doc->'reason') IS DISTINCT FROM 'string'"
  "     OR jsonb_typeof (doc->'claims') IS DISTINCT FROM 'array'"
  "     OR EXISTS (SELECT FROM jsonb_array_elements (doc->'claims') c WHERE jsonb_typeof (c) <> "
  "'string')) THEN"
  "    RAISE EXCEPTION 'journal line %: filed out of turn or without appeal, rep, item, claims "
  "and reason', NEW.seq;"
  "  END IF;"
  /* the claims' shape by item, as the replay holds them (claims_fit in
   * appeals/lifecycle.c) */
  "  IF NEW.event = 'filed' AND NOT (CASE"
  "       WHEN doc->>'item' = 'adjustment' OR doc->>'item' ~ '^activity:.' THEN"
  "         jsonb_array_length (doc->'claims') = 1"
  "       WHEN doc->>'item' ~ '^split:.' THEN jsonb_array_length (doc->'claims') > 0 AND NOT EXISTS "
  "(SELECT FROM jsonb_array_elements_text (doc->'claims') c WHERE c !~ '^.+=[^=]+$')"
  "       ELSE false END) THEN"
  "    RAISE EXCEPTION 'journal line %: filed with claims its item does not take', NEW.seq;"
  "  END IF;"
  "  IF NEW.event = 'filed' AND EXISTS (SELECT FROM qt_journal f WHERE f.run_id = NEW.run_id AND "
  "f.event = 'filed' AND f.actor = NEW.actor AND f.line::jsonb->>'item' = doc->>'item' AND NOT "
  "EXISTS (SELECT FROM qt_journal d WHERE d.run_id = f.run_id AND d.appeal = f.appeal AND "
  "d.event = 'decided')) THEN"
  "    RAISE EXCEPTION 'journal line %: % has an undecided appeal on % already', NEW.seq, "
  "NEW.actor, doc->>'item';"
  "  END IF;"
  "  IF NEW.event = 'voted' AND (NOT assigned OR decided OR jsonb_typeof (doc->'reviewer') IS "
  "DISTINCT FROM 'string' OR NOT coalesce (doc->>'vote' IN ('uphold', 'reject'), false)) THEN"
  "    RAISE EXCEPTION 'journal line %: a vote out of turn or without reviewer and vote', NEW.seq;"
  "  END IF;"
  "  IF NEW.event = 'decided' AND (NOT assigned OR decided OR NOT coalesce (doc->>'decision' IN "
  "('upheld', 'rejected'), false)) THEN"
  "    RAISE EXCEPTION 'journal line %: decided out of turn or without a decision', NEW.seq;"
  "  END IF;"
  "  IF NEW.event = 'decided' AND (doc->>'decision' = 'upheld') <> NOT EXISTS (SELECT FROM "
  "qt_journal v WHERE v.run_id = NEW.run_id AND v.appeal = NEW.appeal AND v.event = 'voted' AND "
  "v.line::jsonb->>'vote' <> 'uphold') THEN"
  "    RAISE EXCEPTION 'journal line %: a decision that is not what the votes say', NEW.seq;"
  "  END IF;"
  "  RETURN NEW;"
  "END $$;"
  /* BEFORE triggers fire by name: after qt_journal_check, which sets the
   * line's appeal and actor */
  "CREATE TRIGGER qt_journal_well_formed BEFORE INSERT ON qt_journal FOR EACH ROW EXECUTE "
  "FUNCTION qt_journal_well_formed ();"
  "CREATE OR REPLACE FUNCTION qt_grant (login name, rep text) RETURNS void LANGUAGE plpgsql "
  "SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  IF rep IS NULL THEN"
  "    DELETE FROM qt_rep_login WHERE qt_rep_login.login = qt_grant.login;"
  "    EXECUTE format ('REVOKE quotient_rep FROM %I', login);"
  "    EXECUTE format ('GRANT quotient_finance TO %I', login);"
  "  ELSE"
  "    INSERT INTO qt_rep_login VALUES (login, rep) ON CONFLICT ON CONSTRAINT "
  "qt_rep_login_pkey DO UPDATE SET rep_id = EXCLUDED.rep_id;"
  "    EXECUTE format ('REVOKE quotient_finance FROM %I', login);"
  "    EXECUTE format ('GRANT quotient_rep TO %I', login);"
  "  END IF;"
  "END $$;"
  "DO $$ DECLARE r record; BEGIN"
  "  FOR r IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema "
  "()::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S') AND left (c.relname, 3) "
  "<> 'qt_' AND c.relname <> 'quotient_schema' LOOP"
  "    EXECUTE format ('REVOKE ALL ON %I FROM quotient_finance', r.relname);"
  "  END LOOP;"
  "END $$;"
  "DROP POLICY own ON qt_run_file;"
  "CREATE POLICY own ON qt_run_file FOR SELECT TO quotient_rep USING (qt_login_rep () IS NOT NULL "
  "AND (path IN ('manifest.json', 'inputs/data/reps.csv', 'inputs/data/customers.csv', "
  "'inputs/data/products.csv', 'inputs/data/orders.csv') OR path LIKE 'inputs/plans/%' OR EXISTS "
  "(SELECT FROM qt_statement_file s WHERE s.run_id = qt_run_file.run_id AND path IN "
  "('statements/' || s.stem || '.json', 'statements/' || s.stem || '.txt'))));"
  "ALTER POLICY evidence ON qt_run_file WITH CHECK (qt_login_rep () IS NOT NULL AND path = "
  "'evidence/' || sha256 AND EXISTS (SELECT FROM qt_journal j WHERE j.run_id = "
  "qt_run_file.run_id AND j.event = 'published') AND NOT EXISTS (SELECT FROM qt_journal j "
  "WHERE j.run_id = qt_run_file.run_id AND j.event = 'closed'));"
  "ALTER POLICY evidence ON qt_blob WITH CHECK (qt_login_rep () IS NOT NULL AND sha256 = encode "
  "(sha256 (content), 'hex'));",
};

char *
qt_pg_data_set_tables (void)
{
  GString *list = g_string_new ("qt_data_file, qt_plan_file");
  for (guint t = 0; t < QT_TABLE_COUNT; t++)
    g_string_append_printf (list, ", qt_%s", qt_table_desc ((QtTable) t)->name);
  return g_string_free (list, FALSE);
}

/* The server's notices ("relation … already exists, skipping") are not
 * the user's concern: errors come back as results. */
static void
ignore_notice (void *arg, const char *message)
{
  (void) arg, (void) message;
}

/* libpq's message on one line (it continues lines with "\n\t"). */
static char *
one_line (const char *message)
{
  g_auto (GStrv) parts = g_strsplit_set (message, "\n\t", -1);
  g_autofree char *joined = g_strjoinv (" ", parts);
  g_autoptr (GRegex) spaces = g_regex_new ("  +", 0, 0, NULL);
  char *text = g_regex_replace_literal (spaces, joined, -1, 0, " ", 0, NULL);
  return g_strstrip (text);
}

/* libpq's reason for refusing a connection string, without what it
 * quotes from the string (the string itself, or a token of it: the
 * password may be in either); a quoted character or two (a "]" or "=" it
 * looked for) stays. */
static char *
without_quoted (const char *message)
{
  GString *out = g_string_new (NULL);
  for (const char *p = message; *p != '\0';)
    {
      const char *close = *p == '"' ? strchr (p + 1, '"') : NULL;
      if (close == NULL || close - p <= 3)
        {
          gsize n = close != NULL ? (gsize) (close - p) + 1 : 1;
          g_string_append_len (out, p, (gssize) n);
          p += n;
          continue;
        }
      g_string_append (out, "\"…\"");
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

PGconn *
qt_pg_connect (const char *conninfo, GError **error)
{
  char *bad = NULL;
  PQconninfoOption *parsed = PQconninfoParse (conninfo != NULL ? conninfo : "", &bad);
  if (parsed == NULL)
    {
      g_autofree char *line = one_line (bad != NULL ? bad : "out of memory");
      g_autofree char *why = without_quoted (line);
      PQfreemem (bad);
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "cannot connect to PostgreSQL: the connection "
                   "string is not valid: %s", why);
      return NULL;
    }
  PQconninfoFree (parsed);
  PGconn *conn = PQconnectdb (conninfo != NULL ? conninfo : "");
  if (PQstatus (conn) == CONNECTION_OK)
    {
      PQsetNoticeProcessor (conn, ignore_notice, NULL);
      return conn;
    }
  g_autofree char *why = one_line (PQerrorMessage (conn));
  g_set_error (error, QT_ERROR, QT_ERROR_USAGE, "cannot connect to PostgreSQL: %s", why);
  PQfinish (conn);
  return NULL;
}

gboolean
qt_pg_failed (GError **error, const char *what, const char *why)
{
  g_autofree char *line = one_line (why);
  g_set_error (error, QT_ERROR, QT_ERROR_IO, "PostgreSQL: %s failed: %s", what, line);
  return FALSE;
}

gboolean
qt_pg_exec (PGconn *conn, const char *sql, int n, const char *const *values, const int *lengths,
            const int *formats, const char *what, GError **error)
{
  /* without parameters: PQexec, which also runs a migration's several statements */
  PGresult *r = n == 0 ? PQexec (conn, sql)
                       : PQexecParams (conn, sql, n, NULL, values, lengths, formats, 0);
  ExecStatusType st = PQresultStatus (r);
  gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK
                || qt_pg_failed (error, what, PQresultErrorMessage (r));
  PQclear (r);
  return ok;
}

PGresult *
qt_pg_query (PGconn *conn, const char *sql, int n, const char *const *values, const int *lengths,
             const int *formats, int result_format, const char *what, GError **error)
{
  PGresult *r = PQexecParams (conn, sql, n, NULL, values, lengths, formats, result_format);
  if (PQresultStatus (r) == PGRES_TUPLES_OK)
    return r;
  qt_pg_failed (error, what, PQresultErrorMessage (r));
  PQclear (r);
  return NULL;
}

gboolean
qt_pg_copy_begin (QtPgCopy *c, PGconn *conn, const char *sql, const char *what, GError **error)
{
  PGresult *r = PQexec (conn, sql);
  gboolean started = PQresultStatus (r) == PGRES_COPY_IN
                     || qt_pg_failed (error, what, PQresultErrorMessage (r));
  PQclear (r);
  *c = (QtPgCopy) { conn, started ? g_string_sized_new (1 << 20) : NULL, what };
  return started;
}

gboolean
qt_pg_copy_flush (QtPgCopy *c, gboolean all, GError **error)
{
  if (c->buf->len == 0 || (!all && c->buf->len < (1u << 20)))
    return TRUE;
  if (PQputCopyData (c->conn, c->buf->str, (int) c->buf->len) != 1)
    return qt_pg_failed (error, c->what, PQerrorMessage (c->conn));
  g_string_truncate (c->buf, 0);
  return TRUE;
}

gboolean
qt_pg_copy_end (QtPgCopy *c, gboolean ok, GError **error)
{
  ok = ok && qt_pg_copy_flush (c, TRUE, error);
  g_string_free (c->buf, TRUE);
  c->buf = NULL;
  if (PQputCopyEnd (c->conn, ok ? NULL : "quotient stopped") != 1)
    ok = ok && qt_pg_failed (error, c->what, PQerrorMessage (c->conn));
  PGresult *r;
  while ((r = PQgetResult (c->conn)) != NULL)
    {
      if (ok && PQresultStatus (r) != PGRES_COMMAND_OK)
        ok = qt_pg_failed (error, c->what, PQresultErrorMessage (r));
      PQclear (r);
    }
  return ok;
}

/* qt_pg_exec of a statement without parameters. */
static gboolean
exec (PGconn *conn, const char *sql, const char *what, GError **error)
{
  return qt_pg_exec (conn, sql, 0, NULL, NULL, NULL, what, error);
}

/* The highest version recorded, 0 when none. */
static gboolean
current_version (PGconn *conn, gint *version, GError **error)
{
  PGresult *r = PQexec (conn, "SELECT coalesce(max(version), 0) FROM quotient_schema");
  gboolean ok = PQresultStatus (r) == PGRES_TUPLES_OK && PQntuples (r) == 1;
  if (ok)
    *version = atoi (PQgetvalue (r, 0, 0));
  else
    qt_pg_failed (error, "reading the schema version", PQresultErrorMessage (r));
  PQclear (r);
  return ok;
}

static gboolean
migrate (PGconn *conn, gint target, gint *from, gint *to, GError **error)
{
  /* A second init waits here for the first to commit (CREATE TABLE IF NOT
   * EXISTS alone is not safe against a concurrent one); the key is
   * quotient's, 'qtsc' in ASCII. */
  if (!exec (conn, "SELECT pg_advisory_xact_lock (1903457123)", "waiting for other inits", error)
      || !exec (conn, "CREATE TABLE IF NOT EXISTS quotient_schema ("
                      "  version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                "creating quotient_schema", error)
      || !current_version (conn, from, error))
    return FALSE;
  if (*from > QT_PG_SCHEMA_VERSION)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                   "the database's quotient schema is version %d, newer than this quotient's "
                   "(%d): use a newer quotient", *from, QT_PG_SCHEMA_VERSION);
      return FALSE;
    }
  for (gint v = *from + 1; v <= target; v++)
    {
      g_autofree char *what = g_strdup_printf ("migration %d", v);
      g_autofree char *record = g_strdup_printf ("INSERT INTO quotient_schema (version) VALUES (%d)", v);
      if (!exec (conn, migrations[v - 1], what, error) || !exec (conn, record, what, error))
        return FALSE;
    }
  *to = MAX (*from, target);
  return TRUE;
}

gboolean
qt_pg_schema_check (PGconn *conn, GError **error)
{
  PGresult *r = PQexec (conn, "SELECT coalesce(max(version), 0) FROM quotient_schema");
  gint v = PQresultStatus (r) == PGRES_TUPLES_OK ? atoi (PQgetvalue (r, 0, 0)) : 0;
  PQclear (r);
  if (v == QT_PG_SCHEMA_VERSION)
    return TRUE;
  if (v > QT_PG_SCHEMA_VERSION)
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "the database's quotient schema is version %d, newer than this quotient's "
                 "(%d): use a newer quotient", v, QT_PG_SCHEMA_VERSION);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_USAGE,
                 "the database has no quotient schema of version %d (it has %d): run quotient db "
                 "init first", QT_PG_SCHEMA_VERSION, v);
  return FALSE;
}

gboolean
qt_pg_grant (PGconn *conn, const char *login, const char *rep, GError **error)
{
  const char *const values[] = { login, rep };
  return qt_pg_schema_check (conn, error)
         && qt_pg_exec (conn, "SELECT qt_grant ($1, $2)", 2, values, NULL, NULL, "granting", error);
}

gboolean
qt_pg_schema_init (PGconn *conn, gint *from, gint *to, GError **error)
{
  return qt_pg_schema_init_to (conn, QT_PG_SCHEMA_VERSION, from, to, error);
}

gboolean
qt_pg_schema_init_to (PGconn *conn, gint target, gint *from, gint *to, GError **error)
{
  g_return_val_if_fail (target >= 1 && target <= QT_PG_SCHEMA_VERSION, FALSE);
  *from = *to = 0;
  if (!exec (conn, "BEGIN", "starting a transaction", error))
    return FALSE;
  if (!migrate (conn, target, from, to, error))
    {
      exec (conn, "ROLLBACK", "rolling back", NULL);
      return FALSE;
    }
  return exec (conn, "COMMIT", "committing the schema", error);
}
