"""D-Bus activity sources against fake desktop services on a private bus, and
choose_source picking the best one each environment offers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any, TypeVar

import pytest
from dbus_fast import DBusError
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusBool, DBusSignature, DBusStr, DBusUInt32, DBusUInt64
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from hipflex.reminders.dbus_sources import (
    LogindWatcher,
    MutterIdleSource,
    ScreenSaverSource,
)
from hipflex.reminders.sources import (
    FakeSource,
    FallbackSource,
    Reading,
    Unavailable,
    choose_source,
)

T = TypeVar("T")
SESSION_PATH = "/org/freedesktop/login1/session/_32"
NO_BUS = "unix:path=/nonexistent/hipflex-test-bus"


class FakeMutter(ServiceInterface):
    """org.gnome.Mutter.IdleMonitor: idle time the test sets, watches it can fire."""

    def __init__(self) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.idle_ms = 0
        self.idle_watches: dict[int, int] = {}  # id -> interval in ms
        self.active_watches: list[int] = []
        self._last_id = 0

    def _new_id(self) -> int:
        self._last_id += 1
        return self._last_id

    @dbus_method(name="GetIdletime")
    def get_idletime(self) -> DBusUInt64:
        return self.idle_ms

    @dbus_method(name="AddIdleWatch")
    def add_idle_watch(self, interval: DBusUInt64) -> DBusUInt32:
        watch = self._new_id()
        self.idle_watches[watch] = interval
        return watch

    @dbus_method(name="AddUserActiveWatch")
    def add_user_active_watch(self) -> DBusUInt32:
        watch = self._new_id()
        self.active_watches.append(watch)
        return watch

    @dbus_signal(name="WatchFired")
    def watch_fired(self, watch: int) -> DBusUInt32:
        return watch


class FakeScreenSaver(ServiceInterface):
    """org.freedesktop.ScreenSaver; refuse_idle plays KDE on Wayland."""

    def __init__(self, *, refuse_idle: bool = False) -> None:
        super().__init__("org.freedesktop.ScreenSaver")
        self.idle_ms = 0
        self.active = False
        self.refuse_idle = refuse_idle

    @dbus_method(name="GetSessionIdleTime")
    def get_session_idle_time(self) -> DBusUInt32:
        if self.refuse_idle:
            raise DBusError("org.freedesktop.DBus.Error.NotSupported", "not on Wayland")
        return self.idle_ms

    @dbus_method(name="GetActive")
    def get_active(self) -> DBusBool:
        return self.active

    @dbus_signal(name="ActiveChanged")
    def active_changed(self, active: bool) -> DBusBool:
        self.active = active
        return active


class FakeLoginManager(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.login1.Manager")
        self.asked: list[str] = []

    @dbus_method(name="GetSession")
    def get_session(self, session_id: DBusStr) -> Annotated[str, DBusSignature("o")]:
        self.asked.append(session_id)
        if session_id != "32":
            raise DBusError("org.freedesktop.login1.NoSuchSession", f"no session {session_id}")
        return SESSION_PATH

    @dbus_method(name="GetSessionByPID")
    def get_session_by_pid(self, pid: DBusUInt32) -> Annotated[str, DBusSignature("o")]:
        self.asked.append(f"pid {pid}")
        return SESSION_PATH

    @dbus_signal(name="PrepareForSleep")
    def prepare_for_sleep(self, start: bool) -> DBusBool:
        return start


class FakeLoginSession(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.login1.Session")
        self.locked = False

    @dbus_property(access=PropertyAccess.READ, name="LockedHint")
    def locked_hint(self) -> DBusBool:
        return self.locked

    def lock(self, locked: bool) -> None:
        self.locked = locked
        self.emit_properties_changed({"LockedHint": locked})


async def serve(address: str, name: str, *objects: tuple[str, ServiceInterface]) -> MessageBus:
    bus = await MessageBus(bus_address=address).connect()
    for path, interface in objects:
        bus.export(path, interface)
    await bus.request_name(name)
    return bus


async def serve_mutter(address: str, mutter: FakeMutter) -> MessageBus:
    return await serve(
        address, "org.gnome.Mutter.IdleMonitor", ("/org/gnome/Mutter/IdleMonitor/Core", mutter)
    )


async def serve_screensaver(address: str, screensaver: FakeScreenSaver) -> MessageBus:
    return await serve(
        address, "org.freedesktop.ScreenSaver", ("/org/freedesktop/ScreenSaver", screensaver)
    )


async def serve_logind(
    address: str, manager: FakeLoginManager, session: FakeLoginSession
) -> MessageBus:
    return await serve(
        address,
        "org.freedesktop.login1",
        ("/org/freedesktop/login1", manager),
        (SESSION_PATH, session),
    )


async def woken_within(wait: Awaitable[None], act: Callable[[], None]) -> float:
    """Seconds a wait_for_change(long timeout) took to return after act() ran."""
    task = asyncio.ensure_future(wait)
    await asyncio.sleep(0.05)
    assert not task.done()
    started = time.monotonic()
    act()
    await asyncio.wait_for(task, 5)
    return time.monotonic() - started


def run(main: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(main)


def test_mutter_reads_idle_time_and_watches_for_away(bus_address: str) -> None:
    mutter = FakeMutter()

    async def main() -> list[Reading]:
        service = await serve_mutter(bus_address, mutter)
        source = await MutterIdleSource.open(bus_address, away_after=180)
        readings = [await source.read()]
        mutter.idle_ms = 42_500
        readings.append(await source.read())
        await source.close()
        service.disconnect()
        return readings

    assert run(main()) == [Reading(idle_seconds=0.0), Reading(idle_seconds=42.5)]
    assert list(mutter.idle_watches.values()) == [180_000]
    assert mutter.active_watches == []


def test_mutter_wakes_when_the_idle_watch_fires_and_when_the_user_returns(
    bus_address: str,
) -> None:
    mutter = FakeMutter()

    async def main() -> None:
        service = await serve_mutter(bus_address, mutter)
        source = await MutterIdleSource.open(bus_address, away_after=180)
        (idle_watch,) = mutter.idle_watches
        started = time.monotonic()
        await source.wait_for_change(0.1)  # nothing happens: the timeout
        assert 0.09 <= time.monotonic() - started < 1
        assert mutter.active_watches == []  # active: no need to hear about activity

        fire_idle_watch = lambda: mutter.watch_fired(idle_watch)  # noqa: E731
        assert await woken_within(source.wait_for_change(30), fire_idle_watch) < 1
        mutter.idle_ms = 200_000
        assert (await source.read()).idle_seconds == 200
        waiting = asyncio.ensure_future(source.wait_for_change(30))
        await asyncio.sleep(0.05)
        (active_watch,) = mutter.active_watches  # away: a watch for the user's return
        mutter.idle_ms = 0
        mutter.watch_fired(active_watch)
        await asyncio.wait_for(waiting, 5)
        assert (await source.read()).idle_seconds == 0
        await source.wait_for_change(0.01)
        assert mutter.active_watches == [active_watch]  # back: no new one

        mutter.watch_fired(idle_watch)  # fires between two waits: the next returns at once
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await source.wait_for_change(30)
        assert time.monotonic() - started < 0.5
        await source.close()
        service.disconnect()

    run(main())


def test_no_mutter_is_unavailable(bus_address: str) -> None:
    with pytest.raises(
        Unavailable,
        match=r"^GNOME Mutter IdleMonitor: org.gnome.Mutter.IdleMonitor is not on the bus$",
    ):
        run(MutterIdleSource.open(bus_address))


def test_screensaver_reads_idle_and_lock_and_wakes_on_active_changed(
    bus_address: str,
) -> None:
    screensaver = FakeScreenSaver()
    screensaver.idle_ms = 61_000

    async def main() -> list[Reading]:
        service = await serve_screensaver(bus_address, screensaver)
        source = await ScreenSaverSource.open(bus_address)
        readings = [await source.read()]
        woken = await woken_within(
            source.wait_for_change(30), lambda: screensaver.active_changed(active=True)
        )
        assert woken < 1
        readings.append(await source.read())
        await source.close()
        service.disconnect()
        return readings

    assert run(main()) == [Reading(idle_seconds=61.0), Reading(idle_seconds=61.0, locked=True)]


def test_a_screensaver_without_idle_time_is_unavailable(bus_address: str) -> None:
    async def main() -> None:
        service = await serve_screensaver(bus_address, FakeScreenSaver(refuse_idle=True))
        try:
            await ScreenSaverSource.open(bus_address)
        finally:
            service.disconnect()

    with pytest.raises(
        Unavailable,
        match=(
            r"^org.freedesktop.ScreenSaver: GetSessionIdleTime failed: "
            r"org.freedesktop.DBus.Error.NotSupported: not on Wayland$"
        ),
    ):
        run(main())


def test_logind_adds_lock_and_sleep_to_another_source(bus_address: str) -> None:
    manager, session = FakeLoginManager(), FakeLoginSession()
    session.locked = True
    inner = FakeSource(Reading(idle_seconds=5.0, fullscreen=True), name="inner")

    async def main() -> list[Reading]:
        service = await serve_logind(bus_address, manager, session)
        watcher = await LogindWatcher.open(bus_address, inner, {"XDG_SESSION_ID": "32"})
        assert watcher.name == "inner + logind (screen lock, suspend)"
        readings = [await watcher.read()]
        assert (
            await woken_within(watcher.wait_for_change(30), lambda: session.lock(locked=False)) < 1
        )
        readings.append(await watcher.read())
        sleep = manager.prepare_for_sleep
        assert await woken_within(watcher.wait_for_change(30), lambda: sleep(start=True)) < 1
        readings.append(await watcher.read())
        assert await woken_within(watcher.wait_for_change(30), lambda: sleep(start=False)) < 1
        assert await woken_within(watcher.wait_for_change(30), inner.poke) < 1
        readings.append(await watcher.read())
        started = time.monotonic()
        await watcher.wait_for_change(0.1)
        assert 0.09 <= time.monotonic() - started < 1
        await watcher.close()
        service.disconnect()
        return readings

    base = Reading(idle_seconds=5.0, fullscreen=True)
    assert run(main()) == [
        Reading(idle_seconds=5.0, fullscreen=True, locked=True),
        base,
        Reading(idle_seconds=5.0, fullscreen=True, asleep=True),
        base,
    ]
    assert inner.closed
    assert manager.asked == ["32"]


def test_logind_finds_the_session_of_this_process(bus_address: str) -> None:
    manager, session = FakeLoginManager(), FakeLoginSession()

    async def main() -> Reading:
        service = await serve_logind(bus_address, manager, session)
        watcher = await LogindWatcher.open(bus_address, FallbackSource(), {})
        reading = await watcher.read()
        await watcher.close()
        service.disconnect()
        return reading

    assert run(main()) == Reading(idle_seconds=None)
    assert manager.asked[0].startswith("pid ")


def test_logind_with_an_unknown_session_is_unavailable(bus_address: str) -> None:
    async def main() -> None:
        service = await serve_logind(bus_address, FakeLoginManager(), FakeLoginSession())
        try:
            await LogindWatcher.open(bus_address, FallbackSource(), {"XDG_SESSION_ID": "7"})
        finally:
            service.disconnect()

    with pytest.raises(
        Unavailable,
        match=r"^logind: GetSession failed: org.freedesktop.login1.NoSuchSession: no session 7$",
    ):
        run(main())


def chosen(
    environ: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    *services: Callable[[], Awaitable[MessageBus]],
) -> tuple[str, str]:
    """The source choose_source picks with these services running, and its log line."""
    caplog.set_level(logging.INFO, logger="hipflex.reminders")
    caplog.clear()

    async def main() -> str:
        running = [await start() for start in services]
        source = await choose_source(environ)
        await source.close()
        for bus in running:
            bus.disconnect()
        return source.name

    name = run(main())
    (record,) = [r for r in caplog.records if r.name == "hipflex.reminders"]
    assert record.levelno == logging.INFO
    return name, record.getMessage()


def test_choose_source_prefers_gnome(bus_address: str, caplog: pytest.LogCaptureFixture) -> None:
    environ = {"DBUS_SESSION_BUS_ADDRESS": bus_address, "DBUS_SYSTEM_BUS_ADDRESS": bus_address}
    name, line = chosen(
        environ,
        caplog,
        lambda: serve_mutter(bus_address, FakeMutter()),
        lambda: serve_screensaver(bus_address, FakeScreenSaver()),
    )
    assert name == "GNOME (Mutter IdleMonitor)"
    assert line.startswith("activity source: GNOME (Mutter IdleMonitor) (not available: logind")


def test_choose_source_adds_logind_when_the_system_bus_has_it(
    bus_address: str, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "DBUS_SESSION_BUS_ADDRESS": bus_address,
        "DBUS_SYSTEM_BUS_ADDRESS": bus_address,
        "XDG_SESSION_ID": "32",
    }
    name, line = chosen(
        environ,
        caplog,
        lambda: serve_mutter(bus_address, FakeMutter()),
        lambda: serve_logind(bus_address, FakeLoginManager(), FakeLoginSession()),
    )
    assert name == "GNOME (Mutter IdleMonitor) + logind (screen lock, suspend)"
    assert line == f"activity source: {name}"


def test_choose_source_takes_the_screensaver_without_gnome(
    bus_address: str, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {"DBUS_SESSION_BUS_ADDRESS": bus_address, "DBUS_SYSTEM_BUS_ADDRESS": NO_BUS}
    name, line = chosen(environ, caplog, lambda: serve_screensaver(bus_address, FakeScreenSaver()))
    assert name == "org.freedesktop.ScreenSaver (KDE and others)"
    assert line.startswith(f"activity source: {name} (not available: GNOME Mutter IdleMonitor:")


def test_choose_source_takes_x11_when_only_a_display_is_there(
    bus_address: str, xvfb: str, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "DISPLAY": xvfb,
        "DBUS_SESSION_BUS_ADDRESS": bus_address,
        "DBUS_SYSTEM_BUS_ADDRESS": NO_BUS,
    }
    name, line = chosen(environ, caplog)
    assert name == "X11 (XScreenSaver extension)"
    assert line.startswith(f"activity source: {name} (not available: GNOME Mutter IdleMonitor:")
    assert "org.freedesktop.ScreenSaver:" in line
    assert "logind: cannot connect to the D-Bus bus at unix:path=/nonexistent" in line


def test_choose_source_distrusts_xwayland(xvfb: str, caplog: pytest.LogCaptureFixture) -> None:
    environ = {"DISPLAY": xvfb, "WAYLAND_DISPLAY": "wayland-0", "DBUS_SYSTEM_BUS_ADDRESS": NO_BUS}
    name, line = chosen(environ, caplog)
    assert name == FallbackSource.name
    assert "X11 idle time is wrong under Wayland (XWayland)" in line


def test_choose_source_falls_back_to_a_plain_timer(caplog: pytest.LogCaptureFixture) -> None:
    name, line = chosen({"DBUS_SYSTEM_BUS_ADDRESS": NO_BUS}, caplog)
    assert name == "plain timer (no activity information)"
    assert line.startswith(
        "activity source: plain timer (no activity information) "
        "(not available: no session bus; no X display; logind: cannot connect"
    )


def test_the_fallback_and_the_fake() -> None:
    async def main() -> None:
        fallback = FallbackSource()
        assert await fallback.read() == Reading(idle_seconds=None)
        started = time.monotonic()
        await fallback.wait_for_change(0.05)
        assert time.monotonic() - started >= 0.04
        await fallback.close()

        fake = FakeSource()
        assert await woken_within(fake.wait_for_change(30), fake.poke) < 1
        fake.set(Reading(idle_seconds=400.0, locked=True))
        await fake.wait_for_change(30)  # set() pokes: returns at once
        assert await fake.read() == Reading(idle_seconds=400.0, locked=True)
        assert fake.waits == [30, 30]

    run(main())
