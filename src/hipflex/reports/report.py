"""The progress report a physiotherapist can read in two minutes: one document model,
rendered to HTML (Jinja2) and PDF (fpdf2) with the same charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hipflex.content import load_content
from hipflex.domain.limits import PAIN_RANGE
from hipflex.domain.plurals import counted, days, minutes
from hipflex.domain.protocol import Side
from hipflex.domain.tracking import (
    MEANINGFUL_CHANGE_WORDS,
    RESPONDER_FLOOR_WORDS,
)
from hipflex.reports.charts import Chart, progress_charts
from hipflex.services.progress import MEASURES, ProgressView, measure
from hipflex.services.words import (
    MEASURE_NAMES,
    change_sentence,
    measured_words,
    measurement_error_sentence,
    pain_sentence,
)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A drawn exercise, its key positions side by side (SVG in print colours)."""

    title: str
    caption: str
    svg: str
    description: str
    size: tuple[float, float]  # width and height, in the figure's body heights


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    chart: Chart | None = None
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    generated_at: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)


def _deg(value: float | None, how: str | None = None) -> str:
    shown = "-" if value is None else f"{value:g}°"
    return shown if how is None or value is None else f"{shown} ({how})"


def _summary(view: ProgressView) -> Section:
    total = view.preferences.block_weeks
    done, planned = view.sessions_done, view.sessions_planned
    rate = f" ({done / planned:.0%})" if planned else ""
    lines = [
        f"Week {min(view.current_week, total)} of a {total}-week block"
        + ("" if view.block is None else f" started {view.block.started_on:%d %B %Y}")
        + ".",
        (
            f"Sessions done: {done} of {planned} planned{rate}; current streak "
            f"{days(view.streak_days)}."
        ),
        f"Pain: {pain_sentence(view.pain)}",
    ]
    if view.sitting_band is not None:
        lines.append(
            f"Sitting over the last 7 days (the days logged) falls in the "
            f"{view.sitting_band.value.replace('_', ' ')} band."
        )
    if view.paused:
        names = ", ".join(load_content().exercise(e).name for e in sorted(view.paused))
        lines.append(f"Paused after sharp pain, awaiting a check: {names}.")
    if view.safety:
        lines.append(f"Safety events in this period: {len(view.safety)} (see below).")
    return Section("Summary", tuple(lines))


def _tests(view: ProgressView) -> Section:
    if not view.tests:
        return Section("Tests", ("No tests recorded in this block.",))
    baseline, latest = view.tests[0], view.tests[-1]
    rows = []
    for side in Side:
        for recorded, label in ((baseline, "baseline"), (latest, "latest")):
            if label == "latest" and latest is baseline:
                continue
            found = recorded.assessment.sides[side]
            thomas_how = measured_words(recorded.assessment.thomas_given(side))
            extension_how = measured_words(recorded.assessment.extension_given(side))
            rows.append(
                (
                    side.value,
                    f"{label}, {recorded.recorded_at.astimezone(view.zone):%d %b}",
                    found.thomas.result.value.replace("_", " "),
                    _deg(found.thomas.knee_flexion_deg, thomas_how),
                    _deg(found.thomas.thigh_angle_deg, thomas_how),
                    found.extension.result.value.replace("_", " "),
                    _deg(found.extension.degrees, extension_how)
                    + (" (compensated)" if found.extension.compensated else ""),
                )
            )
    table = Table(
        ("Side", "Test", "Thomas", "Knee bend", "Thigh angle", "Hip extension", "Extension"),
        tuple(rows),
    )
    notes = [
        f"{MEASURE_NAMES[name]}, {side.value}: {change_sentence(change)}"
        for (side, name), change in view.changes.items()
    ]
    for name in MEASURES:
        left = measure(latest.assessment, Side.LEFT, name)
        right = measure(latest.assessment, Side.RIGHT, name)
        if left is not None and right is not None and left != right:
            notes.append(
                f"{MEASURE_NAMES[name]}, left and right differ: left {left:g}°, right {right:g}°."
            )
    return Section("Tests per side: baseline and latest", tuple(notes), table)


def _programme(view: ProgressView) -> Section:
    programme = view.programme
    if programme is None:
        return Section("Current programme", ("No programme: see the safety section.",))
    rows = tuple(
        (session.name, p.name, p.describe())
        for session in programme.sessions
        for p in session.prescriptions
    )
    intro = (
        (
            f"Week {programme.week}: {counted(len(programme.sessions), 'session')} a day, "
            f"every day ({programme.sessions_per_week} a week), and a movement break every "
            f"{minutes(programme.break_minutes)} of sitting on work days."
        ),
    )
    return Section("Current programme", intro, Table(("Session", "Exercise", "Dose"), rows))


def _handout(view: ProgressView) -> Section | None:
    """The programme's exercises drawn, so the report doubles as a printable handout.
    None without a programme: no exercise is shown while the safety gate stops them."""
    if view.programme is None:
        return None
    from hipflex.domain.figure_svg import Palette, view_size
    from hipflex.services.pictures import exercise_still

    seen: dict[str, Figure] = {}
    for session in view.programme.sessions:
        for p in session.prescriptions:
            if p.exercise_id in seen:
                continue
            picture = exercise_still(p.exercise_id, Palette.PRINT)
            dose = p.describe()
            cue = p.cues[0] if p.cues else ""
            seen[p.exercise_id] = Figure(
                title=p.name,
                caption=f"{dose[:1].upper()}{dose[1:]}. {cue}".strip(),
                svg=picture.svg,
                description=picture.description,
                size=view_size(picture.svg),
            )
    if not seen:
        return None
    intro = (
        (
            "Each exercise of the current programme, drawn in its key positions from the "
            "right side (do both sides where the dose says each side)."
        ),
    )
    return Section("How to do the exercises", intro, figures=tuple(seen.values()))


def _safety(view: ProgressView) -> Section:
    if not view.safety:
        return Section("Safety events", ("None reported.",))
    rows = tuple(
        (
            event.at.astimezone(view.zone).strftime("%Y-%m-%d %H:%M"),
            "sharp pain" if event.kind == "sharp_pain" else "red flags",
            event.detail.replace("_", " "),
        )
        for event in view.safety
    )
    return Section("Safety events", (), Table(("When", "What", "Detail"), rows))


def build_report(view: ProgressView, generated_at: datetime) -> Report:
    pain, adherence, sitting = progress_charts(view)
    caveat = (
        "Angles are self-measured unless marked as measured from a photo. "
        f"{measurement_error_sentence(view.photo_sem_deg)} Changes below the threshold are "
        f"labelled 'within measurement error'. Pain is a {PAIN_RANGE[0]}-{PAIN_RANGE[1]} "
        "numeric rating; 'responder' means a fall in the weekly average of at least "
        f"{MEANINGFUL_CHANGE_WORDS}, from {RESPONDER_FLOOR_WORDS}."
    )
    sections = [
        _summary(view),
        _tests(view),
        Section("Pain", (pain_sentence(view.pain),), chart=pain),
        Section("Adherence", (), chart=adherence),
        Section("Sitting", (load_content().sitting_note,), chart=sitting),
        _programme(view),
        *filter(None, [_handout(view)]),
        _safety(view),
        Section("About these numbers", (caveat, load_content().disclaimer)),
    ]
    if view.notes:
        rows = tuple(
            (
                note.at.astimezone(view.zone).strftime("%Y-%m-%d"),
                note.session or "Free note",
                note.text,
            )
            for note in view.notes
        )
        intro = ("What the user wrote when logging a session, and notes on their own.",)
        sections.append(Section("Notes", intro, Table(("Date", "Written with", "Note"), rows)))
    start = "" if view.block is None else f"{view.block.started_on:%d %B %Y} to "
    return Report(
        title="hipflex progress report",
        subtitle=f"{start}{view.today:%d %B %Y} · self-reported data, not a diagnosis",
        generated_at=generated_at,
        sections=tuple(sections),
    )
