"""The packaged content pins PROTOCOL.md's numbers; broken data files fail loudly and clearly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from hipflex.content import loader
from hipflex.content.loader import (
    FINDING_PLACEHOLDERS,
    REQUIRED_FINDINGS,
    TILT_CUE_WORDS,
    ContentError,
    build_content,
    load_content,
    reader_for,
)
from hipflex.domain.protocol import (
    HIP_FLEXORS,
    Content,
    ExerciseId,
    ExerciseKind,
    Intensity,
    Muscle,
    Place,
    RedFlag,
    SelfTestId,
    Sign,
    SittingBand,
    Urgency,
    WorkplaceCategory,
)

DATA = Path(loader.__file__).parent / "data"

STRETCHES = frozenset(
    {
        ExerciseId.HALF_KNEELING_HIP_FLEXOR,
        ExerciseId.COUCH_STRETCH,
        ExerciseId.STANDING_QUAD_HIP_FLEXOR,
        ExerciseId.PIGEON_POSE,
    }
)
STRENGTH = frozenset({ExerciseId.GLUTE_BRIDGE, ExerciseId.CLAMSHELL})
CORE = frozenset({ExerciseId.DEAD_BUG, ExerciseId.BIRD_DOG, ExerciseId.PLANK})


class Expected(NamedTuple):
    """One exercise's dosage as PROTOCOL.md 3.1/3.3 gives it (core: conventional)."""

    exercise: ExerciseId
    sets: tuple[int, int]
    reps: tuple[int, int]
    per_side: bool
    from_protocol: bool
    hold_seconds: tuple[int, int] | None = None
    hold_at_top_seconds: int | None = None


DOSAGES = [
    Expected(
        ExerciseId.HALF_KNEELING_HIP_FLEXOR,
        (1, 1),
        (2, 3),
        per_side=True,
        from_protocol=True,
        hold_seconds=(30, 60),
    ),
    Expected(
        ExerciseId.COUCH_STRETCH,
        (1, 1),
        (1, 1),
        per_side=True,
        from_protocol=True,
        hold_seconds=(60, 120),
    ),
    Expected(
        ExerciseId.STANDING_QUAD_HIP_FLEXOR,
        (1, 1),
        (1, 1),
        per_side=True,
        from_protocol=True,
        hold_seconds=(30, 30),
    ),
    Expected(
        ExerciseId.PIGEON_POSE,
        (1, 1),
        (1, 1),
        per_side=True,
        from_protocol=True,
        hold_seconds=(60, 120),
    ),
    Expected(
        ExerciseId.GLUTE_BRIDGE,
        (3, 3),
        (15, 15),
        per_side=False,
        from_protocol=True,
        hold_at_top_seconds=3,
    ),
    Expected(ExerciseId.CLAMSHELL, (3, 3), (15, 15), per_side=True, from_protocol=True),
    Expected(ExerciseId.DEAD_BUG, (2, 3), (8, 10), per_side=True, from_protocol=False),
    Expected(ExerciseId.BIRD_DOG, (2, 3), (8, 10), per_side=True, from_protocol=False),
    Expected(
        ExerciseId.PLANK, (2, 3), (1, 1), per_side=False, from_protocol=False, hold_seconds=(20, 30)
    ),
]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


# --- Exercises ---------------------------------------------------------------------------


def test_all_nine_exercises_are_present(content: Content) -> None:
    assert set(content.exercises) == set(ExerciseId)
    assert len(content.exercises) == 9
    assert {e.exercise for e in DOSAGES} == set(ExerciseId)


@pytest.mark.parametrize("expected", DOSAGES, ids=lambda e: e.exercise.value)
def test_dosage_is_the_protocols(content: Content, expected: Expected) -> None:
    dosage = content.exercise(expected.exercise).dosage
    assert (dosage.sets.min, dosage.sets.max) == expected.sets
    assert (dosage.reps.min, dosage.reps.max) == expected.reps
    hold = dosage.hold_seconds
    assert (None if hold is None else (hold.min, hold.max)) == expected.hold_seconds
    assert dosage.hold_at_top_seconds == expected.hold_at_top_seconds
    assert dosage.per_side is expected.per_side
    assert dosage.from_protocol is expected.from_protocol


def test_glute_bridge_tempo_holds_at_the_top(content: Content) -> None:
    assert content.exercise("glute_bridge").dosage.tempo == (
        "lift, hold 3 s at the top, lower slowly"
    )


@pytest.mark.parametrize("exercise_id", sorted(CORE))
def test_core_dosages_say_they_are_not_from_the_protocol(
    content: Content, exercise_id: ExerciseId
) -> None:
    dosage = content.exercise(exercise_id).dosage
    assert dosage.from_protocol is False
    assert dosage.note is not None
    assert "protocol gives no dosage" in dosage.note.lower()


def test_exercise_kinds(content: Content) -> None:
    by_kind = {
        kind: {e.id for e in content.exercises.values() if e.kind is kind} for kind in ExerciseKind
    }
    assert by_kind == {
        ExerciseKind.STRETCH: STRETCHES,
        ExerciseKind.STRENGTH: STRENGTH,
        ExerciseKind.CORE: CORE,
    }


@pytest.mark.parametrize("exercise_id", sorted(STRETCHES))
def test_every_stretch_leads_with_the_tilt_cue(content: Content, exercise_id: ExerciseId) -> None:
    exercise = content.exercise(exercise_id)
    assert exercise.is_hip_flexor_stretch
    assert HIP_FLEXORS & set(exercise.targets)
    assert any(word in exercise.cues[0].lower() for word in TILT_CUE_WORDS)


@pytest.mark.parametrize("exercise_id", sorted(STRETCHES))
def test_every_stretch_warns_against_pain(content: Content, exercise_id: ExerciseId) -> None:
    safety = " ".join(content.exercise(exercise_id).safety).lower()
    assert "never pain" in safety
    assert "sharp pain" in safety


@pytest.mark.parametrize(
    "exercise_id", [ExerciseId.HALF_KNEELING_HIP_FLEXOR, ExerciseId.COUCH_STRETCH]
)
def test_kneeling_stretches_pad_the_knee(content: Content, exercise_id: ExerciseId) -> None:
    assert "pad" in " ".join(content.exercise(exercise_id).safety).lower()


def test_stretch_intensities(content: Content) -> None:
    assert {i: content.exercise(i).intensity for i in STRETCHES} == {
        ExerciseId.HALF_KNEELING_HIP_FLEXOR: Intensity.MODERATE,
        ExerciseId.COUCH_STRETCH: Intensity.INTENSE,
        ExerciseId.STANDING_QUAD_HIP_FLEXOR: Intensity.GENTLE,
        ExerciseId.PIGEON_POSE: Intensity.MODERATE,
    }


def test_the_break_stretch_suits_a_desk(content: Content) -> None:
    assert Place.DESK in content.exercise("standing_quad_hip_flexor").places


def test_couch_stretch_reaches_rectus_femoris(content: Content) -> None:
    assert {"rectus_femoris", "iliopsoas"} <= set(content.exercise("couch_stretch").targets)


# --- Assessment content ------------------------------------------------------------------


def test_self_tests_and_their_results(content: Content) -> None:
    assert set(content.self_tests) == set(SelfTestId)
    thomas = content.self_tests[SelfTestId.THOMAS]
    extension = content.self_tests[SelfTestId.HIP_EXTENSION]
    assert set(thomas.results) == {
        "normal",
        "tight_iliopsoas",
        "tight_rectus_femoris",
        "both_tight",
    }
    assert set(extension.results) == {"normal", "tight"}
    assert "80" in thomas.results["normal"]
    assert "exactly 80" in thomas.results["normal"]
    assert "10" in extension.results["normal"]
    assert "15" in extension.results["normal"]


def test_signs(content: Content) -> None:
    assert set(content.signs) == set(Sign)
    assert len(content.signs) == 6


def test_red_flags(content: Content) -> None:
    assert set(content.red_flags) == set(RedFlag)
    assert len(content.red_flags) == 6
    assert all(flag.question.endswith("?") for flag in content.red_flags.values())


#: PROTOCOL.md section 4: saddle numbness or a bladder/bowel change is urgent, worsening leg
#: weakness is same-day advice; the other red flags need a prompt appointment.
URGENCY = {
    RedFlag.SADDLE_NUMBNESS: Urgency.URGENT,
    RedFlag.BLADDER_BOWEL: Urgency.URGENT,
    RedFlag.LEG_WEAKNESS: Urgency.SAME_DAY,
    RedFlag.TRAUMA: Urgency.PROMPT,
    RedFlag.SYSTEMIC: Urgency.PROMPT,
    RedFlag.NIGHT_PAIN: Urgency.PROMPT,
}

#: Words each level's advice must say (what to do, and how soon).
URGENCY_WORDS = {
    Urgency.URGENT: ("urgent", "emergency department", "now"),
    Urgency.SAME_DAY: ("today", "doctor"),
    Urgency.PROMPT: ("prompt appointment", "doctor or physiotherapist"),
}


def test_each_red_flag_has_the_protocols_urgency(content: Content) -> None:
    assert {f: info.urgency for f, info in content.red_flags.items()} == URGENCY


@pytest.mark.parametrize("level", list(Urgency))
def test_each_level_has_its_own_plain_advice(content: Content, level: Urgency) -> None:
    advice = content.urgency_advice[level]
    for word in URGENCY_WORDS[level]:
        assert word in f"{advice.title} {advice.text}".lower()
    assert "don't" in advice.text.lower()  # no exercise, whatever the level
    others = [content.urgency_advice[u].text for u in Urgency if u is not level]
    assert advice.text not in others


@pytest.mark.parametrize("flag", list(RedFlag))
def test_one_flag_gets_the_advice_of_its_level(content: Content, flag: RedFlag) -> None:
    assert content.red_flag_urgency({flag}) is URGENCY[flag]
    assert content.red_flag_advice_for({flag}) == content.urgency_advice[URGENCY[flag]]


@pytest.mark.parametrize(
    ("flags", "level"),
    [
        ({RedFlag.TRAUMA, RedFlag.NIGHT_PAIN}, Urgency.PROMPT),
        ({RedFlag.TRAUMA, RedFlag.LEG_WEAKNESS}, Urgency.SAME_DAY),
        ({RedFlag.LEG_WEAKNESS, RedFlag.BLADDER_BOWEL}, Urgency.URGENT),
        (set(RedFlag), Urgency.URGENT),
    ],
)
def test_the_most_urgent_flag_decides(
    content: Content, flags: set[RedFlag], level: Urgency
) -> None:
    assert content.red_flag_urgency(flags) is level
    assert content.red_flag_urgency(f.value for f in flags) is level  # ids from JSON too
    assert content.red_flag_advice_for(flags) == content.urgency_advice[level]


def test_no_flag_named_gets_the_prompt_advice(content: Content) -> None:
    assert content.red_flag_urgency(()) is None
    assert content.red_flag_advice_for(()) == content.urgency_advice[Urgency.PROMPT]


def test_flags_by_urgency_most_urgent_first(content: Content) -> None:
    groups = content.red_flags_by_urgency()
    assert [advice for advice, _ in groups] == [content.urgency_advice[u] for u in Urgency]
    assert [{f.id for f in flags} for _, flags in groups] == [
        {f for f, u in URGENCY.items() if u is level} for level in Urgency
    ]


def test_sitting_bands(content: Content) -> None:
    assert {b: (i.hours, i.risk) for b, i in content.sitting_bands.items()} == {
        SittingBand.LOW: ("under 4 hours", "low"),
        SittingBand.MODERATE: ("4 to under 6 hours", "moderate"),
        SittingBand.HIGH: ("6 to under 8 hours", "high"),
        SittingBand.VERY_HIGH: ("8 hours or more", "very high"),
    }
    assert "not a personal medical" in content.sitting_note


# --- Education, workplace, FAQ, guidelines -----------------------------------------------


def _all_words(content: Content) -> str:
    """Every sentence of education a user reads: topics, muscles, mechanisms, FAQ, tips,
    exercise summaries and the signs' reasons."""
    parts = [p for t in content.topics.values() for p in t.paragraphs]
    parts += [m.text for m in content.muscles.values()]
    parts += [f"{m.what_happens} {m.result}" for m in content.mechanisms]
    parts += [f.answer for f in content.faq]
    parts += [t.text for t in content.workplace.values()]
    parts += [e.summary for e in content.exercises.values()]
    parts += [s.why for s in content.signs.values()]
    return " ".join(parts).lower()


def test_inhibition_is_a_common_explanation_not_a_proven_fact(content: Content) -> None:
    inhibition = " ".join(content.topics["inhibition"].paragraphs).lower()
    assert "reciprocal inhibition" in inhibition
    assert "well established" in inhibition  # the reflex itself is
    assert "common explanation" in inhibition  # glutes "switched off" by tight hip flexors...
    assert "not proven" in inhibition  # ... is not
    assert "mixed results" in inhibition
    assert content.topics["inhibition"].title.endswith("?")


def test_the_link_to_back_pain_is_hedged(content: Content) -> None:
    mechanisms = " ".join(content.topics["mechanisms"].paragraphs).lower()
    assert "common explanation, not a proven one" in mechanisms
    assert "evidence linking hip-flexor tightness to back pain is mixed" in mechanisms
    why = " ".join(content.topics["why"].paragraphs).lower()
    assert "common explanation" in why
    assert "mixed results" in why
    answer = next(f.answer for f in content.faq if f.id == "can_cause_back_pain")
    assert not answer.lower().startswith("yes")
    assert "evidence is mixed" in answer
    assert "one factor among several" in answer


def test_the_protocols_facts_stay(content: Content) -> None:
    """The anatomy and the four mechanisms (PROTOCOL.md section 1) are still taught."""
    psoas = " ".join(content.topics["psoas"].paragraphs)
    assert "T12" in psoas
    assert "L5" in psoas
    assert "thigh bone" in psoas
    assert [m.name for m in content.mechanisms] == [
        "Anterior pelvic tilt",
        "Spinal compression",
        "Muscle imbalance",
        "Movement dysfunction",
    ]
    assert "longest muscle" in content.muscles[Muscle.SARTORIUS].text


@pytest.mark.parametrize(
    "settled",
    [
        "switch off your glutes",
        "glutes switched on",
        "that tight hip flexors switch off",
        "that tight hip flexors tend to switch off",
        "muscles are switched off",
        "yes, they can",
        "pulls directly on",
        "pulls straight on",
    ],
)
def test_no_causal_claim_is_stated_as_settled(content: Content, settled: str) -> None:
    assert settled not in _all_words(content)


def test_faq_ids(content: Content) -> None:
    assert [f.id for f in content.faq] == [
        "can_cause_back_pain",
        "how_long",
        "stretch_when_painful",
        "standing_desks",
        "worse_after_sitting",
    ]


def test_mechanisms_and_muscles(content: Content) -> None:
    assert {m.id for m in content.mechanisms} == {
        "anterior_pelvic_tilt",
        "spinal_compression",
        "muscle_imbalance",
        "movement_dysfunction",
    }
    assert set(content.muscles) == HIP_FLEXORS
    assert "T12" in content.muscles[Muscle.ILIOPSOAS].text


def test_topics(content: Content) -> None:
    assert set(content.topics) == {
        "why",
        "muscles",
        "psoas",
        "mechanisms",
        "inhibition",
        "stretching",
        "strengthening",
        "workplace",
        "safety",
    }


def test_workplace_tips_by_category(content: Content) -> None:
    by_category = {
        category: [t.id for t in content.workplace.values() if t.category is category]
        for category in WorkplaceCategory
    }
    assert by_category == {
        WorkplaceCategory.SETUP: [
            "sit_stand_desk",
            "perch_sitting",
            "seat_wedge",
            "lumbar_support",
        ],
        WorkplaceCategory.MOVEMENT: [
            "walk_breaks",
            "desk_stretch",
            "seated_glute_squeeze",
            "walking_meetings",
        ],
        WorkplaceCategory.POSITIONING: [
            "no_crossed_legs",
            "feet_flat",
            "perch_on_edge",
            "kneeling_chair",
        ],
    }


def test_guidelines_numbers(content: Content) -> None:
    guide = content.guidelines
    assert (guide.sessions_per_day.min, guide.sessions_per_day.max) == (2, 3)
    assert (guide.hold_seconds.min, guide.hold_seconds.max) == (30, 60)
    assert (guide.block_weeks.min, guide.block_weeks.max) == (4, 6)
    assert "tailbone" in guide.key_cue.lower()


def test_findings_cover_every_result_and_format_with_a_side(content: Content) -> None:
    for group, wanted in REQUIRED_FINDINGS.items():
        assert set(wanted) <= set(content.findings[group])
    for group in content.findings.values():
        for finding in group.values():
            for text in (finding.title, finding.text):
                filled = text.format(**FINDING_PLACEHOLDERS)
                assert "{" not in filled
                assert "}" not in filled
    assert content.disclaimer


# --- Loader failure paths over a broken copy of the data folder --------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    return tmp_path


def rewrite(folder: Path, name: str, old: str, new: str) -> None:
    """Replace the first occurrence of old (which must be there) in one data file."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def cut(folder: Path, name: str, start: str, end: str | None) -> None:
    """Remove a file's text from start up to (not including) the next end, or to the end."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    first = text.index(start)
    last = len(text) if end is None else text.index(end, first + len(start))
    path.write_text(text[:first] + text[last:], encoding="utf-8")


def load_error(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        build_content(reader_for(folder))
    return str(caught.value)


def test_an_unbroken_copy_loads(data: Path) -> None:
    assert build_content(reader_for(data)) == load_content()


def test_invalid_toml(data: Path) -> None:
    rewrite(data, "exercises.toml", 'id = "couch_stretch"', 'id = "couch_stretch')
    message = load_error(data)
    assert message.startswith("exercises.toml: not valid TOML:")
    assert "line" in message


def test_a_missing_exercise(data: Path) -> None:
    cut(data, "exercises.toml", '[[exercise]]\nid = "plank"', None)
    assert load_error(data) == "exercises.toml: exercise: missing plank"


def test_a_negative_hold(data: Path) -> None:
    rewrite(
        data,
        "exercises.toml",
        "hold_seconds = { min = 30, max = 60 }",
        "hold_seconds = { min = -30, max = 60 }",
    )
    message = load_error(data)
    assert message.startswith(
        "exercises.toml: exercise[0] (half_kneeling_hip_flexor).dosage.hold_seconds.min: "
    )
    assert "greater than or equal to 0" in message


def test_min_greater_than_max(data: Path) -> None:
    rewrite(
        data,
        "exercises.toml",
        "hold_seconds = { min = 30, max = 60 }",
        "hold_seconds = { min = 60, max = 30 }",
    )
    message = load_error(data)
    assert message.startswith(
        "exercises.toml: exercise[0] (half_kneeling_hip_flexor).dosage.hold_seconds: "
    )
    assert "min (60) is greater than max (30)" in message


def test_an_unknown_kind(data: Path) -> None:
    rewrite(data, "exercises.toml", 'kind = "stretch"', 'kind = "yoga"')
    message = load_error(data)
    assert message.startswith("exercises.toml: exercise[0] (half_kneeling_hip_flexor).kind: ")
    assert "'stretch', 'strength' or 'core'" in message


def test_a_duplicate_id(data: Path) -> None:
    rewrite(data, "exercises.toml", 'id = "pigeon_pose"', 'id = "couch_stretch"')
    assert load_error(data) == "exercises.toml: exercise: duplicate id couch_stretch"


def test_a_stretch_without_the_tilt_cue(data: Path) -> None:
    rewrite(
        data,
        "exercises.toml",
        '"Before you lift your torso, tuck your tailbone under so your lower back flattens '
        '(posterior pelvic tilt).",',
        '"Lift your torso.",',
    )
    message = load_error(data)
    assert message.startswith("exercises.toml: exercise (couch_stretch).cues: ")
    assert "posterior pelvic tilt" in message


def test_a_missing_finding(data: Path) -> None:
    cut(data, "findings.toml", "[thomas.both_tight]", "[thomas.not_tested]")
    assert load_error(data) == "findings.toml: thomas: missing both_tight"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("red_flags.toml", "advice"),
        ("sitting.toml", "note"),
        ("findings.toml", "disclaimer"),
        ("guidelines.toml", "guidelines"),
        ("education.toml", "mechanism"),
    ],
)
def test_a_missing_file_key(data: Path, name: str, key: str) -> None:
    path = data / name
    text = path.read_text(encoding="utf-8")
    renamed = (
        text.replace(f"\n{key} =", f"\nrenamed_{key} =")
        .replace(f"[{key}]", f"[renamed_{key}]")
        .replace(f"[{key}.", f"[renamed_{key}.")
    )
    assert renamed != text
    path.write_text(renamed, encoding="utf-8")
    assert load_error(data) == f"{name}: {key}: missing"


def test_unknown_placeholder_in_a_finding_is_reported(data: Path) -> None:
    path = data / "findings.toml"
    path.write_text(path.read_text().replace("On the {side} side", "On the {sid} side", 1))
    with pytest.raises(ContentError, match=r"findings.toml: thomas.normal.text: bad placeholder"):
        build_content(reader_for(data))


def test_a_missing_urgency_level(data: Path) -> None:
    cut(data, "red_flags.toml", "[advice.same_day]", "[advice.prompt]")
    assert load_error(data) == "red_flags.toml: advice: missing same_day"


def test_an_unknown_urgency_level(data: Path) -> None:
    rewrite(data, "red_flags.toml", 'urgency = "prompt"', 'urgency = "whenever"')
    message = load_error(data)
    assert message.startswith("red_flags.toml: red_flag[3] (trauma).urgency: ")


def test_a_red_flag_without_an_urgency(data: Path) -> None:
    rewrite(data, "red_flags.toml", 'urgency = "same_day"\n', "")
    message = load_error(data)
    assert message.startswith("red_flags.toml: red_flag[2] (leg_weakness).urgency: ")


@pytest.mark.parametrize(
    ("flag", "was", "laxer"),
    [
        ("saddle_numbness", "urgent", "same_day"),
        ("bladder_bowel", "urgent", "prompt"),
        ("leg_weakness", "same_day", "prompt"),
    ],
)
def test_a_red_flag_less_urgent_than_the_protocol_is_refused(
    data: Path, flag: str, was: str, laxer: str
) -> None:
    rewrite(
        data,
        "red_flags.toml",
        f'id = "{flag}"\nurgency = "{was}"',
        f'id = "{flag}"\nurgency = "{laxer}"',
    )
    assert load_error(data) == (
        f"red_flags.toml: red_flag ({flag}).urgency: must be {was} or more urgent "
        "(PROTOCOL.md section 4)"
    )


def test_a_red_flag_may_be_more_urgent_than_the_protocol(data: Path) -> None:
    rewrite(
        data,
        "red_flags.toml",
        'id = "trauma"\nurgency = "prompt"',
        'id = "trauma"\nurgency = "urgent"',
    )
    content = build_content(reader_for(data))
    assert content.red_flag_urgency({RedFlag.TRAUMA}) is Urgency.URGENT


def test_a_pose_outside_a_joint_range_is_refused_with_where_and_why(data: Path) -> None:
    rewrite(
        data,
        "exercises.toml",
        "near_leg = { hip = 50, knee = 150, ankle = -50 }",
        "near_leg = { hip = 50, knee = 175, ankle = -50 }",
    )
    error = load_error(data)
    assert error.startswith("exercises.toml: exercise[1] (couch_stretch).picture.positions[0]")
    assert "near_leg.knee is 175 degrees, outside the knee flexion range -5 to 150 degrees" in error


def test_a_self_test_pose_outside_a_range_is_refused(data: Path) -> None:
    rewrite(data, "self_tests.toml", "near_leg = { hip = -15 }", "near_leg = { hip = -45 }")
    error = load_error(data)
    assert "self_tests.toml: test[1] (hip_extension).picture.positions[1]" in error
    assert "outside the hip flexion range -30 to 130 degrees" in error


def test_a_picture_with_an_unknown_anchor_is_refused(data: Path) -> None:
    rewrite(data, "exercises.toml", 'anchor = "near_knee"', 'anchor = "elbow"')
    assert "unknown point 'elbow'" in load_error(data)


def test_a_hold_at_the_top_needs_the_dosage_to_give_it(data: Path) -> None:
    rewrite(data, "exercises.toml", "at_top = true", "at_top = true\nhold_seconds = 1")
    rewrite(data, "exercises.toml", "hold_at_top_seconds = 3\n", "")
    error = load_error(data)
    assert "(glute_bridge).picture" in error
    assert "no hold_at_top_seconds" in error


def test_every_exercise_and_self_test_has_a_picture_in_two_positions_or_more() -> None:
    content = load_content()
    for item in (*content.exercises.values(), *content.self_tests.values()):
        assert len(item.picture.positions) >= 2, item.id
        for position in item.picture.positions:
            assert position.says.endswith("."), (item.id, position.name)
