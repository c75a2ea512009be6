"""Construct by construct: each program in tests/fixtures/parse/ against the facts beside it.

Every ``NAME.cbl`` there is a small complete program; ``NAME.expected.json`` states what the parse
must give (facts as rendered by :mod:`tests.test_parse_facts`). An expected file names only the
facts it cares about:

* ``title``: one line saying what the fixture is about (not compared);
* ``diagnostics``: every PAR diagnostic, as ``CODE@line`` (default: none);
* ``cobc``: true when GnuCOBOL (``cobc -fsyntax-only -std=ibm``) accepts the program too;
* ``programs``: one object per top-level program, in order, each with any of the keys of
  :func:`~tests.test_parse_facts.program_facts`. Plain values and lists compare whole; ``items``,
  ``files`` and ``fds`` are maps whose listed entries compare field by field (fields not listed
  are not compared); ``stmts`` is a list of statements picked by ``line`` and ``verb`` (and ``n``,
  the n-th such statement on that line, from 1), compared key by key; ``nested`` compares
  program by program like ``programs``.

Copybooks come from ``tests/fixtures/parse/copy``; locations are relative to
``tests/fixtures/parse``, so a copied line is named ``copy/MEMBER.cpy``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.oracle.cobc import have_cobc, syntax_ok
from tests.test_parse_facts import FIXTURES, parse_file, result_facts

COPY = FIXTURES / "copy"
CASES = sorted(FIXTURES.glob("*.cbl"))


def _expected(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".expected.json").read_text("utf-8"))


def _compare_fields(where: str, expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key not in actual:
            problems.append(f"{where}: no fact {key!r} (facts: {sorted(actual)})")
        elif actual[key] != want:
            problems.append(f"{where}.{key}: expected {want!r}, got {actual[key]!r}")
    return problems


def _pick_statement(stmts: list[dict[str, Any]], want: dict[str, Any]) -> dict[str, Any] | None:
    same = [s for s in stmts if s["line"] == want["line"] and s["verb"] == want["verb"]]
    n = want.get("n", 1)
    return same[n - 1] if len(same) >= n else None


def compare_program(where: str, expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Differences between the facts an expected file lists and the facts of the parse."""
    problems: list[str] = []
    for key, want in expected.items():
        here = f"{where}.{key}"
        if key in ("items", "files", "fds"):
            for name, fields in want.items():
                got = actual[key].get(name)
                if got is None:
                    problems.append(f"{here}: no {name!r} (have {sorted(actual[key])})")
                else:
                    problems.extend(_compare_fields(f"{here}[{name}]", fields, got))
        elif key == "stmts":
            for st in want:
                got = _pick_statement(actual["stmts"], st)
                label = f"{here}[{st['verb']}@{st['line']}]"
                if got is None:
                    problems.append(f"{label}: no such statement")
                else:
                    fields = {k: v for k, v in st.items() if k not in ("line", "verb", "n")}
                    problems.extend(_compare_fields(label, fields, got))
        elif key == "nested":
            problems.extend(compare_programs(here, want, actual["nested"]))
        elif key not in actual:
            problems.append(f"{here}: no such fact")
        elif actual[key] != want:
            problems.append(f"{here}: expected {want!r}, got {actual[key]!r}")
    return problems


def compare_programs(
    where: str, expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> list[str]:
    names = [p["name"] for p in actual]
    if [p["name"] for p in expected] != names:
        return [f"{where}: programs {[p['name'] for p in expected]} expected, got {names}"]
    problems: list[str] = []
    for want, got in zip(expected, actual, strict=True):
        problems.extend(compare_program(f"{where}[{got['name']}]", want, got))
    return problems


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_fixture_facts(path: Path) -> None:
    expected = _expected(path)
    facts = result_facts(parse_file(path, [COPY], root=FIXTURES))
    problems = compare_programs("programs", expected["programs"], facts["programs"])
    if facts["diagnostics"] != expected.get("diagnostics", []):
        problems.append(
            f"diagnostics: expected {expected.get('diagnostics', [])}, got {facts['diagnostics']}"
        )
    assert not problems, "\n".join(problems)


def test_every_fixture_has_expected_facts() -> None:
    assert len(CASES) >= 12
    for path in CASES:
        expected = _expected(path)
        assert expected.get("title"), f"{path.name}: the expected file needs a title"
        assert expected["programs"], f"{path.name}: no program facts stated"
    for path in [*CASES, *sorted(COPY.iterdir())]:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            assert len(line) <= 72, f"{path.name}:{number} runs into columns 73-80"


def test_the_comparison_can_fail() -> None:
    """A wrong fact in an expected file is reported (the fixture test is not vacuous)."""
    path = FIXTURES / "control.cbl"
    facts = result_facts(parse_file(path, [COPY], root=FIXTURES))
    expected = _expected(path)["programs"]
    wrong = json.loads(json.dumps(expected))
    wrong[0]["stmts"][0]["condition"] = "A = 2"
    wrong[0]["paragraphs"][0][2] += 1
    problems = compare_programs("programs", wrong, facts["programs"])
    assert len(problems) == 2
    assert compare_programs("programs", expected, facts["programs"]) == []


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc (GnuCOBOL) is not on PATH")
@pytest.mark.parametrize(
    "path", [p for p in CASES if _expected(p).get("cobc")], ids=lambda p: p.stem
)
def test_fixture_is_valid_cobol(path: Path) -> None:
    ok, messages = syntax_ok(path, std="ibm", copy_dirs=[COPY])
    assert ok, messages
