"""Your measurements as a FHIR R4 Bundle of Observations, for a clinician's system.

Pain is LOINC 72514-3 (0-10 numeric rating, PROTOCOL.md section 4); angles are UCUM
degrees with the side as SNOMED CT laterality; both sides are always exported.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hipflex.domain.assessment import (
    Assessment,
    ExtensionResult,
    MeasurementMethod,
    RecordedAssessment,
    ThighPosition,
    ThomasResult,
)
from hipflex.domain.goniometry import PHOTO_SEM_DEG
from hipflex.domain.protocol import Side
from hipflex.domain.tracking import ANGLE_SEM_DEG, SittingSource, daily_sitting
from hipflex.services.data import Snapshot

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
MEASURE = "https://hipflex.example/fhir/CodeSystem/measure"
FINDING = "https://hipflex.example/fhir/CodeSystem/finding"
METHOD = "https://hipflex.example/fhir/CodeSystem/measurement-method"

PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"

# SNOMED CT: the lateralized structure is a post-coordinated expression, e.g.
# 24136001 |Hip joint structure| : 272741003 |Laterality| = 7771000 |Left|.
LATERALITY_ATTRIBUTE = "272741003"
LATERALITY = {Side.LEFT: "7771000", Side.RIGHT: "24028007"}
HIP_JOINT = ("24136001", "hip joint")
KNEE = ("72696002", "knee region")

# Fixed, so that exporting the same data twice gives the same resource ids.
NAMESPACE = uuid.UUID("6f1c2d0e-3b7a-5c4e-9a1d-8e2f4b6c0a11")

# Observation.method: how the angle was measured, with its published error (PROTOCOL.md
# section 4; the photo figure is Peeler 2013's, whatever the user's own setting).
METHODS = {
    MeasurementMethod.SELF: (
        "Self-measured",
        f"Self-measured at home (about {ANGLE_SEM_DEG:g} degrees standard error)",
    ),
    MeasurementMethod.PHOTO: (
        "Measured on a side photo",
        (
            "Measured at home on a side photo, angles computed from marked or detected body "
            f"points (photo goniometry, about {PHOTO_SEM_DEG:g} degree standard error)"
        ),
    ),
}
NO_PELVIS_NOTE = "The trunk, and so the pelvis, could not be checked on the photo."

MEASURES = {
    "thomas-knee-flexion": ("Thomas test: knee flexion angle of the hanging leg", KNEE),
    "thomas-thigh-angle": ("Thomas test: thigh angle above horizontal", HIP_JOINT),
    "hip-extension": ("Standing hip extension angle", HIP_JOINT),
}


def bundle_json(data: Snapshot, exported_at: datetime) -> str:
    return json.dumps(build_bundle(data, exported_at), indent=2, ensure_ascii=False) + "\n"


def _full_url(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def build_bundle(data: Snapshot, exported_at: datetime) -> dict[str, Any]:
    """A "collection" Bundle: one local Patient (no personal data) and the Observations."""
    patient = _full_url("patient")
    observations = [
        *(
            _pain(p.rating.at, p.rating.score, "Daily rating of low back pain.")
            for p in data.pain_ratings
        ),
        *_session_pain(data),
        *(o for recorded in data.assessments for o in _assessment(recorded)),
        *_sitting(data),
    ]
    entries = [
        {
            "fullUrl": patient,
            "resource": {
                "resourceType": "Patient",
                "id": patient.removeprefix("urn:uuid:"),
                "active": True,
            },
        }
    ]
    seen: dict[str, int] = {}
    for key, elements in observations:
        seen[key] = seen.get(key, 0) + 1  # identical records still get distinct ids
        url = _full_url(f"{key}#{seen[key]}")
        resource = {
            "resourceType": "Observation",
            "id": url.removeprefix("urn:uuid:"),
            "status": "final",
            **elements,
            "subject": {"reference": patient},
        }
        entries.append({"fullUrl": url, "resource": _ordered(resource)})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": exported_at.isoformat(),
        "entry": entries,
    }


_ORDER = ("resourceType", "id", "status", "category", "code", "subject", "effectiveDateTime")


def _ordered(resource: dict[str, Any]) -> dict[str, Any]:
    """The usual FHIR element order first, for people reading the file."""
    return {
        **{k: resource[k] for k in _ORDER if k in resource},
        **{k: v for k, v in resource.items() if k not in _ORDER},
    }


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _pain(at: datetime, score: int, note: str) -> tuple[str, dict[str, Any]]:
    return f"pain/{at.isoformat()}/{note}", {
        "category": _category("survey", "Survey"),
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
            "text": "Low back pain, 0-10",
        },
        "effectiveDateTime": at.isoformat(),
        "valueInteger": score,
        "note": [{"text": note}],
    }


def _session_pain(data: Snapshot) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for recorded in data.sessions:
        log = recorded.log
        slot = "" if log.slot is None else f"{log.slot.value} "
        what = f"{slot}session ({log.source.value}) started {log.started_at.isoformat()}"
        if log.pain_before is not None:
            found.append(_pain(log.started_at, log.pain_before, f"Before an exercise {what}."))
        if log.pain_after is not None:
            after = log.ended_at or log.started_at
            found.append(_pain(after, log.pain_after, f"After an exercise {what}."))
    return found


def _body_site(side: Side, structure: tuple[str, str]) -> dict[str, Any]:
    code, name = structure
    return {
        "coding": [
            {
                "system": SNOMED,
                "code": f"{code}:{LATERALITY_ATTRIBUTE}={LATERALITY[side]}",
                "display": f"{side.value.capitalize()} {name}",
            }
        ],
        "text": f"{side.value.capitalize()} {name}",
    }


def _interpretation(result: str, normal: bool) -> list[dict[str, Any]]:
    flag = ("N", "Normal") if normal else ("A", "Abnormal")
    return [
        {"coding": [{"system": INTERPRETATION, "code": flag[0], "display": flag[1]}]},
        {"coding": [{"system": FINDING, "code": result, "display": result.replace("_", " ")}]},
    ]


@dataclass(frozen=True)
class _Angle:
    """One angle of one test on one side, with the test's result."""

    measure: str
    degrees: float | None
    result: str
    note: str | None = None
    method: MeasurementMethod = MeasurementMethod.SELF
    pelvis_checked: bool | None = None


def _angles(assessment: Assessment, side: Side) -> list[_Angle]:
    found: list[_Angle] = []
    thomas = assessment.sides[side].thomas
    given = assessment.thomas_given(side)
    if thomas.result is not ThomasResult.NOT_TESTED:
        judged = None
        if thomas.thigh is not None:
            seen = "rose" if thomas.thigh is ThighPosition.RAISED else "stayed flat"
            judged = f"The thigh {seen}."
        result = thomas.result.value
        how = (given.method, given.pelvis_checked)
        found.append(_Angle("thomas-thigh-angle", thomas.thigh_angle_deg, result, judged, *how))
        found.append(_Angle("thomas-knee-flexion", thomas.knee_flexion_deg, result, None, *how))
    extension = assessment.sides[side].extension
    stretched = assessment.extension_given(side)
    if extension.result is not ExtensionResult.NOT_TESTED:
        leaned = "The back arched or the torso leaned (compensated)."
        found.append(
            _Angle(
                "hip-extension",
                extension.degrees,
                extension.result.value,
                leaned if extension.compensated else None,
                stretched.method,
                stretched.pelvis_checked,
            )
        )
    return found


def _angle(recorded: RecordedAssessment, side: Side, angle: _Angle) -> tuple[str, dict[str, Any]]:
    display, structure = MEASURES[angle.measure]
    at = recorded.recorded_at.isoformat()
    context = "Baseline assessment"
    if recorded.block_id is not None:
        context = f"Re-test, programme week {recorded.block_week}"
    notes = [f"{context}; result: {angle.result.replace('_', ' ')}.", angle.note]
    if angle.pelvis_checked is False:
        notes.append(NO_PELVIS_NOTE)
    method, method_text = METHODS[angle.method]
    resource: dict[str, Any] = {
        "category": _category("exam", "Exam"),
        "code": {
            "coding": [{"system": MEASURE, "code": angle.measure, "display": display}],
            "text": display,
        },
        "effectiveDateTime": at,
        "bodySite": _body_site(side, structure),
        "method": {
            "coding": [{"system": METHOD, "code": angle.method.value, "display": method}],
            "text": method_text,
        },
        "interpretation": _interpretation(angle.result, angle.result == "normal"),
        "note": [{"text": text} for text in notes if text],
    }
    if angle.degrees is None:
        resource["dataAbsentReason"] = {
            "coding": [{"system": ABSENT, "code": "not-performed", "display": "Not Performed"}],
            "text": "The angle was not measured",
        }
    else:
        resource["valueQuantity"] = {
            "value": angle.degrees,
            "unit": "deg",
            "system": UCUM,
            "code": "deg",
        }
    return f"{angle.measure}/{side.value}/{at}/{recorded.id}", resource


def _assessment(recorded: RecordedAssessment) -> list[tuple[str, dict[str, Any]]]:
    assessment = recorded.assessment
    found = [
        _angle(recorded, side, angle)
        for side in assessment.sides
        for angle in _angles(assessment, side)
    ]
    if assessment.sitting_hours is not None:
        at = recorded.recorded_at.isoformat()
        usual = "Hours sitting on a usual day, as reported at an assessment."
        found.append(_hours(f"usual/{at}", at, assessment.sitting_hours, usual))
    return found


def _hours(key: str, when: str, hours: float, note: str) -> tuple[str, dict[str, Any]]:
    return f"sitting/{key}", {
        "category": _category("activity", "Activity"),
        "code": {
            "coding": [
                {"system": MEASURE, "code": "sitting-hours", "display": "Hours of sitting in a day"}
            ],
            "text": "Hours of sitting in a day",
        },
        "effectiveDateTime": when,
        "valueQuantity": {"value": hours, "unit": "h", "system": UCUM, "code": "h"},
        "note": [{"text": note}],
    }


def _sitting(data: Snapshot) -> list[tuple[str, dict[str, Any]]]:
    """One figure a day: the latest entry for the day, as everywhere in hipflex."""
    return [
        _hours(
            day.isoformat(),
            day.isoformat(),
            entry.hours,
            _SITTING_NOTES[entry.source],
        )
        for day, entry in daily_sitting(data.sitting).items()
    ]


_SITTING_NOTES = {
    SittingSource.ENTERED: "Entered by the user.",
    SittingSource.MEASURED: "Measured by the activity timer.",
}
