"""Inputs of the parse benchmark: the sample dump replicated to a size, or given corpus folders.

Each input ends up as a list of program files and a list of copybook folders, both read by cobc
and by cobolspec, and a note per program that cobc cannot check (EXEC blocks need a precompiler
that cobc does not have; EBCDIC text and variable format are not cobc input).
"""

from __future__ import annotations

import math
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cobolspec.source import CopyLibrary, Member, MemberKind, discover, preprocess

REPO = Path(__file__).resolve().parent.parent

# EXEC blocks for a precompiler, in the expanded text (comment lines are blank there already;
# literals are taken out first: "EXEC RUN" in a DISPLAY is no EXEC block)
_EXEC = re.compile(r"(?<![\w-])EXEC(?:UTE)?\s+(SQL|CICS|DLI|SQLIMS)(?![\w-])", re.IGNORECASE)
_LITERALS = re.compile(r""""[^"\n]*"|'[^'\n]*'""")
_PLAIN_TEXT = frozenset({"ascii", "utf-8", "latin-1", "cp1252"})
# copy extensions cobc tries by itself; others need ``-ext``
_COBC_EXTENSIONS = frozenset({"", "cpy", "cbl", "cob"})
_LIBRARY_KINDS = (MemberKind.COPYBOOK, MemberKind.DCLGEN)


@dataclass(slots=True)
class Program:
    """One program of the benchmark input."""

    path: Path
    lines: int
    format: str = "fixed"
    cobc_skip: str | None = None  # why cobc cannot check it (None: it can)
    origin: str | None = None  # the sample a replicated program is a copy of


@dataclass(slots=True)
class Corpus:
    """Programs and copybook folders, with notes on how they were put together."""

    title: str
    programs: list[Program]
    copy_dirs: list[Path]
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(p.lines for p in self.programs)

    def cobc_programs(self) -> list[Program]:
        return [p for p in self.programs if p.cobc_skip is None]

    def cobc_extensions(self) -> list[str]:
        """``-ext`` values cobc needs to find this corpus's copybooks."""
        found: set[str] = set()
        for d in self.copy_dirs:
            for f in d.iterdir():
                ext = f.suffix[1:]
                if f.is_file() and ext.lower() not in _COBC_EXTENSIONS:
                    found.add(ext)
        return sorted(found)


def _is_library(m: Member) -> bool:
    return m.kind in _LIBRARY_KINDS and m.path == m.file


def _why_not_cobc(member: Member, library: CopyLibrary, ebcdic_copies: set[str],
                  root: Path) -> str | None:
    """The reason cobc cannot check this program as it stands, or None."""
    if member.encoding not in _PLAIN_TEXT:
        return f"{member.encoding} text"
    if member.format == "variable":
        return "variable format"
    src = preprocess(root / member.file, library)
    code = _LITERALS.sub("''", src.text)
    kinds = sorted({m.group(1).upper() for m in _EXEC.finditer(code)})
    if kinds:
        return "EXEC " + "/".join(kinds)
    for use in src.copybooks:
        if use.resolved is not None and Path(use.resolved).name in ebcdic_copies:
            return "EBCDIC copybook"
    return None


def _rename_program_id(text: str, old: str, new: str, fixed: bool) -> str:
    """Give a copy of a program its own PROGRAM-ID (and END PROGRAM name), keeping fixed-format
    columns: code stays within column 72, the sequence area is left as it was."""
    pattern = re.compile(
        r"((?:PROGRAM-ID\s*\.?|END\s+PROGRAM)\s+[\"']?)" + re.escape(old) + r"(?![\w-])",
        re.IGNORECASE,
    )
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body):]
        if fixed and len(body) > 72:
            code, rest = body[:72], body[72:]
        else:
            code, rest = body, ""
        new_code = pattern.sub(lambda m: m.group(1) + new, code)
        if new_code != code and fixed:
            if len(new_code) > 72:
                stripped = new_code.rstrip()
                if len(stripped) > 72:
                    raise ValueError(f"cannot rename {old} to {new} within column 72")
                new_code = stripped
            if rest:
                new_code = new_code.ljust(72)
        out.append(new_code + rest + end)
    return "".join(out)


_PROGRAM_ID_NAME = re.compile(r"PROGRAM-ID\s*\.?\s*[\"']?([A-Za-z0-9][\w-]*)", re.IGNORECASE)


def replicate_samples(samples: Path, out: Path, min_lines: int) -> Corpus:
    """Copy the programs of ``samples`` under new names (``PROG0001.cbl``...) until they hold at
    least ``min_lines`` lines; all copybooks (and DCLGENs) go to one library folder."""
    inv = discover(samples)
    library_dir = out / "copylib"
    library_dir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    for m in inv.members:
        if _is_library(m):
            target = library_dir / Path(m.file).name
            if target.exists():
                notes.append(f"copybook {m.file} has the name of another; left out")
                continue
            shutil.copyfile(inv.root / m.file, target)
    library = CopyLibrary.for_inventory(discover(library_dir), [library_dir])
    ebcdic = {Path(m.file).name for m in inv.members
              if _is_library(m) and m.encoding not in _PLAIN_TEXT}
    originals = [m for m in inv.by_kind(MemberKind.PROGRAM) if m.path == m.file]
    if not originals:
        raise SystemExit(f"no COBOL programs found in {samples}")
    source_lines = sum(m.lines for m in originals)
    copies = max(1, math.ceil(min_lines / source_lines))
    reasons = {m.file: _why_not_cobc(m, library, ebcdic, inv.root) for m in originals}
    programs: list[Program] = []
    number = 0
    for _ in range(copies):
        for m in originals:
            number += 1
            name = f"PROG{number:04d}" if number < 10_000 else f"P{number:07d}"
            raw = (inv.root / m.file).read_bytes()
            if m.encoding in _PLAIN_TEXT:
                text = raw.decode(m.encoding)
                found = _PROGRAM_ID_NAME.search(text)
                if found:
                    text = _rename_program_id(text, found.group(1), name, m.format != "free")
                data = text.encode(m.encoding)
            else:
                data = raw  # EBCDIC programs are copied as they are (cobc skips them anyway)
            target = out / (name + Path(m.file).suffix)
            target.write_bytes(data)
            programs.append(Program(target, m.lines, m.format, reasons[m.file],
                                    Path(m.file).name))
    rel = _display(samples)
    notes.insert(0, f"{len(originals)} programs of {rel} copied {copies} times "
                    f"(PROGRAM-ID renamed), copybooks in one library folder")
    return Corpus(f"{rel} x{copies}", programs, [library_dir], notes)


def from_folders(folders: list[Path], work: Path, nist: bool) -> Corpus:
    """The programs of the given folders, with the folders holding copybooks as the library.
    With ``nist``, each folder is an NIST CCVS85 suite, prepared first (X-cards substituted)."""
    notes: list[str] = []
    if nist:
        sys.path.insert(0, str(REPO))
        from tests.corpus.nist import prepare_suite

        prepared: list[Path] = []
        for i, folder in enumerate(folders):
            out = work / f"nist{i}"
            suite, _copy_dir = prepare_suite(folder, out)
            prepared.append(out)
            notes.append(f"NIST suite {_display(folder)}: {len(suite)} programs prepared "
                         "(X-cards substituted, optional lines chosen)")
        folders = prepared
    inv = discover(*folders)
    copy_dirs: list[Path] = []
    for m in inv.members:
        if _is_library(m):
            d = (inv.root / m.file).parent
            if d not in copy_dirs:
                copy_dirs.append(d)
    library = CopyLibrary.for_inventory(inv, copy_dirs)
    ebcdic = {Path(m.file).name for m in inv.members
              if _is_library(m) and m.encoding not in _PLAIN_TEXT}
    programs: list[Program] = []
    skipped = 0
    for m in inv.by_kind(MemberKind.PROGRAM):
        if m.path != m.file:
            skipped += 1
            continue
        reason = _why_not_cobc(m, library, ebcdic, inv.root)
        programs.append(Program(inv.root / m.file, m.lines, m.format, reason))
    if skipped:
        notes.append(f"{skipped} program(s) inside concatenated files left out (not files)")
    if not programs:
        raise SystemExit("no COBOL programs found in " + ", ".join(map(str, folders)))
    title = ", ".join(_display(f) for f in folders) if not nist else "NIST CCVS85 (prepared)"
    return Corpus(title, programs, copy_dirs, notes)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix() + "/"
    except ValueError:
        return str(path)
