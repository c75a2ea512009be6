"""Command line: a thin typer shell over the library.

Data goes to stdout, messages to stderr. Errors are one line, ``Error: ...``, with no traceback
unless ``--debug`` is given. Exit codes: 0 done (warnings allowed), 1 the input had errors that
stopped some work, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from cobolspec import __version__
from cobolspec.diagnostics import Severity
from cobolspec.errors import CobolspecError, ConfigError
from cobolspec.store import DEFAULT_DB, QueryResult, Store, run_query

try:  # typer >= 0.20 carries its own copy of click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import (  # type: ignore[no-redef]
        ClickException,
        UsageError,
    )

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
MAX_PRINTED_DIAGNOSTICS = 50


class _Shell(TyperGroup):
    """Turns click's usage errors into one ``Error:`` line (exit 2), like every other error."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(
                args=args,
                prog_name=prog_name or "cobolspec",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except UsageError as e:
            where = e.ctx.command_path if e.ctx is not None else "cobolspec"
            typer.echo(f"Error: {e.format_message()} (see: {where} --help)", err=True)
            code = EXIT_USAGE
        except ClickException as e:
            typer.echo(f"Error: {e.format_message()}", err=True)
            code = e.exit_code
        except typer.Abort:
            typer.echo("Error: interrupted", err=True)
            code = 130
        code = code if isinstance(code, int) else EXIT_OK
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=_Shell,
    name="cobolspec",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="cobolspec: verified, queryable specifications from COBOL source dumps.",
)


class SourceFormat(StrEnum):
    auto = "auto"
    fixed = "fixed"
    free = "free"


class AgentBackend(StrEnum):
    offline = "offline"
    local = "local"
    openai = "openai"
    anthropic = "anthropic"


class ExecutorKind(StrEnum):
    local = "local"
    dask = "dask"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.find_root().obj and ctx.find_root().obj.get("debug"))


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors(ctx: typer.Context) -> Iterator[None]:
    """Map library errors to one line and an exit code; a traceback only with --debug."""
    try:
        yield
    except typer.Exit:
        raise
    except ConfigError as e:
        _fail(str(e), EXIT_USAGE)
    except CobolspecError as e:
        if _debug(ctx):
            traceback.print_exc(file=sys.stderr)
        _fail(str(e), EXIT_INPUT)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as e:
        if _debug(ctx):
            traceback.print_exc(file=sys.stderr)
        hint = "" if _debug(ctx) else " (run with --debug for the traceback)"
        _fail(f"internal error: {type(e).__name__}: {e}{hint}", EXIT_INTERNAL)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cobolspec {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """cobolspec: verified, queryable specifications from COBOL source dumps."""
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is None:
        with redirect_stdout(sys.stderr):  # the help is a message here, not the data asked for
            help_text = ctx.get_help()
        if help_text:
            typer.echo(help_text, err=True)
        typer.echo("Error: name a command", err=True)
        raise typer.Exit(EXIT_USAGE)


# -- analyze --------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@app.command()
def analyze(
    ctx: typer.Context,
    dump: Annotated[
        list[Path],
        typer.Argument(
            help="Folders or files of the source dump.", exists=True, show_default=False
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to create or update.")] = Path(
        DEFAULT_DB
    ),
    out: Annotated[Path, typer.Option("--out", help="Folder for the Markdown/JSON specs.")] = Path(
        "specs"
    ),
    copy_dir: Annotated[
        list[Path] | None,
        typer.Option(
            "-I",
            "--copy-dir",
            help="Copybook folder, searched before the dump (repeatable).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    source_format: Annotated[
        SourceFormat, typer.Option("--format", help="Reference format of the programs.")
    ] = SourceFormat.auto,
    agent: Annotated[
        AgentBackend, typer.Option("--agent", help="Who writes rule descriptions.")
    ] = AgentBackend.offline,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name for the LLM agents.")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Agent requests in flight at once.")
    ] = 4,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: one per CPU)."),
    ] = None,
    executor: Annotated[
        ExecutorKind, typer.Option("--executor", help="Where members are analysed.")
    ] = ExecutorKind.local,
    dask: Annotated[
        str | None, typer.Option("--dask", help="Dask scheduler address (--executor dask).")
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option("--glossary", help="User glossary CSV (term,meaning); overrides all.",
                     exists=True, dir_okay=False),
    ] = None,
    abbreviations: Annotated[
        list[Path] | None,
        typer.Option("--abbreviations", help="Extra abbreviations CSV (repeatable).",
                     exists=True, dir_okay=False),
    ] = None,
) -> None:
    """Analyse a source dump into the store and write the specs."""
    from cobolspec.pipeline import Progress as Step
    from cobolspec.pipeline import analyze as run_analysis
    from cobolspec.pipeline import default_jobs, validate_options

    with _errors(ctx):
        workers = jobs if jobs is not None else default_jobs()
        validate_options(
            format=source_format.value,
            jobs=workers,
            executor=executor.value,
            dask_address=dask,
            agent=agent.value,
            model=model,
            concurrency=concurrency,
        )
        console = _stderr()
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(
            *columns, console=console, transient=True, disable=not console.is_terminal
        ) as bar:
            task = bar.add_task("discovering", total=None)

            labels = {
                "discover": "discovering",
                "analyse": "analysing",
                "store": "storing",
                "render": "rendering",
            }

            def show(step: Step) -> None:
                label = labels.get(step.phase, step.phase)
                if step.phase == "analyse":
                    bar.update(task, description=label, completed=step.done, total=step.total)
                else:
                    bar.update(task, description=label)

            result = run_analysis(
                dump,
                db=db,
                out=out,
                copy_dirs=copy_dir or [],
                format=source_format.value,
                jobs=workers,
                executor=executor.value,
                dask_address=dask,
                agent=agent.value,
                model=model,
                concurrency=concurrency,
                progress_callback=show,
                glossary=glossary,
                abbreviations=abbreviations or [],
            )
        shown = [d for d in result.diagnostics if d.diagnostic.severity.value != "info"]
        for d in shown[:MAX_PRINTED_DIAGNOSTICS]:
            _say(d.diagnostic.render())
        if len(shown) > MAX_PRINTED_DIAGNOSTICS:
            _say(
                f"... and {len(shown) - MAX_PRINTED_DIAGNOSTICS} more: see the diagnostics "
                "table or the spec index"
            )
        if _debug(ctx):
            for text in result.tracebacks:
                _say(text)
        kinds = ", ".join(f"{n} {kind}" for kind, n in result.members_by_kind.items())
        total = sum(result.members_by_kind.values())
        _say(
            f"Members: {total} ({kinds or 'none'}); {result.analysed} analysed, "
            f"{result.unchanged} unchanged, {result.removed} removed"
        )
        counts = result.diagnostics_by_severity
        _say(
            f"Diagnostics: {_plural(counts.get('error', 0), 'error')}, "
            f"{_plural(counts.get('warning', 0), 'warning')}, "
            f"{counts.get('info', 0)} info"
        )
        _say(f"Database: {result.db}")
        if result.index is not None:
            _say(f"Spec index: {result.index}")
    raise typer.Exit(result.exit_code)


# -- query ----------------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _print_result(result: QueryResult, fmt: OutputFormat) -> None:
    out = sys.stdout
    if fmt is OutputFormat.json:
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        out.write(json.dumps(records, indent=2, ensure_ascii=False, default=_json_value) + "\n")
    elif fmt is OutputFormat.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_csv_value(v) for v in row] for row in result.rows)
    else:
        console = Console(file=out, highlight=False, emoji=False)
        if not console.is_terminal:
            console.width = 10_000  # never wrap data written to a pipe or file
        table = Table(*result.columns, show_lines=False)
        for row in result.rows:
            table.add_row(*(Text("NULL" if v is None else str(v)) for v in row))
        console.print(table)
    out.flush()


@app.command()
def query(
    ctx: typer.Context,
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.", show_default=False)],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to read.")] = Path(DEFAULT_DB),
    output: Annotated[
        OutputFormat, typer.Option("--format", help="How to print the rows.")
    ] = OutputFormat.table,
) -> None:
    """Run one SQL query against the store (opened read-only)."""
    with _errors(ctx), Store.open(db, read_only=True) as store:
        result = run_query(store, sql)
        _print_result(result, output)
        _say(f"({_plural(len(result.rows), 'row')})")


# -- render ---------------------------------------------------------------------------------------


@app.command()
def render(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to read.")] = Path(DEFAULT_DB),
    out: Annotated[Path, typer.Option("--out", help="Folder for the Markdown/JSON specs.")] = Path(
        "specs"
    ),
) -> None:
    """Write the specs again from the store alone."""
    from cobolspec.render import render_inventory

    with _errors(ctx):
        written = render_inventory(db, out)
        _say(f"Spec index: {written[0]}")


# -- parse, cfg ----------------------------------------------------------------------------------

ProgramArg = Annotated[
    Path, typer.Argument(help="A COBOL program.", exists=True, dir_okay=False, show_default=False)
]
CopyDirsOpt = Annotated[
    list[Path] | None,
    typer.Option("-I", "--copy-dir", help="A copybook folder (repeatable).", exists=True),
]
FormatOpt = Annotated[SourceFormat, typer.Option("--format", help="Reference format.")]


def _parse_program(file: Path, copy_dirs: list[Path] | None, fmt: SourceFormat) -> Any:
    """Parse one program and print its diagnostics (info aside) to stderr."""
    from cobolspec.parse import parse_file

    result = parse_file(file, copy_dirs or [], format=fmt.value)
    for d in result.diagnostics:
        if d.severity != Severity.INFO:
            _say(d.render())
    return result


def _exit_on_errors(result: Any) -> None:
    if any(d.severity == Severity.ERROR for d in result.diagnostics):
        raise typer.Exit(EXIT_INPUT)


@app.command()
def parse(
    ctx: typer.Context,
    file: ProgramArg,
    copy_dirs: CopyDirsOpt = None,
    fmt: FormatOpt = SourceFormat.auto,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the parse summary as JSON.")
    ] = False,
) -> None:
    """Parse one program: programs, paragraphs, data layout, statement coverage, diagnostics."""
    from cobolspec.parse.facts import parse_json

    with _errors(ctx):
        result = _parse_program(file, copy_dirs, fmt)
        if as_json:
            typer.echo(json.dumps(parse_json(result), indent=2))
        else:
            for prog in result.all_programs():
                typer.echo(
                    f"{prog.name}: {len(prog.procedure.paragraphs) if prog.procedure else 0} "
                    f"paragraphs, {sum(1 for _ in prog.all_items())} data items, "
                    f"{prog.statements_total} statements "
                    f"({prog.statements_unparsed} unparsed)"
                )
        _exit_on_errors(result)


@app.command()
def cfg(
    ctx: typer.Context,
    file: ProgramArg,
    copy_dirs: CopyDirsOpt = None,
    fmt: FormatOpt = SourceFormat.auto,
    as_json: Annotated[
        bool, typer.Option("--json", help="Nodes, edges and facts as JSON (the default).")
    ] = False,
    mermaid: Annotated[bool, typer.Option("--mermaid", help="A Mermaid flowchart.")] = False,
    dot: Annotated[bool, typer.Option("--dot", help="A Graphviz digraph.")] = False,
) -> None:
    """The paragraph control-flow graph of one program, with unreachable code and complexity."""
    from cobolspec.analysis.cfg import cfg_document, cfg_dot, cfg_mermaid

    chosen = [name for name, on in (("json", as_json), ("mermaid", mermaid), ("dot", dot)) if on]
    if len(chosen) > 1:
        _fail("choose one of --json, --mermaid, --dot", EXIT_USAGE)
    with _errors(ctx):
        result = _parse_program(file, copy_dirs, fmt)
        if not chosen or chosen[0] == "json":
            typer.echo(json.dumps([cfg_document(p) for p in result.programs], indent=2,
                                  default=str))
        elif chosen[0] == "mermaid":
            typer.echo(cfg_mermaid(result.programs), nl=False)
        else:
            typer.echo(cfg_dot(result.programs), nl=False)
        _exit_on_errors(result)


# -- rules, lineage, impact -----------------------------------------------------------------------


def _records_result(
    records: list[dict[str, Any]], columns: list[str], fmt: OutputFormat
) -> QueryResult:
    """Records as rows of ``columns``; lists joined with "; " unless printed as JSON."""

    def value(v: object) -> object:
        if isinstance(v, list) and fmt is not OutputFormat.json:
            return "; ".join(str(x) for x in v)
        return v

    return QueryResult(columns, [tuple(value(r.get(c)) for c in columns) for r in records])


RULE_COLUMNS = ["name", "program", "kind", "paragraph", "condition", "inputs", "outputs",
                "file", "line", "end_line"]
LINEAGE_COLUMNS = ["program", "direction", "depth", "item", "verb", "file", "line", "via",
                   "statement"]
IMPACT_COLUMNS = ["kind", "name", "relation", "reason", "file", "line"]


@app.command()
def rules(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to read.")] = Path(DEFAULT_DB),
    program: Annotated[
        str | None, typer.Option("--program", help="Only the rules of this PROGRAM-ID.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only rules of this kind (as in rules.kind)."),
    ] = None,
    touching: Annotated[
        str | None,
        typer.Option("--touching", help="Only rules that read or write this data item."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="How to print the rules.")
    ] = OutputFormat.table,
) -> None:
    """List business rules from the store; JSON gives each rule's full spec."""
    from cobolspec.spec.queries import find_rules

    with _errors(ctx), Store.open(db, read_only=True) as store:
        found = find_rules(store, program=program, kind=kind, touching=touching)
        records = [r.model_dump(mode="json") for r in found]
        columns = list(records[0]) if records and output is OutputFormat.json else RULE_COLUMNS
        _print_result(_records_result(records, columns, output), output)
        _say(f"({_plural(len(found), 'rule')})")


@app.command()
def lineage(
    ctx: typer.Context,
    field: Annotated[str, typer.Argument(help="A data item name.", show_default=False)],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to read.")] = Path(DEFAULT_DB),
    program: Annotated[
        str | None, typer.Option("--program", help="Only in this PROGRAM-ID.")
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", min=1, help="How many steps back and forward to follow.")
    ] = 10,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="How to print the steps.")
    ] = OutputFormat.table,
) -> None:
    """Where a data item's value comes from (backward) and where it goes (forward)."""
    from cobolspec.spec.queries import lineage as find_lineage

    with _errors(ctx), Store.open(db, read_only=True) as store:
        steps = find_lineage(store, field, program=program, max_depth=depth)
        records = [s.model_dump(mode="json") for s in steps]
        _print_result(_records_result(records, LINEAGE_COLUMNS, output), output)
        _say(f"({_plural(len(steps), 'step')})")
        if not steps and not store.count("dataflow"):
            _say("The dataflow table is empty: this store holds no data-flow facts yet.")


@app.command()
def impact(
    ctx: typer.Context,
    member: Annotated[
        str,
        typer.Argument(
            help="A member path or name, PROGRAM-ID, copybook or dataset.", show_default=False
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to read.")] = Path(DEFAULT_DB),
    output: Annotated[
        OutputFormat, typer.Option("--format", help="How to print what is affected.")
    ] = OutputFormat.table,
) -> None:
    """Programs, jobs and transactions affected by changing a copybook, program or dataset."""
    from cobolspec.spec.queries import impact as find_impact

    with _errors(ctx), Store.open(db, read_only=True) as store:
        found = find_impact(store, member)
        if output is OutputFormat.json:
            sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        else:
            records = [e.model_dump(mode="json") for e in found.entries]
            _print_result(_records_result(records, IMPACT_COLUMNS, output), output)
        counts = {k: sum(e.kind == k for e in found.entries)
                  for k in ("program", "job", "transaction")}
        _say(
            f"Changing {found.target} ({found.target_kind}) affects "
            f"{_plural(counts['program'], 'program')}, {_plural(counts['job'], 'job')}, "
            f"{_plural(counts['transaction'], 'transaction')}"
        )


def main() -> None:
    """Console-script entry point."""
    app()
