"""Read-only SQL over the store, and Parquet export.

``cobolspec query`` opens the database read-only (DuckDB then refuses every write) and, before
running anything, refuses statements that are not reads, so the user gets a clear message rather
than an engine error:

>>> check_read_only("DELETE FROM members")
Traceback (most recent call last):
...
cobolspec.errors.StoreError: the database is opened read-only; DELETE is not allowed
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cobolspec.errors import StoreError
from cobolspec.store.db import Store

__all__ = ["QueryResult", "check_read_only", "export_parquet", "run_query"]

# Statement kinds that only read. EXPLAIN and PRAGMA are reads too but can change settings or
# run arbitrary statements (EXPLAIN ANALYZE), so they are left out.
_READ_KINDS = frozenset({"SELECT"})


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Column names and rows of a query, in the order the query returned them."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def _statement_kind(statement: duckdb.Statement) -> str:
    return str(statement.type.name).replace("_STATEMENT", "").replace("_", " ")


def check_read_only(sql: str) -> None:
    """Refuse ``sql`` unless it is exactly one read statement (SELECT, FROM, WITH, DESCRIBE...)."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as e:
        raise StoreError(_first_line(e)) from e
    if not statements:
        raise StoreError("no SQL statement given")
    if len(statements) > 1:
        raise StoreError(f"give one SQL statement at a time ({len(statements)} given)")
    kind = _statement_kind(statements[0])
    if kind not in _READ_KINDS:
        raise StoreError(f"the database is opened read-only; {kind} is not allowed")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def run_query(store: Store, sql: str, params: list[object] | None = None) -> QueryResult:
    """Run one read statement; StoreError (one clear line) for writes and SQL errors."""
    check_read_only(sql)
    try:
        cursor = store.con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except duckdb.Error as e:
        message = _first_line(e)
        if "read-only" in message:
            raise StoreError(f"the database is opened read-only; {message}") from e
        raise StoreError(message) from e
    return QueryResult(columns, rows)


def export_parquet(store: Store | Path | str, directory: Path | str) -> list[Path]:
    """Write every table of the store to ``directory/<table>.parquet``; returns the files.

    ``store`` is an open :class:`Store` or the path of a database file (opened read-only).
    Rows are written sorted on all columns, so an unchanged store exports identical data.
    """
    if not isinstance(store, Store):
        with Store.open(store, read_only=True, file_access=True) as opened:
            return _export(opened, Path(directory))
    return _export(store, Path(directory))


def _export(store: Store, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in store.tables():
        target = directory / f"{table}.parquet"
        names = [name for name, _ in store.columns(table)]
        relation = store.con.table(table)
        # Relations quote nothing themselves: order on positions, never on spliced names.
        relation = relation.order(", ".join(f"#{i}" for i in range(1, len(names) + 1)))
        try:
            relation.write_parquet(str(target))
        except duckdb.Error as e:
            raise StoreError(f"exporting {table} to {target} failed: {_first_line(e)}") from e
        written.append(target)
    return written
