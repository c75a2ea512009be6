"""The sample dump (samples/) through the parser, checked against facts known by hand and against
GnuCOBOL.

* Every program parses with no unparsed statement and no parser error, its copybooks found.
* Paragraphs, sections, CALLs, SELECT entries and PROCEDURE DIVISION USING agree with
  tests/fixtures/samples_expected.json (written from the sources, not from this parser).
* Items, paragraphs and statements that come from a copybook are located in that copybook.
* For every program cobc compiles (the batch programs and their subprograms), every data item's
  size, and the offset of every item cobc addresses with a constant, equal cobc's: the parser's
  records are laid out again with :data:`~cobolspec.model.layout.GNUCOBOL_IBM` (what
  ``cobc -std=ibm`` allocates on this host) and compared by
  :func:`tests.oracle.cobc.check_layout`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import tests.oracle.cobc as cobc_oracle
from cobolspec.model import ast as A
from cobolspec.model.layout import GNUCOBOL_IBM, compute_layout
from cobolspec.parse.parser import ParseResult, parse_expanded
from cobolspec.source import CopyLibrary, ExpandedSource, discover, preprocess
from tests.test_parse_facts import SAMPLES, walk_statements

EXPECTED = json.loads(
    (Path(__file__).parent / "fixtures" / "samples_expected.json").read_text("utf-8")
)
PROGRAMS: dict[str, dict[str, Any]] = {p["program_id"]: p for p in EXPECTED["programs"]}
COPYLIB = SAMPLES / "COPYLIB"
# kinds cobc can compile: no EXEC SQL / EXEC CICS to precompile
COMPILABLE = [p for p, d in PROGRAMS.items() if d["kind"] in ("batch", "subprogram")]


@cache
def _library() -> CopyLibrary:
    return CopyLibrary.for_inventory(discover(COPYLIB, SAMPLES / "DCLGEN"))


def parse_sample(program: str) -> tuple[ParseResult, ExpandedSource]:
    """The parse of a sample program and the preprocessed source it was parsed from."""
    src = preprocess(SAMPLES / PROGRAMS[program]["path"], _library(), root=SAMPLES)
    return parse_expanded(src), src


parsed = cache(parse_sample)


def the_program(program: str) -> A.Program:
    result, _ = parsed(program)
    assert [p.name for p in result.programs] == [program]
    return result.programs[0]


def test_every_sample_program_parses_cleanly() -> None:
    rows = []
    for program in PROGRAMS:
        result, src = parsed(program)
        par = [d for d in result.diagnostics if d.code.startswith("PAR")]
        assert "SRC003" not in [d.code for d in src.diagnostics], f"{program}: copybook missing"
        assert result.statements_unparsed == 0, (program, [d.render() for d in par])
        assert not [d for d in par if d.severity.value == "error"], [d.render() for d in par]
        rows.append((program, result.statements_total, result.statements_unparsed, len(par)))
    total = sum(r[1] for r in rows)
    print(f"\nsamples: {len(rows)} programs, {total} statements, "
          f"{sum(r[2] for r in rows)} unparsed, {sum(r[3] for r in rows)} PAR diagnostics")
    assert total > 1000


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_paragraphs_and_sections(program: str) -> None:
    proc = the_program(program).procedure
    assert proc is not None
    assert [p.name for p in proc.paragraphs if p.name] == PROGRAMS[program]["paragraphs"]
    assert [s.name for s in proc.sections if s.name] == PROGRAMS[program]["sections"]


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_calls(program: str) -> None:
    prog = the_program(program)
    assert prog.procedure is not None
    statements = [s for p in prog.procedure.paragraphs for s in p.statements]
    found: dict[tuple[str, bool, str | None], dict[str, Any]] = {}
    for st in walk_statements(statements):
        if not isinstance(st, A.CallStmt):
            continue
        dynamic = isinstance(st.program, A.Ident)
        via = st.program.name if isinstance(st.program, A.Ident) else None
        target = via if dynamic else str(st.program).strip("'\"")
        call = found.setdefault((target or "", dynamic, via), {"lines": [], "using": None})
        assert st.span is not None
        call["lines"].append(st.span.line)
        call["using"] = [str(n) for _, n in st.using]
    expected = {
        (c["via"] if c["dynamic"] else c["target"], c["dynamic"], c["via"]):
            {"lines": c["lines"], "using": c["using"]}
        for c in PROGRAMS[program]["calls"] if c["type"] == "CALL"
    }
    assert found == expected


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_select_entries_and_linkage(program: str) -> None:
    prog = the_program(program)
    files = {
        f.name: (f.assign[0], f.organization, f.access, f.record_key, f.file_status)
        for f in prog.files
    }
    expected = {
        f["select"]: (f["assign"], f["organization"] or "SEQUENTIAL",
                      f["access"] or "SEQUENTIAL", f["record_key"], f["file_status"])
        for f in PROGRAMS[program]["files"]
    }
    assert files == expected
    assert prog.procedure is not None
    assert [str(n) for _, n in prog.procedure.using] == PROGRAMS[program]["linkage_using"]


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_copybook_text_is_located_in_the_copybook(program: str) -> None:
    prog = the_program(program)
    assert prog.procedure is not None
    item_files = {it.span.file for it in prog.all_items() if it.span}
    proc_files = {p.span.file for p in prog.procedure.paragraphs if p.span}
    proc_files |= {
        st.span.file
        for p in prog.procedure.paragraphs
        for st in walk_statements(p.statements)
        if st.span
    }
    for copy in PROGRAMS[program]["copybooks"]:
        if not copy["in_dump"]:
            continue
        where = proc_files if copy["section"] == "PROCEDURE" else item_files
        assert copy["path"] in where, f"nothing located in {copy['path']}"
    source_map = parsed(program)[1].map
    for it in prog.all_items():
        assert it.span is not None
        line = source_map.source_line(it.span.start)  # records count as lines (80-byte members)
        assert line is not None, it.span
        level = line[it.span.start.column - 1 :].split()[0]  # an entry starts at its level
        assert level.isdigit() and int(level) == it.level, (it.span, line)


# --------------------------------------------------------------------------- layout oracle


def _fold(line: str, width: int = 72) -> list[str]:
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 12, width)
        out.append(line[:cut])
        line = " " * 15 + line[cut + 1 :]
    out.append(line)
    return out


def _displays_within_margin(
    add_displays: Any,
) -> Any:
    """The oracle's ``add_displays``, with each probe DISPLAY folded at spaces so that it stays
    left of column 73: a fully qualified, subscripted reference to a deeply nested item does not
    fit on one fixed-format line (cobc would ignore its tail)."""

    def wrapped(program: str, references: Sequence[str]) -> tuple[str, dict[str, int]]:
        text, lines = add_displays(program, references)
        by_line = {n: r for r, n in lines.items()}
        out: list[str] = []
        moved: dict[str, int] = {}
        for number, line in enumerate(text.split("\n"), start=1):
            ref = by_line.get(number)
            if ref is None:
                out.append(line)
            else:
                moved[ref] = len(out) + 1
                out.extend(_fold(line))
        return "\n".join(out), moved

    return wrapped


def _program_area(path: Path) -> str:
    """The program text without columns 73-80 (the compiler ignores them; the oracle looks for
    the PROCEDURE DIVISION header line by line)."""
    text = path.read_text("latin-1")
    return "\n".join(line[:72].rstrip() for line in text.splitlines()) + "\n"


@pytest.mark.cobc
@pytest.mark.skipif(not cobc_oracle.have_cobc(), reason="cobc (GnuCOBOL) is not on PATH")
@pytest.mark.parametrize("program", COMPILABLE)
def test_layout_matches_cobc(program: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / PROGRAMS[program]["path"]
    ok, messages = cobc_oracle.syntax_ok(path, std="ibm", copy_dirs=[COPYLIB])
    assert ok, messages
    monkeypatch.setattr(
        cobc_oracle, "add_displays", _displays_within_margin(cobc_oracle.add_displays)
    )
    prog = parse_sample(program)[0].programs[0]  # a fresh tree: its layout is redone here
    records: list[A.DataItem] = []
    for section_records in prog.data.values():
        assert compute_layout(section_records, dialect=GNUCOBOL_IBM) == []
        records.extend(section_records)
    check = cobc_oracle.check_layout(_program_area(path), records, std="ibm",
                                     copy_dirs=[COPYLIB])
    assert check.problems == []
    every = list(cobc_oracle.entries(records))
    assert check.sizes_compared == len(every)
    assert check.offsets_compared >= len(every) // 2
    print(f"\n{program}: {check.sizes_compared} sizes, {check.offsets_compared} offsets equal")
