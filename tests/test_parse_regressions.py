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


CONDITION_PROGRAM = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. REGR.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 A PIC 9 VALUE 1.
       01 X PIC 9 VALUE 2.
       01 SW PIC X VALUE 'Y'.
          88 SW-ON VALUE 'Y'.
       PROCEDURE DIVISION.
           IF A = 1 OR SW-ON
              DISPLAY 'ON'
           END-IF
           IF A = 1 OR X
              DISPLAY 'X'
           END-IF
           STOP RUN.
"""


def test_a_condition_name_after_a_relation_is_not_an_abbreviated_object(tmp_path: Path) -> None:
    from cobolspec.model import ast as A

    path = tmp_path / "REGR.cbl"
    path.write_text(CONDITION_PROGRAM)
    program = parse_file(path).programs[0]
    assert program.procedure is not None
    first, second = [s for s in program.procedure.paragraphs[0].statements
                     if isinstance(s, A.IfStmt)]
    assert isinstance(first.condition, A.BoolOp)
    assert isinstance(first.condition.operands[1], A.ConditionRef)  # SW-ON is an 88-level
    assert isinstance(second.condition, A.BoolOp)
    abbreviated = second.condition.operands[1]  # X is data: A = X
    assert isinstance(abbreviated, A.Relation) and abbreviated.abbreviated
