"""The JSON Schema of the published spec, as committed in ``docs/``.

``python -m cobolspec.spec.schema [FOLDER]`` (default ``docs``) writes
``program-spec.schema.json`` and ``system-spec.schema.json``; a test checks that the committed
files are what the models give.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cobolspec.spec.models import ProgramSpec, SystemSpec

__all__ = ["SCHEMA_FILES", "schema_text", "write_schemas"]

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "program-spec.schema.json": ProgramSpec,
    "system-spec.schema.json": SystemSpec,
}


def schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of ``model`` (draft 2020-12), as the text of its file."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(mode="serialization"),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path | str = "docs") -> list[Path]:
    """Write every schema file into ``folder``; returns their paths."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_FILES.items():
        path = target / name
        path.write_text(schema_text(model), "utf-8", newline="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    write_schemas(sys.argv[1] if len(sys.argv) > 1 else "docs")
