"""Reaching definitions of a program's data items, with PERFORMs matched to their returns.

The classic forward "may" analysis, run over the statement-level flow model of
:mod:`cobolspec.analysis.cfg_statements` (the one :func:`cobolspec.analysis.cfg.statement_cfg`
is drawn from): a definition of an item reaches a statement when some path leads from it to the
statement without a definition that replaces the whole item. Partial definitions — a
subscripted element, a group above the field written, STRING, a BY REFERENCE argument — let
earlier ones live on. Every item also has a definition at the program's start node
(``PGM:(START)``): the VALUE it starts with, the caller's data for LINKAGE, nothing for the
rest. Aliasing comes from :mod:`cobolspec.analysis.dataflow`: writing a group defines its
fields, writing a field partly defines its groups, REDEFINES and RENAMES share bytes. Along the
ON SIZE ERROR arm of an arithmetic statement its receiving items keep their old values.

A PERFORM returns to the statement after it, not to every other PERFORM of the same paragraph,
and a paragraph only ever PERFORMed does not fall into the next one (see
:class:`_PerformAware`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from cobolspec.analysis.dataflow import DataFlow, StatementFacts, analyze
from cobolspec.model import ast as A

__all__ = ["ReachingDefinitions", "reaching_definitions"]


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
