"""Domain errors become one plain line on stderr and an exit status, in one place."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from hipflex.domain.errors import HipflexError
from hipflex.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, kind_of, one_line
from hipflex.files import OUTPUT_FAULTS, stdout_failure

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "fail",
    "flush_stdout",
    "guarded",
    "stdout_fault_exit",
]

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
        except OSError as exc:
            raise stdout_fault_exit(exc) from None

    return run


def flush_stdout() -> None:
    """Flush what is still buffered for the standard output; a full disk or a closed pipe
    is one line and exit status 1 (Python would otherwise report it at exit)."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise stdout_fault_exit(exc) from None


def stdout_fault_exit(exc: OSError) -> typer.Exit:
    """The one line and exit status for a standard output that is full or closed; any
    other OSError is not hipflex's to explain, and is raised again."""
    if not _is_stdout_fault(exc):
        raise exc
    return _stdout_failed(exc)


def _is_stdout_fault(exc: OSError) -> bool:
    """A write to the screen's stream failed (no file name: not a file hipflex opened)."""
    return exc.filename is None and exc.errno in OUTPUT_FAULTS


def _stdout_failed(exc: OSError) -> typer.Exit:
    # What is left in the buffer goes nowhere, so Python's own flush at exit stays quiet.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    return fail(str(stdout_failure(exc)), EXIT_FAILURE)
