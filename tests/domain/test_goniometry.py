"""Photo angles (PROTOCOL.md section 4) on synthetic point sets built from chosen angles
with trigonometry: the angles come back, whatever the rotation (with table points), the
scale or the mirroring of the whole set; missing points give null, never a guess."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.assessment import (
    ExtensionResult,
    ThomasResult,
    Thresholds,
    assess_extension,
    assess_thomas,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import (
    NO_FACING_WARNING,
    NO_TABLE_WARNING,
    NO_TRUNK_WARNING,
    POINT_NAMES,
    TRUNK_LEAN_LIMIT_DEG,
    Angles,
    Facing,
    Landmarks,
    Point,
    check_lean_limit,
    extension_answer,
    measure,
    measured_sides,
    name_points,
    thomas_answer,
    trunk_lean_of,
)
from hipflex.domain.ids import Side

TOLERANCE_DEG = 0.1
Vector = tuple[float, float]


def _rotate(v: Vector, degrees: float) -> Vector:
    """Counter-clockwise in the usual y-up frame."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def _add(a: Vector, b: Vector, times: float = 1.0) -> Vector:
    return (a[0] + times * b[0], a[1] + times * b[1])


@dataclass(frozen=True)
class Pose:
    """Chosen angles for one side, facing right, in the y-up frame."""

    trunk_lean_deg: float  # forward (towards the face) positive
    hip_extension_deg: float
    knee_flexion_deg: float
    thigh_deg: float = 0.0  # filled in by build(): the thigh against the horizontal


def build(pose: Pose, *, side: Side = Side.LEFT, with_nose: bool = False) -> dict[str, Point]:
    """Points in image pixels (y down) for a person facing right with these angles, a
    table line under them. Thigh 100, shin 90, trunk 150 units; the hip at (500, 500)."""
    hip: Vector = (0.0, 0.0)
    up = _rotate((0.0, 1.0), -pose.trunk_lean_deg)  # leaning forward tips it to +x
    shoulder = _add(hip, up, 150)
    down = (-up[0], -up[1])
    behind = _rotate(down, -90)  # across the trunk line, towards -x (behind)
    e = math.radians(pose.hip_extension_deg)
    thigh = (
        math.cos(e) * down[0] + math.sin(e) * behind[0],
        math.cos(e) * down[1] + math.sin(e) * behind[1],
    )
    knee = _add(hip, thigh, 100)
    shin = _rotate(thigh, pose.knee_flexion_deg)  # the shin folds back under the thigh
    ankle = _add(knee, shin, 90)
    toe = _add(ankle, (1.0, 0.0), 25)
    points = {
        f"shoulder_{side.value}": shoulder,
        f"hip_{side.value}": hip,
        f"knee_{side.value}": knee,
        f"ankle_{side.value}": ankle,
        f"toe_{side.value}": toe,
        "table_a": (-300.0, -260.0),
        "table_b": (300.0, -260.0),
    }
    if with_nose:
        points["nose"] = _add(shoulder, (1.0, 0.0), 200)  # ahead of the hips at any lean
    return {name: (500 + x, 500 - y) for name, (x, y) in points.items()}


def thigh_angle_of(pose: Pose) -> float:
    """The thigh against the horizontal, by trigonometry on the chosen angles: the thigh
    hangs at the trunk's lean, turned back by the extension."""
    # the thigh's direction from straight down, positive towards behind: the trunk line
    # continued down is tipped back by a forward lean, the extension turns it further
    from_down = pose.hip_extension_deg + pose.trunk_lean_deg
    return math.degrees(math.asin(-math.cos(math.radians(from_down))))


def transform(
    points: dict[str, Point], *, degrees: float = 0.0, scale: float = 1.0, mirror: bool = False
) -> dict[str, Point]:
    """The whole set rotated about (500, 500), scaled, and mirrored left to right."""
    out = {}
    for name, (x, y) in points.items():
        dx, dy = _rotate((x - 500, -(y - 500)), degrees)
        dx, dy = dx * scale, dy * scale
        if mirror:
            dx = -dx
        out[name] = (2000 + dx, 2000 - dy)
    return out


def _near(value: float | None, expected: float) -> bool:
    return value is not None and abs(value - expected) <= TOLERANCE_DEG


def _same(a: Angles, b: Angles, side: Side) -> None:
    for name in ("knee_flexion_deg", "thigh_angle_deg", "hip_extension_deg", "trunk_lean_deg"):
        x, y = getattr(a, name)[side], getattr(b, name)[side]
        assert x is not None
        assert y is not None
        assert abs(x - y) <= TOLERANCE_DEG, name


poses = st.builds(
    Pose,
    trunk_lean_deg=st.floats(-40, 40),
    hip_extension_deg=st.floats(-120, 60),
    knee_flexion_deg=st.floats(0, 160),
)
rotations = st.floats(-40, 40)
scales = st.floats(0.1, 8)


@given(pose=poses)
def test_chosen_angles_come_back(pose: Pose):
    angles = measure(Landmarks(build(pose), Facing.RIGHT))
    assert _near(angles.knee_flexion_deg[Side.LEFT], pose.knee_flexion_deg)
    assert _near(angles.hip_extension_deg[Side.LEFT], pose.hip_extension_deg)
    assert _near(angles.trunk_lean_deg[Side.LEFT], abs(pose.trunk_lean_deg))
    assert _near(angles.thigh_angle_deg[Side.LEFT], thigh_angle_of(pose))
    assert angles.facing is Facing.RIGHT
    assert angles.warnings == ()


@given(pose=poses, degrees=rotations, scale=scales)
def test_rotation_and_scale_with_the_table_change_nothing(pose: Pose, degrees: float, scale: float):
    """A tilted camera, nearer or further: the table line is the reference."""
    points = build(pose)
    plain = measure(Landmarks(points, Facing.RIGHT))
    moved = measure(Landmarks(transform(points, degrees=degrees, scale=scale), Facing.RIGHT))
    _same(plain, moved, Side.LEFT)
    assert moved.warnings == ()


@given(pose=poses, scale=scales)
def test_a_mirrored_set_gives_the_same_angles_facing_the_other_way(pose: Pose, scale: float):
    points = build(pose, with_nose=True)
    plain = measure(Landmarks(points))  # facing from the nose
    mirrored = measure(Landmarks(transform(points, scale=scale, mirror=True)))
    assert plain.facing is Facing.RIGHT
    assert mirrored.facing is Facing.LEFT
    _same(plain, mirrored, Side.LEFT)
    # given explicitly, the facing flips with the picture too
    flipped = measure(Landmarks(transform(points, mirror=True), Facing.LEFT))
    _same(plain, flipped, Side.LEFT)


@given(pose=poses)
def test_left_and_right_swapped_give_the_same_angles_on_the_other_side(pose: Pose):
    left = measure(Landmarks(build(pose, side=Side.LEFT), Facing.RIGHT))
    right = measure(Landmarks(build(pose, side=Side.RIGHT), Facing.RIGHT))
    for name in ("knee_flexion_deg", "thigh_angle_deg", "hip_extension_deg", "trunk_lean_deg"):
        assert getattr(left, name)[Side.LEFT] == getattr(right, name)[Side.RIGHT]
        assert getattr(left, name)[Side.RIGHT] is None


@given(pose=poses, degrees=st.floats(-40, 40).filter(lambda d: abs(d) > 1))
def test_without_the_table_the_photo_horizontal_is_the_reference(pose: Pose, degrees: float):
    """A tilted camera with no table line tilts the thigh angle and the trunk (hence the
    warning); the joint angles themselves do not depend on the reference."""
    points = {k: v for k, v in build(pose).items() if not k.startswith("table")}
    tilted = measure(Landmarks(transform(points, degrees=degrees), Facing.RIGHT))
    assert tilted.warnings == (NO_TABLE_WARNING,)
    assert _near(tilted.knee_flexion_deg[Side.LEFT], pose.knee_flexion_deg)
    assert _near(tilted.hip_extension_deg[Side.LEFT], pose.hip_extension_deg)
    expected = measure(Landmarks(points, Facing.RIGHT)).thigh_angle_deg[Side.LEFT]
    assert expected is not None
    # the thigh turned by the tilt (while it stays on the same side of the vertical)
    thigh = tilted.thigh_angle_deg[Side.LEFT]
    assert thigh is not None
    if abs(expected) + abs(degrees) < 85:
        assert abs(abs(thigh - expected) - abs(degrees)) <= TOLERANCE_DEG


@pytest.mark.parametrize(
    ("thigh", "knee"),
    [(0.0, 0.0), (10.0, 90.0), (-15.0, 60.0), (30.0, 120.0), (-89.0, 150.0), (89.0, 5.0)],
)
@pytest.mark.parametrize("mirror", [False, True])
def test_thomas_point_sets_from_the_thigh_angle(thigh: float, knee: float, mirror: bool):
    """Lying on the table: the hanging thigh at a chosen angle to the table edge, the knee
    bent by a chosen angle, with the leg off either end of the table."""
    hip = (0.0, 0.0)
    direction = (math.cos(math.radians(thigh)), math.sin(math.radians(thigh)))
    knee_point = _add(hip, direction, 120)
    ankle = _add(knee_point, _rotate(direction, -knee), 100)
    shoulder = (-300.0, 10.0)
    points = {"hip_right": hip, "knee_right": knee_point, "ankle_right": ankle}
    points |= {"shoulder_right": shoulder, "table_a": (-400.0, 0.0), "table_b": (10.0, 0.0)}
    image = {name: (600 + x, 600 - y) for name, (x, y) in points.items()}
    image = transform(image, degrees=12, scale=0.7, mirror=mirror)
    angles = measure(Landmarks(image))
    assert _near(angles.thigh_angle_deg[Side.RIGHT], thigh)
    assert _near(angles.knee_flexion_deg[Side.RIGHT], knee)


# --- nothing is guessed ----------------------------------------------------------------


POSE = Pose(trunk_lean_deg=5.0, hip_extension_deg=15.0, knee_flexion_deg=20.0)


@pytest.mark.parametrize(
    ("dropped", "null"),
    [
        ("ankle_left", {"knee_flexion_deg"}),
        ("knee_left", {"knee_flexion_deg", "thigh_angle_deg", "hip_extension_deg"}),
        ("shoulder_left", {"hip_extension_deg", "trunk_lean_deg"}),
        (
            "hip_left",
            {"knee_flexion_deg", "thigh_angle_deg", "hip_extension_deg", "trunk_lean_deg"},
        ),
        ("toe_left", set()),
    ],
)
def test_a_missing_point_makes_its_angles_null(dropped: str, null: set[str]):
    points = build(POSE)
    del points[dropped]
    angles = measure(Landmarks(points, Facing.RIGHT))
    for name in ("knee_flexion_deg", "thigh_angle_deg", "hip_extension_deg", "trunk_lean_deg"):
        assert (getattr(angles, name)[Side.LEFT] is None) == (name in null), name
        assert getattr(angles, name)[Side.RIGHT] is None


def test_no_points_no_angles_and_no_leg_warnings():
    angles = measure(Landmarks({}))
    assert all(v is None for v in angles.knee_flexion_deg.values())
    assert angles.facing is None
    assert angles.warnings == (NO_TABLE_WARNING,)
    assert measured_sides(angles, None) == ()
    assert trunk_lean_of(angles, ()) is None


def test_hip_extension_needs_the_facing():
    points = build(POSE)
    del points["toe_left"]
    angles = measure(Landmarks(points))
    assert angles.facing is None
    assert angles.hip_extension_deg[Side.LEFT] is None
    assert _near(angles.knee_flexion_deg[Side.LEFT], POSE.knee_flexion_deg)
    assert angles.warnings == (NO_FACING_WARNING,)


def test_facing_from_the_toes_when_there_is_no_nose():
    points = build(POSE)  # the toe points ahead of the ankle: facing right
    angles = measure(Landmarks(points))
    assert angles.facing is Facing.RIGHT
    assert measure(Landmarks(transform(points, mirror=True))).facing is Facing.LEFT


def test_the_nose_outvotes_the_toes():
    points = build(POSE, with_nose=True)
    points["toe_left"] = (points["ankle_left"][0] - 25, points["ankle_left"][1])
    assert measure(Landmarks(points)).facing is Facing.RIGHT


def test_a_given_facing_wins():
    points = build(POSE, with_nose=True)
    angles = measure(Landmarks(points, Facing.LEFT))
    assert angles.facing is Facing.LEFT
    # seen as facing left, the thigh that went back went forward
    assert _near(angles.hip_extension_deg[Side.LEFT], -POSE.hip_extension_deg)


def test_no_trunk_warning_without_shoulders():
    points = build(POSE)
    del points["shoulder_left"]
    angles = measure(Landmarks(points, Facing.RIGHT))
    assert NO_TRUNK_WARNING in angles.warnings
    assert extension_answer(angles, Side.LEFT) is None


def test_table_points_must_make_a_line_that_is_roughly_level():
    points = build(POSE)
    points["table_b"] = points["table_a"]
    with pytest.raises(BadInput, match="same point"):
        measure(Landmarks(points, Facing.RIGHT))
    points["table_b"] = (points["table_a"][0] + 10, points["table_a"][1] - 50)
    with pytest.raises(BadInput, match="steeper than 45 degrees"):
        measure(Landmarks(points, Facing.RIGHT))


def test_the_table_line_may_be_marked_in_either_order():
    points = build(POSE)
    swapped = points | {"table_a": points["table_b"], "table_b": points["table_a"]}
    _same(
        measure(Landmarks(points, Facing.RIGHT)),
        measure(Landmarks(swapped, Facing.RIGHT)),
        Side.LEFT,
    )


# --- the points of a points file ----------------------------------------------------------


def _named(given: dict[str, object], side: Side | None = None) -> dict[str, Point]:
    return name_points(given, side, width=800, height=600)  # type: ignore[arg-type]


def test_name_points_takes_every_name_and_unsided_ones_with_a_side():
    every = dict.fromkeys(POINT_NAMES, (1.0, 2.0))
    assert _named(every) == every
    assert _named({" Knee ": [3, 4], "hip": (5.5, 6)}, Side.RIGHT) == {
        "knee_right": (3.0, 4.0),
        "hip_right": (5.5, 6.0),
    }
    assert _named({"knee_left": (0, 0), "ankle_left": (800, 600)}) == {
        "knee_left": (0.0, 0.0),
        "ankle_left": (800.0, 600.0),
    }


@pytest.mark.parametrize(
    ("given", "side", "message"),
    [
        ({"elbow_left": (1, 1)}, None, "unknown point 'elbow_left'"),
        ({"knee": (1, 1)}, None, "needs a side"),
        ({"knee_left": (801, 1)}, None, "outside the 800x600 image"),
        ({"knee_left": (1, -0.5)}, None, "outside the 800x600 image"),
        ({"knee_left": (math.nan, 1)}, None, "not a pair of numbers"),
        ({"knee_left": (math.inf, 1)}, None, "not a pair of numbers"),
        ({"knee_left": (1, 2, 3)}, None, "not a pair of numbers"),
        ({"knee_left": ("1", 2)}, None, "not a pair of numbers"),
        ({"knee_left": (True, 2)}, None, "not a pair of numbers"),
        ({"knee_left": 5}, None, "not a pair of numbers"),
        ({"knee_left": (1, 1), "knee": (2, 2)}, Side.LEFT, "given twice"),
        ({"table_a": (1, 1)}, None, "both table points"),
    ],
)
def test_name_points_refuses(given: dict[str, object], side: Side | None, message: str):
    with pytest.raises(BadInput, match=message):
        _named(given, side)


# --- the self-tests read by the protocol's rules -------------------------------------------


def _thomas_set(thigh: float, knee: float) -> Angles:
    direction = (math.cos(math.radians(thigh)), math.sin(math.radians(thigh)))
    knee_point = _add((0.0, 0.0), direction, 120)
    ankle = _add(knee_point, _rotate(direction, -knee), 100)
    points = {"hip_left": (0.0, 0.0), "knee_left": knee_point, "ankle_left": ankle}
    points |= {"table_a": (-400.0, 0.0), "table_b": (10.0, 0.0)}
    return measure(Landmarks({n: (600 + x, 600 - y) for n, (x, y) in points.items()}))


@pytest.mark.parametrize(
    ("thigh", "knee", "result"),
    [
        (-10.0, 95.0, ThomasResult.NORMAL),
        (10.0, 95.0, ThomasResult.TIGHT_ILIOPSOAS),
        (-5.0, 70.0, ThomasResult.TIGHT_RECTUS_FEMORIS),
        (10.0, 60.0, ThomasResult.BOTH_TIGHT),
        (0.0, 80.0, ThomasResult.NORMAL),  # level is flat; 80 is not under the floor
    ],
)
def test_thomas_answer_is_read_by_the_protocols_rules(
    thigh: float, knee: float, result: ThomasResult
):
    answer = thomas_answer(_thomas_set(thigh, knee), Side.LEFT)
    assert answer is not None
    assert answer.thigh_angle_deg == pytest.approx(thigh, abs=0.05)
    assert answer.knee_flexion_deg == pytest.approx(knee, abs=0.05)
    assert assess_thomas(Side.LEFT, answer, Thresholds()).result is result
    assert thomas_answer(_thomas_set(thigh, knee), Side.RIGHT) is None


@pytest.mark.parametrize(
    ("lean", "extension", "compensated", "result"),
    [
        (0.0, 15.0, False, ExtensionResult.NORMAL),
        (8.0, 15.0, False, ExtensionResult.NORMAL),
        (-9.0, 15.0, False, ExtensionResult.NORMAL),
        (TRUNK_LEAN_LIMIT_DEG, 15.0, False, ExtensionResult.NORMAL),  # at the limit: upright
        (12.0, 15.0, True, ExtensionResult.TIGHT),  # leaning more than 10: compensated
        (-12.0, 25.0, True, ExtensionResult.TIGHT),  # leaning back counts too
        (2.0, 5.0, False, ExtensionResult.TIGHT),  # under the 10 degree floor
    ],
)
def test_extension_answer_is_read_by_the_protocols_rules(
    lean: float, extension: float, compensated: bool, result: ExtensionResult
):
    pose = Pose(trunk_lean_deg=lean, hip_extension_deg=extension, knee_flexion_deg=5.0)
    angles = measure(Landmarks(build(pose), Facing.RIGHT))
    answer = extension_answer(angles, Side.LEFT)
    assert answer is not None
    assert answer.degrees == pytest.approx(extension, abs=0.05)
    assert answer.compensated is compensated
    assert assess_extension(Side.LEFT, answer, Thresholds()).result is result


def test_the_lean_limit_is_a_setting():
    pose = Pose(trunk_lean_deg=12.0, hip_extension_deg=15.0, knee_flexion_deg=5.0)
    angles = measure(Landmarks(build(pose), Facing.RIGHT))
    answer = extension_answer(angles, Side.LEFT, lean_limit_deg=15.0)
    assert answer is not None
    assert answer.compensated is False
    assert check_lean_limit(15.0) == 15.0
    for bad in (0.0, -1.0, 46.0, math.nan):
        with pytest.raises(BadInput, match="trunk lean limit"):
            check_lean_limit(bad)


def test_one_trunk_seen_from_the_other_side():
    """A side without its shoulder reads the trunk from the other side."""
    pose = Pose(trunk_lean_deg=14.0, hip_extension_deg=15.0, knee_flexion_deg=5.0)
    points = build(pose) | {
        name.replace("left", "right"): point
        for name, point in build(pose).items()
        if name.endswith("left") and not name.startswith("shoulder")
    }
    angles = measure(Landmarks(points, Facing.RIGHT))
    assert angles.trunk_lean_deg[Side.RIGHT] is None
    assert _near(angles.trunk_lean(Side.RIGHT), 14.0)
    answer = extension_answer(angles, Side.RIGHT)
    assert answer is None  # the right hip extension itself needs the right shoulder
    assert _near(trunk_lean_of(angles, (Side.RIGHT,)), 14.0)


@pytest.mark.parametrize(
    ("side", "near", "expected"),
    [
        (Side.RIGHT, Side.LEFT, (Side.RIGHT,)),
        (None, Side.LEFT, (Side.LEFT,)),
        (None, None, (Side.LEFT,)),
    ],
)
def test_measured_sides(side: Side | None, near: Side | None, expected: tuple[Side, ...]):
    angles = measure(Landmarks(build(POSE), Facing.RIGHT, near))
    assert measured_sides(angles, side) == expected


def test_the_trunk_lean_limit_is_the_protocols_and_the_settings_default():
    """PROTOCOL.md section 4: above 10 degrees from vertical the extension test counts as
    compensated (a setting); the photo's error is about 1 degree (Peeler 2013)."""
    from hipflex.config import Settings
    from hipflex.domain.goniometry import PHOTO_SEM_DEG

    assert TRUNK_LEAN_LIMIT_DEG == 10
    assert PHOTO_SEM_DEG == 1
    defaults = Settings()
    assert (defaults.trunk_lean_limit_deg, defaults.photo_sem_deg) == (10, 1)
    # the settings take their other defaults from the domain too (PROTOCOL.md 2.1, 2.2)
    cut_offs = (
        defaults.thomas_knee_floor_deg,
        defaults.thigh_tolerance_deg,
        defaults.hip_extension_floor_deg,
    )
    assert cut_offs == (80, 0, 10)
