"""The typed AST: plain slotted dataclasses, one class per COBOL construct, named in COBOL's words.

Every node carries a :class:`~cobolspec.diagnostics.Span` into the physical file it came from.
Node classes declare only their own fields; walking is written once, on :class:`Node`.
Lark trees never appear here: :mod:`cobolspec.model.build` is the one place that converts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from cobolspec.diagnostics import Span

# field names that may hold child nodes, per node class (fields() is slow to call per node)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


@dataclass(slots=True, kw_only=True, eq=False)
class Node:
    """Base of every AST node."""

    span: Span | None = None

    def child_nodes(self) -> Iterator[Node]:
        """Direct child nodes, in source order (fields holding nodes or lists of nodes)."""
        names = _CHILD_FIELDS.get(type(self))
        if names is None:
            names = tuple(f.name for f in fields(self) if f.name not in ("span", "parent"))
            _CHILD_FIELDS[type(self)] = names
        for name in names:
            value = getattr(self, name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list):
                for v in value:
                    if isinstance(v, Node):
                        yield v

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, depth first, in source order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.child_nodes())))

    def find_all(self, kind: type[Any]) -> Iterator[Any]:
        """Every descendant (or self) that is an instance of ``kind``."""
        return (n for n in self.walk() if isinstance(n, kind))


# --------------------------------------------------------------------------- data division


@dataclass(slots=True, kw_only=True, eq=False)
class Occurs(Node):
    """``OCCURS [min TO] max TIMES [DEPENDING ON name] [ASCENDING/DESCENDING KEY] [INDEXED BY]``."""

    min: int | None = None
    max: int = 1
    depending_on: str | None = None
    keys: list[tuple[str, str]] = field(default_factory=list)  # (ASCENDING|DESCENDING, name)
    indexed_by: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Condition88(Node):
    """A level-88 condition name: its values, each a single value or a THRU range."""

    name: str
    values: list[tuple[str, str | None]] = field(default_factory=list)  # (value, thru or None)


@dataclass(slots=True, kw_only=True, eq=False)
class DataItem(Node):
    """A data description entry (levels 01–49, 66, 77) with its clauses and computed layout.

    ``usage`` is normalised: DISPLAY, BINARY (COMP, COMPUTATIONAL, COMP-4), PACKED-DECIMAL
    (COMP-3), COMP-5, COMP-1, COMP-2, POINTER, PROCEDURE-POINTER, FUNCTION-POINTER,
    OBJECT-REFERENCE, INDEX, NATIONAL, DISPLAY-1. ``offset`` is from the start of the 01/77
    record; ``size`` is in bytes (the maximum for OCCURS DEPENDING ON). Both are filled by
    :mod:`cobolspec.model.layout`.
    """

    level: int
    name: str | None = None  # None for an unnamed entry; "FILLER" is kept as written
    section: str = "WORKING-STORAGE"  # FILE, WORKING-STORAGE, LOCAL-STORAGE, LINKAGE, ...
    pic: str | None = None
    usage: str | None = None
    sign: str | None = None  # LEADING or TRAILING, when a SIGN clause is present
    sign_separate: bool = False
    sync: bool = False
    justified: bool = False
    blank_when_zero: bool = False
    external: bool = False
    global_: bool = False
    occurs: Occurs | None = None
    redefines: str | None = None
    renames: tuple[str, str | None] | None = None  # level 66: (from, thru or None)
    value: list[str] = field(default_factory=list)  # VALUE literals as written
    children: list[DataItem] = field(default_factory=list)
    conditions: list[Condition88] = field(default_factory=list)
    record_of: str | None = None  # the FD/SD name for a record description in the FILE SECTION
    # layout, filled in after parsing
    offset: int | None = None
    size: int | None = None
    parent: DataItem | None = field(default=None, repr=False)

    @property
    def is_group(self) -> bool:
        return bool(self.children) and self.level not in (66, 88)

    @property
    def qualified_name(self) -> str:
        """``NAME OF PARENT OF ...`` up to the record, as COBOL would qualify it."""
        parts: list[str] = []
        node: DataItem | None = self
        while node is not None:
            if node.name and node.name.upper() != "FILLER":
                parts.append(node.name)
            node = node.parent
        return " OF ".join(parts)


@dataclass(slots=True, kw_only=True, eq=False)
class FileDescription(Node):
    """An FD or SD entry and its record descriptions."""

    kind: str  # FD or SD
    name: str
    clauses: dict[str, str] = field(default_factory=dict)
    records: list[DataItem] = field(default_factory=list)


# --------------------------------------------------------------------------- references


@dataclass(slots=True, kw_only=True, eq=False)
class Ident(Node):
    """A reference: ``NAME [OF|IN q]... [(subscripts)] [(refmod)]``.

    ``wrapper`` marks the special forms: ``FUNCTION`` (``name`` is the function, ``args`` its
    arguments), ``LENGTH OF`` / ``ADDRESS OF`` (``inner`` is the referenced item) and
    ``SPECIAL`` registers such as LINAGE-COUNTER.
    """

    name: str
    qualifiers: list[str] = field(default_factory=list)
    subscripts: list[Node] = field(default_factory=list)
    refmod: list[Node] = field(default_factory=list)  # [start] or [start, length]
    wrapper: str | None = None
    inner: Ident | None = None
    args: list[Node] = field(default_factory=list)

    @property
    def data_name(self) -> Ident | None:
        """The data item this reference reads or writes (None for functions and literals)."""
        if self.wrapper in ("LENGTH OF", "ADDRESS OF"):
            return self.inner.data_name if self.inner else None
        if self.wrapper is not None:
            return None
        return self

    def __str__(self) -> str:
        if self.wrapper == "FUNCTION":
            return f"FUNCTION {self.name}"
        if self.wrapper in ("LENGTH OF", "ADDRESS OF"):
            return f"{self.wrapper} {self.inner}"
        return " OF ".join([self.name, *self.qualifiers])


@dataclass(slots=True, kw_only=True, eq=False)
class Literal(Node):
    """A literal as written. ``kind``: numeric, string, hex, national, figurative, all."""

    text: str
    kind: str

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- expressions


@dataclass(slots=True, kw_only=True, eq=False)
class BinaryOp(Node):
    """Arithmetic ``left op right`` with op one of + - * / **."""

    op: str
    left: Node
    right: Node


@dataclass(slots=True, kw_only=True, eq=False)
class UnaryOp(Node):
    op: str
    operand: Node


@dataclass(slots=True, kw_only=True, eq=False)
class Relation(Node):
    """``left op right`` with op normalised to = <> < <= > >=; ``abbreviated`` when the subject
    (and maybe the operator) was implied by an abbreviated combined relation condition."""

    left: Node
    op: str
    right: Node
    abbreviated: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class ClassCondition(Node):
    """``subject IS [NOT] NUMERIC|ALPHABETIC|...|class-name|POSITIVE|NEGATIVE|ZERO|OMITTED``."""

    subject: Node
    test: str
    negated: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class ConditionRef(Node):
    """A bare operand in a condition: a level-88 condition-name or switch status."""

    ref: Node


@dataclass(slots=True, kw_only=True, eq=False)
class Not(Node):
    operand: Node


@dataclass(slots=True, kw_only=True, eq=False)
class BoolOp(Node):
    """``AND`` or ``OR`` over two or more operands."""

    op: str
    operands: list[Node] = field(default_factory=list)


# --------------------------------------------------------------------------- statements


@dataclass(slots=True, kw_only=True, eq=False)
class Phrase(Node):
    """A conditional phrase and its statements: ``AT END``, ``NOT INVALID KEY``, ``ON SIZE ERROR``,
    ``ON EXCEPTION``, ``ON OVERFLOW``, ``AT END-OF-PAGE``, ``NO DATA``, ``WITH DATA``."""

    kind: str
    statements: list[Statement] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Statement(Node):
    """A procedure statement.

    ``reads`` and ``writes`` are the operands it uses and the items it may change (references
    and literals, in source order); ``phrases`` its conditional phrases; ``details`` the
    verb-specific facts in words (e.g. ``{"file": "ACCT-FILE", "mode": "INPUT"}``).
    """

    verb: str
    reads: list[Node] = field(default_factory=list)
    writes: list[Node] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)

    def phrase(self, kind: str) -> Phrase | None:
        for p in self.phrases:
            if p.kind == kind:
                return p
        return None


@dataclass(slots=True, kw_only=True, eq=False)
class IfStmt(Statement):
    condition: Node | None = None
    then: list[Statement] = field(default_factory=list)
    else_: list[Statement] | None = None
    then_next_sentence: bool = False
    else_next_sentence: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class WhenClause(Node):
    """One WHEN (or several stacked WHENs sharing statements) of an EVALUATE; ``objects`` holds
    one list per WHEN line, one object per subject. ``other`` for WHEN OTHER."""

    objects: list[list[Node]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    other: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class WhenObject(Node):
    """``ANY``, ``TRUE``, ``FALSE``, a value, ``[NOT] a THRU b`` or a condition."""

    kind: str  # any, true, false, value, range, condition
    value: Node | None = None
    thru: Node | None = None
    negated: bool = False


@dataclass(slots=True, kw_only=True, eq=False)
class EvaluateStmt(Statement):
    subjects: list[Node] = field(default_factory=list)  # conditions/expressions or Literal TRUE
    whens: list[WhenClause] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class VaryingClause(Node):
    variable: Node
    start: Node
    step: Node
    until: Node


@dataclass(slots=True, kw_only=True, eq=False)
class PerformStmt(Statement):
    """Out-of-line (``target`` [``thru``]) or inline (``body``) PERFORM with its loop form."""

    target: str | None = None
    thru: str | None = None
    target_qualifier: str | None = None
    times: Node | None = None
    until: Node | None = None
    test_after: bool = False
    varying: list[VaryingClause] = field(default_factory=list)
    body: list[Statement] | None = None

    @property
    def inline(self) -> bool:
        return self.body is not None


@dataclass(slots=True, kw_only=True, eq=False)
class GoToStmt(Statement):
    targets: list[str] = field(default_factory=list)
    depending_on: Node | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class AlterStmt(Statement):
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (paragraph, new target)


@dataclass(slots=True, kw_only=True, eq=False)
class SearchStmt(Statement):
    table: Node | None = None
    all: bool = False
    whens: list[WhenClause] = field(default_factory=list)  # objects: [[condition]]


@dataclass(slots=True, kw_only=True, eq=False)
class CallStmt(Statement):
    """CALL: ``program`` is a Literal (static) or an Ident (dynamic); ``using`` holds
    ``(mode, operand)`` with mode REFERENCE, CONTENT or VALUE."""

    program: Node | None = None
    using: list[tuple[str, Node]] = field(default_factory=list)
    returning: Node | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class ExecStmt(Statement):
    """An EXEC SQL/CICS/DLI block in the procedure division; ``block`` is the typed analysis."""

    lang: str = ""
    text: str = ""
    block: Any = None


@dataclass(slots=True, kw_only=True, eq=False)
class UnparsedStatement(Statement):
    """A statement the grammar could not take; ``text`` keeps it whole."""

    text: str = ""
    message: str = ""


# --------------------------------------------------------------------------- procedure division


@dataclass(slots=True, kw_only=True, eq=False)
class Sentence(Node):
    statements: list[Statement] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Paragraph(Node):
    """A paragraph; the unnamed one (``name`` None) holds statements before the first name."""

    name: str | None
    section: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    declarative: bool = False

    @property
    def statements(self) -> list[Statement]:
        return [s for sentence in self.sentences for s in sentence.statements]


@dataclass(slots=True, kw_only=True, eq=False)
class Section(Node):
    name: str | None
    priority: int | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    declarative: bool = False
    use: Statement | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class ProcedureDivision(Node):
    using: list[tuple[str, Node]] = field(default_factory=list)
    returning: Node | None = None
    sections: list[Section] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]


# --------------------------------------------------------------------------- environment


@dataclass(slots=True, kw_only=True, eq=False)
class FileControl(Node):
    """A SELECT entry."""

    name: str
    assign: list[str] = field(default_factory=list)
    organization: str = "SEQUENTIAL"
    access: str = "SEQUENTIAL"
    record_key: str | None = None
    alternate_keys: list[str] = field(default_factory=list)
    relative_key: str | None = None
    file_status: str | None = None
    optional: bool = False


# --------------------------------------------------------------------------- program


@dataclass(slots=True, kw_only=True, eq=False)
class Program(Node):
    """One program (a nested program is a child in ``nested``)."""

    name: str
    attributes: list[str] = field(default_factory=list)  # COMMON, INITIAL, RECURSIVE
    paragraphs_info: dict[str, str] = field(default_factory=dict)  # AUTHOR etc. → text
    special_names: dict[str, str] = field(default_factory=dict)  # mnemonic → environment name
    debugging_mode: bool = False
    files: list[FileControl] = field(default_factory=list)
    file_descriptions: list[FileDescription] = field(default_factory=list)
    data: dict[str, list[DataItem]] = field(default_factory=dict)  # section → 01/77 records
    exec_blocks: list[Any] = field(default_factory=list)  # EXEC blocks of the data division
    procedure: ProcedureDivision | None = None
    nested: list[Program] = field(default_factory=list)
    statements_total: int = 0
    statements_unparsed: int = 0

    @property
    def records(self) -> list[DataItem]:
        return [r for items in self.data.values() for r in items]

    def all_items(self) -> Iterator[DataItem]:
        """Every data item of every section, records first, depth first."""
        for record in self.records:
            yield from _items(record)


def _items(item: DataItem) -> Iterator[DataItem]:
    yield item
    for child in item.children:
        yield from _items(child)
