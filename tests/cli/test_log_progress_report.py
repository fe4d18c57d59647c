"""`hipflex log ...`, `progress`, `report` and `retest` from the command line."""

from __future__ import annotations

import gc
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from hipflex.domain.assessment import AssessmentInput, MeasurementMethod, ThomasInput
from hipflex.domain.ids import Side
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext, open_app
from hipflex.services.programme import plan_week
from hipflex.services.tracking import record_retest
from hipflex.services.words import NO_PELVIS_WORDS
from tests.cli.conftest import Cli

# Thighs raised on both sides, knees bending past 80: a tight iliopsoas (pigeon pose).
TIGHT_ILIOPSOAS = ["--thomas-left", "raised", "--knee-left", "85", "--thomas-right", "raised",
                   "--knee-right", "90", "--sitting-hours", "7", "--no-red-flags"]  # fmt: skip


@pytest.fixture
def assessed(cli: Cli) -> Cli:
    cli.json("assess", "--json", *TIGHT_ILIOPSOAS)
    return cli


def one_line_error(result: Result, code: int, *fragments: str) -> None:
    """A known error: one plain line on stderr, nothing on stdout, the right exit status."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipflex: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == ""


def plan_ids(cli: Cli) -> set[str]:
    out = cli.json("plan", "--json")
    return {e["id"] for s in out["sessions"] for e in s["exercises"]}


# --- log ---------------------------------------------------------------------------------


def test_log_pain(cli: Cli):
    result = cli("log", "pain", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Logged pain 3/10 at ")
    earlier = cli("log", "pain", "0", "--when", "yesterday 20:00")
    assert earlier.exit_code == 0, earlier.output
    assert "20:00" in earlier.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["11"], "whole number from 0 to 10, not 11"),
        (["--", "-1"], "whole number from 0 to 10"),
        (["3", "--when", "soon"], "is not a time"),
        (["3", "--when", "2099-01-01 08:00"], "in the future"),
    ],
)
def test_log_pain_bad_input(cli: Cli, args: list[str], fragment: str):
    one_line_error(cli("log", "pain", *args), 2, fragment)


def test_log_pain_that_is_not_a_number_is_a_usage_error(cli: Cli):
    result = cli("log", "pain", "2.5")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_log_sitting(cli: Cli):
    result = cli("log", "sitting", "7.5")
    assert result.exit_code == 0, result.output
    assert "Logged 7.5 h of sitting on " in result.stdout
    assert "(high band)" in result.stdout
    yesterday = cli("log", "sitting", "2", "--date", "yesterday")
    assert yesterday.exit_code == 0, yesterday.output
    assert "(low band)" in yesterday.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["25"], "between 0 and 24"),
        (["--", "-1"], "between 0 and 24"),
        (["3", "--date", "2099-01-01"], "2099-01-01 is in the future"),
        (["3", "--date", "someday"], "not a date"),
    ],
)
def test_log_sitting_bad_input(cli: Cli, args: list[str], fragment: str):
    one_line_error(cli("log", "sitting", *args), 2, fragment)


def test_log_note(cli: Cli):
    result = cli("log", "note", "Hips felt looser today")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Noted at ")
    one_line_error(cli("log", "note", "   "), 2, "empty")


def test_log_session_needs_an_assessment(cli: Cli):
    one_line_error(cli("log", "session"), 1, "hipflex assess")


def test_log_session_refuses_an_unknown_or_unplanned_exercise(assessed: Cli):
    one_line_error(assessed("log", "session", "--skipped", "cartwheel"), 2, "unknown exercise")
    one_line_error(
        assessed("log", "session", "--slot", "morning", "--sharp-pain", "pigeon_pose"),
        2,
        "pigeon_pose is not in your morning session",
    )
    one_line_error(assessed("log", "session", "--pain-after", "12"), 2, "0 to 10")


def test_sharp_pain_pauses_an_exercise_until_checked(assessed: Cli):
    assert "pigeon_pose" in plan_ids(assessed)
    result = assessed(
        "log", "session", "--slot", "evening", "--sharp-pain", "pigeon_pose",
        "--pain-before", "3", "--pain-after", "5",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Logged your end-of-day session" in result.stdout
    assert "Sharp pain: exercise paused" in result.stdout
    assert "hipflex log checked pigeon_pose" in " ".join(result.stdout.split())
    assert "pain rose by 2 points or more" in " ".join(result.stdout.split())
    assert "hipflex assess --safety-only" in " ".join(result.stdout.split())

    # sharp pain and the rise ask the safety questions again before any exercise
    stopped = assessed.json("plan", "--json")
    assert stopped["needs"] == "safety_check"
    assert stopped["safe_to_exercise"] is False
    assert "pigeon_pose" not in plan_ids(assessed)
    answered = assessed.json("assess", "--safety-only", "--no-red-flags", "--json")
    assert answered["screening"] == "clear"

    plan = assessed.json("plan", "--json")
    assert plan["removed"] == ["pigeon_pose"]
    assert "pigeon_pose" not in plan_ids(assessed)
    assert assessed.json("progress", "--json")["paused_exercises"] == ["pigeon_pose"]

    checked = assessed("log", "checked", "pigeon_pose")
    assert checked.exit_code == 0, checked.output
    assert "pigeon_pose is back in your plan" in checked.stdout
    assert assessed.json("plan", "--json")["removed"] == []
    assert "pigeon_pose" in plan_ids(assessed)
    one_line_error(assessed("log", "checked", "pigeon_pose"), 2, "pigeon_pose is not paused")


def test_sharp_pain_without_a_slot_finds_the_session_with_that_exercise(assessed: Cli):
    result = assessed("log", "session", "--sharp-pain", "pigeon_pose")
    assert result.exit_code == 0, result.output
    assert assessed("assess", "--safety-only", "--no-red-flags").exit_code == 0
    assert assessed.json("plan", "--json")["removed"] == ["pigeon_pose"]


def test_log_checked_refuses_an_exercise_that_is_not_paused(assessed: Cli):
    one_line_error(assessed("log", "checked", "plank"), 2, "plank is not paused")
    one_line_error(assessed("log", "checked", "cartwheel"), 2, "unknown exercise")


# --- progress ----------------------------------------------------------------------------


def test_progress_json_contract(assessed: Cli):
    assert assessed("log", "pain", "4").exit_code == 0
    assert assessed("log", "sitting", "7").exit_code == 0
    assert assessed("log", "session", "--pain-before", "4", "--pain-after", "3").exit_code == 0
    out = assessed.json("progress", "--json")
    assert set(out) == {
        "today", "block_started_on", "current_week", "weeks_total", "streak_days", "sessions",
        "weeks", "pain", "tests", "changes", "measurement_error_deg", "measurement_errors",
        "asymmetry_deg", "sitting", "safety_events", "paused_exercises",
    }  # fmt: skip
    assert out["current_week"] == 1
    assert out["sessions"]["done"] == 1
    assert out["weeks"][0]["sessions_done"] == 1
    assert out["pain"]["verdict"] == "no_data"
    assert out["measurement_error_deg"] == 19.4
    assert list(out["sitting"]["days"].values()) == [7.0]
    assert out["sitting"]["band_last_7_days"] == "high"
    assert out["streak_days"] == 1
    assert [t["kind"] for t in out["tests"]] == ["baseline"]
    assert out["changes"] == []


def test_progress_text(assessed: Cli):
    result = assessed("progress")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_progress_needs_an_assessment(cli: Cli):
    one_line_error(cli("progress", "--json"), 1, "hipflex assess")


# --- report ------------------------------------------------------------------------------


def test_report_writes_pdf_and_html(assessed: Cli, tmp_path: Path):
    assert assessed("log", "note", "<script>alert(1)</script>").exit_code == 0
    pdf = tmp_path / "report.pdf"
    result = assessed("report", "--out", str(pdf))
    assert result.exit_code == 0, result.output
    assert f"Wrote {pdf}" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    html = tmp_path / "report.html"
    assert assessed("report", "--out", str(html)).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>" not in text
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("report", "."))) == [
        "report.html",
        "report.pdf",
    ]  # no partial files left behind


@pytest.mark.parametrize("terminal", [{}, {"TTY_COMPATIBLE": "1"}, {"FORCE_COLOR": "1"}])
def test_report_shows_its_spinner_only_on_a_terminal(
    assessed: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: dict[str, str]
):
    """Rich draws the spinner where it sees a terminal; a pipe gets nothing on stderr."""
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in terminal.items():
        monkeypatch.setenv(name, value)
    result = assessed("report", "--out", str(tmp_path / "report.html"))
    assert result.exit_code == 0, result.output
    if terminal:
        assert "Drawing the charts and writing the report..." in result.stderr
    else:
        assert result.stderr == ""


def test_report_leaves_the_garbage_collector_on(assessed: Cli, tmp_path: Path):
    """It is off while the report is made (a short process), on again after, also after
    an error (the command runs inside the tests' own process here)."""
    assert assessed("report", "--out", str(tmp_path / "report.html")).exit_code == 0
    assert gc.isenabled()
    assert assessed("report", "--out", str(tmp_path / "report.txt")).exit_code == 2
    assert gc.isenabled()


def test_report_refuses_other_formats(assessed: Cli, tmp_path: Path):
    out = tmp_path / "report.txt"
    one_line_error(assessed("report", "--out", str(out)), 2, ".pdf or .html", "report.txt")
    assert not out.exists()


def test_report_into_a_missing_folder_fails_cleanly(assessed: Cli, tmp_path: Path):
    out = tmp_path / "missing-folder" / "report.html"
    one_line_error(assessed("report", "--out", str(out)), 1, "cannot write")
    assert not out.parent.exists()


def test_report_under_a_file_fails_cleanly(assessed: Cli, tmp_path: Path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "report.html"
    one_line_error(assessed("report", "--out", str(out)), 1, "cannot write")


def test_report_needs_an_assessment(cli: Cli, tmp_path: Path):
    out = tmp_path / "report.pdf"
    one_line_error(cli("report", "--out", str(out)), 1, "hipflex assess")
    assert not out.exists()


# --- retest ------------------------------------------------------------------------------


def test_retest_records_a_retest_of_the_current_block(assessed: Cli):
    assessed.json("plan", "--json")  # the block starts with the first plan
    out = assessed.json(
        "retest", "--json", *TIGHT_ILIOPSOAS[:-3], "--sitting-hours", "6", "--no-red-flags"
    )
    assert out["recorded"]["kind"] == "retest"
    history = assessed.json("history", "--json")
    assert [r["kind"] for r in history] == ["retest", "baseline"]
    progress = assessed.json("progress", "--json")
    assert [t["kind"] for t in progress["tests"]] == ["baseline", "retest"]
    assert progress["tests"][1]["block_week"] == 1
    assert {(c["side"], c["measure"]) for c in progress["changes"]} == {
        ("left", "knee_flexion_deg"),
        ("right", "knee_flexion_deg"),
    }


def test_retest_before_any_block_is_a_baseline(cli: Cli):
    out = cli.json("retest", "--json", *TIGHT_ILIOPSOAS)
    assert out["recorded"]["kind"] == "baseline"


# --- tests measured from a photo ----------------------------------------------------------


def _photo_tests(left_knee: float, *, pelvis_checked: bool) -> AssessmentInput:
    """Both Thomas tests measured on a photo (the right one's pelvis always checked)."""
    photo = MeasurementMethod.PHOTO
    return AssessmentInput(
        thomas={
            Side.LEFT: ThomasInput(None, 2.0, left_knee, photo, pelvis_checked),
            Side.RIGHT: ThomasInput(None, 2.0, 85.0, photo, pelvis_checked=True),
        },
        sitting_hours=7,
        red_flags=frozenset(),
    )


@pytest.fixture
def photo_measured(cli: Cli) -> Cli:
    """A baseline and a re-test two weeks later, both measured on photos: the left knee
    bends 5 degrees more (an error of 7 degrees would hide it), the re-test's left photo
    showed no trunk."""
    app = open_app()
    try:
        record_assessment(app, _photo_tests(70.0, pelvis_checked=True))
        plan_week(app)
        clock = FixedClock(app.clock.now() + timedelta(days=14))
        later = AppContext(app.settings, clock)
        try:
            record_retest(later, _photo_tests(75.0, pelvis_checked=False))
        finally:
            later.close()
    finally:
        app.close()
    return cli


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_progress_says_a_photo_measured_change_is_beyond_measurement_error(
    photo_measured: Cli,
):
    result = photo_measured("progress")
    assert result.exit_code == 0, result.output
    text = _plain(result.stdout)
    assert "70° → 75° (+5°, both from photos, beyond measurement error)" in text
    assert "85° → 85° (+0°, both from photos, within measurement error (under about 3°))" in text
    assert "pelvis could not be" in text  # in the table's narrow cell, over three lines
    assert "measured from a photo" in text  # the error of each method is said
    out = photo_measured.json("progress", "--json")
    knees = {c["side"]: c for c in out["changes"] if c["measure"] == "knee_flexion_deg"}
    assert knees["left"]["beyond_measurement_error"] is True
    assert NO_PELVIS_WORDS in out["tests"][-1]["results"]["left"]["thomas_measured"]


def test_report_says_a_photo_measured_change_is_beyond_measurement_error(
    photo_measured: Cli, tmp_path: Path
):
    html = tmp_path / "report.html"
    result = photo_measured("report", "--out", str(html))
    assert result.exit_code == 0, result.output
    text = _plain(html.read_text(encoding="utf-8"))
    assert "both from photos, beyond measurement error" in text
    assert "from a photo" in text
    assert NO_PELVIS_WORDS in text
