"""JCL reader: fixture jobs (tests/fixtures/jcl/*.jcl, expected facts in the .json beside each),
the sample dump's jobs and PROCs against tests/fixtures/samples_expected.json, store rows and
the module's documentation."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path
from typing import Any

import pytest

import cobolspec.analysis.jcl as jcl_module
from cobolspec.analysis.jcl import (
    ExecutedStep,
    JclDD,
    JclJob,
    ProcSource,
    parse_jcl,
    parse_jcl_stream,
    proc_library,
    read_proc,
    store_rows,
)
from cobolspec.source import MemberKind, discover

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "jcl"
SAMPLES = ROOT / "samples"
EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "samples_expected.json").read_text())
MIGRATION = ROOT / "cobolspec" / "store" / "migrations" / "0001_initial.sql"


def fixture_library() -> dict[str, ProcSource | str]:
    return {
        p.stem.upper(): ProcSource(p.read_text(), f"proclib/{p.name}")
        for p in sorted((FIXTURES / "proclib").glob("*.prc"))
    }


def dd_view(dd: JclDD) -> dict[str, Any]:
    view: dict[str, Any] = {
        "dd": dd.name,
        "dsn": dd.dsn,
        "disp": dd.disp,
        "sysout": dd.sysout,
        "path": dd.path,
        "instream": dd.instream,
        "dummy": dd.dummy,
        "temporary": dd.temporary,
        "origin": dd.origin,
        "file": dd.location.file,
        "line": dd.location.line,
        "keywords": dd.keywords,
        "data": dd.data,
        "overridden": dd.overridden.line if dd.overridden else None,
    }
    view["concatenation"] = [
        {"dsn": p.dsn, "disp": p.disp, "origin": p.origin, "line": p.location.line}
        for p in dd.concatenation
    ]
    return view


def step_view(ex: ExecutedStep) -> dict[str, Any]:
    step = ex.step
    parm = step.effective("PARM")
    return {
        "step": ex.qualified,
        "seq": ex.seq,
        "program": step.program,
        "proc": ex.proc,
        "proc_step": ex.proc_step,
        "cond": step.effective_cond,
        "parm": parm.strip("'") if parm else None,
        "region": step.effective("REGION"),
        "conditions": list(step.conditions),
        "file": step.location.file,
        "line": step.location.line,
        "symbols": ex.job_step.symbols,
        "dds": [dd_view(d) for d in step.dds],
        "runs_program": step.runs_program,
        "plan": step.plan,
        "db2_system": step.db2_system,
        "sort_control": step.sort_control,
        "idcams": [c.verb for c in step.idcams],
    }


def job_view(job: JclJob) -> dict[str, Any]:
    return {
        "job": job.name,
        "line": job.location.line,
        "job_keywords": job.keywords,
        "set": [list(s) for s in job.set],
        "symbols": job.symbols,
        "jcllib": job.jcllib,
        "instream_procs": job.instream_procs,
        "library_members": job.library_members,
        "job_dds": [dd_view(d) for d in job.dds],
        "steps": [step_view(ex) for ex in job.executed_steps()],
        "datasets": [
            {
                "dataset": d.name,
                "kind": d.kind,
                "line": d.location.line,
                "uses": [[u.step, u.dd, u.action] for u in d.uses],
            }
            for d in job.datasets()
        ],
        "diagnostics": [
            [d.code, d.location.file if d.location else None, d.location.line if d.location else 0]
            for d in job.diagnostics
        ],
    }


def matches(actual: Any, expected: Any, where: str = "") -> list[str]:
    """Differences between ``actual`` and ``expected``; dicts compare only the expected keys,
    lists compare in full (same length, item by item)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(matches(actual[key], value, f"{where}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        return [p for j, e in enumerate(expected) for p in matches(actual[j], e, f"{where}[{j}]")]
    return [] if actual == expected else [f"{where}: expected {expected!r}, got {actual!r}"]


CASES = sorted(FIXTURES.glob("*.jcl"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_job(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text())
    job = parse_jcl(path.read_text(), path.name, fixture_library())
    problems = matches(job_view(job), expected["job"], path.stem)
    assert not problems, f"{expected['title']}:\n" + "\n".join(problems)


def test_every_fixture_has_expectations_and_a_title() -> None:
    assert len(CASES) >= 9
    for path in CASES:
        expected = json.loads(path.with_suffix(".json").read_text())
        assert expected["title"] and expected["job"]["steps"], path.name
        assert "diagnostics" in expected["job"], path.name


def test_matches_reports_differences() -> None:
    assert matches({"a": 1, "b": [1, 2]}, {"a": 1}) == []
    assert matches({"a": 1, "b": [1, 2]}, {"b": [1]}) != []
    assert matches({"a": {"x": 1, "y": 2}}, {"a": {"x": 2}}) != []


# --------------------------------------------------------------------------- the sample dump


@pytest.fixture(scope="module")
def inventory():  # type: ignore[no-untyped-def]
    return discover(SAMPLES)


def sample_job_view(job: JclJob) -> dict[str, Any]:
    """The sample job in the shape of samples_expected.json (job step → PROC steps)."""

    def dd(d: JclDD) -> dict[str, Any]:
        view = {k: v for k, v in dd_view(d).items() if k in SAMPLE_DD_KEYS}
        view["ddname"] = view.pop("dd")
        if d.concatenation:
            view["concatenation"] = [{"dsn": p.dsn, "disp": p.disp} for p in d.concatenation]
        return view

    def steps(step: Any, top: bool) -> dict[str, Any]:
        view: dict[str, Any] = {"step": step.name, "pgm": step.program}
        if top:
            view["proc"] = step.proc
            view["cond"] = step.cond
        elif step.cond:
            view["cond"] = step.cond
        if step.proc:
            view["proc_symbols"] = step.symbols
            view["proc_steps"] = [steps(c, False) for c in step.steps]
            return view
        for key in ("runs_program", "plan", "db2_system", "sort_control"):
            if getattr(step, key):
                view[key] = getattr(step, key)
        view["dds"] = [dd(d) for d in step.dds]
        if step.idcams:
            view["idcams"] = idcams_view(step)
        return view

    return {
        "job": job.name,
        "set": [list(s) for s in job.set],
        "symbols": job.symbols,
        "jcllib": job.jcllib,
        "steps": [steps(s, True) for s in job.steps],
    }


SAMPLE_DD_KEYS = ("dd", "dsn", "disp", "sysout", "path", "instream", "dummy", "temporary", "origin")


def idcams_view(step: Any) -> dict[str, Any]:
    view: dict[str, Any] = {}
    for cmd in step.idcams:
        if cmd.verb == "DELETE":
            view.setdefault("delete", []).append(cmd.operands[0].word)
        elif cmd.verb == "DEFINE" and cmd.operands[0].word == "CLUSTER":
            cluster = cmd.operands[0]
            name = cluster.find("NAME")
            keys = cluster.find("KEYS")
            size = cluster.find("RECORDSIZE")
            data = cmd.find("DATA")
            index = cmd.find("INDEX")
            assert name and keys and size and data and index
            data_name, index_name = data.find("NAME"), index.find("NAME")
            assert data_name and index_name
            view["define_cluster"] = {
                "name": name.values[0],
                "keys": [int(v) for v in keys.values],
                "recordsize": [int(v) for v in size.values],
                "data": data_name.values[0],
                "index": index_name.values[0],
            }
        elif cmd.verb == "REPRO":
            infile, outfile = cmd.find("INFILE"), cmd.find("OUTFILE")
            assert infile and outfile
            view["repro"] = {"infile": infile.values[0], "outfile": outfile.values[0]}
    return view


@pytest.mark.parametrize("expected", EXPECTED["jobs"], ids=[j["job"] for j in EXPECTED["jobs"]])
def test_sample_jobs(inventory: Any, expected: dict[str, Any]) -> None:
    member = next(m for m in inventory.members if m.path == expected["path"])
    assert member.kind is MemberKind.JCL
    library = proc_library(inventory.by_kind(MemberKind.PROC))
    job = parse_jcl(member.text, member.file, library, first_line=member.first_line)
    want = {k: expected[k] for k in ("job", "set", "symbols", "jcllib", "steps")}
    assert sample_job_view(job) == want
    assert job.diagnostics == []


def test_sample_locations_point_at_the_statements(inventory: Any) -> None:
    """Every step and DD location is the physical line of its EXEC / DD statement."""
    library = proc_library(inventory.by_kind(MemberKind.PROC))
    texts = {
        p.relative_to(SAMPLES).as_posix(): p.read_text().splitlines()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.suffix in (".jcl", ".prc", ".txt")
    }
    checked = 0
    for member in inventory.by_kind(MemberKind.JCL):
        job = parse_jcl(member.text, member.file, library)
        for ex in job.executed_steps():
            line = texts[ex.step.location.file][ex.step.location.line - 1]
            assert re.match(rf"//{ex.step.name}\s+EXEC\s", line), line
            for dd in ex.step.dds:
                for part in dd.parts():
                    line = texts[part.location.file][part.location.line - 1]
                    qual = rf"(\w+\.)?{part.name}" if part is dd else ""
                    assert re.match(rf"//{qual}\s+DD\s", line), (part.name, line)
                    checked += 1
    assert checked == 58  # every DD of the four sample jobs


def test_sample_procs(inventory: Any) -> None:
    library = proc_library(inventory.by_kind(MemberKind.PROC))
    for expected in EXPECTED["procs"]:
        source = library[expected["name"]]
        assert source.file == expected["path"]
        proc = read_proc(source, expected["name"])
        got = {
            "name": proc.name,
            "defaults": proc.defaults,
            "symbols_used": proc.symbols_used,
            "steps": [{"step": s.name, "pgm": s.program, "dds": s.dds} for s in proc.steps],
        }
        assert got == {k: expected[k] for k in got}
        assert proc.diagnostics == []


def test_sample_iebupdte_members_expand_with_their_own_lines(inventory: Any) -> None:
    for expected in EXPECTED["iebupdte"]:
        members = sorted(
            (m for m in inventory.by_kind(MemberKind.PROC) if m.file == expected["path"]),
            key=lambda m: m.first_line,
        )
        assert [m.name for m in members] == expected["members"]
        lines = (SAMPLES / expected["path"]).read_text().splitlines()
        for m in members:
            proc = read_proc(ProcSource(m.text, m.file, m.first_line), m.name)
            assert lines[proc.location.line - 1].startswith(f"//{m.name} ")
            assert lines[proc.location.line - 2] == f"./ ADD NAME={m.name},LIST=ALL"


def test_sample_store_rows(inventory: Any) -> None:
    library = proc_library(inventory.by_kind(MemberKind.PROC))
    member = next(m for m in inventory.members if m.path == "JCL/CARDRPT.jcl")
    rows = store_rows(parse_jcl(member.text, member.file, library))
    assert rows["jcl_jobs"] == [{"job": "CARDRPT", "file": "JCL/CARDRPT.jcl", "line": 1}]
    steps = [
        (r["step"], r["seq"], r["proc"], r["proc_step"], r["program"]) for r in rows["jcl_steps"]
    ]
    assert steps == [
        ("BALRPT", 1, "RPTPRC", "EXTRACT", "ACCTSORT"),
        ("BALRPT", 2, "RPTPRC", "REPORT", "ACCTRPT"),
        ("PRTINT", 3, None, None, "IEBGENER"),
    ]
    acctext = [
        (r["step"], r["dataset"], r["disp"], r["file"], r["line"])
        for r in rows["jcl_dds"]
        if r["dd"] == "ACCTEXT"
    ]
    assert acctext == [
        ("BALRPT.EXTRACT", "&&ACCTEXT", "(NEW,PASS)", "PROCLIB/CARDPROCS.txt", 62),
        ("BALRPT.REPORT", "&&ACCTEXT", "(OLD,DELETE)", "PROCLIB/CARDPROCS.txt", 68),
    ]
    kinds = {r["dataset"]: r["kind"] for r in rows["datasets"]}
    assert kinds == {
        "CARDSYS.PROD.LOADLIB": None,
        "CARDSYS.PROD.ACCT.MASTER": None,
        "&&ACCTEXT": "temporary",
        "CARDSYS.PROD.CONTROL": "pds",
        "CARDSYS.PROD.INTEREST.DETAIL": "gdg",
    }


def _columns(table: str) -> set[str]:
    sql = MIGRATION.read_text()
    body = sql[sql.index(f"CREATE TABLE {table} (") :]
    body = body[: body.index(");")]
    return {m.strip('"') for m in re.findall(r"^\s+(\"?\w+\"?) ", body, flags=re.M)}


def test_store_rows_have_exactly_the_table_columns(inventory: Any) -> None:
    library = proc_library(inventory.by_kind(MemberKind.PROC))
    for member in inventory.by_kind(MemberKind.JCL):
        rows = store_rows(parse_jcl(member.text, member.file, library))
        assert set(rows) == {"jcl_jobs", "jcl_steps", "jcl_dds", "datasets"}
        for table, table_rows in rows.items():
            assert table_rows, table
            for row in table_rows:
                assert set(row) == _columns(table) - {"run_id", "member"}, table


# --------------------------------------------------------------------------- API details


def test_stream_with_two_jobs_and_parse_jcl_says_so() -> None:
    text = "//A JOB 1\n//S1 EXEC PGM=ONE\n//\n//B JOB 2\n//S1 EXEC PGM=TWO\n"
    jobs = parse_jcl_stream(text, "two.jcl")
    assert [(j.name, [s.program for s in j.steps]) for j in jobs] == [
        ("A", ["ONE"]),
        ("B", ["TWO"]),
    ]
    job = parse_jcl(text, "two.jcl")
    assert job.name == "A"
    assert [(d.code, d.location.line if d.location else 0) for d in job.diagnostics] == [
        ("JCL012", 4)
    ]


def test_member_without_job_statement_is_named_after_the_file() -> None:
    job = parse_jcl("//S1 EXEC PGM=ALONE\n", "jobs/nojob.jcl")
    assert job.name == "NOJOB"
    assert [s.program for s in job.steps] == ["ALONE"]
    assert [d.code for d in job.diagnostics] == ["JCL012"]


def test_proc_given_as_plain_text_and_iebupdte_offset() -> None:
    job = parse_jcl(
        "//J JOB 1\n//S EXEC MYPROC,OUT=X.Y\n",
        "j.jcl",
        {"MYPROC": "//MYPROC PROC OUT=A.B\n//P1 EXEC PGM=P\n//O DD DSN=&OUT,DISP=SHR\n"},
    )
    [ex] = job.executed_steps()
    assert (ex.step.program, ex.step.dds[0].dsn, ex.step.location.file) == ("P", "X.Y", "MYPROC")
    shifted = parse_jcl("//J JOB 1\n//S EXEC PGM=P\n", "lib.txt", first_line=41)
    assert (shifted.location.line, shifted.steps[0].location.line) == (41, 42)


def test_garbage_never_raises() -> None:
    samples = [
        "",
        "//",
        "//*",
        "/*",
        "// EXEC",
        "//X DD DSN='UNCLOSED",
        "//S EXEC PGM=A,PARM=(('x'\n//Y DD ((((",
        "//S EXEC PROC=\n//A.B.C.D DD *\n",
        "random text\nmore",
        "//J JOB\n// IF\n// ELSE\n// ELSE\n// ENDIF\n// ENDIF\n",
        "//J JOB\n//S EXEC P\n//S.D DD DSN=*.\n",
    ]
    for text in samples:
        for job in parse_jcl_stream(text, "g.jcl", {"P": "//P PROC\n//S EXEC PGM=&&X\n"}):
            store_rows(job)
            job.datasets()


# --------------------------------------------------------------------------- documentation


def test_docstring_examples_run() -> None:
    result = doctest.testmod(jcl_module)
    assert result.failed == 0 and result.attempted > 5


def test_every_code_is_documented_once() -> None:
    codes = {
        v for k, v in vars(jcl_module).items() if k.isupper() and re.fullmatch(r"JCL\d{3}", str(v))
    }
    documented = re.findall(r"^(JCL\d{3})\s", jcl_module.__doc__ or "", re.M)
    assert sorted(documented) == sorted(codes)
    assert len(documented) == len(set(documented))
