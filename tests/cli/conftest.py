"""Running the real command line in-process."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from hipflex.cli.app import app
from hipflex.services.context import open_app
from tests.cli.entry import run


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(app, list(args), input=input, env={"COLUMNS": "100"})

    def json(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line on SQLite and PostgreSQL, with a tight assessment saved."""
    monkeypatch.setenv("HIPFLEX_DATABASE_URL", database_url)
    app = open_app()
    app.store.erase_all()
    app.close()
    return database_url


@pytest.fixture
def assessed(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        *("assess", "--json", "--thomas-left", "raised", "--knee-left", "70"),
        *("--extension-left", "5", "--sitting-hours", "9", "--no-red-flags"),
    )
    assert code == 0, err
    code, _, err = run(capsys, "plan", "--json")  # the block starts when first shown
    assert code == 0, err
