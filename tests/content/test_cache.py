"""The validated content kept between processes: keyed by what built it, rebuilt if broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.content import build_content
from hipflex.content.cache import PREFIX, SUFFIX, cached_content, content_key
from hipflex.content.loader import read_packaged
from hipflex.domain.protocol import Content


@pytest.fixture(scope="module")
def content() -> Content:
    return build_content(read_packaged)


class Builder:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.calls = 0

    def __call__(self) -> Content:
        self.calls += 1
        return self.content


def test_the_second_process_reads_what_the_first_built(tmp_path: Path, content: Content):
    build = Builder(content)
    first = cached_content(build, directory=tmp_path, key="k1")
    again = cached_content(build, directory=tmp_path, key="k1")
    assert build.calls == 1
    assert first == again == content
    assert [p.name for p in tmp_path.iterdir()] == [f"{PREFIX}k1{SUFFIX}"]


def test_another_key_builds_again_and_removes_the_old_file(tmp_path: Path, content: Content):
    build = Builder(content)
    cached_content(build, directory=tmp_path, key="old")
    assert cached_content(build, directory=tmp_path, key="new") == content
    assert build.calls == 2
    assert [p.name for p in tmp_path.iterdir()] == [f"{PREFIX}new{SUFFIX}"]


@pytest.mark.parametrize("broken", [b"", b"not a pickle", b"\x80\x04K\x01."])  # the last: 1
def test_a_broken_cache_file_is_ignored_and_written_again(
    tmp_path: Path, content: Content, broken: bytes
):
    path = tmp_path / f"{PREFIX}k{SUFFIX}"
    path.write_bytes(broken)
    build = Builder(content)
    assert cached_content(build, directory=tmp_path, key="k") == content
    assert build.calls == 1
    assert cached_content(build, directory=tmp_path, key="k") == content
    assert build.calls == 1


def test_a_cache_folder_that_cannot_be_written_only_costs_the_time(
    tmp_path: Path, content: Content
):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    build = Builder(content)
    assert cached_content(build, directory=blocked / "cache", key="k") == content
    assert cached_content(build, directory=blocked / "cache", key="k") == content
    assert build.calls == 2
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")]


def test_the_key_changes_with_any_data_file_or_version():
    sources = [("versions", b"3.11|2.11"), ("content/data/exercises.toml", b"a = 1")]
    key = content_key(sources)
    assert content_key(list(sources)) == key
    assert content_key([sources[0], ("content/data/exercises.toml", b"a = 2")]) != key
    assert content_key([("versions", b"3.12|2.11"), sources[1]]) != key
    # Names and lengths are part of the key: moving bytes between files changes it too.
    assert content_key([("a", b"bc"), ("d", b"")]) != content_key([("a", b"b"), ("d", b"c")])


def test_the_packaged_key_covers_the_data_files_and_the_models():
    key = content_key()
    assert len(key) == 32
    assert content_key() == key


def test_the_key_covers_the_pictures_poses_and_the_figure_that_checks_them():
    from hipflex.content.cache import _sources

    names = {name for name, _ in _sources()}
    # The poses live in these data files, and the figure's ranges validate them.
    assert {"content/data/exercises.toml", "content/data/self_tests.toml"} <= names
    assert {"domain/figure.py", "domain/protocol.py"} <= names


def test_load_content_uses_the_user_cache_folder(tmp_path: Path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = "from hipflex.content import load_content; load_content()"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    (cached,) = (tmp_path / "hipflex").iterdir()
    assert cached.name == f"{PREFIX}{content_key()}{SUFFIX}"
