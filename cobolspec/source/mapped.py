"""Text that remembers where each character came from.

An :class:`MText` is a string plus *runs*: from offset ``o`` on, characters come from
``file:line`` starting at ``column`` and advance one column per character, until the next run.
The preprocessor only ever slices, blanks and concatenates such texts (:class:`Builder`), so the
map survives COPY, REPLACING and REPLACE without any per-character bookkeeping.

>>> b = Builder()
>>> b.add_text("MOVE ", "A.cbl", 3, 8)
>>> b.add_text("X", "B.cpy", 1, 12)
>>> t = b.build()
>>> t.text, t.locate(2), t.locate(5)
('MOVE X', ('A.cbl', 3, 10), ('B.cpy', 1, 12))
"""

from __future__ import annotations

import re
from bisect import bisect_right

from cobolspec.source.sourcemap import SourceMap

_NOT_NEWLINE = re.compile(r"[^\n]")


class MText:
    """An immutable mapped text (see the module docstring)."""

    __slots__ = ("cols", "files", "lines", "offs", "text")

    def __init__(
        self, text: str, offs: list[int], files: list[str], lines: list[int], cols: list[int]
    ) -> None:
        self.text = text
        self.offs = offs
        self.files = files
        self.lines = lines
        self.cols = cols

    def locate(self, pos: int) -> tuple[str, int, int]:
        """``(file, line, column)`` of the character at ``pos`` (clamped into the text)."""
        i = bisect_right(self.offs, pos) - 1
        if i < 0:
            i = 0
        return self.files[i], self.lines[i], self.cols[i] + pos - self.offs[i]

    def __len__(self) -> int:
        return len(self.text)

    def to_sourcemap(self, smap: SourceMap) -> None:
        """Append every run to ``smap`` (whose offsets then index :attr:`text`)."""
        smap.extend_runs(self.offs, self.files, self.lines, self.cols)


class Builder:
    """Concatenates slices of mapped texts and inserted text into a new :class:`MText`."""

    __slots__ = ("cols", "files", "lines", "n", "offs", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.offs: list[int] = []
        self.files: list[str] = []
        self.lines: list[int] = []
        self.cols: list[int] = []

    def _run(self, off: int, file: str, line: int, col: int) -> None:
        if self.offs:
            k = len(self.offs) - 1
            if (
                self.lines[k] == line
                and self.cols[k] + off - self.offs[k] == col
                and self.files[k] == file
            ):
                return
            if self.offs[k] == off:
                self.files[k], self.lines[k], self.cols[k] = file, line, col
                return
        self.offs.append(off)
        self.files.append(file)
        self.lines.append(line)
        self.cols.append(col)

    def add_text(self, s: str, file: str, line: int, col: int) -> None:
        """Append ``s``, whose characters come from ``file:line`` from ``col`` on."""
        if not s:
            return
        self._run(self.n, file, line, col)
        self.parts.append(s)
        self.n += len(s)

    def add_slice(self, mt: MText, a: int, b: int) -> None:
        """Append ``mt.text[a:b]`` with its map."""
        self._add_runs(mt, a, b)
        self.parts.append(mt.text[a:b])

    def add_blanked(self, mt: MText, a: int, b: int) -> None:
        """Append ``mt.text[a:b]`` with every character but newlines turned into a space."""
        self._add_runs(mt, a, b)
        self.parts.append(_NOT_NEWLINE.sub(" ", mt.text[a:b]))

    def _add_runs(self, mt: MText, a: int, b: int) -> None:
        if a >= b:
            return
        offs = mt.offs
        i = bisect_right(offs, a) - 1
        if i < 0:
            i = 0
        shift = self.n - a
        self._run(self.n, mt.files[i], mt.lines[i], mt.cols[i] + a - offs[i])
        i += 1
        last = len(offs)
        while i < last and offs[i] < b:
            self._run(offs[i] + shift, mt.files[i], mt.lines[i], mt.cols[i])
            i += 1
        self.n += b - a

    def build(self) -> MText:
        return MText("".join(self.parts), self.offs, self.files, self.lines, self.cols)
