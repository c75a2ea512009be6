"""Symbols of one program: data names resolved under COBOL's qualification rules, files and their
record areas, and which items share storage.

:class:`SymbolTable` answers three questions the data-flow analysis asks of every operand:

* **which item is this?** ``NAME [OF|IN qualifier]...`` resolves to exactly one
  :class:`~cobolspec.model.ast.DataItem`: each qualifier must name an ancestor of the candidate
  (or the FD of its record), in order, levels may be skipped; a level-88 condition-name resolves
  to its conditional variable; INDEXED BY names, special registers (RETURN-CODE, SORT-RETURN,
  TALLY...), the SQLCA and the CICS EIB (when their copybooks are not in the dump) and the
  DFHAID/DFHBMSCA constants are items the environment supplies, made up once per table. A name
  that resolves to nothing or to more than one item is reported (``DFL001``/``DFL002``) and
  never guessed.
* **which file is this?** a file name gives its SELECT entry, its FD/SD and the FD's records
  (one record area: the records of one FD implicitly redefine each other).
* **what else does writing this item touch?** :meth:`SymbolTable.aliases` lists every other
  named item whose bytes overlap the item's bytes in the same storage area (its subordinates,
  the groups above it, REDEFINES at any level, RENAMES, the other records of its FD), each with
  whether the other item lies wholly inside the accessed bytes. Items inside a table (OCCURS)
  are compared per element when they share a table, by their whole extent otherwise.

>>> from cobolspec.parse.parser import parse_expanded
>>> from cobolspec.source import preprocess
>>> src = '''       IDENTIFICATION DIVISION.
...        PROGRAM-ID. S.
...        DATA DIVISION.
...        WORKING-STORAGE SECTION.
...        01  A.
...            05  K    PIC X(4).
...            05  N    PIC 9(4).
...        01  B REDEFINES A.
...            05  K    PIC X(8).
...                88  K-SET VALUE 'Y'.
...        PROCEDURE DIVISION.
...            STOP RUN.
... '''
>>> table = SymbolTable(parse_expanded(preprocess(src)).programs[0])
>>> table.lookup("K OF B").qualified_name, table.lookup("K-SET").qualified_name
('K OF B', 'K OF B')
>>> table.lookup("K") is None, [d.code for d in table.diagnostics]
(True, ['DFL002'])
>>> sorted((o.qualified_name, covered) for o, covered in table.aliases(table.lookup("N")))
[('A', False), ('B', False), ('K OF B', False)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from cobolspec.diagnostics import Diagnostic, Severity, Span
from cobolspec.model import ast as A
from cobolspec.model.layout import compute_layout

__all__ = [
    "AMBIGUOUS_NAME",
    "CICS_CONSTANT",
    "EIB_AREA",
    "INDEX_NAME",
    "SPECIAL_REGISTER",
    "SQLCA_AREA",
    "UNKNOWN_FILE",
    "UNKNOWN_NAME",
    "FileInfo",
    "Ref",
    "SymbolTable",
]

# Diagnostic codes (stable: a code never changes meaning).
UNKNOWN_NAME = "DFL001"  # a data name no item of the program (or environment) has
AMBIGUOUS_NAME = "DFL002"  # a data name its qualification leaves naming several items
UNKNOWN_FILE = "DFL003"  # a file name with no SELECT or FD

# ``DataItem.section`` of the items the environment supplies (made up by the table).
SPECIAL_REGISTER = "SPECIAL-REGISTER"
INDEX_NAME = "INDEX"
SQLCA_AREA = "SQLCA"
EIB_AREA = "EIB"
CICS_CONSTANT = "CICS-CONSTANT"
SUPPLIED_SECTIONS = frozenset({SPECIAL_REGISTER, INDEX_NAME, SQLCA_AREA, EIB_AREA, CICS_CONSTANT})

_REGISTERS = {
    "RETURN-CODE": "S9(4) COMP", "SORT-RETURN": "S9(4) COMP", "SORT-CONTROL": "X(8)",
    "SORT-CORE-SIZE": "S9(8) COMP", "SORT-FILE-SIZE": "S9(8) COMP", "SORT-MESSAGE": "X(8)",
    "SORT-MODE-SIZE": "S9(5) COMP", "TALLY": "9(5) COMP", "WHEN-COMPILED": "X(16)",
    "LINAGE-COUNTER": "9(9) COMP", "LINE-COUNTER": "9(9) COMP", "PAGE-COUNTER": "9(9) COMP",
    "SHIFT-IN": "X", "SHIFT-OUT": "X", "XML-CODE": "S9(9) COMP",
    "XML-EVENT": "X(30)", "XML-TEXT": "X(256)", "XML-NTEXT": "N(256)",
    "XML-NAMESPACE": "X(256)", "XML-NAMESPACE-PREFIX": "X(256)", "XML-INFORMATION": "S9(9) COMP",
    "JSON-CODE": "S9(9) COMP", "JSON-STATUS": "S9(9) COMP", "JNIENVPTR": "POINTER",
    "NUMBER-OF-CALL-PARAMETERS": "9(9) COMP",
}  # fmt: skip

# The SQLCA as DB2 for z/OS documents it (used when INCLUDE SQLCA was not in the dump).
_SQLCA = [
    (5, "SQLCAID", "X(8)", None), (5, "SQLCABC", "S9(9)", "COMP"),
    (5, "SQLCODE", "S9(9)", "COMP"), (5, "SQLERRM", None, None),
    (10, "SQLERRML", "S9(4)", "COMP"), (10, "SQLERRMC", "X(70)", None),
    (5, "SQLERRP", "X(8)", None), (5, "SQLERRD", "S9(9)", "COMP"),
    (5, "SQLWARN", None, None), *[(10, f"SQLWARN{c}", "X", None) for c in "01234567"],
    (5, "SQLEXT", None, None), *[(10, f"SQLWARN{c}", "X", None) for c in "89A"],
    (10, "SQLSTATE", "X(5)", None),
]  # fmt: skip
_SQLERRD_OCCURS = 6

# The CICS exec interface block DFHEIBLK (the translator inserts it into the LINKAGE SECTION).
_EIB = [
    ("EIBTIME", "S9(7)", "COMP-3"), ("EIBDATE", "S9(7)", "COMP-3"), ("EIBTRNID", "X(4)", None),
    ("EIBTASKN", "S9(7)", "COMP-3"), ("EIBTRMID", "X(4)", None), ("DFHEIGDI", "S9(4)", "COMP"),
    ("EIBCPOSN", "S9(4)", "COMP"), ("EIBCALEN", "S9(4)", "COMP"), ("EIBAID", "X", None),
    ("EIBFN", "X(2)", None), ("EIBRCODE", "X(6)", None), ("EIBDS", "X(8)", None),
    ("EIBREQID", "X(8)", None), ("EIBRSRCE", "X(8)", None), ("EIBSYNC", "X", None),
    ("EIBFREE", "X", None), ("EIBRECV", "X", None), ("EIBFIL01", "X", None),
    ("EIBATT", "X", None), ("EIBEOC", "X", None), ("EIBFMH", "X", None),
    ("EIBCOMPL", "X", None), ("EIBSIG", "X", None), ("EIBCONF", "X", None),
    ("EIBERR", "X", None), ("EIBERRCD", "X(4)", None), ("EIBSYNRB", "X", None),
    ("EIBNODAT", "X", None), ("EIBRESP", "S9(8)", "COMP"), ("EIBRESP2", "S9(8)", "COMP"),
    ("EIBRLDBK", "X", None),
]  # fmt: skip

# Constants of the CICS copybooks DFHAID and DFHBMSCA, for when the dump lacks them.
_CICS_CONSTANTS = frozenset({
    "DFHNULL", "DFHENTER", "DFHCLEAR", "DFHCLRP", "DFHPEN", "DFHOPID", "DFHMSRE", "DFHSTRF",
    "DFHTRIG", "DFHPA1", "DFHPA2", "DFHPA3", *[f"DFHPF{i}" for i in range(1, 25)],
    "DFHBMPEM", "DFHBMPNL", "DFHBMPFF", "DFHBMPCR", "DFHBMASK", "DFHBMUNP", "DFHBMUNN",
    "DFHBMPRO", "DFHBMBRY", "DFHBMDAR", "DFHBMFSE", "DFHBMPRF", "DFHBMASF", "DFHBMASB",
    "DFHBMEOF", "DFHBMCUR", "DFHBMEC", "DFHBMFLG", "DFHBMDET", "DFHBMPSO", "DFHBMPSI",
    "DFHSA", "DFHCOLOR", "DFHPS", "DFHHLT", "DFH3270", "DFHVAL", "DFHOUTLN", "DFHBKTRN",
    "DFHALL", "DFHERROR", "DFHDFT", "DFHDFCOL", "DFHBLUE", "DFHRED", "DFHPINK", "DFHGREEN",
    "DFHTURQ", "DFHYELLO", "DFHNEUTR", "DFHBASE", "DFHDFHI", "DFHBLINK", "DFHREVRS",
    "DFHUNDLN", "DFHMFIL", "DFHMENT", "DFHMFE", "DFHUNNOD", "DFHUNIMD", "DFHUNNUM",
    "DFHUNNUB", "DFHUNINT", "DFHUNNON", "DFHPROTI", "DFHPROTN", "DFHMT", "DFHMFT", "DFHMET",
    "DFHMFET", "DFHDFFR", "DFHUNDER", "DFHRIGHT", "DFHOVER", "DFHLEFT", "DFHBOX", "DFHSOSI",
    "DFHTRANS", "DFHOPAQ",
})  # fmt: skip
# DEBUG-ITEM, the special register of USE FOR DEBUGGING, and its subordinate items.
_DEBUG_ITEM = [
    ("DEBUG-LINE", "X(6)"), (None, "X"), ("DEBUG-NAME", "X(30)"), (None, "X(19)"),
    ("DEBUG-SUB-1", "S9(4)"), (None, "X"), ("DEBUG-SUB-2", "S9(4)"), (None, "X"),
    ("DEBUG-SUB-3", "S9(4)"), (None, "X"), ("DEBUG-CONTENTS", "X(100)"),
]  # fmt: skip
_SQLCA_NAMES = frozenset(name for _, name, _, _ in _SQLCA) | {"SQLCA"}
_DEBUG_NAMES = frozenset(name for name, _ in _DEBUG_ITEM if name) | {"DEBUG-ITEM"}
_EIB_NAMES = frozenset(name for name, _, _ in _EIB) | {"DFHEIBLK"}
_QUALIFIER = re.compile(r"\s+(?:OF|IN)\s+", re.I)


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved operand: the item it names (the conditional variable for a condition-name),
    the condition-name if it was one, and whether it was subscripted or reference-modified
    (both mean only part of the item is touched)."""

    item: A.DataItem
    condition: A.Condition88 | None = None
    subscripted: bool = False
    refmod: bool = False

    @property
    def partial(self) -> bool:
        return self.subscripted or self.refmod


@dataclass(slots=True)
class FileInfo:
    """A file: its SELECT entry, its FD/SD and the records of its one record area."""

    name: str
    control: A.FileControl | None
    fd: A.FileDescription | None
    records: list[A.DataItem] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``FD`` or ``SD`` (a sort file)."""
        return self.fd.kind if self.fd is not None else "FD"


@dataclass(slots=True)
class _Place:
    """Where an item's bytes are: its storage area and its extent, occurrences included."""

    area: int
    start: int | None
    end: int | None
    tables: tuple[int, ...]  # id() of the OCCURS items strictly above it, outermost first


class SymbolTable:
    """Names of one program (and the GLOBAL names of the programs containing it, ``outer``,
    innermost first); see the module docstring.

    ``diagnostics`` collects the findings of every resolution made through the table, once per
    location and name.
    """

    def __init__(self, program: A.Program, outer: Sequence[A.Program] = ()) -> None:
        self.program = program
        self.diagnostics: list[Diagnostic] = []
        self._reported: set[tuple[str, str]] = set()
        self._items: dict[str, list[A.DataItem]] = {}
        self._conditions: dict[str, list[tuple[A.Condition88, A.DataItem]]] = {}
        self._owner: dict[int, A.DataItem] = {}  # id(Condition88) -> its conditional variable
        self._indexes: dict[str, A.DataItem] = {}
        self._supplied: dict[str, A.DataItem] = {}
        self._places: dict[int, _Place] = {}
        self._tables: dict[int, A.DataItem] = {}
        self._area_items: dict[int, list[A.DataItem]] = {}
        self._alias_cache: dict[int, list[tuple[A.DataItem, bool]]] = {}
        self.files: dict[str, FileInfo] = {}
        for prog, only_global in [(program, False), *((p, True) for p in outer)]:
            self._index_program(prog, only_global)
        self._index_files(program)
        records = list(program.records)
        for prog in outer:  # GLOBAL files of the containing programs
            for fd in prog.file_descriptions:
                if "global" in fd.clauses and fd.name.upper() not in self.files:
                    key = fd.name.upper()
                    fc = next((f for f in prog.files if f.name.upper() == key), None)
                    self.files[key] = FileInfo(key, fc, fd, list(fd.records))
            records.extend(r for r in prog.records if r.global_ or any(
                r in fd.records for fd in prog.file_descriptions if "global" in fd.clauses))
        self._place_records(records)

    # ------------------------------------------------------------------ building

    def _index_program(self, program: A.Program, only_global: bool) -> None:
        global_files = {fd.name.upper() for fd in program.file_descriptions
                        if "global" in fd.clauses}
        for record in program.records:
            if only_global and not (record.global_ or (record.record_of or "").upper()
                                    in global_files):
                continue
            for item in _tree(record):
                for cond in item.conditions:
                    self._owner[id(cond)] = item
                    if cond.name.upper() != "FILLER":
                        self._conditions.setdefault(cond.name.upper(), []).append((cond, item))
                if item.occurs is not None:
                    for name in item.occurs.indexed_by:
                        self._indexes.setdefault(name.upper(), self._make_index(name, item))
                if not item.name or item.name.upper() == "FILLER":
                    continue
                key = item.name.upper()
                if only_global and key in self._items:
                    continue  # a name of the program itself hides the containing program's
                self._items.setdefault(key, []).append(item)

    def _make_index(self, name: str, table: A.DataItem) -> A.DataItem:
        return A.DataItem(span=table.span, level=77, name=name.upper(), section=INDEX_NAME,
                          usage="INDEX")

    def _index_files(self, program: A.Program) -> None:
        for fc in program.files:
            self.files[fc.name.upper()] = FileInfo(fc.name.upper(), fc, None)
        for fd in program.file_descriptions:
            info = self.files.setdefault(fd.name.upper(), FileInfo(fd.name.upper(), None, fd))
            info.fd = fd
            info.records = list(fd.records)

    def _place_records(self, records: Sequence[A.DataItem]) -> None:
        """Give every record its storage area: one per 01/77, shared by the records of one FD
        and by a record and the records that REDEFINE it."""
        area: dict[int, int] = {}
        by_name: dict[tuple[str, str], A.DataItem] = {}
        for record in records:
            area[id(record)] = id(record)
            if record.redefines and record.level == 1:
                base = by_name.get((record.section, record.redefines.upper()))
                if base is not None:
                    area[id(record)] = area[id(base)]
            if record.name:
                by_name[(record.section, record.name.upper())] = record
        for info in self.files.values():
            if info.records:
                first = area.get(id(info.records[0]), id(info.records[0]))
                for rec in info.records[1:]:
                    area[id(rec)] = first
        for record in records:
            self._place_tree(record, area.get(id(record), id(record)))

    def _place_tree(self, record: A.DataItem, area: int) -> None:
        stack: list[tuple[A.DataItem, tuple[int, ...]]] = [(record, ())]
        items = self._area_items.setdefault(area, [])
        while stack:
            item, tables = stack.pop()
            start = item.offset
            end = None
            if start is not None and item.size is not None:
                end = start + item.size + sum(self._spread(t) for t in tables)
            self._places[id(item)] = _Place(area, start, end, tables)
            items.append(item)
            if item.occurs is not None:
                self._tables[id(item)] = item
            below = (*tables, id(item)) if item.occurs is not None else tables
            for child in item.children:
                stack.append((child, below if child.level != 66 else ()))

    def _spread(self, table_id: int) -> int:
        """The bytes an item's extent grows by for the other occurrences of a table above it."""
        table = self._tables.get(table_id)
        if table is None or table.occurs is None or not table.size or not table.occurs.max:
            return 0
        return (table.occurs.max - 1) * (table.size // table.occurs.max)

    # ------------------------------------------------------------------ resolution

    def resolve(self, ident: A.Ident) -> Ref | None:
        """The item an operand names, or None (with a diagnostic unless it is a known
        non-data name: a file, a mnemonic of SPECIAL-NAMES)."""
        target = ident.data_name
        if target is None:
            return None
        if target.wrapper == "SPECIAL":
            item = self._register(target.name)
            return Ref(item) if item is not None else None
        ref = self._resolve_name(target.name, target.qualifiers, target.span)
        if ref is None:
            return None
        if target.subscripts or target.refmod:
            return Ref(ref.item, ref.condition, bool(target.subscripts), bool(target.refmod))
        return ref

    def lookup(self, text: str, span: Span | None = None) -> A.DataItem | None:
        """The item a reference written as text names (``FLD OF GRP``, as EXEC blocks give
        them; subscripts are not part of the text)."""
        ref = self.resolve_text(text, span)
        return ref.item if ref is not None else None

    def resolve_text(self, text: str, span: Span | None = None) -> Ref | None:
        words = [w.strip().upper() for w in _QUALIFIER.split(text.strip()) if w.strip()]
        if not words:
            return None
        return self._resolve_name(words[0], words[1:], span)

    def is_data_name(self, name: str) -> bool:
        """Whether ``name`` could name a data item here (a file or mnemonic name cannot)."""
        key = name.upper()
        return key not in self.files and key not in self.program.special_names

    def _resolve_name(self, name: str, qualifiers: Sequence[str], span: Span | None) -> Ref | None:
        key = name.upper()
        quals = [q.upper() for q in qualifiers]
        found: list[Ref] = []
        for item in self._items.get(key, []):
            if _qualified_by(self._chain(item), quals):
                found.append(Ref(item))
        for cond, owner in self._conditions.get(key, []):
            if _qualified_by([owner.name or "", *self._chain(owner)], quals):
                found.append(Ref(owner, cond))
        if not found and not quals:
            index = self._indexes.get(key)
            supplied = index if index is not None else self._supplied_item(key)
            if supplied is not None:
                return Ref(supplied)
        if not found and quals and key in _SQLCA_NAMES | _EIB_NAMES | _DEBUG_NAMES:
            supplied = self._supplied_item(key)
            if supplied is not None and _qualified_by(self._chain(supplied), quals):
                return Ref(supplied)
        if len(found) == 1:
            return found[0]
        written = " OF ".join([key, *quals])
        if not found:
            if key in self.files or key in self.program.special_names:
                return None
            self._report(UNKNOWN_NAME, span, written,
                         f"data name {written} is not defined in program {self.program.name}")
        else:
            where = ", ".join(sorted(r.item.qualified_name for r in found))
            self._report(AMBIGUOUS_NAME, span, written,
                         f"data name {written} is ambiguous: it may be {where}",
                         hint="qualify it with OF or IN")
        return None

    def _chain(self, item: A.DataItem) -> list[str]:
        """Names an item can be qualified by: its ancestors', then its record's FD name."""
        names: list[str] = []
        node = item.parent
        top = item
        while node is not None:
            if node.name:
                names.append(node.name.upper())
            top = node
            node = node.parent
        if top.record_of:
            names.append(top.record_of.upper())
        return names

    def _report(self, code: str, span: Span | None, name: str, message: str,
                hint: str | None = None) -> None:
        where = str(span.start) if span is not None else ""
        if (where, name) in self._reported:
            return
        self._reported.add((where, name))
        self.diagnostics.append(Diagnostic(code, Severity.WARNING, message,
                                           span.start if span else None, None, hint))

    def report_unknown_file(self, name: str, span: Span | None) -> None:
        self._report(UNKNOWN_FILE, span, name,
                     f"file {name} has no SELECT or FD in program {self.program.name}")

    # ------------------------------------------------------------------ supplied items

    def _register(self, name: str) -> A.DataItem | None:
        return self._supplied_item(name.upper())

    def _supplied_item(self, key: str) -> A.DataItem | None:
        if key in self._supplied:
            return self._supplied[key]
        if key in _REGISTERS:
            written = _REGISTERS[key]
            pic: str | None = written
            usage = None
            if written.endswith(" COMP"):
                pic, usage = written[:-5], "COMP"
            if written == "POINTER":
                pic, usage = None, "POINTER"
            item = A.DataItem(level=77, name=key, section=SPECIAL_REGISTER, pic=pic, usage=usage)
            self._supplied[key] = item
            return item
        if key in _CICS_CONSTANTS or re.fullmatch(r"DFHPF\d+|DFHPA\d", key):
            item = A.DataItem(level=77, name=key, section=CICS_CONSTANT, pic="X")
            self._supplied[key] = item
            return item
        if key in _SQLCA_NAMES:
            self._supply_record(_sqlca())
            return self._supplied.get(key)
        if key in _EIB_NAMES:
            self._supply_record(_eib())
            return self._supplied.get(key)
        if key in _DEBUG_NAMES:
            self._supply_record(_debug_item())
            return self._supplied.get(key)
        return None

    def _supply_record(self, record: A.DataItem) -> None:
        compute_layout([record])
        for item in _tree(record):
            if item.name:
                self._supplied[item.name.upper()] = item
        self._place_tree(record, id(record))

    def supplied_record(self, name: str) -> A.DataItem | None:
        """The SQLCA or the EIB (``DFHEIBLK``): the program's own when it has one, else the
        one the environment supplies."""
        key = name.upper()
        own = [i for i in self._items.get(key, []) if i.level == 1]
        if len(own) == 1:
            return own[0]
        return self._supplied_item(key)

    # ------------------------------------------------------------------ files

    def file(self, name: str) -> FileInfo | None:
        return self.files.get(name.upper())

    def file_of(self, record: A.DataItem) -> FileInfo | None:
        """The file whose record area holds ``record`` (a FILE SECTION record or any item in
        one)."""
        top = record
        while top.parent is not None:
            top = top.parent
        return self.files.get(top.record_of.upper()) if top.record_of else None

    # ------------------------------------------------------------------ storage

    def record_of(self, item: A.DataItem) -> A.DataItem:
        top = item
        while top.parent is not None:
            top = top.parent
        return top

    def aliases(self, item: A.DataItem) -> list[tuple[A.DataItem, bool]]:
        """Every other named item sharing bytes with ``item``, each with whether it lies wholly
        inside ``item``'s bytes (a write of ``item`` then replaces it entirely)."""
        cached = self._alias_cache.get(id(item))
        if cached is not None:
            return cached
        found: dict[int, tuple[A.DataItem, bool]] = {}
        place = self._places.get(id(item))
        if place is not None and place.start is not None and place.end is not None:
            for other in self._area_items.get(place.area, []):
                if other is item or not _named(other):
                    continue
                seen = self._overlap(place, self._places[id(other)])
                if seen is not None:
                    found[id(other)] = (other, seen)
        # the tree relations hold even where a layout could not be computed
        for sub in _tree(item):
            if sub is not item and _named(sub) and sub.level != 66:
                found.setdefault(id(sub), (sub, True))
        node = item.parent
        while node is not None:
            if _named(node):
                found[id(node)] = (node, False)
            node = node.parent
        result = sorted(found.values(), key=lambda pair: self._order(pair[0]))
        self._alias_cache[id(item)] = result
        return result

    def _order(self, item: A.DataItem) -> tuple[int, int, str]:
        place = self._places.get(id(item))
        start = place.start if place is not None and place.start is not None else -1
        return (start, -(item.size or 0), item.qualified_name)

    def _overlap(self, a: _Place, b: _Place) -> bool | None:
        """None when the extents of ``a`` and ``b`` are apart, else whether ``b`` lies within
        ``a``. Items under a common table are compared within one element of it."""
        if b.start is None or b.end is None or a.start is None or a.end is None:
            return None
        common = [t for t in a.tables if t in b.tables]
        a_start, a_end, b_start, b_end = a.start, a.end, b.start, b.end
        if common:
            innermost = common[-1]
            a_start, a_end = self._extent_below(a, innermost)
            b_start, b_end = self._extent_below(b, innermost)
        if a_end <= b_start or b_end <= a_start:
            return None
        return a_start <= b_start and b_end <= a_end

    def _extent_below(self, place: _Place, table_id: int) -> tuple[int, int]:
        """Extent of one occurrence of the table ``table_id`` (the item's bytes in element 1)."""
        assert place.start is not None and place.end is not None
        above = place.tables[: place.tables.index(table_id) + 1]
        return place.start, place.end - sum(self._spread(t) for t in above)

    def counterpart(
        self, whole: A.DataItem, part: A.DataItem, other: A.DataItem
    ) -> list[A.DataItem]:
        """The named items of ``other`` at the bytes where ``part`` lies in ``whole``: when
        ``whole`` is copied byte for byte to or from ``other`` (a group MOVE), they are where
        ``part``'s bytes go or come from. ``[other]`` when no item there matches exactly, or
        when a table makes the position uncertain."""
        pw, pp, po = (self._places.get(id(i)) for i in (whole, part, other))
        if pw is None or pp is None or po is None or pp.tables != pw.tables or po.tables:
            return [other]
        if None in (pw.start, pw.end, pp.start, pp.end, po.start, po.end):
            return [other]
        assert pw.start is not None and pp.start is not None and pp.end is not None
        assert po.start is not None and po.end is not None
        start = po.start + (pp.start - pw.start)
        end = start + (pp.end - pp.start)
        if pw.tables or end > po.end:
            return [other]
        found = [
            item for item in self._area_items.get(po.area, [])
            if _named(item) and self._places[id(item)].start == start
            and self._places[id(item)].end == end and not self._places[id(item)].tables
        ]
        if not found or other in found:
            return [other]
        return sorted(found, key=self._order)

    def items(self) -> Iterator[A.DataItem]:
        """Every named item of the program's own data, records first, depth first."""
        for item in self.program.all_items():
            if _named(item):
                yield item

    def supplied_items(self) -> list[A.DataItem]:
        """The items made up for the environment so far."""
        return list(self._supplied.values()) + list(self._indexes.values())

    def condition_item(self, cond: A.Condition88) -> A.DataItem | None:
        return self._owner.get(id(cond))


def _named(item: A.DataItem) -> bool:
    return bool(item.name) and (item.name or "").upper() != "FILLER" and item.level != 88


def _tree(item: A.DataItem) -> Iterator[A.DataItem]:
    stack = [item]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _qualified_by(chain: Sequence[str], qualifiers: Sequence[str]) -> bool:
    """Whether ``qualifiers`` appear in ``chain`` (the names above an item), in order."""
    pos = 0
    for q in qualifiers:
        try:
            pos = list(chain).index(q, pos) + 1
        except ValueError:
            return False
    return True


def _sqlca() -> A.DataItem:
    record = A.DataItem(level=1, name="SQLCA", section=SQLCA_AREA)
    stack = [record]
    for level, name, pic, usage in _SQLCA:
        item = A.DataItem(level=level, name=name, section=SQLCA_AREA, pic=pic, usage=usage)
        if name == "SQLERRD":
            item.occurs = A.Occurs(max=_SQLERRD_OCCURS)
        while stack[-1].level >= level:
            stack.pop()
        item.parent = stack[-1]
        stack[-1].children.append(item)
        stack.append(item)
    return record


def _eib() -> A.DataItem:
    record = A.DataItem(level=1, name="DFHEIBLK", section=EIB_AREA)
    for name, pic, usage in _EIB:
        item = A.DataItem(level=2, name=name, section=EIB_AREA, pic=pic, usage=usage,
                          parent=record)
        record.children.append(item)
    return record


def _debug_item() -> A.DataItem:
    record = A.DataItem(level=1, name="DEBUG-ITEM", section=SPECIAL_REGISTER)
    for name, pic in _DEBUG_ITEM:
        item = A.DataItem(level=2, name=name, section=SPECIAL_REGISTER, pic=pic, parent=record)
        if pic.startswith("S"):
            item.sign, item.sign_separate = "LEADING", True
        record.children.append(item)
    return record
