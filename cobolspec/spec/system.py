"""The system spec, assembled from the store alone: inventory, programs, job and transaction
flows, the call graph, copybook and SQL table usage, the glossary and the diagnostics.

The inventory parts (:func:`member_entries`, :func:`copybook_uses`, :func:`copybook_entries`,
:func:`diagnostic_entries`) are also what ``inventory.json`` is made of.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from cobolspec import __version__
from cobolspec.spec import reader as R
from cobolspec.spec.assemble import (
    TRANSACTION_KINDS,
    TRANSFER_KINDS,
    page_names,
    step_program,
)
from cobolspec.spec.diagrams import diagram
from cobolspec.spec.models import (
    CallEdge,
    CodeCount,
    CopybookEntry,
    CopybookUse,
    DatasetEntry,
    DatasetUse,
    DiagnosticEntry,
    Diagram,
    DiagramNode,
    GlossaryEntry,
    JobDD,
    JobFlow,
    JobStep,
    KindCount,
    MemberEntry,
    ProgramSummary,
    SqlTableUse,
    SystemDiagrams,
    SystemSpec,
    TableProgramUse,
    TransactionFlow,
)
from cobolspec.store import Store, diagnostic_counts

__all__ = [
    "KIND_ORDER",
    "copybook_entries",
    "copybook_uses",
    "dataset_name",
    "diagnostic_entries",
    "member_entries",
    "system_spec",
    "writes",
]

Row = dict[str, Any]

# Member kinds in the order pages list them.
KIND_ORDER = ("program", "copybook", "jcl", "proc", "bms", "dclgen", "ddl", "other")

_MEMBERS = "SELECT * FROM members ORDER BY path"
_COPYBOOK_USES = (
    'SELECT * FROM copybook_uses ORDER BY member, file, line, "column", depth, name'
)
_DIAGNOSTICS = """
SELECT * FROM diagnostics
ORDER BY CASE WHEN file IS NULL OR line IS NULL THEN member ELSE file END,
         CASE WHEN file IS NULL OR line IS NULL THEN 0 ELSE line END,
         CASE WHEN file IS NULL OR line IS NULL THEN 0 ELSE coalesce("column", 1) END,
         CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'info' THEN 2 ELSE 3 END,
         code, message, member, stage"""
_DIAGNOSTIC_CODES = """
SELECT code, severity, count(*) AS n FROM diagnostics GROUP BY code, severity
ORDER BY code, severity"""
_PROGRAMS = """
SELECT p.member, p.program, p.parent, p.file, p.line,
       (SELECT count(*) FROM paragraphs x WHERE x.member = p.member AND x.program = p.program)
           AS paragraphs,
       (SELECT count(*) FROM statements x WHERE x.member = p.member AND x.program = p.program)
           AS statements,
       (SELECT count(*) FROM statements x
        WHERE x.member = p.member AND x.program = p.program AND NOT x.parsed) AS unparsed,
       (SELECT count(*) FROM rules x WHERE x.member = p.member AND x.program = p.program)
           AS rules,
       (SELECT count(*) FROM calls x WHERE x.member = p.member AND x.caller = p.program)
           AS calls_out,
       (SELECT count(*) FROM calls x WHERE x.callee = p.program) AS calls_in
FROM programs p ORDER BY p.member, p.program"""
_SUMMARIES = """
SELECT member, rule AS program, backend, model, text FROM descriptions WHERE grounded
ORDER BY member, rule, backend = 'offline', backend, model NULLS FIRST, cache_key, text"""
_JOBS = "SELECT * FROM jcl_jobs ORDER BY job, member, file, line"
_STEPS = "SELECT * FROM jcl_steps ORDER BY job, seq, step, proc_step NULLS FIRST"
_DDS = "SELECT * FROM jcl_dds ORDER BY job, step, file, line, dd"
_DATASETS = "SELECT * FROM datasets ORDER BY dataset, file, line, kind"
_TRANSACTIONS = "SELECT * FROM transactions ORDER BY transid, file, line"
_CALLS = """
SELECT * FROM calls
ORDER BY caller, callee NULLS FIRST, kind, file, line, via_item NULLS FIRST"""
_SQL = 'SELECT DISTINCT "table", program, operation FROM sql_accesses ORDER BY ALL'
_GLOSSARY = """
SELECT * FROM glossary ORDER BY term, program NULLS FIRST, source, meaning, file, line"""


def member_entries(store: Store) -> list[MemberEntry]:
    """Every member of the dump, by path."""
    return [
        MemberEntry(**{k: r[k] for k in MemberEntry.model_fields})
        for r in R.iter_rows(store, _MEMBERS)
    ]


def copybook_uses(store: Store) -> dict[str, list[CopybookUse]]:
    """Program member → the COPYs met expanding it, in source order."""
    uses: dict[str, list[CopybookUse]] = defaultdict(list)
    for r in R.iter_rows(store, _COPYBOOK_USES):
        uses[r["member"]].append(CopybookUse(**{k: r[k] for k in CopybookUse.model_fields}))
    return dict(uses)


def copybook_entries(uses: dict[str, list[CopybookUse]]) -> list[CopybookEntry]:
    """Each copybook (name and file read) and the program members using it."""
    used_by: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    missing: set[tuple[str, str | None]] = set()
    for member, member_uses in uses.items():
        for use in member_uses:
            used_by[(use.name, use.resolved)].add(member)
            if use.missing:
                missing.add((use.name, use.resolved))
    return [
        CopybookEntry(name=name, resolved=resolved, missing=(name, resolved) in missing,
                      used_by=sorted(paths))
        for (name, resolved), paths in sorted(
            used_by.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1] or "")
        )
    ]


def diagnostic_entries(store: Store) -> list[DiagnosticEntry]:
    """Every diagnostic, by file, line, column, severity and code."""
    return [
        DiagnosticEntry(**{k: r[k] for k in DiagnosticEntry.model_fields})
        for r in R.iter_rows(store, _DIAGNOSTICS)
    ]


def _kind_key(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def system_spec(store: Store) -> SystemSpec:
    """The specification of the whole dump held in ``store``."""
    members = member_entries(store)
    by_kind = Counter(m.kind for m in members)
    calls = [CallEdge(**{k: r[k] for k in CallEdge.model_fields})
             for r in R.iter_rows(store, _CALLS)]
    program_rows = list(R.iter_rows(store, _PROGRAMS))
    transactions = list(R.iter_rows(store, _TRANSACTIONS))
    known = {r["program"] for r in program_rows}
    uses = copybook_uses(store)
    return SystemSpec(
        cobolspec_version=__version__,
        store_schema_version=store.schema_version,
        kinds=[KindCount(kind=k, members=by_kind[k]) for k in sorted(by_kind, key=_kind_key)],
        members=members,
        programs=_programs(store, program_rows),
        jobs=_jobs(store),
        datasets=_datasets(store),
        transactions=_transactions(transactions, calls),
        call_graph=calls,
        copybooks=copybook_entries(uses),
        sql_tables=_sql_tables(store),
        glossary=[GlossaryEntry(**{k: r[k] for k in GlossaryEntry.model_fields})
                  for r in R.iter_rows(store, _GLOSSARY)],
        diagnostics_by_severity=diagnostic_counts(store),
        diagnostics_by_code=[
            CodeCount(code=r["code"], severity=r["severity"], count=r["n"])
            for r in R.iter_rows(store, _DIAGNOSTIC_CODES)
        ],
        diagnostics=diagnostic_entries(store),
        diagrams=SystemDiagrams(calls=_call_graph(calls, transactions, known)),
    )


def _programs(store: Store, rows: list[Row]) -> list[ProgramSummary]:
    summaries: dict[tuple[str, str], str] = {}
    for r in R.iter_rows(store, _SUMMARIES):
        summaries.setdefault((r["member"], r["program"]), r["text"])
    pages = page_names((r["member"], r["program"]) for r in rows)
    return [
        ProgramSummary(
            program=r["program"], member=r["member"], parent=r["parent"],
            page=pages[(r["member"], r["program"])], file=r["file"], line=r["line"],
            summary=summaries.get((r["member"], r["program"])),
            paragraphs=r["paragraphs"], statements=r["statements"], unparsed=r["unparsed"],
            rules=r["rules"], calls_out=r["calls_out"], calls_in=r["calls_in"],
        )
        for r in rows
    ]


def _step_names(step: Row) -> set[str]:
    names = {step["step"]}
    if step["proc_step"]:
        names.add(f"{step['step']}.{step['proc_step']}")
    return names


def _jobs(store: Store) -> list[JobFlow]:
    steps: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in R.iter_rows(store, _STEPS):
        steps[(r["member"], r["job"])].append(r)
    dds: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in R.iter_rows(store, _DDS):
        dds[(r["member"], r["job"])].append(r)
    flows = []
    for job in R.iter_rows(store, _JOBS):
        job_steps = []
        key = (job["member"], job["job"])
        for s in steps.get(key, []):
            names = _step_names(s)
            job_steps.append(
                JobStep(
                    step=s["step"], seq=s["seq"], proc=s["proc"], proc_step=s["proc_step"],
                    program=s["program"], runs_program=s.get("runs_program"),
                    file=s["file"], line=s["line"],
                    dds=[JobDD(dd=d["dd"], dataset=d["dataset"], disp=d["disp"], file=d["file"],
                               line=d["line"])
                         for d in dds.get(key, []) if d["step"] in names],
                )
            )
        flows.append(
            JobFlow(job=job["job"], member=job["member"], file=job["file"], line=job["line"],
                    steps=job_steps, diagram=_job_diagram(job["job"], job_steps))
        )
    return flows


def writes(disp: str | None) -> bool:
    """Whether a DISP creates, extends or replaces the dataset (NEW, MOD)."""
    status = (disp or "").strip("( ").split(",")[0].strip().upper()
    return status in ("NEW", "MOD")


# DDs naming load libraries, not data: left out of job diagrams.
_LIBRARY_DDS = frozenset({"STEPLIB", "JOBLIB"})


def _job_diagram(job: str, steps: list[JobStep]) -> Diagram | None:
    if not steps:
        return None
    nodes: list[DiagramNode] = []
    edges: list[tuple[str, str, str]] = []
    datasets: dict[str, DiagramNode] = {}
    previous = None
    for s in steps:
        sid = f"step:{s.seq}:{s.step}:{s.proc_step or ''}"
        runs = s.runs_program or s.program or (f"PROC {s.proc}" if s.proc else "?")
        label = f"{s.step}{'.' + s.proc_step if s.proc_step else ''}: {runs}"
        nodes.append(DiagramNode(id=sid, label=label, kind="step"))
        if previous is not None:
            edges.append((previous, sid, "next"))
        previous = sid
        for d in s.dds:
            if not d.dataset or d.dd.upper() in _LIBRARY_DDS:
                continue
            did = f"dataset:{d.dataset}"
            datasets.setdefault(did, DiagramNode(id=did, label=d.dataset, kind="dataset"))
            edge_kind = f"{d.dd} {d.disp}" if d.disp else d.dd
            edges.append((sid, did, edge_kind) if writes(d.disp) else (did, sid, edge_kind))
    return diagram([*nodes, *sorted(datasets.values(), key=lambda n: n.id)], edges,
                   direction="TD")


def dataset_name(dsn: str) -> str:
    """A dataset's name without a GDG generation or PDS member.

    >>> dataset_name("PAY.OUT(+1)"), dataset_name("LIB(MEM)"), dataset_name("&&TEMP")
    ('PAY.OUT', 'LIB', '&&TEMP')
    """
    head, sep, _ = dsn.partition("(")
    return head if sep and head else dsn


def _datasets(store: Store) -> list[DatasetEntry]:
    programs: dict[tuple[str, str, str], str | None] = {}
    for s in R.iter_rows(store, _STEPS):
        for name in _step_names(s):
            programs.setdefault((s["member"], s["job"], name), step_program(s))
    uses: dict[str, list[DatasetUse]] = defaultdict(list)
    for d in R.iter_rows(store, _DDS):
        if d["dataset"]:
            uses[dataset_name(d["dataset"])].append(
                DatasetUse(job=d["job"], step=d["step"], dd=d["dd"], dsn=d["dataset"],
                           disp=d["disp"],
                           program=programs.get((d["member"], d["job"], d["step"])))
            )
    first: dict[str, Row] = {}
    kinds: dict[str, str] = {}
    for r in R.iter_rows(store, _DATASETS):
        name = dataset_name(r["dataset"])
        first.setdefault(name, r)
        if r["kind"]:
            kinds.setdefault(name, r["kind"])
    return [
        DatasetEntry(
            dataset=name, kind=kinds.get(name),
            file=first[name]["file"] if name in first else None,
            line=first[name]["line"] if name in first else None,
            uses=sorted(set(uses.get(name, [])),
                        key=lambda u: (u.job, u.step, u.dd, u.dsn, u.disp or "", u.program or "")),
        )
        for name in sorted(set(first) | set(uses))
    ]


def _transactions(rows: list[Row], calls: list[CallEdge]) -> list[TransactionFlow]:
    out_edges: dict[str, list[CallEdge]] = defaultdict(list)
    for c in calls:
        out_edges[c.caller].append(c)
    flows = []
    for t in rows:
        reached: list[CallEdge] = []
        next_ids: set[str] = set()
        seen: set[str] = set()
        todo = [t["program"]] if t["program"] else []
        while todo:
            program = todo.pop(0)
            if program in seen:
                continue
            seen.add(program)
            for c in out_edges.get(program, []):
                if c.kind in TRANSACTION_KINDS:
                    if c.callee:
                        next_ids.add(c.callee)
                elif c.kind in TRANSFER_KINDS:
                    reached.append(c)
                    if c.callee:
                        todo.append(c.callee)
        flows.append(
            TransactionFlow(transid=t["transid"], program=t["program"], group=t["group"],
                            file=t["file"], line=t["line"], reaches=reached,
                            next_transids=sorted(next_ids))
        )
    return flows


def _sql_tables(store: Store) -> list[SqlTableUse]:
    ops: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in R.iter_rows(store, _SQL):
        ops[r["table"]][r["program"]].append(r["operation"])
    return [
        SqlTableUse(
            table=table,
            programs=[TableProgramUse(program=p, operations=o) for p, o in sorted(by.items())],
        )
        for table, by in sorted(ops.items())
    ]


def _call_graph(
    calls: Iterable[CallEdge], transactions: list[Row], known: set[str]
) -> Diagram | None:
    nodes: dict[str, DiagramNode] = {}
    edges: list[tuple[str, str, str]] = []

    def program_node(name: str) -> str:
        nodes.setdefault(name, DiagramNode(id=name, label=name,
                                           kind="program" if name in known else "missing"))
        return name

    def transaction_node(name: str) -> str:
        nid = f"transaction:{name}"
        nodes.setdefault(nid, DiagramNode(id=nid, label=name, kind="transaction"))
        return nid

    for t in transactions:
        if t["program"]:
            edges.append((transaction_node(t["transid"]), program_node(t["program"]), "runs"))
    for c in calls:
        src = program_node(c.caller)
        if c.kind in TRANSACTION_KINDS and c.callee:
            edges.append((src, transaction_node(c.callee), c.kind))
        elif c.callee:
            edges.append((src, program_node(c.callee), c.kind))
        else:
            nid = f"dynamic:{c.caller}:{c.via_item}"
            nodes.setdefault(nid, DiagramNode(id=nid, label=f"? {c.via_item or ''}".strip(),
                                              kind="dynamic"))
            edges.append((src, nid, c.kind))
    if not edges:
        return None
    return diagram(sorted(nodes.values(), key=lambda n: (n.kind != "transaction", n.id)), edges)

