"""Reference format: fixed, free and variable text, continuation, comments, directives.

Each ``fixtures/source/refformat/NAME.cbl`` has its expected logical text beside it in
``NAME.expected`` (trailing spaces not significant) and its facts in CASES below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cobolspec.source import preprocess
from cobolspec.source.refformat import (
    detect_format,
    expand_tabs,
    open_quote,
    process,
    strip_floating_comment,
)

REFFORMAT = Path(__file__).parent / "fixtures" / "source" / "refformat"

# name: (format, options, debugging_mode, diagnostic codes)
CASES: dict[str, tuple[str, list[str], bool, list[str]]] = {
    "areas": ("fixed", [], False, []),
    "bad_lines": ("fixed", [], False, ["SRC010", "SRC011", "SRC015"]),
    "cbl_process": ("fixed", ["CBL APOST,NOSEQ", "PROCESS OPT(2) ARITH(EXTEND)"], False, []),
    "continuation": ("fixed", [], False, []),
    "debugging": ("fixed", [], False, []),
    "debugging_mode": ("fixed", [], True, []),
    "directive_free": ("free", [">>SOURCE FORMAT IS FREE", ">>SOURCE FORMAT FIXED"], False, []),
    "free": ("free", [], False, []),
    "mf_set": ("free", ['$SET SOURCEFORMAT"FREE"'], False, []),
    "tabs": ("fixed", [], False, []),
    "variable": ("variable", [], False, []),
}


def lines_of(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.split("\n")]


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.stem for p in REFFORMAT.glob("*.cbl")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_expands_to_expected_text(name: str) -> None:
    fmt, options, debugging, diag_codes = CASES[name]
    src = preprocess(REFFORMAT / f"{name}.cbl")
    expected = (REFFORMAT / f"{name}.expected").read_text()
    assert lines_of(src.text) == lines_of(expected.removesuffix("\n"))
    assert (src.format, src.options, src.debugging_mode) == (fmt, options, debugging)
    assert [d.code for d in src.diagnostics] == diag_codes


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_logical_line_per_physical_line(name: str) -> None:
    physical = (REFFORMAT / f"{name}.cbl").read_text().split("\n")[:-1]
    assert preprocess(REFFORMAT / f"{name}.cbl").text.count("\n") == len(physical) - 1


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"])
def test_line_endings_do_not_change_the_text(name: str, newline: str, tmp_path: Path) -> None:
    text = (REFFORMAT / f"{name}.cbl").read_text()
    if newline == "mixed":
        lines = text.split("\n")
        raw = "".join(ln + ("\r\n", "\n", "\r")[i % 3] for i, ln in enumerate(lines[:-1]))
    else:
        raw = text.replace("\n", newline)
    path = tmp_path / f"{name}.cbl"
    path.write_bytes(raw.encode())
    assert preprocess(path).text == preprocess(REFFORMAT / f"{name}.cbl").text


def test_sequence_and_identification_areas_are_ignored() -> None:
    src = preprocess(REFFORMAT / "areas.cbl")
    assert "COPY" not in src.text and "QUOTE" not in src.text and "IGNORED" not in src.text
    assert src.copybooks == []  # "COPY X." in columns 73-80 is not a COPY statement
    assert "ABCDEF" not in src.text  # a non-numeric sequence area


def test_floating_comments_are_removed_outside_literals() -> None:
    text = preprocess(REFFORMAT / "areas.cbl").text
    assert '"*> IS NOT A COMMENT IN A LITERAL".' in text
    assert "but here it is" not in text and "a floating comment" not in text


def test_continued_literals_words_and_numbers() -> None:
    text = preprocess(REFFORMAT / "continuation.cbl").text
    # a literal goes on from the continuation line's quote; the continued line counts
    # to column 72, spaces included
    assert '"ABCDEFGHIJKLMNOPQRSTUVWXYZ ABCDEFGHIJKTUVWXYZ END"' in text
    literal = "'FIRST LINE OF A LITERAL WITH APOSTROPSECOND LINE" + " " * 49 + "THIRD'"
    assert literal in text  # three lines, apostrophes, a comment line in between
    assert "VALUE 123456789." in text  # a continued number
    assert "MOVE LIT-1 TO LIT-2." in text  # a continued word
    # a doubled quote split over two lines: one quote character inside the literal
    assert '-------"" END".' in text


def test_debugging_lines_are_code_only_in_debugging_mode() -> None:
    off = preprocess(REFFORMAT / "debugging.cbl")
    on = preprocess(REFFORMAT / "debugging_mode.cbl")
    assert "ONLY IN DEBUGGING MODE" not in off.text and "LOWER CASE" not in off.text
    assert not off.debugging_mode  # the words in a literal do not switch it on
    assert '    DISPLAY "ONLY IN DEBUGGING MODE".' in on.text


def test_cbl_process_and_listing_statements_leave_empty_lines() -> None:
    src = preprocess(REFFORMAT / "cbl_process.cbl")
    lines = src.text.split("\n")
    assert lines[0] == lines[1] == ""  # CBL, PROCESS
    assert all(not lines[i].strip() for i in (5, 6, 7))  # EJECT, SKIP2, TITLE
    assert "       PROCESS-IT." in lines  # PROCESS as a paragraph name is program text


def test_tabs_expand_before_columns_are_cut() -> None:
    src = preprocess(REFFORMAT / "tabs.cbl")
    lines = src.text.split("\n")
    assert lines[0] == "        IDENTIFICATION DIVISION."  # 000100<tab> reaches column 9
    assert lines[1] == "       PROGRAM-ID.      TABS."
    # the map points at the physical character: "TABS" is the 13th character of its line
    col = src.map.locate(src.text.index("TABS.")).column
    assert col == len("000200 PROGRAM-ID.\t") + 1


def test_free_format_keeps_long_lines_and_strips_floating_comments() -> None:
    src = preprocess(REFFORMAT / "free.cbl")
    assert "WITHOUT ANY TROUBLE AT ALL" in src.text
    assert '"FREE FORMAT *> IS NOT A COMMENT HERE"' in src.text
    assert "but this is" not in src.text
    assert src.text.split("\n")[1] == "IDENTIFICATION DIVISION."


def test_source_format_directive_switches_mid_member() -> None:
    lines = preprocess(REFFORMAT / "directive_free.cbl").text.split("\n")
    assert lines[4] == 'DISPLAY "IN FREE FORMAT".'
    assert lines[6] == '       DISPLAY "BACK IN FIXED FORMAT".'  # 000700 and SWITCH1 gone


def test_variable_format_reads_past_column_72() -> None:
    text = preprocess(REFFORMAT / "variable.cbl").text
    assert "PAST EIGHTY UP TO 250" in text


def test_explicit_format_overrides_detection() -> None:
    fixed = preprocess(REFFORMAT / "variable.cbl", format="fixed")
    assert fixed.format == "fixed" and "UP TO 250" not in fixed.text
    with pytest.raises(ValueError):
        preprocess(REFFORMAT / "variable.cbl", format="columns")


def test_bad_lines_are_located_and_the_rest_is_kept() -> None:
    src = preprocess(REFFORMAT / "bad_lines.cbl")
    where = {d.code: (d.location.line, d.location.column) for d in src.diagnostics if d.location}
    assert where == {"SRC010": (1, 7), "SRC011": (6, 12), "SRC015": (7, 7)}
    assert all(d.source_line for d in src.diagnostics)
    assert '"A LITERAL CONTINUED WITHOUT A QUOTE ON THE NEXT LINEGOES ON".' in src.text
    assert 'DISPLAY "X".' in src.text and "STOP RUN." in src.text


# detect_format: (title, lines, expected format)
FORMAT_CASES = [
    ("sequence numbers", ["000100 IDENTIFICATION DIVISION.", "000200 PROGRAM-ID. A."], "fixed"),
    ("blank sequence area", ["       IDENTIFICATION DIVISION.", "       PROGRAM-ID. A."], "fixed"),
    (
        "code in column 1",
        ["IDENTIFICATION DIVISION.", "PROGRAM-ID. A.", "PROCEDURE DIVISION."],
        "free",
    ),
    ("indented by four", ["    MOVE A TO B.", "    DISPLAY B.", "    GOBACK."], "free"),
    ("floating comment at column 1", ["*> header", "PROGRAM-ID. A."], "free"),
    ("directive", ["       >>SOURCE FREE", "       ID DIVISION."], "free"),
    ("variable", ["       ID DIVISION.", "       " + "X" * 90, "       " + "Y" * 100], "variable"),
    (
        "debris past column 80 in a fixed member",
        ["000100 ID DIVISION.".ljust(72) + "AREA0001", "000200 A.".ljust(72) + "AREA0002XYZ"],
        "fixed",
    ),
]


@pytest.mark.parametrize(("title", "lines", "fmt"), FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES])
def test_detect_format(title: str, lines: list[str], fmt: str) -> None:
    assert detect_format(lines)[0] == fmt, title


def test_helpers() -> None:
    assert open_quote("A 'B''C' \"D") == ('"', 9)
    assert strip_floating_comment("'*>' X *> Y") == "'*>' X "
    assert strip_floating_comment("Z' *> X", quote="'") == "Z' "
    assert expand_tabs("A\tB") == ("A       B", [(0, 1), (1, 2), (8, 3)])


def test_an_empty_text_has_a_map() -> None:
    result = process([], "E.cbl")
    assert result.mt.text == "" and result.mt.locate(0) == ("E.cbl", 1, 1)


def test_a_literal_continued_over_many_lines_is_joined_in_linear_time() -> None:
    lines = ['000100 01  T PIC X(200000) VALUE "' + "A" * 38]  # to column 72
    lines += ['000200-    "' + "B" * 60 for _ in range(3000)]
    lines += ['000300-    "END".']
    text = process(lines, "LONG.cbl").mt.text
    literal = text[text.index('"') : text.rindex('"') + 1]
    assert literal == '"' + "A" * 38 + "B" * 60 * 3000 + 'END"'
    assert text.count("\n") == len(lines) - 1


def test_free_format_debugging_lines() -> None:
    text = ">>SOURCE FREE\nDISPLAY 'A'.\n>>D DISPLAY 'DEBUG'.\n"
    assert "DEBUG" not in preprocess(text).text
    on = preprocess(">>SOURCE FREE\nSOURCE-COMPUTER. X WITH DEBUGGING MODE.\n" + text[14:])
    assert on.debugging_mode and "    DISPLAY 'DEBUG'." in on.text


def test_continuation_of_a_line_that_ends_in_a_tab() -> None:
    src = preprocess('000100     DISPLAY "A\t\n000200-    "B" LONG-WO\t\n000300-    RD.\n')
    first = src.text.split("\n")[0]
    # "A" is in column 21; the literal goes on with spaces to column 72, tab included
    assert first == '           DISPLAY "A' + " " * 51 + 'B" LONG-WORD.'
    loc = src.map.locate(src.text.index("RD."))
    assert (loc.line, loc.column) == (3, 12)
