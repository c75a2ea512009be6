"""The glossary: what the names of a program mean, mined from the program itself.

Four sources, each kept with where it came from (the ``glossary`` table's ``source`` column):

``name``
    a data name split into words, each abbreviation expanded from a documented table
    (``abbreviations.csv`` beside this module, extensible): ``WS-CUST-BAL`` → "customer balance".
    Scope prefixes (``WS-``, ``LS-``, ``WK-``...) carry no meaning and are dropped.
``88-level``
    a condition-name read as its item and values: ``ACCT-CLOSED`` → "account status is 'C'".
``comment``
    the comment lines (``*`` in column 7, or ``*>``) directly above a data definition, or
    beside it, read from the physical lines of the program or copybook it was written in.
``user``
    a user glossary (CSV ``term,meaning``) naming whole data names or single words; it overrides
    everything else.

>>> g = Glossary()
>>> g.explain("WS-ACCT-BAL"), g.explain("TRAN-AMT"), g.explain("LK-CUST-NBR")
('account balance', 'transaction amount', 'customer number')
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cobolspec.diagnostics import Location, Span
from cobolspec.errors import ConfigError
from cobolspec.model import ast as A

__all__ = [
    "ABBREVIATIONS",
    "SCOPE_MARKERS",
    "Condition88Info",
    "Entry",
    "Glossary",
    "Vocabulary",
    "load_abbreviations",
    "load_user_glossary",
    "split_name",
    "value_text",
    "values_text",
]

SOURCES = ("name", "88-level", "comment", "user")
FIGURATIVES = {
    "ZERO": "zero", "ZEROS": "zero", "ZEROES": "zero", "SPACE": "spaces", "SPACES": "spaces",
    "HIGH-VALUE": "high-values", "HIGH-VALUES": "high-values", "LOW-VALUE": "low-values",
    "LOW-VALUES": "low-values", "QUOTE": "quotes", "QUOTES": "quotes", "NULL": "nulls",
    "NULLS": "nulls",
}
_PART = re.compile(r"[-_]+")
_RUNS = re.compile(r"[A-Za-z]+|\d+")
# header lines of program and copybook banners ("AUTHOR : ..."): a block holding one is no
# field description
_HEADER_KEY = re.compile(
    r"^(PROGRAM|COPYBOOK|MEMBER|PURPOSE|AUTHOR|DATE|DATE-WRITTEN|CHANGES|INPUT|OUTPUT|I-O|"
    r"CALLS|PARMS|RC|REMARKS|SYSTEM|DESCRIPTION|FUNCTION)\s*:", re.I)
_DECORATION = re.compile(r"^[\s*=\-_+#/.]+|[\s*=\-_+#/.]+$")
_MAX_COMMENT_LINES = 4


# --------------------------------------------------------------------------- tables


def _read_table(text: str, origin: str) -> Iterator[tuple[str, str, int]]:
    """Rows ``(TERM, meaning, line)`` of a ``term,meaning`` CSV; ``#`` lines are comments and
    a first row ``term,meaning`` is a header."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in numbered)))
    for (n, _), row in zip(numbered, reader, strict=True):
        cells = [c.strip() for c in row]
        if [c.lower() for c in cells] == ["term", "meaning"]:
            continue
        if len(cells) == 1:
            cells.append("")
        if len(cells) != 2 or not cells[0]:
            raise ConfigError(f"{origin}:{n}: expected 'term,meaning', got {','.join(row)!r}")
        yield cells[0].upper(), " ".join(cells[1].split()), n


def _read_text(path: Path | str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text: {exc}") from exc


def load_abbreviations(path: Path | str) -> dict[str, str]:
    """An abbreviation table (CSV ``term,meaning``; an empty meaning marks a scope prefix).

    Raises :class:`~cobolspec.errors.ConfigError` for a file that cannot be read or a bad row.
    """
    return {term: meaning for term, meaning, _ in _read_table(_read_text(path), str(path))}


def _default_abbreviations() -> dict[str, str]:
    text = resources.files("cobolspec.rules").joinpath("abbreviations.csv").read_text("utf-8")
    return {term: meaning for term, meaning, _ in _read_table(text, "abbreviations.csv")}


#: The shipped abbreviation table (read-only): ``ABBREVIATIONS["ACCT"] == "account"``.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType(_default_abbreviations())
#: Words that only say where an item lives (``WS-``, ``LS-``...): dropped when they begin a name.
SCOPE_MARKERS = frozenset(term for term, meaning in ABBREVIATIONS.items() if not meaning)


@dataclass(slots=True, frozen=True)
class Entry:
    """One glossary row: a term, what it means, which source said so and where."""

    term: str
    meaning: str
    source: str  # name | 88-level | comment | user
    file: str | None = None
    line: int | None = None


def load_user_glossary(path: Path | str) -> list[Entry]:
    """A user glossary (CSV ``term,meaning``): whole data names (``ACCT-BAL,ledger balance``)
    or words (``LGR,ledger``). Its entries override every other source."""
    text = _read_text(path)
    entries = []
    for term, meaning, line in _read_table(text, str(path)):
        if not meaning:
            raise ConfigError(f"{path}:{line}: {term} has no meaning")
        entries.append(Entry(term, meaning, "user", str(path), line))
    return entries


def split_name(name: str) -> list[str]:
    """The words of a COBOL name: split at hyphens and underscores, and where letters meet
    digits.

    >>> split_name("WS-ADDR1-LINE"), split_name("0000-MAIN")
    (['WS', 'ADDR', '1', 'LINE'], ['0000', 'MAIN'])
    """
    return [run for part in _PART.split(name.upper()) for run in _RUNS.findall(part)]


def value_text(value: str) -> str:
    """A VALUE as it reads in a sentence: literals as written, figurative constants in words.

    >>> value_text("'C'"), value_text("ZEROS"), value_text("10")
    ("'C'", 'zero', '10')
    """
    return FIGURATIVES.get(value.upper(), value)


def values_text(values: Sequence[tuple[str, str | None]], joiner: str = "or") -> str:
    """The values of an 88-level in words: ``'A', 'F' or 'C'``, ``10 through 19``.

    >>> values_text([("'A'", None), ("'F'", None), ("'C'", None)])
    "'A', 'F' or 'C'"
    >>> values_text([("10", "19")])
    '10 through 19'
    """
    parts = [value_text(v) if t is None else f"{value_text(v)} through {value_text(t)}"
             for v, t in values]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {joiner} {parts[-1]}"


@dataclass(slots=True, frozen=True)
class Condition88Info:
    """A condition-name, the item it tests and its values (as written)."""

    name: str
    item: str | None  # None for an 88 on a FILLER
    values: tuple[tuple[str, str | None], ...]


# --------------------------------------------------------------------------- vocabulary


@dataclass(slots=True)
class Vocabulary:
    """Everything a program lets a description mention: names, paragraphs, literals, numbers.

    Used by the grounding gate: a name, literal or number in a description must be here (or in
    the rule unit described).
    """

    names: set[str] = field(default_factory=set)
    paragraphs: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)  # inner text, quotes removed
    numbers: set[Decimal] = field(default_factory=set)
    files: set[str] = field(default_factory=set)  # physical file names (base names)

    def add_literal(self, text: str) -> None:
        inner = literal_inner(text)
        if inner is not None:
            self.literals.add(inner)
        else:
            self.add_number(text)

    def add_number(self, text: str) -> None:
        number = as_number(text)
        if number is not None:
            self.numbers.add(number)

    def add_name(self, name: str | None) -> None:
        """A name, and the numbers written inside it (``ADDR1`` makes 1 a known number)."""
        if not name:
            return
        up = name.upper()
        if up in self.names:
            return
        self.names.add(up)
        for run in _DIGITS.findall(up):
            self.numbers.add(Decimal(run))

    @classmethod
    def of_program(cls, program: A.Program) -> Vocabulary:
        """Names, paragraphs, literals and numbers of a program and its nested programs."""
        voc = cls()
        for prog in _programs(program):
            voc._add_program(prog)
        return voc

    def _add_program(self, program: A.Program) -> None:
        self.add_name(program.name)
        if program.span is not None:
            self.files.add(_base(program.span.file))
        for fc in program.files:
            self.add_name(fc.name)
            for name in (fc.record_key, fc.relative_key, fc.file_status, *fc.alternate_keys):
                self.add_name(name)
        for fd in program.file_descriptions:
            self.add_name(fd.name)
        for item in program.all_items():
            self._add_item(item)
        if program.procedure is not None:
            for section in program.procedure.sections:
                if section.name:
                    self.paragraphs.add(section.name.upper())
                for para in section.paragraphs:
                    if para.name:
                        self.paragraphs.add(para.name.upper())
            self._add_nodes(program.procedure.walk())
        for block in program.exec_blocks:
            self._add_exec(block)

    def _add_item(self, item: A.DataItem) -> None:
        if item.span is not None:
            self.files.add(_base(item.span.file))
        self.add_name(item.name)
        for value in item.value:
            self.add_literal(value)
        if item.occurs is not None:
            self.numbers.add(Decimal(item.occurs.max))
            if item.occurs.min is not None:
                self.numbers.add(Decimal(item.occurs.min))
            self.add_name(item.occurs.depending_on)
            for name in item.occurs.indexed_by:
                self.add_name(name)
        self.add_name(item.redefines)
        for cond in item.conditions:
            self.add_name(cond.name)
            for value, thru in cond.values:
                self.add_literal(value)
                if thru is not None:
                    self.add_literal(thru)

    def _add_nodes(self, nodes: Iterable[A.Node]) -> None:
        for node in nodes:
            if node.span is not None:
                self.files.add(_base(node.span.file))
            if isinstance(node, A.Ident):
                self.add_name(node.name)
                for q in node.qualifiers:
                    self.add_name(q)
            elif isinstance(node, A.Literal):
                self.add_literal(node.text)
                inner = literal_inner(node.text)
                if inner is not None and _PROGRAM_NAME.fullmatch(inner):
                    self.names.add(inner.upper())  # CALL 'ACCTVAL' may be written ACCTVAL
            elif isinstance(node, A.PerformStmt):
                for name in (node.target, node.thru, node.target_qualifier):
                    if name:
                        self.paragraphs.add(name.upper())
            elif isinstance(node, A.GoToStmt):
                self.paragraphs.update(t.upper() for t in node.targets)
            elif isinstance(node, A.ExecStmt) and node.block is not None:
                self._add_exec(node.block)

    def _add_exec(self, block: Any) -> None:
        sql = getattr(block, "sql", None)
        if sql is not None:
            for name in (*sql.tables, sql.cursor, sql.statement_name, sql.include_member):
                self.add_name(name)
            for col in sql.columns:
                self.add_name(col.name)
                self.add_name(col.table)
            for hv in sql.host_variables:
                self.add_name(hv.name)
                self.add_name(hv.indicator)
        cics = getattr(block, "cics", None)
        if cics is not None:
            for name in (cics.program, cics.transid, cics.map, cics.mapset, cics.file,
                         cics.queue, *cics.reads, *cics.writes):
                self.add_name(name)
            for option in cics.options:
                if option.arg:
                    self.add_literal(option.arg)
        text = getattr(block, "text", "")
        for token in _WORD.findall(text):
            if _PROGRAM_NAME.fullmatch(token):
                self.add_name(token)


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_DIGITS = re.compile(r"\d+")
_PROGRAM_NAME = re.compile(r"[A-Z@#$][A-Z0-9@#$-]{0,29}")


def _programs(program: A.Program) -> Iterator[A.Program]:
    yield program
    for nested in program.nested:
        yield from _programs(nested)


def _base(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def literal_inner(text: str) -> str | None:
    """The content of a quoted literal (``'IT''S'`` → ``IT'S``), None for anything else.
    Hex, national and other prefixed literals keep their prefix off: ``X'00'`` → ``00``."""
    m = re.fullmatch(r"[A-Za-z]{0,2}(['\"])(.*)\1", text, re.S)
    if m is None:
        return None
    quote = m.group(1)
    return m.group(2).replace(quote * 2, quote)


def as_number(text: str) -> Decimal | None:
    """A numeric literal's value (``+960`` → 960, ``1.10`` → 1.1), None otherwise."""
    t = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", t.strip()):
        return None
    try:
        return abs(Decimal(t.strip())).normalize()
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------- physical lines

LineGetter = Callable[[str, int], "str | None"]


def _line_getter(source: object, root: Path | None) -> LineGetter:
    """``(file, line) -> text`` over a SourceMap, an ExpandedSource (its map), a mapping of file
    → lines, or the files on disk (relative to ``root``, decoded like the source stage does)."""
    smap = getattr(source, "map", source)
    if hasattr(smap, "source_line"):
        return lambda file, line: smap.source_line(Location(file, line, 1))
    if isinstance(source, Mapping):
        texts: Mapping[str, Sequence[str]] = source

        def from_mapping(file: str, line: int) -> str | None:
            lines = texts.get(file)
            return lines[line - 1] if lines is not None and 1 <= line <= len(lines) else None
        return from_mapping
    cache: dict[str, list[str] | None] = {}
    base = root
    if base is None and isinstance(source, str | Path):
        base = Path(source)

    def from_disk(file: str, line: int) -> str | None:
        if file not in cache:
            cache[file] = _read_physical(base / file if base is not None else Path(file))
        lines = cache[file]
        return lines[line - 1] if lines is not None and 1 <= line <= len(lines) else None
    return from_disk


def _read_physical(path: Path) -> list[str] | None:
    from cobolspec.source.encoding import NotText, decode, split_lines

    try:
        return split_lines(decode(path.read_bytes()).text)
    except (OSError, NotText):
        return None


def _comment_text(line: str) -> str | None:
    """The text of a comment line (fixed ``*`` or ``/`` in column 7, or ``*>``), else None."""
    if len(line) > 6 and line[6] in "*/":
        return line[7:72]
    stripped = line.lstrip()
    if stripped.startswith("*>"):
        return stripped[2:]
    return None


def _floating_comment(line: str) -> str | None:
    """The text after ``*>`` outside literals on a code line (up to column 72 on a line in
    fixed format: one with a sequence area)."""
    if len(line) > 72 and re.fullmatch(r"[0-9 ]{6}", line[:6]):
        line = line[:72]
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif line.startswith("*>", i):
            return line[i + 2:]
    return None


def _clean(lines: list[str]) -> str | None:
    content = [c for c in (_DECORATION.sub("", x) for x in lines) if c]
    if not content or len(content) > _MAX_COMMENT_LINES:
        return None
    if any(_HEADER_KEY.match(c) for c in content):
        return None
    return " ".join(" ".join(content).split())


def _comment_for(span: Span | None, get: LineGetter) -> tuple[str, int] | None:
    """The comment describing a definition at ``span``: the block of comment lines directly
    above it, else a ``*>`` comment beside it. Returns (text, first line of the comment)."""
    if span is None:
        return None
    file, first = span.file, span.line
    block: list[str] = []
    n = first - 1
    while n >= 1:
        line = get(file, n)
        text = _comment_text(line) if line is not None else None
        if text is None:
            break
        block.insert(0, text)
        n -= 1
    if block:
        cleaned = _clean(block)
        if cleaned:
            return cleaned, n + 1
    for n in range(first, span.end_line + 1):
        line = get(file, n)
        if line is None:
            break
        text = _floating_comment(line)
        if text is not None:
            cleaned = _clean([text])
            if cleaned:
                return cleaned, n
    return None


# --------------------------------------------------------------------------- the glossary


class Glossary:
    """What the names of one program mean. Build it with :meth:`from_program`; an empty
    glossary still explains any name from the abbreviation table."""

    def __init__(
        self,
        program: str | None = None,
        *,
        abbreviations: Mapping[str, str] | None = None,
        user: Iterable[Entry] = (),
    ) -> None:
        self.program = program
        self.abbreviations: Mapping[str, str] = (
            ABBREVIATIONS if abbreviations is None else abbreviations)
        self._user: dict[str, Entry] = {e.term.upper(): e for e in user}
        self._entries: list[Entry] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._conditions: dict[str, Condition88Info] = {}
        self._comments: dict[str, str] = {}
        self._items: dict[str, A.DataItem] = {}
        self.vocabulary = Vocabulary()

    # ------------------------------------------------------------ building

    @classmethod
    def from_program(
        cls,
        program: A.Program,
        source: object = None,
        *,
        root: Path | str | None = None,
        abbreviations: Iterable[Path | str | Mapping[str, str]] = (),
        user: Path | str | Iterable[Entry] | None = None,
    ) -> Glossary:
        """Mine a program (and its nested programs).

        ``source`` gives the physical lines comments are read from: the ``ExpandedSource`` (or
        its ``SourceMap``) the program was parsed from, a mapping file → lines, or None to read
        the span files from disk, relative to ``root`` (default: the working directory).
        ``abbreviations`` extend the shipped table (files or mappings, later ones win);
        ``user`` is a user glossary (a CSV path or entries) overriding every other source.
        """
        table = dict(ABBREVIATIONS)
        for extra in abbreviations:
            table.update(extra if isinstance(extra, Mapping) else load_abbreviations(extra))
        if isinstance(user, str | Path):
            user_entries: Iterable[Entry] = load_user_glossary(user)
        else:
            user_entries = user or ()
        glossary = cls(program.name, abbreviations=table, user=user_entries)
        get = _line_getter(source, Path(root) if root is not None else None)
        for prog in _programs(program):
            glossary._mine(prog, get)
        glossary.vocabulary = Vocabulary.of_program(program)
        glossary._add_user_rows()
        return glossary

    def _add(self, entry: Entry) -> None:
        key = (entry.term, entry.source, entry.meaning)
        if key not in self._seen:
            self._seen.add(key)
            self._entries.append(entry)

    def _mine(self, program: A.Program, get: LineGetter) -> None:
        for fc in program.files:
            self._add(_entry(fc.name, self.name_meaning(fc.name), "name", fc.span))
        for item in program.all_items():
            if not item.name or item.name.upper() == "FILLER":
                parent_name = None
            else:
                parent_name = item.name.upper()
                self._items.setdefault(parent_name, item)
                self._add(_entry(item.name, self.name_meaning(item.name), "name", item.span))
                self._add_comment(item.name, item.span, get)
            for cond in item.conditions:
                info = Condition88Info(cond.name.upper(), parent_name, tuple(cond.values))
                self._conditions.setdefault(info.name, info)
                self._add(_entry(cond.name, self._condition_meaning(info), "88-level", cond.span))
                self._add_comment(cond.name, cond.span, get)

    def _add_comment(self, name: str, span: Span | None, get: LineGetter) -> None:
        found = _comment_for(span, get)
        if found is None or span is None:
            return
        text, line = found
        self._comments.setdefault(name.upper(), text)
        self._add(Entry(name.upper(), text, "comment", span.file, line))

    def _add_user_rows(self) -> None:
        used: set[str] = set()
        for e in self._entries:
            used.add(e.term)
            used.update(split_name(e.term))
        for term, entry in self._user.items():
            if term in used:
                self._add(entry)

    # ------------------------------------------------------------ meanings

    def _word(self, word: str) -> str | None:
        user = self._user.get(word)
        if user is not None:
            return user.meaning
        meaning = self.abbreviations.get(word)
        return meaning or None

    def _expand(self, part: str) -> list[str]:
        meaning = self._word(part)
        if meaning is not None:
            return [meaning]
        runs = _RUNS.findall(part)
        if len(runs) > 1 and any(self._word(run) for run in runs):
            return [w for run in runs for w in self._expand(run)]
        # a run-together pair of abbreviations (ACCTMAST); parts of four letters or more, so
        # that English words are not cut up (RECORD is not REC + ORD)
        if part.isalpha() and len(part) >= 8:
            for cut in range(len(part) - 4, 3, -1):
                head, tail = self._word(part[:cut]), self._word(part[cut:])
                if head and tail:
                    return [head, tail]
        return [part.lower()]

    def name_meaning(self, name: str) -> str:
        """A name read word by word: scope prefixes dropped, a leading paragraph number dropped,
        abbreviations expanded, other words in lower case.

        >>> Glossary().name_meaning("2000-PROCESS-TRAN")
        'process transaction'
        """
        parts = [p for p in _PART.split(name.upper()) if p]
        if len(parts) > 1 and (parts[0].isdigit() or self._is_scope(parts[0])):
            parts = parts[1:]
        return " ".join(w for p in parts for w in self._expand(p))

    def _is_scope(self, word: str) -> bool:
        if word in self._user:
            return False
        return word in self.abbreviations and not self.abbreviations[word]

    def _condition_meaning(self, info: Condition88Info) -> str:
        subject = self.explain(info.item) if info.item else "filler"
        return f"{subject} is {values_text(info.values)}"

    def explain(self, name: str) -> str:
        """What a name means: the user glossary's meaning, else an 88-level's item and values,
        else the name read word by word.

        >>> Glossary().explain("ACCT-BAL")
        'account balance'
        """
        up = name.upper()
        user = self._user.get(up)
        if user is not None:
            return user.meaning
        info = self._conditions.get(up)
        if info is not None:
            return self._condition_meaning(info)
        return self.name_meaning(up)

    def condition(self, name: str) -> Condition88Info | None:
        """The 88-level called ``name`` (its item and values), if the program defines one."""
        return self._conditions.get(name.upper())

    def comment(self, name: str) -> str | None:
        """The comment written above or beside the definition of ``name``, if any."""
        return self._comments.get(name.upper())

    def item(self, name: str) -> A.DataItem | None:
        """The (first) data item called ``name``."""
        return self._items.get(name.upper())

    def entries(self, term: str | None = None) -> list[Entry]:
        """Glossary entries, in the order found (all, or those for one term)."""
        if term is None:
            return list(self._entries)
        up = term.upper()
        return [e for e in self._entries if e.term == up]

    def store_rows(self) -> dict[str, list[dict[str, object]]]:
        """Rows for the ``glossary`` table: program, term, meaning, source, file, line."""
        return {"glossary": [
            {"program": self.program, "term": e.term, "meaning": e.meaning,
             "source": e.source, "file": e.file, "line": e.line}
            for e in self._entries
        ]}


def _entry(name: str, meaning: str, source: str, span: Span | None) -> Entry:
    return Entry(name.upper(), meaning, source, span.file if span else None,
                 span.line if span else None)
