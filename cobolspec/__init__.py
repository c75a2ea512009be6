"""cobolspec: turn a mainframe COBOL source dump into a verified, queryable specification."""

from __future__ import annotations

from cobolspec.diagnostics import Diagnostic, Location, Severity, Span
from cobolspec.errors import (
    AgentError,
    CobolspecError,
    ConfigError,
    ParseError,
    SourceError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "AgentError",
    "CobolspecError",
    "ConfigError",
    "Diagnostic",
    "Location",
    "ParseError",
    "Severity",
    "SourceError",
    "Span",
    "StoreError",
    "__version__",
]
