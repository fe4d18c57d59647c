"""Counts in words: "1 minute", "2 minutes", "0 minutes", one rule for every shell."""

from __future__ import annotations


def noun(count: float, singular: str, plural: str | None = None) -> str:
    """The noun that goes with `count`: the singular for exactly 1, else the plural."""
    if count == 1:
        return singular
    return plural if plural is not None else f"{singular}s"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """The count and its noun: counted(1, "day") is "1 day", counted(0, "day") "0 days"."""
    return f"{count} {noun(count, singular, plural)}"


def minutes(count: int) -> str:
    return counted(count, "minute")


def days(count: int) -> str:
    return counted(count, "day")
