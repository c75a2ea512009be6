"""The command line: exit codes, stdout for data and stderr for messages, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cobolspec.cli import app
from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.store import MemberLoader, Store, diagnostic_row

runner = CliRunner()


def make_db(path: Path) -> Path:
    """A store holding two members, one copybook use and one located error."""
    with Store.open(path) as store, store.transaction():
        loader = MemberLoader(store, run_id=1)
        loader.replace(
            {
                "path": "CUST.cpy",
                "hash": "h2",
                "file": "CUST.cpy",
                "first_line": 1,
                "name": "CUST",
                "kind": "copybook",
                "encoding": "utf-8",
                "lines": 12,
                "line_ending": "LF",
                "format": "fixed",
                "status": "stored",
                "analysis_key": "k2",
            },
            {},
        )
        missing = Diagnostic(
            "SRC003",
            Severity.ERROR,
            "copybook GONE not found",
            Location("PAY.cbl", 9, 12),
            hint="pass -I DIR",
        )
        loader.replace(
            {
                "path": "PAY.cbl",
                "hash": "h",
                "file": "PAY.cbl",
                "first_line": 1,
                "name": "PAY",
                "kind": "program",
                "encoding": "utf-8",
                "lines": 12,
                "line_ending": "LF",
                "format": "fixed",
                "status": "analysed",
                "analysis_key": "k",
            },
            {
                "copybook_uses": [
                    {
                        "name": "GONE",
                        "missing": True,
                        "replacing": False,
                        "depth": 1,
                        "via": "COPY",
                        "file": "PAY.cbl",
                        "line": 9,
                        "column": 12,
                    }
                ],
                "diagnostics": [diagnostic_row(missing, "preprocess")],
            },
        )
        loader.flush()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "cs.duckdb")


def test_query_prints_rows_as_csv_json_and_table(db: Path) -> None:
    sql = "SELECT path, kind, lines FROM members ORDER BY path"
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["path", "kind", "lines"],
        ["CUST.cpy", "copybook", "12"],
        ["PAY.cbl", "program", "12"],
    ]
    assert result.stderr.strip() == "(2 rows)"

    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"path": "CUST.cpy", "kind": "copybook", "lines": 12},
        {"path": "PAY.cbl", "kind": "program", "lines": 12},
    ]

    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any("path" in line and "kind" in line for line in lines[:3])
    assert any("PAY.cbl" in line and "program" in line for line in lines)


def test_query_values_are_printed_verbatim(db: Path) -> None:
    sql = "SELECT message, hint, NULL AS nothing, true AS yes FROM diagnostics"
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "csv"])
    assert result.stdout.splitlines()[1] == "copybook GONE not found,pass -I DIR,,true"
    # Square brackets are data, not rich markup.
    result = runner.invoke(app, ["query", "SELECT '[bold]x[/bold]' AS t", "--db", str(db)])
    assert "[bold]x[/bold]" in result.stdout
    result = runner.invoke(
        app, ["query", "SELECT started_at FROM runs", "--db", str(db), "--format", "json"]
    )
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("DELETE FROM members", "DELETE"),
        ("INSERT INTO members SELECT * FROM members", "INSERT"),
        ("DROP TABLE diagnostics", "DROP"),
        ("UPDATE members SET lines = 0", "UPDATE"),
        ("COPY members TO 'x.csv'", "COPY"),
        ("ATTACH 'x.duckdb' AS x", "ATTACH"),
    ],
)
def test_query_refuses_writes_with_one_clear_line(db: Path, sql: str, kind: str) -> None:
    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: the database is opened read-only; {kind} is not allowed\n"
    check = runner.invoke(
        app, ["query", "SELECT count(*) AS n FROM members", "--db", str(db), "--format", "csv"]
    )
    assert check.stdout == "n\n2\n"


def test_query_errors_are_one_line_with_exit_1(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT * FROM nowhere", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Catalog Error: Table with name nowhere")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr

    result = runner.invoke(app, ["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no database at" in result.stderr and "run `cobolspec analyze` first" in result.stderr


def test_usage_errors_exit_2_with_one_error_line(db: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT 1", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--format'")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""

    result = runner.invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No such command 'frobnicate'")

    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "analyze" in result.stderr and "query" in result.stderr
    assert result.stderr.endswith("Error: name a command\n")

    result = runner.invoke(app, ["analyze", "/no/such/dump"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for 'dump': path '/no/such/dump' does not exist. "
        "(see: cobolspec analyze --help)\n"
    )


def test_help_and_version_go_to_stdout() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "analyze" in result.stdout and "render" in result.stdout
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("cobolspec ")


def test_render_writes_the_pages_from_the_store_alone(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "specs"
    result = runner.invoke(app, ["render", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"Spec index: {out / 'index.md'}\n"
    page = (out / "index.md").read_text()
    assert "| `PAY.cbl:9:12` | error | `SRC003` | copybook GONE not found — pass -I DIR |" in page
    assert "| GONE |  | **missing** | 1 | COPY | `PAY.cbl:9:12` |" in page
    data = json.loads((out / "inventory.json").read_text())
    assert data["members_by_kind"] == {"program": 1, "copybook": 1}
    first = page
    runner.invoke(app, ["render", "--db", str(db), "--out", str(out)])
    assert (out / "index.md").read_text() == first


def test_internal_errors_exit_3_and_show_a_traceback_only_with_debug(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cobolspec.render

    def broken(*args: object, **kwargs: object) -> list[Path]:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(cobolspec.render, "render_inventory", broken)
    args = ["render", "--db", str(db), "--out", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: internal error: RuntimeError: template exploded "
        "(run with --debug for the traceback)\n"
    )
    result = runner.invoke(app, ["--debug", *args])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.endswith("Error: internal error: RuntimeError: template exploded\n")


# -- analyze --------------------------------------------------------------------------------------


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    from tests.test_pipeline import make_dump

    return make_dump(tmp_path / "dump")


def test_analyze_prints_located_errors_and_where_the_results_are(
    dump: Path, tmp_path: Path
) -> None:
    db, out = tmp_path / "o" / "cs.duckdb", tmp_path / "o" / "specs"
    result = runner.invoke(app, ["analyze", str(dump), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert "cbl/PAYROLL.cbl:6:12: error: copybook NOSUCH not found [SRC003]" in err
    assert err[
        err.index("cbl/PAYROLL.cbl:6:12: error: copybook NOSUCH not found [SRC003]") + 2
    ] == ("               ^")
    assert any(line.startswith("bin/LOADMOD:1:1: warning: ") for line in err)
    assert err[-4:] == [
        "Members: 4 (2 program, 1 copybook, 1 jcl); 4 analysed, 0 unchanged, 0 removed",
        "Diagnostics: 1 error, 1 warning, 0 info",
        f"Database: {db}",
        f"Spec index: {out / 'index.md'}",
    ]
    assert (out / "index.md").exists()

    again = runner.invoke(app, ["analyze", str(dump), "--db", str(db), "--out", str(out)])
    assert again.exit_code == 1
    assert "0 analysed, 4 unchanged, 0 removed" in again.stderr


def test_analyze_exits_0_when_there_are_only_warnings(dump: Path, tmp_path: Path) -> None:
    payroll = dump / "cbl" / "PAYROLL.cbl"
    payroll.write_text(payroll.read_text().replace("           COPY NOSUCH.\n", ""))
    result = runner.invoke(app, ["analyze", str(dump), "--db", str(tmp_path / "cs.duckdb"),
                                 "--out", str(tmp_path / "specs"), "--jobs", "2"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Diagnostics: 0 errors, 1 warning, 0 info" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agent", "openai"], "the 'openai' agent backend is not available yet; use --agent"),
        (["--executor", "dask"], "the dask executor is not available yet; use --executor local"),
        (["--dask", "tcp://h:8786"], "--dask ADDRESS needs --executor dask"),
        (["--model", "llama3"], "--model names a model of the local/openai/anthropic agents"),
    ],
)  # fmt: skip
def test_analyze_refuses_options_not_available_yet(
    dump: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "cs.duckdb"
    result = runner.invoke(app, ["analyze", str(dump), "--db", str(db), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert result.stderr.count("\n") == 1
    assert not db.exists()


def test_analyze_reports_a_crash_on_a_member_with_exit_3(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cobolspec.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("no such thing")

    monkeypatch.setattr(cobolspec.pipeline, "preprocess", broken)
    args = ["analyze", str(dump), "--db", str(tmp_path / "cs.duckdb"), "--jobs", "1"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "specs")])
    assert result.exit_code == 3
    assert (
        "cbl/HELLO.cbl:1:1: error: internal error in stage preprocess: KeyError: "
        "'no such thing' [RUN001]" in result.stderr.splitlines()
    )
    assert "Traceback" not in result.stderr
    assert "Spec index:" in result.stderr  # the run went on to the end
    debug = runner.invoke(app, ["--debug", *args, "--out", str(tmp_path / "specs2")])
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr


# -- the installed console script -----------------------------------------------------------------


def test_the_console_script_end_to_end(dump: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "cobolspec"
    if not script.exists():
        pytest.skip("cobolspec console script not installed next to this Python")
    db = tmp_path / "cs.duckdb"

    def cobolspec(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
        )

    done = cobolspec("analyze", str(dump), "--db", str(db), "--out", "specs", "--jobs", "2")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert "cbl/PAYROLL.cbl:6:12: error: copybook NOSUCH not found [SRC003]" in done.stderr
    assert done.stderr.endswith("Spec index: specs/index.md\n")
    assert (tmp_path / "specs" / "index.md").exists()

    sql = "SELECT name, missing FROM copybook_uses ORDER BY name"
    rows = cobolspec("query", sql, "--db", str(db), "--format", "json")
    assert rows.returncode == 0, rows.stderr
    assert json.loads(rows.stdout) == [
        {"name": "CUSTREC", "missing": False},
        {"name": "NOSUCH", "missing": True},
    ]
    assert rows.stderr == "(2 rows)\n"
    table = cobolspec("query", sql, "--db", str(db), "--format", "csv")
    assert table.stdout == "name,missing\nCUSTREC,false\nNOSUCH,true\n"

    refused = cobolspec("query", "DROP TABLE members", "--db", str(db))
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == "Error: the database is opened read-only; DROP is not allowed\n"

    usage = cobolspec("analyze", str(dump), "--db", str(db), "--agent", "anthropic")
    assert usage.returncode == 2
    assert usage.stderr.startswith("Error: the 'anthropic' agent backend is not available yet")
