"""The calendar's own RFC 5545 writer (hipflex.reports.ics) against icalendar, the reference:
the same events serialised by icalendar give the same bytes, so icalendar (and any app)
reads the same calendar: events, times, time zones, texts, folding."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser import Contentline

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.preferences import Weekday
from hipflex.domain.protocol import Side
from hipflex.reports import ics
from hipflex.reports.calendar import (
    ALARM_BEFORE,
    PRODID,
    CalendarEvent,
    build_calendar,
    calendar_events,
    event_lines,
    timezone_span,
)
from hipflex.services import programme
from hipflex.services.assessments import record_assessment
from hipflex.services.context import AppContext
from hipflex.services.programme import CalendarPlan

ZONES = sorted(available_timezones())
#: Texts with what a calendar must escape or fold with care: commas, semicolons,
#: backslashes, carets, line breaks of every kind, characters of 2 to 4 octets.
TEXTS = st.text(
    st.one_of(
        st.sampled_from(list(",;:\\^\n\r\"' é•€😀")), st.characters(exclude_categories=("Cs",))
    ),
    max_size=400,
)


def _reference_event(event: CalendarEvent, stamp: datetime) -> icalendar.Event:
    """The event as the export wrote it with icalendar, before hipflex wrote it itself."""
    reference = icalendar.Event()
    reference.add("uid", event.uid)
    reference.add("dtstamp", stamp.astimezone(UTC))
    reference.add("dtstart", event.start)
    reference.add("dtend", event.end)
    byday = [d.ical for d in event.weekdays]
    reference.add("rrule", icalendar.vRecur(freq="DAILY", byday=byday, count=event.count))
    reference.add("summary", event.summary)
    reference.add("description", event.description)
    reference.add("categories", ["hipflex"])
    if event.alarm is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.alarm)
        alarm.add("trigger", -ALARM_BEFORE)
        reference.add_component(alarm)
    else:
        reference.add("transp", "TRANSPARENT")
    return reference


def _reference_calendar(plan: CalendarPlan) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "hipflex")
    calendar.add("x-wr-timezone", plan.zone.key)
    for event in calendar_events(plan):
        calendar.add_component(_reference_event(event, plan.stamp))
    span = timezone_span(plan)
    if span is not None:
        calendar.add_missing_timezones(first_date=span[0], last_date=span[1])
    return bytes(calendar.to_ical())


@pytest.fixture
def assessed(app: AppContext) -> AppContext:
    tight = ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)
    record_assessment(
        app, AssessmentInput(thomas={Side.LEFT: tight}, sitting_hours=8, red_flags=frozenset())
    )
    return app


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Berlin",  # summer time in spring, one VTIMEZONE per change
        "America/New_York",
        "Australia/Lord_Howe",  # half an hour of summer time
        "Pacific/Chatham",  # +12:45
        "Asia/Kolkata",  # no change at all
        "Africa/Casablanca",  # an hour less in Ramadan
        "Etc/UTC",  # in UTC: no VTIMEZONE, times with Z
        "Africa/Abidjan",  # UTC to icalendar too
        "America/Danmarkshavn",  # always +00:00, yet a zone of its own
        "Etc/GMT+5",
    ],
)
@pytest.mark.parametrize("weeks", [None, 1])
def test_the_calendar_is_byte_for_byte_what_icalendar_writes(
    assessed: AppContext, zone: str, weeks: int | None
):
    plan = programme.calendar_plan(assessed, weeks, zone)
    ours = build_calendar(plan)
    assert ours == _reference_calendar(plan)
    parsed = icalendar.Calendar.from_ical(ours)
    assert len(parsed.walk("VEVENT")) == len(calendar_events(plan))


def test_a_block_that_spans_a_year_repeats_a_change_with_rdate(assessed: AppContext):
    """A VTIMEZONE over more than a year: the same change twice is one observance."""
    berlin = ZoneInfo("Europe/Berlin")
    lines = ics.timezone(berlin, date(2026, 3, 1), date(2027, 4, 15))
    assert "RDATE:20270328T030000" in lines
    reference = icalendar.Timezone.from_tzinfo(
        berlin, "Europe/Berlin", date(2026, 3, 1), date(2027, 4, 15)
    )
    assert ics.content(lines) == reference.to_ical()


@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(date(1990, 1, 1), date(2080, 1, 1)),
    days=st.integers(1, 800),
)
def test_a_timezone_is_what_icalendar_writes(zone: str, first: date, days: int):
    last = first + timedelta(days=days)
    reference = icalendar.Timezone.from_tzinfo(ZoneInfo(zone), zone, first, last)
    assert ics.content(ics.timezone(ZoneInfo(zone), first, last)) == reference.to_ical()


def test_a_time_is_written_as_icalendar_writes_it_in_every_zone():
    """In UTC (with Z, no TZID: UTC and the zones icalendar counts as UTC) or with its
    zone's id as TZID, unquoted."""
    moment = datetime(2026, 11, 2, 9, 40)  # noqa: DTZ001 - a wall time put in each zone
    zones: list[tzinfo] = [*(ZoneInfo(key) for key in ZONES), UTC]
    for zone in zones:
        start = moment.replace(tzinfo=zone)
        reference = icalendar.Event()
        reference.add("dtstart", start)
        assert reference.to_ical().splitlines()[1].decode() == ics.timed("DTSTART", start)
        written_in_utc = icalendar.vDatetime(start).to_ical().endswith(b"Z")
        assert ics.is_utc(zone) == written_in_utc, zone


@st.composite
def events(draw: st.DrawFn) -> CalendarEvent:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    start = draw(
        st.datetimes(
            datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
            datetime(2090, 1, 1),  # noqa: DTZ001
        )
    )
    weekdays = draw(st.sets(st.sampled_from(list(Weekday)), min_size=1))
    return CalendarEvent(
        uid=draw(TEXTS),
        summary=draw(TEXTS),
        description=draw(TEXTS),
        start=start.replace(microsecond=0, tzinfo=zone),
        end=(start + draw(st.timedeltas(timedelta(0), timedelta(hours=3)))).replace(
            microsecond=0, tzinfo=zone
        ),
        weekdays=tuple(sorted(weekdays)),
        count=draw(st.integers(1, 7)),
        alarm=draw(st.none() | TEXTS),
    )


@given(event=events(), stamp=st.datetimes(timezones=st.just(UTC)))
def test_an_event_is_what_icalendar_writes(event: CalendarEvent, stamp: datetime):
    ours = ics.content(event_lines(event, stamp))
    assert ours == _reference_event(event, stamp).to_ical()


@given(TEXTS)
def test_a_text_is_escaped_and_folded_as_icalendar_does(value: str):
    line = f"DESCRIPTION:{ics.text(value)}"
    assert ics.fold(line) == Contentline(line).to_ical().decode()
    reference = icalendar.Event()
    reference.add("description", value)
    assert ics.content(["BEGIN:VEVENT", line, "END:VEVENT"]) == reference.to_ical()


@pytest.mark.parametrize("special", ["^", "\\", ",", ";", "\n", "é", "€", "😀"])
def test_every_place_of_a_fold_is_where_icalendar_folds(special: str):
    """Each offset of an escape or a character of several octets around the 75th octet,
    on the first line and on the next ones."""
    for before in range(160):
        line = f"DESCRIPTION:{ics.text('a' * before + special * 3 + 'b' * 90)}"
        assert ics.fold(line) == Contentline(line).to_ical().decode(), before


@given(TEXTS)
def test_folded_lines_are_at_most_75_octets_and_whole_characters(value: str):
    line = f"DESCRIPTION:{ics.text(value)}"
    folded = ics.fold(line).encode().split(b"\r\n")
    assert all(len(part) <= ics.LINE_OCTETS for part in folded)
    assert all(part.startswith(b" ") for part in folded[1:])
    pieces = [part.decode() for part in folded]  # no character cut in two
    assert pieces[0] + "".join(p[1:] for p in pieces[1:]) == line


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\\\r")))
def test_a_text_reads_back_as_it_was(value: str):
    """Backslashes and carriage returns aside (icalendar writes a line break of any kind
    as one, and reads some backslashes as escapes)."""
    written = ics.content(["BEGIN:VEVENT", f"DESCRIPTION:{ics.text(value)}", "END:VEVENT"])
    assert str(icalendar.Event.from_ical(written)["DESCRIPTION"]) == value
