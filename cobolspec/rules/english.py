"""Normalised COBOL in English: conditions, operands and statements of a rule unit.

The rules stage gives a unit's conditions and actions as normalised COBOL text
(``TRAN-AMT NOT > ZERO``, ``MOVE 'R03' TO REJ-REASON-CODE``). :mod:`cobolspec.rules.textparse`
reads that text into small trees and :class:`English` says them in words, naming every data
item by its glossary meaning with the COBOL name in parentheses the first time it appears and
by the name alone after that. Literals, numbers and names are kept exactly as written. Text that
cannot be read is quoted whole ("the condition ... holds", "the statement ... is executed"),
never guessed.

>>> from cobolspec.rules.glossary import Glossary
>>> english = English(Glossary())
>>> english.condition("TRAN-AMT NOT > ZERO")
'the transaction amount (TRAN-AMT) is not greater than zero'
>>> english.action("MOVE 'R03' TO REJ-REASON-CODE")
"'R03' is moved to the reject reason code (REJ-REASON-CODE)"
>>> english.condition("WS-CODE = 1 OR 2")
'either the code (WS-CODE) is 1 or WS-CODE is 2'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cobolspec.rules.glossary import FIGURATIVES, Glossary, value_text, values_text
from cobolspec.rules.textparse import (
    STOP_WORDS,
    Cond,
    Expr,
    Parser,
    Unparsable,
    parse_condition,
    squash,
)

__all__ = ["English", "join_words"]


# --------------------------------------------------------------------------- English

_OP_WORDS = {"=": "", "<>": "not ", ">": "greater than ", "<": "less than ",
             ">=": "greater than or equal to ", "<=": "less than or equal to "}
_NEG_OP_WORDS = {"=": "not ", "<>": "", ">": "not greater than ", "<": "not less than ",
                 ">=": "less than ", "<=": "greater than "}
_ARITH = {"+": "plus", "-": "minus", "*": "times", "/": "divided by", "**": "to the power of"}
_EXEC = re.compile(r"EXEC\s+(\w+)\s+(.*?)(?:\s+END-EXEC)?\.?", re.S | re.I)
_SEPARATE = " (separate rule)"
_CICS_EVENT = re.compile(r"CICS (condition|AID) = ([A-Z0-9$#@-]+)", re.I)
_OPERAND_KINDS = {"file": "the file", "table": "the table", "map": "the screen field",
                  "commarea": "the communication area", "queue": "the queue"}
_PHRASE_WORDS = {
    "AT END": ("reaches the end of the file", "does not reach the end of the file"),
    "INVALID KEY": ("fails with an invalid key", "succeeds with a valid key"),
    "ON SIZE ERROR": ("causes a size error", "causes no size error"),
    "ON EXCEPTION": ("raises an exception", "raises no exception"),
    "ON OVERFLOW": ("overflows", "does not overflow"),
    "AT END-OF-PAGE": ("reaches the end of the page", "does not reach the end of the page"),
    "NO DATA": ("finds no data", "finds data"),
}
_OPEN_MODES = {"INPUT": "input", "OUTPUT": "output", "I-O": "input-output", "EXTEND": "extend"}


def join_words(items: Sequence[str], conj: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


class English:
    """Renders normalised COBOL (conditions, operands, actions) as English, naming every data
    item by its glossary meaning with the COBOL name in parentheses the first time it appears,
    and by the COBOL name alone after that."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.mentioned: set[str] = set()

    # ------------------------------------------------------------ operands

    def name(self, e: Expr) -> str:
        up = e.name
        if up.startswith("DFH") or up in self.mentioned:
            return e.text
        self.mentioned.add(up)
        meaning = (self.glossary.explain(up) if self.glossary.condition(up) is None
                   else self.glossary.name_meaning(up))
        if not meaning or ("-" not in up and meaning.replace(" ", "-").upper() == up):
            return e.text  # one word no table explains: its meaning would only repeat it
        return f"the {meaning} ({e.text})"

    def named(self, name: str) -> str:
        return self.name(Expr("name", text=name, name=name.upper()))

    def expr(self, e: Expr) -> str:
        if e.kind == "name":
            return self.name(e)
        if e.kind == "fig":
            return FIGURATIVES.get(e.text.upper(), e.text)
        if e.kind == "func":
            if e.name in ("LENGTH", "ADDRESS") and e.parts:
                return f"the {e.name.lower()} of {self.expr(e.parts[0])}"
            return f"{e.text} of {self.exprs(e.parts)}" if e.parts else e.text
        if e.kind == "bin":
            return f"{self.expr(e.parts[0])} {_ARITH[e.op]} {self.expr(e.parts[1])}"
        if e.kind == "neg":
            return f"minus {self.expr(e.parts[0])}"
        if e.kind == "paren":
            return f"({self.expr(e.parts[0])})"
        return e.text

    def exprs(self, items: Sequence[Expr], conj: str = "and") -> str:
        return join_words([self.expr(e) for e in items], conj)

    def operand(self, text: str) -> str:
        """One operand given as text; ``file:X``, ``table:X``, ``map:M.F``, ``commarea:X`` and
        ``queue:X`` (the rules stage's inputs and outputs) are named by their kind."""
        kind, sep, rest = text.partition(":")
        if sep and kind.lower() in _OPERAND_KINDS:
            return f"{_OPERAND_KINDS[kind.lower()]} {rest}"
        p = Parser(text)
        try:
            e = p.expr()
            if p.done():
                return self.expr(e)
        except Unparsable:
            pass
        return squash(text)

    # ------------------------------------------------------------ conditions

    def condition(self, text: str) -> str:
        """A normalised condition in words."""
        m = _CICS_EVENT.fullmatch(text.strip())
        if m is not None:  # a HANDLE CONDITION / HANDLE AID column
            if m.group(1).lower() == "condition":
                return f"the CICS condition {m.group(2)} is raised"
            return f"the key {m.group(2)} is pressed"
        return self.cond(parse_condition(text))

    def cond(self, c: Cond, negated: bool = False, nested: bool = False) -> str:
        if c.kind == "rel":
            assert c.left is not None and c.right is not None
            neg = c.negated != negated
            words = (_NEG_OP_WORDS if neg else _OP_WORDS)[c.op]
            right = self.expr(c.right)
            if c.thru is not None:
                right = f"{right} through {self.expr(c.thru)}"
            return f"{self.expr(c.left)} is {words}{right}"
        if c.kind == "class":
            assert c.left is not None
            neg = c.negated != negated
            test = f"in the class {c.op}" if c.name == "user" else c.op.lower()
            return f"{self.expr(c.left)} is {'not ' if neg else ''}{test}"
        if c.kind == "c88":
            return self.condition_name(c, negated)
        if c.kind == "phrase":
            return self.phrase(c, negated)
        if c.kind == "not":
            inner = c.parts[0]
            if inner.kind in ("rel", "class", "c88", "not", "phrase", "and", "or"):
                return self.cond(inner, not negated, nested)
            return f"it is not the case that {self.cond(inner, False, True)}"
        if c.kind in ("and", "or"):
            if negated:  # De Morgan: not (A and B) is (not A) or (not B)
                flipped = Cond("or" if c.kind == "and" else "and",
                               parts=[Cond("not", parts=[p]) for p in c.parts])
                return self.cond(flipped, False, nested)
            texts = [self.cond(p, False, True) for p in c.parts]
            # a comma before the last "and"/"or" where a part is itself a group of the other
            # kind: "either A or B, and C"
            grouped = any(p.kind in ("and", "or") for p in c.parts)
            conj = (", " if grouped else " ") + ("and" if c.kind == "and" else "or")
            text = (f"{', '.join(texts[:-1])}{conj} {texts[-1]}" if len(texts) > 1
                    else texts[0])
            if c.kind == "and":
                return text
            return f"either {text}" if nested or len(texts) == 2 else text
        prefix = "it is not the case that " if negated else ""
        return f"{prefix}the condition {c.text} holds"

    def condition_name(self, c: Cond, negated: bool) -> str:
        """``ACCT-CLOSED`` → "the account status (ACCT-STATUS) is 'C' (ACCT-CLOSED)"."""
        info = self.glossary.condition(c.name)
        assert c.left is not None
        if info is not None and info.item is not None:
            item = self.named(info.item)
            values = info.values
            if not negated:
                what = values_text(values)
            elif len(values) == 1:
                what = "not " + values_text(values)
            else:
                what = "none of " + values_text(values, "and")
            self.mentioned.add(c.name)
            return f"{item} is {what} ({c.left.text})"
        if c.parts:
            inner = self.cond(c.parts[0], negated, True)
            self.mentioned.add(c.name)
            return f"{inner} ({c.left.text})"
        return f"the condition {c.left.text} is {'false' if negated else 'true'}"

    def phrase(self, c: Cond, negated: bool) -> str:
        """``AT END (READ RATE-FILE)`` → "the READ of the rate file (RATE-FILE) reaches the
        end of the file"."""
        kind = c.op
        if kind == "WITH DATA":
            kind, negated = "NO DATA", not negated
        yes, no = _PHRASE_WORDS[kind]
        if kind == "AT END" and c.text.upper().startswith("SEARCH"):
            yes, no = yes.replace("file", "table"), no.replace("file", "table")
        return f"{self.statement_head(c.text)} {no if negated else yes}"

    def statement_head(self, head: str) -> str:
        """``READ RATE-FILE`` → "the READ of the rate file (RATE-FILE)"."""
        words = head.split(None, 1)
        if not words:
            return "the statement"
        verb, rest = words[0].upper(), (words[1] if len(words) > 1 else "")
        if verb == "EXEC" or not rest:
            return f"the {squash(head)}"
        p = Parser(rest)
        try:
            items = p.operands()
            if p.done() and items:
                return f"the {verb} of {self.exprs(items)}"
        except Unparsable:
            pass
        return f"the {squash(head)}"

    # ------------------------------------------------------------ actions

    def action(self, text: str) -> str:
        """One normalised statement as a clause; what cannot be read is quoted whole. A nested
        decision described on its own (``... (separate rule)``) says so."""
        if text.endswith(_SEPARATE):
            return f"{self.action(text[:-len(_SEPARATE)])} (a separate rule)"
        m = _EXEC.fullmatch(text.strip())
        if m is not None:
            lang = m.group(1).upper()
            what = {"SQL": "the SQL statement", "CICS": "the CICS command"}.get(
                lang, f"the EXEC {lang} block")
            verb = "issued" if lang == "CICS" else "executed"
            return f"{what} {squash(m.group(2))} is {verb}"
        p = Parser(text)
        if p.done():
            return "nothing is done"
        verb = p.take().up
        if verb in ("GO", "STOP", "EXIT", "SEARCH") and p.at("TO", "RUN", "PROGRAM", "ALL",
                                                             "PARAGRAPH", "SECTION"):
            verb = f"{verb} {p.take().up}"
        method = getattr(self, "_" + verb.lower().replace(" ", "_").replace("-", "_"), None)
        if method is not None:
            mentioned = set(self.mentioned)
            try:
                clause = method(p)
                if p.done():
                    return str(clause)
            except Unparsable:
                pass
            self.mentioned = mentioned
        return f"the statement {squash(text)} is executed"

    def move(self, text: str) -> tuple[str, str] | None:
        """A plain ``MOVE a TO b...`` as (source, targets) in words; None for anything else."""
        p = Parser(text)
        if not p.at("MOVE"):
            return None
        p.take()
        mentioned = set(self.mentioned)
        try:
            src = p.operands()
            p.take("TO")
            targets = p.operands()
            if len(src) == 1 and src[0].kind != "fig" and targets and p.done():
                return self.expr(src[0]), self.exprs(targets)
        except Unparsable:
            pass
        self.mentioned = mentioned
        return None

    def _targets(self, p: Parser) -> str:
        items = p.operands()
        if not items:
            raise Unparsable
        return self.exprs(items)

    def _move(self, p: Parser) -> str:
        corr = p.at("CORRESPONDING", "CORR")
        if corr:
            p.take()
        src = p.operands()
        p.take("TO")
        if len(src) != 1:
            raise Unparsable
        source = self.expr(src[0])
        targets = self._targets(p)
        if src[0].kind == "fig" and not corr:  # MOVE SPACES TO X: X is set to spaces
            return f"{targets} {'are' if ' and ' in targets else 'is'} set to {source}"
        if corr:
            return f"the corresponding fields of {source} are moved to {targets}"
        return f"{source} is moved to {targets}"

    def _rounded(self, p: Parser) -> str:
        if p.at("ROUNDED"):
            p.take()
            return ", rounded"
        return ""

    def _add(self, p: Parser) -> str:
        values = p.operands()
        if p.at("TO"):
            p.take()
            targets = p.operands()
            if p.at("GIVING"):
                p.take()
                result = self._targets(p)
                return f"{result} is set to the sum of {self.exprs(values + targets)}" + \
                    self._rounded(p)
            return f"{self.exprs(values)} is added to {self.exprs(targets)}" + self._rounded(p)
        p.take("GIVING")
        return f"{self._targets(p)} is set to the sum of {self.exprs(values)}" + \
            self._rounded(p)

    def _subtract(self, p: Parser) -> str:
        values = p.operands()
        p.take("FROM")
        sources = p.operands()
        if p.at("GIVING"):
            p.take()
            result = self._targets(p)
            return (f"{result} is set to {self.exprs(sources)} minus {self.exprs(values)}"
                    + self._rounded(p))
        return f"{self.exprs(values)} is subtracted from {self.exprs(sources)}" + \
            self._rounded(p)

    def _multiply(self, p: Parser) -> str:
        values = p.operands()
        p.take("BY")
        targets = p.operands()
        if p.at("GIVING"):
            p.take()
            result = self._targets(p)
            return (f"{result} is set to {self.exprs(values)} times {self.exprs(targets)}"
                    + self._rounded(p))
        return f"{self.exprs(targets)} is multiplied by {self.exprs(values)}" + self._rounded(p)

    def _divide(self, p: Parser) -> str:
        values = p.operands()
        word = p.take("INTO", "BY").up
        others = p.operands()
        if p.at("GIVING"):
            p.take()
            result = self.exprs(p.operands())
            rounded = self._rounded(p)
            a, b = (others, values) if word == "INTO" else (values, others)
            text = f"{result} is set to {self.exprs(a)} divided by {self.exprs(b)}{rounded}"
            if p.at("REMAINDER"):
                p.take()
                text += f", the remainder going to {self._targets(p)}"
            return text
        if word != "INTO":
            raise Unparsable
        return f"{self.exprs(others)} is divided by {self.exprs(values)}" + self._rounded(p)

    def _compute(self, p: Parser) -> str:
        targets = []
        rounded = ""
        while not p.at("=", "EQUAL"):
            if p.at(","):
                p.take()
                continue
            if p.at("ROUNDED"):
                p.take()
                rounded = ", rounded"
                continue
            targets.append(p.expr())
        p.take()
        value = p.expr()
        if p.at("(") and p.peek_up(1) == "ROUNDED" and p.peek_up(2) == ")":
            p.i += 3
            rounded = ", rounded"
        return f"{self.exprs(targets)} is set to {self.expr(value)}{rounded}"

    def _set(self, p: Parser) -> str:
        targets = p.operands()
        if not targets:
            raise Unparsable
        if p.at("UP", "DOWN"):
            direction = "increased" if p.take().up == "UP" else "decreased"
            p.take("BY")
            return f"{self.exprs(targets)} is {direction} by {self.expr(p.expr())}"
        p.take("TO")
        if p.at("TRUE"):
            p.take()
            expansion = None
            if p.at("("):
                p.take("(")
                expansion = Parser.sub(p)
                p.take(")")
            return join_words([self._set_true(t, expansion) for t in targets])
        if p.at("FALSE", "ON", "OFF"):
            return f"{self.exprs(targets)} is set to {p.take().up.lower()}"
        return f"{self.exprs(targets)} is set to {self.expr(p.expr())}"

    def _set_true(self, target: Expr, expansion: Cond | None) -> str:
        info = self.glossary.condition(target.name)
        if info is not None and info.item is not None and info.values:
            item, value = self.named(info.item), value_text(info.values[0][0])
        elif expansion is not None and expansion.kind == "rel" and expansion.op == "=" \
                and expansion.left is not None and expansion.right is not None:
            item, value = self.expr(expansion.left), self.expr(expansion.right)
        else:
            return f"the condition {target.text} is set to true"
        self.mentioned.add(target.name)
        return f"{item} is set to {value} ({target.text})"

    def _initialize(self, p: Parser) -> str:
        return f"{self._targets(p)} is initialised"

    def _perform(self, p: Parser) -> str:
        if p.peek_kind() in ("word", "num") and p.peek_up() not in STOP_WORDS \
                and p.peek_up(1) != "TIMES":
            target = p.take().text
            what = f"paragraph {target} is performed"
            if p.at("THRU", "THROUGH"):
                p.take()
                what = f"paragraphs {target} through {p.take().text} are performed"
        else:
            what = "the statements that follow are performed"
        if p.peek_up(1) == "TIMES":
            count = self.expr(p.expr())
            p.take("TIMES")
            what += f" {count} times"
        if p.at("WITH"):
            p.take("WITH")
            p.take("TEST")
            p.take("AFTER", "BEFORE")
        if p.at("VARYING"):
            p.take()
            variable = self.expr(p.expr())
            p.take("FROM")
            start = self.expr(p.expr())
            p.take("BY")
            step = self.expr(p.expr())
            what += f" for {variable} from {start} in steps of {step}"
        if p.at("UNTIL"):
            p.take()
            what += f" until {self.cond(p.condition())}"
        return what

    def _go_to(self, p: Parser) -> str:
        targets = []
        while not p.done() and not p.at("DEPENDING"):
            targets.append(p.take().text)
        if p.at("DEPENDING"):
            p.take()
            if p.at("ON"):
                p.take()
            on = self.expr(p.expr())
            return f"control goes to {join_words(targets, 'or')} depending on {on}"
        if len(targets) != 1:
            raise Unparsable
        return f"control goes to {targets[0]}"

    def _call(self, p: Parser) -> str:
        program = p.expr()
        what = (f"program {program.text} is called" if program.kind == "lit"
                else f"the program named in {self.expr(program)} is called")
        if p.at("USING"):
            p.take()
            args: list[Expr] = []
            while not p.done() and not p.at("RETURNING"):
                if p.at(",", "BY", "REFERENCE", "CONTENT", "VALUE"):
                    p.take()
                    continue
                args.append(p.expr())
            what += f" with {self.exprs(args)}"
        if p.at("RETURNING"):
            p.take()
            what += f", returning {self.expr(p.expr())}"
        return what

    def _read(self, p: Parser) -> str:
        what = f"a record is read from {self.expr(p.reference())}"
        if p.at("NEXT", "PREVIOUS"):
            what = what.replace("a record", f"the {p.take().text.lower()} record", 1)
        if p.at("RECORD"):
            p.take()
        if p.at("INTO"):
            p.take()
            what += f" into {self.expr(p.expr())}"
        return what

    def _return(self, p: Parser) -> str:
        what = f"a record is returned from {self.expr(p.reference())}"
        if p.at("RECORD"):
            p.take()
        if p.at("INTO"):
            p.take()
            what += f" into {self.expr(p.expr())}"
        return what

    def _write(self, p: Parser, verb: str = "written") -> str:
        record = self.expr(p.reference())
        if p.at("FROM"):
            p.take()
            return f"{record} is {verb} from {self.expr(p.expr())}"
        return f"{record} is {verb}"

    def _rewrite(self, p: Parser) -> str:
        return self._write(p, "rewritten")

    def _release(self, p: Parser) -> str:
        return self._write(p, "released to the sort")

    def _delete(self, p: Parser) -> str:
        file = p.reference()
        if p.at("RECORD"):
            p.take()
        return f"a record is deleted from {self.expr(file)}"

    def _start(self, p: Parser) -> str:
        return f"{self.expr(p.reference())} is positioned for reading"

    def _open(self, p: Parser) -> str:
        clauses = []
        while not p.done():
            mode = p.take("INPUT", "OUTPUT", "I-O", "EXTEND").up
            files = []
            while not p.done() and not p.at(*_OPEN_MODES):
                if p.at(","):
                    p.take()
                    continue
                files.append(p.reference())
            verb = "are" if len(files) > 1 else "is"
            clauses.append(f"{self.exprs(files)} {verb} opened for {_OPEN_MODES[mode]}")
        return join_words(clauses)

    def _close(self, p: Parser) -> str:
        files = p.operands()
        if not files:
            raise Unparsable
        return f"{self.exprs(files)} {'are' if len(files) > 1 else 'is'} closed"

    def _display(self, p: Parser) -> str:
        items = []
        while not p.done() and not p.at("UPON"):
            items.append(p.expr())
        if p.at("UPON"):
            p.take()
            p.take()
        return f"{self.exprs(items)} {'are' if len(items) > 1 else 'is'} displayed"

    def _accept(self, p: Parser) -> str:
        target = self.expr(p.expr())
        if p.at("FROM"):
            p.take()
            return f"{target} is accepted from {p.take().text}"
        return f"{target} is accepted from the input"

    def _unstring(self, p: Parser) -> str:
        source = self.expr(p.expr())
        delimiters: list[Expr] = []
        if p.at("DELIMITED"):
            p.take()
            p.take("BY")
            delimiters.append(p.expr())
            while p.at("OR"):
                p.take()
                delimiters.append(p.expr())
        p.take("INTO")
        targets = self._targets(p)
        split = f" at {self.exprs(delimiters, 'or')}" if delimiters else ""
        return f"{source} is split{split} into {targets}"

    def _inspect(self, p: Parser) -> str:
        subject = self.expr(p.reference())
        if p.at("CONVERTING"):
            p.take()
            old = self.expr(p.expr())
            p.take("TO")
            new = self.expr(p.expr())
            return (f"in {subject}, each character of {old} is replaced by the matching "
                    f"character of {new}")
        p.take("REPLACING")
        pairs = []
        while not p.done():
            if p.at(","):
                p.take()
                continue
            old = self.expr(p.expr())
            p.take("BY")
            pairs.append((old, self.expr(p.expr())))
        if not pairs:
            raise Unparsable
        first, rest = pairs[0], pairs[1:]
        return f"in {subject}, " + join_words([f"{first[0]} is replaced by {first[1]}",
                                               *(f"{a} by {b}" for a, b in rest)])

    def _if(self, p: Parser) -> str:
        return f"whether {self.cond(p.condition())} is tested"

    def _evaluate(self, p: Parser) -> str:
        subjects = []
        while not p.done():
            if p.at("ALSO"):
                p.take()
                continue
            if p.at("TRUE", "FALSE"):
                subjects.append(p.take().up.lower())
                continue
            subjects.append(self.expr(p.expr()))
        return f"{join_words(subjects)} {'are' if len(subjects) > 1 else 'is'} evaluated"

    def _search(self, p: Parser) -> str:
        return f"the table {self.expr(p.reference())} is searched"

    def _search_all(self, p: Parser) -> str:
        return f"the table {self.expr(p.reference())} is searched (binary search)"

    def _sort(self, p: Parser) -> str:
        what = f"{self.expr(p.reference())} is sorted"
        if p.at("ON"):
            p.take()
            p.take("KEY")
            what += f" on {self._targets(p)}"
        while not p.done():
            word = p.take("USING", "GIVING", "INPUT", "OUTPUT").up
            if word in ("INPUT", "OUTPUT"):
                p.take("PROCEDURE")
                first = p.take().text
                procedure = first
                if p.at("THRU", "THROUGH"):
                    p.take()
                    procedure = f"{first} through {p.take().text}"
                what += f", {word.lower()} procedure {procedure}"
            else:
                what += f", {word.lower()} {self._targets(p)}"
        return what

    def _stop_run(self, p: Parser) -> str:
        return "the run stops"

    def _goback(self, p: Parser) -> str:
        return "control returns to the caller"

    _exit_program = _goback

    def _exit(self, p: Parser) -> str:
        return "the paragraph ends"

    def _exit_paragraph(self, p: Parser) -> str:
        return "control leaves the paragraph"

    def _exit_section(self, p: Parser) -> str:
        return "control leaves the section"

    def _continue(self, p: Parser) -> str:
        return "nothing is done"

    def _next(self, p: Parser) -> str:
        p.take("SENTENCE")
        return "control goes to the next sentence"
