"""The schema is a public contract: every table and column is documented, in both places."""

from __future__ import annotations

import re
from pathlib import Path

import cobolspec.store.schema as schema
from cobolspec.store import Store

README = Path(__file__).resolve().parent.parent / "README.md"


def live_schema() -> dict[str, list[tuple[str, str]]]:
    with Store.open() as store:
        return {table: store.columns(table) for table in store.tables()}


def readme_tables() -> dict[str, dict[str, str]]:
    """``### `table` `` sections of README's "The database": column → type."""
    text = README.read_text("utf-8")
    section = text.split("\n## The database\n", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in section.splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        row = re.match(r"\| `(\w+)` \| ([A-Z][A-Z0-9_()\[\], ]*) \| (.+) \|$", line)
        if row and current is not None:
            assert row.group(3).strip(), line
            current[row.group(1)] = row.group(2)
    return tables


def docstring_tables() -> dict[str, str]:
    """The module docstring of cobolspec.store.schema, cut at each ````table``:`` paragraph."""
    doc = schema.__doc__ or ""
    parts = re.split(r"^``(\w+)``(?:, ``(\w+)``)?:", doc, flags=re.MULTILINE)
    found: dict[str, str] = {}
    for i in range(1, len(parts), 3):
        for name in parts[i : i + 2]:
            if name:
                found[name] = parts[i + 2]
    return found


def test_the_readme_documents_every_table_and_column_with_its_type() -> None:
    documented = readme_tables()
    live = live_schema()
    assert sorted(documented) == sorted(live)
    for table, columns in live.items():
        assert documented[table] == dict(columns), table


def test_the_schema_module_documents_every_table_and_column() -> None:
    documented = docstring_tables()
    live = live_schema()
    assert set(live) <= set(documented)
    shared = {"run_id", "member"}
    for table, columns in live.items():
        text = documented[table]
        for name, _ in columns:
            if table not in ("runs", "members", "schema_migrations") and name in shared:
                continue  # said once for all: "Every table but ... also has run_id and member"
            assert f"``{name}``" in text, f"{table}.{name} is not documented"
    assert "also has ``run_id`` and ``member``" in (schema.__doc__ or "")


def test_the_docstring_examples_run() -> None:
    import doctest

    import cobolspec.render.env
    import cobolspec.store.db
    import cobolspec.store.query

    for module in (cobolspec.store.db, cobolspec.store.query, cobolspec.render.env):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried and not failures, module.__name__
