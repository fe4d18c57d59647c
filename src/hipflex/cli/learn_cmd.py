"""`hipflex learn` and `hipflex exercises`: the education, the FAQ and the exercise cards."""

from __future__ import annotations

from typing import Annotated

import typer


def learn(
    topic: Annotated[
        str | None,
        typer.Argument(help="A topic id; leave it out to see the list of topics."),
    ] = None,
) -> None:
    """Read why sitting tightens the hip flexors, how that hurts your back, and what helps."""
    from hipflex.cli import cards
    from hipflex.services import library

    if topic is None:
        cards.render_topic_list(library.topics())
    else:
        cards.render_topic(library.find_topic(topic), library.library())


def exercises(
    exercise_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="An exercise id such as half_kneeling_hip_flexor; leave it out to list them all.",
        ),
    ] = None,
) -> None:
    """Show the exercise cards: steps, cues, dosage and safety notes."""
    from hipflex.cli import cards
    from hipflex.cli.words import HOW_TO_RECHECK, HOW_TO_SCREEN
    from hipflex.services import library
    from hipflex.services.context import open_app
    from hipflex.services.safety import stop_notice

    chosen = None if exercise_id is None else library.find_exercise(exercise_id)
    app = open_app()
    try:
        stop = stop_notice(app, how_to_screen=HOW_TO_SCREEN, how_to_recheck=HOW_TO_RECHECK)
    finally:
        app.close()
    if chosen is None:
        cards.render_exercise_list(library.library(), stop)
    else:
        cards.render_exercise(chosen, stop)
