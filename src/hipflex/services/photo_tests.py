"""A photo measurement saved as test results, and the photo itself kept only by choice.

Which assessment a measurement goes to: saving never edits a saved assessment (a saved
assessment is a record of what was answered then). `save_measurement` records a NEW
re-test (kind "retest") of the current block: services/blocks.save_assessment decides the
block, the week and, at a block's end, what comes next, exactly as for a re-test typed in.
The re-test carries each side measured on the photo for the photo's test (method "photo",
with whether the pelvis could be checked) and copies every other answer from the current
assessment, the newest one with self-tests: the other side, the other test, sitting hours
and signs, each with the method it had. The red-flag answers are the newest answers to the
safety questions (a safety check's included), unchanged. So only the measured test moves.

It refuses (NotReady) when there is no current assessment (take the assessment first: a
first assessment's tests come from the wizard, photo-measured or typed in), and when the
safety questions were never answered or are due again (a pain rise or sharp pain since
the last answers).

Privacy (DESIGN.md): photos are processed on this machine only. A photo is kept only when
asked (`keep_photo`), upright (its EXIF orientation applied) and re-encoded from its pixels
alone, so no EXIF (location included), no ICC profile and no comment is stored;
`hipflex data erase` deletes it with everything else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    MeasurementMethod,
    ThomasInput,
)
from hipflex.domain.errors import BadInput, NotReady
from hipflex.domain.ids import Side
from hipflex.domain.photos import (
    MAX_KEPT_EDGE_PX,
    KeptImage,
    PhotoTest,
    RecordedPhoto,
)
from hipflex.domain.safety import Screening
from hipflex.services.assessments import AssessmentReport
from hipflex.services.blocks import save_assessment
from hipflex.services.context import AppContext
from hipflex.services.measure import Photo, PhotoMeasurement, TestName, load_photo, open_image
from hipflex.services.safety import current_screening

if TYPE_CHECKING:
    from PIL.Image import Image

#: JPEG quality of a kept photo: no visible loss for comparing postures side by side.
KEPT_JPEG_QUALITY = 90
#: What Pillow reports about a JPEG that is not metadata (the JFIF header and its density).
_PLAIN_JPEG_INFO = frozenset(
    {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression"}
)


class SafetyQuestionsFirst(NotReady):
    """A measurement is saved as test results only once the safety questions stand answered."""


class NoCurrentAssessment(NotReady):
    """No assessment with self-tests yet: a photo measurement has nothing to re-test."""


@dataclass(frozen=True)
class SavedMeasurement:
    """What saving a photo measurement did.

    `report` is the new re-test (or first baseline) with its findings, as `hipflex assess`
    shows them; `sides` the sides whose answers came from the photo; `pelvis_checked`
    whether the trunk, and so the pelvis, could be checked on each (False: the photo had no
    shoulder and hip, `warnings` then says so too); `photo` the kept photo, if asked for.
    """

    report: AssessmentReport
    test: PhotoTest
    sides: tuple[Side, ...]
    pelvis_checked: dict[Side, bool]
    warnings: tuple[str, ...]
    photo: RecordedPhoto | None = None

    @property
    def assessment_id(self) -> int:
        assert self.report.recorded is not None  # a saved report always has its record
        return self.report.recorded.id


def save_measurement(
    app: AppContext,
    measurement: PhotoMeasurement,
    *,
    photo: Photo | None = None,
    keep_photo: bool = False,
) -> SavedMeasurement:
    """Record a photo measurement of one named test as a new re-test of the current
    assessment, with method "photo" (the sides measured only; see the module docstring).

    `measurement` comes from services.measure (measure_photo or measure_landmarks) with
    `test` THOMAS or EXTENSION, as `hipflex measure PHOTO --test thomas|extension --save`
    gives it. `photo` is the photo it was measured on (services.measure.load_photo or
    read_photo); with `keep_photo=True` the photo is also kept, upright and stripped of
    every metadata (EXIF, location), linked to the new re-test for side-by-side comparison
    over time. By default no photo is stored.

    Raises:
        BadInput: a measurement of no named test (`any`), of no side or with a problem
            (the points did not give the test), `keep_photo` without `photo`, or a
            `photo` of another size than the measurement's.
        NoCurrentAssessment (a NotReady): no assessment with self-tests was saved yet.
        SafetyQuestionsFirst (a NotReady): the safety questions were never answered, or
            are due again (a pain rise or sharp pain since the last answers).

    Nothing is saved when it raises."""
    test = _photo_test(measurement)
    measurement.checked()  # the points gave the named test, or why not
    sides = measurement.sides
    found = measurement.thomas if test is PhotoTest.THOMAS else measurement.extension
    if not sides or any(side not in found for side in sides):
        msg = "the photo measured no side: mark the hip, knee and ankle of a leg"
        raise BadInput(msg)
    if keep_photo and photo is None:
        msg = "keeping the photo needs the photo itself"
        raise BadInput(msg)
    if photo is not None and (photo.width, photo.height) != (
        measurement.width,
        measurement.height,
    ):
        msg = "the measurement was made on another photo (its size differs)"
        raise BadInput(msg)
    kept = kept_image(photo) if keep_photo and photo is not None else None
    pelvis = {side: measurement.angles.pelvis_checked(side) for side in sides}
    answers = _answers(app, measurement, test, pelvis)
    report = save_assessment(app, answers, AssessmentKind.RETEST)
    saved = SavedMeasurement(report, test, sides, pelvis, measurement.angles.warnings)
    if kept is None:
        return saved
    stored = app.store.add_photo(
        assessment_id=saved.assessment_id,
        test=test,
        sides=sides,
        image=kept,
        at=app.clock.now(),
    )
    return replace(saved, photo=stored)


def _photo_test(measurement: PhotoMeasurement) -> PhotoTest:
    if measurement.test is TestName.ANY:
        msg = (
            "say which test the photo shows (--test thomas or --test extension) to save it "
            "as a test result"
        )
        raise BadInput(msg)
    return PhotoTest(measurement.test.value)


def _answers(
    app: AppContext, measurement: PhotoMeasurement, test: PhotoTest, pelvis: dict[Side, bool]
) -> AssessmentInput:
    """The current assessment's answers with each measured side of `test` replaced, and
    the newest red-flag answers; refused without a current assessment, or before the
    safety questions stand answered."""
    base = app.store.latest_assessment(with_tests=True)
    answered = app.store.latest_assessment()  # the newest answers to the safety questions
    if base is None or answered is None:
        msg = (
            "there is no assessment to add this measurement to yet: take the assessment "
            "first (`hipflex assess`), then measure a test from a photo as a re-test"
        )
        raise NoCurrentAssessment(msg)
    screening = current_screening(app)
    if screening is Screening.RECHECK:
        msg = (
            "your pain rose or an exercise gave you sharp pain since you last answered the "
            "safety questions: answer them again first (`hipflex assess --safety-only`)"
        )
        raise SafetyQuestionsFirst(msg)
    if screening is Screening.UNSCREENED or answered.assessment.answers.red_flags is None:
        msg = "answer the safety questions first (`hipflex assess --safety-only`)"
        raise SafetyQuestionsFirst(msg)
    given = base.assessment.answers
    thomas = dict(given.thomas)
    extension = dict(given.extension)
    for side in measurement.sides:
        if test is PhotoTest.THOMAS:
            found = measurement.thomas[side]
            thomas[side] = ThomasInput(
                thigh_angle_deg=found.thigh_angle_deg,
                knee_flexion_deg=found.knee_flexion_deg,
                method=MeasurementMethod.PHOTO,
                pelvis_checked=pelvis[side],
            )
        else:
            stretched = measurement.extension[side]
            extension[side] = ExtensionInput(
                degrees=stretched.degrees,
                compensated=stretched.compensated,
                method=MeasurementMethod.PHOTO,
                pelvis_checked=pelvis[side],
            )
    return replace(
        given, thomas=thomas, extension=extension, red_flags=answered.assessment.red_flags
    )


# --- keeping a photo: pixels only -------------------------------------------------------


def kept_image(photo: Photo) -> KeptImage:
    """The photo as kept: upright (load_photo applied its EXIF orientation), at most
    MAX_KEPT_EDGE_PX on a side, re-encoded from its pixels alone, so no EXIF (location
    included), ICC profile or comment comes along."""
    from PIL import Image

    image = photo.image
    if max(image.size) > MAX_KEPT_EDGE_PX:
        image = image.copy()
        image.thumbnail((MAX_KEPT_EDGE_PX, MAX_KEPT_EDGE_PX), Image.Resampling.LANCZOS)
    pixels = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=KEPT_JPEG_QUALITY, optimize=True)
    return KeptImage(out.getvalue(), "image/jpeg", pixels.width, pixels.height)


def checked_image(data: bytes, media_type: str, width: int, height: int) -> KeptImage:
    """A kept photo read back from an export: a JPEG or PNG of the size it states; one
    that carries any metadata (an edited file) is kept again from its pixels only."""
    opened = open_image(data, "the photo's data is not an image hipflex can read")
    formats = {"JPEG": "image/jpeg", "PNG": "image/png"}
    if formats.get(str(opened.format)) != media_type:
        msg = f"the photo's data is {opened.format}, not {media_type}"
        raise BadInput(msg)
    if opened.size != (width, height):
        msg = f"the photo is {opened.width}x{opened.height}, not {width}x{height} as stated"
        raise BadInput(msg)
    if _carries_metadata(opened):
        return kept_image(load_photo(data))
    return KeptImage(data, media_type, width, height)


def _carries_metadata(image: Image) -> bool:
    if image.getexif():
        return True
    if image.format == "JPEG":
        applist = getattr(image, "applist", [])
        return set(image.info) - _PLAIN_JPEG_INFO != set() or any(
            marker != "APP0" for marker, _ in applist
        )
    return bool(set(image.info) - {"dpi", "gamma"}) or bool(getattr(image, "text", {}))
