"""Real platforms for the reminder adapters: an Xvfb X server and a private D-Bus bus,
each started per test module or test and stopped even when the test fails."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

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
