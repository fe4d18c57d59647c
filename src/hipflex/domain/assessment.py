"""Self-test answers -> findings (PROTOCOL.md 2.1-2.5). Pure: no I/O, no clock."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from hipflex.domain.errors import BadInput
from hipflex.domain.limits import (
    EXTENSION_FLOOR_SETTING_RANGE_DEG,
    EXTENSION_RANGE_DEG,
    KNEE_FLOOR_SETTING_RANGE_DEG,
    KNEE_RANGE_DEG,
    SITTING_HOURS_RANGE,
    THIGH_ANGLE_RANGE_DEG,
    THIGH_TOLERANCE_SETTING_RANGE_DEG,
)
from hipflex.domain.protocol import Muscle, RedFlag, Side, Sign, SittingBand

# PROTOCOL.md 2.1: a knee that cannot bend past 80 degrees is tight; exactly 80 is normal.
KNEE_FLEXION_FLOOR_DEG = 80.0
# PROTOCOL.md 2.1: a thigh more than this far above horizontal "rises" (configurable).
THIGH_TOLERANCE_DEG = 0.0
# PROTOCOL.md 2.2: less than 10 degrees of hip extension is tight; 10-15 is normal.
HIP_EXTENSION_FLOOR_DEG = 10.0
# PROTOCOL.md 2.4: half-open bands [0,4), [4,6), [6,8), [8,24].
SITTING_BAND_FLOORS: tuple[tuple[float, SittingBand], ...] = (
    (8.0, SittingBand.VERY_HIGH),
    (6.0, SittingBand.HIGH),
    (4.0, SittingBand.MODERATE),
    (0.0, SittingBand.LOW),
)
E = TypeVar("E", bound=StrEnum)


class ThighPosition(StrEnum):
    FLAT = "flat"
    RAISED = "raised"


class ThomasResult(StrEnum):
    NORMAL = "normal"
    TIGHT_ILIOPSOAS = "tight_iliopsoas"
    TIGHT_RECTUS_FEMORIS = "tight_rectus_femoris"
    BOTH_TIGHT = "both_tight"
    NOT_TESTED = "not_tested"


class ExtensionResult(StrEnum):
    NORMAL = "normal"
    TIGHT = "tight"
    NOT_TESTED = "not_tested"


class MeasurementMethod(StrEnum):
    """How a test's angles were measured; each method carries its own error
    (PROTOCOL.md section 4: self-measured about 7 degrees SEM, photo about 1)."""

    SELF = "self"  # read by eye or with a goniometer and typed in
    PHOTO = "photo"  # measured on a side photo (hipflex.domain.goniometry)


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs clinicians argue about, with the protocol's values as defaults."""

    knee_floor_deg: float = KNEE_FLEXION_FLOOR_DEG
    thigh_tolerance_deg: float = THIGH_TOLERANCE_DEG
    extension_floor_deg: float = HIP_EXTENSION_FLOOR_DEG

    def __post_init__(self) -> None:
        _check_range("the Thomas knee cut-off", self.knee_floor_deg, KNEE_FLOOR_SETTING_RANGE_DEG)
        _check_range(
            "the thigh tolerance", self.thigh_tolerance_deg, THIGH_TOLERANCE_SETTING_RANGE_DEG
        )
        _check_range(
            "the hip-extension floor",
            self.extension_floor_deg,
            EXTENSION_FLOOR_SETTING_RANGE_DEG,
        )


@dataclass(frozen=True)
class ThomasInput:
    """What the user saw of the hanging leg on one side; all None means not tested."""

    thigh: ThighPosition | None = None
    thigh_angle_deg: float | None = None
    knee_flexion_deg: float | None = None
    method: MeasurementMethod = MeasurementMethod.SELF
    # Photo only: whether the trunk, and so the pelvis, could be checked on the photo
    # (None: typed in, or not recorded).
    pelvis_checked: bool | None = None

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.thigh, self.thigh_angle_deg, self.knee_flexion_deg))


@dataclass(frozen=True)
class ExtensionInput:
    """How far one leg went back, and whether the back arched or the torso leaned."""

    degrees: float | None = None
    compensated: bool = False
    method: MeasurementMethod = MeasurementMethod.SELF
    # Photo only: whether the trunk could be checked for a lean (compensation) on the photo.
    pelvis_checked: bool | None = None

    @property
    def given(self) -> bool:
        return self.degrees is not None or self.compensated


def _no_thomas() -> dict[Side, ThomasInput]:
    return {side: ThomasInput() for side in Side}


def _no_extension() -> dict[Side, ExtensionInput]:
    return {side: ExtensionInput() for side in Side}


@dataclass(frozen=True)
class AssessmentInput:
    """The answers. `red_flags` is None until the safety questions are answered (an empty
    set is the answer "none of them"): never answered is never taken as "no"."""

    thomas: Mapping[Side, ThomasInput] = field(default_factory=_no_thomas)
    extension: Mapping[Side, ExtensionInput] = field(default_factory=_no_extension)
    sitting_hours: float | None = None
    signs: frozenset[Sign] = frozenset()
    red_flags: frozenset[RedFlag] | None = None

    @property
    def empty(self) -> bool:
        """No answer at all beyond "no warning signs": no self-test result on either side,
        no sitting hours and no sign. Nothing to build a plan from, so never saved."""
        return (
            not any(given.given for given in self.thomas.values())
            and not any(given.given for given in self.extension.values())
            and self.sitting_hours is None
            and not self.signs
            and not self.red_flags
        )


@dataclass(frozen=True)
class ThomasFinding:
    result: ThomasResult
    thigh: ThighPosition | None = None
    thigh_angle_deg: float | None = None
    knee_flexion_deg: float | None = None


@dataclass(frozen=True)
class ExtensionFinding:
    result: ExtensionResult
    degrees: float | None = None
    compensated: bool = False


@dataclass(frozen=True)
class SideFindings:
    """What looks tight on one side, from both tests together."""

    side: Side
    thomas: ThomasFinding
    extension: ExtensionFinding

    @property
    def tight_muscles(self) -> tuple[Muscle, ...]:
        """Named muscles the Thomas test points at (the extension test names none)."""
        result = self.thomas.result
        muscles: list[Muscle] = []
        if result in (ThomasResult.TIGHT_ILIOPSOAS, ThomasResult.BOTH_TIGHT):
            muscles.append(Muscle.ILIOPSOAS)
        if result in (ThomasResult.TIGHT_RECTUS_FEMORIS, ThomasResult.BOTH_TIGHT):
            muscles.append(Muscle.RECTUS_FEMORIS)
        return tuple(muscles)

    @property
    def extension_limited(self) -> bool:
        return self.extension.result is ExtensionResult.TIGHT

    @property
    def any_tight(self) -> bool:
        return bool(self.tight_muscles) or self.extension_limited

    @property
    def tested(self) -> bool:
        return (
            self.thomas.result is not ThomasResult.NOT_TESTED
            or self.extension.result is not ExtensionResult.NOT_TESTED
        )


@dataclass(frozen=True)
class Assessment:
    answers: AssessmentInput
    sides: Mapping[Side, SideFindings]
    sitting_hours: float | None
    sitting_band: SittingBand | None
    signs: frozenset[Sign]
    red_flags: frozenset[RedFlag]
    thresholds: Thresholds

    @property
    def safe_to_exercise(self) -> bool:
        """Any red flag stops everything (PROTOCOL.md 2.5)."""
        return not self.red_flags

    @property
    def any_tight(self) -> bool:
        return any(s.any_tight for s in self.sides.values())

    @property
    def tested(self) -> bool:
        return any(s.tested for s in self.sides.values())

    def tight_muscles(self) -> frozenset[Muscle]:
        return frozenset(m for s in self.sides.values() for m in s.tight_muscles)

    def thomas_given(self, side: Side) -> ThomasInput:
        """The Thomas test's answers on a side as given (with how they were measured)."""
        return self.answers.thomas.get(side, ThomasInput())

    def extension_given(self, side: Side) -> ExtensionInput:
        """The hip extension test's answers on a side as given (with how measured)."""
        return self.answers.extension.get(side, ExtensionInput())


def _check_range(what: str, value: float, bounds: tuple[float, float], unit: str = "") -> None:
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        msg = f"{what} must be between {low:g} and {high:g}{unit}, not {value:g}{unit}"
        raise BadInput(msg)


def classify_thomas(
    thigh_raised: bool, knee_flexion_deg: float, *, knee_floor_deg: float = KNEE_FLEXION_FLOOR_DEG
) -> ThomasResult:
    """The four rows of the Thomas table (PROTOCOL.md 2.1)."""
    short_rectus = knee_flexion_deg < knee_floor_deg
    if thigh_raised:
        return ThomasResult.BOTH_TIGHT if short_rectus else ThomasResult.TIGHT_ILIOPSOAS
    return ThomasResult.TIGHT_RECTUS_FEMORIS if short_rectus else ThomasResult.NORMAL


def thigh_rises(thigh_angle_deg: float, *, tolerance_deg: float = THIGH_TOLERANCE_DEG) -> bool:
    """A thigh rises when its knee end is above the hip end by more than the tolerance."""
    return thigh_angle_deg > tolerance_deg


def classify_hip_extension(
    degrees: float | None,
    *,
    compensated: bool,
    floor_deg: float = HIP_EXTENSION_FLOOR_DEG,
) -> ExtensionResult:
    """Compensation means tight whatever the angle; else under the floor is tight (2.2)."""
    if compensated:
        return ExtensionResult.TIGHT
    if degrees is None:
        return ExtensionResult.NOT_TESTED
    return ExtensionResult.TIGHT if degrees < floor_deg else ExtensionResult.NORMAL


def sitting_band(hours: float) -> SittingBand:
    """Daily sitting hours -> the protocol's band (PROTOCOL.md 2.4), half-open bands."""
    _check_range("daily sitting hours", hours, SITTING_HOURS_RANGE, " h")
    for floor, band in SITTING_BAND_FLOORS:
        if hours >= floor:
            return band
    raise AssertionError("unreachable: hours >= 0 was checked")  # pragma: no cover


def check_method(
    where: str, method: MeasurementMethod, pelvis_checked: bool | None, *, given: bool
) -> None:
    """A photo method needs a measurement to describe; the pelvis check is a photo's."""
    if method is MeasurementMethod.PHOTO and not given:
        msg = f"{where}: measured from a photo, but no result is given"
        raise BadInput(msg)
    if method is MeasurementMethod.SELF and pelvis_checked is not None:
        msg = f"{where}: whether the pelvis was checked applies to a photo measurement only"
        raise BadInput(msg)


def assess_thomas(side: Side, observed: ThomasInput, thresholds: Thresholds) -> ThomasFinding:
    where = f"Thomas test, {side} side"
    check_method(where, observed.method, observed.pelvis_checked, given=observed.given)
    if not observed.given:
        return ThomasFinding(ThomasResult.NOT_TESTED)
    if observed.knee_flexion_deg is None:
        msg = f"{where}: give the knee bend angle too"
        raise BadInput(msg)
    _check_range(f"{where}: the knee bend", observed.knee_flexion_deg, KNEE_RANGE_DEG, " deg")
    raised: bool | None = None if observed.thigh is None else observed.thigh is ThighPosition.RAISED
    if observed.thigh_angle_deg is not None:
        angle = observed.thigh_angle_deg
        _check_range(f"{where}: the thigh angle", angle, THIGH_ANGLE_RANGE_DEG, " deg")
        raised_by_angle = thigh_rises(angle, tolerance_deg=thresholds.thigh_tolerance_deg)
        if raised is not None and raised != raised_by_angle:
            msg = (
                f"{where}: the thigh is given as {observed.thigh} but an angle of {angle:g} deg "
                f"means {'raised' if raised_by_angle else 'flat'}; give one or make them agree"
            )
            raise BadInput(msg)
        raised = raised_by_angle
    if raised is None:
        msg = f"{where}: say whether the thigh stays flat or rises, or give its angle"
        raise BadInput(msg)
    result = classify_thomas(
        raised, observed.knee_flexion_deg, knee_floor_deg=thresholds.knee_floor_deg
    )
    return ThomasFinding(
        result=result,
        thigh=ThighPosition.RAISED if raised else ThighPosition.FLAT,
        thigh_angle_deg=observed.thigh_angle_deg,
        knee_flexion_deg=observed.knee_flexion_deg,
    )


def assess_extension(
    side: Side, observed: ExtensionInput, thresholds: Thresholds
) -> ExtensionFinding:
    where = f"hip extension, {side} side"
    check_method(where, observed.method, observed.pelvis_checked, given=observed.given)
    if observed.degrees is not None:
        _check_range(where, observed.degrees, EXTENSION_RANGE_DEG, " deg")
    result = classify_hip_extension(
        observed.degrees, compensated=observed.compensated, floor_deg=thresholds.extension_floor_deg
    )
    return ExtensionFinding(result, observed.degrees, observed.compensated)


class SafetyQuestionsUnanswered(BadInput):
    """The red-flag questions were not answered (PROTOCOL.md section 4: red flags are an
    explicit answer; never answered counts as not screened)."""

    def __init__(self) -> None:
        super().__init__(
            "the safety questions are not answered: say which warning signs you have, "
            "or that you have none"
        )


def assess(answers: AssessmentInput, thresholds: Thresholds | None = None) -> Assessment:
    """Answers -> findings; raises BadInput with one plain sentence on the first bad value.
    Nothing is assessed before the safety questions are answered."""
    red_flags = answers.red_flags
    if red_flags is None:
        raise SafetyQuestionsUnanswered
    limits = thresholds or Thresholds()
    answers = replace(  # both sides always present, so stored and fresh results compare equal
        answers,
        thomas={side: answers.thomas.get(side, ThomasInput()) for side in Side},
        extension={side: answers.extension.get(side, ExtensionInput()) for side in Side},
    )
    sides = {
        side: SideFindings(
            side=side,
            thomas=assess_thomas(side, answers.thomas[side], limits),
            extension=assess_extension(side, answers.extension[side], limits),
        )
        for side in Side
    }
    hours = answers.sitting_hours
    return Assessment(
        answers=answers,
        sides=sides,
        sitting_hours=hours,
        sitting_band=None if hours is None else sitting_band(hours),
        signs=frozenset(answers.signs),
        red_flags=red_flags,
        thresholds=limits,
    )


def parse_choice(kind: type[E], value: str, what: str) -> E:
    """A user-given id as an enum member; an unknown id is bad input naming the choices."""
    try:
        return kind(value.strip().lower().replace("-", "_"))
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        msg = f"unknown {what} '{value}' (choose from: {choices})"
        raise BadInput(msg) from None


def parse_ids(kind: type[E], values: Iterable[str], what: str) -> frozenset[E]:
    return frozenset(parse_choice(kind, value, what) for value in values)


class AssessmentKind(StrEnum):
    BASELINE = "baseline"
    RETEST = "retest"
    # Only the safety questions, answered again after a pain-rise warning or sharp pain
    # (PROTOCOL.md section 4): no self-tests, so findings, blocks and re-tests ignore it;
    # the safety gate reads it like any newer answers.
    SAFETY_CHECK = "safety_check"

    @property
    def has_tests(self) -> bool:
        return self is not AssessmentKind.SAFETY_CHECK


@dataclass(frozen=True)
class RecordedAssessment:
    """An assessment as stored: when it was taken, and what kind it was."""

    id: int
    recorded_at: datetime
    kind: AssessmentKind
    assessment: Assessment
    block_id: int | None = None  # re-tests: the block and week they belong to
    block_week: int | None = None


class AssessmentOutcome(StrEnum):
    """What the findings mean for the next step, most serious first."""

    RED_FLAGS = "red_flags"
    TIGHT = "tight"
    CLEAR_HIGH_SITTING = "clear_high_sitting"
    CLEAR = "clear"
    UNTESTED = "untested"


#: Bands where normal tests still call for a prevention plan (PROTOCOL.md section 4).
PREVENTION_BANDS = frozenset({SittingBand.HIGH, SittingBand.VERY_HIGH})


def outcome(assessment: Assessment) -> AssessmentOutcome:
    """Safety first: any red flag wins over every other finding (PROTOCOL.md 2.5)."""
    if not assessment.safe_to_exercise:
        return AssessmentOutcome.RED_FLAGS
    if assessment.any_tight:
        return AssessmentOutcome.TIGHT
    if not assessment.tested:
        return AssessmentOutcome.UNTESTED
    if assessment.sitting_band in PREVENTION_BANDS:
        return AssessmentOutcome.CLEAR_HIGH_SITTING
    return AssessmentOutcome.CLEAR
