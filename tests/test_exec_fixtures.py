"""Fixture-driven tests of EXEC block analysis: tests/fixtures/exec/*.txt (format in README.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cobolspec.model.exec import ExecBlock, build_exec

FIXTURES = Path(__file__).parent / "fixtures" / "exec"
_EXEC = re.compile(r"^\s*EXEC\s+(\S+)", re.I)
_CALL = re.compile(r"^(option|has)\((.+)\)$")


@dataclass
class Case:
    file: str
    title: str
    lang: str
    body: str
    expect: list[tuple[str, Any]]


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("### "):
            i += 1
            continue
        title = lines[i][4:].strip()
        i += 1
        m = _EXEC.match(lines[i])
        assert m, f"{path.name}: case {title!r} has no EXEC line"
        lang = m.group(1)
        text = lines[i][m.end() :]
        while "END-EXEC" not in text.upper():
            i += 1
            assert i < len(lines), f"{path.name}: case {title!r} has no END-EXEC"
            text += "\n" + lines[i]
        body = text[: text.upper().index("END-EXEC")]
        i += 1
        expect: list[tuple[str, Any]] = []
        while i < len(lines) and not lines[i].startswith("### "):
            line = lines[i]
            i += 1
            if not line.strip() or line.startswith("#"):
                continue
            key, _, value = line.partition(":")
            expect.append((key.strip(), json.loads(value)))
        cases.append(Case(path.name, title, lang, body, expect))
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(FIXTURES.glob("*.txt")) for case in load_cases(path)]


def plain(value: Any) -> Any:
    """Tuples (NamedTuples included) as lists, recursively, to compare with JSON."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def actual(block: ExecBlock, key: str) -> Any:
    node = block.sql or block.cics or block.dli
    if key == "node":
        return node
    if key == "diagnostics":
        return [d.code for d in block.diagnostics]
    if key.startswith("block."):
        return getattr(block, key[6:])
    assert node is not None, f"no node built; diagnostics: {block.diagnostics}"
    m = _CALL.match(key)
    if m:
        return getattr(node, m.group(1))(m.group(2))
    return getattr(node, key)


CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.title}" for c in CASES])
def test_exec_fixture(case: Case) -> None:
    block = build_exec(case.lang, case.body)
    assert block.text == case.body
    expected = dict(case.expect)
    expected.setdefault("diagnostics", [])
    for key, want in expected.items():
        assert plain(actual(block, key)) == want, f"{key} of {case.title!r}"


def test_fixture_counts() -> None:
    by_file: dict[str, int] = {}
    for case in CASES:
        by_file[case.file] = by_file.get(case.file, 0) + 1
    titles = [c.title for c in CASES]
    assert len(titles) == len(set(titles)), "case titles must be unique"
    assert sum(by_file.values()) >= 40
