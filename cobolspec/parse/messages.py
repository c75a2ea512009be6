"""Human messages for raw parser errors: a table of typical mistakes, tried in order.

Each entry is (predicate over the offending token and the expected terminals, message template).
The same table drives the tests (tests/test_parse_messages.py).
"""

from __future__ import annotations

from collections.abc import Callable

from lark import Token

from cobolspec.parse.driver import VERBS

SCOPE_TERMINATORS = frozenset(
    (
        "END-IF", "END-EVALUATE", "END-PERFORM", "END-READ", "END-WRITE", "END-REWRITE",
        "END-DELETE", "END-START", "END-RETURN", "END-SEARCH", "END-CALL", "END-COMPUTE",
        "END-ADD", "END-SUBTRACT", "END-MULTIPLY", "END-DIVIDE", "END-STRING", "END-UNSTRING",
        "END-ACCEPT", "END-DISPLAY", "END-RECEIVE", "END-JSON", "END-XML", "END-INVOKE",
    )
)

_CONTINUING = SCOPE_TERMINATORS | {"ELSE", "WHEN"}

Rule = tuple[Callable[[str, str, frozenset[str]], bool], str]

RULES: list[Rule] = [
    (lambda t, v, e: t == "$END", "the {unit} ends before it is complete"),
    (lambda t, v, e: t == "DOT" and v == "" and "DOT" not in e,
     "the text ends in the middle of a statement (no closing period: truncated?)"),
    (lambda t, v, e: t == "DOT" and "DOT" not in e,
     "the sentence ends (period) before the statement is complete"),
    # a word that begins or continues a statement where the statement before it is unfinished
    (lambda t, v, e: (v in VERBS or v in _CONTINUING or t == "UNPARSED") and t not in e
     and "ACCEPT" not in e and "DOT" not in e,
     "the statement before {value} is incomplete"),
    (lambda t, v, e: v in SCOPE_TERMINATORS and t not in e,
     "{value} has no matching open statement here"),
    (lambda t, v, e: v == "ELSE" and t not in e, "ELSE without a matching IF"),
    (lambda t, v, e: v == "WHEN" and t not in e, "WHEN outside EVALUATE or SEARCH"),
    (lambda t, v, e: t == "NAME" and "ACCEPT" in e and "NAME" not in e,
     "'{value}' is not a statement this parser knows (unknown verb or dialect extension)"),
    (lambda t, v, e: t == "BAD", "unexpected character {value!r}"),
    (lambda t, v, e: t == "PICSTRING", "a PICTURE string is not allowed here"),
]


def describe(
    tok: Token,
    expected: frozenset[str],
    unit: str = "statement",
    display: dict[str, str] | None = None,
) -> str:
    """One line saying what went wrong at ``tok``; ``display`` maps terminal names to the
    keywords they stand for."""
    kind = tok.type
    value = str(tok.value).upper() if kind != "ALNUM" else str(tok.value)
    if kind == "UNPARSED":  # a statement already set aside: named by its first word
        value = value.split()[0] if value.split() else value
    for predicate, template in RULES:
        if predicate(kind, value, expected):
            return template.format(value=value, unit=unit)
    display = display or {}
    shown = sorted(_readable(display.get(e, e)) for e in expected)[:8]
    more = ", ..." if len(expected) > 8 else ""
    what = f"'{value}'" if kind != "$END" else "end of text"
    return f"unexpected {what}; expected {', '.join(shown)}{more}"


def _readable(terminal: str) -> str:
    return {
        "NAME": "a name",
        "INTEGER": "an integer",
        "NUMBER": "a number",
        "ALNUM": "a literal",
        "PICSTRING": "a picture string",
        "DOT": "'.'",
    }.get(terminal, terminal)
