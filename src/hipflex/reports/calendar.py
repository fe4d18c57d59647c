"""The programme as an RFC 5545 calendar: sessions every day, breaks on work days, alarms."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from hipflex.content import load_content
from hipflex.domain.plurals import minutes
from hipflex.domain.preferences import Weekday
from hipflex.domain.schedule import DayPlan, TimelineItem
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


def _event(
    plan: CalendarPlan, week: CalendarWeek, days: tuple[DayPlan, ...], item: TimelineItem, key: str
) -> Event:
    """One item of a day's timeline, repeated on each of `days` (one week's series)."""
    event = Event()
    event.add("uid", _uid(plan, week.programme.week, key))
    event.add("dtstamp", plan.stamp.astimezone(UTC))
    event.add("dtstart", item.start.replace(tzinfo=plan.zone))
    event.add("dtend", item.end.replace(tzinfo=plan.zone))
    byday = sorted({Weekday(d.day.weekday()) for d in days})
    event.add("rrule", vRecur(freq="DAILY", byday=[d.ical for d in byday], count=len(days)))
    event.add("summary", f"hipflex: {item.title}")
    event.add("description", _description(item, week))
    event.add("categories", ["hipflex"])
    if item.session is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{item.title} in {minutes(ALARM_BEFORE.seconds // 60)}")
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    else:
        event.add("transp", "TRANSPARENT")  # a two-minute break should not block the day
    return event


def _series(plan: CalendarPlan, week: CalendarWeek, days: tuple[DayPlan, ...]) -> list[Event]:
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


def build_calendar(plan: CalendarPlan) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "hipflex")
    calendar.add("x-wr-timezone", plan.zone.key)
    for week in plan.weeks:
        for days in week.series:
            for event in _series(plan, week, days):
                calendar.add_component(event)
    all_days = [d.day for week in plan.weeks for d in week.days]
    if all_days:
        # A year past the end keeps the zone right if the events are moved later.
        calendar.add_missing_timezones(
            first_date=min(all_days) - timedelta(days=1),
            last_date=max(all_days) + timedelta(days=366),
        )
    return bytes(calendar.to_ical())
