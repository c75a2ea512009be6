"""Normalised text of conditions, expressions and actions: one deterministic spelling for each.

* Relations are printed with the parser's normalised operators (``NOT >`` is ``<=``, ``NOT =``
  is ``<>``) and abbreviated combined relations are printed in full.
* A level-88 condition-name is followed by what it tests: ``ACCT-CLOSED (ACCT-STATUS = 'C')``.
* Literals are printed exactly as written; names in upper case with ``OF`` qualification.
* Nested AND/OR groups are parenthesised; arithmetic gets parentheses only where precedence
  needs them.
* Negation is pushed inwards (De Morgan, flipped relational operators) so that the condition of
  an ELSE branch reads as plainly as the IF's.

>>> from cobolspec.model import ast as A
>>> p = Printer()
>>> a, b = A.Ident(name="A"), A.Ident(name="B")
>>> p.cond(negate(A.BoolOp(op="AND", operands=[A.Relation(left=a, op=">", right=b),
...                                            A.ClassCondition(subject=a, test="NUMERIC")])))
'A <= B OR A NOT NUMERIC'
>>> p.expr(A.BinaryOp(op="*", left=A.BinaryOp(op="+", left=a, right=b), right=b))
'(A + B) * B'
"""

from __future__ import annotations

from collections.abc import Iterable

from cobolspec.model import ast as A
from cobolspec.rules.names import CONSTANT_FUNCTIONS, DataNames

_FLIP = {"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 3}

# Phrases and the positive phrase each NOT phrase answers.
PHRASE_PAIRS = {
    "NOT AT END": "AT END",
    "NOT INVALID KEY": "INVALID KEY",
    "NOT ON SIZE ERROR": "ON SIZE ERROR",
    "NOT ON EXCEPTION": "ON EXCEPTION",
    "NOT ON OVERFLOW": "ON OVERFLOW",
    "NOT AT END-OF-PAGE": "AT END-OF-PAGE",
    "WITH DATA": "NO DATA",
}


def negate(node: A.Node) -> A.Node:
    """The condition that holds when ``node`` does not, with NOT pushed inwards."""
    if isinstance(node, A.Not):
        return node.operand
    if isinstance(node, A.Relation):
        return A.Relation(span=node.span, left=node.left, op=_FLIP.get(node.op, node.op),
                          right=node.right, abbreviated=node.abbreviated)
    if isinstance(node, A.ClassCondition):
        return A.ClassCondition(span=node.span, subject=node.subject, test=node.test,
                                negated=not node.negated)
    if isinstance(node, A.BoolOp):
        return A.BoolOp(span=node.span, op="OR" if node.op == "AND" else "AND",
                        operands=[negate(o) for o in node.operands])
    return A.Not(span=node.span, operand=node)


def conjuncts(node: A.Node) -> list[A.Node]:
    """The parts of an AND (the node itself otherwise)."""
    if isinstance(node, A.BoolOp) and node.op == "AND":
        return [c for o in node.operands for c in conjuncts(o)]
    return [node]


class Printer:
    """Prints nodes of one program; ``names`` lets condition-names show what they test."""

    def __init__(self, names: DataNames | None = None) -> None:
        self.names = names

    # ------------------------------------------------------------------ expressions

    def expr(self, node: A.Node | None, context: int = 0) -> str:
        if node is None:
            return "?"
        if isinstance(node, A.Literal):
            return "?" if node.kind == "missing" else node.text
        if isinstance(node, A.Ident):
            return self.ident(node)
        if isinstance(node, A.BinaryOp):
            prec = _PRECEDENCE.get(node.op, 1)
            left = self.expr(node.left, prec)
            # a right operand of equal precedence needs parentheses for - / and for **
            right = self.expr(node.right, prec + (0 if node.op in ("+", "*") else 1))
            text = f"{left} {node.op} {right}"
            return f"({text})" if prec < context else text
        if isinstance(node, A.UnaryOp):
            return f"{node.op}{self.expr(node.operand, 3)}"
        if isinstance(node, (A.Relation, A.BoolOp, A.Not, A.ClassCondition, A.ConditionRef)):
            return self.cond(node)
        return "?"

    def ident(self, ref: A.Ident) -> str:
        if ref.wrapper == "FUNCTION":
            text = f"FUNCTION {ref.name}"
            if ref.args:
                text += " (" + ", ".join(self.expr(a) for a in ref.args) + ")"
            return text + self._refmod(ref)
        if ref.wrapper in ("LENGTH OF", "ADDRESS OF"):
            return f"{ref.wrapper} {self.ident(ref.inner) if ref.inner else ref.name}"
        if ref.name in CONSTANT_FUNCTIONS and ref.subscripts:
            return f"{ref.name}(" + " ".join(self.expr(s) for s in ref.subscripts) + ")"
        text = " OF ".join([ref.name, *ref.qualifiers])
        if ref.subscripts:
            text += " (" + " ".join(self.expr(s) for s in ref.subscripts) + ")"
        return text + self._refmod(ref)

    def _refmod(self, ref: A.Ident) -> str:
        if not ref.refmod:
            return ""
        start = self.expr(ref.refmod[0])
        length = self.expr(ref.refmod[1]) if len(ref.refmod) > 1 else ""
        return f" ({start}:{length})"

    def exprs(self, nodes: Iterable[A.Node]) -> str:
        return ", ".join(self.expr(n) for n in nodes)

    # ------------------------------------------------------------------ conditions

    def normal(self, node: A.Node) -> A.Node:
        """``node`` with each condition-name the parser had to read as the object of an
        abbreviated relation (``A > 0 AND FLAG-ON``: it cannot know FLAG-ON is a level-88
        name) put back as a condition-name. The AST is not changed."""
        if isinstance(node, A.Relation):
            if node.abbreviated and self.names is not None and \
                    self.names.is_condition_name(node.right):
                return A.ConditionRef(span=node.right.span, ref=node.right)
            return node
        if isinstance(node, A.BoolOp):
            return A.BoolOp(span=node.span, op=node.op,
                            operands=[self.normal(o) for o in node.operands])
        if isinstance(node, A.Not):
            return A.Not(span=node.span, operand=self.normal(node.operand))
        return node

    def cond(self, node: A.Node | None) -> str:
        if node is None:
            return "?"
        node = self.normal(node)
        if isinstance(node, A.Relation):
            return f"{self.expr(node.left)} {node.op} {self.expr(node.right)}"
        if isinstance(node, A.ClassCondition):
            return f"{self.expr(node.subject)} {'NOT ' if node.negated else ''}{node.test}"
        if isinstance(node, A.ConditionRef):
            return self.condition_name(node.ref)
        if isinstance(node, A.Not):
            inner = node.operand
            if isinstance(inner, A.ConditionRef):
                return "NOT " + self.cond(inner)
            return f"NOT ({self.cond(inner)})"
        if isinstance(node, A.BoolOp):
            parts = []
            for o in node.operands:
                text = self.cond(o)
                parts.append(f"({text})" if isinstance(o, A.BoolOp) else text)
            return f" {node.op} ".join(parts)
        return self.expr(node)

    def condition_name(self, ref: A.Node) -> str:
        """``NAME (ITEM = v1 OR v2 OR a THRU b)`` for a level-88 name; the name alone when it
        cannot be resolved unambiguously."""
        text = self.expr(ref)
        found = self.names.condition(ref) if self.names else None
        if found is None:
            return text
        cond, item = found
        values = " OR ".join(v if t is None else f"{v} THRU {t}" for v, t in cond.values)
        return f"{text} ({self.item_name(item)} = {values})"

    def condition_values(self, ref: A.Node) -> list[str]:
        """The literals a level-88 name stands for (empty when not a resolvable 88)."""
        found = self.names.condition(ref) if self.names else None
        if found is None:
            return []
        out: list[str] = []
        for v, t in found[0].values:
            out.append(v)
            if t is not None:
                out.append(t)
        return out

    def item_name(self, item: A.DataItem) -> str:
        name = item.name or "FILLER"
        if self.names and self.names.item(name) is not item:
            return item.qualified_name or name
        return name

    def when_object(self, obj: A.Node) -> str:
        """One object of a WHEN, as written (``ANY``, a value, ``a THRU b``, a condition)."""
        if not isinstance(obj, A.WhenObject):
            return self.cond(obj)
        neg = "NOT " if obj.negated else ""
        if obj.kind == "any":
            return "ANY"
        if obj.kind in ("true", "false"):
            return obj.kind.upper()
        if obj.kind == "range":
            return f"{neg}{self.expr(obj.value)} THRU {self.expr(obj.thru)}"
        if obj.kind == "condition":
            return self.cond(obj.value)
        assert obj.value is not None
        if self.names and self.names.is_condition_name(obj.value):
            return neg + self.condition_name(obj.value)
        return neg + self.expr(obj.value)

    def subject(self, node: A.Node) -> str:
        """An EVALUATE subject (a condition-name shows what it tests)."""
        if isinstance(node, A.Literal) and node.kind == "boolean":
            return node.text
        if self.names is not None and self.names.is_condition_name(node):
            return self.condition_name(node)
        return self.expr(node)

    # ------------------------------------------------------------------ actions

    def action(self, st: A.Statement) -> str:
        """One statement without its nested statements or conditional phrases."""
        method = getattr(self, "_" + st.verb.replace(" ", "_").replace("-", "_").lower(), None)
        if isinstance(st, A.ExecStmt):
            return " ".join(st.text.split())
        if isinstance(st, A.UnparsedStatement):
            return " ".join(st.text.split())
        if method is not None:
            return str(method(st))
        if st.verb.startswith("EXIT") or st.verb in ("CONTINUE", "STOP RUN", "GOBACK"):
            return st.verb
        parts = [st.verb, *(self.expr(r) for r in st.reads)]
        return " ".join(parts)

    def head(self, st: A.Statement) -> str:
        """A short name for a statement: its verb and what it works on."""
        for key in ("file", "record"):
            if key in st.details:
                return f"{st.verb} {st.details[key]}"
        if isinstance(st, A.CallStmt):
            return f"CALL {self.expr(st.program)}"
        if isinstance(st, A.ExecStmt):
            return " ".join(st.text.split()[:4])
        if st.verb in ("UNSTRING", "INSPECT") and st.reads:
            return f"{st.verb} {self.expr(st.reads[0])}"
        if st.writes:
            return f"{st.verb} {self.expr(st.writes[0])}"
        if st.reads:
            return f"{st.verb} {self.expr(st.reads[0])}"
        return st.verb

    def phrase_condition(self, st: A.Statement, kind: str) -> str:
        """``AT END (READ RATE-FILE)``: the condition a conditional phrase stands for."""
        return f"{PHRASE_PAIRS.get(kind, kind)} ({self.head(st)})"

    def _move(self, st: A.Statement) -> str:
        corr = "CORRESPONDING " if st.details.get("corresponding") else ""
        return f"MOVE {corr}{self.exprs(st.reads)} TO {self.exprs(st.writes)}"

    def _compute(self, st: A.Statement) -> str:
        rounded = " ROUNDED" if st.details.get("rounded") else ""
        targets = self.exprs(st.writes)
        if len(st.writes) > 1 and rounded:
            return f"COMPUTE {targets} = {self.expr(st.reads[0])} (ROUNDED)"
        return f"COMPUTE {targets}{rounded} = {self.expr(st.reads[0] if st.reads else None)}"

    def _arith(self, st: A.Statement, keyword: str) -> str:
        written = {id(w) for w in st.writes}
        sources = [r for r in st.reads if id(r) not in written]
        rounded = " ROUNDED" if st.details.get("rounded") else ""
        if all(id(w) in {id(r) for r in st.reads} for w in st.writes):
            return f"{st.verb} {self.exprs(sources)} {keyword} {self.exprs(st.writes)}{rounded}"
        # GIVING form: the last operand is the one after TO/FROM/BY/INTO
        if st.verb == "DIVIDE" and "divide" not in st.details:
            operands = self.exprs(sources)  # BY or INTO is not recorded by the parser
        elif st.verb in ("SUBTRACT", "MULTIPLY", "DIVIDE") and len(sources) > 1:
            kw = st.details.get("divide", keyword)
            operands = f"{self.exprs(sources[:-1])} {kw} {self.expr(sources[-1])}"
        else:
            operands = self.exprs(sources)
        giving = self.exprs(st.writes)
        return f"{st.verb} {operands} GIVING {giving}{rounded}"

    def _add(self, st: A.Statement) -> str:
        return self._arith(st, "TO")

    def _subtract(self, st: A.Statement) -> str:
        return self._arith(st, "FROM")

    def _multiply(self, st: A.Statement) -> str:
        return self._arith(st, "BY")

    def _divide(self, st: A.Statement) -> str:
        return self._arith(st, "INTO")

    def _set(self, st: A.Statement) -> str:
        form = st.details.get("form", "TO")
        value = st.details.get("value") or self.exprs(st.reads)
        if form in ("UP BY", "DOWN BY"):
            written = {id(w) for w in st.writes}
            value = self.exprs([r for r in st.reads if id(r) not in written])
        text = f"SET {self.exprs(st.writes)} {form or 'TO'} {value}".replace("  ", " ")
        if value == "TRUE" and len(st.writes) == 1 and self.names:
            found = self.names.condition(st.writes[0])
            if found and found[0].values:
                text += f" ({self.item_name(found[1])} = {found[0].values[0][0]})"
        return text

    def _initialize(self, st: A.Statement) -> str:
        text = f"INITIALIZE {self.exprs(st.writes)}"
        if st.reads:
            text += f" REPLACING BY {self.exprs(st.reads)}"
        return text

    def _string(self, st: A.Statement) -> str:
        written = {id(w) for w in st.writes}
        sources = [r for r in st.reads if id(r) not in written]
        targets = [w for w in st.writes if id(w) not in {id(r) for r in st.reads}]
        pointer = [w for w in st.writes if id(w) not in {id(t) for t in targets}]
        text = f"STRING {' '.join(self.expr(s) for s in sources)} INTO {self.exprs(targets)}"
        if pointer:
            text += f" WITH POINTER {self.exprs(pointer)}"
        return text

    def _unstring(self, st: A.Statement) -> str:
        written = {id(w) for w in st.writes}
        delims = [r for r in st.reads[1:] if id(r) not in written]
        read = {id(r) for r in st.reads}
        into = [w for w in st.writes if id(w) not in read]
        text = f"UNSTRING {self.expr(st.reads[0]) if st.reads else '?'}"
        if delims:
            text += f" DELIMITED BY {' OR '.join(self.expr(d) for d in delims)}"
        return text + f" INTO {self.exprs(into)}"

    def _inspect(self, st: A.Statement) -> str:
        subject = self.expr(st.reads[0]) if st.reads else "?"
        mode = st.details.get("mode", "")
        written = {id(w) for w in st.writes}
        operands = [r for r in st.reads[1:] if id(r) not in written]
        if mode == "TALLYING":
            return (f"INSPECT {subject} TALLYING {self.exprs(st.writes)} FOR "
                    + " ".join(self.expr(o) for o in operands))
        if mode == "CONVERTING" and len(operands) == 2:
            return f"INSPECT {subject} CONVERTING {self.expr(operands[0])} TO " \
                   f"{self.expr(operands[1])}"
        if mode == "REPLACING" and len(operands) % 2 == 0:
            pairs = [f"{self.expr(operands[i])} BY {self.expr(operands[i + 1])}"
                     for i in range(0, len(operands), 2)]
            return f"INSPECT {subject} REPLACING " + ", ".join(pairs)
        return f"INSPECT {subject} {mode} " + " ".join(self.expr(o) for o in operands)

    def _display(self, st: A.Statement) -> str:
        text = "DISPLAY " + " ".join(self.expr(r) for r in st.reads)
        if "upon" in st.details:
            text += f" UPON {st.details['upon']}"
        return text

    def _accept(self, st: A.Statement) -> str:
        text = f"ACCEPT {self.exprs(st.writes)}"
        if "from" in st.details:
            text += f" FROM {st.details['from']}"
        return text

    def _perform(self, st: A.Statement) -> str:
        assert isinstance(st, A.PerformStmt)
        parts = ["PERFORM"]
        if st.target:
            parts.append(st.target + (f" OF {st.target_qualifier}" if st.target_qualifier
                                      else ""))
            if st.thru:
                parts.append(f"THRU {st.thru}")
        if st.times is not None:
            parts.append(f"{self.expr(st.times)} TIMES")
        if st.test_after:
            parts.append("WITH TEST AFTER")
        for i, v in enumerate(st.varying):
            parts.append(f"{'VARYING' if i == 0 else 'AFTER'} {self.expr(v.variable)} "
                         f"FROM {self.expr(v.start)} BY {self.expr(v.step)} "
                         f"UNTIL {self.cond(v.until)}")
        if st.until is not None:
            parts.append(f"UNTIL {self.cond(st.until)}")
        return " ".join(parts)

    def _go_to(self, st: A.Statement) -> str:
        assert isinstance(st, A.GoToStmt)
        text = "GO TO " + " ".join(st.targets)
        if st.depending_on is not None:
            text += f" DEPENDING ON {self.expr(st.depending_on)}"
        return text

    def _if(self, st: A.Statement) -> str:
        assert isinstance(st, A.IfStmt)
        return f"IF {self.cond(st.condition)}"

    def _evaluate(self, st: A.Statement) -> str:
        assert isinstance(st, A.EvaluateStmt)
        return "EVALUATE " + " ALSO ".join(self.subject(s) for s in st.subjects)

    def _search(self, st: A.Statement) -> str:
        return f"{st.verb} {self.expr(st.reads[0]) if st.reads else '?'}"

    _search_all = _search

    def _call(self, st: A.Statement) -> str:
        assert isinstance(st, A.CallStmt)
        text = f"CALL {self.expr(st.program)}"
        if st.using:
            parts = []
            for mode, node in st.using:
                prefix = "" if mode == "REFERENCE" else f"BY {mode} "
                parts.append(prefix + self.expr(node))
            text += " USING " + ", ".join(parts)
        if st.returning is not None:
            text += f" RETURNING {self.expr(st.returning)}"
        return text

    def _file(self, st: A.Statement) -> str:
        d = st.details
        text = f"{st.verb} {d.get('file') or d.get('record', '?')}"
        if "direction" in d:
            text += f" {d['direction']}"
        if "into" in d:
            text += f" INTO {d['into']}"
        if "from" in d:
            text += f" FROM {d['from']}"
        return text

    _read = _write = _rewrite = _delete = _start = _release = _return = _file

    def _open(self, st: A.Statement) -> str:
        return "OPEN " + " ".join(f"{mode} {files}" for mode, files in st.details.items())

    def _close(self, st: A.Statement) -> str:
        return "CLOSE " + ", ".join(self.expr(r) for r in st.reads)

    def _sort(self, st: A.Statement) -> str:
        d = st.details
        text = f"{st.verb} {d.get('file', '?')}"
        if st.reads:
            text += f" ON KEY {self.exprs(st.reads)}"
        for key in ("using", "input procedure", "output procedure", "giving"):
            if key in d:
                text += f" {key.upper()} {d[key]}"
                if key + " thru" in d:
                    text += f" THRU {d[key + ' thru']}"
        return text

    _merge = _sort
