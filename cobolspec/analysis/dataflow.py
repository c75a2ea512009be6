"""Data flow of one program: which statement defines and uses which data item, and from what.

:func:`analyze` reads every statement of a program once (nested statements each on their own)
and records, under the statement's ID (:func:`cobolspec.parse.facts.statement_id`):

* **accesses** (:class:`Access`): each data item defined (``def``) or used (``use``), with
  ``via`` saying how. Direct accesses name the operand's item; every other item sharing bytes
  with it (subordinates, the groups above, REDEFINES, RENAMES, the other records of an FD) is
  touched too, with ``via="alias"`` and ``through`` naming the item actually written. An access
  is ``partial`` when it need not replace the whole item: a subscripted or reference-modified
  operand, a group above the operand, a receiving field of STRING/UNSTRING/INSPECT, an argument
  passed BY REFERENCE (the callee may or may not change it). Partial definitions do not end the
  life of earlier ones. (A result under ON SIZE ERROR is a whole definition; the reaching
  definitions let the old value through along the ON SIZE ERROR arm.)
* **flows** (:class:`Flow`), in the order they happen: the value written into each target
  comes from which operands (or from a target of an earlier flow of the same statement, as
  READ INTO takes the record just read) and outside sources (:class:`Endpoint`: a literal, a
  file, DB2, CICS, ACCEPT...), and which values leave the program (a WRITE, a host variable
  given to DB2, SEND MAP, DISPLAY, CALL USING...). Subscripts and reference-modification
  operands are used (``via="subscript"``) but are not part of a value's lineage.

``via`` values: the verb for ordinary operands (``MOVE``, ``COMPUTE``, ``ADD``, ``IF``,
``EVALUATE``, ``DISPLAY``, ``STRING``...), and ``MOVE CORRESPONDING``, ``ADD CORRESPONDING``,
``SUBTRACT CORRESPONDING``, ``READ``, ``READ INTO``, ``RETURN``, ``RETURN INTO``, ``READ KEY``,
``WRITE``, ``WRITE FROM`` (and ``REWRITE``/``RELEASE`` likewise), ``FILE STATUS``, ``ACCEPT``,
``SET``, ``SET TRUE``, ``SET FALSE``, ``SET ADDRESS``, ``PERFORM VARYING``, ``PERFORM UNTIL``,
``PERFORM TIMES``, ``SEARCH``, ``CALL``, ``CALL BY REFERENCE``, ``CALL BY CONTENT``,
``CALL BY VALUE``, ``CALL RETURNING``, ``SQL INTO``, ``SQL INPUT``, ``SQL CALL``,
``SQL INDICATOR``, ``SQLCA``, ``CICS <OPTION>`` (``CICS INTO``, ``CICS FROM``, ``CICS RIDFLD``,
``CICS COMMAREA``, ``CICS RESP``...), ``DLI <OPTION>``, ``subscript`` and ``alias``.

:func:`def_use` lists the accesses; :func:`reaching_definitions`, :func:`lineage` and
:func:`forward_lineage` (in :mod:`cobolspec.analysis.lineage`) follow them along the
statement-level control flow; :func:`possible_values` answers what a data item used as a
program name can hold; :func:`store_rows` gives the rows of the ``dataflow`` table.

>>> from cobolspec.parse.parser import parse_expanded
>>> from cobolspec.source import preprocess
>>> src = '''       IDENTIFICATION DIVISION.
...        PROGRAM-ID. D.
...        DATA DIVISION.
...        WORKING-STORAGE SECTION.
...        01  GRP.
...            05  A    PIC X(4).
...            05  B    PIC X(4).
...        01  PGM      PIC X(8) VALUE 'SUB1'.
...        PROCEDURE DIVISION.
...            MOVE 'ABCD' TO A
...            MOVE GRP TO B
...            MOVE 'SUB2' TO PGM
...            CALL PGM USING GRP
...            STOP RUN.
... '''
>>> program = parse_expanded(preprocess(src)).programs[0]
>>> [(a.access, a.item, a.via) for a in def_use(program) if a.statement.endswith(":11:12")]
[('use', 'GRP', 'MOVE'), ('use', 'A OF GRP', 'alias'), ('use', 'B OF GRP', 'alias'), \
('def', 'B OF GRP', 'MOVE'), ('def', 'GRP', 'alias')]
>>> sorted(possible_values(program, "PGM"))
['SUB1', 'SUB2']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cobolspec.analysis.symbols import Ref, SymbolTable
from cobolspec.diagnostics import Diagnostic
from cobolspec.model import ast as A
from cobolspec.parse.facts import statement_id

if TYPE_CHECKING:
    from cobolspec.analysis.lineage import Lineage, ReachingDefinitions

__all__ = [
    "Access",
    "DataFlow",
    "Endpoint",
    "Flow",
    "StatementFacts",
    "analyze",
    "def_use",
    "forward_lineage",
    "item_name",
    "lineage",
    "possible_values",
    "reaching_definitions",
    "store_rows",
]

DEF, USE = "def", "use"
ALIAS = "alias"

# Endpoint kinds: where values come from (sources) and where they go (outputs).
LITERAL = "literal"  # a literal or figurative constant written in a statement
VALUE = "value"  # the VALUE clauses an item starts with
UNINITIALIZED = "uninitialized"  # storage read before anything was written to it
LINKAGE = "linkage"  # the caller's data (LINKAGE SECTION, DFHCOMMAREA); also: written back
FILE = "file"  # a record read from / written to a file (READ, RETURN; WRITE, REWRITE, RELEASE)
SQL = "sql"  # DB2: a column read into a host variable / a host variable given to DB2
CICS = "cics"  # CICS: RECEIVE MAP, READ FILE, RESP, EIB ... / SEND MAP, COMMAREA, WRITE FILE
DLI = "dli"  # IMS DL/I
ACCEPT = "accept"  # ACCEPT from a device, DATE, TIME ...
FUNCTION = "function"  # an intrinsic function with no data arguments (CURRENT-DATE, RANDOM)
CALL = "call"  # a called program: what it returns BY REFERENCE / what it is given
REGISTER = "register"  # a special register the run time sets (RETURN-CODE, SORT-RETURN ...)
DISPLAY = "display"  # DISPLAY (upon a device)
RETURN_CODE = "return-code"  # RETURN-CODE set for the caller or the job step


@dataclass(frozen=True, slots=True)
class Access:
    """One data item defined or used by one statement; see the module docstring."""

    statement: str
    item: str
    access: str  # "def" | "use"
    via: str
    partial: bool = False
    through: str | None = None  # for via "alias": the item the statement names

    @property
    def alias(self) -> bool:
        return self.via == ALIAS


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A value's origin or destination: an ``item`` (by qualified name), or one of the outside
    kinds (:data:`LITERAL`, :data:`FILE`, :data:`SQL`, :data:`CICS` ...). ``name`` is the item,
    literal, file, ``TABLE.COLUMN``, CICS command and resource, program or device; ``field`` the
    part of a record or map involved when known; ``detail`` a word more (the SQL statement
    kind, a value)."""

    kind: str
    name: str
    field: str | None = None
    detail: str | None = None

    def __str__(self) -> str:
        text = f"{self.kind} {self.name}"
        if self.field:
            text += f" [{self.field}]"
        return text


@dataclass(frozen=True, slots=True)
class Flow:
    """At one statement, ``target`` receives a value made from ``sources``. ``copy`` when the
    bytes are moved unchanged (a group or alphanumeric MOVE, READ INTO, WRITE FROM...), so a part
    of the target comes from the same part of the source."""

    target: Endpoint
    sources: tuple[Endpoint, ...]
    via: str
    copy: bool = False


@dataclass(slots=True)
class StatementFacts:
    """Accesses and flows of one statement."""

    id: str
    statement: A.Statement
    accesses: list[Access] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)

    @property
    def defs(self) -> list[Access]:
        return [a for a in self.accesses if a.access == DEF]

    @property
    def uses(self) -> list[Access]:
        return [a for a in self.accesses if a.access == USE]


@dataclass(slots=True)
class DataFlow:
    """The data-flow facts of one program: its symbol table, the facts of each statement (in
    source order, nested statements after the statement holding them), and diagnostics."""

    program: A.Program
    symbols: SymbolTable
    statements: list[StatementFacts]
    items: dict[str, A.DataItem]  # qualified name -> item, for every item accessed
    diagnostics: list[Diagnostic]
    by_id: dict[str, StatementFacts] = field(default_factory=dict)

    def facts(self, statement: str) -> StatementFacts | None:
        """The facts of the statement with this ID (a statement of a copybook copied twice
        into the program has ``#2`` added to its ID the second time)."""
        return self.by_id.get(statement)


def item_name(item: A.DataItem) -> str:
    """The name an item is known by in the results: ``NAME OF GROUP OF RECORD``; an unnamed
    (FILLER) item is ``FILLER(offset) OF ...``."""
    if item.name and item.name.upper() != "FILLER":
        return item.qualified_name
    where = f"FILLER({item.offset})" if item.offset is not None else "FILLER"
    return f"{where} OF {item.parent.qualified_name}" if item.parent else where


# --------------------------------------------------------------------------- entry points

_CACHE: dict[int, tuple[A.Program, DataFlow]] = {}
_CACHE_SIZE = 16
_OUTER: dict[int, tuple[A.Program, tuple[A.Program, ...]]] = {}  # nested -> its containers


def analyze(program: A.Program, outer: Sequence[A.Program] | None = None) -> DataFlow:
    """The data-flow facts of ``program``. ``outer``: the programs containing a nested program,
    innermost first, whose GLOBAL items and files it may use; by default those known from an
    earlier analysis of a containing program. Results are kept for the last few programs (the
    AST is not expected to change after parsing)."""
    if outer is None:
        known = _OUTER.get(id(program))
        outer = known[1] if known is not None and known[0] is program else ()
    outer = tuple(outer)
    for nested in program.nested:
        if len(_OUTER) >= 4 * _CACHE_SIZE:
            _OUTER.pop(next(iter(_OUTER)))
        _OUTER[id(nested)] = (nested, (program, *outer))
    hit = _CACHE.get(id(program))
    if hit is not None and hit[0] is program:
        return hit[1]
    result = _Analyzer(program, outer).run()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(program)] = (program, result)
    return result


def def_use(program: A.Program) -> list[Access]:
    """Every access of every statement of ``program``, statements in source order."""
    return [a for facts in analyze(program).statements for a in facts.accesses]


def reaching_definitions(program: A.Program) -> ReachingDefinitions:
    """Which definitions reach each statement (see :mod:`cobolspec.analysis.lineage`)."""
    from cobolspec.analysis.lineage import reaching_definitions as reach

    return reach(program)


def lineage(program: A.Program, item: str | A.Ident, at: str | None = None) -> Lineage:
    """Backward lineage of a data item (see :func:`cobolspec.analysis.lineage.lineage`)."""
    from cobolspec.analysis.lineage import lineage as backward

    return backward(program, item, at)


def forward_lineage(program: A.Program, item: str | A.Ident, at: str | None = None) -> Lineage:
    """Forward lineage of a data item (see :func:`cobolspec.analysis.lineage.forward_lineage`)."""
    from cobolspec.analysis.lineage import forward_lineage as forward

    return forward(program, item, at)


def store_rows(program: A.Program) -> dict[str, list[dict[str, object]]]:
    """Rows of the ``dataflow`` table for ``program`` (its nested programs have rows of their
    own: analyse the containing program first so that they see its GLOBAL names): one per
    statement, item, access and ``via``, direct and alias accesses alike."""
    rows: list[dict[str, object]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for facts in analyze(program).statements:
        span = facts.statement.span
        for a in facts.accesses:
            key = (a.statement, a.item, a.access, a.via)
            if key in seen:
                continue
            seen.add(key)
            rows.append({
                "program": program.name, "statement": a.statement, "item": a.item,
                "access": a.access, "via": a.via, "file": span.file if span else None,
                "line": span.line if span else None,
            })
    return {"dataflow": rows}


def possible_values(program: A.Program, ident: A.Ident | str) -> set[str]:
    """The values a data item may hold as far as the program shows: its VALUE clause, the
    literals MOVEd or SET into it (a condition-name's first value), followed through MOVEs from
    other items. Values are given without quotes. Used for dynamic CALL and XCTL/LINK through a
    data item; an item also filled some other way (READ, ACCEPT, arithmetic) may hold more."""
    flow = analyze(program)
    table = flow.symbols
    ref = table.resolve(ident) if isinstance(ident, A.Ident) else table.resolve_text(ident)
    return _possible(flow, ref)


def _possible(flow: DataFlow, ref: Ref | None) -> set[str]:
    if ref is None:
        return set()
    values: set[str] = set()
    todo = [item_name(ref.item)]
    seen: set[str] = set()
    moves = _moves_into(flow)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        item = flow.items.get(name) or (ref.item if name == item_name(ref.item) else None)
        if item is not None and item.value:
            values.add(_unquote(item.value[0]))
        for source in moves.get(name, []):
            if source.kind == LITERAL:
                if not _figurative(source.name):
                    values.add(_unquote(source.name))
            elif source.kind == "item":
                todo.append(source.name)
    return values


def _moves_into(flow: DataFlow) -> dict[str, list[Endpoint]]:
    found: dict[str, list[Endpoint]] = {}
    for facts in flow.statements:
        for f in facts.flows:
            if f.target.kind == "item" and f.via in ("MOVE", "SET TRUE") and len(f.sources) == 1:
                found.setdefault(f.target.name, []).append(f.sources[0])
    return found


def _unquote(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] in "'\"" and t[-1] == t[0]:
        return t[1:-1].replace(t[0] * 2, t[0])
    return t


_FIGURATIVES = frozenset({
    "SPACE", "SPACES", "ZERO", "ZEROS", "ZEROES", "LOW-VALUE", "LOW-VALUES", "HIGH-VALUE",
    "HIGH-VALUES", "QUOTE", "QUOTES", "NULL", "NULLS",
})  # fmt: skip


def _figurative(text: str) -> bool:
    return text.upper().removeprefix("ALL ") in _FIGURATIVES


# --------------------------------------------------------------------------- the analysis

_PARTIAL_TARGET_VERBS = frozenset({"STRING", "UNSTRING", "INSPECT"})
_FILE_OUT = frozenset({"WRITE", "REWRITE", "RELEASE"})
_CONDITION_VERBS = frozenset({"IF", "EVALUATE", "SEARCH", "SEARCH ALL", "GO TO"})
_SQL_NOT_EXECUTED = frozenset({"INCLUDE", "DECLARE CURSOR", "DECLARE TABLE", "WHENEVER"})
_CICS_OUTPUT_OPTIONS = frozenset({"FROM", "COMMAREA", "INPUTMSG", "CHANNEL", "TEXT"})


def _statements(program: A.Program) -> Iterator[A.Statement]:
    if program.procedure is None:
        return
    for paragraph in program.procedure.paragraphs:
        for st in paragraph.statements:
            for node in st.walk():
                if isinstance(node, A.Statement):
                    yield node


class _Analyzer:
    def __init__(self, program: A.Program, outer: Sequence[A.Program]) -> None:
        self.program = program
        self.table = SymbolTable(program, outer)
        self.items: dict[str, A.DataItem] = {}
        self.cursors: dict[str, Any] = {}  # cursor name -> the ExecBlock declaring it
        self.facts: StatementFacts | None = None

    def run(self) -> DataFlow:
        self._collect_cursors()
        out: list[StatementFacts] = []
        by_id: dict[str, StatementFacts] = {}
        used: dict[str, int] = {}
        for st in _statements(self.program):
            sid = statement_id(st)
            used[sid] = used.get(sid, 0) + 1
            if used[sid] > 1:  # the same text twice (a copybook copied again), as cfg.py says
                sid = f"{sid}#{used[sid]}"
            if st.span is None:
                continue
            facts = StatementFacts(sid, st)
            self.facts = facts
            self._statement(st)
            facts.accesses = _dedupe(facts.accesses)
            out.append(facts)
            by_id[facts.id] = facts
        for item in self.table.supplied_items():
            self.items.setdefault(item_name(item), item)
        result = DataFlow(self.program, self.table, out, self.items, self.table.diagnostics,
                          by_id)
        _name_dynamic_calls(result)
        return result

    # ------------------------------------------------------------ accesses and operands

    def _add(self, ref: Ref, access: str, via: str, partial: bool = False) -> Endpoint:
        assert self.facts is not None
        item = ref.item
        name = item_name(item)
        self.items.setdefault(name, item)
        partial = partial or ref.partial
        sid = self.facts.id
        self.facts.accesses.append(Access(sid, name, access, via, partial))
        for other, covered in self.table.aliases(item):
            oname = item_name(other)
            self.items.setdefault(oname, other)
            self.facts.accesses.append(
                Access(sid, oname, access, ALIAS, partial or not covered, name)
            )
        return Endpoint("item", name)

    def use(self, node: A.Node | None, via: str) -> list[Endpoint]:
        """Record the uses in an operand or expression; return the endpoints its value comes
        from (items, literals, functions)."""
        out: list[Endpoint] = []
        if node is None:
            return out
        if isinstance(node, A.Literal):
            if node.kind not in ("missing", "boolean"):
                out.append(Endpoint(LITERAL, node.text))
            return out
        if isinstance(node, A.Ident):
            return self._use_ident(node, via)
        for child in node.child_nodes():
            out.extend(self.use(child, via))
        return out

    def _use_ident(self, ident: A.Ident, via: str) -> list[Endpoint]:
        if ident.wrapper == "FUNCTION":
            out: list[Endpoint] = []
            for arg in ident.args:
                out.extend(self.use(arg, via))
            self._subscripts(ident)
            return out or [Endpoint(FUNCTION, ident.name)]
        if ident.wrapper == "LENGTH OF":
            if ident.inner is not None:
                self._subscripts(ident.inner)
            return [Endpoint(LITERAL, str(ident))]
        if ident.wrapper == "ADDRESS OF":
            if ident.inner is not None:
                self._subscripts(ident.inner)
            return [Endpoint(LITERAL, str(ident))]
        if ident.name in ("DFHRESP", "DFHVALUE") and not ident.qualifiers:
            args = " ".join(str(s) for s in ident.subscripts)
            return [Endpoint(LITERAL, f"{ident.name}({args})")]
        self._subscripts(ident)
        ref = self.table.resolve(ident)
        if ref is None:
            return []
        return [self._add(ref, USE, via)]

    def _subscripts(self, ident: A.Ident) -> None:
        for sub in (*ident.subscripts, *ident.refmod):
            if isinstance(sub, A.Literal) and sub.kind == "all":
                continue
            self.use(sub, "subscript")

    def define(self, node: A.Node | None, via: str, partial: bool = False) -> Endpoint | None:
        """Record the definition of a receiving operand; return it as an endpoint."""
        if not isinstance(node, A.Ident):
            return None
        if node.wrapper == "ADDRESS OF" and node.inner is not None:
            self._subscripts(node.inner)
            ref = self.table.resolve(node.inner)
            return self._add(ref, DEF, "SET ADDRESS", partial) if ref else None
        if node.wrapper is not None and node.wrapper != "SPECIAL":
            return None
        self._subscripts(node)
        ref = self.table.resolve(node)
        if ref is None:
            return None
        return self._add(ref, DEF, via, partial)

    def flow(self, target: Endpoint | None, sources: Iterable[Endpoint], via: str,
             copy: bool = False) -> None:
        if target is None or self.facts is None:
            return
        srcs = tuple(dict.fromkeys(sources))
        self.facts.flows.append(Flow(target, srcs, via, copy))

    def ref_of(self, node: A.Node | None) -> Ref | None:
        """Resolve without recording anything (diagnostics aside)."""
        if isinstance(node, A.Ident) and node.wrapper is None:
            return self.table.resolve(node)
        return None

    # ------------------------------------------------------------ statements

    def _statement(self, st: A.Statement) -> None:
        verb = st.verb
        if isinstance(st, A.UnparsedStatement):
            return
        if isinstance(st, A.ExecStmt):
            self._exec(st)
        elif isinstance(st, A.CallStmt):
            self._call(st)
        elif isinstance(st, A.IfStmt):
            self.use(st.condition, "IF")
        elif isinstance(st, A.EvaluateStmt):
            for subject in st.subjects:
                self.use(subject, "EVALUATE")
            for when in st.whens:
                for line in when.objects:
                    for obj in line:
                        self.use(obj, "EVALUATE")
        elif isinstance(st, A.PerformStmt):
            self._perform(st)
        elif isinstance(st, A.SearchStmt):
            self._search(st)
        elif isinstance(st, A.GoToStmt):
            self.use(st.depending_on, "GO TO")
        elif verb == "MOVE":
            self._move(st)
        elif verb == "SET":
            self._set(st)
        elif verb == "INITIALIZE":
            self._initialize(st)
        elif verb in ("READ", "RETURN"):
            self._read(st)
        elif verb in _FILE_OUT:
            self._write(st)
        elif verb in ("DELETE", "START"):
            self._keyed(st)
        elif verb in ("OPEN", "CLOSE"):
            for ref in st.reads:
                if isinstance(ref, A.Ident):
                    self._file_status(ref.name)
        elif verb == "ACCEPT":
            target = self.define(st.writes[0] if st.writes else None, "ACCEPT")
            self.flow(target, [Endpoint(ACCEPT, st.details.get("from", "SYSIN"))], "ACCEPT")
        elif verb == "DISPLAY":
            upon = st.details.get("upon", "SYSOUT")
            for node in st.reads:
                for src in self.use(node, "DISPLAY"):
                    self.flow(Endpoint(DISPLAY, upon), [src], "DISPLAY")
        elif verb in ("SORT", "MERGE"):
            for node in st.reads:
                self.use(node, verb)
        elif st.details.get("corresponding") and verb in ("ADD", "SUBTRACT"):
            self._corresponding(st, verb + " CORRESPONDING", arithmetic=True)
        else:
            self._generic(st)

    def _generic(self, st: A.Statement) -> None:
        """Operands read are used; each operand written is defined from all of them."""
        verb = st.verb
        written = {id(n) for n in st.writes}
        common: list[Endpoint] = []  # from the operands only read
        own: dict[int, list[Endpoint]] = {}  # an operand both read and written: its old value
        for node in _top_level(st.reads):
            found = self.use(node, verb)
            if id(node) in written:
                own[id(node)] = found
            else:
                common.extend(found)
        # (a receiving item keeps its value on a size error: the reaching definitions let the
        # earlier values through along the ON SIZE ERROR arm)
        partial = verb in _PARTIAL_TARGET_VERBS
        for node in _top_level(st.writes):
            target = self.define(node, verb, partial)
            self.flow(target, common + own.get(id(node), []), verb)

    def _move(self, st: A.Statement) -> None:
        if st.details.get("corresponding"):
            self._corresponding(st, "MOVE CORRESPONDING")
            return
        source = st.reads[0] if st.reads else None
        sources = self.use(source, "MOVE")
        src_ref = self.ref_of(source)
        for node in st.writes:
            target = self.define(node, "MOVE")
            dst_ref = self.ref_of(node)
            self.flow(target, sources, "MOVE", copy=_byte_copy(src_ref, dst_ref))

    def _corresponding(self, st: A.Statement, via: str, arithmetic: bool = False) -> None:
        source = self.ref_of(st.reads[0] if st.reads else None)
        targets = st.writes
        if source is None:
            return
        for node in targets:
            dest = self.ref_of(node)
            if dest is None:
                continue
            for a, b in _corresponding_pairs(source.item, dest.item, arithmetic):
                srcs = [self._add(Ref(a), USE, via)]
                if arithmetic:
                    srcs.append(self._add(Ref(b), USE, via))
                self.flow(self._add(Ref(b), DEF, via), srcs, via,
                          copy=not arithmetic and _byte_copy(Ref(a), Ref(b)))

    def _set(self, st: A.Statement) -> None:
        form = st.details.get("form", "")
        word = st.details.get("value", "")
        if form == "TO" and word in ("TRUE", "FALSE"):
            for node in st.writes:
                ref = self.ref_of(node)
                if isinstance(node, A.Ident):
                    self._subscripts(node)
                if ref is None:
                    continue
                via = "SET " + word
                target = self._add(ref, DEF, via)
                value = ref.condition.values[0][0] if ref.condition and word == "TRUE" \
                    and ref.condition.values else word
                self.flow(target, [Endpoint(LITERAL, value)], via)
            return
        if form == "TO" and word in ("ON", "OFF"):
            return  # a switch of SPECIAL-NAMES, not data
        sources: list[Endpoint] = []
        for node in _top_level(st.reads):
            sources.extend(self.use(node, "SET"))
        if form in ("UP BY", "DOWN BY"):
            for node in st.writes:
                sources.extend(self.use(node, "SET"))
        if form == "TO" and word == "NULL":
            sources.append(Endpoint(LITERAL, "NULL"))
        for node in st.writes:
            self.flow(self.define(node, "SET"), sources, "SET")

    def _initialize(self, st: A.Statement) -> None:
        sources: list[Endpoint] = []
        for node in _top_level(st.reads):
            sources.extend(self.use(node, "INITIALIZE"))
        sources = sources or [Endpoint(LITERAL, "SPACES/ZEROS")]
        for node in st.writes:
            self.flow(self.define(node, "INITIALIZE"), sources, "INITIALIZE")

    def _perform(self, st: A.PerformStmt) -> None:
        if st.times is not None:
            self.use(st.times, "PERFORM TIMES")
        if st.until is not None:
            self.use(st.until, "PERFORM UNTIL")
        for v in st.varying:
            sources = self.use(v.start, "PERFORM VARYING") + self.use(v.step, "PERFORM VARYING")
            sources += self.use(v.variable, "PERFORM VARYING")
            self.flow(self.define(v.variable, "PERFORM VARYING"), sources, "PERFORM VARYING")
            self.use(v.until, "PERFORM UNTIL")

    def _search(self, st: A.SearchStmt) -> None:
        via = st.verb
        for when in st.whens:
            for line in when.objects:
                for obj in line:
                    self.use(obj, via)
        table = self.ref_of(st.table)
        if isinstance(st.table, A.Ident):
            self._subscripts(st.table)
        if table is not None and table.item.occurs and table.item.occurs.indexed_by:
            index = self.table.resolve_text(table.item.occurs.indexed_by[0])
            if index is not None:
                old = self._add(index, USE, via)
                self.flow(self._add(index, DEF, via), [old], via)
        for node in st.writes:  # VARYING
            values = self.use(node, via)
            self.flow(self.define(node, via), values, via)

    # ------------------------------------------------------------ files

    def _file_status(self, file_name: str) -> None:
        info = self.table.file(file_name)
        if info is None:
            return
        if info.control is not None and info.control.file_status:
            ref = self.table.resolve_text(info.control.file_status, info.control.span)
            if ref is not None:
                target = self._add(ref, DEF, "FILE STATUS")
                self.flow(target, [Endpoint(FILE, info.name, detail="status")], "FILE STATUS")

    def _key_use(self, st: A.Statement, file_name: str) -> None:
        info = self.table.file(file_name)
        explicit = [n for n in st.reads if isinstance(n, A.Ident)]
        for node in explicit:
            self.use(node, st.verb + " KEY" if st.verb == "READ" else st.verb)
        if explicit or info is None or info.control is None:
            return
        fc = info.control
        keyed = fc.access in ("RANDOM", "DYNAMIC") and st.details.get("direction") is None
        if not keyed and st.verb != "START":
            return
        key = fc.record_key if fc.organization == "INDEXED" else fc.relative_key
        if key:
            ref = self.table.resolve_text(key, fc.span)
            if ref is not None:
                self._add(ref, USE, "READ KEY" if st.verb == "READ" else st.verb)

    def _read(self, st: A.Statement) -> None:
        verb = st.verb
        name = st.details.get("file", "")
        info = self.table.file(name)
        if info is None:
            self.table.report_unknown_file(name, st.span)
            return
        if verb == "READ":
            self._key_use(st, name)
        origin = Endpoint(FILE, info.name)
        for record in info.records:
            self.flow(self._add(Ref(record), DEF, verb), [origin], verb)
        for node in st.writes:
            target = self.define(node, verb + " INTO")
            into = self.ref_of(node)
            records = [Ref(r) for r in info.records]
            sources = [Endpoint("item", item_name(r.item)) for r in records] or [origin]
            self.flow(target, sources, verb + " INTO",
                      copy=bool(records) and all(_byte_copy(r, into) for r in records))
        self._file_status(name)

    def _write(self, st: A.Statement) -> None:
        verb = st.verb
        record = self.ref_of(st.writes[-1] if st.writes else None)
        if record is None:
            return
        info = self.table.file_of(record.item)
        sink = Endpoint(FILE, info.name if info else item_name(record.item))
        from_node = st.reads[0] if st.details.get("from") and st.reads else None
        for node in st.reads:
            if node is not from_node:
                self.use(node, verb)  # ADVANCING
        if from_node is not None:
            sources = self.use(from_node, verb + " FROM")
            copy = _byte_copy(self.ref_of(from_node), record)
            target = self._add(record, DEF, verb + " FROM")
            self.flow(target, sources, verb + " FROM", copy=copy)
            self.flow(sink, sources, verb + " FROM", copy=copy)
        else:
            self.flow(sink, [self._add(record, USE, verb)], verb, copy=True)
        if info is not None:
            self._file_status(info.name)

    def _keyed(self, st: A.Statement) -> None:
        name = st.details.get("file", "")
        if self.table.file(name) is None:
            self.table.report_unknown_file(name, st.span)
            return
        self._key_use(st, name)
        self._file_status(name)

    # ------------------------------------------------------------ CALL

    def _call(self, st: A.CallStmt) -> None:
        if isinstance(st.program, A.Ident):
            self.use(st.program, "CALL")
            callee = _DYNAMIC + str(st.program)  # named once all moves are known
        else:
            callee = _unquote(str(st.program)) if st.program is not None else "?"
        sink = Endpoint(CALL, callee)
        for mode, node in st.using:
            via = "CALL BY " + mode
            if isinstance(node, A.Literal) and node.text == "OMITTED":
                continue
            sources = self.use(node, via)
            self.flow(sink, sources, via, copy=True)
            if mode == "REFERENCE" and isinstance(node, A.Ident) and node.wrapper is None:
                target = self.define(node, via, partial=True)
                self.flow(target, [Endpoint(CALL, callee)], via)
        if st.returning is not None:
            target = self.define(st.returning, "CALL RETURNING")
            self.flow(target, [Endpoint(CALL, callee)], "CALL RETURNING")

    # ------------------------------------------------------------ EXEC

    def _collect_cursors(self) -> None:
        blocks = list(self.program.exec_blocks)
        blocks += [st.block for st in _statements(self.program) if isinstance(st, A.ExecStmt)]
        for block in blocks:
            sql = getattr(block, "sql", None)
            if sql is not None and sql.kind == "DECLARE CURSOR" and sql.cursor:
                self.cursors[sql.cursor.upper()] = block

    def _exec(self, st: A.ExecStmt) -> None:
        block = st.block
        if block is None:
            return
        if block.sql is not None:
            self._sql(st, block)
        elif block.cics is not None:
            self._cics(st, block.cics)
        elif block.dli is not None:
            self._dli(st, block.dli)

    def _host(self, name: str, st: A.ExecStmt) -> Ref | None:
        return self.table.resolve_text(name, st.span)

    def _sql(self, st: A.ExecStmt, block: Any) -> None:
        sql = block.sql
        kind = sql.kind
        if kind in _SQL_NOT_EXECUTED:
            return
        tables = sql.tables
        columns = _sql_columns(block.text, sql)
        inputs = list(sql.host_variables)
        detail = kind
        if kind in ("OPEN", "FETCH") and sql.cursor and sql.cursor.upper() in self.cursors:
            cursor = self.cursors[sql.cursor.upper()]
            tables = cursor.sql.tables
            detail = f"{kind} {sql.cursor.upper()}"
            if kind == "OPEN":
                inputs = list(cursor.sql.host_variables)
                columns = _sql_columns(cursor.text, cursor.sql)
            else:
                columns = _sql_columns(cursor.text, cursor.sql) | {
                    k: v for k, v in columns.items() if k.startswith("#")}
        outputs = [h for h in sql.host_variables if h.direction == "output"]
        for pos, hv in enumerate(outputs):
            ref = self._host(hv.data_name, st)
            column = columns.get(f"#{pos}")
            origin = Endpoint(SQL, _column_name(column, tables), detail=detail)
            if ref is not None:
                self.flow(self._add(ref, DEF, "SQL INTO"), [origin], "SQL INTO")
            if hv.indicator_data_name:
                ind = self._host(hv.indicator_data_name, st)
                if ind is not None:
                    self.flow(self._add(ind, DEF, "SQL INDICATOR"), [origin], "SQL INDICATOR")
        for hv in inputs:
            if hv.direction == "output":
                continue
            ref = self._host(hv.data_name, st)
            via = "SQL CALL" if hv.direction == "inout" else "SQL INPUT"
            column = columns.get(hv.name.upper())
            sink = Endpoint(SQL, _column_name(column, tables), detail=detail)
            if ref is not None:
                self.flow(sink, [self._add(ref, USE, via)], via)
                if hv.direction == "inout":
                    self.flow(self._add(ref, DEF, via, partial=True), [sink], via)
            if hv.indicator_data_name:
                ind = self._host(hv.indicator_data_name, st)
                if ind is not None:
                    self._add(ind, USE, "SQL INDICATOR")
        sqlca = self.table.supplied_record("SQLCA")
        if sqlca is not None:
            target = self._add(Ref(sqlca), DEF, "SQLCA")
            self.flow(target, [Endpoint(SQL, "SQLCA", detail=kind)], "SQLCA")

    def _cics(self, st: A.ExecStmt, cmd: Any) -> None:
        command = cmd.command
        program = _DYNAMIC + cmd.program if cmd.program and cmd.program_dynamic else cmd.program
        resource = cmd.map or cmd.file or program or cmd.queue or cmd.transid
        name = f"{command} {resource}" if resource else command
        for opt in cmd.options:
            if opt.arg is None:
                continue
            target_name, subs = _cics_ref(opt.arg)
            for sub in subs:
                ref = self._host(sub, st)
                if ref is not None:
                    self._add(ref, USE, "subscript")
            written = target_name in cmd.writes
            read = target_name in cmd.reads
            if target_name is None or not (written or read):
                continue  # a literal, a label of HANDLE CONDITION ...
            ref = self._host(target_name, st)
            if ref is None:
                continue
            via = "CICS " + opt.name
            if read:
                src = self._add(ref, USE, via)
                if opt.name in _CICS_OUTPUT_OPTIONS:
                    self.flow(Endpoint(CICS, name), [src], via, copy=True)
            if written:
                partial = read  # LINK COMMAREA: the program linked to may change it
                origin = Endpoint(CICS, "RESP" if opt.name in ("RESP", "RESP2") else name)
                self.flow(self._add(ref, DEF, via, partial), [origin], via)

    def _dli(self, st: A.ExecStmt, call: Any) -> None:
        name = f"{call.command}"
        for ref_name in call.reads:
            ref = self._host(ref_name, st)
            if ref is not None:
                self.flow(Endpoint(DLI, name), [self._add(ref, USE, "DLI")], "DLI")
        for ref_name in call.writes:
            ref = self._host(ref_name, st)
            if ref is not None:
                self.flow(self._add(ref, DEF, "DLI INTO"), [Endpoint(DLI, name)], "DLI INTO")


_DYNAMIC = "\x00dynamic "


def _name_dynamic_calls(flow: DataFlow) -> None:
    """Name the program of a dynamic CALL, XCTL or LINK by the values its data item may hold
    (``A|B``), or by the data item when none is known."""
    for facts in flow.statements:
        if any(_DYNAMIC in e.name for f in facts.flows for e in (f.target, *f.sources)):
            facts.flows = [
                Flow(_renamed(flow, f.target), tuple(_renamed(flow, s) for s in f.sources),
                     f.via, f.copy)
                for f in facts.flows
            ]


def _renamed(flow: DataFlow, end: Endpoint) -> Endpoint:
    if _DYNAMIC not in end.name:
        return end
    head, _, item = end.name.partition(_DYNAMIC)
    values = sorted(_possible(flow, flow.symbols.resolve_text(item)))
    return Endpoint(end.kind, head + ("|".join(values) or item), end.field, "dynamic")


def _dedupe(accesses: list[Access]) -> list[Access]:
    """Direct accesses once per (item, access, via); an alias access only for an item the
    statement does not name itself, once per (item, access), a whole one preferred."""
    direct = {(a.item, a.access) for a in accesses if not a.alias}
    seen: set[tuple[str, str, str]] = set()
    alias_at: dict[tuple[str, str], int] = {}
    out: list[Access] = []
    for a in accesses:
        if not a.alias:
            key = (a.item, a.access, a.via)
            if key not in seen:
                seen.add(key)
                out.append(a)
            continue
        pair = (a.item, a.access)
        if pair in direct:
            continue
        where = alias_at.get(pair)
        if where is None:
            alias_at[pair] = len(out)
            out.append(a)
        elif out[where].partial and not a.partial:
            out[where] = a
    return out


def _top_level(nodes: Sequence[A.Node]) -> list[A.Node]:
    """Operands minus the subscripts, reference modifiers and function arguments that the
    parser also lists on their own (they are handled with the operand holding them)."""
    inner: set[int] = set()
    for n in nodes:
        if isinstance(n, A.Ident):
            for sub in n.walk():
                if sub is not n:
                    inner.add(id(sub))
    return [n for n in nodes if id(n) not in inner]


def _byte_copy(source: Ref | None, target: Ref | None) -> bool:
    """Whether a MOVE copies bytes unchanged: a group on either side, or two alphanumeric items
    of one size, and no subscripts or reference modification."""
    if source is None or target is None or source.partial or target.partial:
        return False
    s, t = source.item, target.item
    if source.condition is not None or target.condition is not None:
        return False
    if s.is_group or t.is_group:
        return True
    return _alphanumeric(s) and _alphanumeric(t) and s.size == t.size


def _alphanumeric(item: A.DataItem) -> bool:
    pic = (item.pic or "").upper()
    return bool(_ALPHANUMERIC_PIC.fullmatch(pic)) and (item.usage or "DISPLAY").upper() == "DISPLAY"


_ALPHANUMERIC_PIC = re.compile(r"(?:X(?:\(\d+\))?)+")


def _corresponding_pairs(
    a: A.DataItem, b: A.DataItem, arithmetic: bool
) -> list[tuple[A.DataItem, A.DataItem]]:
    """Pairs of subordinate items with the same name and the same names in between (COBOL's
    CORRESPONDING rule); items with REDEFINES, RENAMES or OCCURS, and what is under them, are
    left out; for ADD/SUBTRACT both items must be elementary and numeric."""
    left = _corresponding_paths(a)
    right = _corresponding_paths(b)
    pairs = []
    for path, x in left.items():
        y = right.get(path)
        if y is None:
            continue
        if arithmetic and not (_numeric(x) and _numeric(y)):
            continue
        if x.is_group and y.is_group:
            continue
        pairs.append((x, y))
    return pairs


def _numeric(item: A.DataItem) -> bool:
    if item.is_group:
        return False
    if (item.usage or "").upper() in ("COMP-1", "COMP-2"):
        return True
    pic = (item.pic or "").upper()
    return "9" in pic and not any(c in pic for c in "XAN")


def _corresponding_paths(group: A.DataItem) -> dict[tuple[str, ...], A.DataItem]:
    out: dict[tuple[str, ...], A.DataItem] = {}
    stack: list[tuple[A.DataItem, tuple[str, ...]]] = [(group, ())]
    while stack:
        node, path = stack.pop()
        for child in node.children:
            if not child.name or child.name.upper() == "FILLER" or child.level in (66, 88):
                continue
            if child.redefines or child.occurs is not None:
                continue
            p = (*path, child.name.upper())
            out[p] = child
            if child.children:
                stack.append((child, p))
    return out


# --------------------------------------------------------------------------- SQL columns

_SQL_WORD = re.compile(r"(?:[A-Z0-9_#@$]+\.)?([A-Z0-9_#@$]+)$", re.I)
_SQL_AS = re.compile(r"\s+AS\s+([A-Z0-9_#@$]+)$", re.I)
_SQL_PAIR = re.compile(r"([A-Z0-9_#@$.]+)\s*(?:=|<>|<=|>=|<|>)\s*:([A-Z0-9_#@$.-]+)", re.I)


def _split_top(text: str, sep: str = ",") -> list[str]:
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _find_word(text: str, word: str, start: int = 0) -> int:
    """Position of ``word`` at parenthesis depth 0 (outside literals), or -1."""
    depth = 0
    quote = ""
    up = text.upper()
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and up.startswith(word, i) and (i == 0 or not _wordchar(up[i - 1])) \
                and (i + len(word) >= len(up) or not _wordchar(up[i + len(word)])):
            return i
        i += 1
    return -1


def _wordchar(ch: str) -> bool:
    return ch.isalnum() or ch in "_-#@$:"


def _sql_columns(text: str, sql: Any) -> dict[str, str]:
    """Columns by host variable: ``#n`` for the n-th INTO target (the n-th item of the select
    list), ``NAME`` for an input host variable compared with or assigned to a column, or given
    as the value of a column of INSERT."""
    out: dict[str, str] = {}
    kind = sql.kind
    body = text
    if kind in ("SELECT INTO", "DECLARE CURSOR", "SELECT"):
        sel = _find_word(body, "SELECT")
        end = _find_word(body, "INTO", sel) if kind == "SELECT INTO" else -1
        if end < 0:
            end = _find_word(body, "FROM", sel)
        if sel >= 0 and end > sel:
            for n, expr in enumerate(_split_top(body[sel + 6:end])):
                out[f"#{n}"] = _select_item(expr)
    if kind == "INSERT":
        open_ = body.find("(")
        values = _find_word(body, "VALUES")
        if 0 <= open_ < values:
            close = body.rfind(")", open_, values)
            cols = _split_top(body[open_ + 1:close])
            v_open = body.find("(", values)
            v_close = body.rfind(")")
            vals = _split_top(body[v_open + 1:v_close]) if v_open >= 0 else []
            for col, val in zip(cols, vals, strict=False):
                if val.startswith(":"):
                    name = re.split(r"[\s:]", val[1:], maxsplit=1)[0]
                    out[name.upper()] = col.strip().upper()
    for m in _SQL_PAIR.finditer(body):
        out.setdefault(m.group(2).upper(), m.group(1).upper().split(".")[-1])
    return out


def _select_item(expr: str) -> str:
    expr = " ".join(expr.split())
    m = _SQL_AS.search(expr)
    if m:
        return m.group(1).upper()
    m = _SQL_WORD.fullmatch(expr)
    return m.group(1).upper() if m else expr.upper()


def _column_name(column: str | None, tables: Sequence[str]) -> str:
    table = tables[0] if len(tables) == 1 else None
    if column and table:
        return f"{table}.{column}"
    if column:
        return column
    return ", ".join(tables) if tables else "?"


def _cics_ref(arg: str) -> tuple[str | None, list[str]]:
    from cobolspec.model.exec import data_refs

    return data_refs(arg)
