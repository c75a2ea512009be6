"""The source map: from any offset of expanded text back to (physical file, line, column).

Expanded text is built by appending runs of characters. Each run that is contiguous in one
physical line is recorded as a segment ``(offset, file, line, column)``; a lookup is a binary
search over segment starts, so building is linear and every lookup is O(log n).

Columns are 1-based positions of characters in the physical line as decoded (a tab counts as one
character); lines are 1-based physical line numbers.

>>> m = SourceMap()
>>> m.register_file("A.cbl", ["       MOVE A TO B.", ""])
>>> m.append_run(0, "A.cbl", 1, 8)
>>> m.locate(5)
Location(file='A.cbl', line=1, column=13)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from cobolspec.diagnostics import Location, Span


class SourceMap:
    """Offsets of one expanded text → physical locations."""

    __slots__ = ("_cols", "_files", "_lines", "_offsets", "_texts")

    def __init__(self) -> None:
        self._offsets: list[int] = []
        self._files: list[str] = []
        self._lines: list[int] = []
        self._cols: list[int] = []
        self._texts: dict[str, Sequence[str]] = {}

    def register_file(self, file: str, lines: Sequence[str]) -> None:
        """Remember a physical file's decoded lines, for showing a line under a diagnostic."""
        self._texts.setdefault(file, lines)

    def append_run(self, offset: int, file: str, line: int, column: int) -> None:
        """Characters from ``offset`` on come from ``file:line`` starting at ``column``.

        Offsets must be appended in non-decreasing order. A run that merely continues the
        previous one is not stored twice.
        """
        if self._offsets:
            last = len(self._offsets) - 1
            if offset < self._offsets[last]:
                raise ValueError("source map runs must be appended in order")
            if (
                self._files[last] == file
                and self._lines[last] == line
                and self._cols[last] + (offset - self._offsets[last]) == column
            ):
                return
            if offset == self._offsets[last]:
                self._files[last], self._lines[last], self._cols[last] = file, line, column
                return
        self._offsets.append(offset)
        self._files.append(file)
        self._lines.append(line)
        self._cols.append(column)

    def extend_runs(
        self,
        offsets: Sequence[int],
        files: Sequence[str],
        lines: Sequence[int],
        columns: Sequence[int],
    ) -> None:
        """Append many runs at once (the bulk form of :meth:`append_run`, for long texts).

        ``offsets`` must be strictly increasing and start at or after the last run appended.
        """
        n = len(offsets)
        if not (len(files) == len(lines) == len(columns) == n):
            raise ValueError("extend_runs needs sequences of the same length")
        if n == 0:
            return
        offsets = list(offsets)
        if offsets != sorted(set(offsets)):
            raise ValueError("source map runs must be appended in order")
        self.append_run(offsets[0], files[0], lines[0], columns[0])
        if n > 1:
            if offsets[1] <= self._offsets[-1]:
                raise ValueError("source map runs must be appended in order")
            self._offsets.extend(offsets[1:])
            self._files.extend(files[1:])
            self._lines.extend(lines[1:])
            self._cols.extend(columns[1:])

    def locate(self, offset: int) -> Location:
        """The physical location of the character at ``offset`` of the expanded text."""
        if not self._offsets:
            raise LookupError("empty source map")
        i = bisect_right(self._offsets, offset) - 1
        if i < 0:
            i = 0
        return Location(self._files[i], self._lines[i], self._cols[i] + offset - self._offsets[i])

    def span(self, start: int, end: int) -> Span:
        """Span of the expanded text ``[start, end)`` (``end`` exclusive, as in slicing)."""
        return Span(self.locate(start), self.locate(max(start, end - 1)))

    def source_line(self, loc: Location) -> str | None:
        """The physical line a location points into, if the file was registered."""
        lines = self._texts.get(loc.file)
        if lines is None or not 1 <= loc.line <= len(lines):
            return None
        return lines[loc.line - 1]

    @property
    def files(self) -> list[str]:
        """Every physical file that contributed text, in first-use order."""
        return list(dict.fromkeys(self._files))

    def __len__(self) -> int:
        return len(self._offsets)
