"""Writing the spec: ``index.md`` (the system page), ``system.json``, ``inventory.json`` and, per
program, ``programs/<PGM>.md`` and ``programs/<PGM>.json``.

Pages come from spec models only, through the templates in ``templates/``. Every source location
shown links to the physical file (``#L<line>``) when that file lies inside the dump root, by a
path relative to the page. Nothing depends on the clock, so an unchanged store (rendered to the
same folder) gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from cobolspec.render.env import render_template
from cobolspec.render.inventory import (
    INDEX_NAME,
    JSON_NAME,
    KIND_TITLES,
    InventoryReport,
    build_inventory,
)
from cobolspec.spec import ProgramSpec, SystemSpec, program_specs, system_spec
from cobolspec.store import Store

__all__ = [
    "PROGRAMS_DIR",
    "SYSTEM_JSON",
    "SourceLinks",
    "dump_root",
    "render_spec",
    "write_spec",
]

PROGRAMS_DIR = "programs"
SYSTEM_JSON = "system.json"

_LAST_ROOTS = "SELECT roots FROM runs ORDER BY run_id DESC LIMIT 1"


@dataclass(frozen=True, slots=True)
class SourceLinks:
    """Links from one page's folder to source files under the dump root (None: no links)."""

    root: Path | None
    page_dir: Path

    def href(self, file: str | None, line: int | None = None) -> str | None:
        """The relative link to ``file`` (at ``line``), or None when it is outside the root."""
        if self.root is None or not file:
            return None
        url = _file_url(self.root, self.page_dir, file)
        if url is None:
            return None
        return f"{url}#L{line}" if line else url


@lru_cache(maxsize=65536)
def _file_url(root: Path, page_dir: Path, file: str) -> str | None:
    rel = PurePosixPath(file)
    if rel.is_absolute() or ".." in rel.parts:
        return None
    target = os.path.relpath(root.joinpath(*rel.parts), page_dir)
    return quote(Path(target).as_posix(), safe="/")


def dump_root(store: Store) -> Path | None:
    """The folder member paths are relative to, as the last run computed it (absolute).

    None when the store records no run. Roots that were files count by their folder.
    """
    row = store.con.execute(_LAST_ROOTS).fetchone()
    if not row:
        return None
    try:
        roots = [Path(r) for r in json.loads(row[0])]
    except (TypeError, ValueError):
        return None
    if not roots:
        return None
    bases = [str((r.parent if r.is_file() else r).absolute()) for r in roots]
    try:
        return Path(os.path.commonpath(bases))
    except ValueError:  # different drives
        return Path(bases[0])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8", newline="\n")
    return path


def _json(model: SystemSpec | ProgramSpec | InventoryReport) -> str:
    return model.model_dump_json(indent=2) + "\n"


def write_spec(
    store: Store, out: Path | str, *, source_root: Path | str | None = None
) -> list[Path]:
    """Write every page and JSON file of the spec held in ``store`` into ``out``.

    Returns the files written, ``index.md`` first. Pages of programs no longer in the store are
    deleted from ``out/programs``. ``source_root`` overrides the dump root taken from the store.
    """
    folder = Path(out)
    programs_dir = folder / PROGRAMS_DIR
    programs_dir.mkdir(parents=True, exist_ok=True)
    root = Path(source_root).absolute() if source_root is not None else dump_root(store)
    system = system_spec(store)
    inventory = build_inventory(store)
    pages = {p.program: p.page for p in reversed(system.programs)}  # first member wins
    page_of = {(p.member, p.program): p.page for p in system.programs}
    titles = {k: KIND_TITLES.get(k, k.capitalize()) for k in inventory.kinds}

    index = _write(
        folder / INDEX_NAME,
        render_template(
            "index.md.j2",
            system=system,
            report=inventory,
            titles=titles,
            links=SourceLinks(root, folder.absolute()),
        ),
    )
    written = [
        index,
        _write(folder / SYSTEM_JSON, _json(system)),
        _write(folder / JSON_NAME, _json(inventory)),
    ]
    links = SourceLinks(root, programs_dir.absolute())
    kept: set[str] = set()
    for spec in program_specs(store):
        page = page_of[(spec.member, spec.program)]
        text = render_template("program.md.j2", spec=spec, pages=pages, links=links)
        written.append(_write(programs_dir / f"{page}.md", text))
        written.append(_write(programs_dir / f"{page}.json", _json(spec)))
        kept.update((f"{page}.md", f"{page}.json"))
    for stale in sorted(programs_dir.iterdir()):
        if stale.suffix in (".md", ".json") and stale.is_file() and stale.name not in kept:
            stale.unlink()
    return written


def render_spec(
    store: Store | Path | str, out: Path | str, *, source_root: Path | str | None = None
) -> list[Path]:
    """Write the spec from a store (open, or a database file opened read-only) into ``out``."""
    if isinstance(store, Store):
        return write_spec(store, out, source_root=source_root)
    with Store.open(store, read_only=True) as opened:
        return write_spec(opened, out, source_root=source_root)
