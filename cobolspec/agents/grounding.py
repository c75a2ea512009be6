"""The grounding gate: no description enters a spec unless everything it names is in the source.

Every backend's text goes through :class:`GroundingGate` before it is stored. The gate holds
one :class:`~cobolspec.rules.glossary.Vocabulary` per program (names, paragraphs, literals,
numbers and files), built once, and checks a text against the unit it describes and that
vocabulary with :func:`cobolspec.rules.describe.check_grounding`. A text that fails is kept
with ``grounded = False`` and its problems, so that a reader sees what was rejected and why.

>>> from cobolspec.rules.glossary import Vocabulary
>>> gate = GroundingGate({"P": Vocabulary(names={"WS-TOTAL"})})
>>> class Unit:  # the fields the gate reads
...     id, name, program, paragraph = "0" * 12, "P.R001", "P", "P:1000-ADD"
...     condition, reaching, actions, inputs, outputs = None, [], ["ADD 1 TO WS-TOTAL"], [], []
...     literals, file, line, end_line, spans, decision_table = [], "P.cbl", 9, 9, [], None
>>> gate.verdict("1 is added to WS-TOTAL (P.cbl line 9).", Unit())
Verdict(text='1 is added to WS-TOTAL (P.cbl line 9).', grounded=True, problems=[])
>>> gate.verdict("2 is added to WS-GRAND-TOTAL.", Unit()).problems
['name WS-GRAND-TOTAL is not in the unit or its program', 'number 2 is not in the source']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cobolspec.model import ast as A
from cobolspec.rules.describe import RuleUnitLike, check_grounding
from cobolspec.rules.glossary import Glossary, Vocabulary
from cobolspec.rules.textparse import squash

__all__ = ["EMPTY", "GroundingGate", "Verdict"]

EMPTY = "the description is empty"


@dataclass(slots=True)
class Verdict:
    """A text (whitespace normalised) and whether it passed the gate."""

    text: str
    grounded: bool
    problems: list[str] = field(default_factory=list)


class GroundingGate:
    """Checks descriptions against their units and programs; programs are registered once
    (from the AST, a glossary, or a ready vocabulary) and looked up by PROGRAM-ID."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary] | None = None) -> None:
        self._vocabularies: dict[str, Vocabulary] = {
            name.upper(): voc for name, voc in (vocabularies or {}).items()}

    def add_program(self, program: A.Program) -> None:
        """Register a program (and its nested programs, under the outer PROGRAM-ID)."""
        self._vocabularies[program.name.upper()] = Vocabulary.of_program(program)

    def add_glossary(self, glossary: Glossary) -> None:
        """Register the vocabulary a glossary was mined with."""
        if glossary.program:
            self._vocabularies[glossary.program.upper()] = glossary.vocabulary

    def vocabulary(self, program: str) -> Vocabulary | None:
        return self._vocabularies.get(program.upper())

    def check(self, text: str, unit: RuleUnitLike) -> list[str]:
        """The problems of a text about ``unit``; empty when it is grounded. A program never
        registered is no excuse: the text is then checked against the unit alone."""
        if not text.strip():
            return [EMPTY]
        return check_grounding(text, unit, self.vocabulary(unit.program))

    def verdict(self, text: str, unit: RuleUnitLike) -> Verdict:
        """The text with runs of white space collapsed (not inside literals), and the gate's
        decision on it."""
        clean = squash(text)
        problems = self.check(clean, unit)
        return Verdict(clean, not problems, problems)
