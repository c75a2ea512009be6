"""Opening, migrating and loading the DuckDB store.

Values always travel as bound parameters. Loads are column-wise: each column of a batch is bound as
one typed list and the rows are rebuilt with ``unnest``, which is about a hundred times faster than
``executemany`` and needs neither pandas nor Arrow.

>>> with Store.open() as store:
...     store.insert("glossary", [{"term": "CUST-ID", "meaning": "customer number",
...                                "source": "name"}], defaults={"run_id": 1, "member": "A.cbl"})
...     store.rows("glossary", order_by=["term"])[0]["meaning"]
1
'customer number'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from cobolspec.errors import StoreError
from cobolspec.store.schema import MIGRATIONS, Migration

__all__ = ["MEMORY", "Store", "quote_identifier"]

MEMORY = ":memory:"
_BATCH = 100_000


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (only ever used for catalog names)."""
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def utc_now() -> datetime:
    """The current UTC time as a naive timestamp (what DuckDB's ``TIMESTAMP`` holds)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """One cobolspec database. Open it with :meth:`open`; use it as a context manager."""

    __slots__ = ("_columns", "_in_transaction", "con", "path", "read_only")

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._columns: dict[str, list[tuple[str, str]]] = {}
        self._in_transaction = False

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str = MEMORY,
        *,
        read_only: bool = False,
        file_access: bool | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open (creating and migrating as needed) the database at ``path``.

        ``read_only`` opens an existing database for reading only; it is never migrated, and one
        made by a newer cobolspec is refused. ``file_access`` lets SQL read and write other files
        (``read_csv``, ``COPY``, ``ATTACH``); by default only writable stores allow it.
        """
        name = str(path)
        if name != MEMORY:
            file = Path(name)
            if read_only and not file.exists():
                raise StoreError(f"no database at {name}; run `cobolspec analyze` first")
            if not read_only:
                file.parent.mkdir(parents=True, exist_ok=True)
        if file_access is None:
            file_access = not read_only
        config: dict[str, str | bool | int | float | list[str]] = (
            {} if file_access else {"enable_external_access": False}
        )
        try:
            con = duckdb.connect(name, read_only=read_only, config=config)
        except duckdb.Error as e:
            message = _first_line(e)
            if "lock" in message.lower():
                raise StoreError(f"the database {name} is in use by another process") from e
            raise StoreError(f"cannot open the database {name}: {message}") from e
        store = cls(con, name, read_only)
        try:
            if read_only:
                store._check_version(migrations)
            else:
                store.migrate(migrations)
        except BaseException:
            con.close()
            raise
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations ----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The version of the last migration applied (0 for an empty database)."""
        if "schema_migrations" not in self.tables():
            return 0
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0]) if row else 0

    def _check_version(self, migrations: Sequence[Migration]) -> int:
        tables = self.tables()
        if tables and "schema_migrations" not in tables:
            raise StoreError(
                f"{self.path} is not a cobolspec database (it has no schema_migrations table)"
            )
        version = self.schema_version
        newest = max((m.version for m in migrations), default=0)
        if version > newest:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this cobolspec "
                f"understands ({newest}); upgrade cobolspec"
            )
        return version

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
        """Apply the migrations newer than the database, each in its own transaction.

        Returns the versions applied. A failing migration is rolled back entirely and raises
        :class:`StoreError`; the versions applied before it stay.
        """
        version = self._check_version(migrations)
        applied = []
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version <= version:
                continue
            self.con.begin()
            try:
                self.con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL)"
                )
                migration.apply(self.con)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.name, utc_now()],
                )
                self.con.commit()
            except Exception as e:
                self.con.rollback()
                raise StoreError(
                    f"migration {migration.version} ({migration.name}) of {self.path} failed: "
                    f"{_first_line(e)}"
                ) from e
            finally:
                self._columns.clear()
            applied.append(migration.version)
        return applied

    # -- catalog -------------------------------------------------------------------------------

    def tables(self) -> list[str]:
        """Names of the tables of the database, sorted."""
        rows = self.con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def columns(self, table: str) -> list[tuple[str, str]]:
        """``(name, type)`` of each column of ``table``, in order; StoreError if no such table."""
        cols = self._columns.get(table)
        if cols is None:
            cols = [
                (r[0], r[1])
                for r in self.con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() "
                    "WHERE database_name = current_database() AND schema_name = 'main' "
                    "AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            if not cols:
                raise StoreError(f"the store has no table {table!r}")
            self._columns[table] = cols
        return cols

    def member_tables(self) -> list[str]:
        """Tables whose rows belong to a member (they have a ``member`` column), sorted."""
        rows = self.con.execute(
            "SELECT DISTINCT table_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' "
            "AND column_name = 'member' ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Everything inside is committed together or not at all."""
        if self._in_transaction:
            yield self
            return
        self.con.begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self.con.rollback()
            raise
        else:
            self.con.commit()
        finally:
            self._in_transaction = False

    def insert(
        self,
        table: str,
        rows: Iterable[Mapping[str, object]],
        *,
        defaults: Mapping[str, object] | None = None,
    ) -> int:
        """Append ``rows`` (column name → value) to ``table``; returns how many.

        A column missing from a row takes its value from ``defaults``, else NULL. A key that is
        not a column of the table raises :class:`StoreError` (a typo must not lose data).
        """
        cols = self.columns(table)
        names = {c for c, _ in cols}
        fill = dict(defaults or {})
        batch: list[Mapping[str, object]] = []
        total = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                total += self._insert_batch(table, cols, names, batch, fill)
                batch = []
        if batch:
            total += self._insert_batch(table, cols, names, batch, fill)
        return total

    def _insert_batch(
        self,
        table: str,
        cols: list[tuple[str, str]],
        names: set[str],
        rows: list[Mapping[str, object]],
        fill: Mapping[str, object],
    ) -> int:
        keys: set[str] = set(fill)
        for row in rows:
            keys.update(row)
        unknown = sorted(keys - names)
        if unknown:
            raise StoreError(f"table {table} has no column {', '.join(unknown)}")
        params: list[list[object]] = []
        for name, _ in cols:
            default = _plain(fill.get(name))
            params.append([_plain(row[name]) if name in row else default for row in rows])
        select = ", ".join(f"unnest(${i}::{ctype}[])" for i, (_, ctype) in enumerate(cols, start=1))
        target = ", ".join(quote_identifier(name) for name, _ in cols)
        sql = f"INSERT INTO {quote_identifier(table)} ({target}) SELECT {select}"
        try:
            self.con.execute(sql, params)
        except duckdb.Error as e:
            raise StoreError(f"loading {table} failed: {_first_line(e)}") from e
        return len(rows)

    def delete_members(self, paths: Sequence[str]) -> None:
        """Delete these members and every row that belongs to them, in all tables."""
        if not paths:
            return
        plist = list(paths)
        with self.transaction():
            for table in self.member_tables():
                self.con.execute(
                    f"DELETE FROM {quote_identifier(table)} "
                    "WHERE member IN (SELECT unnest(?::VARCHAR[]))",
                    [plist],
                )
            self.con.execute(
                "DELETE FROM members WHERE path IN (SELECT unnest(?::VARCHAR[]))", [plist]
            )

    # -- reading -------------------------------------------------------------------------------

    def rows(
        self,
        table: str,
        *,
        order_by: Sequence[str] = (),
        where: Mapping[str, object] | None = None,
    ) -> list[dict[str, Any]]:
        """All rows of ``table`` as dicts (optionally ``column = value`` filtered), sorted."""
        cols = self.columns(table)
        names = {c for c, _ in cols}
        for name in [*order_by, *(where or {})]:
            if name not in names:
                raise StoreError(f"table {table} has no column {name}")
        sql = f"SELECT * FROM {quote_identifier(table)}"
        params: list[object] = []
        if where:
            sql += " WHERE " + " AND ".join(f"{quote_identifier(k)} = ?" for k in where)
            params = [_plain(v) for v in where.values()]
        if order_by:
            sql += " ORDER BY " + ", ".join(quote_identifier(k) for k in order_by)
        cursor = self.con.execute(sql, params)
        header = [d[0] for d in cursor.description or []]
        return [dict(zip(header, r, strict=True)) for r in cursor.fetchall()]

    def count(self, table: str) -> int:
        """Number of rows in ``table``."""
        self.columns(table)
        row = self.con.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()
        return int(row[0]) if row else 0
