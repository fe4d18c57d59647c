"""Rich renderings of the education topics and the exercise cards."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hipflex.cli.terminal import Console
from hipflex.domain.protocol import HIP_FLEXORS, Content, Exercise, SelfTest
from hipflex.services.library import TopicEntry


def _console(console: Console | None) -> Console:
    return console or Console()


def render_topic_list(entries: Sequence[TopicEntry], console: Console | None = None) -> None:
    table = Table(title="Topics", title_justify="left")
    table.add_column("Topic id", style="bold", no_wrap=True)
    table.add_column("What it covers")
    for entry in entries:
        table.add_row(entry.id, entry.title)
    out = _console(console)
    out.print(table)
    out.print("Read one with: hipflex learn TOPIC   (for example: hipflex learn why)")


def _bullets(items: Sequence[str]) -> Text:
    return Text("\n".join(f"• {item}" for item in items))


def _numbered(items: Sequence[str]) -> Text:
    return Text("\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1)))


def _extras(topic_id: str, content: Content) -> list[RenderableType]:
    """Structured content that belongs with a page of text."""
    parts: list[RenderableType] = []
    if topic_id == "muscles":
        table = Table(show_header=True, expand=True)
        table.add_column("Muscle", style="bold", ratio=1)
        table.add_column("What it does", ratio=3)
        for muscle in content.muscles.values():
            if muscle.id in HIP_FLEXORS:
                table.add_row(muscle.name, muscle.text)
        parts.append(table)
    elif topic_id == "mechanisms":
        table = Table(show_header=True, expand=True)
        for column in ("Mechanism", "What happens", "Result"):
            table.add_column(column)
        for mechanism in content.mechanisms:
            table.add_row(mechanism.name, mechanism.what_happens, mechanism.result)
        parts.append(table)
    elif topic_id == "stretching":
        g = content.guidelines
        parts.append(
            _bullets(
                [
                    f"How often: {g.sessions_per_day.label()} times a day while you are tight.",
                    f"How long: hold each stretch {g.hold_seconds.label(' s')}.",
                    f"How hard: {g.intensity}",
                    f"When: {g.timing}",
                    f"For how long: {g.consistency}",
                    f"The key cue: {g.key_cue}",
                ]
            )
        )
    elif topic_id == "workplace":
        for category in ("setup", "movement", "positioning"):
            tips = [t for t in content.workplace.values() if t.category == category]
            parts.append(Text(category.capitalize(), style="bold"))
            parts.append(_bullets([f"{t.title}: {t.text}" for t in tips]))
    elif topic_id == "safety":
        parts.append(Text("See a clinician before exercising if any of these apply:", style="bold"))
        for level, flags in content.red_flags_by_urgency():
            parts.append(Text(f"{level.title} if you have:", style="bold yellow"))
            parts.append(_bullets([flag.short for flag in flags]))
            parts.append(Text(level.text, style="yellow"))
    return parts


def _self_test(test: SelfTest) -> Panel:
    results = [f"{key.replace('_', ' ')}: {text}" for key, text in test.results.items()]
    return Panel(
        Group(
            Text(test.purpose),
            Text("\nHow to do it", style="bold"),
            _numbered(test.steps),
            Text("\nWhat to look for", style="bold"),
            _bullets(test.observe),
            Text("\nWhat it means", style="bold"),
            _bullets(results),
            Text("\nSafety", style="bold yellow"),
            _bullets(test.safety),
        ),
        title=test.name,
        title_align="left",
    )


def render_topic(entry: TopicEntry, content: Content, console: Console | None = None) -> None:
    # Only a topic's paragraphs and the FAQ's answers are Markdown: its renderer (rich's
    # Markdown and markdown-it, about 30 ms) is loaded for them alone (start-up speed).
    from rich.markdown import Markdown

    out = _console(console)
    parts: list[RenderableType] = []
    if entry.id in content.topics:
        parts.append(Markdown("\n\n".join(content.topics[entry.id].paragraphs)))
        parts.extend(_extras(entry.id, content))
        out.print(Panel(Group(*parts), title=entry.title, title_align="left"))
    elif entry.id == "tests":
        for test in content.self_tests.values():
            out.print(_self_test(test))
        out.print("Do them with: hipflex assess")
    elif entry.id == "signs":
        signs = [f"{s.text} ({s.why})" for s in content.signs.values()]
        out.print(Panel(_numbered(signs), title=entry.title, title_align="left"))
    elif entry.id == "sitting":
        table = Table(title=entry.title, title_justify="left")
        for column in ("Daily sitting", "What it does to the hip flexors", "Back-pain risk"):
            table.add_column(column)
        for band in content.sitting_bands.values():
            table.add_row(band.hours, band.impact, band.risk)
        out.print(table)
        out.print(Text(content.sitting_note, style="dim"))
    elif entry.id == "faq":
        for item in content.faq:
            out.print(Panel(Markdown(item.answer), title=item.question, title_align="left"))
    out.print(Text(content.disclaimer, style="dim"))


def exercise_card(exercise: Exercise, stop: str | None = None) -> Panel:
    """The card; `stop` (the safety gate's words) replaces the dosage while no exercise
    may be prescribed."""
    dosage = exercise.dosage
    if stop is not None:
        dose = Text(stop, style="bold red")
    else:
        dose = Text(dosage.describe(), style="bold")
        if dosage.tempo:
            dose.append(f"\nTempo: {dosage.tempo}")
        if dosage.note:
            dose.append(f"\n{dosage.note}", style="italic")
    meta = (
        f"{exercise.kind.value} · {exercise.intensity.value} · "
        f"where: {', '.join(p.value for p in exercise.places)} · "
        f"works: {', '.join(m.value.replace('_', ' ') for m in exercise.targets)}"
    )
    body = Group(
        Text(exercise.summary),
        Text(meta, style="dim"),
        Text("\nHow to do it", style="bold"),
        _numbered(exercise.steps),
        Text("\nCues", style="bold"),
        _bullets(exercise.cues),
        Text("\nHow much", style="bold"),
        dose,
        Text("\nSafety", style="bold yellow"),
        _bullets(exercise.safety),
    )
    title = Text.assemble(exercise.name, (f"  ({exercise.id.value})", "dim"))
    return Panel(body, title=title, title_align="left")


def render_exercise(
    exercise: Exercise, stop: str | None = None, console: Console | None = None
) -> None:
    _console(console).print(exercise_card(exercise, stop))


def render_exercise_list(
    content: Content, stop: str | None = None, console: Console | None = None
) -> None:
    table = Table(title="Exercises", title_justify="left")
    table.add_column("Id", no_wrap=True, style="bold")
    for column in ("Name", "Kind", "Intensity", "How much"):
        table.add_column(column)
    for exercise in content.exercises.values():
        table.add_row(
            exercise.id.value,
            exercise.name,
            exercise.kind.value,
            exercise.intensity.value,
            "-" if stop is not None else exercise.dosage.describe(),
        )
    out = _console(console)
    if stop is not None:
        out.print(Text(stop, style="bold red"))
    out.print(table)
    out.print("See one card with: hipflex exercises ID")
