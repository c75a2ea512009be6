"""EXEC SQL: the kind, tables, columns and host variables of one embedded SQL statement.

COBOL programs embed DB2 for z/OS SQL. sqlglot has no DB2 dialect, so a statement is read in
three steps:

1. a small lexer of our own splits the text into tokens, recognising COBOL host variables
   (``:NAME``, ``:GROUP.NAME``, ``:NAME:IND``, ``:NAME INDICATOR :IND``, ``:NAME OF GROUP``),
   string literals and delimited identifiers; host variables and their directions always come
   from these tokens;
2. the statements sqlglot cannot know (INCLUDE, WHENEVER, DECLARE TABLE, OPEN, FETCH, ...) are
   read from the tokens directly (``parsed_by="tokens"``);
3. data manipulation (SELECT, INSERT, UPDATE, DELETE, MERGE and the SELECT of a cursor) is
   rewritten into the PostgreSQL dialect — host variables become ``?``, DB2-only clauses
   (``WITH UR``, ``FOR FETCH ONLY``, ``FOR UPDATE OF``, ``OPTIMIZE FOR n ROWS``, ``QUERYNO``,
   ``SKIP LOCKED DATA``, ``WHERE CURRENT OF``, ``FOR n ROWS``) are removed after their facts are
   recorded, ``CURRENT DATE`` becomes ``CURRENT_DATE``, labelled durations (``30 DAYS``) lose their
   unit — and parsed by sqlglot (``parsed_by="sqlglot"``). When sqlglot fails, a token-level
   scanner finds the tables after FROM/JOIN/INTO/UPDATE/DELETE FROM/MERGE INTO/USING
   (``parsed_by="fallback"``) and an INFO diagnostic says so. The statement is never lost.

>>> st, _ = build_sql("SELECT NAME INTO :WS-NAME:WS-NAME-NULL FROM CUST WHERE ID = :WS-ID")
>>> st.kind, st.tables, [(h.name, h.indicator, h.direction) for h in st.host_variables]
('SELECT INTO', ['CUST'], [('WS-NAME', 'WS-NAME-NULL', 'output'), ('WS-ID', None, 'input')])
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from cobolspec.diagnostics import Diagnostic, Severity
from cobolspec.model.ast import Node

#: The sqlglot dialect DB2 text is rewritten into. Of sqlglot's dialects (none is DB2), PostgreSQL
#: parses the most of what DB2 programs write once the DB2-only clauses are removed:
#: ``FETCH FIRST n ROWS ONLY``, ``?`` markers, ``X'..'`` strings, ``||``, VALUES derived tables in
#: MERGE, ``EXTRACT(.. FROM ..)``, row-value comparisons.
SQLGLOT_DIALECT = "postgres"

# sqlglot logs a warning when it falls back to a raw Command; we report that ourselves.
logging.getLogger("sqlglot").addHandler(logging.NullHandler())

# Diagnostic codes (stable: a code never changes meaning).
SQL_QUOTE = "SQL001"  # unterminated string literal or delimited identifier
SQL_PAREN = "SQL002"  # unbalanced parentheses
SQL_FALLBACK = "SQL003"  # sqlglot could not parse the statement; the token scanner read it
SQL_UNKNOWN = "SQL004"  # a statement this module does not know; kept as kind "other"
SQL_SYNTAX = "SQL005"  # a known statement missing a part (cursor name, FOR, member ...)

INPUT = "input"
OUTPUT = "output"
INOUT = "inout"  # arguments of CALL: the procedure's definition says which way they go

READ, INSERT, UPDATE, DELETE = "read", "insert", "update", "delete"


class HostVariable(NamedTuple):
    """A host variable as written after its colon, with its indicator and direction.

    ``direction`` is ``input`` (its value goes to DB2: WHERE, VALUES, SET, USING ...), ``output``
    (DB2 stores into it: INTO of SELECT/FETCH/VALUES, the left side of ``SET :HV =``) or ``inout``
    (an argument of CALL).
    """

    name: str
    indicator: str | None = None
    direction: str = INPUT

    @property
    def data_name(self) -> str:
        """The COBOL reference: ``GRP.FLD`` is ``FLD OF GRP``."""
        return cobol_name(self.name)

    @property
    def indicator_data_name(self) -> str | None:
        return cobol_name(self.indicator) if self.indicator else None


class TableAccess(NamedTuple):
    """A table and what the statement does to it: read, insert, update or delete."""

    table: str
    operation: str


class ColumnRef(NamedTuple):
    """A column and its table (aliases resolved); ``table`` is None when it cannot be known."""

    table: str | None
    name: str


class ColumnDef(NamedTuple):
    """A column of DECLARE TABLE: type as written (``DECIMAL(9,2)``), NULL-ability, default.

    ``default`` is None without a default clause, ``""`` for ``WITH DEFAULT`` without a value.
    """

    name: str
    type: str
    nullable: bool = True
    default: str | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class SqlStatement(Node):
    """One embedded SQL statement and the facts read from it.

    ``kind`` is one of :data:`SQL_KINDS`. ``parsed_by`` is ``sqlglot`` (analysed from sqlglot's
    tree), ``fallback`` (sqlglot failed; tables found by the token scanner, no columns) or
    ``tokens`` (a statement whose whole syntax the token reader knows: INCLUDE, FETCH, ...).
    Table names are as written, with their schema (``SCHEMA.TABLE``), delimiters removed.
    """

    kind: str
    parsed_by: str = "tokens"
    cursor: str | None = None
    statement_name: str | None = None  # PREPARE/EXECUTE/DESCRIBE, DECLARE CURSOR FOR s
    procedure: str | None = None  # CALL; ":HV" when the name is in a host variable
    location: str | None = None  # CONNECT TO
    include_member: str | None = None
    tables: list[str] = field(default_factory=list)
    accesses: list[TableAccess] = field(default_factory=list)
    columns: list[ColumnRef] = field(default_factory=list)
    host_variables: list[HostVariable] = field(default_factory=list)
    column_defs: list[ColumnDef] = field(default_factory=list)
    whenever_condition: str | None = None  # SQLERROR, SQLWARNING, NOT FOUND
    whenever_action: str | None = None  # CONTINUE, GO TO
    whenever_target: str | None = None  # the paragraph of GO TO
    isolation: str | None = None  # WITH UR/CS/RS/RR
    for_update: bool = False
    for_update_of: list[str] = field(default_factory=list)
    with_hold: bool = False
    with_return: bool = False
    lock_mode: str | None = None  # LOCK TABLE ... IN SHARE/EXCLUSIVE MODE

    @property
    def inputs(self) -> list[HostVariable]:
        return [h for h in self.host_variables if h.direction in (INPUT, INOUT)]

    @property
    def outputs(self) -> list[HostVariable]:
        return [h for h in self.host_variables if h.direction in (OUTPUT, INOUT)]


SQL_KINDS = (
    "SELECT", "SELECT INTO", "INSERT", "UPDATE", "DELETE", "DECLARE CURSOR", "OPEN", "FETCH",
    "CLOSE", "COMMIT", "ROLLBACK", "INCLUDE", "DECLARE TABLE", "WHENEVER", "CALL", "SET",
    "CONNECT", "LOCK", "PREPARE", "EXECUTE", "DECLARE GLOBAL TEMPORARY TABLE", "MERGE",
    "VALUES INTO", "other",
)  # fmt: skip

# Statements that are valid DB2 but have no kind of their own: "other" without a diagnostic.
_KNOWN_OTHER = {
    "BEGIN", "END", "DESCRIBE", "SAVEPOINT", "RELEASE", "EXPLAIN", "GRANT", "REVOKE", "CREATE",
    "ALTER", "DROP", "COMMENT", "LABEL", "TRUNCATE", "GET", "SIGNAL", "ASSOCIATE", "ALLOCATE",
    "FREE", "HOLD", "REFRESH", "RENAME", "RESIGNAL", "EXCHANGE",
}  # fmt: skip


def cobol_name(name: str) -> str:
    """``GRP.FLD`` (DB2's qualification of a host variable) as COBOL writes it: ``FLD OF GRP``."""
    if "." not in name:
        return name
    return " OF ".join(reversed(name.split(".")))


def _diag(code: str, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(code=code, severity=severity, message=message)


# --------------------------------------------------------------------------- lexer


@dataclass(slots=True)
class _Tok:
    kind: str  # word, string, qident, host, number, punct
    text: str
    up: str
    depth: int  # parenthesis depth before the token
    pos: int = 0
    end: int = 0
    host: HostVariable | None = None


_COBOL_WORD = r"[A-Za-z0-9_#@$](?:[A-Za-z0-9_#@$-]*[A-Za-z0-9_#@$])?"
_HOST_NAME = rf"{_COBOL_WORD}(?:\.{_COBOL_WORD})*"
_HOST = re.compile(
    rf":[ \t]*(?P<name>{_HOST_NAME}(?:\s+OF\s+{_COBOL_WORD}(?![\w-]))*)"
    rf"(?:(?:\s*:|\s+INDICATOR\s*:)[ \t]*(?P<ind>{_HOST_NAME}))?",
    re.I,
)
_LEX = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
      | (?P<string>(?:[Xx]|[Gg]|[Nn]|[Uu][Xx]|[Gg][Xx]|[Bb][Xx])?'(?:[^']|'')*')
      | (?P<badstring>'.*)
      | (?P<qident>"(?:[^"]|"")*")
      | (?P<badqident>".*)
      | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[Ee][+-]?\d+)?(?![A-Za-z_#@$]))
      | (?P<word>[A-Za-z0-9_#@$]+)
      | (?P<punct><>|<=|>=|!=|\^=|¬=|\|\||.)
    """,
    re.X | re.S,
)


def _lex(body: str, diags: list[Diagnostic]) -> list[_Tok]:
    toks: list[_Tok] = []
    depth = stray = 0
    pos = 0
    while pos < len(body):
        if body[pos] == ":":
            m = _HOST.match(body, pos)
            if m:
                name = re.sub(r"\s+", " ", m.group("name"))
                name = re.sub(r"\sof\s", " OF ", name, flags=re.I)
                hv = HostVariable(name, m.group("ind"))
                toks.append(
                    _Tok("host", m.group(0), ":" + name.upper(), depth, m.start(), m.end(), hv)
                )
                pos = m.end()
                continue
        m = _LEX.match(body, pos)
        assert m is not None  # the last alternative matches any character
        pos = m.end()
        kind = m.lastgroup or "punct"
        text = m.group(0)
        if kind in ("ws", "comment"):
            continue
        if kind in ("badstring", "badqident"):
            what = "string literal" if kind == "badstring" else "delimited identifier"
            diags.append(_diag(SQL_QUOTE, Severity.WARNING, f"unterminated {what}: {text[:40]}"))
            kind = kind[3:]
        if text == ")":
            if depth == 0:
                stray += 1
            else:
                depth -= 1
        toks.append(_Tok(kind, text, text.upper(), depth, m.start(), m.end()))
        if text == "(":
            depth += 1
    if stray:
        diags.append(_diag(SQL_PAREN, Severity.WARNING, f"{stray} ')' without a matching '('"))
    if depth > 0:
        diags.append(_diag(SQL_PAREN, Severity.WARNING, f"{depth} unclosed '(' in SQL statement"))
    return toks


def _up(toks: list[_Tok], i: int) -> str:
    """The upper-cased text of token ``i`` ("" past the end)."""
    return toks[i].up if 0 <= i < len(toks) else ""


def _is_word(toks: list[_Tok], i: int) -> bool:
    return 0 <= i < len(toks) and toks[i].kind in ("word", "qident")


def _ident(tok: _Tok) -> str:
    if tok.kind == "qident":
        return tok.text[1:-1].replace('""', '"') if len(tok.text) > 1 else tok.text
    return tok.text


def _qualified(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """A dotted name (``SCHEMA.TABLE``) starting at ``i``: (name, index after it)."""
    if not _is_word(toks, i):
        return None, i
    parts = [_ident(toks[i])]
    i += 1
    while _up(toks, i) == "." and _is_word(toks, i + 1):
        parts.append(_ident(toks[i + 1]))
        i += 2
    return ".".join(parts), i


def _cobol_word(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """A COBOL-style name at ``i`` (``9999-ERR``, ``C-ACCTS``): adjacent words joined by hyphens."""
    if not (0 <= i < len(toks) and toks[i].kind in ("word", "number", "qident")):
        return None, i
    if toks[i].kind == "qident":
        return _ident(toks[i]), i + 1
    text, j = toks[i].text, i + 1
    while (
        j + 1 < len(toks)
        and toks[j].text == "-"
        and toks[j].pos == toks[j - 1].end
        and toks[j + 1].pos == toks[j].end
        and toks[j + 1].kind in ("word", "number")
    ):
        text += "-" + toks[j + 1].text
        j += 2
    return text, j


def _top_index(toks: list[_Tok], word: str, start: int = 0, end: int | None = None) -> int:
    """Index of the first ``word`` at the depth of ``toks[start]``, or -1."""
    end = len(toks) if end is None else end
    if start >= end:
        return -1
    base = toks[start].depth
    for i in range(start, end):
        if toks[i].depth == base and toks[i].up == word and toks[i].kind == "word":
            return i
    return -1


# --------------------------------------------------------------------------- kinds


def _kind(toks: list[_Tok]) -> str:
    first = 0
    while _up(toks, first) == "(":
        first += 1
    w0, w1 = _up(toks, first), _up(toks, first + 1)
    if w0 in ("SELECT", "WITH"):
        main = _main_select(toks)
        into = _top_index(toks, "INTO", main) if main >= 0 else -1
        frm = _top_index(toks, "FROM", main) if main >= 0 else -1
        return "SELECT INTO" if into >= 0 and (frm < 0 or into < frm) else "SELECT"
    if w0 == "DECLARE":
        if w1 == "GLOBAL" and _up(toks, 2) == "TEMPORARY":
            return "DECLARE GLOBAL TEMPORARY TABLE"
        _, after = _qualified(toks, 1)
        if _up(toks, after) == "TABLE":
            return "DECLARE TABLE"
        if _top_index(toks, "CURSOR") >= 0:
            return "DECLARE CURSOR"
        return "other"
    if w0 == "VALUES":
        return "VALUES INTO" if _top_index(toks, "INTO") >= 0 else "other"
    if w0 in SQL_KINDS:
        return w0
    return "other"


def _main_select(toks: list[_Tok]) -> int:
    """Index of the SELECT of the outermost query (after any WITH common table expressions)."""
    for i, t in enumerate(toks):
        if t.up == "SELECT" and t.kind == "word" and t.depth == toks[0].depth:
            return i
    return -1


# --------------------------------------------------------------------------- host variables


def _host_variables(toks: list[_Tok], kind: str) -> list[HostVariable]:
    outs = _output_positions(toks, kind)
    seen: set[HostVariable] = set()
    result: list[HostVariable] = []
    for i, t in enumerate(toks):
        if t.host is None:
            continue
        direction = INOUT if kind == "CALL" else OUTPUT if i in outs else INPUT
        hv = t.host._replace(direction=direction)
        if hv not in seen:
            seen.add(hv)
            result.append(hv)
    return result


def _output_positions(toks: list[_Tok], kind: str) -> set[int]:
    """Indices of the tokens DB2 stores into (INTO targets, the left side of SET :HV =)."""
    if kind == "SELECT INTO":
        main = _main_select(toks)
        into = _top_index(toks, "INTO", main)
        frm = _top_index(toks, "FROM", into)
        return set(range(into, frm if frm >= 0 else len(toks)))
    if kind in ("FETCH", "VALUES INTO") or (kind == "other" and _up(toks, 0) == "DESCRIBE"):
        into = _top_index(toks, "INTO")
        return set(range(into, len(toks))) if into >= 0 else set()
    if kind == "PREPARE":
        into = _top_index(toks, "INTO")
        if into < 0:
            return set()
        stop = [j for j in (_top_index(toks, w, into) for w in ("FROM", "ATTRIBUTES")) if j > 0]
        return set(range(into, min(stop, default=len(toks))))
    if kind == "SET" and (toks[1:2] and (toks[1].host or _up(toks, 1) == "(")):
        eq = next((i for i, t in enumerate(toks) if t.text == "=" and t.depth == 0), len(toks))
        return set(range(1, eq))
    return set()


# --------------------------------------------------------------------------- entry point


def build_sql(body: str) -> tuple[SqlStatement, list[Diagnostic]]:
    """Read one embedded SQL statement; never raises for bad input (diagnostics say why)."""
    diags: list[Diagnostic] = []
    toks = _lex(body, diags)
    while toks and toks[-1].text == ";":
        toks.pop()
    if not toks:
        return SqlStatement(kind="other"), diags
    kind = _kind(toks)
    st = SqlStatement(kind=kind)
    if kind != "WHENEVER":  # WHENEVER ... GO TO :label names a paragraph, not a variable
        st.host_variables = _host_variables(toks, kind)
    reader = _READERS.get(kind)
    if reader is not None:
        reader(toks, st, diags)
    elif kind in _DML:
        _analyse_dml(toks, 0, len(toks), st, diags, kind)
    else:
        if toks[0].up not in _KNOWN_OTHER:
            diags.append(
                _diag(SQL_UNKNOWN, Severity.INFO, f"SQL statement {toks[0].text!r} not analysed")
            )
        _scan_into(toks, 0, len(toks), st)
    return st, diags


_DML = {"SELECT", "SELECT INTO", "INSERT", "UPDATE", "DELETE", "MERGE"}


# --------------------------------------------------------------------------- token readers


def _read_include(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    if len(toks) > 1 and toks[1].kind in ("word", "qident", "string"):
        t = toks[1]
        st.include_member = t.text.strip("'\"") if t.kind != "word" else t.text
    else:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, "INCLUDE without a member name"))


def _read_whenever(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    i = 1
    if _up(toks, 1) in ("SQLERROR", "SQLWARNING"):
        st.whenever_condition = _up(toks, 1)
        i = 2
    elif _up(toks, 1) == "NOT" and _up(toks, 2) == "FOUND":
        st.whenever_condition = "NOT FOUND"
        i = 3
    action = _up(toks, i)
    if action == "CONTINUE":
        st.whenever_action = "CONTINUE"
    elif action in ("GOTO", "GO"):
        i += 2 if action == "GO" and _up(toks, i + 1) == "TO" else 1
        st.whenever_action = "GO TO"
        if 0 <= i < len(toks):
            host = toks[i].host
            st.whenever_target = host.name if host else _cobol_word(toks, i)[0]
    if (
        st.whenever_condition is None
        or st.whenever_action is None
        or (st.whenever_action == "GO TO" and st.whenever_target is None)
    ):
        text = " ".join(t.text for t in toks)
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"unrecognised WHENEVER: {text}"))


def _read_cursor_name(
    toks: list[_Tok], i: int, st: SqlStatement, diags: list[Diagnostic], what: str
) -> None:
    host = toks[i].host if 0 <= i < len(toks) else None
    name = _cobol_word(toks, i)[0] if _is_word(toks, i) else None
    if name:
        st.cursor = name
    elif host:  # a cursor named by a host variable
        st.cursor = ":" + host.name
    else:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"{what} without a cursor name"))


def _read_open_close(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    _read_cursor_name(toks, 1, st, diags, toks[0].up)


_FETCH_SKIP = {
    "NEXT", "PRIOR", "FIRST", "LAST", "CURRENT", "BEFORE", "AFTER", "ABSOLUTE", "RELATIVE",
    "ROWSET", "STARTING", "AT", "SENSITIVE", "INSENSITIVE", "WITH", "CONTINUE", "CONTINUOUS",
}  # fmt: skip


def _read_fetch(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    stop = min((j for j in (_top_index(toks, w) for w in ("INTO", "USING")) if j > 0),
               default=len(toks))  # fmt: skip
    frm = _top_index(toks, "FROM", 0, stop)
    if frm > 0:
        _read_cursor_name(toks, frm + 1, st, diags, "FETCH")
        return
    i = 1
    while i < stop and (toks[i].up in _FETCH_SKIP or toks[i].kind in ("number", "host")):
        i += 1
    _read_cursor_name(toks, i if i < stop else -1, st, diags, "FETCH")


def _read_declare_cursor(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    _read_cursor_name(toks, 1, st, diags, "DECLARE CURSOR")
    cur = _top_index(toks, "CURSOR")
    fr = _top_index(toks, "FOR", cur)
    if fr < 0:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, "DECLARE CURSOR without FOR"))
        return
    opts = [t.up for t in toks[cur + 1 : fr]]
    st.with_hold = "HOLD" in opts and "WITHOUT" not in opts[: opts.index("HOLD")][-1:]
    st.with_return = "RETURN" in opts
    name, after = _cobol_word(toks, fr + 1)
    if name and after == len(toks) and toks[fr + 1].kind == "word":
        st.statement_name = name  # dynamic SQL: FOR a prepared statement
        return
    if fr + 1 >= len(toks):
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, "DECLARE CURSOR FOR without a query"))
        return
    _analyse_dml(toks, fr + 1, len(toks), st, diags, "SELECT")


def _read_declare_table(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    start = 4 if st.kind == "DECLARE GLOBAL TEMPORARY TABLE" else 1
    name, i = _qualified(toks, start)
    if name is None:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"{st.kind} without a table name"))
        return
    st.tables.append(name)
    if st.kind == "DECLARE TABLE":
        i += 1  # TABLE
    if _up(toks, i) == "(":
        st.column_defs = _column_defs(toks, i)
        if not st.column_defs:
            diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"no columns in {st.kind} {name}"))
    elif _up(toks, i) == "LIKE":
        like, _ = _qualified(toks, i + 1)
        if like:
            st.tables.append(like)
    elif _up(toks, i) == "AS":
        _scan_into(toks, i + 1, len(toks), st)
    else:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"no column list in {st.kind} {name}"))


_COLDEF_STOP = {
    "NOT", "NULL", "WITH", "DEFAULT", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK",
    "GENERATED", "IMPLICITLY", "INLINE",
}  # fmt: skip


def _column_defs(toks: list[_Tok], open_paren: int) -> list[ColumnDef]:
    inner = toks[open_paren].depth + 1
    items: list[list[_Tok]] = [[]]
    for t in toks[open_paren + 1 :]:
        if t.depth < inner:
            break
        if t.text == "," and t.depth == inner:
            items.append([])
        else:
            items[-1].append(t)
    defs: list[ColumnDef] = []
    for item in items:
        if not item or item[0].kind not in ("word", "qident") or item[0].up in _COLDEF_STOP:
            continue
        rest = [t.up for t in item[1:]]
        n = next(
            (
                j
                for j, w in enumerate(rest)
                if w in _COLDEF_STOP
                and not (w == "WITH" and rest[j + 1 : j + 2] in (["TIME"], ["LOCAL"]))
            ),
            len(rest),
        )
        type_text = _join(item[1 : 1 + n])
        nullable = not any(rest[j] == "NOT" and rest[j + 1 : j + 2] == ["NULL"]
                           for j in range(len(rest)))  # fmt: skip
        default: str | None = None
        if "DEFAULT" in rest:
            k = rest.index("DEFAULT") + 1
            tail = item[1 + k :]
            stop = next((j for j, t in enumerate(tail) if t.up in _COLDEF_STOP), len(tail))
            default = _join(tail[:stop])
        defs.append(ColumnDef(_ident(item[0]), type_text, nullable, default))
    return defs


def _join(toks: list[_Tok]) -> str:
    """Tokens as text, spaced like SQL is written: ``DECIMAL(9,2)``, ``CHAR(10) FOR BIT DATA``."""
    out = ""
    for t in toks:
        if out and t.text not in ("(", ")", ",", ".") and out[-1] not in "(.,":
            out += " "
        out += t.text
    return out


def _read_call(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    if len(toks) > 1 and toks[1].host:
        st.procedure = ":" + toks[1].host.name
    else:
        st.procedure, _ = _qualified(toks, 1)
    if st.procedure is None:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, "CALL without a procedure name"))


def _read_connect(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    to = _top_index(toks, "TO")
    if to > 0 and to + 1 < len(toks):
        t = toks[to + 1]
        st.location = ":" + t.host.name if t.host else t.text.strip("'\"")


def _read_lock(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    name, i = _qualified(toks, 2 if _up(toks, 1) == "TABLE" else 1)
    if name is None:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, "LOCK TABLE without a table name"))
        return
    st.tables.append(name)
    if _up(toks, i) == "IN" and _up(toks, i + 1) in ("SHARE", "EXCLUSIVE"):
        st.lock_mode = _up(toks, i + 1)


def _read_prepare_execute(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    if _up(toks, 1) == "IMMEDIATE":
        return
    if _is_word(toks, 1):
        st.statement_name = _cobol_word(toks, 1)[0]
    else:
        diags.append(_diag(SQL_SYNTAX, Severity.WARNING, f"{st.kind} without a statement name"))


def _read_nothing(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    return


def _read_set_values(toks: list[_Tok], st: SqlStatement, diags: list[Diagnostic]) -> None:
    _scan_into(toks, 0, len(toks), st)  # scalar subqueries: SET :N = (SELECT ... FROM T)


_READERS = {
    "INCLUDE": _read_include,
    "WHENEVER": _read_whenever,
    "OPEN": _read_open_close,
    "CLOSE": _read_open_close,
    "FETCH": _read_fetch,
    "DECLARE CURSOR": _read_declare_cursor,
    "DECLARE TABLE": _read_declare_table,
    "DECLARE GLOBAL TEMPORARY TABLE": _read_declare_table,
    "CALL": _read_call,
    "CONNECT": _read_connect,
    "LOCK": _read_lock,
    "PREPARE": _read_prepare_execute,
    "EXECUTE": _read_prepare_execute,
    "COMMIT": _read_nothing,
    "ROLLBACK": _read_nothing,
    "SET": _read_set_values,
    "VALUES INTO": _read_set_values,
}


# --------------------------------------------------------------------------- DML: rewriting

_ISOLATION = {"UR", "CS", "RS", "RR"}
_DURATIONS = {
    "DAY", "DAYS", "MONTH", "MONTHS", "YEAR", "YEARS", "HOUR", "HOURS", "MINUTE", "MINUTES",
    "SECOND", "SECONDS", "MICROSECOND", "MICROSECONDS",
}  # fmt: skip
_DATETIME_FORMATS = {"ISO", "USA", "EUR", "JIS", "LOCAL"}
_SPECIAL_CHARS = re.compile(r"[#@$]")


@dataclass(slots=True)
class _Rewrite:
    drop: set[int] = field(default_factory=set)
    repl: dict[int, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # placeholder -> identifier as written


def _db2_rewrite(toks: list[_Tok], start: int, end: int, st: SqlStatement, kind: str) -> _Rewrite:
    """Record the DB2-only clauses in ``st`` and say which tokens sqlglot must not see."""
    rw = _Rewrite()
    drop = rw.drop
    if kind == "SELECT INTO":
        into = _top_index(toks, "INTO", _main_select(toks))
        frm = _top_index(toks, "FROM", into)
        drop.update(range(into, frm if frm >= 0 else end))
    i = start
    while i < end:
        u, n1, n2 = _up(toks, i), _up(toks, i + 1), _up(toks, i + 2)
        j = i
        if toks[i].kind != "word":
            pass
        elif u == "WITH" and n1 in _ISOLATION:
            st.isolation = n1
            j = i + 2
            if _up(toks, j) == "USE" and _up(toks, j + 4) == "LOCKS":
                j += 5
            elif _up(toks, j) == "KEEP" and _up(toks, j + 2) == "LOCKS":
                j += 3
        elif u == "FOR" and n1 in ("FETCH", "READ") and n2 == "ONLY":
            j = i + 3
        elif u == "FOR" and n1 == "UPDATE":
            st.for_update = True
            j = i + 2
            if _up(toks, j) == "OF":
                j += 1
                while _is_word(toks, j):
                    name, j = _qualified(toks, j)
                    st.for_update_of.append(name or "")
                    if _up(toks, j) != ",":
                        break
                    j += 1
        elif u == "OPTIMIZE" and n1 == "FOR" and _up(toks, i + 3) in ("ROW", "ROWS"):
            j = i + 4
        elif u == "QUERYNO" and i + 1 < end and toks[i + 1].kind == "number":
            j = i + 2
        elif u == "SKIP" and n1 == "LOCKED" and n2 == "DATA":
            j = i + 3
        elif u == "WHERE" and n1 == "CURRENT" and n2 == "OF":
            name, j = _cobol_word(toks, i + 3)
            st.cursor = name
        elif (
            u == "FOR"
            and i + 1 < end
            and toks[i + 1].kind in ("number", "host")
            and n2 in ("ROW", "ROWS")
        ):
            j = i + 3
            if _up(toks, j) == "ATOMIC":
                j += 1
            elif _up(toks, j) == "NOT" and _up(toks, j + 1) == "ATOMIC":
                j += 2 + (3 if _up(toks, j + 2) == "CONTINUE" else 0)
        if j > i:
            drop.update(range(i, min(j, end)))
            i = j
        else:
            _rewrite_token(toks, i, end, rw)
            i += 1
    return rw


def _rewrite_token(toks: list[_Tok], i: int, end: int, rw: _Rewrite) -> None:
    t = toks[i]
    if t.kind == "host":
        rw.repl[i] = "?"
    elif t.text in ("¬=", "^="):
        rw.repl[i] = "<>"
    elif t.kind == "string" and t.text[0] != "'" and t.up[0] != "X":
        rw.repl[i] = t.text[t.text.index("'") :]  # G'..', N'..', UX'..': a plain string will do
    elif t.kind != "word" or i in rw.drop:
        return
    elif (
        t.up == "CURRENT"
        and i + 1 < end
        and toks[i + 1].kind == "word"
        and (_up(toks, i + 1) != "OF")
    ):
        n1 = _up(toks, i + 1)
        rw.drop.add(i + 1)
        if n1 in ("DATE", "TIME", "TIMESTAMP"):
            rw.repl[i] = "CURRENT_" + n1
        else:  # a special register (SQLID, SERVER, TIMEZONE ...): a value, not a column
            rw.repl[i] = "?"
            if n1 == "TIME" and _up(toks, i + 2) == "ZONE":
                rw.drop.add(i + 2)
    elif t.up in ("NEXT", "PREVIOUS") and _up(toks, i + 1) == "VALUE" and _up(toks, i + 2) == "FOR":
        _, after = _qualified(toks, i + 3)
        rw.repl[i] = "?"  # a sequence value
        rw.drop.update(range(i + 1, after))
    elif t.up in _DURATIONS and _up(toks, i + 1) != "(" and _is_operand_end(toks, i - 1):
        rw.drop.add(i)  # labelled duration: CURRENT DATE - 30 DAYS
    elif t.up in _DATETIME_FORMATS and _up(toks, i - 1) == "," and _up(toks, i + 1) == ")":
        rw.repl[i] = f"'{t.up}'"  # CHAR(date, ISO)
    elif t.up == "CONCAT" and _up(toks, i + 1) != "(":
        rw.repl[i] = "||"
    elif _SPECIAL_CHARS.search(t.text):
        placeholder = f"zzq{len(rw.names)}_"
        rw.names[placeholder] = t.text
        rw.repl[i] = placeholder


def _is_operand_end(toks: list[_Tok], i: int) -> bool:
    if i < 0:
        return False
    t = toks[i]
    if t.kind in ("number", "host") or t.text == ")":
        return True
    return t.kind == "word" and _up(toks, i - 1) in ("+", "-") and t.up not in _DURATIONS


def _rewritten_text(toks: list[_Tok], start: int, end: int, rw: _Rewrite) -> str:
    return " ".join(rw.repl.get(i, toks[i].text) for i in range(start, end) if i not in rw.drop)


# --------------------------------------------------------------------------- DML: analysis

_EXPECTED: dict[str, type[exp.Expr]] = {
    "SELECT": exp.Query,
    "SELECT INTO": exp.Query,
    "INSERT": exp.Insert,
    "UPDATE": exp.Update,
    "DELETE": exp.Delete,
    "MERGE": exp.Merge,
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _analyse_dml(
    toks: list[_Tok], start: int, end: int, st: SqlStatement, diags: list[Diagnostic], kind: str
) -> None:
    rw = _db2_rewrite(toks, start, end, st, kind)
    text = _rewritten_text(toks, start, end, rw)
    tree: exp.Expr | None = None
    reason = ""
    try:
        tree = sqlglot.parse_one(text, read=SQLGLOT_DIALECT, error_level=ErrorLevel.RAISE)
    except Exception as exc:  # sqlglot raises several error types; all mean "cannot parse"
        reason = _ANSI.sub("", str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
    if tree is not None and not isinstance(tree, _EXPECTED[kind]):
        reason = f"read as {type(tree).__name__}"
        tree = None
    if tree is not None:
        st.parsed_by = "sqlglot"
        _tree_facts(tree, st, rw.names)
        return
    st.parsed_by = "fallback"
    _scan_into(toks, start, end, st)
    diags.append(
        _diag(
            SQL_FALLBACK,
            Severity.INFO,
            f"sqlglot could not parse this {kind} statement ({reason[:120]}); tables and host "
            "variables were found by the token scanner, columns were not",
        )
    )


def _unmap(name: str, names: dict[str, str]) -> str:
    return names.get(name, name)


def _table_name(table: exp.Table, names: dict[str, str]) -> str:
    parts = [table.catalog, table.db, table.name]
    return ".".join(_unmap(p, names) for p in parts if p)


def _add_table(st: SqlStatement, name: str, op: str | None) -> None:
    if name.upper() not in (t.upper() for t in st.tables):
        st.tables.append(name)
    if op is not None:
        access = TableAccess(name, op)
        if access not in st.accesses:
            st.accesses.append(access)


_SCOPES = (exp.Select, exp.Update, exp.Delete, exp.Insert, exp.Merge, exp.SetOperation)


def _scope_of(node: exp.Expr) -> exp.Expr | None:
    """The query, UPDATE, DELETE, INSERT or MERGE whose FROM list names ``node``'s sources."""
    p = node.parent
    while p is not None:
        if isinstance(p, _SCOPES) and not isinstance(p.parent, exp.When):
            return p
        p = p.parent
    return None


def _target(tree: exp.Expr) -> exp.Table | None:
    if isinstance(tree, exp.Insert | exp.Update | exp.Delete | exp.Merge):
        t = tree.this
        if isinstance(t, exp.Schema):
            t = t.this
        return t if isinstance(t, exp.Table) else None
    return None


def _target_ops(tree: exp.Expr) -> list[str]:
    if isinstance(tree, exp.Insert):
        return [INSERT]
    if isinstance(tree, exp.Update):
        return [UPDATE]
    if isinstance(tree, exp.Delete):
        return [DELETE]
    ops: list[str] = []
    for when in tree.find_all(exp.When):
        then = when.args.get("then")
        op = (
            UPDATE if isinstance(then, exp.Update)
            else INSERT if isinstance(then, exp.Insert)
            else DELETE if then is not None and "DELETE" in then.sql().upper()
            else None
        )  # fmt: skip
        if op and op not in ops:
            ops.append(op)
    return ops or [UPDATE]


def _start(node: exp.Expr) -> int:
    """Where a table or column name starts in the rewritten text (to list them in source order)."""
    meta = getattr(node.this, "meta", None) or {}
    return int(meta.get("start", 0))


def _tree_facts(tree: exp.Expr, st: SqlStatement, names: dict[str, str]) -> None:
    ctes = {c.alias_or_name.upper() for c in tree.find_all(exp.CTE)}
    target = _target(tree)
    tables = sorted(
        (t for t in tree.find_all(exp.Table, bfs=False) if t.name),
        key=_start,
    )
    for t in tables:
        if t.name.upper() in ctes and not t.db:
            continue
        name = _table_name(t, names)
        if t is target:
            for op in _target_ops(tree):
                _add_table(st, name, op)
        else:
            _add_table(st, name, READ)
    _columns(tree, st, names, ctes, target)


_NOT_COLUMNS = {"USER", "SESSION_USER", "SYSTEM_USER", "CURRENT_USER", "CURRENT_SCHEMA", "DEFAULT"}


def _sources(scope: exp.Expr, ctes: set[str], names: dict[str, str]) -> dict[str, str | None]:
    """Alias or name (upper case) -> table name, for the sources of one scope (None if derived)."""
    found: dict[str, str | None] = {}
    for node in scope.find_all(exp.Table, exp.Subquery, exp.Values):
        if _scope_of(node) is not scope:
            continue
        if isinstance(node, exp.Table) and node.name:
            derived = node.name.upper() in ctes and not node.db
            name = None if derived else _table_name(node, names)
            found[(node.alias or node.name).upper()] = name
            if node.alias and name:
                found.setdefault(node.name.upper(), name)
        elif node.alias and isinstance(node.parent, exp.From | exp.Join | exp.Merge):
            found[node.alias.upper()] = None
    return found


def _columns(
    tree: exp.Expr,
    st: SqlStatement,
    names: dict[str, str],
    ctes: set[str],
    target: exp.Table | None,
) -> None:
    target_name = _table_name(target, names) if target is not None else None
    cache: dict[int, dict[str, str | None]] = {}

    def sources(scope: exp.Expr) -> dict[str, str | None]:
        if id(scope) not in cache:
            cache[id(scope)] = _sources(scope, ctes, names)
        return cache[id(scope)]

    found: list[ColumnRef] = []

    def add(table: str | None, name: str) -> None:
        ref = ColumnRef(table, _unmap(name, names))
        if ref not in found:
            found.append(ref)

    if isinstance(tree, exp.Insert) and isinstance(tree.this, exp.Schema):
        for ident in tree.this.expressions:
            add(target_name, ident.name)
    for col in sorted(tree.find_all(exp.Column, bfs=False), key=_start):
        if isinstance(col.this, exp.Star) or not col.name:
            continue
        qualifier = col.table.upper()
        if not qualifier and col.name.upper() in _NOT_COLUMNS:
            continue
        if _is_target_column(col):
            add(target_name, col.name)
            continue
        scope = _scope_of(col)
        if scope is None or isinstance(scope, exp.SetOperation):
            continue  # ORDER BY of a UNION names result columns
        if not qualifier:
            if _is_select_alias(col, scope):
                continue
            srcs = sources(scope)
            if len(srcs) == 1 or len(set(srcs.values())) == 1:
                only = next(iter(srcs.values()))
                if only is not None:
                    add(only, col.name)
            else:
                add(None, col.name)
            continue
        outer: exp.Expr | None = scope
        while outer is not None and qualifier not in sources(outer):
            outer = _scope_of(outer)
        if outer is None:
            add(None, col.name)
        elif sources(outer)[qualifier] is not None:
            add(sources(outer)[qualifier], col.name)
    st.columns = found


def _is_target_column(col: exp.Column) -> bool:
    """A column being set or inserted into inside MERGE: it belongs to the target."""
    p = col.parent
    if isinstance(p, exp.EQ) and p.this is col and isinstance(p.parent, exp.Update):
        return isinstance(p.parent.parent, exp.When)
    if isinstance(p, exp.Tuple) and isinstance(p.parent, exp.Insert):
        return p is p.parent.this and isinstance(p.parent.parent, exp.When)
    return False


def _is_select_alias(col: exp.Column, scope: exp.Expr) -> bool:
    if not isinstance(scope, exp.Select):
        return False
    aliases = {e.alias.upper() for e in scope.expressions if isinstance(e, exp.Alias)}
    if col.name.upper() not in aliases:
        return False
    p: exp.Expr | None = col
    while p is not None and p is not scope:
        if p.parent is scope and p in scope.expressions:
            return False
        p = p.parent
    return True


# --------------------------------------------------------------------------- fallback scanner

_FROM_FUNCTIONS = {"EXTRACT", "TRIM", "SUBSTRING", "POSITION", "OVERLAY"}
_FROM_END = {
    "WHERE", "GROUP", "ORDER", "HAVING", "UNION", "EXCEPT", "INTERSECT", "FETCH", "ON", "JOIN",
    "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "WITH", "FOR", "OPTIMIZE", "QUERYNO", "SKIP",
    "SET", "VALUES", "SELECT", "INTO",
}  # fmt: skip
_TABLE_PREFIX = {"TABLE", "LATERAL", "FINAL", "NEW", "OLD"}


def _scan_into(toks: list[_Tok], start: int, end: int, st: SqlStatement) -> None:
    """Add the tables named in ``toks[start:end]`` to ``st``, found without a grammar."""
    ctes = {
        toks[i].up
        for i in range(start, end - 2)
        if _up(toks, start) == "WITH"
        and _is_word(toks, i)
        and _up(toks, i + 1) == "AS"
        and _up(toks, i + 2) == "("
    }
    openers: list[str] = []
    list_depth: int | None = None  # depth of the FROM list being read
    expect = False  # the next word at list_depth names a table
    i = start
    while i < end:
        t = toks[i]
        if list_depth is not None and t.depth < list_depth:
            list_depth = None
        if t.text == "(":
            openers.append(_up(toks, i - 1))
        elif t.text == ")" and openers:
            openers.pop()
        if list_depth is not None and t.depth == list_depth:
            if t.text == ",":
                expect = True
                i += 1
                continue
            if expect and t.up in _TABLE_PREFIX:
                i += 1
                continue
            if expect and _is_word(toks, i):
                name, i = _qualified(toks, i)
                if name and name.upper() not in ctes:
                    _add_table(st, name, READ)
                expect = False
                continue
            expect = False
            if t.kind == "word" and t.up in _FROM_END:
                list_depth = None
        prev = _up(toks, i - 1)
        if t.kind == "word" and t.up == "FROM" and not (openers and openers[-1] in _FROM_FUNCTIONS):
            if prev == "DELETE":
                name, i = _qualified(toks, i + 1)
                if name:
                    _add_table(st, name, DELETE)
                continue
            list_depth, expect = t.depth, True
        elif t.kind == "word" and (
            (t.up == "JOIN")
            or (t.up == "USING" and _up(toks, start) == "MERGE" and t.depth == toks[start].depth)
        ):
            name, j = _qualified(toks, i + 1)
            if name and name.upper() not in ctes:
                _add_table(st, name, READ)
                i = j
                continue
        elif t.kind == "word" and (
            (t.up == "INTO" and prev in ("INSERT", "MERGE")) or (t.up == "UPDATE" and i == start)
        ):
            name, j = _qualified(toks, i + 1)
            if name:
                ops = (
                    [INSERT]
                    if prev == "INSERT"
                    else [UPDATE]
                    if t.up == "UPDATE"
                    else (_merge_ops(toks, j, end))
                )
                for op in ops:
                    _add_table(st, name, op)
                i = j
                continue
        i += 1


def _merge_ops(toks: list[_Tok], start: int, end: int) -> list[str]:
    ops: list[str] = []
    for i in range(start, end - 1):
        if toks[i].up == "THEN" and _up(toks, i + 1) in ("UPDATE", "INSERT", "DELETE"):
            op = toks[i + 1].text.lower()
            if op not in ops:
                ops.append(op)
    return ops or [UPDATE]
