"""PICTURE parsing: category, size, digits, scale and sign, and the strings IBM rejects."""

from __future__ import annotations

import pytest

from cobolspec.model.picture import Category, Picture, PictureError, parse_picture
from tests.oracle.cobc import fixed_form, have_cobc, symbol_table, syntax_ok

C = Category

# (picture, category, size in character positions, digits, scale, signed)
VALID: list[tuple[str, Category, int, int, int, bool]] = [
    ("X", C.ALPHANUMERIC, 1, 0, 0, False),
    ("X(10)", C.ALPHANUMERIC, 10, 0, 0, False),
    ("x(3)xx", C.ALPHANUMERIC, 5, 0, 0, False),
    ("X(003)", C.ALPHANUMERIC, 3, 0, 0, False),
    ("A(5)", C.ALPHABETIC, 5, 0, 0, False),
    ("A9", C.ALPHANUMERIC, 2, 0, 0, False),
    ("9(3)X(2)", C.ALPHANUMERIC, 5, 0, 0, False),
    ("XXBXX", C.ALPHANUMERIC_EDITED, 5, 0, 0, False),
    ("X(3)/X(2)0", C.ALPHANUMERIC_EDITED, 7, 0, 0, False),
    ("A(3)B", C.ALPHANUMERIC_EDITED, 4, 0, 0, False),
    ("9", C.NUMERIC, 1, 1, 0, False),
    ("9(5)V99", C.NUMERIC, 7, 7, 2, False),
    ("S9(7)V9(2)", C.NUMERIC, 9, 9, 2, True),
    ("S9(4)", C.NUMERIC, 4, 4, 0, True),
    ("V999", C.NUMERIC, 3, 3, 3, False),
    ("999V", C.NUMERIC, 3, 3, 0, False),
    ("PPP999", C.NUMERIC, 3, 3, 6, False),
    ("VPP99", C.NUMERIC, 2, 2, 4, False),
    ("9(3)PP", C.NUMERIC, 3, 3, -2, False),
    ("S99PPPV", C.NUMERIC, 2, 2, -3, True),
    ("9(18)", C.NUMERIC, 18, 18, 0, False),
    ("S9(31)", C.NUMERIC, 31, 31, 0, True),
    ("P", C.NUMERIC, 0, 0, -1, False),
    ("SPPP", C.NUMERIC, 0, 0, -3, True),
    ("999.", C.NUMERIC_EDITED, 4, 3, 0, False),
    ("ZZ9,", C.NUMERIC_EDITED, 4, 3, 0, False),
    ("9,9,9,", C.NUMERIC_EDITED, 6, 3, 0, False),
    ("ZZZ,ZZ9.99-", C.NUMERIC_EDITED, 11, 8, 2, True),
    ("$$$,$$9.99CR", C.NUMERIC_EDITED, 12, 7, 2, True),
    ("ZZ9DB", C.NUMERIC_EDITED, 5, 3, 0, True),
    ("-ZZZ9", C.NUMERIC_EDITED, 5, 4, 0, True),
    ("+++9", C.NUMERIC_EDITED, 4, 3, 0, True),
    ("----.--", C.NUMERIC_EDITED, 7, 5, 2, True),
    ("$ZZ,ZZ9.99", C.NUMERIC_EDITED, 10, 7, 2, False),
    ("**,**9.99", C.NUMERIC_EDITED, 9, 7, 2, False),
    ("$$$.$$", C.NUMERIC_EDITED, 6, 4, 2, False),
    ("ZZZ.ZZ", C.NUMERIC_EDITED, 6, 5, 2, False),
    ("99/99/99", C.NUMERIC_EDITED, 8, 6, 0, False),
    ("999B999", C.NUMERIC_EDITED, 7, 6, 0, False),
    ("9(3)0", C.NUMERIC_EDITED, 4, 3, 0, False),
    ("Z(5)9V99", C.NUMERIC_EDITED, 8, 8, 2, False),
    ("ZZ9PP", C.NUMERIC_EDITED, 3, 3, -2, False),
    ("+$$$9.99", C.NUMERIC_EDITED, 8, 5, 2, True),
    ("9.99$", C.NUMERIC_EDITED, 5, 3, 2, False),
    ("-9.9(5)E-99", C.EXTERNAL_FLOATING_POINT, 12, 6, 5, True),
    ("+99V99E+99", C.EXTERNAL_FLOATING_POINT, 9, 4, 2, True),
    ("+.9(16)E+99", C.EXTERNAL_FLOATING_POINT, 22, 16, 16, True),
    ("N(10)", C.NATIONAL, 10, 0, 0, False),
    ("NNBNN", C.NATIONAL_EDITED, 5, 0, 0, False),
    ("N(3)/N(2)", C.NATIONAL_EDITED, 6, 0, 0, False),
    ("G(5)", C.DBCS, 5, 0, 0, False),
    ("GGBGG", C.DBCS, 5, 0, 0, False),
    ("U(8)", C.UTF8, 8, 0, 0, False),
    ("1(4)", C.BOOLEAN, 4, 0, 0, False),
]


@pytest.mark.parametrize(("pic", "category", "size", "digits", "scale", "signed"), VALID)
def test_valid_picture(
    pic: str, category: Category, size: int, digits: int, scale: int, signed: bool
) -> None:
    p = parse_picture(pic)
    assert (p.category, p.size, p.digits, p.scale, p.signed) == (
        category,
        size,
        digits,
        scale,
        signed,
    )


# (picture, words the message must contain)
INVALID: list[tuple[str, str]] = [
    ("", "empty"),
    ("9(0)", "at least 1"),
    ("X(3", "unclosed"),
    ("X(A)", "not an integer"),
    ("(3)", "without a symbol"),
    ("X X", "space"),
    ("9Q", "not a PICTURE symbol"),
    ("S9S9", "S may appear only once"),
    ("SS99", "S may appear only once"),
    ("S(2)9", "cannot be repeated"),
    ("9S", "leftmost"),
    ("9V9V9", "V may appear only once"),
    ("9P9", "contiguous"),
    ("P99P", "not both"),
    ("PPV99", "decimal point must precede"),
    ("99VPP", "decimal point must follow"),
    ("9(32)", "maximum of 31"),
    ("9(20)P(12)", "maximum of 31"),
    ("ZZ*9", "Z and *"),
    ("99ZZ", "after a 9"),
    ("ZZ.Z9", "every digit position"),
    ("+9+", "contiguous"),
    ("+99-", "+ and -"),
    ("9CR-", "rightmost"),
    ("CRDB", "only once"),
    ("99CR9", "rightmost"),
    ("9.9.9", ". may appear only once"),
    ("9.9V9", "V and a decimal point"),
    ("9+9", "leftmost or rightmost"),
    ("9$9", "either end"),
    ("$9$9", "contiguous"),
    ("ZZ$$9", "Z or *"),
    ("+++$$$9", "one kind of floating"),
    ("X9Z", "X cannot be combined with Z"),
    ("S9X", "X cannot be combined with S"),
    ("NX", "cannot be combined"),
    ("G9", "cannot be combined"),
    ("V", "at least one 9 or P"),
    ("S", "at least one 9 or P"),
    ("SV", "at least one 9 or P"),
    ("+", "at least one digit position"),
    ("$", "at least one digit position"),
    ("B0/", "at least one digit position"),
    ("9.9E-99", "starts with a + or - sign"),
    ("+9.9E99", "exponent"),
    ("+9.9E+9", "exponent"),
    ("+99E+99", "exactly one . or V"),
    ("+9.9E+99E", "only once"),
    ("+9(17).9E+99", "1 to 16"),
]


@pytest.mark.parametrize(("pic", "words"), INVALID)
def test_invalid_picture(pic: str, words: str) -> None:
    with pytest.raises(PictureError) as exc:
        parse_picture(pic)
    assert words in str(exc.value)
    assert isinstance(exc.value, ValueError)
    assert exc.value.picture == pic.strip()


def test_error_message_names_the_picture_and_position() -> None:
    with pytest.raises(PictureError) as exc:
        parse_picture("99ZZ")
    assert str(exc.value).startswith("invalid PICTURE '99ZZ': ")
    assert exc.value.position == 2


def test_decimal_point_is_comma_swaps_period_and_comma() -> None:
    p = parse_picture("ZZZ.ZZ9,99-", decimal_point_is_comma=True)
    assert (p.category, p.size, p.digits, p.scale) == (C.NUMERIC_EDITED, 11, 8, 2)
    assert ("." in dict(p.symbols)) and dict(p.symbols)[","] == 1
    # Two decimal points in comma mode, two insertion commas otherwise.
    with pytest.raises(PictureError):
        parse_picture("9,9,9", decimal_point_is_comma=True)
    assert parse_picture("9,9,9").size == 5


def test_currency_symbol_can_be_changed() -> None:
    p = parse_picture("£££9.99", currency="£")
    assert (p.category, p.size, p.digits) == (C.NUMERIC_EDITED, 7, 5)
    with pytest.raises(PictureError):
        parse_picture("£££9.99")
    with pytest.raises(ValueError):
        parse_picture("9", currency="X")


def test_symbols_are_runs_with_logical_names() -> None:
    p = parse_picture("$$9(3).99CR")
    assert p.symbols == (("CS", 2), ("9", 3), (".", 1), ("9", 2), ("CR", 1))
    assert isinstance(p, Picture) and p.is_edited and not p.is_numeric
    assert parse_picture("S9V9").is_numeric


def test_picture_is_frozen_and_slotted() -> None:
    p = parse_picture("X")
    with pytest.raises(AttributeError):
        p.size = 3  # type: ignore[misc]
    assert not hasattr(p, "__dict__")


# --------------------------------------------------------------------------- GnuCOBOL oracle

# cobc 3.1.2 does not know E (external floating point), G (DBCS) or U, and sizes NATIONAL-edited
# pictures differently ("unfinished"); N pictures are two bytes a character, checked in layout.
_COBC_SIZES = [
    v[0]
    for v in VALID
    if v[1] not in (C.EXTERNAL_FLOATING_POINT, C.DBCS, C.UTF8, C.NATIONAL, C.NATIONAL_EDITED)
]
# Strings both IBM's rules and cobc reject (cobc accepts up to 38 digits and takes some malformed
# exponents for something else, so those are left out here).
_COBC_REJECTS = [
    p
    for p, _ in INVALID
    if p
    and p not in ("9(32)", "9(20)P(12)", "+9.9E+9", "9.9E-99", "X X")
    and "E" not in p
    and "G" not in p
]


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc not installed")
def test_sizes_agree_with_cobc() -> None:
    entries = "\n".join(f"    05 P{i:03d} PIC {pic}." for i, pic in enumerate(_COBC_SIZES))
    src = fixed_form(
        """
        IDENTIFICATION DIVISION.
        PROGRAM-ID. PICS.
        DATA DIVISION.
        WORKING-STORAGE SECTION.
        01 R.
        """
        + entries
        + """
        PROCEDURE DIVISION.
            GOBACK.
        """
    )
    table = {s.name: s for s in symbol_table(src)}
    got = {pic: table[f"P{i:03d}"].size for i, pic in enumerate(_COBC_SIZES)}
    assert got == {pic: parse_picture(pic).size for pic in _COBC_SIZES}


@pytest.mark.cobc
@pytest.mark.skipif(not have_cobc(), reason="cobc not installed")
@pytest.mark.parametrize("pic", _COBC_REJECTS)
def test_cobc_rejects_what_we_reject(pic: str) -> None:
    src = fixed_form(
        f"""
        IDENTIFICATION DIVISION.
        PROGRAM-ID. BAD.
        DATA DIVISION.
        WORKING-STORAGE SECTION.
        01 X PIC {pic}.
        PROCEDURE DIVISION.
            GOBACK.
        """
    )
    ok, messages = syntax_ok(src)
    assert not ok, messages
