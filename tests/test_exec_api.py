"""The EXEC block API beyond the fixtures: spans, accessors, helpers and robustness."""

from __future__ import annotations

import doctest
import random
from types import ModuleType

import pytest

import cobolspec.model.exec as exec_mod
import cobolspec.model.exec_cics as exec_cics
import cobolspec.model.exec_sql as exec_sql
from cobolspec.diagnostics import Location, Severity, Span
from cobolspec.model.ast import Node
from cobolspec.model.exec import (
    EXEC_INTERNAL,
    SQL_KINDS,
    CicsCommand,
    ExecBlock,
    HostVariable,
    SqlStatement,
    build_exec,
    cobol_name,
    data_refs,
    unquote,
)
from tests.test_exec_fixtures import CASES

SPAN = Span(Location("PGM.cbl", 10, 12), Location("PGM.cbl", 12, 19))


@pytest.mark.parametrize("module", [exec_mod, exec_sql, exec_cics], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_span_reaches_block_and_node() -> None:
    block = build_exec("SQL", "SELECT A INTO :A FROM T", SPAN)
    assert isinstance(block, ExecBlock) and isinstance(block, Node)
    assert block.span is SPAN
    assert block.sql is not None and block.sql.span is SPAN
    assert list(block.child_nodes()) == [block.sql]
    assert [type(n).__name__ for n in block.walk()] == ["ExecBlock", "SqlStatement"]


def test_diagnostics_have_no_location_and_sensible_severities() -> None:
    cases = {
        ("SQL", ""): Severity.WARNING,
        ("JAVA", "x"): Severity.INFO,
        ("SQL", "SELECT A INTO :A FROM FINAL TABLE (INSERT INTO T VALUES (1))"): Severity.INFO,
        ("CICS", "FROBNICATE"): Severity.WARNING,
        ("SQL", "SELECT 'abc"): Severity.WARNING,
    }
    for (lang, body), severity in cases.items():
        block = build_exec(lang, body)
        assert block.diagnostics, (lang, body)
        assert block.diagnostics[0].severity is severity, (lang, body)
        assert all(d.location is None for d in block.diagnostics)
        assert all(d.message for d in block.diagnostics)


def test_every_fixture_kind_is_a_documented_kind() -> None:
    kinds = set()
    for case in CASES:
        block = build_exec(case.lang, case.body)
        if block.sql is not None:
            kinds.add(block.sql.kind)
            assert block.sql.parsed_by in ("sqlglot", "fallback", "tokens")
    assert kinds <= set(SQL_KINDS)
    assert len(kinds) >= 20


def test_cics_option_accessors_ignore_case() -> None:
    block = build_exec("CICS", "LINK PROGRAM('X') COMMAREA(WS-CA) NOHANDLE")
    cmd = block.cics
    assert isinstance(cmd, CicsCommand)
    assert cmd.option("commarea") == "WS-CA" and cmd.option("COMMAREA") == "WS-CA"
    assert cmd.option("NOHANDLE") is None and cmd.has("nohandle")
    assert cmd.option("LENGTH") is None and not cmd.has("LENGTH")
    assert cmd.is_literal("PROGRAM") and not cmd.is_literal("COMMAREA")
    name, arg = cmd.options[0]  # options unpack as (name, argument)
    assert (name, arg) == ("PROGRAM", "'X'")


def test_sql_host_variable_helpers() -> None:
    block = build_exec("SQL", "SELECT A INTO :DCLT.A:IND-A FROM T WHERE K = :WS-K OF WS-KEYS")
    st = block.sql
    assert isinstance(st, SqlStatement)
    out, inp = st.host_variables
    assert out == HostVariable("DCLT.A", "IND-A", "output")
    assert out.data_name == "A OF DCLT" and out.indicator_data_name == "IND-A"
    assert inp.data_name == "WS-K OF WS-KEYS"
    assert st.outputs == [out] and st.inputs == [inp]


def test_call_arguments_are_both_inputs_and_outputs() -> None:
    st = build_exec("SQL", "CALL P(:A, :B)").sql
    assert st is not None
    assert [h.name for h in st.inputs] == ["A", "B"] == [h.name for h in st.outputs]


def test_host_variable_repeated_is_listed_once() -> None:
    st = build_exec("SQL", "UPDATE T SET A = :X WHERE B = :X OR C = :Y").sql
    assert st is not None
    assert [h.name for h in st.host_variables] == ["X", "Y"]


def test_colon_inside_literals_is_not_a_host_variable() -> None:
    st = build_exec("SQL", "SELECT A INTO :A FROM T WHERE TS > '2024-01-01-10:30:00'").sql
    assert st is not None
    assert [h.name for h in st.host_variables] == ["A"]


def test_helpers() -> None:
    assert cobol_name("A.B.C") == "C OF B OF A"
    assert cobol_name("PLAIN") == "PLAIN"
    assert unquote("'IT''S'") == "IT'S" and unquote("WS-X") is None
    assert data_refs("WS-A (WS-I OF WS-G)") == ("WS-A", ["WS-I OF WS-G"])
    assert data_refs("SPACES") == (None, [])
    assert data_refs("+80") == (None, [])
    assert data_refs("DFHRESP(NORMAL)") == (None, [])
    assert data_refs("A + B") == (None, [])
    assert data_refs(None) == (None, [])


def _mutations(body: str, rng: random.Random) -> list[str]:
    cuts = sorted({rng.randrange(len(body) + 1) for _ in range(6)}) if body else []
    out = [body[:c] for c in cuts] + [body[c:] for c in cuts]
    for _ in range(6):
        if body:
            i = rng.randrange(len(body))
            out.append(body[:i] + rng.choice("()':\".,;=*-") + body[i:])
    return out


def test_mutated_bodies_never_raise_or_hit_an_internal_error() -> None:
    rng = random.Random(1234)
    seen = 0
    for case in CASES:
        for lang in {case.lang.upper(), "SQL", "CICS", "DLI"}:
            for body in _mutations(case.body, rng):
                block = build_exec(lang, body)
                codes = [d.code for d in block.diagnostics]
                assert EXEC_INTERNAL not in codes, (lang, body, block.diagnostics)
                assert block.text == body
                seen += 1
    assert seen > 1000
