"""A snapshot of your data as a JSON document (services/importer.py reads one back)."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from hipflex.domain.assessment import Assessment, RecordedAssessment
from hipflex.domain.photos import RecordedPhoto
from hipflex.domain.preferences import Preferences, format_weekdays
from hipflex.domain.protocol import Side
from hipflex.domain.tracking import SessionLog
from hipflex.services.data import RecordedSession, Snapshot
from hipflex.services.importer import FORMAT, VERSION, loads

# `loads` is re-exported: a caller that writes an export can read it back from here too.
__all__ = ["FORMAT", "VERSION", "dumps", "export_document", "loads"]


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
                "phase": b.block.phase.value,
                "start_level": b.block.start_level,
                "start_couch_weeks": b.block.start_couch_weeks,
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
        "break_events": [
            {"at": _when(e.at), "outcome": e.outcome.value, "recorded_at": _when(saved)}
            for e, saved in data.break_events
        ],
        "photos": [_photo(photo) for photo in data.photos],
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
        "floor_get_ready_seconds": preferences.floor_get_ready_seconds,
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
    given = assessment.thomas_given(side)
    stretched = assessment.extension_given(side)
    thomas = found.thomas
    extension = found.extension
    return {
        "thomas": {
            "result": thomas.result.value,
            "thigh_given": None if given.thigh is None else given.thigh.value,
            "thigh": None if thomas.thigh is None else thomas.thigh.value,
            "thigh_angle_deg": thomas.thigh_angle_deg,
            "knee_flexion_deg": thomas.knee_flexion_deg,
            "method": given.method.value,
            "pelvis_checked": given.pelvis_checked,
        },
        "hip_extension": {
            "result": extension.result.value,
            "degrees": extension.degrees,
            "compensated": extension.compensated,
            "method": stretched.method.value,
            "pelvis_checked": stretched.pelvis_checked,
        },
    }


def _photo(photo: RecordedPhoto) -> dict[str, Any]:
    """A kept photo (already stripped of its metadata), its bytes in base64."""
    return {
        "id": photo.id,
        "assessment_id": photo.assessment_id,
        "test": photo.test.value,
        "sides": [side.value for side in photo.sides],
        "recorded_at": _when(photo.recorded_at),
        "media_type": photo.image.media_type,
        "width": photo.image.width,
        "height": photo.image.height,
        "data_base64": base64.b64encode(photo.image.data).decode("ascii"),
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
