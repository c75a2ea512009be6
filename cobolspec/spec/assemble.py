"""Program specs, assembled from the store alone.

:func:`program_spec` builds one program's spec; :func:`program_specs` builds every program's,
reading each table once (see :mod:`cobolspec.spec.reader`). Both give the same spec for a program.
Tables a stage does not fill yet simply leave their part of the spec empty.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from cobolspec.errors import StoreError
from cobolspec.spec import reader as R
from cobolspec.spec.diagrams import diagram
from cobolspec.spec.models import (
    CallEdge,
    CicsCommand,
    ConditionName,
    CopybookUse,
    DataItemSpec,
    DataRecord,
    DatasetBinding,
    DecisionTable,
    DiagnosticEntry,
    Diagram,
    DiagramNode,
    FileInterface,
    GlossaryEntry,
    Interfaces,
    JobStepRef,
    LinkageRecord,
    ParagraphSpec,
    ProgramDiagrams,
    ProgramSpec,
    RuleSpec,
    ScreenField,
    ScreenUse,
    SourceRef,
    StatementCounts,
    TableAccess,
    TransactionRef,
)
from cobolspec.store import Store

__all__ = [
    "TRANSACTION_KINDS",
    "TRANSFER_KINDS",
    "dd_name",
    "description_source",
    "item_matches",
    "page_names",
    "program_spec",
    "program_specs",
    "rule_specs",
    "step_program",
]

Row = dict[str, Any]

# ``calls`` kinds whose callee is a transaction ID, and those that transfer to a program.
TRANSACTION_KINDS = frozenset({"START", "RETURN TRANSID"})
TRANSFER_KINDS = frozenset({"CALL", "LINK", "XCTL", "LOAD"})

_RECORD_LEVELS = frozenset({1, 77})
_ASSIGN_PREFIXES = frozenset({"UT", "DA", "UR", "S", "AS"})
_MAPSET = re.compile(r"""\bMAPSET\s*\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)


def dd_name(assign: str | None) -> str | None:
    """The DD name an ASSIGN clause names; None for a literal file name.

    >>> dd_name("ACCTMAST"), dd_name("UT-S-ACCTMAST"), dd_name("S-IN"), dd_name("'a.txt'")
    ('ACCTMAST', 'ACCTMAST', 'IN', None)
    """
    if not assign:
        return None
    text = assign.strip().split()[0]
    if text[:1] in ("'", '"'):
        return None
    parts = text.upper().split("-")
    if len(parts) > 1 and parts[0] in _ASSIGN_PREFIXES:
        return parts[-1]
    return text.upper()


def step_program(step: Mapping[str, Any]) -> str | None:
    """The program a JCL step runs: the one a TSO/DB2 monitor runs (``runs_program``, when
    the store records it), else EXEC PGM=."""
    return step.get("runs_program") or step["program"]


def item_matches(item: str, field: str) -> bool:
    """Whether the stored item name ``item`` is the data item ``field`` (see module doc).

    >>> [item_matches(i, "acct-bal") for i in
    ...  ["ACCT-BAL", "ACCT-BAL OF REC", "REC.ACCT-BAL", "file:ACCT-BAL", "ACCT-BALANCE"]]
    [True, True, True, True, False]
    """
    name, want = item.upper(), field.upper()
    return (
        name == want
        or name.startswith((want + " OF ", want + " IN "))
        or name.endswith(("." + want, ":" + want))
    )


def description_source(backend: str, model: str | None) -> str:
    """How a description's origin is shown: ``offline``, ``openai:gpt-4o``..."""
    return f"{backend}:{model}" if model else backend


def page_names(programs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A file name (no extension) for each ``(member, program)``, unique even ignoring case.

    >>> page_names([("a.cbl", "PAY"), ("b.cbl", "PAY"), ("c.cbl", "X/Y")])
    {('a.cbl', 'PAY'): 'PAY', ('b.cbl', 'PAY'): 'PAY@2', ('c.cbl', 'X/Y'): 'X_Y'}
    """
    names: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for member, program in sorted(programs):
        base = re.sub(r"[^A-Za-z0-9_-]", "_", program) or "_"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}@{n}"
        used.add(name.casefold())
        names[(member, program)] = name
    return names


# -- the context shared by every program ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _System:
    """System-wide rows a program's spec looks things up in (small tables, read once)."""

    programs: frozenset[str]
    steps: Mapping[str, list[Row]]  # program → the job steps that run it
    dds: Mapping[tuple[str, str], list[Row]]  # (member, job) → its DDs
    screen_fields: Mapping[str, list[Row]]  # map → its fields

    @classmethod
    def read(cls, store: Store) -> _System:
        programs = frozenset(r["program"] for r in R.iter_rows(store, _PROGRAM_NAMES))
        steps: dict[str, list[Row]] = defaultdict(list)
        for row in R.iter_rows(store, _ALL_STEPS):
            runs = step_program(row)
            if runs:
                steps[runs].append(row)
        dds: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in R.iter_rows(store, _ALL_DDS):
            dds[(row["member"], row["job"])].append(row)
        fields: dict[str, list[Row]] = defaultdict(list)
        for row in R.iter_rows(store, _ALL_SCREEN_FIELDS):
            fields[row["map"]].append(row)
        return cls(programs, dict(steps), dict(dds), dict(fields))


_PROGRAM_NAMES = "SELECT DISTINCT program FROM programs"
_ALL_STEPS = "SELECT * FROM jcl_steps ORDER BY job, seq, step, proc_step NULLS FIRST"
_ALL_DDS = "SELECT * FROM jcl_dds ORDER BY job, step, file, line, dd"
_ALL_SCREEN_FIELDS = (
    'SELECT * FROM screen_fields ORDER BY map, mapset, "row" NULLS LAST, "column" NULLS LAST, '
    "file, line"
)
_PROGRAM_ROWS = """
SELECT * FROM programs WHERE ($1::VARCHAR IS NULL OR member = $1) ORDER BY member, program"""

# Streams of the per-program tables: (name, query, key width).
_STREAMS: tuple[tuple[str, str, int], ...] = (
    ("paragraphs", R.PARAGRAPHS, 2),
    ("data_items", R.DATA_ITEMS, 2),
    ("conditions", R.CONDITIONS, 2),
    ("cfg_edges", R.CFG_EDGES, 2),
    ("statement_counts", R.STATEMENT_COUNTS, 2),
    ("io_accesses", R.IO_ACCESSES, 2),
    ("sql_accesses", R.SQL_ACCESSES, 2),
    ("cics_commands", R.CICS_COMMANDS, 2),
    ("program_files", R.PROGRAM_FILES, 2),
    ("rules", R.RULES, 2),
    ("rule_inputs", R.RULE_INPUTS, 2),
    ("rule_outputs", R.RULE_OUTPUTS, 2),
    ("rule_descriptions", R.RULE_DESCRIPTIONS, 2),
    ("program_descriptions", R.PROGRAM_DESCRIPTIONS, 2),
    ("calls_out", R.CALLS_OUT, 2),
    ("calls_in", R.CALLS_IN, 2),
    ("transactions", R.TRANSACTIONS, 2),
    ("glossary", R.GLOSSARY, 2),
    ("copybook_uses", R.COPYBOOK_USES, 1),
    ("diagnostics", R.DIAGNOSTICS, 1),
)


def program_specs(store: Store, *, member: str | None = None) -> Iterator[ProgramSpec]:
    """The spec of every program in the store (of ``member`` only, if given).

    Programs come in ``(member, program)`` order; each table is read once.
    """
    system = _System.read(store)
    streams = {name: R.GroupedRows(store, sql, member, width=w) for name, sql, w in _STREAMS}
    try:
        for row in R.iter_rows(store, _PROGRAM_ROWS, [member]):
            key = (row["member"], row["program"])
            groups = {
                name: stream.take(key if width == 2 else key[:1])
                for (name, _, width), stream in zip(_STREAMS, streams.values(), strict=True)
            }
            yield _build(row, groups, system)
    finally:
        for stream in streams.values():
            stream.close()


def program_spec(store: Store, program: str, *, member: str | None = None) -> ProgramSpec:
    """The spec of ``program`` (a PROGRAM-ID; upper case is assumed for a name typed lower).

    ``member`` picks one of several members defining the same PROGRAM-ID. Raises
    :class:`StoreError` when there is no such program, or several and no ``member``.
    """
    wanted = [program] if program == program.upper() else [program, program.upper()]
    found = [
        r["member"]
        for r in R.iter_rows(store, _PROGRAM_ROWS, [member])
        if r["program"] in wanted
    ]
    if not found:
        where = f" in {member}" if member else ""
        raise StoreError(f"no program {program}{where} in the store")
    if len(set(found)) > 1:
        raise StoreError(
            f"program {program} is defined in several members ({', '.join(sorted(set(found)))}); "
            "name one"
        )
    for spec in program_specs(store, member=found[0]):
        if spec.program in wanted:
            return spec
    raise StoreError(f"no program {program} in the store")  # pragma: no cover - found above


# -- building one program ------------------------------------------------------------------------


def _build(row: Row, g: Mapping[str, list[Row]], system: _System) -> ProgramSpec:
    program: str = row["program"]
    steps = system.steps.get(program, [])
    files = _files(g["program_files"], g["io_accesses"], steps, system)
    paragraphs = _paragraphs(g["paragraphs"], g["statement_counts"])
    calls_out = [_call(r) for r in g["calls_out"]]
    calls_in = [_call(r) for r in g["calls_in"]]
    data = _records(g["data_items"], g["conditions"])
    interfaces = Interfaces(
        files=files,
        tables=_tables(g["sql_accesses"]),
        screens=_screens(g["cics_commands"], system),
        cics_commands=[
            CicsCommand(**{k: r[k] for k in CicsCommand.model_fields}) for r in g["cics_commands"]
        ],
        linkage=[
            LinkageRecord(
                name=rec.name,
                size=rec.size,
                commarea=rec.name == "DFHCOMMAREA",
                file=rec.file,
                line=rec.line,
            )
            for rec in data
            if rec.section == "LINKAGE"
        ],
        calls_out=calls_out,
        calls_in=calls_in,
        transactions=[
            TransactionRef(transid=r["transid"], group=r["group"], file=r["file"], line=r["line"])
            for r in g["transactions"]
        ],
        jobs=[JobStepRef(**{k: r[k] for k in JobStepRef.model_fields}) for r in steps],
    )
    summaries = g["program_descriptions"]
    return ProgramSpec(
        program=program,
        member=row["member"],
        parent=row["parent"],
        file=row["file"],
        line=row["line"],
        end_line=row["end_line"],
        summary=summaries[0]["text"] if summaries else None,
        interfaces=interfaces,
        copybooks=[CopybookUse(**{k: r[k] for k in CopybookUse.model_fields})
                   for r in g["copybook_uses"]],
        data=data,
        paragraphs=paragraphs,
        statements=_statement_counts(g["statement_counts"]),
        rules=rule_specs(g["rules"], g["rule_inputs"], g["rule_outputs"], g["rule_descriptions"]),
        glossary=[GlossaryEntry(**{k: r[k] for k in GlossaryEntry.model_fields})
                  for r in g["glossary"]],
        diagnostics=[DiagnosticEntry(**{k: r[k] for k in DiagnosticEntry.model_fields})
                     for r in g["diagnostics"]],
        diagrams=ProgramDiagrams(
            control_flow=_cfg_diagram(program, paragraphs, g["cfg_edges"]),
            calls=_call_diagram(program, calls_out, calls_in, system.programs),
        ),
    )


def _call(r: Row) -> CallEdge:
    return CallEdge(**{k: r[k] for k in CallEdge.model_fields})


def _files(
    rows: list[Row], io: list[Row], steps: list[Row], system: _System
) -> list[FileInterface]:
    # A file's statements are found through the items they touch: the file, its record (when
    # the store names it) and its FILE STATUS item, which every I/O statement on it sets (only
    # when no other file of the program shares that status item).
    statuses = Counter((r["file_status"] or "").upper() for r in rows)
    out = []
    for r in rows:
        dd = dd_name(r["assign"])
        record = r.get("record")
        keys = [r["file_name"], *([record] if record else [])]
        if r["file_status"] and statuses[r["file_status"].upper()] == 1:
            keys.append(r["file_status"])
        touched = {a["verb"] for a in io if any(item_matches(a["item"], k) for k in keys)}
        out.append(
            FileInterface(
                name=r["file_name"],
                assign=r["assign"],
                dd=dd,
                organization=r["organization"],
                access=r["access"],
                record_key=r["record_key"],
                file_status=r["file_status"],
                record=record,
                open_modes=R.text_list(r.get("open_modes")),
                operations=sorted(touched),
                datasets=_bindings(dd, steps, system) if dd else [],
                file=r["file"],
                line=r["line"],
            )
        )
    return out


def _bindings(dd: str, steps: list[Row], system: _System) -> list[DatasetBinding]:
    """The DDs named ``dd`` of the job steps that run the program."""
    out = []
    for step in steps:
        names = {step["step"]}
        if step["proc_step"]:
            names.add(f"{step['step']}.{step['proc_step']}")
        for r in system.dds.get((step["member"], step["job"]), []):
            if r["step"] in names and r["dd"].upper() == dd:
                out.append(
                    DatasetBinding(
                        job=r["job"], step=r["step"], dd=r["dd"], dataset=r["dataset"],
                        disp=r["disp"], file=r["file"], line=r["line"],
                    )
                )
    return sorted(set(out), key=lambda b: (b.job, b.step, b.dd, b.file or "", b.line or 0))


def _tables(rows: list[Row]) -> list[TableAccess]:
    ops: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[tuple[str | None, int | None]]] = defaultdict(set)
    for r in rows:
        ops[r["table"]].add(r["operation"])
        where[r["table"]].add((r["file"], r["line"]))
    return [
        TableAccess(
            table=table,
            operations=sorted(ops[table]),
            locations=[SourceRef(file=f, line=n)
                       for f, n in sorted(where[table], key=lambda p: (p[0] or "", p[1] or 0))],
        )
        for table in sorted(ops)
    ]


def _screens(rows: list[Row], system: _System) -> list[ScreenUse]:
    uses: dict[tuple[str, str | None], dict[str, Any]] = {}
    for r in rows:
        command = (r["command"] or "").upper()
        if command not in ("SEND MAP", "RECEIVE MAP") or not r["target"]:
            continue
        found = _MAPSET.search(r["options"] or "")
        key = (r["target"], found.group(1).upper() if found else None)
        use = uses.setdefault(key, {"sent": False, "received": False, "where": set()})
        use["sent" if command == "SEND MAP" else "received"] = True
        use["where"].add((r["file"], r["line"]))
    out = []
    for (map_name, mapset), use in sorted(uses.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        fields = [
            ScreenField(**{k: f[k] for k in ScreenField.model_fields if k != "name"},
                        name=f["field"])
            for f in system.screen_fields.get(map_name, [])
            if mapset is None or f["mapset"] == mapset
        ]
        out.append(
            ScreenUse(
                map=map_name,
                mapset=mapset,
                sent=use["sent"],
                received=use["received"],
                locations=[SourceRef(file=f, line=n)
                           for f, n in sorted(use["where"], key=lambda p: (p[0] or "", p[1] or 0))],
                fields=fields,
            )
        )
    return out


def _records(items: list[Row], conditions: list[Row]) -> list[DataRecord]:
    by_name: dict[str, list[Row]] = defaultdict(list)
    for r in items:
        by_name[r["name"].upper()].append(r)
    attached: dict[int, list[ConditionName]] = defaultdict(list)
    for c in conditions:
        owner = _condition_owner(c, by_name.get(c["item"].upper(), []))
        if owner is not None:
            attached[owner["seq"]].append(
                ConditionName(name=c["name"], values=c["values"], file=c["file"], line=c["line"])
            )
    records: list[tuple[Row, list[DataItemSpec]]] = []
    stack: list[int] = []
    for r in items:
        level = r["level"]
        if level in _RECORD_LEVELS or not records:
            stack = [level]
            depth = 0
            records.append((r, []))
        elif level == 66:
            depth = 1
        else:
            while len(stack) > 1 and stack[-1] >= level:
                stack.pop()
            depth = len(stack)
            stack.append(level)
        records[-1][1].append(
            DataItemSpec(
                seq=r["seq"], depth=depth, level=level, name=r["name"], parent=r["parent"],
                pic=r["pic"], usage=r["usage"], offset=r["offset"], size=r["size"],
                occurs=r["occurs"], occurs_min=r["occurs_min"], depending_on=r["depending_on"],
                redefines=r["redefines"], value=r["value"], conditions=attached.get(r["seq"], []),
                file=r["file"], line=r["line"],
            )
        )
    return [
        DataRecord(name=head["name"], section=head["section"], level=head["level"],
                   size=head["size"], file=head["file"], line=head["line"], items=entries)
        for head, entries in records
    ]


def _condition_owner(cond: Row, candidates: Sequence[Row]) -> Row | None:
    """The item a level-88 belongs to: the nearest one of that name written above it."""
    before = [
        r for r in candidates
        if r["file"] == cond["file"] and r["line"] is not None and cond["line"] is not None
        and r["line"] <= cond["line"]
    ]
    if before:
        return max(before, key=lambda r: (r["line"], r["seq"]))
    return candidates[0] if candidates else None


def _paragraphs(rows: list[Row], counts: list[Row]) -> list[ParagraphSpec]:
    per_paragraph: dict[str | None, int] = defaultdict(int)
    for c in counts:
        per_paragraph[c["paragraph"]] += c["n"]
    return [
        ParagraphSpec(
            id=r["id"], section=r["section"], name=r["name"], file=r["file"], line=r["line"],
            end_line=r["end_line"], reachable=r["reachable"], complexity=r.get("complexity"),
            statements=per_paragraph.get(r["id"], 0),
        )
        for r in rows
    ]


def _statement_counts(counts: list[Row]) -> StatementCounts:
    by_verb: dict[str, int] = defaultdict(int)
    unparsed = 0
    for c in counts:
        by_verb[c["verb"]] += c["n"]
        unparsed += c["unparsed"]
    return StatementCounts(
        total=sum(by_verb.values()),
        unparsed=unparsed,
        by_verb={verb: by_verb[verb] for verb in sorted(by_verb)},
    )


def rule_specs(
    rows: Iterable[Row], inputs: Iterable[Row], outputs: Iterable[Row],
    descriptions: Iterable[Row],
) -> list[RuleSpec]:
    """Rule specs from ``rules`` rows and the inputs, outputs and grounded descriptions of those
    rules (each ``rule`` = ``rules.id``; descriptions in order of preference)."""
    ins: dict[str, list[str]] = defaultdict(list)
    for r in inputs:
        ins[r["rule"]].append(r["item"])
    outs: dict[str, list[str]] = defaultdict(list)
    for r in outputs:
        outs[r["rule"]].append(r["item"])
    described: dict[str, Row] = {}
    for r in descriptions:
        described.setdefault(r["rule"], r)
    out = []
    for r in rows:
        text = described.get(r["id"])
        out.append(
            RuleSpec(
                id=r["id"], name=r["name"], program=r["program"], paragraph=r["paragraph"],
                kind=r["kind"], condition=r["condition"],
                reaching=R.text_list(r.get("reaching")), actions=R.action_list(r["actions"]),
                inputs=ins.get(r["id"], []), outputs=outs.get(r["id"], []),
                description=text["text"] if text else None,
                description_source=description_source(text["backend"], text["model"])
                if text else None,
                file=r["file"], line=r["line"], end_line=r["end_line"],
                decision_table=_decision_table(r),
            )
        )
    return out


def _decision_table(r: Row) -> DecisionTable | None:
    raw = r.get("decision_table")
    if raw is None:
        return None
    try:
        return DecisionTable.model_validate_json(raw) if isinstance(raw, str | bytes) else (
            DecisionTable.model_validate(raw)
        )
    except ValidationError as e:
        raise StoreError(
            f"rules.decision_table of {r['name']} is not a decision table: "
            f"{e.errors()[0]['msg']}"
        ) from e


# -- diagrams -----------------------------------------------------------------------------------


def _cfg_diagram(program: str, paragraphs: list[ParagraphSpec], edges: list[Row]) -> Diagram | None:
    if not edges:
        return None
    prefix = program + ":"
    known = {p.id for p in paragraphs}
    ends = {r["src"] for r in edges} | {r["dst"] for r in edges}
    nodes: list[DiagramNode] = []
    start = f"{program}:(START)"
    if start in ends:
        nodes.append(DiagramNode(id=start, label="START", kind="start"))
    for p in paragraphs:
        nodes.append(
            DiagramNode(
                id=p.id,
                label=p.id.removeprefix(prefix).replace(":", " / "),
                kind="unreachable" if p.reachable is False else "paragraph",
            )
        )
    end = f"{program}:(END)"
    for other in sorted(ends - known - {start, end}):
        nodes.append(DiagramNode(id=other, label=other.removeprefix(prefix), kind="external"))
    if end in ends:
        nodes.append(DiagramNode(id=end, label="END", kind="end"))
    return diagram(nodes, [(r["src"], r["dst"], r["kind"]) for r in edges], direction="TD")


def _callee_node(edge: CallEdge, programs: frozenset[str]) -> DiagramNode:
    if edge.kind in TRANSACTION_KINDS:
        name = edge.callee or f"? {edge.via_item or ''}".strip()
        return DiagramNode(id=f"transaction:{name}", label=name, kind="transaction")
    if edge.callee is None:
        label = f"? {edge.via_item}" if edge.via_item else "?"
        return DiagramNode(id=f"dynamic:{edge.caller}:{edge.via_item}", label=label,
                           kind="dynamic")
    return DiagramNode(id=edge.callee, label=edge.callee,
                       kind="program" if edge.callee in programs else "missing")


def _call_diagram(
    program: str, calls_out: list[CallEdge], calls_in: list[CallEdge], programs: frozenset[str]
) -> Diagram | None:
    if not calls_out and not calls_in:
        return None
    nodes = {program: DiagramNode(id=program, label=program, kind="focus")}
    edges = []
    for edge in calls_in:
        nodes.setdefault(edge.caller, DiagramNode(id=edge.caller, label=edge.caller,
                                                  kind="program"))
        edges.append((edge.caller, program, edge.kind))
    for edge in calls_out:
        node = _callee_node(edge, programs)
        nodes.setdefault(node.id, node)
        edges.append((program, node.id, edge.kind))
    ordered = [nodes[program], *sorted((n for k, n in nodes.items() if k != program),
                                       key=lambda n: (n.kind, n.id))]
    return diagram(ordered, edges, direction="LR")
