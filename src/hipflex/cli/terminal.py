"""The terminal's console: Rich's, except that a closed output (`hipflex plan | head -1`)
is an OSError that `guarded` says in one line, where Rich would exit silently."""

from __future__ import annotations

import errno

from rich.console import Console as RichConsole


class Console(RichConsole):
    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more is written to a closed pipe
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def confirmed(question: str) -> bool:
    """A yes to `question` at the terminal (no by default); the end of input is a no."""
    import typer

    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        print()
        return False
