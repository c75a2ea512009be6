"""The deterministic describer: a business-rule unit in precise English, from its structure.

A description says under what condition a unit runs (the conditions reaching it and its own,
condition-names with their values), what it does (its actions) and which fields it changes,
quoting literals and messages exactly as written and keeping every COBOL name in parentheses
beside its glossary meaning, so that each claim can be checked against the source. Nothing is
said that the unit (or its program's data division, for condition-name values) does not show.

:func:`check_grounding` is the gate every description passes, this one's and an LLM's alike:
each name, paragraph, literal and number a text mentions must exist in the unit or its program.

The English itself is :mod:`cobolspec.rules.english`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from cobolspec.diagnostics import Span
from cobolspec.model import ast as A
from cobolspec.rules.english import English, Expr, join_words
from cobolspec.rules.glossary import Glossary, Vocabulary, as_number, literal_inner
from cobolspec.rules.textparse import tokens

__all__ = [
    "Description",
    "ProgramFacts",
    "RuleUnitLike",
    "check_grounding",
    "describe_program",
    "describe_unit",
]

KIND_LABELS = {
    "decision": "Decision", "validation": "Validation", "calculation": "Calculation",
    "routing": "Routing", "state-change": "State change", "io": "Input/output",
}
_KIND_NOUNS = {
    "decision": ("decision", "decisions"), "validation": ("validation", "validations"),
    "calculation": ("calculation", "calculations"), "routing": ("routing rule", "routing rules"),
    "state-change": ("state change", "state changes"), "io": ("input/output rule",
                                                           "input/output rules"),
}
MAX_TABLE_ROWS = 12


class RuleUnitLike(Protocol):
    """What the describer reads from a rule unit (``cobolspec.rules.units.RuleUnit``)."""

    id: str
    name: str
    program: str
    paragraph: str
    kind: str
    condition: str | None
    reaching: list[str]
    actions: list[str]
    inputs: list[str]
    outputs: list[str]
    literals: list[str]
    statements: list[str]
    file: str
    line: int
    end_line: int
    spans: list[Span]
    decision_table: Any


@dataclass(slots=True)
class Description:
    """A unit's text and the verdict of the grounding gate on it."""

    text: str
    grounded: bool
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- describing a unit


def _paragraph_words(paragraph_id: str) -> str:
    parts = paragraph_id.split(":")
    if len(parts) >= 3:
        return f"{parts[2]} (section {parts[1]})"
    if len(parts) == 2:
        return "the opening statements" if parts[1] == "(ENTRY)" else parts[1]
    return paragraph_id


def _base(file: str) -> str:
    return file.replace("\\", "/").rsplit("/", 1)[-1]


def location_text(file: str, line: int, end_line: int) -> str:
    """``TRANPOST.cbl lines 171–175`` (or ``line 171``)."""
    if end_line > line:
        return f"{_base(file)} lines {line}–{end_line}"
    return f"{_base(file)} line {line}"


def _clauses(english: English, actions: Sequence[str]) -> str:
    """Actions as clauses joined by "; then"; consecutive MOVEs share one clause
    ("'10' is moved to A and 'X' to B")."""
    out: list[str] = []
    moves: list[tuple[str, str]] = []

    def flush() -> None:
        if moves:
            (source, target), rest = moves[0], moves[1:]
            out.append(join_words([f"{source} is moved to {target}",
                                   *(f"{s} to {t}" for s, t in rest)]))
            moves.clear()

    for action in actions:
        move = english.move(action)
        if move is not None:
            moves.append(move)
            continue
        flush()
        out.append(english.action(action))
    flush()
    return "; then ".join(out) if out else "nothing is done"


def _table_sentences(english: English, table: Any) -> list[str]:
    columns: list[str] = list(getattr(table, "condition_columns", []) or [])
    rows = list(getattr(table, "rows", []) or [])
    sentences = []
    for row in rows[:MAX_TABLE_ROWS]:
        conds = []
        other = False
        for column, cell in zip(columns, row.conditions, strict=False):
            text = _cell_condition(column, cell)
            if text == "OTHER":
                other = True
            elif text:
                conds.append(english.condition(text))
        actions = _clauses(english, row.actions)
        if other and not conds:
            sentences.append(f"Otherwise, {actions}.")
        elif conds:
            sentences.append(f"When {join_words(conds)}, {actions}.")
        else:
            sentences.append(f"In every case, {actions}.")
    if len(rows) > MAX_TABLE_ROWS:
        sentences.append("Further rows of the decision table are not shown.")
    return sentences


def _cell_condition(column: str, cell: str) -> str:
    """The condition one decision-table cell stands for ("" for none, "OTHER")."""
    column = _LINE_TAG.sub("", column)
    value = cell.strip()
    up = value.upper()
    if up in ("-", "ANY", ""):
        return ""
    if up == "OTHER":
        return "OTHER"
    if column.upper() in ("TRUE", "FALSE"):  # EVALUATE TRUE: the cell is the condition
        if up in ("TRUE", "FALSE"):
            return ""
        return value if column.upper() == "TRUE" else f"NOT ({value})"
    if up in ("Y", "TRUE"):
        return column
    if up in ("N", "FALSE"):
        return f"NOT ({column})"
    if up.startswith("NOT "):
        return f"{column} NOT = {value[4:]}"
    return f"{column} = {value}"


_LINE_TAG = re.compile(r"\s*\[line \d+\]$")
_EVALUATE = re.compile(r"EVALUATE\s+(.+)", re.I | re.S)


def describe_unit(unit: RuleUnitLike, glossary: Glossary,
                  program: A.Program | Vocabulary | None = None) -> Description:
    """A unit in precise English, with the grounding gate's verdict on the text.

    The text reads ``<Kind> in <paragraph> (<file> lines a–b): when <conditions>, <actions>.``
    followed by the fields it changes that the actions did not name, and by one sentence per
    row of its decision table. Deterministic: the same unit and glossary give the same text.
    """
    english = English(glossary)
    label = KIND_LABELS.get(unit.kind, unit.kind.capitalize() or "Rule")
    head = (f"{label} in {_paragraph_words(unit.paragraph)} "
            f"({location_text(unit.file, unit.line, unit.end_line)})")
    table = unit.decision_table
    rows = len(getattr(table, "rows", []) or []) if table is not None else 0
    conditions = list(unit.reaching)
    subject = ""
    if rows:
        # the unit's condition is the root of its decision nest: the table's rows say it all,
        # but an EVALUATE names what is evaluated
        m = _EVALUATE.fullmatch(unit.condition or "")
        if m is not None and m.group(1).upper() not in ("TRUE", "FALSE"):
            operands = [o for o in re.split(r"\s+ALSO\s+", m.group(1))
                        if o.upper() not in ("TRUE", "FALSE")]
            subject = f"depending on {join_words([english.operand(o) for o in operands])}, "
    elif unit.condition:
        conditions.append(unit.condition)
    when = join_words([english.condition(c) for c in conditions])
    # with a decision table the actions are alternatives: the rows say which applies when
    body = (f"{subject}one of the following cases applies" if rows
            else _clauses(english, unit.actions))
    text = f"{head}: when {when}, {body}." if when else f"{head}: {body}."
    sentences = [text]
    if rows:
        sentences.extend(_table_sentences(english, table))
    named = {m.group().upper() for m in _IDENT.finditer(" ".join(sentences))}
    unmentioned = [o for o in unit.outputs if not _mentions(named, o)]
    if unmentioned:
        changed = join_words([english.operand(o) for o in unmentioned])
        sentences.append(f"It also changes {changed}.")
    full = " ".join(sentences)
    problems = check_grounding(full, unit, program if program is not None else glossary)
    return Description(full, not problems, problems)


def _mentions(named: set[str], operand: str) -> bool:
    """Whether every word of an output (``file:X`` → X) is among the names a text shows."""
    kind, sep, rest = operand.partition(":")
    name = rest if sep and " " not in kind else operand
    return all(part.upper() in named for part in re.split(r"[ .]+", name.strip()) if part)


# --------------------------------------------------------------------------- programs


@dataclass(slots=True)
class ProgramFacts:
    """What the store knows about a program that its own source does not say."""

    callers: list[tuple[str, str]] = field(default_factory=list)  # (caller, CALL/LINK/XCTL...)
    jobs: list[str] = field(default_factory=list)  # "JOB.STEP" that run it
    transactions: list[str] = field(default_factory=list)  # CICS transactions that start it


def describe_program(program: A.Program, ruleset: Any = None, facts: ProgramFacts | None = None,
                     glossary: Glossary | None = None) -> str:
    """A program's purpose from its structure: inputs (files opened for input, tables read,
    maps received, parameters), outputs, its main loop, what it calls, what calls it (from
    ``facts``) and how many business rules of each kind ``ruleset`` found in it.

    Without ``facts`` and ``ruleset`` every name and number in the text is the program's own,
    so the text passes :func:`check_grounding`; the callers and rule counts are facts of the
    dump and of the rules stage, not of the source, and the gate would report them."""
    glossary = glossary or Glossary(program.name)
    english = English(glossary)
    io = _ProgramIO(program)
    sentences = [f"{program.name} ({_base(program.span.file) if program.span else 'source'})"
                 f" is {io.shape()}."]
    if io.inputs:
        sentences.append(f"It reads {join_words([io.render(english, x) for x in io.inputs])}.")
    if io.outputs:
        sentences.append(f"It writes {join_words([io.render(english, x) for x in io.outputs])}.")
    loop = _main_loop(program)
    if loop is not None:
        sentences.append(f"Its main loop: {english.action(loop)}.")
    if io.calls:
        sentences.append(f"It calls {join_words(io.calls)}.")
    facts = facts or ProgramFacts()
    if facts.callers:
        sentences.append("It is called by " + join_words(
            [f"{caller} ({kind})" for caller, kind in sorted(set(facts.callers))]) + ".")
    if facts.jobs:
        sentences.append(f"It runs in job step{'s' if len(facts.jobs) > 1 else ''} "
                         f"{join_words(sorted(set(facts.jobs)))}.")
    if facts.transactions:
        sentences.append(f"It is started by transaction"
                         f"{'s' if len(facts.transactions) > 1 else ''} "
                         f"{join_words(sorted(set(facts.transactions)))}.")
    units = list(getattr(ruleset, "units", []) or [])
    if units:
        counts = Counter(u.kind for u in units)
        kinds = [f"{n} {_KIND_NOUNS.get(k, (k, k))[n != 1]}" for k, n in sorted(counts.items())]
        sentences.append(f"It holds {len(units)} business rule"
                         f"{'s' if len(units) != 1 else ''} ({join_words(kinds)}).")
    return " ".join(sentences)


class _ProgramIO:
    """Files, tables, maps and parameters a program reads and writes, and what it calls;
    items are (kind, name) pairs rendered at the end so names are glossed once."""

    def __init__(self, program: A.Program) -> None:
        self.program = program
        self.inputs: list[tuple[str, str]] = []
        self.outputs: list[tuple[str, str]] = []
        self.calls: list[str] = []
        self.cics = False
        self.sql = False
        modes: dict[str, set[str]] = {}
        statements = list(program.procedure.find_all(A.Statement)) if program.procedure else []
        for st in statements:
            if st.verb == "OPEN":
                for mode, files in st.details.items():
                    for f in files.split():
                        modes.setdefault(f.upper(), set()).add(mode.upper())
            elif isinstance(st, A.CallStmt) and st.program is not None:
                target = st.program
                inner = literal_inner(target.text) if isinstance(target, A.Literal) else None
                _add(self.calls, f"{inner} (CALL)" if inner is not None
                     else f"the program named in {target} (CALL)")
            elif isinstance(st, A.ExecStmt) and st.block is not None:
                self._exec(st.block)
        for block in program.exec_blocks:  # DECLARE CURSOR ... SELECT in WORKING-STORAGE
            self._exec(block)
        for file in sorted(modes):
            kinds = modes[file]
            if kinds & {"INPUT", "I-O"}:
                _add(self.inputs, ("file", file))
            if kinds & {"OUTPUT", "EXTEND", "I-O"}:
                _add(self.outputs, ("file", file))
        if program.procedure is not None:
            for _, operand in program.procedure.using:
                _add(self.inputs, ("parameter", str(operand)))

    def _exec(self, block: Any) -> None:
        if block.sql is not None:
            self.sql = True
            for access in block.sql.accesses:
                op = access.operation.lower()  # read, insert, update or delete
                _add(self.inputs if op in ("read", "select") else self.outputs,
                     ("table", access.table))
        cics = block.cics
        if cics is not None:
            self.cics = True
            command = cics.command.upper()
            if command == "RECEIVE MAP" and cics.map:
                _add(self.inputs, ("map", cics.map))
            elif command == "SEND MAP" and cics.map:
                _add(self.outputs, ("map", cics.map))
            elif command in ("LINK", "XCTL") and cics.program:
                _add(self.calls, f"{cics.program} ({command})" if not cics.program_dynamic
                     else f"the program named in {cics.program} ({command})")
            elif command in ("READ", "READNEXT", "READPREV", "STARTBR") and cics.file:
                _add(self.inputs, ("file", cics.file))
            elif command in ("WRITE", "REWRITE", "DELETE") and cics.file:
                _add(self.outputs, ("file", cics.file))

    @staticmethod
    def render(english: English, item: tuple[str, str]) -> str:
        kind, name = item
        if kind in ("file", "parameter") and _IDENT.fullmatch(name):
            glossed = english.name(Expr("name", text=name, name=name.upper()))
            return f"the parameter {name}" if glossed == name and kind == "parameter" \
                else glossed
        return f"the {kind} {name}"

    def shape(self) -> str:
        kinds = []
        if self.cics:
            kinds.append("CICS")
        if self.sql:
            kinds.append("DB2")
        what = f"a {' '.join(kinds)} program" if kinds else "a program"
        if self.program.procedure is not None and self.program.procedure.using:
            what += " called with parameters"
        return what


def _add(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


def _main_loop(program: A.Program) -> str | None:
    """The first ``PERFORM ... UNTIL`` of the entry paragraph, as normalised text."""
    if program.procedure is None or not program.procedure.paragraphs:
        return None
    for st in program.procedure.paragraphs[0].statements:
        if isinstance(st, A.PerformStmt) and st.until is not None and st.target:
            thru = f" THRU {st.thru}" if st.thru else ""
            return f"PERFORM {st.target}{thru} UNTIL {node_text(st.until)}"
    return None


def node_text(node: A.Node | None) -> str:
    """An AST condition or expression back in normalised COBOL text."""
    if node is None:
        return ""
    if isinstance(node, A.Ident):
        text = str(node)
        if node.subscripts:
            text += "(" + " ".join(node_text(s) for s in node.subscripts) + ")"
        return text
    if isinstance(node, A.Literal):
        return node.text
    if isinstance(node, A.BinaryOp):
        return f"{node_text(node.left)} {node.op} {node_text(node.right)}"
    if isinstance(node, A.UnaryOp):
        return f"{node.op}{node_text(node.operand)}"
    if isinstance(node, A.Relation):
        return f"{node_text(node.left)} {node.op} {node_text(node.right)}"
    if isinstance(node, A.ClassCondition):
        return f"{node_text(node.subject)} {'NOT ' if node.negated else ''}{node.test}"
    if isinstance(node, A.ConditionRef):
        return node_text(node.ref)
    if isinstance(node, A.Not):
        return f"NOT ({node_text(node.operand)})"
    if isinstance(node, A.BoolOp):
        return f" {node.op} ".join(f"({node_text(o)})" if isinstance(o, A.BoolOp) else
                                   node_text(o) for o in node.operands)
    return ""


# --------------------------------------------------------------------------- grounding

# a source location is a file name followed by its line(s): "TRANPOST.cbl lines 171–175"; a bare
# "line 5" may be words of a name ("heading line 1") and is checked as a number
_LOCATION = re.compile(
    r"(?P<file>[\w$#@\-/]+(?:\.[\w$#@\-]+)*\.[A-Za-z0-9]+),?\s+lines?\s+(?P<a>\d+)"
    r"(?:\s*(?:[–—-]|to|through)\s*(?P<b>\d+))?", re.I)
_LITERAL = re.compile(r"(?<![\w'\"])(?:NX|[XNGZB])?('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")(?![\w])")
_NUMBER = re.compile(r"(?<![\w.\-])\d+(?:\.\d+)?(?![\w\-]|\.\d)")
_IDENT = re.compile(r"[A-Za-z0-9$#@][A-Za-z0-9$#@_-]*[A-Za-z0-9$#@]|[A-Za-z0-9$#@]")
_HAS_LETTER = re.compile(r"[A-Z]")
_FILE_NAME = re.compile(r"[\w$#@\-/]+\.[A-Za-z0-9]{1,4}\b")
_PARAGRAPH_LIKE = re.compile(r"[A-Z]?\d+-[A-Z0-9-]+")

#: Upper-case words a text may use without them being names of the program: COBOL's own words
#: and common acronyms of the trade. They state no fact about the program.
_ALLOWED_TEXT = """
ACCEPT ADD ADDRESS AFTER ALL ALPHABETIC ALSO AND ANY ASCII AT BEFORE BINARY BMS BY CALL CICS
CLOSE COBOL COMP COMP-3 COMPUTE CONTENT CONTINUE COPY CORRESPONDING CSV CURSOR DATA DB2
DECLARE DELETE DISPLAY DIVIDE DIVISION DLI EBCDIC ELSE END END-EXEC ENTRY EOF ERROR EVALUATE
EXEC EXIT EXTEND FALSE FD FETCH FILE FILLER FROM FUNCTION GIVING GO GOBACK HIGH-VALUES ID IF IN
INDEX INITIALIZE INPUT INSERT INSPECT INTO INVALID I-O IS JCL JSON KEY KSDS LENGTH LINK LINKAGE
LOW-VALUES MAP MOVE MULTIPLY NEGATIVE NEXT NOT NULL NUMERIC OCCURS OF OK ON OPEN OR OTHER OUTPUT
PERFORM PIC POSITIVE PROCEDURE PROGRAM READ RECEIVE RECORD REDEFINES REFERENCE RETURN REWRITE
ROUNDED RUN SECTION SELECT SEND SET SIZE SPACE SPACES SQL STOP STRING SUBTRACT TDQ THEN THRU
TIMES TO TRUE TSQ UNSTRING UNTIL UPDATE USING VALUE VARYING VSAM WHEN WORKING-STORAGE WRITE
XCTL ZERO ZEROES ZEROS
"""
ALLOWED_WORDS = frozenset(_ALLOWED_TEXT.split())


def _unit_strings(unit: RuleUnitLike) -> list[str]:
    strings = [*(unit.reaching or []), *(unit.actions or []), *(unit.inputs or []),
               *(unit.outputs or []), *(unit.literals or [])]
    if unit.condition:
        strings.append(unit.condition)
    table = unit.decision_table
    if table is not None:
        strings.extend(getattr(table, "condition_columns", []) or [])
        for row in getattr(table, "rows", []) or []:
            strings.extend(row.conditions)
            strings.extend(row.actions)
    return strings


def unit_vocabulary(unit: RuleUnitLike) -> Vocabulary:
    """The names, paragraphs, literals and numbers a unit itself shows."""
    voc = Vocabulary()
    for text in _unit_strings(unit):
        for tok in tokens(text):
            if tok.kind == "lit":
                voc.add_literal(tok.text)
            elif tok.kind == "num":
                voc.add_number(tok.text)
            elif tok.kind == "word":
                for part in tok.text.split("."):
                    voc.add_name(part)
        inner = literal_inner(text.strip())
        if inner is not None:
            voc.literals.add(inner)
    for part in (unit.program, *unit.paragraph.split(":"), *unit.name.split(".")):
        voc.add_name(part)
    voc.paragraphs.add(unit.paragraph.split(":")[-1].upper())
    voc.files.add(_base(unit.file))
    for span in unit.spans or []:
        voc.files.add(_base(span.file))
    return voc


_RECENT: list[tuple[A.Program, Vocabulary]] = []  # programs checked last (a program's units
# are checked one after the other: its vocabulary is built once)


def _vocabulary(program: A.Program | Vocabulary | Glossary | None) -> Vocabulary:
    if program is None:
        return Vocabulary()
    if isinstance(program, Vocabulary):
        return program
    if isinstance(program, Glossary):
        return program.vocabulary
    for known, voc in _RECENT:
        if known is program:
            return voc
    voc = Vocabulary.of_program(program)
    _RECENT.insert(0, (program, voc))
    del _RECENT[4:]
    return voc


def _line_ranges(unit: RuleUnitLike) -> list[tuple[str, int, int]]:
    ranges = [(_base(unit.file), unit.line, max(unit.end_line, unit.line))]
    for span in unit.spans or []:
        ranges.append((_base(span.file), span.start.line, max(span.end.line, span.start.line)))
    return ranges


def check_grounding(text: str, unit: RuleUnitLike | None,
                    program: A.Program | Vocabulary | Glossary | None = None) -> list[str]:
    """What a text claims that the unit and its program do not show; empty when grounded.

    Checked: source locations (``FILE lines a–b`` must lie within the unit's spans), quoted
    literals (must be written so in the unit or the program), upper-case names and paragraph
    names (must be defined or used there; COBOL's own words and trade acronyms pass) and
    numbers (must appear in the unit, the program's values, or inside one of its names).
    """
    known = _vocabulary(program)
    own = unit_vocabulary(unit) if unit is not None else Vocabulary()
    problems: list[str] = []
    rest = text

    if unit is not None:
        ranges = _line_ranges(unit)
        for m in _LOCATION.finditer(text):
            file = m.group("file")
            a = int(m.group("a"))
            b = int(m.group("b") or a)
            where = [r for r in ranges if _base(file) == r[0]]
            if not where:
                problems.append(f"file {file} is not where the unit is")
            elif not any(lo <= a and b <= hi for _, lo, hi in where):
                shown = f"{a}–{b}" if b != a else str(a)
                problems.append(f"line {shown} is outside the unit")
        rest = _LOCATION.sub(" ", rest)

    # the program's and copybooks' file names (TRANPOST.cbl, REJRPT.CBL) are no claims
    files = own.files | known.files
    rest = _FILE_NAME.sub(lambda m: " " if _base(m.group()) in files else m.group(), rest)

    for m in _LITERAL.finditer(rest):
        inner = literal_inner(m.group(1))
        if inner is not None and inner not in own.literals and inner not in known.literals:
            problems.append(f"literal {m.group()} is not in the source")
    rest = _LITERAL.sub(" ", rest)

    for m in _IDENT.finditer(rest):
        token = m.group()
        if len(token) < 2 or token != token.upper() or not _HAS_LETTER.search(token):
            continue  # prose, a single capital, or a number
        if token in ALLOWED_WORDS or any(token in v.names or token in v.paragraphs
                                         for v in (own, known)):
            continue
        kind = "paragraph" if _PARAGRAPH_LIKE.fullmatch(token) else "name"
        problems.append(f"{kind} {token} is not in the unit or its program")

    for m in _NUMBER.finditer(rest):
        value = as_number(m.group())
        if value is not None and value not in own.numbers and value not in known.numbers:
            problems.append(f"number {m.group()} is not in the source")
    return list(dict.fromkeys(problems))


def grounding_numbers(texts: Iterable[str]) -> set[Decimal]:
    """Every number written in ``texts`` (used to extend a vocabulary by hand)."""
    out: set[Decimal] = set()
    for text in texts:
        for m in _NUMBER.finditer(text):
            value = as_number(m.group())
            if value is not None:
                out.add(value)
    return out
