"""Construct by construct: each program in tests/fixtures/cfg/ against the control flow beside it.

Every ``NAME.cbl`` there is a small complete program about one construct; ``NAME.expected.json``
says, per program (by PROGRAM-ID):

* ``edges``: every paragraph-level edge, as ``SRC -kind-> DST`` with `` @line`` when a
  statement causes it (paragraph IDs without the program prefix; ``(START)``, ``(END)``);
* ``unreachable_paragraphs``, ``unreachable_statements`` (``line:column``), ``complexity``
  (per paragraph), ``program_complexity``, ``recursive_performs`` (``line:column``),
  ``mixed_entry``: compared whole;
* ``statement_edges``: statement-level edges that must be there, ``line:column -kind->
  line:column`` (`` [PHRASE]`` for phrase edges);
* ``no_statement_edges``: statement-level edges that must not.

``title`` says what the fixture is about; ``run`` says whether GnuCOBOL runs it: then it is also
compiled with ``-ftraceall``, run, and its trace checked by :mod:`tests.test_cfg_oracle`.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cobolspec.analysis.cfg import program_flow
from cobolspec.parse import parse_file
from tests.test_cfg_oracle import COBC, check_run, compile_program, models_of, run_traced

FIXTURES = Path(__file__).parent / "fixtures" / "cfg"
CASES = sorted(p.stem for p in FIXTURES.glob("*.cbl"))


def _expected(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))


def _runs(name: str) -> bool:
    path = FIXTURES / f"{name}.expected.json"
    return path.exists() and bool(_expected(name).get("run"))


def _short(node: str, program: str) -> str:
    return node[len(program) + 1:] if node.startswith(program + ":") else node


def _stmt(node: str, program: str) -> str:
    if node.endswith(")"):
        return _short(node, program)
    _, line, column = node.rsplit(":", 2)
    return f"{line}:{column}"


def facts_of(path: Path) -> dict[str, dict[str, Any]]:
    """The facts an expected file can name, for every program of a fixture."""
    out: dict[str, dict[str, Any]] = {}
    for program in parse_file(path).all_programs():
        name = program.name
        pf = program_flow(program)
        edges = []
        for s, t, d in pf.paragraphs.edges(data=True):
            text = f"{_short(s, name)} -{d['kind']}-> {_short(t, name)}"
            edges.append(text + (f" @{d['line']}" if d["line"] is not None else ""))
        stmt_edges = []
        for s, t, d in pf.statements.edges(data=True):
            text = f"{_stmt(s, name)} -{d['kind']}-> {_stmt(t, name)}"
            stmt_edges.append(text + (f" [{d['phrase']}]" if "phrase" in d else ""))
        f = pf.facts
        out[name] = {
            "edges": sorted(edges),
            "unreachable_paragraphs": [_short(p, name) for p in f.unreachable_paragraphs],
            "unreachable_statements": [_stmt(s, name) for s in f.unreachable_statements],
            "complexity": {_short(p, name): n for p, n in f.complexity.items()},
            "program_complexity": f.program_complexity,
            "recursive_performs": [_stmt(s, name) for s in f.recursive_performs],
            "mixed_entry": [_short(p, name) for p in f.mixed_entry],
            "statement_edges": sorted(stmt_edges),
        }
    return out


@pytest.mark.parametrize("name", CASES)
def test_fixture_control_flow(name: str) -> None:
    expected = _expected(name)
    actual = facts_of(FIXTURES / f"{name}.cbl")
    assert sorted(actual) == sorted(expected["programs"]), "programs"
    problems: list[str] = []
    for program, want in expected["programs"].items():
        got = actual[program]
        for key, value in want.items():
            where = f"{program}.{key}"
            if key == "edges":
                missing = Counter(value) - Counter(got[key])
                extra = Counter(got[key]) - Counter(value)
                if missing or extra:
                    problems.append(f"{where}: missing {sorted(missing)}, extra {sorted(extra)}")
            elif key == "statement_edges":
                absent = sorted(set(value) - set(got[key]))
                if absent:
                    problems.append(f"{where}: missing {absent}")
            elif key == "no_statement_edges":
                present = sorted(set(value) & set(got["statement_edges"]))
                if present:
                    problems.append(f"{where}: present {present}")
            elif got[key] != value:
                problems.append(f"{where}: expected {value!r}, got {got[key]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.cobc
@pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not on PATH")
@pytest.mark.parametrize("name", [c for c in CASES if _runs(c)])
def test_fixture_runs_follow_the_graphs(name: str, tmp_path: Path) -> None:
    source = FIXTURES / f"{name}.cbl"
    for data in FIXTURES.glob("*.dat"):
        shutil.copy(data, tmp_path)
    exe = tmp_path / name
    proc = compile_program(source, exe, [], module=False)
    assert proc.returncode == 0, proc.stderr
    run = run_traced(exe, tmp_path, {}, tmp_path / "trace.txt", 10)
    assert run.returncode == 0 and not run.timed_out, run.stderr
    report = check_run(run, {m.name: m for m in models_of(source, [])}, tmp_path)
    assert report.transitions > 2
    assert report.unexplained == []
    assert report.statement_unexplained == []
    assert report.unreachable_run == []
