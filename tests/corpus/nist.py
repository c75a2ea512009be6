"""Preparing the NIST CCVS85 COBOL-85 test suite for parsing, as the suite intends.

The suite's programs carry placeholders (``XXXXXnnn``, the "X-cards") that the suite's own
driver replaces with implementor-defined names and values, and optional lines flagged by a letter
in column 7 that the driver includes or drops. Here each X-card gets a value of the syntactic
kind its position needs (a name, a number or an alphanumeric literal), optional lines are kept as
code except the alternative forms (G: an alternative to a C line; J: an alternative X-card line;
P: file-definition lines for modules that do not use them),
and the copybook folder is used as the COPY library.

Set ``COBOLSPEC_NIST_DIR`` to a folder holding the suite's ``*.CBL`` files (and ``copybooks/``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# X-card → replacement text, by the kind of position the card stands in
_NAME_CARDS = {51: "SWITCH-1", 52: "SWITCH-2", 53: "XRERUN", 56: "SYSOUT", 57: "SYSIN",
               69: "SYSIN", 70: "STANDARD-1", 73: "SYSOUT", 74: "LABEL-ID", 82: "IBM-370",
               83: "IBM-370", 84: "STANDARD"}
_NUMBER_CARDS = {65: "1000", 67: "1000", 68: "64000"}
# cards that stand for a whole clause
_CLAUSE_CARDS = {86: "PIC X(8)", 87: "PIC X(8)", 88: "PIC X(8)"}
_XCARD = re.compile(r"(?<![A-Za-z0-9-])X{4}[XP]0(\d\d)(?![A-Za-z0-9-])")
_OMIT_OPTIONS = frozenset(os.environ.get("NIST_OMIT", "GJP"))


def nist_dir() -> Path | None:
    value = os.environ.get("COBOLSPEC_NIST_DIR") or os.environ.get("COBOLSPEC_NIST")
    if not value:
        return None
    path = Path(value)
    return path if path.is_dir() else None


def _card(match: re.Match[str]) -> str:
    number = int(match.group(1))
    if number in _NAME_CARDS:
        return _NAME_CARDS[number]
    if number in _NUMBER_CARDS:
        return _NUMBER_CARDS[number]
    if number in _CLAUSE_CARDS:
        return _CLAUSE_CARDS[number]
    return f'"X{number:03d}"'


def prepare_line(line: str) -> str:
    """One line of a suite program as the suite's driver would emit it."""
    if len(line) > 6 and line[6].isalpha() and line[6] not in "Dd":
        if line[6] in _OMIT_OPTIONS:
            return line[:6] + "*" + line[7:]
        line = line[:6] + " " + line[7:]
    if "XXXX" in line[:72]:
        code = _XCARD.sub(_card, line[:72])
        line = code.ljust(72)[:72] + line[72:]
    return line


def prepare(source: Path, out_dir: Path) -> Path:
    """Write the prepared copy of ``source`` into ``out_dir`` and return its path."""
    text = source.read_text("latin-1")
    lines = [prepare_line(line) for line in text.splitlines()]
    target = out_dir / source.name
    target.write_text("\n".join(lines) + "\n", "latin-1")
    return target


def prepare_suite(folder: Path, out_dir: Path) -> tuple[list[Path], Path | None]:
    """Prepared programs and the prepared copybook folder (None when the suite has none)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    programs = [prepare(p, out_dir) for p in sorted(folder.glob("*.CBL"))]
    copy_src = folder / "copybooks"
    copy_out: Path | None = None
    if copy_src.is_dir():
        copy_out = out_dir / "copybooks"
        copy_out.mkdir(exist_ok=True)
        for p in sorted(copy_src.iterdir()):
            if p.is_file():
                prepare(p, copy_out)
    return programs, copy_out
