"""The command line's edge, for every command at once: numbers are read as written (an
optional sign, digits and a decimal point: no `1_0`, `nan`, `inf` or `1e309`, which the
usual conversions take), and an argument that is not plain text (a NUL, bytes that are
not UTF-8) is refused before any command runs. Both end as one line, exit status 2."""

from __future__ import annotations

from typing import Any

from typer._click import Context
from typer._click.exceptions import BadParameter, UsageError
from typer._coercion import build_runtime_param
from typer.core import TyperGroup, _TyperParameter

from hipflex.domain.inputs import is_written_number, text_problem

_NUMBERS = {int: (True, "a whole number"), float: (False, "a number")}


class _AsWritten:
    """A number parameter's conversion, given only a number as written (the usual one is
    built when first used, as typer does, so start-up stays fast)."""

    def __init__(self, whole: bool, words: str) -> None:
        self.whole, self.words = whole, words
        self.inner: Any = None

    def coerce(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, str) and not is_written_number(item, whole=self.whole):
                raise BadParameter(f"{item!r} is not {self.words}", ctx=ctx, param=param)
        if self.inner is None:
            self.inner = build_runtime_param(param.type_descriptor)
        return self.inner.coerce(value, param=param, ctx=ctx)


def _numbers_as_written(command: Any) -> None:
    for param in getattr(command, "params", ()):
        descriptor = getattr(param, "type_descriptor", None)
        annotation: Any = getattr(descriptor, "annotation", None)
        kind = _NUMBERS.get(annotation)
        if isinstance(param, _TyperParameter) and kind is not None:
            param._runtime_param = _AsWritten(*kind)  # type: ignore[assignment]
    for sub in getattr(command, "commands", {}).values():
        _numbers_as_written(sub)


class StrictGroup(TyperGroup):
    """The root command: numbers as written everywhere below it, plain-text arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _numbers_as_written(self)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        for arg in args:
            problem = text_problem(arg)
            if problem is not None:
                raise UsageError(f"an argument {problem}", ctx)
        return super().parse_args(ctx, args)
