"""Facts of a parse as plain data, and properties every parse must have.

:func:`result_facts` turns a :class:`~cobolspec.parse.parser.ParseResult` into dicts and lists of
strings and numbers, so that the fixture tests (``tests/test_parse_fixtures.py``) can state what
they expect in short JSON files. Operands and conditions are rendered as text in one fixed way:

* a reference is ``NAME OF QUAL (SUB, ...) (START:LEN)``; a function ``FUNCTION NAME (ARG, ...)``;
  ``LENGTH OF X``; a literal as written; arithmetic fully parenthesised: ``(A + (B * 2))``;
* a relation ``A = 1``, a class or sign condition ``A NUMERIC`` / ``A NOT POSITIVE``, a
  condition-name by its name, ``NOT c``, and ``AND``/``OR`` with parentheses around nested
  ones: ``A = 1 OR A = 2``, ``(A = 1 OR A = 2) AND B > 0``.

The tests here hold for every parse: the same text gives the same facts twice, and every span
points at a line that exists in its physical file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from cobolspec.diagnostics import Span
from cobolspec.model import ast as A
from cobolspec.model.layout import normalise_usage
from cobolspec.parse.parser import ParseResult, parse_expanded
from cobolspec.source import CopyLibrary, preprocess

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "parse"
SAMPLES = ROOT / "samples"


# --------------------------------------------------------------------------- parsing


def parse_file(path: Path, copy_dirs: Sequence[Path] = (), root: Path | None = None) -> ParseResult:
    """Preprocess and parse one file; locations are relative to ``root`` (default: its folder)."""
    base = root if root is not None else path.parent
    src = preprocess(path, CopyLibrary(list(copy_dirs), base=base), root=base)
    return parse_expanded(src)


def parse_text(text: str) -> ParseResult:
    """Parse COBOL text (fixed format unless detected otherwise); the file is ``<string>``."""
    if "\n" not in text:
        text += "\n"
    return parse_expanded(preprocess(text))


def _lines(text: str) -> list[str]:
    return textwrap.dedent(text).strip("\n").splitlines()


def fixed(body: str) -> str:
    """Fixed-format source: ``body`` dedented, each line starting in Area A (column 8)."""
    return "".join(("       " + ln).rstrip() + "\n" for ln in _lines(body))


def program_text(procedure: str, data: str = "", name: str = "T") -> str:
    """A complete fixed-format program: lines 1-4 are the IDENTIFICATION DIVISION and the
    WORKING-STORAGE header, then ``data``, ``PROCEDURE DIVISION.`` and ``procedure`` (each
    dedented to Area A)."""
    head = ["IDENTIFICATION DIVISION.", f"PROGRAM-ID. {name}.", "DATA DIVISION.",
            "WORKING-STORAGE SECTION."]
    lines = [*head, *_lines(data), "PROCEDURE DIVISION.", *_lines(procedure)]
    return "".join(("       " + ln).rstrip() + "\n" for ln in lines)


def errors(result: ParseResult) -> list[str]:
    """``CODE@line`` of every parser diagnostic that is an error."""
    return [
        f"{d.code}@{d.location.line if d.location else '?'}"
        for d in result.diagnostics
        if d.code.startswith("PAR") and d.severity.value == "error"
    ]


# --------------------------------------------------------------------------- rendering


def expr_text(node: Any) -> str:
    """An operand or arithmetic expression as text (see the module docstring)."""
    if node is None:
        return "-"
    if isinstance(node, A.Ident):
        if node.wrapper in ("LENGTH OF", "ADDRESS OF"):
            return f"{node.wrapper} {expr_text(node.inner)}"
        text = " OF ".join([node.name, *node.qualifiers])
        if node.wrapper == "FUNCTION":
            text = "FUNCTION " + node.name
            if node.args:
                text += " (" + ", ".join(expr_text(a) for a in node.args) + ")"
        if node.subscripts:
            text += " (" + ", ".join(expr_text(s) for s in node.subscripts) + ")"
        if node.refmod:
            start, *length = node.refmod
            text += f" ({expr_text(start)}:{expr_text(length[0]) if length else ''})"
        return text
    if isinstance(node, A.Literal):
        return node.text
    if isinstance(node, A.BinaryOp):
        return f"({expr_text(node.left)} {node.op} {expr_text(node.right)})"
    if isinstance(node, A.UnaryOp):
        return f"{node.op}{expr_text(node.operand)}"
    if isinstance(node, (A.Relation, A.BoolOp, A.Not, A.ClassCondition, A.ConditionRef)):
        return cond_text(node)
    return f"<{type(node).__name__}>"


def cond_text(node: Any, nested: bool = False) -> str:
    """A condition as text (see the module docstring)."""
    if isinstance(node, A.Relation):
        return f"{expr_text(node.left)} {node.op} {expr_text(node.right)}"
    if isinstance(node, A.BoolOp):
        text = f" {node.op} ".join(cond_text(o, True) for o in node.operands)
        return f"({text})" if nested else text
    if isinstance(node, A.Not):
        return "NOT " + cond_text(node.operand, True)
    if isinstance(node, A.ClassCondition):
        return f"{expr_text(node.subject)} {'NOT ' if node.negated else ''}{node.test}"
    if isinstance(node, A.ConditionRef):
        return expr_text(node.ref)
    return expr_text(node)


def _when_text(obj: Any) -> str:
    if isinstance(obj, A.WhenObject):
        neg = "NOT " if obj.negated else ""
        if obj.kind in ("any", "true", "false"):
            return obj.kind.upper()
        if obj.kind == "range":
            return f"{neg}{expr_text(obj.value)} THRU {expr_text(obj.thru)}"
        return neg + expr_text(obj.value)
    return cond_text(obj)


# --------------------------------------------------------------------------- facts


def _line(node: A.Node | None) -> int | None:
    return node.span.line if node is not None and node.span is not None else None


def _file(node: A.Node | None) -> str | None:
    return node.span.file if node is not None and node.span is not None else None


def _verbs(statements: Sequence[A.Statement] | None) -> list[str] | None:
    return None if statements is None else [s.verb for s in statements]


def statement_facts(st: A.Statement) -> dict[str, Any]:
    """What a statement says, in plain values; keys only where the statement has the fact."""
    f: dict[str, Any] = {"verb": st.verb, "line": _line(st), "file": _file(st)}
    f["reads"] = [expr_text(r) for r in st.reads]
    f["writes"] = [expr_text(w) for w in st.writes]
    if st.phrases:
        f["phrases"] = {p.kind: _verbs(p.statements) for p in st.phrases}
    if st.details:
        f["details"] = dict(st.details)
    if isinstance(st, A.IfStmt):
        f["condition"] = cond_text(st.condition)
        f["then"] = "NEXT SENTENCE" if st.then_next_sentence else _verbs(st.then)
        f["else"] = "NEXT SENTENCE" if st.else_next_sentence else _verbs(st.else_)
    elif isinstance(st, A.EvaluateStmt):
        f["subjects"] = [expr_text(s) for s in st.subjects]
        f["whens"] = [
            ["OTHER"] if w.other else [" ALSO ".join(_when_text(o) for o in objs)
                                       for objs in w.objects]
            for w in st.whens
        ]
        f["when_verbs"] = [_verbs(w.statements) for w in st.whens]
    elif isinstance(st, A.PerformStmt):
        f["target"] = st.target
        f["thru"] = st.thru
        f["inline"] = st.inline
        if st.times is not None:
            f["times"] = expr_text(st.times)
        if st.until is not None:
            f["until"] = cond_text(st.until)
        if st.varying:
            f["varying"] = [
                f"{expr_text(v.variable)} FROM {expr_text(v.start)} BY {expr_text(v.step)} "
                f"UNTIL {cond_text(v.until)}"
                for v in st.varying
            ]
        f["test_after"] = st.test_after
        if st.body is not None:
            f["body"] = _verbs(st.body)
    elif isinstance(st, A.GoToStmt):
        f["targets"] = list(st.targets)
        f["depending"] = expr_text(st.depending_on) if st.depending_on is not None else None
    elif isinstance(st, A.AlterStmt):
        f["pairs"] = [list(p) for p in st.pairs]
    elif isinstance(st, A.SearchStmt):
        f["table"] = expr_text(st.table)
        f["all"] = st.all
        f["whens"] = [cond_text(w.objects[0][0]) for w in st.whens]
        f["when_verbs"] = [_verbs(w.statements) for w in st.whens]
    elif isinstance(st, A.CallStmt):
        f["program"] = expr_text(st.program)
        f["dynamic"] = isinstance(st.program, A.Ident)
        f["using"] = [f"{mode} {expr_text(n)}" for mode, n in st.using]
        f["returning"] = expr_text(st.returning) if st.returning is not None else None
    elif isinstance(st, A.ExecStmt):
        f["lang"] = st.lang
    elif isinstance(st, A.UnparsedStatement):
        f["text"] = st.text
    return f


def walk_statements(statements: Sequence[A.Statement]) -> Iterator[A.Statement]:
    """Every statement, nested ones included, in source order."""
    for st in statements:
        for node in st.walk():
            if isinstance(node, A.Statement):
                yield node


def item_facts(item: A.DataItem) -> dict[str, Any]:
    f: dict[str, Any] = {
        "level": item.level,
        "section": item.section,
        "offset": item.offset,
        "size": item.size,
        "usage": normalise_usage(item.usage),
        "pic": item.pic,
        "occurs": None,
        "redefines": item.redefines,
        "line": _line(item),
        "file": _file(item),
    }
    if item.occurs is not None:
        o = item.occurs
        f["occurs"] = o.max if o.min is None else f"{o.min} TO {o.max}"
        if o.depending_on:
            f["depending_on"] = o.depending_on
        if o.keys:
            f["keys"] = [f"{d} {k}" for d, k in o.keys]
        if o.indexed_by:
            f["indexed_by"] = list(o.indexed_by)
    flags = [
        name for name, on in (
            ("SIGN " + (item.sign or "") + (" SEPARATE" if item.sign_separate else ""),
             item.sign is not None),
            ("SYNC", item.sync), ("JUSTIFIED", item.justified),
            ("BLANK WHEN ZERO", item.blank_when_zero), ("EXTERNAL", item.external),
            ("GLOBAL", item.global_),
        ) if on
    ]
    if flags:
        f["flags"] = flags
    if item.value:
        f["value"] = list(item.value)
    if item.renames is not None:
        f["renames"] = [item.renames[0], item.renames[1]]
    if item.conditions:
        f["conditions"] = {
            c.name: [v if t is None else f"{v} THRU {t}" for v, t in c.values]
            for c in item.conditions
        }
    if item.record_of:
        f["record_of"] = item.record_of
    return f


def _item_keys(program: A.Program) -> list[tuple[str, A.DataItem]]:
    """Each item under its name, qualified by its parents where the name repeats; FILLERs as
    ``FILLER#n`` (n counting from 1 in the program)."""
    items = list(program.all_items())
    counts: dict[str, int] = {}
    for it in items:
        counts[it.name or "FILLER"] = counts.get(it.name or "FILLER", 0) + 1
    out: list[tuple[str, A.DataItem]] = []
    fillers = 0
    for it in items:
        name = it.name or "FILLER"
        if name == "FILLER":
            fillers += 1
            out.append((f"FILLER#{fillers}", it))
        elif counts[name] > 1:
            out.append((it.qualified_name, it))
        else:
            out.append((name, it))
    return out


def program_facts(program: A.Program) -> dict[str, Any]:
    """Everything the fixture files may state about one program (nested ones included)."""
    f: dict[str, Any] = {"name": program.name, "line": _line(program)}
    f["attributes"] = list(program.attributes)
    f["id_paragraphs"] = {k: " ".join(v.split()) for k, v in program.paragraphs_info.items()}
    f["special_names"] = dict(program.special_names)
    f["files"] = {
        fc.name: {
            "assign": fc.assign, "organization": fc.organization, "access": fc.access,
            "record_key": fc.record_key, "alternate_keys": fc.alternate_keys,
            "relative_key": fc.relative_key, "file_status": fc.file_status,
            "optional": fc.optional, "line": _line(fc),
        }
        for fc in program.files
    }
    f["fds"] = {
        fd.name: {"kind": fd.kind, "clauses": dict(fd.clauses),
                  "records": [r.name for r in fd.records], "line": _line(fd)}
        for fd in program.file_descriptions
    }
    keyed = _item_keys(program)
    f["item_names"] = [key for key, _ in keyed]
    f["items"] = {key: item_facts(it) for key, it in keyed}
    f["exec_blocks"] = len(program.exec_blocks)
    proc = program.procedure
    f["paragraphs"] = []
    f["sections"] = []
    statements: list[A.Statement] = []
    if proc is not None:
        f["using"] = [f"{mode} {expr_text(n)}" for mode, n in proc.using]
        f["returning"] = expr_text(proc.returning) if proc.returning is not None else None
        for s in proc.sections:
            if s.name is not None:
                sec: dict[str, Any] = {"name": s.name, "line": _line(s)}
                if s.priority is not None:
                    sec["priority"] = s.priority
                if s.declarative:
                    sec["declarative"] = True
                if s.use is not None:
                    sec["use"] = dict(s.use.details)
                f["sections"].append(sec)
            for p in s.paragraphs:
                if p.name is not None:
                    f["paragraphs"].append([p.name, p.section, _line(p)])
                statements.extend(p.statements)
    f["statements"] = {"total": program.statements_total,
                       "unparsed": program.statements_unparsed}
    f["verbs"] = [st.verb for st in statements]
    f["stmts"] = [statement_facts(st) for st in walk_statements(statements)]
    f["nested"] = [program_facts(n) for n in program.nested]
    return f


def result_facts(result: ParseResult) -> dict[str, Any]:
    return {
        "programs": [program_facts(p) for p in result.programs],
        "diagnostics": [
            f"{d.code}@{d.location.line if d.location else '?'}"
            for d in result.diagnostics
            if d.code.startswith("PAR")
        ],
        "statements": {"total": result.statements_total,
                       "unparsed": result.statements_unparsed},
    }


# --------------------------------------------------------------------------- properties


def _spans(node: A.Node) -> Iterator[Span]:
    for n in node.walk():
        if n.span is not None:
            yield n.span


def _program_spans(program: A.Program) -> Iterator[Span]:
    yield from _spans(program)
    for item in program.all_items():
        yield from _spans(item)
        for c in item.conditions:
            yield from _spans(c)
    for fd in program.file_descriptions:
        if fd.span is not None:
            yield fd.span
    for fc in program.files:
        if fc.span is not None:
            yield fc.span


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.cbl"))


def _line_count(base: Path, file: str, cache: dict[str, int]) -> int:
    if file not in cache:
        cache[file] = len((base / file).read_text("latin-1").splitlines())
    return cache[file]


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.stem)
def test_same_text_same_facts(path: Path) -> None:
    first = result_facts(parse_file(path, [FIXTURES / "copy"]))
    second = result_facts(parse_file(path, [FIXTURES / "copy"]))
    assert first == second


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.stem)
def test_spans_point_at_physical_lines(path: Path) -> None:
    result = parse_file(path, [FIXTURES / "copy"])
    sizes: dict[str, int] = {}
    seen = 0
    for program in result.all_programs():
        for span in _program_spans(program):
            seen += 1
            for loc in (span.start, span.end):
                count = _line_count(FIXTURES, loc.file, sizes)
                assert 1 <= loc.line <= count, f"{loc} beyond the {count} lines of {loc.file}"
                text = (FIXTURES / loc.file).read_text("latin-1").splitlines()[loc.line - 1]
                assert 1 <= loc.column <= len(text), f"{loc}: no column {loc.column} in {text!r}"
            assert (span.start.file, span.start.line, span.start.column) <= (
                span.end.file, span.end.line, span.end.column
            ) or span.start.file != span.end.file, f"span ends before it starts: {span}"
    assert seen > 0


def test_samples_parse_the_same_twice() -> None:
    path = SAMPLES / "COBOL" / "INTCALC.cbl"
    lib = [SAMPLES / "COPYLIB"]
    first = result_facts(parse_file(path, lib, root=SAMPLES))
    second = result_facts(parse_file(path, lib, root=SAMPLES))
    assert first == second
    assert first["statements"]["total"] > 100
