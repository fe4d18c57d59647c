"""A thin D-Bus client over dbus-fast: connect, call, read a property, follow a signal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from dbus_fast import Message, MessageFlag, MessageType
from dbus_fast.aio import MessageBus
from dbus_fast.errors import DBusFastError

from hipflex.reminders.sources import Unavailable

#: A desktop service that does not answer in this time is treated as absent.
CALL_TIMEOUT_SECONDS = 5.0
_BUS_ERRORS = (OSError, EOFError, DBusFastError, TimeoutError)
_NOT_THERE = (
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
)


class CallFailed(Unavailable):
    """A D-Bus call answered with an error (no such service, method or property)."""

    def __init__(self, message: str, error_name: str = "") -> None:
        super().__init__(message)
        self.error_name = error_name


class Bus:
    """One connection to a bus, and the signal handlers registered on it."""

    def __init__(self, connection: MessageBus, address: str) -> None:
        self._connection = connection
        self.address = address

    @classmethod
    async def connect(cls, address: str) -> Bus:
        try:
            connection = await asyncio.wait_for(
                MessageBus(bus_address=address).connect(), CALL_TIMEOUT_SECONDS
            )
        except _BUS_ERRORS as exc:
            msg = f"cannot connect to the D-Bus bus at {address} ({exc or type(exc).__name__})"
            raise Unavailable(msg) from exc
        return cls(connection, address)

    @property
    def unique_name(self) -> str:
        return str(self._connection.unique_name)

    async def call(  # noqa: PLR0917 - a D-Bus call is these five things, in this order
        self,
        destination: str,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: Sequence[Any] = (),
        *,
        auto_start: bool = True,
    ) -> list[Any]:
        message = Message(
            destination=destination,
            path=path,
            interface=interface,
            member=member,
            signature=signature,
            body=list(body),
            flags=MessageFlag.NONE if auto_start else MessageFlag.NO_AUTOSTART,
        )
        try:
            reply = await asyncio.wait_for(self._connection.call(message), CALL_TIMEOUT_SECONDS)
        except _BUS_ERRORS as exc:
            msg = f"{member} failed ({exc or type(exc).__name__})"
            raise CallFailed(msg) from exc
        if reply.message_type is MessageType.ERROR:
            error = str(reply.error_name)
            if error in _NOT_THERE:
                msg = f"{destination} is not on the bus"
            else:
                msg = f"{member} failed: {error}: {reply.body[0] if reply.body else ''}"
            raise CallFailed(msg, error)
        return list(reply.body)

    async def get_property(self, destination: str, path: str, interface: str, name: str) -> Any:
        body = await self.call(
            destination, path, "org.freedesktop.DBus.Properties", "Get", "ss", [interface, name]
        )
        return body[0].value

    async def follow(
        self, *, path: str, interface: str, member: str, on_signal: Callable[[list[Any]], None]
    ) -> None:
        """Call on_signal with each matching signal's arguments, whoever sends it."""
        rule = f"type='signal',path='{path}',interface='{interface}',member='{member}'"
        await self.call(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "AddMatch", "s", [rule],
        )  # fmt: skip

        def handle(message: Message) -> None:
            if (
                message.message_type is MessageType.SIGNAL
                and message.path == path
                and message.interface == interface
                and message.member == member
            ):
                on_signal(list(message.body))

        self._connection.add_message_handler(handle)

    def close(self) -> None:
        self._connection.disconnect()
