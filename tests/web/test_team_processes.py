"""A real team server: `hipflex db upgrade`, `hipflex users add`, then `hipflex serve
--team --workers 2` as an operator would run them. Logins, logouts and the login throttle
hold across the two worker processes (they share only the database)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from hipflex.domain.accounts import MAX_FAILURES_PER_ACCOUNT
from tests.web.conftest import API, free_port

# `hipflex db upgrade` migrates a new database, as an operator's first one.
pytestmark = [pytest.mark.slow, pytest.mark.new_schema]

PASSWORD = "a long enough passphrase"  # noqa: S105 - the test's own account
HIPFLEX = [sys.executable, "-m", "hipflex"]


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[str]:
    env = {
        **os.environ,
        "HIPFLEX_DATA_DIR": str(tmp_path / "data"),
        "HIPFLEX_DATABASE_URL": database_url,
        "HIPFLEX_TEAM": "1",
    }
    for command, stdin in (
        (["db", "upgrade"], None),
        (["users", "add", "ana@example.org", "--password-stdin"], PASSWORD + "\n"),
    ):
        done = subprocess.run(
            [*HIPFLEX, *command], env=env, input=stdin, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    port = free_port()
    process = subprocess.Popen(
        [*HIPFLEX, "serve", "--team", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{address}{API}/csrf", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the team server did not start: {process.communicate()[1]}")
            time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def _client(address: str) -> Iterator[httpx.Client]:
    """A client with the CSRF token armed, as a script would use the API."""
    with httpx.Client(base_url=address, timeout=10) as client:
        client.headers["X-CSRF-Token"] = client.get(f"{API}/csrf").json()["token"]
        yield client


def test_logins_and_the_throttle_hold_across_worker_processes(server: str) -> None:
    with _client(server) as client:
        login = {"email": "ana@example.org", "password": PASSWORD}
        assert client.get(f"{API}/preferences").status_code == 401
        assert client.post(f"{API}/auth/login", json=login).status_code == 200
        # New connections spread over both workers; every one knows the login.
        for _ in range(12):
            with httpx.Client(base_url=server, cookies=client.cookies, timeout=10) as fresh:
                assert fresh.get(f"{API}/preferences").status_code == 200
        assert client.post(f"{API}/auth/logout").status_code == 200
        for _ in range(6):
            with httpx.Client(base_url=server, cookies=client.cookies, timeout=10) as fresh:
                assert fresh.get(f"{API}/preferences").status_code == 401
        wrong = {**login, "password": "not the password"}
        statuses = []
        for _ in range(MAX_FAILURES_PER_ACCOUNT + 2):
            with _client(server) as fresh:
                statuses.append(fresh.post(f"{API}/auth/login", json=wrong).status_code)
        assert statuses == [401] * MAX_FAILURES_PER_ACCOUNT + [429, 429]
