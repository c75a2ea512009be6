"""Plain facts from a parse: the ``parse --json`` document and the rows of the store tables.

Both are built from the AST only; line numbers are those of the physical files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from cobolspec.model import ast as A
from cobolspec.model.layout import normalise_usage
from cobolspec.parse.parser import ParseResult


def paragraph_ids(program: A.Program) -> dict[int, str]:
    """Stable node IDs for the paragraphs of a program: ``PGM:PARA``, or ``PGM:SECTION:PARA``
    where the name is used in more than one section; a section's unnamed leading paragraph
    is ``PGM:SECTION``; statements before any name are ``PGM:(ENTRY)``."""
    assert program.procedure is not None
    counts = Counter(p.name for p in program.procedure.paragraphs if p.name)
    ids: dict[int, str] = {}
    for section in program.procedure.sections:
        for p in section.paragraphs:
            if p.name is None:
                ids[id(p)] = f"{program.name}:{section.name or '(ENTRY)'}"
            elif counts[p.name] > 1 and section.name:
                ids[id(p)] = f"{program.name}:{section.name}:{p.name}"
            else:
                ids[id(p)] = f"{program.name}:{p.name}"
    return ids


def statement_id(st: A.Statement) -> str:
    """A statement is identified by the physical location of its first token."""
    if st.span is None:
        return "?"
    loc = st.span.start
    return f"{loc.file}:{loc.line}:{loc.column}"


def walk_statements(statements: list[A.Statement]) -> Iterator[A.Statement]:
    for st in statements:
        for node in st.walk():
            if isinstance(node, A.Statement):
                yield node


def _item_facts(item: A.DataItem) -> dict[str, Any]:
    span = item.span
    return {
        "name": item.name or "FILLER",
        "level": item.level,
        "offset": item.offset,
        "size": item.size,
        "usage": normalise_usage(item.usage) or ("DISPLAY" if item.pic else None),
        "pic": item.pic,
        "occurs": item.occurs.max if item.occurs else None,
        "redefines": item.redefines,
        "section": item.section,
        "file": span.file if span else None,
        "line": span.line if span else None,
    }


def program_json(program: A.Program) -> dict[str, Any]:
    paragraphs = []
    if program.procedure is not None:
        for p in program.procedure.paragraphs:
            if p.name is None:
                continue
            paragraphs.append({
                "name": p.name,
                "section": p.section,
                "file": p.span.file if p.span else None,
                "line": p.span.line if p.span else None,
            })
    return {
        "name": program.name,
        "file": program.span.file if program.span else None,
        "line": program.span.line if program.span else None,
        "paragraphs": paragraphs,
        "data_items": [_item_facts(i) for i in program.all_items()],
        "files": [
            {"name": f.name, "assign": f.assign, "organization": f.organization,
             "access": f.access, "record_key": f.record_key, "file_status": f.file_status}
            for f in program.files
        ],
        "statements": {
            "total": program.statements_total,
            "unparsed": program.statements_unparsed,
        },
        "nested": [program_json(n) for n in program.nested],
    }


def parse_json(result: ParseResult) -> dict[str, Any]:
    """The document ``cobolspec parse FILE --json`` prints (see DESIGN.md)."""
    return {
        "programs": [program_json(p) for p in result.programs],
        "statements": {
            "total": result.statements_total,
            "unparsed": result.statements_unparsed,
        },
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }


def store_rows(result: ParseResult) -> dict[str, list[dict[str, object]]]:
    """Rows for the ``programs``, ``paragraphs``, ``statements``, ``data_items`` and
    ``conditions_88`` tables."""
    rows: dict[str, list[dict[str, object]]] = {
        "programs": [], "paragraphs": [], "statements": [], "data_items": [],
        "conditions_88": [],
    }
    stack: list[tuple[A.Program, str | None]] = [(p, None) for p in reversed(result.programs)]
    while stack:
        program, parent = stack.pop()
        stack.extend((n, program.name) for n in reversed(program.nested))
        span = program.span
        rows["programs"].append({
            "program": program.name, "parent": parent,
            "file": span.file if span else None, "line": span.line if span else None,
            "end_line": span.end_line if span else None,
        })
        for seq, item in enumerate(program.all_items()):
            f = _item_facts(item)
            rows["data_items"].append({
                "program": program.name, "seq": seq, "name": f["name"], "level": f["level"],
                "parent": item.parent.name if item.parent else None, "section": item.section,
                "pic": item.pic, "usage": f["usage"], "offset": item.offset, "size": item.size,
                "occurs": item.occurs.max if item.occurs else None,
                "occurs_min": item.occurs.min if item.occurs else None,
                "depending_on": item.occurs.depending_on if item.occurs else None,
                "redefines": item.redefines, "value": " ".join(item.value) or None,
                "file": f["file"], "line": f["line"],
            })
            for cond in item.conditions:
                values = ", ".join(v if t is None else f"{v} THRU {t}" for v, t in cond.values)
                rows["conditions_88"].append({
                    "program": program.name, "item": f["name"], "name": cond.name,
                    "values": values, "file": cond.span.file if cond.span else None,
                    "line": cond.span.line if cond.span else None,
                })
        if program.procedure is None:
            continue
        ids = paragraph_ids(program)
        for section in program.procedure.sections:
            for p in section.paragraphs:
                pid = ids[id(p)]
                stmts = p.statements
                first = p.span or (stmts[0].span if stmts else None)
                last = stmts[-1].span if stmts and stmts[-1].span else first
                if p.name is not None:
                    rows["paragraphs"].append({
                        "program": program.name, "id": pid, "section": section.name,
                        "name": p.name, "file": first.file if first else None,
                        "line": first.line if first else None,
                        "end_line": last.end.line if last else None, "reachable": None,
                    })
                for st in walk_statements(stmts):
                    if st.span is None:
                        continue
                    rows["statements"].append({
                        "program": program.name, "paragraph": pid, "id": statement_id(st),
                        "verb": st.verb, "file": st.span.file, "line": st.span.line,
                        "column": st.span.start.column, "end_line": st.span.end.line,
                        "parsed": not isinstance(st, A.UnparsedStatement),
                    })
    return rows
