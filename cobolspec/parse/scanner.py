"""The COBOL scanner: expanded source text → tokens, in one linear pass.

COBOL's lexical rules depend on context in ways a regular lexer cannot see, so this scanner does the
context-dependent part itself and leaves keyword recognition to the parser state
(:mod:`cobolspec.parse.driver`):

- a PICTURE character-string after ``PIC``/``PICTURE`` [``IS``] is one ``PICSTRING`` token, with
  its insertion periods and commas;
- ``EXEC``/``EXECUTE`` … ``END-EXEC`` is one ``EXEC`` token holding the embedded text;
- comment-entries of the IDENTIFICATION DIVISION (``AUTHOR.`` …) are one ``COMMENT_ENTRY`` token;
- a separator period is a period followed by white space or the end of the text;
- a sign directly before a digit, not after a word or ``)``, belongs to a numeric literal;
- commas and semicolons are separators (or decimal points under ``DECIMAL-POINT IS COMMA``).

Words keep type ``WORD`` here; the driver retypes each to a keyword terminal or ``NAME``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token

# literal prefixes: X"..", N"..", G"..", Z"..", NX"..", U".."
_LITERAL = r"""(?:[XxNnGgZzUu]|[Nn][Xx])?(?:"(?:[^"\n]|"")*"|'(?:[^'\n]|'')*')"""
_UNTERMINATED = r"""(?:[XxNnGgZzUu]|[Nn][Xx])?["'][^\n]*"""
_NUMBER = r"(?<![\w)\-])[+-]?(?:\d*\.\d+|\d+)(?:[Ee][+-]?\d+)?(?![\w\-])"
_NUMBER_COMMA = r"(?<![\w)\-])[+-]?(?:\d*,\d+|\d+)(?:[Ee][+-]?\d+)?(?![\w\-])"
_WORD = r"[A-Za-z0-9_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?"
_OPERATOR = r"\*\*|>=|<=|<>|==|[-+*/=<>():&]"


def _master(number: str) -> re.Pattern[str]:
    return re.compile(
        rf"""(?P<ws>[\s,;]+)
           |(?P<lit>{_LITERAL})
           |(?P<num>{number})
           |(?P<word>{_WORD})
           |(?P<dot>\.(?=\s|$))
           |(?P<op>{_OPERATOR})
           |(?P<bad_lit>{_UNTERMINATED})
           |(?P<bad>\S)""",
        re.VERBOSE,
    )


_MASTER = _master(_NUMBER)
_MASTER_COMMA = re.compile(
    _master(_NUMBER_COMMA).pattern.replace(r"(?P<ws>[\s,;]+)", r"(?P<ws>[\s;]+|,(?=\s|$))"),
    re.VERBOSE,
)
_DECIMAL_COMMA = re.compile(r"DECIMAL-POINT\s+(?:IS\s+)?COMMA", re.IGNORECASE)
_PICSTRING = re.compile(r"\S+")
_IS_WORD = re.compile(r"\s*(?:IS\b)?\s*", re.IGNORECASE)
# CURRENCY SIGN ... WITH PICTURE SYMBOL literal: PICTURE here opens no character-string
_SYMBOL_WORD = re.compile(r"\s+SYMBOL\b", re.IGNORECASE)
_END_EXEC = re.compile(r"END-EXEC\b", re.IGNORECASE)
_ID_STOP = re.compile(
    r"[ \t]*(?:(?:AUTHOR|INSTALLATION|DATE-WRITTEN|DATE-COMPILED|SECURITY|REMARKS|PROGRAM-ID)"
    r"[ \t]*\.|(?:IDENTIFICATION|ID|ENVIRONMENT|DATA|PROCEDURE)[ \t]+DIVISION\b"
    r"|END[ \t]+PROGRAM\b)",
    re.IGNORECASE,
)

COMMENT_PARAGRAPHS = frozenset(
    {"AUTHOR", "INSTALLATION", "DATE-WRITTEN", "DATE-COMPILED", "SECURITY", "REMARKS"}
)


@dataclass(slots=True)
class ScanProblem:
    """Something the scanner could not make sense of, at an offset of the expanded text."""

    offset: int
    message: str


def _tok(kind: str, text: str, start: int, end: int) -> Token:
    return Token(kind, text, start_pos=start, end_pos=end)


def scan(text: str, *, fixed: bool = True) -> tuple[list[Token], list[ScanProblem]]:
    """Split expanded source into tokens (types: WORD, INTEGER, NUMBER, ALNUM, PICSTRING,
    EXEC, COMMENT_ENTRY, DOT, OP, BAD) and the problems met on the way."""
    master = _MASTER_COMMA if _DECIMAL_COMMA.search(text) else _MASTER
    tokens: list[Token] = []
    problems: list[ScanProblem] = []
    append = tokens.append
    pos = 0
    n = len(text)
    in_id = False
    prev_word = ""
    match = master.match
    while pos < n:
        m = match(text, pos)
        if m is None:  # pragma: no cover - the last alternative matches any character
            break
        kind = m.lastgroup
        end = m.end()
        if kind == "ws":
            pos = end
            continue
        value = m.group()
        if kind == "word":
            upper = value.upper()
            if upper in ("PIC", "PICTURE") and not _SYMBOL_WORD.match(text, end):
                append(_tok("WORD", value, pos, end))
                pos = _scan_picture(text, end, tokens)
                prev_word = upper
                continue
            if upper in ("EXEC", "EXECUTE"):
                pos = _scan_exec(text, pos, end, tokens, problems)
                prev_word = "END-EXEC"
                continue
            if upper == "DIVISION":
                in_id = prev_word in ("IDENTIFICATION", "ID")
            elif in_id and upper in COMMENT_PARAGRAPHS:
                append(_tok("WORD", value, pos, end))
                pos = _scan_comment_entry(text, end, tokens, fixed)
                prev_word = upper
                continue
            append(_tok("WORD", value, pos, end))
            prev_word = upper
        elif kind == "num":
            is_int = value.isdigit()
            append(_tok("INTEGER" if is_int else "NUMBER", value, pos, end))
        elif kind == "lit":
            append(_tok("ALNUM", value, pos, end))
        elif kind == "dot":
            append(_tok("DOT", value, pos, end))
        elif kind == "op":
            append(_tok("OP", value, pos, end))
        elif kind == "bad_lit":
            problems.append(ScanProblem(pos, "alphanumeric literal is not closed on its line"))
            append(_tok("ALNUM", value + value[0 if value[0] in "\"'" else 1], pos, end))
        else:
            problems.append(ScanProblem(pos, f"unexpected character {value!r}"))
            append(_tok("BAD", value, pos, end))
        pos = end
    return tokens, problems




def _scan_picture(text: str, pos: int, tokens: list[Token]) -> int:
    """After PIC/PICTURE: an optional IS, then the character-string (a trailing period or comma
    followed by a space is a separator, not part of the picture)."""
    m = _IS_WORD.match(text, pos)
    assert m is not None
    is_text = m.group().strip()
    if is_text:
        start = pos + m.group().upper().index("IS")
        tokens.append(_tok("WORD", text[start : start + 2], start, start + 2))
    pos = m.end()
    p = _PICSTRING.match(text, pos)
    if p is None:
        return pos
    value = p.group()
    if value[-1] in ".,;":
        value = value[:-1]
    if not value:
        return pos
    tokens.append(_tok("PICSTRING", value, pos, pos + len(value)))
    return pos + len(value)


def _scan_exec(
    text: str, start: int, word_end: int, tokens: list[Token], problems: list[ScanProblem]
) -> int:
    m = _END_EXEC.search(text, word_end)
    if m is None:
        problems.append(ScanProblem(start, "EXEC block has no END-EXEC"))
        end = len(text)
    else:
        end = m.end()
    tokens.append(_tok("EXEC", text[start:end], start, end))
    return end


def _scan_comment_entry(text: str, pos: int, tokens: list[Token], fixed: bool) -> int:
    """A comment-entry runs from after the paragraph name (and its period) to the end of the
    line, then over following lines until one starts in Area A or with a paragraph or division
    name of the IDENTIFICATION DIVISION."""
    n = len(text)
    i = pos
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == ".":
        tokens.append(_tok("DOT", ".", i, i + 1))
        i += 1
    body_start = i
    line_end = text.find("\n", i)
    if line_end < 0:
        line_end = n
    end = line_end
    while end < n:
        nxt = end + 1
        nl = text.find("\n", nxt)
        if nl < 0:
            nl = n
        line = text[nxt:nl]
        if line.strip():
            m = _ID_STOP.match(line)
            indent = len(line) - len(line.lstrip())
            if m:
                break
            if fixed and indent < 11:
                break
        end = nl
    body = text[body_start:end]
    stripped = body.strip()
    if stripped:
        lead = len(body) - len(body.lstrip())
        s = body_start + lead
        tokens.append(_tok("COMMENT_ENTRY", stripped, s, s + len(stripped)))
    return end
