"""Plain words for progress, shared by the terminal, the report, the web and the progress
presenter (services/presenters/progress.py builds the JSON)."""

from __future__ import annotations

from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    MEANINGFUL_CHANGE_WORDS,
    AngleChange,
    PainChange,
    PainVerdict,
)

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
