"""The one exception tree for work that cannot go on.

Everything that can go on is reported as a :class:`~cobolspec.diagnostics.Diagnostic` instead.
"""

from __future__ import annotations


class CobolspecError(Exception):
    """Base of every error cobolspec raises on purpose."""


class SourceError(CobolspecError):
    """A member or copybook could not be read or preprocessed at all."""


class ParseError(CobolspecError):
    """A grammar could not be built or a parse could not even start."""


class StoreError(CobolspecError):
    """The DuckDB store refused an operation (e.g. a write through `query`)."""


class AgentError(CobolspecError):
    """An agent backend failed beyond its retry budget."""


class ConfigError(CobolspecError):
    """Bad options or configuration given by the user."""
