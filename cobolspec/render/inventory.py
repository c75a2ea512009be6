"""The inventory: what the dump holds, which copybooks each program uses, what went wrong.

Built from the store only, as a pydantic model that the inventory part of ``index.md`` and the
file ``inventory.json`` both come from. Everything is sorted and nothing depends on the clock, so
an unchanged store renders byte-identical files. Its parts are those of the system spec
(:mod:`cobolspec.spec.system`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from cobolspec import __version__
from cobolspec.spec.models import CopybookEntry, CopybookUse, DiagnosticEntry, MemberEntry
from cobolspec.spec.system import (
    KIND_ORDER,
    copybook_entries,
    copybook_uses,
    diagnostic_entries,
    member_entries,
)
from cobolspec.store import Store, diagnostic_counts

__all__ = [
    "INDEX_NAME",
    "JSON_NAME",
    "KIND_TITLES",
    "CopybookEntry",
    "CopybookUse",
    "DiagnosticEntry",
    "InventoryReport",
    "MemberEntry",
    "ProgramEntry",
    "build_inventory",
    "render_inventory",
]

INDEX_NAME = "index.md"
JSON_NAME = "inventory.json"

# Section titles of the member kinds, in the order the page lists them.
KIND_TITLES = dict(
    zip(
        KIND_ORDER,
        (
            "Programs",
            "Copybooks",
            "JCL jobs",
            "JCL procedures",
            "BMS map sets",
            "DCLGEN members",
            "DDL members",
            "Other members",
        ),
        strict=True,
    )
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProgramEntry(_Model):
    """A program member and the copybooks its expansion used, in source order."""

    path: str
    name: str
    copybooks: list[CopybookUse]
    missing: int


class InventoryReport(_Model):
    """Everything the inventory part of the index and ``inventory.json`` show."""

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
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def build_inventory(store: Store) -> InventoryReport:
    """Read the inventory out of ``store``."""
    members = member_entries(store)
    kinds = sorted({m.kind for m in members}, key=_kind_order)
    uses = copybook_uses(store)
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
    return InventoryReport(
        cobolspec_version=__version__,
        schema_version=store.schema_version,
        kinds=kinds,
        members_by_kind={k: sum(m.kind == k for m in members) for k in kinds},
        diagnostics_by_severity=diagnostic_counts(store),
        members=members,
        programs=programs,
        copybooks=copybook_entries(uses),
        diagnostics=diagnostic_entries(store),
    )


def render_inventory(store: Store | Path | str, out: Path | str) -> list[Path]:
    """Write the whole spec (``index.md`` first; see :func:`cobolspec.render.render_spec`).

    The name the pipeline and the CLI have called since the index was the inventory alone.
    """
    from cobolspec.render.pages import render_spec

    return render_spec(store, out)
