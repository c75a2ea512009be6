"""Where COPY finds its text: search folders and the dump's own copybook members.

Lookup is case-insensitive and tries the usual extensions (``.cpy .copy``, none, ``.cbl
.cob``, in that order of preference). ``COPY X OF LIB`` looks first in a sub-folder ``LIB`` of
each search folder (and at members whose path mentions ``LIB``), then everywhere else. A name
never leaves the library: names holding path separators, ``..`` or absolute paths are refused
(:meth:`CopyLibrary.refusal` says why), and a file reached through a symbolic link that points
outside its search folder is ignored.

When a name matches both a program and a copybook (a common clash in dumps: ``CUSTREC.cbl``
the program, ``CUSTREC.cpy`` the layout), the copybook wins; a program is used only when nothing
else has the name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cobolspec.source.classify import MemberKind, classify
from cobolspec.source.encoding import NotText, decode, split_lines
from cobolspec.source.intake import Inventory, Member
from cobolspec.source.refformat import detect_format

EXTENSIONS = (".cpy", ".copy", "", ".cbl", ".cob")
_LIBRARY_KINDS = (MemberKind.COPYBOOK, MemberKind.DCLGEN)
_NOT_LIBRARY_TEXT = (MemberKind.PROGRAM, MemberKind.JCL, MemberKind.PROC, MemberKind.BMS)


@dataclass(slots=True, frozen=True)
class ResolvedCopy:
    """The text a COPY name resolved to, and the physical file it lives in."""

    name: str
    file: str  # relative POSIX path (as in every Location)
    text: str
    first_line: int = 1
    encoding: str = "ascii"
    kind: MemberKind = MemberKind.COPYBOOK

    @property
    def lines(self) -> list[str]:
        return split_lines(self.text)


def display_path(path: Path, base: Path | None) -> str:
    """``path`` as shown to users: relative to ``base`` or the working folder when inside it."""
    absolute = Path(os.path.abspath(path))
    for anchor in (base, Path.cwd()):
        if anchor is None:
            continue
        try:
            return absolute.relative_to(Path(os.path.abspath(anchor))).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


class CopyLibrary:
    """Resolves COPY (and ``EXEC SQL INCLUDE``) names to library text."""

    def __init__(
        self,
        dirs: Sequence[Path | str] = (),
        members: Iterable[Member] = (),
        *,
        base: Path | str | None = None,
    ) -> None:
        self.dirs: list[Path] = []
        for d in dirs:
            p = Path(d)
            if p not in self.dirs:
                self.dirs.append(p)
        self.base = Path(base) if base is not None else None
        self._members: dict[str, list[Member]] = {}
        self._member_files: dict[str, Member] = {}
        for m in members:
            self._members.setdefault(m.name, []).append(m)
            if m.first_line == 1 and m.path == m.file:
                self._member_files[m.file] = m
        self._index: dict[Path, dict[str, str]] = {}
        self._files: dict[Path, ResolvedCopy | None] = {}
        self._resolved: dict[tuple[str, str | None], ResolvedCopy | None] = {}
        #: Cache for the preprocessor: logical text per (file, first line, format, debugging).
        self.logical_cache: dict[tuple[str, int, str, bool], object] = {}

    @classmethod
    def for_inventory(cls, inv: Inventory, extra_dirs: Sequence[Path | str] = ()) -> CopyLibrary:
        """``-I`` folders first, then the dump's folders that hold copybooks, then every
        COPYBOOK and DCLGEN member of the inventory (this reaches IEBUPDTE members too)."""
        dirs: list[Path | str] = list(extra_dirs)
        for m in inv.members:
            if m.kind in _LIBRARY_KINDS and m.path == m.file:
                folder = inv.root / PurePosixPath(m.file).parent
                if folder not in dirs:
                    dirs.append(folder)
        return cls(dirs, inv.members, base=inv.root)

    # -- names -------------------------------------------------------------------------------
    @staticmethod
    def refusal(name: str) -> str | None:
        """Why ``name`` may not be looked up (it would leave the library), or None if it may.

        >>> CopyLibrary.refusal("CUSTREC"), CopyLibrary.refusal("../etc/passwd")
        (None, 'names a path (contains a path separator)')
        """
        if not name or not name.strip():
            return "is empty"
        if "/" in name or "\\" in name:
            return "names a path (contains a path separator)"
        if name in (".", "..") or name.startswith(".."):
            return "names a parent folder"
        if "\0" in name or ":" in name or os.path.isabs(name):
            return "is an absolute path"
        return None

    def searched(self) -> list[str]:
        """The search folders, as shown in a 'not found' hint."""
        return [display_path(d, self.base) + "/" for d in self.dirs]

    @property
    def member_count(self) -> int:
        return sum(len(v) for v in self._members.values())

    # -- lookup ------------------------------------------------------------------------------
    def resolve(self, name: str, library: str | None = None) -> ResolvedCopy | None:
        """The library text for ``COPY name [OF library]``, or None when there is none."""
        if self.refusal(name) or (library is not None and self.refusal(library)):
            return None
        key = (name.upper(), library.upper() if library else None)
        if key not in self._resolved:
            self._resolved[key] = self._lookup(name, library)
        return self._resolved[key]

    def _lookup(self, name: str, library: str | None) -> ResolvedCopy | None:
        fallback: ResolvedCopy | None = None
        for found in self._candidates(name, library):
            if found.kind not in _NOT_LIBRARY_TEXT:
                return found
            if fallback is None:
                fallback = found
        return fallback

    def _candidates(self, name: str, library: str | None) -> Iterable[ResolvedCopy]:
        folders: list[tuple[Path, Path]] = []  # (folder to look in, root it must stay inside)
        if library:
            for d in self.dirs:
                sub = self._entry(d, library, folders_only=True)
                if sub is not None:
                    folders.append((d / sub, d))
        folders.extend((d, d) for d in self.dirs)
        for folder, root in folders:
            for ext in EXTENSIONS:
                entry = self._entry(folder, name + ext)
                if entry is None:
                    continue
                found = self._load(folder / entry, root, name)
                if found is not None:
                    yield found
        members = self._members.get(_strip_extension(name).upper(), [])
        if library:
            lib = library.upper()
            members = sorted(members, key=lambda m: lib not in m.path.upper())
        for m in sorted(members, key=lambda m: m.kind not in _LIBRARY_KINDS):
            yield ResolvedCopy(m.name, m.file, m.text, m.first_line, m.encoding, m.kind)

    def _entry(self, folder: Path, filename: str, folders_only: bool = False) -> str | None:
        index = self._index.get(folder)
        if index is None:
            index = {}
            try:
                with os.scandir(folder) as it:
                    for e in it:
                        if e.name.startswith("."):
                            continue
                        try:
                            is_dir = e.is_dir()
                        except OSError:
                            continue
                        index.setdefault(("/" if is_dir else "") + e.name.upper(), e.name)
            except OSError:
                pass
            self._index[folder] = index
        return index.get(("/" if folders_only else "") + filename.upper())

    def _load(self, path: Path, root: Path, name: str) -> ResolvedCopy | None:
        if path in self._files:
            return self._files[path]
        found: ResolvedCopy | None = None
        real, real_root = os.path.realpath(path), os.path.realpath(root)
        inside = real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
        if inside and os.path.isfile(real):
            rel = display_path(path, self.base)
            member = self._member_files.get(rel)
            if member is not None:
                found = ResolvedCopy(
                    name.upper(), rel, member.text, 1, member.encoding, member.kind
                )
            else:
                try:
                    decoded = decode(path.read_bytes())
                except (OSError, NotText):
                    decoded = None
                if decoded is not None:
                    lines = split_lines(decoded.text)
                    fmt, _ = detect_format(lines, decoded.text)
                    kind = classify(lines, fmt, decoded.text)
                    found = ResolvedCopy(name.upper(), rel, decoded.text, 1, decoded.encoding, kind)
        self._files[path] = found
        return found


def _strip_extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if dot and "." + ext.lower() in EXTENSIONS:
        return stem
    return name
