"""The source stage: from a mainframe dump to expanded, mapped COBOL text.

* :func:`discover` walks a dump (folders, single files, IEBUPDTE concatenations), decodes each
  member (ASCII/UTF-8, cp1252/Latin-1, EBCDIC cp037/cp1047/cp500, with or without line ends)
  and classifies it by content (:class:`MemberKind`).
* :func:`preprocess` turns one member into the text the parser reads: reference format
  (fixed, free, variable), COPY with REPLACING, EXEC SQL INCLUDE, REPLACE; a
  :class:`SourceMap` leads every character back to its physical file, line and column.
* :class:`CopyLibrary` resolves COPY names (search folders, then the dump's own copybooks).

Diagnostic codes (stable; each finding carries file:line:col of the physical file, the physical
line and, where one exists, a hint):

======  ========  ===========================================================================
code    severity  meaning
======  ========  ===========================================================================
SRC001  warning   empty file or member; skipped
SRC002  warning   binary data, not text in any known encoding; skipped
SRC003  error     copybook not found (the hint lists the folders searched); COPY left out
SRC004  error     COPY cycle (the message names it: ``A -> B -> A``); the closing copy is
                  left out
SRC005  error     COPY name would leave the library (path separator, ``..``, absolute path);
                  refused
SRC006  error     pseudo-text opened with ``==`` and never closed
SRC007  info      EBCDIC assumed (which code page, records or line ends)
SRC008  error     file or folder cannot be read
SRC009  warning   alphanumeric literal still open at the end of the source (truncated?)
SRC010  warning   continuation line (``-``) with no line before it to continue
SRC011  warning   continued literal whose continuation line does not start with a quote
SRC012  error     malformed COPY or EXEC SQL INCLUDE (no name, no period, no END-EXEC, BY
                  missing)
SRC013  error     malformed REPLACE statement
SRC014  info      SQLCA / SQLDA (EXEC SQL INCLUDE) or DFHAID / DFHBMSCA / DFHEIBLK / DFHMSRCA
                  (COPY) not in the library: left out, the precompiler or CICS supplies it
SRC015  warning   unexpected character in the indicator area (column 7); read as a space
SRC016  info/warn IEBUPDTE structure: text outside members, ``./ ADD`` without NAME=,
                  a member added twice, other control statements
SRC017  warning   file too large to be a source member; skipped
SRC018  warning   a program whose text ends without a closing period (truncated?)
SRC019  info      reference format chosen by heuristic (free or variable), with the reason
SRC020  warning   EBCDIC data whose length is not a multiple of the 80-byte record length
SRC021  warning   unusable REPLACING operand (empty text to replace; LEADING/TRAILING with
                  more than one word); that pair is ignored
SRC022  info      conditional compilation directives (``>>IF``...) are not evaluated
SRC023  error     COPY nesting deeper than 50 levels
======  ========  ===========================================================================
"""

from __future__ import annotations

from cobolspec.source.classify import MemberKind, classify
from cobolspec.source.intake import Inventory, Member, discover
from cobolspec.source.library import CopyLibrary, ResolvedCopy
from cobolspec.source.preprocess import CopyUse, ExpandedSource, preprocess
from cobolspec.source.sourcemap import SourceMap

__all__ = [
    "CopyLibrary",
    "CopyUse",
    "ExpandedSource",
    "Inventory",
    "Member",
    "MemberKind",
    "ResolvedCopy",
    "SourceMap",
    "classify",
    "discover",
    "preprocess",
]
