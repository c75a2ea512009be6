"""Locating the data folders (``grammars/``, ``templates/``) in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` shipped inside the wheel, or at the repository root in a checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cobolspec data folder {name!r} not found next to {_PACKAGE}")
