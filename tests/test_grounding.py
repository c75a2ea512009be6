"""The grounding gate: every name, paragraph, literal, number and location a text mentions must
exist in the unit or its program."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cobolspec.diagnostics import Location, Span
from cobolspec.parse import parse_file
from cobolspec.rules.describe import check_grounding, describe_unit
from cobolspec.rules.glossary import Glossary, Vocabulary
from tests.test_describe import CASES, FIXTURE, Unit


@pytest.fixture(scope="module")
def program():
    return parse_file(FIXTURE).programs[0]


@pytest.fixture(scope="module")
def glossary(program):
    return Glossary.from_program(program)


UNIT = CASES[0][1]  # the validation unit of DSCPOST lines 45–48
GOOD = ("When the transaction amount (TRAN-AMT) is not greater than zero, 'R03' and "
        "'INVALID AMOUNT' are moved to REJ-RSN-CD and REJ-RSN-TXT (DSCPOST.cbl lines 45–48).")


def test_a_grounded_text_passes(program):
    assert check_grounding(GOOD, UNIT, program) == []


@pytest.mark.parametrize(("text", "problem"), [
    ("The amount is copied to WS-AUDIT-AMT.", "name WS-AUDIT-AMT is not in the unit or its "
                                              "program"),
    ("Control then goes to 4000-POST-LEDGER.", "paragraph 4000-POST-LEDGER is not in the unit "
                                               "or its program"),
    ("The reason code 'R04' is set.", "literal 'R04' is not in the source"),
    ("The message 'INVALID AMT' is set.", "literal 'INVALID AMT' is not in the source"),
    ("Amounts over 5000 are rejected.", "number 5000 is not in the source"),
    ("Rates are divided by 360.", "number 360 is not in the source"),
    ("See DSCPOST.cbl lines 10–12.", "line 10–12 is outside the unit"),
    ("See line 49.", "number 49 is not in the source"),  # no file: a number like any other
    ("See DSCPOST.cbl, line 49.", "line 49 is outside the unit"),
    ("See OTHER.cbl line 45.", "file OTHER.cbl is not where the unit is"),
])
def test_inventions_are_caught(text, problem, program):
    assert check_grounding(text, UNIT, program) == [problem]


def test_literals_compare_as_written(program):
    assert check_grounding("It moves 'r03'.", UNIT, program) == ["literal 'r03' is not in the "
                                                                 "source"]
    assert check_grounding('It moves "R03".', UNIT, program) == []  # the other quote is fine


def test_numbers_compare_by_value(program):
    # the program says VALUE 0 and MOVE ... 365; 365.0 and 0 are the same numbers
    assert check_grounding("Interest is 365.0 days of 0.", UNIT, program) == []


def test_prose_is_not_taken_for_names(program):
    text = ("When the account's balance is low, the CICS and DB2 parts do not matter; "
            "the COBOL code said so. A NOT NUMERIC amount is ZERO or SPACES.")
    assert check_grounding(text, UNIT, program) == []


def test_names_of_the_program_outside_the_unit(program, glossary):
    text = "It also keeps WS-INT-RT and the paragraph 0000-MAIN."
    assert check_grounding(text, UNIT, program) == []
    assert check_grounding(text, UNIT, glossary) == []        # the glossary's vocabulary
    assert check_grounding(text, UNIT) == [                   # the unit alone does not show them
        "name WS-INT-RT is not in the unit or its program",
        "paragraph 0000-MAIN is not in the unit or its program"]


def test_spans_in_copybooks_are_locations_of_the_unit(program):
    span = Span(Location("copy/REJREC.cpy", 20, 12), Location("copy/REJREC.cpy", 22, 40))
    unit = dataclasses.replace(UNIT, spans=[span])
    assert check_grounding("See REJREC.cpy lines 20–22.", unit, program) == []
    assert check_grounding("See REJREC.cpy line 23.", unit, program) == [
        "line 23 is outside the unit"]


def test_the_unit_itself_grounds_its_own_tokens():
    # without a program, what the unit shows is enough
    unit = Unit(condition="WS-Q = 7", actions=["MOVE 'Z' TO WS-R"])
    assert check_grounding("When WS-Q is 7, 'Z' goes to WS-R.", unit) == []
    assert check_grounding("When WS-Q is 8, 'Y' goes to WS-S.", unit) == [
        "literal 'Y' is not in the source", "name WS-S is not in the unit or its program",
        "number 8 is not in the source"]


def test_the_describer_always_passes(glossary, program):
    for _, unit, _ in CASES:
        description = describe_unit(unit, glossary, program)
        assert description.grounded, description.problems


def test_vocabulary_of_the_program(program):
    voc = Vocabulary.of_program(program)
    assert {"TRAN-AMT", "ACCT-CLOSED", "TRAN-FILE", "DSCPOST", "WS-TRAN-STAT"} <= voc.names
    assert {"0000-MAIN", "2000-PROCESS", "3000-REJECT"} <= voc.paragraphs
    assert {"R03", "INVALID AMOUNT", "C", "X", "10"} <= voc.literals
    assert {"DSCPOST.cbl"} == voc.files
    assert Path(FIXTURE).name in voc.files


def test_file_names_of_the_program_are_no_claims(program):
    assert check_grounding("DSCPOST (DSCPOST.cbl) reads TRAN-FILE.", None, program) == []
    assert check_grounding("It copies SOMEPGM.CBL.", None, program) == [
        "name SOMEPGM is not in the unit or its program",
        "name CBL is not in the unit or its program"]
