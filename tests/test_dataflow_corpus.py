"""The NIST CCVS85 COBOL-85 suite through the data-flow analysis: no crash, every name resolved
(but those the suite declares in a way the parser keeps no item for), and reaching definitions
that are consistent: every use in a statement that can run has a definition reaching it.

Set ``COBOLSPEC_NIST_DIR`` to the suite's folder; the test is skipped without it. Run with
``pytest -s`` to see the counts.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from cobolspec.analysis.dataflow import analyze, forward_lineage, lineage, reaching_definitions
from cobolspec.parse.parser import parse_expanded
from cobolspec.source import CopyLibrary, preprocess
from tests.corpus.nist import nist_dir, prepare_suite

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(nist_dir() is None, reason="set COBOLSPEC_NIST_DIR to the NIST suite"),
]

# The communication module (CM) names its message fields in the clauses of CD entries
# (``STATUS KEY IS STATUS-KEY``); the parser keeps no data item for them.
NAMES_FROM_CD_CLAUSES = "CM"


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    programs: int
    accesses: int
    diagnostics: tuple[str, ...]  # CODE name
    unreached_uses: tuple[str, ...]
    seconds: float


def analyse_one(path: Path, copybooks: Path | None, root: Path) -> Result:
    src = preprocess(path, CopyLibrary([copybooks] if copybooks else [], base=root), root=root)
    programs = parse_expanded(src).all_programs()
    start = time.perf_counter()
    accesses = 0
    diagnostics: list[str] = []
    unreached: list[str] = []
    for program in programs:
        flow = analyze(program)
        rd = reaching_definitions(program)
        accesses += sum(len(f.accesses) for f in flow.statements)
        diagnostics += [f"{d.code} {d.message.split()[2]}" for d in flow.diagnostics]
        for node, facts in rd.facts.items():
            if not rd.reach_in_bits.get(node):
                continue  # a statement no path reaches
            for a in facts.uses:
                if not rd.reaching(node, a.item):
                    unreached.append(f"{node} {a.item}")
        for name in list(flow.items)[:3]:
            lineage(program, name)
            forward_lineage(program, name)
    return Result(path.stem, len(programs), accesses, tuple(diagnostics), tuple(unreached[:3]),
                  time.perf_counter() - start)


def test_nist_suite_data_flow(tmp_path: Path) -> None:
    folder = nist_dir()
    assert folder is not None
    sources, copybooks = prepare_suite(folder, tmp_path)
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(analyse_one, sources, [copybooks] * len(sources),
                                [tmp_path] * len(sources), chunksize=8))
    slowest = max(results, key=lambda r: r.seconds)
    print(f"\nNIST data flow: {len(results)} files, {sum(r.programs for r in results)} programs, "
          f"{sum(r.accesses for r in results)} accesses, slowest {slowest.name} "
          f"{slowest.seconds:.2f}s")
    assert sum(r.accesses for r in results) > 200_000
    unexplained = {r.name: r.diagnostics for r in results
                   if r.diagnostics and not r.name.startswith(NAMES_FROM_CD_CLAUSES)}
    assert unexplained == {}
    assert not [d for r in results for d in r.diagnostics if not d.startswith("DFL001")]
    assert [(r.name, r.unreached_uses) for r in results if r.unreached_uses] == []
