"""Markdown and JSON output, from spec models only (templates in ``templates/``).

:func:`render_spec` writes the whole spec: ``index.md`` (the system page, inventory included),
``system.json``, ``inventory.json`` and ``programs/<PGM>.md`` / ``.json``.
"""

from __future__ import annotations

from cobolspec.render.env import render_template
from cobolspec.render.inventory import (
    INDEX_NAME,
    JSON_NAME,
    InventoryReport,
    build_inventory,
    render_inventory,
)
from cobolspec.render.pages import PROGRAMS_DIR, SYSTEM_JSON, SourceLinks, render_spec, write_spec

__all__ = [
    "INDEX_NAME",
    "JSON_NAME",
    "PROGRAMS_DIR",
    "SYSTEM_JSON",
    "InventoryReport",
    "SourceLinks",
    "build_inventory",
    "render_inventory",
    "render_spec",
    "render_template",
    "write_spec",
]
