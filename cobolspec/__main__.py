"""``python -m cobolspec``: the same as the ``cobolspec`` command."""

from cobolspec.cli import main

main()
