"""rules stage of the cobolspec pipeline (see DESIGN.md)."""

from __future__ import annotations

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

__all__ = [
    # the glossary and the deterministic describer
    "ABBREVIATIONS",
    "Description",
    "Entry",
    "Glossary",
    "ProgramFacts",
    "Vocabulary",
    "check_grounding",
    "describe_program",
    "describe_unit",
    "load_abbreviations",
    "load_user_glossary",
]
