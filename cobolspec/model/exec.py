"""Embedded ``EXEC <language> ... END-EXEC`` blocks as typed nodes.

The parser captures each block as raw text and calls :func:`build_exec`, which returns an
:class:`ExecBlock` holding the text, what could be read from it (an SQL statement, a CICS command
or a DL/I call) and diagnostics for what could not. Nothing here raises on bad input.

>>> block = build_exec("CICS", " XCTL PROGRAM('COMEN01C') COMMAREA(CARDDEMO-COMMAREA)\\n ")
>>> block.cics.command, block.cics.program, block.cics.reads
('XCTL', 'COMEN01C', ['CARDDEMO-COMMAREA'])
>>> block = build_exec("SQL", "INCLUDE SQLCA")
>>> block.sql.kind, block.sql.include_member
('INCLUDE', 'SQLCA')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cobolspec.diagnostics import Diagnostic, Severity, Span
from cobolspec.model.ast import Node
from cobolspec.model.exec_cics import (
    CICS_PAREN,
    CICS_QUOTE,
    CICS_SYNTAX,
    CICS_UNKNOWN,
    DLI_PAREN,
    DLI_QUOTE,
    DLI_SYNTAX,
    DLI_UNKNOWN,
    CicsCommand,
    CicsOption,
    DliCall,
    DliSegment,
    build_cics,
    build_dli,
    data_refs,
    unquote,
)
from cobolspec.model.exec_sql import (
    INOUT,
    INPUT,
    OUTPUT,
    SQL_FALLBACK,
    SQL_KINDS,
    SQL_PAREN,
    SQL_QUOTE,
    SQL_SYNTAX,
    SQL_UNKNOWN,
    SQLGLOT_DIALECT,
    ColumnDef,
    ColumnRef,
    HostVariable,
    SqlStatement,
    TableAccess,
    build_sql,
    cobol_name,
)

__all__ = [
    "CICS_PAREN",
    "CICS_QUOTE",
    "CICS_SYNTAX",
    "CICS_UNKNOWN",
    "DLI_PAREN",
    "DLI_QUOTE",
    "DLI_SYNTAX",
    "DLI_UNKNOWN",
    "EXEC_EMPTY",
    "EXEC_INTERNAL",
    "EXEC_LANGUAGE",
    "INOUT",
    "INPUT",
    "OUTPUT",
    "SQLGLOT_DIALECT",
    "SQL_FALLBACK",
    "SQL_KINDS",
    "SQL_PAREN",
    "SQL_QUOTE",
    "SQL_SYNTAX",
    "SQL_UNKNOWN",
    "CicsCommand",
    "CicsOption",
    "ColumnDef",
    "ColumnRef",
    "DliCall",
    "DliSegment",
    "ExecBlock",
    "HostVariable",
    "SqlStatement",
    "TableAccess",
    "build_cics",
    "build_dli",
    "build_exec",
    "build_sql",
    "cobol_name",
    "data_refs",
    "unquote",
]

# Diagnostic codes of the block itself (the languages' own codes are in exec_sql / exec_cics).
EXEC_EMPTY = "EXEC001"  # nothing between the language word and END-EXEC
EXEC_LANGUAGE = "EXEC002"  # a language not analysed (JAVA, HTML ...): kept as text
EXEC_INTERNAL = "EXEC003"  # a defect in this module; the block is kept as text

SQL_LANGUAGES = frozenset({"SQL", "SQLIMS"})


@dataclass(slots=True, kw_only=True, eq=False)
class ExecBlock(Node):
    """An ``EXEC lang ... END-EXEC`` block: its language (upper case), its text as written, and
    at most one of ``sql``, ``cics``, ``dli``, filled when the language is understood.

    ``diagnostics`` carry no location: the parser places them using the block's span.
    """

    lang: str
    text: str
    sql: SqlStatement | None = None
    cics: CicsCommand | None = None
    dli: DliCall | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def build_exec(lang: str, body: str, span: Span | None = None) -> ExecBlock:
    """Build the node for one EXEC block; ``body`` is the text between the language word and
    END-EXEC. Never raises: what cannot be understood is reported in ``diagnostics``."""
    language = (lang or "").strip().upper()
    block = ExecBlock(lang=language, text=body, span=span)
    diags = block.diagnostics
    if not body.strip():
        diags.append(
            Diagnostic(EXEC_EMPTY, Severity.WARNING, f"EXEC {language} block has no content")
        )
        return block
    try:
        if language in SQL_LANGUAGES:
            block.sql, found = build_sql(body)
            _place(block.sql, span)
        elif language == "CICS":
            block.cics, found = build_cics(body)
            _place(block.cics, span)
        elif language == "DLI":
            block.dli, found = build_dli(body)
            _place(block.dli, span)
        else:
            found = [
                Diagnostic(
                    EXEC_LANGUAGE,
                    Severity.INFO,
                    f"EXEC {language or '(no language)'} block kept as text; its contents are "
                    "not analysed",
                )
            ]
        diags.extend(found)
    except Exception as exc:  # a defect of ours must not lose the program being parsed
        diags.append(
            Diagnostic(
                EXEC_INTERNAL,
                Severity.ERROR,
                f"EXEC {language} block could not be analysed: {type(exc).__name__}: {exc}",
            )
        )
    return block


def _place(node: Node | None, span: Span | None) -> None:
    if node is not None:
        node.span = span
