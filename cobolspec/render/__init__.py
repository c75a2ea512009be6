"""Markdown and JSON output, from the store and spec models only (templates in ``templates/``)."""

from __future__ import annotations

from cobolspec.render.env import render_template
from cobolspec.render.inventory import (
    INDEX_NAME,
    JSON_NAME,
    InventoryReport,
    build_inventory,
    render_inventory,
    write_inventory,
)

__all__ = [
    "INDEX_NAME",
    "JSON_NAME",
    "InventoryReport",
    "build_inventory",
    "render_inventory",
    "render_template",
    "write_inventory",
]
