"""The pages read the domain's numbers as data: no second copy in a template or script."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from hipflex.domain import limits
from hipflex.reports.formats import ExportFormat
from hipflex.services.clock import FixedClock
from tests.web.conftest import API, record_tight

STATIC_JS = files("hipflex.web") / "static" / "js"


def limits_block(html: str) -> dict[str, dict[str, float]]:
    found = re.search(r'<script type="application/json" id="hipflex-limits">(.*?)</script>', html)
    assert found, "every page carries the ranges as data"
    block: dict[str, dict[str, float]] = json.loads(found.group(1))
    return block


@pytest.mark.parametrize("path", ["/", "/assess", "/log", "/settings", "/exercises"])
def test_every_page_carries_the_domains_ranges(client: TestClient, path: str):
    assert limits_block(client.get(path).text) == limits.as_json()


def attribute(html: str, element_id: str, name: str) -> str:
    found = re.search(rf'<[^>]*id="{element_id}"[^>]*\b{name}="([^"]*)"', html)
    assert found, (element_id, name)
    return found.group(1)


def test_the_wizards_fields_take_their_ranges_from_the_domain(client: TestClient):
    page = client.get("/assess").text
    ranges = limits.as_json()
    for element_id, key in (
        ("sitting_hours", "sitting_hours"),
        ("thomas_left_angle", "thigh_angle_deg"),
        ("thomas_right_knee", "knee_flexion_deg"),
        ("extension_left_degrees", "extension_deg"),
    ):
        assert float(attribute(page, element_id, "min")) == ranges[key]["min"]
        assert float(attribute(page, element_id, "max")) == ranges[key]["max"]


def test_the_log_and_settings_fields_take_their_ranges_from_the_domain(client: TestClient):
    ranges = limits.as_json()
    log = client.get("/log").text
    assert float(attribute(log, "sitting-hours", "max")) == ranges["sitting_hours"]["max"]
    assert int(attribute(log, "note-text", "maxlength")) == limits.MAX_NOTE_LENGTH
    settings = client.get("/settings").text
    low, high = limits.BREAK_MINUTES_RANGE
    assert (
        attribute(settings, "break-minutes", "min"),
        attribute(settings, "break-minutes", "max"),
    ) == (str(low), str(high))
    for weeks in range(limits.BLOCK_WEEKS_RANGE[0], limits.BLOCK_WEEKS_RANGE[1] + 1):
        assert f'<option value="{weeks}"' in settings


def test_the_scripts_hold_no_copy_of_a_range():
    wizard = (STATIC_JS / "wizard.js").read_text(encoding="utf-8")
    assert 'getElementById("hipflex-limits")' in wizard
    # every range check names a range from the block, never two numbers of its own
    assert re.findall(r"checkNumber\([^;]*?,\s*-?\d+\s*,\s*-?\d+", wizard) == []
    assert wizard.count("LIMITS.") >= 4


def test_the_progress_page_names_the_blocks_own_retest_weeks(client: TestClient):
    record_tight(client)
    assert client.put(f"{API}/preferences", json={"block_weeks": 4}).status_code == 200
    page = client.get("/progress").text
    assert "Re-test in weeks 2 and 4 of your 4-week block" in page
    assert "weeks 3 and 6" not in page


def test_one_export_format_list_for_the_api_and_the_command_line(client: TestClient):
    schema = client.get(f"{API}/openapi.json").json()
    parameters = schema["paths"][f"{API}/exports/{{kind}}"]["get"]["parameters"]
    (kind,) = [p for p in parameters if p["name"] == "kind"]
    enum = kind["schema"].get("enum") or schema["components"]["schemas"]["ExportFormat"]["enum"]
    assert enum == [f.value for f in ExportFormat]
    from typer.testing import CliRunner

    from hipflex.cli.app import app

    help_text = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"}).output
    assert f"<{'|'.join(f.value for f in ExportFormat)}>" in help_text


def chart_levels(html: str, name: str) -> list[float]:
    found = re.search(rf'<svg [^>]*id="chart-svg-{name}".*?</svg>', html, re.DOTALL)
    assert found, name
    return [float(level) for level in re.findall(r'data-level="([^"]+)"', found.group(0))]


def test_the_charts_lines_are_the_domains_thresholds(client: TestClient, clock: FixedClock):
    from hipflex.domain.assessment import SITTING_BAND_FLOORS
    from hipflex.domain.tracking import responder_ceiling

    record_tight(client)
    assert client.get(f"{API}/plan").status_code == 200  # the block starts with the first plan
    for score in (6, 5):  # a week apart: the first is the baseline
        assert client.post(f"{API}/logs/pain", json={"score": score}).status_code == 201
        clock.advance(7 * 24 * 3600)
    assert client.post(f"{API}/logs/sitting", json={"hours": 7}).status_code == 201
    baseline = client.get(f"{API}/progress").json()["pain"]["baseline"]
    assert baseline == 6.0
    page = client.get("/progress").text
    expected = [] if baseline is None else [baseline, responder_ceiling(baseline)]
    assert chart_levels(page, "pain") == pytest.approx([x for x in expected if x is not None])
    floors = sorted(floor for floor, _ in SITTING_BAND_FLOORS if floor > 0)
    assert sorted(chart_levels(page, "sitting")) == floors
