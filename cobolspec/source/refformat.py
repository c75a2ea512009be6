"""Reference format: physical lines to logical lines, keeping a map back to the columns.

One logical line per physical line, so line structure survives:

* fixed (columns 1-6 sequence, 7 indicator, 8-72 program text, 73-80 ignored) and variable
  (the same, with program text up to column 250): columns 1-7 become spaces; ``*`` and ``/``
  comment lines, debugging lines (``D``/``d``, unless WITH DEBUGGING MODE), CBL/PROCESS cards,
  ``>>`` and ``$SET`` directives and the listing statements EJECT, SKIP1/2/3 and TITLE become
  empty lines; a ``-`` continuation line is joined to the line it continues and leaves an empty
  line behind;
* free: the line as written;
* in every format ``*>`` starts a comment that runs to the end of the line, and tabs are
  expanded to stops every 8 columns before the columns are cut (fixed and variable only).

The hot loop handles an ordinary line with two slices; lines that need more (tabs, ``*>``,
directives, continuations, odd indicators) are found beforehand with regular expressions over the
whole text and take the slow path.

>>> r = process(["000100 ID DIVISION.".ljust(72) + "PGM1", "000200* NOTE", "000300D  X."], "P.cbl")
>>> r.mt.text
'       ID DIVISION.\\n\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.source import codes
from cobolspec.source.mapped import MText

FIXED, FREE, VARIABLE = "fixed", "free", "variable"
FORMATS = (FIXED, FREE, VARIABLE)
_AREA_END = {FIXED: 72, VARIABLE: 250, FREE: 1 << 30}
_PREFIX = " " * 7
_MAX_INDICATOR_WARNINGS = 10

_LISTING_WORDS = ("EJECT", "SKIP", "TITLE")
_DOLLAR_SET = re.compile(r"\$[ \t]*SET\b", re.I)
_LISTING = re.compile(
    r"\s*(?:(?:EJECT|SKIP[123])\s*\.?|TITLE\s+(?:\"[^\"]*\"|'[^']*')\s*\.?)\s*$", re.I
)
_CBL = re.compile(r"(?:[^\n]{6}[ \t]+|[ \t]*)(CBL|PROCESS)(?:[ \t]|$)", re.I)
_SOURCE_DIRECTIVE = re.compile(
    r">>\s*SOURCE\s+(?:FORMAT\s+)?(?:IS\s+)?(FREE|FIXED|VARIABLE)\b", re.I
)
_SOURCEFORMAT = re.compile(r"SOURCEFORMAT\s*(?:\(\s*|\"|'|=\s*)?\s*(FREE|FIXED|VARIABLE)", re.I)
_CONDITIONAL = re.compile(r">>\s*(?:IF|ELSE|ELIF|END-IF|DEFINE|EVALUATE|WHEN|END-EVALUATE)\b", re.I)
_DEBUGGING_MODE = re.compile(r"DEBUGGING\s+MODE(?![\w-])")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass(slots=True)
class Logical:
    """The logical text of one physical file (or member), its map and what was seen in it."""

    mt: MText
    #: Format in force at the start of the text.
    format: str = FIXED
    options: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: ``(offset, format)`` from which a ``>>SOURCE``/``$SET`` directive switched the format.
    switches: list[tuple[int, str]] = field(default_factory=list)
    #: Format in force at the end of the text.
    final_format: str = FIXED


def open_quote(s: str, quote: str | None = None) -> tuple[str, int] | None:
    """The quote character and offset of an alphanumeric literal left open at the end of ``s``.

    ``quote`` says ``s`` starts inside a literal opened by that character. A doubled quote
    inside a literal closes and reopens it, which gives the same answer.

    >>> open_quote('MOVE "AB""C" TO X'), open_quote('VALUE "ABC')
    (None, ('"', 6))
    """
    i, n = 0, len(s)
    start = -1
    while True:
        if quote is None:
            d, a = s.find('"', i), s.find("'", i)
            if d < 0 and a < 0:
                return None
            j = a if d < 0 or (0 <= a < d) else d
            quote, start, i = s[j], j, j + 1
        else:
            j = s.find(quote, i)
            if j < 0:
                return quote, start
            quote, i = None, j + 1
        if i >= n and quote is None:
            return None


def strip_floating_comment(s: str, quote: str | None = None) -> str:
    """``s`` without a ``*>`` comment (one outside alphanumeric literals) and what follows.

    >>> strip_floating_comment('MOVE "*>" TO X *> note')
    'MOVE "*>" TO X '
    """
    i = 0
    while True:
        k = s.find("*>", i)
        if k < 0:
            return s
        state = open_quote(s[:k], quote)
        if state is None:
            return s[:k]
        i = k + 2


def expand_tabs(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """Expand tabs (stops every 8 columns); runs ``(offset, physical column)`` for the result.

    >>> expand_tabs("\\tMOVE\\tA")
    ('        MOVE    A', [(0, 1), (8, 2), (12, 6), (16, 7)])
    """
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    pos, col = 0, 1
    for k, part in enumerate(raw.split("\t")):
        if k:
            width = 8 - pos % 8
            runs.append((pos, col))
            out.append(" " * width)
            pos += width
            col += 1
        if part:
            runs.append((pos, col))
            out.append(part)
            pos += len(part)
            col += len(part)
    return "".join(out), runs


def _column(runs: list[tuple[int, int]] | None, pos: int) -> int:
    """Physical column of offset ``pos`` of an (expanded) line."""
    if runs is None:
        return pos + 1
    col = 1
    for o, c in runs:
        if o > pos:
            break
        col = c + pos - o
    return col


def _sub_runs(
    runs: list[tuple[int, int]] | None, a: int, b: int, dest: int, line: int
) -> list[tuple[int, int, int]]:
    """Runs for the characters ``[a, b)`` of a line, moved to start at offset ``dest``."""
    if runs is None:
        return [(dest, line, a + 1)]
    out = [(dest, line, _column(runs, a))]
    for o, c in runs:
        if a < o < b:
            out.append((dest + o - a, line, c))
    return out


def _find_all(text: str, needle: str) -> Iterator[int]:
    p = text.find(needle)
    while p >= 0:
        yield p
        p = text.find(needle, p + 1)


def _line_indexes(text: str, positions: Sequence[int]) -> Iterator[int]:
    """0-based line index of each position (positions in increasing order)."""
    line, last = 0, 0
    for p in positions:
        line += text.count("\n", last, p)
        last = p
        yield line


def has_debugging_mode(lines: Sequence[str], text: str, fmt: str) -> bool:
    """Whether ``WITH DEBUGGING MODE`` is written in program text (so D lines are code).

    Comment lines, debugging lines, literals and floating comments do not count.
    """
    upper = text.upper()
    p = upper.find("DEBUGGING")
    while p >= 0:
        m = _DEBUGGING_MODE.match(upper, p)
        if m and (p == 0 or upper[p - 1] not in _WORD_CHARS):
            i = text.count("\n", 0, p)
            raw = lines[i] if i < len(lines) else ""
            col = p - (text.rfind("\n", 0, p) + 1)
            if fmt == FREE:
                before = raw[:col]
            elif raw[6:7] in (" ", "") and col >= 7:
                before = raw[7:col]
            else:
                before = None  # comment, debugging or continuation line, or sequence area
            if (
                before is not None
                and open_quote(before) is None
                and strip_floating_comment(before) == before
            ):
                return True
        p = upper.find("DEBUGGING", p + 1)
    return False


@dataclass(slots=True)
class _Tail:
    """A logical line that continuation lines are being added to."""

    parts: list[str]
    length: int
    last: str  # its last character
    quote: str | None  # the quote of an alphanumeric literal still open at its end
    runs: list[tuple[int, int, int]]


class _Processor:
    """State of one pass over the physical lines of one file."""

    def __init__(
        self,
        lines: Sequence[str],
        file: str,
        first_line: int,
        fmt: str,
        debugging: bool,
    ) -> None:
        self.lines = lines
        self.file = file
        self.first = first_line
        self.fmt = fmt
        self.initial = fmt
        self.debugging = debugging
        self.out: list[str] = [""] * len(lines)
        self.xruns: dict[int, list[tuple[int, int, int]]] = {}
        self.continued: dict[int, int] = {}  # continuation line -> the line it continued
        self.tails: dict[int, _Tail] = {}  # continued lines, built up piece by piece
        self.options: list[str] = []
        self.diags: list[Diagnostic] = []
        self.switch_lines: list[tuple[int, str]] = []
        self.indicator_warnings = 0
        self.conditional_seen = False

    # -- diagnostics -----------------------------------------------------------------------
    def diag(
        self, code: str, sev: Severity, i: int, col: int, msg: str, hint: str | None = None
    ) -> None:
        loc = Location(self.file, self.first + i, col)
        self.diags.append(Diagnostic(code, sev, msg, loc, self.lines[i], hint))

    # -- the pass --------------------------------------------------------------------------
    def run(self, text: str) -> None:
        lines, out = self.lines, self.out
        special = self._special_lines(text)
        fmt = self.fmt
        end = _AREA_END[fmt]
        prefix = _PREFIX
        for i in range(len(lines)):
            if i in special:
                self._slow(i, special[i])
                if self.fmt != fmt:
                    fmt = self.fmt
                    end = _AREA_END[fmt]
                continue
            raw = lines[i]
            if fmt == FREE:
                out[i] = raw.rstrip()
                continue
            ind = raw[6:7]
            if ind == " ":
                body = raw[7:end].rstrip()
                if body:
                    out[i] = prefix + body
            elif ind in ("*", "/", ""):
                continue
            else:
                self._slow(i, "")

    def _special_lines(self, text: str) -> dict[int, str]:
        """Lines that need the slow path, with a hint of why ("t" tab, "c" CBL card...)."""
        special: dict[int, str] = {}
        hits: list[tuple[int, str]] = []
        for needle, why in (("\t", "t"), ("*>", "f"), (">>", "d")):
            hits.extend((p, why) for p in _find_all(text, needle))
        if "$" in text:
            hits.extend((m.start(), "d") for m in _DOLLAR_SET.finditer(text))
        upper = text.upper()
        for word in _LISTING_WORDS:
            hits.extend((p, "w") for p in _find_all(upper, word))
        hits.sort()
        for i, (_, why) in zip(_line_indexes(text, [p for p, _ in hits]), hits, strict=True):
            special[i] = special.get(i, "") + why
        # CBL/PROCESS cards: only before the first line of program text.
        for i, raw in enumerate(self.lines):
            if not raw.strip() or (self.fmt != FREE and raw[6:7] in ("*", "/")):
                continue
            if _CBL.match(raw[: _AREA_END[self.fmt]]):
                special[i] = special.get(i, "") + "c"
                continue
            break
        return special

    def _slow(self, i: int, why: str) -> None:
        raw = self.lines[i]
        runs: list[tuple[int, int]] | None = None
        if "t" in why and self.fmt != FREE:
            s, runs = expand_tabs(raw)
        else:
            s = raw
        if "c" in why:
            card = _CBL.match(s[: _AREA_END[self.fmt]])
            self.options.append(s[card.start(1) : _AREA_END[self.fmt]].strip() if card else s)
            return
        if self.fmt == FREE:
            self._free_line(i, s)
            return
        end = _AREA_END[self.fmt]
        area = s[:end]
        head = area.lstrip()
        if "d" in why and (head.startswith(">>") or area[6:].lstrip().startswith(">>")):
            self._directive(i, head if head.startswith(">>") else area[6:].lstrip())
            return
        ind = s[6:7]
        if ind == "$" or ("d" in why and head[:1] == "$" and _DOLLAR_SET.match(head)):
            self._directive(i, area[6:].strip() if ind == "$" else head.strip())
            return
        if ind in ("*", "/", ""):
            return
        if ind in ("D", "d"):
            if not self.debugging:
                return
        elif ind == "-":
            self._continuation(i, s, runs, end)
            return
        elif ind != " ":
            self.indicator_warnings += 1
            if self.indicator_warnings <= _MAX_INDICATOR_WARNINGS:
                self.diag(
                    codes.BAD_INDICATOR,
                    Severity.WARNING,
                    i,
                    _column(runs, 6),
                    f"unexpected character {ind!r} in the indicator area (column 7); "
                    "read as a space",
                    "column 7 holds a space, *, /, -, D or $ (is the member in another format?)",
                )
        body = s[7:end]
        if "w" in why and _LISTING.match(body):
            return
        if "f" in why:
            body = strip_floating_comment(body)
        self._code(i, body, runs)

    def _code(self, i: int, body: str, runs: list[tuple[int, int]] | None) -> None:
        """Line ``i`` is program text: ``body`` from column 8 (``runs`` if tabs were expanded)."""
        text = (_PREFIX + body).rstrip()
        self.out[i] = text
        if runs is not None:
            self.xruns[i] = [(o, self.first + i, c) for o, c in runs if o <= len(text)]

    def _free_line(self, i: int, s: str) -> None:
        head = s.lstrip()
        if head.startswith(">>"):
            if head[2:4].upper() == "D " or head[2:].upper() == "D":
                if not self.debugging:
                    return
                k = s.index(">>")
                s = s[:k] + "   " + s[k + 3 :]
            else:
                self._directive(i, head)
                return
        elif head[:1] == "$" and _DOLLAR_SET.match(head):
            self._directive(i, head.strip())
            return
        if "*>" in s:
            s = strip_floating_comment(s)
        s = s.rstrip()
        if _LISTING.match(s):
            return
        self.out[i] = s

    def _directive(self, i: int, text: str) -> None:
        text = text.strip()
        if "*>" in text:
            text = strip_floating_comment(text).rstrip()
        self.options.append(text)
        m = _SOURCE_DIRECTIVE.match(text) or (
            _SOURCEFORMAT.search(text) if text.startswith("$") else None
        )
        if m:
            new = m.group(1).lower()
            if new != self.fmt:
                self.fmt = new
                self.switch_lines.append((i + 1, new))
        elif _CONDITIONAL.match(text) and not self.conditional_seen:
            self.conditional_seen = True
            self.diag(
                codes.CONDITIONAL,
                Severity.INFO,
                i,
                1,
                "conditional compilation directives are not evaluated; "
                "the text of every branch is kept",
            )

    def _continuation(self, i: int, s: str, runs: list[tuple[int, int]] | None, end: int) -> None:
        out = self.out
        body = s[7:end]
        k = len(body) - len(body.lstrip())
        if k == len(body):
            return  # a blank continuation line continues nothing
        j = i - 1
        while j >= 0 and not out[j]:
            if j in self.continued:  # an earlier continuation line: go straight to its target
                j = self.continued[j]
                break
            j -= 1
        if j < 0:
            self.diag(
                codes.ORPHAN_CONTINUATION,
                Severity.WARNING,
                i,
                _column(runs, 6),
                "continuation line with no line before it to continue; read as a normal line",
            )
            self._code(i, strip_floating_comment(body) if "*>" in body else body, runs)
            return
        tail = self.tails.get(j)
        if tail is None:
            prev = out[j]
            state = open_quote(prev)
            line_runs = self.xruns.setdefault(j, [(0, self.first + j, 1)])
            tail = self.tails[j] = _Tail(
                [prev], len(prev), prev[-1:], state and state[0], line_runs
            )
        line = self.first + i
        o, _, c = tail.runs[-1]
        last_col = c + tail.length - o - 1  # physical column of the line's last character
        quote = tail.quote
        # a doubled quote split over the lines: the continued line ends with the first quote of
        # the pair in its last column, the continuation line opens with the continuation quote
        # and then the second quote of the pair
        split = (
            quote is None
            and tail.last in ("'", '"')
            and last_col == end
            and body[k : k + 2] == tail.last * 2
        )
        if split:
            quote = tail.last
        pad = 0
        if quote is not None:
            pad = max(0, end - last_col)
            start = k
            if body[k] in "\"'":
                start = k + 1
            else:
                self.diag(
                    codes.BAD_LITERAL_CONTINUATION,
                    Severity.WARNING,
                    i,
                    _column(runs, 7 + k),
                    "a continued alphanumeric literal must go on with a quotation mark "
                    "as the first character of the continuation line",
                )
            piece = body[start:]
            if "*>" in piece:
                piece = strip_floating_comment(piece, quote)
            after = open_quote(piece[1:] if split else piece, quote)
            # still open: the spaces up to the end of the area belong to the literal
            piece = piece.ljust(end - 7 - start) if after is not None else piece.rstrip()
        else:
            start = k
            piece = body[start:]
            if "*>" in piece:
                piece = strip_floating_comment(piece)
            piece = piece.rstrip()
            after = open_quote(piece)
        if pad:
            tail.parts.append(" " * pad)
            tail.length += pad
            tail.last = " "
        if piece:
            tail.runs.extend(_sub_runs(runs, 7 + start, 7 + start + len(piece), tail.length, line))
            tail.parts.append(piece)
            tail.length += len(piece)
            tail.last = piece[-1]
        tail.quote = after[0] if after else None
        self.continued[i] = j

    # -- result ----------------------------------------------------------------------------
    def result(self) -> Logical:
        out, xruns, first, file = self.out, self.xruns, self.first, self.file
        for j, tail in self.tails.items():
            out[j] = "".join(tail.parts)
        n = len(out)
        starts = list(accumulate([len(t) + 1 for t in out], initial=0))
        if not xruns:
            offs, lns, cols = starts[:n], list(range(first, first + n)), [1] * n
        else:
            offs, lns, cols = [], [], []
            prev = 0
            for k in sorted(xruns):
                offs.extend(starts[prev:k])
                lns.extend(range(first + prev, first + k))
                cols.extend([1] * (k - prev))
                base, limit = starts[k], len(out[k])
                for o, ln, c in xruns[k]:
                    if o > limit:
                        continue
                    if offs and offs[-1] == base + o:  # a run that ended up empty
                        lns[-1], cols[-1] = ln, c
                        continue
                    offs.append(base + o)
                    lns.append(ln)
                    cols.append(c)
                prev = k + 1
            offs.extend(starts[prev:n])
            lns.extend(range(first + prev, first + n))
            cols.extend([1] * (n - prev))
        text = "\n".join(out)
        if not out:
            offs, lns, cols = [0], [first], [1]
        mt = MText(text, offs, [file] * len(offs), lns, cols)
        switches = [(starts[ln] if ln < n else len(text), f) for ln, f in self.switch_lines]
        return Logical(mt, self.initial, self.options, self.diags, switches, self.fmt)


def process(
    lines: Sequence[str],
    file: str,
    first_line: int = 1,
    fmt: str = FIXED,
    debugging: bool = False,
    text: str | None = None,
) -> Logical:
    """Logical text of the physical ``lines`` of ``file`` (the first being ``first_line``).

    ``text`` is ``"\\n".join(lines)`` when the caller already has it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown reference format {fmt!r}")
    p = _Processor(lines, file, first_line, fmt, debugging)
    p.run("\n".join(lines) if text is None else text)
    result = p.result()
    _check_open_literal(p, result)
    return result


def _check_open_literal(p: _Processor, result: Logical) -> None:
    """A source that ends inside an alphanumeric literal has been cut short."""
    out = p.out
    j = len(out) - 1
    while j >= 0 and not out[j]:
        j -= 1
    if j < 0:
        return
    state = open_quote(out[j])
    if state is None:
        return
    start = sum(len(t) + 1 for t in out[:j])
    file, line, col = result.mt.locate(start + state[1])
    raw_index = line - p.first
    src = p.lines[raw_index] if 0 <= raw_index < len(p.lines) else None
    p.diags.append(
        Diagnostic(
            codes.UNTERMINATED_LITERAL,
            Severity.WARNING,
            "alphanumeric literal not closed before the end of the source (truncated?)",
            Location(file, line, col),
            src,
        )
    )


_VALID_INDICATORS = frozenset(" *-/Dd$>")
_DIRECTIVE_FORMAT = re.compile(
    r"^[^\n]*?(?:>>\s*SOURCE\s+(?:FORMAT\s+)?(?:IS\s+)?|\$\s*SET\s+[^\n]*?SOURCEFORMAT\s*"
    r"(?:\(\s*|\"|'|=\s*)?\s*)(FREE|FIXED|VARIABLE)",
    re.I | re.M,
)


def detect_format(lines: Sequence[str], text: str | None = None) -> tuple[str, str | None]:
    """The reference format of a member, and why when it is not the default (fixed).

    A ``>>SOURCE FORMAT`` or ``$SET SOURCEFORMAT`` directive before the first line of program
    text decides. Otherwise: free when program text starts in columns 1-7 (the indicator area
    holds characters no indicator can be) and there are no sequence numbers; variable when
    program text runs past column 80; else fixed.

    >>> detect_format(["IDENTIFICATION DIVISION.", "PROGRAM-ID. A.", "PROCEDURE DIVISION."])
    ('free', 'program text starts before column 8 (3 of 3 lines)')
    """
    if text is None:
        text = "\n".join(lines)
    m = _DIRECTIVE_FORMAT.search(text) if (">>" in text or "$" in text) else None
    if m:
        before = text.count("\n", 0, m.start())
        if all(
            not ln.strip() or ln[6:7] in ("*", "/") or ln.lstrip().startswith("*>")
            for ln in lines[:before]
        ):
            return m.group(1).lower(), f"directive {m.group(0).strip()!r}"
    total = bad = numbered = 0
    for raw in lines:
        if not raw.strip():
            continue
        if "\t" in raw:
            raw = raw.expandtabs(8)
        total += 1
        if raw[:6].isdigit():
            numbered += 1
        ind = raw[6:7]
        if (ind and ind not in _VALID_INDICATORS) or raw[:6].lstrip().startswith("*>"):
            bad += 1
        if total >= 300:
            break
    if total and numbered * 2 < total and (bad >= max(2, total // 5) or (bad and total <= 5)):
        return FREE, f"program text starts before column 8 ({bad} of {total} lines)"
    if max(map(len, lines), default=0) > 80:
        long = ident = 0
        for raw in lines:
            if len(raw) <= 72 or raw[6:7] in ("*", "/"):
                continue
            if raw[80:].strip():
                long += 1
            elif raw[72:80].strip():
                ident += 1
        if long > ident:
            # text past column 80 on a few lines of a member whose columns 73-80 otherwise
            # hold an identification area is debris, not variable format
            return VARIABLE, f"program text past column 80 ({long} lines)"
    return FIXED, None
