"""The parse stage: preprocessed COBOL text → typed AST with located diagnostics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cobolspec.parse.parser import ParseResult, parse_expanded
from cobolspec.source import CopyLibrary, preprocess

__all__ = ["ParseResult", "parse_expanded", "parse_file"]


def parse_file(
    path: Path | str, copy_dirs: Sequence[Path | str] = (), *, format: str = "auto"
) -> ParseResult:
    """Preprocess and parse one program file. Copybooks are looked up in ``copy_dirs``, then in
    the program's own folder. Diagnostics of both stages are in the result."""
    path = Path(path)
    library = CopyLibrary([*copy_dirs, path.parent])
    expanded = preprocess(path, library, format)
    result = parse_expanded(expanded)
    result.diagnostics[:0] = expanded.diagnostics
    return result
