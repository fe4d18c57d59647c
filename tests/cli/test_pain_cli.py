"""The pain rules on the command line: a daily rating's warning, and the safety questions
answered again with `hipflex assess --safety-only` (PROTOCOL.md section 4)."""

from __future__ import annotations

from datetime import timedelta

from hipflex.content import load_content
from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.protocol import RedFlag, Side
from hipflex.services import programme
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock, SystemClock
from hipflex.services.context import open_app
from hipflex.services.tracking import log_pain
from tests.cli.conftest import Cli
from tests.cli.test_log_progress_report import TIGHT_ILIOPSOAS, one_line_error


def a_week_ago_with_pain_2() -> None:
    """A tight assessment and a block started eight days ago, with a week of ratings of 2."""
    clock = FixedClock(SystemClock().now() - timedelta(days=8))
    app = open_app(clock=clock)
    try:
        tight = AssessmentInput(
            thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=85.0)},
            red_flags=frozenset(),
        )
        record_assessment(app, tight)
        programme.plan_week(app)  # the block starts that day
        for _ in range(7):
            clock.advance(3600)
            log_pain(app, 2)
            clock.advance(23 * 3600)
    finally:
        app.close()


def test_a_daily_rating_2_above_last_weeks_mean_says_the_warning(cli: Cli):
    a_week_ago_with_pain_2()
    calm = cli("log", "pain", "3")
    assert calm.exit_code == 0, calm.output
    assert "rose" not in calm.stdout
    assert "above" not in calm.stdout
    spiked = cli("log", "pain", "5")
    assert spiked.exit_code == 0, spiked.output
    words = " ".join(spiked.stdout.split())
    assert "Your pain today (5) is 2 points or more above last week's average (2.0)" in words
    assert "eases off from your next session" in words
    assert "hipflex assess --safety-only" in words
    plan = cli.json("plan", "--json")
    assert plan["needs"] == "safety_check"
    assert plan["sessions"] == []


def test_safety_only_records_a_safety_check_and_brings_the_plan_back(cli: Cli):
    a_week_ago_with_pain_2()
    assert cli("log", "pain", "6").exit_code == 0
    answered = cli.json("assess", "--safety-only", "--no-red-flags", "--json")
    assert answered["kind"] == "safety_check"
    assert answered["red_flags"] == []
    assert answered["screening"] == "clear"
    assert answered["advice"] is None
    plan = cli.json("plan", "--json")
    assert plan["safe_to_exercise"] is True
    assert plan["eased_off"]
    text = cli("assess", "--safety-only", "--no-red-flags")
    assert text.exit_code == 0, text.output
    assert "Your plan is back" in text.stdout
    # the safety check is in the history, and the findings stay the self-tests'
    history = cli.json("history", "--json")
    assert [h["kind"] for h in history][:2] == ["safety_check", "safety_check"]


def test_safety_only_with_a_red_flag_stops_everything(cli: Cli):
    cli.json("assess", "--json", *TIGHT_ILIOPSOAS)
    answered = cli.json("assess", "--safety-only", "--red-flag", "night_pain", "--json")
    assert answered["screening"] == "red_flag"
    assert answered["safe_to_exercise"] is False
    assert answered["advice"]
    assert cli.json("plan", "--json")["needs"] == "clinician"
    stopped = cli("assess", "--safety-only", "--red-flag", "night_pain")
    title = load_content().red_flag_advice_for(frozenset({RedFlag.NIGHT_PAIN})).title
    assert f"STOP: {title}" in stopped.stdout


def test_safety_only_takes_only_the_safety_answers(cli: Cli):
    one_line_error(
        cli("assess", "--safety-only", "--no-red-flags", "--knee-left", "70"),
        2,
        "--safety-only takes only the safety answers",
    )
    one_line_error(
        cli("assess", "--safety-only", "--json"), 2, "answer the safety questions", "--no-red-flags"
    )
    one_line_error(
        cli("assess", "--safety-only", "--red-flag", "night_pain", "--no-red-flags"),
        2,
        "not both",
    )
    one_line_error(cli("assess", "--safety-only", "--red-flag", "cartwheel"), 2, "unknown red flag")


def test_safety_only_asks_only_the_safety_questions_in_a_terminal(cli: Cli):
    cli.json("assess", "--json", *TIGHT_ILIOPSOAS)
    answers = "n\n" * 6
    result = cli("assess", "--safety-only", "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert "Safety first" in result.stdout
    assert "Thomas" not in result.stdout
    assert "Your plan is back" in result.stdout
