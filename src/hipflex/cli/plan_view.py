"""Rendering the week's programme and today's timeline with Rich."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from hipflex.cli.terminal import Console
from hipflex.cli.words import HOW_TO_RECHECK
from hipflex.content import load_content
from hipflex.domain.due import ItemState
from hipflex.domain.plan import Prescription, Programme, SafetyRecheck, SafetyStop
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.schedule import ItemKind
from hipflex.services.programme import PlanView, TodayView
from hipflex.services.words import (
    break_stretch_name,
    next_step_words,
    programme_heading,
    programme_summary,
    stop_reason,
)


def _render_stop(view: PlanView, out: Console) -> None:
    result = view.result
    assert not isinstance(result, Programme)
    if isinstance(result, SafetyStop):
        title = load_content().red_flag_advice_for(result.red_flags).title
        out.print(Panel(stop_reason(result), title=f"STOP: {title}", border_style="red"))
    elif isinstance(result, SafetyRecheck):
        out.print(
            Panel(
                f"{stop_reason(result)} {HOW_TO_RECHECK}",
                title="Answer the safety questions again",
                border_style="red",
            )
        )
    else:
        out.print(Panel(stop_reason(result), title="No test results yet", border_style="yellow"))


def _card(prescription: Prescription) -> Panel:
    exercise = load_content().exercise(prescription.exercise_id)
    body = Text()
    body.append(prescription.describe(), style="bold")
    for number, instruction in enumerate(exercise.steps, start=1):
        body.append(f"\n{number}. {instruction}")
    if prescription.tempo:
        body.append(f"\nTempo: {prescription.tempo}")
    if exercise.dosage.note and not exercise.dosage.from_protocol:
        body.append(f"\n{exercise.dosage.note}", style="italic")
    for cue in prescription.cues:
        body.append(f"\n• {cue}")
    body.append(f"\n! {exercise.safety[0]}", style="yellow")
    return Panel(body, title=prescription.name, title_align="left", subtitle=exercise.id.value)


def _render_notes(view: PlanView, result: Programme, out: Console) -> None:
    """A preview, an easing off after a pain rise, exercises paused after sharp pain."""
    if view.projected:
        out.print(
            f"This is a preview of week {result.week}: it assumes the weeks before it go "
            "well. What you log decides the real dosage.",
            style="italic",
        )
    if view.eased is not None:
        out.print(
            f"Eased off this week after your pain rose ({'; '.join(view.eased.reasons)}).",
            style="yellow",
        )
    for removed in sorted(result.removed):
        name = load_content().exercise(removed).name
        out.print(
            f"{name} is paused because you reported sharp pain in it. Please have it "
            "checked by a clinician before you do it again.",
            style="red",
        )


def render_plan(view: PlanView, console: Console | None = None) -> None:
    out = console or Console()
    result = view.result
    if not isinstance(result, Programme):
        _render_stop(view, out)
        return
    content = load_content()
    out.print(Rule(programme_heading(result)))
    out.print(programme_summary(result, view.maintenance))
    step = next_step_words(view.next_step)
    if step is not None:
        out.print(f"{step} Run `hipflex retest`.", style="bold")
    _render_notes(view, result, out)
    day = view.sample_day()
    shown: set[ExerciseId] = set()  # a full card the first time, a line after that
    for session in result.sessions:
        start = None
        if day is not None:
            start = next((i.start for i in day.items if i.session is session), None)
        when = f" at about {start:%H:%M}" if start else ""
        minutes = round(session.estimated_seconds / 60)
        out.print(Rule(f"{session.name}{when} (about {minutes} min)", align="left"))
        for prescription in session.prescriptions:
            if prescription.exercise_id in shown:
                out.print(
                    Text.assemble(
                        "• ",
                        (prescription.name, "bold"),
                        f": {prescription.describe()} (card above)",
                    )
                )
            else:
                out.print(_card(prescription))
                shown.add(prescription.exercise_id)
    if result.optional:
        out.print(Rule("If you like (optional)", align="left"))
        for prescription in result.optional:
            out.print(_card(prescription))
    out.print(Rule("At your desk", align="left"))
    out.print(
        f"Stand up and move every {result.break_minutes} minutes of sitting "
        "(`hipflex today` shows the times)."
    )
    for tip in result.workplace:
        info = content.workplace[tip]
        out.print(Text.assemble("• ", (info.title, "bold"), f": {info.text}"))
    out.print(Text(content.disclaimer, style="dim"))


def render_today(
    view: TodayView, console: Console | None = None, states: Sequence[ItemState] = ()
) -> None:
    """The day's timeline; `states` (one per item, from services.due) say what happened
    to each: done, skipped, missed, not yet."""
    out = console or Console()
    if view.day is None:
        _render_stop(view.plan, out)
        return
    upcoming = view.next_item
    day = view.day
    label = "work day" if day.work_day else "day off"
    table = Table(
        title=f"Today, {day.day:%A %d %B} ({label}), week {view.plan.week}",
        title_justify="left",
    )
    table.add_column("", width=2)
    table.add_column("Time", no_wrap=True)
    table.add_column("What")
    table.add_column("Details")
    if states:
        table.add_column("So far")
    for index, item in enumerate(day.items):
        is_next = item is upcoming
        past = item.end <= view.now
        done = bool(states) and states[index] is ItemState.DONE
        if item.kind is ItemKind.SESSION and item.session is not None:
            details = ", ".join(p.name for p in item.session.prescriptions)
        else:
            details = ", ".join(s.title(break_stretch_name()) for s in item.routine)
        marker = "▶" if is_next else ("✓" if done else "")
        style = "bold reverse" if is_next else ("dim" if past else "")
        title = f"{item.title} (next)" if is_next else item.title
        cells = [marker, f"{item.start:%H:%M}-{item.end:%H:%M}", title, details]
        if states:
            cells.append(states[index].words)
        table.add_row(*cells, style=style)
    out.print(table)
    if upcoming is None:
        out.print("That's everything for today. Well done.")
    elif upcoming.kind is ItemKind.BREAK:
        minutes = max(0, round((upcoming.start - view.now).total_seconds() / 60))
        if view.now < day.work_start:
            out.print(f"Your working day starts at {day.work_start:%H:%M}.")
        routine = " · ".join(s.describe(break_stretch_name()) for s in upcoming.routine)
        out.print(
            Group(
                Text(f"Next: a movement break in {minutes} min.", style="bold"),
                Text(routine),
            )
        )
    else:
        out.print(
            Text(
                f"Next: {upcoming.title} at {upcoming.start:%H:%M}. See `hipflex plan`.",
                style="bold",
            )
        )
