"""Local-mode safety: CSRF on writes, the Host check (DNS rebinding), the body limit, the
password for remote mode, and `hipflex serve` refusing unsafe addresses."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from hipflex.domain.errors import BadInput
from hipflex.services.clock import FixedClock
from hipflex.web.app import create_app
from hipflex.web.security import MAX_BODY_BYTES, MIN_PASSWORD_LENGTH, RemotePassword, Throttle
from tests.web.conftest import (
    API,
    CSRF_HEADER,
    TIGHT_ASSESSMENT,
    LiveServer,
    arm_csrf,
    context_of,
    free_port,
    record_tight,
    web_settings,
)

HIPFLEX = Path(sys.executable).parent / "hipflex"
PASSWORD = "correct horse battery"  # noqa: S105 - the test's own password for remote mode
WRITES = [
    ("POST", "assessments", TIGHT_ASSESSMENT),
    ("POST", "logs/pain", {"score": 4}),
    ("POST", "logs/sitting", {"hours": 6}),
    ("POST", "logs/notes", {"text": "hello"}),
    ("POST", "sessions", {}),
    ("PUT", "preferences", {"sessions_per_day": 3}),
]


@pytest.fixture
def local(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    """The app as `hipflex serve` runs it by default, on SQLite, CSRF armed."""
    with TestClient(create_app(web_settings(tmp_path / "app-data"), clock)) as client:
        arm_csrf(client)
        yield client


# CSRF


@pytest.mark.parametrize("token", [None, "", "not-the-cookie-token"])
def test_a_write_without_the_right_csrf_token_is_403_and_changes_nothing(
    client: TestClient, token: str | None
):
    record_tight(client)
    before = context_of(client).store.snapshot()
    client.headers.pop(CSRF_HEADER)
    headers = {} if token is None else {CSRF_HEADER: token}
    for method, route, body in WRITES:
        response = client.request(method, f"{API}/{route}", json=body, headers=headers)
        assert response.status_code == 403, (route, response.text)
        assert "CSRF" in response.json()["detail"]
    assert context_of(client).store.snapshot() == before


def test_a_write_with_the_header_but_no_cookie_is_403(local: TestClient):
    token = local.headers[CSRF_HEADER]
    local.cookies.clear()
    response = local.post(f"{API}/logs/pain", json={"score": 4}, headers={CSRF_HEADER: token})
    assert response.status_code == 403
    assert context_of(local).store.pain_ratings() == []


def test_a_token_from_another_visitor_is_refused(local: TestClient):
    other = TestClient(local.app)
    other_token = other.get(f"{API}/csrf").json()["token"]
    assert other_token != local.headers[CSRF_HEADER]
    response = local.post(f"{API}/logs/pain", json={"score": 4}, headers={CSRF_HEADER: other_token})
    assert response.status_code == 403


def test_reads_need_no_token(local: TestClient):
    local.headers.pop(CSRF_HEADER)
    assert local.get(f"{API}/preferences").status_code == 200
    assert local.get(f"{API}/openapi.json").status_code == 200


def test_the_cookie_is_set_once_strict_and_readable_by_the_page(local: TestClient):
    fresh = TestClient(local.app)
    response = fresh.get("/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("hipflex_csrf=")
    assert "samesite=strict" in cookie.lower()
    assert "httponly" not in cookie.lower()  # the page's script echoes it in a header
    assert "secure" not in cookie.lower()  # plain HTTP on loopback: a secure one is dropped
    assert "set-cookie" not in fresh.get("/").headers  # kept, not rotated per request


TIGHT_FORM = {
    **{f"red_flag_{flag}": "no" for flag in (
        "saddle_numbness", "bladder_bowel", "leg_weakness", "trauma", "systemic", "night_pain"
    )},
    "sitting_hours": "9",
    "thomas_left_thigh": "raised",
    "thomas_left_knee": "70",
    "thomas_right_thigh": "raised",
    "thomas_right_knee": "72",
    "extension_left_degrees": "5",
    "extension_left_compensated": "no",
    "extension_right_degrees": "6",
    "extension_right_compensated": "no",
    "kind": "baseline",
}  # fmt: skip


def test_the_wizard_form_without_javascript_needs_its_csrf_field(local: TestClient):
    token = local.headers.pop(CSRF_HEADER)
    refused = local.post("/assess", data=TIGHT_FORM, follow_redirects=False)
    assert refused.status_code == 403
    assert context_of(local).store.assessments() == []
    wrong = local.post(
        "/assess", data={**TIGHT_FORM, "csrf_token": "forged"}, follow_redirects=False
    )
    assert wrong.status_code == 403
    saved = local.post("/assess", data={**TIGHT_FORM, "csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/plan"
    (recorded,) = context_of(local).store.assessments()
    assert recorded.assessment.sitting_hours == 9


def test_the_wizard_form_with_a_red_flag_goes_to_the_safety_page(local: TestClient):
    token = local.headers.pop(CSRF_HEADER)
    form = {**TIGHT_FORM, "red_flag_night_pain": "yes", "csrf_token": token}
    response = local.post("/assess", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/safety"


def test_a_form_post_may_carry_the_token_as_a_field(local: TestClient):
    """The CSRF check reads `csrf_token` from a form body when there is no header."""
    token = local.headers.pop(CSRF_HEADER)
    refused = local.post(f"{API}/logs/notes", data={"text": "x"})
    assert refused.status_code == 403
    passed = local.post(f"{API}/logs/notes", data={"text": "x", "csrf_token": token})
    assert passed.status_code != 403  # past the CSRF check (the API itself wants JSON)
    assert passed.status_code < 500


# Host header (DNS rebinding)


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8765", "127.0.0.1", "localhost", "localhost:8765", "[::1]:8765", "[::1]"]
)
def test_loopback_host_names_are_served(local: TestClient, host: str):
    response = local.get(f"{API}/preferences", headers={"host": host})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.20:8765"]
)
def test_other_host_names_are_400(local: TestClient, host: str):
    response = local.get(f"{API}/preferences", headers={"host": host})
    assert response.status_code == 400
    assert local.get("/", headers={"host": host}).status_code == 400


def test_a_rebound_write_is_refused_before_it_reaches_the_store(local: TestClient):
    response = local.post(f"{API}/logs/pain", json={"score": 4}, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert context_of(local).store.pain_ratings() == []


# Body size


def _big_note(size: int) -> bytes:
    return b'{"text": "' + b"x" * size + b'"}'


def test_a_body_over_1_mb_with_content_length_is_413(local: TestClient):
    body = _big_note(MAX_BODY_BYTES + 1)
    response = local.post(
        f"{API}/logs/notes", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert context_of(local).store.notes() == []


def test_a_streamed_body_over_1_mb_without_content_length_is_413(local: TestClient):
    def chunks() -> Iterator[bytes]:
        body = _big_note(MAX_BODY_BYTES + 1)
        for start in range(0, len(body), 64_000):
            yield body[start : start + 64_000]

    response = local.post(
        f"{API}/logs/notes", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert context_of(local).store.notes() == []


def test_a_body_just_under_the_limit_reaches_the_route(local: TestClient):
    response = local.post(
        f"{API}/logs/notes",
        content=_big_note(MAX_BODY_BYTES - 20),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422  # the note's own limit: 2000 characters
    assert "2000" in response.text


def test_a_chunked_body_over_1_mb_over_real_http_is_413(tmp_path: Path, clock: FixedClock):
    with LiveServer(tmp_path / "live", clock) as server, httpx.Client(base_url=server.url) as http:
        token = http.get(f"{API}/csrf").json()["token"]

        def chunks() -> Iterator[bytes]:
            body = _big_note(3 * MAX_BODY_BYTES)
            for start in range(0, len(body), 256_000):
                yield body[start : start + 256_000]

        response = http.post(
            f"{API}/logs/notes",
            content=chunks(),
            headers={"content-type": "application/json", CSRF_HEADER: token},
        )
        assert response.request.headers["transfer-encoding"] == "chunked"
        assert response.status_code == 413
        assert http.get(f"{API}/preferences").status_code == 200  # still serving
        assert server.context.store.notes() == []


# Password mode (--allow-remote)


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"authorization": f"Basic {token}"}


@pytest.fixture
def remote(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(
        web_settings(tmp_path / "app-data"),
        clock,
        bind_host="0.0.0.0",  # noqa: S104 - the mode under test
        password=PASSWORD,
    )
    with TestClient(app, base_url="http://192.168.1.20:8765") as client:
        yield client


def test_remote_mode_without_the_password_is_401(remote: TestClient):
    for path in ("/", f"{API}/preferences", f"{API}/openapi.json"):
        response = remote.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "headers",
    [
        _basic("anyone", "wrong"),
        _basic("", ""),
        {"authorization": "Basic !!!not-base64"},
        {"authorization": "Bearer pw"},
    ],
)
def test_remote_mode_with_a_wrong_password_is_401(remote: TestClient, headers: dict[str, str]):
    assert remote.get(f"{API}/preferences", headers=headers).status_code == 401


def test_remote_mode_with_the_password_is_200_and_writes_need_csrf_too(remote: TestClient):
    remote.headers.update(_basic("me", PASSWORD))
    assert remote.get(f"{API}/preferences").status_code == 200
    assert remote.get("/").status_code == 200
    assert remote.post(f"{API}/logs/pain", json={"score": 3}).status_code == 403
    arm_csrf(remote)
    assert remote.post(f"{API}/logs/pain", json={"score": 3}).status_code == 201


def test_a_named_remote_address_answers_to_that_name_only(tmp_path: Path, clock: FixedClock):
    app = create_app(
        web_settings(tmp_path / "app-data"), clock, bind_host="192.168.1.20", password=PASSWORD
    )
    with TestClient(app) as client:
        client.headers.update(_basic("me", PASSWORD))
        assert client.get("/", headers={"host": "192.168.1.20:8765"}).status_code == 200
        assert client.get("/", headers={"host": "evil.example"}).status_code == 400


# The password: its length, its hash, throttled wrong guesses


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@given(short=st.text(max_size=MIN_PASSWORD_LENGTH - 1))
@settings(max_examples=30, deadline=None)
def test_a_password_under_12_characters_is_refused(short: str):
    with pytest.raises(BadInput, match="at least 12 characters"):
        RemotePassword(short)


@given(password=st.text(min_size=MIN_PASSWORD_LENGTH, max_size=40))
@settings(max_examples=10, deadline=None)  # each one is an scrypt hash
def test_a_password_of_12_characters_or_more_is_kept_as_a_hash_only(password: str):
    kept = RemotePassword(password)
    stored = repr(vars(kept)).encode()
    assert password.encode() not in stored
    assert repr(password) not in repr(vars(kept))
    assert kept.matches(password)
    assert not kept.matches(password + "x")
    assert kept.accepts(_basic("anyone", password)["authorization"])


def test_create_app_refuses_a_short_password(tmp_path: Path, clock: FixedClock):
    with pytest.raises(BadInput):
        create_app(
            web_settings(tmp_path / "app-data"),
            clock,
            bind_host="0.0.0.0",  # noqa: S104 - the mode under test
            password="short",  # noqa: S106 - too short on purpose
        )


def test_the_throttle_lets_a_few_slips_through_then_doubles_the_wait():
    clock = FakeMonotonic()
    throttle = Throttle(clock)
    waits = []
    for _ in range(14):
        throttle.failed("203.0.113.9")
        waits.append(throttle.wait("203.0.113.9"))
    free = Throttle.FREE_FAILURES
    assert waits[:free] == [0.0] * free
    assert waits[free : free + 4] == [1.0, 2.0, 4.0, 8.0]
    assert max(waits) == Throttle.MAX_WAIT_S
    assert throttle.wait("198.51.100.7") == 0.0  # per address
    clock.now += Throttle.MAX_WAIT_S
    assert throttle.wait("203.0.113.9") == 0.0
    throttle.succeeded("203.0.113.9")
    throttle.failed("203.0.113.9")
    assert throttle.wait("203.0.113.9") == 0.0  # a right password cleared the count


def test_the_throttle_remembers_a_bounded_number_of_addresses():
    clock = FakeMonotonic()
    throttle = Throttle(clock)
    for number in range(Throttle._REMEMBERED + 50):
        throttle.failed(f"10.0.{number // 256}.{number % 256}")
    assert len(throttle._failures) <= Throttle._REMEMBERED


def test_wrong_passwords_are_throttled_with_429_and_retry_after(tmp_path: Path, clock: FixedClock):
    monotonic = FakeMonotonic()
    app = create_app(
        web_settings(tmp_path / "app-data"),
        clock,
        bind_host="0.0.0.0",  # noqa: S104 - the mode under test
        password=PASSWORD,
        throttle=Throttle(monotonic),
    )
    wrong, right = _basic("me", "not the password"), _basic("me", PASSWORD)
    with TestClient(app, base_url="http://192.168.1.20:8765") as client:
        assert client.get("/").status_code == 401  # no password given yet: not a guess
        for _ in range(Throttle.FREE_FAILURES + 1):
            assert client.get("/", headers=wrong).status_code == 401
        throttled = client.get(f"{API}/preferences", headers=right)
        assert throttled.status_code == 429  # not even the right one is looked at now
        assert throttled.headers["retry-after"] == "1"
        assert "wait" in throttled.text
        assert "frame-ancestors 'none'" in throttled.headers["content-security-policy"]
        assert throttled.headers["cache-control"] == "no-store"
        monotonic.now += 1
        assert client.get(f"{API}/preferences", headers=right).status_code == 200
        assert client.get("/", headers=wrong).status_code == 401  # the count starts again


def test_remote_mode_warns_once_when_a_browser_comes_over_plain_http(
    remote: TestClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING, logger="hipflex.web"):
        remote.get("/")
        remote.get("/", headers=_basic("me", PASSWORD))
    warnings = [r.getMessage() for r in caplog.records if r.name == "hipflex.web"]
    assert len(warnings) == 1
    assert "plain HTTP" in warnings[0]
    assert "HTTPS" in warnings[0]


def test_remote_mode_behind_https_does_not_warn(
    tmp_path: Path, clock: FixedClock, caplog: pytest.LogCaptureFixture
):
    app = create_app(
        web_settings(tmp_path / "app-data"),
        clock,
        bind_host="0.0.0.0",  # noqa: S104 - the mode under test
        password=PASSWORD,
    )
    with (
        TestClient(app, base_url="https://hipflex.example") as client,
        caplog.at_level(logging.WARNING, logger="hipflex.web"),
    ):
        home = client.get("/", headers=_basic("me", PASSWORD))
        assert home.status_code == 200
        assert "secure" in home.headers["set-cookie"].lower()  # the CSRF cookie: HTTPS only
    assert not [r for r in caplog.records if r.name == "hipflex.web"]


# `hipflex serve`


def _serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "HIPFLEX_WEB_PASSWORD"}
    return subprocess.run(
        [str(HIPFLEX), "serve", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**environment, **env},
    )


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--host", "0.0.0.0"], {}, "--allow-remote"),  # noqa: S104
        (["--host", "192.168.1.20"], {"HIPFLEX_WEB_PASSWORD": "pw"}, "--allow-remote"),
        (["--host", "0.0.0.0", "--allow-remote"], {}, "HIPFLEX_WEB_PASSWORD"),  # noqa: S104
        (["--host", "::", "--allow-remote"], {"HIPFLEX_WEB_PASSWORD": ""}, "password"),
        (["--host", "::", "--allow-remote"], {"HIPFLEX_WEB_PASSWORD": "x"}, "12 characters"),
        (
            ["--host", "0.0.0.0", "--allow-remote"],  # noqa: S104
            {"HIPFLEX_WEB_PASSWORD": "elevenchars"},
            "12 characters",
        ),
    ],
)
def test_serve_refuses_a_reachable_address_in_one_line_with_exit_2(
    args: list[str], env: dict[str, str], words: str
):
    result = _serve(*args, "--port", str(free_port()), **env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Traceback" not in result.stderr
    assert "running" not in result.stdout


@pytest.mark.slow
def test_serve_prints_its_address_and_answers(data_dir: Path):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "HIPFLEX_WEB_PASSWORD"}
    process = subprocess.Popen(
        [str(HIPFLEX), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        address = f"http://127.0.0.1:{port}/"
        assert address in line, line
        with httpx.Client(base_url=address, timeout=10) as http:
            home = _wait_for(http, "/")
            assert home.status_code == 200
            assert "hipflex" in home.text
            schema = http.get(f"{API}/openapi.json")
            assert schema.status_code == 200
            assert schema.json()["info"]["title"] == "hipflex"
        assert (data_dir / "hipflex.db").exists()  # HIPFLEX_DATA_DIR from the test fixture
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode in (0, -15)


@pytest.mark.slow
def test_serve_with_allow_remote_warns_about_plain_http_and_asks_the_password():
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "HIPFLEX_WEB_PASSWORD"}
    process = subprocess.Popen(
        [str(HIPFLEX), "serve", "--port", str(port), "--allow-remote"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environment, "HIPFLEX_WEB_PASSWORD": PASSWORD},
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        warning = process.stderr.readline()
        assert warning.startswith("Warning:")
        assert "HTTPS" in warning
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            assert _wait_for(http, "/").status_code == 401
            assert http.get("/", headers=_basic("me", PASSWORD)).status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(http: httpx.Client, path: str) -> httpx.Response:
    import time

    deadline = time.monotonic() + 20
    while True:
        try:
            return http.get(path)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
