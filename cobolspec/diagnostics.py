"""Locations, spans and diagnostics shared by every stage.

A :class:`Location` always names the *physical* file a character came from (the copybook when the
text was copied in), its 1-based line and 1-based column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; ``error`` means some work on the member could not be done."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Location:
    """A point in a physical file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Span:
    """A range of source text, from the first character to the last (inclusive), by location.

    ``start`` and ``end`` may lie in different files when a construct straddles a COPY; ``end``
    is then in the file of the last character.
    """

    start: Location
    end: Location
    # offsets of the same range in the expanded text it was parsed from ([offset, end_offset))
    offset: int = field(default=-1, compare=False, repr=False)
    end_offset: int = field(default=-1, compare=False, repr=False)

    @property
    def file(self) -> str:
        return self.start.file

    @property
    def line(self) -> int:
        return self.start.line

    @property
    def end_line(self) -> int:
        return self.end.line if self.end.file == self.start.file else self.start.line

    def __str__(self) -> str:
        return str(self.start)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the input: a stable code, a severity, a message and where it is.

    ``source_line`` is the physical line's text, for the caret display; ``hint`` says what to
    do about it where that is known.
    """

    code: str
    severity: Severity
    message: str
    location: Location | None = None
    source_line: str | None = None
    hint: str | None = None

    def render(self) -> str:
        """``file:line:col: severity: message``, the source line with a caret, and the hint."""
        where = f"{self.location}: " if self.location else ""
        out = [f"{where}{self.severity.value}: {self.message} [{self.code}]"]
        if self.source_line is not None and self.location is not None:
            raw = self.source_line.rstrip("\r\n")
            out.append(f"    {raw.expandtabs(8)}")
            indent = len(raw[: max(self.location.column - 1, 0)].expandtabs(8))
            out.append("    " + " " * indent + "^")
        if self.hint:
            out.append(f"    hint: {self.hint}")
        return "\n".join(out)

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }
