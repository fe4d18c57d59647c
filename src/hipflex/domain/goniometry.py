"""Landmarks -> joint angles -> the self-tests' answers (PROTOCOL.md section 4, photo
angles). Pure plane geometry on named points in pixels (origin top left, y down).

Conventions (the same as the answers typed in `hipflex assess`):
- knee flexion: 0 with the leg straight, 90 with the shin at right angles to the thigh;
- thigh angle: the thigh (hip to knee) against the horizontal reference, positive when
  the knee is above the hip's level (the Thomas test's "rises");
- hip extension: the thigh against the trunk line (shoulder to hip, continued downward),
  positive when the knee is behind that line (away from where the person faces);
- trunk lean: the trunk (hip to shoulder) against the vertical reference, in degrees.

The horizontal reference is the line through the two `table` points (the table edge or the
floor) when given, else the image's horizontal, with a warning. A point not given makes
every angle that needs it null: never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from hipflex.domain.assessment import ExtensionInput, ThomasInput
from hipflex.domain.errors import BadInput
from hipflex.domain.ids import POINT_NAMES as POINT_NAMES  # noqa: PLC0414 (re-exported)
from hipflex.domain.ids import SIDED_POINTS as SIDED_POINTS  # noqa: PLC0414 (re-exported)
from hipflex.domain.ids import Side

Point = tuple[float, float]
# The point names (SIDED_POINTS, POINT_NAMES) live in domain/ids.py, where the command
# line's help reads them without loading this module; imported from here too.

# PROTOCOL.md section 4: a trunk leaning more than this from vertical means the extension
# test was compensated (a setting: HIPFLEX_TRUNK_LEAN_LIMIT_DEG).
TRUNK_LEAN_LIMIT_DEG = 10.0
TRUNK_LEAN_LIMIT_MAX_DEG = 45.0
# PROTOCOL.md section 4: a photo-measured angle carries about 1 degree of standard error
# (Peeler 2013), a setting (HIPFLEX_PHOTO_SEM_DEG).
PHOTO_SEM_DEG = 1.0

NO_TABLE_WARNING = (
    "no table edge or floor line was marked: the photo's own horizontal was used, so hold "
    "the camera level"
)
NO_FACING_WARNING = "which way the person faces is unknown: hip extension needs it"
NO_TRUNK_WARNING = (
    "no shoulder and hip on the measured side: the trunk, and so the pelvis, cannot be checked"
)


class Facing(StrEnum):
    """Which way the person faces in the image."""

    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Landmarks:
    """Named points in pixels, and (when known) which way the person faces."""

    points: Mapping[str, Point]
    facing: Facing | None = None
    near_side: Side | None = None  # the side nearer the camera (from a pose model)


def name_points(
    given: Mapping[str, Point], side: Side | None = None, *, width: float, height: float
) -> dict[str, Point]:
    """The points of a points file, each checked: a known name (`knee` alone is the side
    asked for), finite coordinates inside the image."""
    named: dict[str, Point] = {}
    for raw, point in given.items():
        name = raw.strip().lower()
        if name in SIDED_POINTS:
            if side is None:
                msg = (
                    f"the point '{raw}' needs a side: give --side left or right, or name "
                    f"it {name}_left or {name}_right"
                )
                raise BadInput(msg)
            name = f"{name}_{side.value}"
        if name not in POINT_NAMES:
            msg = f"unknown point '{raw}' (choose from: {', '.join(POINT_NAMES)})"
            raise BadInput(msg)
        if name in named:
            msg = f"the point {name} is given twice"
            raise BadInput(msg)
        x, y = as_point(raw, point)
        if not (0 <= x <= width and 0 <= y <= height):
            msg = f"the point '{raw}' ({x:g}, {y:g}) is outside the {width:g}x{height:g} image"
            raise BadInput(msg)
        named[name] = (x, y)
    if ("table_a" in named) != ("table_b" in named):
        msg = (
            "mark both table points (table_a and table_b, along the table edge or floor) or neither"
        )
        raise BadInput(msg)
    return named


def as_point(raw: str, point: object) -> Point:
    """A pair of finite numbers, else bad input (a points file may hold anything)."""
    pair = tuple(point) if isinstance(point, (tuple, list)) else ()
    if len(pair) != 2 or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in pair
    ):
        msg = f"the point '{raw}' is not a pair of numbers [x, y]"
        raise BadInput(msg)
    return (float(pair[0]), float(pair[1]))


# --- vectors in the usual mathematical frame (y up) --------------------------------------


def _up(point: Point) -> tuple[float, float]:
    return (point[0], -point[1])


def _sub(a: Point, b: Point) -> tuple[float, float]:
    (ax, ay), (bx, by) = _up(a), _up(b)
    return (ax - bx, ay - by)


def _dot(a: tuple[float, float], b: tuple[float, float]) -> float:
    return a[0] * b[0] + a[1] * b[1]


def _norm(a: tuple[float, float]) -> float:
    return math.hypot(a[0], a[1])


def _unit(a: tuple[float, float]) -> tuple[float, float] | None:
    length = _norm(a)
    return None if length < 1e-9 else (a[0] / length, a[1] / length)


def _angle_between(a: tuple[float, float], b: tuple[float, float]) -> float | None:
    ua, ub = _unit(a), _unit(b)
    if ua is None or ub is None:
        return None
    return math.degrees(math.acos(max(-1.0, min(1.0, _dot(ua, ub)))))


@dataclass(frozen=True)
class Frame:
    """The horizontal (pointing right in the image) and vertical (pointing up) references."""

    horizontal: tuple[float, float]
    vertical: tuple[float, float]
    from_table: bool


def reference_frame(points: Mapping[str, Point]) -> Frame:
    """The table edge (or floor) line when both its points are given, else the image. A
    table line needs two distinct points and must be nearer horizontal than vertical
    (else which way is up is a guess)."""
    a, b = points.get("table_a"), points.get("table_b")
    if a is None or b is None:
        return Frame((1.0, 0.0), (0.0, 1.0), from_table=False)
    direction = _unit(_sub(b, a))
    if direction is None:
        msg = "the two table points are the same point: mark two points along the table edge"
        raise BadInput(msg)
    if abs(direction[1]) > abs(direction[0]):
        msg = (
            "the table points make a line steeper than 45 degrees: mark two points along the "
            "table edge or the floor, and hold the camera level"
        )
        raise BadInput(msg)
    if direction[0] < 0:
        direction = (-direction[0], -direction[1])  # the same line, pointing right
    return Frame(direction, (-direction[1], direction[0]), from_table=True)


def facing_of(landmarks: Landmarks, frame: Frame) -> Facing | None:
    """Given, else from the nose ahead of the hips, else the toes ahead of the ankles."""
    if landmarks.facing is not None:
        return landmarks.facing
    points = landmarks.points
    hips = [points[f"hip_{s.value}"] for s in Side if f"hip_{s.value}" in points]
    if "nose" in points and hips:
        mid = (sum(p[0] for p in hips) / len(hips), sum(p[1] for p in hips) / len(hips))
        ahead = _dot(_sub(points["nose"], mid), frame.horizontal)
        if abs(ahead) > 1e-9:
            return Facing.RIGHT if ahead > 0 else Facing.LEFT
    votes = 0.0
    for side in Side:
        toe, ankle = points.get(f"toe_{side.value}"), points.get(f"ankle_{side.value}")
        if toe is not None and ankle is not None:
            votes += _dot(_sub(toe, ankle), frame.horizontal)
    if abs(votes) > 1e-9:
        return Facing.RIGHT if votes > 0 else Facing.LEFT
    return None


@dataclass(frozen=True)
class Angles:
    """Every angle the points allow, per side; None where a point is missing."""

    knee_flexion_deg: Mapping[Side, float | None]
    thigh_angle_deg: Mapping[Side, float | None]
    hip_extension_deg: Mapping[Side, float | None]
    trunk_lean_deg: Mapping[Side, float | None]
    facing: Facing | None
    near_side: Side | None
    warnings: tuple[str, ...] = field(default=())

    def trunk_lean(self, side: Side) -> float | None:
        """The trunk's lean on a side, else on the other (one trunk, seen from either)."""
        own = self.trunk_lean_deg.get(side)
        if own is not None:
            return own
        return next((v for v in self.trunk_lean_deg.values() if v is not None), None)


def _knee_flexion(points: Mapping[str, Point], side: Side) -> float | None:
    hip, knee, ankle = (points.get(f"{n}_{side.value}") for n in ("hip", "knee", "ankle"))
    if hip is None or knee is None or ankle is None:
        return None
    return _angle_between(_sub(knee, hip), _sub(ankle, knee))


def _thigh_angle(points: Mapping[str, Point], side: Side, frame: Frame) -> float | None:
    hip, knee = points.get(f"hip_{side.value}"), points.get(f"knee_{side.value}")
    if hip is None or knee is None:
        return None
    thigh = _sub(knee, hip)
    if _norm(thigh) < 1e-9:
        return None
    along = abs(_dot(thigh, frame.horizontal))  # whichever way the leg points
    return math.degrees(math.atan2(_dot(thigh, frame.vertical), along))


def _hip_extension(
    points: Mapping[str, Point], side: Side, frame: Frame, facing: Facing | None
) -> float | None:
    shoulder, hip, knee = (points.get(f"{n}_{side.value}") for n in ("shoulder", "hip", "knee"))
    if shoulder is None or hip is None or knee is None or facing is None:
        return None
    down = _unit(_sub(hip, shoulder))  # the trunk line, continued downward past the hip
    thigh = _sub(knee, hip)
    if down is None or _norm(thigh) < 1e-9:
        return None
    ahead = (
        frame.horizontal if facing is Facing.RIGHT else (-frame.horizontal[0], -frame.horizontal[1])
    )
    # the direction across the trunk line that points behind the person
    across = (-down[1], down[0])
    if _dot(across, ahead) > 0:
        across = (-across[0], -across[1])
    return math.degrees(math.atan2(_dot(thigh, across), _dot(thigh, down)))


def _trunk_lean(points: Mapping[str, Point], side: Side, frame: Frame) -> float | None:
    shoulder, hip = points.get(f"shoulder_{side.value}"), points.get(f"hip_{side.value}")
    if shoulder is None or hip is None:
        return None
    return _angle_between(_sub(shoulder, hip), frame.vertical)


def measure(landmarks: Landmarks) -> Angles:
    """Every angle the points allow, on both sides, with the warnings that apply."""
    points = landmarks.points
    frame = reference_frame(points)
    facing = facing_of(landmarks, frame)
    warnings: list[str] = []
    if not frame.from_table:
        warnings.append(NO_TABLE_WARNING)
    angles = Angles(
        knee_flexion_deg={s: _knee_flexion(points, s) for s in Side},
        thigh_angle_deg={s: _thigh_angle(points, s, frame) for s in Side},
        hip_extension_deg={s: _hip_extension(points, s, frame, facing) for s in Side},
        trunk_lean_deg={s: _trunk_lean(points, s, frame) for s in Side},
        facing=facing,
        near_side=landmarks.near_side,
        warnings=(),
    )
    legs = [s for s in Side if f"hip_{s.value}" in points and f"knee_{s.value}" in points]
    if facing is None and legs:
        warnings.append(NO_FACING_WARNING)
    if legs and all(angles.trunk_lean_deg[s] is None for s in Side):
        warnings.append(NO_TRUNK_WARNING)
    return Angles(
        angles.knee_flexion_deg,
        angles.thigh_angle_deg,
        angles.hip_extension_deg,
        angles.trunk_lean_deg,
        facing,
        landmarks.near_side,
        tuple(warnings),
    )


# --- the self-tests' answers from the angles ----------------------------------------------


def thomas_answer(angles: Angles, side: Side) -> ThomasInput | None:
    """The Thomas test on a side as measured (the thigh angle and the knee bend), or None
    when either is missing; the protocol's rules then read it like a typed answer."""
    thigh, knee = angles.thigh_angle_deg.get(side), angles.knee_flexion_deg.get(side)
    if thigh is None or knee is None:
        return None
    return ThomasInput(thigh_angle_deg=round(thigh, 1), knee_flexion_deg=round(knee, 1))


def extension_answer(
    angles: Angles, side: Side, *, lean_limit_deg: float = TRUNK_LEAN_LIMIT_DEG
) -> ExtensionInput | None:
    """The standing hip extension test on a side as measured: the angle, compensated when
    the trunk leans more than the limit (PROTOCOL.md section 4). None without the angle."""
    degrees = angles.hip_extension_deg.get(side)
    if degrees is None:
        return None
    lean = angles.trunk_lean(side)
    # compared as shown (to 0.1 degree), so a lean shown as 10.0 is never "more than 10"
    return ExtensionInput(
        degrees=round(degrees, 1),
        compensated=lean is not None and round(lean, 1) > lean_limit_deg,
    )


def trunk_lean_of(angles: Angles, sides: tuple[Side, ...]) -> float | None:
    """The trunk's lean seen from the sides measured (their mean), else from either."""
    seen = [lean for each in sides if (lean := angles.trunk_lean(each)) is not None]
    if not seen:
        seen = [lean for lean in angles.trunk_lean_deg.values() if lean is not None]
    return sum(seen) / len(seen) if seen else None


def measured_sides(angles: Angles, side: Side | None) -> tuple[Side, ...]:
    """The side asked for, else the side nearer the camera, else every side measured."""
    if side is not None:
        return (side,)
    if angles.near_side is not None:
        return (angles.near_side,)
    return tuple(
        s
        for s in Side
        if angles.knee_flexion_deg[s] is not None or angles.hip_extension_deg[s] is not None
    )


def check_lean_limit(value: float) -> float:
    """The trunk lean limit setting, checked (above 0, at most 45 degrees)."""
    if not math.isfinite(value) or not 0 < value <= TRUNK_LEAN_LIMIT_MAX_DEG:
        msg = (
            "the trunk lean limit must be above 0 and at most "
            f"{TRUNK_LEAN_LIMIT_MAX_DEG:g} degrees, not {value:g}"
        )
        raise BadInput(msg)
    return value


def check_photo_sem(value: float) -> float:
    if not math.isfinite(value) or not 0 < value <= 10:
        msg = f"the photo measurement error must be above 0 and at most 10 degrees, not {value:g}"
        raise BadInput(msg)
    return value
