"""Command line: a thin typer shell over the library."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.callback()
def _root() -> None:
    """cobolspec: verified, queryable specifications from COBOL source dumps."""


def main() -> None:
    app()
