"""The published spec: pydantic models of program and system specs, assembled from the store.

>>> from cobolspec.store import Store
>>> with Store.open() as store:
...     system_spec(store).programs
[]
"""

from __future__ import annotations

from cobolspec.spec.assemble import program_spec, program_specs
from cobolspec.spec.models import ProgramSpec, SystemSpec
from cobolspec.spec.system import system_spec

__all__ = ["ProgramSpec", "SystemSpec", "program_spec", "program_specs", "system_spec"]
