"""Parsing `hipflex assess` options into answers, and rendering the findings with Rich."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from hipflex.cli.words import RESULT_WORDS
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentOutcome,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    parse_choice,
    parse_ids,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import RedFlag, Side, Sign
from hipflex.services.assessments import AssessmentReport

if TYPE_CHECKING:  # Rich on use: `hipflex assess --json` renders no terminal output
    from rich.console import Console
    from rich.table import Table


def answers_from_options(
    *,
    thomas: Mapping[str, str | None],
    thigh_angle: Mapping[str, float | None],
    knee: Mapping[str, float | None],
    extension: Mapping[str, float | None],
    compensated: Mapping[str, bool],
    sitting_hours: float | None,
    signs: Sequence[str],
    red_flags: Sequence[str],
    no_red_flags: bool,
) -> AssessmentInput | None:
    """The answers given as options, or None when none at all were given. The safety
    questions count as answered only with --red-flag or --no-red-flags."""
    if red_flags and no_red_flags:
        msg = "give --red-flag or --no-red-flags, not both"
        raise BadInput(msg)
    thomas_in = {
        side: ThomasInput(
            thigh=None
            if thomas[side] is None
            else parse_choice(ThighPosition, str(thomas[side]), f"--thomas-{side} value"),
            thigh_angle_deg=thigh_angle[side],
            knee_flexion_deg=knee[side],
        )
        for side in Side
    }
    extension_in = {
        side: ExtensionInput(degrees=extension[side], compensated=compensated[side])
        for side in Side
    }
    answers = AssessmentInput(
        thomas=thomas_in,
        extension=extension_in,
        sitting_hours=sitting_hours,
        signs=parse_ids(Sign, signs, "sign"),
        red_flags=parse_ids(RedFlag, red_flags, "red flag") if red_flags or no_red_flags else None,
    )
    nothing = (
        not any(t.given for t in thomas_in.values())
        and not any(e.given for e in extension_in.values())
        and sitting_hours is None
        and not signs
        and not red_flags
        and not no_red_flags
    )
    return None if nothing else answers


def report_to_json(report: AssessmentReport) -> str:
    from hipflex.services.presenters.assessments import report_model
    from hipflex.services.presenters.common import json_text

    return json_text(report_model(report))


def _deg(value: float | None) -> str:
    return "-" if value is None else f"{value:g}°"


def _tests_table(report: AssessmentReport) -> Table:
    from rich.table import Table

    table = Table(title="Your self-tests", title_justify="left", expand=False)
    table.add_column("Side")
    table.add_column("Thomas test")
    table.add_column("Thigh / knee bend")
    table.add_column("Hip extension")
    table.add_column("Back / degrees")
    for side, found in report.assessment.sides.items():
        thomas = found.thomas
        ext = found.extension
        thigh = "-" if thomas.thigh is None else thomas.thigh.value
        compensation = "arched or leaned" if ext.compensated else "upright"
        table.add_row(
            side.value,
            RESULT_WORDS[thomas.result.value],
            f"{thigh} / {_deg(thomas.knee_flexion_deg)}",
            RESULT_WORDS[ext.result.value],
            "-"
            if not ext.compensated and ext.degrees is None
            else f"{compensation} / {_deg(ext.degrees)}",
        )
    return table


def render_report(report: AssessmentReport, console: Console | None = None) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from hipflex.cli.terminal import Console

    out = console or Console()
    assessment = report.assessment
    if report.outcome is AssessmentOutcome.RED_FLAGS:
        _render_stop(report, out)
        return
    out.print(_tests_table(report))
    out.print()
    for explanation in report.explanations:
        if explanation.result == "not_tested":
            continue
        where = f" ({explanation.side.value})" if explanation.side else ""
        out.print(Text.assemble((f"{explanation.title}{where}: ", "bold"), explanation.text))
    if assessment.sitting_band is None:
        out.print("Sitting: not given. Add --sitting-hours H to see your sitting band.")
    out.print(f"Signs you noticed: {len(assessment.signs)} of {len(Sign)}.")
    out.print()
    out.print(
        Panel(
            report.next_step.text,
            title=f"Next step: {report.next_step.title}",
            title_align="left",
            border_style="green",
        )
    )
    if report.block_decision is not None:
        out.print(
            Panel(
                f"{report.block_decision.text} Run `hipflex plan` to see it.",
                title="Your block has ended",
                title_align="left",
                border_style="green",
            )
        )
    _render_saved(report, out)
    out.print(Text(report.disclaimer, style="dim"))


def _render_stop(report: AssessmentReport, out: Console) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from hipflex.content import load_content

    content = load_content()
    flagged = [content.red_flags[f].short for f in RedFlag if f in report.assessment.red_flags]
    advice = content.red_flag_advice_for(report.assessment.red_flags)
    body = Group(
        Text("You answered yes to:", style="bold"),
        *(Text(f"  • {item}") for item in flagged),
        Text(),
        Text(advice.title, style="bold"),
        Text(advice.text),
        Text(),
        Text("hipflex will not give you an exercise plan until a clinician has checked this."),
    )
    out.print(
        Panel(
            body,
            title=f"STOP: {report.next_step.title}",
            title_align="left",
            border_style="red",
        )
    )
    _render_saved(report, out)


def _render_saved(report: AssessmentReport, out: Console) -> None:
    if report.recorded is None:
        out.print("Not saved (--no-save).", style="dim")
    else:
        when = report.recorded.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
        out.print(f"Saved as assessment #{report.recorded.id} ({when}).", style="dim")
