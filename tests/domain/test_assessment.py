"""The assessment rules of PROTOCOL.md 2.1-2.5, their boundaries and their ranges."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentOutcome,
    ExtensionInput,
    ExtensionResult,
    ThighPosition,
    ThomasInput,
    ThomasResult,
    Thresholds,
    assess,
    classify_hip_extension,
    classify_thomas,
    outcome,
    parse_choice,
    parse_ids,
    sitting_band,
    thigh_rises,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.protocol import Muscle, RedFlag, Side, Sign, SittingBand

# Thomas test table (PROTOCOL.md 2.1)


@pytest.mark.parametrize(
    ("raised", "knee", "expected"),
    [
        (False, 85.0, ThomasResult.NORMAL),
        (True, 85.0, ThomasResult.TIGHT_ILIOPSOAS),
        (False, 70.0, ThomasResult.TIGHT_RECTUS_FEMORIS),
        (True, 70.0, ThomasResult.BOTH_TIGHT),
        # the boundary: exactly 80 is normal, anything below is tight
        (False, 80.0, ThomasResult.NORMAL),
        (False, 79.9, ThomasResult.TIGHT_RECTUS_FEMORIS),
        (True, 80.0, ThomasResult.TIGHT_ILIOPSOAS),
        (True, 79.9, ThomasResult.BOTH_TIGHT),
        (False, 90.0, ThomasResult.NORMAL),
    ],
)
def test_thomas_table_rows_and_knee_boundary(raised: bool, knee: float, expected: ThomasResult):
    assert classify_thomas(raised, knee) is expected


def test_thigh_at_horizontal_is_flat_and_above_rises():
    assert thigh_rises(0.0) is False
    assert thigh_rises(-5.0) is False
    assert thigh_rises(0.1) is True


def test_thigh_tolerance_is_configurable():
    assert thigh_rises(3.0, tolerance_deg=5.0) is False
    assert thigh_rises(5.0, tolerance_deg=5.0) is False
    assert thigh_rises(5.1, tolerance_deg=5.0) is True


def test_knee_cutoff_is_configurable_for_papers_that_use_67():
    assert (
        classify_thomas(thigh_raised=False, knee_flexion_deg=70.0, knee_floor_deg=67.0)
        is ThomasResult.NORMAL
    )
    assert (
        classify_thomas(thigh_raised=False, knee_flexion_deg=66.9, knee_floor_deg=67.0)
        is ThomasResult.TIGHT_RECTUS_FEMORIS
    )


@given(
    raised=st.booleans(),
    knee=st.floats(min_value=0, max_value=180),
)
def test_thomas_names_rectus_exactly_when_knee_below_80_and_iliopsoas_exactly_when_raised(
    raised: bool, knee: float
):
    result = classify_thomas(raised, knee)
    rectus = result in (ThomasResult.TIGHT_RECTUS_FEMORIS, ThomasResult.BOTH_TIGHT)
    iliopsoas = result in (ThomasResult.TIGHT_ILIOPSOAS, ThomasResult.BOTH_TIGHT)
    assert rectus == (knee < 80.0)
    assert iliopsoas == raised


def test_thomas_from_measured_angles():
    findings = assess(
        AssessmentInput(
            thomas={
                Side.LEFT: ThomasInput(thigh_angle_deg=12.0, knee_flexion_deg=60.0),
                Side.RIGHT: ThomasInput(thigh_angle_deg=0.0, knee_flexion_deg=80.0),
            },
            red_flags=frozenset(),
        )
    )
    assert findings.sides[Side.LEFT].thomas.result is ThomasResult.BOTH_TIGHT
    assert findings.sides[Side.LEFT].thomas.thigh is ThighPosition.RAISED
    assert findings.sides[Side.RIGHT].thomas.result is ThomasResult.NORMAL
    assert findings.sides[Side.RIGHT].thomas.thigh is ThighPosition.FLAT


def test_thigh_given_both_ways_must_agree():
    agreeing = ThomasInput(ThighPosition.RAISED, thigh_angle_deg=10.0, knee_flexion_deg=85.0)
    assert (
        assess(AssessmentInput(thomas={Side.LEFT: agreeing}, red_flags=frozenset()))
        .sides[Side.LEFT]
        .thomas.result
        is ThomasResult.TIGHT_ILIOPSOAS
    )
    clashing = ThomasInput(ThighPosition.FLAT, thigh_angle_deg=10.0, knee_flexion_deg=85.0)
    with pytest.raises(BadInput, match=r"left side.*flat.*raised"):
        assess(AssessmentInput(thomas={Side.LEFT: clashing}, red_flags=frozenset()))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (ThomasInput(ThighPosition.FLAT), "knee bend angle too"),
        (ThomasInput(knee_flexion_deg=85.0), "flat or rises"),
        (ThomasInput(ThighPosition.FLAT, knee_flexion_deg=180.1), "between 0 and 180"),
        (ThomasInput(ThighPosition.FLAT, knee_flexion_deg=-1.0), "between 0 and 180"),
        (ThomasInput(ThighPosition.FLAT, knee_flexion_deg=math.nan), "knee bend"),
        (ThomasInput(thigh_angle_deg=91.0, knee_flexion_deg=85.0), "thigh angle"),
    ],
)
def test_incomplete_or_out_of_range_thomas_is_bad_input(given: ThomasInput, message: str):
    with pytest.raises(BadInput, match=message):
        assess(AssessmentInput(thomas={Side.RIGHT: given}, red_flags=frozenset()))


def test_untested_sides_say_so():
    findings = assess(AssessmentInput(red_flags=frozenset()))
    for side in Side:
        assert findings.sides[side].thomas.result is ThomasResult.NOT_TESTED
        assert findings.sides[side].extension.result is ExtensionResult.NOT_TESTED
    assert not findings.tested
    assert outcome(findings) is AssessmentOutcome.UNTESTED


# Standing hip extension (PROTOCOL.md 2.2)


@pytest.mark.parametrize(
    ("degrees", "compensated", "expected"),
    [
        (10.0, False, ExtensionResult.NORMAL),
        (9.9, False, ExtensionResult.TIGHT),
        (15.0, False, ExtensionResult.NORMAL),
        (25.0, False, ExtensionResult.NORMAL),  # more than 15 is normal, and better
        (15.0, True, ExtensionResult.TIGHT),  # compensation overrides the angle
        (None, True, ExtensionResult.TIGHT),
        (None, False, ExtensionResult.NOT_TESTED),
        (-5.0, False, ExtensionResult.TIGHT),
    ],
)
def test_hip_extension_rule(degrees: float | None, compensated: bool, expected: ExtensionResult):
    assert classify_hip_extension(degrees, compensated=compensated) is expected


@given(degrees=st.floats(min_value=-30, max_value=60), compensated=st.booleans())
def test_hip_extension_tight_iff_compensated_or_under_10(degrees: float, compensated: bool):
    result = classify_hip_extension(degrees, compensated=compensated)
    assert (result is ExtensionResult.TIGHT) == (compensated or degrees < 10.0)


def test_hip_extension_floor_is_configurable():
    limits = Thresholds(extension_floor_deg=5.0)
    findings = assess(
        AssessmentInput(extension={Side.LEFT: ExtensionInput(degrees=6.0)}, red_flags=frozenset()),
        thresholds=limits,
    )
    assert findings.sides[Side.LEFT].extension.result is ExtensionResult.NORMAL


@pytest.mark.parametrize("degrees", [-30.1, 60.1, math.inf])
def test_hip_extension_out_of_range_is_bad_input(degrees: float):
    with pytest.raises(BadInput, match="hip extension, left side"):
        assess(
            AssessmentInput(
                extension={Side.LEFT: ExtensionInput(degrees=degrees)}, red_flags=frozenset()
            )
        )


# Sitting bands (PROTOCOL.md 2.4)


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        (0.0, SittingBand.LOW),
        (3.99, SittingBand.LOW),
        (4.0, SittingBand.MODERATE),
        (5.99, SittingBand.MODERATE),
        (6.0, SittingBand.HIGH),
        (7.99, SittingBand.HIGH),
        (8.0, SittingBand.VERY_HIGH),
        (24.0, SittingBand.VERY_HIGH),
    ],
)
def test_sitting_band_boundaries(hours: float, band: SittingBand):
    assert sitting_band(hours) is band


@pytest.mark.parametrize("hours", [-0.1, 24.1, math.nan, math.inf])
def test_sitting_hours_outside_0_24_are_bad_input(hours: float):
    with pytest.raises(BadInput, match="sitting hours"):
        sitting_band(hours)


@given(st.floats(min_value=0, max_value=24))
def test_sitting_bands_are_half_open(hours: float):
    expected = (
        SittingBand.LOW
        if hours < 4
        else SittingBand.MODERATE
        if hours < 6
        else SittingBand.HIGH
        if hours < 8
        else SittingBand.VERY_HIGH
    )
    assert sitting_band(hours) is expected


@given(st.floats(min_value=0, max_value=24), st.floats(min_value=0, max_value=24))
def test_more_sitting_never_gives_a_lower_band(a: float, b: float):
    order = list(SittingBand)
    low, high = sorted((a, b))
    assert order.index(sitting_band(low)) <= order.index(sitting_band(high))


# Red flags and the overall outcome (PROTOCOL.md 2.5, section 4)


@pytest.mark.parametrize("flag", list(RedFlag))
def test_any_red_flag_makes_it_unsafe_whatever_else_was_found(flag: RedFlag):
    findings = assess(
        AssessmentInput(
            thomas={Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=70.0)},
            sitting_hours=9,
            red_flags=frozenset({flag}),
        )
    )
    assert findings.safe_to_exercise is False
    assert outcome(findings) is AssessmentOutcome.RED_FLAGS


def test_no_red_flags_is_safe():
    assert assess(AssessmentInput(sitting_hours=2, red_flags=frozenset())).safe_to_exercise is True


def test_outcome_order():
    tight = AssessmentInput(
        thomas={Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=70.0)},
        red_flags=frozenset(),
    )
    assert outcome(assess(tight)) is AssessmentOutcome.TIGHT
    normal_tests = {side: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0) for side in Side}
    assert outcome(
        assess(AssessmentInput(thomas=normal_tests, sitting_hours=6, red_flags=frozenset()))
    ) is (AssessmentOutcome.CLEAR_HIGH_SITTING)
    assert outcome(
        assess(AssessmentInput(thomas=normal_tests, sitting_hours=5.99, red_flags=frozenset()))
    ) is (AssessmentOutcome.CLEAR)


def test_side_findings_name_the_tight_muscles():
    findings = assess(
        AssessmentInput(
            thomas={
                Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=60.0),
                Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=85.0),
            },
            extension={Side.RIGHT: ExtensionInput(degrees=5.0)},
            red_flags=frozenset(),
        )
    )
    left, right = findings.sides[Side.LEFT], findings.sides[Side.RIGHT]
    assert left.tight_muscles == (Muscle.ILIOPSOAS, Muscle.RECTUS_FEMORIS)
    assert right.tight_muscles == ()
    assert right.extension_limited
    assert right.any_tight
    assert findings.tight_muscles() == {Muscle.ILIOPSOAS, Muscle.RECTUS_FEMORIS}


# Parsing ids and thresholds


def test_parse_ids_accepts_the_contract_ids_and_dashes():
    assert parse_ids(Sign, ["swayback", "tight-front-hips"], "sign") == {
        Sign.SWAYBACK,
        Sign.TIGHT_FRONT_HIPS,
    }
    assert parse_choice(ThighPosition, "Raised", "thigh") is ThighPosition.RAISED


def test_unknown_id_names_the_choices():
    with pytest.raises(BadInput, match=r"unknown red flag 'headache' \(choose from: saddle_numb"):
        parse_ids(RedFlag, ["headache"], "red flag")


@pytest.mark.parametrize(
    "kwargs",
    [{"knee_floor_deg": 200.0}, {"thigh_tolerance_deg": -1.0}, {"extension_floor_deg": 45.0}],
)
def test_thresholds_out_of_range_are_bad_input(kwargs: dict[str, float]):
    with pytest.raises(BadInput):
        Thresholds(**kwargs)


@given(
    knee=st.floats(min_value=0, max_value=180),
    angle=st.floats(min_value=-90, max_value=90),
    ext=st.floats(min_value=-30, max_value=60),
    hours=st.floats(min_value=0, max_value=24),
    compensated=st.booleans(),
)
def test_assess_accepts_everything_inside_the_ranges(
    knee: float, angle: float, ext: float, hours: float, compensated: bool
):
    findings = assess(
        AssessmentInput(
            thomas={
                side: ThomasInput(thigh_angle_deg=angle, knee_flexion_deg=knee) for side in Side
            },
            extension={side: ExtensionInput(ext, compensated) for side in Side},
            sitting_hours=hours,
            red_flags=frozenset(),
        )
    )
    assert findings.tested
    assert findings.sitting_band is sitting_band(hours)
    for side in Side:
        assert findings.sides[side].thomas.result is classify_thomas(angle > 0, knee)
