"""The published spec: pydantic models of a program's and of the system's specification.

These models are a public contract, like the store's tables: ``programs/<PGM>.json`` and
``system.json`` are their JSON, and ``docs/program-spec.schema.json`` and
``docs/system-spec.schema.json`` their JSON Schema (see :mod:`cobolspec.spec.schema`). Every model
is frozen and refuses unknown fields; the two top-level models carry ``schema_version``, raised
whenever a field changes meaning or is removed.

Lines are 1-based and always those of the physical file named in ``file`` (the copybook's when the
text came from one). Lists are sorted in a documented, deterministic order, so an unchanged store
gives identical specs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CallEdge",
    "CicsCommand",
    "CodeCount",
    "ConditionName",
    "CopybookEntry",
    "CopybookUse",
    "DataItemSpec",
    "DataRecord",
    "DatasetBinding",
    "DatasetEntry",
    "DatasetUse",
    "DecisionRow",
    "DecisionTable",
    "DiagnosticEntry",
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "FileInterface",
    "GlossaryEntry",
    "Interfaces",
    "JobDD",
    "JobFlow",
    "JobStep",
    "JobStepRef",
    "KindCount",
    "LinkageRecord",
    "MemberEntry",
    "ParagraphSpec",
    "ProgramDiagrams",
    "ProgramSpec",
    "ProgramSummary",
    "RuleSpec",
    "ScreenField",
    "ScreenUse",
    "SourceRef",
    "SqlTableUse",
    "StatementCounts",
    "SystemDiagrams",
    "SystemSpec",
    "TableAccess",
    "TableProgramUse",
    "TransactionFlow",
    "TransactionRef",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- shared parts ---------------------------------------------------------------------------------


class SourceRef(_Model):
    """A place in a physical source file."""

    file: str | None
    line: int | None


class MemberEntry(_Model):
    """One member of the dump (a row of ``members``)."""

    path: str
    name: str
    kind: str
    encoding: str
    lines: int
    line_ending: str
    format: str | None
    status: str
    hash: str


class CopybookUse(_Model):
    """One COPY (or EXEC SQL INCLUDE) met while expanding a program, nested ones too."""

    name: str
    library: str | None
    resolved: str | None = Field(description="Physical file it was read from; None: not found.")
    missing: bool
    replacing: bool
    depth: int = Field(description="1: the program copies it; 2: a copybook does; ...")
    via: str
    file: str
    line: int
    column: int


class CopybookEntry(_Model):
    """A copybook and the program members that use it (``resolved`` None: never found)."""

    name: str
    resolved: str | None
    missing: bool
    used_by: list[str]


class DiagnosticEntry(_Model):
    """A finding about the input, where it is, and which member and stage it came from."""

    member: str
    stage: str
    severity: str
    code: str
    message: str
    file: str | None
    line: int | None
    column: int | None
    hint: str | None


class CallEdge(_Model):
    """A transfer of control between programs (a row of ``calls``).

    ``kind`` is ``CALL``, ``LINK``, ``XCTL``, ``LOAD``, ``START`` or ``RETURN TRANSID``; for the
    last two ``callee`` is a transaction ID. ``callee`` is None for a dynamic target whose
    values are unknown; ``via_item`` is the data item holding a dynamic target.
    """

    caller: str
    callee: str | None
    kind: str
    dynamic: bool
    via_item: str | None
    file: str | None
    line: int | None


class GlossaryEntry(_Model):
    """A term and its meaning (``program`` None: system-wide)."""

    term: str
    meaning: str
    source: str
    program: str | None
    file: str | None
    line: int | None


class DiagramNode(_Model):
    """A node of a diagram: ``id`` is the graph ID (paragraph ID, program, transaction...)."""

    id: str
    label: str
    kind: str


class DiagramEdge(_Model):
    """An edge of a diagram; ``count`` edges of the same kind between the same nodes."""

    src: str
    dst: str
    kind: str
    count: int


class Diagram(_Model):
    """A graph, and the same graph as a Mermaid flowchart."""

    nodes: list[DiagramNode]
    edges: list[DiagramEdge]
    mermaid: str


# -- a program ------------------------------------------------------------------------------------


class DatasetBinding(_Model):
    """A dataset a job step connects to a program's file through a DD statement."""

    job: str
    step: str
    dd: str
    dataset: str | None
    disp: str | None
    file: str | None
    line: int | None


class FileInterface(_Model):
    """A file the program declares (SELECT), how it uses it, and the datasets behind it.

    ``dd`` is the DD name the ASSIGN clause names (``UT-S-ACCTMAST`` → ``ACCTMAST``).
    ``operations`` are the verbs of the statements that touch the file or its record (from
    ``dataflow``); ``open_modes`` the OPEN modes when the store records them.
    """

    name: str
    assign: str | None
    dd: str | None
    organization: str | None
    access: str | None
    record_key: str | None
    file_status: str | None
    record: str | None
    open_modes: list[str]
    operations: list[str]
    datasets: list[DatasetBinding]
    file: str | None
    line: int | None


class TableAccess(_Model):
    """An SQL table and what the program does with it (``SELECT``, ``UPDATE``...)."""

    table: str
    operations: list[str]
    locations: list[SourceRef]


class ScreenField(_Model):
    """A field of a BMS map (``name`` None: an unnamed constant)."""

    name: str | None
    row: int | None
    column: int | None
    length: int | None
    attributes: str | None
    initial: str | None
    file: str | None
    line: int | None


class ScreenUse(_Model):
    """A BMS map the program sends or receives, and the map's fields."""

    map: str
    mapset: str | None
    sent: bool
    received: bool
    locations: list[SourceRef]
    fields: list[ScreenField]


class CicsCommand(_Model):
    """An EXEC CICS command (a row of ``cics_commands``)."""

    command: str
    target: str | None
    options: str | None
    file: str | None
    line: int | None


class LinkageRecord(_Model):
    """A level-01/77 record of the LINKAGE SECTION (``commarea``: it is DFHCOMMAREA)."""

    name: str
    size: int | None
    commarea: bool
    file: str | None
    line: int | None


class JobStepRef(_Model):
    """A JCL step that runs the program (``proc``/``proc_step`` when it comes from a PROC)."""

    job: str
    step: str
    seq: int
    proc: str | None
    proc_step: str | None
    file: str | None
    line: int | None


class TransactionRef(_Model):
    """A CICS transaction whose first program is this one."""

    transid: str
    group: str | None
    file: str | None
    line: int | None


class Interfaces(_Model):
    """Everything through which a program meets the rest of the system."""

    files: list[FileInterface]
    tables: list[TableAccess]
    screens: list[ScreenUse]
    cics_commands: list[CicsCommand]
    linkage: list[LinkageRecord]
    calls_out: list[CallEdge]
    calls_in: list[CallEdge]
    transactions: list[TransactionRef]
    jobs: list[JobStepRef]


class ConditionName(_Model):
    """A level-88 condition name and its values as written (THRU kept)."""

    name: str
    values: str
    file: str | None
    line: int | None


class DataItemSpec(_Model):
    """A data description entry with its computed layout.

    ``depth`` is its nesting depth in the record (0 for the level-01/77 entry itself);
    ``offset`` is the byte offset within the record and ``size`` its size in bytes.
    """

    seq: int
    depth: int
    level: int
    name: str
    parent: str | None
    pic: str | None
    usage: str | None
    offset: int | None
    size: int | None
    occurs: int | None
    occurs_min: int | None
    depending_on: str | None
    redefines: str | None
    value: str | None
    conditions: list[ConditionName]
    file: str | None
    line: int | None


class DataRecord(_Model):
    """A level-01 or 77 record and every entry under it, in source order (itself first)."""

    name: str
    section: str | None
    level: int
    size: int | None
    file: str | None
    line: int | None
    items: list[DataItemSpec]


class ParagraphSpec(_Model):
    """A paragraph: ``id`` is its graph node ID (``PGM:PARA`` or ``PGM:SECTION:PARA``).

    ``reachable`` and ``complexity`` (cyclomatic) are None until the store records them.
    """

    id: str
    section: str | None
    name: str
    file: str | None
    line: int | None
    end_line: int | None
    reachable: bool | None
    complexity: int | None
    statements: int


class StatementCounts(_Model):
    """How many statements the program has, how many were kept unparsed, and by verb."""

    total: int
    unparsed: int
    by_verb: dict[str, int]


class DecisionRow(_Model):
    """One row of a decision table: a cell per condition column, then the actions taken."""

    conditions: list[str]
    actions: list[str]


class DecisionTable(_Model):
    """The decision table of an IF/EVALUATE nest."""

    condition_columns: list[str]
    rows: list[DecisionRow]


class RuleSpec(_Model):
    """A business-rule unit.

    ``condition`` is the unit's own condition; ``reaching`` the conditions that hold on the paths
    that reach it. ``inputs`` and ``outputs`` name data items, files (``file:NAME``), tables
    (``table:NAME``), screen fields (``map:MAP.FIELD``)... ``description`` is the first grounded
    description in the store (``description_source`` says which backend and model wrote it).
    """

    id: str
    name: str
    program: str
    paragraph: str | None
    kind: str
    condition: str | None
    reaching: list[str]
    actions: list[str]
    inputs: list[str]
    outputs: list[str]
    description: str | None
    description_source: str | None
    file: str | None
    line: int | None
    end_line: int | None
    decision_table: DecisionTable | None


class ProgramDiagrams(_Model):
    """The paragraph control-flow graph and the program's call neighbourhood."""

    control_flow: Diagram | None
    calls: Diagram | None


class ProgramSpec(_Model):
    """The specification of one program."""

    schema_version: Literal[1] = 1
    program: str
    member: str
    parent: str | None = Field(description="The containing program of a nested program.")
    file: str | None
    line: int | None
    end_line: int | None
    summary: str | None
    interfaces: Interfaces
    copybooks: list[CopybookUse]
    data: list[DataRecord]
    paragraphs: list[ParagraphSpec]
    statements: StatementCounts
    rules: list[RuleSpec]
    glossary: list[GlossaryEntry]
    diagnostics: list[DiagnosticEntry]
    diagrams: ProgramDiagrams


# -- the system -----------------------------------------------------------------------------------


class KindCount(_Model):
    """How many members of one kind the dump holds."""

    kind: str
    members: int


class ProgramSummary(_Model):
    """A program as the system page lists it; ``page`` is its page's path without extension."""

    program: str
    member: str
    parent: str | None
    page: str
    file: str | None
    line: int | None
    summary: str | None
    paragraphs: int
    statements: int
    unparsed: int
    rules: int
    calls_out: int
    calls_in: int


class JobDD(_Model):
    """A DD statement of a job step."""

    dd: str
    dataset: str | None
    disp: str | None
    file: str | None
    line: int | None


class JobStep(_Model):
    """A step of a job: the program it runs (directly or through a PROC) and its DDs.

    ``program`` is EXEC PGM=; ``runs_program`` the program a TSO/DB2 monitor such as IKJEFT01
    runs (``RUN PROGRAM(...)``), when known.
    """

    step: str
    seq: int
    proc: str | None
    proc_step: str | None
    program: str | None
    runs_program: str | None
    file: str | None
    line: int | None
    dds: list[JobDD]


class JobFlow(_Model):
    """A batch job, its steps in order, and a diagram of steps and datasets."""

    job: str
    member: str
    file: str | None
    line: int | None
    steps: list[JobStep]
    diagram: Diagram | None


class DatasetUse(_Model):
    """A job step's DD naming a dataset: ``dsn`` as the DD names it (a GDG generation such as
    ``(+1)`` or a PDS member kept), ``program``: what the step runs."""

    job: str
    step: str
    dd: str
    dsn: str
    disp: str | None
    program: str | None


class DatasetEntry(_Model):
    """A dataset (its name without generation or member), where it is named first, and every
    job step that uses it."""

    dataset: str
    kind: str | None
    file: str | None
    line: int | None
    uses: list[DatasetUse]


class TransactionFlow(_Model):
    """A CICS transaction: its program, the transfers reachable from it, what comes next.

    ``reaches`` holds the LINK/XCTL/CALL/LOAD edges reachable from ``program``;
    ``next_transids`` the transactions those programs RETURN TRANSID to or START.
    """

    transid: str
    program: str | None
    group: str | None
    file: str | None
    line: int | None
    reaches: list[CallEdge]
    next_transids: list[str]


class TableProgramUse(_Model):
    """One program's operations on an SQL table."""

    program: str
    operations: list[str]


class SqlTableUse(_Model):
    """An SQL table and the programs that use it."""

    table: str
    programs: list[TableProgramUse]


class CodeCount(_Model):
    """How many diagnostics of one code and severity the store holds."""

    code: str
    severity: str
    count: int


class SystemDiagrams(_Model):
    """The whole call graph (programs and transactions)."""

    calls: Diagram | None


class SystemSpec(_Model):
    """The specification of the whole dump."""

    schema_version: Literal[1] = 1
    cobolspec_version: str
    store_schema_version: int
    kinds: list[KindCount]
    members: list[MemberEntry]
    programs: list[ProgramSummary]
    jobs: list[JobFlow]
    datasets: list[DatasetEntry]
    transactions: list[TransactionFlow]
    call_graph: list[CallEdge]
    copybooks: list[CopybookEntry]
    sql_tables: list[SqlTableUse]
    glossary: list[GlossaryEntry]
    diagnostics_by_severity: dict[str, int]
    diagnostics_by_code: list[CodeCount]
    diagnostics: list[DiagnosticEntry]
    diagrams: SystemDiagrams
