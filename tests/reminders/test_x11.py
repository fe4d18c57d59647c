"""X11Source against a real Xvfb, with input injected by xdotool.

No window manager runs on the Xvfb, so the test plays its part for full screen: it sets
_NET_ACTIVE_WINDOW on the root window and _NET_WM_STATE on its own window, as an EWMH
window manager would.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from Xlib import X, Xatom
from Xlib.display import Display

from hipflex.reminders.sources import Unavailable
from hipflex.reminders.x11 import X11Source
from tests.conftest import require_tool
from tests.reminders.conftest import XVFB_HINT

_positions = itertools.count(10, 7)


def xdotool(display: str, *args: str) -> None:
    binary = require_tool("xdotool", XVFB_HINT)
    subprocess.run([binary, *args], env={"DISPLAY": display}, check=True, timeout=10)


def test_idle_time_grows_and_drops_after_injected_input(xvfb: str) -> None:
    async def main() -> list[float]:
        source = await X11Source.open(xvfb)
        assert source.name == "X11 (XScreenSaver extension)"
        position = str(next(_positions))
        idle: list[float] = []
        try:
            for command in (("mousemove", position, position), ("key", "shift")):
                await asyncio.to_thread(xdotool, xvfb, *command)
                idle.append(await _idle(source))  # just after the input
                await asyncio.sleep(0.8)
                idle.append(await _idle(source))  # after a quiet spell
        finally:
            await source.close()
        return idle

    after_move, quiet_1, after_key, quiet_2 = asyncio.run(main())
    assert after_move < 0.5
    assert quiet_1 >= after_move + 0.75
    assert after_key < 0.5 < quiet_1
    assert quiet_2 >= after_key + 0.75


async def _idle(source: X11Source) -> float:
    reading = await source.read()
    assert reading.idle_seconds is not None
    assert not reading.locked
    return reading.idle_seconds


@pytest.fixture
def x_client(xvfb: str) -> Iterator[Any]:
    display = Display(xvfb)
    yield display
    root = display.screen().root
    root.delete_property(display.intern_atom("_NET_ACTIVE_WINDOW"))
    display.close()


def _window(display: Any, *states: str) -> Any:
    root = display.screen().root
    window = root.create_window(0, 0, 200, 100, 0, X.CopyFromParent)
    window.map()
    _set_state(display, window, *states)
    return window


def _set_state(display: Any, window: Any, *states: str) -> None:
    atoms = [display.intern_atom(state) for state in states]
    window.change_property(display.intern_atom("_NET_WM_STATE"), Xatom.ATOM, 32, atoms)
    display.sync()


def _activate(display: Any, window_id: int) -> None:
    root = display.screen().root
    root.change_property(display.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [window_id])
    display.sync()


def read_fullscreen(display: str) -> bool:
    async def main() -> bool:
        source = await X11Source.open(display)
        try:
            return (await source.read()).fullscreen
        finally:
            await source.close()

    return asyncio.run(main())


def test_a_full_screen_active_window_is_do_not_disturb(xvfb: str, x_client: Any) -> None:
    assert not read_fullscreen(xvfb)  # no window manager: no active window at all

    video = _window(x_client, "_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_ABOVE")
    _activate(x_client, video.id)
    assert read_fullscreen(xvfb)

    _set_state(x_client, video)  # left full screen
    assert not read_fullscreen(xvfb)

    editor = _window(x_client, "_NET_WM_STATE_MAXIMIZED_VERT")
    _activate(x_client, editor.id)
    assert not read_fullscreen(xvfb)


def test_an_active_window_that_is_gone_is_not_full_screen(xvfb: str, x_client: Any) -> None:
    window = _window(x_client, "_NET_WM_STATE_FULLSCREEN")
    _activate(x_client, window.id)
    window.destroy()
    x_client.sync()
    assert not read_fullscreen(xvfb)


def test_a_display_that_is_not_there_is_unavailable() -> None:
    async def main() -> None:
        await X11Source.open(":1987")

    with pytest.raises(Unavailable, match=r"cannot open display :1987"):
        asyncio.run(main())


def test_wait_for_change_sleeps_the_timeout(xvfb: str) -> None:
    async def main() -> float:
        source = await X11Source.open(xvfb)
        started = time.monotonic()
        await source.wait_for_change(0.2)
        await source.close()
        return time.monotonic() - started

    assert 0.19 <= asyncio.run(main()) < 1.0
