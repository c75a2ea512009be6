"""BMS reader: fixture mapsets (tests/fixtures/bms/*.bms, expected facts in the .json beside
each), the sample mapsets against tests/fixtures/samples_expected.json, documentation."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path
from typing import Any

import pytest

import cobolspec.analysis.bms as bms_module
from cobolspec.analysis.bms import BmsField, Mapset, parse_bms
from cobolspec.source import MemberKind, discover
from tests.test_jcl import matches

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "bms"
EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "samples_expected.json").read_text())


def field_view(f: BmsField) -> dict[str, Any]:
    return {
        "name": f.name,
        "line": f.location.line,
        "pos": list(f.pos) if f.pos else None,
        "offset": f.offset,
        "length": f.length,
        "attrb": list(f.attrb),
        "initial": f.initial,
        "picin": f.picin,
        "picout": f.picout,
        "color": f.color,
        "hilight": f.hilight,
        "justify": list(f.justify),
        "grpname": f.grpname,
        "occurs": f.occurs,
    }


def mapset_view(ms: Mapset) -> dict[str, Any]:
    return {
        "name": ms.name,
        "line": ms.location.line,
        "type": ms.type,
        "mode": ms.mode,
        "lang": ms.lang,
        "storage": ms.storage,
        "ctrl": list(ms.ctrl),
        "tioapfx": ms.tioapfx,
        "maps": [
            {
                "name": m.name,
                "line": m.location.line,
                "size": list(m.size) if m.size else None,
                "line_option": m.line,
                "column_option": m.column,
                "fields": [field_view(f) for f in m.fields],
                "named_fields": m.named_fields,
            }
            for m in ms.maps
        ],
        "diagnostics": [[d.code, d.location.line if d.location else 0] for d in ms.diagnostics],
    }


CASES = sorted(FIXTURES.glob("*.bms"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_mapset(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text())
    ms = parse_bms(path.read_text(), path.name)
    assert all(d.location and d.location.file == path.name for d in ms.diagnostics)
    problems = matches(mapset_view(ms), expected["mapset"], path.stem)
    assert not problems, f"{expected['title']}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "expected", EXPECTED["mapsets"], ids=[m["mapset"] for m in EXPECTED["mapsets"]]
)
def test_sample_mapsets(expected: dict[str, Any]) -> None:
    member = next(m for m in discover(ROOT / "samples" / expected["path"]).members)
    assert member.kind is MemberKind.BMS
    ms = parse_bms(member.text, expected["path"])
    assert ms.diagnostics == []
    got = {
        "mapset": ms.name,
        "lang": ms.lang,
        "mode": ms.mode,
        "maps": [
            {
                "name": m.name,
                "size": list(m.size) if m.size else None,
                "fields": [
                    {
                        "name": f.name,
                        "pos": list(f.pos) if f.pos else None,
                        "length": f.length,
                        "attrb": list(f.attrb),
                        "color": f.color,
                        "initial": f.initial,
                    }
                    for f in m.fields
                ],
                "named_fields": m.named_fields,
            }
            for m in ms.maps
        ],
    }
    assert got == {k: expected[k] for k in got}
    lines = (ROOT / "samples" / expected["path"]).read_text().splitlines()
    for m in ms.maps:
        assert re.match(rf"{m.name}\s+DFHMDI\s", lines[m.location.line - 1])
        for f in m.fields:
            assert re.match(rf"{f.name or ''}\s+DFHMDF\s", lines[f.location.line - 1])


def test_iebupdte_offset_moves_locations() -> None:
    text = "MS DFHMSD TYPE=MAP\nM1 DFHMDI SIZE=(24,80)\nF1 DFHMDF POS=(1,1),LENGTH=2\n"
    ms = parse_bms(text + " DFHMSD TYPE=FINAL\n", "lib.txt", first_line=10)
    assert (ms.location.line, ms.maps[0].location.line, ms.maps[0].fields[0].location.line) == (
        10,
        11,
        12,
    )


def test_garbage_never_raises() -> None:
    for text in ["", "*", "X", "A B", " DFHMDF POS=(", "M DFHMDI SIZE=(1,1)", "'" * 80]:
        ms = parse_bms(text, "g.bms")
        assert isinstance(ms.diagnostics, list)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(bms_module)
    assert result.failed == 0 and result.attempted > 0


def test_every_code_is_documented_once() -> None:
    codes = {
        v for k, v in vars(bms_module).items() if k.isupper() and re.fullmatch(r"BMS\d{3}", str(v))
    }
    documented = re.findall(r"^(BMS\d{3})\s", bms_module.__doc__ or "", re.M)
    assert sorted(documented) == sorted(codes)
