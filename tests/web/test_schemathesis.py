"""schemathesis over the app's OpenAPI in-process: no operation answers with a 5xx, and
every answer is one the document describes (its status, its media type, its schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hipflex.services.clock import FixedClock
from hipflex.web.app import create_app
from tests.web.conftest import API, CSRF_HEADER, arm_csrf, record_tight, web_settings


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


@pytest.fixture
def stopped_schema(tmp_path: Path, clock: FixedClock) -> Iterator[Any]:
    """The schema of an app whose user reported a warning sign: no plan, no session, the
    reasons why instead (the other shape of /plan and /today), and 4xx for the rest."""
    app = create_app(web_settings(tmp_path / "app-data"), clock)
    with TestClient(app) as client:
        token = arm_csrf(client)
        record_tight(client, red_flags=["night_pain"])
        schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", app)
        schema.config.headers = {CSRF_HEADER: token, "cookie": f"hipflex_csrf={token}"}
        yield schema


@pytest.fixture
def hostile_schema(api_schema: Any) -> Any:
    """The same, with input that breaks the schema (negative mode: wrong types, values
    out of range, missing keys) besides valid input. What schemathesis cannot send as
    JSON (NaN, lone surrogates) is fuzzed in tests/web/test_bad_input.py."""
    api_schema.config.phases.coverage.enabled = False
    api_schema.config.generation.modes = [GenerationMode.NEGATIVE, GenerationMode.POSITIVE]
    api_schema.config.generation.allow_x00 = True
    return api_schema


@pytest.fixture
def drawing_schema(api_schema: Any) -> Any:
    """The same, without the coverage phase: each valid call draws a chart or a PDF."""
    api_schema.config.phases.coverage.enabled = False
    return api_schema


#: Operations that draw a chart or a PDF each time: few inputs to vary, slow to answer.
DRAWN = r"/(report\.\{kind\}|charts/\{name\}\.svg|calendar\.ics|exports/\{kind\})$"

schema = schemathesis.pytest.from_fixture("api_schema")
stopped = schemathesis.pytest.from_fixture("stopped_schema")
drawing = schemathesis.pytest.from_fixture("drawing_schema")
hostile = schemathesis.pytest.from_fixture("hostile_schema")


#: What every answer is checked for.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


@schema.exclude(path_regex=DRAWN).parametrize()
@fuzz(15)
def test_every_operation_answers_as_its_schema_says(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@stopped.exclude(path_regex=DRAWN).parametrize()
@fuzz(5)
def test_every_operation_answers_as_its_schema_says_without_a_plan(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@drawing.include(path_regex=DRAWN).parametrize()
@fuzz(5)
def test_every_download_answers_as_its_schema_says(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@hostile.exclude(path_regex=DRAWN).parametrize()
@fuzz(10)
def test_no_operation_answers_hostile_input_with_a_server_error(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error, content_type_conformance])
