"""The charts' axes and drawing: dates for any span, whole counts, pain ratings told apart by
shape, the theme's colours on the page, and drawn again only when the data changes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from tests.reports.test_report import full_block

from hipflex.domain.assessment import SITTING_BAND_FLOORS
from hipflex.reports.axes import MAX_TICKS, MIN_DAYS, count_ticks, date_axis
from hipflex.reports.charts import (
    adherence_chart,
    pain_chart,
    progress_charts,
    sitting_chart,
    sitting_reference_lines,
)
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.services.progress import ProgressView, WeekProgress

FIVE_YEARS = 5 * 366


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, FIVE_YEARS))
def test_dates_for_any_span_from_a_day_to_five_years(first: date, extra_days: int):
    last = first + timedelta(days=extra_days)
    axis = date_axis(first, last)
    assert axis.start == first
    assert axis.end >= last  # the whole span is shown
    assert axis.days >= MIN_DAYS
    assert 2 <= len(axis.ticks) <= MAX_TICKS
    assert all(axis.start <= tick <= axis.end for tick in axis.ticks)
    assert list(axis.ticks) == sorted(set(axis.ticks))  # strictly increasing
    assert len(axis.labels) == len(axis.ticks)
    assert all(label and ":" not in label for label in axis.labels)  # never a time of day
    steps = {(b - a).days for a, b in pairwise(axis.ticks)}
    assert min(steps) >= 1


def test_one_day_of_data_is_a_week_of_days_not_hours():
    axis = date_axis(date(2026, 11, 2), date(2026, 11, 2))
    assert axis.end == date(2026, 11, 8)
    assert axis.labels[0] == "2 Nov"
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", label) for label in axis.labels)


def test_long_spans_are_marked_by_month_or_year_and_name_the_year():
    months = date_axis(date(2026, 11, 2), date(2027, 3, 30))
    assert months.labels[0] == "Dec 2026"
    assert "Jan 2027" in months.labels
    years = date_axis(date(2022, 3, 1), date(2027, 2, 1))
    assert all(tick.month == 1 and tick.day == 1 for tick in years.ticks)


@given(st.floats(0, 5000, allow_nan=False))
def test_counts_are_whole_numbers_from_zero_to_at_least_the_top(top: float):
    ticks = count_ticks(top)
    assert all(isinstance(tick, int) for tick in ticks)
    assert ticks[0] == 0
    assert ticks[-1] >= top
    assert 2 <= len(ticks) <= 6
    assert len({b - a for a, b in pairwise(ticks)}) == 1


def _labels(svg: str) -> list[str]:
    return re.findall(r'class="ch-muted"[^>]*text-anchor="end">([^<]+)</text>', svg)


def test_session_counts_are_whole_numbers(app: AppContext, clock: FixedClock):
    view = full_block(app, clock)
    weeks = (WeekProgress(1, view.today, 5, 2, None, frozenset(), None),)
    chart = adherence_chart(replace(view, weeks=weeks))
    assert _labels(chart.svg) == ["0", "1", "2", "3", "4", "5", "sessions"]
    assert chart.table.rows == (("1", "5", "2"),)


def test_daily_and_session_pain_differ_in_shape_and_the_daily_dots_come_last(
    app: AppContext, clock: FixedClock
):
    chart = pain_chart(full_block(app, clock))
    svg = chart.svg
    for words in ("daily", "before a session", "after a session", "baseline week"):
        assert f">{words}</text>" in svg  # the legend
    assert 'class="ch-session-down"' in svg
    assert 'class="ch-session-up"' in svg
    assert '<circle class="ch-daily"' in svg
    # drawn over the hollow session triangles, so a daily rating is never hidden
    assert svg.rindex('class="ch-session-') < svg.index('class="ch-daily-line"')
    assert {row[2] for row in chart.table.rows} == {"daily", "before a session", "after a session"}


def test_one_day_of_pain_is_drawn_on_a_date_axis(app: AppContext, clock: FixedClock):
    view = full_block(app, clock)
    day = view.today
    one_day = tuple(p for p in view.pain_points if p[0].date() == day - timedelta(days=1))
    assert one_day
    svg = pain_chart(replace(view, pain_points=one_day, block=None, today=day)).svg
    assert re.search(r">\d{1,2} Nov</text>", svg)
    assert not re.search(r">\d\d:\d\d</text>", svg)


def test_the_charts_take_the_theme_and_scale_with_the_page(app: AppContext, clock: FixedClock):
    for chart in progress_charts(full_block(app, clock)):
        svg = chart.svg
        assert re.match(r'<svg [^>]*viewBox="0 0 \d+ \d+"', svg)
        assert 'role="img"' in svg
        assert " style=" not in svg  # the page's Content-Security-Policy forbids them
        assert "<style" not in svg
        assert "#ffffff" not in svg.lower()  # no white background of its own
        assert all(f'class="ch-{role}' in svg for role in ("ink", "muted"))


def test_the_sitting_bands_are_the_domains(app: AppContext, clock: FixedClock):
    floors = sorted(floor for floor, _ in SITTING_BAND_FLOORS if floor > 0)
    assert [floor for _, floor in sitting_reference_lines()] == sorted(floors, reverse=True)
    svg = sitting_chart(full_block(app, clock)).svg
    for name, floor in sitting_reference_lines():
        assert f"{name} {floor:g} h" in svg


def test_the_charts_are_drawn_again_only_when_their_data_changes(
    app: AppContext, clock: FixedClock
):
    view: ProgressView = full_block(app, clock)
    first = progress_charts(view)
    assert progress_charts(replace(view)) is first
    more = dict(view.sitting)
    more[view.today] = replace(next(iter(view.sitting.values())), day=view.today, hours=3.0)
    assert progress_charts(replace(view, sitting=more)) is not first
    later = datetime(2026, 11, 30, 12, tzinfo=UTC)
    rated = (*view.pain_points, (later, 1.0, "daily"))
    assert progress_charts(replace(view, pain_points=rated)) is not first
