"""The command-line shell: parse, call one service, render."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """`hipflex`: the top-level help is printed without loading the rest (start-up speed)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in ([], ["--help"], ["-h"]):
        from hipflex.cli.help_text import TOP_LEVEL_HELP

        sys.stdout.write(TOP_LEVEL_HELP)
        return
    from hipflex.cli.app import main as run

    run(args)


__all__ = ["main"]
