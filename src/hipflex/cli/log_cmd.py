"""`hipflex log ...`: pain, sitting hours, sessions, notes, and a checked exercise."""

from __future__ import annotations

from typing import Annotated

import typer

from hipflex.cli.errors import guarded
from hipflex.cli.words import span
from hipflex.domain.limits import PAIN_RANGE, SITTING_HOURS_RANGE

log_app = typer.Typer(
    help="Record pain, sitting time, sessions done and notes.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

WhenOpt = Annotated[
    str | None,
    typer.Option(
        "--when", metavar="TIME", help="When: HH:MM, 'yesterday HH:MM' or 'YYYY-MM-DD HH:MM'."
    ),
]


def pain(
    score: Annotated[int, typer.Argument(metavar="N", help="Pain right now, 0 (none) to 10.")],
    when: WhenOpt = None,
) -> None:
    """Rate your low back pain today, 0 (none) to 10 (the worst imaginable). A rating 2
    points or more above last week's average is a warning: the plan eases off and the
    safety questions come again."""
    from hipflex.cli.words import HOW_TO_RECHECK
    from hipflex.services import tracking
    from hipflex.services.context import open_app
    from hipflex.services.pain import log_pain_rating

    app = open_app()
    try:
        at = None if when is None else tracking.resolve_when(app, when)
        logged = log_pain_rating(app, score, at)
    finally:
        app.close()
    rating = logged.rating
    print(f"Logged pain {rating.score}/10 at {rating.at.astimezone():%Y-%m-%d %H:%M}.")
    if logged.warning is not None:
        print(f"{logged.warning} {HOW_TO_RECHECK}")


def sitting(
    hours: Annotated[
        float, typer.Argument(metavar="HOURS", help=f"Hours you sat, {span(SITTING_HOURS_RANGE)}.")
    ],
    day: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Which day: YYYY-MM-DD or yesterday."),
    ] = None,
    measured: Annotated[
        bool,
        typer.Option("--measured", help="Measured at the computer (the reminder records it)."),
    ] = False,
) -> None:
    """Record how many hours you sat on a day (today by default)."""
    from hipflex.domain.assessment import sitting_band
    from hipflex.services import tracking
    from hipflex.services.context import open_app

    app = open_app()
    try:
        from hipflex.domain.tracking import SittingSource

        on = None if day is None else tracking.resolve_day(app, day)
        source = SittingSource.MEASURED if measured else SittingSource.ENTERED
        entry = tracking.log_sitting(app, hours, on, source)
    finally:
        app.close()
    band = sitting_band(entry.hours).value.replace("_", " ")
    print(f"Logged {entry.hours:g} h of sitting on {entry.day.isoformat()} ({band} band).")


def session(
    slot: Annotated[
        str | None,
        typer.Option(metavar="SLOT", help="Which session: morning, midday or evening."),
    ] = None,
    skipped: Annotated[
        list[str] | None,
        typer.Option("--skipped", metavar="ID", help="An exercise you left out (repeat)."),
    ] = None,
    sharp_pain: Annotated[
        list[str] | None,
        typer.Option(
            "--sharp-pain", metavar="ID", help="An exercise that caused sharp pain (repeat)."
        ),
    ] = None,
    pain_before: Annotated[
        int | None, typer.Option(metavar="N", help=f"Pain before the session, {span(PAIN_RANGE)}.")
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option(metavar="N", help=f"Pain after the session, {span(PAIN_RANGE)}.")
    ] = None,
    when: WhenOpt = None,
    note: Annotated[str | None, typer.Option(help="A note about the session.")] = None,
) -> None:
    """Record a session of your plan that you did on your own, as prescribed apart from
    the exercises you name as skipped."""
    from hipflex.cli.log_view import render_logged_session
    from hipflex.domain.assessment import parse_choice, parse_ids
    from hipflex.domain.plan import SessionSlot
    from hipflex.domain.protocol import ExerciseId
    from hipflex.services import tracking
    from hipflex.services.context import open_app
    from hipflex.services.session_logs import log_planned_session

    app = open_app()
    try:
        logged = log_planned_session(
            app,
            slot=None if slot is None else parse_choice(SessionSlot, slot, "session"),
            skipped=parse_ids(ExerciseId, skipped or [], "exercise"),
            sharp_pain=parse_ids(ExerciseId, sharp_pain or [], "exercise"),
            pain_before=pain_before,
            pain_after=pain_after,
            when=None if when is None else tracking.resolve_when(app, when),
            note=note,
        )
    finally:
        app.close()
    render_logged_session(logged)


def movement_break(
    outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="done, skipped or snoozed.")],
    when: WhenOpt = None,
) -> None:
    """Record what you did with a movement-break reminder (the reminder does this)."""
    from hipflex.domain.assessment import parse_choice
    from hipflex.domain.breaks import BreakOutcome
    from hipflex.services import tracking
    from hipflex.services.context import open_app

    app = open_app()
    try:
        at = None if when is None else tracking.resolve_when(app, when)
        event = tracking.log_break(app, parse_choice(BreakOutcome, outcome, "break outcome"), at)
    finally:
        app.close()
    print(f"Logged a movement break, {event.outcome.value}, at {event.at.astimezone():%H:%M}.")


def note(text: Annotated[str, typer.Argument(help="What you want to remember.")]) -> None:
    """Keep a free note (it appears in your report)."""
    from hipflex.services import tracking
    from hipflex.services.context import open_app

    app = open_app()
    try:
        saved = tracking.log_note(app, text)
    finally:
        app.close()
    print(f"Noted at {saved.at.astimezone():%Y-%m-%d %H:%M}.")


def checked(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The paused exercise.")],
) -> None:
    """Record that a clinician checked an exercise paused for sharp pain, so it returns."""
    from hipflex.domain.assessment import parse_choice
    from hipflex.domain.protocol import ExerciseId
    from hipflex.services import tracking
    from hipflex.services.context import open_app

    app = open_app()
    try:
        cleared = tracking.clear_exercise(app, parse_choice(ExerciseId, exercise_id, "exercise"))
    finally:
        app.close()
    print(f"{cleared.exercise_id.value} is back in your plan. Stop again if it hurts sharply.")


log_app.command("pain")(guarded(pain))
log_app.command("sitting")(guarded(sitting))
log_app.command("session")(guarded(session))
log_app.command("note")(guarded(note))
log_app.command("break")(guarded(movement_break))
log_app.command("checked")(guarded(checked))
