"""Installing the reminder with the desktop (systemd user unit, XDG autostart) and the
single-instance lock, across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipflex.reminders.install import (
    DESKTOP_NAME,
    LOCK_FILE,
    UNIT_NAME,
    config_home,
    hold_lock,
    install,
    lock_held,
    uninstall,
)

COMMAND = "/opt/hipflex/bin/hipflex"


def unit_path(config: Path) -> Path:
    return config / "systemd" / "user" / UNIT_NAME


def desktop_path(config: Path) -> Path:
    return config / "autostart" / DESKTOP_NAME


def test_install_writes_the_unit_and_the_autostart_entry(tmp_path: Path) -> None:
    config = tmp_path / "config"
    environ = {"XDG_CONFIG_HOME": str(config), "HIPFLEX_DATA_DIR": "/srv/my data"}
    done = install(COMMAND, environ, use_systemctl=False)
    assert (done.unit, done.desktop, done.systemd) == (
        unit_path(config),
        desktop_path(config),
        "not asked",
    )
    assert done.unit.read_text() == (
        "[Unit]\n"
        "Description=hipflex movement-break reminders\n"
        "PartOf=graphical-session.target\n"
        "After=graphical-session.target\n\n"
        "[Service]\n"
        "ExecStart=/opt/hipflex/bin/hipflex remind\n"
        "Environment=HIPFLEX_DATA_DIR=/srv/my data\n"
        "Restart=on-failure\n"
        "RestartSec=30\n\n"
        "[Install]\n"
        "WantedBy=graphical-session.target\n"
    )
    assert done.desktop.read_text() == (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=hipflex reminders\n"
        "Comment=Reminds you to stand up and move after 30-45 minutes of sitting\n"
        "Exec=/opt/hipflex/bin/hipflex remind\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )
    assert not list(config.rglob(".*partial"))


def test_without_a_data_folder_the_unit_sets_no_environment(tmp_path: Path) -> None:
    done = install(COMMAND, {"XDG_CONFIG_HOME": str(tmp_path)}, use_systemctl=False)
    assert "Environment=" not in done.unit.read_text()


def test_installing_again_overwrites(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    install("/old/hipflex", environ, use_systemctl=False)
    done = install(COMMAND, environ, use_systemctl=False)
    assert "ExecStart=/opt/hipflex/bin/hipflex remind\n" in done.unit.read_text()
    assert "/old/" not in done.desktop.read_text()


def test_uninstall_removes_both_then_has_nothing_to_remove(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    install(COMMAND, environ, use_systemctl=False)
    assert uninstall(environ, use_systemctl=False) == [unit_path(tmp_path), desktop_path(tmp_path)]
    assert not unit_path(tmp_path).exists()
    assert not desktop_path(tmp_path).exists()
    assert uninstall(environ, use_systemctl=False) == []


def test_the_config_folder_defaults_to_home_dot_config() -> None:
    assert config_home({"HOME": "/home/ana"}) == Path("/home/ana/.config")
    assert config_home({"HOME": "/home/ana", "XDG_CONFIG_HOME": "/x"}) == Path("/x")
    assert config_home({"HOME": "/home/ana", "XDG_CONFIG_HOME": ""}) == Path("/home/ana/.config")


@pytest.fixture
def fake_systemctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A systemctl on PATH that logs its arguments; it fails when FAIL_SYSTEMCTL is set."""
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "systemctl.log"
    script = folder / "systemctl"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{calls}"\n'
        'if [ -n "$FAIL_SYSTEMCTL" ]; then echo "Failed to connect to bus" >&2; exit 1; fi\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return calls


def test_install_reloads_and_enables_the_unit_with_systemctl(
    tmp_path: Path, fake_systemctl: Path
) -> None:
    done = install(COMMAND, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert done.systemd == f"systemctl --user enable --now {UNIT_NAME}: done"
    assert fake_systemctl.read_text().splitlines() == [
        "--user daemon-reload",
        f"--user enable --now {UNIT_NAME}",
    ]
    uninstall({"XDG_CONFIG_HOME": str(tmp_path)})
    assert fake_systemctl.read_text().splitlines()[-1] == f"--user disable --now {UNIT_NAME}"


def test_a_failing_systemctl_is_reported_and_the_files_stay(
    tmp_path: Path, fake_systemctl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIL_SYSTEMCTL", "1")
    done = install(COMMAND, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert done.systemd == "systemctl --user daemon-reload failed: Failed to connect to bus"
    assert done.unit.exists()
    assert done.desktop.exists()
    assert fake_systemctl.read_text().splitlines() == ["--user daemon-reload"]


def test_without_systemctl_the_autostart_entry_does_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    done = install(COMMAND, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert done.systemd == "systemctl not found: the autostart entry starts it at login"


HOLDER = """
import sys
from pathlib import Path
from hipflex.reminders.install import hold_lock
handle = hold_lock(Path(sys.argv[1]))
print("held" if handle else "busy", flush=True)
sys.stdin.read()  # hold until the test closes our stdin
"""


def hold_in_another_process(folder: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def release(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    assert process.wait(10) == 0
    if process.stdout is not None:
        process.stdout.close()


def test_the_lock_is_seen_and_refused_across_processes(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    assert not lock_held(folder)  # no lock file yet
    holder = hold_in_another_process(folder)
    try:
        assert lock_held(folder)
        assert hold_lock(folder) is None
        assert (folder / LOCK_FILE).read_text() == str(holder.pid)
    finally:
        release(holder)
    assert not lock_held(folder)  # the holder's exit freed it
    handle = hold_lock(folder)
    assert handle is not None
    try:
        assert (folder / LOCK_FILE).read_text() == str(os.getpid())
        other = subprocess.run(
            [sys.executable, "-c", HOLDER, str(folder)],
            input="",
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        assert other.stdout.strip() == "busy"
    finally:
        handle.close()
    assert not lock_held(folder)


def test_lock_held_does_not_take_the_lock(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    handle = hold_lock(folder)
    assert handle is not None
    handle.close()
    assert not lock_held(folder)
    assert not lock_held(folder)  # asking twice leaves it free
    again = hold_lock(folder)
    assert again is not None
    again.close()
