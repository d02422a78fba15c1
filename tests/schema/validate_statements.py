#!/usr/bin/env python3
"""tests/schema/validate_statements.py QUOTIENT SOURCE_DIR — every commission
statement quotient writes validates against docs/statement.schema.json:
golden (2026-02, 2026-03), the demo (2026-04 to 2026-06) and a revised run
(publish, an upheld appeal, recalc: the revision section); and statements
the schema must refuse (credits as arrays, a number as a JSON number, a
rounded figure without its exact value) are refused, so the schema is not
vacuous.  Exit 0 when all holds."""
import copy
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

quotient, source = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads((source / "docs/statement.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


def q(*args):
    subprocess.run([quotient, *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def statements(run):
    return sorted((pathlib.Path(run) / "statements").glob("*.json"))


checked = 0
with tempfile.TemporaryDirectory() as tmp:
    runs = []
    for fixture, periods in (("golden", ["2026-02", "2026-03"]),
                             ("demo", ["2026-04", "2026-05", "2026-06"])):
        for period in periods:
            out = f"{tmp}/{fixture}-{period}"
            q("run", "--data", str(source / "fixtures" / fixture / "data"),
              "--plans", str(source / "fixtures" / fixture / "plans"),
              "--period", period, "--out", out)
            runs.append(out)
    revised = f"{tmp}/demo-2026-05"
    q("publish", revised, "--payout-at", "2026-06-10T09:00:00+08:00",
      "--now", "2026-06-05T09:00:00+08:00")
    q("appeal", "file", revised, "--as", "R203", "--item", "adjustment", "--claim", "150.00",
      "--reason", "travel", "--now", "2026-06-08T09:10:00+08:00")
    q("appeal", "assign", revised, "--appeal", "A1", "--reviewer", "R301", "--reviewer", "R402",
      "--now", "2026-06-08T10:00:00+08:00")
    for reviewer in ("R301", "R402"):
        q("appeal", "vote", revised, "--appeal", "A1", "--as", reviewer, "--uphold",
          "--now", "2026-06-08T11:00:00+08:00")
    q("recalc", revised, "--now", "2026-06-08T13:00:00+08:00")
    revisions = 0
    for run in runs:
        for path in statements(run):
            doc = json.loads(path.read_text())
            errors = sorted(validator.iter_errors(doc), key=str)
            if errors:
                sys.exit(f"{path}: {errors[0].json_path}: {errors[0].message}")
            revisions += "revision" in doc
            checked += 1
    if revisions == 0:
        sys.exit("no revised statement was checked")

    sample = json.loads(statements(runs[1])[0].read_text())
    bad = []
    positional = copy.deepcopy(sample)
    positional["credits"] = [list(c.values()) for c in positional["credits"]]
    bad.append(("credits as arrays", positional))
    number = copy.deepcopy(sample)
    number["credit"]["credit"] = 23000
    bad.append(("a JSON number", number))
    rounded = copy.deepcopy(sample)
    del rounded["payable"]["total"]["exact"]
    bad.append(("a rounded figure alone", rounded))
    zero_tier = copy.deepcopy(sample)
    zero_tier["commission"]["tier_reached"] = 0
    bad.append(("tiers counted from 0", zero_tier))
    for what, doc in bad:
        if validator.is_valid(doc):
            sys.exit(f"the schema accepts {what}")

print(f"{checked} statements valid ({revisions} revised); {len(bad)} bad ones refused")
