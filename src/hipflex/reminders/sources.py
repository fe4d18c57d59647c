"""Activity sources: how long the user has been idle, and whether the screen is locked.

One small interface with a real implementation per desktop (x11.py, dbus_sources.py),
a plain timer that knows nothing, and a fake for tests. `choose_source` picks the best
one this session offers and logs which in one line.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hipflex.domain.breaks import NATURAL_BREAK_MINUTES
from hipflex.domain.errors import HipflexError

LOG = logging.getLogger("hipflex.reminders")

#: Idle this long counts as away: event-driven sources set their idle watch here.
AWAY_AFTER_SECONDS = NATURAL_BREAK_MINUTES * 60


class Unavailable(HipflexError):  # noqa: N818 - reads as a state, like the domain's errors
    """A platform service this session does not offer (no bus, no such name, no X server),
    or one that went away."""


@dataclass(frozen=True)
class Reading:
    """One look at the desktop. idle_seconds None: the source cannot tell (plain timer)."""

    idle_seconds: float | None
    locked: bool = False
    fullscreen: bool = False  # a full-screen window or presentation: do not disturb
    asleep: bool = False  # the machine is about to suspend (logind PrepareForSleep)


class ActivitySource(Protocol):
    name: str

    async def read(self) -> Reading:
        """The current reading. Raises Unavailable (wait_for_change may too) when the
        platform service went away."""
        ...

    async def wait_for_change(self, timeout: float) -> None:
        """Return when the platform says something changed (unlock, resume, an idle watch
        firing) or when timeout seconds pass, whichever comes first. A change that
        arrived since the last call returns at once."""
        ...

    async def close(self) -> None: ...


class FallbackSource:
    """No activity information at all: the daemon counts wall-clock time."""

    name = "plain timer (no activity information)"

    async def read(self) -> Reading:
        return Reading(idle_seconds=None)

    async def wait_for_change(self, timeout: float) -> None:
        await asyncio.sleep(max(0.0, timeout))

    async def close(self) -> None:
        return None


class FakeSource:
    """Readings a test sets; wait_for_change returns when the test pokes it."""

    def __init__(self, reading: Reading | None = None, name: str = "fake") -> None:
        self.name = name
        self.reading = reading or Reading(idle_seconds=0.0)
        self.waits: list[float] = []
        self.closed = False
        self._changed = asyncio.Event()

    def set(self, reading: Reading, *, poke: bool = True) -> None:
        self.reading = reading
        if poke:
            self.poke()

    def poke(self) -> None:
        self._changed.set()

    async def read(self) -> Reading:
        return self.reading

    async def wait_for_change(self, timeout: float) -> None:
        self.waits.append(timeout)
        await wait_event(self._changed, timeout)

    async def close(self) -> None:
        self.closed = True


async def wait_event(changed: asyncio.Event, timeout: float) -> None:
    """Wait for the event or the timeout; consume the event so the next wait waits again."""
    try:
        await asyncio.wait_for(changed.wait(), max(0.0, timeout))
    except TimeoutError:
        return
    changed.clear()


def session_bus_address(environ: Mapping[str, str]) -> str | None:
    """The session bus from the environment, or systemd's per-user bus when it exists."""
    if address := environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip():
        return address
    runtime = environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and Path(runtime, "bus").exists():
        return f"unix:path={runtime}/bus"
    return None


def system_bus_address(environ: Mapping[str, str]) -> str:
    return (
        environ.get("DBUS_SYSTEM_BUS_ADDRESS", "").strip()
        or "unix:path=/run/dbus/system_bus_socket"
    )


def on_wayland(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"


async def _idle_source(
    environ: Mapping[str, str], away_after: float
) -> tuple[ActivitySource, list[str]]:
    """The best idle source, and why each better one was passed over."""
    from hipflex.reminders.dbus_sources import MutterIdleSource, ScreenSaverSource
    from hipflex.reminders.x11 import X11Source

    passed: list[str] = []
    session = session_bus_address(environ)
    if session is None:
        passed.append("no session bus")
    else:
        for kind in (MutterIdleSource, ScreenSaverSource):
            try:
                return await kind.open(session, away_after=away_after), passed
            except Unavailable as exc:
                passed.append(str(exc))
    display = environ.get("DISPLAY", "").strip()
    if not display:
        passed.append("no X display")
    elif on_wayland(environ):
        # XWayland only sees input sent to X clients: its idle time grows while the user
        # types into native Wayland windows, so a plain timer is more honest.
        passed.append("X11 idle time is wrong under Wayland (XWayland)")
    else:
        try:
            return await X11Source.open(display), passed
        except Unavailable as exc:
            passed.append(str(exc))
    return FallbackSource(), passed


async def choose_source(
    environ: Mapping[str, str] | None = None, *, away_after: float = AWAY_AFTER_SECONDS
) -> ActivitySource:
    """The best activity source here: GNOME (Mutter), org.freedesktop.ScreenSaver, X11,
    else a plain timer; wrapped by logind for lock and sleep when the system bus has it."""
    from hipflex.reminders.dbus_sources import LogindWatcher

    environ = os.environ if environ is None else environ
    source, passed = await _idle_source(environ, away_after)
    try:
        source = await LogindWatcher.open(system_bus_address(environ), source, environ)
    except Unavailable as exc:
        passed.append(str(exc))
    detail = f" (not available: {'; '.join(passed)})" if passed else ""
    LOG.info("activity source: %s%s", source.name, detail)
    return source
