"""`hipflex learn` and `hipflex exercises`."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from hipflex.content import load_content
from hipflex.domain.protocol import ExerciseId
from hipflex.services.library import topics
from tests.cli.conftest import Cli


def test_learn_lists_every_topic(cli: Cli):
    result = cli("learn")
    assert result.exit_code == 0
    for entry in topics():
        assert entry.id in result.output


@pytest.mark.parametrize("topic", [entry.id for entry in topics()])
def test_every_topic_renders(cli: Cli, topic: str):
    result = cli("learn", topic)
    assert result.exit_code == 0, result.output
    assert "not a diagnosis" in result.output


def test_faq_shows_every_question(cli: Cli):
    result = cli("learn", "faq")
    for item in load_content().faq:
        assert item.question[:40] in result.output.replace("\n", " ")


def test_unknown_topic_is_one_line_naming_the_choices(cli: Cli):
    result = cli("learn", "yoga")
    assert result.exit_code == 2
    assert result.stderr.startswith("hipflex: error: unknown topic 'yoga' (choose from: why")


def test_exercise_list_has_all_nine(cli: Cli):
    result = cli("exercises")
    assert result.exit_code == 0
    for exercise_id in ExerciseId:
        assert exercise_id.value in result.output


@pytest.fixture
def screened(cli: Cli) -> Cli:
    """Safety questions answered "none of them": the cards show their doses."""
    cli.json("assess", "--json", "--sitting-hours", "3", "--no-red-flags")
    return cli


@pytest.mark.parametrize("exercise_id", [e.value for e in ExerciseId])
def test_every_card_shows_dosage_cues_and_safety(screened: Cli, exercise_id: str):
    exercise = load_content().exercise(exercise_id)
    output = screened("exercises", exercise_id).output
    assert exercise.name in output
    assert exercise.dosage.describe() in output
    assert "Cues" in output
    assert "Safety" in output


def test_unknown_exercise(cli: Cli):
    result = cli("exercises", "burpee")
    assert result.exit_code == 2
    assert "unknown exercise 'burpee'" in result.stderr


def test_half_kneeling_card_snapshot(screened: Cli, snapshot: SnapshotAssertion):
    assert screened("exercises", "half-kneeling-hip-flexor").output == snapshot


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ([], "only once you have answered its safety questions. Run `hipflex assess`"),
        (["--red-flag", "leg_weakness"], "checked by a doctor or physiotherapist"),
    ],
    ids=["never screened", "red flag"],
)
def test_without_clear_safety_answers_the_cards_show_the_stop_notice_not_doses(
    cli: Cli, answers: list[str], words: str
):
    if answers:
        cli.json("assess", "--json", *answers)
    listed = " ".join(cli("exercises").output.split())
    assert words in listed
    for exercise_id in ExerciseId:
        exercise = load_content().exercise(exercise_id)
        card = " ".join(cli("exercises", exercise_id.value).output.replace("│", "").split())
        assert exercise.name in card
        assert words in card
        assert exercise.dosage.describe() not in card
        assert exercise.dosage.describe() not in listed
