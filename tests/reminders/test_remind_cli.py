"""`hipflex remind` and `hipflex log break|sitting` as whole processes: status, install,
usage errors, the single instance, and what the daemon's recorder writes to the store
through the reminder exchange."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

from hipflex.domain.breaks import BreakOutcome, BreakPolicy, BreakState, DayTotals
from hipflex.domain.tracking import SittingSource
from hipflex.reminders.daemon import StatusWriter
from hipflex.reminders.exchange import ExchangeClient, Record
from hipflex.reminders.install import DESKTOP_NAME, STATUS_FILE, UNIT_NAME, hold_lock
from hipflex.reminders.outbox import OUTBOX_FILE, Outbox, OutboxRecorder
from hipflex.services import tracking
from hipflex.services.context import AppContext, open_app

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
HIPFLEX = BIN / "hipflex"
STATUS_KEYS = {
    "running",
    "pid",
    "wakeups",
    "started_at",
    "updated_at",
    "source",
    "notifier",
    "sitting_since",
    "next_break_at",
    "reminding",
    "today",
}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HIPFLEX), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


@pytest.fixture
def lock(data_dir: Path) -> Iterator[IO[str]]:
    """The daemon's lock, held by the test as a running daemon would."""
    handle = hold_lock(data_dir)
    assert handle is not None
    yield handle
    handle.close()


@pytest.fixture
def store(data_dir: Path) -> Iterator[AppContext]:
    """The store the commands wrote to (HIPFLEX_DATA_DIR)."""
    context = open_app()
    yield context
    context.close()


def write_status(data_dir: Path, *, sitting_for: timedelta | None) -> datetime:
    """A status file as a daemon writes it, 30-minute interval; returns its `now`."""
    now = datetime.now(UTC).astimezone()
    data_dir.mkdir(parents=True, exist_ok=True)
    state = BreakState(
        sitting_since=None if sitting_for is None else now - sitting_for,
        today=DayTotals(now.date(), seated_seconds=4000, breaks_done=1, skipped=2, snoozed=3),
    )
    writer = StatusWriter(data_dir / STATUS_FILE, "X11 (XScreenSaver extension)", "DBus", now)
    writer.write(state, now, BreakPolicy(interval_minutes=30), wakeups=7)
    return now


def test_status_when_not_running_says_so() -> None:
    result = run("remind", "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("The hipflex reminder is not running.")
    assert "hipflex remind --install" in result.stdout
    assert "Today" not in result.stdout  # no status file: nothing to tell about today
    as_json = run("remind", "status", "--json")
    assert json.loads(as_json.stdout) == {"running": False}


@pytest.mark.usefixtures("lock")
def test_status_while_running_gives_the_next_break_and_today(data_dir: Path) -> None:
    now = write_status(data_dir, sitting_for=timedelta(minutes=18))
    result = run("remind", "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "The hipflex reminder is running (activity from X11 (XScreenSaver extension)).",
        "Next break: in 12 minutes.",
        (
            f"Today ({now.date().isoformat()}): 67 minutes seated at the computer; "
            "breaks taken 1, snoozed 3, skipped 2; natural breaks 0."
        ),
    ]
    data = json.loads(run("remind", "status", "--json").stdout)
    assert set(data) == STATUS_KEYS
    assert data["running"] is True
    assert data["wakeups"] == 7
    assert data["next_break_at"] == (now + timedelta(minutes=12)).isoformat()
    assert data["today"] == {
        "day": now.date().isoformat(),
        "seated_minutes": 66.7,
        "breaks_done": 1,
        "skipped": 2,
        "snoozed": 3,
        "natural_breaks": 0,
    }


@pytest.mark.usefixtures("lock")
def test_status_while_away_is_not_counting(data_dir: Path) -> None:
    write_status(data_dir, sitting_for=None)
    result = run("remind", "status")
    assert "Next break: not counting (you are away, or it is outside your work hours)." in (
        result.stdout
    )


def test_a_stopped_daemons_status_file_is_not_running(data_dir: Path) -> None:
    write_status(data_dir, sitting_for=timedelta(minutes=5))
    result = run("remind", "status")
    assert result.stdout.startswith("The hipflex reminder is not running.")
    assert "Next break" not in result.stdout
    assert json.loads(run("remind", "status", "--json").stdout)["running"] is False


def test_the_running_daemon_is_lean_has_a_status_and_is_the_only_one(
    tmp_path: Path, data_dir: Path, store: AppContext
) -> None:
    """`hipflex remind` execs the lean daemon (same pid): no Pydantic (Typer's option
    coercion) in memory, well under 40 MB; a second one says it is running; SIGTERM stops
    it cleanly and today's measured sitting is recorded."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}
    }
    environ |= {
        "XDG_RUNTIME_DIR": str(tmp_path),  # no user bus: the plain timer, the terminal
        "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus",
    }
    daemon = subprocess.Popen(
        [str(HIPFLEX), "remind", "--terminal"],
        env=environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (data_dir / STATUS_FILE).exists():
            assert daemon.poll() is None, daemon.communicate()
            assert time.monotonic() < deadline, "the daemon did not start"
            time.sleep(0.05)
        proc = Path(f"/proc/{daemon.pid}")
        assert "hipflex.reminders" in (proc / "cmdline").read_text().split("\0")
        assert "pydantic_core" not in (proc / "maps").read_text()
        rss = next(line for line in (proc / "status").read_text().splitlines() if "VmRSS" in line)
        assert int(rss.split()[1]) < 40 * 1024, rss

        status = run("remind", "status")
        assert status.stdout.splitlines()[:2] == [
            (
                "The hipflex reminder is running (activity from plain timer (no activity "
                "information))."
            ),
            "Next break: in 40 minutes.",
        ]
        second = run("remind", "--terminal")
        assert second.returncode == 0, second.stderr
        assert second.stdout.splitlines() == [
            "The hipflex reminder is already running (see `hipflex remind status`)."
        ]
    finally:
        daemon.send_signal(signal.SIGTERM)
        output, errors = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, errors
    assert output.endswith("hipflex reminders stopped.\n")
    assert "activity source: plain timer (no activity information) (not available: " in errors
    assert "notifier" not in errors  # --terminal: no desktop notifications tried
    assert run("remind", "status").stdout.startswith("The hipflex reminder is not running.")
    entries = store.store.sitting_entries()
    assert entries
    assert {entry.source for entry in entries} == {SittingSource.MEASURED}


def install_env(tmp_path: Path) -> dict[str, str]:
    """XDG_CONFIG_HOME in tmp_path; PATH with hipflex but no systemctl."""
    assert not (BIN / "systemctl").exists()
    return {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": str(BIN)}


def test_install_and_uninstall(tmp_path: Path, data_dir: Path) -> None:
    env = install_env(tmp_path)
    unit = tmp_path / "config" / "systemd" / "user" / UNIT_NAME
    desktop = tmp_path / "config" / "autostart" / DESKTOP_NAME
    installed = run("remind", "--install", env=env)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.splitlines() == [
        f"Installed {unit}",
        f"Installed {desktop}",
        "systemctl not found: the autostart entry starts it at login",
    ]
    assert f"\nExecStart={HIPFLEX} remind\n" in unit.read_text()
    assert f"\nEnvironment=HIPFLEX_DATA_DIR={data_dir}\n" in unit.read_text()
    assert f"\nExec={HIPFLEX} remind\n" in desktop.read_text()

    removed = run("remind", "--uninstall", env=env)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [f"Removed {unit}", f"Removed {desktop}"]
    again = run("remind", "--uninstall", env=env)
    assert again.stdout == "Nothing to remove: the reminder was not installed.\n"
    assert not unit.exists()
    assert not desktop.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--install", "--uninstall"], "choose --install or --uninstall, not both"),
        (["--quiet", "25:00-26:00"], "is not a time of day"),
        (["--quiet", "12:00"], "not understood; use HH:MM-HH:MM"),
        (["--quiet", "22:00-07:00"], "must end after it starts"),
        (["--natural-break", "40"], "Invalid value for '--natural-break'"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    args: list[str], message: str, data_dir: Path
) -> None:
    result = run("remind", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    if not message.startswith("Invalid value"):  # Click's own errors come with a usage
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith("hipflex: error: ")
    assert message in result.stderr
    assert not (data_dir / "remind.lock").exists()  # refused before anything started


def test_log_break_and_measured_sitting_are_recorded(store: AppContext) -> None:
    snoozed = run("log", "break", "snoozed")
    assert snoozed.returncode == 0, snoozed.stderr
    assert snoozed.stdout.startswith("Logged a movement break, snoozed, at ")
    sitting = run("log", "sitting", "6.5", "--measured")
    assert sitting.returncode == 0, sitting.stderr
    today = tracking.local_today(store)
    counts = tracking.break_counts(store, today)
    assert counts == {BreakOutcome.DONE: 0, BreakOutcome.SKIPPED: 0, BreakOutcome.SNOOZED: 1}
    (entry,) = store.store.sitting_entries(since=today)
    assert (entry.day, entry.hours, entry.source) == (today, 6.5, SittingSource.MEASURED)
    bad = run("log", "break", "maybe")
    assert bad.returncode == 2
    assert "break outcome" in bad.stderr


def test_the_daemons_recorder_writes_through_the_exchange(
    store: AppContext, data_dir: Path
) -> None:
    """What the recorder sends, the real `python -m hipflex.services.reminder_exchange`
    records, also from a sped-up clock whose times run ahead of the real ones (they are
    recorded at the real time instead); records sent again land once."""
    now = datetime.now(UTC).astimezone()
    earlier = now - timedelta(minutes=90)
    ahead = now + timedelta(hours=5)
    path = data_dir / OUTBOX_FILE

    async def record() -> list[Record]:
        recorder = OutboxRecorder(Outbox(path), ExchangeClient())
        recorder.outcome(earlier, BreakOutcome.DONE)
        recorder.outcome(ahead, BreakOutcome.SKIPPED)
        recorder.day(DayTotals(ahead.date() + timedelta(days=1), seated_seconds=5400))
        kept = recorder.outbox.pending()
        await recorder.stop()
        assert recorder.sent == 3
        return kept

    async def send_again(records: list[Record]) -> None:
        """As after a crash before the daemon heard hipflex confirm them."""
        recorder = OutboxRecorder(Outbox(path), ExchangeClient())
        for kept in records:
            recorder.outbox.add(kept)
        await recorder.stop()

    sent = asyncio.run(record())
    assert path.read_text() == ""
    asyncio.run(send_again(sent))
    assert path.read_text() == ""
    done, skipped = store.store.break_events()
    assert (done.at, done.outcome) == (earlier, BreakOutcome.DONE)
    assert skipped.outcome is BreakOutcome.SKIPPED
    assert now <= skipped.at <= datetime.now(UTC)
    today = tracking.local_today(store)
    assert [(e.day, e.hours, e.source) for e in store.store.sitting_entries()] == [
        (today, 1.5, SittingSource.MEASURED)
    ] * 2  # a repeat: the newest entry for the day counts, and it is the same


@pytest.mark.parametrize(
    ("minutes_left", "expected"),
    [(0, "in 0 minutes"), (1, "in 1 minute"), (2, "in 2 minutes")],
)
def test_the_reminder_status_counts_minutes(minutes_left: int, expected: str):
    from hipflex.cli.remind_run import _minutes_until

    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert _minutes_until((now + timedelta(minutes=minutes_left)).isoformat(), now) == expected
