"""Domain errors become one plain line on stderr and an exit status, in one place."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer

from hipflex.domain.errors import BadInput, HipflexError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


def fail(message: str, code: int) -> typer.Exit:
    """Print the one-line error and return the Exit to raise."""
    print(f"hipflex: error: {message}", file=sys.stderr)
    return typer.Exit(code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so users never see a traceback for an error hipflex knows about."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except BadInput as exc:
            raise fail(str(exc), EXIT_BAD_INPUT) from None
        except HipflexError as exc:
            raise fail(str(exc), EXIT_FAILURE) from None
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
