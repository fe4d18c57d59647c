"""`hipflex session` and `hipflex break`: guided, timed sessions in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from hipflex.cli.words import span
from hipflex.domain.limits import PAIN_RANGE

PlainOpt = Annotated[
    bool,
    typer.Option("--plain", help="Line-by-line mode for screen readers and simple terminals."),
]
VoiceOpt = Annotated[
    bool, typer.Option("--voice", help="Speak the cues aloud (needs espeak-ng installed).")
]
SpeedOpt = Annotated[
    float,
    typer.Option(min=0.1, max=1000.0, hidden=True, help="Run the clock faster (demos and tests)."),
]


def session(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]", help="morning, midday or evening (default: today's next one)."
        ),
    ] = None,
    plain: PlainOpt = False,
    voice: VoiceOpt = False,
    pain_before: Annotated[
        int | None,
        typer.Option(metavar="N", help=f"Your pain now, {span(PAIN_RANGE)} (else you are asked)."),
    ] = None,
    pain_after: Annotated[
        int | None,
        typer.Option(
            metavar="N", help=f"Your pain after, {span(PAIN_RANGE)} (else you are asked)."
        ),
    ] = None,
    resume: Annotated[
        bool | None,
        typer.Option(
            "--resume/--no-resume", help="Resume an interrupted session without asking (or not)."
        ),
    ] = None,
    speed: SpeedOpt = 1.0,
) -> None:
    """Play a session of your plan with timers and cues, logging each hold as it is done.

    Keys: space pause/resume, n or right skip, b or left back, s sharp pain, q quit.
    """
    from hipflex.cli.session_flow import run_guided_session

    run_guided_session(
        name,
        plain=plain,
        voice=voice,
        pain_before=pain_before,
        pain_after=pain_after,
        resume=resume,
        speed=speed,
    )


def movement_break(plain: PlainOpt = False, voice: VoiceOpt = False, speed: SpeedOpt = 1.0) -> None:
    """The two-minute desk routine of a movement break: a short walk, the standing hip
    flexor stretch on each side and glute squeezes."""
    from hipflex.cli.session_flow import run_break

    run_break(plain=plain, voice=voice, speed=speed)
