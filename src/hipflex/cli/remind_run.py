"""Starting the reminder daemon, installing it, and reading its status."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from hipflex.domain import plurals
from hipflex.reminders import install
from hipflex.reminders.install import STATUS_FILE


def exec_daemon(
    folder: Path,
    *,
    terminal: bool,
    speed: float,
    natural_break: float,
    quiet: Sequence[str],
) -> NoReturn:
    """Become the daemon: exec `python -m hipflex.reminders` in this process (the same
    process id, for systemd and signals) without Typer and Pydantic in memory. It checks
    the quiet periods and the lock itself. (In-process, e.g. under CliRunner, this would
    replace the test runner: start `hipflex remind` as a subprocess.)"""
    argv = [sys.executable, "-m", "hipflex.reminders", "--data-folder", str(folder)]
    argv += ["--natural-break", repr(natural_break), "--speed", repr(speed)]
    argv += ["--terminal"] if terminal else []
    for period in quiet:
        argv += ["--quiet", period]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, arguments as a list


def install_or_uninstall(*, install: bool) -> None:
    from hipflex.reminders import install as setup

    if install:
        command = shutil.which("hipflex") or f"{sys.executable} -m hipflex"
        done = setup.install(command, os.environ)
        print(f"Installed {done.unit}\nInstalled {done.desktop}\n{done.systemd}")
        return
    removed = setup.uninstall(os.environ)
    if removed:
        print("\n".join(f"Removed {path}" for path in removed))
    else:
        print("Nothing to remove: the reminder was not installed.")


def _minutes_until(moment: str | None, now: datetime) -> str:
    if moment is None:
        return "not counting (you are away, or it is outside your work hours)"
    minutes = max(0, round((datetime.fromisoformat(moment) - now).total_seconds() / 60))
    return f"in {plurals.minutes(minutes)}"


def show_status(folder: Path, *, as_json: bool) -> None:
    running = install.lock_held(folder)
    path = folder / STATUS_FILE
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
    if as_json:
        print(json.dumps({"running": running, **data}, indent=2))
        return
    if not running:
        print("The hipflex reminder is not running. Start it with `hipflex remind` (or install")
        print("it with `hipflex remind --install` to start with your desktop).")
    today = data.get("today")
    if running:
        now = datetime.now().astimezone()
        next_break = data.get("next_break_at")
        print(f"The hipflex reminder is running (activity from {data.get('source', '?')}).")
        due = next_break if isinstance(next_break, str) else None
        print(f"Next break: {_minutes_until(due, now)}.")
    if isinstance(today, dict):
        seated = plurals.minutes(round(float(today["seated_minutes"])))
        print(
            f"Today ({today['day']}): {seated} seated at the "
            f"computer; breaks taken {today['breaks_done']}, snoozed {today['snoozed']}, "
            f"skipped {today['skipped']}; natural breaks {today['natural_breaks']}."
        )
