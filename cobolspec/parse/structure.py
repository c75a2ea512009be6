"""Finding the skeleton of a compilation unit in its token stream.

Programs (nested ones too, closed by END PROGRAM), their divisions, and inside them the units the
grammar parses one at a time: environment paragraphs and SELECT entries, data description entries,
and procedure sentences with the section and paragraph headers between them. Parsing unit by unit
keeps every error local to one entry or sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lark import Token

from cobolspec.parse.driver import VERBS

DIVISIONS = ("IDENTIFICATION", "ID", "ENVIRONMENT", "DATA", "PROCEDURE")
ENV_PARAGRAPHS = {
    "SOURCE-COMPUTER": "source_computer",
    "OBJECT-COMPUTER": "object_computer",
    "SPECIAL-NAMES": "special_names",
    "REPOSITORY": "repository",
    "FILE-CONTROL": "file_control",
    "I-O-CONTROL": "i_o_control",
}
DATA_SECTIONS = (
    "FILE",
    "WORKING-STORAGE",
    "LOCAL-STORAGE",
    "LINKAGE",
    "COMMUNICATION",
    "REPORT",
    "SCREEN",
)


def word(tok: Token | None) -> str:
    """The upper-case text of a word token, or '' for anything else."""
    if tok is None or tok.type != "WORD":
        return ""
    return tok.value.upper()


@dataclass(slots=True)
class ProcUnit:
    """One item of the PROCEDURE DIVISION in source order."""

    kind: str  # "section", "paragraph", "sentence", "declaratives", "end-declaratives"
    tokens: list[Token]
    name: str | None = None


@dataclass(slots=True)
class ProgramTokens:
    """The token slices of one program."""

    start: Token
    identification: list[Token] = field(default_factory=list)
    environment: list[Token] = field(default_factory=list)
    data: list[Token] = field(default_factory=list)
    procedure: list[Token] = field(default_factory=list)
    end: list[Token] = field(default_factory=list)  # END PROGRAM name .
    nested: list[ProgramTokens] = field(default_factory=list)
    leading: list[Token] = field(default_factory=list)  # tokens before any division (junk)


def _division_at(tokens: list[Token], i: int) -> str | None:
    w = word(tokens[i])
    if w in DIVISIONS and i + 1 < len(tokens) and word(tokens[i + 1]) == "DIVISION":
        return "IDENTIFICATION" if w == "ID" else w
    return None


def split_programs(tokens: list[Token]) -> tuple[list[ProgramTokens], list[Token]]:
    """Programs in the token stream (nested programs hang under their parent) and any tokens
    that belong to no program."""
    top: list[ProgramTokens] = []
    stack: list[ProgramTokens] = []
    stray: list[Token] = []
    current: list[Token] | None = None
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        div = _division_at(tokens, i)
        starts_program = div == "IDENTIFICATION" or (
            word(tok) == "PROGRAM-ID" and (not stack or stack[-1].procedure)
        )
        if starts_program:
            prog = ProgramTokens(start=tok)
            if stack and stack[-1].procedure:
                stack[-1].nested.append(prog)
            elif stack:
                # a second ID DIVISION before the first program had a PROCEDURE DIVISION
                stack.pop()
                (stack[-1].nested if stack else top).append(prog)
            else:
                top.append(prog)
            stack.append(prog)
            current = prog.identification
        elif div is not None and stack:
            prog = stack[-1]
            current = {
                "ENVIRONMENT": prog.environment,
                "DATA": prog.data,
                "PROCEDURE": prog.procedure,
            }[div]
        elif word(tok) == "END" and i + 1 < n and word(tokens[i + 1]) == "PROGRAM" and stack:
            j = i + 2
            while j < n and tokens[j].type != "DOT" and j < i + 4:
                j += 1
            end = tokens[i : j + 1] if j < n and tokens[j].type == "DOT" else tokens[i:j]
            name = word(tokens[i + 2]) if i + 2 < n else ""
            name = name or (tokens[i + 2].value.strip("'\"").upper() if i + 2 < n else "")
            # close up to the named program (or the innermost one)
            while stack:
                prog = stack.pop()
                prog.end = end
                if _program_name(prog) in (name, ""):
                    break
            current = None
            i += len(end)
            continue
        if current is None:
            stray.append(tok)
        else:
            current.append(tok)
        i += 1
    return top, stray


def _program_name(prog: ProgramTokens) -> str:
    toks = prog.identification
    for k, t in enumerate(toks):
        if word(t) == "PROGRAM-ID":
            for u in toks[k + 1 : k + 3]:
                if u.type != "DOT":
                    return u.value.strip("'\"").upper()
    return ""


def split_sentences(tokens: list[Token]) -> Iterator[list[Token]]:
    """Token runs ending at each separator period (the period included); a trailing run
    without a period is yielded as it is."""
    start = 0
    for k, tok in enumerate(tokens):
        if tok.type == "DOT":
            yield tokens[start : k + 1]
            start = k + 1
    if start < len(tokens):
        yield tokens[start:]


def split_environment(tokens: list[Token]) -> Iterator[tuple[str, list[Token]]]:
    """(start rule, tokens) for each paragraph and SELECT entry, skipping section headers;
    ("", tokens) for text that belongs to nothing known."""
    body = _after_header(tokens)
    units: list[tuple[str, list[Token]]] = []
    cur_rule = ""
    cur: list[Token] = []
    k = 0
    n = len(body)
    while k < n:
        tok = body[k]
        w = word(tok)
        if w in ("CONFIGURATION", "INPUT-OUTPUT") and word(body[k + 1] if k + 1 < n else None) == (
            "SECTION"
        ):
            units.append((cur_rule, cur))
            cur_rule, cur = "", []
            k += 2
            if k < n and body[k].type == "DOT":
                k += 1
            continue
        if w in ENV_PARAGRAPHS and (k == 0 or body[k - 1].type == "DOT"):
            units.append((cur_rule, cur))
            cur_rule, cur = ENV_PARAGRAPHS[w], [tok]
            if w == "FILE-CONTROL" and k + 1 < n and body[k + 1].type == "DOT":
                units.append((cur_rule, [tok, body[k + 1]]))
                cur_rule, cur = "", []
                k += 2
                continue
        elif w == "SELECT" and (k == 0 or body[k - 1].type == "DOT"):
            units.append((cur_rule, cur))
            cur_rule, cur = "select_entry", [tok]
        else:
            cur.append(tok)
        k += 1
    units.append((cur_rule, cur))
    for rule, toks in units:
        if toks:
            yield rule, toks


def _after_header(tokens: list[Token]) -> list[Token]:
    """Tokens after ``X DIVISION .``."""
    for k, tok in enumerate(tokens[:4]):
        if tok.type == "DOT":
            return tokens[k + 1 :]
    return tokens[2:]


def split_data(tokens: list[Token]) -> Iterator[tuple[str, list[Token]]]:
    """("section", header tokens) for each section header, ("entry", tokens) for each data
    entry; an EXEC block is an entry of its own."""
    body = _after_header(tokens)
    start = 0
    n = len(body)
    k = 0
    while k < n:
        tok = body[k]
        if (
            k == start
            and word(tok) in DATA_SECTIONS
            and word(body[k + 1] if k + 1 < n else None) == "SECTION"
        ):
            end = k + 2
            if end < n and body[end].type == "DOT":
                end += 1
            yield "section", body[k:end]
            start = k = end
            continue
        if tok.type == "EXEC":
            if k > start:
                yield "entry", body[start:k]
            end = k + 1
            if end < n and body[end].type == "DOT":
                end += 1
            yield "entry", body[k:end]
            start = k = end
            continue
        if tok.type == "DOT":
            if k > start:  # a period standing alone (e.g. after an expanded INCLUDE) is empty
                yield "entry", body[start : k + 1]
            start = k + 1
        k += 1
    if start < n:
        yield "entry", body[start:]


def split_procedure(tokens: list[Token], text: str) -> tuple[list[Token], list[ProcUnit]]:
    """The division header tokens and the sections, paragraphs and sentences after it."""
    header_end = 0
    for k, tok in enumerate(tokens):
        if tok.type == "DOT":
            header_end = k + 1
            break
    else:
        header_end = len(tokens)
    header = tokens[:header_end]
    units: list[ProcUnit] = []
    for sentence in split_sentences(tokens[header_end:]):
        if len(sentence) == 1 and sentence[0].type == "DOT":
            continue  # an empty sentence
        units.extend(_classify_sentence(sentence, text))
    return header, units


def _area_a(tok: Token, text: str) -> bool:
    """True when the token starts in Area A (columns 8-11) of a fixed-format line."""
    pos = tok.start_pos or 0
    line_start = text.rfind("\n", 0, pos) + 1
    col = pos - line_start + 1
    return 8 <= col <= 11 and not text[line_start:pos].strip()


def _classify_sentence(toks: list[Token], text: str) -> Iterator[ProcUnit]:
    first = toks[0]
    w0 = word(first)
    w1 = word(toks[1]) if len(toks) > 1 else ""
    if w0 == "DECLARATIVES" and len(toks) <= 2:
        yield ProcUnit("declaratives", toks)
        return
    if w0 == "END" and w1 == "DECLARATIVES":
        yield ProcUnit("end-declaratives", toks)
        return
    is_name = (first.type == "WORD" and w0 not in VERBS) or first.type == "INTEGER"
    if is_name and w1 == "SECTION":
        rest = 2
        if len(toks) > rest and toks[rest].type == "INTEGER":
            rest += 1
        if len(toks) > rest and toks[rest].type == "DOT":
            yield ProcUnit("section", toks[: rest + 1], name=first.value.upper())
            if len(toks) > rest + 1:
                yield from _classify_sentence(toks[rest + 1 :], text)
            return
    if is_name and len(toks) == 2 and toks[1].type == "DOT":
        yield ProcUnit("paragraph", toks, name=first.value.upper())
        return
    if is_name and len(toks) == 1:
        yield ProcUnit("paragraph", toks, name=first.value.upper())
        return
    # a paragraph name in Area A whose period is missing from the previous sentence
    for k in range(1, len(toks) - 1):
        t = toks[k]
        if (
            t.type == "WORD"
            and word(t) not in VERBS
            and toks[k + 1].type == "DOT"
            and _area_a(t, text)
            and _area_a(toks[0], text) is False
        ):
            yield ProcUnit("sentence", toks[:k])
            yield ProcUnit("paragraph", toks[k : k + 2], name=t.value.upper())
            if len(toks) > k + 2:
                yield from _classify_sentence(toks[k + 2 :], text)
            return
    yield ProcUnit("sentence", toks)
