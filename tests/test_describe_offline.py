"""The offline backend: rows for the ``descriptions`` table, cache keys, the gate's verdict."""

from __future__ import annotations

import json

import pytest

from cobolspec.agents.grounding import EMPTY, GroundingGate
from cobolspec.agents.offline import (
    BACKEND,
    PROMPT_VERSION,
    cache_key,
    describe_units,
    store_rows,
)
from cobolspec.parse import parse_file
from cobolspec.rules.glossary import Glossary
from cobolspec.store import Store
from tests.test_describe import CASES, FIXTURE, Unit

UNITS = [c[1] for c in CASES]


@pytest.fixture(scope="module")
def program():
    return parse_file(FIXTURE).programs[0]


@pytest.fixture(scope="module")
def glossary(program):
    return Glossary.from_program(program)


def test_rows_for_every_unit(glossary):
    rows = describe_units(UNITS, glossary)
    assert [r.text for r in rows] == [c[2] for c in CASES]
    for row, unit in zip(rows, UNITS, strict=True):
        assert (row.rule, row.backend, row.model, row.grounded, row.problems) == (
            unit.id, "offline", None, True, [])
        assert row.cache_key == cache_key(unit.id, "offline", None, PROMPT_VERSION)
        assert row.program == "DSCPOST"


def test_cache_key_depends_on_each_part():
    base = cache_key("0123456789ab", BACKEND, None, PROMPT_VERSION)
    assert len(base) == 64 and int(base, 16) >= 0
    assert base == cache_key("0123456789ab", BACKEND, None, PROMPT_VERSION)
    others = {cache_key("0123456789ac", BACKEND, None, PROMPT_VERSION),
              cache_key("0123456789ab", "openai", None, PROMPT_VERSION),
              cache_key("0123456789ab", BACKEND, "gpt", PROMPT_VERSION),
              cache_key("0123456789ab", BACKEND, None, "offline-2")}
    assert base not in others and len(others) == 4
    # the parts cannot run into each other
    assert cache_key("ab", "c", None, "v") != cache_key("a", "bc", None, "v")


def test_store_rows_load_into_the_descriptions_table(glossary):
    rows = store_rows(describe_units(UNITS, glossary))["descriptions"]
    with Store.open() as store:
        columns = [name for name, _ in store.columns("descriptions")]
        assert set(rows[0]) | {"run_id", "member"} == set(columns)
        store.insert("descriptions", rows, defaults={"run_id": 1, "member": "DSCPOST.cbl"})
        stored = store.rows("descriptions", order_by=["text"])
    assert len(stored) == len(UNITS)
    assert all(r["grounded"] and json.loads(r["problems"]) == [] for r in stored)
    assert {r["model"] for r in stored} == {None}


def test_a_failing_text_keeps_its_problems(glossary, program):
    gate = GroundingGate()
    gate.add_program(program)
    unit = UNITS[0]
    verdict = gate.verdict("  'R09'   is moved\nto WS-NOWHERE. ", unit)
    assert verdict.text == "'R09' is moved to WS-NOWHERE."
    assert not verdict.grounded
    assert verdict.problems == ["literal 'R09' is not in the source",
                                "name WS-NOWHERE is not in the unit or its program"]
    assert gate.check("   ", unit) == [EMPTY]


def test_gate_with_an_unregistered_program_uses_the_unit_alone(program):
    gate = GroundingGate()
    unit = Unit(condition="WS-Q = 7", actions=["MOVE 'Z' TO WS-R"], program="ELSEWHERE")
    assert gate.check("When WS-Q is 7, 'Z' goes to WS-R.", unit) == []
    assert gate.check("WS-INT-RT is used.", unit) == [
        "name WS-INT-RT is not in the unit or its program"]
    gate.add_program(program)
    assert gate.vocabulary("dscpost") is not None
    assert gate.vocabulary("ELSEWHERE") is None


def test_docstring_examples():
    import doctest

    from cobolspec.agents import grounding, offline

    for module in (grounding, offline):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
