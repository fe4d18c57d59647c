"""Running the reminder daemon, installing it, and reading its status."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hipflex.domain.breaks import BreakPolicy, Quiet
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.preferences import parse_weekdays, parse_work_hours
from hipflex.reminders import install
from hipflex.reminders.daemon import (
    STATUS_FILE,
    CliRecorder,
    Loop,
    StatusWriter,
    TerminalLauncher,
    WallClock,
    resumed_state,
)


def _preferences() -> dict[str, object]:
    """The preferences, read by a child process so this one never loads the store."""
    done = subprocess.run(
        [sys.executable, "-m", "hipflex", "settings", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode:
        msg = f"could not read your settings: {done.stderr.strip()}"
        raise HipflexError(msg)
    loaded: dict[str, object] = json.loads(done.stdout)
    return loaded


def parse_quiet(period: str) -> Quiet:
    """'12:00-13:00' -> a quiet period within one day."""
    start, end = parse_work_hours(period)
    if end <= start:
        msg = (
            f"the quiet period '{period}' must end after it starts, within one day "
            "(for a night, give two: 22:00-23:59 and 00:00-07:00)"
        )
        raise BadInput(msg)
    return Quiet(start, end)


def policy_from(
    preferences: dict[str, object], *, natural_break: float = 3.0, quiet: Sequence[str] = ()
) -> BreakPolicy:
    start, end = parse_work_hours(str(preferences["work_hours"]))
    return BreakPolicy(
        interval_minutes=int(str(preferences["break_minutes"])),
        natural_break_minutes=natural_break,
        work_days=parse_weekdays(str(preferences["work_days"])),
        work_start=start,
        work_end=end,
        quiet=tuple(parse_quiet(period) for period in quiet),
    )


def _zone(preferences: dict[str, object]) -> ZoneInfo:
    from hipflex.services.timezones import zone_for

    zone = preferences.get("timezone")
    return zone_for(zone if isinstance(zone, str) else None)


async def _run(
    folder: Path, *, terminal: bool, speed: float, natural_break: float, quiet: Sequence[str]
) -> None:
    from hipflex.reminders.notifier import TerminalNotifier, choose_notifier
    from hipflex.reminders.sources import choose_source

    preferences = _preferences()
    policy = policy_from(preferences, natural_break=natural_break, quiet=quiet)
    clock = WallClock(_zone(preferences), speed)
    source = await choose_source(os.environ, away_after=natural_break * 60 / speed)
    notifier = (
        TerminalNotifier(sys.stdout, sys.stdin)
        if terminal
        else await choose_notifier(os.environ, sys.stdout, sys.stdin)
    )
    status_path = folder / STATUS_FILE
    status = StatusWriter(status_path, source.name, type(notifier).__name__, clock.now())
    loop = Loop(
        source, notifier, CliRecorder(zone=clock.zone), TerminalLauncher(), policy, clock, status
    )
    print(
        f"hipflex reminders: a break after {policy.interval_minutes} minutes of sitting, "
        f"{policy.work_start:%H:%M}-{policy.work_end:%H:%M}; activity from {source.name}. "
        "Ctrl+C stops.",
        flush=True,
    )
    stop = asyncio.Event()
    running = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        running.add_signal_handler(signum, stop.set)
    try:
        await loop.run(stop, resumed_state(status_path, clock.now().date()))
    finally:
        await notifier.close()
        await source.close()


def run_daemon(
    folder: Path,
    *,
    terminal: bool,
    speed: float,
    natural_break: float = 3.0,
    quiet: Sequence[str] | None = None,
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for period in quiet or ():  # a bad quiet period is reported before anything starts
        parse_quiet(period)
    lock = install.hold_lock(folder)
    if lock is None:
        print("The hipflex reminder is already running (see `hipflex remind status`).")
        return
    try:
        asyncio.run(
            _run(
                folder,
                terminal=terminal,
                speed=speed,
                natural_break=natural_break,
                quiet=quiet or (),
            )
        )
    finally:
        lock.close()
    print("hipflex reminders stopped.")


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
    return f"in {minutes} minute(s)"


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
        print(
            f"Today ({today['day']}): {today['seated_minutes']:.0f} minutes seated at the "
            f"computer; breaks taken {today['breaks_done']}, snoozed {today['snoozed']}, "
            f"skipped {today['skipped']}; natural breaks {today['natural_breaks']}."
        )
