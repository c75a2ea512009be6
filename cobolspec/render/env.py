"""The jinja2 environment for every page: templates from ``templates/``, strict, no autoescape.

Markdown needs two kinds of escaping, done by filters rather than by the code that fills the
templates: ``cell`` for text inside a table cell and ``code`` for text in a code span.

>>> cell("a | b\\nc")
'a \\\\| b c'
>>> code("x`y")
'`` x`y ``'
>>> anchor("CBTRN02C.R012")
'cbtrn02cr012'
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from cobolspec.resources import resource_dir

__all__ = ["anchor", "cell", "code", "environment", "render_template"]


def cell(value: object) -> str:
    """Text that stays inside one Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def code(value: object) -> str:
    """A Markdown code span holding ``value`` verbatim (also inside a table cell)."""
    text = cell(value)
    if "`" in text:
        return f"`` {text} ``"
    return f"`{text}`"


def anchor(value: object) -> str:
    """The anchor GitHub-style Markdown gives a heading with this text."""
    text = "" if value is None else str(value).strip().lower()
    return "".join(ch for ch in text.replace(" ", "-") if ch.isalnum() or ch in "-_")


@cache
def environment() -> jinja2.Environment:
    """The shared environment, built once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("templates")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["code"] = code
    env.filters["anchor"] = anchor
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)
