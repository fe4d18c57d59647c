"""The compiled-code cache for dataclass methods (hipflex.code_cache): the methods it
gives are Python's own, a bad or missing file costs only the time, and a command run
through it answers the same."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hipflex import code_cache
from hipflex.code_cache import FILE_NAME, CodeCache, install

METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__")


def _shapes() -> Iterator[type]:
    """Dataclasses of several kinds, made fresh each call."""

    @dataclasses.dataclass(frozen=True)
    class Frozen:
        name: str
        size: float = 1.5
        tags: tuple[str, ...] = ()
        later: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(order=True)
    class Ordered:
        rank: int
        label: str | None = None

    @dataclasses.dataclass(kw_only=True, eq=False)
    class KeywordsOnly:
        first: int
        second: Any = None

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        x: float
        y: float = 0.0

    yield from (Frozen, Ordered, KeywordsOnly, Slotted)


def _methods(made: Callable[[], Iterator[type]]) -> list[tuple[str, str, Any, Any]]:
    return [
        (cls.__name__, name, method.__code__, getattr(method, "__annotations__", None))
        for cls in made()
        for name in METHODS
        if (method := cls.__dict__.get(name)) is not None and hasattr(method, "__code__")
    ]


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], CodeCache]:
    """Install a cache in a temporary folder (dataclasses' exec restored afterwards)."""

    def installing() -> CodeCache:
        monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
        cache = CodeCache(tmp_path / FILE_NAME)
        monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
        return cache

    return installing


def test_methods_made_through_the_cache_are_pythons_own(
    cached: Callable[[], CodeCache],
) -> None:
    """The same bytecode, constants, names, line table and annotations as without the
    cache, both when the cache compiles and when it reads the code back from its file (the
    annotations differ if the cache's module passes on its `from __future__ import
    annotations`)."""
    plain = _methods(_shapes)
    assert len(plain) >= 15
    first = cached()
    assert _methods(_shapes) == plain
    assert first.compiled > 0
    first.save()
    second = cached()
    assert second.codes, "the file was read back"
    assert _methods(_shapes) == plain
    assert second.compiled == 0, "everything came from the file"


def test_instances_behave_the_same(cached: Callable[[], CodeCache]) -> None:
    plain = {cls.__name__: cls for cls in _shapes()}
    cached()
    through = {cls.__name__: cls for cls in _shapes()}
    for classes in (plain, through):
        a = classes["Frozen"]("a", 2.0, ("x",))
        assert repr(a).endswith("Frozen(name='a', size=2.0, tags=('x',), later=[])")
        assert a == classes["Frozen"]("a", 2.0, ("x",))
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.name = "b"  # type: ignore[misc]
        assert classes["Ordered"](1) < classes["Ordered"](2)
        with pytest.raises(TypeError):
            classes["KeywordsOnly"](1)


ANNOTATIONS = ("bool", "dict[str, Any]", "Required[CoreSchema]", "int | None", "'quoted'")


def _forward_codes() -> list[Any]:
    return [typing.ForwardRef(text).__forward_code__ for text in ANNOTATIONS]


def test_annotations_compiled_through_the_cache_are_pythons_own(
    cached: Callable[[], CodeCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _forward_codes()
    first = cached()
    monkeypatch.setattr(typing, "compile", first.typing_compile, raising=False)
    assert _forward_codes() == plain
    assert first.compiled == len(ANNOTATIONS)
    first.save()
    second = cached()
    monkeypatch.setattr(typing, "compile", second.typing_compile, raising=False)
    assert _forward_codes() == plain
    assert second.compiled == 0
    with pytest.raises(SyntaxError):  # a bad annotation fails as it does without the cache
        typing.ForwardRef("not valid(")
    assert second.typing_compile("x = 1", "other.py", "exec").co_filename == "other.py"


@pytest.mark.parametrize(
    "contents",
    [b"", b"not marshal at all", marshal.dumps([1, 2, 3]), marshal.dumps({"x": 1, 2: "y"})],
    ids=["empty", "garbage", "a list", "wrong entries"],
)
def test_a_bad_file_is_ignored_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: bytes
) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(contents)
    cache = CodeCache(path)
    assert cache.codes == {}
    monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
    expected = _methods(_shapes)
    cache.save()
    again = CodeCache(path)
    assert len(again.codes) == cache.compiled > 0
    monkeypatch.setattr(dataclasses, "exec", again.exec, raising=False)
    assert _methods(_shapes) == expected
    assert again.compiled == 0


def test_a_folder_that_cannot_be_written_only_costs_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    cache = CodeCache(blocker / FILE_NAME)
    monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
    _methods(_shapes)
    cache.save()  # no exception
    assert not list(tmp_path.glob("**/*.partial"))


def test_old_entries_do_not_pile_up(
    cached: Callable[[], CodeCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_ENTRIES, the file keeps only what the last process used."""
    cache = cached()
    old = {("exec", f"# old {n}\n"): compile("", "<string>", "exec") for n in range(5)}
    cache.codes.update(old)
    monkeypatch.setattr(code_cache, "MAX_ENTRIES", 3)
    _methods(_shapes)
    cache.save()
    kept = CodeCache(cache.path).codes
    assert kept.keys() == cache.used.keys()
    assert not kept.keys() & old.keys()


def test_another_pythons_file_is_removed(cached: Callable[[], CodeCache]) -> None:
    cache = cached()
    other = cache.path.with_name(f"{code_cache.PREFIX}cpython-399-30900f0.marshal")
    unrelated = cache.path.with_name("content-0123.pickle")
    for path in (other, unrelated):
        path.write_bytes(b"kept by someone")
    _methods(_shapes)
    cache.save()
    assert cache.path.exists()
    assert not other.exists()
    assert unrelated.exists()


def test_nothing_is_written_when_nothing_new_was_compiled(
    cached: Callable[[], CodeCache],
) -> None:
    cache = cached()
    _methods(_shapes)
    cache.save()
    again = cached()
    _methods(_shapes)
    # Gone once read: a save would write it again (a file's time may not change between
    # two writes this close together, so that is not what is looked at).
    cache.path.unlink()
    again.save()
    assert not cache.path.exists()


def test_install_replaces_only_the_dataclasses_exec_and_the_typing_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[Callable[[], None]] = []
    monkeypatch.setattr(code_cache.atexit, "register", registered.append)
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    monkeypatch.setattr(typing, "compile", compile, raising=False)
    cache = install(tmp_path)
    assert dataclasses.exec == cache.exec  # type: ignore[attr-defined]
    assert typing.compile == cache.typing_compile  # type: ignore[attr-defined]
    assert registered == [cache.save]
    assert cache.path == tmp_path / FILE_NAME


def _hipflex(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HIPFLEX_DATA_DIR": str(folder / "data"),
        "XDG_CACHE_HOME": str(folder / "cache"),
    }
    env.pop("HIPFLEX_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "hipflex", *args],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_command_answers_the_same_with_a_new_a_kept_and_a_broken_cache(tmp_path: Path) -> None:
    kept = tmp_path / "cache" / "hipflex" / FILE_NAME
    first = _hipflex(tmp_path, "exercises")
    assert first.returncode == 0, first.stderr
    assert kept.exists(), "the first run keeps its compiled code"
    written = kept.stat().st_mtime_ns
    second = _hipflex(tmp_path, "exercises")
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, first.stderr)
    assert kept.stat().st_mtime_ns == written, "a second run finds everything it needs"
    kept.write_bytes(b"\x00broken")
    third = _hipflex(tmp_path, "exercises")
    assert (third.returncode, third.stdout, third.stderr) == (0, first.stdout, first.stderr)
    assert CodeCache(kept).codes, "a broken file is written again"
