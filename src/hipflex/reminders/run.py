"""Running the reminder daemon: `python -m hipflex.reminders [options]`.

`hipflex remind` checks its options and then replaces itself (exec, same process id) with
this lean entry point, so the long-running process never holds the command line's
framework (Typer, and the Pydantic it coerces options with: about 10 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from hipflex.domain.breaks import NATURAL_BREAK_MINUTES, BreakPolicy, Quiet
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.preferences import parse_work_hours
from hipflex.errors import EXIT_INTERRUPTED, kind_of
from hipflex.reminders import install
from hipflex.reminders.daemon import (
    AppPrompter,
    Loop,
    StatusWriter,
    TerminalLauncher,
    WallClock,
    resumed_state,
)
from hipflex.reminders.exchange import (
    AskFallbackPrompt,
    AskPreferences,
    ExchangeClient,
    ExchangeError,
    Prompt,
    ReminderPreferences,
    Request,
)
from hipflex.reminders.install import STATUS_FILE
from hipflex.reminders.outbox import OUTBOX_FILE, REFUSED_FILE, Outbox, OutboxRecorder


def _say(text: str, *, error: bool = False) -> None:
    """A line for the person at the terminal (the journal, under systemd)."""
    stream = sys.stderr if error else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


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


PROMPT_SECONDS = 20.0  # a reminder waits this long for its words, then walks only


async def ask_start_up(
    exchange: ExchangeClient,
) -> tuple[ReminderPreferences, dict[bool, Prompt]]:
    """The preferences, and the prompts for when hipflex cannot be asked (by can_snooze)."""
    requests: list[Request] = [
        AskPreferences(),
        AskFallbackPrompt(can_snooze=True),
        AskFallbackPrompt(can_snooze=False),
    ]
    try:
        preferences, with_snooze, without = await exchange.ask(requests)
    except ExchangeError as exc:
        msg = f"could not read your settings: {exc}"
        raise HipflexError(msg) from None
    if not isinstance(preferences, ReminderPreferences):
        msg = f"could not read your settings: {preferences}"
        raise HipflexError(msg)
    if not (isinstance(with_snooze, Prompt) and isinstance(without, Prompt)):
        msg = "hipflex gave no reminder to fall back on"
        raise HipflexError(msg)
    return preferences, {True: with_snooze, False: without}


def policy_from(
    preferences: ReminderPreferences,
    *,
    natural_break: float = NATURAL_BREAK_MINUTES,
    quiet: Sequence[str] = (),
) -> BreakPolicy:
    return BreakPolicy(
        interval_minutes=preferences.break_minutes,
        natural_break_minutes=natural_break,
        work_days=preferences.work_days,
        work_start=preferences.work_start,
        work_end=preferences.work_end,
        quiet=tuple(parse_quiet(period) for period in quiet),
    )


async def _run(
    folder: Path, *, terminal: bool, speed: float, natural_break: float, quiet: Sequence[str]
) -> None:
    from hipflex.reminders.notifier import TerminalNotifier, choose_notifier
    from hipflex.reminders.sources import choose_source

    stop = asyncio.Event()  # a stop during start-up ends the loop as soon as it runs
    running = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        running.add_signal_handler(signum, stop.set)
    preferences, fallbacks = await ask_start_up(ExchangeClient())
    policy = policy_from(preferences, natural_break=natural_break, quiet=quiet)
    clock = WallClock(preferences.timezone, speed)
    source = await choose_source(os.environ, away_after=natural_break * 60 / speed)
    notifier = (
        TerminalNotifier(sys.stdout, sys.stdin)
        if terminal
        else await choose_notifier(os.environ, sys.stdout, sys.stdin)
    )
    status_path = folder / STATUS_FILE
    status = StatusWriter(status_path, source.name, type(notifier).__name__, clock.now())
    recorder = OutboxRecorder(
        Outbox(folder / OUTBOX_FILE),
        ExchangeClient(),
        refused=folder / REFUSED_FILE,
        zone=clock.zone,
    )
    prompter = AppPrompter(ExchangeClient(answer_seconds=PROMPT_SECONDS), fallbacks)
    loop = Loop(source, notifier, recorder, TerminalLauncher(), policy, clock, prompter, status)
    _say(
        f"hipflex reminders: a break after {policy.interval_minutes} minutes of sitting, "
        f"{policy.work_start:%H:%M}-{policy.work_end:%H:%M}; activity from {source.name}. "
        "Ctrl+C stops."
    )
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
    natural_break: float = NATURAL_BREAK_MINUTES,
    quiet: Sequence[str] | None = None,
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for period in quiet or ():  # a bad quiet period is reported before anything starts
        parse_quiet(period)
    lock = install.hold_lock(folder)
    if lock is None:
        _say("The hipflex reminder is already running (see `hipflex remind status`).")
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
    _say("hipflex reminders stopped.")


def main(argv: Sequence[str] | None = None) -> int:
    """The daemon's own command line: the options `hipflex remind` checked already."""
    parser = argparse.ArgumentParser(
        prog="python -m hipflex.reminders", description="Use `hipflex remind`."
    )
    parser.add_argument("--data-folder", type=Path, required=True)
    parser.add_argument("--terminal", action="store_true")
    parser.add_argument("--natural-break", type=float, default=NATURAL_BREAK_MINUTES)
    parser.add_argument("--quiet", action="append", default=[])
    parser.add_argument("--speed", type=float, default=1.0)
    options = parser.parse_args(argv)
    try:
        run_daemon(
            options.data_folder,
            terminal=options.terminal,
            speed=options.speed,
            natural_break=options.natural_break,
            quiet=options.quiet,
        )
    except HipflexError as exc:
        _say(f"hipflex: error: {exc}", error=True)
        return kind_of(exc).exit_status
    except KeyboardInterrupt:
        _say("\nhipflex: stopped; nothing more was saved.", error=True)
        return EXIT_INTERRUPTED
    return 0
