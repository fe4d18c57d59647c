"""Ranges and id lists in help text, read from the domain (never typed again here)."""

from __future__ import annotations

from enum import StrEnum


def span(bounds: tuple[float, float], joiner: str = "-") -> str:
    """(0, 24) -> "0-24"; with joiner " to ": "0 to 24"."""
    low, high = bounds
    return f"{low:g}{joiner}{high:g}"


def ids(kind: type[StrEnum]) -> str:
    """Every id of an enum, comma-separated, in order."""
    return ", ".join(member.value for member in kind)


#: How to answer the safety questions from the command line: the first time, and again
#: after a pain rise or sharp pain (only the questions, no self-tests).
HOW_TO_SCREEN = "Run `hipflex assess` to answer them."
HOW_TO_RECHECK = "Run `hipflex assess --safety-only` to answer them again."


#: A self-test's result in a few words (the Thomas test's and the hip extension test's
#: result ids), as the tables of `hipflex assess` and `hipflex measure` say it.
RESULT_WORDS = {
    "normal": "normal",
    "tight_iliopsoas": "iliopsoas looks tight",
    "tight_rectus_femoris": "rectus femoris looks tight",
    "both_tight": "iliopsoas and rectus femoris look tight",
    "tight": "looks tight",
    "not_tested": "not tested",
}
