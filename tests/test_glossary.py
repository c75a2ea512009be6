"""Glossary: name splitting, abbreviation expansion, 88-levels, comments, user overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from cobolspec.errors import ConfigError
from cobolspec.parse import parse_expanded, parse_file
from cobolspec.rules.glossary import (
    ABBREVIATIONS,
    SCOPE_MARKERS,
    Entry,
    Glossary,
    load_abbreviations,
    load_user_glossary,
    split_name,
    values_text,
)
from cobolspec.source import CopyLibrary, preprocess

FIXTURES = Path(__file__).parent / "fixtures" / "describe" / "glossary"
PROGRAM = FIXTURES / "GLOSPGM.cbl"
COPYBOOK = FIXTURES / "GLOSCPY.cpy"
SAMPLES = Path(__file__).parent.parent / "samples"


@pytest.fixture(scope="module")
def program():
    result = parse_file(PROGRAM)
    assert not result.diagnostics
    return result.programs[0]


@pytest.fixture(scope="module")
def glossary(program):
    return Glossary.from_program(program)


def rows_for(glossary: Glossary, term: str) -> list[tuple[str, str, str | None, int | None]]:
    return [(r["source"], r["meaning"], Path(r["file"]).name if r["file"] else None, r["line"])
            for r in glossary.store_rows()["glossary"] if r["term"] == term]


# ------------------------------------------------------------------ splitting and the table


@pytest.mark.parametrize(("name", "words"), [
    ("WS-TRAN-AMT", ["WS", "TRAN", "AMT"]),
    ("CUST-ADDR1", ["CUST", "ADDR", "1"]),
    ("0000-MAIN", ["0000", "MAIN"]),
    ("ws_total__amt", ["WS", "TOTAL", "AMT"]),
    ("ACCTBAL", ["ACCTBAL"]),
])
def test_split_name(name, words):
    assert split_name(name) == words


@pytest.mark.parametrize(("name", "meaning"), [
    ("ACCT-BAL", "account balance"),
    ("WS-ACCT-BAL", "account balance"),            # scope marker dropped
    ("LS-CUST-NBR", "customer number"),
    ("WK-TRN-DT", "transaction date"),
    ("LK-TXN-NUM", "transaction number"),
    ("WS", "ws"),                                  # a lone marker is the whole name
    ("CARD-STANDARD-WS", "card standard ws"),      # a marker elsewhere is a word
    ("WS-EOF-SW", "end of file switch"),           # multi-word meanings
    ("CUST-ADDR1", "customer address 1"),          # digits split off known words
    ("DB2-AREA", "db2 area"),                      # ...and not off unknown ones
    ("ACCTMAST", "account master"),                # run-together abbreviations
    ("TRAN-RECORD", "transaction record"),         # English words are not cut up
    ("2000-PROCESS-TRAN", "process transaction"),  # paragraph numbers dropped
    ("ACCT-LAST-ACTIVITY-DATE", "account last activity date"),
])
def test_name_meaning(name, meaning):
    assert Glossary().explain(name) == meaning


def test_shipped_table_is_large_and_documented():
    meanings = {k: v for k, v in ABBREVIATIONS.items() if v}
    assert len(meanings) >= 150
    for term, meaning in [("ACCT", "account"), ("AMT", "amount"), ("BAL", "balance"),
                          ("CUST", "customer"), ("TRAN", "transaction"), ("TRN", "transaction"),
                          ("DT", "date"), ("NBR", "number"), ("NUM", "number"),
                          ("NO", "number")]:
        assert ABBREVIATIONS[term] == meaning
    assert {"WS", "LS", "WK"} <= SCOPE_MARKERS
    assert all(term == term.upper() and "-" not in term for term in ABBREVIATIONS)
    with pytest.raises(TypeError):
        ABBREVIATIONS["X"] = "y"  # type: ignore[index]


def test_table_extension_and_its_errors(tmp_path):
    table = load_abbreviations(FIXTURES / "abbrev.csv")
    assert table == {"STAT": "state", "LGR": "general ledger"}
    g = Glossary(abbreviations={**ABBREVIATIONS, **table})
    assert g.explain("CUST-STAT") == "customer state"
    assert g.explain("WS-LGR-BAL") == "general ledger balance"
    bad = tmp_path / "bad.csv"
    bad.write_text("term,meaning\nA,b,c\n")
    with pytest.raises(ConfigError, match=r"bad\.csv:2"):
        load_abbreviations(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_abbreviations(tmp_path / "absent.csv")


def test_program_glossary_with_an_extended_table(program):
    g = Glossary.from_program(program, abbreviations=[FIXTURES / "abbrev.csv", {"TOT": "sum"}])
    assert g.explain("CUST-STAT") == "customer state"
    assert g.explain("WS-TOT-AMT") == "sum amount"          # later extensions win
    assert g.explain("CUST-CLOSED") == "customer state is 'C' or 'X'"
    assert rows_for(g, "WS-LGR-BAL") == [("name", "general ledger balance", "GLOSPGM.cbl", 34)]
    # the user glossary still overrides the table
    g2 = Glossary.from_program(program, abbreviations=[FIXTURES / "abbrev.csv"],
                               user=FIXTURES / "user.csv")
    assert g2.explain("WS-LGR-BAL") == "ledger balance"


def test_extension_marks_a_new_scope_marker(tmp_path):
    extra = tmp_path / "scope.csv"
    extra.write_text("W01,\n")
    g = Glossary(abbreviations={**ABBREVIATIONS, **load_abbreviations(extra)})
    assert g.explain("W01-ACCT-BAL") == "account balance"


def test_values_text():
    assert values_text([("'DP'", None)]) == "'DP'"
    assert values_text([("'DP'", None), ("'PY'", None)]) == "'DP' or 'PY'"
    assert values_text([("1", "9"), ("SPACES", None)]) == "1 through 9 or spaces"


# ------------------------------------------------------------------ mining a program


def test_names_from_program_and_copybook(glossary):
    assert rows_for(glossary, "CUST-NBR") == [("name", "customer number", "GLOSCPY.cpy", 7)]
    assert rows_for(glossary, "WS-TOT-AMT") == [("name", "total amount", "GLOSPGM.cbl", 21)]
    assert rows_for(glossary, "CUST-FILE") == [("name", "customer file", "GLOSPGM.cbl", 10)]
    assert glossary.explain("cust-nbr") == "customer number"  # case does not matter


def test_88_levels_read_as_item_and_values(glossary):
    assert rows_for(glossary, "CUST-CLOSED") == [
        ("88-level", "customer status is 'C' or 'X'", "GLOSCPY.cpy", 11)]
    assert glossary.explain("LK-RISK-HIGH") == "risk score is 800 through 999"
    assert glossary.explain("LK-RISK-NONE") == "risk score is zero"
    assert glossary.explain("WS-END-OF-FILE") == "end of file switch is 'Y'"
    info = glossary.condition("WS-CUST-EOF")
    assert info is not None
    assert (info.item, info.values) == ("WS-CUST-STAT", (("'10'", None),))
    assert glossary.condition("WS-CUST-STAT") is None


def test_comments_above_and_beside(glossary):
    # framed block directly above an 01 in the program
    assert rows_for(glossary, "WS-TOTALS") == [
        ("name", "totals", "GLOSPGM.cbl", 20),
        ("comment", "RUN TOTALS FOR THE CONTROL REPORT", "GLOSPGM.cbl", 17)]
    # floating *> comment on the definition line
    assert glossary.comment("WS-REC-CNT") == "RECORDS READ SO FAR"
    # a single comment line in the copybook, directly above the item
    assert rows_for(glossary, "CUST-STAT")[1] == (
        "comment", "STATUS OF THE CUSTOMER AT THE LAST REVIEW", "GLOSCPY.cpy", 8)


def test_comments_that_describe_nothing(glossary):
    # the copybook's header banner sits directly above CUST-REC: it is no description
    assert glossary.comment("CUST-REC") is None
    # a blank line separates this comment from LK-RISK-SCORE
    assert glossary.comment("LK-RISK-SCORE") is None
    # the program banner is above ENVIRONMENT DIVISION, not a data item
    assert all(r["source"] != "comment" or "GLOSPGM" not in r["meaning"]
               for r in glossary.store_rows()["glossary"])


def test_comments_from_the_source_map_equal_those_from_disk(program, glossary):
    expanded = preprocess(PROGRAM, CopyLibrary([FIXTURES]))
    prog = parse_expanded(expanded).programs[0]
    from_map = Glossary.from_program(prog, expanded)
    assert from_map.store_rows() == glossary.store_rows()
    files = {item.span.file for item in prog.all_items()}
    assert len(files) == 2
    lines = {f: Path(f).read_text().splitlines() for f in files}
    assert Glossary.from_program(prog, lines).store_rows() == glossary.store_rows()


def test_comments_relative_to_a_root(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    prog = parse_file("GLOSPGM.cbl").programs[0]  # spans name files relative to FIXTURES
    monkeypatch.chdir(tmp_path)
    assert Glossary.from_program(prog).comment("CUST-STAT") is None  # not found from here
    g = Glossary.from_program(prog, root=FIXTURES)
    assert g.comment("CUST-STAT") == "STATUS OF THE CUSTOMER AT THE LAST REVIEW"


def test_user_glossary_overrides(program):
    g = Glossary.from_program(program, user=FIXTURES / "user.csv")
    assert g.explain("CUST-BAL") == "ledger balance of the customer"  # a whole name
    assert g.explain("WS-LGR-BAL") == "ledger balance"                # a word
    assert rows_for(g, "CUST-BAL")[-1] == ("user", "ledger balance of the customer",
                                           "user.csv", 3)
    assert rows_for(g, "LGR") == [("user", "ledger", "user.csv", 4)]
    # an override of an 88's item shows in the 88's meaning
    g2 = Glossary.from_program(program, user=[Entry("CUST-STAT", "standing", "user")])
    assert g2.explain("CUST-ACTIVE") == "standing is 'A'"
    # user terms the program does not use are not stored with it
    g3 = Glossary.from_program(program, user=[Entry("ZZZ", "nothing", "user")])
    assert not rows_for(g3, "ZZZ")


def test_user_glossary_errors(tmp_path):
    empty = tmp_path / "u.csv"
    empty.write_text("ACCT-X,\n")
    with pytest.raises(ConfigError, match="no meaning"):
        load_user_glossary(empty)


def test_store_rows_shape_and_determinism(program, glossary):
    rows = glossary.store_rows()["glossary"]
    assert rows
    assert all(set(r) == {"program", "term", "meaning", "source", "file", "line"} for r in rows)
    assert {r["source"] for r in rows} == {"name", "88-level", "comment"}
    assert all(r["program"] == "GLOSPGM" for r in rows)
    assert rows == Glossary.from_program(program).store_rows()["glossary"]
    keys = [(r["term"], r["source"], r["meaning"]) for r in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples not present")
def test_samples_ebcdic_copybook_and_88s():
    result = parse_file(SAMPLES / "COBOL" / "TRANPOST.cbl", [SAMPLES / "COPYLIB"])
    g = Glossary.from_program(result.programs[0])
    assert g.explain("ACCT-CLOSED") == "account status is 'C'"
    assert g.explain("TRAN-DEBIT-TYPE") == "transaction type is 'WD', 'PU' or 'FE'"
    assert g.explain("VAL-TRAN-ERROR") == "value return code is 10 through 19"
    assert g.explain("WS-END-OF-TRANS") == "end of file switch is 'Y'"
    # comments in the copybook banners describe no field
    assert not [r for r in g.store_rows()["glossary"] if r["source"] == "comment"]
    upd = parse_file(SAMPLES / "COBOL" / "CUSTUPD.cbl", [SAMPLES / "COPYLIB",
                                                         SAMPLES / "DCLGEN"])
    assert Glossary.from_program(upd.programs[0]).comment("WS-ERROR-MESSAGE") == (
        "DB2 ERROR TEXT FROM DSNTIAR")
    # CSCOMM is stored in EBCDIC: its lines are decoded like the source stage does
    menu = parse_file(SAMPLES / "COBOL" / "CSMENU.cbl", [SAMPLES / "COPYLIB"])
    gm = Glossary.from_program(menu.programs[0])
    assert any(r["file"].endswith("CSCOMM") for r in gm.store_rows()["glossary"])


def test_docstring_examples():
    import doctest

    from cobolspec.rules import glossary as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
