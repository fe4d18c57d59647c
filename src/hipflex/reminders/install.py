"""Starting the reminder with the desktop: a systemd user unit and an XDG autostart entry.

Both may be installed: the daemon holds a lock, so a second copy exits at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hipflex.domain.breaks import DAEMON_STATUS_FILE
from hipflex.files import write_file

UNIT_NAME = "hipflex-remind.service"
DESKTOP_NAME = "hipflex-remind.desktop"
# The daemon's files in the data folder: its single-instance lock and its status.
LOCK_FILE = "remind.lock"
STATUS_FILE = DAEMON_STATUS_FILE


def config_home(environ: Mapping[str, str]) -> Path:
    given = environ.get("XDG_CONFIG_HOME")
    return Path(given) if given else Path(environ.get("HOME", "~")).expanduser() / ".config"


@dataclass(frozen=True)
class Installed:
    unit: Path
    desktop: Path
    systemd: str  # what systemctl said, or why it was not used


def _unit(command: str, environ: Mapping[str, str]) -> str:
    data_dir = environ.get("HIPFLEX_DATA_DIR")
    extra = f"Environment=HIPFLEX_DATA_DIR={data_dir}\n" if data_dir else ""
    return (
        "[Unit]\n"
        "Description=hipflex movement-break reminders\n"
        "PartOf=graphical-session.target\n"
        "After=graphical-session.target\n\n"
        "[Service]\n"
        f"ExecStart={command} remind\n"
        f"{extra}"
        "Restart=on-failure\n"
        "RestartSec=30\n\n"
        "[Install]\n"
        "WantedBy=graphical-session.target\n"
    )


def _desktop(command: str) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=hipflex reminders\n"
        "Comment=Reminds you to stand up and move after 30-45 minutes of sitting\n"
        f"Exec={command} remind\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _systemctl(*args: str) -> str:
    program = shutil.which("systemctl")
    if program is None:
        return "systemctl not found: the autostart entry starts it at login"
    done = subprocess.run(  # noqa: S603 - a fixed program and fixed arguments
        [program, "--user", *args], capture_output=True, text=True, check=False, timeout=30
    )
    if done.returncode:
        return f"systemctl --user {' '.join(args)} failed: {done.stderr.strip() or done.returncode}"
    return f"systemctl --user {' '.join(args)}: done"


def install(command: str, environ: Mapping[str, str], *, use_systemctl: bool = True) -> Installed:
    home = config_home(environ)
    unit = home / "systemd" / "user" / UNIT_NAME
    desktop = home / "autostart" / DESKTOP_NAME
    for path, text in ((unit, _unit(command, environ)), (desktop, _desktop(command))):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, text.encode("utf-8"))
    said = "not asked"
    if use_systemctl:
        said = _systemctl("daemon-reload")
        if said.endswith("done"):
            said = _systemctl("enable", "--now", UNIT_NAME)
    return Installed(unit, desktop, said)


def uninstall(environ: Mapping[str, str], *, use_systemctl: bool = True) -> list[Path]:
    home = config_home(environ)
    if use_systemctl:
        _systemctl("disable", "--now", UNIT_NAME)
    removed = []
    for path in (home / "systemd" / "user" / UNIT_NAME, home / "autostart" / DESKTOP_NAME):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def hold_lock(folder: Path) -> IO[str] | None:
    """The single-instance lock, held for the daemon's life; None if another holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / LOCK_FILE).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def lock_held(folder: Path) -> bool:
    """Is a daemon running (holding the lock)?"""
    path = folder / LOCK_FILE
    if not path.exists():
        return False
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False
