"""The one file writer (hipflex/files.py): whole files, only over regular files, private
by default, nothing followed through a link; and a full or closed standard output is one
line, never a traceback."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipflex.domain.errors import CannotWrite, OutputRefused
from hipflex.errors import EXIT_BAD_INPUT, EXIT_FAILURE, kind_of
from hipflex.files import NEW_FILE_MODE, append_file, staged, write_file

HIPFLEX = Path(sys.executable).parent / "hipflex"
TIGHT_ASSESSMENT = [
    "assess", "--json", "--thomas-left", "raised", "--knee-left", "70",
    "--thomas-right", "raised", "--knee-right", "72", "--extension-left", "5",
    "--extension-right", "6", "--sitting-hours", "9", "--no-red-flags",
]  # fmt: skip


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_yours_alone(tmp_path: Path):
    target = tmp_path / "export.json"
    write_file(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert mode(target) == NEW_FILE_MODE == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kept", [0o600, 0o640, 0o644])
def test_an_existing_file_keeps_its_permissions(tmp_path: Path, kept: int):
    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    target.chmod(kept)
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == kept


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=5000))
def test_what_is_written_is_what_was_given(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.bin"
        target.write_bytes(b"something else, longer than some of the examples")
        write_file(target, data)
        assert target.read_bytes() == data
        assert leftovers(Path(folder)) == []


def test_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "export.json"
    link.symlink_to(victim)
    with pytest.raises(OutputRefused, match="symbolic link") as caught:
        write_file(link, b"{}")
    assert kind_of(caught.value).exit_status == EXIT_BAD_INPUT
    assert link.is_symlink()
    assert victim.read_text() == "precious"
    assert leftovers(tmp_path) == []


def test_a_dangling_symbolic_link_is_refused_too(tmp_path: Path):
    link = tmp_path / "export.json"
    link.symlink_to(tmp_path / "nowhere" / "file")
    with pytest.raises(OutputRefused, match="symbolic link"):
        write_file(link, b"{}")
    assert not (tmp_path / "nowhere").exists()


def test_a_pipe_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "calendar.ics"
    os.mkfifo(fifo)
    with pytest.raises(OutputRefused, match="pipe"):
        write_file(fifo, b"BEGIN:VCALENDAR")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_is_refused_and_stays_a_device(device: str):
    path = Path(device)
    if not path.exists():
        pytest.skip(f"no {device} here")
    with pytest.raises(OutputRefused, match="device"):
        write_file(path, b"x")
    assert stat.S_ISCHR(path.lstat().st_mode)


def test_a_folder_is_refused(tmp_path: Path):
    with pytest.raises(OutputRefused, match="folder"):
        write_file(tmp_path, b"x")


def test_a_missing_folder_is_one_line(tmp_path: Path):
    with pytest.raises(CannotWrite, match="does not exist"):
        write_file(tmp_path / "no" / "such" / "file.json", b"x")
    assert not (tmp_path / "no").exists()


@pytest.fixture
def predictable_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the temporary file's first candidate name known, as an attacker would like."""
    names = ["planted", "second", "third"]

    def candidates() -> Iterator[str]:
        yield from names

    monkeypatch.setattr(tempfile, "_get_candidate_names", candidates)
    return names


def test_a_link_planted_at_the_temporary_name_is_never_followed(
    tmp_path: Path, predictable_names: list[str]
):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "export.json"
    # The old writer's predictable name, and the new writer's first candidate.
    (tmp_path / ".export.json.partial").symlink_to(victim)
    (tmp_path / f".export.json.{predictable_names[0]}.partial").symlink_to(victim)
    write_file(target, b"{}")
    assert victim.read_text() == "precious"
    assert target.read_bytes() == b"{}"
    assert not target.is_symlink()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "export.json"
    target.write_text("the old export")

    def full(_descriptor: int, _data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(CannotWrite, match="No space left on device") as caught:
        write_file(target, b"the new export")
    assert kind_of(caught.value).exit_status == EXIT_FAILURE
    assert target.read_text() == "the old export"
    assert leftovers(tmp_path) == []


def test_append_creates_a_private_file_and_adds_to_it(tmp_path: Path):
    target = tmp_path / "outbox.jsonl"
    append_file(target, b"one\n")
    append_file(target, b"two\n")
    assert target.read_bytes() == b"one\ntwo\n"
    assert mode(target) == 0o600


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_append_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "outbox.jsonl"
    if kind == "link":
        target.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    with pytest.raises(OutputRefused):
        append_file(target, b"line\n")
    assert victim.read_text() == "precious"


def test_staged_without_replace_never_overwrites(tmp_path: Path):
    target = tmp_path / "backup.db"
    target.write_text("an older backup")
    with pytest.raises(CannotWrite, match="already exists"), staged(target, replace=False):
        pass
    assert target.read_text() == "an older backup"
    assert leftovers(tmp_path) == []


def test_staged_file_appears_whole_or_not_at_all(tmp_path: Path):
    target = tmp_path / "backup.db"

    def half_written() -> None:
        with staged(target, replace=False) as partial:
            partial.write_text("half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_written()
    assert not target.exists()
    assert leftovers(tmp_path) == []
    with staged(target, replace=False) as partial:
        partial.write_text("whole")
    assert target.read_text() == "whole"
    assert mode(target) == 0o600


# The command line: every --out goes through the writer; the screen's stream can fail.


def run(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HIPFLEX), *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipflex: error: ")
    assert fragment in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--out", "{link}"],
        ["calendar", "export", "{link}"],
        ["report", "--out", "{link}.html"],
    ],
)
def test_every_out_refuses_a_link(tmp_path: Path, args: list[str]):
    saved = run(*TIGHT_ASSESSMENT)
    assert saved.returncode == 0, saved.stderr
    victim = tmp_path / "victim"
    victim.write_text("precious")
    link = tmp_path / "out"
    link.symlink_to(victim)
    (tmp_path / "out.html").symlink_to(victim)
    result = run(*[a.format(link=link) for a in args])
    assert_one_line(result, EXIT_BAD_INPUT, "symbolic link")
    assert victim.read_text() == "precious"


def test_export_out_refuses_a_device_with_one_line():
    assert_one_line(run("export", "--out", "/dev/null"), EXIT_BAD_INPUT, "device")


def test_export_out_dash_is_the_screen():
    result = run("export", "--out", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("{")


@pytest.mark.parametrize("args", [["--help"], ["learn"], ["export"], ["log", "--help"]])
def test_a_full_standard_output_is_one_line(args: list[str]):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a file of ours
        result = run(*args, stdout=full.fileno())
    assert_one_line(result, EXIT_FAILURE, "No space left on device")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["learn"], ["export"], ["exercises"]])
def test_a_closed_standard_output_is_one_line(args: list[str]):
    reading, writing = os.pipe()
    os.close(reading)  # the reader went away, as `hipflex learn | head -1` can
    try:
        result = run(*args, stdout=writing)
    finally:
        os.close(writing)
    assert_one_line(result, EXIT_FAILURE, "the output was closed")


def test_plan_to_a_full_disk_is_one_line():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    saved = run("assess", "--json", "--sitting-hours", "8", "--no-red-flags")
    assert saved.returncode == 0, saved.stderr
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a file of ours
        result = run("plan", stdout=full.fileno())
    assert_one_line(result, EXIT_FAILURE, "cannot write to the standard output")
