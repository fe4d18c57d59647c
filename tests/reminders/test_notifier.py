"""Notifiers: DBusNotifier against a test notification server on a private D-Bus bus, the
terminal notifier over pipes, and the fake."""

from __future__ import annotations

import asyncio
import io
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from hipflex.domain.safety import ACTION_LABELS, BreakAction
from hipflex.reminders.notifier import (
    DISMISSED,
    EXPIRED,
    TERMINAL_KEYS,
    DBusNotifier,
    FakeNotifier,
    Shown,
    TerminalNotifier,
    choose_notifier,
)
from hipflex.reminders.sources import Unavailable
from tests.reminders.conftest import NotifyCall, TestNotificationServer, serve

QUIET_SECONDS = 0.2  # how long "no answer arrives" is watched for
#: A screened user's reminder answers, as hipflex sends them to the daemon.
ACTIONS = tuple(
    (action.value, ACTION_LABELS[action])
    for action in (BreakAction.START, BreakAction.SNOOZE, BreakAction.SKIP)
)


def test_the_terminal_has_one_letter_for_each_of_the_domains_answers() -> None:
    assert set(TERMINAL_KEYS) == {action.value for action in BreakAction}
    assert len(set(TERMINAL_KEYS.values())) == len(TERMINAL_KEYS)
    assert not {DISMISSED, EXPIRED} & set(TERMINAL_KEYS)


def with_server(
    address: str,
    test: Callable[[TestNotificationServer, DBusNotifier], Awaitable[None]],
    server: TestNotificationServer | None = None,
) -> TestNotificationServer:
    server = server or TestNotificationServer()

    async def main() -> None:
        service = await serve(address, server)
        notifier = await DBusNotifier.open(address)
        try:
            await test(server, notifier)
        finally:
            await notifier.close()
            service.disconnect()

    asyncio.run(main())
    return server


async def answer(notifier: DBusNotifier | TerminalNotifier | FakeNotifier) -> str:
    return await asyncio.wait_for(notifier.next_answer(), 5)


async def assert_no_answer(notifier: DBusNotifier | TerminalNotifier) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(notifier.next_answer(), QUIET_SECONDS)


def test_show_sends_the_actions_and_a_snooze_comes_back(bus_address: str) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        assert notifier.supports_actions
        assert notifier.server == "test-notifications 1.0"
        await notifier.show("Time to move", "You have sat for 40 minutes.", ACTIONS)
        (call,) = server.calls
        assert call == NotifyCall(
            app_name="hipflex",
            replaces_id=0,
            summary="Time to move",
            body="You have sat for 40 minutes.",
            actions=["start", "Start the break routine", "snooze", "Snooze 5 min", "skip", "Skip"],
            hints={"urgency": 1},
            expire_timeout=0,
        )
        server.action_invoked(1, "snooze")
        server.notification_closed(1, 2)  # servers close a notification after its action
        assert await answer(notifier) == "snooze"
        await assert_no_answer(notifier)  # the close that follows is not a dismissal

    with_server(bus_address, test)


def test_closing_without_an_action_is_dismissed_and_timing_out_expired(
    bus_address: str,
) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        await notifier.show("Time to move", "", ACTIONS)
        server.notification_closed(1, 2)
        assert await answer(notifier) == DISMISSED
        await notifier.show("Time to move", "", ACTIONS)
        server.notification_closed(2, 1)
        assert await answer(notifier) == EXPIRED
        assert [call.replaces_id for call in server.calls] == [0, 0]  # each a new one

    with_server(bus_address, test)


def test_showing_again_replaces_the_notification_on_screen(bus_address: str) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        await notifier.show("Time to move", "", ACTIONS)
        await notifier.show("Time to move", "Snoozed twice: no more snoozes.", ACTIONS[::2])
        assert [call.replaces_id for call in server.calls] == [0, 1]
        assert server.calls[1].actions == ["start", "Start the break routine", "skip", "Skip"]
        server.action_invoked(1, "start")
        assert await answer(notifier) == "start"

    with_server(bus_address, test)


def test_an_answer_that_comes_before_the_notifications_id_is_not_lost(bus_address: str) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        server.answer_at_once = "skip"
        await notifier.show("Time to move", "", ACTIONS)
        assert await answer(notifier) == "skip"
        await assert_no_answer(notifier)  # its close is not a second answer
        await notifier.show("Time to move", "", ACTIONS)  # and a new reminder is answered
        assert await answer(notifier) == "skip"

    with_server(bus_address, test)


def test_other_notifications_signals_are_ignored(bus_address: str) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        server.action_invoked(1, "snooze")  # before anything is shown
        await assert_no_answer(notifier)
        await notifier.show("Time to move", "", ACTIONS)
        server.action_invoked(7, "skip")
        server.notification_closed(7, 2)
        await assert_no_answer(notifier)
        server.action_invoked(1, "skip")
        assert await answer(notifier) == "skip"
        server.action_invoked(1, "snooze")  # a second answer to the same reminder
        await assert_no_answer(notifier)

    with_server(bus_address, test)


def test_withdraw_closes_the_notification_without_an_answer(bus_address: str) -> None:
    async def test(server: TestNotificationServer, notifier: DBusNotifier) -> None:
        await notifier.show("Time to move", "", ACTIONS)
        await notifier.withdraw()
        assert server.closed_by_call == [1]
        await assert_no_answer(notifier)
        await notifier.withdraw()  # nothing showing: nothing to close
        assert server.closed_by_call == [1]

    with_server(bus_address, test)


def test_no_notification_server_is_unavailable(bus_address: str) -> None:
    async def main() -> None:
        await DBusNotifier.open(bus_address)

    with pytest.raises(
        Unavailable,
        match=r"^desktop notifications: org.freedesktop.Notifications is not on the bus$",
    ):
        asyncio.run(main())


def test_choose_notifier_prefers_the_desktop_and_logs_it(
    bus_address: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hipflex.reminders")
    environ = {"DBUS_SESSION_BUS_ADDRESS": bus_address}

    async def main() -> tuple[str, str, str]:
        without = await choose_notifier(environ, io.StringIO(), None)
        service = await serve(bus_address, TestNotificationServer())
        with_actions = await choose_notifier(environ, io.StringIO(), None)
        await with_actions.close()
        service.disconnect()
        plain = await serve(bus_address, TestNotificationServer(capabilities=("body",)))
        no_buttons = await choose_notifier(environ, io.StringIO(), None)
        plain.disconnect()
        return without.name, with_actions.name, no_buttons.name

    assert asyncio.run(main()) == ("terminal", DBusNotifier.name, "terminal")
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3
    assert lines[0].startswith("notifier: terminal (not available: desktop notifications")
    assert lines[1] == f"notifier: {DBusNotifier.name} (test-notifications 1.0)"
    assert lines[2].endswith("test-notifications 1.0 shows no action buttons)")


def test_the_terminal_prints_the_reminder_and_reads_letters() -> None:
    output = io.StringIO()
    read_end, write_end = os.pipe()

    async def main() -> list[str]:
        with os.fdopen(read_end, "rb", buffering=0) as typed:
            notifier = TerminalNotifier(output, typed)
            os.write(write_end, b"s\n")  # typed before any reminder: not an answer
            await asyncio.sleep(0.05)
            await notifier.show("Time to move", "You have sat for 40 minutes.", ACTIONS)
            await asyncio.sleep(0.05)
            answers = []
            for keys in (b"x\n", b" Z \n", b"k\n"):
                os.write(write_end, keys)
                await asyncio.sleep(0.05)
            answers.append(await answer(notifier))
            await assert_no_answer(notifier)  # one answer per reminder: "k" came too late
            await notifier.show("Time to move", "", ACTIONS[::2])
            os.write(write_end, b"z\nskip")  # snooze is not offered; "skip" spelled out
            os.close(write_end)  # end of input completes the last line
            answers.append(await answer(notifier))
            await notifier.withdraw()
            await notifier.close()
            return answers

    assert asyncio.run(main()) == ["snooze", "skip"]
    text = output.getvalue()
    assert text.startswith("\a\nTime to move\nYou have sat for 40 minutes.\n")
    assert "[s] Start the break routine   [z] Snooze 5 min   [k] Skip" in text
    assert "[s] Start the break routine   [k] Skip" in text


def test_the_terminal_answers_from_a_file_through_a_thread(tmp_path: Any) -> None:
    typed = tmp_path / "answers.txt"
    typed.write_text("k\n")

    async def main() -> str:
        with typed.open("rb") as answers_from:
            notifier = TerminalNotifier(io.StringIO(), answers_from)
            await notifier.show("Time to move", "", ACTIONS)
            return await answer(notifier)

    assert asyncio.run(main()) == "skip"


def test_the_fake_records_and_answers() -> None:
    async def main() -> str:
        notifier = FakeNotifier()
        await notifier.show("Time to move", "body", ACTIONS)
        notifier.answer("start")
        await notifier.withdraw()
        await notifier.close()
        assert notifier.shown == [Shown("Time to move", "body", ACTIONS)]
        assert (notifier.withdrawn, notifier.closed) == (1, True)
        return await answer(notifier)

    assert asyncio.run(main()) == "start"
