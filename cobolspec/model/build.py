"""The one conversion from parse results to the typed AST (:mod:`cobolspec.model.ast`).

:class:`Builder` is a Lark ``Transformer`` run inline by the LALR parser: each method is named
after a grammar rule (or its alias) and receives the rule's children — keyword tokens included,
since the grammar keeps all tokens — and returns an AST node or a small intermediate value.
Before each unit is parsed, the driver points :attr:`Builder.source` at the source map so every
node gets its :class:`~cobolspec.diagnostics.Span` in the physical file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lark import Token, Transformer

from cobolspec.diagnostics import Span
from cobolspec.model import ast as A
from cobolspec.model.exec import build_exec
from cobolspec.source.sourcemap import SourceMap

_VALUE_TYPES = frozenset({"NAME", "INTEGER", "NUMBER", "ALNUM", "PICSTRING", "EXEC", "UNPARSED"})
_REL_OPS = {"gt": ">", "lt": "<", "eq": "=", "ge": ">=", "le": "<=", "ne": "<>"}
_NEGATED_OPS = {">": "<=", "<": ">=", "=": "<>", ">=": "<", "<=": ">", "<>": "="}


# ---------------------------------------------------------------- intermediate values


@dataclass(slots=True)
class Bare:
    """A bare operand inside a condition, resolved by :func:`finish_condition`."""

    expr: Any
    span: Span | None


@dataclass(slots=True)
class Abbrev:
    """``relop object`` with the subject implied (abbreviated combined relation)."""

    op: str
    expr: Any
    span: Span | None


@dataclass(slots=True)
class Paren:
    items: list[tuple[str, list[Any]]]


@dataclass(slots=True)
class Clause:
    """A data-description or SELECT clause: its kind and payload."""

    kind: str
    value: Any = None
    extra: Any = None


@dataclass(slots=True)
class Bunch:
    """A group of values some rule produced, tagged by the rule name."""

    kind: str
    items: list[Any]


def is_kw(child: Any) -> bool:
    return isinstance(child, Token) and child.type not in _VALUE_TYPES


def kws(children: Sequence[Any]) -> set[str]:
    """Upper-case keyword texts among the children."""
    return {str(c).upper() for c in children if is_kw(c)}


def vals(children: Sequence[Any]) -> list[Any]:
    """Children that are not keyword tokens."""
    return [c for c in children if not is_kw(c)]


def name_of(value: Any) -> str:
    if isinstance(value, A.Ident):
        return value.name
    if isinstance(value, A.Literal):
        return value.text.strip("'\"")
    return str(value).upper()


def data_refs(values: Sequence[Any]) -> list[A.Node]:
    """The operands that are references or literals (expressions flattened to their leaves)."""
    out: list[A.Node] = []
    for v in values:
        if isinstance(v, (A.Ident, A.Literal)):
            out.append(v)
            if isinstance(v, A.Ident):
                out.extend(data_refs(v.subscripts))
                out.extend(data_refs(v.refmod))
                out.extend(data_refs(v.args))
        elif isinstance(v, A.Node):
            out.extend(data_refs(list(v.child_nodes())))
        elif isinstance(v, (list, tuple)):
            out.extend(data_refs(v))
    return out


# ---------------------------------------------------------------- conditions


def finish_condition(node: Any) -> A.Node:
    """Resolve bare operands and abbreviated relations left to right (IBM LR "Abbreviated
    combined relation conditions"): an operand after a relation takes that relation's subject
    and operator; a bare operand with no relation before it is a condition-name."""
    state: dict[str, Any] = {"subject": None, "op": None}
    return _finish(node, state)


_CONDITIONS = (A.Relation, A.BoolOp, A.Not, A.ClassCondition, A.ConditionRef, Abbrev, Bare)


def _finish(node: Any, state: dict[str, Any]) -> A.Node:
    if isinstance(node, Bare) and isinstance(node.expr, _CONDITIONS):
        return _finish(node.expr, state)  # a parenthesised condition
    if isinstance(node, Bare):
        if state["subject"] is not None:
            return A.Relation(
                span=node.span,
                left=state["subject"],
                op=state["op"],
                right=node.expr,
                abbreviated=True,
            )
        return A.ConditionRef(span=node.span, ref=node.expr)
    if isinstance(node, Abbrev):
        subject = state["subject"]
        state["op"] = node.op
        if subject is None:
            return A.Relation(span=node.span, left=A.Literal(text="?", kind="missing"),
                              op=node.op, right=node.expr, abbreviated=True)
        return A.Relation(span=node.span, left=subject, op=node.op, right=node.expr,
                          abbreviated=True)
    if isinstance(node, A.Relation):
        state["subject"], state["op"] = node.left, node.op
        return node
    if isinstance(node, A.BoolOp):
        node.operands = [_finish(o, state) for o in node.operands]
        return node
    if isinstance(node, A.Not):
        node.operand = _finish(node.operand, state)
        return node
    return node  # class/sign conditions and parenthesised groups


def _expr_value(node: Any) -> Any:
    """A condition used where a value is meant (EVALUATE subject, WHEN object)."""
    return node.expr if isinstance(node, Bare) else node


# ---------------------------------------------------------------- the builder


class Builder(Transformer):
    """Grammar rule → AST node. See the module docstring."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.source: SourceMap | None = None
        self.exec_blocks: list[Any] = []

    # ------------------------------------------------------------ spans

    def _start(self, item: Any) -> int | None:
        if isinstance(item, Token):
            return item.start_pos
        span = getattr(item, "span", None)
        if isinstance(span, Span) and span.offset >= 0:
            return span.offset
        if isinstance(item, (list, tuple)) and item:
            return self._start(item[0])
        if isinstance(item, Bunch):
            return self._start(item.items)
        if isinstance(item, Clause):
            return self._start(item.value)
        return None

    def _end(self, item: Any) -> int | None:
        if isinstance(item, Token):
            return item.end_pos
        span = getattr(item, "span", None)
        if isinstance(span, Span) and span.end_offset >= 0:
            return span.end_offset
        if isinstance(item, (list, tuple)) and item:
            return self._end(item[-1])
        if isinstance(item, Bunch):
            return self._end(item.items)
        if isinstance(item, Clause):
            return self._end(item.extra if item.extra is not None and not isinstance(
                item.extra, (str, bool)) else item.value)
        return None

    def node_span(self, children: Sequence[Any]) -> Span | None:
        """Span from the first to the last child that has a position."""
        start = end = None
        for c in children:
            start = self._start(c)
            if start is not None:
                break
        for c in reversed(children):
            end = self._end(c)
            if end is not None:
                break
        if start is None or end is None:
            return None
        return self.span_offsets(start, end)

    def span_offsets(self, start: int, end: int) -> Span | None:
        smap = self.source
        if smap is None:
            return None
        return Span(smap.locate(start), smap.locate(max(start, end - 1)), start, end)

    def reset(self, source: SourceMap | None) -> None:
        """Point the builder at the source map of the next unit."""
        self.source = source
        self.exec_blocks = []

    # ------------------------------------------------------------ references

    def qualname(self, c: list[Any]) -> A.Ident:
        names = [str(t.value).upper() for t in c if isinstance(t, Token) and t.type == "NAME"]
        return A.Ident(span=self.node_span(c), name=names[0], qualifiers=names[1:])

    def ident(self, c: list[Any]) -> A.Ident:
        ref: A.Ident = c[0]
        for p in c[1:]:
            self._apply_paren(ref, p)
        if len(c) > 1:
            ref.span = self.node_span(c)
        return ref

    def _apply_paren(self, ref: A.Ident, paren: Paren) -> None:
        for kind, items in paren.items:
            if kind == "ref":
                ref.refmod = items
            elif kind == "all":
                ref.subscripts.append(A.Literal(text="ALL", kind="all"))
            else:
                ref.subscripts.extend(items)

    def function_ref(self, c: list[Any]) -> A.Ident:
        name = str(c[1].value).upper()
        ref = A.Ident(span=self.node_span(c), name=name, wrapper="FUNCTION")
        parens = [p for p in c[2:] if isinstance(p, Paren)]
        if parens and not any(k == "ref" for k, _ in parens[0].items):
            ref.args = [x for _, items in parens[0].items for x in items]
            parens = parens[1:]
        for p in parens:
            self._apply_paren(ref, p)
        return ref

    def length_of(self, c: list[Any]) -> A.Ident:
        inner = c[-1]
        return A.Ident(span=self.node_span(c), name=inner.name, wrapper="LENGTH OF", inner=inner)

    def address_of(self, c: list[Any]) -> A.Ident:
        inner = c[-1]
        return A.Ident(span=self.node_span(c), name=inner.name, wrapper="ADDRESS OF", inner=inner)

    def special_register(self, c: list[Any]) -> A.Ident:
        qual = [str(t.value).upper() for t in c[1:] if isinstance(t, Token) and t.type == "NAME"]
        return A.Ident(span=self.node_span(c), name=str(c[0]).upper(), qualifiers=qual,
                       wrapper="SPECIAL")

    def paren(self, c: list[Any]) -> Paren:
        return Paren([x for x in c if isinstance(x, tuple)])

    def subscript(self, c: list[Any]) -> tuple[str, list[Any]]:
        return ("sub", [_expr_value(c[0])])

    def refmod(self, c: list[Any]) -> tuple[str, list[Any]]:
        return ("ref", [_expr_value(x) for x in vals(c)])

    def subscript_all(self, c: list[Any]) -> tuple[str, list[Any]]:
        return ("all", [])

    # ------------------------------------------------------------ literals

    def lit_string(self, c: list[Any]) -> A.Literal:
        text = str(c[0])
        head = text[:2].upper()
        kind = "string"
        if head[0] in "XZ" and head[:1] != "'" and text[1:2] in "\"'":
            kind = "hex" if head[0] == "X" else "string"
        elif (head[0] in "NGU" and text[1:2] in "\"'") or head == "NX":
            kind = "national"
        return A.Literal(span=self.node_span(c), text=text, kind=kind)

    def lit_number(self, c: list[Any]) -> A.Literal:
        return A.Literal(span=self.node_span(c), text=str(c[0]), kind="numeric")

    def literal(self, c: list[Any]) -> A.Literal:
        # the one unaliased alternative of `literal`: a figurative constant
        return c[0]

    def figurative(self, c: list[Any]) -> A.Literal:
        return A.Literal(span=self.node_span(c), text=str(c[0]).upper(), kind="figurative")

    def all_literal(self, c: list[Any]) -> A.Literal:
        inner = c[1]
        text = inner.text if isinstance(inner, A.Literal) else str(inner)
        return A.Literal(span=self.node_span(c), text=f"ALL {text}", kind="all")

    # ------------------------------------------------------------ arithmetic

    def _bin(self, op: str, c: list[Any]) -> A.BinaryOp:
        return A.BinaryOp(span=self.node_span(c), op=op, left=_expr_value(c[0]),
                          right=_expr_value(c[-1]))

    def add(self, c: list[Any]) -> A.BinaryOp:
        return self._bin("+", c)

    def sub(self, c: list[Any]) -> A.BinaryOp:
        return self._bin("-", c)

    def mul(self, c: list[Any]) -> A.BinaryOp:
        return self._bin("*", c)

    def div(self, c: list[Any]) -> A.BinaryOp:
        return self._bin("/", c)

    def pow(self, c: list[Any]) -> A.BinaryOp:
        return self._bin("**", c)

    def pos(self, c: list[Any]) -> A.UnaryOp:
        return A.UnaryOp(span=self.node_span(c), op="+", operand=_expr_value(c[-1]))

    def neg(self, c: list[Any]) -> A.UnaryOp:
        return A.UnaryOp(span=self.node_span(c), op="-", operand=_expr_value(c[-1]))

    def group(self, c: list[Any]) -> Any:
        inner = c[1]
        if isinstance(inner, Bare):
            return inner.expr
        return inner

    # ------------------------------------------------------------ conditions

    def or_(self, c: list[Any]) -> A.BoolOp:
        return self._bool("OR", c)

    def and_(self, c: list[Any]) -> A.BoolOp:
        return self._bool("AND", c)

    def _bool(self, op: str, c: list[Any]) -> A.BoolOp:
        operands: list[Any] = []
        for x in vals(c):
            if isinstance(x, A.BoolOp) and x.op == op:
                operands.extend(x.operands)
            else:
                operands.append(x)
        return A.BoolOp(span=self.node_span(c), op=op, operands=operands)

    def not_(self, c: list[Any]) -> A.Not:
        return A.Not(span=self.node_span(c), operand=c[-1])

    def bare(self, c: list[Any]) -> Bare:
        sp = self.node_span(c)
        return Bare(c[0], sp)

    def relation(self, c: list[Any]) -> A.Relation:
        return A.Relation(span=self.node_span(c), left=_expr_value(c[0]), op=c[1],
                          right=_expr_value(c[2]))

    def abbrev(self, c: list[Any]) -> Abbrev:
        return Abbrev(c[0], _expr_value(c[1]), self.node_span(c))

    def rel(self, c: list[Any]) -> str:
        return str(c[-1])

    def rel_not(self, c: list[Any]) -> str:
        return _NEGATED_OPS[str(c[-1])]

    def gt(self, c: list[Any]) -> str:
        return ">"

    def lt(self, c: list[Any]) -> str:
        return "<"

    def eq(self, c: list[Any]) -> str:
        return "="

    def ge(self, c: list[Any]) -> str:
        return ">="

    def le(self, c: list[Any]) -> str:
        return "<="

    def ne(self, c: list[Any]) -> str:
        return "<>"

    def _class(self, c: list[Any], negated: bool) -> A.ClassCondition:
        text = str(c[-1]).upper()
        return A.ClassCondition(span=self.node_span(c), subject=_expr_value(c[0]), test=text,
                                negated=negated)

    def class_cond(self, c: list[Any]) -> A.ClassCondition:
        return self._class(c, False)

    def not_class_cond(self, c: list[Any]) -> A.ClassCondition:
        return self._class(c, True)

    sign_cond = class_cond
    not_sign_cond = not_class_cond

    def omitted_cond(self, c: list[Any]) -> A.ClassCondition:
        return A.ClassCondition(span=self.node_span(c), subject=c[0], test="OMITTED")

    def not_omitted_cond(self, c: list[Any]) -> A.ClassCondition:
        return A.ClassCondition(span=self.node_span(c), subject=c[0], test="OMITTED",
                                negated=True)

    def class_kw(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    def sign_name(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    def cond(self, c: list[Any]) -> Any:  # pragma: no cover - ?cond is always inlined
        return c[0]

    # ------------------------------------------------------------ procedure: shared pieces

    def _stmt(self, cls: type[A.Statement], verb: str, c: list[Any], **kw: Any) -> Any:
        phrases = [x for x in c if isinstance(x, A.Phrase)]
        return cls(span=self.node_span(c), verb=verb, phrases=phrases, **kw)

    def stmts(self, c: list[Any]) -> list[A.Statement]:
        return [s for s in c if isinstance(s, A.Statement)]

    def next_sentence(self, c: list[Any]) -> str:
        return "NEXT SENTENCE"

    def unparsed_stmt(self, c: list[Any]) -> A.UnparsedStatement:
        tok = c[0]
        return A.UnparsedStatement(span=self.node_span(c), verb=_first_word(str(tok)),
                                   text=str(tok))

    def exec_stmt(self, c: list[Any]) -> A.ExecStmt:
        return self._exec(c[0])

    def _exec(self, tok: Token) -> A.ExecStmt:
        text = str(tok)
        sp = self.span_offsets(tok.start_pos or 0, tok.end_pos or 0)
        words = text.split(None, 2)
        lang = words[1].upper() if len(words) > 1 else ""
        body = text[text.upper().find(lang) + len(lang):] if lang else ""
        if body.upper().rstrip().endswith("END-EXEC"):
            body = body.rstrip()[:-8]
        block = build_exec(lang, body, sp)
        self.exec_blocks.append(block)
        reads: list[A.Node] = []
        writes: list[A.Node] = []
        if block.cics is not None:
            reads = [_named_ref(n, sp) for n in block.cics.reads]
            writes = [_named_ref(n, sp) for n in block.cics.writes]
        elif block.dli is not None:
            reads = [_named_ref(n, sp) for n in block.dli.reads]
            writes = [_named_ref(n, sp) for n in block.dli.writes]
        elif block.sql is not None:
            reads = [_named_ref(h.data_name, sp) for h in block.sql.inputs]
            writes = [_named_ref(h.data_name, sp) for h in block.sql.outputs]
            # an indicator goes the way of its host variable (DB2 sets it on output)
            reads += [_named_ref(n, sp) for h in block.sql.inputs
                      if (n := h.indicator_data_name) is not None]
            writes += [_named_ref(n, sp) for h in block.sql.outputs
                       if (n := h.indicator_data_name) is not None]
        return A.ExecStmt(span=sp, verb="EXEC " + lang if lang else "EXEC", lang=lang,
                          text=text, block=block, reads=reads, writes=writes)

    def _phrase(self, kind: str, c: list[Any]) -> A.Phrase:
        body = next((x for x in c if isinstance(x, list)), [])
        return A.Phrase(span=self.node_span(c), kind=kind, statements=body)

    def on_size_error(self, c: list[Any]) -> A.Phrase:
        return self._phrase("ON SIZE ERROR", c)

    def not_on_size_error(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT ON SIZE ERROR", c)

    def at_end(self, c: list[Any]) -> A.Phrase:
        return self._phrase("AT END", c)

    def not_at_end(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT AT END", c)

    def invalid_key(self, c: list[Any]) -> A.Phrase:
        return self._phrase("INVALID KEY", c)

    def not_invalid_key(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT INVALID KEY", c)

    def on_exception(self, c: list[Any]) -> A.Phrase:
        return self._phrase("ON EXCEPTION", c)

    def not_on_exception(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT ON EXCEPTION", c)

    def on_overflow(self, c: list[Any]) -> A.Phrase:
        return self._phrase("ON OVERFLOW", c)

    def not_on_overflow(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT ON OVERFLOW", c)

    def at_eop(self, c: list[Any]) -> A.Phrase:
        return self._phrase("AT END-OF-PAGE", c)

    def not_at_eop(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NOT AT END-OF-PAGE", c)

    def no_data(self, c: list[Any]) -> A.Phrase:
        return self._phrase("NO DATA", c)

    def with_data(self, c: list[Any]) -> A.Phrase:
        return self._phrase("WITH DATA", c)

    def target(self, c: list[Any]) -> Clause:
        return Clause("target", c[0], "ROUNDED" if len(c) > 1 else None)

    def giving(self, c: list[Any]) -> Bunch:
        return Bunch("giving", [t for t in c if isinstance(t, Clause)])

    def remainder(self, c: list[Any]) -> Bunch:
        return Bunch("remainder", [c[-1]])

    def corresponding(self, c: list[Any]) -> str:
        return "CORRESPONDING"

    def proc_number(self, c: list[Any]) -> A.Ident:
        return A.Ident(span=self.node_span(c), name=str(c[0]))

    def proc_range(self, c: list[Any]) -> Bunch:
        return Bunch("range", vals(c))

    # ------------------------------------------------------------ arithmetic

    def _arith(self, verb: str, c: list[Any]) -> A.Statement:
        sources: list[Any] = []
        targets: list[Clause] = []
        giving: list[Any] = []
        remainder: list[Any] = []
        divide_by = False
        seen_target_kw = False
        targets_rounded = False
        for x in c:
            if isinstance(x, Token) and str(x).upper() in ("TO", "FROM", "BY", "INTO", "="):
                seen_target_kw = True
            elif isinstance(x, Clause):
                targets.append(x)
            elif isinstance(x, Bunch) and x.kind == "giving":
                giving.extend(t.value for t in x.items)
                targets_rounded = targets_rounded or any(t.extra for t in x.items)
            elif isinstance(x, Bunch) and x.kind == "remainder":
                remainder.extend(x.items)
            elif x == "by-divisor":
                divide_by = True
                seen_target_kw = True
            elif x == "into-dividend":
                seen_target_kw = True
            elif isinstance(x, (A.Ident, A.Literal)) and not seen_target_kw:
                sources.append(x)
        target_values = [t.value for t in targets]
        reads = list(sources) + target_values
        writes = list(giving) + list(remainder)
        if not giving:
            writes = target_values + writes
        if verb == "DIVIDE" and divide_by:
            writes = list(giving) + list(remainder)
        details: dict[str, str] = {}
        if "CORRESPONDING" in c:
            details["corresponding"] = "yes"
        if targets_rounded or any(t.extra for t in targets):
            details["rounded"] = "yes"
        if verb == "DIVIDE":
            # DIVIDE a INTO b: b / a; DIVIDE a BY b: a / b
            details["divide"] = "BY" if divide_by else "INTO"
            if remainder:
                details["remainder"] = name_of(remainder[0])
        if giving:
            details["giving"] = " ".join(name_of(g) for g in giving)
        return self._stmt(A.Statement, verb, c, reads=reads, writes=writes,
                          details=details)

    def add_stmt(self, c: list[Any]) -> A.Statement:
        return self._arith("ADD", c)

    def subtract_stmt(self, c: list[Any]) -> A.Statement:
        return self._arith("SUBTRACT", c)

    def multiply_stmt(self, c: list[Any]) -> A.Statement:
        return self._arith("MULTIPLY", c)

    def divide_stmt(self, c: list[Any]) -> A.Statement:
        return self._arith("DIVIDE", c)

    def into(self, c: list[Any]) -> str:
        return "into-dividend"

    def by(self, c: list[Any]) -> str:
        return "by-divisor"

    def compute_stmt(self, c: list[Any]) -> A.Statement:
        targets = [x for x in c if isinstance(x, Clause)]
        expr = next((x for x in c if isinstance(x, A.Node) and x not in
                     [t.value for t in targets]), None)
        expr_node = expr if expr is not None else A.Literal(text="?", kind="missing")
        details = {"rounded": "yes"} if any(t.extra for t in targets) else {}
        st = self._stmt(A.Statement, "COMPUTE", c, reads=[expr_node],
                        writes=[t.value for t in targets], details=details)
        return st

    # ------------------------------------------------------------ data movement

    def move_stmt(self, c: list[Any]) -> A.Statement:
        values = [x for x in c if isinstance(x, (A.Ident, A.Literal))]
        details = {"corresponding": "yes"} if "CORRESPONDING" in c else {}
        return self._stmt(A.Statement, "MOVE", c, reads=values[:1], writes=values[1:],
                          details=details)

    def initialize_stmt(self, c: list[Any]) -> A.Statement:
        targets = [x for x in c if isinstance(x, A.Ident)]
        reads = [v for x in c if isinstance(x, Bunch) for v in x.items]
        return self._stmt(A.Statement, "INITIALIZE", c, reads=reads,
                          writes=targets)

    def init_replacing(self, c: list[Any]) -> Bunch:
        return Bunch("replacing", [x for x in c if isinstance(x, (A.Ident, A.Literal))])

    def set_stmt(self, c: list[Any]) -> A.Statement:
        reads: list[Any] = []
        writes: list[Any] = []
        details: dict[str, str] = {}
        for x in c:
            if isinstance(x, Bunch):
                reads.extend(x.items[1])
                writes.extend(x.items[0])
                details["form"] = x.kind
                if x.kind == "TO" and x.items[2]:
                    details["value"] = x.items[2]
        return self._stmt(A.Statement, "SET", c, reads=reads, writes=writes,
                          details=details)

    def set_to(self, c: list[Any]) -> Bunch:
        targets = [x for x in c if isinstance(x, A.Ident)]
        value = c[-1]
        reads: list[Any] = []
        word = ""
        if isinstance(value, Bunch):
            reads = value.items
            word = value.kind
        return Bunch("TO", [targets, reads, word])

    def set_value(self, c: list[Any]) -> Bunch:
        v = vals(c)
        if v:
            return Bunch("", [x for x in v if isinstance(x, A.Node)])
        return Bunch(" ".join(str(t).upper() for t in c), [])

    def set_up(self, c: list[Any]) -> Bunch:
        targets = [x for x in c if isinstance(x, A.Ident)]
        return Bunch("UP BY", [targets[:-1] if len(targets) > 1 and c[-1] is targets[-1]
                               else targets, targets + [x for x in c if isinstance(x, A.Literal)],
                               ""])

    def set_down(self, c: list[Any]) -> Bunch:
        b = self.set_up(c)
        b.kind = "DOWN BY"
        return b

    def string_stmt(self, c: list[Any]) -> A.Statement:
        reads: list[Any] = []
        writes: list[Any] = []
        into = False
        for x in c:
            if isinstance(x, Bunch) and x.kind == "string_part":
                reads.extend(x.items)
            elif isinstance(x, Token) and str(x).upper() == "INTO":
                into = True
            elif isinstance(x, A.Ident) and into:
                writes.append(x)
            elif isinstance(x, Bunch) and x.kind == "pointer":
                reads.extend(x.items)
                writes.extend(x.items)
        return self._stmt(A.Statement, "STRING", c, reads=reads,
                          writes=writes)

    def string_part(self, c: list[Any]) -> Bunch:
        return Bunch("string_part", [x for x in c if isinstance(x, (A.Ident, A.Literal))])

    def pointer(self, c: list[Any]) -> Bunch:
        return Bunch("pointer", [c[-1]])

    def unstring_stmt(self, c: list[Any]) -> A.Statement:
        reads: list[Any] = [c[1]]
        writes: list[Any] = []
        for x in c[2:]:
            if isinstance(x, Bunch):
                if x.kind == "delims":
                    reads.extend(x.items)
                elif x.kind == "into":
                    writes.extend(x.items)
                else:  # pointer, tallying
                    reads.extend(x.items)
                    writes.extend(x.items)
        return self._stmt(A.Statement, "UNSTRING", c, reads=reads,
                          writes=writes)

    def unstring_delims(self, c: list[Any]) -> Bunch:
        return Bunch("delims", [v for x in c if isinstance(x, Bunch) for v in x.items])

    def unstring_delim(self, c: list[Any]) -> Bunch:
        return Bunch("delim", [x for x in c if isinstance(x, (A.Ident, A.Literal))])

    def unstring_into(self, c: list[Any]) -> Bunch:
        return Bunch("into", [x for x in c if isinstance(x, A.Ident)])

    def unstring_tally(self, c: list[Any]) -> Bunch:
        return Bunch("tally", [c[-1]])

    def inspect_stmt(self, c: list[Any]) -> A.Statement:
        subject = c[1]
        reads: list[Any] = [subject]
        writes: list[Any] = []
        modes = []
        for x in c[2:]:
            if isinstance(x, Bunch):
                modes.append(x.kind)
                reads.extend(x.items[0])
                writes.extend(x.items[1])
        if "REPLACING" in modes or "CONVERTING" in modes:
            writes.append(subject)
        return self._stmt(A.Statement, "INSPECT", c, reads=reads, writes=writes,
                          details={"mode": " ".join(modes)})

    def inspect_tallying(self, c: list[Any]) -> Bunch:
        counters = [x.value for x in c if isinstance(x, Clause) and x.kind == "for"]
        operands = data_refs([x for x in c if not isinstance(x, Clause) or x.kind != "for"])
        return Bunch("TALLYING", [operands + counters, counters])

    def tally_for(self, c: list[Any]) -> Clause:
        return Clause("for", c[0])

    def tally_value(self, c: list[Any]) -> Any:
        return c[0]

    def inspect_replacing(self, c: list[Any]) -> Bunch:
        return Bunch("REPLACING", [data_refs(c), []])

    def inspect_converting(self, c: list[Any]) -> Bunch:
        return Bunch("CONVERTING", [data_refs(c), []])

    def _operand_list(self, c: list[Any]) -> list[Any]:
        """The operands of an INSPECT phrase, nested phrases flattened (not yet expanded)."""
        out: list[Any] = []
        for x in c:
            if isinstance(x, (A.Ident, A.Literal)):
                out.append(x)
            elif isinstance(x, list):
                out.extend(x)
        return out

    replace_characters = replace_all = replace_leading = replace_first = _operand_list
    replace_pair = before = after = _operand_list

    # ------------------------------------------------------------ control flow

    def if_stmt(self, c: list[Any]) -> A.IfStmt:
        cond = finish_condition(c[1])
        then: list[A.Statement] = []
        then_next = False
        else_: list[A.Statement] | None = None
        else_next = False
        for x in c[2:]:
            if isinstance(x, list):
                then = x
            elif x == "NEXT SENTENCE":
                then_next = True
            elif isinstance(x, Bunch) and x.kind == "else":
                body = x.items[0]
                if body == "NEXT SENTENCE":
                    else_, else_next = [], True
                else:
                    else_ = body
        return A.IfStmt(span=self.node_span(c), verb="IF", condition=cond, then=then,
                        else_=else_, then_next_sentence=then_next,
                        else_next_sentence=else_next, reads=data_refs([cond]))

    def else_part(self, c: list[Any]) -> Bunch:
        return Bunch("else", [c[1]])

    def evaluate_stmt(self, c: list[Any]) -> A.EvaluateStmt:
        subjects = [x for x in c if isinstance(x, Bunch) and x.kind == "subject"]
        whens = [x for x in c if isinstance(x, A.WhenClause)]
        subject_nodes = [s.items[0] for s in subjects]
        reads = data_refs(subject_nodes) + data_refs([o for w in whens for o in w.objects])
        return A.EvaluateStmt(span=self.node_span(c), verb="EVALUATE", subjects=subject_nodes,
                              whens=whens, reads=reads)

    def eval_subject(self, c: list[Any]) -> Bunch:
        x = c[0]
        node = x.expr if isinstance(x, Bare) else finish_condition(x)
        return Bunch("subject", [node])

    def eval_true(self, c: list[Any]) -> Bunch:
        return Bunch("subject", [A.Literal(span=self.node_span(c), text="TRUE", kind="boolean")])

    def eval_false(self, c: list[Any]) -> Bunch:
        return Bunch("subject", [A.Literal(span=self.node_span(c), text="FALSE", kind="boolean")])

    def when_clause(self, c: list[Any]) -> A.WhenClause:
        objects = [x.items for x in c if isinstance(x, Bunch) and x.kind == "when"]
        body = next((x for x in c if isinstance(x, list)), [])
        return A.WhenClause(span=self.node_span(c), objects=objects, statements=body)

    def when_head(self, c: list[Any]) -> Bunch:
        return Bunch("when", [x for x in c if isinstance(x, A.WhenObject)])

    def when_other(self, c: list[Any]) -> A.WhenClause:
        body = next((x for x in c if isinstance(x, list)), [])
        return A.WhenClause(span=self.node_span(c), statements=body, other=True)

    def when_any(self, c: list[Any]) -> A.WhenObject:
        return A.WhenObject(span=self.node_span(c), kind="any")

    def when_true(self, c: list[Any]) -> A.WhenObject:
        return A.WhenObject(span=self.node_span(c), kind="true")

    def when_false(self, c: list[Any]) -> A.WhenObject:
        return A.WhenObject(span=self.node_span(c), kind="false")

    def when_value(self, c: list[Any]) -> A.WhenObject:
        x = c[0]
        negated = isinstance(x, A.Not)
        inner = x.operand if isinstance(x, A.Not) else x
        if isinstance(inner, Bare) and not isinstance(inner.expr, _CONDITIONS):
            return A.WhenObject(span=self.node_span(c), kind="value", value=inner.expr,
                                negated=negated)
        return A.WhenObject(span=self.node_span(c), kind="condition",
                            value=finish_condition(x))

    def when_range(self, c: list[Any]) -> A.WhenObject:
        x = c[0]
        negated = False
        if isinstance(x, A.Not):
            negated, x = True, x.operand
        low = x.expr if isinstance(x, Bare) else x
        return A.WhenObject(span=self.node_span(c), kind="range", value=low, thru=c[-1],
                            negated=negated)

    def perform_outline(self, c: list[Any]) -> A.PerformStmt:
        rng = next(x for x in c if isinstance(x, Bunch) and x.kind == "range")
        st = self._perform(c)
        first = rng.items[0]
        st.target = first.name
        st.target_qualifier = first.qualifiers[0] if first.qualifiers else None
        if len(rng.items) > 1:
            st.thru = rng.items[1].name
        return st

    def perform_inline(self, c: list[Any]) -> A.PerformStmt:
        st = self._perform(c)
        st.body = next((x for x in c if isinstance(x, list)), [])
        return st

    def _perform(self, c: list[Any]) -> A.PerformStmt:
        st = A.PerformStmt(span=self.node_span(c), verb="PERFORM")
        for x in c:
            if isinstance(x, Bunch) and x.kind == "times":
                st.times = x.items[0]
                st.reads.extend(data_refs(x.items))
            elif isinstance(x, Bunch) and x.kind == "until":
                st.until, st.test_after = x.items[0], x.items[1]
                st.reads.extend(data_refs(x.items[:1]))
            elif isinstance(x, Bunch) and x.kind == "varying":
                st.varying = x.items[0]
                st.test_after = x.items[1]
                for v in st.varying:
                    st.reads.extend(data_refs([v.start, v.step, v.until]))
                    st.writes.append(v.variable)
        return st

    def perform_times(self, c: list[Any]) -> Bunch:
        x = c[0]
        if isinstance(x, Token):
            x = A.Literal(span=self.node_span(c[:1]), text=str(x), kind="numeric")
        return Bunch("times", [x])

    def perform_until(self, c: list[Any]) -> Bunch:
        after = any(isinstance(x, Bunch) and x.kind == "test" and x.items[0] for x in c)
        return Bunch("until", [finish_condition(c[-1]), after])

    def perform_varying(self, c: list[Any]) -> Bunch:
        after = any(isinstance(x, Bunch) and x.kind == "test" and x.items[0] for x in c)
        return Bunch("varying", [[x for x in c if isinstance(x, A.VaryingClause)], after])

    def varying_clause(self, c: list[Any]) -> A.VaryingClause:
        v = vals(c)
        return A.VaryingClause(span=self.node_span(c), variable=v[0], start=v[1], step=v[2],
                               until=finish_condition(v[3]))

    def test_phrase(self, c: list[Any]) -> Bunch:
        return Bunch("test", [str(c[-1]).upper() == "AFTER"])

    def goto_stmt(self, c: list[Any]) -> A.GoToStmt:
        targets: list[str] = []
        depending = None
        seen_dep = False
        for x in c:
            if isinstance(x, Token) and str(x).upper() == "DEPENDING":
                seen_dep = True
            elif isinstance(x, A.Ident):
                if seen_dep:
                    depending = x
                else:
                    targets.append(x.name)
        return A.GoToStmt(span=self.node_span(c), verb="GO TO", targets=targets,
                          depending_on=depending, reads=[depending] if depending else [])

    def alter_stmt(self, c: list[Any]) -> A.AlterStmt:
        pairs = [tuple(x.items) for x in c if isinstance(x, Bunch)]
        return A.AlterStmt(span=self.node_span(c), verb="ALTER", pairs=pairs)

    def alter_clause(self, c: list[Any]) -> Bunch:
        names = [x.name for x in c if isinstance(x, A.Ident)]
        return Bunch("alter", [names[0], names[-1]])

    def exit_stmt(self, c: list[Any]) -> A.Statement:
        kind = " ".join(str(t).upper() for t in c[1:] if isinstance(t, Token))
        if len(c) > 1 and isinstance(c[1], str) and not isinstance(c[1], Token):
            kind = c[1]
        verb = "EXIT " + kind if kind else "EXIT"
        return A.Statement(span=self.node_span(c), verb=verb.strip())

    def exit_kind(self, c: list[Any]) -> str:
        return " ".join(str(t).upper() for t in c)

    def goback_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="GOBACK", reads=data_refs(vals(c)))

    def stop_run(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="STOP RUN", reads=data_refs(vals(c)))

    def stop_literal(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="STOP", reads=data_refs(vals(c)))

    def continue_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="CONTINUE")

    def search_stmt(self, c: list[Any]) -> A.SearchStmt:
        table = next(x for x in c if isinstance(x, A.Ident))
        whens = [x for x in c if isinstance(x, A.WhenClause)]
        varying = [x for x in c if isinstance(x, A.Ident) and x is not table]
        st = A.SearchStmt(span=self.node_span(c), verb="SEARCH ALL" if "ALL" in kws(c)
                          else "SEARCH", table=table, all="ALL" in kws(c), whens=whens,
                          phrases=[x for x in c if isinstance(x, A.Phrase)])
        st.reads = [table, *data_refs([w.objects for w in whens])]
        st.writes = list[A.Node](varying)
        return st

    def search_when(self, c: list[Any]) -> A.WhenClause:
        cond = finish_condition(c[1])
        body = next((x for x in c if isinstance(x, list)), [])
        return A.WhenClause(span=self.node_span(c), objects=[[cond]], statements=body)

    # ------------------------------------------------------------ programs

    def call_stmt(self, c: list[Any]) -> A.CallStmt:
        program = c[1]
        using: list[tuple[str, A.Node]] = []
        returning = None
        for x in c:
            if isinstance(x, Bunch) and x.kind == "using":
                using = x.items
            elif isinstance(x, Bunch) and x.kind == "returning":
                returning = x.items[0]
        reads: list[A.Node] = [program] if isinstance(program, A.Ident) else []
        reads += [n for _, n in using]
        writes: list[Any] = [n for mode, n in using if mode == "REFERENCE"
                             and isinstance(n, A.Ident)]
        if returning is not None:
            writes.append(returning)
        return A.CallStmt(span=self.node_span(c), verb="CALL", program=program, using=using,
                          returning=returning, reads=reads, writes=writes,
                          phrases=[x for x in c if isinstance(x, A.Phrase)])

    def call_using(self, c: list[Any]) -> Bunch:
        return Bunch("using", [p for x in c if isinstance(x, Bunch) for p in x.items])

    def using_group(self, c: list[Any]) -> Bunch:
        mode = "REFERENCE"
        out: list[tuple[str, Any]] = []
        for x in c:
            if isinstance(x, str) and not isinstance(x, Token) and x.startswith("BY "):
                mode = x[3:]
            elif isinstance(x, A.Node):
                out.append((mode, x))
            elif x == "OMITTED":
                out.append((mode, A.Literal(text="OMITTED", kind="figurative")))
        return Bunch("group", out)

    def by_reference(self, c: list[Any]) -> str:
        return "BY REFERENCE"

    def by_content(self, c: list[Any]) -> str:
        return "BY CONTENT"

    def by_value(self, c: list[Any]) -> str:
        return "BY VALUE"

    def omitted(self, c: list[Any]) -> str:
        return "OMITTED"

    def call_returning(self, c: list[Any]) -> Bunch:
        return Bunch("returning", [c[-1]])

    def cancel_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="CANCEL", reads=data_refs(vals(c)))

    def entry_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="ENTRY", details={"name": name_of(c[1])})

    def invoke_stmt(self, c: list[Any]) -> A.Statement:
        reads: list[A.Node] = []
        writes: list[A.Node] = []
        returning = False
        for x in c[1:]:
            if isinstance(x, Token) and str(x).upper() == "RETURNING":
                returning = True
            elif isinstance(x, Bunch) and x.kind == "group":
                reads.extend(n for _, n in x.items)
            elif isinstance(x, (A.Ident, A.Literal)):
                (writes if returning else reads).append(x)
        return self._stmt(A.Statement, "INVOKE", c, reads=reads, writes=writes)

    def procedure_header(self, c: list[Any]) -> A.ProcedureDivision:
        using: list[tuple[str, A.Node]] = []
        returning = None
        seen_returning = False
        for x in c:
            if isinstance(x, Bunch) and x.kind == "group":
                using.extend(x.items)
            elif isinstance(x, Token) and str(x).upper() == "RETURNING":
                seen_returning = True
            elif seen_returning and isinstance(x, A.Ident):
                returning = x
        return A.ProcedureDivision(span=self.node_span(c), using=using, returning=returning)

    # ------------------------------------------------------------ terminal I/O

    def accept_stmt(self, c: list[Any]) -> A.Statement:
        details = {}
        src = next((x for x in c if isinstance(x, Bunch) and x.kind == "from"), None)
        if src is not None:
            details["from"] = src.items[0]
        return self._stmt(A.Statement, "ACCEPT", c, writes=[c[1]],
                          details=details)

    def accept_message_count(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="ACCEPT", writes=[c[1]],
                           details={"from": "MESSAGE COUNT"})

    def from_date(self, c: list[Any]) -> Bunch:
        return Bunch("from", [" ".join(str(t).upper() for t in c)])

    from_day = from_date
    from_day_of_week = from_date
    from_time = from_date

    def from_device(self, c: list[Any]) -> Bunch:
        return Bunch("from", [str(c[0])])

    def display_stmt(self, c: list[Any]) -> A.Statement:
        reads: list[Any] = []
        details: dict[str, str] = {}
        upon = False
        for x in c:
            if isinstance(x, Token) and str(x).upper() == "UPON":
                upon = True
            elif isinstance(x, (A.Ident, A.Literal)):
                if upon:
                    details["upon"] = name_of(x)
                else:
                    reads.append(x)
        return self._stmt(A.Statement, "DISPLAY", c, reads=reads,
                          details=details)

    # ------------------------------------------------------------ file I/O

    def open_stmt(self, c: list[Any]) -> A.Statement:
        groups = [x for x in c if isinstance(x, Bunch)]
        details = {g.items[0]: " ".join(name_of(f) for f in g.items[1]) for g in groups}
        files = [f for g in groups for f in g.items[1]]
        return A.Statement(span=self.node_span(c), verb="OPEN", reads=files, details=details)

    def open_group(self, c: list[Any]) -> Bunch:
        mode = str(c[0]) if isinstance(c[0], str) else "INPUT"
        return Bunch("open", [mode, [x for x in c if isinstance(x, A.Ident)]])

    def open_mode(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    def open_file(self, c: list[Any]) -> A.Ident:
        return c[0]

    def close_stmt(self, c: list[Any]) -> A.Statement:
        files = [x for x in c if isinstance(x, A.Ident)]
        return A.Statement(span=self.node_span(c), verb="CLOSE", reads=list[A.Node](files),
                           details={"files": " ".join(f.name for f in files)})

    def close_file(self, c: list[Any]) -> A.Ident:
        return c[0]

    def _file_stmt(self, verb: str, c: list[Any]) -> A.Statement:
        """READ/WRITE/REWRITE/DELETE/START/RELEASE/RETURN: file or record, INTO/FROM, KEY."""
        subject = c[1]
        reads: list[Any] = []
        writes: list[Any] = []
        details = {"file" if verb in ("READ", "DELETE", "START", "RETURN") else "record":
                   name_of(subject)}
        mode = ""
        for x in c[2:]:
            if isinstance(x, Token) and str(x).upper() in ("INTO", "FROM", "KEY"):
                mode = str(x).upper()
            elif isinstance(x, (A.Ident, A.Literal)):
                if mode == "INTO":
                    writes.append(x)
                    details["into"] = name_of(x)
                elif mode == "FROM":
                    reads.append(x)
                    details["from"] = name_of(x)
                else:
                    reads.append(x)
            elif isinstance(x, Bunch) and x.kind == "advancing":
                reads.extend(x.items)
            elif isinstance(x, str) and not isinstance(x, Token) and x in ("NEXT", "PREVIOUS"):
                details["direction"] = x
        if verb in ("WRITE", "REWRITE", "RELEASE"):
            writes.append(subject)
        return self._stmt(A.Statement, verb, c, reads=reads, writes=writes,
                          details=details)

    def read_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("READ", c)

    def write_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("WRITE", c)

    def rewrite_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("REWRITE", c)

    def delete_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("DELETE", c)

    def start_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("START", c)

    def release_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("RELEASE", c)

    def return_stmt(self, c: list[Any]) -> A.Statement:
        return self._file_stmt("RETURN", c)

    def read_direction(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    def advancing(self, c: list[Any]) -> Bunch:
        return Bunch("advancing", [x for x in data_refs(vals(c)) if isinstance(x, A.Ident)])

    def advance_lines(self, c: list[Any]) -> A.Node:
        return c[0]

    def advance_page(self, c: list[Any]) -> A.Literal:
        return A.Literal(span=self.node_span(c), text="PAGE", kind="figurative")

    def _sort(self, verb: str, c: list[Any]) -> A.Statement:
        details: dict[str, str] = {"file": name_of(c[1])}
        reads: list[Any] = []
        for x in c[2:]:
            if isinstance(x, Bunch):
                if x.kind == "key":
                    reads.extend(x.items)
                elif x.kind in ("using", "giving"):
                    details[x.kind] = " ".join(name_of(f) for f in x.items)
                elif x.kind in ("input procedure", "output procedure"):
                    details[x.kind] = x.items[0].name
                    if len(x.items) > 1:
                        details[x.kind + " thru"] = x.items[1].name
        return A.Statement(span=self.node_span(c), verb=verb, reads=reads, details=details)

    def sort_stmt(self, c: list[Any]) -> A.Statement:
        return self._sort("SORT", c)

    def merge_stmt(self, c: list[Any]) -> A.Statement:
        return self._sort("MERGE", c)

    def sort_key(self, c: list[Any]) -> Bunch:
        return Bunch("key", [x for x in c if isinstance(x, A.Ident)])

    def sort_using(self, c: list[Any]) -> Bunch:
        return Bunch("using", [x for x in c if isinstance(x, A.Ident)])

    def sort_giving(self, c: list[Any]) -> Bunch:
        return Bunch("giving", [x for x in c if isinstance(x, A.Ident)])

    def sort_input_procedure(self, c: list[Any]) -> Bunch:
        return Bunch("input procedure", c[-1].items)

    def sort_output_procedure(self, c: list[Any]) -> Bunch:
        return Bunch("output procedure", c[-1].items)

    # ------------------------------------------------------------ report writer, communication

    def generate_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="GENERATE", reads=data_refs(vals(c)))

    def initiate_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="INITIATE", reads=data_refs(vals(c)))

    def terminate_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="TERMINATE", reads=data_refs(vals(c)))

    def suppress_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="SUPPRESS")

    def enable_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="ENABLE", reads=data_refs(vals(c)))

    def disable_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="DISABLE", reads=data_refs(vals(c)))

    def send_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="SEND", reads=data_refs(vals(c)))

    def receive_stmt(self, c: list[Any]) -> A.Statement:
        idents = [x for x in c if isinstance(x, A.Ident)]
        return self._stmt(A.Statement, "RECEIVE", c, reads=idents[:1],
                          writes=idents[1:2])

    def purge_stmt(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="PURGE", reads=data_refs(vals(c)))

    # ------------------------------------------------------------ declaratives

    def use_exception(self, c: list[Any]) -> A.Statement:
        files = [v for x in c if isinstance(x, Bunch) for v in x.items]
        return A.Statement(span=self.node_span(c), verb="USE",
                           details={"after": "EXCEPTION", "on": " ".join(files)})

    def use_files(self, c: list[Any]) -> Bunch:
        return Bunch("files", [name_of(x) if isinstance(x, A.Ident) else str(x).upper()
                               for x in c])

    def use_debugging(self, c: list[Any]) -> A.Statement:
        targets = [x for x in c if isinstance(x, str) and not isinstance(x, Token)]
        return A.Statement(span=self.node_span(c), verb="USE",
                           details={"for": "DEBUGGING", "on": " ".join(targets) or "ALL"})

    def debug_target(self, c: list[Any]) -> str:
        """A procedure or data name, ``ALL PROCEDURES``, or ``ALL REFERENCES OF name``."""
        ref = next((x for x in c if isinstance(x, A.Ident)), None)
        if ref is None:
            return "ALL PROCEDURES"
        return str(ref) if len(c) == 1 else "ALL REFERENCES OF " + str(ref)

    def use_reporting(self, c: list[Any]) -> A.Statement:
        return A.Statement(span=self.node_span(c), verb="USE",
                           details={"before": "REPORTING", "on": name_of(c[-1])})

    # ------------------------------------------------------------ JSON / XML

    def _gen(self, verb: str, c: list[Any], out_first: bool) -> A.Statement:
        idents = [x for x in c if isinstance(x, A.Ident)]
        target, source = (idents[0], idents[1]) if len(idents) > 1 else (idents[0], idents[0])
        writes = [target] if out_first else [source]
        reads = [source] if out_first else [target]
        writes += [n for x in c if isinstance(x, Bunch) and x.kind == "count" for n in x.items]
        return self._stmt(A.Statement, verb, c, reads=reads, writes=writes)

    def json_count(self, c: list[Any]) -> Bunch:
        return Bunch("count", [c[-1]])

    def json_generate(self, c: list[Any]) -> A.Statement:
        return self._gen("JSON GENERATE", c, True)

    def json_parse(self, c: list[Any]) -> A.Statement:
        return self._gen("JSON PARSE", c, False)

    def xml_generate(self, c: list[Any]) -> A.Statement:
        return self._gen("XML GENERATE", c, True)

    def xml_parse(self, c: list[Any]) -> A.Statement:
        idents = [x for x in c if isinstance(x, A.Ident)]
        rng = next((x for x in c if isinstance(x, Bunch) and x.kind == "range"), None)
        details = {}
        if rng is not None:
            details["processing procedure"] = rng.items[0].name
            if len(rng.items) > 1:
                details["processing procedure thru"] = rng.items[1].name
        return self._stmt(A.Statement, "XML PARSE", c, reads=idents[:1],
                          details=details)

    # ------------------------------------------------------------ sentences

    def sentence(self, c: list[Any]) -> A.Sentence:
        return A.Sentence(span=self.node_span(c),
                          statements=[s for s in c if isinstance(s, A.Statement)])


def _first_word(text: str) -> str:
    parts = text.split(None, 1)
    return parts[0].upper() if parts else ""


def _named_ref(name: str, span: Span | None) -> A.Ident:
    parts = [p.strip().upper() for p in name.replace(" IN ", " OF ").split(" OF ")]
    return A.Ident(span=span, name=parts[0], qualifiers=parts[1:])


class DivisionBuilder(Builder):
    """Adds the IDENTIFICATION, ENVIRONMENT and DATA DIVISION rules to :class:`Builder`."""

    # ------------------------------------------------------------ identification

    def identification_division(self, c: list[Any]) -> Bunch:
        pid = next(x for x in c if isinstance(x, Bunch) and x.kind == "program_id")
        paragraphs = {x.items[0]: x.items[1] for x in c if isinstance(x, Bunch)
                      and x.kind == "id_paragraph"}
        return Bunch("identification", [pid.items[0], pid.items[1], paragraphs,
                                        self.node_span(c)])

    def program_id(self, c: list[Any]) -> Bunch:
        name = next(x for x in c if isinstance(x, Bunch) and x.kind == "name").items[0]
        attrs = next((x.items for x in c if isinstance(x, Bunch) and x.kind == "attrs"), [])
        return Bunch("program_id", [name, attrs])

    def program_name(self, c: list[Any]) -> Bunch:
        return Bunch("name", [str(c[0]).strip("'\"").upper()])

    def program_attrs(self, c: list[Any]) -> Bunch:
        return Bunch("attrs", [str(t).upper() for t in c if str(t).upper() in
                               ("COMMON", "INITIAL", "RECURSIVE")])

    def id_paragraph(self, c: list[Any]) -> Bunch:
        key = str(c[0]).upper()
        text = next((str(t) for t in c if isinstance(t, Token) and t.type == "COMMENT_ENTRY"),
                    "")
        return Bunch("id_paragraph", [key, text])

    def id_keyword(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    # ------------------------------------------------------------ environment

    def source_computer(self, c: list[Any]) -> Bunch:
        return Bunch("source_computer", ["DEBUGGING" in kws(c)])

    def special_names(self, c: list[Any]) -> Bunch:
        mapping: dict[str, str] = {}
        for x in c:
            if isinstance(x, Bunch) and x.kind == "mnemonic":
                env, mnemonic, switches = x.items
                if mnemonic is not None:
                    mapping[mnemonic] = env
                for status, condition in switches:  # condition-names of switch status
                    mapping[condition] = f"{env} {status}"
            elif isinstance(x, Bunch) and x.kind == "class":
                mapping[x.items[0]] = "CLASS"
            elif isinstance(x, Bunch) and x.kind == "decimal_point":
                mapping["DECIMAL-POINT"] = "COMMA"
            elif isinstance(x, Bunch) and x.kind == "currency":
                mapping["CURRENCY"] = x.items[0]
        return Bunch("special_names", [mapping])

    def mnemonic_def(self, c: list[Any]) -> Bunch:
        names = [str(t).upper() for t in c if isinstance(t, Token) and t.type == "NAME"]
        switches = [x.items for x in c if isinstance(x, Bunch) and x.kind == "switch"]
        return Bunch("mnemonic", [names[0], names[1] if len(names) > 1 else names[0],
                                  switches])

    def switch_def(self, c: list[Any]) -> Bunch:
        switches = [x.items for x in c if isinstance(x, Bunch) and x.kind == "switch"]
        return Bunch("mnemonic", [str(c[0]).upper(), None, switches])

    def switch_status(self, c: list[Any]) -> Bunch:
        return Bunch("switch", [str(c[0]).upper(), str(c[-1]).upper()])

    def class_clause(self, c: list[Any]) -> Bunch:
        return Bunch("class", [str(c[1]).upper()])

    def decimal_point_clause(self, c: list[Any]) -> Bunch:
        return Bunch("decimal_point", [])

    def currency_clause(self, c: list[Any]) -> Bunch:
        # the symbol PICTURE strings use: the PICTURE SYMBOL literal when there is one
        lit = str([t for t in c if isinstance(t, Token) and t.type == "ALNUM"][-1])
        return Bunch("currency", [lit[1:-1] if lit[0] in "'\"" else lit])

    def select_entry(self, c: list[Any]) -> A.FileControl:
        name = next(str(t).upper() for t in c if isinstance(t, Token) and t.type == "NAME")
        fc = A.FileControl(span=self.node_span(c), name=name, optional="OPTIONAL" in kws(c[:3]))
        for x in c:
            if not isinstance(x, Clause):
                continue
            if x.kind == "assign":
                fc.assign = x.value
            elif x.kind == "organization":
                fc.organization = x.value
            elif x.kind == "access":
                fc.access = x.value
            elif x.kind == "record_key":
                fc.record_key = x.value
            elif x.kind == "alternate_key":
                fc.alternate_keys.append(x.value)
            elif x.kind == "relative_key":
                fc.relative_key = x.value
            elif x.kind == "file_status":
                fc.file_status = x.value
        return fc

    def assign_clause(self, c: list[Any]) -> Clause:
        return Clause("assign", [x for x in c if isinstance(x, str) and not isinstance(x, Token)])

    def assign_target(self, c: list[Any]) -> str:
        return str(c[0]).strip("'\"")

    def organization_clause(self, c: list[Any]) -> Clause:
        return Clause("organization", next(x for x in c if isinstance(x, str)
                                           and not isinstance(x, Token)))

    def org_sequential(self, c: list[Any]) -> str:
        return "SEQUENTIAL"

    def org_line_sequential(self, c: list[Any]) -> str:
        return "LINE SEQUENTIAL"

    def org_indexed(self, c: list[Any]) -> str:
        return "INDEXED"

    def org_relative(self, c: list[Any]) -> str:
        return "RELATIVE"

    def access_clause(self, c: list[Any]) -> Clause:
        return Clause("access", next(x for x in c if isinstance(x, str)
                                     and not isinstance(x, Token)))

    def access_mode(self, c: list[Any]) -> str:
        return str(c[0]).upper()

    def _key(self, kind: str, c: list[Any]) -> Clause:
        ref = next(x for x in c if isinstance(x, A.Ident))
        return Clause(kind, str(ref))

    def record_key_clause(self, c: list[Any]) -> Clause:
        return self._key("record_key", c)

    def alternate_key_clause(self, c: list[Any]) -> Clause:
        return self._key("alternate_key", c)

    def relative_key_clause(self, c: list[Any]) -> Clause:
        return self._key("relative_key", c)

    def file_status_clause(self, c: list[Any]) -> Clause:
        return self._key("file_status", c)

    # ------------------------------------------------------------ data

    def data_description(self, c: list[Any]) -> A.DataItem | A.Condition88:
        level = int(str(c[0]))
        name = None
        if len(c) > 1 and isinstance(c[1], str) and not isinstance(c[1], Token) and \
                c[1].startswith("name:"):
            name = c[1][5:]
        clauses = [x for x in c if isinstance(x, Clause)]
        span = self.node_span(c)
        if level == 88:
            values: list[tuple[str, str | None]] = []
            for cl in clauses:
                if cl.kind == "value":
                    values.extend(cl.value)
            return A.Condition88(span=span, name=name or "FILLER", values=values)
        item = A.DataItem(span=span, level=level, name=name)
        for cl in clauses:
            _apply_clause(item, cl)
        return item

    def entry_name(self, c: list[Any]) -> str:
        return "name:" + str(c[0]).upper()

    def redefines_clause(self, c: list[Any]) -> Clause:
        return Clause("redefines", str(c[-1]))

    def blank_when_zero_clause(self, c: list[Any]) -> Clause:
        return Clause("blank_when_zero")

    def external_clause(self, c: list[Any]) -> Clause:
        return Clause("external")

    def global_clause(self, c: list[Any]) -> Clause:
        return Clause("global")

    def justified_clause(self, c: list[Any]) -> Clause:
        return Clause("justified")

    def occurs_clause(self, c: list[Any]) -> Clause:
        return Clause("occurs", c[-1])

    def occurs_body(self, c: list[Any]) -> A.Occurs:
        ints = [int(str(t)) for t in c if isinstance(t, Token) and t.type == "INTEGER"]
        dep = next((str(x) for x in c if isinstance(x, A.Ident)), None)
        if len(ints) >= 2 and "TO" in kws(c):
            return A.Occurs(span=self.node_span(c), min=ints[0], max=ints[1], depending_on=dep)
        return A.Occurs(span=self.node_span(c), max=ints[0] if ints else 1, depending_on=dep)

    def picture_clause(self, c: list[Any]) -> Clause:
        return Clause("pic", str(c[-1]))

    def sign_clause(self, c: list[Any]) -> Clause:
        words = kws(c)
        return Clause("sign", "LEADING" if "LEADING" in words else "TRAILING",
                      "SEPARATE" in words or any(isinstance(x, Bunch) for x in c))

    def separate(self, c: list[Any]) -> Bunch:
        return Bunch("separate", [])

    def sync_clause(self, c: list[Any]) -> Clause:
        return Clause("sync")

    def usage_clause(self, c: list[Any]) -> Clause:
        return Clause("usage", c[-1])

    def usage(self, c: list[Any]) -> str:
        return " ".join(str(t).upper() for t in c if isinstance(t, Token))

    def value_clause(self, c: list[Any]) -> Clause:
        return Clause("value", [x for x in c if isinstance(x, tuple)])

    def value_item(self, c: list[Any]) -> tuple[str, str | None]:
        lits = [x.text for x in c if isinstance(x, A.Literal)]
        if not lits:
            return (" ".join(str(t) for t in c), None)
        return (lits[0], lits[1] if len(lits) > 1 else None)

    def renames_clause(self, c: list[Any]) -> Clause:
        names = [str(x) for x in c if isinstance(x, A.Ident)]
        return Clause("renames", (names[0], names[1] if len(names) > 1 else None))

    def indexed_clause(self, c: list[Any]) -> Clause:
        return Clause("indexed", [str(t).upper() for t in c
                                  if isinstance(t, Token) and t.type == "NAME"])

    def key_clause(self, c: list[Any]) -> Clause:
        direction = "DESCENDING" if "DESCENDING" in kws(c) else "ASCENDING"
        return Clause("key", [(direction, str(x)) for x in c if isinstance(x, A.Ident)])

    def group_usage_clause(self, c: list[Any]) -> Clause:
        return Clause("group_usage", "NATIONAL")

    def _fd(self, kind: str, c: list[Any]) -> A.FileDescription:
        name = next(str(t).upper() for t in c if isinstance(t, Token) and t.type == "NAME")
        fd = A.FileDescription(span=self.node_span(c), kind=kind, name=name)
        for x in c:
            if isinstance(x, Clause):
                fd.clauses[x.kind] = "yes" if x.value is None else str(x.value)
        return fd

    def file_description(self, c: list[Any]) -> A.FileDescription:
        return self._fd("FD", c)

    def sort_description(self, c: list[Any]) -> A.FileDescription:
        return self._fd("SD", c)

    def report_description(self, c: list[Any]) -> A.FileDescription:
        return self._fd("RD", c)

    def comm_description(self, c: list[Any]) -> A.FileDescription:
        return self._fd("CD", c)

    def recording_mode_clause(self, c: list[Any]) -> Clause:
        return Clause("recording_mode", str(c[-1]).upper())

    def block_clause(self, c: list[Any]) -> Clause:
        return Clause("block", " ".join(str(t) for t in c[1:]))

    def record_clause(self, c: list[Any]) -> Clause:
        return Clause("record", " ".join(str(t) for t in c[1:]))

    def _words_clause(self, kind: str, c: list[Any]) -> Clause:
        """A clause kept as its words after the keyword (names and literals as written)."""
        return Clause(kind, " ".join(_text(x) for x in c[1:]))

    def record_varying_clause(self, c: list[Any]) -> Clause:
        return self._words_clause("record", c)

    def label_clause(self, c: list[Any]) -> Clause:
        return self._words_clause("label", c)

    def value_of_clause(self, c: list[Any]) -> Clause:
        return self._words_clause("value_of", c)

    def data_records_clause(self, c: list[Any]) -> Clause:
        return Clause("data_records", " ".join(str(x) for x in c if isinstance(x, A.Ident)))

    def linage_clause(self, c: list[Any]) -> Clause:
        return self._words_clause("linage", c)

    def linage_part(self, c: list[Any]) -> str:
        return " ".join(_text(x) for x in c)

    def code_set_clause(self, c: list[Any]) -> Clause:
        return Clause("code_set", str(c[-1]).upper())

    def reports_clause(self, c: list[Any]) -> Clause:
        return Clause("reports", " ".join(str(x) for x in c if isinstance(x, A.Ident)))

    def exec_entry(self, c: list[Any]) -> Bunch:
        return Bunch("exec", [self._exec(c[0])])


def _text(x: Any) -> str:
    if isinstance(x, A.Literal):
        return x.text
    if isinstance(x, A.Ident):
        return str(x)
    return str(x).upper() if isinstance(x, Token) and x.type != "ALNUM" else str(x)


def _apply_clause(item: A.DataItem, cl: Clause) -> None:
    kind = cl.kind
    if kind == "pic":
        item.pic = cl.value
    elif kind == "usage":
        item.usage = cl.value
    elif kind == "value":
        item.value = [v for v, _ in cl.value]
    elif kind == "redefines":
        item.redefines = cl.value
    elif kind == "occurs":
        item.occurs = cl.value
    elif kind == "indexed":
        if item.occurs is None:
            item.occurs = A.Occurs()
        item.occurs.indexed_by.extend(cl.value)
    elif kind == "key":
        if item.occurs is None:
            item.occurs = A.Occurs()
        item.occurs.keys.extend(cl.value)
    elif kind == "sign":
        item.sign, item.sign_separate = cl.value, bool(cl.extra)
    elif kind == "sync":
        item.sync = True
    elif kind == "justified":
        item.justified = True
    elif kind == "blank_when_zero":
        item.blank_when_zero = True
    elif kind == "external":
        item.external = True
    elif kind == "global":
        item.global_ = True
    elif kind == "renames":
        item.renames = cl.value
