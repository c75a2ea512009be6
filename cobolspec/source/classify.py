"""What a member is, judged by its content (never by its file extension).

>>> classify(["//PAYJOB   JOB (ACCT),'PAY',CLASS=A", "//STEP1 EXEC PGM=PAY"])
<MemberKind.JCL: 'jcl'>
>>> classify(["       01  CUST-REC.", "           05  CUST-ID  PIC X(8)."])
<MemberKind.COPYBOOK: 'copybook'>
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from cobolspec.source.refformat import FIXED, FREE, VARIABLE


class MemberKind(str, Enum):  # noqa: UP042  (same shape as Severity)
    """Kinds of member found in a dump."""

    PROGRAM = "program"
    COPYBOOK = "copybook"
    JCL = "jcl"
    PROC = "proc"
    BMS = "bms"
    DCLGEN = "dclgen"
    DDL = "ddl"
    OTHER = "other"


_W = r"(?<![\w-])"
_E = r"(?![\w-])"
_ID_DIVISION = re.compile(_W + r"(?:IDENTIFICATION|ID)\s+DIVISION" + _E)
_PROGRAM_ID = re.compile(_W + r"(?:PROGRAM-ID|CLASS-ID|FUNCTION-ID)" + _E)
_JOB = re.compile(r"^//[^*\s]\S*\s+JOB(?:\s|$)", re.M)
_PROC = re.compile(r"^//[^*\s]\S*\s+PROC(?:\s|$)", re.M)
_JCL_STMT = re.compile(r"^//\S*\s+(?:EXEC|DD)(?:\s|$)", re.M)
_BMS = re.compile(r"^(?:[A-Z@#$][A-Z0-9@#$]{0,7})?[ \t]+DFHM(?:SD|DI|DF)(?=[ \t]|$)", re.M)
_DECLARE_TABLE = re.compile(_W + r"EXEC\s+SQL\s+DECLARE\s+[\w.\"$#@-]+\s+TABLE" + _E)
_EXEC_SQL = re.compile(_W + r"EXEC\s+SQL" + _E)
_DDL = re.compile(
    r"^\s*(?:CREATE|ALTER|DROP)\s+(?:(?:UNIQUE|LARGE|LOB|AUXILIARY|GLOBAL\s+TEMPORARY|OR\s+REPLACE)"
    r"\s+)*(?:TABLE|INDEX|VIEW|TABLESPACE|DATABASE|STOGROUP|SYNONYM|ALIAS|SEQUENCE|TRIGGER"
    r"|PROCEDURE|FUNCTION|SCHEMA)(?:\s|$)",
    re.M,
)
_LEVEL = r"^[ \t]*(?:0?[1-9]|[1-4][0-9]|66|77|88)[ \t]+"
_DATA_ENTRY = re.compile(
    _LEVEL + r"(?:(?:[A-Z0-9][A-Z0-9-]*)[ \t]+)?(?:PIC|PICTURE|VALUES?|OCCURS|REDEFINES|RENAMES"
    r"|USAGE|COMP(?:UTATIONAL)?(?:-[1-5])?|BINARY|PACKED-DECIMAL|INDEX|POINTER|SIGN|JUST"
    r"|JUSTIFIED|BLANK|SYNC|SYNCHRONIZED|EXTERNAL|GLOBAL)"
    + _E
    + "|"
    + _LEVEL
    + r"[A-Z0-9][A-Z0-9-]*[ \t]*\.?[ \t]*$",
    re.M,
)
_FILE_ENTRY = re.compile(r"^\s*(?:FD|SD|RD)\s+[A-Z0-9][A-Z0-9-]*", re.M)
_NAME = r"[A-Z0-9][A-Z0-9-]*"
_VERB = re.compile(
    r"^[ \t]*(?:MOVE[ \t].+[ \t]TO[ \t]"
    r"|(?:ADD|SUBTRACT|MULTIPLY|DIVIDE)[ \t].+[ \t](?:TO|FROM|BY|INTO|GIVING)[ \t]"
    r"|COMPUTE[ \t]+\S+(?:[ \t]+ROUNDED)?[ \t]*="
    r"|PERFORM(?:[ \t]+"
    + _NAME
    + r"(?:[ \t]+(?:THRU|THROUGH|UNTIL|VARYING|WITH|TEST)"
    + _E
    + r"|[ \t]*\.?[ \t]*$)|[ \t]*$)"
    r"|GO[ \t]+TO[ \t]|GOBACK|STOP[ \t]+RUN|(?:EXIT|CONTINUE)[ \t]*\.?[ \t]*$"
    r"|EXIT[ \t]+(?:PROGRAM|PARAGRAPH|SECTION|PERFORM)"
    r"|EXEC[ \t]+(?:SQL|CICS|DLI)" + _E + "|END-(?:EXEC|IF|PERFORM|EVALUATE|READ|CALL|COMPUTE"
    r"|STRING|SEARCH|WRITE|START|RETURN)"
    + _E
    + r"|IF[ \t]+"
    + _NAME
    + r"(?:[ \t]*(?:=|>|<|\()|[ \t]+(?:NOT|IS|=|EQUAL|GREATER|LESS"
    r"|NUMERIC|ALPHABETIC|ZERO|ZEROS|ZEROES|SPACE|SPACES)" + _E + r"|[ \t]*$)"
    r"|EVALUATE[ \t]+(?:TRUE|"
    + _NAME
    + r"[ \t]*$)|WHEN[ \t]+(?:OTHER|['\"0-9]|"
    + _NAME
    + r"[ \t]*$)|ELSE[ \t]*$"
    r"|CALL[ \t]+(?:['\"][^'\"]+['\"]|" + _NAME + r"[ \t]+USING" + _E + ")"
    r"|DISPLAY[ \t]+(?:['\"]|" + _NAME + r"[ \t]*(?:\.|$|UPON|['\"]))"
    r"|OPEN[ \t]+(?:INPUT|OUTPUT|I-O|EXTEND)" + _E + "|CLOSE[ \t]+" + _NAME + r"[ \t]*\.?[ \t]*$"
    r"|(?:READ|WRITE|REWRITE|DELETE)[ \t]+" + _NAME + r"(?:[ \t]+(?:INTO|FROM|NEXT|AT|KEY|INVALID"
    r"|RECORD)" + _E + r"|[ \t]*\.?[ \t]*$)"
    r"|INITIALIZE[ \t]|SET[ \t]+\S+[ \t]+(?:TO|UP|DOWN)"
    + _E
    + r"|(?:STRING|UNSTRING|SEARCH|SORT|MERGE|RELEASE|RETURN)[ \t]+"
    + _NAME
    + r"|INSPECT[ \t]+\S+[ \t]+(?:TALLYING|REPLACING|CONVERTING)"
    + _E
    + r"|ACCEPT[ \t]+"
    + _NAME
    + r"(?:[ \t]+FROM"
    + _E
    + r"|[ \t]*\.?[ \t]*$)"
    r"|COPY[ \t]+['\"A-Z0-9]|REPLACE[ \t]+(?:==|OFF)|SELECT[ \t]+\S+[ \t]+ASSIGN"
    + _E
    + r"|(?:NOT[ \t]+)?(?:AT[ \t]+END|INVALID[ \t]+KEY|ON[ \t]+SIZE[ \t]+ERROR)"
    + _E
    + ")",
    re.M,
)
_CLAUSE = re.compile(
    _W + r"(?:PIC|PICTURE|OCCURS|REDEFINES|ASSIGN|ORGANIZATION|LABEL\s+RECORDS?"
    r"|DATA\s+RECORDS?|SAME\s+(?:RECORD\s+|SORT\s+)?AREA|BLOCK\s+CONTAINS)" + _E
)
_PARAGRAPH = re.compile(r"^ {0,3}[A-Z0-9][A-Z0-9-]*(?:\s+SECTION)?\.[ \t]*$", re.M)
_COMMENT_SQL = re.compile(r"--[^\n]*")


def cobol_view(lines: Sequence[str], fmt: str = FIXED) -> str:
    """Program text only (no sequence, indicator or identification areas, no comment lines).

    Columns are shifted: the view's first character is column 8 of a fixed-format line.
    """
    if fmt == FREE:
        return "\n".join(ln.split("*>", 1)[0] for ln in lines)
    end = 250 if fmt == VARIABLE else 72
    return "\n".join(ln[7:end] for ln in lines if ln[6:7] not in ("*", "/"))


def _jcl_kind(lines: Sequence[str], upper: str) -> MemberKind | None:
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return None
    slashes = sum(1 for ln in nonblank if ln.startswith(("//", "/*")))
    if not (nonblank[0].startswith(("//", "/*")) or slashes * 2 >= len(nonblank)):
        return None
    if _JOB.search(upper):
        return MemberKind.JCL
    if _PROC.search(upper) or _JCL_STMT.search(upper):
        return MemberKind.PROC
    return None


def looks_like_cobol(view: str) -> bool:
    """Whether program text reads as COBOL data or procedure text (a copybook's content).

    Data entries, file entries and clauses are strong signs; statements count when they have
    a statement's shape (``MOVE a TO b``, not "Move the files first."). Mostly lower-case text
    must show twice as many signs, because that is what prose looks like.
    """
    upper = view.upper()
    nonblank = sum(1 for ln in upper.split("\n") if ln.strip())
    if not nonblank:
        return False
    data = (
        len(_DATA_ENTRY.findall(upper))
        + len(_FILE_ENTRY.findall(upper))
        + len(_CLAUSE.findall(upper))
    )
    strong = data + len(_VERB.findall(upper))
    paragraphs = len(_PARAGRAPH.findall(upper))
    lower = sum(1 for c in view if c.islower())
    letters = sum(1 for c in view if c.isalpha())
    share = 2 if data == 0 and lower * 2 > letters else 4
    return strong >= 1 and (strong + paragraphs) * share >= nonblank


def classify(lines: Sequence[str], fmt: str = FIXED, text: str | None = None) -> MemberKind:
    """The kind of a member from its decoded physical lines.

    Order: JCL/PROC (``//`` statements), BMS macros, then the COBOL program text (fixed-format
    areas respected): a program has an IDENTIFICATION (or ID) DIVISION header and a
    PROGRAM-ID; a DCLGEN has ``EXEC SQL DECLARE ... TABLE``; DDL has CREATE/ALTER/DROP of a
    table, index, view... outside EXEC SQL; a copybook is COBOL data or procedure text without
    a division header; anything else is OTHER.
    """
    if text is None:
        text = "\n".join(lines)
    upper = text.upper()
    kind = _jcl_kind(lines, upper)
    if kind is not None:
        return kind
    if "DFHM" in upper and _BMS.search(upper):
        return MemberKind.BMS
    raw_view = cobol_view(lines, fmt)
    view = raw_view.upper()
    program_id = _PROGRAM_ID.search(view)
    if program_id:
        header = _ID_DIVISION.search(view)
        if header or not view[: program_id.start()].strip():
            return MemberKind.PROGRAM
    if "DECLARE" in view and _DECLARE_TABLE.search(view):
        return MemberKind.DCLGEN
    if not _EXEC_SQL.search(upper):
        sql = _COMMENT_SQL.sub("", upper) if "--" in upper else upper
        if _DDL.search(sql):
            return MemberKind.DDL
    if looks_like_cobol(raw_view):
        return MemberKind.COPYBOOK
    if fmt != FREE and looks_like_cobol(cobol_view(lines, FREE)):
        return MemberKind.COPYBOOK
    if fmt != FREE and view.strip() and _sequenced(lines):
        return MemberKind.COPYBOOK
    return MemberKind.OTHER


def _sequenced(lines: Sequence[str]) -> bool:
    """Fixed reference format throughout: sequence numbers in 1-6 and a valid indicator.

    A fragment of clauses in that shape (``RCD-1``, ``LABEL RECORDS STANDARD``) is library
    text written to be copied, even when it is too short to show any other sign of COBOL.
    """
    nonblank = [ln for ln in lines if ln.strip()]
    good = sum(
        1 for ln in nonblank if ln[:6].isdigit() and ln[6:7] in (" ", "*", "/", "-", "D", "d")
    )
    return bool(nonblank) and good * 10 >= len(nonblank) * 9
