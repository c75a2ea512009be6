"""Dump intake: find the members of a source dump, decode them and say what each one is.

A dump is a directory tree (members with or without extensions, any case), single files, or
IEBUPDTE-style concatenations where ``./ ADD NAME=X`` starts member X and ``./ ENDUP`` ends the
input. Every file is read as bytes, decoded (:mod:`cobolspec.source.encoding`), split when it is
a concatenation, and classified by content (:mod:`cobolspec.source.classify`). A file that cannot
be used (binary, empty, unreadable, too large) becomes a diagnostic and the walk goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cobolspec.diagnostics import Diagnostic, Location, Severity
from cobolspec.errors import ConfigError
from cobolspec.source import codes
from cobolspec.source.classify import MemberKind, classify
from cobolspec.source.encoding import Decoded, NotText, decode, split_lines
from cobolspec.source.refformat import FIXED, FREE, detect_format

MAX_FILE_BYTES = 64 * 1024 * 1024
_CONTROL = re.compile(r"\./\s*([A-Za-z]+)\b(.*)")
_NAME_PARAM = re.compile(r"(?:^|[\s,])NAME=([^,\s]+)", re.I)
_COBOL_KINDS = (MemberKind.PROGRAM, MemberKind.COPYBOOK, MemberKind.DCLGEN)


@dataclass(slots=True, frozen=True)
class Member:
    """One member of the dump: a whole file, or one ``./ ADD`` member of a concatenated file."""

    path: str
    file: str
    first_line: int
    name: str
    kind: MemberKind
    encoding: str
    hash: str
    lines: int
    line_ending: str
    format: str
    text: str

    def physical_lines(self) -> list[str]:
        """The member's lines as decoded (line ``first_line + i`` of :attr:`file` is ``[i]``)."""
        return split_lines(self.text)


@dataclass(slots=True)
class Inventory:
    """Everything :func:`discover` found: members, and diagnostics for what it could not use."""

    root: Path
    members: list[Member]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def by_kind(self, kind: MemberKind) -> list[Member]:
        """Members of one kind, in path order."""
        return [m for m in self.members if m.kind == kind]

    def by_name(self, name: str) -> list[Member]:
        """Members whose name (upper case, no extension) is ``name``."""
        key = name.upper()
        return [m for m in self.members if m.name == key]


def member_name(filename: str) -> str:
    """A member's name from its file name: upper case, without the last extension.

    >>> member_name("cbtrn02c.cbl"), member_name("CUSTREC"), member_name("A.B.cpy")
    ('CBTRN02C', 'CUSTREC', 'A.B')
    """
    stem = filename.rsplit(".", 1)[0] if "." in filename.lstrip(".") else filename
    return stem.upper()


def _diag(
    code: str,
    sev: Severity,
    file: str,
    message: str,
    line: int = 1,
    source_line: str | None = None,
) -> Diagnostic:
    return Diagnostic(code, sev, message, Location(file, line, 1), source_line)


def _make_member(
    path: str,
    file: str,
    first_line: int,
    name: str,
    lines: list[str],
    raw: bytes,
    decoded: Decoded,
    diags: list[Diagnostic],
    text: str | None = None,
) -> Member | None:
    if text is None:
        text = "\n".join(lines) + "\n" if lines else ""
    if not text.strip():
        diags.append(
            _diag(codes.EMPTY, Severity.WARNING, file, f"{path}: empty member; skipped", first_line)
        )
        return None
    fmt, why = detect_format(lines, text)
    kind = classify(lines, fmt, text)
    if kind in (MemberKind.JCL, MemberKind.PROC, MemberKind.BMS):
        fmt = FIXED
    elif kind is MemberKind.DDL:
        fmt = FREE
    elif why is not None and kind in _COBOL_KINDS:
        diags.append(
            _diag(
                codes.FORMAT_GUESSED,
                Severity.INFO,
                file,
                f"{path}: {fmt} format ({why})",
                first_line,
                lines[0] if lines else None,
            )
        )
    return Member(
        path=path,
        file=file,
        first_line=first_line,
        name=name,
        kind=kind,
        encoding=decoded.encoding,
        hash=hashlib.sha256(raw).hexdigest(),
        lines=len(lines),
        line_ending=decoded.line_ending,
        format=fmt,
        text=text,
    )


def _split_iebupdte(
    rel: str, decoded: Decoded, lines: list[str], diags: list[Diagnostic]
) -> Iterator[Member]:
    """Members of an IEBUPDTE concatenation (``./ ADD NAME=X`` ... ``./ ENDUP``)."""
    spans: list[list[object]] = []  # [first index, end index, name]
    open_span: list[object] | None = None
    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line.startswith("./"):
            continue
        m = _CONTROL.match(line)
        op = m.group(1).upper() if m else ""
        params = m.group(2) if m else ""
        if op in ("ADD", "REPL"):
            if open_span is not None:
                open_span[1] = i
            pm = _NAME_PARAM.search(params)
            if pm:
                name = pm.group(1).strip("'\"").upper()
            else:
                name = f"MEMBER{len(spans) + 1}"
                diags.append(
                    _diag(
                        codes.IEBUPDTE,
                        Severity.WARNING,
                        rel,
                        f"./ {op} without NAME=; member called {name}",
                        i + 1,
                        line,
                    )
                )
            if name in seen:
                seen[name] += 1
                diags.append(
                    _diag(
                        codes.IEBUPDTE,
                        Severity.WARNING,
                        rel,
                        f"member {name} added again; this copy is called {name}~{seen[name]}",
                        i + 1,
                        line,
                    )
                )
                name = f"{name}~{seen[name]}"
            else:
                seen[name] = 1
            open_span = [i + 1, len(lines), name]
            spans.append(open_span)
        elif op == "ENDUP":
            if open_span is not None:
                open_span[1] = i
            open_span = None
            break
        elif open_span is not None and open_span[0] == i:
            open_span[0] = i + 1  # ./ ALIAS, ./ NUMBER... right after the ADD
        else:
            if open_span is not None:
                open_span[1] = i
            open_span = None
            diags.append(
                _diag(
                    codes.IEBUPDTE,
                    Severity.INFO,
                    rel,
                    f"IEBUPDTE control statement {line.strip()!r} ends the member "
                    "before it; the lines after it belong to no member",
                    i + 1,
                    line,
                )
            )
    first_control = next(i for i, ln in enumerate(lines) if ln.startswith("./"))
    if any(ln.strip() for ln in lines[:first_control]):
        diags.append(
            _diag(
                codes.IEBUPDTE,
                Severity.INFO,
                rel,
                "text before the first ./ ADD belongs to no member; ignored",
                1,
                lines[0],
            )
        )
    raw_lines = decoded.raw_lines
    for span in spans:
        a, b, name = int(str(span[0])), int(str(span[1])), str(span[2])
        member = _make_member(
            f"{rel}({name})",
            rel,
            a + 1,
            name,
            lines[a:b],
            b"".join(raw_lines[a:b]),
            decoded,
            diags,
        )
        if member is not None:
            yield member


def _is_iebupdte(lines: Sequence[str]) -> bool:
    for line in lines:
        if line.startswith("./"):
            m = _CONTROL.match(line)
            if m and m.group(1).upper() in ("ADD", "REPL"):
                return True
    return False


def read_file(path: Path, rel: str, diags: list[Diagnostic]) -> tuple[bytes, Decoded] | None:
    """Read and decode one file, or append a diagnostic saying why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.append(
                _diag(
                    codes.TOO_LARGE,
                    Severity.WARNING,
                    rel,
                    f"{rel}: {size} bytes is more than a source member can be; skipped",
                )
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diags.append(
            _diag(
                codes.UNREADABLE, Severity.ERROR, rel, f"{rel}: cannot read: {exc.strerror or exc}"
            )
        )
        return None
    if not raw.strip():
        diags.append(_diag(codes.EMPTY, Severity.WARNING, rel, f"{rel}: empty file; skipped"))
        return None
    try:
        decoded = decode(raw)
    except NotText as exc:
        diags.append(
            _diag(codes.BINARY, Severity.WARNING, rel, f"{rel}: not a text file ({exc}); skipped")
        )
        return None
    if decoded.ebcdic:
        diags.append(
            _diag(
                codes.EBCDIC_ASSUMED,
                Severity.INFO,
                rel,
                f"{rel}: EBCDIC {decoded.encoding} assumed ({decoded.layout})",
                1,
                decoded.text.split("\n", 1)[0],
            )
        )
    for note in decoded.notes:
        code = codes.SHORT_RECORD if "record" in note else codes.EBCDIC_ASSUMED
        sev = Severity.WARNING if code == codes.SHORT_RECORD else Severity.INFO
        diags.append(_diag(code, sev, rel, f"{rel}: {note}"))
    return raw, decoded


def members_of_file(path: Path, rel: str, diags: list[Diagnostic]) -> list[Member]:
    """The members held by one file (several for an IEBUPDTE concatenation)."""
    got = read_file(path, rel, diags)
    if got is None:
        return []
    raw, decoded = got
    lines = split_lines(decoded.text)
    text = decoded.text
    if (text.startswith("./") or "\n./" in text) and _is_iebupdte(lines):
        return list(_split_iebupdte(rel, decoded, lines, diags))
    name = member_name(PurePosixPath(rel).name)
    member = _make_member(rel, rel, 1, name, lines, raw, decoded, diags, decoded.text)
    return [] if member is None else [member]


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def discover(*roots: Path | str) -> Inventory:
    """Walk ``roots`` (directories or single files) and return every member found.

    Member paths are POSIX paths relative to the common folder of the roots (the inventory's
    ``root``); hidden files and folders (``.git``...) are skipped.
    """
    if not roots:
        raise ConfigError("discover() needs at least one folder or file")
    paths = [Path(r) for r in roots]
    diags: list[Diagnostic] = []
    bases = [p if p.is_dir() else p.parent for p in paths]
    try:
        base = Path(os.path.commonpath([str(b.absolute()) for b in bases]))
    except ValueError:  # different drives
        base = bases[0].absolute()
    members: list[Member] = []
    for p in paths:
        if not p.exists():
            diags.append(
                _diag(
                    codes.UNREADABLE, Severity.ERROR, p.as_posix(), f"{p}: no such file or folder"
                )
            )
            continue
        for f in _walk(p):
            rel = Path(os.path.relpath(f.absolute(), base)).as_posix()
            members.extend(members_of_file(f, rel, diags))
    members.sort(key=lambda m: (m.path, m.first_line))
    return Inventory(root=base, members=members, diagnostics=diags)
