"""Writers at once: several `hipflex` processes and in-process writers share one database.

DESIGN.md habit 5: the CLI, the web app and the daemon share one SQLite file safely (WAL,
BEGIN IMMEDIATE), or one PostgreSQL database (an advisory write lock). Each run starts on
an empty database, so the processes' first commands also race to create and migrate it;
two in-process writers (the web app and the daemon, each with its own connections) join
once one has finished, and all write together for SECONDS. Afterwards every write is
there and none failed.
"""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from hipflex.config import Settings
from hipflex.services import programme, tracking
from hipflex.services.context import AppContext
from hipflex.store import Store

HIPFLEX = Path(sys.executable).parent / "hipflex"
PROCESSES = 4
SECONDS = 2.0  # of writing by all at once; the last commands finish a little later
LOCKED = "database is locked"
IN_PROCESS_WRITERS = 2
IN_PROCESS_KINDS = ("pain", "preferences", "sitting", "preferences", "note")
BREAK_MINUTES = (30, 35, 45)


@dataclass(frozen=True)
class Command:
    table: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Finished:
    command: Command
    returncode: int
    stderr: str


@dataclass
class Writes:
    """What one in-process writer managed, per table, and what went wrong."""

    done: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    break_minutes: int | None = None  # the last preference saved


def _command(worker: int, n: int) -> Command:
    """The n-th command of a worker: pain, sitting hours (on a past day) and notes in turn."""
    kind = (worker + n) % 3
    if kind == 0:
        return Command("pain", ("log", "pain", str((worker + n) % 11)))
    if kind == 1:
        day = date.today() - timedelta(days=1 + n % 20)  # noqa: DTZ011 - the CLI's own today
        return Command("sitting", ("log", "sitting", f"{n % 12}.5", "--date", day.isoformat()))
    return Command("note", ("log", "note", f"worker {worker}, note {n}"))


class Schedule:
    """The processes start together; commands go on starting until SECONDS after the first
    one finished (that one also migrated the empty database)."""

    def __init__(self) -> None:
        self.start = threading.Barrier(PROCESSES)
        self.first_done = threading.Event()
        self._until = math.inf
        self._lock = threading.Lock()

    def command_finished(self) -> None:
        with self._lock:
            if not self.first_done.is_set():
                self._until = time.monotonic() + SECONDS
                self.first_done.set()

    def more(self) -> bool:
        return time.monotonic() < self._until


def _run_commands(
    worker: int, env: dict[str, str], schedule: Schedule, out: list[Finished]
) -> None:
    schedule.start.wait()
    n = 0
    while schedule.more():
        command = _command(worker, n)
        result = subprocess.run(
            [str(HIPFLEX), *command.args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        out.append(Finished(command, result.returncode, result.stderr))
        schedule.command_finished()
        n += 1


def _write_in_process(
    settings: Settings, schedule: Schedule, stop: threading.Event, writes: Writes
) -> None:
    """The web app or the daemon: the services, in a thread, while the commands run."""
    app = AppContext(settings)
    schedule.first_done.wait(timeout=120)  # the processes race to migrate the database first
    n = 0
    try:
        while not stop.is_set():
            kind = IN_PROCESS_KINDS[n % len(IN_PROCESS_KINDS)]
            try:
                if kind == "pain":
                    tracking.log_pain(app, n % 11)
                elif kind == "sitting":
                    tracking.log_sitting(app, 8.0, date.today() - timedelta(days=2))  # noqa: DTZ011
                elif kind == "note":
                    tracking.log_note(app, f"in-process note {n}")
                else:  # reads the row, then writes it: what BEGIN IMMEDIATE is for
                    minutes = BREAK_MINUTES[n % len(BREAK_MINUTES)]
                    programme.update_preferences(app, break_minutes=minutes)
                    writes.break_minutes = minutes
            except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
                writes.errors.append(f"{kind}: {exc!r}")
            else:
                writes.done[kind] += 1
            n += 1
            time.sleep(0.01)  # a busy app, not a tight loop that takes every core
    finally:
        app.close()


def _hammer(env: dict[str, str], settings: Settings) -> tuple[list[Finished], list[Writes]]:
    finished: list[Finished] = []
    writes = [Writes() for _ in range(IN_PROCESS_WRITERS)]
    schedule = Schedule()
    stop = threading.Event()
    workers = [
        threading.Thread(target=_run_commands, args=(worker, env, schedule, finished))
        for worker in range(PROCESSES)
    ]
    writers = [
        threading.Thread(target=_write_in_process, args=(settings, schedule, stop, mine))
        for mine in writes
    ]
    for thread in [*workers, *writers]:
        thread.start()
    for thread in workers:
        thread.join()
    stop.set()
    for thread in writers:
        thread.join()
    return finished, writes


def _check(finished: list[Finished], writes: list[Writes], url: str) -> None:
    failed = [f for f in finished if f.returncode != 0]
    assert not failed, "\n".join(f"{f.command.args}: {f.returncode} {f.stderr}" for f in failed)
    assert not [f for f in finished if LOCKED in f.stderr]
    assert not [error for mine in writes for error in mine.errors]
    assert len(finished) >= PROCESSES  # at least one command per process ran
    assert all(mine.done[kind] > 0 for mine in writes for kind in IN_PROCESS_KINDS)
    expected = sum((mine.done for mine in writes), Counter(f.command.table for f in finished))
    del expected["preferences"]  # one row, updated in place
    store = Store.open(url)
    try:
        found = Counter(
            pain=len(store.pain_ratings()),
            sitting=len(store.sitting_entries()),
            note=len(store.notes()),
        )
        assert store.preferences().break_minutes in {mine.break_minutes for mine in writes}
    finally:
        store.close()
    assert found == expected  # no row lost, none doubled


@pytest.mark.slow
def test_processes_and_threads_write_one_sqlite_file_at_once(data_dir: Path):
    env = dict(os.environ)  # HIPFLEX_DATA_DIR is data_dir: the default database lives there
    settings = Settings(data_dir=data_dir)
    finished, writes = _hammer(env, settings)
    _check(finished, writes, settings.resolved_database_url())
    with sqlite3.connect(data_dir / "hipflex.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
@pytest.mark.postgres
def test_processes_and_threads_write_one_postgresql_database_at_once(postgres_url: str):
    env = {**os.environ, "HIPFLEX_DATABASE_URL": postgres_url}
    settings = Settings(database_url=postgres_url)
    finished, writes = _hammer(env, settings)
    _check(finished, writes, postgres_url)
