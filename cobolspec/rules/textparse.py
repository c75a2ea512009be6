"""Reading the rules stage's normalised COBOL text into small trees.

Conditions, operands and statements of a rule unit arrive as text with one spelling for each
construct (:mod:`cobolspec.rules.conditions`): relations with symbolic operators, condition-names
followed by what they test (``ACCT-CLOSED (ACCT-STATUS = 'C')``), conditional phrases with their
statement (``AT END (READ RATE-FILE)``), literals exactly as written. :class:`Parser` reads
them by recursive descent; what it cannot read raises :class:`Unparsable` and the caller quotes
the text whole.

>>> c = parse_condition("NOT ACCT-CLOSED (ACCT-STATUS = 'C' OR 'X')")
>>> c.kind, c.parts[0].kind, c.parts[0].name, c.parts[0].parts[0].kind
('not', 'c88', 'ACCT-CLOSED', 'or')
>>> [t.text for t in tokens("MOVE 'A''B' TO X (1:2)")]
['MOVE', "'A''B'", 'TO', 'X', '(', '1', ':', '2', ')']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cobolspec.rules.glossary import FIGURATIVES

__all__ = ["PHRASES", "STOP_WORDS", "Cond", "Expr", "Parser", "Tok", "Unparsable",
           "parse_condition", "squash", "tokens"]


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"""
    (?P<lit>(?:NX|[XNGZB])?(?:'(?:[^']|'')*'|"(?:[^"]|"")*"))
  | (?P<num>\.\d+(?![\w$#@-]))
  | (?P<word>[A-Za-z0-9$#@_][A-Za-z0-9$#@_-]*(?:\.[A-Za-z0-9$#@_][A-Za-z0-9$#@_-]*)*)
  | (?P<op><=|>=|<>|\*\*|[-+*/=<>(),:&])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.X | re.S)


@dataclass(slots=True, frozen=True)
class Tok:
    kind: str  # lit, word, num, op, other
    text: str
    up: str = ""  # the text in upper case

    def __post_init__(self) -> None:
        if not self.up:
            object.__setattr__(self, "up", self.text.upper())


def tokens(text: str) -> list[Tok]:
    """COBOL-like text as literals, words, numbers and operators (spaces dropped)."""
    out: list[Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "space":
            continue
        value = m.group()
        if kind == "word" and re.fullmatch(r"\d+(\.\d+)?", value):
            kind = "num"
        elif kind == "word" and value.endswith("."):
            value = value.rstrip(".")
        out.append(Tok(kind, value))
    return out


# --------------------------------------------------------------------------- parse trees


@dataclass(slots=True)
class Expr:
    """An operand: ``name`` (with its written form), ``lit``, ``num``, ``fig``, ``func``,
    ``bin`` (op, left, right), ``neg``, ``paren`` or ``raw`` text."""

    kind: str
    text: str = ""
    name: str = ""
    op: str = ""
    parts: list[Expr] = field(default_factory=list)


@dataclass(slots=True)
class Cond:
    """A condition: ``rel`` (left op right [thru]), ``class`` (subject test), ``c88`` (name
    [expansion]), ``not``, ``and``, ``or`` or ``raw`` text."""

    kind: str
    op: str = ""
    left: Expr | None = None
    right: Expr | None = None
    thru: Expr | None = None
    negated: bool = False
    name: str = ""
    parts: list[Cond] = field(default_factory=list)
    text: str = ""


class Unparsable(Exception):
    pass


_REL_SYMBOLS = {"=", "<>", "<", ">", "<=", ">="}
# conditional phrases as the rules stage writes them, and their kind
PHRASES: dict[tuple[str, ...], str] = {
    ("AT", "END"): "AT END", ("INVALID", "KEY"): "INVALID KEY",
    ("ON", "SIZE", "ERROR"): "ON SIZE ERROR", ("SIZE", "ERROR"): "ON SIZE ERROR",
    ("ON", "EXCEPTION"): "ON EXCEPTION", ("EXCEPTION",): "ON EXCEPTION",
    ("ON", "OVERFLOW"): "ON OVERFLOW", ("OVERFLOW",): "ON OVERFLOW",
    ("AT", "END-OF-PAGE"): "AT END-OF-PAGE", ("END-OF-PAGE",): "AT END-OF-PAGE",
    ("NO", "DATA"): "NO DATA", ("WITH", "DATA"): "WITH DATA",
}
_PHRASE_STARTS = frozenset(words[0] for words in PHRASES)
_CLASS_TESTS = {"NUMERIC", "ALPHABETIC", "ALPHABETIC-LOWER", "ALPHABETIC-UPPER", "POSITIVE",
                "NEGATIVE", "ZERO", "DBCS", "KANJI", "OMITTED"}
STOP_WORDS = {"AND", "OR", "NOT", "IS", "THRU", "THROUGH", "TO", "FROM", "BY", "INTO", "GIVING",
               "USING", "UNTIL", "TIMES", "VARYING", "ROUNDED", "REMAINDER", "DELIMITED", "ALSO",
               "EQUAL", "GREATER", "LESS", "THAN", "WHEN", "OTHER", "OF", "IN", "ON", "SIZE",
               "ERROR", "END-EXEC", "DEPENDING", "CORRESPONDING", "CORR", "WITH", "POINTER",
               "COUNT", "TALLYING", "REPLACING", "AFTER", "BEFORE", "UPON", "KEY", "INVALID",
               "AT", "END", "NEXT", "RECORD", "THEN", "ELSE", "INPUT", "OUTPUT", "I-O",
               "EXTEND", "PROCEDURE", "RETURNING", "UP", "DOWN", "CONVERTING"}


class Parser:
    """Recursive descent over the normalised text of a condition, an expression or operands."""

    def __init__(self, text: str) -> None:
        self.toks = tokens(text)
        self.i = 0
        self.last_rel: tuple[Expr, str, bool] | None = None

    # ------------------------------------------------------------ helpers

    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def peek_up(self, k: int = 0) -> str:
        t = self.peek(k)
        return t.up if t is not None else ""

    def peek_kind(self, k: int = 0) -> str:
        t = self.peek(k)
        return t.kind if t is not None else ""

    def at(self, *words: str) -> bool:
        t = self.peek()
        return t is not None and t.kind in ("word", "op") and t.up in words

    def take(self, *words: str) -> Tok:
        t = self.peek()
        if t is None or (words and t.up not in words):
            raise Unparsable
        self.i += 1
        return t

    def done(self) -> bool:
        return self.i >= len(self.toks)

    # ------------------------------------------------------------ expressions

    def expr(self) -> Expr:
        left = self.term()
        while self.at("+", "-"):
            op = self.take().text
            left = Expr("bin", op=op, parts=[left, self.term()])
        return left

    def term(self) -> Expr:
        left = self.power()
        while self.at("*", "/"):
            op = self.take().text
            left = Expr("bin", op=op, parts=[left, self.power()])
        return left

    def power(self) -> Expr:
        base = self.unary()
        if self.at("**"):
            self.take()
            return Expr("bin", op="**", parts=[base, self.power()])
        return base

    def unary(self) -> Expr:
        if self.at("-", "+"):
            op = self.take().text
            if self.peek_kind() == "num":  # a signed literal, kept as written
                return Expr("num", text=op + self.take().text)
            inner = self.unary()
            return inner if op == "+" else Expr("neg", parts=[inner])
        return self.atom()

    def atom(self) -> Expr:
        t = self.peek()
        if t is None:
            raise Unparsable
        if t.kind == "lit":
            self.i += 1
            return Expr("lit", text=t.text)
        if t.kind == "num":
            self.i += 1
            return Expr("num", text=t.text)
        if t.text == "(":
            self.i += 1
            inner = self.expr()
            self.take(")")
            return Expr("paren", parts=[inner])
        if t.kind != "word" or t.up in STOP_WORDS:
            raise Unparsable
        if t.up == "ALL" and self.peek_kind(1) == "lit":
            self.i += 2
            return Expr("lit", text=f"ALL {self.toks[self.i - 1].text}")
        if t.up in FIGURATIVES:
            self.i += 1
            return Expr("fig", text=t.text)
        if t.up == "FUNCTION":
            self.i += 1
            name = self.take().text
            args: list[Expr] = []
            if self.at("("):
                self.take("(")
                while not self.at(")"):
                    if self.at(","):
                        self.take()
                        continue
                    args.append(self.expr())
                self.take(")")
            return Expr("func", name=name.upper(), text=f"FUNCTION {name}", parts=args)
        if t.up in ("LENGTH", "ADDRESS") and self.peek_up(1) == "OF":
            self.i += 2
            inner = self.atom()
            return Expr("func", name=t.up, text=f"{t.up} OF {inner.text}", parts=[inner])
        return self.reference()

    def reference(self) -> Expr:
        name = self.take().text
        written = name
        while self.at("OF", "IN") and self.peek_kind(1) == "word":
            written += f" {self.take().text} {self.take().text}"
        if self.at("("):
            save = self.i
            try:
                self.take("(")
                self.expr()
                while not self.at(")"):
                    if self.at(",", ":"):
                        self.take()
                        continue
                    self.expr()
                self.take(")")
                inside = " ".join(t.text for t in self.toks[save + 1:self.i - 1])
                written += "(" + inside.replace(" : ", ":").replace(" ,", ",") + ")"
            except Unparsable:
                self.i = save  # a parenthesis that is no subscript (an 88's expansion)
        return Expr("name", text=written, name=name.upper())

    def operands(self) -> list[Expr]:
        """Operands up to the next keyword (or the end)."""
        out: list[Expr] = []
        while not self.done() and not (self.peek_kind() == "word" and
                                       self.peek_up() in STOP_WORDS):
            if self.at(","):
                self.take()
                continue
            out.append(self.expr())
        return out

    # ------------------------------------------------------------ conditions

    def condition(self) -> Cond:
        parts = [self.cond_and()]
        while self.at("OR"):
            self.take()
            parts.append(self.cond_and())
        return parts[0] if len(parts) == 1 else Cond("or", parts=parts)

    def cond_and(self) -> Cond:
        parts = [self.cond_not()]
        while self.at("AND"):
            self.take()
            parts.append(self.cond_not())
        return parts[0] if len(parts) == 1 else Cond("and", parts=parts)

    def cond_not(self) -> Cond:
        if self.at("NOT"):
            self.take()
            if self.is_relation_op():  # abbreviated: A = 1 OR NOT 2 ... (NOT = 2)
                return self.abbreviated(negated=True)
            return Cond("not", parts=[self.cond_not()])
        return self.primary()

    def is_relation_op(self) -> bool:
        return self.at(*_REL_SYMBOLS, "EQUAL", "GREATER", "LESS")

    def primary(self) -> Cond:
        if self.at("("):
            save = self.i
            try:
                return self.simple()
            except Unparsable:
                self.i = save
            self.take("(")
            inner = self.condition()
            self.take(")")
            return inner
        return self.simple()

    def relation_op(self) -> str:
        if self.at(*_REL_SYMBOLS):
            return self.take().text
        word = self.take("EQUAL", "GREATER", "LESS").up
        if self.at("THAN"):
            self.take()
        if word == "EQUAL":
            if self.at("TO"):
                self.take()
            return "="
        op = ">" if word == "GREATER" else "<"
        if self.at("OR") and self.peek_up(1) == "EQUAL":
            self.i += 2
            if self.at("TO"):
                self.take()
            op += "="
        return op

    def abbreviated(self, negated: bool) -> Cond:
        if self.last_rel is None:
            raise Unparsable
        subject, op, _ = self.last_rel
        if self.is_relation_op():
            op = self.relation_op()
        right = self.expr()
        thru = self.thru()
        return Cond("rel", op=op, left=subject, right=right, thru=thru, negated=negated)

    def thru(self) -> Expr | None:
        if self.at("THRU", "THROUGH"):
            self.take()
            return self.expr()
        return None

    def phrase(self) -> Cond | None:
        """``AT END (READ RATE-FILE)``: a conditional phrase and the statement it belongs to."""
        if self.peek_up() not in _PHRASE_STARTS:
            return None
        for words in PHRASES:
            n = len(words)
            if [self.peek_up(k) for k in range(n)] == list(words) and self.peek_up(n) == "(":
                self.i += n + 1
                start = self.i
                depth = 1
                while depth:
                    t = self.take()
                    depth += {"(": 1, ")": -1}.get(t.text, 0)
                head = " ".join(t.text for t in self.toks[start:self.i - 1])
                return Cond("phrase", op=PHRASES[words], text=head)
        return None

    def simple(self) -> Cond:
        found = self.phrase()
        if found is not None:
            return found
        left = self.expr()
        if self.at("IS"):
            self.take()
        negated = False
        if self.at("NOT"):
            self.take()
            negated = True
        if self.is_relation_op():
            op = self.relation_op()
            right = self.expr()
            self.last_rel = (left, op, negated)
            return Cond("rel", op=op, left=left, right=right, thru=self.thru(), negated=negated)
        if self.at(*_CLASS_TESTS):
            return Cond("class", left=left, op=self.take().up, negated=negated)
        if self.peek_kind() == "word" and self.peek_up() not in STOP_WORDS \
                and self.peek_up(1) in ("", "AND", "OR", ")"):  # a CLASS of SPECIAL-NAMES
            return Cond("class", left=left, op=self.take().up, negated=negated, name="user")
        if negated:
            raise Unparsable
        if left.kind == "name":
            # a bare name is a condition-name (the rules stage prints abbreviated relations in
            # full), maybe followed by what it tests: ACCT-CLOSED (ACCT-STATUS = 'C')
            expansion = None
            if self.at("("):
                save = self.i
                try:
                    self.take("(")
                    expansion = Parser.sub(self)
                    self.take(")")
                except Unparsable:
                    self.i = save
                    expansion = None
            return Cond("c88", name=left.name, left=left,
                        parts=[expansion] if expansion else [])
        if left.kind in ("lit", "num", "fig") and self.last_rel is not None:
            subject, op, neg = self.last_rel
            return Cond("rel", op=op, left=subject, right=left, thru=self.thru(), negated=neg)
        raise Unparsable

    @staticmethod
    def sub(parser: Parser) -> Cond:
        saved = parser.last_rel
        parser.last_rel = None
        try:
            return parser.condition()
        finally:
            parser.last_rel = saved


def parse_condition(text: str) -> Cond:
    """A condition's tree; text that cannot be read becomes a ``raw`` node."""
    p = Parser(text)
    try:
        cond = p.condition()
        if not p.done():
            raise Unparsable
        return cond
    except Unparsable:
        return Cond("raw", text=squash(text))


_LITERAL_OR_SPACE = re.compile(r"""(?:NX|[XNGZB])?(?:'(?:[^']|'')*'|"(?:[^"]|"")*")|\s+""")


def squash(text: str) -> str:
    """Runs of white space made one space, except inside literals (kept as written).

    >>> squash("MOVE  '  A'   TO    X ")
    "MOVE '  A' TO X"
    """
    return _LITERAL_OR_SPACE.sub(lambda m: m.group() if m.group().strip() else " ",
                                 text).strip()
