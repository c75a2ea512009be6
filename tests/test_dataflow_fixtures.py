"""Def/use and flows, statement by statement, for the programs in tests/fixtures/dataflow/.

Every ``NAME.cbl`` there is a small complete program; ``NAME.expected.json`` beside it says:

* ``title``: what the fixture is about (not compared);
* ``cobc``: true when GnuCOBOL (``cobc -fsyntax-only -std=ibm``) accepts the program too;
  ``cobc_errors``: else the lines cobc rejects, which must be the lines of our diagnostics;
* ``diagnostics``: every data-flow diagnostic, as ``CODE@line`` (default: none);
* ``statements``: statements picked by ``line`` and ``verb`` (``n``: the n-th such statement on
  the line), each with ``accesses`` (every access, direct and alias, rendered by
  :func:`render_access`) and ``flows`` (every flow, rendered by :func:`render_flow`), both
  compared as sets;
* ``possible_values``: for data names, the values :func:`possible_values` must give.

Copybooks come from ``tests/fixtures/dataflow/copy``; locations are relative to the fixture
folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cobolspec.analysis.dataflow import (
    Access,
    DataFlow,
    Endpoint,
    Flow,
    StatementFacts,
    analyze,
    possible_values,
)
from cobolspec.model import ast as A
from tests.oracle.cobc import have_cobc, syntax_ok
from tests.test_parse_facts import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "dataflow"
CASES = sorted(FIXTURES.glob("*.cbl"))


def render_access(a: Access) -> str:
    """``def NAME OF GRP via MOVE``, ``def GRP via alias through NAME OF GRP partial``."""
    text = f"{a.access} {a.item} via {a.via}"
    if a.through:
        text += f" through {a.through}"
    return text + (" partial" if a.partial else "")


def render_endpoint(e: Endpoint) -> str:
    """``item A``, ``literal 1``, ``sql CUSTOMER.NAME (FETCH CUR1)``: detail in brackets."""
    return f"{e} ({e.detail})" if e.detail else str(e)


def render_flow(f: Flow) -> str:
    """``item B <- item A, literal 1 [ADD]``, `` copy`` added for a byte-for-byte copy."""
    sources = ", ".join(render_endpoint(s) for s in f.sources) or "(none)"
    return f"{render_endpoint(f.target)} <- {sources} [{f.via}]" + (" copy" if f.copy else "")


def expected(path: Path) -> dict[str, Any]:
    """The expected facts of a fixture (none when the file is missing: a test says so)."""
    file = path.with_suffix(".expected.json")
    if not file.exists():
        return {"statements": []}
    data: dict[str, Any] = json.loads(file.read_text("utf-8"))
    return data


def programs_of(path: Path) -> list[A.Program]:
    """The programs of a fixture, nested ones after the program containing them."""
    result = parse_file(path, [FIXTURES / "copy"])
    problems = [d for d in result.diagnostics if d.severity.value == "error"]
    assert not problems, [d.render() for d in problems]
    out: list[A.Program] = []
    stack = list(reversed(result.programs))
    while stack:
        program = stack.pop()
        out.append(program)
        stack.extend(reversed(program.nested))
    return out


def flows_of(path: Path) -> list[DataFlow]:
    return [analyze(p) for p in programs_of(path)]


def facts_of(path: Path) -> list[StatementFacts]:
    return [f for flow in flows_of(path) for f in flow.statements]


def pick(facts: list[StatementFacts], line: int, verb: str, n: int = 1) -> StatementFacts | None:
    same = [f for f in facts
            if f.statement.span is not None and f.statement.span.line == line
            and f.statement.verb == verb]
    return same[n - 1] if len(same) >= n else None


def _statement_cases() -> list[Any]:
    cases = []
    for path in CASES:
        for st in expected(path).get("statements", []):
            label = f"{path.stem}:{st['line']}:{st['verb']}"
            cases.append(pytest.param(path, st, id=label))
    return cases


@pytest.mark.parametrize(("path", "want"), _statement_cases())
def test_statement_accesses_and_flows(path: Path, want: dict[str, Any]) -> None:
    facts = pick(facts_of(path), want["line"], want["verb"], want.get("n", 1))
    assert facts is not None, "no such statement"
    if "accesses" in want:
        got = sorted(render_access(a) for a in facts.accesses)
        assert got == sorted(want["accesses"])
    if "flows" in want:
        got = sorted(render_flow(f) for f in facts.flows)
        assert got == sorted(want["flows"])


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_diagnostics_and_values(path: Path) -> None:
    assert path.with_suffix(".expected.json").exists()
    want = expected(path)
    flows = flows_of(path)
    got = sorted(f"{d.code}@{d.location.line}" for f in flows for d in f.diagnostics
                 if d.location)
    assert got == sorted(want.get("diagnostics", []))
    for name, values in want.get("possible_values", {}).items():
        assert sorted(possible_values(flows[0].program, name)) == sorted(values), name


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_statement_of_a_fixture_is_stated(path: Path) -> None:
    """The expected file covers each statement that touches data, so nothing goes unchecked."""
    want = {(s["line"], s["verb"], s.get("n", 1)) for s in expected(path)["statements"]}
    seen: dict[tuple[int, str], int] = {}
    missing = []
    for facts in facts_of(path):
        span = facts.statement.span
        assert span is not None
        key = (span.line, facts.statement.verb)
        seen[key] = seen.get(key, 0) + 1
        if (facts.accesses or facts.flows) and (*key, seen[key]) not in want:
            missing.append(f"{span.line} {facts.statement.verb}")
    assert not missing


@pytest.mark.skipif(not have_cobc(), reason="GnuCOBOL cobc not installed")
@pytest.mark.parametrize("path", [p for p in CASES if expected(p).get("cobc")],
                         ids=[p.stem for p in CASES if expected(p).get("cobc")])
def test_fixture_is_valid_cobol(path: Path) -> None:
    ok, messages = syntax_ok(path, copy_dirs=[FIXTURES / "copy"])
    assert ok, messages


@pytest.mark.skipif(not have_cobc(), reason="GnuCOBOL cobc not installed")
@pytest.mark.parametrize("path", [p for p in CASES if "cobc_errors" in expected(p)],
                         ids=[p.stem for p in CASES if "cobc_errors" in expected(p)])
def test_cobc_rejects_the_names_we_report(path: Path) -> None:
    """GnuCOBOL as the oracle of name resolution: it refuses exactly the lines where we report
    an unknown or ambiguous name."""
    ok, messages = syntax_ok(path, copy_dirs=[FIXTURES / "copy"])
    assert not ok
    rejected = sorted({int(m) for m in re.findall(r":(\d+): error:", messages)})
    assert rejected == expected(path)["cobc_errors"]
    ours = sorted({d.location.line for f in flows_of(path) for d in f.diagnostics if d.location})
    assert ours == rejected



def test_sql_indicator_variables_are_read_and_written_with_their_host_variable() -> None:
    """The parser's reads/writes of EXEC SQL include indicators: DB2 sets an output one."""
    facts = pick(facts_of(FIXTURES / "embedded.cbl"), 41, "EXEC SQL")
    assert facts is not None
    st = facts.statement
    assert [str(w) for w in st.writes] == ["WS-NAME", "WS-NAME-IND"]
    assert [str(r) for r in st.reads] == ["WS-CUST-ID"]
