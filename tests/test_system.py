"""The sample dump's system graph equals the hand-known answer in
tests/fixtures/samples_expected.json: every CALL, LINK and XCTL, every job step and the program
it runs, every DD with its dataset and DISP, every transaction. Built end to end: ``analyze``
into a store, then ``system_graph``."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from cobolspec.analysis.system import system_graph
from cobolspec.pipeline import analyze
from cobolspec.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "tests/fixtures/samples_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("system") / "store.duckdb"
    result = analyze([ROOT / "samples"], db=db, out=None, jobs=1)
    assert result.exit_code == 0
    with Store.open(db, read_only=True) as store:
        return system_graph(store)


def _edges(g: Any, kind: str) -> set[tuple[str, str]]:
    return {(a, b) for a, b, d in g.edges(data=True) if d["kind"] == kind}


def test_calls_links_and_xctls_are_exactly_the_known_ones(graph: Any) -> None:
    got = {
        (a.split(":", 1)[1], b.split(":", 1)[1], d["kind"])
        for a, b, d in graph.edges(data=True)
        if d["kind"] in ("CALL", "LINK", "XCTL")
    }
    want = {(c["caller"], c["callee"], c["kind"]) for c in EXPECTED["call_graph"]}
    assert got == want


def test_a_dynamic_call_is_resolved_through_the_values_of_its_data_item(graph: Any) -> None:
    dynamic = [
        (a, b) for a, b, d in graph.edges(data=True) if d["kind"] == "CALL" and d["dynamic"]
    ]
    assert ("program:INTCALC", "program:DATEUTIL") in dynamic


def _expected_steps() -> dict[str, list[tuple[str, str | None]]]:
    out: dict[str, list[tuple[str, str | None]]] = {}
    for job in EXPECTED["jobs"]:
        steps = out.setdefault(job["job"], [])
        for st in job["steps"]:
            if st.get("proc"):
                for ps in st["proc_steps"]:
                    steps.append((f"{st['step']}.{ps['step']}", ps["pgm"]))
            else:
                steps.append((st["step"], st["pgm"]))
    return out


def test_every_job_step_runs_the_known_program(graph: Any) -> None:
    runs = {(a, b.split(":", 1)[1]) for a, b in _edges(graph, "runs")}
    want = set()
    for job in EXPECTED["jobs"]:
        for st in job["steps"]:
            for ps in st["proc_steps"] if st.get("proc") else [st]:
                sid = f"step:{job['job']}." + (
                    f"{st['step']}.{ps['step']}" if st.get("proc") else st["step"]
                )
                assert sid in graph, sid
                want.add((sid, ps["pgm"]))
                if ps.get("runs_program"):  # a DB2 program run under IKJEFT01
                    want.add((sid, ps["runs_program"]))
    assert runs == want


def test_steps_follow_each_other_in_job_order(graph: Any) -> None:
    nxt = _edges(graph, "next")
    for job, steps in _expected_steps().items():
        ids = [f"step:{job}.{s}" for s, _ in steps]
        assert (f"job:{job}", ids[0]) in nxt
        for a, b in itertools.pairwise(ids):
            assert (a, b) in nxt


def _expected_dds() -> set[tuple[str, str, str, str | None]]:
    out = set()
    for job in EXPECTED["jobs"]:
        for st in job["steps"]:
            parts = (
                [(f"{st['step']}.{ps['step']}", ps["dds"]) for ps in st["proc_steps"]]
                if st.get("proc")
                else [(st["step"], st.get("dds", []))]
            )
            for step, dds in parts:
                for dd in dds:
                    for part in [dd, *dd.get("concatenation", [])]:
                        dataset = part.get("dsn") or part.get("path")
                        if dataset:
                            out.add((f"{job['job']}.{step}", dd["ddname"], dataset,
                                     part.get("disp")))
    return out


def test_every_dd_names_the_known_dataset_and_disposition(graph: Any) -> None:
    got = set()
    for a, b, d in graph.edges(data=True):
        if d["kind"] != "dd":
            continue
        step, dataset = (a, b) if a.startswith("step:") else (b, a)
        got.add((step.split(":", 1)[1], d["dd"], dataset.split(":", 1)[1], d["disp"]))
    assert got == _expected_dds()


def test_transactions_start_the_known_programs(graph: Any) -> None:
    got = {(a.split(":", 1)[1], b.split(":", 1)[1]) for a, b in _edges(graph, "starts")}
    want = {(t["transid"], t["program"]) for t in EXPECTED["transactions"]}
    assert got == want


def test_sql_tables_and_operations_are_the_known_ones(graph: Any) -> None:
    got = {(a.split(":", 1)[1], b.split(":", 1)[1], d["operation"])
           for a, b, d in graph.edges(data=True) if d["kind"] == "sql"}
    assert got == {
        ("CUSTUPD", "CUSTOMER", "read"),
        ("CUSTUPD", "CUSTOMER", "update"),
        ("CUSTUPD", "CUST_AUDIT", "insert"),
        ("CUSTUPD", "CUST_AUDIT", "delete"),
    }


def test_copybook_inclusion_matches_every_program(graph: Any) -> None:
    got = {(a.split(":", 1)[1], b.split(":", 1)[1]) for a, b in _edges(graph, "copies")}
    want = {
        (p["program_id"], c["name"])
        for p in EXPECTED["programs"]
        for c in p["copybooks"]
        if c["in_dump"]
    }
    assert got == want
