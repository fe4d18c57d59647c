"""Every input range hipflex accepts, in one place with no imports of its own, so the
command line's help, the API's bodies, the pages' fields and their scripts (through a
JSON block the server renders) all read the same numbers."""

from __future__ import annotations

# PROTOCOL.md 2.4: hours outside 0-24 are bad input.
SITTING_HOURS_RANGE = (0.0, 24.0)
# PROTOCOL.md section 4: pain is a 0-10 numeric rating scale.
PAIN_RANGE = (0, 10)
# Plausible angles for the self-tests (the command-line contract); outside is bad input.
KNEE_RANGE_DEG = (0.0, 180.0)
THIGH_ANGLE_RANGE_DEG = (-90.0, 90.0)
EXTENSION_RANGE_DEG = (-30.0, 60.0)
# The settings clinicians argue about (PROTOCOL.md section 4), within these bounds.
KNEE_FLOOR_SETTING_RANGE_DEG = (45.0, 120.0)
THIGH_TOLERANCE_SETTING_RANGE_DEG = (0.0, 30.0)
EXTENSION_FLOOR_SETTING_RANGE_DEG = (0.0, 30.0)
# Preferences: 2-3 sessions a day, blocks of 4-6 weeks, a break every 30-45 minutes.
SESSIONS_PER_DAY_RANGE = (2, 3)
BLOCK_WEEKS_RANGE = (4, 6)
BREAK_MINUTES_RANGE = (30, 45)
# Seconds to get down to the floor or up from it before an exercise (a setting).
FLOOR_GET_READY_SECONDS_RANGE = (10, 60)
# Maintenance (PROTOCOL.md section 4): the stretch once a day (up to the sessions a day a
# block may have), glute and core work 2-3 times a week.
MAINTENANCE_STRETCHES_PER_DAY_RANGE = (1, 3)
MAINTENANCE_STRENGTH_PER_WEEK_RANGE = (2, 3)
# What one logged hold or set may carry, and a free note's length.
SET_NUMBER_RANGE = (1, 100)
HOLD_SECONDS_RANGE = (0, 3600)
REPS_RANGE = (0, 1000)
MAX_NOTE_LENGTH = 2000
# A stored row's id: an INTEGER primary key holds up to 2^31 - 1 on every database hipflex
# runs on (32 bits on PostgreSQL); a larger id names no row.
ID_RANGE = (1, 2**31 - 1)
# The years a date or time may fall in anywhere (a log, an import): far from year 1 and
# 9999, so a time zone never moves one off the calendar.
YEAR_RANGE = (1970, 2999)


def _plain(value: float) -> float:
    """2.0 as 2, so pages say "from 0 to 24"."""
    return int(value) if float(value).is_integer() else value


def as_json() -> dict[str, dict[str, float]]:
    """The ranges the pages' fields and scripts use, as {name: {min, max}}."""
    ranges = {
        "sitting_hours": SITTING_HOURS_RANGE,
        "pain": PAIN_RANGE,
        "knee_flexion_deg": KNEE_RANGE_DEG,
        "thigh_angle_deg": THIGH_ANGLE_RANGE_DEG,
        "extension_deg": EXTENSION_RANGE_DEG,
        "sessions_per_day": SESSIONS_PER_DAY_RANGE,
        "block_weeks": BLOCK_WEEKS_RANGE,
        "break_minutes": BREAK_MINUTES_RANGE,
        "floor_get_ready_seconds": FLOOR_GET_READY_SECONDS_RANGE,
        "note_length": (1, MAX_NOTE_LENGTH),
    }
    return {name: {"min": _plain(low), "max": _plain(high)} for name, (low, high) in ranges.items()}
