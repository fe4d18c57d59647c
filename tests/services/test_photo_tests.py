"""A photo measurement saved as a re-test (method "photo"), and the photo kept only by
choice, upright and without EXIF (location included); erasing the data removes it."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from hipflex.config import Settings
from hipflex.domain.assessment import (
    AssessmentInput,
    AssessmentKind,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
)
from hipflex.domain.errors import BadInput, NotReady
from hipflex.domain.goniometry import NO_TRUNK_WARNING, Facing
from hipflex.domain.ids import Side
from hipflex.domain.photos import PhotoTest
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import ExerciseEntry
from hipflex.reports import export_json
from hipflex.services import data
from hipflex.services import measure as measure_service
from hipflex.services.assessments import record_assessment, record_safety_check
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.measure import (
    MarkedPoints,
    Photo,
    PhotoMeasurement,
    load_photo,
    measure_photo,
)
from hipflex.services.photo_tests import (
    NoCurrentAssessment,
    SafetyQuestionsFirst,
    checked_image,
    kept_image,
    save_measurement,
)
from hipflex.services.tracking import log_session

# A Thomas test marked on an 800x600 photo: the table edge level at y=300, the thigh 10
# degrees above it, the knee bent 70 degrees (as in test_measure_service).
THOMAS_POINTS = {
    "table_a": (100.0, 300.0),
    "table_b": (700.0, 300.0),
    "shoulder_left": (150.0, 290.0),
    "hip_left": (400.0, 300.0),
    "knee_left": (498.48, 282.64),
    "ankle_left": (548.48, 369.24),
}
NO_TRUNK = {name: xy for name, xy in THOMAS_POINTS.items() if not name.startswith("shoulder")}

TYPED = AssessmentInput(
    thomas={
        Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=72.0),
        Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=86.0),
    },
    extension={Side.LEFT: ExtensionInput(8.0), Side.RIGHT: ExtensionInput(14.0)},
    sitting_hours=7.0,
    red_flags=frozenset(),
)


def jpeg_with_location(width: int = 800, height: int = 600, orientation: int = 1) -> bytes:
    """A phone-like JPEG: EXIF with a camera make, an orientation and a GPS position, and a
    comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(
        out, format="JPEG", exif=exif, comment=b"at home"
    )
    return out.getvalue()


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in image.info
    assert "comment" not in image.info
    assert "icc_profile" not in image.info
    assert b"PhoneMaker" not in data
    assert b"Exif" not in data
    assert b"at home" not in data


def measured(
    app: AppContext,
    photo: Photo,
    points: dict[str, tuple[float, float]] = THOMAS_POINTS,
    test: measure_service.TestName = measure_service.TestName.THOMAS,
) -> PhotoMeasurement:
    return measure_photo(
        photo,
        MarkedPoints(points, Facing.RIGHT),
        test=test,
        side=Side.LEFT,
        settings=app.settings,
    )


@pytest.fixture
def photo() -> Photo:
    return load_photo(jpeg_with_location())


@pytest.fixture
def assessed(app: AppContext, clock: FixedClock) -> AppContext:
    record_assessment(app, TYPED)
    clock.advance(7 * 24 * 3600)
    return app


# --- which assessment it goes to ----------------------------------------------------------


def test_saving_records_a_new_retest_with_the_measured_side_from_the_photo(
    assessed: AppContext, photo: Photo
):
    baseline = assessed.store.latest_assessment(with_tests=True)
    assert baseline is not None
    saved = save_measurement(assessed, measured(assessed, photo))

    recorded = saved.report.recorded
    assert recorded is not None
    assert recorded.kind is AssessmentKind.RETEST
    assert recorded.block_id is not None  # joins the current block
    assert recorded.id != baseline.id
    assert assessed.store.assessment(baseline.id) == baseline  # never edited
    assert (saved.test, saved.sides) == (PhotoTest.THOMAS, (Side.LEFT,))
    assert saved.pelvis_checked == {Side.LEFT: True}
    assert saved.photo is None
    assert assessed.store.photos() == []  # no photo is kept unless asked

    answers = recorded.assessment.answers
    left = answers.thomas[Side.LEFT]
    assert left.method is MeasurementMethod.PHOTO
    assert left.pelvis_checked is True
    assert left.thigh is None
    assert left.thigh_angle_deg == pytest.approx(10.0, abs=0.1)
    assert left.knee_flexion_deg == pytest.approx(70.0, abs=0.1)
    # everything else is the current assessment's, as it was measured then
    assert answers.thomas[Side.RIGHT] == TYPED.thomas[Side.RIGHT]
    assert answers.extension == TYPED.extension
    assert answers.sitting_hours == TYPED.sitting_hours
    assert answers.red_flags == frozenset()


def test_a_photo_without_the_trunk_says_the_pelvis_was_not_checked(
    assessed: AppContext, photo: Photo
):
    saved = save_measurement(assessed, measured(assessed, photo, NO_TRUNK))
    assert saved.pelvis_checked == {Side.LEFT: False}
    assert NO_TRUNK_WARNING in saved.warnings
    recorded = saved.report.recorded
    assert recorded is not None
    assert recorded.assessment.thomas_given(Side.LEFT).pelvis_checked is False


def test_the_red_flag_answers_are_the_newest_ones(assessed: AppContext, photo: Photo):
    record_safety_check(assessed, frozenset())
    saved = save_measurement(assessed, measured(assessed, photo))
    assert saved.report.assessment.red_flags == frozenset()
    # the copied tests are the newest assessment's with tests, not the safety check's
    assert saved.report.assessment.answers.extension == TYPED.extension


def test_without_a_current_assessment_nothing_is_saved(app: AppContext, photo: Photo):
    with pytest.raises(NoCurrentAssessment, match="take the assessment first"):
        save_measurement(app, measured(app, photo))
    record_safety_check(app, frozenset())  # the safety questions alone have no tests
    with pytest.raises(NoCurrentAssessment):
        save_measurement(app, measured(app, photo))
    assert [r.kind for r in app.store.assessments()] == [AssessmentKind.SAFETY_CHECK]
    assert issubclass(NoCurrentAssessment, NotReady)


def test_while_the_safety_questions_are_due_again_nothing_is_saved(
    assessed: AppContext, photo: Photo, clock: FixedClock
):
    log_session(
        assessed, [ExerciseEntry(ExerciseId.PIGEON_POSE, Side.LEFT, skipped=True, sharp_pain=True)]
    )
    clock.advance(60)
    before = assessed.store.assessments()
    with pytest.raises(SafetyQuestionsFirst, match="answer them again first"):
        save_measurement(assessed, measured(assessed, photo), photo=photo, keep_photo=True)
    assert assessed.store.assessments() == before
    assert assessed.store.photos() == []
    assert issubclass(SafetyQuestionsFirst, NotReady)
    record_safety_check(assessed, frozenset())  # answered again: saving works
    assert save_measurement(assessed, measured(assessed, photo)).report.recorded is not None


def test_a_measurement_of_no_named_test_or_a_photo_to_keep_missing_is_bad_input(
    assessed: AppContext, photo: Photo
):
    with pytest.raises(BadInput, match="--test thomas"):
        save_measurement(assessed, measured(assessed, photo, test=measure_service.TestName.ANY))
    with pytest.raises(BadInput, match="needs the photo"):
        save_measurement(assessed, measured(assessed, photo), keep_photo=True)
    nothing = replace(measured(assessed, photo), sides=())
    with pytest.raises(BadInput, match="measured no side"):
        save_measurement(assessed, nothing)
    refused = replace(measured(assessed, photo), thomas={}, problem="the knee is missing")
    with pytest.raises(BadInput, match="the knee is missing"):
        save_measurement(assessed, refused)
    other = load_photo(jpeg_with_location(640, 480))
    with pytest.raises(BadInput, match="another photo"):
        save_measurement(assessed, measured(assessed, photo), photo=other, keep_photo=True)
    assert len(assessed.store.assessments()) == 1


# --- keeping the photo -----------------------------------------------------------------


def test_a_kept_photo_is_upright_and_carries_no_exif_or_location(assessed: AppContext):
    original = jpeg_with_location(800, 600, orientation=6)  # shown turned a quarter
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo = load_photo(original)
    assert (photo.width, photo.height) == (600, 800)
    # the same pose, smaller, fits the upright (portrait) photo
    points = {name: (x * 0.7, y * 0.7) for name, (x, y) in THOMAS_POINTS.items()}
    measurement = measured(assessed, photo, points)
    saved = save_measurement(assessed, measurement, photo=photo, keep_photo=True)

    assert saved.photo is not None
    (kept,) = assessed.store.photos()
    assert kept == saved.photo
    assert kept.assessment_id == saved.assessment_id
    assert (kept.test, kept.sides) == (PhotoTest.THOMAS, (Side.LEFT,))
    assert (kept.image.width, kept.image.height) == (600, 800)
    assert_no_metadata(kept.image.data)
    assert Image.open(io.BytesIO(kept.image.data)).size == (600, 800)


def test_a_large_photo_is_kept_smaller(photo: Photo):
    large = load_photo(jpeg_with_location(4000, 3000))
    kept = kept_image(large)
    assert max(kept.width, kept.height) == 2048
    assert_no_metadata(kept.data)


def test_erasing_the_data_removes_kept_photos(assessed: AppContext, photo: Photo):
    save_measurement(assessed, measured(assessed, photo), photo=photo, keep_photo=True)
    erased = data.erase(assessed)
    assert erased.counts()["photos"] == 1
    assert assessed.store.photos() == []
    assert data.snapshot(assessed).photos == ()


def test_kept_photos_round_trip_through_the_json_export(
    assessed: AppContext, photo: Photo, tmp_path: Path, clock: FixedClock
):
    save_measurement(assessed, measured(assessed, photo), photo=photo, keep_photo=True)
    original = data.snapshot(assessed)
    text = export_json.dumps(original, clock.now())
    assert '"method": "photo"' in text
    other = AppContext(Settings(data_dir=tmp_path / "other", database_url=None), clock)
    try:
        restored = data.import_snapshot(other, export_json.loads(text))
        (photo_back,) = restored.photos
        assert photo_back.image == original.photos[0].image
        assert photo_back.assessment_id == restored.assessments[-1].id
        thomas = restored.assessments[-1].assessment.thomas_given(Side.LEFT)
        assert (thomas.method, thomas.pelvis_checked) == (MeasurementMethod.PHOTO, True)
    finally:
        other.close()


def test_an_imported_photo_with_metadata_is_kept_without_it():
    original = jpeg_with_location(80, 60)
    kept = checked_image(original, "image/jpeg", 80, 60)
    assert_no_metadata(kept.data)
    plain = kept_image(load_photo(original))
    assert checked_image(plain.data, "image/jpeg", 80, 60).data == plain.data  # already clean
    with pytest.raises(BadInput, match="not 81x60"):
        checked_image(plain.data, "image/jpeg", 81, 60)
    with pytest.raises(BadInput, match="not an image"):
        checked_image(b"no image", "image/jpeg", 80, 60)


def test_an_export_whose_photo_belongs_to_no_assessment_is_refused(
    assessed: AppContext, photo: Photo, tmp_path: Path, clock: FixedClock
):
    save_measurement(assessed, measured(assessed, photo), photo=photo, keep_photo=True)
    original = data.snapshot(assessed)
    (kept,) = original.photos
    broken = replace(original, photos=(replace(kept, assessment_id=999),))
    other = AppContext(Settings(data_dir=tmp_path / "other", database_url=None), clock)
    try:
        with pytest.raises(BadInput, match="photo 1 belongs to assessment 999"):
            data.import_snapshot(other, broken)
        assert data.snapshot(other).empty
    finally:
        other.close()
