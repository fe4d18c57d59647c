"""One error table: each domain error has one HTTP status and one exit status, and the
web app (API and pages) and the command line both read it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient

from hipflex.cli.errors import guarded
from hipflex.domain.errors import (
    BadInput,
    BadSetting,
    CannotWrite,
    Conflict,
    Forbidden,
    HipflexError,
    MissingExtra,
    NewerStore,
    NoAssessment,
    NotFound,
    NotReady,
    NotSignedIn,
    OlderStore,
    OutputRefused,
    ReadOnlyStore,
    StoreCorrupt,
    StoreFull,
    StoreLocked,
    TooLarge,
    TooManyTries,
    Unavailable,
)
from hipflex.errors import ERROR_TABLE, kind_of
from hipflex.services.clock import FixedClock
from hipflex.services.context import StoreUnavailable
from hipflex.web.app import create_app
from tests.web.conftest import web_settings

EXPECTED = [
    (BadInput("bad"), 422, 2),
    (TooLarge("big"), 413, 2),
    (NotFound("gone"), 404, 1),
    (NoAssessment(), 409, 1),
    (NotReady("later"), 409, 1),
    (Conflict("already there"), 409, 1),
    (NotSignedIn("sign in first"), 401, 1),
    (Forbidden("not yours"), 403, 1),
    (TooManyTries("wait"), 429, 1),
    (StoreUnavailable("no database"), 503, 1),
    (MissingExtra("no pose model"), 503, 2),
    (Unavailable("down"), 503, 1),
    (BadSetting("HIPFLEX_X=abc"), 503, 2),
    (OutputRefused("a link"), 422, 2),
    (CannotWrite("disk full"), 503, 1),
    (ReadOnlyStore("read-only"), 503, 1),
    (StoreLocked("locked"), 503, 1),
    (StoreFull("full"), 503, 1),
    (StoreCorrupt("damaged"), 503, 1),
    (NewerStore("newer"), 503, 1),
    (OlderStore("older"), 503, 1),
    (HipflexError("other"), 400, 1),
]


@pytest.mark.parametrize(("error", "status", "exit_status"), EXPECTED)
def test_every_error_has_one_status_and_one_exit_status(
    error: HipflexError, status: int, exit_status: int
):
    kind = kind_of(error)
    assert (kind.http_status, kind.exit_status) == (status, exit_status)


def test_the_most_general_row_comes_last():
    assert ERROR_TABLE[-1].error is HipflexError
    for index, row in enumerate(ERROR_TABLE):
        for later in ERROR_TABLE[index + 1 :]:
            assert not issubclass(later.error, row.error), "a row no error could reach"


@pytest.fixture
def probe(tmp_path: Path, clock: FixedClock) -> TestClient:
    """The real app with two routes that raise whatever error the test names."""
    app = create_app(web_settings(tmp_path / "data"), clock)
    errors = {type(error).__name__: error for error, _, _ in EXPECTED}

    @app.get("/api/v1/probe/{name}")
    def api_probe(name: str) -> None:
        raise errors[name]

    @app.get("/probe/{name}")
    def page_probe(name: str) -> None:
        raise errors[name]

    return TestClient(app)


@pytest.mark.parametrize(("error", "status", "exit_status"), EXPECTED)
def test_the_api_and_the_pages_answer_the_tables_status(
    probe: TestClient, error: HipflexError, status: int, exit_status: int
):
    name = type(error).__name__
    with probe:
        api = probe.get(f"/api/v1/probe/{name}")
        assert (api.status_code, api.json()) == (status, {"detail": str(error)})
        page = probe.get(f"/probe/{name}")
    assert page.headers["content-type"].startswith("text/html")
    if isinstance(error, NoAssessment):  # a page that needs an assessment says how to start
        assert page.status_code == 200
        assert "No assessment yet" in page.text
    else:
        assert page.status_code == status
        assert str(error)[1:] in page.text
    assert "Traceback" not in page.text


@pytest.mark.parametrize(("error", "status", "exit_status"), EXPECTED)
def test_the_command_line_exits_with_the_tables_status_and_one_line(
    capsys: pytest.CaptureFixture[str], error: HipflexError, status: int, exit_status: int
):
    def command() -> None:
        raise error

    with pytest.raises(typer.Exit) as stopped:
        guarded(command)()
    assert stopped.value.exit_code == exit_status
    assert capsys.readouterr().err == f"hipflex: error: {error}\n"
