"""The OpenAPI document describes every answer: each JSON operation has a response schema
(its presenter's model, every key typed), each refusal its `{"detail": ...}` model, and
each download its media types. schemathesis (test_schemathesis.py) checks the app keeps
to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hipflex.web.app import create_app
from tests.web.conftest import API, web_settings

#: Files, not answers: their media types, and no JSON schema.
DOWNLOADS = {
    ("get", f"{API}/charts/{{name}}.svg"): {"image/svg+xml"},
    ("get", f"{API}/exports/{{kind}}"): {"application/json", "text/csv", "application/fhir+json"},
    ("get", f"{API}/calendar.ics"): {"text/calendar"},
    ("get", f"{API}/report.{{kind}}"): {"application/pdf", "text/html"},
    ("get", f"{API}/clinician/members/{{member_id}}/report.{{kind}}"): {
        "application/pdf",
        "text/html",
    },
}
#: Models of refusals: every one answers {"detail": ...}.
REFUSALS = {"#/components/schemas/ErrorOut", "#/components/schemas/UnprocessableOut"}
#: The one model whose keys are not all known: FastAPI's words for a refused field.
OPEN_ENDED = {"InvalidFieldOut"}


@pytest.fixture
def document(tmp_path: Path) -> dict[str, Any]:
    """The document as served (no database is opened to serve it)."""
    response = TestClient(create_app(web_settings(tmp_path))).get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def untyped(document: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> list[str]:
    """Where a schema lets any value through: an empty schema, or an object whose keys are
    not declared (a free-form dict), following references once each."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        if name in seen or name in OPEN_ENDED:
            return []
        seen.add(name)
        return [f"{name}.{where}" for where in untyped(document, resolve(document, schema), seen)]
    found: list[str] = []
    if not schema.keys() - {"title", "description", "default"}:
        return ["(any value)"]
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += untyped(document, option, seen)
    if schema.get("type") == "array":
        found += [f"[]{w}" for w in untyped(document, schema["items"], seen)]
    if schema.get("type") == "object":
        extra = schema.get("additionalProperties", True)
        if "properties" in schema:
            if extra is not False:
                found.append("(keys beyond those declared)")
            for name, field in schema["properties"].items():
                found += [f"{name}{w}" for w in untyped(document, field, seen)]
        elif isinstance(extra, dict):  # a map: typed values
            found += [f"{{}}{w}" for w in untyped(document, extra, seen)]
        else:
            found.append("(a free-form object)")
    return found


def test_every_json_operation_has_a_typed_response_schema(document: dict[str, Any]):
    problems = []
    json_operations = 0
    for method, path, operation in operations(document):
        if (method, path) in DOWNLOADS:
            continue
        json_operations += 1
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        if len(successes) != 1:
            problems.append((method, path, f"success responses: {sorted(successes)}"))
            continue
        (response,) = successes.values()
        content = response.get("content", {})
        if set(content) != {"application/json"}:
            problems.append((method, path, f"media types: {sorted(content)}"))
            continue
        schema = content["application/json"].get("schema", {})
        if "$ref" not in str(schema):
            problems.append((method, path, f"no model: {schema}"))
        problems += [(method, path, where) for where in untyped(document, schema, set())]
    assert not problems
    assert json_operations >= 21  # every route of the API but the downloads


def test_every_refusal_is_documented_with_its_detail(document: dict[str, Any]):
    problems = []
    for method, path, operation in operations(document):
        refusals = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        if path != f"{API}/csrf" and "503" not in refusals:
            problems.append((method, path, "no 503 (the database is unavailable)"))
        if method in ("post", "put") and not {"400", "403", "413", "422"} <= refusals.keys():
            problems.append((method, path, f"a write without its refusals: {sorted(refusals)}"))
        for status, response in refusals.items():
            content = response.get("content", {})
            model = content.get("application/json", {}).get("schema", {}).get("$ref")
            if set(content) != {"application/json"} or model not in REFUSALS:
                problems.append((method, path, status, content))
    assert not problems


def test_downloads_declare_their_media_types_and_no_schema(document: dict[str, Any]):
    for (method, path), media_types in DOWNLOADS.items():
        content = document["paths"][path][method]["responses"]["200"]["content"]
        assert set(content) == media_types, path
        assert all("schema" not in body for body in content.values()), path


def test_ids_in_answers_list_their_allowed_values(document: dict[str, Any]):
    """Ids are the domain's enums, so the schema lists the values a script can get."""
    schemas = document["components"]["schemas"]
    for name in ("ExerciseId", "Side", "SessionSlot", "RedFlag", "Sign", "StepKind", "Measure"):
        assert schemas[name]["enum"], name
    plan = schemas["HoldExerciseOut"]["properties"]
    assert plan["id"] == {"$ref": "#/components/schemas/ExerciseId"}
    assert "hold_at_top_seconds" not in schemas["HoldExerciseOut"]["required"]
    item = schemas["TodayOut"]["properties"]["items"]["items"]
    assert item["discriminator"]["propertyName"] == "kind"
