"""The DuckDB store: schema, migrations, batched loads, read-only queries, Parquet export.

The tables and their columns are documented in :mod:`cobolspec.store.schema` (and the README).
"""

from __future__ import annotations

from cobolspec.store.db import MEMORY, Store
from cobolspec.store.loader import (
    MemberLoader,
    StoredDiagnostic,
    diagnostic_counts,
    diagnostic_row,
    member_keys,
    next_run_id,
    stored_diagnostics,
    sync_stage_diagnostics,
)
from cobolspec.store.query import QueryResult, check_read_only, export_parquet, run_query
from cobolspec.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, sql_migration

DEFAULT_DB = "cobolspec.duckdb"

__all__ = [
    "DEFAULT_DB",
    "MEMORY",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "MemberLoader",
    "Migration",
    "QueryResult",
    "Store",
    "StoredDiagnostic",
    "check_read_only",
    "diagnostic_counts",
    "diagnostic_row",
    "export_parquet",
    "member_keys",
    "next_run_id",
    "run_query",
    "sql_migration",
    "stored_diagnostics",
    "sync_stage_diagnostics",
]
