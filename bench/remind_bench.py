"""The reminder daemon at idle: resident memory, CPU time and wake-ups.

Goal (issue 7): at most 40 MB resident and no more than one wake-up a second.

Starts `hipflex remind --terminal` (on an Xvfb display with the X11 activity source when
Xvfb is installed, else with the plain timer), lets it idle, and samples from /proc every
few seconds: VmRSS (peak), utime+stime of all its threads, and their voluntary and
involuntary context switches (each one a time the process woke or was woken). The loop's
own wake-up count comes from its status file. Start-up (and the first `hipflex log` child,
a separate process) is left out: measuring starts at the first sample.

    python bench/remind_bench.py [--minutes 3] [--every 5] [--source auto|x11|timer]
    REMIND_BENCH_MINUTES=1 make bench
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
HIPFLEX = str(BIN / "hipflex")
GOAL_RSS_MB = 40.0
GOAL_WAKEUPS_PER_MINUTE = 60.0
READY_SECONDS = 60.0
TICKS = os.sysconf("SC_CLK_TCK")


def status_fields(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return fields


def rss_mb(pid: int) -> float:
    return int(status_fields(pid)["VmRSS"].split()[0]) / 1024


def peak_mb(pid: int) -> float:
    return int(status_fields(pid)["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (all threads), in seconds."""
    after_name = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(after_name[11]) + int(after_name[12])) / TICKS  # fields 14 and 15


def context_switches(pid: int) -> int:
    """Voluntary + involuntary context switches of every thread."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = status_fields(int(task.name))
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended
        total += int(fields["voluntary_ctxt_switches"])
        total += int(fields["nonvoluntary_ctxt_switches"])
    return total


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def has_children(pid: int) -> bool:
    return any(
        Path(task, "children").read_text().strip() for task in Path(f"/proc/{pid}/task").iterdir()
    )


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("Xvfb")
    assert binary is not None
    ready, tell = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(tell), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(tell,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(tell)
    with os.fdopen(ready) as answer:
        display = answer.readline().strip()
    if not display:
        process.kill()
        sys.exit("Xvfb did not start")
    return process, f":{display}"


def loop_wakeups(status: Path) -> int:
    try:
        return int(json.loads(status.read_text())["wakeups"])
    except (OSError, ValueError, KeyError):
        return 0


def wait_until_idle(pid: int, status: Path) -> None:
    """Until the loop has sampled once and no `hipflex log` child is running."""
    deadline = time.monotonic() + READY_SECONDS
    while not status.exists() or has_children(pid):
        if time.monotonic() > deadline:
            sys.exit("the daemon did not start")
        time.sleep(0.2)


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER THE GOAL"


@dataclass
class Figures:
    source: str
    elapsed: float  # seconds measured
    peak_rss: float  # MB while idle
    high_water: float  # MB, VmHWM: start-up included
    threads: int
    cpu: float  # seconds
    switches: int
    loop_wakeups: int
    exit_code: int | None = None


def measure(pid: int, status: Path, minutes: float, every: float) -> Figures:
    wait_until_idle(pid, status)
    source = json.loads(status.read_text())["source"]
    print(
        f"hipflex remind --terminal, pid {pid}, activity from {source}; idle for "
        f"{minutes:g} min, a sample every {every:g} s",
        flush=True,
    )
    started = time.monotonic()
    cpu0, switches0, woken0 = cpu_seconds(pid), context_switches(pid), loop_wakeups(status)
    peak = rss_mb(pid)
    while (elapsed := time.monotonic() - started) < minutes * 60:
        time.sleep(min(every, minutes * 60 - elapsed))
        peak = max(peak, rss_mb(pid))
    return Figures(
        source=source,
        elapsed=time.monotonic() - started,
        peak_rss=peak,
        high_water=peak_mb(pid),
        threads=threads(pid),
        cpu=cpu_seconds(pid) - cpu0,
        switches=context_switches(pid) - switches0,
        loop_wakeups=loop_wakeups(status) - woken0,
    )


def run_daemon(env: dict[str, str], data: Path, minutes: float, every: float) -> Figures:
    with (data / "daemon.log").open("wb") as output:
        daemon = subprocess.Popen(
            [HIPFLEX, "remind", "--terminal"],
            env=env,
            stdin=subprocess.PIPE,  # the terminal notifier listens on it, as in a terminal
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        figures = measure(daemon.pid, data / "remind-status.json", minutes, every)
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.stdin is not None
        daemon.stdin.close()
        code = daemon.wait(60)
    figures.exit_code = code
    return figures


def report(figures: Figures) -> None:
    minutes = figures.elapsed / 60
    per_minute = figures.switches / minutes
    cpu_percent = 100 * figures.cpu / figures.elapsed
    print(
        f"  resident memory  {figures.peak_rss:6.1f} MB peak while idle "
        f"({figures.high_water:.1f} MB at start-up), threads: {figures.threads}; "
        f"goal <= {GOAL_RSS_MB:g} MB: {verdict(figures.peak_rss <= GOAL_RSS_MB)}"
    )
    print(
        f"  CPU time         {figures.cpu:6.2f} s in {figures.elapsed:.0f} s ({cpu_percent:.3f} %)"
    )
    print(
        f"  wake-ups         {per_minute:6.1f} a minute (context switches, all threads), "
        f"{figures.loop_wakeups / minutes:.1f} a minute (the loop's count); "
        f"goal <= {GOAL_WAKEUPS_PER_MINUTE:g}: {verdict(per_minute <= GOAL_WAKEUPS_PER_MINUTE)}"
    )
    print(f"  stopped with SIGTERM: exit {figures.exit_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--minutes", type=float, default=float(os.environ.get("REMIND_BENCH_MINUTES", "3"))
    )
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--source", choices=("auto", "x11", "timer"), default="auto")
    options = parser.parse_args()
    use_x11 = options.source == "x11" or (options.source == "auto" and shutil.which("Xvfb"))
    with tempfile.TemporaryDirectory(prefix="hipflex-remind-bench-") as folder:
        data = Path(folder)
        env = {**os.environ, "HIPFLEX_DATA_DIR": str(data)}
        for name in ("HIPFLEX_DATABASE_URL", "DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        env["XDG_RUNTIME_DIR"] = str(data)  # no systemd user bus either: the terminal notifier
        env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={data}/no-system-bus"
        # Always in work hours, so the daemon is counting (the busier case).
        subprocess.run(
            [HIPFLEX, "settings", "--work-days", "mon-sun", "--work-hours", "00:00-23:59"],
            env=env,
            check=True,
            capture_output=True,
        )
        xvfb = None
        if use_x11:
            xvfb, env["DISPLAY"] = start_xvfb()
        else:
            env.pop("DISPLAY", None)
        try:
            figures = run_daemon(env, data, options.minutes, options.every)
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait(10)
    report(figures)


if __name__ == "__main__":
    main()
