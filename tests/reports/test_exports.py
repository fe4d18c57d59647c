"""The JSON, CSV and FHIR exports of one realistic set of data."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from syrupy.assertion import SnapshotAssertion
from tests.services.test_data import fill

from hipflex.domain.assessment import (
    AssessmentInput,
    ExtensionInput,
    MeasurementMethod,
    ThighPosition,
    ThomasInput,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.ids import Side
from hipflex.domain.preferences import Preferences
from hipflex.domain.tracking import Note
from hipflex.reports import export_csv, export_fhir, export_json
from hipflex.services import data
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.tracking import record_retest

LOINC_PAIN = "72514-3"
LEFT, RIGHT = "7771000", "24028007"


def _export(app: AppContext, clock: FixedClock) -> data.Snapshot:
    app.store.save_preferences(Preferences(timezone="Europe/Berlin"), at=clock.now())
    fill(app, clock)
    return data.snapshot(app)


@pytest.fixture
def exported(app: AppContext, clock: FixedClock) -> data.Snapshot:
    return _export(app, clock)


@pytest.fixture(scope="module")
def one_export(tmp_path_factory: pytest.TempPathFactory) -> data.Snapshot:
    """The same data once, on SQLite, for the tests that only change its JSON document
    (they check the import's validation, which never reads the database)."""
    from datetime import datetime

    from hipflex.config import Settings

    clock = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    folder = tmp_path_factory.mktemp("one-export")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'h.db'}")
    app = AppContext(settings, clock)
    try:
        return _export(app, clock)
    finally:
        app.close()


# CSV


def _rows(snapshot: data.Snapshot) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export_csv.build_csv(snapshot))))


def test_csv_columns_and_times_in_your_zone(exported: data.Snapshot):
    text = export_csv.build_csv(exported)
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["date_time", "record", "side", "measure", "value", "unit", "detail"]
    rows = _rows(exported)
    first = next(row for row in rows if row["record"] == "assessment")
    assert first["date_time"] == "2026-11-02T10:00:00+01:00"  # 09:00 UTC in Berlin
    assert rows[0]["date_time"] == "2026-11-02"  # a whole day sorts at its start
    assert {row["record"] for row in rows} == {
        "assessment",
        "session",
        "exercise",
        "pain",
        "sitting",
        "note",
        "clearance",
        "break",
    }


def test_csv_has_every_angle_on_both_sides(exported: data.Snapshot):
    rows = _rows(exported)
    baseline = [r for r in rows if r["record"] == "assessment" and r["detail"] == "baseline"]
    found = {(r["side"], r["measure"]): (r["value"], r["unit"]) for r in baseline}
    assert found[("left", "thomas_knee_flexion")] == ("72", "deg")
    assert found[("right", "thomas_knee_flexion")] == ("86", "deg")
    assert found[("right", "thomas_thigh_angle")] == ("-2.5", "deg")
    assert found[("left", "thomas_thigh")] == ("raised", "")
    assert found[("left", "thomas_result")] == ("both_tight", "")
    assert found[("right", "thomas_result")] == ("normal", "")
    assert found[("left", "hip_extension")] == ("8", "deg")
    assert found[("right", "hip_extension_compensated")] == ("yes", "")
    assert found[("right", "hip_extension_result")] == ("tight", "")
    assert found[("", "sitting_hours_usual_day")] == ("7.5", "h")
    retest = [r for r in rows if r["record"] == "assessment" and r["detail"] != "baseline"]
    assert retest
    assert all(r["detail"].startswith("retest, block ") for r in retest)
    assert all(r["detail"].endswith("week 3") for r in retest)


def test_csv_has_pain_sitting_sessions_and_exercises(exported: data.Snapshot):
    rows = _rows(exported)

    def one(record: str, measure: str) -> dict[str, str]:
        (row,) = [r for r in rows if r["record"] == record and r["measure"] == measure]
        return row

    assert (one("pain", "pain")["value"], one("pain", "pain")["unit"]) == ("5", "0-10")
    assert one("session", "pain_before")["value"] == "5"
    assert one("session", "pain_after")["value"] == "3"
    assert one("session", "note")["value"] == "felt easier"
    assert one("sitting", "sitting_hours")["value"] == "8"
    assert one("sitting", "sitting_hours")["date_time"] == "2026-11-02"
    holds = [r for r in rows if r["record"] == "exercise" and r["measure"] == "hold"]
    assert {(r["side"], r["value"], r["unit"]) for r in holds} >= {
        ("left", "30", "s"),
        ("right", "30", "s"),
    }
    assert one("exercise", "reps")["detail"] == "glute_bridge set 1"
    assert one("exercise", "skipped")["detail"] == "pigeon_pose set 1"
    assert one("exercise", "sharp_pain")["detail"] == "plank set 1"
    assert one("note", "note")["value"] == "new chair at work"
    assert one("clearance", "cleared_after_sharp_pain")["value"] == "plank"
    assert one("break", "movement_break")["value"] == "snoozed"


def test_csv_quotes_text_with_commas_and_line_breaks(exported: data.Snapshot):
    odd = 'one, "two"\r\nthree'
    snapshot = replace(exported, notes=(Note(exported.notes[0].at, odd),))
    (row,) = [r for r in _rows(snapshot) if r["record"] == "note"]
    assert row["value"] == odd


def test_csv_keeps_spreadsheets_from_running_notes_as_formulas(exported: data.Snapshot):
    risky = ('=HYPERLINK("http://x.example","?")', "+1+2", "-3", "@SUM(A1)", "\tx", "\r=1")
    at = exported.notes[0].at
    session = exported.sessions[0]
    snapshot = replace(
        exported,
        notes=tuple(Note(at, text) for text in risky),
        sessions=(replace(session, log=replace(session.log, note="=1+1")),),
    )
    rows = _rows(snapshot)
    notes = [r["value"] for r in rows if r["record"] == "note"]
    assert sorted(notes) == sorted(f"'{text}" for text in risky)
    (session_note,) = [r for r in rows if r["record"] == "session" and r["measure"] == "note"]
    assert session_note["value"] == "'=1+1"
    # numbers stay numbers, a negative angle included
    angle = [r for r in rows if r["measure"] == "thomas_thigh_angle" and r["side"] == "right"]
    assert angle[0]["value"] == "-2.5"
    assert all(not r["value"].startswith("'") for r in rows if r["unit"])


def test_csv_of_nothing_is_just_the_header():
    assert export_csv.build_csv(data.Snapshot(), UTC).splitlines() == [",".join(export_csv.COLUMNS)]


def test_csv_snapshot(exported: data.Snapshot, snapshot: SnapshotAssertion):
    assert export_csv.build_csv(exported, ZoneInfo("Europe/Berlin")) == snapshot


# FHIR


def _bundle(snapshot: data.Snapshot, clock: FixedClock) -> dict[str, Any]:
    return export_fhir.build_bundle(snapshot, clock.now())


def _observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]


def test_fhir_bundle_validates(exported: data.Snapshot, clock: FixedClock):
    bundle = _bundle(exported, clock)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert all(isinstance(e.resource, Observation) for e in parsed.entry[1:])
    # and from the JSON text the command writes
    Bundle.model_validate_json(export_fhir.bundle_json(exported, clock.now()))


def test_fhir_one_patient_without_personal_data_is_the_subject(
    exported: data.Snapshot, clock: FixedClock
):
    bundle = _bundle(exported, clock)
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1
    patient = patients[0]
    assert set(patient["resource"]) <= {"resourceType", "id", "active"}
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    for observation in _observations(bundle):
        assert observation["subject"] == {"reference": patient["fullUrl"]}


def test_fhir_pain_is_loinc_72514_3(exported: data.Snapshot, clock: FixedClock):
    pain = [
        o
        for o in _observations(_bundle(exported, clock))
        if o["code"]["coding"][0]["code"] == LOINC_PAIN
    ]
    assert len(pain) == 3  # the daily rating, and before and after the session
    for observation in pain:
        coding = observation["code"]["coding"][0]
        assert coding["system"] == "http://loinc.org"
        assert coding["display"] == (
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
        )
        assert isinstance(observation["valueInteger"], int)
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["effectiveDateTime"].endswith("+00:00")
    notes = sorted(o["note"][0]["text"].split()[0] for o in pain)
    assert notes == ["After", "Before", "Daily"]
    values = {o["note"][0]["text"].split()[0]: o["valueInteger"] for o in pain}
    assert values == {"Daily": 5, "Before": 5, "After": 3}


def test_fhir_angles_are_degrees_with_laterality_on_both_sides(
    exported: data.Snapshot, clock: FixedClock
):
    angles = [
        o
        for o in _observations(_bundle(exported, clock))
        if o["category"][0]["coding"][0]["code"] == "exam"
    ]
    measured = [o for o in angles if "valueQuantity" in o]
    assert measured
    for observation in measured:
        quantity = observation["valueQuantity"]
        assert (quantity["system"], quantity["code"], quantity["unit"]) == (
            "http://unitsofmeasure.org",
            "deg",
            "deg",
        )
    sites = {o["bodySite"]["coding"][0]["code"] for o in angles}
    assert {site.rsplit("=", 1)[1] for site in sites} == {LEFT, RIGHT}
    assert {site.split(":")[0] for site in sites} == {"24136001", "72696002"}  # hip, knee
    codes = {(o["code"]["coding"][0]["code"], o["bodySite"]["text"]) for o in angles}
    for side in ("Left", "Right"):
        assert ("thomas-knee-flexion", f"{side} knee region") in codes
        assert ("thomas-thigh-angle", f"{side} hip joint") in codes
        assert ("hip-extension", f"{side} hip joint") in codes


def test_fhir_angles_carry_the_result(exported: data.Snapshot, clock: FixedClock):
    angles = [
        o
        for o in _observations(_bundle(exported, clock))
        if o["category"][0]["coding"][0]["code"] == "exam"
    ]
    left_knee = next(
        o
        for o in angles
        if o["code"]["coding"][0]["code"] == "thomas-knee-flexion"
        and o["bodySite"]["text"] == "Left knee region"
        and "Baseline" in o["note"][0]["text"]
    )
    assert left_knee["valueQuantity"]["value"] == 72.0
    interpretation = {c["coding"][0]["code"] for c in left_knee["interpretation"]}
    assert interpretation == {"A", "both_tight"}
    # a thigh judged by eye and a compensated extension have no angle, and say why
    unmeasured = [o for o in angles if "valueQuantity" not in o]
    assert unmeasured
    for observation in unmeasured:
        assert observation["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
    normal = next(o for o in angles if "Re-test" in o["note"][0]["text"])
    assert {c["coding"][0]["code"] for c in normal["interpretation"]} == {"N", "normal"}


def test_fhir_sitting_hours_are_ucum_h(exported: data.Snapshot, clock: FixedClock):
    sitting = [
        o
        for o in _observations(_bundle(exported, clock))
        if o["code"]["coding"][0]["code"] == "sitting-hours"
    ]
    assert {o["valueQuantity"]["value"] for o in sitting} == {7.5, 8.0}
    for observation in sitting:
        assert observation["valueQuantity"]["code"] == "h"
        assert observation["valueQuantity"]["system"] == "http://unitsofmeasure.org"
    assert "2026-11-02" in {o["effectiveDateTime"] for o in sitting}


def test_fhir_export_is_stable(exported: data.Snapshot, clock: FixedClock):
    assert export_fhir.bundle_json(exported, clock.now()) == export_fhir.bundle_json(
        exported, clock.now()
    )


def test_fhir_of_nothing_is_a_patient_alone(clock: FixedClock):
    bundle = export_fhir.build_bundle(data.Snapshot(), clock.now())
    assert len(bundle["entry"]) == 1
    Bundle.model_validate(bundle)


# JSON


def _document(exported: data.Snapshot, clock: FixedClock) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(export_json.dumps(exported, clock.now()))
    return result


def test_json_header_and_plain_types(exported: data.Snapshot, clock: FixedClock):
    document = _document(exported, clock)
    assert list(document)[:3] == ["format", "version", "exported_at"]
    assert document["format"] == "hipflex-export"
    assert document["version"] == 1
    assert document["exported_at"] == clock.now().isoformat()
    assert document["preferences"]["timezone"] == "Europe/Berlin"
    sides = document["assessments"][0]["sides"]
    assert set(sides) == {"left", "right"}
    assert sides["left"]["thomas"]["knee_flexion_deg"] == 72.0
    assert document["assessments"][1]["block_id"] == document["blocks"][0]["id"]


def test_json_round_trip(exported: data.Snapshot, clock: FixedClock):
    assert export_json.loads(export_json.dumps(exported, clock.now())) == exported


def test_json_snapshot(exported: data.Snapshot, clock: FixedClock, snapshot: SnapshotAssertion):
    assert _document(exported, clock) == snapshot


def _error(document: Any) -> str:
    with pytest.raises(BadInput) as caught:
        export_json.loads(json.dumps(document))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_json_wrong_format_or_version(one_export: data.Snapshot, clock: FixedClock):
    document = _document(one_export, clock)
    assert "not a hipflex export" in _error({**document, "format": "something-else"})
    del document["format"]
    assert 'no "format" key' in _error(document)
    document = _document(one_export, clock)
    assert "version 2" in _error({**document, "version": 2})
    assert "newer hipflex" in _error({**document, "version": 2})
    assert "version 0" in _error({**document, "version": 0})
    assert 'no usable "version"' in _error({**document, "version": "1"})
    assert "not a JSON object" in _error([1, 2])


def test_json_missing_key_is_named(one_export: data.Snapshot, clock: FixedClock):
    document = _document(one_export, clock)
    del document["assessments"][1]["kind"]
    assert _error(document) == "this export cannot be imported: assessments[1].kind is missing"
    document = _document(one_export, clock)
    del document["sessions"][0]["entries"][2]["reps"]
    assert "sessions[0].entries[2].reps is missing" in _error(document)
    document = _document(one_export, clock)
    del document["assessments"][0]["sides"]["right"]
    assert "assessments[0].sides.right is missing" in _error(document)
    document = _document(one_export, clock)
    del document["notes"]
    assert _error(document).endswith(": notes is missing")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("pain_ratings", 0, "score"), 11, "pain_ratings[0]: pain must be a whole number"),
        (("pain_ratings", 0, "score"), 4.5, "pain_ratings[0].score: expected a whole number"),
        (("pain_ratings", 0, "at"), "2026-11-02T09:00:00", "needs a UTC offset"),
        (("pain_ratings", 0, "at"), "yesterday", "pain_ratings[0].at: 'yesterday' is not an ISO"),
        (("sitting", 0, "hours"), 25, "sitting[0]: sitting hours must be between 0 and 24"),
        (("sitting", 0, "day"), "2026-13-01", "sitting[0].day: '2026-13-01' is not a date"),
        (("sitting", 0, "source"), "guessed", "sitting[0].source: unknown value 'guessed'"),
        (("assessments", 0, "kind"), "final", "assessments[0].kind: unknown value 'final'"),
        (
            ("assessments", 0, "sides", "left", "thomas", "knee_flexion_deg"),
            500,
            "assessments[0]: Thomas test, left side: the knee bend must be between 0 and 180",
        ),
        (("assessments", 0, "signs"), "swayback", "assessments[0].signs: expected a list"),
        (("assessments", 0, "signs", 0), "limp", "assessments[0].signs[0]: unknown value 'limp'"),
        (("sessions", 0, "entries", 0, "set_number"), 0, "set number must be between 1 and"),
        (("sessions", 0, "entries", 0, "skipped"), "no", "expected true or false"),
        (("preferences", "block_weeks"), 9, "preferences: the block length must be from 4 to 6"),
        (("preferences", "timezone"), "Mars/Base", "preferences.timezone: unknown time zone"),
        (("preferences", "work_start"), "nine", "preferences.work_start: the time 'nine'"),
        (("clearances", 0, "exercise_id"), "yoga", "clearances[0].exercise_id: unknown value"),
        (("blocks", 0), "a block", "blocks[0]: expected an object"),
    ],
)
def test_json_bad_value_is_named(
    one_export: data.Snapshot,
    clock: FixedClock,
    path: tuple[str | int, ...],
    value: object,
    expected: str,
):
    document = _document(one_export, clock)
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    message = _error(document)
    assert message.startswith("this export cannot be imported: ")
    assert expected in message


def test_json_that_is_not_json():
    with pytest.raises(BadInput, match=r"not valid JSON: .* \(line 1, column 1\)"):
        export_json.loads("hello")
    with pytest.raises(BadInput, match="NaN is not a number JSON allows"):
        export_json.loads('{"format": "hipflex-export", "version": 1, "x": NaN}')


# How each test was measured: typed in ("self") or on a side photo ("photo")

PHOTO_RETEST = AssessmentInput(
    thomas={
        Side.LEFT: ThomasInput(
            None, 3.5, 78.5, method=MeasurementMethod.PHOTO, pelvis_checked=False
        ),
        Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=88.0),
    },
    extension={
        Side.LEFT: ExtensionInput(11.5, method=MeasurementMethod.PHOTO, pelvis_checked=True),
    },
    red_flags=frozenset(),
)


@pytest.fixture
def photo_exported(app: AppContext, clock: FixedClock) -> data.Snapshot:
    """The realistic data, then a re-test measured partly on a photo."""
    fill(app, clock)
    clock.advance(24 * 3600)
    record_retest(app, PHOTO_RETEST)
    return data.snapshot(app)


def _latest_sides(document: dict[str, Any]) -> dict[str, Any]:
    sides: dict[str, Any] = document["assessments"][-1]["sides"]
    return sides


def test_json_keeps_the_method_and_pelvis_check_per_side_per_test(
    photo_exported: data.Snapshot, clock: FixedClock
):
    document = _document(photo_exported, clock)
    sides = _latest_sides(document)
    assert sides["left"]["thomas"]["method"] == "photo"
    assert sides["left"]["thomas"]["pelvis_checked"] is False
    assert sides["left"]["hip_extension"] == {
        "result": "normal",
        "degrees": 11.5,
        "compensated": False,
        "method": "photo",
        "pelvis_checked": True,
    }
    assert sides["right"]["thomas"]["method"] == "self"
    assert sides["right"]["thomas"]["pelvis_checked"] is None
    assert export_json.loads(export_json.dumps(photo_exported, clock.now())) == photo_exported


def test_an_export_from_before_photos_imports_every_test_as_typed_in(
    photo_exported: data.Snapshot, clock: FixedClock
):
    document = _document(photo_exported, clock)
    del document["photos"]
    for assessment in document["assessments"]:
        for side in assessment["sides"].values():
            for test in ("thomas", "hip_extension"):
                del side[test]["method"]
                del side[test]["pelvis_checked"]
    loaded = export_json.loads(json.dumps(document))
    assert loaded.photos == ()
    for recorded in loaded.assessments:
        for side in Side:
            for given in (
                recorded.assessment.thomas_given(side),
                recorded.assessment.extension_given(side),
            ):
                assert (given.method, given.pelvis_checked) == (MeasurementMethod.SELF, None)
    # everything else is as it was
    assert [r.assessment.sides for r in loaded.assessments] == [
        r.assessment.sides for r in photo_exported.assessments
    ]


@pytest.mark.parametrize(
    ("test", "key", "value", "expected"),
    [
        ("thomas", "method", "by-eye", "sides.left.thomas.method"),
        ("hip_extension", "pelvis_checked", "yes", "sides.left.hip_extension.pelvis_checked"),
    ],
)
def test_a_bad_method_in_an_export_is_named(
    photo_exported: data.Snapshot,
    clock: FixedClock,
    *,
    test: str,
    key: str,
    value: object,
    expected: str,
):
    document = _document(photo_exported, clock)
    _latest_sides(document)["left"][test][key] = value
    assert expected in _error(document)


def test_a_pelvis_check_on_a_test_typed_in_is_refused(
    photo_exported: data.Snapshot, clock: FixedClock
):
    document = _document(photo_exported, clock)
    _latest_sides(document)["right"]["thomas"]["pelvis_checked"] = True
    assert "photo measurement only" in _error(document)


def test_csv_says_how_each_test_was_measured(photo_exported: data.Snapshot):
    rows = _rows(photo_exported)
    latest = max(r["date_time"] for r in rows if r["measure"] == "thomas_method")
    found = {
        (r["measure"], r["side"]): r["value"]
        for r in rows
        if r["date_time"] == latest and ("method" in r["measure"] or "pelvis" in r["measure"])
    }
    assert found == {
        ("thomas_method", "left"): "photo",
        ("thomas_pelvis_checked", "left"): "no",
        ("thomas_method", "right"): "self",
        ("hip_extension_method", "left"): "photo",
        ("hip_extension_pelvis_checked", "left"): "yes",
    }
    earlier = {
        r["value"] for r in rows if r["measure"].endswith("_method") and r["date_time"] < latest
    }
    assert earlier == {"self"}


def test_fhir_angles_say_how_they_were_measured(photo_exported: data.Snapshot, clock: FixedClock):
    bundle = _bundle(photo_exported, clock)
    Bundle.model_validate(bundle)
    angles = [o for o in _observations(bundle) if o["category"][0]["coding"][0]["code"] == "exam"]
    methods = {
        (
            o["code"]["coding"][0]["code"],
            o["bodySite"]["text"].split()[0],
            o["effectiveDateTime"],
        ): o["method"]
        for o in angles
    }
    latest = max(when for _, _, when in methods)
    for (code, side, when), method in methods.items():
        (coding,) = method["coding"]
        assert coding["system"] == export_fhir.METHOD
        photo = when == latest and side == "Left"
        assert coding["code"] == ("photo" if photo else "self"), (code, side, when)
        assert ("side photo" in method["text"]) is photo
        assert ("Self-measured" in method["text"]) is not photo
    unchecked = [
        o for o in angles if any(n["text"] == export_fhir.NO_PELVIS_NOTE for n in o.get("note", []))
    ]
    assert {(o["code"]["coding"][0]["code"], o["bodySite"]["text"]) for o in unchecked} == {
        ("thomas-thigh-angle", "Left hip joint"),
        ("thomas-knee-flexion", "Left knee region"),
    }
