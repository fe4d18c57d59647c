"""Start-up cost of whole `hipflex` processes, beside a bare `python -c pass`.

Goal (issue 2): `hipflex --help` within 0.15 s on the development machine.
Run with `make bench`; prints median and best of N runs for each command.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
BIN = Path(sys.executable).parent
HIPFLEX = str(BIN / "hipflex")

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "hipflex --help": [HIPFLEX, "--help"],
    "hipflex assess --help (Typer)": [HIPFLEX, "assess", "--help"],
    "hipflex assess --json (saves)": [
        HIPFLEX, "assess", "--json", "--thomas-left", "raised", "--knee-left", "85",
        "--thomas-right", "flat", "--knee-right", "75", "--extension-left", "8",
        "--extension-right", "12", "--sitting-hours", "7", "--sign", "swayback",
        "--no-red-flags",
    ],
}  # fmt: skip


def measure(argv: list[str], env: dict[str, str]) -> list[float]:
    subprocess.run(argv, env=env, check=True, capture_output=True)  # warm the caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "HIPFLEX_DATA_DIR": data}
        env.pop("HIPFLEX_DATABASE_URL", None)
        print(f"{'command':34} {'median s':>9} {'best s':>8}  ({RUNS} runs)")
        for name, argv in COMMANDS.items():
            times = measure(argv, env)
            print(f"{name:34} {statistics.median(times):9.3f} {min(times):8.3f}")


if __name__ == "__main__":
    main()
