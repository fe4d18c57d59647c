"""Rows <-> domain objects: the one place each table's columns meet the domain's types."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

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
)
from hipflex.domain.breaks import BreakOutcome
from hipflex.domain.photos import KeptImage, PhotoTest, RecordedPhoto
from hipflex.domain.plan import Block, Phase, SessionSlot
from hipflex.domain.preferences import Preferences, format_weekdays, parse_weekdays
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
)

if TYPE_CHECKING:  # the builders import the models on use: readers need no SQLAlchemy
    from hipflex.domain.accounts import Account
    from hipflex.store.models import (
        AccountRow,
        AssessmentRow,
        BlockRow,
        BreakEventRow,
        ClearanceRow,
        ExerciseLogRow,
        NoteRow,
        PainRatingRow,
        PhotoRow,
        PreferencesRow,
        SessionLogRow,
        SittingLogRow,
    )

T = TypeVar("T")


def _optional(kind: Callable[[str], T], value: str | None) -> T | None:
    return None if value is None else kind(value)


# Assessments


def assessment_values(
    assessment: Assessment,
    *,
    at: datetime,
    kind: AssessmentKind,
    block_id: int | None,
    block_week: int | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An assessment's columns: its row's, and each side's but the assessment's id."""
    answers = assessment.answers
    limits = assessment.thresholds
    row = {
        "recorded_at": at,
        "kind": kind.value,
        "sitting_hours": assessment.sitting_hours,
        "sitting_band": None if assessment.sitting_band is None else assessment.sitting_band.value,
        "signs": sorted(s.value for s in assessment.signs),
        "red_flags": sorted(r.value for r in assessment.red_flags),
        "safe_to_exercise": assessment.safe_to_exercise,
        "knee_floor_deg": limits.knee_floor_deg,
        "thigh_tolerance_deg": limits.thigh_tolerance_deg,
        "extension_floor_deg": limits.extension_floor_deg,
        "block_id": block_id,
        "block_week": block_week,
    }
    sides = []
    for side, found in assessment.sides.items():
        given = answers.thomas.get(side, ThomasInput())
        stretched = answers.extension.get(side, ExtensionInput())
        sides.append({
            "side": side.value,
            "thomas_thigh_given": None if given.thigh is None else given.thigh.value,
            "thomas_thigh_angle_deg": given.thigh_angle_deg,
            "thomas_knee_flexion_deg": given.knee_flexion_deg,
            "thomas_thigh": None if found.thomas.thigh is None else found.thomas.thigh.value,
            "thomas_result": found.thomas.result.value,
            "extension_deg": found.extension.degrees,
            "extension_compensated": found.extension.compensated,
            "extension_result": found.extension.result.value,
            "thomas_method": given.method.value,
            "thomas_pelvis_checked": given.pelvis_checked,
            "extension_method": stretched.method.value,
            "extension_pelvis_checked": stretched.pelvis_checked,
        })  # fmt: skip
    return row, sides


def assessment_row(
    assessment: Assessment,
    *,
    at: datetime,
    kind: AssessmentKind,
    block_id: int | None,
    block_week: int | None,
) -> AssessmentRow:
    from hipflex.store.models import AssessmentRow, AssessmentSideRow

    values, sides = assessment_values(
        assessment, at=at, kind=kind, block_id=block_id, block_week=block_week
    )
    return AssessmentRow(**values, sides=[AssessmentSideRow(**side) for side in sides])


def recorded_assessment(row: AssessmentRow) -> RecordedAssessment:
    """An assessment row with its sides loaded."""
    thomas: dict[Side, ThomasInput] = {}
    extension: dict[Side, ExtensionInput] = {}
    sides: dict[Side, SideFindings] = {}
    for side_row in row.sides:
        side = Side(side_row.side)
        thomas[side] = ThomasInput(
            thigh=_optional(ThighPosition, side_row.thomas_thigh_given),
            thigh_angle_deg=side_row.thomas_thigh_angle_deg,
            knee_flexion_deg=side_row.thomas_knee_flexion_deg,
            method=MeasurementMethod(side_row.thomas_method),
            pelvis_checked=side_row.thomas_pelvis_checked,
        )
        extension[side] = ExtensionInput(
            side_row.extension_deg,
            side_row.extension_compensated,
            MeasurementMethod(side_row.extension_method),
            side_row.extension_pelvis_checked,
        )
        sides[side] = SideFindings(
            side=side,
            thomas=ThomasFinding(
                result=ThomasResult(side_row.thomas_result),
                thigh=_optional(ThighPosition, side_row.thomas_thigh),
                thigh_angle_deg=side_row.thomas_thigh_angle_deg,
                knee_flexion_deg=side_row.thomas_knee_flexion_deg,
            ),
            extension=ExtensionFinding(
                ExtensionResult(side_row.extension_result),
                side_row.extension_deg,
                side_row.extension_compensated,
            ),
        )
    signs = frozenset(Sign(s) for s in row.signs)
    red_flags = frozenset(RedFlag(r) for r in row.red_flags)
    answers = AssessmentInput(
        thomas=thomas,
        extension=extension,
        sitting_hours=row.sitting_hours,
        signs=signs,
        red_flags=red_flags,
    )
    assessment = Assessment(
        answers=answers,
        sides=dict(sorted(sides.items(), key=lambda item: list(Side).index(item[0]))),
        sitting_hours=row.sitting_hours,
        sitting_band=_optional(SittingBand, row.sitting_band),
        signs=signs,
        red_flags=red_flags,
        thresholds=Thresholds(row.knee_floor_deg, row.thigh_tolerance_deg, row.extension_floor_deg),
    )
    return RecordedAssessment(
        row.id, row.recorded_at, AssessmentKind(row.kind), assessment, row.block_id, row.block_week
    )


# Preferences and programme blocks


def preferences(row: PreferencesRow) -> Preferences:
    return Preferences(
        sessions_per_day=row.sessions_per_day,
        block_weeks=row.block_weeks,
        break_minutes=row.break_minutes,
        work_days=parse_weekdays(row.work_days),
        work_start=time.fromisoformat(row.work_start),
        work_end=time.fromisoformat(row.work_end),
        floor_at_work=row.floor_at_work,
        sit_stand_desk=row.sit_stand_desk,
        timezone=row.timezone,
        floor_get_ready_seconds=row.floor_get_ready_seconds,
    )


def preferences_values(preferences: Preferences, *, at: datetime) -> dict[str, Any]:
    """The preferences row's columns (all but the id)."""
    return {
        "sessions_per_day": preferences.sessions_per_day,
        "block_weeks": preferences.block_weeks,
        "break_minutes": preferences.break_minutes,
        "work_days": format_weekdays(preferences.work_days),
        "work_start": preferences.work_start.strftime("%H:%M"),
        "work_end": preferences.work_end.strftime("%H:%M"),
        "floor_at_work": preferences.floor_at_work,
        "sit_stand_desk": preferences.sit_stand_desk,
        "timezone": preferences.timezone,
        "floor_get_ready_seconds": preferences.floor_get_ready_seconds,
        "updated_at": at,
    }


def block(row: BlockRow) -> Block:
    return Block(
        row.id,
        row.started_on,
        row.assessment_id,
        Phase(row.phase),
        row.start_level,
        row.start_couch_weeks,
    )


# Logs


def entry_values(entry: ExerciseEntry, at: datetime) -> dict[str, Any]:
    """An exercise log row's columns but its session's id."""
    return {
        "exercise_id": entry.exercise_id.value,
        "side": None if entry.side is None else entry.side.value,
        "set_number": entry.set_number,
        "hold_seconds": entry.hold_seconds,
        "reps": entry.reps,
        "skipped": entry.skipped,
        "sharp_pain": entry.sharp_pain,
        "logged_at": at,
    }


def entry_row(entry: ExerciseEntry, at: datetime) -> ExerciseLogRow:
    from hipflex.store.models import ExerciseLogRow

    return ExerciseLogRow(**entry_values(entry, at))


def session_log_values(
    log: SessionLog, *, at: datetime, entries_at: Sequence[datetime] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A whole session's columns: its row's (saved `at`), and each entry's (saved `at` too,
    or at its own time in `entries_at`, as a restored session keeps them)."""
    saved = [at] * len(log.entries) if entries_at is None else list(entries_at)
    session = {
        "started_at": log.started_at,
        "ended_at": log.ended_at,
        "source": log.source.value,
        "slot": None if log.slot is None else log.slot.value,
        "pain_before": log.pain_before,
        "pain_after": log.pain_after,
        "note": log.note,
        "created_at": at,
    }
    return session, [entry_values(e, when) for e, when in zip(log.entries, saved, strict=True)]


def session_log(row: SessionLogRow) -> SessionLog:
    """A session log row with its entries loaded."""
    return SessionLog(
        id=row.id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        source=SessionSource(row.source),
        slot=_optional(SessionSlot, row.slot),
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        note=row.note,
        entries=tuple(
            ExerciseEntry(
                exercise_id=ExerciseId(e.exercise_id),
                side=_optional(Side, e.side),
                set_number=e.set_number,
                hold_seconds=e.hold_seconds,
                reps=e.reps,
                skipped=e.skipped,
                sharp_pain=e.sharp_pain,
            )
            for e in row.entries
        ),
    )


# The rows a log appends: one place for their columns, whichever way they are written
# (Store's ORM, or hipflex.store.lite on SQLite).


def pain_rating_values(rating: PainRating, *, at: datetime) -> dict[str, Any]:
    return {"at": rating.at, "score": rating.score, "created_at": at}


def sitting_values(entry: SittingEntry) -> dict[str, Any]:
    return {
        "day": entry.day,
        "hours": entry.hours,
        "source": entry.source.value,
        "created_at": entry.at,
    }


def note_values(note: Note) -> dict[str, Any]:
    return {"at": note.at, "text": note.text}


def break_event_values(event: BreakEvent, *, at: datetime) -> dict[str, Any]:
    return {"at": event.at, "outcome": event.outcome.value, "created_at": at}


def pain_rating(row: PainRatingRow) -> PainRating:
    return PainRating(row.at, row.score)


def sitting_entry(row: SittingLogRow) -> SittingEntry:
    return SittingEntry(row.day, row.hours, SittingSource(row.source), row.created_at)


def note(row: NoteRow) -> Note:
    return Note(row.at, row.text)


def clearance(row: ClearanceRow) -> Clearance:
    return Clearance(ExerciseId(row.exercise_id), row.at)


def break_event(row: BreakEventRow) -> BreakEvent:
    return BreakEvent(row.at, BreakOutcome(row.outcome))


# Photos kept by choice


def photo_row(
    *, assessment_id: int, test: PhotoTest, sides: tuple[Side, ...], image: KeptImage, at: datetime
) -> PhotoRow:
    from hipflex.store.models import PhotoRow

    return PhotoRow(
        assessment_id=assessment_id,
        test=test.value,
        sides=[side.value for side in sides],
        media_type=image.media_type,
        width=image.width,
        height=image.height,
        data=image.data,
        recorded_at=at,
    )


def recorded_photo(row: PhotoRow) -> RecordedPhoto:
    return RecordedPhoto(
        id=row.id,
        assessment_id=row.assessment_id,
        test=PhotoTest(row.test),
        sides=tuple(Side(side) for side in row.sides),
        image=KeptImage(bytes(row.data), row.media_type, row.width, row.height),
        recorded_at=row.recorded_at,
    )


# Team mode's accounts


def account(row: AccountRow) -> Account:
    from hipflex.domain.accounts import Account, Role  # team mode's: on use

    return Account(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        created_at=row.created_at,
        has_password=row.password_hash is not None,
        disabled_at=row.disabled_at,
    )
