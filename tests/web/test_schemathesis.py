"""schemathesis over the app's OpenAPI in-process: no operation answers with a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from hipflex.services.clock import FixedClock
from hipflex.web.app import create_app
from tests.web.conftest import API, CSRF_HEADER, arm_csrf, record_tight, web_settings

#: Operations with a known 5xx on an unknown session log id: the strict xfail tests in
#: test_api.py pin it (an xfail mark on a schemathesis test breaks pytest's summary);
#: drop this exclusion when they start passing.
KNOWN_5XX = r"/sessions/\{log_id\}/(entries|finish)$"


@pytest.fixture
def api_schema(tmp_path: Path, clock: FixedClock) -> Iterator[Any]:
    """The schema of an app (SQLite) with an assessment, a session and logs recorded."""
    app = create_app(web_settings(tmp_path / "app-data"), clock)
    with TestClient(app) as client:  # runs the lifespan: the store opens and closes with it
        token = arm_csrf(client)
        record_tight(client)
        client.post(f"{API}/logs/pain", json={"score": 4})
        client.post(f"{API}/sessions", json={})
        schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", app)
        schema.config.headers = {CSRF_HEADER: token, "cookie": f"hipflex_csrf={token}"}
        yield schema


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.exclude(path_regex=KNOWN_5XX).parametrize()
@FUZZ
def test_no_operation_answers_with_a_server_error(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error])
