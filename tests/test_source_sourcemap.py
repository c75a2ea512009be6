"""The source map: every character of the expanded text leads back to its physical place.

The strongest check is an invariant: for every non-blank character of the expanded text, the
physical line the map points at holds that very character at that column. It must hold
through continuation lines, tabs, nested COPY with REPLACING, REPLACE and IEBUPDTE members.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from cobolspec.diagnostics import Location
from cobolspec.source import (
    CopyLibrary,
    ExpandedSource,
    MemberKind,
    SourceMap,
    discover,
    preprocess,
)

FIXTURES = Path(__file__).parent / "fixtures" / "source"
COPY = FIXTURES / "copy"


def expand_copy(name: str) -> ExpandedSource:
    library = CopyLibrary([COPY / "lib", COPY / "lib2"], base=COPY)
    return preprocess(COPY / f"{name}.cbl", library, root=COPY)


def physical(file: str) -> list[str]:
    return (COPY / file).read_text().split("\n")


def mismatches(src: ExpandedSource) -> list[str]:
    """Characters whose mapped physical place does not hold them."""
    bad = []
    for k, ch in enumerate(src.text):
        if ch.isspace():
            continue
        loc = src.map.locate(k)
        line = src.map.source_line(loc)
        if line is None or not 1 <= loc.column <= len(line) or line[loc.column - 1] != ch:
            bad.append(f"offset {k} {ch!r} -> {loc} {line!r}")
    return bad


def at(src: ExpandedSource, needle: str, start: int = 0) -> Location:
    return src.map.locate(src.text.index(needle, start))


def column_of(file: str, line: int, needle: str) -> int:
    return physical(file)[line - 1].index(needle) + 1


def test_characters_through_nested_copy_with_replacing() -> None:
    src = expand_copy("MAIN")
    # CUST-ID: "CUST" comes from the REPLACING phrase in MAIN.cbl, "-ID" from the copybook
    k = src.text.index("CUST-ID")
    assert src.map.locate(k) == Location("MAIN.cbl", 5, column_of("MAIN.cbl", 5, "==CUST==") + 2)
    assert src.map.locate(k + 4) == Location(
        "lib/CUSTREC.cpy", 3, column_of("lib/CUSTREC.cpy", 3, "-ID")
    )
    assert src.map.locate(k + 6) == Location(
        "lib/CUSTREC.cpy", 3, column_of("lib/CUSTREC.cpy", 3, "-ID") + 2
    )
    # HOME-STREET: "HOME" from the nested COPY's REPLACING in CUSTREC.cpy, the rest from ADDR
    k = src.text.index("HOME-STREET")
    assert src.map.locate(k) == Location(
        "lib/CUSTREC.cpy", 5, column_of("lib/CUSTREC.cpy", 5, "==HOME==") + 2
    )
    assert src.map.locate(k + 4) == Location(
        "lib/ADDR.cpy", 1, column_of("lib/ADDR.cpy", 1, "-STREET")
    )
    # ZIP-CODE: untouched by the outer REPLACING, straight from ADDR.cpy
    assert at(src, "ZIP-CODE") == Location("lib/ADDR.cpy", 3, column_of("lib/ADDR.cpy", 3, "ZIP"))
    # text after the copies is back in the program
    assert at(src, "STOP RUN") == Location("MAIN.cbl", 10, 12)
    assert at(src, "01  WS-B") == Location("MAIN.cbl", 7, column_of("MAIN.cbl", 7, "01  WS-B"))
    assert set(src.map.files) >= {"MAIN.cbl", "lib/CUSTREC.cpy", "lib/ADDR.cpy"}


def test_spans_and_source_lines_name_the_physical_file() -> None:
    src = expand_copy("MAIN")
    k = src.text.index("HOME-STREET")
    span = src.map.span(k, k + len("HOME-STREET"))
    assert (span.start.file, span.end.file) == ("lib/CUSTREC.cpy", "lib/ADDR.cpy")
    assert src.map.source_line(span.end) == physical("lib/ADDR.cpy")[0]
    assert src.map.source_line(Location("lib/ADDR.cpy", 99, 1)) is None


def test_replacement_text_maps_to_the_replacing_phrase() -> None:
    src = expand_copy("REPLACING")
    # INITIALIZE WS-COUNT comes from the second line of a multi-line REPLACING phrase
    loc = at(src, "INITIALIZE WS-COUNT")
    assert loc == Location("REPLACING.cbl", 13, column_of("REPLACING.cbl", 13, "INITIALIZE"))
    loc = at(src, "'NEW'")
    assert loc == Location("REPLACING.cbl", 6, column_of("REPLACING.cbl", 6, "'NEW'"))
    k = src.text.index("ACCT-CODE")  # LEADING: ACCT from the phrase, -CODE from the copybook
    assert src.map.locate(k).file == "REPLACING.cbl"
    assert src.map.locate(k + 4) == Location(
        "lib/WORDS.cpy", 3, column_of("lib/WORDS.cpy", 3, "-CODE")
    )


def test_replace_statement_text_maps_to_the_replace_statement() -> None:
    src = expand_copy("REPLACE")
    k = src.text.index("WS-NEW")
    assert src.map.locate(k) == Location("REPLACE.cbl", 5, column_of("REPLACE.cbl", 5, "WS-NEW"))
    k = src.text.index("REDEFINES WS-NEW") + len("REDEFINES ")
    assert src.map.locate(k).file == "REPLACE.cbl"  # replaced inside copied text


def test_continuation_and_tabs_map_exactly() -> None:
    src = preprocess(FIXTURES / "refformat" / "continuation.cbl")
    k = src.text.index("TUVWXYZ END")
    assert src.map.locate(k) == Location(str(FIXTURES / "refformat" / "continuation.cbl"), 6, 13)
    src = preprocess(FIXTURES / "refformat" / "tabs.cbl")
    assert src.map.locate(src.text.index('"B"')).column == len('\t    DISPLAY\t"A"\t') + 1


ALL_COPY = sorted(p.stem for p in COPY.glob("*.cbl"))
ALL_REFFORMAT = sorted(p.stem for p in (FIXTURES / "refformat").glob("*.cbl"))


@pytest.mark.parametrize("name", ALL_COPY)
def test_every_character_maps_to_itself_copy(name: str) -> None:
    assert mismatches(expand_copy(name)) == []


@pytest.mark.parametrize("name", ALL_REFFORMAT)
def test_every_character_maps_to_itself_refformat(name: str) -> None:
    assert mismatches(preprocess(FIXTURES / "refformat" / f"{name}.cbl")) == []


def test_every_character_maps_to_itself_in_a_dump() -> None:
    inv = discover(FIXTURES / "dump")
    lib = CopyLibrary.for_inventory(inv)
    for m in inv.by_kind(MemberKind.PROGRAM):
        assert mismatches(preprocess(m, lib)) == [], m.path


def test_ebcdic_member_maps_to_its_decoded_lines(tmp_path: Path) -> None:
    lines = physical("MISSING.cbl")[:-1]
    (tmp_path / "ADDR.cpy").write_bytes(
        b"".join(ln.ljust(80).encode("cp037") for ln in physical("lib/ADDR.cpy")[:-1])
    )
    raw = "".join(ln + "\x85" for ln in lines).encode("cp037")  # EBCDIC NL line ends
    (tmp_path / "EBC.cbl").write_bytes(raw)
    src = preprocess(tmp_path / "EBC.cbl", CopyLibrary([tmp_path], base=tmp_path), root=tmp_path)
    assert mismatches(src) == []
    assert at(src, "ZIP-CODE") == Location("ADDR.cpy", 3, column_of("lib/ADDR.cpy", 3, "ZIP"))
    assert [d.code for d in src.diagnostics] == ["SRC007", "SRC003", "SRC007"]


def test_source_map_extend_runs_checks_order() -> None:
    m = SourceMap()
    m.extend_runs([0, 5], ["A", "A"], [1, 2], [1, 1])
    assert m.locate(6) == Location("A", 2, 2)
    with pytest.raises(ValueError):
        m.extend_runs([3], ["A"], [3], [1])
    with pytest.raises(ValueError):
        m.extend_runs([9, 8], ["A", "A"], [3, 4], [1, 1])


NIST = os.environ.get("COBOLSPEC_NIST")


@pytest.mark.corpus
@pytest.mark.skipif(not NIST, reason="set COBOLSPEC_NIST to the NIST COBOL-85 folder")
def test_every_character_maps_to_itself_nist() -> None:
    root = Path(str(NIST))
    inv = discover(root)
    lib = CopyLibrary.for_inventory(inv, [root / "copybooks"])
    programs = inv.by_kind(MemberKind.PROGRAM)
    assert len(programs) > 400
    for m in programs:
        if m.name.startswith("SM") or m.name in ("NC101A", "IC101A", "SQ113A"):
            assert mismatches(preprocess(m, lib)) == [], m.path


# Pieces of COBOL, of preprocessor statements and of garbage, for random snippets.
PIECES = [
    "COPY ADDR.", "COPY ", "REPLACING", "==", "==:A:== BY ==X==", '"', "'", "A", "MOVE", ".",
    " ", "\t", "*>", ">>SOURCE FREE", ">>SOURCE FIXED", "REPLACE ==A== BY ==B==.", "REPLACE OFF.",
    "EXEC SQL INCLUDE ADDR END-EXEC", "LEADING", "BY", "(", ")", ":", ",", "Ä", "ß", "\x0c",
    "COPY CYCA.", 'COPY "../x".', "EJECT", 'TITLE "X"', "OF", "SUPPRESS", '""', "''", "D",
]  # fmt: skip
INDICATORS = [" ", " ", " ", "*", "-", "D", "/", "$", "X", ""]


def test_random_snippets_never_crash_and_always_map() -> None:
    rng = random.Random(20240601)
    library = CopyLibrary([COPY / "lib"])
    for _ in range(400):
        lines = []
        for _ in range(rng.randint(0, 10)):
            body = "".join(
                rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(0, 10))
            )
            seq = f"{rng.randint(0, 999999):06d}"[: rng.choice([6, 6, 3])]
            lines.append(body if rng.random() < 0.2 else seq + rng.choice(INDICATORS) + body)
        text = "\n".join(lines) + "\n"
        fmt = rng.choice(["auto", "fixed", "free", "variable"])
        src = preprocess(text, library, format=fmt)
        assert mismatches(src) == [], (text, fmt)
        assert all(d.location is not None and d.render() for d in src.diagnostics)
