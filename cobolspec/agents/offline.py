"""The ``offline`` backend (the default): the deterministic describer, no network, no model.

Each unit gets the text of :func:`cobolspec.rules.describe.describe_unit`, checked by the
grounding gate like every other backend's, and a row for the ``descriptions`` table. The cache
key is the one all backends use, ``sha256(unit id, backend, model, prompt version)``; the
offline texts are cheap enough to be recomputed on every run, so the key only lets a store be
compared across runs and backends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from cobolspec.agents.grounding import GroundingGate
from cobolspec.rules.describe import RuleUnitLike, describe_unit
from cobolspec.rules.glossary import Glossary

__all__ = [
    "BACKEND",
    "PROMPT_VERSION",
    "DescriptionRow",
    "cache_key",
    "describe_units",
    "store_rows",
]

BACKEND = "offline"
#: Version of the offline describer's wording: change it whenever its sentences change.
PROMPT_VERSION = "offline-1"


def cache_key(unit_id: str, backend: str, model: str | None, prompt_version: str) -> str:
    """``sha256`` over the unit ID, backend, model and prompt version (hex).

    >>> cache_key("0123456789ab", "offline", None, "offline-1")[:16]
    '0b9566866a90ce91'
    """
    payload = "\0".join([unit_id, backend, model or "", prompt_version])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class DescriptionRow:
    """One description of one rule unit, as the ``descriptions`` table holds it."""

    rule: str  # rules.id
    backend: str
    model: str | None
    cache_key: str
    text: str
    grounded: bool
    problems: list[str] = field(default_factory=list)
    program: str = ""  # the unit's program (not a column; lets callers group rows)

    def as_row(self) -> dict[str, object]:
        """The table row: ``problems`` as a JSON array."""
        return {
            "rule": self.rule, "backend": self.backend, "model": self.model,
            "cache_key": self.cache_key, "text": self.text, "grounded": self.grounded,
            "problems": json.dumps(self.problems),
        }


def describe_units(units: Iterable[RuleUnitLike], glossary: Glossary,
                   gate: GroundingGate | None = None) -> list[DescriptionRow]:
    """Describe each unit of one program with the deterministic describer.

    ``gate`` defaults to one holding the glossary's vocabulary; the gate's verdict is the one
    stored (it is the same check the describer runs on itself).
    """
    if gate is None:
        gate = GroundingGate()
        gate.add_glossary(glossary)
    rows = []
    for unit in units:
        description = describe_unit(unit, glossary)
        verdict = gate.verdict(description.text, unit)
        rows.append(DescriptionRow(
            rule=unit.id, backend=BACKEND, model=None,
            cache_key=cache_key(unit.id, BACKEND, None, PROMPT_VERSION),
            text=verdict.text, grounded=verdict.grounded, problems=verdict.problems,
            program=unit.program,
        ))
    return rows


def store_rows(rows: Iterable[DescriptionRow]) -> dict[str, list[dict[str, object]]]:
    """Rows for the ``descriptions`` table."""
    return {"descriptions": [row.as_row() for row in rows]}
