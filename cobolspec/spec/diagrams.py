"""Diagrams of the spec: graphs as node and edge lists, drawn as Mermaid flowcharts.

The Mermaid text comes from ``templates/mermaid/flowchart.mmd.j2``; this module only decides which
nodes and edges there are. Labels are escaped for Mermaid by the template's ``mermaid_text``
filter:

>>> mermaid_text('say "hi" | <b> &&T #1')
'say #quot;hi#quot; #124; #lt;b#gt; #amp;#amp;T #35;1'
>>> d = diagram([DiagramNode(id="A", label="A", kind="program"),
...              DiagramNode(id="B", label="B", kind="missing")],
...             [("A", "B", "CALL"), ("A", "B", "CALL")])
>>> print(d.mermaid)
flowchart LR
    n0["A"]
    n1["B"]
    n0 -->|"CALL x2"| n1
    classDef k_missing stroke-dasharray: 4 4
    class n1 k_missing
<BLANKLINE>
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache

import jinja2

from cobolspec.resources import resource_dir
from cobolspec.spec.models import Diagram, DiagramEdge, DiagramNode

__all__ = ["DOTTED_EDGES", "NODE_STYLES", "diagram", "mermaid_text"]

# Edge kinds drawn dotted: control passes without an explicit transfer.
DOTTED_EDGES = frozenset({"fallthrough", "return", "runs"})

# Mermaid styles of node kinds that stand out.
NODE_STYLES = {
    "focus": "stroke-width:3px",
    "missing": "stroke-dasharray: 4 4",
    "unreachable": "fill:#eeeeee,stroke:#999999,stroke-dasharray: 3 3",
    "dynamic": "stroke-dasharray: 2 2",
}

_ESCAPES = {
    '"': "#quot;", "|": "#124;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;",
    "\n": " ", "\r": " ",
}


def mermaid_text(value: object) -> str:
    """Text that stays inside a quoted Mermaid label."""
    text = "" if value is None else str(value)
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("templates")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mermaid_text"] = mermaid_text
    return env.get_template("mermaid/flowchart.mmd.j2")


def diagram(
    nodes: Iterable[DiagramNode],
    edges: Iterable[tuple[str, str, str]],
    *,
    direction: str = "LR",
    styles: Mapping[str, str] = NODE_STYLES,
) -> Diagram:
    """A diagram of ``nodes`` (drawn in the order given) and ``(src, dst, kind)`` edges.

    Repeated edges are drawn once with their count; edges are sorted by the order of their
    nodes, then kind. An edge naming an unknown node raises ValueError.
    """
    node_list = list(nodes)
    ids = {node.id: f"n{i}" for i, node in enumerate(node_list)}
    if len(ids) != len(node_list):
        raise ValueError("diagram nodes must have distinct IDs")
    order = {node.id: i for i, node in enumerate(node_list)}
    counts = Counter(edges)
    for src, dst, _ in counts:
        for end in (src, dst):
            if end not in ids:
                raise ValueError(f"edge end {end!r} is not a node of the diagram")
    edge_list = [
        DiagramEdge(src=src, dst=dst, kind=kind, count=n)
        for (src, dst, kind), n in sorted(
            counts.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]], kv[0][2])
        )
    ]
    text = _template().render(
        direction=direction,
        nodes=node_list,
        ids=ids,
        edges=edge_list,
        dotted=DOTTED_EDGES,
        classes=dict(styles),
    )
    return Diagram(nodes=node_list, edges=edge_list, mermaid=text)
