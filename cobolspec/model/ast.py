"""The typed AST: plain slotted dataclasses, one class per COBOL construct, named in COBOL's words.

Every node carries a :class:`~cobolspec.diagnostics.Span` into the physical file it came from.
Node classes declare only their own fields; walking is written once, on :class:`Node`.
Lark trees never appear here: :mod:`cobolspec.model.build` is the one place that converts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from cobolspec.diagnostics import Diagnostic, Span


@dataclass(slots=True, kw_only=True, eq=False)
class Node:
    """Base of every AST node."""

    span: Span | None = None

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order (fields holding nodes or lists of nodes)."""
        for f in fields(self):
            if f.name in ("span", "parent"):
                continue
            value = getattr(self, f.name)
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
            stack.extend(reversed(list(node.children())))

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


# --------------------------------------------------------------------------- diagnostics holder


@dataclass(slots=True, kw_only=True, eq=False)
class Diagnosed(Node):
    """Mixin-free holder for diagnostics raised while building a node tree."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
