"""Rule units over the NIST CCVS85 suite: no crash, every IF and EVALUATE inside a unit, every
statement counted once, and how many stay unexplained.

Set ``COBOLSPEC_NIST_DIR`` to the suite's folder; the test is skipped without it. Run with
``pytest -s`` to see the counts.
"""

from __future__ import annotations

import os
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cobolspec.model import ast as A
from cobolspec.parse.facts import statement_id, walk_statements
from cobolspec.parse.parser import parse_expanded
from cobolspec.rules import extract_rules
from cobolspec.source import CopyLibrary, preprocess
from tests.corpus.nist import nist_dir, prepare_suite

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(nist_dir() is None, reason="set COBOLSPEC_NIST_DIR to the NIST suite"),
]


@dataclass(slots=True)
class Counts:
    name: str
    statements: int = 0
    in_units: int = 0
    plumbing: int = 0
    unexplained: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    outside: list[str] = field(default_factory=list)  # IF/EVALUATE not in a unit
    crash: str | None = None


def rules_of(path: Path, copybooks: Path | None, root: Path) -> Counts:
    """Extract the rules of one prepared suite file (run in a worker process)."""
    out = Counts(path.stem)
    try:
        src = preprocess(path, CopyLibrary([copybooks] if copybooks else [], base=root),
                         root=root)
        for program in parse_expanded(src).all_programs():
            ruleset = extract_rules(program)
            c = ruleset.coverage
            out.statements += c.statements
            out.in_units += c.in_units
            out.plumbing += c.plumbing
            out.unexplained += len(c.unexplained)
            out.kinds.update(u.kind for u in ruleset.units)
            if program.procedure is None:
                continue
            covered = {sid for u in ruleset.units for sid in u.statements}
            out.outside += [statement_id(st) for p in program.procedure.paragraphs
                            for st in walk_statements(p.statements)
                            if isinstance(st, (A.IfStmt, A.EvaluateStmt))
                            and statement_id(st) not in covered]
    except Exception:
        out.crash = traceback.format_exc(limit=6)
    return out


def test_rules_over_the_nist_suite(tmp_path: Path) -> None:
    folder = nist_dir()
    assert folder is not None
    sources, copybooks = prepare_suite(folder, tmp_path)
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(rules_of, sources, [copybooks] * len(sources),
                                [tmp_path] * len(sources), chunksize=8))
    crashes = {r.name: r.crash for r in results if r.crash}
    assert crashes == {}, next(iter(crashes.values()), "")
    statements = sum(r.statements for r in results)
    in_units = sum(r.in_units for r in results)
    unexplained = sum(r.unexplained for r in results)
    kinds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.kinds)
    print(f"\nNIST rules: {len(results)} files, {sum(kinds.values())} units "
          f"{dict(sorted(kinds.items()))}; {statements} statements, {in_units} in units, "
          f"{sum(r.plumbing for r in results)} plumbing, {unexplained} unexplained")
    assert [(r.name, r.outside[:3]) for r in results if r.outside] == []
    assert in_units + sum(r.plumbing for r in results) + unexplained == statements
