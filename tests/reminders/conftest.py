"""Real platforms for the reminder adapters: an Xvfb X server and a private D-Bus bus,
each started per test module or test and stopped even when the test fails; and a test
notification server to export on that bus."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest
from dbus_fast import Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, dbus_method, dbus_signal

from tests.conftest import require_tool

XVFB_HINT = "Debian: apt-get install xvfb xdotool; .ci/run installs them"
DBUS_HINT = "Debian: apt-get install dbus; .ci/run installs it"
READY_SECONDS = 10.0

#: A bus that only the test's own services live on: no service activation, anyone may own
#: any name and talk to anyone.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _read_ready_line(process: subprocess.Popen[bytes], stream: int, what: str) -> str:
    """The first line a starting server writes to stream when it is ready."""
    line = b""
    while not line.endswith(b"\n"):
        readable, _, _ = select.select([stream], [], [], READY_SECONDS)
        chunk = os.read(stream, 256) if readable else b""
        if not chunk:
            stop(process)
            pytest.fail(f"{what} did not start within {READY_SECONDS} s")
        line += chunk
    return line.decode().strip()


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def xvfb() -> Iterator[str]:
    """DISPLAY of a fresh Xvfb. -displayfd picks a free display and says when it is up;
    -noreset keeps it from resetting (and dropping new clients) whenever the last one
    disconnects, which happens between tests."""
    binary = require_tool("Xvfb", XVFB_HINT)
    ready, tell = os.pipe()
    screen = ("-screen", "0", "1024x768x24")
    process = subprocess.Popen(
        [binary, "-displayfd", str(tell), *screen, "-nolisten", "tcp", "-noreset"],
        pass_fds=(tell,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(tell)
    try:
        display = ":" + _read_ready_line(process, ready, "Xvfb")
        yield display
    finally:
        os.close(ready)
        stop(process)


@pytest.fixture
def bus_address() -> Iterator[str]:
    """Address of a private dbus-daemon, for one test."""
    binary = require_tool("dbus-daemon", DBUS_HINT)
    folder = Path(tempfile.mkdtemp(prefix="hipflex-bus-"))  # short: socket paths are limited
    config = folder / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=folder))
    process = subprocess.Popen(
        [binary, f"--config-file={config}", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    try:
        yield _read_ready_line(process, process.stdout.fileno(), "dbus-daemon")
    finally:
        stop(process)
        process.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


NOTIFICATIONS = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


@dataclass(frozen=True)
class NotifyCall:
    app_name: str
    replaces_id: int
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    expire_timeout: int


class TestNotificationServer(ServiceInterface):
    """Records Notify calls and hands out ids; the test sends the user's answers."""

    __test__ = False

    def __init__(self, capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        super().__init__(NOTIFICATIONS)
        self.calls: list[NotifyCall] = []
        self.closed_by_call: list[int] = []
        self.capabilities = capabilities
        #: An action the user picks the instant a notification shows: its signals go out
        #: before Notify's reply, as a busy client can read them.
        self.answer_at_once: str | None = None
        self._last_id = 0

    @dbus_method(name="Notify")
    def notify(  # noqa: PLR0917 - the specification's argument list
        self,
        app_name: DBusStr,
        replaces_id: DBusUInt32,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: Annotated[list[str], DBusSignature("as")],
        hints: Annotated[dict[str, Variant], DBusSignature("a{sv}")],
        expire_timeout: DBusInt32,
    ) -> DBusUInt32:
        assert app_icon == ""
        plain_hints = {name: value.value for name, value in hints.items()}
        self.calls.append(
            NotifyCall(app_name, replaces_id, summary, body, actions, plain_hints, expire_timeout)
        )
        if not replaces_id:
            self._last_id += 1
        notification = replaces_id or self._last_id
        if self.answer_at_once is not None:
            self.action_invoked(notification, self.answer_at_once)
            self.notification_closed(notification, 2)
        return notification

    @dbus_method(name="GetCapabilities")
    def get_capabilities(self) -> Annotated[list[str], DBusSignature("as")]:
        return list(self.capabilities)

    @dbus_method(name="GetServerInformation")
    def get_server_information(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["test-notifications", "hipflex tests", "1.0", "1.2"]

    # No "-> None": dbus-fast would read the string "None" as a D-Bus signature.
    @dbus_method(name="CloseNotification")
    def close_notification(self, notification: DBusUInt32):  # type: ignore[no-untyped-def]
        self.closed_by_call.append(notification)
        self.notification_closed(notification, 3)

    @dbus_signal(name="ActionInvoked")
    def action_invoked(
        self, notification: int, action: str
    ) -> Annotated[list[Any], DBusSignature("us")]:
        return [notification, action]

    @dbus_signal(name="NotificationClosed")
    def notification_closed(
        self, notification: int, reason: int
    ) -> Annotated[list[Any], DBusSignature("uu")]:
        return [notification, reason]


async def serve(address: str, server: TestNotificationServer) -> MessageBus:
    bus = await MessageBus(bus_address=address).connect()
    bus.export(PATH, server)
    await bus.request_name(NOTIFICATIONS)
    return bus
