"""The describer: exact sentences for hand-built units of every kind, determinism, English of
conditions and statements as the rules stage normalises them, and program summaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from cobolspec.parse import parse_file
from cobolspec.rules.describe import (
    Description,
    ProgramFacts,
    check_grounding,
    describe_program,
    describe_unit,
)
from cobolspec.rules.english import English
from cobolspec.rules.glossary import Glossary
from cobolspec.rules.units import DecisionRow, DecisionTable, RuleUnit

FIXTURE = Path(__file__).parent / "fixtures" / "describe" / "units" / "DSCPOST.cbl"


def Unit(**fields: object) -> RuleUnit:
    """A rule unit built by hand: the fixture's validation unit, changed by ``fields``."""
    defaults: dict[str, object] = {
        "id": "0123456789ab", "name": "DSCPOST.R001", "program": "DSCPOST",
        "paragraph": "DSCPOST:2000-PROCESS", "kind": "validation", "condition": None,
        "reaching": [], "actions": [], "inputs": [], "outputs": [], "literals": [],
        "statements": [], "file": str(FIXTURE), "line": 45, "end_line": 48, "spans": [],
        "decision_table": None,
    }
    return RuleUnit(**{**defaults, **fields})


NOT_EOF = "NOT WS-END-OF-FILE (WS-EOF-SW = 'Y')"

# (title, unit, expected text): one unit per kind, from the fixture program's real statements
CASES = [
    ("validation", Unit(
        reaching=[NOT_EOF], condition="TRAN-AMT <= ZERO",
        actions=["MOVE 'R03' TO REJ-RSN-CD", "MOVE 'INVALID AMOUNT' TO REJ-RSN-TXT",
                 "PERFORM 3000-REJECT"],
        inputs=["TRAN-AMT"], outputs=["REJ-RSN-CD", "REJ-RSN-TXT"],
        literals=["'R03'", "'INVALID AMOUNT'"]),
     "Validation in 2000-PROCESS (DSCPOST.cbl lines 45–48): when the end of file switch "
     "(WS-EOF-SW) is not 'Y' (WS-END-OF-FILE) and the transaction amount (TRAN-AMT) is less "
     "than or equal to zero, 'R03' is moved to the reject reason code (REJ-RSN-CD) and "
     "'INVALID AMOUNT' to the reject reason text (REJ-RSN-TXT); then paragraph 3000-REJECT is "
     "performed."),
    ("decision", Unit(
        kind="decision", line=50, end_line=57, reaching=[NOT_EOF, "TRAN-AMT > ZERO"],
        actions=["ADD TRAN-AMT TO WS-ACCT-BAL", "SUBTRACT TRAN-AMT FROM WS-ACCT-BAL",
                 "PERFORM 3000-REJECT"],
        outputs=["WS-ACCT-BAL"],
        decision_table=DecisionTable(["TRUE"], [
            DecisionRow(["TRAN-CREDIT (TRAN-TYP = 'CR' OR 'PY')"],
                        ["ADD TRAN-AMT TO WS-ACCT-BAL"]),
            DecisionRow(["TRAN-DEBIT (TRAN-TYP = 'DB')"], ["SUBTRACT TRAN-AMT FROM WS-ACCT-BAL"]),
            DecisionRow(["OTHER"], ["PERFORM 3000-REJECT"]),
        ])),
     "Decision in 2000-PROCESS (DSCPOST.cbl lines 50–57): when the end of file switch "
     "(WS-EOF-SW) is not 'Y' (WS-END-OF-FILE) and the transaction amount (TRAN-AMT) is greater "
     "than zero, one of the following cases applies. When the transaction type (TRAN-TYP) is "
     "'CR' or 'PY' (TRAN-CREDIT), TRAN-AMT is added to the account balance (WS-ACCT-BAL). When "
     "TRAN-TYP is 'DB' (TRAN-DEBIT), TRAN-AMT is subtracted from WS-ACCT-BAL. Otherwise, paragraph "
     "3000-REJECT is performed."),
    ("calculation", Unit(
        kind="calculation", line=58, end_line=58,
        actions=["COMPUTE WS-INT-AMT ROUNDED = WS-ACCT-BAL * WS-INT-RT / 365"],
        outputs=["WS-INT-AMT"]),
     "Calculation in 2000-PROCESS (DSCPOST.cbl line 58): the interest amount (WS-INT-AMT) is set "
     "to the account balance (WS-ACCT-BAL) times the interest rate (WS-INT-RT) divided by 365, "
     "rounded."),
    ("routing", Unit(
        kind="routing", paragraph="DSCPOST:0000-MAIN", line=37, end_line=37,
        actions=["PERFORM 2000-PROCESS UNTIL WS-END-OF-FILE (WS-EOF-SW = 'Y')"]),
     "Routing in 0000-MAIN (DSCPOST.cbl line 37): paragraph 2000-PROCESS is performed until the "
     "end of file switch (WS-EOF-SW) is 'Y' (WS-END-OF-FILE)."),
    ("state-change on a phrase", Unit(
        kind="state-change", line=42, end_line=42, condition="AT END (READ TRAN-FILE)",
        actions=["SET WS-END-OF-FILE TO TRUE (WS-EOF-SW = 'Y')"], outputs=["WS-EOF-SW"]),
     "State change in 2000-PROCESS (DSCPOST.cbl line 42): when the READ of the transaction file "
     "(TRAN-FILE) reaches the end of the file, the end of file switch (WS-EOF-SW) is set to 'Y' "
     "(WS-END-OF-FILE)."),
    ("state-change on an 88-level", Unit(
        kind="state-change", paragraph="DSCPOST:3000-REJECT", line=64, end_line=66,
        condition="ACCT-CLOSED (WS-ACCT-STAT = 'C' OR 'X')",
        actions=["MOVE 'A' TO WS-ACCT-STAT"], outputs=["WS-ACCT-STAT"]),
     "State change in 3000-REJECT (DSCPOST.cbl lines 64–66): when the account status "
     "(WS-ACCT-STAT) is 'C' or 'X' (ACCT-CLOSED), 'A' is moved to WS-ACCT-STAT."),
    ("io", Unit(
        kind="io", paragraph="DSCPOST:3000-REJECT", line=62, end_line=63,
        actions=["WRITE REJ-REC", "ADD 1 TO WS-REJ-CNT"],
        outputs=["file:REJ-FILE", "REJ-REC", "WS-REJ-CNT"]),
     "Input/output in 3000-REJECT (DSCPOST.cbl lines 62–63): the reject record (REJ-REC) is "
     "written; then 1 is added to the reject count (WS-REJ-CNT). It also changes the file "
     "REJ-FILE."),
]


@pytest.fixture(scope="module")
def program():
    return parse_file(FIXTURE).programs[0]


@pytest.fixture(scope="module")
def glossary(program):
    return Glossary.from_program(program)


@pytest.mark.parametrize(("title", "unit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_description_of_each_kind(title, unit, expected, glossary, program):
    description = describe_unit(unit, glossary)
    assert description == Description(expected, True, [])
    # grounded against the program itself too, not only the glossary's vocabulary
    assert check_grounding(description.text, unit, program) == []


def test_deterministic(glossary, program):
    for _, unit, _ in CASES:
        first = describe_unit(unit, glossary)
        again = describe_unit(unit, Glossary.from_program(program))
        assert first == again


def test_every_claim_names_its_cobol_name(glossary):
    # each data item the unit touches appears under its own COBOL name, literals as written
    for _, unit, _ in CASES:
        text = describe_unit(unit, glossary).text
        for out in unit.outputs:
            assert out.partition(":")[2 if ":" in out else 0] in text
        for literal in unit.literals:
            assert literal in text


def test_user_glossary_changes_the_words_not_the_names(program):
    from cobolspec.rules.glossary import Entry

    unit = CASES[0][1]
    g = Glossary.from_program(program, user=[Entry("TRAN-AMT", "posting amount", "user")])
    text = describe_unit(unit, g).text
    assert "the posting amount (TRAN-AMT) is less than or equal to zero" in text


def test_unreadable_text_is_quoted_not_guessed(glossary):
    unit = Unit(kind="calculation", line=58, end_line=58, condition="WS-X >>> WS-Y",
                actions=["INSPECT WS-X TALLYING WS-N FOR ALL 'A'"])
    text = describe_unit(unit, glossary).text
    assert text == ("Calculation in 2000-PROCESS (DSCPOST.cbl line 58): when the condition "
                    "WS-X >>> WS-Y holds, the statement INSPECT WS-X TALLYING WS-N FOR ALL 'A' "
                    "is executed.")


def test_decision_table_of_an_if_and_go_to_depending(glossary):
    table = DecisionTable(["TRAN-AMT > ZERO", "WS-TRAN-STAT [line 44]"], [
        DecisionRow(["Y", "'10'"], ["MOVE 'R03' TO REJ-RSN-CD"]),
        DecisionRow(["N", "-"], []),
    ])
    unit = Unit(kind="decision", line=44, end_line=60, decision_table=table,
                actions=["MOVE 'R03' TO REJ-RSN-CD"])
    assert describe_unit(unit, glossary).text == (
        "Decision in 2000-PROCESS (DSCPOST.cbl lines 44–60): one of the following cases applies. "
        "When the transaction amount (TRAN-AMT) is greater than zero and the transaction status "
        "(WS-TRAN-STAT) is '10', 'R03' is moved to the reject reason code (REJ-RSN-CD). When "
        "TRAN-AMT is not greater than zero, nothing is done.")


# ------------------------------------------------------------------ English of normalised text

CONDITIONS = [
    ("TRAN-AMT <= ZERO", "the transaction amount (TRAN-AMT) is less than or equal to zero"),
    ("TRAN-AMT NOT > ZERO", "the transaction amount (TRAN-AMT) is not greater than zero"),
    ("TRAN-AMT NOT NUMERIC", "the transaction amount (TRAN-AMT) is not numeric"),
    ("NOT ACCT-CLOSED (WS-ACCT-STAT = 'C' OR 'X')",
     "the account status (WS-ACCT-STAT) is none of 'C' and 'X' (ACCT-CLOSED)"),
    ("NOT ACCT-ACTIVE", "the account status (WS-ACCT-STAT) is not 'A' (ACCT-ACTIVE)"),
    ("UNKNOWN-88 (UNKNOWN-ITEM = 'Q')", "the unknown item (UNKNOWN-ITEM) is 'Q' (UNKNOWN-88)"),
    ("WS-INT-RT = 1 THRU 9", "the interest rate (WS-INT-RT) is 1 through 9"),
    ("(TRAN-AMT > 0 OR WS-ACCT-BAL < 0) AND WS-INT-RT = ZERO",
     "either the transaction amount (TRAN-AMT) is greater than 0 or the account balance "
     "(WS-ACCT-BAL) is less than 0, and the interest rate (WS-INT-RT) is zero"),
    ("NOT (TRAN-AMT > 0 AND WS-ACCT-BAL > 0)",
     "either the transaction amount (TRAN-AMT) is not greater than 0 or the account balance "
     "(WS-ACCT-BAL) is not greater than 0"),
    ("NOT (TRAN-AMT > 0 OR NOT ACCT-ACTIVE)",
     "the transaction amount (TRAN-AMT) is not greater than 0 and the account status "
     "(WS-ACCT-STAT) is 'A' (ACCT-ACTIVE)"),
    ("WS-ACCT-BAL = -5", "the account balance (WS-ACCT-BAL) is -5"),
    ("CICS condition = MAPFAIL", "the CICS condition MAPFAIL is raised"),
    ("TRAN-TYP NOT HEX-DIGITS", "the transaction type (TRAN-TYP) is not in the class "
     "HEX-DIGITS"),
    ("AT END (SEARCH WS-TABLE)", "the SEARCH of the table (WS-TABLE) reaches the end of the "
     "table"),
    ("NOT INVALID KEY (READ TRAN-FILE)",
     "the READ of the transaction file (TRAN-FILE) succeeds with a valid key"),
    ("ON SIZE ERROR (COMPUTE WS-INT-AMT)",
     "the COMPUTE of the interest amount (WS-INT-AMT) causes a size error"),
    ("WS-ACCT-BAL + TRAN-AMT > 100",
     "the account balance (WS-ACCT-BAL) plus the transaction amount (TRAN-AMT) is greater "
     "than 100"),
    ("TRAN-TYP (1:1) = 'C'", "the transaction type (TRAN-TYP(1:1)) is 'C'"),
]


@pytest.mark.parametrize(("text", "english"), CONDITIONS)
def test_condition_english(text, english, glossary):
    assert English(glossary).condition(text) == english


ACTIONS = [
    ("MOVE WS-ACCT-BAL TO REJ-RSN-TXT, REJ-RSN-CD",
     "the account balance (WS-ACCT-BAL) is moved to the reject reason text (REJ-RSN-TXT) and "
     "the reject reason code (REJ-RSN-CD)"),
    ("ADD 1 TO WS-REJ-CNT", "1 is added to the reject count (WS-REJ-CNT)"),
    ("SUBTRACT TRAN-AMT FROM WS-ACCT-BAL GIVING WS-INT-AMT",
     "the interest amount (WS-INT-AMT) is set to the account balance (WS-ACCT-BAL) minus the "
     "transaction amount (TRAN-AMT)"),
    ("MULTIPLY WS-INT-RT BY WS-ACCT-BAL",
     "the account balance (WS-ACCT-BAL) is multiplied by the interest rate (WS-INT-RT)"),
    ("DIVIDE 12 INTO WS-INT-RT", "the interest rate (WS-INT-RT) is divided by 12"),
    ("SET WS-END-OF-FILE TO TRUE", "the end of file switch (WS-EOF-SW) is set to 'Y' "
     "(WS-END-OF-FILE)"),
    ("PERFORM 3000-REJECT THRU 3000-EXIT", "paragraphs 3000-REJECT through 3000-EXIT are "
     "performed"),
    ("PERFORM 3000-REJECT 3 TIMES", "paragraph 3000-REJECT is performed 3 times"),
    ("GO TO 2000-PROCESS", "control goes to 2000-PROCESS"),
    ("CALL 'DATEUTIL' USING TRAN-REC, BY CONTENT WS-INT-RT",
     "program 'DATEUTIL' is called with the transaction record (TRAN-REC) and the interest "
     "rate (WS-INT-RT)"),
    ("OPEN INPUT TRAN-FILE OUTPUT REJ-FILE",
     "the transaction file (TRAN-FILE) is opened for input and the reject file (REJ-FILE) is "
     "opened for output"),
    ("READ TRAN-FILE", "a record is read from the transaction file (TRAN-FILE)"),
    ("WRITE REJ-REC FROM TRAN-REC", "the reject record (REJ-REC) is written from the "
     "transaction record (TRAN-REC)"),
    ("CLOSE TRAN-FILE, REJ-FILE", "the transaction file (TRAN-FILE) and the reject file "
     "(REJ-FILE) are closed"),
    ("DISPLAY 'REJECTED: ' WS-REJ-CNT", "'REJECTED: ' and the reject count (WS-REJ-CNT) are "
     "displayed"),
    ("EXEC SQL UPDATE CUSTOMER SET CUST_STATUS = 'C' END-EXEC",
     "the SQL statement UPDATE CUSTOMER SET CUST_STATUS = 'C' is executed"),
    ("EXEC CICS XCTL PROGRAM('CSMENU') END-EXEC",
     "the CICS command XCTL PROGRAM('CSMENU') is issued"),
    ("GOBACK", "control returns to the caller"),
    ("MOVE DFHCOMMAREA (1:EIBCALEN) TO TRAN-REC",
     "DFHCOMMAREA(1:EIBCALEN) is moved to the transaction record (TRAN-REC)"),
    ("COMPUTE WS-INT-AMT = FUNCTION NUMVAL (REJ-RSN-TXT)",
     "the interest amount (WS-INT-AMT) is set to FUNCTION NUMVAL of the reject reason text "
     "(REJ-RSN-TXT)"),
    ("PERFORM 3000-REJECT (separate rule)",
     "paragraph 3000-REJECT is performed (a separate rule)"),
]


@pytest.mark.parametrize(("text", "english"), ACTIONS)
def test_action_english(text, english, glossary):
    assert English(glossary).action(text) == english


def test_a_name_is_glossed_once_per_description(glossary):
    english = English(glossary)
    assert english.action("ADD 1 TO WS-REJ-CNT") == "1 is added to the reject count (WS-REJ-CNT)"
    assert english.action("ADD 2 TO WS-REJ-CNT") == "2 is added to WS-REJ-CNT"


# ------------------------------------------------------------------ programs


def test_describe_program(program, glossary):
    from types import SimpleNamespace

    ruleset = SimpleNamespace(units=[c[1] for c in CASES])
    text = describe_program(program, ruleset, ProgramFacts(
        callers=[("DSCMAIN", "CALL")], jobs=["DSCJOB.STEP01"]), glossary)
    assert text == (
        "DSCPOST (DSCPOST.cbl) is a program. It reads the transaction file (TRAN-FILE). It "
        "writes the reject file (REJ-FILE). Its main loop: paragraph 2000-PROCESS is performed "
        "until the end of file switch (WS-EOF-SW) is 'Y' (WS-END-OF-FILE). It is called by "
        "DSCMAIN (CALL). It runs in job step DSCJOB.STEP01. It holds 7 business rules "
        "(1 calculation, 1 decision, 1 input/output rule, 1 routing rule, 2 state changes and "
        "1 validation).")
    assert describe_program(program) == describe_program(program)


def test_docstring_examples():
    import doctest

    from cobolspec.rules import describe, english, textparse

    for module in (english, describe, textparse):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(english).attempted > 0
