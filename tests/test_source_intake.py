"""Dump intake: walking, IEBUPDTE splitting, classification by content, bad members."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest

from cobolspec.diagnostics import Severity
from cobolspec.errors import ConfigError
from cobolspec.source import CopyLibrary, Inventory, MemberKind, classify, discover, preprocess
from cobolspec.source.intake import member_name

FIXTURES = Path(__file__).parent / "fixtures" / "source"
DUMP = FIXTURES / "dump"
EXPECTED_KINDS: dict[str, str] = json.loads((FIXTURES / "dump_kinds.json").read_text())


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return discover(DUMP)


@pytest.fixture
def messy_dump(tmp_path: Path) -> Path:
    """The fixture dump plus the kinds of file that must not stop a run."""
    root = tmp_path / "dump"
    shutil.copytree(DUMP, root)
    (root / "misc" / "LOADMOD").write_bytes(b"\x00\x01\x02\x03LOAD MODULE\x00" * 50)
    (root / "misc" / "EMPTY.cbl").write_bytes(b"")
    (root / "misc" / "BLANKS.cpy").write_bytes(b"   \n\n  \n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    crlf = (DUMP / "src" / "CUSTPGM.cbl").read_text().replace("\n", "\r\n")
    (root / "src" / "CRLFPGM").write_bytes(crlf.replace("CUSTPGM", "CRLFPGM").encode())
    lines = (DUMP / "copylib" / "CUSTREC.cpy").read_text().splitlines()
    (root / "copylib" / "EBCREC").write_bytes(
        b"".join(ln.ljust(80).encode("cp037") for ln in lines)
    )
    return root


def test_every_member_is_classified_by_content(inventory: Inventory) -> None:
    got = {m.path: m.kind.value for m in inventory.members}
    assert got == EXPECTED_KINDS


def test_members_have_identity_name_hash_and_counts(inventory: Inventory) -> None:
    m = next(m for m in inventory.members if m.path == "src/CUSTPGM.cbl")
    raw = (DUMP / "src" / "CUSTPGM.cbl").read_bytes()
    assert (m.file, m.first_line, m.name) == ("src/CUSTPGM.cbl", 1, "CUSTPGM")
    assert m.hash == hashlib.sha256(raw).hexdigest()
    assert (m.lines, m.line_ending, m.encoding, m.format) == (12, "LF", "ascii", "fixed")
    assert m.text == raw.decode()
    assert inventory.root == DUMP.absolute()


def test_names_are_upper_case_without_extension(inventory: Inventory) -> None:
    names = {m.path: m.name for m in inventory.members}
    assert names["copylib/flags88"] == "FLAGS88"
    assert names["copylib/Paras.Copy"] == "PARAS"
    assert names["ddl/customer.sql"] == "CUSTOMER"
    assert member_name("cbtrn02c.cbl") == "CBTRN02C"


def test_iebupdte_members_keep_their_physical_lines(inventory: Inventory) -> None:
    by_path = {m.path: m for m in inventory.members}
    lib_lines = (DUMP / "concat" / "LIBRARY.txt").read_text().splitlines()
    pgma = by_path["concat/LIBRARY.txt(PGMA)"]
    assert (pgma.file, pgma.name, pgma.first_line, pgma.lines) == (
        "concat/LIBRARY.txt",
        "PGMA",
        3,
        5,
    )
    assert pgma.text.splitlines() == lib_lines[2:7]
    # ./ ADD LIST=ALL,NAME=CPYA followed by a ./ NUMBER control statement
    cpya = by_path["concat/LIBRARY.txt(CPYA)"]
    assert (cpya.first_line, cpya.lines) == (10, 1)
    assert cpya.text == lib_lines[9] + "\n"
    joba = by_path["concat/LIBRARY.txt(JOBA)"]
    assert joba.text.splitlines() == lib_lines[11:13]  # ends at ./ ENDUP
    raw = (DUMP / "concat" / "LIBRARY.txt").read_bytes().splitlines(keepends=True)
    assert joba.hash == hashlib.sha256(b"".join(raw[11:13])).hexdigest()
    notes = [
        d for d in inventory.diagnostics if d.location and d.location.file.startswith("concat")
    ]
    assert any("before the first ./ ADD" in d.message for d in notes)


def test_bad_files_become_diagnostics_and_the_rest_is_kept(messy_dump: Path) -> None:
    inv = discover(messy_dump)
    paths = {m.path for m in inv.members}
    assert set(EXPECTED_KINDS) <= paths  # nothing good was lost
    assert "misc/LOADMOD" not in paths and "misc/EMPTY.cbl" not in paths
    assert not any(p.startswith(".git") for p in paths)
    codes = {d.location.file: d.code for d in inv.diagnostics if d.location}
    assert codes["misc/LOADMOD"] == "SRC002"
    assert codes["misc/EMPTY.cbl"] == "SRC001"
    assert codes["misc/BLANKS.cpy"] == "SRC001"
    binary = next(d for d in inv.diagnostics if d.code == "SRC002")
    assert binary.severity is Severity.WARNING and binary.location is not None
    assert str(binary.location) == "misc/LOADMOD:1:1"


def test_crlf_and_ebcdic_members_are_decoded(messy_dump: Path) -> None:
    inv = discover(messy_dump)
    by_path = {m.path: m for m in inv.members}
    crlf = by_path["src/CRLFPGM"]
    assert (crlf.kind, crlf.line_ending, crlf.name) == (MemberKind.PROGRAM, "CRLF", "CRLFPGM")
    assert "\r" not in crlf.text
    ebc = by_path["copylib/EBCREC"]
    assert (ebc.kind, ebc.encoding, ebc.line_ending) == (MemberKind.COPYBOOK, "cp037", "records")
    assert "01  CUST-REC." in ebc.text
    info = [d for d in inv.diagnostics if d.code == "SRC007"]
    assert info and info[0].severity is Severity.INFO and "cp037" in info[0].message


def test_unreadable_file_is_a_diagnostic(messy_dump: Path) -> None:
    (messy_dump / "misc" / "GONE.cbl").symlink_to(messy_dump / "nowhere" / "GONE.cbl")
    inv = discover(messy_dump)
    gone = [d for d in inv.diagnostics if d.location and d.location.file == "misc/GONE.cbl"]
    assert [d.code for d in gone] == ["SRC008"]
    assert set(EXPECTED_KINDS) <= {m.path for m in inv.members}


def test_missing_root_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    inv = discover(tmp_path / "nowhere", DUMP / "jcl")
    assert [d.code for d in inv.diagnostics] == ["SRC008"]
    assert {m.name for m in inv.members} == {"CUSTJOB", "CUSTPROC", "STEPS"}


def test_several_roots_and_single_files(tmp_path: Path) -> None:
    inv = discover(DUMP / "jcl", DUMP / "src" / "CUSTPGM.cbl")
    assert inv.root == DUMP.absolute()
    assert {m.path for m in inv.members} == {
        "jcl/CUSTJOB.jcl",
        "jcl/CUSTPROC",
        "jcl/steps.txt",
        "src/CUSTPGM.cbl",
    }
    single = discover(DUMP / "bms" / "CUSTMAP.bms")
    assert [(m.path, m.kind) for m in single.members] == [("CUSTMAP.bms", MemberKind.BMS)]
    with pytest.raises(ConfigError):
        discover()


def test_by_kind_and_by_name(inventory: Inventory) -> None:
    assert {m.name for m in inventory.by_kind(MemberKind.PROGRAM)} == {"CUSTPGM", "CUSTREC", "PGMA"}
    assert {m.kind for m in inventory.by_name("custrec")} == {
        MemberKind.PROGRAM,
        MemberKind.COPYBOOK,
    }


# Classification cases: (lines, expected kind). Fixed-format awareness: columns 1-6 and 73-80
# must not decide anything.
CASES = [
    ("program with ID DIVISION", ["       ID DIVISION.", "       PROGRAM-ID. X."], "program"),
    (
        "program text in sequence area only",
        ["IDENTIFICATION DIVISION.".ljust(72) + "PROGRAM-"],
        "other",
    ),
    (
        "comment lines do not make a program",
        ["      * IDENTIFICATION DIVISION.", "      * PROGRAM-ID. X.", "       01 A PIC X."],
        "copybook",
    ),
    (
        "88-only copybook",
        ["           88  OK  VALUE 'Y'.", "           88  BAD VALUE 'N'."],
        "copybook",
    ),
    (
        "procedure copybook",
        ["       9000-ABEND.", "           DISPLAY 'ABEND'", "           GOBACK."],
        "copybook",
    ),
    (
        "clause fragment with sequence numbers",
        ["000100     LABEL RECORDS STANDARD", "000200"],
        "copybook",
    ),
    (
        "dclgen",
        [
            "           EXEC SQL DECLARE T1 TABLE (C1 CHAR(1)) END-EXEC.",
            "       01  DCLT1.",
            "           10 C1 PIC X.",
        ],
        "dclgen",
    ),
    ("ddl", ["CREATE VIEW V1 AS SELECT * FROM T1;"], "ddl"),
    (
        "sql in a program is not ddl",
        [
            "       IDENTIFICATION DIVISION.",
            "       PROGRAM-ID. P.",
            "           EXEC SQL CREATE TABLE T (A INT) END-EXEC.",
        ],
        "program",
    ),
    ("proc", ["//MYPROC  PROC", "//S1 EXEC PGM=IEFBR14"], "proc"),
    ("job with in-stream proc", ["//J1 JOB 1", "//P PROC", "//S EXEC PGM=X", "// PEND"], "jcl"),
    ("bms", ["M1 DFHMSD TYPE=MAP", "F1 DFHMDF POS=(1,1)"], "bms"),
    (
        "cobol comment naming a macro is not bms",
        ["000100* DFHMDF IN A COMMENT", "       01 A PIC X."],
        "copybook",
    ),
    ("prose", ["Move the files first.", "Then run the job.", "Call me if it fails."], "other"),
]


@pytest.mark.parametrize(("title", "lines", "kind"), CASES, ids=[c[0] for c in CASES])
def test_classification_cases(title: str, lines: list[str], kind: str) -> None:
    assert classify(lines).value == kind, title


def test_diagnostics_show_the_line_they_are_about(inventory: Inventory) -> None:
    (before,) = [d for d in inventory.diagnostics if "before the first" in d.message]
    assert before.source_line == "  LIBRARY UNLOAD OF PROD.SRC"
    assert before.render().startswith("concat/LIBRARY.txt:1:1: info:")
    numbered = [d for d in inventory.diagnostics if "./ NUMBER" in d.message]
    assert numbered == []  # ./ NUMBER right after ./ ADD only moves the member's first line


def test_a_library_survives_pickling_for_worker_processes() -> None:
    inv = discover(DUMP)
    lib = CopyLibrary.for_inventory(inv)
    pgm = next(m for m in inv.members if m.path == "src/CUSTPGM.cbl")
    first = preprocess(pgm, lib)  # fills the library's caches
    clone = pickle.loads(pickle.dumps(lib))
    again = preprocess(pgm, clone)
    assert again.text == first.text and again.copybooks == first.copybooks
