"""EXEC CICS and EXEC DLI: a command name and its options, and the data items they touch.

Both languages share one syntax: a command of one or more words, then options, each a keyword
alone (``ERASE``) or followed by an argument in parentheses (``INTO(WS-REC)``), in any order.
The option reader keeps arguments verbatim (whitespace outside literals collapsed), balancing
parentheses and skipping over quoted literals, so ``MAP('A(B)')`` and
``LENGTH(LENGTH OF WS-AREA)`` come back whole.

>>> cmd, _ = build_cics("READ FILE('ACCTDAT') INTO(ACCT-REC) RIDFLD(WS-KEY) RESP(WS-RESP)")
>>> cmd.command, cmd.file, cmd.reads, cmd.writes
('READ', 'ACCTDAT', ['WS-KEY'], ['ACCT-REC', 'WS-RESP'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from cobolspec.diagnostics import Diagnostic, Severity
from cobolspec.model.ast import Node

# Diagnostic codes (stable: a code never changes meaning).
CICS_UNKNOWN = "CICS001"  # command not in the table of CICS commands; first word kept
CICS_SYNTAX = "CICS002"  # text outside any option (a stray literal or character)
CICS_QUOTE = "CICS003"  # unterminated literal in an option argument
CICS_PAREN = "CICS004"  # unbalanced parentheses in an option argument
DLI_UNKNOWN = "DLI001"
DLI_SYNTAX = "DLI002"
DLI_QUOTE = "DLI003"
DLI_PAREN = "DLI004"
_CODES = {
    "CICS": {"SYNTAX": CICS_SYNTAX, "QUOTE": CICS_QUOTE, "PAREN": CICS_PAREN},
    "DLI": {"SYNTAX": DLI_SYNTAX, "QUOTE": DLI_QUOTE, "PAREN": DLI_PAREN},
}


class CicsOption(NamedTuple):
    """One option: its keyword (upper case) and its argument text, None when it has none."""

    name: str
    arg: str | None = None


def _diag(code: str, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(code=code, severity=severity, message=message)


# --------------------------------------------------------------------------- option reader

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _squash(text: str) -> str:
    """Collapse whitespace outside quoted literals; strip the ends."""
    out: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    return "".join(out).strip()


def _read_options(body: str, diags: list[Diagnostic], prefix: str) -> list[CicsOption]:
    """The words of a command body, each with its parenthesised argument if it has one."""
    opts: list[CicsOption] = []
    pos, n = 0, len(body)
    while pos < n:
        ch = body[pos]
        if ch.isspace():
            pos += 1
            continue
        m = _WORD.match(body, pos)
        if m is None:
            pos = _skip_stray(body, pos, diags, prefix)
            continue
        name = m.group(0).upper()
        pos = m.end()
        look = pos
        while look < n and body[look].isspace():
            look += 1
        if look < n and body[look] == "(":
            arg, pos = _read_argument(body, look, name, diags, prefix)
            opts.append(CicsOption(name, arg))
        else:
            opts.append(CicsOption(name))
    return opts


def _skip_stray(body: str, pos: int, diags: list[Diagnostic], prefix: str) -> int:
    """Report text that is not an option (a literal, punctuation, a nameless argument)."""
    ch = body[pos]
    if ch == "(":
        before = len(diags)
        _, end = _read_argument(body, pos, "a nameless argument", diags, prefix)
        if len(diags) > before:  # already reported as unbalanced or unterminated
            return end
        what = "argument without an option name"
    elif ch in "'\"":
        end = _skip_literal(body, pos)
        what = "literal"
    else:
        end = pos + 1
        while end < len(body) and not (
            body[end].isspace() or body[end] in "'\"(" or _WORD.match(body, end)
        ):
            end += 1
        what = "text"
    diags.append(
        _diag(_CODES[prefix]["SYNTAX"], Severity.WARNING,
              f"unexpected {what} {body[pos:end][:40]!r} outside an option argument")
    )  # fmt: skip
    return end


def _skip_literal(body: str, pos: int) -> int:
    """Index after the literal starting at ``pos`` (a doubled quote stays inside it)."""
    quote = body[pos]
    i = pos + 1
    while i < len(body):
        if body[i] == quote:
            if i + 1 < len(body) and body[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return len(body)


def _read_argument(
    body: str, start: int, name: str, diags: list[Diagnostic], prefix: str
) -> tuple[str, int]:
    depth = 0
    i = start
    while i < len(body):
        ch = body[i]
        if ch in "'\"":
            end = _skip_literal(body, i)
            if end == len(body) and (end - i < 2 or body[end - 1] != ch):
                diags.append(
                    _diag(_CODES[prefix]["QUOTE"], Severity.WARNING,
                          f"unterminated literal in the argument of {name}")
                )  # fmt: skip
                return _squash(body[start + 1 :]), len(body)
            i = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return _squash(body[start + 1 : i]), i + 1
        i += 1
    diags.append(
        _diag(_CODES[prefix]["PAREN"], Severity.WARNING,
              f"unbalanced parentheses in the argument of {name}")
    )  # fmt: skip
    return _squash(body[start + 1 :]), len(body)


# --------------------------------------------------------------------------- data references

_FIGURATIVE = {
    "SPACE", "SPACES", "ZERO", "ZEROS", "ZEROES", "LOW-VALUE", "LOW-VALUES", "HIGH-VALUE",
    "HIGH-VALUES", "QUOTE", "QUOTES", "NULL", "NULLS",
}  # fmt: skip
_REF_TOKEN = re.compile(r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|[A-Za-z0-9][A-Za-z0-9_-]*|\S")
_NUMERIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_QUALIFIERS = ("OF", "IN")


def unquote(arg: str) -> str | None:
    """The value of a quoted literal argument (``'ACCTSET'`` -> ``ACCTSET``), else None."""
    a = arg.strip()
    if len(a) >= 2 and a[0] in "'\"" and a[-1] == a[0]:
        return a[1:-1].replace(a[0] * 2, a[0])
    return None


def data_refs(arg: str | None) -> tuple[str | None, list[str]]:
    """The data item an argument names and the data items in its subscripts.

    Subscripts and reference modifications are stripped from the name; qualification is kept.

    >>> data_refs("WS-TAB OF WS-REC (WS-I, 2) (1:WS-LEN)")
    ('WS-TAB OF WS-REC', ['WS-I', 'WS-LEN'])
    >>> data_refs("'LITERAL'"), data_refs("LENGTH OF WS-AREA"), data_refs("ADDRESS OF LK-X")
    ((None, []), (None, []), ('LK-X', []))
    """
    if arg is None:
        return None, []
    toks = _REF_TOKEN.findall(arg)
    if not toks:
        return None, []
    ups = [t.upper() for t in toks]
    if ups[:2] == ["ADDRESS", "OF"]:
        toks, ups = toks[2:], ups[2:]
    if (
        not toks
        or ups[:2] == ["LENGTH", "OF"]
        or ups[0] in ("FUNCTION", "DFHRESP", "DFHVALUE")
        or not _is_name(toks[0])
        or (len(toks) == 1 and ups[0] in _FIGURATIVE)
    ):
        return None, []
    name: list[str] = []
    subs: list[str] = []
    depth = 0
    for i, (t, u) in enumerate(zip(toks, ups, strict=True)):
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0:
            if not name or u in _QUALIFIERS or ups[i - 1] in _QUALIFIERS:
                name.append(u if u in _QUALIFIERS else t)
            else:
                return None, []  # not a plain reference (an expression or text)
        elif _is_name(t) and u not in _QUALIFIERS and u != "ALL":
            if subs and i >= 2 and ups[i - 1] in _QUALIFIERS:
                subs[-1] += f" {ups[i - 1]} {t}"
            else:
                subs.append(t)
    return " ".join(name), subs


def _is_name(tok: str) -> bool:
    return (
        bool(_WORD.fullmatch(tok)) and not _NUMERIC.fullmatch(tok) and any(c.isalpha() for c in tok)
    )


def _value(arg: str | None) -> str | None:
    """A literal's value or the data name an argument holds."""
    if arg is None:
        return None
    lit = unquote(arg)
    return lit if lit is not None else data_refs(arg)[0] or arg


def _add(items: list[str], name: str | None) -> None:
    if name and name not in items:
        items.append(name)


# --------------------------------------------------------------------------- CICS

# first word -> the second words that complete it (None: any word, e.g. INQUIRE FILE)
_TWO_WORD: dict[str, set[str] | None] = {
    "SEND": {"MAP", "TEXT", "CONTROL", "PAGE", "PARTNSET"},
    "RECEIVE": {"MAP", "PARTN"},
    "HANDLE": {"CONDITION", "AID", "ABEND"},
    "IGNORE": {"CONDITION"},
    "PUSH": {"HANDLE"},
    "POP": {"HANDLE"},
    "WRITEQ": {"TS", "TD"},
    "READQ": {"TS", "TD"},
    "DELETEQ": {"TS", "TD"},
    "SYNCPOINT": {"ROLLBACK"},
    "PUT": {"CONTAINER"},
    "GET": {"CONTAINER"},
    "MOVE": {"CONTAINER"},
    "DELETE": {"CONTAINER"},
    "WRITE": {"OPERATOR", "JOURNALNAME", "JOURNALNUM"},
    "ADDRESS": {"SET"},
    "PURGE": {"MESSAGE"},
    "DUMP": {"TRANSACTION"},
    "ENTER": {"TRACENUM"},
    "BIF": {"DEEDIT", "DIGEST"},
    "VERIFY": {"PASSWORD", "TOKEN"},
    "CHANGE": {"PASSWORD", "PHRASE", "TASK"},
    "QUERY": {"SECURITY", "CHANNEL", "COUNTER", "DCOUNTER"},
    "SPOOLOPEN": {"INPUT", "OUTPUT"},
    "WAIT": {"EVENT", "EXTERNAL", "JOURNALNAME", "JOURNALNUM", "CONVID", "TERMINAL"},
    "SIGNAL": {"EVENT"},
    "FETCH": {"CHILD", "ANY"},
    "FREE": {"CHILD"},
    "RUN": {"TRANSID"},
    "STARTBROWSE": None,
    "GETNEXT": None,
    "ENDBROWSE": None,
    "INQUIRE": None,
    "SET": None,
    "CREATE": None,
    "DISCARD": None,
    "PERFORM": None,
    "COLLECT": None,
    "EXTRACT": None,
    "ISSUE": None,
    "WEB": None,
    "DOCUMENT": None,
    "TRANSFORM": None,
    "INVOKE": None,
    "SOAPFAULT": None,
    "WSACONTEXT": None,
    "WSAEPR": None,
    "CSD": None,
    "REQUEST": None,
}
# commands complete in one word (some also start a two-word command: SEND, DELETE, ...)
_ONE_WORD = {
    "LINK", "XCTL", "RETURN", "START", "RETRIEVE", "CANCEL", "READ", "READNEXT", "READPREV",
    "STARTBR", "RESETBR", "ENDBR", "WRITE", "REWRITE", "DELETE", "UNLOCK", "ASSIGN", "ASKTIME",
    "FORMATTIME", "SYNCPOINT", "SEND", "RECEIVE", "CONVERSE", "ABEND", "GETMAIN", "GETMAIN64",
    "FREEMAIN", "FREEMAIN64", "LOAD", "RELEASE", "ENQ", "DEQ", "ADDRESS", "DELAY", "POST",
    "SUSPEND", "SIGNON", "SIGNOFF", "ALLOCATE", "FREE", "CONNECT", "SPOOLREAD", "SPOOLWRITE",
    "SPOOLCLOSE", "WAIT", "ROUTE", "BUILD", "ACQUIRE", "DEFINE", "CHECK", "RESUME", "JOURNAL",
    "TRACE", "MONITOR", "DUMP", "GDS", "UPDATE", "REWIND", "POINT",
}  # fmt: skip

_LABEL_COMMANDS = {"HANDLE CONDITION", "IGNORE CONDITION", "HANDLE AID"}
_ALWAYS_WRITTEN = {"INTO", "SET", "RESP", "RESP2"}
_WRITTEN: dict[str, set[str]] = {
    "READ": {"LENGTH", "TOKEN"},
    "READNEXT": {"LENGTH", "RIDFLD", "TOKEN"},
    "READPREV": {"LENGTH", "RIDFLD", "TOKEN"},
    "READQ TS": {"LENGTH", "NUMITEMS"},
    "READQ TD": {"LENGTH"},
    "RECEIVE": {"LENGTH", "FLENGTH"},
    "RETRIEVE": {"LENGTH"},
    "LOAD": {"LENGTH", "FLENGTH", "ENTRY"},
    "GET CONTAINER": {"FLENGTH"},
    "ASKTIME": {"ABSTIME"},
    "CONVERSE": {"TOLENGTH", "TOFLENGTH"},
    "WEB RECEIVE": {"LENGTH"},
    "DOCUMENT CREATE": {"DOCTOKEN"},
    "DOCUMENT RETRIEVE": {"LENGTH"},
    "WRITEQ TS": {"NUMITEMS"},
    "DELETE": {"NUMREC"},
    "LINK": {"COMMAREA"},  # the linked program may change the commarea it is given
    "BIF DEEDIT": {"FIELD"},
    "SPOOLOPEN OUTPUT": {"TOKEN"},
    "SPOOLOPEN INPUT": {"TOKEN"},
    "SPOOLREAD": {"TOLENGTH"},
    "ENQ": set(),
}
# commands that only return values: every data argument is written (but these are read)
_ALL_WRITTEN = {"ASSIGN", "ADDRESS", "FORMATTIME"}
_INQUIRIES = {"INQUIRE", "EXTRACT", "COLLECT"}  # ... except the resource they ask about
_READ_IN_ALL_WRITTEN = {"ABSTIME", "DATESEP", "TIMESEP"}


@dataclass(slots=True, kw_only=True, eq=False)
class CicsCommand(Node):
    """One EXEC CICS command: its full name, its options in order, and what they name.

    ``command`` is the full command name (``SEND MAP``, ``READQ TS``, ``INQUIRE FILE``...). When
    the last word of the name takes an argument (``SEND MAP('M')``) it is also the first option.
    ``program``, ``transid``, ``map``, ``mapset``, ``file`` (FILE or DATASET) and ``queue``
    (QUEUE or QNAME) hold a literal's value unquoted, or the data name that holds the value;
    ``program_dynamic`` says it was a data name. ``reads``/``writes`` are the data items the
    command takes values from / stores into (subscripts stripped, qualification kept).
    """

    command: str
    options: list[CicsOption] = field(default_factory=list)
    program: str | None = None
    program_dynamic: bool = False
    transid: str | None = None
    map: str | None = None
    mapset: str | None = None
    file: str | None = None
    queue: str | None = None
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    conditions: list[tuple[str, str | None]] = field(default_factory=list)  # (condition, label)
    aid_keys: list[tuple[str, str | None]] = field(default_factory=list)  # (key, label)
    abend_label: str | None = None  # HANDLE ABEND LABEL(...)

    def option(self, name: str) -> str | None:
        """The argument of the first option called ``name`` (None if absent or bare)."""
        name = name.upper()
        return next((o.arg for o in self.options if o.name == name), None)

    def has(self, name: str) -> bool:
        name = name.upper()
        return any(o.name == name for o in self.options)

    def is_literal(self, name: str) -> bool:
        """Whether option ``name`` has a quoted literal argument."""
        arg = self.option(name)
        return arg is not None and unquote(arg) is not None

    @property
    def nohandle(self) -> bool:
        return self.has("NOHANDLE")

    @property
    def resp(self) -> str | None:
        return data_refs(self.option("RESP"))[0]

    @property
    def labels(self) -> list[str]:
        """Paragraphs control may pass to: HANDLE CONDITION/AID labels and HANDLE ABEND LABEL."""
        found = [label for _, label in self.conditions + self.aid_keys if label]
        if self.abend_label:
            found.append(self.abend_label)
        return found


def _command_name(opts: list[CicsOption], diags: list[Diagnostic]) -> tuple[str, list[CicsOption]]:
    """The command name and the options after it (a name word with an argument stays one)."""
    first = opts[0]
    second = opts[1] if len(opts) > 1 else None
    allowed = _TWO_WORD.get(first.name, set())
    if first.arg is None and second is not None and (allowed is None or second.name in allowed):
        rest = opts[1:] if second.arg is not None else opts[2:]
        return f"{first.name} {second.name}", rest
    if first.name not in _ONE_WORD:
        if first.name in _TWO_WORD:
            message = f"incomplete CICS command {first.name!r}"
        else:
            message = f"unknown CICS command {first.name!r}; options kept as written"
        diags.append(_diag(CICS_UNKNOWN, Severity.WARNING, message))
    return first.name, opts if first.arg is not None else opts[1:]


def build_cics(body: str) -> tuple[CicsCommand | None, list[Diagnostic]]:
    """Read one EXEC CICS command; never raises for bad input (diagnostics say why)."""
    diags: list[Diagnostic] = []
    opts = _read_options(body, diags, "CICS")
    if not opts:
        return None, diags
    name, rest = _command_name(opts, diags)
    cmd = CicsCommand(command=name, options=rest)
    program = cmd.option("PROGRAM")
    if program is not None:
        cmd.program = _value(program)
        cmd.program_dynamic = unquote(program) is None
    cmd.transid = _value(cmd.option("TRANSID"))
    cmd.map = _value(cmd.option("MAP"))
    cmd.mapset = _value(cmd.option("MAPSET"))
    cmd.file = _value(cmd.option("FILE") or cmd.option("DATASET"))
    cmd.queue = _value(cmd.option("QUEUE") or cmd.option("QNAME"))
    if name in ("HANDLE CONDITION", "IGNORE CONDITION"):
        cmd.conditions = [(o.name, o.arg or None) for o in rest]
    elif name == "HANDLE AID":
        cmd.aid_keys = [(o.name, o.arg or None) for o in rest]
    elif name == "HANDLE ABEND":
        cmd.abend_label = cmd.option("LABEL") or None
    _data_flow(cmd)
    return cmd, diags


def _data_flow(cmd: CicsCommand) -> None:
    name = cmd.command
    if name in _LABEL_COMMANDS:
        return
    words = name.split()
    written = _ALWAYS_WRITTEN | _WRITTEN.get(name, set())
    if name == "WRITEQ TS" and not cmd.has("REWRITE"):
        written = written | {"ITEM"}  # WRITEQ TS returns the item number it wrote
    all_written = name in _ALL_WRITTEN or words[0] in _INQUIRIES
    resource = words[1] if words[0] in _INQUIRIES and len(words) > 1 else None
    for opt in cmd.options:
        if name == "HANDLE ABEND" and opt.name == "LABEL":
            continue
        target, subs = data_refs(opt.arg)
        if opt.name in written or (
            all_written and opt.name not in _READ_IN_ALL_WRITTEN and opt.name != resource
        ):
            _add(cmd.writes, target)
            if name == "LINK" and opt.name == "COMMAREA":
                _add(cmd.reads, target)
        else:
            _add(cmd.reads, target)
        for s in subs:
            _add(cmd.reads, s)


# --------------------------------------------------------------------------- DL/I

_DLI_LONG = {
    ("GET", "UNIQUE"): "GU",
    ("GET", "NEXT", "IN", "PARENT"): "GNP",
    ("GET", "NEXT"): "GN",
    ("GET", "HOLD", "UNIQUE"): "GHU",
    ("GET", "HOLD", "NEXT", "IN", "PARENT"): "GHNP",
    ("GET", "HOLD", "NEXT"): "GHN",
    ("INSERT",): "ISRT",
    ("DELETE",): "DLET",
    ("REPLACE",): "REPL",
    ("SCHEDULE",): "SCHD",
    ("TERMINATE",): "TERM",
    ("CHECKPOINT",): "CHKP",
    ("SYMBOLIC", "CHECKPOINT"): "SYMCHKP",
    ("EXTENDED", "RESTART"): "XRST",
}
_DLI_SHORT = {
    "GU", "GN", "GNP", "GHU", "GHN", "GHNP", "ISRT", "DLET", "REPL", "SCHD", "TERM", "CHKP",
    "SYMCHKP", "XRST", "ROLL", "ROLB", "ROLS", "SETS", "SETU", "LOG", "STAT", "ACCEPT", "DEQ",
    "LOAD", "REFRESH", "QUERY", "RETRIEVE", "POS", "GMSG", "ICMD", "RCMD", "INQY",
}  # fmt: skip
_DLI_WRITTEN = {"INTO", "KEYFEEDBACK", "FEEDBACKLEN"}
_WHERE_SPLIT = re.compile(r"\s+(?:AND|OR)\s+|[&|,]", re.I)
_WHERE_OP = re.compile(r"(?:>=|<=|¬=|!=|=>|=<|=|>|<|\s(?:EQ|NE|GT|GE|LT|LE)\s)", re.I)


class DliSegment(NamedTuple):
    """One SEGMENT level of a DL/I call: name, WHERE text, INTO/FROM area, its other options."""

    name: str
    where: str | None = None
    area: str | None = None
    options: tuple[CicsOption, ...] = ()


@dataclass(slots=True, kw_only=True, eq=False)
class DliCall(Node):
    """One EXEC DLI command, its name in the short form (``GET UNIQUE`` is ``GU``).

    ``pcb`` is the PCB argument as written (a number or a data name); ``options`` are those
    before the first SEGMENT; ``reads``/``writes`` are data items as for CICS (WHERE values,
    FROM areas / INTO areas, KEYFEEDBACK).
    """

    command: str
    pcb: str | None = None
    psb: str | None = None
    segments: list[DliSegment] = field(default_factory=list)
    options: list[CicsOption] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)

    def option(self, name: str) -> str | None:
        name = name.upper()
        return next((o.arg for o in self.options if o.name == name), None)

    def has(self, name: str) -> bool:
        name = name.upper()
        return any(o.name == name for o in self.options)


def build_dli(body: str) -> tuple[DliCall | None, list[Diagnostic]]:
    """Read one EXEC DLI command; never raises for bad input (diagnostics say why)."""
    diags: list[Diagnostic] = []
    opts = _read_options(body, diags, "DLI")
    if not opts:
        return None, diags
    words = [o.name for o in opts]
    command, used = None, 0
    for long, short in _DLI_LONG.items():
        if (
            tuple(words[: len(long)]) == long
            and len(long) > used
            and opts[len(long) - 1].arg is None
        ):
            command, used = short, len(long)
    if command is None:
        command, used = words[0], 1
        if command not in _DLI_SHORT:
            diags.append(_diag(DLI_UNKNOWN, Severity.WARNING, f"unknown DL/I command {command!r}"))
    call = DliCall(command=command)
    current: list[CicsOption] | None = None
    seg_name: str | None = None
    for opt in opts[used:]:
        if opt.name == "SEGMENT":
            if seg_name is not None and current is not None:
                call.segments.append(_segment(seg_name, current))
            seg_name, current = _segment_name(opt.arg, call), []
        elif current is not None:
            current.append(opt)
        elif opt.name != "USING" or opt.arg is not None:  # USING PCB(n): USING is a noise word
            call.options.append(opt)
    if seg_name is not None and current is not None:
        call.segments.append(_segment(seg_name, current))
    call.pcb = call.option("PCB")
    psb = call.option("PSB")
    call.psb = _segment_name(psb, call) if psb is not None else None
    for opt in call.options:
        if opt.name != "PSB":
            _dli_flow(call, opt)
    for seg in call.segments:
        for opt in seg.options:
            _dli_flow(call, opt)
    return call, diags


def _segment_name(arg: str | None, call: DliCall) -> str:
    """A SEGMENT or PSB name: written bare or quoted, or ``((data-name))`` holding it."""
    if arg is None:
        return ""
    if arg.startswith("(") and arg.endswith(")"):  # SEGMENT((WS-SEG)): the name is in WS-SEG
        inner = arg[1:-1].strip()
        _add(call.reads, data_refs(inner)[0])
        return inner
    return unquote(arg) or arg


def _segment(name: str, opts: list[CicsOption]) -> DliSegment:
    where = next((o.arg for o in opts if o.name == "WHERE"), None)
    area = next((o.arg for o in opts if o.name in ("INTO", "FROM")), None)
    return DliSegment(name, where, area, tuple(opts))


def _dli_flow(call: DliCall, opt: CicsOption) -> None:
    if opt.name == "WHERE" and opt.arg:
        for part in _WHERE_SPLIT.split(opt.arg):
            pieces = _WHERE_OP.split(part, maxsplit=1)
            if len(pieces) == 2:
                _add(call.reads, data_refs(pieces[1].strip().lstrip(":"))[0])
        return
    target, subs = data_refs(opt.arg)
    if opt.name in _DLI_WRITTEN or (opt.name == "ID" and call.command == "XRST"):
        _add(call.writes, target)
    else:
        _add(call.reads, target)
    for s in subs:
        _add(call.reads, s)
