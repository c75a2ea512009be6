"""Spec assembly from the store: a small hand-filled store (every table), the specs it must give.

The store holds PAYSYS: a batch program PAYROLL that CALLs CALCTAX (and something dynamic), a
CICS program PAYMENU (transaction PAYM) that LINKs to CALCTAX and XCTLs to a program missing from
the dump, a copybook, a job, a mapset, rules with descriptions, data flow and diagnostics.
:func:`make_store` is shared by the render and CLI tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cobolspec.errors import StoreError
from cobolspec.spec import ProgramSpec, program_spec, program_specs, system_spec
from cobolspec.spec.assemble import dd_name, page_names
from cobolspec.spec.schema import SCHEMA_FILES, schema_text
from cobolspec.store import MemberLoader, Store

DOCS = Path(__file__).resolve().parent.parent / "docs"

P, C, M = "cbl/PAYROLL.cbl", "cbl/CALCTAX.cbl", "cbl/PAYMENU.cbl"


def member(path: str, kind: str) -> dict[str, object]:
    name = Path(path.split("(")[0]).stem.upper()
    return {"path": path, "hash": "h-" + path, "file": path, "first_line": 1, "name": name,
            "kind": kind, "encoding": "utf-8", "lines": 40, "line_ending": "LF",
            "format": "fixed", "status": "analysed", "analysis_key": "k-" + path}


def st(pgm: str, para: str, line: int, verb: str, file: str = P, parsed: bool = True,
       col: int = 12) -> dict[str, object]:
    return {"program": pgm, "paragraph": f"{pgm}:{para}", "id": f"{file}:{line}:{col}",
            "verb": verb, "file": file, "line": line, "column": col, "end_line": line,
            "parsed": parsed}


def flow(stmt_line: int, item: str, access: str) -> dict[str, object]:
    return {"program": "PAYROLL", "statement": f"{P}:{stmt_line}:12", "item": item,
            "access": access, "file": P, "line": stmt_line}


def item(pgm: str, seq: int, name: str, level: int, parent: str | None, section: str,
         offset: int, size: int, line: int, file: str = P, **extra: Any) -> dict[str, object]:
    return {"program": pgm, "seq": seq, "name": name, "level": level, "parent": parent,
            "section": section, "offset": offset, "size": size, "file": file, "line": line,
            **extra}


def payroll_rows() -> dict[str, list[dict[str, object]]]:
    return {
        "programs": [{"program": "PAYROLL", "file": P, "line": 1, "end_line": 60}],
        "copybook_uses": [
            {"name": "EMPREC", "resolved": "copy/EMPREC.cpy", "missing": False,
             "replacing": False, "depth": 1, "via": "COPY", "file": P, "line": 12, "column": 8},
        ],
        "paragraphs": [
            {"program": "PAYROLL", "id": "PAYROLL:MAIN", "name": "MAIN", "file": P, "line": 20,
             "end_line": 26, "reachable": True},
            {"program": "PAYROLL", "id": "PAYROLL:CALC", "name": "CALC", "file": P, "line": 27,
             "end_line": 31, "reachable": True},
            {"program": "PAYROLL", "id": "PAYROLL:DEAD", "name": "DEAD", "file": P, "line": 32,
             "end_line": 33, "reachable": False},
        ],
        "statements": [
            st("PAYROLL", "MAIN", 20, "OPEN"),
            st("PAYROLL", "MAIN", 21, "READ"),
            st("PAYROLL", "MAIN", 22, "PERFORM"),
            st("PAYROLL", "MAIN", 23, "CALL"),
            st("PAYROLL", "MAIN", 25, "WRITE"),
            st("PAYROLL", "MAIN", 26, "STOP RUN"),
            st("PAYROLL", "CALC", 28, "MOVE"),
            st("PAYROLL", "CALC", 29, "COMPUTE"),
            st("PAYROLL", "CALC", 30, "MOVE"),
            st("PAYROLL", "DEAD", 33, "FROB", parsed=False),
        ],
        "data_items": [
            item("PAYROLL", 0, "EMP-REC", 1, None, "FILE", 0, 20, 3, "copy/EMPREC.cpy"),
            item("PAYROLL", 1, "EMP-ID", 5, "EMP-REC", "FILE", 0, 6, 4, "copy/EMPREC.cpy",
                 pic="9(6)", usage="DISPLAY"),
            item("PAYROLL", 2, "EMP-SALARY", 5, "EMP-REC", "FILE", 6, 7, 5, "copy/EMPREC.cpy",
                 pic="S9(11)V99", usage="COMP-3"),
            item("PAYROLL", 3, "EMP-STATUS", 5, "EMP-REC", "FILE", 13, 1, 6,
                 "copy/EMPREC.cpy", pic="X"),
            item("PAYROLL", 4, "EMP-HIST", 5, "EMP-REC", "FILE", 14, 6, 9, "copy/EMPREC.cpy"),
            item("PAYROLL", 5, "EMP-MONTH", 10, "EMP-HIST", "FILE", 14, 1, 10,
                 "copy/EMPREC.cpy", pic="X", occurs=6, occurs_min=1,
                 depending_on="EMP-COUNT"),
            item("PAYROLL", 6, "WS-GROSS", 77, None, "WORKING-STORAGE", 0, 7, 14,
                 pic="S9(11)V99", usage="COMP-3"),
            item("PAYROLL", 7, "WS-NET", 77, None, "WORKING-STORAGE", 0, 7, 15,
                 pic="S9(11)V99", usage="COMP-3", value="ZERO"),
            item("PAYROLL", 8, "OUT-REC", 1, None, "WORKING-STORAGE", 0, 7, 16),
            item("PAYROLL", 9, "OUT-NET", 5, "OUT-REC", "WORKING-STORAGE", 0, 7, 17,
                 pic="S9(11)V99", usage="COMP-3"),
        ],
        "conditions_88": [
            {"program": "PAYROLL", "item": "EMP-STATUS", "name": "EMP-ACTIVE", "values": "'A'",
             "file": "copy/EMPREC.cpy", "line": 7},
            {"program": "PAYROLL", "item": "EMP-STATUS", "name": "EMP-GONE", "values": "'X' 'Y'",
             "file": "copy/EMPREC.cpy", "line": 8},
        ],
        "cfg_edges": [
            {"program": "PAYROLL", "src": "PAYROLL:(START)", "dst": "PAYROLL:MAIN",
             "kind": "entry"},
            {"program": "PAYROLL", "src": "PAYROLL:MAIN", "dst": "PAYROLL:CALC",
             "kind": "perform", "file": P, "line": 22},
            {"program": "PAYROLL", "src": "PAYROLL:CALC", "dst": "PAYROLL:MAIN",
             "kind": "return"},
            {"program": "PAYROLL", "src": "PAYROLL:MAIN", "dst": "PAYROLL:(END)",
             "kind": "exit", "file": P, "line": 26},
        ],
        "dataflow": [
            flow(20, "EMP-FILE", "use"), flow(20, "PAY-OUT", "use"),
            flow(21, "EMP-FILE", "use"), flow(21, "EMP-REC", "def"),
            flow(21, "EMP-SALARY OF EMP-REC", "def"),
            flow(28, "EMP-SALARY OF EMP-REC", "use"), flow(28, "WS-GROSS", "def"),
            flow(29, "WS-GROSS", "use"), flow(29, "WS-TAX", "use"), flow(29, "WS-NET", "def"),
            flow(30, "WS-NET", "use"), flow(30, "OUT-NET OF OUT-REC", "def"),
            flow(25, "OUT-NET OF OUT-REC", "use"), flow(25, "WS-OUT-FS OF WS-STATUSES", "def"),
        ],
        "calls": [
            {"caller": "PAYROLL", "callee": "CALCTAX", "kind": "CALL", "dynamic": False,
             "file": P, "line": 23},
            {"caller": "PAYROLL", "callee": None, "kind": "CALL", "dynamic": True,
             "via_item": "WS-PGM", "file": P, "line": 24},
        ],
        "program_files": [
            {"program": "PAYROLL", "file_name": "EMP-FILE", "assign": "UT-S-EMPIN",
             "organization": "SEQUENTIAL", "access": "SEQUENTIAL", "file_status": "WS-FS",
             "file": P, "line": 8},
            {"program": "PAYROLL", "file_name": "PAY-OUT", "assign": "PAYOUT",
             "organization": "SEQUENTIAL", "file_status": "WS-OUT-FS", "file": P, "line": 9},
        ],
        "rules": [
            {"id": "a1", "name": "PAYROLL.R001", "program": "PAYROLL",
             "paragraph": "PAYROLL:CALC", "kind": "decision",
             "condition": "EMP-SALARY > 100000",
             "actions": json.dumps(["MOVE 'H' TO TAX-BAND", "ADD 1 TO HIGH-COUNT"]),
             "file": P, "line": 28, "end_line": 29},
            {"id": "a2", "name": "PAYROLL.R002", "program": "PAYROLL",
             "paragraph": "PAYROLL:MAIN", "kind": "io", "condition": None,
             "actions": "WRITE OUT-REC", "file": P, "line": 25, "end_line": 25},
        ],
        "rule_inputs": [{"rule": "a1", "item": "EMP-SALARY"}, {"rule": "a2", "item": "WS-NET"}],
        "rule_outputs": [{"rule": "a1", "item": "TAX-BAND"},
                         {"rule": "a2", "item": "file:PAY-OUT"}],
        "descriptions": [
            {"rule": "a1", "backend": "offline", "text": "Salaries above 100000 are band H.",
             "grounded": True, "problems": "[]"},
            {"rule": "a1", "backend": "openai", "model": "m1", "text": "Invented prose.",
             "grounded": False, "problems": '["TAX-RATE"]'},
            {"rule": "PAYROLL", "backend": "offline", "text": "Pays every employee.",
             "grounded": True},
        ],
        "glossary": [
            {"program": "PAYROLL", "term": "EMP-SALARY", "meaning": "employee salary",
             "source": "name", "file": "copy/EMPREC.cpy", "line": 5},
        ],
        "diagnostics": [
            {"stage": "parse", "severity": "error", "code": "PAR001",
             "message": "unknown statement FROB", "file": P, "line": 33, "column": 12},
        ],
    }


def calctax_rows() -> dict[str, list[dict[str, object]]]:
    return {
        "programs": [{"program": "CALCTAX", "file": C, "line": 1, "end_line": 30}],
        "paragraphs": [{"program": "CALCTAX", "id": "CALCTAX:MAIN", "name": "MAIN", "file": C,
                        "line": 10, "end_line": 14}],
        "statements": [st("CALCTAX", "MAIN", 11, "EXEC SQL", C),
                       st("CALCTAX", "MAIN", 14, "GOBACK", C)],
        "data_items": [
            item("CALCTAX", 0, "TAX-PARMS", 1, None, "LINKAGE", 0, 14, 7, C),
            item("CALCTAX", 1, "TP-GROSS", 5, "TAX-PARMS", "LINKAGE", 0, 7, 8, C,
                 pic="S9(11)V99", usage="COMP-3"),
        ],
        "sql_accesses": [
            {"program": "CALCTAX", "table": "TAX_RATES", "operation": "SELECT", "file": C,
             "line": 11},
            {"program": "CALCTAX", "table": "TAX_AUDIT", "operation": "INSERT", "file": C,
             "line": 12},
        ],
    }


def paymenu_rows() -> dict[str, list[dict[str, object]]]:
    return {
        "programs": [{"program": "PAYMENU", "file": M, "line": 1, "end_line": 50}],
        "data_items": [item("PAYMENU", 0, "DFHCOMMAREA", 1, None, "LINKAGE", 0, 100, 20, M,
                            pic="X(100)")],
        "cics_commands": [
            {"program": "PAYMENU", "command": "RECEIVE MAP", "target": "PAYM1",
             "options": "MAP('PAYM1') MAPSET('PAYMS') INTO(PAYM1I)", "file": M, "line": 30},
            {"program": "PAYMENU", "command": "SEND MAP", "target": "PAYM1",
             "options": "MAP('PAYM1') MAPSET('PAYMS') ERASE", "file": M, "line": 35},
            {"program": "PAYMENU", "command": "LINK", "target": "CALCTAX",
             "options": "PROGRAM('CALCTAX') COMMAREA(WS-TAX)", "file": M, "line": 38},
        ],
        "calls": [
            {"caller": "PAYMENU", "callee": "CALCTAX", "kind": "LINK", "dynamic": False,
             "file": M, "line": 38},
            {"caller": "PAYMENU", "callee": "GONEPGM", "kind": "XCTL", "dynamic": False,
             "file": M, "line": 40},
            {"caller": "PAYMENU", "callee": "PAYM", "kind": "RETURN TRANSID", "dynamic": False,
             "file": M, "line": 45},
        ],
    }


def make_store(path: Path | str = ":memory:", *, run: bool = True,
               root: str | None = None) -> Store:
    """Fill a store with PAYSYS; returns it open (the caller closes it)."""
    store = Store.open(path)
    with store.transaction():
        loader = MemberLoader(store, run_id=1)
        loader.replace(member(P, "program"), payroll_rows())
        loader.replace(member(C, "program"), calctax_rows())
        loader.replace(member(M, "program"), paymenu_rows())
        loader.replace(member("copy/EMPREC.cpy", "copybook"), {})
        loader.replace(member("jcl/PAYJOB.jcl", "jcl"), {
            "jcl_jobs": [{"job": "PAYJOB", "file": "jcl/PAYJOB.jcl", "line": 1}],
            "jcl_steps": [
                {"job": "PAYJOB", "step": "PAY", "seq": 1, "program": "PAYROLL",
                 "file": "jcl/PAYJOB.jcl", "line": 5},
                {"job": "PAYJOB", "step": "RPT", "seq": 2, "proc": "RPTPRC", "proc_step": "PRT",
                 "program": "IEBGENER", "file": "proc/RPTPRC.prc", "line": 3},
            ],
            "jcl_dds": [
                {"job": "PAYJOB", "step": "PAY", "dd": "EMPIN", "dataset": "PAY.EMP.MASTER",
                 "disp": "SHR", "file": "jcl/PAYJOB.jcl", "line": 6},
                {"job": "PAYJOB", "step": "PAY", "dd": "PAYOUT", "dataset": "PAY.OUT(+1)",
                 "disp": "(NEW,CATLG,DELETE)", "file": "jcl/PAYJOB.jcl", "line": 7},
                {"job": "PAYJOB", "step": "RPT.PRT", "dd": "SYSUT1", "dataset": "PAY.OUT(+1)",
                 "disp": "SHR", "file": "jcl/PAYJOB.jcl", "line": 10},
            ],
            "datasets": [
                {"dataset": "PAY.EMP.MASTER", "kind": "vsam", "file": "jcl/PAYJOB.jcl",
                 "line": 6},
                {"dataset": "PAY.OUT", "kind": "gdg", "file": "jcl/PAYJOB.jcl", "line": 7},
            ],
        })
        loader.replace(member("csd/PAY.csd", "other"), {
            "transactions": [{"transid": "PAYM", "program": "PAYMENU", "group": "PAYGRP",
                              "file": "csd/PAY.csd", "line": 3}],
        })
        loader.replace(member("bms/PAYMS.bms", "bms"), {
            "screen_fields": [
                {"mapset": "PAYMS", "map": "PAYM1", "field": None, "row": 1, "column": 1,
                 "length": 9, "attributes": "ASKIP", "initial": "PAY MENU", "file": "bms/PAYMS.bms",
                 "line": 4},
                {"mapset": "PAYMS", "map": "PAYM1", "field": "EMPNO", "row": 3, "column": 10,
                 "length": 6, "attributes": "UNPROT,NUM", "file": "bms/PAYMS.bms", "line": 6},
                {"mapset": "OTHER", "map": "PAYM1", "field": "NOTME", "row": 3, "column": 10,
                 "length": 6, "file": "bms/OTHER.bms", "line": 6},
            ],
        })
        loader.flush()
        if run:
            store.insert("runs", [{
                "run_id": 1, "started_at": "2024-01-01 00:00:00",
                "finished_at": "2024-01-01 00:00:01", "cobolspec_version": "0",
                "schema_version": 1, "roots": json.dumps([root or "dump"]), "options": "{}",
                "members_total": 6, "members_analysed": 6, "members_unchanged": 0,
                "members_removed": 0, "errors": 1, "warnings": 0, "infos": 0,
            }])
    return store


@pytest.fixture
def store() -> Any:
    s = make_store()
    yield s
    s.close()


def by_name(specs: list[ProgramSpec]) -> dict[str, ProgramSpec]:
    return {s.program: s for s in specs}


# -- program specs --------------------------------------------------------------------------------


def test_program_spec_of_a_batch_program(store: Store) -> None:
    spec = program_spec(store, "PAYROLL")
    assert (spec.program, spec.member, spec.file, spec.line) == ("PAYROLL", P, P, 1)
    assert spec.summary == "Pays every employee."
    files = {f.name: f for f in spec.interfaces.files}
    emp = files["EMP-FILE"]
    assert (emp.assign, emp.dd, emp.file_status) == ("UT-S-EMPIN", "EMPIN", "WS-FS")
    assert emp.operations == ["OPEN", "READ"]
    assert [(d.job, d.step, d.dataset, d.disp) for d in emp.datasets] == [
        ("PAYJOB", "PAY", "PAY.EMP.MASTER", "SHR")
    ]
    assert files["PAY-OUT"].operations == ["OPEN", "WRITE"]  # WRITE: through its FILE STATUS
    assert [d.dataset for d in files["PAY-OUT"].datasets] == ["PAY.OUT(+1)"]
    assert emp.open_modes == [] and emp.record is None
    out = spec.interfaces.calls_out
    assert [(c.callee, c.kind, c.dynamic, c.via_item) for c in out] == [
        ("CALCTAX", "CALL", False, None), (None, "CALL", True, "WS-PGM"),
    ]
    assert spec.interfaces.calls_in == []
    assert [(j.job, j.step) for j in spec.interfaces.jobs] == [("PAYJOB", "PAY")]
    assert [c.name for c in spec.copybooks] == ["EMPREC"]
    assert [d.code for d in spec.diagnostics] == ["PAR001"]
    assert [g.term for g in spec.glossary] == ["EMP-SALARY"]


def test_paragraphs_statements_and_the_control_flow_diagram(store: Store) -> None:
    spec = program_spec(store, "PAYROLL")
    assert [(p.name, p.reachable, p.statements) for p in spec.paragraphs] == [
        ("MAIN", True, 6), ("CALC", True, 3), ("DEAD", False, 1),
    ]
    assert spec.statements.total == 10 and spec.statements.unparsed == 1
    assert spec.statements.by_verb["MOVE"] == 2
    assert list(spec.statements.by_verb) == sorted(spec.statements.by_verb)
    cfg = spec.diagrams.control_flow
    assert cfg is not None
    assert [(n.label, n.kind) for n in cfg.nodes] == [
        ("START", "start"), ("MAIN", "paragraph"), ("CALC", "paragraph"),
        ("DEAD", "unreachable"), ("END", "end"),
    ]
    assert cfg.mermaid.startswith("flowchart TD\n")
    assert '    n1 -->|"perform"| n2\n' in cfg.mermaid
    assert '    n2 -.->|"return"| n1\n' in cfg.mermaid
    assert "class n3 k_unreachable" in cfg.mermaid


def test_data_dictionary_layout_nesting_and_88_levels(store: Store) -> None:
    spec = program_spec(store, "PAYROLL")
    records = {r.name: r for r in spec.data}
    assert list(records) == ["EMP-REC", "WS-GROSS", "WS-NET", "OUT-REC"]
    emp = records["EMP-REC"]
    assert (emp.section, emp.size, emp.file, emp.line) == ("FILE", 20, "copy/EMPREC.cpy", 3)
    assert [(i.name, i.depth) for i in emp.items] == [
        ("EMP-REC", 0), ("EMP-ID", 1), ("EMP-SALARY", 1), ("EMP-STATUS", 1), ("EMP-HIST", 1),
        ("EMP-MONTH", 2),
    ]
    status = emp.items[3]
    assert [(c.name, c.values) for c in status.conditions] == [
        ("EMP-ACTIVE", "'A'"), ("EMP-GONE", "'X' 'Y'"),
    ]
    month = emp.items[5]
    assert (month.occurs, month.occurs_min, month.depending_on) == (6, 1, "EMP-COUNT")
    assert records["WS-NET"].items[0].value == "ZERO"


def test_rules_with_inputs_outputs_and_only_grounded_descriptions(store: Store) -> None:
    rules = program_spec(store, "PAYROLL").rules
    assert [r.name for r in rules] == ["PAYROLL.R001", "PAYROLL.R002"]
    first, second = rules
    assert first.actions == ["MOVE 'H' TO TAX-BAND", "ADD 1 TO HIGH-COUNT"]
    assert (first.inputs, first.outputs) == (["EMP-SALARY"], ["TAX-BAND"])
    assert first.description == "Salaries above 100000 are band H."
    assert first.description_source == "offline"
    assert second.actions == ["WRITE OUT-REC"] and second.description is None
    assert first.reaching == [] and first.decision_table is None


def test_reaching_conditions_and_decision_tables_are_read_when_stored() -> None:
    with make_store() as s:
        # the columns proposed for rules (a later migration): JSON in VARCHAR
        s.con.execute("ALTER TABLE rules ADD COLUMN IF NOT EXISTS reaching VARCHAR")
        s.con.execute("ALTER TABLE rules ADD COLUMN IF NOT EXISTS decision_table VARCHAR")
        table = {"condition_columns": ["EMP-STATUS", "EMP-SALARY > 100000"],
                 "rows": [{"conditions": ["'A'", "Y"], "actions": ["MOVE 'H' TO TAX-BAND"]},
                          {"conditions": ["OTHER", "-"], "actions": []}]}
        s.con.execute("UPDATE rules SET reaching = ?, decision_table = ? WHERE id = 'a1'",
                      [json.dumps(["EMP-ACTIVE (EMP-STATUS = 'A')"]), json.dumps(table)])
        rule = program_spec(s, "PAYROLL").rules[0]
        assert rule.reaching == ["EMP-ACTIVE (EMP-STATUS = 'A')"]
        assert rule.decision_table is not None
        assert rule.decision_table.model_dump() == table
        s.con.execute("UPDATE rules SET decision_table = '{\"rows\": 3}' WHERE id = 'a1'")
        with pytest.raises(StoreError, match=r"PAYROLL\.R001 is not a decision table"):
            program_spec(s, "PAYROLL")


def test_a_cics_program_screens_commarea_calls_and_transactions(store: Store) -> None:
    spec = program_spec(store, "PAYMENU")
    (screen,) = spec.interfaces.screens
    assert (screen.map, screen.mapset, screen.sent, screen.received) == (
        "PAYM1", "PAYMS", True, True)
    assert [(w.file, w.line) for w in screen.locations] == [(M, 30), (M, 35)]
    assert [f.name for f in screen.fields] == [None, "EMPNO"]  # not the other mapset's field
    assert [(r.name, r.commarea, r.size) for r in spec.interfaces.linkage] == [
        ("DFHCOMMAREA", True, 100)]
    assert [c.command for c in spec.interfaces.cics_commands] == [
        "RECEIVE MAP", "SEND MAP", "LINK"]
    assert [t.transid for t in spec.interfaces.transactions] == ["PAYM"]
    calls = spec.diagrams.calls
    assert calls is not None
    assert [(n.id, n.kind) for n in calls.nodes] == [
        ("PAYMENU", "focus"), ("GONEPGM", "missing"), ("CALCTAX", "program"),
        ("transaction:PAYM", "transaction"),
    ]


def test_a_called_program_tables_and_callers(store: Store) -> None:
    spec = program_spec(store, "calctax")
    assert spec.program == "CALCTAX"
    assert [(c.caller, c.kind) for c in spec.interfaces.calls_in] == [
        ("PAYMENU", "LINK"), ("PAYROLL", "CALL")]
    assert [(t.table, t.operations) for t in spec.interfaces.tables] == [
        ("TAX_AUDIT", ["INSERT"]), ("TAX_RATES", ["SELECT"])]
    assert spec.diagrams.control_flow is None  # no cfg_edges stored for it
    assert spec.summary is None and spec.rules == []


def test_program_specs_equal_one_by_one_specs(store: Store) -> None:
    every = list(program_specs(store))
    assert [s.program for s in every] == ["CALCTAX", "PAYMENU", "PAYROLL"]
    for spec in every:
        assert program_spec(store, spec.program) == spec


def test_unknown_and_ambiguous_programs(store: Store) -> None:
    with pytest.raises(StoreError, match="no program NOPE in the store"):
        program_spec(store, "NOPE")
    store.insert("programs", [{"program": "PAYROLL", "file": "old/PAYROLL.cbl", "line": 1}],
                 defaults={"run_id": 1, "member": "old/PAYROLL.cbl"})
    with pytest.raises(StoreError, match="defined in several members"):
        program_spec(store, "PAYROLL")
    assert program_spec(store, "PAYROLL", member=P).member == P
    assert program_spec(store, "PAYROLL", member="old/PAYROLL.cbl").rules == []


def test_an_empty_store_gives_empty_specs() -> None:
    with Store.open() as s:
        assert list(program_specs(s)) == []
        spec = system_spec(s)
        assert spec.programs == [] and spec.jobs == [] and spec.diagrams.calls is None
        s.insert("programs", [{"program": "LONE"}], defaults={"run_id": 1, "member": "L.cbl"})
        lone = program_spec(s, "LONE")
        assert lone.paragraphs == [] and lone.data == [] and lone.diagrams.calls is None


# -- the system spec ------------------------------------------------------------------------------


def test_system_spec(store: Store) -> None:
    spec = system_spec(store)
    assert [(k.kind, k.members) for k in spec.kinds] == [
        ("program", 3), ("copybook", 1), ("jcl", 1), ("bms", 1), ("other", 1)]
    summary = {p.program: p for p in spec.programs}
    pay = summary["PAYROLL"]
    assert (pay.page, pay.paragraphs, pay.statements, pay.unparsed, pay.rules) == (
        "PAYROLL", 3, 10, 1, 2)
    assert (pay.calls_out, pay.calls_in, pay.summary) == (2, 0, "Pays every employee.")
    assert summary["CALCTAX"].calls_in == 2
    (job,) = spec.jobs
    assert [(s.step, s.program, [d.dd for d in s.dds]) for s in job.steps] == [
        ("PAY", "PAYROLL", ["EMPIN", "PAYOUT"]), ("RPT", "IEBGENER", ["SYSUT1"])]
    assert job.diagram is not None
    assert '-->|"PAYOUT (NEW,CATLG,DELETE)"|' in job.diagram.mermaid
    datasets = {d.dataset: d for d in spec.datasets}
    assert list(datasets) == ["PAY.EMP.MASTER", "PAY.OUT"]
    assert [(u.job, u.step, u.dsn, u.program) for u in datasets["PAY.OUT"].uses] == [
        ("PAYJOB", "PAY", "PAY.OUT(+1)", "PAYROLL"), ("PAYJOB", "RPT.PRT", "PAY.OUT(+1)",
                                                    "IEBGENER")]
    assert datasets["PAY.OUT"].kind == "gdg"
    (tran,) = spec.transactions
    assert (tran.transid, tran.program, tran.group) == ("PAYM", "PAYMENU", "PAYGRP")
    assert [(c.caller, c.kind, c.callee) for c in tran.reaches] == [
        ("PAYMENU", "LINK", "CALCTAX"), ("PAYMENU", "XCTL", "GONEPGM")]
    assert tran.next_transids == ["PAYM"]
    assert [(t.table, [(u.program, u.operations) for u in t.programs])
            for t in spec.sql_tables] == [
        ("TAX_AUDIT", [("CALCTAX", ["INSERT"])]), ("TAX_RATES", [("CALCTAX", ["SELECT"])])]
    assert [(c.name, c.used_by) for c in spec.copybooks] == [("EMPREC", [P])]
    assert spec.diagnostics_by_severity == {"error": 1, "warning": 0, "info": 0}
    assert [(c.code, c.count) for c in spec.diagnostics_by_code] == [("PAR001", 1)]
    graph = spec.diagrams.calls
    assert graph is not None
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds["transaction:PAYM"] == "transaction" and kinds["GONEPGM"] == "missing"
    assert any(n.kind == "dynamic" for n in graph.nodes)
    assert {(e.src, e.dst, e.kind) for e in graph.edges} >= {
        ("transaction:PAYM", "PAYMENU", "runs"), ("PAYMENU", "transaction:PAYM", "RETURN TRANSID"),
        ("PAYROLL", "CALCTAX", "CALL")}


def test_specs_are_deterministic(tmp_path: Path) -> None:
    with make_store(tmp_path / "a.duckdb") as a, make_store(tmp_path / "b.duckdb") as b:
        assert system_spec(a).model_dump_json() == system_spec(b).model_dump_json()
        assert [s.model_dump_json() for s in program_specs(a)] == [
            s.model_dump_json() for s in program_specs(b)]


def test_models_are_frozen_and_refuse_unknown_fields(store: Store) -> None:
    from pydantic import ValidationError

    spec = program_spec(store, "PAYROLL")
    with pytest.raises(ValidationError):
        spec.program = "X"  # type: ignore[misc]
    data = spec.model_dump()
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        ProgramSpec.model_validate(data)
    data.pop("surprise")
    data["schema_version"] = 2
    with pytest.raises(ValidationError):
        ProgramSpec.model_validate(data)
    assert ProgramSpec.model_validate_json(spec.model_dump_json()) == spec


# -- helpers and the committed JSON Schema ---------------------------------------------------------


def test_dd_names_and_page_names() -> None:
    assert [dd_name(a) for a in ("X", "UT-S-X", "DA-X", "'x.dat'", None, "AB-CD")] == [
        "X", "X", "X", None, None, "AB-CD"]
    pages = page_names([("b", "P"), ("a", "P"), ("c", "p"), ("d", "A.B")])
    assert pages == {("a", "P"): "P", ("b", "P"): "P@2", ("c", "p"): "p@3", ("d", "A.B"): "A_B"}


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_the_committed_json_schemas_are_the_models(name: str) -> None:
    committed = (DOCS / name).read_text("utf-8")
    assert committed == schema_text(SCHEMA_FILES[name]), (
        f"docs/{name} is stale: run `python -m cobolspec.spec.schema docs`")


def test_docstring_examples_run() -> None:
    import doctest

    import cobolspec.spec
    import cobolspec.spec.assemble
    import cobolspec.spec.diagrams
    import cobolspec.spec.queries
    import cobolspec.spec.reader
    import cobolspec.spec.system

    for module in (cobolspec.spec, cobolspec.spec.assemble, cobolspec.spec.diagrams,
                   cobolspec.spec.queries, cobolspec.spec.reader, cobolspec.spec.system):
        failures, tried = doctest.testmod(module)
        assert tried and not failures, module.__name__


def test_a_step_running_a_program_under_a_tso_monitor_counts_as_running_it() -> None:
    from cobolspec.spec.queries import impact

    with make_store() as s:
        s.con.execute("ALTER TABLE jcl_steps ADD COLUMN IF NOT EXISTS runs_program VARCHAR")
        s.insert("jcl_steps", [{"job": "TAXJOB", "step": "DB2", "seq": 1, "program": "IKJEFT01",
                                "runs_program": "CALCTAX", "file": "jcl/TAXJOB.jcl", "line": 4}],
                 defaults={"run_id": 1, "member": "jcl/TAXJOB.jcl"})
        spec = program_spec(s, "CALCTAX")
        assert [(j.job, j.step) for j in spec.interfaces.jobs] == [("TAXJOB", "DB2")]
        found = {(e.kind, e.name): e.reason for e in impact(s, "CALCTAX").entries}
        assert found[("job", "TAXJOB")] == "step DB2 runs CALCTAX"


def test_jobs_of_the_same_name_in_two_members_stay_apart() -> None:
    with make_store() as s:
        s.insert("jcl_jobs", [{"job": "PAYJOB", "file": "old/PAYJOB.jcl", "line": 1}],
                 defaults={"run_id": 1, "member": "old/PAYJOB.jcl"})
        s.insert("jcl_steps", [{"job": "PAYJOB", "step": "PAY", "seq": 1, "program": "OLDPAY",
                                "file": "old/PAYJOB.jcl", "line": 3}],
                 defaults={"run_id": 1, "member": "old/PAYJOB.jcl"})
        s.insert("jcl_dds", [{"job": "PAYJOB", "step": "PAY", "dd": "EMPIN", "dataset": "OLD.EMP",
                              "file": "old/PAYJOB.jcl", "line": 4}],
                 defaults={"run_id": 1, "member": "old/PAYJOB.jcl"})
        jobs = system_spec(s).jobs
        assert [(j.member, [(st.program, [d.dataset for d in st.dds]) for st in j.steps])
                for j in jobs] == [
            ("jcl/PAYJOB.jcl", [("PAYROLL", ["PAY.EMP.MASTER", "PAY.OUT(+1)"]),
                                ("IEBGENER", ["PAY.OUT(+1)"])]),
            ("old/PAYJOB.jcl", [("OLDPAY", ["OLD.EMP"])]),
        ]
        emp = program_spec(s, "PAYROLL").interfaces.files[0]
        assert [d.dataset for d in emp.datasets] == ["PAY.EMP.MASTER"]
