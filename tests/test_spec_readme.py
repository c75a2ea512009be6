"""README's "Questions an analyst asks": every query runs against a store built from samples/.

A query must return rows as soon as every table it reads holds rows (the analysis stage that
fills a table may come later than the query); until then it must at least run. The same store
is rendered, end to end: tables still empty show "None found".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from cobolspec.pipeline import analyze
from cobolspec.render import render_spec
from cobolspec.store import Store, run_query

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SAMPLES = ROOT / "samples"


def questions() -> list[tuple[str, str]]:
    """(question, SQL) of each ``### ...`` heading of the section and its ```sql block."""
    text = README.read_text("utf-8")
    section = text.split("\n## Questions an analyst asks\n", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^### (.+?)\n.*?```sql\n(.*?)```", section, flags=re.S | re.M)
    return [(title.strip(), sql) for title, sql in found]


def tables_read(sql: str) -> set[str]:
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table)} - ctes


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("samples")
    result = analyze([SAMPLES], db=folder / "c.duckdb", out=None, jobs=1)
    with Store.open(result.db, read_only=True) as opened:
        yield opened


def test_the_section_has_six_to_eight_questions() -> None:
    found = questions()
    assert 6 <= len(found) <= 8
    assert all(title.endswith("?") for title, _ in found)


@pytest.mark.parametrize(("title", "sql"), questions(), ids=[t for t, _ in questions()])
def test_each_question_runs_and_answers_once_its_tables_are_filled(
    store: Store, title: str, sql: str
) -> None:
    tables = tables_read(sql)
    assert tables and tables <= set(store.tables()), tables
    result = run_query(store, sql)
    if all(store.count(t) for t in tables):
        assert result.rows, f"{title}: no rows although {sorted(tables)} are filled"


def test_answers_about_the_samples(store: Store) -> None:
    answers = {title: sql for title, sql in questions()}
    copybooks = run_query(store, answers["Which copybooks are used by the most programs?"])
    counts = {row[0]: row[1] for row in copybooks.rows}
    assert counts["ACCTREC"] == 6 and counts["DATEPARM"] == 5
    layout = run_query(store, answers["Where is a field, and how is it laid out in each program?"])
    assert {row[0] for row in layout.rows} >= {"ACCTLOAD", "TRANPOST", "INTCALC", "ACCTVAL"}
    assert {(row[6], row[7]) for row in layout.rows} == {(76, 7)}
    paragraphs = run_query(store, answers["Which paragraphs can never run?"])
    assert len(paragraphs.rows) == 14
    if store.count("jcl_dds"):
        created = run_query(store, answers["Which datasets does each job create?"])
        assert ("CARDDLY", "BKUPOUT", "CARDSYS.PROD.ACCT.BACKUP(+1)") in {
            (row[0], row[3], row[4]) for row in created.rows}


def test_the_usage_lists_the_query_commands() -> None:
    text = README.read_text("utf-8")
    usage = text.split("\n## Usage\n", 1)[1].split("```", 2)[1]
    for command in ("rules", "lineage FIELD", "impact MEMBER"):
        assert f"cobolspec {command} " in usage


def test_the_samples_render_end_to_end(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "specs"
    written = render_spec(store, out)
    assert written[0] == out / "index.md"
    index = (out / "index.md").read_text()
    programs = [row[0] for row in store.con.execute(
        "SELECT program FROM programs ORDER BY program").fetchall()]
    assert len(programs) == 14
    for program in programs:
        assert f"[{program}](programs/{program}.md)" in index
        page = (out / "programs" / f"{program}.md").read_text()
        assert page.startswith(f"# {program}\n")
    empty = [t for t in ("sql_accesses", "transactions", "glossary") if not store.count(t)]
    headings = {"sql_accesses": "## SQL tables", "transactions": "## Online transactions",
                "glossary": "## Glossary"}
    for table in empty:
        assert f"{headings[table]}\n\nNone found.\n" in index
    again = tmp_path / "again"
    render_spec(store, again)
    for path in written:
        assert (again / path.relative_to(out)).read_bytes() == path.read_bytes()
