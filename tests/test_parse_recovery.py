"""Statement-level recovery: what the parser keeps and says when the input is wrong.

A statement that does not parse becomes one :class:`~cobolspec.model.ast.UnparsedStatement`
holding its text, with a located PAR diagnostic; the statements around it, the paragraph and the
program are kept. A data entry that does not parse keeps its level, name and the clauses before
the error.
"""

from __future__ import annotations

from cobolspec.model import ast as A
from cobolspec.parse.parser import ParseResult
from tests.test_parse_facts import (
    errors,
    fixed,
    parse_text,
    program_text,
    result_facts,
    walk_statements,
)

DATA = """
01  A                       PIC X(10).
01  B                       PIC X(10).
01  C                       PIC 9(3).
"""


def statements(result: ParseResult) -> list[A.Statement]:
    proc = result.programs[0].procedure
    assert proc is not None
    return [s for p in proc.paragraphs for s in p.statements]


def par(result: ParseResult) -> list[tuple[str, str, int, int, str]]:
    """(code, severity, line, column, message) of every parser diagnostic."""
    out = []
    for d in result.diagnostics:
        if d.code.startswith("PAR"):
            assert d.location is not None
            out.append((d.code, d.severity.value, d.location.line, d.location.column,
                        d.message))
    return out


def test_malformed_statement_in_a_paragraph() -> None:
    source = program_text(
        """
        FIRST-PARA.
            MOVE A TO B
            COMPUTE C = C + * 2
            DISPLAY B.
        SECOND-PARA.
            STOP RUN.
        """,
        DATA,
    )
    result = parse_text(source)
    sts = statements(result)
    assert [s.verb for s in sts] == ["MOVE", "COMPUTE", "DISPLAY", "STOP RUN"]
    bad = sts[1]
    assert isinstance(bad, A.UnparsedStatement)
    assert bad.text == "COMPUTE C = C + * 2"
    assert bad.span is not None and (bad.span.line, bad.span.start.column) == (11, 12)
    assert not isinstance(sts[0], A.UnparsedStatement)
    assert not isinstance(sts[2], A.UnparsedStatement)
    assert (result.statements_total, result.statements_unparsed) == (4, 1)
    [d] = [d for d in result.diagnostics if d.code.startswith("PAR")]
    assert (d.code, d.severity.value) == ("PAR001", "error")
    assert d.location is not None
    assert (d.location.file, d.location.line, d.location.column) == ("<string>", 11, 28)
    line = source.splitlines()[10]
    assert d.render().splitlines() == [
        f"<string>:11:28: error: {d.message} [PAR001]",
        f"    {line}",
        "    " + " " * 27 + "^",
        "    hint: statement kept as text: COMPUTE C = C + * 2",
    ]
    assert line[27] == "*"
    paragraphs = result_facts(result)["programs"][0]["paragraphs"]
    assert paragraphs == [["FIRST-PARA", None, 9], ["SECOND-PARA", None, 13]]


def test_unknown_verb_keeps_the_program() -> None:
    result = parse_text(program_text(
        """
        MAIN-PARA.
            MOVE 'ABC' TO A
            TRANSFORM A FROM 'ABC' TO 'XYZ'
            DISPLAY A
            GOBACK.
        """,
        DATA,
    ))
    [program] = result.programs
    assert program.name == "T"
    assert [i.name for i in program.all_items()] == ["A", "B", "C"]
    sts = statements(result)
    assert [s.verb for s in sts] == ["MOVE", "TRANSFORM", "DISPLAY", "GOBACK"]
    assert isinstance(sts[1], A.UnparsedStatement)
    assert sts[1].text == "TRANSFORM A FROM 'ABC' TO 'XYZ'"
    assert par(result) == [(
        "PAR001", "error", 11, 12,
        "'TRANSFORM' is not a statement this parser knows (unknown verb or dialect extension)",
    )]


def test_incomplete_statement_is_cut_at_the_next_verb() -> None:
    result = parse_text(program_text(
        """
        MAIN-PARA.
            ADD 1 C
            DISPLAY C
            IF C > 1
                SUBTRACT 1
                DISPLAY 'ONE LESS'
            END-IF
            GOBACK.
        """,
        DATA,
    ))
    facts = result_facts(result)["programs"][0]
    assert facts["verbs"] == ["ADD", "DISPLAY", "IF", "GOBACK"]
    stmts = {(s["verb"], s["line"]): s for s in facts["stmts"]}
    assert stmts[("ADD", 10)]["text"] == "ADD 1 C"
    assert stmts[("DISPLAY", 11)]["reads"] == ["C"]
    assert stmts[("IF", 12)]["then"] == ["SUBTRACT", "DISPLAY"]
    assert stmts[("SUBTRACT", 13)]["text"] == "SUBTRACT 1"
    assert stmts[("DISPLAY", 14)]["reads"] == ["'ONE LESS'"]
    assert facts["statements"] == {"total": 6, "unparsed": 2}
    assert [(c, ln, col, m) for c, _, ln, col, m in par(result)] == [
        ("PAR001", 11, 12, "the statement before DISPLAY is incomplete"),
        ("PAR001", 14, 16, "the statement before DISPLAY is incomplete"),
    ]


def test_program_cut_off_in_the_middle_of_a_statement() -> None:
    source = program_text(
        """
        MAIN-PARA.
            DISPLAY 'START'
            IF C > 1
                MOVE 'X' TO
        """,
        DATA,
    ).rstrip("\n")
    result = parse_text(source)
    [program] = result.programs
    assert program.procedure is not None
    assert [p.name for p in program.procedure.paragraphs] == ["MAIN-PARA"]
    sts = statements(result)
    assert [s.verb for s in sts] == ["DISPLAY", "IF"]
    assert isinstance(sts[1], A.IfStmt)
    [bad] = sts[1].then
    assert isinstance(bad, A.UnparsedStatement) and bad.text == "MOVE 'X' TO"
    assert par(result) == [(
        "PAR001", "error", 12, 27,
        "the text ends in the middle of a statement (no closing period: truncated?)",
    )]


def test_program_cut_off_after_a_complete_statement() -> None:
    result = parse_text(program_text("MAIN-PARA.\nIF C > 1\n    DISPLAY 'X'", DATA).rstrip())
    assert errors(result) == []
    [st] = statements(result)
    assert isinstance(st, A.IfStmt) and [s.verb for s in st.then] == ["DISPLAY"]


def test_else_without_if() -> None:
    result = parse_text(program_text(
        """
        MAIN-PARA.
            IF C = 1
                DISPLAY 'ONE'
            ELSE
                DISPLAY 'OTHER'
            ELSE
                DISPLAY 'EXTRA'
            DISPLAY 'NEXT'.
            GOBACK.
        """,
        DATA,
    ))
    facts = result_facts(result)["programs"][0]
    assert facts["verbs"] == ["IF", "GOBACK"]
    stmts = {(s["verb"], s["line"]): s for s in facts["stmts"]}
    assert stmts[("IF", 10)]["then"] == ["DISPLAY"]
    assert stmts[("IF", 10)]["else"] == ["DISPLAY", "DISPLAY", "DISPLAY"]
    assert stmts[("DISPLAY", 13)]["text"] == "DISPLAY 'OTHER' ELSE"
    assert stmts[("DISPLAY", 15)]["reads"] == ["'EXTRA'"]
    assert stmts[("DISPLAY", 16)]["reads"] == ["'NEXT'"]
    assert par(result) == [("PAR001", "error", 14, 12, "ELSE without a matching IF")]


def test_error_inside_a_nested_statement_keeps_the_outer_one() -> None:
    result = parse_text(program_text(
        """
        MAIN-PARA.
            PERFORM UNTIL C > 5
                EVALUATE C
                    WHEN 1
                        COMPUTE C = (C + 2
                    WHEN OTHER
                        ADD 1 TO C
                END-EVALUATE
            END-PERFORM.
        """,
        DATA,
    ))
    [perform] = statements(result)
    assert isinstance(perform, A.PerformStmt) and perform.body is not None
    [evaluate] = perform.body
    assert isinstance(evaluate, A.EvaluateStmt)
    assert [w.other for w in evaluate.whens] == [False, True]
    [bad] = evaluate.whens[0].statements
    assert isinstance(bad, A.UnparsedStatement) and bad.text == "COMPUTE C = ( C + 2"
    assert [s.verb for s in evaluate.whens[1].statements] == ["ADD"]
    assert [c for c, *_ in par(result)] == ["PAR001"]


def test_malformed_data_entry_is_kept() -> None:
    result = parse_text(program_text(
        "MAIN-PARA.\nDISPLAY B-ITEM.",
        """
        01  A-REC.
            05  A-ITEM              PIC X(4).
            05  B-ITEM              PIC X(6) VALUE 'ABC' SOMETHING ELSE.
            05  C-ITEM              PICX.
            05  D-ITEM              PIC 9(3) USAGE IS COMPLEX.
        01  AFTER-IT                PIC X.
        """,
    ))
    items = result_facts(result)["programs"][0]["items"]
    assert list(items) == ["A-REC", "A-ITEM", "B-ITEM", "C-ITEM", "D-ITEM", "AFTER-IT"]
    assert items["B-ITEM"]["level"] == 5
    assert (items["B-ITEM"]["pic"], items["B-ITEM"]["offset"], items["B-ITEM"]["size"]) == (
        "X(6)", 4, 6
    )
    assert items["B-ITEM"]["value"] == ["'ABC'"]
    assert items["B-ITEM"]["line"] == 7
    assert (items["C-ITEM"]["level"], items["C-ITEM"]["pic"]) == (5, None)
    assert (items["D-ITEM"]["pic"], items["D-ITEM"]["size"]) == ("9(3)", 3)
    assert items["AFTER-IT"]["level"] == 1
    assert [(c, ln, col) for c, _, ln, col, _ in par(result)] == [
        ("PAR002", 7, 57), ("PAR002", 8, 36), ("PAR002", 9, 54)
    ]
    assert par(result)[0][4].startswith("unexpected 'SOMETHING'; expected ., ALL, ")


def test_malformed_select_keeps_the_other_entries() -> None:
    result = parse_text(fixed(
        """
        IDENTIFICATION DIVISION.
        PROGRAM-ID. T.
        ENVIRONMENT DIVISION.
        INPUT-OUTPUT SECTION.
        FILE-CONTROL.
            SELECT GOOD-1 ASSIGN TO DD1.
            SELECT BAD-ONE ASSIGN TO DD2 ORGANIZATION IS CIRCULAR.
            SELECT GOOD-2 ASSIGN TO DD3 ORGANIZATION IS INDEXED
                RECORD KEY IS K.
        DATA DIVISION.
        PROCEDURE DIVISION.
            STOP RUN.
        """
    ))
    program = result.programs[0]
    assert [f.name for f in program.files] == ["GOOD-1", "GOOD-2"]
    assert program.files[1].record_key == "K"
    assert [(c, ln) for c, _, ln, _, _ in par(result)] == [("PAR003", 7)]
    assert [s.verb for s in statements(result)] == ["STOP RUN"]


def test_unusable_currency_symbol_is_reported_not_fatal() -> None:
    result = parse_text(fixed(
        """
        IDENTIFICATION DIVISION.
        PROGRAM-ID. T.
        ENVIRONMENT DIVISION.
        CONFIGURATION SECTION.
        SPECIAL-NAMES.
            CURRENCY SIGN IS 'E'.
        DATA DIVISION.
        WORKING-STORAGE SECTION.
        01  PRICE                   PIC $$$9.99.
        PROCEDURE DIVISION.
            DISPLAY PRICE.
        """
    ))
    assert par(result) == [(
        "PAR003", "warning", 6, 29,
        "'E' cannot be a currency symbol in PICTURE strings (it is a PICTURE symbol, a digit, "
        "a space or punctuation); '$' is used",
    )]
    assert result_facts(result)["programs"][0]["items"]["PRICE"]["size"] == 7


def test_text_outside_any_program() -> None:
    result = parse_text(fixed("JUNK BEFORE.\n" + program_text("STOP RUN.").strip()))
    assert [p.name for p in result.programs] == ["T"]
    assert [(c, s) for c, s, *_ in par(result)] == [("PAR007", "warning")]
    nothing = parse_text(fixed("MOVE A TO B."))
    assert nothing.programs == []
    assert [c for c, *_ in par(nothing)] == ["PAR007", "PAR008"]


def test_every_unparsed_statement_has_a_diagnostic_on_its_lines() -> None:
    result = parse_text(program_text(
        """
        MAIN-PARA.
            MOVE A TO
            DISPLAY A
            COMPUTE C = * 3
            INSPECT A CONVERTING
            TRANSFORM A FROM 'A' TO 'B'
            GOBACK.
        """,
        DATA,
    ))
    unparsed = [s for s in walk_statements(statements(result))
                if isinstance(s, A.UnparsedStatement)]
    assert [s.verb for s in unparsed] == ["MOVE", "COMPUTE", "INSPECT", "TRANSFORM"]
    lines = [ln for c, _, ln, _, _ in par(result)]
    assert len(lines) == len(unparsed)
    for st in unparsed:
        assert st.span is not None
        assert any(st.span.line <= ln <= st.span.end_line + 1 for ln in lines), st.text
