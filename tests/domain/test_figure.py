"""The drawn figure: its proportions, its ranges, its placement, its mirror, and the SVG
of every exercise and self-test (well-formed, with a text alternative, at its tempo)."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET  # only the element type; parsing is defusedxml's

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import within

from hipflex.content import load_content
from hipflex.domain.figure import (
    FOREARM,
    JOINT_RANGES,
    REACH,
    SHANK,
    THIGH,
    UPPER_ARM,
    Arm,
    Ground,
    Joint,
    KeyPosition,
    Leg,
    Picture,
    angles,
    between,
    frames,
    ground_level,
    placed,
    pose_points,
    range_problem,
    wall_x,
)
from hipflex.domain.figure_svg import Palette, Words, animated, still, view_size
from hipflex.domain.ids import ExerciseId, SelfTestId, Side
from hipflex.services.pictures import exercise_picture, exercise_still, self_test_picture

SVG = "{http://www.w3.org/2000/svg}"
CONTENT = load_content()
#: Every picture in the content: (name, picture, the dosage's hold at the top).
PICTURES: dict[str, tuple[Picture, float | None]] = {
    **{e.id.value: (e.picture, e.dosage.hold_at_top_seconds) for e in CONTENT.exercises.values()},
    **{f"test:{t.id.value}": (t.picture, None) for t in CONTENT.self_tests.values()},
}


def joint(name: Joint) -> st.SearchStrategy[float]:
    return within(JOINT_RANGES[name])


@st.composite
def legs(draw: st.DrawFn) -> Leg:
    return Leg(
        hip=draw(joint(Joint.HIP)),
        knee=draw(joint(Joint.KNEE)),
        ankle=draw(joint(Joint.ANKLE)),
        opening=draw(joint(Joint.OPENING)),
    )


@st.composite
def arms(draw: st.DrawFn) -> Arm:
    return Arm(shoulder=draw(joint(Joint.SHOULDER)), elbow=draw(joint(Joint.ELBOW)))


@st.composite
def positions(draw: st.DrawFn) -> KeyPosition:
    """Any position inside the body's ranges."""
    return KeyPosition(
        name="any",
        says="Any position.",
        move_seconds=1,
        trunk=draw(joint(Joint.TRUNK)),
        pelvis=draw(joint(Joint.PELVIS)),
        neck=draw(joint(Joint.NECK)),
        near_leg=draw(legs()),
        far_leg=draw(legs()),
        near_arm=draw(arms()),
        far_arm=draw(arms()),
    )


def _distance(a: object, b: object) -> float:
    return math.dist((a.x, a.y), (b.x, b.y))  # type: ignore[attr-defined]


# --- the figure -------------------------------------------------------------------------


@given(positions())
def test_segments_keep_their_lengths_in_any_position(position: KeyPosition):
    near, far = position.legs
    flat = position.model_copy(
        update={
            "near_leg": near.model_copy(update={"opening": 0.0}),
            "far_leg": far.model_copy(update={"opening": 0.0}),
        }
    )
    points = pose_points(flat)
    for side in ("near", "far"):
        assert _distance(points["hip"], points[f"{side}_knee"]) == pytest.approx(THIGH)
        assert _distance(points[f"{side}_knee"], points[f"{side}_ankle"]) == pytest.approx(SHANK)
        assert _distance(points["shoulder"], points[f"{side}_elbow"]) == pytest.approx(UPPER_ARM)
        assert _distance(points[f"{side}_elbow"], points[f"{side}_hand"]) == pytest.approx(FOREARM)
    # Opening a knee (the clamshell) turns it out of the picture: hip and ankle stay put.
    opened = pose_points(position)
    for name in ("hip", "near_ankle", "far_ankle", "near_toe"):
        assert opened[name] == points[name]
    assert _distance(opened["hip"], opened["near_knee"]) <= THIGH + 1e-9


def test_standing_upright_the_legs_hang_straight_down_and_flexion_moves_forward():
    upright = KeyPosition(name="a", says="Stand.", move_seconds=1)
    points = pose_points(upright)
    assert points["near_knee"].x == pytest.approx(0)
    assert points["near_ankle"].y == pytest.approx(-(THIGH + SHANK))
    assert points["near_toe"].x > points["near_ankle"].x  # the toes point forward
    bent = upright.model_copy(update={"near_leg": Leg(hip=90)})
    assert pose_points(bent)["near_knee"].x == pytest.approx(THIGH)  # forward, level
    tucked = upright.model_copy(update={"pelvis": -10})
    assert pose_points(tucked)["near_knee"].x > 0  # a posterior tilt brings the thigh forward


@given(positions(), st.booleans(), st.sampled_from(list(Ground)))
def test_placed_rests_on_its_ground_with_the_anchor_still(
    position: KeyPosition, mirrored: bool, ground: Ground
):
    anchor = "hip" if ground is Ground.TABLE else "near_knee"
    picture = Picture(ground=ground, anchor=anchor, positions=(position, position))
    points = placed(picture, position, mirrored=mirrored)
    lowest = min(p.y - REACH[name] for name, p in points.items())
    assert lowest == pytest.approx(ground_level(ground))
    assert points[anchor].x == pytest.approx(0)


@given(positions())
def test_mirroring_flips_x_and_keeps_y(position: KeyPosition):
    picture = Picture(positions=(position, position))
    right = placed(picture, position)
    left = placed(picture, position, mirrored=True)
    for name, point in right.items():
        assert left[name].x == pytest.approx(-point.x, abs=1e-9)
        assert left[name].y == pytest.approx(point.y)


@given(positions(), positions(), st.floats(0, 1))
def test_every_moment_between_two_positions_stays_in_range(
    a: KeyPosition, b: KeyPosition, t: float
):
    moment = between(a, b, t)  # the model refuses a moment outside the ranges
    for (where, _, value), (_, _, start), (_, _, end) in zip(
        angles(moment), angles(a), angles(b), strict=True
    ):
        assert min(start, end) - 1e-9 <= value <= max(start, end) + 1e-9, where


def test_a_position_outside_a_range_is_refused_with_the_joint_and_its_range():
    with pytest.raises(ValueError, match=r"near_leg\.knee is 170 degrees, outside the knee"):
        KeyPosition(name="a", says="b", move_seconds=1, near_leg=Leg(knee=170))
    far = KeyPosition.model_construct(near_leg=Leg(), far_leg=Leg(hip=-40), near_arm=Arm())
    assert range_problem(far) == (
        "far_leg.hip is -40 degrees, outside the hip flexion range -30 to 130 degrees"
    )


# --- every picture in the content -------------------------------------------------------


@pytest.mark.parametrize("name", PICTURES)
def test_every_key_position_and_frame_is_inside_the_anatomical_ranges(name: str):
    picture, hold = PICTURES[name]
    shown, _ = frames(picture, hold_at_top=hold)
    for frame in shown:
        for where, joint_name, value in angles(frame.position):
            low, high = JOINT_RANGES[joint_name]
            assert low <= value <= high, (name, frame.at, where, value)


@given(
    st.sampled_from(sorted(PICTURES)),
    st.floats(0, 1),
    st.integers(0, 20),
    st.booleans(),
)
def test_any_moment_of_any_picture_stays_in_range_and_on_its_ground(
    name: str, t: float, index: int, mirrored: bool
):
    picture, _ = PICTURES[name]
    keys = picture.positions
    a, b = keys[index % len(keys)], keys[(index + 1) % len(keys)]
    moment = between(a, b, t)
    assert range_problem(moment) is None
    points = placed(picture, moment, mirrored=mirrored)
    resting = picture.rests_on or tuple(points)
    lowest = min(points[p].y - REACH[p] for p in resting)
    assert lowest == pytest.approx(ground_level(picture.ground))
    assert all(math.isfinite(p.x) and math.isfinite(p.y) for p in points.values())


def _check_svg(text: str, label: str) -> ET.Element:
    root = fromstring(text)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == label
    assert desc is not None
    assert desc.text
    assert "#fff" not in text.lower()  # no white background: works in both themes
    assert "<rect" not in text or 'fill="none"' in text
    return root


def _all_pictures() -> list[tuple[str, object]]:
    shown: list[tuple[str, object]] = []
    for exercise in CONTENT.exercises.values():
        for side in (Side.LEFT, Side.RIGHT, None):
            shown.append((f"{exercise.id}-{side}", exercise_picture(exercise.id, side)))
        shown.append((f"{exercise.id}-print", exercise_picture(exercise.id, None, Palette.PRINT)))
    for test in SelfTestId:
        shown.append((f"test-{test}", self_test_picture(test)))
    return shown


@pytest.mark.parametrize(("name", "picture"), _all_pictures(), ids=lambda v: str(v)[:40])
def test_every_picture_renders_well_formed_with_a_text_alternative(name: str, picture: object):
    from hipflex.services.presenters.pictures import PictureOut

    assert isinstance(picture, PictureOut)
    moving = _check_svg(picture.moving, picture.label)
    _check_svg(picture.still, picture.label)
    assert "how to do it" in picture.label
    assert picture.description.startswith("The figure shows each position in turn.")
    animations = moving.findall(f".//{SVG}animate")
    assert animations
    for animation in animations:
        times = [float(t) for t in animation.get("keyTimes", "").split(";")]
        values = animation.get("values", "").split(";")
        assert len(times) == len(values)
        assert times[0] == 0
        assert times[-1] == 1
        assert all(a < b for a, b in itertools.pairwise(times))
        assert animation.get("repeatCount") == "indefinite"


def _xs(svg: str) -> list[float]:
    root = fromstring(svg)
    xs: list[float] = []
    for line in root.iter(f"{SVG}polyline"):
        xs += [float(pair.split(",")[0]) for pair in line.get("points", "").split()]
    return xs


@pytest.mark.parametrize("exercise", [e for e in ExerciseId if CONTENT.exercise(e).dosage.per_side])
def test_the_left_side_is_the_right_side_mirrored(exercise: ExerciseId):
    right = exercise_picture(exercise, Side.RIGHT).moving
    left = exercise_picture(exercise, Side.LEFT).moving
    assert _xs(left) == pytest.approx([-x for x in _xs(right)], abs=0.11)
    assert (
        f"Your {Side.LEFT.value} leg is drawn in colour"
        in exercise_picture(exercise, Side.LEFT).description
    )
    assert 'class="hf-work"' in left


@pytest.mark.parametrize("palette", list(Palette))
@pytest.mark.parametrize("exercise", list(ExerciseId))
def test_the_still_alone_is_the_picture_still(exercise: ExerciseId, palette: Palette):
    """The report draws only the still: the same drawing and words as the picture's."""
    picture = exercise_picture(exercise, None, palette)
    assert exercise_still(exercise, palette) == (picture.still, picture.description)


def test_an_exercise_for_both_sides_at_once_colours_no_leg():
    bridge = exercise_picture(ExerciseId.GLUTE_BRIDGE, Side.LEFT)
    assert bridge == exercise_picture(ExerciseId.GLUTE_BRIDGE)
    assert 'class="hf-work"' not in bridge.moving
    assert "drawn in colour" not in bridge.description


def test_the_animation_runs_at_the_exercise_tempo_holding_at_the_top_as_dosed():
    bridge = CONTENT.exercise(ExerciseId.GLUTE_BRIDGE)
    hold = bridge.dosage.hold_at_top_seconds
    assert hold is not None
    _, total = frames(bridge.picture, hold_at_top=hold)
    moves = sum(p.move_seconds for p in bridge.picture.positions)
    holds = sum(p.hold_seconds for p in bridge.picture.positions if not p.at_top)
    assert total == pytest.approx(moves + holds + hold)
    assert f'dur="{total:g}s"' in exercise_picture(ExerciseId.GLUTE_BRIDGE).moving


def test_still_shows_each_key_position_named():
    picture, _ = PICTURES["couch_stretch"]
    text = still(picture, Words("Couch stretch", "d"))
    for index, position in enumerate(picture.positions, start=1):
        assert f">{index}. {position.name}</text>" in text
    width, height = view_size(text)
    assert width > height > 0


def test_the_print_palette_uses_fixed_colours():
    picture, _ = PICTURES["plank"]
    text = animated(picture, Words("Plank", "d"), palette=Palette.PRINT)
    assert "currentColor" not in text
    assert "class=" not in text.split("<desc>")[1]


@pytest.mark.parametrize("mirrored", [False, True])
def test_the_couch_stretch_has_a_wall_that_no_frame_passes_through(mirrored: bool):
    picture, _ = PICTURES["couch_stretch"]
    shown, _ = frames(picture)
    poses = [placed(picture, f.position, mirrored=mirrored) for f in shown]
    wall = wall_x(picture, poses, mirrored=mirrored)
    assert wall is not None
    sign = -1 if mirrored else 1
    for pose in poses:
        for name, point in pose.items():
            assert sign * (point.x - wall) >= REACH[name] - 1e-9, name
    assert wall_x(PICTURES["plank"][0], poses, mirrored=mirrored) is None
