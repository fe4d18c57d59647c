"""The employer's view is aggregate only (team mode): the one rule for how small a group
may be before its figures are withheld, and what counts as an active account. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

#: A figure about fewer people than this is never shown (withheld, not rounded).
MIN_GROUP_SIZE = 5
#: An account is active when it logged in, or logged anything, within this long.
ACTIVE_WINDOW = timedelta(days=28)
#: The team's sessions are counted for this many weeks (Monday to Sunday, UTC), this one
#: included.
SUMMARY_WEEKS = 8


def shown(figure: int, people: int, of: int | None = None) -> int | None:
    """`figure`, about a group of `people`, or None when the group is too small to show.
    When the group is part of a whole of `of` people whose size is shown too, the rest
    of the whole (`of - people`) must not be a small group either: the difference would
    tell how many of them there are (e.g. 40 accounts, 37 active: 3 inactive)."""
    if people < MIN_GROUP_SIZE:
        return None
    if of is not None and 0 < of - people < MIN_GROUP_SIZE:
        return None
    return figure


def week_starts(now: datetime, weeks: int = SUMMARY_WEEKS) -> list[date]:
    """The Mondays (UTC) of the last `weeks` weeks, oldest first, this week's last."""
    today = now.astimezone(UTC).date()
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class WeekTotal:
    """The team's sessions in one week: None when fewer than MIN_GROUP_SIZE people did
    them (then how many did is not said either)."""

    starts: date
    sessions: int | None
    people: int | None


@dataclass(frozen=True)
class TeamSummary:
    accounts: int | None
    active: int | None
    weeks: tuple[WeekTotal, ...]


def week_totals(
    sessions: list[tuple[int, datetime]], starts: list[date], of: int | None = None
) -> tuple[WeekTotal, ...]:
    """Each week's sessions (each a person's id and start), with every figure about fewer
    than MIN_GROUP_SIZE people withheld, and (out of `of` accounts) every figure that
    would tell how many of the others there are when they are fewer."""
    counts = dict.fromkeys(starts, 0)
    people: dict[date, set[int]] = {monday: set() for monday in starts}
    for person, at in sessions:
        day = at.astimezone(UTC).date()
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
            people[monday].add(person)
    return tuple(
        WeekTotal(
            starts=monday,
            sessions=shown(counts[monday], len(people[monday]), of),
            people=shown(len(people[monday]), len(people[monday]), of),
        )
        for monday in starts
    )


def summary(
    accounts: int, active: int, sessions: list[tuple[int, datetime]], now: datetime
) -> TeamSummary:
    """The team's figures: how many accounts, how many active, sessions per week. The
    active and the weekly figures are parts of the accounts: each is withheld when it,
    or the rest of the accounts, is fewer than MIN_GROUP_SIZE people. The accounts'
    own figure is shown (when 5 or more) even where a part is withheld."""
    return TeamSummary(
        accounts=shown(accounts, accounts),
        active=shown(active, active, accounts),
        weeks=week_totals(sessions, week_starts(now), accounts),
    )
