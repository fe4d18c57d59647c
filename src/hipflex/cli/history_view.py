"""Rendering the list of saved assessments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hipflex.domain.assessment import RecordedAssessment, ThomasResult

if TYPE_CHECKING:  # Rich on use: `hipflex history --json` renders no terminal output
    from rich.console import Console

_SHORT = {
    ThomasResult.NORMAL: "normal",
    ThomasResult.TIGHT_ILIOPSOAS: "iliopsoas",
    ThomasResult.TIGHT_RECTUS_FEMORIS: "rectus fem.",
    ThomasResult.BOTH_TIGHT: "both",
    ThomasResult.NOT_TESTED: "-",
}


def history_to_json(recorded: Sequence[RecordedAssessment]) -> str:
    from hipflex.services.presenters.assessments import history_model
    from hipflex.services.presenters.common import json_text

    return json_text(history_model(recorded))


def render_history(recorded: Sequence[RecordedAssessment], console: Console | None = None) -> None:
    from rich.table import Table

    from hipflex.cli.terminal import Console

    out = console or Console()
    if not recorded:
        out.print("No assessments saved yet. Run `hipflex assess` to do your first one.")
        return
    table = Table(title="Your assessments (newest first)", title_justify="left")
    for column in ("#", "When", "Kind", "Thomas L/R", "Extension L/R", "Sitting", "Signs", "Safe"):
        table.add_column(column)
    for r in recorded:
        a = r.assessment
        sides = list(a.sides.values())
        thomas = " / ".join(_SHORT[s.thomas.result] for s in sides)
        extension = " / ".join(
            "-" if s.extension.result.value == "not_tested" else s.extension.result.value
            for s in sides
        )
        sitting = "-" if a.sitting_hours is None else f"{a.sitting_hours:g} h ({a.sitting_band})"
        table.add_row(
            str(r.id),
            r.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            r.kind.value,
            thomas,
            extension,
            sitting,
            str(len(a.signs)),
            "yes" if a.safe_to_exercise else "NO: see a clinician",
        )
    out.print(table)
