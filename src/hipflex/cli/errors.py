"""Domain errors become one plain line on stderr and an exit status, in one place."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer

from hipflex.domain.errors import HipflexError
from hipflex.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, kind_of, one_line

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_INTERRUPTED", "fail", "guarded"]

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    """Print the one-line error and return the Exit to raise."""
    print(f"hipflex: error: {one_line(message)}", file=sys.stderr)
    return typer.Exit(code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so users never see a traceback for an error hipflex knows about."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except HipflexError as exc:
            raise fail(str(exc), kind_of(exc).exit_status) from None
        except KeyboardInterrupt:
            print("\nhipflex: stopped; nothing more was saved.", file=sys.stderr)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return run


def guarded_io(path: Path, data: bytes) -> None:
    """Write a file whole (via a temporary file), or fail with one line; nothing half-written."""
    target = path.expanduser()
    temporary = target.with_name(f".{target.name}.partial")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        msg = f"cannot write {path}: {exc.strerror or exc}"
        raise HipflexError(msg) from None
