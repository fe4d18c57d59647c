"""The progress report: one document model, HTML with inline SVG, PDF, and its charts."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from hipflex.domain.assessment import AssessmentInput, ThighPosition, ThomasInput
from hipflex.domain.plan import SessionSlot
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.reports.charts import adherence_chart
from hipflex.reports.render import to_html, to_pdf
from hipflex.reports.report import Report, build_report
from hipflex.services import programme, tracking
from hipflex.services.assessments import record_assessment
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.progress import ProgressView, progress
from hipflex.services.session_logs import log_planned_session

HOUR = 3600
SCRIPT_NOTE = "Felt better <script>alert('x')</script> & looser"
SESSION_NOTE = "Left hip tighter than the right in the pigeon"
SECTIONS = [
    "Summary",
    "Tests per side: baseline and latest",
    "Pain",
    "Adherence",
    "Sitting",
    "Current programme",
    "How to do the exercises",
    "Safety events",
    "About these numbers",
    "Notes",
]


def _answers(knee_left: float, knee_right: float) -> AssessmentInput:
    return AssessmentInput(
        thomas={
            Side.LEFT: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=knee_left),
            Side.RIGHT: ThomasInput(ThighPosition.FLAT, knee_flexion_deg=knee_right),
        },
        sitting_hours=8,
        red_flags=frozenset(),
    )


def full_block(app: AppContext, clock: FixedClock) -> ProgressView:
    """Three weeks of sessions, pain, sitting, sharp pain, a re-test and a note."""
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, _answers(60, 70))
    programme.plan_week(app)
    for day in range(19):
        tracking.log_pain(app, max(0, 6 - day // 4))
        tracking.log_sitting(app, 5 + day % 4)
        if day % 3 != 2:
            log_planned_session(app, slot=SessionSlot.MORNING, pain_before=3, pain_after=2)
        clock.advance(24 * HOUR)
        if day == 9:
            log_planned_session(app, slot=SessionSlot.EVENING, sharp_pain={ExerciseId.PIGEON_POSE})
        if day == 4:
            log_planned_session(app, slot=SessionSlot.EVENING, note=SESSION_NOTE)
    tracking.record_retest(app, _answers(70, 95))
    tracking.log_note(app, SCRIPT_NOTE)
    return progress(app)


def _paragraphs(report: Report) -> str:
    return "\n".join(p for s in report.sections for p in s.paragraphs)


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_full_report_in_html_and_pdf(
    app: AppContext, clock: FixedClock, caplog: pytest.LogCaptureFixture
):
    view = full_block(app, clock)
    report = build_report(view, clock.now())
    assert [s.title for s in report.sections] == SECTIONS
    sections = {s.title: s for s in report.sections}

    summary = "\n".join(sections["Summary"].paragraphs)
    assert "Week 3 of a 6-week block started 02 November 2026." in summary
    assert "Pigeon pose" in summary  # paused after sharp pain
    tests = sections["Tests per side: baseline and latest"]
    assert tests.table is not None
    assert [row[:2] for row in tests.table.rows] == [
        ("left", "baseline, 02 Nov"),
        ("left", "latest, 21 Nov"),
        ("right", "baseline, 02 Nov"),
        ("right", "latest, 21 Nov"),
    ]
    notes = "\n".join(tests.paragraphs)
    assert "Thomas test knee bend, left: 60° → 70° (+10°, within measurement error" in notes
    assert "Thomas test knee bend, right: 70° → 95° (+25°, beyond measurement error)" in notes
    assert "Thomas test knee bend, left and right differ: left 70°, right 95°." in notes
    assert "thomas test" not in _paragraphs(report)  # a name: capitalised everywhere
    for title in ("Pain", "Adherence", "Sitting"):
        assert sections[title].chart is not None
    safety = sections["Safety events"].table
    assert safety is not None
    assert [row[1:] for row in safety.rows] == [("sharp pain", "pigeon pose")]
    programme_table = sections["Current programme"].table
    assert programme_table is not None
    assert "Pigeon pose" not in {row[1] for row in programme_table.rows}
    # The handout draws each exercise of the programme once, the paused one not at all.
    figures = sections["How to do the exercises"].figures
    assert [f.title for f in figures] == list(dict.fromkeys(r[1] for r in programme_table.rows))
    for figure in figures:
        assert figure.svg.startswith("<svg")
        assert "currentColor" not in figure.svg
        assert figure.description.startswith("The figure shows each position in turn.")
    caveat = sections["About these numbers"].paragraphs[0]
    assert "7°" in caveat
    assert "19°" in caveat
    assert "within measurement error" in caveat
    assert "2 points, or 30% when that is at least 1 point" in caveat
    assert "a first week that averaged at least 2 out of 10" in caveat

    html = to_html(report)
    assert html.startswith("<!doctype html>")
    assert html.count("<svg") == 3 + len(figures)
    assert html.count('<figure class="exercise">') == len(figures)
    assert html.count('<figure role="img" aria-label="') == 3
    assert 'aria-label="Sessions done per week: week 1: ' in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; looser" in html
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in html

    charts = [sections[title].chart for title in ("Pain", "Adherence", "Sitting")]
    for chart in charts:
        assert chart is not None
        assert "<svg" in chart.svg
        assert chart.svg.rstrip().endswith("</svg>")
        assert chart.description
        assert chart.table.rows  # the numbers behind it, as a table
    assert charts[0] is not None
    assert re.search(r"\d+ daily ratings .* and \d+ ratings around sessions", charts[0].description)
    assert charts[2] is not None
    assert "19 logged days" in charts[2].description

    with caplog.at_level(logging.WARNING):
        pdf = to_pdf(report)
    assert not [r.getMessage() for r in caplog.records]  # nothing said on the terminal
    assert pdf.startswith(b"%PDF")
    assert _page_count(pdf) > 1
    assert b"hipflex" in pdf


def test_the_notes_list_session_notes_and_free_notes_with_their_dates(
    app: AppContext, clock: FixedClock
):
    view = full_block(app, clock)
    report = build_report(view, clock.now())
    notes = next(s for s in report.sections if s.title == "Notes")
    assert notes.table is not None
    assert notes.table.headers == ("Date", "Written with", "Note")
    assert notes.table.rows == (
        ("2026-11-07", "End-of-day session", SESSION_NOTE),
        ("2026-11-21", "Free note", SCRIPT_NOTE),
    )
    html = to_html(report)
    assert SESSION_NOTE in html
    assert "<td>End-of-day session</td>" in html
    assert to_pdf(report).startswith(b"%PDF")  # the PDF renders the same table


def test_a_note_from_before_the_block_is_left_out(app: AppContext, clock: FixedClock):
    programme.update_preferences(app, timezone="UTC")
    tracking.log_note(app, "Before any plan")
    clock.advance(24 * HOUR)  # the block starts the next day
    record_assessment(app, _answers(60, 70))
    programme.plan_week(app)
    log_planned_session(app, slot=SessionSlot.MORNING)  # no note
    log_planned_session(app, slot=SessionSlot.EVENING, note="Easy today")
    view = progress(app)
    assert [(n.session, n.text) for n in view.notes] == [("End-of-day session", "Easy today")]


def test_an_empty_report_and_charts_without_data(app: AppContext):
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, _answers(60, 70))
    view = progress(app)
    report = build_report(view, datetime(2026, 11, 2, 9, tzinfo=UTC))
    assert [s.title for s in report.sections] == SECTIONS[:-1]  # no notes, no notes section
    paragraphs = _paragraphs(report)
    assert "Not enough pain ratings yet" in paragraphs
    assert "None reported." in paragraphs
    charts = {s.title: s.chart for s in report.sections if s.chart is not None}
    no_weeks = adherence_chart(replace(view, weeks=()))
    for chart, message in (
        (charts["Pain"], "No pain ratings yet"),
        (no_weeks, "No weeks yet"),
        (charts["Sitting"], "No sitting hours logged yet"),
    ):
        assert chart is not None
        assert "<svg" in chart.svg
        assert message in chart.svg
        assert chart.table.rows == ()
    assert no_weeks.description == "Sessions done per week: none yet."
    assert to_pdf(report).startswith(b"%PDF")
    drawn = sum(len(s.figures) for s in report.sections)  # the exercises, drawn
    assert to_html(report).count("<svg") == 3 + drawn


def test_the_report_says_when_the_pain_was_already_low(app: AppContext, clock: FixedClock):
    """A first week averaging 1.0 and a second 0.7 is 30% down but no response (PROTOCOL.md
    section 4): the report says the pain was already low, and draws no target line."""
    programme.update_preferences(app, timezone="UTC")
    record_assessment(app, _answers(60, 70))
    programme.plan_week(app)
    for score in (1, 1, 1, 1, 1, 1, 1):
        tracking.log_pain(app, score)
        clock.advance(24 * HOUR)
    for score in (1, 1, 1, 1, 0, 0, 1, 1, 1, 0):
        tracking.log_pain(app, score)
        clock.advance(7 * 24 * HOUR / 10)
    view = progress(app)
    assert [w.mean_pain for w in view.weeks][:2] == [1.0, 0.7]
    report = build_report(view, clock.now())
    pain = next(s for s in report.sections if s.title == "Pain")
    assert "already low" in pain.paragraphs[0]
    assert "Responder" not in pain.paragraphs[0]
    assert pain.chart is not None
    assert "meaningful change" not in pain.chart.svg
    assert "baseline week" in pain.chart.svg
