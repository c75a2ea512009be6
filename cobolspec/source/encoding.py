"""Turning a member's raw bytes into text: encoding, line endings, EBCDIC records.

Dumps arrive as ASCII/UTF-8, as Windows code page 1252 (or Latin-1), or straight off the
mainframe in EBCDIC: either as fixed 80-byte records with no line terminators at all, or with
EBCDIC NL (0x15) / LF (0x25) line ends. :func:`decode` decides which, says what it assumed, and
refuses binary data (load modules, archives, spreadsheets) rather than guessing.

>>> d = decode(b"       MOVE A TO B.\\r\\n")
>>> d.encoding, d.line_ending, d.text
('ascii', 'CRLF', '       MOVE A TO B.\\n')
>>> decode("       MOVE A TO B.".ljust(80).encode("cp037")).line_ending
'records'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

#: Bytes of a cp1047 text that must become the cp037 byte with the same character before a
#: cp037 decode. Code page 1047 differs from 037 in exactly these six points.
_CP1047_TO_CP037 = bytes.maketrans(
    bytes([0x5F, 0xAD, 0xB0, 0xBA, 0xBB, 0xBD]),
    bytes([0xB0, 0xBA, 0x5F, 0xAD, 0xBD, 0xBB]),
)
RECORD_LENGTH = 80
#: Characters that are plausible in COBOL text, and characters that are not, used to choose
#: between the EBCDIC code pages (they differ mostly in where ``[ ] ^ | !`` live).
_PLAUSIBLE = "[]^|!"
_IMPLAUSIBLE = "¬Ý¨¢"
_EBCDIC_PAGES = ("cp037", "cp1047", "cp500")


def _ebcdic_text_bytes() -> bytes:
    keep = [0x05, 0x0C, 0x0D, 0x15, 0x25]
    for b in range(0x40, 0x100):
        ch = bytes([b]).decode("cp037")
        if ch.isprintable() or ch == "\xa0":
            keep.append(b)
    return bytes(keep)


_EBCDIC_TEXT = _ebcdic_text_bytes()
_ASCII_TEXT = bytes([9, 10, 12, 13, 26, *range(0x20, 0x7F)])
_CP1252_UNDEFINED = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])
_EBCDIC_LINE = re.compile(rb"[^\x15\x25]*[\x15\x25]|[^\x15\x25]+\Z")


@dataclass(slots=True)
class Decoded:
    """A decoded file: text with ``\\n`` line ends, and what was assumed to get it.

    ``raw_lines`` holds the raw bytes of each physical line (terminator included) so that a
    part of the file (an IEBUPDTE member) can be hashed exactly.
    """

    text: str
    encoding: str
    line_ending: str
    raw_lines: list[bytes] = field(repr=False)
    notes: list[str] = field(default_factory=list)
    #: How EBCDIC lines were found: "fixed 80-byte records", "NL (0x15) line ends"...
    layout: str = ""

    @property
    def ebcdic(self) -> bool:
        return self.encoding in _EBCDIC_PAGES


class NotText(Exception):
    """The bytes are not text in any encoding we know (the message says why)."""


def decode_ebcdic(raw: bytes, page: str) -> str:
    """Decode EBCDIC bytes with ``cp037``, ``cp1047`` (not in Python's codecs) or ``cp500``."""
    if page == "cp1047":
        return raw.translate(_CP1047_TO_CP037).decode("cp037")
    return raw.decode(page)


def _guess_ebcdic_page(raw: bytes) -> str:
    best, best_score = "cp037", None
    for page in _EBCDIC_PAGES:
        text = decode_ebcdic(raw, page)
        score = sum(text.count(c) for c in _PLAUSIBLE) - 2 * sum(
            text.count(c) for c in _IMPLAUSIBLE
        )
        if best_score is None or score > best_score:
            best, best_score = page, score
    return best


def _looks_ebcdic(sample: bytes) -> bool:
    n = len(sample)
    if n == 0:
        return False
    non_text = len(sample.translate(None, _EBCDIC_TEXT))
    spaces = sample.count(0x40)
    return non_text <= n * 0.02 and spaces >= n * 0.05 and sample.count(0x20) <= n * 0.01


def _control_ratio(text_bytes: bytes) -> float:
    """Share of bytes below 0x20 that are not ordinary text controls (tab, LF, FF, CR, EOF)."""
    low = bytes(b for b in range(0x20) if b not in (9, 10, 12, 13, 26))
    kept = text_bytes.translate(None, bytes(b for b in range(256) if b not in low))
    return len(kept) / max(len(text_bytes), 1)


def _line_ending(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("LF", lf), ("CRLF", crlf), ("CR", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def _decode_ascii_family(raw: bytes, encoding: str) -> Decoded:
    text = raw.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    ending = _line_ending(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    if text.endswith("\x1a"):
        text = text.rstrip("\x1a")
        notes.append("trailing end-of-file (0x1A) characters removed")
    return Decoded(text, encoding, ending, raw.splitlines(keepends=True), notes)


def _decode_ebcdic(raw: bytes) -> Decoded:
    page = _guess_ebcdic_page(raw[: 1 << 16])
    nl, lf = raw.count(0x15), raw.count(0x25)
    notes: list[str] = []
    if nl or lf:
        # EBCDIC NL (0x15) or LF (0x25), possibly after CR (0x0D); split on bytes first because
        # the code page maps NL to U+0085, which is not a line end for us.
        chunks = _EBCDIC_LINE.findall(raw)
        lines = [decode_ebcdic(c.rstrip(b"\x15\x25").rstrip(b"\x0d"), page) for c in chunks]
        # EBCDIC NL and LF both end a line ("LF"); the layout says which byte it was
        ending = "mixed" if nl and lf else "LF"
        layout = "mixed NL/LF" if nl and lf else "NL (0x15)" if nl else "LF (0x25)"
        text = "\n".join(lines) + ("\n" if raw[-1:] in (b"\x15", b"\x25") else "")
        return Decoded(text, page, ending, chunks, notes, f"{layout} line ends")
    chunks = [raw[i : i + RECORD_LENGTH] for i in range(0, len(raw), RECORD_LENGTH)]
    if len(raw) % RECORD_LENGTH:
        notes.append(
            f"{len(raw)} bytes is not a multiple of the {RECORD_LENGTH}-byte record length; "
            "the last record is short"
        )
    text = "".join(decode_ebcdic(c, page) + "\n" for c in chunks)
    return Decoded(text, page, "records", chunks, notes, f"fixed {RECORD_LENGTH}-byte records")


def decode(raw: bytes) -> Decoded:
    """Decode a whole file. Raises :class:`NotText` for binary data.

    Order of trust: byte-order marks; NUL bytes mean binary; valid UTF-8 (``ascii`` when it is
    pure ASCII); EBCDIC when nearly every byte is an EBCDIC graphic and 0x40 (the EBCDIC space)
    is frequent; otherwise cp1252 (Latin-1 if it uses bytes cp1252 leaves undefined).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_ascii_family(raw[len(codecs.BOM_UTF8) :], "utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotText("UTF-16 byte-order mark but undecodable data") from exc
        d = _decode_ascii_family(text.encode("utf-8"), "utf-8")
        d.encoding = "utf-16"
        return d
    sample = raw[: 1 << 16]
    if b"\x00" in sample:
        raise NotText("contains NUL bytes")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _control_ratio(sample) > 0.01:
            raise NotText("too many control characters for text")
        return _decode_ascii_family(raw, "ascii" if raw.isascii() else "utf-8")
    if _looks_ebcdic(sample):
        return _decode_ebcdic(raw)
    high = len(sample.translate(None, _ASCII_TEXT))
    if _control_ratio(sample) > 0.01 or high > len(sample) * 0.3:
        raise NotText("neither ASCII, UTF-8, cp1252 nor EBCDIC text")
    encoding = "latin-1" if raw.translate(None, _CP1252_UNDEFINED) != raw else "cp1252"
    return _decode_ascii_family(raw, encoding)


def split_lines(text: str) -> list[str]:
    """Physical lines of decoded text (a final line terminator does not start a new line)."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines
