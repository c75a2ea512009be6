"""GnuCOBOL (``cobc``) as an oracle for syntax and storage layout.

Three questions can be put to ``cobc`` 3.1.2, each answered by a helper here:

* Is this program valid?  :func:`syntax_ok` runs ``cobc -fsyntax-only``.
* How big is every data item?  :func:`symbol_table` runs
  ``cobc -fsyntax-only -t LISTING -ftsymbols -fno-tsource -fno-tmessages -fno-theaders`` and
  parses the symbol table of the listing, one :class:`Symbol` per entry in source order.  The
  listing's columns are ``SIZE TYPE LVL NAME PICTURE``; the PICTURE column also carries the
  usage, ``OCCURS n`` / ``OCCURS m TO n`` and ``REDEFINES x``.  SIZE is the whole entry for a
  group (all occurrences) but ONE occurrence for an elementary item with OCCURS;
  :attr:`Symbol.total_size` evens that out.  FD entries appear with type ``FILE`` and no level.
* Where is every data item?  The listing gives no offsets, but the C that ``cobc -C`` generates
  addresses each field as ``b_<record> + <offset>``.  :func:`field_refs` collects, per source
  line of the PROCEDURE DIVISION, the fields the statement on that line touches;
  :func:`add_displays` adds one ``DISPLAY`` per reference to a program so that
  :func:`probe_offsets` can map each reference to (record, offset, size).

``-std=ibm`` gives IBM's binary sizes (binary-size 2-4-8, see ``/etc/gnucobol/ibm-strict.conf``);
cobc's default is 1-2-4-8.  On a 64-bit host pointers are 8 bytes either way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cobolspec.model.ast import DataItem

__all__ = [
    "CobcError",
    "FieldRef",
    "LayoutCheck",
    "Symbol",
    "add_displays",
    "check_layout",
    "cobc_path",
    "display_references",
    "entries",
    "field_refs",
    "fixed_form",
    "have_cobc",
    "parse_symbol_listing",
    "probe_offsets",
    "symbol_table",
    "syntax_ok",
]

TIMEOUT = 60


class CobcError(RuntimeError):
    """cobc rejected the program or could not be run; ``stderr`` holds its messages."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(f"{message}\n{stderr}".rstrip())
        self.stderr = stderr


def cobc_path() -> str | None:
    return shutil.which("cobc")


def have_cobc() -> bool:
    """True when a ``cobc`` executable is on PATH."""
    return cobc_path() is not None


def _std_args(std: str | None, copy_dirs: Sequence[Path | str], extra: Sequence[str]) -> list[str]:
    args = [f"-std={std}"] if std else []
    for d in copy_dirs:
        args += ["-I", str(Path(d).resolve())]
    return args + list(extra)


def _source_file(source: Path | str, tmp: Path) -> Path:
    """A Path is used as is; a str is program text, written to a file in ``tmp``."""
    if isinstance(source, Path):
        return source.resolve()
    path = tmp / "prog.cbl"
    path.write_text(source, encoding="utf-8")
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = cobc_path()
    if exe is None:
        raise CobcError("cobc is not installed")
    return subprocess.run(
        [exe, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def syntax_ok(
    source: Path | str,
    *,
    std: str | None = "ibm",
    copy_dirs: Sequence[Path | str] = (),
    extra_args: Sequence[str] = (),
) -> tuple[bool, str]:
    """(cobc accepts the program, its messages) from ``cobc -fsyntax-only``."""
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        src = _source_file(source, tmp)
        proc = _run(["-fsyntax-only", *_std_args(std, copy_dirs, extra_args), str(src)], tmp)
        return proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- symbol table


@dataclass(frozen=True, slots=True)
class Symbol:
    """One line of cobc's symbol table."""

    level: int | None  # None for an FD line
    name: str
    size: int  # as listed: one occurrence for an elementary item with OCCURS
    type: str  # GROUP, ALPHANUMERIC, NUMERIC, NATIONAL, POINTER, INDEX, FILE, ...
    picture: str  # the PICTURE column as printed (picture, usage, OCCURS, REDEFINES)
    section: str  # FILE, WORKING-STORAGE, LOCAL-STORAGE, LINKAGE, ...
    occurs: int | None = None  # maximum occurrences, when the entry has OCCURS
    redefines: str | None = None

    @property
    def total_size(self) -> int:
        """Bytes of the whole entry, every occurrence included (our ``DataItem.size``)."""
        if self.occurs is not None and self.type != "GROUP":
            return self.size * self.occurs
        return self.size


_SECTION = re.compile(r"^\s+([A-Z-]+) SECTION\s*$")
_ENTRY = re.compile(r"^(\d{5,}) (\S+)\s")
_OCCURS = re.compile(r"OCCURS (?:\d+ TO )?(\d+)")
_REDEFINES = re.compile(r"REDEFINES (\S+)")


def parse_symbol_listing(text: str) -> list[Symbol]:
    """Parse the symbol table part of a cobc 3.x listing (columns found from its layout)."""
    out: list[Symbol] = []
    section = "FILE"
    for line in text.splitlines():
        sec = _SECTION.match(line)
        if sec:
            section = sec.group(1)
            continue
        m = _ENTRY.match(line)
        if not m:
            continue
        width = len(m.group(1))  # SIZE is 5 digits, wider for big items; columns follow it
        rest = line[width + 1 :]
        typ = rest[:15].strip()
        lvl = rest[15:17].strip()
        name_col = rest[20:51].rstrip()
        pic = rest[51:].strip()
        name, _, name_extra = name_col.partition(",")
        extra = f"{name_extra.strip()} {pic}"
        occ = _OCCURS.search(pic)
        red = _REDEFINES.search(extra)
        out.append(
            Symbol(
                level=int(lvl) if lvl.isdigit() else None,
                name=name.strip(),
                size=int(m.group(1)),
                type=typ,
                picture=pic,
                section=section,
                occurs=int(occ.group(1)) if occ else None,
                redefines=red.group(1).rstrip(",") if red else None,
            )
        )
    return out


def symbol_table(
    source: Path | str,
    *,
    std: str | None = "ibm",
    copy_dirs: Sequence[Path | str] = (),
    extra_args: Sequence[str] = (),
) -> list[Symbol]:
    """Every data entry cobc sees in ``source``, in source order, with its size.

    Raises :class:`CobcError` if cobc reports errors (sizes of a rejected program mean nothing).
    """
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        src = _source_file(source, tmp)
        listing = tmp / "listing.lst"
        args = [
            "-fsyntax-only",
            "-t",
            str(listing),
            "-ftsymbols",
            "-fno-tsource",
            "-fno-tmessages",
            "-fno-theaders",
            *_std_args(std, copy_dirs, extra_args),
            str(src),
        ]
        proc = _run(args, tmp)
        if proc.returncode != 0:
            raise CobcError("cobc rejected the program", proc.stderr)
        return parse_symbol_listing(listing.read_text(encoding="utf-8", errors="replace"))


# --------------------------------------------------------------------------- offsets


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field as the generated C addresses it: storage base, byte offset, size."""

    line: int  # source line of the statement
    base: str  # the record ("REC", "F1 Record" for an FD) or the C name of the storage
    offset: int
    size: int


_BASE_DECL = re.compile(r"^static cob_u8_t\s+(b_\d+)\[\d+\][^;]*;\s*/\* (.+?) \*/", re.M)
_FIELD_DECL = re.compile(
    r"^static cob_field (f_\d+)\s*=\s*\{(\d+),\s*([^,]+),[^}]*\};\s*/\* (.+?) \*/", re.M
)
_LINE_MARK = re.compile(r"/\* Line: (\d+)\s*:")
_REF = re.compile(
    r"&(f_\d+)\b"
    r"|COB_SET_FLD\s*\(\s*\w+\s*,\s*(\d+)\s*,\s*([^,]+),"
    r"|COB_SET_DATA\s*\(\s*(f_\d+)\s*,\s*([^)]+)\)"
)


def _address(expr: str) -> tuple[str, int] | None:
    """``b_8 + 14 + 2 * 1`` → ("b_8", 16); None for NULL."""
    terms = [t.strip() for t in expr.split("+")]
    base = terms[0]
    if base == "NULL":
        return None
    total = 0
    for term in terms[1:]:
        prod = 1
        for factor in term.split("*"):
            if not factor.strip().isdigit():
                return None  # computed at run time (e.g. after OCCURS DEPENDING ON)
            prod *= int(factor)
        total += prod
    return base, total


def field_refs(
    source: Path | str,
    *,
    std: str | None = "ibm",
    copy_dirs: Sequence[Path | str] = (),
    extra_args: Sequence[str] = (),
) -> dict[int, list[FieldRef]]:
    """Fields referenced by the statement on each source line, from the C ``cobc -C`` writes.

    Only items the PROCEDURE DIVISION references appear.  Subscripted references must use
    literal subscripts so that cobc folds the address to a constant.
    """
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        src = _source_file(source, tmp)
        out_c = tmp / "prog.c"
        proc = _run(["-C", "-o", str(out_c), *_std_args(std, copy_dirs, extra_args), str(src)], tmp)
        if proc.returncode != 0:
            raise CobcError("cobc rejected the program", proc.stderr)
        code = out_c.read_text(encoding="utf-8", errors="replace")
        local = (tmp / "prog.c.l.h").read_text(encoding="utf-8", errors="replace")
    bases = {m.group(1): m.group(2) for m in _BASE_DECL.finditer(local)}
    fields: dict[str, tuple[int, str]] = {
        m.group(1): (int(m.group(2)), m.group(3).strip()) for m in _FIELD_DECL.finditer(local)
    }

    def ref(line: int, size: int, addr: str) -> FieldRef | None:
        a = _address(addr)
        if a is None:
            return None
        base, off = a
        return FieldRef(line, bases.get(base, base), off, size)

    result: dict[int, list[FieldRef]] = {}
    marks = list(_LINE_MARK.finditer(code))
    for i, mark in enumerate(marks):
        line = int(mark.group(1))
        if line == 0:  # cobc's generated default error handler
            continue
        chunk = code[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else len(code)]
        refs: list[FieldRef] = []
        for m in _REF.finditer(chunk):
            r: FieldRef | None = None
            if m.group(1):
                if m.group(1) in fields:
                    size, addr = fields[m.group(1)]
                    r = ref(line, size, addr)
            elif m.group(2):
                r = ref(line, int(m.group(2)), m.group(3))
            elif m.group(4) in fields:
                r = ref(line, fields[m.group(4)][0], m.group(5))
            if r is not None:
                refs.append(r)
        if refs:
            result.setdefault(line, []).extend(refs)
    return result


def fixed_form(text: str) -> str:
    """Dedent ``text`` and start each line in area A (column 8) of fixed reference format."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return "\n".join(("       " + ln).rstrip() for ln in lines) + "\n"


_PROC_DIV = re.compile(r"^.{7}\s*PROCEDURE\s+DIVISION\b[^.]*\.[ \t]*$", re.M | re.I)


def add_displays(program: str, references: Sequence[str]) -> tuple[str, dict[str, int]]:
    """``program`` with one ``DISPLAY ref`` line per reference inserted right after its
    (fixed-form, one-line) PROCEDURE DIVISION header; returns it and each reference's line.
    """
    m = _PROC_DIV.search(program)
    if m is None:
        raise ValueError("no one-line PROCEDURE DIVISION header found")
    head = program[: m.end()] + "\n"
    n = head.count("\n")
    lines: dict[str, int] = {}
    added = []
    for r in references:
        n += 1
        lines[r] = n
        added.append(f"           DISPLAY {r}.\n")
    return head + "".join(added) + program[m.end() + 1 :], lines


def probe_offsets(
    program: Path | str,
    references: Sequence[str],
    *,
    std: str | None = "ibm",
    copy_dirs: Sequence[Path | str] = (),
    strict: bool = True,
) -> dict[str, FieldRef]:
    """Where cobc places each reference (a name, or a name with literal subscripts) of
    ``program`` (a file or the program text): its record, offset and size.

    A reference cobc addresses only at run time (its size or position depends on OCCURS
    DEPENDING ON) raises :class:`CobcError`, or is left out when ``strict`` is false.
    """
    text = program.read_text(encoding="utf-8") if isinstance(program, Path) else program
    probe, lines = add_displays(text, references)
    refs = field_refs(probe, std=std, copy_dirs=copy_dirs)
    out: dict[str, FieldRef] = {}
    for r, line in lines.items():
        got = refs.get(line)
        if got:
            out[r] = got[0]
        elif strict:
            raise CobcError(f"no constant address found for DISPLAY {r} on line {line}")
    return out


# --------------------------------------------------------------------------- DataItem trees


def entries(records: Sequence[DataItem]) -> Iterator[DataItem]:
    """Every data entry of ``records`` in source order (pre-order, level 88 left out): the
    order of cobc's symbol table."""
    stack = list(reversed(records))
    while stack:
        it = stack.pop()
        if it.level == 88:
            continue
        yield it
        stack.extend(reversed(it.children))


def display_references(records: Sequence[DataItem]) -> dict[str, tuple[DataItem, DataItem]]:
    """A DISPLAY operand for each named entry, fully qualified and with ``(1)`` subscripts for
    its tables, mapped to (the entry, its 01/77 record).

    Entries of variable size (holding an OCCURS DEPENDING ON) and names that stay ambiguous are
    left out; a 66 entry is qualified by its record.
    """
    out: dict[str, tuple[DataItem, DataItem]] = {}
    dropped: set[str] = set()

    def add(ref: str, item: DataItem, record: DataItem) -> None:
        if ref in out or ref in dropped:
            out.pop(ref, None)
            dropped.add(ref)
        else:
            out[ref] = (item, record)

    def visit(it: DataItem, quals: list[str], depth: int, record: DataItem) -> bool:
        depth += it.occurs is not None
        variable = it.occurs is not None and it.occurs.depending_on is not None
        named = bool(it.name) and it.name.upper() != "FILLER"  # type: ignore[union-attr]
        inner = [*quals, it.name] if named and it.name else quals
        for c in it.children:
            if c.level == 66 and c.name:
                add(f"{c.name} OF {record.name}", c, record)
            elif c.level != 88:
                variable = visit(c, inner, depth, record) or variable
        if named and it.name and not (variable and it.children):
            qual = "".join(f" OF {q}" for q in reversed(quals))
            subs = f" ({', '.join(['1'] * depth)})" if depth else ""
            add(f"{it.name}{qual}{subs}", it, record)
        return variable

    record: DataItem | None = None
    for rec in records:
        if rec.level == 66:
            if record is not None and rec.name:
                add(f"{rec.name} OF {record.name}", rec, record)
            continue
        record = rec
        visit(rec, [], 0, rec)
    return out


@dataclass(slots=True)
class LayoutCheck:
    """What :func:`check_layout` compared and where cobc disagreed (empty ``problems``: none)."""

    problems: list[str]
    sizes_compared: int = 0
    offsets_compared: int = 0


def check_layout(
    program: Path | str,
    records: Sequence[DataItem],
    *,
    std: str | None = "ibm",
    copy_dirs: Sequence[Path | str] = (),
) -> LayoutCheck:
    """Compare the laid-out ``records`` of ``program`` with what cobc allocates.

    ``records`` are the program's 01/77/66 entries (of every section, in source order) after
    :func:`cobolspec.model.layout.compute_layout` with the matching dialect (``GNUCOBOL_IBM``
    for ``std="ibm"``, ``GNUCOBOL`` for cobc's default).  Compared: the entries (level, name)
    against cobc's symbol table, every size, and the offset from the start of its record of
    every entry cobc addresses with a constant.
    """
    check = LayoutCheck([])
    symbols = [s for s in symbol_table(program, std=std, copy_dirs=copy_dirs) if s.level]
    ours = list(entries(records))
    for sym, it in zip(symbols, ours, strict=False):
        if (sym.level, sym.name.upper()) != (it.level, (it.name or "FILLER").upper()):
            check.problems.append(
                f"entry {sym.level} {sym.name} in cobc's table, {it.level} {it.name} in ours"
            )
            return check
        check.sizes_compared += 1
        if sym.total_size != it.size:
            check.problems.append(f"{it.name}: size {it.size}, cobc {sym.total_size}")
    if len(symbols) != len(ours):
        check.problems.append(f"{len(ours)} entries, cobc lists {len(symbols)}")
    refs = display_references(records)
    roots = [rec.name for _, rec in refs.values() if rec.name]
    probes = list(dict.fromkeys([*refs, *roots]))
    got = probe_offsets(program, probes, std=std, copy_dirs=copy_dirs, strict=False)
    for ref, (it, rec) in refs.items():
        where, origin = got.get(ref), got.get(rec.name or "")
        if where is None or it.offset is None or it.size is None:
            continue
        # Records have storage of their own (offset 0), except LOCAL-STORAGE, one block.
        if origin is not None and origin.base == where.base:
            offset = where.offset - origin.offset
        else:
            offset = where.offset
        one = it.size // (it.occurs.max if it.occurs is not None else 1)
        check.offsets_compared += 1
        if (offset, where.size) != (it.offset, one):
            check.problems.append(
                f"{ref}: offset {it.offset} size {one}, cobc offset {offset} size {where.size}"
            )
    return check
