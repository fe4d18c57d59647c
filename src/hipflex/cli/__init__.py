"""The command-line shell: parse, call one service, render."""

from hipflex.cli.app import main

__all__ = ["main"]
