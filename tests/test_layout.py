"""Data layout: offsets and sizes after IBM's rules, and against GnuCOBOL as an oracle.

Unit tests build :class:`DataItem` trees by hand and check offsets and sizes derived from the IBM
Enterprise COBOL Language Reference.  Oracle tests build the same trees as the COBOL programs in
``tests/oracle/fixtures`` and compare every size with cobc's symbol table and every offset with
the addresses in the C cobc generates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from cobolspec.diagnostics import Diagnostic, Location, Severity, Span
from cobolspec.model.ast import Condition88, DataItem, Occurs
from cobolspec.model.layout import (
    GNUCOBOL,
    GNUCOBOL_IBM,
    IBM,
    Dialect,
    binary_size,
    compute_layout,
    normalise_usage,
)
from tests.oracle.cobc import (
    check_layout,
    display_references,
    entries,
    have_cobc,
    probe_offsets,
)

FIXTURES = Path(__file__).parent / "oracle" / "fixtures"


# --------------------------------------------------------------------------- tree building


def el(level: int, name: str | None, pic: str | None = None, **kw: object) -> DataItem:
    """An elementary entry."""
    return DataItem(level=level, name=name, pic=pic, **kw)  # type: ignore[arg-type]


def grp(level: int, name: str | None, *children: DataItem, **kw: object) -> DataItem:
    """A group entry with its subordinate entries."""
    item = DataItem(level=level, name=name, children=list(children), **kw)  # type: ignore[arg-type]
    for c in children:
        c.parent = item
    return item


def occ(n: int, lo: int | None = None, dep: str | None = None) -> Occurs:
    return Occurs(min=lo, max=n, depending_on=dep)


def by_name(records: Sequence[DataItem]) -> dict[str, DataItem]:
    return {it.name: it for it in entries(records) if it.name}


def placed(records: Sequence[DataItem]) -> dict[str, tuple[int | None, int | None]]:
    return {it.name: (it.offset, it.size) for it in entries(records) if it.name}


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def layout(*records: DataItem, **kw: object) -> dict[str, tuple[int | None, int | None]]:
    diags = compute_layout(list(records), **kw)  # type: ignore[arg-type]
    assert diags == [], [d.render() for d in diags]
    return placed(records)


# --------------------------------------------------------------------------- USAGE DISPLAY


def test_display_items_follow_each_other() -> None:
    rec = grp(
        1,
        "REC",
        el(5, "A", "X(10)"),
        el(5, "B", "S9(7)V99"),
        el(5, "C", "ZZZ,ZZ9.99-"),
        el(5, "D", "S9(5)", sign="LEADING", sign_separate=True),
        el(5, "E", "$$$,$$9.99CR"),
        el(5, "F", "A(3)"),
    )
    assert layout(rec) == {
        "REC": (0, 51),
        "A": (0, 10),
        "B": (10, 9),
        "C": (19, 11),
        "D": (30, 6),
        "E": (36, 12),
        "F": (48, 3),
    }


def test_sign_separate_on_an_unsigned_item_is_a_warning_and_adds_nothing() -> None:
    rec = grp(1, "REC", el(5, "U", "9(5)", sign="TRAILING", sign_separate=True))
    diags = compute_layout([rec])
    assert codes(diags) == ["LAY008"] and diags[0].severity is Severity.WARNING
    assert placed([rec])["U"] == (0, 5)


def test_sign_clause_of_a_group_applies_to_its_signed_items() -> None:
    rec = grp(
        1,
        "G",
        el(5, "S1", "S9(5)"),
        el(5, "S2", "9(5)"),
        el(5, "S3", "S9(5)", sign="TRAILING"),
        sign="LEADING",
        sign_separate=True,
    )
    assert layout(rec) == {"G": (0, 16), "S1": (0, 6), "S2": (6, 5), "S3": (11, 5)}


# --------------------------------------------------------------------------- other usages


@pytest.mark.parametrize(
    ("pic", "usage", "kw", "size"),
    [
        ("9", "BINARY", {}, 2),
        ("S9(4)", "COMP", {}, 2),
        ("9(5)", "COMP-4", {}, 4),
        ("S9(9)", "COMPUTATIONAL", {}, 4),
        ("S9(10)", "BINARY", {}, 8),
        ("9(18)", "BINARY", {}, 8),
        ("9(2)", "COMP-5", {}, 2),
        ("9(3)PPP", "COMP", {}, 2),
        ("9(2)", "COMP", {"binary_sizes": "gnucobol"}, 1),
        ("9(3)", "COMP", {"binary_sizes": "1-2-4-8"}, 2),
        ("9(5)", "COMP", {"binary_sizes": "1--8"}, 3),
        ("9(2)", "COMP-5", {"dialect": GNUCOBOL_IBM}, 1),
        ("9(2)", "COMP", {"dialect": GNUCOBOL_IBM}, 2),
        ("9(2)", "COMP", {"dialect": "gnucobol"}, 1),
        ("S9(7)V99", "COMP-3", {}, 5),
        ("9(4)", "PACKED-DECIMAL", {}, 3),
        ("9", "COMPUTATIONAL-3", {}, 1),
        ("9(3)PPP", "COMP-3", {}, 2),
        ("S9(18)", "COMP-3", {}, 10),
        ("S9(31)", "COMP-3", {}, 16),
        ("P", None, {}, 0),
        ("PP", "COMP", {}, 2),
        ("PPP", "COMP-3", {}, 1),
        ("N(10)", None, {}, 20),
        ("9(5)", "NATIONAL", {}, 10),
        ("ZZ9.99", "NATIONAL", {}, 12),
        ("NNBNN", None, {}, 10),
        ("N(5)", "DISPLAY-1", {}, 10),
        ("G(5)", None, {}, 10),
        ("U(3)", None, {}, 12),
        ("1(4)", None, {}, 4),
        ("-9.9(5)E-99", None, {}, 12),
    ],
)
def test_elementary_sizes(pic: str, usage: str | None, kw: dict[str, object], size: int) -> None:
    item = el(1, "X", pic, usage=usage)
    diags = compute_layout([item], **kw)  # type: ignore[arg-type]
    assert diags == []
    assert (item.offset, item.size) == (0, size)


def test_national_sign_separate_takes_one_national_character() -> None:
    item = el(1, "X", "S9(5)", usage="NATIONAL", sign="LEADING", sign_separate=True)
    assert layout(item) == {"X": (0, 12)}


@pytest.mark.parametrize(
    ("usage", "ibm", "gnucobol"),
    [
        ("COMP-1", 4, 4),
        ("COMP-2", 8, 8),
        ("POINTER", 4, 8),
        ("PROCEDURE-POINTER", 8, 8),
        ("FUNCTION-POINTER", 4, 8),
        ("OBJECT-REFERENCE", 4, 8),
        ("OBJECT REFERENCE", 4, 8),
        ("INDEX", 4, 4),
    ],
)
def test_usages_without_picture(usage: str, ibm: int, gnucobol: int) -> None:
    a, b = el(1, "A", usage=usage), el(1, "B", usage=usage)
    assert compute_layout([a]) == [] and a.size == ibm
    assert compute_layout([b], dialect=GNUCOBOL_IBM) == [] and b.size == gnucobol


def test_lp64_is_a_dialect_away() -> None:
    lp64 = replace(IBM, name="ibm-lp64", pointer_size=8, pointer_alignment=8)
    rec = grp(1, "R", el(5, "C", "X"), el(5, "P", usage="POINTER", sync=True))
    assert layout(rec, dialect=lp64) == {"R": (0, 16), "C": (0, 1), "P": (8, 8)}


def test_group_usage_is_inherited_by_elementary_items() -> None:
    rec = grp(
        1,
        "G",
        el(5, "P1", "S9(5)"),
        el(5, "P2", "S9(5)", usage="DISPLAY"),
        grp(5, "SUB", el(10, "P3", "9(6)")),
        usage="COMP-3",
    )
    assert layout(rec) == {"G": (0, 12), "P1": (0, 3), "P2": (3, 5), "SUB": (8, 4), "P3": (8, 4)}


def test_usage_names_are_normalised() -> None:
    assert [normalise_usage(u) for u in ("comp", "Computational-3", "COMP-5", None)] == [
        "BINARY",
        "PACKED-DECIMAL",
        "COMP-5",
        None,
    ]
    assert binary_size(4) == 2 and binary_size(18, "1-2-4-8") == 8
    with pytest.raises(ValueError):
        binary_size(19)


# --------------------------------------------------------------------------- OCCURS


def _table() -> DataItem:
    return grp(
        1,
        "T",
        el(5, "HEAD", "X(4)"),
        el(5, "ELEM", "9(3)", occurs=occ(5)),
        grp(
            5,
            "ROW",
            el(10, "CODE", "X(2)", conditions=[Condition88(name="OK", values=[("'OK'", None)])]),
            el(10, "AMT", "S9(5)V99", usage="COMP-3"),
            grp(
                10,
                "INNER",
                el(15, "IA", "X"),
                el(15, "IB", "S9(4)", usage="COMP", occurs=occ(3)),
                occurs=occ(2),
            ),
            occurs=Occurs(max=3, indexed_by=["T-IX"]),
        ),
        el(5, "TAIL", "X(6)"),
    )


def test_occurs_sizes_include_every_occurrence_and_offsets_are_of_the_first() -> None:
    assert layout(_table()) == {
        "T": (0, 85),
        "HEAD": (0, 4),
        "ELEM": (4, 15),
        "ROW": (19, 60),
        "CODE": (19, 2),
        "AMT": (21, 4),
        "INNER": (25, 14),
        "IA": (25, 1),
        "IB": (26, 6),
        "TAIL": (79, 6),
    }


def test_occurs_depending_on_counts_the_maximum() -> None:
    rec = grp(
        1,
        "V",
        el(5, "CNT", "S9(4)", usage="COMP"),
        grp(
            5,
            "ROWS",
            el(10, "K", "X(5)"),
            el(10, "VAL", "9(7)", usage="COMP-3"),
            occurs=occ(20, 1, "CNT"),
        ),
        el(5, "AFTER", "X"),
    )
    assert layout(rec) == {
        "V": (0, 183),
        "CNT": (0, 2),
        "ROWS": (2, 180),
        "K": (2, 5),
        "VAL": (7, 4),
        "AFTER": (182, 1),
    }


# --------------------------------------------------------------------------- REDEFINES


def test_redefines_shares_the_offset_and_does_not_advance() -> None:
    rec = grp(
        1,
        "R",
        el(5, "DT", "9(8)"),
        grp(5, "DX", el(10, "Y", "9(4)"), el(10, "M", "99"), el(10, "D", "99"), redefines="DT"),
        el(5, "DN", "S9(15)", usage="COMP-3", redefines="dt"),
        el(5, "AMT", "S9(7)V99"),
        el(5, "END", "X"),
    )
    assert layout(rec) == {
        "R": (0, 18),
        "DT": (0, 8),
        "DX": (0, 8),
        "Y": (0, 4),
        "M": (4, 2),
        "D": (6, 2),
        "DN": (0, 8),
        "AMT": (8, 9),
        "END": (17, 1),
    }


def test_a_larger_redefinition_below_level_01_is_a_warning_and_extends_the_group() -> None:
    rec = grp(1, "R", el(5, "A", "X(2)"), el(5, "B", "X(5)", redefines="A"), el(5, "C", "X"))
    diags = compute_layout([rec])
    assert codes(diags) == ["LAY006"] and diags[0].severity is Severity.WARNING
    assert placed([rec]) == {"R": (0, 6), "A": (0, 2), "B": (0, 5), "C": (5, 1)}


def test_every_record_starts_at_zero_level_01_redefines_included() -> None:
    fd1 = grp(1, "FREC-1", el(5, "F1", "X(10)"), section="FILE", record_of="F")
    fd2 = el(1, "FREC-2", "X(30)", section="FILE", record_of="F")
    ws = el(1, "W", "X(4)")
    ws_r = grp(1, "W-R", el(5, "W1", "X(2)"), el(5, "W2", "X(7)"), redefines="W")
    lone = el(77, "L77", "9(3)")
    assert layout(fd1, fd2, ws, ws_r, lone) == {
        "FREC-1": (0, 10),
        "F1": (0, 10),
        "FREC-2": (0, 30),
        "W": (0, 4),
        "W-R": (0, 9),
        "W1": (0, 2),
        "W2": (2, 7),
        "L77": (0, 3),
    }


def test_unresolved_redefines_is_an_error_and_leaves_the_offset_unknown() -> None:
    rec = grp(1, "R", el(5, "A", "X(2)"), el(5, "B", "X(2)", redefines="NOPE"), el(5, "C", "X"))
    diags = compute_layout([rec])
    assert codes(diags) == ["LAY003"]
    # Whether B overlays anything (and how far) is unknown, so where C starts is unknown too.
    assert placed([rec]) == {"R": (0, None), "A": (0, 2), "B": (None, 2), "C": (None, 1)}


# --------------------------------------------------------------------------- 66 and 88


def _renames_record() -> DataItem:
    return grp(
        1,
        "R",
        el(5, "DT", "9(8)"),
        grp(5, "DX", el(10, "Y", "9(4)"), el(10, "M", "99"), el(10, "D", "99"), redefines="DT"),
        el(5, "AMT", "S9(7)V99"),
        grp(5, "G", el(10, "GA", "X(3)"), el(10, "GB", "X(5)")),
    )


def test_renames_after_the_record() -> None:
    rec = _renames_record()
    r1 = el(66, "R-DT-AMT", renames=("DT", "AMT"))
    r2 = el(66, "R-M", renames=("M", None))
    r3 = el(66, "R-MID", renames=("Y", "GA"))
    r4 = el(66, "R-Q", renames=("M OF DX", "d in DX"))
    other = el(1, "NEXT", "X(3)")
    assert compute_layout([rec, r1, r2, r3, r4, other]) == []
    got = placed([r1, r2, r3, r4, other])
    assert got == {
        "R-DT-AMT": (0, 17),
        "R-M": (4, 2),
        "R-MID": (0, 20),
        "R-Q": (4, 4),
        "NEXT": (0, 3),
    }
    assert rec.size == 25


def test_renames_inside_the_record_tree() -> None:
    rec = _renames_record()
    r1 = el(66, "R-G", renames=("G", None))
    rec.children.append(r1)
    assert compute_layout([rec]) == []
    assert (r1.offset, r1.size, rec.size) == (17, 8, 25)


def test_renames_errors() -> None:
    rec = _renames_record()
    bad = [
        el(66, "R-X", renames=("NOPE", None)),
        el(66, "R-Y", renames=("AMT", "DT")),
        el(66, "R-Z", renames=("M OF G", None)),
        el(66, "R-W"),
    ]
    diags = compute_layout([rec, *bad])
    assert codes(diags) == ["LAY004", "LAY005", "LAY004", "LAY004"]
    assert all(b.offset is None and b.size is None for b in bad)
    assert codes(compute_layout([el(66, "LOST", renames=("A", None))])) == ["LAY012"]


def test_level_88_entries_take_no_storage() -> None:
    flag = el(5, "FLAG", "X", conditions=[Condition88(name="YES", values=[("'Y'", None)])])
    as_item = el(88, "NO", None, value=["'N'"])
    rec = grp(1, "R", flag, as_item, el(5, "NEXT", "X(2)"))
    assert compute_layout([rec]) == []
    assert (flag.offset, flag.size, rec.size, as_item.size) == (0, 1, 3, None)
    assert by_name([rec])["NEXT"].offset == 1


# --------------------------------------------------------------------------- SYNCHRONIZED


def sync_records() -> list[DataItem]:
    """The records of fixtures/sync.cbl."""
    comp = {"usage": "COMP", "sync": True}
    return [
        grp(
            1,
            "FIELD-A",
            el(5, "FIELD-B", "X(5)"),
            grp(5, "FIELD-C", el(10, "FIELD-D", "XX"), el(10, "FIELD-E", "S9(6)", **comp)),
        ),
        grp(
            1,
            "FIELD-L",
            el(5, "FIELD-M", "X(5)"),
            el(5, "FIELD-N", "XX"),
            grp(5, "FIELD-O", el(10, "FIELD-P", "S9(6)", **comp)),
        ),
        grp(
            1,
            "WORK-RECORD",
            el(5, "WORK-CODE", "X"),
            grp(
                5,
                "COMP-TABLE",
                el(10, "COMP-TYPE", "X"),
                el(10, "COMP-PAY", "S9(4)V99", **comp),
                el(10, "COMP-HRS", "S9(3)", **comp),
                el(10, "COMP-NAME", "X(5)"),
                occurs=occ(10),
            ),
        ),
        grp(
            1,
            "COMP-RECORD",
            el(5, "A-1", "X(5)"),
            el(5, "A-2", "X(3)"),
            el(5, "A-3", "X(3)"),
            el(5, "B-1", "S9999", **comp),
            el(5, "B-2", "S99999", **comp),
            el(5, "B-3", "S9999", **comp),
        ),
        grp(
            1,
            "S-MIXED",
            el(5, "S-X1", "X"),
            el(5, "S-BIN8", "S9(12)", **comp),
            el(5, "S-X2", "X"),
            el(5, "S-FLT2", usage="COMP-2", sync=True),
            el(5, "S-X3", "X"),
            el(5, "S-PTR", usage="POINTER", sync=True),
            el(5, "S-X4", "X"),
            el(5, "S-IDX", usage="INDEX", sync=True),
            el(5, "S-X5", "X"),
            el(5, "S-FLT1", usage="COMP-1", sync=True),
            el(5, "S-X6", "X"),
            el(5, "S-C5", "S9(4)", usage="COMP-5", sync=True),
            el(5, "S-X7", "X"),
            el(5, "S-PK", "S9(5)", usage="COMP-3", sync=True),
            el(5, "S-DISP", "9(3)", sync=True),
        ),
        grp(
            1,
            "S-LEAD",
            el(5, "S-L-X", "X"),
            grp(
                5,
                "S-L-TAB",
                el(10, "S-L-BIN", "S9(9)", **comp),
                el(10, "S-L-C", "X"),
                occurs=occ(3),
            ),
            grp(5, "S-L-G1", el(10, "S-L-A", "X")),
            grp(5, "S-L-G2", grp(10, "S-L-G3", el(15, "S-L-B", "S9(4)", **comp))),
        ),
        grp(
            1,
            "S-GROUP-SYNC",
            el(5, "S-GS-1", "X"),
            el(5, "S-GS-2", "S9(4)", usage="COMP"),
            sync=True,
        ),
    ]


# Offsets and sizes by IBM's rules (Language Reference, "Slack bytes within records" and
# "between elements"); the comments say where GnuCOBOL differs.
IBM_SYNC = {
    "FIELD-A": (0, 12),
    "FIELD-B": (0, 5),
    "FIELD-C": (5, 7),
    "FIELD-D": (5, 2),
    "FIELD-E": (8, 4),
    "FIELD-L": (0, 12),
    "FIELD-M": (0, 5),
    "FIELD-N": (5, 2),
    "FIELD-O": (8, 4),  # cobc: (7, 5), the slack inside FIELD-O
    "FIELD-P": (8, 4),
    "WORK-RECORD": (0, 161),
    "WORK-CODE": (0, 1),
    "COMP-TABLE": (1, 160),  # 14 bytes + 2 slack bytes per occurrence
    "COMP-TYPE": (1, 1),
    "COMP-PAY": (4, 4),
    "COMP-HRS": (8, 2),
    "COMP-NAME": (10, 5),
    "COMP-RECORD": (0, 22),
    "A-1": (0, 5),
    "A-2": (5, 3),
    "A-3": (8, 3),
    "B-1": (12, 2),
    "B-2": (16, 4),
    "B-3": (20, 2),
    "S-MIXED": (0, 59),
    "S-X1": (0, 1),
    "S-BIN8": (4, 8),  # an 8-byte binary item aligns on a fullword; cobc: 8
    "S-X2": (12, 1),
    "S-FLT2": (16, 8),
    "S-X3": (24, 1),
    "S-PTR": (28, 4),  # 4-byte pointer under LP(32); cobc: 8 bytes on an 8-byte boundary
    "S-X4": (32, 1),
    "S-IDX": (36, 4),
    "S-X5": (40, 1),
    "S-FLT1": (44, 4),
    "S-X6": (48, 1),
    "S-C5": (50, 2),
    "S-X7": (52, 1),
    "S-PK": (53, 3),  # SYNC has no effect on packed or display items
    "S-DISP": (56, 3),
    "S-LEAD": (0, 32),
    "S-L-X": (0, 1),
    "S-L-TAB": (4, 24),  # the table starts aligned; cobc: (1, 24), slack inside
    "S-L-BIN": (4, 4),
    "S-L-C": (8, 1),
    "S-L-G1": (28, 2),  # the slack before S-L-B follows S-L-A at its level, inside S-L-G1
    "S-L-A": (28, 1),
    "S-L-G2": (30, 2),
    "S-L-G3": (30, 2),
    "S-L-B": (30, 2),
    "S-GROUP-SYNC": (0, 4),  # SYNC on a level-01 group synchronizes its items; cobc ignores it
    "S-GS-1": (0, 1),
    "S-GS-2": (2, 2),
}


def test_sync_follows_ibm() -> None:
    records = sync_records()
    assert layout(*records) == IBM_SYNC


def test_sync_follows_gnucobol_where_it_differs() -> None:
    records = sync_records()
    got = layout(*records, dialect=GNUCOBOL_IBM)
    differs = {k: v for k, v in got.items() if IBM_SYNC[k] != v}
    assert differs == {
        "FIELD-O": (7, 5),
        "COMP-NAME": (12, 5),  # the 2 slack bytes of each occurrence come before COMP-NAME
        "S-MIXED": (0, 75),
        "S-BIN8": (8, 8),
        "S-X2": (16, 1),
        "S-FLT2": (24, 8),
        "S-X3": (32, 1),
        "S-PTR": (40, 8),
        "S-X4": (48, 1),
        "S-IDX": (52, 4),
        "S-X5": (56, 1),
        "S-FLT1": (60, 4),
        "S-X6": (64, 1),
        "S-C5": (66, 2),
        "S-X7": (68, 1),
        "S-PK": (69, 3),
        "S-DISP": (72, 3),
        "S-LEAD": (0, 28),
        "S-L-TAB": (1, 24),
        "S-L-G1": (25, 1),
        "S-L-A": (25, 1),
        "S-L-G2": (26, 2),
        "S-L-G3": (26, 2),
        "S-L-B": (26, 2),
        "S-GROUP-SYNC": (0, 3),
        "S-GS-2": (1, 2),
    }


def sync_table_records() -> list[DataItem]:
    """The records of fixtures/sync_tables.cbl."""
    comp = {"usage": "COMP", "sync": True}

    def rec(n: int, *items: DataItem, table: bool = True) -> DataItem:
        if table:
            return grp(1, f"W{n}", grp(5, f"T{n}", *items, occurs=occ(2)))
        return grp(1, f"W{n}", *items)

    return [
        rec(
            1,
            el(10, "A1", "X"),
            el(10, "B1", "S9(9)", **comp),
            el(10, "C1", "S9(4)", **comp),
            el(10, "D1", "X(5)"),
        ),
        rec(
            2,
            el(5, "A2", "X"),
            el(5, "B2", "S9(9)", **comp),
            el(5, "C2", "S9(4)", **comp),
            el(5, "D2", "X(5)"),
            table=False,
        ),
        rec(3, el(10, "A3", "X"), el(10, "C3", "S9(4)", **comp), el(10, "D3", "X(5)")),
        rec(
            4,
            el(10, "A4", "X"),
            el(10, "B4", "S9(9)", **comp),
            el(10, "C4", "S9(4)", **comp),
            el(10, "E4", "X"),
            el(10, "D4", "X(5)"),
        ),
        rec(
            5,
            el(10, "A5", "X"),
            el(10, "B5", "S9(9)", **comp),
            el(10, "C5", "S9(4)", **comp),
            grp(10, "G5", el(15, "D5", "X(5)")),
        ),
        rec(
            6,
            el(10, "A6", "X"),
            el(10, "B6", "S9(9)", **comp),
            el(10, "C6", "S9(4)", usage="COMP"),
            el(10, "D6", "X(5)"),
        ),
        rec(
            7,
            el(10, "A7", "X"),
            el(10, "B7", "S9(18)", **comp),
            el(10, "C7", "S9(4)", **comp),
            el(10, "D7", "X(5)"),
        ),
    ]


def test_slack_between_occurrences_ends_each_occurrence() -> None:
    got = layout(*sync_table_records())
    assert {k: got[k] for k in ("T1", "D1", "T3", "D3", "T4", "D4", "T5", "G5", "T6", "T7")} == {
        "T1": (0, 32),
        "D1": (10, 5),
        "T3": (0, 20),
        "D3": (4, 5),
        "T4": (0, 32),
        "D4": (11, 5),
        "T5": (0, 32),
        "G5": (10, 5),
        "T6": (0, 32),
        "T7": (0, 40),  # B7 (8 bytes) on a fullword: 1 + 3 + 8 + 2 + 5 = 19, padded to 20
    }
    assert (got["W2"], got["D2"]) == ((0, 15), (10, 5))


def test_gnucobol_puts_slack_between_occurrences_before_the_last_item() -> None:
    got = layout(*sync_table_records(), dialect=GNUCOBOL_IBM)
    # D1 moves from 10 to 11 so that the occurrence ends on a fullword; with a group last,
    # cobc 3.1.2 adds no slack at all and T5's occurrences are 15 bytes apart.
    assert {k: got[k] for k in ("T1", "D1", "D3", "D4", "T5", "G5", "T7", "C7", "D7")} == {
        "T1": (0, 32),
        "D1": (11, 5),
        "D3": (5, 5),
        "D4": (11, 5),
        "T5": (0, 30),
        "G5": (10, 5),
        "T7": (0, 48),
        "C7": (16, 2),
        "D7": (19, 5),
    }


def test_sync_slack_stays_inside_a_redefinition() -> None:
    rec = grp(
        1,
        "R",
        el(5, "C", "X"),
        el(5, "A", "X(8)"),
        grp(
            5, "B", el(10, "B1", "X"), el(10, "B2", "S9(9)", usage="COMP", sync=True), redefines="A"
        ),
        el(5, "Z", "X"),
    )
    assert layout(rec) == {
        "R": (0, 10),
        "C": (0, 1),
        "A": (1, 8),
        "B": (1, 7),
        "B1": (1, 1),
        "B2": (4, 4),
        "Z": (9, 1),
    }


def test_sync_slack_after_a_table_is_not_inside_it() -> None:
    rec = grp(
        1,
        "R",
        grp(5, "G", grp(10, "T", el(15, "TX", "X"), occurs=occ(3))),
        el(5, "H", "S9(9)", usage="COMP", sync=True),
    )
    assert layout(rec) == {"R": (0, 8), "G": (0, 4), "T": (0, 3), "TX": (0, 1), "H": (4, 4)}


# --------------------------------------------------------------------------- diagnostics


def _span(line: int) -> Span:
    return Span(Location("PGM.cbl", line, 12), Location("PGM.cbl", line, 40))


def test_bad_picture_leaves_size_unknown_and_later_offsets_unknown() -> None:
    rec = grp(
        1,
        "R",
        el(5, "A", "X(3)"),
        el(5, "B", "9Q", span=_span(7)),
        el(5, "C", "X"),
        el(5, "D", "X(2)", redefines="A"),
        grp(5, "G", el(10, "G1", "X(2)"), el(10, "G2", "X(3)")),
    )
    diags = compute_layout([rec])
    assert codes(diags) == ["LAY001"]
    d = diags[0]
    assert d.severity is Severity.ERROR and d.location == Location("PGM.cbl", 7, 12)
    assert "B: invalid PICTURE '9Q'" in d.message
    assert placed([rec]) == {
        "R": (0, None),
        "A": (0, 3),
        "B": (3, None),
        "C": (None, 1),
        "D": (0, 2),
        "G": (None, 5),
        "G1": (None, 2),
        "G2": (None, 3),
    }


@pytest.mark.parametrize(
    ("item", "code", "severity", "size"),
    [
        (el(1, "X"), "LAY002", Severity.ERROR, None),
        (el(1, "X", usage="COMP"), "LAY002", Severity.ERROR, None),
        (el(1, "X", "X(4)", usage="COMP"), "LAY010", Severity.ERROR, None),
        (el(1, "X", "ZZ9", usage="COMP-3"), "LAY010", Severity.ERROR, None),
        (el(1, "X", "9(19)", usage="BINARY"), "LAY007", Severity.ERROR, None),
        (el(1, "X", "9", usage="COMP-9"), "LAY011", Severity.ERROR, None),
        (el(1, "X", "9(4)", usage="COMP-1"), "LAY009", Severity.WARNING, 4),
        (grp(1, "X", el(5, "Y", "X(2)"), pic="X(9)"), "LAY013", Severity.WARNING, 2),
    ],
)
def test_findings(item: DataItem, code: str, severity: Severity, size: int | None) -> None:
    diags = compute_layout([item])
    assert [(d.code, d.severity) for d in diags] == [(code, severity)]
    assert item.size == size
    assert diags[0].message.startswith("X: ")


def test_dialect_by_name_and_bad_binary_rule() -> None:
    a = el(1, "A", usage="POINTER")
    compute_layout([a], dialect="gnucobol-ibm")
    assert a.size == 8
    with pytest.raises(ValueError):
        compute_layout([a], binary_sizes="3-6-9")
    with pytest.raises(ValueError, match="unknown dialect 'cobol-74'; known: ibm, gnucobol-ibm"):
        compute_layout([a], dialect="cobol-74")
    assert isinstance(GNUCOBOL, Dialect) and GNUCOBOL.binary_sizes == "1-2-4-8"


def test_decimal_point_is_comma_and_currency_reach_the_pictures() -> None:
    a = el(1, "A", "ZZZ.ZZ9,99")
    b = el(1, "B", "£££9.99")
    assert compute_layout([a], decimal_point_is_comma=True) == []
    assert compute_layout([b], currency="£") == []
    assert (a.size, b.size) == (10, 7)
    assert codes(compute_layout([b])) == ["LAY001"]


def test_a_big_record_is_laid_out_in_one_pass() -> None:
    n = 20_000
    rows = [
        grp(5, f"G{i}", el(10, f"K{i}", "X(3)"), el(10, f"V{i}", "S9(5)", usage="COMP-3"))
        for i in range(n)
    ]
    rec = grp(1, "BIG", *rows)
    span = el(66, "ALL", renames=("G0", f"G{n - 1}"))
    assert compute_layout([rec, span]) == []
    assert rec.size == 6 * n and span.size == 6 * n
    assert (rows[-1].offset, rows[-1].children[1].offset) == (6 * (n - 1), 6 * (n - 1) + 3)


# --------------------------------------------------------------------------- GnuCOBOL oracle


def usages_records() -> list[DataItem]:
    """The records of fixtures/usages.cbl."""
    return [
        grp(
            1,
            "U-REC",
            el(5, "U-ALNUM", "X(10)"),
            el(5, "U-ALPHA", "A(4)"),
            el(5, "U-NUM", "S9(7)V99"),
            el(5, "U-NUM-U", "9(5)"),
            el(5, "U-EDIT-1", "ZZZ,ZZ9.99-"),
            el(5, "U-EDIT-2", "$$$,$$9.99CR"),
            el(5, "U-EDIT-3", "+++9"),
            el(5, "U-EDIT-4", "**,**9.99"),
            el(5, "U-EDIT-5", "99/99/99"),
            el(5, "U-EDIT-6", "ZZ9DB"),
            el(5, "U-AEDIT", "XXBXX/X0"),
            el(5, "U-BIN-1", "S9(4)", usage="BINARY"),
            el(5, "U-BIN-2", "9(5)", usage="COMP"),
            el(5, "U-BIN-3", "S9(9)", usage="COMP-4"),
            el(5, "U-BIN-4", "S9(18)", usage="COMPUTATIONAL"),
            el(5, "U-BIN-5", "9(2)", usage="COMP"),
            el(5, "U-C5-1", "9(2)", usage="COMP-5"),
            el(5, "U-C5-2", "S9(4)", usage="COMP-5"),
            el(5, "U-C5-3", "S9(10)", usage="COMP-5"),
            el(5, "U-PK-1", "S9(7)V99", usage="COMP-3"),
            el(5, "U-PK-2", "9(4)", usage="PACKED-DECIMAL"),
            el(5, "U-PK-3", "9(3)PPP", usage="COMP-3"),
            el(5, "U-PK-4", "S9(18)", usage="COMPUTATIONAL-3"),
            el(5, "U-F1", usage="COMP-1"),
            el(5, "U-F2", usage="COMP-2"),
            el(5, "U-PTR", usage="POINTER"),
            el(5, "U-PPTR", usage="PROCEDURE-POINTER"),
            el(5, "U-IDX", usage="INDEX"),
            el(5, "U-NAT", "N(10)"),
            el(5, "U-SEP-L", "S9(5)", sign="LEADING", sign_separate=True),
            el(5, "U-SEP-T", "S9(3)V9", sign="TRAILING", sign_separate=True),
            el(5, "U-SIGN-T", "S9(5)", sign="TRAILING"),
            grp(
                5,
                "U-GRP-PK",
                el(10, "U-GP-1", "S9(5)"),
                el(10, "U-GP-2", "S9(5)", usage="DISPLAY"),
                grp(10, "U-GP-SUB", el(15, "U-GP-3", "9(6)")),
                usage="COMP-3",
            ),
            grp(
                5,
                "U-GRP-SIGN",
                el(10, "U-GS-1", "S9(5)"),
                el(10, "U-GS-2", "9(5)"),
                el(10, "U-GS-3", "S9(5)", sign="TRAILING"),
                sign="LEADING",
                sign_separate=True,
            ),
            grp(
                5,
                "U-DEEP",
                grp(
                    10,
                    "U-D1",
                    grp(15, "U-D2", el(20, "U-D3", "X(3)"), el(20, "U-D4", "9(3)", usage="COMP")),
                    el(15, "U-D5", "X"),
                ),
                el(10, "U-D6", "XX"),
            ),
        ),
        el(77, "U-77-A", "9(3)"),
        el(77, "U-77-B", "S9(9)", usage="COMP"),
        el(1, "U-SMALL", "X"),
    ]


def tables_records() -> list[DataItem]:
    """The records of fixtures/tables.cbl."""
    return [
        grp(
            1,
            "T-REC",
            el(5, "T-HEAD", "X(4)"),
            el(5, "T-ELEM", "9(3)", occurs=occ(5)),
            grp(
                5,
                "T-GRP",
                el(10, "T-G-CODE", "X(2)", conditions=[Condition88(name="T-G-OK")]),
                el(10, "T-G-AMT", "S9(5)V99", usage="COMP-3"),
                grp(
                    10,
                    "T-G-INNER",
                    el(15, "T-GI-A", "X"),
                    el(15, "T-GI-B", "S9(4)", usage="COMP", occurs=occ(3)),
                    occurs=occ(2),
                ),
                occurs=Occurs(max=3, indexed_by=["T-IX"]),
            ),
            el(5, "T-FLAG", "X", conditions=[Condition88(name="T-YES"), Condition88(name="T-NO")]),
            el(5, "T-TAIL", "X(6)"),
        ),
        grp(
            1,
            "T-VAR",
            el(5, "T-COUNT", "S9(4)", usage="COMP"),
            grp(
                5,
                "T-ROWS",
                el(10, "T-R-KEY", "X(5)"),
                el(10, "T-R-VAL", "9(7)", usage="COMP-3"),
                occurs=occ(20, 1, "T-COUNT"),
            ),
        ),
        grp(
            1,
            "T-VAR-2",
            el(5, "T-N", "99"),
            el(5, "T-CHARS", "X", occurs=occ(50, 0, "T-N")),
        ),
    ]


def redefines_records() -> list[DataItem]:
    """The records of fixtures/redefines.cbl (66 entries after their record)."""
    fd = {"section": "FILE", "record_of": "R-FILE"}
    return [
        grp(1, "R-FREC-1", el(5, "R-F1-TYPE", "X"), el(5, "R-F1-DATA", "X(49)"), **fd),
        grp(
            1,
            "R-FREC-2",
            el(5, "R-F2-TYPE", "X"),
            el(5, "R-F2-AMT", "S9(9)V99", usage="COMP-3"),
            el(5, "R-F2-NAME", "X(30)"),
            **fd,
        ),
        el(1, "R-FREC-3", "X(80)", **fd),
        grp(
            1,
            "R-REC",
            el(5, "R-DATE", "9(8)"),
            grp(
                5,
                "R-DATE-X",
                el(10, "R-YYYY", "9(4)"),
                el(10, "R-MM", "99"),
                el(10, "R-DD", "99"),
                redefines="R-DATE",
            ),
            el(5, "R-DATE-N", "S9(15)", usage="COMP-3", redefines="R-DATE"),
            el(5, "R-AMOUNT", "S9(7)V99"),
            el(5, "R-AMT-X", "X(9)", redefines="R-AMOUNT"),
            grp(5, "R-GROUP", el(10, "R-G-A", "X(3)"), el(10, "R-G-B", "X(5)")),
            grp(
                5,
                "R-GROUP-2",
                el(10, "R-G2-A", "9(4)", usage="COMP"),
                el(10, "R-G2-B", "X(2)"),
                redefines="R-GROUP",
            ),
            el(5, "R-END", "X"),
        ),
        el(66, "R-DATE-AMT", renames=("R-DATE", "R-AMOUNT")),
        el(66, "R-JUST-MM", renames=("R-MM", None)),
        el(66, "R-MID", renames=("R-YYYY", "R-G-A")),
        grp(1, "R-ALT", el(5, "R-ALT-1", "X(10)"), el(5, "R-ALT-2", "X(30)"), redefines="R-REC"),
        grp(1, "R-OTHER", el(5, "R-O-1", "X(7)")),
    ]


FIXTURE_TREES = {
    "usages.cbl": usages_records,
    "tables.cbl": tables_records,
    "redefines.cbl": redefines_records,
    "sync.cbl": sync_records,
    "sync_tables.cbl": sync_table_records,
}


STDS = [("ibm", GNUCOBOL_IBM), (None, GNUCOBOL)]


# Groups of variable size (T-VAR, T-ROWS, T-VAR-2) are not probed for offsets.
VARIABLE = {"tables.cbl": 3}


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc not installed")
@pytest.mark.parametrize("std,dialect", STDS, ids=["std-ibm", "std-default"])
@pytest.mark.parametrize("fixture", sorted(FIXTURE_TREES))
def test_layout_matches_cobc(fixture: str, std: str | None, dialect: Dialect) -> None:
    records = FIXTURE_TREES[fixture]()
    assert compute_layout(records, dialect=dialect) == []
    check = check_layout(FIXTURES / fixture, records, std=std)
    assert check.problems == []
    named = [it for it in entries(records) if it.name]
    assert check.sizes_compared == len(list(entries(records)))
    assert check.offsets_compared == len(named) - VARIABLE.get(fixture, 0)


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc not installed")
def test_the_oracle_sees_a_wrong_layout() -> None:
    records = sync_records()
    compute_layout(records)  # IBM rules, not what cobc does
    check = check_layout(FIXTURES / "sync.cbl", records, std="ibm")
    assert "FIELD-O OF FIELD-L: offset 8 size 4, cobc offset 7 size 5" in check.problems
    assert "S-MIXED: size 59, cobc 75" in check.problems


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc not installed")
def test_display_references_are_qualified_and_subscripted() -> None:
    refs = display_references(tables_records())
    assert "T-GI-B OF T-G-INNER OF T-GRP OF T-REC (1, 1, 1)" in refs
    assert "T-CHARS OF T-VAR-2 (1)" in refs
    assert "T-VAR" not in refs and "T-ROWS OF T-VAR (1)" not in refs
    got = probe_offsets(
        FIXTURES / "tables.cbl", ["T-GI-B OF T-G-INNER OF T-GRP OF T-REC (2, 2, 3)"]
    )
    # row 2 (+20), inner 2 (+7), element 3 (+4) from T-GI-B's first occurrence at 26
    assert [(f.base, f.offset, f.size) for f in got.values()] == [("T-REC", 26 + 20 + 7 + 4, 2)]
