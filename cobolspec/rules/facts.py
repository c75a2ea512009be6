"""What the rules stage knows about each statement of a program: the data it reads and writes
(status fields and record areas included), where that data lives, its class (a decision, an
anchor of some kind, arithmetic, data movement, plumbing and why), whether it signals an error,
where it sends control, and the files, tables, screens, programs and COMMAREAs it uses.

:class:`StatementFacts` is built once per program; :mod:`cobolspec.rules.units` cuts the
program into units on top of it. The word lists behind the error signals are here, in one place:
item names (``_ITEM_ERROR``), condition-names (``_FLAG_ERROR``), paragraph names
(``_PARA_ERROR``) and messages (``_MESSAGE_ERROR``, for literals of two words or more).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from cobolspec.model import ast as A
from cobolspec.parse.facts import paragraph_ids
from cobolspec.rules import coverage as R
from cobolspec.rules.conditions import Printer
from cobolspec.rules.names import DataNames, Storage, data_refs, storage_overlap
from cobolspec.rules.reaching import ABEND_ROUTINES, Control, ControlAnalysis

_ITEM_ERROR = {"ERR", "ERROR", "ERRORS", "REJ", "REJECT", "REJECTED", "REASON", "RSN", "ABEND"}
_FLAG_ERROR = {"ERR", "ERROR", "INVALID", "BAD", "REJECT", "REJECTED", "DECLINED", "FAIL",
               "FAILED", "ABEND", "WRONG"}
_NEGATIONS = {"NO", "NOT", "NON", "OK", "VALID", "GOOD"}
_PARA_ERROR = {"ERR", "ERROR", "ERRORS", "ABEND", "FAIL", "FAILED", "FAILURE", "FATAL",
               "REJECT", "REJECTED", "INVALID"}
_MESSAGE_ERROR = re.compile(
    r"\b(INVALID|ERRORS?|FAIL(ED|URE|S)?|NOT FOUND|MISSING|MUST|CANNOT|CAN'T|NOT NUMERIC|"
    r"REJECT(ED)?|UNKNOWN|TOO (LONG|LARGE|SHORT|MANY)|NOT ALLOWED|INSUFFICIENT|OVER (CREDIT )?"
    r"LIMIT|UNAVAILABLE|NOT AVAILABLE|DENIED|DECLINED|OVERFLOW|WRONG|EXCEEDS?|BAD|ABNORMAL)\b")
_RESET = {"ZERO", "ZEROS", "ZEROES", "SPACE", "SPACES", "LOW-VALUE", "LOW-VALUES", "0"}
_DATE_SOURCES = ("DATE", "DAY", "TIME", "DAY-OF-WEEK")
_ARITH = ("ADD", "SUBTRACT", "MULTIPLY", "DIVIDE", "COMPUTE")
FREE = ("MOVE", "SET", "INITIALIZE", "STRING", "UNSTRING", "INSPECT")

_CICS_KIND = {
    "WRITE": "state-change", "REWRITE": "state-change", "DELETE": "state-change",
    "WRITEQ TS": "state-change", "WRITEQ TD": "state-change", "DELETEQ TS": "state-change",
    "DELETEQ TD": "state-change",
    "READ": "io", "RECEIVE MAP": "io", "RECEIVE": "io", "READQ TS": "io", "READQ TD": "io",
    "LINK": "routing", "XCTL": "routing", "START": "routing", "SEND MAP": "routing",
    "SEND TEXT": "routing", "SEND": "routing", "HANDLE CONDITION": "routing",
    "HANDLE AID": "routing", "HANDLE ABEND": "routing", "LOAD": "routing",
}  # fmt: skip
_CICS_PLUMBING = {
    "ABEND": R.ERROR, "SYNCPOINT": R.TRANSACTION, "UNLOCK": R.TRANSACTION,
    "STARTBR": R.SEQUENTIAL_READ, "READNEXT": R.SEQUENTIAL_READ, "READPREV": R.SEQUENTIAL_READ,
    "ENDBR": R.SEQUENTIAL_READ, "RESETBR": R.SEQUENTIAL_READ,
}  # fmt: skip
_CICS_SYSTEM = ("ASKTIME", "FORMATTIME", "ASSIGN", "INQUIRE", "ADDRESS", "GETMAIN", "FREEMAIN",
                "DELAY", "ENQ", "DEQ", "IGNORE", "PUSH", "POP", "SET", "WAIT", "POST")
_SQL_KIND = {"INSERT": "state-change", "UPDATE": "state-change", "DELETE": "state-change",
             "MERGE": "state-change", "SELECT INTO": "io", "VALUES INTO": "io",
             "SELECT": "io", "CALL": "routing"}
_SQL_PLUMBING = {"OPEN": R.HOUSEKEEPING, "CLOSE": R.HOUSEKEEPING, "FETCH": R.SEQUENTIAL_READ,
                 "COMMIT": R.TRANSACTION, "ROLLBACK": R.TRANSACTION, "INCLUDE": R.DECLARATIONS,
                 "DECLARE CURSOR": R.DECLARATIONS, "DECLARE TABLE": R.DECLARATIONS,
                 "WHENEVER": R.DECLARATIONS, "LOCK": R.TRANSACTION}


def tokens(name: str | None) -> set[str]:
    """The words of a hyphenated name, in upper case."""
    return set((name or "").upper().split("-"))


def walk_nested(stmts: list[A.Statement], skip: set[int] | None = None) -> Iterator[A.Statement]:
    """Statements in source order, nested ones included, not entering those in ``skip``."""
    for st in stmts:
        if skip and id(st) in skip:
            continue
        stack: list[A.Node] = [st]
        while stack:
            node = stack.pop()
            if skip and id(node) in skip:
                continue
            if isinstance(node, A.Statement):
                yield node
            stack.extend(reversed([c for c in node.child_nodes()
                                   if isinstance(c, (A.Statement, A.Phrase, A.WhenClause))]))


class StatementFacts:
    """The facts of one program's statements (see the module docstring)."""

    def __init__(self, program: A.Program) -> None:
        self.program = program
        self.names = DataNames(program)
        self.p = Printer(self.names)
        self.ids = paragraph_ids(program)
        # keyed by id(); the value keeps the node alive so that no id is reused
        self._storage_cache: dict[int, tuple[A.Node, Storage | None]] = {}
        self.analysis = ControlAnalysis(program, self.ids, self.p, self)
        self.control: Control = self.analysis.run()
        self.seq: dict[int, int] = {}
        self.all_statements: list[A.Statement] = []
        for info in self.control.paragraphs:
            for st in walk_nested(info.paragraph.statements):
                self.seq[id(st)] = len(self.seq)
                self.all_statements.append(st)
        self._find_special_areas()
        self._find_error_paragraphs()
        self._index_readers()

    # ------------------------------------------------------------------ program facts

    def _find_special_areas(self) -> None:
        """Maps, COMMAREAs, CALL parameters and SQL host variables: the items through which
        the program exchanges data (with their members)."""
        self.maps: set[str] = set()
        self.interface_items: set[int] = set()
        self.commarea_items: set[int] = set()
        self.cursor_tables: dict[str, list[str]] = {}
        blocks = [b for b in self.program.exec_blocks if b is not None]
        blocks += [st.block for st in self.all_statements
                   if isinstance(st, A.ExecStmt) and st.block is not None]
        for block in blocks:
            if block.sql is not None and block.sql.kind == "DECLARE CURSOR" and block.sql.cursor:
                self.cursor_tables[block.sql.cursor.upper()] = list(block.sql.tables)
            if block.cics is not None and block.cics.map:
                self.maps.add(block.cics.map.upper())
        for st in self.all_statements:
            refs: list[A.Node | str] = []
            if isinstance(st, A.CallStmt):
                refs += [n for _, n in st.using]
            elif isinstance(st, A.ExecStmt) and st.block is not None:
                if st.block.sql is not None:
                    refs += [*st.reads, *st.writes]
                elif st.block.cics is not None:
                    area = st.block.cics.option("COMMAREA")
                    if area:
                        item = self.names.item(area)
                        if item is not None:
                            self.commarea_items.add(id(item))
            for ref in refs:
                item = self.names.target_item(ref)
                if item is not None:
                    self.interface_items.add(id(item))
        for item in self.program.all_items():
            if item.parent is None and (item.name or "").upper() == "DFHCOMMAREA":
                self.commarea_items.add(id(item))
        self.interface_items |= self.commarea_items

    def _find_error_paragraphs(self) -> None:
        """Paragraphs named as errors, and fatal ones (never return, named as errors or ending
        the run abnormally, no output of their own): their statements are error boilerplate."""
        self.error_pids: set[str] = set()
        self.boiler_pids: set[str] = set()
        for info in self.control.paragraphs:
            named = bool(tokens(info.paragraph.name) & _PARA_ERROR)
            if named:
                self.error_pids.add(info.pid)
            if info.pid not in self.control.never_returns:
                continue
            stmts = list(walk_nested(info.paragraph.statements))
            abnormal = any(self._cics(s) == "ABEND" for s in stmts)
            outputs = any(self._anchor_kind(s) in ("state-change", "io")
                          or self._cics(s) in ("SEND MAP", "SEND TEXT", "XCTL", "LINK")
                          for s in stmts)
            if (named or abnormal) and not outputs:
                self.boiler_pids.add(info.pid)
                self.error_pids.add(info.pid)

    def _index_readers(self) -> None:
        """Which kinds of statement read each storage area: display, error, loop, other."""
        self.readers: dict[str, list[tuple[Storage, str]]] = {}
        for st in self.all_statements:
            pid = self.control.paragraph_of.get(id(st))
            if st.verb == "DISPLAY":
                kind = "display"
            elif pid in self.boiler_pids:
                kind = "error"
            elif isinstance(st, A.PerformStmt):
                kind = "loop"
            else:
                kind = "other"
            for ref in self._reads(st):
                s = self._storage(ref)
                if s is not None:
                    self.readers.setdefault(s.area, []).append((s, kind))

    def _reader_kinds(self, ref: A.Node) -> set[str]:
        s = self._storage(ref)
        if s is None:
            return {"other"}
        return {k for r, k in self.readers.get(s.area, []) if storage_overlap(s, r)}

    # ------------------------------------------------------------------ data of statements

    def _storage(self, ref: A.Node) -> Storage | None:
        key = id(ref)
        if key not in self._storage_cache:
            self._storage_cache[key] = (ref, self.names.storage(ref))
        return self._storage_cache[key][1]

    def _overlaps(self, a: Sequence[A.Node], b: Sequence[A.Node]) -> bool:
        for x in a:
            sx = self._storage(x)
            if sx is None:
                continue
            for y in b:
                sy = self._storage(y)
                if sy is not None and storage_overlap(sx, sy):
                    return True
        return False

    def writes(self, st: A.Statement) -> list[A.Ident]:
        """Everything ``st`` may change, status fields the system sets included."""
        return self._writes(st) + self._implicit_writes(st)

    def outcome(self, st: A.Statement) -> list[A.Ident]:
        implicit = self._implicit_writes(st)
        return implicit if implicit and not isinstance(st, A.CallStmt) else self.writes(st)

    def _implicit_writes(self, st: A.Statement) -> list[A.Ident]:
        """FILE STATUS items of the files an I/O statement uses, the SQLCA of EXEC SQL, the
        EIB response of EXEC CICS, RETURN-CODE after a CALL."""
        names: list[str] = []
        files: list[str] = []
        verb = st.verb
        if verb == "OPEN":
            files = " ".join(st.details.values()).split()
        elif verb == "CLOSE":
            files = st.details.get("files", "").split()
        elif verb in ("READ", "DELETE", "START", "RETURN"):
            files = [st.details.get("file", "")]
        elif verb in ("WRITE", "REWRITE", "RELEASE"):
            files = [self.names.fd_of(st.details.get("record", "")) or ""]
        for name in files:
            fc = self.names.files.get(name.upper())
            if fc is not None and fc.file_status:
                names.append(fc.file_status)
            if name:
                names.append(f"({name.upper()})")  # the file's state, whatever declares it
        if self._sql(st) is not None:
            names += ["SQLCA", "SQLCODE", "SQLSTATE", "SQLERRD", "SQLERRM", "SQLWARN"]
        elif self._cics(st) is not None:
            names += ["EIBRESP", "EIBRESP2", "EIBRCODE"]
        elif isinstance(st, A.CallStmt):
            names.append("RETURN-CODE")
        return [A.Ident(name=n.upper()) for n in names]

    def storage(self, ref: A.Node) -> Storage | None:
        return self._storage(ref)

    def _reads(self, st: A.Statement) -> list[A.Ident]:
        nodes: list[A.Node]
        if isinstance(st, A.IfStmt):  # the parser's reads list flattens DFHRESP(NORMAL)
            nodes = [st.condition] if st.condition is not None else []
        elif isinstance(st, A.EvaluateStmt):
            nodes = [*st.subjects, *(o for w in st.whens for line in w.objects for o in line)]
        elif isinstance(st, A.SearchStmt):
            nodes = [*([st.table] if st.table else []),
                     *(o for w in st.whens for line in w.objects for o in line)]
        else:
            nodes = list(st.reads)
        if st.verb in ("WRITE", "REWRITE", "RELEASE"):
            nodes += st.writes
        if st.verb in ("READ", "DELETE", "START") and self._keyed(st):
            fc = self.names.files.get(st.details.get("file", "").upper())
            if fc is not None and fc.record_key:
                nodes.append(A.Ident(name=fc.record_key.upper()))
        return list(data_refs(nodes))

    def _writes(self, st: A.Statement) -> list[A.Ident]:
        if st.verb in ("WRITE", "REWRITE", "RELEASE"):
            return []
        refs = list(data_refs(list(st.writes)))
        if st.verb in ("READ", "RETURN"):
            for record in self.names.fd_records.get(st.details.get("file", "").upper(), []):
                if record.name:
                    refs.append(A.Ident(name=record.name.upper()))
        return refs

    def _keyed(self, st: A.Statement) -> bool:
        """A READ/START/DELETE by key (random, or dynamic without NEXT/PREVIOUS)."""
        fc = self.names.files.get(st.details.get("file", "").upper())
        if fc is None or "direction" in st.details:
            return False
        return fc.access.upper() in ("RANDOM", "DYNAMIC") and fc.organization.upper() in (
            "INDEXED", "RELATIVE")

    # ------------------------------------------------------------------ statement classes

    @staticmethod
    def _cics_block(st: A.Statement) -> Any:
        if isinstance(st, A.ExecStmt) and st.block is not None and st.block.cics is not None:
            return st.block.cics
        return None

    @classmethod
    def _cics(cls, st: A.Statement) -> str | None:
        block = cls._cics_block(st)
        return str(block.command) if block is not None else None

    @staticmethod
    def _sql(st: A.Statement) -> str | None:
        if isinstance(st, A.ExecStmt) and st.block is not None and st.block.sql is not None:
            return str(st.block.sql.kind)
        return None

    @staticmethod
    def _is_decision(st: A.Statement) -> bool:
        return isinstance(st, (A.IfStmt, A.EvaluateStmt, A.SearchStmt)) or (
            isinstance(st, A.GoToStmt) and st.depending_on is not None)

    def _is_counter(self, st: A.Statement) -> bool:
        if st.verb not in ("ADD", "SUBTRACT") or not st.writes:
            return False
        written = {id(w) for w in st.writes}
        sources = [r for r in st.reads if id(r) not in written]
        if not sources or not all(isinstance(s, A.Literal) and s.kind == "numeric"
                                  for s in sources):
            return False
        if not all(id(w) in {id(r) for r in st.reads} for w in st.writes):
            return False  # GIVING
        return not any(self._is_interface(w) for w in st.writes)

    def _is_arith(self, st: A.Statement) -> bool:
        return st.verb in _ARITH and not self._is_counter(st)

    def _anchor_kind(self, st: A.Statement) -> str | None:
        verb = st.verb
        if verb in ("WRITE", "REWRITE", "DELETE", "RELEASE"):
            return "state-change"
        if verb == "READ":
            return "io" if self._keyed(st) else None
        if verb in ("SORT", "MERGE", "RECEIVE"):  # RECEIVE: a communication message
            return "io"
        if verb in ("GENERATE", "SEND"):  # a report group; a communication message
            return "state-change"
        if verb == "ACCEPT":
            source = st.details.get("from", "")
            return None if source.split(" ")[0] in _DATE_SOURCES else "io"
        if isinstance(st, A.CallStmt):
            return None if self._abend_call(st) else "routing"
        cics = self._cics(st)
        if cics is not None:
            if cics == "RETURN":
                return "routing" if self._cics_block(st).transid else None
            return _CICS_KIND.get(cics)
        sql = self._sql(st)
        if sql is not None:
            return _SQL_KIND.get(sql)
        if isinstance(st, A.ExecStmt) and st.block is not None and st.block.dli is not None:
            cmd = str(st.block.dli.command).upper()
            return "state-change" if cmd in ("ISRT", "REPL", "DLET") else "io"
        return None

    @staticmethod
    def _abend_call(st: A.Statement) -> bool:
        return isinstance(st, A.CallStmt) and isinstance(st.program, A.Literal) and \
            st.program.text.strip("'\"").upper() in ABEND_ROUTINES

    def _verb_reason(self, st: A.Statement) -> str | None:
        """The plumbing reason a statement has by itself, whatever its data."""
        verb = st.verb
        if verb in ("OPEN", "CLOSE", "START", "INITIATE", "TERMINATE", "ENABLE", "DISABLE",
                    "PURGE", "SUPPRESS"):
            return R.HOUSEKEEPING
        if verb == "DISPLAY":
            return R.DISPLAY
        if verb == "EXIT PROGRAM" or verb in ("STOP RUN", "GOBACK", "STOP", "ALTER", "ENTRY",
                                              "CANCEL"):
            return R.FLOW
        if verb.startswith("EXIT") or verb == "CONTINUE":
            return R.EXIT
        if isinstance(st, A.GoToStmt):
            return None if st.depending_on is not None else R.FLOW
        if isinstance(st, A.PerformStmt):
            loops = st.inline or st.until is not None or st.varying or st.times is not None
            return R.LOOP if loops else R.FLOW
        if verb in ("READ", "RETURN") and self._anchor_kind(st) is None:
            return R.SEQUENTIAL_READ
        if self._is_counter(st):
            return R.COUNTERS
        if verb == "ACCEPT" and self._anchor_kind(st) is None:
            return R.SYSTEM
        if self._abend_call(st):
            return R.ERROR
        cics = self._cics(st)
        if cics is not None:
            if cics == "RETURN" and self._anchor_kind(st) is None:
                return R.FLOW
            if cics in _CICS_PLUMBING:
                return _CICS_PLUMBING[cics]
            if cics.split(" ")[0] in _CICS_SYSTEM:
                return R.SYSTEM
        sql = self._sql(st)
        if sql is not None:
            return _SQL_PLUMBING.get(sql)
        return None

    def _is_interface(self, ref: A.Node) -> bool:
        if isinstance(ref, A.Ident):
            name = ref.name.upper()
            if name == "RETURN-CODE" or name.startswith("EIB"):
                return True
        item = self.names.target_item(ref)
        if item is None:
            return False
        root = self.names.root(item)
        return root.section in ("FILE", "LINKAGE") or within(item, self.interface_items) or \
            self._map_of(root) is not None

    def _map_of(self, root: A.DataItem) -> str | None:
        name = (root.name or "").upper()
        if len(name) > 1 and name[-1] in "IO" and name[:-1] in self.maps:
            return name[:-1]
        return None

    def _constant_source(self, st: A.Statement) -> bool:
        if st.verb == "MOVE":
            return all(isinstance(r, A.Literal) for r in st.reads)
        if st.verb == "SET":
            return st.details.get("form", "TO") == "TO" and (
                st.details.get("value") in ("TRUE", "FALSE", "ON", "OFF")
                or all(isinstance(r, A.Literal) for r in st.reads))
        return st.verb == "INITIALIZE" and all(isinstance(r, A.Literal) for r in st.reads)

    def _free_reason(self, st: A.Statement, pid: str, at_end: bool) -> str | None:
        """The plumbing reason of a data-movement statement no unit took, if any."""
        writes = self._writes(st)
        if any(isinstance(w, A.Ident) and w.name.upper() == "RETURN-CODE" for w in writes):
            return None
        if pid in self.boiler_pids:
            return R.ERROR
        if at_end and self._constant_source(st):
            return R.LOOP
        if self._error_signal(st):
            return None
        if writes and not any(self._is_interface(w) for w in writes):
            kinds = set().union(*(self._reader_kinds(w) for w in writes))
            if not kinds:
                return R.UNUSED
            if kinds <= {"display", "error"}:
                return R.DISPLAY if "display" in kinds else R.ERROR
            if kinds == {"loop"}:
                return R.LOOP
            if self._constant_source(st):
                return R.INITIALISATION
        return None

    def _alone_reason(self, st: A.Statement, pid: str, at_end: bool) -> str | None:
        """The plumbing reason of a statement standing alone (None: it would be in a unit)."""
        if self._is_decision(st) or self._is_arith(st) or self._anchor_kind(st) is not None:
            return None
        reason = self._verb_reason(st)
        if reason is not None:
            return reason
        if st.verb in FREE:
            return self._free_reason(st, pid, at_end)
        return None

    def _phrases_hold_rules(self, st: A.Statement, pid: str) -> bool:
        for phrase in st.phrases:
            for s in walk_nested(phrase.statements):
                if self._alone_reason(s, pid, phrase.kind == "AT END") is None:
                    return True
        return False

    # ------------------------------------------------------------------ signals

    def _error_signal(self, st: A.Statement) -> bool:
        """Whether a statement signals an error: an error code or reason moved, an error flag
        set, a message saying so, a transfer to an error paragraph, an abend."""
        if st.verb in ("MOVE", "DISPLAY") and any(
                isinstance(r, A.Literal) and r.kind == "string" and " " in r.text.strip("'\" ")
                and _MESSAGE_ERROR.search(r.text.upper()) for r in st.reads):
            return True
        if st.verb == "MOVE" and not (len(st.reads) == 1 and isinstance(st.reads[0], A.Literal)
                                      and st.reads[0].text.upper().strip("'\"") in _RESET
                                      and st.reads[0].kind in ("figurative", "numeric")):
            for w in st.writes:
                name = w.name if isinstance(w, A.Ident) else ""
                words = tokens(name)
                if words & _ITEM_ERROR or ({"RETURN", "CODE"} <= words
                                            and name.upper() != "RETURN-CODE"):
                    return True
        if st.verb == "SET" and st.details.get("value") == "TRUE" and any(
                isinstance(w, A.Ident) and tokens(w.name) & _FLAG_ERROR
                and not tokens(w.name) & _NEGATIONS for w in st.writes):
            return True
        if isinstance(st, (A.PerformStmt, A.GoToStmt)) and any(
                t in self.error_pids for t in self._targets(st)):
            return True
        return self._cics(st) == "ABEND" or self._abend_call(st)

    def _targets(self, st: A.Statement) -> list[str]:
        section = None
        pid = self.control.paragraph_of.get(id(st))
        if pid is not None and pid in self.analysis.by_pid:
            section = self.analysis.by_pid[pid].section
        names: list[tuple[str, str | None]] = []
        if isinstance(st, A.PerformStmt) and st.target:
            names.append((st.target, st.target_qualifier))
        elif isinstance(st, A.GoToStmt):
            names += [(t, None) for t in st.targets]
        out = []
        for name, qualifier in names:
            resolved = self.analysis.resolve(name, qualifier, section)
            out.append(resolved or name)
        return out

    def _transfers(self, st: A.Statement) -> list[str]:
        """Where a statement sends control, for routing: paragraphs (not error ones),
        programs, screens, transactions."""
        if isinstance(st, (A.PerformStmt, A.GoToStmt)) and not (
                isinstance(st, A.PerformStmt) and st.inline):
            return [t for t in self._targets(st) if t not in self.error_pids]
        if isinstance(st, A.CallStmt) and not self._abend_call(st):
            return ["program:" + self.p.expr(st.program)]
        cics = self._cics(st)
        if cics is not None and (_CICS_KIND.get(cics) == "routing" or cics == "RETURN"):
            block = self._cics_block(st)
            target = block.program or block.map or block.transid
            if target or cics != "RETURN":
                return [f"{cics}:{target or ''}"]
        return []

    # ------------------------------------------------------------------ data of a unit

    def _data(self, covered: list[A.Statement]) -> tuple[list[str], list[str]]:
        inputs: dict[str, None] = {}
        outputs: dict[str, None] = {}
        for st in covered:
            for ref in self._reads(st):
                for name in self._item_names(ref):
                    inputs[name] = None
            for ref in self._writes(st):
                for name in self._item_names(ref):
                    outputs[name] = None
            extra_in, extra_out = self._resources(st)
            inputs.update(dict.fromkeys(extra_in))
            outputs.update(dict.fromkeys(extra_out))
        return list(inputs), list(outputs)

    def _item_names(self, ref: A.Ident) -> list[str]:
        found = self.names.condition(ref)
        item: A.DataItem | None
        if found is not None:
            item = found[1]
            names = [self.p.item_name(found[1])]
        else:
            item = self.names.item(ref)
            names = [" OF ".join([ref.name, *ref.qualifiers]).upper()]
        if item is None:
            return names
        root = self.names.root(item)
        map_name = self._map_of(root)
        if map_name is not None:
            field = (item.name or "").upper()
            if item is root:
                names.append(f"map:{map_name}")
            else:
                names.append(f"map:{map_name}.{field[:-1] if len(field) > 1 else field}")
        if within(item, self.commarea_items):
            names.append(f"commarea:{names[0]}")
        return names

    def _resources(self, st: A.Statement) -> tuple[list[str], list[str]]:
        """Files, tables, screens, programs and transactions a statement uses."""
        ins: list[str] = []
        outs: list[str] = []
        verb = st.verb
        if verb in ("READ", "START", "RETURN"):
            ins.append("file:" + st.details.get("file", "?"))
        elif verb == "ACCEPT" and self._anchor_kind(st) == "io":
            source = st.details.get("from")
            ins.append(f"device:{source}" if source else "file:SYSIN")
        elif verb == "DELETE":
            outs.append("file:" + st.details.get("file", "?"))
        elif verb in ("WRITE", "REWRITE", "RELEASE"):
            fd = self.names.fd_of(st.details.get("record", ""))
            outs.append("file:" + (fd or st.details.get("record", "?")))
        elif verb in ("SORT", "MERGE"):
            ins += ["file:" + f for f in st.details.get("using", "").split()]
            outs += ["file:" + f for f in st.details.get("giving", "").split()]
        elif isinstance(st, A.CallStmt) and isinstance(st.program, A.Literal):
            outs.append("program:" + st.program.text.strip("'\"").upper())
        block = st.block if isinstance(st, A.ExecStmt) else None
        if block is not None and block.sql is not None:
            sql = block.sql
            for access in sql.accesses:
                (ins if access.operation == "read" else outs).append("table:" + access.table)
            if sql.kind == "FETCH" and sql.cursor:
                ins += ["table:" + t for t in self.cursor_tables.get(sql.cursor.upper(), [])]
        elif block is not None and block.cics is not None:
            cics = block.cics
            cmd = str(cics.command)
            target = outs if _CICS_KIND.get(cmd) in ("state-change", "routing") else ins
            # a name held in a data item is not known: the item is among the inputs
            if cics.file and (cics.is_literal("FILE") or cics.is_literal("DATASET")):
                target.append("file:" + cics.file)
            if cics.queue and (cics.is_literal("QUEUE") or cics.is_literal("QNAME")):
                target.append("queue:" + cics.queue)
            if cics.map and cics.is_literal("MAP"):
                target.append("map:" + cics.map)
            if cics.program and not cics.program_dynamic:
                outs.append("program:" + cics.program)
            if cics.transid and cmd in ("RETURN", "START") and cics.is_literal("TRANSID"):
                outs.append("transid:" + cics.transid)
            area = cics.option("COMMAREA")
            if area and cmd in ("LINK", "XCTL", "RETURN", "START"):
                outs.append("commarea:" + area.upper())
        return ins, outs

    def _literals(self, covered: list[A.Statement]) -> list[str]:
        out: dict[str, None] = {}
        for st in covered:
            nodes: list[A.Node] = [*st.reads, *st.writes]
            if isinstance(st, A.IfStmt) and st.condition is not None:
                nodes.append(st.condition)
            if isinstance(st, (A.EvaluateStmt, A.SearchStmt)):
                nodes += [o for w in st.whens for line in w.objects for o in line]
            for node in nodes:
                for sub in node.walk():
                    if isinstance(sub, A.Literal) and sub.kind in (
                            "string", "numeric", "hex", "national", "all"):
                        out[sub.text] = None
                    elif isinstance(sub, A.Ident):
                        out.update(dict.fromkeys(self.p.condition_values(sub)))
        return list(out)


def within(item: A.DataItem, ids: set[int]) -> bool:
    """Whether ``item`` or one of the groups holding it is in ``ids``."""
    node: A.DataItem | None = item
    while node is not None:
        if id(node) in ids:
            return True
        node = node.parent
    return False
