"""The guided assessment: explains each test, asks, re-asks on bad answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.panel import Panel
from rich.prompt import Confirm, Prompt
from rich.text import Text

from hipflex.cli.terminal import Console
from hipflex.content import load_content
from hipflex.domain.assessment import (
    AssessmentInput,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess_extension,
    assess_thomas,
    sitting_band,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import Content, RedFlag, SelfTest, SelfTestId, Side, Sign
from hipflex.services.context import AppContext
from hipflex.services.thresholds import thresholds_from

T = TypeVar("T")


def _ask_until_valid(console: Console, ask: Callable[[], T], check: Callable[[T], object]) -> T:
    """Ask, run the domain's own check, and ask again with its message until it passes."""
    while True:
        answer = ask()
        try:
            check(answer)
        except BadInput as exc:
            console.print(f"[red]That does not work:[/red] {exc}. Please try again.")
            continue
        return answer


def _number(console: Console, question: str, *, optional: bool = False) -> float | None:
    while True:
        raw = Prompt.ask(question, console=console)
        text = raw.strip().replace("°", "")
        if optional and not text:
            return None
        try:
            return float(text)
        except ValueError:
            console.print(f"[red]Please enter a number[/red] (you typed '{raw}').")


def _explain_test(console: Console, test: SelfTest) -> None:
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(test.steps, start=1))
    look = "\n".join(f"• {item}" for item in test.observe)
    safety = "\n".join(f"! {item}" for item in test.safety)
    console.print(
        Panel(
            f"{test.purpose}\n\n[bold]How to do it[/bold]\n{steps}\n\n"
            f"[bold]What to look for[/bold]\n{look}\n\n[yellow]{safety}[/yellow]",
            title=test.name,
            title_align="left",
        )
    )


def _red_flags(console: Console, content: Content) -> frozenset[RedFlag]:
    console.print(
        Panel(
            "First, a few safety questions. A yes to any of them means your back should be "
            "checked by a clinician before you start any exercise programme.",
            title="Safety first",
            title_align="left",
            border_style="yellow",
        )
    )
    return frozenset(
        flag for flag in RedFlag if _yes_or_no(console, content.red_flags[flag].question)
    )


def _yes_or_no(console: Console, question: str) -> bool:
    """A safety question has no default: Enter alone asks again (never taken as "no")."""
    while True:
        answer = Prompt.ask(f"{question} [y/n]", console=console).strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        console.print("[red]Please answer y (yes) or n (no).[/red]")


def _signs(console: Console, content: Content) -> frozenset[Sign]:
    console.print(Text("\nWhich of these do you notice?", style="bold"))
    return frozenset(
        sign
        for sign in Sign
        if Confirm.ask(content.signs[sign].text, console=console, default=False)
    )


def _thigh(console: Console, side: Side) -> ThighPosition | float:
    """Flat, raised, or a measured angle above horizontal."""
    while True:
        answer = Prompt.ask(
            f"[bold]{side.value.capitalize()} leg hanging[/bold]: does the thigh stay flat on "
            "the table or rise above it? (or type its angle above horizontal in degrees)",
            console=console,
            default="flat",
        ).strip()
        for position in ThighPosition:
            if answer and position.value.startswith(answer.lower()):
                return position
        try:
            return float(answer.replace("°", ""))
        except ValueError:
            console.print("[red]Please answer flat, raised or an angle.[/red]")


def _thomas_side(console: Console, app: AppContext, side: Side) -> ThomasInput:
    limits = thresholds_from(app.settings)

    def ask() -> ThomasInput:
        thigh = _thigh(console, side)
        knee = _number(
            console,
            f"How far does the {side.value} knee bend, in degrees? "
            "(90 = the shin hangs straight down)",
        )
        if isinstance(thigh, ThighPosition):
            return ThomasInput(thigh=thigh, knee_flexion_deg=knee)
        return ThomasInput(thigh_angle_deg=thigh, knee_flexion_deg=knee)

    return _ask_until_valid(console, ask, lambda given: assess_thomas(side, given, limits))


def _extension_side(console: Console, app: AppContext, side: Side) -> ExtensionInput:
    limits = thresholds_from(app.settings)

    def ask() -> ExtensionInput:
        compensated = Confirm.ask(
            f"[bold]{side.value.capitalize()} leg back[/bold]: did your lower back arch or "
            "your upper body lean forward to get the leg back?",
            console=console,
            default=False,
        )
        degrees = _number(
            console,
            f"About how many degrees did the {side.value} leg go back? "
            "(press Enter if you could not tell; with no angle and no arching the side "
            "counts as not tested)",
            optional=True,
        )
        return ExtensionInput(degrees=degrees, compensated=compensated)

    return _ask_until_valid(console, ask, lambda given: assess_extension(side, given, limits))


def run_wizard(app: AppContext, console: Console | None = None) -> AssessmentInput:
    """Ask everything, one step at a time; returns the answers (nothing is saved here)."""
    out = console or Console()
    content = load_content()
    out.print(
        Panel(
            "This takes about ten minutes. You will need a firm table or bed, a wall, and if "
            "you can, someone to look at your legs or take a photo.\n\n" + content.disclaimer,
            title="hipflex: check your hip flexors",
            title_align="left",
        )
    )
    red_flags = _red_flags(out, content)
    if red_flags:
        return AssessmentInput(red_flags=red_flags)

    hours = _ask_until_valid(
        out,
        lambda: _number(out, "\nAbout how many hours do you sit on a usual day (0-24)?"),
        lambda h: sitting_band(h if h is not None else -1.0),
    )
    signs = _signs(out, content)

    thomas: dict[Side, ThomasInput] = {}
    _explain_test(out, content.self_tests[SelfTestId.THOMAS])
    if Confirm.ask("Do the Thomas test now?", console=out, default=True):
        thomas = {side: _thomas_side(out, app, side) for side in Side}

    extension: dict[Side, ExtensionInput] = {}
    _explain_test(out, content.self_tests[SelfTestId.HIP_EXTENSION])
    if Confirm.ask("Do the standing hip extension test now?", console=out, default=True):
        extension = {side: _extension_side(out, app, side) for side in Side}

    out.print()
    return AssessmentInput(
        thomas=thomas, extension=extension, sitting_hours=hours, signs=signs, red_flags=red_flags
    )


def ask_safety_questions(console: Console | None = None) -> frozenset[RedFlag]:
    """Only the safety questions, asked again (after a pain rise or sharp pain)."""
    return _red_flags(console or Console(), load_content())
