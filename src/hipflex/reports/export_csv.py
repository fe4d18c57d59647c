"""Every observation as one row of a long-format CSV, for spreadsheets and statistics."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from hipflex.domain.assessment import (
    ExtensionInput,
    ExtensionResult,
    RecordedAssessment,
    ThomasInput,
    ThomasResult,
)
from hipflex.domain.ids import Side
from hipflex.services.data import RecordedSession, Snapshot
from hipflex.services.timezones import zone_for

COLUMNS = ("date_time", "record", "side", "measure", "value", "unit", "detail")
DEG = "deg"
PAIN_UNIT = "0-10"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    at: datetime | date  # a date for whole-day records (sitting hours)
    record: str
    measure: str
    value: str
    unit: str = ""
    side: str = ""
    detail: str = ""
    free_text: bool = False  # the value is your own words (a note), not a number or a code


def build_csv(data: Snapshot, zone: tzinfo | None = None) -> str:
    """One header line, then a row per observation, oldest first, times in `zone` (by
    default your time zone setting) as ISO 8601 with the offset."""
    local = zone or zone_for(
        None if data.preferences is None else data.preferences.preferences.timezone
    )
    rows = observation_rows(data)
    rows.sort(key=lambda row: _sort_key(row, local))
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF, and fields with CR or LF are quoted
    writer.writerow(COLUMNS)
    for row in rows:
        when = row.at.astimezone(local) if isinstance(row.at, datetime) else row.at
        stamp = (
            when.isoformat(timespec="seconds") if isinstance(when, datetime) else when.isoformat()
        )
        value = _inert(row.value) if row.free_text else row.value  # -2.5 stays a number
        detail = _inert(row.detail)
        writer.writerow((stamp, row.record, row.side, row.measure, value, row.unit, detail))
    return out.getvalue()


def _inert(text: str) -> str:
    """Text a spreadsheet shows rather than runs: a formula-like start gets a ' before it."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _sort_key(row: Row, zone: tzinfo) -> datetime:
    if isinstance(row.at, datetime):
        return row.at
    return datetime.combine(row.at, datetime.min.time(), tzinfo=zone)


def _number(value: float) -> str:
    return f"{value:.10g}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def observation_rows(data: Snapshot) -> list[Row]:
    rows: list[Row] = []
    for recorded in data.assessments:
        rows.extend(_assessment_rows(recorded))
    for session in data.sessions:
        rows.extend(_session_rows(session))
    rows.extend(
        Row(p.rating.at, "pain", "pain", str(p.rating.score), PAIN_UNIT, detail="daily rating")
        for p in data.pain_ratings
    )
    rows.extend(
        Row(s.day, "sitting", "sitting_hours", _number(s.hours), "h", detail=s.source.value)
        for s in data.sitting
    )
    rows.extend(Row(n.at, "note", "note", n.text, free_text=True) for n in data.notes)
    rows.extend(
        Row(c.at, "clearance", "cleared_after_sharp_pain", c.exercise_id.value)
        for c in data.clearances
    )
    rows.extend(Row(e.at, "break", "movement_break", e.outcome.value) for e, _ in data.break_events)
    return rows


def _assessment_rows(recorded: RecordedAssessment) -> list[Row]:
    assessment = recorded.assessment
    at = recorded.recorded_at
    detail = recorded.kind.value
    if recorded.block_id is not None:
        detail += f", block {recorded.block_id} week {recorded.block_week}"
    rows: list[Row] = []

    def add(measure: str, value: str, unit: str = "", side: str = "") -> None:
        rows.append(Row(at, "assessment", measure, value, unit, side, detail))

    for side, found in assessment.sides.items():
        thomas = found.thomas
        if thomas.result is not ThomasResult.NOT_TESTED:
            if thomas.thigh_angle_deg is not None:
                add("thomas_thigh_angle", _number(thomas.thigh_angle_deg), DEG, side.value)
            if thomas.thigh is not None:
                add("thomas_thigh", thomas.thigh.value, side=side.value)
            if thomas.knee_flexion_deg is not None:
                add("thomas_knee_flexion", _number(thomas.knee_flexion_deg), DEG, side.value)
            rows.extend(_method_rows(at, detail, "thomas", side, assessment.thomas_given(side)))
        add("thomas_result", thomas.result.value, side=side.value)
        extension = found.extension
        if extension.result is not ExtensionResult.NOT_TESTED:
            if extension.degrees is not None:
                add("hip_extension", _number(extension.degrees), DEG, side.value)
            add("hip_extension_compensated", _yes(extension.compensated), side=side.value)
            given = assessment.extension_given(side)
            rows.extend(_method_rows(at, detail, "hip_extension", side, given))
        add("hip_extension_result", extension.result.value, side=side.value)
    if assessment.sitting_hours is not None:
        add("sitting_hours_usual_day", _number(assessment.sitting_hours), "h")
    if assessment.sitting_band is not None:
        add("sitting_band", assessment.sitting_band.value)
    for sign in sorted(assessment.signs):
        add("sign", sign.value)
    for flag in sorted(assessment.red_flags):
        add("red_flag", flag.value)
    return rows


def _method_rows(
    at: datetime, detail: str, test: str, side: Side, given: ThomasInput | ExtensionInput
) -> list[Row]:
    """How a test was measured ("self" or "photo") and, for a photo, whether the pelvis
    could be checked."""
    found = [Row(at, "assessment", f"{test}_method", given.method.value, "", side.value, detail)]
    if given.pelvis_checked is not None:
        checked = _yes(given.pelvis_checked)
        found.append(
            Row(at, "assessment", f"{test}_pelvis_checked", checked, "", side.value, detail)
        )
    return found


def _session_rows(recorded: RecordedSession) -> list[Row]:
    log = recorded.log
    at = log.started_at
    detail = log.source.value if log.slot is None else f"{log.slot.value}, {log.source.value}"
    rows: list[Row] = []

    def add(measure: str, value: str, unit: str = "", when: datetime = at) -> None:
        rows.append(Row(when, "session", measure, value, unit, detail=detail))

    if log.pain_before is not None:
        add("pain_before", str(log.pain_before), PAIN_UNIT)
    if log.pain_after is not None:
        add("pain_after", str(log.pain_after), PAIN_UNIT, log.ended_at or at)
    if log.ended_at is not None and log.ended_at > log.started_at:
        minutes = (log.ended_at - log.started_at).total_seconds() / 60
        add("duration", _number(round(minutes, 1)), "min")
    if log.note:
        rows.append(Row(at, "session", "note", log.note, detail=detail, free_text=True))
    for entry in log.entries:
        side = "" if entry.side is None else entry.side.value
        what = f"{entry.exercise_id.value} set {entry.set_number}"
        facts = (
            ("hold", None if entry.hold_seconds is None else str(entry.hold_seconds), "s"),
            ("reps", None if entry.reps is None else str(entry.reps), "reps"),
            ("skipped", "yes" if entry.skipped else None, ""),
            ("sharp_pain", "yes" if entry.sharp_pain else None, ""),
        )
        rows.extend(
            Row(at, "exercise", measure, value, unit, side, what)
            for measure, value, unit in facts
            if value is not None
        )
    return rows
