"""A session log only grows, with writers at once: the same hold posted by several
writers (a browser retrying while the first request still runs) lands once, and of
several different finishes exactly one closes the session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from hipflex.domain.errors import Conflict
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.tracking import ExerciseEntry, SessionLog, SessionSource
from hipflex.services.context import AppContext

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
WRITERS = 6


def at_once(app: AppContext, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in WRITERS threads released together; each one's result or error."""
    results: list[object] = [None] * WRITERS
    gate = threading.Barrier(WRITERS)

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the error is the result
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def open_log(app: AppContext) -> int:
    log = app.store.add_session_log(SessionLog(T0, SessionSource.GUIDED), at=T0)
    assert log.id is not None
    return log.id


def test_the_same_hold_from_several_writers_lands_once(app: AppContext, open_log: int):
    hold = ExerciseEntry(ExerciseId.CLAMSHELL, Side.LEFT, set_number=1, reps=12)
    added = at_once(app, lambda _: app.store.add_exercise_entry(open_log, hold, at=T0))
    assert sorted(map(str, added)) == ["False"] * (WRITERS - 1) + ["True"]
    assert app.store.session_log(open_log).entries == (hold,)


def test_of_several_finishes_one_closes_the_session(app: AppContext, open_log: int):
    results = at_once(
        app, lambda i: app.store.finish_session_log(open_log, ended_at=T0, pain_after=i)
    )
    closed = [r for r in results if isinstance(r, SessionLog)]
    assert len(closed) == 1
    assert all(isinstance(r, Conflict) for r in results if r not in closed)
    assert app.store.session_log(open_log).pain_after == closed[0].pain_after
