"""The questions ``cobolspec rules``, ``lineage`` and ``impact`` answer, from the store alone.

- :func:`find_rules`: business rules by program, kind, and data item read or written.
- :func:`lineage`: where a data item's value comes from and where it goes, as chains of
  statements from the ``dataflow`` table (backward: the statements that define it and, from
  the items those read, further back; forward: the statements that read it and, from the items
  those define, further on). The chains are flow-insensitive: they follow def/use pairs,
  not the order in which statements run. When the store records how each access arises
  (``dataflow.via``), a statement's sources and targets are its own operands, not the items
  sharing storage with them (``alias``). Where a statement touches a group, the items inside it
  are not listed (nor followed) separately; a group or item sharing storage with the item at
  hand (REDEFINES aside) is not a source or target of it; once a group is followed, the items
  inside it are not followed again.
- :func:`impact`: what is affected by changing a copybook, program, JCL member or PROC, BMS
  mapset or dataset: programs (those that copy, are, or access it, then their callers), jobs
  (steps that run an affected program, or use the JCL, PROC or dataset) and CICS transactions
  (whose program is affected).

A data item named ``F`` matches a stored item ``F``, ``F OF G``/``F IN G`` (qualified),
``G.F`` and ``kind:F`` (``file:F``, ``table:F``).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from cobolspec.errors import StoreError
from cobolspec.spec import reader as R
from cobolspec.spec.assemble import (
    TRANSFER_KINDS,
    dd_name,
    item_matches,
    rule_specs,
    step_program,
)
from cobolspec.spec.models import RuleSpec
from cobolspec.store import Store

__all__ = [
    "Impact",
    "ImpactEntry",
    "LineageStep",
    "find_rules",
    "impact",
    "item_matches",
    "lineage",
]

Row = dict[str, Any]
Direction = Literal["backward", "forward"]
Kind = Literal["program", "job", "transaction"]
Relation = Literal["direct", "indirect"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# The same test in SQL, on column ``item`` and parameter $1 (upper case).
_ITEM_MATCHES = """(upper(item) = $1 OR starts_with(upper(item), $1 || ' OF ')
    OR starts_with(upper(item), $1 || ' IN ') OR ends_with(upper(item), '.' || $1)
    OR ends_with(upper(item), ':' || $1))"""

_HAS_PROGRAM = "SELECT count(*) FROM programs WHERE program = $1"


def _check_program(store: Store, program: str | None) -> str | None:
    if program is None:
        return None
    name = program.upper()
    row = store.con.execute(_HAS_PROGRAM, [name]).fetchone()
    if not row or not row[0]:
        raise StoreError(f"no program {program} in the store")
    return name


# -- rules --------------------------------------------------------------------------------------

_FIND_RULES = """
SELECT r.* FROM rules r
WHERE ($1::VARCHAR IS NULL OR r.program = $1)
  AND ($2::VARCHAR IS NULL OR lower(r.kind) = lower($2))
  AND ($3::VARCHAR IS NULL OR EXISTS (
      SELECT 1 FROM (SELECT member, rule, item FROM rule_inputs
                     UNION ALL SELECT member, rule, item FROM rule_outputs) x
      WHERE x.rule = r.id AND x.member = r.member
        AND (upper(x.item) = $3 OR starts_with(upper(x.item), $3 || ' OF ')
             OR starts_with(upper(x.item), $3 || ' IN ') OR ends_with(upper(x.item), '.' || $3)
             OR ends_with(upper(x.item), ':' || $3))))
ORDER BY r.program, r.member, r.rowid"""
_RULE_INPUTS = """
SELECT member, rule, item FROM rule_inputs WHERE rule IN (SELECT unnest($1::VARCHAR[]))
ORDER BY member, rule, rowid"""
_RULE_OUTPUTS = """
SELECT member, rule, item FROM rule_outputs WHERE rule IN (SELECT unnest($1::VARCHAR[]))
ORDER BY member, rule, rowid"""
_RULE_DESCRIPTIONS = """
SELECT member, rule, backend, model, text FROM descriptions
WHERE grounded AND rule IN (SELECT unnest($1::VARCHAR[]))
ORDER BY member, rule, backend = 'offline', backend, model NULLS FIRST, cache_key, text"""


def find_rules(
    store: Store,
    *,
    program: str | None = None,
    kind: str | None = None,
    touching: str | None = None,
) -> list[RuleSpec]:
    """Rules of ``program``, of ``kind``, reading or writing the data item ``touching``.

    Every filter is optional. Rules come by program, then in source order. An unknown
    ``program`` raises :class:`StoreError`.
    """
    name = _check_program(store, program)
    field = touching.upper() if touching else None
    rows = list(R.iter_rows(store, _FIND_RULES, [name, kind, field]))
    ids = sorted({r["id"] for r in rows})
    related: dict[str, dict[tuple[str, str], list[Row]]] = {}
    for part, sql in (("in", _RULE_INPUTS), ("out", _RULE_OUTPUTS), ("text", _RULE_DESCRIPTIONS)):
        related[part] = defaultdict(list)
        for r in R.iter_rows(store, sql, [ids]):
            related[part][(r["member"], r["rule"])].append(r)
    specs: list[RuleSpec] = []
    for r in rows:
        key = (r["member"], r["id"])
        specs.extend(rule_specs([r], related["in"].get(key, []), related["out"].get(key, []),
                                related["text"].get(key, [])))
    return specs


# -- lineage ------------------------------------------------------------------------------------


class LineageStep(_Model):
    """One statement in a data item's lineage.

    ``direction`` is ``backward`` (the statement defines ``item``; ``via`` are the items it
    reads) or ``forward`` (the statement reads ``item``; ``via`` are the items it defines).
    ``depth`` 1 is the field asked about; each further step back or on adds one.
    """

    program: str
    direction: Direction
    depth: int
    item: str
    statement: str
    verb: str | None
    paragraph: str | None
    file: str | None
    line: int | None
    via: list[str]


_LINEAGE_PROGRAMS = (
    "SELECT DISTINCT program FROM dataflow WHERE " + _ITEM_MATCHES
    + " AND ($2::VARCHAR IS NULL OR program = $2) ORDER BY program"
)
_PROGRAM_FLOW = """
SELECT d.*, s.verb, s.paragraph, coalesce(s.file, d.file) AS stmt_file,
       coalesce(s.line, d.line) AS stmt_line, s."column" AS stmt_column
FROM dataflow d
LEFT JOIN statements s ON s.member = d.member AND s.program = d.program AND s.id = d.statement
WHERE d.program = $1
ORDER BY d.statement, d.item, d.access"""
_ITEM_DEFINED = """
SELECT count(*) FROM data_items
WHERE upper(name) = $1 AND ($2::VARCHAR IS NULL OR program = $2)"""


def lineage(
    store: Store, field: str, *, program: str | None = None, max_depth: int = 100
) -> list[LineageStep]:
    """The backward and forward lineage of ``field`` in every program (or ``program``).

    An empty list means the field is declared but no stored statement reads or writes it (or the
    ``dataflow`` table is still empty). A field no program declares or uses raises
    :class:`StoreError`, as does an unknown ``program``.
    """
    name = _check_program(store, program)
    want = field.upper()
    programs = [r["program"] for r in R.iter_rows(store, _LINEAGE_PROGRAMS, [want, name])]
    if not programs:
        row = store.con.execute(_ITEM_DEFINED, [want, name]).fetchone()
        if not row or not row[0]:
            where = f" in program {name}" if name else " in the store"
            raise StoreError(f"no data item {field}{where}")
        return []
    steps: list[LineageStep] = []
    for prog in programs:
        steps.extend(_program_lineage(store, prog, want, max_depth))
    return steps


def _containers(item: str) -> set[str]:
    """The groups a qualified item lies in.

    >>> sorted(_containers("A OF B OF C"))
    ['B OF C', 'C']
    """
    parts = item.split(" OF ")
    return {" OF ".join(parts[i:]) for i in range(1, len(parts))}


def _overlap(a: str, b: str) -> bool:
    """Whether one item is the other or lies inside it (they share storage)."""
    return a == b or a in _containers(b) or b in _containers(a)


def _outermost(items: set[str]) -> list[str]:
    """``items`` without those inside another of them (``A OF G`` goes when ``G`` is there):
    a statement touching a group touches everything in it, and the group says it once.

    >>> _outermost({"G", "A OF G", "B OF C OF G", "X"})
    ['G', 'X']
    """
    return sorted(item for item in items if not _containers(item) & items)


def _program_lineage(store: Store, program: str, field: str, max_depth: int) -> list[LineageStep]:
    defs: dict[str, set[str]] = defaultdict(set)  # item → statements defining it
    uses: dict[str, set[str]] = defaultdict(set)  # item → statements reading it
    reads: dict[str, set[str]] = defaultdict(set)  # statement → items read
    writes: dict[str, set[str]] = defaultdict(set)  # statement → items defined
    info: dict[str, Row] = {}
    for r in R.iter_rows(store, _PROGRAM_FLOW, [program]):
        info.setdefault(r["statement"], r)
        # Every access says which items' bytes a statement touches; a statement's sources and
        # targets are its direct operands when the store tells them from aliases (``via``).
        direct = r.get("via") != "alias"
        if r["access"] == "def":
            defs[r["item"]].add(r["statement"])
            if direct:
                writes[r["statement"]].add(r["item"])
        else:
            uses[r["item"]].add(r["statement"])
            if direct:
                reads[r["statement"]].add(r["item"])
    start = sorted(i for i in set(defs) | set(uses) if item_matches(i, field))
    steps: list[LineageStep] = []
    plan: list[tuple[Direction, dict[str, set[str]], dict[str, set[str]]]] = [
        ("backward", defs, reads),
        ("forward", uses, writes),
    ]
    for direction, by_item, onward in plan:
        seen_items = set(start)
        seen_steps: set[tuple[str, str]] = set()
        todo = deque((item, 1) for item in start)
        while todo:
            item, depth = todo.popleft()
            for statement in sorted(by_item.get(item, ())):
                if (statement, item) in seen_steps:
                    continue
                seen_steps.add((statement, item))
                via = _outermost({v for v in onward.get(statement, ()) if not _overlap(v, item)})
                r = info[statement]
                steps.append(
                    LineageStep(
                        program=program, direction=direction,
                        depth=depth, item=item, statement=statement, verb=r["verb"],
                        paragraph=r["paragraph"], file=r["stmt_file"], line=r["stmt_line"],
                        via=via,
                    )
                )
                if depth < max_depth:
                    for nxt in via:
                        if nxt not in seen_items and not _containers(nxt) & seen_items:
                            seen_items.add(nxt)
                            todo.append((nxt, depth + 1))
    order = {"backward": 0, "forward": 1}
    return sorted(
        steps,
        key=lambda s: (order[s.direction], s.depth, s.file or "", s.line or 0,
                       info[s.statement]["stmt_column"] or 0, s.statement, s.item),
    )


# -- impact -------------------------------------------------------------------------------------


class ImpactEntry(_Model):
    """Something affected by a change: a ``program``, ``job`` or ``transaction``.

    ``relation`` is ``direct`` (it uses what changes) or ``indirect`` (through a call, or a job
    step or transaction running an affected program); ``reason`` says how, and ``file``/``line``
    show the place that makes it so.
    """

    kind: Kind
    name: str
    relation: Relation
    reason: str
    file: str | None
    line: int | None


class Impact(_Model):
    """What changing ``target`` (a member path, name, PROGRAM-ID or dataset) affects."""

    target: str
    target_kind: str
    entries: list[ImpactEntry]


_MEMBERS = "SELECT path, name, kind FROM members ORDER BY path"
_PROGRAMS = "SELECT member, program, file, line FROM programs ORDER BY member, program"
_COPY_USERS = """
SELECT DISTINCT p.program, u.name, u.file, u.line, u.member
FROM copybook_uses u JOIN programs p ON p.member = u.member
WHERE ($1::VARCHAR IS NOT NULL AND u.resolved = $1)
   OR ($1::VARCHAR IS NULL AND upper(u.name) = $2)
ORDER BY p.program, u.member, u.file, u.line"""
_COPY_NAMED = "SELECT count(*) FROM copybook_uses WHERE upper(name) = $1"
_DATASET_NAMED = """
SELECT (SELECT count(*) FROM datasets
        WHERE upper(dataset) = $1 OR starts_with(upper(dataset), $1 || '('))
     + (SELECT count(*) FROM jcl_dds
        WHERE upper(dataset) = $1 OR starts_with(upper(dataset), $1 || '('))"""
_MAP_USERS = """
SELECT DISTINCT c.program, c.command, c.target, c.file, c.line
FROM cics_commands c
WHERE c.command IN ('SEND MAP', 'RECEIVE MAP')
  AND (regexp_matches(upper(coalesce(c.options, '')), 'MAPSET\\s*\\(\\s*[''"]?' || $1 || '\\b')
       OR upper(c.target) IN (SELECT upper(map) FROM screen_fields WHERE upper(mapset) = $1))
ORDER BY c.program, c.file, c.line"""
_JOBS_OF_MEMBER = "SELECT job, file, line FROM jcl_jobs WHERE member = $1 ORDER BY job"
_STEPS = "SELECT * FROM jcl_steps ORDER BY job, seq, step"
_DDS_OF_DATASET = """
SELECT * FROM jcl_dds WHERE upper(dataset) = $1 OR starts_with(upper(dataset), $1 || '(')
ORDER BY job, step, file, line, dd"""
_PROGRAM_FILES = "SELECT * FROM program_files ORDER BY program, file, line"
_CALLS = """
SELECT caller, callee, kind, file, line FROM calls WHERE callee IS NOT NULL
ORDER BY callee, caller, file, line, kind"""
_TRANSACTIONS = "SELECT transid, program, file, line FROM transactions ORDER BY transid"


class _Found:
    """Entries collected so far: the first reason found for each thing is kept."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], ImpactEntry] = {}

    def add(self, kind: Kind, name: str, relation: Relation, reason: str,
            file: str | None, line: int | None) -> bool:
        key = (kind, name)
        if key in self.entries:
            return False
        self.entries[key] = ImpactEntry(kind=kind, name=name, relation=relation,
                                        reason=reason, file=file, line=line)
        return True


def _resolve(store: Store, target: str) -> tuple[str, list[Row]]:
    """What ``target`` names: (kind, matching members), kind ``dataset``/``copybook`` when it
    is a dataset or a copybook absent from the dump, ``program`` for a PROGRAM-ID."""
    members = list(R.iter_rows(store, _MEMBERS))
    clean = target.replace("\\", "/").strip()
    exact = [m for m in members if m["path"] == clean]
    if not exact:
        suffix = [m for m in members if clean.endswith("/" + m["path"])]
        exact = sorted(suffix, key=lambda m: -len(m["path"]))[:1]
    if exact:
        return exact[0]["kind"], exact
    named = [m for m in members if m["name"] == clean.upper()]
    if len({m["kind"] for m in named}) > 1:
        named = [m for m in named if m["kind"] != "other"] or named
    if named:
        kinds = sorted({m["kind"] for m in named})
        return kinds[0] if len(kinds) == 1 else "member", named
    upper = clean.upper()
    if any(r["program"] == upper for r in R.iter_rows(store, _PROGRAMS)):
        return "program", []
    row = store.con.execute(_COPY_NAMED, [upper]).fetchone()
    if row and row[0]:
        return "copybook", []
    row = store.con.execute(_DATASET_NAMED, [upper]).fetchone()
    if row and row[0]:
        return "dataset", []
    raise StoreError(
        f"nothing named {target} in the store (not a member path or name, PROGRAM-ID or dataset)"
    )


def impact(store: Store, target: str) -> Impact:
    """The programs, jobs and transactions affected by changing ``target``.

    ``target`` is a member path (relative to the dump root, or ending with it), a member name,
    a PROGRAM-ID, a copybook name or a dataset name. Raises :class:`StoreError` when the store
    knows nothing by that name.
    """
    kind, members = _resolve(store, target)
    found = _Found()
    programs = list(R.iter_rows(store, _PROGRAMS))
    steps = list(R.iter_rows(store, _STEPS))
    upper = target.strip().upper()
    if kind == "program" and not members:
        for p in programs:
            if p["program"] == upper:
                found.add("program", p["program"], "direct", "is the program changed",
                          p["file"], p["line"])
    for m in members:
        _direct(store, m, programs, steps, found)
    if kind == "copybook" and not members:
        _copy_users(store, None, upper, found)
    if kind == "dataset":
        _dataset_users(store, upper, steps, found)
    _callers(store, found)
    _runners(store, steps, found)
    order = {"program": 0, "job": 1, "transaction": 2}
    entries = sorted(found.entries.values(),
                     key=lambda e: (order[e.kind], e.relation != "direct", e.name))
    label = members[0]["path"] if len(members) == 1 else target
    return Impact(target=label, target_kind=kind, entries=entries)


def _direct(store: Store, member: Row, programs: list[Row], steps: list[Row],
            found: _Found) -> None:
    kind, path, name = member["kind"], member["path"], member["name"]
    if kind == "program":
        for p in programs:
            if p["member"] == path:
                found.add("program", p["program"], "direct", f"is defined in {path}",
                          p["file"], p["line"])
    elif kind in ("copybook", "dclgen"):
        _copy_users(store, path, name, found)
    elif kind == "bms":
        _copy_users(store, None, name, found, what="copies the symbolic map")
        for r in R.iter_rows(store, _MAP_USERS, [name]):
            found.add("program", r["program"], "direct",
                      f"{r['command']} {r['target']} of mapset {name}", r["file"], r["line"])
    elif kind == "jcl":
        for r in R.iter_rows(store, _JOBS_OF_MEMBER, [path]):
            found.add("job", r["job"], "direct", f"is defined in {path}", r["file"], r["line"])
    elif kind == "proc":
        for s in steps:
            if (s["proc"] or "").upper() == name:
                found.add("job", s["job"], "direct", f"step {s['step']} runs PROC {name}",
                          s["file"], s["line"])


def _copy_users(store: Store, path: str | None, name: str, found: _Found,
                what: str = "copies") -> None:
    for r in R.iter_rows(store, _COPY_USERS, [path, name.upper()]):
        found.add("program", r["program"], "direct", f"{what} {r['name']}", r["file"], r["line"])


def _dataset_users(store: Store, dataset: str, steps: list[Row], found: _Found) -> None:
    runs: dict[tuple[str, str, str], Row] = {}
    for s in steps:
        runs.setdefault((s["member"], s["job"], s["step"]), s)
        if s["proc_step"]:
            runs.setdefault((s["member"], s["job"], f"{s['step']}.{s['proc_step']}"), s)
    files: dict[str, list[Row]] = defaultdict(list)
    for f in R.iter_rows(store, _PROGRAM_FILES):
        files[f["program"]].append(f)
    for d in R.iter_rows(store, _DDS_OF_DATASET, [dataset]):
        disp = f" DISP={d['disp']}" if d["disp"] else ""
        found.add("job", d["job"], "direct", f"step {d['step']} DD {d['dd']}{disp}",
                  d["file"], d["line"])
        step = runs.get((d["member"], d["job"], d["step"]))
        program = step_program(step) if step else None
        if program is None:
            continue
        for f in files.get(program, []):
            if dd_name(f["assign"]) == d["dd"].upper():
                found.add("program", program, "direct",
                          f"file {f['file_name']} is DD {d['dd']} in job {d['job']} "
                          f"step {d['step']}", f["file"], f["line"])


def _callers(store: Store, found: _Found) -> None:
    """Add every program that reaches an affected program through CALL/LINK/XCTL/LOAD."""
    callers: dict[str, list[Row]] = defaultdict(list)
    for r in R.iter_rows(store, _CALLS):
        if r["kind"] in TRANSFER_KINDS:
            callers[r["callee"]].append(r)
    todo = deque(name for (kind, name) in list(found.entries) if kind == "program")
    while todo:
        callee = todo.popleft()
        for r in callers.get(callee, []):
            if found.add("program", r["caller"], "indirect", f"{r['kind']} {callee}",
                         r["file"], r["line"]):
                todo.append(r["caller"])


def _runners(store: Store, steps: Iterable[Row], found: _Found) -> None:
    """Add the jobs and transactions that run an affected program."""
    affected = {name for (kind, name) in found.entries if kind == "program"}
    for s in steps:
        program = step_program(s)
        if program in affected:
            found.add("job", s["job"], "indirect", f"step {s['step']} runs {program}",
                      s["file"], s["line"])
    for t in R.iter_rows(store, _TRANSACTIONS):
        if t["program"] in affected:
            found.add("transaction", t["transid"], "indirect", f"runs {t['program']}",
                      t["file"], t["line"])
