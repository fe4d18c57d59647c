"""The player says each thing once (issue 14): the words of a script's steps and cues.
A step that opens an exercise says its name in its title and aloud, not a second time
under it; "Next: ..." never doubles its word; a set counts its reps on screen and paces
them aloud."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from tests.domain.test_player import EXERCISES, compile_plan, one_exercise, scripts

from hipflex.domain.plan import SessionPlan, SessionSlot, prescribe
from hipflex.domain.progression import MAX_LEVEL
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.script import Script, StepKind, rep_words, up_next

SET_EXERCISES = [e.id for e in EXERCISES.values() if e.dosage.hold_seconds is None]


@settings(max_examples=60)
@given(scripts)
def test_next_says_its_word_once(script: Script):
    for index in range(len(script.steps)):
        words = up_next(script, index)
        assert words.startswith("Next: ")
        assert words.count("Next") == 1 or script.steps[index + 1].kind is StepKind.CHANGE
        assert "Next: Next" not in words
        assert "Next: Get ready" not in words


def test_the_last_step_before_the_end_says_so():
    script = compile_plan(one_exercise(ExerciseId.GLUTE_BRIDGE))
    assert up_next(script, len(script.steps) - 2) == "Next: the end"
    assert up_next(script, len(script.steps) - 1) == "Next: the end"


@settings(max_examples=60)
@given(scripts)
def test_an_opening_step_is_said_aloud_and_not_shown_twice(script: Script):
    for step in script.steps:
        if step.kind in (StepKind.LEAD_IN, StepKind.CHANGE):
            (cue,) = step.cues
            assert cue.text == f"{step.title}."  # the voice says the title once
            assert cue.on_screen == ""  # the screen shows it once, as the title


@pytest.mark.parametrize("exercise_id", SET_EXERCISES)
@pytest.mark.parametrize("level", [0, MAX_LEVEL])
def test_a_set_counts_every_rep_on_screen(exercise_id: ExerciseId, level: int):
    p = prescribe(EXERCISES[exercise_id], level)
    session = SessionPlan(SessionSlot.EVENING, "Sets", (p,))
    for step in compile_plan(session).steps:
        if step.kind is not StepKind.SET:
            continue
        assert step.reps == p.reps
        counts = [c for c in step.cues if c.on_screen.startswith("Rep ")]
        starts = {c.at: c.on_screen for c in counts}
        for rep in range(1, p.reps + 1):
            assert starts[(rep - 1) * p.rep_seconds] == rep_words(
                rep, p.reps, p.hold_at_top_seconds
            )
        # the voice never says the count on every rep: only the pace (or every fifth)
        assert all(not c.text.startswith("Rep ") for c in step.cues)


def test_rep_words_read_as_the_issue_asks():
    assert rep_words(4, 15, 3) == "Rep 4 of 15, hold at the top 3 s"
    assert rep_words(1, 10, None) == "Rep 1 of 10"


def test_the_glute_bridge_screen_follows_each_rep():
    script = compile_plan(one_exercise(ExerciseId.GLUTE_BRIDGE))
    first_set = next(s for s in script.steps if s.kind is StepKind.SET)
    shown = [(c.at, c.text, c.on_screen) for c in first_set.cues[:4]]
    assert shown == [
        (0, "15 reps. Begin.", "Rep 1 of 15, hold at the top 3 s"),
        (1, "Hold 3 seconds.", "Rep 1 of 15, hold at the top 3 s: hold"),
        (4, "Lower slowly.", "Rep 1 of 15, hold at the top 3 s: lower slowly"),
        (6, "Lift.", "Rep 2 of 15, hold at the top 3 s"),
    ]
