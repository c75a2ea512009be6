"""The cobolspec side of the parse benchmark, run in a child process of its own.

``python bench/_worker.py JOB.json RESULT.json`` parses the job's programs one after the other in
this one process (preprocess, then parse) and writes the timings to ``RESULT.json``. It runs apart
from ``parse_speed.py`` so that its peak memory (``ru_maxrss``) and its import and grammar-load
time are those of a fresh interpreter doing nothing but this work.

The copy library is built as the pipeline builds it (:meth:`CopyLibrary.for_inventory` over the
copybook folders); that takes a moment of its own, reported apart from the parsing.

Job keys: ``files`` (program paths, the cobc subset first), ``copy_dirs``, ``mode`` (``time``,
``profile`` or ``tracemalloc``) and, for ``profile``, ``profile_out`` (where the cProfile stats
go).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

# A minimal program: parsing it loads the grammar (from the disk cache when there is one).
_TINY = (
    "       IDENTIFICATION DIVISION.\n"
    "       PROGRAM-ID. TINY.\n"
    "       PROCEDURE DIVISION.\n"
    "           STOP RUN.\n"
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def run(job: dict[str, Any]) -> dict[str, Any]:
    mode = job.get("mode", "time")
    tracing = mode == "tracemalloc"
    if tracing:
        import tracemalloc

        tracemalloc.start()
    out: dict[str, Any] = {"rss_start_mb": _rss_mb()}
    wall0, cpu0 = time.perf_counter(), time.process_time()

    from cobolspec.diagnostics import Severity
    from cobolspec.parse.parser import parse_expanded
    from cobolspec.source import CopyLibrary, discover, preprocess

    out["import_s"] = time.perf_counter() - wall0
    out["rss_import_mb"] = _rss_mb()
    t = time.perf_counter()
    parse_expanded(preprocess(_TINY))
    out["grammar_s"] = time.perf_counter() - t
    out["startup_s"] = time.perf_counter() - wall0
    out["startup_cpu_s"] = time.process_time() - cpu0
    out["rss_startup_mb"] = _rss_mb()

    # the copy library as the pipeline builds it: folders plus the members found in them
    # (so that DCLGEN members with their own extensions resolve too)
    t = time.perf_counter()
    copy_dirs = [Path(d) for d in job.get("copy_dirs", [])]
    library = (CopyLibrary.for_inventory(discover(*copy_dirs), copy_dirs) if copy_dirs
               else CopyLibrary())
    out["library_s"] = time.perf_counter() - t
    files = [Path(f) for f in job.get("files", [])]
    profiler = None
    if mode == "profile":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    per_file: list[dict[str, Any]] = []
    clock, cpu = time.perf_counter, time.process_time
    error = Severity.ERROR
    for path in files:
        w0, c0 = clock(), cpu()
        src = preprocess(path, library)
        w1, c1 = clock(), cpu()
        result = parse_expanded(src)
        w2, c2 = clock(), cpu()
        per_file.append(
            {
                "pre_s": w1 - w0,
                "parse_s": w2 - w1,
                "pre_cpu_s": c1 - c0,
                "parse_cpu_s": c2 - c1,
                "expanded_lines": src.text.count("\n") + 1,
                "statements": result.statements_total,
                "unparsed": result.statements_unparsed,
                "errors": sum(
                    1 for d in (*src.diagnostics, *result.diagnostics) if d.severity == error
                ),
            }
        )
        del src, result
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(job["profile_out"])
    out["files"] = per_file
    out["total_s"] = time.perf_counter() - wall0
    out["total_cpu_s"] = time.process_time() - cpu0
    out["rss_peak_mb"] = _rss_mb()
    if tracing:
        import tracemalloc

        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return out


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text("utf-8"))
    result = run(job)
    Path(argv[2]).write_text(json.dumps(result), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
