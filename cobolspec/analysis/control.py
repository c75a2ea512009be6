"""Facts derived from the control flow: reachability, complexity, recursive and mixed PERFORMs.

Reachability follows PERFORM semantics rather than bare graph edges. Control is tracked as
states *(paragraph, L)* where *L* is the last paragraph of the innermost PERFORM range being run
(none at the start). Reaching the end of *L* returns to the performer instead of falling
through, so a paragraph that is only ever reached by falling out of a paragraph that is only
ever PERFORMed is unreachable. A GO TO out of a range keeps *L* (the PERFORM stays active, as
on IBM and GnuCOBOL). Entry points: the first paragraph outside the DECLARATIVES, the paragraph
of every ENTRY statement (its statements count as reached from there) and every declarative
section (its end returns). Within a paragraph a statement is reachable when a path
from the paragraph's first statement leads to it; an out-of-line PERFORM goes on to the next
statement only if its range can come back: when the end of its last paragraph can be reached
from its first while it is the innermost active range (a least fixpoint over all PERFORMs, so
recursion is handled). Where a name may mean several paragraphs, all count (no false reports).

Cyclomatic complexity is *decisions + 1*, per paragraph and for the program (all decisions of
all paragraphs + 1). Decisions: IF 1; EVALUATE 1 per WHEN line (stacked WHENs count each, WHEN
OTHER none); SEARCH 1 per WHEN; PERFORM with TIMES or UNTIL 1, with VARYING 1 per VARYING/AFTER
clause; GO TO ... DEPENDING ON 1 per procedure name; an altered GO TO 1 per ALTER ... TO PROCEED
TO naming it; a statement with conditional phrases 1 per condition tested (AT END and NOT AT
END together are one). AND/OR inside a condition add nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import networkx as nx

from cobolspec.analysis.cfg_statements import Flow, FlowEdge, Target
from cobolspec.model import ast as A

NO_RANGE = -1


@dataclass(slots=True)
class Summary:
    """What one paragraph does, from its first statement on: the statements reached, the jumps
    made (perform, goto, alter, sort-procedure edges), the paragraph ends reached and the
    edges to the end of the program."""

    reached: set[str] = field(default_factory=set)
    jumps: list[FlowEdge] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    exits: list[FlowEdge] = field(default_factory=list)


Range = tuple[int, int]  # (first, last) paragraph of a PERFORMed range
State = tuple[int, int]  # (paragraph, last paragraph of the innermost active range)


@dataclass(slots=True)
class ControlFacts:
    """Findings about one program's control flow (IDs as in :mod:`cobolspec.analysis.cfg`).

    ``unreachable_paragraphs`` and ``unreachable_statements`` in source order; ``complexity``
    per paragraph ID; ``recursive_performs``: statement IDs of PERFORMs (and SORT/MERGE/XML
    PARSE procedures) that can run again while they are still active; ``mixed_entry``: paragraph
    IDs entered by PERFORM and also by fall-through or GO TO; ``unresolved``: (statement ID,
    procedure name) for names that name no paragraph or section.
    """

    program: str
    unreachable_paragraphs: list[str]
    unreachable_statements: list[str]
    complexity: dict[str, int]
    program_complexity: int
    recursive_performs: list[str]
    mixed_entry: list[str]
    unresolved: list[tuple[str, str]]


class Control:
    """Summaries of every paragraph and the exploration of PERFORM states."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        n = len(flow.paras)
        self.returning: set[str] = set()
        self.summaries = [Summary() for _ in range(n)]
        self.succ: dict[State, set[State]] = {}
        self._solve()
        self.performed: set[int] = set()
        self.fall_in: set[int] = set()
        self.goto_in: set[int] = set()
        starts: list[State] = []
        if flow.first_main < n:
            starts.append((flow.first_main, NO_RANGE))
        starts += [(flow.para_of[sid], NO_RANGE) for sid in flow.entry_statements()]
        for i in flow.declarative_entries():
            last = next(p.index for p in flow.paras[i:] if p.last_of_section)
            starts.append((i, last))
        self.reached_states = self._explore(starts)
        self.reachable = {x for x, _ in self.reached_states}
        self._mark_entries()

    # -- which PERFORMs come back: an event-driven least fixpoint

    def _solve(self) -> None:
        """Grow every paragraph's summary from its first statement; an out-of-line PERFORM
        lets control go on only once its range is known to come back, i.e. once the end of
        its last paragraph is reached from its first while it is the innermost active range
        (following GO TOs and fall-through, not the PERFORMs inside, which come back or not on
        their own). Each new fact about a paragraph is passed to the ranges that went through
        it, so the work is proportional to the facts found, not to the rounds needed."""
        flow = self.flow
        self._ranges: dict[Range, set[int]] = {}  # range → paragraphs it goes through
        self._watchers: dict[int, list[Range]] = {}
        self._back: set[Range] = set()  # ranges known to come back
        self._waiting: dict[Range, list[str]] = {}  # range → PERFORMs waiting for it
        self._events: deque[Callable[[], None]] = deque()
        for para in flow.paras:
            self._events.append(partial(self._grow, para.index, para.entry))
        for sid in flow.entry_statements():  # an ENTRY statement starts a path of its own
            self._events.append(partial(self._grow, flow.para_of[sid], ("s", sid)))
        while self._events:
            self._events.popleft()()

    def _grow(self, index: int, target: Target) -> None:
        flow = self.flow
        s = self.summaries[index]
        stack: list[tuple[Target, FlowEdge | None]] = [(target, None)]
        while stack:
            (kind, value), e = stack.pop()
            if kind == "s":
                sid = str(value)
                if sid in s.reached:
                    continue
                s.reached.add(sid)
                stack.extend((edge.dst, edge) for edge in flow.edges.get(sid, []))
                if sid in flow.completes:
                    performs, cont = flow.completes[sid]
                    if any((p.first, p.last) in self._back for p in performs):
                        self.returning.add(sid)
                        stack.append((cont, None))
                    else:
                        for p in performs:
                            self._wait((p.first, p.last), sid)
            elif kind == "x":
                j = int(value)
                if j not in s.ends:
                    s.ends.append(j)
                    for rng in self._watchers.get(index, []):
                        self._events.append(partial(self._range_end, rng, j))
            elif kind == "e":
                assert e is not None
                s.jumps.append(e)
                for rng in self._watchers.get(index, []):
                    self._events.append(partial(self._range_jump, rng, e))
            elif e is not None:
                s.exits.append(e)

    def _wait(self, rng: Range, sid: str) -> None:
        self._waiting.setdefault(rng, []).append(sid)
        if rng not in self._ranges:
            self._ranges[rng] = set()
            self._events.append(partial(self._visit, rng, rng[0]))

    def _visit(self, rng: Range, x: int) -> None:
        if x >= len(self.flow.paras) or x in self._ranges[rng] or rng in self._back:
            return
        self._ranges[rng].add(x)
        self._watchers.setdefault(x, []).append(rng)
        s = self.summaries[x]
        for j in s.ends:
            self._range_end(rng, j)
        for e in s.jumps:
            self._range_jump(rng, e)

    def _range_end(self, rng: Range, j: int) -> None:
        if rng in self._back:
            return
        if j == rng[1]:
            self._back.add(rng)
            for sid in self._waiting.pop(rng, []):
                if sid not in self.returning:
                    self.returning.add(sid)
                    self._events.append(partial(self._grow, self.flow.para_of[sid],
                                                self.flow.completes[sid][1]))
            return
        para = self.flow.paras[j]
        if not (para.declarative and para.last_of_section):
            self._events.append(partial(self._visit, rng, j + 1))

    def _range_jump(self, rng: Range, e: FlowEdge) -> None:
        if e.perform is None and rng not in self._back:
            self._events.append(partial(self._visit, rng, int(e.dst[1])))

    # -- reachability from the entry points

    def _next_states(self, state: State) -> set[State]:
        if state in self.succ:
            return self.succ[state]
        x, last = state
        flow = self.flow
        n = len(flow.paras)
        out: set[State] = set()
        s = self.summaries[x]
        for e in s.jumps:
            j = int(e.dst[1])
            if j >= n:
                continue
            if e.perform is not None:
                out.add((e.perform.first, e.perform.last))
            else:
                out.add((j, last))
        for j in s.ends:
            if j == last:
                continue
            para = flow.paras[j]
            if (para.declarative and para.last_of_section) or j == n - 1:
                continue
            out.add((j + 1, last))
        self.succ[state] = out
        return out

    def _explore(self, starts: list[State]) -> set[State]:
        seen: set[State] = set(starts)
        queue = deque(starts)
        while queue:
            state = queue.popleft()
            for nxt in self._next_states(state):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def _mark_entries(self) -> None:
        n = len(self.flow.paras)
        for x, last in self.reached_states:
            s = self.summaries[x]
            for e in s.jumps:
                j = int(e.dst[1])
                if j >= n:
                    continue
                if e.perform is not None:
                    self.performed.add(e.perform.first)
                else:
                    self.goto_in.add(j)
            for j in s.ends:
                para = self.flow.paras[j]
                if j != last and j < n - 1 and not (para.declarative and para.last_of_section):
                    self.fall_in.add(j + 1)

    def recursive_performs(self) -> list[str]:
        """PERFORMs whose range can reach the performing paragraph again while active: the
        paragraphs reachable from every state, as bit sets over the condensed state graph."""
        graph: nx.DiGraph = nx.DiGraph()
        for state in self.reached_states:
            graph.add_node(state)
            graph.add_edges_from((state, nxt) for nxt in self._next_states(state))
        dag = nx.condensation(graph)
        bits: dict[int, int] = {}
        for c in reversed(list(nx.topological_sort(dag))):
            value = 0
            for state in dag.nodes[c]["members"]:
                value |= 1 << state[0]
            for d in dag.successors(c):
                value |= bits[d]
            bits[c] = value
        where = dag.graph["mapping"]
        found: dict[str, None] = {}
        for x in sorted(self.reachable):
            for e in self.summaries[x].jumps:
                p = e.perform
                if p is not None and bits[where[(p.first, p.last)]] >> x & 1:
                    found.setdefault(p.sid, None)
        position = {sid: k for k, sid in enumerate(self.flow.stmts)}
        return sorted(found, key=position.__getitem__)

    def unreachable_statements(self) -> list[str]:
        out: list[str] = []
        for para in self.flow.paras:
            if para.index not in self.reachable:
                out.extend(para.sids)
            else:
                reached = self.summaries[para.index].reached
                out.extend(sid for sid in para.sids if sid not in reached)
        return out


def decisions(st: A.Statement, alters: int = 0) -> int:
    """Decisions one statement makes (not counting nested statements): see the module doc."""
    if isinstance(st, A.IfStmt):
        return 1
    if isinstance(st, A.EvaluateStmt):
        return sum(len(w.objects) or 1 for w in st.whens if not w.other)
    if isinstance(st, A.SearchStmt):
        return len(st.whens)
    n = 0
    if isinstance(st, A.PerformStmt):
        if st.varying:
            n += len(st.varying)
        elif st.times is not None or st.until is not None:
            n += 1
    if isinstance(st, A.GoToStmt):
        n += len(st.targets) if st.depending_on is not None else alters
    n += len({p.kind.removeprefix("NOT ") for p in st.phrases})
    return n


def paragraph_decisions(flow: Flow) -> list[int]:
    alters = {sid: len(v) for sid, v in flow.alter_targets.items()}
    counts = [0] * len(flow.paras)
    for sid, st in flow.stmts.items():
        counts[flow.para_of[sid]] += decisions(st, alters.get(sid, 0))
    return counts


def control_facts(flow: Flow, control: Control | None = None) -> ControlFacts:
    control = control or Control(flow)
    counts = paragraph_decisions(flow)
    mixed = control.performed & (control.fall_in | control.goto_in)
    return ControlFacts(
        program=flow.program.name,
        unreachable_paragraphs=[p.pid for p in flow.paras if p.index not in control.reachable],
        unreachable_statements=control.unreachable_statements(),
        complexity={p.pid: counts[p.index] + 1 for p in flow.paras},
        program_complexity=sum(counts) + 1,
        recursive_performs=control.recursive_performs(),
        mixed_entry=[flow.paras[i].pid for i in sorted(mixed)],
        unresolved=list(flow.unresolved),
    )


def analyze_control(program: A.Program) -> ControlFacts:
    """Unreachable paragraphs and statements, complexity, recursive PERFORMs and paragraphs
    entered both by PERFORM and by fall-through or GO TO (see the module docstring)."""
    return control_facts(Flow(program))
