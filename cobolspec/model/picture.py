"""PICTURE character-strings: category, digits, scale, sign and size, after IBM Enterprise COBOL.

:func:`parse_picture` reads a PICTURE string as written in a data description entry (without the
``PIC``/``PICTURE`` keyword and the separator period) and returns a :class:`Picture`.  Sizes are in
*character positions*; :mod:`cobolspec.model.layout` turns them into bytes according to USAGE.

Conventions:

* ``digits`` counts the digit positions that hold data: ``9``, ``Z``, ``*``, and all but the first
  symbol of a floating insertion string.  Scaling positions ``P`` are not digits (they occupy no
  storage) but count against the 31-digit maximum, as IBM specifies.
* A PICTURE may end with a period or comma (``999.`` has a decimal point and scale 0), since
  only a period followed by a space ends the clause: give the string without that separator.
* ``scale`` is the number of decimal places: positive when digits (or leading ``P``) stand right
  of the assumed decimal point, negative with trailing ``P``.  ``999PP`` has scale -2 (values are
  multiples of 100); ``PP99`` and ``VPP99`` have scale 4.

>>> p = parse_picture("S9(7)V9(2)")
>>> (p.category.value, p.size, p.digits, p.scale, p.signed)
('NUMERIC', 9, 9, 2, True)
>>> parse_picture("$$$,$$9.99CR").size
12
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = ["Category", "Picture", "PictureError", "parse_picture"]

# IBM: with ARITH(EXTEND) numeric items may have up to 31 digit positions (P included).
MAX_DIGITS = 31


class PictureError(ValueError):
    """A PICTURE character-string that IBM Enterprise COBOL would reject.

    ``position`` is the 0-based index into the string where the problem was seen, when known.
    """

    def __init__(self, message: str, picture: str, position: int | None = None) -> None:
        super().__init__(f"invalid PICTURE {picture!r}: {message}")
        self.reason = message
        self.picture = picture
        self.position = position


class Category(StrEnum):
    """Data categories an item's PICTURE gives it (IBM Language Reference terms)."""

    ALPHABETIC = "ALPHABETIC"
    ALPHANUMERIC = "ALPHANUMERIC"
    ALPHANUMERIC_EDITED = "ALPHANUMERIC-EDITED"
    NUMERIC = "NUMERIC"
    NUMERIC_EDITED = "NUMERIC-EDITED"
    EXTERNAL_FLOATING_POINT = "EXTERNAL-FLOATING-POINT"
    NATIONAL = "NATIONAL"
    NATIONAL_EDITED = "NATIONAL-EDITED"
    DBCS = "DBCS"
    UTF8 = "UTF-8"
    BOOLEAN = "BOOLEAN"


@dataclass(frozen=True, slots=True)
class Picture:
    """A parsed PICTURE character-string.

    ``symbols`` is the string as runs of logical symbols with their repetition counts, e.g.
    ``(("S", 1), ("9", 7), ("V", 1), ("9", 2))``; the decimal point is always ``"."`` and the
    insertion comma ``","`` whatever DECIMAL-POINT IS COMMA says, the currency symbol is ``"CS"``.
    """

    text: str
    category: Category
    size: int
    digits: int = 0
    scale: int = 0
    signed: bool = False
    scaling_positions: int = 0
    symbols: tuple[tuple[str, int], ...] = ()

    @property
    def is_numeric(self) -> bool:
        """True for the categories arithmetic accepts as operands (numeric and external float)."""
        return self.category in (Category.NUMERIC, Category.EXTERNAL_FLOATING_POINT)

    @property
    def is_edited(self) -> bool:
        return self.category in (
            Category.NUMERIC_EDITED,
            Category.ALPHANUMERIC_EDITED,
            Category.NATIONAL_EDITED,
        )


# --------------------------------------------------------------------------- tokenizing

_SIMPLE = frozenset("ABEGNPSUVXZ901/,.+-*")
_NOT_REPEATABLE = frozenset({"S", "V", "E", ".", "CR", "DB"})
_DIGIT_POSITIONS = frozenset({"9", "Z", "*"})
_INSERTION = frozenset({"B", "0", "/", ","})
_NUMERIC = frozenset({"9", "S", "V", "P"})
_NUMERIC_EDITED = frozenset(
    {"B", "P", "V", "Z", "9", "0", "/", ",", ".", "+", "-", "CR", "DB", "*", "CS"}
)
_ALNUM = frozenset({"A", "X", "9"})
_ALNUM_EDITED = frozenset({"A", "X", "9", "B", "0", "/"})
_NATIONAL_EDITED = frozenset({"N", "B", "0", "/"})


@dataclass(slots=True)
class _Tok:
    sym: str  # logical symbol
    count: int
    pos: int  # index of the symbol in the original string


def _tokenize(text: str, currency: frozenset[str], comma: bool) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        start = i
        if ch in currency:
            sym = "CS"
            i += 1
        else:
            up = ch.upper()
            two = text[i : i + 2].upper()
            if two in ("CR", "DB"):
                sym = two
                i += 2
            elif up in _SIMPLE:
                sym = up
                i += 1
            elif ch == "(":
                raise PictureError("repetition count without a symbol before it", text, i)
            elif ch.isspace():
                raise PictureError("embedded space", text, i)
            else:
                raise PictureError(f"{ch!r} is not a PICTURE symbol", text, i)
            if comma and sym in (".", ","):
                sym = "." if sym == "," else ","
        count = 1
        if i < n and text[i] == "(":
            close = text.find(")", i)
            if close < 0:
                raise PictureError("unclosed repetition count", text, i)
            digits = text[i + 1 : close].strip()
            if not digits.isdigit():
                raise PictureError(f"repetition count {digits!r} is not an integer", text, i)
            count = int(digits)
            if count < 1:
                raise PictureError("repetition count must be at least 1", text, i)
            if sym in _NOT_REPEATABLE:
                raise PictureError(f"symbol {sym} cannot be repeated", text, i)
            i = close + 1
        if toks and toks[-1].sym == sym:
            toks[-1].count += count
        else:
            toks.append(_Tok(sym, count, start))
    return toks


# --------------------------------------------------------------------------- public entry


def parse_picture(
    pic: str,
    *,
    decimal_point_is_comma: bool = False,
    currency: str | Iterable[str] = "$",
) -> Picture:
    """Parse a PICTURE character-string.

    ``decimal_point_is_comma`` mirrors ``DECIMAL-POINT IS COMMA`` (the roles of ``.`` and ``,``
    swap); ``currency`` gives the currency symbol(s) in effect (``$`` unless a CURRENCY SIGN
    clause says otherwise).  Each currency symbol counts as one character position.

    Raises :class:`PictureError` (a :class:`ValueError`) for strings IBM COBOL rejects.
    """
    cs = frozenset([currency] if isinstance(currency, str) else currency)
    return _parse(pic.strip(), decimal_point_is_comma, cs)


@lru_cache(maxsize=8192)
def _parse(text: str, decimal_point_is_comma: bool, cs: frozenset[str]) -> Picture:
    # Programs repeat a few hundred distinct pictures many thousand times: parse each once.
    if not text:
        raise PictureError("empty character-string", text, 0)
    for c in cs:
        if len(c) != 1 or c.upper() in _SIMPLE or c in "() " or c.isdigit():
            raise ValueError(f"unusable currency symbol {c!r}")
    toks = _tokenize(text, cs, decimal_point_is_comma)
    syms = {t.sym for t in toks}
    runs = tuple((t.sym, t.count) for t in toks)
    total = sum(_width(t) for t in toks)

    if "E" in syms:
        return _floating(text, toks, runs)
    if syms == {"1"}:
        return Picture(text, Category.BOOLEAN, total, symbols=runs)
    if syms == {"U"}:
        return Picture(text, Category.UTF8, total, symbols=runs)
    if "N" in syms and syms <= _NATIONAL_EDITED:
        cat = Category.NATIONAL if syms == {"N"} else Category.NATIONAL_EDITED
        return Picture(text, cat, total, symbols=runs)
    if "G" in syms and syms <= {"G", "B"}:
        return Picture(text, Category.DBCS, total, symbols=runs)
    if syms == {"A"}:
        return Picture(text, Category.ALPHABETIC, total, symbols=runs)
    if syms <= _ALNUM and ("X" in syms or "A" in syms):
        return Picture(text, Category.ALPHANUMERIC, total, symbols=runs)
    if syms <= _ALNUM_EDITED and ("X" in syms or "A" in syms):
        return Picture(text, Category.ALPHANUMERIC_EDITED, total, symbols=runs)
    if syms <= _NUMERIC:
        return _numeric(text, toks, runs)
    if syms <= _NUMERIC_EDITED:
        return _numeric_edited(text, toks, runs, total)
    raise PictureError(_mix_message(syms), text)


def _width(t: _Tok) -> int:
    if t.sym in ("S", "V", "P"):
        return 0
    if t.sym in ("CR", "DB"):
        return 2
    return t.count


def _mix_message(syms: set[str]) -> str:
    shown = ", ".join(sorted("currency" if s == "CS" else s for s in syms))
    for group in ("X", "A", "N", "G", "U", "1"):
        if group in syms:
            allowed = _ALNUM_EDITED if group in "XA" else {group}
            others = sorted(s for s in syms if s not in allowed)
            if others:
                return f"symbol {group} cannot be combined with " + ", ".join(
                    "currency" if s == "CS" else s for s in others
                )
    return f"no category allows this combination of symbols ({shown})"


# --------------------------------------------------------------------------- numeric


def _check_once(text: str, toks: list[_Tok], sym: str) -> None:
    seen = [t for t in toks if t.sym == sym]
    if len(seen) > 1 or (seen and seen[0].count > 1):
        where = seen[1].pos if len(seen) > 1 else seen[0].pos
        raise PictureError(f"symbol {sym} may appear only once", text, where)


def _scale_of(text: str, toks: list[_Tok], digit_syms: frozenset[str]) -> tuple[int, int, int]:
    """(digits, scale, P count) of the digit positions in ``toks``, checking P placement.

    ``digit_syms`` are the symbols counted as digit positions (besides P).
    """
    # Positions: the sequence of digit-position symbols and the point, one entry per position.
    seq: list[tuple[str, int]] = []  # (kind, pos) with kind in {"D", "P", "."}
    for t in toks:
        if t.sym in digit_syms:
            seq.extend(("D", t.pos) for _ in range(t.count))
        elif t.sym == "P":
            seq.extend(("P", t.pos) for _ in range(t.count))
        elif t.sym in (".", "V"):
            seq.append((".", t.pos))
    kinds = "".join(k for k, _ in seq)
    digits = kinds.count("D")
    p_count = kinds.count("P")
    if p_count:
        core = kinds.replace(".", "")
        trail = len(core) - len(core.rstrip("P"))
        lead = len(core) - len(core.lstrip("P")) if digits else 0
        if lead and trail:
            raise PictureError("P may appear at the left or at the right end, not both", text)
        if lead + trail != p_count:
            pos = next(p for k, p in seq if k == "P")
            raise PictureError("P positions must be contiguous at one end", text, pos)
        if "." in kinds:
            point = kinds.index(".")
            if lead and point != 0:
                raise PictureError("with leading P the decimal point must precede the P", text)
            if trail and point != len(kinds) - 1:
                raise PictureError("with trailing P the decimal point must follow the P", text)
    if p_count and digits and kinds.replace(".", "").startswith("P"):
        scale = p_count + digits
    elif p_count:
        scale = -p_count
    elif "." in kinds:
        scale = kinds[kinds.index(".") + 1 :].count("D")
    else:
        scale = 0
    if digits + p_count > MAX_DIGITS:
        raise PictureError(
            f"{digits + p_count} digit positions exceed the maximum of {MAX_DIGITS}", text
        )
    return digits, scale, p_count


def _numeric(text: str, toks: list[_Tok], runs: tuple[tuple[str, int], ...]) -> Picture:
    _check_once(text, toks, "S")
    _check_once(text, toks, "V")
    if any(t.sym == "S" for t in toks[1:]):
        pos = next(t.pos for t in toks[1:] if t.sym == "S")
        raise PictureError("S must be the leftmost symbol", text, pos)
    if not any(t.sym in ("9", "P") for t in toks):
        raise PictureError("a numeric PICTURE needs at least one 9 or P", text)
    digits, scale, p_count = _scale_of(text, toks, frozenset({"9"}))
    signed = toks[0].sym == "S"
    return Picture(
        text,
        Category.NUMERIC,
        digits,
        digits=digits,
        scale=scale,
        signed=signed,
        scaling_positions=p_count,
        symbols=runs,
    )


def _floating(text: str, toks: list[_Tok], runs: tuple[tuple[str, int], ...]) -> Picture:
    """External floating-point: ``{+|-} mantissa E {+|-} 99``; mantissa of 9s with . or V."""
    syms = [t.sym for t in toks]
    e_at = syms.index("E")
    if syms.count("E") > 1:
        raise PictureError("symbol E may appear only once", text)
    mant, expo = toks[:e_at], toks[e_at + 1 :]
    if not mant or mant[0].sym not in "+-" or mant[0].count != 1:
        raise PictureError("a floating-point PICTURE starts with a + or - sign", text, 0)
    body = mant[1:]
    if not body or any(t.sym not in ("9", ".", "V") for t in body):
        raise PictureError("the mantissa may contain only 9 and one . or V", text)
    points = sum(t.count for t in body if t.sym in (".", "V"))
    if points != 1:
        raise PictureError("the mantissa needs exactly one . or V", text)
    mdigits = sum(t.count for t in body if t.sym == "9")
    if not 1 <= mdigits <= 16:
        raise PictureError("the mantissa has 1 to 16 digit positions", text)
    if (
        len(expo) != 2
        or expo[0].sym not in "+-"
        or expo[0].count != 1
        or expo[1].sym != "9"
        or expo[1].count != 2
    ):
        raise PictureError("the exponent must be written +99 or -99 after E", text, toks[e_at].pos)
    seen_point = False
    scale = 0
    for t in body:
        if t.sym in (".", "V"):
            seen_point = True
        elif seen_point:
            scale += t.count
    size = sum(_width(t) for t in toks)
    return Picture(
        text,
        Category.EXTERNAL_FLOATING_POINT,
        size,
        digits=mdigits,
        scale=scale,
        signed=True,
        symbols=runs,
    )


# --------------------------------------------------------------------------- numeric-edited


def _numeric_edited(
    text: str, toks: list[_Tok], runs: tuple[tuple[str, int], ...], size: int
) -> Picture:
    _check_once(text, toks, "V")
    _check_once(text, toks, ".")
    syms = [t.sym for t in toks]
    if "V" in syms and "." in syms:
        raise PictureError("V and a decimal point cannot both appear", text)
    if "Z" in syms and "*" in syms:
        raise PictureError("Z and * cannot both appear", text)
    n_cr = sum(1 for s in syms if s in ("CR", "DB"))
    if n_cr > 1:
        raise PictureError("CR or DB may appear only once", text)
    if n_cr and syms[-1] not in ("CR", "DB"):
        raise PictureError("CR and DB must be the rightmost symbol", text)

    def count(sym: str) -> int:
        return sum(t.count for t in toks if t.sym == sym)

    plus, minus, cur = count("+"), count("-"), count("CS")
    if plus and minus:
        raise PictureError("+ and - cannot both appear", text)
    if (plus or minus) and n_cr:
        raise PictureError("a + or - sign cannot appear with CR or DB", text)
    floating = [s for s, c in (("+", plus), ("-", minus), ("CS", cur)) if c > 1]
    if len(floating) > 1:
        raise PictureError("only one kind of floating insertion string is allowed", text)
    float_sym = floating[0] if floating else None
    if float_sym and ("Z" in syms or "*" in syms):
        raise PictureError("a floating insertion string cannot be combined with Z or *", text)

    # Fixed insertion: a single sign at either end; a single currency sign at the left (after
    # an optional leading sign) or at the right (before an optional trailing sign, CR or DB).
    last = len(toks) - 1
    for i, t in enumerate(toks):
        if t.sym in ("+", "-") and t.sym != float_sym and i not in (0, last):
            raise PictureError(
                f"a fixed {t.sym} sign must be the leftmost or rightmost", text, t.pos
            )
        if t.sym == "CS" and float_sym != "CS":
            left_ok = i == 0 or (i == 1 and toks[0].sym in ("+", "-"))
            right_ok = i == last or (i == last - 1 and toks[last].sym in ("+", "-", "CR", "DB"))
            if not (left_ok or right_ok):
                raise PictureError("a fixed currency symbol must be at either end", text, t.pos)

    # Floating string: contiguous apart from simple insertion characters and the point, and
    # leftmost among the digit positions.
    digit_syms = set(_DIGIT_POSITIONS)
    if float_sym:
        idx = [i for i, t in enumerate(toks) if t.sym == float_sym]
        first, final = idx[0], idx[-1]
        for t in toks[first : final + 1]:
            if t.sym not in (float_sym, *_INSERTION, ".", "V"):
                raise PictureError("a floating insertion string must be contiguous", text, t.pos)
        if any(t.sym in _DIGIT_POSITIONS or t.sym == "P" for t in toks[:first]):
            raise PictureError(
                "a floating insertion string must be leftmost", text, toks[first].pos
            )

    # Digit positions, left to right: suppression/floating before any 9; once past the point,
    # suppression or floating only if every digit position is of that kind.
    seq: list[tuple[str, int, bool]] = []  # (kind, pos, after_point)
    after = False
    float_seen = False
    for t in toks:
        if t.sym in (".", "V"):
            after = True
        elif t.sym in ("Z", "*"):
            seq.extend(("S", t.pos, after) for _ in range(t.count))
        elif t.sym == "9":
            seq.extend(("9", t.pos, after) for _ in range(t.count))
        elif float_sym and t.sym == float_sym:
            n = t.count - (0 if float_seen else 1)
            float_seen = True
            seq.extend(("S", t.pos, after) for _ in range(n))
    nine_seen = False
    for kind, pos, _ in seq:
        if kind == "9":
            nine_seen = True
        elif nine_seen:
            raise PictureError("zero suppression or floating insertion after a 9", text, pos)
    if any(kind == "S" and aft for kind, _, aft in seq) and nine_seen:
        raise PictureError(
            "suppression right of the decimal point requires every digit position to be suppressed",
            text,
        )
    if not seq:
        raise PictureError("a numeric-edited PICTURE needs at least one digit position", text)

    # Reuse the numeric scale rules on an equivalent token list of digit positions.
    norm: list[_Tok] = []
    float_seen = False
    for t in toks:
        if float_sym and t.sym == float_sym:
            n = t.count - (0 if float_seen else 1)
            float_seen = True
            if n:
                norm.append(_Tok("9", n, t.pos))
        elif t.sym in digit_syms:
            norm.append(_Tok("9", t.count, t.pos))
        elif t.sym in ("P", ".", "V"):
            norm.append(t)
    digits, scale, p_count = _scale_of(text, norm, frozenset({"9"}))
    signed = bool(plus or minus or n_cr)
    return Picture(
        text,
        Category.NUMERIC_EDITED,
        size,
        digits=digits,
        scale=scale,
        signed=signed,
        scaling_positions=p_count,
        symbols=runs,
    )
