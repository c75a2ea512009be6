"""rules stage of the cobolspec pipeline (see DESIGN.md)."""

from __future__ import annotations

from cobolspec.rules.coverage import Coverage
from cobolspec.rules.describe import (
    Description,
    ProgramFacts,
    check_grounding,
    describe_program,
    describe_unit,
)
from cobolspec.rules.glossary import (
    ABBREVIATIONS,
    Entry,
    Glossary,
    Vocabulary,
    load_abbreviations,
    load_user_glossary,
)
from cobolspec.rules.tables import DecisionRow, DecisionTable
from cobolspec.rules.units import KINDS, RuleSet, RuleUnit, extract_all, extract_rules, store_rows

__all__ = [
    # glossary and describer; rule units, decision tables and coverage
    "ABBREVIATIONS",
    "KINDS",
    "Coverage",
    "DecisionRow",
    "DecisionTable",
    "Description",
    "Entry",
    "Glossary",
    "ProgramFacts",
    "RuleSet",
    "RuleUnit",
    "Vocabulary",
    "check_grounding",
    "describe_program",
    "describe_unit",
    "extract_all",
    "extract_rules",
    "load_abbreviations",
    "load_user_glossary",
    "store_rows",
]
