"""Loading the COBOL grammars: one LALR table for all divisions, built once and cached.

The grammar files in ``grammars/`` are concatenated (shared rules first) and compiled into a single
Lark LALR parser with several start rules, one per unit the driver parses (a sentence, a data
entry, an environment paragraph...). Tokens are produced by :mod:`cobolspec.parse.scanner`, so
Lark's own lexer is never run; the table is cached on disk keyed by the grammar text.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark
from lark.lexer import Lexer, PatternStr

from cobolspec.errors import ParseError
from cobolspec.resources import resource_dir

GRAMMAR_FILES = ("common", "identification", "environment", "data", "procedure")

START_RULES = (
    "identification_division",
    "source_computer",
    "object_computer",
    "special_names",
    "repository",
    "file_control",
    "select_entry",
    "i_o_control",
    "data_entry",
    "procedure_header",
    "sentence",
)


class _NoLexer(Lexer):
    """Placeholder: tokens are fed to the parser by the driver, never lexed by Lark."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any) -> Any:  # pragma: no cover
        raise ParseError("the COBOL grammar is driven by cobolspec.parse.driver, not lex()")


def grammar_text() -> str:
    folder = resource_dir("grammars")
    return "\n".join((folder / f"{name}.lark").read_text("utf-8") for name in GRAMMAR_FILES)


class Grammar:
    """The compiled grammar and the keyword table the token adapter needs."""

    def __init__(self, lark: Lark) -> None:
        self.lark = lark
        parser = lark.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        self.parse_table = parser.parse_table
        self.callbacks = parser.callbacks
        self.states = self.parse_table.states
        # keyword text (upper case) -> terminal name, for every string literal in the grammar
        self.keywords: dict[str, str] = {}
        for term in lark.terminals:
            if isinstance(term.pattern, PatternStr):
                self.keywords[term.pattern.value.upper()] = term.name
        self.start_states = self.parse_table.start_states
        self.end_states = self.parse_table.end_states


def _cache_path(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    base = os.environ.get("COBOLSPEC_CACHE") or os.path.join(tempfile.gettempdir(), "cobolspec")
    os.makedirs(base, exist_ok=True)
    return str(Path(base) / f"grammar-{digest}.lark.cache")


@lru_cache(maxsize=4)
def load_grammar(transformer: Any = None) -> Grammar:
    """Build (or load from the disk cache) the LALR parser; ``transformer`` runs inline."""
    text = grammar_text()
    try:
        lark = Lark(
            text,
            parser="lalr",
            lexer=_NoLexer,
            start=list(START_RULES),
            transformer=transformer,
            maybe_placeholders=False,
            keep_all_tokens=True,
            cache=_cache_path(text),
        )
    except Exception as exc:  # a grammar defect is ours, not the user's
        raise ParseError(f"the COBOL grammar could not be built: {exc}") from exc
    return Grammar(lark)
