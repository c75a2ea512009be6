"""The sample dump in samples/: its batch programs compile and run with GnuCOBOL, and the
facts recorded in tests/fixtures/samples_expected.json match the members."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
COPYLIB = SAMPLES / "COPYLIB"
DATA = SAMPLES / "DATA"
EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "samples_expected.json").read_text())
PROGRAMS: dict[str, dict[str, Any]] = {p["program_id"]: p for p in EXPECTED["programs"]}

COBC = shutil.which("cobc")
needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not on PATH")

# Batch programs that are run as main programs, and the subprograms they call.
MAINS = [p for p, d in PROGRAMS.items() if d["kind"] == "batch"]
SUBPROGRAMS = [p for p, d in PROGRAMS.items() if d["kind"] == "subprogram"]
COBC_FLAGS = ["-std=ibm", "-I", str(COPYLIB)]


def _source(program: str) -> Path:
    return SAMPLES / PROGRAMS[program]["path"]


# --------------------------------------------------------------------------------------------
# Decoding helpers for the fixed-record files the programs write
# --------------------------------------------------------------------------------------------


def _records(data: bytes, lrecl: int) -> list[bytes]:
    assert len(data) % lrecl == 0, f"{len(data)} bytes is not a multiple of LRECL {lrecl}"
    return [data[i : i + lrecl] for i in range(0, len(data), lrecl)]


def _packed(field: bytes, scale: int) -> Decimal:
    """COMP-3: two digits a byte, sign in the last half-byte (D = negative)."""
    digits = field.hex()
    value = Decimal(int(digits[:-1])).scaleb(-scale)
    return -value if digits[-1] in "bd" else value


def _zoned_lead(text: str, scale: int) -> Decimal:
    """PIC S9(n)V9(s) SIGN LEADING SEPARATE."""
    assert text[0] in "+-", text
    value = Decimal(int(text[1:])).scaleb(-scale)
    return -value if text[0] == "-" else value


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Build and run the whole chain once
# --------------------------------------------------------------------------------------------


@dataclass
class Step:
    program: str
    returncode: int
    stdout: str


@dataclass
class Chain:
    work: Path
    steps: dict[str, Step]

    def out(self, name: str) -> bytes:
        return (self.work / name).read_bytes()

    def text(self, name: str) -> str:
        return (self.work / name).read_text()


def _compile(work: Path, program: str) -> subprocess.CompletedProcess[str]:
    assert COBC is not None
    if program in SUBPROGRAMS:
        target = ["-m", "-o", str(work / "lib" / f"{program}.so")]
    else:
        target = ["-x", "-o", str(work / "bin" / program)]
    return subprocess.run(
        [COBC, *COBC_FLAGS, *target, str(_source(program))],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run(work: Path, program: str, dds: dict[str, str], stdin: Path | None = None) -> Step:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DD_")}
    env["COB_LIBRARY_PATH"] = str(work / "lib")
    env.update({f"DD_{dd}": str(path) for dd, path in dds.items()})
    stdin_text = stdin.read_text() if stdin else ""
    proc = subprocess.run(
        [str(work / "bin" / program)],
        input=stdin_text,
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=60,
    )
    assert "ABNORMAL END" not in proc.stdout, proc.stdout
    return Step(program, proc.returncode, proc.stdout)


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not on PATH")
    work = tmp_path_factory.mktemp("cardsys")
    (work / "bin").mkdir()
    (work / "lib").mkdir()
    everything = MAINS + SUBPROGRAMS
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        compiled = list(pool.map(lambda p: _compile(work, p), everything))
    results = dict(zip(everything, compiled, strict=True))
    for program, proc in results.items():
        assert proc.returncode == 0, f"{program}: {proc.stderr}"

    def run(program: str, dds: dict[str, Path], stdin: Path | None = None) -> None:
        steps[program] = _run(work, program, {dd: str(path) for dd, path in dds.items()}, stdin)

    steps: dict[str, Step] = {}
    run("ACCTLOAD", {"ACCTIN": DATA / "ACCTLOAD.txt", "ACCTMAST": work / "acctmast.dat"})
    run(
        "TRANPOST",
        {
            "TRANIN": DATA / "TRANFILE.txt",
            "ACCTMAST": work / "acctmast.dat",
            "REJOUT": work / "rejects.dat",
        },
    )
    run("REJRPT", {"REJIN": work / "rejects.dat", "REJLIST": work / "rejlist.txt"})
    run(
        "INTCALC",
        {
            "RATEFILE": DATA / "RATES.dat",
            "ACCTMAST": work / "acctmast.dat",
            "INTOUT": work / "intout.dat",
        },
        stdin=DATA / "RUNDATE.txt",
    )
    run("ACCTSORT", {"ACCTMAST": work / "acctmast.dat", "ACCTEXT": work / "acctext.dat"})
    run(
        "ACCTRPT",
        {"ACCTEXT": work / "acctext.dat", "RPTFILE": work / "report.txt"},
        stdin=DATA / "RUNDATE.txt",
    )
    run("CUSTCONV", {"CUSTIN": DATA / "CUSTFEED.csv", "CUSTOUT": work / "custmast.dat"})
    run("DATEDRVR", {"DATECASE": DATA / "DATECASE.txt", "DATEOUT": work / "dateout.txt"})
    return Chain(work, steps)


def _display_counts(stdout: str) -> dict[str, str]:
    """'PGM - LABEL   : value' lines of a program's control totals."""
    counts = {}
    for line in stdout.splitlines():
        m = re.match(r"^\w+ - ([A-Z ,]+?)\s*:\s*(\S.*?)\s*$", line)
        if m:
            counts[m.group(1)] = m.group(2)
    return counts


# --------------------------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------------------------


@needs_cobc
@pytest.mark.cobc
@pytest.mark.parametrize("program", MAINS + SUBPROGRAMS)
def test_cobc_syntax_only_is_clean(program: str) -> None:
    assert COBC is not None
    proc = subprocess.run(
        [COBC, "-fsyntax-only", *COBC_FLAGS, str(_source(program))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", f"warnings from cobc: {proc.stderr}"


# --------------------------------------------------------------------------------------------
# The chain, step by step
# --------------------------------------------------------------------------------------------


@pytest.mark.cobc
def test_load_builds_master_and_rejects_bad_input(chain: Chain) -> None:
    step = chain.steps["ACCTLOAD"]
    assert step.returncode == 4
    counts = _display_counts(step.stdout)
    assert counts["RECORDS READ"] == "17"
    assert counts["ACCOUNTS LOADED"] == "15"
    assert counts["REJECTED BY EDIT"] == "1"
    assert counts["REJECTED BY KEY"] == "1"
    assert "DUPLICATE OR OUT OF SEQUENCE 01010000029" in step.stdout
    assert re.search(r"REJECTED 01020000067 INVALID ACCOUNT TYPE", step.stdout)


@pytest.mark.cobc
def test_posting_totals_and_reject_reasons(chain: Chain) -> None:
    step = chain.steps["TRANPOST"]
    assert step.returncode == 4
    counts = _display_counts(step.stdout)
    assert counts["TRANSACTIONS READ"] == "26"
    assert counts["TRANSACTIONS POSTED"] == "15"
    assert counts["TRANSACTIONS REJECTED"] == "11"
    assert counts["FEES POSTED"] == "2"
    assert counts["TOTAL CREDITS"] == "3,400.01"
    assert counts["TOTAL DEBITS"] == "5,920.94"

    rejects = {
        r[:10].decode(): (r[80:82].decode(), r[82:112].decode().strip())
        for r in _records(chain.out("rejects.dat"), 120)
    }
    assert rejects == {
        "T000000002": ("40", "INSUFFICIENT FUNDS"),
        "T000000005": ("30", "TRAN TYPE NOT ALLOWED FOR ACCT"),
        "T000000008": ("41", "OVER CREDIT LIMIT"),
        "T000000009": ("21", "ACCOUNT FROZEN"),
        "T000000010": ("01", "ACCOUNT NOT FOUND"),
        "T000000011": ("10", "INVALID AMOUNT"),
        "T000000012": ("11", "INVALID TRANSACTION TYPE"),
        "T000000014": ("12", "INVALID TRANSACTION DATE"),
        "T000000016": ("41", "OVER CREDIT LIMIT"),
        "T000000017": ("20", "ACCOUNT CLOSED"),
        "T000000026": ("30", "TRAN TYPE NOT ALLOWED FOR ACCT"),
    }
    # the reject keeps the input image unchanged
    tran_lines = {line[:10]: line for line in (DATA / "TRANFILE.txt").read_text().splitlines()}
    for rec in _records(chain.out("rejects.dat"), 120):
        image = rec[:80].decode().rstrip()
        assert image == tran_lines[image[:10]]


@pytest.mark.cobc
def test_reject_listing_summarises_by_reason_and_category(chain: Chain) -> None:
    step = chain.steps["REJRPT"]
    assert step.returncode == 4
    listing = chain.text("rejlist.txt")
    assert listing.count("\f") == 1
    summary = {}
    for line in listing.splitlines():
        m = re.match(r"^    (\d\d)  (.{30})\s*(\d+)\s+([\d,.]+-?)\s*$", line)
        if m:
            summary[m.group(1)] = (int(m.group(3)), m.group(4))
    assert summary == {
        "01": (1, "10.00"),
        "10": (1, "0.00"),
        "11": (1, "10.00"),
        "12": (1, "25.00"),
        "20": (1, "10.00"),
        "21": (1, "50.00"),
        "30": (2, "70.00"),
        "40": (1, "3,200.00"),
        "41": (2, "4,600.02"),
    }
    assert re.search(r"TOTAL REJECTED\s+11\s+7,975\.02", listing)
    categories = dict(re.findall(r"^ {8}([A-Z ]+?)\s+(\d+)\s*$", listing, flags=re.M))
    assert categories == {
        "TRANSACTION ERRORS": "3",
        "ACCOUNT ERRORS": "3",
        "BUSINESS RULE ERRORS": "2",
        "FUNDS ERRORS": "3",
        "UNKNOWN REASON CODE": "0",
    }


# Balances after posting (hand computed from DATA/ACCTLOAD.txt and DATA/TRANFILE.txt) and the
# charges INTCALC must make for run date 2024-02-29, from DATA/RATES.dat.
POSTED_BALANCE = {
    "01010000029": Decimal("15500.00"),
    "01010000037": Decimal("-450.00"),
    "01010000053": Decimal("151000.00"),
    "01020000016": Decimal("700.00"),
    "01020000024": Decimal("-1999.99"),
    "01020000040": Decimal("-985.00"),
    "02050000019": Decimal("95000000000.00"),
    "02050000027": Decimal("-4123.45"),
    "02050000035": Decimal("10000.00"),
    "02050000043": Decimal("10000.00"),
}
INTEREST = [  # account, action, days, rate %, amount, balance after
    ("01010000029", "CI", 29, "2.0000", "24.63", "15524.63"),
    ("01010000037", "DI", 29, "19.9900", "7.15", "-457.15"),
    ("01010000053", "CI", 60, "3.1000", "769.48", "151769.48"),
    ("01020000016", "MF", 29, "0.0000", "5.00", "695.00"),
    ("01020000024", "DI", 29, "19.9900", "31.76", "-2031.75"),
    ("01020000040", "DI", 29, "18.0000", "14.09", "-999.09"),
    ("01020000040", "OF", 29, "18.0000", "25.00", "-1024.09"),
    ("02050000019", "SE", 29, "3.1000", "0.00", "95000000000.00"),
    ("02050000027", "DI", 29, "19.9900", "65.49", "-4188.94"),
    ("02050000035", "CI", 29, "0.5000", "3.97", "10003.97"),
    ("02050000043", "CI", 29, "2.0000", "15.89", "10015.89"),
]


@pytest.mark.cobc
def test_interest_amounts(chain: Chain) -> None:
    step = chain.steps["INTCALC"]
    assert step.returncode == 4  # one size error
    counts = _display_counts(step.stdout)
    assert counts["RATE TABLE ENTRIES"] == "8"
    assert counts["ACCOUNTS READ"] == "15"
    assert counts["ACCOUNTS UPDATED"] == "11"
    assert counts["ACCOUNTS SKIPPED"] == "3"  # closed, frozen, already processed
    assert counts["SIZE ERRORS"] == "1"
    assert counts["CREDIT INTEREST"] == "813.97"
    assert counts["DEBIT INTEREST"] == "118.49"
    assert counts["FEES CHARGED"] == "30.00"
    assert "SIZE ERROR, ACCOUNT NOT UPDATED: 02050000019" in step.stdout

    got = []
    for rec in _records(chain.out("intout.dat"), 80):
        text = rec.decode()
        got.append(
            (
                text[0:11],
                text[13:15],
                int(text[15:20]),
                str(Decimal(int(text[20:26])).scaleb(-4)),
                str(_zoned_lead(text[26:38], 2)),
                str(_zoned_lead(text[38:52], 2)),
            )
        )
    assert got == [(a, c, d, r, amt, bal) for a, c, d, r, amt, bal in INTEREST]

    # every interest amount is balance * rate * days / 36500, rounded half up
    for acct, action, days, rate, amount, _ in INTEREST:
        if action in ("CI", "DI"):
            base = abs(POSTED_BALANCE[acct])
            assert _money(base * Decimal(rate) * days / 36500) == Decimal(amount), acct
    # the size error is genuine: the interest does not fit PIC S9(7)V99
    whale = POSTED_BALANCE["02050000019"] * Decimal("3.1") * 29 / 36500
    assert whale > Decimal("9999999.99")


@pytest.mark.cobc
def test_extract_is_sorted_and_skips_closed_accounts(chain: Chain) -> None:
    step = chain.steps["ACCTSORT"]
    assert step.returncode == 0
    counts = _display_counts(step.stdout)
    assert counts["ACCOUNTS READ"] == "15"
    assert counts["CLOSED, NOT SELECTED"] == "1"
    assert counts["EXTRACT RECORDS"] == "14"
    rows = []
    for rec in _records(chain.out("acctext.dat"), 100):
        rows.append(
            {
                "branch": rec[0:4].decode(),
                "type": rec[4:6].decode(),
                "id": rec[6:17].decode(),
                "status": rec[51:52].decode(),
                "balance": _packed(rec[52:59], 2),
                "limit": _packed(rec[59:65], 2),
                "interest": _packed(rec[65:71], 2),
                "trans": _packed(rec[71:75], 0),
            }
        )
    keys = [(r["branch"], r["type"], r["id"]) for r in rows]
    assert keys == sorted(keys)
    assert "01020000032" not in {r["id"] for r in rows}  # the closed account
    by_id = {r["id"]: r for r in rows}
    assert by_id["01010000011"]["balance"] == Decimal("1987.50")
    assert by_id["01010000011"]["trans"] == 3
    assert by_id["01010000045"]["status"] == "F"
    assert by_id["01010000053"]["interest"] == Decimal("769.48")
    assert by_id["02050000051"]["balance"] == Decimal("5000.00")
    assert by_id["02050000019"]["balance"] == Decimal("95000000000.00")
    final = {acct: Decimal(balance) for acct, _, _, _, _, balance in INTEREST}
    for acct, balance in final.items():
        assert by_id[acct]["balance"] == balance, acct


@pytest.mark.cobc
def test_report_control_breaks_and_totals(chain: Chain) -> None:
    step = chain.steps["ACCTRPT"]
    assert step.returncode == 0
    report = chain.text("report.txt")
    assert report.count("\f") == 2  # 14 accounts, breaks and headers fill two pages
    assert "RUN DATE 2024-02-29" in report
    assert re.search(r"PAGE +2", report)
    lines = report.splitlines()
    details = [ln for ln in lines if re.match(r"^ \d{4}   [A-Z]{2}  \d{11}", ln)]
    assert len(details) == 14
    total_re = re.compile(r"^ {8}(.{4})(.{20})\s*(\d+) ACCOUNTS\s+([\d,.]+-?)\s+([\d,.]+-?)\s*$")
    totals = [
        (m.group(1).strip(), m.group(2).strip(), int(m.group(3)), m.group(4), m.group(5))
        for ln in lines
        if (m := total_re.match(ln))
    ]
    assert [t for t in totals if t[0] != "*"] == [
        ("**", "BRANCH 0101 TOTAL", 5, "169,124.46", "794.11"),
        ("**", "BRANCH 0102 TOTAL", 4, "2,360.84-", "0.00"),
        ("**", "BRANCH 0205 TOTAL", 5, "95,000,020,830.92", "19.86"),
        ("***", "GRAND TOTAL", 14, "95,000,187,594.54", "813.97"),
    ]
    type_totals = [t[1:] for t in totals if t[0] == "*"]
    assert [t[0] for t in type_totals] == [
        "TYPE CC TOTAL",
        "TYPE CK TOTAL",
        "TYPE SV TOTAL",
        "TYPE CC TOTAL",
        "TYPE CK TOTAL",
        "TYPE CC TOTAL",
        "TYPE CK TOTAL",
        "TYPE SV TOTAL",
    ]
    assert type_totals[2] == ("TYPE SV TOTAL", 2, "167,294.11", "794.11")
    assert type_totals[4] == ("TYPE CK TOTAL", 2, "329.09-", "0.00")

    # the grand total is the sum of the extract
    extract = _records(chain.out("acctext.dat"), 100)
    assert sum(_packed(r[52:59], 2) for r in extract) == Decimal("95000187594.54")


@pytest.mark.cobc
def test_customer_conversion(chain: Chain) -> None:
    step = chain.steps["CUSTCONV"]
    assert step.returncode == 4
    counts = _display_counts(step.stdout)
    assert counts["LINES READ"] == "11"
    assert counts["COMMENT LINES"] == "1"
    assert counts["CUSTOMERS WRITTEN"] == "5"
    assert counts["LINES REJECTED"] == "5"
    reasons = Counter(re.findall(r"REJECTED: (.+?)\s*$", step.stdout, flags=re.M))
    assert reasons == Counter(
        {
            "INVALID DATE OF BIRTH": 2,
            "CUSTOMER ID NOT NUMERIC": 1,
            "INVALID PHONE NUMBER": 1,
            "WRONG NUMBER OF FIELDS": 1,
        }
    )
    customers = {}
    for rec in _records(chain.out("custmast.dat"), 160):
        text = rec.decode()
        customers[text[0:9]] = {
            "full": text[44:84].rstrip(),
            "street": text[84:109].rstrip(),
            "city": text[109:124].rstrip(),
            "state": text[124:126],
            "phone": text[131:141],
            "dob": text[141:149],
            "status": text[149],
        }
    assert set(customers) == {"100000001", "100000002", "100000003", "100000004", "100000009"}
    assert customers["100000003"]["full"] == "O'BRIEN, MARY KATE"
    assert customers["100000004"]["full"] == "VAN DER BERG, PIETER"
    assert customers["100000002"]["street"] == "88 ELM AVENUE"
    assert customers["100000002"]["city"] == "COLUMBUS"
    assert customers["100000002"]["phone"] == "6145550199"
    assert customers["100000003"]["phone"] == "6175550100"
    assert customers["100000009"]["dob"] == "20000229"
    assert all(c["status"] == "A" for c in customers.values())


@pytest.mark.cobc
def test_date_utility_cases(chain: Chain) -> None:
    assert chain.steps["DATEDRVR"].returncode == 0
    results = {}
    for line in chain.text("dateout.txt").splitlines():
        func, d1, d2, days, rest = line[0], line[2:10], line[11:19], line[20:28], line[29:]
        flag, rc = rest[0], rest[2:4]
        results[(func, d1, d2 if func == "D" else "")] = (d2, int(days), flag.strip(), rc)
    assert results[("L", "20240229", "")][2:] == ("Y", "00")
    assert results[("L", "19000101", "")][2:] == ("N", "00")
    assert results[("L", "20000101", "")][2:] == ("Y", "00")
    assert results[("V", "20230229", "")][3] == "10"
    assert results[("V", "20241231", "")][3] == "00"
    assert results[("V", "15991231", "")][3] == "10"
    assert results[("V", "20241301", "")][3] == "10"
    assert results[("D", "20240131", "20240229")][1:] == (29, "", "00")
    assert results[("D", "20240229", "20231231")][1:] == (-60, "", "00")
    assert results[("D", "20240131", "20240230")][3] == "11"
    assert results[("A", "20240131", "")][:2] == ("20240229", 29)
    assert results[("A", "20240301", "")][:2] == ("20240229", -1)
    assert results[("W", "20240229", "")][1] == 4  # Thursday
    assert results[("W", "16010101", "")][1] == 1  # Monday
    assert results[("X", "20240229", "")][3] == "90"


# --------------------------------------------------------------------------------------------
# The expected-facts fixture agrees with the members (no cobc needed)
# --------------------------------------------------------------------------------------------


def _read_member(path: Path, encoding: str) -> list[str]:
    raw = path.read_bytes()
    if encoding == "cp037":
        return [raw[i : i + 80].decode("cp037").rstrip() for i in range(0, len(raw), 80)]
    return raw.decode("ascii").splitlines()


def test_fixture_programs_match_sources() -> None:
    for prog in EXPECTED["programs"]:
        lines = _read_member(SAMPLES / prog["path"], "ascii")
        ids = [m.group(1) for ln in lines if (m := re.search(r"PROGRAM-ID\.\s+(\w+)", ln[6:72]))]
        assert ids == [prog["program_id"]], prog["path"]


def test_fixture_copy_statements_are_where_it_says() -> None:
    members = {m["path"]: m for m in EXPECTED["members"]}
    for prog in EXPECTED["programs"]:
        for cb in prog["copybooks"]:
            including = prog["path"] if cb["depth"] == 1 else cb["included_from"]
            enc = members[including]["encoding"]
            line = _read_member(SAMPLES / including, enc)[cb["line"] - 1][6:72]
            assert re.search(rf"\b(COPY|INCLUDE)\s+{cb['name']}\b", line), (prog["path"], cb)
            if cb["path"] is not None:
                assert (SAMPLES / cb["path"]).is_file(), cb["path"]


def test_fixture_members_cover_the_dump() -> None:
    listed = {m["path"] for m in EXPECTED["members"]}
    on_disk = {str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("*") if p.is_file()}
    assert listed == on_disk


def test_ebcdic_member_is_fixed_80_without_line_ends() -> None:
    ebcdic = [m for m in EXPECTED["members"] if m["encoding"] == "cp037"]
    assert [m["path"] for m in ebcdic] == ["COPYLIB/CSCOMM"]
    raw = (SAMPLES / "COPYLIB/CSCOMM").read_bytes()
    assert len(raw) % 80 == 0 and b"\x0a" not in raw and b"\x15" not in raw
    text = [raw[i : i + 80].decode("cp037") for i in range(0, len(raw), 80)]
    assert any("01  CS-COMMAREA." in ln for ln in text)


def test_fixture_exec_lines_point_at_exec_statements() -> None:
    for prog in EXPECTED["programs"]:
        lines = _read_member(SAMPLES / prog["path"], "ascii")
        for stmt in prog.get("sql", {}).get("statements", []):
            assert "EXEC SQL" in lines[stmt["line"] - 1], (prog["path"], stmt)
        for cmd in prog.get("cics", {}).get("commands", []):
            text = lines[cmd["line"] - 1][6:72]
            assert re.search(rf"EXEC CICS {cmd['command'].split()[0]}\b", text), (prog["path"], cmd)
        for call in prog["calls"]:
            for line in call["lines"]:
                assert re.search(r"\bCALL\b", lines[line - 1][6:72]), (prog["path"], call)


def test_fixture_jobs_name_existing_programs_and_procs() -> None:
    procs = {p["name"]: p for p in EXPECTED["procs"]}
    utilities = {"IDCAMS", "SORT", "IEBGENER", "IKJEFT01"}
    for job in EXPECTED["jobs"]:
        text = (SAMPLES / job["path"]).read_text()
        assert re.match(rf"//{job['job']}\s+JOB\b", text)
        for step in job["steps"]:
            assert re.search(rf"^//{step['step']}\s+EXEC\s+", text, flags=re.M), step["step"]
            if step["proc"]:
                proc = procs[step["proc"]]
                assert [s["step"] for s in step["proc_steps"]] == [s["step"] for s in proc["steps"]]
                runs = [s.get("runs_program") or s["pgm"] for s in step["proc_steps"]]
            else:
                runs = [step["pgm"]]
            for pgm in runs:
                assert pgm in PROGRAMS or pgm in utilities, pgm
    library = (SAMPLES / "PROCLIB/CARDPROCS.txt").read_text()
    assert (
        re.findall(r"^\./ ADD NAME=(\w+)", library, flags=re.M)
        == EXPECTED["iebupdte"][0]["members"]
    )


def test_bms_continuations_and_symbolic_maps_agree() -> None:
    for mapset in EXPECTED["mapsets"]:
        lines = (SAMPLES / mapset["path"]).read_text().splitlines()
        for i, line in enumerate(lines):
            assert len(line) <= 80
            if len(line) >= 72 and line[71] != " " and not line.startswith("*"):
                nxt = lines[i + 1]
                assert nxt[:15].strip() == "" and nxt[15] != " ", (mapset["path"], i + 1)
        symbolic = (SAMPLES / mapset["symbolic_map"]).read_text()
        for bms_map in mapset["maps"]:
            block = symbolic[symbolic.index(f"01  {bms_map['name']}I.") :]
            block = block[: block.index(f"01  {bms_map['name']}O ")]
            assert re.findall(r"02  (\w+)L\s+COMP", block) == bms_map["named_fields"]
            for fld in bms_map["fields"]:
                if fld["name"]:
                    assert re.search(rf"02  {fld['name']}I\s+PIC X\({fld['length']}\)\.", block)


def test_text_members_fit_in_80_columns() -> None:
    for member in EXPECTED["members"]:
        if member["record_format"] == "lines" and member["kind"] not in ("data", "doc"):
            for line in (SAMPLES / member["path"]).read_text().splitlines():
                assert len(line) <= 80, member["path"]
