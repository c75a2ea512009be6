"""GnuCOBOL as an oracle for the control-flow graphs.

Programs compiled with ``cobc -ftraceall`` and run with ``COB_SET_TRACE=Y`` write every
program entry and exit, section, paragraph and statement they execute::

    Source: 'samples/COBOL/ACCTSORT.cbl'
    Program-Id:  ACCTSORT             Entry: ACCTSORT                        Line:     61
    Program-Id:  ACCTSORT           Section: 0000-MAIN                       Line:     63
    Program-Id:  ACCTSORT         Paragraph: 0000-START                      Line:     64
    Program-Id:  ACCTSORT                    MOVE                            Line:     65
    Program-Id:  ACCTVAL               Exit: ACCTVAL                         Line:     48

``Source:`` names the physical file the following lines are in (a copybook, then the program
again); ``Line:`` is a physical line of that file. (``-ftrace`` writes the same without the
statement lines.) A paragraph is identified by the (file, line) of its name, a section's
unnamed leading paragraph by its SECTION header line, any paragraph by the lines of its
statements.

What is checked, for every program a trace passes through (the program is found by the line
of its PROCEDURE DIVISION that ``Entry:`` gives, else by name):

* **Paragraph transitions.** The trace gives the paragraph control is in after every event;
  each change from P to Q must be explained by the paragraph graph, with a stack of active
  PERFORMs: either an edge P → Q (perform, perform-thru and sort-procedure push the PERFORM
  onto the stack; goto, alter, fallthrough keep it; entry and declarative leave START), or
  first one or more returns: a "return" edge P → R whose ``statement`` is the PERFORM on top
  of the stack pops it and puts control in R, from where the same rules apply. The end of the
  innermost range returns, it never falls through (as GnuCOBOL checks only the top of its
  PERFORM stack). A paragraph announced by a ``Paragraph:``/``Section:`` line must be entered
  by an edge; a paragraph seen only through its statements must be reached by returns (or be
  entered from START when it has no name). A DECLARATIVES section may interrupt anywhere
  (GnuCOBOL runs it for an I/O error) and its end goes back to where it interrupted.
  ``Exit:`` (GOBACK, EXIT PROGRAM) and the end of a run (STOP RUN) must follow an "exit" edge,
  after returns. Several stacks are followed at once where the trace allows more than one
  reading.
* **Statement transitions.** Each executed statement must follow the previous one in the
  statement graph, directly or through statements GnuCOBOL does not trace: a looping PERFORM
  or a SORT that control comes back to, an ALTERed GO TO. This check has no PERFORM stack (a
  return may go to the statement after any PERFORM of the range). WHEN lines are not
  statements.
* **Unreachable code.** No paragraph and no statement reported unreachable is ever executed.

GnuCOBOL 3.1.2's trace has quirks the reader allows for, each narrowly: a statement after a
PERFORM on the same line is traced with the line of the last statement performed (such a step
is not checked); after some REPLACE and COPY REPLACING texts the line numbers are off (each
``Paragraph:`` line whose name is used once re-anchors the numbering); a copybook copied twice
puts two paragraphs' statements on one physical line (either may be meant).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx
import pytest

from cobolspec.analysis.cfg import program_flow
from cobolspec.model import ast as A
from cobolspec.parse import parse_file
from cobolspec.parse.facts import paragraph_ids

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
COPYLIB = SAMPLES / "COPYLIB"
DATA = SAMPLES / "DATA"
COBC = shutil.which("cobc")

# ------------------------------------------------------------------------------ trace reading

_SOURCE = re.compile(r"^Source:\s+'(.*)'\s*$")
_EVENT = re.compile(
    r"^Program-Id:\s+(\S+)\s+(?:(Entry|Exit|Section|Paragraph):\s+(\S+)\s+|(\S.*?)\s+)"
    r"Line:\s+(\d+)\s*$"
)


@dataclass(frozen=True, slots=True)
class Event:
    """One trace line: ``kind`` is Entry, Exit, Section, Paragraph or Statement."""

    program: str
    kind: str
    name: str  # the program, section or paragraph name, or the statement's verb
    file: str
    line: int


def parse_trace(text: str, cwd: Path) -> list[Event]:
    """The events of a trace; file names are made absolute against ``cwd``."""
    events: list[Event] = []
    file = ""
    # a run that did not end its last line leaves "Line: 22" glued to the next "Source:"
    for raw in re.sub(r"(Line:\s+\d+)(?=Source:|Program-Id:)", r"\1\n", text).splitlines():
        line = raw.rstrip()
        m = _SOURCE.match(line)
        if m:
            file = os.path.realpath(cwd / m.group(1))
            continue
        m = _EVENT.match(line)
        if m:
            program, kind, name, verb, number = m.groups()
            if kind is None:
                kind, name = "Statement", verb
            events.append(Event(program.upper(), kind, name, file, int(number)))
    return events


# ------------------------------------------------------------------------------ the models


@dataclass
class Model:
    """What the checks need of one program: its graphs, where its paragraphs are, the facts."""

    name: str
    paragraphs: nx.MultiDiGraph
    statements: nx.DiGraph
    start: str
    end: str
    procedure_at: tuple[str, int] | None = None  # where GnuCOBOL says the program is entered
    para_at: dict[tuple[str, int], str] = field(default_factory=dict)
    section_at: dict[tuple[str, int], str] = field(default_factory=dict)
    para_named: dict[str, list[str]] = field(default_factory=dict)
    stmts_at: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    unnamed: set[str] = field(default_factory=set)
    declarative_entries: set[str] = field(default_factory=set)
    declarative_section: dict[str, frozenset[str]] = field(default_factory=dict)
    unreachable_paragraphs: set[str] = field(default_factory=set)
    unreachable_statements: set[str] = field(default_factory=set)
    range_last: dict[str, str] = field(default_factory=dict)  # PERFORM → last paragraph
    declarative_starts: set[str] = field(default_factory=set)  # first statements
    declarative_stmts: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)  # statements GnuCOBOL never traces
    heads: set[str] = field(default_factory=set)  # not traced when control comes back to them
    previous: dict[str, str] = field(default_factory=dict)  # paragraph → the one before it


def _real(file: str) -> str:
    return os.path.realpath(file)


def build_model(program: A.Program) -> Model:
    pf = program_flow(program)
    g = pf.paragraphs
    start, end = f"{program.name}:(START)", f"{program.name}:(END)"
    m = Model(program.name.upper(), g, pf.statements, start, end)
    m.unreachable_paragraphs = set(pf.facts.unreachable_paragraphs)
    m.unreachable_statements = set(pf.facts.unreachable_statements)
    for sid, d in pf.statements.nodes(data=True):
        st = d["stmt"]
        if st is not None and st.span is not None:
            m.stmts_at.setdefault((_real(st.span.file), st.span.line), []).append(sid)
    assert program.procedure is not None
    if program.procedure.span is not None:
        m.procedure_at = (_real(program.procedure.span.file), program.procedure.span.line)
    ids = paragraph_ids(program)
    for section in program.procedure.sections:
        members = frozenset(ids[id(p)] for p in section.paragraphs)
        for p in section.paragraphs:
            pid = ids[id(p)]
            if p.name is None:
                m.unnamed.add(pid)
                if section.span is not None:
                    m.section_at[(_real(section.span.file), section.span.line)] = pid
            elif p.span is not None:
                m.para_at[(_real(p.span.file), p.span.line)] = pid
            if p.name is not None:
                m.para_named.setdefault(p.name.upper(), []).append(pid)
            if section.declarative:
                m.declarative_section[pid] = members
    for _, dst, d in g.out_edges(start, data=True):
        if d["kind"] == "declarative":
            m.declarative_entries.add(dst)
    for _, dst, d in pf.statements.out_edges(start, data=True):
        if d["kind"] == "declarative":
            m.declarative_starts.add(dst)
    altered = {name.upper() for n in program.procedure.walk() if isinstance(n, A.AlterStmt)
               for name, _ in n.pairs}
    for sid, d in pf.statements.nodes(data=True):
        st = d["stmt"]
        if isinstance(st, A.GoToStmt) and g.nodes[d["paragraph"]]["name"].upper() in altered:
            m.silent.add(sid)  # GnuCOBOL does not trace an alterable GO TO
        if (isinstance(st, A.PerformStmt) and (st.times or st.until or st.varying)) or (
                st is not None and "procedure" in " ".join(st.details)):
            m.heads.add(sid)  # a loop, a SORT/MERGE/XML PARSE procedure
    in_declaratives = {n for n, d in g.nodes(data=True) if d["declarative"]}
    m.declarative_stmts = {n for n, d in pf.statements.nodes(data=True)
                           if d["paragraph"] in in_declaratives}
    order = [n for n, d in g.nodes(data=True) if d["kind"] == "paragraph"]
    position = {n: k for k, n in enumerate(order)}
    m.previous = dict(zip(order[1:], order[:-1], strict=True))
    for src, _, d in g.edges(data=True):
        if d["kind"] == "return":
            known = m.range_last.get(d["statement"])
            if known is None or position[src] > position[known]:
                m.range_last[d["statement"]] = src
    return m


def models_of(path: Path, copy_dirs: Sequence[Path]) -> list[Model]:
    result = parse_file(path, copy_dirs)
    return [build_model(p) for p in result.all_programs() if p.procedure is not None]


# ------------------------------------------------------------------------------ the checker

Frame = str | tuple[str, str, frozenset[str]]  # a PERFORM's statement ID, or a declarative
State = tuple[str, tuple[Frame, ...]]
MAX_STATES = 512
MAX_DEPTH = 256
_ENTER = {"perform": True, "perform-thru": True, "sort-procedure": True, "goto": False,
          "alter": False, "fallthrough": False, "entry": False, "declarative": False}


@dataclass
class Report:
    programs: set[str] = field(default_factory=set)
    transitions: int = 0
    explained: int = 0
    unexplained: list[str] = field(default_factory=list)
    statement_steps: int = 0
    statement_explained: int = 0
    statement_unexplained: list[str] = field(default_factory=list)
    executed_paragraphs: set[tuple[str, str]] = field(default_factory=set)
    unreachable_run: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.programs |= other.programs
        self.transitions += other.transitions
        self.explained += other.explained
        self.unexplained += other.unexplained
        self.statement_steps += other.statement_steps
        self.statement_explained += other.statement_explained
        self.statement_unexplained += other.statement_unexplained
        self.executed_paragraphs |= other.executed_paragraphs
        self.unreachable_run += other.unreachable_run

    def line(self, label: str) -> str:
        pct = 100.0 * self.explained / self.transitions if self.transitions else 100.0
        spct = (100.0 * self.statement_explained / self.statement_steps
                if self.statement_steps else 100.0)
        return (f"{label}: {len(self.programs)} programs traced, {self.transitions} paragraph "
                f"transitions, {pct:.2f}% explained; {self.statement_steps} statement steps, "
                f"{spct:.2f}% explained; {len(self.unreachable_run)} unreachable executed")


@dataclass
class _Context:
    program: str  # the name the trace gives it
    model: Model
    states: set[State]
    stmts: set[str]
    gap: bool = False
    last_line: tuple[str, int] = ("", 0)
    interrupted: list[set[str]] = field(default_factory=list)  # where declaratives came from


class Checker:
    """Follows one trace through the graphs of the programs it passes through."""

    def __init__(self, models: dict[str, Model]) -> None:
        self.models = models
        self.entered_at = {m.procedure_at: m for m in models.values() if m.procedure_at}
        self.report = Report()
        self.stack: list[_Context] = []
        self.offset: dict[str, int] = {}

    # -- paragraph level

    def _pops(self, m: Model, state: State) -> list[State]:
        """The state itself and every state reached from it by returns."""
        out = [state]
        todo = [state]
        seen = {state}
        while todo:
            cur, stack = todo.pop()
            if not stack:
                continue
            top = stack[-1]
            nxt: list[State] = []
            if isinstance(top, tuple):
                if cur in top[2]:
                    nxt.append((top[1], stack[:-1]))
            else:
                for _, dst, d in m.paragraphs.out_edges(cur, data=True):
                    if d["kind"] == "return" and d["statement"] == top:
                        nxt.append((dst, stack[:-1]))
            for s in nxt:
                if s not in seen:
                    seen.add(s)
                    out.append(s)
                    todo.append(s)
        return out

    def _step(self, m: Model, states: set[State], q: str, announced: bool) -> set[State]:
        out: set[State] = set()
        for state in states:
            for cur, stack in self._pops(m, state):
                if announced and q in m.declarative_entries and len(stack) < MAX_DEPTH:
                    out.add((q, (*stack, ("DECL", cur, m.declarative_section[q]))))
                if not announced and cur == q and (cur, stack) != state:
                    out.add((cur, stack))
                for _, dst, d in m.paragraphs.out_edges(cur, data=True):
                    if dst != q:
                        continue
                    kind = d["kind"]
                    if kind not in _ENTER or (not announced and not (
                            kind == "entry" and q in m.unnamed)):
                        continue
                    if _ENTER[kind]:
                        if len(stack) < MAX_DEPTH:
                            out.add((q, (*stack, d["statement"])))
                    elif kind == "fallthrough" and stack and isinstance(stack[-1], str) and (
                            m.range_last.get(stack[-1]) == m.previous.get(q)):
                        continue  # the end of the innermost PERFORM range returns
                    else:
                        out.add((q, stack))
        if len(out) > MAX_STATES:
            out = set(sorted(out, key=lambda s: len(s[1]))[:MAX_STATES])
        return out

    def _can_exit(self, m: Model, states: set[State]) -> bool:
        for state in states:
            for cur, _ in self._pops(m, state):
                for _, dst, d in m.paragraphs.out_edges(cur, data=True):
                    if dst == m.end and d["kind"] == "exit":
                        return True
        return False

    def _transition(self, ctx: _Context, qs: list[str], announced: bool, where: Event) -> None:
        """Control is now in one of ``qs`` (several when a copybook copied twice puts two
        paragraphs' statements on one line)."""
        m = ctx.model
        curs = {cur for cur, _ in ctx.states}
        if not announced and curs & set(qs):
            ctx.states = {s for s in ctx.states if s[0] in qs}
            return
        self.report.transitions += 1
        new: set[State] = set()
        for q in dict.fromkeys(qs):
            new |= self._step(m, ctx.states, q, announced)
        if new:
            self.report.explained += 1
        else:
            self.report.unexplained.append(
                f"{m.name}: {sorted(curs)} -> {qs[0]} at {where.file}:{where.line} ({where.kind})")
            new = {(qs[0], stack) for _, stack in ctx.states}
        ctx.states = new
        for q in {cur for cur, _ in new}:
            self.report.executed_paragraphs.add((m.name, q))
            if q in m.unreachable_paragraphs:
                self.report.unreachable_run.append(f"paragraph {q}")

    def _exit(self, ctx: _Context, where: Event) -> None:
        self.report.transitions += 1
        if self._can_exit(ctx.model, ctx.states):
            self.report.explained += 1
        else:
            curs = sorted(cur for cur, _ in ctx.states)
            self.report.unexplained.append(
                f"{ctx.model.name}: {curs} -> (END) at {where.file}:{where.line}")

    # -- statement level

    def _candidates(self, m: Model, e: Event) -> list[str]:
        """The statements a statement event stands for: those on its line with its verb. (A
        statement after a PERFORM on the same line is traced with the line of the last statement
        performed, so a verb found nowhere on the line means the line is not to be trusted.)"""
        verb = e.name.upper()
        return [s for s in m.stmts_at.get((e.file, e.line), [])
                if m.statements.nodes[s]["stmt"].verb.upper() == verb]

    def _statement(self, ctx: _Context, e: Event, cands: list[str]) -> None:
        m = ctx.model
        verb = e.name.upper()
        stale = (e.file, e.line) == ctx.last_line
        ctx.last_line = (e.file, e.line)
        if not cands:
            # a statement traced with a line it is not on: the next step may pass through it
            ctx.gap = ctx.gap or verb != "WHEN"
            return
        if all(c in m.unreachable_statements for c in cands):
            self.report.unreachable_run.append(f"statement {cands[0]}")
        if not ctx.stmts:
            ctx.stmts = set(cands)
            return
        self.report.statement_steps += 1
        targets = set(cands)
        found = self._follow(m, ctx.stmts, targets, ctx.gap)
        if not found and targets & m.declarative_starts:
            ctx.interrupted.append(ctx.stmts)  # an I/O error runs a USE procedure
            found = targets & m.declarative_starts
        elif not found and ctx.interrupted and ctx.stmts <= m.declarative_stmts:
            found = self._follow(m, ctx.interrupted.pop(), targets, True)
        if stale and (ctx.gap or not found):
            # after a PERFORM, the next statement on the PERFORM's line is traced with the line
            # of the last statement performed: not this statement, so the step is not checked
            self.report.statement_steps -= 1
            ctx.gap = True
            return
        ctx.gap = False
        if found:
            self.report.statement_explained += 1
            ctx.stmts = found
        else:
            self.report.statement_unexplained.append(
                f"{m.name}: {sorted(ctx.stmts)} -> {cands} ({verb} at {e.file}:{e.line})")
            ctx.stmts = set(cands)

    @staticmethod
    def _follow(m: Model, sources: set[str], targets: set[str], gap: bool) -> set[str]:
        """The targets reachable from the sources: directly, or through statements that
        GnuCOBOL does not trace when control comes back to them (any statement after a gap)."""
        found: set[str] = set()
        seen: set[str] = set()
        todo = deque(sources)
        while todo and found != targets:
            s = todo.popleft()
            for _, t, kind in m.statements.out_edges(s, data="kind"):
                if t in targets:
                    found.add(t)
                back = t in m.heads and kind in ("return", "loop", "loop-exit")
                if t not in seen and (gap or back or t in m.silent):
                    seen.add(t)
                    todo.append(t)
        return found

    # -- driving

    def run(self, events: Iterable[Event]) -> Report:
        for e in events:
            e = self._shifted(e)
            if e.kind == "Entry":
                model = self.entered_at.get((e.file, e.line)) or self.models.get(e.program)
                if model is None:
                    empty = Model(e.program, nx.MultiDiGraph(), nx.DiGraph(), "", "")
                    self.stack.append(_Context(e.program, empty, set(), set()))
                    continue
                self.report.programs.add(model.name)
                self.stack.append(_Context(e.program, model, {(model.start, ())},
                                           {model.start}))
                continue
            if not self.stack or self.stack[-1].program != e.program:
                continue
            ctx = self.stack[-1]
            if not ctx.model.start:
                if e.kind == "Exit":
                    self.stack.pop()
                continue
            if e.kind == "Exit":
                self._exit(ctx, e)
                self.stack.pop()
            elif e.kind in ("Paragraph", "Section"):
                q = self._announced(ctx.model, e)
                if q is not None:
                    self._transition(ctx, [q], True, e)
            else:
                sids = self._candidates(ctx.model, e)
                if sids:
                    paras = [ctx.model.statements.nodes[s]["paragraph"] for s in sids]
                    self._transition(ctx, paras, False, e)
                self._statement(ctx, e, sids)
        return self.report

    def _shifted(self, e: Event) -> Event:
        """GnuCOBOL 3.1 numbers lines wrongly after some REPLACE and COPY REPLACING texts that
        change the number of lines: each Paragraph line whose name is used once re-anchors the
        numbering of its file, and the statement lines after it are moved by the same amount."""
        if e.kind == "Paragraph" and self.stack and self.stack[-1].program == e.program:
            m = self.stack[-1].model
            named = m.para_named.get(e.name.upper(), [])
            if m.para_at.get((e.file, e.line)) not in named and len(named) == 1:
                real = m.paragraphs.nodes[named[0]]
                if real["file"] and _real(real["file"]) == e.file:
                    self.offset[e.file] = real["line"] - e.line
                    return replace(e, line=real["line"])
            self.offset[e.file] = 0
            return e
        shift = self.offset.get(e.file, 0)
        return replace(e, line=e.line + shift) if shift and e.kind == "Statement" else e

    @staticmethod
    def _announced(m: Model, e: Event) -> str | None:
        """The paragraph a Paragraph/Section line enters, by its place."""
        if e.kind == "Section":
            return m.section_at.get((e.file, e.line))
        return m.para_at.get((e.file, e.line))

    def finish(self, ended_normally: bool) -> None:
        """The run is over: a normal end (STOP RUN) must be an exit of the innermost program."""
        if ended_normally and self.stack and self.stack[-1].model.start:
            ctx = self.stack[-1]
            self._exit(ctx, Event(ctx.model.name, "Exit", "", "(end of run)", 0))


# ------------------------------------------------------------------------------ running cobc


def compile_program(source: Path, out: Path, copy_dirs: Sequence[Path], module: bool,
                    std: str = "ibm", trace: str = "-ftraceall",
                    ) -> subprocess.CompletedProcess[str]:
    """``cobc`` with tracing: ``-ftraceall`` (statements too) or ``-ftrace`` (paragraphs)."""
    assert COBC is not None
    target = ["-m"] if module else ["-x"]
    args = [COBC, f"-std={std}", trace, *target, "-o", str(out)]
    for d in copy_dirs:
        args += ["-I", str(d)]
    return subprocess.run([*args, str(source)], capture_output=True, text=True, timeout=120)


@dataclass
class Run:
    trace: str
    returncode: int
    stderr: str
    timed_out: bool = False


def run_traced(exe: Path, cwd: Path, env: dict[str, str], trace: Path, timeout: float,
               stdin: str = "") -> Run:
    full = {k: v for k, v in os.environ.items() if not k.upper().startswith("DD_")}
    full.update(env)
    full["COB_SET_TRACE"] = "Y"
    full["COB_TRACE_FILE"] = str(trace)
    trace.unlink(missing_ok=True)
    timed_out = False
    try:
        proc = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True,
                              cwd=cwd, env=full, timeout=timeout, errors="replace")
        rc, err = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired:
        rc, err, timed_out = -1, "", True
    text = trace.read_text("latin-1") if trace.exists() else ""
    return Run(text, rc, err, timed_out)


def check_run(run: Run, models: dict[str, Model], cwd: Path) -> Report:
    checker = Checker(models)
    checker.run(parse_trace(run.trace, cwd))
    normal = not run.timed_out and "libcob:" not in run.stderr and run.returncode >= 0
    checker.finish(normal)
    return checker.report


# ------------------------------------------------------------------------------ the samples

needs_cobc = pytest.mark.skipif(COBC is None, reason="cobc (GnuCOBOL) is not on PATH")

SAMPLE_MAINS = ["ACCTLOAD", "TRANPOST", "INTCALC", "ACCTSORT", "ACCTRPT", "REJRPT", "CUSTCONV",
                "DATEDRVR"]
SAMPLE_SUBPROGRAMS = {"ACCTVAL": "ACCTVAL.cbl", "DATEUTIL": "DATEUTIL.cob"}


def _sample(program: str) -> Path:
    name = SAMPLE_SUBPROGRAMS.get(program) or next(
        p.name for p in (SAMPLES / "COBOL").iterdir() if p.stem.upper() == program)
    return SAMPLES / "COBOL" / name


def _chain(work: Path) -> list[tuple[str, dict[str, Path], Path | None]]:
    """The batch chain of tests/test_samples.py: (program, DD files, stdin)."""
    return [
        ("ACCTLOAD", {"ACCTIN": DATA / "ACCTLOAD.txt", "ACCTMAST": work / "acctmast.dat"}, None),
        ("TRANPOST", {"TRANIN": DATA / "TRANFILE.txt", "ACCTMAST": work / "acctmast.dat",
                      "REJOUT": work / "rejects.dat"}, None),
        ("REJRPT", {"REJIN": work / "rejects.dat", "REJLIST": work / "rejlist.txt"}, None),
        ("INTCALC", {"RATEFILE": DATA / "RATES.dat", "ACCTMAST": work / "acctmast.dat",
                     "INTOUT": work / "intout.dat"}, DATA / "RUNDATE.txt"),
        ("ACCTSORT", {"ACCTMAST": work / "acctmast.dat", "ACCTEXT": work / "acctext.dat"}, None),
        ("ACCTRPT", {"ACCTEXT": work / "acctext.dat", "RPTFILE": work / "report.txt"},
         DATA / "RUNDATE.txt"),
        ("CUSTCONV", {"CUSTIN": DATA / "CUSTFEED.csv", "CUSTOUT": work / "custmast.dat"}, None),
        ("DATEDRVR", {"DATECASE": DATA / "DATECASE.txt", "DATEOUT": work / "dateout.txt"}, None),
        # the error paths: a master file that is not there
        ("ACCTSORT", {"ACCTMAST": work / "missing.dat", "ACCTEXT": work / "x.dat"}, None),
        ("REJRPT", {"REJIN": work / "missing.dat", "REJLIST": work / "x.txt"}, None),
    ]


@dataclass
class SampleRuns:
    work: Path
    models: dict[str, Model]
    runs: list[tuple[str, Run, Report]]


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory: pytest.TempPathFactory) -> SampleRuns:
    if COBC is None:
        pytest.skip("cobc (GnuCOBOL) is not on PATH")
    work = tmp_path_factory.mktemp("cfgtrace")
    (work / "bin").mkdir()
    (work / "lib").mkdir()
    everything = SAMPLE_MAINS + list(SAMPLE_SUBPROGRAMS)

    def build(program: str) -> subprocess.CompletedProcess[str]:
        module = program in SAMPLE_SUBPROGRAMS
        out = work / ("lib" if module else "bin") / (program + (".so" if module else ""))
        return compile_program(_sample(program), out, [COPYLIB], module)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        built = dict(zip(everything, pool.map(build, everything), strict=True))
    for program, proc in built.items():
        assert proc.returncode == 0, f"{program}: {proc.stderr}"
    models = {m.name: m for p in everything for m in models_of(_sample(p), [COPYLIB])}
    runs = []
    for k, (program, dds, stdin) in enumerate(_chain(work)):
        env = {f"DD_{dd}": str(path) for dd, path in dds.items()}
        env["COB_LIBRARY_PATH"] = str(work / "lib")
        run = run_traced(work / "bin" / program, work, env, work / f"trace{k}.txt", 60,
                         stdin.read_text() if stdin else "")
        assert run.trace, f"{program}: no trace"
        runs.append((program, run, check_run(run, models, work)))
    return SampleRuns(work, models, runs)


@needs_cobc
@pytest.mark.cobc
def test_trace_reader_reads_every_kind_of_line(tmp_path: Path) -> None:
    text = ("Source: 'a.cbl'\nProgram-Id:  P\n"
            "Program-Id:  P                 Entry: P                               Line:      6\n"
            "Program-Id:  P               Section: S                               Line:      7\n"
            "Program-Id:  P             Paragraph: A                               Line:      8\n"
            "Program-Id:  P                        GO TO                           Line:      9\n"
            "Source: 'copy/c.cpy'\n"
            "Program-Id:  P                  Exit: P                               Line:      3")
    events = parse_trace(text, tmp_path)
    assert [(e.kind, e.name, Path(e.file).name, e.line) for e in events] == [
        ("Entry", "P", "a.cbl", 6), ("Section", "S", "a.cbl", 7),
        ("Paragraph", "A", "a.cbl", 8), ("Statement", "GO TO", "a.cbl", 9),
        ("Exit", "P", "c.cpy", 3)]


@needs_cobc
@pytest.mark.cobc
def test_samples_every_paragraph_transition_is_explained(sample_runs: SampleRuns) -> None:
    total = Report()
    for _, _, report in sample_runs.runs:
        total.add(report)
    print("\n" + total.line("samples"))
    assert total.programs >= {"ACCTLOAD", "TRANPOST", "INTCALC", "ACCTSORT", "ACCTRPT",
                              "REJRPT", "CUSTCONV", "DATEDRVR", "ACCTVAL", "DATEUTIL"}
    assert total.transitions > 1000
    assert total.unexplained == []
    assert total.statement_unexplained == []
    assert total.statement_steps > 5000


@needs_cobc
@pytest.mark.cobc
def test_samples_nothing_reported_unreachable_runs(sample_runs: SampleRuns) -> None:
    total = Report()
    for _, _, report in sample_runs.runs:
        total.add(report)
    assert total.unreachable_run == []
    # and what never ran in these runs includes what the analysis calls unreachable
    ran = total.executed_paragraphs
    for model in sample_runs.models.values():
        assert not {(model.name, p) for p in model.unreachable_paragraphs} & ran


@needs_cobc
@pytest.mark.cobc
def test_checker_rejects_a_graph_without_the_edges_the_run_took(sample_runs: SampleRuns) -> None:
    """The check can fail: without REJRPT's GO TO DEPENDING edges its run is not explained."""
    model = sample_runs.models["REJRPT"]
    g = model.paragraphs.copy()
    for src, dst, key, d in list(g.edges(keys=True, data=True)):
        if src == "REJRPT:3000-LIST-REJECT" and d["kind"] == "goto":
            g.remove_edge(src, dst, key)
    broken = {**sample_runs.models, "REJRPT": replace(model, paragraphs=g)}
    program, run, report = sample_runs.runs[2]
    assert program == "REJRPT" and report.unexplained == []
    bad = check_run(run, broken, sample_runs.work)
    assert any("3000-LIST-REJECT" in u and "CAT-" in u for u in bad.unexplained)


@needs_cobc
@pytest.mark.cobc
def test_paragraph_only_traces_are_explained_too(sample_runs: SampleRuns, tmp_path: Path) -> None:
    """With ``-ftrace`` only paragraphs are traced: returns from PERFORMs are not seen and must
    be inferred from the stack."""
    exe = tmp_path / "rejrpt"
    proc = compile_program(_sample("REJRPT"), exe, [COPYLIB], False, trace="-ftrace")
    assert proc.returncode == 0, proc.stderr
    dds = next(d for p, d, _ in _chain(sample_runs.work) if p == "REJRPT")
    env = {f"DD_{dd}": str(path) for dd, path in dds.items()}
    run = run_traced(exe, sample_runs.work, env, tmp_path / "trace.txt", 60)
    events = parse_trace(run.trace, sample_runs.work)
    assert events and not any(e.kind == "Statement" for e in events)
    report = check_run(run, sample_runs.models, sample_runs.work)
    assert report.transitions > 100 and report.statement_steps == 0
    assert report.unexplained == [] and report.unreachable_run == []
