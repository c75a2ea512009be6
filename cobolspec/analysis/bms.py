"""BMS mapsets: DFHMSD, DFHMDI and DFHMDF macros → mapset, maps and fields with locations.

BMS source is assembler: a name in column 1 (if any), the operation, operands separated by
commas, remarks after the first blank outside apostrophes; ``*`` (or ``.*``) in column 1 makes a
comment. A non-blank column 72 continues the statement: the operands go on in column 16 of the
next line (after a trailing comma), and an apostrophe string open at column 71 goes on in
column 16. In strings a doubled apostrophe or ampersand stands for one. Columns 73-80 are a
sequence number.

Read: DFHMSD (TYPE=MAP/DSECT/&SYSPARM/FINAL, MODE, LANG, STORAGE, CTRL, TIOAPFX, TERM...),
DFHMDI (SIZE, LINE, COLUMN...), DFHMDF (POS=(line,column) or an offset, LENGTH, ATTRB,
INITIAL, PICIN, PICOUT, COLOR, HILIGHT, JUSTIFY, GRPNAME, OCCURS...). Every operand is also kept
as written in ``params``. Assembler instructions (PRINT, TITLE, EJECT, SPACE, END...) are
skipped.

Diagnostic codes:

======  ========  ===========================================================================
code    severity  meaning
======  ========  ===========================================================================
BMS001  error     malformed statement: apostrophes or parentheses do not pair up, a
                  continuation line missing or not blank in columns 1-15
BMS002  warning   macro out of order (DFHMDF before any DFHMDI, DFHMDI before DFHMSD,
                  statements after DFHMSD TYPE=FINAL)
BMS003  warning   operand value not usable (POS, LENGTH, SIZE, OCCURS not numbers; POS outside
                  the map; INITIAL longer than LENGTH)
BMS004  warning   no DFHMSD TYPE=FINAL (truncated member?)
BMS005  warning   unknown operation; statement ignored
BMS006  warning   fields overlap on the screen
BMS007  warning   field name used twice in a map, or a name longer than BMS allows
======  ========  ===========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cobolspec.analysis.jcl import scan_operands
from cobolspec.diagnostics import Diagnostic, Location, Severity

__all__ = ["BmsField", "BmsMap", "Mapset", "parse_bms"]

MALFORMED = "BMS001"
OUT_OF_ORDER = "BMS002"
BAD_VALUE = "BMS003"
NO_FINAL = "BMS004"
UNKNOWN_OPERATION = "BMS005"
OVERLAP = "BMS006"
BAD_NAME = "BMS007"

_FIELD_END = 71
_CONTINUE_COLUMN = 15  # index of column 16
_ASSEMBLER = frozenset(
    {"PRINT", "TITLE", "EJECT", "SPACE", "END", "PUNCH", "COPY", "MACRO", "MEND", "ANOP"}
)
_KEYWORD = re.compile(r"([A-Za-z@#$][A-Za-z0-9@#$]*)=")
_NUMBER = re.compile(r"\d+")
_OPERATION = re.compile(r"\s*(\S+)")


@dataclass(slots=True)
class BmsField:
    """A DFHMDF field; ``name`` is None for an unnamed (constant or stopper) field."""

    name: str | None
    location: Location
    pos: tuple[int, int] | None = None
    offset: int | None = None
    length: int | None = None
    attrb: tuple[str, ...] = ()
    initial: str | None = None
    picin: str | None = None
    picout: str | None = None
    color: str | None = None
    hilight: str | None = None
    justify: tuple[str, ...] = ()
    grpname: str | None = None
    occurs: int | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class BmsMap:
    """A DFHMDI map with its fields in source order."""

    name: str
    location: Location
    size: tuple[int, int] | None = None
    line: str | None = None
    column: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    fields: list[BmsField] = field(default_factory=list)

    @property
    def named_fields(self) -> list[str]:
        """Names of the named fields, in order (the symbolic map's fields)."""
        return [f.name for f in self.fields if f.name]


@dataclass(slots=True)
class Mapset:
    """A DFHMSD mapset: its options, maps and the diagnostics made reading it."""

    name: str
    file: str
    location: Location
    type: str | None = None
    mode: str | None = None
    lang: str | None = None
    storage: str | None = None
    ctrl: tuple[str, ...] = ()
    tioapfx: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    maps: list[BmsMap] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class _Stmt:
    label: str | None
    op: str
    operands: str
    loc: Location
    phys: list[tuple[int, str]]
    broken: bool = False  # a malformation already reported

    def diag(
        self, code: str, severity: Severity, message: str, needle: str | None = None
    ) -> Diagnostic:
        line, text = self.phys[0]
        column = 1
        if needle:
            for ln, tx in self.phys:
                k = tx.find(needle)
                if k >= 0:
                    line, text, column = ln, tx, k + 1
                    break
        return Diagnostic(code, severity, message, Location(self.loc.file, line, column), text)


def _statements(text: str, file: str, first_line: int, diags: list[Diagnostic]) -> list[_Stmt]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln.rstrip("\r") for ln in lines]
    out: list[_Stmt] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        if not raw[:_FIELD_END].strip() or raw.startswith(("*", ".*")):
            i += 1
            continue
        head = raw[:_FIELD_END].ljust(_FIELD_END)
        loc = Location(file, first_line + i, 1)
        label = None
        k = 0
        if head[0] != " ":
            label = head.split(" ", 1)[0]
            k = len(label)
        m = _OPERATION.match(head, k)
        st = _Stmt(label, "", "", loc, [(first_line + i, raw)])
        if m is None:
            diags.append(st.diag(MALFORMED, Severity.ERROR, "label without an operation"))
            i += 1
            continue
        st.op = m.group(1).upper()
        k = m.end()
        while k < _FIELD_END and head[k] == " ":
            k += 1
        end, quoted = scan_operands(head, k, False)
        parts = [head[k:end]]
        continued = bool(raw[71:72].strip())
        while continued or quoted:
            if not continued:  # a string open at column 71 with no continuation mark
                diags.append(st.diag(MALFORMED, Severity.ERROR, "apostrophe string not closed"))
                st.broken = True
                break
            i += 1
            if i >= len(lines):
                diags.append(
                    st.diag(
                        MALFORMED,
                        Severity.ERROR,
                        "column 72 marks a continuation but the member ends (truncated?)",
                    )
                )
                st.broken = True
                break
            raw = lines[i]
            st.phys.append((first_line + i, raw))
            head = raw[:_FIELD_END].ljust(_FIELD_END)
            misplaced = bool(head[:_CONTINUE_COLUMN].strip())
            if misplaced:
                diags.append(
                    Diagnostic(
                        MALFORMED,
                        Severity.ERROR,
                        "continuation line must be blank in columns 1-15 and go on in column 16",
                        Location(file, first_line + i, 1),
                        raw,
                    )
                )
            if quoted:
                end, quoted = scan_operands(head, _CONTINUE_COLUMN, True)
                parts.append(head[_CONTINUE_COLUMN:end])
            elif parts[-1].endswith(","):
                # a misplaced continuation is read from its first non-blank, as meant
                skip = 0 if misplaced else _CONTINUE_COLUMN
                start = len(head) - len(head[skip:].lstrip())
                end, quoted = scan_operands(head, start, False)
                parts.append(head[start:end])
            # otherwise the continuation line only continues the remarks
            continued = bool(raw[71:72].strip())
        st.operands = "".join(parts).rstrip()
        out.append(st)
        i += 1
    return out


def _split(text: str) -> tuple[list[str], str | None]:
    items: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    if quoted:
        return items, "apostrophes do not pair up"
    if depth:
        return items, "parentheses do not pair up"
    return items, None


def _string(value: str) -> str:
    """An assembler character string's value: ``'IT''S A&&B'`` → ``IT'S A&B``."""
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return value[1:-1].replace("''", "'").replace("&&", "&")
    if value.startswith("'"):  # not closed (already reported): what is there
        return value[1:].replace("''", "'").replace("&&", "&")
    return value


def _list(value: str) -> tuple[str, ...]:
    """``(A,B)`` → ``('A', 'B')``; ``A`` → ``('A',)``."""
    value = value.strip()
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1]
    return tuple(v.strip().upper() for v in _split(value)[0] if v.strip())


class _Reader:
    def __init__(self, file: str, diags: list[Diagnostic]) -> None:
        self.file = file
        self.diags = diags

    def params(self, st: _Stmt) -> dict[str, str]:
        items, error = _split(st.operands)
        if error and not st.broken:
            self.diags.append(st.diag(MALFORMED, Severity.ERROR, f"{st.op} operands: {error}"))
        params: dict[str, str] = {}
        for item in items:
            m = _KEYWORD.match(item)
            if m:
                params.setdefault(m.group(1).upper(), item[m.end() :])
            elif item.strip():
                params.setdefault(item.strip().upper(), "")
        return params

    def number(self, st: _Stmt, key: str, value: str | None) -> int | None:
        if value is None:
            return None
        if _NUMBER.fullmatch(value.strip()):
            return int(value)
        self.diags.append(
            st.diag(BAD_VALUE, Severity.WARNING, f"{key}={value} is not a number", f"{key}=")
        )
        return None

    def pair(self, st: _Stmt, key: str, value: str | None) -> tuple[int, int] | None:
        if value is None:
            return None
        parts = _list(value)
        if len(parts) == 2 and all(_NUMBER.fullmatch(p) for p in parts):
            return int(parts[0]), int(parts[1])
        self.diags.append(
            st.diag(BAD_VALUE, Severity.WARNING, f"{key}={value} is not (number,number)", f"{key}=")
        )
        return None

    def field(self, st: _Stmt, bms_map: BmsMap) -> BmsField:
        p = self.params(st)
        fld = BmsField(st.label.upper() if st.label else None, st.loc, params=p)
        pos = p.get("POS")
        if pos is not None and "(" in pos:
            fld.pos = self.pair(st, "POS", pos)
        elif pos is not None:
            fld.offset = self.number(st, "POS", pos)
            if fld.offset is not None and bms_map.size is not None:
                fld.pos = (fld.offset // bms_map.size[1] + 1, fld.offset % bms_map.size[1] + 1)
        fld.length = self.number(st, "LENGTH", p.get("LENGTH"))
        fld.occurs = self.number(st, "OCCURS", p.get("OCCURS"))
        fld.attrb = _list(p["ATTRB"]) if "ATTRB" in p else ()
        fld.justify = _list(p["JUSTIFY"]) if "JUSTIFY" in p else ()
        for key in ("INITIAL", "PICIN", "PICOUT"):
            if key in p:
                setattr(fld, key.lower(), _string(p[key]))
        if fld.initial is None and "XINIT" in p:
            fld.initial = _hex_initial(p["XINIT"])
        if fld.length is None and fld.initial is not None:
            fld.length = len(fld.initial)  # BMS takes the length of INITIAL
        elif fld.length is not None and fld.initial is not None and len(fld.initial) > fld.length:
            self.diags.append(
                st.diag(
                    BAD_VALUE,
                    Severity.WARNING,
                    f"INITIAL is {len(fld.initial)} characters, longer than LENGTH={fld.length}; "
                    "BMS truncates it",
                    "INITIAL=",
                )
            )
        for key in ("COLOR", "HILIGHT", "GRPNAME"):
            if p.get(key):
                setattr(fld, key.lower(), p[key].strip().upper())
        if fld.pos is not None and bms_map.size is not None:
            row, col = fld.pos
            if not (1 <= row <= bms_map.size[0] and 1 <= col <= bms_map.size[1]):
                self.diags.append(
                    st.diag(
                        BAD_VALUE,
                        Severity.WARNING,
                        f"POS={pos} lies outside map {bms_map.name} of size "
                        f"{bms_map.size[0]}x{bms_map.size[1]}",
                        "POS=",
                    )
                )
        return fld

    def check_map(self, bms_map: BmsMap) -> None:
        seen: set[str] = set()
        for fld in bms_map.fields:
            if fld.name is None or fld.grpname:
                continue
            if fld.name in seen:
                self.diags.append(
                    Diagnostic(
                        BAD_NAME,
                        Severity.WARNING,
                        f"field {fld.name} defined twice in map {bms_map.name}",
                        fld.location,
                    )
                )
            elif len(fld.name) > 30:
                self.diags.append(
                    Diagnostic(
                        BAD_NAME,
                        Severity.WARNING,
                        f"field name {fld.name} is longer than 30 characters",
                        fld.location,
                    )
                )
            seen.add(fld.name)
        if bms_map.size is None:
            return
        width = bms_map.size[1]
        spans: list[tuple[int, int, BmsField]] = []
        for fld in bms_map.fields:
            if fld.pos is None or fld.length is None or fld.grpname:
                continue
            start = (fld.pos[0] - 1) * width + fld.pos[1] - 1  # the attribute byte
            end = start + (fld.length + 1) * (fld.occurs or 1)
            spans.append((start, end, fld))
        spans.sort(key=lambda s: s[0])
        reach: tuple[int, BmsField] | None = None  # furthest end so far, and whose
        for start, end, fld in spans:
            if reach is not None and start < reach[0]:
                other = reach[1]
                self.diags.append(
                    Diagnostic(
                        OVERLAP,
                        Severity.WARNING,
                        f"field {fld.name or 'at ' + str(fld.pos)} overlaps field "
                        f"{other.name or 'at ' + str(other.pos)} in map {bms_map.name}",
                        fld.location,
                    )
                )
            if reach is None or end > reach[0]:
                reach = (end, fld)


def _hex_initial(value: str) -> str:
    text = value.strip()
    if text[:2].upper() == "X'":
        text = text[1:]
    hexdigits = _string(text)
    try:
        return bytes.fromhex(hexdigits).decode("cp037")
    except ValueError:
        return hexdigits


def parse_bms(text: str, file: str, *, first_line: int = 1) -> Mapset:
    """A BMS mapset member → :class:`Mapset` (its diagnostics in ``Mapset.diagnostics``).

    >>> ms = parse_bms('''MS1      DFHMSD TYPE=MAP,MODE=INOUT,LANG=COBOL
    ... M1       DFHMDI SIZE=(24,80)
    ... NAME     DFHMDF POS=(3,10),LENGTH=20,ATTRB=(UNPROT,IC)
    ...          DFHMDF POS=(3,1),LENGTH=5,INITIAL='NAME:'
    ...          DFHMSD TYPE=FINAL
    ... ''', "MS1.bms")
    >>> [(f.name, f.pos, f.length, f.attrb, f.initial) for f in ms.maps[0].fields]
    [('NAME', (3, 10), 20, ('UNPROT', 'IC'), None), (None, (3, 1), 5, (), 'NAME:')]
    """
    diags: list[Diagnostic] = []
    stmts = _statements(text, file, first_line, diags)
    reader = _Reader(file, diags)
    mapset: Mapset | None = None
    current: BmsMap | None = None
    final = False
    for st in stmts:
        if st.op in _ASSEMBLER:
            continue
        if st.op not in ("DFHMSD", "DFHMDI", "DFHMDF"):
            diags.append(
                st.diag(UNKNOWN_OPERATION, Severity.WARNING, f"unknown operation {st.op}; ignored")
            )
            continue
        if final:
            diags.append(
                st.diag(OUT_OF_ORDER, Severity.WARNING, f"{st.op} after DFHMSD TYPE=FINAL")
            )
        if st.op == "DFHMSD":
            p = reader.params(st)
            if p.get("TYPE", "").upper() == "FINAL":
                final = True
                continue
            if mapset is not None:
                diags.append(
                    st.diag(OUT_OF_ORDER, Severity.WARNING, "second DFHMSD without TYPE=FINAL")
                )
                continue
            mapset = Mapset((st.label or "").upper(), file, st.loc, params=p)
            if len(mapset.name) > 7:
                diags.append(
                    st.diag(BAD_NAME, Severity.WARNING, f"mapset name {mapset.name} is too long")
                )
            mapset.type = p.get("TYPE") or None
            for key in ("MODE", "LANG", "STORAGE", "TIOAPFX"):
                if p.get(key):
                    setattr(mapset, key.lower(), p[key].strip().upper())
            mapset.ctrl = _list(p["CTRL"]) if "CTRL" in p else ()
        elif st.op == "DFHMDI":
            if mapset is None:
                diags.append(st.diag(OUT_OF_ORDER, Severity.WARNING, "DFHMDI before DFHMSD"))
                mapset = Mapset("", file, st.loc)
            p = reader.params(st)
            current = BmsMap((st.label or "").upper(), st.loc, params=p)
            current.size = reader.pair(st, "SIZE", p.get("SIZE"))
            current.line = p.get("LINE")
            current.column = p.get("COLUMN")
            mapset.maps.append(current)
        else:
            if current is None:
                diags.append(st.diag(OUT_OF_ORDER, Severity.WARNING, "DFHMDF before any DFHMDI"))
                continue
            current.fields.append(reader.field(st, current))
    if mapset is None:
        loc = stmts[0].loc if stmts else Location(file, first_line, 1)
        mapset = Mapset("", file, loc)
    if not final:
        diags.append(
            Diagnostic(
                NO_FINAL,
                Severity.WARNING,
                "no DFHMSD TYPE=FINAL: the mapset is not closed (truncated member?)",
                stmts[-1].loc if stmts else mapset.location,
            )
        )
    for bms_map in mapset.maps:
        reader.check_map(bms_map)
    mapset.diagnostics = sorted(diags, key=_where)
    return mapset


def _where(d: Diagnostic) -> tuple[int, int]:
    return (d.location.line, d.location.column) if d.location else (0, 0)
