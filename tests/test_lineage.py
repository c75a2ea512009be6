"""Reaching definitions, lineage and the ``dataflow`` rows.

The reaching sets of ``tests/fixtures/dataflow/reaching.cbl`` are stated statement by statement;
the lineages of fields of the sample dump (``samples/``) were worked out by hand from the
programs and copybooks: each test says, in words, why the sources are what they are.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from cobolspec.analysis.dataflow import (
    Endpoint,
    analyze,
    def_use,
    forward_lineage,
    lineage,
    possible_values,
    reaching_definitions,
    store_rows,
)
from cobolspec.analysis.lineage import Lineage
from cobolspec.model import ast as A
from cobolspec.parse.parser import parse_expanded
from cobolspec.source import CopyLibrary, discover, preprocess
from cobolspec.store.db import Store
from tests.test_dataflow_fixtures import FIXTURES, programs_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@cache
def fixture(name: str) -> A.Program:
    return programs_of(FIXTURES / f"{name}.cbl")[0]


@cache
def _library() -> CopyLibrary:
    return CopyLibrary.for_inventory(discover(SAMPLES / "COPYLIB", SAMPLES / "DCLGEN"))


@cache
def sample(member: str) -> A.Program:
    """A program of the sample dump; locations are relative to ``samples/``."""
    result = parse_expanded(preprocess(SAMPLES / "COBOL" / member, _library(), root=SAMPLES))
    assert not [d for d in result.diagnostics if d.severity.value == "error"]
    return result.programs[0]


def sid(program: A.Program, line: int, column: int = 12) -> str:
    """The ID of the statement of ``program`` at ``line`` (in the program's own file)."""
    assert program.span is not None
    found = [s for s in analyze(program).by_id if s == f"{program.span.file}:{line}:{column}"]
    assert len(found) == 1, found
    return found[0]


def short(chain: tuple[str, ...]) -> tuple[str, ...]:
    """``COBOL/TRANPOST.cbl:202:12`` -> ``202``; the start node stays ``(START)``."""
    return tuple(s.split(":")[-2] if "(START)" not in s else "(START)" for s in chain)


def ends(result: Lineage) -> dict[str, tuple[str, ...]]:
    """End points rendered ``kind name [field] (detail)`` with their shortened chains."""
    out = {}
    for e in result.endpoints():
        text = str(e) + (f" ({e.detail})" if e.detail else "")
        out[text] = short(result.chain(e))
    return out


# --------------------------------------------------------------------------- reaching defs

REACHING = [
    # line of the use, item, lines of the definitions reaching it
    pytest.param(28, "X", ["24", "26"], id="both arms of an IF reach the DISPLAY"),
    pytest.param(30, "X", ["50"], id="the PERFORMed paragraph's MOVE ends the earlier ones"),
    pytest.param(35, "T", ["33"], id="a PERFORM returns to its own call, not another"),
    pytest.param(52, "T", ["31", "33"], id="inside the paragraph both calls' values arrive"),
    pytest.param(37, "GRP-A OF GRP", ["36"], id="a whole definition of the field"),
    pytest.param(37, "GRP", ["(START)", "36"], id="a field only partly defines its group"),
    pytest.param(39, "TBL-E OF TBL", ["(START)", "38"], id="a subscripted element is partial"),
    pytest.param(42, "Z", ["40"], id="on SIZE ERROR the receiving item keeps its old value"),
    pytest.param(44, "Z", ["40", "41"], id="after the COMPUTE either value"),
    pytest.param(46, "N", ["(START)", "46"], id="a loop carries its own definition round"),
]


@pytest.mark.parametrize(("line", "item", "want"), REACHING)
def test_reaching_definitions(line: int, item: str, want: list[str]) -> None:
    program = fixture("reaching")
    rd = reaching_definitions(program)
    column = 30 if line == 42 else 16 if line == 46 else 12
    got = rd.reaching(sid(program, line, column), item)
    assert sorted(short(tuple(got))) == want


def test_a_paragraph_only_performed_never_falls_into_the_next() -> None:
    """SHOW-T is only PERFORMed, so NEVER-FALLEN-INTO (line 54) is never run: its MOVE reaches
    no use, although the statement CFG draws a fall-through edge into it."""
    program = fixture("reaching")
    rd = reaching_definitions(program)
    g = rd.graph
    assert any(g.edges[e]["kind"] == "fallthrough" for e in g.in_edges(sid(program, 54)))
    assert rd.uses_of(sid(program, 54), "T") == set()
    assert sorted(short(tuple(rd.uses_of(sid(program, 33), "T")))) == ["35", "52"]


def test_reach_in_lists_every_item_with_its_definitions() -> None:
    program = fixture("reaching")
    here = reaching_definitions(program).reach_in(sid(program, 44))
    assert sorted(short(tuple(here["Z"]))) == ["40", "41"]
    assert sorted(short(tuple(here["X"]))) == ["50"]
    assert short(tuple(here["FLAG"])) == ("(START)",)


# --------------------------------------------------------------------------- lineage basics


def test_backward_lineage_of_a_fixture_value() -> None:
    program = fixture("reaching")
    got = ends(lineage(program, "X", at=sid(program, 28)))
    assert got == {"literal 1": ("24",), "literal 2": ("26",)}


def test_forward_lineage_from_a_definition() -> None:
    program = fixture("reaching")
    got = ends(forward_lineage(program, "X", at=sid(program, 24)))
    assert got == {"display SYSOUT": ("24", "28")}


def test_lineage_of_an_unknown_name_is_an_error() -> None:
    with pytest.raises(KeyError):
        lineage(fixture("reaching"), "NO-SUCH-NAME")


def test_lineage_follows_a_field_through_group_moves() -> None:
    """WS-BODY is moved from a row of the table (47), which WS-FLAT covers: WS-FLAT got the
    whole of WS-REC (45), whose fields were set at 43 (WS-KEY-1) and 44 (the RENAMES over
    WS-KEY-2 and WS-BODY); WS-QTY of a row was set at 46. A table row's position is not known,
    so the whole of WS-REC is followed (and its REDEFINES of WS-KEY adds nothing of its own)."""
    program = fixture("aliasing")
    assert ends(lineage(program, "WS-BODY", at=sid(program, 53))) == {
        "literal 'ABC'": ("43", "45", "47"),
        "literal 7": ("46", "47"),
        "literal SPACES": ("44", "45", "47"),
    }


def test_read_into_and_release_from_keep_track_of_a_field() -> None:
    """RETURN SORT-WORK INTO WS-TRAN (61) copies the sort record: WS-KEY holds SORT-KEY's
    bytes, moved on to MAST-KEY (64). Forwards, TRAN-KEY read at 54 INTO WS-TRAN is released
    FROM WS-TRAN (57) as SORT-KEY of the sort record; WS-TOTAL is written to PRINT-FILE in
    WS-LINE, whose bytes fill PRINT-LINE (an elementary item: no field of its own)."""
    program = fixture("files")
    assert ends(lineage(program, "MAST-KEY", at=sid(program, 65))) == {
        "file SORT-WORK [SORT-KEY OF SORT-REC]": ("61", "64"),
    }
    assert ends(forward_lineage(program, "TRAN-KEY")) == {
        "file SORT-WORK [SORT-KEY OF SORT-REC]": ("54", "57"),
    }
    assert ends(forward_lineage(program, "WS-TOTAL")) == {
        "file PRINT-FILE [WS-TOTAL OF WS-LINE]": ("74",),
    }


# --------------------------------------------------------------------------- the samples


def test_tranpost_reject_record_fields() -> None:
    """TRANPOST writes the reject record at 205 (3000-WRITE-REJECT). REJ-REASON-CODE is moved
    from WS-REJECT-CODE at 203, which holds 01 when the account was not found (122) or the
    code ACCTVAL returned in WS-VAL-PARMS (CALL at 138, MOVE at 145) — of which this program
    alone cannot say that ACCTVAL always sets it. REJ-TRAN-AMOUNT lies in REJ-TRAN-DATA, filled
    from the whole transaction record at 202: the bytes of TRAN-AMOUNT, read at 184, unless
    ACCTVAL (given TRAN-RECORD by reference) changed them."""
    program = sample("TRANPOST.cbl")
    at = sid(program, 205)
    assert ends(lineage(program, "REJ-REASON-CODE", at)) == {
        "literal 01": ("122", "203"),
        "call ACCTVAL [VAL-RETURN-CODE OF WS-VAL-PARMS]": ("138", "145", "203"),
        "uninitialized VAL-RETURN-CODE OF WS-VAL-PARMS": ("(START)", "145", "203"),
    }
    assert ends(lineage(program, "REJ-TRAN-AMOUNT", at)) == {
        "file TRAN-FILE [TRAN-AMOUNT OF TRAN-RECORD]": ("184", "202"),
        "call ACCTVAL [TRAN-AMOUNT OF TRAN-RECORD]": ("138", "202"),
    }
    assert ends(lineage(program, "REJ-REASON-TEXT", at)) == {
        "literal 'ACCOUNT NOT FOUND'": ("123", "204"),
        "call ACCTVAL [VAL-REASON-TEXT OF WS-VAL-PARMS]": ("138", "146", "204"),
        "uninitialized VAL-REASON-TEXT OF WS-VAL-PARMS": ("(START)", "146", "204"),
    }
    forward = ends(forward_lineage(program, "TRAN-AMOUNT"))
    assert forward["file REJECT-FILE [REJ-TRAN-AMOUNT OF REJ-TRAN-FIELDS OF REJECT-RECORD]"] \
        == ("202", "205")
    assert forward["file ACCT-MASTER [ACCT-BALANCE OF ACCOUNT-RECORD]"] == ("155", "172")


def test_intcalc_new_balance() -> None:
    """INTCALC rewrites the account at 364 and lists the new balance at 353/354. The balance
    read at 376 changes by the interest COMPUTEd at 291 (balance x WS-RATE-PCT x WS-DAYS /
    36500) and added at 296, or by a fee moved from WS-RATE-FEE (320) and subtracted (321).
    WS-RATE-PCT and WS-RATE-FEE come from the rate table loaded from RATE-FILE (175, 191/192,
    280/281; ZERO at 273 when no tier matches; table elements are set one by one, so their
    initial content also counts); WS-DAYS from DP-DAYS, returned by the dynamic CALL of
    DATEUTIL at 144/229."""
    program = sample("INTCALC.cbl")
    want = {
        "file ACCT-MASTER [ACCT-BALANCE OF ACCOUNT-RECORD]": ("376",),
        "file RATE-FILE [RATE-PCT OF RATE-RECORD]": ("175", "191", "280", "291", "296"),
        "file RATE-FILE [RATE-FEE OF RATE-RECORD]": ("175", "192", "281", "320", "321"),
        "call DATEUTIL [DP-DAYS OF WS-DATE-PARMS] (dynamic)": ("144", "229", "291", "296"),
        "literal 36500": ("291", "296"),
        "literal ZERO": ("273", "291", "296"),
        "uninitialized DP-DAYS OF WS-DATE-PARMS": ("(START)", "229", "291", "296"),
        "uninitialized RT-FEE OF WS-RATE-ENTRY OF WS-RATE-TABLE":
            ("(START)", "281", "320", "321"),
        "uninitialized RT-RATE-PCT OF WS-RATE-ENTRY OF WS-RATE-TABLE":
            ("(START)", "280", "291", "296"),
    }
    assert ends(lineage(program, "ACCT-BALANCE", sid(program, 364))) == want
    listed = ends(lineage(program, "IO-NEW-BALANCE", sid(program, 354)))
    assert listed == {k: (*v, "353") for k, v in want.items()}
    forward = ends(forward_lineage(program, "ACCT-BALANCE"))
    assert forward["file ACCT-MASTER [ACCT-BALANCE OF ACCOUNT-RECORD]"] == ("364",)
    assert forward["file INT-OUT-FILE [IO-NEW-BALANCE OF INT-OUT-RECORD]"] == ("353", "354")
    assert forward["file INT-OUT-FILE [IO-AMOUNT OF INT-OUT-RECORD]"] == ("291", "352", "354")


def test_acctrpt_total_lines() -> None:
    """ACCTRPT prints the grand total at 260 (3000-FINISH). TOT-BALANCE is moved from
    WS-GRAND-BALANCE (257), the sum of the branch totals (244), each the sum of type totals
    (223), each the sum of EX-BALANCE of the extract records (206, read at 286); when no
    record was read it is the zero INITIALIZE put there (154). The count line sums ADD 1s.
    A branch total line's label is built by STRING at 231 from literals and WS-PREV-BRANCH,
    which holds EX-BRANCH of the extract (moved at 168 or 247)."""
    program = sample("ACCTRPT.cbl")
    grand = sid(program, 260)
    assert ends(lineage(program, "TOT-BALANCE", grand)) == {
        "file EXTRACT-FILE [EX-BALANCE OF EXTRACT-RECORD]":
            ("286", "206", "223", "244", "257"),
        "literal SPACES/ZEROS": ("154", "257"),
    }
    assert ends(lineage(program, "TOT-COUNT", grand)) == {
        "literal 1": ("205", "222", "243", "256"),
        "literal SPACES/ZEROS": ("154", "256"),
    }
    assert ends(lineage(program, "TOT-LABEL", sid(program, 238))) == {
        "file EXTRACT-FILE [EX-BRANCH OF EXTRACT-RECORD]": ("286", "168", "231"),
        "literal 'BRANCH '": ("231",),
        "literal ' TOTAL'": ("231",),
        "literal SPACES": ("230",),
    }
    forward = ends(forward_lineage(program, "EX-BALANCE"))
    assert forward == {
        "file REPORT-FILE [DTL-BALANCE OF DETAIL-LINE]": ("198", "202"),
        "file REPORT-FILE [TOT-BALANCE OF TOTAL-LINE]": ("206", "216", "219"),
    }


def test_csacct_map_fields_and_commarea() -> None:
    """CSACCT sends map CSACM1 at 306 (8010-SEND-DATAONLY). BALANCEO is edited from
    ACCT-BALANCE (217, 218) of the record READ from ACCTMAST (126, also 188 and 261), or holds
    the LOW-VALUES moved over the whole map. The COMMAREA goes back to CICS at 328 (RETURN):
    CA-NEW-LIMIT there comes from the account's credit limit (136), from the limit keyed on
    the map (CRLIMITI received at 104, cleaned by INSPECT at 177, NUMVAL at 182, moved at
    184), from the caller's COMMAREA (MOVE DFHCOMMAREA at 67) or from INITIALIZE (63); the CFG
    also lets a HANDLE CONDITION label be reached before either, hence the uninitialized
    value."""
    program = sample("CSACCT.cbl")
    assert ends(lineage(program, "BALANCEO", sid(program, 306))) == {
        "cics READ ACCTMAST [ACCT-BALANCE OF ACCOUNT-RECORD]": ("126", "217", "218"),
        "literal LOW-VALUES": ("109",),
    }
    limit = ends(lineage(program, "CA-NEW-LIMIT", sid(program, 328)))
    assert limit == {
        "cics READ ACCTMAST [ACCT-CREDIT-LIMIT OF ACCOUNT-RECORD]": ("126", "136"),
        "cics RECEIVE MAP CSACM1 [CRLIMITI OF CSACM1I]": ("104", "176", "182", "184"),
        "linkage DFHCOMMAREA": ("(START)", "67"),
        "literal ','": ("177", "182", "184"),
        "literal SPACE": ("177", "182", "184"),
        "literal SPACES/ZEROS": ("63",),
        "uninitialized CA-NEW-LIMIT OF CS-COMMAREA": ("(START)",),
    }
    forward = ends(forward_lineage(program, "ACCT-BALANCE"))
    assert forward == {
        "cics LINK CSACVAL [VC-BALANCE OF VC-REQUEST OF WS-VAL-COMMAREA]": ("147", "152"),
        "cics REWRITE ACCTMAST [ACCT-BALANCE OF ACCOUNT-RECORD]": ("273",),
        "cics SEND MAP CSACM1 [BALANCEO OF CSACM1O]": ("217", "218", "306"),
    }


def test_custupd_sql_host_variables() -> None:
    """CUSTUPD updates CUSTOMER at 132 with :WS-NEW-LIMIT and :WS-NEW-STATUS. The limit starts
    as CREDIT-LIMIT FETCHed through CUSTCUR (191, moved at 116), then by risk score is raised
    10 pct (120) but at most WS-MAX-LIMIT (VALUE +50000.00, 122), cut 20 pct (127) or set to
    ZERO (129); the status is the fetched CUST-STATUS (117) or 'R' (130). The cursor's input
    :WS-CUTOFF-DATE, given to DB2 at OPEN (108), is STRINGed (92) from the control card
    ACCEPTed at 91."""
    program = sample("CUSTUPD.cbl")
    update = sid(program, 132)
    assert ends(lineage(program, "WS-NEW-LIMIT", update)) == {
        "sql CUSTOMER.CREDIT_LIMIT (FETCH CUSTCUR)": ("191", "116"),
        "literal 1.10": ("120",),
        "literal 0.80": ("127",),
        "literal ZERO": ("129",),
        "value WS-MAX-LIMIT OF WS-LIMITS (+50000.00)": ("(START)", "122"),
    }
    assert ends(lineage(program, "WS-NEW-STATUS", update)) == {
        "sql CUSTOMER.CUST_STATUS (FETCH CUSTCUR)": ("191", "117"),
        "literal 'R'": ("130",),
    }
    cutoff = ends(lineage(program, "WS-CUTOFF-DATE", sid(program, 108)))
    assert cutoff["accept SYSIN [WS-CC-CCYY OF WS-CC-CUTOFF OF WS-CONTROL-CARD]"] == ("91", "92")
    assert cutoff["literal '-'"] == ("92",)
    forward = ends(forward_lineage(program, "CREDIT-LIMIT"))
    assert forward == {
        "sql CUSTOMER.CREDIT_LIMIT (UPDATE)": ("116", "132"),
        "sql CUST_AUDIT.OLD_VALUE [OLD-VALUE-TEXT OF OLD-VALUE OF DCLCUST-AUDIT] (INSERT)":
            ("168", "169", "174"),
        "sql CUST_AUDIT.NEW_VALUE [NEW-VALUE-TEXT OF NEW-VALUE OF DCLCUST-AUDIT] (INSERT)":
            ("116", "171", "172", "174"),
    }


def test_intcalc_dynamic_call_target() -> None:
    """INTCALC calls DATEUTIL through WS-DATE-PGM (VALUE 'DATEUTIL', never moved to)."""
    program = sample("INTCALC.cbl")
    assert possible_values(program, "WS-DATE-PGM") == {"DATEUTIL"}


# --------------------------------------------------------------------------- contracts


def test_every_lineage_chain_is_in_data_order() -> None:
    """Backward chains start where the value enters (a statement making the end point's flow,
    or the start node); forward chains end at the statement where it leaves."""
    program = sample("TRANPOST.cbl")
    flow = analyze(program)
    for name in ("REJECT-RECORD", "ACCT-BALANCE", "WS-TRAN-REJECTED"):
        back = lineage(program, name)
        for end, chain in back.ends.items():
            if chain[0].endswith("(START)"):
                continue
            facts = flow.facts(chain[0])
            assert facts is not None
            assert any(_same(end, s) for f in facts.flows for s in f.sources), (end, chain)
        fwd = forward_lineage(program, name)
        for end, chain in fwd.ends.items():
            facts = flow.facts(chain[-1])
            assert facts is not None
            assert any(_same(end, f.target) for f in facts.flows) or end.kind in (
                "linkage", "return-code"), (end, chain)


def _same(a: Endpoint, b: Endpoint) -> bool:
    return (a.kind, a.name, a.detail) == (b.kind, b.name, b.detail)


def test_def_use_lists_accesses_in_statement_order() -> None:
    program = sample("TRANPOST.cbl")
    order = [s.id for s in analyze(program).statements]
    seen = [a.statement for a in def_use(program)]
    positions = [order.index(s) for s in seen]
    assert positions == sorted(positions)
    assert {a.access for a in def_use(program)} == {"def", "use"}


def test_store_rows_fill_the_dataflow_table() -> None:
    program = sample("TRANPOST.cbl")
    rows = store_rows(program)["dataflow"]
    keys = [(r["statement"], r["item"], r["access"], r["via"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {"program", "statement", "item", "access", "via", "file", "line"} == set(rows[0])
    write = [r for r in rows if str(r["statement"]).endswith(":205:12")]
    assert {(r["item"], r["access"], r["via"]) for r in write} >= {
        ("REJECT-RECORD", "use", "WRITE"), ("REJ-REASON-CODE OF REJECT-RECORD", "use", "alias"),
        ("WS-REJ-STATUS OF WS-FILE-STATUSES", "def", "FILE STATUS"),
    }
    with Store.open() as store:
        assert store.insert("dataflow", rows, defaults={"run_id": 1, "member": "m"}) == len(rows)
        assert store.count("dataflow") == len(rows)


NESTED = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. OUTER.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  TOTAL GLOBAL            PIC 9(3).
       PROCEDURE DIVISION.
           CALL 'INNER'
           STOP RUN.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. INNER.
       PROCEDURE DIVISION.
           ADD 1 TO TOTAL
           GOBACK.
       END PROGRAM INNER.
       END PROGRAM OUTER.
"""


def test_a_nested_program_sees_the_global_items_of_its_container() -> None:
    result = parse_expanded(preprocess(NESTED))
    outer = result.programs[0]
    store_rows(outer)
    rows = store_rows(outer.nested[0])["dataflow"]
    assert {(r["item"], r["access"]) for r in rows} == {("TOTAL", "use"), ("TOTAL", "def")}
    assert not analyze(outer.nested[0]).diagnostics


SAMPLE_PROGRAMS = sorted(p.name for p in (SAMPLES / "COBOL").iterdir())


@pytest.mark.parametrize("member", SAMPLE_PROGRAMS)
def test_samples_resolve_every_name(member: str) -> None:
    """Every data name of the sample programs resolves (SQLCA, EIB and DFH names included)."""
    flow = analyze(sample(member))
    assert not flow.diagnostics, [d.message for d in flow.diagnostics]
    assert flow.statements


def test_lineage_runs_for_every_item_of_every_sample() -> None:
    """No crash and a chain for every end point, over all items of all sample programs."""
    count = 0
    run: list[Callable[[A.Program, str], Lineage]] = [lineage, forward_lineage]
    for member in SAMPLE_PROGRAMS:
        program = sample(member)
        for name in analyze(program).items:
            for fn in run:
                result = fn(program, name)
                assert all(result.ends.values())
                count += 1
    assert count > 1000
