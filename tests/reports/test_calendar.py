"""The calendar export: RFC 5545 text that parses back and recurs on work days only."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from syrupy.assertion import SnapshotAssertion

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.errors import BadInput, HipflexError
from hipflex.domain.preferences import Weekday
from hipflex.domain.protocol import RedFlag, Side
from hipflex.reports.calendar import build_calendar
from hipflex.services import programme
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext

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


def test_occurrences_fall_on_work_days_only_and_cover_the_block(planned: AppContext):
    calendar = _export(planned)
    start = date(2026, 11, 2)  # the fixture clock's Monday: the block starts that day
    occurrences = recurring_ical_events.of(calendar).between(start, start + timedelta(weeks=6))
    assert occurrences
    assert {o.decoded("DTSTART").weekday() for o in occurrences} <= set(range(5))
    sessions = [o for o in occurrences if "session" in str(o["SUMMARY"])]
    # 2 sessions a day x 5 work days x 6 weeks
    assert len(sessions) == 2 * 5 * 6
    breaks = [o for o in occurrences if "Movement break" in str(o["SUMMARY"])]
    days = {o.decoded("DTSTART").date() for o in breaks}
    assert len(days) == 30
    for occurrence in breaks:
        starts = occurrence.decoded("DTSTART").astimezone(BERLIN).time()
        ends = occurrence.decoded("DTEND").astimezone(BERLIN).time()
        assert time(9, 0) <= starts
        assert ends <= time(17, 0)


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
    assert {o.decoded("DTSTART").date() for o in occurrences} == {
        date(2026, 11, 2) + timedelta(days=d) for d in range(5)
    }
    with pytest.raises(BadInput, match="--weeks must be from 1 to 6"):
        programme.calendar_plan(planned, 7)


def test_custom_work_days(planned: AppContext):
    programme.update_preferences(planned, work_days=frozenset({Weekday.TUE, Weekday.THU}))
    calendar = _export(planned)
    occurrences = recurring_ical_events.of(calendar).between(date(2026, 11, 1), date(2027, 1, 1))
    assert {o.decoded("DTSTART").weekday() for o in occurrences} == {1, 3}


def test_no_programme_no_calendar(app: AppContext):
    record_assessment(app, AssessmentInput(red_flags=frozenset({RedFlag.TRAUMA})))
    with pytest.raises(HipflexError, match="no programme to put in a calendar"):
        programme.calendar_plan(app)


def test_calendar_text_snapshot(planned: AppContext, snapshot: SnapshotAssertion):
    text = build_calendar(programme.calendar_plan(planned, 1)).decode()
    assert text == snapshot
