"""Parsing one preprocessed source: programs, divisions, units, AST, diagnostics.

:func:`parse_expanded` is the entry point used by the pipeline and the ``parse`` command. Every
unit (IDENTIFICATION DIVISION, environment paragraph, SELECT entry, data entry, PROCEDURE
DIVISION header, sentence) is parsed on its own; a unit that fails yields a located diagnostic and
as much of its content as could be kept (an ``UnparsedStatement`` for a statement, a bare
``DataItem`` for a data entry), and parsing goes on with the next unit.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lark import Token

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.model import ast as A
from cobolspec.model.assemble import (
    SECTION_NAMES,
    RecordBuilder,
    count_statements,
    resolve_condition_names,
)
from cobolspec.model.build import Bunch, DivisionBuilder
from cobolspec.model.layout import compute_layout
from cobolspec.model.picture import parse_picture
from cobolspec.parse import structure as S
from cobolspec.parse.driver import Driver, SyntaxProblem, UnitError, end_of, merge_phrases, start_of
from cobolspec.parse.grammar import Grammar, load_grammar
from cobolspec.parse.messages import describe
from cobolspec.parse.scanner import scan
from cobolspec.source import ExpandedSource

# diagnostic codes of this stage
PAR_STATEMENT = "PAR001"  # statement not understood, kept as UnparsedStatement
PAR_DATA = "PAR002"  # data description entry not understood
PAR_ENVIRONMENT = "PAR003"  # environment division paragraph or SELECT not understood
PAR_IDENTIFICATION = "PAR004"  # identification division not understood
PAR_LEXICAL = "PAR005"  # character or literal the scanner could not read
PAR_PERIOD = "PAR006"  # paragraph name with no period before it
PAR_STRAY = "PAR007"  # text outside any program
PAR_NO_PROGRAM = "PAR008"  # no program in the member
PAR_HEADER = "PAR009"  # PROCEDURE DIVISION header not understood
PAR_EXEC = "PAR010"  # EXEC block diagnostic, relocated


@dataclass(slots=True)
class ParseResult:
    """The programs of one source member and everything said about them."""

    programs: list[A.Program]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def statements_total(self) -> int:
        return sum(p.statements_total for p in self.all_programs())

    @property
    def statements_unparsed(self) -> int:
        return sum(p.statements_unparsed for p in self.all_programs())

    def all_programs(self) -> list[A.Program]:
        out: list[A.Program] = []
        stack = list(reversed(self.programs))
        while stack:
            p = stack.pop()
            out.append(p)
            stack.extend(reversed(p.nested))
        return out


@lru_cache(maxsize=1)
def _machinery() -> tuple[Grammar, Driver, DivisionBuilder, dict[str, str]]:
    builder = DivisionBuilder()
    grammar = load_grammar(builder)
    # The parse table is ~150k long-lived objects: keep the collector from rescanning them.
    gc.collect()
    gc.freeze()
    display = {term: text for text, term in grammar.keywords.items()}
    return grammar, Driver(grammar), builder, display


def parse_expanded(src: ExpandedSource) -> ParseResult:
    """Parse preprocessed text into programs with spans in the physical files."""
    return _Parse(src).run()


class _Parse:
    def __init__(self, src: ExpandedSource) -> None:
        self.src = src
        self.smap = src.map
        self.text = src.text
        self.fixed = src.format != "free"
        self.grammar, self.driver, self.builder, self.display = _machinery()
        self.diags: list[Diagnostic] = []

    # ------------------------------------------------------------ helpers

    def loc(self, offset: int) -> Location:
        return self.smap.locate(offset)

    def report(self, code: str, severity: Severity, message: str, offset: int,
               hint: str | None = None) -> None:
        loc = self.loc(offset)
        self.diags.append(Diagnostic(code, severity, message, loc, self.smap.source_line(loc),
                                     hint))

    def problem(self, code: str, problem: SyntaxProblem, unit: str) -> None:
        tok = problem.token
        offset = start_of(tok) if tok.type != "$END" else self._last_offset
        message = describe(tok, problem.expected, unit, self.display)
        self.report(code, Severity.ERROR, message, offset)

    _last_offset = 0

    def parse_unit(self, tokens: list[Token], start: str, code: str, unit: str) -> Any:
        if not tokens:
            return None
        self._last_offset = max(end_of(tokens[-1]) - 1, start_of(tokens[-1]))
        try:
            return self.driver.parse(tokens, start)
        except UnitError as err:
            self.problem(code, err.problem, unit)
            self._failed_at = err.problem.index
            return None

    _failed_at = 0

    # ------------------------------------------------------------ run

    def run(self) -> ParseResult:
        self.builder.reset(self.smap)
        tokens, problems = scan(self.text, fixed=self.fixed)
        for p in problems:
            self.report(PAR_LEXICAL, Severity.ERROR, p.message, p.offset)
        tokens = [t for t in tokens if t.type != "BAD"]
        programs, stray = S.split_programs(tokens)
        if stray:
            self.report(PAR_STRAY, Severity.WARNING,
                        f"{len(stray)} token(s) outside any program are ignored",
                        start_of(stray[0]))
        if not programs:
            if tokens:
                self.report(PAR_NO_PROGRAM, Severity.ERROR,
                            "no IDENTIFICATION DIVISION / PROGRAM-ID found", start_of(tokens[0]))
            else:
                self.diags.append(Diagnostic(PAR_NO_PROGRAM, Severity.ERROR,
                                             "no program text in this member"))
        result = [self.program(p) for p in programs]
        return ParseResult(result, self.diags)

    def program(self, pt: S.ProgramTokens) -> A.Program:
        ident = self.parse_unit(pt.identification, "identification_division",
                                PAR_IDENTIFICATION, "IDENTIFICATION DIVISION")
        name = S._program_name(pt) or "UNNAMED"
        prog = A.Program(name=name, span=self._span_of(pt.identification))
        if isinstance(ident, Bunch):
            prog.name, prog.attributes, prog.paragraphs_info = (
                ident.items[0], ident.items[1], ident.items[2])
        self.environment(prog, pt.environment)
        self.data(prog, pt.data)
        if pt.procedure:
            self.procedure(prog, pt.procedure)
            resolve_condition_names(prog)
        prog.nested = [self.program(n) for n in pt.nested]
        last = pt.end or pt.procedure or pt.data or pt.environment or pt.identification
        if last and prog.span is not None:
            end_span = self._span_of(last)
            if end_span is not None:
                prog.span = A.Span(prog.span.start, end_span.end, prog.span.offset,
                                   end_span.end_offset)
        return prog

    def _span_of(self, tokens: list[Token]) -> A.Span | None:
        if not tokens:
            return None
        return self.builder.span_offsets(start_of(tokens[0]), end_of(tokens[-1]))

    # ------------------------------------------------------------ environment

    def environment(self, prog: A.Program, tokens: list[Token]) -> None:
        if not tokens:
            return
        for rule, unit in S.split_environment(tokens):
            if not rule:
                self.report(PAR_ENVIRONMENT, Severity.ERROR,
                            f"'{unit[0].value}' does not begin an ENVIRONMENT DIVISION "
                            "paragraph or entry; text ignored up to the next one",
                            start_of(unit[0]))
                continue
            value = self.parse_unit(unit, rule, PAR_ENVIRONMENT, rule.replace("_", "-"))
            if isinstance(value, A.FileControl):
                prog.files.append(value)
            elif isinstance(value, Bunch) and value.kind == "special_names":
                self._check_currency(value.items[0], unit)
                prog.special_names.update(value.items[0])
            elif isinstance(value, Bunch) and value.kind == "source_computer":
                prog.debugging_mode = value.items[0]

    def _check_currency(self, names: dict[str, str], unit: list[Token]) -> None:
        """Drop (with a warning) a currency symbol PICTURE strings cannot use, so that the
        layout of the program's pictures goes on with the default ``$``."""
        symbol = names.get("CURRENCY")
        if symbol is None:
            return
        try:
            parse_picture("9", currency=symbol)
            return
        except ValueError:
            pass
        del names["CURRENCY"]
        at = next((t for k, t in enumerate(unit) if t.type == "ALNUM"
                   and any(S.word(u) == "CURRENCY" for u in unit[:k])), unit[0])
        self.report(PAR_ENVIRONMENT, Severity.WARNING,
                    f"{symbol!r} cannot be a currency symbol in PICTURE strings "
                    "(it is a PICTURE symbol, a digit, a space or punctuation); '$' is used",
                    start_of(at))

    # ------------------------------------------------------------ data

    def data(self, prog: A.Program, tokens: list[Token]) -> None:
        if not tokens:
            return
        records = RecordBuilder()
        section = "WORKING-STORAGE"
        for kind, unit in S.split_data(tokens):
            if kind == "section":
                section = SECTION_NAMES.get(S.word(unit[0]), S.word(unit[0]))
                records.start_section(section)
                continue
            value = self.parse_unit(unit, "data_entry", PAR_DATA, "data description entry")
            if value is None:
                value = self._salvage_entry(unit)
                if value is None:
                    continue
            if isinstance(value, A.FileDescription):
                records.add_file(value)
            elif isinstance(value, (A.DataItem, A.Condition88)):
                records.add(value, section)
            elif isinstance(value, Bunch) and value.kind == "exec":
                prog.exec_blocks.append(value.items[0].block)
                self._exec_diags(value.items[0])
        prog.data = records.sections
        prog.file_descriptions = records.files
        comma = prog.special_names.get("DECIMAL-POINT") == "COMMA"
        currency = prog.special_names.get("CURRENCY", "$")
        for section_records in prog.data.values():
            for d in compute_layout(section_records, decimal_point_is_comma=comma,
                                    currency=currency or "$"):
                self.diags.append(d)

    def _salvage_entry(self, unit: list[Token]) -> A.DataItem | A.Condition88 | None:
        """What can be kept of an entry that did not parse: the clauses before the one in
        error, else its level and name."""
        stop = min(self._failed_at, len(unit))
        for k in range(stop, max(stop - 8, 1), -1):  # the longest prefix that parses
            head = unit[:k]
            if head[-1].type == "DOT":
                continue
            closing = Token("DOT", "", end_of(head[-1]), end_pos=end_of(head[-1]))
            try:
                value = self.driver.parse([*head, closing], "data_entry")
            except UnitError:
                continue
            if isinstance(value, (A.DataItem, A.Condition88)):
                value.span = self._span_of(unit)
                return value
            break
        if len(unit) >= 2 and unit[0].type == "INTEGER" and unit[1].type == "WORD":
            level = int(unit[0].value)
            if level == 88:
                return None
            name = str(unit[1].value).upper()
            return A.DataItem(span=self._span_of(unit), level=level, name=name)
        return None

    def _exec_diags(self, stmt: A.ExecStmt) -> None:
        block = stmt.block
        if block is None or stmt.span is None:
            return
        for d in block.diagnostics:
            loc = stmt.span.start
            self.diags.append(Diagnostic(d.code, d.severity, d.message, loc,
                                         self.smap.source_line(loc), d.hint))

    # ------------------------------------------------------------ procedure

    def procedure(self, prog: A.Program, tokens: list[Token]) -> None:
        header, units = S.split_procedure(tokens, self.text if self.fixed else "")
        division = self.parse_unit(header, "procedure_header", PAR_HEADER,
                                   "PROCEDURE DIVISION header")
        if not isinstance(division, A.ProcedureDivision):
            division = A.ProcedureDivision(span=self._span_of(header))
        section = A.Section(name=None)
        paragraph = A.Paragraph(name=None)
        declarative = False
        sections = [section]
        section.paragraphs.append(paragraph)
        total = unparsed = 0
        for unit in units:
            if unit.kind == "declaratives":
                declarative = True
                continue
            if unit.kind == "end-declaratives":
                declarative = False
                continue
            if unit.kind == "section":
                priority = unit.tokens[2].value if unit.tokens[2].type == "INTEGER" else None
                section = A.Section(name=unit.name, span=self._span_of(unit.tokens),
                                    declarative=declarative,
                                    priority=int(priority) if priority else None)
                sections.append(section)
                paragraph = A.Paragraph(name=None, section=section.name,
                                        declarative=declarative)
                section.paragraphs.append(paragraph)
                continue
            if unit.kind == "paragraph":
                paragraph = A.Paragraph(name=unit.name, section=section.name,
                                        span=self._span_of(unit.tokens),
                                        declarative=declarative)
                section.paragraphs.append(paragraph)
                continue
            sentence = self.sentence(unit.tokens)
            if sentence is None:
                continue
            if (sentence.statements and sentence.statements[0].verb == "USE"
                    and section.use is None and section.name is not None):
                section.use = sentence.statements[0]
                continue
            paragraph.sentences.append(sentence)
            t, u = count_statements(sentence.statements)
            total += t
            unparsed += u
        # drop empty implicit paragraphs (no name, no sentences)
        for s in sections:
            s.paragraphs = [p for p in s.paragraphs if p.name is not None or p.sentences]
        division.sections = [s for s in sections if s.name is not None or s.paragraphs]
        prog.procedure = division
        prog.statements_total = total
        prog.statements_unparsed = unparsed

    def _starts_line(self, tok: Token) -> bool:
        pos = start_of(tok)
        return not self.text[self.text.rfind("\n", 0, pos) + 1 : pos].strip()

    def sentence(self, tokens: list[Token]) -> A.Sentence | None:
        tokens = merge_phrases(tokens)
        if tokens and tokens[-1].type != "DOT":
            self._last_offset = end_of(tokens[-1])
        value, replaced = self.driver.parse_sentence(tokens, starts_line=self._starts_line)
        for tok, problem in replaced:
            self.problem(PAR_STATEMENT, problem, "statement")
            self.diags[-1] = _with_hint(self.diags[-1], "statement kept as text: " +
                                        _shorten(str(tok.value)))
        if isinstance(value, A.Sentence):
            for st in value.statements:
                for node in st.walk():
                    if isinstance(node, A.UnparsedStatement) and not node.message:
                        node.message = "not understood"
                    if isinstance(node, A.ExecStmt):
                        self._exec_diags(node)
            return value
        return None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _with_hint(d: Diagnostic, hint: str) -> Diagnostic:
    return Diagnostic(d.code, d.severity, d.message, d.location, d.source_line, hint)
