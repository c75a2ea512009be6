"""COPY, REPLACING, REPLACE, EXEC SQL INCLUDE, the copy library and what goes wrong with them.

Programs live in ``fixtures/source/copy``, copybooks in its ``lib`` and ``lib2`` folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cobolspec.diagnostics import Location, Severity
from cobolspec.source import (
    CopyLibrary,
    CopyUse,
    ExpandedSource,
    MemberKind,
    discover,
    preprocess,
)

COPY = Path(__file__).parent / "fixtures" / "source" / "copy"
DUMP = Path(__file__).parent / "fixtures" / "source" / "dump"


def expand(name: str, *dirs: str) -> ExpandedSource:
    library = CopyLibrary([COPY / d for d in dirs or ("lib", "lib2")], base=COPY)
    return preprocess(COPY / f"{name}.cbl", library, root=COPY)


def codes(src: ExpandedSource) -> list[str]:
    return [d.code for d in src.diagnostics]


def line_with(src: ExpandedSource, needle: str) -> str:
    return next(ln for ln in src.text.split("\n") if needle in ln)


def test_nested_copies_are_listed_with_depth_and_location() -> None:
    src = expand("MAIN")
    assert src.copybooks == [
        CopyUse("CUSTREC", None, "lib/CUSTREC.cpy", Location("MAIN.cbl", 5, 12), True, 1, "COPY"),
        CopyUse("ADDR", None, "lib/ADDR.cpy", Location("lib/CUSTREC.cpy", 5, 12), True, 2, "COPY"),
        CopyUse(
            "FLAGS",
            "COPYLIB",
            "lib/COPYLIB/flags.cpy",
            Location("MAIN.cbl", 7, 24),
            False,
            1,
            "COPY",
        ),
        CopyUse("PARAS", None, "lib/PARAS.cbl", Location("MAIN.cbl", 9, 12), False, 1, "COPY"),
    ]
    assert codes(src) == []


def test_replacing_applies_to_its_own_copy_only() -> None:
    text = expand("MAIN").text
    assert "CUST-REC." in text and "CUST-ID" in text and "CUST-BAL" in text
    assert "HOME-STREET" in text and "HOME-CITY" in text  # the nested COPY's own REPLACING
    # the outer REPLACING (ZIP-CODE BY CUST-ZIP) does not reach the nested copy's text
    assert "ZIP-CODE" in text and "CUST-ZIP" not in text
    assert ":PFX:" not in text and ":A:" not in text
    assert "PFX" not in text  # the comment line of CUSTREC is gone


def test_copy_inside_a_line_keeps_the_code_around_it() -> None:
    src = expand("MAIN")
    lines = src.text.split("\n")
    before = lines.index("       01  WS-A PIC X. ")
    assert lines[before + 1] == "       01  WS-FLAG PIC X."
    after = line_with(src, "01  WS-B PIC X.")
    physical = (COPY / "MAIN.cbl").read_text().split("\n")[6]
    # the text after the COPY statement stays in its physical column
    assert after.index("01  WS-B") == physical.index("01  WS-B")
    assert "WRONG-FLAGS" not in src.text  # OF COPYLIB chose the sub-folder


def test_replacing_forms() -> None:
    src = expand("REPLACING")
    text = src.text
    assert "WS-AMOUNT   PIC 9(7)V99 VALUE 'NEW'." in text  # pseudo-text, spacing ignored; literal
    assert "WS-KEEP     PIC 9(7)V99 VALUE 'KEEP'." in text
    assert "ACCT-CODE" in text and "PFX-CODE" not in text  # LEADING
    assert "CODE-TAIL" in text and "CODE-SFX" not in text  # TRAILING
    assert "WS-TOTAL    PIC 9(4) ." in text  # word replaced; COMP-5 BY ==== removed it
    assert "MOVE WS-SUM TO WS-AMOUNT." in text  # identifier (A OF B) replaced as a whole
    assert "INITIALIZE WS-COUNT." in text  # multi-line pseudo-text, first match wins
    assert "MOVE ZERO" not in text
    assert codes(src) == []


def test_replace_statements_apply_after_copy() -> None:
    src = expand("REPLACE")
    text = src.text
    assert "01  WS-NEW   PIC X." in text
    assert "01  WRK-A    PIC X." in text  # LEADING in REPLACE
    assert "WS-OLD-REF REDEFINES WS-NEW" in text  # the copied text is replaced too
    assert "WS-OLD-ONE PIC X VALUE TWO." in text  # ALSO adds to the active set
    assert "01  ONE-MORE PIC X. 01  WRK-B PIC X." in text  # LAST OFF goes back one set
    assert "01  TMP-C PIC X. 01  WS-OLD PIC X." in text  # OFF ends every replacement
    assert '"WS-OLD IN A LITERAL STAYS"' in text
    assert "REPLACE" not in text and "==" not in text
    assert src.text.count("\n") + 1 >= len((COPY / "REPLACE.cbl").read_text().split("\n")) - 1


def test_exec_sql_include() -> None:
    src = expand("INCLUDE")
    assert [(c.name, c.resolved, c.via) for c in src.copybooks] == [
        ("SQLCA", None, "SQL INCLUDE"),
        ("DCLCUST", "lib/DCLCUST.cpy", "SQL INCLUDE"),
        ("SQLPARA", "lib/SQLPARA.cpy", "SQL INCLUDE"),
    ]
    assert [(d.code, d.severity) for d in src.diagnostics] == [("SRC014", Severity.INFO)]
    text = src.text
    assert "INCLUDE" not in text and "SQLCA" not in text
    assert "EXEC SQL DECLARE CUSTOMER TABLE" in text and "01  DCLCUSTOMER." in text
    assert 'DISPLAY "FROM SQLPARA"' in text
    # END-EXEC. leaves no stray period in WORKING-STORAGE where the includes were
    ws = text[text.index("WORKING-STORAGE SECTION.") + 24 : text.index("PROCEDURE")]
    assert ws.count(".") == 3  # the three of DCLCUST; both END-EXEC. periods went
    assert not any(ln.strip() == "." for ln in text.split("\n"))


def test_missing_copybook_is_located_and_the_run_goes_on() -> None:
    src = expand("MISSING")
    (d,) = src.diagnostics
    assert (d.code, d.severity, str(d.location)) == ("SRC003", Severity.ERROR, "MISSING.cbl:6:12")
    assert d.source_line == (COPY / "MISSING.cbl").read_text().split("\n")[5]
    assert d.hint == "copybook NOSUCH not found in: lib/, lib2/ — pass -I DIR"
    assert "NOSUCH" not in src.text  # the statement became spaces
    assert "01  AFTER  PIC X." in src.text and "10  ZIP-CODE" in src.text
    assert src.text.split("\n")[5].strip() == ""  # line structure kept
    assert "^" in d.render()


def test_copy_cycle_is_named_and_broken() -> None:
    src = expand("CYCLE")
    (d,) = src.diagnostics
    assert d.code == "SRC004" and "CYCA -> CYCB -> CYCA" in d.message
    assert str(d.location) == "lib/CYCB.cpy:2:12" and d.source_line == "           COPY CYCA."
    assert src.text.count("FROM-A") == 1 and src.text.count("FROM-B") == 1
    assert "AFTER-CYCLE" in src.text


def test_copy_names_never_leave_the_library() -> None:
    src = expand("ESCAPE")
    assert codes(src) == ["SRC005"] * 4
    where = [str(d.location) for d in src.diagnostics]
    assert where == ["ESCAPE.cbl:5:17", "ESCAPE.cbl:6:17", "ESCAPE.cbl:7:17", "ESCAPE.cbl:8:25"]
    assert all(c.resolved is None for c in src.copybooks)
    assert "SECRET" not in src.text and "STILL-HERE" in src.text


def test_symbolic_link_out_of_the_library_is_not_followed(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (tmp_path / "outside.cpy").write_text("       01  OUTSIDE PIC X.\n")
    (lib / "LEAK.cpy").symlink_to(tmp_path / "outside.cpy")
    src = preprocess("       COPY LEAK.\n       01  A PIC X.\n", CopyLibrary([lib]))
    assert codes(src) == ["SRC003"] and "OUTSIDE" not in src.text


def test_unterminated_pseudo_text_is_located_and_the_rest_is_kept() -> None:
    src = expand("UNTERMINATED")
    assert codes(src) == ["SRC006"]
    assert str(src.diagnostics[0].location) == "UNTERMINATED.cbl:5:43"
    assert "01  NEXT-ITEM PIC X." in src.text


@pytest.mark.parametrize(
    ("name", "code", "where"),
    [
        ("TRUNC_STMT", "SRC018", "TRUNC_STMT.cbl:4:20"),
        ("TRUNC_LIT", "SRC009", "TRUNC_LIT.cbl:4:20"),
    ],
)
def test_truncated_programs_are_reported(name: str, code: str, where: str) -> None:
    src = expand(name)
    assert [(d.code, str(d.location)) for d in src.diagnostics] == [(code, where)]
    assert "PROCEDURE DIVISION." in src.text


def test_search_order_case_and_extensions() -> None:
    first = preprocess("       COPY ADDR.\n", CopyLibrary([COPY / "lib", COPY / "lib2"], base=COPY))
    assert first.copybooks[0].resolved == "lib/ADDR.cpy"
    second = preprocess(
        "       COPY ADDR.\n", CopyLibrary([COPY / "lib2", COPY / "lib"], base=COPY)
    )
    assert second.copybooks[0].resolved == "lib2/ADDR.cpy"
    for spelling in ("ONLYHERE", "onlyhere", '"OnlyHere"', "'OnlyHere.CPY'"):
        src = preprocess(f"       COPY {spelling}.\n", CopyLibrary([COPY / "lib2"], base=COPY))
        assert src.copybooks[0].resolved == "lib2/OnlyHere.CPY", spelling
        assert "ONLY-IN-LIB2" in src.text


def test_copy_in_a_literal_or_a_longer_word_is_not_a_copy() -> None:
    src = preprocess(
        "       DISPLAY \"COPY X.\" 'COPY Y.'.\n       MOVE COPY-COUNT TO X-COPY.\n",
        CopyLibrary([COPY / "lib"]),
    )
    assert src.copybooks == [] and codes(src) == []


def test_bad_copy_statements() -> None:
    lib = CopyLibrary([COPY / "lib"])
    no_name = preprocess("       COPY .\n       01  A PIC X.\n", lib)
    assert codes(no_name) == ["SRC012"] and "01  A PIC X." in no_name.text
    no_period = preprocess("       COPY ADDR\n       01  A PIC X", lib)
    assert "SRC012" in codes(no_period)
    partial = preprocess(
        "       COPY ADDR REPLACING LEADING ==A B== BY ==C==\n"
        "                           ==== BY ==X==.\n",
        lib,
    )
    assert codes(partial) == ["SRC021", "SRC021"]
    assert "ZIP-CODE" in partial.text  # the copy itself still happens


def test_dump_members_resolve_copies_and_win_over_programs() -> None:
    inv = discover(DUMP)
    lib = CopyLibrary.for_inventory(inv)
    pgm = next(m for m in inv.members if m.path == "src/CUSTPGM.cbl")
    src = preprocess(pgm, lib)
    resolved = {c.name: c.resolved for c in src.copybooks}
    assert resolved == {
        "CUSTREC": "copylib/CUSTREC.cpy",  # not src/CUSTREC.cbl, the program of that name
        "FLAGS88": "copylib/flags88",
        "SQLCA": None,
        "DCLCUST": "dclgen/DCLCUST",
        "PARAS": "copylib/Paras.Copy",
    }
    assert "I AM A PROGRAM" not in src.text and "FLAG-UNKNOWN" in src.text
    assert codes(src) == ["SRC014"]


def test_iebupdte_members_are_copybooks_too() -> None:
    inv = discover(DUMP)
    lib = CopyLibrary.for_inventory(inv)
    pgma = next(m for m in inv.by_kind(MemberKind.PROGRAM) if m.name == "PGMA")
    src = preprocess(pgma, lib)
    assert [c.resolved for c in src.copybooks] == ["concat/LIBRARY.txt"]
    at = src.map.locate(src.text.index("FROM CPYA"))
    assert (at.file, at.line) == ("concat/LIBRARY.txt", 10)
    assert src.map.source_line(at) == (DUMP / "concat" / "LIBRARY.txt").read_text().split("\n")[9]
    where = src.map.locate(src.text.index("GOBACK"))
    assert (where.file, where.line) == ("concat/LIBRARY.txt", 7)


def test_extra_dirs_come_first(tmp_path: Path) -> None:
    override = tmp_path / "override"
    override.mkdir()
    (override / "custrec.cpy").write_text("       01  OVERRIDDEN PIC X.\n")
    inv = discover(DUMP)
    lib = CopyLibrary.for_inventory(inv, [override])
    pgm = next(m for m in inv.members if m.path == "src/CUSTPGM.cbl")
    src = preprocess(pgm, lib)
    assert "OVERRIDDEN" in src.text
    custrec = next(c for c in src.copybooks if c.name == "CUSTREC")
    assert custrec.resolved is not None and custrec.resolved.endswith("override/custrec.cpy")
    assert lib.searched()[0].endswith("override/")


def test_without_a_library_copybooks_are_found_next_to_the_source(tmp_path: Path) -> None:
    shutil.copy(COPY / "lib" / "ADDR.cpy", tmp_path / "ADDR.cpy")
    (tmp_path / "P.cbl").write_text("       COPY ADDR.\n")
    src = preprocess(tmp_path / "P.cbl", root=tmp_path)
    assert [c.resolved for c in src.copybooks] == ["ADDR.cpy"]
    assert src.map.locate(src.text.index("ZIP-CODE")).file == "ADDR.cpy"


def test_copy_in_free_format() -> None:
    src = preprocess(
        ">>SOURCE FREE\nWORKING-STORAGE SECTION. COPY ADDR. *> the layout\n",
        CopyLibrary([COPY / "lib"]),
    )
    assert "10  ZIP-CODE" in src.text and "layout" not in src.text


def test_in_library_and_an_unknown_library() -> None:
    lib = CopyLibrary([COPY / "lib"], base=COPY)
    src = preprocess("       COPY flags IN copylib.\n       COPY ADDR OF NOLIB.\n", lib)
    assert [c.resolved for c in src.copybooks] == ["lib/COPYLIB/flags.cpy", "lib/ADDR.cpy"]
    assert [c.library for c in src.copybooks] == ["COPYLIB", "NOLIB"]


def test_members_the_precompiler_or_cics_supply_are_no_error() -> None:
    src = preprocess(
        "       COPY DFHAID.\n       COPY DFHBMSCA.\n       EXEC SQL INCLUDE SQLDA END-EXEC.\n",
        CopyLibrary([COPY / "lib"]),
    )
    assert [(d.code, d.severity) for d in src.diagnostics] == [("SRC014", Severity.INFO)] * 3
    assert "CICS supplies it" in src.diagnostics[0].message
    assert src.text.strip() == ""
