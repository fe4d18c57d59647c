"""Wording rules over every user-facing source: names capitalised, counts with the right
plural (hipflex.domain.plurals, never "day(s)")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "hipflex"
#: What a user reads: content, templates, scripts, the shells' code, the README.
USER_FACING = sorted(
    [
        *(PACKAGE / "content" / "data").glob("*.toml"),
        *(PACKAGE / "web" / "templates").rglob("*.html"),
        *(PACKAGE / "web" / "static" / "js").glob("*.js"),
        *(PACKAGE / "reports" / "templates").glob("*.j2"),
        *(PACKAGE / "cli").glob("*.py"),
        *(PACKAGE / "web").glob("*.py"),
        *(PACKAGE / "reports").glob("*.py"),
        *(PACKAGE / "services").rglob("*.py"),
        *(PACKAGE / "domain").glob("*.py"),
        ROOT / "README.md",
    ]
)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", USER_FACING, ids=_name)
def test_the_thomas_test_is_capitalised(path: Path):
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"\bthomas test", text) == []


@pytest.mark.parametrize("path", USER_FACING, ids=_name)
def test_no_count_says_word_s(path: Path):
    """ "1 day(s)" reads badly: counts go through hipflex.domain.plurals."""
    text = path.read_text(encoding="utf-8")
    calls = r"(?!(?:float|int|str|len)\()"  # code such as float(s) is not a count
    assert re.findall(rf"\b{calls}[a-z]+\(s\)", text) == []
