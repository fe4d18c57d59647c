"""Guided-session services: which session, logging each hold as it completes, resuming."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from tests.conftest import sqlite_only

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.errors import BadInput, NotFound
from hipflex.domain.plan import Programme, SessionSlot
from hipflex.domain.player import StepCompleted, start, tick
from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.protocol import ExerciseId, RedFlag, Side
from hipflex.domain.script import Script, Step, StepKind
from hipflex.domain.tracking import ExerciseEntry, SessionLog, SessionSource, week_summary
from hipflex.services import guided, programme, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.presenters.sessions import ScriptOut, script_model

HOUR = 3600
TIGHT = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)},
    sitting_hours=7,
    red_flags=frozenset(),
)


@pytest.fixture
def planned(app: AppContext) -> AppContext:
    """A tight assessment and the plan's day in UTC (the fixture clock: Monday 09:00 UTC)."""
    record_assessment(app, TIGHT)
    programme.update_preferences(app, timezone="UTC")
    return app


def recording(script: Script) -> list[Step]:
    return [step for step in script.steps if step.records]


def entry_for(step: Step) -> ExerciseEntry:
    assert step.exercise_id is not None
    return ExerciseEntry(
        step.exercise_id,
        step.side,
        set_number=step.number or 1,
        hold_seconds=step.hold_seconds,
        reps=step.reps,
    )


def play_to_the_end(app: AppContext, log_id: int, script: Script, index: int = 0) -> list[Step]:
    """Run the player through the script at once, recording what completes."""
    player, _ = start(script, 0.0, index)
    player, outputs = tick(player, float(script.total_seconds) + 1)
    assert player.finished
    completed = [o.step for o in outputs if isinstance(o, StepCompleted)]
    for step in completed:
        guided.record_step(app, log_id, step)
    return [step for step in completed if step.records]


def only_log(app: AppContext) -> SessionLog:
    logs = app.store.session_logs()
    assert len(logs) == 1
    return logs[0]


# Which session


@pytest.mark.parametrize(
    ("name", "slot", "title"),
    [
        ("morning", SessionSlot.MORNING, "Morning session"),
        ("evening", SessionSlot.EVENING, "End-of-day session"),
        (" Evening ", SessionSlot.EVENING, "End-of-day session"),
    ],
)
def test_choose_session_by_name(planned: AppContext, name: str, slot: SessionSlot, title: str):
    chosen = guided.choose_session(planned, name)
    assert chosen.slot is slot
    assert chosen.script.name == title
    steps = chosen.script.steps
    assert steps[0].kind is StepKind.LEAD_IN
    assert steps[-1].kind is StepKind.DONE
    view = programme.plan_week(planned)
    assert isinstance(view.result, Programme)
    session = next(s for s in view.result.sessions if s.slot is slot)
    assert set(chosen.script.exercise_ids()) == set(session.exercise_ids)


@pytest.mark.parametrize(
    ("after", "slot"),
    [
        (timedelta(0), SessionSlot.MORNING),  # 09:00: the morning session at 09:40 is next
        (timedelta(minutes=41), SessionSlot.MORNING),  # 09:41: under way, still the one
        (timedelta(hours=3), SessionSlot.EVENING),  # 12:00: the end-of-day one is next
        (timedelta(hours=8, minutes=10), SessionSlot.EVENING),  # 17:10: under way
        (timedelta(hours=9), SessionSlot.EVENING),  # 18:00: the day is over: the last one
        (timedelta(hours=14, minutes=59), SessionSlot.EVENING),  # 23:59
    ],
)
def test_default_is_todays_next_session(
    planned: AppContext, clock: FixedClock, after: timedelta, slot: SessionSlot
):
    clock.advance(after.total_seconds())
    assert guided.choose_session(planned).slot is slot


def test_default_after_the_last_session_of_a_three_session_day_is_the_last(
    planned: AppContext, clock: FixedClock
):
    programme.update_preferences(planned, sessions_per_day=3)
    assert guided.choose_session(planned).slot is SessionSlot.MORNING
    clock.advance(3 * HOUR)  # 12:00
    assert guided.choose_session(planned).slot is SessionSlot.MIDDAY
    clock.advance(10 * HOUR)  # 22:00
    assert guided.choose_session(planned).slot is SessionSlot.EVENING


@sqlite_only  # choosing by name; the plan is read from both databases above
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("noon", "unknown session 'noon'"),
        ("", "unknown session"),
        ("midday", "there is no midday session in your plan (yours: morning, evening)"),
    ],
)
def test_bad_names_are_refused(planned: AppContext, name: str, message: str):
    with pytest.raises(BadInput, match=re.escape(message)):
        guided.choose_session(planned, name)


def test_a_red_flag_assessment_is_refused(app: AppContext):
    record_assessment(app, AssessmentInput(red_flags=frozenset({RedFlag.LEG_WEAKNESS})))
    with pytest.raises(BadInput, match="there is no session to guide"):
        guided.choose_session(app)
    with pytest.raises(BadInput, match="there is no session to guide"):
        guided.choose_session(app, "morning")


def test_a_red_flag_after_a_plan_started_is_refused(planned: AppContext, clock: FixedClock):
    guided.choose_session(planned)
    clock.advance(HOUR)
    record_assessment(planned, AssessmentInput(red_flags=frozenset({RedFlag.NIGHT_PAIN})))
    with pytest.raises(BadInput, match="there is no session to guide"):
        guided.choose_session(planned, "evening")


# Logging


@pytest.mark.parametrize("name", ["morning", "evening"])
def test_begin_record_finish_write_a_guided_log_of_the_completed_holds(
    planned: AppContext, clock: FixedClock, name: str
):
    chosen = guided.choose_session(planned, name)
    log_id = guided.begin(planned, chosen, pain_before=3)
    opened = only_log(planned)
    assert opened.id == log_id
    assert opened.ended_at is None
    assert opened.entries == ()

    clock.advance(chosen.script.total_seconds)
    completed = play_to_the_end(planned, log_id, chosen.script)
    guided.finish(planned, log_id, pain_after=2, note="fine")

    log = only_log(planned)
    assert log.source is SessionSource.GUIDED
    assert log.slot is chosen.slot
    assert (log.pain_before, log.pain_after, log.note) == (3, 2, "fine")
    assert log.ended_at == clock.now()
    assert completed == recording(chosen.script)
    assert list(log.entries) == [entry_for(step) for step in completed]
    assert all(not e.skipped and not e.sharp_pain for e in log.entries)
    assert log.done


def test_entries_carry_hold_seconds_for_holds_and_reps_for_sets(planned: AppContext):
    chosen = guided.choose_session(planned, "evening")
    log_id = guided.begin(planned, chosen, pain_before=None)
    play_to_the_end(planned, log_id, chosen.script)
    entries = only_log(planned).entries
    flexor = [e for e in entries if e.exercise_id is ExerciseId.HALF_KNEELING_HIP_FLEXOR]
    assert [(e.side, e.set_number, e.hold_seconds, e.reps) for e in flexor] == [
        (Side.LEFT, 1, 30, None),
        (Side.RIGHT, 1, 30, None),
        (Side.LEFT, 2, 30, None),
        (Side.RIGHT, 2, 30, None),
        (Side.LEFT, 3, 30, None),  # the tight side gets a third hold (PROTOCOL.md 4)
    ]
    bridge = [e for e in entries if e.exercise_id is ExerciseId.GLUTE_BRIDGE]
    assert [(e.side, e.set_number, e.hold_seconds, e.reps) for e in bridge] == [
        (None, 1, None, 15),
        (None, 2, None, 15),
        (None, 3, None, 15),
    ]


def test_steps_that_are_not_holds_or_sets_are_not_logged(planned: AppContext):
    chosen = guided.choose_session(planned, "morning")
    log_id = guided.begin(planned, chosen, pain_before=None)
    for step in (*chosen.script.steps, *guided.break_session(planned).script.steps):
        if not step.records:
            guided.record_step(planned, log_id, step)
    assert only_log(planned).entries == ()


def test_bad_pain_scores_are_refused_before_anything_is_written(planned: AppContext):
    chosen = guided.choose_session(planned, "morning")
    with pytest.raises(BadInput, match="pain before"):
        guided.begin(planned, chosen, pain_before=11)
    assert planned.store.session_logs() == []
    log_id = guided.begin(planned, chosen, pain_before=0)
    with pytest.raises(BadInput, match="pain after"):
        guided.finish(planned, log_id, pain_after=-1)
    assert only_log(planned).ended_at is None


def test_sharp_pain_pauses_the_exercise_and_the_plan_drops_it(
    planned: AppContext, clock: FixedClock
):
    chosen = guided.choose_session(planned, "evening")
    assert ExerciseId.PIGEON_POSE in chosen.script.exercise_ids()
    log_id = guided.begin(planned, chosen, pain_before=2)
    guided.record_sharp_pain(planned, log_id, ExerciseId.PIGEON_POSE, Side.LEFT)

    entry = only_log(planned).entries[0]
    assert (entry.exercise_id, entry.side, entry.sharp_pain, entry.skipped) == (
        ExerciseId.PIGEON_POSE,
        Side.LEFT,
        True,
        True,
    )
    assert tracking.paused_exercises(planned) == {ExerciseId.PIGEON_POSE}
    clock.advance(60)
    again = guided.choose_session(planned, "evening")
    assert ExerciseId.PIGEON_POSE not in again.script.exercise_ids()
    assert ExerciseId.GLUTE_BRIDGE in again.script.exercise_ids()
    view = programme.plan_week(planned)
    assert isinstance(view.result, Programme)
    assert all(ExerciseId.PIGEON_POSE not in s.exercise_ids for s in view.result.sessions)


# Interrupted sessions


def logged_first(app: AppContext, log_id: int, script: Script, count: int) -> None:
    for step in recording(script)[:count]:
        guided.record_step(app, log_id, step)


def first_unlogged(script: Script, count: int) -> int:
    """The index of the first hold or set not logged, or of the step that opens its
    exercise (lead-in, next exercise), where a resumed session picks up."""
    steps = script.steps
    if count >= len(recording(script)):
        return len(steps) - 1
    index = steps.index(recording(script)[count])
    return index - 1 if steps[index - 1].kind in (StepKind.LEAD_IN, StepKind.CHANGE) else index


@pytest.mark.parametrize("count", [0, 1, 3, 4, 9])
def test_interrupted_finds_the_unfinished_session_and_where_to_resume(
    planned: AppContext, clock: FixedClock, count: int
):
    chosen = guided.choose_session(planned, "evening")
    log_id = guided.begin(planned, chosen, pain_before=4)
    logged_first(planned, log_id, chosen.script, count)
    clock.advance(5 * 60)

    stopped = guided.interrupted(planned)
    assert stopped is not None
    assert stopped.log.id == log_id
    assert stopped.log.pain_before == 4
    assert len(stopped.log.entries) == count
    assert stopped.script == chosen.script
    assert stopped.resume_at == first_unlogged(chosen.script, count)
    resumed = stopped.script.steps[stopped.resume_at]
    first_missing = recording(chosen.script)[count]
    assert resumed == first_missing or (
        resumed.kind in (StepKind.LEAD_IN, StepKind.CHANGE)
        and stopped.script.steps[stopped.resume_at + 1] == first_missing
    )

    # playing on from there logs each of the rest once: no hold twice, none missing
    play_to_the_end(planned, log_id, stopped.script, stopped.resume_at)
    guided.finish(planned, log_id, pain_after=3)
    entries = only_log(planned).entries
    assert list(entries) == [entry_for(step) for step in recording(chosen.script)]


def test_points_to_the_first_unlogged_hold_of_the_concrete_examples(
    planned: AppContext, clock: FixedClock
):
    chosen = guided.choose_session(planned, "evening")
    steps = chosen.script.steps
    log_id = guided.begin(planned, chosen, pain_before=None)
    logged_first(planned, log_id, chosen.script, 3)
    stopped = guided.interrupted(planned)
    assert stopped is not None
    assert steps[stopped.resume_at].title == (
        "Half-kneeling hip flexor stretch, right side: hold 2 of 2"
    )
    guided.record_step(planned, log_id, steps[stopped.resume_at])
    stopped = guided.interrupted(planned)
    assert stopped is not None
    assert steps[stopped.resume_at].title == (
        "Half-kneeling hip flexor stretch, left side: hold 3 of 3"  # the tight side's third
    )


def test_a_session_with_every_hold_logged_but_not_finished_resumes_at_the_end(
    planned: AppContext,
):
    chosen = guided.choose_session(planned, "morning")
    log_id = guided.begin(planned, chosen, pain_before=None)
    logged_first(planned, log_id, chosen.script, len(recording(chosen.script)))
    stopped = guided.interrupted(planned)
    assert stopped is not None
    assert stopped.script.steps[stopped.resume_at].kind is StepKind.DONE


def test_abandon_closes_the_session_so_nothing_is_offered(planned: AppContext, clock: FixedClock):
    chosen = guided.choose_session(planned, "evening")
    log_id = guided.begin(planned, chosen, pain_before=5)
    logged_first(planned, log_id, chosen.script, 2)
    clock.advance(600)
    stopped = guided.interrupted(planned)
    assert stopped is not None
    guided.abandon(planned, stopped.log)
    assert guided.interrupted(planned) is None
    log = only_log(planned)
    assert log.ended_at == clock.now()
    assert log.pain_after is None
    assert len(log.entries) == 2  # what was done is kept


def test_starting_a_session_closes_an_interrupted_one(planned: AppContext, clock: FixedClock):
    morning = guided.choose_session(planned, "morning")
    old = guided.begin(planned, morning, pain_before=None)
    logged_first(planned, old, morning.script, 2)
    clock.advance(HOUR)
    evening = guided.choose_session(planned, "evening")
    new = guided.begin(planned, evening, pain_before=None)
    closed, opened = planned.store.session_logs()
    assert (closed.id, opened.id) == (old, new)
    assert closed.ended_at == clock.now()
    assert len(closed.entries) == 2  # what was done is kept
    guided.finish(planned, new, pain_after=None)
    assert guided.interrupted(planned) is None  # the old one is not offered again


@pytest.mark.parametrize(
    ("name", "offered"), [(None, True), ("evening", True), (" Evening ", True), ("morning", False)]
)
def test_resume_is_offered_unless_another_session_is_asked_for(
    planned: AppContext, name: str | None, offered: bool
):
    chosen = guided.choose_session(planned, "evening")
    log_id = guided.begin(planned, chosen, pain_before=2)
    offer = guided.resume_offer(planned, name)
    assert (offer is not None) is offered
    if offer is not None:
        assert offer.log.id == log_id
        assert offer == guided.interrupted(planned)


def test_resume_offer_with_a_bad_name_is_bad_input(planned: AppContext):
    guided.begin(planned, guided.choose_session(planned, "evening"), pain_before=None)
    with pytest.raises(BadInput, match="unknown session 'noon'"):
        guided.resume_offer(planned, "noon")
    assert guided.interrupted(planned) is not None  # left alone


def test_abandon_interrupted_closes_that_session_only(planned: AppContext, clock: FixedClock):
    chosen = guided.choose_session(planned, "evening")
    log_id = guided.begin(planned, chosen, pain_before=None)
    logged_first(planned, log_id, chosen.script, 1)
    with pytest.raises(NotFound, match=f"there is no interrupted session {log_id + 1}"):
        guided.abandon_interrupted(planned, log_id + 1)
    assert guided.interrupted(planned) is not None
    clock.advance(60)
    guided.abandon_interrupted(planned, log_id)
    assert guided.interrupted(planned) is None
    log = only_log(planned)
    assert log.ended_at == clock.now()
    assert len(log.entries) == 1
    with pytest.raises(NotFound):  # closed already: nothing to close
        guided.abandon_interrupted(planned, log_id)


@pytest.mark.parametrize(
    ("before", "after", "warns"),
    [(3, 5, True), (0, 10, True), (3, 4, False), (5, 2, False), (None, 9, False), (4, None, False)],
)
def test_finish_says_when_pain_rose_by_2_points_or_more(
    planned: AppContext, before: int | None, after: int | None, warns: bool
):
    log_id = guided.begin(planned, guided.choose_session(planned, "morning"), pain_before=before)
    warning = guided.finish(planned, log_id, pain_after=after)
    assert warning == pain_rise_warning(before, after)
    assert (warning is not None) is warns


def test_a_finished_session_is_not_offered(planned: AppContext):
    chosen = guided.choose_session(planned, "morning")
    log_id = guided.begin(planned, chosen, pain_before=None)
    logged_first(planned, log_id, chosen.script, 2)
    guided.finish(planned, log_id, pain_after=None)
    assert guided.interrupted(planned) is None


def test_a_manually_logged_session_is_not_offered(planned: AppContext):
    tracking.log_session(planned, [ExerciseEntry(ExerciseId.GLUTE_BRIDGE, reps=15)])
    assert guided.interrupted(planned) is None


@pytest.mark.parametrize(
    ("after", "offered"),
    [
        (timedelta(hours=11, minutes=59), True),
        (timedelta(hours=12, minutes=1), False),
        (timedelta(days=3), False),
    ],
)
def test_an_unfinished_session_older_than_12_hours_is_not_offered(
    planned: AppContext, clock: FixedClock, after: timedelta, offered: bool
):
    chosen = guided.choose_session(planned, "morning")
    guided.begin(planned, chosen, pain_before=None)
    clock.advance(after.total_seconds())
    assert (guided.interrupted(planned) is not None) is offered


def test_the_latest_unfinished_session_is_offered(planned: AppContext, clock: FixedClock):
    morning = guided.choose_session(planned, "morning")
    guided.begin(planned, morning, pain_before=None)
    clock.advance(HOUR)
    evening = guided.choose_session(planned, "evening")
    latest = guided.begin(planned, evening, pain_before=None)
    stopped = guided.interrupted(planned)
    assert stopped is not None
    assert stopped.log.id == latest
    assert stopped.log.slot is SessionSlot.EVENING


# The movement break


def test_break_session_has_the_standing_stretch_on_each_side(planned: AppContext):
    chosen = guided.break_session(planned)
    assert chosen.slot is None
    steps = chosen.script.steps
    assert steps[0].kind is StepKind.LEAD_IN
    assert steps[-1].kind is StepKind.DONE
    stretch = [s for s in steps if s.exercise_id is ExerciseId.STANDING_QUAD_HIP_FLEXOR]
    assert [(s.kind, s.side, s.seconds) for s in stretch] == [
        (StepKind.HOLD, Side.LEFT, 30),
        (StepKind.HOLD, Side.RIGHT, 30),
    ]
    assert [s for s in steps if s.exercise_id is not None] == stretch
    without_lead_in = chosen.script.total_seconds - steps[0].seconds
    assert 60 <= without_lead_in <= 120
    assert all(step.cues for step in steps)
    tilt = stretch[0].cues[0].text
    assert "Tuck your tailbone" in tilt
    # only the stretch is an exercise: the walk and the squeezes are things to do, not
    # rests (the players say MOVE and ring the bell) and not logged
    assert [(s.kind, s.title) for s in steps] == [
        (StepKind.LEAD_IN, "Movement break"),
        (StepKind.ACTIVITY, "A short walk"),
        (StepKind.HOLD, "Standing quad and hip flexor stretch, left side"),
        (StepKind.HOLD, "Standing quad and hip flexor stretch, right side"),
        (StepKind.ACTIVITY, "10 glute squeezes"),
        (StepKind.DONE, "Done"),
    ]
    assert not any(s.kind is StepKind.REST for s in steps)
    assert [s.title for s in steps if s.records] == [s.title for s in stretch]
    assert [c.text for c in steps[1].cues] == ["A short walk."]
    assert (
        stretch[0]
        .cues[0]
        .text.startswith("Standing quad and hip flexor stretch, left side. Tuck your tailbone")
    )


def test_break_titles_start_with_a_capital(planned: AppContext):
    titles = [s.title for s in guided.break_session(planned).script.steps]
    assert all(title[0].isupper() or title[0].isdigit() for title in titles)


def test_the_break_script_survives_a_round_trip_with_its_activities(planned: AppContext):
    script = guided.break_session(planned).script
    data = script_model(script).model_dump(mode="json")
    assert ScriptOut.model_validate(data).to_script() == script
    assert [s["kind"] for s in data["steps"]][1] == "activity"


def test_sharp_pain_in_a_break_pauses_the_stretch_but_is_not_a_session_done(
    planned: AppContext, clock: FixedClock
):
    # a floor at work: the morning session has the half-kneeling stretch as well as the
    # standing one (without a floor, the standing one is the whole morning session)
    programme.update_preferences(planned, floor_at_work=True)
    guided.report_sharp_pain(planned, ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.RIGHT)

    log = only_log(planned)
    assert log.source is SessionSource.GUIDED
    assert log.slot is None
    assert log.started_at == log.ended_at == clock.now()
    assert log.entries == (
        ExerciseEntry(
            ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.RIGHT, skipped=True, sharp_pain=True
        ),
    )
    assert not log.done
    assert log.sharp_pain == {ExerciseId.STANDING_QUAD_HIP_FLEXOR}
    assert tracking.paused_exercises(planned) == {ExerciseId.STANDING_QUAD_HIP_FLEXOR}
    assert guided.interrupted(planned) is None  # closed: nothing to resume
    # the plan leaves the stretch out until it is checked
    morning = guided.choose_session(planned, "morning").script
    assert ExerciseId.STANDING_QUAD_HIP_FLEXOR not in morning.exercise_ids()
    assert ExerciseId.HALF_KNEELING_HIP_FLEXOR in morning.exercise_ids()

    # adherence: it is not a session done
    assert week_summary(1, 14, planned.store.session_logs(), []).sessions_done == 0
    view = programme.plan_week(planned)
    assert view.block is not None
    [week] = tracking.logged_weeks(planned, view.block, 1, view.preferences, planned=14)
    assert (week.sessions_done, week.adherence) == (0, 0.0)

    # a real session done the same week counts once, the break's log not at all
    clock.advance(60)
    chosen = guided.choose_session(planned, "morning")
    log_id = guided.begin(planned, chosen, pain_before=None)
    play_to_the_end(planned, log_id, chosen.script)
    guided.finish(planned, log_id, pain_after=None)
    [week] = tracking.logged_weeks(planned, view.block, 1, view.preferences, planned=14)
    assert week.sessions_done == 1
    assert tracking.paused_exercises(planned) == {ExerciseId.STANDING_QUAD_HIP_FLEXOR}


def test_cleared_after_a_break_s_sharp_pain_the_stretch_is_back(
    planned: AppContext, clock: FixedClock
):
    programme.update_preferences(planned, floor_at_work=True)  # see the test above
    guided.report_sharp_pain(planned, ExerciseId.STANDING_QUAD_HIP_FLEXOR, None)
    clock.advance(HOUR)
    assert ExerciseId.STANDING_QUAD_HIP_FLEXOR not in (
        guided.choose_session(planned, "morning").script.exercise_ids()
    )
    tracking.clear_exercise(planned, ExerciseId.STANDING_QUAD_HIP_FLEXOR)
    assert tracking.paused_exercises(planned) == frozenset()
    assert ExerciseId.STANDING_QUAD_HIP_FLEXOR in (
        guided.choose_session(planned, "morning").script.exercise_ids()
    )
