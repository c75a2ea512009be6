"""Control-flow graphs of a COBOL program, at paragraph and at statement level.

>>> from cobolspec.parse import parse_expanded
>>> from cobolspec.source import preprocess
>>> (program,) = parse_expanded(preprocess(
...     "       IDENTIFICATION DIVISION.\\n       PROGRAM-ID. DEMO.\\n"
...     "       PROCEDURE DIVISION.\\n       MAIN-LINE.\\n           PERFORM WORK.\\n"
...     "           STOP RUN.\\n       WORK.\\n           DISPLAY 'WORK'.\\n"
...     "       LEFT-OVER.\\n           DISPLAY 'NEVER'.\\n")).programs
>>> for src, dst, kind in paragraph_cfg(program).edges(data="kind"):
...     print(src, "->", dst, kind)
DEMO:(START) -> DEMO:MAIN-LINE entry
DEMO:MAIN-LINE -> DEMO:WORK perform
DEMO:MAIN-LINE -> DEMO:(END) exit
DEMO:WORK -> DEMO:LEFT-OVER fallthrough
DEMO:WORK -> DEMO:MAIN-LINE return
DEMO:LEFT-OVER -> DEMO:(END) exit
>>> analyze_control(program).unreachable_paragraphs  # WORK is only PERFORMed: it returns
['DEMO:LEFT-OVER']

Semantics follow IBM Enterprise COBOL (and GnuCOBOL, which the tests run as an oracle). Control
enters at the first paragraph of the PROCEDURE DIVISION (a program entered through CICS too) and
at every DECLARATIVES section. A paragraph falls through to the next one unless no path through
it reaches its end (GO TO, GOBACK, STOP RUN, EXEC CICS RETURN/XCTL/ABEND, a CALL of an abend
routine, ``IF ... GO TO ... ELSE GO TO ...``, a PERFORM of a range that never comes back all end
a path). ``PERFORM A THRU B`` runs from the first paragraph of A (a section stands for its
paragraphs) until the end of the last paragraph of B, then returns to the paragraph that
performed it. GO TO ... DEPENDING ON goes to any of its targets or on to the next statement. An
ALTERed GO TO may go to its written target or to any ALTER ... TO PROCEED TO target. EXIT
PARAGRAPH/SECTION go to the end of the paragraph/section, EXIT PERFORM [CYCLE] to the end of
the inline PERFORM (of its iteration). EXIT PROGRAM ends the program and, in a program that was
not called, goes on to the next statement, as the standard says. An EXEC CICS XCTL or RETURN
with RESP or NOHANDLE goes on when it fails. The end of a declarative section returns to the
interrupted statement (no edge). A nested program has a graph of its own; a CALL is not a
control transfer inside the caller. EXEC CICS HANDLE CONDITION/AID/ABEND labels are jumps from
the HANDLE statement (the jump happens at a later command, which the graph does not try to
say). A paragraph name used in several sections means the one in the referring section; where
the AST does not keep a qualifier (GO TO, ALTER, THRU and SORT procedure names) every paragraph
of that name is a possible target.

``paragraph_cfg(program)`` → ``nx.MultiDiGraph``

* nodes: paragraph IDs (:func:`cobolspec.parse.facts.paragraph_ids`) plus ``PGM:(START)`` and
  ``PGM:(END)``. Attributes: ``kind`` ("paragraph" | "start" | "end"), ``name`` (the paragraph
  name; a section's unnamed leading paragraph has the section name, statements before any name
  "(ENTRY)"; "(START)"/"(END)"), ``section`` (str or None), ``file``, ``line``, ``end_line``
  (None for START/END), ``declarative`` (bool), ``reachable`` (bool, see
  :mod:`cobolspec.analysis.control`), ``complexity`` (int: decisions + 1; 0 for START/END).
* edges: attribute ``kind``:

  - "entry": START → the first paragraph outside the DECLARATIVES, and → the paragraph of
    each ENTRY statement (alternate entry points);
  - "declarative": START → the first paragraph of each declarative section;
  - "perform" / "perform-thru": a PERFORM (with THRU) → the first paragraph of its range;
  - "sort-procedure": SORT/MERGE INPUT/OUTPUT PROCEDURE, XML PARSE PROCESSING PROCEDURE →
    the first paragraph of the procedure;
  - "return": the paragraph whose end ends a performed range (or that leaves the range with
    EXIT SECTION) → the performing paragraph;
  - "goto": GO TO (each DEPENDING ON target too), EXEC CICS HANDLE labels;
  - "alter": an ALTERed GO TO → an ALTER ... TO PROCEED TO target;
  - "fallthrough": a paragraph whose end can be reached → the next paragraph;
  - "exit": → END, by GOBACK, STOP RUN, EXIT PROGRAM/METHOD/FUNCTION, EXEC CICS
    RETURN/XCTL/ABEND, CALL of an abend routine (CEE3ABD, CEE3AB2, ILBOABN0), or by falling
    off the last paragraph.

  plus ``file``, ``line`` and ``statement`` (statement ID) of the statement causing the edge:
  the PERFORM/SORT for perform, perform-thru, sort-procedure and return edges, the ALTER for
  alter edges, the ENTRY statement for its entry edge; None for the first entry, declarative,
  fallthrough and falling off the end.
  Edges leave only from statements that can be reached from the start of their paragraph.

``statement_cfg(program)`` → ``nx.DiGraph``

* nodes: statement IDs (:func:`cobolspec.parse.facts.statement_id`; a second statement at the
  same position, from a copybook copied twice, gets ``#2``...), every nested statement too,
  plus ``PGM:(START)`` and ``PGM:(END)``. Attributes: ``stmt`` (the AST statement; None for
  START/END), ``paragraph`` (paragraph ID; None for START/END).
* edges: attribute ``kind``: "next" (to the following statement), "true"/"false" (IF),
  "when"/"other" (EVALUATE WHEN, WHEN OTHER or no WHEN matched; SEARCH WHEN), "loop" (inline
  PERFORM with TIMES/UNTIL/VARYING → its body, and every edge back to the PERFORM from its body,
  EXIT PERFORM CYCLE), "loop-exit" (a looping PERFORM → what follows it; EXIT PERFORM),
  "phrase"/"not-phrase" (a statement → its AT END, INVALID KEY, ON SIZE ERROR, ON EXCEPTION,
  ON OVERFLOW, AT END-OF-PAGE... arm or its NOT arm; these edges also carry ``phrase``, the
  phrase as written in upper case, e.g. "NOT AT END"), "perform" (an out-of-line PERFORM → the
  first statement of its range), "sort-procedure" (likewise for SORT/MERGE/XML PARSE
  procedures), "return" (the last statements of a range → the statement after the PERFORM, or
  back to the PERFORM itself when it loops, or to the SORT/XML PARSE), "goto", "alter",
  "exit" (→ END), "fallthrough" (into the first statement of the next paragraph), "entry" and
  "declarative" (from START). An edge that leaves a paragraph by its end takes the kind of
  that step (fallthrough, return, exit) whatever branch led there; a jump (perform, goto...)
  and a loop-exit keep their kind. I/O statements with phrases also have a "next" edge (an
  error that no phrase handles). Where two statements are linked in two ways (a PERFORM of the
  paragraph that follows it: perform and loop-exit) the graph keeps the first kind.

``analyze_control(program)`` → :class:`~cobolspec.analysis.control.ControlFacts`.

``store_rows(program)`` → rows for ``cfg_edges`` and the ``reachable`` flag per paragraph ID.

``program_flow(program)`` → :class:`ProgramFlow`: both graphs and the facts from one build.
``cfg_document(program)`` (the JSON of ``cobolspec cfg``), ``cfg_mermaid(programs)`` and
``cfg_dot(programs)`` export the paragraph graphs, nested programs included, deterministically.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx

from cobolspec.analysis.cfg_statements import Flow, statement_cfg, statement_graph
from cobolspec.analysis.control import Control, ControlFacts, analyze_control, control_facts
from cobolspec.diagnostics import Span
from cobolspec.model import ast as A

__all__ = [
    "NODE_ATTRIBUTES",
    "PARAGRAPH_EDGE_ATTRIBUTES",
    "PARAGRAPH_EDGE_KINDS",
    "STATEMENT_EDGE_KINDS",
    "STATEMENT_NODE_ATTRIBUTES",
    "CfgRows",
    "ControlFacts",
    "ProgramFlow",
    "analyze_control",
    "cfg_document",
    "cfg_dot",
    "cfg_mermaid",
    "paragraph_cfg",
    "program_flow",
    "statement_cfg",
    "store_rows",
]

NODE_ATTRIBUTES = frozenset({"kind", "name", "section", "file", "line", "end_line",
                             "declarative", "reachable", "complexity"})
PARAGRAPH_EDGE_ATTRIBUTES = frozenset({"kind", "file", "line", "statement"})
PARAGRAPH_EDGE_KINDS = frozenset({"entry", "declarative", "perform", "perform-thru",
                                  "sort-procedure", "return", "goto", "alter", "fallthrough",
                                  "exit"})
STATEMENT_NODE_ATTRIBUTES = frozenset({"stmt", "paragraph"})
STATEMENT_EDGE_KINDS = frozenset({"next", "true", "false", "when", "other", "loop", "loop-exit",
                                  "phrase", "not-phrase", "perform", "sort-procedure", "return",
                                  "goto", "alter", "exit", "fallthrough", "entry",
                                  "declarative"})


@dataclass(slots=True)
class ProgramFlow:
    """Both graphs and the facts of one program, built from one walk of its statements."""

    program: A.Program
    paragraphs: nx.MultiDiGraph
    statements: nx.DiGraph
    facts: ControlFacts


def program_flow(program: A.Program) -> ProgramFlow:
    flow = Flow(program)
    control = Control(flow)
    facts = control_facts(flow, control)
    return ProgramFlow(program, _paragraph_graph(flow, control, facts), statement_graph(flow),
                       facts)


def paragraph_cfg(program: A.Program) -> nx.MultiDiGraph:
    """The paragraph-level control-flow graph of one program (see the module docstring)."""
    flow = Flow(program)
    control = Control(flow)
    return _paragraph_graph(flow, control, control_facts(flow, control))


def _where(span: Span | None) -> tuple[str | None, int | None]:
    return (span.file, span.line) if span is not None else (None, None)


def _paragraph_graph(flow: Flow, control: Control, facts: ControlFacts) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.add_node(flow.start, kind="start", name="(START)", section=None, file=None, line=None,
               end_line=None, declarative=False, reachable=True, complexity=0)
    for para in flow.paras:
        p = para.node
        stmts = p.statements
        first = p.span or (stmts[0].span if stmts else None)
        last = stmts[-1].span if stmts and stmts[-1].span else first
        name = p.name or para.section.name or "(ENTRY)"
        file, line = _where(first)
        g.add_node(para.pid, kind="paragraph", name=name, section=para.section.name, file=file,
                   line=line, end_line=last.end.line if last else None,
                   declarative=para.declarative, reachable=para.index in control.reachable,
                   complexity=facts.complexity[para.pid])
    g.add_node(flow.end, kind="end", name="(END)", section=None, file=None, line=None,
               end_line=None, declarative=False, reachable=False, complexity=0)

    seen: set[tuple[str, str, str, str | None]] = set()

    def add(src: str, dst: str, kind: str, st: A.Statement | None, sid: str | None) -> None:
        key = (src, dst, kind, sid)
        if key in seen:
            return
        seen.add(key)
        file, line = _where(st.span if st is not None else None)
        g.add_edge(src, dst, kind=kind, file=file, line=line, statement=sid)

    n = len(flow.paras)

    def node(i: int) -> str:
        return flow.paras[i].pid if i < n else flow.end

    add(flow.start, node(flow.first_main), "entry", None, None)
    for sid in flow.entry_statements():
        add(flow.start, flow.paras[flow.para_of[sid]].pid, "entry", flow.stmts[sid], sid)
    for i in flow.declarative_entries():
        add(flow.start, node(i), "declarative", None, None)
    order = {sid: k for k, sid in enumerate(flow.stmts)}
    for para in flow.paras:
        s = control.summaries[para.index]
        for e in sorted(s.jumps, key=lambda e: order[e.src]):
            cause = e.cause or flow.stmts[e.src]
            sid = flow.sid(cause) if e.cause is not None else e.src
            kind = "perform-thru" if e.thru else e.kind
            add(para.pid, node(int(e.dst[1])), kind, cause, sid)
        for j in sorted(s.ends):
            for _, step, perform in flow.end_steps(j):
                if step == "fallthrough":
                    add(para.pid, node(j + 1), "fallthrough", None, None)
                elif step == "exit":
                    add(para.pid, flow.end, "exit", None, None)
                elif perform is not None:
                    add(para.pid, node(perform.para), "return", perform.stmt, perform.sid)
        for e in sorted(s.exits, key=lambda e: order[e.src]):
            add(para.pid, flow.end, "exit", flow.stmts[e.src], e.src)
    g.nodes[flow.end]["reachable"] = any(
        g.nodes[src]["reachable"] for src, _ in g.in_edges(flow.end))
    return g


class CfgRows(TypedDict):
    """Rows for the store: ``cfg_edges`` (program, src, dst, kind, file, line) and the
    ``reachable`` flag per paragraph ID (for ``paragraphs.reachable``)."""

    cfg_edges: list[dict[str, object]]
    reachable: dict[str, bool]


def store_rows(program: A.Program, graph: nx.MultiDiGraph | None = None) -> CfgRows:
    """The ``cfg_edges`` rows and the reachable flags of one program (not its nested ones);
    ``graph`` is its paragraph graph when the caller already built it."""
    return _rows(program, paragraph_cfg(program) if graph is None else graph)


def _rows(program: A.Program, g: nx.MultiDiGraph) -> CfgRows:
    edges = [
        {"program": program.name, "src": src, "dst": dst, "kind": d["kind"],
         "file": d["file"], "line": d["line"]}
        for src, dst, d in g.edges(data=True)
    ]
    reachable = {n: bool(d["reachable"]) for n, d in g.nodes(data=True)
                 if d["kind"] == "paragraph"}
    return {"cfg_edges": edges, "reachable": reachable}


# ---------------------------------------------------------------------- exports


def cfg_document(program: A.Program) -> dict[str, Any]:
    """The ``cobolspec cfg --json`` document of one program (nested programs included)."""
    pf = program_flow(program)
    g = pf.paragraphs
    facts = pf.facts
    return {
        "name": program.name,
        "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
        "edges": [{"src": s, "dst": t, **d} for s, t, d in g.edges(data=True)],
        "statements": {"nodes": pf.statements.number_of_nodes() - 2,
                       "edges": pf.statements.number_of_edges()},
        "unreachable_paragraphs": facts.unreachable_paragraphs,
        "unreachable_statements": facts.unreachable_statements,
        "complexity": facts.complexity,
        "program_complexity": facts.program_complexity,
        "recursive_performs": facts.recursive_performs,
        "mixed_entry": facts.mixed_entry,
        "unresolved": [{"statement": s, "name": n} for s, n in facts.unresolved],
        "nested": [cfg_document(p) for p in program.nested],
    }


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _ids(nodes: Sequence[str]) -> dict[str, str]:
    """Mermaid-safe node IDs: the node ID with every other character as ``_``, a number added
    where two would collide (in the order of the sorted node IDs, so stable)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for node in sorted(nodes):
        base = "n_" + _UNSAFE.sub("_", node)
        candidate, k = base, 1
        while candidate in used:
            k += 1
            candidate = f"{base}_{k}"
        used.add(candidate)
        out[node] = candidate
    return out


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def _graphs(programs: Sequence[A.Program]) -> list[tuple[A.Program, nx.MultiDiGraph]]:
    """The programs and the programs nested in them, each once, in source order."""
    out: list[tuple[A.Program, nx.MultiDiGraph]] = []
    seen: set[int] = set()
    stack = list(reversed(programs))
    while stack:
        p = stack.pop()
        if id(p) in seen:
            continue
        seen.add(id(p))
        out.append((p, paragraph_cfg(p)))
        stack.extend(reversed(p.nested))
    return out


def cfg_mermaid(programs: Sequence[A.Program]) -> str:
    """A Mermaid ``flowchart TD`` of the paragraph graphs (a subgraph per program when there are
    several); unreachable paragraphs get the ``unreachable`` class."""
    graphs = _graphs(programs)
    ids = _ids([n for _, g in graphs for n in g.nodes])
    lines = ["flowchart TD"]
    unreachable: list[str] = []
    for program, g in graphs:
        indent = "    "
        if len(graphs) > 1:
            lines.append(f"    subgraph {_ids([program.name + ':'])[program.name + ':']}"
                         f"[{_mermaid_text(program.name)}]")
            indent = "        "
        for n, d in g.nodes(data=True):
            label = _mermaid_text(d["name"])
            if d["kind"] == "paragraph":
                lines.append(f"{indent}{ids[n]}[{label}]")
                if not d["reachable"]:
                    unreachable.append(ids[n])
            else:
                lines.append(f"{indent}{ids[n]}(({label}))")
        for s, t, d in g.edges(data=True):
            lines.append(f"{indent}{ids[s]} -->|{d['kind']}| {ids[t]}")
        if len(graphs) > 1:
            lines.append("    end")
    if unreachable:
        lines.append("    classDef unreachable stroke-dasharray: 5 5,color:#888")
        lines.append(f"    class {','.join(unreachable)} unreachable")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid DOT quoted string


def cfg_dot(programs: Sequence[A.Program]) -> str:
    """A Graphviz digraph of the paragraph graphs, one cluster per program."""
    lines = ["digraph cfg {", "    node [shape=box];"]
    for k, (program, g) in enumerate(_graphs(programs)):
        lines.append(f"    subgraph cluster_{k} {{")
        lines.append(f"        label={_dot_text(program.name)};")
        for n, d in g.nodes(data=True):
            attrs = [f"label={_dot_text(d['name'])}"]
            if d["kind"] != "paragraph":
                attrs.append("shape=ellipse")
            elif not d["reachable"]:
                attrs.append("style=dashed")
            lines.append(f"        {_dot_text(n)} [{', '.join(attrs)}];")
        for s, t, d in g.edges(data=True):
            label = _dot_text(d["kind"])
            lines.append(f"        {_dot_text(s)} -> {_dot_text(t)} [label={label}];")
        lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"
