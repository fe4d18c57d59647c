"""The charts draw the domain's rules, never their own copy of them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.domain.tracking import PainVerdict, pain_verdict, responder_ceiling
from hipflex.reports.charts import pain_reference_lines

weekly_means = st.integers(0, 100).map(lambda tenths: tenths / 10)


def meaningful_line(baseline: float) -> float | None:
    lines = {label: level for label, level, _ in pain_reference_lines(baseline)}
    return lines.get("meaningful change")


def test_at_a_baseline_of_5_the_line_is_where_the_verdict_says_responder():
    # The chart once drew min(b - 2, 0.7 b) = 3.0 while the verdict said "responder" at 3.5.
    assert meaningful_line(5.0) == pytest.approx(3.5)
    assert pain_verdict(5.0, 3.5).verdict is PainVerdict.RESPONDER
    assert pain_verdict(5.0, 3.6).verdict is PainVerdict.NOT_YET


@given(weekly_means, weekly_means)
def test_a_week_on_or_under_the_line_is_a_responder_and_above_it_is_not(
    baseline: float, latest: float
):
    line = meaningful_line(baseline)
    verdict = pain_verdict(baseline, latest).verdict
    if line is None:  # under a baseline of 2 no fall is a response
        assert baseline < 2
        assert responder_ceiling(baseline) is None
        assert verdict is not PainVerdict.RESPONDER
        return
    assert line == responder_ceiling(baseline)
    if verdict is not PainVerdict.WORSE:
        assert (verdict is PainVerdict.RESPONDER) == (latest <= line + 1e-9)


@given(st.integers(0, 100))
def test_the_line_is_the_verdicts_threshold_at_every_baseline_in_tenths(tenths: int):
    baseline = tenths / 10
    line = meaningful_line(baseline)
    assert line == responder_ceiling(baseline)
    assert (line is None) == (tenths < 20)
    if line is not None:
        assert pain_verdict(baseline, line).verdict is PainVerdict.RESPONDER
        above = round(line * 10 + 1) / 10
        if above - baseline < 2:
            assert pain_verdict(baseline, above).verdict is not PainVerdict.RESPONDER


def test_no_meaningful_change_line_under_a_baseline_of_2():
    # 1.0 -> 0.7 is 30% but no response (PROTOCOL.md section 4): nothing to draw for it.
    assert meaningful_line(1.9) is None
    assert meaningful_line(1.0) is None
    assert meaningful_line(2.0) == pytest.approx(1.0)
    assert ("baseline week", 1.0, "--") in pain_reference_lines(1.0)


def test_the_baseline_line_is_the_baseline_and_no_baseline_draws_nothing():
    assert pain_reference_lines(None) == ()
    assert ("baseline week", 6.0, "--") in pain_reference_lines(6.0)
