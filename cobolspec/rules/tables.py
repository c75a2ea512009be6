"""Decision tables for IF/EVALUATE nests, SEARCH, GO TO DEPENDING and conditional phrases.

A table has one row per path through the nest and one column per thing decided:

* an EVALUATE contributes one column per subject; each WHEN line is a row (stacked WHENs
  sharing statements give one row each), ``OTHER`` a row with ``OTHER`` in every subject;
* an IF contributes a column headed by its condition, with ``Y``/``N`` cells;
* a conditional phrase (``AT END``, ``INVALID KEY``, ``ON SIZE ERROR``...) a ``Y``/``N`` column
  headed ``AT END (READ RATE-FILE)``; a SEARCH one column per WHEN and one for AT END;
  GO TO ... DEPENDING ON a column for its subject with the values 1, 2, ... and ``OTHER``;
* ``-`` where the path does not evaluate that column.

Two IFs with the same condition share a column unless one path evaluates both (the data may
have changed in between); headers still alike then name their line (the subjects of one
EVALUATE, ``TRUE ALSO TRUE``, stay as written). A row's actions are the
normalised statements on its path, in order; a nested decision that was made a rule of its own
shows as one action followed by ``(separate rule)``.

>>> from cobolspec.model import ast as A
>>> from cobolspec.rules.conditions import Printer
>>> c = A.Relation(left=A.Ident(name="X"), op=">", right=A.Literal(text="0", kind="numeric"))
>>> move = A.Statement(verb="MOVE", reads=[A.Literal(text="'P'", kind="string")],
...                    writes=[A.Ident(name="S")])
>>> table = TableBuilder(Printer()).build([A.IfStmt(verb="IF", condition=c, then=[move])])
>>> table.condition_columns, [(r.conditions, r.actions) for r in table.rows]
(['X > 0'], [(['Y'], ["MOVE 'P' TO S"]), (['N'], [])])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cobolspec.model import ast as A
from cobolspec.rules.conditions import PHRASE_PAIRS, Printer

Key = tuple[object, ...]


@dataclass(slots=True)
class DecisionRow:
    """One row of a decision table."""

    conditions: list[str]  # one cell per condition column ("Y"/"N"/"-", a value, "OTHER")
    actions: list[str]  # normalised actions taken on that row


@dataclass(slots=True)
class DecisionTable:
    condition_columns: list[str]  # normalised conditions / EVALUATE subjects
    rows: list[DecisionRow]


class TooManyRows(Exception):
    """More paths than the limit: the caller splits the nest."""


@dataclass(slots=True)
class _Path:
    cells: dict[Key, str] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    statements: list[tuple[A.Statement, bool]] = field(default_factory=list)

    def extend(self, cells: dict[Key, str] | None = None, actions: list[str] | None = None,
               statements: list[tuple[A.Statement, bool]] | None = None) -> _Path:
        return _Path({**self.cells, **(cells or {})}, self.actions + (actions or []),
                     self.statements + (statements or []))


def _positive(kind: str) -> str:
    return PHRASE_PAIRS.get(kind, kind)


class TableBuilder:
    """Builds the table of a list of statements; ``split`` holds the ids of nested decisions
    that are rules of their own; more than ``limit`` rows raises :class:`TooManyRows`."""

    def __init__(self, printer: Printer, split: set[int] | None = None, limit: int = 10_000
                 ) -> None:
        self.printer = printer
        self.split = split or set()
        self.limit = limit
        self._columns: dict[Key, tuple[str, int]] = {}  # key → (header, line)
        self._size_error = 0  # inside an ON SIZE ERROR phrase

    # ------------------------------------------------------------------ columns

    def _column(self, key: Key, header: str, node: A.Node) -> None:
        if key not in self._columns:
            self._columns[key] = (header, node.span.line if node.span else 0)

    def _register(self, stmts: list[A.Statement]) -> None:
        """Columns in the order the source shows them (a pre-order walk)."""
        p = self.printer
        for st in stmts:
            if id(st) in self.split:
                continue
            if isinstance(st, A.IfStmt):
                self._column(("if", id(st)), p.cond(st.condition), st)
                self._register(st.then)
                self._register(st.else_ or [])
            elif isinstance(st, A.EvaluateStmt):
                for i, subject in enumerate(st.subjects):
                    self._column(("ev", id(st), i), p.subject(subject), st)
                for when in st.whens:
                    self._register(when.statements)
            elif isinstance(st, A.SearchStmt):
                for when in st.whens:
                    self._column(("sw", id(when)), self._search_cond(when), when)
                    self._register(when.statements)
            elif isinstance(st, A.GoToStmt) and st.depending_on is not None:
                self._column(("gd", id(st)), p.expr(st.depending_on), st)
            elif isinstance(st, A.PerformStmt) and st.body is not None:
                self._register(st.body)
            for phrase in st.phrases:
                kind = _positive(phrase.kind)
                self._column(("ph", id(st), kind), p.phrase_condition(st, kind), phrase)
                self._register(phrase.statements)

    def _search_cond(self, when: A.WhenClause) -> str:
        cond = when.objects[0][0] if when.objects and when.objects[0] else None
        return self.printer.cond(cond)

    # ------------------------------------------------------------------ paths

    def _paths(self, stmts: list[A.Statement], paths: list[_Path]) -> list[_Path]:
        for st in stmts:
            paths = self._step(st, paths)
            if len(paths) > self.limit:
                raise TooManyRows
        return paths

    def _step(self, st: A.Statement, paths: list[_Path]) -> list[_Path]:
        p = self.printer
        here = [(st, self._size_error > 0)]
        if id(st) in self.split:
            return [q.extend(actions=[p.action(st) + " (separate rule)"], statements=here)
                    for q in paths]
        if isinstance(st, A.IfStmt):
            key_if: Key = ("if", id(st))
            then = [q.extend({key_if: "Y"}) for q in paths]
            then = ([q.extend(actions=["NEXT SENTENCE"]) for q in then]
                    if st.then_next_sentence else self._paths(st.then, then))
            other = [q.extend({key_if: "N"}) for q in paths]
            other = ([q.extend(actions=["NEXT SENTENCE"]) for q in other]
                     if st.else_next_sentence else self._paths(st.else_ or [], other))
            return then + other
        if isinstance(st, A.EvaluateStmt):
            out: list[_Path] = []
            n = len(st.subjects)
            for when in st.whens:
                cells: dict[Key, str]
                if when.other:
                    cells = {("ev", id(st), i): "OTHER" for i in range(n)}
                    out += self._paths(when.statements, [q.extend(cells) for q in paths])
                    continue
                for objects in when.objects:
                    cells = {("ev", id(st), i): p.when_object(o) for i, o in enumerate(objects)}
                    out += self._paths(when.statements, [q.extend(cells) for q in paths])
            return out
        if isinstance(st, A.SearchStmt):
            out = []
            keys: list[Key] = [("sw", id(w)) for w in st.whens]
            for k, when in enumerate(st.whens):
                cells = {keys[j]: "N" for j in range(k)} | {keys[k]: "Y"}
                out += self._paths(when.statements, [q.extend(cells) for q in paths])
            at_end = st.phrase("AT END")
            end_cells: dict[Key, str] = {key: "N" for key in keys}
            if at_end is not None:
                end_cells[("ph", id(st), "AT END")] = "Y"
            out += self._paths(at_end.statements if at_end else [],
                               [q.extend(end_cells) for q in paths])
            return out
        if isinstance(st, A.GoToStmt) and st.depending_on is not None:
            key: Key = ("gd", id(st))
            out = [q.extend({key: str(n)}, [f"GO TO {t}"], here)
                   for n, t in enumerate(st.targets, start=1) for q in paths]
            return out + [q.extend({key: "OTHER"}) for q in paths]
        paths = [q.extend(actions=[p.action(st)], statements=here) for q in paths]
        if isinstance(st, A.PerformStmt) and st.body is not None:
            paths = self._paths(st.body, paths)
        for kind in dict.fromkeys(_positive(ph.kind) for ph in st.phrases):
            key_ph: Key = ("ph", id(st), kind)
            yes = next((ph for ph in st.phrases if ph.kind == kind), None)
            no = next((ph for ph in st.phrases if ph.kind != kind
                       and _positive(ph.kind) == kind), None)
            size_error = int(kind == "ON SIZE ERROR")
            self._size_error += size_error
            yes_paths = self._paths(yes.statements if yes else [],
                                    [q.extend({key_ph: "Y"}) for q in paths])
            self._size_error -= size_error
            paths = yes_paths + self._paths(no.statements if no else [],
                                            [q.extend({key_ph: "N"}) for q in paths])
        return paths

    # ------------------------------------------------------------------ the table

    def rows(self, stmts: list[A.Statement]) -> int:
        """How many rows the table of ``stmts`` has (raises TooManyRows past the limit)."""
        return len(self._paths(stmts, [_Path()]))

    def row_statements(self, stmts: list[A.Statement]) -> list[list[tuple[A.Statement, bool]]]:
        """The statements on each row's path, each with whether it lies inside an ON SIZE
        ERROR phrase; decisions themselves are not listed, separate rules are."""
        return [q.statements for q in self._paths(stmts, [_Path()])]

    def build(self, stmts: list[A.Statement]) -> DecisionTable | None:
        """The table, or None when nothing in ``stmts`` branches."""
        self._columns = {}
        self._register(stmts)
        if not self._columns:
            return None
        paths = self._paths(stmts, [_Path()])
        keys = list(self._columns)
        # share a column between same-text conditions no path evaluates twice
        groups: dict[Key, list[Key]] = {}
        merged: dict[Key, Key] = {}
        for key in keys:
            header = self._columns[key][0]
            target = next((k for k, members in groups.items() if self._columns[k][0] == header
                           and not any(key in q.cells and any(m in q.cells for m in members)
                                       for q in paths)), None)
            if target is None:
                groups[key] = [key]
                merged[key] = key
            else:
                groups[target].append(key)
                merged[key] = target
        kept = list(groups)
        texts = [self._columns[k][0] for k in kept]
        lines = {t: {self._columns[k][1] for k in kept if self._columns[k][0] == t}
                 for t in texts}
        headers = [f"{t} [line {self._columns[k][1]}]" if len(lines[t]) > 1 else t
                   for t, k in zip(texts, kept, strict=True)]
        rows = []
        for q in paths:
            cells = dict.fromkeys(kept, "-")
            for key, value in q.cells.items():
                cells[merged[key]] = value
            rows.append(DecisionRow([cells[k] for k in kept], q.actions))
        return DecisionTable(headers, rows)
