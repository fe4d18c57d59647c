"""X11 activity: idle time from the XScreenSaver extension, full screen from EWMH hints.

python-xlib speaks the X protocol in-process; a reading is two or three short round
trips. They run in a worker thread (asyncio.to_thread) so that a stalled X server can
never freeze the daemon's loop, one at a time because an Xlib display is not shared
between threads safely.
"""

from __future__ import annotations

import asyncio
from typing import Any, Self

from Xlib import X, Xatom
from Xlib import error as xerror
from Xlib.display import Display

from hipflex.reminders.sources import Reading, Unavailable

_X_ERRORS = (xerror.XError, xerror.ConnectionClosedError, OSError)


class X11Source:
    """Idle time of an X session (not XWayland: it misses input to Wayland windows)."""

    name = "X11 (XScreenSaver extension)"

    def __init__(self, display: Any, display_name: str) -> None:
        self._display = display
        self._root = display.screen().root
        self._atoms = {
            name: display.intern_atom(name)
            for name in ("_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
        }
        self.display_name = display_name
        self._turn = asyncio.Lock()

    @classmethod
    async def open(cls, display_name: str) -> Self:
        return await asyncio.to_thread(cls._connect, display_name)

    @classmethod
    def _connect(cls, display_name: str) -> Self:
        try:
            display = Display(display_name)
        except (xerror.DisplayError, xerror.XauthError, *_X_ERRORS) as exc:
            msg = f"X11: cannot open display {display_name} ({exc})"
            raise Unavailable(msg) from exc
        if not display.has_extension("MIT-SCREEN-SAVER"):
            display.close()
            msg = f"X11: display {display_name} has no XScreenSaver extension"
            raise Unavailable(msg)
        return cls(display, display_name)

    async def read(self) -> Reading:
        async with self._turn:
            return await asyncio.to_thread(self._read)

    def _read(self) -> Reading:
        try:
            idle_ms = int(self._root.screensaver_query_info().idle)
            fullscreen = self._active_window_fullscreen()
        except _X_ERRORS as exc:
            msg = f"X11: lost display {self.display_name} ({exc})"
            raise Unavailable(msg) from exc
        return Reading(idle_seconds=idle_ms / 1000, fullscreen=fullscreen)

    def _active_window_fullscreen(self) -> bool:
        """The window manager's active window asks to be full screen (a video, a talk)."""
        active = self._root.get_full_property(self._atoms["_NET_ACTIVE_WINDOW"], X.AnyPropertyType)
        if active is None or len(active.value) == 0 or not active.value[0]:
            return False  # no EWMH window manager, or nothing focused
        window = self._display.create_resource_object("window", int(active.value[0]))
        try:
            state = window.get_full_property(self._atoms["_NET_WM_STATE"], Xatom.ATOM)
        except xerror.BadWindow:
            return False  # closed since the window manager named it
        return state is not None and self._atoms["_NET_WM_STATE_FULLSCREEN"] in state.value

    async def wait_for_change(self, timeout: float) -> None:
        # X11 has no idle watch that python-xlib speaks (XSync's IDLETIME counter): the
        # loop's timeout paces the readings; logind adds lock and resume events.
        await asyncio.sleep(max(0.0, timeout))

    async def close(self) -> None:
        async with self._turn:
            await asyncio.to_thread(self._display.close)
