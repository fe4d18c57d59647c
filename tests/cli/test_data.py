"""`hipflex export`, `import`, `backup` and `data erase` from the command line."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Cli

TIGHT = ["--thomas-left", "raised", "--knee-left", "70", "--thomas-right", "flat",
         "--knee-right", "85", "--extension-left", "8", "--extension-right", "12",
         "--sitting-hours", "7", "--no-red-flags"]  # fmt: skip


@pytest.fixture
def logged(cli: Cli) -> Cli:
    """An assessment, a block (from `hipflex plan`), pain, sitting, a session, a note."""
    for args in (
        ["assess", "--json", *TIGHT],
        ["plan"],
        ["log", "pain", "4"],
        ["log", "sitting", "7.5"],
        ["log", "session", "--pain-before", "4", "--pain-after", "3", "--skipped", "plank"],
        ["log", "note", "standing desk from Monday"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, result.output
    return cli


def one_line_error(cli: Cli, *args: str, code: int = 2, input: str | None = None) -> str:
    result = cli(*args, input=input)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipflex: error: ")
    assert "Traceback" not in result.output
    return lines[0]


def test_export_json_to_stdout(logged: Cli):
    document = logged.json("export")
    assert (document["format"], document["version"]) == ("hipflex-export", 1)
    assert len(document["assessments"]) == 1
    assert len(document["blocks"]) == 1
    assert document["pain_ratings"][0]["score"] == 4
    assert document["sessions"][0]["pain_before"] == 4
    assert document["notes"][0]["text"] == "standing desk from Monday"


def test_export_csv_to_stdout(logged: Cli):
    result = logged("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["measure"] for r in rows} >= {
        "thomas_knee_flexion",
        "hip_extension",
        "pain",
        "pain_before",
        "pain_after",
        "sitting_hours",
        "hold",
        "skipped",
        "note",
    }
    knees = {r["side"]: r["value"] for r in rows if r["measure"] == "thomas_knee_flexion"}
    assert knees == {"left": "70", "right": "85"}


def test_export_fhir_to_stdout(logged: Cli):
    from fhir.resources.R4B.bundle import Bundle

    result = logged("export", "-f", "fhir")
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(result.stdout)
    assert bundle.type == "collection"
    assert len(bundle.entry) > 5


def test_export_to_a_file(logged: Cli, tmp_path: Path):
    target = tmp_path / "out.json"
    result = logged("export", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target} (json): 1 assessment, 1 programme block")
    assert json.loads(target.read_text())["format"] == "hipflex-export"
    assert not list(tmp_path.glob(".*partial"))


def test_export_with_no_data_is_still_a_valid_export(cli: Cli):
    document = cli.json("export")
    assert document["assessments"] == []
    assert document["preferences"] is None


def test_export_unknown_format_is_a_usage_error(cli: Cli):
    result = cli("export", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.output


def test_export_to_an_unwritable_place_is_one_line(cli: Cli, tmp_path: Path):
    message = one_line_error(cli, "export", "--out", str(tmp_path / "no" / "x.json"), code=1)
    assert "cannot write" in message


def test_export_erase_import_round_trip(logged: Cli, tmp_path: Path):
    before = logged.json("export")
    history = logged.json("history", "--json")
    target = tmp_path / "hipflex.json"
    assert logged("export", "--out", str(target)).exit_code == 0
    assert logged("data", "erase", "--yes").exit_code == 0
    assert logged.json("history", "--json") != history

    result = logged("import", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported 1 assessment, 1 programme block, 1 session")
    after = logged.json("export")
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    assert logged.json("history", "--json") == history
    assert logged("plan").exit_code == 0  # the restored block and assessment still plan


def test_import_into_existing_data_is_refused(logged: Cli, tmp_path: Path):
    target = tmp_path / "hipflex.json"
    assert logged("export", "--out", str(target)).exit_code == 0
    message = one_line_error(logged, "import", str(target))
    assert "already have hipflex data" in message
    assert "hipflex data erase" in message


def test_import_missing_file(cli: Cli, tmp_path: Path):
    message = one_line_error(cli, "import", str(tmp_path / "nope.json"))
    assert "cannot read" in message
    assert "nope.json" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"format": "other", "version": 1}', "not a hipflex export"),
        ('{"format": "hipflex-export", "version": 7}', "version 7"),
        ('{"format": "hipflex-export", "version": 1}', "exported_at is missing"),
    ],
)
def test_import_bad_file_is_one_line_with_exit_2(
    cli: Cli, tmp_path: Path, content: str, expected: str
):
    target = tmp_path / "bad.json"
    target.write_text(content)
    assert expected in one_line_error(cli, "import", str(target))
    assert cli.json("export")["assessments"] == []  # nothing was imported


def test_import_of_binary_junk(cli: Cli, tmp_path: Path):
    target = tmp_path / "junk.json"
    target.write_bytes(b"\xff\xfe\x00junk")
    assert "not UTF-8 text" in one_line_error(cli, "import", str(target))


def test_erase_asks_and_no_keeps_everything(logged: Cli):
    result = logged("data", "erase", input="n\n")
    assert result.exit_code == 1
    assert "This deletes all your hipflex data: 1 assessment" in result.stdout
    assert "Erase everything?" in result.stdout
    assert "Nothing was erased." in result.stdout
    assert len(logged.json("export")["assessments"]) == 1


def test_erase_without_an_answer_erases_nothing(logged: Cli):
    result = logged("data", "erase", input="")
    assert result.exit_code == 1
    assert "Nothing was erased." in result.stdout
    assert len(logged.json("export")["assessments"]) == 1


def test_erase_asks_and_yes_erases(logged: Cli):
    result = logged("data", "erase", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Erased 1 assessment, 1 programme block" in result.stdout
    document = logged.json("export")
    assert document["assessments"] == document["pain_ratings"] == []


def test_erase_yes_does_not_ask(logged: Cli):
    result = logged("data", "erase", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erase everything?" not in result.stdout
    assert result.stdout.startswith("Erased 1 assessment")
    assert logged("data", "erase", "--yes").stdout.startswith("There is nothing to erase")


def test_backup_writes_a_sqlite_copy(logged: Cli, tmp_path: Path):
    target = tmp_path / "copy.db"
    result = logged("backup", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Backed up your hipflex data to {target} (")
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT count(*) FROM pain_ratings").fetchone()[0] == 1
        assert raw.execute("SELECT count(*) FROM session_logs").fetchone()[0] == 1


def test_backup_refuses_an_existing_file(logged: Cli, tmp_path: Path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    message = one_line_error(logged, "backup", str(target), code=1)
    assert "already exists" in message
    assert target.read_text() == "precious"


def test_erase_removes_kept_photos(logged: Cli):
    """A photo kept with a measurement (`hipflex measure --save`'s service) is erased with
    everything else, and the question names it first."""
    from hipflex.domain.goniometry import Facing
    from hipflex.domain.ids import Side
    from hipflex.services.context import open_app
    from hipflex.services.measure import MarkedPoints, TestName, load_photo, measure_photo
    from hipflex.services.photo_tests import save_measurement
    from tests.services.test_photo_tests import THOMAS_POINTS, jpeg_with_location

    app = open_app()
    try:
        photo = load_photo(jpeg_with_location())
        points = MarkedPoints(THOMAS_POINTS, Facing.RIGHT)
        measured = measure_photo(
            photo, points, test=TestName.THOMAS, side=Side.LEFT, settings=app.settings
        )
        save_measurement(app, measured, photo=photo, keep_photo=True)
        assert len(app.store.photos()) == 1
    finally:
        app.close()

    asked = logged("data", "erase", input="n\n")
    assert "1 kept photo" in asked.stdout
    result = logged("data", "erase", "--yes")
    assert result.exit_code == 0, result.output
    assert logged.json("export")["photos"] == []
    app = open_app()
    try:
        assert app.store.photos() == []
    finally:
        app.close()
