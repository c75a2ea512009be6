"""Regressions: inputs that once parsed wrongly, each with a one-line title."""

from __future__ import annotations

from pathlib import Path

import pytest

from cobolspec.parse import parse_file

PROGRAM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. REGR.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 A PIC 9 VALUE 1.
       01 B PIC 9.
       01 C PIC X(10).
       PROCEDURE DIVISION.
{body}
           STOP RUN.
"""

CASES = [
    # the STRING verb and alphanumeric literals once shared a terminal: after a receiver list,
    # the verb was read as one more (literal) operand
    ("STRING verb after ADD's receivers",
     "           ADD A TO B\n           STRING 'X' DELIMITED BY SIZE INTO C.",
     ["ADD", "STRING", "STOP RUN"]),
    ("STRING verb after MOVE's receivers",
     "           MOVE A TO B\n           STRING C DELIMITED BY SPACE INTO C.",
     ["MOVE", "STRING", "STOP RUN"]),
    ("literal operands stay literals",
     "           DISPLAY 'A' 'B' C.",
     ["DISPLAY", "STOP RUN"]),
]


@pytest.mark.parametrize(("title", "body", "verbs"), CASES, ids=[c[0] for c in CASES])
def test_statements(tmp_path: Path, title: str, body: str, verbs: list[str]) -> None:
    path = tmp_path / "REGR.cbl"
    path.write_text(PROGRAM.format(body=body))
    result = parse_file(path)
    assert result.statements_unparsed == 0, title
    assert not [d for d in result.diagnostics if d.code.startswith("PAR")]
    program = result.programs[0]
    assert program.procedure is not None
    assert [s.verb for s in program.procedure.paragraphs[0].statements] == verbs
