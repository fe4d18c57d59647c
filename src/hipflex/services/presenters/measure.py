"""A photo measurement as JSON (`hipflex measure --json`; the web's photo step may send
the same): the points as used, every angle per side, and for a named test its result by
the protocol's rules on each side measured."""

from __future__ import annotations

from collections.abc import Mapping

from hipflex.domain.goniometry import Facing, trunk_lean_of
from hipflex.domain.ids import Side
from hipflex.services.measure import PhotoMeasurement, TestName
from hipflex.services.presenters.common import Out
from hipflex.services.presenters.self_tests import (
    HipExtensionOut,
    ThomasOut,
    extension_model,
    thomas_model,
)

#: Angles to a tenth of a degree, points to a tenth of a pixel: finer is noise.
ANGLE_DECIMALS = 1
POINT_DECIMALS = 1


class PerSideOut(Out):
    """An angle on each side; null where the points for it are missing."""

    left: float | None
    right: float | None


class AnglesOut(Out):
    knee_flexion_deg: PerSideOut
    thigh_angle_deg: PerSideOut
    hip_extension_deg: PerSideOut
    # One trunk: its lean from vertical seen from the sides measured (their mean).
    trunk_lean_deg: float | None


class MeasurementOut(Out):
    """What a photo measured. `points` are [x, y] pixels of the upright photo (origin top
    left); `sides` are the sides the test reads (the one asked for, else the one nearer
    the camera, else each side measured); `thomas` and `hip_extension` hold the result of
    `--test thomas` or `--test extension` per side ({} otherwise)."""

    points: dict[str, tuple[float, float]]
    angles: AnglesOut
    facing: Facing | None
    near_side: Side | None
    warnings: list[str]
    test: TestName
    sides: list[Side]
    thomas: dict[Side, ThomasOut]
    hip_extension: dict[Side, HipExtensionOut]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, ANGLE_DECIMALS)


def _per_side(values: Mapping[Side, float | None]) -> PerSideOut:
    return PerSideOut(left=_rounded(values.get(Side.LEFT)), right=_rounded(values.get(Side.RIGHT)))


def measurement_model(measured: PhotoMeasurement) -> MeasurementOut:
    angles = measured.angles
    return MeasurementOut(
        points={
            name: (round(x, POINT_DECIMALS), round(y, POINT_DECIMALS))
            for name, (x, y) in measured.landmarks.points.items()
        },
        angles=AnglesOut(
            knee_flexion_deg=_per_side(angles.knee_flexion_deg),
            thigh_angle_deg=_per_side(angles.thigh_angle_deg),
            hip_extension_deg=_per_side(angles.hip_extension_deg),
            trunk_lean_deg=_rounded(trunk_lean_of(angles, measured.sides)),
        ),
        facing=angles.facing,
        near_side=angles.near_side,
        warnings=list(angles.warnings),
        test=measured.test,
        sides=list(measured.sides),
        thomas={side: thomas_model(found) for side, found in measured.thomas.items()},
        hip_extension={side: extension_model(found) for side, found in measured.extension.items()},
    )
