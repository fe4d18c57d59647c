"""The drawn figure: a 2-D articulated person seen from the side, posed by joint angles.

Every exercise and self-test describes its key positions as joint angles in the content
files (`Picture`); this module checks them against the body's ranges, works out where each
joint is (forward kinematics), stands the figure on its floor or table, and interpolates
between positions. Drawing it is `domain/figure_svg.py`'s job.

Segment lengths are fractions of body height H from Winter's anthropometric table
(D. A. Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed., Wiley 2009,
table 4.1 and figure 4.1, after Drillis and Contini 1966): thigh 0.245 H, leg (shank)
0.246 H, foot 0.152 H, greater trochanter to shoulder 0.288 H (0.530 H to 0.818 H),
shoulder to chin 0.052 H, chin to the top of the head 0.130 H, upper arm 0.186 H, forearm
0.146 H, hand 0.108 H.

Joint ranges (`JOINT_RANGES`) are the usual adult ranges of motion of the American Academy
of Orthopaedic Surgeons (Greene and Heckman, *The Clinical Measurement of Joint Motion*,
AAOS 1994): hip flexion 120 and extension 30, knee flexion 135, ankle dorsiflexion 20 and
plantar flexion 50, shoulder flexion 180 and extension 60, elbow flexion 150, neck flexion
and extension 45, hip external rotation 45. Passive stretches reach a little further at
the knee (heel towards the buttock) and the hip (a knee hugged to the chest), so those two
limits are widened to 150 and 130 degrees.

Conventions, all in degrees: x points the way the figure faces, y points up. `trunk` is
the torso's lean from upright, forward positive (lying on the back is -90, face down on
hands and knees +90). `pelvis` is the pelvic tilt against the torso: anterior positive,
posterior (tailbone tucked) negative. Hip and shoulder flexion move the limb forward and
up; knee flexion folds the shank back; elbow flexion folds the forearm forward; ankle
dorsiflexion lifts the toes. A leg's `opening` turns its knee out of the picture (the
clamshell), about the line from hip to ankle.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

# --- body proportions (fractions of height; Winter 2009, table 4.1) ---------------------

THIGH = 0.245
SHANK = 0.246
FOOT = 0.152 * 0.75  # ankle to toes: the heel's quarter of the foot is left out
TRUNK = 0.288
PELVIS = 0.07  # hip joint to the lumbosacral joint: the part of the trunk that tilts
NECK = 0.052
HEAD_RADIUS = 0.130 / 2
UPPER_ARM = 0.186
FOREARM = 0.146 + 0.108 / 2  # to the middle of the hand

#: Line widths and the head, as fractions of height: what rests on the floor.
LIMB_WIDTH = 0.036
TRUNK_WIDTH = 0.055
#: A table's top above the floor (a 72 cm table for a 175 cm person).
TABLE_TOP = 0.41


class Joint(StrEnum):
    TRUNK = "trunk"
    PELVIS = "pelvis"
    NECK = "neck"
    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"
    OPENING = "opening"
    SHOULDER = "shoulder"
    ELBOW = "elbow"


#: The range each angle may take, in degrees (see the module's docstring for sources).
#: The trunk is the body's orientation, not a joint: any direction.
JOINT_RANGES: Mapping[Joint, tuple[float, float]] = {
    Joint.TRUNK: (-180.0, 180.0),
    Joint.PELVIS: (-15.0, 20.0),
    Joint.NECK: (-45.0, 45.0),
    Joint.HIP: (-30.0, 130.0),
    Joint.KNEE: (-5.0, 150.0),
    Joint.ANKLE: (-50.0, 20.0),
    Joint.OPENING: (0.0, 45.0),
    Joint.SHOULDER: (-60.0, 180.0),
    Joint.ELBOW: (0.0, 150.0),
}

JOINT_WORDS: Mapping[Joint, str] = {
    Joint.TRUNK: "trunk lean",
    Joint.PELVIS: "pelvic tilt",
    Joint.NECK: "neck bend",
    Joint.HIP: "hip flexion",
    Joint.KNEE: "knee flexion",
    Joint.ANKLE: "ankle dorsiflexion",
    Joint.OPENING: "hip opening",
    Joint.SHOULDER: "shoulder flexion",
    Joint.ELBOW: "elbow flexion",
}


class Ground(StrEnum):
    FLOOR = "floor"  # the figure rests on the floor, drawn as a line
    TABLE = "table"  # it rests on a table top (the Thomas test)
    NONE = "none"  # seen from above: no floor line


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Leg(_Frozen):
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    opening: float = 0.0


class Arm(_Frozen):
    shoulder: float = 0.0
    elbow: float = 0.0


class Limb(StrEnum):
    NEAR_LEG = "near_leg"
    FAR_LEG = "far_leg"
    NEAR_ARM = "near_arm"
    FAR_ARM = "far_arm"


class KeyPosition(_Frozen):
    """One position of an exercise, in joint angles. The near limbs are the working side's
    (the side the picture is seen from); far limbs default to the near ones."""

    name: str = Field(min_length=1, description="a short label, e.g. 'Start'")
    says: str = Field(min_length=1, description="one plain sentence to the user")
    move_seconds: float = Field(ge=0.5, le=10, description="time to move into it")
    hold_seconds: float = Field(default=0.0, ge=0, le=10)
    at_top: bool = Field(default=False, description="held for the dosage's hold at the top")
    trunk: float = 0.0
    pelvis: float = 0.0
    neck: float = 0.0
    near_leg: Leg = Leg()
    far_leg: Leg | None = None
    near_arm: Arm = Arm()
    far_arm: Arm | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Self:
        problem = range_problem(self)
        if problem is not None:
            raise ValueError(problem)
        return self

    @property
    def legs(self) -> tuple[Leg, Leg]:
        return self.near_leg, self.far_leg or self.near_leg

    @property
    def arms(self) -> tuple[Arm, Arm]:
        return self.near_arm, self.far_arm or self.near_arm


def angles(position: KeyPosition) -> Iterator[tuple[str, Joint, float]]:
    """Every angle of a position: (where, joint, degrees)."""
    yield "trunk", Joint.TRUNK, position.trunk
    yield "pelvis", Joint.PELVIS, position.pelvis
    yield "neck", Joint.NECK, position.neck
    for where, leg in zip((Limb.NEAR_LEG, Limb.FAR_LEG), position.legs, strict=True):
        for joint in (Joint.HIP, Joint.KNEE, Joint.ANKLE, Joint.OPENING):
            yield f"{where}.{joint}", joint, getattr(leg, joint.value)
    for where, arm in zip((Limb.NEAR_ARM, Limb.FAR_ARM), position.arms, strict=True):
        for joint in (Joint.SHOULDER, Joint.ELBOW):
            yield f"{where}.{joint}", joint, getattr(arm, joint.value)


def range_problem(position: KeyPosition) -> str | None:
    """Why a position is outside the body's ranges, or None."""
    for where, joint, value in angles(position):
        low, high = JOINT_RANGES[joint]
        if not (math.isfinite(value) and low <= value <= high):
            return (
                f"{where} is {value:g} degrees, outside the {JOINT_WORDS[joint]} range "
                f"{low:g} to {high:g} degrees"
            )
    return None


class Picture(_Frozen):
    """How to draw an exercise or a test: its key positions, in order (the animation
    loops from the last back to the first) and what the figure rests on."""

    ground: Ground = Ground.FLOOR
    anchor: str = Field(default="hip", description="the point that stays put sideways")
    rests_on: tuple[str, ...] = Field(
        default=(), description="the points that may touch the ground; empty: any"
    )
    wall_behind: str | None = Field(
        default=None, description="a wall drawn just behind this point (the couch stretch)"
    )
    positions: tuple[KeyPosition, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _points_known(self) -> Self:
        for name in (self.anchor, *self.rests_on, *filter(None, [self.wall_behind])):
            if name not in POINT_NAMES:
                known = ", ".join(POINT_NAMES)
                msg = f"unknown point {name!r} (known: {known})"
                raise ValueError(msg)
        if self.ground is Ground.TABLE and self.anchor != "hip":
            msg = "a figure on a table is anchored at the hip (the table ends by its knee)"
            raise ValueError(msg)
        return self


# --- forward kinematics ------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float

    def __add__(self, other: Point) -> Point:
        return Point(self.x + other.x, self.y + other.y)

    def __sub__(self, other: Point) -> Point:
        return Point(self.x - other.x, self.y - other.y)

    def scaled(self, factor: float) -> Point:
        return Point(self.x * factor, self.y * factor)


def _down(angle: float, length: float) -> Point:
    """A segment at `angle` degrees from pointing straight down, forward positive."""
    a = math.radians(angle)
    return Point(math.sin(a) * length, -math.cos(a) * length)


def _up(angle: float, length: float) -> Point:
    """A segment at `angle` degrees from pointing straight up, forward positive."""
    a = math.radians(angle)
    return Point(math.sin(a) * length, math.cos(a) * length)


POINT_NAMES = (
    "hip",
    "lumbar",
    "shoulder",
    "head",
    "near_knee",
    "near_ankle",
    "near_toe",
    "far_knee",
    "far_ankle",
    "far_toe",
    "near_elbow",
    "near_hand",
    "far_elbow",
    "far_hand",
)

#: How far each point's outline reaches beyond it (half a line's width, the head's radius).
REACH: Mapping[str, float] = {
    name: HEAD_RADIUS
    if name == "head"
    else TRUNK_WIDTH / 2
    if name in ("hip", "lumbar", "shoulder")
    else LIMB_WIDTH / 2
    for name in POINT_NAMES
}


def _leg(hip: Point, pelvis_up: float, leg: Leg) -> tuple[Point, Point, Point]:
    thigh = -pelvis_up + leg.hip
    shank = thigh - leg.knee
    knee = hip + _down(thigh, THIGH)
    ankle = knee + _down(shank, SHANK)
    toe = ankle + _down(shank + 90 + leg.ankle, FOOT)
    if leg.opening:
        # The knee turns about the hip-ankle line, out of the picture: its projection moves
        # towards that line by the cosine of the turn.
        axis = ankle - hip
        length2 = axis.x**2 + axis.y**2 or 1.0
        t = ((knee.x - hip.x) * axis.x + (knee.y - hip.y) * axis.y) / length2
        foot_of = hip + axis.scaled(t)
        knee = foot_of + (knee - foot_of).scaled(math.cos(math.radians(leg.opening)))
    return knee, ankle, toe


def _arm(shoulder: Point, trunk: float, arm: Arm) -> tuple[Point, Point]:
    upper = -trunk + arm.shoulder
    elbow = shoulder + _down(upper, UPPER_ARM)
    hand = elbow + _down(upper + arm.elbow, FOREARM)
    return elbow, hand


def pose_points(position: KeyPosition) -> dict[str, Point]:
    """Where every point is, in body heights, with the hip joint at the origin."""
    hip = Point(0.0, 0.0)
    pelvis_up = position.trunk + position.pelvis
    lumbar = hip + _up(pelvis_up, PELVIS)
    shoulder = lumbar + _up(position.trunk, TRUNK - PELVIS)
    head = shoulder + _up(position.trunk + position.neck, NECK + HEAD_RADIUS)
    near_leg, far_leg = position.legs
    near_arm, far_arm = position.arms
    nk, na, nt = _leg(hip, pelvis_up, near_leg)
    fk, fa, ft = _leg(hip, pelvis_up, far_leg)
    ne, nh = _arm(shoulder, position.trunk, near_arm)
    fe, fh = _arm(shoulder, position.trunk, far_arm)
    return {
        "hip": hip,
        "lumbar": lumbar,
        "shoulder": shoulder,
        "head": head,
        "near_knee": nk,
        "near_ankle": na,
        "near_toe": nt,
        "far_knee": fk,
        "far_ankle": fa,
        "far_toe": ft,
        "near_elbow": ne,
        "near_hand": nh,
        "far_elbow": fe,
        "far_hand": fh,
    }


def ground_level(ground: Ground) -> float:
    return TABLE_TOP if ground is Ground.TABLE else 0.0


def placed(picture: Picture, position: KeyPosition, *, mirrored: bool = False) -> dict[str, Point]:
    """A position's points stood on its ground: the lowest resting point touches it and the
    anchor sits at x = 0. Mirrored (the left side), every x changes sign."""
    points = pose_points(position)
    resting = picture.rests_on or POINT_NAMES
    low = min(points[name].y - REACH[name] for name in resting)
    shift = Point(-points[picture.anchor].x, ground_level(picture.ground) - low)
    sign = -1.0 if mirrored else 1.0
    return {name: Point(sign * (p.x + shift.x), p.y + shift.y) for name, p in points.items()}


#: How tall a wall is drawn, in body heights.
WALL_HEIGHT = 0.6


def wall_x(
    picture: Picture, poses: Sequence[Mapping[str, Point]], *, mirrored: bool
) -> float | None:
    """Where the wall stands, if the picture has one: just behind its point in every pose
    given (placed poses; behind is -x, or +x when mirrored)."""
    if picture.wall_behind is None or not poses:
        return None
    name = picture.wall_behind
    xs = [pose[name].x for pose in poses]
    return max(xs) + REACH[name] if mirrored else min(xs) - REACH[name]


def _mix(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix_leg(a: Leg, b: Leg, t: float) -> Leg:
    return Leg(
        hip=_mix(a.hip, b.hip, t),
        knee=_mix(a.knee, b.knee, t),
        ankle=_mix(a.ankle, b.ankle, t),
        opening=_mix(a.opening, b.opening, t),
    )


def _mix_arm(a: Arm, b: Arm, t: float) -> Arm:
    return Arm(shoulder=_mix(a.shoulder, b.shoulder, t), elbow=_mix(a.elbow, b.elbow, t))


def between(a: KeyPosition, b: KeyPosition, t: float) -> KeyPosition:
    """The position a fraction t of the way from a to b, angle by angle (eased in and out):
    every angle stays between its two ends, so inside the body's ranges."""
    s = t * t * (3 - 2 * t)
    (an, af), (bn, bf) = a.legs, b.legs
    (aan, aaf), (ban, baf) = a.arms, b.arms
    return KeyPosition(
        name=b.name,
        says=b.says,
        move_seconds=b.move_seconds,
        trunk=_mix(a.trunk, b.trunk, s),
        pelvis=_mix(a.pelvis, b.pelvis, s),
        neck=_mix(a.neck, b.neck, s),
        near_leg=_mix_leg(an, bn, s),
        far_leg=_mix_leg(af, bf, s),
        near_arm=_mix_arm(aan, ban, s),
        far_arm=_mix_arm(aaf, baf, s),
    )


@dataclass(frozen=True)
class Frame:
    """One drawn moment of the animation: its time (seconds from the start) and pose."""

    at: float
    position: KeyPosition


def frames(
    picture: Picture, *, steps: int = 6, hold_at_top: float | None = None
) -> tuple[tuple[Frame, ...], float]:
    """The animation's frames over one loop, and the loop's length in seconds: from each
    key position to the next (the last back to the first) in `steps` eased steps, then a
    hold. `hold_at_top` (the dosage's) is the hold of a position marked `at_top`."""
    out: list[Frame] = []
    clock = 0.0
    keys: Sequence[KeyPosition] = picture.positions
    for index, key in enumerate(keys):
        previous = keys[index - 1]
        for step in range(1, steps + 1):
            clock_at = clock + key.move_seconds * step / steps
            out.append(Frame(clock_at, between(previous, key, step / steps)))
        clock += key.move_seconds
        hold = hold_at_top if key.at_top and hold_at_top else key.hold_seconds
        if hold:
            clock += hold
            out.append(Frame(clock, key))
    # The loop starts where it ends: at the last key position's end.
    first = Frame(0.0, keys[-1])
    return (first, *out), clock
