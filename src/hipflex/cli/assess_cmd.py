"""`hipflex assess`: the self-tests as options (scripts) or as a guided wizard (people)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hipflex.cli.words import ids, span
from hipflex.domain.ids import RedFlag, Sign
from hipflex.domain.limits import (
    EXTENSION_RANGE_DEG,
    KNEE_RANGE_DEG,
    SITTING_HOURS_RANGE,
    THIGH_ANGLE_RANGE_DEG,
)

ThighOpt = Annotated[
    str | None,
    typer.Option(
        metavar="flat|raised",
        help="Thomas test: does the hanging thigh rest flat or rise above the table?",
    ),
]


def assess(
    ctx: typer.Context,
    thomas_left: ThighOpt = None,
    thomas_right: ThighOpt = None,
    thigh_angle_left: Annotated[
        float | None,
        typer.Option(
            metavar="DEG",
            help=(
                "Thomas test, measured: left thigh angle above horizontal (> 0 rises), "
                f"{span(THIGH_ANGLE_RANGE_DEG, ' to ')}."
            ),
        ),
    ] = None,
    thigh_angle_right: Annotated[
        float | None,
        typer.Option(metavar="DEG", help="The same for the right thigh."),
    ] = None,
    knee_left: Annotated[
        float | None,
        typer.Option(
            metavar="DEG",
            help=(
                f"Thomas test: left knee bend in degrees, {span(KNEE_RANGE_DEG)} "
                "(90 = shin straight down)."
            ),
        ),
    ] = None,
    knee_right: Annotated[
        float | None,
        typer.Option(metavar="DEG", help="The same for the right knee."),
    ] = None,
    extension_left: Annotated[
        float | None,
        typer.Option(
            metavar="DEG",
            help=(
                "Standing hip extension: how far the left leg went back, "
                f"{span(EXTENSION_RANGE_DEG, ' to ')} degrees."
            ),
        ),
    ] = None,
    extension_right: Annotated[
        float | None,
        typer.Option(metavar="DEG", help="The same for the right leg."),
    ] = None,
    compensated_left: Annotated[
        bool,
        typer.Option(
            help="Left leg: the lower back arched or the torso leaned forward.",
        ),
    ] = False,
    compensated_right: Annotated[
        bool,
        typer.Option(help="The same for the right leg."),
    ] = False,
    sitting_hours: Annotated[
        float | None,
        typer.Option(
            metavar="H", help=f"Hours you sit on a usual day, {span(SITTING_HOURS_RANGE)}."
        ),
    ] = None,
    sign: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID",
            help=(f"A sign you notice (repeat for more): {ids(Sign)}."),
        ),
    ] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID",
            help=(
                f"A warning sign that needs a clinician (repeat for more): {ids(RedFlag)}. "
                "Scripts must answer the safety questions: this, or --no-red-flags."
            ),
        ),
    ] = None,
    no_red_flags: Annotated[
        bool,
        typer.Option(
            "--no-red-flags",
            help="None of the warning signs applies to you (the answer to the safety questions).",
        ),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    no_save: Annotated[bool, typer.Option("--no-save", help="Do not store the result.")] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            help="Ask the questions even when input is not a terminal.",
        ),
    ] = False,
    safety_only: Annotated[
        bool,
        typer.Option(
            "--safety-only",
            help=(
                "Answer only the safety questions again, without the self-tests (after a "
                "pain rise or sharp pain, hipflex asks them before any more exercise). "
                "With --red-flag ID or --no-red-flags, or asked in a terminal."
            ),
        ),
    ] = False,
) -> None:
    """Check your hip flexors: the Thomas test, the standing hip extension test, the common
    signs, your daily sitting and the warning signs that need a clinician.

    With no answers given it walks you through each test step by step. With answers
    given as options it runs without questions (for scripts). With --safety-only it asks
    (or records) only the safety questions.
    """
    from hipflex.cli.assess_view import answers_from_options, render_report, report_to_json
    from hipflex.domain.errors import BadInput
    from hipflex.services import assessments
    from hipflex.services.context import open_app

    if safety_only:
        tests_given = (
            thomas_left,
            thomas_right,
            thigh_angle_left,
            thigh_angle_right,
            knee_left,
            knee_right,
            extension_left,
            extension_right,
            sitting_hours,
        )
        if any(v is not None for v in tests_given) or compensated_left or compensated_right:
            msg = "--safety-only takes only the safety answers: --red-flag ID or --no-red-flags"
            raise BadInput(msg)
        if sign or no_save:
            msg = "--safety-only takes only the safety answers: --red-flag ID or --no-red-flags"
            raise BadInput(msg)
        from hipflex.cli.safety_check_view import answer_safety_questions

        answer_safety_questions(
            red_flag or [], no_red_flags, json_output=json_output, interactive=interactive
        )
        return

    answers = answers_from_options(
        thomas={"left": thomas_left, "right": thomas_right},
        thigh_angle={"left": thigh_angle_left, "right": thigh_angle_right},
        knee={"left": knee_left, "right": knee_right},
        extension={"left": extension_left, "right": extension_right},
        compensated={"left": compensated_left, "right": compensated_right},
        sitting_hours=sitting_hours,
        signs=sign or [],
        red_flags=red_flag or [],
        no_red_flags=no_red_flags,
    )
    unanswered = answers.red_flags is None if answers is not None else json_output
    if unanswered:  # checked before anything is opened: nothing is saved
        msg = (
            "answer the safety questions first: give --red-flag ID for each warning sign "
            "you have (repeat it), or --no-red-flags if you have none"
        )
        raise BadInput(msg)
    app = open_app()
    try:
        given = answers is not None
        if not given and not json_output:
            if not (interactive or sys.stdin.isatty()):
                msg = (
                    "no answers given and no terminal to ask them in; "
                    "pass options (see hipflex assess --help) or run it in a terminal"
                )
                raise BadInput(msg)
            from hipflex.cli.wizard import run_wizard

            answers = run_wizard(app)
        assert answers is not None  # the wizard always answers the safety questions
        if no_save:
            report = assessments.evaluate(app, answers)
        else:
            from hipflex.domain.assessment import AssessmentKind
            from hipflex.services.blocks import save_assessment

            retest = ctx.info_name == "retest"
            kind = AssessmentKind.RETEST if retest else AssessmentKind.BASELINE
            report = save_assessment(app, answers, kind)
    finally:
        app.close()
    if json_output:
        print(report_to_json(report))
    else:
        render_report(report)
