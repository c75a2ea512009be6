"""GnuCOBOL as an oracle: ``cobc -E`` must give the same text words as our preprocessor.

Compared as sequences of text words (spacing and line breaks differ by design). Fixtures where
GnuCOBOL 3.1 knowingly differs are left out, each for a stated reason:

* ``copy/MAIN``: cobc applies an outer REPLACING to the text of a nested COPY; the standard
  (which we follow) applies it to the copied text of its own COPY statement only.
* ``copy/REPLACING``: cobc 3.1 misses some multi-word pseudo-text matches and replaces words in
  comment lines.
* ``refformat/cbl_process``: cobc 3.1 does not know CBL/PROCESS cards, EJECT, SKIPn or TITLE.
* ``refformat/variable``: cobc 3.1 has no variable format.
* bad or truncated inputs: the recovery differs by design.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cobolspec.source import CopyLibrary, preprocess
from cobolspec.source.directives import tokens

FIXTURES = Path(__file__).parent / "fixtures" / "source"
COBC = shutil.which("cobc")
NIST = os.environ.get("COBOLSPEC_NIST")

pytestmark = [pytest.mark.cobc, pytest.mark.skipif(COBC is None, reason="cobc not on PATH")]


def cobc_words(path: Path, *options: str) -> list[str]:
    run = subprocess.run(
        [str(COBC), "-E", *options, path.name],
        capture_output=True,
        text=True,
        encoding="latin-1",
        cwd=path.parent,
        check=False,
    )
    text = "\n".join(ln for ln in run.stdout.split("\n") if not ln.startswith("#"))
    return [t.key for t in tokens(text)]


def our_words(path: Path, library: CopyLibrary) -> list[str]:
    return [t.key for t in tokens(preprocess(path, library).text)]


AGREED = [
    "refformat/areas",
    "refformat/continuation",
    "refformat/debugging",
    "refformat/debugging_mode",
    "refformat/directive_free",
    "refformat/free",
    "refformat/mf_set",
    "refformat/tabs",
    "copy/REPLACE",
    "copy/MISSING",
    "copy/CYCLE",
    "copy/TRUNC_STMT",
]


@pytest.mark.parametrize("name", AGREED)
def test_same_words_as_cobc(name: str) -> None:
    path = (FIXTURES / f"{name}.cbl").absolute()
    lib_dirs = [FIXTURES / "copy" / "lib", FIXTURES / "copy" / "lib2"]
    library = CopyLibrary(lib_dirs)
    ours = our_words(path, library)
    options = [opt for d in lib_dirs for opt in ("-I", str(d.absolute()))]
    if preprocess(path, library).format == "free":
        options.append("-free")
    assert ours == cobc_words(path, *options)


@pytest.mark.corpus
@pytest.mark.skipif(not NIST, reason="set COBOLSPEC_NIST to the NIST COBOL-85 folder")
def test_nist_copy_and_replace_programs_match_cobc(tmp_path: Path) -> None:
    """The SM (COPY/REPLACE) module of NIST, and a few others, word for word.

    NIST marks optional lines with letters in column 7 for its own selection tool; cobc rejects
    those, so the files are copied with such indicators blanked first.
    """
    root = Path(str(NIST))
    (tmp_path / "copybooks").mkdir()
    sources = [*root.glob("SM*.CBL"), root / "NC215A.CBL", root / "IC101A.CBL"]
    for src in [*sources, *(root / "copybooks").glob("*.CPY")]:
        lines = src.read_text(encoding="latin-1").split("\n")
        fixed = [
            ln[:6] + " " + ln[7:] if len(ln) > 6 and ln[6] not in " *-/Dd$" else ln for ln in lines
        ]
        dest = tmp_path / src.relative_to(root)
        dest.write_text("\n".join(fixed), encoding="latin-1")
    library = CopyLibrary([tmp_path / "copybooks"])
    compared = 0
    for src in sources:
        path = tmp_path / src.name
        theirs = cobc_words(path, "-I", str(tmp_path / "copybooks"))
        ours = _without_comment_entries(our_words(path, library))
        assert ours == _without_comment_entries(theirs), src.name
        compared += 1
    assert compared >= 20


def _without_comment_entries(words: list[str]) -> list[str]:
    """Drop the IDENTIFICATION DIVISION comment-entry paragraphs (cobc drops them)."""
    out: list[str] = []
    skipping = False
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in {"AUTHOR", "INSTALLATION", "DATE-WRITTEN", "DATE-COMPILED", "SECURITY"} and (
            nxt == "." and "DIVISION" not in out[3:]
        ):
            skipping = True
        elif skipping and nxt == "DIVISION":
            skipping = False
        if not skipping:
            out.append(w)
    return out
