"""Every rule unit of every sample program gets a description that passes the grounding gate,
the same on every run; program summaries name what the programs read, write and call."""

from __future__ import annotations

from pathlib import Path

import pytest

from cobolspec.parse import parse_file
from cobolspec.rules.describe import check_grounding, describe_program, describe_unit
from cobolspec.rules.glossary import Glossary
from cobolspec.rules.units import extract_rules

SAMPLES = Path(__file__).parent.parent / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples not present")


@pytest.fixture(scope="module")
def described():
    """(program, ruleset, glossary, descriptions) for every sample program."""
    out = []
    for path in sorted((SAMPLES / "COBOL").iterdir()):
        result = parse_file(path, [SAMPLES / "COPYLIB", SAMPLES / "DCLGEN"])
        for program in result.programs:
            ruleset = extract_rules(program)
            glossary = Glossary.from_program(program)
            out.append((program, ruleset, glossary,
                        [describe_unit(u, glossary, program) for u in ruleset.units]))
    return out


def test_every_unit_is_described_and_grounded(described):
    count = 0
    for _program, ruleset, _, descriptions in described:
        for unit, description in zip(ruleset.units, descriptions, strict=True):
            count += 1
            assert description.grounded, (unit.name, description.problems, description.text)
            assert description.text.endswith(".")
            assert unit.paragraph.split(":")[-1] in description.text or \
                "opening statements" in description.text
            assert f"{Path(unit.file).name} line" in description.text
    assert count >= 100  # the samples hold a couple of hundred units


def test_descriptions_are_deterministic(described):
    for program, ruleset, _, descriptions in described:
        again = Glossary.from_program(program)
        assert [describe_unit(u, again, program) for u in ruleset.units] == descriptions


def test_literals_of_a_unit_are_quoted_as_written(described):
    # a validation's messages appear exactly as the source writes them
    for program, _ruleset, _, descriptions in described:
        if program.name != "ACCTVAL":
            continue
        texts = " ".join(d.text for d in descriptions)
        for message in ("'INVALID TRANSACTION TYPE'", "'AMOUNT NOT NUMERIC'",
                        "'INVALID AMOUNT'", "'ACCOUNT CLOSED'", "'INSUFFICIENT FUNDS'"):
            assert message in texts
        return
    pytest.fail("ACCTVAL not among the samples")


def test_program_summaries_without_derived_facts_are_grounded(described):
    for program, _ruleset, glossary, _ in described:
        text = describe_program(program, None, None, glossary)
        assert check_grounding(text, None, glossary) == [], text
        assert check_grounding(text, None, program) == [], text


def test_program_summaries(described):
    by_name = {program.name: (program, ruleset, glossary)
               for program, ruleset, glossary, _ in described}
    program, ruleset, glossary = by_name["TRANPOST"]
    text = describe_program(program, ruleset, None, glossary)
    assert text.startswith(
        "TRANPOST (TRANPOST.cbl) is a program. It reads the account master (ACCT-MASTER) and "
        "the transaction file (TRAN-FILE). It writes ACCT-MASTER and the reject file "
        "(REJECT-FILE). Its main loop: paragraph 2000-PROCESS-TRANSACTION is performed until "
        "the end of file switch (WS-EOF-SW) is 'Y' (WS-END-OF-TRANS). It calls ACCTVAL (CALL).")
    program, ruleset, glossary = by_name["CSMENU"]
    text = describe_program(program, ruleset, None, glossary)
    assert "is a CICS program" in text and "CSACCT (XCTL)" in text
    program, ruleset, glossary = by_name["CUSTUPD"]
    text = describe_program(program, ruleset, None, glossary)
    assert "It reads the table CUSTOMER." in text
