"""The DuckDB store: schema, migrations, loads, read-only queries, Parquet export."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.errors import StoreError
from cobolspec.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    MemberLoader,
    Migration,
    Store,
    diagnostic_counts,
    diagnostic_row,
    export_parquet,
    member_keys,
    next_run_id,
    run_query,
    stored_diagnostics,
    sync_stage_diagnostics,
)

# The tables and columns DESIGN.md promises to users.
DESIGN_COLUMNS = {
    "runs": [],
    "members": ["path", "kind", "encoding", "hash", "lines"],
    "programs": [],
    "copybook_uses": [],
    "paragraphs": ["program", "section", "name", "file", "line", "end_line", "reachable"],
    "statements": ["program", "paragraph", "verb", "file", "line", "parsed"],
    "data_items": [
        "program", "name", "level", "parent", "pic", "usage", "offset", "size", "occurs",
        "redefines", "value", "file", "line",
    ],
    "conditions_88": [],
    "cfg_edges": ["program", "src", "dst", "kind"],
    "dataflow": ["program", "statement", "item", "access"],
    "calls": ["caller", "callee", "kind", "dynamic"],
    "jcl_jobs": [],
    "jcl_steps": [],
    "jcl_dds": [],
    "datasets": [],
    "sql_accesses": ["program", "table", "operation"],
    "cics_commands": [],
    "program_files": ["program", "file_name", "assign"],
    "transactions": ["transid", "program"],
    "screen_fields": ["mapset", "map", "field"],
    "rules": [
        "id", "name", "program", "paragraph", "kind", "condition", "actions", "file", "line",
        "end_line",
    ],
    "rule_inputs": [],
    "rule_outputs": [],
    "descriptions": ["rule", "backend", "model", "text", "grounded", "problems"],
    "glossary": [],
    "diagnostics": ["member", "severity", "code", "message", "file", "line", "column"],
}  # fmt: skip


def member_row(path: str, digest: str = "h1", kind: str = "program") -> dict[str, object]:
    return {
        "path": path,
        "hash": digest,
        "file": path,
        "first_line": 1,
        "name": Path(path).stem.upper(),
        "kind": kind,
        "encoding": "utf-8",
        "lines": 10,
        "line_ending": "LF",
        "format": "fixed",
        "status": "analysed",
        "analysis_key": "k-" + digest,
    }


def use_row(name: str, line: int) -> dict[str, object]:
    return {
        "name": name,
        "library": None,
        "resolved": f"copy/{name}.cpy",
        "missing": False,
        "replacing": False,
        "depth": 1,
        "via": "COPY",
        "file": "A.cbl",
        "line": line,
        "column": 12,
    }


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A store on disk with two members, A (two copybooks) and B (one), and a diagnostic."""
    path = tmp_path / "sub" / "store.duckdb"
    with Store.open(path) as store, store.transaction():
        loader = MemberLoader(store, run_id=1)
        loader.replace(
            member_row("A.cbl"),
            {
                "copybook_uses": [use_row("CUST", 3), use_row("ACCT", 4)],
                "diagnostics": [
                    diagnostic_row(
                        Diagnostic("copy-missing", Severity.ERROR, "no X", Location("A.cbl", 5, 8)),
                        "preprocess",
                    )
                ],
            },
        )
        loader.replace(member_row("B.cbl"), {"copybook_uses": [use_row("CUST", 7)]})
        loader.flush()
    return path


def counts(path: Path) -> dict[str, int]:
    with Store.open(path, read_only=True) as store:
        return {t: store.count(t) for t in store.tables()}


# -- schema and migrations ------------------------------------------------------------------------


def test_a_new_store_has_every_table_and_column_of_the_design() -> None:
    with Store.open() as store:
        tables = set(store.tables())
        assert set(DESIGN_COLUMNS) | {"schema_migrations"} == tables
        for table, wanted in DESIGN_COLUMNS.items():
            names = [c for c, _ in store.columns(table)]
            assert set(wanted) <= set(names), table
            if table not in ("runs", "members"):
                assert {"run_id", "member"} <= set(names), table
        assert store.member_tables() == sorted(set(DESIGN_COLUMNS) - {"runs", "members"})


def test_the_migration_is_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    for _ in range(2):
        with Store.open(path) as store:
            assert store.schema_version == SCHEMA_VERSION == 1
            rows = store.rows("schema_migrations")
            assert [(r["version"], r["name"]) for r in rows] == [(1, "initial schema")]
            assert rows[0]["applied_at"] is not None


def add_notes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE notes (member VARCHAR, run_id INTEGER, note VARCHAR)")
    con.execute("ALTER TABLE members ADD COLUMN owner VARCHAR")


def test_opening_an_older_database_migrates_it_and_keeps_the_data(db_file: Path) -> None:
    before = counts(db_file)
    newer = (*MIGRATIONS, Migration(2, "notes and owners", add_notes))
    with Store.open(db_file, migrations=newer) as store:
        assert store.schema_version == 2
        assert [r["version"] for r in store.rows("schema_migrations", order_by=["version"])] == [
            1,
            2,
        ]
        assert "notes" in store.member_tables()
        assert {t: store.count(t) for t in before if t != "schema_migrations"} == {
            t: n for t, n in before.items() if t != "schema_migrations"
        }
        assert store.rows("members", where={"path": "A.cbl"})[0]["owner"] is None
    # This cobolspec only knows version 1: it must refuse rather than misread the database.
    with pytest.raises(StoreError, match="schema version 2, newer"):
        Store.open(db_file)


def test_a_failing_migration_is_rolled_back(db_file: Path) -> None:
    def broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("CREATE TABLE half_done (x INTEGER)")
        con.execute("SELECT no_such_column FROM members")

    with pytest.raises(StoreError, match=r"migration 2 \(broken\) .* failed"):
        Store.open(db_file, migrations=(*MIGRATIONS, Migration(2, "broken", broken)))
    with Store.open(db_file) as store:
        assert store.schema_version == 1
        assert "half_done" not in store.tables()


def test_a_foreign_duckdb_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE payroll (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a cobolspec database"):
        Store.open(path)
    con = duckdb.connect(str(path), read_only=True)
    assert [r[0] for r in con.execute("SHOW TABLES").fetchall()] == ["payroll"]
    con.close()


def test_a_file_that_is_no_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    with pytest.raises(StoreError, match=r"cannot open the database .*notes\.txt"):
        Store.open(path)
    with pytest.raises(StoreError, match=r"no database at .*missing\.duckdb"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)


# -- loading --------------------------------------------------------------------------------------


def test_values_are_bound_never_spliced() -> None:
    nasty = "O'Brien\"; DROP TABLE members; --"
    with Store.open() as store:
        store.insert(
            "glossary",
            [{"term": nasty, "meaning": "?", "source": "name"}],
            defaults={"run_id": 1, "member": nasty},
        )
        assert store.rows("glossary")[0]["term"] == nasty
        assert store.rows("glossary", where={"member": nasty})[0]["member"] == nasty
        assert "members" in store.tables()


def test_an_unknown_column_or_table_is_an_error_not_a_silent_loss() -> None:
    with Store.open() as store:
        with pytest.raises(StoreError, match="no column colour"):
            store.insert("glossary", [{"term": "X", "colour": "red"}])
        with pytest.raises(StoreError, match="no table 'gloss'"):
            store.insert("gloss", [{"term": "X"}])
        with pytest.raises(StoreError, match="loading glossary failed"):
            store.insert("glossary", [{"term": "X"}])  # NOT NULL columns missing


def test_large_loads_are_batched_and_complete() -> None:
    rows = [{"rule": f"R{i}", "item": f"ITEM-{i % 97}"} for i in range(120_000)]
    with Store.open() as store:
        assert store.insert("rule_inputs", rows, defaults={"run_id": 1, "member": "A"}) == 120_000
        assert store.count("rule_inputs") == 120_000
        row = store.con.execute("SELECT count(DISTINCT rule) FROM rule_inputs").fetchone()
        assert row == (120_000,)


def test_replacing_a_member_replaces_only_its_own_rows(db_file: Path) -> None:
    before = counts(db_file)
    assert before["copybook_uses"] == 3
    with Store.open(db_file) as store, store.transaction():
        loader = MemberLoader(store, run_id=2)
        loader.replace(member_row("A.cbl", "h2"), {"copybook_uses": [use_row("NEWCPY", 9)]})
        loader.flush()
    with Store.open(db_file) as store:
        uses = store.rows("copybook_uses", order_by=["member", "line"])
        assert [(u["member"], u["name"], u["run_id"]) for u in uses] == [
            ("A.cbl", "NEWCPY", 2),
            ("B.cbl", "CUST", 1),
        ]
        assert store.count("diagnostics") == 0  # A's diagnostic went with its old rows
        assert member_keys(store) == {"A.cbl": "k-h2", "B.cbl": "k-h1"}
        assert store.count("members") == 2


def test_replacing_with_the_same_rows_creates_no_duplicates(db_file: Path) -> None:
    before = counts(db_file)
    for run in (2, 3):
        with Store.open(db_file) as store, store.transaction():
            loader = MemberLoader(store, run_id=run)
            loader.replace(member_row("B.cbl"), {"copybook_uses": [use_row("CUST", 7)]})
            loader.flush()
    assert counts(db_file) == before


def test_removing_a_member_removes_all_its_rows(db_file: Path) -> None:
    with Store.open(db_file) as store, store.transaction():
        loader = MemberLoader(store, run_id=2)
        loader.remove(["A.cbl"])
        loader.flush()
    with Store.open(db_file) as store:
        assert member_keys(store) == {"B.cbl": "k-h1"}
        assert {r["member"] for r in store.rows("copybook_uses")} == {"B.cbl"}
        assert store.count("diagnostics") == 0


def test_a_failed_load_leaves_the_store_as_it_was(db_file: Path) -> None:
    before = counts(db_file)
    with Store.open(db_file) as store, pytest.raises(StoreError), store.transaction():
        loader = MemberLoader(store, run_id=2)
        loader.replace(member_row("A.cbl", "h2"), {"copybook_uses": [{"name": "X"}]})
        loader.flush()
    assert counts(db_file) == before


def test_diagnostics_round_trip_sorted_and_counted(db_file: Path) -> None:
    with Store.open(db_file) as store:
        found = stored_diagnostics(store)
        assert len(found) == 1
        d = found[0].diagnostic
        assert (found[0].member, found[0].stage) == ("A.cbl", "preprocess")
        assert d.render() == "A.cbl:5:8: error: no X [copy-missing]"
        assert diagnostic_counts(store) == {"error": 1, "warning": 0, "info": 0}
        assert next_run_id(store) == 1


def test_stage_diagnostics_are_only_rewritten_when_they_change() -> None:
    binary = Diagnostic("binary", Severity.WARNING, "binary file skipped", Location("x.bin", 1, 1))
    empty = Diagnostic("empty", Severity.INFO, "empty member", None)
    with Store.open() as store:
        assert sync_stage_diagnostics(store, 1, "discover", [("x.bin", binary)])
        assert not sync_stage_diagnostics(store, 2, "discover", [("x.bin", binary)])
        assert [r["run_id"] for r in store.rows("diagnostics")] == [1]
        assert sync_stage_diagnostics(store, 3, "discover", [("e", empty)])
        rows = store.rows("diagnostics")
        assert [(r["member"], r["code"], r["file"], r["run_id"]) for r in rows] == [
            ("e", "empty", None, 3)
        ]


# -- read-only queries ----------------------------------------------------------------------------

WRITES = {
    "DELETE": "DELETE FROM members",
    "INSERT": "INSERT INTO glossary VALUES (1, 'A', NULL, 'T', 'M', 'S', NULL, NULL)",
    "DROP": "DROP TABLE members",
    "UPDATE": "UPDATE members SET hash = 'x'",
    "COPY": "COPY members TO 'members.csv'",
    "ATTACH": "ATTACH 'other.duckdb' AS other",
    "CREATE": "CREATE TABLE t AS SELECT 1",
    "ALTER": "ALTER TABLE members RENAME TO m",
    "SET": "SET threads = 1",
}


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_read_only_queries_refuse_writes_and_keep_the_data(
    db_file: Path, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = counts(db_file)
    with Store.open(db_file, read_only=True) as store:
        with pytest.raises(StoreError) as caught:
            run_query(store, WRITES[kind])
        assert str(caught.value) == f"the database is opened read-only; {kind} is not allowed"
    assert counts(db_file) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_the_engine_itself_refuses_writes_on_a_read_only_store(db_file: Path) -> None:
    with Store.open(db_file, read_only=True) as store:
        with pytest.raises(duckdb.Error, match="read-only"):
            store.con.execute("DELETE FROM members")
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            store.con.execute("SELECT * FROM read_csv('/etc/hostname')")


def test_read_queries_return_columns_and_rows(db_file: Path) -> None:
    with Store.open(db_file, read_only=True) as store:
        result = run_query(
            store,
            "SELECT member, count(*) AS uses FROM copybook_uses GROUP BY member ORDER BY member",
        )
        assert result.columns == ["member", "uses"]
        assert result.rows == [("A.cbl", 2), ("B.cbl", 1)]
        assert run_query(store, "FROM members SELECT path ORDER BY path").rows == [
            ("A.cbl",),
            ("B.cbl",),
        ]
        assert run_query(store, "DESCRIBE members").rows[0][0] == "path"
        with pytest.raises(StoreError, match="one SQL statement at a time"):
            run_query(store, "SELECT 1; SELECT 2")
        with pytest.raises(StoreError, match="syntax error"):
            run_query(store, "SELEC path FROM members")
        with pytest.raises(StoreError, match="nonesuch"):
            run_query(store, "SELECT * FROM nonesuch")
        with pytest.raises(StoreError, match="no SQL statement"):
            run_query(store, "  ;  ")


# -- Parquet --------------------------------------------------------------------------------------


def test_parquet_export_writes_every_table(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    files = export_parquet(db_file, out)
    with Store.open(db_file, read_only=True) as store:
        assert sorted(f.stem for f in files) == store.tables()
    con = duckdb.connect()
    uses = con.execute(
        "SELECT member, name FROM read_parquet(?)", [str(out / "copybook_uses.parquet")]
    ).fetchall()
    assert uses == [("A.cbl", "ACCT"), ("A.cbl", "CUST"), ("B.cbl", "CUST")]
    empty = con.execute("SELECT count(*) FROM read_parquet(?)", [str(out / "rules.parquet")])
    assert empty.fetchone() == (0,)
    first = (out / "members.parquet").read_bytes()
    export_parquet(db_file, out)
    assert (out / "members.parquet").read_bytes() == first


def test_the_same_member_queued_twice_keeps_the_second() -> None:
    with Store.open() as store, store.transaction():
        loader = MemberLoader(store, run_id=1)
        loader.replace(member_row("A.cbl", "h1"), {"copybook_uses": [use_row("ONE", 1)]})
        loader.replace(member_row("A.cbl", "h2"), {"copybook_uses": [use_row("TWO", 2)]})
        loader.flush()
        assert member_keys(store) == {"A.cbl": "k-h2"}
        assert [r["name"] for r in store.rows("copybook_uses")] == ["TWO"]
