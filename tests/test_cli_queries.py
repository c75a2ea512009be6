"""``cobolspec rules``, ``lineage`` and ``impact``: answers from the store, exit codes, formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cobolspec.cli import app
from cobolspec.store import Store
from tests.test_spec import make_store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("q") / "paysys.duckdb"
    make_store(path).close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- rules ----------------------------------------------------------------------------------------


def test_rules_lists_every_rule(db: Path) -> None:
    code, out, err = run("rules", "--db", str(db), "--format", "csv")
    assert code == 0
    rows = csv_rows(out)
    assert [(r["name"], r["kind"], r["inputs"], r["outputs"], r["line"]) for r in rows] == [
        ("PAYROLL.R001", "decision", "EMP-SALARY", "TAX-BAND", "28"),
        ("PAYROLL.R002", "io", "WS-NET", "file:PAY-OUT", "25"),
    ]
    assert err == "(2 rules)\n"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--kind", "IO"], ["PAYROLL.R002"]),
        (["--touching", "emp-salary"], ["PAYROLL.R001"]),
        (["--touching", "PAY-OUT"], ["PAYROLL.R002"]),  # file:PAY-OUT
        (["--touching", "EMP"], []),
        (["--program", "calctax"], []),
        (["--program", "PAYROLL", "--kind", "decision", "--touching", "TAX-BAND"],
         ["PAYROLL.R001"]),
    ],
)
def test_rules_filters(db: Path, args: list[str], names: list[str]) -> None:
    code, out, _ = run("rules", "--db", str(db), "--format", "json", *args)
    assert code == 0
    assert [r["name"] for r in json.loads(out)] == names


def test_rules_json_is_the_full_rule_spec(db: Path) -> None:
    _, out, _ = run("rules", "--db", str(db), "--format", "json", "--kind", "decision")
    (rule,) = json.loads(out)
    assert rule["actions"] == ["MOVE 'H' TO TAX-BAND", "ADD 1 TO HIGH-COUNT"]
    assert rule["description"] == "Salaries above 100000 are band H."
    assert rule["id"] == "a1" and rule["decision_table"] is None


def test_rules_table_goes_to_stdout(db: Path) -> None:
    code, out, err = run("rules", "--db", str(db))
    assert code == 0
    assert "PAYROLL.R001" in out and "EMP-SALARY > 100000" in out
    assert "PAYROLL.R001" not in err


# -- lineage --------------------------------------------------------------------------------------


def test_lineage_backward_and_forward(db: Path) -> None:
    code, out, err = run("lineage", "ws-net", "--db", str(db), "--format", "csv")
    assert code == 0, err
    rows = csv_rows(out)
    assert [(r["direction"], r["depth"], r["item"], r["verb"], r["line"], r["via"])
            for r in rows] == [
        ("backward", "1", "WS-NET", "COMPUTE", "29", "WS-GROSS; WS-TAX"),
        ("backward", "2", "WS-GROSS", "MOVE", "28", "EMP-SALARY OF EMP-REC"),
        ("backward", "3", "EMP-SALARY OF EMP-REC", "READ", "21", "EMP-FILE"),
        ("forward", "1", "WS-NET", "MOVE", "30", "OUT-NET OF OUT-REC"),
        ("forward", "2", "OUT-NET OF OUT-REC", "WRITE", "25", "WS-OUT-FS OF WS-STATUSES"),
    ]
    assert rows[0]["statement"] == "cbl/PAYROLL.cbl:29:12"
    assert err == "(5 steps)\n"


def test_lineage_of_a_qualified_item_and_depth_limit(db: Path) -> None:
    code, out, _ = run("lineage", "EMP-SALARY", "--db", str(db), "--format", "json",
                       "--depth", "1", "--program", "PAYROLL")
    assert code == 0
    steps = json.loads(out)
    assert [(s["direction"], s["depth"], s["verb"]) for s in steps] == [
        ("backward", 1, "READ"), ("forward", 1, "MOVE")]
    assert steps[0]["via"] == ["EMP-FILE"]


def test_lineage_of_a_declared_item_nothing_touches(db: Path) -> None:
    code, out, err = run("lineage", "EMP-ID", "--db", str(db), "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert err == "(0 steps)\n"


def test_lineage_says_when_the_dataflow_table_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    make_store(path).close()
    with Store.open(path) as store:
        store.con.execute("DELETE FROM dataflow")
    code, _, err = run("lineage", "WS-NET", "--db", str(path))
    assert code == 0
    assert err == ("(0 steps)\n"
                   "The dataflow table is empty: this store holds no data-flow facts yet.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], "Error: no data item NOPE in the store\n"),
        (["WS-NET", "--program", "CALCTAX"], "Error: no data item WS-NET in program CALCTAX\n"),
        (["WS-NET", "--program", "GHOST"], "Error: no program GHOST in the store\n"),
    ],
)
def test_lineage_errors(db: Path, args: list[str], message: str) -> None:
    code, out, err = run("lineage", *args, "--db", str(db))
    assert (code, out, err) == (1, "", message)


# -- impact ---------------------------------------------------------------------------------------


def impact(db: Path, target: str) -> tuple[list[tuple[str, str, str, str]], str]:
    code, out, err = run("impact", target, "--db", str(db), "--format", "csv")
    assert code == 0, err
    return [(r["kind"], r["name"], r["relation"], r["reason"]) for r in csv_rows(out)], err


def test_impact_of_a_copybook_by_path_or_name(db: Path) -> None:
    expected = [
        ("program", "PAYROLL", "direct", "copies EMPREC"),
        ("job", "PAYJOB", "indirect", "step PAY runs PAYROLL"),
    ]
    for target in ("copy/EMPREC.cpy", "EMPREC", "dump/copy/EMPREC.cpy"):
        rows, err = impact(db, target)
        assert rows == expected, target
    assert err == "Changing copy/EMPREC.cpy (copybook) affects 1 program, 1 job, 0 transactions\n"


def test_impact_of_a_called_program_reaches_callers_jobs_and_transactions(db: Path) -> None:
    rows, _ = impact(db, "CALCTAX")
    assert rows == [
        ("program", "CALCTAX", "direct", "is defined in cbl/CALCTAX.cbl"),
        ("program", "PAYMENU", "indirect", "LINK CALCTAX"),
        ("program", "PAYROLL", "indirect", "CALL CALCTAX"),
        ("job", "PAYJOB", "indirect", "step PAY runs PAYROLL"),
        ("transaction", "PAYM", "indirect", "runs PAYMENU"),
    ]


def test_impact_of_a_dataset_and_of_a_mapset_and_a_job(db: Path) -> None:
    rows, _ = impact(db, "pay.out")
    assert rows == [
        ("program", "PAYROLL", "direct", "file PAY-OUT is DD PAYOUT in job PAYJOB step PAY"),
        ("job", "PAYJOB", "direct", "step PAY DD PAYOUT DISP=(NEW,CATLG,DELETE)"),
    ]
    rows, _ = impact(db, "bms/PAYMS.bms")
    assert rows == [
        ("program", "PAYMENU", "direct", "RECEIVE MAP PAYM1 of mapset PAYMS"),
        ("transaction", "PAYM", "indirect", "runs PAYMENU"),
    ]
    rows, _ = impact(db, "PAYJOB")
    assert rows == [("job", "PAYJOB", "direct", "is defined in jcl/PAYJOB.jcl")]


def test_impact_json(db: Path) -> None:
    code, out, _ = run("impact", "EMPREC", "--db", str(db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["target"], data["target_kind"]) == ("copy/EMPREC.cpy", "copybook")
    assert data["entries"][0] == {"kind": "program", "name": "PAYROLL", "relation": "direct",
                                  "reason": "copies EMPREC", "file": "cbl/PAYROLL.cbl",
                                  "line": 12}


def test_impact_of_something_unknown(db: Path) -> None:
    code, out, err = run("impact", "NOTHING", "--db", str(db))
    assert (code, out) == (1, "")
    assert err == ("Error: nothing named NOTHING in the store (not a member path or name, "
                   "PROGRAM-ID or dataset)\n")


# -- common behaviour -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["rules"], ["lineage", "X"], ["impact", "X"]])
def test_a_missing_database_is_an_error_not_a_new_file(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "none.duckdb"
    code, out, err = run(*command, "--db", str(missing))
    assert (code, out) == (1, "")
    assert err == f"Error: no database at {missing}; run `cobolspec analyze` first\n"
    assert not missing.exists()


@pytest.mark.parametrize("command", [["lineage"], ["impact"], ["rules", "--format", "xml"]])
def test_usage_errors_exit_2(command: list[str]) -> None:
    code, _, err = run(*command)
    assert code == 2
    assert err.startswith("Error: ")


def test_the_database_is_opened_read_only(db: Path) -> None:
    before = db.stat().st_mtime_ns
    for args in (["rules"], ["lineage", "WS-NET"], ["impact", "EMPREC"]):
        assert run(*args, "--db", str(db))[0] == 0
    assert db.stat().st_mtime_ns == before


def test_lineage_uses_direct_operands_when_the_store_tells_aliases_apart(tmp_path: Path) -> None:
    from cobolspec.spec.queries import lineage

    path = tmp_path / "s.duckdb"
    make_store(path).close()
    with Store.open(path) as store:
        # MOVE WS-NET TO OUT-NET OF OUT-REC writes OUT-NET and, through it, the group OUT-REC
        store.insert("dataflow", [{"program": "PAYROLL", "statement": "cbl/PAYROLL.cbl:30:12",
                                   "item": "OUT-REC", "access": "def"}],
                     defaults={"run_id": 1, "member": "cbl/PAYROLL.cbl"})
        first = lineage(store, "WS-NET", max_depth=1)
        assert [(s.direction, s.via) for s in first] == [
            ("backward", ["WS-GROSS", "WS-TAX"]), ("forward", ["OUT-REC"])]
        store.con.execute("ALTER TABLE dataflow ADD COLUMN IF NOT EXISTS via VARCHAR")
        store.con.execute("UPDATE dataflow SET via = 'alias' WHERE item = 'OUT-REC'")
        second = lineage(store, "WS-NET", max_depth=1)
        assert [(s.direction, s.via) for s in second] == [
            ("backward", ["WS-GROSS", "WS-TAX"]), ("forward", ["OUT-NET OF OUT-REC"])]
