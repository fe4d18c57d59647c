"""Start-up speed without a clock: each command, run as a whole process, loads none of the
heavy libraries it does not need (`sys.modules` when it exits). bench/startup.py times them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

#: What no command loads unless it needs it: the ORM and migrations (a store at the newest
#: revision is read, and a log appended, with sqlite3), the web app, the report's and the
#: photo's libraries, the terminal UI, calendars, PostgreSQL's driver, pydantic-settings
#: (its import alone cost a command about 25 ms; hipflex.config reads the variables itself),
#: importlib.metadata (pydantic's plugin loader imports it, about 8 ms; plugins are off),
#: rich's Markdown renderer (a `learn` topic's text alone is Markdown), argon2 (team mode's
#: password hashes: listing the accounts checks none), xml.sax (its saxutils loads
#: urllib.request, http and email: the charts escape their text with hipflex.domain.markup).
HEAVY = frozenset({
    "sqlalchemy", "alembic", "psycopg", "fastapi", "starlette", "uvicorn", "hipflex.web",
    "jinja2", "matplotlib", "fpdf", "PIL", "mediapipe", "cv2", "numpy", "textual",
    "icalendar", "hipflex.reports.report", "hipflex.reports.charts", "hipflex.reports.render",
    "pydantic_settings", "importlib.metadata", "rich.markdown", "markdown_it", "argon2",
    "xml.sax",
})  # fmt: skip
REPORT = {"hipflex.reports.report", "hipflex.reports.charts", "hipflex.reports.render"}
MARKDOWN = {"rich.markdown", "markdown_it"}
TYPER = frozenset({"typer", "pydantic", "pydantic_core", "rich"})
ASSESS = [
    "--json", "--no-red-flags", "--thomas-left", "raised", "--knee-left", "85",
    "--thomas-right", "flat", "--knee-right", "75", "--extension-left", "8",
    "--extension-right", "12", "--sitting-hours", "7", "--sign", "swayback",
]  # fmt: skip
#: A write other than a log's append (a row, or a whole session's rows), an assessment or
#: the preferences' one row goes through the ORM (SQLAlchemy imports importlib.metadata).
WRITES = {"sqlalchemy", "importlib.metadata"}

#: (arguments, the heavy modules it may load). Every command of README.
COMMANDS: list[tuple[list[str], set[str]]] = [
    (["--help"], set()),
    (["assess", "--no-save", *ASSESS], set()),
    (["assess", *ASSESS], set()),  # an assessment and its sides, with sqlite3
    (["assess", "--safety-only", "--no-red-flags", "--json"], set()),
    (["retest", *ASSESS], WRITES),  # after a new assessment it starts a block (the ORM)
    (["plan"], set()),
    (["plan", "--json"], set()),
    (["plan", "--week", "4"], set()),
    (["today"], set()),
    (["today", "--json"], set()),
    (["settings"], set()),
    (["settings", "--break-minutes", "35"], set()),  # the preferences' one row, with sqlite3
    (["calendar", "export", "hipflex.ics"], set()),  # hipflex writes the .ics itself
    (["calendar", "export", "b.ics", "--timezone", "Europe/Berlin"], set()),  # VTIMEZONE
    (["session", "--help"], set()),
    (["break", "--help"], set()),
    (["log", "pain", "3"], set()),
    (["log", "sitting", "7.5"], set()),
    (["log", "note", "new chair at work"], set()),
    (["log", "session", "--slot", "evening", "--pain-before", "3"], set()),  # sqlite3 too
    (["measure", "--help"], set()),
    (["measure", "photo.png", "--points", "points.json", "--side", "left", "--json"], {"PIL"}),
    (["progress"], set()),
    (["progress", "--json"], set()),
    (["report", "--out", "report.html"], REPORT | {"jinja2"}),  # its template compiled once
    # fpdf loads PIL itself, and numpy if it can (not here); matplotlib only lends its font.
    (["report", "--out", "report.pdf"], REPORT | {"fpdf", "PIL"}),
    (["history"], set()),
    (["history", "--json"], set()),
    (["learn"], set()),
    (["learn", "why"], MARKDOWN),
    (["exercises"], set()),
    (["exercises", "half_kneeling_hip_flexor"], set()),
    (["export"], set()),  # a snapshot read in one transaction, with sqlite3
    (["export", "--format", "csv", "--out", "hipflex.csv"], set()),
    (["import", "--help"], set()),
    (["backup", "copy.db"], set()),  # SQLite's own check and online backup, with sqlite3
    (["data", "erase", "--help"], set()),
    (["remind", "status"], set()),
    (["remind", "--help"], set()),
    (["serve", "--help"], {"importlib.metadata"}),  # the web app keeps pydantic's plugins
    (["users", "list"], set()),  # team mode's accounts, with sqlite3 (see below for a team)
    (["users", "--help"], set()),
    (["db", "--help"], set()),
]

RUN = """
import json, sys, atexit
record = sys.argv.pop(1)
atexit.register(lambda: open(record, "w").write(json.dumps(sorted(sys.modules))))
sys.argv[0] = "hipflex"
from hipflex.cli import main
main()
"""

#: A hand-marked Thomas test on a blank photo (bench/startup.py measures the same file).
POINTS = Path(__file__).with_name("thomas_points.json")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one assessment and its block, and the files the commands read."""
    where = tmp_path_factory.mktemp("startup")
    for args in (["assess", *ASSESS], ["plan", "--json"]):
        _run(where, args)
    Image.new("RGB", (800, 600), (235, 235, 225)).save(where / "photo.png")
    shutil.copyfile(POINTS, where / "points.json")
    return where


def _run(folder: Path, args: list[str], **variables: str) -> set[str]:
    record = folder / "modules.json"
    env = {
        **os.environ,
        **variables,
        "HIPFLEX_DATA_DIR": str(folder / "data"),
        "XDG_CACHE_HOME": str(folder / "cache"),
    }
    env.pop("HIPFLEX_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(record), *args],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(record.read_text()))


def _loaded(modules: set[str], names: frozenset[str]) -> set[str]:
    return {name for name in names if any(m == name or m.startswith(f"{name}.") for m in modules)}


@pytest.mark.parametrize(("args", "allowed"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_a_command_loads_only_the_heavy_modules_it_needs(
    folder: Path, args: list[str], allowed: set[str]
):
    modules = _run(folder, args)
    assert _loaded(modules, HEAVY) <= allowed


def test_a_team_lists_its_accounts_without_the_orm(tmp_path: Path):
    """`hipflex users list` on a server's store that accounts share, as in team mode."""
    team = {"HIPFLEX_TEAM": "1"}
    _run(tmp_path, ["db", "upgrade"], **team)
    _run(tmp_path, ["users", "add", "ana@example.org", "--role", "admin"], **team)
    modules = _run(tmp_path, ["users", "list"], **team)
    assert _loaded(modules, HEAVY) == set()


def test_the_top_level_help_loads_neither_typer_nor_pydantic(folder: Path):
    assert _loaded(_run(folder, ["--help"]), TYPER) == set()


def test_json_answers_load_no_terminal_renderer(folder: Path):
    for args in (
        ["today", "--json"],
        ["plan", "--json"],
        ["progress", "--json"],
        ["history", "--json"],
        ["assess", "--no-save", *ASSESS],
        ["measure", "photo.png", "--points", "points.json", "--side", "left", "--json"],
    ):
        assert _loaded(_run(folder, args), frozenset({"rich"})) == set(), args


def test_a_report_written_without_a_terminal_loads_no_terminal_renderer(folder: Path):
    """Its spinner is drawn on a terminal only (here stderr is a pipe)."""
    for args in (["report", "--out", "report.html"], ["report", "--out", "report.pdf"]):
        assert _loaded(_run(folder, args), frozenset({"rich"})) == set(), args


def test_the_covered_commands_are_every_command_of_the_app():
    from hipflex.cli.app import COMMANDS as APP_COMMANDS
    from hipflex.cli.app import GROUPS

    covered = {args[0] for args, _ in COMMANDS}
    assert {name for name, *_ in APP_COMMANDS + GROUPS} <= covered


def test_pydantic_plugins_named_by_you_keep_pydantic_own_loader(folder: Path):
    """Only with every plugin off does the command line skip pydantic's plugin loader."""
    plugins = "PYDANTIC_DISABLE_PLUGINS"
    assert "importlib.metadata" in _run(folder, ["today", "--json"], **{plugins: "some_plugin"})
    for off in ("__all__", "1", "true"):
        assert "importlib.metadata" not in _run(folder, ["today", "--json"], **{plugins: off})


def test_the_stand_in_plugin_loader_answers_as_pydantic_does_with_plugins_off(
    monkeypatch: pytest.MonkeyPatch,
):
    from pydantic.plugin import _loader

    from hipflex.startup import ALL_PLUGINS_OFF, PLUGIN_LOADER, PYDANTIC_PLUGINS, no_plugin_loader

    for off in ALL_PLUGINS_OFF:
        monkeypatch.setenv(PYDANTIC_PLUGINS, off)
        assert tuple(_loader.get_plugins()) == ()
        monkeypatch.delitem(sys.modules, PLUGIN_LOADER)
        no_plugin_loader()
        assert sys.modules[PLUGIN_LOADER] is not _loader
        assert tuple(sys.modules[PLUGIN_LOADER].get_plugins()) == ()
        monkeypatch.setitem(sys.modules, PLUGIN_LOADER, _loader)
