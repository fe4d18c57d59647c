"""A snapshot of your data as a JSON document, and such a document read back, checked."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    AssessmentKind,
    ExtensionFinding,
    ExtensionInput,
    ExtensionResult,
    RecordedAssessment,
    SideFindings,
    ThighPosition,
    ThomasFinding,
    ThomasInput,
    ThomasResult,
    Thresholds,
    assess,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Block, SessionSlot
from hipflex.domain.preferences import Preferences, format_weekdays, parse_clock, parse_weekdays
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, Sign, SittingBand
from hipflex.domain.tracking import (
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
)
from hipflex.services.data import (
    RecordedBlock,
    RecordedPain,
    RecordedSession,
    SavedPreferences,
    Snapshot,
)
from hipflex.services.timezones import check_zone

FORMAT = "hipflex-export"
VERSION = 1

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
Reader = Callable[[str, object], T]


def dumps(data: Snapshot, exported_at: datetime) -> str:
    return json.dumps(export_document(data, exported_at), indent=2, ensure_ascii=False) + "\n"


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def export_document(data: Snapshot, exported_at: datetime) -> dict[str, Any]:
    """Plain JSON types only; times are ISO 8601 with their UTC offset."""
    saved = data.preferences
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "preferences": None
        if saved is None
        else {**_preferences(saved.preferences), "updated_at": _when(saved.updated_at)},
        "assessments": [_assessment(recorded) for recorded in data.assessments],
        "blocks": [
            {
                "id": b.block.id,
                "started_on": b.block.started_on.isoformat(),
                "assessment_id": b.block.assessment_id,
                "created_at": _when(b.created_at),
            }
            for b in data.blocks
        ],
        "sessions": [_session(recorded) for recorded in data.sessions],
        "pain_ratings": [
            {"at": _when(p.rating.at), "score": p.rating.score, "recorded_at": _when(p.recorded_at)}
            for p in data.pain_ratings
        ],
        "sitting": [
            {
                "day": s.day.isoformat(),
                "hours": s.hours,
                "source": s.source.value,
                "recorded_at": _when(s.at),
            }
            for s in data.sitting
        ],
        "notes": [{"at": _when(n.at), "text": n.text} for n in data.notes],
        "clearances": [
            {"exercise_id": c.exercise_id.value, "at": _when(c.at)} for c in data.clearances
        ],
    }


def _preferences(preferences: Preferences) -> dict[str, Any]:
    return {
        "sessions_per_day": preferences.sessions_per_day,
        "block_weeks": preferences.block_weeks,
        "break_minutes": preferences.break_minutes,
        "work_days": format_weekdays(preferences.work_days).split(","),
        "work_start": preferences.work_start.strftime("%H:%M"),
        "work_end": preferences.work_end.strftime("%H:%M"),
        "floor_at_work": preferences.floor_at_work,
        "sit_stand_desk": preferences.sit_stand_desk,
        "timezone": preferences.timezone,
    }


def _assessment(recorded: RecordedAssessment) -> dict[str, Any]:
    assessment: Assessment = recorded.assessment
    limits = assessment.thresholds
    return {
        "id": recorded.id,
        "recorded_at": _when(recorded.recorded_at),
        "kind": recorded.kind.value,
        "block_id": recorded.block_id,
        "block_week": recorded.block_week,
        "sides": {side.value: _side(assessment, side) for side in assessment.sides},
        "sitting_hours": assessment.sitting_hours,
        "sitting_band": None if assessment.sitting_band is None else assessment.sitting_band.value,
        "signs": sorted(s.value for s in assessment.signs),
        "red_flags": sorted(r.value for r in assessment.red_flags),
        "safe_to_exercise": assessment.safe_to_exercise,  # derived: ignored on import
        "thresholds": {
            "knee_floor_deg": limits.knee_floor_deg,
            "thigh_tolerance_deg": limits.thigh_tolerance_deg,
            "extension_floor_deg": limits.extension_floor_deg,
        },
    }


def _side(assessment: Assessment, side: Side) -> dict[str, Any]:
    found = assessment.sides[side]
    given = assessment.answers.thomas.get(side)
    thigh_given = None if given is None or given.thigh is None else given.thigh.value
    thomas = found.thomas
    extension = found.extension
    return {
        "thomas": {
            "result": thomas.result.value,
            "thigh_given": thigh_given,
            "thigh": None if thomas.thigh is None else thomas.thigh.value,
            "thigh_angle_deg": thomas.thigh_angle_deg,
            "knee_flexion_deg": thomas.knee_flexion_deg,
        },
        "hip_extension": {
            "result": extension.result.value,
            "degrees": extension.degrees,
            "compensated": extension.compensated,
        },
    }


def _session(recorded: RecordedSession) -> dict[str, Any]:
    log: SessionLog = recorded.log
    return {
        "id": log.id,
        "started_at": _when(log.started_at),
        "ended_at": _when(log.ended_at),
        "source": log.source.value,
        "slot": None if log.slot is None else log.slot.value,
        "pain_before": log.pain_before,
        "pain_after": log.pain_after,
        "note": log.note,
        "recorded_at": _when(recorded.recorded_at),
        "entries": [
            {
                "exercise_id": entry.exercise_id.value,
                "side": None if entry.side is None else entry.side.value,
                "set_number": entry.set_number,
                "hold_seconds": entry.hold_seconds,
                "reps": entry.reps,
                "skipped": entry.skipped,
                "sharp_pain": entry.sharp_pain,
                "recorded_at": _when(at),
            }
            for entry, at in zip(log.entries, recorded.entries_recorded_at, strict=True)
        ],
    }


# Reading an export back


def loads(text: str) -> Snapshot:
    """JSON text -> Snapshot; anything wrong is a BadInput naming the key."""
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        msg = f"this file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise BadInput(msg) from None
    if not isinstance(document, dict):
        msg = "this is not a hipflex export: it is not a JSON object"
        raise BadInput(msg)
    _check_header(document)
    try:
        return _snapshot(_Object("", document))
    except BadInput as exc:
        msg = f"this export cannot be imported: {exc}"
        raise BadInput(msg) from None


def _no_constant(name: str) -> object:
    msg = f"this export cannot be imported: {name} is not a number JSON allows"
    raise BadInput(msg)


def _check_header(document: Mapping[str, object]) -> None:
    kind = document.get("format")
    if kind != FORMAT:
        found = 'no "format" key' if "format" not in document else f'"format" {_show(kind)}'
        msg = f'this is not a hipflex export ({found}; expected "format": "{FORMAT}")'
        raise BadInput(msg)
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        msg = f'this export has no usable "version" (found {_show(version)}, expected {VERSION})'
        raise BadInput(msg)
    if version != VERSION:
        newer = " (made by a newer hipflex: update hipflex first)" if version > VERSION else ""
        msg = f"this export is version {version}; this hipflex reads version {VERSION}{newer}"
        raise BadInput(msg)


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _bad(where: str, problem: str) -> BadInput:
    return BadInput(f"{where}: {problem}")


@contextmanager
def _within(where: str) -> Iterator[None]:
    """A domain check's message, prefixed with the record it is about."""
    try:
        yield
    except BadInput as exc:
        raise _bad(where, str(exc)) from None


def _text(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise _bad(where, f"expected text, not {_show(value)}")
    return value


def _integer(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(where, f"expected a whole number, not {_show(value)}")
    return value


def _number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(where, f"expected a number, not {_show(value)}")
    return float(value)


def _flag(where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _bad(where, f"expected true or false, not {_show(value)}")
    return value


def _moment(where: str, value: object) -> datetime:
    text = _text(where, value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(where, f"'{text}' is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _bad(where, f"'{text}' needs a UTC offset, e.g. 2026-11-02T09:00:00+00:00")
    return moment


def _day(where: str, value: object) -> date:
    text = _text(where, value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(where, f"'{text}' is not a date (YYYY-MM-DD)") from None


def _clock(where: str, value: object) -> time:
    with _within(where):
        return parse_clock(_text(where, value), "the time")


def _choice(kind: type[E]) -> Reader[E]:
    def read(where: str, value: object) -> E:
        text = _text(where, value)
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise _bad(where, f"unknown value '{text}' (expected one of: {choices})") from None

    return read


class _Object:
    """A JSON object and where it sits in the document, for messages that name the key."""

    def __init__(self, where: str, value: object) -> None:
        if not isinstance(value, dict):
            raise _bad(where, f"expected an object, not {_show(value)}")
        self.where = where
        self.data: dict[str, object] = value

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _raw(self, key: str) -> object:
        if key not in self.data:
            msg = f"{self.at(key)} is missing"
            raise BadInput(msg)
        return self.data[key]

    def get(self, key: str, read: Reader[T]) -> T:
        return read(self.at(key), self._raw(key))

    def maybe(self, key: str, read: Reader[T]) -> T | None:
        """A key that must be present but may be null."""
        value = self._raw(key)
        return None if value is None else read(self.at(key), value)

    def object(self, key: str) -> _Object:
        return _Object(self.at(key), self._raw(key))

    def values(self, key: str, read: Reader[T]) -> list[T]:
        items = self._raw(key)
        if not isinstance(items, list):
            raise _bad(self.at(key), f"expected a list, not {_show(items)}")
        return [read(f"{self.at(key)}[{i}]", item) for i, item in enumerate(items)]

    def objects(self, key: str) -> list[_Object]:
        return self.values(key, _Object)


def _snapshot(root: _Object) -> Snapshot:
    root.get("exported_at", _moment)
    preferences = root.maybe("preferences", _Object)
    return Snapshot(
        preferences=None if preferences is None else _read_preferences(preferences),
        assessments=tuple(_read_assessment(item) for item in root.objects("assessments")),
        blocks=tuple(_read_block(item) for item in root.objects("blocks")),
        sessions=tuple(_read_session(item) for item in root.objects("sessions")),
        pain_ratings=tuple(_read_pain(item) for item in root.objects("pain_ratings")),
        sitting=tuple(_read_sitting(item) for item in root.objects("sitting")),
        notes=tuple(
            Note(item.get("at", _moment), item.get("text", _text)) for item in root.objects("notes")
        ),
        clearances=tuple(
            Clearance(item.get("exercise_id", _choice(ExerciseId)), item.get("at", _moment))
            for item in root.objects("clearances")
        ),
    )


def _read_preferences(item: _Object) -> SavedPreferences:
    days = item.values("work_days", _text)
    zone = item.maybe("timezone", _text)
    sessions, weeks, minutes = (
        item.get(key, _integer) for key in ("sessions_per_day", "block_weeks", "break_minutes")
    )
    start, end = item.get("work_start", _clock), item.get("work_end", _clock)
    floor, desk = item.get("floor_at_work", _flag), item.get("sit_stand_desk", _flag)
    updated_at = item.get("updated_at", _moment)
    with _within(item.at("work_days")):
        work_days = parse_weekdays(",".join(days)) if days else frozenset()
    with _within(item.at("timezone")):
        timezone = None if zone is None else check_zone(zone)
    with _within(item.where):
        preferences = Preferences(
            sessions_per_day=sessions,
            block_weeks=weeks,
            break_minutes=minutes,
            work_days=work_days,
            work_start=start,
            work_end=end,
            floor_at_work=floor,
            sit_stand_desk=desk,
            timezone=timezone,
        )
    return SavedPreferences(preferences, updated_at)


def _read_assessment(item: _Object) -> RecordedAssessment:
    sides = item.object("sides")
    unknown = set(sides.data) - {side.value for side in Side}
    if unknown:
        raise _bad(sides.at(sorted(unknown)[0]), "unknown side (expected left and right)")
    thomas: dict[Side, ThomasInput] = {}
    extension: dict[Side, ExtensionInput] = {}
    findings: dict[Side, SideFindings] = {}
    for side in Side:
        found = _read_side(side, sides.object(side.value))
        thomas[side], extension[side], findings[side] = found
    limits = item.object("thresholds")
    knee_floor = limits.get("knee_floor_deg", _number)
    thigh_tolerance = limits.get("thigh_tolerance_deg", _number)
    extension_floor = limits.get("extension_floor_deg", _number)
    with _within(limits.where):
        thresholds = Thresholds(knee_floor, thigh_tolerance, extension_floor)
    answers = AssessmentInput(
        thomas=thomas,
        extension=extension,
        sitting_hours=item.maybe("sitting_hours", _number),
        signs=frozenset(item.values("signs", _choice(Sign))),
        red_flags=frozenset(item.values("red_flags", _choice(RedFlag))),
    )
    with _within(item.where):
        assess(answers, thresholds)  # the same checks as when the tests were first taken
    # The findings are kept as recorded, even if a later hipflex would read them otherwise.
    assessment = Assessment(
        answers=answers,
        sides=findings,
        sitting_hours=answers.sitting_hours,
        sitting_band=item.maybe("sitting_band", _choice(SittingBand)),
        signs=answers.signs,
        red_flags=answers.red_flags,
        thresholds=thresholds,
    )
    return RecordedAssessment(
        id=item.get("id", _integer),
        recorded_at=item.get("recorded_at", _moment),
        kind=item.get("kind", _choice(AssessmentKind)),
        assessment=assessment,
        block_id=item.maybe("block_id", _integer),
        block_week=item.maybe("block_week", _integer),
    )


def _read_side(side: Side, item: _Object) -> tuple[ThomasInput, ExtensionInput, SideFindings]:
    thomas = item.object("thomas")
    angle = thomas.maybe("thigh_angle_deg", _number)
    knee = thomas.maybe("knee_flexion_deg", _number)
    given = ThomasInput(thomas.maybe("thigh_given", _choice(ThighPosition)), angle, knee)
    extension = item.object("hip_extension")
    degrees = extension.maybe("degrees", _number)
    compensated = extension.get("compensated", _flag)
    finding = SideFindings(
        side=side,
        thomas=ThomasFinding(
            result=thomas.get("result", _choice(ThomasResult)),
            thigh=thomas.maybe("thigh", _choice(ThighPosition)),
            thigh_angle_deg=angle,
            knee_flexion_deg=knee,
        ),
        extension=ExtensionFinding(
            extension.get("result", _choice(ExtensionResult)), degrees, compensated
        ),
    )
    return given, ExtensionInput(degrees, compensated), finding


def _read_block(item: _Object) -> RecordedBlock:
    block = Block(
        item.get("id", _integer), item.get("started_on", _day), item.get("assessment_id", _integer)
    )
    return RecordedBlock(block, item.get("created_at", _moment))


def _read_session(item: _Object) -> RecordedSession:
    entries: list[ExerciseEntry] = []
    saved: list[datetime] = []
    for entry in item.objects("entries"):
        values = (
            entry.get("exercise_id", _choice(ExerciseId)),
            entry.maybe("side", _choice(Side)),
            entry.get("set_number", _integer),
            entry.maybe("hold_seconds", _integer),
            entry.maybe("reps", _integer),
            entry.get("skipped", _flag),
            entry.get("sharp_pain", _flag),
        )
        saved.append(entry.get("recorded_at", _moment))
        with _within(entry.where):
            entries.append(ExerciseEntry(*values))
    session_id, started_at = item.get("id", _integer), item.get("started_at", _moment)
    ended_at = item.maybe("ended_at", _moment)
    source = item.get("source", _choice(SessionSource))
    slot = item.maybe("slot", _choice(SessionSlot))
    before, after = item.maybe("pain_before", _integer), item.maybe("pain_after", _integer)
    note = item.maybe("note", _text)
    recorded_at = item.get("recorded_at", _moment)
    with _within(item.where):
        log = SessionLog(
            started_at=started_at,
            source=source,
            entries=tuple(entries),
            slot=slot,
            pain_before=before,
            pain_after=after,
            ended_at=ended_at,
            note=note,
            id=session_id,
        )
    return RecordedSession(log, recorded_at, tuple(saved))


def _read_pain(item: _Object) -> RecordedPain:
    at = item.get("at", _moment)
    score = item.get("score", _integer)
    recorded_at = item.get("recorded_at", _moment)
    with _within(item.where):
        return RecordedPain(PainRating(at, score), recorded_at)


def _read_sitting(item: _Object) -> SittingEntry:
    day = item.get("day", _day)
    hours = item.get("hours", _number)
    source = item.get("source", _choice(SittingSource))
    recorded_at = item.get("recorded_at", _moment)
    with _within(item.where):
        return SittingEntry(day, hours, source, recorded_at)
