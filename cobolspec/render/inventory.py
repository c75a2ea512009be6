"""The inventory: what the dump holds, which copybooks each program uses, what went wrong.

Built from the store only (so ``cobolspec render`` needs nothing but the database), as a pydantic
model that the Markdown template and the JSON file both come from. Everything is sorted and
nothing depends on the clock, so an unchanged store renders byte-identical files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from cobolspec import __version__
from cobolspec.render.env import render_template
from cobolspec.store import Store, diagnostic_counts, stored_diagnostics

__all__ = [
    "INDEX_NAME",
    "JSON_NAME",
    "CopybookEntry",
    "CopybookUse",
    "DiagnosticEntry",
    "InventoryReport",
    "MemberEntry",
    "ProgramEntry",
    "build_inventory",
    "render_inventory",
    "write_inventory",
]

INDEX_NAME = "index.md"
JSON_NAME = "inventory.json"

# Kinds in the order the page lists them, with their section titles.
KIND_TITLES = {
    "program": "Programs",
    "copybook": "Copybooks",
    "jcl": "JCL jobs",
    "proc": "JCL procedures",
    "bms": "BMS map sets",
    "dclgen": "DCLGEN members",
    "ddl": "DDL members",
    "other": "Other members",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MemberEntry(_Model):
    """One member of the dump."""

    path: str
    name: str
    kind: str
    encoding: str
    lines: int
    line_ending: str
    format: str | None
    status: str
    hash: str


class CopybookUse(_Model):
    """One COPY (or SQL INCLUDE) met while expanding a program."""

    name: str
    library: str | None
    resolved: str | None
    missing: bool
    replacing: bool
    depth: int
    via: str
    file: str
    line: int
    column: int


class ProgramEntry(_Model):
    """A program member and the copybooks its expansion used, in source order."""

    path: str
    name: str
    copybooks: list[CopybookUse]
    missing: int


class CopybookEntry(_Model):
    """A copybook name and the program members that use it (``resolved`` None: never found)."""

    name: str
    resolved: str | None
    missing: bool
    used_by: list[str]


class DiagnosticEntry(_Model):
    """A finding, where it is, and which member and stage it came from."""

    member: str
    stage: str
    severity: str
    code: str
    message: str
    file: str | None
    line: int | None
    column: int | None
    hint: str | None


class InventoryReport(_Model):
    """Everything the inventory page and ``inventory.json`` show."""

    format_version: int = 1
    cobolspec_version: str
    schema_version: int
    kinds: list[str]
    members_by_kind: dict[str, int]
    diagnostics_by_severity: dict[str, int]
    members: list[MemberEntry]
    programs: list[ProgramEntry]
    copybooks: list[CopybookEntry]
    diagnostics: list[DiagnosticEntry]


def _kind_order(kind: str) -> tuple[int, str]:
    order = list(KIND_TITLES)
    return (order.index(kind) if kind in order else len(order), kind)


def build_inventory(store: Store) -> InventoryReport:
    """Read the inventory out of ``store``."""
    members = [
        MemberEntry(**{k: row[k] for k in MemberEntry.model_fields})
        for row in store.rows("members", order_by=["path"])
    ]
    kinds = sorted({m.kind for m in members}, key=_kind_order)
    by_kind = Counter(m.kind for m in members)

    uses: dict[str, list[CopybookUse]] = defaultdict(list)
    for row in store.rows(
        "copybook_uses", order_by=["member", "file", "line", "column", "depth", "name"]
    ):
        uses[row["member"]].append(CopybookUse(**{k: row[k] for k in CopybookUse.model_fields}))
    programs = [
        ProgramEntry(
            path=m.path,
            name=m.name,
            copybooks=uses.get(m.path, []),
            missing=sum(u.missing for u in uses.get(m.path, [])),
        )
        for m in members
        if m.kind == "program"
    ]

    used_by: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    missing: set[tuple[str, str | None]] = set()
    for member, member_uses in uses.items():
        for use in member_uses:
            used_by[(use.name, use.resolved)].add(member)
            if use.missing:
                missing.add((use.name, use.resolved))
    copybooks = [
        CopybookEntry(name=key[0], resolved=key[1], missing=key in missing, used_by=sorted(paths))
        for key, paths in sorted(used_by.items(), key=lambda kv: _none_last(kv[0]))
    ]

    diagnostics = [
        DiagnosticEntry(
            member=d.member,
            stage=d.stage,
            severity=d.diagnostic.severity.value,
            code=d.diagnostic.code,
            message=d.diagnostic.message,
            file=d.diagnostic.location.file if d.diagnostic.location else None,
            line=d.diagnostic.location.line if d.diagnostic.location else None,
            column=d.diagnostic.location.column if d.diagnostic.location else None,
            hint=d.diagnostic.hint,
        )
        for d in stored_diagnostics(store)
    ]
    return InventoryReport(
        cobolspec_version=__version__,
        schema_version=store.schema_version,
        kinds=kinds,
        members_by_kind={k: by_kind[k] for k in kinds},
        diagnostics_by_severity=diagnostic_counts(store),
        members=members,
        programs=programs,
        copybooks=copybooks,
        diagnostics=diagnostics,
    )


def _none_last(key: tuple[str, str | None]) -> tuple[Any, ...]:
    name, resolved = key
    return (name, resolved is None, resolved or "")


def write_inventory(report: InventoryReport, out: Path | str) -> list[Path]:
    """Write ``index.md`` and ``inventory.json`` into ``out``; returns their paths."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / INDEX_NAME
    titles = {k: KIND_TITLES.get(k, k.capitalize()) for k in report.kinds}
    page = render_template("inventory.md.j2", report=report, titles=titles)
    index.write_text(page, "utf-8", newline="\n")
    data = folder / JSON_NAME
    data.write_text(report.model_dump_json(indent=2) + "\n", "utf-8", newline="\n")
    return [index, data]


def render_inventory(store: Store | Path | str, out: Path | str) -> list[Path]:
    """Build the inventory from a store (open, or a database file) and write it to ``out``."""
    if isinstance(store, Store):
        return write_inventory(build_inventory(store), out)
    with Store.open(store, read_only=True) as opened:
        return write_inventory(build_inventory(opened), out)
