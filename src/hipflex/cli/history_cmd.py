"""`hipflex history`: the assessments you saved."""

from __future__ import annotations

from typing import Annotated

import typer


def history(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many, newest first.")] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List your saved assessments, newest first."""
    from hipflex.cli.history_view import history_to_json, render_history
    from hipflex.services.assessments import assessment_history
    from hipflex.services.context import open_app

    app = open_app()
    try:
        recorded = assessment_history(app, limit=limit)
    finally:
        app.close()
    if json_output:
        print(history_to_json(recorded))
    else:
        render_history(recorded)
