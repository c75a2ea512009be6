"""The system level: what each program calls, links to and transfers to, which tables and
files it uses, and the whole-dump graph assembled from the store.

Per program (rows for the store, computed from one member's parse):

- ``calls``: CALL (static literal or dynamic through a data item, with each value the item can
  hold), EXEC CICS LINK / XCTL / LOAD (kind LINK, XCTL, LOAD), START TRANSID (START) and RETURN
  TRANSID (RETURN TRANSID); ``callee`` is NULL for a dynamic target with no known value;
- ``cics_commands``: every EXEC CICS command with its target and options;
- ``sql_accesses``: every table an EXEC SQL statement reads, inserts, updates or deletes
  (DECLARE CURSOR in WORKING-STORAGE counts as the read of its SELECT);
- ``program_files``: SELECT entries with their ASSIGN name (the DD name under JCL).

The system graph (:func:`system_graph`) joins those rows with the JCL, BMS and CSD tables.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from cobolspec.analysis.dataflow import possible_values
from cobolspec.model import ast as A
from cobolspec.parse.facts import walk_statements
from cobolspec.parse.parser import ParseResult

CICS_TRANSFERS = {"LINK": "LINK", "XCTL": "XCTL", "LOAD": "LOAD"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text


def _procedure_statements(program: A.Program) -> Iterator[A.Statement]:
    if program.procedure is None:
        return
    for paragraph in program.procedure.paragraphs:
        yield from walk_statements(paragraph.statements)
    for section in program.procedure.sections:
        if section.use is not None:
            yield section.use


def _targets(program: A.Program, ref: A.Node | None, literal: str | None,
             dynamic: bool) -> list[str | None]:
    """The possible callees: the literal, or every value the data item can hold."""
    if not dynamic and literal:
        return [_unquote(literal).upper()]
    if isinstance(ref, A.Ident):
        values = sorted(_unquote(v).upper() for v in possible_values(program, ref))
        return list(values) or [None]
    return [None]


def _where(st: A.Node) -> dict[str, Any]:
    return {"file": st.span.file if st.span else None, "line": st.span.line if st.span else None}


def _data_ref(name: str | None) -> A.Ident | None:
    if not name:
        return None
    parts = [p.strip() for p in name.upper().replace(" IN ", " OF ").split(" OF ")]
    return A.Ident(name=parts[0], qualifiers=parts[1:])


def program_rows(program: A.Program) -> dict[str, list[dict[str, object]]]:
    calls: list[dict[str, object]] = []
    cics: list[dict[str, object]] = []
    sql: list[dict[str, object]] = []
    name = program.name
    for st in _procedure_statements(program):
        if isinstance(st, A.CallStmt) and st.program is not None:
            dynamic = isinstance(st.program, A.Ident)
            literal = st.program.text if isinstance(st.program, A.Literal) else None
            for callee in _targets(program, st.program, literal, dynamic):
                calls.append({"caller": name, "callee": callee, "kind": "CALL",
                              "dynamic": dynamic,
                              "via_item": st.program.name if isinstance(st.program, A.Ident)
                              else None,
                              **_where(st)})
        elif isinstance(st, A.ExecStmt) and st.block is not None:
            block = st.block
            if block.cics is not None:
                calls.extend(_cics_calls(program, block.cics, st))
                cmd = block.cics
                target = cmd.program or cmd.transid or cmd.map or cmd.file or cmd.queue
                cics.append({
                    "program": name, "command": cmd.command,
                    "target": _unquote(target).upper() if target else None,
                    "options": " ".join(o.name if o.arg is None else f"{o.name}({o.arg})"
                                        for o in cmd.options),
                    **_where(st),
                })
            elif block.sql is not None:
                sql.extend(_sql_rows(name, block.sql, st))
    for block in program.exec_blocks:
        if block.sql is not None and block.sql.kind == "DECLARE CURSOR":
            sql.extend(_sql_rows(name, block.sql, block))
    records = {fd.name: fd.records[0].name for fd in program.file_descriptions if fd.records}
    modes: dict[str, list[str]] = {}
    for st in _procedure_statements(program):
        if st.verb == "OPEN":
            for mode, names in st.details.items():
                for file_name in names.split():
                    if mode not in modes.setdefault(file_name, []):
                        modes[file_name].append(mode)
    files = [{
        "program": name, "file_name": f.name, "assign": " ".join(f.assign) or None,
        "organization": f.organization, "access": f.access, "record_key": f.record_key,
        "file_status": f.file_status, "record": records.get(f.name),
        "open_modes": json.dumps(modes.get(f.name, [])), **_where(f),
    } for f in program.files]
    return {"calls": calls, "cics_commands": cics, "sql_accesses": sql, "program_files": files}


def _cics_calls(program: A.Program, cmd: Any, st: A.Node) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    first = cmd.command.split()[0]
    if first in CICS_TRANSFERS and cmd.program:
        dynamic = bool(cmd.program_dynamic)
        for callee in _targets(program, _data_ref(cmd.program) if dynamic else None,
                               cmd.program, dynamic):
            out.append({"caller": program.name, "callee": callee, "kind": CICS_TRANSFERS[first],
                        "dynamic": dynamic, "via_item": cmd.program if dynamic else None,
                        **_where(st)})
    elif cmd.transid and first in ("START", "RETURN"):
        kind = "START" if first == "START" else "RETURN TRANSID"
        dynamic = not cmd.is_literal("TRANSID")
        for callee in _targets(program, _data_ref(cmd.transid) if dynamic else None,
                               cmd.transid, dynamic):
            out.append({"caller": program.name, "callee": callee, "kind": kind,
                        "dynamic": dynamic, "via_item": cmd.transid if dynamic else None,
                        **_where(st)})
    return out


def _sql_rows(program: str, sql: Any, node: A.Node) -> list[dict[str, object]]:
    rows = []
    seen: set[tuple[str, str]] = set()
    for access in sql.accesses:
        key = (access.table.upper(), access.operation)
        if key in seen:
            continue
        seen.add(key)
        rows.append({"program": program, "table": key[0], "operation": key[1], **_where(node)})
    return rows


def store_rows(result: ParseResult) -> dict[str, list[dict[str, object]]]:
    """System rows of every program in a parse (nested programs included)."""
    rows: dict[str, list[dict[str, object]]] = {
        "calls": [], "cics_commands": [], "sql_accesses": [], "program_files": []}
    for program in result.all_programs():
        for table, table_rows in program_rows(program).items():
            rows[table].extend(table_rows)
    return rows


# ---------------------------------------------------------------------- the whole dump

SYSTEM_NODE_KINDS = ("program", "copybook", "job", "step", "dataset", "table", "transaction",
                     "mapset")
"""Node IDs are ``kind:NAME`` (a step is ``step:JOB.STEP`` or ``step:JOB.STEP.PROCSTEP``).
Node attributes: ``kind``, ``name``, ``in_dump`` (bool: the member is part of the dump),
``file``, ``line``. Edge attributes: ``kind`` — CALL, LINK, XCTL, LOAD, START,
RETURN TRANSID (program → program or transaction), ``dynamic`` (bool), ``copies`` (program →
copybook), ``runs`` (step → program), ``next`` (step → following step of its job), ``dd``
(step ↔ dataset: step → dataset when the step creates or writes it, dataset → step when it
reads it; attributes ``dd``, ``disp``), ``sql`` (program → table, attribute ``operation``),
``starts`` (transaction → program), ``file`` and ``line`` where the fact is written."""


def _dataset_direction(disp: str | None) -> str:
    status = (disp or "SHR").strip("()").split(",")[0].upper() or "NEW"
    return "read" if status in ("SHR", "OLD") and "," not in (disp or "") else (
        "write" if status in ("NEW", "MOD") else "read")


def system_graph(store: Any) -> Any:
    """The whole dump as one ``networkx.MultiDiGraph`` built from the store's tables."""
    import networkx as nx

    g = nx.MultiDiGraph()
    programs = {r["program"]: r for r in store.rows("programs", order_by=("program",))}

    def node(kind: str, name: str, **attrs: Any) -> str:
        nid = f"{kind}:{name}"
        if nid not in g:
            g.add_node(nid, kind=kind, name=name, in_dump=False, file=None, line=None)
        g.nodes[nid].update({k: v for k, v in attrs.items() if v is not None})
        return nid

    for name, r in programs.items():
        node("program", name, in_dump=True, file=r["file"], line=r["line"])
    for r in store.rows("calls", order_by=("caller", "file", "line")):
        src = node("program", r["caller"])
        if r["callee"] is None:
            continue
        target_kind = "transaction" if r["kind"] in ("START", "RETURN TRANSID") else "program"
        dst = node(target_kind, r["callee"])
        g.add_edge(src, dst, kind=r["kind"], dynamic=bool(r["dynamic"]), file=r["file"],
                   line=r["line"])
    programs_of_member: dict[str, list[str]] = {}
    for name, r in programs.items():
        programs_of_member.setdefault(r["member"], []).append(name)
    for r in store.rows("copybook_uses", order_by=("member", "line")):
        if r["resolved"] is None:  # missing, or supplied by the system (SQLCA, DFHAID...)
            continue
        for prog in programs_of_member.get(r["member"], []):
            dst = node("copybook", r["name"], in_dump=True)
            g.add_edge(f"program:{prog}", dst, kind="copies", file=r["file"], line=r["line"])
    steps_by_job: dict[str, list[tuple[int, str]]] = {}
    for r in store.rows("jcl_steps", order_by=("job", "seq")):
        node("job", r["job"], in_dump=True)
        step_name = r["step"] if not r["proc_step"] else f"{r['step']}.{r['proc_step']}"
        sid = node("step", f"{r['job']}.{step_name}", in_dump=True, file=r["file"],
                   line=r["line"])
        steps_by_job.setdefault(r["job"], []).append((r["seq"], sid))
        for program in (r["program"], r["runs_program"]):
            if program:
                g.add_edge(sid, node("program", program), kind="runs", file=r["file"],
                           line=r["line"])
    for job, steps in steps_by_job.items():
        ordered = [s for _, s in sorted(steps)]
        g.add_edge(f"job:{job}", ordered[0], kind="next")
        for a, b in itertools.pairwise(ordered):
            g.add_edge(a, b, kind="next")
    for r in store.rows("jcl_dds", order_by=("job", "step", "dd")):
        if not r["dataset"] or not r["step"]:
            continue
        sid = f"step:{r['job']}.{r['step']}"
        if sid not in g:
            continue
        did = node("dataset", r["dataset"], in_dump=True)
        if _dataset_direction(r["disp"]) == "read":
            g.add_edge(did, sid, kind="dd", dd=r["dd"], disp=r["disp"], file=r["file"],
                       line=r["line"])
        else:
            g.add_edge(sid, did, kind="dd", dd=r["dd"], disp=r["disp"], file=r["file"],
                       line=r["line"])
    for r in store.rows("sql_accesses", order_by=("program", "file", "line")):
        g.add_edge(node("program", r["program"]), node("table", r["table"], in_dump=True),
                   kind="sql", operation=r["operation"], file=r["file"], line=r["line"])
    for r in store.rows("transactions", order_by=("transid",)):
        tid = node("transaction", r["transid"], in_dump=True, file=r["file"], line=r["line"])
        if r["program"]:
            g.add_edge(tid, node("program", r["program"]), kind="starts", file=r["file"],
                       line=r["line"])
    for r in store.rows("screen_fields", order_by=("mapset", "map")):
        node("mapset", r["mapset"], in_dump=True)
    return g
