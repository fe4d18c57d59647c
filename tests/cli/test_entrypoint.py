"""The installed `hipflex` command as a whole process: help, version, usage errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.cli.app import app

HIPFLEX = Path(sys.executable).parent / "hipflex"
README = Path(__file__).parents[2] / "README.md"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HIPFLEX), *args], capture_output=True, text=True, timeout=60, check=False, env=env
    )


def _commands() -> list[str]:
    return [command.name or command.callback.__name__ for command in app.registered_commands]  # type: ignore[union-attr]


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for name in _commands():
        assert name in result.stdout


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_and_a_readme_entry(name: str):
    result = run(name, "--help")
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) > 3
    assert re.search(rf"hipflex {name}\b", README.read_text()), f"README has no `hipflex {name}`"


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("hipflex ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "--knee-left", "abc"], "Invalid value for '--knee-left'"),
        (["assess", "--frobnicate"], "No such option: --frobnicate"),
        (["nosuchcommand"], "No such command"),
        (["assess", "--json", "--sitting-hours", "25", "--no-red-flags"], "between 0 and 24"),
    ],
)
def test_errors_are_one_line_with_exit_2(args: list[str], message: str):
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipflex: error: ")
    assert message in lines[0]


def test_unusable_database_is_one_line_not_a_traceback(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "HIPFLEX_DATA_DIR": str(blocker / "sub")}
    result = run("assess", "--json", "--sitting-hours", "3", "--no-red-flags", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("hipflex: error: cannot open the database")
    assert "Traceback" not in result.stderr


def test_database_url_setting_is_honoured(tmp_path: Path):
    db = tmp_path / "elsewhere.db"
    env = {**os.environ, "HIPFLEX_DATABASE_URL": f"sqlite:///{db}"}
    result = run("assess", "--json", "--sitting-hours", "3", "--no-red-flags", env=env)
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_default_database_lives_in_the_data_dir(data_dir: Path):
    result = run("assess", "--json", "--sitting-hours", "3", "--no-red-flags")
    assert result.returncode == 0, result.stderr
    assert (data_dir / "hipflex.db").exists()


def test_the_fast_top_level_help_matches_typer():
    """`hipflex --help` prints a stored copy without loading Typer; it must stay Typer's."""
    from typer.testing import CliRunner

    from hipflex.cli.help_text import TOP_LEVEL_HELP

    rendered = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"}, prog_name="hipflex")
    assert rendered.exit_code == 0
    assert rendered.stdout == TOP_LEVEL_HELP, (
        "the stored help is stale: regenerate src/hipflex/cli/help_text.py from "
        "`COLUMNS=80 python -c 'from hipflex.cli.app import main; main([\"--help\"])'`"
    )
    for args in ([], ["--help"], ["-h"]):
        result = run(*args)
        assert result.returncode == 0
        assert result.stdout == TOP_LEVEL_HELP
