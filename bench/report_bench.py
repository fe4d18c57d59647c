"""Report generation for 6 weeks and for 5 years of daily data: time and peak memory.

Goal (issue 4): five years take no more than 3x the six-week time. Each scenario runs in
its own process (so peak RSS is its own), three times; the best time is reported.
Run with `make bench` or `python bench/report_bench.py`.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hipflex.config import Settings
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.store import Store
from hipflex.store.models import (
    BlockRow,
    ExerciseLogRow,
    NoteRow,
    PainRatingRow,
    SessionLogRow,
    SittingLogRow,
)

RUNS = 3
BLOCK_DAYS = 42
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
EXERCISES = [
    (ExerciseId.HALF_KNEELING_HIP_FLEXOR, 30),
    (ExerciseId.PIGEON_POSE, 60),
    (ExerciseId.GLUTE_BRIDGE, None),
    (ExerciseId.CLAMSHELL, None),
    (ExerciseId.DEAD_BUG, None),
]


def _tight() -> AssessmentInput:
    return AssessmentInput(
        thomas={side: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=72.0) for side in Side},
        extension={side: ExtensionInput(degrees=6.0) for side in Side},
        sitting_hours=8.5,
        red_flags=frozenset(),
    )


def build(path: Path, days: int) -> None:
    """A store with `days` days of daily use ending at NOW: blocks of six weeks, each
    starting with a baseline; two sessions, a pain rating and sitting hours every day."""
    rng = random.Random(days)  # noqa: S311 - synthetic test data, not security
    store = Store.open(f"sqlite:///{path}")
    first = (NOW - timedelta(days=days - 1)).date()
    with store._writing() as session:
        for offset in range(days):
            day = first + timedelta(days=offset)
            morning = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
            if offset % BLOCK_DAYS == 0:
                session.flush()
            for slot, hour in ((SessionSlot.MORNING, 0), (SessionSlot.EVENING, 8)):
                start = morning + timedelta(hours=hour)
                log = SessionLogRow(
                    started_at=start,
                    ended_at=start + timedelta(minutes=15),
                    source="manual",
                    slot=slot.value,
                    pain_before=rng.randint(2, 6),
                    pain_after=rng.randint(1, 5),
                    created_at=start,
                )
                for exercise, hold in EXERCISES:
                    for side in (Side.LEFT, Side.RIGHT):
                        for number in (1, 2, 3):
                            log.entries.append(
                                ExerciseLogRow(
                                    exercise_id=exercise.value,
                                    side=side.value,
                                    set_number=number,
                                    hold_seconds=hold,
                                    reps=None if hold else 15,
                                    skipped=False,
                                    sharp_pain=False,
                                    logged_at=start,
                                )
                            )
                session.add(log)
            session.add(PainRatingRow(at=morning, score=rng.randint(1, 6), created_at=morning))
            session.add(
                SittingLogRow(
                    day=day, hours=rng.uniform(5, 9), source="entered", created_at=morning
                )
            )
            if offset % 30 == 0:
                session.add(NoteRow(at=morning, text=f"note on day {offset}"))
    for offset in range(0, days, BLOCK_DAYS):
        day = first + timedelta(days=offset)
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
        recorded = store.add_assessment(assess(_tight()), at=at, kind=AssessmentKind.BASELINE)
        with store._writing() as session:
            session.add(BlockRow(started_on=day, assessment_id=recorded.id, created_at=at))
    store.close()


def measure(path: Path) -> None:
    """One report, timed, in this process; prints JSON."""
    from hipflex.reports.render import to_pdf
    from hipflex.reports.report import build_report
    from hipflex.services.progress import progress

    start = time.perf_counter()
    app = AppContext(
        Settings(database_url=f"sqlite:///{path}", data_dir=path.parent), FixedClock(NOW)
    )
    view = progress(app)
    pdf = to_pdf(build_report(view, NOW))
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "pdf_kb": len(pdf) / 1024}))


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, days in (("6 weeks", BLOCK_DAYS), ("5 years", 5 * 365)):
            path = Path(folder) / f"{days}.db"
            started = time.perf_counter()
            build(path, days)
            built = time.perf_counter() - started
            runs = [
                json.loads(
                    subprocess.run(
                        [sys.executable, __file__, "--measure", str(path)],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for _ in range(RUNS)
            ]
            best = min(runs, key=lambda r: r["seconds"])
            results[name] = best
            size = path.stat().st_size / 1e6
            print(
                f"{name:8}  report {best['seconds']:.2f} s  peak RSS {best['peak_mb']:.0f} MB  "
                f"pdf {best['pdf_kb']:.0f} KB   (data: {days} days, {size:.1f} MB, "
                f"built in {built:.1f} s)"
            )
    ratio = results["5 years"]["seconds"] / results["6 weeks"]["seconds"]
    print(f"5 years / 6 weeks time: {ratio:.2f}x (goal: at most 3x)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
    else:
        main()
