"""Putting parsed units together: data entries into record trees, procedure units into
sections and paragraphs. Pure functions over AST nodes (no Lark here)."""

from __future__ import annotations

from collections.abc import Iterable

from cobolspec.model import ast as A

SECTION_NAMES = {
    "FILE": "FILE",
    "WORKING-STORAGE": "WORKING-STORAGE",
    "LOCAL-STORAGE": "LOCAL-STORAGE",
    "LINKAGE": "LINKAGE",
    "COMMUNICATION": "COMMUNICATION",
    "REPORT": "REPORT",
    "SCREEN": "SCREEN",
}


class RecordBuilder:
    """Turns data description entries, in source order, into 01/77 record trees.

    >>> b = RecordBuilder()
    >>> b.add(A.DataItem(level=1, name="R"), "WORKING-STORAGE")
    >>> b.add(A.DataItem(level=5, name="F", pic="X"), "WORKING-STORAGE")
    >>> b.add(A.Condition88(name="IS-Y", values=[("'Y'", None)]), "WORKING-STORAGE")
    >>> [c.name for c in b.sections["WORKING-STORAGE"][0].children]
    ['F']
    >>> b.sections["WORKING-STORAGE"][0].children[0].conditions[0].name
    'IS-Y'
    """

    def __init__(self) -> None:
        self.sections: dict[str, list[A.DataItem]] = {}
        self.files: list[A.FileDescription] = []
        self._stack: list[A.DataItem] = []
        self._fd: A.FileDescription | None = None
        self._last: A.DataItem | None = None

    def start_section(self, name: str) -> None:
        self._stack = []
        self._fd = None
        self._last = None
        self.sections.setdefault(name, [])

    def add_file(self, fd: A.FileDescription) -> None:
        self.files.append(fd)
        self._fd = fd
        self._stack = []
        self._last = None

    def add(self, entry: A.DataItem | A.Condition88, section: str) -> None:
        records = self.sections.setdefault(section, [])
        if isinstance(entry, A.Condition88):
            if self._last is not None:
                self._last.conditions.append(entry)
            return
        entry.section = section
        level = entry.level
        if level in (1, 77) or not self._stack:
            if level not in (1, 77, 66):
                # a subordinate level with no record open: treat it as a record of its own
                pass
            records.append(entry)
            if self._fd is not None and section in ("FILE", "REPORT", "COMMUNICATION"):
                entry.record_of = self._fd.name
                self._fd.records.append(entry)
            self._stack = [entry] if level != 66 else self._stack
            self._last = entry
            return
        if level == 66:
            record = self._stack[0]
            entry.parent = record
            record.children.append(entry)
            self._last = entry
            return
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        if not self._stack:
            records.append(entry)
            self._stack = [entry]
        else:
            parent = self._stack[-1]
            entry.parent = parent
            parent.children.append(entry)
            self._stack.append(entry)
        self._last = entry


def count_statements(statements: Iterable[A.Statement]) -> tuple[int, int]:
    """(all statements, unparsed statements), nested statements included."""
    total = unparsed = 0
    for st in statements:
        for node in st.walk():
            if isinstance(node, A.Statement):
                total += 1
                if isinstance(node, A.UnparsedStatement):
                    unparsed += 1
    return total, unparsed


def resolve_condition_names(program: A.Program) -> None:
    """Undo abbreviation where the "abbreviated object" is a condition-name.

    ``IF A = 1 OR FLAG-X`` reads FLAG-X as ``A = FLAG-X`` unless FLAG-X is a level-88
    condition-name; only the data division can tell, so this runs once it is known.
    """
    names = {c.name for item in program.all_items() for c in item.conditions}
    if not names or program.procedure is None:
        return

    def fix(node: A.Node) -> A.Node:
        if (
            isinstance(node, A.Relation)
            and node.abbreviated
            and isinstance(node.right, A.Ident)
            and node.right.wrapper is None
            and node.right.name in names
        ):
            return A.ConditionRef(span=node.span, ref=node.right)
        if isinstance(node, A.BoolOp):
            node.operands = [fix(o) for o in node.operands]
        elif isinstance(node, A.Not):
            node.operand = fix(node.operand)
        return node

    for node in program.procedure.walk():
        if isinstance(node, A.IfStmt) and node.condition is not None:
            node.condition = fix(node.condition)
        elif isinstance(node, A.PerformStmt):
            if node.until is not None:
                node.until = fix(node.until)
            for v in node.varying:
                v.until = fix(v.until)
        elif isinstance(node, A.WhenObject) and node.kind == "condition" and node.value:
            node.value = fix(node.value)
        elif isinstance(node, A.WhenClause):
            node.objects = [[fix(o) if not isinstance(o, A.WhenObject) else o for o in row]
                            for row in node.objects]
