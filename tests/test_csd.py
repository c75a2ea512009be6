"""CICS CSD (DFHCSDUP input) reader: the sample CSD against samples_expected.json, commands
spread over lines and abbreviated, groups, lists, deletions, and the findings on bad input."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import cobolspec.analysis.csd as csd_module
from cobolspec.analysis.csd import looks_like_csd, parse_csd, store_rows
from cobolspec.source import MemberKind, discover

ROOT = Path(__file__).parent.parent
EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "samples_expected.json").read_text())


def test_sample_csd() -> None:
    expected = EXPECTED["csd"]
    inventory = discover(ROOT / "samples")
    member = next(m for m in inventory.members if m.path == expected["path"])
    assert member.kind is MemberKind.OTHER  # recognised by content, not by the source stage
    csd = parse_csd(member.text, member.file, first_line=member.first_line)
    assert csd.diagnostics == []
    assert csd.groups == [expected["group"]]
    assert csd.lists == {expected["list"]: [expected["group"]]}
    assert {t.transid: t.program for t in csd.transactions} == expected["transactions"]
    assert csd.programs == expected["programs"]
    assert csd.mapsets == expected["mapsets"]
    assert csd.files == expected["files"]
    got = [
        {
            "transid": t.transid,
            "program": t.program,
            "defined_in": t.location.file,
            "group": t.group,
        }
        for t in csd.transactions
    ]
    assert got == EXPECTED["transactions"]
    lines = (ROOT / "samples" / expected["path"]).read_text().splitlines()
    for d in csd.definitions:
        assert re.match(rf"DEFINE {d.type}\({d.name}\)", lines[d.location.line - 1])
    assert csd.definitions[0].attributes["DESCRIPTION"] == "CARDSYS MAIN MENU"


def test_only_the_csd_member_looks_like_one() -> None:
    inventory = discover(ROOT / "samples")
    found = [m.path for m in inventory.members if looks_like_csd(m.text)]
    assert found == [EXPECTED["csd"]["path"]]


TEXT = """\
* A COMMENT LINE
DEF TRANS(T001) G(GRPA)
    PROG(PGM001)   DESC(FIRST (MAIN) TRANSACTION,
    ON TWO LINES)
DEFINE PROGRAM(PGM001) LANGUAGE(COBOL)
DEFINE FILE(CUSTF) GROUP(GRPB) DSNAME(PROD.CUST.KSDS) RECORDFORMAT(F)
DEFINE FILE(CUSTF) GROUP(GRPB) DSNAME(OTHER.KSDS)
DEFINE MAPSET(MS001) GROUP(GRPB)
DELETE MAPSET(MS001) GROUP(GRPB)
ADD GROUP(GRPA) LIST(LISTA)
ADD GROUP(GRPB) LIST(LISTA)
REMOVE GROUP(GRPA) LIST(LISTA)
FROB THING(X)
DEFINE TDQUEUE(TDQ1) GROUP(GRPC) TYPE(INTRA
DEFINE GROUP(GRPC)
"""


def test_commands_over_lines_abbreviations_groups_and_deletions() -> None:
    csd = parse_csd(TEXT, "sys.csd")
    assert [(d.type, d.name, d.group, d.location.line) for d in csd.definitions] == [
        ("TRANSACTION", "T001", "GRPA", 2),
        ("PROGRAM", "PGM001", "GRPA", 5),  # no GROUP: the previous DEFINE's
        ("FILE", "CUSTF", "GRPB", 6),
        ("TDQUEUE", "TDQ1", "GRPC", 14),
    ]
    assert [(t.transid, t.program, t.group) for t in csd.transactions] == [
        ("T001", "PGM001", "GRPA")
    ]
    assert csd.definitions[0].attributes["DESCRIPTION"] == "FIRST (MAIN) TRANSACTION, ON TWO LINES"
    assert csd.files == {"CUSTF": "PROD.CUST.KSDS"}  # the second DEFINE is refused
    assert csd.mapsets == []
    assert csd.lists == {"LISTA": ["GRPB"]}
    assert [c.verb for c in csd.commands] == [
        "DEFINE", "DEFINE", "DEFINE", "DEFINE", "DEFINE", "DELETE", "ADD", "ADD", "REMOVE",
        "DEFINE", "DEFINE",
    ]  # fmt: skip
    assert [(d.code, d.location.line if d.location else 0) for d in csd.diagnostics] == [
        ("CSD004", 7),
        ("CSD003", 13),
        ("CSD001", 14),
        ("CSD001", 15),
    ]


def test_define_without_any_group() -> None:
    csd = parse_csd("DEFINE PROGRAM(LONELY) LANGUAGE(COBOL)\n", "x.csd", first_line=5)
    assert [(d.name, d.group) for d in csd.definitions] == [("LONELY", None)]
    assert [(d.code, d.location.line if d.location else 0) for d in csd.diagnostics] == [
        ("CSD002", 5)
    ]


def test_store_rows_name_the_files_datasets() -> None:
    csd = parse_csd(TEXT, "sys.csd")
    assert store_rows(csd) == {
        "datasets": [{"dataset": "PROD.CUST.KSDS", "kind": None, "file": "sys.csd", "line": 6}]
    }


def test_garbage_never_raises() -> None:
    for text in ["", "(", ")", "DEFINE", "DEFINE (", "ADD GROUP(", "* only a comment\n", "x y z"]:
        parse_csd(text, "g.csd")
        looks_like_csd(text)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(csd_module)
    assert result.failed == 0 and result.attempted > 0


def test_every_code_is_documented_once() -> None:
    codes = {
        v for k, v in vars(csd_module).items() if k.isupper() and re.fullmatch(r"CSD\d{3}", str(v))
    }
    documented = re.findall(r"^(CSD\d{3})\s", csd_module.__doc__ or "", re.M)
    assert sorted(documented) == sorted(codes)
