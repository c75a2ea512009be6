"""Business-rule units: each program chunked into the decisions, validations, calculations,
routing, state changes and I/O an analyst would recognise, with their conditions, effects,
data and source lines; every other statement is accounted for as plumbing.

Chunking, per statement list (a paragraph, or the body of a loop or phrase left as plumbing):

1. **Nests.** Every IF, EVALUATE, SEARCH and GO TO ... DEPENDING ON that is not inside another
   one roots a unit holding everything nested in it, with a decision table. A nest whose table
   would have more than :data:`MAX_ROWS` rows is split: each decision directly inside the
   root's branches becomes a unit of its own (recursively), and appears in the root's table as
   one action ending ``(separate rule)``.
2. **Anchors**, one statement each, absorbing their conditional phrases: WRITE, REWRITE,
   DELETE, RELEASE, GENERATE, SEND (communication), EXEC SQL INSERT/UPDATE/DELETE/MERGE, EXEC
   CICS WRITE/REWRITE/DELETE/WRITEQ (``state-change``); a keyed READ, RECEIVE, EXEC CICS
   READ/RECEIVE/READQ, EXEC SQL SELECT INTO, ACCEPT of input, SORT/MERGE (``io``); CALL, EXEC
   CICS LINK/XCTL/START/SEND/RETURN TRANSID/HANDLE (``routing``); a run of consecutive
   ADD/SUBTRACT/MULTIPLY/DIVIDE/COMPUTE that are not counters (``calculation``). A plumbing
   statement whose phrases hold more than plumbing (a sequential READ whose NOT AT END loads a
   table) roots a unit like a nest.
3. **Data movement** (MOVE, SET, INITIALIZE, STRING, UNSTRING, INSPECT) joins the first unit
   after it in the same list (or in the body of a loop that follows) that reads what it writes
   or overwrites it (a default a decision may override), provided no statement in between may
   write it; failing that, the nearest unit before it whose results it reads, nothing in
   between changing them.
4. **What is left**: moves to items only displayed, or only read by fatal-error paragraphs, or
   only tested by loops, end-of-file switches set in AT END, constants moved to working storage
   and moves to items nothing reads are plumbing; the other moves between two units form one
   unit when they touch an interface (FILE or LINKAGE SECTION, a BMS map, a COMMAREA, CALL
   parameters, SQL host variables, RETURN-CODE): ``validation`` if one sets an error, else
   ``io`` (a field mapping). Anything still left is unexplained.
5. Every other statement is plumbing for a reason (:mod:`cobolspec.rules.coverage`).

A nest's kind comes from the rows of its table: ``state-change`` when a row writes a record or
a table; ``validation`` when rows ending in an error (an error code or reason moved, an error
flag set, a message saying so, a transfer to an error paragraph, EXEC CICS ABEND; not inside
ON SIZE ERROR) are at least as many as rows transferring control elsewhere; ``routing`` when at
least two rows transfer to different places; ``calculation`` for arithmetic other than
counters; then ``validation`` if any row ends in an error; ``routing`` if rows transfer and do
nothing else (or to different places); otherwise ``decision`` (``io`` for a READ rooting a
unit). An anchor keeps its own kind, except a keyed lookup with phrases, classified as a nest.

A unit's reaching conditions are its paragraph's entry conditions followed by the local context
of its first statement (:mod:`cobolspec.rules.reaching`). Its ID is the first 12 hex digits of
the SHA-256 of its program, paragraph, kind, condition, actions and decision table (with an
occurrence number when two units of a program would share one); its name is ``PGM.Rnnn`` in
source order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from cobolspec.diagnostics import Span
from cobolspec.model import ast as A
from cobolspec.parse.facts import statement_id
from cobolspec.rules import coverage as R
from cobolspec.rules.coverage import Coverage
from cobolspec.rules.facts import FREE, StatementFacts, walk_nested
from cobolspec.rules.tables import DecisionRow, DecisionTable, TableBuilder, TooManyRows

__all__ = [
    "KINDS",
    "MAX_ROWS",
    "Coverage",
    "DecisionRow",
    "DecisionTable",
    "RuleSet",
    "RuleUnit",
    "extract_all",
    "extract_rules",
    "store_rows",
]

KINDS = ("decision", "validation", "calculation", "routing", "state-change", "io")
MAX_ROWS = 10


@dataclass(slots=True)
class RuleUnit:
    """One business-rule unit (see the module docstring for how units are cut)."""

    id: str  # 12 hex digits of sha256(program + normalised unit text)
    name: str  # f"{program}.R{n:03d}", n in source order
    program: str
    paragraph: str  # paragraph ID (cobolspec.parse.facts.paragraph_ids)
    kind: str  # one of KINDS
    condition: str | None  # the unit's own condition (IF condition, EVALUATE subjects...)
    reaching: list[str]  # conditions holding on every path from the entry to the unit
    actions: list[str]  # normalised statements, in source order
    inputs: list[str]  # data items, "file:F", "table:T", "map:M[.FIELD]", "commarea:ITEM"...
    outputs: list[str]
    literals: list[str]  # literals as written, and the values of condition-names used
    statements: list[str]  # statement IDs covered
    file: str  # physical location of the first statement
    line: int
    end_line: int
    spans: list[Span]
    decision_table: DecisionTable | None


@dataclass(slots=True)
class RuleSet:
    """The units of one program and how its statements are accounted for."""

    program: str
    units: list[RuleUnit]
    coverage: Coverage
    plumbing: dict[str, str] = field(default_factory=dict)  # statement ID → reason


def extract_rules(program: A.Program) -> RuleSet:
    """Chunk one program (not its nested programs) into rule units. Deterministic."""
    if program.procedure is None:
        return RuleSet(program.name, [], Coverage())
    return _Extractor(program).run()


def extract_all(programs: list[A.Program]) -> list[RuleSet]:
    """:func:`extract_rules` for each program and, after it, its nested programs."""
    out: list[RuleSet] = []
    for program in programs:
        out.append(extract_rules(program))
        out.extend(extract_all(program.nested))
    return out


def store_rows(ruleset: RuleSet) -> dict[str, list[dict[str, object]]]:
    """Rows for the ``rules``, ``rule_inputs`` and ``rule_outputs`` tables (``actions`` joined
    by ``"; "``; ``reaching`` a JSON array; ``decision_table`` a JSON object or None)."""
    rows: dict[str, list[dict[str, object]]] = {"rules": [], "rule_inputs": [],
                                                "rule_outputs": []}
    for u in ruleset.units:
        table = u.decision_table
        rows["rules"].append({
            "id": u.id, "name": u.name, "program": u.program, "paragraph": u.paragraph,
            "kind": u.kind, "condition": u.condition, "actions": "; ".join(u.actions),
            "file": u.file, "line": u.line, "end_line": u.end_line,
            "reaching": json.dumps(u.reaching),
            "decision_table": None if table is None else json.dumps({
                "condition_columns": table.condition_columns,
                "rows": [{"conditions": r.conditions, "actions": r.actions} for r in table.rows],
            }),
        })
        rows["rule_inputs"].extend({"rule": u.id, "item": i} for i in u.inputs)
        rows["rule_outputs"].extend({"rule": u.id, "item": o} for o in u.outputs)
    return rows


# --------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Draft:
    pid: str
    kind: str | None  # None: classified from its table's rows
    core: list[A.Statement]  # what the decision table shows
    members: list[A.Statement]  # top-level statements of the unit (any order)
    condition: str | None = None
    split: set[int] = field(default_factory=set)
    io_root: bool = False


@dataclass(slots=True)
class _Block:
    """One statement list being cut: where each (nested) statement sits in it, the section
    for resolving names, and the drafts whose statements lie in it."""

    stmts: list[A.Statement]
    where: dict[int, int]  # id(statement, nested ones too) → index in stmts
    section: str | None
    drafts: list[_Draft]


class _Extractor(StatementFacts):
    """Cuts one program into units (see the module docstring)."""

    def __init__(self, program: A.Program) -> None:
        super().__init__(program)
        self.drafts: list[_Draft] = []
        self.plumbing: dict[int, str] = {}

    # ------------------------------------------------------------------ blocks

    def run(self) -> RuleSet:
        for info in self.control.paragraphs:
            self._block(info.paragraph.statements, info.pid, False)
        return self._finish()

    def _block(self, stmts: list[A.Statement], pid: str, at_end: bool) -> list[_Draft]:
        """Cut one statement list into drafts; returns them with those cut inside the bodies
        and phrases of its plumbing statements (moves before a loop may feed its body)."""
        boiler = pid in self.boiler_pids
        local: list[_Draft] = []
        inner: list[_Draft] = []
        free: list[int] = []
        i = 0
        while i < len(stmts):
            st = stmts[i]
            kind = self._anchor_kind(st)
            if self._is_decision(st):
                local.extend(self._nest(st, pid))
            elif self._is_arith(st) and not boiler:
                j = i
                while j + 1 < len(stmts) and self._is_arith(stmts[j + 1]):
                    j += 1
                run = stmts[i:j + 1]
                local.append(_Draft(pid, "calculation", run, list(run)))
                i = j
            elif kind is not None and not boiler:
                local.append(_Draft(pid, kind, [st], [st]))
            elif st.phrases and self._phrases_hold_rules(st, pid):
                local.append(_Draft(pid, None, [st], [st], io_root=st.verb in (
                    "READ", "RETURN") or self._sql(st) is not None))
            else:
                if st.verb in FREE or (boiler and self._is_arith(st)):
                    free.append(i)
                else:
                    reason = R.ERROR if boiler else self._verb_reason(st)
                    if reason is not None:
                        self.plumbing[id(st)] = reason
                if isinstance(st, A.PerformStmt) and st.body:
                    inner += self._block(st.body, pid, False)
                for phrase in st.phrases:
                    inner += self._block(phrase.statements, pid, phrase.kind == "AT END")
            i += 1
        candidates = []
        for i in free:  # moves only displayed, or switches only loops test, are plumbing
            reason = self._free_reason(stmts[i], pid, at_end)
            if reason in (R.DISPLAY, R.ERROR, R.LOOP, R.UNUSED):
                self.plumbing[id(stmts[i])] = reason
            else:
                candidates.append(i)
        where = {id(s): k for k, st in enumerate(stmts) for s in walk_nested([st])}
        section = self.analysis.by_pid[pid].section if pid in self.analysis.by_pid else None
        block = _Block(stmts, where, section, local + inner)
        self._attach(block, candidates)
        local += self._leftovers(block, candidates, pid, at_end)
        self.drafts.extend(local)
        return local + inner

    def _nest(self, st: A.Statement, pid: str) -> list[_Draft]:
        """The draft of a decision nest, split while its table is too large."""
        draft = _Draft(pid, None, [st], [st], condition=self._own_condition(st))
        out = [draft]
        try:
            TableBuilder(self.p, limit=MAX_ROWS).rows([st])
        except TooManyRows:
            children = list(_child_decisions(st))
            draft.split = {id(c) for c in children}
            for child in children:
                out += self._nest(child, pid)
        return out

    def _own_condition(self, st: A.Statement) -> str | None:
        if isinstance(st, A.IfStmt):
            return self.p.cond(st.condition)
        if isinstance(st, (A.EvaluateStmt, A.SearchStmt)):
            return self.p.action(st)
        return None

    def _uses(self, block: _Block, d: _Draft) -> tuple[list[tuple[int, A.Ident]],
                                                       list[tuple[int, A.Ident]]]:
        """What a draft reads and writes, each with the block position where it happens."""
        reads: list[tuple[int, A.Ident]] = []
        writes: list[tuple[int, A.Ident]] = []
        for member in d.members:  # a split nest answers for the decisions split off it
            for s in walk_nested([member]):
                k = block.where.get(id(s))
                if k is None:
                    continue
                reads += [(k, r) for r in self._reads(s)]
                writes += [(k, w) for w in self._writes(s)]
        return reads, writes

    def _changed_between(self, block: _Block, start: int, end: int, refs: list[A.Ident]
                         ) -> bool:
        """Whether a statement strictly between ``start`` and ``end`` may write ``refs``."""
        places = [p for p in (self._storage(r) for r in refs) if p is not None]
        return any(self.analysis.mod(block.stmts[k], block.section).hits(p)
                   for k in range(start + 1, end) for p in places)

    def _attach(self, block: _Block, free: list[int]) -> None:
        """Data movement joins the first unit after it that uses (or overrides) what it
        writes, with nothing in between changing that; failing that, the nearest unit before
        it whose results it reads, nothing in between changing them."""
        stmts = block.stmts
        split = {c for d in block.drafts for c in d.split}
        drafts = [d for d in block.drafts if not (d.core and id(d.core[0]) in split)]
        uses = {id(d): self._uses(block, d) for d in drafts}
        first = {id(d): min((k for k, _ in uses[id(d)][0] + uses[id(d)][1]), default=None)
                 for d in drafts}
        order = sorted((d for d in drafts if first[id(d)] is not None),
                       key=lambda d: first[id(d)] or 0)
        taken: set[int] = set()
        for i in reversed(free):
            st = stmts[i]
            writes = self._writes(st)
            for d in order:
                reads, written = uses[id(d)]
                if not any(
                        j > i and self._overlaps([w], [r])
                        and not self._changed_between(block, i, j, [w])
                        for w in writes for j, r in reads + written):
                    continue
                d.members.append(st)
                reads += [(i, r) for r in self._reads(st)]
                written += [(i, w) for w in writes]
                taken.add(i)
                break
        for i in free:
            if i in taken:
                continue
            st = stmts[i]
            for d in sorted(order, key=lambda d: -(first[id(d)] or 0)):
                reads, written = uses[id(d)]
                if not any(
                        j < i and self._overlaps([r], [w])
                        and not self._changed_between(block, j, i, [r])
                        for r in self._reads(st) for j, w in written):
                    continue
                d.members.append(st)
                written += [(i, w) for w in self._writes(st)]
                taken.add(i)
                break
        free[:] = [i for i in free if i not in taken]

    def _leftovers(self, block: _Block, free: list[int], pid: str, at_end: bool
                   ) -> list[_Draft]:
        """Plumbing for what has a reason; the other moves between two units form a unit when
        they touch an interface (or set an error), else stay unexplained."""
        stmts = block.stmts
        positions = sorted({block.where[id(m)] for d in block.drafts for m in d.members
                            if id(m) in block.where})
        groups: dict[int, list[int]] = {}
        for i in free:
            st = stmts[i]
            reason = self._free_reason(st, pid, at_end)
            if reason is not None:
                self.plumbing[id(st)] = reason
                continue
            groups.setdefault(sum(1 for k in positions if k < i), []).append(i)
        out = []
        for members in groups.values():
            touched = [ref for i in members
                       for ref in self._writes(stmts[i]) + self._reads(stmts[i])]
            if any(self._error_signal(stmts[i]) for i in members):
                kind = "validation"
            elif any(self._is_interface(r) for r in touched):
                kind = "io"
            else:
                continue
            out.append(_Draft(pid, kind, [], [stmts[i] for i in members]))
        return out

    # ------------------------------------------------------------------ kinds

    def _classify(self, d: _Draft) -> str:
        if d.kind is not None and (d.kind != "io" or not any(s.phrases for s in d.core)):
            return d.kind
        builder = TableBuilder(self.p, d.split)
        paths = builder.row_statements(d.core)
        rows_err = rows_xfer = 0
        targets: set[frozenset[str]] = set()
        state = arith = False
        only_transfers = True  # every row that acts only transfers control (or counts)
        for path in paths:
            only_transfers = only_transfers and all(
                self._transfers(s) or self._alone_reason(s, d.pid, False) is not None
                for s, _ in path)
            err = any(self._error_signal(s) for s, in_size_error in path if not in_size_error)
            xfer = frozenset(t for s, _ in path for t in self._transfers(s))
            state = state or any(self._anchor_kind(s) == "state-change" for s, _ in path)
            arith = arith or any(self._is_arith(s) for s, _ in path)
            if err:
                rows_err += 1
            elif xfer:
                rows_xfer += 1
                targets.add(xfer)
        if state:
            return "state-change"
        if rows_err and rows_err >= rows_xfer:
            return "validation"
        if rows_xfer >= 2 and len(targets) >= 2:
            return "routing"
        if arith:
            return "calculation"
        if rows_err:
            return "validation"
        if rows_xfer and (len(targets) >= 2 or only_transfers):
            return "routing"
        return "io" if d.io_root or d.kind == "io" else "decision"

    # ------------------------------------------------------------------ units

    def _finish(self) -> RuleSet:
        drafts = sorted(self.drafts, key=lambda d: min(self.seq[id(s)] for s in d.members))
        units: list[RuleUnit] = []
        seen: dict[str, int] = {}
        in_units: set[str] = set()
        for n, d in enumerate(drafts, start=1):
            unit = self._unit(d, n, seen)
            units.append(unit)
            in_units.update(unit.statements)
        all_ids = [statement_id(s) for s in self.all_statements]
        plumbing = {statement_id(s): self.plumbing[id(s)] for s in self.all_statements
                    if id(s) in self.plumbing and statement_id(s) not in in_units}
        return RuleSet(self.program.name, units, Coverage.count(all_ids, in_units, plumbing),
                       plumbing)

    def _unit(self, d: _Draft, n: int, seen: dict[str, int]) -> RuleUnit:
        members = sorted(d.members, key=lambda m: self.seq[id(m)])
        covered = [s for s in walk_nested(members, d.split)]
        kind = self._classify(d)
        split_roots = [s for s in walk_nested(members) if id(s) in d.split]
        actions = []
        for s in walk_nested(members):
            if id(s) in d.split:
                actions.append(self.p.action(s) + " (separate rule)")
            elif (not self._is_decision(s) or isinstance(s, A.GoToStmt)) and not any(
                    s is c or _contains(c, s) for c in split_roots):
                actions.append(self.p.action(s))
        table = self._table(d)
        inputs, outputs = self._data(covered)
        literals = self._literals(covered)
        first = members[0]
        reaching = list(dict.fromkeys(self.analysis.fact_text(f)
                                      for f in self.analysis.reaching(first)))
        text = "\n".join([self.program.name, d.pid, kind, d.condition or "", *actions,
                          *(_table_text(table) if table else [])])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        if digest in seen:
            seen[digest] += 1
            digest = hashlib.sha256(f"{text}\n#{seen[digest]}".encode()).hexdigest()[:12]
        seen.setdefault(digest, 1)
        spans = _spans(members)
        file = spans[0].file if spans else ""
        line = spans[0].line if spans else 0
        end_line = max((s.end_line for s in spans if s.file == file), default=line)
        return RuleUnit(
            id=digest, name=f"{self.program.name}.R{n:03d}", program=self.program.name,
            paragraph=d.pid, kind=kind, condition=d.condition, reaching=reaching,
            actions=actions, inputs=inputs, outputs=outputs, literals=literals,
            statements=[statement_id(s) for s in covered], file=file, line=line,
            end_line=end_line, spans=spans, decision_table=table)

    def _table(self, d: _Draft) -> DecisionTable | None:
        if len(d.core) == 1 and self._cics(d.core[0]) in ("HANDLE CONDITION", "HANDLE AID"):
            block = self._cics_block(d.core[0])
            pairs = block.conditions if block.conditions else block.aid_keys
            column = "CICS condition" if block.conditions else "attention key"
            return DecisionTable([column], [
                DecisionRow([c], [f"GO TO {label}" if label else "(no handler)"])
                for c, label in pairs])
        if not d.core:
            return None
        return TableBuilder(self.p, d.split).build(d.core)


def _contains(root: A.Statement, st: A.Statement) -> bool:
    return any(s is st for s in walk_nested([root]))


def _child_decisions(st: A.Statement) -> Iterator[A.Statement]:
    """The decisions directly inside a nest's branches (not inside another decision)."""
    for body in _bodies(st):
        for s in body:
            if StatementFacts._is_decision(s):
                yield s
            else:
                yield from _child_decisions(s)


def _bodies(st: A.Statement) -> Iterator[list[A.Statement]]:
    if isinstance(st, A.IfStmt):
        yield st.then
        if st.else_:
            yield st.else_
    elif isinstance(st, (A.EvaluateStmt, A.SearchStmt)):
        for when in st.whens:
            yield when.statements
    elif isinstance(st, A.PerformStmt) and st.body:
        yield st.body
    for phrase in st.phrases:
        yield phrase.statements


def _spans(members: list[A.Statement]) -> list[Span]:
    """The members' spans, consecutive ones in one file merged."""
    out: list[Span] = []
    for st in members:
        if st.span is None:
            continue
        last = out[-1] if out else None
        if last is not None and last.end.file == st.span.start.file and \
                st.span.start.line <= last.end.line + 1:
            out[-1] = Span(last.start, st.span.end)
        else:
            out.append(st.span)
    return out


def _table_text(table: DecisionTable) -> list[str]:
    lines = [" | ".join(table.condition_columns)]
    lines += [" | ".join(r.conditions) + " => " + "; ".join(r.actions) for r in table.rows]
    return lines
