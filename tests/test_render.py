"""Rendering the spec: the pages and JSON files written, links to the source, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cobolspec.render import render_spec
from cobolspec.render.pages import SourceLinks, dump_root
from cobolspec.spec import ProgramSpec, SystemSpec, program_spec
from cobolspec.store import Store
from tests.test_spec import make_store


def render(tmp_path: Path, name: str = "specs", **kwargs: object) -> tuple[Path, list[Path]]:
    out = tmp_path / name
    with make_store(root=str(tmp_path / "dump"), **kwargs) as store:  # type: ignore[arg-type]
        return out, render_spec(store, out)


def test_files_written(tmp_path: Path) -> None:
    out, written = render(tmp_path)
    assert written[0] == out / "index.md"
    names = sorted(p.relative_to(out).as_posix() for p in written)
    assert names == sorted([
        "index.md", "system.json", "inventory.json",
        *(f"programs/{p}.{ext}"
          for p in ("CALCTAX", "PAYMENU", "PAYROLL") for ext in ("md", "json")),
    ])
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == names


def test_json_files_are_the_spec_models(tmp_path: Path) -> None:
    out, _ = render(tmp_path)
    system = SystemSpec.model_validate_json((out / "system.json").read_text())
    assert [p.program for p in system.programs] == ["CALCTAX", "PAYMENU", "PAYROLL"]
    spec = ProgramSpec.model_validate_json((out / "programs" / "PAYROLL.json").read_text())
    with make_store() as store:
        assert spec == program_spec(store, "PAYROLL")
    inventory = json.loads((out / "inventory.json").read_text())
    assert inventory["members_by_kind"] == {"program": 3, "copybook": 1, "jcl": 1, "bms": 1,
                                            "other": 1}


def test_the_index_links_every_program_page_and_shows_the_system(tmp_path: Path) -> None:
    out, _ = render(tmp_path)
    index = (out / "index.md").read_text()
    for program in ("CALCTAX", "PAYMENU", "PAYROLL"):
        assert f"| [{program}](programs/{program}.md) |" in index
        assert (out / "programs" / f"{program}.md").exists()
    assert "| [PAYROLL](programs/PAYROLL.md) | [`cbl/PAYROLL.cbl`](../dump/cbl/PAYROLL.cbl) | " \
           "Pays every employee. | 3 | 10 | 1 | 2 | 2 | 0 |" in index
    assert "```mermaid\nflowchart LR\n" in index
    assert "### PAYJOB" in index
    assert "| `PAY` | `PAYROLL` |  |  |  | [`jcl/PAYJOB.jcl:5`](../dump/jcl/PAYJOB.jcl#L5) |" \
        in index
    assert "| `PAYM` | `PAYMENU` | PAYGRP | PAYMENU LINK CALCTAX; PAYMENU XCTL GONEPGM | `PAYM` |" \
        in index
    assert "| `TAX_RATES` | `CALCTAX` (SELECT) |" in index
    assert "| `EMP-SALARY` | employee salary | `PAYROLL` | name |" in index
    # the inventory part is still there
    assert "## Inventory" in index and "### Where each copybook is used" in index
    assert "| `PAR001` | error | 1 |" in index


def test_a_program_page(tmp_path: Path) -> None:
    out, _ = render(tmp_path)
    page = (out / "programs" / "PAYROLL.md").read_text()
    assert page.startswith("# PAYROLL\n\n[System specification](../index.md)\n")
    assert "Pays every employee." in page
    assert "| `EMP-FILE` | UT-S-EMPIN (EMPIN) | SEQUENTIAL | SEQUENTIAL |  | WS-FS |  |  | " \
           "OPEN, READ | PAYJOB PAY EMPIN `PAY.EMP.MASTER` SHR |" in page
    # rules: a summary row linking to the detail, the detail linking to the source
    assert "| [PAYROLL.R001](#payrollr001) | decision | `PAYROLL:CALC` | " \
           "`EMP-SALARY > 100000` | [`cbl/PAYROLL.cbl:28-29`](../../dump/cbl/PAYROLL.cbl#L28) |" \
        in page
    assert "### PAYROLL.R001\n\nDecision rule at [`cbl/PAYROLL.cbl:28-29`]" in page
    assert "Salaries above 100000 are band H.\n\n*Description: offline.*" in page
    assert "Invented prose" not in page  # ungrounded text never reaches a spec
    assert "  - `MOVE 'H' TO TAX-BAND`\n" in page
    assert "- **Writes:** `file:PAY-OUT`" in page
    # control flow, data dictionary, calls
    assert "```mermaid\nflowchart TD\n" in page
    assert "| `DEAD` |  | [`cbl/PAYROLL.cbl:32-33`](../../dump/cbl/PAYROLL.cbl#L32) | **no** |" \
        in page
    assert "| 10 | &nbsp;&nbsp;&nbsp;&nbsp;`EMP-MONTH` | `X` |  | 14 | 1 | 1 to 6 depending on " \
           "EMP-COUNT |" in page
    assert "`EMP-ACTIVE` = `'A'`; `EMP-GONE` = `'X' 'Y'`" in page
    assert "| [`CALCTAX`](CALCTAX.md) | CALL |  |" in page
    assert "| (unknown) | CALL | through `WS-PGM` |" in page
    # empty parts say so
    assert "### SQL tables\n\nNone found.\n" in page
    assert "### Screens\n\nNone found.\n" in page


def test_a_cics_page_and_a_called_page(tmp_path: Path) -> None:
    out, _ = render(tmp_path)
    menu = (out / "programs" / "PAYMENU.md").read_text()
    assert "#### Map PAYM1 (mapset PAYMS)\n\nSent and received at " in menu
    assert "PAYMENU.cbl#L35).\n\n| Field |" in menu
    assert "| `EMPNO` | 3 | 10 | 6 | UNPROT,NUM |  |" in menu
    assert "| `GONEPGM` | XCTL |" in menu  # missing from the dump: no link
    assert "| `PAYM` | RETURN TRANSID |" in menu
    assert "| `DFHCOMMAREA` (COMMAREA) | 100 |" in menu
    assert "| transaction `PAYM` (group PAYGRP) |" in menu
    tax = (out / "programs" / "CALCTAX.md").read_text()
    assert "| [`PAYMENU`](PAYMENU.md) | LINK |" in tax
    assert "No control-flow edges found." in tax
    assert "## Business rules\n\nNone found.\n" in tax


def test_decision_tables_render_as_markdown_tables(tmp_path: Path) -> None:
    out = tmp_path / "specs"
    with make_store() as store:
        store.con.execute("ALTER TABLE rules ADD COLUMN IF NOT EXISTS decision_table VARCHAR")
        table = {"condition_columns": ["EMP-STATUS", "EMP-SALARY > 100000"],
                 "rows": [{"conditions": ["'A'", "Y"], "actions": ["MOVE 'H' TO TAX-BAND"]},
                          {"conditions": ["OTHER", "-"], "actions": []}]}
        store.con.execute("UPDATE rules SET decision_table = ? WHERE id = 'a1'",
                          [json.dumps(table)])
        render_spec(store, out)
    page = (out / "programs" / "PAYROLL.md").read_text()
    assert ("| `EMP-STATUS` | `EMP-SALARY > 100000` | Actions |\n|---|---|---|\n"
            "| 'A' | Y | `MOVE 'H' TO TAX-BAND` |\n| OTHER | - |  |\n") in page


def test_two_renders_are_byte_identical_and_stale_pages_go(tmp_path: Path) -> None:
    out, written = render(tmp_path)
    first = {p: p.read_bytes() for p in written}
    (out / "programs" / "GONE.md").write_text("old page")
    (out / "programs" / "notes.txt").write_text("kept")
    _, again = render(tmp_path)
    assert again == written
    assert {p: p.read_bytes() for p in again} == first
    assert not (out / "programs" / "GONE.md").exists()
    assert (out / "programs" / "notes.txt").exists()


def test_no_links_without_a_run_and_none_outside_the_root(tmp_path: Path) -> None:
    out, _ = render(tmp_path, run=False)
    page = (out / "programs" / "PAYROLL.md").read_text()
    assert "](../" not in page.replace("](../index.md)", "")
    assert "| Source | `cbl/PAYROLL.cbl:1` |" in page
    links = SourceLinks(tmp_path / "dump", tmp_path / "specs" / "programs")
    assert links.href("cbl/A B.cbl", 7) == "../../dump/cbl/A%20B.cbl#L7"
    assert links.href("../elsewhere/X.cpy", 3) is None
    assert links.href("/abs/X.cpy", 3) is None
    assert links.href(None) is None


def test_dump_root_follows_the_last_run(tmp_path: Path) -> None:
    (tmp_path / "d" / "a").mkdir(parents=True)
    (tmp_path / "d" / "b").mkdir()
    (tmp_path / "d" / "b" / "ONE.cbl").write_text("x")
    with Store.open() as store:
        assert dump_root(store) is None
        for run_id, roots in ((1, ["elsewhere"]), (2, [str(tmp_path / "d" / "a"),
                                                         str(tmp_path / "d" / "b" / "ONE.cbl")])):
            store.insert("runs", [{
                "run_id": run_id, "started_at": "2024-01-01 00:00:00",
                "finished_at": "2024-01-01 00:00:00", "cobolspec_version": "0",
                "schema_version": 1, "roots": json.dumps(roots), "options": "{}",
                "members_total": 0, "members_analysed": 0, "members_unchanged": 0,
                "members_removed": 0, "errors": 0, "warnings": 0, "infos": 0}])
        assert dump_root(store) == tmp_path / "d"


@pytest.mark.parametrize("text", ['a "quoted" |pipe|', "<b>&&T#1"])
def test_mermaid_labels_cannot_break_the_diagram(text: str) -> None:
    from cobolspec.spec.diagrams import diagram
    from cobolspec.spec.models import DiagramNode

    d = diagram([DiagramNode(id="x", label=text, kind="program")], [("x", "x", text)])
    body = d.mermaid.splitlines()[1:]
    for line in body:
        inner = line.split('"')[1::2]
        assert all(ch not in part for part in inner for ch in '"|<>&')


def test_render_env_docstrings() -> None:
    import doctest

    import cobolspec.render.env
    import cobolspec.render.pages

    for module in (cobolspec.render.env, cobolspec.render.pages):
        failures, _ = doctest.testmod(module)
        assert not failures
