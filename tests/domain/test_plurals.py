"""Counts in words: one helper, right for 0, 1 and 2."""

from __future__ import annotations

import pytest

from hipflex.domain.plurals import counted, days, minutes, noun


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 minutes"), (1, "1 minute"), (2, "2 minutes"), (45, "45 minutes")],
)
def test_minutes(count: int, expected: str):
    assert minutes(count) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "0 days"), (1, "1 day"), (2, "2 days")])
def test_days(count: int, expected: str):
    assert days(count) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 sessions"), (1, "1 session"), (2, "2 sessions")]
)
def test_sessions(count: int, expected: str):
    assert counted(count, "session") == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 entries"), (1, "1 entry"), (2, "2 entries")]
)
def test_an_irregular_plural(count: int, expected: str):
    assert counted(count, "entry", "entries") == expected


def test_the_noun_alone():
    assert [noun(n, "hold") for n in (0, 1, 2)] == ["holds", "hold", "holds"]
