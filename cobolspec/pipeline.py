"""Running the stages over a whole dump: discover, per-member stages, store, render.

A *stage* is a function over one member's :class:`MemberWork`. It reads what earlier stages left
(``work.expanded`` from preprocessing, ``work.artifacts`` for anything else), and adds rows for
the store and diagnostics. :data:`STAGES` lists the stages in order, each with the member kinds
it applies to. Adding one, e.g. parsing, is a function and an entry::

    def parse_stage(work: MemberWork) -> None:
        program = parse(work.expanded)               # what preprocess left
        work.artifacts["program"] = program          # for later stages of this member
        work.add_rows("paragraphs", [{"program": ..., "name": ..., "line": ...}])
        work.add_diagnostics(program.diagnostics)

    STAGES = (..., Stage("parse", frozenset({MemberKind.PROGRAM}), parse_stage))

Rows are plain dicts keyed by column name (``member`` and ``run_id`` are filled in when loading;
a key that is not a column is an error). ``artifacts`` stay in the process that ran the stage:
only rows and diagnostics travel back, so they must be plain data.

Per-member work runs in-process (``jobs=1``) or in a local process pool; results are loaded in
member-path order whatever finished first, so the store and the pages do not depend on ``jobs``.
A stage that raises on a member gives that member a ``RUN001`` (internal error) diagnostic, or
``RUN002`` for a :class:`~cobolspec.errors.CobolspecError`; the member's later stages are
skipped and the run goes on.

Incremental: a member's *analysis key* hashes its bytes, the content of every copybook it used
(stages record such inputs with :meth:`MemberWork.depend_on`), the settings and the stage list.
It is complete after the last ``keyed`` stage (preprocess); when it equals the stored one, the
member stops there and its rows are kept as they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from cobolspec import __version__
from cobolspec.agents import offline
from cobolspec.analysis import bms, cfg, csd, dataflow, jcl, system
from cobolspec.analysis.jcl import ProcSource, proc_library
from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.errors import CobolspecError, ConfigError
from cobolspec.parse import ParseResult, parse_expanded
from cobolspec.parse.facts import store_rows
from cobolspec.render import INDEX_NAME, render_inventory
from cobolspec.rules import Glossary, check_grounding, describe_program, extract_all
from cobolspec.rules import store_rows as rules_store_rows
from cobolspec.source import (
    CopyLibrary,
    ExpandedSource,
    Inventory,
    Member,
    MemberKind,
    codes,
    discover,
    preprocess,
)
from cobolspec.store import (
    DEFAULT_DB,
    SCHEMA_VERSION,
    MemberLoader,
    Store,
    StoredDiagnostic,
    diagnostic_counts,
    diagnostic_row,
    member_keys,
    next_run_id,
    stored_diagnostics,
    sync_stage_diagnostics,
)
from cobolspec.store.db import utc_now

__all__ = [
    "AGENTS",
    "DEFAULT_OUT",
    "DUPLICATE_MEMBER",
    "EXECUTORS",
    "FORMATS",
    "INTERNAL_ERROR",
    "STAGES",
    "STAGE_FAILED",
    "MemberOutcome",
    "MemberWork",
    "Progress",
    "RunResult",
    "Settings",
    "Stage",
    "analyze",
    "default_jobs",
    "parse_stage",
    "preprocess_stage",
    "run_member",
    "validate_options",
]

DEFAULT_OUT = "specs"
FORMATS = ("auto", "fixed", "free")
AGENTS = ("offline", "local", "openai", "anthropic")
AVAILABLE_AGENTS = ("offline",)
EXECUTORS = ("local", "dask")
# Diagnostic codes of the pipeline itself.
INTERNAL_ERROR = "RUN001"  # a stage raised an unexpected exception, or its worker process died
STAGE_FAILED = "RUN002"  # a stage gave up on the member (a CobolspecError)
DUPLICATE_MEMBER = "RUN003"  # two members with the same path; the second is ignored


@dataclass(frozen=True, slots=True)
class Settings:
    """The options every member's results depend on (part of each member's analysis key)."""

    format: str = "auto"
    agent: str = "offline"
    model: str | None = None
    # user CSV files (term,meaning): a glossary overriding every mined meaning, and
    # abbreviations extending the shipped table; their contents are part of the key
    glossary: str | None = None
    abbreviations: tuple[str, ...] = ()

    def glossary_digest(self) -> str:
        parts = [self.glossary or ""]
        for path in (self.glossary, *self.abbreviations):
            if path:
                parts.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
        return "|".join([*parts, *self.abbreviations])


@dataclass(slots=True)
class MemberWork:
    """One member on its way through the stages."""

    member: Member
    library: CopyLibrary
    settings: Settings
    expanded: ExpandedSource | None = None
    procs: Mapping[str, ProcSource] = field(default_factory=dict)
    artifacts: dict[str, object] = field(default_factory=dict)
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    diagnostics: list[tuple[str, Diagnostic]] = field(default_factory=list)
    dependencies: list[tuple[str, str]] = field(default_factory=list)
    stage: str = ""

    def add_rows(self, table: str, rows: Iterable[Mapping[str, object]]) -> None:
        """Rows for ``table`` (``member`` and ``run_id`` are filled in when loading)."""
        self.rows.setdefault(table, []).extend(dict(r) for r in rows)

    def add_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Findings of the running stage."""
        self.diagnostics.extend((self.stage, d) for d in diagnostics)

    def depend_on(self, name: str, content_hash: str | None) -> None:
        """Record that the results depend on ``name`` with this content (None: absent)."""
        self.dependencies.append((name, content_hash or ""))


@dataclass(frozen=True, slots=True)
class Stage:
    """A named step applied to every member of some kinds.

    ``keyed``: once this stage has run, the member's dependencies are all known, so its analysis
    key is complete and an unchanged member stops here. Stages before the last keyed one must be
    cheap; the expensive ones come after it.
    """

    name: str
    kinds: frozenset[MemberKind]
    run: Callable[[MemberWork], None]
    keyed: bool = False


@dataclass(slots=True)
class MemberOutcome:
    """What one member's stages produced (sent back from a worker process, so plain data)."""

    path: str
    key: str
    unchanged: bool
    status: str
    rows: dict[str, list[dict[str, object]]]
    diagnostics: list[tuple[str, Diagnostic]]
    tracebacks: list[str]


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report: ``phase`` is discover, analyse, store or render."""

    phase: str
    done: int = 0
    total: int = 0
    item: str | None = None


@dataclass(slots=True)
class RunResult:
    """What a run did and where its results are."""

    run_id: int
    db: str
    out: Path | None
    index: Path | None
    members_by_kind: dict[str, int]
    analysed: int
    unchanged: int
    removed: int
    diagnostics_by_severity: dict[str, int]
    diagnostics: list[StoredDiagnostic]
    tracebacks: list[str]
    seconds: float

    @property
    def internal_errors(self) -> int:
        return sum(d.diagnostic.code == INTERNAL_ERROR for d in self.diagnostics)

    @property
    def exit_code(self) -> int:
        """3 when cobolspec itself failed on a member, 1 for errors in the input, else 0."""
        if self.internal_errors:
            return 3
        return 1 if self.diagnostics_by_severity.get(Severity.ERROR.value, 0) else 0


# -- stages ---------------------------------------------------------------------------------------


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def preprocess_stage(work: MemberWork) -> None:
    """Expand COPY/REPLACE/SQL INCLUDE; store the copybook uses; depend on each copybook read."""
    expanded = preprocess(work.member, work.library, work.settings.format)
    work.expanded = expanded
    work.add_diagnostics(expanded.diagnostics)
    # Copybooks the environment supplies (SQLCA, DFHAID...) are absent but not missing.
    supplied = {d.location for d in expanded.diagnostics if d.code == codes.SQL_AREA_LEFT_OUT}
    rows = []
    for use in expanded.copybooks:
        found = work.library.resolve(use.name, use.library)
        work.depend_on(f"{use.library or ''}/{use.name}", _sha(found.text) if found else None)
        rows.append(
            {
                "name": use.name,
                "library": use.library,
                "resolved": use.resolved,
                "missing": use.resolved is None and use.location not in supplied,
                "replacing": use.replacing,
                "depth": use.depth,
                "via": use.via,
                "file": use.location.file,
                "line": use.location.line,
                "column": use.location.column,
            }
        )
    work.add_rows("copybook_uses", rows)


def _parse(work: MemberWork) -> ParseResult | None:
    result = work.artifacts.get("parse")
    return result if isinstance(result, ParseResult) else None


def parse_stage(work: MemberWork) -> None:
    """Parse the expanded text; store programs, paragraphs, statements, data items, 88-levels."""
    if work.expanded is None:
        return
    result = parse_expanded(work.expanded)
    work.artifacts["parse"] = result
    work.add_diagnostics(result.diagnostics)
    for table, rows in store_rows(result).items():
        work.add_rows(table, rows)


def control_flow_stage(work: MemberWork) -> None:
    """Paragraph control-flow edges; the reachable flag of each paragraph."""
    result = _parse(work)
    if result is None:
        return
    reachable: dict[str, bool] = {}
    complexity: dict[str, int] = {}
    for program in result.all_programs():
        if program.procedure is None:
            continue
        flow = cfg.program_flow(program)
        rows = cfg.store_rows(program, flow.paragraphs)
        work.add_rows("cfg_edges", rows["cfg_edges"])
        reachable.update(rows["reachable"])
        complexity.update(flow.facts.complexity)
    for row in work.rows.get("paragraphs", []):
        row["reachable"] = reachable.get(str(row["id"]))
        row["complexity"] = complexity.get(str(row["id"]))


def data_flow_stage(work: MemberWork) -> None:
    """Definitions and uses of data items per statement."""
    result = _parse(work)
    if result is None:
        return
    for program in result.all_programs():
        for table, rows in dataflow.store_rows(program).items():
            work.add_rows(table, rows)


def system_stage(work: MemberWork) -> None:
    """Calls, CICS commands, SQL table accesses and declared files of each program."""
    result = _parse(work)
    if result is None:
        return
    for table, rows in system.store_rows(result).items():
        work.add_rows(table, rows)


def rules_stage(work: MemberWork) -> None:
    """Business-rule units, the glossary, and their offline descriptions (the default agent);
    a program's summary is the description whose ``rule`` is its PROGRAM-ID."""
    result = _parse(work)
    if result is None:
        return
    glossaries: dict[str, Glossary] = {}
    for program in result.programs:
        glossary = Glossary.from_program(
            program,
            work.expanded,
            abbreviations=work.settings.abbreviations,
            user=work.settings.glossary,
        )
        work.add_rows("glossary", glossary.store_rows()["glossary"])
        for each in result.all_programs():
            glossaries.setdefault(each.name, glossary)
    programs = {p.name: p for p in result.all_programs()}
    for ruleset in extract_all(result.programs):
        for table, rows in rules_store_rows(ruleset).items():
            work.add_rows(table, rows)
        glossary = glossaries[ruleset.program]
        work.add_rows("descriptions", [
            d.as_row() for d in offline.describe_units(ruleset.units, glossary)])
        # the rule counts are in the spec already; the summary says only what the source shows
        summary = describe_program(programs[ruleset.program], None, None, glossary)
        problems = check_grounding(summary, None, glossary)
        work.add_rows("descriptions", [{
            "rule": ruleset.program, "backend": offline.BACKEND, "model": None,
            "cache_key": offline.cache_key(ruleset.program, offline.BACKEND, None,
                                           offline.PROMPT_VERSION),
            "text": summary, "grounded": not problems, "problems": json.dumps(problems),
        }])


def jcl_stage(work: MemberWork) -> None:
    """Jobs, steps (PROCs expanded from the dump's PROCs), DDs and datasets."""
    m = work.member
    for job in jcl.parse_jcl_stream(m.text, m.file, work.procs, first_line=m.first_line,
                                    name=m.name):
        for name in sorted(job.library_members):
            source = work.procs.get(name)
            work.depend_on(f"proc:{name}", _sha(source.text) if source else None)
        work.add_diagnostics(job.diagnostics)
        for table, rows in jcl.store_rows(job).items():
            work.add_rows(table, rows)


def bms_stage(work: MemberWork) -> None:
    """The fields of every map of a BMS mapset."""
    m = work.member
    mapset = bms.parse_bms(m.text, m.file, first_line=m.first_line)
    work.add_diagnostics(mapset.diagnostics)
    work.add_rows("screen_fields", [
        {"mapset": mapset.name, "map": bmap.name, "field": f.name,
         "row": f.pos[0] if f.pos else None, "column": f.pos[1] if f.pos else None,
         "length": f.length, "attributes": ",".join(f.attrb) or None, "initial": f.initial,
         "file": f.location.file, "line": f.location.line}
        for bmap in mapset.maps for f in bmap.fields
    ])


def csd_stage(work: MemberWork) -> None:
    """CICS resource definitions (DFHCSDUP input): transactions and the programs they start."""
    m = work.member
    if not csd.looks_like_csd(m.text):
        return
    definitions = csd.parse_csd(m.text, m.file, first_line=m.first_line)
    work.add_diagnostics(definitions.diagnostics)
    for table, rows in csd.store_rows(definitions).items():
        work.add_rows(table, rows)
    work.add_rows("transactions", [
        {"transid": t.transid, "program": t.program, "group": t.group,
         "file": t.location.file, "line": t.location.line}
        for t in definitions.transactions
    ])


_PROGRAMS = frozenset({MemberKind.PROGRAM})

STAGES: tuple[Stage, ...] = (
    Stage("preprocess", _PROGRAMS, preprocess_stage, keyed=True),
    Stage("parse", _PROGRAMS, parse_stage),
    Stage("control-flow", _PROGRAMS, control_flow_stage),
    Stage("data-flow", _PROGRAMS, data_flow_stage),
    Stage("system", _PROGRAMS, system_stage),
    Stage("rules", _PROGRAMS, rules_stage),
    Stage("jcl", frozenset({MemberKind.JCL}), jcl_stage, keyed=True),
    Stage("bms", frozenset({MemberKind.BMS}), bms_stage),
    Stage("csd", frozenset({MemberKind.OTHER}), csd_stage),
)


# -- one member -----------------------------------------------------------------------------------


def _analysis_key(
    settings: Settings, stages: Sequence[Stage], member: Member, deps: Sequence[tuple[str, str]]
) -> str:
    payload = {
        "cobolspec": __version__,
        "schema": SCHEMA_VERSION,
        "settings": [settings.format, settings.agent, settings.model,
                     settings.glossary_digest()],
        "stages": [s.name for s in stages],
        "member": [member.hash, member.kind.value, member.encoding, member.format],
        "dependencies": sorted(deps),
    }
    return _sha(json.dumps(payload, sort_keys=True))


def _member_location(member: Member) -> Location:
    return Location(member.file, member.first_line, 1)


def run_member(
    member: Member,
    library: CopyLibrary,
    settings: Settings,
    stages: Sequence[Stage],
    prior_key: str | None,
    procs: Mapping[str, ProcSource] | None = None,
) -> MemberOutcome:
    """Run the stages that apply to ``member``; stop early when its key equals ``prior_key``."""
    mine = [s for s in stages if member.kind in s.kinds]
    last_keyed = max((i for i, s in enumerate(mine) if s.keyed), default=-1)
    work = MemberWork(member, library, settings, procs=procs or {})
    tracebacks: list[str] = []
    status = "analysed" if mine else "stored"
    key = _analysis_key(settings, mine, member, ())
    if last_keyed < 0 and key == prior_key:
        return MemberOutcome(member.path, key, True, status, {}, [], [])
    for i, stage in enumerate(mine):
        work.stage = stage.name
        try:
            stage.run(work)
        except CobolspecError as e:
            status = "failed"
            work.add_diagnostics(
                [
                    Diagnostic(
                        STAGE_FAILED,
                        Severity.ERROR,
                        f"{stage.name} stopped: {e}",
                        _member_location(member),
                    )
                ]
            )
        except Exception as e:
            status = "failed"
            tracebacks.append(f"{member.path} ({stage.name}):\n{traceback.format_exc()}")
            work.add_diagnostics(
                [
                    Diagnostic(
                        INTERNAL_ERROR,
                        Severity.ERROR,
                        f"internal error in stage {stage.name}: {type(e).__name__}: {e}",
                        _member_location(member),
                        hint="this is a cobolspec bug; run with --debug for the traceback",
                    )
                ]
            )
        failed = status == "failed"
        if i <= last_keyed and (failed or i == last_keyed):
            # Everything the results depend on is known now (a failure recurs on the same input).
            key = _analysis_key(settings, mine, member, work.dependencies)
            if key == prior_key:
                return MemberOutcome(member.path, key, True, status, {}, [], tracebacks)
        if failed:
            break
    return MemberOutcome(member.path, key, False, status, work.rows, work.diagnostics, tracebacks)


# Worker processes get the library, settings and stages once, when they start.
_WORKER: tuple[CopyLibrary, Settings, tuple[Stage, ...], Mapping[str, ProcSource]] | None = None


def _init_worker(
    library: CopyLibrary,
    settings: Settings,
    stages: tuple[Stage, ...],
    procs: Mapping[str, ProcSource],
) -> None:
    global _WORKER
    _WORKER = (library, settings, stages, procs)


def _run_in_worker(member: Member, prior_key: str | None) -> MemberOutcome:
    if _WORKER is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker not initialised")
    library, settings, stages, procs = _WORKER
    return run_member(member, library, settings, stages, prior_key, procs)


def _crashed(member: Member, what: str) -> MemberOutcome:
    diagnostic = Diagnostic(
        INTERNAL_ERROR,
        Severity.ERROR,
        f"internal error: {what}",
        _member_location(member),
        hint="this is a cobolspec bug; the other members were analysed",
    )
    return MemberOutcome(member.path, "", False, "failed", {}, [("pipeline", diagnostic)], [])


def _outcomes(
    members: Sequence[Member],
    prior: Mapping[str, str],
    library: CopyLibrary,
    settings: Settings,
    stages: tuple[Stage, ...],
    jobs: int,
    procs: Mapping[str, ProcSource],
) -> Iterator[tuple[Member, MemberOutcome]]:
    """Each member's outcome, in the order of ``members`` whatever order they finish in.

    Members no stage applies to are settled in-process: a worker would only hash them.
    """
    pooled = [m for m in members if any(m.kind in s.kinds for s in stages)]
    if jobs <= 1 or len(pooled) < 2:
        for member in members:
            yield member, run_member(
                member, library, settings, stages, prior.get(member.path), procs
            )
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(pooled)),
        initializer=_init_worker,
        initargs=(library, settings, stages, procs),
    ) as pool:
        futures: dict[str, Future[MemberOutcome]] = {
            m.path: pool.submit(_run_in_worker, m, prior.get(m.path)) for m in pooled
        }
        try:
            for member in members:
                future = futures.get(member.path)
                if future is None:
                    outcome = run_member(
                        member, library, settings, stages, prior.get(member.path), procs
                    )
                else:
                    try:
                        outcome = future.result()
                    except BrokenProcessPool as e:
                        outcome = _crashed(member, f"the worker process analysing it died ({e})")
                    except Exception as e:
                        outcome = _crashed(
                            member, f"its results could not be returned: {type(e).__name__}: {e}"
                        )
                yield member, outcome
        finally:
            for future in futures.values():
                future.cancel()


# -- the run --------------------------------------------------------------------------------------


def validate_options(
    *,
    format: str = "auto",
    jobs: int = 1,
    executor: str = "local",
    dask_address: str | None = None,
    agent: str = "offline",
    model: str | None = None,
    concurrency: int = 1,
) -> None:
    """Raise :class:`ConfigError` for options this version cannot honour."""
    if format not in FORMATS:
        raise ConfigError(f"unknown source format {format!r} (use one of: {', '.join(FORMATS)})")
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1 (got {jobs})")
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1 (got {concurrency})")
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r} (use one of: {', '.join(EXECUTORS)})")
    if executor == "dask":
        raise ConfigError("the dask executor is not available yet; use --executor local")
    if dask_address is not None:
        raise ConfigError("--dask ADDRESS needs --executor dask")
    if agent not in AGENTS:
        raise ConfigError(f"unknown agent backend {agent!r} (use one of: {', '.join(AGENTS)})")
    if agent not in AVAILABLE_AGENTS:
        raise ConfigError(f"the {agent!r} agent backend is not available yet; use --agent offline")
    if model is not None and agent == "offline":
        raise ConfigError(
            "--model names a model of the local/openai/anthropic agents, "
            "not of the offline describer"
        )


def _member_row(member: Member, outcome: MemberOutcome) -> dict[str, object]:
    return {
        "path": member.path,
        "hash": member.hash,
        "file": member.file,
        "first_line": member.first_line,
        "name": member.name,
        "kind": member.kind.value,
        "encoding": member.encoding,
        "lines": member.lines,
        "line_ending": member.line_ending,
        "format": member.format,
        "status": outcome.status,
        "analysis_key": outcome.key,
    }


def _discover_diagnostics(inventory: Inventory) -> list[tuple[str, Diagnostic]]:
    found = []
    for d in inventory.diagnostics:
        found.append((d.location.file if d.location else "", d))
    return found


def _unique_members(inventory: Inventory) -> tuple[list[Member], list[tuple[str, Diagnostic]]]:
    """Members sorted by path; a path met twice (two roots hold the same file): the first wins."""
    seen: dict[str, Member] = {}
    clashes = []
    for member in inventory.members:
        if member.path in seen:
            clashes.append(
                (
                    member.path,
                    Diagnostic(
                        DUPLICATE_MEMBER,
                        Severity.WARNING,
                        f"two members have the path {member.path}; only the first is analysed",
                        _member_location(member),
                    ),
                )
            )
            continue
        seen[member.path] = member
    return [seen[p] for p in sorted(seen)], clashes


def analyze(
    roots: Sequence[Path | str],
    *,
    db: Path | str = DEFAULT_DB,
    out: Path | str | None = DEFAULT_OUT,
    copy_dirs: Sequence[Path | str] = (),
    format: str = "auto",
    jobs: int = 1,
    executor: str = "local",
    dask_address: str | None = None,
    agent: str = "offline",
    model: str | None = None,
    concurrency: int = 4,
    progress_callback: Callable[[Progress], None] | None = None,
    stages: Sequence[Stage] = STAGES,
    glossary: Path | str | None = None,
    abbreviations: Sequence[Path | str] = (),
) -> RunResult:
    """Analyse the dump under ``roots`` into the store ``db`` and render the pages into ``out``.

    ``out=None`` skips rendering. Raises :class:`ConfigError` for unusable options and
    :class:`~cobolspec.errors.StoreError` when the database cannot be opened or written;
    everything wrong with the input itself ends up as diagnostics in the store and the result.
    """
    validate_options(
        format=format,
        jobs=jobs,
        executor=executor,
        dask_address=dask_address,
        agent=agent,
        model=model,
        concurrency=concurrency,
    )
    if not roots:
        raise ConfigError("no dump given: name at least one folder or file")
    report = progress_callback or (lambda _p: None)
    clock = time.perf_counter()
    started = utc_now()
    for path in (glossary, *abbreviations):
        if path is not None and not Path(path).is_file():
            raise ConfigError(f"glossary file not found: {path}")
    settings = Settings(
        format=format,
        agent=agent,
        model=model,
        glossary=str(glossary) if glossary is not None else None,
        abbreviations=tuple(str(a) for a in abbreviations),
    )
    stage_list = tuple(stages)

    report(Progress("discover"))
    inventory = discover(*roots)
    members, clashes = _unique_members(inventory)
    library = CopyLibrary.for_inventory(inventory, copy_dirs)
    procs = proc_library(inventory.by_kind(MemberKind.PROC))

    with Store.open(db) as store:
        prior = member_keys(store)
        run_id = next_run_id(store)
        analysed = unchanged = 0
        tracebacks: list[str] = []
        with store.transaction():
            loader = MemberLoader(store, run_id)
            total = len(members)
            report(Progress("analyse", 0, total))
            outcomes = _outcomes(members, prior, library, settings, stage_list, jobs, procs)
            for done, (member, outcome) in enumerate(outcomes, start=1):
                tracebacks.extend(outcome.tracebacks)
                if outcome.unchanged:
                    unchanged += 1
                else:
                    analysed += 1
                    rows = dict(outcome.rows)
                    rows.setdefault("diagnostics", []).extend(
                        diagnostic_row(d, stage) for stage, d in outcome.diagnostics
                    )
                    loader.replace(_member_row(member, outcome), rows)
                report(Progress("analyse", done, total, member.path))
            report(Progress("store"))
            removed = sorted(set(prior) - {m.path for m in members})
            loader.remove(removed)
            loader.flush()
            sync_stage_diagnostics(
                store, run_id, "discover", _discover_diagnostics(inventory) + clashes
            )
            counts = diagnostic_counts(store)
            by_kind = Counter(m.kind.value for m in members)
            store.insert(
                "runs",
                [
                    {
                        "run_id": run_id,
                        "started_at": started,
                        "finished_at": utc_now(),
                        "cobolspec_version": __version__,
                        "schema_version": store.schema_version,
                        "roots": json.dumps([str(r) for r in roots]),
                        "options": json.dumps(
                            {
                                "format": format,
                                "copy_dirs": [str(d) for d in copy_dirs],
                                "jobs": jobs,
                                "executor": executor,
                                "agent": agent,
                                "model": model,
                                "concurrency": concurrency,
                            }
                        ),
                        "members_total": len(members),
                        "members_analysed": analysed,
                        "members_unchanged": unchanged,
                        "members_removed": len(removed),
                        "errors": counts["error"],
                        "warnings": counts["warning"],
                        "infos": counts["info"],
                    }
                ],
            )
        diagnostics = stored_diagnostics(store)
        index = None
        out_dir = Path(out) if out is not None else None
        if out_dir is not None:
            report(Progress("render"))
            render_inventory(store, out_dir)
            index = out_dir / INDEX_NAME
    return RunResult(
        run_id=run_id,
        db=str(db),
        out=out_dir,
        index=index,
        members_by_kind={k.value: by_kind[k.value] for k in MemberKind if by_kind[k.value]},
        analysed=analysed,
        unchanged=unchanged,
        removed=len(removed),
        diagnostics_by_severity=counts,
        diagnostics=diagnostics,
        tracebacks=tracebacks,
        seconds=time.perf_counter() - clock,
    )


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
