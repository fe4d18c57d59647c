"""`hipflex import` takes only what logging would have taken, and reads a file with the
parser's limits: each fault is one line, exit status 2, and nothing is saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hipflex.reports import export_json
from hipflex.services import data
from hipflex.services.context import open_app
from tests.cli.entry import assert_one_line_refusal, run, stored


@pytest.fixture
def export(assessed: None, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A real export (an assessment, a block, a session, a note, a pain rating) as JSON,
    the store emptied after it, ready to import again."""
    for args in (
        ("log", "session", "--pain-before", "3"),
        ("log", "note", "tight"),
        ("log", "pain", "3"),
    ):
        code, _, err = run(capsys, *args)
        assert code == 0, err
    app = open_app()
    try:
        document: dict[str, Any] = json.loads(
            export_json.dumps(data.snapshot(app), app.clock.now())
        )
        app.store.erase_all()
    finally:
        app.close()
    return document


def twist_note(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["notes"][0][key] = value

    return change


def end_before_start(document: dict[str, Any]) -> None:
    session = document["sessions"][0]
    session["ended_at"] = "2000-01-01T00:00:00+00:00"


def huge_id(document: dict[str, Any]) -> None:
    document["sessions"][0]["id"] = 2**63  # no database holds it


def zero_id(document: dict[str, Any]) -> None:
    document["sessions"][0]["id"] = 0


def year_one(document: dict[str, Any]) -> None:
    document["pain_ratings"][0]["at"] = "0001-01-01T00:00:00+01:00"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (twist_note("at", "2099-01-01T00:00:00+00:00"), "in the future"),
        (twist_note("text", ""), "is empty"),
        (twist_note("text", "   "), "is empty"),
        (twist_note("text", "x" * 5_000_000), "at most 2000 characters"),
        (twist_note("text", "a\x00b"), "NUL"),
        (twist_note("text", "a\ud800b"), "not UTF-8"),
        (end_before_start, "ends before it starts"),
        (huge_id, "expected a whole number"),
        (zero_id, "expected an id from 1"),
        (year_one, "1970 to 2999"),
    ],
)
def test_import_applies_the_rules_of_logging(
    export: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
    expected: str,
):
    file = tmp_path / "export.json"
    change(export)
    file.write_text(json.dumps(export), encoding="utf-8", errors="surrogatepass")
    code, _, err = run(capsys, "import", str(file))
    assert_one_line_refusal(code, err)
    assert code == 2
    assert expected in err
    assert stored().empty


def test_a_good_export_still_imports(
    export: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    file = tmp_path / "export.json"
    file.write_text(json.dumps(export), encoding="utf-8")
    code, _, err = run(capsys, "import", str(file))
    assert code == 0, err
    assert len(stored().sessions) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "hipflex-export", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests"),
        (
            '{"format": "hipflex-export", "version": ' + "9" * 5000 + "}",
            "longer than 40 characters",
        ),
        ('{"format": "hipflex-export", "version": 1e999}', "too large to be one"),
        ('{"format": "hipflex-export", "version": NaN}', "not a number JSON allows"),
        ('["[", "{", "]]]]"]', "not a hipflex export"),  # brackets in text do not count
    ],
)
def test_the_parser_has_limits(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
):
    file = tmp_path / "odd.json"
    file.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", str(file))
    assert_one_line_refusal(code, err)
    assert expected in err
    assert stored().empty
