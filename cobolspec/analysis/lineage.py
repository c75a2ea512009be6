"""Reaching definitions and field lineage, along the program's control flow.

:func:`reaching_definitions` runs the classic forward "may" analysis over the statement-level
flow model of :mod:`cobolspec.analysis.cfg_statements` (the one
:func:`cobolspec.analysis.cfg.statement_cfg` is drawn from), with PERFORMs matched to their
returns (see :class:`_PerformAware`). A definition of an item reaches a statement when some
path leads from it to the statement without a definition that replaces the whole item (partial
definitions — a subscripted element, a group above the field written, STRING, a BY REFERENCE
argument — let earlier ones live on). Every item also has a definition at the program's start
node (``PGM:(START)``): the VALUE it starts with, the caller's data for LINKAGE, nothing for the
rest. Aliasing comes from :mod:`cobolspec.analysis.dataflow`: writing a group defines its
fields, writing a field partly defines its groups, REDEFINES and RENAMES share bytes. Along the
ON SIZE ERROR arm of an arithmetic statement its receiving items keep their old values.

:func:`lineage` follows values backwards from an item to where they come from;
:func:`forward_lineage` follows them forwards to where they leave the program. Both go from
definition to use along the reaching definitions and, inside a statement, along its flows
(:class:`~cobolspec.analysis.dataflow.Flow`). A byte-for-byte copy (a group MOVE, READ INTO,
WRITE FROM) keeps track of a field: the part of the target at the field's position is followed
on, not the whole target. Conditions are not data flow: a value tested by IF does not flow into
what the IF's branches write.

Each end point (:class:`~cobolspec.analysis.dataflow.Endpoint`) comes with one shortest chain of
statement IDs, in the order the data moves: for a backward lineage from the statement where
the value enters the program (the start node for an initial value) to the last statement that
writes the item; for a forward lineage from the first statement that reads the item to the one
where the value leaves.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

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
    "ReachingDefinitions",
    "Step",
    "forward_lineage",
    "lineage",
    "reaching_definitions",
]

BACKWARD, FORWARD = "backward", "forward"
_S = TypeVar("_S", bound=tuple[Any, ...])


# --------------------------------------------------------------------------- the model


def _control_flow(program: A.Program) -> tuple[nx.DiGraph, Any]:
    """The statement CFG and the flow model it is made from (None where the control-flow
    module is absent: then a sequential stand-in graph)."""
    try:
        from cobolspec.analysis.cfg_statements import Flow, statement_graph
    except ImportError:  # pragma: no cover - only without the control-flow module
        return _sequential_graph(program), None
    model = Flow(program)
    return statement_graph(model), model


def _sequential_graph(program: A.Program) -> nx.DiGraph:  # pragma: no cover
    """A coarse stand-in for the statement CFG: the statements of each paragraph in order,
    falling through to the next paragraph, an out-of-line PERFORM also going to the first
    statement of its target, whose last statement goes back to the one after the PERFORM."""
    g: nx.DiGraph = nx.DiGraph()
    start, end = f"{program.name}:(START)", f"{program.name}:(END)"
    g.add_node(start, stmt=None, paragraph=None)
    g.add_node(end, stmt=None, paragraph=None)
    flow = analyze(program)
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    prev = start
    order: list[StatementFacts] = []
    if program.procedure is not None:
        wanted = {id(f.statement): f for f in flow.statements}
        for para in program.procedure.paragraphs:
            for st in para.statements:
                for node in st.walk():
                    facts = wanted.get(id(node))
                    if facts is None:
                        continue
                    g.add_node(facts.id, stmt=node, paragraph=para.name)
                    g.add_edge(prev, facts.id, kind="next")
                    prev = facts.id
                    order.append(facts)
                    if para.name:
                        first.setdefault(para.name.upper(), facts.id)
                        last[para.name.upper()] = facts.id
    g.add_edge(prev, end, kind="exit")
    for i, facts in enumerate(order):
        st = facts.statement
        if isinstance(st, A.PerformStmt) and st.target:
            head = first.get(st.target.upper())
            tail = last.get((st.thru or st.target).upper())
            after = order[i + 1].id if i + 1 < len(order) else end
            if head and tail:
                g.add_edge(facts.id, head, kind="perform")
                g.add_edge(tail, after, kind="return")
    return g


# --------------------------------------------------------------------------- reaching defs


@dataclass(frozen=True, slots=True)
class _Def:
    node: str
    item: str


Range = tuple[int, int]  # first and last paragraph of a PERFORM range
Pair = tuple[int, int]  # a gen/kill function: X -> gen | (X & ~kill)


class ReachingDefinitions:
    """Reaching definitions of one program (see the module docstring).

    Definitions are named by the ID of the statement making them (the start node for the
    values items begin with) and the item's qualified name. ``graph`` is the statement CFG.
    """

    def __init__(self, flow: DataFlow, graph: nx.DiGraph, model: Any = None) -> None:
        self.flow = flow
        self.graph = graph
        self.start = f"{flow.program.name}:(START)"
        self.facts: dict[str, StatementFacts] = {}
        by_stmt = {id(f.statement): f for f in flow.statements}
        for node, stmt in graph.nodes(data="stmt"):
            if stmt is not None and id(stmt) in by_stmt:
                self.facts[node] = by_stmt[id(stmt)]
        self.defs: list[_Def] = []
        self._mask: dict[str, int] = {}
        self._gen: dict[str, int] = {}
        self._kill: dict[str, int] = {}
        items = sorted({a.item for f in self.facts.values() for a in f.accesses})
        self._gen[self.start] = self._add_defs(self.start, items)
        whole: dict[str, list[str]] = {}
        for node, facts in self.facts.items():
            defined: dict[str, bool] = {}
            for a in facts.defs:
                defined[a.item] = defined.get(a.item, False) or not a.partial
            self._gen[node] = self._add_defs(node, list(defined))
            whole[node] = [item for item, entire in defined.items() if entire]
        for node, names in whole.items():  # every definition is known now
            kill = 0
            for item in names:
                kill |= self._mask[item]
            self._kill[node] = kill
        if model is not None:
            self.reach_in_bits = _PerformAware(model, self._gen, self._kill,
                                               self._gen[self.start]).solve()
        else:  # pragma: no cover - only without the control-flow module
            self.reach_in_bits = self._solve_graph()
        self._uses: dict[int, list[tuple[str, str]]] | None = None
        self._index: dict[tuple[str, str], int] = {}

    def _add_defs(self, node: str, items: Iterable[str]) -> int:
        bits = 0
        for item in items:
            index = len(self.defs)
            self.defs.append(_Def(node, item))
            self._mask[item] = self._mask.get(item, 0) | (1 << index)
            bits |= 1 << index
        return bits

    def _solve_graph(self) -> dict[str, int]:  # pragma: no cover - the stand-in graph only
        """Plain reaching definitions over the graph's edges (no PERFORM matching)."""
        g = self.graph
        order = list(nx.dfs_preorder_nodes(g, self.start)) if self.start in g else []
        seen = set(order)
        order += [n for n in g.nodes if n not in seen]
        reach_in = dict.fromkeys(order, 0)
        out = {n: self._gen.get(n, 0) for n in order}
        work = deque(order)
        queued = set(order)
        while work:
            n = work.popleft()
            queued.discard(n)
            bits = 0
            for p in g.predecessors(n):
                bits |= out[p]
            reach_in[n] = bits
            new = self._gen.get(n, 0) | (bits & ~self._kill.get(n, 0))
            if new != out[n]:
                out[n] = new
                for succ in g.successors(n):
                    if succ not in queued:
                        queued.add(succ)
                        work.append(succ)
        return reach_in

    def _decode(self, bits: int) -> Iterator[_Def]:
        while bits:
            low = bits & -bits
            yield self.defs[low.bit_length() - 1]
            bits ^= low

    def reaching(self, statement: str, item: str) -> set[str]:
        """IDs of the statements whose definition of ``item`` reaches ``statement`` (the start
        node stands for the value the item starts with)."""
        bits = self.reach_in_bits.get(statement, 0) & self._mask.get(item, 0)
        return {d.node for d in self._decode(bits)}

    def reach_in(self, statement: str) -> dict[str, set[str]]:
        """Every item with a definition reaching ``statement``, and where those are made."""
        out: dict[str, set[str]] = {}
        for d in self._decode(self.reach_in_bits.get(statement, 0)):
            out.setdefault(d.item, set()).add(d.node)
        return out

    def uses_of(self, statement: str, item: str) -> set[str]:
        """IDs of the statements using ``item`` (or an item sharing its bytes) that the
        definition of ``item`` at ``statement`` reaches."""
        return {node for node, _ in self.reached_uses(statement, item)}

    def reached_uses(self, statement: str, item: str) -> list[tuple[str, str]]:
        """(statement, item) of the uses the definition of ``item`` at ``statement`` reaches."""
        if self._uses is None:
            self._uses = {}
            self._index = {(d.node, d.item): i for i, d in enumerate(self.defs)}
            for node, facts in self.facts.items():
                bits_in = self.reach_in_bits.get(node, 0)
                for a in facts.uses:
                    for d in self._decode(bits_in & self._mask.get(a.item, 0)):
                        key = self._index[(d.node, d.item)]
                        self._uses.setdefault(key, []).append((node, a.item))
        i = self._index.get((statement, item))
        return list(dict.fromkeys(self._uses.get(i, []))) if i is not None else []


class _PerformAware:
    """Reaching definitions on the flow model of :mod:`cobolspec.analysis.cfg_statements`,
    matching every out-of-line PERFORM (and SORT procedure) with its own return.

    The statement CFG lets the end of a performed paragraph return to every PERFORM of it and
    fall through as well; following those edges blindly carries definitions along paths no run
    takes. Here a PERFORM range is a procedure: its effect is summarised once as a gen/kill
    function from its first statement to the end of its last paragraph (where it returns), and
    a PERFORM applies that summary on its way to where it comes back (the functional approach
    of Sharir and Pnueli, exact for gen/kill problems). The definitions reaching a statement
    inside a range are those reaching the range's entry from any PERFORM of it, carried through
    the range. Outside any range (the main line, declaratives) a paragraph end falls through.
    """

    def __init__(self, model: Any, gen: dict[str, int], kill: dict[str, int], start: int):
        self.m = model
        self.gen = gen
        self.kill = kill
        self.start_bits = start
        self.end = model.end
        self.count = len(model.paras)
        self.summary: dict[Range, Pair | None] = {}
        # node -> [(successor, mode, range)]; mode: "out" (after the statement), "in" (the
        # ON SIZE ERROR arm: nothing was stored), "summary" (back from a PERFORM of range)
        self.succ: dict[str, list[tuple[str, str, Range | None]]] = {}
        self.calls: dict[str, list[Range]] = {}  # PERFORM -> the ranges it runs
        for sid, edges in model.edges.items():
            out: list[tuple[str, str, Range | None]] = []
            for e in edges:
                perform = e.perform
                if perform is not None:
                    rng = (perform.first, perform.last)
                    self.summary.setdefault(rng, None)
                    out.append((self.node(perform.return_to), "summary", rng))
                    self.calls.setdefault(sid, []).append(rng)
                    continue
                phrase = e.phrase or ""
                bypass = "SIZE ERROR" in phrase and not phrase.startswith("NOT")
                out.append((self.node(e.dst), "in" if bypass else "out", None))
            self.succ[sid] = out

    def node(self, target: tuple[str, Any]) -> str:
        kind, value = target
        if kind == "s":
            return str(value)
        if kind == "END":
            return self.end
        i = int(value)
        if kind == "e":
            if i >= self.count:
                return self.end
            return self.node(self.m.paras[i].entry)
        return f"\x00end {i}"  # the end of paragraph i

    def _fall(self, i: int) -> str | None:
        """Where the end of paragraph ``i`` goes when no PERFORM of it is active."""
        para = self.m.paras[i]
        if para.declarative:
            return None if para.last_of_section else self.node(("e", i + 1))
        return self.end if i == self.count - 1 else self.node(("e", i + 1))

    def _steps(self, n: str, rng: Range | None) -> Iterator[tuple[str, str, Range | None]]:
        if n == self.end:
            return
        if n.startswith("\x00end "):
            i = int(n[5:])
            if rng is not None and i == rng[1]:
                return  # the range ends here: back to the PERFORM (its summary)
            nxt = self._fall(i)
            if nxt is not None:
                yield nxt, "in", None
            return
        yield from self.succ.get(n, [])

    # gen/kill functions as (gen, kill) pairs
    @staticmethod
    def _then(f: Pair, g: Pair) -> Pair:
        return (g[0] | (f[0] & ~g[1]), f[1] | g[1])

    def _summarize(self, rng: Range) -> Pair | None:
        entry = self.node(("e", rng[0]))
        pin: dict[str, Pair] = {entry: (0, 0)}
        work = deque([entry])
        queued = {entry}
        exit_node = self.node(("x", rng[1]))
        while work:
            n = work.popleft()
            queued.discard(n)
            f = pin[n]
            out = self._then(f, (self.gen.get(n, 0), self.kill.get(n, 0)))
            for dst, mode, callee in self._steps(n, rng):
                if mode == "summary":
                    s = self.summary.get(callee) if callee is not None else None
                    if s is None:
                        continue
                    value = self._then(out, s)
                else:
                    value = out if mode == "out" else f
                have = pin.get(dst)
                new = value if have is None else (have[0] | value[0], have[1] & value[1])
                if new != have:
                    pin[dst] = new
                    if dst != exit_node and dst not in queued:
                        queued.add(dst)
                        work.append(dst)
        return pin.get(exit_node)

    def solve(self) -> dict[str, int]:
        changed = True
        while changed:  # summaries only grow; recursion needs a few rounds
            changed = False
            for key in list(self.summary):
                s = self._summarize(key)
                if s != self.summary[key]:
                    self.summary[key] = s
                    changed = True
        entries = [self.node(("e", self.m.first_main))]
        entries += [self.node(("e", i)) for i in self.m.declarative_entries()]
        # one state per context (the main line, each PERFORM range), grown incrementally
        pins: dict[Range | None, dict[str, int]] = {None: {}}
        work: dict[Range | None, deque[str]] = {None: deque()}
        for e in entries:
            if e != self.end:
                pins[None][e] = self.start_bits
                work[None].append(e)
        todo: deque[Range | None] = deque([None])
        queued: set[Range | None] = {None}
        while todo:
            context = todo.popleft()
            queued.discard(context)
            for callee, bits in self._propagate(context, pins[context], work[context]):
                entry = self.node(("e", callee[0]))
                pin = pins.setdefault(callee, {})
                if entry in pin and not bits & ~pin[entry]:
                    continue
                pin[entry] = pin.get(entry, 0) | bits
                work.setdefault(callee, deque()).append(entry)
                if callee not in queued:
                    queued.add(callee)
                    todo.append(callee)
        reach_in: dict[str, int] = {}
        for pin in pins.values():
            for n, bits in pin.items():
                reach_in[n] = reach_in.get(n, 0) | bits
        return reach_in

    def _propagate(
        self, rng: Range | None, pin: dict[str, int], work: deque[str]
    ) -> Iterator[tuple[Range, int]]:
        """Carry the definitions through one context until nothing changes; yield what each
        PERFORM in it hands to the range it runs."""
        exit_node = self.node(("x", rng[1])) if rng is not None else None
        queued = set(work)
        while work:
            n = work.popleft()
            queued.discard(n)
            bits = pin[n]
            out = self.gen.get(n, 0) | (bits & ~self.kill.get(n, 0))
            for callee in self.calls.get(n, []):
                yield callee, out
            for dst, mode, target in self._steps(n, rng):
                if mode == "summary":
                    s = self.summary.get(target) if target is not None else None
                    if s is None:
                        continue
                    value = s[0] | (out & ~s[1])
                else:
                    value = out if mode == "out" else bits
                have = pin.get(dst, 0)
                if dst not in pin or value & ~have:
                    pin[dst] = have | value
                    if dst != exit_node and dst not in queued:
                        queued.add(dst)
                        work.append(dst)


_RD_CACHE: dict[int, tuple[A.Program, ReachingDefinitions]] = {}


def reaching_definitions(program: A.Program) -> ReachingDefinitions:
    """Reaching definitions of ``program`` (kept for the last few programs, like
    :func:`~cobolspec.analysis.dataflow.analyze`)."""
    hit = _RD_CACHE.get(id(program))
    if hit is not None and hit[0] is program:
        return hit[1]
    graph, model = _control_flow(program)
    result = ReachingDefinitions(analyze(program), graph, model)
    if len(_RD_CACHE) >= 16:
        _RD_CACHE.pop(next(iter(_RD_CACHE)))
    _RD_CACHE[id(program)] = (program, result)
    return result


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
