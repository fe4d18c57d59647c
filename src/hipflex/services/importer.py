"""A JSON export read back into a snapshot, every value checked and any fault named."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime

from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    AssessmentKind,
    ExtensionFinding,
    ExtensionInput,
    ExtensionResult,
    MeasurementMethod,
    RecordedAssessment,
    SideFindings,
    ThighPosition,
    ThomasFinding,
    ThomasInput,
    ThomasResult,
    Thresholds,
    assess,
)
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.errors import BadInput
from hipflex.domain.photos import PhotoTest, RecordedPhoto
from hipflex.domain.plan import Block, Phase, SessionSlot
from hipflex.domain.preferences import Preferences, parse_weekdays
from hipflex.domain.protocol import ExerciseId, RedFlag, Side, Sign, SittingBand
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    ExerciseEntry,
    Note,
    PainRating,
    SessionLog,
    SessionSource,
    SittingEntry,
    SittingSource,
    check_note,
)
from hipflex.services.data import (
    RecordedBlock,
    RecordedPain,
    RecordedSession,
    SavedPreferences,
    Snapshot,
)
from hipflex.services.json_values import (
    JsonObject,
    as_choice,
    as_clock,
    as_day,
    as_flag,
    as_id,
    as_integer,
    as_moment,
    as_number,
    as_text,
    bad,
    parse_json,
    show,
    within,
)
from hipflex.services.photo_tests import checked_image
from hipflex.services.timezones import check_zone

# What export_json writes in the header, and all this hipflex reads.
FORMAT = "hipflex-export"
VERSION = 1


def loads(text: str) -> Snapshot:
    """JSON text -> Snapshot; anything wrong is a BadInput naming the key."""
    try:
        document = parse_json(text, "this file")
    except BadInput as exc:
        msg = f"this export cannot be imported: {exc}"
        raise BadInput(msg) from None
    if not isinstance(document, dict):
        msg = "this is not a hipflex export: it is not a JSON object"
        raise BadInput(msg)
    _check_header(document)
    try:
        return _snapshot(JsonObject("", document))
    except BadInput as exc:
        msg = f"this export cannot be imported: {exc}"
        raise BadInput(msg) from None


def _check_header(document: Mapping[str, object]) -> None:
    kind = document.get("format")
    if kind != FORMAT:
        found = 'no "format" key' if "format" not in document else f'"format" {show(kind)}'
        msg = f'this is not a hipflex export ({found}; expected "format": "{FORMAT}")'
        raise BadInput(msg)
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        msg = f'this export has no usable "version" (found {show(version)}, expected {VERSION})'
        raise BadInput(msg)
    if version != VERSION:
        newer = " (made by a newer hipflex: update hipflex first)" if version > VERSION else ""
        msg = f"this export is version {version}; this hipflex reads version {VERSION}{newer}"
        raise BadInput(msg)


def _snapshot(root: JsonObject) -> Snapshot:
    root.get("exported_at", as_moment)
    preferences = root.maybe("preferences", JsonObject)
    return Snapshot(
        preferences=None if preferences is None else _read_preferences(preferences),
        assessments=tuple(_read_assessment(item) for item in root.objects("assessments")),
        blocks=tuple(_read_block(item) for item in root.objects("blocks")),
        sessions=tuple(_read_session(item) for item in root.objects("sessions")),
        pain_ratings=tuple(_read_pain(item) for item in root.objects("pain_ratings")),
        sitting=tuple(_read_sitting(item) for item in root.objects("sitting")),
        notes=tuple(_read_note(item) for item in root.objects("notes")),
        clearances=tuple(
            Clearance(item.get("exercise_id", as_choice(ExerciseId)), item.get("at", as_moment))
            for item in root.objects("clearances")
        ),
        # Exports made before the reminders recorded breaks have no such list.
        break_events=tuple(
            (
                BreakEvent(item.get("at", as_moment), item.get("outcome", as_choice(BreakOutcome))),
                item.get("recorded_at", as_moment),
            )
            for item in (root.objects("break_events") if "break_events" in root.data else [])
        ),
        # Exports made before photos could be kept have no such list.
        photos=tuple(
            _read_photo(item) for item in (root.objects("photos") if "photos" in root.data else [])
        ),
    )


def _read_preferences(item: JsonObject) -> SavedPreferences:
    days = item.values("work_days", as_text)
    zone = item.maybe("timezone", as_text)
    sessions, weeks, minutes = (
        item.get(key, as_integer) for key in ("sessions_per_day", "block_weeks", "break_minutes")
    )
    start, end = item.get("work_start", as_clock), item.get("work_end", as_clock)
    floor, desk = item.get("floor_at_work", as_flag), item.get("sit_stand_desk", as_flag)
    updated_at = item.get("updated_at", as_moment)
    # exports from before the setting existed have none: the default
    floor_seconds = (
        item.maybe("floor_get_ready_seconds", as_integer)
        if "floor_get_ready_seconds" in item.data
        else None
    )
    with within(item.at("work_days")):
        work_days = parse_weekdays(",".join(days)) if days else frozenset()
    with within(item.at("timezone")):
        timezone = None if zone is None else check_zone(zone)
    with within(item.where):
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
            **({} if floor_seconds is None else {"floor_get_ready_seconds": floor_seconds}),
        )
    return SavedPreferences(preferences, updated_at)


def _read_assessment(item: JsonObject) -> RecordedAssessment:
    sides = item.object("sides")
    unknown = set(sides.data) - {side.value for side in Side}
    if unknown:
        raise bad(sides.at(sorted(unknown)[0]), "unknown side (expected left and right)")
    thomas: dict[Side, ThomasInput] = {}
    extension: dict[Side, ExtensionInput] = {}
    findings: dict[Side, SideFindings] = {}
    for side in Side:
        found = _read_side(side, sides.object(side.value))
        thomas[side], extension[side], findings[side] = found
    limits = item.object("thresholds")
    knee_floor = limits.get("knee_floor_deg", as_number)
    thigh_tolerance = limits.get("thigh_tolerance_deg", as_number)
    extension_floor = limits.get("extension_floor_deg", as_number)
    with within(limits.where):
        thresholds = Thresholds(knee_floor, thigh_tolerance, extension_floor)
    red_flags = frozenset(item.values("red_flags", as_choice(RedFlag)))
    answers = AssessmentInput(
        thomas=thomas,
        extension=extension,
        sitting_hours=item.maybe("sitting_hours", as_number),
        signs=frozenset(item.values("signs", as_choice(Sign))),
        red_flags=red_flags,
    )
    with within(item.where):
        assess(answers, thresholds)  # the same checks as when the tests were first taken
    # The findings are kept as recorded, even if a later hipflex would read them otherwise.
    assessment = Assessment(
        answers=answers,
        sides=findings,
        sitting_hours=answers.sitting_hours,
        sitting_band=item.maybe("sitting_band", as_choice(SittingBand)),
        signs=answers.signs,
        red_flags=red_flags,
        thresholds=thresholds,
    )
    return RecordedAssessment(
        id=item.get("id", as_id),
        recorded_at=item.get("recorded_at", as_moment),
        kind=item.get("kind", as_choice(AssessmentKind)),
        assessment=assessment,
        block_id=item.maybe("block_id", as_id),
        block_week=item.maybe("block_week", as_integer),
    )


def _method(item: JsonObject) -> tuple[MeasurementMethod, bool | None]:
    """How a test was measured; exports from before photos have neither key: typed in."""
    method = item.optional("method", as_choice(MeasurementMethod), MeasurementMethod.SELF)
    checked = item.data.get("pelvis_checked")
    return method, None if checked is None else as_flag(item.at("pelvis_checked"), checked)


def _read_side(side: Side, item: JsonObject) -> tuple[ThomasInput, ExtensionInput, SideFindings]:
    thomas = item.object("thomas")
    angle = thomas.maybe("thigh_angle_deg", as_number)
    knee = thomas.maybe("knee_flexion_deg", as_number)
    thigh_given = thomas.maybe("thigh_given", as_choice(ThighPosition))
    given = ThomasInput(thigh_given, angle, knee, *_method(thomas))
    extension = item.object("hip_extension")
    degrees = extension.maybe("degrees", as_number)
    compensated = extension.get("compensated", as_flag)
    stretched = ExtensionInput(degrees, compensated, *_method(extension))
    finding = SideFindings(
        side=side,
        thomas=ThomasFinding(
            result=thomas.get("result", as_choice(ThomasResult)),
            thigh=thomas.maybe("thigh", as_choice(ThighPosition)),
            thigh_angle_deg=angle,
            knee_flexion_deg=knee,
        ),
        extension=ExtensionFinding(
            extension.get("result", as_choice(ExtensionResult)), degrees, compensated
        ),
    )
    return given, stretched, finding


def _read_photo(item: JsonObject) -> RecordedPhoto:
    encoded = item.get("data_base64", as_text)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise bad(item.at("data_base64"), "not base64 data") from None
    media_type = item.get("media_type", as_text)
    width, height = item.get("width", as_integer), item.get("height", as_integer)
    with within(item.where):
        image = checked_image(data, media_type, width, height)
    return RecordedPhoto(
        id=item.get("id", as_id),
        assessment_id=item.get("assessment_id", as_id),
        test=item.get("test", as_choice(PhotoTest)),
        sides=tuple(item.values("sides", as_choice(Side))),
        image=image,
        recorded_at=item.get("recorded_at", as_moment),
    )


def _read_block(item: JsonObject) -> RecordedBlock:
    # Exports from before phases existed have none: their blocks were blocks from scratch.
    block = Block(
        item.get("id", as_id),
        item.get("started_on", as_day),
        item.get("assessment_id", as_id),
        item.optional("phase", as_choice(Phase), Phase.BLOCK),
        item.optional("start_level", as_integer, 0),
        item.optional("start_couch_weeks", as_integer, 0),
    )
    return RecordedBlock(block, item.get("created_at", as_moment))


def _read_session(item: JsonObject) -> RecordedSession:
    entries: list[ExerciseEntry] = []
    saved: list[datetime] = []
    for entry in item.objects("entries"):
        values = (
            entry.get("exercise_id", as_choice(ExerciseId)),
            entry.maybe("side", as_choice(Side)),
            entry.get("set_number", as_integer),
            entry.maybe("hold_seconds", as_integer),
            entry.maybe("reps", as_integer),
            entry.get("skipped", as_flag),
            entry.get("sharp_pain", as_flag),
        )
        saved.append(entry.get("recorded_at", as_moment))
        with within(entry.where):
            entries.append(ExerciseEntry(*values))
    session_id, started_at = item.get("id", as_id), item.get("started_at", as_moment)
    ended_at = item.maybe("ended_at", as_moment)
    source = item.get("source", as_choice(SessionSource))
    slot = item.maybe("slot", as_choice(SessionSlot))
    before, after = item.maybe("pain_before", as_integer), item.maybe("pain_after", as_integer)
    note = item.maybe("note", as_text)
    recorded_at = item.get("recorded_at", as_moment)
    if note is not None:
        with within(item.at("note")):
            check_note(note)
    if ended_at is not None and ended_at < started_at:
        raise bad(item.at("ended_at"), "the session ends before it starts")
    with within(item.where):
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


def _read_note(item: JsonObject) -> Note:
    at, text = item.get("at", as_moment), item.get("text", as_text)
    with within(item.at("text")):
        check_note(text)  # the same rules as a note logged now (kept as it was written)
    return Note(at, text)


def _read_pain(item: JsonObject) -> RecordedPain:
    at = item.get("at", as_moment)
    score = item.get("score", as_integer)
    recorded_at = item.get("recorded_at", as_moment)
    with within(item.where):
        return RecordedPain(PainRating(at, score), recorded_at)


def _read_sitting(item: JsonObject) -> SittingEntry:
    day = item.get("day", as_day)
    hours = item.get("hours", as_number)
    source = item.get("source", as_choice(SittingSource))
    recorded_at = item.get("recorded_at", as_moment)
    with within(item.where):
        return SittingEntry(day, hours, source, recorded_at)
