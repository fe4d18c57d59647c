"""The calendar export: RFC 5545 text that parses back, with sessions every day (PROTOCOL.md
3.2: daily, weekends included) and movement breaks on work days only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from syrupy.assertion import SnapshotAssertion

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.plan import Programme, SessionSlot
from hipflex.domain.preferences import Weekday
from hipflex.domain.protocol import ExerciseId, RedFlag, Side
from hipflex.domain.schedule import day_plan
from hipflex.reports.calendar import build_calendar
from hipflex.services import programme
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.guided import report_sharp_pain
from hipflex.services.progress import progress

BERLIN = ZoneInfo("Europe/Berlin")
TIGHT = AssessmentInput(
    thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)},
    sitting_hours=8,
    red_flags=frozenset(),
)


@pytest.fixture
def planned(app: AppContext) -> AppContext:
    record_assessment(app, TIGHT)
    programme.update_preferences(app, timezone="Europe/Berlin")
    return app


def _export(app: AppContext, weeks: int | None = None) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(build_calendar(programme.calendar_plan(app, weeks)))


def test_it_parses_back_with_a_timezone_and_the_required_properties(planned: AppContext):
    calendar = _export(planned)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = calendar.walk("VEVENT")
    assert events
    for event in events:
        assert event["UID"]
        assert event["DTSTAMP"]
        assert event.decoded("DTSTART").tzinfo is not None
        assert "FREQ" in event["RRULE"]


def _sessions(occurrences: list[icalendar.Event]) -> list[icalendar.Event]:
    return [o for o in occurrences if "session" in str(o["SUMMARY"])]


def _breaks(occurrences: list[icalendar.Event]) -> list[icalendar.Event]:
    return [o for o in occurrences if "Movement break" in str(o["SUMMARY"])]


def _local(occurrence: icalendar.Event, name: str = "DTSTART") -> datetime:
    return occurrence.decoded(name).astimezone(BERLIN)


def test_sessions_every_day_and_breaks_on_work_days_only(planned: AppContext):
    calendar = _export(planned)
    start = date(2026, 11, 2)  # the fixture clock's Monday: the block starts that day
    occurrences = recurring_ical_events.of(calendar).between(start, start + timedelta(weeks=6))
    sessions = _sessions(occurrences)
    # 2 sessions a day x 7 days x 6 weeks: weekends included
    assert len(sessions) == 2 * 7 * 6
    assert {_local(o).date() for o in sessions} == {start + timedelta(d) for d in range(42)}
    for day in range(42):
        on_day = sorted(_local(o) for o in sessions if _local(o).date() == start + timedelta(day))
        assert len(on_day) == 2
    breaks = _breaks(occurrences)
    assert breaks
    assert {_local(o).weekday() for o in breaks} == set(range(5))
    assert len({_local(o).date() for o in breaks}) == 30
    for occurrence in breaks:
        assert time(9, 0) <= _local(occurrence).time()
        assert _local(occurrence, "DTEND").time() <= time(17, 0)


def test_days_off_have_the_non_work_day_times(planned: AppContext):
    """A weekend's sessions are where domain.schedule.day_plan puts a day off's sessions."""
    view = programme.plan_week(planned)
    assert isinstance(view.result, Programme)
    saturday = date(2026, 11, 7)
    day_off = day_plan(view.result, view.preferences, saturday)
    assert not day_off.work_day
    assert day_off.breaks == ()
    expected = sorted((i.start.time(), i.end.time()) for i in day_off.items)
    occurrences = recurring_ical_events.of(_export(planned)).at(saturday)
    assert _breaks(occurrences) == []
    assert sorted((_local(o).time(), _local(o, "DTEND").time()) for o in occurrences) == expected
    # ... and differ from a work day's, which follow the first movement break.
    monday = recurring_ical_events.of(_export(planned)).at(date(2026, 11, 9))
    assert sorted(_local(o).time() for o in _sessions(monday)) != [s for s, _ in expected]


def test_every_session_has_an_alarm_and_lists_its_exercises(planned: AppContext):
    for event in _export(planned).walk("VEVENT"):
        alarms = event.walk("VALARM")
        if "session" in str(event["SUMMARY"]):
            assert len(alarms) == 1
            assert alarms[0]["ACTION"] == "DISPLAY"
            # the half-kneeling stretch, or the standing one where there is no floor
            described = str(event["DESCRIPTION"])
            assert "hip flexor stretch" in described
        else:
            assert alarms == []


def test_uids_are_stable_across_exports(planned: AppContext, clock: FixedClock):
    first = {str(e["UID"]) for e in _export(planned).walk("VEVENT")}
    clock.advance(3600)
    again = _export(planned)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == first
    assert len(first) == len(again.walk("VEVENT"))  # no two events share a UID


def test_weeks_option_limits_the_export(planned: AppContext):
    one = _export(planned, weeks=1)
    occurrences = recurring_ical_events.of(one).between(date(2026, 11, 1), date(2027, 1, 1))
    week = {date(2026, 11, 2) + timedelta(days=d) for d in range(7)}
    assert {_local(o).date() for o in occurrences} == week
    assert {_local(o).date() for o in _breaks(occurrences)} == set(sorted(week)[:5])
    with pytest.raises(BadInput, match="--weeks must be from 1 to 6"):
        programme.calendar_plan(planned, 7)


def test_custom_work_days(planned: AppContext):
    programme.update_preferences(planned, work_days=frozenset({Weekday.TUE, Weekday.THU}))
    calendar = _export(planned)
    occurrences = recurring_ical_events.of(calendar).between(date(2026, 11, 1), date(2027, 1, 1))
    assert {_local(o).weekday() for o in _breaks(occurrences)} == {1, 3}
    assert {_local(o).weekday() for o in _sessions(occurrences)} == set(range(7))
    assert len(_sessions(occurrences)) == 2 * 7 * 6


def test_a_week_of_work_days_only_has_no_day_off_series(planned: AppContext):
    programme.update_preferences(planned, work_days=frozenset(Weekday))
    events = _export(planned, weeks=1).walk("VEVENT")
    assert not any("dayoff" in str(e["UID"]) for e in events)
    occurrences = recurring_ical_events.of(_export(planned, weeks=1)).between(
        date(2026, 11, 2), date(2026, 11, 9)
    )
    assert len({_local(o).date() for o in _breaks(occurrences)}) == 7


def _week_sessions(app: AppContext) -> int:
    calendar = _export(app, weeks=1)
    start = date(2026, 11, 2)
    return len(_sessions(recurring_ical_events.of(calendar).between(start, start + timedelta(7))))


def test_the_calendar_and_progress_count_the_same_planned_sessions(planned: AppContext):
    view = programme.plan_week(planned)
    assert isinstance(view.result, Programme)
    shown = _week_sessions(planned)
    assert shown == view.result.sessions_per_week == 2 * 7
    assert progress(planned).weeks[0].planned == shown


def test_a_session_left_out_is_left_out_of_every_count(app: AppContext):
    """Sharp pain in the standing stretch empties the morning session of an iliopsoas-only
    plan at a desk (there it stands in for the half-kneeling one): one session a day, in
    the calendar and in adherence alike."""
    record_assessment(
        app,
        AssessmentInput(
            thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=85.0)},
            sitting_hours=8,
            red_flags=frozenset(),
        ),
    )
    programme.update_preferences(app, timezone="Europe/Berlin")
    report_sharp_pain(app, ExerciseId.STANDING_QUAD_HIP_FLEXOR, Side.LEFT)
    view = programme.plan_week(app)
    assert isinstance(view.result, Programme)
    assert [s.slot for s in view.result.sessions] == [SessionSlot.EVENING]
    assert view.result.sessions_per_day == 2  # the preference, not the count
    assert _week_sessions(app) == view.result.sessions_per_week == 7
    assert progress(app).weeks[0].planned == 7


def test_no_programme_no_calendar(app: AppContext):
    record_assessment(app, AssessmentInput(red_flags=frozenset({RedFlag.TRAUMA})))
    with pytest.raises(HipflexError, match="no programme to put in a calendar"):
        programme.calendar_plan(app)


def test_calendar_text_snapshot(planned: AppContext, snapshot: SnapshotAssertion):
    text = build_calendar(programme.calendar_plan(planned, 1)).decode()
    assert text == snapshot
