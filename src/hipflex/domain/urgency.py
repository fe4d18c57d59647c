"""How soon a red flag needs a clinician (PROTOCOL.md section 4: worsening leg weakness
is same-day advice; saddle numbness or a bladder or bowel change is urgent). Each flag's
level is content (red_flags.toml); the most urgent flag answered decides the advice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from hipflex.domain.ids import RedFlag


class Urgency(StrEnum):
    URGENT = "urgent"  # emergency care now
    SAME_DAY = "same_day"  # a doctor today
    PROMPT = "prompt"  # a prompt appointment, before any exercise


#: Most urgent first.
URGENCY_ORDER = (Urgency.URGENT, Urgency.SAME_DAY, Urgency.PROMPT)

#: The levels PROTOCOL.md section 4 binds; the content may be stricter, never laxer.
PROTOCOL_URGENCY: Mapping[RedFlag, Urgency] = {
    RedFlag.SADDLE_NUMBNESS: Urgency.URGENT,
    RedFlag.BLADDER_BOWEL: Urgency.URGENT,
    RedFlag.LEG_WEAKNESS: Urgency.SAME_DAY,
}


def at_least_as_urgent(level: Urgency, than: Urgency) -> bool:
    return URGENCY_ORDER.index(level) <= URGENCY_ORDER.index(than)


def most_urgent(levels: Iterable[Urgency]) -> Urgency | None:
    """The most urgent of the levels, or None when there are none."""
    return min(levels, key=URGENCY_ORDER.index, default=None)
