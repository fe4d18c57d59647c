"""The JSON API in-process on SQLite and PostgreSQL: every route's happy path and contract,
and domain errors as 4xx with a clear detail, never 5xx."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.tracking import SessionSource
from hipflex.services import timezones
from hipflex.services.clock import FixedClock
from tests.web.conftest import API, TIGHT_ASSESSMENT, context_of, record_tight

HH_MM = re.compile(r"^\d\d:\d\d$")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def attachment_name(response: Any) -> str:
    disposition = response.headers["content-disposition"]
    found = re.fullmatch(r'attachment; filename="([^"]+)"', disposition)
    assert found, disposition
    return found.group(1)


# The token and the assessment


def test_csrf_route_gives_the_cookie_token_and_the_header_name(client: TestClient):
    body = ok(client.get(f"{API}/csrf"))
    assert body == {"token": client.cookies["hipflex_csrf"], "header": "X-CSRF-Token"}


def test_recording_an_assessment_is_201_with_the_report(client: TestClient):
    report = ok(client.post(f"{API}/assessments", json=TIGHT_ASSESSMENT), 201)
    assert report["recorded"]["id"] >= 1
    assert report["recorded"]["kind"] == "baseline"
    assert report["recorded"]["recorded_at"].startswith("2026-11-02T09:00:00")
    assert report["outcome"] == "tight"
    assert report["safe_to_exercise"] is True
    assert report["red_flags"] == []
    for side in ("left", "right"):
        assert report["thomas"][side]["result"] == "both_tight"
        assert report["hip_extension"][side]["result"] == "tight"
        assert report["sides"][side]["any_tight"] is True
        assert set(report["sides"][side]["tight_muscles"]) == {"iliopsoas", "rectus_femoris"}
    assert report["sitting"] == {"hours": 9.0, "band": "very_high"}
    assert report["signs"]["count"] == 2
    topics = {(e["topic"], e["side"]) for e in report["explanations"]}
    assert {("thomas", "left"), ("hip_extension", "right"), ("sitting", None)} <= topics
    assert all(e["title"] and e["text"] for e in report["explanations"])
    assert report["next_step"]["title"]
    assert report["disclaimer"]
    saved = context_of(client).store.assessments()
    assert [r.id for r in saved] == [report["recorded"]["id"]]


def test_preview_explains_without_saving(client: TestClient):
    report = ok(client.post(f"{API}/assessments/preview", json=TIGHT_ASSESSMENT))
    assert report["recorded"] is None
    assert report["outcome"] == "tight"
    assert ok(client.get(f"{API}/assessments")) == []


def test_assessments_list_newest_first_with_a_retest(client: TestClient, clock: FixedClock):
    first = record_tight(client)
    ok(client.get(f"{API}/plan"))  # the block starts with the first plan
    clock.advance(14 * 24 * 3600)
    retest_body = {
        **TIGHT_ASSESSMENT,
        "kind": "retest",
        "thomas": {"left": {"thigh": "flat", "knee_flexion_deg": 85}},
    }
    retest = ok(client.post(f"{API}/assessments", json=retest_body), 201)
    assert retest["recorded"]["kind"] == "retest"
    listed = ok(client.get(f"{API}/assessments"))
    assert [a["id"] for a in listed] == [retest["recorded"]["id"], first["recorded"]["id"]]
    assert [a["kind"] for a in listed] == ["retest", "baseline"]
    assert listed[0]["thomas"]["left"]["result"] == "normal"
    assert len(ok(client.get(f"{API}/assessments", params={"limit": 1}))) == 1
    tests = ok(client.get(f"{API}/progress"))["tests"]
    assert [t["kind"] for t in tests] == ["baseline", "retest"]
    assert tests[1]["block_week"] == 3


def test_a_red_flag_gives_no_plan_but_the_reason(client: TestClient):
    report = record_tight(client, red_flags=["saddle_numbness"])
    assert report["safe_to_exercise"] is False
    assert report["red_flags"] == ["saddle_numbness"]
    for route in ("plan", "today"):
        stopped = ok(client.get(f"{API}/{route}"))
        assert stopped["safe_to_exercise"] is False
        assert stopped["sessions"] == []
        assert stopped["needs"] == "clinician"
        assert "warning signs" in stopped["reason"]
    assert client.post(f"{API}/sessions", json={}).status_code == 422


# The programme


def test_plan_follows_the_plan_contract(client: TestClient):
    record_tight(client)
    plan = ok(client.get(f"{API}/plan"))
    assert plan["safe_to_exercise"] is True
    assert plan["week"] == plan["current_week"] == 1
    assert 4 <= plan["weeks_total"] <= 6
    assert plan["sessions_per_day"] in (2, 3)
    assert 30 <= plan["movement_break_minutes"] <= 45
    assert plan["block_started_on"] == "2026-11-02"
    assert isinstance(plan["workplace"], list)
    assert plan["workplace"]
    assert all(tip["id"] and tip["title"] for tip in plan["workplace"])
    # all four sitting set-ups for everyone; without a sit-stand desk (the default) it is last
    setups = [tip["id"] for tip in plan["workplace"][:4]]
    assert setups == ["perch_sitting", "seat_wedge", "lumbar_support", "sit_stand_desk"]
    assert len(plan["sessions"]) == plan["sessions_per_day"]
    assert plan["sessions_per_week"] == 7 * len(plan["sessions"])  # daily, weekends too
    for session in plan["sessions"]:
        assert session["name"]
        assert HH_MM.match(session["time"]), session["time"]
        assert session["exercises"]
        for exercise in session["exercises"]:
            assert exercise["id"]
            assert isinstance(exercise["per_side"], bool)
            assert exercise["reps"] >= 1
            assert exercise.get("hold_seconds") or exercise.get("sets"), exercise
            if "hold_at_top_seconds" in exercise:
                assert exercise["tempo"]
                assert exercise["hold_at_top_seconds"] >= 1
    exercises = {e["id"]: e for s in plan["sessions"] for e in s["exercises"]}
    bridge = exercises["glute_bridge"]
    assert (bridge["sets"], bridge["reps"], bridge["hold_at_top_seconds"]) == (3, 15, 3)
    ids = set(exercises)
    assert "half_kneeling_hip_flexor" in ids
    assert "couch_stretch" not in ids  # never in week 1


def test_plan_of_a_later_week_is_a_projection(client: TestClient):
    record_tight(client)
    plan = ok(client.get(f"{API}/plan", params={"week": 4}))
    assert plan["week"] == 4
    assert plan["projected"] is True
    assert plan["current_week"] == 1


def test_today_has_the_timeline_and_what_comes_next(client: TestClient):
    record_tight(client)
    today = ok(client.get(f"{API}/today"))
    assert today["safe_to_exercise"] is True
    assert today["date"] == "2026-11-02"  # a Monday
    assert today["work_day"] is True
    kinds = {item["kind"] for item in today["items"]}
    assert kinds == {"session", "break"}
    for item in today["items"]:
        assert HH_MM.match(item["start"])
        assert HH_MM.match(item["end"])
        assert item["start"] <= item["end"]
    starts = [item["start"] for item in today["items"]]
    assert starts == sorted(starts)
    assert today["next"] is not None
    assert today["next"]["start"] >= today["now"]


def test_a_request_does_not_walk_the_time_zone_database_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    """Listing every zone is slow (it was 3/4 of GET /today): names are looked up directly."""
    import zoneinfo

    record_tight(client)
    ok(client.get(f"{API}/today"))
    walks: list[int] = []
    walk = zoneinfo.available_timezones

    def counted() -> set[str]:
        walks.append(1)
        return walk()

    monkeypatch.setattr(zoneinfo, "available_timezones", counted)
    monkeypatch.setattr(timezones, "available_timezones", counted, raising=False)
    ok(client.get(f"{API}/today"))
    assert walks == []


def test_preferences_get_and_put(client: TestClient):
    record_tight(client)
    defaults = ok(client.get(f"{API}/preferences"))
    assert defaults["sessions_per_day"] == 2
    assert defaults["work_hours"] == "09:00-17:00"
    changed = ok(
        client.put(
            f"{API}/preferences",
            json={
                "sessions_per_day": 3,
                "break_minutes": 30,
                "work_days": "mon-thu",
                "work_hours": "08:00-16:30",
                "timezone": "Europe/Berlin",
            },
        )
    )
    assert changed["sessions_per_day"] == 3
    assert changed["break_minutes"] == 30
    assert changed["work_days"] == "mon,tue,wed,thu"
    assert changed["work_hours"] == "08:00-16:30"
    assert changed["timezone"] == "Europe/Berlin"
    assert ok(client.get(f"{API}/preferences")) == changed
    plan = ok(client.get(f"{API}/plan"))
    assert plan["sessions_per_day"] == 3
    assert plan["movement_break_minutes"] == 30
    assert plan["time_zone"] == "Europe/Berlin"


BAD_PREFERENCES: list[tuple[dict[str, Any], str]] = [
    ({"sessions_per_day": 7}, "sessions a day"),
    ({"block_weeks": 1}, "block length"),
    ({"break_minutes": 5}, "break"),
    ({"work_days": "someday"}, "work days"),
    ({"work_hours": "25:00-26:00"}, "not a time of day"),
    ({"work_hours": "17:00-09:00"}, "end"),
    ({"timezone": "Mars/Olympus_Mons"}, "time zone"),
]


def test_bad_preferences_are_422_and_change_nothing(client: TestClient):
    before = ok(client.get(f"{API}/preferences"))
    problems = []
    for change, words in BAD_PREFERENCES:
        response = client.put(f"{API}/preferences", json=change)
        if response.status_code != 422 or words not in response.json()["detail"]:
            problems.append((change, response.status_code, response.text))
    assert not problems
    assert ok(client.get(f"{API}/preferences")) == before


# Guided sessions


def test_session_and_break_scripts(client: TestClient):
    record_tight(client)
    script = ok(client.get(f"{API}/sessions/script"))
    assert script["slot"] == "morning"
    assert script["steps"][0]["kind"] == "lead_in"
    assert script["steps"][-1]["kind"] == "done"
    assert script["total_seconds"] == sum(s["seconds"] for s in script["steps"])
    evening = ok(client.get(f"{API}/sessions/script", params={"slot": "evening"}))
    assert evening["slot"] == "evening"
    routine = ok(client.get(f"{API}/break/script"))
    assert routine["name"] == "Movement break"
    assert routine["steps"][-1]["kind"] == "done"


def test_guided_session_start_entries_finish_in_store_and_progress(client: TestClient):
    record_tight(client)
    started = ok(client.post(f"{API}/sessions", json={"slot": "morning", "pain_before": 4}), 201)
    log_id = started["id"]
    assert started["slot"] == "morning"
    holds = [s for s in started["script"]["steps"] if s["records"]]
    assert holds
    for step in holds:
        entry = {
            "exercise_id": step["exercise_id"],
            "side": step["side"],
            "set_number": step["number"] or 1,
            "hold_seconds": step["hold_seconds"],
            "reps": step["reps"],
        }
        ok(client.post(f"{API}/sessions/{log_id}/entries", json=entry), 201)
    finished = ok(
        client.post(f"{API}/sessions/{log_id}/finish", json={"pain_after": 2, "note": "fine"})
    )
    summary = finished.pop("summary")
    assert finished == {"session_id": log_id, "finished": True, "warning": None}
    # the end screen's summary: every hold per side, pain before and after, the streak
    assert sum(d["count"] for d in summary["done"]) == len(holds)
    per_side = {(d["exercise_id"], d["side"]): d["count"] for d in summary["done"]}
    for step in holds:
        assert per_side[step["exercise_id"], step["side"]] == step["of"]
    assert (summary["pain_before"], summary["pain_after"]) == (4, 2)
    assert summary["streak_days"] == 1
    assert summary["sharp_pain"] == []

    (log,) = context_of(client).store.session_logs()
    assert log.id == log_id
    assert log.source is SessionSource.GUIDED
    assert (log.pain_before, log.pain_after, log.note) == (4, 2, "fine")
    assert log.ended_at is not None
    assert [(e.exercise_id.value, e.side and e.side.value) for e in log.entries] == [
        (s["exercise_id"], s["side"]) for s in holds
    ]
    assert all(not e.skipped for e in log.entries)
    progress = ok(client.get(f"{API}/progress"))
    assert progress["sessions"]["done"] == 1
    assert progress["weeks"][0]["sessions_done"] == 1


def test_sharp_pain_entry_pauses_the_exercise_in_the_plan(client: TestClient):
    record_tight(client)
    log_id = ok(client.post(f"{API}/sessions", json={}), 201)["id"]
    entry = {"exercise_id": "half_kneeling_hip_flexor", "side": "left", "sharp_pain": True}
    assert ok(client.post(f"{API}/sessions/{log_id}/entries", json=entry), 201) == {
        "session_id": log_id,
        "exercise_id": "half_kneeling_hip_flexor",
        "sharp_pain": True,
    }
    (log,) = context_of(client).store.session_logs()
    assert log.entries[0].sharp_pain
    assert log.entries[0].skipped
    plan = ok(client.get(f"{API}/plan"))
    ids = {e["id"] for s in plan["sessions"] for e in s["exercises"]}
    assert "half_kneeling_hip_flexor" not in ids
    assert "half_kneeling_hip_flexor" in ok(client.get(f"{API}/progress"))["paused_exercises"]


def test_finish_warns_when_pain_rose_by_2_points_or_more(client: TestClient):
    record_tight(client)
    log_id = ok(client.post(f"{API}/sessions", json={"pain_before": 3}), 201)["id"]
    finished = ok(client.post(f"{API}/sessions/{log_id}/finish", json={"pain_after": 5}))
    summary = finished.pop("summary")
    assert (summary["pain_before"], summary["pain_after"]) == (3, 5)
    assert summary["done"] == []  # nothing done: no streak begins
    assert summary["streak_days"] == 0
    assert finished == {
        "session_id": log_id,
        "finished": True,
        "warning": pain_rise_warning(3, 5),
    }
    assert finished["warning"].startswith("Your pain rose by 2 points or more")


def test_an_interrupted_session_is_offered_until_abandoned(client: TestClient):
    record_tight(client)
    assert ok(client.get(f"{API}/sessions/interrupted")) is None
    started = ok(client.post(f"{API}/sessions", json={"slot": "morning", "pain_before": 4}), 201)
    log_id = started["id"]
    steps = started["script"]["steps"]
    first, second = [s for s in steps if s["records"]][:2]
    entry = {
        "exercise_id": first["exercise_id"],
        "side": first["side"],
        "set_number": first["number"],
        "hold_seconds": first["hold_seconds"],
    }
    ok(client.post(f"{API}/sessions/{log_id}/entries", json=entry), 201)
    offered = ok(client.get(f"{API}/sessions/interrupted"))
    assert offered == {
        "id": log_id,
        "slot": "morning",
        "name": started["script"]["name"],
        "started_at": offered["started_at"],
        "pain_before": 4,
        "resume_at": steps.index(second),  # the next hold (the switch before it is a rest)
        "script": started["script"],
    }
    assert datetime.fromisoformat(offered["started_at"]).tzinfo is not None
    assert ok(client.get(f"{API}/sessions/interrupted", params={"slot": "morning"})) == offered
    # another session asked for: nothing to offer (starting it closes this one)
    assert ok(client.get(f"{API}/sessions/interrupted", params={"slot": "evening"})) is None

    missing = client.post(f"{API}/sessions/{log_id + 1}/abandon")
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"there is no interrupted session {log_id + 1}"
    assert ok(client.post(f"{API}/sessions/{log_id}/abandon")) == {
        "session_id": log_id,
        "abandoned": True,
    }
    assert ok(client.get(f"{API}/sessions/interrupted")) is None
    (log,) = context_of(client).store.session_logs()
    assert log.ended_at is not None
    assert len(log.entries) == 1  # what was done is kept
    assert client.post(f"{API}/sessions/{log_id}/abandon").status_code == 404


def test_starting_a_session_closes_the_interrupted_one(client: TestClient):
    record_tight(client)
    old = ok(client.post(f"{API}/sessions", json={"slot": "morning"}), 201)["id"]
    new = ok(client.post(f"{API}/sessions", json={"slot": "evening"}), 201)["id"]
    assert ok(client.get(f"{API}/sessions/interrupted"))["id"] == new
    closed, opened = context_of(client).store.session_logs()
    assert (closed.id, closed.ended_at is not None) == (old, True)
    assert (opened.id, opened.ended_at) == (new, None)


def test_an_unknown_slot_for_the_interrupted_session_is_a_422(client: TestClient):
    record_tight(client)
    response = client.get(f"{API}/sessions/interrupted", params={"slot": "noon"})
    assert response.status_code == 422


def test_an_entry_for_an_unknown_session_is_a_404(client: TestClient):
    record_tight(client)
    response = client.post(f"{API}/sessions/9999/entries", json={"exercise_id": "plank"})
    assert response.status_code == 404
    assert response.json()["detail"] == "there is no session 9999"


def test_finishing_an_unknown_session_is_a_404(client: TestClient):
    record_tight(client)
    response = client.post(f"{API}/sessions/9999/finish", json={})
    assert response.status_code == 404
    assert response.json()["detail"] == "there is no session 9999"


@pytest.mark.parametrize("log_id", [0, -1, 2**31, 2**63])
def test_a_session_id_no_database_holds_is_a_404(client: TestClient, log_id: int):
    """Found by schemathesis: an id past the database's integers was a 500, not a 404."""
    record_tight(client)
    for path, body in (("entries", {"exercise_id": "plank"}), ("finish", {})):
        response = client.post(f"{API}/sessions/{log_id}/{path}", json=body)
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == f"there is no session {log_id}"


def test_sharp_pain_in_a_break_pauses_the_stretch_until_checked(client: TestClient):
    record_tight(client)
    body = {"exercise_id": "standing_quad_hip_flexor", "side": "right"}
    paused = ok(client.post(f"{API}/break/sharp-pain", json=body), 201)
    assert paused == {"exercise_id": "standing_quad_hip_flexor", "paused": True}
    assert "standing_quad_hip_flexor" in ok(client.get(f"{API}/progress"))["paused_exercises"]
    ids = {e["id"] for s in ok(client.get(f"{API}/plan"))["sessions"] for e in s["exercises"]}
    assert "standing_quad_hip_flexor" not in ids

    checked = ok(client.post(f"{API}/logs/checked", json={"exercise_id": body["exercise_id"]}))
    assert checked == {"exercise_id": "standing_quad_hip_flexor", "paused": False}
    assert ok(client.get(f"{API}/progress"))["paused_exercises"] == []
    ids = {e["id"] for s in ok(client.get(f"{API}/plan"))["sessions"] for e in s["exercises"]}
    assert "standing_quad_hip_flexor" in ids
    again = client.post(f"{API}/logs/checked", json={"exercise_id": body["exercise_id"]})
    assert again.status_code == 422
    assert "not paused" in again.json()["detail"]


def test_break_outcomes_are_logged(client: TestClient):
    record_tight(client)
    done = ok(client.post(f"{API}/logs/breaks", json={"outcome": "done"}), 201)
    assert done == {"outcome": "done", "at": "2026-11-02T09:00:00+00:00"}
    ok(
        client.post(
            f"{API}/logs/breaks",
            json={"outcome": "snoozed", "when": "2026-11-02T09:30:00+01:00"},
        ),
        201,
    )
    events = context_of(client).store.break_events()
    assert sorted(e.outcome.value for e in events) == ["done", "snoozed"]
    assert client.post(f"{API}/logs/breaks", json={"outcome": "ignored"}).status_code == 422


# Logs


def test_logs_pain_sitting_notes(client: TestClient):
    record_tight(client)
    pain = ok(client.post(f"{API}/logs/pain", json={"score": 6}), 201)
    assert pain == {"score": 6, "at": "2026-11-02T09:00:00+00:00", "warning": None}
    earlier = ok(
        client.post(f"{API}/logs/pain", json={"score": 5, "when": "2026-11-02T08:30:00+01:00"}),
        201,
    )
    assert datetime.fromisoformat(earlier["at"]) == datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
    sitting = ok(client.post(f"{API}/logs/sitting", json={"hours": 7.5}), 201)
    assert sitting == {"hours": 7.5, "date": "2026-11-02", "source": "entered"}
    note = ok(client.post(f"{API}/logs/notes", json={"text": "stiff after the train"}), 201)
    assert note["text"] == "stiff after the train"

    store = context_of(client).store
    assert sorted(r.score for r in store.pain_ratings()) == [5, 6]
    assert [e.hours for e in store.sitting_entries()] == [7.5]
    assert [n.text for n in store.notes()] == ["stiff after the train"]
    progress = ok(client.get(f"{API}/progress"))
    assert progress["weeks"][0]["mean_pain"] == 5.5
    assert progress["sitting"]["days"] == {"2026-11-02": 7.5}


def test_manual_session_log(client: TestClient):
    record_tight(client)
    logged = ok(
        client.post(
            f"{API}/logs/sessions",
            json={
                "slot": "evening",
                "skipped": ["pigeon_pose"],
                "pain_before": 3,
                "pain_after": 2,
            },
        ),
        201,
    )
    assert logged["slot"] == "evening"
    assert logged["paused"] == []
    assert logged["warning"] is None
    (log,) = context_of(client).store.session_logs()
    assert log.source is not SessionSource.GUIDED
    assert {e.exercise_id.value for e in log.entries if e.skipped} == {"pigeon_pose"}
    assert ok(client.get(f"{API}/progress"))["sessions"]["done"] == 1


@pytest.mark.parametrize(
    ("before", "after", "warned"), [(2, 4, True), (2, 3, False), (5, 2, False)]
)
def test_manual_session_log_says_the_pain_rise_warning(
    client: TestClient, before: int, after: int, warned: bool
):
    record_tight(client)
    body = {"slot": "morning", "pain_before": before, "pain_after": after}
    logged = ok(client.post(f"{API}/logs/sessions", json=body), 201)
    assert (logged["warning"] is not None) is warned
    if warned:
        assert "2 points" in logged["warning"]


def test_manual_session_with_sharp_pain_reports_the_pause(client: TestClient):
    record_tight(client)
    logged = ok(client.post(f"{API}/logs/sessions", json={"sharp_pain": ["glute_bridge"]}), 201)
    assert logged["paused"] == ["glute_bridge"]


# Progress, charts, downloads


def test_progress_contract(client: TestClient):
    record_tight(client)
    progress = ok(client.get(f"{API}/progress"))
    assert progress["today"] == "2026-11-02"
    assert progress["current_week"] == 1
    assert progress["weeks_total"] == 6
    assert progress["pain"]["verdict"] == "no_data"
    assert progress["pain"]["text"]
    assert len(progress["tests"]) == 1
    assert progress["paused_exercises"] == []


def test_charts_are_svg(client: TestClient):
    record_tight(client)
    client.post(f"{API}/logs/pain", json={"score": 4})
    for name in ("pain", "adherence", "sitting"):
        response = client.get(f"{API}/charts/{name}.svg")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.text.lstrip().startswith("<svg"), name
        assert response.text.rstrip().endswith("</svg>"), name


def test_json_export_downloads_the_data(client: TestClient):
    record_tight(client)
    client.post(f"{API}/logs/pain", json={"score": 4})
    response = client.get(f"{API}/exports/json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert attachment_name(response).endswith(".json")
    data = json.loads(response.text)
    assert data["format"] == "hipflex-export"
    assert len(data["assessments"]) == 1
    assert [p["score"] for p in data["pain_ratings"]] == [4]


def test_csv_export_downloads_rows(client: TestClient):
    record_tight(client)
    client.post(f"{API}/logs/notes", json={"text": "=SUM(A1)"})
    response = client.get(f"{API}/exports/csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert attachment_name(response).endswith(".csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) > 1
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_fhir_export_is_a_bundle(client: TestClient):
    record_tight(client)
    response = client.get(f"{API}/exports/fhir")
    assert response.status_code == 200
    assert attachment_name(response).endswith(".json")
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["entry"]


def test_calendar_parses_with_icalendar(client: TestClient):
    record_tight(client)
    response = client.get(f"{API}/calendar.ics", params={"weeks": 1})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert attachment_name(response) == "hipflex.ics"
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert events
    assert all(str(event["SUMMARY"]) for event in events)
    assert any(list(event.walk("VALARM")) for event in events)


def test_report_pdf_and_html(client: TestClient):
    record_tight(client)
    client.post(f"{API}/logs/pain", json={"score": 4})
    pdf = client.get(f"{API}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert attachment_name(pdf) == "hipflex-report.pdf"
    assert pdf.content.startswith(b"%PDF")
    html = client.get(f"{API}/report.html")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "<svg" in html.text


def test_openapi_lists_every_route(client: TestClient):
    schema = ok(client.get(f"{API}/openapi.json"))
    paths = set(schema["paths"])
    expected = {
        "/csrf",
        "/assessments",
        "/assessments/preview",
        "/plan",
        "/today",
        "/preferences",
        "/sessions/script",
        "/break/script",
        "/sessions",
        "/sessions/{log_id}/entries",
        "/sessions/{log_id}/finish",
        "/break/sharp-pain",
        "/logs/checked",
        "/logs/breaks",
        "/logs/pain",
        "/logs/sitting",
        "/logs/notes",
        "/logs/sessions",
        "/progress",
        "/charts/{name}.svg",
        "/exports/{kind}",
        "/calendar.ics",
        "/report.{kind}",
    }
    assert {f"{API}{path}" for path in expected} <= paths
    assert all(path.startswith(API) for path in paths)


# Errors: 4xx with a clear detail, never 5xx


NEEDS_AN_ASSESSMENT = (
    "plan",
    "today",
    "progress",
    "sessions/script",
    "charts/pain.svg",
    "calendar.ics",
    "report.pdf",
)


def test_before_any_assessment_is_409_with_what_to_do(client: TestClient):
    problems = []
    for route in NEEDS_AN_ASSESSMENT:
        response = client.get(f"{API}/{route}")
        if response.status_code != 409 or "no assessment" not in response.json()["detail"]:
            problems.append((route, response.status_code, response.text))
    for route in ("sessions", "logs/sessions"):
        response = client.post(f"{API}/{route}", json={})
        if response.status_code != 409:
            problems.append((route, response.status_code, response.text))
    assert not problems


#: The safety questions answered "none of them" (required in every assessment).
NONE: dict[str, list[str]] = {"red_flags": []}

BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("logs/pain", {"score": 11}, "less than or equal to 10"),
    ("logs/pain", {"score": -1}, "greater than or equal to 0"),
    ("logs/pain", {"score": 3, "when": "2026-11-02T08:00:00"}, "offset"),
    ("logs/pain", {"score": 3, "when": "2030-01-01T08:00:00+00:00"}, "future"),
    ("logs/sitting", {"hours": 25}, "less than or equal to 24"),
    ("logs/sitting", {"hours": 2, "date": "2999-01-01"}, "future"),
    ("logs/notes", {"text": ""}, "at least 1 character"),
    ("logs/sessions", {"skipped": ["cartwheel"]}, "unknown exercise"),
    ("logs/sessions", {"slot": "midday"}, "no midday session"),
    ("sessions", {"pain_before": 12}, "less than or equal to 10"),
    (
        "assessments",
        {"thomas": {"left": {"thigh": "flat", "knee_flexion_deg": 200}}, **NONE},
        "200",
    ),
    ("assessments", {"hip_extension": {"right": {"degrees": 90}}, **NONE}, "between"),
    ("assessments", {"sitting_hours": 30, **NONE}, "between 0 and 24"),
    ("assessments", {"red_flags": ["headache"]}, "unknown red flag"),
    ("assessments", {"signs": ["itchy"], **NONE}, "unknown sign"),
    ("assessments", {"sitting_hours": 3}, "red_flags"),  # never answered is never "no"
    ("assessments", {"thomas": {"middle": {}}, **NONE}, "left"),
    ("assessments", {"kind": "followup", **NONE}, "baseline"),
]


def test_bad_input_is_422_with_a_clear_detail_and_saves_nothing(client: TestClient):
    record_tight(client)
    ok(client.get(f"{API}/plan"))  # the block starts with the first plan, not on bad input
    before = context_of(client).store.snapshot()
    problems = []
    for route, body, words in BAD_INPUT:
        response = client.post(f"{API}/{route}", json=body)
        if response.status_code != 422 or words not in json.dumps(response.json()["detail"]):
            problems.append((route, body, response.status_code, response.text))
    assert not problems
    assert context_of(client).store.snapshot() == before


def test_bad_session_entry_and_finish_are_422(client: TestClient):
    record_tight(client)
    log_id = ok(client.post(f"{API}/sessions", json={}), 201)["id"]
    problems = []
    for path, body in [
        (f"sessions/{log_id}/entries", {"exercise_id": "cartwheel"}),
        (f"sessions/{log_id}/entries", {"exercise_id": "plank", "hold_seconds": -5}),
        (f"sessions/{log_id}/entries", {"exercise_id": "plank", "side": "middle"}),
        (f"sessions/{log_id}/finish", {"pain_after": 11}),
    ]:
        response = client.post(f"{API}/{path}", json=body)
        if response.status_code != 422 or not response.json()["detail"]:
            problems.append((path, body, response.status_code, response.text))
    assert not problems


MALFORMED: list[tuple[str, str, Any]] = [
    ("GET", "plan?week=0", None),
    ("GET", "plan?week=7", None),
    ("GET", "plan?week=two", None),
    ("GET", "assessments?limit=0", None),
    ("GET", "sessions/script?slot=night", None),
    ("GET", "calendar.ics?weeks=9", None),
    ("GET", "report.docx", None),
    ("GET", "exports/xlsx", None),
    ("GET", "charts/mood.svg", None),
    ("POST", "assessments", "not json"),
    ("POST", "assessments", "{"),
    ("POST", "assessments", [1, 2]),
    ("POST", "logs/pain", {"score": "a lot"}),
    ("POST", "logs/pain", {"score": 3, "when": "yesterday-ish"}),
    ("POST", "logs/pain", {"score": 3, "mood": "low"}),
    ("POST", "sessions/abc/entries", {"exercise_id": "plank"}),
    ("PUT", "preferences", {"sessions_per_day": "two"}),
    ("PUT", "preferences", {"colour": "blue"}),
]


def test_malformed_requests_are_4xx_with_a_detail_never_5xx(client: TestClient):
    record_tight(client)
    problems = []
    for method, path, body in MALFORMED:
        if isinstance(body, str):
            headers = {"content-type": "application/json"}
            response = client.request(method, f"{API}/{path}", content=body, headers=headers)
        else:
            response = client.request(method, f"{API}/{path}", json=body)
        if not 400 <= response.status_code < 500 or not response.json().get("detail"):
            problems.append((method, path, body, response.status_code, response.text))
    assert not problems


def test_unknown_api_route_is_404(client: TestClient):
    assert client.get(f"{API}/nothing-here").status_code == 404
