"""Plain words shared by the terminal, the web, the report, the calendar and the
presenters: why there is no plan, the break's stretch, the pain verdict and angle
changes in sentences (services/presenters/ build the JSON)."""

from __future__ import annotations

from hipflex.content import load_content
from hipflex.domain.assessment import ExtensionInput, MeasurementMethod, ThomasInput
from hipflex.domain.plan import (
    MaintenanceDose,
    NoProgramme,
    Phase,
    Programme,
    ProgrammeKind,
    SafetyRecheck,
    SafetyStop,
)
from hipflex.domain.plurals import counted
from hipflex.domain.protocol import RedFlag
from hipflex.domain.safety import Screening, stop_words
from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    ANGLE_SEM_DEG,
    MEANINGFUL_CHANGE_WORDS,
    RESPONDER_BASELINE_FLOOR,
    AngleChange,
    PainChange,
    PainVerdict,
    minimal_detectable_change,
)
from hipflex.services.programme import NextStep


def stop_reason(result: NoProgramme) -> str:
    content = load_content()
    if isinstance(result, SafetyStop):
        flagged = "; ".join(content.red_flags[f].short for f in RedFlag if f in result.red_flags)
        advice = content.red_flag_advice_for(result.red_flags)
        return f"You reported warning signs ({flagged}). {advice.text}"
    if isinstance(result, SafetyRecheck):
        return str(stop_words(Screening.RECHECK))
    return content.findings["overall"]["untested"].text


def next_step_words(step: NextStep) -> str | None:
    """What the plan asks for next, in words (each shell adds how: a command, a link)."""
    return {
        NextStep.NONE: None,
        NextStep.RETEST: "This is a re-test week: repeat the self-tests to measure your progress.",
        NextStep.RETEST_TO_DECIDE: (
            "You have finished this block. Repeat the self-tests: if anything is still "
            "tight, a new block starts at the dose you reached; if both sides are normal, "
            "you move on to a lighter maintenance programme."
        ),
    }[step]


def programme_heading(programme: Programme) -> str:
    """The heading of a week's plan, in words."""
    week = f"Week {programme.week} of {programme.weeks_total}"
    return {
        ProgrammeKind.CORRECTIVE: f"{week}: your programme",
        ProgrammeKind.PREVENTION: f"{week}: a prevention plan",
        ProgrammeKind.BREAKS: "No programme needed: movement breaks and desk tips",
        ProgrammeKind.MAINTENANCE: "Maintenance: keeping it up",
    }[programme.kind]


def programme_summary(programme: Programme, dose: MaintenanceDose | None = None) -> str:
    """What the week holds, in one sentence."""
    if programme.kind is ProgrammeKind.BREAKS:
        return (
            "Your tests look normal and you don't sit for long, so you need no programme: "
            f"stand up and move every {programme.break_minutes} minutes while you sit, and "
            "try the stretches below if you like."
        )
    if programme.kind is ProgrammeKind.MAINTENANCE and dose is not None:
        return maintenance_words(dose) + f" Keep moving every {programme.break_minutes} minutes."
    count = len(programme.sessions)
    return (
        f"{counted(count, 'session')} a day, every day, weekends included. "
        f"Stand up and move every {programme.break_minutes} minutes while you sit."
    )


def maintenance_words(dose: MaintenanceDose) -> str:
    times = dose.stretch_sessions_per_day
    return (
        "Both sides tested normal. To keep it that way: the half-kneeling stretch "
        f"{'once' if times == 1 else f'{times} times'} a day, and glute and core work "
        f"{dose.strength_days_per_week} times a week."
    )


def block_decision_words(decided: Phase, dose: MaintenanceDose | None = None) -> str:
    """What a re-test at the end of a block decided."""
    if decided is Phase.BLOCK:
        return (
            "Something still tests tight, so a new block starts today from this re-test, at "
            "the dose you had reached (not back at the first week)."
        )
    words = maintenance_words(dose) if dose is not None else "Both sides tested normal."
    return f"Well done: you move on to maintenance. {words}"


def break_stretch_name() -> str:
    """The name of the stretch of a movement break, for the routine's words."""
    from hipflex.services.safety import BREAK_STRETCH

    return load_content().exercise(BREAK_STRETCH).name


MEASURE_NAMES = {
    "knee_flexion_deg": "Thomas test knee bend",
    "thigh_angle_deg": "Thomas test thigh angle",
    "extension_deg": "Standing hip extension",
}


def pain_sentence(pain: PainChange, *, about_them: bool = False) -> str:
    """The pain verdict in words, to the person (or, `about_them`, to their clinician)."""
    whose = "their" if about_them else "your"
    if pain.verdict is PainVerdict.NO_DATA:
        return (
            "Not enough pain ratings yet to tell a change."
            if about_them
            else "Not enough pain ratings yet: rate your pain daily and before and after sessions."
        )
    assert pain.baseline is not None
    assert pain.latest is not None
    change = f"from {pain.baseline:.1f} to {pain.latest:.1f} (weekly averages, 0-10)"
    if pain.verdict is PainVerdict.RESPONDER:
        return f"Responder: {whose} pain fell {change}, at least {MEANINGFUL_CHANGE_WORDS}."
    if pain.verdict is PainVerdict.WORSE:
        advice = (
            "Their plan eases off on its own."
            if about_them
            else "Your plan eases off; if it keeps rising, please see a clinician."
        )
        return f"{whose.capitalize()} pain rose {change}. {advice}"
    if pain.verdict is PainVerdict.LOW_BASELINE:
        return (
            f"{whose.capitalize()} pain was already low: it went {change}. A first week under "
            f"{RESPONDER_BASELINE_FLOOR:g} leaves too little room for a change to count as a "
            "response, so hipflex does not call one."
        )
    return (
        f"{whose.capitalize()} pain went {change}: not yet the {MEANINGFUL_CHANGE_WORDS} that "
        "count as a real change."
    )


#: How a test was measured, in words (typed in is the usual case and goes unsaid).
METHOD_WORDS = {MeasurementMethod.SELF: "self-measured", MeasurementMethod.PHOTO: "from a photo"}
NO_PELVIS_WORDS = "the pelvis could not be checked on the photo"


def measured_words(given: ThomasInput | ExtensionInput) -> str | None:
    """ "from a photo" (and whether the pelvis went unchecked) for a photo measurement;
    None for a test typed in."""
    if given.method is MeasurementMethod.SELF:
        return None
    words = METHOD_WORDS[given.method]
    return f"{words}; {NO_PELVIS_WORDS}" if given.pelvis_checked is False else words


def methods_words(change: AngleChange) -> str | None:
    """How the two tests of a change were measured, in words; None when both were typed in."""
    before, after = change.before_method, change.after_method
    if before is after:
        return None if before is MeasurementMethod.SELF else "both from photos"
    return f"{METHOD_WORDS[before]}, then {METHOD_WORDS[after]}"


def change_sentence(change: AngleChange) -> str:
    """E.g. "60° → 65° (+5°, both from photos, beyond measurement error)": the threshold is
    the larger error of the two measurements (PROTOCOL.md section 4)."""
    label = (
        "beyond measurement error"
        if change.beyond_error
        else f"within measurement error (under about {change.mdc_deg:.0f}°)"
    )
    how = methods_words(change)
    detail = label if how is None else f"{how}, {label}"
    return f"{change.before:g}° → {change.after:g}° ({change.delta:+g}°, {detail})"


def measurement_error_sentence(photo_sem_deg: float) -> str:
    """What counts as a real change of an angle, for each way of measuring it."""
    photo_mdc = minimal_detectable_change(photo_sem_deg)
    return (
        f"An angle you measure yourself carries roughly a {ANGLE_SEM_DEG:g}° standard error, "
        f"so a change under about {ANGLE_MDC_DEG:.0f}° between two single measurements is "
        f"within measurement error; measured from a photo, about {photo_sem_deg:g}° (a change "
        f"under about {photo_mdc:.0f}°). A change between a self-measured and a "
        "photo-measured test uses the larger error."
    )


#: The pain verdict as a short line about someone else (the clinician's list).
VERDICT_LINES = {
    PainVerdict.RESPONDER: "pain fell: a real change",
    PainVerdict.NOT_YET: "pain: no real change yet",
    PainVerdict.WORSE: "pain rose",
    PainVerdict.LOW_BASELINE: "pain was low from the start",
    PainVerdict.NO_DATA: "not enough pain ratings yet",
}
