"""The command-line shell: parse, call one service, render."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """`hipflex`: the top-level help and the version are printed without loading the rest
    (start-up speed)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in ([], ["--help"], ["-h"]):
        from hipflex.cli.help_text import TOP_LEVEL_HELP

        try:
            sys.stdout.write(TOP_LEVEL_HELP)
            sys.stdout.flush()
        except OSError as exc:  # a full or closed output: one line, as for every command
            from hipflex.files import stdout_failure

            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            print(f"hipflex: error: {stdout_failure(exc)}", file=sys.stderr)
            sys.exit(1)
        return
    if args == ["--version"]:
        from hipflex import __version__

        print(f"hipflex {__version__}")
        return
    if args[0] != "serve":  # the web app is a long-lived process
        from hipflex.startup import prepare

        prepare()
    from hipflex.cli.app import main as run

    run(args)


__all__ = ["main"]
