"""The pipeline over a small dump made here: stages, store, incremental runs, jobs, failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cobolspec.errors import ConfigError
from cobolspec.pipeline import (
    INTERNAL_ERROR,
    STAGES,
    MemberWork,
    Progress,
    RunResult,
    Stage,
    analyze,
)
from cobolspec.source import MemberKind
from cobolspec.store import Store

PAYROLL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PAYROLL.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
           COPY CUSTREC.
           COPY NOSUCH.
       PROCEDURE DIVISION.
           DISPLAY CUST-NAME.
           STOP RUN.
"""

HELLO = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. HELLO.
       PROCEDURE DIVISION.
           DISPLAY 'HELLO'.
           STOP RUN.
"""

CUSTREC = """\
       01  CUST-REC.
           05  CUST-NAME        PIC X(30).
"""

JOB = """\
//PAYJOB   JOB (ACCT),'PAYROLL',CLASS=A
//STEP1    EXEC PGM=PAYROLL
//SYSOUT   DD SYSOUT=*
"""


def make_dump(root: Path) -> Path:
    (root / "cbl").mkdir(parents=True)
    (root / "copy").mkdir()
    (root / "jcl").mkdir()
    (root / "bin").mkdir()
    (root / "cbl" / "PAYROLL.cbl").write_text(PAYROLL)
    (root / "cbl" / "HELLO.cbl").write_text(HELLO)
    (root / "copy" / "CUSTREC.cpy").write_text(CUSTREC)
    (root / "jcl" / "PAYJOB.jcl").write_text(JOB)
    (root / "bin" / "LOADMOD").write_bytes(bytes(range(256)) * 8)
    return root


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    return make_dump(tmp_path / "dump")


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted; ``runs`` left out (it grows by one row per run)."""
    with Store.open(db, read_only=True) as store:
        out = {}
        for table in store.tables():
            if table in ("runs", "schema_migrations"):
                continue
            rows = store.con.execute(f'SELECT * FROM "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
        return out


def run(dump: Path, tmp: Path, name: str = "a", **kw: object) -> RunResult:
    return analyze(
        [dump],
        db=tmp / name / "cs.duckdb",
        out=tmp / name / "specs",
        **kw,  # type: ignore[arg-type]
    )


def test_a_run_stores_members_copybooks_and_located_diagnostics(dump: Path, tmp_path: Path) -> None:
    result = run(dump, tmp_path)
    assert result.members_by_kind == {"copybook": 1, "jcl": 1, "program": 2}
    assert (result.analysed, result.unchanged, result.removed) == (4, 0, 0)
    assert result.exit_code == 1  # the missing copybook stopped part of the work
    with Store.open(result.db, read_only=True) as store:
        members = {r["path"]: r for r in store.rows("members")}
        assert sorted(members) == [
            "cbl/HELLO.cbl",
            "cbl/PAYROLL.cbl",
            "copy/CUSTREC.cpy",
            "jcl/PAYJOB.jcl",
        ]
        assert members["cbl/PAYROLL.cbl"]["status"] == "analysed"
        assert members["jcl/PAYJOB.jcl"]["status"] == "analysed"  # the JCL stage read it
        assert members["copy/CUSTREC.cpy"]["status"] == "stored"  # no stage of its own
        assert members["cbl/PAYROLL.cbl"]["lines"] == 9
        uses = store.rows("copybook_uses", order_by=["line"])
        assert [(u["member"], u["name"], u["resolved"], u["missing"]) for u in uses] == [
            ("cbl/PAYROLL.cbl", "CUSTREC", "copy/CUSTREC.cpy", False),
            ("cbl/PAYROLL.cbl", "NOSUCH", None, True),
        ]
        assert (uses[0]["file"], uses[0]["line"], uses[0]["column"]) == ("cbl/PAYROLL.cbl", 5, 12)
        runs = store.rows("runs")
        assert [(r["run_id"], r["members_total"], r["errors"]) for r in runs] == [(1, 4, 1)]
    rendered = [d.diagnostic.render().splitlines()[0] for d in result.diagnostics]
    missing = [line for line in rendered if "NOSUCH" in line]
    assert len(missing) == 1
    assert missing[0].startswith("cbl/PAYROLL.cbl:6:12: error: ")
    binary = [d for d in result.diagnostics if d.diagnostic.location
              and d.diagnostic.location.file == "bin/LOADMOD"]  # fmt: skip
    assert binary and binary[0].stage == "discover"
    page = (tmp_path / "a" / "specs" / "index.md").read_text()
    assert "| NOSUCH |  | **missing** | 1 | COPY | `cbl/PAYROLL.cbl:6:12` |" in page
    assert "`bin/LOADMOD:" in page
    assert (tmp_path / "a" / "specs" / "inventory.json").exists()


def test_rerunning_on_an_unchanged_dump_changes_nothing(dump: Path, tmp_path: Path) -> None:
    first = run(dump, tmp_path)
    before = snapshot(Path(first.db))
    page = (tmp_path / "a" / "specs" / "index.md").read_bytes()
    second = run(dump, tmp_path)
    assert (second.analysed, second.unchanged, second.removed) == (0, 4, 0)
    assert second.run_id == 2
    assert snapshot(Path(second.db)) == before
    assert (tmp_path / "a" / "specs" / "index.md").read_bytes() == page
    assert second.exit_code == first.exit_code == 1


def test_a_changed_copybook_reanalyses_the_programs_that_use_it(dump: Path, tmp_path: Path) -> None:
    run(dump, tmp_path)
    (dump / "copy" / "CUSTREC.cpy").write_text(CUSTREC + "           05  CUST-ID   PIC 9(6).\n")
    result = run(dump, tmp_path)
    # The copybook member itself and PAYROLL, which copies it; HELLO and the job are kept.
    assert (result.analysed, result.unchanged) == (2, 2)
    with Store.open(result.db, read_only=True) as store:
        by_run = {r["path"]: r["run_id"] for r in store.rows("members")}
        assert by_run == {
            "cbl/HELLO.cbl": 1,
            "cbl/PAYROLL.cbl": 2,
            "copy/CUSTREC.cpy": 2,
            "jcl/PAYJOB.jcl": 1,
        }
        assert store.count("copybook_uses") == 2


def test_a_changed_member_replaces_its_rows_and_a_removed_one_goes(
    dump: Path, tmp_path: Path
) -> None:
    run(dump, tmp_path)
    (dump / "cbl" / "PAYROLL.cbl").write_text(PAYROLL.replace("           COPY NOSUCH.\n", ""))
    (dump / "cbl" / "HELLO.cbl").unlink()
    result = run(dump, tmp_path)
    assert (result.analysed, result.unchanged, result.removed) == (1, 2, 1)
    assert result.exit_code == 0
    with Store.open(result.db, read_only=True) as store:
        assert sorted(r["path"] for r in store.rows("members")) == [
            "cbl/PAYROLL.cbl",
            "copy/CUSTREC.cpy",
            "jcl/PAYJOB.jcl",
        ]
        assert [u["name"] for u in store.rows("copybook_uses")] == ["CUSTREC"]
        assert all(d["member"] != "cbl/HELLO.cbl" for d in store.rows("diagnostics"))
        assert store.rows("runs", order_by=["run_id"])[-1]["members_removed"] == 1


def test_one_or_two_processes_give_identical_stores_and_pages(dump: Path, tmp_path: Path) -> None:
    one = run(dump, tmp_path, "one", jobs=1)
    two = run(dump, tmp_path, "two", jobs=2)
    assert snapshot(Path(one.db)) == snapshot(Path(two.db))
    for name in ("index.md", "inventory.json"):
        assert (tmp_path / "one" / "specs" / name).read_bytes() == (
            tmp_path / "two" / "specs" / name
        ).read_bytes()


def explode(work: MemberWork) -> None:
    if work.member.name == "HELLO":
        raise ZeroDivisionError("boom")
    work.add_rows("glossary", [{"term": work.member.name, "meaning": "seen", "source": "name"}])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stage_that_crashes_on_one_member_does_not_stop_the_run(
    dump: Path, tmp_path: Path, jobs: int
) -> None:
    stages = (*STAGES, Stage("explode", frozenset({MemberKind.PROGRAM}), explode))
    result = run(dump, tmp_path, stages=stages, jobs=jobs)
    assert result.exit_code == 3
    crashes = [d for d in result.diagnostics if d.diagnostic.code == INTERNAL_ERROR]
    assert [(d.member, d.stage) for d in crashes] == [("cbl/HELLO.cbl", "explode")]
    assert "ZeroDivisionError: boom" in crashes[0].diagnostic.message
    assert crashes[0].diagnostic.render().startswith("cbl/HELLO.cbl:1:1: error: internal error")
    assert any("ZeroDivisionError" in t for t in result.tracebacks)
    with Store.open(result.db, read_only=True) as store:
        status = {r["path"]: r["status"] for r in store.rows("members")}
        assert status["cbl/HELLO.cbl"] == "failed"
        assert status["cbl/PAYROLL.cbl"] == "analysed"
        seen = [r["member"] for r in store.rows("glossary") if r["meaning"] == "seen"]
        assert seen == ["cbl/PAYROLL.cbl"]


def die(work: MemberWork) -> None:
    if work.member.name == "HELLO":
        os._exit(7)


def test_a_worker_process_that_dies_is_reported_not_fatal(dump: Path, tmp_path: Path) -> None:
    stages = (*STAGES, Stage("die", frozenset({MemberKind.PROGRAM}), die))
    result = run(dump, tmp_path, stages=stages, jobs=2)
    assert result.exit_code == 3
    crashed = {d.member for d in result.diagnostics if d.diagnostic.code == INTERNAL_ERROR}
    assert "cbl/HELLO.cbl" in crashed
    with Store.open(result.db, read_only=True) as store:
        assert store.count("members") == 4


def test_progress_is_reported_for_every_member(dump: Path, tmp_path: Path) -> None:
    seen: list[Progress] = []
    run(dump, tmp_path, progress_callback=seen.append)
    phases = [p.phase for p in seen]
    assert phases[0] == "discover" and phases[-1] == "render"
    analysing = [p for p in seen if p.phase == "analyse" and p.item]
    assert [p.done for p in analysing] == [1, 2, 3, 4]
    assert {p.total for p in analysing} == {4}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"executor": "dask"}, "dask executor is not available yet"),
        ({"dask_address": "tcp://x:8786"}, "--dask ADDRESS needs --executor dask"),
        ({"agent": "openai"}, "'openai' agent backend is not available yet"),
        ({"agent": "gpt"}, "unknown agent backend 'gpt'"),
        ({"model": "llama3"}, "--model names a model"),
        ({"jobs": 0}, "--jobs must be at least 1"),
        ({"format": "wide"}, "unknown source format 'wide'"),
    ],
)
def test_options_this_version_cannot_honour_are_refused(
    dump: Path, tmp_path: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        run(dump, tmp_path, **options)
    assert not (tmp_path / "a").exists()


def test_copybooks_the_environment_supplies_are_not_missing(tmp_path: Path) -> None:
    root = tmp_path / "sqldump"
    root.mkdir()
    (root / "DBPGM.cbl").write_text(
        HELLO.replace("PROGRAM-ID. HELLO.", "PROGRAM-ID. DBPGM.").replace(
            "       PROCEDURE DIVISION.\n",
            "       DATA DIVISION.\n       WORKING-STORAGE SECTION.\n"
            "           EXEC SQL INCLUDE SQLCA END-EXEC.\n"
            "           COPY DFHAID.\n       PROCEDURE DIVISION.\n",
        )
    )
    result = run(root, tmp_path)
    assert result.exit_code == 0
    with Store.open(result.db, read_only=True) as store:
        uses = store.rows("copybook_uses")
        assert [(u["name"], u["via"], u["resolved"], u["missing"]) for u in uses] == [
            ("SQLCA", "SQL INCLUDE", None, False),
            ("DFHAID", "COPY", None, False),
        ]
    page = (tmp_path / "a" / "specs" / "index.md").read_text()
    assert "| SQLCA | (system-supplied) | `DBPGM.cbl` |" in page
    assert "**missing**" not in page


def unpicklable(work: MemberWork) -> None:
    if work.member.name == "PAYROLL":
        work.rows.setdefault("glossary", []).append({"term": lambda: None})


def test_results_a_worker_cannot_send_back_are_an_internal_error(
    dump: Path, tmp_path: Path
) -> None:
    stages = (*STAGES, Stage("odd", frozenset({MemberKind.PROGRAM}), unpicklable))
    result = run(dump, tmp_path, stages=stages, jobs=2)
    assert result.exit_code == 3
    crashes = [d for d in result.diagnostics if d.diagnostic.code == INTERNAL_ERROR]
    assert [d.member for d in crashes] == ["cbl/PAYROLL.cbl"]
    assert "could not be returned" in crashes[0].diagnostic.message
    with Store.open(result.db, read_only=True) as store:
        assert {r["path"]: r["status"] for r in store.rows("members")}["cbl/HELLO.cbl"] == (
            "analysed"
        )
