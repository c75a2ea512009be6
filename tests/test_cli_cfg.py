"""`cobolspec cfg`: the control-flow graph of one program as JSON, Mermaid or DOT."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cobolspec.cli import app

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = str(ROOT / "samples/COBOL/REJRPT.CBL")
COPY = str(ROOT / "samples/COPYLIB")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["cfg", PROGRAM, "-I", COPY, *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_nodes_edges_and_derived_facts() -> None:
    code, out, _ = run("--json")
    assert code == 0
    (doc,) = json.loads(out)
    assert doc["name"] == "REJRPT"
    kinds = {e["kind"] for e in doc["edges"]}
    assert {"entry", "perform-thru", "goto", "fallthrough"} <= kinds  # PERFORM THRU, GO TO
    ids = {n["id"] for n in doc["nodes"]}
    assert "REJRPT:3000-LIST-REJECT" in ids
    assert doc["unreachable_paragraphs"] == []
    assert doc["program_complexity"] >= 1


def test_mermaid_and_dot_are_graphs_of_the_same_paragraphs() -> None:
    code, mermaid, _ = run("--mermaid")
    assert code == 0 and mermaid.startswith("flowchart TD\n")
    assert '["3000-LIST-REJECT"]' in mermaid
    code, dot, _ = run("--dot")
    assert code == 0 and dot.startswith("digraph cfg {")
    assert '"REJRPT:3000-LIST-REJECT"' in dot


def test_output_is_deterministic() -> None:
    assert run("--mermaid")[1] == run("--mermaid")[1]


def test_two_formats_at_once_is_a_usage_error() -> None:
    code, out, err = run("--json", "--dot")
    assert code == 2 and out == ""
    assert err.startswith("Error: ")
