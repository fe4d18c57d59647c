"""Plain words and JSON for progress: shared by the terminal, the report and the web."""

from __future__ import annotations

from typing import Any

from hipflex.domain.protocol import Side
from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    MEANINGFUL_CHANGE_WORDS,
    AngleChange,
    PainChange,
    PainVerdict,
)
from hipflex.services.progress import MEASURES, ProgressView

MEASURE_NAMES = {
    "knee_flexion_deg": "Thomas test knee bend",
    "thigh_angle_deg": "Thomas test thigh angle",
    "extension_deg": "Standing hip extension",
}


def pain_sentence(pain: PainChange) -> str:
    if pain.verdict is PainVerdict.NO_DATA:
        return "Not enough pain ratings yet: rate your pain daily and before and after sessions."
    assert pain.baseline is not None
    assert pain.latest is not None
    change = f"from {pain.baseline:.1f} to {pain.latest:.1f} (weekly averages, 0-10)"
    if pain.verdict is PainVerdict.RESPONDER:
        return f"Responder: your pain fell {change}, at least {MEANINGFUL_CHANGE_WORDS}."
    if pain.verdict is PainVerdict.WORSE:
        return (
            f"Your pain rose {change}. Your plan eases off; if it keeps rising, "
            "please see a clinician."
        )
    return (
        f"Your pain went {change}: not yet the {MEANINGFUL_CHANGE_WORDS} that count as a real "
        "change."
    )


def change_sentence(change: AngleChange) -> str:
    label = (
        "beyond measurement error"
        if change.beyond_error
        else f"within measurement error (under about {ANGLE_MDC_DEG:.0f}°)"
    )
    return f"{change.before:g}° → {change.after:g}° ({change.delta:+g}°, {label})"


def progress_json(view: ProgressView) -> dict[str, Any]:
    return {
        "today": view.today.isoformat(),
        "block_started_on": None if view.block is None else view.block.started_on.isoformat(),
        "current_week": view.current_week,
        "weeks_total": view.preferences.block_weeks,
        "streak_days": view.streak_days,
        "sessions": {"done": view.sessions_done, "planned": view.sessions_planned},
        "weeks": [
            {
                "week": w.week,
                "starts": w.starts.isoformat(),
                "sessions_done": w.done,
                "sessions_planned": w.planned,
                "adherence": round(w.adherence, 3),
                "mean_pain": w.mean_pain,
                "mean_sitting_hours": w.mean_sitting,
                "sharp_pain": sorted(e.value for e in w.sharp_pain),
            }
            for w in view.weeks
        ],
        "pain": {
            "verdict": view.pain.verdict.value,
            "baseline": view.pain.baseline,
            "latest": view.pain.latest,
            "change": view.pain.change,
            "text": pain_sentence(view.pain),
        },
        "tests": [
            {
                "id": r.id,
                "recorded_at": r.recorded_at.isoformat(),
                "kind": r.kind.value,
                "block_week": r.block_week,
                "results": {
                    side.value: {
                        "thomas": r.assessment.sides[side].thomas.result.value,
                        "hip_extension": r.assessment.sides[side].extension.result.value,
                    }
                    for side in Side
                },
            }
            for r in view.tests
        ],
        "changes": [
            {
                "side": side.value,
                "measure": name,
                "before": change.before,
                "after": change.after,
                "delta": change.delta,
                "beyond_measurement_error": change.beyond_error,
            }
            for (side, name), change in view.changes.items()
        ],
        "measurement_error_deg": round(ANGLE_MDC_DEG, 1),
        "asymmetry_deg": {name: view.latest_asymmetry.get(name) for name in MEASURES},
        "sitting": {
            "days": {d.isoformat(): e.hours for d, e in view.sitting.items()},
            "band_last_7_days": None if view.sitting_band is None else view.sitting_band.value,
        },
        "safety_events": [
            {"at": e.at.isoformat(), "kind": e.kind, "detail": e.detail} for e in view.safety
        ],
        "paused_exercises": sorted(e.value for e in view.paused),
    }
