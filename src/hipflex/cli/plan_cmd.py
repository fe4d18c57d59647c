"""`hipflex plan` and `hipflex today`: this week's programme and today's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from hipflex.domain.due import ItemState


def plan(
    week: Annotated[
        int | None,
        typer.Option(
            help="Show this week of the block (1 to its length) instead of the current one."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show this week's programme: each session's exercises, how much, and the cues."""
    from hipflex.services.context import open_app
    from hipflex.services.programme import plan_week

    app = open_app()
    try:
        view = plan_week(app, week)
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.common import json_text
        from hipflex.services.presenters.plan import plan_model

        print(json_text(plan_model(view)))
    else:
        from hipflex.cli.plan_view import render_plan

        render_plan(view)


def today(
    json_output: Annotated[bool, typer.Option("--json", help="Print the day as JSON.")] = False,
) -> None:
    """Show today's timeline: sessions and movement breaks, with the next one highlighted."""
    from hipflex.services import programme
    from hipflex.services.context import open_app

    app = open_app()
    try:
        view = programme.today(app)
        states: tuple[ItemState, ...] = ()
        if view.day is not None and not json_output:
            from hipflex.services.due import due_today

            states = tuple(s.state for s in due_today(app).status.items)
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.common import json_text
        from hipflex.services.presenters.plan import today_model

        print(json_text(today_model(view)))
    else:
        from hipflex.cli.plan_view import render_today

        render_today(view, states=states)
