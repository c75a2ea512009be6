"""Field lineage: where a data item's values come from and where they go.

:func:`lineage` follows values backwards from an item to where they enter the program;
:func:`forward_lineage` follows them forwards to where they leave it. Both go from definition
to use along the reaching definitions (:mod:`cobolspec.analysis.reaching`) and, inside a
statement, along its flows (:class:`~cobolspec.analysis.dataflow.Flow`). A byte-for-byte copy
(a group MOVE, READ INTO, WRITE FROM) keeps track of a field: the part of the target at the
field's position is followed on, not the whole target. Conditions are not data flow: a value
tested by IF does not flow into what the IF's branches write. A group's initial value is
followed only for the fields of the group that still hold theirs.

Each end point (:class:`~cobolspec.analysis.dataflow.Endpoint`) comes with one shortest chain of
statement IDs, in the order the data moves: for a backward lineage from the statement where
the value enters the program (the start node ``PGM:(START)`` for an initial value) to the last
statement that writes the item; for a forward lineage from the first statement that writes or
reads the item to the one where the value leaves.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cobolspec.analysis.dataflow import (
    ALIAS,
    CICS,
    DEF,
    LINKAGE,
    LITERAL,
    REGISTER,
    RETURN_CODE,
    SQL,
    UNINITIALIZED,
    USE,
    VALUE,
    Access,
    DataFlow,
    Endpoint,
    StatementFacts,
    analyze,
    item_name,
)
from cobolspec.analysis.reaching import reaching_definitions
from cobolspec.analysis.symbols import (
    CICS_CONSTANT,
    EIB_AREA,
    INDEX_NAME,
    SPECIAL_REGISTER,
    SQLCA_AREA,
)
from cobolspec.model import ast as A

__all__ = [
    "Lineage",
    "Step",
    "forward_lineage",
    "lineage",
]

BACKWARD, FORWARD = "backward", "forward"
_S = TypeVar("_S", bound=tuple[Any, ...])


# --------------------------------------------------------------------------- lineage


@dataclass(frozen=True, slots=True)
class Step:
    """One move of a value: at ``statement``, ``target`` received (something of) ``source``.
    Items are named by qualified name, outside ends as :class:`Endpoint` text."""

    statement: str
    source: str
    target: str
    via: str


@dataclass(slots=True)
class Lineage:
    """Where an item's values come from (``backward``) or go to (``forward``): each end point
    with a chain of statement IDs in data order, and every step found."""

    program: str
    item: str
    direction: str
    ends: dict[Endpoint, tuple[str, ...]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    items: set[str] = field(default_factory=set)  # every item the values pass through

    def endpoints(self, kind: str | None = None) -> list[Endpoint]:
        """The end points (of one kind), sorted."""
        found = [e for e in self.ends if kind is None or e.kind == kind]
        return sorted(found, key=lambda e: (e.kind, e.name, e.field or "", e.detail or ""))

    def chain(self, end: Endpoint) -> tuple[str, ...]:
        return self.ends[end]



def _resolve(flow: DataFlow, item: str | A.Ident) -> str:
    table = flow.symbols
    ref = table.resolve(item) if isinstance(item, A.Ident) else table.resolve_text(item)
    if ref is None:
        raise KeyError(f"no data item {item} in program {flow.program.name}")
    return item_name(ref.item)


def _accesses(facts: StatementFacts, item: str, access: str) -> list[Access]:
    return [a for a in facts.accesses if a.item == item and a.access == access]


def _initial(flow: DataFlow, name: str) -> Endpoint:
    """Where the value an item starts with comes from."""
    item = flow.items.get(name)
    if item is None:
        return Endpoint(UNINITIALIZED, name)
    supplied = {SPECIAL_REGISTER: REGISTER, SQLCA_AREA: SQL, EIB_AREA: CICS,
                CICS_CONSTANT: VALUE, INDEX_NAME: UNINITIALIZED}
    if item.section in supplied:
        kind = supplied[item.section]
        label = {SQL: "SQLCA", CICS: "EIB"}.get(kind, name)
        return Endpoint(kind, label, field=name if label != name else None)
    top = item
    while top.parent is not None:
        top = top.parent
    if item.section == "LINKAGE":
        return Endpoint(LINKAGE, name)
    values = _values(item)
    if values:
        return Endpoint(VALUE, name, detail=" ".join(values[:4]))
    return Endpoint(UNINITIALIZED, name)


def _leaves(item: A.DataItem) -> Iterator[A.DataItem]:
    """The elementary items under ``item`` that own its bytes (no 66, no REDEFINES)."""
    stack = [item]
    while stack:
        node = stack.pop()
        parts = [c for c in node.children if c.level not in (66, 88) and not c.redefines]
        if not parts:
            yield node
        stack.extend(reversed(parts))


def _values(item: A.DataItem) -> list[str]:
    node: A.DataItem | None = item
    while node is not None:  # a VALUE on a group above covers the item
        if node.value:
            return list(node.value)
        node = node.parent
    out: list[str] = []
    stack = list(reversed(item.children))
    while stack:
        child = stack.pop()
        out.extend(child.value)
        stack.extend(reversed(child.children))
    return out


class _Tracer:
    def __init__(self, program: A.Program) -> None:
        self.flow = analyze(program)
        self.rd = reaching_definitions(program)
        self.table = self.flow.symbols
        self._covered: dict[tuple[str, str], bool] = {}

    def facts(self, node: str) -> StatementFacts | None:
        return self.rd.facts.get(node)

    def reaching(self, node: str, name: str) -> list[tuple[str, str]]:
        """The definitions of ``name`` reaching ``node``, as (statement, item). A group's value
        at the start is not undone by writing its fields one by one, so the start definition
        of a group stands for those of its fields still holding their first value (and for
        the group itself only when it has unnamed parts, FILLER, that nothing else writes)."""
        found = sorted(self.rd.reaching(node, name))
        item = self.flow.items.get(name)
        if self.rd.start not in found or item is None or not item.is_group:
            return [(d, name) for d in found]
        out = [(d, name) for d in found if d != self.rd.start]
        leaves = [i for i in _leaves(item) if i is not item]
        named = [i for i in leaves if item_name(i) in self.flow.items and i.name
                 and i.name.upper() != "FILLER"]
        if len(named) < len(leaves) or not named:
            out.append((self.rd.start, name))
        for leaf in named:
            if self.rd.start in self.rd.reaching(node, item_name(leaf)):
                out.append((self.rd.start, item_name(leaf)))
        return out

    def narrow(self, whole: str, part: str, other: str) -> list[str]:
        """The items of ``other`` where ``part`` of ``whole`` is copied to or from."""
        items = self.flow.items
        if whole == part or whole not in items or part not in items or other not in items:
            return [other]
        return [item_name(i) for i in
                self.table.counterpart(items[whole], items[part], items[other])]

    def covered(self, access: Access) -> bool:
        """Whether an alias access is of a part of the item the statement names (not of a
        group above it, nor of an item only partly overlapping it)."""
        if access.through is None:
            return False
        key = (access.item, access.through)
        if key not in self._covered:
            items = self.flow.items
            whole, part = items.get(access.through), items.get(access.item)
            self._covered[key] = whole is not None and part is not None and any(
                other is part and inside for other, inside in self.table.aliases(whole))
        return self._covered[key]


def lineage(program: A.Program, item: str | A.Ident, at: str | None = None) -> Lineage:
    """Where the values of ``item`` come from: at statement ``at`` (the definitions reaching
    it), or, without ``at``, wherever the item is read (every definition when it never is).

    End points: literals, VALUE clauses, files read, DB2 columns, CICS (maps received, files,
    RESP, the EIB, COMMAREA from a LINK), the caller's data (LINKAGE), ACCEPT, functions such as
    CURRENT-DATE, called programs, and storage never written (``uninitialized``).
    """
    tr = _Tracer(program)
    name = _resolve(tr.flow, item)
    result = Lineage(program.name, name, BACKWARD)
    roots: set[tuple[str, str]] = set()
    if at is not None:
        roots = set(tr.reaching(at, name))
    else:
        for node, facts in tr.rd.facts.items():
            if any(a.item == name for a in facts.uses):
                roots |= set(tr.reaching(node, name))
        if not roots:
            roots = {(node, name) for node, facts in tr.rd.facts.items()
                     if _accesses(facts, name, DEF)}
    parent: dict[tuple[str, str], tuple[str, str] | None] = dict.fromkeys(sorted(roots))
    queue = deque(sorted(roots))
    while queue:
        node, cur = queue.popleft()
        for nxt, end, step in _backward_steps(tr, node, cur):
            result.steps.append(step)
            result.items.add(cur)
            if end is not None:
                if end not in result.ends:
                    result.ends[end] = _chain(parent, (node, cur), lambda s: s[0], False)
            elif nxt is not None and nxt not in parent:
                parent[nxt] = (node, cur)
                queue.append(nxt)
    return result


def _backward_steps(
    tr: _Tracer, node: str, cur: str
) -> Iterator[tuple[tuple[str, str] | None, Endpoint | None, Step]]:
    """From the definition of ``cur`` at ``node``: the definitions its sources come from, or
    the outside end points."""
    if node == tr.rd.start:
        end = _initial(tr.flow, cur)
        yield None, end, Step(node, str(end), cur, "initial")
        return
    facts = tr.facts(node)
    if facts is None:
        return
    for a in _accesses(facts, cur, DEF):
        written = a.through if a.via == ALIAS and a.through else cur
        part_of_written = a.via == ALIAS and tr.covered(a)
        for i, f in enumerate(facts.flows):
            if f.target.kind != "item" or f.target.name != written:
                continue
            before = {g.target.name for g in facts.flows[:i] if g.target.kind == "item"}
            for src in f.sources:
                if src.kind != "item":
                    fld = cur if part_of_written else (written if written != cur else None)
                    fld = None if src.kind == LITERAL else fld
                    end = Endpoint(src.kind, src.name, src.field or fld, src.detail)
                    yield None, end, Step(node, str(end), cur, f.via)
                    continue
                names = [src.name]
                if f.copy and part_of_written:
                    names = tr.narrow(written, cur, src.name)
                for source in names:
                    step = Step(node, source, cur, f.via)
                    if _within(tr, source, before):  # written earlier in this statement
                        yield (node, source), None, step
                        continue
                    reached = tr.reaching(node, source)
                    if not reached:
                        yield None, None, step
                    for d in reached:
                        yield d, None, step


def forward_lineage(program: A.Program, item: str | A.Ident, at: str | None = None) -> Lineage:
    """Where the values of ``item`` go: from statement ``at`` (the value it writes there, or
    the value it reads there), or, without ``at``, from every statement writing or reading the
    item.

    End points: files written, DB2 (host variables given to SQL), CICS (SEND MAP, COMMAREA of
    XCTL/RETURN/LINK, files written), DISPLAY, CALL USING, items of the LINKAGE SECTION (back to
    the caller) and RETURN-CODE.
    """
    tr = _Tracer(program)
    name = _resolve(tr.flow, item)
    result = Lineage(program.name, name, FORWARD)
    roots: list[tuple[str, str, str]] = []  # (kind "def"|"use", node, item)
    for node, facts in tr.rd.facts.items():
        if at is not None and node != at:
            continue
        if _accesses(facts, name, DEF):
            roots.append((DEF, node, name))
            if at is not None:
                continue
        if _accesses(facts, name, USE):
            roots.append((USE, node, name))
    parent: dict[tuple[str, str, str], tuple[str, str, str] | None] = dict.fromkeys(roots)
    queue = deque(roots)
    while queue:
        state = queue.popleft()
        for nxt, end, step in _forward_steps(tr, *state):
            result.steps.append(step)
            result.items.add(state[2])
            if end is not None:
                if end not in result.ends:
                    result.ends[end] = _chain(parent, state, lambda s: s[1], True)
            elif nxt is not None and nxt not in parent:
                parent[nxt] = state
                queue.append(nxt)
    return result


def _forward_steps(
    tr: _Tracer, kind: str, node: str, cur: str
) -> Iterator[tuple[tuple[str, str, str] | None, Endpoint | None, Step]]:
    facts = tr.facts(node)
    if facts is None:
        return
    if kind == DEF:
        item = tr.flow.items.get(cur)
        if item is not None and (item.section == "LINKAGE" or item.name == "RETURN-CODE"):
            end = Endpoint(RETURN_CODE if item.name == "RETURN-CODE" else LINKAGE, cur)
            yield None, end, Step(node, cur, str(end), "written")
        for use_node, used in tr.rd.reached_uses(node, cur):
            yield (USE, use_node, used), None, Step(use_node, cur, used, "reaches")
        yield from _later_in_statement(tr, facts, node, cur)
        return
    for a in _accesses(facts, cur, USE):
        read = a.through if a.via == ALIAS and a.through else cur
        part_of_read = a.via == ALIAS and tr.covered(a)
        for f in facts.flows:
            if not any(s.kind == "item" and s.name == read for s in f.sources):
                continue
            if f.target.kind != "item":
                fld = cur if part_of_read else None
                if fld is not None and f.copy:  # WRITE FROM: name the record's own field
                    record = next((g.target.name for g in facts.flows if g.copy
                                   and g.target.kind == "item" and g.sources == f.sources), None)
                    if record is not None:
                        fld = next(iter(tr.narrow(read, cur, record)), fld)
                        fld = cur if fld == record else fld
                end = Endpoint(f.target.kind, f.target.name, f.target.field or fld,
                               f.target.detail)
                yield None, end, Step(node, cur, str(end), f.via)
                continue
            targets = [f.target.name]
            if f.copy and part_of_read:
                targets = tr.narrow(read, cur, f.target.name)
            for target in targets:
                yield (DEF, node, target), None, Step(node, cur, target, f.via)


def _within(tr: _Tracer, name: str, written: set[str]) -> bool:
    """Whether item ``name`` is one of ``written`` or lies inside one of them."""
    if name in written:
        return True
    item = tr.flow.items.get(name)
    node = item.parent if item is not None else None
    while node is not None:
        if item_name(node) in written:
            return True
        node = node.parent
    return False


def _later_in_statement(
    tr: _Tracer, facts: StatementFacts, node: str, cur: str
) -> Iterator[tuple[tuple[str, str, str] | None, Endpoint | None, Step]]:
    """A statement's later flows that read what an earlier one of its flows wrote (READ INTO
    takes the record it has just read)."""
    written_at: int | None = None
    for i, f in enumerate(facts.flows):
        if f.target.kind == "item" and written_at is None and _within(tr, cur, {f.target.name}):
            written_at = i
            whole = f.target.name
            continue
        if written_at is None:
            continue
        if not any(s.kind == "item" and s.name == whole for s in f.sources):
            continue
        if f.target.kind != "item":
            continue
        targets = [f.target.name]
        if f.copy and whole != cur:
            targets = tr.narrow(whole, cur, f.target.name)
        for target in targets:
            yield (DEF, node, target), None, Step(node, cur, target, f.via)


def _chain(
    parent: Mapping[_S, _S | None], state: _S, node_of: Callable[[_S], str], reverse: bool
) -> tuple[str, ...]:
    """Statement IDs from ``state`` back to its root (from the root, when ``reverse``), a
    statement repeated in a row written once."""
    out: list[str] = []
    cur: _S | None = state
    while cur is not None:
        node = node_of(cur)
        if not out or out[-1] != node:
            out.append(node)
        cur = parent.get(cur)
    if reverse:
        out.reverse()
    return tuple(out)
