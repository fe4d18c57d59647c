"""Code compiled once, kept between processes (start-up speed, issue 15).

Python writes each dataclass's methods (`__init__`, `__repr__`, `__eq__`, `__hash__`, a
frozen one's `__setattr__` and `__delattr__`) as source text and compiles that text each
time the class is made, so in every process; and `typing` compiles each annotation written
as text (every pydantic model field, every TypedDict of pydantic-core) the same way. A
command makes about 120 dataclasses and 1000 such annotations (hipflex's, pydantic's,
typer's), and on Python 3.11 compiling them is about a quarter of its start. This keeps the
compiled code in the user's cache folder, looked up by its source text, so a later process
runs the same code without compiling it again.

The code is the same as Python's own: the text is compiled as `dataclasses` and `typing`
compile it (file name "<string>", no future flags taken from here), and tests compare what
is made through the cache with what is made without it. The file is named after the exact
Python version (a compiled code object is only valid for the version that wrote it). A file
that cannot be read or holds something else is ignored; one that cannot be written only
costs the time; a new file is written whole (hipflex.files.keep_cached). Only the standard
library and hipflex.files are imported here: it runs before anything else a command loads.
"""

from __future__ import annotations

import atexit
import dataclasses
import marshal
import sys
import typing
from pathlib import Path
from types import CodeType
from typing import Any

from hipflex.files import keep_cached

#: The cache file's name: a compiled code object is only valid for the Python that made it.
PREFIX = "compiled-code-"
FILE_NAME = f"{PREFIX}{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
#: Entries kept at most: past it, a new file keeps only what the last process used (old
#: entries, from classes that have since changed, do not pile up).
MAX_ENTRIES = 4000


#: A cache entry's key: the compile mode ("exec" or "eval") and the source text.
Key = tuple[str, str]


class CodeCache:
    """Compiled code by mode and source text, read from and written to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes = _read(path)
        self.used: dict[Key, CodeType] = {}
        self.compiled = 0

    def compile(self, source: str, mode: str) -> CodeType:
        """The text compiled as `compile(source, "<string>", mode)` compiles it in a module
        without future imports, from the cache if it is there."""
        key = (mode, source)
        code = self.codes.get(key)
        if code is None:
            code = compile(source, "<string>", mode, dont_inherit=True)
            self.codes[key] = code
            self.compiled += 1
        self.used[key] = code
        return code

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """The `exec` dataclasses calls, with a source text's code from the cache."""
        if type(source) is str:
            source = self.compile(source, "exec")
        exec(source, globals, locals)  # noqa: S102 - what dataclasses itself runs

    def typing_compile(self, source: Any, filename: Any, mode: Any, *rest: Any, **more: Any) -> Any:
        """The `compile` typing calls for an annotation written as text (`ForwardRef`), with
        its code from the cache; any other call goes to the built-in as it is."""
        if type(source) is str and filename == "<string>" and mode == "eval" and not (rest or more):
            return self.compile(source, "eval")
        return compile(source, filename, mode, *rest, **more)

    def save(self) -> None:
        """Write the file again if this process compiled something new."""
        if not self.compiled:
            return
        kept = self.codes if len(self.codes) <= MAX_ENTRIES else self.used
        try:
            data = marshal.dumps(kept)
        except ValueError:  # a value marshal cannot write: nothing kept
            return
        keep_cached(self.path, data, replaces=f"{PREFIX}*.marshal")  # another Python's too


def _read(path: Path) -> dict[Key, CodeType]:
    try:
        found = marshal.loads(path.read_bytes())  # noqa: S302 - our own file, in your cache
    except Exception:  # noqa: BLE001 - a missing or broken file is written again
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        key: code
        for key, code in found.items()
        if type(key) is tuple
        and len(key) == 2  # (mode, source)
        and all(type(part) is str for part in key)
        and type(code) is CodeType
    }


def install(directory: Path) -> CodeCache:
    """Make the dataclasses and the text annotations that this process creates from now on
    use the cache in `directory`; it is written when the process exits. Only the
    dataclasses module's own `exec` and the typing module's own `compile` are replaced
    (module globals, looked up before the built-ins)."""
    cache = CodeCache(directory / FILE_NAME)
    dataclasses.exec = cache.exec  # type: ignore[attr-defined]
    typing.compile = cache.typing_compile  # type: ignore[attr-defined]
    atexit.register(cache.save)
    return cache
