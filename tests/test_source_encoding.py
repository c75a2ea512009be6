"""Decoding raw member bytes: encodings, line endings, EBCDIC records, binary refusal."""

from __future__ import annotations

import pytest

from cobolspec.source.encoding import NotText, decode, decode_ebcdic

PROGRAM = [
    "000100 IDENTIFICATION DIVISION.",
    "000200 PROGRAM-ID. EBC.",
    "000300 PROCEDURE DIVISION.",
    '000400     DISPLAY "[OK] ^ | !".',
    "000500     STOP RUN.",
]
# IBM-1047 moves six code points of IBM-037; these are the bytes of [ ] ^ in each.
CP037 = {"[": 0xBA, "]": 0xBB, "^": 0xB0}
CP1047 = {"[": 0xAD, "]": 0xBD, "^": 0x5F}


def ebcdic(lines: list[str], table: dict[str, int], sep: bytes | None) -> bytes:
    """Encode with cp037, then move the characters that differ to ``table``'s bytes."""
    out = []
    for line in lines:
        data = bytearray(
            line.encode("cp037") if sep is not None else line.ljust(80).encode("cp037")
        )
        for i, ch in enumerate(line):
            if ch in table:
                data[i] = table[ch]
        out.append(bytes(data))
    return (sep or b"").join(out) + (sep or b"")


@pytest.mark.parametrize(
    ("raw", "ending", "text"),
    [
        (b"A\nB\n", "LF", "A\nB\n"),
        (b"A\r\nB\r\n", "CRLF", "A\nB\n"),
        (b"A\rB\r", "CR", "A\nB\n"),
        (b"A\r\nB\nC\rD", "mixed", "A\nB\nC\nD"),
        (b"ONE LINE", "none", "ONE LINE"),
    ],
)
def test_line_endings_are_detected_and_normalised(raw: bytes, ending: str, text: str) -> None:
    d = decode(raw)
    assert (d.line_ending, d.text, d.encoding) == (ending, text, "ascii")
    assert b"".join(d.raw_lines) == raw


@pytest.mark.parametrize(
    ("raw", "encoding", "text"),
    [
        ("MOVE 'café' TO X.\n".encode(), "utf-8", "MOVE 'café' TO X.\n"),
        ("\ufeffMOVE A TO B.\n".encode(), "utf-8", "MOVE A TO B.\n"),
        ("MOVE 'café – ok' TO X.\n".encode("cp1252"), "cp1252", "MOVE 'café – ok' TO X.\n"),
        (b"MOVE '\x81\xe9' TO X.\n", "latin-1", "MOVE '\x81é' TO X.\n"),
        ("MOVE A TO B.\r\n".encode("utf-16"), "utf-16", "MOVE A TO B.\n"),
    ],
)
def test_ascii_family_encodings(raw: bytes, encoding: str, text: str) -> None:
    d = decode(raw)
    assert (d.encoding, d.text) == (encoding, text)


def test_ebcdic_cp037_fixed_80_byte_records() -> None:
    raw = ebcdic(PROGRAM, CP037, None)
    assert len(raw) == 80 * len(PROGRAM) and b"\n" not in raw
    d = decode(raw)
    assert (d.encoding, d.line_ending) == ("cp037", "records")
    assert d.layout == "fixed 80-byte records"
    lines = d.text.split("\n")[:-1]
    assert [ln.rstrip() for ln in lines] == PROGRAM
    assert all(len(ln) == 80 for ln in lines)
    assert len(d.raw_lines) == len(PROGRAM)


def test_ebcdic_cp1047_with_nl_line_ends() -> None:
    raw = ebcdic(PROGRAM, CP1047, b"\x15")
    d = decode(raw)
    assert (d.encoding, d.line_ending, d.layout) == ("cp1047", "LF", "NL (0x15) line ends")
    assert d.text == "\n".join(PROGRAM) + "\n"


def test_ebcdic_with_lf_0x25_line_ends() -> None:
    d = decode(ebcdic(PROGRAM, CP037, b"\x25"))
    assert (d.encoding, d.line_ending, d.layout) == ("cp037", "LF", "LF (0x25) line ends")
    assert "[OK] ^ | !" in d.text


def test_ebcdic_without_telling_characters_defaults_to_cp037() -> None:
    plain = [ln for ln in PROGRAM if "[" not in ln]
    assert decode(ebcdic(plain, {}, None)).encoding == "cp037"


def test_ebcdic_short_last_record_is_noted() -> None:
    raw = ebcdic(PROGRAM, CP037, None)[:-30]
    d = decode(raw)
    assert d.line_ending == "records"
    assert any("not a multiple" in n for n in d.notes)


def test_cp1047_decoder_maps_the_six_moved_code_points() -> None:
    assert decode_ebcdic(bytes([0xAD, 0xBD, 0x5F, 0xB0, 0xBA, 0xBB]), "cp1047") == "[]^¬Ý¨"
    assert decode_ebcdic(bytes([0xBA, 0xBB, 0xB0, 0x5F, 0xAD, 0xBD]), "cp037") == "[]^¬Ý¨"


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(256)) * 8,  # every byte value, NULs included
        b"\x7fELF\x02\x01\x01" + b"\x00" * 64,  # an executable
        b"PK\x03\x04" + bytes(range(1, 40)) * 20,  # an archive without NULs near the start
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 100,  # control characters only
    ],
)
def test_binary_data_is_refused(raw: bytes) -> None:
    with pytest.raises(NotText):
        decode(raw)
