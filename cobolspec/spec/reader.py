"""Reading the store for the specs: rows streamed in key order, one group at a time.

Assembling every program's spec must not scan each table once per program (that would grow with
programs × rows). Instead each table is read once, sorted on ``(member, program)``, and the
program specs are built in that same order, taking from each stream the rows of the program at
hand (:class:`GroupedRows`). Memory holds one program's rows per table.

Every statement is a constant with bound parameters; the only parameter is the member to limit a
read to (None: every member).

>>> from cobolspec.store import Store
>>> with Store.open() as store:
...     store.insert("glossary", [{"program": p, "term": t, "meaning": "m", "source": "name"}
...                               for p, t in [("A", "X"), ("B", "Y"), ("B", "Z")]],
...                  defaults={"run_id": 1, "member": "M"})
...     rows = GroupedRows(store, GLOSSARY, None, width=2)
...     [r["term"] for r in rows.take(("M", "B"))], rows.take(("M", "C"))
3
(['Y', 'Z'], [])
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cobolspec.store import Store

__all__ = ["GroupedRows", "text_list"]

Row = dict[str, Any]

# Streams keyed by (member, program): the first two columns are the key.
PARAGRAPHS = """
SELECT member AS _k1, program AS _k2, * FROM paragraphs WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, rowid"""

DATA_ITEMS = """
SELECT member AS _k1, program AS _k2, * FROM data_items WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, seq"""

CONDITIONS = """
SELECT member AS _k1, program AS _k2, *
FROM conditions_88 WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, rowid"""

CFG_EDGES = """
SELECT member AS _k1, program AS _k2, src, dst, kind
FROM cfg_edges WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, src, dst, kind"""

STATEMENT_COUNTS = """
SELECT member AS _k1, program AS _k2, paragraph, verb, count(*) AS n,
       count(*) FILTER (WHERE NOT parsed) AS unparsed
FROM statements WHERE ($1::VARCHAR IS NULL OR member = $1)
GROUP BY member, program, paragraph, verb
ORDER BY member, program, paragraph NULLS FIRST, verb"""

# Which verbs touch which items: enough to tell how a program uses its files.
IO_ACCESSES = """
SELECT d.member AS _k1, d.program AS _k2, d.item, s.verb
FROM dataflow d
JOIN statements s ON s.member = d.member AND s.program = d.program AND s.id = d.statement
WHERE ($1::VARCHAR IS NULL OR d.member = $1)
  AND s.verb IN ('OPEN', 'CLOSE', 'READ', 'WRITE', 'REWRITE', 'DELETE', 'START', 'RETURN',
                 'RELEASE', 'SORT', 'MERGE')
GROUP BY d.member, d.program, d.item, s.verb
ORDER BY d.member, d.program, d.item, s.verb"""

SQL_ACCESSES = """
SELECT member AS _k1, program AS _k2, * FROM sql_accesses WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, "table", operation, file, line"""

CICS_COMMANDS = """
SELECT member AS _k1, program AS _k2, *
FROM cics_commands WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, file, line, command, target"""

PROGRAM_FILES = """
SELECT member AS _k1, program AS _k2, *
FROM program_files WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, rowid"""

RULES = """
SELECT member AS _k1, program AS _k2, * FROM rules WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, program, rowid"""

RULE_INPUTS = """
SELECT r.member AS _k1, r.program AS _k2, i.rule, i.item
FROM rule_inputs i JOIN rules r ON r.id = i.rule AND r.member = i.member
WHERE ($1::VARCHAR IS NULL OR r.member = $1)
ORDER BY r.member, r.program, i.rule, i.rowid"""

RULE_OUTPUTS = """
SELECT r.member AS _k1, r.program AS _k2, o.rule, o.item
FROM rule_outputs o JOIN rules r ON r.id = o.rule AND r.member = o.member
WHERE ($1::VARCHAR IS NULL OR r.member = $1)
ORDER BY r.member, r.program, o.rule, o.rowid"""

# Grounded descriptions only: an LLM's first, then the offline describer's.
RULE_DESCRIPTIONS = """
SELECT r.member AS _k1, r.program AS _k2, d.rule, d.backend, d.model, d.text
FROM descriptions d JOIN rules r ON r.id = d.rule AND r.member = d.member
WHERE ($1::VARCHAR IS NULL OR r.member = $1) AND d.grounded
ORDER BY r.member, r.program, d.rule,
         backend = 'offline', backend, model NULLS FIRST, cache_key, text"""

# A program's own summary: a description whose ``rule`` is the PROGRAM-ID.
PROGRAM_DESCRIPTIONS = """
SELECT member AS _k1, rule AS _k2, backend, model, text FROM descriptions
WHERE ($1::VARCHAR IS NULL OR member = $1) AND grounded
ORDER BY member, rule, backend = 'offline', backend, model NULLS FIRST, cache_key, text"""

CALLS_OUT = """
SELECT member AS _k1, caller AS _k2, * FROM calls WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, caller, file, line, kind, callee NULLS FIRST"""

CALLS_IN = """
SELECT p.member AS _k1, p.program AS _k2, c.*
FROM calls c JOIN programs p ON p.program = c.callee
WHERE ($1::VARCHAR IS NULL OR p.member = $1)
ORDER BY p.member, p.program, c.caller, c.file, c.line, c.kind"""

TRANSACTIONS = """
SELECT p.member AS _k1, p.program AS _k2, t.*
FROM transactions t JOIN programs p ON p.program = t.program
WHERE ($1::VARCHAR IS NULL OR p.member = $1)
ORDER BY p.member, p.program, t.transid, t.file, t.line"""

GLOSSARY = """
SELECT member AS _k1, program AS _k2, * FROM glossary
WHERE ($1::VARCHAR IS NULL OR member = $1) AND program IS NOT NULL
ORDER BY member, program, term, source, meaning"""

# Streams keyed by member alone.
COPYBOOK_USES = """
SELECT member AS _k1, * FROM copybook_uses WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, file, line, "column", depth, name"""

DIAGNOSTICS = """
SELECT member AS _k1, * FROM diagnostics WHERE ($1::VARCHAR IS NULL OR member = $1)
ORDER BY member, file NULLS FIRST, line NULLS FIRST, "column" NULLS FIRST,
         CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'info' THEN 2 ELSE 3 END,
         code, message, stage"""


class GroupedRows:
    """The rows of one ordered query, handed out group by group in key order.

    The query's first ``width`` columns are the key (named ``_k1``, ``_k2``...). :meth:`take`
    must be called with non-decreasing keys; asking for the same key twice returns the same
    group again (several programs of one member share its member-keyed rows).
    """

    __slots__ = ("_batch", "_columns", "_cursor", "_group", "_group_key", "_pos", "_width")

    def __init__(self, store: Store, sql: str, member: str | None, *, width: int) -> None:
        self._cursor = store.con.cursor()
        self._cursor.execute(sql, [member])
        self._columns = [d[0] for d in self._cursor.description or []]
        self._width = width
        self._batch: list[tuple[Any, ...]] = []
        self._pos = 0
        self._group_key: tuple[Any, ...] | None = None
        self._group: list[Row] = []

    def _peek(self) -> tuple[Any, ...] | None:
        if self._pos >= len(self._batch):
            self._batch = self._cursor.fetchmany(2048)
            self._pos = 0
            if not self._batch:
                return None
        return self._batch[self._pos]

    def take(self, key: tuple[Any, ...]) -> list[Row]:
        """The rows whose key is ``key`` (an empty list when there are none)."""
        if key == self._group_key:
            return self._group
        group: list[Row] = []
        while (row := self._peek()) is not None:
            row_key = row[: self._width]
            if row_key > key:
                break
            if row_key == key:
                group.append(dict(zip(self._columns[self._width :], row[self._width :],
                                      strict=True)))
            self._pos += 1
        self._group_key, self._group = key, group
        return group

    def close(self) -> None:
        self._cursor.close()


def action_list(value: object) -> list[str]:
    """The ``rules.actions`` column: actions joined with ``"; "`` (never split inside a
    literal).

    >>> action_list("MOVE 'A; B' TO X; PERFORM P"), action_list(None)
    (["MOVE 'A; B' TO X", 'PERFORM P'], [])
    """
    if value is None:
        return []
    text = str(value)
    if text.startswith("["):  # a JSON array, as other writers of the store may leave
        return text_list(text)
    out: list[str] = []
    start = 0
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif text.startswith("; ", i):
            out.append(text[start:i])
            start = i + 2
            i += 1
        i += 1
    out.append(text[start:])
    return [a.strip() for a in out if a.strip()]


def text_list(value: object) -> list[str]:
    """A list kept in a VARCHAR column: a JSON array of strings, or one item per line.

    >>> text_list('["A", "B"]'), text_list("A\\n\\nB "), text_list(None)
    (['A', 'B'], ['A', 'B'], [])
    """
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, list):
            return [str(v) for v in data]
    return [line.strip() for line in text.splitlines() if line.strip()]


def iter_rows(store: Store, sql: str, params: list[object] | None = None) -> Iterator[Row]:
    """Every row of a query as a dict, in the query's order."""
    cursor = store.con.cursor()
    try:
        cursor.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        while batch := cursor.fetchmany(2048):
            for row in batch:
                yield dict(zip(columns, row, strict=True))
    finally:
        cursor.close()
