"""Reading each statement of a program for :mod:`cobolspec.analysis.dataflow`: its accesses
(with aliasing) and its flows, verb by verb. See that module for what they mean; this one is
its engine and has no public API of its own besides :func:`read_program`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cobolspec.analysis.dataflow import (
    ACCEPT,
    ALIAS,
    CALL,
    CICS,
    DEF,
    DISPLAY,
    DLI,
    DYNAMIC,
    FILE,
    FUNCTION,
    LITERAL,
    SQL,
    USE,
    Access,
    DataFlow,
    Endpoint,
    Flow,
    StatementFacts,
    item_name,
    unquote,
)
from cobolspec.analysis.symbols import Ref, SymbolTable
from cobolspec.model import ast as A
from cobolspec.parse.facts import statement_id

__all__ = ["read_program"]


def read_program(program: A.Program, outer: Sequence[A.Program]) -> DataFlow:
    """The accesses and flows of every statement of ``program`` (``outer``: the programs
    containing it, innermost first)."""
    return _Analyzer(program, outer).run()


_PARTIAL_TARGET_VERBS = frozenset({"STRING", "UNSTRING", "INSPECT"})
_FILE_OUT = frozenset({"WRITE", "REWRITE", "RELEASE"})
_SQL_NOT_EXECUTED = frozenset({"INCLUDE", "DECLARE CURSOR", "DECLARE TABLE", "WHENEVER"})
_CICS_OUTPUT_OPTIONS = frozenset({"FROM", "COMMAREA", "INPUTMSG", "CHANNEL", "TEXT"})


def _statements(program: A.Program) -> Iterator[A.Statement]:
    if program.procedure is None:
        return
    for paragraph in program.procedure.paragraphs:
        for st in paragraph.statements:
            for node in st.walk():
                if isinstance(node, A.Statement):
                    yield node


class _Analyzer:
    def __init__(self, program: A.Program, outer: Sequence[A.Program]) -> None:
        self.program = program
        self.table = SymbolTable(program, outer)
        self.items: dict[str, A.DataItem] = {}
        self.cursors: dict[str, Any] = {}  # cursor name -> the ExecBlock declaring it
        self.facts: StatementFacts | None = None

    def run(self) -> DataFlow:
        self._collect_cursors()
        out: list[StatementFacts] = []
        by_id: dict[str, StatementFacts] = {}
        used: dict[str, int] = {}
        for st in _statements(self.program):
            sid = statement_id(st)
            used[sid] = used.get(sid, 0) + 1
            if used[sid] > 1:  # the same text twice (a copybook copied again), as cfg.py says
                sid = f"{sid}#{used[sid]}"
            if st.span is None:
                continue
            facts = StatementFacts(sid, st)
            self.facts = facts
            self._statement(st)
            facts.accesses = _dedupe(facts.accesses)
            out.append(facts)
            by_id[facts.id] = facts
        for item in self.table.supplied_items():
            self.items.setdefault(item_name(item), item)
        return DataFlow(self.program, self.table, out, self.items, self.table.diagnostics, by_id)

    # ------------------------------------------------------------ accesses and operands

    def _add(self, ref: Ref, access: str, via: str, partial: bool = False) -> Endpoint:
        assert self.facts is not None
        item = ref.item
        name = item_name(item)
        self.items.setdefault(name, item)
        partial = partial or ref.partial
        sid = self.facts.id
        self.facts.accesses.append(Access(sid, name, access, via, partial))
        for other, covered in self.table.aliases(item):
            oname = item_name(other)
            self.items.setdefault(oname, other)
            self.facts.accesses.append(
                Access(sid, oname, access, ALIAS, partial or not covered, name)
            )
        return Endpoint("item", name)

    def use(self, node: A.Node | None, via: str) -> list[Endpoint]:
        """Record the uses in an operand or expression; return the endpoints its value comes
        from (items, literals, functions)."""
        out: list[Endpoint] = []
        if node is None:
            return out
        if isinstance(node, A.Literal):
            if node.kind not in ("missing", "boolean"):
                out.append(Endpoint(LITERAL, node.text))
            return out
        if isinstance(node, A.Ident):
            return self._use_ident(node, via)
        for child in node.child_nodes():
            out.extend(self.use(child, via))
        return out

    def _use_ident(self, ident: A.Ident, via: str) -> list[Endpoint]:
        if ident.wrapper == "FUNCTION":
            out: list[Endpoint] = []
            for arg in ident.args:
                out.extend(self.use(arg, via))
            self._subscripts(ident)
            return out or [Endpoint(FUNCTION, ident.name)]
        if ident.wrapper == "LENGTH OF":
            if ident.inner is not None:
                self._subscripts(ident.inner)
            return [Endpoint(LITERAL, str(ident))]
        if ident.wrapper == "ADDRESS OF":
            if ident.inner is not None:
                self._subscripts(ident.inner)
            return [Endpoint(LITERAL, str(ident))]
        if ident.name in ("DFHRESP", "DFHVALUE") and not ident.qualifiers:
            args = " ".join(str(s) for s in ident.subscripts)
            return [Endpoint(LITERAL, f"{ident.name}({args})")]
        self._subscripts(ident)
        ref = self.table.resolve(ident)
        if ref is None:
            return []
        return [self._add(ref, USE, via)]

    def _subscripts(self, ident: A.Ident) -> None:
        for sub in (*ident.subscripts, *ident.refmod):
            if isinstance(sub, A.Literal) and sub.kind == "all":
                continue
            self.use(sub, "subscript")

    def define(self, node: A.Node | None, via: str, partial: bool = False) -> Endpoint | None:
        """Record the definition of a receiving operand; return it as an endpoint."""
        if not isinstance(node, A.Ident):
            return None
        if node.wrapper == "ADDRESS OF" and node.inner is not None:
            self._subscripts(node.inner)
            ref = self.table.resolve(node.inner)
            return self._add(ref, DEF, "SET ADDRESS", partial) if ref else None
        if node.wrapper is not None and node.wrapper != "SPECIAL":
            return None
        self._subscripts(node)
        ref = self.table.resolve(node)
        if ref is None:
            return None
        return self._add(ref, DEF, via, partial)

    def flow(self, target: Endpoint | None, sources: Iterable[Endpoint], via: str,
             copy: bool = False) -> None:
        if target is None or self.facts is None:
            return
        srcs = tuple(dict.fromkeys(sources))
        self.facts.flows.append(Flow(target, srcs, via, copy))

    def ref_of(self, node: A.Node | None) -> Ref | None:
        """Resolve without recording anything (diagnostics aside)."""
        if isinstance(node, A.Ident) and node.wrapper is None:
            return self.table.resolve(node)
        return None

    # ------------------------------------------------------------ statements

    def _statement(self, st: A.Statement) -> None:
        verb = st.verb
        if isinstance(st, A.UnparsedStatement):
            return
        if isinstance(st, A.ExecStmt):
            self._exec(st)
        elif isinstance(st, A.CallStmt):
            self._call(st)
        elif isinstance(st, A.IfStmt):
            self.use(st.condition, "IF")
        elif isinstance(st, A.EvaluateStmt):
            for subject in st.subjects:
                self.use(subject, "EVALUATE")
            for when in st.whens:
                for line in when.objects:
                    for obj in line:
                        self.use(obj, "EVALUATE")
        elif isinstance(st, A.PerformStmt):
            self._perform(st)
        elif isinstance(st, A.SearchStmt):
            self._search(st)
        elif isinstance(st, A.GoToStmt):
            self.use(st.depending_on, "GO TO")
        elif verb == "MOVE":
            self._move(st)
        elif verb == "SET":
            self._set(st)
        elif verb == "INITIALIZE":
            self._initialize(st)
        elif verb in ("READ", "RETURN"):
            self._read(st)
        elif verb in _FILE_OUT:
            self._write(st)
        elif verb in ("DELETE", "START"):
            self._keyed(st)
        elif verb in ("OPEN", "CLOSE"):
            for ref in st.reads:
                if isinstance(ref, A.Ident):
                    self._file_status(ref.name)
        elif verb == "ACCEPT":
            target = self.define(st.writes[0] if st.writes else None, "ACCEPT")
            self.flow(target, [Endpoint(ACCEPT, st.details.get("from", "SYSIN"))], "ACCEPT")
        elif verb == "DISPLAY":
            upon = st.details.get("upon", "SYSOUT")
            for node in st.reads:
                for src in self.use(node, "DISPLAY"):
                    self.flow(Endpoint(DISPLAY, upon), [src], "DISPLAY")
        elif verb in ("SORT", "MERGE"):
            for node in st.reads:
                self.use(node, verb)
        elif st.details.get("corresponding") and verb in ("ADD", "SUBTRACT"):
            self._corresponding(st, verb + " CORRESPONDING", arithmetic=True)
        else:
            self._generic(st)

    def _generic(self, st: A.Statement) -> None:
        """Operands read are used; each operand written is defined from all of them."""
        verb = st.verb
        written = {id(n) for n in st.writes}
        common: list[Endpoint] = []  # from the operands only read
        own: dict[int, list[Endpoint]] = {}  # an operand both read and written: its old value
        for node in _top_level(st.reads):
            found = self.use(node, verb)
            if id(node) in written:
                own[id(node)] = found
            else:
                common.extend(found)
        # (a receiving item keeps its value on a size error: the reaching definitions let the
        # earlier values through along the ON SIZE ERROR arm)
        partial = verb in _PARTIAL_TARGET_VERBS
        for node in _top_level(st.writes):
            target = self.define(node, verb, partial)
            self.flow(target, common + own.get(id(node), []), verb)

    def _move(self, st: A.Statement) -> None:
        if st.details.get("corresponding"):
            self._corresponding(st, "MOVE CORRESPONDING")
            return
        source = st.reads[0] if st.reads else None
        sources = self.use(source, "MOVE")
        src_ref = self.ref_of(source)
        for node in st.writes:
            target = self.define(node, "MOVE")
            dst_ref = self.ref_of(node)
            self.flow(target, sources, "MOVE", copy=_byte_copy(src_ref, dst_ref))

    def _corresponding(self, st: A.Statement, via: str, arithmetic: bool = False) -> None:
        source = self.ref_of(st.reads[0] if st.reads else None)
        targets = st.writes
        if source is None:
            return
        for node in targets:
            dest = self.ref_of(node)
            if dest is None:
                continue
            for a, b in _corresponding_pairs(source.item, dest.item, arithmetic):
                srcs = [self._add(Ref(a), USE, via)]
                if arithmetic:
                    srcs.append(self._add(Ref(b), USE, via))
                self.flow(self._add(Ref(b), DEF, via), srcs, via,
                          copy=not arithmetic and _byte_copy(Ref(a), Ref(b)))

    def _set(self, st: A.Statement) -> None:
        form = st.details.get("form", "")
        word = st.details.get("value", "")
        if form == "TO" and word in ("TRUE", "FALSE"):
            for node in st.writes:
                ref = self.ref_of(node)
                if isinstance(node, A.Ident):
                    self._subscripts(node)
                if ref is None:
                    continue
                via = "SET " + word
                target = self._add(ref, DEF, via)
                value = ref.condition.values[0][0] if ref.condition and word == "TRUE" \
                    and ref.condition.values else word
                self.flow(target, [Endpoint(LITERAL, value)], via)
            return
        if form == "TO" and word in ("ON", "OFF"):
            return  # a switch of SPECIAL-NAMES, not data
        sources: list[Endpoint] = []
        for node in _top_level(st.reads):
            sources.extend(self.use(node, "SET"))
        if form in ("UP BY", "DOWN BY"):
            for node in st.writes:
                sources.extend(self.use(node, "SET"))
        if form == "TO" and word == "NULL":
            sources.append(Endpoint(LITERAL, "NULL"))
        for node in st.writes:
            self.flow(self.define(node, "SET"), sources, "SET")

    def _initialize(self, st: A.Statement) -> None:
        sources: list[Endpoint] = []
        for node in _top_level(st.reads):
            sources.extend(self.use(node, "INITIALIZE"))
        sources = sources or [Endpoint(LITERAL, "SPACES/ZEROS")]
        for node in st.writes:
            self.flow(self.define(node, "INITIALIZE"), sources, "INITIALIZE")

    def _perform(self, st: A.PerformStmt) -> None:
        if st.times is not None:
            self.use(st.times, "PERFORM TIMES")
        if st.until is not None:
            self.use(st.until, "PERFORM UNTIL")
        for v in st.varying:
            sources = self.use(v.start, "PERFORM VARYING") + self.use(v.step, "PERFORM VARYING")
            sources += self.use(v.variable, "PERFORM VARYING")
            self.flow(self.define(v.variable, "PERFORM VARYING"), sources, "PERFORM VARYING")
            self.use(v.until, "PERFORM UNTIL")

    def _search(self, st: A.SearchStmt) -> None:
        via = st.verb
        for when in st.whens:
            for line in when.objects:
                for obj in line:
                    self.use(obj, via)
        table = self.ref_of(st.table)
        if isinstance(st.table, A.Ident):
            self._subscripts(st.table)
        if table is not None and table.item.occurs and table.item.occurs.indexed_by:
            index = self.table.resolve_text(table.item.occurs.indexed_by[0])
            if index is not None:
                old = self._add(index, USE, via)
                self.flow(self._add(index, DEF, via), [old], via)
        for node in st.writes:  # VARYING
            values = self.use(node, via)
            self.flow(self.define(node, via), values, via)

    # ------------------------------------------------------------ files

    def _file_status(self, file_name: str) -> None:
        info = self.table.file(file_name)
        if info is None:
            return
        if info.control is not None and info.control.file_status:
            ref = self.table.resolve_text(info.control.file_status, info.control.span)
            if ref is not None:
                target = self._add(ref, DEF, "FILE STATUS")
                self.flow(target, [Endpoint(FILE, info.name, detail="status")], "FILE STATUS")

    def _key_use(self, st: A.Statement, file_name: str) -> None:
        info = self.table.file(file_name)
        explicit = [n for n in st.reads if isinstance(n, A.Ident)]
        for node in explicit:
            self.use(node, st.verb + " KEY" if st.verb == "READ" else st.verb)
        if explicit or info is None or info.control is None:
            return
        fc = info.control
        keyed = fc.access in ("RANDOM", "DYNAMIC") and st.details.get("direction") is None
        if not keyed and st.verb != "START":
            return
        key = fc.record_key if fc.organization == "INDEXED" else fc.relative_key
        if key:
            ref = self.table.resolve_text(key, fc.span)
            if ref is not None:
                self._add(ref, USE, "READ KEY" if st.verb == "READ" else st.verb)

    def _read(self, st: A.Statement) -> None:
        verb = st.verb
        name = st.details.get("file", "")
        info = self.table.file(name)
        if info is None:
            self.table.report_unknown_file(name, st.span)
            return
        if verb == "READ":
            self._key_use(st, name)
        origin = Endpoint(FILE, info.name)
        for record in info.records:
            self.flow(self._add(Ref(record), DEF, verb), [origin], verb)
        for node in st.writes:
            target = self.define(node, verb + " INTO")
            into = self.ref_of(node)
            records = [Ref(r) for r in info.records]
            sources = [Endpoint("item", item_name(r.item)) for r in records] or [origin]
            self.flow(target, sources, verb + " INTO",
                      copy=bool(records) and all(_byte_copy(r, into) for r in records))
        self._file_status(name)

    def _write(self, st: A.Statement) -> None:
        verb = st.verb
        record = self.ref_of(st.writes[-1] if st.writes else None)
        if record is None:
            return
        info = self.table.file_of(record.item)
        sink = Endpoint(FILE, info.name if info else item_name(record.item))
        from_node = st.reads[0] if st.details.get("from") and st.reads else None
        for node in st.reads:
            if node is not from_node:
                self.use(node, verb)  # ADVANCING
        if from_node is not None:
            sources = self.use(from_node, verb + " FROM")
            copy = _byte_copy(self.ref_of(from_node), record)
            target = self._add(record, DEF, verb + " FROM")
            self.flow(target, sources, verb + " FROM", copy=copy)
            self.flow(sink, sources, verb + " FROM", copy=copy)
        else:
            self.flow(sink, [self._add(record, USE, verb)], verb, copy=True)
        if info is not None:
            self._file_status(info.name)

    def _keyed(self, st: A.Statement) -> None:
        name = st.details.get("file", "")
        if self.table.file(name) is None:
            self.table.report_unknown_file(name, st.span)
            return
        self._key_use(st, name)
        self._file_status(name)

    # ------------------------------------------------------------ CALL

    def _call(self, st: A.CallStmt) -> None:
        if isinstance(st.program, A.Ident):
            self.use(st.program, "CALL")
            callee = DYNAMIC + str(st.program)  # named once all moves are known
        else:
            callee = unquote(str(st.program)) if st.program is not None else "?"
        sink = Endpoint(CALL, callee)
        for mode, node in st.using:
            via = "CALL BY " + mode
            if isinstance(node, A.Literal) and node.text == "OMITTED":
                continue
            sources = self.use(node, via)
            self.flow(sink, sources, via, copy=True)
            if mode == "REFERENCE" and isinstance(node, A.Ident) and node.wrapper is None:
                target = self.define(node, via, partial=True)
                self.flow(target, [Endpoint(CALL, callee)], via)
        if st.returning is not None:
            target = self.define(st.returning, "CALL RETURNING")
            self.flow(target, [Endpoint(CALL, callee)], "CALL RETURNING")

    # ------------------------------------------------------------ EXEC

    def _collect_cursors(self) -> None:
        blocks = list(self.program.exec_blocks)
        blocks += [st.block for st in _statements(self.program) if isinstance(st, A.ExecStmt)]
        for block in blocks:
            sql = getattr(block, "sql", None)
            if sql is not None and sql.kind == "DECLARE CURSOR" and sql.cursor:
                self.cursors[sql.cursor.upper()] = block

    def _exec(self, st: A.ExecStmt) -> None:
        block = st.block
        if block is None:
            return
        if block.sql is not None:
            self._sql(st, block)
        elif block.cics is not None:
            self._cics(st, block.cics)
        elif block.dli is not None:
            self._dli(st, block.dli)

    def _host(self, name: str, st: A.ExecStmt) -> Ref | None:
        return self.table.resolve_text(name, st.span)

    def _sql(self, st: A.ExecStmt, block: Any) -> None:
        sql = block.sql
        kind = sql.kind
        if kind in _SQL_NOT_EXECUTED:
            return
        tables = sql.tables
        columns = _sql_columns(block.text, sql)
        inputs = list(sql.host_variables)
        detail = kind
        if kind in ("OPEN", "FETCH") and sql.cursor and sql.cursor.upper() in self.cursors:
            cursor = self.cursors[sql.cursor.upper()]
            tables = cursor.sql.tables
            detail = f"{kind} {sql.cursor.upper()}"
            if kind == "OPEN":
                inputs = list(cursor.sql.host_variables)
                columns = _sql_columns(cursor.text, cursor.sql)
            else:
                columns = _sql_columns(cursor.text, cursor.sql) | {
                    k: v for k, v in columns.items() if k.startswith("#")}
        outputs = [h for h in sql.host_variables if h.direction == "output"]
        for pos, hv in enumerate(outputs):
            ref = self._host(hv.data_name, st)
            column = columns.get(f"#{pos}")
            origin = Endpoint(SQL, _column_name(column, tables), detail=detail)
            if ref is not None:
                self.flow(self._add(ref, DEF, "SQL INTO"), [origin], "SQL INTO")
            if hv.indicator_data_name:
                ind = self._host(hv.indicator_data_name, st)
                if ind is not None:
                    self.flow(self._add(ind, DEF, "SQL INDICATOR"), [origin], "SQL INDICATOR")
        for hv in inputs:
            if hv.direction == "output":
                continue
            ref = self._host(hv.data_name, st)
            via = "SQL CALL" if hv.direction == "inout" else "SQL INPUT"
            column = columns.get(hv.name.upper())
            sink = Endpoint(SQL, _column_name(column, tables), detail=detail)
            if ref is not None:
                self.flow(sink, [self._add(ref, USE, via)], via)
                if hv.direction == "inout":
                    self.flow(self._add(ref, DEF, via, partial=True), [sink], via)
            if hv.indicator_data_name:
                ind = self._host(hv.indicator_data_name, st)
                if ind is not None:
                    self._add(ind, USE, "SQL INDICATOR")
        sqlca = self.table.supplied_record("SQLCA")
        if sqlca is not None:
            target = self._add(Ref(sqlca), DEF, "SQLCA")
            self.flow(target, [Endpoint(SQL, "SQLCA", detail=kind)], "SQLCA")

    def _cics(self, st: A.ExecStmt, cmd: Any) -> None:
        command = cmd.command
        program = DYNAMIC + cmd.program if cmd.program and cmd.program_dynamic else cmd.program
        resource = cmd.map or cmd.file or program or cmd.queue or cmd.transid
        name = f"{command} {resource}" if resource else command
        for opt in cmd.options:
            if opt.arg is None:
                continue
            target_name, subs = _cics_ref(opt.arg)
            for sub in subs:
                ref = self._host(sub, st)
                if ref is not None:
                    self._add(ref, USE, "subscript")
            written = target_name in cmd.writes
            read = target_name in cmd.reads
            if target_name is None or not (written or read):
                continue  # a literal, a label of HANDLE CONDITION ...
            ref = self._host(target_name, st)
            if ref is None:
                continue
            via = "CICS " + opt.name
            if read:
                src = self._add(ref, USE, via)
                if opt.name in _CICS_OUTPUT_OPTIONS:
                    self.flow(Endpoint(CICS, name), [src], via, copy=True)
            if written:
                partial = read  # LINK COMMAREA: the program linked to may change it
                origin = Endpoint(CICS, "RESP" if opt.name in ("RESP", "RESP2") else name)
                self.flow(self._add(ref, DEF, via, partial), [origin], via)

    def _dli(self, st: A.ExecStmt, call: Any) -> None:
        name = f"{call.command}"
        for ref_name in call.reads:
            ref = self._host(ref_name, st)
            if ref is not None:
                self.flow(Endpoint(DLI, name), [self._add(ref, USE, "DLI")], "DLI")
        for ref_name in call.writes:
            ref = self._host(ref_name, st)
            if ref is not None:
                self.flow(self._add(ref, DEF, "DLI INTO"), [Endpoint(DLI, name)], "DLI INTO")



def _dedupe(accesses: list[Access]) -> list[Access]:
    """Direct accesses once per (item, access, via); an alias access only for an item the
    statement does not name itself, once per (item, access), a whole one preferred."""
    direct = {(a.item, a.access) for a in accesses if not a.alias}
    seen: set[tuple[str, str, str]] = set()
    alias_at: dict[tuple[str, str], int] = {}
    out: list[Access] = []
    for a in accesses:
        if not a.alias:
            key = (a.item, a.access, a.via)
            if key not in seen:
                seen.add(key)
                out.append(a)
            continue
        pair = (a.item, a.access)
        if pair in direct:
            continue
        where = alias_at.get(pair)
        if where is None:
            alias_at[pair] = len(out)
            out.append(a)
        elif out[where].partial and not a.partial:
            out[where] = a
    return out


def _top_level(nodes: Sequence[A.Node]) -> list[A.Node]:
    """Operands minus the subscripts, reference modifiers and function arguments that the
    parser also lists on their own (they are handled with the operand holding them)."""
    inner: set[int] = set()
    for n in nodes:
        if isinstance(n, A.Ident):
            for sub in n.walk():
                if sub is not n:
                    inner.add(id(sub))
    return [n for n in nodes if id(n) not in inner]


def _byte_copy(source: Ref | None, target: Ref | None) -> bool:
    """Whether a MOVE copies bytes unchanged: a group on either side, or two alphanumeric items
    of one size, and no subscripts or reference modification."""
    if source is None or target is None or source.partial or target.partial:
        return False
    s, t = source.item, target.item
    if source.condition is not None or target.condition is not None:
        return False
    if s.is_group or t.is_group:
        return True
    return _alphanumeric(s) and _alphanumeric(t) and s.size == t.size


def _alphanumeric(item: A.DataItem) -> bool:
    pic = (item.pic or "").upper()
    return bool(_ALPHANUMERIC_PIC.fullmatch(pic)) and (item.usage or "DISPLAY").upper() == "DISPLAY"


_ALPHANUMERIC_PIC = re.compile(r"(?:X(?:\(\d+\))?)+")


def _corresponding_pairs(
    a: A.DataItem, b: A.DataItem, arithmetic: bool
) -> list[tuple[A.DataItem, A.DataItem]]:
    """Pairs of subordinate items with the same name and the same names in between (COBOL's
    CORRESPONDING rule); items with REDEFINES, RENAMES or OCCURS, and what is under them, are
    left out; for ADD/SUBTRACT both items must be elementary and numeric."""
    left = _corresponding_paths(a)
    right = _corresponding_paths(b)
    pairs = []
    for path, x in left.items():
        y = right.get(path)
        if y is None:
            continue
        if arithmetic and not (_numeric(x) and _numeric(y)):
            continue
        if x.is_group and y.is_group:
            continue
        pairs.append((x, y))
    return pairs


def _numeric(item: A.DataItem) -> bool:
    if item.is_group:
        return False
    if (item.usage or "").upper() in ("COMP-1", "COMP-2"):
        return True
    pic = (item.pic or "").upper()
    return "9" in pic and not any(c in pic for c in "XAN")


def _corresponding_paths(group: A.DataItem) -> dict[tuple[str, ...], A.DataItem]:
    out: dict[tuple[str, ...], A.DataItem] = {}
    stack: list[tuple[A.DataItem, tuple[str, ...]]] = [(group, ())]
    while stack:
        node, path = stack.pop()
        for child in node.children:
            if not child.name or child.name.upper() == "FILLER" or child.level in (66, 88):
                continue
            if child.redefines or child.occurs is not None:
                continue
            p = (*path, child.name.upper())
            out[p] = child
            if child.children:
                stack.append((child, p))
    return out


# --------------------------------------------------------------------------- SQL columns

_SQL_WORD = re.compile(r"(?:[A-Z0-9_#@$]+\.)?([A-Z0-9_#@$]+)$", re.I)
_SQL_AS = re.compile(r"\s+AS\s+([A-Z0-9_#@$]+)$", re.I)
_SQL_PAIR = re.compile(r"([A-Z0-9_#@$.]+)\s*(?:=|<>|<=|>=|<|>)\s*:([A-Z0-9_#@$.-]+)", re.I)


def _split_top(text: str, sep: str = ",") -> list[str]:
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _find_word(text: str, word: str, start: int = 0) -> int:
    """Position of ``word`` at parenthesis depth 0 (outside literals), or -1."""
    depth = 0
    quote = ""
    up = text.upper()
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and up.startswith(word, i) and (i == 0 or not _wordchar(up[i - 1])) \
                and (i + len(word) >= len(up) or not _wordchar(up[i + len(word)])):
            return i
        i += 1
    return -1


def _wordchar(ch: str) -> bool:
    return ch.isalnum() or ch in "_-#@$:"


def _sql_columns(text: str, sql: Any) -> dict[str, str]:
    """Columns by host variable: ``#n`` for the n-th INTO target (the n-th item of the select
    list), ``NAME`` for an input host variable compared with or assigned to a column, or given
    as the value of a column of INSERT."""
    out: dict[str, str] = {}
    kind = sql.kind
    body = text
    if kind in ("SELECT INTO", "DECLARE CURSOR", "SELECT"):
        sel = _find_word(body, "SELECT")
        end = _find_word(body, "INTO", sel) if kind == "SELECT INTO" else -1
        if end < 0:
            end = _find_word(body, "FROM", sel)
        if sel >= 0 and end > sel:
            for n, expr in enumerate(_split_top(body[sel + 6:end])):
                out[f"#{n}"] = _select_item(expr)
    if kind == "INSERT":
        open_ = body.find("(")
        values = _find_word(body, "VALUES")
        if 0 <= open_ < values:
            close = body.rfind(")", open_, values)
            cols = _split_top(body[open_ + 1:close])
            v_open = body.find("(", values)
            v_close = body.rfind(")")
            vals = _split_top(body[v_open + 1:v_close]) if v_open >= 0 else []
            for col, val in zip(cols, vals, strict=False):
                if val.startswith(":"):
                    name = re.split(r"[\s:]", val[1:], maxsplit=1)[0]
                    out[name.upper()] = col.strip().upper()
    for m in _SQL_PAIR.finditer(body):
        out.setdefault(m.group(2).upper(), m.group(1).upper().split(".")[-1])
    return out


def _select_item(expr: str) -> str:
    expr = " ".join(expr.split())
    m = _SQL_AS.search(expr)
    if m:
        return m.group(1).upper()
    m = _SQL_WORD.fullmatch(expr)
    return m.group(1).upper() if m else expr.upper()


def _column_name(column: str | None, tables: Sequence[str]) -> str:
    table = tables[0] if len(tables) == 1 else None
    if column and table:
        return f"{table}.{column}"
    if column:
        return column
    return ", ".join(tables) if tables else "?"


def _cics_ref(arg: str) -> tuple[str | None, list[str]]:
    from cobolspec.model.exec import data_refs

    return data_refs(arg)
