"""A photo measurement saved as test results, and the photo itself kept only by choice.

What "the current assessment" means here: saving never edits a saved assessment. It
records a new re-test of the current block (services/blocks.save_assessment decides the
block, the week and, at a block's end, what comes next), or the first baseline when there
is none, carrying each side measured on the photo (method "photo") and copying every
other answer from the newest assessment with self-tests: the other side, the other test,
sitting hours and signs. The red-flag answers are the newest answers to the safety
questions (a safety check's included), unchanged. So nothing but the measured test moves.

Nothing is saved before the safety questions are answered, nor while they are due again
(a pain rise or sharp pain since the last answers): the user answers them first.

Privacy (DESIGN.md): photos are processed on this machine only. A photo is kept only when
asked (`store_photo`), re-encoded from its upright pixels alone, so no EXIF (location
included), no ICC profile and no comment is stored; `hipflex data erase` deletes it with
everything else.
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
from hipflex.domain.photos import MAX_KEPT_EDGE_PX, KeptImage, PhotoTest, RecordedPhoto
from hipflex.services.assessments import AssessmentReport
from hipflex.services.blocks import save_assessment
from hipflex.services.context import AppContext
from hipflex.services.measure import Photo, PhotoMeasurement, TestName, load_photo
from hipflex.services.safety import recheck_due

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
    store_photo: bool = False,
) -> SavedMeasurement:
    """Record a photo measurement of one named test (`--test thomas` or `extension`) as a
    new re-test of the current block, or the first baseline (see the module's docstring).

    Raises BadInput for a measurement of no named test (`any`), or `store_photo` without
    the photo; SafetyQuestionsFirst when the safety questions were never answered or are
    due again. With `store_photo`, the photo is kept stripped of its metadata, linked to
    the new assessment."""
    test = _photo_test(measurement)
    sides = measurement.sides
    if not sides:
        msg = "the photo measured no side: mark the hip, knee and ankle of a leg"
        raise BadInput(msg)
    if store_photo and photo is None:
        msg = "keeping the photo needs the photo itself"
        raise BadInput(msg)
    kept = kept_image(photo) if store_photo and photo is not None else None
    pelvis = {side: measurement.angles.trunk_lean(side) is not None for side in sides}
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
    """The newest tested assessment's answers with each measured side of `test` replaced,
    and the newest red-flag answers; refused before the safety questions stand answered."""
    answered = app.store.latest_assessment()  # the newest answers to the safety questions
    if answered is None:
        msg = (
            "answer the safety questions first: take the assessment (`hipflex assess`) "
            "before saving a measurement"
        )
        raise SafetyQuestionsFirst(msg)
    if recheck_due(app):
        msg = (
            "your pain rose or an exercise gave you sharp pain since you last answered the "
            "safety questions: answer them again first (`hipflex assess --safety-only`)"
        )
        raise SafetyQuestionsFirst(msg)
    base = app.store.latest_assessment(with_tests=True)
    given = base.assessment.answers if base is not None else AssessmentInput()
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
    from PIL import Image, UnidentifiedImageError

    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        msg = "the photo's data is not an image hipflex can read"
        raise BadInput(msg) from None
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
