"""Time of each pipeline stage as a ratio to parsing, measured in the same run.

Runs ``cobolspec analyze`` in-process (one job) over the sample dump (default) or a corpus
folder, with every stage wrapped in a CPU-time counter, and prints the time of preprocessing
and parsing, of the analyses (control flow, data flow, system), of the rules stage (units,
glossary, offline descriptions), of storing and rendering, and the end-to-end time, each as a
ratio to the parse time.

    .venv/bin/python bench/pipeline_speed.py                 # samples/
    .venv/bin/python bench/pipeline_speed.py DIR [--nist]    # a corpus (NIST: prepared first)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from cobolspec.pipeline import STAGES, MemberWork, Stage, analyze  # noqa: E402

GROUPS = {
    "preprocess": "parse",
    "parse": "parse",
    "control-flow": "analysis",
    "data-flow": "analysis",
    "system": "analysis",
    "rules": "rules",
    "jcl": "system inputs",
    "bms": "system inputs",
    "csd": "system inputs",
}


def timed(stages: tuple[Stage, ...], clock: dict[str, float]) -> tuple[Stage, ...]:
    def wrap(stage: Stage) -> Stage:
        def run(work: MemberWork) -> None:
            start = time.process_time()
            try:
                stage.run(work)
            finally:
                clock[stage.name] += time.process_time() - start

        return Stage(stage.name, stage.kinds, run, stage.keyed)

    return tuple(wrap(s) for s in stages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "samples")
    parser.add_argument("--nist", action="store_true", help="prepare the NIST suite first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = args.corpus
        if args.nist:
            from corpus.nist import prepare_suite

            prepare_suite(args.corpus, work / "dump")
            root = work / "dump"
        clock: dict[str, float] = defaultdict(float)
        wall = time.perf_counter()
        cpu = time.process_time()
        result = analyze([root], db=work / "db.duckdb", out=work / "specs", jobs=1,
                         stages=timed(STAGES, clock))
        total_cpu = time.process_time() - cpu
        total_wall = time.perf_counter() - wall
    groups: dict[str, float] = defaultdict(float)
    for name, seconds in clock.items():
        groups[GROUPS.get(name, name)] += seconds
    staged = sum(clock.values())
    groups["discover, store, render"] = total_cpu - staged
    parse = groups["parse"] or 1e-9
    print(f"input: {root}  members: {sum(result.members_by_kind.values())} "
          f"({result.members_by_kind.get('program', 0)} programs)")
    print(f"{'part':<26}{'CPU s':>9}{'ratio to parse':>16}")
    for name in ("parse", "analysis", "rules", "system inputs", "discover, store, render"):
        print(f"{name:<26}{groups[name]:>9.2f}{groups[name] / parse:>16.2f}")
    print(f"{'end to end':<26}{total_cpu:>9.2f}{total_cpu / parse:>16.2f}"
          f"   (wall {total_wall:.2f} s)")
    print("by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(clock.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
