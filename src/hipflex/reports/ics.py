"""RFC 5545 text written directly: escaped values, folded lines, times and time zones.

`hipflex calendar export` and the web's calendar download write the same bytes as the
icalendar library does for the same calendar (tests/reports/test_ics.py proves it against
icalendar), without loading it: its import and its object model were about a fifth of
the command's instructions. Only the standard library, so the command loads nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

#: The longest a line gets in octets, its line break excluded (RFC 5545 3.1): a
#: continuation line's leading space and 74 octets of text; the first line 74, as
#: icalendar writes it.
LINE_OCTETS = 75

#: Zones written in UTC ("...Z", no VTIMEZONE): UTC under its names, and the zones tzdata
#: links to Africa/Abidjan (on UTC since 1912), which icalendar counts as UTC too (its
#: table of equivalent zones; tests/reports/test_ics.py checks every zone against it).
UTC_ZONES = frozenset({
    "UTC", "Etc/UTC", "UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu",
    "GMT", "Etc/GMT", "GMT+0", "Etc/GMT+0", "GMT-0", "Etc/GMT-0", "GMT0", "Etc/GMT0",
    "Greenwich", "Etc/Greenwich", "Iceland", "Atlantic/Reykjavik", "Atlantic/St_Helena",
    "Africa/Abidjan", "Africa/Accra", "Africa/Bamako", "Africa/Banjul", "Africa/Conakry",
    "Africa/Dakar", "Africa/Freetown", "Africa/Lome", "Africa/Nouakchott",
    "Africa/Ouagadougou", "Africa/Timbuktu",
})  # fmt: skip


def text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11); line breaks of any kind become \\n."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets, never inside a UTF-8
    character nor right after a backslash or caret (the start of an escape)."""
    if len(line) < LINE_OCTETS and line.isascii():
        return line
    data = line.encode()
    size = len(data)
    if size < LINE_OCTETS:
        return line
    parts = []
    start = 0
    while size - start >= LINE_OCTETS:
        end = start + LINE_OCTETS - 1
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def is_utc(zone: tzinfo) -> bool:
    """Whether times in the zone are written in UTC: by the zone's id, or a fixed
    offset's name (datetime.UTC is "UTC")."""
    key = getattr(zone, "key", None)
    return (key if isinstance(key, str) else zone.tzname(None)) in UTC_ZONES


def stamp(moment: datetime) -> str:
    """A DATE-TIME value: the wall time, with Z when in UTC (an aware time in UTC)."""
    local = (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )
    return f"{local}Z" if moment.tzinfo is not None and is_utc(moment.tzinfo) else local


def timed(name: str, moment: datetime) -> str:
    """A property with an aware DATE-TIME: in UTC, or the wall time in a named zone."""
    zone = moment.tzinfo
    if zone is None or is_utc(zone):
        return f"{name}:{stamp(moment)}"
    return f"{name};TZID={zone_id(zone)}:{stamp(moment)}"


def zone_id(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    if not isinstance(key, str):
        msg = f"no time zone id for {zone!r}"
        raise ValueError(msg)
    return key


def duration(span: timedelta) -> str:
    """A DURATION value, as -PT5M."""
    sign = "-" if span.days < 0 else ""
    span = -span if span.days < 0 else span
    clock = ""
    if span.seconds:
        hours, rest = divmod(span.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        clock = "T"
        clock += f"{hours}H" if hours else ""
        clock += f"{minutes}M" if minutes or (hours and seconds) else ""
        clock += f"{seconds}S" if seconds else ""
    if span.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{abs(span.days)}D{clock}"


def utc_offset(offset: timedelta) -> str:
    """A UTC-OFFSET value, as +0100 (seconds only when there are some)."""
    sign = "-" if offset < timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02}{minutes:02}" + (f"{seconds:02}" if seconds else "")


#: How the search for a zone's next change of offset steps forward, longest first.
_STEPS = (
    *(timedelta(days=d) for d in (64, 32, 16, 8, 4, 2, 1)),
    *(timedelta(hours=h) for h in (4, 1)),
    *(timedelta(minutes=m) for m in (20, 5, 1)),
    *(timedelta(seconds=s) for s in (20, 5, 1)),
)

_Observance = tuple[timedelta | None, timedelta, str, bool]


def _observances(zone: tzinfo, first: date, last: date) -> dict[_Observance, list[datetime]]:
    """Each (offset before, offset, name, standard time or not) the zone keeps between
    the midnights of `first` and `last`, with the wall times it starts at.

    The same search as icalendar's Timezone.from_tzinfo, so the VTIMEZONE is the one it
    writes: from each start, step forward by each step in turn while the offset stays."""
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    until = datetime(last.year, last.month, last.day, tzinfo=zone)
    found: dict[_Observance, list[datetime]] = {}
    offset: timedelta | None = None
    while start < until:
        before = offset
        end = start
        offset = end.utcoffset()
        assert offset is not None  # a zone's wall time always has an offset
        for step in _STEPS:
            last_end = end
            end = end + step
            try:
                while end.utcoffset() == offset:
                    last_end = end
                    end = end + step
            except OverflowError:  # past the end of the calendar
                break
            end = last_end
        name = start.tzname()
        key = (before, offset, str(offset) if name is None else name, start.dst() == timedelta())
        found.setdefault(key, []).append(start.replace(tzinfo=None))
        start = end + _STEPS[-1]
    return found


def timezone(zone: tzinfo, first: date, last: date) -> list[str]:
    """The VTIMEZONE of a zone: its offsets and their changes from `first` to `last`."""
    lines = [
        "BEGIN:VTIMEZONE",
        f"TZID:{text(zone_id(zone))}",
        f"COMMENT:This timezone only works from {first} to {last}.",
    ]
    for (before, offset, name, standard), starts in _observances(zone, first, last).items():
        onset = min(starts)
        starts.remove(onset)
        if onset.date() == last:  # a wall time, as every onset: the zone is the VTIMEZONE
            onset = datetime(last.year, last.month, last.day)  # noqa: DTZ001
        kind = "STANDARD" if standard else "DAYLIGHT"
        lines += [f"BEGIN:{kind}", f"DTSTART:{stamp(onset)}"]
        if starts:
            lines.append(f"RDATE:{','.join(stamp(later) for later in starts)}")
        lines += [
            f"TZNAME:{text(name)}",
            f"TZOFFSETFROM:{utc_offset(offset if before is None else before)}",
            f"TZOFFSETTO:{utc_offset(offset)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def content(lines: Iterable[str]) -> bytes:
    """The lines folded, each ended by CRLF, in UTF-8."""
    return "".join(f"{fold(line)}\r\n" for line in lines).encode()
