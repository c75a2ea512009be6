"""Storage layout of data description entries: the byte offset and size of every item.

:func:`compute_layout` walks record trees of :class:`~cobolspec.model.ast.DataItem` once and fills
``offset`` (bytes from the start of the item's 01/77 record) and ``size`` (bytes, every occurrence
included, the maximum for OCCURS DEPENDING ON).  The rules are IBM Enterprise COBOL's; where
GnuCOBOL allocates differently a :class:`Dialect` says so, so that ``cobc`` can serve as an oracle:

=================================  ==========================  ===============================
rule                               IBM (``IBM``)               GnuCOBOL 3.1.2, 64-bit
=================================  ==========================  ===============================
BINARY/COMP/COMP-4 digits→bytes    1-4→2, 5-9→4, 10-18→8       ``-std=ibm``: same; default:
                                                               1-2→1, 3-4→2, 5-9→4, 10-18→8
COMP-5                             as BINARY                   always 1-2-4-8 (even -std=ibm)
POINTER, FUNCTION-POINTER          4 (LP(32))                  8
PROCEDURE-POINTER                  8                           8
OBJECT REFERENCE / INDEX           4 / 4                       8 / 4
SYNC boundary (m)                  binary 2 (≤4 digits) or 4;  the item's own size
                                   COMP-1 4, COMP-2 8,
                                   pointers and INDEX 4
where intra-record slack goes      after the preceding         inside the synchronized item's
                                   elementary item, at its     own group, just before it
                                   level (so an enclosing
                                   group starts aligned)
SYNC on a group                    applies to every            ignored
                                   elementary item in it
=================================  ==========================  ===============================

Both pad each occurrence of an OCCURS group that contains synchronized items to a multiple of
the largest boundary inside it (slack bytes between occurrences).  IBM puts these bytes at the end
of the occurrence; cobc 3.1.2 puts them before the occurrence's last item if that is elementary,
and leaves them out (misaligning later occurrences) if it is a group.

Items whose size cannot be known (bad or missing PICTURE, unresolved REDEFINES) get ``size``
None and a :class:`~cobolspec.diagnostics.Diagnostic`; items after them in the same record get
``offset`` None until a REDEFINES pins the position again.  Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.model.ast import DataItem
from cobolspec.model.picture import Category, Picture, PictureError, parse_picture

__all__ = [
    "GNUCOBOL",
    "GNUCOBOL_IBM",
    "IBM",
    "Dialect",
    "binary_size",
    "compute_layout",
    "normalise_usage",
]

BinarySizes = Literal["2-4-8", "1-2-4-8", "1--8"]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one compiler allocates storage; see the module docstring for the presets."""

    name: str
    binary_sizes: BinarySizes = "2-4-8"
    comp5_sizes: BinarySizes | None = None  # None: as binary_sizes
    pointer_size: int = 4
    function_pointer_size: int = 4
    procedure_pointer_size: int = 8
    object_reference_size: int = 4
    index_size: int = 4
    # "ibm": m = 2 or 4 for binary, 4 COMP-1, 8 COMP-2, pointer_alignment for pointers/INDEX;
    # "size": m = the item's size.
    alignment: Literal["ibm", "size"] = "ibm"
    pointer_alignment: int = 4
    # "ibm": slack follows the preceding elementary item at its level; "gnucobol": slack is put
    # in the synchronized item's own group right before it.
    slack: Literal["ibm", "gnucobol"] = "ibm"
    group_sync: bool = True
    # Slack bytes between the occurrences of a table: "end" of each occurrence (IBM); or
    # "gnucobol": before the occurrence's last item when that is elementary, none otherwise.
    occurs_slack: Literal["end", "gnucobol"] = "end"


IBM = Dialect("ibm")
"""IBM Enterprise COBOL for z/OS with LP(32) (the default addressing mode)."""

GNUCOBOL_IBM = Dialect(
    "gnucobol-ibm",
    binary_sizes="2-4-8",
    comp5_sizes="1-2-4-8",
    pointer_size=8,
    function_pointer_size=8,
    procedure_pointer_size=8,
    object_reference_size=8,
    index_size=4,
    alignment="size",
    pointer_alignment=8,
    slack="gnucobol",
    group_sync=False,
    occurs_slack="gnucobol",
)
"""GnuCOBOL 3.1.2 on a 64-bit host with ``-std=ibm`` (binary-size 2-4-8)."""

GNUCOBOL = replace(GNUCOBOL_IBM, name="gnucobol", binary_sizes="1-2-4-8")
"""GnuCOBOL 3.1.2 on a 64-bit host with its default configuration (binary-size 1-2-4-8)."""

_DIALECTS = {d.name: d for d in (IBM, GNUCOBOL_IBM, GNUCOBOL)}

_BINARY_TABLES: dict[str, tuple[int, ...]] = {
    # bytes for 1..18 digits
    "2-4-8": (2,) * 4 + (4,) * 5 + (8,) * 9,
    "1-2-4-8": (1,) * 2 + (2,) * 2 + (4,) * 5 + (8,) * 9,
    "1--8": (1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8),
}

_USAGE_ALIASES = {
    "COMP": "BINARY",
    "COMPUTATIONAL": "BINARY",
    "COMP-4": "BINARY",
    "COMPUTATIONAL-4": "BINARY",
    "COMP-3": "PACKED-DECIMAL",
    "COMPUTATIONAL-3": "PACKED-DECIMAL",
    "COMPUTATIONAL-5": "COMP-5",
    "COMPUTATIONAL-1": "COMP-1",
    "COMPUTATIONAL-2": "COMP-2",
    "OBJECT REFERENCE": "OBJECT-REFERENCE",
    "POINTER-32": "POINTER",
}
_BINARY = frozenset({"BINARY", "COMP-5"})
_CHARACTER = frozenset({"DISPLAY", "NATIONAL", "DISPLAY-1"})
_ADDRESS = frozenset(
    {"POINTER", "PROCEDURE-POINTER", "FUNCTION-POINTER", "OBJECT-REFERENCE", "INDEX"}
)
_KNOWN = _BINARY | _CHARACTER | _ADDRESS | {"PACKED-DECIMAL", "COMP-1", "COMP-2"}
_TWO_BYTE = frozenset({Category.NATIONAL, Category.NATIONAL_EDITED, Category.DBCS})


def normalise_usage(usage: str | None) -> str | None:
    """The canonical USAGE name (``COMP`` → ``BINARY``, ``COMP-3`` → ``PACKED-DECIMAL``, …)."""
    if usage is None:
        return None
    u = " ".join(usage.upper().split())
    return _USAGE_ALIASES.get(u, u)


def binary_size(digits: int, sizes: str = "2-4-8") -> int:
    """Bytes of a binary item with ``digits`` digit positions under a binary-size rule.

    >>> binary_size(4), binary_size(5), binary_size(10), binary_size(2, "1-2-4-8")
    (2, 4, 8, 1)
    """
    if not 1 <= digits <= 18:
        raise ValueError(f"binary items hold 1 to 18 digits, not {digits}")
    return _BINARY_TABLES[sizes][digits - 1]


def compute_layout(
    records: Sequence[DataItem],
    *,
    binary_sizes: str | None = None,
    dialect: Dialect | str = IBM,
    decimal_point_is_comma: bool = False,
    currency: str | Iterable[str] = "$",
) -> list[Diagnostic]:
    """Fill ``offset`` and ``size`` of every item in ``records`` (the 01/77/66 entries, in order).

    ``dialect`` is a :class:`Dialect` or the name of a preset (``"ibm"``, ``"gnucobol-ibm"``,
    ``"gnucobol"``); ``binary_sizes`` overrides its binary-size rule (``"ibm"`` or ``"2-4-8"``,
    ``"gnucobol"`` or ``"1-2-4-8"``, ``"1--8"``).  Level-66 entries may stand in ``records`` after
    their record or anywhere inside its tree.  Returns the findings; never raises for bad input.
    Runs in time linear in the number of items.
    """
    if isinstance(dialect, str):
        if dialect not in _DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(_DIALECTS)}")
        d = _DIALECTS[dialect]
    else:
        d = dialect
    if binary_sizes is not None:
        rule = {"ibm": "2-4-8", "gnucobol": "1-2-4-8"}.get(binary_sizes, binary_sizes)
        if rule not in _BINARY_TABLES:
            raise ValueError(f"unknown binary size rule {binary_sizes!r}")
        d = replace(d, binary_sizes=cast(BinarySizes, rule))
    builder = _Builder(d, decimal_point_is_comma, currency)
    record: DataItem | None = None
    pending: list[DataItem] = []
    for item in records:
        if item.level == 66:
            pending.append(item)
            continue
        if item.level == 88:
            continue
        if record is not None:
            builder.renames(record, pending)
        pending = []
        record = item
        builder.record(item)
    if record is not None:
        builder.renames(record, pending)
    elif pending:
        for item in pending:
            builder.diag("LAY012", Severity.ERROR, item, "level-66 entry outside any record")
    return builder.diagnostics


# --------------------------------------------------------------------------- the walk


@dataclass(slots=True)
class _Inherited:
    usage: str | None = None
    sign: tuple[str, bool] | None = None  # (LEADING|TRAILING, separate)
    sync: bool = False


class _Builder:
    def __init__(self, dialect: Dialect, comma: bool, currency: str | Iterable[str]) -> None:
        self.d = dialect
        self.comma = comma
        self.currency = currency if isinstance(currency, str) else tuple(currency)
        self.diagnostics: list[Diagnostic] = []
        self.fixed = {
            "COMP-1": 4,
            "COMP-2": 8,
            "POINTER": dialect.pointer_size,
            "FUNCTION-POINTER": dialect.function_pointer_size,
            "PROCEDURE-POINTER": dialect.procedure_pointer_size,
            "OBJECT-REFERENCE": dialect.object_reference_size,
            "INDEX": dialect.index_size,
        }
        # per record
        self.cursor: int | None = 0
        self.opened: list[DataItem] = []  # groups opened since the last elementary item
        self.closed: list[DataItem] = []  # groups closed since the last elementary item
        self.pinned: set[int] = set()  # ids of REDEFINES items (their offset cannot move)
        self.renames_found: list[DataItem] = []
        self.parents: dict[int, DataItem | None] = {}

    # ----------------------------------------------------------------- diagnostics

    def diag(
        self,
        code: str,
        severity: Severity,
        item: DataItem,
        message: str,
        hint: str | None = None,
    ) -> None:
        loc: Location | None = item.span.start if item.span is not None else None
        name = item.name or "FILLER"
        self.diagnostics.append(
            Diagnostic(code, severity, f"{name}: {message}", location=loc, hint=hint)
        )

    # ----------------------------------------------------------------- records

    def record(self, root: DataItem) -> None:
        self.cursor = 0
        self.opened = []
        self.closed = []
        self.pinned = set()
        self.renames_found = []
        self.parents = {id(root): None}
        self.place(root, _Inherited(), {})

    def place(self, item: DataItem, inh: _Inherited, siblings: dict[str, DataItem]) -> int:
        """Lay ``item`` out at the cursor; returns the largest SYNC boundary inside it."""
        if item.redefines is not None:
            return self._place_redefining(item, inh, siblings)
        return self._place_here(item, inh)

    def _place_redefining(
        self, item: DataItem, inh: _Inherited, siblings: dict[str, DataItem]
    ) -> int:
        assert item.redefines is not None
        target = siblings.get(item.redefines.upper())
        resume = self.cursor
        if item.level in (1, 77) and self.parents.get(id(item)) is None:
            target_offset: int | None = 0
        elif target is None:
            self.diag(
                "LAY003",
                Severity.ERROR,
                item,
                f"REDEFINES {item.redefines}: no preceding item of that name at this level",
            )
            target_offset = None
        else:
            target_offset = target.offset
        self.cursor = target_offset
        self.pinned.add(id(item))
        m = self._place_here(item, inh)
        end = self.cursor
        self.cursor = None if end is None or resume is None else max(end, resume)
        if (
            target is not None
            and item.level not in (1, 77)
            and item.size is not None
            and target.size is not None
            and item.size > target.size
        ):
            self.diag(
                "LAY006",
                Severity.WARNING,
                item,
                f"is {item.size} bytes but redefines {target.name} of {target.size} bytes",
                hint="only level-01 items may redefine a smaller item",
            )
        return m

    def _place_here(self, item: DataItem, inh: _Inherited) -> int:
        usage = normalise_usage(item.usage) or inh.usage
        if item.sign is not None or item.sign_separate:
            sign: tuple[str, bool] | None = ((item.sign or "TRAILING").upper(), item.sign_separate)
        else:
            sign = inh.sign
        sync = item.sync or (inh.sync and self.d.group_sync)
        storage = [c for c in item.children if c.level not in (66, 88)]
        for c in item.children:
            self.parents[id(c)] = item
            if c.level == 66:
                self.renames_found.append(c)
        if storage:
            return self._place_group(item, storage, _Inherited(usage, sign, sync))
        return self._place_elementary(item, usage, sign, sync)

    def _place_group(self, item: DataItem, children: list[DataItem], inh: _Inherited) -> int:
        if item.pic is not None:
            self.diag(
                "LAY013",
                Severity.WARNING,
                item,
                "a group item has no PICTURE; the PICTURE clause is ignored",
            )
        item.offset = self.cursor
        self.opened.append(item)
        siblings: dict[str, DataItem] = {}
        max_m = 1
        known = True  # every child has a size
        for child in children:
            max_m = max(max_m, self.place(child, inh, siblings))
            known = known and child.size is not None
            if child.name:
                siblings[child.name.upper()] = child
        end = self.cursor
        if item.offset is not None and end is not None:
            one: int | None = end - item.offset
        elif known and max_m == 1:
            one = _relative_size(children)
        else:
            one = None
        if one is not None and item.occurs is not None:
            pad = (-one) % max_m  # slack bytes between occurrences
            if pad and self.d.occurs_slack == "gnucobol":
                last = children[-1]
                if last.children or last.offset is None:
                    pad = 0
                else:
                    last.offset += pad
            item.size = (one + pad) * item.occurs.max
        else:
            item.size = one
        if item.offset is not None and item.size is not None:
            self.cursor = item.offset + item.size
        elif self.cursor is not None and item.size is None:
            self.cursor = None
        if self.opened and self.opened[-1] is item:
            self.opened.pop()
        self.closed.append(item)
        return max_m

    def _place_elementary(
        self, item: DataItem, usage: str | None, sign: tuple[str, bool] | None, sync: bool
    ) -> int:
        size, m = self._elementary_size(item, usage, sign)
        m = m if sync else 1
        if m > 1 and self.cursor is not None and id(item) not in self.pinned:
            pad = (-self.cursor) % m
            if pad:
                self._insert_slack(pad)
        item.offset = self.cursor
        self.opened = []
        self.closed = []
        if size is None:
            item.size = None
            self.cursor = None
            return m
        item.size = size * (item.occurs.max if item.occurs is not None else 1)
        if self.cursor is not None:
            self.cursor += item.size
        return m

    def _insert_slack(self, pad: int) -> None:
        assert self.cursor is not None
        if self.d.slack == "ibm":
            # Groups opened since the previous elementary item start after the slack, unless a
            # REDEFINES pins one of them: then the slack lies inside the innermost pinned one.
            pinned_at = max(
                (i for i, g in enumerate(self.opened) if id(g) in self.pinned), default=-1
            )
            for g in self.opened[pinned_at + 1 :]:
                if g.offset is not None:
                    g.offset += pad
            if pinned_at < 0:
                # The slack sits at the level of the previous elementary item, so the groups
                # that closed after it and end here include it; not inside a table, though.
                end = self.cursor
                last_table = max(
                    (i for i, g in enumerate(self.closed) if g.occurs is not None), default=-1
                )
                for g in self.closed[last_table + 1 :]:
                    if g.offset is not None and g.size is not None and g.offset + g.size == end:
                        g.size += pad
        self.cursor += pad

    # ----------------------------------------------------------------- elementary sizes

    def _elementary_size(
        self, item: DataItem, usage: str | None, sign: tuple[str, bool] | None
    ) -> tuple[int | None, int]:
        """(bytes of one occurrence or None, SYNC boundary m)."""
        d = self.d
        u = usage or "DISPLAY"
        if u not in _KNOWN:
            self.diag("LAY011", Severity.ERROR, item, f"USAGE {u} is not supported")
            return None, 1
        if u in self.fixed:
            size = self.fixed[u]
            if item.pic is not None:
                self.diag(
                    "LAY009",
                    Severity.WARNING,
                    item,
                    f"USAGE {u} takes no PICTURE; PICTURE {item.pic} is ignored",
                )
            if d.alignment == "size":
                return size, size
            if u in _ADDRESS:
                return size, d.pointer_alignment
            return size, size  # COMP-1 4, COMP-2 8
        if item.pic is None:
            self.diag(
                "LAY002",
                Severity.ERROR,
                item,
                f"elementary item with USAGE {u} has no PICTURE; its size is unknown",
                hint="add a PICTURE clause, or check the level numbers of the entries around it",
            )
            return None, 1
        pic = self._picture(item, item.pic)
        if pic is None:
            return None, 1
        if u in _BINARY or u == "PACKED-DECIMAL":
            if pic.category is not Category.NUMERIC:
                self.diag(
                    "LAY010",
                    Severity.ERROR,
                    item,
                    f"USAGE {u} needs a numeric PICTURE, not {pic.category.value} ({pic.text})",
                )
                return None, 1
            if u == "PACKED-DECIMAL":
                return pic.digits // 2 + 1, 1
            if pic.digits > 18:
                self.diag(
                    "LAY007",
                    Severity.ERROR,
                    item,
                    f"a binary item holds at most 18 digits, PICTURE {pic.text} has {pic.digits}",
                )
                return None, 1
            rule = d.binary_sizes if u == "BINARY" else (d.comp5_sizes or d.binary_sizes)
            size = binary_size(max(pic.digits, 1), rule)  # PIC P(n) has no digits
            if d.alignment == "size":
                return size, size
            return size, 2 if size <= 2 else 4
        # DISPLAY, NATIONAL, DISPLAY-1
        chars = pic.size
        if sign is not None and sign[1]:
            if pic.category is Category.NUMERIC and pic.signed:
                chars += 1
            elif item.sign is not None or item.sign_separate:
                self.diag(
                    "LAY008",
                    Severity.WARNING,
                    item,
                    f"SIGN SEPARATE needs a signed numeric PICTURE (S), not {pic.text}",
                )
        if u in ("NATIONAL", "DISPLAY-1") or pic.category in _TWO_BYTE:
            return chars * 2, 1
        if pic.category is Category.UTF8:
            return chars * 4, 1
        return chars, 1

    def _picture(self, item: DataItem, text: str) -> Picture | None:
        try:
            return parse_picture(text, decimal_point_is_comma=self.comma, currency=self.currency)
        except PictureError as exc:
            self.diag("LAY001", Severity.ERROR, item, exc.args[0])
            return None

    # ----------------------------------------------------------------- level 66

    def renames(self, record: DataItem, trailing: list[DataItem]) -> None:
        """Resolve the 66 entries of ``record`` (inside its tree, or following it)."""
        entries = self.renames_found + trailing
        if not entries:
            return
        index: dict[str, list[DataItem]] = {}
        for it in _storage_items(record):
            if it.name:
                index.setdefault(it.name.upper(), []).append(it)
        for entry in entries:
            entry.offset = entry.size = None
            if entry.renames is None:
                self.diag("LAY004", Severity.ERROR, entry, "level-66 entry without RENAMES")
                continue
            first_name, thru_name = entry.renames
            first = self._resolve(entry, first_name, index)
            thru = self._resolve(entry, thru_name, index) if thru_name else first
            if first is None or thru is None:
                continue
            if first.offset is None or thru.offset is None or thru.size is None:
                continue  # the record already has a finding about this
            end = thru.offset + thru.size
            if thru.offset < first.offset or end <= first.offset:
                self.diag(
                    "LAY005",
                    Severity.ERROR,
                    entry,
                    f"RENAMES {first_name} THRU {thru_name}: {thru_name} begins before "
                    f"{first_name}",
                )
                continue
            entry.offset = first.offset
            entry.size = max(end, first.offset + (first.size or 0)) - first.offset

    def _resolve(
        self, entry: DataItem, qualified: str, index: dict[str, list[DataItem]]
    ) -> DataItem | None:
        words = qualified.upper().split()
        name, quals = words[0], [w for w in words[1:] if w not in ("OF", "IN")]
        found = []
        for cand in index.get(name, []):
            node = self.parents.get(id(cand))
            wanted = list(quals)
            while node is not None and wanted:
                if node.name and node.name.upper() == wanted[0]:
                    wanted.pop(0)
                node = self.parents.get(id(node))
            if not wanted:
                found.append(cand)
        if not found:
            self.diag(
                "LAY004",
                Severity.ERROR,
                entry,
                f"RENAMES {qualified}: no such item in record {_record_name(entry, self)}",
            )
            return None
        return found[0]


def _record_name(entry: DataItem, builder: _Builder) -> str:
    node: DataItem | None = entry
    last = entry
    while node is not None:
        last = node
        node = builder.parents.get(id(node))
    return last.name or "FILLER"


def _storage_items(root: DataItem) -> Iterator[DataItem]:
    stack = [root]
    while stack:
        it = stack.pop()
        if it.level in (66, 88):
            continue
        yield it
        stack.extend(reversed(it.children))


def _relative_size(children: list[DataItem]) -> int | None:
    """Size of a group from its children's sizes alone (no SYNC inside, offset unknown)."""
    pos = 0
    end = 0
    starts: dict[str, int] = {}
    for c in children:
        if c.size is None:
            return None
        if c.redefines is not None:
            start = starts.get(c.redefines.upper())
            if start is None:
                return None
        else:
            start = end
        if c.name:
            starts[c.name.upper()] = start
        pos = start + c.size
        end = max(end, pos)
    return end
