"""The source package's documentation: runnable examples and the table of diagnostic codes."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest

import cobolspec.source
from cobolspec.source import codes

MODULES = [
    "classify",
    "directives",
    "encoding",
    "intake",
    "library",
    "mapped",
    "preprocess",
    "refformat",
    "sourcemap",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"cobolspec.source.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0 or name == "codes"


def test_every_code_is_documented_once_and_codes_are_unique() -> None:
    values = [v for k, v in vars(codes).items() if k.isupper()]
    assert len(values) == len(set(values))
    doc = cobolspec.source.__doc__ or ""
    documented = re.findall(r"^(SRC\d{3})\s", doc, re.M)
    assert sorted(documented) == sorted(values)
