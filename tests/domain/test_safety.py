"""The safety gate (PROTOCOL.md 2.5 and section 4): one rule for every path that offers
movement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests import strategies

from hipflex.domain.assessment import AssessmentInput, assess
from hipflex.domain.protocol import ExerciseId, RedFlag
from hipflex.domain.safety import (
    WALK_ONLY,
    BreakAction,
    Screening,
    break_prompt,
    break_routine,
    break_script,
    screening,
    stop_words,
    warned_after,
)
from hipflex.domain.schedule import BREAK_ROUTINE, BreakActivity
from hipflex.domain.script import StepKind

STRETCH = "Standing quad and hip flexor stretch"


def test_never_answered_is_never_screened():
    assert screening(None) is Screening.UNSCREENED


@given(strategies.answers())
def test_a_red_flag_in_the_newest_answers_stops_and_none_clears(answers: AssessmentInput):
    state = screening(assess(answers))
    assert state is (Screening.RED_FLAG if answers.red_flags else Screening.CLEAR)
    assert state.may_exercise is (not answers.red_flags)


@given(st.sampled_from(Screening))
def test_only_a_clear_screening_may_exercise_and_the_others_say_why(state: Screening):
    assert state.may_exercise is (state is Screening.CLEAR)
    assert (stop_words(state) is None) is state.may_exercise


def test_the_stop_words_send_a_red_flag_to_a_clinician_and_the_unscreened_to_the_questions():
    assert "doctor or physiotherapist" in (stop_words(Screening.RED_FLAG) or "")
    assert "safety questions" in (stop_words(Screening.UNSCREENED) or "")


@given(st.sampled_from(Screening), st.frozensets(st.sampled_from(ExerciseId)))
def test_only_a_clear_break_has_the_stretch_and_squeezes(
    state: Screening, paused: frozenset[ExerciseId]
):
    routine = break_routine(state, paused)
    if state.may_exercise:
        stretch_paused = ExerciseId.STANDING_QUAD_HIP_FLEXOR in paused
        assert len(routine) == len(BREAK_ROUTINE) - stretch_paused
    else:
        assert routine == WALK_ONLY
        assert all(step.activity is BreakActivity.WALK for step in routine)
        assert all(step.if_comfortable and step.exercise_id is None for step in routine)


@given(st.sampled_from([Screening.RED_FLAG, Screening.UNSCREENED, Screening.RECHECK]))
def test_a_stopped_break_script_is_a_walk_if_comfortable_and_repeats_why(state: Screening):
    script = break_script(state, frozenset(), stretch_name=STRETCH, tilt_cue="Tuck it.")
    kinds = [step.kind for step in script.steps]
    assert kinds == [StepKind.LEAD_IN, StepKind.ACTIVITY, StepKind.DONE]
    assert all(step.exercise_id is None for step in script.steps)
    words = " ".join(cue.text for step in script.steps for cue in step.cues)
    assert "if it is comfortable" in words
    assert "squeeze" not in words.lower()
    assert STRETCH not in words
    assert script.steps[-1].cues[0].text == stop_words(state)


def test_a_clear_break_script_has_the_stretch_on_each_side_with_its_tilt_cue():
    script = break_script(Screening.CLEAR, frozenset(), stretch_name=STRETCH, tilt_cue="Tuck.")
    holds = [s for s in script.steps if s.kind is StepKind.HOLD]
    assert [s.title for s in holds] == [f"{STRETCH}, left side", f"{STRETCH}, right side"]
    assert all(s.cues[0].text.endswith("Tuck.") for s in holds)


@given(st.sampled_from(Screening), st.integers(30, 300), st.booleans())
def test_the_reminder_offers_the_routine_only_when_clear(
    state: Screening, minutes: int, snooze: bool
):
    prompt = break_prompt(
        state,
        minutes,
        stretch_name=STRETCH,
        how_to_screen="Run it.",
        how_to_recheck="Again.",
        can_snooze=snooze,
    )
    assert f"sitting for {minutes} minutes" in prompt.body
    assert (BreakAction.SNOOZE in prompt.actions) is snooze
    assert prompt.actions[-1] is BreakAction.SKIP
    if state.may_exercise:
        assert prompt.actions[0] is BreakAction.START
        assert "standing quad and hip flexor stretch for 30 seconds on each side" in prompt.body
    else:
        assert BreakAction.START not in prompt.actions
        assert prompt.actions[0] is BreakAction.DONE
        assert "stretch for" not in prompt.body
        assert "if it is comfortable" in prompt.body
        assert (stop_words(state) or "?") in prompt.body
        assert ("Run it." in prompt.body) is (state is Screening.UNSCREENED)
        assert ("Again." in prompt.body) is (state is Screening.RECHECK)


def test_a_paused_break_stretch_is_not_in_the_reminder():
    prompt = break_prompt(
        Screening.CLEAR,
        40,
        paused=frozenset({ExerciseId.STANDING_QUAD_HIP_FLEXOR}),
        stretch_name=STRETCH,
        how_to_screen="",
    )
    assert "stretch" not in prompt.body
    assert "walk a little" in prompt.body


def test_labels_pair_each_answer_with_its_words():
    prompt = break_prompt(Screening.RED_FLAG, 40, stretch_name=STRETCH, how_to_screen="")
    assert prompt.labelled() == (
        ("done", "Done: I stood up"),
        ("snooze", "Snooze 5 min"),
        ("skip", "Skip"),
    )


def test_red_flags_answered_none_is_clear_and_unanswered_cannot_be_assessed():
    assert screening(assess(AssessmentInput(red_flags=frozenset()))) is Screening.CLEAR
    flagged = assess(AssessmentInput(red_flags=frozenset({RedFlag.LEG_WEAKNESS})))
    assert screening(flagged) is Screening.RED_FLAG


def test_answers_without_the_safety_questions_are_refused_not_taken_as_no():
    import pytest

    from hipflex.domain.assessment import SafetyQuestionsUnanswered
    from hipflex.domain.errors import BadInput

    with pytest.raises(SafetyQuestionsUnanswered, match="safety questions are not answered"):
        assess(AssessmentInput(sitting_hours=3))
    assert issubclass(SafetyQuestionsUnanswered, BadInput)  # one line, exit 2, HTTP 422


# --- asked again: a pain rise or sharp pain after the newest answers (PROTOCOL.md 4) ------

ANSWERED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_warning_after_clear_answers_asks_them_again():
    clear = assess(AssessmentInput(red_flags=frozenset()))
    assert screening(clear, warned_since=True) is Screening.RECHECK
    assert not Screening.RECHECK.may_exercise
    assert Screening.RECHECK.asks_questions
    assert Screening.UNSCREENED.asks_questions
    assert not Screening.RED_FLAG.asks_questions
    assert "answer them again" in (stop_words(Screening.RECHECK) or "")
    assert "sharp pain" in (stop_words(Screening.RECHECK) or "")


def test_a_red_flag_wins_over_a_recheck_and_no_answers_stay_unscreened():
    flagged = assess(AssessmentInput(red_flags=frozenset({RedFlag.SYSTEMIC})))
    assert screening(flagged, warned_since=True) is Screening.RED_FLAG
    assert screening(None, warned_since=True) is Screening.UNSCREENED


@given(st.lists(st.integers(-600, 600)))
def test_only_a_warning_logged_after_the_answers_asks_again(offsets: list[int]):
    warnings = [ANSWERED + timedelta(seconds=s) for s in offsets]
    assert warned_after(ANSWERED, warnings) is any(s > 0 for s in offsets)
