"""Rule units of small fixture programs against the units expected of them.

Each ``tests/fixtures/rules/<name>.cbl`` has a ``<name>.expected.json`` beside it, written
from the source: for every unit its kind, paragraph, own condition, reaching conditions,
actions, inputs, outputs, literals, physical lines, number of statements and decision table,
and the program's coverage.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cobolspec.parse import parse_file
from cobolspec.rules import RuleUnit, extract_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = sorted(FIXTURES.glob("*.cbl"))


def unit_facts(unit: RuleUnit) -> dict[str, Any]:
    """The facts of a unit that the expected files hold."""
    table = unit.decision_table
    return {
        "name": unit.name, "kind": unit.kind, "paragraph": unit.paragraph,
        "condition": unit.condition, "reaching": unit.reaching, "actions": unit.actions,
        "inputs": unit.inputs, "outputs": unit.outputs, "literals": unit.literals,
        "file": Path(unit.file).name, "line": unit.line, "end_line": unit.end_line,
        "statements": len(unit.statements),
        "table": None if table is None else {
            "columns": table.condition_columns,
            "rows": [[row.conditions, row.actions] for row in table.rows],
        },
    }


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_units(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    result = parse_file(path)
    assert [p.name for p in result.programs] == [p["program"] for p in expected["programs"]]
    for program, want in zip(result.programs, expected["programs"], strict=True):
        ruleset = extract_rules(program)
        got = [unit_facts(u) for u in ruleset.units]
        assert [u["name"] for u in got] == [u["name"] for u in want["units"]], expected["title"]
        for g, w in zip(got, want["units"], strict=True):
            assert g == w, f"{expected['title']}: {w['name']}"
        coverage = ruleset.coverage
        assert {
            "statements": coverage.statements, "in_units": coverage.in_units,
            "plumbing": coverage.plumbing, "plumbing_by_reason": coverage.plumbing_by_reason,
            "unexplained": coverage.unexplained,
        } == want["coverage"]
        assert coverage.statements == program.statements_total


@pytest.mark.parametrize("module", ["names", "conditions", "tables"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"cobolspec.rules.{module}"))
    assert result.attempted > 0 and result.failed == 0


NESTED = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. OUTER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  A  PIC 9.
       PROCEDURE DIVISION.
           IF A > 1
               MOVE 1 TO RETURN-CODE
           END-IF
           CALL 'INNER'
           STOP RUN.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. INNER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  B  PIC 9.
       PROCEDURE DIVISION.
           EVALUATE B
               WHEN 1 MOVE 2 TO B
           END-EVALUATE
           GOBACK.
       END PROGRAM INNER.
       END PROGRAM OUTER.
"""


def test_nested_programs_have_rule_sets_of_their_own() -> None:
    from cobolspec.parse import parse_expanded
    from cobolspec.rules import extract_all
    from cobolspec.source import preprocess

    result = parse_expanded(preprocess(NESTED))
    rulesets = extract_all(result.programs)
    assert [r.program for r in rulesets] == ["OUTER", "INNER"]
    assert [[(u.name, u.kind, u.paragraph) for u in r.units] for r in rulesets] == [
        [("OUTER.R001", "decision", "OUTER:(ENTRY)"), ("OUTER.R002", "routing", "OUTER:(ENTRY)")],
        [("INNER.R001", "decision", "INNER:(ENTRY)")],
    ]
    assert [r.coverage.statements for r in rulesets] == [4, 3]
