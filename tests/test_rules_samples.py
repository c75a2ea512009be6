"""Rule units of the sample dump (samples/): every IF and EVALUATE inside a unit, every statement
accounted for, rules known by hand from reading the programs, stable IDs and store rows."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from functools import cache
from pathlib import Path

import pytest

from cobolspec.model import ast as A
from cobolspec.parse import parse_file
from cobolspec.parse.facts import statement_id, walk_statements
from cobolspec.rules import KINDS, RuleSet, RuleUnit, extract_rules, store_rows

SAMPLES = Path(__file__).parent.parent / "samples"
COPY_DIRS = [SAMPLES / "COPYLIB", SAMPLES / "DCLGEN"]
MIGRATION = Path(__file__).parent.parent / "cobolspec" / "store" / "migrations" / "0001_initial.sql"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples not present")


@cache
def sample(name: str) -> tuple[A.Program, RuleSet]:
    path = next(p for p in (SAMPLES / "COBOL").iterdir() if p.stem == name)
    result = parse_file(path, COPY_DIRS)
    assert len(result.programs) == 1
    program = result.programs[0]
    return program, extract_rules(program)


NAMES = sorted(p.stem for p in (SAMPLES / "COBOL").iterdir()) if SAMPLES.is_dir() else []


def unit_at(name: str, paragraph: str, line: int) -> RuleUnit:
    """The unit of sample ``name`` in ``paragraph`` whose first line is ``line``."""
    _, ruleset = sample(name)
    found = [u for u in ruleset.units if u.paragraph == f"{name}:{paragraph}" and u.line == line]
    assert len(found) == 1, [(u.name, u.paragraph, u.line) for u in ruleset.units]
    return found[0]


def rows(unit: RuleUnit) -> list[tuple[list[str], list[str]]]:
    assert unit.decision_table is not None
    return [(r.conditions, r.actions) for r in unit.decision_table.rows]


@pytest.mark.parametrize("name", NAMES)
def test_every_if_and_evaluate_lies_in_a_unit(name: str) -> None:
    program, ruleset = sample(name)
    assert program.procedure is not None
    covered = {sid for u in ruleset.units for sid in u.statements}
    decisions = [statement_id(st) for p in program.procedure.paragraphs
                 for st in walk_statements(p.statements)
                 if isinstance(st, (A.IfStmt, A.EvaluateStmt))]
    assert decisions and not [sid for sid in decisions if sid not in covered]


@pytest.mark.parametrize("name", NAMES)
def test_every_statement_is_accounted_for(name: str) -> None:
    program, ruleset = sample(name)
    coverage = ruleset.coverage
    assert coverage.unexplained == []
    assert coverage.statements == program.statements_total
    assert coverage.in_units + coverage.plumbing == coverage.statements
    assert sum(coverage.plumbing_by_reason.values()) == coverage.plumbing
    in_units = [sid for u in ruleset.units for sid in u.statements]
    assert len(in_units) == len(set(in_units)), "a statement in two units"
    assert not set(in_units) & set(ruleset.plumbing)


def test_kinds_and_totals_over_the_samples() -> None:
    kinds: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for name in NAMES:
        _, ruleset = sample(name)
        kinds.update(u.kind for u in ruleset.units)
        totals["statements"] += ruleset.coverage.statements
        totals["in units"] += ruleset.coverage.in_units
        totals["plumbing"] += ruleset.coverage.plumbing
    print(f"\nsamples: {sum(kinds.values())} units {dict(sorted(kinds.items()))}; "
          f"statements {dict(totals)}")
    assert set(kinds) == set(KINDS)  # every kind occurs in the samples
    assert totals["in units"] + totals["plumbing"] == totals["statements"]


# --------------------------------------------------------------------------- known by hand


def test_tranpost_reject_when_the_account_is_missing() -> None:
    # TRANPOST 2000-PROCESS-TRANSACTION: the key is moved, the master read; INVALID KEY
    # rejects with code 01 'ACCOUNT NOT FOUND', otherwise the transaction is validated
    unit = unit_at("TRANPOST", "2000-PROCESS-TRANSACTION", 119)
    assert unit.kind == "validation"
    assert (unit.file.endswith("TRANPOST.cbl"), unit.line, unit.end_line) == (True, 119, 127)
    assert unit.reaching == ["NOT WS-END-OF-TRANS (WS-EOF-SW = 'Y')"]
    assert unit.actions[:2] == ["MOVE TRAN-ACCT-ID TO ACCT-ID", "READ ACCT-MASTER"]
    assert rows(unit) == [
        (["Y"], ["READ ACCT-MASTER", "MOVE 01 TO WS-REJECT-CODE",
                 "MOVE 'ACCOUNT NOT FOUND' TO WS-REJECT-TEXT", "PERFORM 3000-WRITE-REJECT"]),
        (["N"], ["READ ACCT-MASTER", "PERFORM 2100-VALIDATE-AND-POST"]),
    ]
    assert unit.decision_table is not None
    assert unit.decision_table.condition_columns == ["INVALID KEY (READ ACCT-MASTER)"]
    assert {"TRAN-ACCT-ID", "file:ACCT-MASTER"} <= set(unit.inputs)
    assert {"WS-REJECT-CODE", "WS-REJECT-TEXT", "ACCOUNT-RECORD"} <= set(unit.outputs)


def test_tranpost_posting_or_reject_by_acctval() -> None:
    unit = unit_at("TRANPOST", "2100-VALIDATE-AND-POST", 141)
    assert unit.kind == "validation"
    assert unit.condition == "VAL-OK (VAL-RETURN-CODE = 00)"
    assert (unit.line, unit.end_line) == (141, 148)
    # performed only from the NOT INVALID KEY phrase, inside the main loop
    assert unit.reaching == ["NOT WS-END-OF-TRANS (WS-EOF-SW = 'Y')",
                             "NOT INVALID KEY (READ ACCT-MASTER)"]
    assert rows(unit) == [
        (["Y"], ["PERFORM 2200-APPLY-TRANSACTION", "PERFORM 2300-REWRITE-ACCOUNT"]),
        (["N"], ["MOVE VAL-RETURN-CODE TO WS-REJECT-CODE",
                 "MOVE VAL-REASON-TEXT TO WS-REJECT-TEXT", "PERFORM 3000-WRITE-REJECT"]),
    ]
    # the rewrite happens only for a found account ACCTVAL accepted
    rewrite = unit_at("TRANPOST", "2300-REWRITE-ACCOUNT", 172)
    assert rewrite.kind == "state-change"
    assert rewrite.reaching == [*unit.reaching, "VAL-OK (VAL-RETURN-CODE = 00)"]
    assert rewrite.outputs[0] == "file:ACCT-MASTER"


def test_acctval_account_status_reasons() -> None:
    unit = unit_at("ACCTVAL", "2000-CHECK-ACCOUNT-STATUS", 77)
    assert unit.kind == "validation"
    assert (unit.line, unit.end_line) == (77, 89)
    assert unit.reaching == ["VAL-OK (VAL-RETURN-CODE = 00)"]
    assert rows(unit) == [
        (["ACCT-ACTIVE (ACCT-STATUS = 'A')"], ["CONTINUE"]),
        (["ACCT-CLOSED (ACCT-STATUS = 'C')"],
         ["MOVE 20 TO VAL-RETURN-CODE", "MOVE 'ACCOUNT CLOSED' TO VAL-REASON-TEXT"]),
        (["ACCT-FROZEN (ACCT-STATUS = 'F')"],
         ["MOVE 21 TO VAL-RETURN-CODE", "MOVE 'ACCOUNT FROZEN' TO VAL-REASON-TEXT"]),
        (["OTHER"],
         ["MOVE 22 TO VAL-RETURN-CODE", "MOVE 'ACCOUNT STATUS UNKNOWN' TO VAL-REASON-TEXT"]),
    ]
    assert unit.inputs == ["ACCT-STATUS"]
    assert unit.outputs == ["VAL-RETURN-CODE", "VAL-REASON-TEXT"]
    assert {"'ACCOUNT CLOSED'", "20", "'C'"} <= set(unit.literals)


def test_intcalc_charges_by_account_type_and_balance() -> None:
    unit = unit_at("INTCALC", "2200-APPLY-RULES", 246)
    assert unit.kind == "routing"
    assert unit.condition == "EVALUATE ACCT-TYPE ALSO TRUE"
    assert (unit.line, unit.end_line) == (246, 267)
    assert unit.decision_table is not None
    assert unit.decision_table.condition_columns == ["ACCT-TYPE", "TRUE"]
    assert [r[0] for r in rows(unit)] == [
        ["'SV'", "ACCT-BALANCE > ZERO"], ["'CK'", "ACCT-BALANCE >= ZERO"],
        ["'CK'", "ACCT-BALANCE < ZERO"], ["'CC'", "ACCT-BALANCE < ZERO"], ["OTHER", "OTHER"]]
    assert rows(unit)[2][1] == ["MOVE 'OD' TO WS-LOOKUP-TYPE", "PERFORM 3000-FIND-RATE",
                                "PERFORM 4100-DEBIT-INTEREST", "PERFORM 4300-OVERDRAFT-FEE"]
    # only accounts due for interest get here: not closed, not frozen, not yet processed
    assert unit.reaching == [
        "NOT WS-NO-MORE-ACCOUNTS (WS-ACCT-EOF-SW = 'Y')", "NOT ACCT-CLOSED (ACCT-STATUS = 'C')",
        "NOT ACCT-FROZEN (ACCT-STATUS = 'F')", "ACCT-LAST-INT-DATE < WS-RUN-DATE",
        "DP-OK (DP-RETURN-CODE = 00)"]


def test_intcalc_credit_interest_calculation() -> None:
    unit = unit_at("INTCALC", "4000-CREDIT-INTEREST", 290)
    assert unit.kind == "calculation"
    assert unit.condition == "WS-RATE-PCT > ZERO"
    assert (unit.line, unit.end_line) == (290, 302)
    assert unit.actions[0] == (
        "COMPUTE WS-INT-AMT ROUNDED = ACCT-BALANCE * WS-RATE-PCT * WS-DAYS / 36500")
    assert unit.decision_table is not None
    assert unit.decision_table.condition_columns == [
        "WS-RATE-PCT > ZERO", "ON SIZE ERROR (COMPUTE WS-INT-AMT)"]
    assert rows(unit)[0] == (["Y", "Y"], [unit.actions[0], "PERFORM 4900-SIZE-ERROR"])
    assert {"ACCT-BALANCE", "ACCT-ACCRUED-INT", "WS-INT-AMT", "IO-ACTION"} <= set(unit.outputs)


def test_csacct_routing_on_the_attention_key() -> None:
    unit = unit_at("CSACCT", "0000-MAIN", 62)
    assert unit.kind == "routing"
    assert unit.condition == "EIBCALEN = 0"
    assert (unit.line, unit.end_line) == (62, 87)
    assert unit.decision_table is not None
    assert unit.decision_table.condition_columns == [
        "EIBCALEN = 0", "CA-FROM-PROGRAM <> WS-PROGRAM-NAME", "TRUE"]
    by_key = {r[0][2]: r[1][-1] for r in rows(unit)}
    assert by_key == {
        "-": "PERFORM 1000-SEND-INITIAL",
        "EIBAID = DFHPF3": "PERFORM 7000-RETURN-TO-MENU",
        "EIBAID = DFHCLEAR": "PERFORM 1000-SEND-INITIAL",
        "EIBAID = DFHENTER": "PERFORM 2000-PROCESS-ENTER",
        "EIBAID = DFHPF5 AND CA-UPDATE (CA-FUNCTION = 'U') AND CA-AWAIT-CONFIRM "
        "(CA-STATE = 'C')": "PERFORM 4000-APPLY-UPDATE",
        "OTHER": "PERFORM 8010-SEND-DATAONLY",
    }
    # PF3 transfers to the menu program with the COMMAREA
    xctl = unit_at("CSACCT", "7000-RETURN-TO-MENU", 290)
    assert xctl.kind == "routing"
    assert "program:CSMENU" in xctl.outputs and "commarea:CS-COMMAREA" in xctl.outputs
    assert xctl.reaching == ["EIBCALEN <> 0", "CA-FROM-PROGRAM = WS-PROGRAM-NAME",
                             "EIBAID = DFHPF3"]


def test_custupd_sql_updates() -> None:
    update = unit_at("CUSTUPD", "2000-REVIEW-CUSTOMER", 132)
    assert update.kind == "state-change"
    assert (update.line, update.end_line) == (132, 139)
    assert update.outputs == ["table:CUSTOMER"]
    assert update.inputs == ["WS-NEW-LIMIT", "WS-NEW-STATUS"]
    assert update.reaching == ["NOT WS-END-OF-CURSOR (WS-CURSOR-SW = 'Y')"]
    assert update.actions[0].startswith("EXEC SQL UPDATE CUSTOMER SET CREDIT_LIMIT = "
                                        ":WS-NEW-LIMIT, CUST_STATUS = :WS-NEW-STATUS")
    insert = unit_at("CUSTUPD", "2100-WRITE-AUDIT", 165)
    assert insert.kind == "state-change"
    assert (insert.line, insert.end_line) == (165, 184)
    assert "table:CUST_AUDIT" in insert.outputs
    assert insert.actions[0] == "MOVE CUST-ID OF DCLCUSTOMER TO CUST-ID OF DCLCUST-AUDIT"
    # the audit row is written only after the UPDATE of the customer succeeded
    assert "SQLCODE = 0" in insert.reaching
    purge = unit_at("CUSTUPD", "3000-PURGE-AUDIT", 214)
    assert purge.kind == "state-change" and purge.outputs == ["table:CUST_AUDIT"]
    # the new limit by risk score: a calculation with ROUNDED
    limit = unit_at("CUSTUPD", "2000-REVIEW-CUSTOMER", 116)
    assert limit.kind == "calculation"
    assert [r[0][0] for r in rows(limit)] == [
        "RISK-SCORE >= 800", "RISK-SCORE >= 800", "RISK-SCORE >= 600", "RISK-SCORE >= 400",
        "OTHER"]


def test_abendprc_return_code_in_the_copybook() -> None:
    for name in ("TRANPOST", "INTCALC", "ACCTLOAD"):
        unit = unit_at(name, "9999-ABEND", 15)
        assert Path(unit.file).name == "ABENDPRC.cpy"
        assert (unit.kind, unit.line, unit.end_line) == ("io", 15, 15)
        assert unit.actions == ["MOVE ABEND-RETURN-CODE TO RETURN-CODE"]
        assert (unit.inputs, unit.outputs) == (["ABEND-RETURN-CODE"], ["RETURN-CODE"])
        assert [s.file for s in unit.spans] == [unit.file]
        _, ruleset = sample(name)
        # the DISPLAYs and STOP RUN around it are error boilerplate
        assert ruleset.coverage.plumbing_by_reason.get("error boilerplate", 0) >= 2


def test_rejrpt_category_by_go_to_depending_on() -> None:
    unit = unit_at("REJRPT", "3000-LIST-REJECT", 215)
    assert unit.kind == "routing"
    assert rows(unit) == [(["1"], ["GO TO 3100-CAT-TRAN"]), (["2"], ["GO TO 3200-CAT-ACCOUNT"]),
                          (["3"], ["GO TO 3300-CAT-RULE"]), (["4"], ["GO TO 3400-CAT-FUNDS"]),
                          (["OTHER"], [])]
    # performed THRU only after the end-of-file test failed (IF ... GO TO 0000-END-OF-FILE)
    assert unit.reaching == ["WS-EOF-SW <> 'Y'"]


# --------------------------------------------------------------------------- identity, rows


def test_ids_names_and_rows_are_stable() -> None:
    ids: set[str] = set()
    for name in NAMES:
        program, ruleset = sample(name)
        again = extract_rules(parse_file(
            next(p for p in (SAMPLES / "COBOL").iterdir() if p.stem == name), COPY_DIRS
        ).programs[0])
        assert [asdict(u) for u in again.units] == [asdict(u) for u in ruleset.units]
        assert store_rows(again) == store_rows(ruleset)
        assert [u.name for u in ruleset.units] == [
            f"{program.name}.R{n:03d}" for n in range(1, len(ruleset.units) + 1)]
        for u in ruleset.units:
            assert re.fullmatch(r"[0-9a-f]{12}", u.id)
            assert u.id not in ids
            ids.add(u.id)
            assert u.kind in KINDS


def _columns(table: str) -> list[str]:
    sql = MIGRATION.read_text("utf-8")
    body = re.search(rf"CREATE TABLE {table} \((.*?)\);", sql, re.S)
    assert body is not None
    names = [line.split()[0] for line in body.group(1).strip().splitlines()]
    return [n for n in names if n not in ("run_id", "member")]


def test_store_rows_match_the_schema() -> None:
    _, ruleset = sample("TRANPOST")
    got = store_rows(ruleset)
    assert set(got) == {"rules", "rule_inputs", "rule_outputs"}
    for table, table_rows in got.items():
        assert table_rows
        for row in table_rows:
            assert list(row) == _columns(table)
    unit = ruleset.units[0]
    first = got["rules"][0]
    assert first["id"] == unit.id and first["actions"] == "; ".join(unit.actions)
    assert [r["item"] for r in got["rule_inputs"] if r["rule"] == unit.id] == unit.inputs
    for row, u in zip(got["rules"], ruleset.units, strict=True):
        assert json.loads(str(row["reaching"])) == u.reaching
        if u.decision_table is None:
            assert row["decision_table"] is None
        else:
            table = json.loads(str(row["decision_table"]))
            assert table["condition_columns"] == u.decision_table.condition_columns
            assert [(r["conditions"], r["actions"]) for r in table["rows"]] == rows(u)


_DUMP = """
import json, sys
from pathlib import Path
from cobolspec.parse import parse_file
from cobolspec.rules import extract_rules, store_rows
samples = Path(sys.argv[1])
out = []
for name in sys.argv[2:]:
    path = next(p for p in (samples / "COBOL").iterdir() if p.stem == name)
    program = parse_file(path, [samples / "COPYLIB", samples / "DCLGEN"]).programs[0]
    ruleset = extract_rules(program)
    out.append([store_rows(ruleset), [u.reaching for u in ruleset.units], ruleset.plumbing])
print(json.dumps(out, sort_keys=False))
"""


def test_same_output_in_another_process() -> None:
    # byte for byte, whatever the string hash seed (set and dict orders must not leak out)
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, str(SAMPLES), "CSACCT", "INTCALC", "REJRPT"],
            env=env, capture_output=True, text=True, check=True,
            cwd=Path(__file__).parent.parent)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])[0][0]["rules"][0]["name"] == "CSACCT.R001"
