"""The table of human messages (cobolspec/parse/messages.py), driven case by case.

Each case is an input that triggers one rule of :data:`~cobolspec.parse.messages.RULES` (or the
generic fallback) and the diagnostic it must produce: code, severity, physical line and column,
and message. Every rule of the table must have a case, so a rule added without a test, or one
that no input reaches any more, fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from lark import Token

from cobolspec.parse.messages import RULES, describe
from tests.test_parse_facts import fixed, parse_text, program_text

DATA = "01 A PIC X(4).\n01 C PIC 9(3)."
GENERIC = "unexpected {value}; expected {expected}"


@dataclass(frozen=True)
class Case:
    id: str
    rule: str  # the template of the rule that must fire (GENERIC for the fallback)
    source: str
    code: str
    line: int
    column: int
    message: str


CASES = [
    Case("data-entry-cut-off", "the {unit} ends before it is complete",
         fixed("IDENTIFICATION DIVISION.\nPROGRAM-ID. T.\nDATA DIVISION.\n"
               "WORKING-STORAGE SECTION.\n01 A PIC X VALUE").rstrip("\n"),
         "PAR002", 5, 23, "the data description entry ends before it is complete"),
    Case("identification-cut-off", "the {unit} ends before it is complete",
         fixed("IDENTIFICATION DIVISION.\nPROGRAM-ID.").rstrip("\n"),
         "PAR004", 2, 18, "the IDENTIFICATION DIVISION ends before it is complete"),
    Case("text-cut-off", "the text ends in the middle of a statement (no closing period: "
         "truncated?)",
         program_text("MOVE 'A' TO", DATA).rstrip("\n"),
         "PAR001", 8, 19,
         "the text ends in the middle of a statement (no closing period: truncated?)"),
    Case("period-too-early", "the sentence ends (period) before the statement is complete",
         program_text("MOVE 'A' TO.", DATA),
         "PAR001", 8, 19, "the sentence ends (period) before the statement is complete"),
    Case("verb-too-early", "the statement before {value} is incomplete",
         program_text("ADD 1 C\nDISPLAY C.", DATA),
         "PAR001", 9, 8, "the statement before DISPLAY is incomplete"),
    Case("when-too-early", "the statement before {value} is incomplete",
         program_text("EVALUATE C\nWHEN 1 COMPUTE C = (C + 1\nWHEN OTHER CONTINUE\n"
                      "END-EVALUATE.", DATA),
         "PAR001", 10, 8, "the statement before WHEN is incomplete"),
    Case("terminator-without-statement", "{value} has no matching open statement here",
         program_text("DISPLAY 'X' END-IF.", DATA),
         "PAR001", 8, 20, "END-IF has no matching open statement here"),
    Case("else-without-if", "ELSE without a matching IF",
         program_text("DISPLAY 'X' ELSE DISPLAY 'Y'.", DATA),
         "PAR001", 8, 20, "ELSE without a matching IF"),
    Case("when-outside", "WHEN outside EVALUATE or SEARCH",
         program_text("DISPLAY 'X' WHEN 1 DISPLAY 'Y'.", DATA),
         "PAR001", 8, 20, "WHEN outside EVALUATE or SEARCH"),
    Case("unknown-verb", "'{value}' is not a statement this parser knows (unknown verb or "
         "dialect extension)",
         program_text("EXAMINE A TALLYING ALL SPACES.", DATA),
         "PAR001", 8, 8,
         "'EXAMINE' is not a statement this parser knows (unknown verb or dialect extension)"),
    Case("unknown-verb-after-statement", "'{value}' is not a statement this parser knows "
         "(unknown verb or dialect extension)",
         program_text("MOVE 'ABCD' TO A\nEXAMINE A REPLACING ALL 'A' BY 'B'\nDISPLAY A.", DATA),
         "PAR001", 9, 8,
         "'EXAMINE' is not a statement this parser knows (unknown verb or dialect extension)"),
    Case("picture-in-a-statement", "a PICTURE string is not allowed here",
         program_text("DISPLAY PIC X.", DATA),
         "PAR001", 8, 20, "a PICTURE string is not allowed here"),
    Case("generic", GENERIC,
         program_text("MOVE A C TO C.", DATA),
         "PAR001", 8, 15, "unexpected 'C'; expected TO"),
]

# Rules no parse can reach through the scanner, checked on describe() directly:
# (rule template, offending token, expected terminals, message)
DIRECT = [
    ("unexpected character {value!r}", Token("BAD", "@"), frozenset({"NAME"}),
     "unexpected character '@'"),
]


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-z]+(?:!r)?\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts) + "$")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_message(case: Case) -> None:
    result = parse_text(case.source)
    got = [
        (d.code, d.severity.value, d.location.line, d.location.column, d.message)
        for d in result.diagnostics
        if d.code.startswith("PAR") and d.location is not None
    ]
    assert got == [(case.code, "error", case.line, case.column, case.message)]
    assert _pattern(case.rule).match(case.message)
    [diag] = [d for d in result.diagnostics if d.code == case.code]
    rendered = diag.render().splitlines()
    assert rendered[0] == f"<string>:{case.line}:{case.column}: error: {case.message} " \
                          f"[{case.code}]"
    assert rendered[1] == "    " + case.source.splitlines()[case.line - 1]
    assert rendered[2] == "    " + " " * (case.column - 1) + "^"


@pytest.mark.parametrize("rule,token,expected,message", DIRECT)
def test_message_direct(rule: str, token: Token, expected: frozenset[str], message: str) -> None:
    assert describe(token, expected) == message
    assert _pattern(rule).match(message)


def test_unexpected_character_is_reported_by_the_scanner() -> None:
    result = parse_text(program_text("DISPLAY A @ C.", DATA))
    assert [(d.code, d.location.line, d.location.column, d.message)
            for d in result.diagnostics if d.location] == [
        ("PAR005", 8, 18, "unexpected character '@'")
    ]


def test_every_rule_has_a_case() -> None:
    covered = {c.rule for c in CASES} | {rule for rule, *_ in DIRECT}
    templates = [template for _, template in RULES]
    assert set(templates) <= covered, set(templates) - covered
    assert covered - set(templates) == {GENERIC}


def test_each_case_fires_its_own_rule() -> None:
    """The first matching rule decides: a case's message must not also fit an earlier rule."""
    templates = [template for _, template in RULES]
    for case in CASES:
        matching = [t for t in templates if _pattern(t).match(case.message)]
        if case.rule == GENERIC:
            assert matching == [], case.id
        else:
            assert matching[0] == case.rule, case.id


def test_generic_message_names_what_was_expected() -> None:
    message = describe(Token("NAME", "FOO"), frozenset({"TO", "GIVING", "NAME", "DOT"}),
                       display={"TO": "TO", "GIVING": "GIVING"})
    assert message == "unexpected 'FOO'; expected '.', GIVING, TO, a name"
    many = frozenset(f"KW{i}" for i in range(12))
    assert describe(Token("NAME", "X"), many).endswith(", ...")
    assert describe(Token("$END", ""), frozenset({"DOT"}), unit="SELECT entry") == (
        "the SELECT entry ends before it is complete"
    )
