"""A photo measurement in plain words: the angles per side, the test read from them, the
warnings. Measurements for the self-tests, never a diagnosis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hipflex.cli.words import RESULT_WORDS
from hipflex.domain.assessment import ExtensionFinding, ThomasFinding
from hipflex.domain.goniometry import trunk_lean_of
from hipflex.domain.ids import Side
from hipflex.domain.photos import PhotoTest
from hipflex.domain.plurals import noun
from hipflex.services.measure import PhotoMeasurement

if TYPE_CHECKING:
    from hipflex.services.photo_tests import SavedMeasurement

NOT_A_DIAGNOSIS = "These are measurements for the self-tests; hipflex does not diagnose."


def _deg(value: float) -> str:
    return f"{abs(value):.1f}°"


def _thigh_words(value: float, reference: str) -> str:
    if round(value, 1) == 0:
        return f"level with {reference}"
    return f"{_deg(value)} {'above' if value > 0 else 'below'} {reference}"


def _extension_words(value: float) -> str:
    if round(value, 1) == 0:
        return "in line with the trunk"
    if value > 0:
        return f"{_deg(value)} behind the trunk line (extension)"
    return f"{_deg(value)} in front of the trunk line (the hip is bent)"


def side_lines(measured: PhotoMeasurement, side: Side, reference: str) -> list[str]:
    """The angles of one side, one per line; empty when none could be measured."""
    angles = measured.angles
    knee = angles.knee_flexion_deg.get(side)
    thigh = angles.thigh_angle_deg.get(side)
    extension = angles.hip_extension_deg.get(side)
    lines = []
    if knee is not None:
        lines.append(f"Knee bend: {_deg(knee)} (0° is a straight leg)")
    if thigh is not None:
        lines.append(f"Thigh: {_thigh_words(thigh, reference)}")
    if extension is not None:
        lines.append(f"Hip: {_extension_words(extension)}")
    return lines


def _thomas_line(side: Side, found: ThomasFinding) -> str:
    thigh = "" if found.thigh is None else f"the thigh is {found.thigh.value}, "
    knee = "" if found.knee_flexion_deg is None else f"the knee bends {found.knee_flexion_deg:g}°"
    return (
        f"Thomas test, {side.value} side: {thigh}{knee}; by the protocol's rules: "
        f"{RESULT_WORDS[found.result.value]}."
    )


def _extension_line(side: Side, found: ExtensionFinding, pelvis_checked: bool) -> str:
    degrees = "no angle" if found.degrees is None else f"{found.degrees:g}°"
    if found.compensated:
        trunk = "the trunk leans too far (compensated)"
    elif not pelvis_checked:
        trunk = "the trunk could not be checked"
    else:
        trunk = "the trunk upright"
    return (
        f"Hip extension test, {side.value} side: {degrees}, {trunk}; by the protocol's "
        f"rules: {RESULT_WORDS[found.result.value]}."
    )


def measurement_lines(measured: PhotoMeasurement, *, hand_marked: bool) -> list[str]:
    """Everything `hipflex measure` says, as lines of plain text."""
    angles = measured.angles
    near = angles.near_side
    source = "Points marked by hand." if hand_marked else "Points found by the pose model."
    if near is not None:
        source += f" Your {near.value} side is nearer the camera."
    facing = (
        "Which way you face is unknown."
        if angles.facing is None
        else f"You face {angles.facing.value} in the photo."
    )
    lines = [f"{source} {facing}", ""]
    points = measured.landmarks.points
    reference = "the table edge" if "table_a" in points else "the photo's horizontal"
    shown = list(measured.sides) + [s for s in Side if s not in measured.sides]
    for side in shown:
        each = side_lines(measured, side, reference)
        if not each:
            continue
        notes = [
            note
            for note, applies in (
                ("nearer the camera", side is near),
                ("read", side in measured.sides),
            )
            if applies
        ]
        title = f"{side.value.capitalize()} side" + (f" ({', '.join(notes)})" if notes else "")
        lines += [f"{title}:", *(f"  {line}" for line in each)]
    lean = trunk_lean_of(angles, measured.sides)
    if lean is not None:
        lines.append(f"Trunk lean: {_deg(lean)} from vertical")
    if len(lines) == 2:
        lines.append("No angle could be measured: mark a hip, knee and ankle at least.")
    results = [_thomas_line(side, found) for side, found in measured.thomas.items()]
    results += [
        _extension_line(side, found, angles.pelvis_checked(side))
        for side, found in measured.extension.items()
    ]
    if results:
        lines += ["", *results]
    if angles.warnings:
        lines += ["", "Check:", *(f"  - {warning}" for warning in angles.warnings)]
    lines += ["", NOT_A_DIAGNOSIS]
    return lines


def render_measurement(measured: PhotoMeasurement, *, hand_marked: bool) -> None:
    print("\n".join(measurement_lines(measured, hand_marked=hand_marked)))


def saved_lines(saved: SavedMeasurement) -> list[str]:
    """What `hipflex measure --save` adds: what was recorded, and the photo if kept."""
    test = "Thomas test" if saved.test is PhotoTest.THOMAS else "hip extension test"
    sides = " and ".join(side.value for side in saved.sides)
    side_word = noun(len(saved.sides), "side")
    what = f"the {test} on your {sides} {side_word}, measured from the photo"
    lines = [
        "",
        f"Saved as a re-test (#{saved.assessment_id}): {what}.",
        "Your other answers are carried over from your last assessment.",
    ]
    if any(not checked for checked in saved.pelvis_checked.values()):
        lines.append(
            "The photo did not show your trunk, so your pelvis could not be checked: "
            "the result says so."
        )
    if saved.photo is not None:
        lines.append(
            "The photo is kept, without its EXIF data (location included); "
            "`hipflex data erase` removes it."
        )
    lines.append("See the change with `hipflex progress`.")
    return lines


def render_saved(saved: SavedMeasurement) -> None:
    print("\n".join(saved_lines(saved)))
