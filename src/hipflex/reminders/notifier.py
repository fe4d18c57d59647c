"""Notifiers: show a break reminder with actions and hand back the user's answer.

The loop awaits `next_answer()` against its next due time, e.g.
`await asyncio.wait_for(notifier.next_answer(), seconds)`: answers wait in a queue, so
nothing polls and a timeout loses no answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol, Self

from dbus_fast import Variant

from hipflex.reminders.bus import Bus
from hipflex.reminders.sources import Unavailable, session_bus_address

LOG = logging.getLogger("hipflex.reminders")

#: Closed without an action (by the user, or by anyone but us). The actions themselves,
#: ids and labels, come with each reminder from hipflex (hipflex.domain.safety).
DISMISSED = "dismissed"
#: The notification server let it time out unanswered.
EXPIRED = "expired"

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
URGENCY_NORMAL = 1
CLOSED_EXPIRED = 1


class Notifier(Protocol):
    name: str

    async def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> None:
        """Show the reminder (action id, label), replacing the one showing, if any."""
        ...

    async def next_answer(self) -> str:
        """The next answer: an action id, DISMISSED or EXPIRED. Safe to cancel."""
        ...

    async def withdraw(self) -> None:
        """Take the reminder away unanswered (the user left for a natural break)."""
        ...

    async def close(self) -> None: ...


class DBusNotifier:
    """Desktop notifications (org.freedesktop.Notifications) with action buttons."""

    name = "desktop notifications (org.freedesktop.Notifications)"

    def __init__(self, bus: Bus) -> None:
        self._bus = bus
        self._answers: asyncio.Queue[str] = asyncio.Queue()
        self._showing = 0  # the server's id of our notification on screen, 0 for none
        # Signals that arrive while a Notify call waits for its reply may be about the
        # notification it shows, whose id is not known yet: they are kept and read then.
        self._early: list[tuple[Callable[[list[Any]], None], list[Any]]] | None = None
        self.server = ""
        self.supports_actions = False

    @classmethod
    async def open(cls, address: str) -> Self:
        bus = await Bus.connect(address)
        notifier = cls(bus)
        try:
            await notifier._start()
        except Unavailable as exc:
            bus.close()
            raise Unavailable(f"desktop notifications: {exc}") from exc
        return notifier

    async def _start(self) -> None:
        for member, handler in (
            ("ActionInvoked", self._action_invoked),
            ("NotificationClosed", self._closed),
        ):
            await self._bus.follow(
                path=NOTIFICATIONS_PATH, interface=NOTIFICATIONS, member=member, on_signal=handler
            )
        info = await self._call("GetServerInformation")
        self.server = f"{info[0]} {info[2]}".strip()
        (capabilities,) = await self._call("GetCapabilities")
        self.supports_actions = "actions" in capabilities

    async def _call(self, member: str, signature: str = "", body: Sequence[Any] = ()) -> list[Any]:
        return await self._bus.call(
            NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, member, signature, body
        )

    def _action_invoked(self, body: list[Any]) -> None:
        if self._early is not None:
            self._early.append((self._action_invoked, body))
            return
        notification, action = int(body[0]), str(body[1])
        if notification and notification == self._showing:
            self._showing = 0  # the NotificationClosed that follows is not a dismissal
            self._answers.put_nowait(action)

    def _closed(self, body: list[Any]) -> None:
        if self._early is not None:
            self._early.append((self._closed, body))
            return
        notification, reason = int(body[0]), int(body[1])
        if notification and notification == self._showing:
            self._showing = 0
            self._answers.put_nowait(EXPIRED if reason == CLOSED_EXPIRED else DISMISSED)

    async def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> None:
        flat = [part for action in actions for part in action]
        hints = {"urgency": Variant("y", URGENCY_NORMAL)}
        self._early = []
        try:
            (notification,) = await self._call(
                "Notify",
                "susssasa{sv}i",
                ["hipflex", self._showing, "", title, body, flat, hints, 0],  # 0: never expires
            )
            self._showing = int(notification)
        finally:
            early, self._early = self._early, None
            for handler, signal in early:  # an answer given at once is not lost
                handler(signal)

    async def next_answer(self) -> str:
        return await self._answers.get()

    async def withdraw(self) -> None:
        notification, self._showing = self._showing, 0
        if notification:
            await self._call("CloseNotification", "u", [notification])

    async def close(self) -> None:
        with contextlib.suppress(Unavailable):
            await self.withdraw()
        self._bus.close()


#: One letter per action id for the terminal (a test keeps them in step with
#: hipflex.domain.safety.BreakAction); other actions answer to their first letter.
TERMINAL_KEYS = {"start": "s", "done": "d", "snooze": "z", "skip": "k"}


def _key(action: str) -> str:
    return TERMINAL_KEYS.get(action, action[:1].lower())


class TerminalNotifier:
    """The reminder printed to a terminal with a bell; answers are typed letters."""

    name = "terminal"

    def __init__(self, output: IO[str], answers_from: IO[Any] | None) -> None:
        self._output = output
        self._input = answers_from
        self._answers: asyncio.Queue[str] = asyncio.Queue()
        self._offered: dict[str, str] = {}  # key -> action id, while a reminder shows
        self._pending = b""
        self._listening = False
        self._reader_fd: int | None = None
        with contextlib.suppress(RuntimeError):  # no loop yet: listen from the first show
            self._listen()

    async def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> None:
        self._offered = {_key(action): action for action, _ in actions}
        self._listen()
        choices = "   ".join(f"[{_key(action)}] {label}" for action, label in actions)
        self._write(f"\a\n{title}\n{body}\n  {choices}\nType a letter and press Enter: ")

    def _write(self, text: str) -> None:
        self._output.write(text)
        self._output.flush()

    def _listen(self) -> None:
        """Read answers as they come (and drop what is typed while no reminder shows): a
        reader on the event loop, else a thread (a regular file cannot be watched)."""
        if self._listening or self._input is None:
            return
        self._listening = True
        fd = self._input.fileno()
        loop = asyncio.get_running_loop()
        try:
            loop.add_reader(fd, self._readable, fd)
            self._reader_fd = fd
        except (OSError, NotImplementedError):  # a regular file, or a loop without readers
            threading.Thread(target=self._read_thread, args=(fd, loop), daemon=True).start()

    def _readable(self, fd: int) -> None:
        try:
            data = os.read(fd, 1024)
        except BlockingIOError:
            return
        self._feed(data)

    def _read_thread(self, fd: int, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(RuntimeError, OSError):  # the loop or the input closed
            while data := os.read(fd, 1024):
                loop.call_soon_threadsafe(self._feed, data)
            loop.call_soon_threadsafe(self._feed, b"")

    def _feed(self, data: bytes) -> None:
        """Bytes typed; b"" at end of input. Each line is one answer."""
        if not data:
            self._stop_reading()
            data = b"\n"
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            typed = line.decode(errors="replace").strip().lower()
            action = self._offered.get(typed, typed)
            if action in self._offered.values():
                self._offered = {}
                self._answers.put_nowait(action)

    def _stop_reading(self) -> None:
        if self._reader_fd is not None:
            asyncio.get_running_loop().remove_reader(self._reader_fd)
            self._reader_fd = None

    async def next_answer(self) -> str:
        return await self._answers.get()

    async def withdraw(self) -> None:
        if self._offered:
            self._offered = {}
            self._write("\n(The break reminder is withdrawn: no answer needed.)\n")

    async def close(self) -> None:
        self._stop_reading()


@dataclass(frozen=True)
class Shown:
    title: str
    body: str
    actions: tuple[tuple[str, str], ...]


class FakeNotifier:
    """Records what was shown; a test answers with answer()."""

    name = "fake"

    def __init__(self) -> None:
        self.shown: list[Shown] = []
        self.withdrawn = 0
        self.closed = False
        self._answers: asyncio.Queue[str] = asyncio.Queue()

    async def show(self, title: str, body: str, actions: Sequence[tuple[str, str]]) -> None:
        self.shown.append(Shown(title, body, tuple(actions)))

    def answer(self, action: str) -> None:
        self._answers.put_nowait(action)

    async def next_answer(self) -> str:
        return await self._answers.get()

    async def withdraw(self) -> None:
        self.withdrawn += 1

    async def close(self) -> None:
        self.closed = True


async def choose_notifier(
    environ: Mapping[str, str], output: IO[str], answers_from: IO[Any] | None
) -> Notifier:
    """Desktop notifications with actions when the session has a server, else the terminal."""
    address = session_bus_address(environ)
    reason = "no session bus"
    if address is not None:
        try:
            notifier = await DBusNotifier.open(address)
        except Unavailable as exc:
            reason = str(exc)
        else:
            if notifier.supports_actions:
                LOG.info("notifier: %s (%s)", notifier.name, notifier.server)
                return notifier
            reason = f"{notifier.server} shows no action buttons"
            await notifier.close()
    LOG.info("notifier: terminal (not available: desktop notifications, %s)", reason)
    return TerminalNotifier(output, answers_from)
