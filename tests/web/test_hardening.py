"""Web hardening: the security headers on every answer, the policy that keeps scripts to
the app's own files (and the pages working under it in Chromium), the API docs served from
the installed package, and the test client's host name answered in tests only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi.testclient import TestClient

from hipflex.services.clock import FixedClock
from hipflex.web.app import DOCS_ASSETS_URL, create_app
from hipflex.web.security import CSRF_HEADER as CSRF_HEADER_NAME
from hipflex.web.security import MAX_BODY_BYTES
from tests.web.conftest import API, CSP_VIOLATION, LiveServer, arm_csrf, record_tight, web_settings
from tests.web.journey import PAGES

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

DOCS = f"{API}/docs"
TEMPLATES = Path(__file__).parents[2] / "src" / "hipflex" / "web" / "templates"
SCRIPTS = Path(__file__).parents[2] / "src" / "hipflex" / "web" / "static" / "js"


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in response.headers["content-security-policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_hardened(response: httpx.Response, *, personal: bool = True) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    directives = policy(response)
    scripts = directives.get("script-src", directives["default-src"])
    assert scripts == ["'self'"], where  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert directives["default-src"] == ["'self'"], where
    assert directives["style-src"] == ["'self'"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["object-src"] == ["'none'"], where
    assert response.headers["x-content-type-options"] == "nosniff", where
    assert response.headers["referrer-policy"] == "no-referrer", where
    assert response.headers["x-frame-options"] == "DENY", where
    if personal:
        assert response.headers["cache-control"] == "no-store", where
    else:
        assert "no-store" not in response.headers.get("cache-control", ""), where


@pytest.fixture
def local(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(web_settings(tmp_path / "app-data"), clock)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        msg = "a bug"
        raise RuntimeError(msg)

    with TestClient(app, raise_server_exceptions=False) as client:
        arm_csrf(client)
        record_tight(client)
        yield client


# Headers on every answer


PERSONAL_GETS = [path for _, path in PAGES] + [
    "/boom",  # a server error
    f"{API}/preferences",
    f"{API}/plan",
    f"{API}/progress",
    f"{API}/openapi.json",
    f"{API}/no-such-route",
    f"{API}/csrf",
    DOCS,
]


@pytest.mark.parametrize("path", PERSONAL_GETS)
def test_every_page_and_api_answer_has_the_headers_and_is_not_stored(local: TestClient, path: str):
    response = local.get(path)
    assert response.status_code in (200, 404, 500), response.text
    assert_hardened(response)


@pytest.mark.parametrize(
    "path", ["/static/css/app.css", "/static/js/api.js", f"{DOCS_ASSETS_URL}/swagger-ui.css"]
)
def test_static_files_have_the_headers_and_may_be_cached(local: TestClient, path: str):
    response = local.get(path)
    assert response.status_code == 200
    assert_hardened(response, personal=False)


def test_a_missing_static_file_has_the_headers(local: TestClient):
    response = local.get("/static/js/no-such-file.js")
    assert response.status_code == 404
    assert_hardened(response, personal=False)


def test_refusals_have_the_headers(local: TestClient):
    token = local.headers.pop(CSRF_HEADER_NAME)
    no_csrf = local.post(f"{API}/logs/pain", json={"score": 4})
    assert no_csrf.status_code == 403
    assert_hardened(no_csrf)
    local.headers[CSRF_HEADER_NAME] = token
    wrong_host = local.get("/", headers={"host": "evil.example"})
    assert wrong_host.status_code == 400
    assert_hardened(wrong_host)
    too_large = local.post(
        f"{API}/logs/notes",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert too_large.status_code == 413
    assert_hardened(too_large)
    bad = local.post(f"{API}/logs/pain", json={"score": 11})
    assert bad.status_code == 422
    assert_hardened(bad)
    created = local.post(f"{API}/logs/pain", json={"score": 4})
    assert created.status_code == 201
    assert_hardened(created)


@pytest.mark.parametrize(
    "path", [f"{API}/exports/json", f"{API}/report.html", f"{API}/calendar.ics"]
)
def test_downloads_of_personal_data_are_not_stored(local: TestClient, path: str):
    response = local.get(path)
    assert response.status_code == 200, response.text
    assert_hardened(response)


# No inline script anywhere


def test_no_template_has_inline_script_or_handlers_or_style_attributes():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert "javascript:" not in text, template.name


def test_no_script_builds_code_from_text():
    for script in SCRIPTS.glob("*.js"):
        text = script.read_text()
        for construct in ("eval(", "new Function", 'setAttribute("style"', "innerHTML"):
            assert construct not in text, (script.name, construct)


# The API docs from the package


def test_the_docs_page_loads_nothing_from_another_site(local: TestClient):
    page = local.get(DOCS)
    assert page.status_code == 200
    assert "SwaggerUIBundle" not in page.text  # started by a script file, not inline
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert addresses
    assert all(address.startswith("/") for address in addresses), addresses
    for address in addresses:
        asset = local.get(address)
        assert asset.status_code == 200, address
        assert asset.content, address
    script = local.get(f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js")
    assert "javascript" in script.headers["content-type"]


# The test client's host name


def test_the_real_server_refuses_the_test_client_host_name(tmp_path: Path, clock: FixedClock):
    with LiveServer(tmp_path / "live", clock) as server, httpx.Client(base_url=server.url) as http:
        assert http.get(f"{API}/preferences").status_code == 200
        for host in ("testserver", "testserver:80"):
            refused = http.get(f"{API}/preferences", headers={"host": host})
            assert refused.status_code == 400, host
            assert_hardened(refused)


# In Chromium, with the policy on


def _same_origin_only(page: Page, base: str) -> list[str]:
    """Abort any request that leaves the app's own address; the list of those aborted."""
    elsewhere: list[str] = []

    def route(request_route: object) -> None:
        from playwright.sync_api import Route

        assert isinstance(request_route, Route)
        url = request_route.request.url
        if url.startswith((base, "data:", "blob:")):
            request_route.continue_()
        else:
            elsewhere.append(url)
            request_route.abort()

    page.route("**/*", route)
    return elsewhere


def test_the_main_pages_work_with_no_policy_violation(
    seeded_server: LiveServer, page: Page, csp_violations: list[str]
):
    elsewhere = _same_origin_only(page, seeded_server.url)
    failed: list[str] = []

    def on_failed(request: Request) -> None:
        failed.append(request.url)

    page.on("requestfailed", on_failed)
    for _, path in PAGES:
        response = page.goto(f"{seeded_server.url}{path}")
        assert response is not None
        assert response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    assert not elsewhere
    assert not failed
    assert not csp_violations


def test_the_violation_detector_sees_an_inline_script(
    seeded_server: LiveServer, page: Page, csp_violations: list[str]
):
    """The check above means something: an inline script is blocked and reported."""
    page.goto(f"{seeded_server.url}/")
    with page.expect_console_message(lambda message: CSP_VIOLATION in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = true'; document.body.append(s); }"
        )
    assert page.evaluate("() => window.ran === undefined")
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()


def test_the_api_docs_work_offline_in_chromium(
    seeded_server: LiveServer, page: Page, csp_violations: list[str]
):
    from playwright.sync_api import expect

    elsewhere = _same_origin_only(page, seeded_server.url)
    page.goto(f"{seeded_server.url}{DOCS}")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hipflex")
    expect(page.locator(".opblock").first).to_be_visible()
    # Try a read: Swagger UI's own request reaches the app and shows the answer.
    operation = page.locator("[id$=-get_preferences_api_v1_preferences_get]")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table .response .response-col_status").first
    ).to_contain_text("200")
    assert not elsewhere, elsewhere
    assert not csp_violations
