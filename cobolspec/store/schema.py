"""The store's schema (version 1) and its migrations: a public contract, since users write SQL.

Every table below exists in every store; a table that a pipeline stage does not fill yet is empty.
Rows derived from one member carry ``member`` (``members.path``) and ``run_id`` (the run that wrote
them). Re-analysing a member whose content, copybooks or settings changed deletes every row whose
``member`` is its path and loads the new ones; an unchanged member's rows are left alone. Lines and
columns are 1-based and always those of the *physical* file named in ``file`` (the copybook when the
text came from one). ``column``, ``offset`` and ``table`` are SQL keywords: double-quote them
(``SELECT "column" FROM diagnostics``).

``schema_migrations``: the migrations applied to this database.

- ``version``: migration number (the schema version after it ran).
- ``name``: what the migration does.
- ``applied_at``: when it was applied (UTC).

``runs``: one row per ``cobolspec analyze``.

- ``run_id``: 1, 2, 3... in the order of the runs.
- ``started_at``, ``finished_at``: UTC timestamps.
- ``cobolspec_version``: the version that ran.
- ``schema_version``: the schema version it wrote.
- ``roots``: the dump folders or files given, as a JSON array.
- ``options``: the analysis options (format, copy dirs, jobs, executor, agent, model), JSON.
- ``members_total``: members found in the dump.
- ``members_analysed``: members (re-)analysed by this run (new or changed).
- ``members_unchanged``: members whose rows were kept because nothing they depend on changed.
- ``members_removed``: members no longer in the dump, whose rows were deleted.
- ``errors``, ``warnings``, ``infos``: diagnostics in the store after the run, by severity.

``members``: one row per member of the dump (the store mirrors the last dump analysed).

- ``path``: identity, POSIX path relative to the dump root; ``FILE(NAME)`` for a member of an
  IEBUPDTE concatenated file.
- ``hash``: sha256 of the member's raw bytes.
- ``file``: the physical file holding it; ``first_line``: where its text starts in ``file``.
- ``name``: member name, upper case, no extension.
- ``kind``: ``program``, ``copybook``, ``jcl``, ``proc``, ``bms``, ``dclgen``, ``ddl`` or ``other``.
- ``encoding``: the encoding assumed (``utf-8``, ``cp1252``, ``cp037``...).
- ``lines``: physical lines; ``line_ending``: ``LF``, ``CRLF``, ``CR``, ``mixed``, ``none`` or
  ``records`` (EBCDIC fixed records).
- ``format``: reference format (``fixed``, ``free``, ``variable``) of COBOL-like members.
- ``status``: ``analysed`` (every stage ran), ``failed`` (a stage stopped with an internal error),
  ``stored`` (no analysis stage applies to this kind yet).
- ``analysis_key``: hash of the member, the copybooks it uses and the settings; the same key on
  the next run means its rows are kept as they are.
- ``run_id``: the run that last (re-)analysed it.

``programs``: one row per program (PROGRAM-ID), nested programs included.

- ``program``: PROGRAM-ID, upper case; ``parent``: the containing program of a nested one.
- ``file``, ``line``, ``end_line``: where it is written.

``copybook_uses``: every COPY and EXEC SQL INCLUDE met while expanding a program, nested ones too.

- ``name``: copybook name as written (upper case); ``library``: the OF/IN library, if any.
- ``resolved``: the physical file it was read from; NULL when it was not found.
- ``missing``: true when it was not found (copybooks the SQL precompiler or CICS supply, such
  as SQLCA or DFHAID, are absent from a dump but not missing).
- ``replacing``: COPY ... REPLACING was used.
- ``depth``: 1 when the program copies it, 2 when a copybook does, and so on.
- ``via``: ``COPY`` or ``SQL INCLUDE``.
- ``file``, ``line``, ``column``: where the COPY (or INCLUDE) word is.

``paragraphs``: paragraphs of each program.

- ``program``; ``id``: graph node ID (``PGM:PARA`` or ``PGM:SECTION:PARA``); ``section``; ``name``.
- ``file``, ``line``, ``end_line``; ``reachable``: reachable from the program's entry;
  ``complexity``: cyclomatic complexity (decisions + 1).

``statements``: every statement of the PROCEDURE DIVISION.

- ``program``, ``paragraph`` (paragraph ``id``); ``id``: ``file:line:column`` of its first token.
- ``verb``: ``MOVE``, ``PERFORM``, ``EXEC SQL``...
- ``file``, ``line``, ``column``, ``end_line``; ``parsed``: false when it was kept as raw text.

``data_items``: data description entries with their computed layout.

- ``program``; ``seq``: order of the entry in the program; ``name`` (``FILLER`` included);
  ``level``; ``parent``: name of the group it belongs to; ``section``: ``WORKING-STORAGE``,
  ``LINKAGE``, ``FILE``, ``LOCAL-STORAGE``...
- ``pic``, ``usage`` as written (usage normalised, e.g. ``COMP-3``).
- ``offset``: byte offset within its level-01/77 record; ``size``: bytes.
- ``occurs``: maximum occurrences; ``occurs_min``; ``depending_on``: the OCCURS DEPENDING ON item.
- ``redefines``: the item it redefines; ``value``: VALUE clause as written.
- ``file``, ``line``.

``conditions_88``: level-88 condition names.

- ``program``, ``item`` (the conditional variable), ``name``, ``values`` (as written, THRU kept),
  ``file``, ``line``.

``cfg_edges``: control-flow graph edges.

- ``program``, ``src``, ``dst`` (node IDs), ``kind`` (``perform``, ``goto``, ``fallthrough``...),
  ``file``, ``line`` of the statement making the edge.

``dataflow``: which statement reads or writes which data item.

- ``program``, ``statement`` (``statements.id``), ``item``, ``access`` (``def`` or ``use``),
  ``via``: how (the verb, ``alias`` for an overlapping item, ``READ INTO``...), ``file``,
  ``line``.

``calls``: program-to-program transfers.

- ``caller``, ``callee`` (NULL when dynamic and unresolved), ``kind``: ``CALL``, ``LINK``,
  ``XCTL``, ``LOAD``, ``START`` or ``RETURN TRANSID`` (the callee is then a transaction);
  ``dynamic``: the target comes from a data item; ``via_item``: that item; ``file``, ``line``.

``jcl_jobs``: ``job``, ``file``, ``line``.

``jcl_steps``: ``job``, ``step``, ``seq`` (order in the job), ``proc`` and ``proc_step`` (for steps
coming from a PROC), ``program`` (EXEC PGM=), ``runs_program`` (the program a TSO/DB2 monitor
such as IKJEFT01 runs: ``RUN PROGRAM(...)``), ``file``, ``line``.

``jcl_dds``: ``job``, ``step`` (``STEP.PROCSTEP`` for a step of a PROC), ``dd``, ``dataset``
(DSN after symbol substitution), ``disp``, ``file``, ``line``.

``datasets``: datasets named anywhere: ``dataset``, ``kind`` (e.g. ``gdg``, ``temporary``,
``vsam``), ``file``, ``line``.

``sql_accesses``: embedded SQL: ``program``, ``table``, ``operation`` (``SELECT``, ``INSERT``,
``UPDATE``, ``DELETE``...), ``file``, ``line``.

``cics_commands``: EXEC CICS: ``program``, ``command`` (``LINK``, ``SEND MAP``...), ``target``
(program, map, file or transaction), ``options`` (JSON object), ``file``, ``line``.

``rules``: business-rule units.

- ``id``: short hash of the unit; ``name``: readable stable name (``CBTRN02C.R012``).
- ``program``, ``paragraph``; ``kind``: ``decision``, ``validation``, ``calculation``,
  ``routing``, ``state-change``, ``io``.
- ``condition``: the unit's own condition; ``actions``: what it does (``; ``-separated);
  ``file``, ``line``, ``end_line``.
- ``reaching``: the conditions that hold on every path from the entry to the unit (JSON array);
  ``decision_table``: JSON ``{"condition_columns": [...], "rows": [{"conditions": [...],
  "actions": [...]}]}`` for IF/EVALUATE nests, else NULL.

``rule_inputs``, ``rule_outputs``: ``rule`` (``rules.id``), ``item`` read or written.

``descriptions``: prose for rules.

- ``rule``: ``rules.id`` (a row whose ``rule`` is a PROGRAM-ID is that program's summary),
  ``backend``, ``model``, ``cache_key``, ``text``; ``grounded``: every identifier and
  number in the text was found in the program; ``problems``: what the grounding check rejected
  (JSON array).

``program_files``: SELECT entries: ``program``, ``file_name`` (the SELECT name), ``assign`` (the
ASSIGN name: the DD name under JCL), ``organization``, ``access``, ``record_key``,
``file_status``, ``record`` (the FD's first record), ``open_modes`` (JSON array: ``INPUT``,
``OUTPUT``, ``I-O``, ``EXTEND`` as the program opens it), ``file``, ``line``.

``transactions``: CICS transactions: ``transid``, ``program``, ``group`` (from the CSD),
``file``, ``line``.

``screen_fields``: BMS map fields: ``mapset``, ``map``, ``field`` (NULL for an unnamed
constant), ``row``, ``column``, ``length``, ``attributes`` (ATTRB as written), ``initial``,
``file``, ``line``.

``glossary``: ``program`` (NULL for system-wide terms), ``term``, ``meaning``, ``source``
(``name``, ``88-level``, ``comment``...), ``file``, ``line``.

``diagnostics``: findings about the input.

- ``stage``: the stage that found it (``discover``, ``preprocess``...).
- ``severity``: ``error``, ``warning`` or ``info``; ``code``: stable code; ``message``.
- ``file``, ``line``, ``column``: where (NULL when not tied to a place).
- ``hint``: what to do about it; ``source_line``: the physical line's text.

Every table but ``schema_migrations``, ``runs`` and ``members`` also has ``run_id`` and ``member``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import duckdb

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "sql_migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: ``apply`` runs inside the transaction that records ``version``."""

    version: int
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def sql_migration(version: int, name: str, filename: str) -> Migration:
    """A migration that runs the statements of ``migrations/<filename>``."""

    def apply(con: duckdb.DuckDBPyConnection) -> None:
        sql = resources.files("cobolspec.store").joinpath("migrations", filename).read_text("utf-8")
        con.execute(sql)

    return Migration(version, name, apply)


MIGRATIONS: tuple[Migration, ...] = (sql_migration(1, "initial schema", "0001_initial.sql"),)

SCHEMA_VERSION = MIGRATIONS[-1].version
