"""Loading a run: replacing changed members' rows in batches, recording the run, diagnostics.

A member's rows are replaced as a whole: :meth:`MemberLoader.replace` queues the member's row and
the rows its stages produced (table → rows), and a flush first deletes everything the store holds
for those members, then appends the new rows, one statement per table for the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.store.db import Store

__all__ = [
    "MemberLoader",
    "StoredDiagnostic",
    "diagnostic_counts",
    "diagnostic_row",
    "member_keys",
    "next_run_id",
    "stored_diagnostics",
    "sync_stage_diagnostics",
]

_DIAGNOSTIC_FIELDS = (
    "member",
    "stage",
    "severity",
    "code",
    "message",
    "file",
    "line",
    "column",
    "hint",
    "source_line",
)
_SEVERITY_ORDER = {Severity.ERROR.value: 0, Severity.WARNING.value: 1, Severity.INFO.value: 2}


@dataclass(frozen=True, slots=True)
class StoredDiagnostic:
    """A diagnostic as the store holds it: which member and stage it belongs to."""

    member: str
    stage: str
    diagnostic: Diagnostic


def diagnostic_row(diagnostic: Diagnostic, stage: str) -> dict[str, object]:
    """The ``diagnostics`` row of one finding (without ``member`` and ``run_id``)."""
    loc = diagnostic.location
    return {
        "stage": stage,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "hint": diagnostic.hint,
        "source_line": diagnostic.source_line,
    }


def _diagnostic_from_row(row: Mapping[str, Any]) -> Diagnostic:
    location = None
    if row["file"] is not None and row["line"] is not None:
        location = Location(row["file"], row["line"], row["column"] or 1)
    return Diagnostic(
        code=row["code"],
        severity=Severity(row["severity"]),
        message=row["message"],
        location=location,
        source_line=row["source_line"],
        hint=row["hint"],
    )


def _diagnostic_sort_key(d: StoredDiagnostic) -> tuple[object, ...]:
    loc = d.diagnostic.location
    return (
        loc.file if loc else d.member,
        loc.line if loc else 0,
        loc.column if loc else 0,
        _SEVERITY_ORDER.get(d.diagnostic.severity.value, 9),
        d.diagnostic.code,
        d.diagnostic.message,
        d.member,
        d.stage,
    )


def stored_diagnostics(store: Store) -> list[StoredDiagnostic]:
    """Every diagnostic in the store, sorted by file, line, column, severity and code."""
    found = [
        StoredDiagnostic(row["member"], row["stage"], _diagnostic_from_row(row))
        for row in store.rows("diagnostics")
    ]
    return sorted(found, key=_diagnostic_sort_key)


def diagnostic_counts(store: Store) -> dict[str, int]:
    """Diagnostics in the store by severity, every severity present (``error`` first)."""
    counts = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for severity, n in store.con.execute(
        "SELECT severity, count(*) FROM diagnostics GROUP BY severity"
    ).fetchall():
        counts[severity] = int(n)
    return counts


def member_keys(store: Store) -> dict[str, str]:
    """``members.path`` → ``analysis_key`` of every member in the store."""
    return dict(store.con.execute("SELECT path, analysis_key FROM members").fetchall())


def next_run_id(store: Store) -> int:
    """The ``run_id`` the next run gets."""
    row = store.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
    return int(row[0]) if row else 1


def sync_stage_diagnostics(
    store: Store, run_id: int, stage: str, found: Sequence[tuple[str, Diagnostic]]
) -> bool:
    """Make the store's diagnostics of ``stage`` exactly ``found`` ((member, diagnostic) pairs).

    For diagnostics not tied to one analysed member, such as those of discovery. When the store
    already holds exactly these, nothing is written (a repeated run changes nothing) and the
    result is False.
    """
    wanted = sorted(
        {tuple({"member": m, **diagnostic_row(d, stage)}.items()) for m, d in found}, key=repr
    )
    have = sorted(
        (
            tuple((f, r[f]) for f in _DIAGNOSTIC_FIELDS)
            for r in store.rows("diagnostics", where={"stage": stage})
        ),
        key=repr,
    )
    if have == wanted:
        return False
    with store.transaction():
        store.con.execute("DELETE FROM diagnostics WHERE stage = ?", [stage])
        store.insert("diagnostics", [dict(k) for k in wanted], defaults={"run_id": run_id})
    return True


class MemberLoader:
    """Replaces members' rows in batches; use inside :meth:`Store.transaction`."""

    __slots__ = (
        "_members",
        "_paths",
        "_pending",
        "_queued_rows",
        "_removed",
        "batch_rows",
        "run_id",
        "store",
    )

    def __init__(self, store: Store, run_id: int, *, batch_rows: int = 50_000) -> None:
        self.store = store
        self.run_id = run_id
        self.batch_rows = batch_rows
        self._members: list[dict[str, object]] = []
        self._pending: dict[str, list[dict[str, object]]] = {}
        self._removed: list[str] = []
        self._paths: set[str] = set()
        self._queued_rows = 0

    def replace(
        self,
        member: Mapping[str, object],
        rows: Mapping[str, Iterable[Mapping[str, object]]],
    ) -> None:
        """Queue ``member`` (a ``members`` row) and its rows; its old rows go at the next flush."""
        path = str(member["path"])
        if path in self._paths:
            self.flush()  # the same member twice: the second replaces the first
        self._paths.add(path)
        self._members.append({**member, "run_id": self.run_id})
        for table, table_rows in rows.items():
            bucket = self._pending.setdefault(table, [])
            for row in table_rows:
                bucket.append({**row, "member": path, "run_id": self.run_id})
                self._queued_rows += 1
        if self._queued_rows >= self.batch_rows:
            self.flush()

    def remove(self, paths: Iterable[str]) -> None:
        """Queue members to delete, with all their rows."""
        self._removed.extend(paths)

    def flush(self) -> None:
        """Delete the queued members' old rows, then load the queued rows."""
        if not (self._members or self._removed):
            return
        with self.store.transaction():
            doomed = [str(m["path"]) for m in self._members] + self._removed
            self.store.delete_members(doomed)
            self.store.insert("members", self._members)
            for table in sorted(self._pending):
                self.store.insert(table, self._pending[table])
        self._members = []
        self._pending = {}
        self._removed = []
        self._paths = set()
        self._queued_rows = 0
