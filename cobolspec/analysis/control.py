"""Facts derived from the control flow: reachability, complexity, recursive and mixed PERFORMs.

Reachability follows PERFORM semantics rather than bare graph edges. Control is tracked as
states *(paragraph, L)* where *L* is the last paragraph of the innermost PERFORM range being run
(none at the start). Reaching the end of *L* returns to the performer instead of falling
through, so a paragraph that is only ever reached by falling out of a paragraph that is only
ever PERFORMed is unreachable. A GO TO out of a range keeps *L* (the PERFORM stays active, as
on IBM and GnuCOBOL). Entry points: the first paragraph outside the DECLARATIVES and every
declarative section (its end returns). Within a paragraph a statement is reachable when a path
from the paragraph's first statement leads to it; an out-of-line PERFORM is assumed to come
back (so nothing is reported unreachable on the strength of a PERFORM that never returns).

Cyclomatic complexity is *decisions + 1*, per paragraph and for the program (all decisions of
all paragraphs + 1). Decisions: IF 1; EVALUATE 1 per WHEN line (stacked WHENs count each, WHEN
OTHER none); SEARCH 1 per WHEN; PERFORM with TIMES or UNTIL 1, with VARYING 1 per VARYING/AFTER
clause; GO TO ... DEPENDING ON 1 per procedure name; an altered GO TO 1 per ALTER ... TO PROCEED
TO naming it; a statement with conditional phrases 1 per condition tested (AT END and NOT AT
END together are one). AND/OR inside a condition add nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

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


def summarize(flow: Flow, index: int, returning: set[str]) -> Summary:
    """What paragraph ``index`` does; an out-of-line PERFORM goes on to the next statement
    only when its statement ID is in ``returning``."""
    s = Summary()
    todo: list[str] = []
    ends: dict[int, None] = {}

    def visit(t: Target, e: FlowEdge | None) -> None:
        kind, value = t
        if kind == "s":
            if value not in s.reached:
                todo.append(str(value))
        elif kind == "x":
            ends.setdefault(int(value), None)
        elif kind == "e":
            assert e is not None
            s.jumps.append(e)
        elif e is not None:
            s.exits.append(e)

    visit(flow.paras[index].entry, None)
    while todo:
        sid = todo.pop()
        if sid in s.reached:
            continue
        s.reached.add(sid)
        for e in flow.edges.get(sid, []):
            visit(e.dst, e)
        if sid in returning:
            visit(flow.completes[sid][1], None)
    s.ends = list(ends)
    return s


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
        self.summaries: list[Summary] = []
        self.succ: dict[tuple[int, int], set[tuple[int, int]]] = {}
        self._find_returning()
        self.performed: set[int] = set()
        self.fall_in: set[int] = set()
        self.goto_in: set[int] = set()
        starts: list[tuple[int, int]] = []
        if flow.first_main < n:
            starts.append((flow.first_main, NO_RANGE))
        for i in flow.declarative_entries():
            last = next(p.index for p in flow.paras[i:] if p.last_of_section)
            starts.append((i, last))
        self.reached_states = self._explore(starts)
        self.reachable = {x for x, _ in self.reached_states}
        self._mark_entries()

    def _find_returning(self) -> None:
        """The PERFORMs that can come back: least fixpoint, starting from none. A PERFORM comes
        back when, from the first paragraph of its range, the end of its last paragraph can be
        reached while it is the innermost active range."""
        flow = self.flow
        pending = set(flow.completes)
        while True:
            self.summaries = [summarize(flow, i, self.returning) for i in range(len(flow.paras))]
            self.succ = {}
            memo: dict[tuple[int, int], bool] = {}
            found: set[str] = set()
            for sid in sorted(pending):
                if sid not in self.summaries[flow.para_of[sid]].reached:
                    continue
                for p in flow.completes[sid][0]:
                    start = (p.first, p.last)
                    if start not in memo:
                        memo[start] = any(
                            last == p.last and last in self.summaries[x].ends
                            for x, last in self._explore([start]))
                    if memo[start]:
                        found.add(sid)
            if not found:
                return
            self.returning |= found
            pending -= found

    def _next_states(self, state: tuple[int, int]) -> set[tuple[int, int]]:
        if state in self.succ:
            return self.succ[state]
        x, last = state
        flow = self.flow
        n = len(flow.paras)
        out: set[tuple[int, int]] = set()
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

    def _explore(self, starts: list[tuple[int, int]]) -> set[tuple[int, int]]:
        seen: set[tuple[int, int]] = set(starts)
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
        found: dict[str, None] = {}
        memo: dict[tuple[int, int], set[int]] = {}
        for x in sorted(self.reachable):
            for e in self.summaries[x].jumps:
                p = e.perform
                if p is None:
                    continue
                start = (p.first, p.last)
                if start not in memo:
                    memo[start] = {y for y, _ in self._explore([start])}
                if x in memo[start]:
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
