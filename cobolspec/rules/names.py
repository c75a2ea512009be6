"""Data names as the rules stage needs them: references resolved to data items, condition-names
to the item and values they test, and whether two references can touch the same storage.

Resolution follows COBOL qualification (``NAME OF GROUP OF RECORD``): a reference resolves only
when exactly one item matches; an ambiguous or unknown name stays unresolved and is compared by
its spelling, never guessed.

>>> from cobolspec.model import ast as A
>>> rec = A.DataItem(level=1, name="REC", offset=0, size=3)
>>> code = A.DataItem(level=5, name="CODE", offset=0, size=1, parent=rec)
>>> code.conditions.append(A.Condition88(name="IS-A", values=[("'A'", None)]))
>>> rest = A.DataItem(level=5, name="REST", offset=1, size=2, parent=rec)
>>> rec.children += [code, rest]
>>> names = DataNames(A.Program(name="P", data={"WORKING-STORAGE": [rec]}))
>>> names.overlap(A.Ident(name="REC"), A.Ident(name="REST"))
True
>>> names.overlap(A.Ident(name="CODE"), A.Ident(name="IS-A"))
True
>>> names.overlap(A.Ident(name="CODE"), A.Ident(name="REST"))
False
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from cobolspec.model import ast as A

# Names a CICS or DB2 program uses without declaring them: constants of DFHAID / DFHBMSCA and
# the DFHRESP / DFHVALUE functions. They are values, not data the program reads.
CONSTANT_FUNCTIONS = frozenset({"DFHRESP", "DFHVALUE"})


def is_system_constant(name: str) -> bool:
    """An undeclared ``DFH...`` name (DFHENTER, DFHBMPRO...) other than the COMMAREA."""
    return name.startswith("DFH") and name != "DFHCOMMAREA"


@dataclass(frozen=True, slots=True)
class Storage:
    """Where a reference lives: an area (a record, or all records of one FD) and a byte range;
    ``start`` is None when the layout is unknown (then only the item itself is known)."""

    area: str
    start: int | None
    end: int | None
    item: int  # id() of the item, or 0 for an unresolved name


class DataNames:
    """Resolves the data names of one program (built once per program)."""

    def __init__(self, program: A.Program) -> None:
        self.program = program
        self._items: dict[str, list[A.DataItem]] = defaultdict(list)
        self._conditions: dict[str, list[tuple[A.Condition88, A.DataItem]]] = defaultdict(list)
        for item in program.all_items():
            if item.name and item.name.upper() != "FILLER":
                self._items[item.name.upper()].append(item)
            for cond in item.conditions:
                self._conditions[cond.name.upper()].append((cond, item))
        self._fd_of: dict[int, str] = {}
        for fd in program.file_descriptions:
            for record in fd.records:
                self._fd_of[id(record)] = fd.name.upper()
        self.files = {f.name.upper(): f for f in program.files}
        self.fd_records = {fd.name.upper(): fd.records for fd in program.file_descriptions}

    # ------------------------------------------------------------------ lookups

    def _match(self, candidates: list[A.DataItem], qualifiers: list[str]) -> A.DataItem | None:
        found = [c for c in candidates if _qualified_by(c, qualifiers)]
        return found[0] if len(found) == 1 else None

    def item(self, ref: A.Node | str) -> A.DataItem | None:
        """The one data item ``ref`` names, or None (unknown, ambiguous, or not a data name)."""
        name, qualifiers = _name_of(ref)
        if name is None:
            return None
        return self._match(self._items.get(name, []), qualifiers)

    def condition(self, ref: A.Node | str) -> tuple[A.Condition88, A.DataItem] | None:
        """The level-88 condition ``ref`` names and the item it tests, when unambiguous."""
        name, qualifiers = _name_of(ref)
        if name is None or name in self._items:
            return None
        found = [
            (c, item) for c, item in self._conditions.get(name, [])
            if _chain_has(item, qualifiers)
        ]
        return found[0] if len(found) == 1 else None

    def is_condition_name(self, ref: A.Node | str) -> bool:
        name, _ = _name_of(ref)
        return name is not None and name in self._conditions and name not in self._items

    def target_item(self, ref: A.Node | str) -> A.DataItem | None:
        """The data item behind ``ref``: the item itself, or the one a condition-name tests."""
        found = self.condition(ref)
        return found[1] if found else self.item(ref)

    def root(self, item: A.DataItem) -> A.DataItem:
        while item.parent is not None:
            item = item.parent
        return item

    def section(self, ref: A.Node | str) -> str | None:
        """The DATA DIVISION section of the item ``ref`` names (FILE, LINKAGE...)."""
        item = self.target_item(ref)
        return self.root(item).section if item is not None else None

    def fd_of(self, ref: A.Node | str) -> str | None:
        """The FD whose record area holds ``ref``."""
        item = self.target_item(ref)
        return self._fd_of.get(id(self.root(item))) if item is not None else None

    def is_within(self, ref: A.Node | str, area: A.Node | str) -> bool:
        """Whether ``ref`` lies inside (or is) the item ``area``."""
        inner, outer = self.target_item(ref), self.target_item(area)
        if inner is None or outer is None:
            a, _ = _name_of(ref)
            b, _ = _name_of(area)
            return a is not None and a == b
        node: A.DataItem | None = inner
        while node is not None:
            if node is outer:
                return True
            node = node.parent
        return False

    # ------------------------------------------------------------------ storage

    def storage(self, ref: A.Node | str) -> Storage | None:
        item = self.target_item(ref)
        if item is None:
            name, _ = _name_of(ref)
            return Storage("name:" + name, None, None, 0) if name else None
        root = self.root(item)
        fd = self._fd_of.get(id(root))
        if fd is not None:
            area = "fd:" + fd
        elif root.redefines:
            target = self.item(root.redefines)
            area = "item:" + str(id(target if target is not None else root))
        else:
            area = "item:" + str(id(root))
        if item.offset is None or item.size is None:
            return Storage(area, None, None, id(item))
        return Storage(area, item.offset, item.offset + item.size, id(item))

    def overlap(self, a: A.Node | str, b: A.Node | str) -> bool:
        """Whether ``a`` and ``b`` may share storage (same item, group and member, REDEFINES,
        records of one FD); unresolved names overlap only a name spelt the same."""
        sa, sb = self.storage(a), self.storage(b)
        if sa is None or sb is None or sa.area != sb.area:
            return False
        if sa.item and sa.item == sb.item:
            return True
        if sa.start is None or sb.start is None or sa.end is None or sb.end is None:
            return sa.area.startswith("name:") or self.is_within(a, b) or self.is_within(b, a)
        return sa.start < sb.end and sb.start < sa.end


def _qualified_by(item: A.DataItem, qualifiers: list[str]) -> bool:
    """Whether each qualifier names an ancestor, in order from the nearest."""
    return _chain_has(item.parent, qualifiers)


def _chain_has(node: A.DataItem | None, qualifiers: list[str]) -> bool:
    """Whether ``node`` and its ancestors hold each qualifier, in order."""
    for q in qualifiers:
        while node is not None and (node.name or "").upper() != q:
            node = node.parent
        if node is None:
            return False
        node = node.parent
    return True


def _name_of(ref: A.Node | str) -> tuple[str | None, list[str]]:
    if isinstance(ref, str):
        parts = [p.strip().upper() for p in ref.split(" OF ")]
        return parts[0], parts[1:]
    if isinstance(ref, A.Ident):
        target = ref.data_name
        if target is None:
            return None, []
        return target.name.upper(), [q.upper() for q in target.qualifiers]
    if isinstance(ref, A.ConditionRef):
        return _name_of(ref.ref)
    return None, []


def storage_overlap(a: Storage, b: Storage) -> bool:
    """Whether two places can share bytes (unknown layouts: only the same item, or a name
    spelt the same)."""
    if a.area != b.area:
        return False
    if a.item and a.item == b.item:
        return True
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.area.startswith("name:")
    return a.start < b.end and b.start < a.end


def data_refs(nodes: list[A.Node]) -> Iterator[A.Ident]:
    """The data names among (and inside) ``nodes``: subscripts, reference modifiers and
    function arguments included; LENGTH OF, ADDRESS OF and CICS constants left out."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, A.Ident):
            if node.wrapper == "FUNCTION":
                stack.extend(reversed(node.args + node.refmod))
                continue
            if node.wrapper in ("LENGTH OF", "ADDRESS OF"):
                continue
            if node.name in CONSTANT_FUNCTIONS or is_system_constant(node.name):
                continue
            yield node
            stack.extend(reversed(node.subscripts + node.refmod))
        elif isinstance(node, (A.Literal, A.Statement)):
            continue
        elif isinstance(node, A.Node):
            stack.extend(reversed(list(node.child_nodes())))
