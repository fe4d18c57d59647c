"""Rendering progress in the terminal: tables, bars and sparklines."""

from __future__ import annotations

from collections.abc import Sequence

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hipflex.cli.terminal import Console
from hipflex.content import load_content
from hipflex.domain.plurals import counted, days
from hipflex.domain.protocol import Side
from hipflex.domain.tracking import PainVerdict
from hipflex.services.progress import MEASURES, ProgressView
from hipflex.services.words import (
    MEASURE_NAMES,
    change_sentence,
    measured_words,
    measurement_error_sentence,
    pain_sentence,
)

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], top: float) -> str:
    if not values:
        return ""
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1)))] for v in values)


def bar(fraction: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _weeks(view: ProgressView) -> Table:
    table = Table(title="Sessions done per week", title_justify="left")
    for column in ("Week", "Done / planned", "", "Avg pain", "Avg sitting"):
        table.add_column(column)
    for week in view.weeks:
        table.add_row(
            str(week.week),
            f"{week.done} / {week.planned} ({week.adherence:.0%})",
            bar(week.adherence),
            "-" if week.mean_pain is None else f"{week.mean_pain:.1f}",
            "-" if week.mean_sitting is None else f"{week.mean_sitting:.1f} h",
        )
    return table


def _with_degrees(result: str, degrees: float | None, how: str | None = None) -> str:
    words = result.replace("_", " ")
    detail = [f"{degrees:g}°"] if degrees is not None else []
    detail += [how] if how else []
    return f"{words} ({', '.join(detail)})" if detail else words


def _tests(view: ProgressView) -> Table:
    tests = Table(title="Your tests (this block)", title_justify="left")
    tests.add_column("When")
    for side in Side:
        tests.add_column(f"Thomas {side.value}")
        tests.add_column(f"Extension {side.value}")
    for recorded in view.tests:
        label = "baseline" if recorded.block_week is None else f"week {recorded.block_week}"
        row = [f"{recorded.recorded_at.astimezone():%d %b} ({label})"]
        for side in Side:
            found = recorded.assessment.sides[side]
            row.append(
                _with_degrees(
                    found.thomas.result.value,
                    found.thomas.knee_flexion_deg,
                    measured_words(recorded.assessment.thomas_given(side)),
                )
            )
            row.append(
                _with_degrees(
                    found.extension.result.value,
                    found.extension.degrees,
                    measured_words(recorded.assessment.extension_given(side)),
                )
            )
        tests.add_row(*row)
    return tests


def _sitting(view: ProgressView, out: Console) -> None:
    hours = [e.hours for e in list(view.sitting.values())[-14:]]
    band = view.sitting_band
    band_text = (
        "" if band is None else f"; band over the last 7 days: {band.value.replace('_', ' ')}"
    )
    out.print(
        f"Sitting, last {counted(len(hours), 'logged day')}: {sparkline(hours, 24)}  "
        f"(average {sum(hours) / len(hours):.1f} h{band_text})"
    )
    out.print(Text(load_content().sitting_note, style="dim"))


def render_progress(view: ProgressView, console: Console | None = None) -> None:
    out = console or Console()
    total = view.preferences.block_weeks
    started = "" if view.block is None else f", started {view.block.started_on:%d %b %Y}"
    out.print(
        Text(f"Week {min(view.current_week, total)} of {total}{started}", style="bold"),
        Text(f"  ·  streak: {days(view.streak_days)} in a row with a session"),
    )
    if view.weeks:
        out.print(_weeks(view))
    style = {PainVerdict.RESPONDER: "green", PainVerdict.WORSE: "red"}.get(view.pain.verdict, "")
    out.print(Text("Pain: ", style="bold") + Text(pain_sentence(view.pain), style=style))
    daily = [score for _, score, what in view.pain_points if what == "daily"][-30:]
    if daily:
        out.print(f"  last {len(daily)} daily ratings: {sparkline(daily, 10)}  (0-10)")
    if view.tests:
        out.print(_tests(view))
    for (side, name), change in view.changes.items():
        out.print(f"  {MEASURE_NAMES[name]}, {side.value}: {change_sentence(change)}")
    if view.changes:
        out.print(Text(measurement_error_sentence(view.photo_sem_deg), style="dim"))
    for name in MEASURES:
        gap = view.latest_asymmetry.get(name)
        if gap:
            out.print(f"  {MEASURE_NAMES[name]}: left and right differ by {abs(gap):g}°.")
    if view.sitting:
        _sitting(view, out)
    content = load_content()
    for exercise_id in sorted(view.paused):
        out.print(
            Panel(
                f"{content.exercise(exercise_id).name} is paused after sharp pain. Have it "
                f"checked, then run `hipflex log checked {exercise_id.value}`.",
                border_style="red",
            )
        )
    if not view.weeks and not view.pain_points:
        out.print("Nothing logged yet. Try `hipflex log pain N` and `hipflex log session`.")
