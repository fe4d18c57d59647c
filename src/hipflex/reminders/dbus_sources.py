"""Activity sources over D-Bus: GNOME's Mutter IdleMonitor, org.freedesktop.ScreenSaver
(KDE and others), and logind for screen lock and suspend."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Self

from hipflex.reminders.bus import Bus, CallFailed
from hipflex.reminders.sources import (
    AWAY_AFTER_SECONDS,
    ActivitySource,
    Reading,
    Unavailable,
    wait_event,
)

MUTTER = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
SCREENSAVER = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATH = "/org/freedesktop/ScreenSaver"
LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"


async def _connect(address: str, what: str) -> Bus:
    try:
        return await Bus.connect(address)
    except Unavailable as exc:
        raise Unavailable(f"{what}: {exc}") from exc


class MutterIdleSource:
    """GNOME on Wayland and X11. Event-driven: an idle watch fires when the user has been
    away for away_after seconds, and a user-active watch when they come back."""

    name = "GNOME (Mutter IdleMonitor)"

    def __init__(self, bus: Bus, away_after: float) -> None:
        self._bus = bus
        self._away_after = away_after
        self._changed = asyncio.Event()
        self._active_watch: int | None = None
        self._last_idle = 0.0

    @classmethod
    async def open(cls, address: str, *, away_after: float = AWAY_AFTER_SECONDS) -> Self:
        bus = await _connect(address, "GNOME Mutter IdleMonitor")
        source = cls(bus, away_after)
        try:
            await source._idle_seconds()  # is Mutter there at all?
            await bus.follow(
                path=MUTTER_PATH, interface=MUTTER, member="WatchFired", on_signal=source._fired
            )
            await source._call("AddIdleWatch", "t", [round(away_after * 1000)])
        except Unavailable as exc:
            bus.close()
            raise Unavailable(f"GNOME Mutter IdleMonitor: {exc}") from exc
        return source

    async def _call(self, member: str, signature: str = "", body: list[Any] | None = None) -> Any:
        reply = await self._bus.call(
            MUTTER, MUTTER_PATH, MUTTER, member, signature, body or [], auto_start=False
        )
        return reply[0] if reply else None

    async def _idle_seconds(self) -> float:
        return float(await self._call("GetIdletime")) / 1000

    def _fired(self, body: list[Any]) -> None:
        # Mutter sends WatchFired to the watch's owner only, so any one is ours.
        if body and body[0] == self._active_watch:
            self._active_watch = None  # user-active watches fire once
        self._changed.set()

    async def read(self) -> Reading:
        self._last_idle = await self._idle_seconds()
        return Reading(idle_seconds=self._last_idle)

    async def wait_for_change(self, timeout: float) -> None:
        if self._last_idle >= self._away_after and self._active_watch is None:
            self._active_watch = int(await self._call("AddUserActiveWatch"))
        await wait_event(self._changed, timeout)

    async def close(self) -> None:
        self._bus.close()  # Mutter drops the watches of a closed connection


class ScreenSaverSource:
    """org.freedesktop.ScreenSaver: idle time where the desktop offers it (KDE on X11; KDE
    on Wayland refuses GetSessionIdleTime), and the screen lock with its ActiveChanged."""

    name = "org.freedesktop.ScreenSaver (KDE and others)"

    def __init__(self, bus: Bus) -> None:
        self._bus = bus
        self._changed = asyncio.Event()
        self._active = False

    @classmethod
    async def open(cls, address: str, *, away_after: float = AWAY_AFTER_SECONDS) -> Self:
        del away_after  # no idle watches here: the loop's own timeout paces the readings
        bus = await _connect(address, "org.freedesktop.ScreenSaver")
        source = cls(bus)
        try:
            await source._idle_seconds()
            await bus.follow(
                path=SCREENSAVER_PATH,
                interface=SCREENSAVER,
                member="ActiveChanged",
                on_signal=source._active_changed,
            )
            source._active = await source._locked()
        except Unavailable as exc:
            bus.close()
            raise Unavailable(f"org.freedesktop.ScreenSaver: {exc}") from exc
        return source

    async def _call(self, member: str) -> Any:
        reply = await self._bus.call(
            SCREENSAVER, SCREENSAVER_PATH, SCREENSAVER, member, auto_start=False
        )
        return reply[0]

    async def _idle_seconds(self) -> float:
        # Milliseconds, as KDE's KIdleTime gives them (the old draft spec said seconds).
        return float(await self._call("GetSessionIdleTime")) / 1000

    async def _locked(self) -> bool:
        return bool(await self._call("GetActive"))

    def _active_changed(self, body: list[Any]) -> None:
        if body:
            self._active = bool(body[0])
        self._changed.set()

    async def read(self) -> Reading:
        return Reading(idle_seconds=await self._idle_seconds(), locked=self._active)

    async def wait_for_change(self, timeout: float) -> None:
        await wait_event(self._changed, timeout)

    async def close(self) -> None:
        self._bus.close()


async def _session_path(bus: Bus, environ: Mapping[str, str]) -> str:
    """This login session's object: by XDG_SESSION_ID, by our process, or (a systemd user
    service runs outside any session) the user's graphical session."""
    session_id = environ.get("XDG_SESSION_ID", "").strip()
    if session_id:
        body = await bus.call(LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "GetSession", "s", [session_id])
        return str(body[0])
    with contextlib.suppress(CallFailed):
        body = await bus.call(
            LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "GetSessionByPID", "u", [os.getpid()]
        )
        return str(body[0])
    display = await bus.get_property(
        LOGIN1, f"{LOGIN1_PATH}/user/self", "org.freedesktop.login1.User", "Display"
    )
    if str(display[1]) in ("", "/"):
        msg = "this user has no graphical login session"
        raise Unavailable(msg)
    return str(display[1])


class LogindWatcher:
    """Wraps another source to add the session's LockedHint and suspend (PrepareForSleep);
    both are signals, so a lock, an unlock or a resume wakes wait_for_change."""

    def __init__(self, bus: Bus, inner: ActivitySource, session_path: str) -> None:
        self.name = f"{inner.name} + logind (screen lock, suspend)"
        self.inner = inner
        self._bus = bus
        self._session_path = session_path
        self._changed = asyncio.Event()
        self._locked = False
        self._locked_stale = True
        self._asleep = False

    @classmethod
    async def open(cls, address: str, inner: ActivitySource, environ: Mapping[str, str]) -> Self:
        bus = await _connect(address, "logind")
        try:
            watcher = cls(bus, inner, await _session_path(bus, environ))
            await bus.follow(
                path=watcher._session_path,
                interface=PROPERTIES,
                member="PropertiesChanged",
                on_signal=watcher._properties_changed,
            )
            await bus.follow(
                path=LOGIN1_PATH,
                interface=LOGIN1_MANAGER,
                member="PrepareForSleep",
                on_signal=watcher._prepare_for_sleep,
            )
            await watcher._read_locked()
        except Unavailable as exc:
            bus.close()
            raise Unavailable(f"logind: {exc}") from exc
        return watcher

    async def _read_locked(self) -> None:
        hint = await self._bus.get_property(
            LOGIN1, self._session_path, LOGIN1_SESSION, "LockedHint"
        )
        self._locked, self._locked_stale = bool(hint), False

    def _properties_changed(self, body: list[Any]) -> None:
        interface, changed, invalidated = body
        if interface != LOGIN1_SESSION:
            return
        if "LockedHint" in changed:
            self._locked = bool(changed["LockedHint"].value)
        elif "LockedHint" in invalidated:
            self._locked_stale = True
        else:
            return
        self._changed.set()

    def _prepare_for_sleep(self, body: list[Any]) -> None:
        self._asleep = bool(body[0])  # True before suspend, False after resume
        self._changed.set()

    async def read(self) -> Reading:
        reading = await self.inner.read()
        if self._locked_stale:
            await self._read_locked()
        return replace(reading, locked=reading.locked or self._locked, asleep=self._asleep)

    async def wait_for_change(self, timeout: float) -> None:
        own = asyncio.ensure_future(wait_event(self._changed, timeout))
        inner = asyncio.ensure_future(self.inner.wait_for_change(timeout))
        try:
            done, _ = await asyncio.wait((own, inner), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (own, inner):
                task.cancel()
            await asyncio.gather(own, inner, return_exceptions=True)
        for task in done:
            task.result()

    async def close(self) -> None:
        try:
            await self.inner.close()
        finally:
            self._bus.close()
