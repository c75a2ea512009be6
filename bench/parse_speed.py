"""Parse speed of cobolspec against GnuCOBOL's ``cobc -fsyntax-only``, measured in the same run.

    .venv/bin/python bench/parse_speed.py                  # samples/ replicated to 200,000 lines
    .venv/bin/python bench/parse_speed.py --quick          # a small smoke run
    .venv/bin/python bench/parse_speed.py DIR... [--nist]  # a corpus (--nist: prepare it first)

The reference is cobc run once per program, as a user checks a dump; cobolspec preprocesses and
parses the same programs one after the other in one fresh process (one core), grammar loading
included. Programs cobc cannot check (EXEC blocks need a precompiler) are left out of the
comparison and reported; cobolspec is also measured on everything. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import REPO, Corpus, Program, from_folders, replicate_samples

WORKER = Path(__file__).resolve().parent / "_worker.py"
DEFAULT_LINES = 200_000
QUICK_LINES = 10_000


# ---------------------------------------------------------------- measuring


@dataclass(slots=True)
class CobcRun:
    files: int
    lines: int
    wall_s: float
    cpu_s: float
    rejected: int
    version: str
    per_file_s: float = 0.0  # fixed cost of one cobc run (a four-line program)


def cobc_version(cobc: str) -> str:
    out = subprocess.run([cobc, "--version"], capture_output=True, text=True, check=False)
    first = out.stdout.splitlines()[0] if out.stdout else "cobc"
    return first.replace("cobc (GnuCOBOL) ", "GnuCOBOL ")


def progress(message: str) -> None:
    sys.stdout.flush()
    print(message, file=sys.stderr, flush=True)


def run_cobc(cobc: str, corpus: Corpus, std: str) -> CobcRun:
    """``cobc -fsyntax-only`` once per program, one after the other."""
    programs = corpus.cobc_programs()
    common = [cobc, "-fsyntax-only", f"-std={std}"]
    for d in corpus.copy_dirs:
        common += ["-I", str(d)]
    for ext in corpus.cobc_extensions():
        common += ["-ext", ext]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rejected = 0
    t0 = time.perf_counter()
    for p in programs:
        cmd = [*common, "-free", str(p.path)] if p.format == "free" else [*common, str(p.path)]
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False)
        rejected += done.returncode != 0
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return CobcRun(len(programs), sum(p.lines for p in programs), wall, cpu, rejected,
                   cobc_version(cobc))


_TINY_PROGRAM = (
    "       IDENTIFICATION DIVISION.\n"
    "       PROGRAM-ID. TINY.\n"
    "       PROCEDURE DIVISION.\n"
    "           STOP RUN.\n"
)


def cobc_fixed_cost(cobc: str, work: Path, std: str, runs: int = 21) -> float:
    """Median wall time of cobc on a four-line program: what every file costs before its
    first line."""
    tiny = work / "TINY.cbl"
    tiny.write_text(_TINY_PROGRAM, "ascii")
    times: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([cobc, "-fsyntax-only", f"-std={std}", str(tiny)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return sorted(times)[runs // 2]


def run_worker(job: dict[str, Any], work: Path, tag: str,
               env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the cobolspec side in a fresh interpreter and return what it measured."""
    job_file, result_file = work / f"{tag}.job.json", work / f"{tag}.result.json"
    job_file.write_text(json.dumps(job), "utf-8")
    done = subprocess.run([sys.executable, str(WORKER), str(job_file), str(result_file)],
                          env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the cobolspec worker ({tag}) failed with exit code "
                           f"{done.returncode}")
    result: dict[str, Any] = json.loads(result_file.read_text("utf-8"))
    return result


def ordered_files(corpus: Corpus) -> tuple[list[Program], int]:
    """Programs cobc checks first (so that their total is what parsing them alone costs),
    then the rest; and the size of the first group."""
    first = corpus.cobc_programs()
    rest = [p for p in corpus.programs if p.cobc_skip is not None]
    return first + rest, len(first)


# ---------------------------------------------------------------- the profile

# Stage of a function, by the file (and for the driver, the function) it lives in. Functions of
# no stage (built-ins, lark's Token, the re module, dataclass __init__...) count for the stages
# that call them, in proportion to the time spent under each caller.
_STAGE_BY_PATH = (
    ("cobolspec/source/", "preprocessing (COPY, format, source map)"),
    ("cobolspec/parse/scanner.py", "scanning"),
    ("cobolspec/parse/structure.py", "structure (splitting into units)"),
    ("cobolspec/parse/grammar.py", "grammar load"),
    ("cobolspec/parse/parser.py", "parser.py orchestration, diagnostics"),
    ("cobolspec/model/build.py", "transformer callbacks (AST build)"),
    ("cobolspec/model/assemble.py", "transformer callbacks (AST build)"),
    ("lark/parse_tree_builder.py", "transformer callbacks (AST build)"),
    ("cobolspec/model/exec", "EXEC blocks (SQL/CICS analysis)"),
    ("cobolspec/model/layout.py", "layout (offsets, sizes)"),
    ("cobolspec/model/picture.py", "layout (offsets, sizes)"),
    ("cobolspec/model/ast.py", "AST nodes (walk, helpers)"),
    ("cobolspec/diagnostics.py", "parser.py orchestration, diagnostics"),
    ("lark/load_grammar.py", "grammar load"),
    ("bench/_worker.py", "benchmark loop"),
)
_DRIVER_STRUCTURE = frozenset({"merge_phrases", "_w"})

FuncKey = tuple[str, int, str]


def own_stage(key: FuncKey) -> str | None:
    filename, _, name = key
    path = filename.replace(os.sep, "/")
    if path.endswith("cobolspec/parse/driver.py"):
        return "structure (splitting into units)" if name in _DRIVER_STRUCTURE else "LR driver"
    for part, stage in _STAGE_BY_PATH:
        if part in path:
            return stage
    return None


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Self time per stage, library and built-in calls charged to the stage calling them."""
    table: dict[FuncKey, Any] = stats.stats  # type: ignore[attr-defined]
    shares: dict[FuncKey, dict[str, float]] = {}
    busy: set[FuncKey] = set()

    def share(key: FuncKey) -> dict[str, float]:
        if key in shares:
            return shares[key]
        stage = own_stage(key)
        if stage is not None:
            shares[key] = {stage: 1.0}
            return shares[key]
        if key in busy or key not in table:
            return {"other": 1.0}
        busy.add(key)
        callers = table[key][4]
        weights = {c: v[3] or v[2] or v[1] for c, v in callers.items()}
        total = sum(weights.values())
        mix: dict[str, float] = {}
        if total <= 0:
            mix = {"other": 1.0}
        else:
            for c, w in weights.items():
                for s, f in share(c).items():
                    mix[s] = mix.get(s, 0.0) + f * w / total
        busy.discard(key)
        shares[key] = mix
        return mix

    out: dict[str, float] = {}
    for key, (_cc, _nc, tt, _ct, _callers) in table.items():
        for s, f in share(key).items():
            out[s] = out.get(s, 0.0) + tt * f
    return out


def _func_label(key: FuncKey) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = filename.replace(os.sep, "/")
    for anchor in ("cobolspec/", "lark/", "sqlglot/", "bench/"):
        at = path.rfind(anchor)
        if at >= 0:
            path = path[at:]
            break
    else:
        path = Path(path).name
    return f"{path}:{line} {name}"


def print_profile(stats_file: Path, top: int, elapsed: float) -> None:
    stats = pstats.Stats(str(stats_file))
    table: dict[FuncKey, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in table.values()) or 1.0
    print(f"\nprofile of the cobolspec side (cProfile, all files; {elapsed:.1f} s under the "
          f"profiler, {total:.1f} s of self time)")
    print("  by stage (self time; library and built-in calls charged to their callers):")
    for stage, t in sorted(stage_times(stats).items(), key=lambda kv: -kv[1]):
        if t < 0.005:
            continue
        print(f"    {stage:<42} {t:7.2f} s  {100 * t / total:5.1f} %")
    rows: list[tuple[FuncKey, int, float, float]] = [
        (key, v[1], v[2], v[3]) for key, v in table.items()
        # the benchmark loop and the profiler itself say nothing
        if "bench/_worker.py" not in key[0].replace(os.sep, "/") and "_lsprof" not in key[2]
    ]
    for title, cumulative in (("cumulative time", True), ("self time", False)):
        print(f"  top {top} by {title}:{'calls':>{24 - len(title)}}    self s     cum s")
        ranked = sorted(rows, key=lambda r: -(r[3] if cumulative else r[2]))
        for key, calls, tt, ct in ranked[:top]:
            print(f"    {calls:>10,} {tt:9.2f} {ct:9.2f}  {_func_label(key)}")


# ---------------------------------------------------------------- the report


def _rate(lines: int, seconds: float) -> str:
    return f"{lines / seconds:12,.0f}" if seconds > 0 else f"{'-':>12}"


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:7.2f}" if b else f"{'-':>7}"


def _row(label: str, files: int | str, lines: int | str, wall: float | None,
         cpu: float | None, rate: str = "", ratio: str = "") -> None:
    f = f"{files:>6,}" if isinstance(files, int) else f"{files:>6}"
    n = f"{lines:>10,}" if isinstance(lines, int) else f"{lines:>10}"
    w = f"{wall:9.2f}" if wall is not None else f"{'':9}"
    c = f"{cpu:9.2f}" if cpu is not None else f"{'':9}"
    print(f"  {label:<36}{f} {n} {w} {c} {rate:>12} {ratio:>7}")


def _sum(files: Sequence[dict[str, Any]], key: str) -> float:
    return float(sum(f[key] for f in files))


def report(corpus: Corpus, cobc: CobcRun | None, res: dict[str, Any], n_subset: int,
           ordered: list[Program], cold: dict[str, Any] | None,
           traced: dict[str, Any] | None, std: str) -> None:
    files = res["files"]
    sub, rest = files[:n_subset], files[n_subset:]
    startup, startup_cpu = res["startup_s"], res["startup_cpu_s"]
    all_lines = corpus.lines
    sub_lines = sum(p.lines for p in ordered[:n_subset])
    expanded = int(_sum(files, "expanded_lines"))
    print(f"\ninput: {len(ordered):,} programs, {all_lines:,} lines "
          f"({expanded:,} lines after COPY), {len(corpus.copy_dirs)} copybook folder(s)")
    for note in corpus.notes:
        print(f"  - {note}")
    skipped = Counter(p.cobc_skip for p in ordered[n_subset:])
    if skipped:
        why = ", ".join(f"{k} {v}" for k, v in sorted(skipped.items(), key=lambda kv: -kv[1]))
        print(f"cobc side: {n_subset:,} of {len(ordered):,} programs; left to cobolspec alone "
              f"(cobc has no precompiler or cannot read them): {why}")
    else:
        print(f"cobc side: all {n_subset:,} programs")
    print()
    print(f"  {'':<36}{'files':>6} {'lines':>10} {'wall s':>9} {'cpu s':>9} {'lines/s':>12} "
          f"{'ratio':>7}")
    ref_wall = ref_cpu = None
    if cobc is not None:
        ref_wall, ref_cpu = cobc.wall_s, cobc.cpu_s
        _row("cobc -fsyntax-only, once per file", cobc.files, cobc.lines, cobc.wall_s,
             cobc.cpu_s, _rate(cobc.lines, cobc.wall_s), "1.00")
    if n_subset:
        pre, par = _sum(sub, "pre_s"), _sum(sub, "parse_s")
        pre_c, par_c = _sum(sub, "pre_cpu_s"), _sum(sub, "parse_cpu_s")
        wall, cpu = startup + pre + par, startup_cpu + pre_c + par_c
        _row("cobolspec, same files, one process", n_subset, sub_lines, wall, cpu,
             _rate(sub_lines, wall), _ratio(wall, ref_wall))
        _row("  startup (import + grammar load)", "", "", startup, startup_cpu)
        _row("  preprocess", "", "", pre, pre_c, _rate(sub_lines, pre))
        _row("  parse", "", "", par, par_c, _rate(sub_lines, par))
        _row("  steady state (no startup)", "", "", pre + par, pre_c + par_c,
             _rate(sub_lines, pre + par), _ratio(pre + par, ref_wall))
        if ref_cpu:
            print(f"  {'':<36}cpu-time ratio cobolspec/cobc: {cpu / ref_cpu:.2f} "
                  f"(steady state {(pre_c + par_c) / ref_cpu:.2f})")
    if rest or not n_subset:
        pre, par = _sum(files, "pre_s"), _sum(files, "parse_s")
        pre_c, par_c = _sum(files, "pre_cpu_s"), _sum(files, "parse_cpu_s")
        wall, cpu = startup + pre + par, startup_cpu + pre_c + par_c
        _row("cobolspec, all files, one process", len(files), all_lines, wall, cpu,
             _rate(all_lines, wall))
        _row("  preprocess", "", "", pre, pre_c, _rate(all_lines, pre))
        _row("  parse", "", "", par, par_c, _rate(all_lines, par))
        _row("  steady state (no startup)", "", "", pre + par, pre_c + par_c,
             _rate(all_lines, pre + par))
    print()
    if cobc is not None:
        print(f"cobc verdicts: {cobc.files - cobc.rejected:,} accepted, {cobc.rejected:,} "
              f"rejected (timed all the same); -std={std}")
        fixed = cobc.per_file_s * cobc.files
        print(f"cobc fixed cost per run (four-line program): {1000 * cobc.per_file_s:.1f} ms, "
              f"{fixed:.2f} s of its {cobc.wall_s:.2f} s here", end="")
        if n_subset and cobc.wall_s > fixed:
            steady = _sum(sub, "pre_s") + _sum(sub, "parse_s")
            print(f"; beyond it cobc reads {cobc.lines / (cobc.wall_s - fixed):,.0f} lines/s, "
                  f"ratio of cobolspec's steady state to that: "
                  f"{steady / (cobc.wall_s - fixed):.2f}")
        else:
            print()
    statements = int(_sum(files, "statements"))
    unparsed = int(_sum(files, "unparsed"))
    errors = int(_sum(files, "errors"))
    print(f"cobolspec results: {statements:,} statements, {unparsed:,} unparsed, "
          f"{errors:,} error diagnostics")
    print(f"startup: import {res['import_s']:.2f} s + grammar load {res['grammar_s']:.2f} s "
          f"(disk cache present); copy library index {res['library_s']:.2f} s (not counted)",
          end="")
    if cold is not None:
        print(f"; with an empty grammar cache: {cold['startup_s']:.2f} s (first run ever)")
    else:
        print()
    mem = (f"peak RSS of the cobolspec process: {res['rss_peak_mb']:.0f} MB "
           f"(after imports {res['rss_import_mb']:.0f} MB, after grammar load "
           f"{res['rss_startup_mb']:.0f} MB)")
    if traced is not None:
        mem += f"; tracemalloc peak {traced['tracemalloc_peak_mb']:.0f} MB"
    print(mem)
    # per program (copies of one sample together): milliseconds per 1,000 lines after COPY
    spent: dict[str, list[float]] = {}
    for p, f in zip(ordered, files, strict=True):
        name = p.origin or p.path.name
        acc = spent.setdefault(name, [0.0, 0.0])
        acc[0] += f["pre_s"] + f["parse_s"]
        acc[1] += f["expanded_lines"]
    slow = sorted(((1e6 * s / max(n, 1), name) for name, (s, n) in spent.items()), reverse=True)
    print("slowest programs (ms per 1,000 lines after COPY): "
          + ", ".join(f"{name} {t:.0f}" for t, name in slow[:5]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("corpus", nargs="*", type=Path,
                    help="corpus folder(s); default: samples/ replicated")
    ap.add_argument("--nist", action="store_true",
                    help="the folder is the NIST CCVS85 suite: prepare it first")
    ap.add_argument("--quick", action="store_true",
                    help=f"small smoke run ({QUICK_LINES:,} lines of samples, no cold start)")
    ap.add_argument("--lines", type=int, default=None,
                    help=f"lines of replicated samples (default {DEFAULT_LINES:,})")
    ap.add_argument("--std", default="ibm", help="cobc -std dialect (default ibm)")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="also measure the tracemalloc peak (one more, slower run)")
    ap.add_argument("--top", type=int, default=15, help="functions listed in the profile")
    ap.add_argument("--work", type=Path, default=None,
                    help="keep the generated files in this folder (default: a temporary one)")
    args = ap.parse_args(argv)
    if args.nist and not args.corpus:
        ap.error("--nist needs the suite's folder")

    cobc = shutil.which("cobc")
    work_ctx = None
    if args.work is not None:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work_ctx = tempfile.TemporaryDirectory(prefix="cobolspec-bench-")
        work = Path(work_ctx.name)
    try:
        if args.corpus:
            corpus = from_folders([c.resolve() for c in args.corpus], work / "input", args.nist)
        else:
            lines = args.lines or (QUICK_LINES if args.quick else DEFAULT_LINES)
            corpus = replicate_samples(REPO / "samples", work / "input", lines)
        ordered, n_subset = ordered_files(corpus)
        for p in ordered:  # the same warm page cache for both sides
            p.path.read_bytes()
        print(f"cobolspec parse speed: {corpus.title}  (Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, one core used by each side; load average "
              f"{os.getloadavg()[0]:.2f} at start)")

        cobc_run = None
        if cobc is None:
            print("cobc not found on PATH: no reference, no ratio")
        elif n_subset:
            progress(f"timing cobc on {n_subset:,} programs...")
            cobc_run = run_cobc(cobc, corpus, args.std)
            cobc_run.per_file_s = cobc_fixed_cost(cobc, work, args.std)
            print(f"reference: {cobc_run.version}")
        job = {"files": [str(p.path) for p in ordered],
               "copy_dirs": [str(d) for d in corpus.copy_dirs], "mode": "time"}
        progress(f"timing cobolspec on {len(ordered):,} programs...")
        res = run_worker(job, work, "time")
        cold = None
        if not args.quick:
            progress("timing a start with an empty grammar cache...")
            cache = work / "empty-grammar-cache"
            cache.mkdir(exist_ok=True)
            env = dict(os.environ, COBOLSPEC_CACHE=str(cache))
            cold = run_worker({"files": [], "mode": "time"}, work, "cold", env)
        traced = None
        if args.tracemalloc:
            progress("measuring tracemalloc peak...")
            traced = run_worker({**job, "mode": "tracemalloc"}, work, "traced")
        report(corpus, cobc_run, res, n_subset, ordered, cold, traced, args.std)
        print(f"load average {os.getloadavg()[0]:.2f} after the timed runs (above 1 on a "
              "two-core machine: something else was running; wall times suffer first)")
        if not args.no_profile:
            progress("profiling cobolspec...")
            prof = work / "profile.pstats"
            t0 = time.perf_counter()
            run_worker({**job, "mode": "profile", "profile_out": str(prof)}, work, "profile")
            print_profile(prof, args.top, time.perf_counter() - t0)
    finally:
        if work_ctx is not None:
            work_ctx.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
