"""COPY, EXEC SQL INCLUDE and REPLACE statements: finding them, reading them, applying them.

Text is compared as the standard says: as sequences of *text words* (words, literals, and the
separators ``(``, ``)``, ``:`` and the separator period), so spaces, line breaks, commas and
semicolons between words never matter, case does not matter outside literals, and comment lines
are already gone. ``LEADING``/``TRAILING`` patterns (IBM Enterprise COBOL) replace the first or
last characters of a single word. The colon is a separator, so the common ``:TAG:-NAME``
convention works with ``==:TAG:== BY ==CUST==``.

>>> [t.key for t in tokens("MOVE X(1:2) TO :TAG:-NAME.\\n")]
['MOVE', 'X', '(', '1', ':', '2', ')', 'TO', ':', 'TAG', ':', '-NAME', '.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cobolspec.source import codes
from cobolspec.source.mapped import Builder, MText
from cobolspec.source.refformat import open_quote

_TOKEN = re.compile(
    r"""
    (?P<pseudo>==)
   |(?P<lit>(?:[XxNnZzGgBbUu][Xx]?)?(?:"[^"\n]*(?:""[^"\n]*)*"?|'[^'\n]*(?:''[^'\n]*)*'?))
   |(?P<punct>[():])
   |(?P<period>\.(?=\s|$))
   |(?P<word>(?:[^\s,;.()"':=]|\.(?=[^\s.,;()"':=])|=(?!=))+)
    """,
    re.X,
)
_EXEC_SQL_BEFORE = re.compile(r"(?<![\w-])EXEC\s+SQL\s+$", re.I)
_SPACE = re.compile(r"[\s,;]*")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MODES = ("full", "leading", "trailing")


@dataclass(slots=True, frozen=True)
class Token:
    start: int
    end: int
    kind: str  # pseudo, lit, punct, period, word
    key: str  # what comparisons use: upper case for words, literals as written


def _key(kind: str, s: str) -> str:
    if kind == "lit":
        q = min((i for i in (s.find('"'), s.find("'")) if i >= 0), default=0)
        return s[:q].upper() + s[q:]
    return s.upper() if kind == "word" else s


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Text words of ``text[start:end]`` (offsets into ``text``)."""
    found = _TOKEN.finditer(text, start, len(text) if end is None else end)
    return [Token(m.start(), m.end(), k := m.lastgroup or "", _key(k, m.group())) for m in found]


@dataclass(slots=True)
class Rule:
    """One ``pattern BY replacement`` pair of a REPLACING phrase or a REPLACE statement."""

    keys: tuple[str, ...]
    mode: str  # full | leading | trailing
    source: MText  # the text the replacement is written in
    start: int  # replacement = source.text[start:end] (already trimmed)
    end: int
    literal_first: bool = False


@dataclass(slots=True)
class Problem:
    code: str
    pos: int  # offset in the statement's text
    message: str
    hint: str | None = None


@dataclass(slots=True)
class Statement:
    """A COPY / EXEC SQL INCLUDE / REPLACE statement found in a mapped text."""

    verb: str  # COPY | SQL INCLUDE | REPLACE
    start: int
    end: int
    word: int  # offset of COPY / INCLUDE / REPLACE
    name: str | None = None
    name_pos: int = 0
    library: str | None = None
    library_pos: int = 0
    rules: list[Rule] = field(default_factory=list)
    off: bool = False  # REPLACE OFF / REPLACE LAST OFF
    also: bool = False
    last: bool = False
    problems: list[Problem] = field(default_factory=list)
    replacing: bool = False


class _Cursor:
    """Reads the text words of a statement one by one; ``==...==`` is one token."""

    def __init__(self, mt: MText, pos: int, stmt: Statement) -> None:
        self.mt = mt
        self.text = mt.text
        self.pos = pos
        self.stmt = stmt
        self.pseudo_content: tuple[int, int] | None = None
        self.broken = False  # an unterminated pseudo-text ended the statement

    def peek(self) -> Token | None:
        m = _TOKEN.search(self.text, self.pos)
        if m is None:
            return None
        gap = self.text[self.pos : m.start()]
        if gap.strip(" \t\n,;\r\f"):
            # a character no token starts with (cannot happen with this token set, but a
            # statement must never silently skip text)
            return None
        k = m.lastgroup or ""
        return Token(m.start(), m.end(), k, _key(k, m.group()))

    def take(self) -> Token | None:
        t = self.peek()
        if t is None:
            return None
        if t.kind == "pseudo":
            close = _pseudo_end(self.text, t.end)
            if close is None:
                self.stmt.problems.append(
                    Problem(
                        codes.UNTERMINATED_PSEUDO_TEXT,
                        t.start,
                        "pseudo-text opened with == is never closed",
                        "close it with == (and end the statement with a period)",
                    )
                )
                eol = self.text.find("\n", t.end)
                self.pos = len(self.text) if eol < 0 else eol
                self.pseudo_content = None
                self.broken = True
                return Token(t.start, self.pos, "badpseudo", "")
            self.pseudo_content = (t.end, close)
            self.pos = close + 2
            return Token(t.start, self.pos, "pseudo", "")
        self.pos = t.end
        return t

    def at_word(self, *words: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "word" and t.key in words


def _pseudo_end(text: str, p: int) -> int | None:
    """Offset of the ``==`` closing pseudo-text whose content starts at ``p``."""
    i = p
    n = len(text)
    while i < n:
        j = text.find("==", i)
        if j < 0:
            return None
        d, a = text.find('"', i, j), text.find("'", i, j)
        if d < 0 and a < 0:
            return j
        q_at = a if d < 0 or (0 <= a < d) else d
        q = text[q_at]
        k = q_at + 1
        while True:  # skip the literal (doubled quotes inside it) up to the end of its line
            e = text.find(q, k)
            nl = text.find("\n", k)
            if e < 0 or 0 <= nl < e:
                k = n if nl < 0 else nl
                break
            if text.startswith(q, e + 1):
                k = e + 2
                continue
            k = e + 1
            break
        i = k
    return None


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n\r\f,;":
        a += 1
    while b > a and text[b - 1] in " \t\n\r\f,;":
        b -= 1
    return a, b


def _operand(cur: _Cursor, left: bool) -> tuple[tuple[str, ...], int, int, bool] | None:
    """An operand of REPLACING: pseudo-text, or a literal / word / identifier.

    Returns ``(keys, start, end, first_is_literal)`` with the operand's text range.
    """
    t = cur.take()
    if t is None or t.kind == "period":
        return None
    if t.kind == "badpseudo":
        return None
    if t.kind == "pseudo":
        assert cur.pseudo_content is not None
        a, b = _trimmed(cur.text, *cur.pseudo_content)
        toks = tokens(cur.text, a, b)
        return tuple(x.key for x in toks), a, b, bool(toks) and toks[0].kind == "lit"
    first = t
    toks = [t]
    if left:
        while True:
            nxt = cur.peek()
            if (
                nxt is None
                or nxt.kind in ("period", "pseudo")
                or (nxt.kind == "word" and nxt.key == "BY")
            ):
                break
            toks.append(cur.take())  # type: ignore[arg-type]
    elif t.kind == "word":
        while True:  # identifier: qualifiers and a subscript / reference modifier
            if cur.at_word("OF", "IN"):
                toks.append(cur.take())  # type: ignore[arg-type]
                nxt = cur.take()
                if nxt is None:
                    break
                toks.append(nxt)
                continue
            nxt = cur.peek()
            if nxt is not None and nxt.kind == "punct" and nxt.key == "(":
                depth = 0
                while (tok := cur.take()) is not None:
                    toks.append(tok)
                    if tok.key == "(":
                        depth += 1
                    elif tok.key == ")":
                        depth -= 1
                        if depth == 0:
                            break
                continue
            break
    return tuple(x.key for x in toks), first.start, toks[-1].end, first.kind == "lit"


def _replacing(cur: _Cursor, stmt: Statement, pseudo_only: bool) -> None:
    """``[LEADING|TRAILING] op-1 BY op-2`` pairs, up to the period."""
    while True:
        nxt = cur.peek()
        if nxt is None or nxt.kind == "period":
            return
        mode = "full"
        if cur.at_word("LEADING", "TRAILING"):
            tok = cur.take()
            assert tok is not None
            mode = tok.key.lower()
        start = cur.pos
        if pseudo_only:
            nxt = cur.peek()
            if nxt is None or nxt.kind != "pseudo":
                stmt.problems.append(
                    Problem(
                        codes.BAD_REPLACE,
                        nxt.start if nxt else start,
                        "REPLACE operands must be pseudo-text (==...==)",
                    )
                )
                _skip_to_period(cur)
                return
        left = _operand(cur, left=True)
        if left is None:
            if not cur.broken:
                _skip_to_period(cur)
            return
        if not cur.at_word("BY"):
            nxt = cur.peek()
            code = codes.BAD_REPLACE if stmt.verb == "REPLACE" else codes.BAD_COPY
            stmt.problems.append(
                Problem(code, nxt.start if nxt else start, "BY expected in the REPLACING phrase")
            )
            _skip_to_period(cur)
            return
        cur.take()
        if pseudo_only:
            nxt = cur.peek()
            if nxt is None or nxt.kind != "pseudo":
                stmt.problems.append(
                    Problem(
                        codes.BAD_REPLACE,
                        nxt.start if nxt else cur.pos,
                        "REPLACE operands must be pseudo-text (==...==)",
                    )
                )
                _skip_to_period(cur)
                return
        right = _operand(cur, left=False)
        if right is None and cur.broken:
            return
        if right is None:
            stmt.problems.append(
                Problem(codes.BAD_REPLACING_OPERAND, cur.pos, "operand expected after BY")
            )
            _skip_to_period(cur)
            return
        keys, _, _, lit_first = left
        _, ra, rb, _ = right
        if not keys:
            stmt.problems.append(
                Problem(
                    codes.BAD_REPLACING_OPERAND, start, "the text to replace is empty; pair ignored"
                )
            )
            continue
        if mode != "full" and (len(keys) != 1 or lit_first or len(right[0]) > 1):
            stmt.problems.append(
                Problem(
                    codes.BAD_REPLACING_OPERAND,
                    start,
                    f"{mode.upper()} needs a single word on each side; pair ignored",
                )
            )
            continue
        stmt.rules.append(Rule(keys, mode, cur.mt, ra, rb, lit_first))


def _skip_to_period(cur: _Cursor) -> None:
    """Error recovery: skip to the statement's period (or past a broken pseudo-text)."""
    while (t := cur.take()) is not None:
        if t.kind in ("period", "badpseudo"):
            return


def _finish(cur: _Cursor, stmt: Statement, code: str, what: str) -> None:
    """Expect the separator period that ends a COPY/REPLACE statement."""
    nxt = cur.peek()
    if nxt is not None and nxt.kind == "period":
        cur.take()
    elif not any(p.code == codes.UNTERMINATED_PSEUDO_TEXT for p in stmt.problems):
        stmt.problems.append(
            Problem(
                code,
                nxt.start if nxt else cur.pos,
                f"{what} statement not ended by a period",
                "end it with a period (the text after it was read as program text)",
            )
        )
    stmt.end = cur.pos


def parse_copy(mt: MText, word: int) -> Statement:
    """The COPY statement whose COPY word is at ``word``."""
    stmt = Statement("COPY", word, word, word)
    cur = _Cursor(mt, word + 4, stmt)
    name = cur.peek()
    if name is None or name.kind not in ("word", "lit"):
        stmt.problems.append(Problem(codes.BAD_COPY, word, "COPY without a text name"))
        if name is not None and name.kind == "period":
            cur.take()
        stmt.end = cur.pos
        return stmt
    cur.take()
    stmt.name, stmt.name_pos = _name(mt.text[name.start : name.end]), name.start
    if cur.at_word("OF", "IN"):
        cur.take()
        lib = cur.take()
        if lib is None or lib.kind not in ("word", "lit"):
            stmt.problems.append(Problem(codes.BAD_COPY, cur.pos, "library name expected"))
        else:
            stmt.library = _name(mt.text[lib.start : lib.end])
            stmt.library_pos = lib.start
    if cur.at_word("SUPPRESS"):
        cur.take()
        if cur.at_word("PRINTING"):
            cur.take()
    if cur.at_word("REPLACING"):
        cur.take()
        stmt.replacing = True
        _replacing(cur, stmt, pseudo_only=False)
    _finish(cur, stmt, codes.BAD_COPY, "COPY")
    return stmt


def parse_include(mt: MText, exec_pos: int, word: int) -> Statement:
    """``EXEC SQL INCLUDE name END-EXEC`` (the EXEC at ``exec_pos``, INCLUDE at ``word``)."""
    stmt = Statement("SQL INCLUDE", exec_pos, word + 7, word)
    cur = _Cursor(mt, word + 7, stmt)
    name = cur.take()
    if name is None or name.kind not in ("word", "lit"):
        stmt.problems.append(Problem(codes.BAD_COPY, word, "EXEC SQL INCLUDE without a name"))
        stmt.end = cur.pos
        return stmt
    stmt.name, stmt.name_pos = _name(mt.text[name.start : name.end]), name.start
    if cur.at_word("END-EXEC"):
        cur.take()
    else:
        stmt.problems.append(Problem(codes.BAD_COPY, cur.pos, "END-EXEC expected"))
    stmt.end = cur.pos
    return stmt


def parse_replace(mt: MText, word: int) -> Statement:
    """The REPLACE statement whose REPLACE word is at ``word``."""
    stmt = Statement("REPLACE", word, word, word)
    cur = _Cursor(mt, word + 7, stmt)
    if cur.at_word("LAST"):
        cur.take()
        stmt.last = True
    if cur.at_word("OFF"):
        cur.take()
        stmt.off = True
    else:
        if cur.at_word("ALSO"):
            cur.take()
            stmt.also = True
        _replacing(cur, stmt, pseudo_only=True)
        if not stmt.rules and not stmt.problems:
            stmt.problems.append(Problem(codes.BAD_REPLACE, word, "REPLACE without operands"))
    _finish(cur, stmt, codes.BAD_REPLACE, "REPLACE")
    return stmt


def _name(s: str) -> str:
    """A text or library name as written: quotes removed, upper case for words."""
    if s[:1] in "\"'" and len(s) >= 2:
        return s[1:-1] if s[-1] == s[0] else s[1:]
    return s.upper()


def _in_literal(text: str, p: int) -> bool:
    line_start = text.rfind("\n", 0, p) + 1
    return open_quote(text[line_start:p]) is not None


def is_word_at(text: str, p: int, length: int) -> bool:
    """Whether ``text[p:p+length]`` stands as a whole word (not part of a longer word)."""
    if p > 0 and text[p - 1] in _WORD_CHARS:
        return False
    after = text[p + length : p + length + 1]
    return not after or after.isspace() or after in ".,;"


class Scanner:
    """Finds COPY, EXEC SQL INCLUDE and REPLACE statements in one text, front to back.

    Each keyword's next occurrence is remembered, so a text with many statements is still
    scanned once per keyword (searching afresh from every statement would be quadratic).
    """

    def __init__(self, text: str, upper: str) -> None:
        self.text = text
        self.upper = upper
        self._next: dict[str, int] = {}

    def _find(self, needle: str, i: int) -> int:
        p = self._next.get(needle, -2)
        if p == -1 or p >= i:
            return p
        p = self.upper.find(needle, i)
        self._next[needle] = p
        return p

    def next_copy(self, start: int) -> tuple[str, int, int] | None:
        """The next COPY or EXEC SQL INCLUDE at or after ``start``: ``(verb, start, word)``."""
        text, upper = self.text, self.upper
        i = start
        while True:
            c = self._find("COPY", i)
            n = self._find("INCLUDE", i)
            if c < 0 and n < 0:
                return None
            if c >= 0 and (n < 0 or c < n):
                i = c + 4
                if (
                    is_word_at(upper, c, 4)
                    and text[c + 4 : c + 5].isspace()
                    and not _in_literal(text, c)
                ):
                    return "COPY", c, c
            else:
                i = n + 7
                if is_word_at(upper, n, 7):
                    m = _EXEC_SQL_BEFORE.search(upper, max(0, n - 40), n)
                    if m and not _in_literal(text, m.start()):
                        return "SQL INCLUDE", m.start(), n

    def next_replace(self, start: int) -> int | None:
        """Offset of the next REPLACE statement at or after ``start``."""
        upper = self.upper
        i = start
        while True:
            r = self._find("REPLACE", i)
            if r < 0:
                return None
            i = r + 7
            if not is_word_at(upper, r, 7):
                continue
            after = _SPACE.match(upper, r + 7)
            at = after.end() if after else r + 7
            if upper.startswith(
                ("==", "OFF", "ALSO", "LAST", "LEADING", "TRAILING"), at
            ) and not _in_literal(self.text, r):
                return r


def apply_rules(mt: MText, a: int, b: int, rules: list[Rule], out: Builder) -> None:
    """Append ``mt.text[a:b]`` to ``out`` with ``rules`` applied (first matching rule wins,
    matched text is not scanned again)."""
    if not rules or a >= b:
        out.add_slice(mt, a, b)
        return
    toks = tokens(mt.text, a, b)
    keys = [t.key for t in toks]
    partial = [(i, r) for i, r in enumerate(rules) if r.mode != "full"]
    by_first: dict[str, list[tuple[int, Rule]]] = {}
    for i, r in enumerate(rules):
        if r.mode == "full":
            by_first.setdefault(r.keys[0], []).append((i, r))
    for k in by_first:
        by_first[k] = sorted(by_first[k] + partial, key=lambda x: x[0])
    emitted = a
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        cands = by_first.get(t.key, partial)
        matched = False
        for _, r in cands:
            if r.mode == "full":
                size = len(r.keys)
                if i + size <= n and (size == 1 or tuple(keys[i : i + size]) == r.keys):
                    out.add_slice(mt, emitted, t.start)
                    out.add_slice(r.source, r.start, r.end)
                    emitted = toks[i + size - 1].end
                    i += size
                    matched = True
                    break
            elif t.kind == "word":
                word, part = t.key, r.keys[0]
                if r.mode == "leading" and word.startswith(part):
                    out.add_slice(mt, emitted, t.start)
                    out.add_slice(r.source, r.start, r.end)
                    emitted = t.start + len(part)
                elif r.mode == "trailing" and word.endswith(part):
                    out.add_slice(mt, emitted, t.end - len(part))
                    out.add_slice(r.source, r.start, r.end)
                    emitted = t.end
                else:
                    continue
                i += 1
                matched = True
                break
        if not matched:
            i += 1
    out.add_slice(mt, emitted, b)
