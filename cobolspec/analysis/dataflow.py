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
``CICS COMMAREA``, ``CICS RESP``...), ``DLI``, ``DLI INTO``, ``subscript`` and ``alias``.

:func:`def_use` lists the accesses; :func:`reaching_definitions` (computed in
:mod:`cobolspec.analysis.reaching`), :func:`lineage` and :func:`forward_lineage` (in
:mod:`cobolspec.analysis.lineage`) follow them along the statement-level control flow;
:func:`possible_values` answers what a data item used as a program name can hold;
:func:`store_rows` gives the rows of the ``dataflow`` table. The statements are read by
:mod:`cobolspec.analysis.defuse`.

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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cobolspec.analysis.symbols import Ref, SymbolTable
from cobolspec.diagnostics import Diagnostic
from cobolspec.model import ast as A

if TYPE_CHECKING:
    from cobolspec.analysis.lineage import Lineage
    from cobolspec.analysis.reaching import ReachingDefinitions

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
    from cobolspec.analysis.defuse import read_program

    result = read_program(program, outer)
    _name_dynamic_calls(result)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(program)] = (program, result)
    return result


def def_use(program: A.Program) -> list[Access]:
    """Every access of every statement of ``program``, statements in source order."""
    return [a for facts in analyze(program).statements for a in facts.accesses]


def reaching_definitions(program: A.Program) -> ReachingDefinitions:
    """Which definitions reach each statement (see :mod:`cobolspec.analysis.lineage`)."""
    from cobolspec.analysis.reaching import reaching_definitions as reach

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
            values.add(unquote(item.value[0]))
        for source in moves.get(name, []):
            if source.kind == LITERAL:
                if not _figurative(source.name):
                    values.add(unquote(source.name))
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


def unquote(text: str) -> str:
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


DYNAMIC = "\x00dynamic "  # stands before a data name holding a program name, until named


def _name_dynamic_calls(flow: DataFlow) -> None:
    """Name the program of a dynamic CALL, XCTL or LINK by the values its data item may hold
    (``A|B``), or by the data item when none is known."""
    for facts in flow.statements:
        if any(DYNAMIC in e.name for f in facts.flows for e in (f.target, *f.sources)):
            facts.flows = [
                Flow(_renamed(flow, f.target), tuple(_renamed(flow, s) for s in f.sources),
                     f.via, f.copy)
                for f in facts.flows
            ]


def _renamed(flow: DataFlow, end: Endpoint) -> Endpoint:
    if DYNAMIC not in end.name:
        return end
    head, _, item = end.name.partition(DYNAMIC)
    values = sorted(_possible(flow, flow.symbols.resolve_text(item)))
    return Endpoint(end.kind, head + ("|".join(values) or item), end.field, "dynamic")
