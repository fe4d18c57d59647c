"""Plain words shared by the terminal, the web, the report, the calendar and the
presenters: why there is no plan, the break's stretch, the pain verdict and angle
changes in sentences (services/presenters/ build the JSON)."""

from __future__ import annotations

from hipflex.content import load_content
from hipflex.domain.plan import NoProgramme, SafetyRecheck, SafetyStop
from hipflex.domain.protocol import RedFlag
from hipflex.domain.safety import Screening, stop_words
from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    MEANINGFUL_CHANGE_WORDS,
    RESPONDER_BASELINE_FLOOR,
    AngleChange,
    PainChange,
    PainVerdict,
)


def stop_reason(result: NoProgramme) -> str:
    content = load_content()
    if isinstance(result, SafetyStop):
        flagged = "; ".join(content.red_flags[f].short for f in RedFlag if f in result.red_flags)
        return f"You reported warning signs ({flagged}). {content.red_flag_advice}"
    if isinstance(result, SafetyRecheck):
        return str(stop_words(Screening.RECHECK))
    return content.findings["overall"]["untested"].text


def break_stretch_name() -> str:
    """The name of the stretch of a movement break, for the routine's words."""
    from hipflex.services.safety import BREAK_STRETCH

    return load_content().exercise(BREAK_STRETCH).name


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
    if pain.verdict is PainVerdict.LOW_BASELINE:
        return (
            f"Your pain was already low: it went {change}. A first week under "
            f"{RESPONDER_BASELINE_FLOOR:g} leaves too little room for a change to count as a "
            "response, so hipflex does not call one."
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
