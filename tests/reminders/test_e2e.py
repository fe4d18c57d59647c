"""End to end: `hipflex remind` as a real process on a fast clock, on an Xvfb display with
keyboard and mouse input injected by xdotool, and a private D-Bus session bus with the
test notification server.

A break notification arrives after the interval of simulated activity; Snooze re-arms it
about 5 simulated minutes later; Skip is recorded in the store; SIGTERM stops the daemon
cleanly and today's measured sitting is recorded.

Speed: SPEED simulated seconds pass per real second, so the 30-minute interval takes
1800 / SPEED s and the X11 source samples every 60 / SPEED s. The natural break is set to
20 minutes (4 real seconds): only a stall that long on a busy machine could pass for the
user leaving, while no input at all (xdotool not typing) still would.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.tracking import SittingSource
from hipflex.reminders.install import STATUS_FILE
from hipflex.reminders.x11 import X11Source
from hipflex.services import tracking
from hipflex.services.context import open_app
from tests.conftest import require_tool
from tests.reminders.conftest import XVFB_HINT, NotifyCall, TestNotificationServer, serve

pytestmark = pytest.mark.slow

HIPFLEX = Path(sys.executable).parent / "hipflex"
SPEED = 300.0
NATURAL_BREAK_MINUTES = "20"
ACTIONS = ["start", "Start the break routine", "snooze", "Snooze 5 min", "skip", "Skip"]
WAIT_SECONDS = 25.0  # for any one step, far beyond what it needs
ACTION_CLOSED = 2  # NotificationClosed reason: dismissed by the user (after an action)


def noon_zone() -> str:
    """A fixed-offset zone where it is about noon now, so the simulated hour that the test
    runs ahead never crosses midnight or the end of the work hours."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12  # -12..11 hours east of UTC
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def typing_forever(xdotool: str, display: str) -> subprocess.Popen[bytes]:
    """One xdotool process moving the mouse and pressing Shift four times a second (a
    chain of commands: no process per input)."""
    chain: list[str] = []
    for step in range(1200):  # five minutes; the test stops it long before
        chain += ["mousemove", str(100 + step % 50), "100", "key", "shift", "sleep", "0.25"]
    return subprocess.Popen(
        [xdotool, *chain],
        env={"DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def sitting_minutes(call: NotifyCall) -> int:
    found = re.match(r"You have been sitting for (\d+) minutes\.", call.body)
    assert found, call.body
    return int(found[1])


async def wait_for(what: str, check: object, process: asyncio.subprocess.Process) -> None:
    """Poll check() (a callable) every 20 ms; fail if the daemon exits or time runs out."""
    assert callable(check)
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if process.returncode is not None:
            pytest.fail(f"the daemon exited ({process.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {WAIT_SECONDS} s")
        await asyncio.sleep(0.02)


def test_a_break_arrives_after_the_interval_snooze_rearms_it_and_skip_is_recorded(
    xvfb: str, bus_address: str, data_dir: Path, tmp_path: Path
) -> None:
    xdotool = require_tool("xdotool", XVFB_HINT)
    settings = subprocess.run(
        [
            str(HIPFLEX),
            "settings",
            "--work-days",
            "mon-sun",
            "--work-hours",
            "00:00-23:59",
            "--break-minutes",
            "30",
            "--timezone",
            noon_zone(),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert settings.returncode == 0, settings.stderr
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "XDG_RUNTIME_DIR"}
    }
    environ |= {
        "DISPLAY": xvfb,
        "DBUS_SESSION_BUS_ADDRESS": bus_address,
        "DBUS_SYSTEM_BUS_ADDRESS": bus_address,  # no logind there: X11 alone, as chosen
        "HIPFLEX_DATA_DIR": str(data_dir),
    }
    output, errors = tmp_path / "daemon.out", tmp_path / "daemon.err"
    status_path = data_dir / STATUS_FILE
    times: list[float] = []

    def status() -> dict[str, object]:
        try:
            loaded: dict[str, object] = json.loads(status_path.read_text())
        except (OSError, ValueError):
            return {}
        return loaded

    def skipped_in_status() -> bool:
        today = status().get("today")
        return isinstance(today, dict) and today["skipped"] == 1

    async def main(server: TestNotificationServer) -> int:
        service = await serve(bus_address, server)
        typing = typing_forever(xdotool, xvfb)
        with output.open("wb") as out, errors.open("wb") as err:
            daemon = await asyncio.create_subprocess_exec(
                str(HIPFLEX),
                "remind",
                "--speed",
                str(SPEED),
                "--natural-break",
                NATURAL_BREAK_MINUTES,
                env=environ,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        try:
            await wait_for("first notification", lambda: len(server.calls) >= 1, daemon)
            times.append(time.monotonic())
            server.action_invoked(1, "snooze")
            server.notification_closed(1, ACTION_CLOSED)
            await wait_for("second notification", lambda: len(server.calls) >= 2, daemon)
            times.append(time.monotonic())
            server.action_invoked(2, "skip")
            server.notification_closed(2, ACTION_CLOSED)
            await wait_for("the skip in the status file", skipped_in_status, daemon)
            daemon.send_signal(signal.SIGTERM)
            return await asyncio.wait_for(daemon.wait(), WAIT_SECONDS)
        finally:
            typing.kill()
            typing.wait()
            if daemon.returncode is None:
                daemon.kill()
                await daemon.wait()
            service.disconnect()

    server = TestNotificationServer()
    started = time.monotonic()
    returncode = asyncio.run(main(server))
    elapsed = time.monotonic() - started
    log = errors.read_text()
    assert returncode == 0, log

    first_line = next(line for line in log.splitlines() if line.startswith("activity source:"))
    assert first_line.startswith(f"activity source: {X11Source.name} (not available: ")
    assert "notifier: desktop notifications (org.freedesktop.Notifications)" in log
    assert "break snoozed" in log
    assert "break skipped" in log
    assert "could not record" not in log
    assert output.read_text().endswith("hipflex reminders stopped.\n")

    first, second = server.calls[:2]
    assert (first.app_name, first.summary, first.actions) == ("hipflex", "Time to move", ACTIONS)
    assert second.actions == ACTIONS  # the second snooze is still offered
    assert 30 <= sitting_minutes(first) <= 32  # after the interval of activity
    assert 5 <= sitting_minutes(second) - sitting_minutes(first) <= 7  # Snooze re-armed it
    simulated_gap = (times[1] - times[0]) * SPEED / 60
    assert 4 <= simulated_gap <= 9, f"{simulated_gap:.1f} simulated minutes between them"
    assert elapsed < 60  # well under 30 s on an idle machine

    app = open_app()
    try:
        today = tracking.local_today(app)
        counts = tracking.break_counts(app, today)
        entries = app.store.sitting_entries(since=today)
    finally:
        app.close()
    assert counts == {BreakOutcome.DONE: 0, BreakOutcome.SNOOZED: 1, BreakOutcome.SKIPPED: 1}
    measured = [entry for entry in entries if entry.source is SittingSource.MEASURED]
    assert measured, entries
    assert 0.5 <= measured[-1].hours <= 2  # the last record: at the stop, 35+ minutes seated
