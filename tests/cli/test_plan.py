"""`hipflex plan`, `today`, `settings` and `calendar export` from the command line."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from syrupy.assertion import SnapshotAssertion

from tests.cli.conftest import Cli

TIGHT_TESTS = ["--thomas-left", "raised", "--knee-left", "70", "--thomas-right", "flat",
         "--knee-right", "85", "--sitting-hours", "7"]  # fmt: skip
TIGHT = [*TIGHT_TESTS, "--no-red-flags"]
NORMAL_HIGH_SITTING = ["--thomas-left", "flat", "--knee-left", "85", "--thomas-right", "flat",
                       "--knee-right", "88", "--sitting-hours", "7", "--no-red-flags"]  # fmt: skip


@pytest.fixture
def assessed(cli: Cli) -> Cli:
    cli.json("assess", "--json", *TIGHT)
    return cli


def test_plan_json_contract(assessed: Cli):
    out = assessed.json("plan", "--json")
    assert out["safe_to_exercise"] is True
    assert (out["phase"], out["kind"]) == ("block", "corrective")
    assert out["heading"] == "Week 1 of 6: your programme"
    assert out["sessions_per_week"] == 7 * len(out["sessions"])
    assert out["next_step"] == {"kind": "none", "text": None}
    assert out["optional"] == []
    assert out["week"] == 1
    assert 4 <= out["weeks_total"] <= 6
    assert out["sessions_per_day"] in (2, 3)
    assert 30 <= out["movement_break_minutes"] <= 45
    assert out["workplace"]
    assert len(out["sessions"]) == out["sessions_per_day"]
    for session in out["sessions"]:
        assert session["name"]
        hours, minutes = session["time"].split(":")
        assert 0 <= int(hours) < 24
        assert 0 <= int(minutes) < 60
        ids = [e["id"] for e in session["exercises"]]
        # the half-kneeling stretch first; at work without a floor the standing one
        at_home = session["slot"] == "evening"
        assert ids[0] == ("half_kneeling_hip_flexor" if at_home else "standing_quad_hip_flexor")
        assert session["days"] is None  # every day
        for exercise in session["exercises"]:
            assert isinstance(exercise["per_side"], bool)
            assert "reps" in exercise
            assert ("hold_seconds" in exercise) or ("sets" in exercise)
    evening = out["sessions"][-1]["exercises"][0]
    # tight on the left only: the top of the repeat range there, the bottom on the right
    assert evening["reps_by_side"] == {"left": 3, "right": 2}
    bridge = next(e for s in out["sessions"] for e in s["exercises"] if e["id"] == "glute_bridge")
    assert (bridge["sets"], bridge["reps"], bridge["hold_at_top_seconds"]) == (3, 15, 3)
    assert "couch_stretch" not in {e["id"] for s in out["sessions"] for e in s["exercises"]}


def test_plan_week_preview(assessed: Cli):
    out = assessed.json("plan", "--json", "--week", "4")
    assert out["week"] == 4
    assert out["projected"] is True
    ids = {e["id"] for s in out["sessions"] for e in s["exercises"]}
    assert "couch_stretch" in ids
    holds = [e["hold_seconds"] for s in out["sessions"] for e in s["exercises"]
             if e["id"] == "half_kneeling_hip_flexor"]  # fmt: skip
    assert set(holds) == {60}


def test_plan_text_has_cards_with_cues_and_workplace_advice(assessed: Cli):
    result = assessed("plan")
    assert result.exit_code == 0, result.output
    for expected in ("Week 1 of 6", "Morning session", "End-of-day session",
                     "Half-kneeling hip flexor stretch", "Tuck your tailbone", "At your desk",
                     "Stand up and move every 40 minutes"):  # fmt: skip
        assert expected in result.output


def test_prevention_plan_for_normal_tests_and_high_sitting(cli: Cli):
    cli.json("assess", "--json", *NORMAL_HIGH_SITTING)
    out = cli.json("plan", "--json")
    assert out["kind"] == "prevention"
    for session in out["sessions"]:
        assert [e["id"] for e in session["exercises"]] == ["half_kneeling_hip_flexor"]


def test_red_flag_gives_no_sessions(cli: Cli):
    cli.json("assess", "--json", *TIGHT_TESTS, "--red-flag", "bladder_bowel")
    out = cli.json("plan", "--json")
    assert out["safe_to_exercise"] is False
    assert out["sessions"] == []
    assert "emergency" in out["reason"] or "clinician" in out["reason"]
    text = cli("plan")
    assert "STOP" in text.output
    today = cli.json("today", "--json")
    assert today["safe_to_exercise"] is False


def test_plan_before_any_assessment(cli: Cli):
    result = cli("plan")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "hipflex: error: no assessment saved yet: run `hipflex assess` first"
    )


@pytest.mark.parametrize("week", ["0", "7"])
def test_plan_week_out_of_range(assessed: Cli, week: str):
    result = assessed("plan", "--week", week)
    assert result.exit_code == 2
    assert "outside your 6-week block" in result.stderr


def test_today_json_and_text(assessed: Cli):
    assessed.json("settings", "--json", "--work-days", "mon-sun")  # today is a work day
    out = assessed.json("today", "--json")
    kinds = [item["kind"] for item in out["items"]]
    assert kinds.count("session") == 2
    assert "break" in kinds
    text = assessed("today")
    assert text.exit_code == 0
    assert "Movement break" in text.output


def test_settings_view_change_and_reject(cli: Cli):
    shown = cli.json("settings", "--json")
    assert shown["sessions_per_day"] == 2
    assert shown["break_minutes"] == 40
    changed = cli.json(
        "settings", "--json", "--sessions-per-day", "3", "--work-hours", "08:00-16:30",
        "--work-days", "mon-thu", "--floor-at-work", "--timezone", "Europe/Berlin",
        "--floor-get-ready", "30",
    )  # fmt: skip
    assert changed == {
        "sessions_per_day": 3,
        "block_weeks": 6,
        "break_minutes": 40,
        "work_days": "mon,tue,wed,thu",
        "work_hours": "08:00-16:30",
        "floor_at_work": True,
        "sit_stand_desk": False,
        "timezone": "Europe/Berlin",
        "floor_get_ready_seconds": 30,
    }
    assert cli.json("settings", "--json") == changed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--break-minutes", "29"], "from 30 to 45 minutes"),
        (["--break-minutes", "46"], "from 30 to 45 minutes"),
        (["--sessions-per-day", "1"], "sessions a day must be from 2 to 3"),
        (["--block-weeks", "8"], "from 4 to 6 weeks"),
        (["--work-days", "weekdays"], "work days 'weekdays' not understood"),
        (["--work-hours", "9-5"], "not a time of day"),
        (["--work-hours", "17:00-09:00"], "must end at least 60 minutes after"),
        (["--timezone", "Moon/Crater"], "unknown time zone"),
        (["--floor-get-ready", "9"], "from 10 to 60 seconds"),
        (["--timezone", "9" * 300], "unknown time zone"),
    ],
)
def test_settings_reject_bad_values_in_one_line(cli: Cli, args: list[str], message: str):
    before = cli.json("settings", "--json")
    result = cli("settings", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert cli.json("settings", "--json") == before


def test_calendar_export_writes_a_valid_file(assessed: Cli, tmp_path: Path):
    target = tmp_path / "plan.ics"
    result = assessed(
        "calendar", "export", str(target), "--weeks", "2", "--timezone", "Europe/Paris"
    )
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert not list(tmp_path.glob(".*partial"))
    assert "2 weeks of daily sessions" in result.output


def test_calendar_export_counts_in_words(assessed: Cli, tmp_path: Path):
    result = assessed("calendar", "export", str(tmp_path / "one.ics"), "--weeks", "1")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # one week: sessions on 7 days, breaks on 5 work days; the two series' events
    assert "1 week of daily sessions, movement breaks on 5 work days," in text
    assert "1 weeks" not in text


def test_calendar_export_errors(assessed: Cli, tmp_path: Path):
    bad_folder = assessed("calendar", "export", str(tmp_path / "missing" / "x.ics"))
    assert bad_folder.exit_code == 1
    assert bad_folder.stderr.startswith("hipflex: error: cannot write")
    too_many = assessed("calendar", "export", str(tmp_path / "x.ics"), "--weeks", "9")
    assert too_many.exit_code == 2
    assert not (tmp_path / "x.ics").exists()


def test_plan_text_snapshot(assessed: Cli, snapshot: SnapshotAssertion):
    assert assessed("plan", "--week", "2").output == snapshot
