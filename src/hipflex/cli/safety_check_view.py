"""`hipflex assess --safety-only`: the safety questions answered again, and what it means."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.panel import Panel

from hipflex.cli.terminal import Console
from hipflex.content import load_content
from hipflex.domain.assessment import parse_ids
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import RedFlag
from hipflex.domain.safety import Screening
from hipflex.services.assessments import SafetyCheck


def answer_safety_questions(
    red_flags: Sequence[str],
    no_red_flags: bool,
    *,
    json_output: bool,
    interactive: bool,
) -> None:
    """Parse the answers (or ask them in a terminal), record the safety check, render it."""
    from hipflex.services.assessments import answer_safety_questions as record
    from hipflex.services.context import open_app

    if red_flags and no_red_flags:
        msg = "give --red-flag or --no-red-flags, not both"
        raise BadInput(msg)
    answered = bool(red_flags) or no_red_flags
    if not answered and (json_output or not (interactive or sys.stdin.isatty())):
        msg = (
            "answer the safety questions: give --red-flag ID for each warning sign you have "
            "(repeat it), or --no-red-flags if you have none"
        )
        raise BadInput(msg)
    flags = parse_ids(RedFlag, red_flags, "red flag")  # checked before anything is opened
    if not answered:
        from hipflex.cli.wizard import ask_safety_questions

        flags = ask_safety_questions()
    app = open_app()
    try:
        check = record(app, flags)
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.assessments import safety_check_model
        from hipflex.services.presenters.common import json_text

        print(json_text(safety_check_model(check.recorded, check.screening)))
    else:
        render_safety_check(check)


def render_safety_check(check: SafetyCheck, console: Console | None = None) -> None:
    out = console or Console()
    content = load_content()
    flags = check.recorded.assessment.red_flags
    if flags:
        advice = content.red_flag_advice_for(flags)
        listed = "\n".join(f"  • {content.red_flags[f].short}" for f in RedFlag if f in flags)
        out.print(
            Panel(
                f"You answered yes to:\n{listed}\n\n{advice.text}\n\n"
                "hipflex will not give you any exercise until a clinician has checked this.",
                title=f"STOP: {advice.title}",
                title_align="left",
                border_style="red",
            )
        )
    elif check.screening is Screening.CLEAR:
        out.print(
            "Thank you: no warning signs. Your plan is back (`hipflex today`), eased off if "
            "your pain rose. Stop any exercise that hurts sharply.",
            style="green",
        )
    else:  # pragma: no cover - a warning logged in the same instant
        out.print("Saved. hipflex still asks the safety questions before any exercise.")
    when = check.recorded.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
    out.print(f"Saved as safety check #{check.recorded.id} ({when}).", style="dim")
