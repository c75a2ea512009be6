"""Reaching conditions: what holds on every path from the program's entry to a statement.

Two parts, both conservative (a condition is kept only when it holds on *all* paths, and only
while nothing on the way may have changed the data it tests):

* **Local context.** Inside a paragraph, a statement runs under the conditions of the IF/ELSE,
  WHEN (with the WHENs before it not taken), conditional phrase (``AT END (READ F)``) and
  in-line loop (``NOT (UNTIL condition)`` for a test-before loop) that enclose it, plus the
  negation of an earlier guard: ``IF c GO TO x`` (or STOP RUN, GOBACK, EXEC CICS RETURN, a
  PERFORM of a paragraph that never returns) leaves the rest of the statement list to ``NOT c``.
* **Paragraph entry.** A paragraph's entry conditions are those holding at every way into it:
  each PERFORM and GO TO naming it (the conditions holding there, and the loop condition of
  the PERFORM), SORT input/output procedures, and fall-through from the paragraph before it.
  A paragraph falls through only when something other than a PERFORM of it alone can enter
  it. The program's first paragraph, declaratives, CICS HANDLE labels and ALTERed GO TOs
  contribute nothing known, so a paragraph reached that way has no entry conditions; nor has
  a paragraph never reached (nothing is known).

A condition is dropped from the moment a statement may write the data it tests: the
statement's own writes (MOVE, READ INTO, CALL BY REFERENCE, EXEC SQL INTO ...) and everything
the paragraphs it PERFORMs may write; in a loop, everything the loop body may write. Conditions
are kept as AST nodes (a conditional phrase's as text, which no write changes) and split into
AND parts, so that intersections and kills work on the parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import networkx as nx

from cobolspec.analysis.cfg import paragraph_cfg
from cobolspec.model import ast as A
from cobolspec.parse.facts import statement_id
from cobolspec.rules.conditions import PHRASE_PAIRS, Printer, conjuncts, negate
from cobolspec.rules.names import Storage, data_refs, is_system_constant, storage_overlap


class PhraseFact(str):
    """The condition of a conditional phrase (``NOT AT END (READ F)``): its text, and the items
    recording the statement's outcome (see :meth:`Effects.outcome`)."""

    refs: list[A.Ident]

    def __new__(cls, text: str, refs: list[A.Ident]) -> PhraseFact:
        fact = super().__new__(cls, text)
        fact.refs = refs
        return fact


Fact = A.Node | str  # a condition node, or a conditional phrase's condition (PhraseFact)

ABEND_ROUTINES = frozenset({"CEE3ABD", "ILBOABN0"})


class Effects(Protocol):
    """What the analysis needs to know about data: the items a statement writes (not counting
    its nested statements) and where an item lives."""

    def writes(self, st: A.Statement) -> list[A.Ident]: ...

    def outcome(self, st: A.Statement) -> list[A.Ident]:
        """The items recording how a statement with conditional phrases turned out (a file's
        status, the targets of a COMPUTE): the next write to them ends a phrase's fact."""
        ...

    def storage(self, ref: A.Node) -> Storage | None: ...


class WriteSet:
    """Storage that may have been written, indexed by area."""

    __slots__ = ("_areas",)

    def __init__(self, areas: dict[str, set[Storage]] | None = None) -> None:
        self._areas: dict[str, set[Storage]] = areas or {}

    def add(self, s: Storage) -> None:
        self._areas.setdefault(s.area, set()).add(s)

    def update(self, other: WriteSet) -> None:
        for area, items in other._areas.items():
            self._areas.setdefault(area, set()).update(items)

    def copy(self) -> WriteSet:
        return WriteSet({a: set(v) for a, v in self._areas.items()})

    def hits(self, s: Storage) -> bool:
        return any(storage_overlap(s, w) for w in self._areas.get(s.area, ()))

    def __len__(self) -> int:
        return sum(len(v) for v in self._areas.values())


@dataclass(slots=True)
class ParagraphInfo:
    pid: str
    paragraph: A.Paragraph
    section: str | None
    index: int


@dataclass(slots=True)
class Site:
    """What is known just before a statement: the local facts still holding, and what the
    paragraph may have written since its entry."""

    live: list[Fact]
    killed: WriteSet


@dataclass(slots=True)
class Control:
    """The control facts of one program the rules stage uses."""

    paragraphs: list[ParagraphInfo]
    sites: dict[int, Site] = field(default_factory=dict)  # id(statement) → site
    end: dict[str, Site] = field(default_factory=dict)  # pid → site at its end
    entry: dict[str, list[Fact]] = field(default_factory=dict)  # pid → entry conditions
    never_returns: set[str] = field(default_factory=set)
    paragraph_of: dict[int, str] = field(default_factory=dict)  # id(statement) → pid


class ControlAnalysis:
    """Computes :class:`Control` for one program."""

    def __init__(self, program: A.Program, ids: dict[int, str], printer: Printer,
                 effects: Effects) -> None:
        self.program = program
        self.printer = printer
        self.effects = effects
        self._mod_cache: dict[int, WriteSet] = {}
        self._para_mod: dict[str, WriteSet] = {}
        # keyed by id(); the value keeps the key object alive so that no id is reused
        self._fact_storage: dict[int, tuple[Fact, list[Storage]]] = {}
        assert program.procedure is not None
        infos: list[ParagraphInfo] = []
        for section in program.procedure.sections:
            for p in section.paragraphs:
                infos.append(ParagraphInfo(ids[id(p)], p, section.name, len(infos)))
        self.infos = infos
        self.by_pid = {i.pid: i for i in infos}
        self._by_name: dict[str, list[ParagraphInfo]] = {}
        self._section_first: dict[str, ParagraphInfo] = {}
        for info in infos:
            if info.paragraph.name:
                self._by_name.setdefault(info.paragraph.name.upper(), []).append(info)
            if info.section and info.section.upper() not in self._section_first:
                self._section_first[info.section.upper()] = info

    # ------------------------------------------------------------------ names

    def resolve(self, name: str | None, qualifier: str | None, section: str | None) -> str | None:
        """The paragraph a PERFORM/GO TO names (a section: its first paragraph)."""
        if not name:
            return None
        name = name.upper()
        found = self._by_name.get(name, [])
        if qualifier:
            found = [f for f in found if (f.section or "").upper() == qualifier.upper()]
        elif len(found) > 1:
            found = [f for f in found if (f.section or "") == (section or "")]
        if len(found) == 1:
            return found[0].pid
        if not found and not qualifier and name in self._section_first:
            return self._section_first[name].pid
        return None

    def is_section(self, name: str) -> bool:
        return name.upper() in self._section_first and name.upper() not in self._by_name

    # ------------------------------------------------------------------ terminal statements

    def terminal(self, st: A.Statement, never: set[str], goto_ends: bool, section: str | None
                 ) -> bool:
        """Whether control never reaches the statement after ``st``."""
        if isinstance(st, A.GoToStmt):
            return goto_ends and st.depending_on is None and bool(st.targets)
        if st.verb in ("STOP RUN", "GOBACK"):
            return True
        if isinstance(st, A.ExecStmt) and st.block is not None and st.block.cics is not None:
            cics = st.block.cics
            if cics.command in ("RETURN", "ABEND"):
                return True
            return cics.command == "XCTL" and not any(
                cics.has(o) for o in ("RESP", "RESP2", "NOHANDLE"))
        if isinstance(st, A.CallStmt):
            prog = st.program
            return isinstance(prog, A.Literal) and prog.text.strip("'\"").upper() in \
                ABEND_ROUTINES
        if isinstance(st, A.PerformStmt):
            if st.inline or st.thru or st.times is not None or st.until is not None \
                    or st.varying:
                return False
            if st.target and self.is_section(st.target):
                return False
            pid = self.resolve(st.target, st.target_qualifier, section)
            return pid is not None and pid in never
        if isinstance(st, A.IfStmt):
            if st.else_ is None or st.then_next_sentence or st.else_next_sentence:
                return False
            return self.ends(st.then, never, goto_ends, section) and \
                self.ends(st.else_, never, goto_ends, section)
        if isinstance(st, A.EvaluateStmt):
            if not any(w.other for w in st.whens):
                return False
            return all(self.ends(w.statements, never, goto_ends, section) for w in st.whens)
        return False

    def ends(self, stmts: list[A.Statement], never: set[str], goto_ends: bool,
             section: str | None) -> bool:
        return any(self.terminal(s, never, goto_ends, section) for s in stmts)

    def _never_returns(self) -> set[str]:
        never: set[str] = set()
        changed = True
        while changed:
            changed = False
            for info in self.infos:
                if info.pid not in never and self.ends(
                        info.paragraph.statements, never, False, info.section):
                    never.add(info.pid)
                    changed = True
        return never

    # ------------------------------------------------------------------ local context

    def when_facts(self, ev: A.EvaluateStmt, index: int) -> list[Fact]:
        """The conditions under which WHEN ``index`` is the one taken."""
        current = None if ev.whens[index].other else self.when_condition(ev, ev.whens[index])
        facts: list[Fact] = []
        for earlier in ev.whens[:index]:
            cond = self.when_condition(ev, earlier)
            if cond is None:
                continue  # could not be put as a condition (or always true): say nothing
            if current is not None and self._excludes(current, cond):
                continue  # implied: equal to another value of the same item
            facts.extend(conjuncts(negate(self.printer.normal(cond))))
        if current is not None:
            facts.extend(conjuncts(self.printer.normal(current)))
        return facts

    def when_condition(self, ev: A.EvaluateStmt, when: A.WhenClause) -> A.Node | None:
        """A WHEN as one condition (OR over stacked WHEN lines, AND over ALSO); None when a
        line cannot be expressed or always matches."""
        lines: list[A.Node] = []
        for objects in when.objects:
            parts: list[A.Node] = []
            for subject, obj in zip(ev.subjects, objects, strict=False):
                part = _object_condition(subject, obj)
                if part is False:
                    return None
                if part is not None and part is not True:
                    parts.append(part)
            if not parts:
                return None
            lines.append(parts[0] if len(parts) == 1 else A.BoolOp(op="AND", operands=parts))
        if not lines:
            return None
        return lines[0] if len(lines) == 1 else A.BoolOp(op="OR", operands=lines)

    def _excludes(self, current: A.Node, earlier: A.Node) -> bool:
        """Whether ``current`` holding implies ``earlier`` did not: some part of each tests
        one item for equality with different values (or they are condition-names of one item
        with no value in common)."""
        mine = [e for e in (self._equality(c) for c in conjuncts(current)) if e is not None]
        theirs = [e for e in (self._equality(c) for c in conjuncts(earlier)) if e is not None]
        return any(a[0] == b[0] and not (a[1] & b[1]) for a in mine for b in theirs)

    def _equality(self, node: A.Node) -> tuple[str, frozenset[str]] | None:
        if isinstance(node, A.Relation) and node.op == "=" and (
                isinstance(node.right, A.Literal) or (isinstance(node.right, A.Ident)
                and is_system_constant(node.right.name) and not node.right.subscripts)):
            return self.printer.expr(node.left), frozenset({self.printer.expr(node.right)})
        if isinstance(node, A.ConditionRef) and self.printer.names is not None:
            found = self.printer.names.condition(node.ref)
            if found and all(t is None for _, t in found[0].values):
                return "item:" + str(id(found[1])), frozenset(v for v, _ in found[0].values)
        if isinstance(node, A.BoolOp) and node.op == "OR":
            parts = [p for p in (self._equality(o) for o in node.operands) if p is not None]
            if len(parts) == len(node.operands) and len({p[0] for p in parts}) == 1:
                return parts[0][0], frozenset().union(*(p[1] for p in parts))
        return None

    def loop_facts(self, st: A.PerformStmt) -> list[Fact]:
        """Conditions holding each time a test-before loop's body (or target) runs."""
        if st.test_after:
            return []
        if st.until is not None:
            return list(conjuncts(negate(self.printer.normal(st.until))))
        if len(st.varying) == 1:
            return list(conjuncts(negate(self.printer.normal(st.varying[0].until))))
        return []

    def _walk(self, stmts: list[A.Statement], live: list[Fact], killed: WriteSet, pid: str,
              section: str | None, control: Control) -> Site:
        for st in stmts:
            control.sites[id(st)] = Site(live, killed)
            control.paragraph_of[id(st)] = pid
            for body, facts, loops in self.branches(st):
                if loops:  # a later iteration may have changed what held before the loop
                    writes = self.mod_list(body, section)
                    inner = killed.copy()
                    inner.update(writes)
                    self._walk(body, self.kill(live, writes) + facts, inner, pid, section,
                               control)
                else:
                    self._walk(body, live + facts, killed, pid, section, control)
            guard: list[Fact] = []
            writes = self.mod(st, section)
            if isinstance(st, A.IfStmt) and st.condition is not None and not (
                    st.then_next_sentence or st.else_next_sentence):
                never = control.never_returns
                then_ends = self.ends(st.then, never, True, section)
                else_ends = st.else_ is not None and self.ends(st.else_, never, True, section)
                cond = self.printer.normal(st.condition)
                # only the branch that does not end goes on: only its writes matter after
                if then_ends and not else_ends:
                    guard = list(conjuncts(negate(cond)))
                    writes = self.mod_list(st.else_ or [], section)
                elif else_ends and not then_ends:
                    guard = list(conjuncts(cond))
                    writes = self.mod_list(st.then, section)
            guard += self._phrase_guard(st, section, control)
            live = self.kill(live + guard, writes)
            if len(writes):
                killed = killed.copy()
                killed.update(writes)
        return Site(live, killed)

    def _phrase_guard(self, st: A.Statement, section: str | None, control: Control
                      ) -> list[Fact]:
        """``READ F AT END ... GO TO X``: what follows the READ runs only NOT AT END."""
        out: list[Fact] = []
        kinds: dict[str, list[A.Phrase]] = {}
        for phrase in st.phrases:
            kinds.setdefault(PHRASE_PAIRS.get(phrase.kind, phrase.kind), []).append(phrase)
        for kind, phrases in kinds.items():
            yes = any(p.kind == kind and self.ends(p.statements, control.never_returns, True,
                                                   section) for p in phrases)
            no = any(p.kind != kind and self.ends(p.statements, control.never_returns, True,
                                                  section) for p in phrases)
            text = self.printer.phrase_condition(st, kind)
            if yes and not no:
                out.append(PhraseFact("NOT " + text, self.effects.outcome(st)))
            elif no and not yes:
                out.append(PhraseFact(text, self.effects.outcome(st)))
        return out

    # ------------------------------------------------------------------ writes

    def storages(self, fact: Fact) -> list[Storage]:
        """Where the data a fact tests lives (nothing for a phrase's condition)."""
        if isinstance(fact, PhraseFact):
            found = [self.effects.storage(r) for r in fact.refs]
            return [f for f in found if f is not None]
        if isinstance(fact, str):
            return []
        key = id(fact)
        if key not in self._fact_storage:
            found = [self.effects.storage(r) for r in data_refs([fact])]
            self._fact_storage[key] = (fact, [f for f in found if f is not None])
        return self._fact_storage[key][1]

    def kill(self, facts: list[Fact], writes: WriteSet) -> list[Fact]:
        if not len(writes):
            return facts
        return [f for f in facts if not any(writes.hits(s) for s in self.storages(f))]

    def _direct(self, stmts: list[A.Statement]) -> WriteSet:
        out = WriteSet()
        for st in _statements(stmts):
            for ref in self.effects.writes(st):
                s = self.effects.storage(ref)
                if s is not None:
                    out.add(s)
        return out

    def _callees(self, stmts: list[A.Statement], section: str | None, gotos: bool
                 ) -> list[str]:
        """Paragraphs the statements PERFORM (whole ranges and sections), SORT procedures and,
        with ``gotos``, GO TO targets and the paragraphs they fall through to."""
        out: list[str] = []
        for st in _statements(stmts):
            if isinstance(st, A.PerformStmt) and st.target:
                out += self.range(st.target, st.thru, st.target_qualifier, section)
            elif st.verb in ("SORT", "MERGE"):
                for key in ("input procedure", "output procedure"):
                    if st.details.get(key):
                        out += self.range(st.details[key], st.details.get(key + " thru"),
                                          None, section)
            elif gotos and isinstance(st, A.GoToStmt):
                for target in st.targets:
                    pid = self.resolve(target, None, section)
                    while pid is not None:
                        out.append(pid)
                        info = self.by_pid[pid]
                        if self.ends(info.paragraph.statements, set(), True, info.section) or \
                                info.index + 1 >= len(self.infos):
                            break
                        pid = self.infos[info.index + 1].pid
        return out

    def range(self, name: str | None, thru: str | None, qualifier: str | None,
              section: str | None) -> list[str]:
        """The paragraphs ``PERFORM name [THRU thru]`` runs (a section: all of its own)."""
        if not name:
            return []
        if not thru and self.is_section(name):
            return [i.pid for i in self.infos if (i.section or "").upper() == name.upper()]
        first = self.resolve(name, qualifier, section)
        if first is None:
            return []
        last = self.resolve(thru, None, section) if thru else first
        if last is None:
            return [first]
        a, b = self.by_pid[first].index, self.by_pid[last].index
        if thru and self.is_section(thru):
            b = max(i.index for i in self.infos if (i.section or "").upper() == thru.upper())
        return [i.pid for i in self.infos[a:max(a, b) + 1]]

    def _paragraph_mods(self) -> None:
        """What each paragraph may write, with everything it performs or goes to: one pass
        over the strongly connected components of that graph, callees first."""
        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(i.pid for i in self.infos)
        for info in self.infos:
            for callee in self._callees(info.paragraph.statements, info.section, True):
                graph.add_edge(info.pid, callee)
        condensed = nx.condensation(graph)
        mods: dict[str, WriteSet] = {}
        for component in reversed(list(nx.topological_sort(condensed))):
            members = condensed.nodes[component]["members"]
            out = WriteSet()
            for pid in members:
                out.update(self._direct(self.by_pid[pid].paragraph.statements))
            for succ in condensed.successors(component):
                out.update(mods[next(iter(condensed.nodes[succ]["members"]))])
            for pid in members:
                mods[pid] = out
        self._para_mod = mods

    def mod(self, st: A.Statement, section: str | None) -> WriteSet:
        """What running ``st`` may write, the paragraphs it performs included."""
        key = id(st)
        if key not in self._mod_cache:
            out = self._direct([st])
            for pid in self._callees([st], section, False):
                out.update(self._para_mod.get(pid, WriteSet()))
            self._mod_cache[key] = out
        return self._mod_cache[key]

    def mod_list(self, stmts: list[A.Statement], section: str | None) -> WriteSet:
        out = WriteSet()
        for st in stmts:
            out.update(self.mod(st, section))
        return out

    def branches(self, st: A.Statement
                 ) -> Iterator[tuple[list[A.Statement], list[Fact], bool]]:
        """The statement lists nested in ``st``, each with the facts that hold inside it and
        whether it is a loop body."""
        if isinstance(st, A.IfStmt) and st.condition is not None:
            cond = self.printer.normal(st.condition)
            yield st.then, list(conjuncts(cond)), False
            if st.else_ is not None:
                yield st.else_, list(conjuncts(negate(cond))), False
        elif isinstance(st, A.EvaluateStmt):
            for i, when in enumerate(st.whens):
                yield when.statements, self.when_facts(st, i), False
        elif isinstance(st, A.SearchStmt):
            for when in st.whens:
                found = when.objects[0][0] if when.objects and when.objects[0] else None
                yield when.statements, (list(conjuncts(self.printer.normal(found)))
                                        if found is not None else []), False
        elif isinstance(st, A.PerformStmt) and st.body is not None:
            yield st.body, self.loop_facts(st), True
        for phrase in st.phrases:
            text = self.printer.phrase_condition(st, phrase.kind)
            if phrase.kind.startswith("NOT ") or phrase.kind == "WITH DATA":
                text = "NOT " + text
            yield phrase.statements, [PhraseFact(text, self.effects.outcome(st))], False

    # ------------------------------------------------------------------ paragraph entry

    def edges(self, control: Control) -> list[_Edge]:
        """Every way into a paragraph, from the paragraph graph of
        :func:`cobolspec.analysis.cfg.paragraph_cfg` (see the module docstring)."""
        graph = paragraph_cfg(self.program)
        by_id: dict[str, A.Statement] = {}
        for para in self.infos:
            for node in _statements(para.paragraph.statements):
                sid = statement_id(node)
                n = 1
                while (sid if n == 1 else f"{sid}#{n}") in by_id:
                    n += 1
                by_id[sid if n == 1 else f"{sid}#{n}"] = node
        out: list[_Edge] = []
        falls: list[tuple[str, str]] = []
        for src, dst, data in sorted(graph.edges(data=True), key=_edge_key):
            if dst not in self.by_pid:
                continue
            kind = data["kind"]
            st = by_id.get(data.get("statement") or "")
            info = self.by_pid.get(src)
            if kind == "fallthrough":
                falls.append((src, dst))
                continue
            if kind in ("return", "exit"):
                continue
            if kind not in ("perform", "perform-thru", "sort-procedure", "goto") or \
                    st is None or info is None:
                out.append(_Edge(None, dst))  # entry, declarative, ALTERed GO TO
                continue
            site = control.sites[id(st)]
            if isinstance(st, A.PerformStmt) and st.target:
                members = tuple(self.range(st.target, st.thru, st.target_qualifier,
                                           info.section))
                writes = WriteSet()
                if st.until is not None or st.varying or st.times is not None:
                    for pid in members:
                        writes.update(self._para_mod.get(pid, WriteSet()))
                out.append(_Edge(src, dst, site, self.loop_facts(st), writes, members))
            elif isinstance(st, A.GoToStmt):
                extra: list[Fact] = []
                if st.depending_on is not None:
                    n = next((k for k, t in enumerate(st.targets, start=1)
                              if self.resolve(t, None, info.section) == dst), 0)
                    if n == 0:
                        continue
                    extra = [A.Relation(left=st.depending_on, op="=",
                                        right=A.Literal(text=str(n), kind="numeric"))]
                out.append(_Edge(src, dst, site, extra))
            elif st.verb in ("SORT", "MERGE"):
                name = next((st.details[k] for k in ("input procedure", "output procedure")
                             if self.resolve(st.details.get(k), None, info.section) == dst),
                            None)
                members = tuple(self.range(name, None, None, info.section)) if name else ()
                out.append(_Edge(src, dst, site, performs=members or None))
            else:  # a CICS HANDLE label: the jump happens at some later command
                out.append(_Edge(None, dst))
        out += [_Edge(src, dst, control.end[src]) for src, dst in self._fall_through(out, falls)]
        return out

    def _fall_through(self, edges: list[_Edge], candidates: list[tuple[str, str]]
                      ) -> list[tuple[str, str]]:
        """The paragraphs that may fall through to the next one: those whose end can be
        reached, less the last paragraph of a performed range (or a performed paragraph) that
        nothing enters from outside the range, whose end returns to the PERFORM."""
        falls = dict(candidates)
        ranges = {e.performs for e in edges if e.performs}
        changed = True
        while changed:
            changed = False
            into: dict[str, list[_Edge]] = {}
            for e in edges:
                into.setdefault(e.dst, []).append(e)
            for src, dst in falls.items():
                into.setdefault(dst, []).append(_Edge(src, dst))
            for members in sorted(ranges):
                end = members[-1]
                # entries from outside the range other than its PERFORMs, or PERFORMs of a
                # member alone (which return at that member's end), keep the fall-through
                if end not in falls or not all(
                        e.performs in (members, (e.dst,)) or e.src in members
                        for m in members for e in into.get(m, [])):
                    continue
                del falls[end]
                changed = True
        return list(falls.items())

    def run(self) -> Control:
        control = Control(self.infos)
        control.never_returns = self.never = self._never_returns()
        self._paragraph_mods()
        for info in self.infos:
            control.end[info.pid] = self._walk(
                info.paragraph.statements, [], WriteSet(), info.pid, info.section, control)
        edges = self.edges(control)
        key: Callable[[Fact], str] = self.fact_text
        entry: dict[str, list[Fact] | None] = {i.pid: None for i in self.infos}
        incoming: dict[str, list[_Edge]] = {}
        for e in edges:
            incoming.setdefault(e.dst, []).append(e)
        changed = True
        while changed:
            changed = False
            for info in self.infos:
                known: list[list[Fact]] = []
                for e in incoming.get(info.pid, []):
                    if e.src is None or e.site is None:
                        known.append([])
                        continue
                    before = entry[e.src]
                    if before is None:
                        continue  # not reached (yet): contributes no path
                    facts = self.kill(before, e.site.killed) + e.site.live
                    known.append(self.kill(facts, e.loop_writes) + e.extra)
                if not known:
                    continue
                merged = _intersect(known, key)
                if entry[info.pid] is None or [key(f) for f in merged] != [
                        key(f) for f in entry[info.pid] or []]:
                    entry[info.pid] = merged
                    changed = True
        control.entry = {pid: facts or [] for pid, facts in entry.items()}
        self.control = control
        return control

    def reaching(self, st: A.Statement) -> list[Fact]:
        """The conditions holding on every path from the program's entry to ``st``."""
        pid = self.control.paragraph_of.get(id(st))
        site = self.control.sites.get(id(st))
        if pid is None or site is None:
            return []
        return self.kill(self.control.entry.get(pid, []), site.killed) + site.live

    def fact_text(self, fact: Fact) -> str:
        return str(fact) if isinstance(fact, str) else self.printer.cond(fact)


@dataclass(slots=True)
class _Edge:
    src: str | None  # None: an entry about which nothing is known
    dst: str
    site: Site | None = None
    extra: list[Fact] = field(default_factory=list)
    loop_writes: WriteSet = field(default_factory=WriteSet)
    performs: tuple[str, ...] | None = None  # a PERFORM (or SORT procedure): its paragraphs


def _edge_key(edge: tuple[str, str, dict[str, object]]) -> tuple[str, str, str, str]:
    src, dst, data = edge
    return (src, dst, str(data.get("kind")), str(data.get("statement") or ""))


def _intersect(lists: list[list[Fact]], key: Callable[[Fact], str]) -> list[Fact]:
    """The facts present in every list, in the order of the first, without repeats."""
    common = set.intersection(*({key(f) for f in facts} for facts in lists))
    out: list[Fact] = []
    seen: set[str] = set()
    for f in lists[0]:
        k = key(f)
        if k in common and k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _statements(stmts: list[A.Statement]) -> Iterator[A.Statement]:
    for st in stmts:
        for node in st.walk():
            if isinstance(node, A.Statement):
                yield node


def _object_condition(subject: A.Node, obj: A.Node) -> A.Node | bool | None:
    """The condition one WHEN object sets on its subject: a node, None for ANY (no
    condition), or False when it cannot be expressed."""
    if not isinstance(obj, A.WhenObject):
        return False
    if obj.kind == "any":
        return None
    boolean = subject.text if isinstance(subject, A.Literal) and subject.kind == "boolean" \
        else None
    is_cond = isinstance(subject, (A.Relation, A.BoolOp, A.Not, A.ClassCondition,
                                   A.ConditionRef))
    if boolean:
        want_true = boolean == "TRUE"
        if obj.kind == "condition" and obj.value is not None:
            cond = obj.value
        elif obj.kind == "value" and isinstance(obj.value, A.Ident):
            cond = A.ConditionRef(span=obj.value.span, ref=obj.value)
        else:
            return False
        if obj.negated:
            cond = negate(cond)
        return cond if want_true else negate(cond)
    if is_cond:
        if obj.kind in ("true", "false"):
            return subject if obj.kind == "true" else negate(subject)
        return False
    if obj.kind == "value" and obj.value is not None:
        return A.Relation(left=subject, op="<>" if obj.negated else "=", right=obj.value)
    if obj.kind == "range" and obj.value is not None and obj.thru is not None:
        low = A.Relation(left=subject, op=">=", right=obj.value)
        high = A.Relation(left=subject, op="<=", right=obj.thru)
        both: A.Node = A.BoolOp(op="AND", operands=[low, high])
        return negate(both) if obj.negated else both
    return False
