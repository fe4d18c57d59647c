"""Start-up cost of every command in README as a whole `hipflex` process, beside a bare
`python -c pass` timed in the same run.

Goal (issue 15): every command at most 0.2 s median on the development machine (about ten
times the bare interpreter), moonshot 0.12 s. The store is a fresh SQLite file with one
assessment and its block; the content cache lives in a temporary folder, filled by each
command's untimed first run, as is Python's compiled bytecode (PYTHONDONTWRITEBYTECODE
is cleared for the children). Commands that wait for you (the guided session, the break,
the reminder daemon, the web server) or that need an empty store or erase it are timed
with --help: Typer's start-up for them. Run with `make bench`, or
`python bench/startup.py [--runs N] [WORD ...]` to time only the commands containing a word.
Prints median and best of N runs (20 by default), the median's ratio to the bare one, and
the median CPU time (user and system): on a shared, busy machine the wall time waits for
the other processes, the CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
HIPFLEX = str(BIN / "hipflex")
TARGET_S = 0.2

ASSESS = (
    "--json --no-red-flags --thomas-left raised --knee-left 85 --thomas-right flat "
    "--knee-right 75 --extension-left 8 --extension-right 12 --compensated-right "
    "--sitting-hours 7 --sign swayback --sign tight_front_hips"
)

#: (label, arguments, exit statuses that are its normal answer). In README's order.
COMMANDS: list[tuple[str, str, tuple[int, ...]]] = [
    ("--help", "--help", (0,)),
    ("assess --json --no-save ...", f"assess --no-save {ASSESS}", (0,)),
    ("assess --json ... (saves)", f"assess {ASSESS}", (0,)),
    ("assess --safety-only --json", "assess --safety-only --no-red-flags --json", (0,)),
    ("plan", "plan", (0,)),
    ("plan --week 4", "plan --week 4", (0,)),
    ("plan --json", "plan --json", (0,)),
    ("today", "today", (0,)),
    ("today --json", "today --json", (0,)),
    ("settings", "settings", (0,)),
    ("settings --break-minutes 35", "settings --break-minutes 35", (0,)),
    ("calendar export hipflex.ics", "calendar export hipflex.ics", (0,)),
    ("session --help (interactive)", "session --help", (0,)),
    ("break --help (interactive)", "break --help", (0,)),
    ("log pain 3", "log pain 3", (0,)),
    ("log sitting 7.5", "log sitting 7.5", (0,)),
    ("log session --slot evening ...", "log session --slot evening --pain-before 3", (0,)),
    ("log note", "log note 'new chair at work'", (0,)),
    ("log checked (nothing paused)", "log checked pigeon_pose", (2,)),
    ("retest --json ... (saves)", f"retest {ASSESS}", (0,)),
    ("measure --help", "measure --help", (0,)),
    ("measure photo --points", "measure thomas.png --points p.json --side left --json", (0,)),
    ("progress", "progress", (0,)),
    ("progress --json", "progress --json", (0,)),
    ("report --out progress.html", "report --out progress.html", (0,)),
    ("report --out progress.pdf", "report --out progress.pdf", (0,)),
    ("history", "history", (0,)),
    ("history --json", "history --json --limit 5", (0,)),
    ("learn", "learn", (0,)),
    ("learn why", "learn why", (0,)),
    ("exercises", "exercises", (0,)),
    ("exercises half_kneeling_hip_flexor", "exercises half_kneeling_hip_flexor", (0,)),
    ("export", "export", (0,)),
    ("export --format csv --out", "export --format csv --out hipflex.csv", (0,)),
    ("import --help (empty store)", "import --help", (0,)),
    ("backup FILE", "backup copy.db", (0, 1, 2)),
    ("data erase --help (erases)", "data erase --help", (0,)),
    ("remind status", "remind status", (0,)),
    ("remind --help (daemon)", "remind --help", (0,)),
    ("serve --help (web server)", "serve --help", (0,)),
    ("users list (team mode)", "users list", (0,)),
]

#: A hand-marked Thomas test on a blank photo, the points `measure --points` reads (the
#: import guard, tests/cli/test_startup_imports.py, measures the same file).
POINTS = Path(__file__).resolve().parents[1] / "tests" / "cli" / "thomas_points.json"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall time, CPU time (user and system) and exit status of one whole process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu, done.returncode


def measure(
    argv: list[str], env: dict[str, str], cwd: Path, runs: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU times of `runs` runs, after an untimed one that fills the caches
    (bytecode, content)."""
    run(argv, env, cwd)
    timed = [run(argv, env, cwd) for _ in range(runs)]
    return [wall for wall, _, _ in timed], [cpu for _, cpu, _ in timed]


def prepare(folder: Path, env: dict[str, str]) -> None:
    """A store with one assessment and its block, and the files the commands read."""
    for args in (f"assess {ASSESS}", "plan --json"):
        argv = [HIPFLEX, *shlex.split(args)]
        subprocess.run(argv, env=env, cwd=folder, check=True, capture_output=True)
    shutil.copyfile(POINTS, folder / "p.json")
    from PIL import Image

    Image.new("RGB", (800, 600), (235, 235, 225)).save(folder / "thomas.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "20")))
    parser.add_argument("words", nargs="*", help="time only the commands containing a word")
    options = parser.parse_args()
    chosen = [c for c in COMMANDS if not options.words or any(w in c[0] for w in options.words)]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        env = {
            **os.environ,
            "HIPFLEX_DATA_DIR": str(folder / "data"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "COLUMNS": "100",
        }
        env.pop("HIPFLEX_DATABASE_URL", None)
        # As installed: Python keeps the compiled modules. A shell that forbids it makes
        # every run compile hipflex's sources again (tens of ms), whatever the code does.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        prepare(folder, env)
        bare, bare_cpu = measure([sys.executable, "-c", "pass"], env, folder, options.runs)
        bare_median = statistics.median(bare)
        print(
            f"{'command':36} {'median s':>8} {'best s':>7} {'x bare':>6} {'cpu s':>6}"
            f"  ({options.runs} runs; cpu: median user+system)"
        )
        print(
            f"{'python -c pass':36} {bare_median:8.3f} {min(bare):7.3f} {1:6.1f}"
            f" {statistics.median(bare_cpu):6.3f}"
        )
        over = []
        for label, args, statuses in chosen:
            argv = [HIPFLEX, *shlex.split(args)]
            *_, status = run(argv, env, folder)
            if status not in statuses:
                print(f"{label:36} exit status {status}, expected {statuses}: not timed")
                continue
            times, cpu = measure(argv, env, folder, options.runs)
            median = statistics.median(times)
            mark = "" if median <= TARGET_S else "  > 0.2 s"
            if mark:
                over.append(label)
            print(
                f"{label:36} {median:8.3f} {min(times):7.3f} {median / bare_median:6.1f}"
                f" {statistics.median(cpu):6.3f}{mark}"
            )
        print(f"over {TARGET_S} s median: {', '.join(over) if over else 'none'}")


if __name__ == "__main__":
    main()
