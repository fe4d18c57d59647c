"""Start-up speed without a clock: each command, run as a whole process, loads none of the
heavy libraries it does not need (`sys.modules` when it exits). bench/startup.py times them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

#: What no command loads unless it needs it: the ORM and migrations (a store at the newest
#: revision is read, and a log appended, with sqlite3), the web app, the report's and the
#: photo's libraries, the terminal UI, calendars, PostgreSQL's driver, pydantic-settings
#: (its import alone cost a command about 25 ms; hipflex.config reads the variables itself).
HEAVY = frozenset({
    "sqlalchemy", "alembic", "psycopg", "fastapi", "starlette", "uvicorn", "hipflex.web",
    "jinja2", "matplotlib", "fpdf", "PIL", "mediapipe", "cv2", "numpy", "textual",
    "icalendar", "hipflex.reports.report", "hipflex.reports.charts", "hipflex.reports.render",
    "pydantic_settings",
})  # fmt: skip
TYPER = frozenset({"typer", "pydantic", "pydantic_core", "rich"})
ASSESS = [
    "--json", "--no-red-flags", "--thomas-left", "raised", "--knee-left", "85",
    "--thomas-right", "flat", "--knee-right", "75", "--extension-left", "8",
    "--extension-right", "12", "--sitting-hours", "7", "--sign", "swayback",
]  # fmt: skip
WRITES = {"sqlalchemy"}  # a write other than a log's one-row append goes through the ORM

#: (arguments, the heavy modules it may load). Every command of README.
COMMANDS: list[tuple[list[str], set[str]]] = [
    (["--help"], set()),
    (["assess", "--no-save", *ASSESS], set()),
    (["assess", *ASSESS], WRITES),
    (["assess", "--safety-only", "--no-red-flags", "--json"], WRITES),
    (["retest", *ASSESS], WRITES),
    (["plan"], set()),
    (["plan", "--json"], set()),
    (["plan", "--week", "4"], set()),
    (["today"], set()),
    (["today", "--json"], set()),
    (["settings"], set()),
    (["settings", "--break-minutes", "35"], WRITES),
    (["calendar", "export", "hipflex.ics"], {"icalendar"}),
    (["session", "--help"], set()),
    (["break", "--help"], set()),
    (["log", "pain", "3"], set()),
    (["log", "sitting", "7.5"], set()),
    (["log", "note", "new chair at work"], set()),
    (["log", "session", "--slot", "evening", "--pain-before", "3"], WRITES),
    (["measure", "--help"], set()),
    (["measure", "photo.png", "--points", "points.json", "--side", "left", "--json"], {"PIL"}),
    (["progress"], set()),
    (["progress", "--json"], set()),
    (
        ["report", "--out", "report.html"],
        {"hipflex.reports.report", "hipflex.reports.charts", "hipflex.reports.render"}
        | {"jinja2", "matplotlib", "PIL", "numpy"},
    ),
    (["history"], set()),
    (["history", "--json"], set()),
    (["learn"], set()),
    (["learn", "why"], set()),
    (["exercises"], set()),
    (["exercises", "half_kneeling_hip_flexor"], set()),
    (["export", "--format", "csv", "--out", "hipflex.csv"], WRITES),
    (["import", "--help"], set()),
    (["backup", "copy.db"], WRITES),
    (["data", "erase", "--help"], set()),
    (["remind", "status"], set()),
    (["remind", "--help"], set()),
    (["serve", "--help"], set()),
    (["users", "list"], WRITES),  # team mode's accounts: the Store (team mode never runs lean)
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

POINTS = {
    "table_a": [40, 300],
    "table_b": [420, 300],
    "shoulder": [100, 292],
    "nose": [40, 280],
    "hip": [400, 300],
    "knee": [546.7, 268.8],
    "ankle": [627.2, 370.9],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one assessment and its block, and the files the commands read."""
    where = tmp_path_factory.mktemp("startup")
    for args in (["assess", *ASSESS], ["plan", "--json"]):
        _run(where, args)
    Image.new("RGB", (800, 600), (235, 235, 225)).save(where / "photo.png")
    (where / "points.json").write_text(json.dumps({"points": POINTS, "facing": "left"}))
    return where


def _run(folder: Path, args: list[str]) -> set[str]:
    record = folder / "modules.json"
    env = {
        **os.environ,
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


def test_the_covered_commands_are_every_command_of_the_app():
    from hipflex.cli.app import COMMANDS as APP_COMMANDS
    from hipflex.cli.app import GROUPS

    covered = {args[0] for args, _ in COMMANDS}
    assert {name for name, *_ in APP_COMMANDS + GROUPS} <= covered
