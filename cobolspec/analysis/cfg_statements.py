"""Statement-level control flow: the flow model shared by the paragraph graph and the analyses.

:class:`Flow` walks a program's PROCEDURE DIVISION once, backwards through every sentence, and
gives each statement its successors. A successor is a *target*: a statement, the entry of a
paragraph (``GO TO``, ``PERFORM``), the end of a paragraph (the last statement of a paragraph,
``EXIT PARAGRAPH``, ``EXIT SECTION``) or the end of the program (``GOBACK``, ``STOP RUN``...).
Paragraph ends are resolved afterwards, because what follows the end of a paragraph depends on
the whole program: the next paragraph (fall-through), the statement after every PERFORM whose
range ends there (return) and, after the last paragraph, the end of the program.

The public entry point here is :func:`statement_cfg`; its node and edge attributes are
documented in :mod:`cobolspec.analysis.cfg`. :class:`Flow` itself is the model other analyses
of this package build on (reaching definitions follow PERFORMs through it): ``paras`` (one
:class:`Para` per paragraph in source order, with its ``entry`` target), ``edges`` (statement
ID → its :class:`FlowEdge` successors; an edge that runs a range carries the :class:`Perform`
with ``first``, ``last`` and ``return_to``), ``stmts``, ``para_of``, ``start`` and ``end``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import networkx as nx

from cobolspec.model import ast as A
from cobolspec.parse.facts import paragraph_ids, statement_id

# A target: ("s", statement ID) | ("e", paragraph index) entry | ("x", paragraph index) end |
# ("END", 0) the end of the program. An entry index equal to the number of paragraphs (GO TO an
# empty trailing section) is the end of the program.
Target = tuple[str, int | str]
END_T: Target = ("END", 0)

EXIT_VERBS = frozenset({"GOBACK", "STOP RUN", "EXIT PROGRAM", "EXIT METHOD", "EXIT FUNCTION"})
CICS_EXITS = frozenset({"RETURN", "XCTL", "ABEND"})
ABEND_ROUTINES = frozenset({"CEE3ABD", "CEE3AB2", "ILBOABN0"})
# I/O statements can end with an error that neither their phrase nor its NOT phrase handles;
# control then goes on to the next statement (after any declarative).
IO_VERBS = frozenset({"READ", "WRITE", "REWRITE", "DELETE", "START", "RETURN"})
PROCEDURE_DETAILS = ("input procedure", "output procedure", "processing procedure")
# edge kinds that keep their kind wherever they land (a jump, or leaving a loop)
KEEP_KIND = frozenset({"perform", "goto", "alter", "sort-procedure", "exit", "entry",
                       "declarative", "loop-exit"})
_PHRASE_PAIRS = {"NO DATA": "WITH DATA", "WITH DATA": "NO DATA"}


@dataclass(slots=True)
class FlowEdge:
    """One successor of a statement. ``cause`` is the statement that makes the edge when it is
    not the source itself (the ALTER of an altered GO TO); ``thru`` marks PERFORM ... THRU."""

    src: str
    dst: Target
    kind: str
    cause: A.Statement | None = None
    phrase: str | None = None
    thru: bool = False
    perform: Perform | None = None  # the range a perform/sort-procedure edge runs


@dataclass(slots=True)
class Perform:
    """An out-of-line PERFORM (or a SORT/MERGE/XML PARSE procedure) and the range it runs."""

    sid: str
    stmt: A.Statement
    para: int  # the performing paragraph
    first: int  # first paragraph of the range
    last: int  # last paragraph of the range (its end returns)
    kind: str  # perform, perform-thru, sort-procedure
    return_to: Target  # where control goes when the range ends


@dataclass(slots=True)
class Para:
    index: int
    pid: str
    node: A.Paragraph
    section: A.Section
    section_index: int
    declarative: bool
    last_of_section: bool
    entry: Target = END_T
    sids: list[str] = field(default_factory=list)  # every statement, nested ones too


@dataclass(slots=True, frozen=True)
class _Ctx:
    para: int
    section: int
    sentence_end: Target
    inline: tuple[tuple[Target, Target], ...] = ()  # (exit, cycle) of enclosing inline PERFORMs


class Flow:
    """The control flow of one program (see the module docstring)."""

    def __init__(self, program: A.Program) -> None:
        self.program = program
        self.start = f"{program.name}:(START)"
        self.end = f"{program.name}:(END)"
        self.paras: list[Para] = []
        self.stmts: dict[str, A.Statement] = {}
        self.para_of: dict[str, int] = {}
        self.edges: dict[str, list[FlowEdge]] = {}
        # a non-looping PERFORM → its range(s) and where control goes on when the range ends
        self.completes: dict[str, tuple[list[Perform], Target]] = {}
        self.performs: list[Perform] = []
        self.returns_at: dict[int, list[Perform]] = {}
        self.unresolved: list[tuple[str, str]] = []  # (statement ID, procedure name)
        self.loop_bodies: dict[str, set[str]] = {}  # inline looping PERFORM → its body
        self.alter_targets: dict[str, list[tuple[Target, A.AlterStmt]]] = {}
        self._sid: dict[int, str] = {}
        self._by_name: dict[str, list[int]] = {}
        self._sections: dict[str, tuple[int, int]] = {}  # name → (first, last) paragraph
        self._section_span: list[tuple[int, int]] = []
        self._end_memo: dict[int, list[tuple[str, str | None]]] = {}
        if program.procedure is not None:
            self._index(program.procedure)
            self._collect_alters()
            for para in self.paras:
                self._build_paragraph(para)

    # ------------------------------------------------------------------ indexing

    def _index(self, procedure: A.ProcedureDivision) -> None:
        ids = paragraph_ids(self.program)
        used: dict[str, int] = {}
        for s_index, section in enumerate(procedure.sections):
            first = len(self.paras)
            for k, p in enumerate(section.paragraphs):
                para = Para(len(self.paras), ids[id(p)], p, section, s_index,
                            section.declarative, k == len(section.paragraphs) - 1)
                self.paras.append(para)
                if p.name:
                    self._by_name.setdefault(p.name.upper(), []).append(para.index)
                for sentence in p.sentences:
                    for top in sentence.statements:
                        for node in top.walk():
                            if isinstance(node, A.Statement):
                                sid = statement_id(node)
                                if sid in used:  # the same text twice (a copybook copied again)
                                    used[sid] += 1
                                    sid = f"{sid}#{used[sid]}"
                                else:
                                    used[sid] = 1
                                self._sid[id(node)] = sid
                                self.stmts[sid] = node
                                self.para_of[sid] = para.index
                                para.sids.append(sid)
            span = (first, len(self.paras) - 1)
            self._section_span.append(span)
            if section.name:
                self._sections.setdefault(section.name.upper(), span)

    def sid(self, st: A.Statement) -> str:
        return self._sid[id(st)]

    def _ranges(self, name: str, qualifier: str | None, para: int,
                unknown_qualifier: bool = False) -> list[tuple[int, int]]:
        """The paragraphs a procedure name may stand for, each as (first, last); first > last
        for an empty section (first is then the paragraph after it). Empty when the name is
        unknown. A paragraph name used in several sections means the one in the referring
        section unless qualified; where the AST does not keep the qualifier
        (``unknown_qualifier``: GO TO, ALTER, THRU, SORT procedures) every one is possible."""
        key = name.upper()
        candidates = self._by_name.get(key, [])
        if qualifier:
            q = qualifier.upper()
            candidates = [i for i in candidates
                          if (self.paras[i].section.name or "").upper() == q]
        elif len(candidates) > 1 and not unknown_qualifier:
            here = self.paras[para].section_index
            candidates = [i for i in candidates
                          if self.paras[i].section_index == here] or candidates[:1]
        if candidates:
            return [(i, i) for i in candidates]
        if key in self._sections:
            return [self._sections[key]]
        return []

    def _entries(self, name: str, sid: str, para: int) -> list[Target]:
        """Entry targets of a procedure name whose qualifier is not known (GO TO, ALTER)."""
        found = self._ranges(name, None, para, unknown_qualifier=True)
        if not found:
            self.unresolved.append((sid, name))
        return [("e", first) for first, _ in found]

    def _collect_alters(self) -> None:
        for sid, st in self.stmts.items():
            if not isinstance(st, A.AlterStmt):
                continue
            para = self.para_of[sid]
            for altered, target in st.pairs:
                ranges = self._ranges(altered, None, para, unknown_qualifier=True)
                if not ranges:
                    self.unresolved.append((sid, altered))
                dsts = self._entries(target, sid, para)
                for first, last in ranges:
                    if first > last:
                        continue
                    goto = self._first_statement(self.paras[first].node)
                    if isinstance(goto, A.GoToStmt) and goto.depending_on is None:
                        self.alter_targets.setdefault(self.sid(goto), []).extend(
                            (dst, st) for dst in dsts)

    @staticmethod
    def _first_statement(p: A.Paragraph) -> A.Statement | None:
        for sentence in p.sentences:
            if sentence.statements:
                return sentence.statements[0]
        return None

    # ------------------------------------------------------------------ building

    def _edge(self, src: str, dst: Target, kind: str, **kw: object) -> None:
        self.edges.setdefault(src, []).append(FlowEdge(src, dst, kind, **kw))  # type: ignore[arg-type]

    def _build_paragraph(self, para: Para) -> None:
        cont: Target = ("x", para.index)
        for sentence in reversed(para.node.sentences):
            ctx = _Ctx(para.index, para.section_index, cont)
            cont = self._seq(sentence.statements, cont, ctx)
        para.entry = cont

    def _seq(self, statements: list[A.Statement], cont: Target, ctx: _Ctx) -> Target:
        for st in reversed(statements):
            cont = self._stmt(st, cont, ctx)
        return cont

    def _stmt(self, st: A.Statement, cont: Target, ctx: _Ctx) -> Target:
        sid = self.sid(st)
        me: Target = ("s", sid)
        self.edges.setdefault(sid, [])
        verb = st.verb.upper()
        if isinstance(st, A.IfStmt):
            then = ctx.sentence_end if st.then_next_sentence else self._seq(st.then, cont, ctx)
            if st.else_next_sentence:
                other = ctx.sentence_end
            elif st.else_ is not None:
                other = self._seq(st.else_, cont, ctx)
            else:
                other = cont
            self._edge(sid, then, "true")
            self._edge(sid, other, "false")
        elif isinstance(st, A.EvaluateStmt):
            for when in st.whens:
                self._edge(sid, self._seq(when.statements, cont, ctx),
                           "other" if when.other else "when")
            if not any(w.other for w in st.whens):
                self._edge(sid, cont, "other")
        elif isinstance(st, A.SearchStmt):
            for when in st.whens:
                self._edge(sid, self._seq(when.statements, cont, ctx), "when")
            self._phrases(st, cont, ctx, always_next=False)
            if st.phrase("AT END") is None:
                self._edge(sid, cont, "next")
        elif isinstance(st, A.PerformStmt):
            self._perform(st, sid, me, cont, ctx)
        elif isinstance(st, A.GoToStmt):
            for name in st.targets:
                for dst in self._entries(name, sid, ctx.para):
                    self._edge(sid, dst, "goto")
            for dst, alter in self.alter_targets.get(sid, []):
                self._edge(sid, dst, "alter", cause=alter)
            if st.depending_on is not None:
                self._edge(sid, cont, "next")
        elif verb == "EXIT PARAGRAPH":
            self._edge(sid, ("x", ctx.para), "next")
        elif verb == "EXIT SECTION":
            self._edge(sid, ("x", self._section_span[ctx.section][1]), "next")
        elif verb == "EXIT PERFORM":
            self._edge(sid, ctx.inline[-1][0] if ctx.inline else cont, "loop-exit")
        elif verb == "EXIT PERFORM CYCLE":
            self._edge(sid, ctx.inline[-1][1] if ctx.inline else cont, "loop")
        elif verb in EXIT_VERBS or _is_abend_call(st):
            self._edge(sid, END_T, "exit")
            if verb == "EXIT PROGRAM":  # in a program that was not called it does nothing
                self._edge(sid, cont, "next")
        elif _is_cics_exit(st):
            self._edge(sid, END_T, "exit")
            cics = st.block.cics  # type: ignore[attr-defined]
            if cics.has("RESP") or cics.nohandle:  # a failed XCTL/RETURN goes on
                self._edge(sid, cont, "next")
        else:
            if isinstance(st, A.ExecStmt) and st.block is not None and st.block.cics is not None:
                for label in st.block.cics.labels:
                    for dst in self._entries(label, sid, ctx.para):
                        self._edge(sid, dst, "goto")
            for key in PROCEDURE_DETAILS:
                if key in st.details:
                    self._procedure(st, sid, me, key, ctx)
            self._phrases(st, cont, ctx, always_next=verb in IO_VERBS)
        return me

    def _phrases(self, st: A.Statement, cont: Target, ctx: _Ctx, *, always_next: bool) -> None:
        sid = self.sid(st)
        kinds = {p.kind for p in st.phrases}
        complete = bool(kinds)
        for p in st.phrases:
            negative = p.kind.startswith("NOT ")
            self._edge(sid, self._seq(p.statements, cont, ctx),
                       "not-phrase" if negative else "phrase", phrase=p.kind)
            pair = _PHRASE_PAIRS.get(p.kind) or (p.kind[4:] if negative else "NOT " + p.kind)
            complete = complete and pair in kinds
        if isinstance(st, A.SearchStmt):
            return
        if always_next or not complete:
            self._edge(sid, cont, "next")

    def _perform(self, st: A.PerformStmt, sid: str, me: Target, cont: Target, ctx: _Ctx) -> None:
        loop = st.times is not None or st.until is not None or bool(st.varying)
        if st.body is not None:
            back = me if loop else cont
            inner = _Ctx(ctx.para, ctx.section, ctx.sentence_end, (*ctx.inline, (cont, back)))
            entry = self._seq(st.body, back, inner)
            self._edge(sid, entry, "loop" if loop else "next")
            if loop:
                self._edge(sid, cont, "loop-exit")
                self.loop_bodies[sid] = {self.sid(n) for b in st.body for n in b.walk()
                                         if isinstance(n, A.Statement)}
            return
        if st.target is None:
            self._edge(sid, cont, "next")
            return
        firsts = self._ranges(st.target, st.target_qualifier, ctx.para)
        lasts = self._ranges(st.thru, None, ctx.para, True) if st.thru else firsts
        if not firsts or not lasts:
            self.unresolved.append((sid, st.target if not firsts else str(st.thru)))
            self._edge(sid, cont, "next")
            return
        start = firsts[0][0]
        if st.thru is None and start > firsts[0][1]:  # an empty section: nothing to run
            self._edge(sid, cont, "loop-exit" if loop else "next")
            return
        kind = "perform-thru" if st.thru else "perform"
        performs = [self._add_perform(st, sid, ctx.para, start, last, kind, me if loop else cont)
                    for _, last in lasts]
        for p in performs:
            self._edge(sid, ("e", start), "perform", thru=bool(st.thru), perform=p)
        if loop:
            self._edge(sid, cont, "loop-exit")
        else:
            self.completes[sid] = (performs, cont)

    def _procedure(self, st: A.Statement, sid: str, me: Target, key: str, ctx: _Ctx) -> None:
        firsts = self._ranges(st.details[key], None, ctx.para, True)
        thru = st.details.get(key + " thru")
        lasts = self._ranges(thru, None, ctx.para, True) if thru else firsts
        if not firsts or not lasts:
            self.unresolved.append((sid, st.details[key] if not firsts else str(thru)))
            return
        for first, _ in firsts:
            for _, last in lasts:
                p = self._add_perform(st, sid, ctx.para, first, last, "sort-procedure", me)
                self._edge(sid, ("e", first), "sort-procedure", perform=p)

    def _add_perform(self, st: A.Statement, sid: str, para: int, first: int, last: int,
                     kind: str, return_to: Target) -> Perform:
        p = Perform(sid, st, para, first, last, kind, return_to)
        self.performs.append(p)
        if 0 <= last < len(self.paras):
            self.returns_at.setdefault(last, []).append(p)
        return p

    # ------------------------------------------------------------------ paragraph ends

    @property
    def first_main(self) -> int:
        """Index of the first paragraph outside the DECLARATIVES (len(paras) when none)."""
        return next((p.index for p in self.paras if not p.declarative), len(self.paras))

    def entry_statements(self) -> list[str]:
        """ENTRY statements: a CALL of the entry name starts the program there."""
        return [sid for sid, st in self.stmts.items() if st.verb.upper() == "ENTRY"]

    def declarative_entries(self) -> list[int]:
        return [p.index for p in self.paras if p.declarative and
                (p.index == 0 or self.paras[p.index - 1].section_index != p.section_index)]

    def end_steps(self, i: int) -> Iterator[tuple[Target, str, Perform | None]]:
        """Where control goes from the end of paragraph ``i``: (target, kind, perform)."""
        para = self.paras[i]
        if para.declarative:
            if not para.last_of_section:
                yield ("e", i + 1), "fallthrough", None
        elif i == len(self.paras) - 1:
            yield END_T, "exit", None
        else:
            yield ("e", i + 1), "fallthrough", None
        for p in self.returns_at.get(i, []):
            yield p.return_to, "return", p

    def resolve(self, target: Target) -> list[tuple[str, str | None]]:
        """The statements (or END) a target stands for, each with how it is reached: None when
        directly, else the kind of the first step past a paragraph end."""
        kind, value = target
        if kind == "s":
            return [(str(value), None)]
        if kind == "END":
            return [(self.end, None)]
        assert isinstance(value, int)
        if kind == "e":
            if value >= len(self.paras):
                return [(self.end, "exit")]
            entry = self.paras[value].entry
            if entry[0] == "s":
                return [(str(entry[1]), None)]
            value = int(entry[1])
        return self._resolve_end(value)

    def _resolve_end(self, i: int) -> list[tuple[str, str | None]]:
        if i in self._end_memo:
            return self._end_memo[i]
        out: dict[str, str | None] = {}
        seen: set[Target] = set()
        stack: list[tuple[Target, str | None]] = [(("x", i), None)]
        while stack:
            t, via = stack.pop()
            if t in seen:
                continue
            seen.add(t)
            kind, value = t
            if kind == "s":
                out.setdefault(str(value), via)
            elif kind == "END":
                out.setdefault(self.end, via)
            elif kind == "e":
                j = int(value)
                if j >= len(self.paras):
                    out.setdefault(self.end, via or "exit")
                else:
                    stack.append((self.paras[j].entry, via))
            else:
                for nt, step, _ in self.end_steps(int(value)):
                    stack.append((nt, via or step))
        result = list(out.items())
        self._end_memo[i] = result
        return result


def _is_cics_exit(st: A.Statement) -> bool:
    if not isinstance(st, A.ExecStmt) or st.block is None or st.block.cics is None:
        return False
    return str(st.block.cics.command).upper() in CICS_EXITS


def _is_abend_call(st: A.Statement) -> bool:
    if not isinstance(st, A.CallStmt) or not isinstance(st.program, A.Literal):
        return False
    return st.program.text.strip("'\"").upper() in ABEND_ROUTINES


def statement_cfg(program: A.Program) -> nx.DiGraph:
    """The statement-level control-flow graph of one program (attributes: see
    :mod:`cobolspec.analysis.cfg`)."""
    return statement_graph(Flow(program))


def statement_graph(flow: Flow) -> nx.DiGraph:
    g: nx.DiGraph = nx.DiGraph()
    g.add_node(flow.start, stmt=None, paragraph=None)
    for sid, st in flow.stmts.items():
        g.add_node(sid, stmt=st, paragraph=flow.paras[flow.para_of[sid]].pid)
    g.add_node(flow.end, stmt=None, paragraph=None)

    def add(src: str, dst: str, kind: str, phrase: str | None = None) -> None:
        if g.has_edge(src, dst):
            return
        if phrase is not None:
            g.add_edge(src, dst, kind=kind, phrase=phrase)
        else:
            g.add_edge(src, dst, kind=kind)

    for node, _ in flow.resolve(("e", flow.first_main)):
        add(flow.start, node, "entry")
    for sid in flow.entry_statements():
        add(flow.start, sid, "entry")
    for i in flow.declarative_entries():
        for node, _ in flow.resolve(("e", i)):
            add(flow.start, node, "declarative")
    for sid, edges in flow.edges.items():
        for e in edges:
            for node, via in flow.resolve(e.dst):
                kind = e.kind if via is None or e.kind in KEEP_KIND else via
                if node in flow.loop_bodies and sid in flow.loop_bodies[node]:
                    kind = "loop"
                keep = kind in ("phrase", "not-phrase")
                add(sid, node, kind, e.phrase if keep else None)
    return g
