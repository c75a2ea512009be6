"""Preprocessing: reference format, COPY (with REPLACING), EXEC SQL INCLUDE, then REPLACE.

The result, :class:`ExpandedSource`, is the text the parser reads plus a
:class:`~cobolspec.source.sourcemap.SourceMap` from every offset of it back to the physical file,
line and column, through any depth of nested copies and replacements.

Order of work, as the standard prescribes: every COPY statement is processed first (each copied
text gets the REPLACING of its own COPY statement; a COPY nested in copied text brings its text
in untouched by the outer REPLACING), then REPLACE statements are applied to the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast, overload

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.errors import SourceError
from cobolspec.source import codes
from cobolspec.source.directives import (
    Rule,
    Scanner,
    Statement,
    apply_rules,
    parse_copy,
    parse_include,
    parse_replace,
)
from cobolspec.source.encoding import NotText, decode, split_lines
from cobolspec.source.intake import Member
from cobolspec.source.library import CopyLibrary, ResolvedCopy, display_path
from cobolspec.source.mapped import Builder, MText
from cobolspec.source.refformat import (
    FIXED,
    FORMATS,
    Logical,
    detect_format,
    has_debugging_mode,
    process,
)
from cobolspec.source.sourcemap import SourceMap

MAX_COPY_DEPTH = 50
#: Members the SQL precompiler or the CICS translator supplies; their absence is no error.
_SUPPLIED = {
    "SQLCA": "the SQL precompiler",
    "SQLDA": "the SQL precompiler",
    "DFHAID": "CICS",
    "DFHBMSCA": "CICS",
    "DFHEIBLK": "CICS",
    "DFHMSRCA": "CICS",
}
_PROGRAM_ID = re.compile(r"(?<![\w-])PROGRAM-ID(?![\w-])", re.I)


@dataclass(slots=True, frozen=True)
class CopyUse:
    """One COPY (or EXEC SQL INCLUDE) met while preprocessing, nested ones included."""

    name: str
    library: str | None
    resolved: str | None
    location: Location
    replacing: bool
    depth: int
    via: str


@dataclass(slots=True)
class ExpandedSource:
    """The logical text of a member after COPY and REPLACE, with its map back to the files."""

    text: str
    map: SourceMap
    format: str
    copybooks: list[CopyUse] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    debugging_mode: bool = False


class _Lines(Sequence[str]):
    """Physical lines of a file of which only some stretches (members) are known."""

    def __init__(self) -> None:
        self.parts: list[tuple[int, list[str]]] = []

    def add(self, first_line: int, lines: list[str]) -> None:
        self.parts.append((first_line, lines))

    def __len__(self) -> int:
        return max((f - 1 + len(ls) for f, ls in self.parts), default=0)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        for f, ls in self.parts:
            if f - 1 <= i < f - 1 + len(ls):
                return ls[i - f + 1]
        return ""


class _Run:
    """One preprocessing run: the shared state of the main member and all its copies."""

    def __init__(self, library: CopyLibrary, debugging: bool) -> None:
        self.library = library
        self.debugging = debugging
        self.diags: list[Diagnostic] = []
        self.copies: list[CopyUse] = []
        self.options: list[str] = []
        self.physical: dict[str, _Lines] = {}
        self.seen_logical: set[tuple[str, int]] = set()

    # -- physical files ----------------------------------------------------------------------
    def register(self, file: str, first_line: int, lines: list[str]) -> None:
        phys = self.physical.get(file)
        if phys is None:
            phys = self.physical[file] = _Lines()
        if not any(f == first_line for f, _ in phys.parts):
            phys.add(first_line, lines)

    def source_line(self, file: str, line: int) -> str | None:
        phys = self.physical.get(file)
        if phys is None or not 1 <= line <= len(phys):
            return None
        return str(phys[line - 1])

    def diag(
        self,
        code: str,
        sev: Severity,
        loc: tuple[str, int, int],
        message: str,
        hint: str | None = None,
    ) -> None:
        location = Location(*loc)
        self.diags.append(
            Diagnostic(code, sev, message, location, self.source_line(loc[0], loc[1]), hint)
        )

    # -- logical text --------------------------------------------------------------------------
    def logical(
        self, file: str, first_line: int, lines: list[str], text: str, fmt: str, cache: bool
    ) -> Logical:
        self.register(file, first_line, lines)
        key = (file, first_line, fmt, self.debugging)
        result = self.library.logical_cache.get(key) if cache else None
        if result is None:
            result = process(lines, file, first_line, fmt, self.debugging, text)
            if cache:
                self.library.logical_cache[key] = result
        logical = cast(Logical, result)
        if (file, first_line) not in self.seen_logical:
            self.seen_logical.add((file, first_line))
            self.diags.extend(logical.diagnostics)
            self.options.extend(logical.options)
        return logical

    # -- COPY ------------------------------------------------------------------------------------
    def expand(
        self,
        logical: Logical,
        rules: list[Rule],
        depth: int,
        stack: list[tuple[str, str]],
        out: Builder,
        upper: str | None = None,
    ) -> None:
        mt = logical.mt
        text = mt.text
        if upper is None:
            upper = _upper(text)
        scanner = Scanner(text, upper)
        pos = 0
        search = 0
        while True:
            found = scanner.next_copy(search)
            if found is None:
                break
            verb, start, word = found
            stmt = parse_include(mt, start, word) if verb == "SQL INCLUDE" else parse_copy(mt, word)
            if stmt.name is None and not stmt.problems:
                search = word + 1
                continue
            _emit(mt, pos, stmt.start, rules, out)
            fmt = _format_at(logical, stmt.start)
            pos = self.copy(stmt, mt, fmt, depth, stack, out)
            search = max(pos, word + 1)
        _emit(mt, pos, len(text), rules, out)

    def copy(
        self,
        stmt: Statement,
        mt: MText,
        fmt: str,
        depth: int,
        stack: list[tuple[str, str]],
        out: Builder,
    ) -> int:
        """Replace one COPY/INCLUDE statement by its expanded text; returns where text goes on."""
        where = mt.locate(stmt.word)
        for p in stmt.problems:
            sev = Severity.ERROR
            self.diag(p.code, sev, mt.locate(p.pos), p.message, p.hint)
        name = stmt.name
        if name is None:
            out.add_blanked(mt, stmt.start, stmt.end)
            return stmt.end
        refusal = self.library.refusal(name)
        refused, refused_pos = f"name {name!r}", stmt.name_pos
        if refusal is None and stmt.library is not None:
            refusal = self.library.refusal(stmt.library)
            refused, refused_pos = f"library name {stmt.library!r}", stmt.library_pos
        resolved: ResolvedCopy | None = None
        if refusal is None:
            resolved = self.library.resolve(name, stmt.library)
        use = CopyUse(
            name=name.upper(),
            library=stmt.library.upper() if stmt.library else None,
            resolved=resolved.file if resolved else None,
            location=Location(*where),
            replacing=stmt.replacing,
            depth=depth + 1,
            via=stmt.verb,
        )
        self.copies.append(use)
        end = stmt.end
        if refusal is not None:
            self.diag(
                codes.COPY_ESCAPES_LIBRARY,
                Severity.ERROR,
                mt.locate(refused_pos),
                f"{stmt.verb} {refused} {refusal}; a copy never reads outside the copy library",
                "name the copybook by its member name only",
            )
            return self._blank(mt, stmt, out)
        if resolved is None:
            supplier = _SUPPLIED.get(name.upper())
            if supplier is not None:
                self.diag(
                    codes.SQL_AREA_LEFT_OUT,
                    Severity.INFO,
                    where,
                    f"{name.upper()} not in the library; left out ({supplier} supplies it)",
                )
                return self._blank(mt, stmt, out, take_period=stmt.verb == "SQL INCLUDE")
            searched = self.library.searched()
            places = ", ".join(searched) if searched else "no folder"
            members = self.library.member_count
            if members:
                places += f" (and {members} members of the dump)"
            self.diag(
                codes.COPY_NOT_FOUND,
                Severity.ERROR,
                where,
                f"copybook {name.upper()} not found",
                f"copybook {name.upper()} not found in: {places} — pass -I DIR",
            )
            return self._blank(mt, stmt, out)
        key = f"{resolved.file}:{resolved.first_line}"
        chain = [n for k, n in stack]
        if any(k == key for k, _ in stack):
            first = next(i for i, (k, _) in enumerate(stack) if k == key)
            cycle = " -> ".join([*chain[first:], name.upper()])
            self.diag(
                codes.COPY_CYCLE,
                Severity.ERROR,
                where,
                f"COPY cycle: {cycle}; the copy that closes the cycle is left out",
                "a copybook must not copy itself, directly or through others",
            )
            return self._blank(mt, stmt, out)
        if depth + 1 > MAX_COPY_DEPTH:
            self.diag(
                codes.COPY_TOO_DEEP,
                Severity.ERROR,
                where,
                f"COPY nesting deeper than {MAX_COPY_DEPTH}; {name.upper()} left out",
            )
            return self._blank(mt, stmt, out)
        if resolved.encoding in ("cp037", "cp1047", "cp500"):
            self.diag(
                codes.EBCDIC_ASSUMED,
                Severity.INFO,
                where,
                f"copybook {resolved.file}: EBCDIC {resolved.encoding} assumed",
            )
        lines = resolved.lines
        logical = self.logical(
            resolved.file, resolved.first_line, lines, resolved.text, fmt, cache=True
        )
        out.add_text("\n", *where)
        self.expand(logical, stmt.rules, depth + 1, [*stack, (key, name.upper())], out)
        if stmt.verb == "SQL INCLUDE" and logical.mt.text.rstrip().endswith("."):
            end = _take_period(mt.text, end)
        last = mt.locate(max(stmt.start, end - 1))
        out.add_text("\n", *last)
        line_start = mt.text.rfind("\n", 0, end) + 1
        eol = mt.text.find("\n", end)
        if mt.text[end : len(mt.text) if eol < 0 else eol].strip():
            out.add_blanked(mt, line_start, end)  # the rest of the line keeps its column
        return end

    def _blank(self, mt: MText, stmt: Statement, out: Builder, take_period: bool = False) -> int:
        end = _take_period(mt.text, stmt.end) if take_period else stmt.end
        out.add_blanked(mt, stmt.start, end)
        return end

    # -- REPLACE ---------------------------------------------------------------------------------
    def replace(self, mt: MText) -> MText:
        text = mt.text
        upper = _upper(text)
        if "REPLACE" not in upper:
            return mt
        out = Builder()
        stack: list[list[Rule]] = []
        active: list[Rule] = []
        scanner = Scanner(text, upper)
        pos = 0
        search = 0
        while True:
            r = scanner.next_replace(search)
            if r is None:
                break
            stmt = parse_replace(mt, r)
            for p in stmt.problems:
                self.diag(p.code, Severity.ERROR, mt.locate(p.pos), p.message, p.hint)
            apply_rules(mt, pos, r, active, out)
            out.add_blanked(mt, r, stmt.end)
            pos = search = max(stmt.end, r + 7)
            if stmt.off:
                if stmt.last and stack:
                    active = stack.pop()
                else:
                    active, stack = [], []
            elif stmt.rules:
                if stmt.also:
                    stack.append(active)
                    active = [*stmt.rules, *active]
                else:
                    stack = []
                    active = list(stmt.rules)
        apply_rules(mt, pos, len(text), active, out)
        return out.build()


def _upper(text: str) -> str:
    """``text`` in upper case, character for character (offsets stay valid)."""
    upper = text.upper()
    if len(upper) != len(text):  # a few characters (ß, ligatures) grow in upper case
        upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
    return upper


def _emit(mt: MText, a: int, b: int, rules: list[Rule], out: Builder) -> None:
    if rules:
        apply_rules(mt, a, b, rules, out)
    else:
        out.add_slice(mt, a, b)


def _take_period(text: str, end: int) -> int:
    """Extend ``end`` over a separator period that follows on the same line."""
    i = end
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "." and (i + 1 == len(text) or text[i + 1] in " \t\n"):
        return i + 1
    return end


def _format_at(logical: Logical, offset: int) -> str:
    """The reference format in force at ``offset`` (``>>SOURCE`` may switch it)."""
    fmt = logical.format
    for at, f in logical.switches:
        if at <= offset:
            fmt = f
    return fmt


@dataclass(slots=True)
class _Main:
    file: str
    first_line: int
    lines: list[str]
    text: str
    format: str
    problem: Diagnostic | None = None


def _load_main(source: Member | Path | str, root: Path | None) -> _Main:
    if isinstance(source, Member):
        lines = source.physical_lines()
        return _Main(source.file, source.first_line, lines, "\n".join(lines), source.format)
    if isinstance(source, str) and "\n" in source:
        lines = split_lines(source)
        text = "\n".join(lines)
        return _Main("<string>", 1, lines, text, detect_format(lines, text)[0])
    path = Path(source)
    file = display_path(path, root) if root is not None else path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    where = Location(file, 1, 1)
    if not raw.strip():
        return _Main(
            file,
            1,
            [],
            "",
            FIXED,
            Diagnostic(codes.EMPTY, Severity.WARNING, f"{file}: empty file", where),
        )
    try:
        decoded = decode(raw)
    except NotText as exc:
        return _Main(
            file,
            1,
            [],
            "",
            FIXED,
            Diagnostic(codes.BINARY, Severity.WARNING, f"{file}: not a text file ({exc})", where),
        )
    lines = split_lines(decoded.text)
    text = "\n".join(lines)
    problem = None
    if decoded.ebcdic:
        problem = Diagnostic(
            codes.EBCDIC_ASSUMED,
            Severity.INFO,
            f"{file}: EBCDIC {decoded.encoding} assumed ({decoded.layout})",
            where,
        )
    return _Main(file, 1, lines, text, detect_format(lines, text)[0], problem)


def preprocess(
    source: Member | Path | str,
    library: CopyLibrary | None = None,
    format: str = "auto",
    *,
    root: Path | None = None,
) -> ExpandedSource:
    """Expand one member: reference format, COPY/INCLUDE with REPLACING, then REPLACE.

    ``source`` is a :class:`Member`, a path, or COBOL text (a ``str`` holding a newline; its
    locations then name the file ``<string>``). ``format`` is ``auto`` (the member's detected
    format), ``fixed``, ``free`` or ``variable``. ``root`` makes a path's locations relative to
    it. Without a ``library``, copybooks are looked for next to a source given by path.

    >>> src = preprocess('000100 PROCEDURE DIVISION.\\n000200     DISPLAY "HI".\\n')
    >>> src.text
    '       PROCEDURE DIVISION.\\n           DISPLAY "HI".'
    >>> src.map.locate(src.text.index("DISPLAY"))
    Location(file='<string>', line=2, column=12)
    """
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"format must be auto, {', '.join(FORMATS)}; got {format!r}")
    main = _load_main(source, root)
    if library is None:
        dirs = [] if isinstance(source, Member) or "\n" in str(source) else [Path(source).parent]
        library = CopyLibrary(dirs, base=root)
    fmt = main.format if format == "auto" else format
    smap = SourceMap()
    if not main.lines:
        smap.register_file(main.file, [])
        diags = [main.problem] if main.problem else []
        return ExpandedSource("", smap, fmt, [], diags, [], False)
    debugging = has_debugging_mode(main.lines, main.text, fmt)
    run = _Run(library, debugging)
    if main.problem is not None:
        run.diags.append(main.problem)
    logical = run.logical(main.file, main.first_line, main.lines, main.text, fmt, cache=False)
    upper = _upper(logical.mt.text)
    if Scanner(logical.mt.text, upper).next_copy(0) is None:
        expanded = logical.mt
    else:
        out = Builder()
        run.expand(logical, [], 0, [(f"{main.file}:{main.first_line}", "")], out, upper)
        expanded = out.build()
    expanded = run.replace(expanded)
    if not expanded.offs:
        expanded = MText(expanded.text, [0], [main.file], [main.first_line], [1])
    _check_ending(run, expanded, main)
    for file, phys in run.physical.items():
        smap.register_file(file, phys.parts[0][1] if _whole(phys) else phys)
    expanded.to_sourcemap(smap)
    return ExpandedSource(
        text=expanded.text,
        map=smap,
        format=fmt,
        copybooks=run.copies,
        diagnostics=run.diags,
        options=run.options,
        debugging_mode=debugging,
    )


def _whole(phys: _Lines) -> bool:
    return len(phys.parts) == 1 and phys.parts[0][0] == 1


def _check_ending(run: _Run, mt: MText, main: _Main) -> None:
    """A program whose text does not end with a period was probably cut short."""
    text = mt.text
    stripped = text.rstrip()
    if not stripped or stripped.endswith(".") or not _PROGRAM_ID.search(text):
        return
    if any(
        d.code in (codes.UNTERMINATED_LITERAL, codes.UNTERMINATED_PSEUDO_TEXT) for d in run.diags
    ):
        return
    run.diag(
        codes.ENDS_MID_STATEMENT,
        Severity.WARNING,
        mt.locate(len(stripped) - 1),
        "the source ends without a closing period (truncated?)",
        "check that the member was transferred completely",
    )
