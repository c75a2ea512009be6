"""Driving the LALR table with scanner tokens: contextual keywords and statement-level recovery.

A COBOL word is a keyword only where the grammar can take that keyword next; anywhere else it is
a user-defined word (``NAME``). This is decided per token from the parser state, which makes the
many context-sensitive words of IBM COBOL (and other dialects' reserved words) harmless.

Recovery: when a sentence does not parse, the statement holding the error — from the last verb at
or before the offending token to the next verb after it — is replaced by one ``UNPARSED`` token,
which the grammar accepts as a statement, and the sentence is parsed again. A sentence therefore
always yields its statements, some of them opaque, each with a located diagnostic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lark import Token
from lark.parsers.lalr_analysis import Shift

from cobolspec.parse.grammar import Grammar

# Words that begin a statement: the resynchronisation points of recovery.
VERBS = frozenset(
    (
        "ACCEPT", "ADD", "ALTER", "CALL", "CANCEL", "CLOSE", "COMPUTE", "CONTINUE", "DELETE",
        "DISABLE", "DISPLAY", "DIVIDE", "ENABLE", "ENTRY", "EVALUATE", "EXEC", "EXECUTE", "EXIT",
        "GENERATE", "GOBACK", "GO", "IF", "INITIALIZE", "INITIATE", "INSPECT", "INVOKE", "JSON",
        "MERGE", "MOVE", "MULTIPLY", "OPEN", "PERFORM", "PURGE", "READ", "RECEIVE", "RELEASE",
        "RETURN", "REWRITE", "SEARCH", "SEND", "SET", "SORT", "START", "STOP", "STRING", "SUBTRACT",
        "SUPPRESS", "TERMINATE", "UNSTRING", "USE", "WRITE", "XML",
    )
)


def start_of(tok: Token) -> int:
    """Offset of a token's first character (always set by the scanner)."""
    return tok.start_pos or 0


def end_of(tok: Token) -> int:
    """Offset just past a token's last character."""
    return tok.end_pos if tok.end_pos is not None else start_of(tok) + len(tok.value)


@dataclass(slots=True)
class SyntaxProblem:
    """Where a unit stopped parsing: the offending token and what the parser could take."""

    token: Token
    index: int
    expected: frozenset[str]


class UnitError(Exception):
    def __init__(self, problem: SyntaxProblem) -> None:
        super().__init__(problem.token)
        self.problem = problem


class Driver:
    """Feeds token lists to one start rule of the compiled grammar."""

    def __init__(self, grammar: Grammar) -> None:
        self.g = grammar
        self.keywords = grammar.keywords
        self.states = grammar.states
        self.callbacks = grammar.callbacks
        self._end = Token("$END", "", 0, 0, 0)

    def classify(self, tok: Token, row: dict[str, Any], reserved: frozenset[str] = frozenset()
                 ) -> str:
        kind = tok.type
        if kind == "WORD":
            upper = tok.value.upper()
            kw = self.keywords.get(upper)
            if kw is not None and kw in row:
                return kw
            if "NAME" in row and upper not in reserved:
                return "NAME"
            return kw or "NAME"
        if kind == "DOT":  # a separator period (or the empty one closing truncated text)
            return self.keywords.get(".", "BAD")
        if kind == "OP":
            return self.keywords.get(tok.value, "BAD")
        if kind == "INTEGER" and "INTEGER" not in row and "NAME" in row:
            return "NAME"
        return kind

    def parse(self, tokens: Sequence[Token], start: str) -> Any:
        """Parse ``tokens`` as one ``start`` unit; raise :class:`UnitError` at the first error."""
        states = self.states
        callbacks = self.callbacks
        state_stack = [self.g.start_states[start]]
        value_stack: list[Any] = []
        end_state = self.g.end_states[start]
        # In a sentence a verb is never a name: an incomplete statement then fails at the next
        # verb instead of swallowing it, and recovery resynchronises there.
        reserved = VERBS if start == "sentence" else frozenset()
        index = 0
        n = len(tokens)
        while True:
            if index < n:
                tok = tokens[index]
                row = states[state_stack[-1]]
                kind = self.classify(tok, row, reserved)
                if kind != tok.type:
                    tok = Token(kind, tok.value, tok.start_pos, end_pos=tok.end_pos)
                is_end = False
            else:
                tok = self._end
                kind = "$END"
                is_end = True
            while True:
                row = states[state_stack[-1]]
                try:
                    action, arg = row[kind]
                except KeyError:
                    expected = frozenset(k for k in row if k.isupper())
                    raise UnitError(SyntaxProblem(tok, index, expected)) from None
                if action is Shift:
                    state_stack.append(arg)
                    value_stack.append(tok)
                    break
                rule = arg
                size = len(rule.expansion)
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value = callbacks[rule](children)
                state_stack.append(states[state_stack[-1]][rule.origin.name][1])
                value_stack.append(value)
                if is_end and state_stack[-1] == end_state:
                    return value_stack[-1]
            index += 1

    def parse_sentence(
        self,
        tokens: list[Token],
        start: str = "sentence",
        starts_line: Callable[[Token], bool] | None = None,
    ) -> tuple[Any, list[tuple[Token, SyntaxProblem]]]:
        """Parse a sentence, replacing statements that do not parse by UNPARSED tokens.

        Returns the value and, for each replaced statement, its UNPARSED token (spanning the
        replaced text) with the problem that caused it. ``starts_line`` tells whether a token is
        the first on its line (a hint of where an unknown statement begins).
        """
        replaced: list[tuple[Token, SyntaxProblem]] = []
        work = list(tokens)
        if work and work[-1].type != "DOT":
            # the text ended without a period: close the sentence with an empty one
            last = work[-1]
            work.append(Token("DOT", "", last.end_pos, end_pos=last.end_pos))
        for _ in range(len(work) + 1):
            try:
                return self.parse(work, start), replaced
            except UnitError as err:
                problem = err.problem
                lo, hi, problem = _statement_bounds(work, problem, self.keywords, starts_line)
                if hi - lo == 1 and work[lo].type == "UNPARSED":
                    # no progress: the whole sentence becomes one opaque statement
                    lo, hi = 0, len(work) - 1
                    if hi - lo == 1 and work[lo].type == "UNPARSED":
                        return None, replaced
                first, last_tok = work[lo], work[hi - 1]
                merged = Token(
                    "UNPARSED",
                    " ".join(str(t) for t in work[lo:hi]),
                    first.start_pos,
                    end_pos=last_tok.end_pos,
                )
                replaced.append((merged, problem))
                work[lo:hi] = [merged]
        raise AssertionError("recovery did not terminate")  # pragma: no cover


_STATEMENT_STARTS = VERBS - {"EXECUTE", "USE"}


def _is_verb(tok: Token) -> bool:
    return tok.type in ("WORD", "EXEC") and (tok.type == "EXEC" or tok.value.upper() in VERBS)


def _word(tok: Token) -> str:
    return str(tok.value).upper() if tok.type == "WORD" else ""


def _closes_outer(tok: Token, own_end: str) -> bool:
    """WHEN, ELSE or a scope terminator other than the statement's own: a word that continues
    or closes an enclosing statement."""
    w = _word(tok)
    return w in ("WHEN", "ELSE") or (w.startswith("END-") and w != own_end)


def _statement_bounds(
    tokens: list[Token],
    problem: SyntaxProblem,
    keywords: frozenset[str] | dict[str, str] = frozenset(),
    starts_line: Callable[[Token], bool] | None = None,
) -> tuple[int, int, SyntaxProblem]:
    """The slice of the statement holding the offending token: from the last verb at or before
    it to the next verb after it (or the separator period, or a word of an enclosing statement).

    When the offending token is a verb, or WHEN/ELSE/a scope terminator where the statement
    before it is not complete, that statement is the one in error. Inside the stretch, a word
    that is no keyword and opens a line most likely begins a statement this grammar does not
    know (a dialect verb), so the stretch starts there, and the problem is said to be that word.
    """
    last = len(tokens)
    if last and tokens[-1].type == "DOT":
        last -= 1
    index = min(problem.index, last - 1) if last else 0
    complete = "DOT" in problem.expected or "ACCEPT" in problem.expected
    tok = tokens[index] if last else None
    if 0 < index < last and tok is not None and (
        _is_verb(tok) or tok.type == "UNPARSED" or (not complete and _closes_outer(tok, ""))
    ):
        # the statement before this token is incomplete
        lo = index - 1
        while lo > 0 and not _is_verb(tokens[lo]) and tokens[lo].type != "UNPARSED":
            lo -= 1
        if _is_verb(tokens[lo]):
            return lo, index, problem
    lo = index
    while lo > 0 and not _is_verb(tokens[lo]) and tokens[lo].type != "UNPARSED":
        lo -= 1
    if tokens[lo].type == "UNPARSED" and lo < index:
        lo += 1
    if starts_line is not None:
        for k in range(index, lo, -1):
            t = tokens[k]
            if t.type == "WORD" and _word(t) not in keywords and starts_line(t):
                lo = k
                if k < index:
                    unknown = Token("NAME", t.value, t.start_pos, end_pos=t.end_pos)
                    problem = SyntaxProblem(unknown, k, _STATEMENT_STARTS)
                break
    own_end = "END-" + _word(tokens[lo])
    hi = index + 1
    while hi < last and not _is_verb(tokens[hi]) and not _closes_outer(tokens[hi], own_end):
        if _word(tokens[hi]) == own_end:
            hi += 1
            break
        hi += 1
    return lo, max(hi, lo + 1), problem


# ---------------------------------------------------------------- conditional-phrase heads

_PHRASE_CORES = {
    "SIZE": ("SIZE_ERROR", "ON"),
    "EXCEPTION": ("EXCEPTION_PHRASE", "ON"),
    "OVERFLOW": ("OVERFLOW_PHRASE", "ON"),
    "END": ("AT_END", "AT"),
    "END-OF-PAGE": ("AT_EOP", "AT"),
    "EOP": ("AT_EOP", "AT"),
    "INVALID": ("INVALID_KEY", ""),
}


def _w(tokens: Sequence[Token], i: int) -> str:
    if i < len(tokens) and tokens[i].type == "WORD":
        return str(tokens[i].value).upper()
    return ""


def merge_phrases(tokens: list[Token]) -> list[Token]:
    """Join the words opening a conditional phrase (``NOT ON SIZE ERROR``, ``AT END``,
    ``INVALID KEY``, ``ON EXCEPTION``...) into one token typed for the grammar."""
    if _w(tokens, 0) == "USE":
        return tokens
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        j = i
        negated = _w(tokens, j) == "NOT"
        if negated:
            j += 1
        prefix = _w(tokens, j)
        if prefix in ("ON", "AT"):
            j += 1
        core = _w(tokens, j)
        spec = _PHRASE_CORES.get(core)
        if spec is not None and (prefix not in ("ON", "AT") or prefix == spec[1]):
            kind, _ = spec
            end = j + 1
            if core == "SIZE":
                if _w(tokens, end) != "ERROR":
                    spec = None
                else:
                    end += 1
            elif core == "INVALID" and _w(tokens, end) == "KEY":
                end += 1
            if spec is not None:
                first, last = tokens[i], tokens[end - 1]
                out.append(
                    Token(
                        ("NOT_" if negated else "") + kind,
                        " ".join(str(t.value) for t in tokens[i:end]),
                        first.start_pos,
                        end_pos=last.end_pos,
                    )
                )
                i = end
                continue
        out.append(tokens[i])
        i += 1
    return out
