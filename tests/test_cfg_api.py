"""The contract of cobolspec.analysis.cfg: attributes, IDs, store rows and the exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from cobolspec.analysis.cfg import (
    NODE_ATTRIBUTES,
    PARAGRAPH_EDGE_ATTRIBUTES,
    PARAGRAPH_EDGE_KINDS,
    STATEMENT_EDGE_KINDS,
    STATEMENT_NODE_ATTRIBUTES,
    analyze_control,
    cfg_document,
    cfg_dot,
    cfg_mermaid,
    paragraph_cfg,
    program_flow,
    statement_cfg,
    store_rows,
)
from cobolspec.model import ast as A
from cobolspec.parse import parse_file
from cobolspec.parse.facts import paragraph_ids, statement_id, walk_statements
from cobolspec.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cfg"
SAMPLES = ROOT / "samples" / "COBOL"
COPYLIB = ROOT / "samples" / "COPYLIB"
SOURCES = sorted(FIXTURES.glob("*.cbl")) + sorted(SAMPLES.iterdir())


def _programs(path: Path) -> list[A.Program]:
    return [p for p in parse_file(path, [COPYLIB]).all_programs()]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_only_documented_attributes_and_kinds(path: Path) -> None:
    for program in _programs(path):
        g = paragraph_cfg(program)
        for _, d in g.nodes(data=True):
            assert set(d) == NODE_ATTRIBUTES
            assert d["kind"] in ("paragraph", "start", "end")
            assert isinstance(d["reachable"], bool) and isinstance(d["complexity"], int)
        for _, _, d in g.edges(data=True):
            assert set(d) == PARAGRAPH_EDGE_ATTRIBUTES
            assert d["kind"] in PARAGRAPH_EDGE_KINDS
            assert (d["statement"] is None) == (d["line"] is None)
        s = statement_cfg(program)
        for _, d in s.nodes(data=True):
            assert set(d) == STATEMENT_NODE_ATTRIBUTES
        for _, _, d in s.edges(data=True):
            assert d["kind"] in STATEMENT_EDGE_KINDS
            allowed = {"kind", "phrase"} if d["kind"] in ("phrase", "not-phrase") else {"kind"}
            assert set(d) == allowed


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_node_ids_are_the_parse_ids(path: Path) -> None:
    for program in _programs(path):
        if program.procedure is None:
            continue
        g = paragraph_cfg(program)
        pids = set(paragraph_ids(program).values())
        assert set(g.nodes) == pids | {f"{program.name}:(START)", f"{program.name}:(END)"}
        s = statement_cfg(program)
        sids = {statement_id(st) for para in program.procedure.paragraphs
                for st in walk_statements(para.statements)}
        assert sids <= set(s.nodes)
        for sid, d in s.nodes(data=True):
            if d["stmt"] is not None:
                assert d["paragraph"] in pids
                assert sid.split("#")[0] == statement_id(d["stmt"])


def test_statements_in_unreachable_paragraphs_are_unreachable() -> None:
    (program,) = _programs(FIXTURES / "fallthrough.cbl")
    facts = analyze_control(program)
    g = paragraph_cfg(program)
    s = statement_cfg(program)
    dead = {n for n, d in g.nodes(data=True) if d["kind"] == "paragraph" and not d["reachable"]}
    assert dead == set(facts.unreachable_paragraphs) == {"FALLS:NEVER", "FALLS:AFTER-STOP"}
    in_dead = {n for n, d in s.nodes(data=True) if d["paragraph"] in dead}
    assert in_dead <= set(facts.unreachable_statements)


def test_a_nested_program_is_a_graph_of_its_own() -> None:
    outer, inner = _programs(FIXTURES / "nested.cbl")
    g = paragraph_cfg(outer)
    assert all(n.startswith("OUTER:") for n in g.nodes)
    assert {d["kind"] for _, _, d in g.edges(data=True)} == {"entry", "exit"}
    assert all(n.startswith("INNER:") for n in paragraph_cfg(inner).nodes)


def test_a_program_without_procedure_division(tmp_path: Path) -> None:
    source = tmp_path / "noproc.cbl"
    source.write_text("       IDENTIFICATION DIVISION.\n       PROGRAM-ID. NOPROC.\n"
                      "       DATA DIVISION.\n       WORKING-STORAGE SECTION.\n"
                      "       01 X PIC X.\n")
    (program,) = _programs(source)
    g = paragraph_cfg(program)
    assert list(g.edges(data="kind")) == [("NOPROC:(START)", "NOPROC:(END)", "entry")]
    facts = analyze_control(program)
    assert facts.program_complexity == 1 and facts.unreachable_paragraphs == []


def test_store_rows_fit_the_table() -> None:
    (program,) = _programs(SAMPLES / "REJRPT.CBL")
    rows = store_rows(program)
    g = paragraph_cfg(program)
    assert len(rows["cfg_edges"]) == g.number_of_edges()
    assert rows["reachable"] == {n: d["reachable"] for n, d in g.nodes(data=True)
                                 if d["kind"] == "paragraph"}
    with Store.open() as store:
        store.insert("cfg_edges", rows["cfg_edges"], defaults={"run_id": 1, "member": "REJRPT"})
        got = store.rows("cfg_edges", order_by=["src", "dst", "kind"])
    assert len(got) == len(rows["cfg_edges"])
    assert {(r["src"], r["dst"], r["kind"]) for r in got} == {
        (s, t, d["kind"]) for s, t, d in g.edges(data=True)}
    goto = [r for r in got if r["kind"] == "goto" and r["src"] == "REJRPT:3000-LIST-REJECT"]
    assert {r["line"] for r in goto} == {215, 221}  # GO TO ... DEPENDING, GO TO 3500-PRINT-LINE
    assert all(r["file"].endswith("REJRPT.CBL") for r in goto)


def test_json_document_is_json_and_matches_the_graph() -> None:
    (program,) = _programs(FIXTURES / "unreachable.cbl")
    doc = json.loads(json.dumps(cfg_document(program)))
    pf = program_flow(program)
    assert [n["id"] for n in doc["nodes"]] == list(pf.paragraphs.nodes)
    assert len(doc["edges"]) == pf.paragraphs.number_of_edges()
    assert doc["unreachable_paragraphs"] == ["DEADCODE:ONLY-FALLEN-INTO"]
    assert doc["statements"]["nodes"] == len([n for n, d in pf.statements.nodes(data=True)
                                               if d["stmt"] is not None])


def test_mermaid_ids_are_safe_unique_and_stable() -> None:
    programs = _programs(FIXTURES / "nested.cbl")  # OUTER and INNER, nested in it
    text = cfg_mermaid(programs)
    assert text == cfg_mermaid(programs[:1])
    assert text == cfg_mermaid(_programs(FIXTURES / "nested.cbl"))
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes = [re.match(r"\s+(\S+?)[\[(]", line) for line in lines
             if '["' in line or '(("' in line]
    ids = [m.group(1) for m in nodes if m]
    assert ids and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    assert any(line.strip().startswith("subgraph") for line in lines)  # two programs
    edges = [line for line in lines if "-->" in line]
    assert all(re.fullmatch(r"\s+\S+ -->\|[a-z-]+\| \S+", e) for e in edges)
    assert "class " in text and "unreachable" in text  # INNER:I2 cannot run


def test_mermaid_escapes_quotes_and_dot_is_balanced() -> None:
    programs = _programs(SAMPLES / "ACCTSORT.cbl")
    dot = cfg_dot(programs)
    assert dot.startswith("digraph cfg {") and dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")
    g = paragraph_cfg(programs[0])
    arrows = re.findall(r'^\s+"([^"]+)" -> "([^"]+)" \[label="([a-z-]+)"\];$', dot, re.M)
    assert sorted(arrows) == sorted((s, t, d["kind"]) for s, t, d in g.edges(data=True))


def test_graphs_are_deterministic() -> None:
    path = SAMPLES / "INTCALC.cbl"
    first = [json.dumps(cfg_document(p)) for p in _programs(path)]
    again = [json.dumps(cfg_document(p)) for p in _programs(path)]
    assert first == again
    a, b = statement_cfg(_programs(path)[0]), statement_cfg(_programs(path)[0])
    assert list(a.edges(data="kind")) == list(b.edges(data="kind"))


def test_statement_graph_reaches_every_reachable_statement() -> None:
    """Every statement the analysis calls reachable lies on a path from START."""
    for path in SOURCES:
        for program in _programs(path):
            s = statement_cfg(program)
            start = f"{program.name}:(START)"
            seen = nx.descendants(s, start) | {start}
            dead = set(analyze_control(program).unreachable_statements)
            live = {n for n, d in s.nodes(data=True) if d["stmt"] is not None} - dead
            assert live <= seen, (path.name, sorted(live - seen)[:3])


def test_docstring_examples_run() -> None:
    import doctest

    import cobolspec.analysis.cfg as cfg_module

    result = doctest.testmod(cfg_module)
    assert result.attempted > 0 and result.failed == 0
