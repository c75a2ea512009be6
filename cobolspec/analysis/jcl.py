"""JCL: jobs, steps, programs, DD statements and datasets, with PROCs expanded.

Reads IBM z/OS JCL as the MVS JCL Reference defines it. A statement is ``//name operation
operands comments`` in columns 1-71 (column 72 marks a continued comment, 73-80 are a sequence
number); an operand field ending with a comma continues on the next ``//`` line, an apostrophe
string open at column 71 continues in column 16. ``//*`` lines are comments, ``/*`` ends in-stream
data (or is a JES2 control statement), ``//`` alone ends the job. Statements read: JOB, EXEC
(PGM= or a PROC, with COND, PARM, REGION, TIME..., ``PARM.step=`` forms and symbol values),
DD (DSN, DISP, SYSOUT, DUMMY, PATH, ``*``/DATA in-stream data up to ``/*``, DLM= or the next
statement, concatenations, referbacks ``*.STEP.DD``), SET, JCLLIB, PROC/PEND (in-stream and
cataloged), INCLUDE, IF/THEN/ELSE/ENDIF (steps keep the condition text) and OUTPUT.

PROC expansion follows the reference: symbols take the EXEC value, else the PROC statement
default, else a SET value (or the calling PROC's value, for nested PROCs); ``&SYM.`` ends a
symbol with a period, ``&&NAME`` is a temporary dataset and stays as written, apostrophes around
a value are not part of it; symbols inside apostrophes are replaced only on PARM, PATH, ACCT, AMP
and SUBSYS. ``//STEP.DD DD`` statements after the EXEC override the PROC step's DD (parameter by
parameter, a null value removes one, an in-stream or DSN/SYSOUT/PATH source replaces the other
sources) or, when the PROC step has no such DD, are added to it; an unqualified one goes to the
step named last, else the first. COND/REGION/TIME on the calling EXEC apply to every PROC step,
PARM to the first (the others lose theirs); ``KEY.step=`` to that step. Cataloged PROCs and
INCLUDE members are looked up by member name in the ``procs`` mapping; JCLLIB ORDER is recorded.

Every step and DD keeps its physical location (the PROC member's file and line for PROC text,
the override statement's for an override). Steps of IDCAMS, SORT and the TSO terminal monitor
(IKJEFT01) also get what their in-stream control statements say: IDCAMS commands, the SORT
control text, and the DB2 program, plan and subsystem of ``DSN SYSTEM() / RUN PROGRAM()``.

Rows for the store: :func:`store_rows` gives ``jcl_jobs``, ``jcl_steps`` (one per executed step:
``step`` is the job step, ``proc``/``proc_step`` the PROC and its step, ``runs_program`` the
program an IKJEFT01 step runs), ``jcl_dds`` (one per DD and per concatenated dataset; ``step`` is
the job step, or ``STEP.PROCSTEP`` for a PROC step as JCL itself names it in COND and referbacks;
``''`` for JOBLIB/JOBCAT; ``dataset`` is the DSN, or the path of a z/OS UNIX file) and ``datasets``
(one per dataset name without a member or generation: ``kind`` ``temporary``, ``gdg``, ``vsam``,
``pds``, ``path`` or NULL).

Diagnostic codes (every finding has the physical file, line and column):

======  ========  ===========================================================================
code    severity  meaning
======  ========  ===========================================================================
JCL001  error     PROC not found in the library or in-stream; the step is kept unexpanded
JCL002  warning   symbol with no value (no SET, PROC default or EXEC value); left as written
JCL003  error     malformed statement (no operation, unbalanced apostrophes or parentheses,
                  EXEC with neither PGM= nor a PROC name)
JCL004  error     continuation expected but the next line does not continue the statement
                  (truncated?); the statement ends there
JCL005  warning   in-stream data (DD DATA or DLM=) not closed before the end of the member
JCL006  warning   override or EXEC parameter names a step the PROC does not have
JCL007  error     PROC calls or INCLUDEs nested too deep or recursively; not expanded
JCL008  error     INCLUDE member not found
JCL009  warning   statement out of place (DD before any EXEC, ELSE/ENDIF without IF, IF not
                  closed, PEND outside a PROC, statements after the null statement)
JCL010  info      data lines without a DD statement: ``//SYSIN DD *`` assumed
JCL011  warning   unknown operation; the statement is ignored
JCL012  warning   no JOB statement, or more than one job in the member (read with
                  :func:`parse_jcl_stream`)
JCL013  warning   referback ``*.STEP.DD`` to no earlier DD with a dataset name
JCL014  warning   utility control statements not understood (unbalanced parentheses)
======  ========  ===========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Protocol

from cobolspec.diagnostics import Diagnostic, Location, Severity

__all__ = [
    "Dataset",
    "DatasetUse",
    "Disp",
    "ExecutedStep",
    "IdcamsCommand",
    "JclDD",
    "JclJob",
    "JclProc",
    "JclStep",
    "Operand",
    "ProcSource",
    "ProcStepInfo",
    "parse_disp",
    "parse_idcams",
    "parse_jcl",
    "parse_jcl_stream",
    "proc_library",
    "read_proc",
    "store_rows",
]

PROC_NOT_FOUND = "JCL001"
UNRESOLVED_SYMBOL = "JCL002"
MALFORMED = "JCL003"
BROKEN_CONTINUATION = "JCL004"
UNCLOSED_DATA = "JCL005"
BAD_OVERRIDE = "JCL006"
NESTING = "JCL007"
INCLUDE_NOT_FOUND = "JCL008"
OUT_OF_PLACE = "JCL009"
IMPLICIT_SYSIN = "JCL010"
UNKNOWN_STATEMENT = "JCL011"
JOB_STRUCTURE = "JCL012"
BAD_REFERBACK = "JCL013"
BAD_CONTROL = "JCL014"

_FIELD_END = 71  # columns 72-80: continuation mark and sequence number
_MAX_NESTING = 15  # PROC nesting limit of z/OS
_NAME = re.compile(r"[A-Z@#$][A-Z0-9@#$]{0,7}(?:\.[A-Z@#$][A-Z0-9@#$]{0,7}){0,2}")
_OPERATION = re.compile(r"\s*(\S+)")
_KEYWORD = re.compile(r"([A-Za-z@#$][A-Za-z0-9@#$]*(?:\.[A-Za-z@#$][A-Za-z0-9@#$]*)*)=")
_SYMBOL = re.compile(r"&([A-Za-z@#$][A-Za-z0-9@#$]*)(\.?)")
_SYMBOL_USE = re.compile(r"(?<!&)&([A-Za-z@#$][A-Za-z0-9@#$]*)")
_THEN = re.compile(r"\bTHEN\b", re.I)
_GENERATION = re.compile(r"\(([+-]?\d+)\)$")
_TEMPORARY = re.compile(r"&&?[A-Za-z@#$][A-Za-z0-9@#$]*(?:\([^)]*\))?$")
_MEMBER = re.compile(r"\(([A-Za-z@#$][A-Za-z0-9@#$]{0,7})\)$")
_NO_OPERANDS = frozenset({"PEND", "ENDIF", "ELSE", "ENDCNTL"})
_STEP_STATEMENTS = frozenset({"DD", "OUTPUT", "CNTL", "ENDCNTL"})
# statements read without effect on steps and datasets
_IGNORED = frozenset({"COMMAND", "EXPORT", "SCHEDULE", "XMIT", "JOBGROUP", "ENDGROUP", "GJOB"})
# EXEC keyword parameters; any other keyword on an EXEC calling a PROC assigns a symbol
_EXEC_PARAMS = frozenset(
    {
        "ACCT", "ADDRSPC", "CCSID", "COND", "DPRTY", "DYNAMNBR", "MEMLIMIT", "PARM", "PARMDD",
        "PERFORM", "RD", "REGION", "REGIONX", "RLSTMOUT", "TIME", "TVSAMCOM", "TVSMSG",
    }
)  # fmt: skip
# keywords whose apostrophe strings still have their symbols replaced
_QUOTED_SYMBOLS = frozenset({"PARM", "PATH", "ACCT", "AMP", "SUBSYS"})
# system symbols the system resolves at run time (static, dynamic and &SYSUID)
_SYSTEM_SYMBOLS = frozenset(
    {
        "SYSUID", "SYSNAME", "SYSPLEX", "SYSCLONE", "SYSALVL", "SYSOSLVL", "SYSR1", "SYSSMFID",
        "SYSSYM", "SYSJOBNM", "SYSJOBID", "SYSSTEP", "YYMMDD", "HHMMSS", "DAY", "HR", "JDAY",
        "MIN", "MON", "SEC", "SEQ", "WDAY", "YR2", "YR4", "LYYMMDD", "LHHMMSS", "LDAY", "LHR",
        "LJDAY", "LMIN", "LMON", "LSEC", "LWDAY", "LYR2", "LYR4",
    }
)  # fmt: skip
_SOURCES = ("DSN", "SYSOUT", "PATH", "SUBSYS")
_PATH_KEYS = ("PATHOPTS", "PATHDISP", "PATHMODE", "FILEDATA")
# what an in-stream override keeps of the DD it replaces: record format only
_KEPT_FOR_INSTREAM = frozenset({"DCB", "LRECL", "RECFM", "BLKSIZE", "BUFNO", "DLM", "SYMBOLS"})
_SORT_PROGRAMS = frozenset({"SORT", "ICEMAN", "DFSORT", "SYNCSORT"})
_TSO_PROGRAMS = frozenset({"IKJEFT01", "IKJEFT1A", "IKJEFT1B"})


# --------------------------------------------------------------------------- public model


@dataclass(frozen=True, slots=True)
class ProcSource:
    """The text of a cataloged PROC or INCLUDE member and where it lies (for locations)."""

    text: str
    file: str
    first_line: int = 1


class _MemberLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def first_line(self) -> int: ...


def proc_library(members: Iterable[_MemberLike]) -> dict[str, ProcSource]:
    """PROC (and INCLUDE) members by name, the first of a name winning, as a PROCLIB lookup.

    Pass the inventory's PROC members (``Inventory.by_kind(MemberKind.PROC)``), including those
    split out of an IEBUPDTE file, and any INCLUDE members.
    """
    library: dict[str, ProcSource] = {}
    for m in members:
        library.setdefault(m.name.upper(), ProcSource(m.text, m.file, m.first_line))
    return library


@dataclass(frozen=True, slots=True)
class Disp:
    """A DISP with its defaults applied: status, normal and abnormal termination disposition."""

    status: str
    normal: str
    abnormal: str

    @property
    def access(self) -> str:
        """What the step may do: ``create`` (NEW), ``shared`` (SHR), ``exclusive`` (OLD),
        ``extend`` (MOD)."""
        return {"NEW": "create", "SHR": "shared", "OLD": "exclusive", "MOD": "extend"}.get(
            self.status, self.status.lower()
        )


def parse_disp(value: str | None) -> Disp | None:
    """``DISP=`` as written → :class:`Disp` with the reference's defaults; None if not coded.

    >>> parse_disp("SHR")
    Disp(status='SHR', normal='KEEP', abnormal='KEEP')
    >>> parse_disp("(NEW,CATLG)")
    Disp(status='NEW', normal='CATLG', abnormal='CATLG')
    >>> parse_disp("(,PASS)")
    Disp(status='NEW', normal='PASS', abnormal='DELETE')
    >>> parse_disp("(OLD,PASS)").abnormal
    'KEEP'
    """
    if value is None or not value.strip():
        return None
    parts = _subparams(value)
    status = (parts[0] if parts else "").upper() or "NEW"
    existing = status != "NEW"
    normal = (parts[1] if len(parts) > 1 else "").upper() or ("KEEP" if existing else "DELETE")
    abnormal = (parts[2] if len(parts) > 2 else "").upper()
    if not abnormal:
        abnormal = ("KEEP" if existing else "DELETE") if normal == "PASS" else normal
    return Disp(status, normal, abnormal)


@dataclass(slots=True)
class JclDD:
    """One DD statement (after symbol substitution and overrides).

    ``origin`` says where it came from: ``job`` (coded in the job), ``proc`` (from the PROC as it
    stands), ``override`` (a PROC DD changed by a ``//STEP.DD`` statement; ``overridden`` is the
    PROC DD's location), ``added`` (a ``//STEP.DD`` the PROC step lacked) or ``unapplied`` (meant
    for a PROC that could not be expanded). ``concatenation`` holds the unnamed DDs after it.
    """

    name: str
    location: Location
    origin: str
    positional: list[str] = field(default_factory=list)
    keywords: dict[str, str] = field(default_factory=dict)
    data: list[str] | None = None
    data_location: Location | None = None
    concatenation: list[JclDD] = field(default_factory=list)
    overridden: Location | None = None
    qualifier: str | None = None
    referred_dsn: str | None = None

    @property
    def dsn(self) -> str | None:
        """The dataset name after substitution (a referback's target name when it resolved)."""
        value = self.keywords.get("DSN")
        if value is not None and value.startswith("*."):
            return self.referred_dsn
        return _unquote(value) if value else None

    @property
    def referback(self) -> str | None:
        value = self.keywords.get("DSN")
        return value if value is not None and value.startswith("*.") else None

    @property
    def disp(self) -> str | None:
        """DISP as written (after substitution)."""
        return self.keywords.get("DISP") or None

    @property
    def disposition(self) -> Disp | None:
        """DISP with defaults; ``(NEW,DELETE,DELETE)`` for a dataset coded without DISP."""
        parsed = parse_disp(self.disp)
        if parsed is None and self.dsn and not self.dummy:
            return Disp("NEW", "DELETE", "DELETE")
        return parsed

    @property
    def sysout(self) -> str | None:
        return self.keywords.get("SYSOUT") or None

    @property
    def path(self) -> str | None:
        value = self.keywords.get("PATH")
        return _unquote(value) if value else None

    @property
    def instream(self) -> bool:
        return bool(self.positional) and self.positional[0] in ("*", "DATA")

    @property
    def dummy(self) -> bool:
        return "DUMMY" in self.positional or (self.keywords.get("DSN", "").upper() == "NULLFILE")

    @property
    def temporary(self) -> bool:
        """``&&NAME`` (or ``&NAME`` with no symbol of that name): a dataset for this job only."""
        return bool(self.dsn) and bool(_TEMPORARY.match(str(self.dsn)))

    @property
    def dataset(self) -> str | None:
        """The dataset name without a member or relative generation (``A.B(+1)`` → ``A.B``)."""
        return _base_name(self.dsn) if self.dsn else None

    def parts(self) -> list[JclDD]:
        """This DD and the datasets concatenated to it, in order."""
        return [self, *self.concatenation]


@dataclass(frozen=True, slots=True)
class Operand:
    """An operand of a utility command: a word and its parenthesised sub-operands, if any."""

    word: str
    sub: tuple[Operand, ...] | None = None

    def find(self, *words: str) -> Operand | None:
        """The first sub-operand that is one of ``words``."""
        return next((o for o in self.sub or () if o.word in words), None)

    @property
    def values(self) -> list[str]:
        return [o.word for o in self.sub or ()]


@dataclass(frozen=True, slots=True)
class IdcamsCommand:
    """One IDCAMS command (``DEFINE CLUSTER (NAME(...) ...) DATA (...)``, ``REPRO ...``)."""

    verb: str
    operands: tuple[Operand, ...]
    location: Location

    def find(self, *words: str) -> Operand | None:
        return next((o for o in self.operands if o.word in words), None)


@dataclass(slots=True)
class JclStep:
    """An EXEC statement: a program step, or a PROC call whose expansion is in ``steps``.

    ``in_proc`` is the PROC the EXEC statement belongs to (None in the job itself);
    ``conditions`` the enclosing IF conditions (``NOT (...)`` in an ELSE branch), the calling
    steps' first; ``overrides`` the EXEC parameters a calling EXEC imposed (COND, PARM...,
    ``''`` for nullified); ``symbols`` the symbol values a called PROC runs with.
    """

    name: str | None
    location: Location
    program: str | None = None
    proc: str | None = None
    in_proc: str | None = None
    expanded: bool = False
    keywords: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    conditions: tuple[str, ...] = ()
    symbols: dict[str, str] = field(default_factory=dict)
    dds: list[JclDD] = field(default_factory=list)
    steps: list[JclStep] = field(default_factory=list)
    idcams: list[IdcamsCommand] = field(default_factory=list)
    sort_control: str | None = None
    runs_program: str | None = None
    plan: str | None = None
    db2_system: str | None = None

    @property
    def cond(self) -> str | None:
        """COND as coded on this EXEC statement."""
        return self.keywords.get("COND") or None

    @property
    def parm(self) -> str | None:
        return _unquote(self.keywords["PARM"]) if self.keywords.get("PARM") else None

    def effective(self, key: str) -> str | None:
        """An EXEC parameter as the step runs with it (a calling EXEC's value wins)."""
        value = self.overrides.get(key, self.keywords.get(key))
        return value or None

    @property
    def effective_cond(self) -> str | None:
        return self.effective("COND")

    def dd(self, name: str) -> JclDD | None:
        """The step's DD of that name (the last one, as the system would allocate)."""
        found = [d for d in self.dds if d.name == name.upper()]
        return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class ExecutedStep:
    """A step that runs: a job step's program, or one step of the PROCs it calls."""

    seq: int
    job_step: JclStep
    step: JclStep
    proc_step: str | None

    @property
    def proc(self) -> str | None:
        return self.step.in_proc if self.proc_step else self.job_step.proc

    @property
    def qualified(self) -> str:
        """``STEP`` or ``STEP.PROCSTEP``: the step's name as COND and referbacks write it."""
        base = self.job_step.name or ""
        return f"{base}.{self.proc_step}" if self.proc_step else base


@dataclass(slots=True)
class DatasetUse:
    """One use of a dataset: the step, DD, and the action: what the DISP says (``create``,
    ``shared``, ``exclusive``, ``extend``), ``path`` for a z/OS UNIX file, ``dummy`` for a DUMMY
    DD that names it, or the utility command's (``define``, ``delete``, ``read``, ``write``)."""

    step: str
    dd: str | None
    action: str
    disp: Disp | None
    location: Location


@dataclass(slots=True)
class Dataset:
    """A dataset the job names, under its name without member or generation."""

    name: str
    kind: str | None
    location: Location
    uses: list[DatasetUse] = field(default_factory=list)


@dataclass(slots=True)
class JclJob:
    """A job with its PROCs expanded; ``diagnostics`` holds every finding made reading it.

    ``library_members`` names every PROC and INCLUDE member the job looked up in the library
    (nested ones too, found or not): what its results depend on.
    """

    name: str
    location: Location
    positional: list[str] = field(default_factory=list)
    keywords: dict[str, str] = field(default_factory=dict)
    set: list[tuple[str, str]] = field(default_factory=list)
    symbols: dict[str, str] = field(default_factory=dict)
    jcllib: list[str] = field(default_factory=list)
    dds: list[JclDD] = field(default_factory=list)
    steps: list[JclStep] = field(default_factory=list)
    instream_procs: list[str] = field(default_factory=list)
    library_members: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def executed_steps(self) -> list[ExecutedStep]:
        """Every step that runs, in order, numbered from 1 (a PROC not found counts as one)."""
        out: list[ExecutedStep] = []
        for top in self.steps:
            for path, leaf in _leaves(top, ()):
                out.append(ExecutedStep(len(out) + 1, top, leaf, ".".join(path) or None))
        return out

    def datasets(self) -> list[Dataset]:
        """Every dataset (and z/OS UNIX file) named, with each step's use, first-named first."""
        found: dict[str, Dataset] = {}
        kinds: dict[str, set[str]] = {}

        def use(name: str, loc: Location, u: DatasetUse | None, kind: str | None) -> None:
            ds = found.get(name)
            if ds is None:
                ds = found[name] = Dataset(name, None, loc)
                kinds[name] = set()
            if u is not None:
                ds.uses.append(u)
            if kind:
                kinds[name].add(kind)

        for dd in self.dds:
            for part in dd.parts():
                if part.dataset:
                    use(part.dataset, part.location, None, _dsn_kind(part))
        for ex in self.executed_steps():
            for dd in ex.step.dds:
                for part in dd.parts():
                    name = part.dataset or part.path
                    if not name:
                        continue
                    disp = part.disposition
                    action = disp.access if disp else ("path" if part.path else "unknown")
                    action = "dummy" if part.dummy else action
                    u = DatasetUse(ex.qualified, part.name, action, disp, part.location)
                    use(name, part.location, u, "path" if part.path else _dsn_kind(part))
            for cmd in ex.step.idcams:
                for name, action, kind in _idcams_datasets(cmd):
                    u = DatasetUse(ex.qualified, None, action, None, cmd.location)
                    use(_base_name(name), cmd.location, u, kind)
        for name, ds in found.items():
            ds.kind = next((k for k in _KIND_ORDER if k in kinds[name]), None)
        return list(found.values())


_KIND_ORDER = ("temporary", "path", "vsam", "gdg", "pds")


@dataclass(slots=True)
class ProcStepInfo:
    """A step of a PROC as written (no substitution): its program or the PROC it calls."""

    name: str | None
    program: str | None
    proc: str | None
    dds: list[str]
    location: Location


@dataclass(slots=True)
class JclProc:
    """A cataloged or in-stream PROC as written: defaults, symbols it uses, steps."""

    name: str
    location: Location
    defaults: dict[str, str]
    symbols_used: list[str]
    steps: list[ProcStepInfo]
    diagnostics: list[Diagnostic] = field(default_factory=list)


# --------------------------------------------------------------------------- lexical level


@dataclass(slots=True)
class _Stmt:
    """One JCL statement as written: fields, joined operand text, physical lines, data."""

    name: str | None
    op: str
    text: str
    loc: Location
    phys: list[tuple[int, str]]
    data: list[str] | None = None
    data_loc: Location | None = None
    includes: tuple[str, ...] = ()  # the INCLUDE members this statement came through

    def diag(
        self,
        code: str,
        severity: Severity,
        message: str,
        needle: str | None = None,
        hint: str | None = None,
    ) -> Diagnostic:
        line, text = self.phys[0]
        column = 1
        if needle:
            for ln, tx in self.phys:
                k = tx.upper().find(needle.upper())
                if k >= 0:
                    line, text, column = ln, tx, k + 1
                    break
        return Diagnostic(
            code, severity, message, Location(self.loc.file, line, column), text, hint
        )


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rstrip("\r") for ln in lines]


def scan_operands(text: str, start: int, quoted: bool) -> tuple[int, bool]:
    """End of the operand field from ``start`` (first blank outside apostrophes), quote state.

    Shared by the JCL and BMS readers: both read operand fields of this form."""
    i = start
    while i < len(text):
        c = text[i]
        if c == "'":
            quoted = not quoted
        elif c == " " and not quoted:
            break
        i += 1
    return i, quoted


def _is_continuation(line: str) -> bool:
    return line.startswith("//") and line[2:3] == " " and bool(line[2:_FIELD_END].strip())


class _Lexer:
    """Physical lines → statements, with continuations joined and in-stream data attached."""

    def __init__(self, text: str, file: str, first_line: int, diags: list[Diagnostic]) -> None:
        self.lines = _lines(text)
        self.file = file
        self.first = first_line
        self.diags = diags

    def loc(self, i: int) -> Location:
        return Location(self.file, self.first + i, 1)

    def statements(self) -> list[_Stmt]:
        out: list[_Stmt] = []
        lines = self.lines
        i = 0
        while i < len(lines):
            head = lines[i][:_FIELD_END]
            if head.startswith("/*"):  # delimiter or JES2 control statement
                i += 1
            elif not head.startswith("//"):
                if not head.strip():
                    i += 1
                    continue
                st = _Stmt("SYSIN", "DD", "*", self.loc(i), [(self.first + i, lines[i])])
                self.diags.append(
                    st.diag(
                        IMPLICIT_SYSIN,
                        Severity.INFO,
                        "data lines without a DD statement before them: //SYSIN DD * assumed",
                    )
                )
                out.append(st)
                i = self.data(st, i, "/*", False)
            elif head.startswith("//*"):
                i += 1
            elif not head[2:].strip():
                out.append(_Stmt(None, "NULL", "", self.loc(i), [(self.first + i, lines[i])]))
                i += 1
            else:
                found, i = self.statement(i)
                if found is None:
                    continue
                out.append(found)
                if found.op == "DD":
                    pos, kw, _ = _params(found.text)
                    mode = pos[0].strip().upper() if pos else ""
                    if mode in ("*", "DATA"):
                        dlm = _unquote(kw["DLM"]) if kw.get("DLM") else "/*"
                        i = self.data(found, i, dlm, mode == "DATA")
        return out

    def statement(self, i: int) -> tuple[_Stmt | None, int]:
        raw = self.lines[i]
        head = raw[:_FIELD_END]
        st = _Stmt(None, "", "", self.loc(i), [(self.first + i, raw)])
        k = 2
        if head[2] != " ":
            name = head[2:].split(" ", 1)[0]
            k += len(name)
            st.name = name.upper()
            if not _NAME.fullmatch(st.name):
                self.diags.append(
                    st.diag(MALFORMED, Severity.WARNING, f"invalid name {name!r}", name)
                )
        m = _OPERATION.match(head, k)
        if not m:
            self.diags.append(
                st.diag(MALFORMED, Severity.ERROR, "statement has a name but no operation")
            )
            return None, i + 1
        st.op = m.group(1).upper()
        k = m.end()
        while k < len(head) and head[k] == " ":
            k += 1
        if st.op in _NO_OPERANDS or k >= len(head):
            return st, self.skip_comment_continuation(i) + 1
        if st.op == "IF":
            return st, self.condition(st, i, k) + 1
        return st, self.operands(st, i, k) + 1

    def skip_comment_continuation(self, i: int) -> int:
        """A non-blank column 72 continues the comment field on the next ``//`` line."""
        if self.lines[i][71:72].strip() and i + 1 < len(self.lines):
            nxt = self.lines[i + 1]
            if nxt.startswith("//") and nxt[2:3] == " ":
                return i + 1
        return i

    def condition(self, st: _Stmt, i: int, k: int) -> int:
        """IF ... THEN: the relational expression runs to THEN, over as many lines as needed."""
        text = self.lines[i][k:_FIELD_END]
        while True:
            m = _THEN.search(text)
            if m:
                st.text = " ".join(text[: m.start()].split())
                return i
            if i + 1 >= len(self.lines) or not _is_continuation(self.lines[i + 1]):
                self.diags.append(
                    st.diag(BROKEN_CONTINUATION, Severity.ERROR, "IF statement without THEN")
                )
                st.text = " ".join(text.split())
                return i
            i += 1
            st.phys.append((self.first + i, self.lines[i]))
            text += " " + self.lines[i][2:_FIELD_END]

    def operands(self, st: _Stmt, i: int, k: int) -> int:
        lines = self.lines
        head = lines[i][:_FIELD_END].ljust(_FIELD_END)
        end, quoted = scan_operands(head, k, False)
        parts = [head[k:end]]
        while True:
            if quoted:  # an apostrophe string open at column 71 goes on in column 16
                if i + 1 >= len(lines) or not lines[i + 1].startswith("//"):
                    self.diags.append(
                        st.diag(
                            BROKEN_CONTINUATION,
                            Severity.ERROR,
                            "apostrophe string not closed and not continued on the next line",
                        )
                    )
                    break
                i += 1
                st.phys.append((self.first + i, lines[i]))
                head = lines[i][:_FIELD_END].ljust(_FIELD_END)
                end, quoted = scan_operands(head, 15, True)
                parts.append(head[15:end])
                continue
            if not parts[-1].endswith(","):
                break
            nxt = i + 1
            while nxt < len(lines) and lines[nxt].startswith("//*"):
                nxt += 1
            if nxt >= len(lines) or not _is_continuation(lines[nxt]):
                self.diags.append(
                    st.diag(
                        BROKEN_CONTINUATION,
                        Severity.ERROR,
                        f"{st.op} statement ends with a comma but the next line does not "
                        "continue it (truncated?)",
                        hint="a continuation line starts with // and a blank, and its operands "
                        "begin in columns 4-16",
                    )
                )
                parts[-1] = parts[-1][:-1]
                break
            i = nxt
            st.phys.append((self.first + i, lines[i]))
            head = lines[i][:_FIELD_END].ljust(_FIELD_END)
            start = len(head) - len(head[2:].lstrip())
            end, quoted = scan_operands(head, start, False)
            parts.append(head[start:end])
        st.text = "".join(parts)
        return self.skip_comment_continuation(i)

    def data(self, st: _Stmt, i: int, dlm: str, data_mode: bool) -> int:
        """In-stream records after ``DD *`` / ``DD DATA`` up to the delimiter."""
        records: list[str] = []
        st.data_loc = self.loc(i) if i < len(self.lines) else None
        closed = False
        while i < len(self.lines):
            raw = self.lines[i]
            if raw.startswith(dlm):
                closed = True
                i += 1
                break
            if not data_mode and dlm == "/*" and raw.startswith("//"):
                closed = True
                break
            records.append(raw)
            i += 1
        if not closed and (data_mode or dlm != "/*"):
            self.diags.append(
                st.diag(
                    UNCLOSED_DATA,
                    Severity.WARNING,
                    f"in-stream data not closed by {dlm!r} before the end of the member",
                )
            )
        st.data = records
        return i


# --------------------------------------------------------------------------- operands


def _split_top(text: str, sep: str = ",") -> tuple[list[str], str | None]:
    """Split at separators outside apostrophes and parentheses; an error text if unbalanced."""
    items: list[str] = []
    depth = 0
    quoted = False
    start = 0
    error = None
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0 and error is None:
                error = "a closing parenthesis has no opening one"
        elif c == sep and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    if quoted:
        error = "apostrophes do not pair up"
    elif depth > 0:
        error = "parentheses do not pair up"
    return items, error


def _params(text: str, canonical: bool = True) -> tuple[list[str], dict[str, str], str | None]:
    """Operand text → positional parameters, keyword parameters (first wins), error text.

    ``canonical`` spells DSNAME as DSN (not for symbol definitions, where it is a name).
    """
    if not text:
        return [], {}, None
    items, error = _split_top(text)
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for item in items:
        m = _KEYWORD.match(item)
        if m:
            key = m.group(1).upper()
            key = "DSN" if key == "DSNAME" and canonical else key
            keywords.setdefault(key, item[m.end() :])
        else:
            positional.append(item)
    return positional, keywords, error


def _subparams(value: str) -> list[str]:
    """``(A,B,C)`` → ``['A', 'B', 'C']``; a lone value → ``[value]``.

    >>> _subparams("(NEW,CATLG,DELETE)"), _subparams("SHR"), _subparams("(,PASS)")
    (['NEW', 'CATLG', 'DELETE'], ['SHR'], ['', 'PASS'])
    """
    value = value.strip()
    if value.startswith("(") and value.endswith(")"):
        return _split_top(value[1:-1])[0]
    return [value]


def _unquote(value: str) -> str:
    """``'A''B'`` → ``A'B``; anything not enclosed in apostrophes is returned as it is."""
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _symbol_value(raw: str) -> str:
    """A symbol's substitution text: enclosing apostrophes dropped, ``&&`` → ``&`` outside them.

    >>> _symbol_value("'*'"), _symbol_value("(NEW,KEEP)"), _symbol_value("&&TEMP")
    ('*', '(NEW,KEEP)', '&TEMP')
    """
    if len(raw) >= 2 and raw[0] == "'" and raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    return raw.replace("&&", "&")


def _substitute(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace symbols in an operand field; returns the text and the names left unresolved.

    >>> _substitute("DSN=&HLQ..LOADLIB,DISP=&D", {"HLQ": "A.B", "D": "SHR"})
    ('DSN=A.B.LOADLIB,DISP=SHR', [])
    >>> _substitute("DSN=&&TEMP,PARM='&X',LABEL='&X'", {"X": "1"})
    ("DSN=&&TEMP,PARM='1',LABEL='&X'", [])
    >>> _substitute("DSN=&TEMP,UNIT=&U", {})
    ('DSN=&TEMP,UNIT=&U', ['U'])
    """
    out: list[str] = []
    unresolved: list[str] = []
    quoted = False
    depth = 0
    param_start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "'":
            quoted = not quoted
        elif not quoted:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 0:
                param_start = i + 1
        if c != "&":
            out.append(c)
            i += 1
            continue
        if text.startswith("&&", i):
            out.append("&&")
            i += 2
            continue
        m = _SYMBOL.match(text, i)
        if not m:
            out.append(c)
            i += 1
            continue
        name = m.group(1).upper()
        km = _KEYWORD.match(text, param_start)
        keyword = km.group(1).upper().split(".")[0] if km else ""
        if name in env and (not quoted or keyword in _QUOTED_SYMBOLS):
            out.append(env[name])
            i = m.end()
            continue
        temp_dsn = (
            keyword in ("DSN", "DSNAME")
            and km is not None
            and km.end() == i
            and text[m.end(1) : m.end(1) + 1] in ("", ",", "(", ")")
        )
        if not quoted and not temp_dsn and name not in _SYSTEM_SYMBOLS:
            unresolved.append(name)
        out.append(text[i : m.end(1)])
        i = m.end(1)
    return "".join(out), unresolved


def _base_name(dsn: str) -> str:
    """``A.B(+1)`` → ``A.B``, ``A.LIB(MEM)`` → ``A.LIB``."""
    m = _GENERATION.search(dsn) or _MEMBER.search(dsn)
    return dsn[: m.start()] if m else dsn


def _dsn_kind(dd: JclDD) -> str | None:
    dsn = dd.dsn or ""
    if dd.temporary:
        return "temporary"
    if _GENERATION.search(dsn):
        return "gdg"
    if "AMP" in dd.keywords or dd.keywords.get("RECORG", "").upper() in ("KS", "ES", "RR", "LS"):
        return "vsam"
    if _MEMBER.search(dsn):
        return "pds"
    return None


def _negate(condition: str) -> str:
    if condition.startswith("(") and condition.endswith(")"):
        inner = condition[1:-1]
        if _split_top(inner)[1] is None:
            return f"NOT {condition}"
    return f"NOT ({condition})"


def _leaves(step: JclStep, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], JclStep]]:
    if step.proc and step.expanded:
        for child in step.steps:
            yield from _leaves(child, (*path, child.name or ""))
    else:
        yield path, step


# --------------------------------------------------------------------------- expansion


class _Reader:
    """Walks a job's statements: SET/IF/INCLUDE, steps, PROC expansion and overrides."""

    def __init__(self, job: JclJob, procs: Mapping[str, ProcSource | str]) -> None:
        self.job = job
        self.diags = job.diagnostics
        self.library = {k.upper(): v for k, v in procs.items()}
        self.cache: dict[str, list[_Stmt] | None] = {}
        self.instream: dict[str, list[_Stmt]] = {}

    # ---- helpers

    def lex_member(self, name: str) -> list[_Stmt] | None:
        if name not in self.job.library_members:
            self.job.library_members.append(name)
        if name not in self.cache:
            src = self.library.get(name)
            if src is None:
                self.cache[name] = None
            else:
                if isinstance(src, str):
                    src = ProcSource(src, name)
                lexer = _Lexer(src.text, src.file, src.first_line, self.diags)
                self.cache[name] = lexer.statements()
        return self.cache[name]

    def subst(self, st: _Stmt, text: str, env: Mapping[str, str]) -> str:
        result, unresolved = _substitute(text, env)
        for name in dict.fromkeys(unresolved):
            self.diags.append(
                st.diag(
                    UNRESOLVED_SYMBOL,
                    Severity.WARNING,
                    f"symbol &{name} has no value (no SET, PROC default or EXEC value); "
                    "left as written",
                    f"&{name}",
                    hint=f"define it with // SET {name}=... or on the EXEC statement",
                )
            )
        return result

    def params(self, st: _Stmt, env: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
        pos, kw, error = _params(self.subst(st, st.text, env))
        if error:
            self.diags.append(st.diag(MALFORMED, Severity.ERROR, f"{st.op} operands: {error}"))
        return pos, kw

    def definitions(self, st: _Stmt, env: Mapping[str, str]) -> list[tuple[str, str, str]]:
        """SET / PROC symbol definitions: (name, value as written, substitution text)."""
        raw_pos, raw_kw, _ = _params(st.text, canonical=False)
        _, kw, error = _params(self.subst(st, st.text, env), canonical=False)
        if error or [p for p in raw_pos if p.strip()]:
            self.diags.append(
                st.diag(MALFORMED, Severity.ERROR, f"{st.op} takes only NAME=value operands")
            )
        raw_values = list(raw_kw.values())
        return [
            (key, raw_values[j] if j < len(raw_values) else value, _symbol_value(value))
            for j, (key, value) in enumerate(kw.items())
        ]

    # ---- statement walk

    def body(
        self,
        stmts: list[_Stmt],
        env: dict[str, str],
        proc: str | None,
        stack: tuple[str, ...],
        outer: tuple[str, ...],
    ) -> list[JclStep]:
        top = proc is None
        steps: list[JclStep] = []
        queue = list(stmts)
        conds: list[tuple[str, bool, _Stmt]] = []  # IF condition, in its ELSE branch, IF
        pending: tuple[_Stmt, list[_Stmt], tuple[str, ...]] | None = None
        idx = 0
        while idx < len(queue):
            st = queue[idx]
            idx += 1
            op = st.op
            if op in _STEP_STATEMENTS:
                if pending is not None:
                    pending[1].append(st)
                elif op == "DD" and top and st.name is not None:
                    self.job.dds.extend(self.dds([st], env, "job"))
                elif op == "DD" and top and self.job.dds:
                    self.job.dds[-1].concatenation.extend(self.dds([st], env, "job"))
                elif op == "DD":
                    self.diags.append(
                        st.diag(OUT_OF_PLACE, Severity.WARNING, "DD statement before any EXEC")
                    )
                continue
            if op == "INCLUDE":  # its statements take its place, inside the step or not
                queue[idx:idx] = self.include(st, env)
                continue
            if pending is not None:
                steps.append(self.step(*pending, env=env, proc=proc, stack=stack))
                pending = None
            if op == "EXEC":
                conditions = outer + tuple(_negate(c) if e else c for c, e, _ in conds)
                pending = (st, [], conditions)
            elif op == "SET":
                for name, raw, value in self.definitions(st, env):
                    env[name] = value
                    if top:
                        self.job.set.append((name, raw))
            elif op == "JCLLIB":
                _, kw = self.params(st, env)
                if top and "ORDER" in kw:
                    self.job.jcllib.extend(_unquote(v) for v in _subparams(kw["ORDER"]) if v)
            elif op == "IF":
                conds.append((self.subst(st, st.text, env), False, st))
            elif op in ("ELSE", "ENDIF"):
                if not conds or (op == "ELSE" and conds[-1][1]):
                    self.diags.append(
                        st.diag(OUT_OF_PLACE, Severity.WARNING, f"{op} without a matching IF")
                    )
                elif op == "ELSE":
                    conds[-1] = (conds[-1][0], True, conds[-1][2])
                else:
                    conds.pop()
            elif op == "PROC" and top:
                idx = self.instream_proc(st, queue, idx)
            elif op == "PEND" and not top:
                break
            elif op in ("PROC", "PEND", "JOB", "NULL"):
                self.diags.append(
                    st.diag(OUT_OF_PLACE, Severity.WARNING, f"{op} statement out of place")
                )
            elif op not in _IGNORED:
                self.diags.append(
                    st.diag(
                        UNKNOWN_STATEMENT,
                        Severity.WARNING,
                        f"unknown operation {op}; statement ignored",
                        op,
                    )
                )
        if pending is not None:
            steps.append(self.step(*pending, env=env, proc=proc, stack=stack))
        for cond, _, if_stmt in conds:
            where = f"PROC {proc}" if proc else "the job"
            self.diags.append(
                if_stmt.diag(
                    OUT_OF_PLACE, Severity.WARNING, f"IF {cond} THEN not closed by ENDIF in {where}"
                )
            )
        return steps

    def include(self, st: _Stmt, env: Mapping[str, str]) -> list[_Stmt]:
        """The statements of an INCLUDE member, marked as coming through it."""
        _, kw = self.params(st, env)
        member = _unquote(kw.get("MEMBER", "")).upper()
        if member in st.includes or len(st.includes) >= _MAX_NESTING:
            self.diags.append(
                st.diag(
                    NESTING,
                    Severity.ERROR,
                    f"INCLUDE {member} nested in itself or too deep "
                    f"({' -> '.join((*st.includes, member))})",
                    member,
                )
            )
            return []
        found = self.lex_member(member) if member else None
        if found is None:
            self.diags.append(
                st.diag(
                    INCLUDE_NOT_FOUND,
                    Severity.ERROR,
                    f"INCLUDE member {member or '?'} not found",
                    member or None,
                    hint="add the member to the dump (JCLLIB ORDER libraries)",
                )
            )
            return []
        chain = (*st.includes, member)
        return [replace(s, includes=chain) for s in found]

    def instream_proc(self, st: _Stmt, queue: list[_Stmt], idx: int) -> int:
        end = idx
        while end < len(queue) and queue[end].op != "PEND":
            end += 1
        if end >= len(queue):
            self.diags.append(
                st.diag(OUT_OF_PLACE, Severity.WARNING, "in-stream PROC without PEND")
            )
        if st.name:
            self.instream[st.name] = [st, *queue[idx:end]]
            self.job.instream_procs.append(st.name)
        return end + 1

    def step(
        self,
        st: _Stmt,
        dd_stmts: list[_Stmt],
        conditions: tuple[str, ...],
        *,
        env: dict[str, str],
        proc: str | None,
        stack: tuple[str, ...],
    ) -> JclStep:
        pos, kw = self.params(st, env)
        step = JclStep(st.name, st.loc, in_proc=proc, conditions=conditions)
        callee = kw.get("PROC") or (pos[0] if pos and pos[0].strip() else None)
        if callee is not None:
            self.call(step, st, callee.strip().upper(), kw, dd_stmts, env, stack)
        elif "PGM" in kw:
            step.keywords = kw
            step.program = kw["PGM"].strip().upper() or None
            step.dds = self.dds(dd_stmts, env, "job" if proc is None else "proc")
        else:
            self.diags.append(
                st.diag(MALFORMED, Severity.ERROR, "EXEC names neither PGM= nor a PROC")
            )
            step.keywords = kw
            step.dds = self.dds(dd_stmts, env, "job" if proc is None else "proc")
        return step

    def call(
        self,
        step: JclStep,
        st: _Stmt,
        callee: str,
        kw: dict[str, str],
        dd_stmts: list[_Stmt],
        env: dict[str, str],
        stack: tuple[str, ...],
    ) -> None:
        step.proc = callee
        assigned: dict[str, str] = {}
        for key, value in kw.items():
            if key == "PROC" or key.split(".")[0] in _EXEC_PARAMS:
                step.keywords[key] = value
            else:
                assigned.setdefault(key, _symbol_value(value))
        stmts = self.instream.get(callee) or self.lex_member(callee)
        problem = None
        if callee in stack:
            problem = (NESTING, f"PROC {callee} calls itself (via {' -> '.join(stack)})")
        elif len(stack) >= _MAX_NESTING:
            problem = (NESTING, f"PROCs nested deeper than {_MAX_NESTING} levels")
        elif stmts is None:
            libs = ", ".join(self.job.jcllib) or "none given"
            problem = (PROC_NOT_FOUND, f"PROC {callee} not found (JCLLIB ORDER: {libs})")
        if problem is not None:
            self.diags.append(
                st.diag(
                    problem[0],
                    Severity.ERROR,
                    problem[1],
                    callee,
                    hint="add the PROC library to the dump"
                    if problem[0] == PROC_NOT_FOUND
                    else None,
                )
            )
            step.symbols = {**assigned, **{k: v for k, v in env.items() if k not in assigned}}
            step.dds = self.dds(dd_stmts, step.symbols, "unapplied")
            return
        assert stmts is not None
        body = stmts
        defaults: dict[str, str] = {}
        if body and body[0].op == "PROC":
            defaults = {n: v for n, _, v in self.definitions(body[0], env)}
            body = body[1:]
        symbols = {**defaults, **assigned}
        for k, v in env.items():
            symbols.setdefault(k, v)
        step.symbols = symbols
        step.steps = self.body(body, dict(symbols), callee, (*stack, callee), step.conditions)
        step.expanded = True
        self.exec_overrides(step, st)
        self.dd_overrides(step, dd_stmts, symbols)

    def exec_overrides(self, call: JclStep, st: _Stmt) -> None:
        """COND/PARM/REGION/TIME... on the calling EXEC, for every PROC step or ``.step``."""
        for key, value in call.keywords.items():
            base, _, target = key.partition(".")
            if base not in _EXEC_PARAMS:
                continue
            if target:
                child = next((c for c in call.steps if c.name == target), None)
                if child is None:
                    self.diags.append(
                        st.diag(
                            BAD_OVERRIDE,
                            Severity.WARNING,
                            f"{key}: PROC {call.proc} has no step {target}",
                            key,
                        )
                    )
                    continue
                _impose(child, base, value)
            else:
                for j, child in enumerate(call.steps):
                    first_only = base in ("PARM", "PARMDD") and j > 0
                    _impose(child, base, "" if first_only else value)

    def dd_overrides(self, call: JclStep, dd_stmts: list[_Stmt], env: dict[str, str]) -> None:
        """``//PSTEP.DD DD`` statements: merged into the PROC step's DD, or added to it."""
        target: JclStep | None = None
        for over in self.dds(dd_stmts, env, "added"):
            qualifier = over.qualifier
            if qualifier is not None:
                found = next((c for c in call.steps if c.name == qualifier), None)
                if found is None:
                    self.diags.append(
                        Diagnostic(
                            BAD_OVERRIDE,
                            Severity.WARNING,
                            f"{qualifier}.{over.name}: PROC {call.proc} has no step {qualifier}",
                            over.location,
                        )
                    )
                    over.origin = "unapplied"
                    call.dds.append(over)
                    continue
                target = found
            elif target is None:
                target = call.steps[0] if call.steps else None
            if target is None or target.proc:
                over.origin = "unapplied"
                call.dds.append(over)
                continue
            for j, dd in enumerate(target.dds):
                if dd.name == over.name:
                    target.dds[j] = _override(dd, over)
                    break
            else:
                target.dds.append(over)

    def dds(self, stmts: list[_Stmt], env: Mapping[str, str], origin: str) -> list[JclDD]:
        out: list[JclDD] = []
        for st in stmts:
            if st.op != "DD":
                continue
            pos, kw = self.params(st, env)
            qualifier, _, name = (st.name or "").rpartition(".")
            data = st.data
            if data is not None and kw.get("SYMBOLS", "NONE").upper() not in ("NONE", "(NONE)"):
                data = [_substitute(line, env)[0] for line in data]
            dd = JclDD(
                name=name,
                location=st.loc,
                origin=origin,
                positional=[p.strip().upper() for p in pos if p.strip()],
                keywords=kw,
                data=data,
                data_location=st.data_loc,
                qualifier=qualifier or None,
            )
            if st.name is not None:
                out.append(dd)
            elif out:
                dd.name = out[-1].name
                dd.qualifier = out[-1].qualifier
                out[-1].concatenation.append(dd)
            else:
                self.diags.append(
                    st.diag(
                        OUT_OF_PLACE,
                        Severity.WARNING,
                        "unnamed DD statement with no DD before it to concatenate to",
                    )
                )
        return out


def _impose(step: JclStep, key: str, value: str) -> None:
    for _, leaf in _leaves(step, ()):
        leaf.overrides[key] = value


def _merge(base: JclDD, over: JclDD) -> JclDD:
    """One override statement applied to one PROC DD (or concatenated dataset)."""
    if not over.positional and not over.keywords and over.data is None:
        return base  # an empty ``// DD`` leaves that dataset of the concatenation as it is
    keywords = dict(base.keywords)
    positional = list(base.positional)
    data, data_location = base.data, base.data_location
    if over.positional:
        positional = list(over.positional)
        if over.instream:
            keywords = {k: v for k, v in keywords.items() if k in _KEPT_FOR_INSTREAM}
            data, data_location = over.data, over.data_location
    for key, value in over.keywords.items():
        if not value:
            keywords.pop(key, None)
            continue
        if key in _SOURCES:
            for other in _SOURCES:
                if other != key:
                    keywords.pop(other, None)
            if key != "DSN":
                keywords.pop("DISP", None)
            if key != "PATH":
                for other in _PATH_KEYS:
                    keywords.pop(other, None)
            positional = [p for p in positional if p not in ("*", "DATA")]
            data, data_location = None, None
            if key == "DSN" and value.upper() != "NULLFILE":
                positional = [p for p in positional if p != "DUMMY"]
        keywords[key] = value
    return JclDD(
        name=base.name,
        location=over.location,
        origin="override",
        positional=positional,
        keywords=keywords,
        data=data,
        data_location=data_location,
        overridden=base.location,
        qualifier=over.qualifier,
    )


def _override(base: JclDD, over: JclDD) -> JclDD:
    """An override statement and its concatenated ones applied dataset by dataset."""
    old, new = base.parts(), over.parts()
    merged = [_merge(old[j], part) if j < len(old) else part for j, part in enumerate(new)]
    merged.extend(old[len(new) :])
    head = merged[0]
    if head is base:  # the first dataset unchanged: keep it, with the new concatenation
        head = JclDD(
            base.name,
            base.location,
            base.origin,
            base.positional,
            base.keywords,
            base.data,
            base.data_location,
            overridden=base.overridden,
            qualifier=base.qualifier,
        )
    head.concatenation = merged[1:]
    return head


# --------------------------------------------------------------------------- utilities


def _control_text(records: list[str], width: int = 72) -> list[tuple[int, str]]:
    """Utility control statements: (record index, text) with ``-``/``+`` continuations joined
    and ``/* ... */`` comments removed."""
    out: list[tuple[int, str]] = []
    joined = ""
    start = 0
    in_comment = False
    for j, record in enumerate(records):
        text = record[:width]
        cleaned = []
        k = 0
        while k < len(text):
            if in_comment:
                end = text.find("*/", k)
                if end < 0:
                    k = len(text)
                else:
                    in_comment = False
                    k = end + 2
            elif text.startswith("/*", k):
                in_comment = True
                k += 2
            else:
                cleaned.append(text[k])
                k += 1
        line = "".join(cleaned).rstrip()
        if not joined:
            start = j
        if line.endswith(("-", "+")):
            joined += line[:-1] + " "
            continue
        joined += line
        if joined.strip():
            out.append((start, joined.strip()))
        joined = ""
    if joined.strip():
        out.append((start, joined.strip()))
    return out


_IDCAMS_TOKEN = re.compile(r"'(?:[^']|'')*'|[()]|[^\s(),']+")


def _operands(tokens: list[str], i: int) -> tuple[list[Operand], int]:
    items: list[Operand] = []
    while i < len(tokens) and tokens[i] != ")":
        token = tokens[i]
        if token == "(":
            sub, i = _operands(tokens, i + 1)
            i += 1
            if items and items[-1].sub is None:
                items[-1] = Operand(items[-1].word, tuple(sub))
            else:
                items.append(Operand("", tuple(sub)))
        else:
            items.append(Operand(token if token.startswith("'") else token.upper()))
            i += 1
    return items, i


def parse_idcams(records: list[str], location: Location) -> tuple[list[IdcamsCommand], list[str]]:
    """IDCAMS commands of in-stream SYSIN records; problems as messages."""
    commands: list[IdcamsCommand] = []
    problems: list[str] = []
    for j, text in _control_text(records):
        tokens = _IDCAMS_TOKEN.findall(text)
        if not tokens:
            continue
        items, end = _operands(tokens[1:], 0)
        loc = Location(location.file, location.line + j, 1)
        if end < len(tokens) - 1 or text.count("(") != text.count(")"):
            problems.append(f"{tokens[0].upper()} command: parentheses do not pair up")
        commands.append(IdcamsCommand(tokens[0].upper(), tuple(items), loc))
    return commands, problems


def _idcams_datasets(cmd: IdcamsCommand) -> Iterator[tuple[str, str, str | None]]:
    """(dataset, action, kind) named by an IDCAMS command."""
    if cmd.verb in ("DELETE", "DEL") and cmd.operands:
        first = cmd.operands[0]
        for name in first.values if first.word == "" else [first.word]:
            yield name, "delete", None
    elif cmd.verb in ("DEFINE", "DEF") and cmd.operands:
        kind = cmd.operands[0].word
        dskind = {"CLUSTER": "vsam", "CL": "vsam", "AIX": "vsam", "GDG": "gdg"}.get(kind)
        for operand in cmd.operands:
            named = operand.find("NAME")
            if named is not None and named.values:
                yield named.values[0], "define", dskind
    else:
        for operand in cmd.operands:
            if operand.word in ("INDATASET", "IDS") and operand.values:
                yield operand.values[0], "read", None
            elif operand.word in ("OUTDATASET", "ODS") and operand.values:
                yield operand.values[0], "write", None


_DSN_SYSTEM = re.compile(r"^DSN\b.*?\bSYSTEM\s*\(\s*'?([^)'\s]+)", re.I)
_RUN_PROGRAM = re.compile(r"^RUN\b.*?\bPROG(?:RAM)?\s*\(\s*'?([^)'\s]+)", re.I)
_RUN_PLAN = re.compile(r"\bPLAN\s*\(\s*'?([^)'\s]+)", re.I)


def _utility(step: JclStep, diags: list[Diagnostic]) -> None:
    """What the in-stream control statements of IDCAMS, SORT and IKJEFT01 steps say."""
    program = step.program or ""
    if program == "IDCAMS":
        dd = step.dd("SYSIN")
        if dd is not None and dd.data is not None and dd.data_location is not None:
            step.idcams, problems = parse_idcams(dd.data, dd.data_location)
            for problem in problems:
                diags.append(Diagnostic(BAD_CONTROL, Severity.WARNING, problem, dd.data_location))
    elif program in _SORT_PROGRAMS:
        dd = step.dd("SYSIN")
        if dd is not None and dd.data is not None:
            lines = [r[:_FIELD_END].strip() for r in dd.data if not r.startswith("*")]
            step.sort_control = "\n".join(ln for ln in lines if ln) or None
    elif program in _TSO_PROGRAMS:
        dd = step.dd("SYSTSIN")
        if dd is not None and dd.data is not None:
            for _, text in _control_text(dd.data):
                if m := _DSN_SYSTEM.match(text):
                    step.db2_system = m.group(1).upper()
                if m := _RUN_PROGRAM.match(text):
                    step.runs_program = m.group(1).upper()
                    if p := _RUN_PLAN.search(text):
                        step.plan = p.group(1).upper()


def _resolve_referbacks(job: JclJob) -> None:
    """``DSN=*.DD``, ``*.STEP.DD``, ``*.STEP.PROCSTEP.DD``: the earlier DD's dataset name."""
    seen: dict[str, JclDD] = {}
    for ex in job.executed_steps():
        prefix = ex.qualified
        for dd in ex.step.dds:
            for part in dd.parts():
                ref = part.referback
                if ref is not None:
                    target = ref[2:].upper()
                    scope = prefix.rsplit(".", 1)[0] + "." if "." in prefix else ""
                    found = seen.get(f"{prefix}.{target}") if "." not in target else None
                    found = found or seen.get(target) or seen.get(scope + target)
                    if found is not None and found.dsn:
                        part.referred_dsn = found.dsn
                    else:
                        job.diagnostics.append(
                            Diagnostic(
                                BAD_REFERBACK,
                                Severity.WARNING,
                                f"referback {ref} names no earlier DD with a dataset name",
                                part.location,
                            )
                        )
            seen[f"{prefix}.{dd.name}"] = dd


# --------------------------------------------------------------------------- entry points


def parse_jcl_stream(
    text: str,
    file: str,
    procs: Mapping[str, ProcSource | str] | None = None,
    *,
    first_line: int = 1,
    name: str | None = None,
) -> list[JclJob]:
    """Every job of a JCL member, PROCs expanded from ``procs`` (name → source).

    ``name`` names a job without a JOB statement (default: the file name's stem).
    """
    lex_diags: list[Diagnostic] = []
    stmts = _Lexer(text, file, first_line, lex_diags).statements()
    groups: list[list[_Stmt]] = []
    current: list[_Stmt] | None = None
    after_null: list[_Stmt] = []
    for st in stmts:
        if st.op == "JOB":
            current = [st]
            groups.append(current)
        elif st.op == "NULL":
            current = None
        elif current is not None:
            current.append(st)
        elif not groups:
            current = []
            groups.append(current)
            current.append(st)
        else:
            after_null.append(st)
    jobs: list[JclJob] = []
    for group in groups:
        jobs.append(_read_job(group, file, procs or {}, name))
    if not jobs:
        stem = name or PurePosixPath(file).name.split(".")[0].upper()
        jobs.append(JclJob(stem, Location(file, first_line, 1)))
    starts = [j.location.line for j in jobs]
    for d in lex_diags:
        k = 0
        if d.location is not None and d.location.file == file:
            k = max((j for j, s in enumerate(starts) if s <= d.location.line), default=0)
        jobs[k].diagnostics.append(d)
    for st in after_null:
        jobs[-1].diagnostics.append(
            st.diag(OUT_OF_PLACE, Severity.WARNING, f"{st.op} after the null statement // ignored")
        )
    if groups and groups[0] and groups[0][0].op != "JOB":
        jobs[0].diagnostics.append(
            groups[0][0].diag(
                JOB_STRUCTURE, Severity.WARNING, f"no JOB statement; job called {jobs[0].name}"
            )
        )
    for job in jobs:
        job.diagnostics[:] = sorted(dict.fromkeys(job.diagnostics), key=lambda d: _where(d, file))
    return jobs


def _where(d: Diagnostic, file: str) -> tuple[bool, str, int, int]:
    """Sort key: the member's own findings first, then by file, line and column."""
    loc = d.location
    if loc is None:
        return (True, "", 0, 0)
    return (loc.file != file, loc.file, loc.line, loc.column)


def _read_job(
    stmts: list[_Stmt], file: str, procs: Mapping[str, ProcSource | str], name: str | None
) -> JclJob:
    head = stmts[0]
    if head.op == "JOB":
        job = JclJob(head.name or name or "", head.loc)
        job.positional, job.keywords, _ = _params(head.text)
        body = stmts[1:]
    else:
        job = JclJob(name or PurePosixPath(file).name.split(".")[0].upper(), head.loc)
        body = stmts
    reader = _Reader(job, procs)
    env: dict[str, str] = {}
    job.steps = reader.body(body, env, None, (), ())
    job.symbols = dict(env)
    for ex in job.executed_steps():
        _utility(ex.step, job.diagnostics)
    _resolve_referbacks(job)
    return job


def parse_jcl(
    text: str,
    file: str,
    procs: Mapping[str, ProcSource | str] | None = None,
    *,
    first_line: int = 1,
    name: str | None = None,
) -> JclJob:
    """The job of a JCL member, PROCs expanded (the first job if the member holds several).

    >>> job = parse_jcl('''//J1 JOB 1
    ... //   SET HLQ=PROD
    ... //S1 EXEC PGM=PAYROLL,COND=(4,LT)
    ... //IN DD DSN=&HLQ..PAY.MASTER,DISP=SHR
    ... ''', "J1.jcl")
    >>> [(s.name, s.program, s.cond) for s in job.steps]
    [('S1', 'PAYROLL', '(4,LT)')]
    >>> [(d.name, d.dsn, d.disp) for d in job.steps[0].dds]
    [('IN', 'PROD.PAY.MASTER', 'SHR')]
    """
    jobs = parse_jcl_stream(text, file, procs, first_line=first_line, name=name)
    if len(jobs) > 1:
        more = ", ".join(j.name for j in jobs[1:])
        jobs[0].diagnostics.append(
            Diagnostic(
                JOB_STRUCTURE,
                Severity.WARNING,
                f"the member holds {len(jobs)} jobs; only {jobs[0].name} is read here "
                f"(also: {more})",
                jobs[1].location,
                hint="read every job with parse_jcl_stream",
            )
        )
    return jobs[0]


def read_proc(source: ProcSource | str, name: str | None = None) -> JclProc:
    """A PROC as written: PROC statement defaults, symbols used, steps and their DD names."""
    if isinstance(source, str):
        source = ProcSource(source, name or "<proc>")
    diags: list[Diagnostic] = []
    stmts = _Lexer(source.text, source.file, source.first_line, diags).statements()
    loc = stmts[0].loc if stmts else Location(source.file, source.first_line, 1)
    defaults: dict[str, str] = {}
    proc_name = name
    if stmts and stmts[0].op == "PROC":
        proc_name = stmts[0].name or name
        _, kw, _ = _params(stmts[0].text)
        defaults = {k: _symbol_value(v) for k, v in kw.items()}
    used: set[str] = set()
    steps: list[ProcStepInfo] = []
    for st in stmts:
        for m in _SYMBOL_USE.finditer(st.text):
            used.add(m.group(1).upper())
        if st.op == "EXEC":
            pos, kw, _ = _params(st.text)
            callee = kw.get("PROC") or (pos[0] if pos and pos[0].strip() else None)
            program = None if callee else kw.get("PGM")
            steps.append(ProcStepInfo(st.name, program, callee, [], st.loc))
        elif st.op == "DD" and st.name and steps:
            steps[-1].dds.append(st.name)
    return JclProc(proc_name or "", loc, defaults, sorted(used), steps, diags)


def store_rows(job: JclJob) -> dict[str, list[dict[str, object]]]:
    """Rows of ``jcl_jobs``, ``jcl_steps``, ``jcl_dds`` and ``datasets`` (no member, run_id)."""
    jobs: list[dict[str, object]] = [
        {"job": job.name, "file": job.location.file, "line": job.location.line}
    ]
    steps: list[dict[str, object]] = []
    dds: list[dict[str, object]] = []

    def dd_rows(step: str, dd: JclDD) -> None:
        for part in dd.parts():
            dds.append(
                {
                    "job": job.name,
                    "step": step,
                    "dd": part.name,
                    "dataset": part.dsn or part.path,
                    "disp": part.disp,
                    "file": part.location.file,
                    "line": part.location.line,
                }
            )

    for dd in job.dds:
        dd_rows("", dd)
    for ex in job.executed_steps():
        steps.append(
            {
                "job": job.name,
                "step": ex.job_step.name or "",
                "seq": ex.seq,
                "proc": ex.proc,
                "proc_step": ex.proc_step,
                "program": ex.step.program,
                "runs_program": ex.step.runs_program,
                "file": ex.step.location.file,
                "line": ex.step.location.line,
            }
        )
        for dd in ex.step.dds:
            dd_rows(ex.qualified, dd)
    datasets: list[dict[str, object]] = [
        {"dataset": d.name, "kind": d.kind, "file": d.location.file, "line": d.location.line}
        for d in job.datasets()
    ]
    return {"jcl_jobs": jobs, "jcl_steps": steps, "jcl_dds": dds, "datasets": datasets}
