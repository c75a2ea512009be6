"""CICS resource definitions as DFHCSDUP input: transactions, programs, mapsets, files, lists.

A DFHCSDUP input stream holds commands (``DEFINE TRANSACTION(CSMN) GROUP(CARDSYS)
PROGRAM(CSMENU)``, ``ADD GROUP(CARDSYS) LIST(CARDLIST)``...) in columns 1-72, a ``*`` in column 1
making a comment line. A command goes on over the following lines until a line starts with the
next command; a value in parentheses may hold blanks and nested parentheses. Commands, resource
types and the attributes used here may be abbreviated as DFHCSDUP allows (``DEF TRANS(...)
PROG(...)``). DEFINE without GROUP takes the group of the previous DEFINE, as DFHCSDUP does;
defining a resource again in the same group fails in DFHCSDUP, so the first definition is kept.
DELETE and REMOVE take definitions and groups out again.

Diagnostic codes:

======  ========  ===========================================================================
code    severity  meaning
======  ========  ===========================================================================
CSD001  error     malformed command: parentheses do not pair up, DEFINE without a resource
CSD002  warning   DEFINE without GROUP and no earlier group to take
CSD003  warning   unknown command; ignored
CSD004  warning   resource defined twice in the same group; the first definition is kept
======  ========  ===========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cobolspec.diagnostics import Diagnostic, Location, Severity

__all__ = [
    "CsdCommand",
    "CsdDefinition",
    "CsdFile",
    "Transaction",
    "looks_like_csd",
    "parse_csd",
    "store_rows",
]

MALFORMED = "CSD001"
NO_GROUP = "CSD002"
UNKNOWN_COMMAND = "CSD003"
DUPLICATE = "CSD004"

_FIELD_END = 72
_VERBS = (
    "ADD", "ALTER", "APPEND", "CHECK", "COPY", "DEFINE", "DELETE", "EXTRACT", "INITIALIZE",
    "LIST", "MIGRATE", "PROCESS", "REMOVE", "SCAN", "SERVICE", "UPGRADE", "USERDEFINE", "VERIFY",
)  # fmt: skip
_RESOURCES = (
    "ATOMSERVICE", "BUNDLE", "CONNECTION", "CORBASERVER", "DB2CONN", "DB2ENTRY", "DB2TRAN",
    "DJAR", "DOCTEMPLATE", "ENQMODEL", "EPADAPTER", "EVENTBINDING", "FILE", "IPCONN",
    "JOURNALMODEL", "JVMSERVER", "LIBRARY", "LSRPOOL", "MAPSET", "MQCONN", "MQMONITOR",
    "PARTITIONSET", "PARTNER", "PIPELINE", "PROCESSTYPE", "PROFILE", "PROGRAM", "REQUESTMODEL",
    "SESSIONS", "TCPIPSERVICE", "TDQUEUE", "TERMINAL", "TRANCLASS", "TRANSACTION", "TSMODEL",
    "TYPETERM", "URIMAP", "WEBSERVICE",
)  # fmt: skip
_ATTRIBUTES = ("GROUP", "LIST", "PROGRAM", "DSNAME", "DESCRIPTION", "TRANSID", "TO")
_WORD = re.compile(r"[^\s(),]+")
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)")
_COMMAND_HEAD = re.compile(r"\s*[A-Za-z]+\s+[A-Za-z0-9]+\s*\(")


def _canonical(word: str, known: tuple[str, ...], shortest: int) -> str:
    """A keyword written in full or abbreviated (at least ``shortest`` letters, unambiguous)."""
    word = word.upper()
    if word in known or len(word) < shortest:
        return word
    found = [k for k in known if k.startswith(word)]
    return found[0] if len(found) == 1 else word


@dataclass(slots=True)
class CsdCommand:
    """A DFHCSDUP command: verb and operands (keyword → value, None for a bare keyword)."""

    verb: str
    operands: list[tuple[str, str | None]]
    location: Location

    def get(self, keyword: str) -> str | None:
        return next((v for k, v in self.operands if k == keyword), None)


@dataclass(slots=True)
class CsdDefinition:
    """``DEFINE type(name) GROUP(group) attribute(value)...``."""

    type: str
    name: str
    group: str | None
    attributes: dict[str, str]
    location: Location


@dataclass(frozen=True, slots=True)
class Transaction:
    """A CICS transaction and the program it starts."""

    transid: str
    program: str | None
    group: str | None
    location: Location


@dataclass(slots=True)
class CsdFile:
    """Everything a DFHCSDUP input member defines, in order."""

    file: str
    commands: list[CsdCommand] = field(default_factory=list)
    definitions: list[CsdDefinition] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of_type(self, kind: str) -> list[CsdDefinition]:
        return [d for d in self.definitions if d.type == kind]

    @property
    def groups(self) -> list[str]:
        """Groups defined into, in order of first use."""
        return list(dict.fromkeys(d.group for d in self.definitions if d.group))

    @property
    def transactions(self) -> list[Transaction]:
        return [
            Transaction(d.name, d.attributes.get("PROGRAM"), d.group, d.location)
            for d in self.of_type("TRANSACTION")
        ]

    @property
    def programs(self) -> list[str]:
        return [d.name for d in self.of_type("PROGRAM")]

    @property
    def mapsets(self) -> list[str]:
        return [d.name for d in self.of_type("MAPSET")]

    @property
    def files(self) -> dict[str, str | None]:
        """CICS file name → the dataset (DSNAME) it opens."""
        return {d.name: d.attributes.get("DSNAME") for d in self.of_type("FILE")}


def _split_commands(text: str, file: str, first_line: int) -> list[tuple[int, str, str]]:
    """(line, first physical line, joined text) of each command."""
    out: list[list[object]] = []
    depth = 0
    for i, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")[:_FIELD_END]
        if not line.strip() or line.startswith("*"):
            continue
        m = _FIRST_WORD.match(line)
        verb = (
            m is not None
            and _canonical(m.group(1), _VERBS, 3) in _VERBS
            and line[m.end() : m.end() + 1] in ("", " ")
        )
        # inside an open parenthesis only ``VERB KEYWORD(`` starts a command (a value left open
        # by mistake must not swallow the rest of the member); an unknown ``WORD KEYWORD(`` in
        # column 1 is a command too, to be reported
        head = bool(_COMMAND_HEAD.match(line))
        starts = (verb and (depth <= 0 or head)) or (depth <= 0 and head and line[0] != " ")
        if starts or not out:
            out.append([first_line + i, raw, line.strip()])
            depth = 0
        else:
            out[-1][2] = f"{out[-1][2]} {line.strip()}"
        depth += line.count("(") - line.count(")")
    return [(int(str(a)), str(b), str(c)) for a, b, c in out]


def _operands(text: str) -> tuple[list[tuple[str, str | None]], bool]:
    """``KEY(value) KEY2 ...`` → pairs; False if the parentheses do not pair up."""
    out: list[tuple[str, str | None]] = []
    i = 0
    n = len(text)
    while i < n:
        if text[i] in " ,":
            i += 1
            continue
        m = _WORD.match(text, i)
        if m is None:  # a stray parenthesis
            return out, False
        word = m.group(0).upper()
        i = m.end()
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == "(":
            depth = 0
            quoted = False
            start = i + 1
            while i < n:
                c = text[i]
                if c == "'":
                    quoted = not quoted
                elif not quoted and c == "(":
                    depth += 1
                elif not quoted and c == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if i >= n:
                out.append((word, text[start:].strip()))
                return out, False
            out.append((word, text[start:i].strip()))
            i += 1
        else:
            out.append((word, None))
    return out, True


def looks_like_csd(text: str) -> bool:
    """Whether a member is DFHCSDUP input: it starts with a command and defines or adds.

    >>> looks_like_csd("* CICS RESOURCES\\nDEFINE TRANSACTION(AB01) GROUP(G) PROGRAM(P)\\n")
    True
    >>> looks_like_csd("//JOB1 JOB 1\\n//S1 EXEC PGM=DFHCSDUP\\n")
    False
    """
    for raw in text.split("\n"):
        line = raw[:_FIELD_END]
        if not line.strip() or line.startswith("*"):
            continue
        m = _FIRST_WORD.match(line)
        if m is None or _canonical(m.group(1), _VERBS, 3) not in _VERBS:
            return False
        break
    else:
        return False
    return bool(re.search(r"^\s*(DEF\w*\s+\w+\s*\(|ADD\s+GROUP\s*\()", text, re.I | re.M))


def parse_csd(text: str, file: str, *, first_line: int = 1) -> CsdFile:
    """A DFHCSDUP input member → :class:`CsdFile`.

    >>> csd = parse_csd('''DEFINE TRANSACTION(AB01) GROUP(ABC) PROGRAM(ABPGM1)
    ... DEF PROG(ABPGM1) G(ABC) LANGUAGE(COBOL)
    ... DEFINE FILE(CUSTF) GROUP(ABC)
    ...        DSNAME(PROD.CUSTOMER.KSDS)
    ... ADD GROUP(ABC) LIST(ABCLIST)
    ... ''', "ABC.csd")
    >>> [(t.transid, t.program) for t in csd.transactions], csd.programs, csd.files, csd.lists
    ([('AB01', 'ABPGM1')], ['ABPGM1'], {'CUSTF': 'PROD.CUSTOMER.KSDS'}, {'ABCLIST': ['ABC']})
    """
    csd = CsdFile(file)
    diags = csd.diagnostics
    group: str | None = None
    seen: set[tuple[str, str, str | None]] = set()
    for line, raw, command in _split_commands(text, file, first_line):
        loc = Location(file, line, 1)
        first = _FIRST_WORD.match(command)
        verb = _canonical(first.group(1), _VERBS, 3) if first else ""
        operands, balanced = _operands(command[first.end() :] if first else command)
        if not balanced:
            diags.append(
                Diagnostic(
                    MALFORMED, Severity.ERROR, f"{verb}: parentheses do not pair up", loc, raw
                )
            )
        resource = None
        if verb in ("DEFINE", "DELETE", "ALTER"):
            resource = _resource(operands)
        operands = [
            (_canonical(k, _RESOURCES, 4), v) if (k, v) == resource else (_attribute(k), v)
            for k, v in operands
        ]
        cmd = CsdCommand(verb, operands, loc)
        if verb not in _VERBS:
            diags.append(
                Diagnostic(
                    UNKNOWN_COMMAND, Severity.WARNING, f"unknown command {verb}; ignored", loc, raw
                )
            )
            continue
        csd.commands.append(cmd)
        if verb == "DEFINE":
            if resource is None or not resource[1]:
                diags.append(
                    Diagnostic(MALFORMED, Severity.ERROR, "DEFINE names no resource", loc, raw)
                )
                continue
            kind = _canonical(resource[0], _RESOURCES, 4)
            name = str(resource[1]).upper()
            group = (cmd.get("GROUP") or "").upper() or group
            if group is None:
                diags.append(
                    Diagnostic(
                        NO_GROUP,
                        Severity.WARNING,
                        f"DEFINE {kind}({name}) without GROUP and no earlier group",
                        loc,
                        raw,
                    )
                )
            if (kind, name, group) in seen:
                diags.append(
                    Diagnostic(
                        DUPLICATE,
                        Severity.WARNING,
                        f"{kind}({name}) already defined in group {group}; first one kept",
                        loc,
                        raw,
                    )
                )
                continue
            seen.add((kind, name, group))
            attributes = {
                k: v.upper() if k != "DESCRIPTION" else v
                for k, v in operands
                if v is not None and k not in ("GROUP", kind)
            }
            csd.definitions.append(CsdDefinition(kind, name, group, attributes, loc))
        elif verb == "ADD" and cmd.get("GROUP") and cmd.get("LIST"):
            members = csd.lists.setdefault(str(cmd.get("LIST")).upper(), [])
            members.append(str(cmd.get("GROUP")).upper())
        elif verb == "REMOVE" and cmd.get("GROUP") and cmd.get("LIST"):
            members = csd.lists.get(str(cmd.get("LIST")).upper(), [])
            if str(cmd.get("GROUP")).upper() in members:
                members.remove(str(cmd.get("GROUP")).upper())
        elif verb == "DELETE":
            _delete(csd, resource, (cmd.get("GROUP") or "").upper() or None)
    return csd


def _attribute(word: str) -> str:
    return _canonical(word, _ATTRIBUTES, 1 if word == "G" else 4)


def _resource(operands: list[tuple[str, str | None]]) -> tuple[str, str | None] | None:
    """The ``type(name)`` operand of DEFINE/DELETE/ALTER: a known type, else the first one
    with a value that is not GROUP, LIST or DESCRIPTION."""
    valued = [(k, v) for k, v in operands if v]
    known = [(k, v) for k, v in valued if _canonical(k, _RESOURCES, 4) in _RESOURCES]
    others = [(k, v) for k, v in valued if _attribute(k) not in ("GROUP", "LIST", "DESCRIPTION")]
    found = known or others
    return found[0] if found else None


def _delete(csd: CsdFile, resource: tuple[str, str | None] | None, group: str | None) -> None:
    if resource is None:  # DELETE GROUP(x): the whole group
        csd.definitions = [d for d in csd.definitions if d.group != group]
        return
    kind, name = _canonical(resource[0], _RESOURCES, 4), str(resource[1]).upper()
    csd.definitions = [
        d for d in csd.definitions if not (d.type == kind and d.name == name and d.group == group)
    ]


def store_rows(csd: CsdFile) -> dict[str, list[dict[str, object]]]:
    """``datasets`` rows: the datasets CICS FILE definitions open (no member, run_id)."""
    rows: list[dict[str, object]] = []
    for d in csd.of_type("FILE"):
        dsn = d.attributes.get("DSNAME")
        if dsn:
            rows.append(
                {"dataset": dsn, "kind": None, "file": d.location.file, "line": d.location.line}
            )
    return {"datasets": rows}
