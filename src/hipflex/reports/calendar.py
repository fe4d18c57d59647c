"""The programme as an RFC 5545 calendar: sessions every day, breaks on work days, alarms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hipflex.content import load_content
from hipflex.domain.plurals import minutes
from hipflex.domain.preferences import Weekday
from hipflex.domain.schedule import DayPlan, TimelineItem
from hipflex.reports import ics
from hipflex.services.programme import CalendarPlan, CalendarWeek
from hipflex.services.words import break_stretch_name

PRODID = "-//hipflex//hipflex programme//EN"
ALARM_BEFORE = timedelta(minutes=5)


def _uid(plan: CalendarPlan, week: int, key: str) -> str:
    """The same block, week and item give the same UID, so a re-import updates in place."""
    block = plan.block
    return f"hipflex-{block.started_on:%Y%m%d}-{block.id}-w{week}-{key}@hipflex.local"


def _description(item: TimelineItem, week: CalendarWeek) -> str:
    programme = week.programme
    if item.session is None:
        lines = [f"• {s.describe(break_stretch_name())}" for s in item.routine]
        return "\n".join(["Stand up and move:", *lines])
    content = load_content()
    lines = [f"• {p.name}: {p.describe()}" for p in item.session.prescriptions]
    if item.warm_up is not None:  # in the place of a movement break: its walk first
        lines.insert(0, f"• First {item.warm_up.describe(break_stretch_name())}")
    return "\n".join(
        [
            f"Week {programme.week} of {programme.weeks_total}.",
            *lines,
            "",
            f"Key cue: {content.guidelines.key_cue}",
            "A moderate stretch, never pain: stop if you feel sharp pain.",
            "Run `hipflex plan` for the exercise cards.",
        ]
    )


@dataclass(frozen=True)
class CalendarEvent:
    """One repeating event of the calendar, as data: what it says and when, apart from
    how it is written."""

    uid: str
    summary: str
    description: str
    start: datetime  # the first one, in the plan's zone
    end: datetime
    weekdays: tuple[Weekday, ...]  # the days of the week it repeats on, in order
    count: int  # how many times
    alarm: str | None  # a session's reminder, ALARM_BEFORE it; a break has none


def _event(
    plan: CalendarPlan, week: CalendarWeek, days: tuple[DayPlan, ...], item: TimelineItem, key: str
) -> CalendarEvent:
    """One item of a day's timeline, repeated on each of `days` (one week's series)."""
    alarm = None
    if item.session is not None:
        alarm = f"{item.title} in {minutes(ALARM_BEFORE.seconds // 60)}"
    return CalendarEvent(
        uid=_uid(plan, week.programme.week, key),
        summary=f"hipflex: {item.title}",
        description=_description(item, week),
        start=item.start.replace(tzinfo=plan.zone),
        end=item.end.replace(tzinfo=plan.zone),
        weekdays=tuple(sorted({Weekday(d.day.weekday()) for d in days})),
        count=len(days),
        alarm=alarm,
    )


def _series(
    plan: CalendarPlan, week: CalendarWeek, days: tuple[DayPlan, ...]
) -> list[CalendarEvent]:
    """The repeating events of days that share one timeline: the work days (sessions and
    movement breaks) or the other days (sessions only, at the non-work-day times)."""
    prefix = "" if days[0].work_day else "dayoff-"  # work-day UIDs are as they always were
    kind = [group for group in week.series if group[0].work_day == days[0].work_day]
    if len(kind) > 1:  # maintenance: the strength days apart from the other days
        prefix += "-".join(Weekday(d.day.weekday()).label for d in days) + "-"
    events = []
    breaks = 0
    for item in days[0].items:
        if item.session is not None:
            key = item.session.slot.value
        else:
            breaks += 1
            key = f"break{breaks}"
        events.append(_event(plan, week, days, item, prefix + key))
    return events


def calendar_events(plan: CalendarPlan) -> list[CalendarEvent]:
    return [
        event for week in plan.weeks for days in week.series for event in _series(plan, week, days)
    ]


def timezone_span(plan: CalendarPlan) -> tuple[date, date] | None:
    """The days the calendar's VTIMEZONE covers: from the day before the first event to a
    year past the last (which keeps the zone right if the events are moved later)."""
    days = [d.day for week in plan.weeks for d in week.days]
    if not days:
        return None
    return min(days) - timedelta(days=1), max(days) + timedelta(days=366)


def event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    """A VEVENT, its properties in the order icalendar writes them."""
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{ics.text(event.summary)}",
        ics.timed("DTSTART", event.start),
        ics.timed("DTEND", event.end),
        ics.timed("DTSTAMP", stamp.astimezone(UTC)),
        f"UID:{ics.text(event.uid)}",
        f"RRULE:FREQ=DAILY;COUNT={event.count};BYDAY={','.join(d.ical for d in event.weekdays)}",
        "CATEGORIES:hipflex",
        f"DESCRIPTION:{ics.text(event.description)}",
    ]
    if event.alarm is not None:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{ics.text(event.alarm)}",
            f"TRIGGER:{ics.duration(-ALARM_BEFORE)}",
            "END:VALARM",
        ]
    else:
        lines.append("TRANSP:TRANSPARENT")  # a two-minute break should not block the day
    lines.append("END:VEVENT")
    return lines


def build_calendar(plan: CalendarPlan) -> bytes:
    """The calendar as RFC 5545 text, written by hipflex.reports.ics."""
    events = calendar_events(plan)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ics.text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:hipflex",
        f"X-WR-TIMEZONE:{ics.text(plan.zone.key)}",
    ]
    span = timezone_span(plan)
    if events and span is not None and not ics.is_utc(plan.zone):
        lines += ics.timezone(plan.zone, *span)
    for event in events:
        lines += event_lines(event, plan.stamp)
    lines.append("END:VCALENDAR")
    return ics.content(lines)
