"""`analyze --glossary/--abbreviations`: a user's CSV files reach the glossary table and the
descriptions, and changing them re-analyses the programs."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cobolspec.cli import app
from cobolspec.pipeline import analyze
from cobolspec.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _dump(tmp_path: Path) -> Path:
    dump = tmp_path / "dump"
    (dump / "COBOL").mkdir(parents=True)
    shutil.copy(ROOT / "samples/COBOL/ACCTVAL.cbl", dump / "COBOL")
    shutil.copytree(ROOT / "samples/COPYLIB", dump / "COPYLIB")
    return dump


def _meaning(db: Path, term: str) -> set[tuple[str, str]]:
    with Store.open(db, read_only=True) as store:
        return {(r["meaning"], r["source"]) for r in store.rows("glossary", where={"term": term})}


def test_a_user_glossary_overrides_and_its_change_reanalyses(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    db = tmp_path / "db.duckdb"
    user = tmp_path / "glossary.csv"
    user.write_text("VAL-RETURN-CODE,validation result code\n")
    first = analyze([dump], db=db, out=None, glossary=user)
    assert first.exit_code == 0
    assert ("validation result code", "user") in _meaning(db, "VAL-RETURN-CODE")
    with Store.open(db, read_only=True) as store:
        texts = " ".join(r["text"] for r in store.rows("descriptions"))
    assert "validation result code (VAL-RETURN-CODE)" in texts
    again = analyze([dump], db=db, out=None, glossary=user)
    assert again.unchanged >= 1 and again.analysed == 0
    user.write_text("VAL-RETURN-CODE,outcome of the account checks\n")
    changed = analyze([dump], db=db, out=None, glossary=user)
    assert changed.analysed >= 1
    assert ("outcome of the account checks", "user") in _meaning(db, "VAL-RETURN-CODE")


def test_extra_abbreviations_expand_words(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    db = tmp_path / "db.duckdb"
    extra = tmp_path / "abbrev.csv"
    extra.write_text("VAL,validation\n")
    analyze([dump], db=db, out=None, abbreviations=[extra])
    meanings = {m for m, _ in _meaning(db, "VAL-RETURN-CODE")}
    assert any(m.startswith("validation") for m in meanings)


def test_the_cli_options_and_a_missing_file(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    user = tmp_path / "glossary.csv"
    user.write_text("VAL-RETURN-CODE,validation result code\n")
    runner = CliRunner()
    ok = runner.invoke(app, ["analyze", str(dump), "--db", str(tmp_path / "a.duckdb"),
                             "--out", str(tmp_path / "specs"), "--glossary", str(user)])
    assert ok.exit_code == 0, ok.stderr
    missing = runner.invoke(app, ["analyze", str(dump), "--db", str(tmp_path / "b.duckdb"),
                                  "--glossary", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
